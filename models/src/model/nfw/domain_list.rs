//! Domain-list rule groups (`RulesSourceList`).

/// Which field a domain list inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DomainTargetType {
    /// `TLS_SNI`: the server name of a TLS client hello.
    TlsSni,
    /// `HTTP_HOST`: the HTTP `Host` header.
    HttpHost,
}

/// `GeneratedRulesType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GeneratedRulesType {
    Allowlist,
    Denylist,
    Rejectlist,
    Alertlist,
}

/// A domain list. Network Firewall compiles it to Suricata rules; netprove keeps
/// it structured and the verifier encodes the generated semantics directly:
///
/// - Each target matches the SNI (`TLS_SNI`, case-insensitively) or Host
///   (`HTTP_HOST`) of TLS/HTTP flows from `HOME_NET` to `EXTERNAL_NET`
///   (`pass|drop tls $HOME_NET any -> $EXTERNAL_NET any (… flow:to_server, established …)`).
///   `abc.example.com` matches only that name; `.example.com` matches
///   `example.com` and every subdomain (`dotprefix; content:".example.com"; endswith`).
/// - `ALLOWLIST`: matching flows are passed; TLS/HTTP flows from `HOME_NET` that
///   match no target are dropped. Non-TLS/HTTP traffic, and traffic not from
///   `HOME_NET`, is untouched by the group.
/// - `DENYLIST`: matching flows are dropped; `REJECTLIST`: rejected;
///   `ALERTLIST`: alerted only (no effect on forwarding). Everything else is
///   untouched.
/// - The generated rules need an established flow, so under strict order a
///   default `aws:drop_established` is what AWS recommends alongside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainList {
    pub targets: Vec<String>,
    pub target_types: Vec<DomainTargetType>,
    pub generated_rules_type: GeneratedRulesType,
}

impl DomainList {
    /// Does `host` (an SNI or Host value) match one of the targets?
    pub fn matches(&self, host: &str) -> bool {
        self.targets.iter().any(|t| domain_matches(t, host))
    }

    pub fn inspects(&self, t: DomainTargetType) -> bool {
        self.target_types.contains(&t)
    }
}

/// Domain-list target matching: `.example.com` matches `example.com` and its
/// subdomains, anything else matches exactly. Case-insensitive; a trailing
/// dot on the host is ignored.
pub fn domain_matches(target: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let target = target.to_ascii_lowercase();
    match target.strip_prefix('.') {
        Some(base) => host == base || host.ends_with(&target),
        None => host == target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_dot_matches_domain_and_subdomains() {
        assert!(domain_matches(".example.com", "example.com"));
        assert!(domain_matches(".example.com", "a.b.Example.com"));
        assert!(!domain_matches(".example.com", "badexample.com"));
        assert!(domain_matches("api.example.com", "API.example.com."));
        assert!(!domain_matches("api.example.com", "x.api.example.com"));
    }
}
