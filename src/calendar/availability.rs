//! Free/busy (`POST /me/calendar/getSchedule`, GRAPH-SCHEDULING.md §4.1): the request for
//! a day and the answer read as one row of slots per person.

use super::field;
use super::zone::{OutlookZone, read_date_time, zone_by_name};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde_json::{Value, json};

/// At most this many schedules per call (the organizer counts).
pub const MAX_SCHEDULES: usize = 20;

/// One interval of `availabilityView`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    Free,
    Tentative,
    Busy,
    /// Out of office.
    Away,
    WorkingElsewhere,
    /// The service did not say (a person it does not know, a digit it did not document).
    Unknown,
}

impl Availability {
    /// `0` free, `1` tentative, `2` busy, `3` oof, `4` workingElsewhere.
    pub fn from_digit(c: char) -> Self {
        match c {
            '0' => Availability::Free,
            '1' => Availability::Tentative,
            '2' => Availability::Busy,
            '3' => Availability::Away,
            '4' => Availability::WorkingElsewhere,
            _ => Availability::Unknown,
        }
    }

    /// findMeetingTimes' words (`free`, `tentative`, `busy`, `oof`, `workingElsewhere`,
    /// `unknown`), in any case.
    pub fn from_word(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "free" => Availability::Free,
            "tentative" => Availability::Tentative,
            "busy" => Availability::Busy,
            "oof" => Availability::Away,
            "workingelsewhere" => Availability::WorkingElsewhere,
            _ => Availability::Unknown,
        }
    }

    /// The strip's cell (§4.1's suggestion): `·` free, `░` tentative, `█` busy, `▓` away,
    /// `~` elsewhere, `?` unknown.
    pub fn glyph(self) -> char {
        match self {
            Availability::Free => '·',
            Availability::Tentative => '░',
            Availability::Busy => '█',
            Availability::Away => '▓',
            Availability::WorkingElsewhere => '~',
            Availability::Unknown => '?',
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Availability::Free => "free",
            Availability::Tentative => "tentative",
            Availability::Busy => "busy",
            Availability::Away => "away",
            Availability::WorkingElsewhere => "working elsewhere",
            Availability::Unknown => "unknown",
        }
    }

    /// Worst last: what one cell standing for several slots shows, and what wins where
    /// two items overlap a slot.
    pub fn severity(self) -> u8 {
        match self {
            Availability::Free => 0,
            Availability::WorkingElsewhere => 1,
            Availability::Tentative => 2,
            Availability::Unknown => 3,
            Availability::Busy => 4,
            Availability::Away => 5,
        }
    }

    /// Counts as free for "everyone is free": working elsewhere is still reachable online.
    pub fn is_free(self) -> bool {
        matches!(self, Availability::Free | Availability::WorkingElsewhere)
    }
}

/// The legend a strip is read by, one line.
pub const LEGEND: &str = "· free  ░ tentative  █ busy  ▓ away  ~ elsewhere  ? unknown";

/// One person's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSchedule {
    /// The address asked for, as the answer's `scheduleId` gives it (sanitized).
    pub who: String,
    /// One per interval from [`FreeBusy::start`]; all `Unknown` when `error` is set.
    pub slots: Vec<Availability>,
    /// Why the service could not say (5009: an address it cannot resolve), sanitized.
    pub error: Option<String>,
    /// Working hours in the window's zone, when the answer gives them in a zone we know.
    pub working_hours: Option<(NaiveTime, NaiveTime)>,
}

/// Everyone's slots over one window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeBusy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub interval_minutes: u32,
    pub people: Vec<PersonSchedule>,
}

/// Whose schedules to ask for: the organizer first (when the account is an address),
/// then the others, each once whatever its case.
pub fn organizer_first(organizer: Option<String>, others: &[String]) -> Vec<String> {
    let mut all: Vec<String> = organizer
        .filter(|a| super::invitee::is_address(a))
        .into_iter()
        .collect();
    for o in others {
        if !all.iter().any(|a| a.eq_ignore_ascii_case(o)) {
            all.push(o.clone());
        }
    }
    all
}

/// The request body for `schedules` between `start` and `end`.
pub fn request_body(
    schedules: &[String],
    start: &DateTime<Utc>,
    end: &DateTime<Utc>,
    interval_minutes: u32,
    zone: &OutlookZone,
) -> Value {
    json!({
        "schedules": schedules,
        "startTime": zone.date_time(start),
        "endTime": zone.date_time(end),
        // Never null: null has answered 500 (§8.11).
        "availabilityViewInterval": interval_minutes,
    })
}

impl FreeBusy {
    /// Reads the answer; `asked` keeps the order and spelling of the request, since the
    /// answer's `scheduleId` may differ in case or be missing for an unknown address.
    pub fn from_graph(
        answer: &Value,
        asked: &[String],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        interval_minutes: u32,
        zone: &OutlookZone,
    ) -> FreeBusy {
        let interval = interval_minutes.max(1);
        let count = ((end - start).num_minutes().max(0) as u32).div_ceil(interval) as usize;
        let values: Vec<&Value> = field(answer, "value")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let people = asked
            .iter()
            .enumerate()
            .map(|(i, who)| {
                let entry = values
                    .iter()
                    .find(|v| {
                        field(v, "scheduleId")
                            .and_then(Value::as_str)
                            .is_some_and(|s| s.eq_ignore_ascii_case(who))
                    })
                    .or_else(|| values.get(i).filter(|v| field(v, "scheduleId").is_none()))
                    .copied();
                person(who, entry, count, start, interval, zone)
            })
            .collect();
        FreeBusy {
            start,
            end,
            interval_minutes: interval,
            people,
        }
    }

    /// What one slot is for everyone together: busy where anyone is known to be taken,
    /// else unknown where anyone's slot is unknown (a person the service does not know is
    /// unknown all day), else free. Unknown is never free: an address the directory cannot
    /// resolve may well be busy.
    pub fn all_free(&self) -> Vec<Availability> {
        let count = self.people.iter().map(|p| p.slots.len()).max().unwrap_or(0);
        (0..count)
            .map(|i| {
                let slots = self
                    .people
                    .iter()
                    .map(|p| p.slots.get(i).copied().unwrap_or(Availability::Unknown));
                let mut all = Availability::Free;
                for slot in slots {
                    if slot.is_free() {
                        continue;
                    }
                    if slot != Availability::Unknown {
                        return Availability::Busy;
                    }
                    all = Availability::Unknown;
                }
                all
            })
            .collect()
    }

    /// The slot an instant falls in.
    pub fn slot_of(&self, t: &DateTime<Utc>) -> Option<usize> {
        if *t < self.start || *t >= self.end {
            return None;
        }
        Some(((*t - self.start).num_minutes() / i64::from(self.interval_minutes)) as usize)
    }

    /// When slot `i` starts.
    pub fn slot_start(&self, i: usize) -> DateTime<Utc> {
        self.start + Duration::minutes(i as i64 * i64::from(self.interval_minutes))
    }
}

fn person(
    who: &str,
    entry: Option<&Value>,
    count: usize,
    start: DateTime<Utc>,
    interval: u32,
    zone: &OutlookZone,
) -> PersonSchedule {
    let unknown = |why: String| PersonSchedule {
        who: crate::sanitize::line(who),
        slots: vec![Availability::Unknown; count],
        error: Some(why),
        working_hours: None,
    };
    let Some(entry) = entry else {
        return unknown("the service sent no schedule for this address".into());
    };
    if let Some(err) = field(entry, "error").filter(|e| !e.is_null()) {
        let code = field(err, "responseCode")
            .map(|c| {
                c.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| c.to_string())
            })
            .unwrap_or_default();
        let why = if code.trim_matches('"') == "5009" {
            "unknown to the service (not found in the directory)".to_string()
        } else {
            field(err, "message")
                .and_then(Value::as_str)
                .map(crate::sanitize::line)
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("the service could not say (code {code})"))
        };
        return unknown(why);
    }
    let view = field(entry, "availabilityView")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut slots: Vec<Availability> = view.chars().map(Availability::from_digit).collect();
    if slots.is_empty() {
        slots = from_items(entry, count, start, interval);
    }
    slots.resize(count, Availability::Unknown);
    PersonSchedule {
        who: crate::sanitize::line(who),
        slots,
        error: None,
        working_hours: working_hours(entry, zone, start.with_timezone(&zone.tz()).date_naive()),
    }
}

/// Without an `availabilityView`, the slots from `scheduleItems`' statuses.
fn from_items(
    entry: &Value,
    count: usize,
    start: DateTime<Utc>,
    interval: u32,
) -> Vec<Availability> {
    let mut slots = vec![Availability::Free; count];
    let items = field(entry, "scheduleItems").and_then(Value::as_array);
    for item in items.into_iter().flatten() {
        let (Some(s), Some(e)) = (
            field(item, "start").and_then(read_date_time),
            field(item, "end").and_then(read_date_time),
        ) else {
            continue;
        };
        let status = field(item, "status")
            .and_then(Value::as_str)
            .map(Availability::from_word)
            .unwrap_or(Availability::Busy);
        for (i, slot) in slots.iter_mut().enumerate() {
            let a = start + Duration::minutes(i as i64 * i64::from(interval));
            let b = a + Duration::minutes(i64::from(interval));
            if s < b && e > a && status.severity() > slot.severity() {
                *slot = status;
            }
        }
    }
    slots
}

/// `workingHours.startTime`/`endTime` ("08:00:00.0000000") moved from their zone into the
/// window's; a custom zone (bias only) is left out rather than guessed.
fn working_hours(
    entry: &Value,
    zone: &OutlookZone,
    day: chrono::NaiveDate,
) -> Option<(NaiveTime, NaiveTime)> {
    let wh = field(entry, "workingHours")?;
    let parse = |name: &str| {
        let s = field(wh, name)?.as_str()?;
        let whole = s.split('.').next()?;
        NaiveTime::parse_from_str(whole, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(whole, "%H:%M"))
            .ok()
    };
    let (a, b) = (parse("startTime")?, parse("endTime")?);
    let their = field(wh, "timeZone")
        .and_then(|z| field(z, "name"))
        .and_then(Value::as_str)
        .and_then(zone_by_name)?;
    let shift = |t: NaiveTime| {
        crate::meeting::time::resolve(&their, day.and_time(t))
            .ok()
            .map(|d| d.with_timezone(&zone.tz()).time())
    };
    Some((shift(a)?, shift(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn window() -> (DateTime<Utc>, DateTime<Utc>) {
        let s = Utc.with_ymd_and_hms(2037, 1, 8, 8, 0, 0).unwrap();
        (s, s + Duration::hours(2))
    }

    #[test]
    fn an_unknown_address_is_unknown_not_free() {
        let (s, e) = window();
        let answer = json!({"value": [
            {"scheduleId": "ADELEV@contoso.com", "availabilityView": "0220",
             "workingHours": {"startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000", "timeZone": {"name": "UTC"}}},
            {"scheduleId": "nobody@contoso.com", "error": {"message": "Unable to resolve", "responseCode": "5009"}}
        ]});
        let asked = vec![
            "adelev@contoso.com".to_string(),
            "nobody@contoso.com".to_string(),
            "gone@contoso.com".to_string(),
        ];
        let fb = FreeBusy::from_graph(&answer, &asked, s, e, 30, &OutlookZone::utc());
        assert_eq!(
            fb.people[0].slots,
            vec![
                Availability::Free,
                Availability::Busy,
                Availability::Busy,
                Availability::Free
            ]
        );
        assert_eq!(fb.people[0].who, "adelev@contoso.com");
        assert_eq!(
            fb.people[0].working_hours.unwrap().0,
            NaiveTime::from_hms_opt(8, 0, 0).unwrap()
        );
        assert_eq!(fb.people[1].slots, vec![Availability::Unknown; 4]);
        assert!(fb.people[1].error.as_deref().unwrap().contains("unknown"));
        assert!(fb.people[2].error.is_some());
        // Someone unknown all day: nowhere is everyone known to be free, and a slot
        // someone known is busy in is busy whoever else is unknown.
        assert_eq!(
            fb.all_free(),
            vec![
                Availability::Unknown,
                Availability::Busy,
                Availability::Busy,
                Availability::Unknown
            ]
        );
        assert_eq!(fb.slot_of(&(s + Duration::minutes(45))), Some(1));
        assert_eq!(fb.slot_of(&e), None);
    }

    #[test]
    fn all_free_is_free_only_where_everyone_is_known_to_be_free() {
        use Availability::*;
        let (s, e) = window();
        let row = |who: &str, slots: Vec<Availability>| PersonSchedule {
            who: who.into(),
            slots,
            error: None,
            working_hours: None,
        };
        let fb = FreeBusy {
            start: s,
            end: e,
            interval_minutes: 30,
            people: vec![
                row(
                    "a@contoso.com",
                    vec![Free, Free, WorkingElsewhere, Tentative],
                ),
                // A digit the service did not document, in an otherwise known schedule.
                row("b@contoso.com", vec![Free, Unknown, Free, Unknown]),
            ],
        };
        assert_eq!(fb.all_free(), vec![Free, Unknown, Free, Busy]);
        let alone = FreeBusy {
            people: vec![row("a@contoso.com", vec![Free, Busy, Free, Free])],
            ..fb.clone()
        };
        assert_eq!(alone.all_free(), vec![Free, Busy, Free, Free]);
    }

    #[test]
    fn items_fill_in_for_a_missing_view_and_statuses_read_any_case() {
        let (s, e) = window();
        let answer = json!({"value": [{"scheduleId": "a@contoso.com", "scheduleItems": [
            {"status": "Tentative", "start": {"dateTime": "2037-01-08T08:30:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2037-01-08T09:00:00.0000000", "timeZone": "UTC"}}]}]});
        let fb = FreeBusy::from_graph(
            &answer,
            &["a@contoso.com".into()],
            s,
            e,
            30,
            &OutlookZone::utc(),
        );
        assert_eq!(fb.people[0].slots[1], Availability::Tentative);
        assert_eq!(fb.people[0].slots[0], Availability::Free);
    }

    #[test]
    fn the_request_never_sends_a_null_interval() {
        let (s, e) = window();
        let b = request_body(&["a@contoso.com".into()], &s, &e, 15, &OutlookZone::utc());
        assert_eq!(b["availabilityViewInterval"], 15);
        assert_eq!(b["startTime"]["timeZone"], "UTC");
    }
}
