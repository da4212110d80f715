//! A hand-written recursive-descent parser for `.nps` files.
//!
//! The parser never stops at the first error: it records it and
//! resynchronises (at `spec`, `let`, `include` and `}` at the top level; at
//! the next key, property or `}` inside a spec; at the next `,` or `)` inside
//! a selector's arguments), so one run reports every error in the file.
//!
//! Each function documents the grammar rule it parses. The full grammar is in
//! `docs/spec-language.md`.

use std::net::Ipv4Addr;
use std::ops::Range;

use ipnet::Ipv4Net;

use super::ast::*;
use super::diag::closest;
use super::error::SpecError;
use super::lexer::{lex, Tok, Token};

/// Words with a fixed meaning; none of them can be a `let` name.
pub const RESERVED: &[&str] =
    &["include", "let", "spec", "never", "always", "only", "for", "each", "in", "via", "on", "except", "internet"];

/// Keys of a `spec { }` block.
pub const SPEC_KEYS: &[&str] = &["title", "severity", "rationale", "tags", "expect"];

const PROPERTY_WORDS: &[&str] = &["never", "always", "only", "for"];
const TOP_WORDS: &[&str] = &["spec", "let", "include"];
const WAYPOINT_FNS: &[&str] = &["firewall", "nat", "igw", "tgw"];

/// The error has been recorded; the caller resynchronises.
#[derive(Debug)]
struct Fail;

type PResult<T> = Result<T, Fail>;

/// Parses one file. Always returns what could be parsed, with every error.
pub fn parse(file: FileId, text: &str) -> (SpecFile, Vec<SpecError>) {
    let mut errors = Vec::new();
    let toks = lex(file, text, &mut errors);
    let mut p = Parser { file, toks, pos: 0, errors };
    let parsed = p.file();
    (parsed, p.errors)
}

struct Parser {
    file: FileId,
    toks: Vec<Token>,
    pos: usize,
    errors: Vec<SpecError>,
}

impl Parser {
    // -----------------------------------------------------------------------
    // Token helpers

    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Token {
        // INVARIANT: `lex` always ends the stream with `Eof`.
        let i = (self.pos + n).min(self.toks.len().saturating_sub(1));
        &self.toks[i]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len().saturating_sub(1) {
            self.pos += 1;
        }
        t
    }

    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, r)
    }

    fn tok_span(&self, t: &Token) -> Span {
        self.span(t.range.clone())
    }

    fn at(&self, t: &Tok) -> bool {
        &self.peek().tok == t
    }

    fn at_word(&self, w: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(x) if x == w)
    }

    fn word_at(&self, n: usize) -> Option<&str> {
        match &self.peek_at(n).tok {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        }
    }

    /// The end of the previous token (for spans of whole constructs).
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|i| self.toks.get(i)).map_or(0, |t| t.range.end)
    }

    fn error_here(&mut self, expected: &str) -> Fail {
        self.error_here_help(expected, None)
    }

    fn error_here_help(&mut self, expected: &str, help: Option<String>) -> Fail {
        let t = self.peek().clone();
        if t.tok == Tok::Invalid {
            // Already reported by the lexer.
            return Fail;
        }
        self.errors.push(SpecError::Unexpected {
            expected: expected.to_string(),
            found: t.tok.describe(),
            span: self.tok_span(&t),
            help,
        });
        Fail
    }

    fn expect(&mut self, t: Tok, expected: &str) -> PResult<Token> {
        if self.at(&t) {
            Ok(self.bump())
        } else {
            Err(self.error_here(expected))
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<Token> {
        if self.at_word(w) {
            Ok(self.bump())
        } else {
            Err(self.error_here(&format!("`{w}`")))
        }
    }

    /// Skips to the next top-level item (`spec`, `let`, `include`) or past a
    /// `}`.
    fn sync_top(&mut self) {
        loop {
            match &self.peek().tok {
                Tok::Eof => return,
                Tok::RBrace => {
                    self.bump();
                    return;
                }
                Tok::Word(w) if TOP_WORDS.contains(&w.as_str()) => return,
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// Skips to the next key or property of a spec body, or its `}`.
    fn sync_body(&mut self) {
        loop {
            match &self.peek().tok {
                Tok::Eof | Tok::RBrace => return,
                Tok::Word(w)
                    if SPEC_KEYS.contains(&w.as_str())
                        || PROPERTY_WORDS.contains(&w.as_str())
                        || TOP_WORDS.contains(&w.as_str()) =>
                {
                    return
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    // -----------------------------------------------------------------------
    // Files

    /// ```text
    /// file = { include | let | spec } ;
    /// ```
    fn file(&mut self) -> SpecFile {
        let mut out = SpecFile { file: self.file, ..SpecFile::default() };
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Eof => break,
                Tok::Word(w) if w == "include" => match self.include() {
                    Ok(i) => out.includes.push(i),
                    Err(Fail) => self.sync_top(),
                },
                Tok::Word(w) if w == "let" => match self.let_decl() {
                    Ok(l) => out.lets.push(l),
                    Err(Fail) => self.sync_top(),
                },
                Tok::Word(w) if w == "spec" => match self.spec() {
                    Ok(s) => out.specs.push(s),
                    Err(Fail) => self.sync_top(),
                },
                _ => {
                    let _ = self.error_here_help(
                        "`spec`, `let` or `include`",
                        Some(
                            "a spec file holds `include \"FILE\"`, `let NAME = SELECTOR` and `spec ID { ... }`".into(),
                        ),
                    );
                    self.bump();
                    self.sync_top();
                }
            }
        }
        out
    }

    /// ```text
    /// include = "include" STRING ;
    /// ```
    fn include(&mut self) -> PResult<Include> {
        let kw = self.bump();
        let t = self.peek().clone();
        match &t.tok {
            Tok::Str(s) => {
                self.bump();
                Ok(Include { path: s.clone(), span: self.span(kw.range.start..t.range.end) })
            }
            _ => Err(self.error_here("a quoted file name")),
        }
    }

    /// ```text
    /// let = "let" NAME "=" selector ;
    /// ```
    fn let_decl(&mut self) -> PResult<Let> {
        let kw = self.bump();
        let name = self.name("a name")?;
        self.expect(Tok::Eq, "`=`")?;
        let selector = self.selector()?;
        Ok(Let { name, selector, span: self.span(kw.range.start..self.prev_end()) })
    }

    /// A `let` or variable name: `[A-Za-z_][A-Za-z0-9_-]*`, not reserved.
    fn name(&mut self, what: &str) -> PResult<Name> {
        let t = self.peek().clone();
        let Tok::Word(w) = &t.tok else {
            return Err(self.error_here(what));
        };
        self.bump();
        let span = self.tok_span(&t);
        if RESERVED.contains(&w.as_str()) || TermKind::parse(w).is_some() {
            self.errors.push(SpecError::InvalidValue {
                what: "name",
                value: w.clone(),
                span: span.clone(),
                help: format!("`{w}` is a reserved word; choose another name"),
            });
        } else if !is_name(w) {
            self.errors.push(SpecError::InvalidValue {
                what: "name",
                value: w.clone(),
                span: span.clone(),
                help: "names start with a letter or `_` and contain letters, digits, `_` and `-`".into(),
            });
        }
        Ok(Name { name: w.clone(), span })
    }

    // -----------------------------------------------------------------------
    // Specs

    /// ```text
    /// spec      = "spec" ID "{" { spec_item [ ";" ] } "}" ;
    /// spec_item = KEY [ "=" ] value_or_list | property ;
    /// KEY       = "title" | "severity" | "rationale" | "tags" | "expect" ;
    /// ```
    fn spec(&mut self) -> PResult<SpecDecl> {
        let kw = self.bump();
        let id_tok = self.peek().clone();
        let Tok::Word(id) = &id_tok.tok else {
            return Err(self.error_here("a spec id"));
        };
        self.bump();
        let id_span = self.tok_span(&id_tok);
        if !id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
            self.errors.push(SpecError::InvalidValue {
                what: "spec id",
                value: id.clone(),
                span: id_span.clone(),
                help: "spec ids contain letters, digits, `-`, `_` and `.`".into(),
            });
        }
        let open = self.expect(Tok::LBrace, "`{`")?;
        let mut decl = SpecDecl {
            id: Name { name: id.clone(), span: id_span },
            title: None,
            severity: None,
            rationale: None,
            tags: Vec::new(),
            expect_violated: None,
            property: None,
            property_failed: false,
            keys_seen: Vec::new(),
            span: self.span(kw.range.clone()),
        };
        let mut first_property: Option<Span> = None;
        let mut tags_span: Option<Span> = None;
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::RBrace => {
                    self.bump();
                    break;
                }
                Tok::Semi => {
                    self.bump();
                }
                Tok::Eof => {
                    self.errors.push(SpecError::Unexpected {
                        expected: "`}`".into(),
                        found: t.tok.describe(),
                        span: self.tok_span(&t),
                        help: Some(format!("the block of spec `{id}` is not closed")),
                    });
                    let _ = open;
                    break;
                }
                Tok::Word(w) if TOP_WORDS.contains(&w.as_str()) && self.peek_at(1).tok != Tok::Eq => {
                    self.errors.push(SpecError::Unexpected {
                        expected: "`}`".into(),
                        found: t.tok.describe(),
                        span: self.tok_span(&t),
                        help: Some(format!("the block of spec `{id}` is not closed")),
                    });
                    break;
                }
                Tok::Word(w) if PROPERTY_WORDS.contains(&w.as_str()) => match self.property() {
                    Ok(p) => {
                        if let Some(first) = &first_property {
                            self.errors.push(SpecError::ExtraProperty {
                                id: id.clone(),
                                span: p.span().clone(),
                                first: first.clone(),
                            });
                        } else {
                            first_property = Some(p.span().clone());
                            decl.property = Some(p);
                        }
                    }
                    Err(Fail) => {
                        decl.property_failed = true;
                        if first_property.is_none() {
                            first_property = Some(self.tok_span(&t));
                        }
                        self.sync_body();
                    }
                },
                Tok::Word(_) => {
                    if self.spec_key(&mut decl, &mut tags_span).is_err() {
                        self.sync_body();
                    }
                }
                _ => {
                    let _ = self.error_here("a key (`title`, `severity`, …) or a property (`never`, `always`, `only`)");
                    self.bump();
                    self.sync_body();
                }
            }
        }
        decl.span = self.span(kw.range.start..self.prev_end());
        Ok(decl)
    }

    /// One `KEY [=] VALUE` inside a spec.
    fn spec_key(&mut self, decl: &mut SpecDecl, tags_span: &mut Option<Span>) -> PResult<()> {
        let key_tok = self.bump();
        let Tok::Word(key) = &key_tok.tok else { return Err(Fail) };
        let key_span = self.tok_span(&key_tok);
        if !SPEC_KEYS.contains(&key.as_str()) {
            let mut cands: Vec<&str> = SPEC_KEYS.to_vec();
            cands.extend(PROPERTY_WORDS);
            let suggestions = closest(key, cands);
            // A misspelt key is not also a missing one.
            if let Some(best) = suggestions.first().filter(|s| SPEC_KEYS.contains(&s.as_str())) {
                decl.keys_seen.push(best.clone());
            }
            self.errors.push(SpecError::UnknownKey {
                key: key.clone(),
                context: format!("spec `{}`", decl.id.name),
                span: key_span,
                valid: SPEC_KEYS.to_vec(),
                suggestions,
            });
            return Err(Fail);
        }
        decl.keys_seen.push(key.clone());
        if self.at(&Tok::Eq) {
            self.bump();
        }
        let dup = |first: Option<Span>, this: Span, errors: &mut Vec<SpecError>| {
            if let Some(first) = first {
                errors.push(SpecError::DuplicateKey { key: key.clone(), span: this, first });
            }
        };
        match key.as_str() {
            "title" | "rationale" => {
                let v = self.text_value(&format!("a {key} string"))?;
                let span = key_span.to(&v.1);
                let slot = if key == "title" { &mut decl.title } else { &mut decl.rationale };
                dup(slot.as_ref().map(|s| s.1.clone()), span.clone(), &mut self.errors);
                if slot.is_none() {
                    *slot = Some((v.0, span));
                }
            }
            "severity" => {
                let (v, vspan) = self.text_value("a severity")?;
                let span = key_span.to(&vspan);
                dup(decl.severity.as_ref().map(|s| s.1.clone()), span.clone(), &mut self.errors);
                match Severity::parse(&v) {
                    Some(s) => {
                        if decl.severity.is_none() {
                            decl.severity = Some((s, span));
                        }
                    }
                    None => self.errors.push(SpecError::InvalidValue {
                        what: "severity",
                        value: v,
                        span: vspan,
                        help: format!(
                            "severity is one of {}",
                            super::diag::backticked(Severity::ALL.iter().map(|s| s.as_str()))
                        ),
                    }),
                }
            }
            "expect" => {
                let (v, vspan) = self.text_value("`violated` or `holds`")?;
                let span = key_span.to(&vspan);
                dup(decl.expect_violated.as_ref().map(|s| s.1.clone()), span.clone(), &mut self.errors);
                let val = match v.as_str() {
                    "violated" => Some(true),
                    "holds" => Some(false),
                    _ => {
                        self.errors.push(SpecError::InvalidValue {
                            what: "expectation",
                            value: v,
                            span: vspan,
                            help: "write `expect = violated` for a known, accepted exception (or `holds`, the default)"
                                .into(),
                        });
                        None
                    }
                };
                if let (Some(val), None) = (val, &decl.expect_violated) {
                    decl.expect_violated = Some((val, span));
                }
            }
            _ => {
                // tags
                let mut tags = Vec::new();
                let end;
                if self.at(&Tok::LBracket) {
                    self.bump();
                    loop {
                        if self.at(&Tok::RBracket) {
                            break;
                        }
                        tags.push(self.text_value("a tag")?);
                        if self.at(&Tok::Comma) {
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    end = self.expect(Tok::RBracket, "`,` or `]`")?.range.end;
                } else {
                    let v = self.text_value("a tag or a `[` list")?;
                    end = v.1.range.end;
                    tags.push(v);
                }
                let span = self.span(key_span.range.start..end);
                dup(tags_span.clone(), span.clone(), &mut self.errors);
                if tags_span.is_none() {
                    *tags_span = Some(span);
                    decl.tags = tags;
                }
            }
        }
        Ok(())
    }

    /// A word or a string, as plain text.
    fn text_value(&mut self, expected: &str) -> PResult<(String, Span)> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Word(s) | Tok::Str(s) => {
                self.bump();
                Ok((s.clone(), self.tok_span(&t)))
            }
            _ => Err(self.error_here(expected)),
        }
    }

    // -----------------------------------------------------------------------
    // Properties

    /// ```text
    /// property = "never"  selector "->" selector [ on ]
    ///          | "always" selector "->" selector [ on ]
    ///          | "only"   selector "->" selector ( "via" waypoint [ on ] | on "via" waypoint )
    ///          | "for" "each" NAME "in" label_source ":" property ;
    /// label_source = ( "namespace-label" | "pod-label" ) ( STRING | WORD ) ;
    /// ```
    fn property(&mut self) -> PResult<Property> {
        let kw = self.bump();
        let Tok::Word(w) = &kw.tok else { return Err(Fail) };
        match w.as_str() {
            "for" => {
                self.expect_word("each")?;
                let var = self.name("a variable name")?;
                self.expect_word("in")?;
                let src_tok = self.peek().clone();
                let kind = match &src_tok.tok {
                    Tok::Word(s) if s == "namespace-label" => LabelKind::Namespace,
                    Tok::Word(s) if s == "pod-label" => LabelKind::Pod,
                    _ => {
                        return Err(self.error_here_help(
                            "`namespace-label` or `pod-label`",
                            Some("write `for each t in namespace-label \"tenant\":`".into()),
                        ))
                    }
                };
                self.bump();
                let (key, key_span) = self.text_value("a label key")?;
                let source = LabelSource { kind, key, span: self.tok_span(&src_tok).to(&key_span) };
                self.expect(Tok::Colon, "`:`")?;
                if !self.word_at(0).is_some_and(|w| PROPERTY_WORDS.contains(&w)) {
                    return Err(self.error_here("a property (`never`, `always`, `only`, `for`)"));
                }
                let body = self.property()?;
                let span = self.span(kw.range.start..self.prev_end());
                Ok(Property::ForEach { var, source, body: Box::new(body), span })
            }
            "never" | "always" | "only" => {
                let src = self.selector()?;
                self.expect(Tok::Arrow, "`->`")?;
                let dst = self.selector()?;
                if w == "only" {
                    let (via, on) = if self.at_word("via") {
                        self.bump();
                        let via = self.waypoint()?;
                        (via, self.opt_on()?)
                    } else if self.at_word("on") {
                        let on = self.opt_on()?;
                        self.expect_word("via")?;
                        (self.waypoint()?, on)
                    } else {
                        return Err(self.error_here_help(
                            "`via`",
                            Some("`only A -> B via W` needs a waypoint, e.g. `via firewall(inspection-fw)`".into()),
                        ));
                    };
                    let span = self.span(kw.range.start..self.prev_end());
                    return Ok(Property::Only { src, dst, via, on, span });
                }
                let on = self.opt_on()?;
                let span = self.span(kw.range.start..self.prev_end());
                Ok(if w == "never" {
                    Property::Never { src, dst, on, span }
                } else {
                    Property::Always { src, dst, on, span }
                })
            }
            _ => Err(Fail),
        }
    }

    /// ```text
    /// on        = "on" port_item { "," port_item } ;
    /// port_item = "any" | PROTO [ "/" PORT [ "-" PORT ] ] | "icmp" [ "/" TYPE ] | "proto/" NUMBER ;
    /// PROTO     = "tcp" | "udp" | "sctp" ;
    /// ```
    fn opt_on(&mut self) -> PResult<PortSpec> {
        if !self.at_word("on") {
            return Ok(PortSpec::any());
        }
        self.bump();
        let mut items = Vec::new();
        let start = self.peek().range.start;
        loop {
            let t = self.peek().clone();
            let Tok::Word(w) = &t.tok else {
                return Err(self.error_here_help(
                    "a port, e.g. `tcp/5432`",
                    Some(
                        "ports are `any`, `tcp`, `udp`, `icmp`, `tcp/5432`, `tcp/8000-8080`, `icmp/8`, `proto/47`"
                            .into(),
                    ),
                ));
            };
            self.bump();
            match parse_port_item(w) {
                Ok(mut item) => {
                    item.span = Some(self.tok_span(&t));
                    items.push(item);
                }
                Err((problem, r, help)) => {
                    let base = t.range.start;
                    self.errors.push(SpecError::InvalidPort {
                        problem,
                        span: self.span(base + r.start..base + r.end),
                        help,
                    });
                }
            }
            if self.at(&Tok::Comma) {
                self.bump();
            } else {
                break;
            }
        }
        Ok(PortSpec { items, span: Some(self.span(start..self.prev_end())) })
    }

    /// ```text
    /// waypoint = ( "firewall" | "nat" | "igw" | "tgw" ) "(" value ")" | selector ;
    /// ```
    fn waypoint(&mut self) -> PResult<Waypoint> {
        if let Some(w) = self.word_at(0).filter(|w| WAYPOINT_FNS.contains(w)).map(str::to_string) {
            if self.peek_at(1).tok == Tok::LParen {
                let kw = self.bump();
                self.bump();
                let v = self.value()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                let span = self.span(kw.range.start..close.range.end);
                return Ok(match w.as_str() {
                    "firewall" => Waypoint::Firewall { name: v, span },
                    "nat" => Waypoint::Nat { id: v, span },
                    "igw" => Waypoint::Igw { id: v, span },
                    _ => Waypoint::Tgw { id: v, span },
                });
            }
        }
        Ok(Waypoint::Enis(self.selector()?))
    }

    // -----------------------------------------------------------------------
    // Selectors

    /// ```text
    /// selector = union { "except" union } ;
    /// ```
    /// `except` binds loosest: `A | B except C | D` is `(A | B) except (C | D)`.
    fn selector(&mut self) -> PResult<Selector> {
        let mut lhs = self.union()?;
        while self.at_word("except") {
            self.bump();
            let rhs = self.union()?;
            let span = lhs.span().to(rhs.span());
            lhs = Selector::Except(Box::new(lhs), Box::new(rhs), span);
        }
        Ok(lhs)
    }

    /// ```text
    /// union = primary { "|" primary } ;
    /// ```
    fn union(&mut self) -> PResult<Selector> {
        let mut lhs = self.primary()?;
        while self.at(&Tok::Pipe) {
            self.bump();
            let rhs = self.primary()?;
            let span = lhs.span().to(rhs.span());
            lhs = Selector::Union(Box::new(lhs), Box::new(rhs), span);
        }
        Ok(lhs)
    }

    /// ```text
    /// primary = "(" selector ")" | term | "internet" | CIDR | IPV4 | NAME ;
    /// ```
    fn primary(&mut self) -> PResult<Selector> {
        let t = self.peek().clone();
        let span = self.tok_span(&t);
        match &t.tok {
            Tok::LParen => {
                self.bump();
                let inner = self.selector()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                Ok(Selector::Paren(Box::new(inner), self.span(t.range.start..close.range.end)))
            }
            Tok::Word(w) if self.peek_at(1).tok == Tok::LParen => match TermKind::parse(w) {
                Some(kind) => self.term(kind),
                None => {
                    self.errors.push(SpecError::UnknownSelector {
                        name: w.clone(),
                        span,
                        suggestions: closest(w, TermKind::ALL.iter().map(|k| k.as_str())),
                    });
                    self.bump();
                    self.skip_parens();
                    Err(Fail)
                }
            },
            Tok::Word(w) if w == "internet" => {
                self.bump();
                Ok(Selector::Internet(span))
            }
            Tok::Word(w) if w.starts_with(|c: char| c.is_ascii_digit()) => {
                self.bump();
                match parse_cidr(w) {
                    Ok(net) => Ok(Selector::Cidr(net, span)),
                    Err(reason) => {
                        self.errors.push(SpecError::InvalidAddress { text: w.clone(), span: span.clone(), reason });
                        // A placeholder keeps the property parsing, so later
                        // errors are reported too; the load fails anyway.
                        Ok(Selector::Cidr(Ipv4Net::default(), span))
                    }
                }
            }
            Tok::Word(w) if !RESERVED.contains(&w.as_str()) && is_name(w) => {
                self.bump();
                Ok(Selector::Ref { name: Name { name: w.clone(), span }, target: None })
            }
            Tok::Str(_) => Err(self.error_here_help(
                "a selector",
                Some("selectors are not quoted: write `pods(labels: \"app=web\")`, a `let` name or a CIDR".into()),
            )),
            _ => Err(self.error_here_help(
                "a selector",
                Some("a selector is `pods(...)`, `services(...)`, `enis(...)`, `instances(...)`, `subnets(...)`, `vpcs(...)`, `accounts(...)`, `prefix-lists(...)`, `internet`, a CIDR or a `let` name".into()),
            )),
        }
    }

    /// Skips a balanced `( ... )` group (after an unknown selector name).
    fn skip_parens(&mut self) {
        if !self.at(&Tok::LParen) {
            return;
        }
        let mut depth = 0usize;
        loop {
            match self.peek().tok {
                Tok::LParen => depth += 1,
                Tok::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                Tok::Eof | Tok::RBrace => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// ```text
    /// term = TERM "(" [ arg { "," arg } [ "," ] ] ")" ;
    /// TERM = "pods" | "services" | "enis" | "instances" | "subnets" | "vpcs" | "accounts" ;
    /// arg  = KEY ":" value ;
    /// ```
    fn term(&mut self, kind: TermKind) -> PResult<Selector> {
        let kw = self.bump();
        self.bump(); // `(`
        let mut args = Vec::new();
        let mut failed = false;
        loop {
            if self.at(&Tok::RParen) {
                break;
            }
            match self.arg(kind) {
                Ok(Some(a)) => args.push(a),
                // A bad value: reported, and the term parses on without it
                // (the load fails anyway), so later errors are found too.
                Ok(None) => {}
                Err(Fail) => {
                    failed = true;
                    // Resynchronise at the next `,` or `)` of this term.
                    while !matches!(self.peek().tok, Tok::Comma | Tok::RParen | Tok::Eof | Tok::RBrace) {
                        self.bump();
                    }
                    if matches!(self.peek().tok, Tok::Eof | Tok::RBrace) {
                        return Err(Fail);
                    }
                }
            }
            if self.at(&Tok::Comma) {
                self.bump();
            } else if !self.at(&Tok::RParen) {
                let _ = self.error_here("`,` or `)`");
                return Err(Fail);
            }
        }
        let close = self.bump();
        if failed {
            return Err(Fail);
        }
        Ok(Selector::Term(Term { kind, args, span: self.span(kw.range.start..close.range.end) }))
    }

    /// One `key: value`. `Ok(None)`: an error was recorded but the argument
    /// was consumed.
    fn arg(&mut self, kind: TermKind) -> PResult<Option<Arg>> {
        let t = self.peek().clone();
        let Tok::Word(word) = &t.tok else {
            return Err(self.error_here(&format!(
                "an argument of `{}`, e.g. `{}: ...`",
                kind.as_str(),
                kind.keys()[0].as_str()
            )));
        };
        self.bump();
        // `key:value` without a space lexes as one word; split it.
        let (key, key_range, inline) = match word.split_once(':') {
            Some((k, v)) => (
                k.to_string(),
                t.range.start..t.range.start + k.len(),
                Some((v.to_string(), t.range.start + k.len() + 1)),
            ),
            None => (word.clone(), t.range.clone(), None),
        };
        let key_span = self.span(key_range.clone());
        let value = match inline {
            Some((v, start)) => {
                Value { text: Template::parse(&v), quoted: false, exact: true, span: self.span(start..t.range.end) }
            }
            None => {
                self.expect(Tok::Colon, "`:`")?;
                self.value()?
            }
        };
        let Some(akey) = ArgKey::parse(&key).filter(|k| kind.keys().contains(k)) else {
            let valid: Vec<&'static str> = kind.keys().iter().map(|k| k.as_str()).collect();
            self.errors.push(SpecError::UnknownKey {
                key: key.clone(),
                context: format!("`{}(...)`", kind.as_str()),
                span: key_span,
                suggestions: closest(&key, valid.iter().copied()),
                valid,
            });
            return Ok(None);
        };
        let span = key_span.to(&value.span);
        let text = value.text.to_string();
        let av = match akey {
            ArgKey::Labels | ArgKey::NamespaceLabels => {
                let content = match value.quoted {
                    true => self.string_content(&value),
                    false => text.clone(),
                };
                match parse_label_selector(&content) {
                    Ok(reqs) => ArgValue::Labels(LabelExpr { reqs, raw: value }),
                    Err((problem, r)) => {
                        self.errors.push(SpecError::InvalidLabelSelector {
                            text: content,
                            problem,
                            span: value.sub_span(r),
                        });
                        return Ok(None);
                    }
                }
            }
            ArgKey::Tag => {
                let raw = self.string_content(&value);
                let (k, v) = match raw.split_once('=') {
                    Some((k, v)) => (k.trim().to_string(), Some(v.trim().to_string())),
                    None => (raw.trim().to_string(), None),
                };
                if k.is_empty() {
                    self.errors.push(SpecError::InvalidValue {
                        what: "tag",
                        value: raw,
                        span: value.span.clone(),
                        help: "write `tag: \"Key=Value\"` or `tag: Key`".into(),
                    });
                    return Ok(None);
                }
                ArgValue::Tag { key: Template::parse(&k), value: v.map(|v| Template::parse(&v)), raw: value }
            }
            ArgKey::Kind => match EniKindSel::parse(&text) {
                Some(k) => ArgValue::Kind(k, value),
                None => {
                    let names: Vec<&str> = EniKindSel::ALL.iter().map(|k| k.as_str()).collect();
                    let suggestions = closest(&text, names.iter().copied());
                    self.errors.push(SpecError::InvalidValue {
                        what: "ENI kind",
                        value: text,
                        span: value.span.clone(),
                        help: super::diag::did_you_mean(&suggestions)
                            .unwrap_or_else(|| format!("kinds are {}", super::diag::backticked(names))),
                    });
                    return Ok(None);
                }
            },
            _ => ArgValue::Text(value),
        };
        Ok(Some(Arg { key: akey, key_span, value: av, span }))
    }

    /// The literal text of a value (variables kept as `$name`, `$$` kept).
    fn string_content(&self, v: &Value) -> String {
        // Rebuild from the template so offsets match the source when exact.
        let mut s = String::new();
        for p in &v.text.parts {
            match p {
                TemplatePart::Lit(l) => s.push_str(&l.replace('$', "$$")),
                TemplatePart::Var { name, .. } => {
                    s.push('$');
                    s.push_str(name);
                }
            }
        }
        s
    }

    /// ```text
    /// value = WORD | STRING ;
    /// ```
    fn value(&mut self) -> PResult<Value> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Word(s) | Tok::Str(s) => {
                self.bump();
                let quoted = matches!(t.tok, Tok::Str(_));
                Ok(Value { text: Template::parse(s), quoted, exact: t.exact, span: self.tok_span(&t) })
            }
            _ => Err(self.error_here("a value (a word or a quoted string)")),
        }
    }
}

/// `[A-Za-z_][A-Za-z0-9_-]*`.
pub fn is_name(w: &str) -> bool {
    let mut b = w.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// An IPv4 address (a `/32`) or a CIDR without host bits.
pub fn parse_cidr(w: &str) -> Result<Ipv4Net, String> {
    if w.contains('/') {
        let net: Ipv4Net = w.parse().map_err(|_| "not an IPv4 CIDR".to_string())?;
        if net.trunc() != net {
            return Err(format!("host bits are set; the network is `{}`", net.trunc()));
        }
        Ok(net)
    } else {
        let ip: Ipv4Addr = w.parse().map_err(|_| "not an IPv4 address".to_string())?;
        Ok(Ipv4Net::from(ip))
    }
}

/// Parses one port item. Errors carry the problem, the byte range inside the
/// word and a help line.
pub fn parse_port_item(w: &str) -> Result<PortItem, (String, Range<usize>, String)> {
    const HELP: &str = "ports are `any`, `tcp`, `udp`, `icmp`, `tcp/5432`, `tcp/8000-8080`, `icmp/8`, `proto/47`";
    let (name, rest) = match w.split_once('/') {
        Some((n, r)) => (n, Some(r)),
        None => (w, None),
    };
    let rest_start = name.len() + 1;
    let whole = 0..w.len();
    let num = |s: &str, at: usize, max: u32, what: &str| -> Result<u32, (String, Range<usize>, String)> {
        let r = at..at + s.len();
        let n: u32 = s.parse().map_err(|_| (format!("`{s}` is not a {what}"), r.clone(), HELP.to_string()))?;
        if n > max {
            return Err((format!("{what} `{s}` is out of range"), r, format!("a {what} is between 0 and {max}")));
        }
        Ok(n)
    };
    let proto = match name {
        "any" => {
            if rest.is_some() {
                return Err(("`any` takes no port".into(), whole, HELP.into()));
            }
            return Ok(PortItem::any());
        }
        "tcp" => 6u8,
        "udp" => 17,
        "sctp" => 132,
        "icmp" => {
            let icmp_type = match rest {
                Some(t) => Some(u8::try_from(num(t, rest_start, 255, "ICMP type")?).unwrap_or(u8::MAX)),
                None => None,
            };
            return Ok(PortItem { proto: Some(1), lo: 0, hi: 65535, icmp_type, span: None });
        }
        "proto" => {
            let Some(n) = rest else {
                return Err(("`proto` needs a protocol number, e.g. `proto/47`".into(), whole, HELP.into()));
            };
            let p = num(n, rest_start, 255, "protocol number")?;
            return Ok(PortItem {
                proto: Some(u8::try_from(p).unwrap_or(u8::MAX)),
                lo: 0,
                hi: 65535,
                icmp_type: None,
                span: None,
            });
        }
        _ => return Err((format!("unknown protocol `{name}`"), 0..name.len(), HELP.into())),
    };
    let Some(ports) = rest else {
        return Ok(PortItem { proto: Some(proto), lo: 0, hi: 65535, icmp_type: None, span: None });
    };
    let (lo, hi) = match ports.split_once('-') {
        Some((a, b)) => {
            let lo = num(a, rest_start, 65535, "port")?;
            let hi = num(b, rest_start + a.len() + 1, 65535, "port")?;
            if lo > hi {
                return Err((
                    format!("port range `{ports}` is empty"),
                    rest_start..w.len(),
                    format!("write the lower port first: `{name}/{hi}-{lo}`"),
                ));
            }
            (lo, hi)
        }
        None => {
            let p = num(ports, rest_start, 65535, "port")?;
            (p, p)
        }
    };
    let to16 = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
    Ok(PortItem { proto: Some(proto), lo: to16(lo), hi: to16(hi), icmp_type: None, span: None })
}

// ---------------------------------------------------------------------------
// Kubernetes label selectors

#[derive(Debug, Clone, PartialEq)]
enum LTok {
    Ident(String),
    Eq,
    EqEq,
    NotEq,
    Bang,
    LParen,
    RParen,
    Comma,
    End,
}

/// A label-selector error: the problem and where in the string.
type LabelError = (String, Range<usize>);

fn label_lex(s: &str) -> Result<Vec<(LTok, Range<usize>)>, LabelError> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'=' if b.get(i + 1) == Some(&b'=') => {
                out.push((LTok::EqEq, i..i + 2));
                i += 2;
            }
            b'=' => {
                out.push((LTok::Eq, i..i + 1));
                i += 1;
            }
            b'!' if b.get(i + 1) == Some(&b'=') => {
                out.push((LTok::NotEq, i..i + 2));
                i += 2;
            }
            b'!' => {
                out.push((LTok::Bang, i..i + 1));
                i += 1;
            }
            b'(' => {
                out.push((LTok::LParen, i..i + 1));
                i += 1;
            }
            b')' => {
                out.push((LTok::RParen, i..i + 1));
                i += 1;
            }
            b',' => {
                out.push((LTok::Comma, i..i + 1));
                i += 1;
            }
            _ if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'/' | b'$') => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'_' | b'-' | b'/' | b'$'))
                {
                    i += 1;
                }
                out.push((LTok::Ident(s[start..i].to_string()), start..i));
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('?');
                return Err((format!("unexpected `{ch}`"), i..i + ch.len_utf8()));
            }
        }
    }
    out.push((LTok::End, s.len()..s.len()));
    Ok(out)
}

/// Parses a Kubernetes label selector string (`k=v,k2 in (a,b),!k3`). The
/// empty string selects everything.
///
/// ```text
/// selector    = [ requirement { "," requirement } ] ;
/// requirement = "!" KEY | KEY [ ( "=" | "==" | "!=" ) VALUE | ( "in" | "notin" ) "(" VALUE { "," VALUE } ")" ] ;
/// ```
pub fn parse_label_selector(s: &str) -> Result<Vec<LabelReq>, (String, Range<usize>)> {
    let toks = label_lex(s)?;
    let mut i = 0;
    let mut reqs = Vec::new();
    let at = |i: usize| -> &(LTok, Range<usize>) { &toks[i.min(toks.len() - 1)] };
    if at(0).0 == LTok::End {
        return Ok(reqs);
    }
    let ident = |i: usize, what: &str| -> Result<String, (String, Range<usize>)> {
        match &at(i).0 {
            LTok::Ident(v) => Ok(v.clone()),
            _ => Err((format!("expected {what}"), at(i).1.clone())),
        }
    };
    loop {
        if at(i).0 == LTok::Bang {
            let key = ident(i + 1, "a label key after `!`")?;
            reqs.push(LabelReq { key: Template::parse(&key), op: LabelOp::DoesNotExist, values: vec![] });
            i += 2;
        } else {
            let key = ident(i, "a label key")?;
            i += 1;
            match &at(i).0 {
                LTok::Eq | LTok::EqEq | LTok::NotEq => {
                    let op = if at(i).0 == LTok::NotEq { LabelOp::NotEq } else { LabelOp::Eq };
                    i += 1;
                    // An empty value (`k=`) is valid Kubernetes syntax.
                    let value = match &at(i).0 {
                        LTok::Ident(v) => {
                            i += 1;
                            v.clone()
                        }
                        LTok::Comma | LTok::End => String::new(),
                        _ => return Err(("expected a label value".into(), at(i).1.clone())),
                    };
                    reqs.push(LabelReq { key: Template::parse(&key), op, values: vec![Template::parse(&value)] });
                }
                LTok::Ident(w) if w == "in" || w == "notin" => {
                    let op = if w == "in" { LabelOp::In } else { LabelOp::NotIn };
                    i += 1;
                    if at(i).0 != LTok::LParen {
                        return Err((format!("expected `(` after `{w}`"), at(i).1.clone()));
                    }
                    i += 1;
                    let mut values = Vec::new();
                    loop {
                        values.push(Template::parse(&ident(i, "a label value")?));
                        i += 1;
                        match at(i).0 {
                            LTok::Comma => i += 1,
                            LTok::RParen => {
                                i += 1;
                                break;
                            }
                            _ => return Err(("expected `,` or `)`".into(), at(i).1.clone())),
                        }
                    }
                    reqs.push(LabelReq { key: Template::parse(&key), op, values });
                }
                LTok::Comma | LTok::End => {
                    reqs.push(LabelReq { key: Template::parse(&key), op: LabelOp::Exists, values: vec![] });
                }
                _ => return Err(("expected `=`, `==`, `!=`, `in`, `notin`, `,` or the end".into(), at(i).1.clone())),
            }
        }
        match at(i).0 {
            LTok::Comma => i += 1,
            LTok::End => break,
            _ => return Err(("expected `,` or the end of the selector".into(), at(i).1.clone())),
        }
    }
    Ok(reqs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(s: &str) -> Vec<(String, LabelOp, Vec<String>)> {
        parse_label_selector(s)
            .unwrap()
            .into_iter()
            .map(|r| (r.key.to_string(), r.op, r.values.iter().map(ToString::to_string).collect()))
            .collect()
    }

    #[test]
    fn kubernetes_label_selector_syntax() {
        use LabelOp::*;
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            req("app=web, tier==fe,env!=prod, team in (a,b), zone notin (x), owner, !legacy, k8s.io/name=$t"),
            vec![
                ("app".into(), Eq, s(&["web"])),
                ("tier".into(), Eq, s(&["fe"])),
                ("env".into(), NotEq, s(&["prod"])),
                ("team".into(), In, s(&["a", "b"])),
                ("zone".into(), NotIn, s(&["x"])),
                ("owner".into(), Exists, vec![]),
                ("legacy".into(), DoesNotExist, vec![]),
                ("k8s.io/name".into(), Eq, s(&["$t"])),
            ]
        );
        assert!(req("").is_empty());
        assert_eq!(req("k="), vec![("k".into(), Eq, s(&[""]))]);
        for bad in ["app in web", "app in (a", "=x", "!", "a b", "a=(b)", "a;b"] {
            assert!(parse_label_selector(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_items_and_their_errors() {
        let p = |s: &str| parse_port_item(s).map(|i| (i.proto, i.lo, i.hi, i.icmp_type));
        assert_eq!(p("tcp/8000-8080"), Ok((Some(6), 8000, 8080, None)));
        assert_eq!(p("udp"), Ok((Some(17), 0, 65535, None)));
        assert_eq!(p("icmp/3"), Ok((Some(1), 0, 65535, Some(3))));
        assert_eq!(p("proto/0"), Ok((Some(0), 0, 65535, None)));
        assert_eq!(p("tcp/65535"), Ok((Some(6), 65535, 65535, None)));
        for (bad, range) in [
            ("tcp/65536", 4..9),
            ("udp/9-1", 4..7),
            ("proto/256", 6..9),
            ("icmp/300", 5..8),
            ("gre", 0..3),
            ("any/1", 0..5),
            ("tcp/x", 4..5),
        ] {
            let e = parse_port_item(bad).unwrap_err();
            assert_eq!(e.1, range, "{bad}: {}", e.0);
        }
    }

    #[test]
    fn addresses_and_cidrs() {
        assert_eq!(parse_cidr("10.30.1.10").unwrap().to_string(), "10.30.1.10/32");
        assert_eq!(parse_cidr("10.30.0.0/16").unwrap().to_string(), "10.30.0.0/16");
        assert!(parse_cidr("10.30.1.10/16").unwrap_err().contains("10.30.0.0/16"));
        assert!(parse_cidr("10.30.1").is_err());
    }

    #[test]
    fn lexer_keeps_arns_and_splits_keys() {
        let mut errors = Vec::new();
        let toks: Vec<Tok> =
            lex(FileId(0), "firewall(arn:aws:x) a: b c:d x->y", &mut errors).into_iter().map(|t| t.tok).collect();
        assert!(errors.is_empty());
        let w = |s: &str| Tok::Word(s.into());
        assert_eq!(
            toks,
            vec![
                w("firewall"),
                Tok::LParen,
                w("arn:aws:x"),
                Tok::RParen,
                w("a"),
                Tok::Colon,
                w("b"),
                w("c:d"),
                w("x"),
                Tok::Arrow,
                w("y"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn templates_split_variables() {
        let t = Template::parse("tenant=$t,x=$$y,$other_1-z");
        let vars: Vec<(&str, usize)> = t.vars().collect();
        assert_eq!(vars, [("t", 7), ("other_1", 16)]);
        let b: Bindings = [("t".to_string(), "a".to_string()), ("other_1".to_string(), "q".to_string())].into();
        assert_eq!(t.render(&b), "tenant=a,x=$y,q-z");
        assert_eq!(t.to_string(), "tenant=$t,x=$$y,$other_1-z");
    }
}
