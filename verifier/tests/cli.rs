//! End-to-end tests of the `netprove` binary.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;
use std::process::Command;

fn netprove() -> Command {
    Command::new(env!("CARGO_BIN_EXE_netprove"))
}

/// The CLI renders the same errors and exits with 2.
#[test]
fn cli_reports_errors_with_exit_code_2() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/broken/01-json-syntax");
    let out = netprove().arg("inspect").arg(&case).output().expect("run netprove");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("describe-vpcs.json:3:"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn inspect_demo_has_no_errors_and_is_deterministic() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/demo");
    let run = || netprove().arg("inspect").arg(&demo).arg("--format").arg("json").output().expect("run netprove");
    let a = run();
    let b = run();
    assert_eq!(a.status.code(), Some(0), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "two runs differ");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_eq!(v["schema"], "netprove.inspect/v1");
}

#[test]
fn embedded_demo_matches_the_directory() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/demo");
    let dir = netprove().arg("inspect").arg(&demo).arg("--format").arg("json").output().expect("run");
    let embedded = netprove().arg("inspect").arg("--format").arg("json").output().expect("run");
    let strip = |b: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(b).expect("json");
        v["snapshot"]["source"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&dir.stdout), strip(&embedded.stdout));
}

#[test]
fn output_file_is_written_atomically() {
    let dir = std::env::temp_dir().join(format!("netprove-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let out = dir.join("inspect.json");
    let st = netprove().args(["inspect", "--format", "json", "--output"]).arg(&out).status().expect("run");
    assert!(st.success());
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.contains("netprove.inspect/v1"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    let out = netprove().args(["inspect", "--format", "yaml"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = netprove().args(["frobnicate"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}
