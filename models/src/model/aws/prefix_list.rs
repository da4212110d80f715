use ipnet::Ipv4Net;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct PrefixList {
    pub id: String,
    pub scope: Scope,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub address_family: Option<String>,
    /// `None` until entries were read (`get-managed-prefix-list-entries` or the
    /// `Cidrs` of `describe-prefix-lists`). A reference to a list with unknown
    /// entries is an approximation.
    pub entries: Option<Vec<(Ipv4Net, Option<String>)>>,
    pub ipv6_entries: Vec<String>,
    pub tags: Tags,
    pub prov: Provenance,
}
