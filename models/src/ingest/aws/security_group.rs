//! `describe-security-groups` and `describe-security-group-rules` → [`SecurityGroup`].

use serde::Deserialize;
use serde_json::Value;

use super::{insert, parse_cidr, req, tags, AwsBuilder, WireTag};
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::{Scope, SecurityGroup, SgPeer, SgRule};
use crate::model::net::{parse_protocol, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP};
use crate::model::{Direction, IcmpMatch, PortRange, Provenance, Traffic, Warning, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireGroup {
    group_id: Option<String>,
    group_name: Option<String>,
    description: Option<String>,
    vpc_id: Option<String>,
    owner_id: Option<String>,
    #[serde(default)]
    ip_permissions: Vec<WirePermission>,
    #[serde(default)]
    ip_permissions_egress: Vec<WirePermission>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePermission {
    ip_protocol: Option<String>,
    from_port: Option<i64>,
    to_port: Option<i64>,
    #[serde(default)]
    ip_ranges: Vec<WireRange>,
    #[serde(default)]
    ipv6_ranges: Vec<WireRange6>,
    #[serde(default)]
    prefix_list_ids: Vec<WirePl>,
    #[serde(default)]
    user_id_group_pairs: Vec<WirePair>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRange {
    cidr_ip: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRange6 {
    cidr_ipv6: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePl {
    prefix_list_id: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePair {
    group_id: Option<String>,
    user_id: Option<String>,
    vpc_id: Option<String>,
    vpc_peering_connection_id: Option<String>,
    peering_status: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireFlatRule {
    security_group_rule_id: Option<String>,
    group_id: Option<String>,
    is_egress: Option<bool>,
    ip_protocol: Option<String>,
    from_port: Option<i64>,
    to_port: Option<i64>,
    cidr_ipv4: Option<String>,
    cidr_ipv6: Option<String>,
    prefix_list_id: Option<String>,
    referenced_group_info: Option<WirePair>,
    description: Option<String>,
}

/// Turns `IpProtocol`/`FromPort`/`ToPort` into [`Traffic`], per the EC2 API:
/// `-1` or a protocol other than tcp/udp/icmp/icmpv6 means all ports; for ICMP,
/// `FromPort` is the type and `ToPort` the code, `-1` meaning any.
pub(crate) fn traffic(proto: &str, from: Option<i64>, to: Option<i64>) -> Result<Option<Traffic>, String> {
    let p = parse_protocol(proto)?;
    let ports = || -> Result<PortRange, String> {
        match (from, to) {
            (Some(-1), Some(-1)) => Ok(PortRange::ALL),
            (None, None) => Err("`FromPort` and `ToPort` are required for tcp and udp".into()),
            (Some(f), Some(t)) if (0..=65535).contains(&f) && (0..=65535).contains(&t) && f <= t => {
                Ok(PortRange::new(f as u16, t as u16))
            }
            (Some(f), Some(t)) => Err(format!("port range {f}-{t} is not within 0-65535 in ascending order")),
            _ => Err("`FromPort` and `ToPort` must be given together".into()),
        }
    };
    let icmp_part = |v: Option<i64>| -> Result<Option<u8>, String> {
        match v {
            None | Some(-1) => Ok(None),
            Some(x) if (0..=255).contains(&x) => Ok(Some(x as u8)),
            Some(x) => Err(format!("ICMP type/code {x} is not within -1..255")),
        }
    };
    Ok(match p {
        None => Some(Traffic::All),
        Some(PROTO_TCP) => Some(Traffic::Tcp { ports: ports()? }),
        Some(PROTO_UDP) => Some(Traffic::Udp { ports: ports()? }),
        Some(PROTO_ICMP) => {
            let t = icmp_part(from)?;
            // A code only narrows when a type is given.
            let c = if t.is_some() { icmp_part(to)? } else { None };
            Some(Traffic::Icmp { icmp: IcmpMatch { icmp_type: t, code: c } })
        }
        // ICMPv6 never matches an IPv4 packet.
        Some(PROTO_ICMPV6) => None,
        Some(n) => Some(Traffic::Proto { number: n }),
    })
}

fn pair_peer(p: &WirePair) -> Option<SgPeer> {
    Some(SgPeer::Group {
        group_id: p.group_id.clone()?,
        owner: p.user_id.clone(),
        vpc_id: p.vpc_id.clone(),
        peering_id: p.vpc_peering_connection_id.clone(),
    })
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireGroup>("SecurityGroups", v) {
        let is = i.to_string();
        let line = ctx.line(&["SecurityGroups", &is]);
        let Some(id) = req(ctx, line, &format!("SecurityGroups[{i}]"), "GroupId", &w.group_id) else { continue };
        let id = id.to_string();
        let prov = ctx.prov(&["SecurityGroups", &is], &id);
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        for (dir, key, perms, out) in [
            (Direction::Ingress, "IpPermissions", &w.ip_permissions, &mut ingress),
            (Direction::Egress, "IpPermissionsEgress", &w.ip_permissions_egress, &mut egress),
        ] {
            let mut n = 0usize;
            for (pi, p) in perms.iter().enumerate() {
                let pline = ctx.line(&["SecurityGroups", &is, key, &pi.to_string()]).or(line);
                let Some(proto) = req(ctx, pline, &id, &format!("{key}[{pi}].IpProtocol"), &p.ip_protocol) else {
                    continue;
                };
                let t = match traffic(proto, p.from_port, p.to_port) {
                    Ok(t) => t,
                    Err(e) => {
                        ctx.invalid(pline, &id, &format!("{key}[{pi}]"), e);
                        continue;
                    }
                };
                let mut push = |peer: SgPeer, desc: Option<String>, ctx: &mut FileCtx| {
                    let entry = format!("{dir}#{n}");
                    n += 1;
                    let rprov = prov.entry(entry, pline);
                    let Some(traffic) = t else {
                        ctx.warn(WarningKind::Unsupported, &rprov, "ICMPv6 rule is not modelled (IPv4 only)");
                        return;
                    };
                    if let SgPeer::Ipv6(c) = &peer {
                        ctx.warn(
                            WarningKind::Unsupported,
                            &rprov,
                            format!("IPv6 range `{c}` is not modelled (IPv4 only)"),
                        );
                    }
                    out.push(SgRule { direction: dir, traffic, peer, description: desc, rule_id: None, prov: rprov });
                };
                for r in &p.ip_ranges {
                    let Some(c) = req(ctx, pline, &id, &format!("{key}[{pi}].IpRanges.CidrIp"), &r.cidr_ip) else {
                        continue;
                    };
                    if let Some(net) = parse_cidr(ctx, pline, &id, &format!("{key}[{pi}].IpRanges.CidrIp"), c) {
                        push(SgPeer::Cidr(net), r.description.clone(), ctx);
                    }
                }
                for r in &p.ipv6_ranges {
                    if let Some(c) = &r.cidr_ipv6 {
                        push(SgPeer::Ipv6(c.clone()), r.description.clone(), ctx);
                    }
                }
                for r in &p.prefix_list_ids {
                    let f = format!("{key}[{pi}].PrefixListIds.PrefixListId");
                    if let Some(pl) = req(ctx, pline, &id, &f, &r.prefix_list_id) {
                        push(SgPeer::PrefixList(pl.to_string()), r.description.clone(), ctx);
                    }
                }
                for r in &p.user_id_group_pairs {
                    match pair_peer(r) {
                        Some(peer) => {
                            if r.peering_status.as_deref().is_some_and(|s| s != "active") {
                                ctx.warn(
                                    WarningKind::Suspicious,
                                    &prov.entry(format!("{key}[{pi}]"), pline),
                                    format!(
                                        "group reference over peering is `{}`, not active",
                                        r.peering_status.as_deref().unwrap_or_default()
                                    ),
                                );
                            }
                            push(peer, r.description.clone(), ctx)
                        }
                        None => ctx.missing(pline, &id, &format!("{key}[{pi}].UserIdGroupPairs.GroupId")),
                    }
                }
            }
        }
        let mut scope = scope.clone();
        if let Some(o) = &w.owner_id {
            scope.account = o.clone();
        }
        let sg = SecurityGroup {
            id: id.clone(),
            scope,
            name: w.group_name.unwrap_or_default(),
            description: w.description.unwrap_or_default(),
            vpc_id: w.vpc_id,
            ingress,
            egress,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.security_groups, id, sg, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}

/// The flat form: one rule per entry. Merged into groups in [`finish`].
pub(super) fn ingest_rules(b: &mut AwsBuilder, ctx: &mut FileCtx, v: &Value) -> bool {
    for (i, w) in ctx.items::<WireFlatRule>("SecurityGroupRules", v) {
        let is = i.to_string();
        let line = ctx.line(&["SecurityGroupRules", &is]);
        let name = w.security_group_rule_id.clone().unwrap_or_else(|| format!("SecurityGroupRules[{i}]"));
        let Some(group) = req(ctx, line, &name, "GroupId", &w.group_id).map(str::to_string) else { continue };
        let Some(is_egress) = w.is_egress else {
            ctx.missing(line, &name, "IsEgress");
            continue;
        };
        let Some(proto) = req(ctx, line, &name, "IpProtocol", &w.ip_protocol) else { continue };
        let t = match traffic(proto, w.from_port, w.to_port) {
            Ok(t) => t,
            Err(e) => {
                ctx.invalid(line, &name, "FromPort/ToPort", e);
                continue;
            }
        };
        let dir = if is_egress { Direction::Egress } else { Direction::Ingress };
        let rprov = Provenance::new(ctx.file.clone(), line, group.clone()).entry(format!("{dir}/{name}"), line);
        let peer = if let Some(c) = &w.cidr_ipv4 {
            match parse_cidr(ctx, line, &name, "CidrIpv4", c) {
                Some(n) => SgPeer::Cidr(n),
                None => continue,
            }
        } else if let Some(c) = &w.cidr_ipv6 {
            ctx.warn(WarningKind::Unsupported, &rprov, format!("IPv6 range `{c}` is not modelled (IPv4 only)"));
            SgPeer::Ipv6(c.clone())
        } else if let Some(pl) = &w.prefix_list_id {
            SgPeer::PrefixList(pl.clone())
        } else if let Some(p) = w.referenced_group_info.as_ref().and_then(pair_peer) {
            p
        } else {
            ctx.missing(line, &name, "CidrIpv4|CidrIpv6|PrefixListId|ReferencedGroupInfo");
            continue;
        };
        let Some(traffic) = t else {
            ctx.warn(WarningKind::Unsupported, &rprov, "ICMPv6 rule is not modelled (IPv4 only)");
            continue;
        };
        b.sg_rules.push((
            group,
            SgRule {
                direction: dir,
                traffic,
                peer,
                description: w.description,
                rule_id: w.security_group_rule_id,
                prov: rprov,
            },
        ));
    }
    true
}

/// Flat rules replace the rules of the group they belong to: when both forms
/// are present they describe the same rules, and the flat form carries rule ids.
pub(super) fn finish(b: &mut AwsBuilder, diags: &mut Diagnostics) {
    let rules = std::mem::take(&mut b.sg_rules);
    let mut replaced = std::collections::BTreeSet::new();
    for (group, rule) in rules {
        let sg = match b.net.security_groups.get_mut(&group) {
            Some(sg) => sg,
            None => {
                diags.warnings.push(Warning::at(
                    WarningKind::Suspicious,
                    &rule.prov,
                    format!(
                        "security group `{group}` is known only from its rules (no describe-security-groups entry)"
                    ),
                ));
                let prov = Provenance::new(rule.prov.file.clone(), rule.prov.line, group.clone());
                b.net.security_groups.entry(group.clone()).or_insert_with(|| SecurityGroup {
                    id: group.clone(),
                    scope: Scope::default(),
                    name: String::new(),
                    description: String::new(),
                    vpc_id: None,
                    ingress: Vec::new(),
                    egress: Vec::new(),
                    tags: Default::default(),
                    prov,
                })
            }
        };
        if replaced.insert(group.clone()) {
            sg.ingress.clear();
            sg.egress.clear();
        }
        match rule.direction {
            Direction::Ingress => sg.ingress.push(rule),
            Direction::Egress => sg.egress.push(rule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_semantics() {
        assert_eq!(traffic("-1", None, None), Ok(Some(Traffic::All)));
        assert_eq!(traffic("-1", Some(-1), Some(-1)), Ok(Some(Traffic::All)));
        assert_eq!(traffic("tcp", Some(22), Some(22)), Ok(Some(Traffic::Tcp { ports: PortRange::single(22) })));
        // Protocol numbers other than tcp/udp/icmp allow all ports whatever the range says.
        assert_eq!(traffic("50", Some(1), Some(2)), Ok(Some(Traffic::Proto { number: 50 })));
        assert_eq!(traffic("6", Some(80), Some(81)), Ok(Some(Traffic::Tcp { ports: PortRange::new(80, 81) })));
        assert_eq!(
            traffic("icmp", Some(3), Some(4)),
            Ok(Some(Traffic::Icmp { icmp: IcmpMatch { icmp_type: Some(3), code: Some(4) } }))
        );
        assert_eq!(traffic("icmp", Some(-1), Some(-1)), Ok(Some(Traffic::Icmp { icmp: IcmpMatch::ANY })));
        assert_eq!(traffic("icmpv6", Some(-1), Some(-1)), Ok(None));
        assert!(traffic("tcp", Some(90), Some(80)).is_err());
        assert!(traffic("tcp", Some(1), Some(70000)).is_err());
        assert!(traffic("bogus", None, None).is_err());
    }
}
