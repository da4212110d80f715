//! Security groups and network ACLs on concrete packets.
//!
//! Both work on port *spans* (see [`Packet`]): a filter answers `Allow`,
//! `Deny`, or `Partial` when only part of the span would pass — the result
//! then depends on a port choice the model cannot know.

use std::net::Ipv4Addr;

use netprove_models::model::aws::{Nacl, NaclEntry, SecurityGroup, SgPeer, SgRule};
use netprove_models::model::net::{PROTO_ICMP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::{Action, Direction, Network, NetworkIndex, PortRange, Provenance, Traffic};

use super::packet::Packet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    Deny,
    Partial,
}

/// Which part of `span` a rule's port range covers.
fn overlap(span: PortRange, r: PortRange) -> Option<PortRange> {
    let lo = span.lo.max(r.lo);
    let hi = span.hi.min(r.hi);
    (lo <= hi).then_some(PortRange { lo, hi })
}

/// The part of the packet's port span (destination port for `dport`) that a
/// traffic match admits, or `None` if the protocol does not match.
fn traffic_match(t: &Traffic, pkt: &Packet, port: PortRange) -> Option<Option<PortRange>> {
    match *t {
        Traffic::All => Some(None),
        Traffic::Tcp { ports } if pkt.proto == PROTO_TCP => overlap(port, ports).map(Some),
        Traffic::Udp { ports } if pkt.proto == PROTO_UDP => overlap(port, ports).map(Some),
        Traffic::Icmp { icmp } if pkt.proto == PROTO_ICMP => icmp.matches(pkt.icmp.0, pkt.icmp.1).then_some(None),
        Traffic::Proto { number } if pkt.proto == number => Some(None),
        _ => None,
    }
}

/// Subtracts `cut` from a list of disjoint spans.
fn subtract(spans: &[PortRange], cut: PortRange) -> Vec<PortRange> {
    let mut out = Vec::with_capacity(spans.len() + 1);
    for s in spans {
        if cut.hi < s.lo || cut.lo > s.hi {
            out.push(*s);
            continue;
        }
        if s.lo < cut.lo {
            out.push(PortRange { lo: s.lo, hi: cut.lo - 1 });
        }
        if cut.hi < s.hi {
            out.push(PortRange { lo: cut.hi + 1, hi: s.hi });
        }
    }
    out
}

/// A NACL decision: the outcome and the entries that decided it.
#[derive(Debug, Clone)]
pub struct NaclDecision<'a> {
    pub outcome: Outcome,
    pub entries: Vec<&'a NaclEntry>,
}

/// Evaluates one direction of a NACL: ascending rule number, first match,
/// implicit final deny. `egress`: rules for traffic leaving the subnet (match
/// the destination address); otherwise the source address.
pub fn nacl<'a>(acl: &'a Nacl, pkt: &Packet, egress: bool) -> NaclDecision<'a> {
    let entries = if egress { &acl.egress } else { &acl.ingress };
    let peer = if egress { pkt.dst } else { pkt.src };
    // NACL port ranges apply to the destination port.
    let mut remaining = vec![pkt.dport];
    let mut outcomes = Vec::new();
    let mut deciding = Vec::new();
    for e in entries {
        let Some(cidr) = e.cidr else { continue };
        if !cidr.contains(&peer) {
            continue;
        }
        if !pkt.has_ports() {
            if traffic_match(&e.traffic, pkt, pkt.dport).is_some() {
                return NaclDecision {
                    outcome: if e.action == Action::Allow { Outcome::Allow } else { Outcome::Deny },
                    entries: vec![e],
                };
            }
            continue;
        }
        let mut next = Vec::new();
        let mut hit = false;
        for span in &remaining {
            match traffic_match(&e.traffic, pkt, *span) {
                Some(Some(part)) => {
                    hit = true;
                    next.extend(subtract(&[*span], part));
                }
                Some(None) => hit = true,
                None => next.push(*span),
            }
        }
        if hit {
            outcomes.push(e.action);
            deciding.push(e);
        }
        remaining = next;
        if remaining.is_empty() {
            break;
        }
    }
    if !remaining.is_empty() || !pkt.has_ports() {
        outcomes.push(Action::Deny);
    }
    let all_allow = outcomes.iter().all(|a| *a == Action::Allow);
    let all_deny = outcomes.iter().all(|a| *a == Action::Deny);
    NaclDecision {
        outcome: if all_allow {
            Outcome::Allow
        } else if all_deny {
            Outcome::Deny
        } else {
            Outcome::Partial
        },
        entries: deciding,
    }
}

/// Whether a security-group rule that references a group can match the
/// peer address seen at this ENI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefMatch {
    /// AWS documents that it cannot: the path crossed a NAT, the internet,
    /// a middlebox (for inbound rules), an inter-Region peering, or a
    /// transit gateway without referencing support (or any transit gateway,
    /// for outbound rules).
    No,
    /// AWS documents nothing for this path (an outbound rule's reference to
    /// a destination reached through a middlebox): a matching member makes
    /// the rule a *maybe* match.
    Maybe,
    /// A direct path: within a VPC, across an active same-Region peering, or
    /// (inbound only) across a transit gateway with referencing support.
    Yes,
}

/// How an SG group reference may match: only the original private address
/// of an ENI on a direct path (never through a NAT or, for inbound rules, a
/// middlebox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SgContext {
    pub group_refs: RefMatch,
}

/// A security-group decision for one direction of one ENI.
#[derive(Debug, Clone)]
pub struct SgDecision<'a> {
    pub outcome: Outcome,
    /// The rules that admit (part of) the packet.
    pub rules: Vec<&'a SgRule>,
    /// Why rules that would admit the packet may or may not match (a prefix
    /// list without entries, an undocumented group reference): the result
    /// is approximate.
    pub unknown: Vec<String>,
}

/// Evaluates the union of every group on an ENI for one direction. Ingress
/// matches the packet's source, egress its destination.
pub fn security_groups<'a>(
    net: &'a Network,
    index: &NetworkIndex,
    groups: &[String],
    pkt: &Packet,
    dir: Direction,
    ctx: SgContext,
) -> SgDecision<'a> {
    let peer = match dir {
        Direction::Ingress => pkt.src,
        Direction::Egress => pkt.dst,
    };
    let mut covered: Vec<PortRange> = Vec::new();
    let mut whole = false;
    let mut rules = Vec::new();
    let mut unknown = Vec::new();
    for g in groups {
        let Some(sg) = net.security_groups.get(g) else { continue };
        for r in sg.rules(dir) {
            let peer_ok = match peer_matches(net, index, &r.peer, peer, ctx) {
                PeerMatch::Yes => true,
                PeerMatch::No => false,
                PeerMatch::Unknown(why) => {
                    if traffic_match(&r.traffic, pkt, pkt.dport).is_some() && !unknown.contains(&why) {
                        unknown.push(why);
                    }
                    false
                }
            };
            if !peer_ok {
                continue;
            }
            match traffic_match(&r.traffic, pkt, pkt.dport) {
                Some(Some(part)) => {
                    rules.push(r);
                    covered.push(part);
                    if part == pkt.dport {
                        whole = true;
                    }
                }
                Some(None) => {
                    rules.push(r);
                    whole = true;
                }
                None => {}
            }
        }
    }
    let outcome = if whole || covers(&covered, pkt.dport) {
        Outcome::Allow
    } else if covered.is_empty() {
        Outcome::Deny
    } else {
        Outcome::Partial
    };
    SgDecision { outcome, rules, unknown }
}

/// Whether some `dir` rule of `groups` references a group that `ip` belongs
/// to: only then can the reference context change a decision.
pub fn references_member(net: &Network, index: &NetworkIndex, groups: &[String], dir: Direction, ip: Ipv4Addr) -> bool {
    groups.iter().filter_map(|g| net.security_groups.get(g)).flat_map(|sg| sg.rules(dir)).any(|r| {
        matches!(&r.peer, SgPeer::Group { group_id, .. }
            if index.sg_members.get(group_id).is_some_and(|m| m.binary_search(&ip).is_ok()))
    })
}

fn covers(parts: &[PortRange], span: PortRange) -> bool {
    let mut rest = vec![span];
    for p in parts {
        rest = subtract(&rest, *p);
        if rest.is_empty() {
            return true;
        }
    }
    rest.is_empty()
}

pub(crate) enum PeerMatch {
    Yes,
    No,
    /// The match depends on something the model does not know; the text says what.
    Unknown(String),
}

pub(crate) fn peer_matches(
    net: &Network,
    index: &NetworkIndex,
    peer: &SgPeer,
    ip: Ipv4Addr,
    ctx: SgContext,
) -> PeerMatch {
    match peer {
        SgPeer::Cidr(c) => {
            if c.contains(&ip) {
                PeerMatch::Yes
            } else {
                PeerMatch::No
            }
        }
        SgPeer::Ipv6(_) => PeerMatch::No,
        SgPeer::Group { group_id, .. } => {
            let member = index.sg_members.get(group_id).is_some_and(|m| m.binary_search(&ip).is_ok());
            match ctx.group_refs {
                RefMatch::Yes if member => PeerMatch::Yes,
                RefMatch::Maybe if member => PeerMatch::Unknown(format!(
                    "the outbound reference to {group_id} (member {ip}), which AWS does not document for paths \
                     through a middlebox"
                )),
                _ => PeerMatch::No,
            }
        }
        SgPeer::PrefixList(pl) => match net.prefix_lists.get(pl).and_then(|p| p.entries.as_ref()) {
            Some(entries) => {
                if entries.iter().any(|(c, _)| c.contains(&ip)) {
                    PeerMatch::Yes
                } else {
                    PeerMatch::No
                }
            }
            None => PeerMatch::Unknown(format!("prefix list {pl}, which has no entries in the snapshot")),
        },
    }
}

/// Short provenance of a security group rule, for hops.
pub fn sg_rule_label(r: &SgRule) -> &Provenance {
    &r.prov
}

/// The groups as one label (`sg-a+sg-b`).
pub fn groups_label(groups: &[String]) -> String {
    if groups.is_empty() {
        "(no security groups)".into()
    } else {
        groups.join("+")
    }
}

/// A security group by id, for messages.
pub fn group<'a>(net: &'a Network, id: &str) -> Option<&'a SecurityGroup> {
    net.security_groups.get(id)
}
