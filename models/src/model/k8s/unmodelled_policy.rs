use super::Pod;
use crate::model::Provenance;

/// A policy object of a kind netprove does not model (AdminNetworkPolicy,
/// BaselineAdminNetworkPolicy, ClusterNetworkPolicy, ApplicationNetworkPolicy,
/// Cilium and Calico policies, a `NetworkPolicy` of another API group).
/// Its rules are not read: whatever it allows or denies is unknown, so every
/// NetworkPolicy decision for a pod it may apply to is `unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmodelledPolicy {
    pub kind: String,
    pub api_version: String,
    /// The namespace of a namespaced object: it applies to pods of that
    /// namespace only. `None`: cluster-scoped, it may apply to every pod.
    pub namespace: Option<String>,
    pub name: String,
    pub prov: Provenance,
}

impl UnmodelledPolicy {
    /// Whether the policy may apply to `pod`. hostNetwork pods are never
    /// subjects (NetworkPolicy, AdminNetworkPolicy and Cilium endpoints all
    /// exclude host-networked pods); otherwise any pod in scope may be.
    pub fn may_apply_to(&self, pod: &Pod) -> bool {
        !pod.host_network && self.namespace.as_deref().is_none_or(|ns| ns == pod.namespace)
    }

    /// `Kind namespace/name`, or `Kind name` when cluster-scoped.
    pub fn label(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}
