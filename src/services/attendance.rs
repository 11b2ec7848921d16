//! Who attended a meeting one organized (GRAPH-NEXT §7.1): the online meeting behind it
//! (by its id, or found by its join link), its attendance reports (one per session, none
//! before it ends) and each report's records.

use crate::graph::client::{GraphClient, Target};
use crate::graph::error::GraphError;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub join: Option<DateTime<Utc>>,
    pub leave: Option<DateTime<Utc>>,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub name: String,
    pub email: Option<String>,
    /// `Organizer`, `Presenter`, `Attendee` or `None`, as the service writes it.
    pub role: String,
    pub seconds: i64,
    pub intervals: Vec<Interval>,
}

/// One session of the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub participants: usize,
    pub attendees: Vec<Attendee>,
}

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    /// The meeting has no Teams link to find it by.
    #[error("this meeting has no Teams link, so it has no attendance")]
    NoMeeting,
    #[error("only the organizer can read who attended, and this is not a meeting you organized")]
    NotOrganizer,
    #[error("{0}")]
    Graph(#[from] GraphError),
}

/// Which meeting: its online meeting id, or its join link.
pub enum Which<'a> {
    Id(&'a str),
    JoinUrl(&'a str),
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireReport {
    id: Option<String>,
    meeting_start_date_time: Option<String>,
    meeting_end_date_time: Option<String>,
    total_participant_count: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireRecord {
    email_address: Option<String>,
    role: Option<String>,
    total_attendance_in_seconds: Option<i64>,
    identity: Option<WireIdentity>,
    attendance_intervals: Option<Vec<WireInterval>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireIdentity {
    display_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireInterval {
    join_date_time: Option<String>,
    leave_date_time: Option<String>,
    duration_in_seconds: Option<i64>,
}

fn time(s: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn read<T: serde::de::DeserializeOwned + Default>(v: &Value) -> T {
    crate::graph::lenient::read(v)
        .map(|(t, _)| t)
        .unwrap_or_default()
}

fn attendee(v: &Value) -> Attendee {
    let r: WireRecord = read(v);
    let intervals: Vec<Interval> = r
        .attendance_intervals
        .unwrap_or_default()
        .into_iter()
        .map(|i| Interval {
            join: time(i.join_date_time.as_deref()),
            leave: time(i.leave_date_time.as_deref()),
            seconds: i.duration_in_seconds.unwrap_or(0).max(0),
        })
        .collect();
    let seconds = r
        .total_attendance_in_seconds
        .unwrap_or_else(|| intervals.iter().map(|i| i.seconds).sum());
    let email = r.email_address.filter(|e| !e.is_empty());
    Attendee {
        name: r
            .identity
            .and_then(|i| i.display_name)
            .filter(|n| !n.is_empty())
            .or_else(|| email.clone())
            .unwrap_or_else(|| "(unknown)".into()),
        email,
        role: r.role.unwrap_or_else(|| "None".into()),
        seconds,
        intervals,
    }
}

/// The sessions of the meeting, the newest last; empty when none has ended yet.
pub async fn attendance(
    graph: &GraphClient,
    target: &Target,
    which: Which<'_>,
) -> Result<Vec<Session>, AttendanceError> {
    let id = match which {
        Which::Id(id) => id.to_string(),
        Which::JoinUrl(url) => graph
            .find_by_join_url(target, url)
            .await?
            .and_then(|m| m.id)
            .ok_or(AttendanceError::NotOrganizer)?,
    };
    let forbidden = |e: GraphError| {
        if matches!(e.status, Some(403) | Some(404)) && !e.app_only {
            AttendanceError::NotOrganizer
        } else {
            AttendanceError::Graph(e)
        }
    };
    let reports = graph
        .attendance_reports(target, &id)
        .await
        .map_err(forbidden)?;
    let mut sessions = Vec::new();
    for r in &reports {
        let w: WireReport = read(r);
        let Some(rid) = w.id else { continue };
        let records = graph
            .attendance_records(target, &id, &rid)
            .await
            .map_err(AttendanceError::Graph)?;
        let attendees: Vec<Attendee> = records.iter().map(attendee).collect();
        sessions.push(Session {
            participants: w
                .total_participant_count
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(attendees.len()),
            id: rid,
            start: time(w.meeting_start_date_time.as_deref()),
            end: time(w.meeting_end_date_time.as_deref()),
            attendees,
        });
    }
    sessions.sort_by_key(|s| s.start);
    Ok(sessions)
}
