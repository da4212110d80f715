use super::Labels;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum SelectorOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Requirement {
    pub key: String,
    pub op: SelectorOp,
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        match self.op {
            SelectorOp::In => labels.get(&self.key).is_some_and(|v| self.values.contains(v)),
            SelectorOp::NotIn => labels.get(&self.key).is_none_or(|v| !self.values.contains(v)),
            SelectorOp::Exists => labels.contains_key(&self.key),
            SelectorOp::DoesNotExist => !labels.contains_key(&self.key),
        }
    }
}

/// A Kubernetes label selector: `matchLabels` AND every `matchExpressions`
/// requirement. The empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// Matches against an object of which only the labels in `known` are
    /// certain (the object may carry others): `None` when the answer depends
    /// on a label outside `known`.
    pub fn matches_known(&self, known: &Labels) -> Option<bool> {
        let mut undecided = false;
        for (k, v) in &self.match_labels {
            match known.get(k) {
                Some(have) if have != v => return Some(false),
                Some(_) => {}
                None => undecided = true,
            }
        }
        for r in &self.match_expressions {
            if known.contains_key(&r.key) {
                if !r.matches(known) {
                    return Some(false);
                }
            } else {
                undecided = true;
            }
        }
        (!undecided).then_some(true)
    }
}

impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_empty() {
            return write!(f, "{{}}");
        }
        let mut parts: Vec<String> = self.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for r in &self.match_expressions {
            parts.push(match r.op {
                SelectorOp::In => format!("{} in ({})", r.key, r.values.join(",")),
                SelectorOp::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                SelectorOp::Exists => r.key.clone(),
                SelectorOp::DoesNotExist => format!("!{}", r.key),
            });
        }
        write!(f, "{}", parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(kv: &[(&str, &str)]) -> Labels {
        kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn set_based_operators() {
        let l = labels(&[("app", "web"), ("tier", "fe")]);
        let req = |key: &str, op, values: &[&str]| Requirement {
            key: key.into(),
            op,
            values: values.iter().map(|s| s.to_string()).collect(),
        };
        assert!(req("app", SelectorOp::In, &["web", "api"]).matches(&l));
        assert!(!req("app", SelectorOp::NotIn, &["web"]).matches(&l));
        assert!(req("env", SelectorOp::NotIn, &["prod"]).matches(&l), "NotIn matches a missing key");
        assert!(req("tier", SelectorOp::Exists, &[]).matches(&l));
        assert!(req("env", SelectorOp::DoesNotExist, &[]).matches(&l));
        assert!(LabelSelector::default().matches(&l));
    }

    #[test]
    fn partial_knowledge() {
        let known = labels(&[("kubernetes.io/metadata.name", "ghost")]);
        let sel = |ml: &[(&str, &str)], ex: Vec<Requirement>| LabelSelector {
            match_labels: labels(ml),
            match_expressions: ex,
        };
        assert_eq!(sel(&[], vec![]).matches_known(&known), Some(true));
        assert_eq!(sel(&[("kubernetes.io/metadata.name", "ghost")], vec![]).matches_known(&known), Some(true));
        assert_eq!(sel(&[("team", "blue")], vec![]).matches_known(&known), None);
        assert_eq!(
            sel(&[("kubernetes.io/metadata.name", "blue"), ("team", "blue")], vec![]).matches_known(&known),
            Some(false),
            "a known label that fails decides, whatever the others are"
        );
        let not_in = Requirement { key: "env".into(), op: SelectorOp::NotIn, values: vec!["prod".into()] };
        assert_eq!(sel(&[], vec![not_in]).matches_known(&known), None, "NotIn on an unknown key is undecided");
        let name_in =
            Requirement { key: "kubernetes.io/metadata.name".into(), op: SelectorOp::NotIn, values: vec!["y".into()] };
        assert_eq!(sel(&[], vec![name_in]).matches_known(&known), Some(true));
    }
}
