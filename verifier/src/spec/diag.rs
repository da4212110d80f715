//! Diagnostics: the one shape every spec error and warning takes, and its
//! rendering with ariadne. Errors are produced as typed data
//! ([`super::error::SpecError`], [`super::error::SpecWarning`]) and become
//! [`Diagnostic`]s; only [`render`] turns them into text.
//!
//! Messages follow Cedar's style guide: lowercase, no trailing period, user
//! input in backticks, advice in a separate help line.

use std::fmt::Write as _;
use std::path::PathBuf;

use ariadne::{Config, IndexType, Label, Report, ReportKind};

use super::ast::{FileId, Span};

/// Is it fatal?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// One error or warning, with the source spans it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Level,
    /// Stable code, e.g. `E001`; [`CODES`] names each one.
    pub code: &'static str,
    pub message: String,
    /// The first label is the primary location.
    pub labels: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Level::Error
    }

    /// The primary span, if any.
    pub fn span(&self) -> Option<&Span> {
        self.labels.first().map(|(s, _)| s)
    }

    /// Order for output: by file and position, then code and message.
    pub fn sort_key(&self) -> (Option<(FileId, usize, usize)>, &'static str, &str) {
        (self.span().map(|s| (s.file, s.range.start, s.range.end)), self.code, self.message.as_str())
    }
}

/// Every diagnostic code, with its short name (the docs list them too).
pub const CODES: &[(&str, &str)] = &[
    ("E001", "unknown key"),
    ("E002", "unexpected token"),
    ("E003", "unterminated string"),
    ("E004", "invalid character"),
    ("E005", "undefined name"),
    ("E006", "invalid port"),
    ("E007", "invalid address"),
    ("E008", "invalid label selector"),
    ("E009", "missing key"),
    ("E010", "duplicate key"),
    ("E011", "invalid value"),
    ("E012", "duplicate spec id"),
    ("E013", "duplicate definition"),
    ("E014", "include cycle"),
    ("E015", "cannot read file"),
    ("E016", "property count"),
    ("E017", "undefined variable"),
    ("E018", "invalid waypoint"),
    ("E019", "cyclic definition"),
    ("E020", "no spec files"),
    ("E021", "unknown selector"),
    ("E022", "variable already bound"),
    ("W001", "selector matches nothing"),
    ("W002", "empty for each"),
    ("W003", "waypoint matches nothing"),
    ("W004", "unused variable"),
];

/// The text of every file a diagnostic may point into.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown in diagnostics (the path as given or joined).
    pub name: String,
    /// The normalised path, for include resolution; `None` for in-memory text.
    pub path: Option<PathBuf>,
    pub text: String,
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile { name: name.into(), path, text: text.into() });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }

    /// The source text a span covers.
    pub fn slice(&self, span: &Span) -> &str {
        self.get(span.file).and_then(|f| f.text.get(span.range.clone())).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, span: &Span) -> (usize, usize) {
        let Some(f) = self.get(span.file) else { return (0, 0) };
        let upto = f.text.get(..span.range.start.min(f.text.len())).unwrap_or("");
        let line = upto.matches('\n').count() + 1;
        let col = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }
}

/// Errors (and the warnings found alongside) from loading specs, with the
/// sources they point into.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub sources: SourceMap,
    /// Sorted by file and position.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn render(&self, color: bool) -> String {
        render(&self.items, &self.sources, color)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Renders diagnostics with ariadne, in the order given. Diagnostics without
/// a span (an unreadable top-level path) get a plain header and help line.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let config = Config::default().with_color(color).with_index_type(IndexType::Byte);
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Level::Error => ReportKind::Error,
            Level::Warning => ReportKind::Warning,
        };
        let Some(primary) = d.span().filter(|s| sources.get(s.file).is_some()) else {
            let _ = writeln!(out, "[{}] {kind}: {}", d.code, d.message);
            if let Some(h) = &d.help {
                let _ = writeln!(out, "  help: {h}");
            }
            continue;
        };
        let id = |s: &Span| (sources.name(s.file).to_string(), s.range.clone());
        let mut report =
            Report::build(kind, id(primary)).with_config(config).with_code(d.code).with_message(&d.message);
        // ariadne starts a new group whenever a label is above the previous
        // one, so labels go in source order; the primary keeps its colour.
        let mut labels: Vec<(usize, &(Span, String))> = d.labels.iter().enumerate().collect();
        labels.sort_by_key(|(_, (s, _))| (s.file, s.range.start, s.range.end));
        for (i, (span, msg)) in labels {
            if sources.get(span.file).is_none() {
                continue;
            }
            let mut label = Label::new(id(span));
            if !msg.is_empty() {
                label = label.with_message(msg);
            }
            if color {
                label = label.with_color(if i == 0 {
                    match d.severity {
                        Level::Error => ariadne::Color::Red,
                        Level::Warning => ariadne::Color::Yellow,
                    }
                } else {
                    ariadne::Color::Blue
                });
            }
            report = report.with_label(label);
        }
        if let Some(h) = &d.help {
            report = report.with_help(h);
        }
        let cache = ariadne::sources(sources.files.iter().map(|f| (f.name.clone(), f.text.clone())));
        let mut buf = Vec::new();
        if report.finish().write(cache, &mut buf).is_err() {
            let _ = writeln!(out, "[{}] {kind}: {}", d.code, d.message);
            continue;
        }
        out.push_str(&String::from_utf8_lossy(&buf));
    }
    out
}

/// Up to three candidates close to `name` (Jaro-Winkler), best first.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only the candidates about as close as the best one.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored.into_iter().filter(|(s, _)| *s >= best - 0.03).take(3).map(|(_, c)| c.to_string()).collect()
}

/// `did you mean `x`?` / `did you mean one of `x`, `y`?`.
pub fn did_you_mean(candidates: &[String]) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!("did you mean one of {}?", backticked(many.iter().map(String::as_str)))),
    }
}

/// `` `a`, `b`, `c` ``.
pub fn backticked<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}
