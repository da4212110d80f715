//! From resolved specs (the spec front end's output) to engine properties.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use netprove_models::model::Network;

use super::classes::{internet_ranges, Targets};
use super::engine::{Kind, Property};
use super::run::SpecInput;
use super::term::*;
use crate::spec::ast::PortSpec;
use crate::spec::load::SpecSet;
use crate::spec::select::{EndpointSet, PropertyKind, Resolution, WaypointSet};

/// The header set of an `on` clause.
pub fn ports(on: &PortSpec) -> Term {
    or(on.items.iter().map(|i| match i.proto {
        None => tt(),
        Some(p) => {
            let ports = if matches!(p, 6 | 17 | 132) {
                in_range(Expr::Field(Field::Dport), u32::from(i.lo), u32::from(i.hi))
            } else {
                tt()
            };
            let icmp = match (p, i.icmp_type) {
                (1, Some(t)) => eq(Field::IcmpType, u32::from(t)),
                _ => tt(),
            };
            and([eq(Field::Proto, u32::from(p)), ports, icmp])
        }
    }))
}

/// Selected endpoints as engine targets; `internet` is every public range
/// outside the VPCs. Services stay Services: the engine checks them through
/// their ClusterIP (DNAT to each backend's target port).
pub fn targets(net: &Network, e: &EndpointSet) -> Targets {
    let mut t =
        Targets { pods: e.pods.clone(), enis: e.enis.clone(), external: e.cidrs.clone(), services: e.services.clone() };
    if e.internet {
        let vpcs: Vec<(u32, u32)> = net
            .vpcs
            .values()
            .flat_map(|v| v.cidrs.iter().map(|c| (u32::from(c.network()), u32::from(c.broadcast()))))
            .collect();
        for (lo, hi) in internet_ranges() {
            let mut parts = vec![(lo, hi)];
            for &(a, b) in &vpcs {
                parts = parts
                    .into_iter()
                    .flat_map(|(x, y)| {
                        let mut out = Vec::new();
                        if b < x || a > y {
                            out.push((x, y));
                        } else {
                            if x < a {
                                out.push((x, a - 1));
                            }
                            if b < y {
                                out.push((b + 1, y));
                            }
                        }
                        out
                    })
                    .collect();
            }
            for (x, y) in parts {
                t.external.extend(ipnet::Ipv4Subnets::new(Ipv4Addr::from(x), Ipv4Addr::from(y), 0));
            }
        }
    }
    t.external.sort();
    t.external.dedup();
    t
}

/// Waypoint nodes as they appear in a walk's hops.
pub fn via(w: &WaypointSet) -> BTreeSet<String> {
    w.firewalls
        .iter()
        .chain(&w.nat_gateways)
        .chain(&w.internet_gateways)
        .chain(&w.transit_gateways)
        .chain(&w.enis)
        .cloned()
        .collect()
}

fn label(b: &crate::spec::ast::Bindings) -> String {
    b.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
}

pub fn lower(net: &Network, set: &SpecSet, res: &Resolution) -> Vec<SpecInput> {
    set.specs
        .iter()
        .zip(&res.specs)
        .map(|(spec, r)| {
            let (file, line) = set.location(spec);
            let instances = r
                .properties
                .iter()
                .map(|p| {
                    let kind = match p.kind {
                        PropertyKind::Never => Kind::Never,
                        PropertyKind::Always => Kind::Always,
                        PropertyKind::Only => Kind::Only { via: p.via.as_ref().map(via).unwrap_or_default() },
                    };
                    (
                        label(&p.bindings),
                        Property { kind, src: targets(net, &p.src), dst: targets(net, &p.dst), ports: ports(&p.on) },
                    )
                })
                .collect();
            let vacuous = (!r.warnings.is_empty() || r.properties.is_empty()).then(|| {
                r.warnings.first().map(|d| d.message.clone()).unwrap_or_else(|| "`for each` has no values".into())
            });
            SpecInput {
                id: spec.id.clone(),
                title: spec.title.clone(),
                severity: spec.severity.as_str().to_string(),
                rationale: spec.rationale.clone(),
                tags: spec.tags.clone(),
                expect_violated: spec.expect_violated,
                file,
                line,
                statement: spec.property.to_string(),
                instances,
                vacuous,
            }
        })
        .collect()
}

/// Services replaced by their ready backend pods (no port translation): for
/// `why`, which explains paths to pods.
pub fn with_backends(net: &Network, mut t: Targets) -> Targets {
    for (cluster, key) in std::mem::take(&mut t.services) {
        let Some(c) = net.clusters.get(&cluster) else { continue };
        let Some(svc) = c.services.get(&key) else { continue };
        for p in crate::eval::walk::service_backends(c, svc) {
            t.pods.insert((cluster.clone(), p.key()));
        }
    }
    t
}
