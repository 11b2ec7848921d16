//! The times a person types into Start and End, resolved in a time zone.
//!
//! Start: `now`, `+15m`/`+1h30m` (from now), `14:00`/`9:30`/`2pm`/`2:30pm` (today, or
//! tomorrow once that time has passed), `today 9:30`, `tomorrow 9:30`, a weekday
//! (`mon 10:00`, `friday 16:00`: the next such day still ahead), `2026-12-01 14:00`,
//! `2026-12-01T14:00`, and RFC 3339 with an offset (`2026-12-01T14:00:00+01:00`).
//! End: all of those, plus a duration counted from the start (`30m`, `1h30m`, `+45m`, `2h`);
//! a bare time earlier than the start means that time on the following day.
//!
//! Local times that do not exist (skipped by a daylight-saving change) or that exist twice
//! are errors naming the problem, never a silent guess.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Weekday,
};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    Unrecognized(String),
    BadTime(String),
    BadDate(String),
    /// Skipped by a daylight-saving change in this zone.
    Nonexistent {
        local: NaiveDateTime,
        zone: String,
    },
    /// Occurs twice (clocks went back) in this zone.
    Ambiguous {
        local: NaiveDateTime,
        zone: String,
    },
    EndNotAfterStart,
    TooLong,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => f.write_str("enter a time, e.g. 14:00, tomorrow 9:30, +15m or now"),
            TimeError::Unrecognized(s) => write!(
                f,
                "'{s}' is not a time: try 14:00, tomorrow 9:30, mon 10:00, 2026-12-01 14:00, +15m or now"
            ),
            TimeError::BadTime(s) => write!(
                f,
                "'{s}' is not a valid time of day (use 24-hour HH:MM, or 2pm)"
            ),
            TimeError::BadDate(s) => write!(f, "'{s}' is not a valid date (use YYYY-MM-DD)"),
            TimeError::Nonexistent { local, zone } => write!(
                f,
                "{} does not exist in {zone} (clocks skip it for daylight saving); pick another time",
                local.format("%Y-%m-%d %H:%M")
            ),
            TimeError::Ambiguous { local, zone } => write!(
                f,
                "{} happens twice in {zone} (clocks go back); give an explicit offset, e.g. {}+01:00",
                local.format("%Y-%m-%d %H:%M"),
                local.format("%Y-%m-%dT%H:%M")
            ),
            TimeError::EndNotAfterStart => f.write_str("the end must be after the start"),
            TimeError::TooLong => {
                f.write_str("a meeting can last at most 24 hours here; check the end")
            }
        }
    }
}

impl std::error::Error for TimeError {}

/// The longest meeting accepted: longer is almost always a typo (a wrong day).
pub const MAX_DURATION: Duration = Duration::hours(24);

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

pub fn parse_start<Tz: TimeZone>(
    input: &str,
    now: &DateTime<Tz>,
) -> Result<DateTime<Tz>, TimeError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(TimeError::Empty);
    }
    if s == "now" {
        return Ok(now.clone());
    }
    if let Some(rest) = s.strip_prefix('+') {
        let d = parse_duration(rest).ok_or_else(|| TimeError::Unrecognized(input.trim().into()))?;
        return Ok(now.clone() + d);
    }
    parse_point(&s, input, now, Rollover::Tomorrow)
}

pub fn parse_end<Tz: TimeZone>(
    input: &str,
    start: &DateTime<Tz>,
    now: &DateTime<Tz>,
) -> Result<DateTime<Tz>, TimeError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(TimeError::Empty);
    }
    let end = if let Some(d) = parse_duration(s.strip_prefix('+').unwrap_or(&s)) {
        start.clone() + d
    } else if s == "now" {
        now.clone()
    } else {
        parse_point(&s, input, start, Rollover::AfterAnchor)?
    };
    check_range(start, &end)?;
    Ok(end)
}

pub fn check_range<Tz: TimeZone>(
    start: &DateTime<Tz>,
    end: &DateTime<Tz>,
) -> Result<(), TimeError> {
    if end <= start {
        return Err(TimeError::EndNotAfterStart);
    }
    if end.clone() - start.clone() > MAX_DURATION {
        return Err(TimeError::TooLong);
    }
    Ok(())
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

/// `30m`, `1h`, `1h30m`, `90min`, `1.5h`, `2d` is not accepted (see MAX_DURATION).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(h) = s.strip_suffix('h').and_then(|n| n.parse::<f64>().ok()) {
        if h.is_finite() && h > 0.0 && h <= 24.0 && n_has_no_sign(s) {
            return Some(Duration::minutes((h * 60.0).round() as i64));
        }
        return None;
    }
    let mut total = 0i64;
    let mut num = String::new();
    let mut saw_unit = false;
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
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => n.checked_mul(60)?,
            "m" | "min" | "mins" | "minute" | "minutes" => n,
            _ => return None,
        };
        saw_unit = true;
        if total > 24 * 60 {
            return None;
        }
    }
    if !num.is_empty() || !saw_unit || total == 0 {
        return None;
    }
    Some(Duration::minutes(total))
}

fn n_has_no_sign(s: &str) -> bool {
    !s.starts_with(['-', '+'])
}

#[derive(Clone, Copy)]
enum Rollover {
    /// A bare time already past today means tomorrow (start).
    Tomorrow,
    /// A bare time not after the anchor means the following day (end after start).
    AfterAnchor,
}

fn normalize(input: &str) -> String {
    input
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_point<Tz: TimeZone>(
    s: &str,
    raw: &str,
    anchor: &DateTime<Tz>,
    rollover: Rollover,
) -> Result<DateTime<Tz>, TimeError> {
    let tz = anchor.timezone();
    // An explicit offset pins the instant; no zone lookup can be ambiguous.
    if let Ok(t) = DateTime::parse_from_rfc3339(&s.to_uppercase()) {
        return Ok(t.with_timezone(&tz));
    }
    let today = anchor.date_naive();
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
            TimeError::BadTime(format!("{s} (add a time, e.g. {s} 14:00)"))
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
    let explicit_date = date.is_some();
    let mut day = date.unwrap_or(today);
    let mut result = resolve(&tz, day.and_time(time))?;
    // A weekday names the next such day still ahead; a bare time rolls to the next day.
    let is_weekday = date_part.is_some_and(|d| parse_weekday(d).is_some());
    if !explicit_date || is_weekday {
        let passed = match rollover {
            Rollover::Tomorrow => result < *anchor,
            Rollover::AfterAnchor => result <= *anchor,
        };
        if passed {
            day += Duration::days(if is_weekday { 7 } else { 1 });
            result = resolve(&tz, day.and_time(time))?;
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
    let zone = || zone_name(tz, local);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::None => Err(TimeError::Nonexistent {
            local,
            zone: zone(),
        }),
        LocalResult::Ambiguous(_, _) => Err(TimeError::Ambiguous {
            local,
            zone: zone(),
        }),
    }
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

/// The system time zone: `TZ` if it names an IANA zone, else what the OS reports, else UTC.
pub fn local_zone() -> chrono_tz::Tz {
    let from_env = std::env::var("TZ")
        .ok()
        .and_then(|v| v.trim_start_matches(':').parse().ok());
    from_env
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(chrono_tz::UTC)
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
        assert!(matches!(
            parse_start("2026-12-01", &n),
            Err(TimeError::BadTime(_))
        ));
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
            parse_end("0:30", &late, &n).unwrap(),
            at(2026, 11, 28, 0, 30),
            "wraps past midnight"
        );
        assert_eq!(
            parse_end("2026-11-27 13:00", &s, &n),
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
}
