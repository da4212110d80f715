use ipnet::Ipv4Net;

use super::{K8sProto, LabelSelector};
use crate::model::Provenance;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortRef {
    Number(u16),
    /// A named port, resolved on the destination pod.
    Name(String),
}

/// One entry of a rule's `ports`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NpPort {
    pub protocol: K8sProto,
    /// `None`: every port of the protocol.
    pub port: Option<PortRef>,
    /// Inclusive upper bound; only with a numeric `port`.
    pub end_port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NpPeer {
    /// `namespaceSelector` and/or `podSelector` in one peer (AND).
    /// `namespace_selector == None`: the policy's own namespace.
    /// `pod_selector == None`: every pod of the selected namespaces.
    Pods { namespace_selector: Option<LabelSelector>, pod_selector: Option<LabelSelector> },
    /// `ipBlock` with its `except` list.
    IpBlock { cidr: Ipv4Net, except: Vec<Ipv4Net> },
    /// An IPv6 `ipBlock`: never matches IPv4, reported as unsupported.
    IpBlock6 { cidr: String },
}

/// One ingress or egress rule.
#[derive(Debug, Clone)]
pub struct NpRule {
    /// `None`: `from`/`to` empty or missing, i.e. every peer (including external).
    pub peers: Option<Vec<NpPeer>>,
    /// `None`: `ports` empty or missing, i.e. every port and protocol.
    pub ports: Option<Vec<NpPort>>,
    pub prov: Provenance,
}

/// A `networking.k8s.io/v1` NetworkPolicy after `policyTypes` defaulting.
#[derive(Debug, Clone)]
pub struct NetworkPolicy {
    pub namespace: String,
    pub name: String,
    pub pod_selector: LabelSelector,
    /// `Some` iff the policy applies to ingress (then the selected pods are
    /// isolated for ingress; an empty list allows nothing).
    pub ingress: Option<Vec<NpRule>>,
    /// `Some` iff the policy applies to egress.
    pub egress: Option<Vec<NpRule>>,
    pub prov: Provenance,
}
