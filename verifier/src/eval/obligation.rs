//! What a recorded walk must satisfy: every filter met on a fixed path, with
//! the addresses fixed and the ports/protocol left symbolic. The symbolic
//! engine (`check::encode`) turns each into constraints over the header.

use std::net::Ipv4Addr;

use netprove_models::model::Direction;

use super::filters::RefMatch;
use super::netpol::NpDirection;
use super::packet::{Leg, PortSym};

/// The peer of a NetworkPolicy decision, by reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerRef {
    /// A pod of the same cluster (`namespace/name`).
    Pod(String),
    Ip(Ipv4Addr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obligation {
    /// One direction of a NACL, at a subnet boundary.
    Nacl { acl: String, egress: bool, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym, leg: Leg },
    /// The security groups of an ENI, one direction (requests only); `sg_refs`
    /// says whether group references can match on this path.
    Sg { eni: String, dir: Direction, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym, sg_refs: RefMatch },
    /// A pod's NetworkPolicies, one direction. Ports are the request's destination port.
    Np { cluster: String, pod: String, dir: NpDirection, peer: PeerRef, peer_ip: Ipv4Addr, dst_pod: Option<String> },
    /// A device on the path that forwards only these IP protocols (a NAT
    /// gateway: TCP, UDP and ICMP).
    Protocols { node: String, allowed: Vec<u8> },
    /// A Network Firewall on the connection as it sees the request.
    Nfw { fw_arn: String, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym },
    /// Something that makes every header's outcome uncertain on this path.
    Doubt(String),
}

/// How a recorded path ends, independent of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathFate {
    /// Request delivered and reply returned, subject to the obligations.
    Reached,
    Dropped {
        reason: String,
        blocker: String,
    },
    Unknown(String),
}

/// One path of a connection (one combination of the data plane's hidden choices).
#[derive(Debug, Clone)]
pub struct RecordedPath {
    pub fate: PathFate,
    pub obligations: Vec<Obligation>,
    /// Every node the request and reply pass (for waypoints).
    pub nodes: Vec<String>,
    /// Set when the request got through: `obligations[..n]` are the
    /// request's, the rest (and `fate`, when not `Reached`) the reply's. A
    /// request that expects no reply (an ICMP message that is not a query)
    /// is judged on the request alone.
    pub reply_from: Option<usize>,
}
