//! Network Firewall ingestion, data-driven.
//!
//! Every `tests/data/nfw/*.json` is a DescribeFirewall, DescribeFirewallPolicy or
//! DescribeRuleGroup response. Each is ingested on its own and the resulting
//! model, warnings and errors are rendered and compared with the `.expected`
//! file next to it. Run with `UPDATE_EXPECT=1` to rewrite the expectations after
//! an intended change, then review the diff.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
#![expect(clippy::panic, reason = "tests fail by panicking")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netprove_models::ingest::aws::AwsBuilder;
use netprove_models::ingest::Diagnostics;
use netprove_models::model::aws::Scope;
use netprove_models::model::nfw::{
    AddrSpec, DomainTargetType, FirewallPolicy, GeneratedRulesType, IpRanges, PortSpec, RuleAction, RuleGroup,
    RuleGroupType, RuleOrder, RulesSource, StatefulDefaultAction, StatefulForm, StatelessAction, SuricataRule,
    VariableEnv,
};
use netprove_models::model::{Network, PortRange, WarningKind};

const ACCOUNT: &str = "111111111111";
const REGION: &str = "us-east-1";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/nfw")
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(data_dir()).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "json"));
    v.sort();
    v
}

/// Ingests the named fixtures together, as one account/region of a snapshot.
fn load(names: &[&str]) -> (Network, Diagnostics) {
    let mut b = AwsBuilder::default();
    let mut diags = Diagnostics::default();
    for name in names {
        let text = std::fs::read_to_string(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let scope = Scope { account: ACCOUNT.into(), region: REGION.into() };
        b.ingest_file(&format!("aws/{ACCOUNT}/{REGION}/{name}"), &text, scope, &mut diags);
    }
    let mut net = Network::default();
    b.finish(&mut net, &mut diags);
    (net, diags)
}

fn render_policy(out: &mut String, p: &FirewallPolicy) -> std::fmt::Result {
    writeln!(out, "policy {} id={} order={:?} stream={:?}", p.name, p.id, p.rule_order, p.stream_exception_policy)?;
    writeln!(out, "  arn {}", p.arn)?;
    writeln!(out, "  prov {}", p.prov)?;
    let a = &p.stateless_default_actions;
    let f = &p.stateless_fragment_default_actions;
    writeln!(
        out,
        "  stateless default {:?} custom={:?}; fragments {:?} custom={:?}",
        a.standard, a.custom, f.standard, f.custom
    )?;
    writeln!(out, "  custom actions {:?}", p.stateless_custom_actions)?;
    for r in &p.stateless_refs {
        writeln!(out, "  stateless-ref priority={} {} [{}]", r.priority, r.arn, r.prov)?;
    }
    for r in &p.stateful_refs {
        writeln!(
            out,
            "  stateful-ref priority={:?} override={:?} {} [{}]",
            r.priority, r.override_action, r.arn, r.prov
        )?;
    }
    let defaults: Vec<&str> = p.stateful_default_actions.iter().map(StatefulDefaultAction::as_str).collect();
    writeln!(out, "  stateful default [{}]", defaults.join(", "))?;
    for (k, v) in &p.variables {
        let cidrs: Vec<String> = v.cidrs.iter().map(ToString::to_string).collect();
        writeln!(out, "  var {k} = [{}] ipv6={:?}", cidrs.join(", "), v.ipv6)?;
    }
    if let Some(t) = &p.tls_inspection_configuration_arn {
        writeln!(out, "  tls inspection {t}")?;
    }
    Ok(())
}

fn render_suricata(out: &mut String, r: &SuricataRule) -> std::fmt::Result {
    writeln!(out, "  sid:{} [{}] rules_line={:?}", r.sid, r.prov, r.rules_line)?;
    writeln!(out, "    text: {}", r.text)?;
    writeln!(
        out,
        "    {} {} {} {} {} {} {}",
        r.action,
        r.protocol,
        r.src,
        r.src_ports,
        if r.bidirectional { "<>" } else { "->" },
        r.dst,
        r.dst_ports
    )?;
    writeln!(
        out,
        "    rev={:?} msg={:?} priority={:?} flow={:?} ip_proto={:?} ssl_state={:?} noalert={}",
        r.rev, r.msg, r.priority, r.flow, r.ip_proto, r.ssl_state, r.noalert
    )?;
    for c in &r.content_matches {
        writeln!(
            out,
            "    content buffer={:?} {:?} negated={} nocase={} startswith={} endswith={} dotprefix={}",
            c.buffer, c.content, c.negated, c.nocase, c.startswith, c.endswith, c.dotprefix
        )?;
    }
    if !r.unsupported.is_empty() {
        writeln!(out, "    unsupported {:?}", r.unsupported)?;
    }
    Ok(())
}

fn render_group(out: &mut String, g: &RuleGroup) -> std::fmt::Result {
    writeln!(
        out,
        "rulegroup {} id={} type={:?} order={:?} capacity={:?}",
        g.name, g.id, g.rule_type, g.rule_order, g.capacity
    )?;
    writeln!(out, "  arn {}", g.arn)?;
    for (k, v) in &g.ip_sets {
        let cidrs: Vec<String> = v.cidrs.iter().map(ToString::to_string).collect();
        writeln!(out, "  ipset {k} = [{}] ipv6={:?}", cidrs.join(", "), v.ipv6)?;
    }
    for (k, v) in &g.port_sets {
        let ports: Vec<String> = v.iter().map(ToString::to_string).collect();
        writeln!(out, "  portset {k} = [{}]", ports.join(", "))?;
    }
    for (k, v) in &g.ip_set_references {
        writeln!(out, "  ref @{k} = {v}")?;
    }
    match &g.rules {
        RulesSource::Stateless { rules, custom_actions } => {
            writeln!(out, "  stateless rules, custom actions {custom_actions:?}")?;
            for r in rules {
                let nets = |v: &[ipnet::Ipv4Net]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
                let ports = |v: &[PortRange]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
                writeln!(
                    out,
                    "  priority {} {:?} custom={:?} [{}]",
                    r.priority, r.actions.standard, r.actions.custom, r.prov
                )?;
                writeln!(
                    out,
                    "    src=[{}] dst=[{}] ipv6 src={:?} dst={:?} sport=[{}] dport=[{}] proto={:?} flags={:?}",
                    nets(&r.sources),
                    nets(&r.destinations),
                    r.ipv6_sources,
                    r.ipv6_destinations,
                    ports(&r.source_ports),
                    ports(&r.destination_ports),
                    r.protocols,
                    r.tcp_flags
                )?;
            }
        }
        RulesSource::Stateful { form, rules } => {
            writeln!(out, "  stateful rules ({form:?})")?;
            for r in rules {
                render_suricata(out, r)?;
            }
        }
        RulesSource::DomainList(d) => {
            writeln!(
                out,
                "  domain list {:?} types={:?} targets={:?}",
                d.generated_rules_type, d.target_types, d.targets
            )?;
        }
    }
    Ok(())
}

fn render(net: &Network, diags: &Diagnostics) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    for fw in net.firewalls.values() {
        writeln!(out, "firewall {} id={:?} vpc={} status={:?}", fw.name, fw.id, fw.vpc_id, fw.status)?;
        writeln!(out, "  arn {}", fw.arn)?;
        writeln!(out, "  policy {}", fw.policy_arn)?;
        writeln!(out, "  prov {}", fw.prov)?;
        writeln!(out, "  subnets {:?}", fw.subnet_mappings)?;
        for (az, e) in &fw.endpoints {
            writeln!(out, "  endpoint {az}: {} subnet={:?} status={:?}", e.endpoint_id, e.subnet_id, e.status)?;
        }
        if let Some(t) = &fw.transit_gateway_id {
            writeln!(
                out,
                "  transit gateway {t} owner={:?} azs={:?}",
                fw.transit_gateway_owner_account_id, fw.availability_zones
            )?;
        }
    }
    for p in net.firewall_policies.values() {
        render_policy(&mut out, p)?;
    }
    for g in net.rule_groups.values() {
        render_group(&mut out, g)?;
    }
    for w in &diags.warnings {
        writeln!(out, "warning: {w}")?;
    }
    for e in &diags.errors {
        writeln!(out, "error: {e}")?;
    }
    Ok(out)
}

#[test]
fn fixtures_match_expectations() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let files = fixtures();
    assert!(files.len() >= 10, "fixtures missing from {}", data_dir().display());
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let (net, diags) = load(&[&name]);
        let actual = render(&net, &diags).unwrap_or_default();
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("--- {name}: expected\n{expected}\n+++ actual\n{actual}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECT=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const DEMO: &[&str] = &[
    "describe-firewall-inspection-fw.json",
    "describe-firewall-policy-inspection-policy.json",
    "describe-rule-group-east-west.json",
    "describe-rule-group-egress-allowlist.json",
    "describe-rule-group-stateless-hygiene.json",
    "describe-rule-group-suricata-egress.json",
];

#[test]
fn demo_set_links_without_dangling_references() {
    let (net, diags) = load(DEMO);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let dangling: Vec<_> = diags.warnings.iter().filter(|w| w.kind == WarningKind::DanglingReference).collect();
    assert!(dangling.is_empty(), "{dangling:?}");

    let fw = &net.firewalls["arn:aws:network-firewall:us-east-1:111111111111:firewall/inspection-fw"];
    assert_eq!(fw.endpoints.keys().collect::<Vec<_>>(), ["us-east-1a", "us-east-1b"]);
    assert_eq!(fw.endpoints["us-east-1a"].endpoint_id, "vpce-0f9e53698142f5b80");
    assert_eq!(fw.endpoint_by_id("vpce-011751e07dd71d4b5").map(|e| e.availability_zone.as_str()), Some("us-east-1b"));

    let policy = &net.firewall_policies[&fw.policy_arn];
    assert_eq!(policy.rule_order, RuleOrder::StrictOrder);
    assert_eq!(policy.stateless_default_actions.standard, StatelessAction::ForwardToSfe);
    let order: Vec<&str> = policy.stateful_refs.iter().map(|r| net.rule_groups[&r.arn].name.as_str()).collect();
    assert_eq!(order, ["east-west", "suricata-egress", "egress-allowlist"]);
    assert!(policy.stateful_default_actions.contains(&StatefulDefaultAction::DropEstablished));

    let ew = &net.rule_groups[&policy.stateful_refs[0].arn];
    assert!(matches!(ew.rules, RulesSource::Stateful { form: StatefulForm::FiveTuple, .. }));
    let last = ew.stateful_rules().last().map(|r| (r.sid, r.action.clone(), r.protocol.clone()));
    assert_eq!(last, Some((1099, RuleAction::Drop, "ip".to_string())));
    assert_eq!(ew.stateful_rules()[0].prov.short(), "rulegroup/east-west/sid:1001");
    assert!(ew.stateful_rules()[0].prov.line.is_some());

    let allow = &net.rule_groups[&policy.stateful_refs[2].arn];
    let dl = allow.domain_list().unwrap_or_else(|| panic!("egress-allowlist is a domain list"));
    assert_eq!(dl.generated_rules_type, GeneratedRulesType::Allowlist);
    assert!(dl.inspects(DomainTargetType::TlsSni) && dl.inspects(DomainTargetType::HttpHost));
    assert!(dl.matches("s3.us-east-1.amazonaws.com") && dl.matches("amazonaws.com") && !dl.matches("evil.com"));

    // Variable resolution against the policy: the group's HOME_NET wins, and
    // EXTERNAL_NET negates the policy's HOME_NET.
    let eg = &net.rule_groups[&policy.stateful_refs[1].arn];
    let vpc = ["10.100.0.0/16".parse().unwrap_or_else(|e| panic!("{e}"))];
    let env = VariableEnv::new(Some(policy), Some(eg), &vpc);
    let ten = IpRanges::from_cidrs(&["10.0.0.0/8".parse().unwrap_or_else(|e| panic!("{e}"))]);
    assert_eq!(env.home_net(), Ok(ten.clone()));
    assert_eq!(env.external_net(), Ok(ten.complement()));
    let r2002 = eg.stateful_rules().iter().find(|r| r.sid == 2002).unwrap_or_else(|| panic!("sid 2002"));
    assert_eq!(env.resolve_ports(&r2002.dst_ports), Ok(vec![PortRange::single(9090), PortRange::single(9100)]));
    let r2005 = eg.stateful_rules().iter().find(|r| r.sid == 2005).unwrap_or_else(|| panic!("sid 2005"));
    assert_eq!(r2005.unsupported, ["ja3.hash"]);
    assert!(diags.warnings.iter().any(|w| w.kind == WarningKind::Approximation && w.message.contains("sid 2005")));

    let hygiene = &net.rule_groups[&policy.stateless_refs[0].arn];
    assert_eq!(hygiene.rule_type, RuleGroupType::Stateless);
    let prios: Vec<u32> = hygiene.stateless_rules().iter().map(|r| r.priority).collect();
    assert_eq!(prios, [10, 20, 30]);
}

#[test]
fn stateless_rules_are_sorted_and_ipv6_only_sources_match_nothing() {
    let (net, diags) = load(&["describe-rule-group-stateless-flags.json"]);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let g = net.rule_groups.values().next().unwrap_or_else(|| panic!("one group"));
    let rules = g.stateless_rules();
    assert_eq!(rules.iter().map(|r| r.priority).collect::<Vec<_>>(), [10, 30, 100]);
    assert!(!rules[0].source_is_any(), "IPv6-only sources must not read as any");
    assert!(rules[2].source_is_any() && rules[2].protocols.is_empty());
    assert_eq!(rules[1].tcp_flags.len(), 1);
}

#[test]
fn suricata_rules_keep_variables_and_report_approximations() {
    let (net, diags) = load(&["describe-rule-group-suricata-vars.json"]);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let g = net.rule_groups.values().next().unwrap_or_else(|| panic!("one group"));
    let sids: Vec<u64> = g.stateful_rules().iter().map(|r| r.sid).collect();
    assert_eq!(sids, [100, 101, 102, 103, 104]);
    let r101 = &g.stateful_rules()[1];
    assert_eq!(r101.rules_line, Some(4), "continuation keeps the first line");
    assert!(matches!(r101.dst, AddrSpec::List(_)));
    assert!(matches!(r101.dst_ports, PortSpec::List(_)));
    let lookup = |arn: &str| {
        arn.ends_with("pl-0corp0000000000000")
            .then(|| IpRanges::from_cidrs(&["192.168.0.0/16".parse().unwrap_or_else(|e| panic!("{e}"))]))
    };
    let vpc = [];
    let env = VariableEnv::new(None, Some(g), &vpc).with_references(&lookup);
    let src = env.resolve_addr(&r101.src).unwrap_or_else(|e| panic!("{e}"));
    // [$HOME_NET, !$MGMT] = 10.0.0.0/8 minus 10.255.0.0/16.
    assert_eq!(src.ranges(), [(0x0a00_0000, 0x0afe_ffff)]);
    assert_eq!(
        env.resolve_ports(&r101.dst_ports),
        Ok(vec![PortRange::single(22), PortRange::single(3389), PortRange::new(5900, 5910)])
    );
    let approx = diags.warnings.iter().filter(|w| w.kind == WarningKind::Approximation).count();
    assert_eq!(approx, 2, "sids 102 (pcre, geoip) and 103 (dns.query)");
    assert!(diags.warnings.iter().any(|w| w.kind == WarningKind::Unsupported && w.message.contains("rejectboth")));
}

#[test]
fn broken_rules_are_errors_naming_group_and_line() {
    let (net, diags) = load(&["describe-rule-group-broken-suricata.json"]);
    let msgs: Vec<String> = diags.errors.iter().map(ToString::to_string).collect();
    for line in [3, 4, 5, 6] {
        assert!(
            msgs.iter()
                .any(|m| m.contains("rulegroup/broken-suricata") && m.contains(&format!("RulesString line {line}"))),
            "no error for line {line}: {msgs:#?}"
        );
    }
    assert_eq!(msgs.len(), 4, "{msgs:#?}");
    // The good rule is kept; the load as a whole fails on the errors.
    let g = net.rule_groups.values().next().unwrap_or_else(|| panic!("group kept"));
    assert_eq!(g.stateful_rules().len(), 1);
}
