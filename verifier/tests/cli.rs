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

#[test]
fn trace_suggests_close_names() {
    let out = netprove()
        .args([
            "trace",
            "--from",
            "pod:prod-east/tenant-a/chekout-6c9d5d7f4b-x",
            "--to",
            "10.30.1.10",
            "--dport",
            "5432",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown pod") && err.contains("did you mean"), "{err}");
    assert!(err.contains("pod:prod-east/tenant-a/checkout-"), "{err}");

    let out = netprove()
        .args(["trace", "--from", "eni-0f940bf13101bdf9", "--to", "8.8.8.8", "--dport", "443"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("eni-0f940bf13101bdf96"), "{err}");

    let out = netprove()
        .args(["trace", "--from", "pod:prod-esat/x/y", "--to", "8.8.8.8", "--dport", "443"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`prod-east`"));

    let out = netprove()
        .args(["trace", "--from", "10.10.47.71", "--to", "8.8.8.8", "--proto", "tcpx", "--dport", "1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown protocol"));
}

#[test]
fn trace_flows_file_keeps_input_order_and_names_bad_lines() {
    let dir = std::env::temp_dir().join(format!("netprove-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let good = dir.join("good.jsonl");
    std::fs::write(
        &good,
        "{\"from\": \"10.10.47.71\", \"to\": \"10.30.1.10\", \"proto\": \"tcp\", \"dport\": 5432}\n\
         {\"from\": \"203.0.113.7\", \"to\": \"10.30.1.10\", \"proto\": \"tcp\", \"dport\": 5432}\n",
    )
    .expect("write");
    let out = netprove().args(["trace", "--format", "json", "--flows"]).arg(&good).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let arr = v.as_array().expect("array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["from"], "10.10.47.71");
    assert_eq!(arr[1]["from"], "203.0.113.7");
    assert_eq!(arr[1]["verdict"], "denied");

    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"from\": \"10.10.47.71\", \"to\": \"10.30.1.10\", \"dport\": 5432}\n{\"from\": 1}\n")
        .expect("write");
    let out = netprove().args(["trace", "--format", "json", "--flows"]).arg(&bad).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.jsonl:2:"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_demo_refutes_the_planted_misconfiguration_deterministically() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let run = || {
        netprove()
            .arg("check")
            .arg(root.join("snapshots/demo"))
            .arg(root.join("specs/demo"))
            .args(["--format", "json"])
            .output()
            .expect("run")
    };
    let a = run();
    let b = run();
    assert_eq!(a.status.code(), Some(1), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "two runs differ");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_eq!(v["schema"], "netprove.check/v1");
    let results = v["results"].as_array().expect("results");
    assert!(results.len() >= 12);
    let failing: Vec<&str> =
        results.iter().filter(|r| r["passed"] == false).map(|r| r["id"].as_str().unwrap_or("")).collect();
    assert_eq!(failing, ["orders-db-only-checkout", "tenant-b-no-orders-db", "tenant-isolation"]);
    for r in results.iter().filter(|r| r["passed"] == false) {
        let w = &r["witnesses"][0];
        assert_eq!(w["verdict"], "allowed");
        assert!(w["from"].as_str().unwrap_or("").contains("tenant-b"), "{w}");
    }
    assert!(results.iter().all(|r| r["status"] != "unknown" && r["status"] != "error"));
}

#[test]
fn check_exit_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("netprove-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let good = dir.join("good.nps");
    std::fs::write(
        &good,
        "spec db-private {\n  title = \"orders-db is private\"\n  severity = high\n  never internet -> enis(id: eni-0f940bf13101bdf96) on any\n}\n",
    )
    .expect("write");
    let out = netprove().arg("check").arg(root.join("snapshots/demo")).arg(&good).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let bad = dir.join("bad.nps");
    std::fs::write(
        &bad,
        "spec x {\n  title = \"t\"\n  severity = extreme\n  never internet -> pods() on tcp/70000\n}\n",
    )
    .expect("write");
    let out = netprove().arg("check").arg(root.join("snapshots/demo")).arg(&bad).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.nps"), "{err}");
    assert!(err.contains("70000") || err.contains("port"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check`'s terminal output: coloured on a TTY (a pty from util-linux
/// `script`), plain through a pipe or with `NO_COLOR`; the summary line is
/// last; `--quiet` prints the failing specs only.
#[test]
fn check_text_is_coloured_only_on_a_terminal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let exe = env!("CARGO_BIN_EXE_netprove");
    let args = format!("{exe} check {} {}", root.join("snapshots/demo").display(), root.join("specs/demo").display());
    let tty = |env_no_color: bool| {
        let mut c = Command::new("script");
        c.args(["-qfec", &args, "/dev/null"]).stdin(std::process::Stdio::null());
        if env_no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let out = c.output().expect("script (util-linux) runs check on a pty");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = tty(false);
    assert!(coloured.contains("\x1b[1;31mVIOLATED\x1b[0m"), "no colour on a terminal:\n{coloured}");
    assert!(coloured.contains("\x1b[32mPROVEN"), "{coloured}");
    let plain_tty = tty(true);
    assert!(!plain_tty.contains('\x1b'), "NO_COLOR is ignored:\n{plain_tty}");

    let piped =
        netprove().arg("check").arg(root.join("snapshots/demo")).arg(root.join("specs/demo")).output().expect("run");
    let text = String::from_utf8_lossy(&piped.stdout);
    assert!(!text.contains('\x1b'), "colour in a pipe:\n{text}");
    let last = text.lines().last().unwrap_or("");
    assert_eq!(last, "18 specs: 14 proven, 4 violated (1 expected), 0 unknown, 0 error; FAIL (3 failing)");
    assert!(text.contains("PROVEN   orders-db-not-from-internet"), "{text}");

    let quiet = netprove()
        .arg("check")
        .arg(root.join("snapshots/demo"))
        .arg(root.join("specs/demo"))
        .arg("--quiet")
        .output()
        .expect("run");
    let q = String::from_utf8_lossy(&quiet.stdout);
    let heads: Vec<&str> = q.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(heads.len(), 4, "quiet prints the 3 failing specs and the summary:\n{q}");
    assert!(heads[..3].iter().all(|l| l.starts_with("VIOLATED")), "{q}");
    assert_eq!(quiet.status.code(), Some(1));
}

/// `--format`/`--output` pairs: the i-th output takes the i-th format, one
/// format may go to standard output, and every misuse exits 2 naming it.
#[test]
fn check_writes_several_formats_in_one_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = tempfile::tempdir().expect("tempdir");
    let (json, sarif, html) = (tmp.path().join("r.json"), tmp.path().join("r.sarif"), tmp.path().join("r.html"));
    let out = netprove()
        .arg("check")
        .arg(root.join("snapshots/demo"))
        .arg(root.join("specs/demo"))
        .args(["--format", "json", "--output"])
        .arg(&json)
        .args(["--format", "sarif", "--output"])
        .arg(&sarif)
        .args(["--format", "html", "--output"])
        .arg(&html)
        .args(["--format", "text"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("FAIL (3 failing)\n"), "text goes to stdout:\n{text}");
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).expect("json")).expect("json parses");
    assert_eq!(j["schema"], "netprove.check/v1");
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).expect("sarif")).expect("sarif parses");
    assert_eq!(s["version"], "2.1.0");
    assert!(std::fs::read_to_string(&html).expect("html").starts_with("<!DOCTYPE html>"));

    let misuse = |args: &[&str], needle: &str| {
        let out = netprove()
            .current_dir(tmp.path())
            .arg("check")
            .arg(root.join("snapshots/demo"))
            .arg(root.join("specs/demo"))
            .args(args)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed a report");
    };
    misuse(&["--format", "json", "--format", "sarif"], "2 formats would go to standard output");
    misuse(&["--format", "json", "--output", "a", "--output", "b"], "each --output needs its own --format");
    misuse(
        &["--format", "json", "--output", "a", "--format", "sarif", "--output", "a"],
        "`a` is given as --output twice",
    );
    assert!(!tmp.path().join("a").exists(), "nothing written on a usage error");

    let out =
        netprove().args(["trace", "--from", "10.0.0.1", "--to", "10.0.0.2", "--format", "html"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("supported by `netprove check` only"));
}
