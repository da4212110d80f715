//! `describe-network-interfaces` → [`Eni`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, parse_ip, req, tags, AwsBuilder, WireTag};
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::{Eni, EniAttachment, EniKind, PrivateIp, Scope};
use crate::model::WarningKind;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireEni {
    pub network_interface_id: Option<String>,
    pub owner_id: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub availability_zone: Option<String>,
    pub interface_type: Option<String>,
    pub description: Option<String>,
    pub requester_id: Option<String>,
    #[serde(default)]
    pub requester_managed: bool,
    pub status: Option<String>,
    pub private_ip_address: Option<String>,
    #[serde(default)]
    pub private_ip_addresses: Vec<WirePrivateIp>,
    #[serde(default)]
    pub ipv4_prefixes: Vec<WirePrefix>,
    #[serde(default)]
    pub ipv6_addresses: Vec<WireIpv6>,
    pub association: Option<WireAssociation>,
    #[serde(default)]
    pub groups: Vec<WireGroupRef>,
    pub attachment: Option<WireAttachment>,
    pub source_dest_check: Option<bool>,
    #[serde(alias = "TagSet")]
    pub tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WirePrivateIp {
    pub private_ip_address: Option<String>,
    #[serde(default)]
    pub primary: bool,
    pub association: Option<WireAssociation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WirePrefix {
    pub ipv4_prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireIpv6 {
    pub ipv6_address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireAssociation {
    pub public_ip: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireGroupRef {
    pub group_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireAttachment {
    pub attachment_id: Option<String>,
    pub instance_id: Option<String>,
    pub instance_owner_id: Option<String>,
    pub device_index: Option<i64>,
    pub status: Option<String>,
}

/// Converts one wire ENI. `path` locates it in the file for line numbers;
/// `defaults` fills fields an instance's embedded ENI omits.
pub(super) fn convert(
    ctx: &mut FileCtx,
    scope: &Scope,
    path: &[&str],
    w: WireEni,
    defaults: Option<(&str, Option<&str>)>,
) -> Option<Eni> {
    let line = ctx.line(path);
    let label = path.join(".");
    let id = req(ctx, line, &label, "NetworkInterfaceId", &w.network_interface_id)?.to_string();
    let subnet_id = req(ctx, line, &id, "SubnetId", &w.subnet_id)?.to_string();
    let vpc_id = req(ctx, line, &id, "VpcId", &w.vpc_id)?.to_string();
    let prov = ctx.prov(path, &id);
    let mut private_ips = Vec::new();
    for (k, p) in w.private_ip_addresses.iter().enumerate() {
        let Some(a) = req(ctx, line, &id, &format!("PrivateIpAddresses[{k}].PrivateIpAddress"), &p.private_ip_address)
        else {
            continue;
        };
        let ip = parse_ip(ctx, line, &id, "PrivateIpAddress", a)?;
        let public_ip = match p.association.as_ref().and_then(|a| a.public_ip.as_deref()) {
            Some(s) => Some(parse_ip(ctx, line, &id, "Association.PublicIp", s)?),
            None => None,
        };
        private_ips.push(PrivateIp { ip, primary: p.primary, public_ip });
    }
    if private_ips.is_empty() {
        // Older or trimmed output: only the top-level primary address.
        let a = req(ctx, line, &id, "PrivateIpAddress", &w.private_ip_address)?;
        let ip = parse_ip(ctx, line, &id, "PrivateIpAddress", a)?;
        let public_ip = match w.association.as_ref().and_then(|a| a.public_ip.as_deref()) {
            Some(s) => Some(parse_ip(ctx, line, &id, "Association.PublicIp", s)?),
            None => None,
        };
        private_ips.push(PrivateIp { ip, primary: true, public_ip });
    } else if let Some(pub_ip) = w.association.as_ref().and_then(|a| a.public_ip.as_deref()) {
        // The top-level association belongs to the primary private IP.
        let ip = parse_ip(ctx, line, &id, "Association.PublicIp", pub_ip)?;
        if let Some(p) = private_ips.iter_mut().find(|p| p.primary) {
            p.public_ip.get_or_insert(ip);
        }
    }
    private_ips.sort_by_key(|p| !p.primary);
    let mut ipv4_prefixes = Vec::new();
    for p in &w.ipv4_prefixes {
        if let Some(s) = &p.ipv4_prefix {
            ipv4_prefixes.push(parse_cidr(ctx, line, &id, "Ipv4Prefixes.Ipv4Prefix", s)?);
        }
    }
    let ipv6_addresses: Vec<String> = w.ipv6_addresses.iter().filter_map(|a| a.ipv6_address.clone()).collect();
    if !ipv6_addresses.is_empty() {
        ctx.warn(WarningKind::Unsupported, &prov, "IPv6 addresses are not modelled (IPv4 only)");
    }
    let interface_type = w.interface_type.unwrap_or_else(|| "interface".into());
    let description = w.description.unwrap_or_default();
    let attachment = w.attachment.map(|a| EniAttachment {
        attachment_id: a.attachment_id,
        instance_id: a.instance_id.or_else(|| defaults.map(|d| d.0.to_string())),
        instance_owner_id: a.instance_owner_id,
        device_index: a.device_index,
        status: a.status,
    });
    let has_instance = attachment.as_ref().is_some_and(|a| a.instance_id.is_some());
    let kind = EniKind::classify(&interface_type, w.requester_id.as_deref(), &description, has_instance);
    let mut scope = scope.clone();
    if let Some(o) = &w.owner_id {
        scope.account = o.clone();
    }
    Some(Eni {
        id,
        scope,
        vpc_id,
        subnet_id,
        availability_zone: w.availability_zone.or_else(|| defaults.and_then(|d| d.1.map(str::to_string))),
        kind,
        interface_type,
        description,
        requester_id: w.requester_id,
        requester_managed: w.requester_managed,
        status: w.status,
        private_ips,
        ipv4_prefixes,
        ipv6_addresses,
        security_groups: w.groups.into_iter().filter_map(|g| g.group_id).collect(),
        attachment,
        source_dest_check: w.source_dest_check,
        tags: tags(&w.tags),
        prov,
    })
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireEni>("NetworkInterfaces", v) {
        let is = i.to_string();
        if let Some(eni) = convert(ctx, scope, &["NetworkInterfaces", &is], w, None) {
            let prov = eni.prov.clone();
            insert(&mut b.net.enis, eni.id.clone(), eni, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
        }
    }
    true
}

/// ENIs seen only inside `describe-instances` are added; the
/// `describe-network-interfaces` form wins when both exist (it is richer).
pub(super) fn finish(b: &mut AwsBuilder, _diags: &mut Diagnostics) {
    for eni in std::mem::take(&mut b.instance_enis) {
        b.net.enis.entry(eni.id.clone()).or_insert(eni);
    }
}
