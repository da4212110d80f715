//! `describe-firewall` → [`Firewall`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::super::{req, tags, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
use crate::model::nfw::{Firewall, FirewallEndpoint};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireFirewall {
    firewall_name: Option<String>,
    firewall_arn: Option<String>,
    firewall_policy_arn: Option<String>,
    vpc_id: Option<String>,
    subnet_mappings: Option<Vec<WireSubnetMapping>>,
    firewall_id: Option<String>,
    description: Option<String>,
    transit_gateway_id: Option<String>,
    transit_gateway_owner_account_id: Option<String>,
    #[serde(default)]
    availability_zone_mappings: Vec<WireAzMapping>,
    nat_gateway_mappings: Option<Value>,
    proxy_settings: Option<Value>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSubnetMapping {
    subnet_id: Option<String>,
    #[serde(rename = "IPAddressType")]
    ip_address_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAzMapping {
    availability_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireFirewallStatus {
    status: Option<String>,
    #[serde(default)]
    sync_states: BTreeMap<String, WireSyncState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSyncState {
    attachment: Option<WireAttachment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAttachment {
    subnet_id: Option<String>,
    endpoint_id: Option<String>,
    status: Option<String>,
}

fn non_empty(v: &Option<Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

pub(super) fn ingest(ctx: &mut FileCtx, scope: &Scope, obj: &Map<String, Value>) -> Option<Firewall> {
    let w = ctx.one::<WireFirewall>("Firewall", obj.get("Firewall")?)?;
    let fallback = w.firewall_name.as_deref().map_or_else(|| "Firewall".to_string(), |n| format!("firewall/{n}"));
    let name = req(ctx, None, &fallback, "Firewall.FirewallName", &w.firewall_name)?.to_string();
    let resource = format!("firewall/{name}");
    let arn = req(ctx, None, &resource, "Firewall.FirewallArn", &w.firewall_arn).map(str::to_string);
    let policy_arn =
        req(ctx, None, &resource, "Firewall.FirewallPolicyArn", &w.firewall_policy_arn).map(str::to_string);
    let vpc_id = req(ctx, None, &resource, "Firewall.VpcId", &w.vpc_id).map(str::to_string);
    if w.subnet_mappings.is_none() {
        ctx.missing(None, &resource, "Firewall.SubnetMappings");
    }
    let prov = ctx.prov(&[], &resource);

    let mut subnet_mappings = Vec::new();
    for (i, m) in w.subnet_mappings.iter().flatten().enumerate() {
        let line = ctx.line(&["Firewall", "SubnetMappings", &i.to_string()]);
        let Some(id) = req(ctx, line, &resource, &format!("Firewall.SubnetMappings[{i}].SubnetId"), &m.subnet_id)
        else {
            continue;
        };
        if m.ip_address_type.as_deref() == Some("IPV6") {
            ctx.warn(WarningKind::Unsupported, &prov, format!("IPv6-only subnet mapping `{id}` is not modelled"));
        }
        subnet_mappings.push(id.to_string());
    }

    if let Some(tgw) = &w.transit_gateway_id {
        ctx.warn(
            WarningKind::Unsupported,
            &prov,
            format!("native transit gateway attachment to `{tgw}` is not modelled; only the VPC endpoints are"),
        );
    }
    if non_empty(&w.proxy_settings) || non_empty(&w.nat_gateway_mappings) {
        ctx.warn(WarningKind::Unsupported, &prov, "proxy mode (NAT gateway mappings, proxy settings) is not modelled");
    }

    let mut endpoints = BTreeMap::new();
    let mut status = None;
    match obj.get("FirewallStatus") {
        None | Some(Value::Null) => ctx.warn(
            WarningKind::Approximation,
            &prov,
            "the response has no `FirewallStatus`, so the firewall's endpoints are unknown",
        ),
        Some(v) => {
            if let Some(s) = ctx.one::<WireFirewallStatus>("FirewallStatus", v) {
                status = s.status;
                let mut seen = BTreeSet::new();
                for (az, st) in s.sync_states {
                    let Some(att) = st.attachment else {
                        ctx.warn(WarningKind::Suspicious, &prov, format!("no endpoint attachment in `{az}`"));
                        continue;
                    };
                    let Some(endpoint_id) = att.endpoint_id.filter(|e| !e.is_empty()) else {
                        ctx.warn(
                            WarningKind::Suspicious,
                            &prov,
                            format!(
                                "the attachment in `{az}` has no endpoint id (status {})",
                                att.status.as_deref().unwrap_or("unknown")
                            ),
                        );
                        continue;
                    };
                    if !seen.insert(endpoint_id.clone()) {
                        ctx.warn(
                            WarningKind::Suspicious,
                            &prov,
                            format!("endpoint `{endpoint_id}` is listed in more than one AZ"),
                        );
                    }
                    endpoints.insert(
                        az.clone(),
                        FirewallEndpoint {
                            availability_zone: az,
                            subnet_id: att.subnet_id,
                            endpoint_id,
                            status: att.status,
                        },
                    );
                }
            }
        }
    }

    Some(Firewall {
        name,
        arn: arn?,
        scope: scope.clone(),
        vpc_id: vpc_id?,
        policy_arn: policy_arn?,
        subnet_mappings,
        endpoints,
        id: w.firewall_id,
        description: w.description,
        status,
        transit_gateway_id: w.transit_gateway_id,
        transit_gateway_owner_account_id: w.transit_gateway_owner_account_id,
        availability_zones: w.availability_zone_mappings.into_iter().filter_map(|m| m.availability_zone).collect(),
        tags: tags(&w.tags),
        prov,
    })
}
