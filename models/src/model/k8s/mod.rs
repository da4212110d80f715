//! Kubernetes concepts, one file each, normalised from the API objects.

mod cluster;
mod label_selector;
mod namespace;
mod network_policy;
mod node;
mod pod;
mod security_group_policy;
mod service;
mod unmodelled_policy;

pub use cluster::{Cluster, SgEnforcingMode};
pub use label_selector::{LabelSelector, Requirement, SelectorOp};
pub use namespace::Namespace;
pub use network_policy::{NetworkPolicy, NpPeer, NpPort, NpRule, PortRef};
pub use node::Node;
pub use pod::{ContainerPort, Pod};
pub use security_group_policy::SecurityGroupPolicy;
pub use service::{Service, ServiceEndpoint, ServicePort, TargetPort};
pub use unmodelled_policy::UnmodelledPolicy;

pub type Labels = std::collections::BTreeMap<String, String>;

/// Layer-4 protocols Kubernetes names (NetworkPolicy, container and service ports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum K8sProto {
    Tcp,
    Udp,
    Sctp,
}

impl K8sProto {
    pub fn number(self) -> u8 {
        match self {
            K8sProto::Tcp => crate::model::net::PROTO_TCP,
            K8sProto::Udp => crate::model::net::PROTO_UDP,
            K8sProto::Sctp => crate::model::net::PROTO_SCTP,
        }
    }

    /// Parses `TCP`/`UDP`/`SCTP`; Kubernetes defaults a missing protocol to TCP.
    pub fn parse(s: Option<&str>) -> Option<K8sProto> {
        match s {
            None => Some(K8sProto::Tcp),
            Some("TCP") => Some(K8sProto::Tcp),
            Some("UDP") => Some(K8sProto::Udp),
            Some("SCTP") => Some(K8sProto::Sctp),
            Some(_) => None,
        }
    }
}
