//! `v1` Node → [`Node`]: internal IPs and the EC2 instance behind it.

use k8s_openapi::api::core::v1 as api;
use serde_json::Value;

use super::{ipv4, ClusterAcc, ObjCtx};
use crate::model::k8s::Node;
use crate::model::WarningKind;

pub(super) fn ingest(acc: &mut ClusterAcc, ctx: &mut ObjCtx, value: &Value) {
    let Some(node) = ctx.typed::<api::Node>(value) else {
        return;
    };
    let labels = node.metadata.labels.unwrap_or_default();
    let mut internal_ips = Vec::new();
    let addresses = node.status.as_ref().and_then(|s| s.addresses.as_ref());
    for (i, a) in addresses.into_iter().flatten().enumerate() {
        if a.type_ == "InternalIP" {
            if let Some(ip) = ipv4(ctx, &format!("status.addresses[{i}].address"), &a.address) {
                internal_ips.push(ip);
            }
        }
    }

    let provider_id = node.spec.as_ref().and_then(|s| s.provider_id.clone()).filter(|p| !p.is_empty());
    let (instance_id, provider_az) = match provider_id.as_deref() {
        Some(p) => match parse_provider_id(p) {
            Some((id, az)) => (Some(id), az),
            None => {
                ctx.warn(
                    WarningKind::Unsupported,
                    format!("providerID `{p}` does not name an EC2 instance; the node is not linked to one"),
                );
                (None, None)
            }
        },
        None => (None, None),
    };
    let availability_zone = provider_az.or_else(|| {
        labels
            .get("topology.kubernetes.io/zone")
            .or_else(|| labels.get("failure-domain.beta.kubernetes.io/zone"))
            .cloned()
    });

    let item = Node {
        name: ctx.name.clone(),
        labels,
        internal_ips,
        provider_id,
        instance_id,
        availability_zone,
        prov: ctx.prov(),
    };
    let key = ctx.name.clone();
    ctx.insert(&mut acc.cluster.nodes, key, item);
}

/// `aws:///us-east-1a/i-0abc…` → (`i-0abc…`, `us-east-1a`). The zone may be
/// missing (`aws:///i-0abc…`); other providers yield `None`.
pub(super) fn parse_provider_id(p: &str) -> Option<(String, Option<String>)> {
    let rest = p.strip_prefix("aws://")?;
    let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let id = parts.iter().find(|s| s.starts_with("i-"))?;
    let az = parts.first().filter(|s| !s.starts_with("i-")).map(|s| s.to_string());
    Some((id.to_string(), az))
}

#[cfg(test)]
mod tests {
    use super::parse_provider_id;

    #[test]
    fn provider_ids() {
        assert_eq!(
            parse_provider_id("aws:///us-east-1a/i-09fec3b5c5a8c54ab"),
            Some(("i-09fec3b5c5a8c54ab".into(), Some("us-east-1a".into())))
        );
        assert_eq!(parse_provider_id("aws:///i-0abc"), Some(("i-0abc".into(), None)));
        assert_eq!(parse_provider_id("aws:///us-east-1a/abc123/fargate-ip-10-0-0-1"), None);
        assert_eq!(parse_provider_id("gce://p/z/n"), None);
    }
}
