//! Renderer snapshot tests for `check` on the demo: the plain terminal text
//! and the JSON are reviewed snapshots, and two runs give identical bytes.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::PathBuf;

use netprove::check::{lower, render, run};
use netprove::snapshot::SnapshotArg;

fn report() -> run::Report {
    let snap = SnapshotArg::Dir("../snapshots/demo".into()).load().expect("demo");
    let set = netprove::spec::load::load_specs(&[PathBuf::from("../specs/demo")]).expect("specs");
    let res = netprove::spec::select::resolve_specs(&set, &snap.network, &snap.index);
    let inputs = lower::lower(&snap.network, &set, &res);
    run::run(&snap, "snapshots/demo", &inputs, run::default_settings(1, 60))
}

#[test]
fn text_and_json_renderers() {
    let r = report();
    let text = render::text(&r, false);
    insta::assert_snapshot!("check_text_demo", text);
    let quiet = render::text(&r, true);
    assert!(!quiet.contains("PROVEN"));
    assert!(quiet.contains("VIOLATED"));
    let colored = render::text_styled(&r, false, true);
    assert!(colored.contains("\x1b[1;31mVIOLATED\x1b[0m"));
    let again = report();
    assert_eq!(render::json(&r), render::json(&again), "JSON differs between runs");
    assert_eq!(text, render::text(&again, false), "text differs between runs");
}
