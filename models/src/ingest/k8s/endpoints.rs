//! `v1` Endpoints and `discovery.k8s.io/v1` EndpointSlice →
//! [`Service::endpoints`](crate::model::k8s::Service::endpoints).
//!
//! Both are collected per file and joined to their Service in [`finish`]:
//! EndpointSlices (linked by the `kubernetes.io/service-name` label) win over
//! the legacy Endpoints object when a snapshot has both.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1 as discovery;
use serde_json::Value;

use super::{ipv4, ClusterAcc, ObjCtx};
use crate::ingest::Diagnostics;
use crate::model::k8s::ServiceEndpoint;
use crate::model::{Provenance, Warning, WarningKind};

/// The label that ties an EndpointSlice to its Service.
const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// Endpoint addresses waiting to be joined to a Service.
#[derive(Debug)]
pub(super) struct Pending {
    /// `namespace/name` of the Service.
    pub service: String,
    pub addrs: Vec<ServiceEndpoint>,
    pub prov: Provenance,
}

pub(super) fn ingest_endpoints(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(ep) = ctx.typed::<core::Endpoints>(value) else {
        return;
    };
    let mut addrs = Vec::new();
    for (si, subset) in ep.subsets.iter().flatten().enumerate() {
        let lists = [("addresses", true, &subset.addresses), ("notReadyAddresses", false, &subset.not_ready_addresses)];
        for (key, ready, list) in lists {
            for (ai, a) in list.iter().flatten().enumerate() {
                let field = format!("subsets[{si}].{key}[{ai}].ip");
                if let Some(ip) = ipv4(ctx, &field, &a.ip) {
                    addrs.push(ServiceEndpoint { ip, ready, pod: pod_ref(ctx, a.target_ref.as_ref()) });
                }
            }
        }
    }
    let key = ctx.key();
    let item = Pending { service: key.clone(), addrs, prov: ctx.prov() };
    ctx.insert(&mut acc.endpoints, key, item);
}

pub(super) fn ingest_slice(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(slice) = ctx.typed::<discovery::EndpointSlice>(value) else {
        return;
    };
    let Some(service) = slice.metadata.labels.as_ref().and_then(|l| l.get(SERVICE_NAME_LABEL)).cloned() else {
        ctx.warn(
            WarningKind::Suspicious,
            format!("EndpointSlice has no `{SERVICE_NAME_LABEL}` label, so it belongs to no Service; ignored"),
        );
        return;
    };
    match slice.address_type.as_str() {
        "IPv4" => {}
        "" => {
            ctx.missing("addressType");
            return;
        }
        other => {
            ctx.warn(
                WarningKind::Unsupported,
                format!("EndpointSlice with addressType `{other}` is ignored (IPv4 only)"),
            );
            return;
        }
    }
    let mut addrs = Vec::new();
    for (ei, e) in slice.endpoints.iter().enumerate() {
        // The API: a nil `ready` condition means ready.
        let ready = e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true);
        let pod = pod_ref(ctx, e.target_ref.as_ref());
        for (ai, a) in e.addresses.iter().enumerate() {
            if let Some(ip) = ipv4(ctx, &format!("endpoints[{ei}].addresses[{ai}]"), a) {
                addrs.push(ServiceEndpoint { ip, ready, pod: pod.clone() });
            }
        }
    }
    let item = Pending { service: format!("{}/{service}", ctx.namespace), addrs, prov: ctx.prov() };
    let key = ctx.key();
    ctx.insert(&mut acc.slices, key, item);
}

/// `namespace/name` of a `targetRef` naming a pod.
fn pod_ref(ctx: &ObjCtx, r: Option<&core::ObjectReference>) -> Option<String> {
    let r = r?;
    if r.kind.as_deref().is_some_and(|k| k != "Pod") {
        return None;
    }
    let name = r.name.as_deref().filter(|n| !n.is_empty())?;
    let ns = r.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(&ctx.namespace);
    Some(format!("{ns}/{name}"))
}

/// Joins collected endpoints to their services.
pub(super) fn finish(acc: &mut ClusterAcc, diags: &mut Diagnostics) {
    let mut by_service: BTreeMap<String, Vec<ServiceEndpoint>> = BTreeMap::new();
    let mut from_slices = std::collections::BTreeSet::new();
    for p in acc.slices.values() {
        if !acc.cluster.services.contains_key(&p.service) {
            dangling(p, "EndpointSlice", diags);
            continue;
        }
        from_slices.insert(p.service.clone());
        by_service.entry(p.service.clone()).or_default().extend(p.addrs.iter().cloned());
    }
    for p in acc.endpoints.values() {
        if !acc.cluster.services.contains_key(&p.service) {
            dangling(p, "Endpoints", diags);
            continue;
        }
        if !from_slices.contains(&p.service) {
            by_service.entry(p.service.clone()).or_default().extend(p.addrs.iter().cloned());
        }
    }
    for (key, mut addrs) in by_service {
        // One address may appear in several slices: merge, ready if any says so.
        addrs.sort_by(|a, b| a.ip.cmp(&b.ip).then(b.ready.cmp(&a.ready)));
        let mut merged: Vec<ServiceEndpoint> = Vec::with_capacity(addrs.len());
        for a in addrs {
            match merged.last_mut() {
                Some(last) if last.ip == a.ip => {
                    if last.pod.is_none() {
                        last.pod = a.pod;
                    }
                }
                _ => merged.push(a),
            }
        }
        if let Some(svc) = acc.cluster.services.get_mut(&key) {
            svc.endpoints = Some(merged);
        }
    }
}

fn dangling(p: &Pending, kind: &str, diags: &mut Diagnostics) {
    diags.warnings.push(Warning::at(
        WarningKind::DanglingReference,
        &p.prov,
        format!("{kind} refers to Service `{}`, which the snapshot does not contain; ignored", p.service),
    ));
}
