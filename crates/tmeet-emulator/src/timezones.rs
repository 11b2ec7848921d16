//! Time zones as Outlook takes them (GRAPH-SCHEDULING §3.2–§3.3): a `dateTimeTimeZone`
//! names a Windows zone ("Pacific Standard Time") or one of the IANA names the service
//! maps to one. The mapping is CLDR's windowsZones table through the `windows-timezones`
//! crate; the rules of each zone come from `chrono-tz`. An IANA name CLDR does not map
//! (e.g. a link such as `US/Pacific`) is refused, as the service refuses names outside
//! its "additional time zones" list.

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::str::FromStr;
use windows_timezones::WindowsTimezone;

/// A zone a request named, remembered by the name it was given (responses echo it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Zone {
    pub name: String,
    tz: Tz,
}

impl Zone {
    pub(crate) fn utc() -> Self {
        Zone {
            name: "UTC".into(),
            tz: Tz::UTC,
        }
    }

    /// A Windows name or a CLDR-mapped IANA name; None for anything else.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        let trimmed = name.trim();
        let tz = match WindowsTimezone::from_str(trimmed) {
            Ok(w) => Tz::from(w),
            Err(_) => {
                let tz = Tz::from_str(trimmed).ok()?;
                WindowsTimezone::try_from(tz).ok()?;
                tz
            }
        };
        Some(Zone {
            name: trimmed.to_string(),
            tz,
        })
    }

    /// The Windows name of this zone, as mailbox settings and working hours name zones
    /// ("Tokyo Standard Time"; GRAPH-SCHEDULING §3.3), whatever name it was given by.
    pub(crate) fn windows_name(&self) -> String {
        if self.is_windows_name() {
            return self.name.clone();
        }
        WindowsTimezone::try_from(self.tz)
            .map(|w| w.name().to_string())
            .unwrap_or_else(|_| self.name.clone())
    }

    /// The offset from UTC at `t`, in minutes (ahead of UTC positive).
    pub(crate) fn offset_minutes(&self, t: &DateTime<Utc>) -> i32 {
        self.tz
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    }

    /// Named the Windows way (or UTC), not by an IANA name.
    pub(crate) fn is_windows_name(&self) -> bool {
        self.name.eq_ignore_ascii_case("UTC") || WindowsTimezone::from_str(&self.name).is_ok()
    }

    /// A wall-clock time in this zone as UTC. In a spring-forward gap the service moves
    /// the time forward; in a fall-back overlap it takes the first (earlier) instant.
    pub(crate) fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.tz.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
            chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
            chrono::LocalResult::None => {
                // The offset in force before the gap: transitions are months apart.
                let before = local - chrono::Duration::hours(12);
                let offset = self.tz.offset_from_utc_datetime(&before).fix();
                (local - offset).and_utc()
            }
        }
    }

    pub(crate) fn to_local(&self, t: &DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.tz).naive_local()
    }
}

/// The body of a `TimeZoneNotSupportedException`, worded as the service words it.
pub(crate) fn unsupported_message(name: &str) -> String {
    format!(
        "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'."
    )
}

/// `2026-12-01T09:00:00.0000000`: the `dateTime` of a `dateTimeTimeZone`, seven digits.
pub(crate) fn format_local(t: &NaiveDateTime) -> String {
    use chrono::Timelike;
    format!(
        "{}.{:07}",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.nanosecond() % 1_000_000_000 / 100
    )
}

/// The `dateTime` of a request: no offset, optional fraction (the service reads more
/// forms, but these are the ones its documentation sends).
pub(crate) fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_mapped_iana_names_are_accepted() {
        let pst = Zone::parse("Pacific Standard Time").unwrap();
        let la = Zone::parse("America/Los_Angeles").unwrap();
        let winter = parse_local("2026-12-01T09:00:00").unwrap();
        assert_eq!(pst.to_utc(winter), la.to_utc(winter));
        assert_eq!(pst.to_utc(winter).to_rfc3339(), "2026-12-01T17:00:00+00:00");
        assert_eq!(la.name, "America/Los_Angeles");
        assert!(Zone::parse("UTC").is_some());
        assert!(Zone::parse("W. Europe Standard Time").is_some());
        assert!(Zone::parse("Pacific Standard Tim").is_none());
        assert!(Zone::parse("Mars/Olympus_Mons").is_none());
        assert!(Zone::parse("").is_none());
        assert_eq!(
            Zone::parse("Asia/Tokyo").unwrap().windows_name(),
            "Tokyo Standard Time"
        );
        assert_eq!(
            Zone::parse("Europe/Berlin").unwrap().windows_name(),
            "W. Europe Standard Time"
        );
        assert_eq!(Zone::utc().windows_name(), "UTC");
        assert_eq!(pst.windows_name(), "Pacific Standard Time");
    }

    #[test]
    fn gaps_move_forward_and_local_times_have_seven_digits() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 02:30 does not exist on 2026-03-29 in Berlin.
        let t = berlin.to_utc(parse_local("2026-03-29T02:30:00").unwrap());
        assert_eq!(t.to_rfc3339(), "2026-03-29T01:30:00+00:00");
        assert_eq!(
            format_local(&berlin.to_local(&t)),
            "2026-03-29T03:30:00.0000000"
        );
        assert!(parse_local("2026-03-29T02:30:00.1234567").is_some());
        assert!(parse_local("2026-03-29 02:30").is_none());
    }
}
