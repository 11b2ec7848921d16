//! The zone an Outlook `dateTimeTimeZone` names (GRAPH-SCHEDULING.md §3.2–§3.3).
//!
//! Outlook takes Windows zone names everywhere and a list of IANA names ("additional time
//! zones") that create and update "might not" all support. That list is CLDR's primary
//! zone of each Windows zone (`Europe/Berlin` for W. Europe Standard Time), so an IANA zone
//! that is its Windows zone's primary one is sent as is, any other as the Windows name,
//! and one CLDR does not map at all as UTC, with the times converted. The mapping is CLDR's
//! windowsZones table through the `windows-timezones` crate, not a table typed here.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::str::FromStr;
use windows_timezones::WindowsTimezone;

/// A zone to send, by the name Outlook is given, and the rules to turn instants into its
/// wall-clock times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlookZone {
    name: String,
    tz: Tz,
}

impl OutlookZone {
    pub fn utc() -> Self {
        OutlookZone {
            name: "UTC".into(),
            tz: Tz::UTC,
        }
    }

    /// The name to send for the person's zone.
    pub fn for_tz(tz: Tz) -> Self {
        if tz == Tz::UTC || tz.name().eq_ignore_ascii_case("Etc/UTC") {
            return Self::utc();
        }
        match WindowsTimezone::try_from(tz) {
            Ok(w) if w.tzdb_id() == tz.name() => OutlookZone {
                name: tz.name().to_string(),
                tz,
            },
            Ok(w) => OutlookZone {
                name: w.name().to_string(),
                tz,
            },
            Err(_) => Self::utc(),
        }
    }

    /// Whether times sent in this zone keep `tz`'s clock all year: it is `tz`, or UTC under
    /// another of its names. False where `tz` had no Outlook name and UTC stands in.
    pub fn keeps(&self, tz: Tz) -> bool {
        self.tz == tz || (is_utc(self.tz) && is_utc(tz))
    }

    /// The Windows name of the same zone, when this one is an IANA name: what to send
    /// again after the service refused the IANA one (`TimeZoneNotSupportedException`).
    pub fn windows(&self) -> Option<Self> {
        if WindowsTimezone::from_str(&self.name).is_ok() || self.name == "UTC" {
            return None;
        }
        let w = WindowsTimezone::try_from(self.tz).ok()?;
        Some(OutlookZone {
            name: w.name().to_string(),
            tz: self.tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// `{"dateTime": "2026-12-03T10:00:00", "timeZone": name}` for an instant.
    pub fn date_time(&self, t: &DateTime<impl TimeZone>) -> serde_json::Value {
        let local = t.with_timezone(&self.tz).naive_local();
        serde_json::json!({
            "dateTime": local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "timeZone": self.name,
        })
    }

    /// The `Prefer` value that asks for answers in this zone.
    pub fn prefer(&self) -> String {
        format!("outlook.timezone=\"{}\"", self.name)
    }
}

/// Reads a `dateTimeTimeZone` of an answer: `dateTime` with any number of fraction digits
/// (the service writes seven) and no offset, in `timeZone` (Windows, IANA or UTC). An
/// unknown zone name is read as UTC, which is what the service uses when not asked.
pub fn read_date_time(value: &serde_json::Value) -> Option<DateTime<Utc>> {
    let text = value.get("dateTime").and_then(serde_json::Value::as_str)?;
    let zone = value
        .get("timeZone")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("UTC");
    let text = text.trim().trim_end_matches('Z');
    let (whole, _fraction) = text.split_once('.').unwrap_or((text, ""));
    let local = NaiveDateTime::parse_from_str(whole, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(whole, "%Y-%m-%dT%H:%M"))
        .ok()?;
    let tz = zone_by_name(zone).unwrap_or(Tz::UTC);
    Some(place(&tz, local).with_timezone(&Utc))
}

/// `local` in `zone` as Exchange places it, in an occurrence or in a time it answers with:
/// a time that happens twice is the first of the two; one the clocks skip keeps the offset
/// in force before the change, so it falls as far after the change as it was meant to be
/// after the time skipped from. (Typed times are refused there instead: `time::resolve`.)
pub(crate) fn place(zone: &Tz, local: NaiveDateTime) -> DateTime<Tz> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(a, b) => a.min(b),
        LocalResult::None => {
            // The day before is on the far side of the change (changes are months apart).
            let before = zone
                .from_local_datetime(&(local - Duration::days(1)))
                .earliest()
                .map_or(0, |t| t.offset().fix().local_minus_utc());
            let utc = local - Duration::seconds(i64::from(before));
            zone.from_utc_datetime(&utc)
        }
    }
}

/// A Windows or IANA name as chrono's rules; None for a name neither table has.
pub fn zone_by_name(name: &str) -> Option<Tz> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("UTC") || name.eq_ignore_ascii_case("tzone://Microsoft/Utc") {
        return Some(Tz::UTC);
    }
    WindowsTimezone::from_str(name)
        .map(Tz::from)
        .ok()
        .or_else(|| Tz::from_str(name).ok())
}

/// UTC under any of its names: no offset, no daylight saving.
fn is_utc(tz: Tz) -> bool {
    matches!(
        tz.name(),
        "UTC"
            | "Etc/UTC"
            | "Etc/UCT"
            | "UCT"
            | "Etc/Universal"
            | "Universal"
            | "Etc/Zulu"
            | "Zulu"
            | "Etc/GMT"
            | "GMT"
            | "Etc/GMT+0"
            | "Etc/GMT-0"
            | "Etc/GMT0"
            | "GMT0"
            | "GMT+0"
            | "GMT-0"
            | "Greenwich"
            | "Etc/Greenwich"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_in_a_repeated_or_skipped_hour_reads_as_exchange_places_it() {
        let at = |text: &str| {
            read_date_time(
                &serde_json::json!({"dateTime": text, "timeZone": "W. Europe Standard Time"}),
            )
            .unwrap()
            .to_rfc3339()
        };
        // 02:30 happens twice on 31 Oct 2027 (CEST, then CET): the first.
        assert_eq!(
            at("2027-10-31T02:30:00.0000000"),
            "2027-10-31T00:30:00+00:00"
        );
        // 02:30 never happens on 28 Mar 2027: the offset before the change, so 03:30 CEST.
        assert_eq!(
            at("2027-03-28T02:30:00.0000000"),
            "2027-03-28T01:30:00+00:00"
        );
        assert_eq!(at("2027-07-01T12:00:00"), "2027-07-01T10:00:00+00:00");
    }

    #[test]
    fn utc_under_another_name_keeps_its_clock_and_a_stand_in_does_not() {
        let etc: Tz = "Etc/UTC".parse().unwrap();
        assert!(OutlookZone::for_tz(etc).keeps(etc));
        assert!(OutlookZone::utc().keeps("Etc/Universal".parse().unwrap()));
        let berlin = chrono_tz::Europe::Berlin;
        assert!(OutlookZone::for_tz(berlin).keeps(berlin));
        assert!(!OutlookZone::utc().keeps(berlin));
    }
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn a_primary_iana_zone_is_sent_as_is_and_others_by_their_windows_name() {
        assert_eq!(
            OutlookZone::for_tz(chrono_tz::Europe::Berlin).name(),
            "Europe/Berlin"
        );
        assert_eq!(
            OutlookZone::for_tz(chrono_tz::America::Los_Angeles).name(),
            "America/Los_Angeles"
        );
        // Amsterdam shares W. Europe Standard Time with Berlin, its primary zone.
        assert_eq!(
            OutlookZone::for_tz(chrono_tz::Europe::Amsterdam).name(),
            "W. Europe Standard Time"
        );
        assert_eq!(OutlookZone::for_tz(chrono_tz::UTC).name(), "UTC");
        assert_eq!(
            OutlookZone::for_tz(chrono_tz::Europe::Berlin)
                .windows()
                .unwrap()
                .name(),
            "W. Europe Standard Time"
        );
        assert_eq!(
            OutlookZone::for_tz(chrono_tz::Europe::Amsterdam).windows(),
            None
        );
    }

    #[test]
    fn wall_clock_times_in_the_named_zone() {
        let z = OutlookZone::for_tz(chrono_tz::Europe::Berlin);
        let t = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        assert_eq!(
            z.date_time(&t),
            json!({"dateTime": "2026-12-03T10:00:00", "timeZone": "Europe/Berlin"})
        );
        assert_eq!(z.prefer(), "outlook.timezone=\"Europe/Berlin\"");
    }

    #[test]
    fn answers_are_read_in_their_zone_with_seven_fraction_digits() {
        let t = read_date_time(
            &json!({"dateTime": "2026-12-03T10:00:00.0000000", "timeZone": "W. Europe Standard Time"}),
        );
        assert_eq!(t, Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()));
        let t =
            read_date_time(&json!({"dateTime": "2026-12-03T09:00:00.0000000", "timeZone": "UTC"}));
        assert_eq!(t, Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()));
        let t =
            read_date_time(&json!({"dateTime": "2026-12-03T09:00:00", "timeZone": "Mars/Olympus"}));
        assert_eq!(t, Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()));
        assert_eq!(read_date_time(&json!({"dateTime": "soon"})), None);
    }
}
