//! Microsoft Graph: the typed model, the error type and the HTTP client.

pub mod client;
pub mod error;
pub mod lenient;
pub mod model;
pub mod token;

pub use error::{ErrorKind, GraphError};
