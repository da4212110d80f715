//! Stateless rules and the stateless action set.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::net::{PROTO_TCP, PROTO_UDP};
use crate::model::{PortRange, Provenance};

/// The standard action of a stateless rule or default-action list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatelessAction {
    /// `aws:pass`: permit without further inspection.
    Pass,
    /// `aws:drop`.
    Drop,
    /// `aws:forward_to_sfe`: hand over to the stateful engine.
    ForwardToSfe,
}

impl StatelessAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "aws:pass" => Some(StatelessAction::Pass),
            "aws:drop" => Some(StatelessAction::Drop),
            "aws:forward_to_sfe" => Some(StatelessAction::ForwardToSfe),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatelessAction::Pass => "aws:pass",
            StatelessAction::Drop => "aws:drop",
            StatelessAction::ForwardToSfe => "aws:forward_to_sfe",
        }
    }
}

/// An action list: exactly one standard action plus custom (metric) actions,
/// which do not affect forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatelessActions {
    pub standard: StatelessAction,
    pub custom: Vec<String>,
}

impl StatelessActions {
    /// Splits an `Actions` list; errors unless exactly one standard action is present.
    pub fn parse(actions: &[String]) -> Result<Self, String> {
        let mut standard = Vec::new();
        let mut custom = Vec::new();
        for a in actions {
            match StatelessAction::parse(a) {
                Some(s) => standard.push(s),
                None => custom.push(a.clone()),
            }
        }
        match standard.as_slice() {
            [one] => Ok(StatelessActions { standard: *one, custom }),
            [] => Err(format!(
                "no standard action (`aws:pass`, `aws:drop` or `aws:forward_to_sfe`) among [{}]",
                actions.join(", ")
            )),
            _ => Err(format!("more than one standard action among [{}]", actions.join(", "))),
        }
    }
}

/// TCP flag bits as in the TCP header.
pub mod tcp_flag {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;

    /// `FIN|SYN|RST|PSH|ACK|URG|ECE|CWR` → bit.
    pub fn parse(s: &str) -> Option<u8> {
        Some(match s {
            "FIN" => FIN,
            "SYN" => SYN,
            "RST" => RST,
            "PSH" => PSH,
            "ACK" => ACK,
            "URG" => URG,
            "ECE" => ECE,
            "CWR" => CWR,
            _ => return None,
        })
    }
}

/// One `TCPFlags` entry: a packet matches when, for every flag in `masks` (all
/// eight if `masks` is 0), the flag is set iff it is in `flags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TcpFlagMatch {
    pub flags: u8,
    pub masks: u8,
}

impl TcpFlagMatch {
    /// The effective mask (`masks`, or all flags when empty).
    pub fn effective_mask(&self) -> u8 {
        if self.masks == 0 {
            0xff
        } else {
            self.masks
        }
    }

    pub fn matches(&self, packet_flags: u8) -> bool {
        let m = self.effective_mask();
        packet_flags & m == self.flags & m
    }
}

/// One stateless rule. Every attribute list is a disjunction, an empty list
/// means any, and the rule matches when all attributes match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatelessRule {
    pub priority: u32,
    pub actions: StatelessActions,
    pub sources: Vec<Ipv4Net>,
    pub destinations: Vec<Ipv4Net>,
    /// IPv6 `Sources`/`Destinations` entries, kept as text. When a list held
    /// only IPv6 entries, the IPv4 list is empty but matches nothing: see
    /// [`StatelessRule::source_is_any`].
    pub ipv6_sources: Vec<String>,
    pub ipv6_destinations: Vec<String>,
    /// Only meaningful for TCP and UDP.
    pub source_ports: Vec<PortRange>,
    pub destination_ports: Vec<PortRange>,
    pub protocols: Vec<u8>,
    /// Only meaningful for TCP.
    pub tcp_flags: Vec<TcpFlagMatch>,
    pub prov: Provenance,
}

/// A concrete IPv4 packet, for [`StatelessRule::matches`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatelessPacket {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub protocol: u8,
    pub src_port: u16,
    pub dst_port: u16,
    pub tcp_flags: u8,
}

impl StatelessRule {
    pub fn action(&self) -> StatelessAction {
        self.actions.standard
    }

    /// True when `Sources` was omitted (not when it listed only IPv6 prefixes).
    pub fn source_is_any(&self) -> bool {
        self.sources.is_empty() && self.ipv6_sources.is_empty()
    }

    pub fn destination_is_any(&self) -> bool {
        self.destinations.is_empty() && self.ipv6_destinations.is_empty()
    }

    /// Concrete match, the executable reading of `MatchAttributes`. Ports are
    /// checked only for TCP and UDP packets, TCP flags only for TCP packets.
    pub fn matches(&self, p: &StatelessPacket) -> bool {
        let addr_ok = |any: bool, nets: &[Ipv4Net], ip: Ipv4Addr| any || nets.iter().any(|n| n.contains(&ip));
        let port_ok = |ranges: &[PortRange], port: u16| ranges.is_empty() || ranges.iter().any(|r| r.contains(port));
        let l4 = p.protocol == PROTO_TCP || p.protocol == PROTO_UDP;
        addr_ok(self.source_is_any(), &self.sources, p.src)
            && addr_ok(self.destination_is_any(), &self.destinations, p.dst)
            && (self.protocols.is_empty() || self.protocols.contains(&p.protocol))
            && (!l4 || (port_ok(&self.source_ports, p.src_port) && port_ok(&self.destination_ports, p.dst_port)))
            && (p.protocol != PROTO_TCP
                || self.tcp_flags.is_empty()
                || self.tcp_flags.iter().any(|f| f.matches(p.tcp_flags)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn actions_need_exactly_one_standard() {
        let a = StatelessActions::parse(&["aws:drop".into(), "metric".into()]);
        assert_eq!(a, Ok(StatelessActions { standard: StatelessAction::Drop, custom: vec!["metric".into()] }));
        assert!(StatelessActions::parse(&["metric".into()]).is_err());
        assert!(StatelessActions::parse(&["aws:drop".into(), "aws:pass".into()]).is_err());
    }

    #[test]
    fn tcp_flags_and_matching() {
        let syn_only = TcpFlagMatch { flags: tcp_flag::SYN, masks: tcp_flag::SYN | tcp_flag::ACK };
        assert!(syn_only.matches(tcp_flag::SYN | tcp_flag::PSH));
        assert!(!syn_only.matches(tcp_flag::SYN | tcp_flag::ACK));
        let rule = StatelessRule {
            priority: 1,
            actions: StatelessActions { standard: StatelessAction::Drop, custom: vec![] },
            sources: vec![],
            destinations: vec!["10.0.0.0/8".parse().unwrap_or_default()],
            ipv6_sources: vec![],
            ipv6_destinations: vec![],
            source_ports: vec![],
            destination_ports: vec![PortRange::single(443)],
            protocols: vec![],
            tcp_flags: vec![syn_only],
            prov: Provenance::new(Arc::from("f"), None, "r"),
        };
        let p = StatelessPacket {
            src: Ipv4Addr::new(1, 2, 3, 4),
            dst: Ipv4Addr::new(10, 1, 1, 1),
            protocol: 6,
            src_port: 5000,
            dst_port: 443,
            tcp_flags: tcp_flag::SYN,
        };
        assert!(rule.matches(&p));
        assert!(!rule.matches(&StatelessPacket { dst_port: 80, ..p }));
        assert!(!rule.matches(&StatelessPacket { tcp_flags: tcp_flag::ACK, ..p }));
        // Ports and flags do not apply to ICMP.
        assert!(rule.matches(&StatelessPacket { protocol: 1, dst_port: 0, tcp_flags: 0, ..p }));
        let v6_only = StatelessRule { ipv6_sources: vec!["::/0".into()], ..rule };
        assert!(!v6_only.matches(&p));
    }
}
