use serde_json::Value;
use super::AwsBuilder;
use crate::ingest::FileCtx;
pub(super) fn ingest(_b: &mut AwsBuilder, _ctx: &mut FileCtx, _v: &Value) -> bool { false }
