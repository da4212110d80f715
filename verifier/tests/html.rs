//! `netprove check --format html`: a reviewed snapshot of a small report,
//! byte-identical renders, escaping of every snapshot/spec string, and a real
//! headless browser (Debian's chromium) loading the demo report with a hostile
//! spec title: no script runs, no console error, every violated spec has its
//! witness diagram, and a screenshot is not blank.
//!
//! The browser tests need `/usr/bin/chromium` (`.ci/run` installs it); they
//! fail, never skip, without it.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;
use common::{hop, spec};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use netprove::check::engine::Status;
use netprove::check::resources::{Referenced, ResourceInfo};
use netprove::check::run::{Report, SnapshotInfo, Summary, ToolInfo, SCHEMA};
use netprove::eval::result::FlowInfo;
use netprove::eval::{TraceResult, Verdict};
use netprove_models::model::{Warning, WarningKind};
use serde_json::Value;

const XSS: &str = "<script>alert(1)</script>";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
            captured_at: Some("2026-01-02T03:04:05Z".into()),
            regions: vec!["111111111111/us-east-1".into()],
            accounts: vec!["111111111111".into()],
            clusters: vec!["c".into()],
        },
        warnings: vec![Warning {
            kind: WarningKind::Unsupported,
            file: "aws/acls.json".into(),
            line: Some(9),
            resource: Some("acl-1/egress/rule 101".into()),
            message: "IPv6 entry is not modelled (IPv4 only)".into(),
        }],
        referenced: Referenced {
            resources: vec![ResourceInfo {
                id: "sg-1".into(),
                kind: "security-group",
                account: Some("111111111111".into()),
                region: Some("us-east-1".into()),
                name: Some("eks-nodes".into()),
                description: Some("EKS node group".into()),
                tags: [("Owner".to_string(), "platform".to_string())].into_iter().collect(),
                location: "aws/sgs.json:30".into(),
            }],
            rule_descriptions: [("sg-1/egress#0".to_string(), "all egress".to_string())].into_iter().collect(),
        },
        baseline: None,
        results,
        summary: Summary {
            specs: 4,
            proven: 1,
            violated: 2,
            unknown: 1,
            error: 0,
            expected_violations: 1,
            failed: 2,
            new_failures: None,
        },
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
    v.statement = XSS.into();
    v.explanation = XSS.into();
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
    r.snapshot.captured_at = Some(XSS.into());
    r.snapshot.regions = vec![XSS.into()];
    for w in &mut r.warnings {
        w.file = XSS.into();
        w.resource = Some(XSS.into());
        w.message = XSS.into();
    }
    for res in &mut r.referenced.resources {
        res.id = XSS.into();
        res.account = Some(XSS.into());
        res.name = Some(XSS.into());
        res.description = Some(XSS.into());
        res.tags = [(XSS.to_string(), XSS.to_string())].into_iter().collect();
        res.location = XSS.into();
    }
    r.referenced.rule_descriptions = [(XSS.to_string(), XSS.to_string())].into_iter().collect();
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

/// What one headless chromium run saw.
struct Run {
    /// `--dump-dom` output, if asked for.
    dom: String,
    /// The page's console messages (chromium logs them as `INFO:CONSOLE` lines).
    console: Vec<String>,
    /// URLs the page asked the network stack for, read from chromium's own
    /// NetLog: requests made on behalf of the `file://` page, as opposed to
    /// the browser's background traffic (update checks, time queries), which
    /// chromium marks `initiator: not an origin`.
    page_requests: Vec<String>,
}

fn require_chromium() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the HTML report is tested in Debian's chromium (`apt-get install chromium`, as .ci/run does)"
    );
}

/// Runs chromium headless on `url` with `extra` flags, killing it after two
/// minutes. Output goes through files, not pipes, so a large DOM cannot block
/// the browser while we wait.
fn chromium(profile: &Path, extra: &[String], url: &str) -> Run {
    let out_path = profile.with_extension("stdout");
    let err_path = profile.with_extension("stderr");
    let net_path = profile.with_extension("netlog.json");
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
    .arg(format!("--log-net-log={}", net_path.display()))
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
    let stderr = read(&err_path);
    let console =
        stderr.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).map(str::to_string).collect();
    Run { dom: read(&out_path), console, page_requests: page_requests(&read(&net_path)) }
}

/// URL requests started for the page in a NetLog (see [`Run::page_requests`]).
fn page_requests(netlog: &str) -> Vec<String> {
    let log: Value = serde_json::from_str(netlog).expect("chromium wrote a complete NetLog");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().expect("event type id");
    let events = log["events"].as_array().expect("NetLog events");
    assert!(!events.is_empty(), "an empty NetLog proves nothing");
    events
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter_map(|e| {
            let p = &e["params"];
            let url = p["url"].as_str()?;
            let background = p["initiator"].as_str() == Some("not an origin")
                && !p["network_isolation_key"].as_str().unwrap_or("").contains("file://");
            (!background).then(|| url.to_string())
        })
        .collect()
}

/// The detectors themselves can fail: a hostile page that logs to the console,
/// fetches from the network and runs a script is caught by each of them.
#[test]
fn browser_detectors_catch_a_hostile_page() {
    require_chromium();
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("hostile.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>t</title></head><body>\
         <img src=\"http://example.invalid/pixel.png\">\
         <script>console.error('control-error'); document.title='RAN';</script></body></html>",
    )
    .expect("write");
    let run = chromium(&tmp.path().join("profile"), &["--dump-dom".into()], &format!("file://{}", page.display()));
    assert!(run.console.iter().any(|l| l.contains("control-error")), "console not captured: {:?}", run.console);
    assert_eq!(run.page_requests, ["http://example.invalid/pixel.png"], "network request not seen");
    assert!(run.dom.contains("<title>RAN</title>"), "script effect not visible in the DOM");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().expect("type").is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// The demo snapshot with hostile strings in the node security group that the
/// planted violation's witness passes: tags, the group description and the
/// description of the egress rule that allows the witness.
fn hostile_demo(dir: &Path) -> PathBuf {
    let snap = dir.join("snapshot");
    copy_dir(&root().join("snapshots/demo"), &snap);
    let file = snap.join("aws/111111111111/us-east-1/describe-security-groups.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    let group = doc["SecurityGroups"]
        .as_array_mut()
        .expect("groups")
        .iter_mut()
        .find(|g| g["GroupId"] == "sg-0ff3ab2a3080f5d53")
        .expect("the node security group");
    group["Tags"].as_array_mut().expect("tags").extend([
        serde_json::json!({"Key": "Owner", "Value": XSS}),
        serde_json::json!({"Key": "<b>team</b>", "Value": "<img src=x onerror=\"document.title='PWNED'\">"}),
    ]);
    group["Description"] = Value::from("<script>document.title='PWNED'</script>");
    group["IpPermissionsEgress"][0]["IpRanges"][0]["Description"] =
        Value::from("\"><script>document.title='PWNED'</script>");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
    snap
}

#[test]
fn demo_report_in_a_real_browser() {
    require_chromium();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let snapshot = hostile_demo(dir);
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
        .arg(&snapshot)
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
    assert_eq!(html.matches("<script").count(), 1, "only the report's own filter script");

    // Load it.
    let url = format!("file://{}", html_path.display());
    let run = chromium(&dir.join("profile-dom"), &["--dump-dom".into()], &url);
    assert!(run.console.is_empty(), "console output:\n{}", run.console.join("\n"));
    assert!(run.page_requests.is_empty(), "the report fetched: {:?}", run.page_requests);
    let dom = &run.dom;
    let title = dom.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("a title in the DOM");
    assert!(!title.contains("PWNED"), "an injected script ran: title `{title}`");
    assert_eq!(title, "netprove check: demo");
    assert!(dom.contains("xss-probe"), "the probe spec is in the report");
    // The snapshot's hostile strings reached the page, as text.
    assert!(dom.contains("Owner=&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile tag is not shown as text");
    assert!(dom.contains("&lt;b&gt;team&lt;/b&gt;="), "the hostile tag key is not shown as text");
    assert!(dom.contains("“\"&gt;&lt;script&gt;document.title='PWNED'&lt;/script&gt;”"), "rule description");

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
        assert!(section.matches("<g class=\"hop ").count() >= 3, "a diagram with hops");
    }

    // A screenshot is not blank: bigger than a blank page's by far.
    let shot = dir.join("s.png");
    let run = chromium(
        &dir.join("profile-shot"),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into()],
        &url,
    );
    assert!(run.console.is_empty(), "console output:\n{}", run.console.join("\n"));
    assert!(run.page_requests.is_empty(), "the report fetched: {:?}", run.page_requests);
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
