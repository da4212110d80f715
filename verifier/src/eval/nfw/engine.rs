//! The stateful engine over a connection's packet sequence, three-valued.
//!
//! Each packet ([`super::packet_roles`]) runs through the rules in
//! evaluation order; the first matching rule decides it: `pass` passes the
//! whole flow (Suricata stops inspecting a passed flow), `drop` and `reject`
//! drop the connection. No match: under action order the packet passes;
//! under strict order the `StatefulDefaultActions` apply. The connection
//! passes iff no packet is dropped.
//!
//! A *maybe* match explores both outcomes (depth first, bounded by
//! [`MAX_LEAVES`]). An unknown application layer is explored as one *world*
//! per plausible protocol, because the protocol is one fact for all rules and
//! packets of a flow; SNI and Host values, uninterpreted keywords and
//! unresolved variables are branched per rule. Independent branching may
//! explore combinations no real flow produces, so it can only turn a verdict
//! into `Unknown`, never into a wrong one.

use std::cell::Cell;
use std::collections::BTreeSet;

use netprove_models::model::net::{PROTO_SCTP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::nfw::{RuleOrder, StatefulDefaultAction};

use super::rules::{Act, AddrM, Buf, CRule, PortM, ProtoM, SslM, StatefulPolicy};
use super::{packet_roles, AppLayer, Connection, NfwStep, NfwVerdict, PacketRole};

/// Leaves explored per connection before giving up with `Unknown`.
pub(super) const MAX_LEAVES: usize = 1 << 14;

/// A detected application protocol no rule names (it still counts as "app
/// layer detected" for the `*_app_layer` default actions).
const OTHER_APP: &str = "another application protocol";

/// Why a match is *maybe*. Rule-specific causes carry the rule's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Why {
    Sni,
    Host,
    InnerHttp,
    Keyword(usize),
    Unresolved(usize),
    Proto(usize),
    SslState(usize),
    Missing(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Maybe(Why),
}

impl Tri {
    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Maybe(w), _) | (_, Tri::Maybe(w)) => Tri::Maybe(w),
            _ => Tri::Yes,
        }
    }

    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Maybe(w), _) | (_, Tri::Maybe(w)) => Tri::Maybe(w),
            _ => Tri::No,
        }
    }

    fn from(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
}

/// A value the flow carries: known, absent, or not given by the query.
#[derive(Debug, Clone, Copy)]
enum Val<'s> {
    Absent,
    Known(&'s str),
    Unknown,
}

/// One possible application layer of the flow.
#[derive(Debug, Clone, Copy)]
struct World<'s> {
    app: Option<&'s str>,
    sni: Val<'s>,
    host: Val<'s>,
}

impl World<'_> {
    fn none() -> Self {
        World { app: None, sni: Val::Absent, host: Val::Absent }
    }

    fn label(&self) -> &str {
        self.app.unwrap_or("no application protocol")
    }
}

/// Suricata's protocol equivalence: an `http` rule also matches HTTP/2.
fn app_equals(rule: &str, flow: &str) -> bool {
    rule == flow || (rule == "http" && matches!(flow, "http1" | "http2")) || (rule == "http1" && flow == "http")
}

/// Whether `app` can run over `proto`. When unsure, say yes: an extra world
/// can only make a verdict `Unknown`.
fn app_fits(app: &str, proto: u8) -> bool {
    match proto {
        PROTO_TCP => !matches!(app, "ntp" | "dhcp" | "tftp" | "quic"),
        PROTO_UDP => {
            !matches!(app, "tls" | "http" | "http1" | "http2" | "ssh" | "smb" | "ftp" | "smtp" | "imap" | "msn")
        }
        _ => false,
    }
}

/// `http.host` as Suricata normalises it: lowercase, without a port.
fn normalise_host(h: &str) -> String {
    let h = h.trim();
    let h = match h.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => h,
    };
    h.to_ascii_lowercase()
}

#[derive(Debug, Clone, Copy)]
enum Mark {
    /// Rule `rule` decided packet `pkt`; `assumed` when the match was *maybe*.
    Rule { rule: usize, pkt: usize, assumed: Option<Why> },
    /// Default action `idx` dropped (or had an unknown effect on) packet `pkt`.
    Default { pkt: usize, idx: usize },
}

const PASS: u8 = 1;
const DROP: u8 = 2;
const UNKNOWN: u8 = 4;

fn bit_index(bit: u8) -> usize {
    match bit {
        PASS => 0,
        DROP => 1,
        _ => 2,
    }
}

struct Ctx<'s> {
    p: &'s StatefulPolicy<'s>,
    conn: &'s Connection,
    roles: &'static [PacketRole],
    world: World<'s>,
    /// Set when a match or default consulted the application layer.
    world_used: &'s Cell<bool>,
}

#[derive(Default)]
struct State {
    leaves: usize,
    aborted: bool,
    consulted: BTreeSet<Why>,
    deciding: Vec<Why>,
    /// Per verdict (pass, drop, unknown): the leaf with fewest assumptions,
    /// with its world's index.
    best: [Option<(u32, usize, Vec<Mark>)>; 3],
    world: usize,
}

impl State {
    fn leaf(&mut self, bit: u8, trail: &[Mark], assumed: u32) -> u8 {
        self.leaves += 1;
        if self.leaves > MAX_LEAVES {
            self.aborted = true;
        }
        let slot = &mut self.best[bit_index(bit)];
        if slot.as_ref().is_none_or(|(a, _, _)| assumed < *a) {
            *slot = Some((assumed, self.world, trail.to_vec()));
        }
        bit
    }
}

/// What the default actions do to an unmatched packet.
enum DefaultOutcome {
    Pass,
    Drop(usize),
    Unknown(usize),
}

impl Ctx<'_> {
    /// The packet's `(src, sport, dst, dport)`.
    fn addressing(&self, role: &PacketRole) -> (std::net::Ipv4Addr, u16, std::net::Ipv4Addr, u16) {
        let c = self.conn;
        if role.to_server {
            (c.src, c.sport, c.dst, c.dport)
        } else {
            (c.dst, c.dport, c.src, c.sport)
        }
    }

    fn has_ports(&self) -> bool {
        matches!(self.conn.proto, PROTO_TCP | PROTO_UDP | PROTO_SCTP)
    }

    fn side(&self, i: usize, a: &AddrM, pm: &PortM, ip: std::net::Ipv4Addr, port: u16) -> Tri {
        let addr = match a {
            AddrM::Any => Tri::Yes,
            AddrM::Set(s) => Tri::from(s.contains(ip)),
            AddrM::Unresolved => Tri::Maybe(Why::Unresolved(i)),
        };
        // Suricata: a packet without ports never matches a rule whose port
        // fields are not `any`.
        let port = match pm {
            PortM::Any => Tri::Yes,
            _ if !self.has_ports() => Tri::No,
            PortM::Set(v) => Tri::from(v.iter().any(|r| r.contains(port))),
            PortM::Unresolved => Tri::Maybe(Why::Unresolved(i)),
        };
        addr.and(port)
    }

    /// Does rule `i` match packet `role` in this world?
    fn matches(&self, i: usize, r: &CRule, role: &PacketRole) -> Tri {
        if r.missing_group.is_some() {
            return Tri::Maybe(Why::Missing(i));
        }
        let mut t = match &r.proto {
            ProtoM::Any => Tri::Yes,
            ProtoM::Num(n) => Tri::from(self.conn.proto == *n),
            ProtoM::App(a) => {
                self.world_used.set(true);
                let detected = role.app_payload && self.world.app.is_some_and(|w| app_equals(a, w));
                if detected {
                    Tri::Yes
                } else if role.app_payload
                    && self.p.tls_inspection.is_some()
                    && self.world.app == Some("tls")
                    && app_equals(a, "http")
                {
                    Tri::Maybe(Why::InnerHttp)
                } else {
                    Tri::No
                }
            }
            ProtoM::Unknown(_) => Tri::Maybe(Why::Proto(i)),
        };
        if t == Tri::No || (r.ip_only && !role.first_in_direction) {
            return Tri::No;
        }
        let f = &r.flow;
        if (f.to_server && !role.to_server)
            || (f.to_client && role.to_server)
            || (f.established && !role.established)
            || (f.not_established && role.established)
        {
            return Tri::No;
        }
        if let Some(ip) = r.ip_proto {
            if (self.conn.proto == ip.protocol) == ip.negated {
                return Tri::No;
            }
        }
        let (src, sport, dst, dport) = self.addressing(role);
        let fwd = self.side(i, &r.src, &r.sport, src, sport).and(self.side(i, &r.dst, &r.dport, dst, dport));
        let addr = if r.bidir {
            fwd.or(self.side(i, &r.src, &r.sport, dst, dport).and(self.side(i, &r.dst, &r.dport, src, sport)))
        } else {
            fwd
        };
        t = t.and(addr);
        if t == Tri::No {
            return Tri::No;
        }
        match &r.ssl {
            SslM::None => {}
            SslM::ClientHello => {
                self.world_used.set(true);
                if !(role.client_request && self.world.app == Some("tls")) {
                    return Tri::No;
                }
            }
            SslM::Other(_) => t = t.and(Tri::Maybe(Why::SslState(i))),
        }
        for c in &r.contents {
            self.world_used.set(true);
            let (val, why, app_ok) = match c.buf {
                Buf::Sni => (self.world.sni, Why::Sni, self.world.app == Some("tls")),
                Buf::Host => {
                    let ok = self.world.app.is_some_and(|w| app_equals("http", w));
                    if !ok && self.p.tls_inspection.is_some() && self.world.app == Some("tls") && role.client_request {
                        t = t.and(Tri::Maybe(Why::InnerHttp));
                        continue;
                    }
                    (self.world.host, Why::Host, ok)
                }
            };
            // The buffers exist only on the client's request; an absent
            // buffer matches no content, negated or not.
            if !(app_ok && role.client_request) {
                return Tri::No;
            }
            let m = match val {
                Val::Absent => Tri::No,
                Val::Known(s) => Tri::from(c.matches(s.as_bytes())),
                Val::Unknown => Tri::Maybe(why),
            };
            t = t.and(m);
            if t == Tri::No {
                return Tri::No;
            }
        }
        if !r.unsupported.is_empty() {
            t = t.and(Tri::Maybe(Why::Keyword(i)));
        }
        t
    }

    /// `StatefulDefaultActions` on an unmatched packet. The drop variants:
    /// - `aws:drop_strict`: every packet;
    /// - `aws:drop_established`: TCP packets after the handshake (the AWS
    ///   text says client→server; the server's data only follows the
    ///   client's, which is dropped first, so the verdict is the same);
    ///   every packet of UDP, ICMP and other connectionless protocols;
    /// - `aws:drop_established_app_layer`: the same, once an application
    ///   protocol has been detected (`_to_server`: client→server only).
    fn default_for(&self, role: &PacketRole) -> DefaultOutcome {
        if self.p.order != RuleOrder::StrictOrder {
            return DefaultOutcome::Pass;
        }
        let established = self.conn.proto != PROTO_TCP || role.established;
        let mut unknown = None;
        for (idx, d) in self.p.defaults.iter().enumerate() {
            let app = || {
                self.world_used.set(true);
                established && role.app_payload && self.world.app.is_some()
            };
            let drops = match d {
                StatefulDefaultAction::DropStrict => true,
                StatefulDefaultAction::DropEstablished => established,
                StatefulDefaultAction::DropEstablishedAppLayer => app(),
                StatefulDefaultAction::DropEstablishedAppLayerToServer => role.to_server && app(),
                StatefulDefaultAction::Other(_) => {
                    unknown.get_or_insert(idx);
                    false
                }
                _ => false,
            };
            if drops {
                return DefaultOutcome::Drop(idx);
            }
        }
        match unknown {
            Some(idx) => DefaultOutcome::Unknown(idx),
            None => DefaultOutcome::Pass,
        }
    }

    /// Explores packet `pi` from rule `ri` on; returns the verdict bits of
    /// every leaf below.
    fn walk(&self, st: &mut State, pi: usize, ri: usize, trail: &mut Vec<Mark>, assumed: u32) -> u8 {
        if st.aborted {
            return UNKNOWN;
        }
        let Some(role) = self.roles.get(pi) else {
            return st.leaf(PASS, trail, assumed);
        };
        let mut i = ri;
        while let Some(r) = self.p.rules.get(i) {
            match self.matches(i, r, role) {
                Tri::No => i += 1,
                Tri::Yes => return self.decide(st, i, pi, None, trail, assumed),
                Tri::Maybe(why) => {
                    st.consulted.insert(why);
                    let a = self.decide(st, i, pi, Some(why), trail, assumed + 1);
                    let b = self.walk(st, pi, i + 1, trail, assumed + 1);
                    if a != b {
                        st.deciding.push(why);
                    }
                    return a | b;
                }
            }
        }
        match self.default_for(role) {
            DefaultOutcome::Pass => self.walk(st, pi + 1, 0, trail, assumed),
            d @ (DefaultOutcome::Drop(idx) | DefaultOutcome::Unknown(idx)) => {
                let bit = if matches!(d, DefaultOutcome::Drop(_)) { DROP } else { UNKNOWN };
                trail.push(Mark::Default { pkt: pi, idx });
                let v = st.leaf(bit, trail, assumed);
                trail.pop();
                v
            }
        }
    }

    fn decide(
        &self,
        st: &mut State,
        rule: usize,
        pi: usize,
        assumed_why: Option<Why>,
        trail: &mut Vec<Mark>,
        assumed: u32,
    ) -> u8 {
        let bit = match self.p.rules.get(rule).map(|r| &r.action) {
            Some(Act::Pass) => PASS,
            Some(Act::Drop | Act::Reject) => DROP,
            _ => UNKNOWN,
        };
        trail.push(Mark::Rule { rule, pkt: pi, assumed: assumed_why });
        let v = st.leaf(bit, trail, assumed);
        trail.pop();
        v
    }
}

/// The stateful verdict.
pub(super) struct EngineDecision {
    pub verdict: NfwVerdict,
    pub steps: Vec<NfwStep>,
    pub reason: Option<String>,
    pub approximations: Vec<String>,
}

/// Texts for a *maybe* cause: `(approximation, reason)`.
fn why_text(p: &StatefulPolicy<'_>, why: Why) -> (String, String) {
    let rule = |i: usize| p.rules.get(i);
    let label = |i: usize| rule(i).map(|r| r.label.clone()).unwrap_or_default();
    match why {
        Why::Sni => {
            ("the TLS server name (SNI) is not given".into(), "depends on the TLS server name: give --sni".into())
        }
        Why::Host => ("the HTTP Host is not given".into(), "depends on the HTTP Host: give --http-host".into()),
        Why::InnerHttp => {
            let arn = p.tls_inspection.unwrap_or_default();
            (
                format!("TLS inspection `{arn}` is not modelled: HTTP rules may match the decrypted traffic"),
                format!("depends on HTTP inside TLS decrypted by TLS inspection `{arn}`"),
            )
        }
        Why::Keyword(i) => {
            let kws = rule(i).map(|r| r.unsupported.join("`, `")).unwrap_or_default();
            let l = label(i);
            (
                format!("{l} uses uninterpreted keywords `{kws}`"),
                format!("depends on uninterpreted keyword `{kws}` in {l}"),
            )
        }
        Why::Unresolved(i) => {
            let errs = rule(i).map(|r| r.unresolved.join("; ")).unwrap_or_default();
            let l = label(i);
            (format!("{l}: {errs}"), format!("depends on {l}: {errs}"))
        }
        Why::Proto(i) => {
            let proto = match rule(i).map(|r| &r.proto) {
                Some(ProtoM::Unknown(s)) => s.clone(),
                _ => String::new(),
            };
            let l = label(i);
            (
                format!("{l} uses protocol `{proto}`, which netprove does not know"),
                format!("depends on protocol `{proto}` in {l}"),
            )
        }
        Why::SslState(i) => {
            let v = match rule(i).map(|r| &r.ssl) {
                Some(SslM::Other(s)) => s.clone(),
                _ => String::new(),
            };
            let l = label(i);
            (
                format!("{l} uses `ssl_state:{v}`, which is not interpreted"),
                format!("depends on `ssl_state:{v}` in {l}"),
            )
        }
        Why::Missing(i) => {
            let arn = rule(i).and_then(|r| r.missing_group.clone()).unwrap_or_default();
            let t = format!("stateful rule group `{arn}` is not in the snapshot");
            (t.clone(), t)
        }
    }
}

fn marks_to_steps(p: &StatefulPolicy<'_>, roles: &[PacketRole], marks: &[Mark], prefix: &str) -> Vec<NfwStep> {
    let pkt_name = |pi: usize| roles.get(pi).map_or("?", |r| r.name);
    let mut steps = Vec::new();
    for m in marks {
        match *m {
            Mark::Rule { rule, pkt, assumed } => {
                let Some(r) = p.rules.get(rule) else { continue };
                let mut note = format!("{prefix}{} packet matches", pkt_name(pkt));
                if let Some(w) = assumed {
                    note.push_str(&format!(" (assumed: {})", why_text(p, w).1));
                }
                if r.action == Act::Pass {
                    note.push_str("; pass ends inspection of the flow");
                }
                if !r.text.is_empty() {
                    note.push_str(&format!(": {}", r.text));
                }
                steps.push(NfwStep {
                    stage: "stateful",
                    rule: r.label.clone(),
                    location: r.location.clone(),
                    action: r.action.as_str().to_string(),
                    note,
                });
            }
            Mark::Default { pkt, idx } => {
                let name = p.defaults.get(idx).map_or("", StatefulDefaultAction::as_str);
                steps.push(NfwStep {
                    stage: "default",
                    rule: format!("policy default {name}"),
                    location: p.policy_location.clone(),
                    action: name.to_string(),
                    note: format!("{prefix}{} packet matches no stateful rule", pkt_name(pkt)),
                });
            }
        }
    }
    steps
}

/// The step for a flow that passed without any decisive rule.
fn unmatched_pass_step(p: &StatefulPolicy<'_>, prefix: &str) -> NfwStep {
    let (rule, note) = match p.order {
        RuleOrder::DefaultActionOrder => (
            "policy default (action order)".to_string(),
            "no stateful rule matched; action order passes unmatched packets".to_string(),
        ),
        RuleOrder::StrictOrder => {
            let names: Vec<&str> = p.defaults.iter().map(StatefulDefaultAction::as_str).collect();
            let rule = if names.is_empty() {
                "policy default (none)".to_string()
            } else {
                format!("policy default {}", names.join(", "))
            };
            (rule, "no stateful rule or default action dropped any packet".to_string())
        }
    };
    NfwStep {
        stage: "default",
        rule,
        location: p.policy_location.clone(),
        action: "pass".into(),
        note: format!("{prefix}{note}"),
    }
}

fn leaf_steps(p: &StatefulPolicy<'_>, roles: &[PacketRole], marks: &[Mark], bit: u8, prefix: &str) -> Vec<NfwStep> {
    let mut steps = marks_to_steps(p, roles, marks, prefix);
    if bit == PASS && steps.is_empty() {
        steps.push(unmatched_pass_step(p, prefix));
    }
    steps
}

/// Why a leaf was dropped or unknown, from its last mark.
fn leaf_reason(p: &StatefulPolicy<'_>, roles: &[PacketRole], marks: &[Mark]) -> Option<String> {
    let pkt_name = |pi: usize| roles.get(pi).map_or("?", |r| r.name);
    match marks.last()? {
        Mark::Rule { rule, pkt, .. } => {
            let r = p.rules.get(*rule)?;
            Some(match &r.action {
                Act::Pass => format!("passed by {}", r.label),
                Act::Drop => format!("dropped by {} ({} packet)", r.label, pkt_name(*pkt)),
                Act::Reject => format!("rejected by {} ({} packet)", r.label, pkt_name(*pkt)),
                Act::Unknown(_) if r.missing_group.is_some() => why_text(p, Why::Missing(*rule)).1,
                Act::Unknown(a) => {
                    format!("{} has action `{a}`, which Network Firewall does not support", r.label)
                }
            })
        }
        Mark::Default { pkt, idx } => {
            let d = p.defaults.get(*idx)?;
            Some(match d {
                StatefulDefaultAction::Other(s) => format!("stateful default action `{s}` is not known"),
                _ => format!(
                    "policy default {} drops the {} packet (no stateful rule matched)",
                    d.as_str(),
                    pkt_name(*pkt)
                ),
            })
        }
    }
}

/// The application layers to explore.
fn worlds<'s>(
    p: &'s StatefulPolicy<'_>,
    conn: &'s Connection,
    host: Option<&'s str>,
    notes: &mut Vec<String>,
) -> Vec<World<'s>> {
    let tcp = conn.proto == PROTO_TCP;
    match &conn.app {
        AppLayer::Tls { sni } if tcp => {
            vec![World { app: Some("tls"), sni: sni.as_deref().map_or(Val::Absent, Val::Known), host: Val::Absent }]
        }
        AppLayer::Http { .. } if tcp => {
            vec![World { app: Some("http"), sni: Val::Absent, host: host.map_or(Val::Absent, Val::Known) }]
        }
        AppLayer::Tls { .. } | AppLayer::Http { .. } => {
            notes.push("TLS/HTTP was given for a connection that is not TCP; it is ignored".into());
            vec![World::none()]
        }
        AppLayer::Unknown => {
            let mut out = vec![World::none()];
            if !app_fits(OTHER_APP, conn.proto) {
                return out;
            }
            let mut names: Vec<&str> = Vec::new();
            if tcp {
                names.extend(["tls", "http"]);
            }
            for a in &p.apps {
                if app_fits(a, conn.proto) && !names.contains(&a.as_str()) {
                    names.push(a);
                }
            }
            names.push(OTHER_APP);
            out.extend(names.into_iter().map(|n| World {
                app: Some(n),
                sni: if n == "tls" { Val::Unknown } else { Val::Absent },
                host: if app_equals("http", n) { Val::Unknown } else { Val::Absent },
            }));
            out
        }
    }
}

pub(super) fn run(p: &StatefulPolicy<'_>, conn: &Connection) -> EngineDecision {
    let roles = packet_roles(conn);
    let host = match &conn.app {
        AppLayer::Http { host: Some(h) } => Some(normalise_host(h)),
        _ => None,
    };
    let mut notes = p.notes.clone();
    let worlds = worlds(p, conn, host.as_deref(), &mut notes);
    let world_used = Cell::new(false);
    let mut st = State::default();
    let mut masks = Vec::with_capacity(worlds.len());
    let mut trail = Vec::with_capacity(8);
    for (wi, w) in worlds.iter().enumerate() {
        st.world = wi;
        let ctx = Ctx { p, conn, roles, world: *w, world_used: &world_used };
        masks.push(ctx.walk(&mut st, 0, 0, &mut trail, 0));
        if !world_used.get() {
            // No match or default consulted the application layer, so every
            // other world gives the same result.
            break;
        }
    }
    let total = masks.iter().fold(0u8, |a, m| a | m);
    let mut approximations: BTreeSet<String> = notes.into_iter().collect();
    approximations.extend(st.consulted.iter().map(|w| why_text(p, *w).0));
    let worlds_differ = masks.windows(2).any(|m| m[0] != m[1]);

    let mut steps = Vec::new();
    let (verdict, reason) = if st.aborted {
        let r = format!("too many uncertain rule matches to explore (more than {MAX_LEAVES} cases)");
        approximations.insert(r.clone());
        (NfwVerdict::Unknown, Some(r))
    } else if total == PASS || total == DROP {
        let bit = total;
        let (_, _, marks) = st.best[bit_index(bit)].take().unwrap_or_default();
        steps = leaf_steps(p, roles, &marks, bit, "");
        let verdict = if bit == PASS { NfwVerdict::Pass } else { NfwVerdict::Drop };
        let reason = (bit == DROP).then(|| leaf_reason(p, roles, &marks)).flatten();
        (verdict, reason)
    } else {
        // Unknown: one path per possible outcome, then the most specific reason.
        for bit in [PASS, DROP, UNKNOWN] {
            if let Some((_, wi, marks)) = &st.best[bit_index(bit)] {
                let world = worlds.get(*wi).map_or("", World::label);
                let prefix = if worlds.len() > 1 { format!("if {world}: ") } else { "possibly: ".to_string() };
                steps.extend(leaf_steps(p, roles, marks, bit, &prefix));
            }
        }
        let reason = if total & UNKNOWN != 0 {
            st.best[2].as_ref().and_then(|(_, _, m)| leaf_reason(p, roles, m))
        } else if worlds_differ {
            let names: Vec<&str> = worlds.iter().map(World::label).collect();
            approximations.insert(format!("the application protocol is not given: explored {}", names.join(", ")));
            Some("depends on the application protocol: give --sni or --http-host".to_string())
        } else {
            st.deciding.first().map(|w| why_text(p, *w).1)
        };
        (NfwVerdict::Unknown, reason.or_else(|| Some("the stateful verdict is uncertain".into())))
    };
    EngineDecision { verdict, steps, reason, approximations: approximations.into_iter().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IP-only rules never change a verdict in this packet model (packets
    /// (3) and (4) repeat the addressing of (1) and (2)), so the matcher is
    /// checked directly.
    #[test]
    fn ip_only_rules_skip_later_packets() {
        let rules = "drop tcp 10.0.1.0/24 any -> any any (sid:1;)\n\
                     drop tcp 10.0.1.0/24 any -> any any (flow:established; sid:2;)\n\
                     drop tcp 10.0.1.0/24 any -> ![10.9.0.0/16] any (sid:3;)";
        let net = super::super::tests::Fx::strict(&[]).suricata("g", 1, rules).network();
        let policy = StatefulPolicy::compile(&net, net.firewall_policies.values().next(), &[]);
        let ip_only: Vec<bool> = policy.rules.iter().map(|r| r.ip_only).collect();
        assert_eq!(ip_only, [true, false, false]);
        let conn = Connection::tcp([10, 0, 1, 5].into(), [10, 0, 2, 5].into(), 40000, 443);
        let used = Cell::new(false);
        let ctx = Ctx { p: &policy, conn: &conn, roles: packet_roles(&conn), world: World::none(), world_used: &used };
        let m = |i: usize, pi: usize| match (policy.rules.get(i), ctx.roles.get(pi)) {
            (Some(r), Some(role)) => ctx.matches(i, r, role),
            _ => Tri::Maybe(Why::Sni),
        };
        assert_eq!((m(0, 0), m(0, 2)), (Tri::Yes, Tri::No));
        assert_eq!((m(1, 0), m(1, 2)), (Tri::No, Tri::Yes));
        assert_eq!((m(2, 0), m(2, 2)), (Tri::Yes, Tri::Yes));
        assert!(!used.get(), "header rules do not consult the application layer");
    }
}
