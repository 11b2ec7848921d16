//! `POST …/events/{id}/accept|tentativelyAccept|decline` (GRAPH-NEXT §4.1, §4.3): 202 and
//! no body; the answer lands on the organizer's `attendees[i].status` (and
//! `proposedNewTime`), and is the attendee's own `responseStatus`. The service's refusals:
//! the organizer answering their own meeting, accepting a cancelled one, a proposed time
//! where the organizer forbids proposals, with `sendResponse:false`, or on accept.
//!
//! The emulator keeps one copy of each event for everybody, so an answer is stored on the
//! attendee's entry of that copy, and [`decorate`] shows it to whoever reads the event. An
//! answer to one occurrence makes it an exception for everybody (the organizer's copy tracks
//! that date's answers apart too); an answer to the master reaches every occurrence that is
//! not one.

use super::answers::{Outcome, Reply};
use super::calendar::Call;
use super::calendar_store::{Exception, Found, StoredEvent, new_change_key};
use super::calendar_view::stamp;
use super::meetings::{self, parse_time};
use super::operations::read_object;
use super::org;
use super::state::Shared;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

const NEVER: &str = "0001-01-01T00:00:00Z";

fn field<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn refuse(call: &Call, code: &str, message: impl Into<String>) -> Reply {
    call.ctx.error(StatusCode::BAD_REQUEST, code, message)
}

/// The Exchange suffix of an action's refusal codes.
fn suffix(action: &str) -> &'static str {
    match action.to_ascii_lowercase().as_str() {
        "accept" => "Accept",
        "decline" => "Decline",
        _ => "Tentative",
    }
}

fn response_of(action: &str) -> &'static str {
    match action.to_ascii_lowercase().as_str() {
        "accept" => "accepted",
        "decline" => "declined",
        _ => "tentativelyAccepted",
    }
}

/// A `timeSlot{start,end}` of `dateTimeTimeZone`s, kept as given after checking it reads.
fn time_slot(call: &Call, v: &Value) -> Result<Value, Reply> {
    for end in ["start", "end"] {
        let dt = v[end]["dateTime"].as_str().unwrap_or_default();
        let zone = v[end]["timeZone"].as_str().unwrap_or_default();
        let readable = parse_time(dt).is_some()
            || chrono::NaiveDateTime::parse_from_str(dt, "%Y-%m-%dT%H:%M:%S%.f").is_ok();
        if !readable || zone.is_empty() {
            return Err(refuse(
                call,
                "ErrorInvalidRequest",
                format!("The proposedNewTime {end} is not a valid dateTimeTimeZone."),
            ));
        }
        if super::timezones::Zone::parse(zone).is_none() {
            return Err(call.zone_error(zone));
        }
    }
    Ok(json!({"start": v["start"], "end": v["end"]}))
}

pub(crate) fn answer(call: &Call, id: &str, action: &str) -> Outcome {
    let body = if call.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        read_object(call.ctx, call.headers, call.body)?
    };
    let comment = field(&body, "comment")
        .and_then(Value::as_str)
        .map(str::to_string);
    let send = field(&body, "sendResponse")
        .map(|v| v.as_bool().unwrap_or(true))
        .unwrap_or(true);
    let proposed = match field(&body, "proposedNewTime").filter(|v| !v.is_null()) {
        None => None,
        Some(_) if action.eq_ignore_ascii_case("accept") => {
            return Err(refuse(
                call,
                "RequestBodyRead",
                "The parameter 'ProposedNewTime' in the request payload is not a valid parameter for the operation 'accept'.",
            ));
        }
        Some(v) => Some(time_slot(call, v)?),
    };
    let key = call.key();
    let mut st = call.shared.lock();
    let not_found = || {
        call.ctx.error(
            StatusCode::NOT_FOUND,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    };
    let found = st.calendar.locate(id).ok_or_else(not_found)?;
    let e = st
        .calendar
        .instance(id)
        .filter(|e| super::calendar_view::on_calendar_of(e, &key))
        .ok_or_else(not_found)?
        .into_owned();
    if e.owner == key {
        return Err(refuse(
            call,
            &format!("ErrorCalendarIsOrganizerFor{}", suffix(action)),
            "Your request can't be completed. The organizer can't respond to their own meeting.",
        ));
    }
    if e.cancelled && !action.eq_ignore_ascii_case("decline") {
        return Err(refuse(
            call,
            &format!("ErrorCalendarIsCancelledFor{}", suffix(action)),
            "Your request can't be completed. The meeting has been canceled.",
        ));
    }
    if proposed.is_some() {
        let allowed = e
            .extra
            .get("allowNewTimeProposals")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if !allowed {
            return Err(refuse(
                call,
                "ErrorInvalidRequest",
                "Your request can't be completed. The organizer doesn't allow new time proposals for this meeting.",
            ));
        }
        if !send {
            return Err(refuse(
                call,
                "ErrorInvalidRequest",
                "Your request can't be completed. A new time can only be proposed with a response sent to the organizer.",
            ));
        }
    }
    let response = response_of(action);
    answer_found(
        &mut st.calendar.events,
        found,
        &key,
        response,
        proposed.clone(),
    );
    let log = json!({
        "eventId": e.id,
        "subject": e.subject,
        "from": call.user.upn,
        "to": e.organizer_address,
        "responseType": response,
        "comment": comment,
        "sendResponse": send,
        "proposedNewTime": proposed,
        "sent": stamp(&meetings::now()),
    });
    st.agenda.responses.push(log);
    Ok(Reply {
        status: StatusCode::ACCEPTED,
        body: None,
        headers: Vec::new(),
    })
}

/// Writes an answer where the id found points: on a single event; on a series master, and so
/// on every occurrence that is not an exception (those keep their own answers); on one
/// occurrence, which becomes an exception holding it, as the service keeps an answer to one
/// date (GRAPH-NEXT §2.3, §4.1). False when `key` is not an attendee there.
fn answer_found(
    events: &mut [StoredEvent],
    found: Found,
    key: &str,
    response: &str,
    proposed: Option<Value>,
) -> bool {
    match found {
        Found::Event(i) => set_status(&mut events[i], key, response, proposed),
        Found::Occurrence(i, date) => {
            let master = &mut events[i];
            let Some(occurrence) = master.occurrence(date) else {
                return false;
            };
            let Some(series) = master.series.as_deref_mut() else {
                return false;
            };
            let x = series.exceptions.entry(date).or_insert_with(|| Exception {
                start: occurrence.start,
                end: occurrence.end,
                attendees: occurrence.attendees.clone(),
                subject: None,
                show_as: None,
                extra: Default::default(),
                change_key: occurrence.change_key.clone(),
                modified: occurrence.modified,
            });
            if !set_attendee(&mut x.attendees, key, response, proposed) {
                return false;
            }
            x.change_key = new_change_key();
            x.modified = meetings::now();
            true
        }
    }
}

/// Writes `response` on `key`'s attendee entry; a new change key, as the service's copy
/// changes with every answer.
fn set_status(e: &mut StoredEvent, key: &str, response: &str, proposed: Option<Value>) -> bool {
    if !set_attendee(&mut e.attendees, key, response, proposed) {
        return false;
    }
    e.changed();
    true
}

fn set_attendee(
    attendees: &mut [Value],
    key: &str,
    response: &str,
    proposed: Option<Value>,
) -> bool {
    let Some(a) = attendees.iter_mut().find(|a| {
        a["emailAddress"]["address"]
            .as_str()
            .is_some_and(|x| org::key(x) == key)
    }) else {
        return false;
    };
    a["status"] = json!({"response": response, "time": stamp(&meetings::now())});
    match (a.as_object_mut(), proposed) {
        (Some(o), Some(p)) => {
            o.insert("proposedNewTime".into(), p);
        }
        (Some(o), None) => {
            o.remove("proposedNewTime");
        }
        _ => {}
    }
    true
}

/// The stored answers in a rendered event: each attendee's status (and proposal), and the
/// reader's own `responseStatus`.
pub(crate) fn decorate(reader: &str, e: &StoredEvent, v: &mut Value) {
    if let Some(list) = v["attendees"].as_array_mut() {
        for (shown, stored) in list.iter_mut().zip(&e.attendees) {
            if let Some(s) = stored.get("status") {
                shown["status"] = s.clone();
            }
            if let Some(p) = stored.get("proposedNewTime") {
                shown["proposedNewTime"] = p.clone();
            }
        }
    }
    if e.owner == reader {
        return;
    }
    let mine = e.attendees.iter().find(|a| {
        a["emailAddress"]["address"]
            .as_str()
            .is_some_and(|x| org::key(x) == reader)
    });
    if let Some(s) = mine.and_then(|a| a.get("status")) {
        v["responseStatus"] = s.clone();
    } else if mine.is_some() {
        v["responseStatus"] = json!({"response": "notResponded", "time": NEVER});
    }
}

/// `POST /_emulator/events/respond`: a colleague answers (and may propose a new time), as
/// their Outlook would. Body: `{"attendee", "response": accepted|tentativelyAccepted|
/// declined|none, "subject" or "eventId", "proposedStart", "proposedEnd"}` (times in UTC).
pub(crate) fn respond_as(shared: &Shared, body: &Value) -> Result<Value, String> {
    let attendee = body["attendee"]
        .as_str()
        .ok_or("attendee: an address is required")?;
    let response = body["response"].as_str().unwrap_or("accepted");
    if !["accepted", "tentativelyAccepted", "declined", "none"].contains(&response) {
        return Err(format!(
            "response '{response}': one of accepted, tentativelyAccepted, declined, none"
        ));
    }
    let proposed = match (body["proposedStart"].as_str(), body["proposedEnd"].as_str()) {
        (Some(s), Some(e)) => {
            let (s, e) = (
                parse_time(s).ok_or("proposedStart: not an ISO 8601 time")?,
                parse_time(e).ok_or("proposedEnd: not an ISO 8601 time")?,
            );
            let dtz = |t: &chrono::DateTime<chrono::Utc>| json!({"dateTime": format!("{}.0000000", t.format("%Y-%m-%dT%H:%M:%S")), "timeZone": "UTC"});
            Some(json!({"start": dtz(&s), "end": dtz(&e)}))
        }
        (None, None) => None,
        _ => return Err("proposedStart and proposedEnd go together".into()),
    };
    let key = org::key(attendee);
    let mut st = shared.lock();
    // By id (an occurrence's too: the colleague answers that date only), else the newest
    // event with that subject (a series by its master).
    let found = match body["eventId"].as_str() {
        Some(id) => st.calendar.locate(id),
        None => st
            .calendar
            .events
            .iter()
            .rposition(|e| body["subject"].as_str() == Some(e.subject.as_str()))
            .map(Found::Event),
    }
    .ok_or("no event with that eventId or subject")?;
    let id = match found {
        Found::Event(i) => st.calendar.events[i].id.clone(),
        Found::Occurrence(i, date) => {
            super::calendar_store::occurrence_id(&st.calendar.events[i].id, date)
        }
    };
    if !answer_found(&mut st.calendar.events, found, &key, response, proposed) {
        return Err(format!("{attendee} is not an attendee of that event"));
    }
    Ok(json!({"eventId": id, "attendee": attendee, "response": response}))
}
