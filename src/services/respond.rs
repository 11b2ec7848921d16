//! Answering an invitation (GRAPH-NEXT §4.1): accept, tentative or decline, with a comment
//! and, for the last two, a proposed new time. What the service would refuse is refused
//! first, without a request, from what the agenda knows of the event; what it refuses all
//! the same is told with its reason. The cache shows the new answer at once.

use crate::calendar::agenda::{AgendaEvent, EventType, Response};
use crate::graph::client::{AnswerAction, GraphClient, Target};
use crate::graph::error::GraphError;
use crate::history::agenda::CacheKey;
use crate::history::{HistoryError, Store};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRequest {
    pub action: AnswerAction,
    pub comment: Option<String>,
    /// A new time to propose (tentative and decline only).
    pub propose: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Tell the organizer (`sendResponse`).
    pub send_response: bool,
    /// Answer for the whole series, not this occurrence.
    pub series: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RespondError {
    /// Refused before anything was sent: what the service would refuse.
    #[error("{0}")]
    Refused(String),
    /// The service refused it (or failed).
    #[error("{0}")]
    Graph(GraphError),
}

/// Why the service refused, in words, for the codes it is known to send.
fn refusal_words(e: &GraphError) -> Option<&'static str> {
    let code = e.code.as_deref()?;
    if code.starts_with("ErrorCalendarIsOrganizerFor") {
        Some("you organized this meeting, and an organizer does not answer their own meeting")
    } else if code.starts_with("ErrorCalendarIsCancelledFor") {
        Some("this meeting was cancelled; it can only be declined")
    } else {
        None
    }
}

/// A proposed time as the person writes it: `START[..END]` in the words the form's Start
/// and End take (`tomorrow 10:00..10:30`, `fri 14:00`); without an end it lasts `length`.
pub fn parse_proposal(
    text: &str,
    length: chrono::Duration,
    now: &DateTime<chrono_tz::Tz>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let (s, end) = match text.split_once("..") {
        Some((s, e)) => (s, Some(e)),
        None => (text, None),
    };
    let start = crate::meeting::time::parse_start(s.trim(), now).map_err(|e| e.to_string())?;
    let end = match end {
        Some(t) => {
            crate::meeting::time::parse_end(t.trim(), &start, now).map_err(|e| e.to_string())?
        }
        None => start + length.max(chrono::Duration::minutes(1)),
    };
    Ok((start.with_timezone(&Utc), end.with_timezone(&Utc)))
}

/// Checks `req` against what the agenda knows of `event`.
pub fn check(event: &AgendaEvent, req: &AnswerRequest) -> Result<(), RespondError> {
    let refuse = |s: &str| Err(RespondError::Refused(s.to_string()));
    if event.is_organizer || event.response == Response::Organizer {
        return refuse(
            "you organized this meeting, and an organizer does not answer their own meeting",
        );
    }
    if event.cancelled && req.action != AnswerAction::Decline {
        return refuse("this meeting was cancelled; it can only be declined");
    }
    if req.propose.is_some() {
        if req.action == AnswerAction::Accept {
            return refuse("a new time is proposed with tentative or decline, not with accept");
        }
        if !event.allow_new_time_proposals {
            return refuse("the organizer does not allow new time proposals for this meeting");
        }
        if !req.send_response {
            return refuse(
                "a new time is proposed in the answer to the organizer: leave out --no-response",
            );
        }
    }
    if req.series && event.series_master_id.is_none() {
        return refuse("this meeting is not part of a series");
    }
    Ok(())
}

fn body(event: &AgendaEvent, req: &AnswerRequest) -> Value {
    // The service refused sendResponse:true where no response was requested
    // (botframework-components#1374): send false there.
    let send = req.send_response && event.response_requested;
    let mut b = json!({ "sendResponse": send });
    if let Some(c) = req.comment.as_deref().filter(|c| !c.is_empty()) {
        b["comment"] = json!(c);
    }
    if let Some((s, e)) = req.propose {
        let dtz = |t: DateTime<Utc>| json!({"dateTime": t.to_rfc3339_opts(SecondsFormat::Secs, true).trim_end_matches('Z'), "timeZone": "UTC"});
        b["proposedNewTime"] = json!({"start": dtz(s), "end": dtz(e)});
    }
    b
}

/// Sends the answer and updates the cache; the event as it now stands.
pub async fn answer(
    graph: &GraphClient,
    target: &Target,
    cache: Option<(&Store, &CacheKey)>,
    event: &AgendaEvent,
    req: &AnswerRequest,
) -> Result<AgendaEvent, RespondError> {
    check(event, req)?;
    let id = match (&event.series_master_id, req.series) {
        (Some(master), true) => master.as_str(),
        _ => event.id.as_str(),
    };
    graph
        .answer_event(target, id, req.action, &body(event, req))
        .await
        .map_err(|mut e| {
            if let Some(words) = refusal_words(&e) {
                e.message = format!("the service refused: {words}");
            }
            RespondError::Graph(e)
        })?;
    let mut now = event.clone();
    now.response = match req.action {
        AnswerAction::Accept => Response::Accepted,
        AnswerAction::Tentative => Response::TentativelyAccepted,
        AnswerAction::Decline => Response::Declined,
    };
    if let Some((store, key)) = cache {
        // The answer was given: a cache that cannot be written is only stale until the
        // next delta, which brings the service's own copy.
        if let Err(e) = remember(store, key, event, &now, req) {
            tracing::warn!("the agenda cache was not updated: {e}");
        }
    }
    Ok(now)
}

/// What the service now shows, in the cache at once: the event answered, or for an answer
/// to the series every cached occurrence of it that is not an exception (an exception
/// keeps the answer given to its own date, GRAPH-NEXT §4.1). A decline removes them.
fn remember(
    store: &Store,
    key: &CacheKey,
    event: &AgendaEvent,
    now: &AgendaEvent,
    req: &AnswerRequest,
) -> Result<(), HistoryError> {
    let touched: Vec<AgendaEvent> = match (&event.series_master_id, req.series) {
        (Some(master), true) => store
            .agenda_series(key, master)?
            .into_iter()
            .map(|c| c.event)
            .filter(|e| e.kind == EventType::Occurrence)
            .map(|mut e| {
                e.response = now.response;
                e
            })
            .collect(),
        _ => vec![now.clone()],
    };
    for e in &touched {
        if req.action == AnswerAction::Decline {
            store.agenda_remove(key, &e.id)?;
        } else {
            store.agenda_update(key, e)?;
        }
    }
    Ok(())
}
