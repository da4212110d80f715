//! The typed syntax tree of the spec language. Every node carries a byte
//! [`Span`] into the file it came from, so diagnostics, SARIF and HTML can
//! point back at the source.
//!
//! The parser produces a [`SpecFile`] per file, whose specs are still
//! [`SpecDecl`]s with optional fields; the loader checks them and produces
//! validated [`Spec`]s with every `let` reference resolved.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use ipnet::Ipv4Net;

/// Index of a file in a [`super::diag::SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Ord for Span {
    fn cmp(&self, o: &Span) -> std::cmp::Ordering {
        (self.file, self.range.start, self.range.end).cmp(&(o.file, o.range.start, o.range.end))
    }
}

impl PartialOrd for Span {
    fn partial_cmp(&self, o: &Span) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span { file, range }
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(&self, other: &Span) -> Span {
        Span { file: self.file, range: self.range.start.min(other.range.start)..self.range.end.max(other.range.end) }
    }
}

/// An identifier with its span: a `let` name, a spec id, a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

/// A piece of text that may mention `for each` variables (`$t`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    Lit(String),
    /// `$name`; the byte offset of the `$` inside the template text.
    Var {
        name: String,
        offset: usize,
    },
}

/// Values bound by enclosing `for each` loops.
pub type Bindings = BTreeMap<String, String>;

impl Template {
    pub fn literal(s: impl Into<String>) -> Template {
        Template { parts: vec![TemplatePart::Lit(s.into())] }
    }

    /// Splits `$name` references out of `text` (`$$` is a literal `$`).
    pub fn parse(text: &str) -> Template {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            let c = bytes[i];
            if c == b'$' {
                if bytes.get(i + 1) == Some(&b'$') {
                    lit.push('$');
                    i += 2;
                    continue;
                }
                let start = i + 1;
                let mut end = start;
                while end < text.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                    end += 1;
                }
                if end > start {
                    if !lit.is_empty() {
                        parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(TemplatePart::Var { name: text[start..end].to_string(), offset: i });
                    i = end;
                    continue;
                }
                lit.push('$');
                i += 1;
                continue;
            }
            // Push the whole UTF-8 character.
            let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
            lit.push_str(&text[i..i + ch_len]);
            i += ch_len;
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(TemplatePart::Lit(lit));
        }
        Template { parts }
    }

    /// The variables mentioned, with their offsets.
    pub fn vars(&self) -> impl Iterator<Item = (&str, usize)> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Var { name, offset } => Some((name.as_str(), *offset)),
            TemplatePart::Lit(_) => None,
        })
    }

    pub fn has_vars(&self) -> bool {
        self.vars().next().is_some()
    }

    /// Substitutes bound variables. The loader rejects unbound ones, so an
    /// unbound variable (which cannot occur in a loaded spec) stays `$name`.
    pub fn render(&self, b: &Bindings) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TemplatePart::Lit(s) => out.push_str(s),
                TemplatePart::Var { name, .. } => match b.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('$');
                        out.push_str(name);
                    }
                },
            }
        }
        out
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                TemplatePart::Lit(s) => {
                    for c in s.chars() {
                        if c == '$' {
                            write!(f, "$$")?;
                        } else {
                            write!(f, "{c}")?;
                        }
                    }
                }
                TemplatePart::Var { name, .. } => write!(f, "${name}")?,
            }
        }
        Ok(())
    }
}

/// A value as written: a bare word or a quoted string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: Template,
    /// Was it written in quotes (for printing it back)?
    pub quoted: bool,
    /// The text maps byte-for-byte onto the source (no escapes), so an
    /// offset inside it can be turned into a precise span.
    pub exact: bool,
    pub span: Span,
}

impl Value {
    /// The span of `range` (byte offsets into the value's text), or the whole
    /// value when the text does not map exactly onto the source.
    pub fn sub_span(&self, range: Range<usize>) -> Span {
        if !self.exact {
            return self.span.clone();
        }
        let base = self.span.range.start + usize::from(self.quoted);
        let end = (base + range.end).min(self.span.range.end);
        Span::new(self.span.file, (base + range.start).min(end)..end)
    }

    /// The text with variables substituted.
    pub fn render(&self, b: &Bindings) -> String {
        self.text.render(b)
    }
}

// ---------------------------------------------------------------------------
// Files and specs

/// One parsed `.nps` file.
#[derive(Debug, Clone, Default)]
pub struct SpecFile {
    pub file: FileId,
    pub includes: Vec<Include>,
    pub lets: Vec<Let>,
    pub specs: Vec<SpecDecl>,
}

/// `include "path"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    pub span: Span,
}

/// `let NAME = SELECTOR`.
#[derive(Debug, Clone, PartialEq)]
pub struct Let {
    pub name: Name,
    pub selector: Selector,
    pub span: Span,
}

/// `spec ID { ... }` as parsed: every key is optional here; the loader
/// reports the missing ones.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecDecl {
    pub id: Name,
    pub title: Option<(String, Span)>,
    pub severity: Option<(Severity, Span)>,
    pub rationale: Option<(String, Span)>,
    pub tags: Vec<(String, Span)>,
    pub expect_violated: Option<(bool, Span)>,
    pub property: Option<Property>,
    /// A property was present but did not parse; no "missing property" error.
    pub property_failed: bool,
    /// Every known key written, valid or not (no "missing key" error for a
    /// key that was given with a bad value).
    pub keys_seen: Vec<String>,
    pub span: Span,
}

/// A loaded, checked spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub rationale: Option<String>,
    pub tags: Vec<String>,
    /// `expect = violated`: a known, accepted exception.
    pub expect_violated: bool,
    pub property: Property,
    /// The whole `spec { }` block.
    pub span: Span,
    /// The span of the id (for pointing at the spec in reports).
    pub id_span: Span,
    pub file: FileId,
}

/// How bad a violation of the spec is (SARIF `level`, HTML badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

// ---------------------------------------------------------------------------
// Properties

/// What a spec asserts.
#[derive(Debug, Clone, PartialEq)]
pub enum Property {
    /// `never A -> B [on P]`: no source in A can open a connection to any
    /// destination in B on P.
    Never { src: Selector, dst: Selector, on: PortSpec, span: Span },
    /// `always A -> B [on P]`: every source in A can open a connection to
    /// every destination in B, for every port in P.
    Always { src: Selector, dst: Selector, on: PortSpec, span: Span },
    /// `only A -> B via W [on P]`: every allowed connection from A to B
    /// passes the waypoint W.
    Only { src: Selector, dst: Selector, via: Waypoint, on: PortSpec, span: Span },
    /// `for each VAR in namespace-label "KEY": PROPERTY`: the body, once per
    /// label value in the snapshot, with `$VAR` bound to it.
    ForEach { var: Name, source: LabelSource, body: Box<Property>, span: Span },
}

impl Property {
    pub fn span(&self) -> &Span {
        match self {
            Property::Never { span, .. }
            | Property::Always { span, .. }
            | Property::Only { span, .. }
            | Property::ForEach { span, .. } => span,
        }
    }

    /// The property inside every `for each`.
    pub fn innermost(&self) -> &Property {
        match self {
            Property::ForEach { body, .. } => body.innermost(),
            p => p,
        }
    }
}

/// Where a `for each` takes its values from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSource {
    pub kind: LabelKind,
    pub key: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LabelKind {
    /// `namespace-label`: labels of namespaces, in every cluster.
    Namespace,
    /// `pod-label`: labels of live pods, in every cluster.
    Pod,
}

impl LabelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Namespace => "namespace-label",
            LabelKind::Pod => "pod-label",
        }
    }
}

/// The traffic a property is about: a union of items. `on any` (or no `on`)
/// is one item with `proto: None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub items: Vec<PortItem>,
    /// The items as written; `None` when the `on` clause was omitted.
    pub span: Option<Span>,
}

impl PortSpec {
    /// Every protocol and port.
    pub fn any() -> PortSpec {
        PortSpec { items: vec![PortItem::any()], span: None }
    }

    pub fn is_any(&self) -> bool {
        self.items.iter().any(|i| i.proto.is_none())
    }
}

/// One protocol and destination port range (or ICMP type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortItem {
    /// IP protocol number; `None` = any protocol.
    pub proto: Option<u8>,
    /// Destination port range (inclusive); `0..=65535` when not given, and for
    /// protocols without ports.
    pub lo: u16,
    pub hi: u16,
    /// ICMP type, for `icmp/<type>`.
    pub icmp_type: Option<u8>,
    pub span: Option<Span>,
}

impl PortItem {
    pub fn any() -> PortItem {
        PortItem { proto: None, lo: 0, hi: 65535, icmp_type: None, span: None }
    }
}

impl fmt::Display for PortItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.proto {
            None => return write!(f, "any"),
            Some(6) => "tcp",
            Some(17) => "udp",
            Some(1) => "icmp",
            Some(p) => return write!(f, "proto/{p}"),
        };
        match (self.proto, self.icmp_type) {
            (Some(1), Some(t)) => write!(f, "{name}/{t}"),
            _ if self.lo == 0 && self.hi == 65535 => write!(f, "{name}"),
            _ if self.lo == self.hi => write!(f, "{name}/{}", self.lo),
            _ => write!(f, "{name}/{}-{}", self.lo, self.hi),
        }
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self.items.iter().map(ToString::to_string).collect();
        write!(f, "{}", items.join(", "))
    }
}

/// What an `only` property's paths must pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Waypoint {
    /// `firewall(NAME)`: an AWS Network Firewall, by name or ARN.
    Firewall { name: Value, span: Span },
    /// `nat(ID)`: a NAT gateway.
    Nat { id: Value, span: Span },
    /// `igw(ID)`: an internet gateway.
    Igw { id: Value, span: Span },
    /// `tgw(ID)`: a transit gateway.
    Tgw { id: Value, span: Span },
    /// Any selector of ENIs (`enis(...)`, `instances(...)`, a `let` name).
    Enis(Selector),
}

impl Waypoint {
    pub fn span(&self) -> &Span {
        match self {
            Waypoint::Firewall { span, .. }
            | Waypoint::Nat { span, .. }
            | Waypoint::Igw { span, .. }
            | Waypoint::Tgw { span, .. } => span,
            Waypoint::Enis(s) => s.span(),
        }
    }
}

// ---------------------------------------------------------------------------
// Selectors

/// A set of endpoints.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// `pods(...)`, `enis(...)`, ….
    Term(Term),
    /// `internet`: every public address outside the snapshot.
    Internet(Span),
    /// A CIDR or IPv4 address literal.
    Cidr(Ipv4Net, Span),
    /// A `let` name. `target` is filled in by the loader.
    ///
    /// INVARIANT: in a loaded [`Spec`], every `Ref` has `target: Some(_)`.
    Ref { name: Name, target: Option<Box<Selector>> },
    /// `A | B`.
    Union(Box<Selector>, Box<Selector>, Span),
    /// `A except B`.
    Except(Box<Selector>, Box<Selector>, Span),
    /// `( A )`, kept so printing round-trips.
    Paren(Box<Selector>, Span),
}

impl Selector {
    pub fn span(&self) -> &Span {
        match self {
            Selector::Term(t) => &t.span,
            Selector::Internet(s) | Selector::Cidr(_, s) => s,
            Selector::Ref { name, .. } => &name.span,
            Selector::Union(_, _, s) | Selector::Except(_, _, s) | Selector::Paren(_, s) => s,
        }
    }

    /// Does this selector denote ENIs only (so that it can be a waypoint)?
    /// Unresolved references count as ENI-valued.
    pub fn is_eni_valued(&self) -> bool {
        match self {
            Selector::Term(t) => t.kind.is_eni_valued(),
            Selector::Internet(_) | Selector::Cidr(..) => false,
            Selector::Ref { target, .. } => target.as_ref().is_none_or(|t| t.is_eni_valued()),
            Selector::Union(a, b, _) => a.is_eni_valued() && b.is_eni_valued(),
            Selector::Except(a, _, _) => a.is_eni_valued(),
            Selector::Paren(a, _) => a.is_eni_valued(),
        }
    }
}

/// `kind(key: value, ...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub args: Vec<Arg>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    Pods,
    Services,
    Enis,
    Instances,
    Subnets,
    Vpcs,
    Accounts,
    /// Managed prefix lists: their entries, as address ranges.
    PrefixLists,
}

impl TermKind {
    pub const ALL: [TermKind; 8] = [
        TermKind::Pods,
        TermKind::Services,
        TermKind::Enis,
        TermKind::Instances,
        TermKind::Subnets,
        TermKind::Vpcs,
        TermKind::Accounts,
        TermKind::PrefixLists,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Pods => "pods",
            TermKind::Services => "services",
            TermKind::Enis => "enis",
            TermKind::Instances => "instances",
            TermKind::Subnets => "subnets",
            TermKind::Vpcs => "vpcs",
            TermKind::Accounts => "accounts",
            TermKind::PrefixLists => "prefix-lists",
        }
    }

    pub fn parse(s: &str) -> Option<TermKind> {
        TermKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The argument keys this term accepts.
    pub fn keys(self) -> &'static [ArgKey] {
        use ArgKey::*;
        match self {
            TermKind::Pods => &[Cluster, Namespace, Name, Labels, NamespaceLabels],
            TermKind::Services => &[Cluster, Namespace, Name, Labels],
            TermKind::Enis => &[Id, Tag, Sg, Subnet, Vpc, Account, Kind],
            TermKind::Instances => &[Id, Tag, Vpc, Subnet, Account],
            TermKind::Subnets => &[Id, Tag, Vpc, Account],
            TermKind::Vpcs => &[Id, Tag, Account],
            TermKind::Accounts => &[Id],
            TermKind::PrefixLists => &[Id, Name, Account],
        }
    }

    /// Instances resolve to their ENIs; subnets, VPCs and accounts to the
    /// ENIs (and pods) in them.
    pub fn is_eni_valued(self) -> bool {
        matches!(self, TermKind::Enis | TermKind::Instances)
    }
}

/// `key: value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: ArgKey,
    pub key_span: Span,
    pub value: ArgValue,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArgKey {
    Cluster,
    Namespace,
    Name,
    Labels,
    NamespaceLabels,
    Id,
    Tag,
    Sg,
    Subnet,
    Vpc,
    Account,
    Kind,
}

impl ArgKey {
    pub const ALL: [ArgKey; 12] = [
        ArgKey::Cluster,
        ArgKey::Namespace,
        ArgKey::Name,
        ArgKey::Labels,
        ArgKey::NamespaceLabels,
        ArgKey::Id,
        ArgKey::Tag,
        ArgKey::Sg,
        ArgKey::Subnet,
        ArgKey::Vpc,
        ArgKey::Account,
        ArgKey::Kind,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArgKey::Cluster => "cluster",
            ArgKey::Namespace => "namespace",
            ArgKey::Name => "name",
            ArgKey::Labels => "labels",
            ArgKey::NamespaceLabels => "namespace-labels",
            ArgKey::Id => "id",
            ArgKey::Tag => "tag",
            ArgKey::Sg => "sg",
            ArgKey::Subnet => "subnet",
            ArgKey::Vpc => "vpc",
            ArgKey::Account => "account",
            ArgKey::Kind => "kind",
        }
    }

    pub fn parse(s: &str) -> Option<ArgKey> {
        ArgKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The value of an argument, already interpreted for its key.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Matched exactly, or as a glob when it contains `*`.
    Text(Value),
    /// `labels:` and `namespace-labels:`: a Kubernetes label selector.
    Labels(LabelExpr),
    /// `tag: "K=V"` or `tag: "K"`.
    Tag { key: Template, value: Option<Template>, raw: Value },
    /// `kind:`.
    Kind(EniKindSel, Value),
}

impl ArgValue {
    /// The value as written.
    pub fn raw(&self) -> &Value {
        match self {
            ArgValue::Text(v) | ArgValue::Tag { raw: v, .. } | ArgValue::Kind(_, v) => v,
            ArgValue::Labels(l) => &l.raw,
        }
    }
}

/// A Kubernetes label selector string, parsed: the requirements are ANDed.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelExpr {
    pub reqs: Vec<LabelReq>,
    pub raw: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelReq {
    pub key: Template,
    pub op: LabelOp,
    pub values: Vec<Template>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LabelOp {
    /// `k=v`, `k==v`.
    Eq,
    /// `k!=v` (also matches objects without `k`, as in Kubernetes).
    NotEq,
    /// `k in (a,b)`.
    In,
    /// `k notin (a,b)`.
    NotIn,
    /// `k`.
    Exists,
    /// `!k`.
    DoesNotExist,
}

/// ENI kinds a selector can name; some cover several model kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EniKindSel {
    Instance,
    Rds,
    Nat,
    LoadBalancer,
    GatewayLoadBalancer,
    Endpoint,
    GatewayLoadBalancerEndpoint,
    EksBranch,
    EksTrunk,
    TransitGateway,
    Lambda,
    Other,
}

impl EniKindSel {
    pub const ALL: [EniKindSel; 12] = [
        EniKindSel::Instance,
        EniKindSel::Rds,
        EniKindSel::Nat,
        EniKindSel::LoadBalancer,
        EniKindSel::GatewayLoadBalancer,
        EniKindSel::Endpoint,
        EniKindSel::GatewayLoadBalancerEndpoint,
        EniKindSel::EksBranch,
        EniKindSel::EksTrunk,
        EniKindSel::TransitGateway,
        EniKindSel::Lambda,
        EniKindSel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        self.model().as_str()
    }

    pub fn parse(s: &str) -> Option<EniKindSel> {
        EniKindSel::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The model kind with the same name.
    pub fn model(self) -> netprove_models::model::aws::EniKind {
        use netprove_models::model::aws::EniKind as K;
        match self {
            EniKindSel::Instance => K::Instance,
            EniKindSel::Rds => K::Rds,
            EniKindSel::Nat => K::NatGateway,
            EniKindSel::LoadBalancer => K::LoadBalancer,
            EniKindSel::GatewayLoadBalancer => K::GatewayLoadBalancer,
            EniKindSel::Endpoint => K::VpcEndpoint,
            EniKindSel::GatewayLoadBalancerEndpoint => K::GatewayLoadBalancerEndpoint,
            EniKindSel::EksBranch => K::EksBranch,
            EniKindSel::EksTrunk => K::EksTrunk,
            EniKindSel::TransitGateway => K::TransitGateway,
            EniKindSel::Lambda => K::Lambda,
            EniKindSel::Other => K::Other,
        }
    }
}
