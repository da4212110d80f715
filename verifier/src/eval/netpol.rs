//! Kubernetes NetworkPolicy (networking.k8s.io/v1) on concrete connections.
//!
//! Semantics (kubernetes.io "Network Policies", and the upstream e2e suite):
//! a pod is isolated for a direction iff some policy in its namespace selects
//! it and applies to that direction; an isolated pod admits a connection iff
//! some rule of some such policy matches both the peer and the port. Egress of
//! the source and ingress of the destination must both allow. Peers: within
//! one peer `namespaceSelector` AND `podSelector`; across peers OR; `ipBlock`
//! matches by address (pod IPs included, as the e2e tests expect) minus
//! `except`. Named ports resolve on the destination pod, protocol included.
//! A rule with `ports` admits only those protocols. hostNetwork pods are
//! never selected and match no pod selector: they are node traffic.
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
    /// Enforcement is off for the cluster.
    NotEnforced,
    /// Policies netprove does not model may apply to the pod (their label,
    /// `Kind namespace/name`, and provenance): the decision is unknown.
    Unmodelled { policies: Vec<(String, Provenance)> },
}

impl NpVerdict {
    /// Whether the connection is definitely admitted in this direction.
    pub fn allows(&self) -> bool {
        !matches!(self, NpVerdict::Denied { .. } | NpVerdict::Unmodelled { .. })
    }
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
            if rule_matches(cluster, np, rule, peer, dst_pod, proto, port) {
                return NpVerdict::AllowedBy { rule: rule.prov.short(), location: rule.prov.location() };
            }
        }
    }
    if isolating.is_empty() {
        NpVerdict::NotIsolated
    } else {
        NpVerdict::Denied { policies: isolating }
    }
}

fn rule_matches(
    cluster: &Cluster,
    np: &NetworkPolicy,
    rule: &NpRule,
    peer: Peer<'_>,
    dst_pod: Option<&Pod>,
    proto: u8,
    port: PortRange,
) -> bool {
    let peer_ok = match &rule.peers {
        None => true,
        Some(peers) => peers.iter().any(|p| peer_matches(cluster, np, p, peer)),
    };
    peer_ok && ports_match(rule.ports.as_deref(), dst_pod, proto, port)
}

fn peer_matches(cluster: &Cluster, np: &NetworkPolicy, p: &NpPeer, peer: Peer<'_>) -> bool {
    match p {
        NpPeer::IpBlock { cidr, except } => match peer.ip() {
            Some(ip) => cidr.contains(&ip) && !except.iter().any(|e| e.contains(&ip)),
            None => false,
        },
        NpPeer::IpBlock6 { .. } => false,
        NpPeer::Pods { namespace_selector, pod_selector } => {
            let Peer::Pod(other) = peer else { return false };
            if other.host_network {
                return false;
            }
            let ns_ok = match namespace_selector {
                None => other.namespace == np.namespace,
                Some(sel) => sel.matches(&cluster.namespace_labels(&other.namespace)),
            };
            ns_ok && pod_selector.as_ref().is_none_or(|s| s.matches(&other.labels))
        }
    }
}

/// A span matches only if every port of it is admitted (a partial match is
/// reported by the caller as an approximation through `ports_cover`).
fn ports_match(ports: Option<&[NpPort]>, dst_pod: Option<&Pod>, proto: u8, port: PortRange) -> bool {
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
                dst_pod.and_then(|d| d.named_port(name, p.protocol)).is_some_and(|n| port.lo == n && port.hi == n)
            }
        }
    })
}
