use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

/// What an ENI belongs to, recognised from `InterfaceType`, `RequesterId` and
/// `Description` the way the AWS console does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EniKind {
    Instance,
    Rds,
    NatGateway,
    LoadBalancer,
    GatewayLoadBalancer,
    VpcEndpoint,
    GatewayLoadBalancerEndpoint,
    EksBranch,
    EksTrunk,
    TransitGateway,
    Lambda,
    Other,
}

impl EniKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EniKind::Instance => "instance",
            EniKind::Rds => "rds",
            EniKind::NatGateway => "nat",
            EniKind::LoadBalancer => "load-balancer",
            EniKind::GatewayLoadBalancer => "gateway-load-balancer",
            EniKind::VpcEndpoint => "endpoint",
            EniKind::GatewayLoadBalancerEndpoint => "gateway-load-balancer-endpoint",
            EniKind::EksBranch => "eks-branch",
            EniKind::EksTrunk => "eks-trunk",
            EniKind::TransitGateway => "transit-gateway",
            EniKind::Lambda => "lambda",
            EniKind::Other => "other",
        }
    }

    /// Classifies an ENI from its API fields.
    pub fn classify(
        interface_type: &str,
        requester_id: Option<&str>,
        description: &str,
        has_instance: bool,
    ) -> EniKind {
        let d = description;
        match interface_type {
            "nat_gateway" | "natGateway" => return EniKind::NatGateway,
            "branch" => return EniKind::EksBranch,
            "trunk" => return EniKind::EksTrunk,
            "vpc_endpoint" => return EniKind::VpcEndpoint,
            "gateway_load_balancer_endpoint" => return EniKind::GatewayLoadBalancerEndpoint,
            "gateway_load_balancer" => return EniKind::GatewayLoadBalancer,
            "network_load_balancer" | "load_balancer" => return EniKind::LoadBalancer,
            "transit_gateway" => return EniKind::TransitGateway,
            "lambda" => return EniKind::Lambda,
            _ => {}
        }
        if requester_id == Some("amazon-rds") || d.starts_with("RDSNetworkInterface") {
            EniKind::Rds
        } else if requester_id == Some("amazon-elb") || d.starts_with("ELB ") {
            EniKind::LoadBalancer
        } else if d.starts_with("VPC Endpoint Interface") {
            EniKind::VpcEndpoint
        } else if d.starts_with("Interface for NAT Gateway") {
            EniKind::NatGateway
        } else if d.starts_with("Network Interface for Transit Gateway Attachment") {
            EniKind::TransitGateway
        } else if d.starts_with("aws-k8s-branch-eni") {
            EniKind::EksBranch
        } else if d.starts_with("aws-k8s-trunk-eni") {
            EniKind::EksTrunk
        } else if d.starts_with("AWS Lambda VPC ENI") {
            EniKind::Lambda
        } else if has_instance {
            EniKind::Instance
        } else {
            EniKind::Other
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateIp {
    pub ip: Ipv4Addr,
    pub primary: bool,
    /// The public IPv4 or Elastic IP associated with this private IP, if any.
    pub public_ip: Option<Ipv4Addr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EniAttachment {
    pub attachment_id: Option<String>,
    pub instance_id: Option<String>,
    pub instance_owner_id: Option<String>,
    pub device_index: Option<i64>,
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Eni {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub subnet_id: String,
    pub availability_zone: Option<String>,
    pub kind: EniKind,
    pub interface_type: String,
    pub description: String,
    pub requester_id: Option<String>,
    pub requester_managed: bool,
    pub status: Option<String>,
    /// Every private IPv4, primary first.
    pub private_ips: Vec<PrivateIp>,
    /// Delegated IPv4 prefixes (VPC CNI prefix mode).
    pub ipv4_prefixes: Vec<Ipv4Net>,
    pub ipv6_addresses: Vec<String>,
    pub security_groups: Vec<String>,
    pub attachment: Option<EniAttachment>,
    /// `SourceDestCheck`: when on, the ENI drops traffic it is neither the
    /// source nor the destination of. `None` when the snapshot does not say.
    pub source_dest_check: Option<bool>,
    pub tags: Tags,
    pub prov: Provenance,
}

impl Eni {
    pub fn primary_ip(&self) -> Option<Ipv4Addr> {
        self.private_ips.iter().find(|p| p.primary).or(self.private_ips.first()).map(|p| p.ip)
    }

    pub fn instance_id(&self) -> Option<&str> {
        self.attachment.as_ref().and_then(|a| a.instance_id.as_deref())
    }

    pub fn owns(&self, ip: Ipv4Addr) -> bool {
        self.private_ips.iter().any(|p| p.ip == ip) || self.ipv4_prefixes.iter().any(|n| n.contains(&ip))
    }
}
