//! The domain: what a meeting request is, how times are read, and how the service's
//! answer is turned into things a person can share.

pub mod attendees;
pub mod invitation;
pub mod options;
pub mod presentation;
pub(crate) mod request;
pub(crate) mod share;
pub mod time;

pub use crate::language::Language;
pub use request::{MeetingRequest, RequestError};
