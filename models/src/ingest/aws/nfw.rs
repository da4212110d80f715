//! Network Firewall responses → model (placeholder).

use serde_json::{Map, Value};

use super::AwsBuilder;
use crate::ingest::{Diagnostics, FileCtx};
use crate::model::aws::Scope;

#[derive(Default)]
pub struct NfwPending {}

pub(super) fn ingest(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _key: &str, _obj: &Map<String, Value>) -> bool {
    true
}

pub(super) fn finish(_b: &mut AwsBuilder, _diags: &mut Diagnostics) {}
