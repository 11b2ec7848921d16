//! A time zone as a person types it (`--zone`, and the form's Zone field): an IANA name in
//! any case (`europe/berlin`), a city of one (`Tokyo`, `new york`), a Windows name as
//! Outlook shows it (`Tokyo Standard Time`), a common abbreviation (`CET`, `PST`), or a
//! whole-hour offset (`UTC+2`). An abbreviation stands for the place that uses it, with
//! its daylight-saving rules: `EST` typed in July means New York's time, which is then
//! EDT, as the person meant. An abbreviation several places use (`IST`) is refused with
//! its choices; a name no table knows, with the nearest names (Jaro–Winkler, `strsim`).
//! Every refusal is one line, ready to print.
//!
//! The rules are chrono-tz's (the IANA database); the Windows names are CLDR's, through
//! `windows-timezones`. [`complete`] is what a field completing zone names offers.

use chrono::{Offset, TimeZone, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};
use std::fmt;
use std::str::FromStr;
use windows_timezones::WindowsTimezone;

/// Why typed text is not one zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneInputError {
    Empty,
    /// No table knows it; the nearest names, best first (may be empty).
    Unknown {
        text: String,
        nearest: Vec<String>,
    },
    /// An abbreviation several places use: each place's zone and what it is called there.
    Ambiguous {
        text: String,
        choices: Vec<(Tz, &'static str)>,
    },
    /// An offset of hours and minutes: no zone of the database is one (`Etc/GMT±N` are
    /// whole hours), and a place's zone keeps its daylight saving right.
    PartialHourOffset {
        text: String,
    },
}

impl fmt::Display for ZoneInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneInputError::Empty => write!(
                f,
                "no time zone given: write an IANA name such as Europe/Berlin, a city such as Tokyo, or an abbreviation such as CET"
            ),
            ZoneInputError::Unknown { text, nearest } if nearest.is_empty() => write!(
                f,
                "unknown time zone '{text}': write an IANA name such as Europe/Berlin, a city such as Tokyo, or an abbreviation such as CET"
            ),
            ZoneInputError::Unknown { text, nearest } => write!(
                f,
                "unknown time zone '{text}': did you mean {}?",
                or_list(nearest)
            ),
            ZoneInputError::Ambiguous { text, choices } => {
                let each: Vec<String> = choices
                    .iter()
                    .map(|(tz, what)| format!("{} ({what})", tz.name()))
                    .collect();
                write!(
                    f,
                    "'{text}' is ambiguous: {}; write the zone you mean",
                    or_list(&each)
                )
            }
            ZoneInputError::PartialHourOffset { text } => write!(
                f,
                "'{text}' is an offset no zone has on its own: name the place instead, e.g. Asia/Kolkata for UTC+5:30"
            ),
        }
    }
}

impl std::error::Error for ZoneInputError {}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Abbreviations people write, each for the place (or places) that use it. Where one
/// stands for several, the choices are listed and none is picked.
const ABBREVIATIONS: &[(&str, &[(&str, &str)])] = &[
    ("UTC", &[("UTC", "Coordinated Universal Time")]),
    ("UCT", &[("UTC", "Coordinated Universal Time")]),
    ("Z", &[("UTC", "Coordinated Universal Time")]),
    ("GMT", &[("GMT", "Greenwich Mean Time, no daylight saving")]),
    ("WET", &[("Europe/Lisbon", "Western European Time")]),
    ("WEST", &[("Europe/Lisbon", "Western European Summer Time")]),
    ("CET", &[("Europe/Berlin", "Central European Time")]),
    ("CEST", &[("Europe/Berlin", "Central European Summer Time")]),
    ("MEZ", &[("Europe/Berlin", "Central European Time")]),
    ("MESZ", &[("Europe/Berlin", "Central European Summer Time")]),
    ("EET", &[("Europe/Athens", "Eastern European Time")]),
    ("EEST", &[("Europe/Athens", "Eastern European Summer Time")]),
    (
        "BST",
        &[
            ("Europe/London", "British Summer Time"),
            ("Asia/Dhaka", "Bangladesh Standard Time"),
        ],
    ),
    (
        "IST",
        &[
            ("Asia/Kolkata", "India Standard Time"),
            ("Asia/Jerusalem", "Israel Standard Time"),
            ("Europe/Dublin", "Irish Standard Time"),
        ],
    ),
    ("IDT", &[("Asia/Jerusalem", "Israel Daylight Time")]),
    ("MSK", &[("Europe/Moscow", "Moscow Time")]),
    ("TRT", &[("Europe/Istanbul", "Turkey Time")]),
    ("GST", &[("Asia/Dubai", "Gulf Standard Time")]),
    ("PKT", &[("Asia/Karachi", "Pakistan Standard Time")]),
    ("NPT", &[("Asia/Kathmandu", "Nepal Time")]),
    ("ICT", &[("Asia/Bangkok", "Indochina Time")]),
    ("WIB", &[("Asia/Jakarta", "Western Indonesia Time")]),
    ("SGT", &[("Asia/Singapore", "Singapore Time")]),
    ("HKT", &[("Asia/Hong_Kong", "Hong Kong Time")]),
    ("PHT", &[("Asia/Manila", "Philippine Time")]),
    ("JST", &[("Asia/Tokyo", "Japan Standard Time")]),
    ("KST", &[("Asia/Seoul", "Korea Standard Time")]),
    (
        "AWST",
        &[("Australia/Perth", "Australian Western Standard Time")],
    ),
    (
        "ACST",
        &[("Australia/Adelaide", "Australian Central Standard Time")],
    ),
    (
        "ACDT",
        &[("Australia/Adelaide", "Australian Central Daylight Time")],
    ),
    (
        "AEST",
        &[("Australia/Sydney", "Australian Eastern Standard Time")],
    ),
    (
        "AEDT",
        &[("Australia/Sydney", "Australian Eastern Daylight Time")],
    ),
    ("NZST", &[("Pacific/Auckland", "New Zealand Standard Time")]),
    ("NZDT", &[("Pacific/Auckland", "New Zealand Daylight Time")]),
    (
        "SAST",
        &[("Africa/Johannesburg", "South Africa Standard Time")],
    ),
    ("CAT", &[("Africa/Maputo", "Central Africa Time")]),
    ("EAT", &[("Africa/Nairobi", "East Africa Time")]),
    ("WAT", &[("Africa/Lagos", "West Africa Time")]),
    ("BRT", &[("America/Sao_Paulo", "Brasília Time")]),
    (
        "ART",
        &[("America/Argentina/Buenos_Aires", "Argentina Time")],
    ),
    ("NST", &[("America/St_Johns", "Newfoundland Standard Time")]),
    ("NDT", &[("America/St_Johns", "Newfoundland Daylight Time")]),
    (
        "AST",
        &[
            ("America/Halifax", "Atlantic Standard Time"),
            ("Asia/Riyadh", "Arabia Standard Time"),
        ],
    ),
    ("ADT", &[("America/Halifax", "Atlantic Daylight Time")]),
    ("EST", &[("America/New_York", "Eastern Time")]),
    ("EDT", &[("America/New_York", "Eastern Time")]),
    ("ET", &[("America/New_York", "Eastern Time")]),
    (
        "CST",
        &[
            ("America/Chicago", "US Central Standard Time"),
            ("Asia/Shanghai", "China Standard Time"),
            ("America/Havana", "Cuba Standard Time"),
        ],
    ),
    ("CDT", &[("America/Chicago", "US Central Time")]),
    ("CT", &[("America/Chicago", "US Central Time")]),
    ("MST", &[("America/Denver", "US Mountain Time")]),
    ("MDT", &[("America/Denver", "US Mountain Time")]),
    ("MT", &[("America/Denver", "US Mountain Time")]),
    ("PST", &[("America/Los_Angeles", "US Pacific Time")]),
    ("PDT", &[("America/Los_Angeles", "US Pacific Time")]),
    ("PT", &[("America/Los_Angeles", "US Pacific Time")]),
    ("AKST", &[("America/Anchorage", "Alaska Time")]),
    ("AKDT", &[("America/Anchorage", "Alaska Time")]),
    ("HST", &[("Pacific/Honolulu", "Hawaii Time")]),
];

/// Whether several places write this abbreviation (`IST`, `CST`): a text naming a zone by
/// it should name the place too.
pub fn is_ambiguous_abbreviation(abbr: &str) -> bool {
    ABBREVIATIONS
        .iter()
        .any(|(a, places)| a.eq_ignore_ascii_case(abbr) && places.len() > 1)
}

fn tz(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok()
}

/// Case and the space typed for an underscore do not matter.
fn fold(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(' ', "_")
}

/// Every IANA zone with its name and its city folded, made once: the form reads its Zone
/// field on every frame, and folding six hundred names each time cost more than the
/// frame.
struct Folded {
    tz: Tz,
    name: String,
    /// The part after the last `/`; empty for a name without one.
    city: String,
}

static FOLDED: std::sync::LazyLock<Vec<Folded>> = std::sync::LazyLock::new(|| {
    TZ_VARIANTS
        .iter()
        .map(|t| Folded {
            tz: *t,
            name: fold(t.name()),
            city: t
                .name()
                .rsplit_once('/')
                .map(|(_, c)| fold(c))
                .unwrap_or_default(),
        })
        .collect()
});

/// The last part of an IANA name, as a city: `America/New_York` → `New York`.
pub fn city(tz: Tz) -> String {
    let name = tz.name();
    if name == "UTC" || name.starts_with("Etc/") {
        return name.trim_start_matches("Etc/").to_string();
    }
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// The text as one zone, or why not (one line; see the module's documentation).
pub fn parse(text: &str) -> Result<Tz, ZoneInputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ZoneInputError::Empty);
    }
    let shown = crate::sanitize::line(text);
    if let Some((_, places)) = ABBREVIATIONS
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(text))
    {
        let choices: Vec<(Tz, &'static str)> = places
            .iter()
            .filter_map(|(name, what)| tz(name).map(|t| (t, *what)))
            .collect();
        return match choices.as_slice() {
            [(one, _)] => Ok(*one),
            _ => Err(ZoneInputError::Ambiguous {
                text: shown,
                choices,
            }),
        };
    }
    let folded = fold(text);
    if let Some(f) = FOLDED.iter().find(|f| f.name == folded) {
        return Ok(f.tz);
    }
    if let Some(offset) = offset(text) {
        return offset.map_err(|()| ZoneInputError::PartialHourOffset { text: shown });
    }
    if let Some(w) = windows_name(text) {
        return Ok(Tz::from(w));
    }
    let cities: Vec<Tz> = FOLDED
        .iter()
        .filter(|f| !f.city.is_empty() && !f.tz.name().starts_with("Etc/"))
        .filter(|f| f.city == folded)
        .map(|f| f.tz)
        .collect();
    if let Some(one) = same_zone(&cities) {
        return Ok(one);
    }
    if cities.len() > 1 {
        return Err(ZoneInputError::Unknown {
            text: shown,
            nearest: cities.iter().map(|t| t.name().to_string()).collect(),
        });
    }
    Err(ZoneInputError::Unknown {
        text: shown,
        nearest: nearest(text, 3),
    })
}

/// One zone for several names of it (a city under a current and a former name, say):
/// the same offsets through a year and the same Windows zone. The name Windows maps to
/// wins, else the longest (the database's canonical names are the more specific ones).
fn same_zone(candidates: &[Tz]) -> Option<Tz> {
    let first = candidates.first()?;
    let year = 2030;
    let fingerprint = |t: &Tz| -> Vec<i32> {
        (1..=12)
            .filter_map(|m| Utc.with_ymd_and_hms(year, m, 1, 12, 0, 0).single())
            .map(|at| {
                t.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
            .collect()
    };
    let f = fingerprint(first);
    if !candidates.iter().all(|t| fingerprint(t) == f) {
        return None;
    }
    candidates
        .iter()
        .find(|t| WindowsTimezone::try_from(**t).is_ok_and(|w| w.tzdb_id() == t.name()))
        .or_else(|| candidates.iter().max_by_key(|t| t.name().len()))
        .copied()
}

/// A Windows name in any case ("tokyo standard time").
fn windows_name(text: &str) -> Option<WindowsTimezone> {
    if let Ok(w) = WindowsTimezone::from_str(text) {
        return Some(w);
    }
    TZ_VARIANTS
        .iter()
        .filter_map(|t| WindowsTimezone::try_from(*t).ok())
        .find(|w| w.name().eq_ignore_ascii_case(text))
}

/// `UTC+2`, `GMT-5`, `UTC+05:30`, `+02:00`: Some(Ok) for whole hours (as `Etc/GMT∓N`,
/// whose sign is the POSIX one, the other way round), Some(Err) for a partial hour, None
/// for text that is not an offset.
fn offset(text: &str) -> Option<Result<Tz, ()>> {
    let upper = text.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper)
        .trim();
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' | '−' => (-1, rest.trim_start_matches(['-', '−'])),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        // `+0530`; four bytes of one emoji are not four digits.
        None if digits.len() == 4 && digits.is_ascii() => digits.split_at(2),
        None => (digits, "0"),
    };
    let (h, m): (i32, i32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    if m != 0 {
        return Some(Err(()));
    }
    if h == 0 {
        return Some(Ok(Tz::UTC));
    }
    // Etc/GMT-2 is two hours ahead of UTC.
    let name = format!("Etc/GMT{}{h}", if sign > 0 { '-' } else { '+' });
    Some(tz(&name).ok_or(()))
}

/// The zone names nearest to `text`, best first: IANA names compared whole and by their
/// city, and the abbreviations.
pub fn nearest(text: &str, max: usize) -> Vec<String> {
    let t = fold(text);
    // Text far longer than any name is a paste, not a typo: nothing is near it, and
    // comparing it with every name costs milliseconds on each frame it is shown.
    let longest = FOLDED.iter().map(|f| f.name.len()).max().unwrap_or(0);
    if t.len() > longest + 8 {
        return Vec::new();
    }
    let mut scored: Vec<(f64, String)> = Vec::new();
    for f in FOLDED.iter() {
        let whole = strsim::jaro_winkler(&t, &f.name);
        let by_city = if f.city.is_empty() {
            0.0
        } else {
            strsim::jaro_winkler(&t, &f.city)
        };
        scored.push((whole.max(by_city), f.tz.name().to_string()));
    }
    for (a, _) in ABBREVIATIONS {
        if t.len() >= 2 {
            scored.push((strsim::jaro_winkler(&t, &fold(a)), (*a).to_string()));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<String> = Vec::new();
    for (score, name) in scored {
        if score < 0.85 || out.len() >= max {
            break;
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// What a field completing zones offers for `prefix`: abbreviations that begin with it,
/// then IANA names whose whole name or city begins with it, at most `max`, in that order.
pub fn complete(prefix: &str, max: usize) -> Vec<String> {
    let p = fold(prefix);
    if p.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = ABBREVIATIONS
        .iter()
        .filter(|(a, _)| fold(a).starts_with(&p))
        .map(|(a, _)| (*a).to_string())
        .collect();
    let mut names: Vec<&str> = FOLDED
        .iter()
        .filter(|f| {
            f.name.starts_with(&p) || f.name.rsplit('/').next().is_some_and(|c| c.starts_with(&p))
        })
        .map(|f| f.tz.name())
        .collect();
    names.sort_unstable();
    out.extend(names.into_iter().map(str::to_string));
    out.truncate(max);
    out
}

/// `10:00–10:30 New York · 16:00–16:30 Berlin`: a meeting's times in the zone it is planned
/// in and in another (the terminal's); each side names its day when the two days differ,
/// so an evening in one zone that is the next morning in the other reads as such.
pub fn in_both(
    (start, end): (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
    planned: Tz,
    here: Tz,
) -> String {
    let (a, b) = (start.with_timezone(&planned), start.with_timezone(&here));
    let days = a.date_naive() != b.date_naive();
    let side = |tz: Tz| {
        let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
        let day = if days {
            s.format("%a ").to_string()
        } else {
            String::new()
        };
        format!(
            "{day}{}–{} {}",
            s.format("%H:%M"),
            e.format("%H:%M"),
            city(tz)
        )
    };
    format!("{} · {}", side(planned), side(here))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_zones_name_the_day_only_when_it_differs() {
        use chrono_tz::America::New_York;
        use chrono_tz::Europe::Berlin;
        let t = |h| Utc.with_ymd_and_hms(2037, 1, 8, h, 0, 0).unwrap();
        assert_eq!(
            in_both((t(15), t(16)), New_York, Berlin),
            "10:00–11:00 New York · 16:00–17:00 Berlin"
        );
        // 18:00 in New York on Thursday is Friday 00:00 in Berlin.
        assert_eq!(
            in_both(
                (t(23), t(23) + chrono::Duration::minutes(30)),
                New_York,
                Berlin
            ),
            "Thu 18:00–18:30 New York · Fri 00:00–00:30 Berlin"
        );
    }

    /// An offset whose four bytes are one emoji is refused, not cut inside the character.
    #[test]
    fn an_offset_of_four_bytes_that_are_not_digits_is_refused() {
        for text in ["+🌀", "UTC+🕴", "-🌀", "+05é"] {
            assert!(parse(text).is_err(), "{text}");
        }
        assert_eq!(parse("UTC+0200"), parse("Etc/GMT-2"));
    }

    #[test]
    fn names_cities_windows_names_and_abbreviations_in_any_case() {
        assert_eq!(parse("Europe/Berlin"), Ok(chrono_tz::Europe::Berlin));
        assert_eq!(parse("europe/berlin"), Ok(chrono_tz::Europe::Berlin));
        assert_eq!(parse("America/New York"), Ok(chrono_tz::America::New_York));
        assert_eq!(parse("Tokyo"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(parse("new york"), Ok(chrono_tz::America::New_York));
        assert_eq!(parse("tokyo standard time"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(
            parse("W. Europe Standard Time"),
            Ok(chrono_tz::Europe::Berlin)
        );
        assert_eq!(parse("cet"), Ok(chrono_tz::Europe::Berlin));
        assert_eq!(parse("EST"), Ok(chrono_tz::America::New_York));
        assert_eq!(parse("pst"), Ok(chrono_tz::America::Los_Angeles));
        assert_eq!(parse("JST"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(parse("UTC"), Ok(chrono_tz::UTC));
        assert_eq!(parse(" utc "), Ok(chrono_tz::UTC));
        // One city under two names of the same zone.
        let indy = parse("Indianapolis").unwrap();
        assert!(indy.name().ends_with("/Indianapolis"), "{indy}");
    }

    #[test]
    fn whole_hour_offsets_and_a_partial_one_refused() {
        let two_ahead = parse("UTC+2").unwrap();
        assert_eq!(two_ahead.name(), "Etc/GMT-2");
        assert_eq!(parse("GMT-5").unwrap().name(), "Etc/GMT+5");
        assert_eq!(parse("+03:00").unwrap().name(), "Etc/GMT-3");
        assert_eq!(parse("UTC+0"), Ok(chrono_tz::UTC));
        let e = parse("UTC+5:30").unwrap_err();
        assert!(matches!(e, ZoneInputError::PartialHourOffset { .. }));
        assert!(e.to_string().contains("Asia/Kolkata"), "{e}");
    }

    #[test]
    fn an_ambiguous_abbreviation_lists_its_choices_on_one_line() {
        let e = parse("IST").unwrap_err();
        let ZoneInputError::Ambiguous { choices, .. } = &e else {
            panic!("{e:?}");
        };
        let names: Vec<&str> = choices.iter().map(|(t, _)| t.name()).collect();
        assert_eq!(names, ["Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"]);
        assert_eq!(
            e.to_string(),
            "'IST' is ambiguous: Asia/Kolkata (India Standard Time), Asia/Jerusalem \
             (Israel Standard Time) or Europe/Dublin (Irish Standard Time); write the zone you mean"
        );
        assert!(!e.to_string().contains('\n'));
        assert!(matches!(
            parse("cst"),
            Err(ZoneInputError::Ambiguous { .. })
        ));
    }

    #[test]
    fn an_unknown_zone_is_answered_with_the_nearest_names() {
        let e = parse("Europe/Berln").unwrap_err();
        let ZoneInputError::Unknown { nearest, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(nearest.first().map(String::as_str), Some("Europe/Berlin"));
        assert!(
            e.to_string()
                .starts_with("unknown time zone 'Europe/Berln': did you mean Europe/Berlin")
        );
        let tokio = parse("Tokio").unwrap_err().to_string();
        assert!(tokio.contains("Asia/Tokyo"), "{tokio}");
        let nothing = parse("qqqqqqqqqq").unwrap_err();
        assert_eq!(
            nothing.to_string(),
            "unknown time zone 'qqqqqqqqqq': write an IANA name such as Europe/Berlin, a city such as Tokyo, or an abbreviation such as CET"
        );
        assert_eq!(parse("  "), Err(ZoneInputError::Empty));
        // What is shown of the text is made terminal-safe.
        let hostile = parse("Mars\u{1b}[2J").unwrap_err().to_string();
        assert!(!hostile.contains('\u{1b}'), "{hostile:?}");
    }

    #[test]
    fn cities_and_completions() {
        assert_eq!(city(chrono_tz::America::New_York), "New York");
        assert_eq!(city(chrono_tz::Asia::Tokyo), "Tokyo");
        assert_eq!(city(chrono_tz::UTC), "UTC");
        let c = complete("ber", 5);
        assert!(c.contains(&"Europe/Berlin".to_string()), "{c:?}");
        assert_eq!(complete("IS", 10).first().map(String::as_str), Some("IST"));
        assert!(complete("", 5).is_empty());
        assert!(complete("a", 3).len() <= 3);
    }
}
