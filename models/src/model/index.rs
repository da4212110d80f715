//! Derived lookups over a [`Network`]: who owns an IP, which NACL and route
//! table a subnet uses, which IPs a security group covers, and which ENI
//! carries each pod. Pure computation, no IO.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::Ipv4Addr;

use crate::model::aws::EniKind;
use crate::model::k8s::Cluster;
use crate::model::{Network, Warning, WarningKind};

/// Something that owns an IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpOwner {
    /// A private IP (primary or secondary) or delegated prefix of an ENI.
    Eni { eni: String },
    /// A pod (by `cluster`, `namespace/name`) using that address.
    Pod { cluster: String, pod: String },
}

/// How a pod's address is carried by the VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PodAttachment {
    /// A secondary IP (or prefix) on a node ENI: node security groups apply.
    NodeSecondaryIp,
    /// A branch ENI (Security Groups for Pods): the branch's groups apply.
    BranchEni,
    /// `hostNetwork: true`: the pod is the node.
    HostNetwork,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodBinding {
    pub eni: String,
    pub attachment: PodAttachment,
}

#[derive(Debug, Default, Clone)]
pub struct NetworkIndex {
    /// Every owner of each private address (ENIs first, then pods).
    pub ip_owners: HashMap<Ipv4Addr, Vec<IpOwner>>,
    /// ENIs owning addresses through delegated prefixes (checked after exact IPs).
    pub prefix_owners: Vec<(ipnet::Ipv4Net, String)>,
    /// Public (or Elastic) IP → (ENI, private IP it maps to).
    pub public_ips: HashMap<Ipv4Addr, (String, Ipv4Addr)>,
    /// Subnet → NACL (explicit association, else the VPC's default NACL).
    pub subnet_nacl: HashMap<String, String>,
    /// Subnet → route table (explicit association, else the VPC's main table).
    pub subnet_route_table: HashMap<String, String>,
    /// IGW/VGW → its edge-associated (gateway) route table.
    pub gateway_route_table: HashMap<String, String>,
    /// Security group → private IPs of the ENIs carrying it.
    pub sg_members: HashMap<String, Vec<Ipv4Addr>>,
    /// `(cluster, namespace/name)` → the ENI carrying the pod.
    pub pod_bindings: BTreeMap<(String, String), PodBinding>,
    /// Instance → `(cluster, node name)`.
    pub instance_nodes: HashMap<String, (String, String)>,
    /// VPC → its IGW.
    pub vpc_igw: HashMap<String, String>,
}

/// SecurityGroupPolicies act when a pod is created (the VPC resource
/// controller's webhook), so the branch ENI in the snapshot is what applies.
/// Says when the policies of the pod's namespace (podSelector AND
/// serviceAccountSelector, groups unioned) would give another answer.
fn sgp_consistency(net: &Network, cname: &str, cluster: &Cluster, ix: &NetworkIndex, warnings: &mut Vec<Warning>) {
    if cluster.security_group_policies.is_empty() {
        return;
    }
    for (key, pod) in &cluster.pods {
        let Some(binding) = ix.pod_bindings.get(&(cname.to_string(), key.clone())) else { continue };
        if binding.attachment == PodAttachment::HostNetwork {
            continue;
        }
        let sa = pod.service_account.as_deref().unwrap_or("default");
        let sa_labels = cluster.service_account_labels(&pod.namespace, sa);
        let mut want: BTreeSet<&str> = BTreeSet::new();
        let mut undecided = false;
        for sgp in cluster.security_group_policies.values().filter(|p| p.namespace == pod.namespace) {
            let needs_sa = sgp.service_account_selector.as_ref().is_some_and(|s| !s.is_empty());
            let pod_ok = sgp.pod_selector.as_ref().is_none_or(|s| s.matches(&pod.labels));
            if needs_sa && sa_labels.is_none() && pod_ok {
                undecided = true;
            } else if sgp.selects(&pod.labels, sa_labels) {
                want.extend(sgp.group_ids.iter().map(String::as_str));
            }
        }
        let list = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(", ");
        let message = match binding.attachment {
            PodAttachment::BranchEni if !undecided => {
                let have: BTreeSet<&str> = net
                    .enis
                    .get(&binding.eni)
                    .map(|e| e.security_groups.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                if want.is_empty() {
                    Some(format!(
                        "pod {key} has branch ENI `{}` but no SecurityGroupPolicy of its namespace selects it \
                         (policies changed after the pod was created?); the ENI's groups apply",
                        binding.eni
                    ))
                } else if want != have {
                    Some(format!(
                        "SecurityGroupPolicies select [{}] for pod {key}, but its branch ENI `{}` carries [{}]; \
                         the ENI's groups apply",
                        list(&want),
                        binding.eni,
                        list(&have)
                    ))
                } else {
                    None
                }
            }
            PodAttachment::NodeSecondaryIp if !want.is_empty() => Some(format!(
                "SecurityGroupPolicies select [{}] for pod {key}, but it has no branch ENI (created before the \
                 policy, ENABLE_POD_ENI off, or a node without a trunk ENI); the node ENI's groups apply",
                list(&want)
            )),
            _ => None,
        };
        if let Some(m) = message {
            warnings.push(Warning::at(WarningKind::Suspicious, &pod.prov, m));
        }
    }
}

impl NetworkIndex {
    pub fn build(net: &Network) -> (NetworkIndex, Vec<Warning>) {
        let mut ix = NetworkIndex::default();
        let mut warnings = Vec::new();

        for (id, eni) in &net.enis {
            for p in &eni.private_ips {
                ix.ip_owners.entry(p.ip).or_default().push(IpOwner::Eni { eni: id.clone() });
                if let Some(public) = p.public_ip {
                    ix.public_ips.insert(public, (id.clone(), p.ip));
                }
                for g in &eni.security_groups {
                    ix.sg_members.entry(g.clone()).or_default().push(p.ip);
                }
            }
            for n in &eni.ipv4_prefixes {
                ix.prefix_owners.push((*n, id.clone()));
            }
        }
        for (ip, owners) in &ix.ip_owners {
            if owners.len() > 1 {
                let enis: Vec<String> = owners
                    .iter()
                    .filter_map(|o| match o {
                        IpOwner::Eni { eni } => Some(eni.clone()),
                        IpOwner::Pod { .. } => None,
                    })
                    .collect();
                if let Some(first) = enis.first().and_then(|e| net.enis.get(e)) {
                    warnings.push(Warning::at(
                        WarningKind::Suspicious,
                        &first.prov,
                        format!("address {ip} is owned by several ENIs ({}); the first is used", enis.join(", ")),
                    ));
                }
            }
        }

        // NACL and route table associations, with VPC defaults.
        let mut default_nacl: HashMap<&str, &str> = HashMap::new();
        for (id, nacl) in &net.nacls {
            if nacl.is_default {
                default_nacl.insert(&nacl.vpc_id, id);
            }
            for s in &nacl.subnets {
                ix.subnet_nacl.insert(s.clone(), id.clone());
            }
        }
        let mut main_rt: HashMap<&str, &str> = HashMap::new();
        for (id, rt) in &net.route_tables {
            if rt.main {
                main_rt.insert(&rt.vpc_id, id);
            }
            for s in &rt.subnets {
                ix.subnet_route_table.insert(s.clone(), id.clone());
            }
            for g in &rt.gateways {
                ix.gateway_route_table.insert(g.clone(), id.clone());
            }
        }
        for (id, subnet) in &net.subnets {
            if !ix.subnet_nacl.contains_key(id) {
                if let Some(n) = default_nacl.get(subnet.vpc_id.as_str()) {
                    ix.subnet_nacl.insert(id.clone(), n.to_string());
                }
            }
            if !ix.subnet_route_table.contains_key(id) {
                if let Some(r) = main_rt.get(subnet.vpc_id.as_str()) {
                    ix.subnet_route_table.insert(id.clone(), r.to_string());
                }
            }
        }
        for (id, igw) in &net.internet_gateways {
            for v in &igw.vpcs {
                ix.vpc_igw.insert(v.clone(), id.clone());
            }
        }

        // Pods onto ENIs.
        for (cname, cluster) in &net.clusters {
            for (node_name, node) in &cluster.nodes {
                if let Some(i) = &node.instance_id {
                    ix.instance_nodes.insert(i.clone(), (cname.clone(), node_name.clone()));
                }
            }
            for (key, pod) in &cluster.pods {
                let Some(ip) = pod.ip else { continue };
                if !pod.is_live() {
                    continue;
                }
                let owner = ix.eni_owning(ip).map(str::to_string);
                match owner {
                    Some(eni_id) => {
                        let kind = net.enis.get(&eni_id).map(|e| e.kind);
                        let attachment = if pod.host_network {
                            PodAttachment::HostNetwork
                        } else if kind == Some(EniKind::EksBranch) {
                            PodAttachment::BranchEni
                        } else {
                            PodAttachment::NodeSecondaryIp
                        };
                        if attachment == PodAttachment::NodeSecondaryIp {
                            if let Some(e) = net.enis.get(&eni_id) {
                                if e.primary_ip() == Some(ip) {
                                    warnings.push(Warning::at(
                                        WarningKind::Suspicious,
                                        &pod.prov,
                                        format!("pod {ip} uses the primary IP of `{eni_id}` but is not hostNetwork"),
                                    ));
                                }
                            }
                        }
                        ix.pod_bindings.insert((cname.clone(), key.clone()), PodBinding { eni: eni_id, attachment });
                    }
                    None => warnings.push(Warning::at(
                        WarningKind::UnownedPodIp,
                        &pod.prov,
                        format!("pod IP {ip} is owned by no ENI in the snapshot; its traffic cannot be placed"),
                    )),
                }
                if !pod.host_network {
                    ix.ip_owners.entry(ip).or_default().push(IpOwner::Pod { cluster: cname.clone(), pod: key.clone() });
                }
            }
            sgp_consistency(net, cname, cluster, &ix, &mut warnings);
        }
        for v in ix.sg_members.values_mut() {
            v.sort();
            v.dedup();
        }
        (ix, warnings)
    }

    /// The ENI whose private IPs or delegated prefixes include `ip`.
    pub fn eni_owning(&self, ip: Ipv4Addr) -> Option<&str> {
        if let Some(owners) = self.ip_owners.get(&ip) {
            for o in owners {
                if let IpOwner::Eni { eni } = o {
                    return Some(eni);
                }
            }
        }
        self.prefix_owners.iter().find(|(n, _)| n.contains(&ip)).map(|(_, e)| e.as_str())
    }

    /// The pod using `ip` (not hostNetwork), if any.
    pub fn pod_at(&self, ip: Ipv4Addr) -> Option<(&str, &str)> {
        self.ip_owners.get(&ip)?.iter().find_map(|o| match o {
            IpOwner::Pod { cluster, pod } => Some((cluster.as_str(), pod.as_str())),
            IpOwner::Eni { .. } => None,
        })
    }
}
