//! The concrete evaluator: netprove's executable semantics. Everything
//! symbolic is cross-checked against it.

pub mod endpoint;
pub mod filters;
pub mod netpol;
pub mod nfw;
pub mod obligation;
pub mod packet;
pub mod result;
pub mod walk;

pub use endpoint::{resolve, Endpoint, EndpointError};
pub use result::{Hop, TraceResult, Verdict};
pub use walk::{Evaluator, Query};
