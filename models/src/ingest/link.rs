//! Cross-resource checks after every file is read: each reference must name
//! something the snapshot has, or a warning says what is missing.

use std::collections::BTreeSet;

use crate::ingest::Diagnostics;
use crate::model::aws::{RouteDest, RouteTarget, SgPeer};
use crate::model::{Network, Provenance, Warning, WarningKind};

fn dangling(diags: &mut Diagnostics, prov: &Provenance, msg: String) {
    diags.warnings.push(Warning::at(WarningKind::DanglingReference, prov, msg));
}

pub fn link(net: &mut Network, diags: &mut Diagnostics) {
    let d = diags;
    let firewall_endpoints: BTreeSet<&str> =
        net.firewalls.values().flat_map(|f| f.endpoints.values().map(|e| e.endpoint_id.as_str())).collect();

    for s in net.subnets.values() {
        if !net.vpcs.contains_key(&s.vpc_id) {
            dangling(d, &s.prov, format!("subnet's VPC `{}` is not in the snapshot", s.vpc_id));
        }
    }
    let nacl_subnets: BTreeSet<&str> = net.nacls.values().flat_map(|n| n.subnets.iter().map(String::as_str)).collect();
    let default_nacl_vpcs: BTreeSet<&str> =
        net.nacls.values().filter(|n| n.is_default).map(|n| n.vpc_id.as_str()).collect();
    let rt_subnets: BTreeSet<&str> =
        net.route_tables.values().flat_map(|r| r.subnets.iter().map(String::as_str)).collect();
    let main_rt_vpcs: BTreeSet<&str> =
        net.route_tables.values().filter(|r| r.main).map(|r| r.vpc_id.as_str()).collect();
    for s in net.subnets.values() {
        if !nacl_subnets.contains(s.id.as_str()) && !default_nacl_vpcs.contains(s.vpc_id.as_str()) {
            d.warnings.push(Warning::at(
                WarningKind::Approximation,
                &s.prov,
                "no network ACL covers this subnet in the snapshot; traffic crossing it is unknown",
            ));
        }
        if !rt_subnets.contains(s.id.as_str()) && !main_rt_vpcs.contains(s.vpc_id.as_str()) {
            d.warnings.push(Warning::at(
                WarningKind::Approximation,
                &s.prov,
                "no route table covers this subnet in the snapshot; traffic leaving it is unknown",
            ));
        }
    }
    for e in net.enis.values() {
        if !net.subnets.contains_key(&e.subnet_id) {
            dangling(d, &e.prov, format!("ENI's subnet `{}` is not in the snapshot", e.subnet_id));
        }
        for g in &e.security_groups {
            if !net.security_groups.contains_key(g) {
                dangling(d, &e.prov, format!("ENI carries security group `{g}`, which is not in the snapshot"));
            }
        }
    }
    for i in net.instances.values() {
        for e in &i.enis {
            if !net.enis.contains_key(e) {
                dangling(d, &i.prov, format!("instance's ENI `{e}` is not in the snapshot"));
            }
        }
    }
    for sg in net.security_groups.values() {
        for r in sg.ingress.iter().chain(&sg.egress) {
            match &r.peer {
                SgPeer::Group { group_id, owner, .. } if !net.security_groups.contains_key(group_id) => {
                    let whose = owner.as_deref().map(|o| format!(" (account {o})")).unwrap_or_default();
                    dangling(
                        d,
                        &r.prov,
                        format!("rule references security group `{group_id}`{whose}, which is not in the snapshot; it matches no address"),
                    );
                }
                SgPeer::PrefixList(pl) => match net.prefix_lists.get(pl) {
                    None => dangling(
                        d,
                        &r.prov,
                        format!("rule references prefix list `{pl}`, which is not in the snapshot"),
                    ),
                    Some(p) if p.entries.is_none() => d.warnings.push(Warning::at(
                        WarningKind::Approximation,
                        &r.prov,
                        format!("prefix list `{pl}` has no entries in the snapshot; traffic it could match is unknown"),
                    )),
                    Some(_) => {}
                },
                _ => {}
            }
        }
    }
    for n in net.nacls.values() {
        for s in &n.subnets {
            if !net.subnets.contains_key(s) {
                dangling(
                    d,
                    &n.prov,
                    format!("network ACL is associated with subnet `{s}`, which is not in the snapshot"),
                );
            }
        }
    }
    for rt in net.route_tables.values() {
        for s in &rt.subnets {
            if !net.subnets.contains_key(s) {
                dangling(
                    d,
                    &rt.prov,
                    format!("route table is associated with subnet `{s}`, which is not in the snapshot"),
                );
            }
        }
        for r in &rt.routes {
            if let RouteDest::PrefixList(pl) = &r.dest {
                match net.prefix_lists.get(pl) {
                    None => {
                        dangling(d, &r.prov, format!("route destination prefix list `{pl}` is not in the snapshot"))
                    }
                    Some(p) if p.entries.is_none() => d.warnings.push(Warning::at(
                        WarningKind::Approximation,
                        &r.prov,
                        format!("prefix list `{pl}` has no entries in the snapshot; this route's reach is unknown"),
                    )),
                    Some(_) => {}
                }
            }
            let missing = match &r.target {
                RouteTarget::InternetGateway(x) => !net.internet_gateways.contains_key(x),
                RouteTarget::NatGateway(x) => !net.nat_gateways.contains_key(x),
                RouteTarget::TransitGateway(x) => !net.transit_gateways.contains_key(x),
                RouteTarget::Peering(x) => !net.peerings.contains_key(x),
                RouteTarget::NetworkInterface(x) => !net.enis.contains_key(x),
                RouteTarget::Instance(x) => !net.instances.contains_key(x),
                RouteTarget::VpcEndpoint(x) => {
                    !net.vpc_endpoints.contains_key(x) && !firewall_endpoints.contains(x.as_str())
                }
                _ => false,
            };
            if missing && r.state != crate::model::aws::RouteState::Blackhole {
                dangling(
                    d,
                    &r.prov,
                    format!(
                        "route target `{}` is not in the snapshot; traffic it matches is unknown",
                        r.target.describe()
                    ),
                );
            }
        }
    }
    for a in net.tgw_attachments.values() {
        if !net.transit_gateways.contains_key(&a.tgw_id) {
            dangling(d, &a.prov, format!("attachment's transit gateway `{}` is not in the snapshot", a.tgw_id));
        }
        if a.association.is_none() && a.state.as_deref() == Some("available") {
            d.warnings.push(Warning::at(
                WarningKind::Suspicious,
                &a.prov,
                "attachment is associated with no transit gateway route table: traffic from it is dropped",
            ));
        }
    }
    for t in net.tgw_route_tables.values() {
        for r in t.routes.iter().flatten() {
            for a in &r.attachments {
                if !net.tgw_attachments.contains_key(a) {
                    dangling(d, &r.prov, format!("route targets attachment `{a}`, which is not in the snapshot"));
                }
            }
        }
    }
    for c in net.clusters.values() {
        if let Some(v) = &c.vpc_id {
            if !net.vpcs.contains_key(v) {
                d.warnings.push(Warning::file(
                    WarningKind::DanglingReference,
                    "snapshot.toml",
                    format!("cluster `{}` names VPC `{v}`, which is not in the snapshot", c.name),
                ));
            }
        }
        for n in c.nodes.values() {
            if let Some(i) = &n.instance_id {
                if !net.instances.contains_key(i) {
                    dangling(d, &n.prov, format!("node's instance `{i}` is not in the snapshot"));
                }
            }
        }
        for p in c.security_group_policies.values() {
            for g in &p.group_ids {
                if !net.security_groups.contains_key(g) {
                    dangling(
                        d,
                        &p.prov,
                        format!("SecurityGroupPolicy names security group `{g}`, which is not in the snapshot"),
                    );
                }
            }
        }
    }
}
