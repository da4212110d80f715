//! `netprove generate`: the synthetic estate loads cleanly, grows with the
//! scale, is deterministic, and is written atomically.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::collections::BTreeMap;
use std::path::Path;

use netprove::generate::{generate, Settings};
use netprove::output::{write_tree_atomic, TreeError};
use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::model::WarningKind;
use netprove_models::Snapshot;

fn settings(scale: u32) -> Settings {
    Settings { scale, ..Settings::default() }
}

/// Generates into `dir` and loads it back; loading must succeed with no warning at all.
fn generate_and_load(scale: u32, dir: &Path) -> Snapshot {
    let g = generate(&settings(scale)).expect("generate");
    write_tree_atomic(dir, &g.files, false).expect("write");
    let snap = load_snapshot(&DirSource::new(dir)).unwrap_or_else(|e| panic!("scale {scale} does not load:\n{e}"));
    let unowned: Vec<_> = snap.warnings.iter().filter(|w| w.kind == WarningKind::UnownedPodIp).collect();
    assert!(unowned.is_empty(), "scale {scale}: pods without an ENI: {unowned:?}");
    assert!(snap.warnings.is_empty(), "scale {scale}: warnings: {:?}", snap.warnings);
    let report = netprove::inspect::build(&snap, &dir.display().to_string());
    assert!(report.warnings.is_empty());

    // The loaded model matches what the generator says it wrote.
    let net = &snap.network;
    let pods: usize = net.clusters.values().map(|c| c.pods.len()).sum();
    let policies: usize = net.clusters.values().map(|c| c.network_policies.len()).sum();
    assert_eq!(pods, g.sizes.pods);
    assert_eq!(policies, g.sizes.network_policies);
    assert_eq!(net.security_groups.len(), g.sizes.security_groups);
    assert_eq!(net.enis.len(), g.sizes.network_interfaces);
    assert_eq!(net.instances.len(), g.sizes.instances);
    assert_eq!(net.vpcs.len(), g.sizes.vpcs);
    assert_eq!(net.clusters.len(), g.sizes.clusters);
    // Every live pod sits on an ENI.
    let live: usize = net.clusters.values().map(|c| c.pods.values().filter(|p| p.is_live()).count()).sum();
    assert_eq!(snap.index.pod_bindings.len(), live);
    snap
}

struct Counts {
    pods: usize,
    policies: usize,
    security_groups: usize,
    enis: usize,
    nodes: usize,
}

fn counts(s: &Snapshot) -> Counts {
    let net = &s.network;
    Counts {
        pods: net.clusters.values().map(|c| c.pods.len()).sum(),
        policies: net.clusters.values().map(|c| c.network_policies.len()).sum(),
        security_groups: net.security_groups.len(),
        enis: net.enis.len(),
        nodes: net.clusters.values().map(|c| c.nodes.len()).sum(),
    }
}

#[test]
fn scales_one_and_two_load_cleanly_and_grow() {
    let tmp = tempfile::tempdir().unwrap();
    let one = generate_and_load(1, &tmp.path().join("s1"));
    let two = generate_and_load(2, &tmp.path().join("s2"));
    let (a, b) = (counts(&one), counts(&two));
    assert!(b.pods > a.pods && b.policies > a.policies && b.security_groups > a.security_groups);
    assert!(b.enis > a.enis && b.nodes >= a.nodes);

    // The default ratios: about 100 application pods, 10 policies and 20 security groups per unit.
    let g = generate(&settings(1)).unwrap();
    assert_eq!((g.sizes.app_pods, g.sizes.network_policies, g.sizes.security_groups), (100, 10, 20));
    let g = generate(&settings(2)).unwrap();
    assert_eq!((g.sizes.app_pods, g.sizes.network_policies, g.sizes.security_groups), (200, 20, 40));

    // The estate has the hub: a firewall with both endpoints, a TGW with two route tables.
    let net = &one.network;
    assert_eq!(net.firewalls.len(), 1);
    assert!(net.firewalls.values().all(|f| f.endpoints.len() == 2));
    assert_eq!(net.tgw_route_tables.len(), 2);
    assert_eq!(net.rule_groups.len(), 2);
}

#[test]
fn knobs_override_the_ratios() {
    let s =
        Settings { scale: 2, pods: Some(150), policies: Some(33), security_groups: Some(50), ..Settings::default() };
    let g = generate(&s).unwrap();
    assert_eq!(g.sizes.app_pods, 150);
    assert_eq!(g.sizes.network_policies, 33);
    assert_eq!(g.sizes.security_groups, 50);
    assert!(generate(&Settings { scale: 0, ..Settings::default() }).is_err());
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn two_runs_are_byte_identical_and_seeds_differ() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, scale) in [2u32, 2].iter().enumerate() {
        let g = generate(&settings(*scale)).unwrap();
        write_tree_atomic(&tmp.path().join(format!("run{i}")), &g.files, false).unwrap();
    }
    let (a, b) = (read_tree(&tmp.path().join("run0")), read_tree(&tmp.path().join("run1")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "`{k}` differs between two runs");
    }
    let other = generate(&Settings { scale: 2, seed: 2, ..Settings::default() }).unwrap();
    assert_ne!(other.files, a);
}

#[test]
fn refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let g = generate(&settings(1)).unwrap();
    // An empty directory is fine.
    std::fs::create_dir(&dir).unwrap();
    write_tree_atomic(&dir, &g.files, false).unwrap();
    std::fs::write(dir.join("stray.txt"), "x").unwrap();
    match write_tree_atomic(&dir, &g.files, false) {
        Err(TreeError::NotEmpty(p)) => assert_eq!(p, dir),
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    // With force the tree is replaced as a whole: the stray file is gone.
    write_tree_atomic(&dir, &g.files, true).unwrap();
    assert!(!dir.join("stray.txt").exists());
    assert_eq!(read_tree(&dir), g.files);
    // No temporary directories are left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "out")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn cli_generates_then_refuses_then_forces() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_netprove"))
            .args(["generate", "--scale", "1", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("pods 110 (100 application)  network policies 10"), "{stdout}");
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("exists and is not empty (use --force to replace it)"), "{stderr}");
    assert!(run(&["--force"]).status.success());
    let inspect = std::process::Command::new(env!("CARGO_BIN_EXE_netprove")).arg("inspect").arg(&out).output().unwrap();
    assert!(inspect.status.success());
    assert!(String::from_utf8_lossy(&inspect.stdout).contains("no warnings"));
}
