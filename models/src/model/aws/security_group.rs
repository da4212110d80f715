use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::{Direction, Provenance, Traffic};

/// The peer side of a security group rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SgPeer {
    Cidr(Ipv4Net),
    /// IPv6 source/destination: parsed, never matches an IPv4 packet, reported.
    Ipv6(String),
    /// A security group reference: matches the private IPs of ENIs carrying it.
    Group {
        group_id: String,
        /// `UserId`: the owning account, for cross-account references.
        owner: Option<String>,
        vpc_id: Option<String>,
        peering_id: Option<String>,
    },
    PrefixList(String),
}

/// One allow rule: security groups have no deny.
#[derive(Debug, Clone)]
pub struct SgRule {
    pub direction: Direction,
    pub traffic: Traffic,
    pub peer: SgPeer,
    pub description: Option<String>,
    /// `sgr-…` when the rule came from `DescribeSecurityGroupRules`.
    pub rule_id: Option<String>,
    pub prov: Provenance,
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub id: String,
    pub scope: Scope,
    pub name: String,
    pub description: String,
    pub vpc_id: Option<String>,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    pub tags: Tags,
    pub prov: Provenance,
}

impl SecurityGroup {
    pub fn rules(&self, dir: Direction) -> &[SgRule] {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}
