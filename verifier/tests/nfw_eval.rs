//! The Network Firewall evaluator on realistic snapshots, data-driven.
//!
//! Each directory under `tests/data/nfw_eval/` is a snapshot holding one
//! firewall, plus `cases.txt`: one connection per line with the expected
//! verdict and, optionally, a rule the decision's steps must name. The
//! format is described at the top of each `cases.txt`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code fails loudly")]

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use ipnet::Ipv4Net;
use netprove::eval::nfw::{evaluate, AppLayer, Connection, NfwVerdict};
use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::model::net::{PROTO_ICMP, PROTO_TCP, PROTO_UDP};

/// The inspection VPC of the fixtures; every policy overrides `HOME_NET`.
const FIREWALL_VPC: &str = "10.1.0.0/16";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/nfw_eval")
}

fn endpoint(s: &str) -> (Ipv4Addr, u16) {
    match s.split_once(':') {
        Some((ip, port)) => (ip.parse().unwrap(), port.parse().unwrap()),
        None => (s.parse().unwrap(), 0),
    }
}

/// `<proto> <src>[:<sport>] -> <dst>[:<dport>] [app] => <verdict> [<rule>]`.
fn parse_case(line: &str) -> (Connection, NfwVerdict, Option<String>) {
    let (conn, expect) = line.split_once("=>").unwrap_or_else(|| panic!("no `=>` in `{line}`"));
    let words: Vec<&str> = conn.split_whitespace().collect();
    let [proto, src, "->", dst, app @ ..] = words.as_slice() else { panic!("bad connection `{conn}`") };
    let (src, sport) = endpoint(src);
    let (dst, dport) = endpoint(dst);
    let proto = match *proto {
        "tcp" => PROTO_TCP,
        "udp" => PROTO_UDP,
        "icmp" => PROTO_ICMP,
        p => panic!("unknown protocol `{p}`"),
    };
    let app = match app {
        [] => AppLayer::Unknown,
        ["nosni"] => AppLayer::Tls { sni: None },
        [a] if a.starts_with("sni=") => AppLayer::Tls { sni: Some(a[4..].to_string()) },
        [a] if a.starts_with("host=") => AppLayer::Http { host: Some(a[5..].to_string()) },
        other => panic!("bad application layer {other:?}"),
    };
    let icmp = (proto == PROTO_ICMP).then_some((8, 0));
    let conn = Connection { src, dst, proto, sport, dport, icmp, app };
    let mut expect = expect.split_whitespace();
    let verdict = match expect.next() {
        Some("pass") => NfwVerdict::Pass,
        Some("drop") => NfwVerdict::Drop,
        Some("unknown") => NfwVerdict::Unknown,
        v => panic!("bad verdict {v:?} in `{line}`"),
    };
    let rule: Vec<&str> = expect.collect();
    (conn, verdict, (!rule.is_empty()).then(|| rule.join(" ")))
}

#[test]
fn nfw_eval_cases() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let home: Vec<Ipv4Net> = vec![FIREWALL_VPC.parse().unwrap()];
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in dirs {
        let snap = load_snapshot(&DirSource::new(&dir)).unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
        let net = &snap.network;
        let fw = net.firewalls.values().next().unwrap_or_else(|| panic!("{}: no firewall", dir.display()));
        let cases = std::fs::read_to_string(dir.join("cases.txt")).unwrap();
        for line in cases.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (conn, want, rule) = parse_case(line);
            let d = evaluate(net, fw, &conn, &home);
            ran += 1;
            let named = rule.as_ref().is_none_or(|r| d.steps.iter().any(|s| &s.rule == r));
            if d.verdict != want || !named {
                failures.push(format!("{}: `{line}`\n  got {d:#?}", dir.display()));
            }
        }
    }
    assert!(ran >= 20, "only {ran} cases ran");
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}
