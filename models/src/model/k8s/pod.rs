use std::net::Ipv4Addr;

use super::{K8sProto, Labels};
use crate::model::Provenance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: K8sProto,
}

#[derive(Debug, Clone)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    pub labels: Labels,
    pub node_name: Option<String>,
    /// `status.podIP` (IPv4); `None` for pods without an IP.
    pub ip: Option<Ipv4Addr>,
    pub host_ip: Option<Ipv4Addr>,
    pub host_network: bool,
    /// `status.phase`: pods in `Succeeded`/`Failed` have no live endpoint.
    pub phase: Option<String>,
    /// `Ready` condition, when reported.
    pub ready: Option<bool>,
    pub service_account: Option<String>,
    pub container_ports: Vec<ContainerPort>,
    /// Kind of the first owner reference (`ReplicaSet`, `DaemonSet`, …).
    pub owner_kind: Option<String>,
    pub prov: Provenance,
}

impl Pod {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Is this pod a live network endpoint (has an IP, not terminated)?
    pub fn is_live(&self) -> bool {
        self.ip.is_some() && !matches!(self.phase.as_deref(), Some("Succeeded") | Some("Failed"))
    }

    /// Resolves a named port on this pod for a protocol, as a Service
    /// `targetPort` does: the first container port with that name.
    pub fn named_port(&self, name: &str, proto: K8sProto) -> Option<u16> {
        self.named_ports(name, proto).next()
    }

    /// Every port this pod declares under `name` for a protocol, over all its
    /// containers (the API only checks names per container). A NetworkPolicy
    /// named port admits each of them.
    pub fn named_ports<'a>(&'a self, name: &'a str, proto: K8sProto) -> impl Iterator<Item = u16> + 'a {
        self.container_ports
            .iter()
            .filter(move |p| p.name.as_deref() == Some(name) && p.protocol == proto)
            .map(|p| p.port)
    }
}
