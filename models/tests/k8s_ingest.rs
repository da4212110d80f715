//! Kubernetes ingestion, end to end through `load_snapshot`.
//!
//! Fixtures live in `tests/data/k8s/`:
//! - `objects/` and `netpol/` are snapshots; each is loaded and rendered as
//!   text, and the text must equal the fixture's `expected.txt` (run with
//!   `UPDATE_EXPECT=1` to rewrite it, then review the diff);
//! - `errors/*` are single broken files; each must fail with the message
//!   listed in [`error_cases`].

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
#![expect(clippy::panic, reason = "tests fail by panicking")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netprove_models::ingest::{load_snapshot, IngestError, MemSource, Snapshot};
use netprove_models::model::k8s::{Cluster, NpPeer, NpPort, NpRule, PortRef, SelectorOp, TargetPort};
use netprove_models::model::WarningKind;

const ONE_CLUSTER: &str = "name = \"t\"\n\n[[cluster]]\nname = \"c1\"\n";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/k8s")
}

/// Reads a fixture directory into a [`MemSource`].
fn fixture(case: &str) -> MemSource {
    fn walk(root: &Path, dir: &Path, src: MemSource) -> MemSource {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        entries.sort();
        let mut src = src;
        for path in entries {
            if path.is_dir() {
                src = walk(root, &path, src);
                continue;
            }
            let rel = match path.strip_prefix(root) {
                Ok(r) => r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
                Err(e) => panic!("{e}"),
            };
            if rel == "expected.txt" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            src = src.with(rel, text);
        }
        src
    }
    let root = data_dir().join(case);
    walk(&root, &root, MemSource::new(case))
}

fn load(src: &MemSource) -> Snapshot {
    match load_snapshot(src) {
        Ok(s) => s,
        Err(e) => panic!("load failed:\n{e}"),
    }
}

fn load_err(src: &MemSource) -> Vec<IngestError> {
    match load_snapshot(src) {
        Ok(_) => panic!("loaded without error"),
        Err(e) => e.0,
    }
}

fn cluster<'s>(snap: &'s Snapshot, name: &str) -> &'s Cluster {
    snap.network.clusters.get(name).unwrap_or_else(|| panic!("no cluster `{name}`"))
}

/// Compares `actual` with the fixture's `expected.txt`.
fn check_expected(case: &str, actual: &str) {
    let path = data_dir().join(case).join("expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Err(e) = std::fs::write(&path, actual) {
            panic!("{}: {e}", path.display());
        }
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let mut diff = String::new();
        for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
            if e != a {
                let _ = writeln!(diff, "line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
            }
        }
        panic!(
            "{case}: output differs from expected.txt ({} vs {} lines; UPDATE_EXPECT=1 rewrites it)\n{diff}\nactual:\n{actual}",
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

// ---------------------------------------------------------------------------
// Rendering

fn render(snap: &Snapshot) -> String {
    let mut out = String::new();
    for f in &snap.files {
        let _ = writeln!(out, "file {} [{}]", f.path, f.kinds.join(", "));
    }
    for c in snap.network.clusters.values() {
        render_cluster(&mut out, c);
    }
    let _ = writeln!(out, "warnings:");
    for w in &snap.warnings {
        let _ = writeln!(out, "  {w}");
    }
    out
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

fn labels(l: &netprove_models::model::k8s::Labels) -> String {
    let parts: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", parts.join(","))
}

fn render_cluster(out: &mut String, c: &Cluster) {
    let excl: Vec<String> = c.exclude_snat_cidrs.iter().map(|n| n.to_string()).collect();
    let _ = writeln!(
        out,
        "cluster {}: vpc={} account={} region={} external_snat={} exclude_snat=[{}] sg_mode={:?} np_enforcement={}",
        c.name,
        opt(&c.vpc_id),
        opt(&c.account),
        opt(&c.region),
        c.external_snat,
        excl.join(","),
        c.sg_enforcing_mode,
        c.network_policy_enforcement
    );
    for n in c.namespaces.values() {
        let _ = writeln!(out, "  namespace {} {} ({})", n.name, labels(&n.labels), n.prov.location());
    }
    for (k, p) in &c.pods {
        let ports: Vec<String> = p
            .container_ports
            .iter()
            .map(|cp| {
                format!(
                    "{}{}/{:?}",
                    cp.name.as_ref().map(|n| format!("{n}=")).unwrap_or_default(),
                    cp.port,
                    cp.protocol
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  pod {k} ip={} host_ip={} node={} host_network={} phase={} ready={} sa={} owner={} labels={} ports=[{}] ({} {})",
            opt(&p.ip),
            opt(&p.host_ip),
            opt(&p.node_name),
            p.host_network,
            opt(&p.phase),
            opt(&p.ready),
            opt(&p.service_account),
            opt(&p.owner_kind),
            labels(&p.labels),
            ports.join(","),
            p.prov.short(),
            p.prov.location()
        );
    }
    for n in c.nodes.values() {
        let ips: Vec<String> = n.internal_ips.iter().map(|i| i.to_string()).collect();
        let _ = writeln!(
            out,
            "  node {} ips=[{}] instance={} az={} provider_id={} ({})",
            n.name,
            ips.join(","),
            opt(&n.instance_id),
            opt(&n.availability_zone),
            opt(&n.provider_id),
            n.prov.location()
        );
    }
    for (k, s) in &c.services {
        let ports: Vec<String> = s
            .ports
            .iter()
            .map(|p| {
                let target = match &p.target_port {
                    TargetPort::Number(n) => n.to_string(),
                    TargetPort::Name(n) => format!("`{n}`"),
                };
                let np = p.node_port.map(|n| format!(" nodePort={n}")).unwrap_or_default();
                format!(
                    "{}{}/{:?}->{target}{np}",
                    p.name.as_ref().map(|n| format!("{n}=")).unwrap_or_default(),
                    p.port,
                    p.protocol
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  service {k} type={} cluster_ip={} selector={} ports=[{}] ({})",
            s.service_type,
            opt(&s.cluster_ip),
            s.selector.as_ref().map(labels).unwrap_or_else(|| "-".into()),
            ports.join(", "),
            s.prov.location()
        );
        match &s.endpoints {
            None => {
                let _ = writeln!(out, "    endpoints: unknown");
            }
            Some(eps) => {
                for e in eps {
                    let _ = writeln!(
                        out,
                        "    endpoint {} {} pod={}",
                        e.ip,
                        if e.ready { "ready" } else { "not-ready" },
                        opt(&e.pod)
                    );
                }
            }
        }
    }
    for (k, l) in &c.service_accounts {
        let _ = writeln!(out, "  service-account {k} {}", labels(l));
    }
    for (k, s) in &c.security_group_policies {
        let _ = writeln!(
            out,
            "  sgp {k} pods={} service_accounts={} groups=[{}] ({})",
            opt(&s.pod_selector),
            opt(&s.service_account_selector),
            s.group_ids.join(","),
            s.prov.location()
        );
    }
    for u in &c.unmodelled_policies {
        let _ =
            writeln!(out, "  unmodelled {} ({}) ({} {})", u.label(), u.api_version, u.prov.short(), u.prov.location());
    }
    for (k, np) in &c.network_policies {
        let _ = writeln!(out, "  netpol {k} pods={} ({})", np.pod_selector, np.prov.location());
        for (dir, rules) in [("ingress", &np.ingress), ("egress", &np.egress)] {
            match rules {
                None => {
                    let _ = writeln!(out, "    {dir}: not isolated");
                }
                Some(rules) if rules.is_empty() => {
                    let _ = writeln!(out, "    {dir}: isolated, no rules");
                }
                Some(rules) => {
                    for r in rules {
                        let _ = writeln!(out, "    {}", render_rule(r));
                    }
                }
            }
        }
    }
}

fn render_rule(r: &NpRule) -> String {
    let peers = match &r.peers {
        None => "all".to_string(),
        Some(ps) => {
            let v: Vec<String> = ps
                .iter()
                .map(|p| match p {
                    NpPeer::Pods { namespace_selector, pod_selector } => format!(
                        "(ns={} pods={})",
                        namespace_selector.as_ref().map(|s| s.to_string()).unwrap_or_else(|| "<own>".into()),
                        pod_selector.as_ref().map(|s| s.to_string()).unwrap_or_else(|| "<all>".into())
                    ),
                    NpPeer::IpBlock { cidr, except } => {
                        let ex: Vec<String> = except.iter().map(|e| e.to_string()).collect();
                        format!("(ipBlock {cidr} except [{}])", ex.join(","))
                    }
                    NpPeer::IpBlock6 { cidr } => format!("(ipBlock6 {cidr})"),
                })
                .collect();
            v.join(" OR ")
        }
    };
    let ports = match &r.ports {
        None => "all".to_string(),
        Some(ps) => {
            let v: Vec<String> = ps.iter().map(render_port).collect();
            v.join(",")
        }
    };
    format!("{} ({}): peers={peers} ports={ports}", r.prov.short(), r.prov.location())
}

fn render_port(p: &NpPort) -> String {
    let port = match &p.port {
        None => "*".to_string(),
        Some(PortRef::Number(n)) => n.to_string(),
        Some(PortRef::Name(n)) => format!("`{n}`"),
    };
    let end = p.end_port.map(|e| format!("-{e}")).unwrap_or_default();
    format!("{:?}/{port}{end}", p.protocol)
}

// ---------------------------------------------------------------------------
// Snapshots rendered against expected.txt

#[test]
fn objects_snapshot() {
    let snap = load(&fixture("objects"));
    check_expected("objects", &render(&snap));
}

#[test]
fn netpol_snapshot() {
    let snap = load(&fixture("netpol"));
    check_expected("netpol", &render(&snap));
}

// ---------------------------------------------------------------------------
// Focused checks of the semantics that matter most

#[test]
fn policy_types_defaulting() {
    let snap = load(&fixture("netpol"));
    let c = cluster(&snap, "c1");
    let np = |name: &str| {
        c.network_policies.get(&format!("tenant-a/{name}")).unwrap_or_else(|| panic!("no policy `{name}`"))
    };
    // 1. No policyTypes, no rules: ingress isolated, egress untouched.
    assert_eq!(np("default-deny-ingress").ingress.as_ref().map(Vec::len), Some(0));
    assert!(np("default-deny-ingress").egress.is_none());
    // 2. No policyTypes, egress rules: Ingress is still implied.
    assert_eq!(np("egress-implied").ingress.as_ref().map(Vec::len), Some(0));
    assert_eq!(np("egress-implied").egress.as_ref().map(Vec::len), Some(1));
    // 3. Only Egress listed: ingress rules are ignored, egress isolated.
    assert!(np("egress-only").ingress.is_none());
    assert_eq!(np("egress-only").egress.as_ref().map(Vec::len), Some(0));
    assert!(snap.warnings.iter().any(|w| w.kind == WarningKind::Suspicious
        && w.message.contains("ingress rules present but policyTypes omits Ingress")
        && w.resource.as_deref() == Some("c1/tenant-a/egress-only")));
    // 4. Both listed, no rules.
    assert_eq!(np("deny-both").ingress.as_ref().map(Vec::len), Some(0));
    assert_eq!(np("deny-both").egress.as_ref().map(Vec::len), Some(0));
    // `egress: []` without policyTypes does not imply Egress.
    assert!(np("allow-all-ingress").egress.is_none());
    let all = &np("allow-all-ingress").ingress.as_ref().map(|r| (r[0].peers.is_none(), r[0].ports.is_none()));
    assert_eq!(*all, Some((true, true)));
}

#[test]
fn and_versus_or_peers() {
    let snap = load(&fixture("netpol"));
    let c = cluster(&snap, "c1");
    let peers = |name: &str| -> Vec<NpPeer> {
        let np = c.network_policies.get(&format!("tenant-a/{name}")).unwrap_or_else(|| panic!("no `{name}`"));
        np.ingress.as_ref().and_then(|r| r[0].peers.clone()).unwrap_or_default()
    };
    let and = peers("and-peer");
    assert_eq!(and.len(), 1, "one peer with both selectors");
    assert!(matches!(&and[0], NpPeer::Pods { namespace_selector: Some(_), pod_selector: Some(_) }));
    let or = peers("or-peers");
    assert_eq!(or.len(), 2, "two peers");
    assert!(matches!(&or[0], NpPeer::Pods { namespace_selector: Some(_), pod_selector: None }));
    // A peer without namespaceSelector means the policy's own namespace.
    assert!(matches!(&or[1], NpPeer::Pods { namespace_selector: None, pod_selector: Some(_) }));
}

#[test]
fn ports_ip_blocks_and_selectors() {
    let snap = load(&fixture("netpol"));
    let c = cluster(&snap, "c1");
    let np = c.network_policies.get("tenant-a/ports").unwrap_or_else(|| panic!("no policy"));
    let ports = np.ingress.as_ref().and_then(|r| r[0].ports.clone()).unwrap_or_default();
    assert_eq!(ports[0].port, Some(PortRef::Name("http".into())));
    assert_eq!((ports[3].port.clone(), ports[3].end_port), (Some(PortRef::Number(32000)), Some(32768)));
    assert_eq!(ports[4].port, None, "no port: every UDP port");
    let egress = np.egress.as_ref().unwrap_or_else(|| panic!("no egress"));
    let NpPeer::IpBlock { cidr, except } = &egress[0].peers.as_ref().unwrap_or_else(|| panic!("peers"))[0] else {
        panic!("not an ipBlock");
    };
    assert_eq!(cidr.to_string(), "10.0.0.0/8");
    assert_eq!(except.len(), 2);
    assert!(egress[1].peers.is_none(), "`to: []` means every destination");

    let expr = c.network_policies.get("tenant-a/expressions").unwrap_or_else(|| panic!("no policy"));
    let ops: Vec<SelectorOp> = expr.pod_selector.match_expressions.iter().map(|r| r.op).collect();
    assert_eq!(ops, [SelectorOp::In, SelectorOp::NotIn, SelectorOp::Exists, SelectorOp::DoesNotExist]);
    assert!(snap.warnings.iter().any(|w| w.kind == WarningKind::Unsupported && w.message.contains("fd00::/8")));
}

#[test]
fn provenance_points_at_object_and_rule() {
    let snap = load(&fixture("netpol"));
    let c = cluster(&snap, "c1");
    let np = c.network_policies.get("tenant-a/egress-implied").unwrap_or_else(|| panic!("no policy"));
    assert_eq!(np.prov.location(), "k8s/c1/policy-types.yaml:12");
    let rule = &np.egress.as_ref().unwrap_or_else(|| panic!("no egress"))[0];
    assert_eq!(rule.prov.short(), "c1/tenant-a/egress-implied/egress[0]");
    assert_eq!(rule.prov.location(), "k8s/c1/policy-types.yaml:22", "the rule's own `- to:` line");
    // JSON list items point at their own line.
    let ports = c.network_policies.get("tenant-a/ports").unwrap_or_else(|| panic!("no policy"));
    assert_eq!(ports.prov.location(), "k8s/c1/ports.json:5");
}

#[test]
fn settings_from_snapshot_toml() {
    let snap = load(&fixture("objects"));
    let c1 = cluster(&snap, "c1");
    assert_eq!(c1.vpc_id.as_deref(), Some("vpc-0aaa"));
    assert!(c1.external_snat);
    assert!(!c1.network_policy_enforcement);
    // A cluster listed in snapshot.toml without a directory still exists.
    assert!(cluster(&snap, "c3").pods.is_empty());
    // A directory without a [[cluster]] entry gets defaults and a warning.
    assert!(cluster(&snap, "c2").vpc_id.is_none());
    assert!(snap.warnings.iter().any(|w| w.file == "k8s/c2" && w.kind == WarningKind::Suspicious));
}

#[test]
fn multi_doc_list_and_json_agree() {
    let ns = |path: &str, text: &str| -> Vec<(String, Option<u32>)> {
        let snap = load(&MemSource::new("t").with("snapshot.toml", ONE_CLUSTER).with(path, text));
        let c = cluster(&snap, "c1");
        c.namespaces.values().map(|n| (n.name.clone(), n.prov.line)).collect()
    };
    let multi = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n";
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n";
    let nested = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: NamespaceList\n  items:\n  - metadata:\n      name: a\n  - metadata:\n      name: b\n";
    let json = "{\"kind\": \"List\", \"apiVersion\": \"v1\", \"items\": [\n {\"kind\": \"Namespace\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"a\"}},\n {\"kind\": \"Namespace\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"b\"}}\n]}\n";
    let single = "{\n  \"kind\": \"Namespace\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\"name\": \"a\"}\n}\n";
    assert_eq!(ns("k8s/c1/ns.yaml", multi), [("a".into(), Some(2)), ("b".into(), Some(8))]);
    assert_eq!(ns("k8s/c1/ns.yml", list), [("a".into(), Some(7)), ("b".into(), Some(11))]);
    assert_eq!(ns("k8s/c1/ns.yaml", nested), [("a".into(), Some(8)), ("b".into(), Some(10))]);
    assert_eq!(ns("k8s/c1/ns.json", json), [("a".into(), Some(2)), ("b".into(), Some(3))]);
    assert_eq!(ns("k8s/c1/ns.json", single), [("a".into(), Some(1))]);
}

#[test]
fn duplicate_objects_keep_the_first() {
    let snap = load(&fixture("objects"));
    let c = cluster(&snap, "c1");
    assert_eq!(c.namespaces.get("tenant-a").map(|n| n.prov.line), Some(Some(16)));
    assert!(snap
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::Suspicious
            && w.message.contains("Namespace `tenant-a` is defined more than once")));
}

#[test]
fn demo_snapshot_kubernetes_files_load() {
    // Only snapshot.toml and k8s/: the AWS side is exercised elsewhere.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/demo");
    let mut src = MemSource::new("demo");
    let toml = std::fs::read_to_string(root.join("snapshot.toml")).unwrap_or_else(|e| panic!("{e}"));
    src = src.with("snapshot.toml", toml);
    for cluster in ["prod-east", "prod-west"] {
        let dir = root.join("k8s").join(cluster);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        files.sort();
        for f in files {
            let name = f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
            src = src.with(format!("k8s/{cluster}/{name}"), text);
        }
    }
    let snap = load(&src);
    let east = cluster(&snap, "prod-east");
    let west = cluster(&snap, "prod-west");
    assert_eq!((east.network_policies.len(), west.network_policies.len()), (14, 8));
    assert_eq!((east.pods.len(), west.pods.len()), (27, 16));
    assert!(!east.pods.is_empty() && !east.network_policies.is_empty() && !east.security_group_policies.is_empty());
    let unexpected: Vec<String> = snap
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::Unsupported | WarningKind::Suspicious))
        .map(|w| w.to_string())
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

// ---------------------------------------------------------------------------
// Errors

/// Each broken file, loaded as `k8s/c1/<file>`, and the errors it must give.
fn error_cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("bad-yaml.yaml", vec!["k8s/c1/bad-yaml.yaml:10:10: invalid YAML: mapping values are not allowed in this context"]),
        ("bad-json.json", vec!["k8s/c1/bad-json.json:4:28: invalid JSON: trailing comma"]),
        (
            "missing-kind.yaml",
            vec!["k8s/c1/missing-kind.yaml:7: document 2 (`b`): missing required field `kind`"],
        ),
        (
            "missing-kind-in-list.yaml",
            vec![
                "k8s/c1/missing-kind-in-list.yaml:9: document 1 items[1] (`b`): missing required field `kind`",
                "k8s/c1/missing-kind-in-list.yaml:9: document 1 items[1] (`b`): missing required field `apiVersion`",
            ],
        ),
        (
            "missing-name.yaml",
            vec!["k8s/c1/missing-name.yaml:1: Service in document 1: missing required field `metadata.name`"],
        ),
        (
            "endport-without-port.yaml",
            vec![
                "k8s/c1/endport-without-port.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.ingress[0].ports[0].endPort`: needs a numeric `port`",
            ],
        ),
        (
            "endport-below-port.yaml",
            vec![
                "k8s/c1/endport-below-port.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.ingress[0].ports[0].endPort`: 80 is less than `port` 90",
            ],
        ),
        (
            "endport-named-port.yaml",
            vec![
                "k8s/c1/endport-named-port.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.egress[0].ports[0].endPort`: cannot be used with the named port `http`",
            ],
        ),
        (
            "except-outside-cidr.yaml",
            vec![
                "k8s/c1/except-outside-cidr.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.egress[0].to[0].ipBlock.except[0]`: `10.1.0.0/24` is not strictly inside `cidr` `10.0.0.0/16`",
                "k8s/c1/except-outside-cidr.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.egress[0].to[0].ipBlock.except[1]`: `10.0.0.0/16` is not strictly inside `cidr` `10.0.0.0/16`",
            ],
        ),
        (
            "peer-empty.yaml",
            vec![
                "k8s/c1/peer-empty.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.ingress[0].from[0]`: a peer needs `podSelector`, `namespaceSelector` or `ipBlock`",
            ],
        ),
        (
            "peer-ipblock-and-selector.yaml",
            vec![
                "k8s/c1/peer-ipblock-and-selector.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.ingress[0].from[0]`: `ipBlock` cannot be combined with `podSelector` or `namespaceSelector` in one peer",
            ],
        ),
        (
            "selector-values.yaml",
            vec![
                "k8s/c1/selector-values.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.podSelector.matchExpressions[0].values`: must be non-empty when `operator` is `In`",
                "k8s/c1/selector-values.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.podSelector.matchExpressions[1].values`: must be empty when `operator` is `Exists`",
                "k8s/c1/selector-values.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.podSelector.matchExpressions[2].operator`: `Matches` is not `In`, `NotIn`, `Exists` or `DoesNotExist`",
            ],
        ),
        (
            "bad-protocol-and-policy-type.yaml",
            vec![
                "k8s/c1/bad-protocol-and-policy-type.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.policyTypes[0]`: `Ingres` is not `Ingress` or `Egress`",
                "k8s/c1/bad-protocol-and-policy-type.yaml:1: NetworkPolicy c1/ns/np: invalid `spec.ingress[0].ports[0].protocol`: `ICMP` is not `TCP`, `UDP` or `SCTP`",
            ],
        ),
        (
            "wrong-type.yaml",
            vec![
                "k8s/c1/wrong-type.yaml:1: Pod c1/ns/p: invalid `spec.containers[0].ports[0].containerPort`: invalid type: string \"http\", expected i32",
            ],
        ),
        (
            "sgp-no-groups.yaml",
            vec!["k8s/c1/sgp-no-groups.yaml:1: SecurityGroupPolicy c1/ns/sgp: missing required field `spec.securityGroups.groupIds`"],
        ),
        (
            "sgp-no-selector.yaml",
            vec![
                "k8s/c1/sgp-no-selector.yaml:1: SecurityGroupPolicy c1/ns/sgp: invalid `spec`: needs `podSelector` or `serviceAccountSelector` (a policy with neither selects no pods)",
            ],
        ),
    ]
}

#[test]
fn errors_name_file_line_and_field() {
    let mut failures = Vec::new();
    for (file, want) in error_cases() {
        let path = data_dir().join("errors").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let src = MemSource::new(file).with("snapshot.toml", ONE_CLUSTER).with(format!("k8s/c1/{file}"), text);
        let got: Vec<String> = load_err(&src).iter().map(|e| e.to_string()).collect();
        if got != want {
            failures.push(format!("{file}:\n  want: {want:#?}\n  got:  {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_syntax_error_is_typed_with_position() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: [a\n";
    let src = MemSource::new("t").with("snapshot.toml", ONE_CLUSTER).with("k8s/c1/x.yaml", text);
    let errs = load_err(&src);
    assert!(matches!(&errs[..], [IngestError::Yaml { file, line: 4, .. }] if file == "k8s/c1/x.yaml"), "{errs:?}");
}

#[test]
fn bad_exclude_snat_cidr_names_snapshot_toml() {
    let toml = "name = \"t\"\n[[cluster]]\nname = \"c1\"\nexclude_snat_cidrs = [\"10.0.0.0/33\"]\n";
    let errs = load_err(&MemSource::new("t").with("snapshot.toml", toml));
    let got: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        got,
        ["snapshot.toml: cluster `c1`: invalid `exclude_snat_cidrs`: `10.0.0.0/33` is not a CIDR block (e.g. `10.0.0.0/8`)"]
    );
}

#[test]
fn unsupported_kinds_are_reported() {
    let snap = load(&fixture("objects"));
    let unsupported: Vec<String> = snap
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Unsupported && w.file == "k8s/c1/other.yaml")
        .map(|w| format!("{}: {}", w.resource.clone().unwrap_or_default(), w.message))
        .collect();
    assert_eq!(unsupported.len(), 10, "{unsupported:#?}");
    assert!(unsupported.iter().any(|w| w.starts_with("c1/tenant-a/web: `Deployment`") && w.contains("Pod objects")));
    assert!(unsupported
        .iter()
        .any(|w| w.starts_with("c1/cluster-wide: `AdminNetworkPolicy`") && w.contains("every pod of the cluster")));
}

/// Policies of kinds netprove does not model are kept on the cluster with
/// their scope and provenance (the evaluator makes their pods' results
/// unknown); PolicyEndpoints, derived from NetworkPolicies, are not.
#[test]
fn unmodelled_policies_are_recorded() {
    let snap = load(&fixture("objects"));
    let c = cluster(&snap, "c1");
    let got: Vec<(String, Option<String>, String, String)> = c
        .unmodelled_policies
        .iter()
        .map(|u| (u.kind.clone(), u.namespace.clone(), u.name.clone(), u.prov.location()))
        .collect();
    let want = [
        ("CiliumNetworkPolicy", Some("tenant-a"), "l7", "k8s/c1/other.yaml:21"),
        ("AdminNetworkPolicy", None, "cluster-wide", "k8s/c1/other.yaml:28"),
        ("GlobalNetworkPolicy", None, "default.deny-egress", "k8s/c1/other.yaml:43"),
        ("NetworkPolicy", Some("tenant-a"), "calico-ns", "k8s/c1/other.yaml:49"),
        ("NetworkPolicy", Some("tenant-b"), "old", "k8s/c1/other.yaml:56"),
        ("CiliumClusterwideNetworkPolicy", None, "host-fw", "k8s/c1/other.yaml:64"),
    ]
    .map(|(k, ns, n, at)| (k.to_string(), ns.map(str::to_string), n.to_string(), at.to_string()));
    assert_eq!(got, want);
    assert!(c.network_policies.is_empty(), "a foreign NetworkPolicy is not read as networking.k8s.io/v1");
    assert!(snap.network.clusters.values().filter(|c| c.name != "c1").all(|c| c.unmodelled_policies.is_empty()));

    // Scope: namespaced objects reach their namespace, cluster-scoped ones
    // every pod; hostNetwork pods are never subjects.
    let pod = |k: &str| c.pods.get(k).unwrap_or_else(|| panic!("no pod {k}"));
    let names = |k: &str| -> Vec<String> { c.unmodelled_policies_for(pod(k)).iter().map(|u| u.label()).collect() };
    assert_eq!(
        names("tenant-a/web-6d4b-abcde"),
        [
            "CiliumNetworkPolicy tenant-a/l7",
            "AdminNetworkPolicy cluster-wide",
            "GlobalNetworkPolicy default.deny-egress",
            "NetworkPolicy tenant-a/calico-ns",
            "CiliumClusterwideNetworkPolicy host-fw"
        ]
    );
    assert_eq!(
        names("default/job-done"),
        [
            "AdminNetworkPolicy cluster-wide",
            "GlobalNetworkPolicy default.deny-egress",
            "CiliumClusterwideNetworkPolicy host-fw"
        ]
    );
    assert!(names("kube-system/aws-node-x1").is_empty(), "hostNetwork pod");
}
