//! Obligations → three-valued constraints over the header.
//!
//! Addresses are fixed by the recorded path, so every address test is
//! decided here, concretely; what remains symbolic is the protocol, the
//! ports and the ICMP type/code. Each encoding mirrors the concrete filter
//! in `eval` exactly; `tests/tests/engines_agree.rs` cross-checks them.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use netprove_models::model::aws::Nacl;
use netprove_models::model::k8s::{NpPeer, PortRef};
use netprove_models::model::net::{PROTO_ICMP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::{Action, Direction, Network, NetworkIndex, Traffic};

use super::term::*;
use crate::eval::filters::{self, Outcome, PeerMatch, SgContext};
use crate::eval::netpol::NpDirection;
use crate::eval::nfw::{AppLayer, Connection, NfwVerdict, PreparedFirewall};
use crate::eval::obligation::{Obligation, PathFate, PeerRef, RecordedPath};
use crate::eval::packet::{Leg, Packet, PortSym, NAT_PORTS};

/// Encodes obligations of one snapshot, caching firewall encodings.
pub struct Encoder<'a> {
    pub net: &'a Network,
    pub index: &'a NetworkIndex,
    firewalls: HashMap<&'a str, PreparedFirewall<'a>>,
    nfw_cache: HashMap<(String, Ipv4Addr, Ipv4Addr, PortSym, PortSym, AppLayer), Tri>,
    /// What the firewall may know of the application layer (specs: nothing).
    pub app: AppLayer,
}

fn proto_is(p: u8) -> Term {
    eq(Field::Proto, u32::from(p))
}

fn port_field(sym: PortSym) -> Option<Field> {
    match sym {
        PortSym::Sport => Some(Field::Sport),
        PortSym::Dport => Some(Field::Dport),
        PortSym::Nat => None,
    }
}

fn icmp_type_expr(leg: Leg) -> Expr {
    match leg {
        Leg::Request => Expr::Field(Field::IcmpType),
        Leg::Reply => Expr::ReplyIcmpType,
    }
}

/// Does a `Traffic` match, with the destination port given by `port` (a
/// field; `None` means a translated port, handled by the caller)?
fn traffic(t: &Traffic, port: Option<Field>, leg: Leg) -> Term {
    let ports = |r: netprove_models::model::PortRange| match port {
        Some(f) => in_range(Expr::Field(f), u32::from(r.lo), u32::from(r.hi)),
        None => ff(),
    };
    match t {
        Traffic::All => tt(),
        Traffic::Tcp { ports: r } => and([proto_is(PROTO_TCP), ports(*r)]),
        Traffic::Udp { ports: r } => and([proto_is(PROTO_UDP), ports(*r)]),
        Traffic::Icmp { icmp } => and([
            proto_is(PROTO_ICMP),
            match icmp.icmp_type {
                Some(t) => in_range(icmp_type_expr(leg), u32::from(t), u32::from(t)),
                None => tt(),
            },
            match icmp.code {
                Some(c) => eq(Field::IcmpCode, u32::from(c)),
                None => tt(),
            },
        ]),
        Traffic::Proto { number } => proto_is(*number),
    }
}

fn outcome_tri(o: Outcome) -> Tri {
    match o {
        Outcome::Allow => Tri::allow_all(),
        Outcome::Deny => Tri::deny_all(),
        Outcome::Partial => Tri::unknown_all(),
    }
}

/// `if proto is tcp: a; if udp: b; else: c` on three-valued outcomes.
fn by_l4(tcp: Tri, udp: Tri, other: Tri) -> Tri {
    let is_tcp = proto_is(PROTO_TCP);
    let is_udp = proto_is(PROTO_UDP);
    let other_c = and([not(is_tcp.clone()), not(is_udp.clone())]);
    Tri {
        allow: or([
            and([is_tcp.clone(), tcp.allow]),
            and([is_udp.clone(), udp.allow]),
            and([other_c.clone(), other.allow]),
        ]),
        maybe: or([and([is_tcp, tcp.maybe]), and([is_udp, udp.maybe]), and([other_c, other.maybe])]),
    }
}

impl<'a> Encoder<'a> {
    pub fn new(net: &'a Network, index: &'a NetworkIndex) -> Self {
        let mut firewalls = HashMap::new();
        for fw in net.firewalls.values() {
            let home: Vec<ipnet::Ipv4Net> = net.vpcs.get(&fw.vpc_id).map(|v| v.cidrs.clone()).unwrap_or_default();
            firewalls.insert(fw.arn.as_str(), PreparedFirewall::new(net, fw, &home));
        }
        Encoder { net, index, firewalls, nfw_cache: HashMap::new(), app: AppLayer::Unknown }
    }

    /// The outcome of one recorded path over all headers.
    pub fn path(&mut self, p: &RecordedPath) -> Tri {
        match &p.fate {
            PathFate::Dropped { .. } => Tri::deny_all(),
            PathFate::Reached => {
                let parts: Vec<Tri> = p.obligations.iter().map(|o| self.obligation(o)).collect();
                tri_and(&parts)
            }
            // The walk stopped at something it cannot judge: whatever the
            // filters recorded before then still decide definite denials.
            PathFate::Unknown(_) => {
                let parts: Vec<Tri> = p.obligations.iter().map(|o| self.obligation(o)).collect();
                Tri { allow: ff(), maybe: and(parts.iter().map(Tri::possible)) }
            }
        }
    }

    /// Aggregates the paths of one connection (one per hidden data-plane
    /// choice) as the concrete driver does: allowed if every path allows,
    /// denied if every path denies, unknown otherwise.
    pub fn connection(&mut self, paths: &[RecordedPath]) -> Tri {
        if paths.is_empty() {
            return Tri::unknown_all();
        }
        let tris: Vec<Tri> = paths.iter().map(|p| self.path(p)).collect();
        let allow = and(tris.iter().map(|t| t.allow.clone()));
        let denied = and(tris.iter().map(|t| not(t.possible())));
        Tri { maybe: and([not(allow.clone()), not(denied)]), allow }
    }

    pub fn obligation(&mut self, o: &Obligation) -> Tri {
        match o {
            Obligation::Nacl { acl, egress, src, dst, sport, dport, leg } => match self.net.nacls.get(acl) {
                Some(a) => self.nacl(a, *egress, *src, *dst, *sport, *dport, *leg),
                None => Tri::unknown_all(),
            },
            Obligation::Sg { eni, dir, src, dst, sport, dport, sg_refs } => {
                self.sg(eni, *dir, *src, *dst, *sport, *dport, *sg_refs)
            }
            Obligation::Np { cluster, pod, dir, peer, peer_ip, dst_pod } => {
                self.np(cluster, pod, *dir, peer, *peer_ip, dst_pod.as_deref())
            }
            Obligation::Nfw { fw_arn, src, dst, sport, dport } => self.nfw(fw_arn, *src, *dst, *sport, *dport),
            Obligation::Protocols { allowed, .. } => {
                Tri { allow: or(allowed.iter().map(|p| proto_is(*p))), maybe: ff() }
            }
            Obligation::Doubt(_) => Tri::unknown_all(),
        }
    }

    fn concrete_packet(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, sport: PortSym, dport: PortSym, leg: Leg) -> Packet {
        let span =
            |s: PortSym| if s == PortSym::Nat { NAT_PORTS } else { netprove_models::model::PortRange::single(0) };
        Packet {
            src,
            dst,
            proto,
            sport: span(sport),
            dport: span(dport),
            icmp: (8, 0),
            sport_sym: sport,
            dport_sym: dport,
            leg,
        }
    }

    /// First match by ascending rule number, final deny (`filters::nacl`).
    #[allow(clippy::too_many_arguments)]
    fn nacl(
        &self,
        acl: &Nacl,
        egress: bool,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        sport: PortSym,
        dport: PortSym,
        leg: Leg,
    ) -> Tri {
        let peer = if egress { dst } else { src };
        let entries: Vec<_> = (if egress { &acl.egress } else { &acl.ingress })
            .iter()
            .filter(|e| e.cidr.is_some_and(|c| c.contains(&peer)))
            .collect();
        let chain = |port: Option<Field>| -> Term {
            let mut r = ff();
            for e in entries.iter().rev() {
                r = ite(traffic(&e.traffic, port, leg), bool_(e.action == Action::Allow), r);
            }
            r
        };
        match port_field(dport) {
            Some(f) => Tri { allow: chain(Some(f)), maybe: ff() },
            None => {
                // The destination port is a translator's choice: classify the
                // whole span concretely, per protocol, exactly as `eval` does.
                let tcp = filters::nacl(acl, &Self::concrete_packet(src, dst, PROTO_TCP, sport, dport, leg), egress);
                let udp = filters::nacl(acl, &Self::concrete_packet(src, dst, PROTO_UDP, sport, dport, leg), egress);
                by_l4(outcome_tri(tcp.outcome), outcome_tri(udp.outcome), Tri { allow: chain(None), maybe: ff() })
            }
        }
    }

    /// Union of every rule of every group on the ENI (`filters::security_groups`).
    #[allow(clippy::too_many_arguments)]
    fn sg(
        &self,
        eni_id: &str,
        dir: Direction,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        sport: PortSym,
        dport: PortSym,
        sg_refs: bool,
    ) -> Tri {
        let Some(eni) = self.net.enis.get(eni_id) else { return Tri::unknown_all() };
        let ctx = SgContext { group_refs_match: sg_refs };
        let peer = match dir {
            Direction::Ingress => src,
            Direction::Egress => dst,
        };
        let Some(port) = port_field(dport) else {
            let pk = |p| Self::concrete_packet(src, dst, p, sport, dport, Leg::Request);
            let out =
                |p| filters::security_groups(self.net, self.index, &eni.security_groups, &pk(p), dir, ctx).outcome;
            let mut allow = Vec::new();
            let mut maybe = Vec::new();
            for g in &eni.security_groups {
                let Some(sg) = self.net.security_groups.get(g) else { continue };
                for r in sg.rules(dir) {
                    match filters::peer_matches(self.net, self.index, &r.peer, peer, ctx) {
                        PeerMatch::Yes => allow.push(traffic(&r.traffic, None, Leg::Request)),
                        PeerMatch::Unknown(_) => maybe.push(traffic(&r.traffic, None, Leg::Request)),
                        PeerMatch::No => {}
                    }
                }
            }
            let other = Tri { allow: or(allow.clone()), maybe: and([or(maybe), not(or(allow))]) };
            return by_l4(outcome_tri(out(PROTO_TCP)), outcome_tri(out(PROTO_UDP)), other);
        };
        let mut allow = Vec::new();
        let mut maybe = Vec::new();
        for g in &eni.security_groups {
            let Some(sg) = self.net.security_groups.get(g) else { continue };
            for r in sg.rules(dir) {
                match filters::peer_matches(self.net, self.index, &r.peer, peer, ctx) {
                    PeerMatch::Yes => allow.push(traffic(&r.traffic, Some(port), Leg::Request)),
                    PeerMatch::Unknown(_) => maybe.push(traffic(&r.traffic, Some(port), Leg::Request)),
                    PeerMatch::No => {}
                }
            }
        }
        let allow = or(allow);
        // A rule behind a prefix list without entries: the concrete engine
        // reports "unknown" only when nothing else allows.
        Tri { maybe: and([or(maybe), not(allow.clone())]), allow }
    }

    /// NetworkPolicy (`eval::netpol::decide`).
    fn np(
        &self,
        cluster: &str,
        pod_key: &str,
        dir: NpDirection,
        peer: &PeerRef,
        peer_ip: Ipv4Addr,
        dst_pod: Option<&str>,
    ) -> Tri {
        let Some(c) = self.net.clusters.get(cluster) else { return Tri::unknown_all() };
        let Some(pod) = c.pods.get(pod_key) else { return Tri::unknown_all() };
        if !c.network_policy_enforcement || pod.host_network {
            return Tri::allow_all();
        }
        let peer_pod = match peer {
            PeerRef::Pod(k) => c.pods.get(k),
            PeerRef::Ip(_) => None,
        };
        let dst = dst_pod.and_then(|k| c.pods.get(k));
        let mut isolated = false;
        let mut allow = Vec::new();
        for np in c.network_policies.values() {
            if np.namespace != pod.namespace || !np.pod_selector.matches(&pod.labels) {
                continue;
            }
            let rules = match dir {
                NpDirection::Ingress => np.ingress.as_ref(),
                NpDirection::Egress => np.egress.as_ref(),
            };
            let Some(rules) = rules else { continue };
            isolated = true;
            for rule in rules {
                let peer_ok = match &rule.peers {
                    None => true,
                    Some(peers) => peers.iter().any(|p| match p {
                        NpPeer::IpBlock { cidr, except } => {
                            cidr.contains(&peer_ip) && !except.iter().any(|e| e.contains(&peer_ip))
                        }
                        NpPeer::IpBlock6 { .. } => false,
                        NpPeer::Pods { namespace_selector, pod_selector } => match peer_pod {
                            Some(other) if !other.host_network => {
                                let ns_ok = match namespace_selector {
                                    None => other.namespace == np.namespace,
                                    Some(sel) => sel.matches(&c.namespace_labels(&other.namespace)),
                                };
                                ns_ok && pod_selector.as_ref().is_none_or(|s| s.matches(&other.labels))
                            }
                            _ => false,
                        },
                    }),
                };
                if !peer_ok {
                    continue;
                }
                let ports = match &rule.ports {
                    None => tt(),
                    Some(ports) => or(ports.iter().map(|p| {
                        let port = match (&p.port, p.end_port) {
                            (None, _) => tt(),
                            (Some(PortRef::Number(n)), None) => eq(Field::Dport, u32::from(*n)),
                            (Some(PortRef::Number(n)), Some(e)) => {
                                in_range(Expr::Field(Field::Dport), u32::from(*n), u32::from(e))
                            }
                            (Some(PortRef::Name(name)), _) => match dst.and_then(|d| d.named_port(name, p.protocol)) {
                                Some(n) => eq(Field::Dport, u32::from(n)),
                                None => ff(),
                            },
                        };
                        and([proto_is(p.protocol.number()), port])
                    })),
                };
                allow.push(ports);
            }
        }
        if !isolated {
            return Tri::allow_all();
        }
        let allow = or(allow);
        let own_node = dir == NpDirection::Ingress && pod.host_ip == Some(peer_ip);
        Tri { maybe: if own_node { not(allow.clone()) } else { ff() }, allow }
    }

    /// Network Firewall: exact over the cells of the partition its rules
    /// induce on protocol, ports and ICMP type — within a cell the
    /// evaluator treats every packet alike, so one evaluation per cell is
    /// the whole truth.
    fn nfw(&mut self, arn: &str, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym) -> Tri {
        let key = (arn.to_string(), src, dst, sport, dport, self.app.clone());
        if let Some(t) = self.nfw_cache.get(&key) {
            return t.clone();
        }
        let Some(fw) = self.firewalls.get(arn) else { return Tri::unknown_all() };
        let cuts = fw.cuts();
        let cells = cuts.port_cells();
        let mut listed: Vec<u8> = cuts.protos.iter().copied().collect();
        for p in [PROTO_ICMP, PROTO_TCP, PROTO_UDP] {
            if !listed.contains(&p) {
                listed.push(p);
            }
        }
        listed.sort_unstable();
        // A protocol number no rule names stands for all of them.
        let other = (0u8..=255).find(|p| !listed.contains(p));
        let mut allow = Vec::new();
        let mut maybe = Vec::new();
        let mut judge = |conn: Connection, cond: Term| match fw.evaluate(&conn).verdict {
            NfwVerdict::Pass => allow.push(cond),
            NfwVerdict::Unknown => maybe.push(cond),
            NfwVerdict::Drop => {}
        };
        let app = self.app.clone();
        let conn = |proto: u8, sp: u16, dp: u16, icmp: Option<(u8, u8)>| Connection {
            src,
            dst,
            proto,
            sport: sp,
            dport: dp,
            icmp,
            app: app.clone(),
        };
        let dims = |sym: PortSym| -> Vec<(u16, u16, Term)> {
            match port_field(sym) {
                Some(f) => cells
                    .iter()
                    .map(|(lo, hi)| (*lo, *hi, in_range(Expr::Field(f), u32::from(*lo), u32::from(*hi))))
                    .collect(),
                // The evaluator passes a translated span's lowest port.
                None => vec![(NAT_PORTS.lo, NAT_PORTS.lo, tt())],
            }
        };
        let (sdims, ddims) = (dims(sport), dims(dport));
        for p in &listed {
            let base = proto_is(*p);
            match *p {
                PROTO_TCP | PROTO_UDP => {
                    for (slo, _, sc) in &sdims {
                        for (dlo, _, dc) in &ddims {
                            judge(conn(*p, *slo, *dlo, None), and([base.clone(), sc.clone(), dc.clone()]));
                        }
                    }
                }
                PROTO_ICMP => {
                    for (lo, hi) in [(0u32, 7u32), (8, 8), (9, 12), (13, 13), (14, 255)] {
                        let cond = and([base.clone(), in_range(Expr::Field(Field::IcmpType), lo, hi)]);
                        judge(conn(*p, 0, 0, Some((lo as u8, 0))), cond);
                    }
                }
                _ => judge(conn(*p, 0, 0, None), base),
            }
        }
        if let Some(o) = other {
            let cond = and(listed.iter().map(|p| not(proto_is(*p))));
            judge(conn(o, 0, 0, None), cond);
        }
        let t = Tri { allow: or(allow), maybe: or(maybe) };
        self.nfw_cache.insert(key, t.clone());
        t
    }
}
