//! `netprove inspect`: what a snapshot contains, per account/region and per
//! cluster, and every warning. The JSON form is stable (`netprove.inspect/v1`,
//! documented in docs/inspect.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use netprove_models::model::{Provenance, Warning};
use netprove_models::Snapshot;
use serde::Serialize;

pub const SCHEMA: &str = "netprove.inspect/v1";

/// Resource kinds counted per account and region, in report order.
pub const AWS_KINDS: &[&str] = &[
    "vpcs",
    "subnets",
    "security_groups",
    "security_group_rules",
    "network_acls",
    "network_acl_entries",
    "route_tables",
    "routes",
    "network_interfaces",
    "instances",
    "internet_gateways",
    "nat_gateways",
    "vpc_peering_connections",
    "vpc_endpoints",
    "prefix_lists",
    "transit_gateways",
    "transit_gateway_attachments",
    "transit_gateway_route_tables",
    "transit_gateway_routes",
    "firewalls",
    "firewall_policies",
    "rule_groups",
];

pub const K8S_KINDS: &[&str] = &[
    "namespaces",
    "pods",
    "host_network_pods",
    "nodes",
    "services",
    "network_policies",
    "security_group_policies",
    "unmodelled_policies",
];

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub snapshot: SnapshotInfo,
    pub aws: Vec<AwsScope>,
    pub clusters: Vec<ClusterInfo>,
    pub totals: BTreeMap<String, usize>,
    pub warnings: Vec<Warning>,
    pub files: Vec<netprove_models::ingest::FileSummary>,
}

#[derive(Debug, Serialize)]
pub struct SnapshotInfo {
    pub name: String,
    pub source: String,
}

#[derive(Debug, Serialize)]
pub struct AwsScope {
    pub account: String,
    pub region: String,
    pub counts: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
pub struct ClusterInfo {
    pub name: String,
    pub vpc: Option<String>,
    pub external_snat: bool,
    pub pod_security_group_enforcing_mode: String,
    pub network_policy_enforcement: bool,
    pub counts: BTreeMap<String, usize>,
    pub pods_on_branch_enis: usize,
}

/// `aws/<account>/<region>/…` → (account, region).
fn scope_of(prov: &Provenance) -> (String, String) {
    let mut parts = prov.file.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("aws"), Some(a), Some(r)) => (a.to_string(), r.to_string()),
        _ => ("unknown".into(), "unknown".into()),
    }
}

pub fn build(snap: &Snapshot, source: &str) -> Report {
    let net = &snap.network;
    let mut scopes: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    let mut add = |prov: &Provenance, kind: &str, n: usize| {
        let counts =
            scopes.entry(scope_of(prov)).or_insert_with(|| AWS_KINDS.iter().map(|k| (k.to_string(), 0)).collect());
        *counts.entry(kind.to_string()).or_default() += n;
    };
    for x in net.vpcs.values() {
        add(&x.prov, "vpcs", 1);
    }
    for x in net.subnets.values() {
        add(&x.prov, "subnets", 1);
    }
    for x in net.security_groups.values() {
        add(&x.prov, "security_groups", 1);
        add(&x.prov, "security_group_rules", x.ingress.len() + x.egress.len());
    }
    for x in net.nacls.values() {
        add(&x.prov, "network_acls", 1);
        add(&x.prov, "network_acl_entries", x.ingress.len() + x.egress.len());
    }
    for x in net.route_tables.values() {
        add(&x.prov, "route_tables", 1);
        add(&x.prov, "routes", x.routes.len());
    }
    for x in net.enis.values() {
        add(&x.prov, "network_interfaces", 1);
    }
    for x in net.instances.values() {
        add(&x.prov, "instances", 1);
    }
    for x in net.internet_gateways.values() {
        add(&x.prov, "internet_gateways", 1);
    }
    for x in net.nat_gateways.values() {
        add(&x.prov, "nat_gateways", 1);
    }
    for x in net.peerings.values() {
        add(&x.prov, "vpc_peering_connections", 1);
    }
    for x in net.vpc_endpoints.values() {
        add(&x.prov, "vpc_endpoints", 1);
    }
    for x in net.prefix_lists.values() {
        add(&x.prov, "prefix_lists", 1);
    }
    for x in net.transit_gateways.values() {
        add(&x.prov, "transit_gateways", 1);
    }
    for x in net.tgw_attachments.values() {
        add(&x.prov, "transit_gateway_attachments", 1);
    }
    for x in net.tgw_route_tables.values() {
        add(&x.prov, "transit_gateway_route_tables", 1);
        add(&x.prov, "transit_gateway_routes", x.routes.as_ref().map_or(0, Vec::len));
    }
    for x in net.firewalls.values() {
        add(&x.prov, "firewalls", 1);
    }
    for x in net.firewall_policies.values() {
        add(&x.prov, "firewall_policies", 1);
    }
    for x in net.rule_groups.values() {
        add(&x.prov, "rule_groups", 1);
    }
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    let aws: Vec<AwsScope> = scopes
        .into_iter()
        .map(|((account, region), counts)| {
            for (k, v) in &counts {
                *totals.entry(k.clone()).or_default() += v;
            }
            AwsScope { account, region, counts }
        })
        .collect();
    let clusters: Vec<ClusterInfo> = net
        .clusters
        .values()
        .map(|c| {
            let host = c.pods.values().filter(|p| p.host_network).count();
            let counts: BTreeMap<String, usize> = [
                ("namespaces", c.namespaces.len()),
                ("pods", c.pods.len()),
                ("host_network_pods", host),
                ("nodes", c.nodes.len()),
                ("services", c.services.len()),
                ("network_policies", c.network_policies.len()),
                ("security_group_policies", c.security_group_policies.len()),
                ("unmodelled_policies", c.unmodelled_policies.len()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            for (k, v) in &counts {
                *totals.entry(k.clone()).or_default() += v;
            }
            let branch = snap
                .index
                .pod_bindings
                .iter()
                .filter(|((cl, _), b)| {
                    cl == &c.name && b.attachment == netprove_models::model::index::PodAttachment::BranchEni
                })
                .count();
            ClusterInfo {
                name: c.name.clone(),
                vpc: c.vpc_id.clone(),
                external_snat: c.external_snat,
                pod_security_group_enforcing_mode: match c.sg_enforcing_mode {
                    netprove_models::model::k8s::SgEnforcingMode::Strict => "strict".into(),
                    netprove_models::model::k8s::SgEnforcingMode::Standard => "standard".into(),
                },
                network_policy_enforcement: c.network_policy_enforcement,
                counts,
                pods_on_branch_enis: branch,
            }
        })
        .collect();
    Report {
        schema: SCHEMA,
        snapshot: SnapshotInfo { name: net.meta.name.clone(), source: source.to_string() },
        aws,
        clusters,
        totals,
        warnings: snap.warnings.clone(),
        files: snap.files.clone(),
    }
}

pub fn render_json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "snapshot `{}` ({})", r.snapshot.name, r.snapshot.source);
    for s in &r.aws {
        let _ = writeln!(out, "\naws account {} region {}", s.account, s.region);
        for k in AWS_KINDS {
            let n = s.counts.get(*k).copied().unwrap_or(0);
            if n > 0 {
                let _ = writeln!(out, "  {:<30} {n:>6}", k.replace('_', " "));
            }
        }
    }
    for c in &r.clusters {
        let _ = writeln!(
            out,
            "\ncluster {} (vpc {}, external_snat={}, pod SG mode {}, network policy {})",
            c.name,
            c.vpc.as_deref().unwrap_or("?"),
            c.external_snat,
            c.pod_security_group_enforcing_mode,
            if c.network_policy_enforcement { "enforced" } else { "not enforced" }
        );
        for k in K8S_KINDS {
            let n = c.counts.get(*k).copied().unwrap_or(0);
            let _ = writeln!(out, "  {:<30} {n:>6}", k.replace('_', " "));
        }
        let _ = writeln!(out, "  {:<30} {:>6}", "pods on branch ENIs", c.pods_on_branch_enis);
    }
    let unrecognised = r.files.iter().filter(|f| f.kinds.is_empty()).count();
    let _ = writeln!(out, "\n{} files read, {} not recognised", r.files.len(), unrecognised);
    if r.warnings.is_empty() {
        let _ = writeln!(out, "no warnings");
    } else {
        let _ = writeln!(out, "{} warnings:", r.warnings.len());
        for w in &r.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
    }
    out
}
