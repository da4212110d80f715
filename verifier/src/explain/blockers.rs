//! Blockers: every filter or topology gap that drops a flow on a path, and
//! the smallest change that would open it.

use netprove_models::model::{Action, Direction, Network};
use serde::Serialize;

use crate::check::encode::Encoder;
use crate::check::smt::Header;
use crate::check::term::Field;
use crate::eval::netpol::NpDirection;
use crate::eval::obligation::{Obligation, PathFate, PeerRef, RecordedPath};
use crate::eval::packet::{Leg, PortSym};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// `security-group`, `nacl`, `network-policy`, `firewall`, `route`, …
    pub kind: &'static str,
    /// The resource to change (`sg-…`, `acl-…`, `ns/policy`, a firewall name, `rtb-…`).
    pub resource: String,
    /// `request` or `reply`.
    pub direction: &'static str,
    pub problem: String,
    /// The smallest change that would open this blocker.
    pub fix: String,
}

fn proto_port(h: &Header, sym: PortSym) -> String {
    let port = match sym {
        PortSym::Sport => h.sport.to_string(),
        PortSym::Dport => h.dport.to_string(),
        PortSym::Nat => "1024-65535".to_string(),
    };
    match h.proto {
        6 => format!("tcp/{port}"),
        17 => format!("udp/{port}"),
        1 => "icmp".to_string(),
        p => format!("protocol {p}"),
    }
}

/// Every blocker on one recorded path for header `h`.
pub fn on_path(net: &Network, enc: &mut Encoder, p: &RecordedPath, h: &Header) -> Vec<Blocker> {
    let mut out = Vec::new();
    let at = |f: Field| h.get(f);
    for o in &p.obligations {
        let t = enc.obligation(o);
        if t.allow.eval(&at) || t.maybe.eval(&at) {
            continue;
        }
        out.push(describe(net, o, h));
    }
    if let PathFate::Dropped { reason, blocker } = &p.fate {
        out.push(Blocker {
            kind: "route",
            resource: blocker.clone(),
            direction: "request",
            problem: reason.clone(),
            fix: route_fix(reason, blocker),
        });
    }
    out
}

fn route_fix(reason: &str, blocker: &str) -> String {
    if reason.contains("no route") {
        format!("add a route for the destination to {blocker}")
    } else if reason.contains("blackhole") {
        format!("replace the blackhole route in {blocker} with a route to a live target")
    } else if reason.contains("no public IP") {
        format!("associate a public or Elastic IP with {blocker}")
    } else if reason.contains("asymmetric") {
        format!("route the reply through the same firewall endpoint (enable appliance mode on the inspection attachment or fix the return route) for {blocker}")
    } else {
        format!("change {blocker}: {reason}")
    }
}

fn describe(net: &Network, o: &Obligation, h: &Header) -> Blocker {
    match o {
        Obligation::Sg { eni, dir, src, dst, dport, .. } => {
            let groups = net.enis.get(eni).map(|e| e.security_groups.clone()).unwrap_or_default();
            let what = proto_port(h, *dport);
            let (peer, word) = match dir {
                Direction::Ingress => (src, "from"),
                Direction::Egress => (dst, "to"),
            };
            Blocker {
                kind: "security-group",
                resource: groups.join("+"),
                direction: "request",
                problem: format!("no {dir} rule of {} on {eni} allows {what} {word} {peer}", groups.join(", ")),
                fix: format!(
                    "add an {dir} rule {what} {word} {peer}/32 to {}",
                    groups.first().map(String::as_str).unwrap_or("a security group of the ENI")
                ),
            }
        }
        Obligation::Nacl { acl, egress, src, dst, dport, leg, .. } => {
            let what = proto_port(h, *dport);
            let (peer, dir, word) = if *egress { (dst, "outbound", "to") } else { (src, "inbound", "from") };
            let first_deny = net.nacls.get(acl).and_then(|a| {
                (if *egress { &a.egress } else { &a.ingress })
                    .iter()
                    .find(|e| e.action == Action::Deny && e.cidr.is_some_and(|c| c.contains(peer)))
                    .map(|e| e.rule_number)
            });
            let reply = *leg == Leg::Reply;
            Blocker {
                kind: "nacl",
                resource: acl.clone(),
                direction: if reply { "reply" } else { "request" },
                problem: if reply {
                    format!("the reply is dropped: {dir} rules of {acl} do not allow {what} {word} {peer}")
                } else {
                    format!("{dir} rules of {acl} do not allow {what} {word} {peer}")
                },
                fix: match first_deny {
                    Some(n) if n < 32767 => {
                        format!("add an {dir} allow entry for {what} {word} {peer}/32 numbered below rule {n} in {acl}")
                    }
                    _ => format!("add an {dir} allow entry for {what} {word} {peer}/32 in {acl}"),
                },
            }
        }
        Obligation::Np { cluster, pod, dir, peer, .. } => {
            let ns = pod.split('/').next().unwrap_or_default();
            let policies: Vec<String> = net
                .clusters
                .get(cluster)
                .and_then(|c| c.pods.get(pod).map(|p| (c, p)))
                .map(|(c, p)| {
                    c.network_policies
                        .values()
                        .filter(|np| np.namespace == p.namespace && np.pod_selector.matches(&p.labels))
                        .filter(|np| match dir {
                            NpDirection::Ingress => np.ingress.is_some(),
                            NpDirection::Egress => np.egress.is_some(),
                        })
                        .map(|np| {
                            // A policy that allows nothing this way (a default deny) comes first.
                            let empty = match dir {
                                NpDirection::Ingress => np.ingress.as_ref().is_some_and(Vec::is_empty),
                                NpDirection::Egress => np.egress.as_ref().is_some_and(Vec::is_empty),
                            };
                            (!empty, format!("{}/{}", np.namespace, np.name))
                        })
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .map(|(_, n)| n)
                        .collect()
                })
                .unwrap_or_default();
            let d = match dir {
                NpDirection::Ingress => "ingress",
                NpDirection::Egress => "egress",
            };
            let who = match peer {
                PeerRef::Pod(k) => format!("pod {k}"),
                PeerRef::Ip(ip) => ip.to_string(),
            };
            let what = proto_port(h, PortSym::Dport);
            Blocker {
                kind: "network-policy",
                resource: policies.first().cloned().unwrap_or_else(|| format!("{cluster}/{ns}")),
                direction: "request",
                problem: format!(
                    "pod {cluster}/{pod} is isolated for {d} by {} and no rule allows {who} on {what}",
                    policies.join(", ")
                ),
                fix: format!(
                    "namespace `{ns}` has no NetworkPolicy allowing {d} {} {who} on {what}: add such a rule to a policy selecting the pod",
                    if *dir == NpDirection::Egress { "to" } else { "from" }
                ),
            }
        }
        Obligation::Nfw { fw_arn, src, dst, dport, .. } => {
            let name = net.firewalls.get(fw_arn).map(|f| f.name.clone()).unwrap_or_else(|| fw_arn.clone());
            let what = proto_port(h, *dport);
            Blocker {
                kind: "firewall",
                resource: name.clone(),
                direction: "request",
                problem: format!("firewall {name} drops {what} from {src} to {dst}"),
                fix: format!(
                    "add a pass rule for {what} from {src} to {dst} ahead of the dropping rule in {name}'s policy"
                ),
            }
        }
        Obligation::Protocols { node, reason, .. } => Blocker {
            kind: "nat",
            resource: node.clone(),
            direction: "request",
            problem: format!("{reason}: {} is dropped", proto_port(h, PortSym::Dport)),
            fix: format!("use TCP, UDP or ICMP through {node}, or route this protocol around it"),
        },
        Obligation::Doubt(why) => Blocker {
            kind: "approximation",
            resource: String::new(),
            direction: "request",
            problem: why.clone(),
            fix: "complete the snapshot so the path can be judged".into(),
        },
    }
}
