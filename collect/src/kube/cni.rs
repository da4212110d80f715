//! Amazon VPC CNI settings read from the `aws-node` DaemonSet in
//! `kube-system`, for the cluster's `[[cluster]]` entry in snapshot.toml.
//!
//! - `aws-node` container env (the VPC CNI's documented variables):
//!   `AWS_VPC_K8S_CNI_EXTERNALSNAT` (default `false`),
//!   `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS` (comma-separated, default none),
//!   `POD_SECURITY_GROUP_ENFORCING_MODE` (`strict`, the default, or `standard`).
//! - NetworkPolicy enforcement: the network policy agent container
//!   (`aws-eks-nodeagent` in the EKS add-on and the Helm chart,
//!   `aws-network-policy-agent` in some manifests; image
//!   `amazon/aws-network-policy-agent`) and its `--enable-network-policy`
//!   flag (a Go bool flag, default `false`).
//!
//! A setting is inferred only from evidence; each inference records where it
//! came from. A value the DaemonSet takes from elsewhere (`valueFrom`) or one
//! that does not parse is not inferred, and says so.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Container;

/// One inferred setting and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred<T> {
    pub value: T,
    pub source: String,
}

/// What the DaemonSet says about the cluster's data plane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CniSettings {
    pub external_snat: Option<Inferred<bool>>,
    pub exclude_snat_cidrs: Option<Inferred<Vec<String>>>,
    pub pod_security_group_enforcing_mode: Option<Inferred<String>>,
    pub network_policy_enforcement: Option<Inferred<bool>>,
    /// Facts worth saying that are not settings (not inferred, why).
    pub notes: Vec<String>,
}

const AWS_NODE: &str = "aws-node";
const AGENT_NAMES: &[&str] = &["aws-eks-nodeagent", "aws-network-policy-agent"];
const AGENT_IMAGE: &str = "aws-network-policy-agent";
const ENABLE_FLAG: &str = "enable-network-policy";

/// Infers the settings from the DaemonSet. `other_engines` names the other
/// NetworkPolicy engines whose APIs the cluster serves (e.g. `Calico
/// (crd.projectcalico.org)`): with one present, a disabled VPC CNI agent
/// does not mean that NetworkPolicies are not enforced.
pub fn infer(ds: &DaemonSet, other_engines: &[String], has_sgps: bool) -> CniSettings {
    let mut out = CniSettings::default();
    let containers: &[Container] =
        ds.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map_or(&[], |p| &p.containers);
    let Some(node) = containers.iter().find(|c| c.name == AWS_NODE) else {
        out.notes.push(format!("the aws-node DaemonSet has no `{AWS_NODE}` container: no VPC CNI settings inferred"));
        return out;
    };
    let src = |name: &str, raw: &str| format!("aws-node container `{AWS_NODE}` env {name}={raw:?}");
    let default_src = |name: &str| format!("default: {name} is not set on container `{AWS_NODE}` of aws-node");

    // External SNAT.
    const SNAT: &str = "AWS_VPC_K8S_CNI_EXTERNALSNAT";
    match env(node, SNAT) {
        Env::Absent => out.external_snat = Some(Inferred { value: false, source: default_src(SNAT) }),
        Env::Value(raw) => match go_bool(&raw) {
            Some(b) => out.external_snat = Some(Inferred { value: b, source: src(SNAT, &raw) }),
            None => out.notes.push(format!("{SNAT}={raw:?} is not a boolean: external_snat not inferred")),
        },
        Env::From => out.notes.push(format!("{SNAT} is set with valueFrom: external_snat not inferred")),
    }

    // Exclusions from SNAT.
    const EXCLUDE: &str = "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS";
    match env(node, EXCLUDE) {
        Env::Absent => out.exclude_snat_cidrs = Some(Inferred { value: Vec::new(), source: default_src(EXCLUDE) }),
        Env::Value(raw) => {
            let cidrs: Vec<String> =
                raw.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect();
            out.exclude_snat_cidrs = Some(Inferred { value: cidrs, source: src(EXCLUDE, &raw) });
        }
        Env::From => out.notes.push(format!("{EXCLUDE} is set with valueFrom: exclude_snat_cidrs not inferred")),
    }

    // Security groups for pods.
    const MODE: &str = "POD_SECURITY_GROUP_ENFORCING_MODE";
    match env(node, MODE) {
        Env::Absent => {
            out.pod_security_group_enforcing_mode = Some(Inferred { value: "strict".into(), source: default_src(MODE) })
        }
        Env::Value(raw) => match raw.trim().to_ascii_lowercase().as_str() {
            m @ ("strict" | "standard") => {
                out.pod_security_group_enforcing_mode = Some(Inferred { value: m.to_string(), source: src(MODE, &raw) })
            }
            _ => out.notes.push(format!(
                "{MODE}={raw:?} is neither `strict` nor `standard`: pod_security_group_enforcing_mode not inferred"
            )),
        },
        Env::From => {
            out.notes.push(format!("{MODE} is set with valueFrom: pod_security_group_enforcing_mode not inferred"))
        }
    }
    if has_sgps && !matches!(env(node, "ENABLE_POD_ENI"), Env::Value(v) if go_bool(&v) == Some(true)) {
        out.notes.push(
            "the cluster has SecurityGroupPolicies but ENABLE_POD_ENI is not `true` on aws-node: the VPC CNI gives \
             pods no branch ENIs, so those policies have no effect on new pods (netprove still applies them)"
                .into(),
        );
    }

    // NetworkPolicy enforcement.
    let agent = containers.iter().find(|c| {
        AGENT_NAMES.contains(&c.name.as_str()) || c.image.as_deref().is_some_and(|i| i.contains(AGENT_IMAGE))
    });
    let others = if other_engines.is_empty() { String::new() } else { other_engines.join(", ") };
    match agent {
        None => out.notes.push(if others.is_empty() {
            "aws-node has no network policy agent container (VPC CNI before v1.14, or removed): \
             network_policy_enforcement not inferred"
                .to_string()
        } else {
            format!(
                "aws-node has no network policy agent container; NetworkPolicies may be enforced by {others}: \
                 network_policy_enforcement not inferred"
            )
        }),
        Some(c) => match flag(c, ENABLE_FLAG) {
            Flag::Bad(raw) => out.notes.push(format!(
                "container `{}` has --{ENABLE_FLAG}={raw:?}, not a boolean: network_policy_enforcement not inferred",
                c.name
            )),
            Flag::Value(true, raw) => {
                out.network_policy_enforcement =
                    Some(Inferred { value: true, source: format!("aws-node container `{}` arg `{raw}`", c.name) })
            }
            Flag::Value(false, _) | Flag::Absent if !others.is_empty() => out.notes.push(format!(
                "the VPC CNI network policy agent (`{}`) does not enforce NetworkPolicies, but {others} may: \
                 network_policy_enforcement not inferred",
                c.name
            )),
            Flag::Value(false, raw) => {
                out.network_policy_enforcement =
                    Some(Inferred { value: false, source: format!("aws-node container `{}` arg `{raw}`", c.name) })
            }
            Flag::Absent => {
                out.network_policy_enforcement = Some(Inferred {
                    value: false,
                    source: format!("default: container `{}` of aws-node has no --{ENABLE_FLAG} arg", c.name),
                })
            }
        },
    }
    if let Env::Value(mode) = env(node, "NETWORK_POLICY_ENFORCING_MODE") {
        if mode.trim().eq_ignore_ascii_case("strict") {
            out.notes.push(
                "NETWORK_POLICY_ENFORCING_MODE=strict: new pods are denied all traffic until their policies are \
                 applied; netprove models the steady state"
                    .into(),
            );
        }
    }
    out
}

enum Env {
    Absent,
    Value(String),
    /// Set from a ConfigMap, Secret or field: not readable here.
    From,
}

fn env(c: &Container, name: &str) -> Env {
    // The last definition of a name wins, as in the kubelet.
    match c.env.iter().flatten().rev().find(|e| e.name == name) {
        None => Env::Absent,
        Some(e) if e.value_from.is_some() => Env::From,
        Some(e) => Env::Value(e.value.clone().unwrap_or_default()),
    }
}

enum Flag {
    Absent,
    /// The value and the argument as written.
    Value(bool, String),
    Bad(String),
}

/// A Go `flag` bool in a container's command or args: `--name`, `-name`,
/// `--name=value`. The last occurrence wins.
fn flag(c: &Container, name: &str) -> Flag {
    let mut out = Flag::Absent;
    for arg in c.command.iter().flatten().chain(c.args.iter().flatten()) {
        let bare = arg.trim_start_matches('-');
        if bare.len() + 2 < arg.len() || bare.len() == arg.len() {
            continue; // not `-name` or `--name`
        }
        if bare == name {
            out = Flag::Value(true, arg.clone());
        } else if let Some(v) = bare.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            out = match go_bool(v) {
                Some(b) => Flag::Value(b, arg.clone()),
                None => Flag::Bad(v.to_string()),
            };
        }
    }
    out
}

/// Go's `strconv.ParseBool`, which the VPC CNI and Go flags use.
fn go_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(aws_node_env: serde_json::Value, agent_args: Option<serde_json::Value>) -> DaemonSet {
        let mut containers = vec![
            json!({"name":"aws-node","image":"602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2","env":aws_node_env}),
        ];
        if let Some(args) = agent_args {
            containers.push(json!({"name":"aws-eks-nodeagent","image":"602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6","args":args}));
        }
        serde_json::from_value(
            json!({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"aws-node","namespace":"kube-system"},
            "spec":{"selector":{"matchLabels":{"k8s-app":"aws-node"}},"template":{"spec":{"containers":containers}}}}),
        )
        .unwrap()
    }

    #[test]
    fn env_values_and_agent_flag() {
        let d = ds(
            json!([{"name":"AWS_VPC_K8S_CNI_EXTERNALSNAT","value":"true"},
                   {"name":"AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS","value":"10.50.0.0/16, 192.168.0.0/16"},
                   {"name":"POD_SECURITY_GROUP_ENFORCING_MODE","value":"standard"},
                   {"name":"ENABLE_POD_ENI","value":"true"}]),
            Some(json!(["--enable-ipv6=false", "--enable-network-policy=true"])),
        );
        let s = infer(&d, &[], true);
        assert_eq!(s.external_snat.as_ref().map(|i| i.value), Some(true));
        assert_eq!(
            s.exclude_snat_cidrs.as_ref().map(|i| i.value.clone()),
            Some(vec!["10.50.0.0/16".into(), "192.168.0.0/16".into()])
        );
        assert_eq!(s.pod_security_group_enforcing_mode.as_ref().map(|i| i.value.as_str()), Some("standard"));
        let np = s.network_policy_enforcement.unwrap();
        assert!(np.value);
        assert!(np.source.contains("--enable-network-policy=true"), "{}", np.source);
        assert!(s.notes.is_empty(), "{:?}", s.notes);
    }

    #[test]
    fn defaults_when_unset_and_no_inference_without_evidence() {
        let d = ds(json!([]), Some(json!(["--enable-ipv6=false"])));
        let s = infer(&d, &[], false);
        assert_eq!(s.external_snat.as_ref().map(|i| i.value), Some(false));
        assert!(s.external_snat.unwrap().source.starts_with("default"));
        assert_eq!(s.pod_security_group_enforcing_mode.map(|i| i.value), Some("strict".into()));
        assert_eq!(s.network_policy_enforcement.map(|i| i.value), Some(false));

        // Another engine may enforce: not inferred.
        let s = infer(&d, &["Calico (crd.projectcalico.org)".into()], false);
        assert_eq!(s.network_policy_enforcement, None);
        assert!(s.notes.iter().any(|n| n.contains("Calico")), "{:?}", s.notes);

        // No agent: not inferred.
        let s = infer(&ds(json!([]), None), &[], false);
        assert_eq!(s.network_policy_enforcement, None);
    }

    #[test]
    fn value_from_and_bad_values_are_not_inferred() {
        let d = ds(
            json!([{"name":"AWS_VPC_K8S_CNI_EXTERNALSNAT","valueFrom":{"configMapKeyRef":{"name":"cni","key":"snat"}}},
                   {"name":"POD_SECURITY_GROUP_ENFORCING_MODE","value":"loose"}]),
            Some(json!(["--enable-network-policy=maybe"])),
        );
        let s = infer(&d, &[], false);
        assert_eq!(s.external_snat, None);
        assert_eq!(s.pod_security_group_enforcing_mode, None);
        assert_eq!(s.network_policy_enforcement, None);
        assert_eq!(s.notes.len(), 3, "{:?}", s.notes);
    }

    #[test]
    fn go_flags() {
        let c: Container = serde_json::from_value(json!({"name":"a","args":["-enable-network-policy"]})).unwrap();
        assert!(matches!(flag(&c, ENABLE_FLAG), Flag::Value(true, _)));
        let c: Container = serde_json::from_value(
            json!({"name":"a","args":["---enable-network-policy=true","--enable-network-policy-x=true"]}),
        )
        .unwrap();
        assert!(matches!(flag(&c, ENABLE_FLAG), Flag::Absent));
    }
}
