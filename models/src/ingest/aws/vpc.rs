//! `describe-vpcs` → [`Vpc`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Scope, Vpc};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireVpc {
    vpc_id: Option<String>,
    owner_id: Option<String>,
    cidr_block: Option<String>,
    #[serde(default)]
    cidr_block_association_set: Vec<WireCidrAssoc>,
    #[serde(default)]
    ipv6_cidr_block_association_set: Vec<WireIpv6Assoc>,
    #[serde(default)]
    is_default: bool,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireCidrAssoc {
    cidr_block: Option<String>,
    cidr_block_state: Option<WireState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireIpv6Assoc {
    ipv6_cidr_block: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireState {
    state: Option<String>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireVpc>("Vpcs", v) {
        let line = ctx.line(&["Vpcs", &i.to_string()]);
        let Some(id) = req(ctx, line, &format!("Vpcs[{i}]"), "VpcId", &w.vpc_id) else { continue };
        let id = id.to_string();
        let Some(primary) = req(ctx, line, &id, "CidrBlock", &w.cidr_block) else { continue };
        let Some(primary) = parse_cidr(ctx, line, &id, "CidrBlock", primary) else { continue };
        let mut cidrs = vec![primary];
        for a in &w.cidr_block_association_set {
            let state = a.cidr_block_state.as_ref().and_then(|s| s.state.as_deref());
            // Only associated blocks carry traffic; disassociated ones linger in the API.
            if !matches!(state, None | Some("associated")) {
                continue;
            }
            if let Some(c) = &a.cidr_block {
                if let Some(n) = parse_cidr(ctx, line, &id, "CidrBlockAssociationSet.CidrBlock", c) {
                    if !cidrs.contains(&n) {
                        cidrs.push(n);
                    }
                }
            }
        }
        let prov = ctx.prov(&["Vpcs", &i.to_string()], &id);
        let ipv6_cidrs: Vec<String> =
            w.ipv6_cidr_block_association_set.iter().filter_map(|a| a.ipv6_cidr_block.clone()).collect();
        if !ipv6_cidrs.is_empty() {
            ctx.warn(
                WarningKind::Unsupported,
                &prov,
                format!("IPv6 CIDR {} is not modelled (IPv4 only)", ipv6_cidrs.join(", ")),
            );
        }
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let vpc = Vpc {
            id: id.clone(),
            scope,
            cidrs,
            ipv6_cidrs,
            is_default: w.is_default,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.vpcs, id, vpc, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
