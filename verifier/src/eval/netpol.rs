//! Kubernetes NetworkPolicy (networking.k8s.io/v1) on concrete connections.
//!
//! Semantics (kubernetes.io "Network Policies", and the upstream e2e suite):
//! a pod is isolated for a direction iff some policy in its namespace selects
//! it and applies to that direction; an isolated pod admits a connection iff
//! some rule of some such policy matches both the peer and the port. Egress of
//! the source and ingress of the destination must both allow. Peers: within
//! one peer `namespaceSelector` AND `podSelector`; across peers OR; `ipBlock`
//! matches by address (pod IPs included, as the e2e tests expect) minus
//! `except`. Named ports resolve on the destination pod (any container
//! declaring the name for the rule's protocol). A rule with `ports` admits
//! only those protocols. hostNetwork pods are never selected and match no pod
//! selector: they are node traffic. A pod talking to itself is never subject
//! to its policies ("a pod cannot block access to itself"). Undecidable
//! cases are `Unknown`: ingress from the pod's own node (the docs exempt it,
//! several plugins enforce it) and namespace selectors on labels of a
//! namespace the snapshot has no object for.
//!
//! A pod that a policy of a kind netprove does not model may apply to
//! (AdminNetworkPolicy, Cilium, Calico, …: `Cluster::unmodelled_policies`)
//! gets [`NpVerdict::Unmodelled`] in both directions, whatever the
//! NetworkPolicies say and whether or not NetworkPolicy is enforced: those
//! kinds are enforced by their own engines, and can allow what a
//! NetworkPolicy denies (an ANP `Allow`) or deny what it allows.

use std::net::Ipv4Addr;

use netprove_models::model::k8s::{Cluster, NetworkPolicy, NpPeer, NpPort, NpRule, Pod, PortRef};
use netprove_models::model::{PortRange, Provenance};

/// Who the peer is, as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub enum Peer<'a> {
    /// A pod of the same cluster, seen with its own IP.
    Pod(&'a Pod),
    /// Anything else: only `ipBlock` peers can match.
    Ip(Ipv4Addr),
}

impl Peer<'_> {
    fn ip(&self) -> Option<Ipv4Addr> {
        match self {
            Peer::Pod(p) => p.ip,
            Peer::Ip(ip) => Some(*ip),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NpVerdict {
    /// The pod is not isolated in this direction: everything is allowed.
    NotIsolated,
    /// Allowed by the rule (provenance short form and location).
    AllowedBy { rule: String, location: String },
    /// Isolated and no rule admits it; the isolating policies are listed.
    Denied { policies: Vec<String> },
    /// Isolated, no rule surely admits it, but the outcome cannot be decided
    /// (the reason says why).
    Unknown { policies: Vec<String>, reason: String },
    /// The pod talks to itself: its policies do not apply.
    SelfTraffic,
    /// Enforcement is off for the cluster.
    NotEnforced,
    /// Policies netprove does not model may apply to the pod (their label,
    /// `Kind namespace/name`, and provenance): the decision is unknown.
    Unmodelled { policies: Vec<(String, Provenance)> },
}

/// Whether a peer or a rule matches: `Unknown` when it depends on data the
/// snapshot lacks (the reason says which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NpMatch {
    Yes,
    No,
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpDirection {
    Ingress,
    Egress,
}

/// Decides one direction for `pod` (the source for egress, the destination
/// for ingress). `dst_pod` is the destination pod when it is a pod of this
/// cluster (for named ports); `proto` and `port` are as seen at the
/// destination pod (after Service DNAT).
pub fn decide(
    cluster: &Cluster,
    pod: &Pod,
    dir: NpDirection,
    peer: Peer<'_>,
    dst_pod: Option<&Pod>,
    proto: u8,
    port: PortRange,
) -> NpVerdict {
    // A pod connecting to its own IP is subject to no policy, of any kind
    // (NetworkPolicy docs; network-policy-api "API overview" for CNP).
    if is_self(pod, peer) {
        return NpVerdict::SelfTraffic;
    }
    let unmodelled = cluster.unmodelled_policies_for(pod);
    if !unmodelled.is_empty() {
        return NpVerdict::Unmodelled { policies: unmodelled.iter().map(|u| (u.label(), u.prov.clone())).collect() };
    }
    if !cluster.network_policy_enforcement {
        return NpVerdict::NotEnforced;
    }
    if pod.host_network {
        return NpVerdict::NotIsolated;
    }
    let mut isolating = Vec::new();
    let mut undecided: Option<String> = None;
    for np in cluster.network_policies.values() {
        if np.namespace != pod.namespace || !np.pod_selector.matches(&pod.labels) {
            continue;
        }
        let rules = match dir {
            NpDirection::Ingress => np.ingress.as_ref(),
            NpDirection::Egress => np.egress.as_ref(),
        };
        let Some(rules) = rules else { continue };
        // A policy that allows nothing in this direction (a default deny) is
        // the clearest blocker: list it first.
        let name = format!("{}/{}", np.namespace, np.name);
        if rules.is_empty() {
            isolating.insert(0, name);
        } else {
            isolating.push(name);
        }
        for rule in rules {
            if !ports_match(rule.ports.as_deref(), dst_pod, proto, port) {
                continue;
            }
            match rule_peers_match(cluster, np, rule, peer) {
                NpMatch::Yes => {
                    return NpVerdict::AllowedBy { rule: rule.prov.short(), location: rule.prov.location() }
                }
                NpMatch::Unknown(why) => {
                    undecided.get_or_insert_with(|| format!("{} might admit it: {why}", rule.prov.short()));
                }
                NpMatch::No => {}
            }
        }
    }
    if isolating.is_empty() {
        return NpVerdict::NotIsolated;
    }
    if let Some(node) = own_node(pod, dir, peer) {
        let reason = format!(
            "it comes from {}'s own node {node}: the Kubernetes docs exempt that from ingress isolation, \
             some implementations enforce it",
            pod.key()
        );
        return NpVerdict::Unknown { policies: isolating, reason };
    }
    match undecided {
        Some(reason) => NpVerdict::Unknown { policies: isolating, reason },
        None => NpVerdict::Denied { policies: isolating },
    }
}

/// Is the peer the pod itself?
pub fn is_self(pod: &Pod, peer: Peer<'_>) -> bool {
    match peer {
        Peer::Pod(p) => p.namespace == pod.namespace && p.name == pod.name,
        Peer::Ip(ip) => pod.ip == Some(ip),
    }
}

/// The pod's node address, when ingress comes from that node (kubelet, a
/// hostNetwork pod there). The docs' isolation rules exempt it for ingress
/// only ("the only allowed connections into the pod are those from the pod's
/// node and those allowed by the ingress list"); egress has no such clause.
pub fn own_node(pod: &Pod, dir: NpDirection, peer: Peer<'_>) -> Option<Ipv4Addr> {
    match peer {
        Peer::Ip(ip) if dir == NpDirection::Ingress && pod.host_ip == Some(ip) => Some(ip),
        _ => None,
    }
}

/// Does one of the rule's peers match (every peer when `from`/`to` is empty)?
pub fn rule_peers_match(cluster: &Cluster, np: &NetworkPolicy, rule: &NpRule, peer: Peer<'_>) -> NpMatch {
    let Some(peers) = &rule.peers else { return NpMatch::Yes };
    let mut out = NpMatch::No;
    for p in peers {
        match peer_matches(cluster, np, p, peer) {
            NpMatch::Yes => return NpMatch::Yes,
            NpMatch::Unknown(why) => {
                if out == NpMatch::No {
                    out = NpMatch::Unknown(why);
                }
            }
            NpMatch::No => {}
        }
    }
    out
}

fn peer_matches(cluster: &Cluster, np: &NetworkPolicy, p: &NpPeer, peer: Peer<'_>) -> NpMatch {
    let yes = |b: bool| if b { NpMatch::Yes } else { NpMatch::No };
    match p {
        NpPeer::IpBlock { cidr, except } => match peer.ip() {
            Some(ip) => yes(cidr.contains(&ip) && !except.iter().any(|e| e.contains(&ip))),
            None => NpMatch::No,
        },
        NpPeer::IpBlock6 { .. } => NpMatch::No,
        NpPeer::Pods { namespace_selector, pod_selector } => {
            let Peer::Pod(other) = peer else { return NpMatch::No };
            if other.host_network || !pod_selector.as_ref().is_none_or(|s| s.matches(&other.labels)) {
                return NpMatch::No;
            }
            match namespace_selector {
                None => yes(other.namespace == np.namespace),
                Some(sel) => match cluster.namespace_selected(sel, &other.namespace) {
                    Some(b) => yes(b),
                    None => NpMatch::Unknown(format!(
                        "namespace `{}` has no Namespace object in the snapshot, so whether it matches \
                         namespaceSelector `{sel}` is unknown",
                        other.namespace
                    )),
                },
            }
        }
    }
}

/// A span matches only if every port of it is admitted.
pub fn ports_match(ports: Option<&[NpPort]>, dst_pod: Option<&Pod>, proto: u8, port: PortRange) -> bool {
    let Some(ports) = ports else { return true };
    ports.iter().any(|p| {
        if p.protocol.number() != proto {
            return false;
        }
        match (&p.port, p.end_port) {
            (None, _) => true,
            (Some(PortRef::Number(n)), None) => port.lo == *n && port.hi == *n,
            (Some(PortRef::Number(n)), Some(e)) => *n <= port.lo && port.hi <= e,
            (Some(PortRef::Name(name)), _) => {
                port.lo == port.hi && dst_pod.is_some_and(|d| d.named_ports(name, p.protocol).any(|n| n == port.lo))
            }
        }
    })
}
