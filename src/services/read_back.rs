//! A write whose answer does not say whether it was carried out: a 5xx, a timeout, an
//! answer that never came. The service has been seen to answer a PATCH with 500 although
//! it applied it (GRAPH-REAL.md Q15), so such a failure is not reported bare: the object
//! is read back and compared with what was asked, field by field, and the person is told
//! what actually changed. Nothing is sent again: a PATCH of an event mails its attendees.
//!
//! The online meeting's update and the calendar event's update both end here; each says
//! what its fields are and how the object read back has them.

use crate::calendar::Invitee;
use crate::calendar::event::Event;
use crate::calendar::zone::OutlookZone;
use crate::exit::{Outcome, Subject};
use crate::graph::client::{Answer, GraphClient, Target};
use crate::graph::error::{ErrorKind, GraphError};
use chrono::{DateTime, Utc};
use std::fmt;

/// What the object read back says of one field of the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// It has the value asked for.
    Applied,
    /// It has another value.
    NotApplied,
    /// The answer does not carry the field.
    Unconfirmed,
}

/// One field of the change (`subject`, `start and end`, `lobby`, `attendees` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub found: Found,
}

impl Field {
    pub fn new(name: impl Into<String>, found: Found) -> Self {
        Self {
            name: name.into(),
            found,
        }
    }

    /// Applied when `now` is what was asked, not applied otherwise.
    pub fn compare<T: PartialEq>(name: impl Into<String>, asked: &T, now: &T) -> Self {
        let found = if asked == now {
            Found::Applied
        } else {
            Found::NotApplied
        };
        Self::new(name, found)
    }
}

/// A write that failed in a way that leaves its effect unknown, and what reading the
/// object back found.
#[derive(Debug, Clone)]
pub struct AfterFailure {
    /// What the write was answered (or why no answer came).
    pub failure: GraphError,
    /// Every field of the change, as the object read back has it; empty when it could not
    /// be read.
    pub fields: Vec<Field>,
    /// Why the object could not be read back.
    pub unreadable: Option<String>,
    /// What was changed: a meeting or an event.
    pub what: &'static str,
    /// The object as read back, as the service sent it: what the history follows.
    pub now: Option<serde_json::Value>,
}

/// Whether a failed write may have been carried out: the service failed (5xx), or the
/// answer did not come back.
pub fn may_have_applied(e: &GraphError) -> bool {
    matches!(e.kind, ErrorKind::OutcomeUnknown | ErrorKind::Timeout)
        || e.status.is_some_and(|s| s >= 500)
}

impl AfterFailure {
    /// The comparison of `fields`, read back after `failure`.
    pub fn read(failure: GraphError, what: &'static str, fields: Vec<Field>) -> Self {
        Self {
            failure,
            fields,
            unreadable: None,
            what,
            now: None,
        }
    }

    /// The object could not be read back (`why`): the outcome stays unknown.
    pub fn unreadable(failure: GraphError, what: &'static str, why: impl fmt::Display) -> Self {
        Self {
            failure,
            fields: Vec::new(),
            unreadable: Some(crate::sanitize::line(&why.to_string())),
            what,
            now: None,
        }
    }

    /// What happened, as the one table of outcomes has it: every field applied is done;
    /// none applied is nothing changed; some applied and the rest known not to be is a
    /// partial change; anything left unconfirmed (or unread) may have been saved.
    pub fn outcome(&self) -> Outcome {
        let all = |f: Found| self.fields.iter().all(|x| x.found == f);
        let any = |f: Found| self.fields.iter().any(|x| x.found == f);
        if self.unreadable.is_some() || self.fields.is_empty() {
            Outcome::MayExist
        } else if all(Found::Applied) {
            Outcome::Done
        } else if all(Found::NotApplied) {
            Outcome::NothingCreated
        } else if any(Found::Unconfirmed) {
            Outcome::MayExist
        } else {
            Outcome::PartlySaved
        }
    }

    /// `saved: subject, lobby; not saved: start and end; could not confirm: recording`.
    pub fn fields_line(&self) -> String {
        let names = |f: Found| {
            self.fields
                .iter()
                .filter(|x| x.found == f)
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        [
            ("saved", Found::Applied),
            ("not saved", Found::NotApplied),
            ("could not confirm", Found::Unconfirmed),
        ]
        .iter()
        .filter_map(|(label, f)| {
            let list = names(*f);
            (!list.is_empty()).then(|| format!("{label}: {list}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
    }

    /// What the write was answered, short: `HTTP 500 UnknownError`, or the lost answer's
    /// words.
    fn answered(&self) -> String {
        let e = &self.failure;
        let mut s = match e.status {
            Some(status) => format!(
                "the service answered HTTP {status}{}",
                e.code
                    .as_deref()
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default()
            ),
            None => format!("no usable answer came back ({})", e.message),
        };
        if let Some(rid) = &e.request_id {
            s.push_str(&format!(" [request-id {rid}]"));
        } else if let Some(crid) = &e.client_request_id {
            s.push_str(&format!(" [client-request-id {crid}]"));
        }
        s
    }
}

impl fmt::Display for AfterFailure {
    /// One line, headed by the outcome's words (`crate::exit::Outcome::headline`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = self.outcome();
        let head = outcome.headline(Subject::Changes);
        let what = self.what;
        let answered = self.answered();
        match (outcome, &self.unreadable) {
            (Outcome::MayExist, Some(why)) => write!(
                f,
                "{head}: {answered}, and reading the {what} back failed ({why}); look at the \
                 {what} before trying again"
            ),
            (Outcome::MayExist, None) => write!(
                f,
                "{head}: {answered}; reading the {what} back: {}; look at the {what} before \
                 trying again",
                self.fields_line()
            ),
            (Outcome::Done, _) => write!(
                f,
                "{answered}, but reading the {what} back shows every change was saved ({})",
                self.fields_line()
            ),
            _ => write!(
                f,
                "{head}: {answered}; reading the {what} back: {}",
                self.fields_line()
            ),
        }
    }
}

/// What a PATCH of an event asked for, field by field.
#[derive(Debug, Clone, Copy)]
pub struct EventAsked<'a> {
    pub subject: Option<&'a str>,
    pub times: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The whole list, when the invitees were changed.
    pub invitees: Option<&'a [Invitee]>,
}

/// After a PATCH of an event failed in a way that may have been applied (`failure`): the
/// event is read back, and when it shows every change the update goes on as done with it
/// (a warning says what was answered); otherwise the failure says what changed. The PATCH
/// is never sent again: it would mail the attendees a second time.
pub async fn event_patch(
    client: &GraphClient,
    target: &Target,
    event_id: &str,
    asked: &EventAsked<'_>,
    failure: GraphError,
    warnings: &mut Vec<String>,
) -> Result<(Answer, OutlookZone), AfterFailure> {
    let utc = OutlookZone::utc();
    let read = client.get_event(target, event_id, None, utc.name()).await;
    let after = match read.as_ref().map(|a| Event::from_graph(&a.value)) {
        Ok(Some(now)) => AfterFailure {
            now: read.as_ref().ok().map(|a| a.value.clone()),
            ..AfterFailure::read(failure, "event", event_applied(asked, &now))
        },
        Ok(None) => AfterFailure::unreadable(failure, "event", "the answer is not an event"),
        Err(why) => AfterFailure::unreadable(failure, "event", why),
    };
    match (after.outcome(), read) {
        (Outcome::Done, Ok(answer)) => {
            warnings.push(after.to_string());
            Ok((answer, utc))
        }
        _ => Err(after),
    }
}

/// Each field of an event's change as the event read back has it: the subject, the times
/// (to the second) and the invitees (the same people, each required or optional as asked).
fn event_applied(asked: &EventAsked<'_>, now: &Event) -> Vec<Field> {
    let mut out = Vec::new();
    if let Some(s) = asked.subject {
        out.push(Field::compare("subject", &Some(s), &now.subject.as_deref()));
    }
    if let Some((start, end)) = &asked.times {
        let wanted = (Some(start.timestamp()), Some(end.timestamp()));
        let has = (
            now.start.map(|t| t.timestamp()),
            now.end.map(|t| t.timestamp()),
        );
        out.push(Field::compare("start and end", &wanted, &has));
    }
    if let Some(list) = asked.invitees {
        let people = |l: &[Invitee]| {
            let mut p: Vec<(String, &str)> = l
                .iter()
                .map(|i| (i.address.to_lowercase(), i.kind.graph()))
                .collect();
            p.sort();
            p
        };
        out.push(Field::compare(
            "invitees",
            &people(list),
            &people(&now.invitees),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed_500() -> GraphError {
        let body =
            br#"{"error":{"code":"UnknownError","message":"","innerError":{"request-id":"r-1"}}}"#;
        GraphError::from_response(500, body, None, None)
    }

    fn after(fields: &[(&str, Found)]) -> AfterFailure {
        AfterFailure::read(
            failed_500(),
            "meeting",
            fields.iter().map(|(n, f)| Field::new(*n, *f)).collect(),
        )
    }

    #[test]
    fn each_reading_has_its_outcome_and_words() {
        use Found::*;
        let all = after(&[("subject", Applied), ("lobby", Applied)]);
        assert_eq!(all.outcome(), Outcome::Done);
        assert_eq!(
            all.to_string(),
            "the service answered HTTP 500 UnknownError [request-id r-1], but reading the \
             meeting back shows every change was saved (saved: subject, lobby)"
        );
        let none = after(&[("subject", NotApplied)]);
        assert_eq!(none.outcome(), Outcome::NothingCreated);
        assert!(none.to_string().starts_with("nothing was changed: "));
        let some = after(&[("subject", Applied), ("start and end", NotApplied)]);
        assert_eq!(some.outcome(), Outcome::PartlySaved);
        assert!(
            some.to_string()
                .ends_with("saved: subject; not saved: start and end")
        );
        let unsure = after(&[("subject", NotApplied), ("recording", Unconfirmed)]);
        assert_eq!(unsure.outcome(), Outcome::MayExist);
        let unread = AfterFailure::unreadable(failed_500(), "event", "HTTP 503");
        assert_eq!(unread.outcome(), Outcome::MayExist);
        assert!(unread.to_string().contains("may have been saved"));
        assert!(
            unread
                .to_string()
                .contains("reading the event back failed (HTTP 503)")
        );
    }

    #[test]
    fn only_failures_that_leave_the_outcome_open_are_read_back() {
        assert!(may_have_applied(&failed_500()));
        let refused = GraphError::from_response(400, b"{}", None, None);
        assert!(!may_have_applied(&refused));
        assert!(may_have_applied(&GraphError::new(
            ErrorKind::Timeout,
            "Graph did not answer in time"
        )));
    }
}
