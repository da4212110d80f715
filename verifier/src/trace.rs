//! `netprove trace`: parse flows, run the concrete evaluator, render results.

use std::fmt::Write as _;

use netprove_models::model::net::parse_protocol;
use netprove_models::Snapshot;
use serde::Deserialize;

use crate::eval::{resolve, EndpointError, Evaluator, Query, TraceResult};

/// One flow as the CLI or a `--flows` line gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowSpec {
    pub from: String,
    pub to: String,
    #[serde(default = "default_proto", deserialize_with = "proto_de")]
    pub proto: String,
    #[serde(default)]
    pub dport: Option<u16>,
    #[serde(default)]
    pub sport: Option<u16>,
    #[serde(default)]
    pub icmp_type: Option<u8>,
    #[serde(default)]
    pub icmp_code: Option<u8>,
    #[serde(default)]
    pub sni: Option<String>,
    #[serde(default)]
    pub http_host: Option<String>,
    /// Test expectations ride along in scenario files; `trace` ignores them.
    #[serde(default, rename = "expect")]
    pub _expect: Option<serde_json::Value>,
    #[serde(default, rename = "blocked_by")]
    pub _blocked_by: Option<serde_json::Value>,
    #[serde(default, rename = "note")]
    pub _note: Option<serde_json::Value>,
}

fn default_proto() -> String {
    "tcp".into()
}

fn proto_de<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("{0}")]
    Endpoint(#[from] EndpointError),
    #[error("unknown protocol `{0}`: use tcp, udp, icmp or a protocol number")]
    Proto(String),
    #[error("{0}")]
    Invalid(String),
}

impl FlowSpec {
    pub fn to_query(&self, snap: &Snapshot) -> Result<Query, FlowError> {
        let from = resolve(&snap.network, &snap.index, &self.from)?;
        let to = resolve(&snap.network, &snap.index, &self.to)?;
        let proto = match parse_protocol(&self.proto) {
            Ok(Some(p)) => p,
            Ok(None) => return Err(FlowError::Invalid("a flow needs one protocol, not `-1`/`all`".into())),
            Err(_) => return Err(FlowError::Proto(self.proto.clone())),
        };
        let has_ports = proto == 6 || proto == 17 || proto == 132;
        let dport = match (self.dport, has_ports) {
            (Some(p), true) => p,
            (None, true) => {
                return Err(FlowError::Invalid(format!("`{}` needs a destination port (--dport)", self.proto)))
            }
            (_, false) => 0,
        };
        Ok(Query {
            from_label: self.from.clone(),
            to_label: self.to.clone(),
            from,
            to,
            proto,
            sport: self.sport.unwrap_or(50000),
            dport,
            icmp: (self.icmp_type.unwrap_or(8), self.icmp_code.unwrap_or(0)),
            sni: self.sni.clone(),
            http_host: self.http_host.clone(),
        })
    }
}

pub fn run(ev: &Evaluator, snap: &Snapshot, spec: &FlowSpec) -> Result<TraceResult, FlowError> {
    let q = spec.to_query(snap)?;
    Ok(ev.trace(&q))
}

pub fn render_json(results: &[TraceResult], single: bool) -> String {
    if single && results.len() == 1 {
        let mut s = serde_json::to_string_pretty(&results[0]).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        return s;
    }
    // Many results: one compact object per line inside the array.
    let mut s = String::from("[\n");
    for (i, r) in results.iter().enumerate() {
        s.push_str(&serde_json::to_string(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")));
        s.push_str(if i + 1 < results.len() { ",\n" } else { "\n" });
    }
    s.push_str("]\n");
    s
}

pub fn render_text(r: &TraceResult) -> String {
    let mut o = String::new();
    render_into(&mut o, r, 0);
    o
}

fn render_into(o: &mut String, r: &TraceResult, indent: usize) {
    let pad = " ".repeat(indent);
    let f = &r.flow;
    let ports = match (f.sport, f.dport) {
        (Some(s), Some(d)) => format!(" {s} -> {d}"),
        _ => match (f.icmp_type, f.icmp_code) {
            (Some(t), Some(c)) => format!(" type {t} code {c}"),
            _ => String::new(),
        },
    };
    let _ = writeln!(o, "{pad}{} -> {}: {} {} -> {}{ports}", r.from, r.to, f.proto, f.src_ip, f.dst_ip);
    let _ = writeln!(o, "{pad}verdict: {}", r.verdict.as_str().to_uppercase());
    if let Some(reason) = &r.reason {
        let _ = writeln!(o, "{pad}reason: {reason}");
    }
    if let Some(b) = &r.blocked_by {
        let _ = writeln!(o, "{pad}blocked by: {b} ({})", r.failed_direction.unwrap_or("request"));
    }
    for (title, hops) in [("request", &r.forward), ("reply", &r.reply)] {
        if hops.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{pad}{title}:");
        for (i, h) in hops.iter().enumerate() {
            let _ = write!(o, "{pad}  {:>2}. {:<8} {:<16} {}", i + 1, h.decision, h.kind, h.node);
            let _ = write!(o, "  {}", h.detail);
            if let Some(rule) = &h.rule {
                let _ = write!(o, "  [{rule}");
                if let Some(l) = &h.location {
                    let _ = write!(o, " @ {l}");
                }
                let _ = write!(o, "]");
            }
            let _ = writeln!(o);
        }
    }
    if !r.approximations.is_empty() {
        let _ = writeln!(o, "{pad}approximations:");
        for a in &r.approximations {
            let _ = writeln!(o, "{pad}  - {a}");
        }
    }
    for b in &r.backends {
        let _ = writeln!(o, "{pad}backend:");
        render_into(o, b, indent + 2);
    }
}

/// Reads a JSON Lines flow file; errors name the file and line.
pub fn read_flows(path: &std::path::Path) -> Result<Vec<FlowSpec>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    parse_flows(&path.display().to_string(), &text)
}

pub fn parse_flows(name: &str, text: &str) -> Result<Vec<FlowSpec>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let spec: FlowSpec = serde_json::from_str(line).map_err(|e| format!("{name}:{}: invalid flow: {e}", i + 1))?;
        out.push(spec);
    }
    Ok(out)
}
