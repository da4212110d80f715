//! Renderers of a check [`Report`]: plain text and the stable JSON
//! (`netprove.check/v1`, docs/check.md).

use std::fmt::Write as _;

use super::engine::Status;
use super::run::Report;

pub fn json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

pub fn text(r: &Report, quiet: bool) -> String {
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
        let _ = writeln!(o, "{mark} {} [{}] {}", res.id, res.severity, res.title);
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
    let s = &r.summary;
    let _ = writeln!(
        o,
        "{} specs: {} proven, {} violated ({} expected), {} unknown, {} error; {}",
        s.specs,
        s.proven,
        s.violated,
        s.expected_violations,
        s.unknown,
        s.error,
        if s.failed == 0 { "PASS".to_string() } else { format!("FAIL ({} failing)", s.failed) }
    );
    o
}
