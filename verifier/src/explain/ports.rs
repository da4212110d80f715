//! The exact protocol/port set a constraint admits, as compact ranges.
//!
//! A term is a boolean combination of range atoms, so it is constant on the
//! cells its own boundaries induce: evaluating one point per cell is exact.

use std::collections::BTreeSet;

use crate::check::term::{Expr, Field, Term};

/// Protocol numbers and destination-port cut points mentioned in a term.
fn cuts(t: &Term, protos: &mut BTreeSet<u32>, ports: &mut BTreeSet<u32>) {
    match t {
        Term::InRange(Expr::Field(Field::Proto), lo, hi) => {
            // Protocol tests are equalities (a range would be listed by its ends).
            protos.insert(*lo);
            protos.insert(*hi);
        }
        Term::InRange(Expr::Field(Field::Dport), lo, hi) => {
            ports.insert(*lo);
            ports.insert(hi + 1);
        }
        Term::Not(x) => cuts(x, protos, ports),
        Term::And(xs) | Term::Or(xs) => xs.iter().for_each(|x| cuts(x, protos, ports)),
        _ => {}
    }
}

/// One line of a port set: `tcp 5432`, `tcp 8000-8080`, `udp 53`, `icmp`,
/// `protocol 47`, or `every other protocol`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct PortRange {
    pub proto: u8,
    pub lo: u16,
    pub hi: u16,
    /// Stands for every protocol the constraints do not name.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other_protocols: bool,
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.other_protocols {
            return write!(f, "every other protocol");
        }
        let name = netprove_models::model::net::proto_name(self.proto);
        match self.proto {
            6 | 17 | 132 if self.lo == 0 && self.hi == 65535 => write!(f, "{name} all ports"),
            6 | 17 | 132 if self.lo == self.hi => write!(f, "{name} {}", self.lo),
            6 | 17 | 132 => write!(f, "{name} {}-{}", self.lo, self.hi),
            1 => write!(f, "icmp"),
            p => write!(f, "protocol {p}"),
        }
    }
}

/// The (protocol, destination port) pairs `t` admits for a client port of
/// `sport` and an ICMP echo request, as merged ranges.
pub fn port_set(t: &Term, sport: u16) -> Vec<PortRange> {
    let mut protos = BTreeSet::new();
    let mut pcuts = BTreeSet::new();
    cuts(t, &mut protos, &mut pcuts);
    for p in [1u32, 6, 17] {
        protos.insert(p);
    }
    let protos: Vec<u32> = protos.into_iter().filter(|p| *p <= 255).collect();
    let eval = |proto: u32, dport: u32| {
        t.eval(&|f| match f {
            Field::Proto => proto,
            Field::Dport => dport,
            Field::Sport => u32::from(sport),
            Field::IcmpType => 8,
            Field::IcmpCode => 0,
        })
    };
    let mut out = Vec::new();
    for &p in &protos {
        if matches!(p, 6 | 17 | 132) {
            let mut bounds: Vec<u32> = pcuts.iter().copied().filter(|c| *c > 0 && *c <= 65535).collect();
            bounds.push(65536);
            let mut lo = 0u32;
            let mut open: Option<u32> = None;
            for b in bounds {
                match (eval(p, lo), open) {
                    (true, None) => open = Some(lo),
                    (false, Some(start)) => {
                        out.push(PortRange {
                            proto: p as u8,
                            lo: start as u16,
                            hi: (lo - 1) as u16,
                            other_protocols: false,
                        });
                        open = None;
                    }
                    _ => {}
                }
                lo = b;
            }
            if let Some(start) = open {
                out.push(PortRange { proto: p as u8, lo: start as u16, hi: 65535, other_protocols: false });
            }
        } else if eval(p, 0) {
            out.push(PortRange { proto: p as u8, lo: 0, hi: 65535, other_protocols: false });
        }
    }
    // One representative stands for every protocol the term never names.
    if let Some(r) = (0u32..=255).find(|p| !protos.contains(p)) {
        if eval(r, 0) {
            out.push(PortRange { proto: r as u8, lo: 0, hi: 65535, other_protocols: true });
        }
    }
    out
}

/// `tcp 5432, tcp 8000-8080, udp 53`.
pub fn render(set: &[PortRange]) -> String {
    if set.is_empty() {
        return "nothing".into();
    }
    set.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::term::*;

    #[test]
    fn unions_of_ranges() {
        let t = or([
            and([eq(Field::Proto, 6), eq(Field::Dport, 5432)]),
            and([eq(Field::Proto, 6), in_range(Expr::Field(Field::Dport), 8000, 8080)]),
            and([eq(Field::Proto, 17), eq(Field::Dport, 53)]),
        ]);
        assert_eq!(render(&port_set(&t, 50000)), "tcp 5432, tcp 8000-8080, udp 53");
        assert_eq!(render(&port_set(&ff(), 50000)), "nothing");
    }
}
