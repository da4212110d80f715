//! Printing the syntax tree back as spec-language text, in a canonical
//! layout. Parsing the output gives the same tree (up to spans); the grammar
//! tests check exactly that.

use std::fmt::{self, Display, Formatter};

use super::ast::*;

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let text = self.text.to_string();
        let bare = !text.is_empty()
            && text.bytes().all(|b| super::lexer::is_word_byte(b) && b != b':')
            && !text.contains("->");
        if self.quoted || !bare {
            f.write_str(&quote(&text))
        } else {
            f.write_str(&text)
        }
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key.as_str(), self.value.raw())
    }
}

impl Display for Selector {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Term(t) => {
                let args: Vec<String> = t.args.iter().map(ToString::to_string).collect();
                write!(f, "{}({})", t.kind.as_str(), args.join(", "))
            }
            Selector::Internet(_) => f.write_str("internet"),
            Selector::Cidr(net, _) => {
                if net.prefix_len() == 32 {
                    write!(f, "{}", net.addr())
                } else {
                    write!(f, "{net}")
                }
            }
            Selector::Ref { name, .. } => f.write_str(&name.name),
            Selector::Union(a, b, _) => write!(f, "{a} | {b}"),
            Selector::Except(a, b, _) => write!(f, "{a} except {b}"),
            Selector::Paren(a, _) => write!(f, "({a})"),
        }
    }
}

impl Display for Waypoint {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Waypoint::Firewall { name, .. } => write!(f, "firewall({name})"),
            Waypoint::Nat { id, .. } => write!(f, "nat({id})"),
            Waypoint::Igw { id, .. } => write!(f, "igw({id})"),
            Waypoint::Tgw { id, .. } => write!(f, "tgw({id})"),
            Waypoint::Enis(s) => write!(f, "{s}"),
        }
    }
}

fn on(p: &PortSpec) -> String {
    if p.span.is_none() && p.is_any() {
        String::new()
    } else {
        format!(" on {p}")
    }
}

impl Display for Property {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Property::Never { src, dst, on: o, .. } => write!(f, "never {src} -> {dst}{}", on(o)),
            Property::Always { src, dst, on: o, .. } => write!(f, "always {src} -> {dst}{}", on(o)),
            Property::Only { src, dst, via, on: o, .. } => write!(f, "only {src} -> {dst} via {via}{}", on(o)),
            Property::ForEach { var, source, body, .. } => {
                write!(f, "for each {} in {} {}:\n    {body}", var.name, source.kind.as_str(), quote(&source.key))
            }
        }
    }
}

impl Display for SpecDecl {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "spec {} {{", self.id.name)?;
        if let Some((t, _)) = &self.title {
            writeln!(f, "  title = {}", quote(t))?;
        }
        if let Some((s, _)) = &self.severity {
            writeln!(f, "  severity = {}", s.as_str())?;
        }
        if let Some((r, _)) = &self.rationale {
            writeln!(f, "  rationale = {}", quote(r))?;
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|(t, _)| quote(t)).collect();
            writeln!(f, "  tags = [{}]", tags.join(", "))?;
        }
        if let Some((e, _)) = &self.expect_violated {
            writeln!(f, "  expect = {}", if *e { "violated" } else { "holds" })?;
        }
        if let Some(p) = &self.property {
            writeln!(f, "  {}", p.to_string().replace('\n', "\n  "))?;
        }
        write!(f, "}}")
    }
}

impl Display for SpecFile {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for i in &self.includes {
            writeln!(f, "include {}", quote(&i.path))?;
        }
        if !self.includes.is_empty() {
            writeln!(f)?;
        }
        for l in &self.lets {
            writeln!(f, "let {} = {}", l.name.name, l.selector)?;
        }
        if !self.lets.is_empty() {
            writeln!(f)?;
        }
        for (i, s) in self.specs.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Display for Spec {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "spec {} {{", self.id)?;
        writeln!(f, "  title = {}", quote(&self.title))?;
        writeln!(f, "  severity = {}", self.severity.as_str())?;
        if let Some(r) = &self.rationale {
            writeln!(f, "  rationale = {}", quote(r))?;
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| quote(t)).collect();
            writeln!(f, "  tags = [{}]", tags.join(", "))?;
        }
        if self.expect_violated {
            writeln!(f, "  expect = violated")?;
        }
        writeln!(f, "  {}", self.property.to_string().replace('\n', "\n  "))?;
        write!(f, "}}")
    }
}
