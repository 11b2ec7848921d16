//! Working hours and local times across zones (GRAPH-NEXT §6): a person's `workingHours`
//! (from getSchedule or their mailbox settings) read once, in the zone they are kept in,
//! and the questions asked of them: is this slot inside them, which stretches of a window
//! are working time, what is the time there now. Everything is computed per day in the
//! person's own zone, so a change of clocks on their side or ours moves their hours as it
//! moves them in Outlook.
//!
//! A `customTimeZone` (a bias and transition rules) is not guessed at: such hours have no
//! zone ([`WorkingHours::zone`] is None) and answer "unknown" until a zone is given to
//! stand in for it ([`WorkingHours::in_zone`]; for one's own, the mailbox's zone).

use super::availability::FreeBusy;
use super::field;
use super::suggestions::Suggestion;
use super::zone::zone_by_name;
use super::zone_input::city;
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde_json::{Value, json};

/// When someone works: on these days, from `start` to `end` in `zone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    /// Monday first, each once.
    pub days: Vec<Weekday>,
    pub start: NaiveTime,
    /// At or before `start`: the hours run past midnight into the next day.
    pub end: NaiveTime,
    /// The zone as the service named it (a Windows or IANA name; "Customized Time Zone"
    /// for a custom one), sanitized.
    pub zone_name: String,
    /// The zone's rules; None when no table knows the name or it is a custom zone.
    pub zone: Option<Tz>,
}

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn day_word(d: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(_, w)| *w == d)
        .map_or("monday", |(n, _)| n)
}

/// `08:00:00.0000000` (`Edm.TimeOfDay`), `08:00:00` or `08:00`.
fn time_of_day(v: Option<&Value>) -> Option<NaiveTime> {
    let s = v?.as_str()?.trim();
    let whole = s.split('.').next()?;
    NaiveTime::parse_from_str(whole, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(whole, "%H:%M"))
        .ok()
}

/// A wall-clock time in `tz` as an instant, as Outlook places one: in a spring-forward gap
/// the time moves forward by the gap, in a fall-back overlap the earlier instant is taken.
pub fn wall_clock(tz: &Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.with_timezone(&Utc)
        }
        chrono::LocalResult::None => {
            // The offset in force before the gap: transitions are months apart.
            let before = tz.offset_from_utc_datetime(&(local - Duration::hours(12)));
            use chrono::Offset;
            (local - before.fix()).and_utc()
        }
    }
}

impl WorkingHours {
    /// A `workingHours` object of getSchedule or mailboxSettings; None when it lacks days
    /// or times. Names are read in any case.
    pub fn from_graph(v: &Value) -> Option<WorkingHours> {
        if !v.is_object() {
            return None;
        }
        let mut days: Vec<Weekday> = field(v, "daysOfWeek")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|d| {
                DAYS.iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(d.trim()))
                    .map(|(_, w)| *w)
            })
            .collect();
        days.sort_by_key(Weekday::num_days_from_monday);
        days.dedup();
        let start = time_of_day(field(v, "startTime"))?;
        let end = time_of_day(field(v, "endTime"))?;
        let zone_value = field(v, "timeZone");
        let custom = zone_value
            .and_then(|z| field(z, "@odata.type"))
            .and_then(Value::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().contains("customtimezone"));
        let name = zone_value
            .and_then(|z| {
                z.as_str()
                    .or_else(|| field(z, "name").and_then(Value::as_str))
            })
            .map(|n| crate::sanitize::line(n.trim()))
            .unwrap_or_default();
        let zone = if custom { None } else { zone_by_name(&name) };
        Some(WorkingHours {
            days,
            start,
            end,
            zone_name: name,
            zone,
        })
    }

    /// These hours kept in `tz` when their own zone is unknown (a custom zone): for one's
    /// own hours the mailbox's zone, the place they are in.
    pub fn in_zone(mut self, tz: Tz) -> WorkingHours {
        if self.zone.is_none() {
            self.zone = Some(tz);
        }
        self
    }

    /// The working stretches that overlap `[from, to)`, clipped to it, earliest first.
    /// Empty when the zone is unknown.
    pub fn spans(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let Some(tz) = self.zone else {
            return Vec::new();
        };
        if to <= from {
            return Vec::new();
        }
        let first = from.with_timezone(&tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&tz).date_naive();
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            if let Some((s, e)) = self.span_on(&tz, day)
                && s < to
                && e > from
            {
                out.push((s.max(from), e.min(to)));
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        out
    }

    /// The working stretch that begins on `day` (in `tz`), if `day` is a working day.
    fn span_on(&self, tz: &Tz, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.days.contains(&day.weekday()) {
            return None;
        }
        let end_day = if self.end <= self.start {
            day.succ_opt()?
        } else {
            day
        };
        let s = wall_clock(tz, day.and_time(self.start));
        let e = wall_clock(tz, end_day.and_time(self.end));
        (e > s).then_some((s, e))
    }

    /// Whether `[start, end)` lies inside one working stretch; None when the zone is
    /// unknown.
    pub fn contains(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<bool> {
        self.zone?;
        let around = self.spans(start - Duration::days(2), end + Duration::days(2));
        Some(around.iter().any(|(s, e)| *s <= start && end <= *e))
    }

    /// Whether `t` is working time; None when the zone is unknown.
    pub fn is_working(&self, t: DateTime<Utc>) -> Option<bool> {
        self.contains(t, t + Duration::seconds(1))
    }

    /// "Mon–Fri 09:00–18:00 Tokyo", "Mon–Thu 08:00–18:00 Los Angeles", "Mon, Wed 10:00–14:00 …".
    pub fn describe(&self) -> String {
        let short = |d: Weekday| {
            let w = day_word(d);
            let mut c = w[..3].to_string();
            c[..1].make_ascii_uppercase();
            c
        };
        let run = self.days.len() > 2
            && self
                .days
                .windows(2)
                .all(|w| w[1].num_days_from_monday() == w[0].num_days_from_monday() + 1);
        let days = match (self.days.first(), self.days.last()) {
            (Some(a), Some(b)) if run => format!("{}–{}", short(*a), short(*b)),
            _ => self
                .days
                .iter()
                .map(|d| short(*d))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let place = match self.zone {
            Some(tz) => city(tz),
            None => self.zone_name.clone(),
        };
        format!(
            "{days} {}–{} {place}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }

    /// For `--json`: the days, the times and the zone as the service gave them, and the
    /// IANA zone they were read in (null when unknown).
    pub fn to_json(&self) -> Value {
        json!({
            "daysOfWeek": self.days.iter().map(|d| day_word(*d)).collect::<Vec<_>>(),
            "startTime": self.start.format("%H:%M").to_string(),
            "endTime": self.end.format("%H:%M").to_string(),
            "timeZone": self.zone_name,
            "ianaTimeZone": self.zone.map(|z| z.name().to_string()),
        })
    }
}

/// "02:00 Tokyo": the time at `t` in `tz`, named by its city.
pub fn local_label(t: &DateTime<Utc>, tz: Tz) -> String {
    format!("{} {}", t.with_timezone(&tz).format("%H:%M"), city(tz))
}

/// Someone and their hours (None when the service gave none, or for someone it does not
/// know), for the free/busy rows and the suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonHours {
    pub who: String,
    pub hours: Option<WorkingHours>,
}

impl PersonHours {
    /// Their zone, when known.
    pub fn zone(&self) -> Option<Tz> {
        self.hours.as_ref().and_then(|h| h.zone)
    }
}

/// Free/busy with each person's working hours beside it, row for row: what the strip
/// shades and labels, what `free --json` carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedules {
    pub free_busy: FreeBusy,
    /// One per `free_busy.people`, in the same order.
    pub hours: Vec<PersonHours>,
}

/// Free/busy whose people's hours are not known.
impl From<FreeBusy> for Schedules {
    fn from(free_busy: FreeBusy) -> Self {
        Schedules {
            free_busy,
            hours: Vec::new(),
        }
    }
}

impl Schedules {
    /// `who`'s hours replaced by `hours` (one's own, from the mailbox's settings, which
    /// stand in the mailbox's zone where getSchedule's may be a custom one).
    pub fn set_hours(&mut self, who: &str, hours: WorkingHours) {
        if let Some(row) = self
            .hours
            .iter_mut()
            .find(|r| r.who.eq_ignore_ascii_case(who))
        {
            row.hours = Some(hours);
        }
    }

    /// For row `i`, each slot: inside their working hours (by the slot's start), outside,
    /// or None where their hours or zone are unknown.
    pub fn within_hours(&self, i: usize) -> Vec<Option<bool>> {
        let count = self.free_busy.people.get(i).map_or(0, |p| p.slots.len());
        let hours = self.hours.get(i).and_then(|h| h.hours.as_ref());
        (0..count)
            .map(|n| hours.and_then(|h| h.is_working(self.free_busy.slot_start(n))))
            .collect()
    }

    /// Who would be outside their working hours at `[start, end)` (the form flags a
    /// chosen time with it before it is sent); people whose hours are unknown are not.
    pub fn outside_hours(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<&PersonHours> {
        self.hours
            .iter()
            .filter(|p| p.hours.as_ref().and_then(|h| h.contains(start, end)) == Some(false))
            .collect()
    }

    /// Row `i`'s local time at `t` ("02:00 Tokyo"), when their zone is known.
    pub fn local_label(&self, i: usize, t: &DateTime<Utc>) -> Option<String> {
        self.hours
            .get(i)
            .and_then(PersonHours::zone)
            .map(|z| local_label(t, z))
    }
}

/// One invitee at one suggested time: their zone's clock then, and whether the time lies
/// within their working hours (None: not known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteeTime {
    pub who: String,
    pub zone: Option<Tz>,
    pub local_start: Option<DateTime<Tz>>,
    pub inside: Option<bool>,
}

impl InviteeTime {
    /// "18:00 Tokyo, outside working hours", "09:30 New York", "hours not known".
    pub fn describe(&self) -> String {
        let at = match (self.local_start, self.zone) {
            (Some(t), Some(z)) => format!("{} {}", t.format("%H:%M"), city(z)),
            _ => "local time not known".into(),
        };
        match self.inside {
            Some(true) => at,
            Some(false) => format!("{at}, outside working hours"),
            None if self.zone.is_some() => format!("{at}, working hours not known"),
            None => at,
        }
    }
}

/// Where a suggested slot falls for each of `people`.
pub fn invitee_times(s: &Suggestion, people: &[PersonHours]) -> Vec<InviteeTime> {
    people
        .iter()
        .map(|p| {
            let zone = p.zone();
            InviteeTime {
                who: p.who.clone(),
                zone,
                local_start: zone.map(|z| s.start.with_timezone(&z)),
                inside: p.hours.as_ref().and_then(|h| h.contains(s.start, s.end)),
            }
        })
        .collect()
}

/// Each asked address's `workingHours` from a getSchedule answer, in the order asked (the
/// answer's `scheduleId` may differ in case).
pub fn from_schedule(answer: &Value, asked: &[String]) -> Vec<PersonHours> {
    let values: Vec<&Value> = field(answer, "value")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    asked
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
                .or_else(|| values.get(i).filter(|v| field(v, "scheduleId").is_none()));
            let hours = entry
                .filter(|e| field(e, "error").is_none_or(Value::is_null))
                .and_then(|e| field(e, "workingHours"))
                .and_then(WorkingHours::from_graph);
            PersonHours {
                who: crate::sanitize::line(who),
                hours,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokyo() -> WorkingHours {
        WorkingHours::from_graph(&json!({
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "09:00:00.0000000", "endTime": "18:00:00.0000000",
            "timeZone": {"name": "Tokyo Standard Time"}}))
        .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn hours_are_read_in_their_own_zone_whatever_the_case_of_the_names() {
        let h = tokyo();
        assert_eq!(h.zone, Some(chrono_tz::Asia::Tokyo));
        assert_eq!(h.days.len(), 5);
        assert_eq!(h.describe(), "Mon–Fri 09:00–18:00 Tokyo");
        // Monday 2031-01-06, 09:00–10:00 Tokyo is 00:00–01:00 UTC.
        assert_eq!(
            h.contains(utc(2031, 1, 6, 0, 0), utc(2031, 1, 6, 1, 0)),
            Some(true)
        );
        assert_eq!(
            h.contains(utc(2031, 1, 6, 8, 30), utc(2031, 1, 6, 9, 30)),
            Some(false)
        );
        assert_eq!(
            h.is_working(utc(2031, 1, 5, 23, 59)),
            Some(false),
            "08:59 Tokyo"
        );
        // Saturday in Tokyo, though still Friday in UTC.
        assert_eq!(h.is_working(utc(2031, 1, 11, 1, 0)), Some(false));
        let odd = WorkingHours::from_graph(&json!({"DaysOfWeek": ["Thursday", "monday", "monday"],
            "StartTime": "10:00", "EndTime": "14:00", "TimeZone": {"Name": "Europe/Berlin"}}))
        .unwrap();
        assert_eq!(odd.days, [Weekday::Mon, Weekday::Thu]);
        assert_eq!(odd.describe(), "Mon, Thu 10:00–14:00 Berlin");
        assert_eq!(
            WorkingHours::from_graph(&json!({"startTime": "10:00"})),
            None
        );
    }

    #[test]
    fn a_custom_zone_is_not_guessed_until_one_stands_in() {
        let custom = WorkingHours::from_graph(&json!({
            "daysOfWeek": ["monday"], "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
            "timeZone": {"@odata.type": "#microsoft.graph.customTimeZone", "bias": 60, "name": "Customized Time Zone"}}))
        .unwrap();
        assert_eq!(custom.zone, None);
        assert_eq!(custom.is_working(utc(2031, 1, 6, 9, 0)), None);
        assert!(
            custom
                .spans(utc(2031, 1, 6, 0, 0), utc(2031, 1, 7, 0, 0))
                .is_empty()
        );
        let berlin = custom.in_zone(chrono_tz::Europe::Berlin);
        assert_eq!(
            berlin.is_working(utc(2031, 1, 6, 7, 0)),
            Some(true),
            "08:00 Berlin"
        );
        assert_eq!(berlin.zone_name, "Customized Time Zone");
    }

    #[test]
    fn spans_follow_the_persons_clock_changes() {
        let berlin = WorkingHours {
            zone: Some(chrono_tz::Europe::Berlin),
            zone_name: "W. Europe Standard Time".into(),
            ..tokyo()
        };
        // Friday 27 March 2037 (CET) and Monday 30 March (CEST), 09:00–18:00 each.
        let spans = berlin.spans(utc(2037, 3, 27, 0, 0), utc(2037, 3, 31, 0, 0));
        assert_eq!(
            spans,
            vec![
                (utc(2037, 3, 27, 8, 0), utc(2037, 3, 27, 17, 0)),
                (utc(2037, 3, 30, 7, 0), utc(2037, 3, 30, 16, 0)),
            ]
        );
        // Clipped to the window.
        let clipped = berlin.spans(utc(2037, 3, 27, 10, 0), utc(2037, 3, 27, 12, 0));
        assert_eq!(
            clipped,
            vec![(utc(2037, 3, 27, 10, 0), utc(2037, 3, 27, 12, 0))]
        );
    }

    #[test]
    fn night_hours_run_into_the_next_day() {
        let night = WorkingHours {
            days: vec![Weekday::Mon],
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
            zone_name: "UTC".into(),
            zone: Some(chrono_tz::UTC),
        };
        assert_eq!(
            night.is_working(utc(2031, 1, 7, 3, 0)),
            Some(true),
            "Tuesday 03:00"
        );
        assert_eq!(night.is_working(utc(2031, 1, 8, 3, 0)), Some(false));
    }

    #[test]
    fn labels_and_rows_from_a_schedule_answer() {
        assert_eq!(
            local_label(&utc(2031, 1, 6, 17, 0), chrono_tz::Asia::Tokyo),
            "02:00 Tokyo"
        );
        let answer = json!({"value": [
            {"scheduleId": "NESTORW@contoso.com", "availabilityView": "0",
             "workingHours": {"daysOfWeek": ["monday"], "startTime": "09:00:00", "endTime": "18:00:00",
                              "timeZone": {"name": "Tokyo Standard Time"}}},
            {"scheduleId": "nobody@contoso.com", "error": {"responseCode": "5009"}}]});
        let rows = from_schedule(
            &answer,
            &["nestorw@contoso.com".into(), "nobody@contoso.com".into()],
        );
        assert_eq!(rows[0].zone(), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(rows[1].hours, None);
        let found = Schedules {
            free_busy: FreeBusy::from_graph(
                &answer,
                &["nestorw@contoso.com".into(), "nobody@contoso.com".into()],
                utc(2031, 1, 6, 0, 0),
                utc(2031, 1, 7, 0, 0),
                60,
                &super::super::zone::OutlookZone::utc(),
            ),
            hours: rows.clone(),
        };
        // Monday 17:00 UTC is 02:00 on Tuesday in Tokyo, where he works Mondays only.
        let out = found.outside_hours(utc(2031, 1, 6, 17, 0), utc(2031, 1, 6, 18, 0));
        assert_eq!(out.len(), 1, "the unknown address is not flagged");
        assert_eq!(out[0].who, "nestorw@contoso.com");
        assert!(
            found
                .outside_hours(utc(2031, 1, 6, 1, 0), utc(2031, 1, 6, 2, 0))
                .is_empty()
        );
        assert_eq!(
            found.local_label(0, &utc(2031, 1, 6, 17, 0)).as_deref(),
            Some("02:00 Tokyo")
        );
        assert_eq!(
            found.within_hours(0)[0],
            Some(true),
            "00:00 UTC is 09:00 Monday in Tokyo"
        );
        let j = rows[0].hours.as_ref().unwrap().to_json();
        assert_eq!(j["ianaTimeZone"], "Asia/Tokyo");
        assert_eq!(j["startTime"], "09:00");
    }
}
