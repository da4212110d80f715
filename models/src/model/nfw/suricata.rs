//! The structured Suricata subset used by Network Firewall stateful rule groups.
//!
//! Both stateful rule forms end up here: `RulesString` text is parsed by
//! [`parse_rule`], and the 5-tuple `StatefulRules` are built with
//! [`SuricataRule::from_five_tuple`]. Both share the header-field parsers and the
//! option interpreter, so a rule means the same thing whichever way it was written.
//!
//! The parser keeps every option verbatim (in [`SuricataRule::options`]) and
//! interprets a small set (`msg`, `sid`, `rev`, `priority`, `flow`, `ip_proto`,
//! `content` and its modifiers `nocase`/`startswith`/`endswith`/`dotprefix`, the
//! `tls.sni`/`http.host` sticky buffers, `ssl_state`, `classtype`, `metadata`,
//! `reference`, `noalert`). Every other keyword is listed in
//! [`SuricataRule::unsupported`]; results that depend on such a rule are
//! approximations.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::net::{parse_protocol, PROTO_ICMP, PROTO_TCP, PROTO_UDP};
use crate::model::{PortRange, Provenance};

/// A Suricata rule action.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleAction {
    Pass,
    Drop,
    Reject,
    Alert,
    /// Any other action word (Suricata has `rejectsrc`, `config`, …; Network
    /// Firewall supports none of them). Kept so the rule is not lost.
    Other(String),
}

impl RuleAction {
    /// Case-insensitive: the 5-tuple form writes `PASS`, Suricata text `pass`.
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "pass" => RuleAction::Pass,
            "drop" => RuleAction::Drop,
            "reject" => RuleAction::Reject,
            "alert" => RuleAction::Alert,
            other => RuleAction::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RuleAction::Pass => "pass",
            RuleAction::Drop => "drop",
            RuleAction::Reject => "reject",
            RuleAction::Alert => "alert",
            RuleAction::Other(s) => s,
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, RuleAction::Other(_))
    }
}

impl fmt::Display for RuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule protocols Network Firewall accepts (the `StatefulRuleProtocol` enum plus
/// the layer-3/4 names Suricata knows).
pub const KNOWN_PROTOCOLS: &[&str] = &[
    "ip", "tcp", "udp", "icmp", "sctp", "tls", "http", "http2", "dns", "ssh", "smb", "ftp", "smtp", "imap", "msn",
    "krb5", "ikev2", "tftp", "ntp", "dhcp", "dcerpc", "quic",
];

/// One address in a header or list, possibly negated with `!`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddrEntry {
    pub negated: bool,
    pub item: AddrItem,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AddrItem {
    /// `any` inside a list.
    Any,
    /// A CIDR; a single address becomes a `/32`. Host bits are cleared.
    Cidr(Ipv4Net),
    /// An IPv6 address or prefix, kept as text: IPv6 is not modelled.
    Ipv6(String),
    /// `$NAME`: a rule variable (without the `$`).
    Var(String),
    /// `@NAME`: an IP set reference (without the `@`), resolved to a prefix list.
    IpSetRef(String),
    /// `[a, b, !c]`.
    List(Vec<AddrEntry>),
}

/// A source or destination address field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AddrSpec {
    Any,
    /// The entries of the field; a lone `10.0.0.0/8` or `$HOME_NET` is a one-entry list.
    /// Semantics: the union of the positive entries (everything if there are
    /// none) minus the union of the negated ones.
    List(Vec<AddrEntry>),
}

/// One port in a header or list, possibly negated with `!`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortEntry {
    pub negated: bool,
    pub item: PortItem,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortItem {
    Any,
    /// `80`, `1024:65535`, `1024:` or `:1023`.
    Range(PortRange),
    /// `$NAME` (without the `$`).
    Var(String),
    List(Vec<PortEntry>),
}

/// A source or destination port field; same list semantics as [`AddrSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortSpec {
    Any,
    List(Vec<PortEntry>),
}

/// One option as written: `keyword` or `keyword:value` (value trimmed, quotes
/// and escapes kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleOption {
    pub keyword: String,
    pub value: Option<String>,
}

/// The interpreted `flow` keyword. `to_server` also covers `from_client`, and
/// `to_client` covers `from_server`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FlowOptions {
    pub to_server: bool,
    pub to_client: bool,
    pub established: bool,
    pub not_established: bool,
    pub stateless: bool,
}

impl FlowOptions {
    pub fn is_empty(&self) -> bool {
        *self == FlowOptions::default()
    }
}

/// `ip_proto:[!]<name or number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpProtoMatch {
    pub negated: bool,
    pub protocol: u8,
}

/// A `content` match with the sticky buffer it applies to and its modifiers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentMatch {
    /// The sticky buffer in force (`tls.sni`, `http.host`, …); `None` for the
    /// raw payload.
    pub buffer: Option<String>,
    /// The content as written, with quotes removed and `\"`, `\;`, `\\`
    /// unescaped; `|0d 0a|` hex runs are kept as written.
    pub content: String,
    /// The bytes matched: `content` with hex runs decoded.
    pub bytes: Vec<u8>,
    pub negated: bool,
    pub nocase: bool,
    pub startswith: bool,
    pub endswith: bool,
    /// The `dotprefix` transform was applied to the buffer: a `.` is prepended
    /// before matching, so `content:".example.com"; endswith` matches
    /// `example.com` and all its subdomains.
    pub dotprefix: bool,
}

/// A stateful rule in structured form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuricataRule {
    pub action: RuleAction,
    /// Lowercase (`ip`, `tcp`, `tls`, …).
    pub protocol: String,
    pub src: AddrSpec,
    pub src_ports: PortSpec,
    /// `<>` (both directions) rather than `->`.
    pub bidirectional: bool,
    pub dst: AddrSpec,
    pub dst_ports: PortSpec,
    /// Every option, in order, as written.
    pub options: Vec<RuleOption>,
    pub sid: u64,
    pub rev: Option<u64>,
    pub msg: Option<String>,
    pub priority: Option<u64>,
    pub flow: FlowOptions,
    pub ip_proto: Option<IpProtoMatch>,
    pub content_matches: Vec<ContentMatch>,
    pub ssl_state: Option<String>,
    pub noalert: bool,
    /// Keywords outside the interpreted set, in first-use order, without
    /// duplicates. `content` is listed when it matches the raw payload (no
    /// sticky buffer), and unknown `flow` flags appear as `flow:<flag>`.
    pub unsupported: Vec<String>,
    /// The rule text: the line as written for `RulesString`, a rendering for the
    /// 5-tuple form.
    pub text: String,
    /// 1-based line of the rule within its `RulesString`, if it came from one.
    pub rules_line: Option<u32>,
    pub prov: Provenance,
}

impl SuricataRule {
    /// Every CIDR written literally in the rule's addresses (variables are
    /// resolved elsewhere).
    pub fn literal_cidrs(&self) -> Vec<Ipv4Net> {
        fn walk(entries: &[AddrEntry], out: &mut Vec<Ipv4Net>) {
            for e in entries {
                match &e.item {
                    AddrItem::Cidr(n) => out.push(*n),
                    AddrItem::List(inner) => walk(inner, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for spec in [&self.src, &self.dst] {
            if let AddrSpec::List(entries) = spec {
                walk(entries, &mut out);
            }
        }
        out
    }

    /// True when some keyword is not interpreted (see [`Self::unsupported`]).
    pub fn is_approximate(&self) -> bool {
        !self.unsupported.is_empty()
    }

    pub fn protocol_is_known(&self) -> bool {
        KNOWN_PROTOCOLS.contains(&self.protocol.as_str())
    }

    /// The protocol number an L3/L4 header protocol implies (`tcp` → 6); `None`
    /// for `ip` and application protocols (whose transport is not fixed here).
    pub fn l4_protocol(&self) -> Option<u8> {
        match self.protocol.as_str() {
            "tcp" => Some(PROTO_TCP),
            "udp" => Some(PROTO_UDP),
            "icmp" => Some(PROTO_ICMP),
            _ => None,
        }
    }

    /// Every IPv6 address written in the source or destination.
    pub fn ipv6_addresses(&self) -> Vec<&str> {
        fn walk<'a>(entries: &'a [AddrEntry], out: &mut Vec<&'a str>) {
            for e in entries {
                match &e.item {
                    AddrItem::Ipv6(s) => out.push(s),
                    AddrItem::List(l) => walk(l, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for spec in [&self.src, &self.dst] {
            if let AddrSpec::List(l) = spec {
                walk(l, &mut out);
            }
        }
        out
    }

    /// Builds a rule from the `StatefulRules` 5-tuple form. `direction` is
    /// `FORWARD` (`->`) or `ANY` (`<>`); each option's settings are joined with
    /// `,` into one value.
    pub fn from_five_tuple(t: &FiveTuple<'_>, prov: Provenance) -> Result<Self, SuricataError> {
        let bidirectional = match t.direction.to_ascii_uppercase().as_str() {
            "FORWARD" => false,
            "ANY" => true,
            _ => return Err(SuricataError::Direction(t.direction.to_string())),
        };
        let header = Header {
            action: RuleAction::parse(t.action),
            protocol: t.protocol.to_ascii_lowercase(),
            src: parse_addr_spec(t.source)?,
            src_ports: parse_port_spec(t.source_port)?,
            bidirectional,
            dst: parse_addr_spec(t.destination)?,
            dst_ports: parse_port_spec(t.destination_port)?,
        };
        let options = t
            .options
            .iter()
            .map(|(k, settings)| RuleOption {
                keyword: k.trim().to_string(),
                value: if settings.is_empty() { None } else { Some(settings.join(",")) },
            })
            .collect();
        let mut rule = build(header, options, String::new(), None, prov)?;
        rule.text = rule.to_string();
        Ok(rule)
    }
}

/// The fields of one `StatefulRules` entry.
#[derive(Debug, Clone)]
pub struct FiveTuple<'a> {
    pub action: &'a str,
    pub protocol: &'a str,
    pub source: &'a str,
    pub source_port: &'a str,
    pub direction: &'a str,
    pub destination: &'a str,
    pub destination_port: &'a str,
    /// `(Keyword, Settings)`.
    pub options: Vec<(&'a str, &'a [String])>,
}

/// Why a rule could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuricataError {
    #[error("expected `(` starting the rule options")]
    MissingOptions,
    #[error("the rule options are not closed with `)`")]
    UnclosedOptions,
    #[error("unexpected text `{0}` after the rule options")]
    TrailingText(String),
    #[error(
        "the rule header needs 7 fields (action, protocol, source, source port, direction, destination, destination port); found {0}"
    )]
    HeaderFields(usize),
    #[error("invalid direction `{0}` (expected `->` or `<>`)")]
    Direction(String),
    #[error("invalid address `{0}`: {1}")]
    Address(String, String),
    #[error("invalid port `{0}`: {1}")]
    Port(String, String),
    #[error("unbalanced brackets in `{0}`")]
    Brackets(String),
    #[error("unterminated quoted value in option `{0}`")]
    UnterminatedQuote(String),
    #[error("an option has an empty keyword")]
    EmptyKeyword,
    #[error("option `{0}` needs a value")]
    MissingValue(String),
    #[error("missing required option `sid`")]
    MissingSid,
    #[error("invalid `{keyword}` value `{value}`: expected a number")]
    Number { keyword: String, value: String },
    #[error("`{0}` must follow a `content` option")]
    DanglingModifier(String),
    #[error("`{0}` must follow a sticky buffer such as `tls.sni`")]
    DanglingTransform(String),
    #[error("invalid content `{0}`: {1}")]
    Content(String, String),
}

/// One logical rule line of a `RulesString`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine {
    /// 1-based line of the rule's first physical line.
    pub line: u32,
    pub text: String,
}

/// Splits a `RulesString` into rules: one per line, blank lines and `#`
/// comments skipped, and a line ending in `\` continued on the next.
pub fn split_rules(rules: &str) -> Vec<RuleLine> {
    let mut out = Vec::new();
    let mut pending: Option<RuleLine> = None;
    for (i, raw) in rules.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        let (body, continues) = match trimmed.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        let cur = match pending.take() {
            Some(mut p) => {
                p.text.push(' ');
                p.text.push_str(body.trim());
                p
            }
            None => {
                if body.is_empty() || body.starts_with('#') {
                    continue;
                }
                RuleLine { line: line_no, text: body.trim().to_string() }
            }
        };
        if continues {
            pending = Some(cur);
        } else {
            out.push(cur);
        }
    }
    if let Some(p) = pending {
        out.push(p);
    }
    out
}

struct Header {
    action: RuleAction,
    protocol: String,
    src: AddrSpec,
    src_ports: PortSpec,
    bidirectional: bool,
    dst: AddrSpec,
    dst_ports: PortSpec,
}

/// Parses one rule:
/// `rule := action proto addr ports ("->" | "<>") addr ports "(" option* ")"`
/// where `option := keyword [":" value] ";"` (the last `;` may be omitted).
pub fn parse_rule(text: &str, rules_line: Option<u32>, prov: Provenance) -> Result<SuricataRule, SuricataError> {
    let text = text.trim();
    let open = text.find('(').ok_or(SuricataError::MissingOptions)?;
    let close = text.rfind(')').filter(|&c| c > open).ok_or(SuricataError::UnclosedOptions)?;
    let trailing = text[close + 1..].trim();
    if !trailing.is_empty() {
        return Err(SuricataError::TrailingText(trailing.to_string()));
    }
    let fields = split_header(&text[..open])?;
    let [action, proto, src, sport, dir, dst, dport] = fields.as_slice() else {
        return Err(SuricataError::HeaderFields(fields.len()));
    };
    let bidirectional = match dir.as_str() {
        "->" => false,
        "<>" => true,
        other => return Err(SuricataError::Direction(other.to_string())),
    };
    let header = Header {
        action: RuleAction::parse(action),
        protocol: proto.to_ascii_lowercase(),
        src: parse_addr_spec(src)?,
        src_ports: parse_port_spec(sport)?,
        bidirectional,
        dst: parse_addr_spec(dst)?,
        dst_ports: parse_port_spec(dport)?,
    };
    let options = parse_options(&text[open + 1..close])?;
    build(header, options, text.to_string(), rules_line, prov)
}

/// Splits the header on whitespace outside `[…]`.
fn split_header(s: &str) -> Result<Vec<String>, SuricataError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                if depth < 0 {
                    return Err(SuricataError::Brackets(s.trim().to_string()));
                }
                cur.push(c);
            }
            c if c.is_whitespace() && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c if c.is_whitespace() => {}
            c => cur.push(c),
        }
    }
    if depth != 0 {
        return Err(SuricataError::Brackets(s.trim().to_string()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Splits `a, [b, c], !d` on commas outside brackets.
fn split_list(s: &str) -> Result<Vec<&str>, SuricataError> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return Err(SuricataError::Brackets(s.to_string()));
        }
    }
    if depth != 0 {
        return Err(SuricataError::Brackets(s.to_string()));
    }
    out.push(s[start..].trim());
    Ok(out)
}

/// Strips a leading `!`, returning whether it was there.
fn strip_negation(s: &str) -> (bool, &str) {
    match s.trim().strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, s.trim()),
    }
}

fn is_var_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `addr := "any" | cidr | ip | "$" name | "@" name | "[" entry ("," entry)* "]"`,
/// each entry optionally prefixed with `!`.
pub fn parse_addr_spec(s: &str) -> Result<AddrSpec, SuricataError> {
    let entry = parse_addr_entry(s)?;
    Ok(match entry {
        AddrEntry { negated: false, item: AddrItem::Any } => AddrSpec::Any,
        AddrEntry { negated: false, item: AddrItem::List(items) } => AddrSpec::List(items),
        e => AddrSpec::List(vec![e]),
    })
}

fn parse_addr_entry(s: &str) -> Result<AddrEntry, SuricataError> {
    let bad = |m: &str| SuricataError::Address(s.trim().to_string(), m.to_string());
    let (negated, body) = strip_negation(s);
    if body.is_empty() {
        return Err(bad("empty address"));
    }
    let item = if let Some(inner) = body.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(|| SuricataError::Brackets(body.to_string()))?;
        let items = split_list(inner)?.into_iter().map(parse_addr_entry).collect::<Result<Vec<_>, _>>()?;
        AddrItem::List(items)
    } else if body.eq_ignore_ascii_case("any") {
        AddrItem::Any
    } else if let Some(name) = body.strip_prefix('$') {
        if !is_var_name(name) {
            return Err(bad("invalid variable name"));
        }
        AddrItem::Var(name.to_string())
    } else if let Some(name) = body.strip_prefix('@') {
        if !is_var_name(name) {
            return Err(bad("invalid IP set reference name"));
        }
        AddrItem::IpSetRef(name.to_string())
    } else if body.contains(':') {
        AddrItem::Ipv6(body.to_string())
    } else if body.contains('/') {
        let net = body.parse::<Ipv4Net>().map_err(|_| bad("not an IPv4 CIDR"))?;
        AddrItem::Cidr(net.trunc())
    } else {
        let ip = body.parse::<Ipv4Addr>().map_err(|_| bad("not an address, CIDR, variable or list"))?;
        AddrItem::Cidr(Ipv4Net::from(ip))
    };
    Ok(AddrEntry { negated, item })
}

/// `ports := "any" | port | port ":" [port] | ":" port | "$" name | "[" entry ("," entry)* "]"`,
/// each entry optionally prefixed with `!`.
pub fn parse_port_spec(s: &str) -> Result<PortSpec, SuricataError> {
    let entry = parse_port_entry(s)?;
    Ok(match entry {
        PortEntry { negated: false, item: PortItem::Any } => PortSpec::Any,
        PortEntry { negated: false, item: PortItem::List(items) } => PortSpec::List(items),
        e => PortSpec::List(vec![e]),
    })
}

fn parse_port_entry(s: &str) -> Result<PortEntry, SuricataError> {
    let (negated, body) = strip_negation(s);
    let item = if let Some(inner) = body.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(|| SuricataError::Brackets(body.to_string()))?;
        let items = split_list(inner)?.into_iter().map(parse_port_entry).collect::<Result<Vec<_>, _>>()?;
        PortItem::List(items)
    } else if body.eq_ignore_ascii_case("any") {
        PortItem::Any
    } else if let Some(name) = body.strip_prefix('$') {
        if !is_var_name(name) {
            return Err(SuricataError::Port(s.trim().to_string(), "invalid variable name".into()));
        }
        PortItem::Var(name.to_string())
    } else {
        PortItem::Range(parse_port_range(body).map_err(|m| SuricataError::Port(s.trim().to_string(), m))?)
    };
    Ok(PortEntry { negated, item })
}

/// `80`, `1024:65535`, `1024:` or `:1023`. Also used for `PortSets` definitions.
pub fn parse_port_range(s: &str) -> Result<PortRange, String> {
    let num = |p: &str| -> Result<u16, String> {
        p.trim().parse::<u16>().map_err(|_| format!("`{}` is not a port number (0-65535)", p.trim()))
    };
    let s = s.trim();
    if s.is_empty() {
        return Err("empty port".into());
    }
    let r = match s.split_once(':') {
        None => PortRange::single(num(s)?),
        Some((lo, hi)) => {
            let lo = if lo.trim().is_empty() { 0 } else { num(lo)? };
            let hi = if hi.trim().is_empty() { u16::MAX } else { num(hi)? };
            PortRange::new(lo, hi)
        }
    };
    if r.lo > r.hi {
        return Err(format!("range `{s}` is empty (start after end)"));
    }
    Ok(r)
}

/// `options := (keyword [":" value] ";")*`. Values may be quoted; inside and
/// outside quotes a backslash escapes the next character (`\"`, `\;`).
fn parse_options(body: &str) -> Result<Vec<RuleOption>, SuricataError> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ';') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut keyword = String::new();
        while i < chars.len() && chars[i] != ':' && chars[i] != ';' {
            keyword.push(chars[i]);
            i += 1;
        }
        let keyword = keyword.trim().to_string();
        if keyword.is_empty() {
            return Err(SuricataError::EmptyKeyword);
        }
        let mut value = None;
        if i < chars.len() && chars[i] == ':' {
            i += 1;
            let mut v = String::new();
            let mut in_quotes = false;
            while i < chars.len() {
                let c = chars[i];
                if c == '\\' {
                    v.push(c);
                    if let Some(&n) = chars.get(i + 1) {
                        v.push(n);
                    }
                    i += 2;
                    continue;
                }
                if c == '"' {
                    in_quotes = !in_quotes;
                } else if c == ';' && !in_quotes {
                    break;
                }
                v.push(c);
                i += 1;
            }
            if in_quotes {
                return Err(SuricataError::UnterminatedQuote(keyword));
            }
            value = Some(v.trim().to_string());
        }
        // Skip the terminating `;`.
        i += 1;
        out.push(RuleOption { keyword, value });
    }
    Ok(out)
}

/// Removes surrounding quotes and backslash escapes; a leading `!` is returned
/// separately.
fn unquote(raw: &str) -> (bool, String) {
    let (negated, body) = strip_negation(raw);
    let body = body.strip_prefix('"').and_then(|b| b.strip_suffix('"')).filter(|_| body.len() >= 2).unwrap_or(body);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    (negated, out)
}

/// Decodes `|0d 0a|` hex runs into bytes.
fn decode_content(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut in_hex = false;
    let mut hex = String::new();
    for c in s.chars() {
        if c == '|' {
            if in_hex {
                let digits: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
                if digits.len() & 1 != 0 {
                    return Err(format!("odd number of hex digits in `|{hex}|`"));
                }
                for k in (0..digits.len()).step_by(2) {
                    let pair = digits.get(k..k + 2).unwrap_or_default();
                    out.push(u8::from_str_radix(pair, 16).map_err(|_| format!("`{pair}` is not a hex byte"))?);
                }
                hex.clear();
            }
            in_hex = !in_hex;
        } else if in_hex {
            hex.push(c);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    if in_hex {
        return Err("unterminated `|` hex run".into());
    }
    Ok(out)
}

/// Keywords that are interpreted and have no effect on matching.
const NEUTRAL: &[&str] = &["classtype", "metadata", "reference"];
/// Sticky buffers whose `content` matches the verifier models.
pub const INTERPRETED_BUFFERS: &[&str] = &["tls.sni", "http.host"];
const CONTENT_MODIFIERS: &[&str] = &["nocase", "startswith", "endswith"];

fn number(keyword: &str, value: &Option<String>) -> Result<u64, SuricataError> {
    let v = value.as_deref().ok_or_else(|| SuricataError::MissingValue(keyword.to_string()))?;
    v.trim().parse::<u64>().map_err(|_| SuricataError::Number { keyword: keyword.to_string(), value: v.to_string() })
}

fn ip_proto_number(s: &str) -> Option<u8> {
    match s.trim().to_ascii_lowercase().as_str() {
        "gre" => Some(47),
        "esp" => Some(50),
        "ah" => Some(51),
        "ipv6-icmp" => Some(58),
        other => parse_protocol(other).ok().flatten(),
    }
}

/// Interprets the options of a parsed header.
fn build(
    h: Header,
    options: Vec<RuleOption>,
    text: String,
    rules_line: Option<u32>,
    prov: Provenance,
) -> Result<SuricataRule, SuricataError> {
    let mut sid = None;
    let mut rev = None;
    let mut msg = None;
    let mut priority = None;
    let mut flow = FlowOptions::default();
    let mut ip_proto = None;
    let mut contents: Vec<ContentMatch> = Vec::new();
    let mut ssl_state = None;
    let mut noalert = false;
    let mut unsupported: Vec<String> = Vec::new();
    let mut buffer: Option<String> = None;
    // `dotprefix` is a transform of the current sticky buffer (AWS writes
    // `tls.sni; dotprefix; content:…`); it applies to the contents that follow.
    let mut dotprefix = false;
    let note = |kw: &str, unsupported: &mut Vec<String>| {
        if !unsupported.iter().any(|u| u == kw) {
            unsupported.push(kw.to_string());
        }
    };
    for opt in &options {
        let kw = opt.keyword.as_str();
        let value = &opt.value;
        match kw {
            "sid" => sid = Some(number(kw, value)?),
            "rev" => rev = Some(number(kw, value)?),
            "priority" => priority = Some(number(kw, value)?),
            "msg" => msg = value.as_deref().map(|v| unquote(v).1),
            "noalert" => noalert = true,
            k if NEUTRAL.contains(&k) => {}
            "ssl_state" => ssl_state = value.clone(),
            "flow" => {
                let v = value.as_deref().ok_or_else(|| SuricataError::MissingValue(kw.to_string()))?;
                for flag in v.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                    match flag {
                        "to_server" | "from_client" => flow.to_server = true,
                        "to_client" | "from_server" => flow.to_client = true,
                        "established" => flow.established = true,
                        "not_established" => flow.not_established = true,
                        "stateless" => flow.stateless = true,
                        other => note(&format!("flow:{other}"), &mut unsupported),
                    }
                }
            }
            "ip_proto" => {
                let v = value.as_deref().ok_or_else(|| SuricataError::MissingValue(kw.to_string()))?;
                let (negated, name) = strip_negation(v);
                match ip_proto_number(name) {
                    Some(protocol) => ip_proto = Some(IpProtoMatch { negated, protocol }),
                    None => note(kw, &mut unsupported),
                }
            }
            "content" => {
                let raw = value.as_deref().ok_or_else(|| SuricataError::MissingValue(kw.to_string()))?;
                let (negated, content) = unquote(raw);
                let bytes = decode_content(&content).map_err(|m| SuricataError::Content(raw.to_string(), m))?;
                if buffer.is_none() {
                    // Payload matching is beyond the header/SNI/Host model.
                    note(kw, &mut unsupported);
                }
                contents.push(ContentMatch {
                    buffer: buffer.clone(),
                    content,
                    bytes,
                    negated,
                    nocase: false,
                    startswith: false,
                    endswith: false,
                    dotprefix,
                });
            }
            k if CONTENT_MODIFIERS.contains(&k) => {
                let last = contents.last_mut().ok_or_else(|| SuricataError::DanglingModifier(k.to_string()))?;
                match k {
                    "nocase" => last.nocase = true,
                    "startswith" => last.startswith = true,
                    _ => last.endswith = true,
                }
            }
            "dotprefix" => {
                if buffer.is_none() {
                    return Err(SuricataError::DanglingTransform(kw.to_string()));
                }
                dotprefix = true;
            }
            k if INTERPRETED_BUFFERS.contains(&k) => {
                buffer = Some(k.to_string());
                dotprefix = false;
            }
            k => {
                // A value-less dotted keyword (`dns.query`, `ja3.hash`) is a sticky
                // buffer: later `content`s apply to it. `pkt_data` resets to the payload.
                if value.is_none() && k.contains('.') {
                    buffer = Some(k.to_string());
                    dotprefix = false;
                } else if k == "pkt_data" {
                    buffer = None;
                    dotprefix = false;
                }
                note(k, &mut unsupported);
            }
        }
    }
    let sid = sid.ok_or(SuricataError::MissingSid)?;
    Ok(SuricataRule {
        action: h.action,
        protocol: h.protocol,
        src: h.src,
        src_ports: h.src_ports,
        bidirectional: h.bidirectional,
        dst: h.dst,
        dst_ports: h.dst_ports,
        options,
        sid,
        rev,
        msg,
        priority,
        flow,
        ip_proto,
        content_matches: contents,
        ssl_state,
        noalert,
        unsupported,
        text,
        rules_line,
        prov,
    })
}

fn neg(f: &mut fmt::Formatter<'_>, negated: bool) -> fmt::Result {
    if negated {
        f.write_str("!")?;
    }
    Ok(())
}

fn write_list<T>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    mut each: impl FnMut(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    f.write_str("[")?;
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        each(f, e)?;
    }
    f.write_str("]")
}

impl fmt::Display for AddrEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        neg(f, self.negated)?;
        match &self.item {
            AddrItem::Any => f.write_str("any"),
            AddrItem::Cidr(n) => write!(f, "{n}"),
            AddrItem::Ipv6(s) => f.write_str(s),
            AddrItem::Var(v) => write!(f, "${v}"),
            AddrItem::IpSetRef(v) => write!(f, "@{v}"),
            AddrItem::List(l) => write_list(f, l, |f, e| write!(f, "{e}")),
        }
    }
}

impl fmt::Display for AddrSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrSpec::Any => f.write_str("any"),
            AddrSpec::List(l) if l.len() == 1 => write!(f, "{}", l[0]),
            AddrSpec::List(l) => write_list(f, l, |f, e| write!(f, "{e}")),
        }
    }
}

impl fmt::Display for PortEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        neg(f, self.negated)?;
        match &self.item {
            PortItem::Any => f.write_str("any"),
            PortItem::Range(r) if r.lo == r.hi => write!(f, "{}", r.lo),
            PortItem::Range(r) => write!(f, "{}:{}", r.lo, r.hi),
            PortItem::Var(v) => write!(f, "${v}"),
            PortItem::List(l) => write_list(f, l, |f, e| write!(f, "{e}")),
        }
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpec::Any => f.write_str("any"),
            PortSpec::List(l) if l.len() == 1 => write!(f, "{}", l[0]),
            PortSpec::List(l) => write_list(f, l, |f, e| write!(f, "{e}")),
        }
    }
}

/// Renders the rule as Suricata text (options as written).
impl fmt::Display for SuricataRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {} (",
            self.action,
            self.protocol,
            self.src,
            self.src_ports,
            if self.bidirectional { "<>" } else { "->" },
            self.dst,
            self.dst_ports
        )?;
        for (i, o) in self.options.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match &o.value {
                Some(v) => write!(f, "{}:{};", o.keyword, v)?,
                None => write!(f, "{};", o.keyword)?,
            }
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn prov() -> Provenance {
        Provenance::new(Arc::from("rules.json"), None, "rulegroup/test")
    }

    fn parse(s: &str) -> Result<SuricataRule, SuricataError> {
        parse_rule(s, Some(1), prov())
    }

    fn ok(s: &str) -> SuricataRule {
        match parse(s) {
            Ok(r) => r,
            Err(e) => unreachable!("`{s}` should parse: {e}"),
        }
    }

    fn cidr(s: &str) -> AddrEntry {
        AddrEntry { negated: false, item: AddrItem::Cidr(s.parse().unwrap_or_default()) }
    }

    #[test]
    fn aws_tls_allowlist_rule() {
        let r = ok(
            r#"pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; dotprefix; content:".amazon.com"; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)"#,
        );
        assert_eq!(r.action, RuleAction::Pass);
        assert_eq!(r.protocol, "tls");
        assert_eq!(r.src, AddrSpec::List(vec![AddrEntry { negated: false, item: AddrItem::Var("HOME_NET".into()) }]));
        assert_eq!(r.src_ports, PortSpec::Any);
        assert!(!r.bidirectional);
        assert_eq!(r.sid, 1);
        assert_eq!(r.rev, Some(1));
        assert_eq!(r.priority, Some(1));
        assert_eq!(r.msg.as_deref(), Some("matching TLS allowlisted FQDNs"));
        assert_eq!(r.ssl_state.as_deref(), Some("client_hello"));
        assert!(r.flow.to_server && r.flow.established && !r.flow.to_client);
        assert_eq!(
            r.content_matches,
            vec![ContentMatch {
                buffer: Some("tls.sni".into()),
                content: ".amazon.com".into(),
                bytes: b".amazon.com".to_vec(),
                negated: false,
                nocase: true,
                startswith: false,
                endswith: true,
                dotprefix: true,
            }]
        );
        assert!(r.unsupported.is_empty(), "{:?}", r.unsupported);
        assert_eq!(r.options.len(), 11);
    }

    #[test]
    fn dotprefix_is_a_buffer_transform() {
        let r = ok(
            r#"pass tls any any -> any any (tls.sni; dotprefix; content:".x.com"; endswith; content:"y"; http.host; content:"z"; sid:9;)"#,
        );
        let flags: Vec<bool> = r.content_matches.iter().map(|c| c.dotprefix).collect();
        assert_eq!(flags, vec![true, true, false]);
        assert_eq!(
            parse("pass tls any any -> any any (dotprefix; content:\"x\"; sid:9;)").err(),
            Some(SuricataError::DanglingTransform("dotprefix".into()))
        );
    }

    #[test]
    fn header_lists_negation_and_ports() {
        let r = ok("drop tcp [10.0.0.0/8, !10.1.0.0/16, 192.168.1.5] [1024:,!2000] <> ![$HOME_NET,@BETA] [:1023,$WEB] (sid:7;)");
        assert!(r.bidirectional);
        assert_eq!(
            r.src,
            AddrSpec::List(vec![
                cidr("10.0.0.0/8"),
                AddrEntry { negated: true, item: AddrItem::Cidr("10.1.0.0/16".parse().unwrap_or_default()) },
                cidr("192.168.1.5/32"),
            ])
        );
        assert_eq!(
            r.src_ports,
            PortSpec::List(vec![
                PortEntry { negated: false, item: PortItem::Range(PortRange::new(1024, 65535)) },
                PortEntry { negated: true, item: PortItem::Range(PortRange::single(2000)) },
            ])
        );
        assert_eq!(
            r.dst,
            AddrSpec::List(vec![AddrEntry {
                negated: true,
                item: AddrItem::List(vec![
                    AddrEntry { negated: false, item: AddrItem::Var("HOME_NET".into()) },
                    AddrEntry { negated: false, item: AddrItem::IpSetRef("BETA".into()) },
                ]),
            }])
        );
        assert_eq!(
            r.dst_ports,
            PortSpec::List(vec![
                PortEntry { negated: false, item: PortItem::Range(PortRange::new(0, 1023)) },
                PortEntry { negated: false, item: PortItem::Var("WEB".into()) },
            ])
        );
    }

    #[test]
    fn host_bits_are_cleared_and_ipv6_kept() {
        let r = ok("alert ip 10.1.2.3/16 any -> [2001:db8::/32, 10.0.0.1] any (sid:3;)");
        assert_eq!(r.src, AddrSpec::List(vec![cidr("10.1.0.0/16")]));
        assert_eq!(r.ipv6_addresses(), vec!["2001:db8::/32"]);
    }

    #[test]
    fn quoted_values_with_semicolons_and_escapes() {
        let r = ok(
            r#"alert http any any -> any any (msg:"a; b \"c\" d\;e"; content:"x\;y"; http.host; content:!"evil.com"; sid:4;)"#,
        );
        assert_eq!(r.msg.as_deref(), Some(r#"a; b "c" d;e"#));
        assert_eq!(r.content_matches[0].content, "x;y");
        assert_eq!(r.content_matches[0].buffer, None);
        assert!(r.content_matches[1].negated);
        assert_eq!(r.content_matches[1].buffer.as_deref(), Some("http.host"));
        // Raw payload content is not modelled.
        assert_eq!(r.unsupported, vec!["content"]);
    }

    #[test]
    fn hex_content_is_decoded() {
        let r = ok(r#"drop http any any -> any any (http.header_names; content:"|0d 0a|"; startswith; sid:5;)"#);
        let c = &r.content_matches[0];
        assert_eq!(c.content, "|0d 0a|");
        assert_eq!(c.bytes, vec![0x0d, 0x0a]);
        assert_eq!(c.buffer.as_deref(), Some("http.header_names"));
        assert!(c.startswith);
        assert_eq!(r.unsupported, vec!["http.header_names"]);
    }

    #[test]
    fn unsupported_keywords_are_listed_once_in_order() {
        let r = ok(
            r#"alert tls $HOME_NET any -> $EXTERNAL_NET any (ja3.hash; content:"e7d7"; pcre:"/a;b/i"; xbits:set,x,track ip_src; geoip:dst,RU; flow:established,only_stream; dsize:0; pcre:"/c/"; app-layer-protocol:!tls; sid:2005; rev:1;)"#,
        );
        assert_eq!(
            r.unsupported,
            vec!["ja3.hash", "pcre", "xbits", "geoip", "flow:only_stream", "dsize", "app-layer-protocol"]
        );
        assert!(r.flow.established);
        assert_eq!(r.content_matches[0].buffer.as_deref(), Some("ja3.hash"));
        assert!(r.is_approximate());
    }

    #[test]
    fn ip_proto_and_neutral_keywords() {
        let r = ok(
            r#"drop ip any any -> any any (ip_proto:!TCP; classtype:misc; metadata:a b, c d; reference:url,x.com; noalert; flow:stateless; sid:6;)"#,
        );
        assert_eq!(r.ip_proto, Some(IpProtoMatch { negated: true, protocol: 6 }));
        assert!(r.noalert);
        assert!(r.flow.stateless);
        assert!(r.unsupported.is_empty());
        let r = ok("drop ip any any -> any any (ip_proto:47; sid:8;)");
        assert_eq!(r.ip_proto, Some(IpProtoMatch { negated: false, protocol: 47 }));
    }

    #[test]
    fn unknown_action_and_protocol_parse() {
        let r = ok("rejectsrc foo any any -> any any (sid:1)");
        assert_eq!(r.action, RuleAction::Other("rejectsrc".into()));
        assert!(!r.action.is_known());
        assert!(!r.protocol_is_known());
    }

    #[test]
    fn parse_errors() {
        let cases: &[(&str, SuricataError)] = &[
            ("pass tcp any any -> any any", SuricataError::MissingOptions),
            ("pass tcp any any -> any any (sid:1;", SuricataError::UnclosedOptions),
            ("pass tcp any any -> any (sid:1;)", SuricataError::HeaderFields(6)),
            ("pass tcp any any => any any (sid:1;)", SuricataError::Direction("=>".into())),
            ("pass tcp any any -> any any (msg:\"x;)", SuricataError::UnterminatedQuote("msg".into())),
            ("pass tcp any any -> any any (msg:\"x\";)", SuricataError::MissingSid),
            (
                "pass tcp any any -> any any (sid:abc;)",
                SuricataError::Number { keyword: "sid".into(), value: "abc".into() },
            ),
            ("pass tcp any any -> any any (nocase; sid:1;)", SuricataError::DanglingModifier("nocase".into())),
            ("pass tcp any any -> any any (sid:1;) extra", SuricataError::TrailingText("extra".into())),
            (
                "pass tcp [10.0.0.0/8 any -> any any (sid:1;)",
                SuricataError::Brackets("pass tcp [10.0.0.0/8 any -> any any".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).err().as_ref(), Some(want), "{text}");
        }
        assert!(matches!(parse("pass tcp 10.0.0.300 any -> any any (sid:1;)"), Err(SuricataError::Address(..))));
        assert!(matches!(parse("pass tcp any 70000 -> any any (sid:1;)"), Err(SuricataError::Port(..))));
        assert!(matches!(parse("pass tcp any 90:80 -> any any (sid:1;)"), Err(SuricataError::Port(..))));
        assert!(matches!(parse("pass tcp $ any -> any any (sid:1;)"), Err(SuricataError::Address(..))));
    }

    #[test]
    fn split_rules_skips_comments_and_joins_continuations() {
        let text = "# header comment\n\npass tcp any any -> any any (sid:1;)\n  drop tcp any any -> \\\n   any any (sid:2;)\n#drop ip any any -> any any (sid:3;)\n";
        let lines = split_rules(text);
        assert_eq!(
            lines,
            vec![
                RuleLine { line: 3, text: "pass tcp any any -> any any (sid:1;)".into() },
                RuleLine { line: 4, text: "drop tcp any any -> any any (sid:2;)".into() },
            ]
        );
    }

    #[test]
    fn five_tuple_matches_text_form() {
        let settings_sid = vec!["1234".to_string()];
        let settings_msg = vec!["\"stateful drop\"".to_string()];
        let settings_flow = vec!["to_server".to_string(), "established".to_string()];
        let t = FiveTuple {
            action: "DROP",
            protocol: "HTTP",
            source: "$HOME_NET",
            source_port: "ANY",
            direction: "ANY",
            destination: "10.0.0.0/16",
            destination_port: "8000:8080",
            options: vec![("msg", &settings_msg), ("flow", &settings_flow), ("sid", &settings_sid)],
        };
        let r = SuricataRule::from_five_tuple(&t, prov()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(r.text, "drop http $HOME_NET any <> 10.0.0.0/16 8000:8080 (msg:\"stateful drop\"; flow:to_server,established; sid:1234;)");
        let again = ok(&r.text);
        assert_eq!(
            (again.action, again.src, again.dst, again.dst_ports, again.flow, again.sid),
            (r.action, r.src, r.dst, r.dst_ports, r.flow, r.sid)
        );
        let bad = FiveTuple { direction: "BACKWARD", ..t.clone() };
        assert_eq!(
            SuricataRule::from_five_tuple(&bad, prov()).err(),
            Some(SuricataError::Direction("BACKWARD".into()))
        );
        let no_sid = FiveTuple { options: vec![], ..t };
        assert_eq!(SuricataRule::from_five_tuple(&no_sid, prov()).err(), Some(SuricataError::MissingSid));
    }
}
