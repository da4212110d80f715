//! Transit gateways: `describe-transit-gateways`, `describe-transit-gateway-attachments`
//! (and `-vpc-attachments`), `describe-transit-gateway-route-tables`, and the
//! wrapped `search-transit-gateway-routes` / `get-transit-gateway-route-table-
//! associations` / `-propagations` outputs (`{"TransitGatewayRouteTableId": …}`).

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::{Scope, TgwAttachment, TgwRoute, TgwRouteTable, TgwRouteType, TransitGateway};
use crate::model::{Warning, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireTgw {
    transit_gateway_id: Option<String>,
    owner_id: Option<String>,
    state: Option<String>,
    options: Option<WireTgwOptions>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireTgwOptions {
    default_route_table_association: Option<String>,
    default_route_table_propagation: Option<String>,
    association_default_route_table_id: Option<String>,
    propagation_default_route_table_id: Option<String>,
    security_group_referencing_support: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAttachment {
    transit_gateway_attachment_id: Option<String>,
    transit_gateway_id: Option<String>,
    transit_gateway_owner_id: Option<String>,
    resource_owner_id: Option<String>,
    /// `describe-transit-gateway-vpc-attachments` uses these two.
    vpc_id: Option<String>,
    vpc_owner_id: Option<String>,
    resource_type: Option<String>,
    resource_id: Option<String>,
    state: Option<String>,
    association: Option<WireAssociation>,
    #[serde(default)]
    subnet_ids: Vec<String>,
    options: Option<WireAttachOptions>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssociation {
    transit_gateway_route_table_id: Option<String>,
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAttachOptions {
    appliance_mode_support: Option<String>,
    security_group_referencing_support: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRouteTable {
    transit_gateway_route_table_id: Option<String>,
    transit_gateway_id: Option<String>,
    #[serde(default)]
    default_association_route_table: bool,
    #[serde(default)]
    default_propagation_route_table: bool,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRoute {
    destination_cidr_block: Option<String>,
    prefix_list_id: Option<String>,
    #[serde(default)]
    transit_gateway_attachments: Vec<WireRouteAttachment>,
    #[serde(rename = "Type")]
    route_type: Option<String>,
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRouteAttachment {
    transit_gateway_attachment_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssocEntry {
    transit_gateway_attachment_id: Option<String>,
    state: Option<String>,
}

fn enabled(s: &Option<String>) -> Option<bool> {
    s.as_deref().map(|v| v == "enable")
}

pub(super) fn ingest_tgws(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireTgw>("TransitGateways", v) {
        let is = i.to_string();
        let line = ctx.line(&["TransitGateways", &is]);
        let Some(id) = req(ctx, line, &format!("TransitGateways[{i}]"), "TransitGatewayId", &w.transit_gateway_id)
        else {
            continue;
        };
        let id = id.to_string();
        let prov = ctx.prov(&["TransitGateways", &is], &id);
        let o = w.options;
        let t = TransitGateway {
            id: id.clone(),
            scope: scope.clone(),
            owner: w.owner_id,
            state: w.state,
            default_association_route_table: o
                .as_ref()
                .filter(|o| o.default_route_table_association.as_deref() == Some("enable"))
                .and_then(|o| o.association_default_route_table_id.clone()),
            default_propagation_route_table: o
                .as_ref()
                .filter(|o| o.default_route_table_propagation.as_deref() == Some("enable"))
                .and_then(|o| o.propagation_default_route_table_id.clone()),
            security_group_referencing: o
                .as_ref()
                .and_then(|o| enabled(&o.security_group_referencing_support))
                .unwrap_or(false),
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        // A TGW shared through RAM is listed by every account: not a duplicate.
        insert(&mut b.net.transit_gateways, id, t, &prov, |_| None::<String>, ctx.diags);
    }
    true
}

/// Both attachment listings describe the same attachments; facts are merged
/// (the VPC form carries subnets and appliance mode, the generic form the
/// association).
pub(super) fn ingest_attachments(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, key: &str, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireAttachment>(key, v) {
        let is = i.to_string();
        let line = ctx.line(&[key, &is]);
        let Some(id) =
            req(ctx, line, &format!("{key}[{i}]"), "TransitGatewayAttachmentId", &w.transit_gateway_attachment_id)
        else {
            continue;
        };
        let id = id.to_string();
        let Some(tgw_id) = req(ctx, line, &id, "TransitGatewayId", &w.transit_gateway_id).map(str::to_string) else {
            continue;
        };
        let prov = ctx.prov(&[key, &is], &id);
        let is_vpc_listing = key == "TransitGatewayVpcAttachments";
        let resource_type = w.resource_type.clone().or_else(|| is_vpc_listing.then(|| "vpc".to_string()));
        let Some(resource_type) = resource_type else {
            ctx.missing(line, &id, "ResourceType");
            continue;
        };
        let assoc = w
            .association
            .as_ref()
            .filter(|a| matches!(a.state.as_deref(), None | Some("associated")))
            .and_then(|a| a.transit_gateway_route_table_id.clone());
        let appliance = w.options.as_ref().and_then(|o| enabled(&o.appliance_mode_support));
        let sgref = w.options.as_ref().and_then(|o| enabled(&o.security_group_referencing_support));
        let association_known = !is_vpc_listing;
        if let Some(existing) = b.net.tgw_attachments.get_mut(&id) {
            if existing.association.is_none() {
                existing.association = assoc;
            }
            existing.association_known |= association_known;
            if existing.subnet_ids.is_empty() {
                existing.subnet_ids = w.subnet_ids.clone();
            }
            existing.appliance_mode = existing.appliance_mode.or(appliance);
            existing.security_group_referencing = existing.security_group_referencing.or(sgref);
            if existing.resource_id.is_none() {
                existing.resource_id = w.resource_id.clone().or(w.vpc_id.clone());
            }
            continue;
        }
        let gone = matches!(w.state.as_deref(), Some("deleted" | "deleting" | "failed" | "rejected"));
        if resource_type != "vpc" && !gone {
            ctx.warn(
                WarningKind::Unsupported,
                &prov,
                format!("`{resource_type}` attachments are not modelled: traffic routed to it is unknown"),
            );
        }
        let a = TgwAttachment {
            id: id.clone(),
            scope: scope.clone(),
            tgw_id,
            resource_type,
            resource_id: w.resource_id.or(w.vpc_id),
            resource_owner: w.resource_owner_id.or(w.vpc_owner_id).or(w.transit_gateway_owner_id.filter(|_| false)),
            state: w.state,
            association: assoc,
            association_known,
            subnet_ids: w.subnet_ids,
            appliance_mode: appliance,
            security_group_referencing: sgref,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        b.net.tgw_attachments.insert(id, a);
    }
    true
}

pub(super) fn ingest_route_tables(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireRouteTable>("TransitGatewayRouteTables", v) {
        let is = i.to_string();
        let line = ctx.line(&["TransitGatewayRouteTables", &is]);
        let Some(id) = req(
            ctx,
            line,
            &format!("TransitGatewayRouteTables[{i}]"),
            "TransitGatewayRouteTableId",
            &w.transit_gateway_route_table_id,
        ) else {
            continue;
        };
        let id = id.to_string();
        let Some(tgw_id) = req(ctx, line, &id, "TransitGatewayId", &w.transit_gateway_id).map(str::to_string) else {
            continue;
        };
        let prov = ctx.prov(&["TransitGatewayRouteTables", &is], &id);
        let rt = TgwRouteTable {
            id: id.clone(),
            scope: scope.clone(),
            tgw_id,
            default_association: w.default_association_route_table,
            default_propagation: w.default_propagation_route_table,
            routes: None,
            associations: Vec::new(),
            propagations: Vec::new(),
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.tgw_route_tables, id, rt, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}

pub(super) fn ingest_routes(b: &mut AwsBuilder, ctx: &mut FileCtx, rtb: &str, v: &Value) -> bool {
    b.tgw_full_routes.insert(rtb.to_string());
    ingest_routes_at(b, ctx, rtb, &["Routes"], v)
}

/// Routes of one table from the array at `path` (`Routes`, or nested in a
/// Batfish list).
fn ingest_routes_at(b: &mut AwsBuilder, ctx: &mut FileCtx, rtb: &str, path: &[&str], v: &Value) -> bool {
    let mut routes = Vec::new();
    for (i, w) in ctx.items_at::<WireRoute>(path, v) {
        let is = i.to_string();
        let mut at: Vec<&str> = path.to_vec();
        at.push(&is);
        let line = ctx.line(&at);
        let field = |f: &str| format!("Routes[{i}].{f}");
        let (dest, prefix_list, ipv6_dest, label) = match (&w.destination_cidr_block, &w.prefix_list_id) {
            (Some(c), _) if c.contains(':') => (None, None, Some(c.clone()), c.clone()),
            (Some(c), _) => match parse_cidr(ctx, line, rtb, &field("DestinationCidrBlock"), c) {
                Some(n) => (Some(n), None, None, n.to_string()),
                None => continue,
            },
            (None, Some(pl)) => (None, Some(pl.clone()), None, pl.clone()),
            (None, None) => {
                ctx.missing(line, rtb, &field("DestinationCidrBlock"));
                continue;
            }
        };
        let route_type = match w.route_type.as_deref() {
            Some("static") => TgwRouteType::Static,
            Some("propagated") => TgwRouteType::Propagated,
            Some(o) => {
                ctx.invalid(line, rtb, &field("Type"), format!("`{o}` is neither `static` nor `propagated`"));
                continue;
            }
            None => {
                ctx.missing(line, rtb, &field("Type"));
                continue;
            }
        };
        let state = w.state.clone().unwrap_or_else(|| "active".into());
        let prov = ctx.prov(&at, rtb).entry(format!("route {label}"), line);
        if ipv6_dest.is_some() {
            ctx.warn(WarningKind::Unsupported, &prov, "IPv6 route is not modelled (IPv4 only)");
        }
        let attachments: Vec<String> =
            w.transit_gateway_attachments.iter().filter_map(|a| a.transit_gateway_attachment_id.clone()).collect();
        let blackhole = state == "blackhole";
        if !blackhole && attachments.is_empty() && matches!(state.as_str(), "active") {
            ctx.warn(
                WarningKind::Approximation,
                &prov,
                "active route lists no attachment (moto drops them); where it sends traffic is unknown",
            );
        }
        if !matches!(state.as_str(), "active" | "blackhole") {
            // pending/deleting/deleted routes do not forward.
            continue;
        }
        routes.push(TgwRoute { dest, prefix_list, ipv6_dest, attachments, route_type, blackhole, state, prov });
    }
    let prov = crate::model::Provenance::new(ctx.file.clone(), Some(1), rtb.to_string());
    b.tgw_routes.push((rtb.to_string(), routes, prov));
    true
}

pub(super) fn ingest_assocs(b: &mut AwsBuilder, ctx: &mut FileCtx, rtb: &str, key: &str, v: &Value) -> bool {
    ingest_assocs_at(b, ctx, rtb, key, &[key], v)
}

fn ingest_assocs_at(b: &mut AwsBuilder, ctx: &mut FileCtx, rtb: &str, key: &str, path: &[&str], v: &Value) -> bool {
    let mut ids = Vec::new();
    for (i, w) in ctx.items_at::<WireAssocEntry>(path, v) {
        let is = i.to_string();
        let mut at: Vec<&str> = path.to_vec();
        at.push(&is);
        let line = ctx.line(&at);
        let Some(a) =
            req(ctx, line, rtb, &format!("{key}[{i}].TransitGatewayAttachmentId"), &w.transit_gateway_attachment_id)
        else {
            continue;
        };
        if matches!(w.state.as_deref(), None | Some("associated") | Some("enabled")) {
            ids.push(a.to_string());
        }
    }
    let prov = crate::model::Provenance::new(ctx.file.clone(), Some(1), rtb.to_string());
    if key == "Associations" {
        b.tgw_assocs.push((rtb.to_string(), ids, prov));
    } else {
        b.tgw_props_seen.insert(rtb.to_string());
        b.tgw_props.push((rtb.to_string(), ids, prov));
    }
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireBatfishWrapper {
    transit_gateway_route_table_id: Option<String>,
}

/// Batfish's `aws_configs/` layout lists the per-table outputs under one key:
/// `TransitGatewayStaticRoutes` (`search-transit-gateway-routes` filtered to
/// `type=static`, each `{"TransitGatewayRouteTableId", "Routes"}`) and
/// `TransitGatewayPropagations` (each `{"TransitGatewayRouteTableId",
/// "TransitGatewayRouteTablePropagations"}`). The propagated routes of a table
/// known only from the static listing are derived in `finish`.
pub(super) fn ingest_batfish_list(b: &mut AwsBuilder, ctx: &mut FileCtx, key: &str, v: &Value) -> bool {
    let inner = if key == "TransitGatewayStaticRoutes" { "Routes" } else { "TransitGatewayRouteTablePropagations" };
    let Some(arr) = v.as_array() else {
        ctx.items::<WireBatfishWrapper>(key, v);
        return true;
    };
    for (i, item) in arr.iter().enumerate() {
        let is = i.to_string();
        let line = ctx.line(&[key, &is]);
        let Some(w) = ctx.one::<WireBatfishWrapper>(&format!("{key}[{i}]"), item) else { continue };
        let Some(rtb) =
            req(ctx, line, &format!("{key}[{i}]"), "TransitGatewayRouteTableId", &w.transit_gateway_route_table_id)
                .map(str::to_string)
        else {
            continue;
        };
        let Some(list) = item.get(inner) else {
            ctx.missing(line, &rtb, inner);
            continue;
        };
        if inner == "Routes" {
            b.tgw_static_routes.insert(rtb.clone());
            ingest_routes_at(b, ctx, &rtb, &[key, &is, inner], list);
        } else {
            ingest_assocs_at(b, ctx, &rtb, inner, &[key, &is, inner], list);
        }
    }
    true
}

pub(super) fn finish(b: &mut AwsBuilder, diags: &mut Diagnostics) {
    let dangling = |prov: &crate::model::Provenance, rtb: &str, diags: &mut Diagnostics| {
        diags.warnings.push(Warning::at(
            WarningKind::DanglingReference,
            prov,
            format!("transit gateway route table `{rtb}` is not in any describe-transit-gateway-route-tables file"),
        ));
    };
    for (rtb, routes, prov) in std::mem::take(&mut b.tgw_routes) {
        match b.net.tgw_route_tables.get_mut(&rtb) {
            Some(t) => t.routes.get_or_insert_with(Vec::new).extend(routes),
            None => dangling(&prov, &rtb, diags),
        }
    }
    for (rtb, ids, prov) in std::mem::take(&mut b.tgw_assocs) {
        match b.net.tgw_route_tables.get_mut(&rtb) {
            Some(t) => t.associations.extend(ids.iter().cloned()),
            None => {
                dangling(&prov, &rtb, diags);
                continue;
            }
        }
        for a in ids {
            if let Some(att) = b.net.tgw_attachments.get_mut(&a) {
                att.association_known = true;
                match &att.association {
                    Some(existing) if existing != &rtb => diags.warnings.push(Warning::at(
                        WarningKind::Suspicious,
                        &prov,
                        format!(
                            "attachment `{a}` is associated with both `{existing}` and `{rtb}`; using `{existing}`"
                        ),
                    )),
                    _ => att.association = Some(rtb.clone()),
                }
            }
        }
    }
    for (rtb, ids, prov) in std::mem::take(&mut b.tgw_props) {
        match b.net.tgw_route_tables.get_mut(&rtb) {
            Some(t) => t.propagations.extend(ids),
            None => dangling(&prov, &rtb, diags),
        }
    }
    let underivable = derive_propagated(b, diags);
    for a in b.net.tgw_attachments.values() {
        let live = !matches!(a.state.as_deref(), Some("deleted" | "deleting" | "failed" | "rejected"));
        if live && a.resource_type == "vpc" && a.subnet_ids.is_empty() {
            diags.warnings.push(Warning::at(
                WarningKind::Approximation,
                &a.prov,
                "no subnets listed for this VPC attachment (describe-transit-gateway-vpc-attachments): traffic \
                 entering or leaving the transit gateway through it is unknown",
            ));
        }
    }
    for t in b.net.tgw_route_tables.values_mut() {
        t.associations.sort();
        t.associations.dedup();
        t.propagations.sort();
        t.propagations.dedup();
        if t.routes.is_none() && !underivable.contains(&t.id) {
            diags.warnings.push(Warning::at(
                WarningKind::Approximation,
                &t.prov,
                "no routes file for this table (search-transit-gateway-routes): its routing is unknown",
            ));
        }
    }
}

/// A table whose routes came only from a static-route listing (Batfish's
/// `TransitGatewayStaticRoutes`) lacks its propagated routes. A VPC attachment
/// propagates the CIDR blocks of its VPC (TGW Guide, "Route propagation"), so
/// they are derived from the propagations when every propagating attachment is
/// a VPC attachment whose VPC is in the snapshot; otherwise (VPN, Direct
/// Connect, peering, a VPC not collected, no propagation listing) the
/// propagated routes are unknown, and so is the table's routing.
/// Returns the tables whose routing this made unknown (already warned about).
fn derive_propagated(b: &mut AwsBuilder, diags: &mut Diagnostics) -> std::collections::BTreeSet<String> {
    let mut underivable = std::collections::BTreeSet::new();
    for rtb in std::mem::take(&mut b.tgw_static_routes) {
        if b.tgw_full_routes.contains(&rtb) {
            continue;
        }
        let Some(t) = b.net.tgw_route_tables.get(&rtb) else { continue };
        let prov = t.prov.clone();
        let mut problem = None;
        let mut derived = Vec::new();
        if !b.tgw_props_seen.contains(&rtb) {
            problem = Some("no propagation listing for this table".to_string());
        }
        let mut props = t.propagations.clone();
        props.sort();
        props.dedup();
        for a in &props {
            if problem.is_some() {
                break;
            }
            let Some(att) = b.net.tgw_attachments.get(a) else {
                problem = Some(format!("propagating attachment `{a}` is not in the snapshot"));
                break;
            };
            if matches!(att.state.as_deref(), Some("deleted" | "deleting" | "failed" | "rejected")) {
                continue;
            }
            if att.resource_type != "vpc" {
                problem = Some(format!(
                    "`{a}` is a `{}` attachment: what it propagates is not in the snapshot",
                    att.resource_type
                ));
                break;
            }
            let Some(vpc) = att.resource_id.as_ref().and_then(|v| b.net.vpcs.get(v)) else {
                problem = Some(format!("the VPC of propagating attachment `{a}` is not in the snapshot"));
                break;
            };
            for c in &vpc.cidrs {
                let p = prov.clone().entry(format!("route {c} propagated from {a}"), None);
                derived.push(TgwRoute {
                    dest: Some(*c),
                    prefix_list: None,
                    ipv6_dest: None,
                    attachments: vec![a.clone()],
                    route_type: TgwRouteType::Propagated,
                    blackhole: false,
                    state: "active".into(),
                    prov: p,
                });
            }
        }
        let Some(t) = b.net.tgw_route_tables.get_mut(&rtb) else { continue };
        match problem {
            None => t.routes.get_or_insert_with(Vec::new).extend(derived),
            Some(why) => {
                t.routes = None;
                underivable.insert(rtb.clone());
                diags.warnings.push(Warning::at(
                    WarningKind::Approximation,
                    &prov,
                    format!(
                        "only static routes were listed for this table and its propagated routes cannot be \
                         derived ({why}): its routing is unknown"
                    ),
                ));
            }
        }
    }
    underivable
}
