//! `describe-internet-gateways` → [`InternetGateway`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{InternetGateway, Scope};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireIgw {
    internet_gateway_id: Option<String>,
    owner_id: Option<String>,
    #[serde(default)]
    attachments: Vec<WireAttachment>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAttachment {
    vpc_id: Option<String>,
    state: Option<String>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireIgw>("InternetGateways", v) {
        let is = i.to_string();
        let line = ctx.line(&["InternetGateways", &is]);
        let Some(id) = req(ctx, line, &format!("InternetGateways[{i}]"), "InternetGatewayId", &w.internet_gateway_id)
        else {
            continue;
        };
        let id = id.to_string();
        let prov = ctx.prov(&["InternetGateways", &is], &id);
        // `available` is what describe-internet-gateways prints for an attached IGW.
        let vpcs = w
            .attachments
            .iter()
            .filter(|a| matches!(a.state.as_deref(), None | Some("available") | Some("attached")))
            .filter_map(|a| a.vpc_id.clone())
            .collect();
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let igw = InternetGateway { id: id.clone(), scope, vpcs, tags: tags(&w.tags), prov: prov.clone() };
        insert(&mut b.net.internet_gateways, id, igw, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
