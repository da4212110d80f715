//! `v1` ServiceAccount → its labels, which SecurityGroupPolicy
//! `serviceAccountSelector`s match.

use k8s_openapi::api::core::v1 as api;
use serde_json::Value;

use super::{ClusterAcc, ObjCtx};

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(sa) = ctx.typed::<api::ServiceAccount>(value) else {
        return;
    };
    let key = ctx.key();
    ctx.insert(&mut acc.cluster.service_accounts, key, sa.metadata.labels.unwrap_or_default());
}
