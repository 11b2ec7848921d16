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
    /// Why there are none, as the service said it; None when there are suggestions.
    pub empty: Option<EmptyReason>,
    /// The search was already outside working hours (`activityDomain: unrestricted`).
    pub outside_hours: bool,
}

/// `emptySuggestionsReason`, read case-insensitively: the documentation writes it in
/// camelCase, the service was seen to answer in PascalCase (GRAPH-REAL.md Q28).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyReason {
    /// Outside the organizer's working hours (a Saturday, an evening), or the organizer is
    /// busy throughout.
    OrganizerUnavailable,
    AttendeesUnavailable,
    AttendeesUnavailableOrUnknown,
    LocationsUnavailable,
    /// `unknown`, or nothing said.
    Unknown,
    /// A value this version does not know, sanitized.
    Other(String),
}

impl EmptyReason {
    pub fn parse(reason: &str) -> EmptyReason {
        match reason.trim().to_ascii_lowercase().as_str() {
            "organizerunavailable" => EmptyReason::OrganizerUnavailable,
            "attendeesunavailable" => EmptyReason::AttendeesUnavailable,
            "attendeesunavailableorunknown" => EmptyReason::AttendeesUnavailableOrUnknown,
            "locationsunavailable" => EmptyReason::LocationsUnavailable,
            "" | "unknown" => EmptyReason::Unknown,
            _ => EmptyReason::Other(crate::sanitize::line(reason.trim())),
        }
    }

    /// In words. `outside_hours`: the search already went beyond working hours, so the
    /// organizer being unavailable can only mean busy.
    pub fn words(&self, outside_hours: bool) -> String {
        match self {
            EmptyReason::OrganizerUnavailable if outside_hours => {
                "you are not free at any time in the window".into()
            }
            EmptyReason::OrganizerUnavailable => "the window lies outside your working hours \
                (a weekend or an evening, say), or you are busy all through it"
                .into(),
            EmptyReason::AttendeesUnavailable => {
                "the attendees are not all free at any time in the window".into()
            }
            EmptyReason::AttendeesUnavailableOrUnknown => "the attendees are busy, or their \
                calendars cannot be seen, at every time in the window"
                .into(),
            EmptyReason::LocationsUnavailable => {
                "no location is free at any time in the window".into()
            }
            EmptyReason::Unknown => "the service found no time and did not say why".into(),
            EmptyReason::Other(other) => format!("the service found no time ({other})"),
        }
    }

    /// Whether looking outside working hours may find a time.
    pub fn outside_hours_may_help(&self, outside_hours: bool) -> bool {
        !outside_hours && *self == EmptyReason::OrganizerUnavailable
    }
}

/// Which working hours must contain a suggested time: everyone's (the service's `work`
/// search, which keeps to the organizer's and every required attendee's hours), or the
/// organizer's alone (the organizer's working stretches as the time slots, searched
/// `unrestricted`, so a colleague's night can be suggested and is then marked as such).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WithinHours {
    #[default]
    All,
    Organizer,
}

/// The body for several time slots and an `activityDomain` (`work`, `unrestricted`).
pub fn request_body_in(
    attendees: &[String],
    duration: Duration,
    slots: &[(DateTime<Utc>, DateTime<Utc>)],
    zone: &OutlookZone,
    activity_domain: &str,
) -> Value {
    let mut body = request_body(
        attendees,
        duration,
        slots.first().copied().unwrap_or((Utc::now(), Utc::now())),
        zone,
        activity_domain == "unrestricted",
    );
    body["timeConstraint"] = json!({
        "activityDomain": activity_domain,
        "timeSlots": slots
            .iter()
            .map(|(s, e)| json!({"start": zone.date_time(s), "end": zone.date_time(e)}))
            .collect::<Vec<_>>(),
    });
    body
}

/// The body: required attendees, the length, the window; within the organizer's working
/// hours unless `outside_hours`, which asks for `activityDomain: unrestricted`, the
/// documented way to widen the hours searched (§4.2). `isOrganizerOptional` is not it: it
/// would drop the organizer's own calendar from the search, not their hours.
pub fn request_body(
    attendees: &[String],
    duration: Duration,
    window: (DateTime<Utc>, DateTime<Utc>),
    zone: &OutlookZone,
    outside_hours: bool,
) -> Value {
    let people: Vec<Value> = attendees
        .iter()
        .map(|a| json!({"emailAddress": {"address": a}, "type": "required"}))
        .collect();
    json!({
        "attendees": people,
        "timeConstraint": {
            "activityDomain": if outside_hours { "unrestricted" } else { "work" },
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

impl Suggestions {
    /// The answer to a search made with `outside_hours` as given to [`request_body`].
    pub fn from_graph(answer: &Value, outside_hours: bool) -> Suggestions {
        let list = field(answer, "meetingTimeSuggestions").and_then(Value::as_array);
        let mut items: Vec<Suggestion> =
            list.into_iter().flatten().filter_map(suggestion).collect();
        items.sort_by(|a, b| {
            b.confidence
                .partial_cmp(&a.confidence)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.start.cmp(&b.start))
        });
        let empty = items.is_empty().then(|| {
            EmptyReason::parse(
                field(answer, "emptySuggestionsReason")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            )
        });
        Suggestions {
            items,
            empty_reason: empty.as_ref().map(|r| r.words(outside_hours)),
            empty,
            outside_hours,
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
        let s = Suggestions::from_graph(&answer, false);
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
            false,
        );
        assert_eq!(
            s.empty_reason.as_deref(),
            Some("the attendees are not all free at any time in the window")
        );
        // Each reason in its own words, whatever its case.
        let words = |r: &str, outside: bool| {
            let s = Suggestions::from_graph(&json!({"emptySuggestionsReason": r}), outside);
            (s.empty_reason.unwrap(), s.empty.unwrap())
        };
        let all: Vec<String> = [
            "organizerUnavailable",
            "attendeesUnavailable",
            "attendeesUnavailableOrUnknown",
            "locationsUnavailable",
            "unknown",
        ]
        .iter()
        .map(|r| words(r, false).0)
        .collect();
        let mut distinct = all.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), all.len(), "{all:?}");
        for r in [
            "OrganizerUnavailable",
            "organizerunavailable",
            "organizerUnavailable",
        ] {
            let (text, reason) = words(r, false);
            assert!(text.contains("outside your working hours"), "{r}: {text}");
            assert!(reason.outside_hours_may_help(false));
        }
        let (text, reason) = words("OrganizerUnavailable", true);
        assert_eq!(text, "you are not free at any time in the window");
        assert!(!reason.outside_hours_may_help(true));
        assert_eq!(
            words("AttendeesUnavailableOrUnknown", false).1,
            EmptyReason::AttendeesUnavailableOrUnknown
        );
        assert_eq!(words("", false).1, EmptyReason::Unknown);
        assert!(
            words("OperationTimedOut\u{1b}[2J", false)
                .0
                .contains("OperationTimedOut")
        );
        assert!(
            !words("OperationTimedOut\u{1b}[2J", false)
                .0
                .contains('\u{1b}')
        );
        let body = request_body(
            &[],
            Duration::minutes(30),
            (Utc::now(), Utc::now()),
            &OutlookZone::utc(),
            true,
        );
        assert_eq!(body["timeConstraint"]["activityDomain"], "unrestricted");
        assert_eq!(body["isOrganizerOptional"], false);
        assert_eq!(iso_duration(Duration::minutes(45)), "PT45M");
        assert_eq!(iso_duration(Duration::minutes(90)), "PT1H30M");
        assert_eq!(iso_duration(Duration::minutes(120)), "PT2H");
    }
}
