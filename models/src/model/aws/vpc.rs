use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

/// A VPC with its IPv4 CIDRs (primary first, then associated secondary blocks).
#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: String,
    pub scope: Scope,
    pub cidrs: Vec<Ipv4Net>,
    /// IPv6 blocks, kept as text: IPv6 is not modelled.
    pub ipv6_cidrs: Vec<String>,
    pub is_default: bool,
    pub tags: Tags,
    pub prov: Provenance,
}

impl Vpc {
    pub fn name(&self) -> Option<&str> {
        self.tags.get("Name").map(String::as_str)
    }

    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.cidrs.iter().any(|c| c.contains(&ip))
    }
}
