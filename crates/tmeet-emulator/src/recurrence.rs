//! Recurring events (GRAPH-NEXT §2.1–§2.2): an event's `recurrence`
//! (`patternedRecurrence{pattern, range}`) read and checked as the service checks a create,
//! written back as a GET shows it, and expanded into the dates and times of its occurrences.
//!
//! Expansion: the first occurrence is the first date on or after `range.startDate` that
//! fits the pattern (not necessarily the start date itself); weeks begin on
//! `firstDayOfWeek` and "every N weeks" counts from the week holding `startDate`; months
//! and years count from those of `startDate`. Every occurrence keeps the series' wall-clock
//! start in the series' zone, so across a DST change its UTC time moves by the hour (a
//! series created in UTC stays put in UTC instead).
//!
//! Day 29–31 of a shorter month: GRAPH-NEXT does not say. Exchange, which stores Outlook's
//! series, documents `DayOfMonth` as "larger than the number of days in the month: the last
//! day of the month is assumed" (EWS `AbsoluteMonthlyRecurrence`/`DayOfMonth`), so "monthly
//! on the 31st" falls on the 30th of April and the 28th (29th) of February, and a yearly
//! 29 February on the 28th in other years. (iCalendar's `BYMONTHDAY=31` skips such months;
//! Outlook's series do not.)
//!
//! Several `daysOfWeek` in a relative pattern: the Nth day of the month that is any of
//! them (Exchange's "second weekday"), which for `first` is "the first day that satisfies
//! it" (GRAPH-NEXT §2.1).

use super::timezones::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatternType {
    Daily,
    Weekly,
    AbsoluteMonthly,
    RelativeMonthly,
    AbsoluteYearly,
    RelativeYearly,
}

const PATTERN_TYPES: &[(&str, PatternType)] = &[
    ("daily", PatternType::Daily),
    ("weekly", PatternType::Weekly),
    ("absoluteMonthly", PatternType::AbsoluteMonthly),
    ("relativeMonthly", PatternType::RelativeMonthly),
    ("absoluteYearly", PatternType::AbsoluteYearly),
    ("relativeYearly", PatternType::RelativeYearly),
];

/// `weekIndex`: which matching day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeekIndex {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

const WEEK_INDEXES: &[(&str, WeekIndex)] = &[
    ("first", WeekIndex::First),
    ("second", WeekIndex::Second),
    ("third", WeekIndex::Third),
    ("fourth", WeekIndex::Fourth),
    ("last", WeekIndex::Last),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeType {
    EndDate,
    NoEnd,
    Numbered,
}

const RANGE_TYPES: &[(&str, RangeType)] = &[
    ("endDate", RangeType::EndDate),
    ("noEnd", RangeType::NoEnd),
    ("numbered", RangeType::Numbered),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("sunday", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
];

/// What `range.endDate` reads as on a GET of a series without one (CSDL: non-nullable).
const NO_DATE: &str = "0001-01-01";

/// A series' rule, as read from a create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recurrence {
    pub kind: PatternType,
    pub interval: u32,
    /// As given (checked, order kept): a GET echoes it.
    pub days_of_week: Vec<Weekday>,
    /// 0 where the pattern does not use it.
    pub day_of_month: u32,
    /// 0 where the pattern does not use it.
    pub month: u32,
    pub index: WeekIndex,
    pub first_day_of_week: Weekday,
    pub range: RangeType,
    pub start_date: NaiveDate,
    /// For `endDate` only; inclusive.
    pub end_date: Option<NaiveDate>,
    /// For `numbered` only.
    pub occurrences: u32,
    /// `recurrenceTimeZone` as given; None: the event's start zone.
    pub time_zone: Option<String>,
}

/// Why a create's `recurrence` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// 400 `UnableToDeserializePostBody`: the service could not read it at all: `range`
    /// before `pattern` (microsoft-graph-docs#11359), a date that is not `yyyy-MM-dd`, a
    /// value of the wrong JSON type (msgraph-sdk-javascript#404, reported).
    Unreadable(String),
    /// 400 `ErrorPropertyValidationFailure` "At least one property failed validation."
    /// (microsoft-graph-docs#7919): a missing required field, a value out of its set or
    /// range. The text is the emulator's note of which, for its tests and log; the service
    /// names no property.
    Property(String),
}

fn lookup<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, t)| *t)
}

fn name_of<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, t)| *t == value)
        .map(|(n, _)| *n)
        .unwrap_or_default()
}

/// A member of an object, named case-sensitively as the service's camelCase; null reads as
/// absent.
fn member<'a>(o: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a Value> {
    o.get(name).filter(|v| !v.is_null())
}

/// An enum member: absent is None; a string outside `table` is refused even where the
/// pattern ignores the field ("Even if a field is ignored, it is still validated").
fn enum_member<T: Copy>(
    o: &serde_json::Map<String, Value>,
    name: &str,
    table: &[(&str, T)],
) -> Result<Option<T>, Invalid> {
    match member(o, name) {
        None => Ok(None),
        Some(Value::String(s)) => lookup(table, s)
            .map(Some)
            .ok_or_else(|| Invalid::Property(format!("{name}: '{s}' is not one of its values"))),
        Some(_) => Err(Invalid::Unreadable(format!("{name} is not a string"))),
    }
}

/// An Int32 member: absent is None; a number that is not a whole Int32 cannot be read.
fn int_member(o: &serde_json::Map<String, Value>, name: &str) -> Result<Option<i64>, Invalid> {
    match member(o, name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|n| i32::try_from(*n).is_ok())
            .map(Some)
            .ok_or_else(|| Invalid::Unreadable(format!("{name} is not an Int32"))),
    }
}

/// An `Edm.Date` member (`yyyy-MM-dd`, nothing more).
fn date_member(
    o: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<NaiveDate>, Invalid> {
    match member(o, name) {
        None => Ok(None),
        Some(Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|_| s.len() == 10)
            .map(Some)
            .ok_or_else(|| Invalid::Unreadable(format!("{name}: '{s}' is not an Edm.Date"))),
        Some(_) => Err(Invalid::Unreadable(format!("{name} is not a string"))),
    }
}

fn object<'a>(
    v: Option<&'a Value>,
    name: &str,
) -> Result<&'a serde_json::Map<String, Value>, Invalid> {
    match v {
        None | Some(Value::Null) => Err(Invalid::Property(format!("{name} is required"))),
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(Invalid::Unreadable(format!("{name} is not an object"))),
    }
}

impl Recurrence {
    /// A create's `recurrence` (None: null, a single instance). `range_first` is what
    /// [`range_before_pattern`] found in the raw body, which the parsed JSON no longer
    /// tells. `recurrenceTimeZone` is returned as given; the caller checks it is a zone.
    pub(crate) fn parse(v: &Value, range_first: bool) -> Result<Option<Recurrence>, Invalid> {
        if v.is_null() {
            return Ok(None);
        }
        if range_first {
            return Err(Invalid::Unreadable(
                "range comes before pattern in recurrence".into(),
            ));
        }
        let r = object(Some(v), "recurrence")?;
        let p = object(r.get("pattern"), "recurrence.pattern")?;
        let g = object(r.get("range"), "recurrence.range")?;

        let kind = enum_member(p, "type", PATTERN_TYPES)?
            .ok_or_else(|| Invalid::Property("pattern.type is required".into()))?;
        let interval = int_member(p, "interval")?
            .ok_or_else(|| Invalid::Property("pattern.interval is required".into()))?;
        let interval = u32::try_from(interval)
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                Invalid::Property(format!("pattern.interval {interval} is not 1 or more"))
            })?;
        let days_of_week = match member(p, "daysOfWeek") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut days = Vec::new();
                for item in items {
                    let name = item.as_str().ok_or_else(|| {
                        Invalid::Unreadable(
                            "pattern.daysOfWeek holds a value that is not a string".into(),
                        )
                    })?;
                    let day = lookup(WEEKDAYS, name).ok_or_else(|| {
                        Invalid::Property(format!("pattern.daysOfWeek: '{name}' is not a day"))
                    })?;
                    if !days.contains(&day) {
                        days.push(day);
                    }
                }
                days
            }
            Some(_) => {
                return Err(Invalid::Unreadable(
                    "pattern.daysOfWeek is not a collection".into(),
                ));
            }
        };
        let day_of_month = int_member(p, "dayOfMonth")?;
        let month = int_member(p, "month")?;
        let index = enum_member(p, "index", WEEK_INDEXES)?.unwrap_or(WeekIndex::First);
        let first_day_of_week = enum_member(p, "firstDayOfWeek", WEEKDAYS)?.unwrap_or(Weekday::Sun);

        let needs_days = matches!(
            kind,
            PatternType::Weekly | PatternType::RelativeMonthly | PatternType::RelativeYearly
        );
        if needs_days && days_of_week.is_empty() {
            return Err(Invalid::Property(
                "pattern.daysOfWeek is required for this type".into(),
            ));
        }
        let needs_day_of_month = matches!(
            kind,
            PatternType::AbsoluteMonthly | PatternType::AbsoluteYearly
        );
        let day_of_month = if needs_day_of_month {
            match day_of_month {
                Some(d @ 1..=31) => d as u32,
                Some(d) => {
                    return Err(Invalid::Property(format!(
                        "pattern.dayOfMonth {d} is not 1–31"
                    )));
                }
                None => {
                    return Err(Invalid::Property(
                        "pattern.dayOfMonth is required for this type".into(),
                    ));
                }
            }
        } else {
            0
        };
        let needs_month = matches!(
            kind,
            PatternType::AbsoluteYearly | PatternType::RelativeYearly
        );
        let month = if needs_month {
            match month {
                Some(m @ 1..=12) => m as u32,
                Some(m) => return Err(Invalid::Property(format!("pattern.month {m} is not 1–12"))),
                None => {
                    return Err(Invalid::Property(
                        "pattern.month is required for this type".into(),
                    ));
                }
            }
        } else {
            0
        };

        let range = enum_member(g, "type", RANGE_TYPES)?
            .ok_or_else(|| Invalid::Property("range.type is required".into()))?;
        let start_date = date_member(g, "startDate")?
            .ok_or_else(|| Invalid::Property("range.startDate is required".into()))?;
        let end_date = date_member(g, "endDate")?;
        let number = int_member(g, "numberOfOccurrences")?;
        let time_zone = match member(g, "recurrenceTimeZone") {
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(_) => {
                return Err(Invalid::Unreadable(
                    "range.recurrenceTimeZone is not a string".into(),
                ));
            }
        };
        let (end_date, occurrences) = match range {
            RangeType::EndDate => {
                let end = end_date.ok_or_else(|| {
                    Invalid::Property("range.endDate is required for an endDate range".into())
                })?;
                if end < start_date {
                    return Err(Invalid::Property(
                        "range.endDate is before range.startDate".into(),
                    ));
                }
                (Some(end), 0)
            }
            RangeType::NoEnd => (None, 0),
            RangeType::Numbered => match number {
                Some(n) if n > 0 => (None, n as u32),
                _ => {
                    return Err(Invalid::Property(
                        "range.numberOfOccurrences must be more than 0 for a numbered range".into(),
                    ));
                }
            },
        };
        Ok(Some(Recurrence {
            kind,
            interval,
            days_of_week,
            day_of_month,
            month,
            index,
            first_day_of_week,
            range,
            start_date,
            end_date,
            occurrences,
            time_zone,
        }))
    }

    /// The `recurrence` of a series master as a GET returns it: every field, the unused
    /// non-nullable ones filled in (GRAPH-NEXT §2.1), the zone named where none was given.
    pub(crate) fn to_json(&self, event_zone: &str) -> Value {
        json!({
            "pattern": {
                "type": name_of(PATTERN_TYPES, self.kind),
                "interval": self.interval,
                "month": self.month,
                "dayOfMonth": self.day_of_month,
                "daysOfWeek": self.days_of_week.iter().map(|d| name_of(WEEKDAYS, *d)).collect::<Vec<_>>(),
                "firstDayOfWeek": name_of(WEEKDAYS, self.first_day_of_week),
                "index": name_of(WEEK_INDEXES, self.index),
            },
            "range": {
                "type": name_of(RANGE_TYPES, self.range),
                "startDate": self.start_date.format("%Y-%m-%d").to_string(),
                "endDate": self.end_date.map_or_else(|| NO_DATE.to_string(), |d| d.format("%Y-%m-%d").to_string()),
                "recurrenceTimeZone": self.time_zone.as_deref().unwrap_or(event_zone),
                "numberOfOccurrences": self.occurrences,
            },
        })
    }

    /// Every date of the series, earliest first, in its zone; endless for `noEnd` (up to
    /// the year 9999).
    pub(crate) fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let start = self.start_date;
        let end = match self.range {
            RangeType::EndDate => self.end_date,
            _ => None,
        };
        let count = match self.range {
            RangeType::Numbered => self.occurrences as usize,
            _ => usize::MAX,
        };
        (0u32..)
            .map_while(move |k| self.period(k))
            .flatten()
            .filter(move |d| *d >= start)
            .take_while(move |d| end.is_none_or(|e| *d <= e))
            .take(count)
    }

    /// Whether `other` repeats the same way from the same zone, whatever its range.
    pub(crate) fn same_pattern(&self, other: &Recurrence) -> bool {
        self.kind == other.kind
            && self.interval == other.interval
            && self.days_of_week == other.days_of_week
            && self.day_of_month == other.day_of_month
            && self.month == other.month
            && self.index == other.index
            && self.first_day_of_week == other.first_day_of_week
            && self.time_zone == other.time_zone
    }

    /// Whether `date` is one of the series' dates.
    pub(crate) fn has_date(&self, date: NaiveDate) -> bool {
        self.dates().take_while(|d| *d <= date).any(|d| d == date)
    }

    /// The candidate dates of the `k`th period the pattern counts (every `interval` days,
    /// weeks, months or years from the one holding `startDate`), earliest first; None past
    /// the calendar's end.
    fn period(&self, k: u32) -> Option<Vec<NaiveDate>> {
        let step = i64::from(k).checked_mul(i64::from(self.interval))?;
        match self.kind {
            PatternType::Daily => Some(vec![
                self.start_date
                    .checked_add_signed(Duration::try_days(step)?)?,
            ]),
            PatternType::Weekly => {
                let offset = |d: Weekday| {
                    (d.num_days_from_monday() + 7 - self.first_day_of_week.num_days_from_monday())
                        % 7
                };
                let week = self
                    .start_date
                    .checked_sub_signed(Duration::days(i64::from(offset(
                        self.start_date.weekday(),
                    ))))?
                    .checked_add_signed(Duration::try_weeks(step)?)?;
                let mut offsets: Vec<u32> = self.days_of_week.iter().map(|d| offset(*d)).collect();
                offsets.sort_unstable();
                offsets
                    .into_iter()
                    .map(|o| week.checked_add_signed(Duration::days(i64::from(o))))
                    .collect()
            }
            PatternType::AbsoluteMonthly | PatternType::RelativeMonthly => {
                let first =
                    i64::from(self.start_date.year()) * 12 + i64::from(self.start_date.month0());
                let m = first.checked_add(step)?;
                let (year, month) = (
                    i32::try_from(m.div_euclid(12)).ok()?,
                    m.rem_euclid(12) as u32 + 1,
                );
                self.in_month(year, month, self.day_of_month)
                    .map(|d| vec![d])
            }
            PatternType::AbsoluteYearly | PatternType::RelativeYearly => {
                let year =
                    i32::try_from(i64::from(self.start_date.year()).checked_add(step)?).ok()?;
                self.in_month(year, self.month, self.day_of_month)
                    .map(|d| vec![d])
            }
        }
    }

    /// The pattern's day in one month: the day of the month (the last day when the month is
    /// shorter), or the `index`th day that is one of `daysOfWeek`.
    fn in_month(&self, year: i32, month: u32, day_of_month: u32) -> Option<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let last = days_in_month(first)?;
        if matches!(
            self.kind,
            PatternType::AbsoluteMonthly | PatternType::AbsoluteYearly
        ) {
            return NaiveDate::from_ymd_opt(year, month, day_of_month.min(last));
        }
        let matching: Vec<NaiveDate> = (1..=last)
            .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
            .filter(|d| self.days_of_week.contains(&d.weekday()))
            .collect();
        match self.index {
            WeekIndex::First => matching.first().copied(),
            WeekIndex::Second => matching.get(1).copied(),
            WeekIndex::Third => matching.get(2).copied(),
            WeekIndex::Fourth => matching.get(3).copied(),
            WeekIndex::Last => matching.last().copied(),
        }
    }
}

fn days_in_month(first: NaiveDate) -> Option<u32> {
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((next - first).num_days() as u32)
}

/// One occurrence: its date in the series' zone (what names it) and its times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The start and end of the occurrence on `date`: `time` that day in `zone`, lasting
/// `length`.
pub(crate) fn slot(zone: &Zone, date: NaiveDate, time: NaiveTime, length: Duration) -> Slot {
    let start = zone.to_utc(date.and_time(time));
    Slot {
        date,
        start,
        end: start + length,
    }
}

/// The occurrences of `rule` that overlap `[from, to)`, earliest first: each at `time` in
/// `zone` on its date, lasting `length`.
pub(crate) fn expand(
    rule: &Recurrence,
    zone: &Zone,
    time: NaiveTime,
    length: Duration,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    // A date after this one starts after `to` whatever the zone's offset.
    let last = zone.to_local(&to).date() + Duration::days(1);
    rule.dates()
        .take_while(|d| *d <= last)
        .map(|d| slot(zone, d, time, length))
        .filter(|s| s.start < to && s.end > from)
        .collect()
}

/// Whether the body's `recurrence` object names `range` before `pattern`, which the service
/// cannot read (microsoft-graph-docs#11359). The order is gone once the body is parsed into
/// a map, so it is read from the raw body; false when there is no such object or the body is
/// not JSON (refused elsewhere).
pub(crate) fn range_before_pattern(body: &[u8]) -> bool {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    use std::fmt;

    struct Top;
    impl<'de> Visitor<'de> for Top {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut found = false;
            while let Some(k) = map.next_key::<String>()? {
                if k == "recurrence" {
                    found |= map.next_value_seed(Order)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    struct Order;
    impl<'de> DeserializeSeed<'de> for Order {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(OrderVisitor)
        }
    }
    struct OrderVisitor;
    impl<'de> Visitor<'de> for OrderVisitor {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a patternedRecurrence")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let (mut range_seen, mut range_first) = (false, false);
            while let Some(k) = map.next_key::<String>()? {
                match k.as_str() {
                    "range" => range_seen = true,
                    "pattern" if range_seen => range_first = true,
                    _ => {}
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(range_first)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_map(Top).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rule(v: Value) -> Recurrence {
        Recurrence::parse(&v, false).unwrap().unwrap()
    }

    fn first(r: &Recurrence, n: usize) -> Vec<String> {
        r.dates().take(n).map(|d| d.to_string()).collect()
    }

    fn refused(v: Value) -> Invalid {
        Recurrence::parse(&v, false).unwrap_err()
    }

    #[test]
    fn every_two_weeks_on_tuesday_and_thursday_counts_from_the_week_of_the_start() {
        // 2026-09-06 is a Sunday: with weeks from Sunday it opens week 0; with weeks from
        // Monday it closes week 0, so the next fortnight's Tuesday is another one.
        let from_sunday = rule(json!({
            "pattern": {"type": "weekly", "interval": 2, "daysOfWeek": ["thursday", "tuesday"], "firstDayOfWeek": "sunday"},
            "range": {"type": "noEnd", "startDate": "2026-09-06"},
        }));
        assert_eq!(
            first(&from_sunday, 6),
            [
                "2026-09-08",
                "2026-09-10",
                "2026-09-22",
                "2026-09-24",
                "2026-10-06",
                "2026-10-08"
            ]
        );
        let from_monday = rule(json!({
            "pattern": {"type": "weekly", "interval": 2, "daysOfWeek": ["tuesday", "thursday"], "firstDayOfWeek": "monday"},
            "range": {"type": "noEnd", "startDate": "2026-09-06"},
        }));
        // Week 0 (31 Aug – 6 Sep) has no day left on or after the start.
        assert_eq!(
            first(&from_monday, 4),
            ["2026-09-15", "2026-09-17", "2026-09-29", "2026-10-01"]
        );
        // Starting mid-week: Tuesday of week 0 is before the start, Thursday is not.
        let mid = rule(json!({
            "pattern": {"type": "weekly", "interval": 2, "daysOfWeek": ["tuesday", "thursday"], "firstDayOfWeek": "sunday"},
            "range": {"type": "numbered", "startDate": "2026-09-09", "numberOfOccurrences": 3},
        }));
        assert_eq!(first(&mid, 10), ["2026-09-10", "2026-09-22", "2026-09-24"]);
    }

    #[test]
    fn monthly_on_the_last_friday() {
        let r = rule(json!({
            "pattern": {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"], "index": "last"},
            "range": {"type": "endDate", "startDate": "2026-01-01", "endDate": "2026-05-29"},
        }));
        assert_eq!(
            first(&r, 10),
            [
                "2026-01-30",
                "2026-02-27",
                "2026-03-27",
                "2026-04-24",
                "2026-05-29"
            ],
            "the end date is inclusive"
        );
    }

    #[test]
    fn monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() {
        let r = rule(json!({
            "pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
            "range": {"type": "numbered", "startDate": "2027-12-31", "numberOfOccurrences": 7},
        }));
        assert_eq!(
            first(&r, 10),
            [
                "2027-12-31",
                "2028-01-31",
                "2028-02-29",
                "2028-03-31",
                "2028-04-30",
                "2028-05-31",
                "2028-06-30"
            ]
        );
        let yearly = rule(json!({
            "pattern": {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 29, "month": 2},
            "range": {"type": "numbered", "startDate": "2028-02-29", "numberOfOccurrences": 3},
        }));
        assert_eq!(
            first(&yearly, 5),
            ["2028-02-29", "2029-02-28", "2030-02-28"]
        );
    }

    #[test]
    fn the_first_occurrence_is_the_first_fitting_date_on_or_after_the_start() {
        // GRAPH-NEXT §2.1's example: monthly on the first Thursday from 2017-08-29.
        let r = rule(json!({
            "pattern": {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["thursday"]},
            "range": {"type": "noEnd", "startDate": "2017-08-29"},
        }));
        assert_eq!(first(&r, 2), ["2017-09-07", "2017-10-05"]);
        // Several days: the Nth day that is any of them.
        let weekday = rule(json!({
            "pattern": {"type": "relativeMonthly", "interval": 2, "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"], "index": "second"},
            "range": {"type": "noEnd", "startDate": "2026-08-01"},
        }));
        // 1 Aug 2026 is a Saturday: the second weekday is Tuesday the 4th; then October.
        assert_eq!(first(&weekday, 2), ["2026-08-04", "2026-10-02"]);
        let yearly = rule(json!({
            "pattern": {"type": "relativeYearly", "interval": 1, "daysOfWeek": ["monday"], "index": "second", "month": 10},
            "range": {"type": "noEnd", "startDate": "2026-10-13"},
        }));
        // The second Monday of October 2026 (the 12th) is before the start.
        assert_eq!(first(&yearly, 2), ["2027-10-11", "2028-10-09"]);
        let daily = rule(json!({
            "pattern": {"type": "daily", "interval": 3},
            "range": {"type": "endDate", "startDate": "2026-12-30", "endDate": "2027-01-05"},
        }));
        assert_eq!(first(&daily, 9), ["2026-12-30", "2027-01-02", "2027-01-05"]);
        assert!(daily.has_date(day("2027-01-02")));
        assert!(!daily.has_date(day("2027-01-03")));
    }

    #[test]
    fn occurrences_keep_their_wall_clock_time_across_dst() {
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Berlin leaves CET for CEST on 2026-03-29 and returns on 2026-10-25.
        let berlin = Zone::parse("W. Europe Standard Time").unwrap();
        let weekly = rule(json!({
            "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "monday"},
            "range": {"type": "noEnd", "startDate": "2026-03-23"},
        }));
        let at = NaiveTime::from_hms_opt(9, 30, 0).unwrap();
        let slots = expand(
            &weekly,
            &berlin,
            at,
            Duration::minutes(15),
            utc("2026-03-20T00:00:00Z"),
            utc("2026-04-01T00:00:00Z"),
        );
        let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
        assert_eq!(
            starts,
            [utc("2026-03-23T08:30:00Z"), utc("2026-03-30T07:30:00Z")]
        );
        assert_eq!(slots[1].end, utc("2026-03-30T07:45:00Z"));
        let autumn = expand(
            &weekly,
            &berlin,
            at,
            Duration::minutes(15),
            utc("2026-10-19T00:00:00Z"),
            utc("2026-10-27T00:00:00Z"),
        );
        assert_eq!(
            autumn.iter().map(|s| s.start).collect::<Vec<_>>(),
            [utc("2026-10-19T07:30:00Z"), utc("2026-10-26T08:30:00Z")]
        );
        // New York moves on 2026-03-08, three weeks before Berlin.
        let new_york = Zone::parse("America/New_York").unwrap();
        let daily = rule(json!({
            "pattern": {"type": "daily", "interval": 1},
            "range": {"type": "numbered", "startDate": "2026-03-06", "numberOfOccurrences": 4},
        }));
        let ny = expand(
            &daily,
            &new_york,
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            Duration::minutes(30),
            utc("2026-03-01T00:00:00Z"),
            utc("2026-04-01T00:00:00Z"),
        );
        assert_eq!(
            ny.iter().map(|s| s.start).collect::<Vec<_>>(),
            [
                utc("2026-03-06T14:00:00Z"),
                utc("2026-03-07T14:00:00Z"),
                utc("2026-03-08T13:00:00Z"),
                utc("2026-03-09T13:00:00Z"),
            ]
        );
        assert_eq!(ny[2].date, day("2026-03-08"));
        // A series kept in UTC stays put in UTC.
        let in_utc = expand(
            &daily,
            &Zone::utc(),
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            Duration::minutes(30),
            utc("2026-03-01T00:00:00Z"),
            utc("2026-04-01T00:00:00Z"),
        );
        assert!(
            in_utc
                .iter()
                .all(|s| s.start.format("%H:%M").to_string() == "14:00")
        );
    }

    #[test]
    fn a_window_sees_only_its_occurrences() {
        let r = rule(json!({
            "pattern": {"type": "daily", "interval": 1},
            "range": {"type": "noEnd", "startDate": "2026-01-01"},
        }));
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let t = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        let got = expand(
            &r,
            &Zone::utc(),
            t,
            Duration::hours(1),
            utc("2031-01-06T10:30:00Z"),
            utc("2031-01-08T10:00:00Z"),
        );
        // The 6th is under way at the window's start; the 8th starts at its end.
        assert_eq!(
            got.iter().map(|s| s.date).collect::<Vec<_>>(),
            [day("2031-01-06"), day("2031-01-07")]
        );
    }

    #[test]
    fn what_the_service_refuses() {
        let ok_pattern = json!({"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]});
        let ok_range = json!({"type": "noEnd", "startDate": "2026-09-07"});
        let with = |p: Value, r: Value| json!({"pattern": p, "range": r});
        let property = |v: Value| matches!(refused(v), Invalid::Property(_));
        let unreadable = |v: Value| matches!(refused(v), Invalid::Unreadable(_));
        assert!(Recurrence::parse(&with(ok_pattern.clone(), ok_range.clone()), false).is_ok());
        assert_eq!(Recurrence::parse(&Value::Null, false), Ok(None));
        assert!(matches!(
            Recurrence::parse(&with(ok_pattern.clone(), ok_range.clone()), true),
            Err(Invalid::Unreadable(_))
        ));
        assert!(property(json!({"pattern": ok_pattern})));
        assert!(property(json!({"range": ok_range})));
        assert!(property(with(
            json!({"type": "fortnightly", "interval": 1}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "weekly", "daysOfWeek": ["monday"]}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "weekly", "interval": 0, "daysOfWeek": ["monday"]}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "weekly", "interval": 1}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "weekly", "interval": 1, "daysOfWeek": ["funday"]}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "absoluteMonthly", "interval": 1}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 32}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "absoluteYearly", "interval": 1, "dayOfMonth": 1}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "relativeYearly", "interval": 1, "daysOfWeek": ["monday"], "month": 13}),
            ok_range.clone()
        )));
        // Ignored fields are still checked: an index on a daily pattern, a weekly day's
        // firstDayOfWeek.
        assert!(property(with(
            json!({"type": "daily", "interval": 1, "index": "fifth"}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "daily", "interval": 1, "daysOfWeek": ["someday"]}),
            ok_range.clone()
        )));
        assert!(property(with(
            json!({"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "moonday"}),
            ok_range.clone()
        )));
        // What a GET fills in reads back.
        assert!(Recurrence::parse(&with(json!({"type": "daily", "interval": 1, "dayOfMonth": 0, "month": 0, "index": "first", "firstDayOfWeek": "sunday", "daysOfWeek": []}),
            json!({"type": "noEnd", "startDate": "2026-09-07", "endDate": "0001-01-01", "numberOfOccurrences": 0})), false).is_ok());
        assert!(property(with(
            ok_pattern.clone(),
            json!({"type": "endDate", "startDate": "2026-09-07"})
        )));
        assert!(property(with(
            ok_pattern.clone(),
            json!({"type": "endDate", "startDate": "2026-09-07", "endDate": "2026-09-06"})
        )));
        assert!(property(with(
            ok_pattern.clone(),
            json!({"type": "numbered", "startDate": "2026-09-07"})
        )));
        assert!(property(with(
            ok_pattern.clone(),
            json!({"type": "numbered", "startDate": "2026-09-07", "numberOfOccurrences": 0})
        )));
        assert!(property(with(
            ok_pattern.clone(),
            json!({"type": "forever", "startDate": "2026-09-07"})
        )));
        assert!(property(with(ok_pattern.clone(), json!({"type": "noEnd"}))));
        assert!(unreadable(with(
            ok_pattern.clone(),
            json!({"type": "noEnd", "startDate": "07/09/2026"})
        )));
        assert!(unreadable(with(
            ok_pattern.clone(),
            json!({"type": "noEnd", "startDate": "2026-09-07T00:00:00Z"})
        )));
        assert!(unreadable(with(
            json!({"type": "daily", "interval": "1"}),
            ok_range.clone()
        )));
        assert!(unreadable(json!("weekly")));
    }

    #[test]
    fn a_get_shows_every_field() {
        let r = rule(json!({
            "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "wednesday"], "firstDayOfWeek": "monday"},
            "range": {"type": "noEnd", "startDate": "2026-09-07"},
        }));
        assert_eq!(
            r.to_json("W. Europe Standard Time"),
            json!({
                "pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0, "daysOfWeek": ["monday", "wednesday"], "firstDayOfWeek": "monday", "index": "first"},
                "range": {"type": "noEnd", "startDate": "2026-09-07", "endDate": "0001-01-01", "recurrenceTimeZone": "W. Europe Standard Time", "numberOfOccurrences": 0},
            })
        );
    }

    #[test]
    fn the_order_of_pattern_and_range_is_read_from_the_raw_body() {
        assert!(range_before_pattern(
            br#"{"subject":"s","recurrence":{"range":{"type":"noEnd"},"pattern":{"type":"daily"}}}"#
        ));
        assert!(!range_before_pattern(
            br#"{"recurrence":{"pattern":{"type":"daily"},"range":{"type":"noEnd"}},"range":1}"#
        ));
        assert!(!range_before_pattern(br#"{"recurrence":null}"#));
        assert!(!range_before_pattern(br#"{"subject":"no recurrence"}"#));
        assert!(!range_before_pattern(b"not json"));
    }
}
