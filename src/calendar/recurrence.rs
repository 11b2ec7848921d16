//! Meetings that repeat (GRAPH-NEXT §2.1–§2.2): what a person types into Repeats or
//! `--repeat`, the series it makes from a start, what is sent as the event's `recurrence`,
//! and the occurrences that will follow, as local times in the person's zone.
//!
//! # The words
//! One grammar, lower or upper case, commas optional:
//! - `daily`, `every day`, `every 3 days`
//! - `weekdays` (Monday to Friday, every week), `every weekday`
//! - `weekly`, `every week`, `every 2 weeks`, `every other week`, each optionally
//!   `on tue, thu` (days by at least three letters, or `weekdays`); `every tuesday`
//! - `monthly`, `every 3 months`, optionally `on the 15th` or `on the last friday` (first,
//!   second, third, fourth or last; a day, `weekday` or `day`)
//! - `yearly`, `every 2 years`, optionally `on the 15th of march`, `on march 15` or
//!   `on the second monday of october`
//! - then optionally an end: `until 2027-06-30` (inclusive) or `for 10` (meetings); none
//!   is a series without an end.
//!
//! A part left out is taken from the start: `weekly` is on the start's weekday (Graph
//! needs the days, §2.1), `monthly` on its day of the month, `yearly` on its date.
//! [`Rule`]'s `Display` writes canonical words that [`parse`] reads back as the same rule.
//!
//! # From a start
//! [`Series::new`] checks the rule against the start and fixes what Graph leaves open:
//! - **A start that is not one of the rule's dates is moved** to the first date on or after
//!   it that is (the date Graph's own expansion would begin with, §2.1), keeping the time
//!   of day, and [`Series::moved_from`] says so. Graph would take the event with the
//!   given start and begin its occurrences later; the master's start would then be a date
//!   with no meeting (Exchange documents that a weekly master whose start is not its first
//!   occurrence loses its time-zone offset), and invitees would see a time that never
//!   happens.
//! - **Every N weeks counts from the first meeting's week**: `firstDayOfWeek` is sent as
//!   the first meeting's weekday, so "every 2 weeks on tue, sun" from a Tuesday means that
//!   Tuesday, the Sunday after, then two weeks on, whatever day a week begins on where the
//!   person lives (Graph's default, Sunday, would move the Sunday a week away).
//! - **Days 29 to 31** are Exchange's: in a month without that day the meeting falls on the
//!   month's last day (EWS `DayOfMonth`: "the last day of the month is assumed"), and a
//!   yearly 29 February on the 28th in other years. [`Series::notes`] says so and the
//!   preview shows it.
//! - **Limits** are Exchange's, which stores Outlook's series (EWS schema): 1 to 999 days
//!   between meetings, 1 to 99 weeks, months or years, and at most 999 meetings counted
//!   with `for`.
//!
//! # Expansion
//! The dates come from the `rrule` crate (RFC 5545) with Graph's patterns written as
//! RRULEs: `BYSETPOS` for the Nth day and, for days 29–31, the last of days 28..=N (which
//! is Exchange's "last day of a shorter month"). Each date then takes the series'
//! wall-clock time in the person's zone, as Exchange keeps it across DST: a time the
//! clocks skip that day is taken with the offset before the change (02:30 becomes 03:30),
//! a time that happens twice is the first of the two.

use super::zone::place;
use crate::meeting::time::{self, TimeError, YEARS};
use crate::sanitize::quote;
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Weekday,
};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::fmt;

/// The longest input read at all: the longest real rule is well under it.
pub const MAX_INPUT_CHARS: usize = 100;
/// `for N` at most (EWS `NumberOfOccurrences`: 1 to 999).
pub const MAX_OCCURRENCES: u32 = 999;
/// Days between daily meetings at most (EWS `DailyRecurrence/Interval`: 1 to 999).
pub const MAX_DAYS_BETWEEN: u32 = 999;
/// Weeks, months or years between meetings at most (EWS: 1 to 99).
pub const MAX_INTERVAL: u32 = 99;

/// What the errors offer: the forms people use most.
const EXAMPLES: &str = "daily, weekdays, weekly, every 2 weeks on tue, thu, monthly on the \
    15th, monthly on the last friday or yearly";
const ENDS: &str = "until 2027-06-30 or for 10";

/// A set of weekdays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Days(u8);

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl Days {
    /// Monday to Friday.
    pub const WORKWEEK: Days = Days(0b001_1111);
    /// Every day of the week.
    pub const ALL: Days = Days(0b111_1111);

    pub fn of(days: &[Weekday]) -> Days {
        Days(
            days.iter()
                .fold(0, |m, d| m | (1 << d.num_days_from_monday())),
        )
    }

    pub fn one(day: Weekday) -> Days {
        Days::of(&[day])
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        WEEK.into_iter().filter(move |d| self.contains(*d))
    }

    fn with(self, other: Days) -> Days {
        Days(self.0 | other.0)
    }

    /// `tue, thu`; `weekdays` for Monday to Friday.
    fn list(self) -> String {
        if self == Days::WORKWEEK {
            return "weekdays".into();
        }
        self.iter().map(short_name).collect::<Vec<_>>().join(", ")
    }
}

/// Which matching day of the month (Graph's `weekIndex`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Index {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

const INDEXES: [(Index, &str, u32); 5] = [
    (Index::First, "first", 1),
    (Index::Second, "second", 2),
    (Index::Third, "third", 3),
    (Index::Fourth, "fourth", 4),
    (Index::Last, "last", 0),
];

impl Index {
    fn word(self) -> &'static str {
        INDEXES
            .iter()
            .find(|(i, ..)| *i == self)
            .map_or("first", |(_, w, _)| w)
    }

    fn graph(self) -> &'static str {
        self.word()
    }

    /// `BYSETPOS`.
    fn position(self) -> i32 {
        match self {
            Index::First => 1,
            Index::Second => 2,
            Index::Third => 3,
            Index::Fourth => 4,
            Index::Last => -1,
        }
    }
}

/// The day of a month a meeting is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonthDay {
    /// The 1st to the 31st (the last day of a shorter month).
    Date(u32),
    /// The first…fourth or last day of the month that is one of these days.
    Nth(Index, Days),
}

/// How often, and on what days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    Daily {
        every: u32,
    },
    /// Days None: the start's weekday.
    Weekly {
        every: u32,
        days: Option<Days>,
    },
    /// None: the start's day of the month.
    Monthly {
        every: u32,
        on: Option<MonthDay>,
    },
    /// None: the start's date. Some: a month (1–12) and its day.
    Yearly {
        every: u32,
        on: Option<(u32, MonthDay)>,
    },
}

/// When the series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    Never,
    /// The last date that may have a meeting (inclusive), in the series' zone.
    Until(NaiveDate),
    /// This many meetings.
    Count(u32),
}

/// A repeat rule as the person said it; parts left out are filled from the start by
/// [`Series::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rule {
    pub pattern: Pattern,
    pub end: End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    fn plural(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::Years => "years",
        }
    }
    fn singular(self) -> &'static str {
        self.plural().trim_end_matches('s')
    }
    fn max(self) -> u32 {
        match self {
            Unit::Days => MAX_DAYS_BETWEEN,
            _ => MAX_INTERVAL,
        }
    }
}

/// Why a repeat rule is refused: one line that names the form to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepeatError {
    Empty,
    InputTooLong,
    Unrecognized(String),
    NotADay(String),
    /// `fifth`, `5th`: Graph counts the first to the fourth, or the last.
    NoSuchIndex(String),
    ZeroInterval(Unit),
    IntervalOverLimit(u32, Unit),
    NoSuchDay(u32),
    /// A month that never has that day (`the 31st of april`, `the 30th of february`).
    NoSuchDate {
        month: u32,
        day: u32,
    },
    /// `for 10 weeks`: `for` counts meetings.
    ForWithUnit(String),
    ZeroCount,
    CountOverLimit(u32),
    BadDate(String),
    UntilOutOfRange,
    UntilBeforeStart {
        until: NaiveDate,
        start: NaiveDate,
    },
    /// No date of the rule falls between the start and `until`.
    NothingUntil {
        until: NaiveDate,
        first: Option<NaiveDate>,
    },
    /// The first meeting, moved to the rule's first date, is at a time the clocks skip.
    FirstSkipped {
        local: NaiveDateTime,
        zone: String,
    },
    /// The start is the second of a time that happens twice: the series would repeat the
    /// first.
    StartIsSecond(NaiveDateTime),
    /// The first meeting ends at the second of a time that happens twice: sent as a
    /// wall-clock time it would be read as the first, and every meeting would be shorter.
    EndIsSecond(NaiveDateTime),
    /// Numbered meetings that would run past the last year a meeting may be in.
    PastLastYear,
}

impl fmt::Display for RepeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RepeatError::Empty => write!(
                f,
                "say how it repeats: {EXAMPLES}; end it with {ENDS}, or leave it open"
            ),
            RepeatError::InputTooLong => write!(
                f,
                "longer than {MAX_INPUT_CHARS} characters; write a rule such as every 2 weeks on tue, thu"
            ),
            RepeatError::Unrecognized(s) => write!(
                f,
                "'{}' is not a repeat rule: try {EXAMPLES}, then {ENDS}",
                quote(s)
            ),
            RepeatError::NotADay(s) => write!(
                f,
                "'{}' is not a day of the week: use mon, tue, wed, thu, fri, sat, sun or \
                 weekdays, e.g. every 2 weeks on tue, thu",
                quote(s)
            ),
            RepeatError::NoSuchIndex(s) => write!(
                f,
                "'{}': a month's day is counted first, second, third, fourth or last, e.g. \
                 monthly on the last friday",
                quote(s)
            ),
            RepeatError::ZeroInterval(u) => write!(
                f,
                "every 0 {} never comes round: write every 1 {} or more, e.g. every 2 {}",
                u.plural(),
                u.singular(),
                u.plural()
            ),
            RepeatError::IntervalOverLimit(n, u) => write!(
                f,
                "every {n} {} is more than Outlook allows ({} at most): write every {} {} or fewer",
                u.plural(),
                u.max(),
                u.max(),
                u.plural()
            ),
            RepeatError::NoSuchDay(n) => write!(
                f,
                "a month has no day {n}: give the 1st to the 31st, e.g. monthly on the 15th"
            ),
            RepeatError::NoSuchDate { month, day } => write!(
                f,
                "{} has no {}: give a day it has, e.g. yearly on the {} of {}",
                month_name(*month),
                ordinal(*day),
                ordinal(days_in_month(*month, true)),
                month_name(*month)
            ),
            RepeatError::ForWithUnit(s) => write!(
                f,
                "'{}': for counts meetings; write for 10, or until 2027-06-30 for a date",
                quote(s)
            ),
            RepeatError::ZeroCount => {
                f.write_str("for 0 makes no meeting: write for 1 or more, or until 2027-06-30")
            }
            RepeatError::CountOverLimit(n) => write!(
                f,
                "for {n} is more than the {MAX_OCCURRENCES} meetings Outlook counts in a series: \
                 write for {MAX_OCCURRENCES} or fewer, or until a date"
            ),
            RepeatError::BadDate(s) => write!(
                f,
                "'{}' is not a date: write until YYYY-MM-DD, e.g. until 2027-06-30",
                quote(s)
            ),
            RepeatError::UntilOutOfRange => write!(
                f,
                "the until date must be in the years {} to {}; check it",
                YEARS.start(),
                YEARS.end()
            ),
            RepeatError::UntilBeforeStart { until, start } => write!(
                f,
                "until {until} is before the start ({}): give a date on or after it, e.g. until {}",
                start.format("%a %-d %b %Y"),
                start
                    .checked_add_months(chrono::Months::new(3))
                    .unwrap_or(*start)
            ),
            RepeatError::NothingUntil { until, first } => match first {
                Some(first) => write!(
                    f,
                    "no meeting falls by until {until}: the first would be {}; give a later date",
                    first.format("%a %-d %b %Y")
                ),
                None => write!(f, "no meeting falls by until {until}; give a later date"),
            },
            RepeatError::FirstSkipped { local, zone } => write!(
                f,
                "the first meeting would be at {} in {zone}, a time the clocks skip for \
                 daylight saving; pick another start time",
                local.format("%a %-d %b %Y %H:%M")
            ),
            RepeatError::StartIsSecond(local) => write!(
                f,
                "{} happens twice (clocks go back) and a series repeats the first of the two; \
                 start at the first, or at another time",
                local.format("%Y-%m-%d %H:%M")
            ),
            RepeatError::EndIsSecond(local) => write!(
                f,
                "the first meeting would end at the second {} (clocks go back), which Outlook \
                 reads as the first, and every meeting would be shorter; give a length that \
                 ends at another time",
                local.format("%Y-%m-%d %H:%M")
            ),
            RepeatError::PastLastYear => write!(
                f,
                "the meetings would run past the year {}: write fewer (for N) or until a date",
                YEARS.end()
            ),
        }
    }
}

impl std::error::Error for RepeatError {}

// ---------------------------------------------------------------------------------------
// Words → Rule

/// Reads a repeat rule (the grammar is in the module's doc).
pub fn parse(input: &str) -> Result<Rule, RepeatError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(RepeatError::Empty);
    }
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(RepeatError::InputTooLong);
    }
    let mut w = Words::new(input);
    let pattern = w.pattern()?;
    let end = w.end()?;
    if let Some(rest) = w.rest() {
        return Err(RepeatError::Unrecognized(rest));
    }
    let rule = Rule { pattern, end };
    rule.check()?;
    Ok(rule)
}

struct Words {
    toks: Vec<String>,
    at: usize,
}

impl Words {
    /// Lower case; a comma (or `&`, `/`, `+`) is a word of its own.
    fn new(input: &str) -> Words {
        let mut toks = Vec::new();
        let mut word = String::new();
        for c in input.to_lowercase().chars() {
            // A date typed with slashes or dots stays one word, to be refused as a whole.
            let in_number = word.ends_with(|p: char| p.is_ascii_digit());
            if c.is_alphanumeric() || c == '-' || (in_number && matches!(c, '/' | '.')) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                toks.push(std::mem::take(&mut word));
            }
            match c {
                ',' | '&' | '/' | '+' => toks.push(",".into()),
                c if c.is_whitespace() => {}
                c => toks.push(c.to_string()),
            }
        }
        if !word.is_empty() {
            toks.push(word);
        }
        Words { toks, at: 0 }
    }

    fn peek_at(&self, k: usize) -> Option<&str> {
        self.toks.get(self.at + k).map(String::as_str)
    }

    fn peek(&self) -> Option<&str> {
        self.peek_at(0)
    }

    fn next(&mut self) -> Option<String> {
        let t = self.toks.get(self.at).cloned();
        if t.is_some() {
            self.at += 1;
        }
        t
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.peek() == Some(word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// What is left, as typed (lower case), or None at the end.
    fn rest(&self) -> Option<String> {
        (self.at < self.toks.len()).then(|| self.toks[self.at..].join(" ").replace(" ,", ","))
    }

    fn unrecognized(&self) -> RepeatError {
        RepeatError::Unrecognized(self.toks.join(" ").replace(" ,", ","))
    }

    fn pattern(&mut self) -> Result<Pattern, RepeatError> {
        let Some(first) = self.next() else {
            return Err(RepeatError::Empty);
        };
        Ok(match first.as_str() {
            "daily" => Pattern::Daily { every: 1 },
            "weekdays" => Pattern::Weekly {
                every: 1,
                days: Some(Days::WORKWEEK),
            },
            "weekly" => Pattern::Weekly {
                every: 1,
                days: self.on_days()?,
            },
            "monthly" => Pattern::Monthly {
                every: 1,
                on: self.on_month()?,
            },
            "yearly" | "annually" => Pattern::Yearly {
                every: 1,
                on: self.on_year()?,
            },
            "every" | "each" => self.every()?,
            _ => return Err(self.unrecognized()),
        })
    }

    /// After `every`: a count (`2`, `2nd`, `other`) and a unit, or days.
    fn every(&mut self) -> Result<Pattern, RepeatError> {
        let count = match self.peek() {
            Some("other") => {
                self.at += 1;
                Some(2)
            }
            Some(t) => match number(t) {
                Some(n) => {
                    self.at += 1;
                    Some(n)
                }
                None => None,
            },
            None => None,
        };
        let every = count.unwrap_or(1);
        let Some(unit) = self.next() else {
            return Err(self.unrecognized());
        };
        Ok(match unit.as_str() {
            "day" | "days" => Pattern::Daily { every },
            "week" | "weeks" => Pattern::Weekly {
                every,
                days: self.on_days()?,
            },
            "month" | "months" => Pattern::Monthly {
                every,
                on: self.on_month()?,
            },
            "year" | "years" => Pattern::Yearly {
                every,
                on: self.on_year()?,
            },
            "weekday" | "weekdays" if count.is_none() => Pattern::Weekly {
                every: 1,
                days: Some(Days::WORKWEEK),
            },
            w if count.is_none() && weekday(w).is_some() => {
                self.at -= 1;
                Pattern::Weekly {
                    every: 1,
                    days: Some(self.day_list(false)?),
                }
            }
            _ => return Err(self.unrecognized()),
        })
    }

    /// `on tue, thu`, or nothing.
    fn on_days(&mut self) -> Result<Option<Days>, RepeatError> {
        if !self.eat("on") {
            return Ok(None);
        }
        self.day_list(false).map(Some)
    }

    /// Days joined by commas, `and` or nothing: `tue, thu`, `tue and thu`, `weekdays`.
    /// `relative`: the words of a month's Nth day (`weekday`, `day`) too.
    fn day_list(&mut self, relative: bool) -> Result<Days, RepeatError> {
        let mut days = Days::default();
        loop {
            let Some(w) = self.next() else {
                return Err(self.unrecognized());
            };
            days = days.with(match w.as_str() {
                "weekdays" | "weekday" => Days::WORKWEEK,
                "day" if relative => Days::ALL,
                other => Days::one(weekday(other).ok_or(RepeatError::NotADay(w.clone()))?),
            });
            let dayish = |t: Option<&str>| {
                t.is_some_and(|t| weekday(t).is_some() || t == "weekday" || t == "weekdays")
            };
            match self.peek() {
                Some(",") if self.peek_at(1) == Some("and") && dayish(self.peek_at(2)) => {
                    self.at += 2;
                }
                Some(",") | Some("and") if dayish(self.peek_at(1)) => self.at += 1,
                t if dayish(t) => {}
                _ => return Ok(days),
            }
        }
    }

    /// `on the 15th`, `on the last friday`, or nothing.
    fn on_month(&mut self) -> Result<Option<MonthDay>, RepeatError> {
        if !self.eat("on") {
            return Ok(None);
        }
        self.eat("the");
        self.month_day().map(Some)
    }

    fn month_day(&mut self) -> Result<MonthDay, RepeatError> {
        let Some(w) = self.next() else {
            return Err(self.unrecognized());
        };
        let relative_follows = |t: Option<&str>| {
            t.is_some_and(|t| weekday(t).is_some() || matches!(t, "weekday" | "day"))
        };
        if let Some((index, ..)) = INDEXES.iter().find(|(_, word, _)| *word == w) {
            return Ok(MonthDay::Nth(*index, self.day_list(true)?));
        }
        if matches!(w.as_str(), "fifth" | "sixth") {
            return Err(RepeatError::NoSuchIndex(w));
        }
        let Some(n) = number(&w) else {
            return Err(self.unrecognized());
        };
        if relative_follows(self.peek()) {
            let index = match n {
                1 => Index::First,
                2 => Index::Second,
                3 => Index::Third,
                4 => Index::Fourth,
                _ => return Err(RepeatError::NoSuchIndex(w)),
            };
            return Ok(MonthDay::Nth(index, self.day_list(true)?));
        }
        Ok(MonthDay::Date(n))
    }

    /// `on the 15th of march`, `on march 15`, `on 15 march`, `on the last friday of
    /// march`, or nothing.
    fn on_year(&mut self) -> Result<Option<(u32, MonthDay)>, RepeatError> {
        if !self.eat("on") {
            return Ok(None);
        }
        self.eat("the");
        if let Some(m) = self.peek().and_then(month) {
            self.at += 1;
            self.eat("the");
            let day = self.next().and_then(|t| number(&t));
            return match day {
                Some(d) => Ok(Some((m, MonthDay::Date(d)))),
                None => Err(self.unrecognized()),
            };
        }
        let day = self.month_day()?;
        if !self.eat("of") {
            self.eat("in");
        }
        match self.next().as_deref().and_then(month) {
            Some(m) => Ok(Some((m, day))),
            None => Err(self.unrecognized()),
        }
    }

    /// `until 2027-06-30`, `for 10`, or nothing.
    fn end(&mut self) -> Result<End, RepeatError> {
        if self.peek() == Some(",") && matches!(self.peek_at(1), Some("until" | "for")) {
            self.at += 1;
        }
        if self.eat("until") {
            let Some(d) = self.next() else {
                return Err(RepeatError::BadDate(String::new()));
            };
            let date = NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .filter(|_| d.len() == 10)
                .ok_or(RepeatError::BadDate(d))?;
            return Ok(End::Until(date));
        }
        if self.eat("for") {
            let Some(t) = self.next() else {
                return Err(self.unrecognized());
            };
            let n = count(&t).ok_or_else(|| self.unrecognized())?;
            match self.peek() {
                Some(
                    "times" | "time" | "x" | "meetings" | "meeting" | "occurrences" | "occurrence",
                ) => self.at += 1,
                Some(
                    u @ ("days" | "day" | "weeks" | "week" | "months" | "month" | "years" | "year"),
                ) => {
                    return Err(RepeatError::ForWithUnit(format!("for {t} {u}")));
                }
                _ => {}
            }
            return Ok(End::Count(n));
        }
        Ok(End::Never)
    }
}

/// `2`, `2nd`, `31st`: a number (saturated, so that an absurd one is refused as too many
/// rather than as not a number).
fn number(t: &str) -> Option<u32> {
    let digits = t
        .strip_suffix("st")
        .or_else(|| t.strip_suffix("nd"))
        .or_else(|| t.strip_suffix("rd"))
        .or_else(|| t.strip_suffix("th"))
        .unwrap_or(t);
    count(digits)
}

/// Plain digits, saturated.
fn count(t: &str) -> Option<u32> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(t.parse::<u32>().unwrap_or(u32::MAX))
}

/// `tue`, `tues`, `tuesday`, `tuesdays`.
fn weekday(t: &str) -> Option<Weekday> {
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    let t = t.strip_suffix("days").map_or(t, |s| {
        // `tuesdays` → `tuesday`; `weekdays` is not a day.
        if s.is_empty() { t } else { &t[..t.len() - 1] }
    });
    if t.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .find(|(name, _)| name.starts_with(t))
        .map(|(_, d)| *d)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `mar`, `march` → 3.
fn month(t: &str) -> Option<u32> {
    if t.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(t))
        .map(|i| i as u32 + 1)
}

fn month_name(m: u32) -> &'static str {
    MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

fn short_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn long_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

fn graph_day(d: Weekday) -> &'static str {
    long_name(d)
}

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Days in `month` (1–12); February has 29 when `leap`.
fn days_in_month(month: u32, leap: bool) -> u32 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------
// Rule → words

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthDay::Date(d) => write!(f, "the {}", ordinal(*d)),
            MonthDay::Nth(i, days) => {
                let what = match *days {
                    Days::ALL => "day".to_string(),
                    Days::WORKWEEK => "weekday".to_string(),
                    d => match d.iter().collect::<Vec<_>>()[..] {
                        [one] => long_name(one).to_string(),
                        _ => d.list(),
                    },
                };
                write!(f, "the {} {what}", i.word())
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let every = |f: &mut fmt::Formatter<'_>, n: u32, once: &str, unit: &str| {
            if n == 1 {
                f.write_str(once)
            } else {
                write!(f, "every {n} {unit}")
            }
        };
        match self.pattern {
            Pattern::Daily { every: n } => every(f, n, "daily", "days")?,
            Pattern::Weekly {
                every: 1,
                days: Some(Days::WORKWEEK),
            } => f.write_str("weekdays")?,
            Pattern::Weekly { every: n, days } => {
                every(f, n, "weekly", "weeks")?;
                if let Some(d) = days {
                    write!(f, " on {}", d.list())?;
                }
            }
            Pattern::Monthly { every: n, on } => {
                every(f, n, "monthly", "months")?;
                if let Some(d) = on {
                    write!(f, " on {d}")?;
                }
            }
            Pattern::Yearly { every: n, on } => {
                every(f, n, "yearly", "years")?;
                if let Some((m, d)) = on {
                    write!(f, " on {d} of {}", month_name(m))?;
                }
            }
        }
        match self.end {
            End::Never => Ok(()),
            End::Until(d) => write!(f, " until {}", d.format("%Y-%m-%d")),
            End::Count(n) => write!(f, " for {n}"),
        }
    }
}

impl Rule {
    /// Refuses what Outlook would refuse or what cannot be a date, whatever the start.
    pub fn check(&self) -> Result<(), RepeatError> {
        let interval = |n: u32, unit: Unit| match n {
            0 => Err(RepeatError::ZeroInterval(unit)),
            n if n > unit.max() => Err(RepeatError::IntervalOverLimit(n, unit)),
            _ => Ok(()),
        };
        let day = |d: MonthDay| match d {
            MonthDay::Date(n) if !(1..=31).contains(&n) => Err(RepeatError::NoSuchDay(n)),
            MonthDay::Nth(_, days) if days.is_empty() => Err(RepeatError::NotADay(String::new())),
            _ => Ok(()),
        };
        match self.pattern {
            Pattern::Daily { every } => interval(every, Unit::Days)?,
            Pattern::Weekly { every, days } => {
                interval(every, Unit::Weeks)?;
                if days.is_some_and(Days::is_empty) {
                    return Err(RepeatError::NotADay(String::new()));
                }
            }
            Pattern::Monthly { every, on } => {
                interval(every, Unit::Months)?;
                on.map(day).transpose()?;
            }
            Pattern::Yearly { every, on } => {
                interval(every, Unit::Years)?;
                if let Some((m, d)) = on {
                    if !(1..=12).contains(&m) {
                        return Err(RepeatError::Unrecognized(format!("month {m}")));
                    }
                    day(d)?;
                    if let MonthDay::Date(n) = d
                        && n > days_in_month(m, true)
                    {
                        return Err(RepeatError::NoSuchDate { month: m, day: n });
                    }
                }
            }
        }
        match self.end {
            End::Count(0) => Err(RepeatError::ZeroCount),
            End::Count(n) if n > MAX_OCCURRENCES => Err(RepeatError::CountOverLimit(n)),
            End::Until(d) if !YEARS.contains(&d.year()) => Err(RepeatError::UntilOutOfRange),
            _ => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// A series: the rule from a start

/// Graph's pattern (GRAPH-NEXT §2.1), every field it needs filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Graph {
    Daily {
        interval: u32,
    },
    Weekly {
        interval: u32,
        days: Days,
        first_day: Weekday,
    },
    AbsoluteMonthly {
        interval: u32,
        day: u32,
    },
    RelativeMonthly {
        interval: u32,
        days: Days,
        index: Index,
    },
    AbsoluteYearly {
        interval: u32,
        day: u32,
        month: u32,
    },
    RelativeYearly {
        interval: u32,
        days: Days,
        index: Index,
        month: u32,
    },
}

impl Graph {
    /// The rule with what it left out taken from `start`.
    fn of(p: Pattern, start: NaiveDate) -> Graph {
        match p {
            Pattern::Daily { every } => Graph::Daily { interval: every },
            Pattern::Weekly { every, days } => Graph::Weekly {
                interval: every,
                days: days.unwrap_or(Days::one(start.weekday())),
                first_day: start.weekday(),
            },
            Pattern::Monthly { every, on } => match on.unwrap_or(MonthDay::Date(start.day())) {
                MonthDay::Date(day) => Graph::AbsoluteMonthly {
                    interval: every,
                    day,
                },
                MonthDay::Nth(index, days) => Graph::RelativeMonthly {
                    interval: every,
                    days,
                    index,
                },
            },
            Pattern::Yearly { every, on } => {
                match on.unwrap_or((start.month(), MonthDay::Date(start.day()))) {
                    (month, MonthDay::Date(day)) => Graph::AbsoluteYearly {
                        interval: every,
                        day,
                        month,
                    },
                    (month, MonthDay::Nth(index, days)) => Graph::RelativeYearly {
                        interval: every,
                        days,
                        index,
                        month,
                    },
                }
            }
        }
    }

    /// The same pattern as words, nothing left to the start.
    fn pattern(self) -> Pattern {
        match self {
            Graph::Daily { interval } => Pattern::Daily { every: interval },
            Graph::Weekly { interval, days, .. } => Pattern::Weekly {
                every: interval,
                days: Some(days),
            },
            Graph::AbsoluteMonthly { interval, day } => Pattern::Monthly {
                every: interval,
                on: Some(MonthDay::Date(day)),
            },
            Graph::RelativeMonthly {
                interval,
                days,
                index,
            } => Pattern::Monthly {
                every: interval,
                on: Some(MonthDay::Nth(index, days)),
            },
            Graph::AbsoluteYearly {
                interval,
                day,
                month,
            } => Pattern::Yearly {
                every: interval,
                on: Some((month, MonthDay::Date(day))),
            },
            Graph::RelativeYearly {
                interval,
                days,
                index,
                month,
            } => Pattern::Yearly {
                every: interval,
                on: Some((month, MonthDay::Nth(index, days))),
            },
        }
    }

    fn to_json(self) -> Value {
        let days = |d: Days| d.iter().map(graph_day).collect::<Vec<_>>();
        match self {
            Graph::Daily { interval } => json!({"type": "daily", "interval": interval}),
            Graph::Weekly {
                interval,
                days: d,
                first_day,
            } => json!({"type": "weekly", "interval": interval, "daysOfWeek": days(d),
                        "firstDayOfWeek": graph_day(first_day)}),
            Graph::AbsoluteMonthly { interval, day } => {
                json!({"type": "absoluteMonthly", "interval": interval, "dayOfMonth": day})
            }
            Graph::RelativeMonthly {
                interval,
                days: d,
                index,
            } => json!({"type": "relativeMonthly", "interval": interval, "daysOfWeek": days(d),
                        "index": index.graph()}),
            Graph::AbsoluteYearly {
                interval,
                day,
                month,
            } => json!({"type": "absoluteYearly", "interval": interval, "dayOfMonth": day,
                        "month": month}),
            Graph::RelativeYearly {
                interval,
                days: d,
                index,
                month,
            } => json!({"type": "relativeYearly", "interval": interval, "daysOfWeek": days(d),
                        "index": index.graph(), "month": month}),
        }
    }

    /// The pattern as an RRULE (RFC 5545) from `from` on.
    fn rrule(self, end: End, from: NaiveDate) -> Option<rrule::RRuleSet> {
        use rrule::{Frequency, NWeekday, RRule};
        let every = |d: Days| d.iter().map(NWeekday::Every).collect::<Vec<_>>();
        // Day 29–31 of a month that is shorter: its last day (Exchange). The last of the
        // days 28..=N that the month has is exactly that.
        let month_day = |r: RRule<rrule::Unvalidated>, day: u32| {
            if day <= 28 {
                r.by_month_day(vec![day as i8])
            } else {
                r.by_month_day((28..=day as i8).collect())
                    .by_set_pos(vec![-1])
            }
        };
        let month_of = |m: u32| chrono::Month::try_from(m as u8).ok();
        let interval = |n: u32| u16::try_from(n).ok();
        let r = match self {
            Graph::Daily { interval: n } => RRule::new(Frequency::Daily).interval(interval(n)?),
            Graph::Weekly {
                interval: n,
                days,
                first_day,
            } => RRule::new(Frequency::Weekly)
                .interval(interval(n)?)
                .week_start(first_day)
                .by_weekday(every(days)),
            Graph::AbsoluteMonthly { interval: n, day } => {
                month_day(RRule::new(Frequency::Monthly).interval(interval(n)?), day)
            }
            Graph::RelativeMonthly {
                interval: n,
                days,
                index,
            } => RRule::new(Frequency::Monthly)
                .interval(interval(n)?)
                .by_weekday(every(days))
                .by_set_pos(vec![index.position()]),
            Graph::AbsoluteYearly {
                interval: n,
                day,
                month,
            } => month_day(
                RRule::new(Frequency::Yearly)
                    .interval(interval(n)?)
                    .by_month(&[month_of(month)?]),
                day,
            ),
            Graph::RelativeYearly {
                interval: n,
                days,
                index,
                month,
            } => RRule::new(Frequency::Yearly)
                .interval(interval(n)?)
                .by_month(&[month_of(month)?])
                .by_weekday(every(days))
                .by_set_pos(vec![index.position()]),
        };
        // Dates only: in UTC, where every day has a midnight.
        let utc = |d: NaiveDateTime| rrule::Tz::UTC.from_utc_datetime(&d);
        let r = match end {
            End::Never => r,
            End::Count(n) => r.count(n),
            End::Until(d) => r.until(utc(d.and_hms_opt(23, 59, 59)?)),
        };
        r.build(utc(from.and_time(NaiveTime::MIN)))
            .ok()
            .map(rrule::RRuleSet::limit)
    }

    /// The rule's dates from `from` on, earliest first.
    fn dates(self, end: End, from: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        self.rrule(end, from)
            .into_iter()
            .flat_map(|set| set.into_iter())
            .map(|t| t.date_naive())
    }
}

/// One meeting of a series, in the person's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

impl Occurrence {
    /// `Tue 8 Sep 10:00 CEST`.
    pub fn label(&self) -> String {
        self.start.format("%a %-d %b %H:%M %Z").to_string()
    }
}

/// A repeat rule made a series from a start: what is sent (`recurrence`) and the meetings
/// it gives. The first meeting is the event's start (moved there when the start given was
/// not one of the rule's dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    rule: Rule,
    graph: Graph,
    zone: Tz,
    first: DateTime<Tz>,
    length: Duration,
    moved_from: Option<NaiveDate>,
}

impl Series {
    /// The series `rule` makes of a meeting from `start` to `end` in `zone`.
    pub fn new(
        rule: Rule,
        start: &DateTime<impl TimeZone>,
        end: &DateTime<impl TimeZone>,
        zone: Tz,
    ) -> Result<Series, RepeatError> {
        rule.check()?;
        let start = start.with_timezone(&zone);
        let length = end.with_timezone(&zone) - start;
        let given = start.date_naive();
        let wall = start.time();
        if let End::Until(until) = rule.end
            && until < given
        {
            return Err(RepeatError::UntilBeforeStart {
                until,
                start: given,
            });
        }
        let graph = Graph::of(rule.pattern, given);
        // The first date Graph's expansion gives from the start; a count is of meetings
        // from there, so the end does not move it.
        let open = match rule.end {
            End::Until(_) => rule.end,
            _ => End::Never,
        };
        let Some(first_date) = graph.dates(open, given).next() else {
            return Err(match rule.end {
                End::Until(until) => RepeatError::NothingUntil {
                    until,
                    first: graph.dates(End::Never, given).next(),
                },
                _ => RepeatError::PastLastYear,
            });
        };
        // Weeks counted from the first meeting's (see the module's doc); moving there from
        // an earlier day of the same week gives the same dates.
        let graph = match graph {
            Graph::Weekly { interval, days, .. } => Graph::Weekly {
                interval,
                days,
                first_day: first_date.weekday(),
            },
            g => g,
        };
        let first = if first_date == given {
            let first = place(&zone, given.and_time(wall));
            if first != start {
                return Err(RepeatError::StartIsSecond(start.naive_local()));
            }
            first
        } else {
            match time::resolve(&zone, first_date.and_time(wall)) {
                Ok(t) => t,
                Err(TimeError::Nonexistent { local, zone }) => {
                    return Err(RepeatError::FirstSkipped { local, zone });
                }
                // Twice: the first of the two, as every occurrence of it.
                Err(_) => place(&zone, first_date.and_time(wall)),
            }
        };
        // The end goes as a wall-clock time too: it must read back as the same instant.
        let first_end = first + length;
        if place(&zone, first_end.naive_local()) != first_end {
            return Err(RepeatError::EndIsSecond(first_end.naive_local()));
        }
        let series = Series {
            rule,
            graph,
            zone,
            first,
            length,
            moved_from: (first_date != given).then_some(given),
        };
        if let End::Count(n) = rule.end {
            let last = series.occurrences().nth(n as usize - 1);
            if last.is_none_or(|o| !YEARS.contains(&o.start.year())) {
                return Err(RepeatError::PastLastYear);
            }
        }
        Ok(series)
    }

    /// The rule as typed.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The rule with nothing left to the start, in words: what the series is.
    pub fn words(&self) -> String {
        Rule {
            pattern: self.graph.pattern(),
            end: self.rule.end,
        }
        .to_string()
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The first meeting: the event's start and end.
    pub fn first(&self) -> Occurrence {
        Occurrence {
            start: self.first,
            end: self.first + self.length,
        }
    }

    /// The start given, when it was not one of the rule's dates and the series begins
    /// later (at [`Series::first`]).
    pub fn moved_from(&self) -> Option<NaiveDate> {
        self.moved_from
    }

    /// Every meeting of the series, earliest first; endless without an end.
    pub fn occurrences(&self) -> impl Iterator<Item = Occurrence> + '_ {
        let wall = self.first.time();
        self.graph
            .dates(self.rule.end, self.first.date_naive())
            .map(move |d| {
                let start = place(&self.zone, d.and_time(wall));
                Occurrence {
                    start,
                    end: start + self.length,
                }
            })
    }

    /// The first `n` meetings, and the first one after each change of the zone's offset
    /// within a year of the first (at most two): enough to see a DST change before sending.
    pub fn preview(&self, n: usize) -> Preview {
        let horizon = self.first.naive_local() + Duration::days(366);
        let mut items: Vec<Previewed> = Vec::new();
        let mut last_offset = None;
        let mut changes = 0;
        let mut skipped = false;
        let mut more = false;
        for (i, o) in self.occurrences().enumerate() {
            let offset = o.start.offset().fix();
            let changed = last_offset.is_some_and(|l| l != offset);
            last_offset = Some(offset);
            if i < n {
                items.push(Previewed {
                    occurrence: o,
                    after_gap: false,
                });
            } else if changes == 2 || o.start.naive_local() > horizon {
                more = true;
                break;
            } else if changed {
                items.push(Previewed {
                    occurrence: o,
                    after_gap: skipped,
                });
                skipped = false;
                changes += 1;
            } else {
                skipped = true;
            }
        }
        Preview {
            items,
            more: more || skipped,
        }
    }

    /// What a person should know before sending that the words do not say: a start that
    /// moved, days that some months lack.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(given) = self.moved_from {
            notes.push(format!(
                "the first meeting is {}: {} (the start given) is not one of its dates",
                self.first.format("%a %-d %b %Y"),
                given.format("%a %-d %b")
            ));
        }
        let day = match self.graph {
            Graph::AbsoluteMonthly { day, .. } if day > 28 => Some(day),
            Graph::AbsoluteYearly {
                day: 29, month: 2, ..
            } => Some(29),
            _ => None,
        };
        if let Some(day) = day {
            let example = self
                .occurrences()
                .take(48)
                .find(|o| o.start.day() != day)
                .map(|o| format!(" ({})", o.start.format("%a %-d %b %Y")))
                .unwrap_or_default();
            let what = match self.graph {
                Graph::AbsoluteYearly { .. } => {
                    "in years without a 29 February it falls on the 28th"
                }
                _ => "in months without one it falls on their last day",
            };
            notes.push(format!(
                "on the {}: {what}, as Outlook places it{example}",
                ordinal(day)
            ));
        }
        notes
    }

    /// The event's `recurrence` (GRAPH-NEXT §2.1): `pattern` before `range` (the reverse
    /// was reported unreadable), `range.startDate` the first meeting's date, and
    /// `recurrenceTimeZone` the zone the start is sent in, `zone_name` (the same zone by
    /// the name Outlook is given).
    pub fn to_graph(&self, zone_name: &str) -> Value {
        let start = self.first.date_naive().format("%Y-%m-%d").to_string();
        let range = match self.rule.end {
            End::Never => {
                json!({"type": "noEnd", "startDate": start, "recurrenceTimeZone": zone_name})
            }
            End::Until(d) => json!({"type": "endDate", "startDate": start,
                "endDate": d.format("%Y-%m-%d").to_string(), "recurrenceTimeZone": zone_name}),
            End::Count(n) => json!({"type": "numbered", "startDate": start,
                "numberOfOccurrences": n, "recurrenceTimeZone": zone_name}),
        };
        // A map keeps its keys in order: `pattern` sorts before `range`.
        json!({"pattern": self.graph.to_json(), "range": range})
    }

    /// What `--json` tells of the series: the rule in words, the zone, the next `n`
    /// meetings (RFC 3339 with their offsets), the start given when it moved, the notes.
    pub fn to_json(&self, n: usize) -> Value {
        let t = |t: &DateTime<Tz>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        json!({
            "rule": self.words(),
            "timeZone": self.zone.name(),
            "next": self.occurrences().take(n)
                .map(|o| json!({"start": t(&o.start), "end": t(&o.end)}))
                .collect::<Vec<_>>(),
            "movedFrom": self.moved_from.map(|d| d.format("%Y-%m-%d").to_string()),
            "notes": self.notes(),
        })
    }
}

/// The meetings a preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub items: Vec<Previewed>,
    /// More meetings follow the last one shown.
    pub more: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Previewed {
    pub occurrence: Occurrence,
    /// Meetings are left out before this one.
    pub after_gap: bool,
}

impl Preview {
    /// `Tue 5 Jan 10:00 CET · Thu 7 Jan · … · Tue 30 Mar 10:00 CEST · …`: the time and zone
    /// where they change (so a DST change shows), the year where it changes (from
    /// `this_year`, the year the person is in).
    pub fn line(&self, this_year: i32) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut year = this_year;
        let mut shown: Option<(NaiveTime, String)> = None;
        for item in &self.items {
            if item.after_gap {
                parts.push("…".into());
            }
            let s = item.occurrence.start;
            let mut text = s.format("%a %-d %b").to_string();
            if s.year() != year {
                text.push_str(&format!(" {}", s.year()));
                year = s.year();
            }
            let now = (s.time(), s.format("%Z").to_string());
            if shown.as_ref() != Some(&now) {
                text.push_str(&format!(" {} {}", s.format("%H:%M"), now.1));
                shown = Some(now);
            }
            parts.push(text);
        }
        if self.more {
            parts.push("…".into());
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn rule(s: &str) -> Rule {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        Berlin.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn series(words: &str, start: DateTime<Tz>) -> Series {
        Series::new(
            rule(words),
            &start,
            &(start + Duration::minutes(30)),
            Berlin,
        )
        .unwrap_or_else(|e| panic!("{words}: {e}"))
    }

    fn dates(s: &Series, n: usize) -> Vec<String> {
        s.occurrences()
            .take(n)
            .map(|o| o.start.format("%Y-%m-%d %H:%M %Z").to_string())
            .collect()
    }

    #[test]
    fn the_words_people_use_read_as_rules() {
        let weekly = |every, days: &[Weekday]| Pattern::Weekly {
            every,
            days: Some(Days::of(days)),
        };
        let cases: &[(&str, Pattern, End)] = &[
            ("daily", Pattern::Daily { every: 1 }, End::Never),
            ("Every 3 days", Pattern::Daily { every: 3 }, End::Never),
            (
                "weekdays",
                weekly(
                    1,
                    &[
                        Weekday::Mon,
                        Weekday::Tue,
                        Weekday::Wed,
                        Weekday::Thu,
                        Weekday::Fri,
                    ],
                ),
                End::Never,
            ),
            (
                "weekly",
                Pattern::Weekly {
                    every: 1,
                    days: None,
                },
                End::Never,
            ),
            (
                "every 2 weeks on tue, thu",
                weekly(2, &[Weekday::Tue, Weekday::Thu]),
                End::Never,
            ),
            (
                "every other week on Tuesday and Thursday",
                weekly(2, &[Weekday::Tue, Weekday::Thu]),
                End::Never,
            ),
            ("every tuesday", weekly(1, &[Weekday::Tue]), End::Never),
            (
                "monthly on the 15th",
                Pattern::Monthly {
                    every: 1,
                    on: Some(MonthDay::Date(15)),
                },
                End::Never,
            ),
            (
                "monthly on the last friday until 2027-06-30",
                Pattern::Monthly {
                    every: 1,
                    on: Some(MonthDay::Nth(Index::Last, Days::one(Weekday::Fri))),
                },
                End::Until(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()),
            ),
            (
                "monthly on the 2nd weekday, for 10",
                Pattern::Monthly {
                    every: 1,
                    on: Some(MonthDay::Nth(Index::Second, Days::WORKWEEK)),
                },
                End::Count(10),
            ),
            (
                "yearly for 5 times",
                Pattern::Yearly { every: 1, on: None },
                End::Count(5),
            ),
            (
                "yearly on march 15",
                Pattern::Yearly {
                    every: 1,
                    on: Some((3, MonthDay::Date(15))),
                },
                End::Never,
            ),
            (
                "every 2 years on the second monday of october",
                Pattern::Yearly {
                    every: 2,
                    on: Some((10, MonthDay::Nth(Index::Second, Days::one(Weekday::Mon)))),
                },
                End::Never,
            ),
        ];
        for (words, pattern, end) in cases {
            assert_eq!(
                parse(words),
                Ok(Rule {
                    pattern: *pattern,
                    end: *end
                }),
                "{words}"
            );
        }
        assert_eq!(
            rule("every 2 weeks on tue, thu").to_string(),
            "every 2 weeks on tue, thu"
        );
        assert_eq!(
            rule("monthly on the last Friday").to_string(),
            "monthly on the last friday"
        );
        assert_eq!(rule("every weekday").to_string(), "weekdays");
    }

    #[test]
    fn bad_input_is_refused_with_the_form_to_write() {
        let err = |s: &str| parse(s).unwrap_err().to_string();
        assert!(
            err("every 0 weeks").contains("every 1 week or more"),
            "{}",
            err("every 0 weeks")
        );
        assert!(err("every 100 weeks").contains("99 at most"));
        assert!(parse("every 999 days").is_ok());
        assert!(err("every 1000 days").contains("999 at most"));
        assert!(err("monthly on the 32nd").contains("the 1st to the 31st"));
        assert!(err("yearly on the 31st of april").contains("april has no 31st"));
        assert!(parse("yearly on the 29th of february").is_ok());
        assert!(err("weekly for 0").contains("for 1 or more"));
        assert!(err("weekly for 1000").contains("999 or fewer"));
        assert!(err("weekly for 10 weeks").contains("for counts meetings"));
        assert!(err("weekly until 30/06/2027").contains("until YYYY-MM-DD"));
        assert!(err("weekly on funday").contains("not a day of the week"));
        assert!(err("monthly on the fifth friday").contains("fourth or last"));
        assert!(err("fortnightly").contains("not a repeat rule"));
        assert!(err("").contains("say how it repeats"));
        assert!(err(&"x".repeat(200)).contains("longer than"));
        for e in [
            "every 0 weeks",
            "monthly on the 32nd",
            "weekly for 0",
            "nonsense words",
        ] {
            assert!(!err(e).contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn every_two_weeks_counts_from_the_first_meetings_week() {
        // Sunday 6 Sep 2026: "every 2 weeks on tue, thu" starts on Tuesday the 8th, then
        // the 10th, then two weeks on.
        let s = series("every 2 weeks on tue, thu", at(2026, 9, 6, 10, 0));
        assert_eq!(
            dates(&s, 4),
            [
                "2026-09-08 10:00 CEST",
                "2026-09-10 10:00 CEST",
                "2026-09-22 10:00 CEST",
                "2026-09-24 10:00 CEST"
            ]
        );
        assert_eq!(s.moved_from(), NaiveDate::from_ymd_opt(2026, 9, 6));
        assert!(
            s.notes()[0].contains("not one of its dates"),
            "{:?}",
            s.notes()
        );
        let g = s.to_graph("Europe/Berlin");
        assert_eq!(g["pattern"]["firstDayOfWeek"], "tuesday");
        assert_eq!(g["pattern"]["daysOfWeek"], json!(["tuesday", "thursday"]));
        assert_eq!(g["range"]["startDate"], "2026-09-08");
        assert_eq!(g["range"]["recurrenceTimeZone"], "Europe/Berlin");
        // A start on one of its days is not moved.
        let s = series("weekly", at(2026, 9, 7, 10, 0));
        assert_eq!(s.moved_from(), None);
        assert_eq!(s.words(), "weekly on mon");
    }

    #[test]
    fn the_31st_falls_on_the_last_day_of_shorter_months_and_the_preview_says_so() {
        let s = series("monthly on the 31st for 4", at(2027, 1, 31, 9, 0));
        assert_eq!(
            dates(&s, 10),
            [
                "2027-01-31 09:00 CET",
                "2027-02-28 09:00 CET",
                "2027-03-31 09:00 CEST",
                "2027-04-30 09:00 CEST"
            ]
        );
        let notes = s.notes();
        assert!(
            notes
                .iter()
                .any(|n| n.contains("last day") && n.contains("28 Feb")),
            "{notes:?}"
        );
        let leap = series("yearly for 3", at(2028, 2, 29, 9, 0));
        assert_eq!(leap.words(), "yearly on the 29th of february for 3");
        assert_eq!(
            dates(&leap, 3),
            [
                "2028-02-29 09:00 CET",
                "2029-02-28 09:00 CET",
                "2030-02-28 09:00 CET"
            ]
        );
    }

    #[test]
    fn a_start_before_the_rules_first_date_moves_and_until_before_it_is_refused() {
        let start = at(2026, 9, 10, 14, 0);
        let s = series("monthly on the 15th", start);
        assert_eq!(s.first().start, at(2026, 9, 15, 14, 0));
        let err = Series::new(
            rule("weekly until 2026-09-01"),
            &start,
            &(start + Duration::hours(1)),
            Berlin,
        )
        .unwrap_err();
        assert!(matches!(err, RepeatError::UntilBeforeStart { .. }), "{err}");
        let err = Series::new(
            rule("monthly on the 15th until 2026-09-12"),
            &start,
            &(start + Duration::hours(1)),
            Berlin,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("the first would be Tue 15 Sep 2026"),
            "{err}"
        );
    }

    #[test]
    fn occurrences_keep_their_wall_clock_time_and_the_preview_shows_the_change() {
        let s = series("weekly", at(2027, 3, 1, 10, 0));
        let p = s.preview(3);
        assert_eq!(
            p.line(2027),
            "Mon 1 Mar 10:00 CET · Mon 8 Mar · Mon 15 Mar · … · Mon 29 Mar 10:00 CEST · … · \
             Mon 1 Nov 10:00 CET · …"
        );
        // A time the clocks skip on one date is placed after the change, as Exchange does.
        let s = series("daily for 3", at(2027, 3, 27, 2, 30));
        assert_eq!(
            dates(&s, 3),
            [
                "2027-03-27 02:30 CET",
                "2027-03-28 03:30 CEST",
                "2027-03-29 02:30 CEST"
            ]
        );
    }

    #[test]
    fn a_moved_first_meeting_in_a_skipped_hour_is_refused() {
        // Saturday 27 Mar 2027, 02:30; the first Sunday is the 28th, when 02:30 is skipped.
        let start = at(2027, 3, 27, 2, 30);
        let err = Series::new(
            rule("weekly on sun"),
            &start,
            &(start + Duration::minutes(30)),
            Berlin,
        )
        .unwrap_err();
        assert!(matches!(err, RepeatError::FirstSkipped { .. }), "{err}");
    }

    #[test]
    fn a_first_meeting_that_ends_in_the_repeated_hour_is_refused() {
        // 31 Oct 2027: 01:15 CEST for 105 minutes ends at 02:00 CET, which Outlook would
        // read as 02:00 CEST: every meeting would last 45 minutes.
        let start = at(2027, 10, 31, 1, 15);
        let err = Series::new(
            rule("daily"),
            &start,
            &(start + Duration::minutes(105)),
            Berlin,
        )
        .unwrap_err();
        assert!(matches!(err, RepeatError::EndIsSecond(_)), "{err}");
        // Ending at the first 02:30 is what it says.
        assert!(
            Series::new(
                rule("daily"),
                &start,
                &(start + Duration::minutes(75)),
                Berlin
            )
            .is_ok()
        );
    }

    #[test]
    fn a_count_that_runs_past_the_last_year_is_refused() {
        let start = at(9990, 1, 1, 9, 0);
        let err = Series::new(
            rule("yearly for 20"),
            &start,
            &(start + Duration::minutes(30)),
            Berlin,
        )
        .unwrap_err();
        assert_eq!(err, RepeatError::PastLastYear);
    }

    fn arb_days() -> impl proptest::strategy::Strategy<Value = Days> {
        use proptest::prelude::*;
        (1u8..=127).prop_map(Days)
    }

    fn arb_month_day() -> impl proptest::strategy::Strategy<Value = MonthDay> {
        use proptest::prelude::*;
        let index = proptest::sample::select(INDEXES.map(|(i, ..)| i).to_vec());
        prop_oneof![
            (1u32..=31).prop_map(MonthDay::Date),
            (index, arb_days()).prop_map(|(i, d)| MonthDay::Nth(i, d)),
        ]
    }

    /// Every rule there is: each pattern, count up to its limit, days, ends.
    pub(super) fn arb_rule() -> impl proptest::strategy::Strategy<Value = Rule> {
        use proptest::prelude::*;
        let every = |max: u32| prop_oneof![Just(1u32), Just(2), 1..=max];
        let pattern = prop_oneof![
            every(MAX_DAYS_BETWEEN).prop_map(|every| Pattern::Daily { every }),
            (every(MAX_INTERVAL), proptest::option::of(arb_days()))
                .prop_map(|(every, days)| Pattern::Weekly { every, days }),
            (every(MAX_INTERVAL), proptest::option::of(arb_month_day()))
                .prop_map(|(every, on)| Pattern::Monthly { every, on }),
            (
                every(MAX_INTERVAL),
                proptest::option::of((1u32..=12, arb_month_day()))
            )
                .prop_map(|(every, on)| {
                    // A date the month has (29 February included).
                    let on = on.map(|(m, d)| match d {
                        MonthDay::Date(n) => (m, MonthDay::Date(n.min(days_in_month(m, true)))),
                        d => (m, d),
                    });
                    Pattern::Yearly { every, on }
                }),
        ];
        let end = prop_oneof![
            Just(End::Never),
            (1u32..=MAX_OCCURRENCES).prop_map(End::Count),
            (YEARS, 1u32..=365)
                .prop_map(|(y, d)| End::Until(NaiveDate::from_yo_opt(y, d).unwrap())),
        ];
        (pattern, end).prop_map(|(pattern, end)| Rule { pattern, end })
    }

    const VOCABULARY: &[&str] = &[
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "weekdays",
        "every",
        "other",
        "on",
        "the",
        "of",
        "and",
        ",",
        "until",
        "for",
        "2",
        "0",
        "15th",
        "31st",
        "last",
        "first",
        "fifth",
        "tue",
        "thursday",
        "day",
        "days",
        "weeks",
        "month",
        "years",
        "march",
        "feb",
        "2027-06-30",
        "10",
        "times",
        "weekday",
        "x",
        "in",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]

        /// Every rule prints as words that read back as the same rule.
        #[test]
        fn every_rule_prints_back_to_words_that_parse_to_it(r in arb_rule()) {
            let words = r.to_string();
            proptest::prop_assert_eq!(parse(&words), Ok(r), "{}", words);
            proptest::prop_assert_eq!(parse(&words.to_uppercase()), Ok(r), "any case");
        }

        /// Words put together at random: refused with one line, or read as a rule whose
        /// words read back as the same rule.
        #[test]
        fn any_words_are_a_rule_that_prints_back_or_one_line_of_refusal(
            words in proptest::collection::vec(proptest::sample::select(VOCABULARY), 0..9)
        ) {
            let text = words.join(" ");
            match parse(&text) {
                Ok(r) => proptest::prop_assert_eq!(parse(&r.to_string()), Ok(r), "{}", text),
                Err(e) => proptest::prop_assert!(!e.to_string().contains('\n')),
            }
        }

        #[test]
        fn any_text_is_read_without_panicking(text in "\\PC{0,120}") {
            let _ = parse(&text);
        }
    }
}
