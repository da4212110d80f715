//! AWS Network Firewall: firewalls, policies, rule groups, the structured
//! Suricata subset and variable resolution.
//!
//! Everything here is normalised from the `DescribeFirewall`,
//! `DescribeFirewallPolicy` and `DescribeRuleGroup` responses; every rule keeps
//! its [`Provenance`](crate::model::Provenance) (`rulegroup/<name>` with entry
//! `rule#<i>` for stateless rules and `sid:<n>` for stateful ones).

mod domain_list;
mod firewall;
mod policy;
mod rule_group;
mod stateless;
pub mod suricata;
mod vars;

pub use domain_list::{domain_matches, DomainList, DomainTargetType, GeneratedRulesType};
pub use firewall::{Firewall, FirewallEndpoint};
pub use policy::{
    FirewallPolicy, OverrideAction, StatefulDefaultAction, StatefulGroupRef, StatelessGroupRef, StreamExceptionPolicy,
};
pub use rule_group::{prefix_list_id, IpSetDef, RuleGroup, RuleGroupType, RuleOrder, RulesSource, StatefulForm};
pub use stateless::{tcp_flag, StatelessAction, StatelessActions, StatelessPacket, StatelessRule, TcpFlagMatch};
pub use suricata::{
    parse_addr_spec, parse_port_range, parse_port_spec, parse_rule, split_rules, AddrEntry, AddrItem, AddrSpec,
    ContentMatch, FiveTuple, FlowOptions, IpProtoMatch, PortEntry, PortItem, PortSpec, RuleAction, RuleLine,
    RuleOption, SuricataError, SuricataRule,
};
pub use vars::{normalise_ports, IpRanges, ReferenceLookup, ResolveError, VariableEnv};
