//! Report pieces shared by the renderer tests (`html.rs`, `sarif.rs`).

#![allow(dead_code, reason = "each test binary uses part of it")]

use netprove::check::engine::{Stats, Status};
use netprove::check::run::SpecResult;
use netprove::eval::{Hop, TraceResult};

pub fn hop(node: &str, kind: &'static str, decision: &'static str, rule: Option<&str>, loc: Option<&str>) -> Hop {
    Hop {
        node: node.into(),
        kind,
        decision,
        rule: rule.map(Into::into),
        location: loc.map(Into::into),
        detail: format!("{decision} by {node}"),
    }
}

pub fn spec(id: &str, severity: &str, status: Status, expected: bool, witnesses: Vec<TraceResult>) -> SpecResult {
    SpecResult {
        id: id.into(),
        title: format!("Title of {id}"),
        severity: severity.into(),
        rationale: (severity != "low").then(|| format!("Why {id} matters.")),
        tags: vec!["pci".into(), "tenancy".into()],
        file: "specs/x.nps".into(),
        line: 3,
        statement: format!("never pods(app: {id}) -> rds(orders) on tcp/5432"),
        status,
        expected_violation: expected,
        passed: matches!(status, Status::Proven) || (status == Status::Violated && expected),
        reason: (status == Status::Unknown).then(|| "vacuous: `pods(app: nope)` matches nothing".into()),
        instance: None,
        explanation: format!("Explanation of {id}: {status:?}."),
        baseline_state: None,
        witnesses,
        stats: Stats::default(),
    }
}
