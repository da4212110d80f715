use std::net::Ipv4Addr;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NatConnectivity {
    Public,
    Private,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatAddress {
    pub allocation_id: Option<String>,
    pub eni_id: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
    pub is_primary: bool,
}

#[derive(Debug, Clone)]
pub struct NatGateway {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub subnet_id: String,
    pub connectivity: NatConnectivity,
    pub state: String,
    pub addresses: Vec<NatAddress>,
    pub tags: Tags,
    pub prov: Provenance,
}

impl NatGateway {
    pub fn primary(&self) -> Option<&NatAddress> {
        self.addresses.iter().find(|a| a.is_primary).or(self.addresses.first())
    }
}
