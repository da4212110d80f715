//! `describe-vpc-peering-connections` → [`VpcPeering`]. Both accounts list the
//! same connection; the first definition is kept.

use serde::Deserialize;
use serde_json::Value;

use super::{insert, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{PeeringSide, VpcPeering};
use crate::model::net::parse_cidr;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePeering {
    vpc_peering_connection_id: Option<String>,
    requester_vpc_info: Option<WireSide>,
    accepter_vpc_info: Option<WireSide>,
    status: Option<WireStatus>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSide {
    vpc_id: Option<String>,
    owner_id: Option<String>,
    region: Option<String>,
    cidr_block: Option<String>,
    #[serde(default)]
    cidr_block_set: Vec<WireCidr>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireCidr {
    cidr_block: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatus {
    code: Option<String>,
}

fn side(ctx: &mut FileCtx, line: Option<u32>, id: &str, field: &str, s: Option<WireSide>) -> Option<PeeringSide> {
    let Some(s) = s else {
        ctx.missing(line, id, field);
        return None;
    };
    let vpc_id = req(ctx, line, id, &format!("{field}.VpcId"), &s.vpc_id)?.to_string();
    let mut cidrs = Vec::new();
    for c in s.cidr_block.iter().chain(s.cidr_block_set.iter().filter_map(|c| c.cidr_block.as_ref())) {
        match parse_cidr(c) {
            Some(n) if !cidrs.contains(&n) => cidrs.push(n),
            Some(_) => {}
            None => {
                ctx.invalid(line, id, &format!("{field}.CidrBlock"), format!("`{c}` is not an IPv4 CIDR"));
                return None;
            }
        }
    }
    Some(PeeringSide { vpc_id, owner: s.owner_id, region: s.region, cidrs })
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, v: &Value) -> bool {
    for (i, w) in ctx.items::<WirePeering>("VpcPeeringConnections", v) {
        let is = i.to_string();
        let line = ctx.line(&["VpcPeeringConnections", &is]);
        let Some(id) = req(
            ctx,
            line,
            &format!("VpcPeeringConnections[{i}]"),
            "VpcPeeringConnectionId",
            &w.vpc_peering_connection_id,
        ) else {
            continue;
        };
        let id = id.to_string();
        let prov = ctx.prov(&["VpcPeeringConnections", &is], &id);
        let Some(requester) = side(ctx, line, &id, "RequesterVpcInfo", w.requester_vpc_info) else { continue };
        let Some(accepter) = side(ctx, line, &id, "AccepterVpcInfo", w.accepter_vpc_info) else { continue };
        let status = w.status.and_then(|s| s.code).unwrap_or_else(|| "active".into());
        let p = VpcPeering { id: id.clone(), requester, accepter, status, tags: tags(&w.tags), prov: prov.clone() };
        // Listed by both accounts: not a duplicate.
        insert(&mut b.net.peerings, id, p, &prov, |_| None::<String>, ctx.diags);
    }
    true
}
