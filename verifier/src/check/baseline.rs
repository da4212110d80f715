//! Comparing a check against a baseline: an earlier `netprove check --format
//! json` report (typically from the main branch). A pre-merge gate then fails
//! on *new* failures only, while still listing the known ones, what got fixed
//! and what was removed. Specs are matched by id.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::engine::Status;
use super::run::{Report, SCHEMA};

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{file}:{line}:{column}: not a netprove check JSON report: {message}")]
    Json { file: String, line: usize, column: usize, message: String },
    #[error("{file}: schema `{found}` is not `{SCHEMA}`: write the baseline with `netprove check --format json`")]
    Schema { file: String, found: String },
}

/// How a result relates to the baseline (SARIF `baselineState` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaselineState {
    /// Failing now; passing or absent in the baseline. This fails the gate.
    New,
    /// Failing now and in the baseline, with the same status.
    Unchanged,
    /// Failing now and in the baseline, with another status (say unknown, now violated).
    Updated,
    /// Passing now; failing in the baseline.
    Fixed,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Updated => "updated",
            BaselineState::Fixed => "fixed",
        }
    }
}

/// The comparison, as the report carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// The baseline file as given.
    pub file: String,
    pub new: Vec<String>,
    pub unchanged: Vec<String>,
    pub updated: Vec<String>,
    pub fixed: Vec<String>,
    /// Failing in the baseline, and no longer checked at all.
    pub removed: Vec<String>,
}

#[derive(Deserialize)]
struct Doc {
    schema: String,
    results: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    id: String,
    status: Status,
    passed: bool,
}

/// A parsed baseline: spec id → (status, passed).
#[derive(Debug, Clone)]
pub struct Baseline {
    file: String,
    entries: BTreeMap<String, (Status, bool)>,
}

impl Baseline {
    /// Reads a baseline from its text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Baseline, BaselineError> {
        let doc: Doc = serde_json::from_str(text).map_err(|e| BaselineError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if doc.schema != SCHEMA {
            return Err(BaselineError::Schema { file: file.to_string(), found: doc.schema });
        }
        let mut entries = BTreeMap::new();
        for e in doc.results {
            // The first result of an id wins, as in the SARIF rules.
            entries.entry(e.id).or_insert((e.status, e.passed));
        }
        Ok(Baseline { file: file.to_string(), entries })
    }
}

/// Marks every result of `report` against `base` and records the summary.
pub fn apply(report: &mut Report, base: &Baseline) {
    let mut sum = BaselineSummary { file: base.file.clone(), ..BaselineSummary::default() };
    let mut seen = BTreeSet::new();
    for r in &mut report.results {
        seen.insert(r.id.clone());
        let before = base.entries.get(&r.id);
        let state = match (r.passed, before) {
            (false, Some((status, false))) if *status == r.status => Some(BaselineState::Unchanged),
            (false, Some((_, false))) => Some(BaselineState::Updated),
            (false, _) => Some(BaselineState::New),
            (true, Some((_, false))) => Some(BaselineState::Fixed),
            (true, _) => None,
        };
        if let Some(s) = state {
            let list = match s {
                BaselineState::New => &mut sum.new,
                BaselineState::Unchanged => &mut sum.unchanged,
                BaselineState::Updated => &mut sum.updated,
                BaselineState::Fixed => &mut sum.fixed,
            };
            list.push(r.id.clone());
        }
        r.baseline_state = state;
    }
    sum.removed = base
        .entries
        .iter()
        .filter(|(id, (_, passed))| !passed && !seen.contains(*id))
        .map(|(id, _)| id.clone())
        .collect();
    report.summary.new_failures = Some(sum.new.len());
    report.baseline = Some(sum);
}
