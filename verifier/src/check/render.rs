//! Renderers of a check [`Report`]: plain text and the stable JSON
//! (`netprove.check/v1`, docs/check.md).

use std::fmt::Write as _;

use super::baseline::BaselineState;
use super::engine::Status;
use super::run::Report;

pub fn json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

pub fn text(r: &Report, quiet: bool) -> String {
    text_styled(r, quiet, false)
}

/// ANSI colours for a terminal: green proven, red violated, yellow unknown.
fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The terminal renderer: concise, coloured when `color` (a TTY), plain
/// otherwise; a summary line at the end; `quiet` prints only failures.
pub fn text_styled(r: &Report, quiet: bool, color: bool) -> String {
    let mut o = String::new();
    for res in &r.results {
        if quiet && res.passed {
            continue;
        }
        let mark = match (res.status, res.passed) {
            (Status::Proven, _) => "PROVEN  ",
            (Status::Violated, true) => "EXPECTED",
            (Status::Violated, false) => "VIOLATED",
            (Status::Unknown, _) => "UNKNOWN ",
            (Status::Error, _) => "ERROR   ",
        };
        let code = match (res.status, res.passed) {
            (Status::Proven, _) => "32",
            (Status::Violated, true) => "2",
            (Status::Violated, false) => "1;31",
            (Status::Unknown, _) => "33",
            (Status::Error, _) => "1;35",
        };
        let state = match res.baseline_state {
            Some(b @ BaselineState::New) => format!(" {}", paint(&format!("({})", b.as_str()), "1;31", color)),
            Some(b) => format!(" ({})", b.as_str()),
            None => String::new(),
        };
        let _ = writeln!(o, "{} {} [{}] {}{state}", paint(mark, code, color), res.id, res.severity, res.title);
        let _ = writeln!(o, "         at {}:{}", res.file, res.line);
        if let Some(i) = &res.instance {
            let _ = writeln!(o, "         for {i}");
        }
        if let Some(reason) = &res.reason {
            let _ = writeln!(o, "         {reason}");
        }
        for w in &res.witnesses {
            let f = &w.flow;
            let ports = match (f.sport, f.dport) {
                (Some(s), Some(d)) => format!(" {s} -> {d}"),
                _ => f.icmp_type.map(|t| format!(" type {t}")).unwrap_or_default(),
            };
            let _ = writeln!(
                o,
                "         witness: {} -> {}: {} {} -> {}{ports} is {}",
                w.from,
                w.to,
                f.proto,
                f.src_ip,
                f.dst_ip,
                w.verdict.as_str()
            );
            for h in w.forward.iter().filter(|h| h.rule.is_some() || h.decision == "deny") {
                let _ = writeln!(
                    o,
                    "           {:<8} {:<15} {}{}",
                    h.decision,
                    h.kind,
                    h.rule.as_deref().unwrap_or(&h.node),
                    h.location.as_deref().map(|l| format!("  ({l})")).unwrap_or_default()
                );
            }
            if let Some(reason) = &w.reason {
                let _ = writeln!(o, "           reason: {reason}");
            }
        }
    }
    if !quiet && !r.warnings.is_empty() {
        let n = r.warnings.len();
        let _ = writeln!(
            o,
            "{} the snapshot has {n} warning{} (unmodelled or suspicious input): `netprove inspect` lists them",
            paint("note:", "36", color),
            if n == 1 { "" } else { "s" }
        );
    }
    if let Some(b) = &r.baseline {
        let removed = if b.removed.is_empty() { String::new() } else { format!(" ({})", b.removed.join(", ")) };
        let _ = writeln!(
            o,
            "baseline {}: {} new, {} unchanged, {} updated, {} fixed, {} removed{removed}; only new failures fail",
            b.file,
            b.new.len(),
            b.unchanged.len(),
            b.updated.len(),
            b.fixed.len(),
            b.removed.len()
        );
    }
    let s = &r.summary;
    let verdict = match s.new_failures {
        Some(0) if s.failed > 0 => paint(&format!("PASS ({} known failing)", s.failed), "1;32", color),
        Some(n) if n > 0 => paint(&format!("FAIL ({n} new failing)"), "1;31", color),
        _ if s.failed == 0 => paint("PASS", "1;32", color),
        _ => paint(&format!("FAIL ({} failing)", s.failed), "1;31", color),
    };
    let _ = writeln!(
        o,
        "{} specs: {} proven, {} violated ({} expected), {} unknown, {} error; {verdict}",
        s.specs, s.proven, s.violated, s.expected_violations, s.unknown, s.error,
    );
    o
}
