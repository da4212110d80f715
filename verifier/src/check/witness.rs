//! Canonical witnesses. z3's models depend on solver history (and so on
//! thread scheduling), but reports must be byte-identical: once z3 has shown
//! a formula satisfiable, the witness is the first satisfying header in a
//! fixed order over the cells the formula's own boundaries induce (a term is
//! constant on those cells, so this search is exact).

use std::collections::BTreeSet;

use super::smt::Header;
use super::term::{Expr, Field, Term};

fn cuts(t: &Term, out: &mut [BTreeSet<u32>; 5]) {
    match t {
        Term::InRange(e, lo, hi) => {
            let f = match e {
                Expr::Field(f) => *f,
                Expr::ReplyIcmpType => Field::IcmpType,
            };
            let i = f as usize;
            out[i].insert(*lo);
            out[i].insert(hi.saturating_add(1));
            if matches!(e, Expr::ReplyIcmpType) {
                // The reply type is a function of the request type: 0, 14, 16
                // and 18 map from 8, 13, 15 and 17.
                for v in [0u32, 1, 8, 9, 13, 14, 15, 16, 17, 18, 19] {
                    out[i].insert(v);
                }
            }
        }
        Term::Not(x) => cuts(x, out),
        Term::And(xs) | Term::Or(xs) => xs.iter().for_each(|x| cuts(x, out)),
        _ => {}
    }
}

/// Candidate values of one field, preferred first: the cell holding the
/// preferred value, then every cell's lowest value in ascending order.
fn candidates(f: Field, cuts: &BTreeSet<u32>, preferred: &[u32]) -> Vec<u32> {
    let max = f.max();
    let mut starts: Vec<u32> = cuts.iter().copied().filter(|c| *c <= max).collect();
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();
    let mut out: Vec<u32> = Vec::new();
    for p in preferred {
        if *p <= max && !out.contains(p) {
            out.push(*p);
        }
    }
    for s in starts {
        // One representative per cell: skip cells already represented.
        let cell_has = |v: u32| {
            let next = cuts.iter().copied().find(|c| *c > s).unwrap_or(max + 1);
            v >= s && v < next
        };
        if !out.iter().any(|v| cell_has(*v)) {
            out.push(s);
        }
    }
    out
}

/// The first header satisfying `t` in a fixed preference order, or `None`
/// if the cell product is too large to search (the caller keeps z3's model).
pub fn canonical(t: &Term) -> Option<Header> {
    let mut c: [BTreeSet<u32>; 5] = Default::default();
    cuts(t, &mut c);
    let protos = candidates(Field::Proto, &c[Field::Proto as usize], &[6, 17, 1]);
    let dports = candidates(Field::Dport, &c[Field::Dport as usize], &[443]);
    let sports = candidates(Field::Sport, &c[Field::Sport as usize], &[50000, 32768]);
    let types = candidates(Field::IcmpType, &c[Field::IcmpType as usize], &[8]);
    let codes = candidates(Field::IcmpCode, &c[Field::IcmpCode as usize], &[0]);
    let size = protos.len() * dports.len() * sports.len() * types.len() * codes.len();
    if size > 2_000_000 {
        return None;
    }
    for &p in &protos {
        for &d in &dports {
            for &s in &sports {
                for &ty in &types {
                    for &co in &codes {
                        let h = Header {
                            proto: p as u8,
                            sport: s as u16,
                            dport: d as u16,
                            icmp_type: ty as u8,
                            icmp_code: co as u8,
                        };
                        if t.eval(&|f| h.get(f)) {
                            return Some(h);
                        }
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::term::*;

    #[test]
    fn prefers_typical_values_and_is_exact() {
        let t = and([eq(Field::Proto, 6), in_range(Expr::Field(Field::Dport), 8000, 8080)]);
        let h = canonical(&t).expect("sat");
        assert_eq!((h.proto, h.dport, h.sport), (6, 8000, 50000));
        let t = and([eq(Field::Proto, 17), in_range(Expr::Field(Field::Sport), 1024, 2000), eq(Field::Dport, 53)]);
        let h = canonical(&t).expect("sat");
        assert_eq!((h.proto, h.dport, h.sport), (17, 53, 1024));
        assert_eq!(canonical(&ff()), None);
    }
}
