use serde_json::Value;
use super::AwsBuilder;
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
pub(super) fn ingest_tgws(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _v: &Value) -> bool { false }
pub(super) fn ingest_attachments(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _k: &str, _v: &Value) -> bool { false }
pub(super) fn ingest_route_tables(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _v: &Value) -> bool { false }
pub(super) fn ingest_routes(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _r: &str, _v: &Value) -> bool { false }
pub(super) fn ingest_assocs(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _r: &str, _k: &str, _v: &Value) -> bool { false }
pub(super) fn finish(_b: &mut AwsBuilder, _d: &mut crate::ingest::Diagnostics) {}
