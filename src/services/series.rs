//! One meeting of a series, the series from one meeting on, or all of it (GRAPH-NEXT
//! §2.3). A meeting is found by its date through `/instances` and changed or cancelled
//! through its own id, which makes it an exception and mails its attendees about it alone.
//! Graph has no "this and following": the series is ended the day before (a PATCH of the
//! master's range, which keeps every past meeting) and, for a change, a new series starts
//! there with the change, with a Teams link of its own.

use super::calendar::{self as flow, CalendarError, CreatedEvent, EventChange};
use crate::calendar::recurrence::{End, Rule, Series};
use crate::calendar::{Event, EventRequest, OutlookZone};
use crate::graph::client::{GraphClient, Target, Wait};
use crate::graph::error::{ErrorKind, GraphError};
use crate::graph::lenient;
use crate::meeting::options::{MeetingOptions, SPECS};
use crate::meeting::request::MeetingRequest;
use crate::permissions::Feature;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

/// Which meetings of a series a change or a cancellation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The meeting on this date (of the series, in the person's zone).
    One(NaiveDate),
    /// The meeting on this date and every one after it.
    From(NaiveDate),
    /// Every meeting: the series master.
    All,
}

/// The meeting of the series `master_id` that falls on `date` in `zone`, or was there
/// before it moved: its id and times. None when the series has none that day (not one of
/// its dates, or cancelled).
pub async fn occurrence_on(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    date: NaiveDate,
    zone: Tz,
) -> Result<Option<Event>, CalendarError> {
    let midnight = |d: NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")),
                |t| t.with_timezone(&Utc),
            )
    };
    // A meeting moved on its own stays between its neighbours' days, but may have left
    // its own: a day either side finds it by where it was.
    let from = midnight(date - Duration::days(1));
    let to = midnight(date + Duration::days(2));
    let page = client
        .event_instances(target, master_id, from, to)
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::Invite))?;
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
    let mut by_original = None;
    let mut by_start = None;
    for item in &page.items {
        let Some(event) = Event::from_graph(item) else {
            continue;
        };
        let original = lenient::value(item, "originalStart")
            .and_then(Value::as_str)
            .and_then(utc_of);
        if original.map(local) == Some(date) {
            by_original = Some(event);
        } else if original.is_none() && event.start.map(local) == Some(date) {
            by_start = Some(event);
        }
    }
    Ok(by_original.or(by_start))
}

/// `originalStart` as the service writes it: UTC, with or without the `Z` and fractions.
fn utc_of(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| Utc.from_utc_datetime(&t))
        })
}

/// The master's `recurrence` as the service has it, and its range's first date.
struct Rules {
    recurrence: Value,
    start_date: NaiveDate,
    /// The last date the range allows (`endDate`); None for `noEnd` and `numbered`.
    end_date: Option<NaiveDate>,
}

async fn read_rules(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
) -> Result<(Rules, Value), CalendarError> {
    let answer = client
        .get_event(target, master_id, None, "UTC")
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::Invite))?;
    let recurrence = lenient::value(&answer.value, "recurrence")
        .filter(|v| v.is_object())
        .cloned()
        .ok_or_else(|| {
            CalendarError::Refused(
                "the event does not repeat (the service has no rule for it); change it as \
                 one meeting, without --occurrence or --from"
                    .into(),
            )
        })?;
    let range = lenient::value(&recurrence, "range")
        .cloned()
        .unwrap_or_default();
    let date = |name: &str| {
        lenient::value(&range, name)
            .and_then(Value::as_str)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let start_date = date("startDate").ok_or_else(|| {
        CalendarError::Graph(GraphError::new(
            ErrorKind::InvalidResponse,
            "the series' rule has no range.startDate",
        ))
    })?;
    let ends = lenient::value(&range, "type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("endDate"));
    Ok((
        Rules {
            recurrence,
            start_date,
            end_date: if ends { date("endDate") } else { None },
        },
        answer.value,
    ))
}

/// The pattern with only what its type uses (GRAPH-NEXT §2.1): a GET fills the unused
/// fields with zeros, which are validated again when sent back.
fn pattern_to_send(pattern: &Value) -> Value {
    let kind = lenient::value(pattern, "type")
        .and_then(Value::as_str)
        .unwrap_or("weekly")
        .to_string();
    let uses: &[&str] = match kind.to_ascii_lowercase().as_str() {
        "daily" => &["interval"],
        "weekly" => &["interval", "daysOfWeek", "firstDayOfWeek"],
        "absolutemonthly" => &["interval", "dayOfMonth"],
        "relativemonthly" => &["interval", "daysOfWeek", "index"],
        "absoluteyearly" => &["interval", "dayOfMonth", "month"],
        _ => &["interval", "daysOfWeek", "month", "index"],
    };
    let mut out = Map::new();
    out.insert("type".into(), Value::String(kind));
    for name in uses {
        if let Some(v) = lenient::value(pattern, name).filter(|v| !v.is_null()) {
            out.insert((*name).into(), v.clone());
        }
    }
    Value::Object(out)
}

/// The recurrence ending on `last` (inclusive), otherwise as it was.
fn ending_on(rules: &Rules, last: NaiveDate) -> Value {
    let range = lenient::value(&rules.recurrence, "range")
        .cloned()
        .unwrap_or_default();
    let mut new_range = Map::new();
    new_range.insert("type".into(), json!("endDate"));
    new_range.insert(
        "startDate".into(),
        json!(rules.start_date.format("%Y-%m-%d").to_string()),
    );
    new_range.insert("endDate".into(), json!(last.format("%Y-%m-%d").to_string()));
    if let Some(z) = lenient::value(&range, "recurrenceTimeZone").filter(|v| v.is_string()) {
        new_range.insert("recurrenceTimeZone".into(), z.clone());
    }
    json!({
        "pattern": pattern_to_send(lenient::value(&rules.recurrence, "pattern").unwrap_or(&Value::Null)),
        "range": Value::Object(new_range),
    })
}

/// The recurrence as it was, to send back (a restore after a failed split).
fn as_it_was(rules: &Rules) -> Value {
    let mut range = lenient::value(&rules.recurrence, "range")
        .cloned()
        .unwrap_or_default();
    if let Some(map) = range.as_object_mut() {
        // The fillers a GET adds for the other range types are not sent back.
        let kind = map
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if kind != "enddate" {
            map.remove("endDate");
        }
        if kind != "numbered" {
            map.remove("numberOfOccurrences");
        }
    }
    json!({
        "pattern": pattern_to_send(lenient::value(&rules.recurrence, "pattern").unwrap_or(&Value::Null)),
        "range": range,
    })
}

/// The series after it was ended before a date.
#[derive(Debug, Clone)]
pub struct Ended {
    /// The last date the series now has meetings until (the day before the one asked).
    pub last: NaiveDate,
}

/// Ends the series `master_id` the day before `date`: every meeting from `date` on is
/// called off, every earlier one stays (a PATCH of the master's range; the attendees get
/// the series' update). Refused when `date` is the series' first day (that is the whole
/// series) or after its end.
pub async fn end_before(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    date: NaiveDate,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<Ended, CalendarError> {
    let (rules, _) = read_rules(client, target, master_id).await?;
    let last = check_split(&rules, date)?;
    patch_recurrence(client, target, master_id, &ending_on(&rules, last), on_wait).await?;
    Ok(Ended { last })
}

/// Part of a series to cancel, found before anything is asked or sent.
#[derive(Debug)]
pub enum Part {
    /// The meeting on that day, by its own id.
    One(String),
    /// Every meeting from that day on.
    From(NaiveDate),
}

/// What cancelling [`Part`] did, and the word the history keeps for it.
#[derive(Debug)]
pub enum Cancelled {
    One,
    Ended(Ended),
}

impl Cancelled {
    pub fn word(&self) -> &'static str {
        match self {
            Cancelled::One => "cancelled",
            Cancelled::Ended(_) => "ended",
        }
    }
}

/// The part of the series `master_id` that `scope` names: the meeting of that day
/// (refused when the series has none then), or the day the rest is called off from.
/// None for the whole series, which is cancelled as one meeting.
pub async fn find_part(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    scope: Scope,
    zone: Tz,
) -> Result<Option<Part>, CalendarError> {
    match scope {
        Scope::One(date) => occurrence_on(client, target, master_id, date, zone)
            .await?
            .map(|o| Some(Part::One(o.id)))
            .ok_or_else(|| CalendarError::Refused(no_meeting_on(date))),
        Scope::From(date) => Ok(Some(Part::From(date))),
        Scope::All => Ok(None),
    }
}

/// Cancels `part` of the series `master_id`: the one meeting (its attendees get a
/// cancellation with `comment`), or every meeting from the day on ([`end_before`]).
pub async fn cancel_part(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    part: &Part,
    comment: Option<&str>,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<Cancelled, CalendarError> {
    match part {
        Part::One(id) => flow::cancel_event(client, target, id, comment)
            .await
            .map(|()| Cancelled::One),
        Part::From(date) => end_before(client, target, master_id, *date, on_wait)
            .await
            .map(Cancelled::Ended),
    }
}

fn check_split(rules: &Rules, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    if date <= rules.start_date {
        return Err(CalendarError::Refused(format!(
            "{} is the series' first day ({}): from there on is the whole series; use --series",
            date.format("%a %-d %b %Y"),
            rules.start_date.format("%a %-d %b %Y")
        )));
    }
    if rules.end_date.is_some_and(|end| date > end) {
        return Err(CalendarError::Refused(format!(
            "the series ends on {}: it has no meetings from {} on",
            rules.end_date.expect("checked").format("%a %-d %b %Y"),
            date.format("%a %-d %b %Y")
        )));
    }
    Ok(date - Duration::days(1))
}

async fn patch_recurrence(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    recurrence: &Value,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<(), CalendarError> {
    client
        .patch_event(
            target,
            master_id,
            &json!({ "recurrence": recurrence }),
            "UTC",
            on_wait,
        )
        .await
        .map(|_| ())
        .map_err(|e| CalendarError::from_graph(e, Feature::Invite))
}

/// The master's `recurrence` starting on `first_day`: what goes with new times for the
/// whole series when they move its first day (the range must start on the start's date,
/// GRAPH-NEXT §2.1); None when the day stays.
pub async fn restarting(
    client: &GraphClient,
    target: &Target,
    master_id: &str,
    first_day: NaiveDate,
) -> Result<Option<Value>, CalendarError> {
    let (rules, _) = read_rules(client, target, master_id).await?;
    if rules.start_date == first_day {
        return Ok(None);
    }
    let mut recurrence = as_it_was(&rules);
    recurrence["range"]["startDate"] = json!(first_day.format("%Y-%m-%d").to_string());
    Ok(Some(recurrence))
}

/// The meeting options of the series' online meeting that a new meeting would not have
/// and a PATCH can set: what "this and following" carries on to the new series, so that
/// its lobby, presenters and the rest stay as they were set. Err says why they could not
/// be read.
async fn options_set_on(
    client: &GraphClient,
    target: &Target,
    join_url: Option<&str>,
) -> Result<MeetingOptions, String> {
    let join = join_url.ok_or("the series has no Teams link")?;
    let found = client
        .find_answer_by_join_url(target, join)
        .await
        .map_err(|e| format!("its meeting could not be read ({e})"))?
        .ok_or("its meeting was not found by its join link")?;
    let was = super::online_meeting::Existing::of(&found).options;
    let mut carried = MeetingOptions::new();
    for (i, spec) in SPECS.iter().enumerate() {
        if let Some(choice) = was.get(i)
            && spec.patchable
            && choice != spec.default
        {
            carried.set_index(i, Some(choice));
        }
    }
    Ok(carried)
}

/// What the person asked to change from a date on, and what the series was made with.
pub struct SplitRequest<'a> {
    pub master_id: &'a str,
    /// The first meeting that changes.
    pub date: NaiveDate,
    pub change: &'a EventChange,
    /// The rule the series was made with (`history` keeps it in words) and its first
    /// meeting's times, to count what a numbered series has left.
    pub rule: Rule,
    pub first_start: DateTime<Utc>,
    pub first_end: DateTime<Utc>,
    pub zone: Tz,
}

/// The series after "this and following": the old one ends the day before, and a new one
/// carries the change from `date` on.
#[derive(Debug)]
pub struct Split {
    pub ended: Ended,
    pub created: CreatedEvent,
    /// What was sent for the new series, for the history.
    pub request: EventRequest,
}

/// Ends the series the day before `date` and starts a new one there with the change: the
/// same people, message, place, invitation fields, meeting options and rule (a numbered
/// series keeps only the meetings it had left), with its own Teams link. When the new series cannot be made, the old one is
/// given its end back, so nothing is half-made.
pub async fn split(
    client: &GraphClient,
    target: &Target,
    req: &SplitRequest<'_>,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<Split, CalendarError> {
    let zone = req.zone;
    let Some(meeting) = occurrence_on(client, target, req.master_id, req.date, zone).await? else {
        return Err(CalendarError::Refused(no_meeting_on(req.date)));
    };
    let (rules, master) = read_rules(client, target, req.master_id).await?;
    let last = check_split(&rules, req.date)?;
    let master_event = Event::from_graph(&master).ok_or_else(|| {
        CalendarError::Graph(GraphError::new(
            ErrorKind::InvalidResponse,
            "the answer to reading the series is not an event with an id",
        ))
    })?;
    let (start, end) = match req.change.times {
        Some(t) => t,
        None => match (meeting.start, meeting.end) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(CalendarError::Graph(GraphError::new(
                    ErrorKind::InvalidResponse,
                    "the meeting read has no times",
                )));
            }
        },
    };
    let before = Series::new(req.rule, &req.first_start, &req.first_end, zone)
        .map_err(|e| CalendarError::Refused(e.to_string()))?
        .occurrences()
        .take_while(|o| o.start.date_naive() < req.date)
        .count() as u32;
    let end_rule = match req.rule.end {
        End::Count(n) if n <= before => {
            return Err(CalendarError::Refused(no_meeting_on(req.date)));
        }
        End::Count(n) => End::Count(n - before),
        other => other,
    };
    let rule = Rule {
        pattern: req.rule.pattern,
        end: end_rule,
    };
    let start_local = start.with_timezone(&zone);
    let end_local = end.with_timezone(&zone);
    let series = Series::new(rule, &start_local, &end_local, zone)
        .map_err(|e| CalendarError::Refused(format!("the new series: {e}")))?;
    let start_local = series.first().start;
    let end_local = series.first().end;
    let subject = req
        .change
        .subject
        .clone()
        .or(master_event.subject.clone())
        .unwrap_or_default();
    let invitees = req
        .change
        .invitees
        .clone()
        .unwrap_or_else(|| master_event.invitees.clone());
    let message = lenient::value(&master, "body")
        .and_then(|b| lenient::value(b, "content"))
        .and_then(Value::as_str)
        .and_then(message_of);
    let (carried, not_carried) =
        match options_set_on(client, target, master_event.join_url.as_deref()).await {
            Ok(options) => (options, None),
            Err(why) => (MeetingOptions::new(), Some(why)),
        };
    let request = MeetingRequest::new(&subject, &start_local, &end_local, false, None)
        .map_err(|e| CalendarError::Refused(e.to_string()))?
        .with_options(carried.overlay(&req.change.options))
        .map_err(|e| CalendarError::Refused(e.to_string()))?;
    let request = EventRequest::new(
        request,
        invitees,
        message,
        master_event.location.clone(),
        crate::calendar::new_transaction_id(),
    )
    .and_then(|r| r.repeating(series))
    .map_err(CalendarError::Refused)?
    // The invitation's fields go on as they were, but for what the change sets.
    .with_invitation(master_event.invitation.overlay(&req.change.invitation));
    // The old series ends first: a failure there leaves everything as it was.
    patch_recurrence(
        client,
        target,
        req.master_id,
        &ending_on(&rules, last),
        on_wait,
    )
    .await?;
    let outlook = OutlookZone::for_tz(zone);
    match flow::create_event(client, target, &request, &outlook, on_wait).await {
        Ok(mut created) => {
            if let Some(why) = not_carried {
                created.warnings.push(format!(
                    "the new series has a new meeting's options, not the old one's: {why}"
                ));
            }
            Ok(Split {
                ended: Ended { last },
                created,
                request,
            })
        }
        Err(CalendarError::Graph(e)) if e.kind == ErrorKind::OutcomeUnknown => {
            let mut e = e;
            e.message = format!(
                "{}; the series now ends on {} (its meetings from {} on were called off), and \
                 the new series may have been made (transaction id {}): look in your calendar",
                e.message,
                last.format("%a %-d %b %Y"),
                req.date.format("%a %-d %b"),
                request.transaction_id
            );
            Err(CalendarError::Graph(e))
        }
        Err(e) => {
            // Give the series its end back; the attendees get one more update, and the
            // series is as it was.
            let restored =
                patch_recurrence(client, target, req.master_id, &as_it_was(&rules), on_wait).await;
            let what = match restored {
                Ok(()) => "the series was given back its end and is as it was".to_string(),
                Err(r) => format!(
                    "the series could not be given back its end ({r}) and now ends on {}",
                    last.format("%a %-d %b %Y")
                ),
            };
            Err(match e {
                CalendarError::Refused(line) => {
                    CalendarError::Refused(format!("the new series was refused: {line}; {what}"))
                }
                CalendarError::Graph(mut g) => {
                    g.message = format!("the new series was not made: {}; {what}", g.message);
                    CalendarError::Graph(g)
                }
                other => other,
            })
        }
    }
}

/// A later meeting of a series, and who is not free for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// The people busy (or tentative, away, elsewhere) then, as asked for; empty when
    /// everyone is free. Someone whose calendar cannot be read is not counted.
    pub busy: Vec<String>,
}

/// How many of a series' meetings after the first a suggestion checks: a month of a
/// weekly meeting, without a request per meeting of a year.
pub const CHECKED_AFTER_FIRST: usize = 4;

/// The meetings after the first of `series` (at most `n`), each with who is not free then
/// (getSchedule over the meeting, one interval long, GRAPH-SCHEDULING §4.1).
pub async fn clashes(
    client: &GraphClient,
    target: &Target,
    people: &[String],
    series: &Series,
    n: usize,
) -> Result<Vec<Clash>, CalendarError> {
    let zone = OutlookZone::for_tz(series.zone());
    let mut out = Vec::new();
    for o in series.occurrences().skip(1).take(n) {
        let minutes = (o.end - o.start).num_minutes().clamp(5, 1440) as u32;
        let fb = flow::free_busy(
            client,
            target,
            people,
            o.start.with_timezone(&Utc),
            o.end.with_timezone(&Utc),
            minutes,
            &zone,
        )
        .await?;
        let busy = fb
            .people
            .iter()
            .filter(|p| p.error.is_none())
            .filter(|p| {
                p.slots
                    .iter()
                    .any(|a| !a.is_free() && *a != crate::calendar::Availability::Unknown)
            })
            .map(|p| p.who.clone())
            .collect();
        out.push(Clash {
            start: o.start,
            end: o.end,
            busy,
        });
    }
    Ok(out)
}

/// `the next 4 meetings: everyone free`, or which would clash and for whom, times in
/// `zone`; `name` says a person as the caller shows people.
pub fn later_line(later: &[Clash], zone: &Tz, name: impl Fn(&str) -> String) -> String {
    let head = format!("the next {} meetings:", later.len());
    let busy: Vec<String> = later
        .iter()
        .filter(|c| !c.busy.is_empty())
        .map(|c| {
            let who: Vec<String> = c.busy.iter().map(|b| name(b)).collect();
            format!(
                "{} {} not free",
                c.start.with_timezone(zone).format("%a %-d %b"),
                who.join(", ")
            )
        })
        .collect();
    if busy.is_empty() {
        format!("{head} everyone free")
    } else {
        format!("{head} {}", busy.join("; "))
    }
}

/// Why a date names no meeting of the series.
pub fn no_meeting_on(date: NaiveDate) -> String {
    format!(
        "the series has no meeting on {} (not one of its days, or cancelled); give the date \
         of one of its meetings, as YYYY-MM-DD",
        date.format("%a %-d %b %Y")
    )
}

/// The message of an invitation: its text before the Teams join block (which begins with
/// a line of underscores, the service's and the emulator's alike). None when nothing
/// else was written.
pub(crate) fn message_of(html: &str) -> Option<String> {
    let text = html2text::from_read(html.as_bytes(), 10_000).ok()?;
    let mut kept = Vec::new();
    for line in text.lines() {
        if line.contains("__________") {
            break;
        }
        kept.push(line.trim_end());
    }
    let message = kept.join("\n").trim().to_string();
    (!message.is_empty()).then_some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_what_comes_before_the_join_block() {
        let html = "<p>Agenda:<br>1. numbers</p><div><span>________________________________\
                    </span></div><div>Microsoft Teams meeting</div>";
        assert_eq!(message_of(html).as_deref(), Some("Agenda:\n1. numbers"));
        assert_eq!(
            message_of("<div><span>______________</span></div><p>Join</p>"),
            None
        );
    }

    #[test]
    fn a_pattern_is_sent_back_with_only_what_its_type_uses() {
        let got = pattern_to_send(
            &json!({"type": "weekly", "interval": 1, "daysOfWeek": ["tuesday"],
            "firstDayOfWeek": "sunday", "dayOfMonth": 0, "month": 0, "index": "first"}),
        );
        assert_eq!(
            got,
            json!({"type": "weekly", "interval": 1, "daysOfWeek": ["tuesday"], "firstDayOfWeek": "sunday"})
        );
    }

    #[test]
    fn original_starts_are_read_with_or_without_a_zone() {
        let t = Utc.with_ymd_and_hms(2037, 3, 10, 9, 0, 0).unwrap();
        assert_eq!(utc_of("2037-03-10T09:00:00Z"), Some(t));
        assert_eq!(utc_of("2037-03-10T09:00:00.0000000"), Some(t));
        assert_eq!(utc_of("tuesday"), None);
    }
}
