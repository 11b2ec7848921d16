//! Finding a time (GRAPH-SCHEDULING §4): `getSchedule` (free/busy digits, items, working
//! hours; per-schedule 5009 for an address it cannot resolve) and `findMeetingTimes`
//! (suggestions ranked by the documented confidence), both computed from the calendars.
//! Working hours are each person's own, in their own zone (`mailbox_settings.rs`): a
//! `work` suggestion lies within the organizer's and every required attendee's ("always
//! occur during the work hours of the organizer and attendees", learn
//! `findmeetingtimes-example`).

use super::answers::{Outcome, Reply, ok};
use super::calendar::Call;
use super::calendar_store::{CalendarStore, ShowAs};
use super::operations::read_object;
use super::org::{self, Person};
use super::state::DEMO_USER_UPN;
use super::timezones::{self, Zone};
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::{Map, Value, json};

const MAX_SCHEDULES: usize = 20;
const MAX_WINDOW_DAYS: i64 = 62;
/// findMeetingTimes without `timeSlots` looks this far ahead (the emulator's choice).
const DEFAULT_SEARCH_DAYS: i64 = 7;
/// Suggestions without `maxCandidates` (the emulator's choice; undocumented).
const DEFAULT_MAX_CANDIDATES: usize = 5;

fn invalid(call: &Call, message: impl Into<String>) -> Reply {
    call.ctx.error(
        axum::http::StatusCode::BAD_REQUEST,
        "ErrorInvalidParameter",
        message,
    )
}

/// Parameter names are case-insensitive (the docs send both `schedules` and `Schedules`).
fn lowercase_keys(body: Map<String, Value>) -> Map<String, Value> {
    body.into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

/// An Int32 that may come as a string (`"15"` in the docs' sample).
fn int(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str()?.trim().parse().ok())
}

fn boolean(v: Option<&Value>, default: bool) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => default,
    }
}

fn date_time_zone(call: &Call, v: Option<&Value>, what: &str) -> Result<DateTime<Utc>, Reply> {
    let v = v.ok_or_else(|| invalid(call, format!("{what} is required.")))?;
    let zone_name = v["timeZone"].as_str().unwrap_or("UTC");
    let zone = Zone::parse(zone_name).ok_or_else(|| call.zone_error(zone_name))?;
    let local = v["dateTime"]
        .as_str()
        .and_then(timezones::parse_local)
        .ok_or_else(|| invalid(call, format!("{what} is not a valid dateTimeTimeZone.")))?;
    Ok(zone.to_utc(local))
}

fn dtz(zone: &Zone, t: &DateTime<Utc>) -> Value {
    json!({"dateTime": timezones::format_local(&zone.to_local(t)), "timeZone": zone.name})
}

/// A mailbox by its SMTP address, as getSchedule resolves `schedules` (GRAPH-SCHEDULING
/// §4.1: "SMTP addresses"): a UPN that is not also the mail address is unknown to it
/// (GRAPH-REAL.md Q27), and so is the signed-in person's UPN under the `mail=` mode.
fn by_smtp(store: &CalendarStore, address: &str) -> Option<Person> {
    let a = address.trim();
    let me = org::mailbox(DEMO_USER_UPN);
    if let Some(mine) = &store.mailbox.mail {
        return if mine.eq_ignore_ascii_case(a) {
            me
        } else {
            org::colleagues().find(|p| p.mail.eq_ignore_ascii_case(a))
        };
    }
    org::people().find(|p| p.kind == org::Kind::Member && p.mail.eq_ignore_ascii_case(a))
}

pub(crate) fn get_schedule(call: &Call) -> Outcome {
    let body = lowercase_keys(read_object(call.ctx, call.headers, call.body)?);
    let schedules: Vec<String> = body
        .get("schedules")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .filter(|s: &Vec<String>| !s.is_empty())
        .ok_or_else(|| invalid(call, "Schedules must list at least one address."))?;
    if schedules.len() > MAX_SCHEDULES {
        return Err(invalid(
            call,
            format!(
                "The number of schedules requested ({}) exceeds the maximum of {MAX_SCHEDULES}.",
                schedules.len()
            ),
        ));
    }
    let start = date_time_zone(call, body.get("starttime"), "StartTime")?;
    let end = date_time_zone(call, body.get("endtime"), "EndTime")?;
    let interval = match body.get("availabilityviewinterval") {
        None => 30,
        // What microsoft-graph-docs#4494 reports for an explicit null.
        Some(Value::Null) => {
            return Err(call.ctx.error(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "ErrorInternalServerError",
                "An internal server error occurred. The operation failed.",
            ));
        }
        Some(v) => int(v).filter(|n| (5..=1440).contains(n)).ok_or_else(|| {
            invalid(
                call,
                "AvailabilityViewInterval must be between 5 and 1440 minutes.",
            )
        })?,
    };
    if end <= start {
        return Err(invalid(call, "EndTime must be after StartTime."));
    }
    if end - start >= Duration::days(MAX_WINDOW_DAYS) {
        return Err(invalid(
            call,
            format!("The requested time window must be shorter than {MAX_WINDOW_DAYS} days."),
        ));
    }
    let zone = call.prefs.zone();
    let step = Duration::minutes(interval);
    let st = call.shared.lock();
    let store = &st.calendar;
    let value: Vec<Value> = schedules
        .iter()
        .map(|address| {
            let Some(p) = by_smtp(store, address) else {
                return json!({
                    "scheduleId": address,
                    "error": {
                        "message": format!("Unable to resolve e-mail address {address} to an Active Directory object."),
                        "responseCode": "5009",
                    },
                });
            };
            let key = p.upn.to_ascii_lowercase();
            let mut view = String::new();
            let mut t = start;
            while t < end {
                view.push(store.availability(&key, t, (t + step).min(end)).digit());
                t += step;
            }
            let items: Vec<Value> = store
                .busy_items(&key, start, end)
                .into_iter()
                .map(|(e, s)| {
                    json!({
                        "isPrivate": false,
                        "status": s.name(),
                        "subject": e.subject,
                        "location": "",
                        "start": dtz(&zone, &e.start),
                        "end": dtz(&zone, &e.end),
                    })
                })
                .collect();
            json!({
                "scheduleId": address,
                "availabilityView": view,
                "scheduleItems": items,
                "workingHours": store.hours_of(&p).json(),
            })
        })
        .collect();
    Ok(ok(
        axum::http::StatusCode::OK,
        json!({
            "@odata.context": format!("{}v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)", call.shared.base),
            "value": value,
        }),
    ))
}

/// `PT1H30M`, `PT30M`, `P1DT2H`: the ISO 8601 durations the docs send.
fn iso_duration(s: &str) -> Option<Duration> {
    let s = s.trim().strip_prefix('P')?;
    let (days, time) = match s.split_once('T') {
        Some((d, t)) => (d, t),
        None => (s, ""),
    };
    let mut total = Duration::zero();
    if !days.is_empty() {
        total += Duration::days(days.strip_suffix('D')?.parse().ok()?);
    }
    let mut num = String::new();
    for c in time.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = std::mem::take(&mut num).parse().ok()?;
        total += match c {
            'H' => Duration::hours(n),
            'M' => Duration::minutes(n),
            'S' => Duration::seconds(n),
            _ => return None,
        };
    }
    (num.is_empty() && total > Duration::zero()).then_some(total)
}

fn availability_name(s: ShowAs) -> &'static str {
    match s {
        ShowAs::Free => "free",
        other => other.name(),
    }
}

/// The documented weights: free 100, unknown 49, busy 0. Tentative and away count as
/// busy, working elsewhere as free (the documentation names only those three).
fn score(s: Option<ShowAs>) -> f64 {
    match s {
        None | Some(ShowAs::Unknown) => 49.0,
        Some(ShowAs::Free | ShowAs::WorkingElsewhere) => 100.0,
        Some(_) => 0.0,
    }
}

pub(crate) fn find_meeting_times(call: &Call) -> Outcome {
    let body = read_object(call.ctx, call.headers, call.body)?;
    let duration = match body.get("meetingDuration").and_then(Value::as_str) {
        None => Duration::minutes(30),
        Some(s) => iso_duration(s).ok_or_else(|| {
            invalid(
                call,
                format!("meetingDuration '{s}' is not an ISO 8601 duration."),
            )
        })?,
    };
    let max = body
        .get("maxCandidates")
        .and_then(int)
        .map(|n| n.max(0) as usize)
        .unwrap_or(DEFAULT_MAX_CANDIDATES);
    let organizer_optional = boolean(body.get("isOrganizerOptional"), false);
    let reasons = boolean(body.get("returnSuggestionReasons"), false);
    let min_pct = body
        .get("minimumAttendeePercentage")
        .and_then(|v| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()))
        .unwrap_or(50.0);
    let attendees: Vec<(String, String)> = body
        .get("attendees")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| {
                    let address = a["emailAddress"]["address"].as_str()?.to_string();
                    let kind = a["type"]
                        .as_str()
                        .unwrap_or("required")
                        .to_ascii_lowercase();
                    (kind != "resource").then_some((address, kind))
                })
                .collect()
        })
        .unwrap_or_default();
    let constraint = body.get("timeConstraint").cloned().unwrap_or(Value::Null);
    let domain = constraint["activityDomain"]
        .as_str()
        .unwrap_or("work")
        .to_ascii_lowercase();
    let mut windows = Vec::new();
    for slot in constraint["timeSlots"].as_array().into_iter().flatten() {
        let s = date_time_zone(call, slot.get("start"), "timeSlots.start")?;
        let e = date_time_zone(call, slot.get("end"), "timeSlots.end")?;
        windows.push((s, e));
    }
    if windows.is_empty() {
        let now = super::meetings::now();
        let from = now.duration_trunc(Duration::minutes(30)).unwrap_or(now) + Duration::minutes(30);
        windows.push((from, from + Duration::days(DEFAULT_SEARCH_DAYS)));
    }
    let zone = call.prefs.zone();
    let st = call.shared.lock();
    let store = &st.calendar;
    let me = org::mailbox(&call.user.upn);
    let step = Duration::minutes(30);
    let mut found = Vec::new();
    let (mut any_slot, mut organizer_free_somewhere) = (false, false);
    let work = !matches!(domain.as_str(), "unrestricted" | "personal");
    // The required attendees the service knows, by their working hours.
    let bound: Vec<_> = attendees
        .iter()
        .filter(|(_, kind)| kind == "required")
        .filter_map(|(a, _)| org::mailbox(a))
        .map(|p| store.hours_of(&p))
        .collect();
    for (from, to) in windows {
        let mut t = from;
        while t + duration <= to {
            let end = t + duration;
            let allowed = match (domain.as_str(), me) {
                // The organizer's hours bind only an organizer who must attend.
                _ if organizer_optional => true,
                ("unrestricted", _) | (_, None) => true,
                ("personal", Some(p)) => {
                    let hours = store.hours_of(&p);
                    let z = hours.zone.to_local(&t);
                    z.time() >= hours.start && z.date() == hours.zone.to_local(&end).date()
                }
                (_, Some(p)) => store.hours_of(&p).contains(t, end),
            };
            let everyones = !work || bound.iter().all(|h| h.contains(t, end));
            if allowed {
                any_slot = true;
                let organizer = store.availability(&call.key(), t, end);
                let organizer_ok = score(Some(organizer)) == 100.0;
                organizer_free_somewhere |= organizer_ok;
                if (organizer_ok || organizer_optional) && everyones {
                    let each: Vec<(String, String, Option<ShowAs>)> = attendees
                        .iter()
                        .map(|(a, kind)| {
                            let s = org::mailbox(a)
                                .map(|p| store.availability(&p.upn.to_ascii_lowercase(), t, end));
                            (a.clone(), kind.clone(), s)
                        })
                        .collect();
                    let confidence = if each.is_empty() {
                        100.0
                    } else {
                        each.iter().map(|(_, _, s)| score(*s)).sum::<f64>() / each.len() as f64
                    };
                    if confidence >= min_pct {
                        found.push((t, end, confidence, organizer, each));
                    }
                }
            }
            t += step;
        }
    }
    found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    found.truncate(max);
    let suggestions: Vec<Value> = found
        .iter()
        .enumerate()
        .map(|(i, (s, e, confidence, organizer, each))| {
            json!({
                "confidence": confidence,
                "order": i + 1,
                "organizerAvailability": availability_name(*organizer),
                "suggestionReason": if reasons { "Suggested because it is one of the nearest times when all attendees are available." } else { "" },
                "attendeeAvailability": each.iter().map(|(a, kind, s)| json!({
                    "attendee": {"type": kind, "emailAddress": {"address": a}},
                    "availability": s.map_or("unknown", availability_name),
                })).collect::<Vec<_>>(),
                "locations": [],
                "meetingTimeSlot": {"start": dtz(&zone, s), "end": dtz(&zone, e)},
            })
        })
        .collect();
    let reason = if !suggestions.is_empty() {
        ""
    } else if !any_slot {
        // The window lies outside the organizer's working hours (a Saturday): the service
        // was seen to answer this in PascalCase (microsoft-graph-docs#2786, #2719).
        "OrganizerUnavailable"
    } else if !organizer_free_somewhere && !organizer_optional {
        "organizerUnavailable"
    } else if attendees.iter().any(|(a, _)| org::mailbox(a).is_none()) {
        "attendeesUnavailableOrUnknown"
    } else {
        "attendeesUnavailable"
    };
    Ok(ok(
        axum::http::StatusCode::OK,
        json!({
            "@odata.context": format!("{}v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult", call.shared.base),
            "emptySuggestionsReason": reason,
            "meetingTimeSuggestions": suggestions,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_the_docs_write_them() {
        assert_eq!(iso_duration("PT1H"), Some(Duration::hours(1)));
        assert_eq!(iso_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(iso_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(iso_duration("PT"), None);
        assert_eq!(iso_duration("1H"), None);
        assert_eq!(iso_duration("PT5"), None);
    }

    #[test]
    fn confidence_weights_are_the_documented_ones() {
        assert_eq!(score(Some(ShowAs::Free)), 100.0);
        assert_eq!(score(None), 49.0);
        assert_eq!(score(Some(ShowAs::Busy)), 0.0);
        assert_eq!(score(Some(ShowAs::Oof)), 0.0);
    }
}
