//! AWS `describe-*` responses → model. One file per concept; each exposes an
//! `ingest` function taking the value under its top-level key.

mod endpoint;
mod eni;
mod igw;
mod instance;
mod nacl;
mod nat;
pub mod nfw;
mod peering;
mod prefix_list;
mod route_table;
mod security_group;
mod subnet;
mod tgw;
mod vpc;

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Diagnostics, FileCtx, FileNames};
use crate::model::aws::{Eni, Scope, SgRule, Tags, TgwRoute};
use crate::model::{Network, Provenance, Warning, WarningKind};

/// Accumulates AWS resources across files; cross-file links (prefix list
/// entries, flat security group rules, TGW routes) are resolved in `finish`.
#[derive(Default)]
pub struct AwsBuilder {
    pub(crate) net: Network,
    names: FileNames,
    pub(crate) pl_entries: Vec<prefix_list::PendingEntries>,
    pub(crate) sg_rules: Vec<(String, SgRule)>,
    pub(crate) tgw_routes: Vec<(String, Vec<TgwRoute>, Provenance)>,
    pub(crate) tgw_assocs: Vec<(String, Vec<String>, Provenance)>,
    pub(crate) tgw_props: Vec<(String, Vec<String>, Provenance)>,
    /// Tables with a full `search-transit-gateway-routes` listing.
    pub(crate) tgw_full_routes: std::collections::BTreeSet<String>,
    /// Tables with a static-only listing (Batfish's `TransitGatewayStaticRoutes`).
    pub(crate) tgw_static_routes: std::collections::BTreeSet<String>,
    /// Tables whose propagations were listed.
    pub(crate) tgw_props_seen: std::collections::BTreeSet<String>,
    /// ENIs known only from `describe-instances`.
    pub(crate) instance_enis: Vec<Eni>,
    pub(crate) nfw: nfw::NfwPending,
}

/// Top-level keys that carry no resources (pagination and request metadata).
const IGNORED_KEYS: &[&str] = &["NextToken", "ResponseMetadata", "UpdateToken", "AdditionalRoutesAvailable"];

impl AwsBuilder {
    /// Ingests one JSON file; returns the kinds recognised in it.
    pub fn ingest_file(&mut self, path: &str, text: &str, scope: Scope, diags: &mut Diagnostics) -> Vec<String> {
        let Some(value) = FileCtx::parse_json(path, text, diags) else {
            return Vec::new();
        };
        let Some(obj) = value.as_object() else {
            diags.errors.push(super::IngestError::Invalid {
                file: path.to_string(),
                line: Some(1),
                message: "expected a JSON object (an AWS CLI response)".into(),
            });
            return Vec::new();
        };
        let file = self.names.get(path);
        let mut ctx = FileCtx::new(file, text, diags);
        let mut kinds = Vec::new();
        let has = |k: &str| obj.contains_key(k);
        let rtb_wrapper = obj.get("TransitGatewayRouteTableId").and_then(Value::as_str).map(str::to_string);
        for (key, v) in obj {
            let recognised = match key.as_str() {
                "Vpcs" => vpc::ingest(self, &mut ctx, &scope, v),
                "Subnets" => subnet::ingest(self, &mut ctx, &scope, v),
                "SecurityGroups" => security_group::ingest(self, &mut ctx, &scope, v),
                "SecurityGroupRules" => security_group::ingest_rules(self, &mut ctx, v),
                "NetworkAcls" => nacl::ingest(self, &mut ctx, &scope, v),
                "RouteTables" => route_table::ingest(self, &mut ctx, &scope, v),
                "NetworkInterfaces" => eni::ingest(self, &mut ctx, &scope, v),
                "Reservations" => instance::ingest(self, &mut ctx, &scope, v),
                "InternetGateways" => igw::ingest(self, &mut ctx, &scope, v),
                "NatGateways" => nat::ingest(self, &mut ctx, &scope, v),
                "VpcPeeringConnections" => peering::ingest(self, &mut ctx, v),
                "VpcEndpoints" => endpoint::ingest(self, &mut ctx, &scope, v),
                "PrefixLists" | "ManagedPrefixLists" => prefix_list::ingest(self, &mut ctx, &scope, key, v),
                "Entries" if has("PrefixListId") => prefix_list::ingest_entries(self, &mut ctx, obj, v),
                "PrefixListId" if has("Entries") => true,
                "TransitGateways" => tgw::ingest_tgws(self, &mut ctx, &scope, v),
                "TransitGatewayAttachments" | "TransitGatewayVpcAttachments" => {
                    tgw::ingest_attachments(self, &mut ctx, &scope, key, v)
                }
                "TransitGatewayRouteTables" => tgw::ingest_route_tables(self, &mut ctx, &scope, v),
                "TransitGatewayStaticRoutes" | "TransitGatewayPropagations" => {
                    tgw::ingest_batfish_list(self, &mut ctx, key, v)
                }
                "Routes" if rtb_wrapper.is_some() => {
                    tgw::ingest_routes(self, &mut ctx, rtb_wrapper.as_deref().unwrap_or_default(), v)
                }
                "Associations" if rtb_wrapper.is_some() => {
                    tgw::ingest_assocs(self, &mut ctx, rtb_wrapper.as_deref().unwrap_or_default(), key, v)
                }
                "TransitGatewayRouteTablePropagations" if rtb_wrapper.is_some() => {
                    tgw::ingest_assocs(self, &mut ctx, rtb_wrapper.as_deref().unwrap_or_default(), key, v)
                }
                "TransitGatewayRouteTableId" if rtb_wrapper.is_some() => true,
                "Firewall"
                | "FirewallStatus"
                | "FirewallPolicyResponse"
                | "FirewallPolicy"
                | "RuleGroupResponse"
                | "RuleGroup" => nfw::ingest(self, &mut ctx, &scope, key, obj),
                k if IGNORED_KEYS.contains(&k) => true,
                _ => false,
            };
            if recognised && !IGNORED_KEYS.contains(&key.as_str()) {
                kinds.push(key.clone());
            } else if !recognised {
                let hint = match key.as_str() {
                    "Routes" | "Associations" | "TransitGatewayRouteTablePropagations" => {
                        " (wrap it as {\"TransitGatewayRouteTableId\": \"tgw-rtb-…\", …})"
                    }
                    "Entries" => " (wrap it as {\"PrefixListId\": \"pl-…\", \"Entries\": […]})",
                    _ => "",
                };
                ctx.diags.warnings.push(Warning::file(
                    WarningKind::UnrecognizedFile,
                    path,
                    format!("top-level key `{key}` is not a resource netprove reads; ignored{hint}"),
                ));
            }
        }
        kinds
    }

    /// Resolves cross-file links into `net`.
    pub fn finish(mut self, net: &mut Network, diags: &mut Diagnostics) {
        prefix_list::finish(&mut self, diags);
        security_group::finish(&mut self, diags);
        tgw::finish(&mut self, diags);
        eni::finish(&mut self, diags);
        nfw::finish(&mut self, diags);
        let clusters = std::mem::take(&mut net.clusters);
        let meta = std::mem::take(&mut net.meta);
        *net = self.net;
        net.clusters = clusters;
        net.meta = meta;
    }
}

/// Inserts a resource by id. A resource seen twice (e.g. a peering listed by
/// both accounts) keeps its first definition; a duplicate within one account
/// is reported.
pub(crate) fn insert<T>(
    map: &mut BTreeMap<String, T>,
    id: String,
    item: T,
    prov: &Provenance,
    scope_of: impl Fn(&T) -> Option<String>,
    diags: &mut Diagnostics,
) {
    if let Some(existing) = map.get(&id) {
        let (a, b) = (scope_of(existing), scope_of(&item));
        if a.is_some() && a == b {
            diags.warnings.push(Warning::at(
                WarningKind::Suspicious,
                prov,
                format!("`{id}` is defined more than once; the first definition is used"),
            ));
        }
        return;
    }
    map.insert(id, item);
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct WireTag {
    pub key: Option<String>,
    pub value: Option<String>,
}

pub(crate) fn tags(t: &Option<Vec<WireTag>>) -> Tags {
    t.iter().flatten().filter_map(|t| Some((t.key.clone()?, t.value.clone().unwrap_or_default()))).collect()
}

/// A required string field, or an error naming the resource and field.
pub(crate) fn req<'v>(
    ctx: &mut FileCtx,
    line: Option<u32>,
    resource: &str,
    field: &str,
    v: &'v Option<String>,
) -> Option<&'v str> {
    match v.as_deref() {
        Some(s) if !s.is_empty() => Some(s),
        _ => {
            ctx.missing(line, resource, field);
            None
        }
    }
}

pub(crate) fn parse_ip(
    ctx: &mut FileCtx,
    line: Option<u32>,
    resource: &str,
    field: &str,
    s: &str,
) -> Option<std::net::Ipv4Addr> {
    match s.parse() {
        Ok(ip) => Some(ip),
        Err(_) => {
            ctx.invalid(line, resource, field, format!("`{s}` is not an IPv4 address"));
            None
        }
    }
}

pub(crate) fn parse_cidr(
    ctx: &mut FileCtx,
    line: Option<u32>,
    resource: &str,
    field: &str,
    s: &str,
) -> Option<ipnet::Ipv4Net> {
    match crate::model::net::parse_cidr(s) {
        Some(n) => Some(n),
        None => {
            ctx.invalid(line, resource, field, format!("`{s}` is not an IPv4 CIDR"));
            None
        }
    }
}
