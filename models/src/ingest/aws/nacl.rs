//! `describe-network-acls` → [`Nacl`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::FileCtx;
use crate::model::aws::{Nacl, NaclEntry, Scope};
use crate::model::net::{parse_protocol, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP};
use crate::model::{Action, IcmpMatch, PortRange, Traffic, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireNacl {
    network_acl_id: Option<String>,
    vpc_id: Option<String>,
    owner_id: Option<String>,
    #[serde(default)]
    is_default: bool,
    #[serde(default)]
    associations: Vec<WireAssoc>,
    #[serde(default)]
    entries: Vec<WireEntry>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssoc {
    subnet_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireEntry {
    rule_number: Option<i64>,
    protocol: Option<String>,
    rule_action: Option<String>,
    egress: Option<bool>,
    cidr_block: Option<String>,
    ipv6_cidr_block: Option<String>,
    port_range: Option<WirePortRange>,
    icmp_type_code: Option<WireIcmp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePortRange {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireIcmp {
    #[serde(rename = "Type")]
    icmp_type: Option<i64>,
    code: Option<i64>,
}

fn entry_traffic(e: &WireEntry, proto: &str) -> Result<Option<Traffic>, String> {
    let p = parse_protocol(proto)?;
    let ports = || -> Result<PortRange, String> {
        match &e.port_range {
            Some(WirePortRange { from: Some(f), to: Some(t) })
                if (0..=65535).contains(f) && (0..=65535).contains(t) && f <= t =>
            {
                Ok(PortRange::new(*f as u16, *t as u16))
            }
            Some(WirePortRange { from, to }) => Err(format!(
                "`PortRange` {}-{} is not within 0-65535 in ascending order",
                from.map(|x| x.to_string()).unwrap_or_else(|| "?".into()),
                to.map(|x| x.to_string()).unwrap_or_else(|| "?".into())
            )),
            None => Err("`PortRange` is required for tcp (6) and udp (17) entries".into()),
        }
    };
    Ok(match p {
        None => Some(Traffic::All),
        Some(PROTO_TCP) => Some(Traffic::Tcp { ports: ports()? }),
        Some(PROTO_UDP) => Some(Traffic::Udp { ports: ports()? }),
        Some(PROTO_ICMP) => {
            let part = |v: Option<i64>| match v {
                None | Some(-1) => Ok(None),
                Some(x) if (0..=255).contains(&x) => Ok(Some(x as u8)),
                Some(x) => Err(format!("ICMP type/code {x} is not within -1..255")),
            };
            let (t, c) = match &e.icmp_type_code {
                Some(ic) => (part(ic.icmp_type)?, part(ic.code)?),
                None => (None, None),
            };
            Some(Traffic::Icmp { icmp: IcmpMatch { icmp_type: t, code: if t.is_some() { c } else { None } } })
        }
        Some(PROTO_ICMPV6) => None,
        Some(n) => Some(Traffic::Proto { number: n }),
    })
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireNacl>("NetworkAcls", v) {
        let is = i.to_string();
        let line = ctx.line(&["NetworkAcls", &is]);
        let Some(id) = req(ctx, line, &format!("NetworkAcls[{i}]"), "NetworkAclId", &w.network_acl_id) else {
            continue;
        };
        let id = id.to_string();
        let Some(vpc_id) = req(ctx, line, &id, "VpcId", &w.vpc_id).map(str::to_string) else { continue };
        let prov = ctx.prov(&["NetworkAcls", &is], &id);
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        for (ei, e) in w.entries.iter().enumerate() {
            let eline = ctx.line(&["NetworkAcls", &is, "Entries", &ei.to_string()]).or(line);
            let field = |f: &str| format!("Entries[{ei}].{f}");
            let Some(rn) = e.rule_number else {
                ctx.missing(eline, &id, &field("RuleNumber"));
                continue;
            };
            if !(1..=32767).contains(&rn) && rn != 32768 {
                ctx.invalid(
                    eline,
                    &id,
                    &field("RuleNumber"),
                    format!("{rn} is not within 1-32766 (or 32767/32768 for `*`)"),
                );
                continue;
            }
            let Some(egress_flag) = e.egress else {
                ctx.missing(eline, &id, &field("Egress"));
                continue;
            };
            let Some(act) = req(ctx, eline, &id, &field("RuleAction"), &e.rule_action) else { continue };
            let action = match act {
                "allow" => Action::Allow,
                "deny" => Action::Deny,
                other => {
                    ctx.invalid(eline, &id, &field("RuleAction"), format!("`{other}` is neither `allow` nor `deny`"));
                    continue;
                }
            };
            let Some(proto) = req(ctx, eline, &id, &field("Protocol"), &e.protocol) else { continue };
            let dir = if egress_flag { "egress" } else { "ingress" };
            let rule_label = if rn >= 32767 { "*".to_string() } else { rn.to_string() };
            let eprov = prov.entry(format!("{dir}/rule {rule_label}"), eline);
            let traffic = match entry_traffic(e, proto) {
                Ok(t) => t,
                Err(m) => {
                    ctx.invalid(eline, &id, &field("Protocol/PortRange"), m);
                    continue;
                }
            };
            let (cidr, ipv6) = match (&e.cidr_block, &e.ipv6_cidr_block) {
                (Some(c), _) => match parse_cidr(ctx, eline, &id, &field("CidrBlock"), c) {
                    Some(n) => (Some(n), None),
                    None => continue,
                },
                (None, Some(c6)) => (None, Some(c6.clone())),
                (None, None) => {
                    ctx.missing(eline, &id, &field("CidrBlock"));
                    continue;
                }
            };
            if ipv6.is_some() && rn < 32767 {
                ctx.warn(WarningKind::Unsupported, &eprov, "IPv6 entry is not modelled (IPv4 only)");
            }
            // An ICMPv6 entry never matches IPv4; keep it as a non-matching entry.
            let (traffic, cidr) = match traffic {
                Some(t) => (t, cidr),
                None => {
                    ctx.warn(WarningKind::Unsupported, &eprov, "ICMPv6 entry is not modelled (IPv4 only)");
                    (Traffic::All, None)
                }
            };
            let entry = NaclEntry { rule_number: rn as u32, action, traffic, cidr, ipv6_cidr: ipv6, prov: eprov };
            if egress_flag {
                egress.push(entry);
            } else {
                ingress.push(entry);
            }
        }
        for list in [&mut ingress, &mut egress] {
            list.sort_by_key(|e| e.rule_number);
            for pair in list.windows(2) {
                if pair[0].rule_number == pair[1].rule_number && pair[0].cidr.is_some() && pair[1].cidr.is_some() {
                    ctx.invalid(
                        pair[1].prov.line,
                        &id,
                        "Entries",
                        format!("rule number {} appears twice in one direction", pair[0].rule_number),
                    );
                }
            }
        }
        let subnets = w.associations.iter().filter_map(|a| a.subnet_id.clone()).collect();
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let nacl = Nacl {
            id: id.clone(),
            scope,
            vpc_id,
            is_default: w.is_default,
            subnets,
            ingress,
            egress,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.nacls, id, nacl, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}
