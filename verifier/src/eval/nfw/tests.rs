//! Unit tests: one firewall per test, built from real-shaped
//! DescribeFirewall / DescribeFirewallPolicy / DescribeRuleGroup JSON and
//! loaded through the ingestion, then one connection per assertion.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use netprove_models::ingest::{load_snapshot, MemSource};
use netprove_models::model::Network;
use serde_json::{json, Value};

use super::rules::{Buf, CContent};
use super::*;

const ACCOUNT: &str = "111111111111";
const ARN: &str = "arn:aws:network-firewall:us-east-1:111111111111";
const VPC: &str = "10.0.0.0/16";

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
}

/// A policy under construction.
pub(super) struct Fx {
    order: &'static str,
    stateless: Vec<(String, u32)>,
    stateful: Vec<(String, u32)>,
    stateful_defaults: Vec<&'static str>,
    stateless_default: &'static str,
    home_net: Option<Vec<&'static str>>,
    groups: Vec<(String, Value)>,
    extra: Vec<(String, Value)>,
}

impl Fx {
    pub(super) fn strict(defaults: &[&'static str]) -> Self {
        Fx {
            order: "STRICT_ORDER",
            stateless: Vec::new(),
            stateful: Vec::new(),
            stateful_defaults: defaults.to_vec(),
            stateless_default: "aws:forward_to_sfe",
            home_net: None,
            groups: Vec::new(),
            extra: Vec::new(),
        }
    }

    fn action_order() -> Self {
        Fx { order: "DEFAULT_ACTION_ORDER", ..Fx::strict(&[]) }
    }

    fn group(mut self, name: &str, kind: &str, priority: u32, rule_group: Value) -> Self {
        let arn = format!("{ARN}:{}-rulegroup/{name}", kind.to_ascii_lowercase());
        let body = json!({
            "UpdateToken": "t",
            "RuleGroup": rule_group,
            "RuleGroupResponse": {
                "RuleGroupArn": arn, "RuleGroupName": name, "RuleGroupId": format!("id-{name}"),
                "Type": kind, "Capacity": 100
            }
        });
        if kind == "STATELESS" {
            self.stateless.push((arn, priority));
        } else {
            self.stateful.push((arn, priority));
        }
        self.groups.push((name.to_string(), body));
        self
    }

    /// A stateful group from Suricata text, in the policy's rule order.
    pub(super) fn suricata(self, name: &str, priority: u32, rules: &str) -> Self {
        self.suricata_with(name, priority, rules, json!({}))
    }

    fn suricata_with(self, name: &str, priority: u32, rules: &str, mut extra: Value) -> Self {
        let order = self.order;
        let mut g = json!({
            "RulesSource": {"RulesString": rules},
            "StatefulRuleOptions": {"RuleOrder": order}
        });
        if let (Some(g), Some(e)) = (g.as_object_mut(), extra.as_object_mut()) {
            g.append(e);
        }
        self.group(name, "STATEFUL", priority, g)
    }

    fn domains(self, name: &str, priority: u32, targets: &[&str], types: &[&str], kind: &str) -> Self {
        let order = self.order;
        self.group(
            name,
            "STATEFUL",
            priority,
            json!({
                "RulesSource": {"RulesSourceList": {
                    "Targets": targets, "TargetTypes": types, "GeneratedRulesType": kind
                }},
                "StatefulRuleOptions": {"RuleOrder": order}
            }),
        )
    }

    /// A stateless group; each rule is `(priority, action, match attributes)`.
    fn stateless_group(self, name: &str, priority: u32, rules: &[(u32, &str, Value)]) -> Self {
        let rules: Vec<Value> = rules
            .iter()
            .map(|(p, a, m)| json!({"Priority": p, "RuleDefinition": {"Actions": [a], "MatchAttributes": m}}))
            .collect();
        self.group(
            name,
            "STATELESS",
            priority,
            json!({"RulesSource": {"StatelessRulesAndCustomActions": {"StatelessRules": rules}}}),
        )
    }

    fn file(mut self, name: &str, v: Value) -> Self {
        self.extra.push((name.to_string(), v));
        self
    }

    fn policy(&self) -> Value {
        let sl: Vec<Value> = self.stateless.iter().map(|(a, p)| json!({"ResourceArn": a, "Priority": p})).collect();
        let sf: Vec<Value> = self.stateful.iter().map(|(a, p)| json!({"ResourceArn": a, "Priority": p})).collect();
        let mut policy = json!({
            "StatelessRuleGroupReferences": sl,
            "StatelessDefaultActions": [self.stateless_default],
            "StatelessFragmentDefaultActions": ["aws:drop"],
            "StatefulRuleGroupReferences": sf,
            "StatefulEngineOptions": {"RuleOrder": self.order}
        });
        if let Some(obj) = policy.as_object_mut() {
            if !self.stateful_defaults.is_empty() {
                obj.insert("StatefulDefaultActions".into(), json!(self.stateful_defaults));
            }
            if let Some(h) = &self.home_net {
                obj.insert("PolicyVariables".into(), json!({"RuleVariables": {"HOME_NET": {"Definition": h}}}));
            }
        }
        json!({
            "UpdateToken": "t",
            "FirewallPolicyResponse": {
                "FirewallPolicyName": "pol", "FirewallPolicyArn": format!("{ARN}:firewall-policy/pol"),
                "FirewallPolicyId": "id-pol"
            },
            "FirewallPolicy": policy
        })
    }

    pub(super) fn network(&self) -> Network {
        let dir = format!("aws/{ACCOUNT}/us-east-1");
        let fw = json!({
            "UpdateToken": "t",
            "Firewall": {
                "FirewallName": "fw", "FirewallArn": format!("{ARN}:firewall/fw"),
                "FirewallPolicyArn": format!("{ARN}:firewall-policy/pol"), "VpcId": "vpc-1",
                "SubnetMappings": [{"SubnetId": "subnet-1", "IPAddressType": "IPV4"}]
            },
            "FirewallStatus": {"Status": "READY", "SyncStates": {"us-east-1a": {
                "Attachment": {"SubnetId": "subnet-1", "EndpointId": "vpce-1", "Status": "READY"}
            }}}
        });
        let mut src = MemSource::new("test")
            .with("snapshot.toml", "name = \"nfw-eval\"\n")
            .with(format!("{dir}/describe-firewall-fw.json"), fw.to_string())
            .with(format!("{dir}/describe-firewall-policy-pol.json"), self.policy().to_string());
        for (name, g) in self.groups.iter().chain(&self.extra) {
            src = src.with(format!("{dir}/{name}.json"), g.to_string());
        }
        match load_snapshot(&src) {
            Ok(s) => s.network,
            Err(e) => unreachable!("fixture does not load: {e:?}"),
        }
    }

    fn eval(&self, conn: &Connection) -> NfwDecision {
        let net = self.network();
        let home: Vec<Ipv4Net> = VPC.parse().into_iter().collect();
        let Some(fw) = net.firewalls.values().next() else { unreachable!("no firewall") };
        evaluate(&net, fw, conn, &home)
    }
}

fn tcp(src: &str, dst: &str, dport: u16) -> Connection {
    Connection::tcp(ip(src), ip(dst), 40000, dport)
}

fn udp(src: &str, dst: &str, dport: u16) -> Connection {
    Connection::udp(ip(src), ip(dst), 40000, dport)
}

fn tls(sni: Option<&str>) -> AppLayer {
    AppLayer::Tls { sni: sni.map(str::to_string) }
}

#[track_caller]
fn expect(d: &NfwDecision, verdict: NfwVerdict, rule: &str) {
    assert_eq!(d.verdict, verdict, "{d:#?}");
    if !rule.is_empty() {
        assert!(d.steps.iter().any(|s| s.rule.contains(rule)), "no step names `{rule}`: {d:#?}");
    }
}

// ------------------------------------------------------------------ stateless

fn any_tcp(dport: u16) -> Value {
    json!({"Protocols": [6], "DestinationPorts": [{"FromPort": dport, "ToPort": dport}]})
}

#[test]
fn stateless_groups_by_priority_then_rules_by_priority() {
    // Group `b` (priority 10) runs before group `a` (priority 20); inside
    // `a`, rule priority 1 runs before priority 5 whatever the API order.
    let fx = Fx::action_order()
        .stateless_group("a", 20, &[(5, "aws:pass", any_tcp(80)), (1, "aws:drop", any_tcp(80))])
        .stateless_group("b", 10, &[(1, "aws:pass", any_tcp(22))]);
    // Rule priority 1 (written second) drops before priority 5 passes.
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 80)), NfwVerdict::Drop, "rulegroup/a/rule#1");
    // Group `b` passes the request to port 22 and, with its second rule, the reply.
    let fx = Fx::action_order()
        .stateless_group("a", 20, &[(5, "aws:pass", any_tcp(80)), (1, "aws:drop", any_tcp(80))])
        .stateless_group(
            "b",
            10,
            &[
                (1, "aws:pass", any_tcp(22)),
                (2, "aws:pass", json!({"Protocols": [6], "SourcePorts": [{"FromPort": 22, "ToPort": 22}]})),
            ],
        );
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 22));
    expect(&d, NfwVerdict::Pass, "rulegroup/b/rule#0");
    assert!(d.steps.iter().all(|s| s.stage.starts_with("stateless")), "stateful never consulted: {d:#?}");
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 80));
    expect(&d, NfwVerdict::Drop, "rulegroup/a/rule#1");
    assert_eq!(d.reason.as_deref(), Some("stateless request SYN dropped by rulegroup/a/rule#1"));
}

#[test]
fn stateless_forward_asymmetry_is_unknown() {
    let fx = Fx::action_order().stateless_group("sl", 1, &[(1, "aws:pass", any_tcp(443))]);
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443));
    assert_eq!(d.verdict, NfwVerdict::Unknown);
    assert!(d.reason.as_deref().is_some_and(|r| r.contains("STATELESS_RULE_FORWARDING_ASYMMETRICALLY")), "{d:#?}");
}

#[test]
fn stateless_tcp_flags_take_the_worst() {
    // Drop SYN-only packets to port 25: the connection never opens.
    let syn = json!({"Protocols": [6], "DestinationPorts": [{"FromPort": 25, "ToPort": 25}],
                     "TCPFlags": [{"Flags": ["SYN"], "Masks": ["SYN", "ACK"]}]});
    let fx = Fx::action_order().stateless_group("flags", 1, &[(1, "aws:drop", syn)]);
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 25));
    expect(&d, NfwVerdict::Drop, "rulegroup/flags/rule#0");
    assert!(d.steps.iter().any(|s| s.note.contains("TCP flags decide")), "{d:#?}");
    // Not TCP: flags do not apply, nothing matches, the stateful engine passes.
    let d = fx.eval(&udp("10.0.1.5", "10.0.2.5", 25));
    expect(&d, NfwVerdict::Pass, "policy default (action order)");

    // Passing only the SYN hands the rest of the flow to the stateful engine.
    let syn_pass = json!({"Protocols": [6], "TCPFlags": [{"Flags": ["SYN"], "Masks": ["SYN"]}]});
    let fx = Fx::action_order().stateless_group("flags", 1, &[(1, "aws:pass", syn_pass)]);
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 25));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
}

#[test]
fn stateless_pass_both_ways_skips_stateful() {
    let all = json!({});
    let fx = Fx::strict(&["aws:drop_strict"]).stateless_group("sl", 1, &[(1, "aws:pass", all)]).suricata(
        "deny",
        1,
        "drop ip any any -> any any (sid:1;)",
    );
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443));
    expect(&d, NfwVerdict::Pass, "rulegroup/sl/rule#0");
    assert!(d.steps.iter().any(|s| s.stage == "stateless-reply"), "{d:#?}");
}

// ------------------------------------------------------------ rule ordering

#[test]
fn action_order_pass_beats_drop() {
    let fx = Fx::action_order().suricata("deny", 1, "drop tcp any any -> any any (sid:1;)").suricata(
        "allow",
        2,
        "pass tcp any any -> 10.0.2.0/24 443 (sid:2;)",
    );
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443));
    expect(&d, NfwVerdict::Pass, "rulegroup/allow/sid:2");
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 80));
    expect(&d, NfwVerdict::Drop, "rulegroup/deny/sid:1");
    // Reject counts as drop; drop outranks reject.
    let fx = Fx::action_order().suricata("r", 1, "reject tcp any any -> any 25 (sid:3;)").suricata(
        "d",
        2,
        "drop tcp any any -> any [25,26] (priority:9; sid:4;)",
    );
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 25)), NfwVerdict::Drop, "rulegroup/d/sid:4");
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 26)), NfwVerdict::Drop, "rulegroup/d/sid:4");
    let fx = Fx::action_order().suricata("r", 1, "reject tcp any any -> any 25 (sid:3;)");
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 25));
    expect(&d, NfwVerdict::Drop, "rulegroup/r/sid:3");
    assert!(d.reason.as_deref().is_some_and(|r| r.starts_with("rejected by")), "{d:#?}");
}

#[test]
fn strict_order_first_match_by_group_priority() {
    let deny = "drop tcp any any -> 10.0.2.0/24 443 (sid:1;)";
    let allow = "pass tcp any any -> any 443 (sid:2;)";
    let fx = Fx::strict(&[]).suricata("deny", 10, deny).suricata("allow", 20, allow);
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Drop, "rulegroup/deny/sid:1");
    let fx = Fx::strict(&[]).suricata("deny", 20, deny).suricata("allow", 10, allow);
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Pass, "rulegroup/allow/sid:2");
    // Within a group, written order.
    let fx = Fx::strict(&[]).suricata("g", 1, &format!("{allow}\n{deny}"));
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Pass, "rulegroup/g/sid:2");
    // No match and no default action: passes.
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 80));
    expect(&d, NfwVerdict::Pass, "policy default (none)");
}

// -------------------------------------------------------- default actions

#[test]
fn drop_strict_and_drop_established_for_tcp_and_udp() {
    let rules = "pass tcp $HOME_NET any -> any 443 (flow:to_server, established; sid:1;)\n\
                 pass udp $HOME_NET any -> any 53 (flow:to_server, established; sid:2;)\n\
                 pass udp $HOME_NET any -> any 123 (sid:3;)\n\
                 pass udp $HOME_NET any -> any 5353 (flow:to_server; sid:4;)";
    let est = Fx::strict(&["aws:drop_established"]).suricata("g", 1, rules);
    let strict = Fx::strict(&["aws:drop_strict"]).suricata("g", 1, rules);
    // TCP: the handshake passes drop_established and the established rule
    // passes the flow; drop_strict drops the unmatched SYN.
    expect(&est.eval(&tcp("10.0.1.5", "8.8.8.8", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    let d = strict.eval(&tcp("10.0.1.5", "8.8.8.8", 443));
    expect(&d, NfwVerdict::Drop, "policy default aws:drop_strict");
    assert_eq!(
        d.reason.as_deref(),
        Some("policy default aws:drop_strict drops the SYN packet (no stateful rule matched)")
    );
    // Unmatched TCP: drop_established drops the first data packet.
    let d = est.eval(&tcp("10.0.1.5", "8.8.8.8", 80));
    expect(&d, NfwVerdict::Drop, "policy default aws:drop_established");
    assert!(d.reason.as_deref().is_some_and(|r| r.contains("client data")), "{d:#?}");
    // UDP: drop_established drops every unmatched packet, so a rule that
    // needs an established flow never sees one.
    expect(&est.eval(&udp("10.0.1.5", "8.8.8.8", 53)), NfwVerdict::Drop, "policy default aws:drop_established");
    expect(&est.eval(&udp("10.0.1.5", "8.8.8.8", 123)), NfwVerdict::Pass, "rulegroup/g/sid:3");
    expect(&est.eval(&udp("10.0.1.5", "8.8.8.8", 5353)), NfwVerdict::Pass, "rulegroup/g/sid:4");
    expect(&strict.eval(&udp("10.0.1.5", "8.8.8.8", 123)), NfwVerdict::Pass, "rulegroup/g/sid:3");
    // Alert defaults never drop.
    let alert = Fx::strict(&["aws:alert_strict"]).suricata("g", 1, rules);
    expect(&alert.eval(&tcp("10.0.1.5", "8.8.8.8", 80)), NfwVerdict::Pass, "policy default aws:alert_strict");
}

#[test]
fn drop_established_app_layer_depends_on_the_application() {
    let fx = Fx::strict(&["aws:drop_established_app_layer"]).suricata(
        "g",
        1,
        "pass tls $HOME_NET any -> any 443 (flow:to_server, established; sid:1;)",
    );
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("example.com"))));
    expect(&d, NfwVerdict::Pass, "rulegroup/g/sid:1");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(AppLayer::Http { host: Some("x".into()) }));
    expect(&d, NfwVerdict::Drop, "policy default aws:drop_established_app_layer");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert_eq!(d.reason.as_deref(), Some("depends on the application protocol: give --sni or --http-host"));
}

// --------------------------------------------------------------- matching

#[test]
fn flow_keywords_follow_the_packet_sequence() {
    // `flow:to_client` only sees the server's packets: the SYN-ACK matches
    // and drops; `not_established` only the handshake.
    let fx = Fx::strict(&[]).suricata("g", 1, "drop tcp any any -> any any (flow:to_client; sid:1;)");
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443));
    expect(&d, NfwVerdict::Drop, "rulegroup/g/sid:1");
    assert!(d.reason.as_deref().is_some_and(|r| r.contains("SYN-ACK")), "{d:#?}");
    let fx = Fx::strict(&["aws:drop_strict"]).suricata(
        "g",
        1,
        "pass tcp any any -> any 443 (flow:not_established, to_server; sid:1;)",
    );
    // The SYN matches and pass ends inspection of the flow.
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    let fx = Fx::strict(&["aws:drop_strict"]).suricata(
        "g",
        1,
        "pass tcp any any -> any 443 (flow:established, to_server; sid:1;)",
    );
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
}

#[test]
fn bidirectional_rules_match_either_orientation() {
    let one_way =
        Fx::strict(&["aws:drop_strict"]).suricata("g", 1, "pass tcp 10.0.1.0/24 any -> 10.0.2.0/24 any (sid:1;)");
    let both =
        Fx::strict(&["aws:drop_strict"]).suricata("g", 1, "pass tcp 10.0.1.0/24 any <> 10.0.2.0/24 any (sid:1;)");
    expect(&one_way.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    expect(&one_way.eval(&tcp("10.0.2.5", "10.0.1.5", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
    expect(&both.eval(&tcp("10.0.2.5", "10.0.1.5", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    expect(&both.eval(&tcp("10.0.2.5", "10.0.3.5", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
}

#[test]
fn ip_only_rules_see_the_first_packet_of_each_direction() {
    // An IP-only rule on the server's address matches the SYN-ACK, the first
    // packet of the reply direction.
    let fx = Fx::strict(&[]).suricata("g", 1, "drop ip 10.0.2.0/24 any -> any any (sid:1;)");
    let d = fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443));
    expect(&d, NfwVerdict::Drop, "rulegroup/g/sid:1");
    assert!(d.reason.as_deref().is_some_and(|r| r.contains("SYN-ACK")), "{d:#?}");
    // ICMP has no ports: a rule with ports never matches it.
    let fx =
        Fx::strict(&[]).suricata("g", 1, "drop ip any any -> any 80 (sid:1;)\ndrop icmp any any -> any any (sid:2;)");
    let d = fx.eval(&Connection::icmp_echo(ip("10.0.1.5"), ip("10.0.2.5")));
    expect(&d, NfwVerdict::Drop, "rulegroup/g/sid:2");
}

#[test]
fn home_net_and_external_net_resolution() {
    let rule = "pass tcp $HOME_NET any -> $EXTERNAL_NET 443 (sid:1;)";
    // Default HOME_NET: the firewall VPC (10.0.0.0/16).
    let fx = Fx::strict(&["aws:drop_strict"]).suricata("g", 1, rule);
    expect(&fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    expect(&fx.eval(&tcp("10.1.0.5", "8.8.8.8", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
    // EXTERNAL_NET is the negation of HOME_NET.
    expect(&fx.eval(&tcp("10.0.1.5", "10.0.2.5", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
    // Policy override.
    let mut fx = Fx::strict(&["aws:drop_strict"]).suricata("g", 1, rule);
    fx.home_net = Some(vec!["10.0.0.0/8"]);
    expect(&fx.eval(&tcp("10.1.0.5", "8.8.8.8", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    expect(&fx.eval(&tcp("10.1.0.5", "10.2.0.5", 443)), NfwVerdict::Drop, "policy default aws:drop_strict");
    // A group that sets only HOME_NET still inherits EXTERNAL_NET from the
    // policy (the negation of the VPC here), so 10.2.0.5 is external.
    let vars = json!({"RuleVariables": {"IPSets": {"HOME_NET": {"Definition": ["10.0.0.0/8"]}}}});
    let fx = Fx::strict(&["aws:drop_strict"]).suricata_with("g", 1, rule, vars);
    expect(&fx.eval(&tcp("10.1.0.5", "10.2.0.5", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
}

#[test]
fn ip_set_references_resolve_through_prefix_lists() {
    let pl = "pl-0123456789abcdef0";
    let refs = json!({"ReferenceSets": {"IPSetReferences": {"CORP": {
        "ReferenceArn": format!("arn:aws:ec2:us-east-1:{ACCOUNT}:prefix-list/{pl}")
    }}}});
    let rule = "pass tcp @CORP any -> any 22 (sid:1;)";
    let base = Fx::strict(&["aws:drop_strict"]).suricata_with("g", 1, rule, refs);
    // Entries unknown: the match is maybe, the verdict unknown.
    let d = base.eval(&tcp("192.168.1.5", "10.0.2.5", 22));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert!(d.reason.as_deref().is_some_and(|r| r.contains("@CORP")), "{d:#?}");
    let fx = base
        .file("pl", json!({"PrefixLists": [{"PrefixListId": pl, "AddressFamily": "IPv4", "PrefixListName": "corp"}]}))
        .file("pl-entries", json!({"PrefixListId": pl, "Entries": [{"Cidr": "192.168.0.0/16"}]}));
    expect(&fx.eval(&tcp("192.168.1.5", "10.0.2.5", 22)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    expect(&fx.eval(&tcp("172.16.1.5", "10.0.2.5", 22)), NfwVerdict::Drop, "policy default aws:drop_strict");
}

#[test]
fn content_modifiers_follow_suricata() {
    let c = |s: &str, dotprefix: bool, start: bool, end: bool| CContent {
        buf: Buf::Sni,
        bytes: s.as_bytes().to_vec(),
        negated: false,
        nocase: true,
        startswith: start,
        endswith: end,
        dotprefix,
    };
    let dot = c(".amazon.com", true, false, true);
    assert!(dot.matches(b"amazon.com"));
    assert!(dot.matches(b"s3.AMAZON.com"));
    assert!(!dot.matches(b"xamazon.com"));
    assert!(!dot.matches(b"amazon.com.evil"));
    let exact = c("example.com", false, true, true);
    assert!(exact.matches(b"Example.COM"));
    assert!(!exact.matches(b"www.example.com"));
    let contains = c("ample", false, false, false);
    assert!(contains.matches(b"example.com"));
    assert!(!CContent { nocase: false, ..exact.clone() }.matches(b"Example.com"));
    assert!(CContent { negated: true, ..exact }.matches(b"other.com"));
}

// ------------------------------------------------------------ domain lists

#[test]
fn tls_allowlist_with_drop_established() {
    let fx = Fx::strict(&["aws:drop_established"]).domains(
        "egress",
        1,
        &[".github.com", "example.com"],
        &["TLS_SNI", "HTTP_HOST"],
        "ALLOWLIST",
    );
    let c = || tcp("10.0.1.5", "140.82.112.3", 443);
    let d = fx.eval(&c().with_app(tls(Some("api.github.com"))));
    expect(&d, NfwVerdict::Pass, "rulegroup/egress/tls.sni:.github.com");
    expect(&fx.eval(&c().with_app(tls(Some("GitHub.com")))), NfwVerdict::Pass, "tls.sni:.github.com");
    expect(&fx.eval(&c().with_app(tls(Some("example.com")))), NfwVerdict::Pass, "tls.sni:example.com");
    let d = fx.eval(&c().with_app(tls(Some("www.example.com"))));
    expect(&d, NfwVerdict::Drop, "rulegroup/egress/tls:not-allowlisted");
    // A ClientHello without SNI: the allowlist's catch-all drops it.
    expect(&fx.eval(&c().with_app(tls(None))), NfwVerdict::Drop, "tls:not-allowlisted");
    // HTTP Host is normalised (lowercase, no port).
    let http = |h: &str| c().with_app(AppLayer::Http { host: Some(h.into()) });
    expect(&fx.eval(&http("Raw.GitHub.com:8080")), NfwVerdict::Pass, "http.host:.github.com");
    expect(&fx.eval(&http("evil.com")), NfwVerdict::Drop, "http:not-allowlisted");
    // Plain TCP (no application layer): drop_established drops it.
    // Unknown application: could be an allowlisted TLS flow, or not.
    let d = fx.eval(&c());
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert_eq!(d.reason.as_deref(), Some("depends on the application protocol: give --sni or --http-host"));
    assert!(d.steps.iter().any(|s| s.action == "pass") && d.steps.iter().any(|s| s.action.contains("drop")));
    // Traffic not from HOME_NET is untouched by the group: the default drops it.
    let d = fx.eval(&tcp("172.16.0.5", "140.82.112.3", 443).with_app(tls(Some("api.github.com"))));
    expect(&d, NfwVerdict::Drop, "policy default aws:drop_established");
}

#[test]
fn three_valued_search_finds_agreeing_branches() {
    // A denylist under drop_established: whatever the application, SNI or
    // Host, nothing passes. The search explores TLS with an unknown SNI
    // (denied or not), HTTP, and no application, and all branches drop.
    let fx = Fx::strict(&["aws:drop_established"]).domains("deny", 1, &[".evil.com"], &["TLS_SNI"], "DENYLIST");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443));
    expect(&d, NfwVerdict::Drop, "");
    assert!(d.approximations.iter().any(|a| a.contains("SNI")), "the SNI branch was consulted: {d:#?}");
    // An uninterpreted keyword on a drop rule ahead of the allowlist's own
    // catch-all: dropped either way.
    let fx = Fx::strict(&["aws:drop_established"])
        .suricata(
            "ja3",
            1,
            "drop tls any any -> any any (ja3.hash; content:\"e7d705a3\"; flow:to_server, established; sid:7;)",
        )
        .domains("allow", 2, &[".github.com"], &["TLS_SNI"], "ALLOWLIST");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("evil.com"))));
    expect(&d, NfwVerdict::Drop, "");
    // ... but on an allowlisted name the keyword decides.
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("github.com"))));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert_eq!(d.reason.as_deref(), Some("depends on uninterpreted keyword `ja3.hash` in rulegroup/ja3/sid:7"));
}

#[test]
fn unsupported_keywords_matter_only_on_forwarding_rules() {
    let pass = "pass tcp any any -> any 443 (flow:to_server, established; ja3.hash; content:\"abc\"; sid:9;)";
    let fx = Fx::strict(&["aws:drop_established"]).suricata("g", 1, pass);
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("a.com"))));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert_eq!(d.reason.as_deref(), Some("depends on uninterpreted keyword `ja3.hash` in rulegroup/g/sid:9"));
    assert!(d.approximations.iter().any(|a| a.contains("rulegroup/g/sid:9")), "{d:#?}");
    let alert = "alert tcp any any -> any 443 (ja3.hash; content:\"abc\"; sid:8;)\n\
                 pass tcp any any -> any 443 (flow:to_server, established; sid:10;)";
    let fx = Fx::strict(&["aws:drop_established"]).suricata("g", 1, alert);
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("a.com"))));
    expect(&d, NfwVerdict::Pass, "rulegroup/g/sid:10");
    assert!(d.approximations.is_empty(), "{d:#?}");
    assert_eq!(d.reason, None);
}

#[test]
fn pass_ends_inspection_before_application_rules() {
    // Action order: an IP-level pass on the SYN passes the whole flow, so the
    // TLS denylist never sees the ClientHello (a well-known AWS pitfall).
    let fx = Fx::action_order().suricata("allow", 1, "pass tcp $HOME_NET any -> any 443 (sid:1;)").domains(
        "deny",
        2,
        &[".evil.com"],
        &["TLS_SNI"],
        "DENYLIST",
    );
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("www.evil.com"))));
    expect(&d, NfwVerdict::Pass, "rulegroup/allow/sid:1");
    // With `flow:established` the pass waits for the ClientHello; action
    // order still puts it before the drop.
    let fx = Fx::action_order()
        .suricata("allow", 1, "pass tcp $HOME_NET any -> any 443 (flow:to_server, established; sid:1;)")
        .domains("deny", 2, &[".evil.com"], &["TLS_SNI"], "DENYLIST");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some("www.evil.com"))));
    expect(&d, NfwVerdict::Pass, "rulegroup/allow/sid:1");
}

// -------------------------------------------------------- missing pieces

#[test]
fn missing_policy_or_group_is_unknown() {
    // Strict order: a missing group matters only if a packet reaches it.
    let mut fx = Fx::strict(&["aws:drop_strict"]).suricata("g", 10, "pass tcp any any -> any 443 (sid:1;)");
    fx.stateful.push((format!("{ARN}:stateful-rulegroup/gone"), 20));
    expect(&fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443)), NfwVerdict::Pass, "rulegroup/g/sid:1");
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 80));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");
    assert_eq!(
        d.reason.as_deref(),
        Some("stateful rule group `arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/gone` is not in the snapshot")
    );
    // Action order: its pass rules could come first, so it always matters.
    let mut fx = Fx::action_order().suricata("g", 10, "pass tcp any any -> any 443 (sid:1;)");
    fx.stateful.push((format!("{ARN}:stateful-rulegroup/gone"), 20));
    assert_eq!(fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443)).verdict, NfwVerdict::Unknown);
    // A missing stateless group decides every packet that reaches it.
    let mut fx = Fx::action_order();
    fx.stateless.push((format!("{ARN}:stateless-rulegroup/gone"), 1));
    let d = fx.eval(&tcp("10.0.1.5", "8.8.8.8", 443));
    assert_eq!(d.verdict, NfwVerdict::Unknown, "{d:#?}");

    let fx = Fx::strict(&[]);
    let mut net = fx.network();
    net.firewall_policies.clear();
    let Some(fw) = net.firewalls.values().next() else { unreachable!() };
    let d = evaluate(&net, fw, &tcp("10.0.1.5", "8.8.8.8", 443), &[]);
    assert_eq!(d.verdict, NfwVerdict::Unknown);
}

#[test]
fn prepared_firewall_is_reusable() {
    let fx = Fx::strict(&["aws:drop_established"]).domains("egress", 1, &[".github.com"], &["TLS_SNI"], "ALLOWLIST");
    let net = fx.network();
    let home: Vec<Ipv4Net> = VPC.parse().into_iter().collect();
    let Some(fw) = net.firewalls.values().next() else { unreachable!() };
    let prepared = PreparedFirewall::new(&net, fw, &home);
    for i in 0..200u16 {
        let c = tcp("10.0.1.5", "8.8.8.8", 443).with_app(tls(Some(if i % 2 == 0 { "github.com" } else { "x.org" })));
        let want = if i % 2 == 0 { NfwVerdict::Pass } else { NfwVerdict::Drop };
        assert_eq!(prepared.evaluate(&c).verdict, want);
    }
}
