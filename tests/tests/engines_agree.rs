//! The symbolic encoding agrees with the concrete evaluator on every flow of
//! every trace scenario and of the demo: the recorded paths' constraints,
//! evaluated at the flow's header, give the verdict `trace` gives.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;

use netprove::check::encode::Encoder;
use netprove::check::term::Field;
use netprove::eval::nfw::AppLayer;
use netprove::eval::{Endpoint, Evaluator, Verdict};
use netprove::trace::FlowSpec;
use netprove_models::ingest::{load_snapshot, DirSource};

fn check_dir(dir: &Path, failures: &mut Vec<String>) -> usize {
    let snap = load_snapshot(&DirSource::new(dir)).expect("snapshot loads");
    let ev = Evaluator::new(&snap.network, &snap.index);
    let mut enc = Encoder::new(&snap.network, &snap.index);
    let text = std::fs::read_to_string(dir.join("flows.jsonl")).expect("flows");
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let spec: FlowSpec = serde_json::from_str(line).expect("flow");
        let q = spec.to_query(&snap).expect("query");
        if matches!(q.to, Endpoint::Service { .. }) {
            continue;
        }
        n += 1;
        let concrete = ev.trace(&q).verdict;
        enc.app = match (&q.sni, &q.http_host) {
            (Some(s), _) => AppLayer::Tls { sni: Some(s.clone()) },
            (None, Some(h)) => AppLayer::Http { host: Some(h.clone()) },
            _ => AppLayer::Unknown,
        };
        let tri = enc.connection(&ev.record(&q));
        let h = |f: Field| -> u32 {
            match f {
                Field::Proto => u32::from(q.proto),
                Field::Sport => u32::from(q.sport),
                Field::Dport => u32::from(q.dport),
                Field::IcmpType => u32::from(q.icmp.0),
                Field::IcmpCode => u32::from(q.icmp.1),
            }
        };
        let symbolic = if tri.allow.eval(&h) {
            Verdict::Allowed
        } else if tri.maybe.eval(&h) {
            Verdict::Unknown
        } else {
            Verdict::Denied
        };
        if symbolic != concrete {
            failures.push(format!(
                "{}: {} -> {} {} {}: concrete {:?}, symbolic {:?}",
                dir.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
                spec.from,
                spec.to,
                spec.proto,
                q.dport,
                concrete,
                symbolic
            ));
        }
    }
    n
}

#[test]
fn symbolic_encoding_agrees_with_trace_on_every_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("data/trace"))
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("flows.jsonl").exists())
        .collect();
    dirs.sort();
    dirs.push(root.join("../snapshots/demo"));
    let mut failures = Vec::new();
    let mut n = 0;
    for d in &dirs {
        n += check_dir(d, &mut failures);
    }
    assert!(n > 200, "{n} flows");
    assert!(failures.is_empty(), "{} of {n} flows disagree:\n{}", failures.len(), failures.join("\n"));
}

/// Every ordered pair of pods of every EKS scenario, over a grid of headers
/// (TCP, UDP, SCTP and ICMP; every port a policy or a container names, and
/// its neighbours): the NetworkPolicy encoding gives `trace`'s verdict.
#[test]
fn netpol_encoding_agrees_with_trace_on_every_pod_pair() {
    use netprove::eval::Query;
    use netprove_models::model::k8s::PortRef;

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trace");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("k8s").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut n = 0;
    for dir in &dirs {
        let snap = load_snapshot(&DirSource::new(dir)).expect("snapshot loads");
        let ev = Evaluator::new(&snap.network, &snap.index);
        let mut enc = Encoder::new(&snap.network, &snap.index);
        for (cname, c) in &snap.network.clusters {
            let mut ports: Vec<u16> = vec![8080];
            for np in c.network_policies.values() {
                for r in np.ingress.iter().chain(&np.egress).flatten() {
                    for p in r.ports.iter().flatten() {
                        if let Some(PortRef::Number(n)) = p.port {
                            ports.extend([n, n.saturating_add(1)]);
                        }
                        if let Some(e) = p.end_port {
                            ports.extend([e, e.saturating_add(1)]);
                        }
                    }
                }
            }
            for p in c.pods.values() {
                ports.extend(p.container_ports.iter().map(|cp| cp.port));
            }
            ports.sort_unstable();
            ports.dedup();
            let pods: Vec<Endpoint> = c
                .pods
                .values()
                .filter(|p| snap.index.pod_bindings.contains_key(&(cname.clone(), p.key())))
                .map(|p| Endpoint::Pod { cluster: cname.clone(), pod: p.key() })
                .collect();
            for from in &pods {
                for to in &pods {
                    let base = Query {
                        from: from.clone(),
                        to: to.clone(),
                        from_label: from.label(),
                        to_label: to.label(),
                        proto: 6,
                        sport: 50000,
                        dport: 0,
                        icmp: (8, 0),
                        sni: None,
                        http_host: None,
                    };
                    let tri = enc.connection(&ev.record(&base));
                    let mut headers: Vec<(u8, u16)> = vec![(1, 0)];
                    for proto in [6u8, 17, 132] {
                        headers.extend(ports.iter().map(|p| (proto, *p)));
                    }
                    for (proto, dport) in headers {
                        n += 1;
                        let q = Query { proto, dport, ..base.clone() };
                        let concrete = ev.trace(&q).verdict;
                        let h = |f: Field| -> u32 {
                            match f {
                                Field::Proto => u32::from(proto),
                                Field::Sport => 50000,
                                Field::Dport => u32::from(dport),
                                Field::IcmpType => 8,
                                Field::IcmpCode => 0,
                            }
                        };
                        let symbolic = if tri.allow.eval(&h) {
                            Verdict::Allowed
                        } else if tri.maybe.eval(&h) {
                            Verdict::Unknown
                        } else {
                            Verdict::Denied
                        };
                        if symbolic != concrete {
                            failures.push(format!(
                                "{}: {} -> {} proto {proto} port {dport}: concrete {concrete:?}, symbolic {symbolic:?}",
                                dir.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
                                from.label(),
                                to.label(),
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(n > 5_000, "{n} headers");
    assert!(
        failures.is_empty(),
        "{} of {n} headers disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}
