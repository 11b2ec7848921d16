//! The calendar-mode flows the CLI and the form share: create an event that is a Teams
//! meeting exactly once, check that it really got a Teams link, set the meeting options
//! on the meeting behind it; free/busy, suggestions, people search and cancel.

use crate::calendar::availability::{self, FreeBusy, MAX_SCHEDULES};
use crate::calendar::event::{Event, EventRequest};
use crate::calendar::hours::{self, PersonHours, Schedules};
use crate::calendar::people::{PersonMatch, Source};
use crate::calendar::suggestions::{self, Suggestions};
use crate::calendar::zone::OutlookZone;
use crate::graph::client::{Answer, GraphClient, Target, Wait};
use crate::graph::error::{ErrorKind, GraphError};
use crate::permissions::Feature;
use crate::services::online_meeting::{Change, Scheduled};
use chrono::{DateTime, Duration, Utc};
use std::fmt;

/// How often a POST whose answer was lost is sent again. Safe: the same transaction id
/// and body give the event the first POST made (§3.4).
const LOST_ANSWER_RETRIES: usize = 2;
/// The wait before reading an event again that came without a Teams link (§3.6).
const RECHECK_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// What an account without a mailbox Graph can reach is told, on every calendar path
/// (the form's and the commands'), in these words and nowhere else.
pub const NO_MAILBOX: &str = "your account has no Exchange Online mailbox that Graph can \
    reach; standalone meetings still work";

/// Whether the service said the account has no mailbox it can reach (404 or 403
/// `MailboxNotEnabledForRESTAPI`, GRAPH-REAL.md Q20): never "gone", never a permission.
pub fn is_no_mailbox(e: &GraphError) -> bool {
    e.code_is("MailboxNotEnabledForRESTAPI")
}

/// Why a calendar operation did not happen, or not completely.
#[derive(Debug)]
pub enum CalendarError {
    /// Refused before anything was sent.
    Refused(String),
    /// The sign-in lacks the permission `feature` needs; nothing was sent or changed.
    Consent(Feature),
    /// The account has no Exchange Online mailbox that Graph can reach
    /// (`MailboxNotEnabledForRESTAPI`, 404 or 403: unlicensed, on-premises, inactive, a
    /// guest): no sign-in or permission can mend that, so none is offered.
    NoMailbox(GraphError),
    Graph(GraphError),
    /// The event exists (and its invitations went out), but without a Teams meeting: the
    /// silent downgrade of §3.6. `created` is the event as it stands (no meeting behind
    /// it), so that it can be named, recorded and cancelled; `allowed` is the calendar's
    /// `allowedOnlineMeetingProviders`, when it could be read.
    NoTeamsLink {
        created: Box<CreatedEvent>,
        allowed: Option<Vec<String>>,
    },
    /// The PATCH failed in a way that leaves it open whether it was applied, and the event
    /// was read back (`crate::services::read_back`): what changed and what did not.
    Unsaved(Box<crate::services::read_back::AfterFailure>),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::Refused(s) => f.write_str(s),
            CalendarError::Consent(feature) => f.write_str(&feature.consent_message()),
            CalendarError::NoMailbox(e) => {
                // The service's words after tmeet's, without the 403 hint about licences,
                // which would send the person the wrong way.
                write!(f, "{NO_MAILBOX} (the service said")?;
                if let Some(status) = e.status {
                    write!(f, " HTTP {status}")?;
                }
                if let Some(code) = &e.code {
                    write!(f, " {code}")?;
                }
                write!(f, ": {}", e.message)?;
                if let Some(rid) = &e.request_id {
                    write!(f, " [request-id {rid}]")?;
                }
                f.write_str(")")
            }
            CalendarError::Graph(e) => e.fmt(f),
            CalendarError::Unsaved(after) => after.fmt(f),
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
    /// A mailbox Graph cannot reach is named as such wherever a calendar call fails.
    fn from(e: GraphError) -> Self {
        if is_no_mailbox(&e) {
            CalendarError::NoMailbox(e)
        } else {
            CalendarError::Graph(e)
        }
    }
}

impl CalendarError {
    /// Consent is asked for only when the service says the sign-in lacks it (AADSTS65001,
    /// `consent_required`). That the sign-in lacks the permission by its granted scopes is
    /// checked before anything is sent (the form's worker, `cli::outlook::connect`), so a
    /// 403 that still comes is the service's refusal, shown with its code and message: a
    /// missing mailbox, a policy, a guest; no sign-in would change it.
    pub(crate) fn from_graph(e: GraphError, feature: Feature) -> Self {
        let consent = e.kind == ErrorKind::Auth
            && (e.message.contains("65001") || e.message.contains("consent_required"));
        if consent && !e.app_only {
            CalendarError::Consent(feature)
        } else {
            CalendarError::from(e)
        }
    }
}

/// Whether the service refused the time zone an event was sent in: the documented
/// `TimeZoneNotSupportedException`, a validation error whose message names the time zone,
/// or `ErrorPropertyValidationFailure` for an IANA name, which the service was seen to
/// answer for `Africa/Casablanca` with a message that names no property (GRAPH-REAL.md
/// Q19). Sending the Windows name, then UTC, changes nothing else, so a validation error
/// about something else only costs two more refusals before it is shown.
fn refuses_zone(e: &GraphError, sent: &OutlookZone) -> bool {
    if e.code_is("TimeZoneNotSupportedException") {
        return true;
    }
    let validation = e.status == Some(400)
        && e.code.as_deref().is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            c.contains("validation")
                || c.contains("invalidproperty")
                || c.contains("invalidtimezone")
        });
    let names_zone = {
        let m = e.message.to_ascii_lowercase();
        m.contains("timezone") || m.contains("time zone")
    };
    validation
        && (names_zone || (e.code_is("ErrorPropertyValidationFailure") && sent.windows().is_some()))
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
    // A meeting planned in another zone goes in that one, so Outlook keeps its clock there.
    let planned = req.zone.map(OutlookZone::for_tz);
    let zone = planned.as_ref().unwrap_or(zone);
    if let Some(series) = &req.series
        && !zone.keeps(series.zone())
    {
        // The zone has no Outlook name and would be sent as UTC (`OutlookZone::for_tz`).
        return Err(CalendarError::Refused(format!(
            "Outlook has no time zone for {}, and a series kept in UTC would move \
             by the hour at every change of daylight saving; set TZ to a zone Outlook knows \
             (such as Europe/Berlin) to create the series",
            series.zone().name()
        )));
    }
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
/// then as UTC (§8.6), except for a series, which UTC would move by the hour at every DST
/// change of the person's zone (GRAPH-NEXT §2.3); a duplicate transaction id is the event
/// it made.
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
    if zone.name() != "UTC" && req.series.is_none() {
        zones.push(OutlookZone::utc());
    }
    let mut warnings = Vec::new();
    let mut first_refusal: Option<GraphError> = None;
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
            Err(e) if refuses_zone(&e, zone) && z + 1 < zones.len() => {
                refused_zone(
                    &mut warnings,
                    zone,
                    &zones[z + 1],
                    first_refusal.get_or_insert(e),
                );
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
            // A refusal of every zone was about something else: the first one says what.
            Err(e) => {
                let e = match first_refusal {
                    Some(first) if refuses_zone(&e, zone) => first,
                    _ => e,
                };
                return Err(CalendarError::from_graph(e, Feature::Invite));
            }
        }
    }
}

/// The person is told which zone the times went in after the service refused one.
fn refused_zone(
    warnings: &mut Vec<String>,
    refused: &OutlookZone,
    next: &OutlookZone,
    why: &GraphError,
) {
    warnings.push(format!(
        "the service does not take the time zone {} ({}); the times were sent as {}",
        refused.name(),
        why.code.as_deref().unwrap_or("refused"),
        next.name()
    ));
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
            sent: serde_json::Value::Null,
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
    crate::services::online_meeting::update(client, target, &id, &change, &|_| {})
        .await
        .map_err(|e| {
            format!("the event was created, but its meeting options could not be set: {e}; set them with tmeet update")
        })
}

/// A change to a calendar meeting. What the invitees hold is the event, so subject, times
/// and invitees go to the event, and the service mails them the update (§3.8); the options
/// go to the meeting behind it, which the event does not carry (§3.7).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventChange {
    pub subject: Option<String>,
    pub times: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// When given, the full list, replacing the event's (a PATCH of `attendees` needs it
    /// all).
    pub invitees: Option<Vec<crate::calendar::Invitee>>,
    pub options: crate::meeting::options::MeetingOptions,
    /// A series master's new `recurrence`: sent with new times that move its first day,
    /// whose range must start on the start's date (GRAPH-NEXT §2.1).
    pub recurrence: Option<serde_json::Value>,
    /// Show as, reminder and the other invitation fields to change; the rest stay.
    pub invitation: crate::calendar::invitation_fields::InvitationFields,
}

impl EventChange {
    /// The PATCH of the event, times as wall-clock times in `zone`; None when only the
    /// options change.
    pub fn to_graph_body(&self, zone: &OutlookZone) -> Option<serde_json::Value> {
        let mut body = serde_json::Map::new();
        if let Some(s) = &self.subject {
            body.insert("subject".into(), s.as_str().into());
        }
        if let Some((start, end)) = &self.times {
            body.insert("start".into(), zone.date_time(start));
            body.insert("end".into(), zone.date_time(end));
        }
        if let Some(r) = &self.recurrence {
            body.insert("recurrence".into(), r.clone());
        }
        if let Some(list) = &self.invitees {
            body.insert(
                "attendees".into(),
                list.iter()
                    .map(crate::calendar::Invitee::to_graph)
                    .collect(),
            );
        }
        self.invitation.write_into(&mut body);
        (!body.is_empty()).then_some(serde_json::Value::Object(body))
    }
}

/// A calendar meeting after [`update_event`].
#[derive(Debug, Clone)]
pub struct UpdatedEvent {
    /// The event as it was before the change, and as the service has it now.
    pub before: Event,
    pub event: Event,
    /// The event as the service sent it (what `--json` prints): the PATCH's answer, or
    /// the event read when only the options changed.
    pub answer: Answer,
    /// The meeting behind the event with the options applied and compared; None when no
    /// option was changed.
    pub meeting: Option<Scheduled>,
    pub warnings: Vec<String>,
}

impl UpdatedEvent {
    /// Who the service tells of the change, by what it sends (§9 of GRAPH-SCHEDULING:
    /// invitees removed get a cancellation; when only the list changed, only the people
    /// added hear of it, otherwise everyone invited gets the update).
    pub fn told(&self) -> Told {
        let has = |list: &[String], a: &str| list.iter().any(|b| b.eq_ignore_ascii_case(a));
        let added: Vec<String> = self
            .event
            .attendees
            .iter()
            .filter(|a| !has(&self.before.attendees, a))
            .cloned()
            .collect();
        let removed: Vec<String> = self
            .before
            .attendees
            .iter()
            .filter(|a| !has(&self.event.attendees, a))
            .cloned()
            .collect();
        let seen = self.event.subject != self.before.subject
            || self.event.start != self.before.start
            || self.event.end != self.before.end
            || self.event.location != self.before.location;
        Told {
            updated: if seen {
                self.event.attendees.clone()
            } else {
                added
            },
            removed,
        }
    }

    /// The meeting as the calendar has it: the meeting behind the event (as just read,
    /// else `stored`, else what the event says of it) with the event's subject and times,
    /// which are what the invitees see.
    pub fn meeting_view(&self, stored: Option<&serde_json::Value>) -> serde_json::Value {
        let base = self
            .meeting
            .as_ref()
            .map(|m| m.created.raw.clone())
            .or_else(|| stored.cloned());
        crate::calendar::event_view(&self.event, base)
    }
}

/// Whom an event change is mailed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Told {
    /// An update (an invitation, for the people just added).
    pub updated: Vec<String>,
    /// A cancellation.
    pub removed: Vec<String>,
}

/// Read the event → set the options on the meeting behind it → PATCH the event, times in
/// `zone` (the same fallbacks as a create: the Windows name, then UTC). Options go first:
/// when the meeting refuses one, nothing has been mailed yet. A meeting already cancelled
/// or gone is refused before anything is sent.
pub async fn update_event(
    client: &GraphClient,
    target: &Target,
    event_id: &str,
    change: &EventChange,
    zone: &OutlookZone,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<UpdatedEvent, CalendarError> {
    if let Some((start, end)) = &change.times
        && end <= start
    {
        return Err(CalendarError::Refused(
            "the end must be after the start".into(),
        ));
    }
    if change.invitees.as_ref().is_some_and(Vec::is_empty) {
        return Err(CalendarError::Refused(
            "a calendar meeting invites at least one person; to call it off, cancel it \
             (tmeet cancel), which tells the invitees"
                .into(),
        ));
    }
    change.options.check_patchable().map_err(|e| {
        CalendarError::Refused(format!(
            "{e} (a calendar meeting's options are set on the meeting behind its event)"
        ))
    })?;
    let (current, read) = match read_event(client, target, event_id, zone).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(unchanged(
                "the event is no longer on your calendar (deleted, or cancelled and removed)",
            ));
        }
        Err(e) => return Err(CalendarError::from_graph(e, Feature::Invite)),
    };
    if current.is_cancelled {
        return Err(unchanged(
            "the meeting is cancelled: its invitees were told it will not take place",
        ));
    }
    let before = current.clone();
    let mut warnings = Vec::new();
    let meeting = if change.options.is_empty() {
        None
    } else {
        let join = before.join_url.as_deref().ok_or_else(|| {
            unchanged("the event has no Teams link, so it has no meeting to set options on")
        })?;
        let found = client
            .find_answer_by_join_url(target, join)
            .await?
            .ok_or_else(|| {
                unchanged(
                    "the meeting behind the event was not found by its join link, so its \
                     options cannot be set",
                )
            })?;
        let id = found
            .meeting
            .id
            .clone()
            .ok_or_else(|| unchanged("the meeting behind the event has no id"))?;
        let options = Change {
            options: change.options.clone(),
            ..Change::default()
        };
        let scheduled =
            crate::services::online_meeting::update(client, target, &id, &options, on_wait)
                .await
                .map_err(|e| match e {
                    crate::services::online_meeting::ScheduleError::Refused(line) => {
                        CalendarError::Refused(line)
                    }
                    crate::services::online_meeting::ScheduleError::Graph(g) => {
                        CalendarError::Graph(g)
                    }
                    other => CalendarError::Refused(other.to_string()),
                })?;
        Some(scheduled)
    };
    let options_done = |mut e: GraphError| {
        if meeting.is_some() {
            e.message = format!(
                "{} (the meeting options were changed; the event and its invitations were not)",
                e.message
            );
        }
        e
    };
    let (event, answer) = match change.to_graph_body(zone) {
        None => (current, read),
        Some(_) => {
            let patched = patch_with_zones(
                client,
                target,
                event_id,
                change,
                zone,
                on_wait,
                &mut warnings,
            )
            .await;
            let patched = match patched {
                // The answer leaves it open whether the change was made: read it back.
                Err(CalendarError::Graph(e))
                    if crate::services::read_back::may_have_applied(&e) =>
                {
                    let asked = crate::services::read_back::EventAsked {
                        subject: change.subject.as_deref(),
                        times: change.times,
                        invitees: change.invitees.as_deref(),
                    };
                    crate::services::read_back::event_patch(
                        client,
                        target,
                        event_id,
                        &asked,
                        e,
                        &mut warnings,
                    )
                    .await
                    .map_err(|after| CalendarError::Unsaved(Box::new(after)))
                }
                other => other,
            };
            let (answer, used) = patched.map_err(|e| match e {
                CalendarError::Graph(g) => {
                    CalendarError::from_graph(options_done(g), Feature::Invite)
                }
                other => other,
            })?;
            match Event::from_graph(&answer.value) {
                Some(e) => (e, answer),
                // The change was made; read the event as it is now.
                None => match read_event(client, target, event_id, &used).await {
                    Ok(Some(again)) => again,
                    _ => {
                        return Err(CalendarError::Graph(GraphError::new(
                            ErrorKind::InvalidResponse,
                            "the event was changed (and its invitees told), but neither the \
                             answer nor a second read could be understood; look at it in \
                             your calendar",
                        )));
                    }
                },
            }
        }
    };
    if event.join_url.is_some() && event.join_url != before.join_url {
        warnings.push(
            "the service gave the event a new Teams link; the invitees have it in the update"
                .into(),
        );
    }
    Ok(UpdatedEvent {
        before,
        event,
        answer,
        meeting,
        warnings,
    })
}

/// A refusal found after reading (so not a usage error): nothing was changed.
fn unchanged(why: &str) -> CalendarError {
    CalendarError::Graph(GraphError::new(
        ErrorKind::Refused,
        format!("{why}; nothing was changed"),
    ))
}

/// `GET` of the event in `zone` (UTC when the service does not take the zone in the
/// header); None for a 404.
pub(crate) async fn read_event(
    client: &GraphClient,
    target: &Target,
    id: &str,
    zone: &OutlookZone,
) -> Result<Option<(Event, Answer)>, GraphError> {
    let answer = match client.get_event(target, id, None, zone.name()).await {
        Err(e) if refuses_zone(&e, zone) && zone.name() != "UTC" => {
            client.get_event(target, id, None, "UTC").await
        }
        other => other,
    };
    match answer {
        Ok(a) => match Event::from_graph(&a.value) {
            Some(event) => Ok(Some((event, a))),
            None => {
                let mut e = GraphError::new(
                    ErrorKind::InvalidResponse,
                    "the answer to reading the event is not an event with an id",
                );
                e.request_id = a.request_id.clone();
                e.client_request_id = Some(a.client_request_id.clone());
                Err(e)
            }
        },
        // A 404 about the mailbox is not one about the event: it is still there.
        Err(e) if e.status == Some(404) && !is_no_mailbox(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The PATCH, in `zone`, then its Windows name, then UTC while the service refuses the
/// zone (a refused zone changes nothing). Returns the answer and the zone that was taken.
async fn patch_with_zones(
    client: &GraphClient,
    target: &Target,
    id: &str,
    change: &EventChange,
    zone: &OutlookZone,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
    warnings: &mut Vec<String>,
) -> Result<(Answer, OutlookZone), CalendarError> {
    let mut zones = vec![zone.clone()];
    zones.extend(zone.windows());
    if zone.name() != "UTC" {
        zones.push(OutlookZone::utc());
    }
    let mut first_refusal: Option<GraphError> = None;
    let mut z = 0;
    loop {
        let zone = &zones[z];
        let Some(body) = change.to_graph_body(zone) else {
            return Err(CalendarError::Refused(
                "nothing to change on the event".into(),
            ));
        };
        match client
            .patch_event(target, id, &body, zone.name(), on_wait)
            .await
        {
            Ok(a) => return Ok((a, zone.clone())),
            Err(e) if refuses_zone(&e, zone) && z + 1 < zones.len() => {
                refused_zone(
                    warnings,
                    zone,
                    &zones[z + 1],
                    first_refusal.get_or_insert(e),
                );
                z += 1;
            }
            Err(mut e) if matches!(e.kind, ErrorKind::Timeout | ErrorKind::OutcomeUnknown) => {
                // Sent again, it would mail the invitees a second time: say so instead.
                e.kind = ErrorKind::OutcomeUnknown;
                e.message = format!(
                    "{}; the event may have been changed and its invitees told: look at it in \
                     your calendar (tmeet list --refresh) before trying again",
                    e.message
                );
                return Err(CalendarError::Graph(e));
            }
            Err(e) => {
                let e = match first_refusal {
                    Some(first) if refuses_zone(&e, zone) => first,
                    _ => e,
                };
                return Err(CalendarError::from(e));
            }
        }
    }
}

/// What the service has now of a calendar meeting: the event (None: 404, or cancelled)
/// and, read by `meeting_id`, the meeting behind it (None when it could not be read: its
/// options are then taken as they were). What `list --refresh` compares the history with.
pub async fn event_now(
    client: &GraphClient,
    target: &Target,
    event_id: &str,
    meeting_id: &str,
) -> Result<Option<(Event, Option<serde_json::Value>)>, GraphError> {
    let Some((event, _)) = read_event(client, target, event_id, &OutlookZone::utc()).await? else {
        return Ok(None);
    };
    if event.is_cancelled {
        return Ok(None);
    }
    let meeting = if meeting_id == event_id {
        None
    } else {
        client
            .fetch_meeting(target, meeting_id)
            .await
            .ok()
            .map(|m| m.raw)
    };
    Ok(Some((event, meeting)))
}

/// Whether the event is still to be cancelled: None when it is gone (404) or already
/// cancelled, with the words that say which.
pub async fn cancellable(
    client: &GraphClient,
    target: &Target,
    event_id: &str,
) -> Result<Result<Event, &'static str>, CalendarError> {
    match read_event(client, target, event_id, &OutlookZone::utc()).await {
        Ok(None) => Ok(Err("is no longer on your calendar (deleted or cancelled)")),
        Ok(Some((event, _))) if event.is_cancelled => Ok(Err("is already cancelled")),
        Ok(Some((event, _))) => Ok(Ok(event)),
        Err(e) => Err(CalendarError::from_graph(e, Feature::Invite)),
    }
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

/// Free/busy of `people` (the organizer first, if wanted) between `start` and `end`
/// ([`schedules`] without the working hours beside it).
pub async fn free_busy(
    client: &GraphClient,
    target: &Target,
    people: &[String],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    interval_minutes: u32,
    zone: &OutlookZone,
) -> Result<FreeBusy, CalendarError> {
    schedules(client, target, people, start, end, interval_minutes, zone)
        .await
        .map(|s| s.free_busy)
}

/// Free/busy of `people` between `start` and `end` with each one's working hours
/// (getSchedule, §4.1 and GRAPH-NEXT §6.2). Someone typed by a UPN that is not their mail
/// address is asked again under their mail (GRAPH-REAL.md Q27) and shown as typed.
pub async fn schedules(
    client: &GraphClient,
    target: &Target,
    people: &[String],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    interval_minutes: u32,
    zone: &OutlookZone,
) -> Result<Schedules, CalendarError> {
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
    let ask = async |people: &[String]| {
        let body = availability::request_body(people, &start, &end, interval_minutes, zone);
        let answer = client.get_schedule(target, &body, zone.name()).await?;
        Ok::<_, GraphError>(Schedules {
            free_busy: FreeBusy::from_graph(
                &answer.value,
                people,
                start,
                end,
                interval_minutes,
                zone,
            ),
            hours: hours::from_schedule(&answer.value, people),
        })
    };
    let mut found = ask(people)
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::FreeBusy))?;
    let mut again: Vec<(usize, String)> = Vec::new();
    for (i, row) in found.free_busy.people.iter().enumerate() {
        if row.error.is_none() || !crate::calendar::invitee::is_address(&row.who) {
            continue;
        }
        if let Ok(crate::services::people::Lookup::Found { user, .. }) =
            crate::services::people::look_up(client, &row.who).await
            && let Some(mail) = user.mail.filter(|m| !m.eq_ignore_ascii_case(&row.who))
        {
            again.push((i, mail));
        }
    }
    if !again.is_empty() {
        let mails: Vec<String> = again.iter().map(|(_, m)| m.clone()).collect();
        if let Ok(rows) = ask(&mails).await {
            for (((i, _), row), hours) in again.iter().zip(rows.free_busy.people).zip(rows.hours) {
                if row.error.is_none() {
                    let who = std::mem::take(&mut found.free_busy.people[*i].who);
                    found.hours[*i] = PersonHours {
                        who: who.clone(),
                        hours: hours.hours,
                    };
                    found.free_busy.people[*i] = availability::PersonSchedule { who, ..row };
                }
            }
        }
    }
    Ok(found)
}

/// Suggested times of `duration` for `attendees` within `window`.
pub async fn suggest(
    client: &GraphClient,
    target: &Target,
    attendees: &[String],
    duration: Duration,
    window: (DateTime<Utc>, DateTime<Utc>),
    zone: &OutlookZone,
    outside_hours: bool,
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
    let body = suggestions::request_body(attendees, duration, window, zone, outside_hours);
    let answer = client
        .find_meeting_times(target, &body, zone.name())
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::FindTime))?;
    Ok(Suggestions::from_graph(&answer.value, outside_hours))
}

/// The organizer's own address for free/busy and for display: the mailbox's SMTP address
/// (`mail`, else the UPN), read from `/me` once per sign-in and kept with it. getSchedule
/// takes SMTP addresses only, so the token's `preferred_username` (the UPN) gives an
/// unknown (5009) row wherever a rename or a merger left mail and UPN apart. When `/me`
/// cannot be read, the sign-in's account name stands in, and `/me` is tried again next
/// time. None for app-only credentials, which have no "me".
pub async fn organizer_address(client: &GraphClient, auth: &crate::auth::Auth) -> Option<String> {
    if client.is_app_only() {
        return None;
    }
    let read = async || match client.my_mailbox().await {
        Ok((mail, upn)) => {
            if mail.is_none() {
                tracing::info!("/me has no mail address; the UPN stands for the mailbox");
            }
            mail.or(upn)
        }
        Err(e) => {
            tracing::info!("the mailbox address could not be read from /me: {e}");
            None
        }
    };
    match auth.mailbox_address(read).await {
        Some(address) => Some(address),
        None => auth.status().ok().flatten().and_then(|s| s.account),
    }
}

/// People matching `text`, from `source` alone (`services::people::find_people` asks
/// People and then the directory); an empty list for a query too short to ask.
pub async fn find_people(
    client: &GraphClient,
    text: &str,
    source: Source,
) -> Result<Vec<PersonMatch>, CalendarError> {
    let sources = super::people::Sources {
        people: source == Source::People,
        directory: source == Source::Directory,
    };
    super::people::find_people(client, text, sources)
        .await
        .map_err(CalendarError::from)
}

impl From<super::people::PeopleError> for CalendarError {
    fn from(e: super::people::PeopleError) -> Self {
        match e {
            super::people::PeopleError::Consent(feature) => CalendarError::Consent(feature),
            super::people::PeopleError::Graph(e) => CalendarError::Graph(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{event_view, parse_invitees};
    use chrono::TimeZone;
    use serde_json::json;

    fn event(v: serde_json::Value) -> Event {
        Event::from_graph(&v).unwrap()
    }

    #[test]
    fn the_event_patch_carries_only_what_changes_in_the_zone_given() {
        let start = Utc.with_ymd_and_hms(2037, 12, 2, 8, 0, 0).unwrap();
        let change = EventChange {
            subject: Some("Renamed".into()),
            times: Some((start, start + Duration::minutes(30))),
            invitees: Some(parse_invitees("ada@contoso.com:optional").unwrap()),
            ..EventChange::default()
        };
        let body = change
            .to_graph_body(&OutlookZone::for_tz(chrono_tz::Europe::Berlin))
            .unwrap();
        assert_eq!(
            body,
            json!({
                "subject": "Renamed",
                "start": {"dateTime": "2037-12-02T09:00:00", "timeZone": "Europe/Berlin"},
                "end": {"dateTime": "2037-12-02T09:30:00", "timeZone": "Europe/Berlin"},
                "attendees": [{"emailAddress": {"address": "ada@contoso.com"}, "type": "optional"}],
            })
        );
        assert_eq!(
            EventChange::default().to_graph_body(&OutlookZone::utc()),
            None,
            "options only: the event is not touched"
        );
    }

    #[test]
    fn who_is_told_follows_what_the_invitees_see() {
        let people = |list: &[&str]| -> serde_json::Value {
            list.iter()
                .map(|a| json!({"emailAddress": {"address": a}, "type": "required"}))
                .collect()
        };
        let before =
            event(json!({"id": "e", "subject": "A", "attendees": people(&["x@c.com", "y@c.com"])}));
        let answer = Answer {
            value: json!({}),
            json: String::new(),
            request_id: None,
            client_request_id: String::new(),
        };
        let updated = |after: Event| UpdatedEvent {
            before: before.clone(),
            event: after,
            answer: answer.clone(),
            meeting: None,
            warnings: Vec::new(),
        };
        let renamed = updated(event(
            json!({"id": "e", "subject": "B", "attendees": people(&["X@c.com", "z@c.com"])}),
        ));
        assert_eq!(
            renamed.told(),
            Told {
                updated: vec!["X@c.com".into(), "z@c.com".into()],
                removed: vec!["y@c.com".into()],
            }
        );
        let only_people = updated(event(
            json!({"id": "e", "subject": "A", "attendees": people(&["x@c.com", "z@c.com"])}),
        ));
        assert_eq!(
            only_people.told(),
            Told {
                updated: vec!["z@c.com".into()],
                removed: vec!["y@c.com".into()],
            }
        );
    }

    #[test]
    fn the_meeting_view_takes_subject_and_times_from_the_event_and_the_rest_from_the_meeting() {
        let e = event(json!({
            "id": "e", "subject": "Renamed",
            "start": {"dateTime": "2037-12-02T09:00:00.0000000", "timeZone": "Europe/Berlin"},
            "end": {"dateTime": "2037-12-02T09:30:00.0000000", "timeZone": "Europe/Berlin"},
        }));
        let meeting = json!({"id": "m", "Subject": "Old", "startDateTime": "2037-12-01T13:00:00Z",
                             "lobbyBypassSettings": {"scope": "everyone"}});
        let v = event_view(&e, Some(meeting));
        assert_eq!(v["id"], "m");
        assert_eq!(v["subject"], "Renamed");
        assert!(v.get("Subject").is_none(), "one spelling: {v}");
        assert_eq!(v["startDateTime"], "2037-12-02T08:00:00Z");
        assert_eq!(v["endDateTime"], "2037-12-02T08:30:00Z");
        assert_eq!(v["lobbyBypassSettings"]["scope"], "everyone");
        assert_eq!(
            event_view(&e, None)["id"],
            "e",
            "without a meeting: the event's account"
        );
    }
}
