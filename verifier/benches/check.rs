//! Benchmark: the symbolic `check` engine over synthetic estates of growing
//! size (`netprove generate`). For each rung of the ladder it generates a
//! snapshot into a temporary directory, loads it, and checks 50 properties
//! in parallel (one `Checker` per worker thread: z3's context is
//! thread-local). It prints one table row per rung; nothing is asserted
//! about time. Figures go to docs/performance.md.
//!
//! Run: `cargo bench -p netprove --bench check` (the whole ladder) or
//! `cargo bench -p netprove --bench check -- 1 5 20` (chosen scales).
//! `NETPROVE_BENCH_VERBOSE=1` prints every property's outcome.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "benchmark code fails loudly")]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use netprove::check::classes::{internet_targets, Atoms, Targets};
use netprove::check::engine::{Checker, Kind, Outcome, Property, Settings, Status};
use netprove::check::term::{and, eq, tt, Field, Term};
use netprove::generate;
use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::Snapshot;

/// The default ladder; 100 is the first rung with ≥ 10,000 pods, ≥ 1,000
/// NetworkPolicies and ≥ 2,000 security groups.
const LADDER: &[u32] = &[1, 5, 20, 50, 100];
const PROPERTIES: usize = 50;

fn main() {
    let mut rungs: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    if rungs.is_empty() {
        rungs = LADDER.to_vec();
    }
    let verbose = std::env::var_os("NETPROVE_BENCH_VERBOSE").is_some();
    let threads = rayon::current_num_threads();
    println!("check ladder: {PROPERTIES} properties per rung, {threads} worker threads");
    println!(
        "{:>5} {:>7} {:>8} {:>5} {:>8} {:>8} {:>8} {:>6} {:>8} {:>6} {:>8} {:>8} {:>7} {:>8}",
        "scale",
        "pods",
        "netpols",
        "SGs",
        "gen ms",
        "load ms",
        "atoms ms",
        "atoms",
        "check ms",
        "proven",
        "violated",
        "unknown",
        "pairs",
        "peak MB"
    );
    for scale in rungs {
        rung(scale, verbose);
    }
}

fn rung(scale: u32, verbose: bool) {
    let t = Instant::now();
    let generated = generate::generate(&generate::Settings { scale, ..generate::Settings::default() })
        .unwrap_or_else(|e| panic!("generate --scale {scale}: {e}"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join(format!("synthetic-{scale}"));
    netprove::output::write_tree_atomic(&dir, &generated.files, false).expect("write snapshot");
    let sizes = generated.sizes.clone();
    drop(generated);
    let gen_ms = t.elapsed();
    reset_peak_rss();

    let t = Instant::now();
    let snap = load_snapshot(&DirSource::new(&dir)).unwrap_or_else(|e| panic!("load: {e}"));
    let load = t.elapsed();
    assert!(snap.warnings.is_empty(), "generated snapshot has warnings: {:?}", snap.warnings.first());

    let t = Instant::now();
    let atoms = Atoms::build(&snap.network, &snap.index);
    let atoms_ms = t.elapsed();
    let n_atoms = atoms.split(&[(0, u32::MAX)]).len();

    let props = properties(&snap);
    assert_eq!(props.len(), PROPERTIES, "scale {scale}: {} properties", props.len());
    let settings = Settings { witnesses: 1, timeout: Duration::from_secs(600) };

    // One Checker per worker thread, pulling properties from a shared counter.
    let t = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(Outcome, Duration)>>> = Mutex::new(vec![None; props.len()]);
    rayon::broadcast(|_| {
        let mut ck = Checker::new(&snap.network, &snap.index, &atoms);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, p)) = props.get(i) else { break };
            let started = Instant::now();
            let out = ck.check(p, &settings);
            results.lock().unwrap()[i] = Some((out, started.elapsed()));
        }
    });
    let check = t.elapsed();
    let results: Vec<(Outcome, Duration)> = results.into_inner().unwrap().into_iter().map(Option::unwrap).collect();

    let count = |s: Status| results.iter().filter(|(o, _)| o.status == s).count();
    let pairs: usize = results.iter().map(|(o, _)| o.stats.class_pairs).sum();
    let errors = count(Status::Error);
    println!(
        "{:>5} {:>7} {:>8} {:>5} {:>8} {:>8} {:>8} {:>6} {:>8} {:>6} {:>8} {:>8} {:>7} {:>8}",
        scale,
        sizes.pods,
        sizes.network_policies,
        sizes.security_groups,
        gen_ms.as_millis(),
        load.as_millis(),
        atoms_ms.as_millis(),
        n_atoms,
        check.as_millis(),
        count(Status::Proven),
        count(Status::Violated),
        count(Status::Unknown) + errors,
        pairs,
        peak_rss_mb().map(|m| m.to_string()).unwrap_or_else(|| "?".into())
    );
    if errors > 0 {
        println!("      ({errors} internal errors counted as unknown)");
    }
    if verbose {
        let mut by_kind: std::collections::BTreeMap<&str, (usize, Duration)> = Default::default();
        for ((name, _), (o, d)) in props.iter().zip(&results) {
            println!(
                "      {:<60} {:<8} {:>8} ms  pairs {:>6} paths {:>6} solver {:>5}  {}",
                name,
                o.status.as_str(),
                d.as_millis(),
                o.stats.class_pairs,
                o.stats.paths,
                o.stats.solver_calls,
                o.reason.as_deref().unwrap_or("")
            );
            let kind = name.split(':').next().unwrap_or("");
            let e = by_kind.entry(kind).or_default();
            e.0 += 1;
            e.1 += *d;
        }
        for (k, (n, d)) in by_kind {
            println!("      {k:<12} {n:>3} properties, {:>8} ms CPU", d.as_millis());
        }
    }
}

/// The 50 properties: per-tenant isolation, app → database reachability,
/// no inbound internet to pods, and internet egress only through the firewall.
fn properties(snap: &Snapshot) -> Vec<(String, Property)> {
    let net = &snap.network;
    // (cluster, tenant namespace), in tenant order.
    let mut tenants: Vec<(String, String)> = net
        .clusters
        .values()
        .flat_map(|c| c.namespaces.keys().filter(|n| n.starts_with("tenant-")).map(|n| (c.name.clone(), n.clone())))
        .collect();
    tenants.sort_by(|a, b| a.1.cmp(&b.1));
    let n = tenants.len();
    let pods = |t: usize, filter: &dyn Fn(&netprove_models::model::k8s::Pod) -> bool| -> Targets {
        let (cluster, ns) = &tenants[t % n];
        let c = &net.clusters[cluster];
        Targets {
            pods: c
                .pods
                .values()
                .filter(|p| &p.namespace == ns && p.is_live() && filter(p))
                .map(|p| (cluster.clone(), p.key()))
                .collect(),
            ..Targets::default()
        }
    };
    let all = |_: &netprove_models::model::k8s::Pod| true;
    let label = |k: &'static str, v: &'static str| {
        move |p: &netprove_models::model::k8s::Pod| p.labels.get(k).map(String::as_str) == Some(v)
    };
    let tcp = |port: u32| -> Term { and([eq(Field::Proto, 6), eq(Field::Dport, port)]) };
    let db_eni = |t: usize| -> Targets {
        let name = format!("{}-db", tenants[t % n].1);
        let sg = net.security_groups.values().find(|g| g.name == name).map(|g| g.id.clone());
        Targets {
            enis: net
                .enis
                .values()
                .filter(|e| sg.as_ref().is_some_and(|g| e.security_groups.contains(g)))
                .map(|e| e.id.clone())
                .collect(),
            ..Targets::default()
        }
    };

    let mut out = Vec::new();
    // 30 × isolation between two tenants, any protocol and port: half within
    // one cluster (NetworkPolicies decide), half across clusters.
    let spokes = net.clusters.len().max(1);
    for k in 0..30 {
        let i = (k * 7) % n;
        let j = if k % 2 == 0 && i + spokes < n { i + spokes } else { (i + 1) % n };
        if i == j {
            // A single tenant: isolation from the nodes (hostNetwork pods) instead.
            let (cluster, _) = &tenants[i];
            let c = &net.clusters[cluster];
            let nodes = Targets {
                pods: c
                    .pods
                    .values()
                    .filter(|p| p.host_network && p.is_live())
                    .map(|p| (cluster.clone(), p.key()))
                    .collect(),
                ..Targets::default()
            };
            out.push((
                format!("isolation: {} -> nodes #{k}", tenants[i].1),
                Property { kind: Kind::Never, src: pods(i, &all), dst: nodes, ports: tt() },
            ));
            continue;
        }
        out.push((
            format!("isolation: {} -> {}", tenants[i].1, tenants[j].1),
            Property { kind: Kind::Never, src: pods(i, &all), dst: pods(j, &all), ports: tt() },
        ));
    }
    // 10 × the tenant's api pods always reach its database on tcp/5432.
    for k in 0..10 {
        let t = (k * 13 + 3) % n;
        out.push((
            format!("app-db: {} api -> db tcp/5432", tenants[t].1),
            Property { kind: Kind::Always, src: pods(t, &label("app", "api")), dst: db_eni(t), ports: tcp(5432) },
        ));
    }
    // 5 × nothing from the internet reaches a tenant's pods.
    for k in 0..5 {
        let t = (k * 17 + 5) % n;
        out.push((
            format!("inbound: internet -> {}", tenants[t].1),
            Property { kind: Kind::Never, src: internet_targets(), dst: pods(t, &all), ports: tt() },
        ));
    }
    // 5 × a tenant's web pods reach the internet only through the firewall.
    let via: BTreeSet<String> = ["inspection-fw".to_string()].into_iter().collect();
    for k in 0..5 {
        let t = (k * 19 + 7) % n;
        out.push((
            format!("egress: {} web -> internet via inspection-fw", tenants[t].1),
            Property {
                kind: Kind::Only { via: via.clone() },
                src: pods(t, &label("tier", "web")),
                dst: internet_targets(),
                ports: eq(Field::Proto, 6),
            },
        ));
    }
    out
}

/// Resets `VmHWM` so each rung's peak excludes the previous rungs and the
/// in-memory copy of the generated files.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
