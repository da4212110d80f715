//! Endpoint equivalence classes: endpoints the network cannot tell apart get
//! one representative, so the cost grows with distinct behaviours, not with
//! the number of pods.
//!
//! Two pods are alike when they share cluster, namespace, labels, node,
//! hostNetwork, attachment kind, the security groups and subnet of their ENI,
//! and the *address atom* of their IP. Address atoms are the cells of the
//! partition of the IPv4 space induced by every CIDR and public IP in the
//! snapshot: no rule anywhere distinguishes two addresses of one atom.
//! ENIs are their own class. External ranges are split into atoms.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use netprove_models::model::aws::{RouteDest, SgPeer};
use netprove_models::model::k8s::NpPeer;
use netprove_models::model::{Network, NetworkIndex};

use crate::eval::Endpoint;

/// What a selector resolved to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// `(cluster, namespace/name)`.
    pub pods: BTreeSet<(String, String)>,
    pub enis: BTreeSet<String>,
    /// Addresses outside every ENI and pod (the internet, on-premises).
    pub external: Vec<Ipv4Net>,
    /// Services, `(cluster, namespace/name)`, reached through their ClusterIP:
    /// the engine checks their backends at the ports DNAT gives them.
    pub services: BTreeSet<(String, String)>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty() && self.enis.is_empty() && self.external.is_empty() && self.services.is_empty()
    }
}

/// Public IPv4 space: everything but private, shared, loopback, link-local,
/// multicast and reserved ranges.
pub fn internet_ranges() -> Vec<(u32, u32)> {
    let excluded = [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
    ];
    let mut ranges = vec![(0u32, u32::MAX)];
    for e in excluded {
        let Ok(n) = e.parse::<Ipv4Net>() else { continue };
        let (lo, hi) = (u32::from(n.network()), u32::from(n.broadcast()));
        let mut next = Vec::new();
        for (a, b) in ranges {
            if hi < a || lo > b {
                next.push((a, b));
                continue;
            }
            if a < lo {
                next.push((a, lo - 1));
            }
            if hi < b {
                next.push((hi + 1, b));
            }
        }
        ranges = next;
    }
    ranges
}

/// `internet` as targets: every public address.
pub fn internet_targets() -> Targets {
    let external = internet_ranges()
        .into_iter()
        .flat_map(|(lo, hi)| ipnet::Ipv4Subnets::new(Ipv4Addr::from(lo), Ipv4Addr::from(hi), 0))
        .collect();
    Targets { external, ..Targets::default() }
}

/// The atom partition of the address space.
#[derive(Debug, Clone)]
pub struct Atoms {
    /// Sorted starts of atoms (0 first).
    starts: Vec<u32>,
}

impl Atoms {
    pub fn build(net: &Network, index: &NetworkIndex) -> Atoms {
        let mut cuts: BTreeSet<u32> = BTreeSet::new();
        cuts.insert(0);
        let mut add = |n: &Ipv4Net| {
            cuts.insert(u32::from(n.network()));
            if let Some(next) = u32::from(n.broadcast()).checked_add(1) {
                cuts.insert(next);
            }
        };
        for v in net.vpcs.values() {
            v.cidrs.iter().for_each(&mut add);
        }
        for s in net.subnets.values() {
            add(&s.cidr);
        }
        for sg in net.security_groups.values() {
            for r in sg.ingress.iter().chain(&sg.egress) {
                if let SgPeer::Cidr(c) = &r.peer {
                    add(c);
                }
            }
        }
        for a in net.nacls.values() {
            for e in a.ingress.iter().chain(&a.egress) {
                if let Some(c) = &e.cidr {
                    add(c);
                }
            }
        }
        for rt in net.route_tables.values() {
            for r in &rt.routes {
                if let RouteDest::Cidr(c) = &r.dest {
                    add(c);
                }
            }
        }
        for t in net.tgw_route_tables.values() {
            for r in t.routes.iter().flatten() {
                if let Some(c) = &r.dest {
                    add(c);
                }
            }
        }
        for p in net.prefix_lists.values() {
            for (c, _) in p.entries.iter().flatten() {
                add(c);
            }
        }
        for p in net.peerings.values() {
            p.requester.cidrs.iter().chain(&p.accepter.cidrs).for_each(&mut add);
        }
        for c in net.clusters.values() {
            c.exclude_snat_cidrs.iter().for_each(&mut add);
            for np in c.network_policies.values() {
                for r in np.ingress.iter().flatten().chain(np.egress.iter().flatten()) {
                    for p in r.peers.iter().flatten() {
                        if let NpPeer::IpBlock { cidr, except } = p {
                            add(cidr);
                            except.iter().for_each(&mut add);
                        }
                    }
                }
            }
        }
        for g in net.rule_groups.values() {
            for r in g.stateless_rules() {
                r.sources.iter().chain(&r.destinations).for_each(&mut add);
            }
            for def in g.ip_sets.values() {
                def.cidrs.iter().for_each(&mut add);
            }
        }
        for p in net.firewall_policies.values() {
            for def in p.variables.values() {
                def.cidrs.iter().for_each(&mut add);
            }
        }
        // Public IPs of ENIs and NAT gateways behave unlike the internet
        // around them. (Private ENI and pod addresses are not cut: they lie in
        // VPC CIDRs, never in external ranges, and cutting them would make
        // every pod its own class.)
        for ip in index.public_ips.keys() {
            add(&Ipv4Net::from(*ip));
        }
        for n in net.nat_gateways.values() {
            for a in &n.addresses {
                for ip in a.public_ip.iter() {
                    add(&Ipv4Net::from(*ip));
                }
            }
        }
        // Suricata rule addresses are resolved per connection by the
        // firewall engine; their literal CIDRs are cut too.
        for g in net.rule_groups.values() {
            for r in g.stateful_rules() {
                for n in r.literal_cidrs() {
                    add(&n);
                }
            }
        }
        Atoms { starts: cuts.into_iter().collect() }
    }

    pub fn atom_of(&self, ip: Ipv4Addr) -> usize {
        let v = u32::from(ip);
        match self.starts.binary_search(&v) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Splits ranges into atom-aligned cells: `(lo, hi)` each within one atom.
    pub fn split(&self, ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for &(lo, hi) in ranges {
            let mut a = lo;
            loop {
                let i = self.atom_of(Ipv4Addr::from(a));
                let end = self.starts.get(i + 1).map(|n| n - 1).unwrap_or(u32::MAX).min(hi);
                out.push((a, end));
                if end >= hi {
                    break;
                }
                a = end + 1;
            }
        }
        out
    }
}

/// One member of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub endpoint: Endpoint,
    /// The endpoint as a user writes it (`pod:c/ns/name`, `eni-…`, an address).
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub key: String,
    /// Sorted; the first is the representative.
    pub members: Vec<Member>,
}

impl Class {
    pub fn rep(&self) -> Option<&Member> {
        self.members.first()
    }
}

/// Which end of a connection targets are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Destination,
}

/// Groups resolved targets into classes.
pub fn classes(net: &Network, index: &NetworkIndex, atoms: &Atoms, t: &Targets, side: Side) -> Vec<Class> {
    let mut by_key: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for (cluster, key) in &t.pods {
        let Some(c) = net.clusters.get(cluster) else { continue };
        let Some(p) = c.pods.get(key) else { continue };
        let Some(ip) = p.ip else { continue };
        let binding = index.pod_bindings.get(&(cluster.clone(), key.clone()));
        let eni = binding.and_then(|b| net.enis.get(&b.eni));
        let labels: Vec<String> = p.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        // Named ports resolve per pod, so they are part of its behaviour.
        let mut ports: Vec<String> = p
            .container_ports
            .iter()
            .map(|cp| format!("{}:{:?}/{}", cp.name.as_deref().unwrap_or(""), cp.protocol, cp.port))
            .collect();
        ports.sort();
        let class_key = format!(
            "pod|{cluster}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}",
            p.namespace,
            labels.join(","),
            ports.join(","),
            p.node_name.as_deref().unwrap_or("-"),
            p.host_network,
            binding.map(|b| b.attachment),
            eni.map(|e| e.security_groups.join("+")).unwrap_or_default(),
            eni.map(|e| e.subnet_id.as_str()).unwrap_or("-"),
            atoms.atom_of(ip),
        );
        by_key.entry(class_key).or_default().push(Member {
            endpoint: Endpoint::Pod { cluster: cluster.clone(), pod: key.clone() },
            label: format!("pod:{cluster}/{key}"),
        });
    }
    for eni_id in &t.enis {
        let Some(e) = net.enis.get(eni_id) else { continue };
        let Some(ip) = e.primary_ip() else { continue };
        by_key
            .entry(format!("eni|{eni_id}"))
            .or_default()
            .push(Member { endpoint: Endpoint::Eni { eni: eni_id.clone(), ip }, label: eni_id.clone() });
    }
    let ranges: Vec<(u32, u32)> =
        t.external.iter().map(|n| (u32::from(n.network()), u32::from(n.broadcast()))).collect();
    let mut merged = ranges;
    merged.sort_unstable();
    let mut norm: Vec<(u32, u32)> = Vec::new();
    for (lo, hi) in merged {
        match norm.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => norm.push((lo, hi)),
        }
    }
    for (lo, hi) in atoms.split(&norm) {
        // An atom holding an ENI or pod address is not external.
        let ip = Ipv4Addr::from(lo);
        if index.ip_owners.contains_key(&ip) || index.eni_owning(ip).is_some() {
            continue;
        }
        let label = if lo == hi { ip.to_string() } else { format!("{ip}-{}", Ipv4Addr::from(hi)) };
        // A public IP of an ENI (or NAT gateway) is that ENI, not an internet
        // host: as a destination it is reached through its VPC's internet
        // gateway; as a source nothing on the internet can use it.
        let public_eni = index.public_ips.get(&ip).filter(|_| lo == hi);
        let is_nat_eip =
            lo == hi && net.nat_gateways.values().any(|n| n.addresses.iter().any(|a| a.public_ip == Some(ip)));
        let endpoint = match (public_eni, side) {
            (Some((eni, _)), Side::Destination) => Endpoint::PublicIp { ip, eni: eni.clone() },
            (Some(_), Side::Source) => continue,
            (None, Side::Source) if is_nat_eip => continue,
            _ => Endpoint::External { ip },
        };
        by_key.entry(format!("ext|{lo:010}")).or_default().push(Member { endpoint, label });
    }
    by_key
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by(|a, b| a.label.cmp(&b.label));
            Class { key, members }
        })
        .collect()
}
