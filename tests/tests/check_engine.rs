//! The symbolic engine on the demo, driven with resolved targets directly.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::collections::BTreeSet;

use netprove::check::classes::{internet_targets, Atoms, Targets};
use netprove::check::engine::{Checker, Kind, Property, Settings, Status};
use netprove::check::term::{and, eq, Field};
use netprove::eval::Verdict;
use netprove::snapshot::SnapshotArg;

fn pods(snap: &netprove_models::Snapshot, cluster: &str, ns: &str) -> Targets {
    let c = &snap.network.clusters[cluster];
    Targets {
        pods: c
            .pods
            .values()
            .filter(|p| p.namespace == ns && p.is_live())
            .map(|p| (cluster.to_string(), p.key()))
            .collect(),
        ..Targets::default()
    }
}

fn eni(id: &str) -> Targets {
    Targets { enis: [id.to_string()].into_iter().collect(), ..Targets::default() }
}

fn tcp(port: u32) -> netprove::check::term::Term {
    and([eq(Field::Proto, 6), eq(Field::Dport, port)])
}

#[test]
fn planted_misconfiguration_is_refuted_with_a_replayed_witness() {
    let snap = SnapshotArg::Demo.load().expect("demo");
    let atoms = Atoms::build(&snap.network, &snap.index);
    let mut ck = Checker::new(&snap.network, &snap.index, &atoms);
    let prop = Property {
        kind: Kind::Never,
        src: pods(&snap, "prod-east", "tenant-b"),
        dst: eni("eni-0f940bf13101bdf96"),
        ports: tcp(5432),
    };
    let out = ck.check(&prop, &Settings::default());
    assert_eq!(out.status, Status::Violated, "{out:?}");
    assert_eq!(out.witnesses[0].verdict, Verdict::Allowed);
    assert_eq!(out.witnesses[0].flow.dport, Some(5432));

    // tenant-c (prod-west) cannot: default-deny egress.
    let prop = Property {
        kind: Kind::Never,
        src: pods(&snap, "prod-west", "tenant-c"),
        dst: eni("eni-0f940bf13101bdf96"),
        ports: tcp(5432),
    };
    let out = ck.check(&prop, &Settings::default());
    assert_eq!(out.status, Status::Proven, "{out:?}");
}

#[test]
fn always_and_only_on_the_demo() {
    let snap = SnapshotArg::Demo.load().expect("demo");
    let atoms = Atoms::build(&snap.network, &snap.index);
    let mut ck = Checker::new(&snap.network, &snap.index, &atoms);
    let mut checkout = pods(&snap, "prod-east", "tenant-a");
    checkout.pods.retain(|(_, k)| k.contains("checkout"));
    let prop =
        Property { kind: Kind::Always, src: checkout.clone(), dst: eni("eni-0f940bf13101bdf96"), ports: tcp(5432) };
    let out = ck.check(&prop, &Settings::default());
    assert_eq!(out.status, Status::Proven, "{out:?}");
    // checkout cannot reach orders-db on 22: `always` is refuted with a denied witness.
    let prop = Property { kind: Kind::Always, src: checkout, dst: eni("eni-0f940bf13101bdf96"), ports: tcp(22) };
    let out = ck.check(&prop, &Settings::default());
    assert_eq!(out.status, Status::Violated, "{out:?}");
    assert_eq!(out.witnesses[0].verdict, Verdict::Denied);

    // Internet egress from kube-system pods passes the inspection firewall.
    let internet = internet_targets();
    let via: BTreeSet<String> = ["inspection-fw".to_string()].into_iter().collect();
    let prop = Property {
        kind: Kind::Only { via },
        src: pods(&snap, "prod-east", "kube-system"),
        dst: internet,
        ports: eq(Field::Proto, 6),
    };
    let out = ck.check(&prop, &Settings::default());
    // The S3 gateway endpoint is a way out that skips the firewall (by design in the demo).
    assert_eq!(out.status, Status::Violated, "{:?} {:?} {:?}", out.status, out.reason, out.stats);
    assert!(out.witnesses[0].forward.iter().any(|h| h.kind == "vpc-endpoint"), "{:?}", out.witnesses[0]);
}

/// The demo plus `extra` files, through ingestion.
fn demo_with(extra: &[(&str, &str)]) -> netprove_models::Snapshot {
    use netprove_models::ingest::{MemSource, Source};
    let mut src = MemSource::new("demo+");
    for f in netprove::snapshot::EmbeddedDemo.files().expect("demo files") {
        src = src.with(f.path, f.text);
    }
    for (path, text) in extra {
        src = src.with(*path, *text);
    }
    netprove_models::ingest::load_snapshot(&src).expect("demo+ loads")
}

const ANP: (&str, &str) = (
    "k8s/prod-west/admin-policies.yaml",
    "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: platform-allow\n\
     spec:\n  priority: 5\n  subject:\n    namespaces: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces: {}\n",
);

const CNP_TENANT_A: (&str, &str) = (
    "k8s/prod-east/cilium.yaml",
    "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: l7\n  namespace: tenant-a\n\
     spec:\n  endpointSelector: {}\n",
);

/// A policy of a kind netprove does not model makes every result that depends
/// on the NetworkPolicy decision of a pod it may apply to `unknown`, naming
/// the policy; results decided by a definite drop elsewhere, or about pods
/// out of its reach, stay proven.
#[test]
fn unmodelled_policies_make_dependent_results_unknown() {
    // tenant-b (prod-east) never reaches tenant-c (prod-west): the only
    // blocker is tenant-c/default-deny, which an ANP Allow would override.
    let never_b_to_c = |snap: &netprove_models::Snapshot| Property {
        kind: Kind::Never,
        src: pods(snap, "prod-east", "tenant-b"),
        dst: pods(snap, "prod-west", "tenant-c"),
        ports: eq(Field::Proto, 6),
    };
    // tenant-c never reaches orders-db on 5432: also dropped by the firewall and the SG.
    let never_c_to_db = |snap: &netprove_models::Snapshot| Property {
        kind: Kind::Never,
        src: pods(snap, "prod-west", "tenant-c"),
        dst: eni("eni-0f940bf13101bdf96"),
        ports: tcp(5432),
    };
    let always_checkout = |snap: &netprove_models::Snapshot| {
        let mut checkout = pods(snap, "prod-east", "tenant-a");
        checkout.pods.retain(|(_, k)| k.contains("checkout"));
        Property { kind: Kind::Always, src: checkout, dst: eni("eni-0f940bf13101bdf96"), ports: tcp(5432) }
    };
    let run = |snap: &netprove_models::Snapshot, prop: &Property| {
        let atoms = Atoms::build(&snap.network, &snap.index);
        Checker::new(&snap.network, &snap.index, &atoms).check(prop, &Settings::default())
    };

    let demo = demo_with(&[]);
    assert_eq!(run(&demo, &never_b_to_c(&demo)).status, Status::Proven);
    assert_eq!(run(&demo, &never_c_to_db(&demo)).status, Status::Proven);
    assert_eq!(run(&demo, &always_checkout(&demo)).status, Status::Proven);

    // A cluster-scoped AdminNetworkPolicy in prod-west.
    let anp = demo_with(&[ANP]);
    assert_eq!(anp.network.clusters["prod-west"].unmodelled_policies.len(), 1);
    let out = run(&anp, &never_b_to_c(&anp));
    assert_eq!(out.status, Status::Unknown, "{out:?}");
    let reason = out.reason.clone().unwrap_or_default();
    assert!(
        reason.contains("AdminNetworkPolicy platform-allow") && reason.contains("k8s/prod-west/admin-policies.yaml"),
        "{reason}"
    );
    assert_eq!(out.witnesses.len(), 1);
    assert_eq!(out.witnesses[0].verdict, Verdict::Unknown);
    assert!(out.witnesses[0]
        .forward
        .iter()
        .any(|h| h.kind == "network-policy" && h.decision == "unknown" && h.node.contains("platform-allow")));
    let out = run(&anp, &never_c_to_db(&anp));
    assert_eq!(out.status, Status::Proven, "a definite drop elsewhere still proves `never`: {out:?}");
    // prod-east is out of its reach.
    assert_eq!(run(&anp, &always_checkout(&anp)).status, Status::Proven);

    // A namespaced CiliumNetworkPolicy in prod-east/tenant-a: `always` from
    // its pods is unknown, flows of other namespaces stay proven.
    let cnp = demo_with(&[CNP_TENANT_A]);
    let out = run(&cnp, &always_checkout(&cnp));
    assert_eq!(out.status, Status::Unknown, "{out:?}");
    assert!(out.reason.as_deref().unwrap_or_default().contains("CiliumNetworkPolicy tenant-a/l7"), "{out:?}");
    assert_eq!(run(&cnp, &never_b_to_c(&cnp)).status, Status::Proven);
}

/// A Service destination is checked through its ClusterIP: the spec's port is
/// the service port, and each backend is judged at the target port DNAT gives
/// it (scenario 096: service port 80, named targetPort `http` = 8080 on be-1,
/// 9090 on be-2, absent on be-3). Checking the backends at port 80 proved
/// `never client -> web on tcp/80` although `trace` allows it.
#[test]
fn services_are_checked_after_dnat() {
    use netprove_models::ingest::{load_snapshot, DirSource};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trace/096-eks-netpol-service-dnat");
    let snap = load_snapshot(&DirSource::new(dir)).expect("loads");
    let atoms = Atoms::build(&snap.network, &snap.index);
    let mut ck = Checker::new(&snap.network, &snap.index, &atoms);
    let app = |label: &str| {
        let mut t = pods(&snap, "c1", "cli");
        t.pods.retain(|(c, k)| snap.network.clusters[c].pods[k].labels.get("app").map(String::as_str) == Some(label));
        t
    };
    let web =
        Targets { services: [("c1".to_string(), "web/web".to_string())].into_iter().collect(), ..Targets::default() };
    let check = |ck: &mut Checker, kind: Kind, src: Targets, port: u32| {
        ck.check(&Property { kind, src, dst: web.clone(), ports: tcp(port) }, &Settings::default())
    };

    let out = check(&mut ck, Kind::Never, app("client"), 80);
    assert_eq!(out.status, Status::Violated, "{out:?}");
    assert_eq!(out.witnesses[0].verdict, Verdict::Allowed);
    assert!(matches!(out.witnesses[0].flow.dport, Some(8080 | 9090)), "{:?}", out.witnesses[0].flow);
    assert_eq!(check(&mut ck, Kind::Always, app("client"), 80).status, Status::Proven);
    // client-2's egress admits only the Service CIDR, which DNAT leaves behind.
    assert_eq!(check(&mut ck, Kind::Never, app("client-2"), 80).status, Status::Proven);
    // Port 8080 is not a service port: nothing to reach through the ClusterIP.
    assert_eq!(check(&mut ck, Kind::Never, app("client"), 8080).status, Status::Proven);
    let out = check(&mut ck, Kind::Always, app("client"), 8080);
    assert_eq!(out.status, Status::Violated, "{out:?}");
    assert_eq!(out.witnesses[0].verdict, Verdict::Denied);
    assert!(out.witnesses[0].to.starts_with("svc:"), "{}", out.witnesses[0].to);
}
