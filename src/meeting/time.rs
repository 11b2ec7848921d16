//! The times a person types into Start and End, resolved in a time zone.
//!
//! Start: `now`, `+15m`/`+1h30m` (from now), `14:00`/`9:30`/`2pm`/`2:30pm` (today, or
//! tomorrow once that time has passed), `today 9:30`, `tomorrow 9:30`, a weekday
//! (`mon 10:00`, `friday 16:00`: the next such day still ahead), `2026-12-01 14:00`,
//! `2026-12-01T14:00`, and a date and time with an offset (`2026-12-01T14:00+01:00`,
//! `2026-12-01T14:00:00+01:00`, `2026-12-01 14:00 +01:00`, `…Z`).
//! End: all of those, plus a length counted from the start (`30m`, `1h30m`, `+45m`, `2h`,
//! `1.5h`). A day named in End (`today`, `tomorrow`, a weekday) means what it means in
//! Start, counted from today, so the same words name the same day in both fields. A bare
//! end time is on the start's day: one not after the start is refused with the dated form
//! to write instead, rather than silently meaning the next day.
//!
//! Local times that do not exist (skipped by a daylight-saving change) or that exist twice
//! are errors naming the problem, never a silent guess; a repeated time's error offers the
//! two offsets the zone really has then, in a form this parser reads back.

use crate::sanitize::quote;
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Timelike, Weekday,
};
use std::fmt;
use std::ops::RangeInclusive;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    /// Longer than [`MAX_INPUT_CHARS`]: a paste gone wrong, refused before any parsing.
    InputTooLong,
    Unrecognized(String),
    BadTime(String),
    BadDate(String),
    /// A date alone, where a time of day is needed too.
    MissingTime(String),
    /// Skipped by a daylight-saving change in this zone.
    Nonexistent {
        local: NaiveDateTime,
        zone: String,
    },
    /// Occurs twice (clocks went back): the zone's two offsets at that wall time, earlier
    /// instant first, each with its abbreviation when the zone has a real one.
    Ambiguous {
        local: NaiveDateTime,
        choices: [(FixedOffset, Option<String>); 2],
    },
    /// A bare end time not after the start; `next_day` is what to write for the next day.
    EndBeforeStart {
        end: NaiveTime,
        start: NaiveTime,
        next_day: NaiveDateTime,
    },
    EndNotAfterStart,
    /// An end with its own day that falls before the start, both as local wall times.
    EndsBeforeStart {
        end: NaiveDateTime,
        start: NaiveDateTime,
    },
    TooLong,
    NegativeLength,
    /// A length of nothing (`0m`): well formed, but no meeting.
    ZeroLength(String),
    /// A length beyond [`MAX_DURATION`] (`25h`): well formed, but over the limit.
    LengthOverLimit(String),
    BadLength(String),
    YearOutOfRange,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => f.write_str("enter a time, e.g. 14:00, tomorrow 9:30, +15m or now"),
            TimeError::InputTooLong => write!(
                f,
                "longer than {MAX_INPUT_CHARS} characters; type a time such as 14:00"
            ),
            TimeError::Unrecognized(s) => write!(
                f,
                "'{}' is not a time: try 14:00, tomorrow 9:30, mon 10:00, 2026-12-01 14:00, +15m or now",
                quote(s)
            ),
            TimeError::BadTime(s) => write!(
                f,
                "'{}' is not a valid time of day (use 24-hour HH:MM, or 2pm)",
                quote(s)
            ),
            TimeError::BadDate(s) => {
                write!(f, "'{}' is not a valid date (use YYYY-MM-DD)", quote(s))
            }
            TimeError::MissingTime(d) => {
                let d = quote(d);
                write!(f, "{d} needs a time of day too, e.g. {d} 14:00")
            }
            TimeError::Nonexistent { local, zone } => write!(
                f,
                "{} does not exist in {zone} (clocks skip it for daylight saving); pick another time",
                local.format("%Y-%m-%d %H:%M")
            ),
            TimeError::Ambiguous { local, choices } => {
                let written = |(offset, abbrev): &(FixedOffset, Option<String>)| {
                    let t = format!("{}{offset}", local.format("%Y-%m-%dT%H:%M"));
                    match abbrev {
                        Some(a) => format!("{t} ({a})"),
                        None => t,
                    }
                };
                write!(
                    f,
                    "{} happens twice (clocks go back); write {} for the first or {} for the second",
                    local.format("%Y-%m-%d %H:%M"),
                    written(&choices[0]),
                    written(&choices[1])
                )
            }
            TimeError::EndBeforeStart {
                end,
                start,
                next_day,
            } => write!(
                f,
                "{} is before the start ({}); for the next day write {}",
                end.format("%H:%M"),
                start.format("%H:%M"),
                next_day.format("%Y-%m-%d %H:%M")
            ),
            TimeError::EndNotAfterStart => f.write_str("the end must be after the start"),
            TimeError::EndsBeforeStart { end, start } => write!(
                f,
                "the meeting would end ({}) before it starts ({}); check the end",
                end.format("%a %-d %b %H:%M"),
                start.format("%a %-d %b %H:%M")
            ),
            TimeError::TooLong => {
                f.write_str("a meeting can last at most 24 hours here; check the end")
            }
            TimeError::NegativeLength => {
                f.write_str("a length cannot be negative; give one such as 30m or 1h30m")
            }
            TimeError::ZeroLength(s) => write!(
                f,
                "'{}' is a length of zero; a meeting needs one such as 30m or 1h",
                quote(s)
            ),
            TimeError::LengthOverLimit(s) => write!(
                f,
                "'{}' is longer than the {} hours a meeting can last here; give a shorter length",
                quote(s),
                MAX_DURATION.num_hours()
            ),
            TimeError::BadLength(s) => {
                write!(f, "'{}' is not a duration; use 30m, 1h or 1h30m", quote(s))
            }
            TimeError::YearOutOfRange => write!(
                f,
                "the year must be from {} to {}; check the date",
                YEARS.start(),
                YEARS.end()
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// The longest meeting accepted: longer is almost always a typo (a wrong day).
pub const MAX_DURATION: Duration = Duration::hours(24);

/// The longest input read at all. The longest real form (`2026-12-01T14:00:00+01:00`,
/// `wednesday 10:30pm`) is under 30; anything far beyond is a stray paste, and refusing it
/// before parsing keeps every keystroke cheap however much was pasted.
pub const MAX_INPUT_CHARS: usize = 100;

/// The years a meeting may start and end in. Graph reads four-digit ISO-8601 years
/// (.NET's DateTimeOffset ends at 9999): 9998 leaves room for a 24-hour meeting and any
/// offset, where chrono would otherwise write `+10000-…`. Before 1900 zone data is local
/// mean time, whose offsets have seconds that RFC 3339 cannot write.
pub const YEARS: RangeInclusive<i32> = 1900..=9998;

/// How far in the past a start may be and still count as "now": `today 10:00` typed at
/// 10:03 is a meeting that is running, not a mistake.
pub const PAST_GRACE: Duration = Duration::minutes(5);

/// The next half hour strictly after `now`, with seconds cleared: the default start.
pub fn next_half_hour<Tz: TimeZone>(now: &DateTime<Tz>) -> DateTime<Tz> {
    let naive = now.naive_local();
    let minutes_past = i64::from(naive.minute() % 30);
    let base = naive
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .expect("0 is valid");
    let candidate = base + Duration::minutes(30 - minutes_past);
    // Local arithmetic can land in a DST gap; add in absolute time instead.
    resolve(&now.timezone(), candidate)
        .unwrap_or_else(|_| now.clone() + Duration::minutes(30 - minutes_past))
}

/// Whether a start lies in the past (beyond [`PAST_GRACE`]): `create` refuses it unless
/// asked, the form warns.
pub fn is_past<Tz: TimeZone>(start: &DateTime<Tz>, now: &DateTime<Tz>) -> bool {
    *start < now.clone() - PAST_GRACE
}

pub fn parse_start<Tz: TimeZone>(
    input: &str,
    now: &DateTime<Tz>,
) -> Result<DateTime<Tz>, TimeError> {
    let s = normalize(input)?;
    let start = if s == "now" {
        now.clone()
    } else if let Some(rest) = s.strip_prefix('+') {
        let d = parse_duration(rest).ok_or_else(|| TimeError::Unrecognized(input.trim().into()))?;
        now.clone() + d
    } else {
        parse_point(&s, input, now, now, Rollover::Tomorrow)?
    };
    check_year(&start)?;
    Ok(start)
}

pub fn parse_end<Tz: TimeZone>(
    input: &str,
    start: &DateTime<Tz>,
    now: &DateTime<Tz>,
) -> Result<DateTime<Tz>, TimeError> {
    let s = normalize(input)?;
    if let Some(negative) = s.strip_prefix('-')
        && !matches!(scan_length(negative), Length::Other)
    {
        return Err(TimeError::NegativeLength);
    }
    let end = match scan_length(s.strip_prefix('+').unwrap_or(&s)) {
        Length::Valid(d) => start.clone() + d,
        Length::Zero => return Err(TimeError::ZeroLength(input.trim().into())),
        Length::OverLimit => return Err(TimeError::LengthOverLimit(input.trim().into())),
        Length::Other if s == "now" => now.clone(),
        Length::Other => parse_point(&s, input, now, start, Rollover::Refuse)?,
    };
    check_range(start, &end)?;
    Ok(end)
}

/// A length given on its own (`create --duration`): the forms of [`parse_duration`], with
/// an optional `+`.
pub fn parse_length(input: &str) -> Result<Duration, TimeError> {
    let s = normalize(input)?;
    if let Some(negative) = s.strip_prefix('-')
        && !matches!(scan_length(negative), Length::Other)
    {
        return Err(TimeError::NegativeLength);
    }
    match scan_length(s.strip_prefix('+').unwrap_or(&s)) {
        Length::Valid(d) => Ok(d),
        Length::Zero => Err(TimeError::ZeroLength(input.trim().into())),
        Length::OverLimit => Err(TimeError::LengthOverLimit(input.trim().into())),
        Length::Other => Err(TimeError::BadLength(input.trim().into())),
    }
}

pub fn check_range<Tz: TimeZone>(
    start: &DateTime<Tz>,
    end: &DateTime<Tz>,
) -> Result<(), TimeError> {
    check_year(start)?;
    check_year(end)?;
    if end < start {
        return Err(TimeError::EndsBeforeStart {
            end: end.naive_local(),
            start: start.naive_local(),
        });
    }
    if end == start {
        return Err(TimeError::EndNotAfterStart);
    }
    if end.clone() - start.clone() > MAX_DURATION {
        return Err(TimeError::TooLong);
    }
    Ok(())
}

fn check_year<Tz: TimeZone>(t: &DateTime<Tz>) -> Result<(), TimeError> {
    if YEARS.contains(&t.naive_local().year()) {
        Ok(())
    } else {
        Err(TimeError::YearOutOfRange)
    }
}

/// "Tue 1 Dec 14:00–14:30 CET, 30 min"; the end's date is shown when it differs.
pub fn describe_range<Tz: TimeZone>(start: &DateTime<Tz>, end: &DateTime<Tz>) -> String
where
    Tz::Offset: fmt::Display,
{
    let same_day = start.date_naive() == end.date_naive();
    let end_fmt = if same_day {
        "%H:%M %Z"
    } else {
        "%a %-d %b %H:%M %Z"
    };
    format!(
        "{}–{}, {}",
        start.format("%a %-d %b %H:%M"),
        end.format(end_fmt),
        describe_duration(end.clone() - start.clone())
    )
}

/// "30 min", "1 h", "1 h 30 min".
pub fn describe_duration(d: Duration) -> String {
    let total = d.num_minutes().max(0);
    match (total / 60, total % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// `30m`, `90min`, `2h`, `1h30m`, `1.5h` (plain digits only: no sign, exponent or `inf`).
/// Days are not accepted (see MAX_DURATION).
pub fn parse_duration(s: &str) -> Option<Duration> {
    match scan_length(s) {
        Length::Valid(d) => Some(d),
        _ => None,
    }
}

/// What a length-shaped input is. A well-formed length of zero or beyond the limit is told
/// apart from text that is no length at all, so the message names the real problem.
enum Length {
    Valid(Duration),
    Zero,
    OverLimit,
    /// Not a length at all (another form, or nothing readable).
    Other,
}

fn scan_length(s: &str) -> Length {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_INPUT_CHARS {
        return Length::Other;
    }
    let judged = |minutes: i64| match minutes {
        0 => Length::Zero,
        m if Duration::minutes(m) > MAX_DURATION => Length::OverLimit,
        m => Length::Valid(Duration::minutes(m)),
    };
    if let Some(n) = s.strip_suffix('h')
        && let Some((whole, frac)) = n.split_once('.')
    {
        // f64::from_str would also take `1e1`, `inf` and `+1`: accept digits.digits only.
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(frac) {
            return Length::Other;
        }
        return match n.parse::<f64>() {
            Ok(h) if h > 24.0 => Length::OverLimit,
            Ok(h) => judged((h * 60.0).round() as i64),
            Err(_) => Length::Other,
        };
    }
    let mut total = 0i64;
    let mut num = String::new();
    let mut saw_unit = false;
    let mut over = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let mut unit = String::from(c);
        while let Some(&c2) = chars.peek() {
            if c2.is_ascii_alphabetic() {
                unit.push(c2);
                chars.next();
            } else {
                break;
            }
        }
        // Digits too many for an i64 are still a length, just an absurd one.
        let n: Option<i64> = num.parse().ok();
        if num.is_empty() {
            return Length::Other;
        }
        num.clear();
        let minutes = match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => n.and_then(|n| n.checked_mul(60)),
            "m" | "min" | "mins" | "minute" | "minutes" => n,
            _ => return Length::Other,
        };
        saw_unit = true;
        match minutes.and_then(|m| total.checked_add(m)) {
            Some(t) if t <= 24 * 60 => total = t,
            _ => over = true,
        }
    }
    if !num.is_empty() || !saw_unit {
        return Length::Other;
    }
    if over {
        return Length::OverLimit;
    }
    judged(total)
}

#[derive(Clone, Copy)]
enum Rollover {
    /// A bare time already past today means tomorrow (start).
    Tomorrow,
    /// A bare time not after the anchor is refused (end before start): a silent next day
    /// turned `--start 14:00 --end 13:00` into a 23-hour meeting.
    Refuse,
}

/// Trimmed, lower-cased, single-spaced; refuses empty and absurdly long input first, so
/// nothing after this ever walks more than [`MAX_INPUT_CHARS`] characters.
fn normalize(input: &str) -> Result<String, TimeError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(TimeError::Empty);
    }
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(TimeError::InputTooLong);
    }
    Ok(input
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

/// A date and time with an explicit offset: RFC 3339, and the shorter forms the
/// repeated-time hint suggests (no seconds, a space before the offset).
fn parse_with_offset(s: &str) -> Option<DateTime<FixedOffset>> {
    let upper = s.to_uppercase();
    let upper = match upper.strip_suffix('Z') {
        Some(rest) => format!("{}+00:00", rest.trim_end()),
        None => upper,
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(&upper) {
        return Some(t);
    }
    // In a chrono format a space matches any run of whitespace, including none.
    [
        "%Y-%m-%dT%H:%M %:z",
        "%Y-%m-%dT%H:%M:%S %:z",
        "%Y-%m-%d %H:%M %:z",
        "%Y-%m-%d %H:%M:%S %:z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(&upper, f).ok())
}

/// A point in time. Named days (`today`, `tomorrow`, a weekday) count from `now`, the same
/// in Start and End; a bare time of day is on `anchor`'s day (now for a start, the start
/// for an end) and `rollover` says what happens when it is not after the anchor.
fn parse_point<Tz: TimeZone>(
    s: &str,
    raw: &str,
    now: &DateTime<Tz>,
    anchor: &DateTime<Tz>,
    rollover: Rollover,
) -> Result<DateTime<Tz>, TimeError> {
    let tz = anchor.timezone();
    // An explicit offset pins the instant; no zone lookup can be ambiguous.
    if let Some(t) = parse_with_offset(s) {
        return Ok(t.with_timezone(&tz));
    }
    let today = now.date_naive();
    let iso_t = s.len() > 11 && s.as_bytes()[10] == b't' && s[..10].contains('-');
    let split = if iso_t {
        Some((&s[..10], &s[11..]))
    } else {
        s.split_once(' ')
    };
    let (date_part, time_part) = match split {
        Some((d, t)) if !t.is_empty() => (Some(d), t),
        _ => (None, s),
    };
    let date = match date_part {
        None => None,
        Some("today") => Some(today),
        Some("tomorrow") | Some("tmrw") => Some(today + Duration::days(1)),
        Some(d) if d.contains('-') => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| TimeError::BadDate(d.into()))?,
        ),
        Some(d) => match parse_weekday(d) {
            Some(wd) => Some(next_weekday(today, wd)),
            None => return Err(TimeError::Unrecognized(raw.trim().into())),
        },
    };
    if date.is_none() && s.contains('-') {
        return Err(if NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() {
            TimeError::MissingTime(s.into())
        } else {
            TimeError::Unrecognized(raw.trim().into())
        });
    }
    let time = parse_time_of_day(time_part).ok_or_else(|| {
        if time_part.chars().any(|c| c.is_ascii_digit()) {
            TimeError::BadTime(time_part.into())
        } else {
            TimeError::Unrecognized(raw.trim().into())
        }
    })?;
    let is_weekday = date_part.is_some_and(|d| parse_weekday(d).is_some());
    let mut day = date.unwrap_or_else(|| anchor.date_naive());
    if !YEARS.contains(&day.year()) {
        return Err(TimeError::YearOutOfRange);
    }
    let mut result = resolve(&tz, day.and_time(time))?;
    if is_weekday {
        // A weekday names the next such day still ahead of now, whichever field it is in.
        if result < *now {
            day += Duration::days(7);
            result = resolve(&tz, day.and_time(time))?;
        }
    } else if date.is_none() {
        // A bare start time rolls to the next day; a bare end time must come after the start.
        match rollover {
            Rollover::Tomorrow if result < *anchor => {
                day += Duration::days(1);
                result = resolve(&tz, day.and_time(time))?;
            }
            Rollover::Refuse if result < *anchor => {
                return Err(TimeError::EndBeforeStart {
                    end: time,
                    start: anchor.naive_local().time(),
                    next_day: (day + Duration::days(1)).and_time(time),
                });
            }
            _ => {}
        }
    }
    Ok(result)
}

fn parse_time_of_day(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (body, pm) = if let Some(b) = s.strip_suffix("pm") {
        (b.trim(), Some(true))
    } else if let Some(b) = s.strip_suffix("am") {
        (b.trim(), Some(false))
    } else {
        (s, None)
    };
    let (h, m) = match body.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if pm.is_some() && !body.is_empty() && body.len() <= 2 => {
            (body.parse::<u32>().ok()?, 0)
        }
        _ => return None,
    };
    if h > 23 || m > 59 || body.starts_with(['+', '-']) {
        return None;
    }
    let h = match pm {
        None => h,
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) => h % 12 + 12,
        Some(false) => h % 12,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    if s.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .find(|(name, _)| name.starts_with(s))
        .map(|&(_, wd)| wd)
}

fn next_weekday(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// Local wall time to an instant, refusing DST gaps and overlaps.
pub fn resolve<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Result<DateTime<Tz>, TimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::None => Err(TimeError::Nonexistent {
            local,
            zone: zone_name(tz, local),
        }),
        LocalResult::Ambiguous(a, b) => {
            let (first, second) = if a <= b { (a, b) } else { (b, a) };
            let choice = |t: &DateTime<Tz>| (t.offset().fix(), abbreviation(t.offset()));
            Err(TimeError::Ambiguous {
                local,
                choices: [choice(&first), choice(&second)],
            })
        }
    }
}

/// "CEST" for a zone that has such a name; None where the abbreviation is only the offset
/// again (Lord Howe's "+1030") or the offset has no name at all.
fn abbreviation<O: fmt::Debug>(offset: &O) -> Option<String> {
    let name = format!("{offset:?}");
    let name = name.split_whitespace().next()?;
    (name.chars().all(|c| c.is_ascii_alphabetic())).then(|| name.to_string())
}

fn zone_name<Tz: TimeZone>(tz: &Tz, near: NaiveDateTime) -> String {
    // The offset a little earlier names the zone well enough for a message.
    match tz.from_local_datetime(&(near - Duration::hours(3))) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => format!("{:?}", t.offset())
            .split_whitespace()
            .next()
            .unwrap_or("the local time zone")
            .to_string(),
        LocalResult::None => "the local time zone".into(),
    }
}

/// The first instant of `day` in `zone`, as UTC: midnight, or the first time after it
/// where a change of clocks skips midnight.
pub fn start_of_day<Tz: TimeZone>(zone: &Tz, day: chrono::NaiveDate) -> DateTime<chrono::Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    resolve(zone, midnight)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| midnight.and_utc())
}

/// The system time zone: `TZ` if it names an IANA zone, else what the OS reports, else UTC.
pub fn local_zone() -> chrono_tz::Tz {
    zone_choice().zone
}

/// The zone every time is read and shown in, and where `TZ` was set to something that
/// names no zone, what it said: times then silently moving to another zone would be wrong
/// by hours without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneChoice {
    pub zone: chrono_tz::Tz,
    /// `TZ`'s value when it was set, not empty, and not a zone this build knows.
    pub unread_tz: Option<String>,
    pub source: ZoneSource,
}

/// Where the zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    Tz,
    System,
    /// Neither named one this build knows: the last resort.
    Utc,
}

impl ZoneChoice {
    /// "TZ=Nowhere/Zone is not a time zone tmeet knows; times are in UTC (…)", or None.
    pub fn warning(&self) -> Option<String> {
        let tz = self.unread_tz.as_ref()?;
        let used = match self.source {
            ZoneSource::System => format!("{}, the system's zone", self.zone.name()),
            _ => "UTC".to_string(),
        };
        Some(format!(
            "TZ={} is not a time zone tmeet knows; times are in {used} (set TZ to an IANA \
             name such as Europe/Berlin)",
            quote(tz)
        ))
    }
}

/// [`ZoneChoice`] of this process: `TZ`, then the system's zone, then UTC.
pub fn zone_choice() -> ZoneChoice {
    choose_zone(
        std::env::var("TZ").ok().as_deref(),
        iana_time_zone::get_timezone().ok().as_deref(),
    )
}

/// The choice from `TZ`'s value and the system's zone name, for tests. `TZ` may have the
/// POSIX leading `:` and be a path into the zone database (`:/usr/share/zoneinfo/X/Y`);
/// `:/etc/localtime` (or any path outside it) means the system's zone, as does an empty
/// `TZ`.
pub fn choose_zone(tz: Option<&str>, system: Option<&str>) -> ZoneChoice {
    let system: Option<chrono_tz::Tz> = system.and_then(|n| n.parse().ok());
    let fallback = |unread_tz: Option<String>| ZoneChoice {
        zone: system.unwrap_or(chrono_tz::UTC),
        unread_tz,
        source: match system {
            Some(_) => ZoneSource::System,
            None => ZoneSource::Utc,
        },
    };
    let Some(raw) = tz.map(str::trim).filter(|v| !v.is_empty()) else {
        return fallback(None);
    };
    let name = raw.trim_start_matches(':');
    let name = match name.split_once("zoneinfo/") {
        Some((_, zone)) => zone,
        None if name.starts_with('/') => return fallback(None),
        None => name,
    };
    match name.parse() {
        Ok(zone) => ZoneChoice {
            zone,
            unread_tz: None,
            source: ZoneSource::Tz,
        },
        Err(_) => fallback(Some(raw.to_string())),
    }
}

/// Says on stderr, once per process, that `TZ` names no zone and which one is used.
pub fn warn_if_tz_unread() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Some(w) = zone_choice().warning() {
            use std::io::Write;
            let _ = writeln!(std::io::stderr().lock(), "tmeet: warning: {w}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;
    use chrono_tz::Tz;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
        Berlin.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    // 2026-11-27 is a Friday.
    fn now() -> DateTime<Tz> {
        at(2026, 11, 27, 10, 7)
    }

    #[test]
    fn start_forms() {
        let n = now();
        assert_eq!(parse_start("now", &n).unwrap(), n);
        assert_eq!(parse_start("+15m", &n).unwrap(), at(2026, 11, 27, 10, 22));
        assert_eq!(parse_start("+1h30m", &n).unwrap(), at(2026, 11, 27, 11, 37));
        assert_eq!(parse_start("14:00", &n).unwrap(), at(2026, 11, 27, 14, 0));
        assert_eq!(
            parse_start("9:30", &n).unwrap(),
            at(2026, 11, 28, 9, 30),
            "past today rolls"
        );
        assert_eq!(parse_start("2pm", &n).unwrap(), at(2026, 11, 27, 14, 0));
        assert_eq!(parse_start("12am", &n).unwrap(), at(2026, 11, 28, 0, 0));
        assert_eq!(
            parse_start("tomorrow 9:30", &n).unwrap(),
            at(2026, 11, 28, 9, 30)
        );
        assert_eq!(
            parse_start("Today 9:30", &n).unwrap(),
            at(2026, 11, 27, 9, 30),
            "explicit today stays"
        );
        assert_eq!(
            parse_start("mon 10:00", &n).unwrap(),
            at(2026, 11, 30, 10, 0)
        );
        assert_eq!(
            parse_start("friday 9:00", &n).unwrap(),
            at(2026, 12, 4, 9, 0)
        );
        assert_eq!(
            parse_start("friday 16:00", &n).unwrap(),
            at(2026, 11, 27, 16, 0)
        );
        assert_eq!(
            parse_start("2026-12-01 14:00", &n).unwrap(),
            at(2026, 12, 1, 14, 0)
        );
        assert_eq!(
            parse_start("2026-12-01T14:00", &n).unwrap(),
            at(2026, 12, 1, 14, 0)
        );
        assert_eq!(
            parse_start("2026-12-01T14:00:00+00:00", &n).unwrap(),
            at(2026, 12, 1, 15, 0)
        );
    }

    #[test]
    fn start_errors() {
        let n = now();
        assert_eq!(parse_start("  ", &n), Err(TimeError::Empty));
        assert!(matches!(
            parse_start("soon", &n),
            Err(TimeError::Unrecognized(_))
        ));
        assert!(matches!(
            parse_start("25:00", &n),
            Err(TimeError::BadTime(_))
        ));
        assert!(matches!(
            parse_start("2026-13-01 10:00", &n),
            Err(TimeError::BadDate(_))
        ));
        assert_eq!(
            parse_start("2026-12-01", &n).unwrap_err().to_string(),
            "2026-12-01 needs a time of day too, e.g. 2026-12-01 14:00"
        );
        assert!(matches!(
            parse_start("+0m", &n),
            Err(TimeError::Unrecognized(_))
        ));
        assert!(matches!(
            parse_start("13pm", &n),
            Err(TimeError::BadTime(_))
        ));
    }

    #[test]
    fn end_forms() {
        let n = now();
        let s = at(2026, 11, 27, 14, 0);
        assert_eq!(parse_end("30m", &s, &n).unwrap(), at(2026, 11, 27, 14, 30));
        assert_eq!(
            parse_end("1h30m", &s, &n).unwrap(),
            at(2026, 11, 27, 15, 30)
        );
        assert_eq!(parse_end("+45m", &s, &n).unwrap(), at(2026, 11, 27, 14, 45));
        assert_eq!(parse_end("1.5h", &s, &n).unwrap(), at(2026, 11, 27, 15, 30));
        assert_eq!(parse_end("15:00", &s, &n).unwrap(), at(2026, 11, 27, 15, 0));
        let late = at(2026, 11, 27, 23, 30);
        assert_eq!(
            parse_end("tomorrow 0:30", &late, &n).unwrap(),
            at(2026, 11, 28, 0, 30),
            "past midnight with a date"
        );
        assert_eq!(parse_end("1h", &late, &n).unwrap(), at(2026, 11, 28, 0, 30));
        assert!(matches!(
            parse_end("2026-11-27 13:00", &s, &n),
            Err(TimeError::EndsBeforeStart { .. })
        ));
        assert_eq!(
            parse_end("2026-11-27 14:00", &s, &n),
            Err(TimeError::EndNotAfterStart)
        );
        assert_eq!(
            parse_end("2026-11-29 13:00", &s, &n),
            Err(TimeError::TooLong)
        );
        assert!(parse_end("0m", &s, &n).is_err());
    }

    #[test]
    fn dst_gap_and_overlap_are_reported() {
        let n = at(2026, 3, 20, 10, 0);
        // Europe/Berlin skips 02:00-03:00 on 2026-03-29 and repeats 02:00-03:00 on 2026-10-25.
        let gap = parse_start("2026-03-29 02:30", &n).unwrap_err();
        assert!(matches!(gap, TimeError::Nonexistent { .. }), "{gap:?}");
        assert!(gap.to_string().contains("does not exist"));
        let overlap = parse_start("2026-10-25 02:30", &n).unwrap_err();
        assert!(
            matches!(overlap, TimeError::Ambiguous { .. }),
            "{overlap:?}"
        );
        // Durations across the change are absolute: 1 h after 01:30 CET is 03:30 CEST.
        let s = parse_start("2026-03-29 01:30", &n).unwrap();
        assert_eq!(parse_end("1h", &s, &n).unwrap(), at(2026, 3, 29, 3, 30));
    }

    #[test]
    fn defaults_and_descriptions() {
        assert_eq!(next_half_hour(&now()), at(2026, 11, 27, 10, 30));
        assert_eq!(
            next_half_hour(&at(2026, 11, 27, 10, 30)),
            at(2026, 11, 27, 11, 0)
        );
        let s = at(2026, 12, 1, 14, 0);
        let e = at(2026, 12, 1, 14, 30);
        assert_eq!(describe_range(&s, &e), "Tue 1 Dec 14:00–14:30 CET, 30 min");
        assert_eq!(describe_duration(Duration::minutes(90)), "1 h 30 min");
        assert_eq!(describe_duration(Duration::minutes(120)), "2 h");
    }

    /// The hint for a repeated local time names the zone's two real offsets at that
    /// instant, and each suggested string parses back to the instant it stands for, with
    /// and without seconds.
    fn assert_overlap_hint(tz: Tz, local: &str, now: DateTime<Tz>, offsets: [&str; 2]) {
        let err = parse_start(local, &now).unwrap_err();
        let TimeError::Ambiguous { .. } = err else {
            panic!("{local} in {tz}: {err:?}")
        };
        let text = err.to_string();
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        let LocalResult::Ambiguous(first, second) = tz.from_local_datetime(&naive) else {
            panic!("{local} is not repeated in {tz}")
        };
        for (offset, instant) in offsets.iter().zip([first, second]) {
            let suggested = format!("{}{offset}", naive.format("%Y-%m-%dT%H:%M"));
            assert!(text.contains(&suggested), "{tz}: {suggested} not in {text}");
            assert_eq!(parse_start(&suggested, &now), Ok(instant), "{suggested}");
            let with_seconds = format!("{}{offset}", naive.format("%Y-%m-%dT%H:%M:%S"));
            assert_eq!(
                parse_start(&with_seconds, &now),
                Ok(instant),
                "{with_seconds}"
            );
            let spaced = format!("{} {offset}", naive.format("%Y-%m-%d %H:%M"));
            assert_eq!(parse_start(&spaced, &now), Ok(instant), "{spaced}");
        }
    }

    #[test]
    fn overlap_hints_name_the_real_offsets_in_three_zones() {
        use chrono_tz::America::New_York;
        use chrono_tz::Australia::Lord_Howe;
        let berlin_now = Berlin.with_ymd_and_hms(2027, 10, 1, 9, 0, 0).unwrap();
        assert_overlap_hint(Berlin, "2027-10-31 02:30", berlin_now, ["+02:00", "+01:00"]);
        let ny_now = New_York.with_ymd_and_hms(2027, 10, 1, 9, 0, 0).unwrap();
        assert_overlap_hint(New_York, "2027-11-07 01:30", ny_now, ["-04:00", "-05:00"]);
        // Lord Howe Island moves its clocks by half an hour.
        let lh_now = Lord_Howe.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
        assert_overlap_hint(Lord_Howe, "2027-04-04 01:45", lh_now, ["+11:00", "+10:30"]);
    }

    #[test]
    fn a_bare_end_before_the_start_is_refused_unless_a_date_says_otherwise() {
        let n = now();
        let s = at(2026, 11, 27, 14, 0);
        let err = parse_end("13:00", &s, &n).unwrap_err();
        assert!(err.to_string().contains("2026-11-28 13:00"), "{err}");
        assert!(
            parse_end("14:00", &s, &n).is_err(),
            "same time is no meeting"
        );
        let late = at(2026, 12, 1, 23, 0);
        assert!(parse_end("01:00", &late, &n).is_err());
        assert_eq!(
            parse_end("2026-12-02 01:00", &late, &n).unwrap(),
            at(2026, 12, 2, 1, 0)
        );
        let tonight = at(2026, 11, 27, 23, 0);
        assert_eq!(
            parse_end("tomorrow 01:00", &tonight, &n).unwrap(),
            at(2026, 11, 28, 1, 0)
        );
    }

    /// Each way of naming a day reads the same in End as in Start: from today, never from
    /// the start's day.
    #[test]
    fn a_named_day_in_end_means_what_it_means_in_start() {
        let n = now(); // Friday 27 Nov 2026, 10:07
        let cases: [(&str, &str, DateTime<Tz>); 8] = [
            ("today 14:00", "today 15:00", at(2026, 11, 27, 15, 0)),
            ("tomorrow 10:00", "tomorrow 11:00", at(2026, 11, 28, 11, 0)),
            ("tomorrow 23:00", "tmrw 23:30", at(2026, 11, 28, 23, 30)),
            ("Tomorrow 9:00", "TOMORROW 9:45am", at(2026, 11, 28, 9, 45)),
            ("mon 10:00", "mon 11:00", at(2026, 11, 30, 11, 0)),
            ("monday 10:00", "Monday 2pm", at(2026, 11, 30, 14, 0)),
            ("sat 10:00", "saturday 10:30", at(2026, 11, 28, 10, 30)),
            // Friday 9:00 has passed today: both mean next Friday.
            ("friday 9:00", "fri 9:30", at(2026, 12, 4, 9, 30)),
        ];
        for (start, end, want) in cases {
            let s = parse_start(start, &n).unwrap();
            let e = parse_end(end, &s, &n).unwrap_or_else(|e| panic!("{start} → {end}: {e}"));
            assert_eq!(e, want, "{start} → {end}");
            assert_eq!(e, parse_start(end, &n).unwrap(), "{end} reads as in Start");
        }
        // The same named day before the start is refused as ending before it starts, not
        // pushed a day or a week on.
        for (start, end) in [
            ("tomorrow 10:00", "tomorrow 09:00"),
            ("today 14:00", "today 13:00"),
            ("mon 10:00", "mon 09:00"),
            ("tomorrow 10:00", "today 11:00"),
            ("mon 10:00", "sun 11:00"),
        ] {
            let s = parse_start(start, &n).unwrap();
            let err = parse_end(end, &s, &n).unwrap_err();
            assert!(
                matches!(err, TimeError::EndsBeforeStart { .. }),
                "{start} → {end}: {err:?}"
            );
            assert!(err.to_string().contains("before it starts"), "{err}");
        }
        let s = parse_start("tomorrow 10:00", &n).unwrap();
        assert_eq!(
            parse_end("tomorrow 09:00", &s, &n).unwrap_err().to_string(),
            "the meeting would end (Sat 28 Nov 09:00) before it starts (Sat 28 Nov 10:00); \
             check the end"
        );
    }

    #[test]
    fn lengths_say_what_is_wrong_with_them() {
        let n = now();
        let s = at(2026, 11, 27, 14, 0);
        for zero in ["0m", "0h", "+0m", "0h0m", "0.0h"] {
            let err = parse_end(zero, &s, &n).unwrap_err();
            assert_eq!(err, TimeError::ZeroLength(zero.into()), "{zero}");
            assert!(err.to_string().contains("length of zero"), "{err}");
            assert_eq!(parse_length(zero), Err(TimeError::ZeroLength(zero.into())));
        }
        for long in ["25h", "24h1m", "1441m", "24.5h", "99999999999999999999h"] {
            let err = parse_length(long).unwrap_err();
            assert_eq!(err, TimeError::LengthOverLimit(long.into()), "{long}");
            assert!(
                err.to_string().contains("longer than the 24 hours"),
                "{err}"
            );
            assert_eq!(
                parse_end(long, &s, &n),
                Err(TimeError::LengthOverLimit(long.into()))
            );
        }
        assert_eq!(parse_length("24h"), Ok(Duration::hours(24)));
        assert!(matches!(parse_length("soon"), Err(TimeError::BadLength(_))));
        assert_eq!(parse_length("-25h"), Err(TimeError::NegativeLength));
    }

    #[test]
    fn a_tz_that_names_no_zone_is_said_with_the_zone_used() {
        let berlin = Some("Europe/Berlin");
        let c = choose_zone(Some("Nowhere/Zone"), None);
        assert_eq!(c.zone, chrono_tz::UTC);
        assert_eq!(
            c.warning().unwrap(),
            "TZ=Nowhere/Zone is not a time zone tmeet knows; times are in UTC (set TZ to an \
             IANA name such as Europe/Berlin)"
        );
        let c = choose_zone(Some("Nowhere/Zone"), Some("Europe/Paris"));
        assert_eq!(c.zone, chrono_tz::Europe::Paris);
        assert!(
            c.warning()
                .unwrap()
                .contains("times are in Europe/Paris, the system's zone"),
            "{c:?}"
        );
        for fine in [
            "Asia/Tokyo",
            ":Asia/Tokyo",
            ":/usr/share/zoneinfo/Asia/Tokyo",
            "/usr/share/zoneinfo/Asia/Tokyo",
        ] {
            let c = choose_zone(Some(fine), berlin);
            assert_eq!(
                (c.zone, c.warning()),
                (chrono_tz::Asia::Tokyo, None),
                "{fine}"
            );
        }
        for system in [None, Some(""), Some("  "), Some(":/etc/localtime")] {
            let c = choose_zone(system, berlin);
            assert_eq!((c.zone, c.warning()), (Berlin, None), "{system:?}");
        }
    }

    #[test]
    fn durations_are_only_the_documented_forms() {
        for good in ["30m", "90m", "2h", "1h30m", "1.5h", "45min"] {
            assert!(parse_duration(good).is_some(), "{good}");
        }
        for bad in [
            "1e1h", "1E1h", "infh", "nanh", ".5h", "1.h", "-1h", "+1h", "0x1h", "1h1",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_negative_length_says_so() {
        let n = now();
        let s = at(2026, 11, 27, 14, 0);
        let err = parse_end("-30m", &s, &n).unwrap_err();
        assert_eq!(err, TimeError::NegativeLength);
        assert!(err.to_string().contains("cannot be negative"), "{err}");
    }

    #[test]
    fn years_the_service_cannot_take_are_refused() {
        let n = now();
        for input in ["9999-12-31 23:00", "1899-12-31 10:00", "0001-01-01 10:00"] {
            let err = parse_start(input, &n).unwrap_err();
            assert_eq!(err, TimeError::YearOutOfRange, "{input}");
        }
        let last = parse_start("9998-12-31 23:00", &n).unwrap();
        let err = parse_end("2h", &last, &n).unwrap_err();
        assert_eq!(err, TimeError::YearOutOfRange, "the end crosses into 9999");
    }

    #[test]
    fn past_starts_are_flagged_with_a_little_grace() {
        let n = now();
        assert!(is_past(&at(2020, 1, 1, 10, 0), &n));
        assert!(is_past(&at(2026, 11, 27, 10, 0), &n));
        assert!(
            !is_past(&at(2026, 11, 27, 10, 5), &n),
            "two minutes ago: running"
        );
        assert!(!is_past(&n, &n));
    }

    #[test]
    fn huge_input_is_refused_with_a_short_message() {
        let n = now();
        let s = at(2026, 11, 27, 14, 0);
        let huge = "2026-12-01 14:00 ".repeat(1200);
        for err in [
            parse_start(&huge, &n).unwrap_err(),
            parse_end(&huge, &s, &n).unwrap_err(),
            parse_start(&"x".repeat(20_000), &n).unwrap_err(),
        ] {
            assert!(err.to_string().chars().count() <= 80, "{err}");
        }
        // The quote is cut by display width: twelve wide characters fill 24 columns.
        let wide = "会".repeat(60);
        let err = parse_start(&wide, &n).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("'{}…' ", "会".repeat(12))),
            "{err}"
        );
    }

    #[test]
    fn errors_quote_a_short_prefix_of_what_was_typed() {
        let n = now();
        let err = parse_start("someday soon, after lunch, maybe", &n).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("'someday soon, after lunc…' is not a time"),
            "{text}"
        );
    }
}
