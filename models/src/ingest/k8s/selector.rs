//! `metav1.LabelSelector` → [`LabelSelector`], with the API server's checks.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;

use super::ObjCtx;
use crate::model::k8s::{LabelSelector, Requirement, SelectorOp};

/// Converts a selector found at `field`. Reports every invalid requirement
/// and returns `None` if there was one.
pub(super) fn convert(ctx: &mut ObjCtx, field: &str, sel: &meta::LabelSelector) -> Option<LabelSelector> {
    let mut ok = true;
    let mut match_expressions = Vec::new();
    for (i, r) in sel.match_expressions.iter().flatten().enumerate() {
        let f = format!("{field}.matchExpressions[{i}]");
        if r.key.is_empty() {
            ctx.missing(&format!("{f}.key"));
            ok = false;
            continue;
        }
        let op = match r.operator.as_str() {
            "In" => SelectorOp::In,
            "NotIn" => SelectorOp::NotIn,
            "Exists" => SelectorOp::Exists,
            "DoesNotExist" => SelectorOp::DoesNotExist,
            "" => {
                ctx.missing(&format!("{f}.operator"));
                ok = false;
                continue;
            }
            other => {
                ctx.invalid(
                    &format!("{f}.operator"),
                    format!("`{other}` is not `In`, `NotIn`, `Exists` or `DoesNotExist`"),
                );
                ok = false;
                continue;
            }
        };
        let mut values = r.values.clone().unwrap_or_default();
        let needs_values = matches!(op, SelectorOp::In | SelectorOp::NotIn);
        if needs_values && values.is_empty() {
            ctx.invalid(&format!("{f}.values"), format!("must be non-empty when `operator` is `{}`", r.operator));
            ok = false;
            continue;
        }
        if !needs_values && !values.is_empty() {
            ctx.invalid(&format!("{f}.values"), format!("must be empty when `operator` is `{}`", r.operator));
            ok = false;
            continue;
        }
        values.sort();
        values.dedup();
        match_expressions.push(Requirement { key: r.key.clone(), op, values });
    }
    ok.then(|| LabelSelector { match_labels: sel.match_labels.clone().unwrap_or_default(), match_expressions })
}
