//! "Find a time" (`POST /me/findMeetingTimes`, GRAPH-SCHEDULING.md §4.2): the request for
//! a length and a window, and the suggestions read back.

use super::availability::Availability;
use super::field;
use super::zone::{OutlookZone, read_date_time};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// How many suggestions to ask for; a screen shows fewer.
pub const MAX_CANDIDATES: u32 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// 0–100: free counts 100, unknown 49, busy 0, averaged over the attendees.
    pub confidence: f64,
    pub organizer: Availability,
    /// Each attendee's address (sanitized) and availability in that slot.
    pub attendees: Vec<(String, Availability)>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Suggestions {
    /// Best first: by confidence, then by time (the service's order is not promised).
    pub items: Vec<Suggestion>,
    /// Why there are none, in words; None when there are suggestions.
    pub empty_reason: Option<String>,
}

/// The body: required attendees, the length, work hours within the window.
pub fn request_body(
    attendees: &[String],
    duration: Duration,
    window: (DateTime<Utc>, DateTime<Utc>),
    zone: &OutlookZone,
) -> Value {
    let people: Vec<Value> = attendees
        .iter()
        .map(|a| json!({"emailAddress": {"address": a}, "type": "required"}))
        .collect();
    json!({
        "attendees": people,
        "timeConstraint": {
            "activityDomain": "work",
            "timeSlots": [{"start": zone.date_time(&window.0), "end": zone.date_time(&window.1)}],
        },
        "meetingDuration": iso_duration(duration),
        "maxCandidates": MAX_CANDIDATES,
        "isOrganizerOptional": false,
        // The service's default minimum (50 %) keeps times when someone is busy, which
        // the list shows as such: better than no suggestion at all.
        "returnSuggestionReasons": true,
    })
}

/// `PT45M`, `PT1H30M`.
pub fn iso_duration(d: Duration) -> String {
    let minutes = d.num_minutes().max(1);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

/// `emptySuggestionsReason` in words.
pub fn describe_empty_reason(reason: &str) -> String {
    match reason.trim().to_ascii_lowercase().as_str() {
        "attendeesunavailable" => "the attendees are not all free at any time in the window".into(),
        "attendeesunavailableorunknown" => {
            "the attendees are busy, or their calendars cannot be seen, at every time in the window"
                .into()
        }
        "locationsunavailable" => "no location is free at any time in the window".into(),
        "organizerunavailable" => "you are not free at any time in the window".into(),
        "" | "unknown" => "the service found no time and did not say why".into(),
        other => format!(
            "the service found no time ({})",
            crate::sanitize::line(other)
        ),
    }
}

impl Suggestions {
    pub fn from_graph(answer: &Value) -> Suggestions {
        let list = field(answer, "meetingTimeSuggestions").and_then(Value::as_array);
        let mut items: Vec<Suggestion> =
            list.into_iter().flatten().filter_map(suggestion).collect();
        items.sort_by(|a, b| {
            b.confidence
                .partial_cmp(&a.confidence)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.start.cmp(&b.start))
        });
        let empty_reason = if items.is_empty() {
            let reason = field(answer, "emptySuggestionsReason")
                .and_then(Value::as_str)
                .unwrap_or("");
            Some(describe_empty_reason(reason))
        } else {
            None
        };
        Suggestions {
            items,
            empty_reason,
        }
    }
}

fn suggestion(v: &Value) -> Option<Suggestion> {
    let slot = field(v, "meetingTimeSlot")?;
    let start = field(slot, "start").and_then(read_date_time)?;
    let end = field(slot, "end").and_then(read_date_time)?;
    if end <= start {
        return None;
    }
    let confidence = field(v, "confidence")
        .and_then(|c| c.as_f64().or_else(|| c.as_str()?.parse().ok()))
        .filter(|c| c.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 100.0);
    let word = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(Availability::from_word)
            .unwrap_or(Availability::Unknown)
    };
    let attendees = field(v, "attendeeAvailability")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let who = field(a, "attendee")
                .and_then(|x| field(x, "emailAddress"))
                .and_then(|e| field(e, "address"))
                .and_then(Value::as_str)?;
            Some((crate::sanitize::line(who), word(field(a, "availability"))))
        })
        .collect();
    Some(Suggestion {
        start,
        end,
        confidence,
        organizer: word(field(v, "organizerAvailability")),
        attendees,
        reason: field(v, "suggestionReason")
            .and_then(Value::as_str)
            .map(crate::sanitize::line)
            .filter(|s| !s.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn suggestions_are_sorted_by_confidence_then_time() {
        let slot = |h: u32| {
            json!({"start": {"dateTime": format!("2037-01-08T{h:02}:00:00.0000000"), "timeZone": "UTC"},
                                    "end": {"dateTime": format!("2037-01-08T{h:02}:45:00.0000000"), "timeZone": "UTC"}})
        };
        let answer = json!({"emptySuggestionsReason": "", "meetingTimeSuggestions": [
            {"confidence": 49.5, "organizerAvailability": "free", "meetingTimeSlot": slot(9),
             "attendeeAvailability": [{"attendee": {"emailAddress": {"address": "a@contoso.com"}}, "availability": "Unknown"}]},
            {"confidence": "100", "organizerAvailability": "free", "meetingTimeSlot": slot(11), "suggestionReason": "Suggested because it is one of the nearest times when all attendees are available."},
            {"confidence": 100, "meetingTimeSlot": slot(10)},
            {"confidence": 100, "meetingTimeSlot": {"start": null}}
        ]});
        let s = Suggestions::from_graph(&answer);
        assert_eq!(s.items.len(), 3);
        assert_eq!(
            s.items[0].start,
            Utc.with_ymd_and_hms(2037, 1, 8, 10, 0, 0).unwrap()
        );
        assert_eq!(
            s.items[1].start,
            Utc.with_ymd_and_hms(2037, 1, 8, 11, 0, 0).unwrap()
        );
        assert_eq!(
            s.items[2].attendees,
            vec![("a@contoso.com".to_string(), Availability::Unknown)]
        );
        assert_eq!(s.empty_reason, None);
    }

    #[test]
    fn no_suggestions_say_why_in_words() {
        let s = Suggestions::from_graph(
            &json!({"emptySuggestionsReason": "AttendeesUnavailable", "meetingTimeSuggestions": []}),
        );
        assert_eq!(
            s.empty_reason.as_deref(),
            Some("the attendees are not all free at any time in the window")
        );
        assert_eq!(iso_duration(Duration::minutes(45)), "PT45M");
        assert_eq!(iso_duration(Duration::minutes(90)), "PT1H30M");
        assert_eq!(iso_duration(Duration::minutes(120)), "PT2H");
    }
}
