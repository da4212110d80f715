//! `netprove shell`: load a snapshot once, then answer `why`, `trace`,
//! `check` and `inspect` interactively, with completion of endpoint names and
//! history. Without a terminal it reads commands from standard input (one per
//! line), which is how it is tested.

use std::io::{BufRead, IsTerminal, Write};

use netprove_models::Snapshot;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::eval::Evaluator;

pub const HELP: &str = "\
commands:
  why SRC DST [--proto P] [--dport N|A-B]      why can SRC reach DST, or why not
  trace SRC DST [--proto P] [--dport N] [--sport N] [--sni NAME]
                                               one connection, hop by hop
  check SPEC_FILE_OR_DIR...                    prove or refute specs
  inspect                                      what the snapshot contains
  help                                         this text
  exit | quit                                  leave
endpoints: an IPv4 address, eni-…, i-…, pod:<cluster>/<ns>/<name>, svc:<cluster>/<ns>/<name>,
or (for why) a selector such as 'pods(namespace: tenant-b)'. Tab completes names.";

/// Every name the shell completes.
pub fn completions(snap: &Snapshot) -> Vec<String> {
    let net = &snap.network;
    let mut v: Vec<String> = Vec::new();
    for c in net.clusters.values() {
        v.extend(c.pods.keys().map(|k| format!("pod:{}/{k}", c.name)));
        v.extend(c.services.keys().map(|k| format!("svc:{}/{k}", c.name)));
    }
    v.extend(net.enis.keys().cloned());
    v.extend(net.instances.keys().cloned());
    for e in net.enis.values() {
        v.extend(e.tags.values().filter(|t| !t.is_empty()).cloned());
    }
    for cmd in ["why", "trace", "check", "inspect", "help", "exit", "quit", "--proto", "--dport", "--sport", "--sni"] {
        v.push(cmd.to_string());
    }
    v.sort();
    v.dedup();
    v
}

struct ShellHelper {
    names: Vec<String>,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let start = line[..pos].rfind(' ').map(|i| i + 1).unwrap_or(0);
        let word = &line[start..pos];
        let matches = self
            .names
            .iter()
            .filter(|n| n.starts_with(word))
            .map(|n| Pair { display: n.clone(), replacement: n.clone() })
            .collect();
        Ok((start, matches))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}
impl Highlighter for ShellHelper {}
impl Validator for ShellHelper {}
impl Helper for ShellHelper {}

/// Runs one command line; returns the text to print, or `None` to exit.
pub fn execute(snap: &Snapshot, source: &str, ev: &Evaluator, line: &str) -> Option<String> {
    let words = match shlex::split(line) {
        Some(w) => w,
        None => return Some("error: unbalanced quotes\n".into()),
    };
    let Some(cmd) = words.first() else { return Some(String::new()) };
    let flag = |name: &str| words.iter().position(|w| w == name).and_then(|i| words.get(i + 1)).cloned();
    let positional: Vec<&String> = {
        let mut out = Vec::new();
        let mut skip = false;
        for w in words.iter().skip(1) {
            if skip {
                skip = false;
                continue;
            }
            if w.starts_with("--") {
                skip = true;
                continue;
            }
            out.push(w);
        }
        out
    };
    match cmd.as_str() {
        "exit" | "quit" => None,
        "help" => Some(format!("{HELP}\n")),
        "inspect" => Some(crate::inspect::render_text(&crate::inspect::build(snap, source))),
        "trace" => {
            let [from, to] = positional.as_slice() else {
                return Some("error: usage: trace SRC DST [--proto P] [--dport N]\n".into());
            };
            let spec = crate::trace::FlowSpec {
                from: from.to_string(),
                to: to.to_string(),
                proto: flag("--proto").unwrap_or_else(|| "tcp".into()),
                dport: flag("--dport").and_then(|d| d.parse().ok()),
                sport: flag("--sport").and_then(|d| d.parse().ok()),
                icmp_type: None,
                icmp_code: None,
                sni: flag("--sni"),
                http_host: flag("--http-host"),
                _expect: None,
                _blocked_by: None,
                _note: None,
            };
            Some(match crate::trace::run(ev, snap, &spec) {
                Ok(r) => crate::trace::render_text(&r),
                Err(e) => format!("error: {e}\n"),
            })
        }
        "why" => {
            let [src, dst] = positional.as_slice() else {
                return Some("error: usage: why SRC DST [--proto P] [--dport N|A-B]\n".into());
            };
            let s = match crate::explain::why::targets_of(snap, src) {
                Ok(t) => t,
                Err(e) => return Some(format!("{e}\n")),
            };
            let d = match crate::explain::why::targets_of(snap, dst) {
                Ok(t) => t,
                Err(e) => return Some(format!("{e}\n")),
            };
            let ports = match crate::explain::why::ports_of(flag("--proto").as_deref(), flag("--dport").as_deref()) {
                Ok(p) => p,
                Err(e) => return Some(format!("error: {e}\n")),
            };
            let q = crate::explain::WhyQuestion { src: s, dst: d, ports, sport: 50000, max_paths: 4, max_pairs: 8 };
            Some(crate::explain::why::render_text(&crate::explain::why(&snap.network, &snap.index, &q)))
        }
        "check" => {
            if positional.is_empty() {
                return Some("error: usage: check SPEC_FILE_OR_DIR...\n".into());
            }
            let paths: Vec<std::path::PathBuf> = positional.iter().map(|p| p.into()).collect();
            let set = match crate::spec::load::load_specs(&paths) {
                Ok(s) => s,
                Err(d) => return Some(d.render(false)),
            };
            let res = crate::spec::select::resolve_specs(&set, &snap.network, &snap.index);
            let inputs = crate::check::lower::lower(&snap.network, &set, &res);
            let report = crate::check::run::run(snap, source, &inputs, crate::check::run::default_settings(1, 30));
            Some(crate::check::render::text(&report, false))
        }
        other => {
            let known = ["why", "trace", "check", "inspect", "help", "exit", "quit"];
            let hint = crate::eval::endpoint::closest(other, known.iter().copied());
            Some(match hint.first() {
                Some(h) => format!("error: unknown command `{other}`; did you mean `{h}`? (type `help`)\n"),
                None => format!("error: unknown command `{other}` (type `help`)\n"),
            })
        }
    }
}

/// The interactive loop (a line editor on a terminal, plain lines otherwise).
pub fn run(snap: &Snapshot, source: &str) -> std::io::Result<()> {
    let ev = Evaluator::new(&snap.network, &snap.index);
    let stdout = std::io::stdout();
    if !std::io::stdin().is_terminal() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            match execute(snap, source, &ev, &line) {
                Some(out) => {
                    let mut o = stdout.lock();
                    o.write_all(out.as_bytes())?;
                    o.flush()?;
                }
                None => break,
            }
        }
        return Ok(());
    }
    let mut rl: Editor<ShellHelper, rustyline::history::FileHistory> =
        Editor::new().map_err(|e| std::io::Error::other(e.to_string()))?;
    rl.set_helper(Some(ShellHelper { names: completions(snap) }));
    let history = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".netprove_history"));
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    println!("netprove shell: snapshot `{}` loaded. Type `help`.", snap.network.meta.name);
    loop {
        match rl.readline("netprove> ") {
            Ok(line) => {
                let _ = rl.add_history_entry(line.as_str());
                match execute(snap, source, &ev, &line) {
                    Some(out) => print!("{out}"),
                    None => break,
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(std::io::Error::other(e.to_string())),
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    Ok(())
}
