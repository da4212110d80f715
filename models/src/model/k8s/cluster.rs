use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use super::{Namespace, NetworkPolicy, Node, Pod, SecurityGroupPolicy, Service, UnmodelledPolicy};

/// `POD_SECURITY_GROUP_ENFORCING_MODE` of the VPC CNI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SgEnforcingMode {
    Strict,
    Standard,
}

/// One Kubernetes cluster and its data-plane settings.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub name: String,
    /// The VPC whose addresses pods get (VPC CNI).
    pub vpc_id: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// `AWS_VPC_K8S_CNI_EXTERNALSNAT`.
    pub external_snat: bool,
    /// `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS`.
    pub exclude_snat_cidrs: Vec<Ipv4Net>,
    pub sg_enforcing_mode: SgEnforcingMode,
    pub network_policy_enforcement: bool,
    pub namespaces: BTreeMap<String, Namespace>,
    /// Keyed by `namespace/name`.
    pub pods: BTreeMap<String, Pod>,
    pub nodes: BTreeMap<String, Node>,
    /// Keyed by `namespace/name`.
    pub services: BTreeMap<String, Service>,
    /// Keyed by `namespace/name`.
    pub network_policies: BTreeMap<String, NetworkPolicy>,
    /// Keyed by `namespace/name`.
    pub security_group_policies: BTreeMap<String, SecurityGroupPolicy>,
    /// ServiceAccount labels, keyed by `namespace/name`; SecurityGroupPolicy
    /// `serviceAccountSelector`s match against them.
    pub service_accounts: BTreeMap<String, super::Labels>,
    /// Policy objects of kinds netprove does not model, in snapshot order.
    /// Every NetworkPolicy decision for a pod they may apply to is unknown.
    pub unmodelled_policies: Vec<UnmodelledPolicy>,
}

impl Cluster {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            vpc_id: None,
            account: None,
            region: None,
            external_snat: false,
            exclude_snat_cidrs: Vec::new(),
            sg_enforcing_mode: SgEnforcingMode::Strict,
            network_policy_enforcement: true,
            namespaces: BTreeMap::new(),
            pods: BTreeMap::new(),
            nodes: BTreeMap::new(),
            services: BTreeMap::new(),
            network_policies: BTreeMap::new(),
            security_group_policies: BTreeMap::new(),
            service_accounts: BTreeMap::new(),
            unmodelled_policies: Vec::new(),
        }
    }

    /// Labels of a namespace. A namespace that has no object in the snapshot
    /// still has its automatic `kubernetes.io/metadata.name` label.
    pub fn namespace_labels(&self, ns: &str) -> super::Labels {
        match self.namespaces.get(ns) {
            Some(n) => n.labels.clone(),
            None => [("kubernetes.io/metadata.name".to_string(), ns.to_string())].into_iter().collect(),
        }
    }

    /// The unmodelled policies that may apply to `pod` (none for hostNetwork pods).
    pub fn unmodelled_policies_for(&self, pod: &Pod) -> Vec<&UnmodelledPolicy> {
        self.unmodelled_policies.iter().filter(|u| u.may_apply_to(pod)).collect()
    }

    /// Does a NetworkPolicy `namespaceSelector` select namespace `ns`? A
    /// namespace without an object in the snapshot is known only by its
    /// automatic `kubernetes.io/metadata.name` label: `None` when the answer
    /// depends on its other labels.
    pub fn namespace_selected(&self, sel: &super::LabelSelector, ns: &str) -> Option<bool> {
        match self.namespaces.get(ns) {
            Some(n) => Some(sel.matches(&n.labels)),
            None => sel.matches_known(&self.namespace_labels(ns)),
        }
    }

    /// Labels of a ServiceAccount, if the snapshot has it.
    pub fn service_account_labels(&self, ns: &str, name: &str) -> Option<&super::Labels> {
        self.service_accounts.get(&format!("{ns}/{name}"))
    }
}
