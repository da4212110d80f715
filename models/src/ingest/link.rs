//! Cross-resource checks after every file is read: dangling references.

use crate::ingest::Diagnostics;
use crate::model::Network;

pub fn link(_net: &mut Network, _diags: &mut Diagnostics) {}
