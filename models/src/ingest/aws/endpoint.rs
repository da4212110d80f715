//! `describe-vpc-endpoints` → [`VpcEndpoint`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Scope, VpcEndpoint, VpcEndpointType};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireEndpoint {
    vpc_endpoint_id: Option<String>,
    vpc_endpoint_type: Option<String>,
    vpc_id: Option<String>,
    service_name: Option<String>,
    state: Option<String>,
    owner_id: Option<String>,
    policy_document: Option<String>,
    #[serde(default)]
    route_table_ids: Vec<String>,
    #[serde(default)]
    subnet_ids: Vec<String>,
    #[serde(default)]
    network_interface_ids: Vec<String>,
    #[serde(default)]
    groups: Vec<WireGroup>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireGroup {
    group_id: Option<String>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireEndpoint>("VpcEndpoints", v) {
        let is = i.to_string();
        let line = ctx.line(&["VpcEndpoints", &is]);
        let Some(id) = req(ctx, line, &format!("VpcEndpoints[{i}]"), "VpcEndpointId", &w.vpc_endpoint_id) else {
            continue;
        };
        let id = id.to_string();
        let prov = ctx.prov(&["VpcEndpoints", &is], &id);
        let Some(vpc_id) = req(ctx, line, &id, "VpcId", &w.vpc_id).map(str::to_string) else { continue };
        let endpoint_type = match w.vpc_endpoint_type.as_deref() {
            Some("Interface") => VpcEndpointType::Interface,
            Some("Gateway") => VpcEndpointType::Gateway,
            Some("GatewayLoadBalancer") => VpcEndpointType::GatewayLoadBalancer,
            _ => VpcEndpointType::Other,
        };
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let ep = VpcEndpoint {
            id: id.clone(),
            scope,
            vpc_id,
            service_name: w.service_name.unwrap_or_default(),
            endpoint_type,
            state: w.state,
            subnets: w.subnet_ids,
            route_tables: w.route_table_ids,
            enis: w.network_interface_ids,
            security_groups: w.groups.into_iter().filter_map(|g| g.group_id).collect(),
            policy_document: w.policy_document,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.vpc_endpoints, id, ep, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
