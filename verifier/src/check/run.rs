//! Checking a set of specs against one snapshot, in parallel, and the
//! finding model every renderer (text, JSON, SARIF, HTML) reads.

use std::time::Duration;

use netprove_models::Snapshot;
use rayon::prelude::*;
use serde::Serialize;

use super::baseline::{BaselineState, BaselineSummary};
use super::classes::Atoms;
use netprove_models::model::Warning;

use super::engine::{Checker, Kind, Outcome, Property, Settings, Stats, Status};
use super::resources::{referenced, Referenced};
use crate::eval::TraceResult;

/// One spec, lowered to engine properties (several for `for each`).
#[derive(Debug, Clone)]
pub struct SpecInput {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub rationale: Option<String>,
    pub tags: Vec<String>,
    pub expect_violated: bool,
    /// Spec file and 1-based line of the spec.
    pub file: String,
    pub line: usize,
    /// The property as spec-language text (canonical layout).
    pub statement: String,
    /// `(instance label, property)`; the label names the `for each` binding.
    pub instances: Vec<(String, Property)>,
    /// A selector matched nothing: the spec must not look proven.
    pub vacuous: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpecResult {
    pub id: String,
    pub title: String,
    pub severity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    pub tags: Vec<String>,
    pub file: String,
    pub line: usize,
    /// The property as spec-language text (canonical layout).
    pub statement: String,
    pub status: Status,
    /// `expect = violated` was given.
    pub expected_violation: bool,
    /// Whether this result passes the gate (proven, or violated and expected).
    pub passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The `for each` instance the witnesses belong to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// What the verdict means for this spec, in a sentence or two.
    pub explanation: String,
    /// Against `--baseline`: `new`, `unchanged`, `updated` (failing results) or `fixed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<BaselineState>,
    pub witnesses: Vec<TraceResult>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub specs: usize,
    pub proven: usize,
    pub violated: usize,
    pub unknown: usize,
    pub error: usize,
    pub expected_violations: usize,
    pub failed: usize,
    /// With `--baseline`: failing results that were not failing in it (the gate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_failures: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotInfo {
    pub name: String,
    pub source: String,
    /// `captured_at` from `snapshot.toml` (RFC 3339), when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    pub accounts: Vec<String>,
    /// `account/region` pairs that hold resources, sorted.
    pub regions: Vec<String>,
    pub clusters: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: ToolInfo,
    pub snapshot: SnapshotInfo,
    pub results: Vec<SpecResult>,
    pub summary: Summary,
    /// The snapshot's warnings (unsupported features, dangling references,
    /// approximations made while ingesting), in the snapshot's order.
    pub warnings: Vec<Warning>,
    /// Resources and rule descriptions the witnesses reference.
    #[serde(flatten)]
    pub referenced: Referenced,
    /// The comparison with `--baseline`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

pub const SCHEMA: &str = "netprove.check/v1";

fn combine(spec: &SpecInput, outcomes: Vec<(String, Outcome)>) -> SpecResult {
    // The worst instance decides: error, then violated, then unknown, then proven.
    let rank = |s: Status| match s {
        Status::Error => 0,
        Status::Violated => 1,
        Status::Unknown => 2,
        Status::Proven => 3,
    };
    let mut stats = Stats::default();
    for (_, o) in &outcomes {
        stats.source_classes += o.stats.source_classes;
        stats.destination_classes += o.stats.destination_classes;
        stats.class_pairs += o.stats.class_pairs;
        stats.paths += o.stats.paths;
        stats.solver_calls += o.stats.solver_calls;
    }
    let worst = outcomes.into_iter().min_by_key(|(_, o)| rank(o.status));
    let (instance, mut status, mut reason, witnesses) = match worst {
        Some((label, o)) => ((!label.is_empty()).then_some(label), o.status, o.reason, o.witnesses),
        None => (None, Status::Proven, None, Vec::new()),
    };
    if status == Status::Proven {
        if let Some(v) = &spec.vacuous {
            status = Status::Unknown;
            reason = Some(format!("vacuous: {v}"));
        }
    }
    let passed = match status {
        Status::Proven => true,
        Status::Violated => spec.expect_violated,
        Status::Unknown | Status::Error => false,
    };
    if status == Status::Proven && spec.expect_violated {
        reason = Some("expected to be violated, but it holds: the exception can be removed".into());
    }
    let explanation = explain(spec, status, &stats);
    SpecResult {
        id: spec.id.clone(),
        title: spec.title.clone(),
        severity: spec.severity.clone(),
        rationale: spec.rationale.clone(),
        tags: spec.tags.clone(),
        file: spec.file.clone(),
        line: spec.line,
        statement: spec.statement.clone(),
        status,
        expected_violation: spec.expect_violated,
        passed,
        reason,
        instance,
        explanation,
        baseline_state: None,
        witnesses,
        stats,
    }
}

/// One or two sentences on what the verdict means: the claim, and how it was
/// established (a proof over every packet, or a replayed witness).
fn explain(spec: &SpecInput, status: Status, stats: &Stats) -> String {
    let kind = spec.instances.first().map(|(_, p)| &p.kind);
    let n = spec.instances.len();
    let each = if n > 1 { format!(" in each of its {n} `for each` instances") } else { String::new() };
    let scope = format!(
        "{} source and {} destination address classes, {} class pairs, {} paths, {} solver calls",
        stats.source_classes, stats.destination_classes, stats.class_pairs, stats.paths, stats.solver_calls
    );
    match (status, kind) {
        (Status::Proven, Some(Kind::Never)) => format!(
            "Proven{each}: no packet from the sources opens a connection to the destinations on these ports; \
             for every header the request or its reply is dropped. The solver found no counterexample over {scope}."
        ),
        (Status::Proven, Some(Kind::Always)) => format!(
            "Proven{each}: every source opens a connection to every destination on every port in scope, \
             request delivered and reply returned. The solver found no dropped packet over {scope}."
        ),
        (Status::Proven, Some(Kind::Only { .. })) => format!(
            "Proven{each}: every connection from the sources to the destinations that is allowed at all \
             passes the waypoint. The solver found no bypass over {scope}."
        ),
        (Status::Proven, None) => "Proven: the spec has no instance to check.".into(),
        (Status::Violated, k) => {
            let what = match k {
                Some(Kind::Always) => "a packet in scope that is dropped",
                Some(Kind::Only { .. }) => "an allowed connection that bypasses the waypoint",
                _ => "a connection that is allowed",
            };
            let tail = if spec.expect_violated {
                " The violation is expected (`expect = violated`), so it passes the gate."
            } else {
                ""
            };
            format!(
                "Refuted: the witness is {what}, found by the solver and replayed hop by hop through the \
                 concrete evaluator; each hop names the rule that decided it.{tail}"
            )
        }
        (Status::Unknown, _) => "Unknown: the model could not decide this spec (see the reason); \
             it does not pass the gate."
            .into(),
        (Status::Error, _) => "Error: checking failed (see the reason); it does not pass the gate.".into(),
    }
}

/// Checks every spec; results are in input order whatever the parallelism.
pub fn run(snap: &Snapshot, source: &str, specs: &[SpecInput], settings: Settings) -> Report {
    let atoms = Atoms::build(&snap.network, &snap.index);
    // One unit of work per (spec, instance), spread over all cores; each
    // worker thread owns its checker (z3 contexts are thread-local).
    let work: Vec<(usize, usize)> =
        specs.iter().enumerate().flat_map(|(i, s)| (0..s.instances.len()).map(move |j| (i, j))).collect();
    let outcomes: Vec<((usize, usize), Outcome)> = work
        .par_iter()
        .map_init(
            || Checker::new(&snap.network, &snap.index, &atoms),
            |ck, &(i, j)| ((i, j), ck.check(&specs[i].instances[j].1, &settings)),
        )
        .collect();
    let mut per_spec: Vec<Vec<(String, Outcome)>> = specs.iter().map(|_| Vec::new()).collect();
    for ((i, j), o) in outcomes {
        per_spec[i].push((specs[i].instances[j].0.clone(), o));
    }
    let results: Vec<SpecResult> = specs.iter().zip(per_spec).map(|(s, o)| combine(s, o)).collect();
    let mut summary = Summary { specs: results.len(), ..Summary::default() };
    for r in &results {
        match r.status {
            Status::Proven => summary.proven += 1,
            Status::Violated => summary.violated += 1,
            Status::Unknown => summary.unknown += 1,
            Status::Error => summary.error += 1,
        }
        if r.status == Status::Violated && r.expected_violation {
            summary.expected_violations += 1;
        }
        if !r.passed {
            summary.failed += 1;
        }
    }
    let mut accounts: Vec<String> = snap
        .network
        .vpcs
        .values()
        .map(|v| v.scope.account.clone())
        .chain(snap.network.enis.values().map(|e| e.scope.account.clone()))
        .filter(|a| !a.is_empty())
        .collect();
    accounts.sort();
    accounts.dedup();
    Report {
        schema: SCHEMA,
        tool: ToolInfo { name: "netprove", version: env!("CARGO_PKG_VERSION") },
        snapshot: SnapshotInfo {
            name: snap.network.meta.name.clone(),
            source: source.to_string(),
            captured_at: snap.network.meta.captured_at.clone(),
            accounts,
            regions: regions(&snap.network),
            clusters: snap.network.clusters.keys().cloned().collect(),
        },
        referenced: referenced(&snap.network, results.iter().flat_map(|r| &r.witnesses)),
        results,
        summary,
        warnings: snap.warnings.clone(),
        baseline: None,
    }
}

/// `account/region` of every VPC, ENI, transit gateway and firewall, sorted.
fn regions(net: &netprove_models::model::Network) -> Vec<String> {
    let scopes = net
        .vpcs
        .values()
        .map(|v| &v.scope)
        .chain(net.enis.values().map(|e| &e.scope))
        .chain(net.transit_gateways.values().map(|t| &t.scope))
        .chain(net.firewalls.values().map(|f| &f.scope));
    let set: std::collections::BTreeSet<String> = scopes
        .filter(|s| !s.account.is_empty() || !s.region.is_empty())
        .map(|s| format!("{}/{}", s.account, s.region))
        .collect();
    set.into_iter().collect()
}

/// 0: everything passed; 1: a violation (not expected), an unknown or an error.
/// With a baseline, only new failures fail: 1 iff `new_failures > 0`.
pub fn exit_code(r: &Report) -> u8 {
    if let Some(n) = r.summary.new_failures {
        return u8::from(n > 0);
    }
    if r.summary.failed == 0 {
        0
    } else {
        1
    }
}

pub fn default_settings(witnesses: usize, timeout_secs: u64) -> Settings {
    Settings { witnesses: witnesses.max(1), timeout: Duration::from_secs(timeout_secs.max(1)) }
}
