//! The calendar-mode flows the CLI and the form share: create an event that is a Teams
//! meeting exactly once, check that it really got a Teams link, set the meeting options
//! on the meeting behind it; free/busy, suggestions, people search and cancel.

use super::Feature;
use super::availability::{self, FreeBusy, MAX_SCHEDULES};
use super::event::{Event, EventRequest};
use super::people::{self, PersonMatch, Source};
use super::suggestions::{self, Suggestions};
use super::zone::OutlookZone;
use crate::graph::client::{Answer, GraphClient, Target, Wait};
use crate::graph::error::{ErrorKind, GraphError};
use crate::schedule::{Change, Scheduled};
use chrono::{DateTime, Duration, Utc};
use std::fmt;

/// How often a POST whose answer was lost is sent again. Safe: the same transaction id
/// and body give the event the first POST made (§3.4).
const LOST_ANSWER_RETRIES: usize = 2;
/// The wait before reading an event again that came without a Teams link (§3.6).
const RECHECK_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// Why a calendar operation did not happen, or not completely.
#[derive(Debug)]
pub enum CalendarError {
    /// Refused before anything was sent.
    Refused(String),
    /// The sign-in lacks the permission `feature` needs; nothing was sent or changed.
    Consent(Feature),
    Graph(GraphError),
    /// The event exists (and its invitations went out), but without a Teams meeting: the
    /// silent downgrade of §3.6. `created` is the event as it stands (no meeting behind
    /// it), so that it can be named, recorded and cancelled; `allowed` is the calendar's
    /// `allowedOnlineMeetingProviders`, when it could be read.
    NoTeamsLink {
        created: Box<CreatedEvent>,
        allowed: Option<Vec<String>>,
    },
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::Refused(s) => f.write_str(s),
            CalendarError::Consent(feature) => f.write_str(&feature.consent_message()),
            CalendarError::Graph(e) => e.fmt(f),
            CalendarError::NoTeamsLink { created, allowed } => write!(
                f,
                "the event was created on your calendar (and its invitations sent), but {}",
                no_link_why(created, allowed.as_deref())
            ),
        }
    }
}

/// Why an event has no Teams link and what can be done about it, as the service tells it.
pub fn no_link_why(created: &CreatedEvent, allowed: Option<&[String]>) -> String {
    format!(
        "the service gave it no Teams meeting (online meeting provider: {}); {}",
        created
            .event
            .provider
            .as_deref()
            .map(crate::sanitize::line)
            .unwrap_or_else(|| "none".into()),
        no_link_advice(allowed)
    )
}

/// What can be done about an event without a Teams link. The same transaction id would
/// only return the same event, and a link cannot be added to it afterwards with any
/// documented request (§3.6 says: keep it, offer to delete it), so the way forward is to
/// cancel it and, where the calendar allows Teams, create it anew.
fn no_link_advice(allowed: Option<&[String]>) -> String {
    let teams =
        allowed.is_some_and(|l| l.iter().any(|p| p.eq_ignore_ascii_case("teamsForBusiness")));
    match allowed {
        Some(_) if teams => "your calendar allows Teams meetings (teamsForBusiness), so \
                             cancelling it and creating it again may give one"
            .into(),
        Some([]) => "your calendar allows no online meetings: ask your administrator to \
                     allow Teams meetings for your mailbox"
            .into(),
        Some(list) => format!(
            "your calendar allows only {}: ask your administrator to allow Teams meetings \
             for your mailbox",
            list.iter()
                .map(|p| crate::sanitize::line(p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "check with your administrator that your mailbox may have Teams meetings".into(),
    }
}

impl From<GraphError> for CalendarError {
    fn from(e: GraphError) -> Self {
        CalendarError::Graph(e)
    }
}

impl CalendarError {
    /// A 403, or a refresh refused for want of consent, means the permission is missing.
    fn from_graph(e: GraphError, feature: Feature) -> Self {
        let consent = e.status == Some(403)
            || (e.kind == ErrorKind::Auth
                && (e.message.contains("65001") || e.message.contains("consent_required")));
        if consent && !e.app_only {
            CalendarError::Consent(feature)
        } else {
            CalendarError::Graph(e)
        }
    }
}

/// A created calendar meeting and everything around it.
#[derive(Debug, Clone)]
pub struct CreatedEvent {
    pub event: Event,
    /// The event as the service sent it (what `--json` prints).
    pub answer: Answer,
    /// The online meeting behind the event, found by its join link, with the options
    /// applied and compared; None when it could not be read (see `warnings`).
    pub meeting: Option<Scheduled>,
    /// How many people the invitation went to.
    pub invited: usize,
    /// The transaction id had made this event before: a retry found it (§3.4).
    pub existed: bool,
    pub warnings: Vec<String>,
}

impl CreatedEvent {
    /// The meeting behind the event, or, when it could not be read, the event's own
    /// account of it (join link, times, conference id).
    pub fn online_meeting(&self) -> crate::graph::model::OnlineMeeting {
        match &self.meeting {
            Some(m) => m.created.meeting.clone(),
            None => self.event.as_meeting(),
        }
    }
}

/// POST the event (once, whatever is retried) → make sure it has a Teams link → find the
/// meeting behind it → set the options there (never times, subject or people: the event
/// would not follow, §3.7).
pub async fn create_event(
    client: &GraphClient,
    target: &Target,
    req: &EventRequest,
    zone: &OutlookZone,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<CreatedEvent, CalendarError> {
    let language = req.meeting.language().map(|l| l.as_str().to_string());
    let (answer, existed, mut warnings, used_zone) =
        post_once(client, target, req, zone, language.as_deref(), on_wait).await?;
    let mut event = Event::from_graph(&answer.value).ok_or_else(|| {
        let mut e = GraphError::new(
            ErrorKind::OutcomeUnknown,
            format!(
                "the answer to the event create is not an event with an id; the event was \
                 probably created (transaction id {}): look in your calendar before creating it again",
                req.transaction_id
            ),
        );
        e.request_id = answer.request_id.clone();
        e.client_request_id = Some(answer.client_request_id.clone());
        CalendarError::Graph(e)
    })?;
    if event
        .transaction_id
        .as_deref()
        .is_some_and(|t| t != req.transaction_id)
    {
        warnings.push("the service answered with another transaction id than the one sent".into());
    }
    let mut answer = answer;
    if !event.has_teams_link() {
        // §3.6: read once more after a moment before calling it a downgrade.
        tokio::time::sleep(RECHECK_DELAY).await;
        if let Ok(again) = client
            .get_event(target, &event.id, None, used_zone.name())
            .await
            && let Some(fresh) = Event::from_graph(&again.value)
        {
            event = fresh;
            answer = again;
        }
    }
    let invited = if event.attendees.is_empty() {
        req.invitees.len()
    } else {
        event.attendees.len()
    };
    if !event.has_teams_link() {
        let allowed = client.get_calendar(target).await.ok().map(|c| {
            c.value
                .as_object()
                .and_then(|o| {
                    o.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("allowedOnlineMeetingProviders"))
                })
                .and_then(|(_, v)| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        });
        let created = CreatedEvent {
            event,
            answer,
            meeting: None,
            invited,
            existed,
            warnings,
        };
        return Err(CalendarError::NoTeamsLink {
            created: Box::new(created),
            allowed,
        });
    }
    let meeting = match the_meeting(client, target, &event, req).await {
        Ok(m) => Some(m),
        Err(why) => {
            warnings.push(why);
            None
        }
    };
    if let Some(w) = meeting.as_ref().and_then(|m| m.warning.clone()) {
        warnings.push(w);
    }
    Ok(CreatedEvent {
        event,
        answer,
        meeting,
        invited,
        existed,
        warnings,
    })
}

/// One event, whatever happens on the way: a lost or unreadable answer is sent again with
/// the same transaction id; a zone the service refuses is sent again as its Windows name,
/// then as UTC (§8.6); a duplicate transaction id is the event it made.
async fn post_once(
    client: &GraphClient,
    target: &Target,
    req: &EventRequest,
    zone: &OutlookZone,
    language: Option<&str>,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<(Answer, bool, Vec<String>, OutlookZone), CalendarError> {
    let mut zones = vec![zone.clone()];
    zones.extend(zone.windows());
    if zone.name() != "UTC" {
        zones.push(OutlookZone::utc());
    }
    let mut warnings = Vec::new();
    let mut lost = 0;
    let mut z = 0;
    loop {
        let zone = &zones[z];
        let body = req.to_graph_body(zone);
        match client
            .post_event(target, &body, zone.name(), language, on_wait)
            .await
        {
            Ok(a) => return Ok((a, false, warnings, zone.clone())),
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::OutcomeUnknown | ErrorKind::InvalidResponse
                ) && lost < LOST_ANSWER_RETRIES =>
            {
                lost += 1;
                tracing::info!(
                    attempt = lost,
                    "event create: answer lost; sending again with the same transaction id"
                );
            }
            Err(e) if e.code_is("TimeZoneNotSupportedException") && z + 1 < zones.len() => {
                warnings.push(format!(
                    "the service does not take the time zone {}; the times were sent as {}",
                    zone.name(),
                    zones[z + 1].name()
                ));
                z += 1;
            }
            Err(e) if e.code_is("ErrorDuplicateTransactionId") => {
                let existing = existing_event(client, target, &e, &req.transaction_id).await?;
                warnings.push(
                    "an event made with this transaction id already exists with other details; \
                     it was kept as it is"
                        .into(),
                );
                return Ok((existing, true, warnings, zone.clone()));
            }
            Err(mut e)
                if matches!(
                    e.kind,
                    ErrorKind::OutcomeUnknown | ErrorKind::InvalidResponse
                ) =>
            {
                e.kind = ErrorKind::OutcomeUnknown;
                e.message = format!(
                    "{} (sent {} times with transaction id {}); the event may exist: look in your calendar before creating it again",
                    e.message,
                    lost + 1,
                    req.transaction_id
                );
                return Err(CalendarError::Graph(e));
            }
            Err(e) => return Err(CalendarError::from_graph(e, Feature::Invite)),
        }
    }
}

/// The event a duplicate transaction id points at: named by the error, or found among the
/// newest events (the id cannot be filtered on, §3.4).
async fn existing_event(
    client: &GraphClient,
    target: &Target,
    e: &GraphError,
    transaction_id: &str,
) -> Result<Answer, CalendarError> {
    if let Some(id) = &e.existing_event_id {
        return client
            .get_event(target, id, None, "UTC")
            .await
            .map_err(|e| CalendarError::from_graph(e, Feature::Invite));
    }
    let recent = client
        .recent_events(target)
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::Invite))?;
    let found = recent
        .value
        .get("value")
        .and_then(|v| v.as_array())
        .and_then(|list| {
            list.iter()
                .find(|ev| ev.get("transactionId").and_then(|t| t.as_str()) == Some(transaction_id))
        })
        .cloned();
    match found {
        Some(value) => Ok(Answer {
            json: value.to_string(),
            value,
            ..recent
        }),
        None => Err(CalendarError::Graph(e.clone())),
    }
}

/// The online meeting behind the event, by its join link; options set on it with a PATCH
/// and compared with what the tenant kept.
async fn the_meeting(
    client: &GraphClient,
    target: &Target,
    event: &Event,
    req: &EventRequest,
) -> Result<Scheduled, String> {
    let join = event.join_url.as_deref().unwrap_or_default();
    let created = client
        .find_answer_by_join_url(target, join)
        .await
        .map_err(|e| {
            format!("the meeting behind the event could not be looked up by its join link: {e}")
        })?
        .ok_or("the meeting behind the event was not found by its join link")?;
    let options = req.meeting.options();
    if options.is_empty() {
        return Ok(Scheduled {
            created,
            differences: Vec::new(),
            roles: Vec::new(),
            warning: None,
        });
    }
    let id = created
        .meeting
        .id
        .ok_or("the meeting behind the event has no id")?;
    let change = Change {
        options: options.clone(),
        ..Change::default()
    };
    crate::schedule::update(client, target, &id, &change, &|_| {})
        .await
        .map_err(|e| {
            format!("the event was created, but its meeting options could not be set: {e}; set them with tmeet update")
        })
}

/// `POST …/events/{id}/cancel`: the attendees get a cancellation with `comment`.
pub async fn cancel_event(
    client: &GraphClient,
    target: &Target,
    id: &str,
    comment: Option<&str>,
) -> Result<(), CalendarError> {
    client
        .cancel_event(target, id, comment)
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::Invite))
}

/// Free/busy of `people` (the organizer first, if wanted) between `start` and `end`.
pub async fn free_busy(
    client: &GraphClient,
    target: &Target,
    people: &[String],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    interval_minutes: u32,
    zone: &OutlookZone,
) -> Result<FreeBusy, CalendarError> {
    if people.is_empty() {
        return Err(CalendarError::Refused(
            "free/busy needs at least one person".into(),
        ));
    }
    if people.len() > MAX_SCHEDULES {
        return Err(CalendarError::Refused(format!(
            "free/busy takes at most {MAX_SCHEDULES} people at once (you included); remove some"
        )));
    }
    if end <= start || end - start > Duration::days(31) {
        return Err(CalendarError::Refused(
            "free/busy covers a window of up to 31 days".into(),
        ));
    }
    let body = availability::request_body(people, &start, &end, interval_minutes, zone);
    let answer = client
        .get_schedule(target, &body, zone.name())
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::FreeBusy))?;
    Ok(FreeBusy::from_graph(
        &answer.value,
        people,
        start,
        end,
        interval_minutes,
        zone,
    ))
}

/// Suggested times of `duration` for `attendees` within `window`.
pub async fn suggest(
    client: &GraphClient,
    target: &Target,
    attendees: &[String],
    duration: Duration,
    window: (DateTime<Utc>, DateTime<Utc>),
    zone: &OutlookZone,
) -> Result<Suggestions, CalendarError> {
    if client.is_app_only() {
        return Err(CalendarError::Refused(
            "finding a time works only for a signed-in person; the service does not offer it \
             to app-only credentials"
                .into(),
        ));
    }
    if duration <= Duration::zero() || duration > Duration::days(1) {
        return Err(CalendarError::Refused(
            "the meeting length must be between 1 minute and 24 hours".into(),
        ));
    }
    let body = suggestions::request_body(attendees, duration, window, zone);
    let answer = client
        .find_meeting_times(target, &body, zone.name())
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::FindTime))?;
    Ok(Suggestions::from_graph(&answer.value))
}

/// People matching `text`, from `source`; an empty list for a query too short to ask.
pub async fn find_people(
    client: &GraphClient,
    text: &str,
    source: Source,
) -> Result<Vec<PersonMatch>, CalendarError> {
    let Some(q) = people::query(text) else {
        return Ok(Vec::new());
    };
    match source {
        Source::People => client
            .search_people(&q, people::TOP)
            .await
            .map(|a| people::from_people(&a.value))
            .map_err(|e| CalendarError::from_graph(e, Feature::Complete)),
        Source::Directory => client
            .search_users(&q, people::TOP)
            .await
            .map(|a| people::from_users(&a.value))
            .map_err(|e| match CalendarError::from_graph(e, Feature::Complete) {
                // The directory's permission, not People.Read's, is what is missing here.
                CalendarError::Consent(_) => CalendarError::Refused(format!(
                    "looking people up in the directory needs {}",
                    crate::schedule::USERS_SCOPE
                )),
                other => other,
            }),
    }
}
