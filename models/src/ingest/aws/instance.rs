//! `describe-instances` → [`Instance`] (and the ENIs embedded in it).

use serde::Deserialize;
use serde_json::Value;

use super::eni::{convert, WireEni};
use super::{insert, parse_ip, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Instance, Scope};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireReservation {
    owner_id: Option<String>,
    #[serde(default)]
    instances: Vec<WireInstance>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireInstance {
    instance_id: Option<String>,
    instance_type: Option<String>,
    state: Option<WireState>,
    vpc_id: Option<String>,
    subnet_id: Option<String>,
    placement: Option<WirePlacement>,
    private_ip_address: Option<String>,
    public_ip_address: Option<String>,
    #[serde(default)]
    network_interfaces: Vec<WireEni>,
    #[serde(default)]
    security_groups: Vec<WireGroup>,
    source_dest_check: Option<bool>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireState {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePlacement {
    availability_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireGroup {
    group_id: Option<String>,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (ri, r) in ctx.items::<WireReservation>("Reservations", v) {
        let rs = ri.to_string();
        let mut scope = scope.clone();
        if let Some(o) = &r.owner_id {
            scope.account = o.clone();
        }
        for (ii, w) in r.instances.into_iter().enumerate() {
            let is = ii.to_string();
            let path = ["Reservations", rs.as_str(), "Instances", is.as_str()];
            let line = ctx.line(&path);
            let Some(id) = req(ctx, line, &format!("Reservations[{ri}].Instances[{ii}]"), "InstanceId", &w.instance_id)
            else {
                continue;
            };
            let id = id.to_string();
            let prov = ctx.prov(&path, &id);
            let az = w.placement.as_ref().and_then(|p| p.availability_zone.clone());
            let mut enis = Vec::new();
            for (ei, e) in w.network_interfaces.into_iter().enumerate() {
                let es = ei.to_string();
                let epath = ["Reservations", rs.as_str(), "Instances", is.as_str(), "NetworkInterfaces", es.as_str()];
                if let Some(eni) = convert(ctx, &scope, &epath, e, Some((&id, az.as_deref()))) {
                    let idx = eni.attachment.as_ref().and_then(|a| a.device_index).unwrap_or(ei as i64);
                    enis.push((idx, eni.id.clone()));
                    b.instance_enis.push(eni);
                }
            }
            enis.sort();
            let private_ip = match &w.private_ip_address {
                Some(s) => parse_ip(ctx, line, &id, "PrivateIpAddress", s),
                None => None,
            };
            let public_ip = match &w.public_ip_address {
                Some(s) => parse_ip(ctx, line, &id, "PublicIpAddress", s),
                None => None,
            };
            let inst = Instance {
                id: id.clone(),
                scope: scope.clone(),
                instance_type: w.instance_type,
                state: w.state.and_then(|s| s.name),
                vpc_id: w.vpc_id,
                subnet_id: w.subnet_id,
                availability_zone: az,
                private_ip,
                public_ip,
                enis: enis.into_iter().map(|(_, e)| e).collect(),
                security_groups: w.security_groups.into_iter().filter_map(|g| g.group_id).collect(),
                source_dest_check: w.source_dest_check.unwrap_or(true),
                tags: tags(&w.tags),
                prov: prov.clone(),
            };
            insert(&mut b.net.instances, id, inst, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
        }
    }
    true
}
