//! Live collectors: they write a snapshot directory in the layout
//! `netprove` reads (`aws/<account>/<region>/describe-*.json` with the AWS
//! CLI's JSON member names, `k8s/<cluster>/*.json` Kubernetes Lists), so a
//! live collection and a saved one go through the same ingestion. This crate
//! is apart from the verifier so that the heavy AWS SDK builds on its own.

pub mod aws;
pub mod kube;
