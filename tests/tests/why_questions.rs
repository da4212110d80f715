//! Data-driven `why` questions (tests/data/why/questions.jsonl) over the demo
//! and focused scenarios: reachability, the exact port sets, every blocker,
//! reply-only failures, selector questions; witnesses replay as allowed; and
//! every listed blocker, removed alone in memory, opens the path or leaves
//! only blockers that were already listed.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::Path;

use netprove::eval::Verdict;
use netprove::explain::ports::render;
use netprove::explain::why::{ports_of, targets_of};
use netprove::explain::{why, WhyAnswer, WhyQuestion};
use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::model::aws::{NaclEntry, SgPeer, SgRule};
use netprove_models::model::{Action, Direction, Network, Traffic};
use netprove_models::Snapshot;

fn load(name: &str) -> Snapshot {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = if name == "demo" { root.join("../snapshots/demo") } else { root.join("data/trace").join(name) };
    load_snapshot(&DirSource::new(&dir)).expect("snapshot loads")
}

fn blocker_keys(a: &WhyAnswer) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = a
        .pairs
        .iter()
        .flat_map(|p| p.paths.iter().flat_map(|x| x.blockers.iter().map(|b| (b.kind.to_string(), b.resource.clone()))))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Removes one blocker from a copy of the network: the smallest edit that
/// opens that filter for everything.
fn remove(net: &Network, kind: &str, resource: &str) -> Option<Network> {
    let mut n = net.clone();
    match kind {
        "security-group" => {
            for g in resource.split('+') {
                let sg = n.security_groups.get_mut(g)?;
                for dir in [Direction::Ingress, Direction::Egress] {
                    let rule = SgRule {
                        direction: dir,
                        traffic: Traffic::All,
                        peer: SgPeer::Cidr("0.0.0.0/0".parse().ok()?),
                        description: None,
                        rule_id: None,
                        prov: sg.prov.clone(),
                    };
                    match dir {
                        Direction::Ingress => sg.ingress.push(rule),
                        Direction::Egress => sg.egress.push(rule),
                    }
                }
            }
        }
        "nacl" => {
            let acl = n.nacls.get_mut(resource)?;
            let entry = NaclEntry {
                rule_number: 1,
                action: Action::Allow,
                traffic: Traffic::All,
                cidr: "0.0.0.0/0".parse().ok(),
                ipv6_cidr: None,
                prov: acl.prov.clone(),
            };
            acl.ingress.insert(0, entry.clone());
            acl.egress.insert(0, entry);
        }
        "network-policy" => {
            // Every policy of that namespace that isolates gets an allow-all rule both ways.
            let (ns, _) = resource.split_once('/')?;
            for c in n.clusters.values_mut() {
                for np in c.network_policies.values_mut().filter(|p| p.namespace == ns) {
                    let all = netprove_models::model::k8s::NpRule { peers: None, ports: None, prov: np.prov.clone() };
                    if let Some(r) = np.ingress.as_mut() {
                        r.push(all.clone());
                    }
                    if let Some(r) = np.egress.as_mut() {
                        r.push(all);
                    }
                }
            }
        }
        "firewall" => {
            // The firewall's policy passes everything statelessly.
            let fw = n.firewalls.values().find(|f| f.name == resource)?.clone();
            let policy = n.firewall_policies.get_mut(&fw.policy_arn)?;
            policy.stateless_refs.clear();
            policy.stateless_default_actions.standard = netprove_models::model::nfw::StatelessAction::Pass;
        }
        // Route gaps have no one-line "open everything" edit: they are checked
        // by the blocker's text, not removed.
        _ => return None,
    }
    Some(n)
}

#[test]
fn why_questions() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/why/questions.jsonl"))
        .expect("questions");
    let mut failures = Vec::new();
    let mut n = 0;
    let mut removals = 0;
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        n += 1;
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let snap = load(v["snapshot"].as_str().unwrap());
        let src = targets_of(&snap, v["src"].as_str().unwrap()).expect("src");
        let dst = targets_of(&snap, v["dst"].as_str().unwrap()).expect("dst");
        let ports = ports_of(v["proto"].as_str(), v["dport"].as_str()).expect("ports");
        let q = WhyQuestion {
            src,
            dst,
            ports,
            sport: v["sport"].as_u64().unwrap_or(50000) as u16,
            max_paths: 4,
            max_pairs: 8,
        };
        let a = why(&snap.network, &snap.index, &q);
        let tag = format!("question {} ({} -> {})", i + 1, v["src"], v["dst"]);
        if a.reachable != v["reachable"].as_bool().unwrap() {
            failures.push(format!("{tag}: reachable {} expected {}: {}", a.reachable, v["reachable"], a.summary));
            continue;
        }
        let first = a.pairs.iter().find(|p| p.reachable == a.reachable);
        if let Some(want) = v["allowed"].as_str() {
            let got = first.map(|p| render(&p.allowed)).unwrap_or_default();
            if got != want {
                failures.push(format!("{tag}: allowed `{got}`, expected `{want}`"));
            }
        }
        if let Some(min) = v["min_paths"].as_u64() {
            let got = first.map(|p| p.paths.len()).unwrap_or(0);
            if (got as u64) < min {
                failures.push(format!("{tag}: {got} paths, expected at least {min}"));
            }
        }
        for p in &a.pairs {
            for path in &p.paths {
                if let Some(w) = &path.witness {
                    if w.verdict != Verdict::Allowed {
                        failures.push(format!("{tag}: a witness does not replay as allowed"));
                    }
                }
            }
        }
        let keys = blocker_keys(&a);
        for want in v["blockers"].as_array().into_iter().flatten() {
            let want = want.as_str().unwrap();
            let found = keys.iter().any(|(k, r)| {
                want == k || want == format!("{k} {r}") || (r.contains('+') && want == format!("{k} {r}"))
            });
            if !found {
                failures.push(format!("{tag}: blocker `{want}` not listed; got {keys:?}"));
            }
        }
        if let Some(want) = v["unknown"].as_bool() {
            if a.unknown != want || a.summary.starts_with("Unknown:") != want {
                failures.push(format!("{tag}: unknown {} expected {want}: {}", a.unknown, a.summary));
            }
        }
        if v["reply_only"].as_bool() == Some(true) && !a.summary.contains("only the reply is dropped") {
            failures.push(format!("{tag}: not reported as a reply-only failure: {}", a.summary));
        }
        // Each blocker removed alone opens the path or leaves only listed blockers.
        if !a.reachable {
            for (kind, res) in &keys {
                let Some(edited) = remove(&snap.network, kind, res) else { continue };
                removals += 1;
                let (index, _) = netprove_models::model::NetworkIndex::build(&edited);
                let b = why(&edited, &index, &q);
                let after = blocker_keys(&b);
                if after.contains(&(kind.clone(), res.clone())) {
                    failures.push(format!("{tag}: removing {kind} {res} did not remove it"));
                } else if !b.reachable && !after.iter().all(|k| keys.contains(k)) {
                    failures.push(format!(
                        "{tag}: removing {kind} {res} exposed unlisted blockers {after:?} (listed {keys:?})"
                    ));
                }
            }
        }
    }
    assert!(n >= 25, "{n} questions");
    assert!(removals >= 8, "only {removals} blocker removals exercised");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
