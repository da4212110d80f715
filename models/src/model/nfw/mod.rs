//! AWS Network Firewall: firewalls, policies, rule groups and the structured
//! Suricata subset. (Being filled in: see the nfw ingestion.)

use std::collections::BTreeMap;

use crate::model::aws::Scope;
use crate::model::Provenance;

/// One firewall endpoint (a GWLB-type `vpce-…`) in one AZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallEndpoint {
    pub availability_zone: String,
    pub subnet_id: Option<String>,
    pub endpoint_id: String,
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Firewall {
    pub name: String,
    pub arn: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub policy_arn: String,
    pub subnet_mappings: Vec<String>,
    /// Keyed by AZ, from `FirewallStatus.SyncStates`.
    pub endpoints: BTreeMap<String, FirewallEndpoint>,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct FirewallPolicy {
    pub name: String,
    pub arn: String,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct RuleGroup {
    pub name: String,
    pub arn: String,
    pub prov: Provenance,
}
