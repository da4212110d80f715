//! Kubernetes objects → model. One file per concept; each exposes an
//! `ingest` function taking one typed-checked object.
//!
//! Files are YAML (multi-document) or JSON, and may hold kubectl Lists
//! ([`docs`]). Objects are deserialized with `k8s-openapi` types, so a field
//! that does not fit is reported with its path. Semantic checks the API server
//! would make (e.g. NetworkPolicy `endPort >= port`) are repeated here, since
//! snapshot files may be hand-written. Kinds netprove does not model are
//! reported as [`WarningKind::Unsupported`], never dropped silently.

mod docs;
mod endpoints;
mod namespace;
mod network_policy;
mod node;
mod pod;
mod security_group_policy;
mod selector;
mod service;
mod service_account;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ipnet::IpNet;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ClusterConfig, Diagnostics, FileNames, IngestError, SnapshotConfig};
use crate::model::k8s::{Cluster, SgEnforcingMode, UnmodelledPolicy};
use crate::model::{Network, Provenance, Warning, WarningKind};

/// Accumulates Kubernetes objects per cluster across files; Endpoints and
/// EndpointSlices are joined to their Services and `snapshot.toml` settings
/// applied in [`K8sBuilder::finish`].
pub struct K8sBuilder {
    config: SnapshotConfig,
    names: FileNames,
    clusters: BTreeMap<String, ClusterAcc>,
}

/// One cluster being built.
struct ClusterAcc {
    cluster: Cluster,
    /// Endpoints objects, keyed by `namespace/name` (= the Service's key).
    endpoints: BTreeMap<String, endpoints::Pending>,
    /// EndpointSlices, keyed by `namespace/name` of the slice.
    slices: BTreeMap<String, endpoints::Pending>,
}

impl ClusterAcc {
    fn new(name: &str) -> Self {
        Self { cluster: Cluster::new(name), endpoints: BTreeMap::new(), slices: BTreeMap::new() }
    }
}

impl K8sBuilder {
    pub fn new(config: &SnapshotConfig) -> Self {
        Self { config: config.clone(), names: FileNames::default(), clusters: BTreeMap::new() }
    }

    /// Ingests one file of `k8s/<cluster>/`; returns the kinds it modelled,
    /// in order of first appearance.
    pub fn ingest_file(&mut self, cluster: &str, path: &str, text: &str, diags: &mut Diagnostics) -> Vec<String> {
        let (objects, lines) = docs::split(path, text, diags);
        let file = self.names.get(path);
        let acc = self.clusters.entry(cluster.to_string()).or_insert_with(|| ClusterAcc::new(cluster));
        let mut kinds: Vec<String> = Vec::new();
        for obj in &objects {
            if ingest_object(acc, cluster, &file, obj, &lines, diags) && !kinds.contains(&obj.kind) {
                kinds.push(obj.kind.clone());
            }
        }
        kinds
    }

    /// Applies `snapshot.toml` cluster settings, joins endpoints to services
    /// and inserts every cluster into `net.clusters`.
    pub fn finish(mut self, net: &mut Network, diags: &mut Diagnostics) {
        let mut configured = BTreeSet::new();
        for cfg in &self.config.clusters {
            if !configured.insert(cfg.name.clone()) {
                diags.warnings.push(Warning::file(
                    WarningKind::Suspicious,
                    "snapshot.toml",
                    format!("cluster `{}` is listed more than once; the first entry is used", cfg.name),
                ));
                continue;
            }
            let acc = self.clusters.entry(cfg.name.clone()).or_insert_with(|| ClusterAcc::new(&cfg.name));
            apply_settings(cfg, &mut acc.cluster, diags);
        }
        for (name, mut acc) in self.clusters {
            if !configured.contains(&name) {
                diags.warnings.push(Warning::file(
                    WarningKind::Suspicious,
                    format!("k8s/{name}"),
                    format!(
                        "no `[[cluster]]` named `{name}` in snapshot.toml; default settings are used \
                         (no VPC, SNAT on, strict pod security group mode, policies enforced)"
                    ),
                ));
            }
            endpoints::finish(&mut acc, diags);
            security_group_policy::finish(&acc.cluster, diags);
            network_policy::finish(&acc.cluster, diags);
            net.clusters.insert(name, acc.cluster);
        }
    }
}

/// Applies one `[[cluster]]` entry.
fn apply_settings(cfg: &ClusterConfig, cluster: &mut Cluster, diags: &mut Diagnostics) {
    cluster.vpc_id = cfg.vpc.clone();
    cluster.account = cfg.account.clone();
    cluster.region = cfg.region.clone();
    cluster.external_snat = cfg.external_snat;
    cluster.network_policy_enforcement = cfg.network_policy_enforcement;
    cluster.sg_enforcing_mode = match cfg.pod_security_group_enforcing_mode.as_str() {
        "standard" => SgEnforcingMode::Standard,
        // INVARIANT: config::parse accepts only `strict` and `standard`.
        _ => SgEnforcingMode::Strict,
    };
    for cidr in &cfg.exclude_snat_cidrs {
        match cidr.trim().parse::<IpNet>() {
            Ok(IpNet::V4(net)) => cluster.exclude_snat_cidrs.push(net.trunc()),
            Ok(IpNet::V6(_)) => diags.warnings.push(Warning::file(
                WarningKind::Unsupported,
                "snapshot.toml",
                format!("cluster `{}`: IPv6 exclude_snat_cidrs entry `{cidr}` is ignored", cfg.name),
            )),
            Err(_) => diags.errors.push(IngestError::InvalidField {
                file: "snapshot.toml".into(),
                line: None,
                resource: format!("cluster `{}`", cfg.name),
                field: "exclude_snat_cidrs".into(),
                message: format!("`{cidr}` is not a CIDR block (e.g. `10.0.0.0/8`)"),
            }),
        }
    }
}

/// Kinds whose objects are workload controllers: their pods are exported as
/// Pod objects.
const WORKLOAD_KINDS: &[&str] =
    &["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"];

/// Policy kinds netprove does not model; they can change verdicts. Except for
/// PolicyEndpoints (see [`is_unmodelled_policy`]) their objects are recorded as
/// [`UnmodelledPolicy`]s, which make the dependent results unknown.
const POLICY_KINDS: &[&str] = &[
    "CiliumNetworkPolicy",
    "CiliumClusterwideNetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "ApplicationNetworkPolicy",
    "GlobalNetworkPolicy",
    "PolicyEndpoint",
    "ClusterPolicyEndpoint",
];

/// The cluster-scoped ones among [`POLICY_KINDS`]: they may apply to every pod
/// of the cluster, whatever `metadata.namespace` says.
const CLUSTER_SCOPED_POLICY_KINDS: &[&str] = &[
    "CiliumClusterwideNetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "GlobalNetworkPolicy",
    "ClusterPolicyEndpoint",
];

/// Whether an object netprove does not read is a policy that can change
/// verdicts: a kind of [`POLICY_KINDS`], or a `NetworkPolicy` of another API
/// group or version (Calico's `projectcalico.org`, Antrea's, `extensions`).
/// PolicyEndpoints are not: the AWS network policy controller derives them
/// from NetworkPolicies, which are modelled. (A ClusterPolicyEndpoint is
/// derived from an AWS ClusterNetworkPolicy, which is not: it is recorded,
/// so a snapshot holding only the derived object stays sound.)
fn is_unmodelled_policy(kind: &str) -> bool {
    (POLICY_KINDS.contains(&kind) && kind != "PolicyEndpoint") || kind == "NetworkPolicy"
}

/// Routes one object to its concept module; returns whether it was modelled.
fn ingest_object(
    acc: &mut ClusterAcc,
    cluster: &str,
    file: &Arc<str>,
    obj: &docs::RawObject,
    lines: &docs::Lines,
    diags: &mut Diagnostics,
) -> bool {
    let (value, kind, api_version, line, origin) =
        (&obj.value, obj.kind.as_str(), obj.api_version.as_str(), obj.line, &obj.origin);
    let (group, version) = match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    let meta = value.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("").to_string();
    let given_ns = meta.and_then(|m| m.get("namespace")).and_then(Value::as_str).filter(|ns| !ns.is_empty());
    // Kinds netprove does not know are namespaced iff they name a namespace.
    let namespaced = match kind {
        "Namespace" | "Node" => false,
        k if CLUSTER_SCOPED_POLICY_KINDS.contains(&k) => false,
        "Pod"
        | "Service"
        | "Endpoints"
        | "ServiceAccount"
        | "EndpointSlice"
        | "NetworkPolicy"
        | "SecurityGroupPolicy"
        | "CiliumNetworkPolicy"
        | "ApplicationNetworkPolicy"
        | "PolicyEndpoint" => true,
        _ => given_ns.is_some(),
    };
    let namespace = match given_ns {
        _ if !namespaced => String::new(),
        Some(ns) => ns.to_string(),
        None => "default".to_string(),
    };
    let resource = if namespaced { format!("{cluster}/{namespace}/{name}") } else { format!("{cluster}/{name}") };
    let mut ctx =
        ObjCtx { file: file.clone(), line, kind: kind.to_string(), resource, namespace, name, obj, lines, diags };

    let modelled: Option<(&str, &str)> = match kind {
        "Namespace" | "Pod" | "Node" | "Service" | "Endpoints" | "ServiceAccount" => Some(("", "v1")),
        "EndpointSlice" => Some(("discovery.k8s.io", "v1")),
        "NetworkPolicy" if group == "networking.k8s.io" || group == "extensions" => Some(("networking.k8s.io", "v1")),
        "SecurityGroupPolicy" => Some(("vpcresources.k8s.aws", "v1beta1")),
        _ => None,
    };
    let Some((want_group, want_version)) = modelled else {
        if is_unmodelled_policy(kind) {
            record_unmodelled(acc, &mut ctx, api_version, None);
        } else {
            unsupported(&mut ctx, group, api_version);
        }
        return false;
    };
    if (group, version) != (want_group, want_version) {
        let want =
            if want_group.is_empty() { want_version.to_string() } else { format!("{want_group}/{want_version}") };
        if is_unmodelled_policy(kind) {
            record_unmodelled(acc, &mut ctx, api_version, Some(&want));
        } else {
            ctx.warn(
                WarningKind::Unsupported,
                format!("`{kind}` with apiVersion `{api_version}` is not read (netprove reads `{want}`); ignored"),
            );
        }
        return false;
    }
    if ctx.name.is_empty() {
        ctx.diags.errors.push(IngestError::MissingField {
            file: file.to_string(),
            line,
            resource: format!("{kind} in {origin}"),
            field: "metadata.name".into(),
        });
        return false;
    }
    match kind {
        "Namespace" => namespace::ingest(acc, &mut ctx, value),
        "Pod" => pod::ingest(acc, &mut ctx, value),
        "Node" => node::ingest(acc, &mut ctx, value),
        "Service" => service::ingest(acc, &mut ctx, value),
        "ServiceAccount" => service_account::ingest(acc, &mut ctx, value),
        "Endpoints" => endpoints::ingest_endpoints(acc, &mut ctx, value),
        "EndpointSlice" => endpoints::ingest_slice(acc, &mut ctx, value),
        "NetworkPolicy" => network_policy::ingest(acc, &mut ctx, value),
        "SecurityGroupPolicy" => security_group_policy::ingest(acc, &mut ctx, value),
        _ => return false,
    }
    true
}

/// Records a policy object netprove does not model on its cluster and warns
/// that the results depending on it are unknown. `reads` is the apiVersion
/// netprove reads for this kind, if it reads the kind at all.
fn record_unmodelled(acc: &mut ClusterAcc, ctx: &mut ObjCtx, api_version: &str, reads: Option<&str>) {
    let kind = ctx.kind.clone();
    let namespace = (!ctx.namespace.is_empty()).then(|| ctx.namespace.clone());
    let scope = match &namespace {
        Some(ns) => format!("pods of namespace `{ns}`"),
        None => "every pod of the cluster (hostNetwork pods excepted)".to_string(),
    };
    let what = match reads {
        Some(want) => format!("`{kind}` with apiVersion `{api_version}` is not read (netprove reads `{want}`)"),
        None => format!("`{kind}` (`{api_version}`) is not modelled"),
    };
    ctx.warn(
        WarningKind::Unsupported,
        format!("{what}; traffic it allows or denies is not reflected, so results for {scope} are unknown"),
    );
    let name = if ctx.name.is_empty() { "(unnamed)".to_string() } else { ctx.name.clone() };
    acc.cluster.unmodelled_policies.push(UnmodelledPolicy {
        kind,
        api_version: api_version.to_string(),
        namespace,
        name,
        prov: ctx.prov(),
    });
}

/// Reports a kind netprove does not model (policies: [`record_unmodelled`]).
fn unsupported(ctx: &mut ObjCtx, group: &str, api_version: &str) {
    let kind = ctx.kind.clone();
    let message = if WORKLOAD_KINDS.contains(&kind.as_str()) {
        format!(
            "`{kind}` is not modelled: pods are read from Pod objects (export them with `kubectl get pods -A -o yaml`); ignored"
        )
    } else if kind == "PolicyEndpoint" {
        format!(
            "`{kind}` (`{api_version}`) is not modelled: the AWS network policy controller derives it from NetworkPolicies, which are read; ignored"
        )
    } else if group.ends_with("projectcalico.org") {
        // Calico objects other than policies (network sets, host endpoints,
        // Felix settings) shape what Calico policies do.
        format!("`{kind}` (`{api_version}`) is not modelled; traffic it allows or denies is not reflected in results")
    } else {
        format!("`{kind}` (`{api_version}`) is not modelled; ignored")
    };
    ctx.warn(WarningKind::Unsupported, message);
}

/// Context for one object: where it came from and how to report on it.
pub(super) struct ObjCtx<'a> {
    pub file: Arc<str>,
    pub line: Option<u32>,
    pub kind: String,
    /// `cluster/namespace/name`, or `cluster/name` for cluster-scoped kinds.
    pub resource: String,
    /// Empty for cluster-scoped kinds; `default` when a namespaced object omits it.
    pub namespace: String,
    pub name: String,
    obj: &'a docs::RawObject,
    lines: &'a docs::Lines<'a>,
    pub diags: &'a mut Diagnostics,
}

impl ObjCtx<'_> {
    /// `namespace/name`, the key of namespaced objects.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    pub fn prov(&self) -> Provenance {
        Provenance::new(self.file.clone(), self.line, self.resource.clone())
    }

    /// Provenance of entry `index` of `spec.<key>` (e.g. `ingress[0]`), with
    /// its own line where it can be found.
    pub fn spec_entry(&self, key: &str, index: usize) -> Provenance {
        let line = self.lines.spec_entry_line(self.obj, key, index);
        self.prov().entry(format!("{key}[{index}]"), line)
    }

    fn error_resource(&self) -> String {
        format!("{} {}", self.kind, self.resource)
    }

    pub fn invalid(&mut self, field: &str, message: impl Into<String>) {
        self.diags.errors.push(IngestError::InvalidField {
            file: self.file.to_string(),
            line: self.line,
            resource: self.error_resource(),
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn missing(&mut self, field: &str) {
        self.diags.errors.push(IngestError::MissingField {
            file: self.file.to_string(),
            line: self.line,
            resource: self.error_resource(),
            field: field.into(),
        });
    }

    pub fn warn(&mut self, kind: WarningKind, message: impl Into<String>) {
        let prov = self.prov();
        self.diags.warnings.push(Warning::at(kind, &prov, message));
    }

    pub fn warn_at(&mut self, kind: WarningKind, prov: &Provenance, message: impl Into<String>) {
        self.diags.warnings.push(Warning::at(kind, prov, message));
    }

    /// Deserializes the object into its API type; a field that does not fit
    /// is reported with its path.
    pub fn typed<T: DeserializeOwned>(&mut self, value: &Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(t) => Some(t),
            Err(e) => {
                let path = e.path().to_string();
                let field = if path == "." { "metadata".to_string() } else { path };
                let message = e.into_inner().to_string();
                self.invalid(&field, message);
                None
            }
        }
    }

    /// Inserts an object by key; a duplicate keeps the first definition.
    pub fn insert<T>(&mut self, map: &mut BTreeMap<String, T>, key: String, item: T) {
        if map.contains_key(&key) {
            let kind = self.kind.clone();
            self.warn(
                WarningKind::Suspicious,
                format!("{kind} `{key}` is defined more than once; the first definition is used"),
            );
            return;
        }
        map.insert(key, item);
    }
}

/// An IPv4 address field. IPv6 is reported as unsupported and yields `None`;
/// anything else that is not an address is an error.
pub(super) fn ipv4(ctx: &mut ObjCtx, field: &str, s: &str) -> Option<std::net::Ipv4Addr> {
    match s.trim().parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => Some(ip),
        Ok(std::net::IpAddr::V6(_)) => {
            ctx.warn(WarningKind::Unsupported, format!("IPv6 address `{s}` in `{field}` is ignored (IPv4 only)"));
            None
        }
        Err(_) => {
            ctx.invalid(field, format!("`{s}` is not an IP address"));
            None
        }
    }
}

/// A port number field: 1–65535.
pub(super) fn port_number(ctx: &mut ObjCtx, field: &str, n: i32) -> Option<u16> {
    match u16::try_from(n) {
        Ok(p) if p > 0 => Some(p),
        _ => {
            ctx.invalid(field, format!("{n} is not a port number (1-65535)"));
            None
        }
    }
}

/// A `protocol` field; Kubernetes defaults a missing protocol to TCP.
pub(super) fn protocol(ctx: &mut ObjCtx, field: &str, p: Option<&str>) -> Option<crate::model::k8s::K8sProto> {
    let parsed = crate::model::k8s::K8sProto::parse(p);
    if parsed.is_none() {
        ctx.invalid(field, format!("`{}` is not `TCP`, `UDP` or `SCTP`", p.unwrap_or_default()));
    }
    parsed
}
