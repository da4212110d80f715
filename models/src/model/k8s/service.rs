use std::net::Ipv4Addr;

use super::{K8sProto, Labels};
use crate::model::Provenance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetPort {
    Number(u16),
    Name(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: K8sProto,
    pub port: u16,
    /// Defaults to `port` when omitted.
    pub target_port: TargetPort,
    pub node_port: Option<u16>,
}

/// One endpoint address from Endpoints/EndpointSlices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEndpoint {
    pub ip: Ipv4Addr,
    pub ready: bool,
    /// `namespace/name` of the target pod, if the endpoint names one.
    pub pod: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub service_type: String,
    /// `None` for headless (`None`) services.
    pub cluster_ip: Option<Ipv4Addr>,
    /// `None`: no selector (endpoints are managed by hand).
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    /// From Endpoints/EndpointSlices, when the snapshot has them.
    pub endpoints: Option<Vec<ServiceEndpoint>>,
    pub prov: Provenance,
}
