//! `describe-rule-group` → [`RuleGroup`]: stateless rules, 5-tuple stateful
//! rules, Suricata `RulesString` and domain lists.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::super::{req, tags, WireTag};
use super::policy::{warn_duplicate_priorities, WireCustomAction, WireVarDef};
use super::{each, ip_set_def, line_at, parse_rule_order, priority};
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
use crate::model::net::{looks_ipv6, parse_cidr};
use crate::model::nfw::{
    parse_port_range, parse_rule, split_rules, tcp_flag, DomainList, DomainTargetType, FiveTuple, GeneratedRulesType,
    RuleGroup, RuleGroupType, RuleOrder, RulesSource, StatefulForm, StatelessActions, StatelessRule, SuricataError,
    SuricataRule, TcpFlagMatch,
};
use crate::model::{PortRange, Provenance, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireResponse {
    rule_group_arn: Option<String>,
    rule_group_name: Option<String>,
    rule_group_id: Option<String>,
    description: Option<String>,
    #[serde(rename = "Type")]
    type_: Option<String>,
    capacity: Option<i64>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRuleGroup {
    rule_variables: Option<WireRuleVariables>,
    reference_sets: Option<WireReferenceSets>,
    rules_source: Option<WireRulesSource>,
    stateful_rule_options: Option<WireRuleOptions>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRuleVariables {
    #[serde(rename = "IPSets", default)]
    ip_sets: BTreeMap<String, WireVarDef>,
    #[serde(default)]
    port_sets: BTreeMap<String, WireVarDef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireReferenceSets {
    #[serde(rename = "IPSetReferences", default)]
    ip_set_references: BTreeMap<String, WireReference>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireReference {
    reference_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRuleOptions {
    rule_order: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRulesSource {
    rules_string: Option<String>,
    rules_source_list: Option<WireRulesSourceList>,
    stateful_rules: Option<Value>,
    stateless_rules_and_custom_actions: Option<WireStatelessSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRulesSourceList {
    targets: Option<Vec<String>>,
    target_types: Option<Vec<String>>,
    generated_rules_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatelessSource {
    stateless_rules: Option<Value>,
    #[serde(default)]
    custom_actions: Vec<WireCustomAction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatelessRule {
    rule_definition: Option<WireRuleDefinition>,
    priority: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRuleDefinition {
    match_attributes: Option<WireMatchAttributes>,
    actions: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireMatchAttributes {
    #[serde(default)]
    sources: Vec<WireAddress>,
    #[serde(default)]
    destinations: Vec<WireAddress>,
    #[serde(default)]
    source_ports: Vec<WirePortRange>,
    #[serde(default)]
    destination_ports: Vec<WirePortRange>,
    #[serde(default)]
    protocols: Vec<i64>,
    #[serde(rename = "TCPFlags", default)]
    tcp_flags: Vec<WireTcpFlags>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAddress {
    address_definition: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePortRange {
    from_port: Option<i64>,
    to_port: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireTcpFlags {
    flags: Option<Vec<String>>,
    #[serde(default)]
    masks: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatefulRule {
    action: Option<String>,
    header: Option<WireHeader>,
    rule_options: Option<Vec<WireRuleOption>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireHeader {
    protocol: Option<String>,
    source: Option<String>,
    source_port: Option<String>,
    direction: Option<String>,
    destination: Option<String>,
    destination_port: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRuleOption {
    keyword: Option<String>,
    #[serde(default)]
    settings: Vec<String>,
}

/// What the rules of a group are read with.
struct GroupCtx<'a> {
    resource: &'a str,
    prov: &'a Provenance,
    rule_order: RuleOrder,
}

pub(super) fn ingest(ctx: &mut FileCtx, scope: &Scope, obj: &Map<String, Value>) -> Option<RuleGroup> {
    let Some(resp) = obj.get("RuleGroupResponse") else {
        ctx.missing(None, "rule group", "RuleGroupResponse");
        return None;
    };
    let r = ctx.one::<WireResponse>("RuleGroupResponse", resp)?;
    let fallback = r.rule_group_name.as_deref().map_or_else(|| "rule group".into(), |n| format!("rulegroup/{n}"));
    let name = req(ctx, None, &fallback, "RuleGroupResponse.RuleGroupName", &r.rule_group_name)?.to_string();
    let resource = format!("rulegroup/{name}");
    let arn = req(ctx, None, &resource, "RuleGroupResponse.RuleGroupArn", &r.rule_group_arn).map(str::to_string);
    let id = req(ctx, None, &resource, "RuleGroupResponse.RuleGroupId", &r.rule_group_id).map(str::to_string);
    let rule_type = match req(ctx, None, &resource, "RuleGroupResponse.Type", &r.type_) {
        Some("STATELESS") => Some(RuleGroupType::Stateless),
        Some("STATEFUL") => Some(RuleGroupType::Stateful),
        Some("STATEFUL_DOMAIN") => Some(RuleGroupType::StatefulDomain),
        Some(other) => {
            ctx.invalid(None, &resource, "RuleGroupResponse.Type", format!("`{other}` is not STATELESS or STATEFUL"));
            None
        }
        None => None,
    };
    let g = ctx.one::<WireRuleGroup>("RuleGroup", obj.get("RuleGroup")?)?;
    let prov = ctx.prov(&[], &resource);

    let rule_order = parse_rule_order(
        ctx,
        &prov,
        "RuleGroup.StatefulRuleOptions.RuleOrder",
        g.stateful_rule_options.as_ref().and_then(|o| o.rule_order.as_deref()),
    );

    let vars = g.rule_variables.unwrap_or(WireRuleVariables { ip_sets: BTreeMap::new(), port_sets: BTreeMap::new() });
    let mut ip_sets = BTreeMap::new();
    for (k, def) in vars.ip_sets {
        let field = format!("RuleGroup.RuleVariables.IPSets.{k}");
        ip_sets.insert(k, ip_set_def(ctx, &prov, &field, &def.definition));
    }
    let mut port_sets = BTreeMap::new();
    for (k, def) in vars.port_sets {
        let mut ports = Vec::new();
        for d in &def.definition {
            match parse_port_range(d) {
                Ok(p) => ports.push(p),
                Err(m) => ctx.invalid(None, &resource, &format!("RuleGroup.RuleVariables.PortSets.{k}"), m),
            }
        }
        port_sets.insert(k, ports);
    }
    let mut ip_set_references = BTreeMap::new();
    for (k, reference) in g.reference_sets.map(|s| s.ip_set_references).unwrap_or_default() {
        let field = format!("RuleGroup.ReferenceSets.IPSetReferences.{k}.ReferenceArn");
        if let Some(a) = req(ctx, None, &resource, &field, &reference.reference_arn) {
            ip_set_references.insert(k, a.to_string());
        }
    }

    let Some(src) = g.rules_source else {
        ctx.missing(None, &resource, "RuleGroup.RulesSource");
        return None;
    };
    let forms = [
        src.rules_string.is_some(),
        src.rules_source_list.is_some(),
        src.stateful_rules.as_ref().is_some_and(|v| !v.is_null()),
        src.stateless_rules_and_custom_actions.is_some(),
    ];
    if forms.iter().filter(|f| **f).count() != 1 {
        ctx.invalid(
            None,
            &resource,
            "RuleGroup.RulesSource",
            "expected exactly one of RulesString, RulesSourceList, StatefulRules, StatelessRulesAndCustomActions",
        );
        return None;
    }
    let gc = GroupCtx { resource: &resource, prov: &prov, rule_order };
    let rules = if let Some(s) = src.stateless_rules_and_custom_actions {
        stateless(ctx, &gc, s)
    } else if let Some(v) = src.stateful_rules {
        RulesSource::Stateful { form: StatefulForm::FiveTuple, rules: five_tuple(ctx, &gc, &v) }
    } else if let Some(text) = src.rules_string {
        RulesSource::Stateful { form: StatefulForm::RulesString, rules: rules_string(ctx, &gc, &text) }
    } else if let Some(l) = src.rules_source_list {
        RulesSource::DomainList(domain_list(ctx, &gc, l)?)
    } else {
        return None;
    };

    let consistent = match &rules {
        RulesSource::Stateless { .. } => rule_type == Some(RuleGroupType::Stateless),
        _ => rule_type.is_some_and(RuleGroupType::is_stateful),
    };
    if let (false, Some(rule_type)) = (consistent, rule_type) {
        ctx.warn(
            WarningKind::Suspicious,
            &prov,
            format!("the group's type {rule_type:?} does not match its rules source"),
        );
    }
    if let RulesSource::Stateful { rules, .. } = &rules {
        let mut seen = BTreeSet::new();
        let dups: BTreeSet<u64> = rules.iter().filter(|r| !seen.insert(r.sid)).map(|r| r.sid).collect();
        if !dups.is_empty() {
            let list: Vec<String> = dups.iter().map(u64::to_string).collect();
            ctx.warn(
                WarningKind::Suspicious,
                &prov,
                format!("duplicate sids {} (they must be unique)", list.join(", ")),
            );
        }
    }

    Some(RuleGroup {
        name,
        arn: arn?,
        id: id?,
        scope: scope.clone(),
        rule_type: rule_type?,
        capacity: r.capacity,
        description: r.description,
        rule_order,
        ip_sets,
        port_sets,
        ip_set_references,
        rules,
        tags: tags(&r.tags),
        prov,
    })
}

const STATELESS_PATH: [&str; 4] = ["RuleGroup", "RulesSource", "StatelessRulesAndCustomActions", "StatelessRules"];

fn stateless(ctx: &mut FileCtx, gc: &GroupCtx, s: WireStatelessSource) -> RulesSource {
    let mut rules = Vec::new();
    for (i, w) in
        each::<WireStatelessRule>(ctx, s.stateless_rules.as_ref(), &STATELESS_PATH, gc.resource, "StatelessRules")
    {
        let line = line_at(ctx, &STATELESS_PATH, i);
        if let Some(rule) = stateless_rule(ctx, gc, i, line, w) {
            rules.push(rule);
        }
    }
    rules.sort_by_key(|r| r.priority);
    warn_duplicate_priorities(ctx, gc.prov, "stateless rule", rules.iter().map(|r| r.priority));
    RulesSource::Stateless {
        rules,
        custom_actions: s.custom_actions.into_iter().filter_map(|c| c.action_name).collect(),
    }
}

fn stateless_rule(
    ctx: &mut FileCtx,
    gc: &GroupCtx,
    i: usize,
    line: Option<u32>,
    w: WireStatelessRule,
) -> Option<StatelessRule> {
    let field = format!("StatelessRules[{i}]");
    let res = gc.resource;
    let pr = match w.priority {
        Some(p) => priority(ctx, line, res, &format!("{field}.Priority"), p),
        None => {
            ctx.missing(line, res, &format!("{field}.Priority"));
            None
        }
    };
    let Some(def) = w.rule_definition else {
        ctx.missing(line, res, &format!("{field}.RuleDefinition"));
        return None;
    };
    let acts = match &def.actions {
        None => {
            ctx.missing(line, res, &format!("{field}.RuleDefinition.Actions"));
            None
        }
        Some(a) => match StatelessActions::parse(a) {
            Ok(a) => Some(a),
            Err(m) => {
                ctx.invalid(line, res, &format!("{field}.RuleDefinition.Actions"), m);
                None
            }
        },
    };
    let Some(m) = def.match_attributes else {
        ctx.missing(line, res, &format!("{field}.RuleDefinition.MatchAttributes"));
        return None;
    };
    let prov = gc.prov.entry(format!("rule#{i}"), line);
    let mut ok = true;
    let mut addrs = |list: &[WireAddress], attr: &str, ctx: &mut FileCtx| {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for (k, a) in list.iter().enumerate() {
            let f = format!("{field}.RuleDefinition.MatchAttributes.{attr}[{k}].AddressDefinition");
            let Some(d) = req(ctx, line, res, &f, &a.address_definition) else {
                ok = false;
                continue;
            };
            if looks_ipv6(d) {
                v6.push(d.to_string());
            } else if let Some(n) = parse_cidr(d) {
                v4.push(n);
            } else {
                ctx.invalid(line, res, &f, format!("`{d}` is not a CIDR"));
                ok = false;
            }
        }
        if !v6.is_empty() {
            ctx.warn(
                WarningKind::Unsupported,
                &prov,
                format!("IPv6 {attr} {} are not modelled (IPv4 only)", v6.join(", ")),
            );
        }
        (v4, v6)
    };
    let (sources, ipv6_sources) = addrs(&m.sources, "Sources", ctx);
    let (destinations, ipv6_destinations) = addrs(&m.destinations, "Destinations", ctx);
    let mut ports = |list: &[WirePortRange], attr: &str, ctx: &mut FileCtx| {
        let mut out = Vec::new();
        for (k, p) in list.iter().enumerate() {
            let f = format!("{field}.RuleDefinition.MatchAttributes.{attr}[{k}]");
            let (Some(lo), Some(hi)) = (p.from_port, p.to_port) else {
                ctx.missing(line, res, &format!("{f}.{}", if p.from_port.is_none() { "FromPort" } else { "ToPort" }));
                ok = false;
                continue;
            };
            match (u16::try_from(lo), u16::try_from(hi)) {
                (Ok(lo), Ok(hi)) if lo <= hi => out.push(PortRange::new(lo, hi)),
                _ => {
                    ctx.invalid(line, res, &f, format!("`{lo}-{hi}` is not a port range within 0-65535"));
                    ok = false;
                }
            }
        }
        out
    };
    let source_ports = ports(&m.source_ports, "SourcePorts", ctx);
    let destination_ports = ports(&m.destination_ports, "DestinationPorts", ctx);
    let mut protocols = Vec::new();
    for p in &m.protocols {
        match u8::try_from(*p) {
            Ok(n) => protocols.push(n),
            Err(_) => {
                ctx.invalid(
                    line,
                    res,
                    &format!("{field}.RuleDefinition.MatchAttributes.Protocols"),
                    format!("`{p}` is not 0-255"),
                );
                ok = false;
            }
        }
    }
    let mut tcp_flags = Vec::new();
    for (k, t) in m.tcp_flags.iter().enumerate() {
        let f = format!("{field}.RuleDefinition.MatchAttributes.TCPFlags[{k}]");
        let Some(flags) = &t.flags else {
            ctx.missing(line, res, &format!("{f}.Flags"));
            ok = false;
            continue;
        };
        let mut bits = |names: &[String]| -> Option<u8> {
            let mut b = 0u8;
            for n in names {
                match tcp_flag::parse(n) {
                    Some(x) => b |= x,
                    None => {
                        ctx.invalid(
                            line,
                            res,
                            &f,
                            format!("`{n}` is not a TCP flag (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR)"),
                        );
                        return None;
                    }
                }
            }
            Some(b)
        };
        match (bits(flags), bits(&t.masks)) {
            (Some(flags), Some(masks)) => tcp_flags.push(TcpFlagMatch { flags, masks }),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    Some(StatelessRule {
        priority: pr?,
        actions: acts?,
        sources,
        destinations,
        ipv6_sources,
        ipv6_destinations,
        source_ports,
        destination_ports,
        protocols,
        tcp_flags,
        prov,
    })
}

const STATEFUL_PATH: [&str; 3] = ["RuleGroup", "RulesSource", "StatefulRules"];

fn five_tuple(ctx: &mut FileCtx, gc: &GroupCtx, v: &Value) -> Vec<SuricataRule> {
    let mut out = Vec::new();
    for (i, w) in each::<WireStatefulRule>(ctx, Some(v), &STATEFUL_PATH, gc.resource, "StatefulRules") {
        let line = line_at(ctx, &STATEFUL_PATH, i);
        let field = format!("StatefulRules[{i}]");
        let res = gc.resource;
        let action = req(ctx, line, res, &format!("{field}.Action"), &w.action);
        let Some(h) = &w.header else {
            ctx.missing(line, res, &format!("{field}.Header"));
            continue;
        };
        let mut hf = |name: &str, v: &Option<String>| {
            req(ctx, line, res, &format!("{field}.Header.{name}"), v).map(str::to_string)
        };
        let parts = (
            hf("Protocol", &h.protocol),
            hf("Source", &h.source),
            hf("SourcePort", &h.source_port),
            hf("Direction", &h.direction),
            hf("Destination", &h.destination),
            hf("DestinationPort", &h.destination_port),
        );
        let Some(opts) = &w.rule_options else {
            ctx.missing(line, res, &format!("{field}.RuleOptions"));
            continue;
        };
        let mut options = Vec::new();
        for (k, o) in opts.iter().enumerate() {
            if let Some(kw) = req(ctx, line, res, &format!("{field}.RuleOptions[{k}].Keyword"), &o.keyword) {
                options.push((kw, o.settings.as_slice()));
            }
        }
        let (
            Some(action),
            (
                Some(protocol),
                Some(source),
                Some(source_port),
                Some(direction),
                Some(destination),
                Some(destination_port),
            ),
        ) = (action, parts)
        else {
            continue;
        };
        let t = FiveTuple {
            action,
            protocol: &protocol,
            source: &source,
            source_port: &source_port,
            direction: &direction,
            destination: &destination,
            destination_port: &destination_port,
            options,
        };
        match SuricataRule::from_five_tuple(&t, gc.prov.entry(format!("rule#{i}"), line)) {
            Ok(mut rule) => {
                rule.prov = gc.prov.entry(format!("sid:{}", rule.sid), line);
                check_rule(ctx, gc, &rule);
                out.push(rule);
            }
            Err(SuricataError::MissingSid) => ctx.missing(line, res, &format!("{field}.RuleOptions.sid")),
            Err(e) => ctx.invalid(line, res, &field, e.to_string()),
        }
    }
    out
}

fn rules_string(ctx: &mut FileCtx, gc: &GroupCtx, text: &str) -> Vec<SuricataRule> {
    let mut out = Vec::new();
    for rl in split_rules(text) {
        // The JSON line of a string's content is not indexed; the rule's line
        // within the `RulesString` is kept in `rules_line` and the entry.
        let prov = gc.prov.entry(format!("line {}", rl.line), None);
        match parse_rule(&rl.text, Some(rl.line), prov) {
            Ok(mut rule) => {
                rule.prov = gc.prov.entry(format!("sid:{}", rule.sid), None);
                check_rule(ctx, gc, &rule);
                out.push(rule);
            }
            Err(e) => ctx.invalid(
                gc.prov.line,
                gc.resource,
                &format!("RulesString line {}", rl.line),
                format!("{e} in `{}`", rl.text),
            ),
        }
    }
    out
}

/// Non-fatal findings about one stateful rule.
fn check_rule(ctx: &mut FileCtx, gc: &GroupCtx, rule: &SuricataRule) {
    let name = gc.resource.strip_prefix("rulegroup/").unwrap_or(gc.resource);
    if rule.is_approximate() {
        let kws: Vec<String> = rule.unsupported.iter().map(|k| format!("`{k}`")).collect();
        ctx.warn(
            WarningKind::Approximation,
            &rule.prov,
            format!(
                "rule group `{name}` sid {} uses Suricata keywords netprove does not interpret ({}); results that depend on it are approximate",
                rule.sid,
                kws.join(", ")
            ),
        );
    }
    if !rule.action.is_known() {
        ctx.warn(
            WarningKind::Unsupported,
            &rule.prov,
            format!(
                "rule group `{name}` sid {}: action `{}` is not supported by Network Firewall",
                rule.sid, rule.action
            ),
        );
    }
    if !rule.protocol_is_known() {
        ctx.warn(
            WarningKind::Unsupported,
            &rule.prov,
            format!("rule group `{name}` sid {}: unknown protocol `{}`", rule.sid, rule.protocol),
        );
    }
    let v6 = rule.ipv6_addresses();
    if !v6.is_empty() {
        ctx.warn(
            WarningKind::Unsupported,
            &rule.prov,
            format!(
                "rule group `{name}` sid {}: IPv6 addresses {} are not modelled (IPv4 only)",
                rule.sid,
                v6.join(", ")
            ),
        );
    }
    if rule.priority.is_some() && gc.rule_order == RuleOrder::StrictOrder {
        ctx.warn(
            WarningKind::Suspicious,
            &rule.prov,
            format!("rule group `{name}` sid {}: the `priority` keyword is not supported under strict order", rule.sid),
        );
    }
}

fn domain_list(ctx: &mut FileCtx, gc: &GroupCtx, l: WireRulesSourceList) -> Option<DomainList> {
    let res = gc.resource;
    let f = "RuleGroup.RulesSource.RulesSourceList";
    let targets = l.targets.or_else(|| {
        ctx.missing(None, res, &format!("{f}.Targets"));
        None
    });
    let types = l.target_types.or_else(|| {
        ctx.missing(None, res, &format!("{f}.TargetTypes"));
        None
    });
    let grt = match req(ctx, None, res, &format!("{f}.GeneratedRulesType"), &l.generated_rules_type) {
        Some("ALLOWLIST") => Some(GeneratedRulesType::Allowlist),
        Some("DENYLIST") => Some(GeneratedRulesType::Denylist),
        Some("REJECTLIST") => Some(GeneratedRulesType::Rejectlist),
        Some("ALERTLIST") => Some(GeneratedRulesType::Alertlist),
        Some(other) => {
            ctx.invalid(None, res, &format!("{f}.GeneratedRulesType"), format!("unknown value `{other}`"));
            None
        }
        None => None,
    };
    let mut target_types = Vec::new();
    for t in types.iter().flatten() {
        match t.as_str() {
            "TLS_SNI" => target_types.push(DomainTargetType::TlsSni),
            "HTTP_HOST" => target_types.push(DomainTargetType::HttpHost),
            other => {
                ctx.invalid(None, res, &format!("{f}.TargetTypes"), format!("`{other}` is not TLS_SNI or HTTP_HOST"))
            }
        }
    }
    Some(DomainList {
        targets: targets?,
        target_types: {
            types?;
            target_types
        },
        generated_rules_type: grt?,
    })
}
