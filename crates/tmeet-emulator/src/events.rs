//! `/me/events` (GRAPH-SCHEDULING §3, §9): create with the service's defaults and its Teams
//! join block, `transactionId` retries, sticky online-meeting flags, PATCH, cancel and
//! delete, and the invitations, updates and cancellations they send. Series (GRAPH-NEXT §2):
//! a create with `recurrence` stores a master; calendarView and `/instances` show its
//! occurrences (the rule is `recurrence.rs`, what is kept `calendar_store.rs`).

use super::answers::{Outcome, Reply, ok};
use super::calendar::Call;
use super::calendar_store::{
    Found, Mail, MailKind, OnlineInfo, Series, ShowAs, StoredEvent, new_change_key, new_event,
};
use super::faults::Fault;
use super::join_information;
use super::meetings::{self, NewMeeting, StoredMeeting, TOLL_NUMBER, format_time};
use super::operations::read_object;
use super::org;
use super::recurrence::{self, Invalid, Recurrence};
use super::templates;
use super::timezones::{self, Zone};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// A reply carrying this header is not sent: the connection is closed instead (the
/// `event-lost-answer` fault). `graph.rs` looks for it.
pub(crate) const DROP_ANSWER: &str = "x-tmeet-emulator-drop-answer";

/// The documented maximum (learn `resources/event`); how the service refuses more is not.
const MAX_ATTENDEES: usize = 500;

/// Properties stored and echoed as given.
const ECHOED: &[&str] = &[
    "importance",
    "sensitivity",
    "location",
    "locations",
    "categories",
    "isReminderOn",
    "reminderMinutesBeforeStart",
    "allowNewTimeProposals",
    "responseRequested",
    "hideAttendees",
    "isAllDay",
];

/// The enum members of the invitation's fields (GRAPH-SCHEDULING §3.2; CSDL `importance`,
/// `sensitivity`), as the service spells them.
const IMPORTANCE: &[&str] = &["low", "normal", "high"];
const SENSITIVITY: &[&str] = &["normal", "personal", "private", "confidential"];
/// Writable booleans of an event.
const FLAGS: &[&str] = &[
    "isReminderOn",
    "responseRequested",
    "allowNewTimeProposals",
    "hideAttendees",
    "isAllDay",
];

/// A value the request's type cannot take: the OData reader's refusal.
fn not_the_type(call: &Call, v: &Value, edm: &str) -> Reply {
    let literal = v.as_str().map_or_else(|| v.to_string(), str::to_string);
    invalid(
        call,
        format!("Cannot convert the literal '{literal}' to the expected type '{edm}'."),
    )
}

fn not_in_enum(call: &Call, value: &str, property: &str) -> Reply {
    invalid(
        call,
        format!("Requested value '{value}' was not found in the enum for property '{property}'."),
    )
}

/// The invitation's fields of a create or PATCH body, checked as the service reads them
/// (enum members in any case, booleans, an Int32, a collection of strings) and returned
/// in the service's spelling, to be stored and echoed. `showAs` is kept apart
/// ([`StoredEvent::show_as`]): getSchedule reads it.
fn invitation_fields(
    call: &Call,
    body: &Map<String, Value>,
) -> Result<(Option<ShowAs>, Map<String, Value>), Reply> {
    let mut out = Map::new();
    let member = |name: &str, members: &[&str]| -> Result<Option<Value>, Reply> {
        let Some(v) = body.get(name) else {
            return Ok(None);
        };
        let text = v
            .as_str()
            .ok_or_else(|| not_the_type(call, v, "Edm.String"))?;
        members
            .iter()
            .find(|m| m.eq_ignore_ascii_case(text.trim()))
            .map(|m| Some(Value::from(*m)))
            .ok_or_else(|| not_in_enum(call, text, name))
    };
    for (name, members) in [("importance", IMPORTANCE), ("sensitivity", SENSITIVITY)] {
        if let Some(v) = member(name, members)? {
            out.insert(name.into(), v);
        }
    }
    for name in FLAGS {
        if let Some(v) = body.get(*name) {
            if !v.is_boolean() {
                return Err(not_the_type(call, v, "Edm.Boolean"));
            }
            out.insert((*name).into(), v.clone());
        }
    }
    if let Some(v) = body.get("reminderMinutesBeforeStart") {
        let minutes = v
            .as_i64()
            .filter(|m| i32::try_from(*m).is_ok())
            .ok_or_else(|| not_the_type(call, v, "Edm.Int32"))?;
        out.insert("reminderMinutesBeforeStart".into(), minutes.into());
    }
    if let Some(v) = body.get("categories") {
        let list = v
            .as_array()
            .filter(|l| l.iter().all(Value::is_string))
            .ok_or_else(|| invalid(call, "categories must be a collection of strings."))?;
        out.insert("categories".into(), Value::Array(list.clone()));
    }
    let show_as = match body.get("showAs") {
        None => None,
        Some(v) => {
            let text = v
                .as_str()
                .ok_or_else(|| not_the_type(call, v, "Edm.String"))?;
            Some(ShowAs::parse(text).ok_or_else(|| not_in_enum(call, text, "showAs"))?)
        }
    };
    Ok((show_as, out))
}

/// IANA names an event's `start`/`end` is refused in with `ErrorPropertyValidationFailure`
/// (GRAPH-REAL.md Q19); their Windows names are taken.
const REFUSED_BY_VALIDATION: &[&str] = &["Africa/Casablanca"];

const JOIN_PREFIX: &str = "https://teams.microsoft.com/l/meetup-join/";

fn not_found(call: &Call) -> Reply {
    call.ctx.error(
        StatusCode::NOT_FOUND,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

fn invalid(call: &Call, message: impl Into<String>) -> Reply {
    call.ctx
        .error(StatusCode::BAD_REQUEST, "ErrorInvalidRequest", message)
}

/// A `dateTimeTimeZone` of a request → (UTC instant, the zone name as given).
fn date_time_zone(call: &Call, v: &Value, what: &str) -> Result<(DateTime<Utc>, String), Reply> {
    let dt = v["dateTime"]
        .as_str()
        .ok_or_else(|| invalid(call, format!("The {what} time of the event is missing.")))?;
    let zone_name = v["timeZone"].as_str().unwrap_or("UTC");
    let zone = Zone::parse(zone_name).ok_or_else(|| call.zone_error(zone_name))?;
    if REFUSED_BY_VALIDATION
        .iter()
        .any(|z| z.eq_ignore_ascii_case(zone_name.trim()))
    {
        // Not TimeZoneNotSupportedException, and a message that names no property
        // (microsoft-graph-docs-contrib#1609), though the zone is in Outlook's own list.
        return Err(call.ctx.error(
            StatusCode::BAD_REQUEST,
            "ErrorPropertyValidationFailure",
            "At least one property failed validation.",
        ));
    }
    if !zone.is_windows_name() && !call.shared.lock().calendar.iana_zones_in_events {
        return Err(call.zone_error(zone_name));
    }
    let local = timezones::parse_local(dt).ok_or_else(|| {
        invalid(
            call,
            format!("Cannot convert the literal '{dt}' to the expected type 'Edm.DateTime'."),
        )
    })?;
    Ok((zone.to_utc(local), zone_name.trim().to_string()))
}

fn attendees_of(call: &Call, v: Option<&Value>) -> Result<Vec<Value>, Reply> {
    let Some(list) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| invalid(call, "attendees must be a collection."))?;
    if list.len() > MAX_ATTENDEES {
        return Err(invalid(
            call,
            format!("An event can have at most {MAX_ATTENDEES} attendees."),
        ));
    }
    list.iter()
        .map(|a| {
            let address = a["emailAddress"]["address"]
                .as_str()
                .map(str::trim)
                .filter(|s| s.contains('@'))
                .ok_or_else(|| {
                    call.ctx.error(
                        StatusCode::BAD_REQUEST,
                        "ErrorInvalidRecipients",
                        "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
                    )
                })?;
            let name = a["emailAddress"]["name"]
                .as_str()
                .map(str::to_string)
                .or_else(|| org::find(address).map(|p| p.display_name.to_string()))
                .unwrap_or_else(|| address.to_string());
            let kind = a["type"]
                .as_str()
                .unwrap_or("required")
                .to_ascii_lowercase();
            if !["required", "optional", "resource"].contains(&kind.as_str()) {
                return Err(invalid(
                    call,
                    format!("Requested value '{kind}' was not found in the enum for property 'type'."),
                ));
            }
            Ok(json!({"type": kind, "emailAddress": {"name": name, "address": address}}))
        })
        .collect()
}

/// Plain text of an HTML body, for `bodyPreview` and `outlook.body-content-type="text"`.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The first Teams join link in a body, as a mail reader would find it.
pub(crate) fn join_link_in(body: &str) -> Option<String> {
    let at = body.find(JOIN_PREFIX)?;
    let link: String = body[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>'))
        .collect();
    Some(link.replace("&amp;", "&"))
}

pub(crate) fn render(call: &Call, e: &StoredEvent) -> Value {
    let zone = call.prefs.zone();
    let dtz = |t: &DateTime<Utc>| json!({"dateTime": timezones::format_local(&zone.to_local(t)), "timeZone": zone.name});
    // hideAttendees: an invitee's copy lists only themselves (GRAPH-NEXT §4.3).
    let hidden = e.owner != call.key() && e.extra.get("hideAttendees") == Some(&Value::Bool(true));
    let attendees: Vec<Value> = e
        .attendees
        .iter()
        .filter(|a| {
            !hidden
                || a["emailAddress"]["address"]
                    .as_str()
                    .is_some_and(|x| org::key(x) == call.key())
        })
        .map(|a| {
            let mut a = a.clone();
            a["status"] = json!({"response": "none", "time": "0001-01-01T00:00:00Z"});
            a
        })
        .collect();
    let (body_type, content) = if call.prefs.body_text {
        ("text".to_string(), text_of(&e.body))
    } else {
        (e.body_type.clone(), e.body.clone())
    };
    let preview: String = text_of(&e.body).chars().take(255).collect();
    let id_in_url: String = url::form_urlencoded::byte_serialize(e.id.as_bytes()).collect();
    let kind = match (&e.series, &e.instance) {
        (Some(_), _) => "seriesMaster",
        (None, Some(i)) if i.exception => "exception",
        (None, Some(_)) => "occurrence",
        (None, None) => "singleInstance",
    };
    let mut v = json!({
        "@odata.context": call.context("/events/$entity"),
        "@odata.etag": format!("W/\"{}\"", e.change_key),
        "id": e.id,
        "createdDateTime": format_time(&e.created),
        "lastModifiedDateTime": format_time(&e.modified),
        "changeKey": e.change_key,
        "categories": [],
        "transactionId": e.transaction_id,
        "originalStartTimeZone": e.start_zone,
        "originalEndTimeZone": e.end_zone,
        "iCalUId": e.ical_uid,
        "reminderMinutesBeforeStart": 15,
        "isReminderOn": true,
        "hasAttachments": false,
        "subject": e.subject,
        "bodyPreview": preview,
        "importance": "normal",
        "sensitivity": "normal",
        "isAllDay": false,
        "isCancelled": e.cancelled,
        "isOrganizer": e.owner == call.key(),
        "responseRequested": true,
        "seriesMasterId": e.instance.as_ref().map(|i| i.master_id.clone()),
        "showAs": e.show_as.name(),
        "type": kind,
        "webLink": format!("https://outlook.office365.com/owa/?itemid={id_in_url}&exvsurl=1&path=/calendar/item"),
        "onlineMeetingUrl": null,
        "isOnlineMeeting": e.is_online,
        "onlineMeetingProvider": e.provider,
        "allowNewTimeProposals": true,
        "isDraft": false,
        "hideAttendees": false,
    });
    let rest = json!({
        "responseStatus": {
            "response": if e.owner == call.key() { "organizer" } else { "notResponded" },
            "time": "0001-01-01T00:00:00Z",
        },
        "body": {"contentType": body_type, "content": content},
        "start": dtz(&e.start),
        "end": dtz(&e.end),
        "location": {"displayName": "", "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}},
        "locations": [],
        // Only a master carries the rule; its occurrences say null (GRAPH-NEXT §2.2).
        "recurrence": e.series.as_ref().map(|s| s.rule.to_json(&e.start_zone)),
        "attendees": attendees,
        "organizer": {"emailAddress": {"name": e.organizer_name, "address": e.organizer_address}},
        "onlineMeeting": e.online.as_ref().map(|o| json!({
            "joinUrl": o.join_url,
            "conferenceId": o.conference_id,
            "tollNumber": o.toll_number,
        })),
    });
    if let (Some(v), Value::Object(rest)) = (v.as_object_mut(), rest) {
        v.extend(rest);
    }
    if let Some(i) = &e.instance {
        // UTC, on occurrences and exceptions only (GRAPH-NEXT §2.2).
        v["originalStart"] = json!(format_time(&i.original_start));
    }
    for (k, val) in &e.extra {
        v[k.as_str()] = val.clone();
    }
    super::responses::decorate(&call.key(), e, &mut v);
    v
}

/// The Teams meeting behind a new online event: an onlineMeeting the organizer can find
/// by `JoinWebUrl` (§3.7), and the join block the service appends to the body.
fn attach_teams_meeting(
    call: &Call,
    e: &mut StoredEvent,
    meetings: &mut Vec<StoredMeeting>,
    mailbox_language: &str,
) {
    let participants = e
        .attendee_addresses()
        .iter()
        .filter_map(|a| org::mailbox(a))
        .map(|p| json!({"upn": p.upn, "role": "attendee", "identity": {"user": {"id": p.id, "displayName": p.display_name}}}))
        .collect();
    let meeting = StoredMeeting::create(NewMeeting {
        tenant_id: call.tenant_id.clone(),
        organizer: call.user.clone(),
        external_id: None,
        start: e.start,
        end: e.end,
        subject: Some(e.subject.clone()),
        passcode_required: false,
        settings: Map::new(),
        attendees: participants,
    });
    // The join block is written in the mailbox's language (Outlook's settings), whatever
    // the request's Accept-Language says (microsoft-graph-docs#10656).
    let lang = templates::choose(Some(mailbox_language));
    let info = meeting.to_json(lang, false);
    let blob = info["joinInformation"]["content"]
        .as_str()
        .and_then(join_information::decode)
        .unwrap_or_default();
    if e.body_type != "html" {
        e.body = escape(&e.body).replace('\n', "<br>");
        e.body_type = "html".into();
    }
    e.body = format!(
        "{}<div><br></div><div style=\"width:100%\"><span style=\"white-space:nowrap;color:#5F5F5F;opacity:.36\">________________________________________________________________________________</span></div>{blob}",
        e.body
    );
    e.online = Some(OnlineInfo {
        join_url: meeting.join_web_url.clone(),
        conference_id: meeting.conference_id.clone(),
        toll_number: TOLL_NUMBER.into(),
    });
    meetings.push(meeting);
}

fn send(
    mail: &mut Vec<Mail>,
    e: &StoredEvent,
    to: &[String],
    kind: MailKind,
    comment: Option<&str>,
) {
    let now = meetings::now();
    for recipient in to {
        mail.push(Mail {
            recipient: recipient.clone(),
            kind,
            subject: e.subject.clone(),
            event_id: e.id.clone(),
            join_url: join_link_in(&e.body),
            comment: comment.map(str::to_string),
            sent: now,
        });
    }
}

/// The refusal of a `recurrence` the service would not take (GRAPH-NEXT §2.1).
fn recurrence_refused(call: &Call, why: Invalid) -> Reply {
    match why {
        Invalid::Unreadable(note) => {
            tracing::debug!(target: "tmeet_emulator", "recurrence refused: {note}");
            // The words reported of the service (msgraph-sdk-javascript#404), as they are.
            call.ctx.error(
                StatusCode::BAD_REQUEST,
                "UnableToDeserializePostBody",
                "were unable to deserialize ",
            )
        }
        Invalid::Property(note) => {
            tracing::debug!(target: "tmeet_emulator", "recurrence refused: {note}");
            call.ctx.error(
                StatusCode::BAD_REQUEST,
                "ErrorPropertyValidationFailure",
                "At least one property failed validation.",
            )
        }
    }
}

/// A create's `recurrence`, checked: its rule, its zone (`recurrenceTimeZone` or the
/// start's), and a `range.startDate` that is the start's date, as the documentation says
/// it MUST be (how the service refuses another date is not written; the emulator uses the
/// generic validation failure). None for a single instance.
fn series_of(
    call: &Call,
    body: &Map<String, Value>,
    start: DateTime<Utc>,
    start_zone: &str,
) -> Result<Option<Series>, Reply> {
    let Some(v) = body.get("recurrence") else {
        return Ok(None);
    };
    let range_first = recurrence::range_before_pattern(call.body);
    let Some(rule) = Recurrence::parse(v, range_first).map_err(|w| recurrence_refused(call, w))?
    else {
        return Ok(None);
    };
    let zone_name = rule
        .time_zone
        .clone()
        .unwrap_or_else(|| start_zone.to_string());
    let zone = Zone::parse(&zone_name).ok_or_else(|| call.zone_error(&zone_name))?;
    let own = Zone::parse(start_zone).unwrap_or_else(Zone::utc);
    if own.to_local(&start).date() != rule.start_date {
        return Err(recurrence_refused(
            call,
            Invalid::Property("range.startDate is not the date of start".into()),
        ));
    }
    Ok(Some(Series::new(rule, zone)))
}

pub(crate) fn create(call: &Call) -> Outcome {
    let body = read_object(call.ctx, call.headers, call.body)?;
    let (start, start_zone) =
        date_time_zone(call, body.get("start").unwrap_or(&Value::Null), "start")?;
    let (end, end_zone) = date_time_zone(call, body.get("end").unwrap_or(&Value::Null), "end")?;
    if end < start {
        return Err(invalid(
            call,
            "The end time of the event is before its start time.",
        ));
    }
    let attendees = attendees_of(call, body.get("attendees"))?;
    let series = series_of(call, &body, start, &start_zone)?;
    let (show_as, fields) = invitation_fields(call, &body)?;
    let show_as = show_as.unwrap_or(ShowAs::Busy);
    let transaction_id = body
        .get("transactionId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let payload = Value::Object(body.clone());
    let key = call.key();
    let mut st = call.shared.lock();
    if let Some(tid) = &transaction_id
        && let Some(existing) = st
            .calendar
            .events
            .iter()
            .find(|e| e.owner == key && e.transaction_id.as_deref() == Some(tid))
    {
        // A retry of the same create gets the event it made (the emulator's choice; the
        // documentation only says the id lets the server "avoid redundant POSTs").
        if existing.create_payload.as_ref() == Some(&payload) {
            return Ok(ok(StatusCode::CREATED, render(call, existing)));
        }
        let mut r = call.ctx.error(
            StatusCode::BAD_REQUEST,
            "ErrorDuplicateTransactionId",
            "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.",
        );
        if let Some(err) = r.body.as_mut().and_then(|b| b.get_mut("error")) {
            err["@event.existingEventId"] = json!(existing.id);
        }
        return Err(r);
    }
    let wants_online = body.get("isOnlineMeeting").and_then(Value::as_bool) == Some(true);
    // A downgrade waits for a create that asks for a meeting; a lost answer takes any.
    let fault = match st.calendar.event_faults.front() {
        Some(Fault::EventDowngrade) if !wants_online => None,
        _ => st.calendar.event_faults.pop_front(),
    };
    if fault == Some(Fault::EventRefused) {
        return Err(call.ctx.error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRequest",
            "The request is invalid.",
        ));
    }
    let mut e = new_event(&call.user.upn, &call.user.display_name, start, end);
    e.subject = body
        .get("subject")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(b) = body.get("body") {
        e.body = b["content"].as_str().unwrap_or_default().to_string();
        e.body_type = b["contentType"]
            .as_str()
            .unwrap_or("text")
            .to_ascii_lowercase();
    }
    e.start_zone = start_zone;
    e.end_zone = end_zone;
    e.show_as = show_as;
    e.attendees = attendees;
    e.series = series.map(Box::new);
    e.transaction_id = transaction_id.clone();
    e.create_payload = transaction_id.as_ref().map(|_| payload.clone());
    e.extra = body
        .iter()
        .filter(|(k, _)| ECHOED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    e.extra.extend(fields);
    if wants_online {
        let provider = body
            .get("onlineMeetingProvider")
            .and_then(Value::as_str)
            .unwrap_or("teamsForBusiness")
            .to_string();
        let allowed = st.calendar.allowed_providers.contains(&provider);
        if provider == "teamsForBusiness" && allowed && fault != Some(Fault::EventDowngrade) {
            e.is_online = true;
            e.provider = provider;
            let mut meetings = std::mem::take(&mut st.meetings);
            let language = st.calendar.mailbox.language().to_string();
            attach_teams_meeting(call, &mut e, &mut meetings, &language);
            st.meetings = meetings;
        }
        // Otherwise the silent downgrade the issues report: 201, isOnlineMeeting false,
        // provider unknown, onlineMeeting null.
    }
    let to = e.attendee_addresses();
    send(&mut st.calendar.mail, &e, &to, MailKind::Invitation, None);
    let mut reply = ok(StatusCode::CREATED, render(call, &e));
    st.calendar.events.push(e);
    if fault == Some(Fault::EventLostAnswer) {
        reply.headers.push((DROP_ANSWER, "1".into()));
    }
    Ok(reply)
}

fn find<'a>(call: &Call, events: &'a [StoredEvent], id: &str) -> Result<&'a StoredEvent, Reply> {
    let key = call.key();
    events
        .iter()
        .find(|e| e.id == id && e.owner == key)
        .ok_or_else(|| not_found(call))
}

pub(crate) fn get(call: &Call, id: &str) -> Outcome {
    let st = call.shared.lock();
    // An invitation is on the attendee's calendar too.
    let key = call.key();
    let e = st
        .calendar
        .instance(id)
        .filter(|e| e.owner == key || e.shows_for(&key).is_some())
        .ok_or_else(|| not_found(call))?;
    let mut v = render(call, &e);
    if let Some(series) = e.series.as_deref() {
        master_extras(call, &e, series, &mut v);
    }
    Ok(ok(StatusCode::OK, v))
}

/// What a series master's GET gives only when asked (GRAPH-NEXT §2.2): with `$select`
/// naming `cancelledOccurrences`, the cancelled dates as `OID.{masterId}.{yyyy-MM-dd}` (the
/// date in the series' zone); with `$expand=exceptionOccurrences`, the exceptions.
fn master_extras(call: &Call, e: &StoredEvent, series: &Series, v: &mut Value) {
    let names = |q: &str| -> bool {
        call.query(q).is_some_and(|list| {
            list.split(',').any(|n| {
                n.trim()
                    .split('(')
                    .next()
                    .unwrap_or("")
                    .eq_ignore_ascii_case(match q {
                        "$select" => "cancelledOccurrences",
                        _ => "exceptionOccurrences",
                    })
            })
        })
    };
    if names("$select") {
        v["cancelledOccurrences"] = json!(
            series
                .cancelled
                .iter()
                .map(|d| format!("OID.{}.{}", e.id, d.format("%Y-%m-%d")))
                .collect::<Vec<_>>()
        );
    }
    if names("$expand") {
        let list: Vec<Value> = series
            .exceptions
            .keys()
            .filter_map(|d| e.occurrence(*d))
            .map(|x| {
                let mut r = render(call, &x);
                if let Some(o) = r.as_object_mut() {
                    o.remove("@odata.context");
                }
                r
            })
            .collect();
        v["exceptionOccurrences"] = json!(list);
    }
}

/// `GET /me/events`: newest first when asked, `$top` (default 10) and `$skip` paging.
pub(crate) fn list(call: &Call) -> Outcome {
    if let Some(f) = call.query("$filter")
        && f.to_ascii_lowercase().contains("transactionid")
    {
        return Err(call.ctx.error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidProperty",
            "The property 'TransactionId' does not support filtering.",
        ));
    }
    let top: usize = call
        .query("$top")
        .and_then(|t| t.parse().ok())
        .unwrap_or(10);
    let skip: usize = call
        .query("$skip")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let newest_first = call
        .query("$orderby")
        .is_some_and(|o| o.to_ascii_lowercase().replace(' ', "") == "createddatetimedesc");
    let st = call.shared.lock();
    let key = call.key();
    let mut mine: Vec<&StoredEvent> = st
        .calendar
        .events
        .iter()
        .filter(|e| e.owner == key && !e.cancelled)
        .collect();
    if newest_first {
        mine.reverse();
    }
    let page: Vec<Value> = mine
        .iter()
        .skip(skip)
        .take(top)
        .map(|e| {
            let mut v = render(call, e);
            if let Some(o) = v.as_object_mut() {
                o.remove("@odata.context");
            }
            v
        })
        .collect();
    let mut out = json!({"@odata.context": call.context("/events"), "value": page});
    if skip + top < mine.len() {
        let mut next = call
            .shared
            .base
            .join(call.uri.path().trim_start_matches('/'))
            .ok();
        if let Some(u) = next.as_mut() {
            u.query_pairs_mut()
                .append_pair("$top", &top.to_string())
                .append_pair("$skip", &(skip + top).to_string());
        }
        out["@odata.nextLink"] = json!(next.map(|u| u.to_string()));
    }
    Ok(ok(StatusCode::OK, out))
}

/// The `startDateTime`/`endDateTime` window calendarView and `/instances` require, each
/// read with its own offset (UTC without one).
fn window(call: &Call) -> Result<(DateTime<Utc>, DateTime<Utc>), Reply> {
    let bound = |name: &str| -> Result<DateTime<Utc>, Reply> {
        let raw = call.query(name).ok_or_else(|| {
            invalid(
                call,
                format!("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime; {name} is missing."),
            )
        })?;
        meetings::parse_time(&raw).ok_or_else(|| {
            invalid(
                call,
                format!("The value '{raw}' of {name} is not a valid ISO 8601 date and time."),
            )
        })
    };
    Ok((bound("startDateTime")?, bound("endDateTime")?))
}

/// One page (`$top`, default ten; `$skip`) of events shown in a window, with the link to
/// the next.
fn window_page(
    call: &Call,
    shown: &[Cow<'_, StoredEvent>],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    context: &str,
) -> Outcome {
    let top: usize = call
        .query("$top")
        .and_then(|t| t.parse().ok())
        .unwrap_or(10);
    let skip: usize = call
        .query("$skip")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let page: Vec<Value> = shown
        .iter()
        .skip(skip)
        .take(top)
        .map(|e| {
            let mut v = render(call, e);
            if let Some(o) = v.as_object_mut() {
                o.remove("@odata.context");
            }
            v
        })
        .collect();
    let mut out = json!({"@odata.context": call.context(context), "value": page});
    if skip + top < shown.len() {
        let mut next = call
            .shared
            .base
            .join(call.uri.path().trim_start_matches('/'))
            .ok();
        if let Some(u) = next.as_mut() {
            u.query_pairs_mut()
                .append_pair("startDateTime", &format_time(&from))
                .append_pair("endDateTime", &format_time(&to))
                .append_pair("$top", &top.to_string())
                .append_pair("$skip", &(skip + top).to_string());
        }
        out["@odata.nextLink"] = json!(next.map(|u| u.to_string()));
    }
    Ok(ok(StatusCode::OK, out))
}

/// `GET /me/calendarView`: what the calendar shows in a window, earliest first, ten a page:
/// single instances, and of each series its occurrences and exceptions, never the master
/// (GRAPH-NEXT §2.2).
pub(crate) fn calendar_view(call: &Call) -> Outcome {
    let (from, to) = window(call)?;
    let st = call.shared.lock();
    let key = call.key();
    let mut shown: Vec<Cow<'_, StoredEvent>> = st
        .calendar
        .expanded(from, to)
        .into_iter()
        .filter(|e| e.shows_for(&key).is_some())
        .collect();
    shown.sort_by_key(|e| e.start);
    window_page(call, &shown, (from, to), "/calendarView")
}

/// `GET /me/events/{masterId}/instances` (GRAPH-NEXT §2.2): the series' occurrences and
/// exceptions in the window, cancelled ones left out, each with `recurrence:null`. Both
/// bounds are required. Of an event that is not a master the documentation says nothing;
/// the emulator answers an empty collection.
pub(crate) fn instances(call: &Call, id: &str) -> Outcome {
    let (from, to) = window(call)?;
    let st = call.shared.lock();
    let key = call.key();
    let master = st
        .calendar
        .events
        .iter()
        .find(|e| e.id == id && (e.owner == key || e.shows_for(&key).is_some()))
        .ok_or_else(|| not_found(call))?;
    let shown: Vec<Cow<'_, StoredEvent>> = master
        .occurrences(from, to)
        .into_iter()
        .filter(|e| e.shows_for(&key).is_some())
        .map(Cow::Owned)
        .collect();
    window_page(
        call,
        &shown,
        (from, to),
        &format!("/events('{}')/instances", master.id),
    )
}

pub(crate) fn patch(call: &Call, id: &str) -> Outcome {
    let body = read_object(call.ctx, call.headers, call.body)?;
    let start = body
        .get("start")
        .map(|v| date_time_zone(call, v, "start"))
        .transpose()?;
    let end = body
        .get("end")
        .map(|v| date_time_zone(call, v, "end"))
        .transpose()?;
    let new_attendees = body
        .get("attendees")
        .map(|v| attendees_of(call, Some(v)))
        .transpose()?;
    let (show_as, fields) = invitation_fields(call, &body)?;
    let mut st = call.shared.lock();
    if let Some(Found::Occurrence(i, date)) = st.calendar.locate(id) {
        if st.calendar.events[i].owner != call.key() {
            return Err(not_found(call));
        }
        let change = OccurrenceChange {
            subject: body.get("subject").and_then(Value::as_str),
            start: start.map(|(t, _)| t),
            end: end.map(|(t, _)| t),
            attendees: new_attendees,
            show_as,
            fields,
        };
        return patch_occurrence(call, &mut st.calendar, i, date, change);
    }
    find(call, &st.calendar.events, id)?;
    let idx = st
        .calendar
        .events
        .iter()
        .position(|e| e.id == id)
        .expect("found just above under the same lock");
    let mut e = st.calendar.events[idx].clone();
    if let Some((t, z)) = start {
        e.start = t;
        e.start_zone = z;
    }
    if let Some((t, z)) = end {
        e.end = t;
        e.end_zone = z;
    }
    if e.end < e.start {
        return Err(invalid(
            call,
            "The end time of the event is before its start time.",
        ));
    }
    if let Some(s) = body.get("subject").and_then(Value::as_str) {
        e.subject = s.to_string();
    }
    let old_series = st.calendar.events[idx].series.clone();
    if body.contains_key("recurrence") {
        e.series = series_of(call, &body, e.start, &e.start_zone)?.map(Box::new);
    } else if let Some(series) = &e.series
        && Zone::parse(&e.start_zone)
            .unwrap_or_else(Zone::utc)
            .to_local(&e.start)
            .date()
            != series.rule.start_date
    {
        // The range must start on the start's date (GRAPH-NEXT §2.1); a master moved to
        // another day without its recurrence would contradict it.
        return Err(recurrence_refused(
            call,
            Invalid::Property("range.startDate is not the date of start".into()),
        ));
    }
    if let (Some(new), Some(old)) = (e.series.as_deref_mut(), old_series.as_deref()) {
        let master = &st.calendar.events[idx];
        new.exceptions.clear();
        new.cancelled.clear();
        // Outlook discards what was changed of single meetings when the series' times or
        // pattern change (GRAPH-NEXT §2.3, inferred); a new end keeps the meetings still in it.
        let same_shape = e.start == master.start
            && e.end == master.end
            && new.rule.same_pattern(&old.rule)
            && new.rule.start_date == old.rule.start_date;
        if same_shape {
            new.exceptions = old
                .exceptions
                .iter()
                .filter(|(d, _)| new.rule.has_date(**d))
                .map(|(d, x)| (*d, x.clone()))
                .collect();
            new.cancelled = old
                .cancelled
                .iter()
                .copied()
                .filter(|d| new.rule.has_date(*d))
                .collect();
        }
    }
    if let Some(s) = show_as {
        e.show_as = s;
    }
    for (k, v) in body.iter().filter(|(k, _)| ECHOED.contains(&k.as_str())) {
        e.extra.insert(k.clone(), v.clone());
    }
    e.extra.extend(fields);
    if let Some(b) = body.get("body") {
        e.body = b["content"].as_str().unwrap_or_default().to_string();
        e.body_type = b["contentType"]
            .as_str()
            .unwrap_or("text")
            .to_ascii_lowercase();
        // A body without the join block loses the meeting (contrib#1895) or, configured so,
        // gets a new one with a new link (contrib#311); the flags stay either way.
        if let Some(o) = &e.online
            && !e.body.contains(&o.join_url)
        {
            e.online = None;
            if st.calendar.body_patch_regenerates_link {
                let mut meetings = std::mem::take(&mut st.meetings);
                let language = st.calendar.mailbox.language().to_string();
                attach_teams_meeting(call, &mut e, &mut meetings, &language);
                st.meetings = meetings;
            }
        }
    }
    // isOnlineMeeting and the provider are sticky: false is ignored, true turns it on.
    if !e.is_online && body.get("isOnlineMeeting").and_then(Value::as_bool) == Some(true) {
        let allowed = st
            .calendar
            .allowed_providers
            .iter()
            .any(|p| p == "teamsForBusiness");
        if allowed {
            e.is_online = true;
            e.provider = "teamsForBusiness".into();
            let mut meetings = std::mem::take(&mut st.meetings);
            let language = st.calendar.mailbox.language().to_string();
            attach_teams_meeting(call, &mut e, &mut meetings, &language);
            st.meetings = meetings;
        }
    }
    let before = st.calendar.events[idx].attendee_addresses();
    if let Some(list) = new_attendees {
        e.attendees = list;
    }
    let after = e.attendee_addresses();
    let lower = |v: &[String]| v.iter().map(|a| a.to_ascii_lowercase()).collect::<Vec<_>>();
    let (lb, la) = (lower(&before), lower(&after));
    let added: Vec<String> = after
        .iter()
        .filter(|a| !lb.contains(&a.to_ascii_lowercase()))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|a| !la.contains(&a.to_ascii_lowercase()))
        .cloned()
        .collect();
    // What an attendee's copy shows; a change elsewhere (showAs, categories, the sticky
    // flags) is the organizer's own and mails nobody.
    let old = &st.calendar.events[idx];
    let seen_changed = e.subject != old.subject
        || e.start != old.start
        || e.end != old.end
        || e.body != old.body
        || ["location", "locations"]
            .iter()
            .any(|k| e.extra.get(*k) != old.extra.get(*k))
        || body.contains_key("recurrence");
    e.changed();
    // A master whose single meetings were changed sends one update for the series and
    // one per changed meeting (learn event-update).
    let exceptions: Vec<StoredEvent> = match (&e.series, seen_changed) {
        (Some(series), true) => series
            .exceptions
            .keys()
            .filter_map(|d| e.occurrence(*d))
            .collect(),
        _ => Vec::new(),
    };
    let mail = &mut st.calendar.mail;
    // Only attendees changed: only the people who changed hear about it (learn event-update).
    let updated = if seen_changed { after } else { added };
    send(mail, &e, &updated, MailKind::Update, None);
    send(mail, &e, &removed, MailKind::Cancellation, None);
    for x in &exceptions {
        send(mail, x, &x.attendee_addresses(), MailKind::Update, None);
    }
    let reply = ok(StatusCode::OK, render(call, &e));
    st.calendar.events[idx] = e;
    Ok(reply)
}

/// What a PATCH of one occurrence asks.
struct OccurrenceChange<'a> {
    subject: Option<&'a str>,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    attendees: Option<Vec<Value>>,
    show_as: Option<ShowAs>,
    /// The invitation's other fields, checked.
    fields: Map<String, Value>,
}

/// `PATCH` of one occurrence (GRAPH-NEXT §2.3): it becomes an exception, kept by its date
/// in the series, and may not move to or past a neighbour's day (400
/// `ErrorOccurrenceCrossingBoundary`). Its attendees are sent an update for it alone.
fn patch_occurrence(
    call: &Call,
    calendar: &mut super::calendar_store::CalendarStore,
    master: usize,
    date: chrono::NaiveDate,
    change: OccurrenceChange,
) -> Outcome {
    let m = &calendar.events[master];
    let current = m.occurrence(date).ok_or_else(|| not_found(call))?;
    let series = m.series.as_deref().ok_or_else(|| not_found(call))?;
    let start = change.start.unwrap_or(current.start);
    let end = change.end.unwrap_or(current.end);
    if end < start {
        return Err(invalid(
            call,
            "The end time of the event is before its start time.",
        ));
    }
    if start != current.start || end != current.end {
        let day = series.zone.to_local(&start).date();
        let last_day = series.zone.to_local(&end).date();
        let before = series.rule.dates().take_while(|d| *d < date).last();
        let after = series.rule.dates().find(|d| *d > date);
        if before.is_some_and(|b| day <= b) || after.is_some_and(|a| last_day >= a) {
            return Err(call.ctx.error(
                StatusCode::BAD_REQUEST,
                "ErrorOccurrenceCrossingBoundary",
                "Modified occurrence is crossing or overlapping adjacent occurrence.",
            ));
        }
    }
    let seen = start != current.start
        || end != current.end
        || change.subject.is_some_and(|s| s != current.subject);
    let before = current.attendee_addresses();
    let events = &mut calendar.events;
    let series = events[master]
        .series
        .as_deref_mut()
        .expect("read as a master just above");
    let x = series
        .exceptions
        .entry(date)
        .or_insert_with(|| super::calendar_store::Exception {
            start: current.start,
            end: current.end,
            attendees: current.attendees.clone(),
            subject: None,
            show_as: None,
            extra: Map::new(),
            change_key: current.change_key.clone(),
            modified: current.modified,
        });
    if change.show_as.is_some() {
        x.show_as = change.show_as;
    }
    x.extra.extend(change.fields);
    x.start = start;
    x.end = end;
    if let Some(s) = change.subject {
        x.subject = Some(s.to_string());
    }
    if let Some(list) = change.attendees {
        x.attendees = list;
    }
    x.change_key = new_change_key();
    x.modified = meetings::now();
    let now = events[master]
        .occurrence(date)
        .expect("an exception of a date the series has");
    let after = now.attendee_addresses();
    let has = |list: &[String], a: &String| list.iter().any(|b| b.eq_ignore_ascii_case(a));
    let updated: Vec<String> = if seen {
        after.clone()
    } else {
        after.iter().filter(|a| !has(&before, a)).cloned().collect()
    };
    let removed: Vec<String> = before.iter().filter(|a| !has(&after, a)).cloned().collect();
    send(&mut calendar.mail, &now, &updated, MailKind::Update, None);
    send(
        &mut calendar.mail,
        &now,
        &removed,
        MailKind::Cancellation,
        None,
    );
    Ok(ok(StatusCode::OK, render(call, &now)))
}

/// `POST …/cancel`: organizer only; 202 with no body; attendees get the comment.
pub(crate) fn cancel(call: &Call, id: &str) -> Outcome {
    let comment = if call.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let body = read_object(call.ctx, call.headers, call.body)?;
        // The docs' sample writes "Comment"; the CSDL parameter is `Comment` too.
        body.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("comment"))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string)
    };
    let mut st = call.shared.lock();
    let key = call.key();
    let found = st.calendar.locate(id).ok_or_else(|| not_found(call))?;
    let e = st
        .calendar
        .instance(id)
        .filter(|e| e.owner == key || e.shows_for(&key).is_some())
        .ok_or_else(|| not_found(call))?
        .into_owned();
    if e.owner != key {
        return Err(invalid(
            call,
            "Your request can't be completed. You need to be an organizer to cancel a meeting.",
        ));
    }
    cancel_found(&mut st.calendar.events, found);
    send(
        &mut st.calendar.mail,
        &e,
        &e.attendee_addresses(),
        MailKind::Cancellation,
        comment.as_deref(),
    );
    Ok(Reply {
        status: StatusCode::ACCEPTED,
        body: None,
        headers: Vec::new(),
    })
}

/// Cancels an event, or one occurrence of a series: the occurrence leaves calendarView
/// and `/instances` for everybody and is listed in the master's cancelled dates
/// (GRAPH-NEXT §2.3).
fn cancel_found(events: &mut [StoredEvent], found: Found) {
    match found {
        Found::Event(i) => events[i].cancelled = true,
        Found::Occurrence(i, date) => {
            let master = &mut events[i];
            if let Some(s) = master.series.as_deref_mut() {
                s.cancelled.insert(date);
            }
            master.change_key = new_change_key();
            master.modified = meetings::now();
        }
    }
}

/// `DELETE`: 204; the organizer's delete of a meeting also cancels it, without a message.
pub(crate) fn delete(call: &Call, id: &str) -> Outcome {
    let mut st = call.shared.lock();
    let key = call.key();
    let found = st.calendar.locate(id).ok_or_else(|| not_found(call))?;
    let e = st
        .calendar
        .instance(id)
        .filter(|e| e.owner == key)
        .ok_or_else(|| not_found(call))?
        .into_owned();
    match found {
        Found::Event(_) => st.calendar.events.retain(|x| x.id != id),
        // One occurrence of a series: deleted as cancelled (GRAPH-NEXT §2.3).
        Found::Occurrence(..) => cancel_found(&mut st.calendar.events, found),
    }
    if !e.cancelled {
        send(
            &mut st.calendar.mail,
            &e,
            &e.attendee_addresses(),
            MailKind::Cancellation,
            None,
        );
    }
    Ok(Reply {
        status: StatusCode::NO_CONTENT,
        body: None,
        headers: Vec::new(),
    })
}

/// `GET /me/calendar`: the default calendar and which online-meeting providers it allows.
pub(crate) fn calendar(call: &Call) -> Outcome {
    let st = call.shared.lock();
    let allowed = &st.calendar.allowed_providers;
    let default = allowed
        .iter()
        .find(|p| *p == "teamsForBusiness")
        .or(allowed.first())
        .map(String::as_str)
        .unwrap_or("unknown");
    let id_key: String = call
        .user
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    Ok(ok(
        StatusCode::OK,
        json!({
            "@odata.context": call.context("/calendars/$entity"),
            "id": format!("AAMkAGVmMDEzCalendar{id_key}AAA="),
            "name": "Calendar",
            "color": "auto",
            "hexColor": "",
            "isDefaultCalendar": true,
            "changeKey": "fJKVL07sbkmIfHqjbDnRgQAAAAACOw==",
            "canShare": true,
            "canViewPrivateItems": true,
            "canEdit": true,
            "isTallyingResponses": true,
            "isRemovable": false,
            "allowedOnlineMeetingProviders": allowed,
            "defaultOnlineMeetingProvider": default,
            "owner": {"name": call.user.display_name, "address": call.user.upn},
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_links_are_found_in_html_and_text() {
        let html = "<a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d\">Join</a>";
        assert_eq!(
            join_link_in(html).as_deref(),
            Some(
                "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d"
            )
        );
        assert_eq!(join_link_in("no link here"), None);
        assert_eq!(text_of("<p>a &amp; b</p><div>c</div>"), "a & b c");
    }
}
