//! The `netprove` command line. Errors are rendered here, at the edge.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use netprove::snapshot::SnapshotArg;
use netprove::trace::FlowSpec;

#[derive(Parser)]
#[command(
    name = "netprove",
    version,
    about = "Offline reachability and compliance verifier for AWS networks with EKS clusters"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 (check only).
    Sarif,
    /// One self-contained HTML report with witness diagrams (check only).
    Html,
}

impl Format {
    /// Formats every command renders; the others are for `check` alone.
    fn check_only(self, command: &str) -> Result<(), ExitCode> {
        match self {
            Format::Text | Format::Json => Ok(()),
            Format::Sarif | Format::Html => {
                let name = if matches!(self, Format::Sarif) { "sarif" } else { "html" };
                eprintln!(
                    "error: `--format {name}` is supported by `netprove check` only, not by `netprove {command}`"
                );
                Err(ExitCode::from(2))
            }
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Summarise a snapshot: resource counts per account, region and cluster, and every warning.
    Inspect {
        /// Snapshot directory (default: the embedded demo; `@demo` names it explicitly).
        snapshot: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write the report to this file (atomically) instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Trace one connection (or every line of --flows) through the concrete evaluator, hop by hop.
    Trace {
        /// Snapshot directory (default: the embedded demo).
        snapshot: Option<String>,
        /// Source: an IPv4 address, eni-…, i-…, pod:<cluster>/<ns>/<name>.
        #[arg(long, required_unless_present = "flows")]
        from: Option<String>,
        /// Destination: as --from, or svc:<cluster>/<ns>/<name>.
        #[arg(long, required_unless_present = "flows")]
        to: Option<String>,
        /// tcp, udp, icmp or a protocol number.
        #[arg(long, default_value = "tcp")]
        proto: String,
        #[arg(long)]
        dport: Option<u16>,
        #[arg(long, default_value_t = 50000)]
        sport: u16,
        /// ICMP type (default 8, echo request).
        #[arg(long)]
        icmp_type: Option<u8>,
        #[arg(long)]
        icmp_code: Option<u8>,
        /// TLS server name, for Network Firewall domain rules.
        #[arg(long)]
        sni: Option<String>,
        /// HTTP Host header, for Network Firewall domain rules.
        #[arg(long)]
        http_host: Option<String>,
        /// JSON Lines file: one flow per line; the output is one JSON array in input order.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        flows: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// An interactive session: load the snapshot once, then why, trace, check, inspect (Tab completes names).
    Shell {
        /// Snapshot directory (`@demo` for the embedded demo).
        snapshot: String,
    },
    /// Why can SRC reach DST (every path, the exact ports), or why not (every blocker and its fix).
    Why {
        /// Snapshot directory (`@demo` for the embedded demo).
        snapshot: String,
        /// An endpoint (as for trace) or a selector (as in specs, e.g. `pods(namespace: tenant-b)`).
        src: String,
        dst: String,
        /// tcp, udp, icmp or a number (default: every protocol).
        #[arg(long)]
        proto: Option<String>,
        /// A port or range `A-B` (default: every port).
        #[arg(long)]
        dport: Option<String>,
        /// The client's source port.
        #[arg(long, default_value_t = 50000)]
        sport: u16,
        #[arg(long, default_value_t = 4)]
        max_paths: usize,
        #[arg(long, default_value_t = 8)]
        max_pairs: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Prove or refute specs over every packet (exit 0: all pass; 1: a violation, unknown or error; 2: bad input).
    Check {
        /// Snapshot directory (`@demo` for the embedded demo).
        snapshot: String,
        /// Spec files or directories (every `*.nps` below).
        #[arg(required = true)]
        specs: Vec<std::path::PathBuf>,
        /// Output format (default text); repeatable: the i-th --output goes with the i-th --format,
        /// and a format without an --output goes to standard output (at most one).
        #[arg(long, value_enum)]
        format: Vec<Format>,
        /// Write the i-th --format to this file (atomically); repeatable.
        #[arg(long)]
        output: Vec<std::path::PathBuf>,
        /// Distinct witnesses per violated spec.
        #[arg(long, default_value_t = 1)]
        witnesses: usize,
        /// Per-spec timeout in seconds.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Print only failing specs (text format).
        #[arg(long)]
        quiet: bool,
        /// An earlier `--format json` report (e.g. from the main branch): results are marked
        /// new / unchanged / updated / fixed, and only new failures fail (exit 1).
        #[arg(long)]
        baseline: Option<std::path::PathBuf>,
    },
    /// Write a synthetic, real-shaped snapshot whose size grows with --scale (for benchmarks).
    Generate {
        /// Scale factor: about 100 pods, 10 NetworkPolicies and 20 security groups per unit.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// Output directory (written atomically; must be empty or absent unless --force).
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Application pods in total (default 100 x scale).
        #[arg(long)]
        pods: Option<usize>,
        /// NetworkPolicies in total (default 10 x scale).
        #[arg(long)]
        policies: Option<usize>,
        /// Security groups in total (default 20 x scale).
        #[arg(long)]
        security_groups: Option<usize>,
        /// Replace a non-empty output directory.
        #[arg(long)]
        force: bool,
    },
}

fn load(snapshot: Option<&str>) -> Result<(SnapshotArg, netprove_models::Snapshot), ExitCode> {
    let arg = SnapshotArg::parse(snapshot);
    match arg.load() {
        Ok(s) => Ok((arg, s)),
        Err(errors) => {
            eprintln!("{errors}");
            let n = errors.0.len();
            eprintln!(
                "error: could not load snapshot `{}` ({n} error{})",
                arg.describe(),
                if n == 1 { "" } else { "s" }
            );
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Shell { snapshot } => {
            let (arg, snap) = match load(Some(&snapshot)) {
                Ok(x) => x,
                Err(code) => return code,
            };
            match netprove::shell::run(&snap, &arg.describe()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Why { snapshot, src, dst, proto, dport, sport, max_paths, max_pairs, format } => {
            if let Err(code) = format.check_only("why") {
                return code;
            }
            let (_, snap) = match load(Some(&snapshot)) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let side = |s: &str| netprove::explain::why::targets_of(&snap, s);
            let (src_t, dst_t) = match (side(&src), side(&dst)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let ports = match netprove::explain::why::ports_of(proto.as_deref(), dport.as_deref()) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let q = netprove::explain::WhyQuestion { src: src_t, dst: dst_t, ports, sport, max_paths, max_pairs };
            let a = netprove::explain::why(&snap.network, &snap.index, &q);
            let text = match format {
                Format::Json => {
                    let mut s = serde_json::to_string_pretty(&a).unwrap_or_default();
                    s.push('\n');
                    s
                }
                Format::Text | Format::Sarif | Format::Html => netprove::explain::why::render_text(&a),
            };
            emit(&text, None)
        }
        Command::Check { snapshot, specs, format, output, witnesses, timeout, quiet, baseline } => {
            let targets = match pair_outputs(&format, &output) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let (arg, snap) = match load(Some(&snapshot)) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let set = match netprove::spec::load::load_specs(&specs) {
                Ok(s) => s,
                Err(d) => {
                    eprint!("{}", d.render(color));
                    eprintln!("error: could not load specs ({} diagnostics)", d.items.len());
                    return ExitCode::from(2);
                }
            };
            let res = netprove::spec::select::resolve_specs(&set, &snap.network, &snap.index);
            let mut warnings = set.warnings.clone();
            warnings.extend(res.warnings.iter().cloned());
            if !warnings.is_empty() {
                eprint!("{}", netprove::spec::diag::render(&warnings, &set.sources, color));
            }
            let inputs = netprove::check::lower::lower(&snap.network, &set, &res);
            let settings = netprove::check::run::default_settings(witnesses, timeout);
            // Read the baseline before the (long) check, so a bad path fails fast.
            let base = match baseline.as_deref().map(read_baseline).transpose() {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let mut report = netprove::check::run::run(&snap, &arg.describe(), &inputs, settings);
            if let Some(b) = &base {
                netprove::check::baseline::apply(&mut report, b);
            }
            let code = netprove::check::run::exit_code(&report);
            let mut result = ExitCode::from(code);
            for (format, output) in targets {
                let text = match format {
                    Format::Json => netprove::check::render::json(&report),
                    Format::Text => {
                        // Colours only for a person at a terminal (and never with NO_COLOR set).
                        let color = output.is_none()
                            && std::io::IsTerminal::is_terminal(&std::io::stdout())
                            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                        netprove::check::render::text_styled(&report, quiet, color)
                    }
                    Format::Sarif => netprove::check::sarif::render(&report),
                    Format::Html => netprove::check::html::render(&report),
                };
                let c = emit(&text, output);
                if c != ExitCode::SUCCESS {
                    result = c;
                }
            }
            result
        }
        Command::Generate { scale, out, seed, pods, policies, security_groups, force } => {
            let settings = netprove::generate::Settings {
                scale,
                seed,
                pods,
                policies,
                security_groups,
                ..netprove::generate::Settings::default()
            };
            let generated = match netprove::generate::generate(&settings) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Err(e) = netprove::output::write_tree_atomic(&out, &generated.files, force) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            print!("wrote `{}`\n{}", out.display(), generated.sizes.render());
            ExitCode::SUCCESS
        }
        Command::Inspect { snapshot, format, output } => {
            if let Err(code) = format.check_only("inspect") {
                return code;
            }
            let arg = SnapshotArg::parse(snapshot.as_deref());
            let snap = match arg.load() {
                Ok(s) => s,
                Err(errors) => {
                    eprintln!("{errors}");
                    let n = errors.0.len();
                    eprintln!(
                        "error: could not load snapshot `{}` ({n} error{})",
                        arg.describe(),
                        if n == 1 { "" } else { "s" }
                    );
                    return ExitCode::from(2);
                }
            };
            let report = netprove::inspect::build(&snap, &arg.describe());
            let text = match format {
                Format::Text | Format::Sarif | Format::Html => netprove::inspect::render_text(&report),
                Format::Json => netprove::inspect::render_json(&report),
            };
            emit(&text, output.as_deref())
        }
        Command::Trace {
            snapshot,
            from,
            to,
            proto,
            dport,
            sport,
            icmp_type,
            icmp_code,
            sni,
            http_host,
            flows,
            format,
            output,
        } => {
            if let Err(code) = format.check_only("trace") {
                return code;
            }
            let (_, snap) = match load(snapshot.as_deref()) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let ev = netprove::eval::Evaluator::new(&snap.network, &snap.index);
            let specs: Vec<FlowSpec> = match &flows {
                Some(path) => match netprove::trace::read_flows(path) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                },
                None => vec![FlowSpec {
                    from: from.unwrap_or_default(),
                    to: to.unwrap_or_default(),
                    proto,
                    dport,
                    sport: Some(sport),
                    icmp_type,
                    icmp_code,
                    sni,
                    http_host,
                    _expect: None,
                    _blocked_by: None,
                    _note: None,
                }],
            };
            let mut results = Vec::with_capacity(specs.len());
            for (i, spec) in specs.iter().enumerate() {
                match netprove::trace::run(&ev, &snap, spec) {
                    Ok(r) => results.push(r),
                    Err(e) => {
                        match &flows {
                            Some(p) => eprintln!("error: {}:{}: {e}", p.display(), i + 1),
                            None => eprintln!("error: {e}"),
                        }
                        return ExitCode::from(2);
                    }
                }
            }
            let text = match format {
                Format::Json => netprove::trace::render_json(&results, flows.is_none()),
                Format::Text | Format::Sarif | Format::Html => {
                    results.iter().map(netprove::trace::render_text).collect::<Vec<_>>().join("\n")
                }
            };
            emit(&text, output.as_deref())
        }
    }
}

fn read_baseline(path: &std::path::Path) -> Result<netprove::check::baseline::Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
    netprove::check::baseline::Baseline::parse(&path.display().to_string(), &text).map_err(|e| e.to_string())
}

/// Pairs `check`'s repeated `--format`/`--output`: the i-th output goes with
/// the i-th format; formats past the last output go to standard output, of
/// which there may be one. No `--format` means text.
fn pair_outputs<'a>(
    formats: &[Format],
    outputs: &'a [std::path::PathBuf],
) -> Result<Vec<(Format, Option<&'a std::path::Path>)>, String> {
    let formats: Vec<Format> = if formats.is_empty() { vec![Format::Text] } else { formats.to_vec() };
    if outputs.len() > formats.len() {
        return Err(format!(
            "{} --output given for {} --format: each --output needs its own --format",
            outputs.len(),
            formats.len()
        ));
    }
    let stdout = formats.len() - outputs.len();
    if stdout > 1 {
        return Err(format!("{stdout} formats would go to standard output; give an --output for all but one --format"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for o in outputs {
        if !seen.insert(o.as_path()) {
            return Err(format!("`{}` is given as --output twice", o.display()));
        }
    }
    Ok(formats.into_iter().enumerate().map(|(i, f)| (f, outputs.get(i).map(|p| p.as_path()))).collect())
}

fn emit(text: &str, output: Option<&std::path::Path>) -> ExitCode {
    match output {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(path) => match netprove::output::write_atomic(path, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                ExitCode::from(2)
            }
        },
    }
}
