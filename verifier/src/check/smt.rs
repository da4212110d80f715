//! The only module that talks to z3: lowers [`Term`]s to bit-vector
//! constraints over the header fields, solves, and decodes models.

use std::collections::HashMap;

use z3::ast::{Bool, BV};
use z3::{Params, SatResult, Solver};

use super::term::{Expr, Field, Term};

/// A concrete header decoded from a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    pub icmp_type: u8,
    pub icmp_code: u8,
}

impl Header {
    pub fn get(&self, f: Field) -> u32 {
        match f {
            Field::Proto => u32::from(self.proto),
            Field::Sport => u32::from(self.sport),
            Field::Dport => u32::from(self.dport),
            Field::IcmpType => u32::from(self.icmp_type),
            Field::IcmpCode => u32::from(self.icmp_code),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SolveResult {
    Sat(Header),
    Unsat,
    /// The solver gave up (timeout or incompleteness), with its reason.
    Unknown(String),
}

/// A solver session over the header fields (one per thread: z3's context is
/// thread-local). One z3 solver is reused with push/pop: creating solvers
/// dominated small checks.
pub struct Smt {
    vars: HashMap<Field, BV>,
    solver: Solver,
}

impl Smt {
    pub fn new(timeout_ms: u32) -> Self {
        let vars = Field::ALL.iter().map(|f| (*f, BV::new_const(f.name(), f.width()))).collect();
        let solver = Solver::new();
        let mut p = Params::new();
        p.set_u32("timeout", timeout_ms);
        solver.set_params(&p);
        Smt { vars, solver }
    }

    fn var(&self, f: Field) -> BV {
        match self.vars.get(&f) {
            Some(v) => v.clone(),
            None => BV::new_const(f.name(), f.width()),
        }
    }

    fn expr(&self, e: Expr) -> BV {
        match e {
            Expr::Field(f) => self.var(f),
            Expr::ReplyIcmpType => {
                let t = self.var(Field::IcmpType);
                let mut v = t.clone();
                for q in netprove_models::model::net::ICMP_QUERY_TYPES {
                    if let Some(r) = netprove_models::model::net::icmp_reply_type(q) {
                        v = t.eq(BV::from_u64(u64::from(q), 8)).ite(&BV::from_u64(u64::from(r), 8), &v);
                    }
                }
                v
            }
        }
    }

    pub fn lower(&self, t: &Term) -> Bool {
        match t {
            Term::True => Bool::from_bool(true),
            Term::False => Bool::from_bool(false),
            Term::InRange(e, lo, hi) => {
                let v = self.expr(*e);
                let w = match e {
                    Expr::Field(f) => f.width(),
                    Expr::ReplyIcmpType => 8,
                };
                if lo == hi {
                    v.eq(BV::from_u64(u64::from(*lo), w))
                } else {
                    Bool::and(&[v.bvuge(BV::from_u64(u64::from(*lo), w)), v.bvule(BV::from_u64(u64::from(*hi), w))])
                }
            }
            Term::Not(x) => self.lower(x).not(),
            Term::And(xs) => {
                let v: Vec<Bool> = xs.iter().map(|x| self.lower(x)).collect();
                Bool::and(&v)
            }
            Term::Or(xs) => {
                let v: Vec<Bool> = xs.iter().map(|x| self.lower(x)).collect();
                Bool::or(&v)
            }
        }
    }

    /// Is `t` satisfiable? Returns a witness header if so.
    pub fn solve(&self, t: &Term) -> SolveResult {
        match t {
            Term::False => return SolveResult::Unsat,
            Term::True => {
                return SolveResult::Sat(Header { proto: 6, sport: 50000, dport: 443, icmp_type: 8, icmp_code: 0 })
            }
            _ => {}
        }
        let s = &self.solver;
        s.push();
        s.assert(self.lower(t));
        let result = match s.check() {
            SatResult::Unsat => SolveResult::Unsat,
            SatResult::Unknown => SolveResult::Unknown(s.get_reason_unknown().unwrap_or_else(|| "unknown".into())),
            SatResult::Sat => match s.get_model() {
                None => SolveResult::Unknown("no model".into()),
                Some(m) => {
                    let get = |f: Field| -> u64 { m.eval(&self.var(f), true).and_then(|v| v.as_u64()).unwrap_or(0) };
                    SolveResult::Sat(Header {
                        proto: get(Field::Proto) as u8,
                        sport: get(Field::Sport) as u16,
                        dport: get(Field::Dport) as u16,
                        icmp_type: get(Field::IcmpType) as u8,
                        icmp_code: get(Field::IcmpCode) as u8,
                    })
                }
            },
        };
        // INVARIANT: every push is popped, so no query sees another's assertions.
        s.pop(1);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::super::term::*;
    use super::*;

    #[test]
    fn solves_ranges_and_decodes() {
        let smt = Smt::new(5000);
        let t =
            and([eq(Field::Proto, 6), in_range(Expr::Field(Field::Dport), 8000, 8080), not(eq(Field::Dport, 8000))]);
        match smt.solve(&t) {
            SolveResult::Sat(h) => {
                assert_eq!(h.proto, 6);
                assert!((8001..=8080).contains(&h.dport));
                assert!(t.eval(&|f| h.get(f)));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(smt.solve(&and([eq(Field::Proto, 6), eq(Field::Proto, 17)])), SolveResult::Unsat);
        let r = in_range(Expr::ReplyIcmpType, 0, 0);
        match smt.solve(&and([r, eq(Field::Proto, 1)])) {
            SolveResult::Sat(h) => assert!(h.icmp_type == 8 || h.icmp_type == 0),
            other => panic!("{other:?}"),
        }
    }
}
