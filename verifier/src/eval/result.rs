//! The result of tracing one connection: verdict, hops both ways, reasons and
//! approximations. Serialised as the stable `trace` JSON (docs/trace.md).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allowed,
    Denied,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Denied => "denied",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One step of a walk: where the packet was, what happened and which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The resource (`eni-…`, `acl-…`, `rtb-…`, `tgw-rtb-…`, `igw-…`, a
    /// firewall name, `netpol <ns>/<name>`, …).
    pub node: String,
    /// `pod`, `eni`, `security-group`, `nacl`, `route-table`, `igw`, `nat`,
    /// `tgw`, `peering`, `firewall`, `network-policy`, `snat`, `service`, `deliver`.
    pub kind: &'static str,
    /// `allow`, `deny`, `forward`, `translate`, `deliver`, `unknown`.
    pub decision: &'static str,
    /// The deciding rule's provenance, short form (`sg-…/ingress#2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `file:line` of that rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowInfo {
    pub proto: String,
    pub src_ip: String,
    pub dst_ip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sport: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dport: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icmp_type: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icmp_code: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_host: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceResult {
    pub from: String,
    pub to: String,
    pub flow: FlowInfo,
    pub verdict: Verdict,
    /// Why the connection fails, or why the verdict is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The resource that dropped it (denied only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// `request` or `reply`: the direction that failed (denied only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_direction: Option<&'static str>,
    pub forward: Vec<Hop>,
    #[serde(rename = "return")]
    pub reply: Vec<Hop>,
    pub approximations: Vec<String>,
    /// For a Service destination: one result per backend pod.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backends: Vec<TraceResult>,
}
