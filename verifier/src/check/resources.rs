//! The resources a report's witnesses pass through, as an auditor reads them:
//! the id a hop names, plus the resource's name, description, tags (or pod
//! labels) and where it was defined in the snapshot; and the descriptions of
//! the security group rules that let a witness through. Renderers show these
//! beside the hop ids; every string here comes from the snapshot and must be
//! escaped by whoever renders it.

use std::collections::{BTreeMap, BTreeSet};

use netprove_models::model::Network;
use serde::Serialize;

use crate::eval::{Hop, TraceResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceInfo {
    /// The id as hops name it: `sg-…`, `acl-…`, `pod:cluster/ns/name`, a firewall's name.
    pub id: String,
    /// `security-group`, `nacl`, `route-table`, `eni`, `pod`, …
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `GroupName`, a firewall's name, or the `Name` tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// AWS tags, or a pod's labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// `file:line` in the snapshot.
    pub location: String,
}

/// Resources and rule descriptions referenced by some witnesses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Referenced {
    /// Sorted by id.
    pub resources: Vec<ResourceInfo>,
    /// Security group rule (`sg-…/ingress#0`) → its `Description`.
    pub rule_descriptions: BTreeMap<String, String>,
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn name_tag(tags: &BTreeMap<String, String>) -> Option<String> {
    tags.get("Name").and_then(|n| nonempty(n))
}

/// The ids one hop names: its node (security groups are joined with `+`)
/// and the resource of its rule.
fn hop_ids(h: &Hop) -> impl Iterator<Item = &str> {
    let node = h.node.strip_prefix("netpol ").map_or(h.node.as_str(), |_| "");
    node.split('+').chain(h.rule.as_deref().and_then(|r| r.split('/').next())).filter(|s| !s.is_empty())
}

fn collect_ids<'a>(w: &'a TraceResult, ids: &mut BTreeSet<&'a str>, rules: &mut BTreeSet<&'a str>) {
    ids.insert(w.from.as_str());
    ids.insert(w.to.as_str());
    for h in w.forward.iter().chain(&w.reply) {
        ids.extend(hop_ids(h));
        if let Some(r) = &h.rule {
            rules.insert(r.as_str());
        }
    }
    for b in &w.backends {
        collect_ids(b, ids, rules);
    }
}

/// What the witnesses reference, looked up in the network. Ids that name no
/// resource (an IP address, `vpc-cni`, `internet`) are left out.
pub fn referenced<'a>(net: &Network, witnesses: impl IntoIterator<Item = &'a TraceResult>) -> Referenced {
    let mut ids = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for w in witnesses {
        collect_ids(w, &mut ids, &mut rules);
    }
    let resources = ids.into_iter().filter_map(|id| lookup(net, id)).collect();
    let mut rule_descriptions = BTreeMap::new();
    for rule in rules {
        let Some((sg_id, _)) = rule.split_once('/') else { continue };
        let Some(sg) = net.security_groups.get(sg_id) else { continue };
        let found = sg.ingress.iter().chain(&sg.egress).find(|r| r.prov.short() == rule);
        if let Some(d) = found.and_then(|r| r.description.as_deref()).and_then(nonempty) {
            rule_descriptions.insert(rule.to_string(), d);
        }
    }
    Referenced { resources, rule_descriptions }
}

fn aws(
    id: &str,
    kind: &'static str,
    scope: &netprove_models::model::aws::Scope,
    name: Option<String>,
    description: Option<String>,
    tags: &BTreeMap<String, String>,
    prov: &netprove_models::model::Provenance,
) -> ResourceInfo {
    ResourceInfo {
        id: id.to_string(),
        kind,
        account: nonempty(&scope.account),
        region: nonempty(&scope.region),
        name: name.or_else(|| name_tag(tags)),
        description,
        tags: tags.clone(),
        location: prov.location(),
    }
}

fn lookup(net: &Network, id: &str) -> Option<ResourceInfo> {
    if let Some(key) = id.strip_prefix("pod:") {
        let (cluster, pod) = key.split_once('/')?;
        let c = net.clusters.get(cluster)?;
        let p = c.pods.get(pod)?;
        return Some(ResourceInfo {
            id: id.to_string(),
            kind: "pod",
            account: c.account.clone(),
            region: c.region.clone(),
            name: None,
            description: None,
            tags: p.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            location: p.prov.location(),
        });
    }
    if let Some(sg) = net.security_groups.get(id) {
        let name = nonempty(&sg.name);
        return Some(aws(id, "security-group", &sg.scope, name, nonempty(&sg.description), &sg.tags, &sg.prov));
    }
    if let Some(x) = net.nacls.get(id) {
        return Some(aws(id, "nacl", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.route_tables.get(id) {
        return Some(aws(id, "route-table", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.enis.get(id) {
        return Some(aws(id, "eni", &x.scope, None, nonempty(&x.description), &x.tags, &x.prov));
    }
    if let Some(x) = net.instances.get(id) {
        return Some(aws(id, "instance", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.subnets.get(id) {
        return Some(aws(id, "subnet", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.vpcs.get(id) {
        return Some(aws(id, "vpc", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.internet_gateways.get(id) {
        return Some(aws(id, "internet-gateway", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.nat_gateways.get(id) {
        return Some(aws(id, "nat-gateway", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.vpc_endpoints.get(id) {
        return Some(aws(id, "vpc-endpoint", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.transit_gateways.get(id) {
        return Some(aws(id, "transit-gateway", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.tgw_attachments.get(id) {
        return Some(aws(id, "tgw-attachment", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.tgw_route_tables.get(id) {
        return Some(aws(id, "tgw-route-table", &x.scope, None, None, &x.tags, &x.prov));
    }
    if let Some(x) = net.peerings.get(id) {
        return Some(ResourceInfo {
            id: id.to_string(),
            kind: "vpc-peering",
            account: None,
            region: None,
            name: name_tag(&x.tags),
            description: None,
            tags: x.tags.clone(),
            location: x.prov.location(),
        });
    }
    let fw = net.firewalls.get(id).or_else(|| net.firewalls.values().find(|f| f.name == id))?;
    Some(aws(
        id,
        "network-firewall",
        &fw.scope,
        nonempty(&fw.name),
        fw.description.as_deref().and_then(nonempty),
        &fw.tags,
        &fw.prov,
    ))
}
