use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct TransitGateway {
    pub id: String,
    pub scope: Scope,
    pub owner: Option<String>,
    pub state: Option<String>,
    pub default_association_route_table: Option<String>,
    pub default_propagation_route_table: Option<String>,
    pub security_group_referencing: bool,
    pub tags: Tags,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct TgwAttachment {
    pub id: String,
    pub scope: Scope,
    pub tgw_id: String,
    /// `vpc`, `vpn`, `peering`, `direct-connect-gateway`, `connect`, `network-function`, …
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub resource_owner: Option<String>,
    pub state: Option<String>,
    /// Route table associated (from `Association`, or from association files).
    pub association: Option<String>,
    /// Whether `association: None` means "not associated": the generic
    /// `describe-transit-gateway-attachments` listing (which reports every
    /// association) or an association file named the attachment. The VPC
    /// attachment listing alone says nothing about associations.
    pub association_known: bool,
    /// VPC attachments: the subnets (one per AZ) holding the attachment ENIs.
    pub subnet_ids: Vec<String>,
    /// VPC attachments: `Options.ApplianceModeSupport == "enable"`; `None` if unknown.
    pub appliance_mode: Option<bool>,
    pub security_group_referencing: Option<bool>,
    pub tags: Tags,
    pub prov: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TgwRouteType {
    Static,
    Propagated,
}

#[derive(Debug, Clone)]
pub struct TgwRoute {
    pub dest: Option<Ipv4Net>,
    pub prefix_list: Option<String>,
    pub ipv6_dest: Option<String>,
    pub attachments: Vec<String>,
    pub route_type: TgwRouteType,
    /// `active`, `blackhole`, …
    pub blackhole: bool,
    pub state: String,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct TgwRouteTable {
    pub id: String,
    pub scope: Scope,
    pub tgw_id: String,
    pub default_association: bool,
    pub default_propagation: bool,
    /// `None` until a routes file for this table was read.
    pub routes: Option<Vec<TgwRoute>>,
    pub associations: Vec<String>,
    pub propagations: Vec<String>,
    pub tags: Tags,
    pub prov: Provenance,
}
