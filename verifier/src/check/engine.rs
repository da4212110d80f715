//! Checking one property: class pairs, recorded paths, constraints, z3, and
//! witnesses replayed through the concrete evaluator.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use netprove_models::model::{Network, NetworkIndex};
use serde::Serialize;

use super::classes::{classes, Atoms, Class, Side, Targets};
use super::encode::Encoder;
use super::smt::{Header, Smt, SolveResult};
use super::term::*;
use crate::eval::walk::{service_backends, target_port};
use crate::eval::{Endpoint, Evaluator, Query, TraceResult, Verdict};

/// What is claimed about every source/destination pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// No packet in the port set gets through (and back).
    Never,
    /// Every packet in the port set gets through, from any client port in 1024-65535.
    Always,
    /// Every allowed path passes one of these nodes (firewall names, `nat-…`, `igw-…`, `tgw-…`, `eni-…`).
    Only { via: BTreeSet<String> },
}

#[derive(Debug, Clone)]
pub struct Property {
    pub kind: Kind,
    pub src: Targets,
    pub dst: Targets,
    /// The header set the property speaks about (protocols, ports).
    pub ports: Term,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Proven,
    Violated,
    Unknown,
    /// An internal error: e.g. the concrete evaluator disagreed with a witness.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proven => "proven",
            Status::Violated => "violated",
            Status::Unknown => "unknown",
            Status::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub source_classes: usize,
    pub destination_classes: usize,
    pub class_pairs: usize,
    pub paths: usize,
    pub solver_calls: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub reason: Option<String>,
    /// Replayed traces: allowed flows for `never`/`only`, denied ones for
    /// `always`, unknown ones for an unknown result.
    pub witnesses: Vec<TraceResult>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub witnesses: usize,
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { witnesses: 1, timeout: Duration::from_secs(30) }
    }
}

/// Per-thread checking context: evaluator, encoder, solver.
pub struct Checker<'a> {
    pub net: &'a Network,
    pub index: &'a NetworkIndex,
    pub ev: Evaluator<'a>,
    pub enc: Encoder<'a>,
    pub atoms: &'a Atoms,
}

impl<'a> Checker<'a> {
    pub fn new(net: &'a Network, index: &'a NetworkIndex, atoms: &'a Atoms) -> Self {
        Checker { net, index, ev: Evaluator::new(net, index), enc: Encoder::new(net, index), atoms }
    }

    fn query(&self, from: &Endpoint, from_label: &str, to: &Endpoint, to_label: &str, h: &Header) -> Query {
        Query {
            from: from.clone(),
            to: to.clone(),
            from_label: from_label.to_string(),
            to_label: to_label.to_string(),
            proto: h.proto,
            sport: h.sport,
            dport: h.dport,
            icmp: (h.icmp_type, h.icmp_code),
            sni: None,
            http_host: None,
        }
    }

    pub fn check(&mut self, prop: &Property, settings: &Settings) -> Outcome {
        let started = Instant::now();
        let srcs = classes(self.net, self.index, self.atoms, &prop.src, Side::Source);
        let groups = self.destination_groups(prop);
        let mut stats = Stats {
            source_classes: srcs.len(),
            destination_classes: groups.iter().map(|g| g.classes.len()).sum(),
            ..Stats::default()
        };
        let smt = Smt::new(u32::try_from(settings.timeout.as_millis()).unwrap_or(u32::MAX));
        let mut violations: Vec<TraceResult> = Vec::new();
        let mut unknowns: Vec<(TraceResult, String)> = Vec::new();
        let mut solver_unknown: Option<String> = None;
        let total = srcs.len() * stats.destination_classes;
        let mut done = 0;
        // `always` to a Service: a header it does not serve (no such service
        // port, or no backend declaring the target port) is dropped.
        if prop.kind == Kind::Always {
            if let Some(sr) = srcs.first().and_then(Class::rep) {
                for (cluster, key) in &prop.dst.services {
                    let served = groups
                        .iter()
                        .filter(|g| g.service.as_ref().is_some_and(|sv| sv.cluster == *cluster && sv.service == *key))
                        .filter_map(|g| g.service.as_ref())
                        .map(|sv| and([eq(Field::Proto, u32::from(sv.proto)), eq(Field::Dport, u32::from(sv.port))]));
                    let outside =
                        and([prop.ports.clone(), in_range(Expr::Field(Field::Sport), 1024, 65535), not(or(served))]);
                    stats.solver_calls += 1;
                    match smt.solve(&outside) {
                        SolveResult::Sat(h) => {
                            let h = super::witness::canonical(&outside).unwrap_or(h);
                            let to = Endpoint::Service { cluster: cluster.clone(), service: key.clone() };
                            let label = format!("svc:{cluster}/{key}");
                            let r = self.ev.trace(&self.query(&sr.endpoint, &sr.label, &to, &label, &h));
                            if r.verdict != Verdict::Denied {
                                return Outcome {
                                    status: Status::Error,
                                    reason: Some(format!(
                                        "internal error: {label} serves no {} but the concrete evaluator says {}",
                                        describe(&h),
                                        r.verdict.as_str()
                                    )),
                                    witnesses: vec![r],
                                    stats,
                                };
                            }
                            violations.push(r);
                            if violations.len() >= settings.witnesses.max(1) {
                                return Outcome {
                                    status: Status::Violated,
                                    reason: None,
                                    witnesses: violations,
                                    stats,
                                };
                            }
                        }
                        SolveResult::Unsat => {}
                        SolveResult::Unknown(why) => {
                            solver_unknown = Some(format!("the solver gave up on {label}: {why}", label = key));
                        }
                    }
                }
            }
        }
        for g in &groups {
            let header_space = match prop.kind {
                Kind::Always => and([g.ports.clone(), in_range(Expr::Field(Field::Sport), 1024, 65535)]),
                _ => g.ports.clone(),
            };
            let dsts = &g.classes;
            for s in &srcs {
                let Some(sr) = s.rep() else {
                    done += dsts.len();
                    continue;
                };
                // A source that cannot use the ClusterIP reaches no backend through it.
                if let Some(svc) = &g.service {
                    if !self.ev.reaches_cluster_ips(&sr.endpoint, &svc.cluster) {
                        done += dsts.len();
                        if prop.kind == Kind::Always && violations.len() < settings.witnesses.max(1) {
                            let to = Endpoint::Service { cluster: svc.cluster.clone(), service: svc.service.clone() };
                            let h = Header { proto: svc.proto, dport: svc.port, ..Header::default_tcp() };
                            let r = self.ev.trace(&self.query(&sr.endpoint, &sr.label, &to, &svc.label, &h));
                            if r.verdict != Verdict::Denied {
                                return Outcome {
                                    status: Status::Error,
                                    reason: Some(format!(
                                        "internal error: {} cannot use the ClusterIP of {} but the concrete \
                                         evaluator says {}",
                                        sr.label,
                                        svc.label,
                                        r.verdict.as_str()
                                    )),
                                    witnesses: vec![r],
                                    stats,
                                };
                            }
                            violations.push(r);
                            if violations.len() >= settings.witnesses.max(1) {
                                return Outcome {
                                    status: Status::Violated,
                                    reason: None,
                                    witnesses: violations,
                                    stats,
                                };
                            }
                        }
                        continue;
                    }
                }
                for d in dsts.iter() {
                    done += 1;
                    if started.elapsed() > settings.timeout {
                        return Outcome {
                            status: if violations.is_empty() { Status::Unknown } else { Status::Violated },
                            reason: Some(format!(
                                "timeout after {}s: {} of {total} class pairs checked",
                                settings.timeout.as_secs(),
                                done - 1
                            )),
                            witnesses: violations,
                            stats,
                        };
                    }
                    // Within one class, a representative pair of two distinct members.
                    let dr = if s.key == d.key { d.members.get(1) } else { d.rep() };
                    let Some(dr) = dr else { continue };
                    if skip_pair(s, d) {
                        continue;
                    }
                    stats.class_pairs += 1;
                    let q = self.query(&sr.endpoint, &sr.label, &dr.endpoint, &dr.label, &Header::default_tcp());
                    let paths = self.ev.record(&q);
                    stats.paths += paths.len();
                    // The headers that violate the property on this pair, definitely and maybe.
                    let (bad, doubt, expect) = match &prop.kind {
                        Kind::Never => {
                            let t = self.enc.connection(&paths);
                            (t.allow, t.maybe, Verdict::Allowed)
                        }
                        Kind::Always => {
                            let t = self.enc.connection(&paths);
                            (not(t.possible()), t.maybe, Verdict::Denied)
                        }
                        Kind::Only { via } => {
                            // Paths that avoid every waypoint must carry nothing.
                            let mut bad = Vec::new();
                            let mut doubt = Vec::new();
                            for p in &paths {
                                if p.nodes.iter().any(|n| via.contains(n)) {
                                    continue;
                                }
                                let t = self.enc.path(p);
                                bad.push(t.allow);
                                doubt.push(t.maybe);
                            }
                            (or(bad), or(doubt), Verdict::Allowed)
                        }
                    };
                    // One witness per class pair: several witnesses then show
                    // distinct sources and destinations, not the same flow on
                    // another port.
                    let want = settings.witnesses.max(1).saturating_sub(violations.len()).min(1);
                    let mut block = tt();
                    for _ in 0..want {
                        let base = and([header_space.clone(), bad.clone(), block.clone()]);
                        let found = solve_readable(&smt, &base, &mut stats);
                        match found {
                            SolveResult::Sat(h) => {
                                // Deterministic witness: z3 proved satisfiability; the
                                // header reported is the canonical one.
                                let h = super::witness::canonical(&base).unwrap_or(h);
                                let q = self.query(&sr.endpoint, &sr.label, &dr.endpoint, &dr.label, &h);
                                let r = self.ev.trace(&q);
                                if r.verdict != expect {
                                    return Outcome {
                                    status: Status::Error,
                                    reason: Some(format!(
                                        "internal error: the symbolic engine found {} -> {} {} but the concrete evaluator says {} ({})",
                                        sr.label,
                                        dr.label,
                                        describe(&h),
                                        r.verdict.as_str(),
                                        r.reason.clone().unwrap_or_default()
                                    )),
                                    witnesses: vec![r],
                                    stats,
                                };
                                }
                                violations.push(r);
                                block = and([block, not(header_term(&h))]);
                            }
                            SolveResult::Unsat => break,
                            SolveResult::Unknown(why) => {
                                solver_unknown =
                                    Some(format!("the solver gave up on {} -> {}: {why}", sr.label, dr.label));
                                break;
                            }
                        }
                    }
                    if violations.len() >= settings.witnesses.max(1) {
                        return Outcome { status: Status::Violated, reason: None, witnesses: violations, stats };
                    }
                    if violations.is_empty() && unknowns.is_empty() {
                        let base = and([header_space.clone(), doubt]);
                        let found = solve_readable(&smt, &base, &mut stats);
                        match found {
                            SolveResult::Sat(h) => {
                                let h = super::witness::canonical(&base).unwrap_or(h);
                                let q = self.query(&sr.endpoint, &sr.label, &dr.endpoint, &dr.label, &h);
                                let r = self.ev.trace(&q);
                                if r.verdict != Verdict::Unknown {
                                    return Outcome {
                                    status: Status::Error,
                                    reason: Some(format!(
                                        "internal error: the symbolic engine found an uncertain {} -> {} {} but the concrete evaluator says {}",
                                        sr.label,
                                        dr.label,
                                        describe(&h),
                                        r.verdict.as_str()
                                    )),
                                    witnesses: vec![r],
                                    stats,
                                };
                                }
                                let why = r.reason.clone().unwrap_or_default();
                                unknowns.push((r, why));
                            }
                            SolveResult::Unsat => {}
                            SolveResult::Unknown(why) => {
                                solver_unknown =
                                    Some(format!("the solver gave up on {} -> {}: {why}", sr.label, dr.label));
                            }
                        }
                    }
                }
            }
        }
        if !violations.is_empty() {
            return Outcome { status: Status::Violated, reason: None, witnesses: violations, stats };
        }
        if let Some((r, why)) = unknowns.into_iter().next() {
            return Outcome {
                status: Status::Unknown,
                reason: Some(format!("{} -> {}: {why}", r.from, r.to)),
                witnesses: vec![r],
                stats,
            };
        }
        if let Some(why) = solver_unknown {
            return Outcome { status: Status::Unknown, reason: Some(why), witnesses: Vec::new(), stats };
        }
        Outcome { status: Status::Proven, reason: None, witnesses: Vec::new(), stats }
    }
}

/// One set of destinations with the headers they receive: the property's
/// own targets at its ports, or the backends of one Service port that DNAT
/// sends to one target port.
struct DestinationGroup {
    classes: Vec<Class>,
    /// The header set at the destination.
    ports: Term,
    service: Option<ServiceDst>,
}

/// The Service side of a group: what a source addresses.
struct ServiceDst {
    cluster: String,
    service: String,
    /// `svc:cluster/namespace/name`.
    label: String,
    proto: u8,
    port: u16,
}

impl Checker<'_> {
    /// The property's destinations as groups. A Service is its ready
    /// backends (as `trace` selects them), once per service port the
    /// property's header set contains and per target port the backends
    /// resolve it to: kube-proxy rewrites the destination port, and the
    /// backends' filters see the target port.
    fn destination_groups(&self, prop: &Property) -> Vec<DestinationGroup> {
        let plain = Targets { services: BTreeSet::new(), ..prop.dst.clone() };
        let mut groups = vec![DestinationGroup {
            classes: classes(self.net, self.index, self.atoms, &plain, Side::Destination),
            ports: prop.ports.clone(),
            service: None,
        }];
        for (cluster, key) in &prop.dst.services {
            let Some(c) = self.net.clusters.get(cluster) else { continue };
            let Some(svc) = c.services.get(key) else { continue };
            let backends = service_backends(c, svc);
            for sp in &svc.ports {
                let proto = sp.protocol.number();
                // The property's headers that address this service port; DNAT
                // rewrites only the destination port.
                let addressed =
                    and([prop.ports.with_field(Field::Dport, u32::from(sp.port)), eq(Field::Proto, u32::from(proto))]);
                if addressed.is_false() {
                    continue;
                }
                let mut by_target: BTreeMap<u16, BTreeSet<(String, String)>> = BTreeMap::new();
                for p in &backends {
                    if let Some(t) = target_port(p, sp) {
                        by_target.entry(t).or_default().insert((cluster.clone(), p.key()));
                    }
                }
                for (target, pods) in by_target {
                    let t = Targets { pods, ..Targets::default() };
                    groups.push(DestinationGroup {
                        classes: classes(self.net, self.index, self.atoms, &t, Side::Destination),
                        ports: and([addressed.clone(), eq(Field::Dport, u32::from(target))]),
                        service: Some(ServiceDst {
                            cluster: cluster.clone(),
                            service: key.clone(),
                            label: format!("svc:{cluster}/{key}"),
                            proto,
                            port: sp.port,
                        }),
                    });
                }
            }
        }
        groups
    }
}

/// Pairs that are not a network question: a pod to itself, external to external.
/// Solves `base`, preferring a readable header (an ephemeral client port, an
/// echo request) and falling back to any; counts the solver calls.
fn solve_readable(smt: &Smt, base: &Term, stats: &mut Stats) -> SolveResult {
    stats.solver_calls += 1;
    let typical =
        and([in_range(Expr::Field(Field::Sport), 32768, 60999), eq(Field::IcmpType, 8), eq(Field::IcmpCode, 0)]);
    match smt.solve(&and([base.clone(), typical])) {
        SolveResult::Unsat => {
            stats.solver_calls += 1;
            smt.solve(base)
        }
        other => other,
    }
}

fn skip_pair(s: &Class, d: &Class) -> bool {
    // Two addresses outside the estate: not a question about this network
    // (a public IP of an ENI is inside it).
    let outside = |c: &Class| c.members.iter().all(|m| matches!(m.endpoint, Endpoint::External { .. }));
    if outside(s) && outside(d) {
        return true;
    }
    s.key == d.key && s.members.len() < 2
}

fn header_term(h: &Header) -> Term {
    and([
        eq(Field::Proto, u32::from(h.proto)),
        eq(Field::Sport, u32::from(h.sport)),
        eq(Field::Dport, u32::from(h.dport)),
        eq(Field::IcmpType, u32::from(h.icmp_type)),
        eq(Field::IcmpCode, u32::from(h.icmp_code)),
    ])
}

fn describe(h: &Header) -> String {
    match h.proto {
        6 => format!("tcp {} -> {}", h.sport, h.dport),
        17 => format!("udp {} -> {}", h.sport, h.dport),
        1 => format!("icmp type {} code {}", h.icmp_type, h.icmp_code),
        p => format!("protocol {p}"),
    }
}

impl Header {
    pub fn default_tcp() -> Header {
        Header { proto: 6, sport: 50000, dport: 443, icmp_type: 8, icmp_code: 0 }
    }
}
