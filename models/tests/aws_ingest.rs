//! Data-driven AWS ingestion tests: each `data/aws/<case>/` is a tiny snapshot;
//! the expected model dump and warnings are insta snapshots reviewed by hand.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::model::dump::dump;

fn render(case: &str) -> String {
    let dir = format!("{}/tests/data/aws/{case}", env!("CARGO_MANIFEST_DIR"));
    match load_snapshot(&DirSource::new(&dir)) {
        Ok(snap) => {
            let mut out = dump(&snap.network);
            out.push_str("--- warnings\n");
            for w in &snap.warnings {
                out.push_str(&format!("{w}\n"));
            }
            out.push_str("--- files\n");
            for f in &snap.files {
                out.push_str(&format!("{} {:?}\n", f.path, f.kinds));
            }
            out
        }
        Err(e) => format!("ERRORS\n{e}\n"),
    }
}

macro_rules! case {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render(stringify!($name)));
        }
    };
}

case!(security_groups);
case!(network_acls);
case!(route_tables);
case!(enis_instances);
case!(gateways);
case!(transit_gateway);
case!(batfish_layout);
