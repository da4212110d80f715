//! The stateful half of a policy, compiled for evaluation: variables and IP
//! set references resolved, domain lists expanded to the rules AWS
//! generates, alert rules removed (they never affect forwarding) and the
//! rules put in evaluation order.

use netprove_models::model::net::{PROTO_ICMP, PROTO_SCTP, PROTO_TCP, PROTO_UDP};
use netprove_models::model::nfw::{
    prefix_list_id, AddrItem, AddrSpec, DomainList, DomainTargetType, FirewallPolicy, FlowOptions, GeneratedRulesType,
    IpProtoMatch, IpRanges, OverrideAction, PortSpec, ResolveError, RuleAction, RuleGroup, RuleOrder, RulesSource,
    StatefulDefaultAction, SuricataRule, VariableEnv,
};
use netprove_models::model::{Network, PortRange};

use ipnet::Ipv4Net;

/// A rule's effect when it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Act {
    Pass,
    Drop,
    /// Counts as drop for reachability.
    Reject,
    /// An action Network Firewall does not support, or the rules of a group
    /// missing from the snapshot: the effect is unknown.
    Unknown(String),
}

impl Act {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Act::Pass => "pass",
            Act::Drop => "drop",
            Act::Reject => "reject",
            Act::Unknown(s) => s,
        }
    }

    /// Action order rank: pass → drop → reject (→ alert, removed). Unknown
    /// actions rank first: they might be anything.
    fn rank(&self) -> u8 {
        match self {
            Act::Unknown(_) => 0,
            Act::Pass => 1,
            Act::Drop => 2,
            Act::Reject => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ProtoM {
    /// `ip`.
    Any,
    /// `tcp`, `udp`, `icmp`, `sctp`.
    Num(u8),
    /// An application-layer protocol (`tls`, `http`, `dns`, …).
    App(String),
    /// A protocol name netprove does not know.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum AddrM {
    Any,
    Set(IpRanges),
    /// The spec names a variable or reference that could not be resolved.
    Unresolved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PortM {
    Any,
    Set(Vec<PortRange>),
    Unresolved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Buf {
    /// `tls.sni`.
    Sni,
    /// `http.host` (Suricata normalises it: lowercase, no port).
    Host,
}

/// A `content` match on an interpreted sticky buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CContent {
    pub buf: Buf,
    pub bytes: Vec<u8>,
    pub negated: bool,
    pub nocase: bool,
    pub startswith: bool,
    pub endswith: bool,
    pub dotprefix: bool,
}

impl CContent {
    /// Suricata content semantics on a present buffer: `dotprefix` prepends a
    /// `.` to the buffer; `startswith`/`endswith` anchor; both means equal;
    /// neither means "contains"; `nocase` is ASCII case-insensitive; a
    /// negated content matches when the buffer does not contain it.
    pub(super) fn matches(&self, buffer: &[u8]) -> bool {
        let off = usize::from(self.dotprefix);
        let len = buffer.len() + off;
        let at = |i: usize| if i < off { b'.' } else { buffer.get(i - off).copied().unwrap_or(0) };
        let n = self.bytes.len();
        let eq_at = |k: usize| {
            self.bytes.iter().enumerate().all(|(j, &c)| {
                let h = at(k + j);
                if self.nocase {
                    h.eq_ignore_ascii_case(&c)
                } else {
                    h == c
                }
            })
        };
        let found = if n > len {
            false
        } else if self.startswith && self.endswith {
            n == len && eq_at(0)
        } else if self.startswith {
            eq_at(0)
        } else if self.endswith {
            eq_at(len - n)
        } else {
            (0..=len - n).any(eq_at)
        };
        found != self.negated
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SslM {
    None,
    /// `ssl_state:client_hello`: true on the packet carrying the ClientHello.
    ClientHello,
    /// Any other `ssl_state` value: not interpreted.
    Other(String),
}

/// One stateful rule ready for matching.
#[derive(Debug, Clone)]
pub(super) struct CRule {
    pub action: Act,
    pub proto: ProtoM,
    pub src: AddrM,
    pub sport: PortM,
    pub dst: AddrM,
    pub dport: PortM,
    /// `<>`.
    pub bidir: bool,
    pub flow: FlowOptions,
    pub ip_proto: Option<IpProtoMatch>,
    pub contents: Vec<CContent>,
    pub ssl: SslM,
    /// An IP-only rule: evaluated on the first packet of each direction only.
    pub ip_only: bool,
    /// Uninterpreted keywords: the match is *maybe*.
    pub unsupported: Vec<String>,
    /// Variable or reference resolution errors: address/port matches are *maybe*.
    pub unresolved: Vec<String>,
    /// Set on the placeholder for a rule group missing from the snapshot.
    pub missing_group: Option<String>,
    pub priority: Option<u64>,
    /// Provenance short form.
    pub label: String,
    pub location: Option<String>,
    /// The rule as Suricata text (generated for domain lists).
    pub text: String,
    group_pos: usize,
    rule_pos: usize,
}

/// The compiled stateful engine of a policy.
pub(super) struct StatefulPolicy<'a> {
    pub order: RuleOrder,
    /// In evaluation order; alert rules removed.
    pub rules: Vec<CRule>,
    /// `StatefulDefaultActions` (strict order only; empty otherwise).
    pub defaults: Vec<StatefulDefaultAction>,
    pub policy_location: Option<String>,
    /// Policy-level approximations, reported whenever the stateful engine runs.
    pub notes: Vec<String>,
    /// Application protocols the rules name, sorted and de-duplicated.
    pub apps: Vec<String>,
    /// `TLSInspectionConfigurationArn`: decrypted HTTP may meet HTTP rules.
    pub tls_inspection: Option<&'a str>,
}

impl StatefulPolicy<'_> {
    /// Every protocol and port boundary the stateful rules use.
    pub(super) fn cuts(&self, cuts: &mut super::Cuts) {
        for r in &self.rules {
            if let ProtoM::Num(p) = r.proto {
                cuts.protos.insert(p);
            }
            if let Some(ip) = r.ip_proto {
                cuts.protos.insert(ip.protocol);
            }
            for pm in [&r.sport, &r.dport] {
                if let PortM::Set(ranges) = pm {
                    for p in ranges {
                        cuts.add_port_range(*p);
                    }
                }
            }
        }
    }
}

/// Application-layer protocol names (rule header protocols other than L3/L4).
const L34: &[&str] = &["ip", "tcp", "udp", "icmp", "sctp"];

fn proto_match(name: &str) -> ProtoM {
    match name {
        "ip" => ProtoM::Any,
        "tcp" => ProtoM::Num(PROTO_TCP),
        "udp" => ProtoM::Num(PROTO_UDP),
        "icmp" => ProtoM::Num(PROTO_ICMP),
        "sctp" => ProtoM::Num(PROTO_SCTP),
        other if netprove_models::model::nfw::suricata::KNOWN_PROTOCOLS.contains(&other) => {
            ProtoM::App(other.to_string())
        }
        "http1" => ProtoM::App(name.to_string()),
        other => ProtoM::Unknown(other.to_string()),
    }
}

fn has_negation(spec: &AddrSpec) -> bool {
    fn walk(entries: &[netprove_models::model::nfw::AddrEntry]) -> bool {
        entries.iter().any(|e| e.negated || matches!(&e.item, AddrItem::List(l) if walk(l)))
    }
    match spec {
        AddrSpec::Any => false,
        AddrSpec::List(l) => walk(l),
    }
}

fn addr(env: &VariableEnv<'_>, spec: &AddrSpec, errors: &mut Vec<String>) -> AddrM {
    match env.resolve_addr(spec) {
        Ok(r) if r.is_all() => AddrM::Any,
        Ok(r) => AddrM::Set(r),
        Err(e) => {
            errors.push(e.to_string());
            AddrM::Unresolved
        }
    }
}

fn ports(env: &VariableEnv<'_>, spec: &PortSpec, errors: &mut Vec<String>) -> PortM {
    match env.resolve_ports(spec) {
        Ok(v) if v == [PortRange::ALL] => PortM::Any,
        Ok(v) => PortM::Set(v),
        Err(e) => {
            errors.push(e.to_string());
            PortM::Unresolved
        }
    }
}

fn compile_suricata(
    r: &SuricataRule,
    env: &VariableEnv<'_>,
    drop_to_alert: bool,
    group_pos: usize,
    rule_pos: usize,
) -> Option<CRule> {
    let action = match &r.action {
        RuleAction::Pass => Act::Pass,
        RuleAction::Drop | RuleAction::Reject if drop_to_alert => return None,
        RuleAction::Drop => Act::Drop,
        RuleAction::Reject => Act::Reject,
        RuleAction::Alert => return None,
        RuleAction::Other(s) => Act::Unknown(s.clone()),
    };
    let mut unresolved = Vec::new();
    let src = addr(env, &r.src, &mut unresolved);
    let dst = addr(env, &r.dst, &mut unresolved);
    let sport = ports(env, &r.src_ports, &mut unresolved);
    let dport = ports(env, &r.dst_ports, &mut unresolved);
    unresolved.dedup();
    let contents = r
        .content_matches
        .iter()
        .filter_map(|c| {
            let buf = match c.buffer.as_deref() {
                Some("tls.sni") => Buf::Sni,
                Some("http.host") => Buf::Host,
                // Other buffers and the raw payload are listed in `unsupported`.
                _ => return None,
            };
            Some(CContent {
                buf,
                bytes: c.bytes.clone(),
                negated: c.negated,
                nocase: c.nocase,
                startswith: c.startswith,
                endswith: c.endswith,
                dotprefix: c.dotprefix,
            })
        })
        .collect();
    let ssl = match r.ssl_state.as_deref().map(str::trim) {
        None => SslM::None,
        Some("client_hello") => SslM::ClientHello,
        Some(other) => SslM::Other(other.to_string()),
    };
    // The limitations page: an L3/L4 rule without `flow` is IP-only, and a
    // negated destination makes it a protocol rule again. Any option that
    // inspects more than the header makes it a packet rule.
    let ip_only = L34.contains(&r.protocol.as_str())
        && r.flow.is_empty()
        && r.content_matches.is_empty()
        && r.ssl_state.is_none()
        && r.unsupported.is_empty()
        && !has_negation(&r.dst);
    let mut text = r.text.clone();
    if let Some(l) = r.rules_line {
        text = format!("{text} [RulesString line {l}]");
    }
    Some(CRule {
        action,
        proto: proto_match(&r.protocol),
        src,
        sport,
        dst,
        dport,
        bidir: r.bidirectional,
        flow: r.flow,
        ip_proto: r.ip_proto,
        contents,
        ssl,
        ip_only,
        unsupported: r.unsupported.clone(),
        unresolved,
        missing_group: None,
        priority: r.priority,
        label: r.prov.short(),
        location: Some(r.prov.location()),
        text,
        group_pos,
        rule_pos,
    })
}

/// The rules AWS generates for a domain list (reference §1.3), in the order
/// AWS writes them: the per-target rules, then the allowlist's catch-all drop.
///
/// - `TLS_SNI`: `<action> tls $HOME_NET any -> $EXTERNAL_NET any
///   (ssl_state:client_hello; tls.sni; [dotprefix;] content:"<t>"; nocase;
///   [startswith;] endswith; priority:1; flow:to_server, established)`.
/// - `HTTP_HOST`: the same with `http` and `http.host`, without `ssl_state`
///   and `nocase`. Suricata lowercases `http.host`, so the target is
///   lowercased to match the way AWS compares names case-insensitively.
/// - `ALLOWLIST` adds `drop tls … (ssl_state:client_hello; flow:to_server,
///   established)` and `drop http … (http.header_names; content:"|0d 0a|";
///   startswith; flow:to_server, established)`. The header-names buffer
///   always starts with CRLF, so that rule is compiled as "every HTTP request".
/// - `DENYLIST` drops, `REJECTLIST` rejects matches; `ALERTLIST` only alerts
///   and generates nothing here.
fn compile_domain_list(
    d: &DomainList,
    env: &VariableEnv<'_>,
    group: &RuleGroup,
    drop_to_alert: bool,
    group_pos: usize,
) -> Vec<CRule> {
    let action = match d.generated_rules_type {
        GeneratedRulesType::Allowlist => Act::Pass,
        GeneratedRulesType::Denylist if !drop_to_alert => Act::Drop,
        GeneratedRulesType::Rejectlist if !drop_to_alert => Act::Reject,
        _ => return Vec::new(),
    };
    let mut unresolved = Vec::new();
    let mut set = |r: Result<IpRanges, ResolveError>| match r {
        Ok(r) if r.is_all() => AddrM::Any,
        Ok(r) => AddrM::Set(r),
        Err(e) => {
            unresolved.push(e.to_string());
            AddrM::Unresolved
        }
    };
    let home = set(env.home_net());
    let external = set(env.external_net());
    unresolved.dedup();
    let group_short = group.prov.short();
    let location = Some(group.prov.location());
    let base = |proto: &str, action: Act, rule_pos: usize| CRule {
        action,
        proto: ProtoM::App(proto.to_string()),
        src: home.clone(),
        sport: PortM::Any,
        dst: external.clone(),
        dport: PortM::Any,
        bidir: false,
        flow: FlowOptions { to_server: true, established: true, ..FlowOptions::default() },
        ip_proto: None,
        contents: Vec::new(),
        ssl: SslM::None,
        ip_only: false,
        unsupported: Vec::new(),
        unresolved: unresolved.clone(),
        missing_group: None,
        priority: Some(1),
        label: String::new(),
        location: location.clone(),
        text: String::new(),
        group_pos,
        rule_pos,
    };
    let mut out = Vec::new();
    for &tt in &d.target_types {
        let (proto, buf_name, buf) = match tt {
            DomainTargetType::TlsSni => ("tls", "tls.sni", Buf::Sni),
            DomainTargetType::HttpHost => ("http", "http.host", Buf::Host),
        };
        for t in &d.targets {
            let dotprefix = t.starts_with('.');
            let target = if buf == Buf::Host { t.to_ascii_lowercase() } else { t.clone() };
            let mut r = base(proto, action.clone(), out.len());
            r.contents.push(CContent {
                buf,
                bytes: target.as_bytes().to_vec(),
                negated: false,
                nocase: buf == Buf::Sni,
                startswith: !dotprefix,
                endswith: true,
                dotprefix,
            });
            if buf == Buf::Sni {
                r.ssl = SslM::ClientHello;
            }
            r.label = format!("{group_short}/{buf_name}:{t}");
            r.text = format!(
                "{} {proto} $HOME_NET any -> $EXTERNAL_NET any ({}{buf_name}; {}content:\"{target}\"; {}{}endswith; \
                 priority:1; flow:to_server, established;) [generated from domain list target `{t}`]",
                action.as_str(),
                if buf == Buf::Sni { "ssl_state:client_hello; " } else { "" },
                if dotprefix { "dotprefix; " } else { "" },
                if buf == Buf::Sni { "nocase; " } else { "" },
                if dotprefix { "" } else { "startswith; " },
            );
            out.push(r);
        }
    }
    if d.generated_rules_type == GeneratedRulesType::Allowlist && !drop_to_alert {
        for &tt in &d.target_types {
            let (proto, what) = match tt {
                DomainTargetType::TlsSni => ("tls", "ssl_state:client_hello; "),
                DomainTargetType::HttpHost => ("http", "http.header_names; content:\"|0d 0a|\"; startswith; "),
            };
            let mut r = base(proto, Act::Drop, out.len());
            if tt == DomainTargetType::TlsSni {
                r.ssl = SslM::ClientHello;
            }
            r.label = format!("{group_short}/{proto}:not-allowlisted");
            r.text = format!(
                "drop {proto} $HOME_NET any -> $EXTERNAL_NET any ({what}priority:1; flow:to_server, established;) \
                 [generated: {} not matching any allowlisted domain]",
                proto.to_ascii_uppercase()
            );
            out.push(r);
        }
    }
    out
}

/// A placeholder for a referenced group that is not in the snapshot: it may
/// match anything, with an unknown effect.
fn missing_group(arn: &str, group_pos: usize, location: Option<String>) -> CRule {
    CRule {
        action: Act::Unknown("unknown".into()),
        proto: ProtoM::Any,
        src: AddrM::Any,
        sport: PortM::Any,
        dst: AddrM::Any,
        dport: PortM::Any,
        bidir: true,
        flow: FlowOptions::default(),
        ip_proto: None,
        contents: Vec::new(),
        ssl: SslM::None,
        ip_only: false,
        unsupported: Vec::new(),
        unresolved: Vec::new(),
        missing_group: Some(arn.to_string()),
        priority: None,
        label: format!("missing rule group {arn}"),
        location,
        text: String::new(),
        group_pos,
        rule_pos: 0,
    }
}

impl<'a> StatefulPolicy<'a> {
    pub(super) fn compile(net: &'a Network, policy: Option<&'a FirewallPolicy>, home_net_default: &[Ipv4Net]) -> Self {
        let mut out = StatefulPolicy {
            order: RuleOrder::DefaultActionOrder,
            rules: Vec::new(),
            defaults: Vec::new(),
            policy_location: None,
            notes: Vec::new(),
            apps: Vec::new(),
            tls_inspection: None,
        };
        let Some(policy) = policy else {
            return out;
        };
        out.order = policy.rule_order;
        out.policy_location = Some(policy.prov.location());
        out.tls_inspection = policy.tls_inspection_configuration_arn.as_deref();
        if let Some(arn) = out.tls_inspection {
            out.notes.push(format!(
                "policy `{}` uses TLS inspection `{arn}`, which is not modelled: decrypted traffic may meet HTTP rules",
                policy.name
            ));
        }
        match policy.rule_order {
            RuleOrder::StrictOrder => out.defaults = policy.stateful_default_actions.iter().cloned().collect(),
            RuleOrder::DefaultActionOrder => {
                if !policy.stateful_default_actions.is_empty() {
                    out.notes.push(format!(
                        "policy `{}` sets stateful default actions, which apply only under STRICT_ORDER; ignored",
                        policy.name
                    ));
                }
            }
        }
        let lookup = |arn: &str| -> Option<IpRanges> {
            let id = prefix_list_id(arn).unwrap_or(arn);
            let pl = net.prefix_lists.get(id)?;
            pl.entries.as_ref().map(|e| IpRanges::from_cidrs(e.iter().map(|(n, _)| n)))
        };
        let mut refs: Vec<_> = policy.stateful_refs.iter().collect();
        if policy.rule_order == RuleOrder::StrictOrder {
            // INVARIANT: stable, so references without a priority keep API order.
            refs.sort_by_key(|r| r.priority.unwrap_or(u32::MAX));
        }
        for (gi, r) in refs.into_iter().enumerate() {
            let Some(group) = net.rule_groups.get(&r.arn) else {
                out.rules.push(missing_group(&r.arn, gi, Some(r.prov.location())));
                continue;
            };
            if group.rule_order != policy.rule_order {
                out.notes.push(format!(
                    "rule group `{}` has rule order {:?} but policy `{}` uses {:?}; the policy's order is used",
                    group.name, group.rule_order, policy.name, policy.rule_order
                ));
            }
            let drop_to_alert = match &r.override_action {
                None => false,
                Some(OverrideAction::DropToAlert) => true,
                Some(OverrideAction::Other(a)) => {
                    out.notes.push(format!("rule group `{}` has override action `{a}`, which is ignored", group.name));
                    false
                }
            };
            let env = VariableEnv::new(Some(policy), Some(group), home_net_default).with_references(&lookup);
            match &group.rules {
                RulesSource::Stateful { rules, .. } => {
                    for (ri, rule) in rules.iter().enumerate() {
                        out.rules.extend(compile_suricata(rule, &env, drop_to_alert, gi, ri));
                    }
                }
                RulesSource::DomainList(d) => out.rules.extend(compile_domain_list(d, &env, group, drop_to_alert, gi)),
                RulesSource::Stateless { .. } => out.notes.push(format!(
                    "policy `{}` references stateless rule group `{}` as stateful; it has no stateful rules",
                    policy.name, group.name
                )),
            }
        }
        if policy.rule_order == RuleOrder::DefaultActionOrder {
            // Action order: pass → drop → reject, then the `priority` keyword
            // (lowest first, unset last), then group and rule order. Within
            // one action the order only changes which rule is reported.
            out.rules.sort_by_key(|r| (r.action.rank(), r.priority.unwrap_or(u64::MAX), r.group_pos, r.rule_pos));
        }
        let mut apps: Vec<String> = out
            .rules
            .iter()
            .filter_map(|r| match &r.proto {
                ProtoM::App(a) => Some(a.clone()),
                _ => None,
            })
            .collect();
        apps.sort();
        apps.dedup();
        out.apps = apps;
        out
    }
}
