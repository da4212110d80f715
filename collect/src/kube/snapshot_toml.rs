//! Adds or updates the cluster's `[[cluster]]` entry in `snapshot.toml`,
//! keeping everything else as written (other clusters, `name`,
//! `captured_at`, comments, key order), with `toml_edit`.
//!
//! Keys the run gives (`vpc`, `account`, `region` from the command line) or
//! infers (the VPC CNI settings) are set; every other key of the entry is
//! kept as it was, so a setting written by hand survives a run that cannot
//! infer it.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::cni::CniSettings;

/// What the run knows about the cluster.
pub struct Entry<'a> {
    pub name: &'a str,
    pub vpc: Option<&'a str>,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub cni: &'a CniSettings,
}

/// The edited file, and what was done (for the summary).
#[derive(Debug)]
pub struct Edit {
    pub text: String,
    /// What was done: `added [[cluster]] `x``, with `created (…)` for a new file.
    pub action: String,
    pub notes: Vec<String>,
}

/// Edits `existing` (the current file, if any); `snapshot_name` is the
/// `name` of a new file.
pub fn update(existing: Option<&str>, snapshot_name: &str, entry: &Entry) -> Result<Edit, String> {
    let mut notes = Vec::new();
    let mut action = Vec::new();
    let mut doc = match existing {
        Some(text) => text.parse::<DocumentMut>().map_err(|e| e.to_string())?,
        None => {
            let mut d = DocumentMut::new();
            d["name"] = toml_edit::value(snapshot_name);
            action.push(format!("created (name = {snapshot_name:?})"));
            d
        }
    };
    let clusters = doc.entry("cluster").or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    let Some(clusters) = clusters.as_array_of_tables_mut() else {
        return Err("`cluster` is not an array of tables (`[[cluster]]` entries); cannot add this cluster".into());
    };
    let matching: Vec<usize> = clusters
        .iter()
        .enumerate()
        .filter(|(_, t)| t.get("name").and_then(Item::as_str) == Some(entry.name))
        .map(|(i, _)| i)
        .collect();
    if matching.len() > 1 {
        notes.push(format!(
            "snapshot.toml lists cluster `{}` {} times; the first entry (the one netprove reads) was updated",
            entry.name,
            matching.len()
        ));
    }
    let index = match matching.first() {
        Some(&i) => {
            action.push(format!("updated [[cluster]] `{}`", entry.name));
            i
        }
        None => {
            let mut t = Table::new();
            t["name"] = toml_edit::value(entry.name);
            clusters.push(t);
            action.push(format!("added [[cluster]] `{}`", entry.name));
            clusters.len() - 1
        }
    };
    let Some(table) = clusters.get_mut(index) else {
        return Err("internal: the cluster entry vanished".into());
    };
    for (key, v) in [("vpc", entry.vpc), ("account", entry.account), ("region", entry.region)] {
        if let Some(v) = v {
            set(table, key, Value::from(v));
        }
    }
    let cni = entry.cni;
    if let Some(i) = &cni.external_snat {
        set(table, "external_snat", Value::from(i.value));
    }
    if let Some(i) = &cni.exclude_snat_cidrs {
        set(table, "exclude_snat_cidrs", Value::Array(i.value.iter().map(String::as_str).collect::<Array>()));
    }
    if let Some(i) = &cni.pod_security_group_enforcing_mode {
        set(table, "pod_security_group_enforcing_mode", Value::from(i.value.as_str()));
    }
    if let Some(i) = &cni.network_policy_enforcement {
        set(table, "network_policy_enforcement", Value::from(i.value));
    }
    Ok(Edit { text: doc.to_string(), action: action.join(", "), notes })
}

/// Sets `key`, keeping the old value's surrounding whitespace and comment.
fn set(table: &mut Table, key: &str, mut v: Value) {
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *v.decor_mut() = old.decor().clone();
    }
    table.insert(key, Item::Value(v));
}

#[cfg(test)]
mod tests {
    use super::super::cni::Inferred;
    use super::*;

    fn cni() -> CniSettings {
        CniSettings {
            external_snat: Some(Inferred { value: true, source: "test".into() }),
            exclude_snat_cidrs: Some(Inferred { value: vec!["10.50.0.0/16".into()], source: "test".into() }),
            pod_security_group_enforcing_mode: Some(Inferred { value: "standard".into(), source: "test".into() }),
            network_policy_enforcement: None,
            notes: Vec::new(),
        }
    }

    const DEMO: &str = r#"name = "demo"
captured_at = 2026-11-20T09:00:00Z

[[cluster]]
name = "prod-east"
vpc = "vpc-04a76cc79dee28f4a"                 # prod-east 10.10.0.0/16
external_snat = false
network_policy_enforcement = true

[[cluster]]
name = "prod-west"
external_snat = true
"#;

    #[test]
    fn updates_in_place_and_keeps_the_rest() {
        let c = cni();
        let e = Entry { name: "prod-east", vpc: None, account: Some("111111111111"), region: None, cni: &c };
        let out = update(Some(DEMO), "ignored", &e).unwrap();
        let want = r#"name = "demo"
captured_at = 2026-11-20T09:00:00Z

[[cluster]]
name = "prod-east"
vpc = "vpc-04a76cc79dee28f4a"                 # prod-east 10.10.0.0/16
external_snat = true
network_policy_enforcement = true
account = "111111111111"
exclude_snat_cidrs = ["10.50.0.0/16"]
pod_security_group_enforcing_mode = "standard"

[[cluster]]
name = "prod-west"
external_snat = true
"#;
        assert_eq!(out.text, want);
        // Idempotent.
        let again = update(Some(&out.text), "ignored", &e).unwrap();
        assert_eq!(again.text, out.text);
    }

    #[test]
    fn adds_a_cluster_and_creates_a_file() {
        let c = cni();
        let e = Entry { name: "new", vpc: Some("vpc-1"), account: None, region: Some("eu-west-1"), cni: &c };
        let out = update(Some(DEMO), "ignored", &e).unwrap();
        assert!(out.text.starts_with(DEMO), "{}", out.text);
        assert!(out.text.ends_with("[[cluster]]\nname = \"new\"\nvpc = \"vpc-1\"\nregion = \"eu-west-1\"\nexternal_snat = true\nexclude_snat_cidrs = [\"10.50.0.0/16\"]\npod_security_group_enforcing_mode = \"standard\"\n"), "{}", out.text);

        let out = update(None, "snap", &e).unwrap();
        assert!(out.text.starts_with("name = \"snap\"\n"), "{}", out.text);
        assert!(out.text.contains("[[cluster]]\nname = \"new\"\n"), "{}", out.text);
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        let c = cni();
        let e = Entry { name: "x", vpc: None, account: None, region: None, cni: &c };
        assert!(update(Some("cluster = 3\n"), "s", &e).is_err());
        assert!(update(Some("name = \n"), "s", &e).is_err());
    }
}
