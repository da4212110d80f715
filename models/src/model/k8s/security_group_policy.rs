use super::LabelSelector;
use crate::model::Provenance;

/// `vpcresources.k8s.aws/v1beta1` SecurityGroupPolicy: pods it selects get a
/// branch ENI carrying exactly `group_ids`.
#[derive(Debug, Clone)]
pub struct SecurityGroupPolicy {
    pub namespace: String,
    pub name: String,
    pub pod_selector: Option<LabelSelector>,
    pub service_account_selector: Option<LabelSelector>,
    pub group_ids: Vec<String>,
    pub prov: Provenance,
}

impl SecurityGroupPolicy {
    /// Both selectors, when set, must match (AND); at least one must be set.
    pub fn selects(&self, pod_labels: &super::Labels, sa_labels: Option<&super::Labels>) -> bool {
        if self.pod_selector.is_none() && self.service_account_selector.is_none() {
            return false;
        }
        let pod_ok = self.pod_selector.as_ref().is_none_or(|s| s.matches(pod_labels));
        let sa_ok = match (&self.service_account_selector, sa_labels) {
            (None, _) => true,
            (Some(s), Some(l)) => s.matches(l),
            (Some(s), None) => s.is_empty(),
        };
        pod_ok && sa_ok
    }
}
