//! `networking.k8s.io/v1` NetworkPolicy → [`NetworkPolicy`].
//!
//! Files read offline are not defaulted by an API server, so `policyTypes`
//! defaulting is done here, exactly as the Kubernetes docs state: with no
//! `policyTypes`, Ingress always applies and Egress applies iff there are
//! egress rules. Rules of a direction an explicit `policyTypes` omits are
//! ignored (and reported). The API server's validation is repeated so that a
//! hand-written policy that could never have been applied is an error.

use ipnet::{IpNet, Ipv4Net};
use k8s_openapi::api::networking::v1 as api;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::{port_number, protocol, selector, ClusterAcc, ObjCtx};
use crate::ingest::Diagnostics;
use crate::model::k8s::{Cluster, LabelSelector, NetworkPolicy, NpPeer, NpPort, NpRule, PortRef};
use crate::model::{Warning, WarningKind};

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(np) = ctx.typed::<api::NetworkPolicy>(value) else {
        return;
    };
    let errors_before = ctx.diags.errors.len();
    let spec = np.spec.unwrap_or_default();

    // `podSelector` is a struct, not a pointer, in the Go API: missing = `{}`.
    let pod_selector = match &spec.pod_selector {
        Some(s) => selector::convert(ctx, "spec.podSelector", s),
        None => Some(LabelSelector::default()),
    };

    let has_ingress_rules = spec.ingress.as_ref().is_some_and(|r| !r.is_empty());
    let has_egress_rules = spec.egress.as_ref().is_some_and(|r| !r.is_empty());
    let (ingress_type, egress_type) = match spec.policy_types.as_ref().filter(|t| !t.is_empty()) {
        None => (true, has_egress_rules),
        Some(types) => {
            for (i, t) in types.iter().enumerate() {
                if !matches!(t.as_str(), "Ingress" | "Egress") {
                    ctx.invalid(&format!("spec.policyTypes[{i}]"), format!("`{t}` is not `Ingress` or `Egress`"));
                }
            }
            (types.iter().any(|t| t == "Ingress"), types.iter().any(|t| t == "Egress"))
        }
    };

    // Rules are converted (and so validated) even when their direction does
    // not apply: the API server rejects invalid rules either way.
    let ingress: Vec<NpRule> = spec
        .ingress
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, r)| rule(ctx, "ingress", i, "from", r.from.as_deref(), r.ports.as_deref()))
        .collect();
    let egress: Vec<NpRule> = spec
        .egress
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, r)| rule(ctx, "egress", i, "to", r.to.as_deref(), r.ports.as_deref()))
        .collect();
    if has_ingress_rules && !ingress_type {
        ctx.warn(WarningKind::Suspicious, "ingress rules present but policyTypes omits Ingress; ignored");
    }
    if has_egress_rules && !egress_type {
        ctx.warn(WarningKind::Suspicious, "egress rules present but policyTypes omits Egress; ignored");
    }

    if ctx.diags.errors.len() > errors_before {
        return;
    }
    let Some(pod_selector) = pod_selector else {
        return;
    };
    let item = NetworkPolicy {
        namespace: ctx.namespace.clone(),
        name: ctx.name.clone(),
        pod_selector,
        ingress: ingress_type.then_some(ingress),
        egress: egress_type.then_some(egress),
        prov: ctx.prov(),
    };
    let key = ctx.key();
    ctx.insert(&mut acc.cluster.network_policies, key, item);
}

/// One ingress or egress rule; `peer_key` is `from` or `to`.
fn rule(
    ctx: &mut ObjCtx,
    dir: &str,
    index: usize,
    peer_key: &str,
    peers: Option<&[api::NetworkPolicyPeer]>,
    ports: Option<&[api::NetworkPolicyPort]>,
) -> NpRule {
    let prov = ctx.spec_entry(dir, index);
    let field = format!("spec.{dir}[{index}]");
    let peers = match peers {
        None | Some([]) => None,
        Some(list) => Some(
            list.iter()
                .enumerate()
                .filter_map(|(j, p)| peer(ctx, &prov, &format!("{field}.{peer_key}[{j}]"), p))
                .collect(),
        ),
    };
    let ports = match ports {
        None | Some([]) => None,
        Some(list) => {
            Some(list.iter().enumerate().filter_map(|(j, p)| port(ctx, &format!("{field}.ports[{j}]"), p)).collect())
        }
    };
    NpRule { peers, ports, prov }
}

fn peer(ctx: &mut ObjCtx, prov: &crate::model::Provenance, field: &str, p: &api::NetworkPolicyPeer) -> Option<NpPeer> {
    let has_selector = p.namespace_selector.is_some() || p.pod_selector.is_some();
    if let Some(block) = &p.ip_block {
        if has_selector {
            ctx.invalid(field, "`ipBlock` cannot be combined with `podSelector` or `namespaceSelector` in one peer");
            return None;
        }
        return ip_block(ctx, prov, &format!("{field}.ipBlock"), block);
    }
    if !has_selector {
        ctx.invalid(field, "a peer needs `podSelector`, `namespaceSelector` or `ipBlock`");
        return None;
    }
    // Both in one peer: pods matching podSelector in namespaces matching
    // namespaceSelector (AND). A nil namespaceSelector is the policy's own
    // namespace; `{}` is every namespace.
    let namespace_selector = match &p.namespace_selector {
        Some(s) => Some(selector::convert(ctx, &format!("{field}.namespaceSelector"), s)?),
        None => None,
    };
    let pod_selector = match &p.pod_selector {
        Some(s) => Some(selector::convert(ctx, &format!("{field}.podSelector"), s)?),
        None => None,
    };
    Some(NpPeer::Pods { namespace_selector, pod_selector })
}

fn ip_block(ctx: &mut ObjCtx, prov: &crate::model::Provenance, field: &str, b: &api::IPBlock) -> Option<NpPeer> {
    if b.cidr.is_empty() {
        ctx.missing(&format!("{field}.cidr"));
        return None;
    }
    let cidr = match b.cidr.trim().parse::<IpNet>() {
        Ok(IpNet::V4(n)) => n,
        Ok(IpNet::V6(_)) => {
            ctx.warn_at(
                WarningKind::Unsupported,
                prov,
                format!("IPv6 ipBlock `{}` is not modelled; it matches no IPv4 traffic", b.cidr),
            );
            return Some(NpPeer::IpBlock6 { cidr: b.cidr.clone() });
        }
        Err(_) => {
            ctx.invalid(&format!("{field}.cidr"), format!("`{}` is not a CIDR block", b.cidr));
            return None;
        }
    };
    if cidr.trunc() != cidr {
        ctx.warn_at(
            WarningKind::Suspicious,
            prov,
            format!("ipBlock `{}` has host bits set; read as `{}`", b.cidr, cidr.trunc()),
        );
    }
    let cidr = cidr.trunc();
    let mut except = Vec::new();
    let mut ok = true;
    for (i, e) in b.except.iter().flatten().enumerate() {
        let f = format!("{field}.except[{i}]");
        match e.trim().parse::<Ipv4Net>() {
            // The API server requires a strict subset of `cidr`.
            Ok(n) if cidr.contains(&n) && n.prefix_len() > cidr.prefix_len() => except.push(n.trunc()),
            Ok(_) => {
                ctx.invalid(&f, format!("`{e}` is not strictly inside `cidr` `{cidr}`"));
                ok = false;
            }
            Err(_) => {
                ctx.invalid(&f, format!("`{e}` is not an IPv4 CIDR block"));
                ok = false;
            }
        }
    }
    ok.then_some(NpPeer::IpBlock { cidr, except })
}

fn port(ctx: &mut ObjCtx, field: &str, p: &api::NetworkPolicyPort) -> Option<NpPort> {
    let proto = protocol(ctx, &format!("{field}.protocol"), p.protocol.as_deref());
    let port = match &p.port {
        None => None,
        Some(IntOrString::Int(n)) => Some(PortRef::Number(port_number(ctx, &format!("{field}.port"), *n)?)),
        Some(IntOrString::String(s)) if s.is_empty() => {
            ctx.invalid(&format!("{field}.port"), "empty port name");
            return None;
        }
        // A quoted number in a hand-written manifest means the number.
        Some(IntOrString::String(s)) => match s.parse::<i32>() {
            Ok(n) => Some(PortRef::Number(port_number(ctx, &format!("{field}.port"), n)?)),
            Err(_) => Some(PortRef::Name(s.clone())),
        },
    };
    let end_port = match (p.end_port, &port) {
        (None, _) => None,
        (Some(end), Some(PortRef::Number(start))) => {
            let end_field = format!("{field}.endPort");
            let end = port_number(ctx, &end_field, end)?;
            if end < *start {
                ctx.invalid(&end_field, format!("{end} is less than `port` {start}"));
                return None;
            }
            Some(end)
        }
        (Some(_), Some(PortRef::Name(name))) => {
            ctx.invalid(&format!("{field}.endPort"), format!("cannot be used with the named port `{name}`"));
            return None;
        }
        (Some(_), None) => {
            ctx.invalid(&format!("{field}.endPort"), "needs a numeric `port`");
            return None;
        }
    };
    Some(NpPort { protocol: proto?, port, end_port })
}

/// The label the API server sets on every namespace.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A `namespaceSelector` on labels other than `kubernetes.io/metadata.name`
/// cannot be evaluated for a namespace the snapshot has no object for: say
/// so once per such namespace (the verdicts that depend on it are unknown).
pub(super) fn finish(cluster: &Cluster, diags: &mut Diagnostics) {
    let needs_labels = cluster.network_policies.values().find(|np| {
        np.ingress.iter().chain(&np.egress).flatten().flat_map(|r| r.peers.iter().flatten()).any(|p| {
            matches!(p, NpPeer::Pods { namespace_selector: Some(sel), .. }
                if sel.match_labels.keys().chain(sel.match_expressions.iter().map(|r| &r.key))
                    .any(|k| k != NAME_LABEL))
        })
    });
    let Some(np) = needs_labels else { return };
    let mut missing: Vec<&str> = cluster
        .pods
        .values()
        .filter(|p| !cluster.namespaces.contains_key(&p.namespace))
        .map(|p| p.namespace.as_str())
        .collect();
    missing.dedup();
    for ns in missing {
        diags.warnings.push(Warning::at(
            WarningKind::Approximation,
            &np.prov,
            format!(
                "namespace `{ns}` has pods but no Namespace object in the snapshot: namespaceSelectors on labels \
                 other than `kubernetes.io/metadata.name` cannot be evaluated for them, and verdicts that depend \
                 on it are unknown (export namespaces with `kubectl get namespaces -o yaml`)"
            ),
        ));
    }
}
