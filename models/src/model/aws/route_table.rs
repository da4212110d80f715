use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteDest {
    Cidr(Ipv4Net),
    PrefixList(String),
    /// IPv6 destination: not modelled.
    Ipv6(String),
}

/// Where a route sends traffic. `vpce-…` in `GatewayId` is either a gateway
/// endpoint (S3/DynamoDB) or a Gateway Load Balancer / Network Firewall endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteTarget {
    Local,
    InternetGateway(String),
    VirtualPrivateGateway(String),
    VpcEndpoint(String),
    NatGateway(String),
    TransitGateway(String),
    Peering(String),
    NetworkInterface(String),
    Instance(String),
    EgressOnlyInternetGateway(String),
    /// A target kind netprove does not model (carrier, local or core network, …).
    Unsupported {
        kind: String,
        id: String,
    },
    /// No target given at all.
    None,
}

impl RouteTarget {
    pub fn describe(&self) -> String {
        match self {
            RouteTarget::Local => "local".into(),
            RouteTarget::InternetGateway(i)
            | RouteTarget::VirtualPrivateGateway(i)
            | RouteTarget::VpcEndpoint(i)
            | RouteTarget::NatGateway(i)
            | RouteTarget::TransitGateway(i)
            | RouteTarget::Peering(i)
            | RouteTarget::NetworkInterface(i)
            | RouteTarget::Instance(i)
            | RouteTarget::EgressOnlyInternetGateway(i) => i.clone(),
            RouteTarget::Unsupported { kind, id } => format!("{kind} {id}"),
            RouteTarget::None => "(no target)".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteState {
    Active,
    Blackhole,
    Filtered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RouteOrigin {
    CreateRouteTable,
    CreateRoute,
    Propagated,
    Other,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub dest: RouteDest,
    pub target: RouteTarget,
    pub state: RouteState,
    pub origin: RouteOrigin,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct RouteTable {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    /// True if this is the VPC's main route table.
    pub main: bool,
    /// Subnets explicitly associated.
    pub subnets: Vec<String>,
    /// Gateways (IGW/VGW) edge-associated: this is a gateway route table.
    pub gateways: Vec<String>,
    pub routes: Vec<Route>,
    pub tags: Tags,
    pub prov: Provenance,
}
