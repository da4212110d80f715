//! Shared helpers for netprove end-to-end tests.
