//! SARIF 2.1.0 renderer of a check [`Report`], for GitHub code scanning
//! (docs/sarif.md). Plain serde structs, one run, one rule per spec, one
//! result per spec that is violated, unknown or in error (or that fails the
//! gate otherwise); witnesses become code flows. The output is deterministic:
//! the same report gives byte-identical SARIF.

use std::collections::BTreeMap;

use serde::Serialize;

use super::engine::Status;
use super::run::{Report, SpecResult};
use crate::eval::{Hop, TraceResult};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// Placeholder until the project has a public home.
pub const INFORMATION_URI: &str = "https://example.invalid/netprove";
/// The key of netprove's own entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "netprove/v1";

/// GitHub code scanning limits (docs: "SARIF support for code scanning").
const MAX_LOCATIONS: usize = 10;
const MAX_RELATED_LOCATIONS: usize = 100;
const MAX_THREAD_FLOW_LOCATIONS: usize = 1000;
const MAX_TAGS: usize = 20;
const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Rules named in a result's message.
const MAX_KEY_RULES: usize = 4;

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    snapshot: &'a str,
    #[serde(rename = "snapshotSource")]
    snapshot_source: &'a str,
    /// The `--baseline` comparison (ids of new, unchanged, updated, fixed and removed specs).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a super::baseline::BaselineSummary>,
}

/// The snapshot's warnings (unsupported features, dangling references, …)
/// travel as the invocation's tool execution notifications.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    descriptor: Descriptor,
}

#[derive(Serialize)]
struct Descriptor {
    id: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    /// With `--baseline`: `new`, `unchanged` or `updated`.
    #[serde(rename = "baselineState", skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    message: Text,
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: Location,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

/// The report as a SARIF 2.1.0 log (pretty-printed, newline-terminated).
pub fn render(report: &Report) -> String {
    let log = build(report);
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn build(report: &Report) -> SarifLog<'_> {
    // One rule per spec id, sorted by id; the first spec of an id wins.
    let mut by_id: BTreeMap<&str, &SpecResult> = BTreeMap::new();
    for r in &report.results {
        by_id.entry(r.id.as_str()).or_insert(r);
    }
    let index: BTreeMap<&str, usize> = by_id.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Rule> = by_id.values().map(|r| rule(r, &report.snapshot.source)).collect();

    let mut results: Vec<SarifResult> = report
        .results
        .iter()
        .filter(|r| r.status != Status::Proven || !r.passed)
        .map(|r| result(r, index.get(r.id.as_str()).copied().unwrap_or(0), &report.snapshot.source))
        .collect();
    // Stable: results of one rule keep the report's (input) order.
    results.sort_by_key(|r| r.rule_index);

    SarifLog {
        schema: SCHEMA_URI,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name,
                    version: report.tool.version,
                    semantic_version: report.tool.version,
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: report
                    .warnings
                    .iter()
                    .map(|w| Notification {
                        level: "warning",
                        message: Text {
                            text: match &w.resource {
                                Some(r) => format!("{r}: {}", w.message),
                                None => w.message.clone(),
                            },
                        },
                        locations: vec![Location {
                            id: None,
                            physical_location: Some(physical(
                                artifact_uri(&report.snapshot.source, &w.file),
                                w.line.map(|l| l as usize).filter(|l| *l >= 1),
                            )),
                            message: None,
                        }],
                        descriptor: Descriptor { id: format!("snapshot/{}", w.kind.as_str()) },
                    })
                    .collect(),
            }],
            results,
            properties: RunProperties {
                snapshot: &report.snapshot.name,
                snapshot_source: &report.snapshot.source,
                baseline: report.baseline.as_ref(),
            },
        }],
    }
}

/// `security-severity` per spec severity (GitHub: >9.0 critical, 7.0-8.9
/// high, 4.0-6.9 medium, 0.1-3.9 low).
pub fn security_severity(severity: &str) -> &'static str {
    match severity {
        "critical" => "9.5",
        "high" => "8.0",
        "medium" => "5.5",
        "low" => "3.0",
        "info" => "1.0",
        _ => "5.5",
    }
}

fn rule(r: &SpecResult, source: &str) -> Rule {
    let full = r.rationale.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| r.title.clone());
    let mut tags: Vec<String> = vec!["security".into(), "network".into()];
    let mut own: Vec<String> = r.tags.clone();
    own.sort();
    for t in own {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags.truncate(MAX_TAGS);
    // `<embedded demo>` is no path: name it as the CLI does.
    let source = if source.starts_with('<') { "@demo" } else { source };
    let rationale = r.rationale.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let text_tags = if r.tags.is_empty() { String::new() } else { format!(" Tags: {}.", r.tags.join(", ")) };
    let md_tags = if r.tags.is_empty() {
        String::new()
    } else {
        format!(" Tags: {}.", r.tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "))
    };
    let text = format!(
        "{}\n\n{}Severity: {}. Defined at {}:{}.{text_tags}\nReproduce: netprove check {source} {} --format text",
        r.title,
        rationale.map(|s| format!("{s}\n\n")).unwrap_or_default(),
        r.severity,
        r.file,
        r.line,
        r.file
    );
    let markdown = format!(
        "**{}**\n\n{}Severity: **{}**. Defined at `{}:{}`.{md_tags}\n\nReproduce locally:\n\n```\nnetprove check {source} {} --format text\n```\n\nEach finding carries the witness's path hop by hop (request, then reply) as a code flow.",
        r.title,
        rationale.map(|s| format!("{s}\n\n")).unwrap_or_default(),
        r.severity,
        r.file,
        r.line,
        r.file
    );
    Rule {
        id: r.id.clone(),
        name: pascal_case(&r.id),
        short_description: Text { text: truncate(&r.title, MAX_DESCRIPTION_CHARS) },
        full_description: Text { text: truncate(&full, MAX_DESCRIPTION_CHARS) },
        help: Help { text, markdown },
        default_configuration: Configuration { level: "error" },
        properties: RuleProperties { tags, precision: "very-high", security_severity: security_severity(&r.severity) },
    }
}

fn result(r: &SpecResult, rule_index: usize, source: &str) -> SarifResult {
    let suppressed = r.status == Status::Violated && r.expected_violation;
    let level = match r.status {
        Status::Violated if suppressed => "note",
        Status::Violated => "error",
        Status::Proven | Status::Unknown | Status::Error => "warning",
    };

    // Every witness, and every backend of a Service witness, in order.
    let mut traces: Vec<&TraceResult> = Vec::new();
    for w in &r.witnesses {
        flatten(w, &mut traces);
    }

    // Related locations: every hop with a file location, deduplicated.
    let mut related: Vec<Location> = Vec::new();
    let mut related_ids: BTreeMap<(String, Option<usize>), usize> = BTreeMap::new();
    for t in &traces {
        for h in t.forward.iter().chain(t.reply.iter()) {
            let Some((uri, line)) = hop_location(h, source) else { continue };
            if related.len() >= MAX_RELATED_LOCATIONS || related_ids.contains_key(&(uri.clone(), line)) {
                continue;
            }
            let id = related.len() + 1;
            related_ids.insert((uri.clone(), line), id);
            related.push(Location {
                id: Some(id),
                physical_location: Some(physical(uri, line)),
                message: Some(Text { text: hop_text(h) }),
            });
        }
    }

    // Code flows: one per witness trace, request hops then reply hops.
    let mut budget = MAX_THREAD_FLOW_LOCATIONS;
    let mut truncated = false;
    let mut code_flows = Vec::new();
    for t in &traces {
        if budget == 0 {
            truncated = true;
            break;
        }
        let hops: Vec<&Hop> = t.forward.iter().chain(t.reply.iter()).collect();
        if hops.is_empty() {
            continue;
        }
        if hops.len() > budget {
            truncated = true;
        }
        let locations: Vec<ThreadFlowLocation> = hops
            .iter()
            .take(budget)
            .map(|h| ThreadFlowLocation {
                location: Location {
                    id: None,
                    physical_location: hop_location(h, source).map(|(uri, line)| physical(uri, line)),
                    message: Some(Text { text: hop_text(h) }),
                },
            })
            .collect();
        budget -= locations.len();
        code_flows.push(CodeFlow {
            message: Text {
                text: format!(
                    "{} -> {} {}: {} ({} request hops, then {} reply hops)",
                    t.from,
                    t.to,
                    service(t),
                    t.verdict.as_str(),
                    t.forward.len(),
                    t.reply.len()
                ),
            },
            thread_flows: vec![ThreadFlow { locations }],
        });
    }

    let mut text = message(r, &traces, &related_ids, source);
    if truncated {
        text.push_str(&format!(" (code flow truncated to {MAX_THREAD_FLOW_LOCATIONS} steps)"));
    }

    let first = traces.first();
    let key = [
        r.id.as_str(),
        first.map(|t| t.from.as_str()).unwrap_or(""),
        first.map(|t| t.to.as_str()).unwrap_or(""),
        first.map(|t| t.flow.proto.as_str()).unwrap_or(""),
        &first.and_then(|t| t.flow.dport).map(|p| p.to_string()).unwrap_or_default(),
    ];
    let hash = format!("{:016x}", fnv1a(&key));
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY, hash.clone());
    partial_fingerprints.insert("primaryLocationLineHash", format!("{hash}:1"));

    let mut locations = vec![Location {
        id: None,
        physical_location: Some(PhysicalLocation {
            artifact_location: ArtifactLocation { uri: r.file.clone() },
            region: Some(Region {
                start_line: r.line.max(1),
                start_column: Some(1),
                end_line: Some(r.line.max(1)),
                // Spans `spec <id>` on the spec's line.
                end_column: Some("spec ".len() + r.id.chars().count() + 1),
            }),
        }),
        message: None,
    }];
    locations.truncate(MAX_LOCATIONS);

    let suppressions = if suppressed {
        vec![Suppression {
            kind: "inSource",
            justification: format!(
                "`expect = violated` in {}:{}{}",
                r.file,
                r.line,
                r.rationale.as_deref().map(|s| format!(": {s}")).unwrap_or_default()
            ),
        }]
    } else {
        Vec::new()
    };

    SarifResult {
        rule_id: r.id.clone(),
        rule_index,
        level,
        message: Text { text },
        locations,
        related_locations: related,
        code_flows,
        partial_fingerprints,
        suppressions,
        baseline_state: r.baseline_state.filter(|b| *b != super::baseline::BaselineState::Fixed).map(|b| b.as_str()),
    }
}

fn flatten<'a>(t: &'a TraceResult, out: &mut Vec<&'a TraceResult>) {
    out.push(t);
    for b in &t.backends {
        flatten(b, out);
    }
}

/// `tcp/5432`, `icmp type 8`, or the protocol alone.
fn service(t: &TraceResult) -> String {
    let f = &t.flow;
    match (f.dport, f.icmp_type) {
        (Some(p), _) => format!("{}/{p}", f.proto),
        (None, Some(ty)) => format!("{} type {ty}", f.proto),
        (None, None) => f.proto.clone(),
    }
}

/// The result's message: what was found, the witness and its key rules (each
/// linked to its related location when it has one).
fn message(
    r: &SpecResult,
    traces: &[&TraceResult],
    related_ids: &BTreeMap<(String, Option<usize>), usize>,
    source: &str,
) -> String {
    let instance = r.instance.as_deref().map(|i| format!(" (for {i})")).unwrap_or_default();
    let head = match (r.status, r.expected_violation) {
        (Status::Violated, true) => format!("Violated as expected{instance}: {}", r.title),
        (Status::Violated, false) => format!("Violated{instance}: {}", r.title),
        (Status::Unknown, _) => format!("Unknown{instance}: {}", r.title),
        (Status::Error, _) => format!("Error{instance}: {}", r.title),
        (Status::Proven, _) => format!("Holds, but fails the gate: {}", r.title),
    };
    let mut s = head;
    if let Some(reason) = &r.reason {
        s.push_str(&format!(". Reason: {reason}"));
    } else if r.status == Status::Unknown || r.status == Status::Error {
        s.push_str(". Reason: not given");
    }
    if let Some(t) = traces.first() {
        s.push_str(&format!(". Witness: {} -> {} {} is {}", t.from, t.to, service(t), t.verdict.as_str()));
        if let Some(b) = &t.blocked_by {
            s.push_str(&format!(" (blocked by {b})"));
        }
        // Filters that decided, the most specific kinds first.
        let mut deciding: Vec<&Hop> = t
            .forward
            .iter()
            .chain(t.reply.iter())
            .filter(|h| h.rule.is_some() && matches!(h.decision, "allow" | "deny" | "unknown"))
            .collect();
        deciding.sort_by_key(|h| match h.kind {
            "network-policy" => 0,
            "security-group" => 1,
            "firewall" => 2,
            "nacl" => 3,
            _ => 4,
        });
        let mut keys: Vec<String> = Vec::new();
        for h in deciding {
            let Some(rule) = &h.rule else { continue };
            let k = match hop_location(h, source).and_then(|l| related_ids.get(&l)) {
                Some(id) => format!("[{}]({id})", escape_link_text(rule)),
                None => rule.clone(),
            };
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if !keys.is_empty() {
            let more = keys.len().saturating_sub(MAX_KEY_RULES);
            keys.truncate(MAX_KEY_RULES);
            s.push_str(&format!("; key rules: {}", keys.join(", ")));
            if more > 0 {
                s.push_str(&format!(" and {more} more"));
            }
        }
        if traces.len() > 1 {
            s.push_str(&format!(" ({} witness traces in the code flows)", traces.len()));
        }
    }
    s
}

/// `{decision} {kind} {node}: {rule} {detail}` (the rule when there is one).
fn hop_text(h: &Hop) -> String {
    match &h.rule {
        Some(rule) => format!("{} {} {}: {} {}", h.decision, h.kind, h.node, rule, h.detail),
        None => format!("{} {} {}: {}", h.decision, h.kind, h.node, h.detail),
    }
}

/// The hop's `file:line` (or bare `file`) as a URI under the snapshot's
/// source directory, with its line.
fn hop_location(h: &Hop, source: &str) -> Option<(String, Option<usize>)> {
    let loc = h.location.as_deref()?.trim();
    if loc.is_empty() {
        return None;
    }
    let (file, line) = match loc.rsplit_once(':') {
        Some((f, l)) if !f.is_empty() && !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
            (f, l.parse::<usize>().ok().filter(|n| *n >= 1))
        }
        _ => (loc, None),
    };
    Some((artifact_uri(source, file), line))
}

/// `source/file`; a source that is no directory (the embedded demo) or is
/// empty gives the file alone.
fn artifact_uri(source: &str, file: &str) -> String {
    let base = source.trim_end_matches('/');
    let base = base.strip_prefix("./").unwrap_or(base);
    if base.is_empty() || base == "." || base.starts_with('<') {
        file.to_string()
    } else {
        format!("{base}/{file}")
    }
}

fn physical(uri: String, line: Option<usize>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri },
        region: line.map(|l| Region { start_line: l, start_column: None, end_line: None, end_column: None }),
    }
}

fn escape_link_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `orders-db-only-checkout` → `OrdersDbOnlyCheckout`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// 64-bit FNV-1a over the parts, each followed by a NUL separator: stable
/// across runs, platforms and Rust versions.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_stable() {
        // FNV-1a 64 of "" is the offset basis; with our NUL separator, of "\0".
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&["a"]), fnv1a(&["a"]));
        assert_ne!(fnv1a(&["ab", ""]), fnv1a(&["a", "b"]));
    }

    #[test]
    fn uris_and_names() {
        assert_eq!(artifact_uri("snapshots/demo/", "aws/x.json"), "snapshots/demo/aws/x.json");
        assert_eq!(artifact_uri("<embedded demo>", "aws/x.json"), "aws/x.json");
        assert_eq!(pascal_case("orders-db-only-checkout"), "OrdersDbOnlyCheckout");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(security_severity("critical"), "9.5");
    }
}
