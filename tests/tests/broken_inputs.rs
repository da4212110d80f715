//! The broken-input corpus: every `data/broken/<case>/` is a snapshot with a
//! defect. Loading it must fail (never panic) with an error that contains
//! every line of the case's `expect.txt`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use netprove_models::ingest::{load_snapshot, DirSource};

fn check(case: &Path) -> Result<(), String> {
    let expect = std::fs::read_to_string(case.join("expect.txt")).map_err(|e| format!("expect.txt: {e}"))?;
    let result = catch_unwind(AssertUnwindSafe(|| load_snapshot(&DirSource::new(case))))
        .map_err(|_| "loader panicked".to_string())?;
    let message = match result {
        Ok(_) => return Err("loaded without error".into()),
        Err(e) => e.to_string(),
    };
    for want in expect.lines().filter(|l| !l.trim().is_empty()) {
        if !message.contains(want) {
            return Err(format!("message lacks `{want}`:\n{message}"));
        }
    }
    Ok(())
}

#[test]
fn broken_input_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    cases.sort();
    assert!(cases.len() >= 25, "the corpus has {} cases, fewer than 25", cases.len());
    let failures: Vec<String> =
        cases.iter().filter_map(|c| check(c).err().map(|e| format!("{}: {e}", c.display()))).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
