//! The `why` question over class pairs: reachable paths with witnesses and
//! port sets, or every blocker on every path.

use std::fmt::Write as _;

use serde::Serialize;

use super::blockers::{on_path, Blocker};
use super::ports::{port_set, render, PortRange};
use crate::check::classes::{classes, Atoms, Side, Targets};
use crate::check::encode::Encoder;
use crate::check::smt::{Header, Smt, SolveResult};
use crate::check::term::*;
use crate::eval::{Evaluator, Query, TraceResult, Verdict};
use netprove_models::model::{Network, NetworkIndex};

pub struct WhyQuestion {
    pub src: Targets,
    pub dst: Targets,
    /// The protocols and ports asked about.
    pub ports: Term,
    /// The client's source port (default 50000, as `trace`).
    pub sport: u16,
    pub max_paths: usize,
    pub max_pairs: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathAnswer {
    /// Resources the path passes, in order (request then reply).
    pub via: Vec<String>,
    /// A replayed witness (reachable paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<TraceResult>,
    /// Every blocker on the path (unreachable paths).
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairAnswer {
    pub from: String,
    pub to: String,
    /// Other endpoints that behave identically.
    pub alike: usize,
    pub reachable: bool,
    /// Exactly what gets through, within the question's ports.
    pub allowed: Vec<PortRange>,
    /// What may or may not get through: the outcome depends on something
    /// netprove does not model (listed as `unknown` blockers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<PortRange>,
    pub paths: Vec<PathAnswer>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhyAnswer {
    pub reachable: bool,
    /// No pair is shown to connect, but some may: the answer is unknown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    pub pairs: Vec<PairAnswer>,
    pub summary: String,
}

fn first_header(ports: &Term, sport: u16, smt: &Smt) -> Header {
    let pinned =
        and([ports.clone(), eq(Field::Sport, u32::from(sport)), eq(Field::IcmpType, 8), eq(Field::IcmpCode, 0)]);
    match smt.solve(&pinned) {
        SolveResult::Sat(h) => h,
        _ => Header { proto: 6, sport, dport: 443, icmp_type: 8, icmp_code: 0 },
    }
}

pub fn why(net: &Network, index: &NetworkIndex, q: &WhyQuestion) -> WhyAnswer {
    let atoms = Atoms::build(net, index);
    let ev = Evaluator::new(net, index);
    let mut enc = Encoder::new(net, index);
    let smt = Smt::new(30_000);
    let srcs = classes(net, index, &atoms, &q.src, Side::Source);
    let dsts = classes(net, index, &atoms, &q.dst, Side::Destination);
    let pinned = and([q.ports.clone(), eq(Field::Sport, u32::from(q.sport))]);
    let mut pairs = Vec::new();
    for s in &srcs {
        for d in &dsts {
            if pairs.len() >= q.max_pairs {
                break;
            }
            let (Some(sr), Some(dr)) = (s.rep(), if s.key == d.key { d.members.get(1) } else { d.rep() }) else {
                continue;
            };
            let mk = |h: &Header| Query {
                from: sr.endpoint.clone(),
                to: dr.endpoint.clone(),
                from_label: sr.label.clone(),
                to_label: dr.label.clone(),
                proto: h.proto,
                sport: h.sport,
                dport: h.dport,
                icmp: (h.icmp_type, h.icmp_code),
                sni: None,
                http_host: None,
            };
            let h0 = first_header(&q.ports, q.sport, &smt);
            let paths = ev.record(&mk(&h0));
            let tri = enc.connection(&paths);
            let allowed = port_set(&and([q.ports.clone(), tri.allow.clone()]), q.sport);
            let unknown = port_set(&and([q.ports.clone(), tri.maybe.clone()]), q.sport);
            let reachable = !allowed.is_empty();
            // Blockers are shown for a header whose outcome is unknown, if any:
            // the undecided filters are then listed with the definite ones.
            let hb = if unknown.is_empty() {
                h0
            } else {
                match smt.solve(&and([pinned.clone(), tri.maybe.clone()])) {
                    SolveResult::Sat(h) => h,
                    _ => h0,
                }
            };
            let mut answers: Vec<PathAnswer> = Vec::new();
            for p in &paths {
                if answers.len() >= q.max_paths {
                    break;
                }
                let mut via: Vec<String> = Vec::new();
                for n in &p.nodes {
                    if via.last() != Some(n) {
                        via.push(n.clone());
                    }
                }
                if answers.iter().any(|a| a.via == via) {
                    continue;
                }
                let tp = enc.path(p);
                if reachable {
                    let witness = match smt.solve(&and([pinned.clone(), tp.allow.clone()])) {
                        SolveResult::Sat(h) => {
                            let r = ev.trace(&mk(&h));
                            (r.verdict == Verdict::Allowed).then_some(r)
                        }
                        _ => None,
                    };
                    if witness.is_some() {
                        answers.push(PathAnswer { via, witness, blockers: Vec::new() });
                    }
                } else {
                    let blockers = on_path(net, &mut enc, p, &hb);
                    answers.push(PathAnswer { via, witness: None, blockers });
                }
            }
            pairs.push(PairAnswer {
                from: sr.label.clone(),
                to: dr.label.clone(),
                alike: (s.members.len() * d.members.len()).saturating_sub(1),
                reachable,
                allowed,
                unknown,
                paths: answers,
            });
        }
    }
    let reachable = pairs.iter().any(|p| p.reachable);
    let unknown = !reachable && pairs.iter().any(|p| !p.unknown.is_empty());
    let summary = summarize(&pairs, reachable);
    WhyAnswer { reachable, unknown, pairs, summary }
}

fn summarize(pairs: &[PairAnswer], reachable: bool) -> String {
    let mut s = String::new();
    if pairs.is_empty() {
        return "The question names no source or destination in this snapshot.".into();
    }
    let open = pairs.iter().filter(|p| p.reachable).count();
    if reachable {
        let first = pairs.iter().find(|p| p.reachable);
        let _ = write!(s, "Yes: {open} of {} source/destination pairs connect", pairs.len());
        if let Some(p) = first {
            let _ = write!(
                s,
                "; {} reaches {} on {} over {} path{}",
                p.from,
                p.to,
                render(&p.allowed),
                p.paths.len(),
                if p.paths.len() == 1 { "" } else { "s" }
            );
            if let Some(w) = p.paths.first().and_then(|a| a.witness.as_ref()) {
                // The deciding rules: policies, security groups, firewall rules
                // (NACL and route entries are listed in the path above).
                let mut rules: Vec<&str> = w
                    .forward
                    .iter()
                    .filter(|h| {
                        h.decision == "allow" && matches!(h.kind, "network-policy" | "security-group" | "firewall")
                    })
                    .filter_map(|h| h.rule.as_deref())
                    .filter(|r| !r.starts_with("policy default"))
                    .collect();
                rules.dedup();
                if !rules.is_empty() {
                    let _ = write!(s, ", admitted by {}", rules.join(", "));
                }
            }
        }
        s.push('.');
    } else {
        let undecided: Vec<&PairAnswer> = pairs.iter().filter(|p| !p.unknown.is_empty()).collect();
        match undecided.first() {
            Some(p) => {
                let _ = write!(
                    s,
                    "Unknown: none of the {} source/destination pairs is shown to connect, but {} of them may \
                     (e.g. {} to {} on {}): the outcome depends on something netprove does not model",
                    pairs.len(),
                    undecided.len(),
                    p.from,
                    p.to,
                    render(&p.unknown)
                );
            }
            None => {
                let _ = write!(s, "No: none of the {} source/destination pairs connect", pairs.len());
            }
        }
        let (uncertain, blockers): (Vec<&Blocker>, Vec<&Blocker>) = pairs
            .iter()
            .flat_map(|p| p.paths.iter().flat_map(|a| a.blockers.iter()))
            .partition(|b| b.kind == "unknown");
        let reply_only = !blockers.is_empty() && blockers.iter().all(|b| b.direction == "reply");
        if reply_only {
            s.push_str(". The request gets through; only the reply is dropped");
        }
        let names = |bs: &[&Blocker]| {
            let mut names: Vec<String> = bs.iter().map(|b| format!("{} {}", b.kind, b.resource)).collect();
            names.sort();
            names.dedup();
            names.join("; ")
        };
        if !blockers.is_empty() {
            let _ = write!(s, ". Blocked by: {}", names(&blockers));
        }
        let mut problems: Vec<&str> = Vec::new();
        for b in &uncertain {
            if !problems.contains(&b.problem.as_str()) {
                problems.push(&b.problem);
            }
        }
        if !problems.is_empty() {
            let _ = write!(s, ". Undecided: {}", problems.join("; "));
        }
        if let Some(b) = blockers.first().or(uncertain.first()) {
            let _ = write!(s, ". To open it, start with: {}", b.fix);
        }
        s.push('.');
    }
    s
}

/// Text rendering.
pub fn render_text(a: &WhyAnswer) -> String {
    let mut o = String::new();
    for p in &a.pairs {
        let _ = writeln!(
            o,
            "{} -> {}{}: {}",
            p.from,
            p.to,
            if p.alike > 0 { format!(" (and {} alike pairs)", p.alike) } else { String::new() },
            match (p.reachable, p.unknown.is_empty()) {
                (true, true) => format!("REACHABLE on {}", render(&p.allowed)),
                (true, false) => format!("REACHABLE on {} (unknown on {})", render(&p.allowed), render(&p.unknown)),
                (false, false) => format!("UNKNOWN on {}", render(&p.unknown)),
                (false, true) => "NOT REACHABLE".into(),
            }
        );
        for (i, path) in p.paths.iter().enumerate() {
            let _ = writeln!(o, "  path {}: {}", i + 1, path.via.join(" -> "));
            if let Some(w) = &path.witness {
                let f = &w.flow;
                let _ = writeln!(
                    o,
                    "    witness: {} {}:{} -> {}:{} allowed",
                    f.proto,
                    f.src_ip,
                    f.sport.map(|x| x.to_string()).unwrap_or_default(),
                    f.dst_ip,
                    f.dport.map(|x| x.to_string()).unwrap_or_default()
                );
                for h in w.forward.iter().chain(&w.reply).filter(|h| h.rule.is_some()) {
                    let _ = writeln!(
                        o,
                        "      {:<8} {:<15} {}{}",
                        h.decision,
                        h.kind,
                        h.rule.as_deref().unwrap_or_default(),
                        h.location.as_deref().map(|l| format!("  ({l})")).unwrap_or_default()
                    );
                }
            }
            for b in &path.blockers {
                if b.kind == "unknown" {
                    let _ = writeln!(o, "    undecided ({}): {}", b.direction, b.problem);
                } else {
                    let _ = writeln!(o, "    blocked ({}) by {} {}: {}", b.direction, b.kind, b.resource, b.problem);
                }
                let _ = writeln!(o, "      fix: {}", b.fix);
            }
        }
    }
    let _ = writeln!(o, "\n{}", a.summary);
    o
}

/// An endpoint (as for `trace`) or a selector (as in specs) as targets.
pub fn targets_of(snap: &netprove_models::Snapshot, s: &str) -> Result<Targets, String> {
    use crate::eval::Endpoint;
    if let Ok(e) = crate::eval::resolve(&snap.network, &snap.index, s) {
        let mut t = Targets::default();
        match e {
            Endpoint::Pod { cluster, pod } => {
                t.pods.insert((cluster, pod));
            }
            Endpoint::Eni { eni, .. } => {
                t.enis.insert(eni);
            }
            Endpoint::External { ip } | Endpoint::PublicIp { ip, .. } => t.external.push(ip.into()),
            Endpoint::Service { cluster, service } => {
                let mut es = crate::spec::select::EndpointSet::default();
                es.services.insert((cluster, service));
                let t = crate::check::lower::targets(&snap.network, &es);
                return Ok(crate::check::lower::with_backends(&snap.network, t));
            }
        }
        return Ok(t);
    }
    // A selector: parsed and resolved by the spec front end.
    let text = format!("spec why {{\n  title = \"why\"\n  severity = info\n  never {s} -> internet on any\n}}\n");
    let set = crate::spec::load::load_specs_from_str("<why>", &text).map_err(|d| d.render(false))?;
    let res = crate::spec::select::resolve_specs(&set, &snap.network, &snap.index);
    let p =
        res.specs.first().and_then(|r| r.properties.first()).ok_or_else(|| format!("error: `{s}` selects nothing"))?;
    Ok(crate::check::lower::with_backends(&snap.network, crate::check::lower::targets(&snap.network, &p.src)))
}

/// `--proto` / `--dport` as a header set.
pub fn ports_of(proto: Option<&str>, dport: Option<&str>) -> Result<Term, String> {
    let p = match proto {
        None => None,
        Some(s) => netprove_models::model::net::parse_protocol(s)?,
    };
    let range = match dport {
        None => None,
        Some(d) => {
            let (a, b) = d.split_once('-').unwrap_or((d, d));
            let lo: u16 = a.trim().parse().map_err(|_| format!("`{d}` is not a port or range A-B"))?;
            let hi: u16 = b.trim().parse().map_err(|_| format!("`{d}` is not a port or range A-B"))?;
            if lo > hi {
                return Err(format!("`{d}`: the range is reversed"));
            }
            Some((lo, hi))
        }
    };
    Ok(match (p, range) {
        (None, None) => tt(),
        (None, Some((lo, hi))) => and([
            or([eq(Field::Proto, 6), eq(Field::Proto, 17)]),
            in_range(Expr::Field(Field::Dport), u32::from(lo), u32::from(hi)),
        ]),
        (Some(p), None) => eq(Field::Proto, u32::from(p)),
        (Some(p), Some((lo, hi))) => {
            and([eq(Field::Proto, u32::from(p)), in_range(Expr::Field(Field::Dport), u32::from(lo), u32::from(hi))])
        }
    })
}
