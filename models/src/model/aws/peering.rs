use ipnet::Ipv4Net;

use super::Tags;
use crate::model::Provenance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeringSide {
    pub vpc_id: String,
    pub owner: Option<String>,
    pub region: Option<String>,
    pub cidrs: Vec<Ipv4Net>,
}

#[derive(Debug, Clone)]
pub struct VpcPeering {
    pub id: String,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
    /// `Status.Code`: only `active` forwards traffic.
    pub status: String,
    pub tags: Tags,
    pub prov: Provenance,
}

impl VpcPeering {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    /// The VPC on the other side of `vpc_id`, if `vpc_id` is one side.
    pub fn other_side(&self, vpc_id: &str) -> Option<&PeeringSide> {
        if self.requester.vpc_id == vpc_id {
            Some(&self.accepter)
        } else if self.accepter.vpc_id == vpc_id {
            Some(&self.requester)
        } else {
            None
        }
    }
}
