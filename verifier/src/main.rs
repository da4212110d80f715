//! The `netprove` command line. Errors are rendered here, at the edge.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use netprove::snapshot::SnapshotArg;

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
        Command::Inspect { snapshot, format, output } => {
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
                Format::Text => netprove::inspect::render_text(&report),
                Format::Json => netprove::inspect::render_json(&report),
            };
            emit(&text, output.as_deref())
        }
    }
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
