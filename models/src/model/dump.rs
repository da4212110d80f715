//! A stable, human-readable dump of the whole model, one line per rule with
//! its provenance. Used by `netprove inspect --format dump` and by the
//! data-driven ingestion tests (the expected dump is the test's oracle).

use std::fmt::Write as _;

use crate::model::aws::{RouteDest, SgPeer};
use crate::model::k8s::{NpPeer, NpPort, NpRule, PortRef};
use crate::model::{Network, Provenance};

fn at(p: &Provenance) -> String {
    format!("  @ {}", p.location())
}

fn peer(p: &SgPeer) -> String {
    match p {
        SgPeer::Cidr(n) => n.to_string(),
        SgPeer::Ipv6(s) => format!("ipv6 {s}"),
        SgPeer::Group { group_id, owner, peering_id, .. } => {
            let mut s = format!("sg {group_id}");
            if let Some(o) = owner {
                let _ = write!(s, " (account {o})");
            }
            if let Some(x) = peering_id {
                let _ = write!(s, " via {x}");
            }
            s
        }
        SgPeer::PrefixList(pl) => format!("prefix-list {pl}"),
    }
}

fn np_rule(out: &mut String, dir: &str, i: usize, r: &NpRule) {
    let peers = match &r.peers {
        None => "any peer".to_string(),
        Some(ps) => ps
            .iter()
            .map(|p| match p {
                NpPeer::Pods { namespace_selector, pod_selector } => {
                    let ns = match namespace_selector {
                        None => "same namespace".to_string(),
                        Some(s) => format!("namespaces {s}"),
                    };
                    let pods = match pod_selector {
                        None => "all pods".to_string(),
                        Some(s) => format!("pods {s}"),
                    };
                    format!("[{ns} AND {pods}]")
                }
                NpPeer::IpBlock { cidr, except } => {
                    if except.is_empty() {
                        format!("[ipBlock {cidr}]")
                    } else {
                        let ex: Vec<String> = except.iter().map(|e| e.to_string()).collect();
                        format!("[ipBlock {cidr} except {}]", ex.join(","))
                    }
                }
                NpPeer::IpBlock6 { cidr } => format!("[ipBlock6 {cidr}]"),
            })
            .collect::<Vec<_>>()
            .join(" OR "),
    };
    let ports = match &r.ports {
        None => "all ports".to_string(),
        Some(ps) => ps.iter().map(np_port).collect::<Vec<_>>().join(", "),
    };
    let _ = writeln!(out, "    {dir}[{i}] {peers} on {ports}{}", at(&r.prov));
}

fn np_port(p: &NpPort) -> String {
    let proto = format!("{:?}", p.protocol).to_lowercase();
    match (&p.port, p.end_port) {
        (None, _) => format!("{proto}/all"),
        (Some(PortRef::Number(n)), None) => format!("{proto}/{n}"),
        (Some(PortRef::Number(n)), Some(e)) => format!("{proto}/{n}-{e}"),
        (Some(PortRef::Name(n)), _) => format!("{proto}/'{n}'"),
    }
}

pub fn dump(net: &Network) -> String {
    let mut o = String::new();
    for v in net.vpcs.values() {
        let cidrs: Vec<String> = v.cidrs.iter().map(|c| c.to_string()).collect();
        let _ = writeln!(o, "vpc {} [{}] {}{}", v.id, v.scope.account, cidrs.join(","), at(&v.prov));
    }
    for s in net.subnets.values() {
        let _ = writeln!(o, "subnet {} vpc {} {} {}{}", s.id, s.vpc_id, s.cidr, s.availability_zone, at(&s.prov));
    }
    for e in net.enis.values() {
        let ips: Vec<String> = e
            .private_ips
            .iter()
            .map(|p| {
                let mut s = p.ip.to_string();
                if p.primary {
                    s.push('*');
                }
                if let Some(pub_ip) = p.public_ip {
                    let _ = write!(s, "={pub_ip}");
                }
                s
            })
            .collect();
        let _ = writeln!(
            o,
            "eni {} {} subnet {} ips {} sgs {} instance {}{}",
            e.id,
            e.kind.as_str(),
            e.subnet_id,
            ips.join(","),
            e.security_groups.join(","),
            e.instance_id().unwrap_or("-"),
            at(&e.prov)
        );
    }
    for i in net.instances.values() {
        let _ = writeln!(o, "instance {} enis {}{}", i.id, i.enis.join(","), at(&i.prov));
    }
    for sg in net.security_groups.values() {
        let _ = writeln!(o, "sg {} '{}' vpc {}{}", sg.id, sg.name, sg.vpc_id.as_deref().unwrap_or("-"), at(&sg.prov));
        for r in sg.ingress.iter().chain(&sg.egress) {
            let _ = writeln!(o, "    {} allow {} {}{}", r.prov.short(), r.traffic, peer(&r.peer), at(&r.prov));
        }
    }
    for n in net.nacls.values() {
        let _ = writeln!(
            o,
            "nacl {} vpc {}{} subnets {}{}",
            n.id,
            n.vpc_id,
            if n.is_default { " default" } else { "" },
            n.subnets.join(","),
            at(&n.prov)
        );
        for e in n.ingress.iter().chain(&n.egress) {
            let cidr = e.cidr.map(|c| c.to_string()).or(e.ipv6_cidr.clone()).unwrap_or_default();
            let _ = writeln!(o, "    {} {:?} {} {}{}", e.prov.short(), e.action, e.traffic, cidr, at(&e.prov));
        }
    }
    for rt in net.route_tables.values() {
        let _ = writeln!(
            o,
            "route-table {} vpc {}{} subnets {} gateways {}{}",
            rt.id,
            rt.vpc_id,
            if rt.main { " main" } else { "" },
            rt.subnets.join(","),
            rt.gateways.join(","),
            at(&rt.prov)
        );
        for r in &rt.routes {
            let dest = match &r.dest {
                RouteDest::Cidr(c) => c.to_string(),
                RouteDest::PrefixList(p) | RouteDest::Ipv6(p) => p.clone(),
            };
            let _ = writeln!(o, "    {dest} -> {} {:?} {:?}{}", r.target.describe(), r.state, r.origin, at(&r.prov));
        }
    }
    for g in net.internet_gateways.values() {
        let _ = writeln!(o, "igw {} vpcs {}{}", g.id, g.vpcs.join(","), at(&g.prov));
    }
    for n in net.nat_gateways.values() {
        let addrs: Vec<String> = n
            .addresses
            .iter()
            .map(|a| {
                format!(
                    "{}={}",
                    a.private_ip.map(|i| i.to_string()).unwrap_or_default(),
                    a.public_ip.map(|i| i.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let _ =
            writeln!(o, "nat {} {:?} subnet {} {}{}", n.id, n.connectivity, n.subnet_id, addrs.join(","), at(&n.prov));
    }
    for p in net.peerings.values() {
        let _ = writeln!(
            o,
            "peering {} {} <-> {} {}{}",
            p.id,
            p.requester.vpc_id,
            p.accepter.vpc_id,
            p.status,
            at(&p.prov)
        );
    }
    for e in net.vpc_endpoints.values() {
        let _ = writeln!(
            o,
            "vpc-endpoint {} {:?} {} vpc {}{}",
            e.id,
            e.endpoint_type,
            e.service_name,
            e.vpc_id,
            at(&e.prov)
        );
    }
    for p in net.prefix_lists.values() {
        let entries = match &p.entries {
            None => "entries unknown".to_string(),
            Some(es) => es.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>().join(","),
        };
        let _ = writeln!(o, "prefix-list {} {}{}", p.id, entries, at(&p.prov));
    }
    for t in net.transit_gateways.values() {
        let _ = writeln!(o, "tgw {}{}", t.id, at(&t.prov));
    }
    for a in net.tgw_attachments.values() {
        let _ = writeln!(
            o,
            "tgw-attachment {} {} {} assoc {} subnets {} appliance {:?}{}",
            a.id,
            a.resource_type,
            a.resource_id.as_deref().unwrap_or("-"),
            a.association.as_deref().unwrap_or("-"),
            a.subnet_ids.join(","),
            a.appliance_mode,
            at(&a.prov)
        );
    }
    for t in net.tgw_route_tables.values() {
        let _ = writeln!(
            o,
            "tgw-route-table {} assoc {} prop {}{}",
            t.id,
            t.associations.join(","),
            t.propagations.join(","),
            at(&t.prov)
        );
        for r in t.routes.iter().flatten() {
            let dest =
                r.dest.map(|d| d.to_string()).or(r.prefix_list.clone()).or(r.ipv6_dest.clone()).unwrap_or_default();
            let _ = writeln!(
                o,
                "    {dest} -> {} {:?}{}{}",
                r.attachments.join(","),
                r.route_type,
                if r.blackhole { " blackhole" } else { "" },
                at(&r.prov)
            );
        }
    }
    for f in net.firewalls.values() {
        let eps: Vec<String> =
            f.endpoints.values().map(|e| format!("{}={}", e.availability_zone, e.endpoint_id)).collect();
        let _ = writeln!(
            o,
            "firewall {} vpc {} policy {} endpoints {}{}",
            f.name,
            f.vpc_id,
            f.policy_arn,
            eps.join(","),
            at(&f.prov)
        );
    }
    for p in net.firewall_policies.values() {
        let _ = writeln!(o, "firewall-policy {}{}", p.arn, at(&p.prov));
    }
    for g in net.rule_groups.values() {
        let _ = writeln!(o, "rule-group {}{}", g.arn, at(&g.prov));
    }
    for c in net.clusters.values() {
        let _ = writeln!(
            o,
            "cluster {} vpc {} external_snat {} mode {:?} enforcement {}",
            c.name,
            c.vpc_id.as_deref().unwrap_or("-"),
            c.external_snat,
            c.sg_enforcing_mode,
            c.network_policy_enforcement
        );
        for n in c.namespaces.values() {
            let labels: Vec<String> = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = writeln!(o, "  namespace {} {}{}", n.name, labels.join(","), at(&n.prov));
        }
        for n in c.nodes.values() {
            let ips: Vec<String> = n.internal_ips.iter().map(|i| i.to_string()).collect();
            let _ = writeln!(
                o,
                "  node {} {} instance {}{}",
                n.name,
                ips.join(","),
                n.instance_id.as_deref().unwrap_or("-"),
                at(&n.prov)
            );
        }
        for p in c.pods.values() {
            let labels: Vec<String> = p.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let ports: Vec<String> = p
                .container_ports
                .iter()
                .map(|cp| {
                    format!(
                        "{}{:?}/{}",
                        cp.name.as_ref().map(|n| format!("{n}=")).unwrap_or_default(),
                        cp.protocol,
                        cp.port
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "  pod {} ip {} node {}{} labels {} ports {}{}",
                p.key(),
                p.ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
                p.node_name.as_deref().unwrap_or("-"),
                if p.host_network { " hostNetwork" } else { "" },
                labels.join(","),
                ports.join(","),
                at(&p.prov)
            );
        }
        for s in c.services.values() {
            let _ = writeln!(
                o,
                "  service {}/{} {} {}{}",
                s.namespace,
                s.name,
                s.service_type,
                s.cluster_ip.map(|i| i.to_string()).unwrap_or_else(|| "None".into()),
                at(&s.prov)
            );
        }
        for np in c.network_policies.values() {
            let _ = writeln!(o, "  netpol {}/{} selects {}{}", np.namespace, np.name, np.pod_selector, at(&np.prov));
            match &np.ingress {
                None => {}
                Some(rs) if rs.is_empty() => {
                    let _ = writeln!(o, "    ingress: isolated, nothing allowed");
                }
                Some(rs) => rs.iter().enumerate().for_each(|(i, r)| np_rule(&mut o, "ingress", i, r)),
            }
            match &np.egress {
                None => {}
                Some(rs) if rs.is_empty() => {
                    let _ = writeln!(o, "    egress: isolated, nothing allowed");
                }
                Some(rs) => rs.iter().enumerate().for_each(|(i, r)| np_rule(&mut o, "egress", i, r)),
            }
        }
        for s in c.security_group_policies.values() {
            let _ = writeln!(o, "  sgp {}/{} groups {}{}", s.namespace, s.name, s.group_ids.join(","), at(&s.prov));
        }
        for u in &c.unmodelled_policies {
            let _ = writeln!(o, "  unmodelled {} ({}){}", u.label(), u.api_version, at(&u.prov));
        }
    }
    o
}
