//! The stateless engine: every packet of both directions, first match wins.
//!
//! Groups in ascending `StatelessRuleGroupReference.Priority`, rules in
//! ascending `Priority`; no match takes `StatelessDefaultActions` (the
//! connection's packets are not fragments). TCP packets are evaluated with
//! each flag combination the connection sends ([`super::TCP_REQUEST_FLAGS`],
//! [`super::TCP_REPLY_FLAGS`]).

use netprove_models::model::net::PROTO_TCP;
use netprove_models::model::nfw::{FirewallPolicy, StatelessAction, StatelessGroupRef, StatelessPacket, StatelessRule};
use netprove_models::model::Network;

use super::{Connection, NfwStep, TCP_REPLY_FLAGS, TCP_REQUEST_FLAGS};

struct Group<'a> {
    r: &'a StatelessGroupRef,
    /// In ascending priority; `None` when the group is not in the snapshot.
    rules: Option<Vec<&'a StatelessRule>>,
}

/// The compiled stateless half of a policy.
pub(super) struct StatelessEngine<'a> {
    groups: Vec<Group<'a>>,
    default: Option<StatelessAction>,
}

/// What decided one packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatelessHit<'a> {
    Rule(&'a StatelessRule),
    /// No rule matched: the policy's `StatelessDefaultActions`.
    Default(StatelessAction),
    /// The packet reached a group that is not in the snapshot (its ARN).
    MissingGroup(&'a str),
}

impl StatelessHit<'_> {
    fn action(self) -> Option<StatelessAction> {
        match self {
            StatelessHit::Rule(r) => Some(r.action()),
            StatelessHit::Default(a) => Some(a),
            StatelessHit::MissingGroup(_) => None,
        }
    }

    fn same(self, other: Self) -> bool {
        match (self, other) {
            (StatelessHit::Rule(a), StatelessHit::Rule(b)) => std::ptr::eq(a, b),
            _ => self == other,
        }
    }

    fn label(self) -> String {
        match self {
            StatelessHit::Rule(r) => r.prov.short(),
            StatelessHit::Default(_) => "policy default StatelessDefaultActions".into(),
            StatelessHit::MissingGroup(arn) => format!("missing rule group {arn}"),
        }
    }
}

/// The hits of one direction's packets.
#[derive(Debug, Clone)]
pub struct StatelessDirection<'a> {
    pub reply: bool,
    /// `(packet name, hit)` in packet order.
    pub hits: Vec<(&'static str, StatelessHit<'a>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DirOutcome {
    Pass,
    Drop,
    Sfe,
    Unknown(String),
}

impl StatelessDirection<'_> {
    fn word(&self) -> &'static str {
        if self.reply {
            "reply"
        } else {
            "request"
        }
    }

    fn outcome(&self) -> DirOutcome {
        let actions = || self.hits.iter().map(|(_, h)| h.action());
        if actions().any(|a| a == Some(StatelessAction::Drop)) {
            return DirOutcome::Drop;
        }
        if let Some((_, StatelessHit::MissingGroup(arn))) =
            self.hits.iter().find(|(_, h)| matches!(h, StatelessHit::MissingGroup(_)))
        {
            return DirOutcome::Unknown(format!(
                "the {} reaches stateless rule group `{arn}`, which is not in the snapshot",
                self.word()
            ));
        }
        if actions().all(|a| a == Some(StatelessAction::Pass)) {
            DirOutcome::Pass
        } else if actions().all(|a| a == Some(StatelessAction::ForwardToSfe)) {
            DirOutcome::Sfe
        } else {
            DirOutcome::Unknown(format!(
                "stateless rules pass some {} packets and forward others to the stateful engine (TCP flags), \
                 so the stateful engine sees only part of the flow",
                self.word()
            ))
        }
    }
}

/// The stateless verdict on a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Both directions passed: the stateful engine never sees the flow.
    Pass,
    Drop(String),
    /// Both directions forwarded to the stateful engine.
    Stateful,
    Unknown(String),
}

/// Both directions' hits.
#[derive(Debug, Clone)]
pub struct StatelessResult<'a> {
    pub request: StatelessDirection<'a>,
    /// `None` when the connection has no reply (a lone ICMP message).
    pub reply: Option<StatelessDirection<'a>>,
}

impl<'a> StatelessEngine<'a> {
    /// Every protocol and port boundary the stateless rules use.
    pub(super) fn cuts(&self, cuts: &mut super::Cuts) {
        for g in &self.groups {
            for r in g.rules.iter().flatten() {
                cuts.protos.extend(r.protocols.iter().copied());
                for p in r.source_ports.iter().chain(&r.destination_ports) {
                    cuts.add_port_range(*p);
                }
            }
        }
    }

    pub(super) fn new(net: &'a Network, policy: Option<&'a FirewallPolicy>) -> Self {
        let Some(policy) = policy else {
            return Self { groups: Vec::new(), default: None };
        };
        let mut refs: Vec<&StatelessGroupRef> = policy.stateless_refs.iter().collect();
        // INVARIANT: ingestion sorts the references; sorting again keeps the
        // evaluator correct for hand-built models too.
        refs.sort_by_key(|r| r.priority);
        let groups = refs
            .into_iter()
            .map(|r| {
                let rules = net.rule_groups.get(&r.arn).map(|g| {
                    let mut v: Vec<&StatelessRule> = g.stateless_rules().iter().collect();
                    v.sort_by_key(|r| r.priority);
                    v
                });
                Group { r, rules }
            })
            .collect();
        Self { groups, default: Some(policy.stateless_default_actions.standard) }
    }

    /// First match over all groups.
    pub fn decide(&self, p: &StatelessPacket) -> StatelessHit<'a> {
        for g in &self.groups {
            let Some(rules) = &g.rules else {
                return StatelessHit::MissingGroup(&g.r.arn);
            };
            if let Some(r) = rules.iter().find(|r| r.matches(p)) {
                return StatelessHit::Rule(r);
            }
        }
        StatelessHit::Default(self.default.unwrap_or(StatelessAction::Drop))
    }

    pub(super) fn evaluate(&self, conn: &Connection) -> StatelessResult<'a> {
        let tcp = conn.proto == PROTO_TCP;
        let base = StatelessPacket {
            src: conn.src,
            dst: conn.dst,
            protocol: conn.proto,
            src_port: conn.sport,
            dst_port: conn.dport,
            tcp_flags: 0,
        };
        let reply_base =
            StatelessPacket { src: conn.dst, dst: conn.src, src_port: conn.dport, dst_port: conn.sport, ..base };
        let run = |p: StatelessPacket, flags: &[u8; 3], names: [&'static str; 3], reply: bool| {
            let hits = if tcp {
                flags
                    .iter()
                    .zip(names)
                    .map(|(&f, n)| (n, self.decide(&StatelessPacket { tcp_flags: f, ..p })))
                    .collect()
            } else {
                vec![(if reply { "reply" } else { "request" }, self.decide(&p))]
            };
            StatelessDirection { reply, hits }
        };
        let request = run(base, &TCP_REQUEST_FLAGS, ["SYN", "ACK", "PSH-ACK"], false);
        let reply = conn.has_reply().then(|| run(reply_base, &TCP_REPLY_FLAGS, ["SYN-ACK", "ACK", "PSH-ACK"], true));
        StatelessResult { request, reply }
    }
}

impl StatelessResult<'_> {
    pub(super) fn outcome(&self) -> Outcome {
        let req = self.request.outcome();
        let rep = self.reply.as_ref().map(StatelessDirection::outcome);
        let dropped = |d: &StatelessDirection| {
            d.hits
                .iter()
                .find(|(_, h)| h.action() == Some(StatelessAction::Drop))
                .map(|(n, h)| format!("stateless {} {} dropped by {}", d.word(), n, h.label()))
        };
        if req == DirOutcome::Drop {
            return Outcome::Drop(dropped(&self.request).unwrap_or_default());
        }
        if let (Some(DirOutcome::Drop), Some(d)) = (&rep, &self.reply) {
            return Outcome::Drop(dropped(d).unwrap_or_default());
        }
        match (req, rep) {
            (DirOutcome::Unknown(r), _) | (_, Some(DirOutcome::Unknown(r))) => Outcome::Unknown(r),
            (DirOutcome::Pass, None | Some(DirOutcome::Pass)) => Outcome::Pass,
            (DirOutcome::Sfe, None | Some(DirOutcome::Sfe)) => Outcome::Stateful,
            (req, _) => {
                let (fwd, pass) = if req == DirOutcome::Sfe { ("request", "reply") } else { ("reply", "request") };
                Outcome::Unknown(format!(
                    "stateless rules forward the {fwd} to the stateful engine but pass the {pass} \
                     (STATELESS_RULE_FORWARDING_ASYMMETRICALLY): the stateful engine's flow state is unreliable"
                ))
            }
        }
    }

    /// One step per run of packets decided by the same rule.
    pub(super) fn steps(&self, policy: &FirewallPolicy) -> Vec<NfwStep> {
        let mut out = Vec::new();
        for d in std::iter::once(&self.request).chain(self.reply.as_ref()) {
            let differs = d.hits.windows(2).any(|w| !w[0].1.same(w[1].1));
            let mut i = 0;
            while let Some(&(_, hit)) = d.hits.get(i) {
                let mut j = i + 1;
                while d.hits.get(j).is_some_and(|(_, h)| h.same(hit)) {
                    j += 1;
                }
                let names: Vec<&str> = d.hits[i..j].iter().map(|(n, _)| *n).collect();
                let mut note = format!("{} {}", d.word(), names.join(", "));
                if differs {
                    note.push_str(" (TCP flags decide; the worst outcome counts)");
                }
                let (location, action) = match hit {
                    StatelessHit::Rule(r) => (Some(r.prov.location()), r.action().as_str().to_string()),
                    StatelessHit::Default(a) => (Some(policy.prov.location()), a.as_str().to_string()),
                    StatelessHit::MissingGroup(_) => (None, "unknown".to_string()),
                };
                out.push(NfwStep {
                    stage: if d.reply { "stateless-reply" } else { "stateless" },
                    rule: hit.label(),
                    location,
                    action,
                    note,
                });
                i = j;
            }
        }
        out
    }
}
