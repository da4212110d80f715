//! `v1` Pod → [`Pod`]: labels, IPs, node, readiness and named container ports.

use std::net::Ipv4Addr;

use k8s_openapi::api::core::v1 as api;
use serde_json::Value;

use super::{ipv4, port_number, protocol, ClusterAcc, ObjCtx};
use crate::model::k8s::{ContainerPort, Pod};
use crate::model::WarningKind;

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(pod) = ctx.typed::<api::Pod>(value) else {
        return;
    };
    let spec = pod.spec.unwrap_or_default();
    let status = pod.status.unwrap_or_default();

    let ip = pod_ip(ctx, &status);
    let host_ip = match status.host_ip.as_deref() {
        Some(s) if !s.is_empty() => ipv4(ctx, "status.hostIP", s),
        _ => None,
    };
    let ready = status.conditions.iter().flatten().find(|c| c.type_ == "Ready").map(|c| c.status == "True");

    // Named ports come from the containers that serve traffic: regular
    // containers and native sidecars (init containers with
    // `restartPolicy: Always`). Other init containers have exited by then.
    let sidecars = spec
        .init_containers
        .iter()
        .flatten()
        .enumerate()
        .filter(|(_, c)| c.restart_policy.as_deref() == Some("Always"));
    let serving = spec
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("spec.containers[{i}]"), c))
        .chain(sidecars.map(|(i, c)| (format!("spec.initContainers[{i}]"), c)));
    let mut container_ports = Vec::new();
    for (cfield, c) in serving {
        for (pi, p) in c.ports.iter().flatten().enumerate() {
            let field = format!("{cfield}.ports[{pi}]");
            let port = port_number(ctx, &format!("{field}.containerPort"), p.container_port);
            let proto = protocol(ctx, &format!("{field}.protocol"), p.protocol.as_deref());
            if let (Some(port), Some(protocol)) = (port, proto) {
                container_ports.push(ContainerPort { name: p.name.clone().filter(|n| !n.is_empty()), port, protocol });
            }
        }
    }

    let owner_kind = pod.metadata.owner_references.iter().flatten().next().map(|o| o.kind.clone());
    let service_account = spec.service_account_name.clone().or(spec.service_account.clone()).filter(|s| !s.is_empty());
    let item = Pod {
        namespace: ctx.namespace.clone(),
        name: ctx.name.clone(),
        labels: pod.metadata.labels.unwrap_or_default(),
        node_name: spec.node_name.filter(|n| !n.is_empty()),
        ip,
        host_ip,
        host_network: spec.host_network.unwrap_or(false),
        phase: status.phase.clone().filter(|p| !p.is_empty()),
        ready,
        service_account,
        container_ports,
        owner_kind,
        prov: ctx.prov(),
    };
    let key = ctx.key();
    ctx.insert(&mut acc.cluster.pods, key, item);
}

/// The pod's IPv4 address: `status.podIP`, or the first IPv4 of
/// `status.podIPs` (dual-stack pods may list IPv6 first).
fn pod_ip(ctx: &mut ObjCtx, status: &api::PodStatus) -> Option<Ipv4Addr> {
    let mut candidates: Vec<(String, &str)> = Vec::new();
    if let Some(ip) = status.pod_ip.as_deref().filter(|s| !s.is_empty()) {
        candidates.push(("status.podIP".into(), ip));
    }
    for (i, p) in status.pod_ips.iter().flatten().enumerate() {
        if !p.ip.is_empty() {
            candidates.push((format!("status.podIPs[{i}].ip"), p.ip.as_str()));
        }
    }
    let mut v6 = None;
    for (field, s) in &candidates {
        match s.trim().parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => return Some(ip),
            Ok(std::net::IpAddr::V6(_)) => {
                v6.get_or_insert_with(|| (*s).to_string());
            }
            Err(_) => {
                ctx.invalid(field, format!("`{s}` is not an IP address"));
                return None;
            }
        }
    }
    if let Some(v6) = v6 {
        ctx.warn(
            WarningKind::Unsupported,
            format!("pod has only an IPv6 address (`{v6}`); netprove models IPv4, so the pod has no address"),
        );
    }
    None
}
