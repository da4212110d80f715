//! Rule variables (`$HOME_NET`, `$EXTERNAL_NET`, IP sets, port sets and `@`
//! IP set references) resolved into concrete address and port sets.
//!
//! Resolution follows the Network Firewall rules:
//! - `HOME_NET` is the rule group's `IPSets.HOME_NET` if set, else the policy's
//!   `PolicyVariables.RuleVariables.HOME_NET`, else the inspection VPC's CIDRs.
//! - `EXTERNAL_NET` is the rule group's `IPSets.EXTERNAL_NET` if set, else the
//!   negation of the *policy's* `HOME_NET` ("The policy's EXTERNAL_NET setting
//!   is always the negation of the policy's HOME_NET"; a group that sets only
//!   `HOME_NET` still inherits `EXTERNAL_NET` from the policy).
//! - Any other `$NAME` is the group's IP set, else a policy variable; port
//!   variables come from the group's `PortSets`.
//! - `@NAME` is the group's `ReferenceSets.IPSetReferences` entry, a prefix-list
//!   ARN, resolved by a caller-supplied lookup.
//!
//! IPv6 entries are projected away: the sets describe IPv4 addresses only,
//! which is exact for IPv4 traffic.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use super::{AddrEntry, AddrItem, AddrSpec, FirewallPolicy, IpSetDef, PortEntry, PortItem, PortSpec, RuleGroup};
use crate::model::net::cidr_bounds;
use crate::model::PortRange;

/// A set of IPv4 addresses as sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IpRanges(Vec<(u32, u32)>);

/// Sorts and merges overlapping or adjacent inclusive ranges.
fn normalise(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.retain(|(lo, hi)| lo <= hi);
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (lo, hi) in v {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The complement of normalised ranges within `0..=max`.
fn complement(v: &[(u32, u32)], max: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next: Option<u32> = Some(0);
    for &(lo, hi) in v {
        if let Some(n) = next {
            if lo > n {
                out.push((n, lo - 1));
            }
        }
        next = hi.checked_add(1);
    }
    if let Some(n) = next {
        if n <= max {
            out.push((n, max));
        }
    }
    out
}

impl IpRanges {
    pub fn empty() -> Self {
        IpRanges(Vec::new())
    }

    pub fn all() -> Self {
        IpRanges(vec![(0, u32::MAX)])
    }

    pub fn from_ranges(v: Vec<(u32, u32)>) -> Self {
        IpRanges(normalise(v))
    }

    pub fn from_cidrs<'a>(cidrs: impl IntoIterator<Item = &'a Ipv4Net>) -> Self {
        Self::from_ranges(cidrs.into_iter().map(cidr_bounds).collect())
    }

    /// The ranges, sorted and merged.
    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn is_all(&self) -> bool {
        self.0 == [(0, u32::MAX)]
    }

    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        let ip = u32::from(ip);
        self.0.iter().any(|&(lo, hi)| lo <= ip && ip <= hi)
    }

    pub fn union(&self, other: &Self) -> Self {
        Self::from_ranges(self.0.iter().chain(other.0.iter()).copied().collect())
    }

    pub fn complement(&self) -> Self {
        IpRanges(complement(&self.0, u32::MAX))
    }

    pub fn intersect(&self, other: &Self) -> Self {
        self.complement().union(&other.complement()).complement()
    }

    pub fn difference(&self, other: &Self) -> Self {
        self.intersect(&other.complement())
    }
}

/// Sorts and merges port ranges.
pub fn normalise_ports(v: &[PortRange]) -> Vec<PortRange> {
    to_ports(normalise(v.iter().map(|r| (u32::from(r.lo), u32::from(r.hi))).collect()))
}

fn to_ports(v: Vec<(u32, u32)>) -> Vec<PortRange> {
    v.into_iter()
        .map(|(lo, hi)| PortRange::new(u16::try_from(lo).unwrap_or(u16::MAX), u16::try_from(hi).unwrap_or(u16::MAX)))
        .collect()
}

fn port_pairs(v: &[PortRange]) -> Vec<(u32, u32)> {
    v.iter().map(|r| (u32::from(r.lo), u32::from(r.hi))).collect()
}

/// Why a variable could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("undefined IP variable `${0}`")]
    UnknownVariable(String),
    #[error("undefined port variable `${0}`")]
    UnknownPortVariable(String),
    #[error("undefined IP set reference `@{0}`")]
    UnknownReference(String),
    #[error("IP set reference `@{name}` points to `{arn}`, whose entries are unknown")]
    UnresolvedReference { name: String, arn: String },
    #[error("`$HOME_NET` defaults to the firewall VPC's CIDRs, which are not in the snapshot")]
    UnknownHomeNet,
}

/// Resolves a prefix-list ARN to its IPv4 ranges; `None` when unknown.
pub type ReferenceLookup<'a> = &'a dyn Fn(&str) -> Option<IpRanges>;

/// The variables visible to the rules of one group under one policy.
pub struct VariableEnv<'a> {
    policy_vars: Option<&'a BTreeMap<String, IpSetDef>>,
    group: Option<&'a RuleGroup>,
    vpc_cidrs: &'a [Ipv4Net],
    references: Option<ReferenceLookup<'a>>,
}

impl<'a> VariableEnv<'a> {
    /// `vpc_cidrs` are the CIDRs of the firewall's (inspection) VPC: the
    /// default `HOME_NET`. Empty means the VPC is not in the snapshot: the
    /// default is then unknown (every VPC has a CIDR).
    pub fn new(policy: Option<&'a FirewallPolicy>, group: Option<&'a RuleGroup>, vpc_cidrs: &'a [Ipv4Net]) -> Self {
        Self { policy_vars: policy.map(|p| &p.variables), group, vpc_cidrs, references: None }
    }

    /// Supplies the lookup for `@NAME` references (prefix-list ARN → ranges).
    pub fn with_references(mut self, lookup: ReferenceLookup<'a>) -> Self {
        self.references = Some(lookup);
        self
    }

    fn policy_home_net(&self) -> Result<IpRanges, ResolveError> {
        match self.policy_vars.and_then(|v| v.get("HOME_NET")) {
            Some(def) => Ok(IpRanges::from_cidrs(&def.cidrs)),
            None if self.vpc_cidrs.is_empty() => Err(ResolveError::UnknownHomeNet),
            None => Ok(IpRanges::from_cidrs(self.vpc_cidrs)),
        }
    }

    fn group_set(&self, name: &str) -> Option<IpRanges> {
        self.group.and_then(|g| g.ip_sets.get(name)).map(|d| IpRanges::from_cidrs(&d.cidrs))
    }

    /// `$name` (given without the `$`).
    pub fn ip_var(&self, name: &str) -> Result<IpRanges, ResolveError> {
        if let Some(r) = self.group_set(name) {
            return Ok(r);
        }
        match name {
            "HOME_NET" => self.policy_home_net(),
            "EXTERNAL_NET" => Ok(self.policy_home_net()?.complement()),
            _ => self
                .policy_vars
                .and_then(|v| v.get(name))
                .map(|d| IpRanges::from_cidrs(&d.cidrs))
                .ok_or_else(|| ResolveError::UnknownVariable(name.to_string())),
        }
    }

    pub fn home_net(&self) -> Result<IpRanges, ResolveError> {
        match self.group_set("HOME_NET") {
            Some(r) => Ok(r),
            None => self.policy_home_net(),
        }
    }

    pub fn external_net(&self) -> Result<IpRanges, ResolveError> {
        match self.group_set("EXTERNAL_NET") {
            Some(r) => Ok(r),
            None => Ok(self.policy_home_net()?.complement()),
        }
    }

    /// `@name` (given without the `@`).
    pub fn ip_set_ref(&self, name: &str) -> Result<IpRanges, ResolveError> {
        let arn = self
            .group
            .and_then(|g| g.ip_set_references.get(name))
            .ok_or_else(|| ResolveError::UnknownReference(name.to_string()))?;
        self.references
            .and_then(|f| f(arn))
            .ok_or_else(|| ResolveError::UnresolvedReference { name: name.to_string(), arn: arn.clone() })
    }

    /// `$name` as a port variable.
    pub fn port_var(&self, name: &str) -> Result<Vec<PortRange>, ResolveError> {
        self.group
            .and_then(|g| g.port_sets.get(name))
            .map(|p| normalise_ports(p))
            .ok_or_else(|| ResolveError::UnknownPortVariable(name.to_string()))
    }

    pub fn resolve_addr(&self, spec: &AddrSpec) -> Result<IpRanges, ResolveError> {
        match spec {
            AddrSpec::Any => Ok(IpRanges::all()),
            AddrSpec::List(entries) => self.addr_list(entries),
        }
    }

    /// Positives (all addresses if there are none) minus negatives.
    fn addr_list(&self, entries: &[AddrEntry]) -> Result<IpRanges, ResolveError> {
        let mut pos = IpRanges::empty();
        let mut any_pos = false;
        let mut negs = IpRanges::empty();
        for e in entries {
            let set = match &e.item {
                AddrItem::Any => IpRanges::all(),
                AddrItem::Cidr(n) => IpRanges::from_cidrs([n]),
                AddrItem::Ipv6(_) => IpRanges::empty(),
                AddrItem::Var(v) => self.ip_var(v)?,
                AddrItem::IpSetRef(r) => self.ip_set_ref(r)?,
                AddrItem::List(l) => self.addr_list(l)?,
            };
            if e.negated {
                negs = negs.union(&set);
            } else {
                any_pos = true;
                pos = pos.union(&set);
            }
        }
        let base = if any_pos { pos } else { IpRanges::all() };
        Ok(base.difference(&negs))
    }

    pub fn resolve_ports(&self, spec: &PortSpec) -> Result<Vec<PortRange>, ResolveError> {
        match spec {
            PortSpec::Any => Ok(vec![PortRange::ALL]),
            PortSpec::List(entries) => self.port_list(entries),
        }
    }

    fn port_list(&self, entries: &[PortEntry]) -> Result<Vec<PortRange>, ResolveError> {
        let mut pos = Vec::new();
        let mut any_pos = false;
        let mut negs = Vec::new();
        for e in entries {
            let set = match &e.item {
                PortItem::Any => vec![PortRange::ALL],
                PortItem::Range(r) => vec![*r],
                PortItem::Var(v) => self.port_var(v)?,
                PortItem::List(l) => self.port_list(l)?,
            };
            if e.negated {
                negs.extend(set);
            } else {
                any_pos = true;
                pos.extend(set);
            }
        }
        let max = u32::from(u16::MAX);
        let pos = if any_pos { normalise(port_pairs(&pos)) } else { vec![(0, max)] };
        let not_negs = complement(&normalise(port_pairs(&negs)), max);
        // pos ∩ ¬negs = ¬(¬pos ∪ negs)
        let mut both = complement(&pos, max);
        both.extend(complement(&not_negs, max));
        Ok(to_ports(complement(&normalise(both), max)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::aws::Scope;
    use crate::model::nfw::{parse_addr_spec, parse_port_spec, RuleGroupType, RuleOrder, RulesSource};
    use crate::model::Provenance;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap_or_default()
    }

    fn r(a: &str, b: &str) -> (u32, u32) {
        (
            u32::from(a.parse::<std::net::Ipv4Addr>().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
            u32::from(b.parse::<std::net::Ipv4Addr>().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
        )
    }

    fn group(ip_sets: &[(&str, &str)], port_sets: &[(&str, Vec<PortRange>)]) -> RuleGroup {
        RuleGroup {
            name: "g".into(),
            arn: "arn:g".into(),
            id: "id".into(),
            scope: Scope::default(),
            rule_type: RuleGroupType::Stateful,
            capacity: None,
            description: None,
            rule_order: RuleOrder::StrictOrder,
            ip_sets: ip_sets
                .iter()
                .map(|(k, v)| (k.to_string(), IpSetDef { cidrs: vec![net(v)], ipv6: vec![] }))
                .collect(),
            port_sets: port_sets.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            ip_set_references: [("BETA".to_string(), "arn:aws:ec2:us-east-1:1:prefix-list/pl-1".to_string())].into(),
            rules: RulesSource::Stateful { form: crate::model::nfw::StatefulForm::RulesString, rules: vec![] },
            tags: Default::default(),
            prov: Provenance::new(Arc::from("f"), None, "g"),
        }
    }

    fn addr(env: &VariableEnv, s: &str) -> Result<IpRanges, ResolveError> {
        let spec = parse_addr_spec(s).unwrap_or(AddrSpec::Any);
        env.resolve_addr(&spec)
    }

    #[test]
    fn interval_algebra() {
        let a = IpRanges::from_cidrs(&[net("10.0.0.0/8"), net("11.0.0.0/8"), net("10.1.0.0/16")]);
        assert_eq!(a.ranges(), &[r("10.0.0.0", "11.255.255.255")]);
        assert_eq!(a.complement().complement(), a);
        assert!(IpRanges::all().complement().is_empty());
        let d = a.difference(&IpRanges::from_cidrs(&[net("10.128.0.0/9")]));
        assert_eq!(d.ranges(), &[r("10.0.0.0", "10.127.255.255"), r("11.0.0.0", "11.255.255.255")]);
        assert!(IpRanges::all().is_all());
    }

    #[test]
    fn home_and_external_net() {
        let vpc = [net("10.0.0.0/16")];
        let env = VariableEnv::new(None, None, &vpc);
        assert_eq!(env.home_net(), Ok(IpRanges::from_cidrs(&vpc)));
        assert_eq!(env.external_net(), Ok(IpRanges::from_cidrs(&vpc).complement()));

        // The firewall's VPC is not in the snapshot: the default is unknown.
        let env = VariableEnv::new(None, None, &[]);
        assert_eq!(env.home_net(), Err(ResolveError::UnknownHomeNet));
        assert_eq!(addr(&env, "$EXTERNAL_NET"), Err(ResolveError::UnknownHomeNet));

        // The group overrides HOME_NET but EXTERNAL_NET still negates the policy's.
        let g = group(&[("HOME_NET", "10.0.0.0/8")], &[]);
        let env = VariableEnv::new(None, Some(&g), &vpc);
        assert_eq!(addr(&env, "$HOME_NET"), Ok(IpRanges::from_cidrs(&[net("10.0.0.0/8")])));
        assert_eq!(addr(&env, "$EXTERNAL_NET"), Ok(IpRanges::from_cidrs(&vpc).complement()));
        assert_eq!(addr(&env, "$NOPE"), Err(ResolveError::UnknownVariable("NOPE".into())));
    }

    #[test]
    fn negated_lists_and_references() {
        let g = group(&[("HOME_NET", "10.0.0.0/8")], &[("WEB", vec![PortRange::single(80), PortRange::single(443)])]);
        let vpc = [];
        let lookup = |arn: &str| (arn.ends_with("pl-1")).then(|| IpRanges::from_cidrs(&[net("192.168.0.0/24")]));
        let env = VariableEnv::new(None, Some(&g), &vpc).with_references(&lookup);
        assert_eq!(
            addr(&env, "[$HOME_NET, !10.1.0.0/16, 2001:db8::/32]").map(|s| s.ranges().to_vec()),
            Ok(vec![r("10.0.0.0", "10.0.255.255"), r("10.2.0.0", "10.255.255.255")])
        );
        assert_eq!(addr(&env, "!$HOME_NET"), Ok(IpRanges::from_cidrs(&[net("10.0.0.0/8")]).complement()));
        assert_eq!(addr(&env, "@BETA"), Ok(IpRanges::from_cidrs(&[net("192.168.0.0/24")])));
        assert_eq!(addr(&env, "@GAMMA"), Err(ResolveError::UnknownReference("GAMMA".into())));
        let no_lookup = VariableEnv::new(None, Some(&g), &vpc);
        assert!(matches!(addr(&no_lookup, "@BETA"), Err(ResolveError::UnresolvedReference { .. })));

        let ports = |s: &str| env.resolve_ports(&parse_port_spec(s).unwrap_or(PortSpec::Any));
        assert_eq!(
            ports("[$WEB, 8000:8080]"),
            Ok(vec![PortRange::single(80), PortRange::single(443), PortRange::new(8000, 8080)])
        );
        assert_eq!(ports("!80"), Ok(vec![PortRange::new(0, 79), PortRange::new(81, 65535)]));
        assert_eq!(ports("[1:100, !50:60]"), Ok(vec![PortRange::new(1, 49), PortRange::new(61, 100)]));
        assert_eq!(ports("any"), Ok(vec![PortRange::ALL]));
        assert_eq!(ports("$X"), Err(ResolveError::UnknownPortVariable("X".into())));
    }
}
