//! The concrete packet walk: netprove's executable reference semantics.
//!
//! A connection is traced as a request walk from the source to the
//! destination and a reply walk back. Stateless filters (NACLs, Network
//! Firewall stateless rules) judge both; stateful ones (security groups,
//! NetworkPolicies, the Network Firewall stateful engine, NAT) pass the reply
//! by state. docs/semantics.md states every rule with its source; the
//! comments here name the rule they implement.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use netprove_models::model::aws::{
    Eni, EniKind, NatConnectivity, NatGateway, RouteDest, RouteOrigin, RouteState, RouteTable, RouteTarget, Subnet,
    TgwAttachment, TgwRouteType,
};
use netprove_models::model::index::PodAttachment;
use netprove_models::model::k8s::{Cluster, Pod, Service, ServicePort, SgEnforcingMode, TargetPort};
use netprove_models::model::net::{PROTO_ICMP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::nfw::{Firewall, FirewallEndpoint};
use netprove_models::model::{Direction, Network, NetworkIndex, PortRange, Provenance};

use super::endpoint::Endpoint;
use super::filters::{self, Outcome, RefMatch, SgContext};
use super::netpol::{self, NpDirection, NpVerdict, Peer};
use super::nfw;
use super::obligation::{Obligation, PathFate, PeerRef, RecordedPath};
use super::packet::{Leg, Packet, PortSym, NAT_PORTS};
use super::result::{FlowInfo, Hop, TraceResult, Verdict};

/// Upper bound on hops in one direction: more means a routing loop.
const MAX_STEPS: u32 = 64;

/// One connection to trace.
#[derive(Debug, Clone)]
pub struct Query {
    pub from: Endpoint,
    pub to: Endpoint,
    pub from_label: String,
    pub to_label: String,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    pub icmp: (u8, u8),
    pub sni: Option<String>,
    pub http_host: Option<String>,
}

/// Lookups built once per snapshot.
pub struct Evaluator<'a> {
    pub net: &'a Network,
    pub index: &'a NetworkIndex,
    fw_endpoints: HashMap<&'a str, (&'a Firewall, &'a FirewallEndpoint)>,
    /// Each firewall's policy compiled once (keyed by firewall ARN).
    fw_prepared: HashMap<&'a str, nfw::PreparedFirewall<'a>>,
    /// (tgw, vpc) → attachment.
    vpc_attachments: HashMap<(&'a str, &'a str), &'a TgwAttachment>,
    nat_by_eni: HashMap<&'a str, &'a NatGateway>,
    nat_by_id: HashMap<&'a str, &'a NatGateway>,
    /// NAT gateway private and public addresses (its ENI may be missing from a snapshot).
    nat_private: HashMap<Ipv4Addr, &'a NatGateway>,
    nat_public: HashMap<Ipv4Addr, (&'a NatGateway, Ipv4Addr)>,
    /// Node name → (cluster, primary ENI id, primary IP).
    node_eni: HashMap<(&'a str, &'a str), (&'a str, Ipv4Addr)>,
}

/// How the packet reached the current point (for edge-to-edge rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Origin,
    Igw,
    Peering,
    Tgw,
    Nat,
    Firewall,
}

#[derive(Debug, Clone, Copy)]
struct Here<'a> {
    vpc: &'a str,
    subnet: Option<&'a Subnet>,
    via: Via,
    /// A gateway route table to use instead of the subnet's.
    rt: Option<&'a RouteTable>,
}

/// A forward translation, undone on the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Translation {
    /// NAT gateway SNAT: original source and port.
    Nat { nat: String, orig_src: Ipv4Addr, orig_sport: PortRange, orig_sym: PortSym },
    /// IGW 1:1 NAT of the source (private → public).
    IgwSrc { private: Ipv4Addr, public: Ipv4Addr },
    /// VPC CNI SNAT of a pod to its node's primary IP.
    PodSnat { pod_ip: Ipv4Addr, node_ip: Ipv4Addr, orig_sport: PortRange, orig_sym: PortSym },
}

/// Where a walk ended.
#[derive(Debug, Clone)]
enum Fate<'a> {
    /// At an ENI, with the packet as delivered.
    AtEni(&'a Eni, Packet),
    /// Out on the internet, towards an address no ENI owns.
    Internet(Packet),
    /// Reached an AWS service through a gateway endpoint.
    Service(Packet, String),
    Dropped {
        reason: String,
        blocker: String,
    },
    Unknown(String),
}

/// A choice the data plane makes that the snapshot cannot tell: the driver
/// enumerates the options and the verdict is definite only if they agree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ChoiceKey {
    /// Which AZ a transit gateway delivers into through `attachment`, for
    /// traffic from `scope` (the sender's AZ, or `*` with appliance mode).
    TgwAz { attachment: String, scope: String },
    /// Whether a route to a prefix list whose entries are unknown carries
    /// `dst` (options: the list ids, or the best route otherwise).
    PrefixListRoute { table: String, dst: Ipv4Addr },
    /// Which of several prefix-list routes of equal length AWS chose for
    /// `dst` ("we randomly choose which route takes priority").
    PrefixListTie { table: String, dst: Ipv4Addr },
}

impl ChoiceKey {
    fn describe(&self) -> String {
        match self {
            ChoiceKey::TgwAz { attachment, .. } => {
                format!("which availability zone the transit gateway picks for {attachment}")
            }
            ChoiceKey::PrefixListRoute { table, dst } => {
                format!("whether a prefix list without entries in the snapshot holds {dst} ({table})")
            }
            ChoiceKey::PrefixListTie { table, dst } => {
                format!("which of the overlapping prefix-list routes of {table} AWS picked for {dst}")
            }
        }
    }
}

/// The option of a [`ChoiceKey::PrefixListRoute`] that takes the best route
/// with known entries (or none).
const KNOWN_ROUTE: &str = "known routes";

/// Upper bound on the combinations of hidden choices explored per flow.
const MAX_CHOICE_PATHS: usize = 64;

struct Walk<'c> {
    hops: Vec<Hop>,
    approx: Vec<String>,
    /// Reasons the outcome may be wrong in either direction (partial port
    /// matches, uncertain firewall verdicts): turn "allowed" into "unknown".
    doubts: Vec<String>,
    reply: bool,
    steps: u32,
    /// Firewall endpoints traversed, in order.
    fw: Vec<String>,
    /// Whether security-group references can still match the source.
    sg_refs: bool,
    /// How references in the source's outbound rules may match (decided by
    /// the path: see `path_refs`).
    egress_refs: RefMatch,
    /// How outbound-rule references could match, given the request path so
    /// far: a transit gateway (outbound references over a TGW are not
    /// supported) or an inter-Region peering makes it `No`, a middlebox
    /// `Maybe`.
    path_refs: RefMatch,
    /// The egress decision consulted a group reference that `dst` is a
    /// member of: a different `egress_refs` could change it.
    egress_ref_sensitive: bool,
    /// Recording: the index of the first obligation of the reply (set when
    /// the request got through), and how many doubts the request raised.
    reply_from: Option<usize>,
    request_doubts: usize,
    translations: Vec<Translation>,
    choices: &'c BTreeMap<ChoiceKey, String>,
    open_choices: Vec<(ChoiceKey, Vec<String>)>,
    met_choices: Vec<ChoiceKey>,
    app: nfw::AppLayer,
    /// Symbolic mode: filters are recorded as obligations instead of decided.
    record: Option<Vec<Obligation>>,
    /// The request reached an AWS service through this (VPC, gateway endpoint).
    gateway_service: Option<(String, String)>,
}

impl Walk<'_> {
    /// The option taken at a hidden choice: the driver's, or the first one
    /// (recorded as open so the driver explores the others).
    fn choose(&mut self, key: ChoiceKey, options: Vec<String>) -> String {
        if !self.met_choices.contains(&key) {
            self.met_choices.push(key.clone());
        }
        if let Some(o) = self.choices.get(&key) {
            return o.clone();
        }
        let first = options.first().cloned().unwrap_or_default();
        if !self.open_choices.iter().any(|(k, _)| *k == key) {
            self.open_choices.push((key, options));
        }
        first
    }

    /// The request path makes outbound-rule group references at most `r`.
    fn limit_egress_refs(&mut self, r: RefMatch) {
        if !self.reply {
            self.path_refs = self.path_refs.min(r);
        }
    }

    fn hop(&mut self, node: impl Into<String>, kind: &'static str, decision: &'static str, detail: impl Into<String>) {
        self.hops.push(Hop { node: node.into(), kind, decision, rule: None, location: None, detail: detail.into() });
    }

    fn rule_hop(
        &mut self,
        node: impl Into<String>,
        kind: &'static str,
        decision: &'static str,
        rule: Option<String>,
        location: Option<String>,
        detail: impl Into<String>,
    ) {
        self.hops.push(Hop { node: node.into(), kind, decision, rule, location, detail: detail.into() });
    }
}

/// Whether a transit gateway attachment carries traffic, from its `State`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttachmentState {
    /// `available`, `modifying`, or no state given.
    Live,
    /// `pending`, `initiating`, `pendingAcceptance`, … : not carrying traffic yet, or about to.
    Transitional,
    /// `deleted`, `deleting`, `failed`, `rejected`, … : carries nothing.
    Gone,
}

fn attachment_state(a: &TgwAttachment) -> AttachmentState {
    match a.state.as_deref() {
        None | Some("available" | "modifying") => AttachmentState::Live,
        Some("deleted" | "deleting" | "failed" | "failing" | "rejected" | "rejecting") => AttachmentState::Gone,
        Some(_) => AttachmentState::Transitional,
    }
}

fn drop<'a>(reason: impl Into<String>, blocker: impl Into<String>) -> Fate<'a> {
    Fate::Dropped { reason: reason.into(), blocker: blocker.into() }
}

/// Is `ip` private (RFC 1918 / shared / link-local)? The internet does not route them.
fn is_private(ip: Ipv4Addr) -> bool {
    ip.is_private()
        || ip.is_link_local()
        || ip.is_loopback()
        || (ip.octets()[0] == 100 && (ip.octets()[1] & 0xc0) == 64)
}

impl<'a> Evaluator<'a> {
    pub fn new(net: &'a Network, index: &'a NetworkIndex) -> Self {
        let mut fw_endpoints = HashMap::new();
        let mut fw_prepared = HashMap::new();
        for fw in net.firewalls.values() {
            // The policy's HOME_NET defaults to the firewall VPC's CIDRs.
            let home: Vec<Ipv4Net> = net.vpcs.get(&fw.vpc_id).map(|v| v.cidrs.clone()).unwrap_or_default();
            fw_prepared.insert(fw.arn.as_str(), nfw::PreparedFirewall::new(net, fw, &home));
            for ep in fw.endpoints.values() {
                fw_endpoints.insert(ep.endpoint_id.as_str(), (fw, ep));
            }
        }
        let mut vpc_attachments = HashMap::new();
        for a in net.tgw_attachments.values() {
            // A deleted (or failed, rejected) attachment carries nothing.
            if a.resource_type == "vpc" && attachment_state(a) != AttachmentState::Gone {
                if let Some(v) = &a.resource_id {
                    vpc_attachments.insert((a.tgw_id.as_str(), v.as_str()), a);
                }
            }
        }
        let mut nat_by_eni = HashMap::new();
        let mut nat_by_id = HashMap::new();
        let mut nat_private = HashMap::new();
        let mut nat_public = HashMap::new();
        for n in net.nat_gateways.values() {
            nat_by_id.insert(n.id.as_str(), n);
            for a in &n.addresses {
                if let Some(e) = &a.eni_id {
                    nat_by_eni.insert(e.as_str(), n);
                }
                if let Some(p) = a.private_ip {
                    nat_private.insert(p, n);
                    if let Some(public) = a.public_ip {
                        nat_public.insert(public, (n, p));
                    }
                }
            }
        }
        let mut node_eni = HashMap::new();
        for c in net.clusters.values() {
            for n in c.nodes.values() {
                let Some(inst) = n.instance_id.as_ref().and_then(|i| net.instances.get(i)) else { continue };
                let Some(eni) = inst.primary_eni().and_then(|e| net.enis.get(e)) else { continue };
                if let Some(ip) = eni.primary_ip() {
                    node_eni.insert((c.name.as_str(), n.name.as_str()), (eni.id.as_str(), ip));
                }
            }
        }
        Self {
            net,
            index,
            fw_endpoints,
            fw_prepared,
            vpc_attachments,
            nat_by_eni,
            nat_by_id,
            nat_private,
            nat_public,
            node_eni,
        }
    }

    fn subnet(&self, id: &str) -> Option<&'a Subnet> {
        self.net.subnets.get(id)
    }

    /// Whether `src` belongs to the VPC the packet is in (so the packet
    /// started there, or left a NAT gateway of it). A VPC missing from the
    /// snapshot counts only for packets that start at one of its ENIs.
    fn started_in_vpc(&self, here: Here<'a>, src: Ipv4Addr) -> bool {
        match self.net.vpcs.get(here.vpc) {
            Some(v) => v.contains(src),
            None => here.via == Via::Origin,
        }
    }

    fn eni_here(&self, eni: &'a Eni, via: Via) -> Here<'a> {
        Here { vpc: &eni.vpc_id, subnet: self.subnet(&eni.subnet_id), via, rt: None }
    }

    // ---------------------------------------------------------------- NACLs

    /// NACLs are evaluated when a packet crosses a subnet boundary (VPC UG,
    /// "Control traffic to subnets using network ACLs"): the egress rules of
    /// the subnet it leaves and the ingress rules of the subnet it enters.
    /// Transit gateway attachments follow tgw-nacls.html: traffic from the
    /// TGW to instances in the attachment's own subnet is not evaluated;
    /// traffic from instances to the TGW in the same subnet is evaluated on
    /// both the outbound and inbound rules.
    fn cross(
        &self,
        w: &mut Walk,
        pkt: &Packet,
        from: Option<&'a Subnet>,
        to: Option<&'a Subnet>,
        into_tgw: bool,
    ) -> Result<(), Fate<'a>> {
        let same = matches!((from, to), (Some(a), Some(b)) if a.id == b.id);
        if same && !into_tgw {
            return Ok(());
        }
        if let Some(s) = from {
            self.nacl(w, pkt, s, true)?;
        }
        if let Some(s) = to {
            self.nacl(w, pkt, s, false)?;
        }
        Ok(())
    }

    fn nacl(&self, w: &mut Walk, pkt: &Packet, subnet: &'a Subnet, egress: bool) -> Result<(), Fate<'a>> {
        let dir = if egress { "outbound" } else { "inbound" };
        let Some(acl) = self.index.subnet_nacl.get(&subnet.id).and_then(|a| self.net.nacls.get(a)) else {
            w.hop(&subnet.id, "nacl", "unknown", format!("no network ACL known for {}", subnet.id));
            return Err(Fate::Unknown(format!("subnet {} has no network ACL in the snapshot", subnet.id)));
        };
        if let Some(rec) = &mut w.record {
            rec.push(Obligation::Nacl {
                acl: acl.id.clone(),
                egress,
                src: pkt.src,
                dst: pkt.dst,
                sport: pkt.sport_sym,
                dport: pkt.dport_sym,
                leg: pkt.leg,
            });
            w.hop(&acl.id, "nacl", "allow", format!("{dir} rules of {}", subnet.id));
            return Ok(());
        }
        let d = filters::nacl(acl, pkt, egress);
        let rule = d.entries.last().map(|e| e.prov.short());
        let location = d.entries.last().map(|e| e.prov.location());
        match d.outcome {
            Outcome::Allow => {
                w.rule_hop(
                    &acl.id,
                    "nacl",
                    "allow",
                    rule,
                    location,
                    format!("{dir} rules of {} allow {pkt}", subnet.id),
                );
                Ok(())
            }
            Outcome::Deny => {
                let what = if rule.is_some() { "deny" } else { "have no rule allowing" };
                let why = format!("{dir} rules of {} ({}) {what} {pkt}", acl.id, subnet.id);
                w.rule_hop(
                    &acl.id,
                    "nacl",
                    "deny",
                    rule.or(Some(format!("{}/{}/rule *", acl.id, if egress { "egress" } else { "ingress" }))),
                    location,
                    &why,
                );
                Err(drop(why, &acl.id))
            }
            Outcome::Partial => {
                let why = format!(
                    "{dir} rules of {} allow only some of the ports {}-{} (the translated port is not known)",
                    acl.id, pkt.dport.lo, pkt.dport.hi
                );
                w.rule_hop(&acl.id, "nacl", "unknown", rule, location, &why);
                w.doubts.push(why);
                Ok(())
            }
        }
    }

    // -------------------------------------------------------------- routing

    fn route_table(&self, here: &Here<'a>) -> Option<&'a RouteTable> {
        if let Some(rt) = here.rt {
            return Some(rt);
        }
        let s = here.subnet?;
        self.index.subnet_route_table.get(&s.id).and_then(|r| self.net.route_tables.get(r))
    }

    /// Longest prefix match (route-tables-priority.html): the most specific
    /// route wins; at equal length a CIDR route beats a prefix-list route and
    /// a static route beats a propagated one. A route to a prefix list whose
    /// entries are unknown may or may not carry `dst`: unless a static /32
    /// matches, which route applies is a hidden choice the driver enumerates.
    fn lookup(
        &self,
        w: &mut Walk,
        rt: &'a RouteTable,
        dst: Ipv4Addr,
    ) -> Option<&'a netprove_models::model::aws::Route> {
        let mut best: Option<(u8, u8, &netprove_models::model::aws::Route)> = None;
        // Prefix-list routes tied with `best`: AWS picks one at random (and sticks to it).
        let mut tied: Vec<(&str, &'a netprove_models::model::aws::Route)> = Vec::new();
        let mut unknown: Vec<(&str, &'a netprove_models::model::aws::Route)> = Vec::new();
        for r in &rt.routes {
            if r.state == RouteState::Filtered {
                continue;
            }
            let (len, rank) = match &r.dest {
                RouteDest::Cidr(c) if c.contains(&dst) => {
                    (c.prefix_len(), if r.origin == RouteOrigin::Propagated { 1 } else { 3 })
                }
                RouteDest::PrefixList(pl) => match self.net.prefix_lists.get(pl).and_then(|p| p.entries.as_ref()) {
                    Some(es) => match es.iter().filter(|(c, _)| c.contains(&dst)).map(|(c, _)| c.prefix_len()).max() {
                        Some(l) => (l, 2),
                        None => continue,
                    },
                    None => {
                        unknown.push((pl.as_str(), r));
                        continue;
                    }
                },
                _ => continue,
            };
            let pl = match &r.dest {
                RouteDest::PrefixList(pl) => pl.as_str(),
                _ => "",
            };
            match best {
                Some((bl, br, _)) if (bl, br) > (len, rank) => {}
                Some((bl, br, _)) if (bl, br) == (len, rank) => tied.push((pl, r)),
                _ => {
                    best = Some((len, rank, r));
                    tied = vec![(pl, r)];
                }
            }
        }
        if tied.len() > 1 && best.is_some_and(|(_, rank, _)| rank == 2) {
            let options = tied.iter().map(|(pl, _)| pl.to_string()).collect();
            let pick = w.choose(ChoiceKey::PrefixListTie { table: rt.id.clone(), dst }, options);
            if let (Some((l, rank, _)), Some((_, r))) = (best, tied.iter().find(|(pl, _)| *pl == pick)) {
                best = Some((l, rank, r));
            }
        }
        if !unknown.is_empty() && !best.is_some_and(|(l, rank, _)| l == 32 && rank == 3) {
            for (pl, _) in &unknown {
                w.approx.push(format!("prefix list {pl} has no entries in the snapshot"));
            }
            let mut options = vec![KNOWN_ROUTE.to_string()];
            options.extend(unknown.iter().map(|(pl, _)| pl.to_string()));
            let pick = w.choose(ChoiceKey::PrefixListRoute { table: rt.id.clone(), dst }, options);
            if let Some((_, r)) = unknown.iter().find(|(pl, _)| *pl == pick) {
                return Some(r);
            }
        }
        best.map(|(_, _, r)| r)
    }

    /// Routes `pkt` from `here`, following hops until it is delivered,
    /// dropped or its fate is unknown.
    fn route(&self, w: &mut Walk, mut pkt: Packet, here: Here<'a>) -> Fate<'a> {
        w.steps += 1;
        if w.steps > MAX_STEPS {
            return Fate::Unknown("routing loop (more than 64 hops)".into());
        }
        // Traffic within a subnet uses layer-2 delivery: no route table, no NACL.
        if let Some(s) = here.subnet {
            if s.cidr.contains(&pkt.dst) && here.rt.is_none() {
                return self.deliver_local(w, pkt, here, true);
            }
        }
        let Some(rt) = self.route_table(&here) else {
            let at = here.subnet.map(|s| s.id.clone()).unwrap_or_else(|| here.vpc.to_string());
            return Fate::Unknown(format!("no route table known for {at}"));
        };
        let Some(route) = self.lookup(w, rt, pkt.dst) else {
            let why = format!("{} has no route to {}", rt.id, pkt.dst);
            w.rule_hop(&rt.id, "route-table", "deny", None, Some(rt.prov.location()), &why);
            return drop(why, &rt.id);
        };
        let rule = Some(route.prov.short());
        let loc = Some(route.prov.location());
        if route.state == RouteState::Blackhole {
            let why = format!("{} sends {} to a blackhole ({} is gone)", rt.id, pkt.dst, route.target.describe());
            w.rule_hop(&rt.id, "route-table", "deny", rule, loc, &why);
            return drop(why, &rt.id);
        }
        w.rule_hop(&rt.id, "route-table", "forward", rule, loc, format!("{} -> {}", pkt.dst, route.target.describe()));
        match &route.target {
            RouteTarget::Local => self.deliver_local(w, pkt, here, false),
            RouteTarget::InternetGateway(igw) => self.to_igw(w, pkt, here, igw),
            RouteTarget::NatGateway(nat) => match self.nat_by_id.get(nat.as_str()) {
                Some(n) => self.to_nat(w, pkt, here, n),
                None => Fate::Unknown(format!("NAT gateway {nat} is not in the snapshot")),
            },
            RouteTarget::TransitGateway(tgw) => self.to_tgw(w, pkt, here, tgw),
            RouteTarget::Peering(pcx) => self.to_peering(w, pkt, here, pcx),
            RouteTarget::VpcEndpoint(vpce) => {
                if let Some((fw, ep)) = self.fw_endpoints.get(vpce.as_str()).copied() {
                    return self.to_firewall(w, pkt, here, fw, ep);
                }
                match self.net.vpc_endpoints.get(vpce) {
                    Some(ep) if matches!(ep.endpoint_type, netprove_models::model::aws::VpcEndpointType::Gateway) => {
                        // Gateway endpoints serve only the VPC's own traffic: not
                        // through a transit gateway, a peering or a VPN
                        // (vpc-endpoints-s3.html, vpc-peering-basics.md).
                        if !self.started_in_vpc(here, pkt.src) {
                            let why = format!(
                                "{vpce} is a gateway endpoint of {}: traffic from {} (outside the VPC) cannot use it",
                                here.vpc, pkt.src
                            );
                            w.hop(vpce, "vpc-endpoint", "deny", &why);
                            return drop(why, vpce);
                        }
                        if let Err(f) = self.cross(w, &pkt, here.subnet, None, false) {
                            return f;
                        }
                        w.hop(
                            vpce,
                            "vpc-endpoint",
                            "deliver",
                            format!("to {} through gateway endpoint", ep.service_name),
                        );
                        w.gateway_service = Some((here.vpc.to_string(), vpce.clone()));
                        Fate::Service(pkt, ep.service_name.clone())
                    }
                    Some(ep) => Fate::Unknown(format!(
                        "route to {:?} endpoint {vpce} ({}): the appliance behind it is not modelled",
                        ep.endpoint_type, ep.service_name
                    )),
                    None => Fate::Unknown(format!("route target {vpce} is not in the snapshot")),
                }
            }
            RouteTarget::NetworkInterface(e) | RouteTarget::Instance(e) => {
                let eni = self.net.enis.get(e).or_else(|| {
                    self.net.instances.get(e).and_then(|i| i.primary_eni()).and_then(|x| self.net.enis.get(x))
                });
                match eni {
                    Some(eni) if eni.owns(pkt.dst) => {
                        let _ = &mut pkt;
                        self.deliver_local(w, pkt, here, false)
                    }
                    // Source/destination checking: the instance must be the
                    // source or destination of the traffic it receives.
                    Some(eni) if eni.source_dest_check == Some(true) => {
                        let why = format!(
                            "{} has source/destination checking on, so it drops {} (not its own address)",
                            eni.id, pkt.dst
                        );
                        w.hop(&eni.id, "eni", "deny", &why);
                        drop(why, &eni.id)
                    }
                    Some(eni) => Fate::Unknown(format!(
                        "route sends {} to appliance {}; what the appliance forwards is not modelled",
                        pkt.dst, eni.id
                    )),
                    None => Fate::Unknown(format!("route target {e} is not in the snapshot")),
                }
            }
            RouteTarget::VirtualPrivateGateway(v) => Fate::Unknown(format!(
                "leaves the VPC through virtual private gateway {v}; VPN and Direct Connect are not modelled"
            )),
            RouteTarget::EgressOnlyInternetGateway(e) => drop(format!("{e} carries IPv6 only"), e),
            RouteTarget::Unsupported { kind, id } => Fate::Unknown(format!("route target {kind} {id} is not modelled")),
            RouteTarget::None => drop(format!("{} route has no target", rt.id), &rt.id),
        }
    }

    /// Delivers to the ENI owning `pkt.dst` in this VPC.
    fn deliver_local(&self, w: &mut Walk, pkt: Packet, here: Here<'a>, l2: bool) -> Fate<'a> {
        if let Some(nat) = self.nat_private.get(&pkt.dst).copied().filter(|n| n.vpc_id == here.vpc) {
            if let Err(f) = self.cross(w, &pkt, here.subnet, self.subnet(&nat.subnet_id), false) {
                return f;
            }
            if w.reply {
                return self.nat_reverse(w, pkt, nat);
            }
            let why = format!("{} accepts no connections initiated towards it", nat.id);
            w.hop(&nat.id, "nat", "deny", &why);
            return drop(why, &nat.id);
        }
        let owner = self.index.eni_owning(pkt.dst).and_then(|e| self.net.enis.get(e)).filter(|e| e.vpc_id == here.vpc);
        let Some(eni) = owner else {
            let why = format!("no network interface in {} owns {}", here.vpc, pkt.dst);
            w.hop(here.vpc, "vpc", "deny", &why);
            return drop(why, here.vpc);
        };
        let to = self.subnet(&eni.subnet_id);
        let _ = l2;
        if let Err(f) = self.cross(w, &pkt, here.subnet, to, false) {
            return f;
        }
        match eni.kind {
            EniKind::NatGateway => match self.nat_by_eni.get(eni.id.as_str()) {
                Some(nat) if w.reply => self.nat_reverse(w, pkt, nat),
                Some(nat) => {
                    let why = format!("{} accepts no connections initiated towards it", nat.id);
                    w.hop(&nat.id, "nat", "deny", &why);
                    drop(why, &nat.id)
                }
                None => drop(format!("{} belongs to an unknown NAT gateway", eni.id), &eni.id),
            },
            EniKind::TransitGateway | EniKind::GatewayLoadBalancerEndpoint => {
                drop(format!("{} ({}) does not terminate connections", eni.id, eni.kind.as_str()), &eni.id)
            }
            _ => Fate::AtEni(eni, pkt),
        }
    }

    // ------------------------------------------------------- internet side

    fn to_igw(&self, w: &mut Walk, mut pkt: Packet, here: Here<'a>, igw: &str) -> Fate<'a> {
        if !self.net.internet_gateways.get(igw).is_some_and(|g| g.vpcs.iter().any(|v| v == here.vpc)) {
            return Fate::Unknown(format!("internet gateway {igw} is not attached to {} in the snapshot", here.vpc));
        }
        if let Err(f) = self.cross(w, &pkt, here.subnet, None, false) {
            return f;
        }
        // The IGW performs 1:1 NAT for the source's public IPv4 (VPC_Internet_Gateway).
        let src_eni = self.index.eni_owning(pkt.src).and_then(|e| self.net.enis.get(e));
        let public = src_eni
            .filter(|e| e.vpc_id == here.vpc)
            .and_then(|e| e.private_ips.iter().find(|p| p.ip == pkt.src))
            .and_then(|p| p.public_ip)
            .or_else(|| {
                self.nat_private
                    .get(&pkt.src)
                    .filter(|n| n.vpc_id == here.vpc)
                    .and_then(|n| n.addresses.iter().find(|a| a.private_ip == Some(pkt.src)))
                    .and_then(|a| a.public_ip)
            });
        if let Some(nat) = self.nat_with_private(pkt.src) {
            if nat.connectivity == NatConnectivity::Private {
                let why = format!("private NAT gateway {} traffic routed to {igw} is dropped", nat.id);
                w.hop(igw, "igw", "deny", &why);
                return drop(why, igw);
            }
        }
        if w.reply {
            // A reply leaving through the IGW: translate back the source.
            let Some(public) = public else {
                let why = format!("{} has no public IP, so {igw} cannot send the reply", pkt.src);
                w.hop(igw, "igw", "deny", &why);
                return drop(why, igw);
            };
            w.hop(igw, "igw", "translate", format!("source {} -> {public}", pkt.src));
            pkt.src = public;
            return self.internet(w, pkt);
        }
        let Some(public) = public else {
            let why = format!("{} has no public IP: {igw} drops traffic from it", pkt.src);
            w.hop(igw, "igw", "deny", &why);
            return drop(why, igw);
        };
        w.hop(igw, "igw", "translate", format!("source {} -> {public}", pkt.src));
        w.translations.push(Translation::IgwSrc { private: pkt.src, public });
        pkt.src = public;
        w.sg_refs = false;
        self.internet(w, pkt)
    }

    fn nat_with_private(&self, ip: Ipv4Addr) -> Option<&'a NatGateway> {
        self.nat_private
            .get(&ip)
            .copied()
            .or_else(|| self.index.eni_owning(ip).and_then(|e| self.nat_by_eni.get(e).copied()))
    }

    /// On the internet: either an AWS public IP (enter its VPC's IGW) or an
    /// external host.
    fn internet(&self, w: &mut Walk, mut pkt: Packet) -> Fate<'a> {
        if let Some((nat, private)) = self.nat_public.get(&pkt.dst).copied() {
            let Some(igw) = self.index.vpc_igw.get(&nat.vpc_id) else {
                return drop(format!("{} has no internet gateway", nat.vpc_id), &nat.vpc_id);
            };
            w.hop(igw, "igw", "translate", format!("destination {} -> {private}", pkt.dst));
            pkt.dst = private;
            let rt = self.index.gateway_route_table.get(igw).and_then(|r| self.net.route_tables.get(r));
            let here = Here { vpc: &nat.vpc_id, subnet: None, via: Via::Igw, rt };
            return match rt {
                Some(_) => self.route(w, pkt, here),
                None => self.deliver_local(w, pkt, here, false),
            };
        }
        if let Some((eni_id, private)) = self.index.public_ips.get(&pkt.dst) {
            let Some(eni) = self.net.enis.get(eni_id) else { return Fate::Unknown(format!("{eni_id} missing")) };
            return self.enter_from_internet(w, pkt, eni, *private);
        }
        if is_private(pkt.dst) {
            let why = format!("{} is a private address: the internet does not route it", pkt.dst);
            w.hop("internet", "internet", "deny", &why);
            return drop(why, "internet");
        }
        w.hop("internet", "internet", "deliver", format!("to {}", pkt.dst));
        Fate::Internet(pkt)
    }

    /// Inbound through the IGW of the VPC owning the public IP.
    fn enter_from_internet(&self, w: &mut Walk, mut pkt: Packet, eni: &'a Eni, private: Ipv4Addr) -> Fate<'a> {
        let Some(igw) = self.index.vpc_igw.get(&eni.vpc_id) else {
            let why = format!("{} has no internet gateway, so {} is unreachable", eni.vpc_id, pkt.dst);
            w.hop(&eni.vpc_id, "igw", "deny", &why);
            return drop(why, &eni.vpc_id);
        };
        w.hop(igw, "igw", "translate", format!("destination {} -> {private}", pkt.dst));
        pkt.dst = private;
        w.sg_refs = false;
        let rt = self.index.gateway_route_table.get(igw).and_then(|r| self.net.route_tables.get(r));
        let here = Here { vpc: &eni.vpc_id, subnet: None, via: Via::Igw, rt };
        match rt {
            Some(_) => self.route(w, pkt, here),
            None => self.deliver_local(w, pkt, here, false),
        }
    }

    // ------------------------------------------------------------------ NAT

    /// NAT gateway (vpc-nat-gateway.md, nat-gateway-basics.html): SNAT to its
    /// private IP, source ports 1024-65535; TCP, UDP and ICMP only; not
    /// reachable through peering; then its subnet's routes.
    fn to_nat(&self, w: &mut Walk, mut pkt: Packet, here: Here<'a>, nat: &'a NatGateway) -> Fate<'a> {
        if here.via == Via::Peering || here.via == Via::Igw {
            let why =
                format!("{} cannot be used by traffic arriving through a peering connection or the internet", nat.id);
            w.hop(&nat.id, "nat", "deny", &why);
            return drop(why, &nat.id);
        }
        let nat_subnet = self.subnet(&nat.subnet_id);
        if let Err(f) = self.cross(w, &pkt, here.subnet, nat_subnet, false) {
            return f;
        }
        if w.reply {
            return Fate::Unknown(format!("reply routed into {} without a matching request", nat.id));
        }
        if let Some(rec) = &mut w.record {
            rec.push(Obligation::Protocols { node: nat.id.clone(), allowed: vec![PROTO_ICMP, PROTO_TCP, PROTO_UDP] });
        } else if !matches!(pkt.proto, PROTO_TCP | PROTO_UDP | PROTO_ICMP) {
            let why = format!("{} supports only TCP, UDP and ICMP, not protocol {}", nat.id, pkt.proto);
            w.hop(&nat.id, "nat", "deny", &why);
            return drop(why, &nat.id);
        }
        let Some(private) = nat.primary().and_then(|a| a.private_ip) else {
            return Fate::Unknown(format!("{} has no private address in the snapshot", nat.id));
        };
        w.hop(&nat.id, "nat", "translate", format!("source {}:{} -> {private}:1024-65535", pkt.src, pkt.sport));
        w.translations.push(Translation::Nat {
            nat: nat.id.clone(),
            orig_src: pkt.src,
            orig_sport: pkt.sport,
            orig_sym: pkt.sport_sym,
        });
        pkt.src = private;
        pkt.sport_sym = PortSym::Nat;
        if pkt.has_ports() {
            pkt.sport = NAT_PORTS;
        }
        w.sg_refs = false;
        w.limit_egress_refs(RefMatch::Maybe);
        let here = Here { vpc: &nat.vpc_id, subnet: nat_subnet, via: Via::Nat, rt: None };
        self.route(w, pkt, here)
    }

    fn nat_reverse(&self, w: &mut Walk, mut pkt: Packet, nat: &'a NatGateway) -> Fate<'a> {
        let Some(pos) =
            w.translations.iter().rposition(|t| matches!(t, Translation::Nat { nat: n, .. } if *n == nat.id))
        else {
            let why = format!("{} has no connection state for this reply", nat.id);
            w.hop(&nat.id, "nat", "deny", &why);
            return drop(why, &nat.id);
        };
        let Translation::Nat { orig_src, orig_sport, orig_sym, .. } = w.translations.remove(pos) else {
            return Fate::Unknown("internal: translation mismatch".into());
        };
        w.hop(&nat.id, "nat", "translate", format!("destination {} -> {orig_src}", pkt.dst));
        pkt.dst = orig_src;
        pkt.dport = orig_sport;
        pkt.dport_sym = orig_sym;
        let here = Here { vpc: &nat.vpc_id, subnet: self.subnet(&nat.subnet_id), via: Via::Nat, rt: None };
        self.route(w, pkt, here)
    }

    // ------------------------------------------------------ transit gateway

    fn az_of(&self, here: &Here<'a>) -> Option<&'a str> {
        here.subnet.map(|s| s.availability_zone.as_str())
    }

    /// Transit gateway (how-transit-gateways-work.md, tgw-vpc-attachments.md):
    /// the VPC attachment must have a subnet in the sender's AZ; the route
    /// table associated with the ingress attachment decides.
    fn to_tgw(&self, w: &mut Walk, pkt: Packet, here: Here<'a>, tgw: &str) -> Fate<'a> {
        if here.via == Via::Peering || here.via == Via::Igw {
            let why = format!("traffic arriving through a peering connection or the internet cannot use {tgw}");
            w.hop(tgw, "tgw", "deny", &why);
            return drop(why, tgw);
        }
        let Some(att) = self.vpc_attachments.get(&(tgw, here.vpc)).copied() else {
            let why = format!("{} has no attachment to {tgw}", here.vpc);
            w.hop(tgw, "tgw", "deny", &why);
            return drop(why, tgw);
        };
        if attachment_state(att) == AttachmentState::Transitional {
            return Fate::Unknown(format!(
                "{} is `{}`: whether it carries traffic is unknown",
                att.id,
                att.state.as_deref().unwrap_or_default()
            ));
        }
        let Some(az) = self.az_of(&here) else {
            return Fate::Unknown(format!("cannot tell the availability zone entering {tgw}"));
        };
        let Some(att_subnet) = att.subnet_ids.iter().filter_map(|s| self.subnet(s)).find(|s| s.availability_zone == az)
        else {
            // Every VPC attachment has a subnet in at least one AZ: an empty or
            // unresolvable list means the snapshot does not say which.
            if att.subnet_ids.is_empty() {
                return Fate::Unknown(format!(
                    "the subnets of {} are not in the snapshot (describe-transit-gateway-vpc-attachments), so \
                     whether {az} can reach {tgw} is unknown",
                    att.id
                ));
            }
            if let Some(missing) = att.subnet_ids.iter().find(|s| self.subnet(s).is_none()) {
                return Fate::Unknown(format!(
                    "subnet {missing} of {} is not in the snapshot: it may be in {az}",
                    att.id
                ));
            }
            let why = format!("{} has no subnet in {az}, so traffic from {az} cannot enter {tgw}", att.id);
            w.hop(&att.id, "tgw", "deny", &why);
            return drop(why, &att.id);
        };
        let into_same = here.subnet.is_some_and(|s| s.id == att_subnet.id);
        if let Err(f) = self.cross(w, &pkt, here.subnet, Some(att_subnet), into_same) {
            return f;
        }
        // Security group referencing over a transit gateway covers inbound
        // rules only (tgw-vpc-attachments, "Security group referencing").
        w.limit_egress_refs(RefMatch::No);
        self.tgw_route(w, pkt, att, az)
    }

    fn tgw_route(&self, w: &mut Walk, pkt: Packet, from: &'a TgwAttachment, az: &'a str) -> Fate<'a> {
        w.steps += 1;
        if w.steps > MAX_STEPS {
            return Fate::Unknown("routing loop (more than 64 hops)".into());
        }
        let tgw = self.net.transit_gateways.get(&from.tgw_id);
        w.hop(&from.tgw_id, "tgw", "forward", format!("enters from {} in {az}", from.id));
        let Some(rtb_id) = &from.association else {
            if !from.association_known {
                let why = format!("the route table associated with {} is not in the snapshot", from.id);
                w.hop(&from.id, "tgw", "unknown", &why);
                w.approx.push(why.clone());
                return Fate::Unknown(why);
            }
            let why = format!("{} is associated with no transit gateway route table", from.id);
            w.hop(&from.id, "tgw", "deny", &why);
            return drop(why, &from.id);
        };
        let Some(rtb) = self.net.tgw_route_tables.get(rtb_id) else {
            return Fate::Unknown(format!("transit gateway route table {rtb_id} is not in the snapshot"));
        };
        let Some(routes) = &rtb.routes else {
            return Fate::Unknown(format!("routes of {rtb_id} are not in the snapshot"));
        };
        // Longest prefix; at equal length static beats prefix-list beats
        // propagated. Prefix lists without entries: a hidden choice, as in
        // VPC route tables.
        let mut best: Option<(u8, u8, &netprove_models::model::aws::TgwRoute)> = None;
        let mut unknown: Vec<(&str, &'a netprove_models::model::aws::TgwRoute)> = Vec::new();
        for r in routes {
            let len = match (&r.dest, &r.prefix_list) {
                (Some(c), _) if c.contains(&pkt.dst) => c.prefix_len(),
                (None, Some(pl)) => match self.net.prefix_lists.get(pl).and_then(|p| p.entries.as_ref()) {
                    Some(es) => {
                        match es.iter().filter(|(c, _)| c.contains(&pkt.dst)).map(|(c, _)| c.prefix_len()).max() {
                            Some(l) => l,
                            None => continue,
                        }
                    }
                    None => {
                        unknown.push((pl.as_str(), r));
                        continue;
                    }
                },
                _ => continue,
            };
            let rank = match (r.route_type, r.prefix_list.is_some()) {
                (TgwRouteType::Static, false) => 3,
                (_, true) => 2,
                (TgwRouteType::Propagated, false) => 1,
            };
            if best.is_none_or(|(bl, br, _)| (len, rank) > (bl, br)) {
                best = Some((len, rank, r));
            }
        }
        if !unknown.is_empty() && !best.is_some_and(|(l, rank, _)| l == 32 && rank == 3) {
            for (pl, _) in &unknown {
                w.approx.push(format!("prefix list {pl} has no entries in the snapshot"));
            }
            let mut options = vec![KNOWN_ROUTE.to_string()];
            options.extend(unknown.iter().map(|(pl, _)| pl.to_string()));
            let pick = w.choose(ChoiceKey::PrefixListRoute { table: rtb_id.clone(), dst: pkt.dst }, options);
            if let Some((_, r)) = unknown.iter().find(|(pl, _)| *pl == pick) {
                best = Some((0, 0, r));
            }
        }
        let Some((_, _, route)) = best else {
            let why = format!("{rtb_id} has no route to {}", pkt.dst);
            w.rule_hop(rtb_id, "tgw-route-table", "deny", None, Some(rtb.prov.location()), &why);
            return drop(why, rtb_id);
        };
        let rule = Some(route.prov.short());
        let loc = Some(route.prov.location());
        if route.blackhole {
            let why = format!("{rtb_id} sends {} to a blackhole", pkt.dst);
            w.rule_hop(rtb_id, "tgw-route-table", "deny", rule, loc, &why);
            return drop(why, rtb_id);
        }
        if route.attachments.is_empty() {
            let why = format!("{rtb_id} has an active route for {} that names no attachment in the snapshot", pkt.dst);
            w.rule_hop(rtb_id, "tgw-route-table", "unknown", rule, loc, &why);
            w.approx.push(why.clone());
            return Fate::Unknown(why);
        }
        if route.attachments.len() > 1 {
            return Fate::Unknown(format!("{rtb_id} spreads {} over several attachments (ECMP)", pkt.dst));
        }
        let Some(to) = self.net.tgw_attachments.get(&route.attachments[0]) else {
            return Fate::Unknown(format!("attachment {} is not in the snapshot", route.attachments[0]));
        };
        match attachment_state(to) {
            AttachmentState::Live => {}
            AttachmentState::Gone => {
                let why = format!(
                    "{rtb_id} sends {} to {}, which is `{}`",
                    pkt.dst,
                    to.id,
                    to.state.as_deref().unwrap_or_default()
                );
                w.rule_hop(
                    rtb_id,
                    "tgw-route-table",
                    "deny",
                    Some(route.prov.short()),
                    Some(route.prov.location()),
                    &why,
                );
                return drop(why, &to.id);
            }
            AttachmentState::Transitional => {
                return Fate::Unknown(format!(
                    "{} is `{}`: whether it carries traffic is unknown",
                    to.id,
                    to.state.as_deref().unwrap_or_default()
                ));
            }
        }
        w.rule_hop(
            rtb_id,
            "tgw-route-table",
            "forward",
            rule,
            loc,
            format!("{} -> {} ({})", pkt.dst, to.id, to.resource_id.as_deref().unwrap_or("?")),
        );
        if to.resource_type != "vpc" {
            return Fate::Unknown(format!("{} is a `{}` attachment, which is not modelled", to.id, to.resource_type));
        }
        let Some(vpc) = to.resource_id.as_deref() else {
            return Fate::Unknown(format!("{} names no VPC", to.id));
        };
        // Which AZ the TGW delivers into: with appliance mode one AZ for the
        // whole flow (a hash we cannot know); otherwise the sender's AZ when
        // the attachment has a subnet there.
        let subnets: Vec<&'a Subnet> = to.subnet_ids.iter().filter_map(|s| self.subnet(s)).collect();
        if subnets.is_empty() {
            return Fate::Unknown(format!("{} has no known subnets", to.id));
        }
        if let Some(missing) = to.subnet_ids.iter().find(|s| self.subnet(s).is_none()) {
            return Fate::Unknown(format!(
                "subnet {missing} of {} is not in the snapshot: it may be the delivery AZ",
                to.id
            ));
        }
        let appliance = to.appliance_mode == Some(true);
        let chosen: &'a Subnet = if !appliance && subnets.iter().any(|s| s.availability_zone == az) {
            match subnets.iter().find(|s| s.availability_zone == az) {
                Some(s) => s,
                None => return Fate::Unknown("internal: AZ vanished".into()),
            }
        } else if subnets.len() == 1 {
            subnets[0]
        } else {
            let key = ChoiceKey::TgwAz {
                attachment: to.id.clone(),
                scope: if appliance { "*".to_string() } else { az.to_string() },
            };
            let options: Vec<String> = subnets.iter().map(|s| s.availability_zone.clone()).collect();
            let pick = w.choose(key, options);
            match subnets.iter().find(|s| s.availability_zone == pick) {
                Some(s) => s,
                None => subnets[0],
            }
        };
        let sgref = tgw.is_some_and(|t| t.security_group_referencing)
            && from.security_group_referencing != Some(false)
            && to.security_group_referencing != Some(false);
        if !sgref {
            w.sg_refs = false;
        }
        w.hop(&to.id, "tgw", "forward", format!("into {vpc} via {} ({})", chosen.id, chosen.availability_zone));
        let here = Here { vpc, subnet: Some(chosen), via: Via::Tgw, rt: None };
        self.route(w, pkt, here)
    }

    // -------------------------------------------------------------- peering

    /// VPC peering (vpc-peering-basics.md): no transitive peering and no
    /// edge-to-edge routing; the packet must originate in this VPC and is
    /// delivered only to an ENI of the peer VPC.
    fn to_peering(&self, w: &mut Walk, pkt: Packet, here: Here<'a>, pcx: &str) -> Fate<'a> {
        let Some(p) = self.net.peerings.get(pcx) else {
            return Fate::Unknown(format!("peering connection {pcx} is not in the snapshot"));
        };
        if !p.is_active() {
            let why = format!("{pcx} is `{}`, not active", p.status);
            w.hop(pcx, "peering", "deny", &why);
            return drop(why, pcx);
        }
        let Some(other) = p.other_side(here.vpc) else {
            let why = format!("{pcx} does not connect {}", here.vpc);
            w.hop(pcx, "peering", "deny", &why);
            return drop(why, pcx);
        };
        if !matches!(here.via, Via::Origin | Via::Firewall) || !self.started_in_vpc(here, pkt.src) {
            let why = format!(
                "{pcx} carries only traffic that starts in {}: no transitive or edge-to-edge routing",
                here.vpc
            );
            w.hop(pcx, "peering", "deny", &why);
            return drop(why, pcx);
        }
        let peer_cidrs: Vec<Ipv4Net> = match self.net.vpcs.get(&other.vpc_id) {
            Some(v) => v.cidrs.clone(),
            None => other.cidrs.clone(),
        };
        if !peer_cidrs.iter().any(|c| c.contains(&pkt.dst)) {
            let why = format!("{} is not in {} ({pcx} delivers only to that VPC)", pkt.dst, other.vpc_id);
            w.hop(pcx, "peering", "deny", &why);
            return drop(why, pcx);
        }
        if let Err(f) = self.cross(w, &pkt, here.subnet, None, false) {
            return f;
        }
        // Groups of a peer VPC in another Region cannot be referenced
        // (vpc-peering-security-groups.html).
        let this_side = if p.requester.vpc_id == here.vpc { &p.requester } else { &p.accepter };
        if let (Some(a), Some(b)) = (&this_side.region, &other.region) {
            if a != b {
                w.sg_refs = false;
                w.limit_egress_refs(RefMatch::No);
            }
        }
        w.hop(pcx, "peering", "forward", format!("into {}", other.vpc_id));
        let vpc: &'a str = match self.net.vpcs.get(&other.vpc_id) {
            Some(v) => &v.id,
            None => return Fate::Unknown(format!("peer VPC {} is not in the snapshot", other.vpc_id)),
        };
        let here = Here { vpc, subnet: None, via: Via::Peering, rt: None };
        self.deliver_local(w, pkt, here, false)
    }

    // --------------------------------------------------------- firewall

    fn to_firewall(
        &self,
        w: &mut Walk,
        pkt: Packet,
        here: Here<'a>,
        fw: &'a Firewall,
        ep: &'a FirewallEndpoint,
    ) -> Fate<'a> {
        let fw_subnet = ep.subnet_id.as_deref().and_then(|s| self.subnet(s));
        if let Err(f) = self.cross(w, &pkt, here.subnet, fw_subnet, false) {
            return f;
        }
        if !ep.is_ready() {
            let why =
                format!("firewall endpoint {} is `{}`", ep.endpoint_id, ep.status.as_deref().unwrap_or("unknown"));
            w.hop(&fw.name, "firewall", "deny", &why);
            return drop(why, &ep.endpoint_id);
        }
        w.fw.push(ep.endpoint_id.clone());
        w.sg_refs = false;
        w.limit_egress_refs(RefMatch::Maybe);
        if !w.reply && w.record.is_some() {
            if let Some(rec) = &mut w.record {
                rec.push(Obligation::Nfw {
                    fw_arn: fw.arn.clone(),
                    src: pkt.src,
                    dst: pkt.dst,
                    sport: pkt.sport_sym,
                    dport: pkt.dport_sym,
                });
            }
            w.hop(&fw.name, "firewall", "allow", format!("endpoint {}", ep.endpoint_id));
        } else if !w.reply {
            let conn = nfw::Connection {
                src: pkt.src,
                dst: pkt.dst,
                proto: pkt.proto,
                sport: pkt.sport.lo,
                dport: pkt.dport.lo,
                icmp: (pkt.proto == netprove_models::model::net::PROTO_ICMP).then_some(pkt.icmp),
                app: w.app.clone(),
            };
            let d = match self.fw_prepared.get(fw.arn.as_str()) {
                Some(p) => p.evaluate(&conn),
                None => return Fate::Unknown(format!("firewall {} could not be prepared", fw.name)),
            };
            for s in &d.steps {
                w.rule_hop(
                    &fw.name,
                    "firewall",
                    decision_word(&s.action),
                    Some(s.rule.clone()),
                    s.location.clone(),
                    format!("{}: {}", s.stage, s.note),
                );
            }
            w.approx.extend(d.approximations.iter().cloned());
            match d.verdict {
                nfw::NfwVerdict::Pass => {}
                nfw::NfwVerdict::Drop => {
                    let why = d.reason.clone().unwrap_or_else(|| format!("firewall {} drops {pkt}", fw.name));
                    return drop(why, &fw.name);
                }
                nfw::NfwVerdict::Unknown => {
                    w.doubts
                        .push(d.reason.clone().unwrap_or_else(|| format!("firewall {} verdict is unknown", fw.name)));
                }
            }
        } else {
            w.hop(
                &fw.name,
                "firewall",
                "allow",
                format!("reply through endpoint {} (connection state)", ep.endpoint_id),
            );
        }
        let here = Here { vpc: &fw.vpc_id, subnet: fw_subnet, via: Via::Firewall, rt: None };
        self.route(w, pkt, here)
    }
}

fn decision_word(action: &str) -> &'static str {
    let a = action.to_ascii_lowercase();
    if a.contains("drop") || a.contains("reject") {
        "deny"
    } else if a.contains("pass") || a.contains("forward") {
        "allow"
    } else if a.contains("unknown") {
        "unknown"
    } else {
        "allow"
    }
}

// =====================================================================
// The driver: endpoints, Kubernetes, security groups, both directions.
// =====================================================================

/// The source or destination as placed on the network.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    eni: Option<&'a Eni>,
    ip: Ipv4Addr,
    pod: Option<(&'a Cluster, &'a Pod, PodAttachment)>,
}

struct Outcome2 {
    verdict: Verdict,
    reason: Option<String>,
    blocker: Option<String>,
    failed: Option<&'static str>,
    forward: Vec<Hop>,
    reply: Vec<Hop>,
    approx: Vec<String>,
    /// Hidden choices this run met and did not have decided.
    open: Vec<(ChoiceKey, Vec<String>)>,
    /// Every hidden choice this run met.
    met: Vec<ChoiceKey>,
    /// Recording: where the reply's obligations start.
    reply_from: Option<usize>,
}

impl<'a> Evaluator<'a> {
    /// Traces one connection (a Service destination gives one result per backend).
    pub fn trace(&self, q: &Query) -> TraceResult {
        if let Endpoint::Service { cluster, service } = &q.to {
            return self.trace_service(q, cluster, service);
        }
        let base = self.flow_info(q, None);
        let (outcomes, complete) = self.explore(q, false);
        let mut met: Vec<ChoiceKey> = Vec::new();
        for o in &outcomes {
            for k in &o.0.met {
                if !met.contains(k) {
                    met.push(k.clone());
                }
            }
        }
        let verdicts: Vec<Verdict> = outcomes.iter().map(|o| o.0.verdict).collect();
        let same = verdicts.windows(2).all(|p| p[0] == p[1]);
        let Some((mut chosen, _)) = outcomes.into_iter().next() else {
            return self.finish(q, base, self.run(q, &BTreeMap::new()));
        };
        if !complete || !same {
            chosen.verdict = Verdict::Unknown;
            let what: Vec<String> = met.iter().map(ChoiceKey::describe).collect();
            chosen.reason = Some(if complete {
                format!("the outcome depends on {}", what.join(" and "))
            } else {
                format!("more than {MAX_CHOICE_PATHS} combinations of {} to explore", what.join(", "))
            });
            chosen.blocker = None;
            chosen.failed = None;
        }
        self.finish(q, base, chosen)
    }

    /// Runs `q` under every combination of the data plane's hidden choices it
    /// meets, depth first: a run that meets an undecided choice has taken its
    /// first option, the other options are explored next (a later option may
    /// lead to choices the first did not meet). The runs come back with the
    /// all-first-options run first; `false` when there were more than
    /// [`MAX_CHOICE_PATHS`] combinations and exploration stopped.
    fn explore(&self, q: &Query, record: bool) -> (Vec<(Outcome2, Vec<Obligation>)>, bool) {
        let mut done = Vec::new();
        let mut stack: Vec<BTreeMap<ChoiceKey, String>> = vec![BTreeMap::new()];
        while let Some(c) = stack.pop() {
            let (o, rec) = self.run_mode(q, &c, record);
            match o.open.first().cloned() {
                None => done.push((o, rec)),
                Some((key, opts)) => {
                    for opt in opts.iter().skip(1).rev() {
                        let mut c2 = c.clone();
                        c2.insert(key.clone(), opt.clone());
                        stack.push(c2);
                    }
                    if o.open.len() == 1 {
                        // Every other choice of this run was decided: it is the first option's run.
                        done.push((o, rec));
                    } else {
                        let mut c0 = c;
                        c0.insert(key, opts.first().cloned().unwrap_or_default());
                        stack.push(c0);
                    }
                }
            }
            if done.len() + stack.len() > MAX_CHOICE_PATHS {
                return (done, false);
            }
        }
        (done, true)
    }

    fn finish(&self, q: &Query, flow: FlowInfo, o: Outcome2) -> TraceResult {
        let mut approx = o.approx;
        approx.sort();
        approx.dedup();
        TraceResult {
            from: q.from_label.clone(),
            to: q.to_label.clone(),
            flow,
            verdict: o.verdict,
            reason: o.reason,
            blocked_by: o.blocker,
            failed_direction: o.failed,
            forward: o.forward,
            reply: o.reply,
            approximations: approx,
            backends: Vec::new(),
        }
    }

    fn flow_info(&self, q: &Query, dst_override: Option<(Ipv4Addr, u16)>) -> FlowInfo {
        use netprove_models::model::net::{proto_name, PROTO_ICMP};
        let ports = q.proto == 6 || q.proto == 17 || q.proto == 132;
        let src = self.endpoint_ip(&q.from).map(|i| i.to_string()).unwrap_or_default();
        let (dst, dport) = match dst_override {
            Some((ip, p)) => (ip.to_string(), p),
            None => (self.endpoint_ip(&q.to).map(|i| i.to_string()).unwrap_or_default(), q.dport),
        };
        FlowInfo {
            proto: proto_name(q.proto),
            src_ip: src,
            dst_ip: dst,
            sport: ports.then_some(q.sport),
            dport: ports.then_some(dport),
            icmp_type: (q.proto == PROTO_ICMP).then_some(q.icmp.0),
            icmp_code: (q.proto == PROTO_ICMP).then_some(q.icmp.1),
            sni: q.sni.clone(),
            http_host: q.http_host.clone(),
        }
    }

    fn endpoint_ip(&self, e: &Endpoint) -> Option<Ipv4Addr> {
        match e {
            Endpoint::Pod { cluster, pod } => self.net.clusters.get(cluster)?.pods.get(pod)?.ip,
            Endpoint::Eni { ip, .. } | Endpoint::External { ip } | Endpoint::PublicIp { ip, .. } => Some(*ip),
            Endpoint::Service { cluster, service } => self.net.clusters.get(cluster)?.services.get(service)?.cluster_ip,
        }
    }

    fn place(&self, e: &Endpoint) -> Result<Option<Place<'a>>, String> {
        match e {
            Endpoint::Pod { cluster, pod } => {
                let c = self.net.clusters.get(cluster).ok_or_else(|| format!("cluster {cluster} not found"))?;
                let p = c.pods.get(pod).ok_or_else(|| format!("pod {pod} not found"))?;
                let ip = p.ip.ok_or_else(|| format!("pod {cluster}/{pod} has no IP"))?;
                if !p.is_live() {
                    return Err(format!(
                        "pod {cluster}/{pod} is not running (phase {})",
                        p.phase.as_deref().unwrap_or("?")
                    ));
                }
                let binding = self.index.pod_bindings.get(&(cluster.clone(), pod.clone()));
                let (eni, att) = match binding {
                    Some(b) => (self.net.enis.get(&b.eni), b.attachment),
                    None => return Err(format!("pod {cluster}/{pod} ({ip}) is on no ENI in the snapshot")),
                };
                Ok(Some(Place { eni, ip, pod: Some((c, p, att)) }))
            }
            Endpoint::Eni { eni, ip } => Ok(Some(Place { eni: self.net.enis.get(eni), ip: *ip, pod: None })),
            Endpoint::PublicIp { eni, .. } => {
                let e = self.net.enis.get(eni);
                let ip = e.and_then(|e| e.primary_ip()).ok_or_else(|| format!("{eni} has no address"))?;
                Ok(Some(Place { eni: e, ip, pod: None }))
            }
            Endpoint::External { .. } => Ok(None),
            Endpoint::Service { .. } => Err("a Service can only be a destination".into()),
        }
    }

    fn trace_service(&self, q: &Query, cluster: &str, service: &str) -> TraceResult {
        let mut backends = Vec::new();
        let flow = self.flow_info(q, None);
        let fail = |reason: String| TraceResult {
            from: q.from_label.clone(),
            to: q.to_label.clone(),
            flow: flow.clone(),
            verdict: Verdict::Denied,
            reason: Some(reason),
            blocked_by: Some(format!("svc:{cluster}/{service}")),
            failed_direction: Some("request"),
            forward: Vec::new(),
            reply: Vec::new(),
            approximations: Vec::new(),
            backends: Vec::new(),
        };
        let Some(c) = self.net.clusters.get(cluster) else { return fail(format!("cluster {cluster} not found")) };
        let Some(svc) = c.services.get(service) else { return fail(format!("service {service} not found")) };
        let Some(sp) = svc.ports.iter().find(|p| p.port == q.dport && p.protocol.number() == q.proto) else {
            return fail(format!(
                "service {cluster}/{service} exposes no {}/{}",
                netprove_models::model::net::proto_name(q.proto),
                q.dport
            ));
        };
        // ClusterIPs are virtual: only kube-proxy on the cluster's nodes translates them.
        if !self.reaches_cluster_ips(&q.from, cluster) {
            return fail(format!(
                "the ClusterIP of {cluster}/{service} is reachable only from the cluster's nodes and pods"
            ));
        }
        let pods = service_backends(c, svc);
        if pods.is_empty() {
            return fail(format!("service {cluster}/{service} has no ready backends"));
        }
        let targets: Vec<(&Pod, u16)> = pods.into_iter().filter_map(|p| target_port(p, sp).map(|t| (p, t))).collect();
        if targets.is_empty() {
            return fail(format!(
                "no ready backend of {cluster}/{service} declares the service's targetPort for {}/{}",
                netprove_models::model::net::proto_name(q.proto),
                q.dport
            ));
        }
        for (p, target) in targets {
            let mut sub = q.clone();
            sub.to = Endpoint::Pod { cluster: cluster.to_string(), pod: p.key() };
            sub.to_label = format!("pod:{cluster}/{}", p.key());
            sub.dport = target;
            let mut r = self.trace(&sub);
            r.forward.insert(
                0,
                Hop {
                    node: format!("svc:{cluster}/{service}"),
                    kind: "service",
                    decision: "translate",
                    rule: None,
                    location: Some(svc.prov.location()),
                    detail: format!(
                        "ClusterIP {}:{} -> {}:{target}",
                        svc.cluster_ip.map(|i| i.to_string()).unwrap_or_default(),
                        q.dport,
                        p.ip.map(|i| i.to_string()).unwrap_or_default()
                    ),
                },
            );
            backends.push(r);
        }
        let verdicts: Vec<Verdict> = backends.iter().map(|b| b.verdict).collect();
        let verdict = if verdicts.iter().all(|v| *v == Verdict::Allowed) {
            Verdict::Allowed
        } else if verdicts.iter().all(|v| *v == Verdict::Denied) {
            Verdict::Denied
        } else {
            Verdict::Unknown
        };
        let reason = match verdict {
            Verdict::Allowed => None,
            Verdict::Denied => Some("no backend accepts the connection".into()),
            Verdict::Unknown => Some("backends disagree: the outcome depends on which backend kube-proxy picks".into()),
        };
        TraceResult {
            from: q.from_label.clone(),
            to: q.to_label.clone(),
            flow,
            verdict,
            reason,
            blocked_by: None,
            failed_direction: None,
            forward: Vec::new(),
            reply: Vec::new(),
            approximations: Vec::new(),
            backends,
        }
    }

    /// Can `from` use the cluster's ClusterIPs? Only its pods and nodes run
    /// kube-proxy's translation.
    pub fn reaches_cluster_ips(&self, from: &Endpoint, cluster: &str) -> bool {
        match from {
            Endpoint::Pod { cluster: pc, .. } => pc == cluster,
            Endpoint::Eni { eni, .. } => self
                .net
                .enis
                .get(eni)
                .and_then(|e| e.instance_id())
                .is_some_and(|i| self.index.instance_nodes.get(i).is_some_and(|(cl, _)| cl == cluster)),
            _ => false,
        }
    }

    fn run(&self, q: &Query, choices: &BTreeMap<ChoiceKey, String>) -> Outcome2 {
        self.run_mode(q, choices, false).0
    }

    /// Records the paths of a connection for the symbolic engine: one per
    /// combination of the data plane's hidden choices. Filters are not
    /// decided but recorded, with addresses fixed and ports symbolic; the
    /// query's ports and protocol are ignored.
    pub fn record(&self, q: &Query) -> Vec<RecordedPath> {
        let (runs, complete) = self.explore(q, true);
        let mut out: Vec<RecordedPath> = runs.into_iter().map(|(o, rec)| to_path(o, rec)).collect();
        if !complete {
            out.push(RecordedPath {
                fate: PathFate::Unknown(format!("more than {MAX_CHOICE_PATHS} combinations of hidden choices")),
                obligations: Vec::new(),
                nodes: Vec::new(),
                reply_from: None,
            });
        }
        out
    }

    /// One walk under fixed choices. Outbound security-group rules are
    /// judged before the path is known: when the first walk finds that the
    /// path limits their group references (a transit gateway, a middlebox)
    /// and the decision consulted one, the walk is redone with that limit.
    fn run_mode(&self, q: &Query, choices: &BTreeMap<ChoiceKey, String>, record: bool) -> (Outcome2, Vec<Obligation>) {
        let (o, rec, sensitive, path_refs) = self.run_walk(q, choices, record, RefMatch::Yes);
        if sensitive && path_refs != RefMatch::Yes {
            let (o, rec, _, _) = self.run_walk(q, choices, record, path_refs);
            return (o, rec);
        }
        (o, rec)
    }

    fn run_walk(
        &self,
        q: &Query,
        choices: &BTreeMap<ChoiceKey, String>,
        record: bool,
        egress_refs: RefMatch,
    ) -> (Outcome2, Vec<Obligation>, bool, RefMatch) {
        let app = match (&q.sni, &q.http_host) {
            (Some(s), _) => nfw::AppLayer::Tls { sni: Some(s.clone()) },
            (None, Some(h)) => nfw::AppLayer::Http { host: Some(h.clone()) },
            _ => nfw::AppLayer::Unknown,
        };
        let mut w = Walk {
            hops: Vec::new(),
            approx: Vec::new(),
            doubts: Vec::new(),
            reply: false,
            steps: 0,
            fw: Vec::new(),
            sg_refs: true,
            egress_refs,
            path_refs: RefMatch::Yes,
            egress_ref_sensitive: false,
            reply_from: None,
            request_doubts: 0,
            translations: Vec::new(),
            choices,
            open_choices: Vec::new(),
            met_choices: Vec::new(),
            app,
            record: record.then(Vec::new),
            gateway_service: None,
        };
        let result = self.run_inner(q, &mut w);
        let (verdict, reason, blocker, failed, fwd, rep) = result;
        let mut approx = w.approx;
        let mut verdict = verdict;
        let mut reason = reason;
        let mut rec = w.record.take().unwrap_or_default();
        if record {
            rec.extend(w.doubts.iter().skip(w.request_doubts).cloned().map(Obligation::Doubt));
        } else if verdict == Verdict::Allowed && !w.doubts.is_empty() {
            verdict = Verdict::Unknown;
            reason = Some(w.doubts.join("; "));
        }
        approx.extend(w.doubts);
        let o = Outcome2 {
            verdict,
            reason,
            blocker,
            failed,
            forward: fwd,
            reply: rep,
            approx,
            open: w.open_choices,
            met: w.met_choices,
            reply_from: w.reply_from,
        };
        (o, rec, w.egress_ref_sensitive, w.path_refs)
    }

    #[allow(clippy::type_complexity)]
    fn run_inner(
        &self,
        q: &Query,
        w: &mut Walk,
    ) -> (Verdict, Option<String>, Option<String>, Option<&'static str>, Vec<Hop>, Vec<Hop>) {
        let denied = |reason: String, blocker: String, dir: &'static str, f: Vec<Hop>, r: Vec<Hop>| {
            (Verdict::Denied, Some(reason), Some(blocker), Some(dir), f, r)
        };
        let src = match self.place(&q.from) {
            Ok(p) => p,
            Err(e) => return (Verdict::Unknown, Some(e), None, None, Vec::new(), Vec::new()),
        };
        let dst = match self.place(&q.to) {
            Ok(p) => p,
            Err(e) => return (Verdict::Unknown, Some(e), None, None, Vec::new(), Vec::new()),
        };
        let src_ip = match (&src, &q.from) {
            (Some(p), _) => p.ip,
            (None, Endpoint::External { ip }) => *ip,
            _ => return (Verdict::Unknown, Some("unplaceable source".into()), None, None, Vec::new(), Vec::new()),
        };
        let dst_ip = match (&q.to, &dst) {
            (Endpoint::PublicIp { ip, .. }, _) => *ip,
            (_, Some(p)) => p.ip,
            (Endpoint::External { ip }, None) => *ip,
            _ => return (Verdict::Unknown, Some("unplaceable destination".into()), None, None, Vec::new(), Vec::new()),
        };
        let has_ports = matches!(q.proto, 6 | 17 | 132);
        let mut pkt = Packet {
            src: src_ip,
            dst: dst_ip,
            proto: q.proto,
            sport: PortRange::single(if has_ports { q.sport } else { 0 }),
            dport: PortRange::single(if has_ports { q.dport } else { 0 }),
            icmp: q.icmp,
            sport_sym: PortSym::Sport,
            dport_sym: PortSym::Dport,
            leg: Leg::Request,
        };
        // An external source addressing a private endpoint means its public IP.
        if src.is_none() {
            if let (Some(d), false) = (&dst, matches!(q.to, Endpoint::PublicIp { .. })) {
                let public = d.eni.and_then(|e| e.private_ips.iter().find(|p| p.ip == d.ip)).and_then(|p| p.public_ip);
                match public {
                    Some(p) => pkt.dst = p,
                    None => {
                        let why = format!("{} has no public IP: nothing outside the VPC can address it", d.ip);
                        w.hop(d.eni.map(|e| e.id.clone()).unwrap_or_default(), "eni", "deny", &why);
                        let blocker = d.eni.map(|e| e.id.clone()).unwrap_or_default();
                        return denied(why, blocker, "request", std::mem::take(&mut w.hops), Vec::new());
                    }
                }
            }
        }

        // ---- request ----
        let fate = self.request(w, &src, &dst, pkt);
        let fwd_hops = std::mem::take(&mut w.hops);
        let delivered = match fate {
            Ok(p) => p,
            Err(Fate::Dropped { reason, blocker }) => return denied(reason, blocker, "request", fwd_hops, Vec::new()),
            Err(Fate::Unknown(r)) => return (Verdict::Unknown, Some(r), None, None, fwd_hops, Vec::new()),
            Err(_) => {
                return (Verdict::Unknown, Some("internal: unexpected fate".into()), None, None, fwd_hops, Vec::new())
            }
        };

        // ---- reply ----
        if let Some(rec) = &mut w.record {
            // The encoding drops the reply for headers that expect none.
            rec.extend(w.doubts.iter().cloned().map(Obligation::Doubt));
            w.request_doubts = w.doubts.len();
            w.reply_from = Some(rec.len());
        } else if !delivered.expects_reply() {
            // An ICMP message that is not a query (unreachable, time
            // exceeded, …) gets no reply: delivering it is the whole story.
            return (Verdict::Allowed, None, None, None, fwd_hops, Vec::new());
        }
        w.reply = true;
        w.steps = 0;
        let fw_request = std::mem::take(&mut w.fw);
        let rep = self.reply(w, q, &src, &dst, delivered);
        let rep_hops = std::mem::take(&mut w.hops);
        match rep {
            Ok(()) => {}
            Err(Fate::Dropped { reason, blocker }) => return denied(reason, blocker, "reply", fwd_hops, rep_hops),
            Err(Fate::Unknown(r)) => return (Verdict::Unknown, Some(r), None, None, fwd_hops, rep_hops),
            Err(_) => {
                return (Verdict::Unknown, Some("internal: unexpected fate".into()), None, None, fwd_hops, rep_hops)
            }
        }
        // Stateful middleboxes need both directions through the same endpoint.
        let mut fw_reply = w.fw.clone();
        fw_reply.reverse();
        if fw_reply != fw_request {
            let fw_name = fw_request
                .iter()
                .chain(w.fw.iter())
                .find_map(|e| self.fw_endpoints.get(e.as_str()).map(|(f, _)| f.name.clone()))
                .unwrap_or_default();
            let why = format!(
                "asymmetric routing through the firewall: the request passes endpoint(s) [{}] but the reply passes [{}]",
                fw_request.join(", "),
                w.fw.join(", ")
            );
            return denied(why, fw_name, "reply", fwd_hops, rep_hops);
        }
        (Verdict::Allowed, None, None, None, fwd_hops, rep_hops)
    }

    /// The request: source-side filters, the walk, destination-side filters.
    /// Returns the packet as delivered to the destination.
    fn request(
        &self,
        w: &mut Walk,
        src: &Option<Place<'a>>,
        dst: &Option<Place<'a>>,
        mut pkt: Packet,
    ) -> Result<Packet, Fate<'a>> {
        let dst_pod = dst.as_ref().and_then(|d| d.pod);
        // Source side.
        let fate = match src {
            None => {
                w.hop(pkt.src.to_string(), "internet", "forward", format!("from the internet: {pkt}"));
                self.internet(w, pkt)
            }
            Some(s) => {
                let Some(eni) = s.eni else {
                    return Err(Fate::Unknown(format!("{} is on no ENI in the snapshot", s.ip)));
                };
                let mut egress_eni = eni;
                // Same-node traffic (pods and their node: kubelet, hostNetwork pods)
                // never leaves the node unless a branch ENI is involved in strict mode.
                let same_node_local =
                    dst.as_ref().is_some_and(|d| self.same_node(s, d)) && !self.branch_strict(src, dst);
                if let Some((cluster, pod, att)) = s.pod {
                    w.hop(format!("pod:{}/{}", cluster.name, pod.key()), "pod", "forward", format!("{pkt}"));
                    if !pod.host_network {
                        // Egress NetworkPolicies of the source pod.
                        let peer = match dst_pod {
                            Some((dc, dp, _)) if dc.name == cluster.name && !dp.host_network => Peer::Pod(dp),
                            _ => Peer::Ip(pkt.dst),
                        };
                        // Named ports resolve on pods of this cluster; a hostNetwork pod is node traffic.
                        let dpod = dst_pod
                            .filter(|(dc, dp, _)| dc.name == cluster.name && !dp.host_network)
                            .map(|(_, p, _)| p);
                        let v = if let Some(rec) = &mut w.record {
                            rec.push(Obligation::Np {
                                cluster: cluster.name.clone(),
                                pod: pod.key(),
                                dir: NpDirection::Egress,
                                peer: match peer {
                                    Peer::Pod(p) => PeerRef::Pod(p.key()),
                                    Peer::Ip(ip) => PeerRef::Ip(ip),
                                },
                                peer_ip: pkt.dst,
                                dst_pod: dpod.map(Pod::key),
                            });
                            NpVerdict::NotIsolated
                        } else {
                            netpol::decide(cluster, pod, NpDirection::Egress, peer, dpod, pkt.proto, pkt.dport)
                        };
                        np_hop(w, &v, "egress", pod);
                        np_fate(w, &v, "egress", pod, &pkt)?;
                    }
                    // VPC CNI SNAT (AWS_VPC_K8S_CNI_EXTERNALSNAT=false): to the node's primary IP when leaving the VPC.
                    if !same_node_local && !pod.host_network && self.snat_applies(cluster, pod, att, pkt.dst) {
                        if let Some((node_eni, node_ip)) = pod
                            .node_name
                            .as_deref()
                            .and_then(|n| self.node_eni.get(&(cluster.name.as_str(), n)).copied())
                        {
                            w.hop(
                                "vpc-cni",
                                "snat",
                                "translate",
                                format!("source {} -> {node_ip} (external SNAT off)", pkt.src),
                            );
                            w.translations.push(Translation::PodSnat {
                                pod_ip: pkt.src,
                                node_ip,
                                orig_sport: pkt.sport,
                                orig_sym: pkt.sport_sym,
                            });
                            pkt.src = node_ip;
                            pkt.sport_sym = PortSym::Nat;
                            if pkt.has_ports() {
                                pkt.sport = NAT_PORTS;
                            }
                            if let Some(e) = self.net.enis.get(node_eni) {
                                egress_eni = e;
                            }
                        }
                    }
                }
                if same_node_local {
                    w.hop(
                        self.node_label(s),
                        "node",
                        "forward",
                        "same node: delivered locally, no security group or NACL",
                    );
                    match dst.and_then(|d| d.eni) {
                        Some(e) => Fate::AtEni(e, pkt),
                        None => return Err(Fate::Unknown("destination is on no ENI".into())),
                    }
                } else {
                    self.sg(w, egress_eni, &pkt, Direction::Egress)?;
                    let here = self.eni_here(egress_eni, Via::Origin);
                    self.route(w, pkt, here)
                }
            }
        };
        // Destination side.
        match (fate, dst) {
            (Fate::Internet(p), None) => Ok(p),
            (Fate::Service(p, svc), None) => {
                let _ = svc;
                Ok(p)
            }
            (Fate::AtEni(eni, p), Some(d)) => {
                let expected = d.eni.map(|e| e.id.as_str());
                if Some(eni.id.as_str()) != expected || (p.dst != d.ip) {
                    let why = format!("the packet reaches {} ({}), not the destination", eni.id, p.dst);
                    return Err(Fate::Dropped { reason: why, blocker: eni.id.clone() });
                }
                let local = w.hops.last().is_some_and(|h| h.kind == "node");
                if !local {
                    self.sg(w, eni, &p, Direction::Ingress)?;
                }
                if let Some((cluster, pod, _)) = d.pod {
                    if !pod.host_network {
                        let peer = match src.and_then(|s| s.pod) {
                            Some((sc, sp, _))
                                if sc.name == cluster.name && !sp.host_network && sp.ip == Some(p.src) =>
                            {
                                Peer::Pod(sp)
                            }
                            _ => match self.index.pod_at(p.src) {
                                Some((cl, key)) if cl == cluster.name => match cluster.pods.get(key) {
                                    Some(sp) => Peer::Pod(sp),
                                    None => Peer::Ip(p.src),
                                },
                                _ => Peer::Ip(p.src),
                            },
                        };
                        let v = if let Some(rec) = &mut w.record {
                            rec.push(Obligation::Np {
                                cluster: cluster.name.clone(),
                                pod: pod.key(),
                                dir: NpDirection::Ingress,
                                peer: match peer {
                                    Peer::Pod(sp) => PeerRef::Pod(sp.key()),
                                    Peer::Ip(ip) => PeerRef::Ip(ip),
                                },
                                peer_ip: p.src,
                                dst_pod: Some(pod.key()),
                            });
                            NpVerdict::NotIsolated
                        } else {
                            netpol::decide(cluster, pod, NpDirection::Ingress, peer, Some(pod), p.proto, p.dport)
                        };
                        np_hop(w, &v, "ingress", pod);
                        np_fate(w, &v, "ingress", pod, &p)?;
                    }
                    w.hop(format!("pod:{}/{}", cluster.name, pod.key()), "deliver", "deliver", format!("{p}"));
                } else {
                    w.hop(&eni.id, "deliver", "deliver", format!("{p}"));
                }
                Ok(p)
            }
            (Fate::Dropped { reason, blocker }, _) => Err(Fate::Dropped { reason, blocker }),
            (Fate::Unknown(r), _) => Err(Fate::Unknown(r)),
            (Fate::Internet(p), Some(_)) => {
                Err(drop(format!("{} leaves to the internet instead of reaching the destination", p.dst), "internet"))
            }
            (Fate::AtEni(e, _), None) => {
                Err(drop(format!("delivered to {} instead of the external destination", e.id), &e.id))
            }
            (Fate::Service(_, s), Some(_)) => {
                Err(drop(format!("routed to AWS service {s} instead of the destination"), s))
            }
        }
    }

    fn snat_applies(&self, cluster: &Cluster, _pod: &Pod, att: PodAttachment, dst: Ipv4Addr) -> bool {
        if cluster.external_snat {
            return false;
        }
        // Security Groups for Pods in strict mode disable SNAT for branch-ENI pods.
        if att == PodAttachment::BranchEni && cluster.sg_enforcing_mode == SgEnforcingMode::Strict {
            return false;
        }
        if cluster.exclude_snat_cidrs.iter().any(|c| c.contains(&dst)) {
            return false;
        }
        let Some(vpc) = cluster.vpc_id.as_ref().and_then(|v| self.net.vpcs.get(v)) else { return false };
        !vpc.contains(dst)
    }

    fn sg(&self, w: &mut Walk, eni: &'a Eni, pkt: &Packet, dir: Direction) -> Result<(), Fate<'a>> {
        // A Network Load Balancer without security groups filters nothing
        // (elasticloadbalancing network/load-balancer-security-groups).
        if eni.kind == EniKind::LoadBalancer && eni.security_groups.is_empty() {
            w.hop(&eni.id, "security-group", "allow", format!("{} is a load balancer without security groups", eni.id));
            return Ok(());
        }
        // Inbound rules see the path walked so far; outbound rules the path
        // the request is about to take (decided by a first walk, see
        // `run_mode`).
        let refs = match dir {
            Direction::Ingress if w.sg_refs => RefMatch::Yes,
            Direction::Ingress => RefMatch::No,
            Direction::Egress => {
                w.egress_ref_sensitive |=
                    filters::references_member(self.net, self.index, &eni.security_groups, dir, pkt.dst);
                w.egress_refs
            }
        };
        if let Some(rec) = &mut w.record {
            rec.push(Obligation::Sg {
                eni: eni.id.clone(),
                dir,
                src: pkt.src,
                dst: pkt.dst,
                sport: pkt.sport_sym,
                dport: pkt.dport_sym,
                sg_refs: refs,
            });
            w.hop(
                filters::groups_label(&eni.security_groups),
                "security-group",
                "allow",
                format!("{dir} of {}", eni.id),
            );
            return Ok(());
        }
        let d = filters::security_groups(
            self.net,
            self.index,
            &eni.security_groups,
            pkt,
            dir,
            SgContext { group_refs: refs },
        );
        let label = filters::groups_label(&eni.security_groups);
        let rule = d.rules.first().map(|r| r.prov.short());
        let loc = d.rules.first().map(|r| r.prov.location());
        w.approx.extend(d.unknown.iter().cloned());
        match d.outcome {
            Outcome::Allow => {
                w.rule_hop(label, "security-group", "allow", rule, loc, format!("{dir} of {} allows {pkt}", eni.id));
                Ok(())
            }
            Outcome::Deny => {
                if !d.unknown.is_empty() {
                    let why = format!("{dir} of {} depends on {}", eni.id, d.unknown.join("; "));
                    w.hop(label, "security-group", "unknown", &why);
                    return Err(Fate::Unknown(why));
                }
                let why = format!("no {dir} rule of {label} on {} allows {pkt}", eni.id);
                w.hop(&label, "security-group", "deny", &why);
                let blocker = eni.security_groups.first().cloned().unwrap_or_else(|| eni.id.clone());
                Err(drop(why, if eni.security_groups.len() == 1 { blocker } else { label }))
            }
            Outcome::Partial => {
                let why = format!("{dir} rules of {label} allow only part of the port range of {pkt}");
                w.rule_hop(label, "security-group", "unknown", rule, loc, &why);
                w.doubts.push(why);
                Ok(())
            }
        }
    }

    /// The reply, from the destination back to the source.
    fn reply(
        &self,
        w: &mut Walk,
        q: &Query,
        src: &Option<Place<'a>>,
        dst: &Option<Place<'a>>,
        delivered: Packet,
    ) -> Result<(), Fate<'a>> {
        let _ = q;
        let mut rp = delivered.reply();
        let fate = match dst {
            // A reply from an AWS service comes back through the gateway endpoint.
            None if w.gateway_service.is_some() => {
                let (vpc, vpce) = w.gateway_service.clone().unwrap_or_default();
                w.hop(&vpce, "vpc-endpoint", "forward", format!("reply from the service: {rp}"));
                match self.net.vpcs.get(&vpc) {
                    Some(v) => {
                        let here = Here { vpc: &v.id, subnet: None, via: Via::Origin, rt: None };
                        self.deliver_local(w, rp, here, false)
                    }
                    None => Fate::Unknown(format!("VPC {vpc} is not in the snapshot")),
                }
            }
            None => {
                w.hop(rp.src.to_string(), "internet", "forward", format!("reply from the internet: {rp}"));
                self.internet(w, rp)
            }
            Some(d) => {
                let Some(eni) = d.eni else { return Err(Fate::Unknown("destination on no ENI".into())) };
                if let Some((cluster, pod, _)) = d.pod {
                    w.hop(format!("pod:{}/{}", cluster.name, pod.key()), "pod", "forward", format!("reply {rp}"));
                }
                let local = src.as_ref().is_some_and(|s| self.same_node(d, s))
                    && w.translations.is_empty()
                    && !self.branch_strict(src, dst);
                if local {
                    w.hop(self.node_label(d), "node", "forward", "same node: delivered locally");
                    match src.and_then(|s| s.eni) {
                        Some(e) => Fate::AtEni(e, rp),
                        None => Fate::Unknown("source on no ENI".into()),
                    }
                } else {
                    self.route(w, rp, self.eni_here(eni, Via::Origin))
                }
            }
        };
        match (fate, src) {
            (Fate::AtEni(eni, mut p), Some(s)) => {
                // Undo a pod SNAT on the node.
                if let Some(pos) = w.translations.iter().rposition(|t| matches!(t, Translation::PodSnat { .. })) {
                    if let Translation::PodSnat { pod_ip, node_ip, orig_sport, orig_sym } = w.translations[pos].clone()
                    {
                        if p.dst == node_ip {
                            w.translations.remove(pos);
                            w.hop("vpc-cni", "snat", "translate", format!("destination {node_ip} -> {pod_ip}"));
                            p.dst = pod_ip;
                            p.dport = orig_sport;
                            p.dport_sym = orig_sym;
                            rp = p;
                        }
                    }
                }
                let _ = rp;
                if p.dst != s.ip {
                    return Err(drop(format!("the reply reaches {} ({}), not the source", eni.id, p.dst), &eni.id));
                }
                let node_ok = s.eni.map(|e| e.id == eni.id).unwrap_or(false)
                    || s.pod.is_some_and(|(c, pod, _)| {
                        pod.node_name
                            .as_deref()
                            .and_then(|n| self.node_eni.get(&(c.name.as_str(), n)))
                            .is_some_and(|(e, _)| *e == eni.id)
                    });
                if !node_ok {
                    return Err(drop(format!("the reply reaches {}, not the source's interface", eni.id), &eni.id));
                }
                w.hop(
                    s.pod.map(|(c, p, _)| format!("pod:{}/{}", c.name, p.key())).unwrap_or_else(|| eni.id.clone()),
                    "deliver",
                    "deliver",
                    format!("reply {p}"),
                );
                Ok(())
            }
            (Fate::Internet(p), None) => {
                let expected = match &q.from {
                    Endpoint::External { ip } => *ip,
                    _ => p.dst,
                };
                if p.dst != expected {
                    return Err(drop(format!("the reply goes to {}, not {expected}", p.dst), "internet"));
                }
                Ok(())
            }
            (Fate::Dropped { reason, blocker }, _) => Err(Fate::Dropped { reason, blocker }),
            (Fate::Unknown(r), _) => Err(Fate::Unknown(r)),
            (Fate::Internet(p), Some(_)) => Err(drop(
                format!("the reply leaves to the internet as {} instead of returning to the source", p.src),
                "internet",
            )),
            (Fate::AtEni(e, _), None) => {
                Err(drop(format!("the reply is delivered to {} instead of the internet", e.id), &e.id))
            }
            (Fate::Service(_, s), _) => Err(drop(format!("the reply is routed to AWS service {s}"), s)),
        }
    }

    /// The cluster node a place is on: a pod's node, or the node whose
    /// instance owns the ENI.
    fn node_of(&self, p: &Place<'a>) -> Option<(&'a str, &'a str)> {
        match p.pod {
            Some((c, pod, _)) => pod.node_name.as_deref().map(|n| (c.name.as_str(), n)),
            None => p
                .eni
                .and_then(|e| e.instance_id())
                .and_then(|i| self.index.instance_nodes.get(i))
                .map(|(c, n)| (c.as_str(), n.as_str())),
        }
    }

    fn node_label(&self, p: &Place<'a>) -> String {
        self.node_of(p).map_or_else(|| "node".into(), |(_, n)| n.to_string())
    }

    /// Are both places on one cluster node (pods, hostNetwork pods, the
    /// node's own addresses)? Their traffic stays in the host: veth pairs
    /// and local routes, no ENI crossed.
    fn same_node(&self, a: &Place<'a>, b: &Place<'a>) -> bool {
        self.node_of(a).is_some_and(|n| self.node_of(b) == Some(n))
    }

    fn branch_strict(&self, src: &Option<Place<'a>>, dst: &Option<Place<'a>>) -> bool {
        let strict_branch = |p: &Option<Place<'a>>| {
            p.and_then(|p| p.pod).is_some_and(|(c, _, a)| {
                a == PodAttachment::BranchEni && c.sg_enforcing_mode == SgEnforcingMode::Strict
            })
        };
        strict_branch(src) || strict_branch(dst)
    }
}

/// The backends kube-proxy sends a Service's traffic to: the ready addresses
/// of its Endpoints/EndpointSlices that are live pods, else the live, ready
/// pods its selector matches in its namespace.
pub fn service_backends<'c>(c: &'c Cluster, svc: &Service) -> Vec<&'c Pod> {
    match &svc.endpoints {
        Some(eps) => eps
            .iter()
            .filter(|e| e.ready)
            .filter_map(|e| c.pods.values().find(|p| p.ip == Some(e.ip) && p.is_live()))
            .collect(),
        None => match &svc.selector {
            Some(sel) if !sel.is_empty() => c
                .pods
                .values()
                .filter(|p| p.namespace == svc.namespace && p.is_live() && p.ready != Some(false))
                .filter(|p| sel.iter().all(|(k, v)| p.labels.get(k) == Some(v)))
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// The port a backend receives for a service port. A named `targetPort` is
/// looked up in the backend; a pod that does not declare it is no endpoint
/// for this port (the endpoints controller skips it): `None`.
pub fn target_port(p: &Pod, sp: &ServicePort) -> Option<u16> {
    match &sp.target_port {
        TargetPort::Number(n) => Some(*n),
        TargetPort::Name(n) => p.named_port(n, sp.protocol),
    }
}

fn to_path(o: Outcome2, obligations: Vec<Obligation>) -> RecordedPath {
    let fate = match o.verdict {
        Verdict::Allowed => PathFate::Reached,
        Verdict::Denied => {
            PathFate::Dropped { reason: o.reason.unwrap_or_default(), blocker: o.blocker.unwrap_or_default() }
        }
        Verdict::Unknown => PathFate::Unknown(o.reason.unwrap_or_default()),
    };
    let nodes = o.forward.iter().chain(&o.reply).map(|h| h.node.clone()).collect();
    RecordedPath { fate, obligations, nodes, reply_from: o.reply_from }
}

/// Stops the walk when a NetworkPolicy decision drops the packet or cannot be decided.
fn np_fate<'a>(w: &mut Walk, v: &NpVerdict, dir: &str, pod: &Pod, pkt: &Packet) -> Result<(), Fate<'a>> {
    match v {
        NpVerdict::Denied { policies } => {
            let why =
                format!("{dir} NetworkPolicies of {} ({}) allow no rule for {pkt}", pod.key(), policies.join(", "));
            Err(drop(why, policies.first().cloned().unwrap_or_default()))
        }
        // Undecided, not dropped: a definite drop further on still denies.
        NpVerdict::Unmodelled { policies } => {
            w.doubts.push(unmodelled_doubt(dir, pod, policies));
            Ok(())
        }
        NpVerdict::Unknown { policies, reason } => {
            w.approx.push(format!("NetworkPolicy: {reason}"));
            Err(Fate::Unknown(format!(
                "{dir} NetworkPolicies of {} ({}) surely allow no rule for {pkt}, but {reason}",
                pod.key(),
                policies.join(", ")
            )))
        }
        _ => Ok(()),
    }
}

fn np_hop(w: &mut Walk, v: &NpVerdict, dir: &str, pod: &Pod) {
    match v {
        NpVerdict::NotEnforced => w.hop(
            format!("netpol {}", pod.namespace),
            "network-policy",
            "allow",
            "NetworkPolicy enforcement is off for this cluster",
        ),
        NpVerdict::NotIsolated => w.hop(
            format!("netpol {}", pod.namespace),
            "network-policy",
            "allow",
            format!("no {dir} policy selects {}", pod.key()),
        ),
        NpVerdict::AllowedBy { rule, location } => w.rule_hop(
            format!("netpol {}", rule.rsplit_once('/').map(|(p, _)| p).unwrap_or(rule)),
            "network-policy",
            "allow",
            Some(rule.clone()),
            Some(location.clone()),
            format!("{dir} allowed"),
        ),
        NpVerdict::Denied { policies } => w.hop(
            format!("netpol {}", policies.join(",")),
            "network-policy",
            "deny",
            format!("{} is isolated for {dir} and no rule matches", pod.key()),
        ),
        NpVerdict::Unmodelled { policies } => w.rule_hop(
            policies.iter().map(|(label, _)| label.as_str()).collect::<Vec<_>>().join(", "),
            "network-policy",
            "unknown",
            policies.first().map(|(_, p)| p.short()),
            policies.first().map(|(_, p)| p.location()),
            format!("{dir} of {} depends on policies netprove does not model", pod.key()),
        ),
        NpVerdict::Unknown { policies, reason } => w.hop(
            format!("netpol {}", policies.join(",")),
            "network-policy",
            "unknown",
            format!("{} is isolated for {dir}; {reason}", pod.key()),
        ),
        NpVerdict::SelfTraffic => w.hop(
            format!("netpol {}", pod.namespace),
            "network-policy",
            "allow",
            format!("{} talks to itself: a pod cannot block access to itself", pod.key()),
        ),
    }
}

/// Why a NetworkPolicy decision is unknown: the unmodelled policies, with
/// where they are, that may decide `dir` for `pod`.
fn unmodelled_doubt(dir: &str, pod: &Pod, policies: &[(String, Provenance)]) -> String {
    let names: Vec<String> = policies.iter().map(|(label, p)| format!("{label} ({})", p.location())).collect();
    format!(
        "{dir} of pod {} may be allowed or denied by {}, which netprove does not model",
        pod.key(),
        names.join(", ")
    )
}
