use serde_json::{Map, Value};
use super::AwsBuilder;
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
pub struct PendingEntries;
pub(super) fn ingest(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _k: &str, _v: &Value) -> bool { false }
pub(super) fn ingest_entries(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _o: &Map<String, Value>, _v: &Value) -> bool { false }
pub(super) fn finish(_b: &mut AwsBuilder, _d: &mut crate::ingest::Diagnostics) {}
