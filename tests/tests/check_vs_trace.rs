//! `check` agrees with `trace` on every focused scenario: each flow, as a
//! spec pinned to its exact header, is violated (`never`) when `trace`
//! allows it, proven when `trace` denies it, unknown when `trace` is unsure;
//! and an allowed flow is proven under `always`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;

use netprove::check::classes::{Atoms, Targets};
use netprove::check::engine::{Checker, Kind, Property, Settings, Status};
use netprove::check::term::{and, eq, Field};
use netprove::eval::{Endpoint, Evaluator, Verdict};
use netprove::trace::FlowSpec;
use netprove_models::ingest::{load_snapshot, DirSource};

fn targets(e: &Endpoint) -> Option<Targets> {
    let mut t = Targets::default();
    match e {
        Endpoint::Pod { cluster, pod } => {
            t.pods.insert((cluster.clone(), pod.clone()));
        }
        Endpoint::Eni { eni, .. } => {
            t.enis.insert(eni.clone());
        }
        Endpoint::External { ip } | Endpoint::PublicIp { ip, .. } => t.external.push((*ip).into()),
        Endpoint::Service { cluster, service } => {
            t.services.insert((cluster.clone(), service.clone()));
        }
    }
    Some(t)
}

#[test]
fn check_agrees_with_trace_on_every_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("data/trace"))
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("flows.jsonl").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut n = 0;
    for dir in &dirs {
        let snap = load_snapshot(&DirSource::new(dir)).expect("loads");
        let ev = Evaluator::new(&snap.network, &snap.index);
        let atoms = Atoms::build(&snap.network, &snap.index);
        let mut ck = Checker::new(&snap.network, &snap.index, &atoms);
        let text = std::fs::read_to_string(dir.join("flows.jsonl")).expect("flows");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let spec: FlowSpec = serde_json::from_str(line).expect("flow");
            if spec.sni.is_some() || spec.http_host.is_some() {
                continue; // specs carry no application layer
            }
            let q = spec.to_query(&snap).expect("query");
            let (Some(src), Some(dst)) = (targets(&q.from), targets(&q.to)) else { continue };
            if q.from == q.to {
                continue; // `check` never asks a pod about itself (`engine::skip_pair`)
            }
            // Public IP destinations keep their meaning through `Targets::external`.
            n += 1;
            let header = and([
                eq(Field::Proto, u32::from(q.proto)),
                eq(Field::Sport, u32::from(q.sport)),
                eq(Field::Dport, u32::from(q.dport)),
                eq(Field::IcmpType, u32::from(q.icmp.0)),
                eq(Field::IcmpCode, u32::from(q.icmp.1)),
            ]);
            let concrete = ev.trace(&q).verdict;
            let never = ck.check(
                &Property { kind: Kind::Never, src: src.clone(), dst: dst.clone(), ports: header.clone() },
                &Settings::default(),
            );
            let want = match concrete {
                Verdict::Allowed => Status::Violated,
                Verdict::Denied => Status::Proven,
                Verdict::Unknown => Status::Unknown,
            };
            // `always` quantifies client ports over 1024-65535: pin one in range.
            if q.sport >= 1024 {
                let always = ck.check(
                    &Property { kind: Kind::Always, src: src.clone(), dst: dst.clone(), ports: header.clone() },
                    &Settings::default(),
                );
                let want_always = match concrete {
                    Verdict::Allowed => Status::Proven,
                    Verdict::Denied => Status::Violated,
                    Verdict::Unknown => Status::Unknown,
                };
                if always.status != want_always {
                    failures.push(format!(
                        "{}: always {} -> {} {} {}: trace {:?}, check {:?} ({:?})",
                        dir.file_name().unwrap().to_string_lossy(),
                        spec.from,
                        spec.to,
                        spec.proto,
                        q.dport,
                        concrete,
                        always.status,
                        always.reason
                    ));
                }
            }
            if never.status != want {
                failures.push(format!(
                    "{}: never {} -> {} {} {}: trace {:?}, check {:?} ({:?})",
                    dir.file_name().unwrap().to_string_lossy(),
                    spec.from,
                    spec.to,
                    spec.proto,
                    q.dport,
                    concrete,
                    never.status,
                    never.reason
                ));
            }
        }
    }
    assert!(n > 150, "{n} flows");
    assert!(failures.is_empty(), "{} of {n} flows disagree:\n{}", failures.len(), failures.join("\n"));
}
