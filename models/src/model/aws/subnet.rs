use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub cidr: Ipv4Net,
    pub availability_zone: String,
    pub availability_zone_id: Option<String>,
    pub map_public_ip_on_launch: bool,
    pub tags: Tags,
    pub prov: Provenance,
}

impl Subnet {
    pub fn name(&self) -> Option<&str> {
        self.tags.get("Name").map(String::as_str)
    }
}
