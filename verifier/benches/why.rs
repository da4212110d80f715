//! Benchmark: latency of a `why` question, on the demo and on the largest
//! synthetic rung (scale 100: ≥ 10,000 pods). Prints the figures.
//!
//! Run: `cargo bench -p netprove --bench why [-- SCALE]`

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "a benchmark fails loudly")]

use std::time::Instant;

use netprove::explain::why::{ports_of, targets_of};
use netprove::explain::{why, WhyQuestion};
use netprove::generate;
use netprove::snapshot::SnapshotArg;
use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::Snapshot;

fn time(snap: &Snapshot, label: &str, src: &str, dst: &str, proto: Option<&str>, dport: Option<&str>) {
    let t = Instant::now();
    let q = WhyQuestion {
        src: targets_of(snap, src).expect("src"),
        dst: targets_of(snap, dst).expect("dst"),
        ports: ports_of(proto, dport).expect("ports"),
        sport: 50000,
        max_paths: 4,
        max_pairs: 8,
    };
    let a = why(&snap.network, &snap.index, &q);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    println!("  {label:<48} {ms:>9.1} ms   {}", if a.reachable { "reachable" } else { "not reachable" });
}

fn main() {
    let scale: u32 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100);
    println!("why latency (includes selector resolution, path recording, encoding, z3, replay)");
    let demo = SnapshotArg::Demo.load().expect("demo");
    println!("demo snapshot:");
    time(
        &demo,
        "pod -> RDS (reachable, all ports)",
        "pod:prod-east/tenant-a/checkout-sxt9nsqkdg-hjhlj",
        "10.30.1.10",
        None,
        None,
    );
    time(
        &demo,
        "pod -> RDS tcp/5432 (three blockers)",
        "pod:prod-west/tenant-c/api-sgg9tdqctz-fx6jv",
        "10.30.1.10",
        Some("tcp"),
        Some("5432"),
    );
    time(&demo, "namespace selector -> RDS", "pods(namespace: tenant-b)", "10.30.1.10", Some("tcp"), None);

    let generated =
        generate::generate(&generate::Settings { scale, ..generate::Settings::default() }).expect("generate");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("synthetic");
    netprove::output::write_tree_atomic(&dir, &generated.files, false).expect("write");
    let snap = load_snapshot(&DirSource::new(&dir)).expect("load");
    let pods: usize = snap.network.clusters.values().map(|c| c.pods.len()).sum();
    println!("synthetic scale {scale} ({pods} pods):");
    let mut tenant_pods = snap.network.clusters.values().flat_map(|c| {
        c.pods
            .values()
            .filter(|p| !p.host_network && p.namespace.starts_with("tenant"))
            .map(move |p| format!("pod:{}/{}", c.name, p.key()))
    });
    let a = tenant_pods.next().expect("a tenant pod");
    let b = tenant_pods.last().expect("another tenant pod");
    time(&snap, "pod -> pod in another cluster (any)", &a, &b, None, None);
    time(&snap, "pod -> pod tcp/443", &a, &b, Some("tcp"), Some("443"));
    time(&snap, "pod -> internet tcp/443", &a, "8.8.8.8", Some("tcp"), Some("443"));
}
