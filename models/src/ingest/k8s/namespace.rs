//! `v1` Namespace → [`Namespace`]: its labels, which namespace selectors match.

use k8s_openapi::api::core::v1 as api;
use serde_json::Value;

use super::{ClusterAcc, ObjCtx};
use crate::model::k8s::Namespace;
use crate::model::WarningKind;

/// The label the API server sets on every namespace.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(ns) = ctx.typed::<api::Namespace>(value) else {
        return;
    };
    let mut labels = ns.metadata.labels.unwrap_or_default();
    let name = ctx.name.clone();
    match labels.get(NAME_LABEL) {
        Some(v) if *v != name => {
            ctx.warn(
                WarningKind::Suspicious,
                format!("label `{NAME_LABEL}={v}` differs from the name; the API server sets it to `{name}`"),
            );
            labels.insert(NAME_LABEL.into(), name.clone());
        }
        Some(_) => {}
        None => {
            labels.insert(NAME_LABEL.into(), name.clone());
        }
    }
    let item = Namespace { name: name.clone(), labels, prov: ctx.prov() };
    ctx.insert(&mut acc.cluster.namespaces, name, item);
}
