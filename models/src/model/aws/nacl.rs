use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::{Action, Provenance, Traffic};

#[derive(Debug, Clone)]
pub struct NaclEntry {
    pub rule_number: u32,
    pub action: Action,
    pub traffic: Traffic,
    /// `None` for IPv6 entries (kept in `ipv6_cidr`, never matching IPv4).
    pub cidr: Option<Ipv4Net>,
    pub ipv6_cidr: Option<String>,
    pub prov: Provenance,
}

/// A network ACL. Entries are sorted by ascending rule number; the implicit
/// final deny (`*`, 32767) is kept when the API lists it and is implied anyway.
#[derive(Debug, Clone)]
pub struct Nacl {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub is_default: bool,
    pub subnets: Vec<String>,
    pub ingress: Vec<NaclEntry>,
    pub egress: Vec<NaclEntry>,
    pub tags: Tags,
    pub prov: Provenance,
}
