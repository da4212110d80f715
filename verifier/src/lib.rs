//! netprove's verifier: snapshot loading for the CLI, inspection, and (in
//! later stages) evaluation, encoding, solving, explanation and reports.

pub mod check;
pub mod eval;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod output;
pub mod shell;
pub mod snapshot;
pub mod spec;
pub mod trace;
