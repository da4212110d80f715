//! Loading spec files: reading (files, directories, `include`s), parsing,
//! resolving `let` names, and the checks that need more than one file or
//! more than syntax (duplicate ids, undefined names and variables, include
//! cycles, waypoints that are not ENIs).
//!
//! Every error of every file is collected; loading fails at the end if there
//! was any. Reading goes through [`Reader`] so that tests can load from
//! memory; [`FsReader`] is the only place spec files are read from disk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use super::ast::*;
use super::diag::{closest, Diagnostic, Diagnostics, SourceMap};
use super::error::{SpecError, SpecWarning};
use super::parser::parse;

/// Loaded, checked specs, in file order (top-level paths sorted, each file
/// once), with the sources their spans point into.
#[derive(Debug, Clone, Default)]
pub struct SpecSet {
    pub specs: Vec<Spec>,
    pub sources: SourceMap,
    /// Load-time warnings (e.g. an unused `for each` variable).
    pub warnings: Vec<Diagnostic>,
}

impl SpecSet {
    pub fn get(&self, id: &str) -> Option<&Spec> {
        self.specs.iter().find(|s| s.id == id)
    }

    /// The file name and 1-based line of a spec (for SARIF, HTML, text).
    pub fn location(&self, spec: &Spec) -> (String, usize) {
        (self.sources.name(spec.file).to_string(), self.sources.line_col(&spec.id_span).0)
    }
}

/// Where spec text comes from.
pub trait Reader {
    /// The text of one file.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// The spec files a top-level path names: itself if it is a file, every
    /// `*.nps` below it (sorted) if it is a directory.
    fn expand(&self, path: &Path) -> Result<Vec<PathBuf>, String>;
}

/// Reads from the file system.
pub struct FsReader;

impl Reader for FsReader {
    fn read(&self, path: &Path) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| lower_first(&e.to_string()))
    }

    fn expand(&self, path: &Path) -> Result<Vec<PathBuf>, String> {
        let meta = std::fs::metadata(path).map_err(|e| lower_first(&e.to_string()))?;
        if !meta.is_dir() {
            return Ok(vec![path.to_path_buf()]);
        }
        let mut out = Vec::new();
        walk(path, &mut out).map_err(|e| lower_first(&e.to_string()))?;
        out.sort();
        Ok(out)
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "nps") {
            out.push(p);
        }
    }
    Ok(())
}

/// An OS error as a message: lowercase, without the `(os error N)` suffix.
fn lower_first(s: &str) -> String {
    let s = match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => &s[..i],
        _ => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// In-memory files, keyed by path (for tests and embedded packs).
#[derive(Debug, Clone, Default)]
pub struct MemReader {
    pub files: BTreeMap<PathBuf, String>,
}

impl Reader for MemReader {
    fn read(&self, path: &Path) -> Result<String, String> {
        self.files.get(&normalize(path)).cloned().ok_or_else(|| "no such file".to_string())
    }

    fn expand(&self, path: &Path) -> Result<Vec<PathBuf>, String> {
        let p = normalize(path);
        if self.files.contains_key(&p) {
            return Ok(vec![p]);
        }
        let below: Vec<PathBuf> = self
            .files
            .keys()
            .filter(|k| k.starts_with(&p) && k.extension().is_some_and(|e| e == "nps"))
            .cloned()
            .collect();
        if below.is_empty() && !self.files.keys().any(|k| k.starts_with(&p)) {
            return Err("no such file or directory".into());
        }
        Ok(below)
    }
}

/// Loads spec files and directories (every `*.nps` below a directory, sorted).
pub fn load_specs(paths: &[PathBuf]) -> Result<SpecSet, Diagnostics> {
    load_with(&FsReader, paths)
}

/// Loads one spec file given as text. `include`s cannot be resolved (there is
/// no file system), and are reported as unreadable.
pub fn load_specs_from_str(name: &str, text: &str) -> Result<SpecSet, Diagnostics> {
    load_specs_from_memory(&[(name, text)])
}

/// Loads in-memory files; every file is a top-level file, and `include`s are
/// resolved among them.
pub fn load_specs_from_memory(files: &[(&str, &str)]) -> Result<SpecSet, Diagnostics> {
    let reader = MemReader { files: files.iter().map(|(n, t)| (normalize(Path::new(n)), (*t).to_string())).collect() };
    let paths: Vec<PathBuf> = files.iter().map(|(n, _)| PathBuf::from(n)).collect();
    load_with(&reader, &paths)
}

/// Loads through any [`Reader`].
pub fn load_with(reader: &dyn Reader, paths: &[PathBuf]) -> Result<SpecSet, Diagnostics> {
    let mut l = Loader {
        reader,
        sources: SourceMap::default(),
        files: Vec::new(),
        by_path: HashMap::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut roots = Vec::new();
    for p in paths {
        match reader.expand(p) {
            Ok(files) if files.is_empty() => l.errors.push(SpecError::NoSpecFiles { path: p.display().to_string() }),
            Ok(files) => roots.extend(files),
            Err(reason) => l.errors.push(SpecError::Read { path: p.display().to_string(), reason, span: None }),
        }
    }
    for r in roots {
        let display = r.display().to_string();
        l.load_file(&r, display, None, &mut Vec::new());
    }
    let specs = l.check();
    let mut errors: Vec<Diagnostic> = l.errors.iter().map(SpecError::to_diagnostic).collect();
    let mut warnings: Vec<Diagnostic> = l.warnings.iter().map(SpecWarning::to_diagnostic).collect();
    errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    errors.dedup();
    warnings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    warnings.dedup();
    if !errors.is_empty() {
        let mut items = errors;
        items.extend(warnings);
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return Err(Diagnostics { sources: l.sources, items });
    }
    Ok(SpecSet { specs, sources: l.sources, warnings })
}

/// Lexical normalisation (`.` and `..`), so one file has one key.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// A `let` definition: file and index in that file's `lets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct LetRef(FileId, usize);

struct LoadedFile {
    ast: SpecFile,
    includes: Vec<FileId>,
}

struct Loader<'r> {
    reader: &'r dyn Reader,
    sources: SourceMap,
    /// INVARIANT: `files[i]` is the file with `FileId(i)` in `sources`.
    files: Vec<LoadedFile>,
    by_path: HashMap<PathBuf, FileId>,
    errors: Vec<SpecError>,
    warnings: Vec<SpecWarning>,
}

impl Loader<'_> {
    fn file(&self, id: FileId) -> Option<&LoadedFile> {
        self.files.get(id.0 as usize)
    }

    /// Reads and parses a file and, depth first, everything it includes.
    /// `stack` holds the chain of files including this one.
    fn load_file(
        &mut self,
        path: &Path,
        display: String,
        from: Option<Span>,
        stack: &mut Vec<FileId>,
    ) -> Option<FileId> {
        let norm = normalize(path);
        if let Some(&id) = self.by_path.get(&norm) {
            if let Some(pos) = stack.iter().position(|f| *f == id) {
                let mut chain: Vec<&str> = stack[pos..].iter().map(|f| self.sources.name(*f)).collect();
                chain.push(self.sources.name(id));
                if let Some(span) = from {
                    self.errors.push(SpecError::IncludeCycle { chain: chain.join(" -> "), span });
                }
                // Still linked: scopes tolerate cycles, and the names the
                // cycle brings in should not also be reported as undefined.
                return Some(id);
            }
            return Some(id);
        }
        let text = match self.reader.read(&norm) {
            Ok(t) => t,
            Err(reason) => {
                self.errors.push(SpecError::Read { path: display, reason, span: from });
                return None;
            }
        };
        let id = self.sources.add(display.clone(), Some(norm.clone()), text.clone());
        let (ast, errs) = parse(id, &text);
        self.errors.extend(errs);
        let includes = ast.includes.clone();
        self.files.push(LoadedFile { ast, includes: Vec::new() });
        self.by_path.insert(norm.clone(), id);
        stack.push(id);
        let dir = norm.parent().map(Path::to_path_buf).unwrap_or_default();
        let display_dir = Path::new(&display).parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in includes {
            let child_display = normalize(&display_dir.join(&inc.path)).display().to_string();
            if let Some(child) = self.load_file(&dir.join(&inc.path), child_display, Some(inc.span.clone()), stack) {
                if let Some(f) = self.files.get_mut(id.0 as usize) {
                    f.includes.push(child);
                }
            }
        }
        stack.pop();
        Some(id)
    }

    /// The `let` names visible in a file: its own, then those of everything
    /// it includes, transitively. Conflicting definitions are reported.
    fn scope(&mut self, id: FileId) -> BTreeMap<String, LetRef> {
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        let mut todo = vec![id];
        while let Some(f) = todo.pop() {
            if !seen.insert(f) {
                continue;
            }
            order.push(f);
            if let Some(file) = self.file(f) {
                todo.extend(file.includes.iter().rev());
            }
        }
        let mut scope: BTreeMap<String, LetRef> = BTreeMap::new();
        let mut errors = Vec::new();
        for f in order {
            let Some(file) = self.file(f) else { continue };
            for (i, l) in file.ast.lets.iter().enumerate() {
                match scope.get(&l.name.name) {
                    Some(prev) if *prev != LetRef(f, i) => {
                        let first = self.let_decl(*prev).map(|p| p.name.span.clone()).unwrap_or_default();
                        errors.push(SpecError::DuplicateLet {
                            name: l.name.name.clone(),
                            span: l.name.span.clone(),
                            first,
                        });
                    }
                    Some(_) => {}
                    None => {
                        scope.insert(l.name.name.clone(), LetRef(f, i));
                    }
                }
            }
        }
        self.errors.extend(errors);
        scope
    }

    fn let_decl(&self, r: LetRef) -> Option<&Let> {
        self.file(r.0).and_then(|f| f.ast.lets.get(r.1))
    }

    /// Resolves names, checks every spec, and returns the valid ones.
    fn check(&mut self) -> Vec<Spec> {
        let scopes: Vec<BTreeMap<String, LetRef>> =
            (0..self.files.len()).map(|i| self.scope(FileId(u32::try_from(i).unwrap_or(u32::MAX)))).collect();
        let mut r = Resolver { scopes: &scopes, memo: HashMap::new(), in_progress: Vec::new(), errors: Vec::new() };

        // Every `let`, used or not, so errors inside them are reported once.
        let mut let_checks = Vec::new();
        for (fi, f) in self.files.iter().enumerate() {
            for (li, l) in f.ast.lets.iter().enumerate() {
                let fid = FileId(u32::try_from(fi).unwrap_or(u32::MAX));
                r.resolve_let(&self.files, LetRef(fid, li));
                let_checks.push(l.selector.clone());
            }
        }
        for sel in &let_checks {
            check_selector_vars(sel, &[], &mut BTreeSet::new(), &mut r.errors);
        }

        let mut specs = Vec::new();
        let mut ids: BTreeMap<String, Span> = BTreeMap::new();
        let decls: Vec<SpecDecl> = self.files.iter().flat_map(|f| f.ast.specs.iter().cloned()).collect();
        for decl in decls {
            let file = decl.id.span.file;
            match ids.get(&decl.id.name) {
                Some(first) => r.errors.push(SpecError::DuplicateSpec {
                    id: decl.id.name.clone(),
                    span: decl.id.span.clone(),
                    first: first.clone(),
                }),
                None => {
                    ids.insert(decl.id.name.clone(), decl.id.span.clone());
                }
            }
            if decl.title.is_none() && !decl.keys_seen.iter().any(|k| k == "title") {
                r.errors.push(SpecError::MissingKey {
                    id: decl.id.name.clone(),
                    key: "title",
                    span: decl.id.span.clone(),
                    help: "add `title = \"...\"`: it names the finding in every report".into(),
                });
            }
            if decl.severity.is_none() && !decl.keys_seen.iter().any(|k| k == "severity") {
                r.errors.push(SpecError::MissingKey {
                    id: decl.id.name.clone(),
                    key: "severity",
                    span: decl.id.span.clone(),
                    help: "add `severity = critical | high | medium | low | info`".into(),
                });
            }
            let Some(mut property) = decl.property.clone() else {
                if !decl.property_failed {
                    r.errors.push(SpecError::MissingProperty { id: decl.id.name.clone(), span: decl.id.span.clone() });
                }
                continue;
            };
            r.resolve_property(&self.files, &mut property, file);
            check_property(&property, &mut Vec::new(), &mut r.errors, &mut self.warnings);
            if let (Some((title, _)), Some((severity, _))) = (&decl.title, &decl.severity) {
                specs.push(Spec {
                    id: decl.id.name.clone(),
                    title: title.clone(),
                    severity: *severity,
                    rationale: decl.rationale.as_ref().map(|r| r.0.clone()),
                    tags: decl.tags.iter().map(|t| t.0.clone()).collect(),
                    expect_violated: decl.expect_violated.as_ref().is_some_and(|e| e.0),
                    property,
                    span: decl.span.clone(),
                    id_span: decl.id.span.clone(),
                    file,
                });
            }
        }
        self.errors.append(&mut r.errors);
        specs
    }
}

/// Replaces `let` references by their (resolved) definitions.
struct Resolver<'s> {
    scopes: &'s [BTreeMap<String, LetRef>],
    memo: HashMap<LetRef, Selector>,
    in_progress: Vec<(LetRef, String)>,
    errors: Vec<SpecError>,
}

impl Resolver<'_> {
    fn resolve_let(&mut self, files: &[LoadedFile], r: LetRef) -> Option<Selector> {
        if let Some(s) = self.memo.get(&r) {
            return Some(s.clone());
        }
        let decl = files.get(r.0 .0 as usize).and_then(|f| f.ast.lets.get(r.1))?;
        self.in_progress.push((r, decl.name.name.clone()));
        let mut sel = decl.selector.clone();
        self.resolve_selector(files, &mut sel, r.0);
        self.in_progress.pop();
        self.memo.insert(r, sel.clone());
        Some(sel)
    }

    fn resolve_selector(&mut self, files: &[LoadedFile], sel: &mut Selector, file: FileId) {
        match sel {
            Selector::Ref { name, target } => {
                let scope = self.scopes.get(file.0 as usize);
                let Some(r) = scope.and_then(|s| s.get(&name.name)).copied() else {
                    let suggestions =
                        scope.map(|s| closest(&name.name, s.keys().map(String::as_str))).unwrap_or_default();
                    self.errors.push(SpecError::UndefinedName {
                        name: name.name.clone(),
                        span: name.span.clone(),
                        suggestions,
                    });
                    return;
                };
                if let Some(pos) = self.in_progress.iter().position(|(p, _)| *p == r) {
                    let mut chain: Vec<&str> = self.in_progress[pos..].iter().map(|(_, n)| n.as_str()).collect();
                    chain.push(&name.name);
                    self.errors.push(SpecError::CyclicLet {
                        name: name.name.clone(),
                        span: name.span.clone(),
                        chain: chain.join(" -> "),
                    });
                    return;
                }
                *target = self.resolve_let(files, r).map(Box::new);
            }
            Selector::Union(a, b, _) | Selector::Except(a, b, _) => {
                self.resolve_selector(files, a, file);
                self.resolve_selector(files, b, file);
            }
            Selector::Paren(a, _) => self.resolve_selector(files, a, file),
            Selector::Term(_) | Selector::Internet(_) | Selector::Cidr(..) => {}
        }
    }

    fn resolve_property(&mut self, files: &[LoadedFile], p: &mut Property, file: FileId) {
        match p {
            Property::Never { src, dst, .. } | Property::Always { src, dst, .. } => {
                self.resolve_selector(files, src, file);
                self.resolve_selector(files, dst, file);
            }
            Property::Only { src, dst, via, .. } => {
                self.resolve_selector(files, src, file);
                self.resolve_selector(files, dst, file);
                if let Waypoint::Enis(s) = via {
                    self.resolve_selector(files, s, file);
                }
            }
            Property::ForEach { body, .. } => self.resolve_property(files, body, file),
        }
    }
}

/// Checks variables (bound, not shadowed, used) and waypoints.
fn check_property(
    p: &Property,
    bound: &mut Vec<(String, Span)>,
    errors: &mut Vec<SpecError>,
    warnings: &mut Vec<SpecWarning>,
) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    match p {
        Property::ForEach { var, body, .. } => {
            if let Some((_, first)) = bound.iter().find(|(n, _)| *n == var.name) {
                errors.push(SpecError::ShadowedVar {
                    name: var.name.clone(),
                    span: var.span.clone(),
                    first: first.clone(),
                });
            }
            bound.push((var.name.clone(), var.span.clone()));
            let inner = check_property(body, bound, errors, warnings);
            bound.pop();
            if !inner.contains(&var.name) {
                warnings.push(SpecWarning::UnusedVar { name: var.name.clone(), span: var.span.clone() });
            }
            used.extend(inner);
        }
        Property::Never { src, dst, .. } | Property::Always { src, dst, .. } => {
            check_selector_vars(src, bound, &mut used, errors);
            check_selector_vars(dst, bound, &mut used, errors);
        }
        Property::Only { src, dst, via, .. } => {
            check_selector_vars(src, bound, &mut used, errors);
            check_selector_vars(dst, bound, &mut used, errors);
            match via {
                Waypoint::Firewall { name: v, .. }
                | Waypoint::Nat { id: v, .. }
                | Waypoint::Igw { id: v, .. }
                | Waypoint::Tgw { id: v, .. } => {
                    check_value_vars(v, bound, &mut used, errors);
                }
                Waypoint::Enis(s) => {
                    check_selector_vars(s, bound, &mut used, errors);
                    if let Some(leaf) = non_eni_leaf(s) {
                        let what = match leaf {
                            Selector::Term(t) => format!("`{}(...)`", t.kind.as_str()),
                            Selector::Internet(_) => "`internet`".to_string(),
                            Selector::Cidr(net, _) => format!("the address range `{net}`"),
                            other => format!("`{other}`"),
                        };
                        errors.push(SpecError::InvalidWaypoint { what, span: s.span().clone() });
                    }
                }
            }
        }
    }
    used
}

/// The first leaf that is not a selector of ENIs (looking through `let`s).
fn non_eni_leaf(s: &Selector) -> Option<&Selector> {
    match s {
        Selector::Term(t) if t.kind.is_eni_valued() => None,
        Selector::Term(_) | Selector::Internet(_) | Selector::Cidr(..) => Some(s),
        Selector::Ref { target, .. } => target.as_deref().and_then(non_eni_leaf),
        Selector::Union(a, b, _) => non_eni_leaf(a).or_else(|| non_eni_leaf(b)),
        Selector::Except(a, _, _) | Selector::Paren(a, _) => non_eni_leaf(a),
    }
}

/// Every `$var` in a selector must be bound. `let` bodies (behind a `Ref`)
/// are checked once on their own, with nothing bound.
fn check_selector_vars(
    s: &Selector,
    bound: &[(String, Span)],
    used: &mut BTreeSet<String>,
    errors: &mut Vec<SpecError>,
) {
    match s {
        Selector::Term(t) => {
            for a in &t.args {
                check_value_vars(a.value.raw(), bound, used, errors);
            }
        }
        Selector::Union(a, b, _) | Selector::Except(a, b, _) => {
            check_selector_vars(a, bound, used, errors);
            check_selector_vars(b, bound, used, errors);
        }
        Selector::Paren(a, _) => check_selector_vars(a, bound, used, errors),
        Selector::Ref { .. } | Selector::Internet(_) | Selector::Cidr(..) => {}
    }
}

fn check_value_vars(v: &Value, bound: &[(String, Span)], used: &mut BTreeSet<String>, errors: &mut Vec<SpecError>) {
    for (name, offset) in v.text.vars() {
        if bound.iter().any(|(b, _)| b == name) {
            used.insert(name.to_string());
        } else {
            errors.push(SpecError::UndefinedVar {
                name: name.to_string(),
                // The offset is into the text as written (`$$` included).
                span: v.sub_span(offset..offset + 1 + name.len()),
                bound: bound.iter().map(|(b, _)| b.clone()).collect(),
            });
        }
    }
}
