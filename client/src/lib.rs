//! The ColliderML backend contract, client side: typed calls for every route, the token
//! lookup of the Python `colliderml` package, the price formula, and one clear message per
//! documented error status.
//!
//! The same client talks to the public service (`COLLIDERML_BACKEND`) and to the local backend
//! of `collm-backend`; the types here are also the ones that backend serves, so the two cannot
//! drift apart.

/// The contract's types, as `collm_client::contract` for callers of the client.
pub use collm_contract as contract;
pub mod embedded;
mod http;
pub mod login;
pub mod proof;
pub mod service;
pub mod token;

pub use contract::{
    Channel, Estimate, FileInfo, RequestInfo, SimulateBody, SimulateReply, Transaction, User,
};
pub use http::{Client, ClientError, WAKING_UP};
pub use service::Service;
