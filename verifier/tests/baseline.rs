//! `netprove check --baseline`: the pre-merge gate fails on new failures only.
//! The baseline is an earlier `--format json` report of the demo, edited to
//! play the main branch: one spec passed there (so it is new now), one spec
//! failed there (so it is fixed now), one failing spec no longer exists.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(extra: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netprove"))
        .current_dir(cwd)
        .arg("check")
        .arg(root().join("snapshots/demo"))
        .arg(root().join("specs/demo"))
        .args(extra)
        .output()
        .expect("run netprove")
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema json");
    jsonschema::draft4::new(&schema).expect("compile the SARIF schema")
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("id")).collect()
}

#[test]
fn same_failures_as_the_baseline_pass_the_gate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path().join("base.json");
    let first = check(&["--format", "json", "--output", base.to_str().expect("utf-8")], tmp.path());
    assert_eq!(first.status.code(), Some(1), "the demo fails without a baseline");

    let out = check(&["--baseline", "base.json"], tmp.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("baseline base.json: 0 new, 3 unchanged, 0 updated, 0 fixed, 0 removed"), "{text}");
    assert!(text.ends_with("PASS (3 known failing)\n"), "{text}");
    assert!(
        text.contains(
            "VIOLATED tenant-isolation [critical] Tenants are isolated, within and across clusters (unchanged)"
        ),
        "{text}"
    );
}

#[test]
fn new_fixed_and_removed_specs_against_an_edited_baseline() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path().join("base.json");
    check(&["--format", "json", "--output", base.to_str().expect("utf-8")], tmp.path());
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&base).expect("read")).expect("json");
    let results = doc["results"].as_array_mut().expect("results");
    for r in results.iter_mut() {
        match r["id"].as_str().expect("id") {
            // Passed on main: failing now is new.
            "tenant-isolation" => {
                r["status"] = "proven".into();
                r["passed"] = true.into();
            }
            // Failed on main (unknown then): failing now as violated is updated.
            "tenant-b-no-orders-db" => r["status"] = "unknown".into(),
            // Failed on main: proven now is fixed.
            "checkout-reaches-orders-db" => {
                r["status"] = "violated".into();
                r["passed"] = false.into();
            }
            _ => {}
        }
    }
    results.push(serde_json::json!({"id": "retired-spec", "status": "violated", "passed": false, "extra": 1}));
    std::fs::write(&base, serde_json::to_string(&doc).expect("json")).expect("write");

    let (json, sarif) = (tmp.path().join("r.json"), tmp.path().join("r.sarif"));
    let out = check(
        &[
            "--baseline",
            "base.json",
            "--format",
            "json",
            "--output",
            json.to_str().expect("utf-8"),
            "--format",
            "sarif",
            "--output",
            sarif.to_str().expect("utf-8"),
            "--format",
            "text",
        ],
        tmp.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "a new failure fails the gate:\n{text}");
    assert!(text.ends_with("FAIL (1 new failing)\n"), "{text}");
    assert!(
        text.contains("baseline base.json: 1 new, 1 unchanged, 1 updated, 1 fixed, 1 removed (retired-spec)"),
        "{text}"
    );

    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    let b = &report["baseline"];
    assert_eq!(ids(&b["new"]), ["tenant-isolation"]);
    assert_eq!(ids(&b["unchanged"]), ["orders-db-only-checkout"]);
    assert_eq!(ids(&b["updated"]), ["tenant-b-no-orders-db"]);
    assert_eq!(ids(&b["fixed"]), ["checkout-reaches-orders-db"]);
    assert_eq!(ids(&b["removed"]), ["retired-spec"]);
    assert_eq!(report["summary"]["new_failures"], 1);
    let state = |id: &str| {
        report["results"].as_array().expect("results").iter().find(|r| r["id"] == id).expect("result")["baseline_state"]
            .clone()
    };
    assert_eq!(state("tenant-isolation"), "new");
    assert_eq!(state("checkout-reaches-orders-db"), "fixed");
    assert_eq!(state("orders-db-not-from-internet"), Value::Null, "passing in both: no state");

    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("sarif json");
    let errors: Vec<String> = sarif_validator().iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let states: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| Some((r["ruleId"].as_str()?.to_string(), r["baselineState"].as_str()?.to_string())))
        .collect();
    assert!(states.contains(&("tenant-isolation".into(), "new".into())), "{states:?}");
    assert!(states.contains(&("orders-db-only-checkout".into(), "unchanged".into())), "{states:?}");
    assert!(states.contains(&("tenant-b-no-orders-db".into(), "updated".into())), "{states:?}");
}

#[test]
fn a_bad_baseline_is_a_usage_error_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("bad.json"),
        "{\n  \"schema\": \"netprove.check/v1\",\n  \"results\": [ oops ]\n}\n",
    )
    .expect("write");
    let out = check(&["--baseline", "bad.json"], tmp.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(out.stdout.is_empty());

    std::fs::write(tmp.path().join("inspect.json"), "{\"schema\": \"netprove.inspect/v1\", \"results\": []}")
        .expect("write");
    let out = check(&["--baseline", "inspect.json"], tmp.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("inspect.json: schema `netprove.inspect/v1`"), "{err}");

    let out = check(&["--baseline", "missing.json"], tmp.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("cannot read baseline `missing.json`"), "{err}");
}
