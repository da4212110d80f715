//! API discovery: which resources to list, from what the API server serves.
//!
//! The kinds netprove models are required (a cluster without them is an
//! error), except the SecurityGroupPolicy CRD, which is optional. Policy
//! kinds netprove does not model are collected whenever their API group is
//! served, so that ingestion reports them instead of silently missing them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{ApiClient, HttpStatus};
use super::KubeError;

/// Why a resource is collected, which decides how a failure is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Modelled and always served: any failure is an error.
    Required,
    /// Modelled but optional (a CRD): a failure is a warning.
    Optional,
    /// A policy kind netprove does not model: collected so that ingestion
    /// reports it; a failure is a warning.
    UnmodelledPolicy,
}

/// One resource to list across all namespaces.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    /// The plural resource name (`pods`).
    pub plural: String,
    pub kind: String,
    pub role: Role,
}

impl Resource {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The collection path: `/api/v1/pods`, `/apis/networking.k8s.io/v1/networkpolicies`.
    pub fn path(&self) -> String {
        format!("{}/{}", group_version_path(&self.group, &self.version), self.plural)
    }

    /// `pods`, or `pods.<group>` outside the core group (kubectl's spelling).
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The output file: `<plural>.json` for modelled kinds,
    /// `<plural>.<group>.json` for the others (several groups define a
    /// `NetworkPolicy`).
    pub fn file_name(&self) -> String {
        match self.role {
            Role::UnmodelledPolicy => format!("{}.json", self.qualified()),
            Role::Required | Role::Optional => format!("{}.json", self.plural),
        }
    }
}

/// The API group of SecurityGroupPolicy (VPC resource controller CRD).
pub const SGP_GROUP: &str = "vpcresources.k8s.aws";
/// The only SecurityGroupPolicy version ingestion reads.
pub const SGP_VERSION: &str = "v1beta1";

/// API groups whose `*Policy` kinds can allow or deny pod traffic and that
/// netprove does not model.
pub const UNMODELLED_POLICY_GROUPS: &[(&str, &str)] = &[
    ("policy.networking.k8s.io", "AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy"),
    ("networking.k8s.aws", "AWS ClusterNetworkPolicy, ApplicationNetworkPolicy"),
    ("cilium.io", "Cilium"),
    ("projectcalico.org", "Calico API server"),
    ("crd.projectcalico.org", "Calico CRDs"),
    ("crd.antrea.io", "Antrea"),
];

/// Groups served by other NetworkPolicy engines: when present, NetworkPolicy
/// enforcement cannot be inferred from the VPC CNI alone.
pub const OTHER_POLICY_ENGINES: &[(&str, &str)] = &[
    ("crd.projectcalico.org", "Calico"),
    ("projectcalico.org", "Calico"),
    ("cilium.io", "Cilium"),
    ("crd.antrea.io", "Antrea"),
];

/// What to collect, and what discovery found worth saying.
#[derive(Debug, Default)]
pub struct Plan {
    pub resources: Vec<Resource>,
    /// Every API group the server serves.
    pub groups: BTreeMap<String, Group>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Versions, the preferred one first.
    pub versions: Vec<String>,
}

/// One entry of an `APIResourceList`.
#[derive(Debug, Clone)]
struct ApiResource {
    name: String,
    kind: String,
    verbs: Vec<String>,
}

pub async fn plan(api: &ApiClient) -> Result<Plan, KubeError> {
    let mut plan = Plan::default();

    // The core group.
    let versions = required(api, "API versions", "/api").await?;
    let served_v1 = versions
        .get("versions")
        .and_then(Value::as_array)
        .is_some_and(|vs| vs.iter().any(|v| v.as_str() == Some("v1")));
    if !served_v1 {
        return Err(KubeError::MissingApi { what: "core API".into(), api: "v1".into(), path: "/api".into() });
    }
    let core = resource_list(&required(api, "core v1 resources", "/api/v1").await?);
    let core_kinds = [
        ("namespaces", "Namespace"),
        ("nodes", "Node"),
        ("pods", "Pod"),
        ("services", "Service"),
        ("serviceaccounts", "ServiceAccount"),
    ];
    for (plural, kind) in core_kinds {
        plan.resources.push(find(&core, "", "v1", plural, kind, Role::Required)?);
    }

    // Named API groups.
    let groups = required(api, "API groups", "/apis").await?;
    plan.groups = parse_groups(&groups);

    // Endpoints: EndpointSlices (GA since 1.21); the legacy Endpoints API
    // only where discovery.k8s.io/v1 is not served.
    if plan.served("discovery.k8s.io", "v1") {
        let path = group_version_path("discovery.k8s.io", "v1");
        let list = resource_list(&required(api, "discovery.k8s.io/v1 resources", &path).await?);
        plan.resources.push(find(&list, "discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", Role::Required)?);
    } else {
        plan.notes.push("discovery.k8s.io/v1 is not served: Service endpoints are read from v1 Endpoints".into());
        plan.resources.push(find(&core, "", "v1", "endpoints", "Endpoints", Role::Required)?);
    }

    // NetworkPolicies.
    let path = group_version_path("networking.k8s.io", "v1");
    if !plan.served("networking.k8s.io", "v1") {
        return Err(KubeError::MissingApi {
            what: "networkpolicies".into(),
            api: "networking.k8s.io/v1".into(),
            path: "/apis".into(),
        });
    }
    let list = resource_list(&required(api, "networking.k8s.io/v1 resources", &path).await?);
    plan.resources.push(find(&list, "networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", Role::Required)?);

    // SecurityGroupPolicies: a CRD of the VPC resource controller.
    match plan.groups.get(SGP_GROUP).cloned() {
        None => plan.notes.push(format!(
            "the SecurityGroupPolicy CRD ({SGP_GROUP}) is not installed: no security groups for pods collected"
        )),
        Some(g) if !g.versions.iter().any(|v| v == SGP_VERSION) => plan.warnings.push(format!(
            "{SGP_GROUP} is served in version(s) {} but not {SGP_VERSION}, the one netprove reads: \
             SecurityGroupPolicies NOT collected",
            g.versions.join(", ")
        )),
        Some(_) => {
            let path = group_version_path(SGP_GROUP, SGP_VERSION);
            match optional(api, &format!("{SGP_GROUP}/{SGP_VERSION} resources"), &path).await? {
                Ok(v) => {
                    let list = resource_list(&v);
                    match list.iter().find(|r| r.name == "securitygrouppolicies") {
                        Some(r) if r.verbs.iter().any(|v| v == "list") => plan.resources.push(Resource {
                            group: SGP_GROUP.into(),
                            version: SGP_VERSION.into(),
                            plural: r.name.clone(),
                            kind: r.kind.clone(),
                            role: Role::Optional,
                        }),
                        _ => plan.notes.push(format!(
                            "{SGP_GROUP}/{SGP_VERSION} serves no listable securitygrouppolicies: none collected"
                        )),
                    }
                }
                Err(s) => plan.warnings.push(format!(
                    "GET {}: {}: SecurityGroupPolicies NOT collected (pods' security groups may be wrong)",
                    s.path,
                    s.describe()
                )),
            }
        }
    }

    // Policy kinds netprove does not model.
    for (group, what) in UNMODELLED_POLICY_GROUPS {
        let Some(g) = plan.groups.get(*group).cloned() else {
            continue;
        };
        let mut kinds_seen = std::collections::BTreeSet::new();
        for version in &g.versions {
            let path = group_version_path(group, version);
            let list = match optional(api, &format!("{group}/{version} resources"), &path).await? {
                Ok(v) => resource_list(&v),
                Err(s) => {
                    plan.warnings.push(format!(
                        "GET {}: {}: {what} policies of {group}/{version}, if any, are NOT in the snapshot",
                        s.path,
                        s.describe()
                    ));
                    continue;
                }
            };
            for r in list {
                let is_policy = r.kind.ends_with("Policy") && !r.name.contains('/');
                if !is_policy || !r.verbs.iter().any(|v| v == "list") || !kinds_seen.insert(r.kind.clone()) {
                    continue;
                }
                plan.resources.push(Resource {
                    group: group.to_string(),
                    version: version.clone(),
                    plural: r.name,
                    kind: r.kind,
                    role: Role::UnmodelledPolicy,
                });
            }
        }
    }
    Ok(plan)
}

impl Plan {
    pub fn served(&self, group: &str, version: &str) -> bool {
        self.groups.get(group).is_some_and(|g| g.versions.iter().any(|v| v == version))
    }
}

pub fn group_version_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    }
}

/// A discovery document that must be there.
async fn required(api: &ApiClient, what: &str, path: &str) -> Result<Value, KubeError> {
    match api.get(what, path).await? {
        Ok(v) => Ok(v),
        Err(s) => Err(http_error(what, &s)),
    }
}

async fn optional(api: &ApiClient, what: &str, path: &str) -> Result<Result<Value, HttpStatus>, KubeError> {
    api.get(what, path).await
}

pub fn http_error(what: &str, s: &HttpStatus) -> KubeError {
    let hint = match s.code {
        401 => " (the credentials were refused: check the kubeconfig user)",
        403 => " (RBAC: see docs/collect-kube.md for the ClusterRole the collector needs)",
        _ => "",
    };
    KubeError::Http { what: what.into(), path: s.path.clone(), status: format!("{}{hint}", s.describe()) }
}

fn find(
    list: &[ApiResource],
    group: &str,
    version: &str,
    plural: &str,
    kind: &str,
    role: Role,
) -> Result<Resource, KubeError> {
    match list.iter().find(|r| r.name == plural) {
        Some(r) if r.verbs.iter().any(|v| v == "list") => Ok(Resource {
            group: group.into(),
            version: version.into(),
            plural: plural.into(),
            kind: if r.kind.is_empty() { kind.into() } else { r.kind.clone() },
            role,
        }),
        _ => Err(KubeError::MissingApi {
            what: plural.into(),
            api: if group.is_empty() { version.into() } else { format!("{group}/{version}") },
            path: group_version_path(group, version),
        }),
    }
}

fn resource_list(v: &Value) -> Vec<ApiResource> {
    let s = |r: &Value, k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    v.get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| ApiResource {
            name: s(r, "name"),
            kind: s(r, "kind"),
            verbs: r
                .get("verbs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        })
        .collect()
}

fn parse_groups(v: &Value) -> BTreeMap<String, Group> {
    let mut out = BTreeMap::new();
    for g in v.get("groups").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = g.get("name").and_then(Value::as_str) else {
            continue;
        };
        let preferred = g.get("preferredVersion").and_then(|p| p.get("version")).and_then(Value::as_str);
        let mut versions: Vec<String> = g
            .get("versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.get("version").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        if let Some(p) = preferred {
            if let Some(i) = versions.iter().position(|v| v == p) {
                let p = versions.remove(i);
                versions.insert(0, p);
            }
        }
        out.insert(name.to_string(), Group { versions });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferred_version_comes_first() {
        let v = serde_json::json!({"kind":"APIGroupList","apiVersion":"v1","groups":[
            {"name":"policy.networking.k8s.io","versions":[
                {"groupVersion":"policy.networking.k8s.io/v1alpha2","version":"v1alpha2"},
                {"groupVersion":"policy.networking.k8s.io/v1alpha1","version":"v1alpha1"}],
             "preferredVersion":{"groupVersion":"policy.networking.k8s.io/v1alpha1","version":"v1alpha1"}}]});
        let g = parse_groups(&v);
        assert_eq!(g["policy.networking.k8s.io"].versions, ["v1alpha1", "v1alpha2"]);
    }

    #[test]
    fn paths_and_files() {
        let r = Resource {
            group: "policy.networking.k8s.io".into(),
            version: "v1alpha1".into(),
            plural: "adminnetworkpolicies".into(),
            kind: "AdminNetworkPolicy".into(),
            role: Role::UnmodelledPolicy,
        };
        assert_eq!(r.path(), "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies");
        assert_eq!(r.file_name(), "adminnetworkpolicies.policy.networking.k8s.io.json");
        assert_eq!(r.api_version(), "policy.networking.k8s.io/v1alpha1");
        let p = Resource {
            group: String::new(),
            version: "v1".into(),
            plural: "pods".into(),
            kind: "Pod".into(),
            role: Role::Required,
        };
        assert_eq!(
            (p.path(), p.file_name(), p.api_version()),
            ("/api/v1/pods".into(), "pods.json".into(), "v1".into())
        );
    }
}
