//! Benchmark: `trace --flows` with 10,000 flows over the demo snapshot.
//! Prints load time, flows per second and the verdict mix. Target: at least
//! 20,000 flows/s on 2 cores (docs/performance.md).
//!
//! Run: `cargo bench -p netprove --bench trace`

use std::fmt::Write as _;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

use netprove::eval::Evaluator;
use netprove::snapshot::SnapshotArg;

/// A small deterministic generator (no dependency, same flows every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() as usize) % v.len()]
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let t0 = Instant::now();
    let snap = match SnapshotArg::Demo.load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let load = t0.elapsed();

    let mut endpoints: Vec<String> = Vec::new();
    for c in snap.network.clusters.values() {
        endpoints.extend(c.pods.keys().map(|k| format!("pod:{}/{k}", c.name)));
    }
    endpoints.extend(snap.network.enis.keys().cloned());
    endpoints.extend(["203.0.113.7", "198.51.100.20", "8.8.8.8"].map(String::from));
    let ports = [22u16, 53, 80, 443, 5432, 8080, 8443, 9090, 3306, 6379];
    let mut rng = Lcg(7);
    let mut text = String::new();
    for _ in 0..n {
        let from = rng.pick(&endpoints).clone();
        let mut to = rng.pick(&endpoints).clone();
        if to == from {
            to = "8.8.8.8".into();
        }
        let proto = if rng.next().is_multiple_of(10) { "udp" } else { "tcp" };
        let dport = *rng.pick(&ports);
        let _ = writeln!(text, r#"{{"from": "{from}", "to": "{to}", "proto": "{proto}", "dport": {dport}}}"#);
    }

    let t1 = Instant::now();
    let specs = match netprove::trace::parse_flows("bench", &text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let ev = Evaluator::new(&snap.network, &snap.index);
    let mut results = Vec::with_capacity(specs.len());
    for s in &specs {
        match netprove::trace::run(&ev, &snap, s) {
            Ok(r) => results.push(r),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    let traced = t1.elapsed();
    let json = netprove::trace::render_json(&results, false);
    let elapsed = t1.elapsed();
    let mut mix = std::collections::BTreeMap::new();
    for r in &results {
        *mix.entry(r.verdict.as_str()).or_insert(0usize) += 1;
    }
    let secs = elapsed.as_secs_f64();
    println!("trace benchmark: demo snapshot, {n} flows");
    println!("  snapshot load      {:>10.1} ms", load.as_secs_f64() * 1e3);
    println!("  parse + trace      {:>10.1} ms", traced.as_secs_f64() * 1e3);
    println!("  trace + render     {:>10.1} ms ({} bytes of JSON)", secs * 1e3, json.len());
    println!("  throughput         {:>10.0} flows/s", n as f64 / secs);
    println!("  verdicts           {mix:?}");
}
