//! Rule groups: stateless rules, stateful (Suricata) rules or a domain list.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use super::{DomainList, StatelessRule, SuricataRule};
use crate::model::aws::{Scope, Tags};
use crate::model::{PortRange, Provenance};

/// `RuleGroupResponse.Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleGroupType {
    Stateless,
    Stateful,
    /// `STATEFUL_DOMAIN`, listed in the API enum; behaves as a stateful group.
    StatefulDomain,
}

impl RuleGroupType {
    pub fn is_stateful(self) -> bool {
        !matches!(self, RuleGroupType::Stateless)
    }
}

/// `RuleOrder` of a policy's stateful engine or of a stateful rule group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleOrder {
    /// Action order: all groups merged, pass → drop → reject → alert, then
    /// the `priority` keyword.
    #[default]
    DefaultActionOrder,
    /// Groups by reference priority, rules in written order, default actions apply.
    StrictOrder,
}

/// An IP variable (`IPSets` entry or policy `RuleVariables` entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpSetDef {
    pub cidrs: Vec<Ipv4Net>,
    /// IPv6 entries, kept as text (not modelled).
    pub ipv6: Vec<String>,
}

/// Where a group's stateful rules came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatefulForm {
    /// `StatefulRules`: the standard 5-tuple form.
    FiveTuple,
    /// `RulesString`: Suricata text.
    RulesString,
}

/// `RulesSource`: exactly one of the four forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesSource {
    /// `StatelessRulesAndCustomActions`; rules sorted by ascending priority
    /// (first match wins).
    Stateless { rules: Vec<StatelessRule>, custom_actions: Vec<String> },
    /// `StatefulRules` or `RulesString`, both in structured Suricata form, in
    /// written order.
    Stateful { form: StatefulForm, rules: Vec<SuricataRule> },
    /// `RulesSourceList`.
    DomainList(DomainList),
}

#[derive(Debug, Clone)]
pub struct RuleGroup {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub scope: Scope,
    pub rule_type: RuleGroupType,
    pub capacity: Option<i64>,
    pub description: Option<String>,
    /// `StatefulRuleOptions.RuleOrder` (default order when absent).
    pub rule_order: RuleOrder,
    /// `RuleVariables.IPSets`, by variable name.
    pub ip_sets: BTreeMap<String, IpSetDef>,
    /// `RuleVariables.PortSets`, by variable name.
    pub port_sets: BTreeMap<String, Vec<PortRange>>,
    /// `ReferenceSets.IPSetReferences`: `@NAME` → prefix-list ARN.
    pub ip_set_references: BTreeMap<String, String>,
    pub rules: RulesSource,
    pub tags: Tags,
    pub prov: Provenance,
}

impl RuleGroup {
    pub fn stateless_rules(&self) -> &[StatelessRule] {
        match &self.rules {
            RulesSource::Stateless { rules, .. } => rules,
            _ => &[],
        }
    }

    pub fn stateful_rules(&self) -> &[SuricataRule] {
        match &self.rules {
            RulesSource::Stateful { rules, .. } => rules,
            _ => &[],
        }
    }

    pub fn domain_list(&self) -> Option<&DomainList> {
        match &self.rules {
            RulesSource::DomainList(d) => Some(d),
            _ => None,
        }
    }
}

/// The prefix-list id (`pl-…`) at the end of an EC2 prefix-list ARN.
pub fn prefix_list_id(arn: &str) -> Option<&str> {
    arn.rsplit_once(":prefix-list/").map(|(_, id)| id).filter(|id| !id.is_empty())
}
