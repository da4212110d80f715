//! `v1` Service → [`Service`]: cluster IP, selector and port mapping.

use k8s_openapi::api::core::v1 as api;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::{ipv4, port_number, protocol, ClusterAcc, ObjCtx};
use crate::model::k8s::{Service, ServicePort, TargetPort};

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(svc) = ctx.typed::<api::Service>(value) else {
        return;
    };
    let spec = svc.spec.unwrap_or_default();
    let service_type = spec.type_.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "ClusterIP".into());
    // `None` marks a headless service; ExternalName services have no IP.
    let cluster_ip = match spec.cluster_ip.as_deref() {
        None | Some("") | Some("None") => None,
        Some(s) => ipv4(ctx, "spec.clusterIP", s),
    };
    // An empty selector is no selector: the endpoints controller ignores it.
    let selector = spec.selector.clone().filter(|s| !s.is_empty());

    let mut ports = Vec::new();
    for (i, p) in spec.ports.iter().flatten().enumerate() {
        let field = format!("spec.ports[{i}]");
        let Some(port) = port_number(ctx, &format!("{field}.port"), p.port) else {
            continue;
        };
        let Some(proto) = protocol(ctx, &format!("{field}.protocol"), p.protocol.as_deref()) else {
            continue;
        };
        let target_port = match &p.target_port {
            None | Some(IntOrString::Int(0)) => TargetPort::Number(port),
            Some(IntOrString::Int(n)) => match port_number(ctx, &format!("{field}.targetPort"), *n) {
                Some(n) => TargetPort::Number(n),
                None => continue,
            },
            Some(IntOrString::String(s)) if s.is_empty() => TargetPort::Number(port),
            // A quoted number in a hand-written manifest means the number.
            Some(IntOrString::String(s)) => match s.parse::<u16>() {
                Ok(n) if n > 0 => TargetPort::Number(n),
                _ => TargetPort::Name(s.clone()),
            },
        };
        let node_port = match p.node_port {
            None | Some(0) => None,
            Some(n) => port_number(ctx, &format!("{field}.nodePort"), n),
        };
        ports.push(ServicePort {
            name: p.name.clone().filter(|n| !n.is_empty()),
            protocol: proto,
            port,
            target_port,
            node_port,
        });
    }

    let item = Service {
        namespace: ctx.namespace.clone(),
        name: ctx.name.clone(),
        service_type,
        cluster_ip,
        selector,
        ports,
        endpoints: None,
        prov: ctx.prov(),
    };
    let key = ctx.key();
    ctx.insert(&mut acc.cluster.services, key, item);
}
