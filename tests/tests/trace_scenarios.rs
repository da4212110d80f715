//! Data-driven trace scenarios: every `data/trace/<case>/` is a tiny snapshot
//! plus `flows.jsonl`, each flow carrying the verdict the AWS and Kubernetes
//! documentation give (`expect`) and optionally the resource that must be
//! named as the blocker (`blocked_by`). The expectations were written from the
//! documentation, not from netprove's output.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;

use netprove::eval::{Evaluator, TraceResult};
use netprove::trace::FlowSpec;
use netprove_models::ingest::{load_snapshot, DirSource};

fn names_blocker(r: &TraceResult, id: &str) -> bool {
    if r.blocked_by.as_deref().is_some_and(|b| b.contains(id)) || r.reason.as_deref().is_some_and(|b| b.contains(id)) {
        return true;
    }
    r.forward.iter().chain(&r.reply).any(|h| {
        h.decision == "deny"
            && (h.node.contains(id) || h.rule.as_deref().is_some_and(|x| x.contains(id)) || h.detail.contains(id))
    }) || r.backends.iter().any(|b| names_blocker(b, id))
}

/// Checks every flow of `dir/flows.jsonl`; returns (flows, failures).
fn check_dir(dir: &Path, name: &str, failures: &mut Vec<String>) -> usize {
    let snap = match load_snapshot(&DirSource::new(dir)) {
        Ok(s) => s,
        Err(e) => {
            failures.push(format!("{name}: snapshot does not load:\n{e}"));
            return 0;
        }
    };
    let ev = Evaluator::new(&snap.network, &snap.index);
    let text = std::fs::read_to_string(dir.join("flows.jsonl")).expect("flows.jsonl");
    let mut flows = 0;
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        flows += 1;
        let v: serde_json::Value = serde_json::from_str(line).expect("flow json");
        let spec: FlowSpec = serde_json::from_value(v.clone()).expect("flow spec");
        let expect = v["expect"].as_str().unwrap_or("?");
        let r = match netprove::trace::run(&ev, &snap, &spec) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}:{}: {e}", i + 1));
                continue;
            }
        };
        let got = r.verdict.as_str();
        let mut bad = got != expect;
        if !bad && got == "denied" {
            if let Some(b) = v["blocked_by"].as_str() {
                bad = !names_blocker(&r, b);
            }
        }
        if bad {
            failures.push(format!(
                "{name}:{} {} -> {} {}: expected {expect}{}, got {got}: {}\n    note: {}",
                i + 1,
                spec.from,
                spec.to,
                spec.dport.map(|p| p.to_string()).unwrap_or_default(),
                v["blocked_by"].as_str().map(|b| format!(" by {b}")).unwrap_or_default(),
                r.reason.clone().unwrap_or_default(),
                v["note"].as_str().unwrap_or("")
            ));
        }
    }
    flows
}

/// The flows documented in README.md (snapshots/demo/flows.jsonl).
#[test]
fn demo_flows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/demo");
    let mut failures = Vec::new();
    let n = check_dir(&dir, "demo", &mut failures);
    assert!(n >= 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn trace_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trace");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("flows.jsonl").exists()).collect())
        .unwrap_or_default();
    dirs.sort();
    let mut failures = Vec::new();
    let mut flows = 0;
    for dir in &dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        flows += check_dir(dir, &name, &mut failures);
    }
    eprintln!("{} scenarios, {flows} flows", dirs.len());
    assert!(dirs.len() >= 60, "only {} scenarios", dirs.len());
    assert!(failures.is_empty(), "{} of {flows} flows disagree:\n{}", failures.len(), failures.join("\n"));
}

/// In the scenarios about policy kinds netprove does not model (086-089),
/// every `unknown` verdict names such a policy with its file and line, in the
/// reason and on an `unknown` network-policy hop.
#[test]
fn unmodelled_policy_verdicts_name_the_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trace");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains("-unmodelled-")))
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 4, "{dirs:?}");
    let mut unknown = 0;
    for dir in &dirs {
        let snap = load_snapshot(&DirSource::new(dir)).expect("loads");
        let policies: Vec<(String, String)> = snap
            .network
            .clusters
            .values()
            .flat_map(|c| c.unmodelled_policies.iter().map(|u| (u.label(), u.prov.location())))
            .collect();
        assert!(!policies.is_empty(), "{}: no unmodelled policy recorded", dir.display());
        let ev = Evaluator::new(&snap.network, &snap.index);
        let text = std::fs::read_to_string(dir.join("flows.jsonl")).expect("flows");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let spec: FlowSpec = serde_json::from_str(line).expect("flow");
            let r = netprove::trace::run(&ev, &snap, &spec).expect("trace");
            if r.verdict != netprove::eval::Verdict::Unknown {
                continue;
            }
            unknown += 1;
            let reason = r.reason.clone().unwrap_or_default();
            assert!(
                policies.iter().any(|(label, at)| reason.contains(&format!("{label} ({at})"))),
                "{}: {} -> {}: reason names no unmodelled policy: {reason}",
                dir.display(),
                spec.from,
                spec.to
            );
            assert!(
                r.forward.iter().any(|h| h.kind == "network-policy"
                    && h.decision == "unknown"
                    && policies.iter().any(
                        |(label, at)| h.node.contains(label.as_str()) && h.location.as_deref() == Some(at.as_str())
                    )),
                "{}: no unknown network-policy hop naming the policy: {:?}",
                dir.display(),
                r.forward
            );
        }
    }
    assert!(unknown >= 6, "{unknown} unknown flows");
}
