//! Parsing and resolving `trace` endpoints: an IPv4 address, `eni-…`, `i-…`,
//! `pod:<cluster>/<namespace>/<name>` or `svc:<cluster>/<namespace>/<name>`.

use std::net::Ipv4Addr;

use netprove_models::model::{Network, NetworkIndex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A pod (hostNetwork pods included).
    Pod { cluster: String, pod: String },
    /// An ENI, with the address used (its primary unless an address was named).
    Eni { eni: String, ip: Ipv4Addr },
    /// A Service's ClusterIP: DNAT to each ready backend.
    Service { cluster: String, service: String },
    /// An address no ENI or pod owns: the internet, or on-premises.
    External { ip: Ipv4Addr },
    /// A public IP of an ENI (reached through its VPC's internet gateway).
    PublicIp { ip: Ipv4Addr, eni: String },
}

impl Endpoint {
    pub fn label(&self) -> String {
        match self {
            Endpoint::Pod { cluster, pod } => format!("pod:{cluster}/{pod}"),
            Endpoint::Eni { eni, ip } => format!("{eni} ({ip})"),
            Endpoint::Service { cluster, service } => format!("svc:{cluster}/{service}"),
            Endpoint::External { ip } => ip.to_string(),
            Endpoint::PublicIp { ip, eni } => format!("{ip} (public IP of {eni})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("unknown {kind} `{name}`{}", suggest(.suggestions))]
    Unknown { kind: &'static str, name: String, suggestions: Vec<String> },
    #[error("`{0}` is not an endpoint: use an IPv4 address, `eni-…`, `i-…`, `pod:<cluster>/<namespace>/<name>` or `svc:<cluster>/<namespace>/<name>`")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

fn suggest(s: &[String]) -> String {
    match s.len() {
        0 => String::new(),
        1 => format!("; did you mean `{}`?", s[0]),
        _ => format!("; did you mean one of {}?", s.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Up to three candidates closest to `name`.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> =
        candidates.map(|c| (strsim::jaro_winkler(name, c), c)).filter(|(s, _)| *s > 0.75).collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c.to_string()).collect()
}

pub fn resolve(net: &Network, index: &NetworkIndex, s: &str) -> Result<Endpoint, EndpointError> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("pod:") {
        return resolve_k8s(net, rest, "pod", s).map(|(cluster, pod)| Endpoint::Pod { cluster, pod });
    }
    if let Some(rest) = s.strip_prefix("svc:") {
        return resolve_k8s(net, rest, "service", s).map(|(cluster, service)| Endpoint::Service { cluster, service });
    }
    if s.starts_with("eni-") {
        return match net.enis.get(s) {
            Some(e) => match e.primary_ip() {
                Some(ip) => Ok(Endpoint::Eni { eni: s.to_string(), ip }),
                None => Err(EndpointError::Invalid(format!("ENI `{s}` has no IPv4 address"))),
            },
            None => Err(EndpointError::Unknown {
                kind: "ENI",
                name: s.into(),
                suggestions: closest(s, net.enis.keys().map(String::as_str)),
            }),
        };
    }
    if s.starts_with("i-") {
        let Some(inst) = net.instances.get(s) else {
            return Err(EndpointError::Unknown {
                kind: "instance",
                name: s.into(),
                suggestions: closest(s, net.instances.keys().map(String::as_str)),
            });
        };
        let eni = inst.primary_eni().ok_or_else(|| {
            EndpointError::Invalid(format!("instance `{s}` has no network interface in the snapshot"))
        })?;
        return resolve(net, index, eni);
    }
    if let Ok(ip) = s.parse::<Ipv4Addr>() {
        if let Some((cluster, pod)) = index.pod_at(ip) {
            return Ok(Endpoint::Pod { cluster: cluster.into(), pod: pod.into() });
        }
        if let Some(eni) = index.eni_owning(ip) {
            // A hostNetwork pod shares its node's address: the node's ENI is the endpoint.
            return Ok(Endpoint::Eni { eni: eni.into(), ip });
        }
        if let Some((eni, _)) = index.public_ips.get(&ip) {
            return Ok(Endpoint::PublicIp { ip, eni: eni.clone() });
        }
        for c in net.clusters.values() {
            for (key, svc) in &c.services {
                if svc.cluster_ip == Some(ip) {
                    return Ok(Endpoint::Service { cluster: c.name.clone(), service: key.clone() });
                }
            }
        }
        return Ok(Endpoint::External { ip });
    }
    // A bare name: maybe a pod or tag the user half-remembers.
    let mut candidates: Vec<String> = Vec::new();
    for c in net.clusters.values() {
        candidates.extend(c.pods.keys().map(|k| format!("pod:{}/{k}", c.name)));
    }
    candidates.extend(net.enis.keys().cloned());
    candidates.extend(net.instances.keys().cloned());
    let suggestions = closest(s, candidates.iter().map(String::as_str));
    if suggestions.is_empty() {
        Err(EndpointError::Syntax(s.into()))
    } else {
        Err(EndpointError::Unknown { kind: "endpoint", name: s.into(), suggestions })
    }
}

fn resolve_k8s(net: &Network, rest: &str, kind: &'static str, full: &str) -> Result<(String, String), EndpointError> {
    let parts: Vec<&str> = rest.splitn(3, '/').collect();
    let [cluster, ns, name] = parts.as_slice() else {
        return Err(EndpointError::Invalid(format!(
            "`{full}`: expected `{}:<cluster>/<namespace>/<name>`",
            if kind == "pod" { "pod" } else { "svc" }
        )));
    };
    let Some(c) = net.clusters.get(*cluster) else {
        return Err(EndpointError::Unknown {
            kind: "cluster",
            name: cluster.to_string(),
            suggestions: closest(cluster, net.clusters.keys().map(String::as_str)),
        });
    };
    let key = format!("{ns}/{name}");
    let prefix = if kind == "pod" { "pod" } else { "svc" };
    let exists = if kind == "pod" { c.pods.contains_key(&key) } else { c.services.contains_key(&key) };
    if exists {
        return Ok((cluster.to_string(), key));
    }
    let keys: Vec<String> = if kind == "pod" {
        c.pods.keys().map(|k| format!("{prefix}:{cluster}/{k}")).collect()
    } else {
        c.services.keys().map(|k| format!("{prefix}:{cluster}/{k}")).collect()
    };
    Err(EndpointError::Unknown {
        kind,
        name: full.to_string(),
        suggestions: closest(full, keys.iter().map(String::as_str)),
    })
}
