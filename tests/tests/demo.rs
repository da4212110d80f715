//! The demo snapshot loads without errors, and its inventory and warnings are
//! exactly the reviewed ones (snapshots/demo/README.md lists the intended
//! warnings).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use netprove::inspect;
use netprove::snapshot::SnapshotArg;

#[test]
fn demo_inventory_and_warnings() {
    let arg = SnapshotArg::Dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots/demo").into());
    let snap = arg.load().unwrap_or_else(|e| panic!("demo does not load:\n{e}"));
    let report = inspect::build(&snap, "snapshots/demo");
    insta::assert_snapshot!(inspect::render_text(&report));
}

#[test]
fn demo_meets_the_size_brief() {
    let snap = SnapshotArg::Demo.load().unwrap_or_else(|e| panic!("{e}"));
    let net = &snap.network;
    let pods: usize = net.clusters.values().map(|c| c.pods.len()).sum();
    assert!(pods >= 40, "{pods} pods");
    assert!(net.security_groups.len() >= 15, "{} security groups", net.security_groups.len());
    assert!(net.subnets.len() >= 10, "{} subnets", net.subnets.len());
    assert_eq!(net.clusters.len(), 2);
    assert!(!net.firewalls.is_empty() && !net.rule_groups.is_empty());
    // Every live pod is placed on an ENI.
    let placed = snap.index.pod_bindings.len();
    let live: usize = net.clusters.values().map(|c| c.pods.values().filter(|p| p.is_live()).count()).sum();
    assert_eq!(placed, live);
}
