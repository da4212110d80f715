//! `describe-route-tables` → [`RouteTable`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Route, RouteDest, RouteOrigin, RouteState, RouteTable, RouteTarget, Scope};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRouteTable {
    route_table_id: Option<String>,
    vpc_id: Option<String>,
    owner_id: Option<String>,
    #[serde(default)]
    associations: Vec<WireAssoc>,
    #[serde(default)]
    routes: Vec<WireRoute>,
    #[serde(default)]
    propagating_vgws: Vec<Value>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssoc {
    #[serde(default)]
    main: bool,
    subnet_id: Option<String>,
    gateway_id: Option<String>,
    association_state: Option<WireAssocState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssocState {
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRoute {
    destination_cidr_block: Option<String>,
    destination_ipv6_cidr_block: Option<String>,
    destination_prefix_list_id: Option<String>,
    gateway_id: Option<String>,
    nat_gateway_id: Option<String>,
    transit_gateway_id: Option<String>,
    vpc_peering_connection_id: Option<String>,
    network_interface_id: Option<String>,
    instance_id: Option<String>,
    egress_only_internet_gateway_id: Option<String>,
    carrier_gateway_id: Option<String>,
    local_gateway_id: Option<String>,
    core_network_arn: Option<String>,
    odb_network_arn: Option<String>,
    /// Not in the describe output, but accepted (CreateRoute input, Terraform).
    vpc_endpoint_id: Option<String>,
    origin: Option<String>,
    state: Option<String>,
}

/// The route's target. `GatewayId` carries `local`, `igw-`, `vgw-` and
/// `vpce-` (gateway endpoints and GWLB / Network Firewall endpoints alike).
fn target(r: &WireRoute) -> RouteTarget {
    if let Some(g) = r.gateway_id.as_deref().or(r.vpc_endpoint_id.as_deref()) {
        return match g {
            "local" => RouteTarget::Local,
            g if g.starts_with("igw-") => RouteTarget::InternetGateway(g.into()),
            g if g.starts_with("vgw-") => RouteTarget::VirtualPrivateGateway(g.into()),
            g if g.starts_with("vpce-") => RouteTarget::VpcEndpoint(g.into()),
            g => RouteTarget::Unsupported { kind: "gateway".into(), id: g.into() },
        };
    }
    // An instance route also carries the instance's ENI; the ENI is what forwards.
    if let Some(e) = &r.network_interface_id {
        return RouteTarget::NetworkInterface(e.clone());
    }
    if let Some(x) = &r.nat_gateway_id {
        return RouteTarget::NatGateway(x.clone());
    }
    if let Some(x) = &r.transit_gateway_id {
        return RouteTarget::TransitGateway(x.clone());
    }
    if let Some(x) = &r.vpc_peering_connection_id {
        return RouteTarget::Peering(x.clone());
    }
    if let Some(x) = &r.instance_id {
        return RouteTarget::Instance(x.clone());
    }
    if let Some(x) = &r.egress_only_internet_gateway_id {
        return RouteTarget::EgressOnlyInternetGateway(x.clone());
    }
    for (kind, v) in [
        ("carrier gateway", &r.carrier_gateway_id),
        ("local gateway", &r.local_gateway_id),
        ("core network", &r.core_network_arn),
        ("ODB network", &r.odb_network_arn),
    ] {
        if let Some(x) = v {
            return RouteTarget::Unsupported { kind: kind.into(), id: x.clone() };
        }
    }
    RouteTarget::None
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireRouteTable>("RouteTables", v) {
        let is = i.to_string();
        let line = ctx.line(&["RouteTables", &is]);
        let Some(id) = req(ctx, line, &format!("RouteTables[{i}]"), "RouteTableId", &w.route_table_id) else {
            continue;
        };
        let id = id.to_string();
        let Some(vpc_id) = req(ctx, line, &id, "VpcId", &w.vpc_id).map(str::to_string) else { continue };
        let prov = ctx.prov(&["RouteTables", &is], &id);
        let mut main = false;
        let mut subnets = Vec::new();
        let mut gateways = Vec::new();
        for a in &w.associations {
            let state = a.association_state.as_ref().and_then(|s| s.state.as_deref());
            if !matches!(state, None | Some("associated")) {
                continue;
            }
            main |= a.main;
            if let Some(s) = &a.subnet_id {
                subnets.push(s.clone());
            }
            if let Some(g) = &a.gateway_id {
                gateways.push(g.clone());
            }
        }
        if !w.propagating_vgws.is_empty() {
            ctx.warn(
                WarningKind::Approximation,
                &prov,
                "route propagation from a virtual private gateway: only the propagated routes listed are modelled",
            );
        }
        let mut routes = Vec::new();
        for (ri, r) in w.routes.iter().enumerate() {
            let rline = ctx.line(&["RouteTables", &is, "Routes", &ri.to_string()]).or(line);
            let dest = if let Some(c) = &r.destination_cidr_block {
                match parse_cidr(ctx, rline, &id, &format!("Routes[{ri}].DestinationCidrBlock"), c) {
                    Some(n) => RouteDest::Cidr(n),
                    None => continue,
                }
            } else if let Some(pl) = &r.destination_prefix_list_id {
                RouteDest::PrefixList(pl.clone())
            } else if let Some(c6) = &r.destination_ipv6_cidr_block {
                RouteDest::Ipv6(c6.clone())
            } else {
                ctx.missing(rline, &id, &format!("Routes[{ri}].DestinationCidrBlock"));
                continue;
            };
            let dest_label = match &dest {
                RouteDest::Cidr(n) => n.to_string(),
                RouteDest::PrefixList(p) | RouteDest::Ipv6(p) => p.clone(),
            };
            let rprov = prov.entry(format!("route {dest_label}"), rline);
            let state = match r.state.as_deref() {
                None | Some("active") => RouteState::Active,
                Some("blackhole") => RouteState::Blackhole,
                Some("filtered") => RouteState::Filtered,
                Some(other) => {
                    ctx.invalid(rline, &id, &format!("Routes[{ri}].State"), format!("unknown state `{other}`"));
                    continue;
                }
            };
            let origin = match r.origin.as_deref() {
                Some("CreateRouteTable") => RouteOrigin::CreateRouteTable,
                Some("CreateRoute") | None => RouteOrigin::CreateRoute,
                Some("EnableVgwRoutePropagation") | Some("Advertisement") => RouteOrigin::Propagated,
                Some(_) => RouteOrigin::Other,
            };
            let t = target(r);
            match &t {
                RouteTarget::Unsupported { kind, id: tid } => ctx.warn(
                    WarningKind::Unsupported,
                    &rprov,
                    format!("route target {kind} `{tid}` is not modelled; traffic matching it is unknown"),
                ),
                RouteTarget::None if state != RouteState::Blackhole => {
                    ctx.missing(rline, &id, &format!("Routes[{ri}] target (GatewayId, NatGatewayId, …)"));
                    continue;
                }
                _ => {}
            }
            if let RouteDest::Ipv6(_) = dest {
                ctx.warn(WarningKind::Unsupported, &rprov, "IPv6 route is not modelled (IPv4 only)");
            }
            routes.push(Route { dest, target: t, state, origin, prov: rprov });
        }
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let rt = RouteTable {
            id: id.clone(),
            scope,
            vpc_id,
            main,
            subnets,
            gateways,
            routes,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.route_tables, id, rt, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
