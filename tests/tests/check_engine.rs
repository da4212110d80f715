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
