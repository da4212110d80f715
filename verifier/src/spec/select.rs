//! Resolving selectors against a snapshot: which pods, ENIs, Services and
//! external addresses a selector denotes, and the values a `for each` ranges
//! over.
//!
//! A selector term that matches nothing is a warning (W001): a spec over an
//! empty set holds vacuously, and must never look like a proof.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use netprove_models::model::k8s::{Cluster, LabelSelector, Labels, Pod, Requirement, SelectorOp};
use netprove_models::model::{Network, NetworkIndex};

use super::ast::*;
use super::diag::{closest, Diagnostic};
use super::error::SpecWarning;
use super::load::SpecSet;

/// What a selector denotes in one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EndpointSet {
    /// Live pods, as `(cluster, namespace/name)`.
    pub pods: BTreeSet<(String, String)>,
    /// ENI ids.
    pub enis: BTreeSet<String>,
    /// Services, as `(cluster, namespace/name)` (destinations: ClusterIP DNAT).
    pub services: BTreeSet<(String, String)>,
    /// External ranges outside every VPC CIDR, besides `internet`. Addresses
    /// inside a VPC are never here: they are the ENIs and pods that own them.
    pub cidrs: Vec<Ipv4Net>,
    /// Every public address: 0.0.0.0/0 minus [`PRIVATE_AND_RESERVED`] and the
    /// VPC CIDRs.
    pub internet: bool,
}

impl EndpointSet {
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
            && self.enis.is_empty()
            && self.services.is_empty()
            && self.cidrs.is_empty()
            && !self.internet
    }
}

/// What an `only … via W` waypoint denotes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WaypointSet {
    /// Network Firewall names.
    pub firewalls: BTreeSet<String>,
    pub nat_gateways: BTreeSet<String>,
    pub internet_gateways: BTreeSet<String>,
    pub transit_gateways: BTreeSet<String>,
    pub enis: BTreeSet<String>,
}

impl WaypointSet {
    pub fn is_empty(&self) -> bool {
        self.firewalls.is_empty()
            && self.nat_gateways.is_empty()
            && self.internet_gateways.is_empty()
            && self.transit_gateways.is_empty()
            && self.enis.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyKind {
    Never,
    Always,
    Only,
}

/// One instance of a spec's property, after `for each` expansion and
/// selector resolution: what the checker proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedProperty {
    /// The `for each` variables of this instance (empty without `for each`).
    pub bindings: Bindings,
    pub kind: PropertyKind,
    pub src: EndpointSet,
    pub dst: EndpointSet,
    /// For `only`.
    pub via: Option<WaypointSet>,
    pub on: PortSpec,
    /// The innermost property, as written.
    pub span: Span,
}

/// One spec, resolved.
#[derive(Debug, Clone)]
pub struct ResolvedSpec {
    pub id: String,
    /// One per `for each` combination (none when a `for each` has no values).
    pub properties: Vec<ResolvedProperty>,
    /// This spec's vacuity warnings: when non-empty, a "proven" result must
    /// say that it may hold vacuously.
    pub warnings: Vec<Diagnostic>,
}

/// Every spec of a set, resolved.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// In spec order.
    pub specs: Vec<ResolvedSpec>,
    /// Every vacuity warning, sorted and de-duplicated (a `let` used by
    /// several specs warns once).
    pub warnings: Vec<Diagnostic>,
}

/// Resolves every spec of a set against a snapshot.
pub fn resolve_specs(set: &SpecSet, net: &Network, index: &NetworkIndex) -> Resolution {
    let ctx = SelectCtx::new(net, index);
    let mut out = Resolution::default();
    let mut warnings = Vec::new();
    for spec in &set.specs {
        let (properties, w) = ctx.resolve_spec(spec);
        let own = dedup_warnings(w.clone());
        warnings.extend(w);
        out.specs.push(ResolvedSpec { id: spec.id.clone(), properties, warnings: own });
    }
    out.warnings = dedup_warnings(warnings);
    out
}

/// Warnings to diagnostics: sorted, one per span and message.
pub fn dedup_warnings(warnings: Vec<SpecWarning>) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<Diagnostic> = Vec::new();
    for w in warnings {
        let d = w.to_diagnostic();
        if seen.insert((w.span().clone(), d.message.clone())) {
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// The values of a label across every cluster, sorted: of namespaces
/// (`namespace-label`) or of live pods (`pod-label`).
pub fn label_values(net: &Network, kind: LabelKind, key: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    for c in net.clusters.values() {
        match kind {
            LabelKind::Namespace => {
                let mut names: BTreeSet<&str> = c.namespaces.keys().map(String::as_str).collect();
                names.extend(c.pods.values().map(|p| p.namespace.as_str()));
                for ns in names {
                    if let Some(v) = c.namespace_labels(ns).get(key) {
                        out.insert(v.clone());
                    }
                }
            }
            LabelKind::Pod => {
                for p in c.pods.values().filter(|p| p.is_live()) {
                    if let Some(v) = p.labels.get(key) {
                        out.insert(v.clone());
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Not internet: private, shared, loopback, link-local, multicast and
/// reserved ranges (the same list as `check::classes::internet_ranges`).
pub const PRIVATE_AND_RESERVED: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/3",
];

/// Lookups shared by every resolution over one snapshot.
pub struct SelectCtx<'a> {
    pub net: &'a Network,
    pub index: &'a NetworkIndex,
    /// Every VPC CIDR.
    vpc: Ranges,
    /// The public address space: 0.0.0.0/0 minus [`PRIVATE_AND_RESERVED`]
    /// and the VPC CIDRs.
    public: Ranges,
}

/// The sets being built (external addresses as ranges until the end).
#[derive(Debug, Clone, Default)]
struct Work {
    pods: BTreeSet<(String, String)>,
    enis: BTreeSet<String>,
    services: BTreeSet<(String, String)>,
    ext: Ranges,
}

impl Work {
    fn is_empty(&self) -> bool {
        self.pods.is_empty() && self.enis.is_empty() && self.services.is_empty() && self.ext.0.is_empty()
    }

    fn union(mut self, o: Work) -> Work {
        self.pods.extend(o.pods);
        self.enis.extend(o.enis);
        self.services.extend(o.services);
        self.ext = self.ext.union(&o.ext);
        self
    }

    fn minus(mut self, o: &Work) -> Work {
        self.pods.retain(|p| !o.pods.contains(p));
        self.enis.retain(|e| !o.enis.contains(e));
        self.services.retain(|s| !o.services.contains(s));
        self.ext = self.ext.minus(&o.ext);
        self
    }
}

impl<'a> SelectCtx<'a> {
    pub fn new(net: &'a Network, index: &'a NetworkIndex) -> SelectCtx<'a> {
        let vpc =
            net.vpcs.values().flat_map(|v| v.cidrs.iter()).fold(Ranges::default(), |r, n| r.union(&Ranges::net(n)));
        let reserved = PRIVATE_AND_RESERVED
            .iter()
            .filter_map(|s| s.parse::<Ipv4Net>().ok())
            .fold(Ranges::default(), |r, n| r.union(&Ranges::net(&n)));
        let public = Ranges::full().minus(&reserved).minus(&vpc);
        SelectCtx { net, index, vpc, public }
    }

    /// Resolves a selector, with warnings for every term that matches
    /// nothing, and for the whole selector when it is empty.
    pub fn resolve(&self, sel: &Selector, b: &Bindings) -> (EndpointSet, Vec<SpecWarning>) {
        let mut warnings = Vec::new();
        let set = self.resolve_into(sel, b, &mut warnings);
        (set, warnings)
    }

    fn resolve_into(&self, sel: &Selector, b: &Bindings, warnings: &mut Vec<SpecWarning>) -> EndpointSet {
        let before = warnings.len();
        let w = self.eval(sel, b, warnings, None);
        if w.is_empty() && warnings.len() == before {
            warnings.push(SpecWarning::EmptySelector {
                span: sel.span().clone(),
                what: "endpoint",
                bindings: pairs(b),
                used_at: None,
            });
        }
        self.finish(w)
    }

    fn finish(&self, w: Work) -> EndpointSet {
        let internet = !self.public.0.is_empty() && w.ext.contains_all(&self.public);
        let rest = if internet { w.ext.minus(&self.public) } else { w.ext };
        EndpointSet { pods: w.pods, enis: w.enis, services: w.services, cidrs: rest.to_cidrs(), internet }
    }

    fn eval(&self, sel: &Selector, b: &Bindings, warnings: &mut Vec<SpecWarning>, used_at: Option<&Span>) -> Work {
        let w = match sel {
            Selector::Term(t) => self.term(t, b),
            Selector::Internet(_) => Work { ext: self.public.clone(), ..Work::default() },
            Selector::Cidr(net, _) => self.cidr(net),
            Selector::Ref { name, target } => {
                return match target {
                    Some(t) => self.eval(t, b, warnings, used_at.or(Some(&name.span))),
                    None => Work::default(),
                };
            }
            Selector::Union(x, y, _) => {
                let l = self.eval(x, b, warnings, used_at);
                l.union(self.eval(y, b, warnings, used_at))
            }
            Selector::Except(x, y, _) => {
                let l = self.eval(x, b, warnings, used_at);
                l.minus(&self.eval(y, b, warnings, used_at))
            }
            Selector::Paren(x, _) => return self.eval(x, b, warnings, used_at),
        };
        let what = match sel {
            Selector::Term(t) => Some(match t.kind {
                TermKind::Pods => "live pod",
                TermKind::Services => "service",
                TermKind::Enis => "ENI",
                TermKind::Instances => "instance with an ENI",
                TermKind::Subnets | TermKind::Vpcs | TermKind::Accounts => "ENI or pod",
                TermKind::PrefixLists => "prefix list with entries",
            }),
            Selector::Cidr(..) => Some("ENI, pod or external address"),
            _ => None,
        };
        if let Some(what) = what.filter(|_| w.is_empty()) {
            warnings.push(SpecWarning::EmptySelector {
                span: sel.span().clone(),
                what,
                bindings: pairs(b),
                used_at: used_at.cloned(),
            });
        }
        w
    }

    fn cidr(&self, net: &Ipv4Net) -> Work {
        let mut w = Work::default();
        for (id, eni) in &self.net.enis {
            if eni.private_ips.iter().any(|p| net.contains(&p.ip)) {
                w.enis.insert(id.clone());
            }
        }
        for (cname, c) in &self.net.clusters {
            for (key, p) in &c.pods {
                if p.is_live() && p.ip.is_some_and(|ip| net.contains(&ip)) {
                    w.pods.insert((cname.clone(), key.clone()));
                }
            }
        }
        w.ext = Ranges::net(net).minus(&self.vpc);
        w
    }

    fn term(&self, t: &Term, b: &Bindings) -> Work {
        let net = self.net;
        let mut w = Work::default();
        match t.kind {
            TermKind::Pods => {
                for (cname, c) in &net.clusters {
                    for (key, p) in &c.pods {
                        if p.is_live() && all_groups(&t.args, |a| pod_arg(a, c, p, b)) {
                            w.pods.insert((cname.clone(), key.clone()));
                        }
                    }
                }
            }
            TermKind::Services => {
                for (cname, c) in &net.clusters {
                    for (key, s) in &c.services {
                        let ok = all_groups(&t.args, |a| match (&a.key, &a.value) {
                            (ArgKey::Cluster, ArgValue::Text(v)) => glob(&v.render(b), cname),
                            (ArgKey::Namespace, ArgValue::Text(v)) => glob(&v.render(b), &s.namespace),
                            (ArgKey::Name, ArgValue::Text(v)) => glob(&v.render(b), &s.name) || glob(&v.render(b), key),
                            (ArgKey::Labels, ArgValue::Labels(e)) => {
                                s.selector.as_ref().is_some_and(|l| label_selector(e, b).matches(l))
                            }
                            _ => false,
                        });
                        if ok {
                            w.services.insert((cname.clone(), key.clone()));
                        }
                    }
                }
            }
            TermKind::Enis => {
                for (id, eni) in &net.enis {
                    let ok = all_groups(&t.args, |a| match (&a.key, &a.value) {
                        (ArgKey::Id, ArgValue::Text(v)) => glob(&v.render(b), id),
                        (ArgKey::Tag, ArgValue::Tag { key, value, .. }) => {
                            tag_matches(key, value.as_ref(), &eni.tags, b)
                        }
                        (ArgKey::Sg, ArgValue::Text(v)) => {
                            let p = v.render(b);
                            eni.security_groups
                                .iter()
                                .any(|g| glob(&p, g) || net.security_groups.get(g).is_some_and(|sg| glob(&p, &sg.name)))
                        }
                        (ArgKey::Subnet, ArgValue::Text(v)) => self.subnet_is(&v.render(b), &eni.subnet_id),
                        (ArgKey::Vpc, ArgValue::Text(v)) => self.vpc_is(&v.render(b), &eni.vpc_id),
                        (ArgKey::Account, ArgValue::Text(v)) => glob(&v.render(b), &eni.scope.account),
                        (ArgKey::Kind, ArgValue::Kind(k, _)) => eni.kind == k.model(),
                        _ => false,
                    });
                    if ok {
                        w.enis.insert(id.clone());
                    }
                }
            }
            TermKind::Instances => {
                for (id, inst) in &net.instances {
                    let ok = all_groups(&t.args, |a| match (&a.key, &a.value) {
                        (ArgKey::Id, ArgValue::Text(v)) => glob(&v.render(b), id),
                        (ArgKey::Tag, ArgValue::Tag { key, value, .. }) => {
                            tag_matches(key, value.as_ref(), &inst.tags, b)
                        }
                        (ArgKey::Subnet, ArgValue::Text(v)) => {
                            inst.subnet_id.as_deref().is_some_and(|s| self.subnet_is(&v.render(b), s))
                        }
                        (ArgKey::Vpc, ArgValue::Text(v)) => {
                            inst.vpc_id.as_deref().is_some_and(|s| self.vpc_is(&v.render(b), s))
                        }
                        (ArgKey::Account, ArgValue::Text(v)) => glob(&v.render(b), &inst.scope.account),
                        _ => false,
                    });
                    if ok {
                        w.enis.extend(inst.enis.iter().filter(|e| net.enis.contains_key(*e)).cloned());
                        w.enis.extend(
                            net.enis
                                .iter()
                                .filter(|(_, e)| e.instance_id() == Some(id.as_str()))
                                .map(|(eid, _)| eid.clone()),
                        );
                    }
                }
            }
            TermKind::Subnets => {
                let subnets: BTreeSet<&str> = net
                    .subnets
                    .iter()
                    .filter(|(id, s)| {
                        all_groups(&t.args, |a| match (&a.key, &a.value) {
                            (ArgKey::Id, ArgValue::Text(v)) => glob(&v.render(b), id),
                            (ArgKey::Tag, ArgValue::Tag { key, value, .. }) => {
                                tag_matches(key, value.as_ref(), &s.tags, b)
                            }
                            (ArgKey::Vpc, ArgValue::Text(v)) => self.vpc_is(&v.render(b), &s.vpc_id),
                            (ArgKey::Account, ArgValue::Text(v)) => glob(&v.render(b), &s.scope.account),
                            _ => false,
                        })
                    })
                    .map(|(id, _)| id.as_str())
                    .collect();
                self.enis_and_pods(&mut w, |e| subnets.contains(e.subnet_id.as_str()));
            }
            TermKind::Vpcs => {
                let vpcs: BTreeSet<&str> = net
                    .vpcs
                    .iter()
                    .filter(|(id, v)| {
                        all_groups(&t.args, |a| match (&a.key, &a.value) {
                            (ArgKey::Id, ArgValue::Text(x)) => glob(&x.render(b), id),
                            (ArgKey::Tag, ArgValue::Tag { key, value, .. }) => {
                                tag_matches(key, value.as_ref(), &v.tags, b)
                            }
                            (ArgKey::Account, ArgValue::Text(x)) => glob(&x.render(b), &v.scope.account),
                            _ => false,
                        })
                    })
                    .map(|(id, _)| id.as_str())
                    .collect();
                self.enis_and_pods(&mut w, |e| vpcs.contains(e.vpc_id.as_str()));
            }
            TermKind::PrefixLists => {
                for (id, pl) in &net.prefix_lists {
                    let ok = all_groups(&t.args, |a| match (&a.key, &a.value) {
                        (ArgKey::Id, ArgValue::Text(v)) => glob(&v.render(b), id),
                        (ArgKey::Name, ArgValue::Text(v)) => pl.name.as_deref().is_some_and(|n| glob(&v.render(b), n)),
                        (ArgKey::Account, ArgValue::Text(v)) => glob(&v.render(b), &pl.scope.account),
                        _ => false,
                    });
                    // A list without entries in the snapshot denotes nothing
                    // here; the term then warns that it matches nothing.
                    for (cidr, _) in pl.entries.iter().flatten().filter(|_| ok) {
                        w = w.union(self.cidr(cidr));
                    }
                }
            }
            TermKind::Accounts => {
                self.enis_and_pods(&mut w, |e| {
                    all_groups(&t.args, |a| match (&a.key, &a.value) {
                        (ArgKey::Id, ArgValue::Text(v)) => glob(&v.render(b), &e.scope.account),
                        _ => false,
                    })
                });
            }
        }
        w
    }

    /// Adds the ENIs that pass `keep`, and the live pods carried by them.
    fn enis_and_pods(&self, w: &mut Work, keep: impl Fn(&netprove_models::model::aws::Eni) -> bool) {
        for (id, e) in &self.net.enis {
            if keep(e) {
                w.enis.insert(id.clone());
            }
        }
        for ((cluster, pod), binding) in &self.index.pod_bindings {
            let live = self.net.clusters.get(cluster).and_then(|c| c.pods.get(pod)).is_some_and(Pod::is_live);
            if live && w.enis.contains(&binding.eni) {
                w.pods.insert((cluster.clone(), pod.clone()));
            }
        }
    }

    /// A subnet named by id or by its `Name` tag.
    fn subnet_is(&self, pattern: &str, id: &str) -> bool {
        glob(pattern, id) || self.net.subnets.get(id).and_then(|s| s.name()).is_some_and(|n| glob(pattern, n))
    }

    /// A VPC named by id or by its `Name` tag.
    fn vpc_is(&self, pattern: &str, id: &str) -> bool {
        glob(pattern, id) || self.net.vpcs.get(id).and_then(|v| v.name()).is_some_and(|n| glob(pattern, n))
    }

    /// Resolves a waypoint; an empty one gets a warning (W003).
    pub fn resolve_waypoint(&self, wp: &Waypoint, b: &Bindings) -> (WaypointSet, Vec<SpecWarning>) {
        let net = self.net;
        let mut out = WaypointSet::default();
        let mut warnings = Vec::new();
        let named = |v: &Value, tags: &dyn Fn(&str) -> Option<String>, ids: &mut dyn Iterator<Item = &String>| {
            let p = v.render(b);
            ids.filter(|id| glob(&p, id) || tags(id).is_some_and(|n| glob(&p, &n)))
                .cloned()
                .collect::<BTreeSet<String>>()
        };
        let (what, candidates): (&'static str, Vec<String>) = match wp {
            Waypoint::Firewall { name, .. } => {
                let p = name.render(b);
                out.firewalls = net
                    .firewalls
                    .iter()
                    .filter(|(arn, f)| glob(&p, &f.name) || glob(&p, arn))
                    .map(|(_, f)| f.name.clone())
                    .collect();
                ("Network Firewall", net.firewalls.values().map(|f| f.name.clone()).collect())
            }
            Waypoint::Nat { id, .. } => {
                let tag = |i: &str| net.nat_gateways.get(i).and_then(|n| n.tags.get("Name").cloned());
                out.nat_gateways = named(id, &tag, &mut net.nat_gateways.keys());
                ("NAT gateway", net.nat_gateways.keys().cloned().collect())
            }
            Waypoint::Igw { id, .. } => {
                let tag = |i: &str| net.internet_gateways.get(i).and_then(|n| n.tags.get("Name").cloned());
                out.internet_gateways = named(id, &tag, &mut net.internet_gateways.keys());
                ("internet gateway", net.internet_gateways.keys().cloned().collect())
            }
            Waypoint::Tgw { id, .. } => {
                let tag = |i: &str| net.transit_gateways.get(i).and_then(|n| n.tags.get("Name").cloned());
                out.transit_gateways = named(id, &tag, &mut net.transit_gateways.keys());
                ("transit gateway", net.transit_gateways.keys().cloned().collect())
            }
            Waypoint::Enis(sel) => {
                // Terms inside warn on their own (W001).
                out.enis = self.eval(sel, b, &mut warnings, None).enis;
                ("ENI", Vec::new())
            }
        };
        if out.is_empty() && !matches!(wp, Waypoint::Enis(_)) {
            let written = match wp {
                Waypoint::Firewall { name: v, .. }
                | Waypoint::Nat { id: v, .. }
                | Waypoint::Igw { id: v, .. }
                | Waypoint::Tgw { id: v, .. } => v.render(b),
                Waypoint::Enis(_) => String::new(),
            };
            warnings.push(SpecWarning::EmptyWaypoint {
                span: wp.span().clone(),
                what,
                bindings: pairs(b),
                suggestions: closest(&written, candidates.iter().map(String::as_str)),
            });
        }
        (out, warnings)
    }

    /// Expands `for each` loops and resolves every instance of a spec's
    /// property.
    pub fn resolve_spec(&self, spec: &Spec) -> (Vec<ResolvedProperty>, Vec<SpecWarning>) {
        let mut warnings = Vec::new();
        let mut out = Vec::new();
        for (bindings, p) in expand(&spec.property, self.net, &mut warnings) {
            let (kind, src, dst, via, on, span) = match p {
                Property::Never { src, dst, on, span } => (PropertyKind::Never, src, dst, None, on, span),
                Property::Always { src, dst, on, span } => (PropertyKind::Always, src, dst, None, on, span),
                Property::Only { src, dst, via, on, span } => (PropertyKind::Only, src, dst, Some(via), on, span),
                // INVARIANT: `expand` returns properties without `for each`.
                Property::ForEach { .. } => continue,
            };
            let src = self.resolve_into(src, &bindings, &mut warnings);
            let dst = self.resolve_into(dst, &bindings, &mut warnings);
            let via = via.map(|v| {
                let (set, w) = self.resolve_waypoint(v, &bindings);
                warnings.extend(w);
                set
            });
            out.push(ResolvedProperty { bindings, kind, src, dst, via, on: on.clone(), span: span.clone() });
        }
        (out, warnings)
    }
}

/// The instances of a property: one per combination of `for each` values,
/// with the bindings. A `for each` without values yields none (and W002).
pub fn expand<'p>(p: &'p Property, net: &Network, warnings: &mut Vec<SpecWarning>) -> Vec<(Bindings, &'p Property)> {
    let mut out = Vec::new();
    expand_into(p, net, &mut Bindings::new(), &mut out, warnings);
    out
}

fn expand_into<'p>(
    p: &'p Property,
    net: &Network,
    b: &mut Bindings,
    out: &mut Vec<(Bindings, &'p Property)>,
    warnings: &mut Vec<SpecWarning>,
) {
    match p {
        Property::ForEach { var, source, body, .. } => {
            let values = label_values(net, source.kind, &source.key);
            if values.is_empty() {
                warnings.push(SpecWarning::EmptyForEach {
                    kind: source.kind.as_str(),
                    key: source.key.clone(),
                    span: source.span.clone(),
                });
            }
            for v in values {
                let prev = b.insert(var.name.clone(), v);
                expand_into(body, net, b, out, warnings);
                match prev {
                    Some(p) => b.insert(var.name.clone(), p),
                    None => b.remove(&var.name),
                };
            }
        }
        _ => out.push((b.clone(), p)),
    }
}

fn pairs(b: &Bindings) -> Vec<(String, String)> {
    b.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Arguments with the same key are ORed; different keys are ANDed. No
/// arguments: everything.
fn all_groups(args: &[Arg], mut f: impl FnMut(&Arg) -> bool) -> bool {
    let mut groups: BTreeMap<ArgKey, bool> = BTreeMap::new();
    for a in args {
        let hit = f(a);
        let g = groups.entry(a.key).or_insert(false);
        *g = *g || hit;
    }
    groups.values().all(|v| *v)
}

fn pod_arg(a: &Arg, c: &Cluster, p: &Pod, b: &Bindings) -> bool {
    match (&a.key, &a.value) {
        (ArgKey::Cluster, ArgValue::Text(v)) => glob(&v.render(b), &c.name),
        (ArgKey::Namespace, ArgValue::Text(v)) => glob(&v.render(b), &p.namespace),
        (ArgKey::Name, ArgValue::Text(v)) => {
            let pat = v.render(b);
            glob(&pat, &p.name) || glob(&pat, &p.key())
        }
        (ArgKey::Labels, ArgValue::Labels(e)) => label_selector(e, b).matches(&p.labels),
        (ArgKey::NamespaceLabels, ArgValue::Labels(e)) => {
            label_selector(e, b).matches(&c.namespace_labels(&p.namespace))
        }
        _ => false,
    }
}

/// The model's selector for a parsed one, with variables substituted.
pub fn label_selector(e: &LabelExpr, b: &Bindings) -> LabelSelector {
    let match_expressions = e
        .reqs
        .iter()
        .map(|r| Requirement {
            key: r.key.render(b),
            op: match r.op {
                LabelOp::Eq | LabelOp::In => SelectorOp::In,
                LabelOp::NotEq | LabelOp::NotIn => SelectorOp::NotIn,
                LabelOp::Exists => SelectorOp::Exists,
                LabelOp::DoesNotExist => SelectorOp::DoesNotExist,
            },
            values: r.values.iter().map(|v| v.render(b)).collect(),
        })
        .collect();
    LabelSelector { match_labels: Labels::new(), match_expressions }
}

fn tag_matches(key: &Template, value: Option<&Template>, tags: &BTreeMap<String, String>, b: &Bindings) -> bool {
    match (tags.get(&key.render(b)), value) {
        (Some(v), Some(want)) => glob(&want.render(b), v),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, s: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == s;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

// ---------------------------------------------------------------------------
// IPv4 range sets

/// Disjoint, sorted, merged inclusive ranges of IPv4 addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ranges(Vec<(u32, u32)>);

impl Ranges {
    fn full() -> Ranges {
        Ranges(vec![(0, u32::MAX)])
    }

    fn net(n: &Ipv4Net) -> Ranges {
        Ranges(vec![(u32::from(n.network()), u32::from(n.broadcast()))])
    }

    fn normalize(mut v: Vec<(u32, u32)>) -> Ranges {
        v.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for (lo, hi) in v {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Ranges(out)
    }

    fn union(&self, o: &Ranges) -> Ranges {
        Ranges::normalize(self.0.iter().chain(o.0.iter()).copied().collect())
    }

    fn minus(&self, o: &Ranges) -> Ranges {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut cur = Some((lo, hi));
            for &(olo, ohi) in &o.0 {
                let Some((clo, chi)) = cur else { break };
                if ohi < clo || olo > chi {
                    continue;
                }
                if olo > clo {
                    out.push((clo, olo - 1));
                }
                cur = if ohi < chi { Some((ohi + 1, chi)) } else { None };
            }
            if let Some(c) = cur {
                out.push(c);
            }
        }
        Ranges::normalize(out)
    }

    fn contains_all(&self, o: &Ranges) -> bool {
        o.minus(self).0.is_empty()
    }

    /// The fewest CIDRs covering exactly these ranges.
    fn to_cidrs(&self) -> Vec<Ipv4Net> {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut cur = u64::from(lo);
            let end = u64::from(hi);
            while cur <= end {
                // The largest block aligned at `cur` that fits.
                let mut size: u64 = if cur == 0 { 1 << 32 } else { 1 << cur.trailing_zeros().min(32) };
                while cur + size - 1 > end {
                    size >>= 1;
                }
                let prefix = 32 - u8::try_from(size.trailing_zeros()).unwrap_or(32);
                if let Ok(n) = Ipv4Net::new(Ipv4Addr::from(u32::try_from(cur).unwrap_or(u32::MAX)), prefix) {
                    out.push(n);
                }
                cur += size;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Ranges {
        Ranges::net(&s.parse().unwrap())
    }

    #[test]
    fn ranges_round_trip_through_cidrs() {
        let a = r("10.0.0.0/8").minus(&r("10.30.0.0/16"));
        let cidrs: Vec<String> = a.to_cidrs().iter().map(ToString::to_string).collect();
        assert_eq!(cidrs.first().map(String::as_str), Some("10.0.0.0/12"));
        let back = a.to_cidrs().iter().fold(Ranges::default(), |acc, n| acc.union(&Ranges::net(n)));
        assert_eq!(back, a);
        assert_eq!(Ranges::full().to_cidrs(), vec!["0.0.0.0/0".parse::<Ipv4Net>().unwrap()]);
        assert!(Ranges::full().contains_all(&r("1.2.3.0/24")));
    }

    #[test]
    fn glob_matches_stars() {
        assert!(glob("web-*", "web-abc"));
        assert!(glob("*-db", "orders-db"));
        assert!(glob("a*c*e", "abcde"));
        assert!(!glob("a*c", "ab"));
        assert!(glob("exact", "exact"));
    }
}
