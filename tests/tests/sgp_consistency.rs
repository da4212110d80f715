//! SecurityGroupPolicy matching (namespace scope, podSelector AND
//! serviceAccountSelector, union of groups) is checked against the branch
//! ENIs of the snapshot: the ENI is what applies, a disagreement is a
//! warning. Variants of the `098-eks-sgp-matching` scenario.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;

use netprove_models::ingest::{load_snapshot, MemSource};
use netprove_models::model::WarningKind;

const SGP_FILE: &str = "k8s/c1/securitygrouppolicies.yaml";
const SA_FILE: &str = "k8s/c1/serviceaccounts.yaml";

fn files() -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.file_name().is_some_and(|n| n != "flows.jsonl") {
                let rel = p.strip_prefix(root).expect("prefix").to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).expect("text")));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trace/098-eks-sgp-matching");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// The scenario with `edit` applied to (path, text); returns the SGP warnings.
fn sgp_warnings(edit: impl Fn(&str, String) -> Option<String>) -> Vec<String> {
    let mut src = MemSource::new("sgp");
    for (path, text) in files() {
        if let Some(t) = edit(&path, text) {
            src = src.with(path, t);
        }
    }
    let snap = load_snapshot(&src).expect("loads");
    snap.warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Suspicious && w.message.contains("SecurityGroupPolic"))
        .map(|w| w.message.clone())
        .collect()
}

fn sgp_doc(text: &str, name: &str) -> String {
    text.split("---\n").find(|d| d.contains(&format!("name: {name}\n"))).expect("policy").to_string()
}

#[test]
fn consistent_snapshot_has_no_warnings() {
    assert_eq!(sgp_warnings(|_, t| Some(t)), Vec::<String>::new());
}

#[test]
fn groups_of_all_matching_policies_are_unioned() {
    // Without by-service-account the policies select one group, the ENI carries two.
    let w =
        sgp_warnings(|p, t| Some(if p == SGP_FILE { t.replace(&sgp_doc(&t, "by-service-account"), "") } else { t }));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("pay/payments") && w[0].contains("carries"), "{w:#?}");
}

#[test]
fn policies_select_only_pods_of_their_namespace() {
    // reports-and moved to namespace `other`: the branch pod `reports` loses it,
    // and nothing in `other` matches app=reports.
    let w = sgp_warnings(|p, t| {
        Some(if p == SGP_FILE {
            let doc = sgp_doc(&t, "reports-and");
            t.replace(&doc, &doc.replace("namespace: pay", "namespace: other"))
        } else {
            t
        })
    });
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("pay/reports") && w[0].contains("no SecurityGroupPolicy"), "{w:#?}");
}

#[test]
fn pod_and_service_account_selectors_are_anded() {
    // The ServiceAccount `reports` loses team=reports: reports-and no longer selects the branch pod.
    let w = sgp_warnings(|p, t| Some(if p == SA_FILE { t.replace("team: reports", "team: other") } else { t }));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("pay/reports"), "{w:#?}");
}

#[test]
fn selected_pod_without_branch_eni_is_reported() {
    // A policy in `other` selecting app=payments: the pod there runs on a node secondary IP.
    let w = sgp_warnings(|p, t| {
        Some(if p == SGP_FILE {
            let doc = sgp_doc(&t, "by-label");
            format!("{t}---\n{}", doc.replace("namespace: pay", "namespace: other"))
        } else {
            t
        })
    });
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("other/payments") && w[0].contains("no branch ENI"), "{w:#?}");
}

#[test]
fn missing_service_accounts_are_not_guessed() {
    // Without ServiceAccount objects a serviceAccountSelector cannot be decided:
    // an approximation warning, and no SGP consistency warning.
    let mut src = MemSource::new("sgp");
    for (path, text) in files() {
        if path != SA_FILE {
            src = src.with(path, text);
        }
    }
    let snap = load_snapshot(&src).expect("loads");
    assert!(snap
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::Approximation && w.message.contains("serviceAccountSelector")));
    let sgp: Vec<_> = snap
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Suspicious && w.message.contains("SecurityGroupPolic"))
        .collect();
    assert!(sgp.is_empty(), "{sgp:#?}");
}
