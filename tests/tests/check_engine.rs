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
