//! Header-space primitives shared by every filter: protocols, port ranges, ICMP
//! type/code matches and CIDR helpers. IPv4 only; IPv6 entries are kept as text
//! by the concepts that carry them and reported as unsupported.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

pub const PROTO_ICMP: u8 = 1;
pub const PROTO_TCP: u8 = 6;
pub const PROTO_UDP: u8 = 17;
pub const PROTO_ICMPV6: u8 = 58;
pub const PROTO_SCTP: u8 = 132;

/// ICMP query types, the only ICMP messages that get a reply: echo (8),
/// timestamp (13), information (15) and address mask (17) requests.
pub const ICMP_QUERY_TYPES: [u8; 4] = [8, 13, 15, 17];

/// The reply to an ICMP query (echo 8 → 0, timestamp 13 → 14, information
/// 15 → 16, address mask 17 → 18); `None` for messages that get no reply
/// (unreachable, time exceeded, …).
pub fn icmp_reply_type(request: u8) -> Option<u8> {
    match request {
        8 => Some(0),
        13 | 15 | 17 => Some(request + 1),
        _ => None,
    }
}

/// An inclusive port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { lo: 0, hi: 65535 };

    pub fn new(lo: u16, hi: u16) -> Self {
        Self { lo, hi }
    }

    pub fn single(p: u16) -> Self {
        Self { lo: p, hi: p }
    }

    pub fn contains(&self, p: u16) -> bool {
        self.lo <= p && p <= self.hi
    }

    pub fn is_all(&self) -> bool {
        self.lo == 0 && self.hi == 65535
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            write!(f, "all")
        } else if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}-{}", self.lo, self.hi)
        }
    }
}

/// ICMP type/code match; `None` means any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct IcmpMatch {
    pub icmp_type: Option<u8>,
    pub code: Option<u8>,
}

impl IcmpMatch {
    pub const ANY: IcmpMatch = IcmpMatch { icmp_type: None, code: None };

    pub fn matches(&self, icmp_type: u8, code: u8) -> bool {
        self.icmp_type.is_none_or(|t| t == icmp_type) && self.code.is_none_or(|c| c == code)
    }
}

/// Which packets (by protocol and layer-4 fields) a rule admits. This is the
/// common shape of security group permissions and NACL entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum Traffic {
    /// Every protocol and port (`-1`).
    All,
    Tcp {
        ports: PortRange,
    },
    Udp {
        ports: PortRange,
    },
    Icmp {
        icmp: IcmpMatch,
    },
    /// Any other IP protocol number; ports do not apply.
    Proto {
        number: u8,
    },
}

impl Traffic {
    /// Does a packet with this protocol, destination port and ICMP type/code match?
    /// For ICMP, `dport` is ignored and `icmp` gives `(type, code)`.
    pub fn matches(&self, proto: u8, dport: u16, icmp: (u8, u8)) -> bool {
        match *self {
            Traffic::All => true,
            Traffic::Tcp { ports } => proto == PROTO_TCP && ports.contains(dport),
            Traffic::Udp { ports } => proto == PROTO_UDP && ports.contains(dport),
            Traffic::Icmp { icmp: m } => proto == PROTO_ICMP && m.matches(icmp.0, icmp.1),
            Traffic::Proto { number } => proto == number,
        }
    }
}

impl fmt::Display for Traffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Traffic::All => write!(f, "all traffic"),
            Traffic::Tcp { ports } => write!(f, "tcp/{ports}"),
            Traffic::Udp { ports } => write!(f, "udp/{ports}"),
            Traffic::Icmp { icmp } => match (icmp.icmp_type, icmp.code) {
                (None, _) => write!(f, "icmp/all"),
                (Some(t), None) => write!(f, "icmp type {t}"),
                (Some(t), Some(c)) => write!(f, "icmp type {t} code {c}"),
            },
            Traffic::Proto { number } => write!(f, "protocol {number}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        })
    }
}

/// An inclusive range of IPv4 addresses as integers: the form the encoder uses.
pub fn cidr_bounds(net: &Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

pub fn cidr_contains(net: &Ipv4Net, ip: Ipv4Addr) -> bool {
    net.contains(&ip)
}

/// Parses `a.b.c.d/n`, canonicalising host bits away as AWS does
/// (`100.68.0.18/18` is `100.68.0.0/18`).
pub fn parse_cidr(s: &str) -> Option<Ipv4Net> {
    s.trim().parse::<Ipv4Net>().ok().map(|n| n.trunc())
}

/// True for strings that look like IPv6 addresses or prefixes.
pub fn looks_ipv6(s: &str) -> bool {
    s.contains(':')
}

/// Parses an IP protocol as AWS writes it: a name (`tcp`, `udp`, `icmp`,
/// `icmpv6`, `all`), `-1`, or a number. Returns `None` for "all".
pub fn parse_protocol(s: &str) -> Result<Option<u8>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => Ok(None),
        "tcp" => Ok(Some(PROTO_TCP)),
        "udp" => Ok(Some(PROTO_UDP)),
        "icmp" => Ok(Some(PROTO_ICMP)),
        "icmpv6" => Ok(Some(PROTO_ICMPV6)),
        "sctp" => Ok(Some(PROTO_SCTP)),
        other => other.parse::<u8>().map(Some).map_err(|_| format!("`{s}` is not a protocol name or number")),
    }
}

pub fn proto_name(p: u8) -> String {
    match p {
        PROTO_TCP => "tcp".into(),
        PROTO_UDP => "udp".into(),
        PROTO_ICMP => "icmp".into(),
        PROTO_ICMPV6 => "icmpv6".into(),
        PROTO_SCTP => "sctp".into(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_is_canonicalised() {
        assert_eq!(parse_cidr("100.68.0.18/18").map(|n| n.to_string()).as_deref(), Some("100.68.0.0/18"));
        assert!(parse_cidr("10.0.0.0/33").is_none());
    }

    #[test]
    fn traffic_matching() {
        let t = Traffic::Tcp { ports: PortRange::new(80, 90) };
        assert!(t.matches(PROTO_TCP, 85, (0, 0)));
        assert!(!t.matches(PROTO_UDP, 85, (0, 0)));
        assert!(!t.matches(PROTO_TCP, 91, (0, 0)));
        let i = Traffic::Icmp { icmp: IcmpMatch { icmp_type: Some(3), code: Some(4) } };
        assert!(i.matches(PROTO_ICMP, 0, (3, 4)));
        assert!(!i.matches(PROTO_ICMP, 0, (3, 3)));
        assert!(Traffic::All.matches(47, 0, (0, 0)));
        assert!(Traffic::Proto { number: 47 }.matches(47, 1, (0, 0)));
    }

    #[test]
    fn protocols() {
        assert_eq!(parse_protocol("-1"), Ok(None));
        assert_eq!(parse_protocol("TCP"), Ok(Some(6)));
        assert_eq!(parse_protocol("50"), Ok(Some(50)));
        assert!(parse_protocol("bogus").is_err());
    }
}
