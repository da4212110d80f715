//! Property test: the symbolic engine (path recording + constraint encoding +
//! z3) and the concrete evaluator agree on random small snapshots.
//!
//! Generator settings ([`Settings`], the knobs, documented in
//! docs/testing.md): one or two VPCs (peered), 2-3 subnets in two AZs, a
//! random NACL per subnet, 2-4 ENIs with 1-2 random security groups each
//! (CIDR and group-reference rules over tcp/udp/icmp/-1/47 with random port
//! ranges), an optional public IP and internet gateway, an optional route
//! to the peer, and optionally an EKS cluster (pods on secondary IPs of the
//! ENIs in two namespaces, random NetworkPolicies, random enforcement, and
//! sometimes a policy of a kind netprove does not model). For each snapshot,
//! random flows between ENIs, pods and an external address are checked
//! three ways:
//! 1. the constraint encoding, evaluated at the flow's header, equals `trace`;
//! 2. z3, asked for an allowed header in a random port window, returns one
//!    only if `trace` allows that header;
//! 3. when z3 says no header in the window is allowed, sampled headers in
//!    it are not allowed by `trace`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use netprove::check::encode::Encoder;
use netprove::check::smt::{Smt, SolveResult};
use netprove::check::term::{and, eq, in_range, Expr, Field, Term};
use netprove::eval::{resolve, Evaluator, Query, Verdict};
use netprove_models::ingest::{load_snapshot, MemSource};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The generator's knobs.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub cases: u32,
    pub max_enis: usize,
    pub max_rules: usize,
    pub flows_per_case: usize,
}

pub const SETTINGS: Settings = Settings { cases: 2000, max_enis: 4, max_rules: 5, flows_per_case: 4 };

const PROTOS: &[&str] = &["tcp", "udp", "icmp", "-1", "47"];
const PORTS: &[u16] = &[0, 22, 53, 80, 443, 1023, 1024, 5432, 32767, 32768, 50000, 61000, 65535];
const CIDRS: &[&str] =
    &["0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "10.0.1.10/32", "10.1.0.0/16", "203.0.113.0/24"];

#[derive(Debug, Clone)]
struct Rule {
    proto: usize,
    lo: usize,
    hi: usize,
    cidr: usize,
    group_ref: Option<usize>,
    allow: bool,
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        0..PROTOS.len(),
        0..PORTS.len(),
        0..PORTS.len(),
        0..CIDRS.len(),
        proptest::option::weighted(0.2, 0..2usize),
        any::<bool>(),
    )
        .prop_map(|(proto, a, b, cidr, group_ref, allow)| Rule {
            proto,
            lo: a.min(b),
            hi: a.max(b),
            cidr,
            group_ref,
            allow,
        })
}

/// An EKS cluster in VPC a: pods on secondary IPs of the ENIs.
#[derive(Debug, Clone)]
struct K8s {
    enforced: bool,
    /// Per pod: the ENI it sits on, its namespace (`a` or `b`).
    pods: Vec<(usize, usize)>,
    /// Per namespace: 0 no policy, 1 default-deny ingress, 2 ingress allow
    /// tcp port from an ipBlock, 3 egress allow tcp port to an ipBlock;
    /// with the port and CIDR indices.
    policies: Vec<(usize, usize, usize)>,
    /// 0 none, 1 a CiliumNetworkPolicy in namespace `a`, 2 a cluster-scoped AdminNetworkPolicy.
    unmodelled: usize,
}

fn k8s() -> impl Strategy<Value = K8s> {
    (
        proptest::bool::weighted(0.8),
        proptest::collection::vec((0..4usize, 0..2usize), 1..=2),
        proptest::collection::vec((0..4usize, 0..PORTS.len(), 0..CIDRS.len()), 2),
        prop_oneof![3 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)],
    )
        .prop_map(|(enforced, pods, policies, unmodelled)| K8s { enforced, pods, policies, unmodelled })
}

#[derive(Debug, Clone)]
struct Case {
    nacl: Vec<Vec<Rule>>,
    sgs: Vec<(Vec<Rule>, Vec<Rule>)>,
    enis: Vec<(usize, Vec<usize>, bool)>,
    igw: bool,
    peer: bool,
    flows: Vec<(usize, usize, usize, usize, usize, usize, usize)>,
    /// Per group: add an allow-all egress rule / an allow-all ingress rule from 10.0.0.0/8 and the internet.
    open: Vec<(bool, bool)>,
    k8s: Option<K8s>,
}

fn case() -> impl Strategy<Value = Case> {
    let s = SETTINGS;
    (
        proptest::collection::vec(proptest::collection::vec(rule(), 0..s.max_rules), 3),
        proptest::collection::vec(
            (proptest::collection::vec(rule(), 0..s.max_rules), proptest::collection::vec(rule(), 0..s.max_rules)),
            2,
        ),
        proptest::collection::vec(
            (0..3usize, proptest::collection::vec(0..2usize, 1..3), any::<bool>()),
            2..=s.max_enis,
        ),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(
            (0..8usize, 0..8usize, 0..PROTOS.len(), 0..PORTS.len(), 0..PORTS.len(), 0..PORTS.len(), 0..PORTS.len()),
            s.flows_per_case,
        ),
        proptest::collection::vec((proptest::bool::weighted(0.7), proptest::bool::weighted(0.5)), 2),
        proptest::option::weighted(0.5, k8s()),
    )
        .prop_map(|(nacl, sgs, enis, igw, peer, flows, open, k8s)| Case {
            nacl,
            sgs,
            enis,
            igw,
            peer,
            flows,
            open,
            k8s,
        })
}

/// The pods that exist: `(name, namespace, ip, eni)`; a pod needs an ENI of VPC a.
fn pods(c: &Case) -> Vec<(String, &'static str, String, usize)> {
    let Some(k) = &c.k8s else { return Vec::new() };
    k.pods
        .iter()
        .enumerate()
        .filter_map(|(i, &(eni, ns))| {
            let (subnet, _, _) = c.enis.get(eni)?;
            (*subnet < 2).then(|| (format!("p{i}"), ["a", "b"][ns], format!("10.0.{}.{}", subnet + 1, 100 + i), eni))
        })
        .collect()
}

/// NetworkPolicy ports must be 1-65535.
fn np_port(p: usize) -> u16 {
    PORTS[p].max(1)
}

/// The cluster's files: `snapshot.toml` and `k8s/c1/*`.
fn cluster_files(c: &Case, k: &K8s) -> Vec<(String, String)> {
    let toml = format!(
        "name = \"prop\"\n\n[[cluster]]\nname = \"c1\"\nvpc = \"vpc-0a000000000000000\"\nexternal_snat = true\nnetwork_policy_enforcement = {}\n",
        k.enforced
    );
    let pods: Vec<Value> = pods(c)
        .into_iter()
        .map(|(name, ns, ip, _)| {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
                   "spec": {"containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 443}]}]},
                   "status": {"phase": "Running", "podIP": ip}})
        })
        .collect();
    let mut policies = Vec::new();
    for (ns, &(kind, port, cidr)) in ["a", "b"].iter().zip(&k.policies) {
        let rule = |peer: &str| json!([{peer: [{"ipBlock": {"cidr": CIDRS[cidr]}}], "ports": [{"protocol": "TCP", "port": np_port(port)}]}]);
        let spec = match kind {
            1 => json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
            2 => json!({"podSelector": {}, "policyTypes": ["Ingress"], "ingress": rule("from")}),
            3 => json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": rule("to")}),
            _ => continue,
        };
        policies.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                             "metadata": {"name": "np", "namespace": ns}, "spec": spec}));
    }
    match k.unmodelled {
        1 => policies.push(json!({"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
                                  "metadata": {"name": "cnp", "namespace": "a"}, "spec": {"endpointSelector": {}}})),
        2 => {
            policies.push(json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
                                  "metadata": {"name": "anp"}, "spec": {"priority": 1, "subject": {"namespaces": {}}}}))
        }
        _ => {}
    }
    vec![
        ("snapshot.toml".to_string(), toml),
        ("k8s/c1/pods.json".to_string(), json!({"apiVersion": "v1", "kind": "List", "items": pods}).to_string()),
        (
            "k8s/c1/policies.json".to_string(),
            json!({"apiVersion": "v1", "kind": "List", "items": policies}).to_string(),
        ),
    ]
}

fn proto_num(p: &str) -> &str {
    match p {
        "tcp" => "6",
        "udp" => "17",
        "icmp" => "1",
        other => other,
    }
}

fn perm(r: &Rule) -> Value {
    let proto = PROTOS[r.proto];
    let mut v = json!({"IpProtocol": proto});
    match proto {
        "tcp" | "udp" => {
            v["FromPort"] = json!(PORTS[r.lo]);
            v["ToPort"] = json!(PORTS[r.hi]);
        }
        "icmp" => {
            v["FromPort"] = json!(if r.lo.is_multiple_of(2) { -1 } else { 8 });
            v["ToPort"] = json!(-1);
        }
        _ => {}
    }
    match r.group_ref {
        Some(g) => {
            v["UserIdGroupPairs"] = json!([{"GroupId": format!("sg-0a00000000000000{g}"), "UserId": "111111111111"}])
        }
        None => v["IpRanges"] = json!([{"CidrIp": CIDRS[r.cidr]}]),
    }
    v
}

fn snapshot(c: &Case) -> MemSource {
    let a = "aws/111111111111/us-east-1";
    let subnets: Vec<Value> = (0..3)
        .map(|i| {
            json!({"SubnetId": format!("subnet-0a00000000000000{i}"), "VpcId": if i < 2 { "vpc-0a000000000000000" } else { "vpc-0b000000000000000" },
                   "CidrBlock": if i < 2 { format!("10.0.{}.0/24", i + 1) } else { "10.1.1.0/24".to_string() },
                   "AvailabilityZone": if i == 1 { "us-east-1b" } else { "us-east-1a" }})
        })
        .collect();
    let vpcs = json!({"Vpcs": [{"VpcId": "vpc-0a000000000000000", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-0b000000000000000", "CidrBlock": "10.1.0.0/16"}]});
    let nacls: Vec<Value> = c
        .nacl
        .iter()
        .enumerate()
        .map(|(i, rules)| {
            let mut entries = Vec::new();
            for egress in [false, true] {
                for (k, r) in rules.iter().enumerate() {
                    let proto = proto_num(PROTOS[r.proto]);
                    let mut e = json!({"RuleNumber": 100 + k * 10, "Protocol": proto, "RuleAction": if r.allow { "allow" } else { "deny" },
                                       "Egress": egress, "CidrBlock": CIDRS[r.cidr]});
                    if proto == "6" || proto == "17" {
                        e["PortRange"] = json!({"From": PORTS[r.lo], "To": PORTS[r.hi]});
                    }
                    if proto == "1" {
                        e["IcmpTypeCode"] = json!({"Type": -1, "Code": -1});
                    }
                    entries.push(e);
                }
                // Mostly permissive tails keep many flows interesting.
                if i != 1 {
                    entries.push(json!({"RuleNumber": 900, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0"}));
                }
                entries.push(json!({"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": egress, "CidrBlock": "0.0.0.0/0"}));
            }
            json!({"NetworkAclId": format!("acl-0a00000000000000{i}"), "VpcId": if i < 2 { "vpc-0a000000000000000" } else { "vpc-0b000000000000000" },
                   "IsDefault": false, "Associations": [{"SubnetId": format!("subnet-0a00000000000000{i}")}], "Entries": entries})
        })
        .collect();
    let sgs: Vec<Value> = c
        .sgs
        .iter()
        .enumerate()
        .map(|(i, (ing, eg))| {
            let (open_eg, open_in) = c.open.get(i).copied().unwrap_or((false, false));
            let mut ing: Vec<Value> = ing.iter().map(perm).collect();
            let mut eg: Vec<Value> = eg.iter().map(perm).collect();
            if open_eg {
                eg.push(json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}));
            }
            if open_in {
                ing.push(json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "203.0.113.0/24"}]}));
            }
            json!({"GroupId": format!("sg-0a00000000000000{i}"), "GroupName": format!("g{i}"), "VpcId": "vpc-0a000000000000000",
                   "IpPermissions": ing, "IpPermissionsEgress": eg})
        })
        .collect();
    let enis: Vec<Value> = c
        .enis
        .iter()
        .enumerate()
        .map(|(i, (subnet, groups, public))| {
            let ip = match subnet {
                0 => format!("10.0.1.{}", 10 + i),
                1 => format!("10.0.2.{}", 10 + i),
                _ => format!("10.1.1.{}", 10 + i),
            };
            let mut p = json!({"PrivateIpAddress": ip, "Primary": true});
            if *public && *subnet < 2 {
                p["Association"] = json!({"PublicIp": format!("192.0.2.{}", 10 + i)});
            }
            let mut ips = vec![p];
            for (_, _, pod_ip, _) in pods(c).into_iter().filter(|x| x.3 == i) {
                ips.push(json!({"PrivateIpAddress": pod_ip, "Primary": false}));
            }
            let mut groups: Vec<usize> = groups.clone();
            groups.sort_unstable();
            groups.dedup();
            json!({"NetworkInterfaceId": format!("eni-0a00000000000000{i}"), "SubnetId": format!("subnet-0a00000000000000{subnet}"),
                   "VpcId": if *subnet < 2 { "vpc-0a000000000000000" } else { "vpc-0b000000000000000" }, "InterfaceType": "interface",
                   "PrivateIpAddresses": ips, "Groups": groups.iter().map(|g| json!({"GroupId": format!("sg-0a00000000000000{g}")})).collect::<Vec<_>>()})
        })
        .collect();
    let mut routes_a = vec![json!({"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"})];
    let mut routes_b = vec![json!({"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local", "State": "active"})];
    if c.igw {
        routes_a.push(
            json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0a000000000000000", "State": "active"}),
        );
    }
    if c.peer {
        routes_a.push(json!({"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-0a000000000000000", "State": "active"}));
        routes_b.push(json!({"DestinationCidrBlock": "10.0.0.0/16", "VpcPeeringConnectionId": "pcx-0a000000000000000", "State": "active"}));
    }
    let rts = json!({"RouteTables": [
        {"RouteTableId": "rtb-0a000000000000000", "VpcId": "vpc-0a000000000000000", "Associations": [{"Main": true}], "Routes": routes_a},
        {"RouteTableId": "rtb-0b000000000000000", "VpcId": "vpc-0b000000000000000", "Associations": [{"Main": true}], "Routes": routes_b}]});
    let mut m = MemSource::new("prop")
        .with("snapshot.toml", "name = \"prop\"\n")
        .with(format!("{a}/vpcs.json"), vpcs.to_string())
        .with(format!("{a}/subnets.json"), json!({"Subnets": subnets}).to_string())
        .with(format!("{a}/nacls.json"), json!({"NetworkAcls": nacls}).to_string())
        .with(format!("{a}/sgs.json"), json!({"SecurityGroups": sgs}).to_string())
        .with(format!("{a}/enis.json"), json!({"NetworkInterfaces": enis}).to_string())
        .with(format!("{a}/rts.json"), rts.to_string());
    if c.igw {
        m = m.with(
            format!("{a}/igw.json"),
            json!({"InternetGateways": [{"InternetGatewayId": "igw-0a000000000000000", "Attachments": [{"VpcId": "vpc-0a000000000000000", "State": "available"}]}]}).to_string(),
        );
    }
    if let Some(k) = &c.k8s {
        for (path, text) in cluster_files(c, k) {
            m = m.with(path, text);
        }
    }
    if c.peer {
        m = m.with(format!("{a}/pcx.json"), json!({"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-0a000000000000000",
            "RequesterVpcInfo": {"VpcId": "vpc-0a000000000000000", "CidrBlock": "10.0.0.0/16"},
            "AccepterVpcInfo": {"VpcId": "vpc-0b000000000000000", "CidrBlock": "10.1.0.0/16"}, "Status": {"Code": "active"}}]}).to_string());
    }
    m
}

/// Endpoint `i`: an ENI, then a pod, then an external address.
fn endpoint(c: &Case, i: usize) -> String {
    let pods = pods(c);
    if i < c.enis.len() {
        format!("eni-0a00000000000000{i}")
    } else if let Some((name, ns, _, _)) = pods.get(i - c.enis.len()) {
        format!("pod:c1/{ns}/{name}")
    } else if i.is_multiple_of(2) {
        "203.0.113.7".into()
    } else {
        "198.51.100.9".into()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: SETTINGS.cases, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn symbolic_and_concrete_agree(c in case()) {
        let snap = load_snapshot(&snapshot(&c)).expect("generated snapshot loads");
        let ev = Evaluator::new(&snap.network, &snap.index);
        let mut enc = Encoder::new(&snap.network, &snap.index);
        let smt = Smt::new(10_000);
        for &(s, d, p, sp, dp, wlo, whi) in &c.flows {
            let (from_s, to_s) = (endpoint(&c, s), endpoint(&c, d));
            let external = |x: &str| !x.starts_with("eni-") && !x.starts_with("pod:");
            if from_s == to_s || (external(&from_s) && external(&to_s)) {
                continue;
            }
            let from = resolve(&snap.network, &snap.index, &from_s).expect("from");
            let to = resolve(&snap.network, &snap.index, &to_s).expect("to");
            let proto: u8 = proto_num(PROTOS[p]).parse().unwrap_or(6);
            let proto = if proto == 255 { 6 } else { proto };
            let q = Query { from, to, from_label: from_s.clone(), to_label: to_s.clone(), proto, sport: PORTS[sp], dport: PORTS[dp], icmp: (8, 0), sni: None, http_host: None };
            let concrete = ev.trace(&q);
            let tri = enc.connection(&ev.record(&q));
            let h = |f: Field| -> u32 { match f { Field::Proto => u32::from(proto), Field::Sport => u32::from(PORTS[sp]), Field::Dport => u32::from(PORTS[dp]), Field::IcmpType => 8, Field::IcmpCode => 0 } };
            let symbolic = if tri.allow.eval(&h) { Verdict::Allowed } else if tri.maybe.eval(&h) { Verdict::Unknown } else { Verdict::Denied };
            prop_assert_eq!(symbolic, concrete.verdict, "{} -> {} {:?}: {:?}", from_s, to_s, concrete.flow, concrete.reason);

            // z3 over a port window.
            let (lo, hi) = (PORTS[wlo].min(PORTS[whi]), PORTS[wlo].max(PORTS[whi]));
            let window: Term = and([eq(Field::Proto, u32::from(proto)), in_range(Expr::Field(Field::Dport), u32::from(lo), u32::from(hi)), eq(Field::IcmpType, 8), eq(Field::IcmpCode, 0)]);
            match smt.solve(&and([window, tri.allow.clone()])) {
                SolveResult::Sat(w) => {
                    let q2 = Query { proto: w.proto, sport: w.sport, dport: w.dport, icmp: (w.icmp_type, w.icmp_code), ..q.clone() };
                    let r = ev.trace(&q2);
                    prop_assert_eq!(r.verdict, Verdict::Allowed, "z3 witness {:?} not allowed by trace: {:?}", w, r.reason);
                }
                SolveResult::Unsat => {
                    for port in [lo, hi, lo + (hi - lo) / 2] {
                        for sport in [0u16, 1024, 50000, 65535] {
                            let q2 = Query { dport: port, sport, ..q.clone() };
                            let r = ev.trace(&q2);
                            prop_assert_ne!(r.verdict, Verdict::Allowed, "z3 says none allowed but trace allows dport {} sport {}", port, sport);
                        }
                    }
                }
                SolveResult::Unknown(why) => prop_assert!(false, "solver unknown: {why}"),
            }
        }
    }
}
