//! `describe-subnets` → [`Subnet`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Scope, Subnet};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSubnet {
    subnet_id: Option<String>,
    vpc_id: Option<String>,
    owner_id: Option<String>,
    cidr_block: Option<String>,
    availability_zone: Option<String>,
    availability_zone_id: Option<String>,
    #[serde(default)]
    map_public_ip_on_launch: bool,
    #[serde(default)]
    ipv6_native: bool,
    tags: Option<Vec<WireTag>>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireSubnet>("Subnets", v) {
        let line = ctx.line(&["Subnets", &i.to_string()]);
        let Some(id) = req(ctx, line, &format!("Subnets[{i}]"), "SubnetId", &w.subnet_id) else { continue };
        let id = id.to_string();
        let prov = ctx.prov(&["Subnets", &i.to_string()], &id);
        if w.ipv6_native {
            ctx.warn(WarningKind::Unsupported, &prov, "IPv6-only subnet is not modelled; ignored");
            continue;
        }
        let Some(vpc_id) = req(ctx, line, &id, "VpcId", &w.vpc_id).map(str::to_string) else { continue };
        let Some(c) = req(ctx, line, &id, "CidrBlock", &w.cidr_block) else { continue };
        let Some(cidr) = parse_cidr(ctx, line, &id, "CidrBlock", c) else { continue };
        let Some(az) = req(ctx, line, &id, "AvailabilityZone", &w.availability_zone).map(str::to_string) else {
            continue;
        };
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let s = Subnet {
            id: id.clone(),
            scope,
            vpc_id,
            cidr,
            availability_zone: az,
            availability_zone_id: w.availability_zone_id,
            map_public_ip_on_launch: w.map_public_ip_on_launch,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.subnets, id, s, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
