//! The spec language of `netprove check` (`.nps` files): what must, must not
//! and may only be reachable, over selectors of pods, Services, ENIs,
//! instances, subnets, VPCs, accounts, CIDRs and the internet.
//! Reference: `docs/spec-language.md`.
//!
//! Pipeline: text ──[`lexer`]──▶ tokens ──[`parser`]──▶ [`ast::SpecFile`]
//! ──[`load`] (includes, `let`s, checks)──▶ [`load::SpecSet`]
//! ──[`select`] (against a `Network`)──▶ [`select::ResolvedProperty`]s.
//!
//! Errors are typed data ([`error`]) turned into [`diag::Diagnostic`]s and
//! rendered with ariadne only by [`diag::render`].

pub mod ast;
pub mod diag;
pub mod error;
pub mod lexer;
pub mod load;
pub mod parser;
pub mod print;
pub mod select;

pub use ast::{Property, Selector, Severity, Spec};
pub use diag::{render, Diagnostic, Diagnostics, Level, SourceMap};
pub use load::{load_specs, load_specs_from_memory, load_specs_from_str, SpecSet};
pub use select::{
    label_values, resolve_specs, EndpointSet, Resolution, ResolvedProperty, ResolvedSpec, SelectCtx, WaypointSet,
};
