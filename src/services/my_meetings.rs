//! My meetings: what the service has now of a row of the history, and recording it. One
//! way for `tmeet list --refresh`, `tmeet show` and the form's My meetings (refresh, open),
//! so that a calendar meeting is read through its event everywhere: the event is what the
//! invitees hold, the meeting behind it keeps the options.

use crate::calendar::Event;
use crate::graph::client::{GraphClient, Target};
use crate::graph::error::GraphError;
use crate::history::{self, Check, Entry, HistoryError, Store};
use serde_json::Value;

/// What the service has now of a row.
#[derive(Debug, Clone)]
pub enum Now {
    /// A standalone meeting, as the service sent it (with its passcode).
    Meeting(Value),
    /// A calendar meeting: its event, and the meeting behind it when it could be read.
    Event(Box<Event>, Option<Value>),
    /// Deleted at the service (404), or a cancelled event.
    Gone,
}

/// Asks the service about `entry`. A failure is the service's or the network's: the row
/// is then left as it was.
pub async fn now(graph: &GraphClient, target: &Target, entry: &Entry) -> Result<Now, GraphError> {
    if let (history::Kind::Event, Some(event_id)) = (entry.kind, &entry.event_id) {
        return Ok(
            match crate::services::calendar::event_now(graph, target, event_id, &entry.graph_id)
                .await?
            {
                Some((event, meeting)) => Now::Event(Box::new(event), meeting),
                None => Now::Gone,
            },
        );
    }
    match graph.fetch_meeting(target, &entry.graph_id).await {
        Ok(a) => Ok(Now::Meeting(a.raw)),
        Err(e) if e.status == Some(404) => Ok(Now::Gone),
        Err(e) => Err(e),
    }
}

impl Now {
    /// Records what was found in `entry`'s row: deleted, changed elsewhere, or as it was.
    pub fn record(&self, store: &Store, entry: &Entry) -> Result<Check, HistoryError> {
        match (self, entry.kind) {
            (Now::Meeting(answer), _) => store.record_check(entry, Some(answer)),
            (Now::Event(event, meeting), _) => {
                store.record_event_check(entry, Some((event, meeting.as_ref())))
            }
            (Now::Gone, history::Kind::Event) => store.record_event_check(entry, None),
            (Now::Gone, _) => store.record_check(entry, None),
        }
    }

    /// The meeting to show, as an onlineMeeting object: a calendar meeting's subject and
    /// times are its event's, over the meeting behind it (or the history's copy of it).
    pub fn meeting(&self, entry: &Entry) -> Option<Value> {
        match self {
            Now::Meeting(v) => Some(v.clone()),
            Now::Event(event, meeting) => Some(crate::calendar::event_view(
                event,
                meeting.clone().or_else(|| entry.meeting_json.clone()),
            )),
            Now::Gone => None,
        }
    }
}

/// What a refresh found.
#[derive(Debug, Default)]
pub struct Refreshed {
    pub checked: usize,
    pub gone: usize,
    pub changed: usize,
    /// Rows that could not be checked, each with why (`ref 4: …`); they stay as they were.
    pub not_checked: Vec<String>,
}

/// Asks the service about each of `entries` and records what it has. A row that cannot be
/// asked about is skipped and said; a sign-in the service no longer takes stops the
/// refresh, since every other question would fail the same way.
pub async fn refresh<F, Fut>(
    graph: &GraphClient,
    target: &Target,
    entries: Vec<Entry>,
    mut record: F,
) -> Refreshed
where
    F: FnMut(Now, Entry) -> Fut,
    Fut: std::future::Future<Output = Result<Check, String>>,
{
    let mut out = Refreshed::default();
    for e in entries {
        let id = e.id;
        let now = match now(graph, target, &e).await {
            Ok(n) => n,
            Err(err) if err.kind == crate::graph::error::ErrorKind::Auth => {
                out.not_checked.push(err.to_string());
                break;
            }
            Err(err) => {
                out.not_checked.push(format!("ref {id}: {err}"));
                continue;
            }
        };
        match record(now, e).await {
            Ok(Check::Gone) => out.gone += 1,
            Ok(Check::Changed) => out.changed += 1,
            Ok(Check::Unchanged) => {}
            Err(why) => {
                out.not_checked.push(format!("ref {id}: {why}"));
                continue;
            }
        }
        out.checked += 1;
    }
    out
}

/// How a delete went at the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Now,
    /// It was gone already (404): what was asked for is true.
    AlreadyGone,
}

/// Deletes `entry`'s meeting at the service. A calendar meeting's event is deleted, not
/// only the meeting behind it, so that its attendees are told (GRAPH-SCHEDULING.md §3.8);
/// with `message`, it is cancelled with that message to each of them. The history is not
/// touched: [`record_deleted`] does that once the caller has said what happened.
pub async fn delete(
    graph: &GraphClient,
    target: &Target,
    entry: &Entry,
    message: Option<&str>,
) -> Result<Deleted, GraphError> {
    let done = match (entry.kind, &entry.event_id) {
        (history::Kind::Event, Some(event)) => match message {
            Some(m) => graph.cancel_event(target, event, Some(m)).await,
            None => graph.delete_event(target, event).await,
        },
        _ => graph.delete_meeting(target, &entry.graph_id).await,
    };
    match done {
        Ok(()) => Ok(Deleted::Now),
        // A mailbox Graph cannot reach answers 404 too: that event is not gone.
        Err(e) if e.status == Some(404) && !super::calendar::is_no_mailbox(&e) => {
            Ok(Deleted::AlreadyGone)
        }
        Err(e) => Err(e),
    }
}

/// The history's side of a delete: the row is marked deleted.
pub fn record_deleted(store: &Store, entry: &Entry) -> Result<(), HistoryError> {
    store.record_state(entry.id, history::State::Deleted)
}
