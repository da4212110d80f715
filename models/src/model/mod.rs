//! The vendor-neutral network model.
//!
//! Architecture invariant: nothing in this module does IO. Ingestion builds a
//! [`Network`]; the evaluator and the verifier only ever read it.

pub mod aws;
pub mod dump;
pub mod index;
pub mod k8s;
pub mod net;
pub mod nfw;
pub mod provenance;
pub mod warning;

use std::collections::BTreeMap;

pub use index::{IpOwner, NetworkIndex};
pub use net::{Action, Direction, IcmpMatch, PortRange, Traffic};
pub use provenance::Provenance;
pub use warning::{Warning, WarningKind};

/// Snapshot-wide settings from `snapshot.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SnapshotMeta {
    pub name: String,
    /// `captured_at` from `snapshot.toml`, as RFC 3339 text.
    pub captured_at: Option<String>,
}

/// Everything netprove knows about one estate: every AWS account and region and
/// every Kubernetes cluster, keyed by their ids. Maps are ordered so that every
/// rendering is deterministic.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub meta: SnapshotMeta,
    pub vpcs: BTreeMap<String, aws::Vpc>,
    pub subnets: BTreeMap<String, aws::Subnet>,
    pub enis: BTreeMap<String, aws::Eni>,
    pub instances: BTreeMap<String, aws::Instance>,
    pub security_groups: BTreeMap<String, aws::SecurityGroup>,
    pub nacls: BTreeMap<String, aws::Nacl>,
    pub route_tables: BTreeMap<String, aws::RouteTable>,
    pub internet_gateways: BTreeMap<String, aws::InternetGateway>,
    pub nat_gateways: BTreeMap<String, aws::NatGateway>,
    pub peerings: BTreeMap<String, aws::VpcPeering>,
    pub vpc_endpoints: BTreeMap<String, aws::VpcEndpoint>,
    pub prefix_lists: BTreeMap<String, aws::PrefixList>,
    pub transit_gateways: BTreeMap<String, aws::TransitGateway>,
    pub tgw_attachments: BTreeMap<String, aws::TgwAttachment>,
    pub tgw_route_tables: BTreeMap<String, aws::TgwRouteTable>,
    pub firewalls: BTreeMap<String, nfw::Firewall>,
    pub firewall_policies: BTreeMap<String, nfw::FirewallPolicy>,
    pub rule_groups: BTreeMap<String, nfw::RuleGroup>,
    pub clusters: BTreeMap<String, k8s::Cluster>,
}
