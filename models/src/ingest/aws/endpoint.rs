use serde_json::Value;
use super::AwsBuilder;
use crate::ingest::FileCtx;
use crate::model::aws::Scope;
pub(super) fn ingest(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _scope: &Scope, _v: &Value) -> bool { false }
