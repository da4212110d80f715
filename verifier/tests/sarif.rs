//! `netprove check --format sarif`: schema-valid SARIF 2.1.0 with code flows
//! and fingerprints, byte-identical across runs, and a reviewed snapshot of
//! the renderer's output for a small fixed report.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

mod common;
use common::{hop, spec};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use netprove::check::engine::Status;
use netprove::check::resources::{Referenced, ResourceInfo};
use netprove::check::run::{Report, SnapshotInfo, Summary, ToolInfo, SCHEMA};
use netprove::eval::result::FlowInfo;
use netprove::eval::{TraceResult, Verdict};
use netprove_models::model::{Warning, WarningKind};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run from the repository root so that URIs are repo-relative, as in CI.
fn check_demo_sarif() -> Output {
    Command::new(env!("CARGO_BIN_EXE_netprove"))
        .current_dir(root())
        .args(["check", "snapshots/demo", "specs/demo", "--format", "sarif"])
        .output()
        .expect("run netprove")
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema json");
    jsonschema::draft4::new(&schema).expect("compile the SARIF schema")
}

fn assert_valid(v: &Value) {
    let errors: Vec<String> = validator().iter_errors(v).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
}

#[test]
fn schema_rejects_an_invalid_log() {
    // The validator is live: a driver without `name` and a bad level fail.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}},
        "results": [{"message": {"text": "x"}, "level": "fatal"}]}]});
    assert!(!validator().is_valid(&bad));
}

#[test]
fn demo_sarif_is_valid_complete_and_deterministic() {
    let a = check_demo_sarif();
    let b = check_demo_sarif();
    // The demo has unexpected violations: exit 1, as with the other formats.
    assert_eq!(a.status.code(), Some(1), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(a.stdout == b.stdout, "two runs differ");

    let v: Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_valid(&v);
    assert_eq!(v["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().expect("id")).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules sorted by id");

    // The JSON report says which specs fail; SARIF must have each of them.
    let json = Command::new(env!("CARGO_BIN_EXE_netprove"))
        .current_dir(root())
        .args(["check", "snapshots/demo", "specs/demo", "--format", "json"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&json.stdout).expect("json report");
    assert_eq!(rules.len(), report["results"].as_array().expect("results").len());
    let results = run["results"].as_array().expect("results");
    let not_proven = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] != "proven" || r["passed"] == false)
        .count();
    assert!(not_proven > 0);
    assert_eq!(results.len(), not_proven, "a result per failing spec, none dropped");

    let mut violated = 0;
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        let locs = r["locations"].as_array().expect("locations");
        assert!(!locs.is_empty() && locs.len() <= 10);
        let uri = locs[0]["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with("specs/demo/") && uri.ends_with(".nps"), "{uri}");
        assert!(r["partialFingerprints"]["netprove/v1"].is_string());
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].as_str().expect("hash").ends_with(":1"));
        let spec = report["results"].as_array().unwrap().iter().find(|s| s["id"] == r["ruleId"]).unwrap();
        if spec["status"] == "violated" {
            violated += 1;
            let flows = r["codeFlows"].as_array().expect("codeFlows on a violated result");
            let steps: usize = flows
                .iter()
                .flat_map(|f| f["threadFlows"].as_array().expect("threadFlows"))
                .map(|t| t["locations"].as_array().expect("locations").len())
                .sum();
            assert!((1..=1000).contains(&steps), "{steps} thread-flow locations");
            let expected = spec["expected_violation"] == true;
            assert_eq!(r["level"], if expected { "note" } else { "error" });
            assert_eq!(r["suppressions"].is_array(), expected);
            // Every related location points into the snapshot directory.
            for rel in r["relatedLocations"].as_array().expect("relatedLocations") {
                let u = rel["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri");
                assert!(u.starts_with("snapshots/demo/"), "{u}");
            }
        } else {
            assert_eq!(r["level"], "warning");
        }
    }
    assert!(violated > 0);
    let ids: Vec<u64> = results
        .iter()
        .flat_map(|r| r["relatedLocations"].as_array().into_iter().flatten())
        .map(|l| l["id"].as_u64().expect("id"))
        .collect();
    assert!(!ids.is_empty());
}

fn tiny_report() -> Report {
    let witness = TraceResult {
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
            hop("sg-1", "security-group", "allow", Some("sg-1/egress#0"), Some("aws/sgs.json:40")),
            hop("fw", "firewall", "allow", Some("policy default"), Some("aws/policy.json")),
            hop("eni-0db", "deliver", "deliver", None, None),
        ],
        reply: vec![
            hop("sg-1", "security-group", "allow", Some("sg-1/egress#0"), Some("aws/sgs.json:40")),
            hop("pod:c/a/web", "deliver", "deliver", None, None),
        ],
        approximations: vec![],
        backends: vec![],
    };
    let results = vec![
        spec("z-violated", "critical", Status::Violated, false, vec![witness.clone()]),
        spec("a-proven", "info", Status::Proven, false, vec![]),
        spec("m-expected", "medium", Status::Violated, true, vec![witness]),
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
            accounts: vec![],
            clusters: vec![],
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
        summary: Summary::default(),
    }
}

#[test]
fn tiny_report_snapshot() {
    let out = netprove::check::sarif::render(&tiny_report());
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_valid(&v);
    assert_eq!(out, netprove::check::sarif::render(&tiny_report()));
    insta::assert_snapshot!("tiny_report_sarif", out);
}
