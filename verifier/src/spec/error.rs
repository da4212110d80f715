//! Typed spec errors and warnings, as data. [`SpecError::to_diagnostic`] and
//! [`SpecWarning::to_diagnostic`] give them their code, labels and help;
//! [`super::diag::render`] turns those into text.

use super::ast::Span;
use super::diag::{backticked, did_you_mean, Diagnostic, Level};

/// An error in a spec file. Each variant is one diagnostic code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("unknown key `{key}` in {context}")]
    UnknownKey { key: String, context: String, span: Span, valid: Vec<&'static str>, suggestions: Vec<String> },
    #[error("expected {expected}, found {found}")]
    Unexpected { expected: String, found: String, span: Span, help: Option<String> },
    #[error("unterminated string")]
    UnterminatedString { span: Span },
    #[error("invalid character `{ch}`")]
    InvalidChar { ch: char, span: Span },
    #[error("undefined name `{name}`")]
    UndefinedName { name: String, span: Span, suggestions: Vec<String> },
    #[error("{problem}")]
    InvalidPort { problem: String, span: Span, help: String },
    #[error("invalid address `{text}`")]
    InvalidAddress { text: String, span: Span, reason: String },
    #[error("invalid label selector `{text}`")]
    InvalidLabelSelector { text: String, problem: String, span: Span },
    #[error("spec `{id}` has no `{key}`")]
    MissingKey { id: String, key: &'static str, span: Span, help: String },
    #[error("duplicate key `{key}`")]
    DuplicateKey { key: String, span: Span, first: Span },
    #[error("invalid {what} `{value}`")]
    InvalidValue { what: &'static str, value: String, span: Span, help: String },
    #[error("duplicate spec id `{id}`")]
    DuplicateSpec { id: String, span: Span, first: Span },
    #[error("`{name}` is defined more than once")]
    DuplicateLet { name: String, span: Span, first: Span },
    #[error("include cycle: {chain}")]
    IncludeCycle { chain: String, span: Span },
    #[error("cannot read `{path}`: {reason}")]
    Read { path: String, reason: String, span: Option<Span> },
    #[error("spec `{id}` has no property")]
    MissingProperty { id: String, span: Span },
    #[error("spec `{id}` has more than one property")]
    ExtraProperty { id: String, span: Span, first: Span },
    #[error("undefined variable `${name}`")]
    UndefinedVar { name: String, span: Span, bound: Vec<String> },
    #[error("{what} cannot be a waypoint")]
    InvalidWaypoint { what: String, span: Span },
    #[error("`{name}` is defined in terms of itself")]
    CyclicLet { name: String, span: Span, chain: String },
    #[error("no spec files (`*.nps`) in `{path}`")]
    NoSpecFiles { path: String },
    #[error("unknown selector `{name}`")]
    UnknownSelector { name: String, span: Span, suggestions: Vec<String> },
    #[error("variable `${name}` is already bound")]
    ShadowedVar { name: String, span: Span, first: Span },
}

impl SpecError {
    pub fn code(&self) -> &'static str {
        match self {
            SpecError::UnknownKey { .. } => "E001",
            SpecError::Unexpected { .. } => "E002",
            SpecError::UnterminatedString { .. } => "E003",
            SpecError::InvalidChar { .. } => "E004",
            SpecError::UndefinedName { .. } => "E005",
            SpecError::InvalidPort { .. } => "E006",
            SpecError::InvalidAddress { .. } => "E007",
            SpecError::InvalidLabelSelector { .. } => "E008",
            SpecError::MissingKey { .. } => "E009",
            SpecError::DuplicateKey { .. } => "E010",
            SpecError::InvalidValue { .. } => "E011",
            SpecError::DuplicateSpec { .. } => "E012",
            SpecError::DuplicateLet { .. } => "E013",
            SpecError::IncludeCycle { .. } => "E014",
            SpecError::Read { .. } => "E015",
            SpecError::MissingProperty { .. } | SpecError::ExtraProperty { .. } => "E016",
            SpecError::UndefinedVar { .. } => "E017",
            SpecError::InvalidWaypoint { .. } => "E018",
            SpecError::CyclicLet { .. } => "E019",
            SpecError::NoSpecFiles { .. } => "E020",
            SpecError::UnknownSelector { .. } => "E021",
            SpecError::ShadowedVar { .. } => "E022",
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let (labels, help): (Vec<(Span, String)>, Option<String>) = match self {
            SpecError::UnknownKey { span, valid, suggestions, .. } => (
                vec![(span.clone(), "unknown key".into())],
                Some(match did_you_mean(suggestions) {
                    Some(d) => d,
                    None => format!("valid keys are {}", backticked(valid.iter().copied())),
                }),
            ),
            SpecError::Unexpected { span, expected, help, .. } => {
                (vec![(span.clone(), format!("expected {expected}"))], help.clone())
            }
            SpecError::UnterminatedString { span } => (
                vec![(span.clone(), "this string is not closed".into())],
                Some("add a closing `\"` before the end of the line".into()),
            ),
            SpecError::InvalidChar { span, .. } => (vec![(span.clone(), "not part of the language".into())], None),
            SpecError::UndefinedName { span, suggestions, .. } => (
                vec![(span.clone(), "not defined by any `let` in scope".into())],
                did_you_mean(suggestions).or(Some("define it with `let NAME = SELECTOR`, or `include` the file that does".into())),
            ),
            SpecError::InvalidPort { span, help, .. } => (vec![(span.clone(), "invalid port".into())], Some(help.clone())),
            SpecError::InvalidAddress { span, reason, .. } => (
                vec![(span.clone(), reason.clone())],
                Some("write an IPv4 address (`10.30.1.10`) or a CIDR (`10.30.0.0/16`)".into()),
            ),
            SpecError::InvalidLabelSelector { problem, span, .. } => (
                vec![(span.clone(), problem.clone())],
                Some("use Kubernetes syntax: `k=v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas".into()),
            ),
            SpecError::MissingKey { span, help, key, .. } => {
                (vec![(span.clone(), format!("this spec has no `{key}`"))], Some(help.clone()))
            }
            SpecError::DuplicateKey { span, first, .. } => (
                vec![(span.clone(), "set again here".into()), (first.clone(), "first set here".into())],
                Some("give each key once; repeat an argument key only inside a selector to match any of its values".into()),
            ),
            SpecError::InvalidValue { span, help, .. } => (vec![(span.clone(), "invalid value".into())], Some(help.clone())),
            SpecError::DuplicateSpec { span, first, .. } => (
                vec![(span.clone(), "defined again here".into()), (first.clone(), "first defined here".into())],
                Some("spec ids must be unique across all loaded files".into()),
            ),
            SpecError::DuplicateLet { span, first, .. } => (
                vec![(span.clone(), "defined again here".into()), (first.clone(), "first defined here".into())],
                Some("rename one of them".into()),
            ),
            SpecError::IncludeCycle { span, .. } => (
                vec![(span.clone(), "this include closes the cycle".into())],
                Some("move the shared `let`s into a file that includes nothing".into()),
            ),
            SpecError::Read { span, .. } => (span.iter().map(|s| (s.clone(), "included here".into())).collect(), None),
            SpecError::MissingProperty { span, .. } => (
                vec![(span.clone(), "this spec asserts nothing".into())],
                Some("add one of `never A -> B`, `always A -> B on ...`, `only A -> B via W`".into()),
            ),
            SpecError::ExtraProperty { span, first, .. } => (
                vec![(span.clone(), "second property".into()), (first.clone(), "first property".into())],
                Some("split it into two specs".into()),
            ),
            SpecError::UndefinedVar { span, bound, .. } => (
                vec![(span.clone(), "not bound by an enclosing `for each`".into())],
                Some(match bound.as_slice() {
                    [] => "variables are bound by `for each VAR in namespace-label \"KEY\":`; write `$$` for a literal `$`".into(),
                    b => format!("bound here: {}; write `$$` for a literal `$`", backticked(b.iter().map(String::as_str))),
                }),
            ),
            SpecError::InvalidWaypoint { span, .. } => (
                vec![(span.clone(), "not a waypoint".into())],
                Some("a waypoint is `firewall(NAME)`, `nat(ID)`, `igw(ID)`, `tgw(ID)` or a selector of ENIs (`enis(...)`, `instances(...)`)".into()),
            ),
            SpecError::CyclicLet { span, chain, .. } => {
                (vec![(span.clone(), format!("cycle: {chain}"))], Some("a `let` cannot refer to itself".into()))
            }
            SpecError::NoSpecFiles { .. } => (vec![], Some("spec files end in `.nps`".into())),
            SpecError::UnknownSelector { span, suggestions, .. } => (
                vec![(span.clone(), "unknown selector".into())],
                did_you_mean(suggestions).or(Some(
                    "selectors are `pods`, `services`, `enis`, `instances`, `subnets`, `vpcs`, `accounts`, `prefix-lists`".into(),
                )),
            ),
            SpecError::ShadowedVar { span, first, .. } => (
                vec![(span.clone(), "bound again here".into()), (first.clone(), "first bound here".into())],
                Some("use a different variable name".into()),
            ),
        };
        Diagnostic { severity: Level::Error, code: self.code(), message: self.to_string(), labels, help }
    }
}

/// A warning: the spec loads, but may not mean what it says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecWarning {
    #[error("selector matches nothing{}", when(bindings))]
    EmptySelector { span: Span, what: &'static str, bindings: Vec<(String, String)>, used_at: Option<Span> },
    #[error("`for each` has no values: no {} has the label `{key}`", kind_noun(kind))]
    EmptyForEach { kind: &'static str, key: String, span: Span },
    #[error("waypoint matches nothing{}", when(bindings))]
    EmptyWaypoint { span: Span, what: &'static str, bindings: Vec<(String, String)>, suggestions: Vec<String> },
    #[error("variable `${name}` is not used")]
    UnusedVar { name: String, span: Span },
}

fn when(bindings: &[(String, String)]) -> String {
    if bindings.is_empty() {
        String::new()
    } else {
        let b: Vec<String> = bindings.iter().map(|(k, v)| format!("`${k}` = `{v}`")).collect();
        format!(" when {}", b.join(", "))
    }
}

fn kind_noun(kind: &str) -> &'static str {
    if kind == "pod-label" {
        "live pod"
    } else {
        "namespace"
    }
}

impl SpecWarning {
    pub fn code(&self) -> &'static str {
        match self {
            SpecWarning::EmptySelector { .. } => "W001",
            SpecWarning::EmptyForEach { .. } => "W002",
            SpecWarning::EmptyWaypoint { .. } => "W003",
            SpecWarning::UnusedVar { .. } => "W004",
        }
    }

    pub fn span(&self) -> &Span {
        match self {
            SpecWarning::EmptySelector { span, .. }
            | SpecWarning::EmptyForEach { span, .. }
            | SpecWarning::EmptyWaypoint { span, .. }
            | SpecWarning::UnusedVar { span, .. } => span,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let (labels, help) = match self {
            SpecWarning::EmptySelector { span, what, used_at, .. } => {
                let mut labels = vec![(span.clone(), format!("matches no {what} in the snapshot"))];
                if let Some(u) = used_at {
                    labels.push((u.clone(), "used here".into()));
                }
                (
                    labels,
                    Some(
                        "a spec over it holds vacuously, which proves nothing; check the names with `netprove inspect`"
                            .into(),
                    ),
                )
            }
            SpecWarning::EmptyForEach { span, .. } => (
                vec![(span.clone(), "no values in the snapshot".into())],
                Some("the body is never checked, so the spec holds vacuously".into()),
            ),
            SpecWarning::EmptyWaypoint { span, what, suggestions, .. } => (
                vec![(span.clone(), format!("no {what} in the snapshot"))],
                did_you_mean(suggestions)
                    .or(Some("no path can pass it, so the spec holds only if nothing is reachable".into())),
            ),
            SpecWarning::UnusedVar { span, .. } => (
                vec![(span.clone(), "bound here".into())],
                Some("the body is the same for every value; mention the variable, e.g. `\"tenant=$t\"`".into()),
            ),
        };
        Diagnostic { severity: Level::Warning, code: self.code(), message: self.to_string(), labels, help }
    }
}
