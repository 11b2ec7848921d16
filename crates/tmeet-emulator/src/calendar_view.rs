//! `calendarView/delta` (GRAPH-NEXT §3.2): the first call names the window, later calls
//! follow the opaque `$skiptoken` and `$deltatoken` links verbatim; a delta reports what
//! changed since the token's snapshot, and `@removed` for what left the window or the
//! calendar. A token the emulator no longer knows answers 410 `syncStateNotFound`.
//!
//! A series is never listed itself: its occurrences and exceptions are, each under its own
//! id (`calendar_store.rs`).
//!
//! Also the routing of the agenda's other paths (answers in `responses.rs`, attendance
//! reports in `attendance.rs`), the seeded colleagues' invitations made Teams meetings, and
//! a seeded colleague's weekly series.

use super::answers::{Outcome, Reply, RequestIds, ok};
use super::calendar::{Call, prefs};
use super::calendar_store::{CalendarStore, OnlineInfo, Series, StoredEvent, new_event};
use super::meetings::{NewMeeting, StoredMeeting, TOLL_NUMBER, format_time, parse_time};
use super::org;
use super::recurrence::{PatternType, RangeType, Recurrence, WeekIndex};
use super::state::{AccessToken, DEFAULT_TENANT_ID, DEMO_USER_UPN, Principal, Shared, User};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde_json::{Value, json};
use std::collections::HashMap;

/// What the delta side remembers between calls.
#[derive(Default)]
pub(crate) struct AgendaState {
    /// `$deltatoken` → what the calendar showed when the token was handed out.
    snapshots: HashMap<String, Snapshot>,
    /// `$skiptoken` → the rest of a round's answer.
    pending: HashMap<String, Pending>,
    /// Every answer given (`GET /_emulator/responses`): the eventMessageResponse log.
    pub responses: Vec<Value>,
    /// Online meeting ids whose session was ended early (`/_emulator/meetings/{id}/end`).
    pub ended: HashMap<String, DateTime<Utc>>,
}

#[derive(Clone)]
struct Snapshot {
    key: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// Event id → change key.
    seen: HashMap<String, String>,
}

struct Pending {
    items: Vec<Item>,
    next: Snapshot,
}

#[derive(Clone)]
enum Item {
    Changed(String),
    Removed(String),
}

/// Default page size of a delta page without `Prefer: odata.maxpagesize`.
const PAGE: usize = 10;

fn token() -> String {
    use base64::Engine;
    let raw = uuid::Uuid::new_v4().to_string() + &uuid::Uuid::new_v4().to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Whether `key` has this event on their calendar as the delta sees it: the organizer's
/// own until cancelled; an invitee's copy until they decline, a cancelled copy included
/// (it stays, marked `isCancelled`, until its owner removes it).
pub(crate) fn on_calendar_of(e: &StoredEvent, key: &str) -> bool {
    if e.owner == key {
        return !e.cancelled;
    }
    e.attendees.iter().any(|a| {
        a["emailAddress"]["address"]
            .as_str()
            .is_some_and(|x| org::key(x) == key)
            && a["status"]["response"] != "declined"
    })
}

/// The paths of this file and its two neighbours; None for every other path.
#[allow(clippy::too_many_arguments)]
pub(crate) fn route(
    shared: &Shared,
    ctx: &RequestIds,
    token: &AccessToken,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    segs: &[String],
) -> Option<Outcome> {
    let is = |s: &String, name: &str| s.eq_ignore_ascii_case(name);
    let (target, rest): (Option<&String>, &[String]) = match segs {
        [me, rest @ ..] if is(me, "me") => (None, rest),
        [users, id, rest @ ..] if is(users, "users") => (Some(id), rest),
        _ => return None,
    };
    enum Op<'a> {
        Delta,
        Answer(&'a str, &'a str),
        Reports(&'a str, Option<&'a str>, bool),
    }
    let op = match rest {
        [v, d] if is(v, "calendarView") && is(d, "delta") => Op::Delta,
        [c, v, d] if is(c, "calendar") && is(v, "calendarView") && is(d, "delta") => Op::Delta,
        [e, id, action]
            if is(e, "events")
                && ["accept", "tentativelyAccept", "decline"]
                    .iter()
                    .any(|a| is(action, a)) =>
        {
            Op::Answer(id, action)
        }
        [c, e, id, action]
            if is(c, "calendar")
                && is(e, "events")
                && ["accept", "tentativelyAccept", "decline"]
                    .iter()
                    .any(|a| is(action, a)) =>
        {
            Op::Answer(id, action)
        }
        [om, mid, r] if is(om, "onlineMeetings") && is(r, "attendanceReports") => {
            Op::Reports(mid, None, false)
        }
        [om, mid, r, rid] if is(om, "onlineMeetings") && is(r, "attendanceReports") => {
            Op::Reports(mid, Some(rid), false)
        }
        [om, mid, r, rid, rec]
            if is(om, "onlineMeetings")
                && is(r, "attendanceReports")
                && is(rec, "attendanceRecords") =>
        {
            Op::Reports(mid, Some(rid), true)
        }
        _ => return None,
    };
    let user = match (&token.principal, target) {
        (Principal::User(me), None) => me.clone(),
        (Principal::User(me), Some(t))
            if t.eq_ignore_ascii_case(&me.id) || t.eq_ignore_ascii_case(&me.upn) =>
        {
            me.clone()
        }
        (Principal::User(_), Some(_)) => return Some(Err(forbidden(ctx))),
        (Principal::App, None) => {
            return Some(Err(ctx.bad_request(
                "/me request is only valid with delegated authentication flow.",
            )));
        }
        (Principal::App, Some(t)) => match User::lookup(t) {
            Some(u) => u,
            None => {
                return Some(Err(ctx.not_found(format!(
                    "The user '{t}' was not found in the directory."
                ))));
            }
        },
    };
    let needed: &[&str] = match op {
        Op::Delta => &["Calendars.Read", "Calendars.ReadWrite"],
        Op::Answer(..) => &["Calendars.ReadWrite"],
        Op::Reports(..) => &["OnlineMeetingArtifact.Read.All"],
    };
    if !token.has_any(needed) {
        return Some(Err(forbidden(ctx)));
    }
    let prefs = match prefs(ctx, headers) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    let call = Call {
        shared,
        ctx,
        user,
        tenant_id: token.tenant_id.clone(),
        uri,
        headers,
        body,
        prefs,
    };
    let reply = match (op, method) {
        (Op::Delta, &Method::GET) => delta(&call),
        (Op::Answer(id, action), &Method::POST) => super::responses::answer(&call, id, action),
        (Op::Reports(mid, rid, records), &Method::GET) => {
            super::attendance::reports(&call, mid, rid, records)
        }
        (_, m) => Err(ctx.error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ErrorInvalidRequest",
            format!("The HTTP method '{m}' is not supported for this resource."),
        )),
    };
    Some(reply.map(|r| call.prefs.apply(r)))
}

fn forbidden(ctx: &RequestIds) -> Reply {
    ctx.error(
        StatusCode::FORBIDDEN,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    )
}

fn invalid(call: &Call, message: impl Into<String>) -> Reply {
    call.ctx
        .error(StatusCode::BAD_REQUEST, "ErrorInvalidRequest", message)
}

/// `odata.maxpagesize` from the `Prefer` header.
fn page_size(headers: &HeaderMap) -> usize {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| item.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("odata.maxpagesize"))
        .and_then(|(_, v)| v.trim().trim_matches('"').parse().ok())
        .filter(|n: &usize| *n > 0)
        .unwrap_or(PAGE)
}

fn delta(call: &Call) -> Outcome {
    for refused in ["$select", "$expand", "$filter", "$orderby", "$search"] {
        if call.query(refused).is_some() {
            return Err(invalid(
                call,
                format!(
                    "The query parameter '{refused}' is not supported with change tracking over the 'CalendarView' resource."
                ),
            ));
        }
    }
    let key = call.key();
    let size = page_size(call.headers);
    let mut st = call.shared.lock();
    let (items, next) = if let Some(skip) = call.query("$skiptoken") {
        let p = st
            .agenda
            .pending
            .remove(&skip)
            .filter(|p| p.next.key == key)
            .ok_or_else(|| sync_state_not_found(call))?;
        (p.items, p.next)
    } else {
        let since = match call.query("$deltatoken") {
            Some(t) => Some(
                st.agenda
                    .snapshots
                    .get(&t)
                    .filter(|s| s.key == key)
                    .cloned()
                    .ok_or_else(|| sync_state_not_found(call))?,
            ),
            None => None,
        };
        let (from, to) = match &since {
            Some(s) => (s.from, s.to),
            None => window(call)?,
        };
        // A series is seen by its occurrences, each under its own id; a plain occurrence
        // changes with its master (an answer to the series), an exception on its own.
        let shown: Vec<_> = st
            .calendar
            .expanded(from, to)
            .into_iter()
            .filter(|e| on_calendar_of(e, &key))
            .collect();
        let now: HashMap<String, String> = shown
            .iter()
            .map(|e| (e.id.clone(), e.change_key.clone()))
            .collect();
        let mut items: Vec<(DateTime<Utc>, Item)> = Vec::new();
        for e in &shown {
            let changed = since
                .as_ref()
                .is_none_or(|s| s.seen.get(&e.id) != Some(&e.change_key));
            if changed {
                items.push((e.start, Item::Changed(e.id.clone())));
            }
        }
        items.sort_by_key(|(t, _)| *t);
        let mut items: Vec<Item> = items.into_iter().map(|(_, i)| i).collect();
        if let Some(s) = &since {
            let mut gone: Vec<&String> =
                s.seen.keys().filter(|id| !now.contains_key(*id)).collect();
            gone.sort();
            items.extend(gone.into_iter().map(|id| Item::Removed(id.clone())));
        }
        (
            items,
            Snapshot {
                key: key.clone(),
                from,
                to,
                seen: now,
            },
        )
    };
    let cut = items.len().min(size);
    let (page, rest) = items.split_at(cut);
    let value: Vec<Value> = page
        .iter()
        .map(|i| match i {
            Item::Changed(id) => st
                .calendar
                .instance(id)
                .map(|e| {
                    let mut v = super::events::render(call, &e);
                    if let Some(o) = v.as_object_mut() {
                        o.remove("@odata.context");
                    }
                    v
                })
                .unwrap_or_else(|| removed(id)),
            Item::Removed(id) => removed(id),
        })
        .collect();
    let base = call
        .shared
        .base
        .join(call.uri.path().trim_start_matches('/'))
        .ok();
    let mut out = json!({"@odata.context": call.context("/events(*)"), "value": value});
    let t = token();
    let mut link = base;
    if rest.is_empty() {
        st.agenda.snapshots.insert(t.clone(), next);
        if let Some(u) = link.as_mut() {
            u.query_pairs_mut().append_pair("$deltatoken", &t);
        }
        out["@odata.deltaLink"] = json!(link.map(|u| u.to_string()));
    } else {
        st.agenda.pending.insert(
            t.clone(),
            Pending {
                items: rest.to_vec(),
                next,
            },
        );
        if let Some(u) = link.as_mut() {
            u.query_pairs_mut().append_pair("$skiptoken", &t);
        }
        out["@odata.nextLink"] = json!(link.map(|u| u.to_string()));
    }
    Ok(ok(StatusCode::OK, out))
}

fn removed(id: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.event", "id": id, "@removed": {"reason": "deleted"}})
}

fn window(call: &Call) -> Result<(DateTime<Utc>, DateTime<Utc>), Reply> {
    let bound = |name: &str| -> Result<DateTime<Utc>, Reply> {
        let raw = call.query(name).ok_or_else(|| {
            invalid(
                call,
                format!("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime; {name} is missing."),
            )
        })?;
        parse_time(&raw).ok_or_else(|| {
            invalid(
                call,
                format!("The value '{raw}' of {name} is not a valid ISO 8601 date and time."),
            )
        })
    };
    Ok((bound("startDateTime")?, bound("endDateTime")?))
}

/// The generic delta-query answer for a token the service no longer holds (410 Gone).
fn sync_state_not_found(call: &Call) -> Reply {
    call.ctx.error(
        StatusCode::GONE,
        "syncStateNotFound",
        "The sync state generation is not found. Resync is required.",
    )
}

impl AgendaState {
    /// Forgets every delta and skip token, as a service whose cache evicted them.
    pub(crate) fn forget_tokens(&mut self) {
        self.snapshots.clear();
        self.pending.clear();
    }
}

/// Makes each seeded colleague meeting that invites the signed-in person a Teams meeting,
/// and lets every second one forbid new time proposals, so the demo has invitations of both
/// kinds to answer. The colleague's onlineMeeting behind the link is not kept: no client
/// signed in here can read another organizer's meetings, and counts of stored meetings stay
/// those of the meetings clients made.
pub(crate) fn seed(store: &mut CalendarStore) {
    let me = DEMO_USER_UPN.to_ascii_lowercase();
    let mut n = 0;
    for e in store.events.iter_mut() {
        let invited = e.owner != me
            && e.attendees
                .iter()
                .any(|a| a["emailAddress"]["address"].as_str().map(org::key) == Some(me.clone()));
        if !invited || e.online.is_some() {
            continue;
        }
        let Some(p) = org::mailbox(&e.owner) else {
            continue;
        };
        make_teams(e, &p);
        if n % 2 == 1 {
            e.extra
                .insert("allowNewTimeProposals".into(), Value::Bool(false));
        }
        n += 1;
    }
}

/// Gives a seeded colleague's event a Teams meeting of its own: the link, and a body that
/// carries it.
fn make_teams(e: &mut StoredEvent, p: &org::Person) {
    let organizer = User {
        id: p.id.to_string(),
        display_name: p.display_name.to_string(),
        upn: p.upn.to_string(),
    };
    let m = StoredMeeting::create(NewMeeting {
        tenant_id: DEFAULT_TENANT_ID.into(),
        organizer,
        external_id: None,
        start: e.start,
        end: e.end,
        subject: Some(e.subject.clone()),
        passcode_required: false,
        settings: serde_json::Map::new(),
        attendees: Vec::new(),
    });
    e.is_online = true;
    e.provider = "teamsForBusiness".into();
    e.body = format!(
        "<html><body><p>{}</p><p><a href=\"{}\">Join the meeting now</a></p></body></html>",
        e.subject, m.join_web_url
    );
    e.online = Some(OnlineInfo {
        join_url: m.join_web_url.clone(),
        conference_id: m.conference_id.clone(),
        toll_number: TOLL_NUMBER.into(),
    });
}

/// The seeded colleague's series.
pub(crate) const SERIES_SUBJECT: &str = "Team sync";
const SERIES_ORGANIZER: &str = "LeeG@contoso.onmicrosoft.com";

/// A colleague's weekly series inviting the signed-in person, so the agenda has a meeting
/// that repeats: Lee Gu's "Team sync", Tuesdays and Thursdays 10:00–10:30 in Lee's zone,
/// from the Tuesday two weeks before this week's Monday to the Thursday ten weeks after it
/// (an end date, so the far weeks tests use stay empty), one Teams link for the series
/// (GRAPH-NEXT §2.3), an answer requested, new times welcome. Megan and Alex are invited
/// too. The same for the same `today`.
pub(crate) fn seed_series(store: &mut CalendarStore, today: NaiveDate) {
    let Some(p) = org::mailbox(SERIES_ORGANIZER) else {
        return;
    };
    let zone = store.zone_of(&p);
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first = monday - Duration::weeks(2) + Duration::days(1);
    let last = monday + Duration::weeks(10) + Duration::days(3);
    let Some(ten) = NaiveTime::from_hms_opt(10, 0, 0) else {
        return;
    };
    let start = zone.to_utc(first.and_time(ten));
    let mut e = new_event(p.upn, p.display_name, start, start + Duration::minutes(30));
    e.subject = SERIES_SUBJECT.into();
    e.start_zone = zone.name.clone();
    e.end_zone = zone.name.clone();
    let invite = |kind: &str, address: &str| {
        let name = org::find(address).map_or(address, |p| p.display_name);
        json!({"type": kind, "emailAddress": {"name": name, "address": address}})
    };
    e.attendees = vec![
        invite("required", DEMO_USER_UPN),
        invite("required", "MeganB@contoso.onmicrosoft.com"),
        invite("optional", "AlexW@contoso.onmicrosoft.com"),
    ];
    e.extra
        .insert("allowNewTimeProposals".into(), Value::Bool(true));
    e.extra
        .insert("responseRequested".into(), Value::Bool(true));
    make_teams(&mut e, &p);
    e.series = Some(Box::new(Series::new(
        Recurrence {
            kind: PatternType::Weekly,
            interval: 1,
            days_of_week: vec![Weekday::Tue, Weekday::Thu],
            day_of_month: 0,
            month: 0,
            index: WeekIndex::First,
            first_day_of_week: Weekday::Mon,
            range: RangeType::EndDate,
            start_date: first,
            end_date: Some(last),
            occurrences: 0,
            time_zone: Some(zone.name.clone()),
        },
        zone,
    )));
    store.events.push(e);
}

/// `format_time` for the attendance and response logs.
pub(crate) fn stamp(t: &DateTime<Utc>) -> String {
    format_time(t)
}

/// `/_emulator/…` for the agenda: answer as a colleague, end a meeting's session, forget
/// the delta tokens, and the log of answers sent.
pub(crate) fn control_routes() -> axum::Router<std::sync::Arc<Shared>> {
    use axum::extract::{Path, State};
    use axum::response::{IntoResponse, Json, Response};
    use axum::routing::{get, post};
    use std::sync::Arc;
    fn bad(msg: String) -> Response {
        (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
    }
    async fn respond(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
        let v: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad(format!("the body is not JSON: {e}")),
        };
        match super::responses::respond_as(&shared, &v) {
            Ok(v) => Json(v).into_response(),
            Err(e) => bad(e),
        }
    }
    async fn end(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
        let mut st = shared.lock();
        let Some(m) = st
            .meetings
            .iter()
            .find(|m| m.id == id || m.join_web_url == id)
        else {
            return (
                StatusCode::NOT_FOUND,
                Json(json!({ "error": format!("no meeting '{id}'") })),
            )
                .into_response();
        };
        let (mid, start) = (m.id.clone(), m.start);
        let now = super::meetings::now().max(start + chrono::Duration::minutes(1));
        st.agenda.ended.insert(mid.clone(), now);
        Json(json!({ "id": mid, "ended": stamp(&now) })).into_response()
    }
    async fn forget(State(shared): State<Arc<Shared>>) -> StatusCode {
        shared.lock().agenda.forget_tokens();
        StatusCode::NO_CONTENT
    }
    async fn responses(State(shared): State<Arc<Shared>>) -> Json<Value> {
        Json(json!({ "responses": shared.lock().agenda.responses }))
    }
    axum::Router::new()
        .route("/_emulator/events/respond", post(respond))
        .route("/_emulator/meetings/{id}/end", post(end))
        .route("/_emulator/delta/forget", post(forget))
        .route("/_emulator/responses", get(responses))
}
