//! Spec-language tests: the grammar (round trips through the printer), every
//! diagnostic (rendered, snapshot-tested), recovery, the vacuity warning,
//! includes, `for each` expansion and selector resolution over the demo.
//!
//! Diagnostic cases are data: `tests/data/spec/diag/<CODE>-<name>.nps` (or a
//! directory, loaded whole). Each is loaded, resolved against the demo
//! snapshot when it loads, and its rendered diagnostics are snapshotted.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use netprove::spec::ast::{FileId, LabelKind, PortItem, Property};
use netprove::spec::diag::CODES;
use netprove::spec::load::{load_with, MemReader};
use netprove::spec::parser::parse;
use netprove::spec::select::{expand, PropertyKind};
use netprove::spec::{
    label_values, load_specs, load_specs_from_memory, load_specs_from_str, render, resolve_specs, SelectCtx,
};
use netprove_models::Snapshot;

#[expect(clippy::expect_used, reason = "test helper: the embedded demo always loads")]
fn demo() -> &'static Snapshot {
    static DEMO: OnceLock<Snapshot> = OnceLock::new();
    DEMO.get_or_init(|| netprove::snapshot::SnapshotArg::Demo.load().expect("the demo snapshot loads"))
}

const DATA: &str = "tests/data/spec";

/// Loads a case (file or directory) and renders everything it reports:
/// errors, or load-time warnings plus the warnings of resolving it on the demo.
fn run_case(path: &Path) -> String {
    match load_specs(&[path.to_path_buf()]) {
        Err(d) => {
            assert!(d.errors().next().is_some(), "a failed load reports an error");
            d.render(false)
        }
        Ok(set) => {
            let snap = demo();
            let r = resolve_specs(&set, &snap.network, &snap.index);
            let mut out = render(&set.warnings, &set.sources, false);
            out.push_str(&render(&r.warnings, &set.sources, false));
            out
        }
    }
}

#[test]
fn every_diagnostic_renders() {
    let dir = Path::new(DATA).join("diag");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    let mut covered = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let code = &name[..4];
        let out = run_case(case);
        assert!(out.contains(&format!("[{code}]")), "case {name} does not report {code}:\n{out}");
        insta::assert_snapshot!(name.clone(), out);
        covered.push(code.to_string());
    }
    for (code, what) in CODES {
        assert!(covered.iter().any(|c| c == code), "no diagnostic case for {code} ({what})");
    }
}

#[test]
fn recovery_reports_every_error_in_one_run() {
    let d = load_specs(&[Path::new(DATA).join("recovery.nps")]).unwrap_err();
    let codes: Vec<&str> = d.items.iter().map(|d| d.code).collect();
    // Unclosed `(`, unknown key, port out of range, bad severity, undefined
    // name, unknown selector, empty port range, duplicate id, missing severity.
    for code in ["E002", "E001", "E006", "E011", "E005", "E021", "E012", "E009"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(codes.len() >= 9, "{codes:?}");
    insta::assert_snapshot!("recovery", d.render(false));
}

#[test]
fn vacuous_selector_is_a_warning_not_an_error() {
    let set = load_specs_from_str(
        "vacuous.nps",
        r#"spec z { title = "t" severity = low
             never pods(namespace: tenant-z) -> 10.30.1.10 on tcp/5432 }"#,
    )
    .expect("a vacuous spec still loads");
    let snap = demo();
    let r = resolve_specs(&set, &snap.network, &snap.index);
    assert_eq!(r.warnings.len(), 1);
    let w = &r.warnings[0];
    assert_eq!(w.code, "W001");
    assert!(!w.is_error());
    assert_eq!(set.sources.slice(w.span().unwrap()), "pods(namespace: tenant-z)");
    // The property is still produced, over an empty source set.
    let props = &r.specs[0].properties;
    assert_eq!(r.specs[0].warnings, r.warnings);
    assert!(props[0].src.is_empty());
    assert_eq!(props[0].dst.enis.len(), 1);
}

#[test]
fn include_cycle_is_an_error() {
    let d = load_specs_from_memory(&[
        ("specs/a.nps", "include \"b.nps\"\nlet x = 10.0.0.1\n"),
        ("specs/b.nps", "include \"./sub/../a.nps\"\n"),
    ])
    .unwrap_err();
    let cycle: Vec<_> = d.items.iter().filter(|d| d.code == "E014").collect();
    assert_eq!(cycle.len(), 1, "{}", d.render(false));
    assert!(cycle[0].message.contains("specs/a.nps -> specs/b.nps -> specs/a.nps"), "{}", cycle[0].message);
}

#[test]
fn includes_share_lets_and_load_each_file_once() {
    let set = load_specs_from_memory(&[
        ("pack/common.nps", "let db = 10.30.1.10\nlet web = pods(namespace: tenant-a)\n"),
        ("pack/x.nps", "include \"common.nps\"\nspec x { title = \"x\" severity = low never web -> db }\n"),
        ("pack/y.nps", "include \"common.nps\"\nspec y { title = \"y\" severity = low never db -> web }\n"),
    ])
    .unwrap();
    assert_eq!(set.specs.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(set.sources.files().count(), 3);
    // Without the include, the name is undefined.
    let d =
        load_specs_from_memory(&[("z.nps", "spec z { title = \"z\" severity = low never pods() -> db }")]).unwrap_err();
    assert_eq!(d.items[0].code, "E005");
}

#[test]
fn reader_expands_directories_sorted() {
    let reader = MemReader {
        files: [
            ("p/b.nps", "spec b { title = \"b\" severity = low never pods() -> internet }"),
            ("p/a.nps", ""),
            ("p/x.txt", ""),
        ]
        .into_iter()
        .map(|(k, v)| (PathBuf::from(k), v.to_string()))
        .collect(),
    };
    let set = load_with(&reader, &[PathBuf::from("p")]).unwrap();
    let names: Vec<&str> = set.sources.files().map(|(_, f)| f.name.as_str()).collect();
    assert_eq!(names, ["p/a.nps", "p/b.nps"]);
}

// ---------------------------------------------------------------------------
// Grammar

fn round_trip(name: &str, text: &str) {
    let (ast, errors) = parse(FileId(0), text);
    assert!(errors.is_empty(), "{name}: {errors:?}");
    let printed = ast.to_string();
    let (again, errors) = parse(FileId(0), &printed);
    assert!(errors.is_empty(), "{name} (printed): {errors:?}\n{printed}");
    assert_eq!(again.to_string(), printed, "{name}: printing is not a fixed point");
    assert_eq!(again.specs.len(), ast.specs.len());
    assert_eq!(again.lets.len(), ast.lets.len());
    assert_eq!(again.includes, ast.includes.iter().map(|i| again_span(i, &again)).collect::<Vec<_>>());
}

/// Includes compare by path only (spans differ after printing).
fn again_span(i: &netprove::spec::ast::Include, again: &netprove::spec::ast::SpecFile) -> netprove::spec::ast::Include {
    let span = again.includes.iter().find(|j| j.path == i.path).map(|j| j.span.clone()).unwrap_or_default();
    netprove::spec::ast::Include { path: i.path.clone(), span }
}

#[test]
fn grammar_round_trips() {
    let mut files: Vec<PathBuf> = std::fs::read_dir("../specs/demo").unwrap().map(|e| e.unwrap().path()).collect();
    files.push(Path::new(DATA).join("example.nps"));
    files.push(Path::new(DATA).join("grammar.nps"));
    for f in files {
        round_trip(&f.display().to_string(), &std::fs::read_to_string(&f).unwrap());
    }
}

#[test]
fn grammar_canonical_form() {
    let text = std::fs::read_to_string(Path::new(DATA).join("grammar.nps")).unwrap();
    let (ast, errors) = parse(FileId(0), &text);
    assert!(errors.is_empty(), "{errors:?}");
    insta::assert_snapshot!("grammar_printed", ast.to_string());
}

#[test]
fn except_binds_loosest_and_union_is_left_associative() {
    let (ast, errors) = parse(FileId(0), "let x = pods() | enis() except 10.0.0.1 | internet");
    assert!(errors.is_empty());
    let netprove::spec::ast::Selector::Except(lhs, rhs, _) = &ast.lets[0].selector else {
        panic!("expected except at the top: {:?}", ast.lets[0].selector)
    };
    assert_eq!(lhs.to_string(), "pods() | enis()");
    assert_eq!(rhs.to_string(), "10.0.0.1 | internet");
}

#[test]
fn port_specs_parse_to_items() {
    let set = load_specs_from_str(
        "ports.nps",
        "spec p { title = \"p\" severity = info never pods() -> internet on tcp/5432, udp/53, tcp/8000-8080, icmp/8, icmp, proto/47, any }",
    )
    .unwrap();
    let Property::Never { on, .. } = &set.specs[0].property else { panic!() };
    let items: Vec<(Option<u8>, u16, u16, Option<u8>)> =
        on.items.iter().map(|PortItem { proto, lo, hi, icmp_type, .. }| (*proto, *lo, *hi, *icmp_type)).collect();
    assert_eq!(
        items,
        [
            (Some(6), 5432, 5432, None),
            (Some(17), 53, 53, None),
            (Some(6), 8000, 8080, None),
            (Some(1), 0, 65535, Some(8)),
            (Some(1), 0, 65535, None),
            (Some(47), 0, 65535, None),
            (None, 0, 65535, None),
        ]
    );
    assert!(on.is_any());
    // No `on`: any.
    let set =
        load_specs_from_str("p.nps", "spec p { title = \"p\" severity = info never pods() -> internet }").unwrap();
    let Property::Never { on, .. } = &set.specs[0].property else { panic!() };
    assert!(on.is_any() && on.span.is_none());
}

#[test]
fn key_value_without_space_and_expect_forms() {
    let set = load_specs_from_str(
        "k.nps",
        "spec k { title \"k\" severity=low expect violated tags = solo; never pods(cluster:prod-east,namespace:tenant-a) -> internet }",
    )
    .unwrap();
    let s = &set.specs[0];
    assert!(s.expect_violated);
    assert_eq!(s.tags, ["solo"]);
    assert_eq!(s.property.to_string(), "never pods(cluster: prod-east, namespace: tenant-a) -> internet");
}

// ---------------------------------------------------------------------------
// The demo specs and selector resolution on the demo snapshot

#[test]
fn demo_specs_load_clean_and_resolve_without_warnings() {
    let set = load_specs(&[PathBuf::from("../specs/demo")]).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert!(set.warnings.is_empty(), "{}", render(&set.warnings, &set.sources, false));
    let ids: Vec<&str> = set.specs.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.len() >= 12, "{ids:?}");
    for id in [
        "tenant-isolation",
        "orders-db-only-checkout",
        "tenant-b-no-orders-db",
        "egress-inspected",
        "no-internet-to-pods",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    // The planted misconfiguration must show up as a finding, not an accepted exception.
    assert!(!set.get("orders-db-only-checkout").unwrap().expect_violated);
    assert!(!set.get("tenant-b-no-orders-db").unwrap().expect_violated);
    let expected: Vec<&str> = set.specs.iter().filter(|s| s.expect_violated).map(|s| s.id.as_str()).collect();
    assert_eq!(expected, ["prod-east-nodes-reach-reporting"]);
    let (file, line) = set.location(set.get("tenant-isolation").unwrap());
    assert_eq!((file.as_str(), line), ("../specs/demo/tenancy.nps", 4));

    let snap = demo();
    let r = resolve_specs(&set, &snap.network, &snap.index);
    assert!(r.warnings.is_empty(), "{}", render(&r.warnings, &set.sources, false));
    for rs in &r.specs {
        let (id, props) = (&rs.id, &rs.properties);
        assert!(!props.is_empty(), "{id} has no instances");
        for p in props {
            assert!(!p.src.is_empty() && !p.dst.is_empty(), "{id} {:?}", p.bindings);
        }
    }
    let egress = &r.specs.iter().find(|s| s.id == "egress-inspected").unwrap().properties[0];
    assert_eq!(egress.kind, PropertyKind::Only);
    assert_eq!(egress.via.as_ref().unwrap().firewalls.iter().collect::<Vec<_>>(), ["inspection-fw"]);
    // `internet except s3`: no longer the whole internet, and no S3 range left.
    assert!(!egress.dst.internet);
    assert!(egress.dst.cidrs.iter().all(|c| !c.contains(&"52.216.0.10".parse::<std::net::Ipv4Addr>().unwrap())));
    assert!(egress.dst.cidrs.iter().any(|c| c.contains(&"52.94.0.10".parse::<std::net::Ipv4Addr>().unwrap())));
}

#[test]
fn for_each_expands_over_tenants_across_clusters() {
    let set = load_specs(&[PathBuf::from("../specs/demo/tenancy.nps")]).unwrap();
    let spec = set.get("tenant-isolation").unwrap();
    let snap = demo();
    let mut warnings = Vec::new();
    let instances = expand(&spec.property, &snap.network, &mut warnings);
    assert!(warnings.is_empty());
    let values: Vec<&str> = instances.iter().map(|(b, _)| b["t"].as_str()).collect();
    assert_eq!(values, ["a", "b", "c"]);

    let ctx = SelectCtx::new(&snap.network, &snap.index);
    let (props, warnings) = ctx.resolve_spec(spec);
    assert!(warnings.is_empty());
    let summary: Vec<String> = props
        .iter()
        .map(|p| {
            let clusters = |s: &std::collections::BTreeSet<(String, String)>| {
                let mut c: Vec<&str> = s.iter().map(|(c, _)| c.as_str()).collect();
                c.dedup();
                c.join("+")
            };
            format!(
                "t={} src={} pods ({}) dst={} pods ({})",
                p.bindings["t"],
                p.src.pods.len(),
                clusters(&p.src.pods),
                p.dst.pods.len(),
                clusters(&p.dst.pods)
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "t=a src=13 pods (prod-east+prod-west) dst=11 pods (prod-east+prod-west)",
            "t=b src=7 pods (prod-east) dst=17 pods (prod-east+prod-west)",
            "t=c src=4 pods (prod-west) dst=20 pods (prod-east+prod-west)",
        ]
    );
    // The tenant-b instance reaches prod-west tenant-a reporting: the planted cross-cluster path.
    assert!(props[1].dst.pods.contains(&("prod-west".into(), "tenant-a/reporting-54kfnbkqq6-55h8b".into())));
}

#[test]
fn nested_for_each_is_a_product() {
    let set = load_specs_from_str(
        "n.nps",
        r#"spec n { title = "n" severity = low
             for each t in namespace-label "tenant":
               for each app in pod-label "app":
                 never pods(namespace-labels: "tenant=$t", labels: "app=$app") -> internet }"#,
    )
    .unwrap();
    let snap = demo();
    let apps = label_values(&snap.network, LabelKind::Pod, "app");
    let mut warnings = Vec::new();
    let instances = expand(&set.specs[0].property, &snap.network, &mut warnings);
    assert_eq!(instances.len(), 3 * apps.len());
}

#[test]
fn label_values_in_the_demo() {
    let net = &demo().network;
    assert_eq!(label_values(net, LabelKind::Namespace, "tenant"), ["a", "b", "c"]);
    assert_eq!(
        label_values(net, LabelKind::Pod, "app"),
        ["analytics", "api", "catalog", "checkout", "payments", "reporting", "web", "worker"]
    );
    assert!(label_values(net, LabelKind::Namespace, "team").is_empty());
}

/// `(selector, pods, enis, services, internet, external cidrs)` on the demo.
const RESOLUTION: &[(&str, usize, usize, usize, bool, usize)] = &[
    ("pods()", 43, 0, 0, false, 0),
    ("pods(cluster: prod-east)", 27, 0, 0, false, 0),
    ("pods(namespace: tenant-b)", 7, 0, 0, false, 0),
    ("pods(namespace-labels: \"tenant in (a,c)\")", 17, 0, 0, false, 0),
    ("pods(namespace-labels: \"tenant, tenant!=a\")", 11, 0, 0, false, 0),
    ("pods(namespace-labels: \"!tenant\")", 19, 0, 0, false, 0),
    ("pods(labels: \"app=web\", namespace: tenant-a)", 3, 0, 0, false, 0),
    ("pods(labels: \"app notin (web,api)\", namespace: tenant-b)", 2, 0, 0, false, 0),
    ("pods(namespace: tenant-a, namespace: tenant-c)", 17, 0, 0, false, 0),
    ("pods(name: \"checkout-*\")", 2, 0, 0, false, 0),
    ("services(cluster: prod-east, namespace: tenant-a)", 0, 0, 4, false, 0),
    ("services(labels: \"app=payments\")", 0, 0, 1, false, 0),
    ("enis()", 0, 35, 0, false, 0),
    ("enis(kind: rds)", 0, 2, 0, false, 0),
    ("enis(kind: rds, sg: sg-0f4b487e1b4fbd914)", 0, 2, 0, false, 0),
    ("enis(kind: eks-branch)", 0, 2, 0, false, 0),
    ("enis(kind: transit-gateway, vpc: data)", 0, 2, 0, false, 0),
    ("enis(tag: \"vpcresources.k8s.aws/cluster-name=prod-east\")", 0, 3, 0, false, 0),
    ("enis(account: 222222222222)", 0, 5, 0, false, 0),
    ("enis(id: eni-0f940bf13101bdf96)", 0, 1, 0, false, 0),
    ("instances(tag: \"Name=backup-agent\")", 0, 1, 0, false, 0),
    ("instances(vpc: prod-east)", 0, 5, 0, false, 0),
    ("subnets(tag: \"Name=prod-east-private-b\")", 14, 3, 0, false, 0),
    ("vpcs(tag: \"Name=prod-west\")", 16, 5, 0, false, 0),
    ("vpcs(id: vpc-06ec920c96bd046b4)", 0, 4, 0, false, 0),
    ("accounts(id: 222222222222)", 0, 5, 0, false, 0),
    ("10.30.1.10", 0, 1, 0, false, 0),
    ("10.10.5.21", 2, 1, 0, false, 0),
    ("198.51.100.0/24", 0, 0, 0, false, 1),
    ("internet", 0, 0, 0, true, 0),
    ("internet except 198.51.100.0/24", 0, 0, 0, false, 68),
    ("internet | 10.99.0.0/16", 0, 0, 0, true, 1),
    ("prefix-lists(name: com.amazonaws.us-east-1.s3)", 0, 0, 0, false, 9),
    ("pods() except pods(namespace: kube-system)", 24, 0, 0, false, 0),
    ("(enis(kind: rds) | 10.30.1.10) except enis(id: eni-0b8ca28ec069eb538)", 0, 1, 0, false, 0),
];

#[test]
fn selector_resolution_on_the_demo() {
    let snap = demo();
    let ctx = SelectCtx::new(&snap.network, &snap.index);
    let mut failures = Vec::new();
    for &(text, pods, enis, services, internet, cidrs) in RESOLUTION {
        let set = load_specs_from_str(
            "s.nps",
            &format!("let x = {text}\nspec s {{ title = \"s\" severity = info never x -> internet }}"),
        )
        .unwrap_or_else(|d| panic!("{text}: {}", d.render(false)));
        let Property::Never { src, .. } = &set.specs[0].property else { panic!() };
        let (got, warnings) = ctx.resolve(src, &Default::default());
        assert!(
            warnings.is_empty(),
            "{text}: {}",
            render(&warnings.iter().map(|w| w.to_diagnostic()).collect::<Vec<_>>(), &set.sources, false)
        );
        let actual = (got.pods.len(), got.enis.len(), got.services.len(), got.internet, got.cidrs.len());
        if actual != (pods, enis, services, internet, cidrs) {
            failures.push(format!("{text}: got {actual:?}, want {:?}", (pods, enis, services, internet, cidrs)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn waypoints_resolve_by_name_id_and_selector() {
    let snap = demo();
    let ctx = SelectCtx::new(&snap.network, &snap.index);
    let set = load_specs_from_str(
        "w.nps",
        r#"spec a { title = "a" severity = low only pods() -> internet via nat(nat-0723e99e1cf084fd6) }
           spec b { title = "b" severity = low only pods() -> internet via igw(igw-02a9549dc0565baef) }
           spec c { title = "c" severity = low only pods() -> internet via tgw(tgw-059fb46d4b469820b) }
           spec d { title = "d" severity = low only pods() -> internet via enis(kind: nat) }
           spec e { title = "e" severity = low only pods() -> internet via firewall("arn:aws:network-firewall:us-east-1:111111111111:firewall/inspection-fw") }"#,
    )
    .unwrap();
    let sizes: Vec<(usize, usize, usize, usize, usize)> = set
        .specs
        .iter()
        .map(|s| {
            let Property::Only { via, .. } = &s.property else { panic!() };
            let (w, warnings) = ctx.resolve_waypoint(via, &Default::default());
            assert!(warnings.is_empty());
            (w.firewalls.len(), w.nat_gateways.len(), w.internet_gateways.len(), w.transit_gateways.len(), w.enis.len())
        })
        .collect();
    assert_eq!(sizes, [(0, 1, 0, 0, 0), (0, 0, 1, 0, 0), (0, 0, 0, 1, 0), (0, 0, 0, 0, 2), (1, 0, 0, 0, 0)]);
}
