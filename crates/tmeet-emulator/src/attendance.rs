//! `GET /me/onlineMeetings/{id}/attendanceReports[/{reportId}[/attendanceRecords]]`
//! (GRAPH-NEXT §7.1): one report per ended session, none while the meeting has not ended;
//! only the organizer may read them (403 otherwise); records only with
//! `$expand=attendanceRecords` or on their own path; `role` capitalized.
//!
//! Who attended is made up, the same way for the same meeting: the organizer for the
//! whole session, each participant from a few minutes in, one of them twice.

use super::answers::{Outcome, Reply, ok};
use super::calendar::Call;
use super::calendar_view::stamp;
use super::meetings::{self, StoredMeeting};
use super::org;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// A GUID-shaped id that is the same for the same text.
fn stable_id(text: &str) -> String {
    let mut h: u128 = 0xcbf2_9ce4_8422_2325_8422_2325_cbf2_9ce4;
    for b in text.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let s = format!("{h:032x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &s[0..8],
        &s[8..12],
        &s[13..16],
        &s[17..20],
        &s[20..32]
    )
}

/// When the session ended: its scheduled end once passed, or when it was ended early.
fn ended(call: &Call, m: &StoredMeeting) -> Option<DateTime<Utc>> {
    let now = meetings::now();
    let st = call.shared.lock();
    st.agenda
        .ended
        .get(&m.id)
        .copied()
        .or_else(|| (m.end <= now).then_some(m.end))
}

fn interval(join: DateTime<Utc>, leave: DateTime<Utc>) -> Value {
    json!({
        "joinDateTime": stamp(&join),
        "leaveDateTime": stamp(&leave),
        "durationInSeconds": (leave - join).num_seconds().max(0),
    })
}

fn records(m: &StoredMeeting, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Value> {
    let mut out = Vec::new();
    let total = |iv: &[Value]| -> i64 {
        iv.iter()
            .filter_map(|i| i["durationInSeconds"].as_i64())
            .sum()
    };
    let organizer = vec![interval(start, end)];
    out.push(json!({
        "id": stable_id(&format!("{}:{}", m.id, m.organizer.id)),
        "emailAddress": m.organizer.upn,
        "role": "Organizer",
        "totalAttendanceInSeconds": total(&organizer),
        "identity": {"id": m.organizer.id, "displayName": m.organizer.display_name, "tenantId": m.tenant_id},
        "attendanceIntervals": organizer,
        "registrationId": null,
        "externalRegistrationInformation": null,
    }));
    let length = end - start;
    for (n, a) in m.attendees.iter().enumerate() {
        let upn = a["upn"].as_str().unwrap_or_default();
        let Some(p) = org::mailbox(upn) else { continue };
        let join = start + Duration::minutes(2 + n as i64 * 3).min(length / 2);
        let intervals = if n == 1 {
            // Dropped out and came back.
            let gap = join + length / 4;
            vec![
                interval(join, gap),
                interval(gap + Duration::minutes(1).min(length / 8), end),
            ]
        } else {
            vec![interval(join, end)]
        };
        out.push(json!({
            "id": stable_id(&format!("{}:{}", m.id, p.id)),
            "emailAddress": p.upn,
            "role": "Attendee",
            "totalAttendanceInSeconds": total(&intervals),
            "identity": {"id": p.id, "displayName": p.display_name, "tenantId": m.tenant_id},
            "attendanceIntervals": intervals,
            "registrationId": null,
            "externalRegistrationInformation": null,
        }));
    }
    out
}

pub(crate) fn reports(
    call: &Call,
    meeting_id: &str,
    report_id: Option<&str>,
    only_records: bool,
) -> Outcome {
    let m = {
        let st = call.shared.lock();
        let m = st
            .meetings
            .iter()
            .find(|m| m.id == meeting_id && m.tenant_id == call.tenant_id)
            .cloned();
        m.ok_or_else(|| {
            call.ctx
                .not_found(format!("The onlineMeeting '{meeting_id}' was not found."))
        })?
    };
    if m.organizer.id != call.user.id {
        return Err(call.ctx.error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Only the organizer or a co-organizer can read the attendance reports of this meeting.",
        ));
    }
    let report = ended(call, &m).map(|end| {
        let start = m.start.min(end);
        let records = records(&m, start, end);
        let id = stable_id(&format!("report:{}", m.id));
        (id, start, end, records)
    });
    let context = call.context(&format!(
        "/onlineMeetings('{meeting_id}')/attendanceReports"
    ));
    let entity =
        |(id, start, end, records): &(String, DateTime<Utc>, DateTime<Utc>, Vec<Value>),
         with_records: bool| {
            json!({
                "id": id,
                "totalParticipantCount": records.len(),
                "meetingStartDateTime": stamp(start),
                "meetingEndDateTime": stamp(end),
                "externalEventInformation": null,
                "attendanceRecords": if with_records { json!(records) } else { json!([]) },
            })
        };
    let Some(rid) = report_id else {
        let value: Vec<Value> = report.iter().map(|r| entity(r, false)).collect();
        return Ok(ok(
            StatusCode::OK,
            json!({"@odata.context": context, "value": value}),
        ));
    };
    let r = report
        .filter(|r| r.0 == rid)
        .ok_or_else(|| not_found(call, rid))?;
    if only_records {
        return Ok(ok(
            StatusCode::OK,
            json!({"@odata.context": format!("{context}('{rid}')/attendanceRecords"), "value": r.3}),
        ));
    }
    let expand = call
        .query("$expand")
        .is_some_and(|e| e.eq_ignore_ascii_case("attendanceRecords"));
    let mut v = entity(&r, expand);
    v["@odata.context"] = json!(format!("{context}/$entity"));
    Ok(ok(StatusCode::OK, v))
}

fn not_found(call: &Call, rid: &str) -> Reply {
    call.ctx
        .not_found(format!("The attendance report '{rid}' was not found."))
}
