//! AWS Network Firewall on one concrete connection: the executable reference
//! semantics the symbolic encoding is cross-checked against.
//!
//! A [`Connection`] is a request flow plus its reply. [`evaluate`] (or
//! [`PreparedFirewall::evaluate`], which reuses the compiled policy across
//! connections) answers `Pass`, `Drop` or `Unknown`, with the decisive rules
//! as [`NfwStep`]s and every approximation consulted.
//!
//! # Semantics
//!
//! Sources: `/work/shared/reference/aws-semantics.md` §1 (the AWS Network
//! Firewall developer guide and the botocore model). Where AWS is silent the
//! conservative reading is taken and documented at the item that makes it.
//!
//! **Packets.** A TCP connection is modelled as the packet sequence
//! (1) SYN client→server, (2) SYN-ACK, (3) the client's first packet after
//! the handshake, which carries the TLS ClientHello or HTTP request, and
//! (4) server data. The bare ACK that completes the handshake is merged into
//! (3). Teardown (FIN/RST) is not modelled: a connection that exchanged data
//! is reachable. UDP and other IP protocols are (1) request and (2) reply;
//! ICMP is the same for query types (echo, timestamp, information, address
//! mask) and a lone request otherwise. See [`PacketRole`].
//!
//! **Stateless engine** ([`stateless`]): every packet of both directions, TCP
//! with the flags in [`TCP_REQUEST_FLAGS`] / [`TCP_REPLY_FLAGS`]. Any dropped
//! direction drops the connection; both passed passes it without stateful
//! inspection; both forwarded reaches the stateful engine; anything mixed is
//! `Unknown` (the flow state Suricata keeps is then unreliable).
//!
//! **Stateful engine** (module `engine`, rules compiled in `rules`): the packet
//! sequence under the policy's rule order, three-valued. A rule whose match
//! depends on something the snapshot or the query does not say (an
//! uninterpreted keyword, an unknown SNI, an unresolved prefix list) is a
//! *maybe* match; both outcomes are explored, and when the application
//! protocol is unknown every plausible protocol is. One verdict across all
//! branches is the answer; otherwise `Unknown` with the deciding reason.
//!
//! # Readings where AWS is silent
//!
//! Each is the conservative choice; the symbolic encoding must make the same.
//! - `pass` passes the whole flow under both rule orders (Suricata stops
//!   inspecting a passed flow); `reject` is a drop; `alert` rules and
//!   `aws:alert_*` defaults are ignored (they never change forwarding).
//! - Action order: a packet no rule matches passes; the `priority` keyword
//!   orders rules within an action (unset last), which only changes which
//!   rule is reported.
//! - `aws:drop_established` drops unmatched TCP packets (3) and (4). AWS says
//!   client→server only; (4) follows (3), so the verdict is the same.
//! - IP-only rule: L3/L4 protocol, no `flow`, no content, `ssl_state` or
//!   uninterpreted keyword, and no negation in the destination.
//! - A rule with non-`any` ports never matches a packet without ports (ICMP).
//! - `tls.sni`, `http.host` and `ssl_state:client_hello` exist only on the
//!   client's request packet of a TLS/HTTP flow; content on an absent buffer
//!   never matches, negated or not. `http.host` is lowercased and loses its
//!   port; domain-list HTTP targets are lowercased to match.
//! - An `http` rule also matches HTTP/2 (Suricata's protocol equivalence).
//! - `DROP_TO_ALERT` turns the group's `drop` and `reject` into `alert`.
//! - Unknown actions, groups missing from the snapshot and unknown default
//!   actions make any verdict that reaches them `Unknown`; unresolved
//!   variables and `@` references make the address match *maybe*.
//! - TLS inspection is not modelled: on a TLS flow, HTTP rules match *maybe*.

mod engine;
mod rules;
pub mod stateless;

#[cfg(test)]
mod tests;

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use netprove_models::model::net::{PROTO_ICMP, PROTO_TCP};
use netprove_models::model::nfw::{tcp_flag, Firewall, FirewallPolicy};
use netprove_models::model::Network;

pub use stateless::{StatelessDirection, StatelessHit};

/// What the connection carries above TCP, as far as the query says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppLayer {
    /// Not given: every plausible application protocol is explored.
    Unknown,
    /// A TLS connection. `sni: None` is a ClientHello *without* the server
    /// name extension (the `tls.sni` buffer is absent and no SNI content
    /// matches), not an unknown name.
    Tls { sni: Option<String> },
    /// An HTTP/1 connection. `host: None` is a request without a `Host`
    /// header.
    Http { host: Option<String> },
}

/// One connection through the firewall: the client's request flow and the
/// server's reply.
#[derive(Debug, Clone)]
pub struct Connection {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    /// ICMP type and code of the request; `None` means echo request.
    pub icmp: Option<(u8, u8)>,
    pub app: AppLayer,
}

impl Connection {
    pub fn tcp(src: Ipv4Addr, dst: Ipv4Addr, sport: u16, dport: u16) -> Self {
        Self { src, dst, proto: PROTO_TCP, sport, dport, icmp: None, app: AppLayer::Unknown }
    }

    pub fn udp(src: Ipv4Addr, dst: Ipv4Addr, sport: u16, dport: u16) -> Self {
        Self { proto: netprove_models::model::net::PROTO_UDP, ..Self::tcp(src, dst, sport, dport) }
    }

    /// An ICMP echo request (ping).
    pub fn icmp_echo(src: Ipv4Addr, dst: Ipv4Addr) -> Self {
        Self { proto: PROTO_ICMP, icmp: Some((8, 0)), ..Self::tcp(src, dst, 0, 0) }
    }

    pub fn with_app(mut self, app: AppLayer) -> Self {
        self.app = app;
        self
    }

    /// Whether a reply packet exists: always, except for ICMP messages that
    /// are not queries (an unreachable or a time-exceeded has no answer).
    pub fn has_reply(&self) -> bool {
        if self.proto != PROTO_ICMP {
            return true;
        }
        self.icmp.is_none_or(|(t, _)| netprove_models::model::net::icmp_reply_type(t).is_some())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NfwVerdict {
    Pass,
    Drop,
    Unknown,
}

/// One rule (or default action) that mattered, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NfwStep {
    /// `stateless`, `stateless-reply`, `stateful` or `default`.
    pub stage: &'static str,
    /// Provenance short form, e.g. `rulegroup/east-west/sid:1001`, or
    /// `policy default aws:drop_established`.
    pub rule: String,
    /// `file:line` of the rule, where known.
    pub location: Option<String>,
    /// `pass`, `drop`, `reject`, `aws:forward_to_sfe`, `aws:drop_established`, …
    pub action: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NfwDecision {
    pub verdict: NfwVerdict,
    /// The decisive rules in evaluation order. For `Unknown`, one possible
    /// path per outcome.
    pub steps: Vec<NfwStep>,
    /// Why the connection is dropped or unknown; `None` when it passes.
    pub reason: Option<String>,
    /// Every approximation consulted, sorted and de-duplicated.
    pub approximations: Vec<String>,
}

/// TCP flags of the client's packets: the SYN, then ACKs with and without data.
pub const TCP_REQUEST_FLAGS: [u8; 3] = [tcp_flag::SYN, tcp_flag::ACK, tcp_flag::PSH | tcp_flag::ACK];
/// TCP flags of the server's packets: the SYN-ACK, then ACKs with and without data.
pub const TCP_REPLY_FLAGS: [u8; 3] = [tcp_flag::SYN | tcp_flag::ACK, tcp_flag::ACK, tcp_flag::PSH | tcp_flag::ACK];

/// The role of one packet in the stateful engine's view of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketRole {
    /// `SYN`, `SYN-ACK`, `client data`, `server data`, `request`, `reply`.
    pub name: &'static str,
    /// Client → server (Suricata `to_server`).
    pub to_server: bool,
    /// Suricata `established`: TCP after the handshake, other protocols once
    /// both sides have sent ("established only after seeing traffic from
    /// both sides").
    pub established: bool,
    /// The first packet of its direction: IP-only rules see only these.
    pub first_in_direction: bool,
    /// Carries application payload, so application-layer detection has run
    /// (when there is an application protocol at all).
    pub app_payload: bool,
    /// The packet that carries the TLS ClientHello / HTTP request: the only
    /// one where `tls.sni`, `http.host` and `ssl_state:client_hello` apply.
    pub client_request: bool,
}

const TCP_ROLES: [PacketRole; 4] = [
    PacketRole {
        name: "SYN",
        to_server: true,
        established: false,
        first_in_direction: true,
        app_payload: false,
        client_request: false,
    },
    PacketRole {
        name: "SYN-ACK",
        to_server: false,
        established: false,
        first_in_direction: true,
        app_payload: false,
        client_request: false,
    },
    PacketRole {
        name: "client data",
        to_server: true,
        established: true,
        first_in_direction: false,
        app_payload: true,
        client_request: true,
    },
    PacketRole {
        name: "server data",
        to_server: false,
        established: true,
        first_in_direction: false,
        app_payload: true,
        client_request: false,
    },
];

const DATAGRAM_ROLES: [PacketRole; 2] = [
    PacketRole {
        name: "request",
        to_server: true,
        established: false,
        first_in_direction: true,
        app_payload: true,
        client_request: true,
    },
    PacketRole {
        name: "reply",
        to_server: false,
        established: true,
        first_in_direction: true,
        app_payload: true,
        client_request: false,
    },
];

/// The stateful engine's packet sequence for a connection.
pub fn packet_roles(conn: &Connection) -> &'static [PacketRole] {
    if conn.proto == PROTO_TCP {
        &TCP_ROLES
    } else if conn.has_reply() {
        &DATAGRAM_ROLES
    } else {
        &DATAGRAM_ROLES[..1]
    }
}

/// A firewall with its policy compiled once, to evaluate many connections.
/// The protocol numbers and port boundaries a firewall's rules use: within
/// one cell of the induced partition every packet is treated alike, which
/// is what lets the symbolic engine encode the firewall exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cuts {
    pub protos: std::collections::BTreeSet<u8>,
    /// Ports `p` where a range starts (`lo`) or ends (`hi + 1`).
    pub ports: std::collections::BTreeSet<u32>,
}

impl Cuts {
    pub fn add_port_range(&mut self, r: netprove_models::model::PortRange) {
        self.ports.insert(u32::from(r.lo));
        self.ports.insert(u32::from(r.hi) + 1);
    }

    /// The port cells: maximal ranges within which no boundary falls.
    pub fn port_cells(&self) -> Vec<(u16, u16)> {
        let mut bounds: Vec<u32> = self.ports.iter().copied().filter(|p| *p > 0 && *p <= 65535).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut cells = Vec::with_capacity(bounds.len() + 1);
        let mut lo = 0u32;
        for b in bounds {
            cells.push((lo as u16, (b - 1) as u16));
            lo = b;
        }
        cells.push((lo as u16, 65535));
        cells
    }
}

pub struct PreparedFirewall<'a> {
    fw: &'a Firewall,
    policy: Option<&'a FirewallPolicy>,
    stateless: stateless::StatelessEngine<'a>,
    stateful: rules::StatefulPolicy<'a>,
}

impl<'a> PreparedFirewall<'a> {
    /// `home_net_default`: the firewall VPC's CIDRs, the policy's `HOME_NET`
    /// unless the policy or a rule group overrides it. `@REF` IP set
    /// references resolve through `net.prefix_lists`.
    pub fn new(net: &'a Network, fw: &'a Firewall, home_net_default: &[Ipv4Net]) -> Self {
        let policy = net.firewall_policies.get(&fw.policy_arn);
        let stateless = stateless::StatelessEngine::new(net, policy);
        let stateful = rules::StatefulPolicy::compile(net, policy, home_net_default);
        Self { fw, policy, stateless, stateful }
    }

    /// Protocol and port boundaries of every rule of the policy.
    pub fn cuts(&self) -> Cuts {
        let mut c = Cuts::default();
        self.stateless.cuts(&mut c);
        self.stateful.cuts(&mut c);
        c
    }

    pub fn firewall(&self) -> &'a Firewall {
        self.fw
    }

    pub fn evaluate(&self, conn: &Connection) -> NfwDecision {
        let Some(policy) = self.policy else {
            return NfwDecision {
                verdict: NfwVerdict::Unknown,
                steps: Vec::new(),
                reason: Some(format!(
                    "firewall `{}` uses policy `{}`, which is not in the snapshot",
                    self.fw.name, self.fw.policy_arn
                )),
                approximations: vec![format!("firewall policy `{}` is missing", self.fw.policy_arn)],
            };
        };
        let sl = self.stateless.evaluate(conn);
        let mut steps = sl.steps(policy);
        match sl.outcome() {
            stateless::Outcome::Drop(reason) => {
                NfwDecision { verdict: NfwVerdict::Drop, steps, reason: Some(reason), approximations: Vec::new() }
            }
            stateless::Outcome::Pass => {
                NfwDecision { verdict: NfwVerdict::Pass, steps, reason: None, approximations: Vec::new() }
            }
            stateless::Outcome::Unknown(reason) => NfwDecision {
                verdict: NfwVerdict::Unknown,
                steps,
                reason: Some(reason.clone()),
                approximations: vec![reason],
            },
            stateless::Outcome::Stateful => {
                let d = engine::run(&self.stateful, conn);
                steps.extend(d.steps);
                NfwDecision { verdict: d.verdict, steps, reason: d.reason, approximations: d.approximations }
            }
        }
    }
}

/// What `fw` does to `conn`. Compiles the policy on every call; use
/// [`PreparedFirewall`] to evaluate many connections.
pub fn evaluate(net: &Network, fw: &Firewall, conn: &Connection, home_net_default: &[Ipv4Net]) -> NfwDecision {
    PreparedFirewall::new(net, fw, home_net_default).evaluate(conn)
}
