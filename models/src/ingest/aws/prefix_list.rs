//! Managed prefix lists: `describe-managed-prefix-lists` / `describe-prefix-lists`
//! → [`PrefixList`], and entries from `get-managed-prefix-list-entries` wrapped
//! as `{"PrefixListId": "pl-…", "Entries": […]}`.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{insert, req, tags, AwsBuilder, WireTag};
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::{PrefixList, Scope};
use crate::model::net::{looks_ipv6, parse_cidr};
use crate::model::{Provenance, Warning, WarningKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePrefixList {
    prefix_list_id: Option<String>,
    prefix_list_name: Option<String>,
    owner_id: Option<String>,
    address_family: Option<String>,
    /// `describe-prefix-lists` (AWS-managed lists) carries the CIDRs inline.
    cidrs: Option<Vec<String>>,
    tags: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireEntry {
    cidr: Option<String>,
    description: Option<String>,
}

pub struct PendingEntries {
    pub prefix_list: String,
    pub entries: Vec<(String, Option<String>)>,
    pub prov: Provenance,
}

pub(super) fn ingest(b: &mut AwsBuilder, ctx: &mut FileCtx, scope: &Scope, key: &str, v: &Value) -> bool {
    for (i, w) in ctx.items::<WirePrefixList>(key, v) {
        let is = i.to_string();
        let line = ctx.line(&[key, &is]);
        let Some(id) = req(ctx, line, &format!("{key}[{i}]"), "PrefixListId", &w.prefix_list_id) else { continue };
        let id = id.to_string();
        let prov = ctx.prov(&[key, &is], &id);
        let mut entries = None;
        let mut ipv6_entries = Vec::new();
        if let Some(cidrs) = &w.cidrs {
            let mut list = Vec::new();
            for c in cidrs {
                if looks_ipv6(c) {
                    ipv6_entries.push(c.clone());
                } else if let Some(n) = parse_cidr(c) {
                    list.push((n, None));
                } else {
                    ctx.invalid(line, &id, "Cidrs", format!("`{c}` is not a CIDR"));
                }
            }
            entries = Some(list);
        }
        let pl = PrefixList {
            id: id.clone(),
            scope: scope.clone(),
            name: w.prefix_list_name,
            owner: w.owner_id,
            address_family: w.address_family,
            entries,
            ipv6_entries,
            tags: tags(&w.tags),
            prov: prov.clone(),
        };
        insert(&mut b.net.prefix_lists, id, pl, &prov, |x| Some(x.scope.account.clone()), ctx.diags);
    }
    true
}

pub(super) fn ingest_entries(b: &mut AwsBuilder, ctx: &mut FileCtx, obj: &Map<String, Value>, v: &Value) -> bool {
    let Some(pl) = obj.get("PrefixListId").and_then(Value::as_str).map(str::to_string) else {
        return false;
    };
    let mut entries = Vec::new();
    for (i, e) in ctx.items::<WireEntry>("Entries", v) {
        let line = ctx.line(&["Entries", &i.to_string()]);
        if let Some(c) = req(ctx, line, &pl, &format!("Entries[{i}].Cidr"), &e.cidr) {
            entries.push((c.to_string(), e.description));
        }
    }
    let prov = Provenance::new(ctx.file.clone(), Some(1), pl.clone()).entry("entries", None);
    b.pl_entries.push(PendingEntries { prefix_list: pl, entries, prov });
    true
}

pub(super) fn finish(b: &mut AwsBuilder, diags: &mut Diagnostics) {
    for p in std::mem::take(&mut b.pl_entries) {
        let mut list = Vec::new();
        let mut v6 = Vec::new();
        for (c, d) in p.entries {
            if looks_ipv6(&c) {
                v6.push(c);
            } else if let Some(n) = parse_cidr(&c) {
                list.push((n, d));
            } else {
                diags.errors.push(crate::ingest::IngestError::InvalidField {
                    file: p.prov.file.to_string(),
                    line: None,
                    resource: p.prefix_list.clone(),
                    field: "Entries.Cidr".into(),
                    message: format!("`{c}` is not a CIDR"),
                });
            }
        }
        match b.net.prefix_lists.get_mut(&p.prefix_list) {
            Some(pl) => {
                pl.entries = Some(list);
                pl.ipv6_entries.extend(v6);
            }
            None => {
                diags.warnings.push(Warning::at(
                    WarningKind::DanglingReference,
                    &p.prov,
                    format!(
                        "entries for prefix list `{}`, which no describe-managed-prefix-lists file lists",
                        p.prefix_list
                    ),
                ));
                b.net.prefix_lists.insert(
                    p.prefix_list.clone(),
                    PrefixList {
                        id: p.prefix_list.clone(),
                        scope: Scope::default(),
                        name: None,
                        owner: None,
                        address_family: None,
                        entries: Some(list),
                        ipv6_entries: v6,
                        tags: Default::default(),
                        prov: p.prov.clone(),
                    },
                );
            }
        }
    }
    for pl in b.net.prefix_lists.values() {
        if !pl.ipv6_entries.is_empty() {
            diags.warnings.push(Warning::at(
                WarningKind::Unsupported,
                &pl.prov,
                format!("IPv6 entries {} are not modelled (IPv4 only)", pl.ipv6_entries.join(", ")),
            ));
        }
    }
}
