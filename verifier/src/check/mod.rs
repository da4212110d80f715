//! The symbolic engine behind `netprove check`: specs proven or refuted over
//! every packet. Paths are recorded by the concrete evaluator's walk (with
//! addresses fixed per equivalence class), their filters encoded as
//! constraints over protocol, ports and ICMP fields, and solved with z3.
//! Every witness is replayed through `eval` before it is reported.

pub mod baseline;
pub mod classes;
pub mod encode;
pub mod engine;
pub mod html;
pub mod lower;
pub mod render;
pub mod resources;
pub mod run;
pub mod sarif;
pub mod smt;
pub mod term;
pub mod witness;
