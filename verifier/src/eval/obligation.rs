//! What a recorded walk must satisfy: every filter met on a fixed path, with
//! the addresses fixed and the ports/protocol left symbolic. The symbolic
//! engine (`check::encode`) turns each into constraints over the header.

use std::net::Ipv4Addr;

use netprove_models::model::Direction;

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
    /// The security groups of an ENI, one direction (requests only).
    Sg { eni: String, dir: Direction, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym, sg_refs: bool },
    /// A pod's NetworkPolicies, one direction. Ports are the request's destination port.
    Np { cluster: String, pod: String, dir: NpDirection, peer: PeerRef, peer_ip: Ipv4Addr, dst_pod: Option<String> },
    /// A Network Firewall on the connection as it sees the request.
    Nfw { fw_arn: String, src: Ipv4Addr, dst: Ipv4Addr, sport: PortSym, dport: PortSym },
    /// A hop that carries only some IP protocols (a NAT gateway: TCP, UDP,
    /// ICMP); any other protocol is dropped at `node`.
    Protocols { node: String, allowed: Vec<u8>, reason: String },
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
}
