//! A Network Firewall firewall and its per-AZ endpoints.

use std::collections::BTreeMap;

use crate::model::aws::{Scope, Tags};
use crate::model::Provenance;

/// One firewall endpoint (a GWLB-type `vpce-…`) in one AZ, from
/// `FirewallStatus.SyncStates[az].Attachment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallEndpoint {
    pub availability_zone: String,
    pub subnet_id: Option<String>,
    pub endpoint_id: String,
    /// `CREATING|DELETING|FAILED|ERROR|SCALING|READY`.
    pub status: Option<String>,
}

impl FirewallEndpoint {
    /// Only a `READY` (or status-less) endpoint forwards traffic.
    pub fn is_ready(&self) -> bool {
        matches!(self.status.as_deref(), None | Some("READY"))
    }
}

#[derive(Debug, Clone)]
pub struct Firewall {
    pub name: String,
    pub arn: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub policy_arn: String,
    /// Subnet ids from `SubnetMappings`, in API order.
    pub subnet_mappings: Vec<String>,
    /// Keyed by AZ, from `FirewallStatus.SyncStates`.
    pub endpoints: BTreeMap<String, FirewallEndpoint>,
    pub id: Option<String>,
    pub description: Option<String>,
    /// `FirewallStatus.Status`: `PROVISIONING|DELETING|READY`.
    pub status: Option<String>,
    /// Set for a firewall attached natively to a transit gateway. That
    /// attachment is not modelled (a warning says so); the fields are kept.
    pub transit_gateway_id: Option<String>,
    pub transit_gateway_owner_account_id: Option<String>,
    /// `AvailabilityZoneMappings` of a TGW-attached firewall.
    pub availability_zones: Vec<String>,
    pub tags: Tags,
    pub prov: Provenance,
}

impl Firewall {
    /// The endpoint that serves `az`, if the firewall has one there.
    pub fn endpoint_in(&self, az: &str) -> Option<&FirewallEndpoint> {
        self.endpoints.get(az)
    }

    /// The AZ of the endpoint `vpce-…`, if it belongs to this firewall.
    pub fn endpoint_by_id(&self, endpoint_id: &str) -> Option<&FirewallEndpoint> {
        self.endpoints.values().find(|e| e.endpoint_id == endpoint_id)
    }
}
