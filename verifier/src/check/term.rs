//! Our own small term layer between the model and z3 (Cedar's symcc keeps
//! one too): typed header fields, range atoms and boolean structure, with
//! smart constructors that fold constants. Lowered to z3 only in `smt.rs`.

use std::fmt;
use std::sync::Arc as Rc;

/// The header fields the symbolic engine reasons about. Addresses are fixed
/// per equivalence class (see `classes.rs`); everything else is symbolic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Proto,
    Sport,
    Dport,
    IcmpType,
    IcmpCode,
}

impl Field {
    pub const ALL: [Field; 5] = [Field::Proto, Field::Sport, Field::Dport, Field::IcmpType, Field::IcmpCode];

    pub fn width(self) -> u32 {
        match self {
            Field::Sport | Field::Dport => 16,
            Field::Proto | Field::IcmpType | Field::IcmpCode => 8,
        }
    }

    pub fn max(self) -> u32 {
        (1u32 << self.width()) - 1
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Proto => "proto",
            Field::Sport => "sport",
            Field::Dport => "dport",
            Field::IcmpType => "icmp_type",
            Field::IcmpCode => "icmp_code",
        }
    }
}

/// A value compared against a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expr {
    Field(Field),
    /// The ICMP type of the reply to a request of type `IcmpType` (echo 8 → 0,
    /// timestamp 13 → 14, information 15 → 16, address mask 17 → 18,
    /// otherwise unchanged; such messages get no reply anyway).
    ReplyIcmpType,
}

impl Expr {
    pub fn max(self) -> u32 {
        match self {
            Expr::Field(f) => f.max(),
            Expr::ReplyIcmpType => 255,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    True,
    False,
    /// `lo <= e <= hi`.
    InRange(Expr, u32, u32),
    Not(Rc<Term>),
    And(Rc<[Term]>),
    Or(Rc<[Term]>),
}

impl Term {
    pub fn is_true(&self) -> bool {
        matches!(self, Term::True)
    }

    pub fn is_false(&self) -> bool {
        matches!(self, Term::False)
    }

    /// Evaluates under a concrete header (used by tests and witness checks).
    pub fn eval(&self, h: &dyn Fn(Field) -> u32) -> bool {
        match self {
            Term::True => true,
            Term::False => false,
            Term::InRange(e, lo, hi) => {
                let v = match e {
                    Expr::Field(f) => h(*f),
                    Expr::ReplyIcmpType => {
                        let t = h(Field::IcmpType);
                        u8::try_from(t).ok().and_then(netprove_models::model::net::icmp_reply_type).map_or(t, u32::from)
                    }
                };
                *lo <= v && v <= *hi
            }
            Term::Not(t) => !t.eval(h),
            Term::And(ts) => ts.iter().all(|t| t.eval(h)),
            Term::Or(ts) => ts.iter().any(|t| t.eval(h)),
        }
    }

    /// The term with field `f` fixed to `v` (folded).
    pub fn with_field(&self, f: Field, v: u32) -> Term {
        match self {
            Term::InRange(Expr::Field(g), lo, hi) if *g == f => bool_(*lo <= v && v <= *hi),
            Term::True | Term::False | Term::InRange(..) => self.clone(),
            Term::Not(t) => not(t.with_field(f, v)),
            Term::And(ts) => and(ts.iter().map(|t| t.with_field(f, v))),
            Term::Or(ts) => or(ts.iter().map(|t| t.with_field(f, v))),
        }
    }
}

pub fn tt() -> Term {
    Term::True
}

pub fn ff() -> Term {
    Term::False
}

pub fn bool_(b: bool) -> Term {
    if b {
        Term::True
    } else {
        Term::False
    }
}

pub fn in_range(e: Expr, lo: u32, hi: u32) -> Term {
    if lo > hi || lo > e.max() {
        Term::False
    } else if lo == 0 && hi >= e.max() {
        Term::True
    } else {
        Term::InRange(e, lo, hi.min(e.max()))
    }
}

pub fn eq(f: Field, v: u32) -> Term {
    in_range(Expr::Field(f), v, v)
}

pub fn not(t: Term) -> Term {
    match t {
        Term::True => Term::False,
        Term::False => Term::True,
        Term::Not(inner) => (*inner).clone(),
        other => Term::Not(Rc::new(other)),
    }
}

pub fn and(ts: impl IntoIterator<Item = Term>) -> Term {
    let mut out = Vec::new();
    for t in ts {
        match t {
            Term::True => {}
            Term::False => return Term::False,
            Term::And(inner) => out.extend(inner.iter().cloned()),
            other => out.push(other),
        }
    }
    match out.len() {
        0 => Term::True,
        1 => out.pop().unwrap_or(Term::True),
        _ => Term::And(out.into()),
    }
}

pub fn or(ts: impl IntoIterator<Item = Term>) -> Term {
    let mut out = Vec::new();
    for t in ts {
        match t {
            Term::False => {}
            Term::True => return Term::True,
            Term::Or(inner) => out.extend(inner.iter().cloned()),
            other => out.push(other),
        }
    }
    match out.len() {
        0 => Term::False,
        1 => out.pop().unwrap_or(Term::False),
        _ => Term::Or(out.into()),
    }
}

/// `if c then t else e` on booleans.
pub fn ite(c: Term, t: Term, e: Term) -> Term {
    match (&c, &t, &e) {
        (Term::True, _, _) => t,
        (Term::False, _, _) => e,
        (_, Term::True, _) => or([c, e]),
        (_, Term::False, _) => and([not(c), e]),
        _ => or([and([c.clone(), t]), and([not(c), e])]),
    }
}

/// A three-valued outcome as two disjoint sets of headers: definitely
/// allowed, and maybe (the model cannot tell). The rest is denied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tri {
    pub allow: Term,
    pub maybe: Term,
}

impl Tri {
    pub fn allow_all() -> Tri {
        Tri { allow: tt(), maybe: ff() }
    }

    pub fn deny_all() -> Tri {
        Tri { allow: ff(), maybe: ff() }
    }

    pub fn unknown_all() -> Tri {
        Tri { allow: ff(), maybe: tt() }
    }

    /// Allowed or maybe.
    pub fn possible(&self) -> Term {
        or([self.allow.clone(), self.maybe.clone()])
    }
}

/// Conjunction of three-valued outcomes: allowed iff all allow; possible iff
/// all possible.
pub fn tri_and(parts: &[Tri]) -> Tri {
    let allow = and(parts.iter().map(|p| p.allow.clone()));
    let possible = and(parts.iter().map(Tri::possible));
    Tri { maybe: and([possible, not(allow.clone())]), allow }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::True => write!(f, "true"),
            Term::False => write!(f, "false"),
            Term::InRange(e, lo, hi) => {
                let name = match e {
                    Expr::Field(x) => x.name(),
                    Expr::ReplyIcmpType => "reply_icmp_type",
                };
                if lo == hi {
                    write!(f, "{name}={lo}")
                } else {
                    write!(f, "{name}∈[{lo},{hi}]")
                }
            }
            Term::Not(t) => write!(f, "¬({t})"),
            Term::And(ts) => {
                write!(f, "(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ∧ ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ")")
            }
            Term::Or(ts) => {
                write!(f, "(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ∨ ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_fold_constants() {
        assert_eq!(and([tt(), tt()]), tt());
        assert_eq!(and([tt(), ff()]), ff());
        assert_eq!(or([ff(), ff()]), ff());
        assert_eq!(not(not(eq(Field::Proto, 6))), eq(Field::Proto, 6));
        assert_eq!(in_range(Expr::Field(Field::Dport), 0, 65535), tt());
        assert_eq!(in_range(Expr::Field(Field::Dport), 5, 4), ff());
        assert_eq!(ite(tt(), eq(Field::Proto, 6), ff()), eq(Field::Proto, 6));
    }

    #[test]
    fn eval_reply_icmp() {
        let t = in_range(Expr::ReplyIcmpType, 0, 0);
        assert!(t.eval(&|f| if f == Field::IcmpType { 8 } else { 0 }));
        assert!(!t.eval(&|f| if f == Field::IcmpType { 3 } else { 0 }));
    }
}
