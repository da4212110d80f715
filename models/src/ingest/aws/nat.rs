//! `describe-nat-gateways` → [`NatGateway`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_ip, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{NatAddress, NatConnectivity, NatGateway, Scope};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireNat {
    nat_gateway_id: Option<String>,
    vpc_id: Option<String>,
    subnet_id: Option<String>,
    connectivity_type: Option<String>,
    state: Option<String>,
    #[serde(default)]
    nat_gateway_addresses: Vec<WireAddr>,
    availability_mode: Option<String>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAddr {
    allocation_id: Option<String>,
    network_interface_id: Option<String>,
    private_ip: Option<String>,
    public_ip: Option<String>,
    is_primary: Option<bool>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireNat>("NatGateways", v) {
        let is = i.to_string();
        let line = ctx.line(&["NatGateways", &is]);
        let Some(id) = req(ctx, line, &format!("NatGateways[{i}]"), "NatGatewayId", &w.nat_gateway_id) else {
            continue;
        };
        let id = id.to_string();
        let prov = ctx.prov(&["NatGateways", &is], &id);
        let Some(vpc_id) = req(ctx, line, &id, "VpcId", &w.vpc_id).map(str::to_string) else { continue };
        if w.availability_mode.as_deref() == Some("regional") {
            ctx.warn(WarningKind::Unsupported, &prov, "regional NAT gateways are not modelled");
        }
        let subnet_id = w.subnet_id.clone().unwrap_or_default();
        if subnet_id.is_empty() && w.availability_mode.as_deref() != Some("regional") {
            ctx.missing(line, &id, "SubnetId");
            continue;
        }
        let connectivity = match w.connectivity_type.as_deref() {
            None | Some("public") => NatConnectivity::Public,
            Some("private") => NatConnectivity::Private,
            Some(o) => {
                ctx.invalid(line, &id, "ConnectivityType", format!("`{o}` is neither `public` nor `private`"));
                continue;
            }
        };
        let mut addresses = Vec::new();
        for (k, a) in w.nat_gateway_addresses.iter().enumerate() {
            let private_ip =
                a.private_ip.as_ref().map(|s| parse_ip(ctx, line, &id, "NatGatewayAddresses.PrivateIp", s));
            let public_ip = a.public_ip.as_ref().map(|s| parse_ip(ctx, line, &id, "NatGatewayAddresses.PublicIp", s));
            if private_ip == Some(None) || public_ip == Some(None) {
                continue;
            }
            addresses.push(NatAddress {
                allocation_id: a.allocation_id.clone(),
                eni_id: a.network_interface_id.clone(),
                private_ip: private_ip.flatten(),
                public_ip: public_ip.flatten(),
                is_primary: a.is_primary.unwrap_or(k == 0),
            });
        }
        let scope = scope.clone();
        let nat = NatGateway {
            id: id.clone(),
            scope,
            vpc_id,
            subnet_id,
            connectivity,
            state: w.state.unwrap_or_else(|| "available".into()),
            addresses,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.nat_gateways, id, nat, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
