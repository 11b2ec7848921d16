//! Every way a Graph call can fail, as one type that carries what a person needs to act on
//! it or report it: HTTP status, Graph code, message, request-id, client-request-id, date.

use super::model::{ErrorEnvelope, InnerError};
use crate::sanitize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The service answered with an error status.
    Service,
    /// 429/503 still failing after the retry budget was spent.
    RetriesExhausted,
    /// The service answered 2xx but the body was not the expected JSON.
    InvalidResponse,
    /// The request never reached the service (DNS, refused connection, TLS, connect timeout).
    Connect,
    /// A POST was sent but its answer never came back, or came back unreadable: the
    /// meeting may exist.
    OutcomeUnknown,
    /// A GET/PATCH/DELETE ran out of time.
    Timeout,
    /// No usable token could be had (sign-in needed, refresh refused, …).
    Auth,
    /// Refused by tmeet before anything was sent (e.g. `/me` with app-only credentials).
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    /// The call was made with app-only credentials, which changes what a 403 means.
    pub app_only: bool,
    /// `@event.existingEventId` of an `ErrorDuplicateTransactionId` answer: the event a
    /// transaction id already made (GRAPH-SCHEDULING.md §3.4). Kept as sent: it is an id.
    pub existing_event_id: Option<String>,
}

impl GraphError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            code: None,
            message: sanitize::line(&message.into()),
            request_id: None,
            client_request_id: None,
            date: None,
            app_only: false,
            existing_event_id: None,
        }
    }

    /// Builds the error for a non-success response. The body may be anything: JSON in
    /// Graph's envelope, HTML from a proxy, or truncated.
    pub fn from_response(
        status: u16,
        body: &[u8],
        request_id: Option<String>,
        client_request_id: Option<String>,
    ) -> Self {
        let mut err = GraphError::new(ErrorKind::Service, "");
        err.status = Some(status);
        err.request_id = request_id.map(|s| sanitize::line(&s));
        err.client_request_id = client_request_id;
        match serde_json::from_slice::<ErrorEnvelope>(body) {
            Ok(env) => {
                err.code = env.error.code.map(|c| sanitize::line(&c));
                err.message = sanitize::line(env.error.message.as_deref().unwrap_or(""));
                if let Some(inner) = env.error.inner_error.as_deref() {
                    let (date, rid, crid) = inner_ids(inner);
                    err.date = date.map(|s| sanitize::line(&s));
                    if err.request_id.is_none() {
                        err.request_id = rid.map(|s| sanitize::line(&s));
                    }
                    if err.client_request_id.is_none() {
                        err.client_request_id = crid.map(|s| sanitize::line(&s));
                    }
                }
            }
            Err(_) => {
                let text = String::from_utf8_lossy(body);
                let snippet: String = sanitize::line(text.trim()).chars().take(200).collect();
                err.message = if snippet.is_empty() {
                    "the response had no error body".into()
                } else {
                    format!("the response was not a Graph error body: {snippet}")
                };
            }
        }
        if err.message.is_empty() {
            err.message = "no message".into();
        }
        err.existing_event_id = existing_event_id(body);
        err
    }

    /// Case-insensitive code comparison: this API mixes `forbidden` and `Forbidden`.
    pub fn code_is(&self, code: &str) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(code))
    }

    /// What to do next, where tmeet knows (GRAPH.md §5, §8), unless the message already
    /// says it: a hint that repeats its message only makes the line longer.
    pub fn hint(&self) -> Option<&'static str> {
        let (hint, said_by) = self.advice()?;
        let message = self.message.to_lowercase();
        (!said_by.iter().any(|p| message.contains(p))).then_some(hint)
    }

    /// The hint, and the phrases that mean the message has given it already.
    fn advice(&self) -> Option<(&'static str, &'static [&'static str])> {
        let hint = match (self.kind, self.status) {
            (ErrorKind::OutcomeUnknown, _) => {
                return Some((
                    "the meeting may have been created; it was not retried to avoid a \
                     duplicate. Look it up before creating another",
                    &["may have been created", "may exist"],
                ));
            }
            (ErrorKind::Auth, _) | (_, Some(401)) => {
                return Some(("sign in again: tmeet login", &["tmeet login"]));
            }
            (_, Some(403)) if self.app_only => Some(
                "app-only calls need an application access policy granted to the user \
                 (New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy); it takes up to 30 minutes to apply",
            ),
            (_, Some(403)) if self.code_is("AuthenticationError") => Some(
                "personal Microsoft accounts cannot create online meetings; sign in with a work or school account",
            ),
            (_, Some(403)) => Some(
                "the account needs a Teams licence and a mailbox, and guests cannot create meetings",
            ),
            (_, Some(429)) | (ErrorKind::RetriesExhausted, _) => {
                Some("the service is throttling or unavailable; wait a minute and try again")
            }
            (ErrorKind::Connect, _) => {
                Some("check the network and the --cloud, --graph-url and --login-url settings")
            }
            _ => None,
        };
        hint.map(|h| (h, &[][..]))
    }
}

fn inner_ids(inner: &InnerError) -> (Option<String>, Option<String>, Option<String>) {
    let mut date = inner.date.clone();
    let mut rid = inner.request_id.clone();
    let mut crid = inner.client_request_id.clone();
    if let Some(deeper) = inner.inner_error.as_deref() {
        let (d, r, c) = inner_ids(deeper);
        date = date.or(d);
        rid = rid.or(r);
        crid = crid.or(c);
    }
    (date, rid, crid)
}

impl fmt::Display for GraphError {
    /// One line, as `create` prints it on stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "HTTP {status}")?;
            if let Some(code) = &self.code {
                write!(f, " {code}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = self.hint() {
            write!(f, " (hint: {hint})")?;
        }
        if let Some(rid) = &self.request_id {
            write!(f, " [request-id {rid}]")?;
        }
        if let Some(crid) = &self.client_request_id {
            write!(f, " [client-request-id {crid}]")?;
        }
        if let Some(date) = &self.date {
            write!(f, " [{date}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

/// `@event.existingEventId`, in the error object or beside it; only an id-like value.
fn existing_event_id(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let pick = |o: &serde_json::Value| {
        o.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("@event.existingEventId"))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string)
    };
    pick(&v)
        .or_else(|| pick(v.get("error")?))
        .filter(|id| !id.is_empty() && id.len() < 1024 && !id.chars().any(char::is_control))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "the meeting may have been created (hint: the meeting may have been created; …)"
    /// and "…; sign in with: tmeet login (hint: sign in again: tmeet login)": the hint is
    /// left out where the message gives it already, and kept where it adds something.
    #[test]
    fn a_hint_never_repeats_its_message() {
        let lost = GraphError::new(
            ErrorKind::OutcomeUnknown,
            "the request was sent but no answer came back (connection lost); the meeting may \
             have been created",
        );
        assert_eq!(lost.hint(), None);
        assert_eq!(lost.to_string().matches("may have been created").count(), 1);
        let unreadable = GraphError::new(
            ErrorKind::OutcomeUnknown,
            "the answer is not a usable onlineMeeting: x; the meeting may exist",
        );
        assert_eq!(unreadable.hint(), None);
        let signed_out =
            GraphError::new(ErrorKind::Auth, "not signed in; sign in with: tmeet login");
        assert_eq!(signed_out.to_string().matches("tmeet login").count(), 1);
        // A message that does not say it still gets the hint.
        let bare = GraphError::new(ErrorKind::OutcomeUnknown, "timed out");
        assert!(
            bare.to_string()
                .contains("(hint: the meeting may have been created")
        );
        let mut refused = GraphError::new(ErrorKind::Service, "Forbidden");
        refused.status = Some(401);
        assert!(
            refused
                .to_string()
                .contains("(hint: sign in again: tmeet login)")
        );
    }

    #[test]
    fn parses_envelope_and_sanitizes() {
        let body = br#"{"error":{"code":"Forbidden","message":"No application access policy found for this app.\u001b[2J","innerError":{"date":"2024-02-20T23:12:03","request-id":"rid","client-request-id":"cid"}}}"#;
        let mut e = GraphError::from_response(403, body, None, None);
        e.app_only = true;
        assert!(e.code_is("forbidden"));
        assert_eq!(e.request_id.as_deref(), Some("rid"));
        let line = e.to_string();
        assert!(!line.contains('\u{1b}'));
        assert!(line.contains("access policy"), "{line}");
        assert!(line.contains("request-id rid"));
    }

    #[test]
    fn non_json_body_is_reported_not_panicked() {
        let e = GraphError::from_response(502, b"<html>Bad gateway</html>", Some("h".into()), None);
        assert_eq!(e.status, Some(502));
        assert!(e.message.contains("not a Graph error body"));
        let e = GraphError::from_response(500, b"", None, None);
        assert!(e.message.contains("no error body"));
        let e = GraphError::from_response(500, br#"{"error":{"code":"x","mess"#, None, None);
        assert!(e.message.contains("not a Graph error body"));
    }
}
