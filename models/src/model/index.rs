//! Derived lookups over a [`Network`] (pure computation, no IO).

use crate::model::{Network, Warning};

#[derive(Debug, Default, Clone)]
pub struct NetworkIndex {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpOwner {}

impl NetworkIndex {
    pub fn build(_net: &Network) -> (NetworkIndex, Vec<Warning>) {
        (NetworkIndex::default(), Vec::new())
    }
}
