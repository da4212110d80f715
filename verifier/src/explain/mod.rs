//! "Why can X reach Y" and "why not": explanations built from the same
//! recorded paths and constraints as `check`.
//!
//! - Reachable: every distinct path with a witness replayed through `trace`
//!   (each hop names its rule), and the exact set of protocols and ports that
//!   get through, computed from the path constraints.
//! - Not reachable: for each path, **every** blocker on it (each filter whose
//!   constraint rejects the header, and topology gaps), with the smallest
//!   change that would open it.

pub mod blockers;
pub mod ports;
pub mod why;

pub use why::{why, WhyAnswer, WhyQuestion};
