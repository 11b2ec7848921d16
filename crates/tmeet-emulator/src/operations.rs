//! The onlineMeeting operations: create, createOrGet, PATCH and the `$filter` lookups, with
//! the service's body validation (GRAPH.md §2–§4).

use super::answers::{Outcome, Reply, RequestIds, ok};
use super::graph::{Organizer, View};
use super::meetings::{self, Access, NewMeeting, StoredMeeting, format_time, parse_time};
use super::participants;
use super::state::Shared;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use chrono::{Duration, Utc};
use serde_json::{Map, Value};

/// The meeting `id` of the request's organizer. Another organizer's meeting answers 404
/// "Organizer Id mismatch", as the service does, rather than revealing it.
pub(crate) fn find_owned<'a>(
    meetings: &'a [StoredMeeting],
    ctx: &RequestIds,
    organizer: &Organizer,
    id: &str,
) -> Result<&'a StoredMeeting, Reply> {
    let m = meetings
        .iter()
        .find(|m| m.id == id && m.tenant_id == organizer.tenant_id)
        .ok_or_else(|| ctx.not_found(format!("The onlineMeeting '{id}' was not found.")))?;
    if m.organizer.id != organizer.user.id {
        return Err(ctx.not_found("Organizer Id mismatch"));
    }
    Ok(m)
}

/// The JSON object of a POST/PATCH, refused as the service refuses it.
pub(crate) fn read_object(
    ctx: &RequestIds,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Map<String, Value>, Reply> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_json = ct
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        let shown = if ct.is_empty() { "(none)" } else { ct };
        return Err(ctx.error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!("The content type '{shown}' is not supported. Send the body as Content-Type: application/json."),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.bad_request("Empty Payload. JSON content expected."));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ctx.bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    CreateOrGet,
    Patch,
}

/// Drops or refuses (per [`Shared::reject_unknown_properties`]) what the v1.0 schema
/// doesn't have, then type-checks every property; PATCH also refuses what can't change
/// after creation.
pub(crate) fn check_properties(
    shared: &Shared,
    ctx: &RequestIds,
    body: &mut Map<String, Value>,
    op: Op,
) -> Result<(), Reply> {
    meetings::unknown_properties(body, shared.reject_unknown_properties)
        .map_err(|m| ctx.bad_request(m))?;
    for (name, value) in body.iter() {
        if name.contains('@') {
            continue; // OData annotations such as @odata.type
        }
        let Some((kind, access)) = meetings::property(name) else {
            continue; // removed above unless unknown properties are ignored
        };
        if op == Op::Patch {
            // The update page says these can't be changed; what the service answers is
            // undocumented, so the emulator picks a 400 that names the property.
            match (name.as_str(), access) {
                ("joinMeetingIdSettings", _) => {
                    return Err(ctx.bad_request(
                        "joinMeetingIdSettings can't be changed after the meeting is created.",
                    ));
                }
                (_, Access::ReadOnly) => {
                    return Err(ctx.bad_request(format!(
                        "The property '{name}' is read-only and can't be updated."
                    )));
                }
                (_, Access::CreateOnly) => {
                    return Err(ctx.bad_request(format!(
                        "The property '{name}' can only be set when the meeting is created."
                    )));
                }
                _ => {}
            }
        }
        meetings::check_type(name, kind, value).map_err(|m| ctx.bad_request(m))?;
    }
    Ok(())
}

/// A string property that must be present and not blank, trimmed.
fn required_text<'a>(
    ctx: &RequestIds,
    body: &'a Map<String, Value>,
    name: &str,
    missing: &str,
) -> Result<&'a str, Reply> {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ctx.bad_request(missing))
}

pub(crate) fn time_field(body: &Map<String, Value>, name: &str) -> Option<chrono::DateTime<Utc>> {
    body.get(name).and_then(Value::as_str).and_then(parse_time)
}

pub(crate) fn check_range(
    ctx: &RequestIds,
    start: chrono::DateTime<Utc>,
    end: chrono::DateTime<Utc>,
) -> Result<(), Reply> {
    if end < start {
        return Err(ctx.bad_request(format!(
            "The meeting's endDateTime ({}) is before its startDateTime ({}).",
            format_time(&end),
            format_time(&start)
        )));
    }
    Ok(())
}

/// Properties kept in `StoredMeeting::settings` (the rest have fields of their own).
pub(crate) fn settings_of(body: &Map<String, Value>) -> Map<String, Value> {
    const OWN_FIELDS: &[&str] = &[
        "startDateTime",
        "endDateTime",
        "subject",
        "externalId",
        "participants",
        "joinMeetingIdSettings",
        "chatInfo",
    ];
    body.iter()
        .filter(|(k, _)| !k.contains('@') && !OWN_FIELDS.contains(&k.as_str()))
        .filter(|(k, _)| {
            meetings::property(k).is_some_and(|(_, access)| access != Access::ReadOnly)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub(crate) fn create(
    shared: &Shared,
    ctx: &RequestIds,
    organizer: &Organizer,
    view: &View,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let mut body = read_object(ctx, headers, body)?;
    check_properties(shared, ctx, &mut body, Op::Create)?;
    let subject = required_text(
        ctx,
        &body,
        "subject",
        "The subject of the meeting is required.",
    )?;
    let end = time_field(&body, "endDateTime")
        .ok_or_else(|| ctx.bad_request("The endDateTime of the meeting is required."))?;
    let start = time_field(&body, "startDateTime").unwrap_or_else(meetings::now);
    check_range(ctx, start, end)?;
    let passcode_required = body
        .get("joinMeetingIdSettings")
        .and_then(|j| j.get("isPasscodeRequired"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let attendees = participants::attendees(ctx, &body, shared.attendee_upn_required)?;
    // `participants.organizer` is not read: the organizer is always the signed-in user (or
    // the /users/{id} of an app call).
    let mut meeting = StoredMeeting::create(NewMeeting {
        tenant_id: organizer.tenant_id.clone(),
        organizer: organizer.user.clone(),
        external_id: None,
        start,
        end,
        subject: Some(subject.to_string()),
        passcode_required,
        settings: settings_of(&body),
        attendees: attendees.unwrap_or_default(),
    });
    let mut st = shared.lock();
    st.policy.apply(&mut meeting.settings);
    st.modes.shape(&mut meeting);
    let answer = view.entity(&meeting);
    st.meetings.push(meeting);
    Ok(ok(StatusCode::CREATED, answer))
}

pub(crate) fn create_or_get(
    shared: &Shared,
    ctx: &RequestIds,
    organizer: &Organizer,
    view: &View,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let mut body = read_object(ctx, headers, body)?;
    check_properties(shared, ctx, &mut body, Op::CreateOrGet)?;
    let external_id = required_text(
        ctx,
        &body,
        "externalId",
        "externalId is required for createOrGet.",
    )?
    .to_string();
    let start = time_field(&body, "startDateTime");
    let end = time_field(&body, "endDateTime");
    let (start, end) = match (start, end) {
        (None, None) => {
            let now = meetings::now();
            (now, now + Duration::hours(1))
        }
        (Some(s), None) => (s, s + Duration::hours(1)),
        (None, Some(_)) => {
            return Err(ctx.bad_request(
                "endDateTime was given without startDateTime; give both, or only startDateTime.",
            ));
        }
        (Some(s), Some(e)) => (s, e),
    };
    check_range(ctx, start, end)?;
    let attendees = participants::attendees(ctx, &body, shared.attendee_upn_required)?;
    let mut st = shared.lock();
    // The identity of a createOrGet meeting is (tenant, organizer, externalId); for an
    // existing one the other fields are ignored, as users report of the service.
    if let Some(existing) = st.meetings.iter().find(|m| {
        m.tenant_id == organizer.tenant_id
            && m.organizer.id == organizer.user.id
            && m.external_id.as_deref() == Some(&external_id)
    }) {
        return Ok(ok(StatusCode::OK, view.entity(existing)));
    }
    let mut meeting = StoredMeeting::create(NewMeeting {
        tenant_id: organizer.tenant_id.clone(),
        organizer: organizer.user.clone(),
        external_id: Some(external_id),
        start,
        end,
        subject: body
            .get("subject")
            .and_then(Value::as_str)
            .map(str::to_string),
        // createOrGet ignores isPasscodeRequired (GRAPH.md §3).
        passcode_required: false,
        settings: Map::new(),
        attendees: attendees.unwrap_or_default(),
    });
    st.policy.apply(&mut meeting.settings);
    st.modes.shape(&mut meeting);
    let answer = view.entity(&meeting);
    st.meetings.push(meeting);
    Ok(ok(StatusCode::CREATED, answer))
}

pub(crate) fn patch(
    shared: &Shared,
    ctx: &RequestIds,
    organizer: &Organizer,
    view: &View,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let mut body = read_object(ctx, headers, body)?;
    check_properties(shared, ctx, &mut body, Op::Patch)?;
    if body
        .get("participants")
        .is_some_and(|p| p.get("organizer").is_some_and(|o| !o.is_null()))
    {
        return Err(ctx.bad_request("The organizer of a meeting can't be changed."));
    }
    let attendees = participants::attendees(ctx, &body, shared.attendee_upn_required)?;
    let mut st = shared.lock();
    let policy = st.policy.clone();
    find_owned(&st.meetings, ctx, organizer, id)?;
    let m = st
        .meetings
        .iter_mut()
        .find(|m| m.id == id)
        .expect("found just above under the same lock");
    match (
        time_field(&body, "startDateTime"),
        time_field(&body, "endDateTime"),
    ) {
        (Some(s), Some(e)) => {
            check_range(ctx, s, e)?;
            m.start = s;
            m.end = e;
        }
        (None, None) => {}
        _ => {
            return Err(ctx.bad_request(
                "startDateTime and endDateTime must both be given to change the meeting's time.",
            ));
        }
    }
    if let Some(s) = body.get("subject") {
        m.subject = s.as_str().map(str::to_string);
    }
    // A PATCH with attendees replaces the whole list (GRAPH.md §4).
    if let Some(list) = attendees {
        m.attendees = list;
    }
    m.settings.extend(settings_of(&body));
    policy.apply(&mut m.settings);
    Ok(ok(StatusCode::OK, view.entity(m)))
}

/// `$filter=JoinWebUrl eq '…'` or `$filter=joinMeetingIdSettings/joinMeetingId eq '…'`.
pub(crate) fn filter(
    shared: &Shared,
    ctx: &RequestIds,
    organizer: &Organizer,
    view: &View,
    uri: &Uri,
) -> Outcome {
    let query = uri.query().unwrap_or("");
    let Some(expr) = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("$filter"))
        .map(|(_, v)| v.into_owned())
    else {
        return Err(ctx.bad_request(
            "Listing online meetings is not supported; use $filter=JoinWebUrl eq '…' or $filter=joinMeetingIdSettings/joinMeetingId eq '…', or GET by id.",
        ));
    };
    let (property, value) = parse_filter(&expr).ok_or_else(|| {
        ctx.bad_request(format!(
            "Invalid filter clause: '{expr}'. The value must be a single-quoted string."
        ))
    })?;
    let by_url = property.eq_ignore_ascii_case("JoinWebUrl");
    let by_id = property.eq_ignore_ascii_case("joinMeetingIdSettings/joinMeetingId");
    if !by_url && !by_id {
        return Err(ctx.bad_request(format!(
            "Filter on property '{property}' is not supported; use JoinWebUrl or joinMeetingIdSettings/joinMeetingId."
        )));
    }
    // A join URL decoded once more than it should have been has lost its %7b/%22 escapes.
    if by_url && value.contains(['{', '"']) {
        return Err(ctx.bad_request(
            "Invalid filter clause: the JoinWebUrl must be URL-encoded in the query.",
        ));
    }
    let st = shared.lock();
    let found = st.meetings.iter().find(|m| {
        m.tenant_id == organizer.tenant_id
            && if by_url {
                m.join_web_url == value
            } else {
                m.join_meeting_id == value
            }
    });
    match found {
        Some(m) if m.organizer.id != organizer.user.id => Err(ctx.error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Only the organizer can look up a meeting by this filter.",
        )),
        Some(m) => Ok(ok(StatusCode::OK, view.collection(&[m]))),
        None => Ok(ok(StatusCode::OK, view.collection(&[]))),
    }
}

/// `Property eq 'value'` with OData's `''` escape → (property, value).
pub(crate) fn parse_filter(expr: &str) -> Option<(String, String)> {
    let expr = expr.trim();
    let (property, rest) = expr.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("eq ")
        .or_else(|| rest.strip_prefix("EQ "))?
        .trim();
    let inner = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.replace("''", "").contains('\'') {
        return None;
    }
    Some((property.to_string(), inner.replace("''", "'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_with_quote_escapes() {
        assert_eq!(
            parse_filter("JoinWebUrl eq 'https://x/a''b'"),
            Some(("JoinWebUrl".into(), "https://x/a'b".into()))
        );
        assert_eq!(
            parse_filter(" joinMeetingIdSettings/joinMeetingId  eq '123' "),
            Some(("joinMeetingIdSettings/joinMeetingId".into(), "123".into()))
        );
        assert_eq!(parse_filter("JoinWebUrl eq https://x"), None);
        assert_eq!(parse_filter("JoinWebUrl ne 'x'"), None);
        assert_eq!(parse_filter("JoinWebUrl eq 'a'b'"), None);
    }
}
