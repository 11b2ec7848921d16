//! Plain data the screens show, built once from what the service answered. Everything in
//! here has already been through `sanitize`, so rendering never sees raw server text.

use crate::graph::GraphError;
use crate::graph::error::ErrorKind;
use crate::sanitize;

pub use crate::meeting::presentation::{CalendarFile, CopyItem};

/// The result pane shows a [`MeetingCard`](crate::meeting::presentation::MeetingCard): the
/// same presentation `create` prints, so the two cannot disagree.
pub type ResultView = crate::meeting::presentation::MeetingCard;

fn clean(s: Option<&str>) -> Option<String> {
    s.map(sanitize::line)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A failed create, as the form shows it under the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    pub title: String,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub hint: Option<String>,
    /// The request may have reached the service: creating again could duplicate it.
    pub maybe_created: bool,
}

impl ErrorView {
    pub fn from_graph(e: &GraphError) -> Self {
        let maybe_created = e.kind == ErrorKind::OutcomeUnknown;
        let title = match e.kind {
            ErrorKind::OutcomeUnknown => "Outcome unknown: the meeting MAY have been created",
            ErrorKind::RetriesExhausted => "The service kept refusing (throttled or unavailable)",
            ErrorKind::Connect => "Could not reach Microsoft Graph",
            ErrorKind::Timeout => "The request timed out",
            ErrorKind::Auth => "Not signed in",
            ErrorKind::InvalidResponse => "The service's answer could not be read",
            ErrorKind::Refused => "Refused before sending",
            ErrorKind::Service => "The meeting was not created",
        };
        Self {
            title: title.into(),
            status: e.status,
            code: clean(e.code.as_deref()),
            message: sanitize::line(&e.message),
            request_id: clean(e.request_id.as_deref()),
            client_request_id: clean(e.client_request_id.as_deref()),
            hint: e.hint().map(str::to_string),
            maybe_created,
        }
    }

    /// A failure outside Graph (sign-in, the worker gone): just a message and what to do.
    pub fn other(title: &str, message: &str, hint: Option<&str>) -> Self {
        Self {
            title: title.into(),
            status: None,
            code: None,
            message: sanitize::line(message),
            request_id: None,
            client_request_id: None,
            hint: hint.map(str::to_string),
            maybe_created: false,
        }
    }
}
