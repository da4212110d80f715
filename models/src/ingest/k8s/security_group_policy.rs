//! `vpcresources.k8s.aws/v1beta1` SecurityGroupPolicy → [`SecurityGroupPolicy`].
//!
//! The CRD is not in `k8s-openapi`, so its wire shape is declared here.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use serde::Deserialize;
use serde_json::Value;

use super::{selector, ClusterAcc, ObjCtx};
use crate::ingest::Diagnostics;
use crate::model::k8s::{Cluster, SecurityGroupPolicy};
use crate::model::{Warning, WarningKind};

#[derive(Debug, Deserialize)]
struct WireSgp {
    #[serde(default)]
    spec: Option<WireSpec>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireSpec {
    #[serde(default)]
    pod_selector: Option<meta::LabelSelector>,
    #[serde(default)]
    service_account_selector: Option<meta::LabelSelector>,
    #[serde(default)]
    security_groups: Option<WireGroups>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireGroups {
    #[serde(default)]
    group_ids: Option<Vec<String>>,
}

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(sgp) = ctx.typed::<WireSgp>(value) else {
        return;
    };
    let spec = sgp.spec.unwrap_or_default();
    let group_ids: Vec<String> = spec
        .security_groups
        .and_then(|g| g.group_ids)
        .unwrap_or_default()
        .into_iter()
        .filter(|g| !g.is_empty())
        .collect();
    let mut ok = true;
    if group_ids.is_empty() {
        // The CRD requires at least one group (MinItems 1).
        ctx.missing("spec.securityGroups.groupIds");
        ok = false;
    }
    if spec.pod_selector.is_none() && spec.service_account_selector.is_none() {
        ctx.invalid("spec", "needs `podSelector` or `serviceAccountSelector` (a policy with neither selects no pods)");
        ok = false;
    }
    let pod_selector = match &spec.pod_selector {
        Some(s) => match selector::convert(ctx, "spec.podSelector", s) {
            Some(s) => Some(s),
            None => return,
        },
        None => None,
    };
    let service_account_selector = match &spec.service_account_selector {
        Some(s) => match selector::convert(ctx, "spec.serviceAccountSelector", s) {
            Some(s) => Some(s),
            None => return,
        },
        None => None,
    };
    if !ok {
        return;
    }
    let item = SecurityGroupPolicy {
        namespace: ctx.namespace.clone(),
        name: ctx.name.clone(),
        pod_selector,
        service_account_selector,
        group_ids,
        prov: ctx.prov(),
    };
    let key = ctx.key();
    ctx.insert(&mut acc.cluster.security_group_policies, key, item);
}

/// A `serviceAccountSelector` can only be evaluated against ServiceAccount
/// objects; say so when the snapshot has none in the policy's namespace.
pub(super) fn finish(cluster: &Cluster, diags: &mut Diagnostics) {
    for sgp in cluster.security_group_policies.values() {
        let Some(sel) = &sgp.service_account_selector else {
            continue;
        };
        if sel.is_empty() {
            continue;
        }
        let prefix = format!("{}/", sgp.namespace);
        if !cluster.service_accounts.keys().any(|k| k.starts_with(&prefix)) {
            diags.warnings.push(Warning::at(
                WarningKind::Approximation,
                &sgp.prov,
                format!(
                    "`serviceAccountSelector` needs ServiceAccount objects, but the snapshot has none in namespace `{}`; \
                     it matches no pods (export them with `kubectl get serviceaccounts -A -o yaml`)",
                    sgp.namespace
                ),
            ));
        }
    }
}
