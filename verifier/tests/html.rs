//! `netprove check --format html`: a reviewed snapshot of a small report,
//! byte-identical renders, escaping of every snapshot/spec string, and a real
//! headless browser (Debian's chromium) loading the demo report with a hostile
//! spec title: no script runs, no console error, every violated spec has its
//! witness diagram, and a screenshot is not blank.
//!
//! The browser test needs `/usr/bin/chromium` (`.ci/run` installs it); set
//! `NETPROVE_SKIP_BROWSER=1` to skip it on a machine without one.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use netprove::check::engine::{Stats, Status};
use netprove::check::run::{Report, SnapshotInfo, SpecResult, Summary, ToolInfo, SCHEMA};
use netprove::eval::result::FlowInfo;
use netprove::eval::{Hop, TraceResult, Verdict};
use serde_json::Value;

const XSS: &str = "<script>alert(1)</script>";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn hop(node: &str, kind: &'static str, decision: &'static str, rule: Option<&str>, loc: Option<&str>) -> Hop {
    Hop {
        node: node.into(),
        kind,
        decision,
        rule: rule.map(Into::into),
        location: loc.map(Into::into),
        detail: format!("{decision} by {node}"),
    }
}

fn spec(id: &str, severity: &str, status: Status, expected: bool, witnesses: Vec<TraceResult>) -> SpecResult {
    SpecResult {
        id: id.into(),
        title: format!("Title of {id}"),
        severity: severity.into(),
        rationale: (severity != "low").then(|| format!("Why {id} matters.")),
        tags: vec!["pci".into(), "tenancy".into()],
        file: "specs/x.nps".into(),
        line: 3,
        status,
        expected_violation: expected,
        passed: matches!(status, Status::Proven) || (status == Status::Violated && expected),
        reason: (status == Status::Unknown).then(|| "vacuous: `pods(app: nope)` matches nothing".into()),
        instance: None,
        witnesses,
        stats: Stats::default(),
    }
}

fn witness(node: &str) -> TraceResult {
    TraceResult {
        from: "pod:c/a/web".into(),
        to: "eni-0db".into(),
        flow: FlowInfo {
            proto: "tcp".into(),
            src_ip: "10.0.1.5".into(),
            dst_ip: "10.1.0.9".into(),
            sport: Some(50000),
            dport: Some(5432),
            icmp_type: None,
            icmp_code: None,
            sni: None,
            http_host: None,
        },
        verdict: Verdict::Allowed,
        reason: None,
        blocked_by: None,
        failed_direction: None,
        forward: vec![
            hop("pod:c/a/web", "pod", "forward", None, None),
            hop("netpol c/a/egress", "network-policy", "allow", Some("c/a/egress/egress[0]"), Some("k8s/c/np.yaml:12")),
            hop(node, "security-group", "allow", Some("sg-1/egress#0"), Some("aws/sgs.json:40")),
            hop("nat-1", "snat", "translate", None, None),
            hop("eni-0db", "deliver", "deliver", None, None),
        ],
        reply: vec![
            hop("acl-1", "nacl", "allow", Some("acl-1/ingress/rule 100"), Some("aws/acls.json:7")),
            hop("pod:c/a/web", "deliver", "deliver", None, None),
        ],
        approximations: vec!["NAT gateway port allocation is not modelled".into()],
        backends: vec![],
    }
}

fn tiny_report() -> Report {
    let results = vec![
        spec("z-violated", "critical", Status::Violated, false, vec![witness("sg-1")]),
        spec("a-proven", "info", Status::Proven, false, vec![]),
        spec("m-expected", "medium", Status::Violated, true, vec![witness("sg-1")]),
        spec("b-unknown", "low", Status::Unknown, false, vec![]),
    ];
    Report {
        schema: SCHEMA,
        tool: ToolInfo { name: "netprove", version: "0.0.0-test" },
        snapshot: SnapshotInfo {
            name: "tiny".into(),
            source: "snapshots/tiny".into(),
            accounts: vec!["111111111111".into()],
            clusters: vec!["c".into()],
        },
        results,
        summary: Summary { specs: 4, proven: 1, violated: 2, unknown: 1, error: 0, expected_violations: 1, failed: 2 },
    }
}

#[test]
fn tiny_report_snapshot() {
    let out = netprove::check::html::render(&tiny_report());
    insta::assert_snapshot!("tiny_report_html", out);
}

#[test]
fn renders_are_identical() {
    let a = netprove::check::html::render(&tiny_report());
    let b = netprove::check::html::render(&tiny_report());
    assert!(a == b, "two renders differ");
    // A time appears only when given.
    let t = netprove::check::html::render_at(&tiny_report(), Some("2024-01-01T00:00:00Z"));
    assert!(t.contains("2024-01-01T00:00:00Z") && !a.contains("Generated</dt>"));
}

#[test]
fn every_snapshot_and_spec_string_is_escaped() {
    let mut r = tiny_report();
    r.snapshot.name = XSS.into();
    r.snapshot.source = format!("\"'{XSS}");
    r.snapshot.accounts = vec![XSS.into()];
    r.snapshot.clusters = vec![XSS.into()];
    let v = &mut r.results[0];
    v.id = format!("id{XSS}");
    v.title = XSS.into();
    v.severity = XSS.into();
    v.rationale = Some(XSS.into());
    v.reason = Some(XSS.into());
    v.tags = vec![XSS.into()];
    v.file = XSS.into();
    v.instance = Some(XSS.into());
    let mut w = witness(XSS);
    w.from = XSS.into();
    w.to = XSS.into();
    w.reason = Some(XSS.into());
    w.blocked_by = Some(XSS.into());
    w.flow.sni = Some(XSS.into());
    w.approximations = vec![XSS.into()];
    for h in w.forward.iter_mut().chain(w.reply.iter_mut()) {
        h.rule = Some(XSS.into());
        h.location = Some(XSS.into());
        h.detail = XSS.into();
    }
    v.witnesses = vec![w];
    let html = netprove::check::html::render(&r);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert"), "raw script in the HTML");
    assert!(!html.contains("\"'&lt;"), "raw quotes in the HTML");
    // The one script element is the report's own filter script.
    assert_eq!(html.matches("<script").count(), 1);
}

// ---------------------------------------------------------------------------
// The real browser.

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs chromium headless on `url` with `extra` flags, killing it after two
/// minutes; returns (stdout, stderr). Output goes through files, not pipes, so
/// a large DOM cannot block the browser while we wait.
fn chromium(profile: &Path, extra: &[String], url: &str) -> (String, String) {
    let out_path = profile.with_extension("stdout");
    let err_path = profile.with_extension("stderr");
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(&out_path).expect("stdout file"))
    .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let mut child = cmd.spawn().expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    (read(&out_path), read(&err_path))
}

/// Attribute values of `attr="..."` in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!("{attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Console output of the page: chromium logs it as `INFO:CONSOLE` lines.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).collect()
}

#[test]
fn demo_report_in_a_real_browser() {
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("NETPROVE_SKIP_BROWSER").is_some() {
            eprintln!("skipped: {CHROMIUM} is missing and NETPROVE_SKIP_BROWSER is set");
            return;
        }
        panic!("{CHROMIUM} is missing: `apt-get install chromium` (as .ci/run does) or set NETPROVE_SKIP_BROWSER=1");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    // A hostile spec next to the demo specs: its title would retitle the page if it ran.
    let probe = dir.join("probe.nps");
    std::fs::write(
        &probe,
        "spec xss-probe {\n  title     = \"<script>document.title='PWNED'</script>\"\n  severity  = low\n  rationale = \"<img src=x onerror=\\\"document.title='PWNED'\\\">\"\n  never internet -> enis() on any\n}\n",
    )
    .expect("write probe spec");
    let html_path = dir.join("report.html");
    let json_path = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_netprove"))
        .current_dir(root())
        .arg("check")
        .arg("snapshots/demo")
        .arg("specs/demo")
        .arg(&probe)
        .args(["--format", "json", "--output"])
        .arg(&json_path)
        .args(["--format", "html", "--output"])
        .arg(&html_path)
        .output()
        .expect("run netprove");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "every format went to a file");
    let html = std::fs::read_to_string(&html_path).expect("html written");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("json written")).expect("json");

    // Static: nothing to fetch, and the hostile strings are text.
    for attr in ["src", "href"] {
        for v in attr_values(&html, attr) {
            assert!(!v.contains("http://") && !v.contains("https://") && !v.starts_with("//"), "{attr}=\"{v}\"");
        }
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
    assert!(!html.contains("<script>document.title"));
    assert!(!html.contains("<img src=x"));

    // Load it.
    let url = format!("file://{}", html_path.display());
    let (dom, stderr) = chromium(&dir.join("profile-dom"), &["--dump-dom".into()], &url);
    assert!(console_lines(&stderr).is_empty(), "console output:\n{}", console_lines(&stderr).join("\n"));
    let title = dom.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("a title in the DOM");
    assert!(!title.contains("PWNED"), "the injected script ran: title `{title}`");
    assert_eq!(title, "netprove check: demo");
    assert!(dom.contains("xss-probe"), "the probe spec is in the report");

    // Every violated spec has a witness diagram, in the live DOM.
    let violated = report["summary"]["violated"].as_u64().expect("violated count") as usize;
    assert!(violated >= 2, "the demo has violations (and the probe is one)");
    let sections: Vec<&str> = dom.split("<section class=\"spec ").skip(1).collect();
    assert_eq!(sections.len(), report["results"].as_array().expect("results").len());
    let with_violation: Vec<&&str> =
        sections.iter().filter(|s| s.starts_with("violated") || s.starts_with("expected")).collect();
    assert_eq!(with_violation.len(), violated);
    for s in with_violation {
        let section = s.split("</section>").next().unwrap_or(s);
        assert!(
            section.contains("<svg class=\"witness-diagram\""),
            "no witness diagram in: {}",
            &section[..200.min(section.len())]
        );
    }

    // A screenshot is not blank: bigger than a blank page's by far.
    let shot = dir.join("s.png");
    let (_, stderr) = chromium(
        &dir.join("profile-shot"),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into()],
        &url,
    );
    assert!(console_lines(&stderr).is_empty(), "console output:\n{}", console_lines(&stderr).join("\n"));
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 10 * 1024, "screenshot is {} bytes", png.len());
    let blank = dir.join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><head><title>b</title></head><body></body></html>").expect("blank");
    let blank_shot = dir.join("blank.png");
    let _ = chromium(
        &dir.join("profile-blank"),
        &[format!("--screenshot={}", blank_shot.display()), "--window-size=1280,2000".into()],
        &format!("file://{}", blank.display()),
    );
    let blank_len = std::fs::metadata(&blank_shot).expect("blank screenshot").len() as usize;
    assert!(png.len() > 4 * blank_len, "report screenshot {} bytes vs blank page {blank_len}", png.len());
    let distinct: std::collections::BTreeSet<u8> = png.iter().copied().collect();
    assert!(distinct.len() > 2);
}
