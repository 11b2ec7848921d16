//! One's own mailbox settings (GRAPH-NEXT §6.1) as tmeet uses them: the mailbox's zone,
//! the working hours (the default window of `free` and of suggestions, and what sharing
//! one's free times keeps to), the date and time formats; and whether the mailbox's zone
//! is the terminal's, since Outlook shows and plans everything in the mailbox's.

use super::hours::WorkingHours;
use super::zone::zone_by_name;
use crate::graph::client::MailboxSettings;
use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyMailbox {
    /// As the service named it (Windows by default), sanitized.
    pub zone_name: Option<String>,
    /// Its rules, when a table knows the name.
    pub zone: Option<Tz>,
    /// Kept in their own zone; a custom one stands in the mailbox's zone.
    pub working_hours: Option<WorkingHours>,
    /// .NET patterns (`MM/dd/yyyy`, `hh:mm tt`).
    pub date_format: Option<String>,
    pub time_format: Option<String>,
}

impl MyMailbox {
    pub fn from_settings(s: &MailboxSettings) -> MyMailbox {
        let zone = s.time_zone.as_deref().and_then(zone_by_name);
        let working_hours = s
            .working_hours
            .as_ref()
            .and_then(WorkingHours::from_graph)
            .map(|h| match zone {
                Some(z) => h.in_zone(z),
                None => h,
            });
        MyMailbox {
            zone_name: s.time_zone.clone(),
            zone,
            working_hours,
            date_format: s.date_format.clone(),
            time_format: s.time_format.clone(),
        }
    }

    /// Whether the mailbox's time format is a 12-hour one (`hh:mm tt`, `h:mm tt`).
    pub fn twelve_hour(&self) -> bool {
        self.time_format
            .as_deref()
            .is_some_and(|f| f.contains('t') || (f.contains('h') && !f.contains('H')))
    }

    /// Why the mailbox's zone is not the terminal's (`terminal`), or None when they keep
    /// the same clock through the coming year (two names of one zone, `Europe/Berlin`
    /// and `W. Europe Standard Time`, are the same). None too when the mailbox's zone is
    /// unknown: [`MyMailbox::zone`] says so.
    pub fn zone_mismatch(&self, terminal: Tz, now: DateTime<Utc>) -> Option<String> {
        let mine = self.zone?;
        let differs = (0..26).any(|fortnight| {
            let t = now + Duration::days(14 * fortnight);
            offset(mine, t) != offset(terminal, t)
        });
        differs.then(|| {
            format!(
                "the mailbox's zone is {} ({} now), the terminal's {} ({} now)",
                self.zone_name.as_deref().unwrap_or(mine.name()),
                utc_offset(mine, now),
                terminal.name(),
                utc_offset(terminal, now)
            )
        })
    }
}

fn offset(tz: Tz, t: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&t.naive_utc())
        .fix()
        .local_minus_utc()
}

/// `UTC+09:00`, `UTC−05:00`.
pub fn utc_offset(tz: Tz, t: DateTime<Utc>) -> String {
    let secs = offset(tz, t);
    let sign = if secs < 0 { '−' } else { '+' };
    let m = secs.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(zone: &str) -> MailboxSettings {
        MailboxSettings {
            time_zone: Some(zone.into()),
            working_hours: Some(json!({
                "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
                "timeZone": {"@odata.type": "#microsoft.graph.customTimeZone", "bias": -480, "name": "Customized Time Zone"}})),
            date_format: Some("MM/dd/yyyy".into()),
            time_format: Some("hh:mm tt".into()),
        }
    }

    #[test]
    fn the_mailbox_zone_stands_in_for_custom_working_hours() {
        let m = MyMailbox::from_settings(&settings("Pacific Standard Time"));
        assert_eq!(m.zone, Some(chrono_tz::America::Los_Angeles));
        let h = m.working_hours.unwrap();
        assert_eq!(h.zone, Some(chrono_tz::America::Los_Angeles));
        assert_eq!(h.zone_name, "Customized Time Zone");
        assert!(MyMailbox::from_settings(&settings("UTC")).twelve_hour());
    }

    #[test]
    fn a_zone_is_the_terminals_by_its_clock_not_its_name() {
        let now = Utc.with_ymd_and_hms(2031, 1, 6, 12, 0, 0).unwrap();
        let berlin = MyMailbox::from_settings(&settings("W. Europe Standard Time"));
        assert_eq!(berlin.zone_mismatch(chrono_tz::Europe::Berlin, now), None);
        assert_eq!(berlin.zone_mismatch(chrono_tz::Europe::Paris, now), None);
        let pacific = MyMailbox::from_settings(&settings("Pacific Standard Time"));
        assert_eq!(
            pacific
                .zone_mismatch(chrono_tz::Europe::Berlin, now)
                .as_deref(),
            Some(
                "the mailbox's zone is Pacific Standard Time (UTC−08:00 now), the terminal's \
                 Europe/Berlin (UTC+01:00 now)"
            )
        );
        // Same offset in winter, not in summer: still another zone.
        let lagos = MyMailbox::from_settings(&settings("Africa/Lagos"));
        assert!(
            lagos
                .zone_mismatch(chrono_tz::Europe::Berlin, now)
                .is_some()
        );
        let unknown = MyMailbox::from_settings(&settings("Customized Time Zone"));
        assert_eq!(unknown.zone, None);
        assert_eq!(unknown.zone_mismatch(chrono_tz::Europe::Berlin, now), None);
    }
}
