//! Firewall policies.

use std::collections::{BTreeMap, BTreeSet};

use super::{IpSetDef, RuleOrder, StatelessActions};
use crate::model::aws::{Scope, Tags};
use crate::model::Provenance;

/// A `StatelessRuleGroupReferences` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatelessGroupRef {
    pub arn: String,
    pub priority: u32,
    pub prov: Provenance,
}

/// `StatefulRuleGroupReference.Override.Action`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OverrideAction {
    /// `DROP_TO_ALERT`: the group's drops only alert (managed groups).
    DropToAlert,
    Other(String),
}

/// A `StatefulRuleGroupReferences` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatefulGroupRef {
    pub arn: String,
    /// Required under strict order, ignored otherwise.
    pub priority: Option<u32>,
    pub override_action: Option<OverrideAction>,
    pub prov: Provenance,
}

/// A `StatefulDefaultActions` entry (strict order only).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatefulDefaultAction {
    /// `aws:drop_strict`: drop every packet that matches no rule.
    DropStrict,
    /// `aws:drop_established`: drop unmatched packets of established
    /// connections (all packets for connectionless protocols).
    DropEstablished,
    DropEstablishedAppLayer,
    DropEstablishedAppLayerToServer,
    AlertStrict,
    AlertEstablished,
    AlertEstablishedAppLayer,
    AlertEstablishedAppLayerToServer,
    /// An action name this version does not know; kept so nothing is dropped.
    Other(String),
}

impl StatefulDefaultAction {
    pub fn parse(s: &str) -> Self {
        match s {
            "aws:drop_strict" => Self::DropStrict,
            "aws:drop_established" => Self::DropEstablished,
            "aws:drop_established_app_layer" => Self::DropEstablishedAppLayer,
            "aws:drop_established_app_layer_to_server" => Self::DropEstablishedAppLayerToServer,
            "aws:alert_strict" => Self::AlertStrict,
            "aws:alert_established" => Self::AlertEstablished,
            "aws:alert_established_app_layer" => Self::AlertEstablishedAppLayer,
            "aws:alert_established_app_layer_to_server" => Self::AlertEstablishedAppLayerToServer,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::DropStrict => "aws:drop_strict",
            Self::DropEstablished => "aws:drop_established",
            Self::DropEstablishedAppLayer => "aws:drop_established_app_layer",
            Self::DropEstablishedAppLayerToServer => "aws:drop_established_app_layer_to_server",
            Self::AlertStrict => "aws:alert_strict",
            Self::AlertEstablished => "aws:alert_established",
            Self::AlertEstablishedAppLayer => "aws:alert_established_app_layer",
            Self::AlertEstablishedAppLayerToServer => "aws:alert_established_app_layer_to_server",
            Self::Other(s) => s,
        }
    }

    /// True for the drop variants (alerts never affect forwarding).
    pub fn is_drop(&self) -> bool {
        matches!(
            self,
            Self::DropStrict
                | Self::DropEstablished
                | Self::DropEstablishedAppLayer
                | Self::DropEstablishedAppLayerToServer
        )
    }
}

/// `StatefulEngineOptions.StreamExceptionPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreamExceptionPolicy {
    #[default]
    Drop,
    Continue,
    Reject,
    Other(String),
}

impl StreamExceptionPolicy {
    pub fn parse(s: &str) -> Self {
        match s {
            "DROP" => Self::Drop,
            "CONTINUE" => Self::Continue,
            "REJECT" => Self::Reject,
            other => Self::Other(other.to_string()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FirewallPolicy {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub scope: Scope,
    pub description: Option<String>,
    /// Sorted by ascending priority (evaluation order).
    pub stateless_refs: Vec<StatelessGroupRef>,
    pub stateless_default_actions: StatelessActions,
    /// Applied to UDP fragments that match no stateless rule.
    pub stateless_fragment_default_actions: StatelessActions,
    /// Names of `StatelessCustomActions`.
    pub stateless_custom_actions: Vec<String>,
    /// Under strict order sorted by ascending priority; otherwise in API order
    /// (order does not matter there).
    pub stateful_refs: Vec<StatefulGroupRef>,
    pub stateful_default_actions: BTreeSet<StatefulDefaultAction>,
    pub rule_order: RuleOrder,
    pub stream_exception_policy: StreamExceptionPolicy,
    /// `PolicyVariables.RuleVariables` (in practice only `HOME_NET`).
    pub variables: BTreeMap<String, IpSetDef>,
    /// TLS inspection decrypts traffic before the stateful engine; it is not
    /// modelled (a warning says so).
    pub tls_inspection_configuration_arn: Option<String>,
    pub tags: Tags,
    pub prov: Provenance,
}
