//! `describe-firewall-policy` → [`FirewallPolicy`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::super::{req, tags, WireTag};
use super::{each, ip_set_def, parse_rule_order, priority};
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
use crate::model::nfw::{
    FirewallPolicy, OverrideAction, RuleOrder, StatefulDefaultAction, StatefulGroupRef, StatelessActions,
    StatelessGroupRef, StreamExceptionPolicy,
};
use crate::model::{Provenance, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePolicyResponse {
    firewall_policy_name: Option<String>,
    firewall_policy_arn: Option<String>,
    firewall_policy_id: Option<String>,
    description: Option<String>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePolicy {
    stateless_rule_group_references: Option<Value>,
    stateless_default_actions: Option<Vec<String>>,
    stateless_fragment_default_actions: Option<Vec<String>>,
    #[serde(default)]
    stateless_custom_actions: Vec<WireCustomAction>,
    stateful_rule_group_references: Option<Value>,
    #[serde(default)]
    stateful_default_actions: Vec<String>,
    stateful_engine_options: Option<WireEngineOptions>,
    #[serde(rename = "TLSInspectionConfigurationArn")]
    tls_inspection_configuration_arn: Option<String>,
    policy_variables: Option<WirePolicyVariables>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireCustomAction {
    pub action_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireEngineOptions {
    rule_order: Option<String>,
    stream_exception_policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePolicyVariables {
    #[serde(default)]
    rule_variables: BTreeMap<String, WireVarDef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireVarDef {
    #[serde(default)]
    pub definition: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatelessRef {
    resource_arn: Option<String>,
    priority: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireStatefulRef {
    resource_arn: Option<String>,
    priority: Option<i64>,
    #[serde(rename = "Override")]
    override_: Option<WireOverride>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireOverride {
    action: Option<String>,
}

fn actions(ctx: &mut FileCtx, prov: &Provenance, field: &str, v: &Option<Vec<String>>) -> Option<StatelessActions> {
    let Some(list) = v else {
        ctx.missing(prov.line, prov.short(), field);
        return None;
    };
    match StatelessActions::parse(list) {
        Ok(a) => Some(a),
        Err(m) => {
            ctx.invalid(prov.line, prov.short(), field, m);
            None
        }
    }
}

pub(super) fn ingest(ctx: &mut FileCtx, scope: &Scope, obj: &Map<String, Value>) -> Option<FirewallPolicy> {
    let Some(resp) = obj.get("FirewallPolicyResponse") else {
        ctx.missing(None, "firewall policy", "FirewallPolicyResponse");
        return None;
    };
    let r = ctx.one::<WirePolicyResponse>("FirewallPolicyResponse", resp)?;
    let fallback =
        r.firewall_policy_name.as_deref().map_or_else(|| "firewall policy".into(), |n| format!("firewall-policy/{n}"));
    let name =
        req(ctx, None, &fallback, "FirewallPolicyResponse.FirewallPolicyName", &r.firewall_policy_name)?.to_string();
    let resource = format!("firewall-policy/{name}");
    let arn = req(ctx, None, &resource, "FirewallPolicyResponse.FirewallPolicyArn", &r.firewall_policy_arn)
        .map(str::to_string);
    let id =
        req(ctx, None, &resource, "FirewallPolicyResponse.FirewallPolicyId", &r.firewall_policy_id).map(str::to_string);
    let p = ctx.one::<WirePolicy>("FirewallPolicy", obj.get("FirewallPolicy")?)?;
    let prov = ctx.prov(&[], &resource);

    let stateless_default = actions(ctx, &prov, "FirewallPolicy.StatelessDefaultActions", &p.stateless_default_actions);
    let fragment_default =
        actions(ctx, &prov, "FirewallPolicy.StatelessFragmentDefaultActions", &p.stateless_fragment_default_actions);

    let opts = p.stateful_engine_options.as_ref();
    let rule_order = parse_rule_order(
        ctx,
        &prov,
        "FirewallPolicy.StatefulEngineOptions.RuleOrder",
        opts.and_then(|o| o.rule_order.as_deref()),
    );
    let stream_exception_policy = match opts.and_then(|o| o.stream_exception_policy.as_deref()) {
        None => StreamExceptionPolicy::default(),
        Some(s) => {
            let sep = StreamExceptionPolicy::parse(s);
            if let StreamExceptionPolicy::Other(o) = &sep {
                ctx.warn(WarningKind::Unsupported, &prov, format!("unknown stream exception policy `{o}`"));
            }
            sep
        }
    };

    // Stateless references, in evaluation order.
    let path = ["FirewallPolicy", "StatelessRuleGroupReferences"];
    let mut stateless_refs = Vec::new();
    for (i, w) in each::<WireStatelessRef>(
        ctx,
        p.stateless_rule_group_references.as_ref(),
        &path,
        &resource,
        "StatelessRuleGroupReferences",
    ) {
        let line = super::line_at(ctx, &path, i);
        let field = format!("StatelessRuleGroupReferences[{i}]");
        let arn = req(ctx, line, &resource, &format!("{field}.ResourceArn"), &w.resource_arn).map(str::to_string);
        let Some(pr) = w.priority else {
            ctx.missing(line, &resource, &format!("{field}.Priority"));
            continue;
        };
        let (Some(arn), Some(pr)) = (arn, priority(ctx, line, &resource, &format!("{field}.Priority"), pr)) else {
            continue;
        };
        stateless_refs.push(StatelessGroupRef {
            arn,
            priority: pr,
            prov: prov.entry(format!("stateless-ref#{i}"), line),
        });
    }
    stateless_refs.sort_by_key(|r| r.priority);
    warn_duplicate_priorities(ctx, &prov, "stateless", stateless_refs.iter().map(|r| r.priority));

    let path = ["FirewallPolicy", "StatefulRuleGroupReferences"];
    let mut stateful_refs = Vec::new();
    for (i, w) in each::<WireStatefulRef>(
        ctx,
        p.stateful_rule_group_references.as_ref(),
        &path,
        &resource,
        "StatefulRuleGroupReferences",
    ) {
        let line = super::line_at(ctx, &path, i);
        let field = format!("StatefulRuleGroupReferences[{i}]");
        let Some(arn) = req(ctx, line, &resource, &format!("{field}.ResourceArn"), &w.resource_arn).map(str::to_string)
        else {
            continue;
        };
        let pr = match w.priority {
            Some(pr) => match priority(ctx, line, &resource, &format!("{field}.Priority"), pr) {
                Some(v) => Some(v),
                None => continue,
            },
            None if rule_order == RuleOrder::StrictOrder => {
                // Strict order evaluates groups by priority, so it is required there.
                ctx.missing(line, &resource, &format!("{field}.Priority"));
                continue;
            }
            None => None,
        };
        let ref_prov = prov.entry(format!("stateful-ref#{i}"), line);
        let override_action = w.override_.and_then(|o| o.action).map(|a| match a.as_str() {
            "DROP_TO_ALERT" => OverrideAction::DropToAlert,
            _ => OverrideAction::Other(a),
        });
        if let Some(OverrideAction::Other(a)) = &override_action {
            ctx.warn(WarningKind::Unsupported, &ref_prov, format!("unknown override action `{a}`"));
        }
        stateful_refs.push(StatefulGroupRef { arn, priority: pr, override_action, prov: ref_prov });
    }
    if rule_order == RuleOrder::StrictOrder {
        stateful_refs.sort_by_key(|r| r.priority);
        warn_duplicate_priorities(ctx, &prov, "stateful", stateful_refs.iter().filter_map(|r| r.priority));
    }

    let mut stateful_default_actions = BTreeSet::new();
    for a in &p.stateful_default_actions {
        let act = StatefulDefaultAction::parse(a);
        if let StatefulDefaultAction::Other(o) = &act {
            ctx.warn(WarningKind::Unsupported, &prov, format!("unknown stateful default action `{o}`"));
        }
        stateful_default_actions.insert(act);
    }
    if rule_order != RuleOrder::StrictOrder && !stateful_default_actions.is_empty() {
        ctx.warn(
            WarningKind::Suspicious,
            &prov,
            "stateful default actions are only valid with strict rule order; AWS ignores or rejects them here",
        );
    }

    let mut variables = BTreeMap::new();
    for (k, def) in p.policy_variables.map(|v| v.rule_variables).unwrap_or_default() {
        let field = format!("FirewallPolicy.PolicyVariables.RuleVariables.{k}");
        variables.insert(k, ip_set_def(ctx, &prov, &field, &def.definition));
    }

    if let Some(tls) = &p.tls_inspection_configuration_arn {
        ctx.warn(
            WarningKind::Approximation,
            &prov,
            format!("TLS inspection (`{tls}`) is not modelled; rules over decrypted traffic are approximated"),
        );
    }

    Some(FirewallPolicy {
        name,
        arn: arn?,
        id: id?,
        scope: scope.clone(),
        description: r.description,
        stateless_refs,
        stateless_default_actions: stateless_default?,
        stateless_fragment_default_actions: fragment_default?,
        stateless_custom_actions: p.stateless_custom_actions.into_iter().filter_map(|c| c.action_name).collect(),
        stateful_refs,
        stateful_default_actions,
        rule_order,
        stream_exception_policy,
        variables,
        tls_inspection_configuration_arn: p.tls_inspection_configuration_arn,
        tags: tags(&r.tags),
        prov,
    })
}

/// Priorities must be unique; `sorted` is in ascending order.
pub(super) fn warn_duplicate_priorities(
    ctx: &mut FileCtx,
    prov: &Provenance,
    what: &str,
    sorted: impl Iterator<Item = u32>,
) {
    let mut prev = None;
    let mut dups = BTreeSet::new();
    for p in sorted {
        if prev == Some(p) {
            dups.insert(p);
        }
        prev = Some(p);
    }
    if !dups.is_empty() {
        let list: Vec<String> = dups.iter().map(u32::to_string).collect();
        ctx.warn(
            WarningKind::Suspicious,
            prov,
            format!("duplicate {what} priorities {} (they must be unique)", list.join(", ")),
        );
    }
}
