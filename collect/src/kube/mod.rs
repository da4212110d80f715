//! Kubernetes collector (kube). Being built.
