//! TEMPORARY STUB (lead): replaced by the Network Firewall evaluator.
use ipnet::Ipv4Net;
use netprove_models::model::nfw::Firewall;
use netprove_models::model::Network;
use std::net::Ipv4Addr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppLayer {
    Unknown,
    Tls { sni: Option<String> },
    Http { host: Option<String> },
}
#[derive(Debug, Clone)]
pub struct Connection {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    pub icmp: Option<(u8, u8)>,
    pub app: AppLayer,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfwVerdict {
    Pass,
    Drop,
    Unknown,
}
#[derive(Debug, Clone)]
pub struct NfwStep {
    pub stage: &'static str,
    pub rule: String,
    pub location: Option<String>,
    pub action: String,
    pub note: String,
}
#[derive(Debug, Clone)]
pub struct NfwDecision {
    pub verdict: NfwVerdict,
    pub steps: Vec<NfwStep>,
    pub reason: Option<String>,
    pub approximations: Vec<String>,
}
pub fn evaluate(_net: &Network, _fw: &Firewall, _conn: &Connection, _home: &[Ipv4Net]) -> NfwDecision {
    NfwDecision { verdict: NfwVerdict::Unknown, steps: vec![], reason: Some("stub".into()), approximations: vec![] }
}
