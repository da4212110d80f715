//! Concrete packets. Ports are spans: a single port normally, but a whole
//! range after a translation whose port choice we cannot know (a NAT gateway
//! or the VPC CNI's randomised SNAT picks any source port in 1024-65535).

use std::fmt;
use std::net::Ipv4Addr;

use netprove_models::model::net::{icmp_reply_type, proto_name, PROTO_ICMP, PROTO_SCTP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::PortRange;

/// Ephemeral source ports a NAT gateway or randomised SNAT may choose.
pub const NAT_PORTS: PortRange = PortRange { lo: 1024, hi: 65535 };

/// Where a packet's port comes from, for the symbolic engine: the client's
/// source port, the requested destination port, or a translator's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PortSym {
    #[default]
    Sport,
    Dport,
    /// Chosen by a NAT gateway or the CNI's SNAT: any of 1024-65535.
    Nat,
}

/// Whether the packet is the request or the reply (for ICMP reply types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Leg {
    #[default]
    Request,
    Reply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Packet {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub sport: PortRange,
    pub dport: PortRange,
    /// ICMP type and code (ignored for other protocols).
    pub icmp: (u8, u8),
    /// Symbolic origin of `sport` and `dport`.
    pub sport_sym: PortSym,
    pub dport_sym: PortSym,
    pub leg: Leg,
}

impl Packet {
    /// TCP, UDP and SCTP carry ports (AWS filters match ports of TCP and UDP only).
    pub fn has_ports(&self) -> bool {
        matches!(self.proto, PROTO_TCP | PROTO_UDP | PROTO_SCTP)
    }

    /// Whether this request gets a reply: always, except ICMP messages that
    /// are not queries (an unreachable or a time-exceeded is delivered and
    /// that is all).
    pub fn expects_reply(&self) -> bool {
        self.proto != PROTO_ICMP || icmp_reply_type(self.icmp.0).is_some()
    }

    /// The reply: addresses and ports swapped; an ICMP query becomes its reply
    /// (echo 8 → 0, timestamp 13 → 14, information 15 → 16, mask 17 → 18).
    pub fn reply(&self) -> Packet {
        let icmp = match (self.proto, icmp_reply_type(self.icmp.0)) {
            (PROTO_ICMP, Some(t)) => (t, self.icmp.1),
            _ => self.icmp,
        };
        Packet {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            sport: self.dport,
            dport: self.sport,
            icmp,
            sport_sym: self.dport_sym,
            dport_sym: self.sport_sym,
            leg: match self.leg {
                Leg::Request => Leg::Reply,
                Leg::Reply => Leg::Request,
            },
        }
    }
}

impl fmt::Display for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = |p: PortRange| if p.lo == p.hi { p.lo.to_string() } else { format!("{}-{}", p.lo, p.hi) };
        if self.has_ports() {
            write!(
                f,
                "{} {}:{} -> {}:{}",
                proto_name(self.proto),
                self.src,
                span(self.sport),
                self.dst,
                span(self.dport)
            )
        } else if self.proto == PROTO_ICMP {
            write!(f, "icmp {} -> {} type {} code {}", self.src, self.dst, self.icmp.0, self.icmp.1)
        } else {
            write!(f, "{} {} -> {}", proto_name(self.proto), self.src, self.dst)
        }
    }
}
