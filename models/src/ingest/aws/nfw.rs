//! Network Firewall responses → model: `describe-firewall`,
//! `describe-firewall-policy` and `describe-rule-group`.
//!
//! Each response pairs a resource with its metadata (`Firewall` +
//! `FirewallStatus`, `FirewallPolicy` + `FirewallPolicyResponse`, `RuleGroup` +
//! `RuleGroupResponse`); the pair is read once, when the content key is seen.
//! Resources are collected in [`NfwPending`] and inserted by [`finish`], which
//! also checks the references between them.

mod firewall;
mod policy;
mod rule_group;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{insert, AwsBuilder};
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::Scope;
use crate::model::nfw::{prefix_list_id, Firewall, FirewallPolicy, IpSetDef, RuleGroup, RuleGroupType, RuleOrder};
use crate::model::{Provenance, Warning, WarningKind};

/// Resources read so far, inserted into the network by [`finish`].
#[derive(Default)]
pub struct NfwPending {
    firewalls: Vec<Firewall>,
    policies: Vec<FirewallPolicy>,
    rule_groups: Vec<RuleGroup>,
}

pub(super) fn ingest(
    b: &mut AwsBuilder,
    ctx: &mut FileCtx,
    scope: &Scope,
    key: &str,
    obj: &Map<String, Value>,
) -> bool {
    match key {
        "Firewall" => {
            if let Some(fw) = firewall::ingest(ctx, scope, obj) {
                b.nfw.firewalls.push(fw);
            }
            true
        }
        // Read with `Firewall`; a status on its own says nothing we can model.
        "FirewallStatus" => obj.contains_key("Firewall"),
        "FirewallPolicy" => {
            if let Some(p) = policy::ingest(ctx, scope, obj) {
                b.nfw.policies.push(p);
            }
            true
        }
        "FirewallPolicyResponse" => {
            if !obj.contains_key("FirewallPolicy") {
                let name = obj.get(key).and_then(|r| r.get("FirewallPolicyName")).and_then(Value::as_str);
                ctx.missing(
                    None,
                    name.map_or("firewall policy".into(), |n| format!("firewall-policy/{n}")),
                    "FirewallPolicy",
                );
            }
            true
        }
        "RuleGroup" => {
            if let Some(g) = rule_group::ingest(ctx, scope, obj) {
                b.nfw.rule_groups.push(g);
            }
            true
        }
        "RuleGroupResponse" => {
            if !obj.contains_key("RuleGroup") {
                let name = obj.get(key).and_then(|r| r.get("RuleGroupName")).and_then(Value::as_str);
                ctx.missing(None, name.map_or("rule group".into(), |n| format!("rulegroup/{n}")), "RuleGroup");
            }
            true
        }
        _ => false,
    }
}

pub(super) fn finish(b: &mut AwsBuilder, diags: &mut Diagnostics) {
    let pending = std::mem::take(&mut b.nfw);
    for g in pending.rule_groups {
        let prov = g.prov.clone();
        insert(&mut b.net.rule_groups, g.arn.clone(), g, &prov, |x| Some(x.scope.account.clone()), diags);
    }
    for p in pending.policies {
        let prov = p.prov.clone();
        insert(&mut b.net.firewall_policies, p.arn.clone(), p, &prov, |x| Some(x.scope.account.clone()), diags);
    }
    for f in pending.firewalls {
        let prov = f.prov.clone();
        insert(&mut b.net.firewalls, f.arn.clone(), f, &prov, |x| Some(x.scope.account.clone()), diags);
    }

    let warn = |diags: &mut Diagnostics, kind, prov: &Provenance, msg: String| {
        diags.warnings.push(Warning::at(kind, prov, msg));
    };
    for fw in b.net.firewalls.values() {
        if !b.net.firewall_policies.contains_key(&fw.policy_arn) {
            warn(
                diags,
                WarningKind::DanglingReference,
                &fw.prov,
                format!(
                    "firewall policy `{}` is not in the snapshot; the firewall's verdicts are unknown",
                    fw.policy_arn
                ),
            );
        }
    }
    for p in b.net.firewall_policies.values() {
        for r in &p.stateless_refs {
            match b.net.rule_groups.get(&r.arn) {
                None => warn(
                    diags,
                    WarningKind::DanglingReference,
                    &r.prov,
                    format!("rule group `{}` is not in the snapshot", r.arn),
                ),
                Some(g) if g.rule_type != RuleGroupType::Stateless => warn(
                    diags,
                    WarningKind::Suspicious,
                    &r.prov,
                    format!("stateless reference to `{}`, which is a stateful rule group", g.name),
                ),
                Some(_) => {}
            }
        }
        for r in &p.stateful_refs {
            match b.net.rule_groups.get(&r.arn) {
                None => warn(diags, WarningKind::DanglingReference, &r.prov, format!("rule group `{}` is not in the snapshot", r.arn)),
                Some(g) if !g.rule_type.is_stateful() => warn(
                    diags,
                    WarningKind::Suspicious,
                    &r.prov,
                    format!("stateful reference to `{}`, which is a stateless rule group", g.name),
                ),
                Some(g) if p.rule_order == RuleOrder::StrictOrder && g.rule_order != RuleOrder::StrictOrder => warn(
                    diags,
                    WarningKind::Suspicious,
                    &r.prov,
                    format!(
                        "the policy uses strict order but rule group `{}` uses default action order (AWS rejects this combination)",
                        g.name
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    for g in b.net.rule_groups.values() {
        for (name, arn) in &g.ip_set_references {
            let known = prefix_list_id(arn).is_some_and(|id| b.net.prefix_lists.contains_key(id));
            if !known {
                warn(
                    diags,
                    WarningKind::DanglingReference,
                    &g.prov,
                    format!("IP set reference `@{name}` names `{arn}`, which is not a prefix list in the snapshot"),
                );
            }
        }
    }
}

/// Deserializes each element of the array at `path` (within the file), naming
/// `resource` and `field[i]` in errors. A missing or null array is empty.
fn each<T: DeserializeOwned>(
    ctx: &mut FileCtx,
    value: Option<&Value>,
    path: &[&str],
    resource: &str,
    field: &str,
) -> Vec<(usize, T)> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    let Some(arr) = value.as_array() else {
        ctx.invalid(None, resource, field, "expected an array");
        return Vec::new();
    };
    let mut out = Vec::with_capacity(arr.len());
    for (i, item) in arr.iter().enumerate() {
        match serde_path_to_error::deserialize::<_, T>(item) {
            Ok(t) => out.push((i, t)),
            Err(e) => {
                let line = line_at(ctx, path, i);
                let inner = e.path().to_string();
                let f = if inner == "." { format!("{field}[{i}]") } else { format!("{field}[{i}].{inner}") };
                ctx.invalid(line, resource, &f, e.into_inner().to_string());
            }
        }
    }
    out
}

/// The line of element `i` of the array at `path`.
fn line_at(ctx: &FileCtx, path: &[&str], i: usize) -> Option<u32> {
    let idx = i.to_string();
    let mut p: Vec<&str> = path.to_vec();
    p.push(&idx);
    ctx.line(&p)
}

/// Reads a variable definition list (`IPSets`, policy `RuleVariables`): IPv4
/// CIDRs kept, IPv6 kept as text with a warning, anything else an error.
fn ip_set_def(ctx: &mut FileCtx, prov: &Provenance, field: &str, defs: &[String]) -> IpSetDef {
    let mut out = IpSetDef::default();
    for d in defs {
        if crate::model::net::looks_ipv6(d) {
            out.ipv6.push(d.clone());
        } else if let Some(n) = crate::model::net::parse_cidr(d) {
            out.cidrs.push(n);
        } else {
            ctx.invalid(prov.line, prov.short(), field, format!("`{d}` is not a CIDR"));
        }
    }
    if !out.ipv6.is_empty() {
        ctx.warn(
            WarningKind::Unsupported,
            prov,
            format!("IPv6 entries {} of `{field}` are not modelled (IPv4 only)", out.ipv6.join(", ")),
        );
    }
    out
}

fn parse_rule_order(ctx: &mut FileCtx, prov: &Provenance, field: &str, v: Option<&str>) -> RuleOrder {
    match v {
        None | Some("DEFAULT_ACTION_ORDER") => RuleOrder::DefaultActionOrder,
        Some("STRICT_ORDER") => RuleOrder::StrictOrder,
        Some(other) => {
            ctx.invalid(
                prov.line,
                prov.short(),
                field,
                format!("`{other}` is not DEFAULT_ACTION_ORDER or STRICT_ORDER"),
            );
            RuleOrder::DefaultActionOrder
        }
    }
}

/// A priority in 1..=65535 (the API's `Priority` range).
fn priority(ctx: &mut FileCtx, line: Option<u32>, resource: &str, field: &str, p: i64) -> Option<u32> {
    match u32::try_from(p) {
        Ok(v) if (1..=65535).contains(&v) => Some(v),
        _ => {
            ctx.invalid(line, resource, field, format!("`{p}` is outside 1-65535"));
            None
        }
    }
}
