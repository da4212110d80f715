//! Live collectors: they write a snapshot directory in the layout
//! `netprove` reads (`k8s/<cluster>/*.json` Kubernetes Lists; the AWS
//! collector, pending in `collect/pending/`, writes `aws/<account>/<region>/
//! describe-*.json` with the AWS CLI's member names), so a live collection and
//! a saved one go through the same ingestion. This crate is apart from the
//! verifier so that the heavy SDKs build on their own.

pub mod kube;
