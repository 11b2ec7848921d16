//! My free times to share (`tmeet free --share`, and the form's share key): the stretches
//! of at least a given length within my working hours where my own calendar is free, as
//! one short text in the recipient's zone with the zone named:
//! `Free (CET): Mon 11 Jan 09:00–10:30, 14:00–17:00; Tue 12 Jan 09:00–17:00`.
//!
//! Only my calendar is read, so this serves people whose calendars the service cannot
//! show (outside the organization). Each day is written in the recipient's zone: a day
//! after that zone changes its clocks carries the new name (`Mon 30 Mar (CEST) …`), and a
//! free stretch across the recipient's midnight is written on both of their days.

use super::availability::FreeBusy;
use super::hours::WorkingHours;
use super::zone_input::{city, is_ambiguous_abbreviation};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// An instant span, start before end.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

impl FreeBusy {
    /// The times person `i` is not free (tentative, busy, away, or unknown), merged; each
    /// slot counts whole, so a meeting ending at 10:20 in 15-minute slots holds until 10:30.
    pub fn busy_spans(&self, i: usize) -> Vec<Span> {
        let Some(p) = self.people.get(i) else {
            return Vec::new();
        };
        let mut out: Vec<Span> = Vec::new();
        for (n, slot) in p.slots.iter().enumerate() {
            if slot.is_free() {
                continue;
            }
            let s = self.slot_start(n);
            let e = (s + Duration::minutes(i64::from(self.interval_minutes))).min(self.end);
            match out.last_mut() {
                Some(last) if last.1 >= s => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }
}

/// The stretches of at least `min` within `hours` and inside `window` where no busy span
/// falls, earliest first.
pub fn free_spans(hours: &WorkingHours, busy: &[Span], window: Span, min: Duration) -> Vec<Span> {
    let mut out = Vec::new();
    for (s, e) in hours.spans(window.0, window.1) {
        let mut cursor = s;
        let mut taken: Vec<&Span> = busy.iter().filter(|b| b.0 < e && b.1 > s).collect();
        taken.sort();
        for b in taken {
            if b.0 > cursor {
                out.push((cursor, b.0.min(e)));
            }
            cursor = cursor.max(b.1);
        }
        if cursor < e {
            out.push((cursor, e));
        }
    }
    out.retain(|(s, e)| *e - *s >= min);
    out
}

/// The longest working stretch in the window (how long a slot could be at most).
pub fn longest_working(hours: &WorkingHours, window: Span) -> Option<Duration> {
    hours
        .spans(window.0, window.1)
        .iter()
        .map(|(s, e)| *e - *s)
        .max()
}

/// The zone as the text names it: its abbreviation at `t` (`CET`, `EST`), with the city
/// where the abbreviation alone would not say which zone (`IST, Kolkata`) or the zone has
/// none (`UTC+04, Dubai`).
pub fn zone_label(zone: Tz, t: &DateTime<Utc>) -> String {
    let abbr = t.with_timezone(&zone).format("%Z").to_string();
    let lettered = abbr.chars().all(|c| c.is_ascii_alphabetic());
    if zone == chrono_tz::UTC {
        "UTC".into()
    } else if !lettered && zone.name().starts_with("Etc/") {
        format!("UTC{abbr}")
    } else if !lettered {
        format!("UTC{abbr}, {}", city(zone))
    } else if is_ambiguous_abbreviation(&abbr) {
        format!("{abbr}, {}", city(zone))
    } else {
        abbr
    }
}

/// `09:00` or, on a 12-hour clock, `9:00 AM`; midnight ending a day is `24:00` (`12:00 AM`
/// on a 12-hour clock reads as the start of one, so it is written `midnight`).
fn clock(t: &DateTime<Tz>, twelve_hour: bool, ends_day: bool) -> String {
    match (twelve_hour, ends_day) {
        (false, true) => "24:00".into(),
        (true, true) => "midnight".into(),
        (false, false) => t.format("%H:%M").to_string(),
        (true, false) => t.format("%-I:%M %p").to_string(),
    }
}

/// The text to share: `Free (CET): Mon 11 Jan 09:00–10:30, 14:00–17:00; Tue 12 Jan …`.
/// Empty spans give `Free (CET): nothing`.
pub fn share_text(spans: &[Span], zone: Tz, twelve_hour: bool) -> String {
    let Some(first) = spans.first() else {
        return format!("Free ({}): nothing", zone_label(zone, &Utc::now()));
    };
    let header = zone_label(zone, &first.0);
    // Cut at the recipient's midnights: each piece on its own day.
    let mut days: Vec<(NaiveDate, String, Vec<String>)> = Vec::new();
    for (s, e) in spans {
        let mut from = s.with_timezone(&zone);
        let end = e.with_timezone(&zone);
        while from < end {
            let day = from.date_naive();
            let next_midnight = day
                .succ_opt()
                .map(|d| crate::meeting::time::start_of_day(&zone, d).with_timezone(&zone));
            let (to, ends_day) = match next_midnight {
                Some(m) if m < end => (m, true),
                _ => (end, false),
            };
            let piece = format!(
                "{}–{}",
                clock(&from, twelve_hour, false),
                clock(&to, twelve_hour, ends_day)
            );
            let label = zone_label(zone, &from.with_timezone(&Utc));
            match days.last_mut() {
                Some((d, _, pieces)) if *d == day => pieces.push(piece),
                _ => days.push((day, label, vec![piece])),
            }
            from = to;
        }
    }
    let text: Vec<String> = days
        .iter()
        .map(|(day, label, pieces)| {
            let date = day.format("%a %-d %b");
            if *label == header {
                format!("{date} {}", pieces.join(", "))
            } else {
                format!("{date} ({label}) {}", pieces.join(", "))
            }
        })
        .collect();
    format!("Free ({header}): {}", text.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone, Weekday};

    fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2037, m, d, h, min, 0).unwrap()
    }

    fn berlin_hours() -> WorkingHours {
        WorkingHours {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            zone_name: "W. Europe Standard Time".into(),
            zone: Some(chrono_tz::Europe::Berlin),
        }
    }

    #[test]
    fn free_stretches_skip_the_busy_ones_and_the_short_ones() {
        let h = berlin_hours();
        // Monday 12 January 2037: 08:00–17:00 CET is 07:00–16:00 UTC.
        let busy = [
            (utc(1, 12, 8, 30), utc(1, 12, 9, 0)),
            (utc(1, 12, 9, 0), utc(1, 12, 13, 0)),
        ];
        let window = (utc(1, 12, 0, 0), utc(1, 13, 0, 0));
        let free = free_spans(&h, &busy, window, Duration::minutes(60));
        assert_eq!(
            free,
            vec![
                (utc(1, 12, 7, 0), utc(1, 12, 8, 30)),
                (utc(1, 12, 13, 0), utc(1, 12, 16, 0))
            ]
        );
        let longer = free_spans(&h, &busy, window, Duration::minutes(120));
        assert_eq!(longer, vec![(utc(1, 12, 13, 0), utc(1, 12, 16, 0))]);
        assert_eq!(longest_working(&h, window), Some(Duration::hours(9)));
        assert_eq!(
            share_text(&free, chrono_tz::Europe::Berlin, false),
            "Free (CET): Mon 12 Jan 08:00–09:30, 14:00–17:00"
        );
        assert_eq!(
            share_text(&free, chrono_tz::Europe::Berlin, true),
            "Free (CET): Mon 12 Jan 8:00 AM–9:30 AM, 2:00 PM–5:00 PM"
        );
    }

    #[test]
    fn a_week_across_the_change_of_clocks_names_the_new_zone_on_the_days_after_it() {
        let h = berlin_hours();
        // Thursday 26 March to Tuesday 31 March 2037: Europe moves to summer time on the
        // 29th, New York did on the 8th.
        let window = (utc(3, 26, 0, 0), utc(4, 1, 0, 0));
        let free = free_spans(&h, &[], window, Duration::minutes(30));
        assert_eq!(free.len(), 4, "{free:?}");
        assert_eq!(
            share_text(&free, chrono_tz::Europe::Berlin, false),
            "Free (CET): Thu 26 Mar 08:00–17:00; Fri 27 Mar 08:00–17:00; \
             Mon 30 Mar (CEST) 08:00–17:00; Tue 31 Mar (CEST) 08:00–17:00"
        );
        // In New York the same hours begin an hour earlier after the 29th.
        assert_eq!(
            share_text(&free, chrono_tz::America::New_York, false),
            "Free (EDT): Thu 26 Mar 03:00–12:00; Fri 27 Mar 03:00–12:00; \
             Mon 30 Mar 02:00–11:00; Tue 31 Mar 02:00–11:00"
        );
    }

    #[test]
    fn a_stretch_across_the_recipients_midnight_is_on_both_days() {
        let h = berlin_hours();
        let window = (utc(1, 12, 0, 0), utc(1, 13, 0, 0));
        let free = free_spans(&h, &[], window, Duration::minutes(30));
        // 08:00–17:00 CET is 16:00–01:00 in Tokyo.
        assert_eq!(
            share_text(&free, chrono_tz::Asia::Tokyo, false),
            "Free (JST): Mon 12 Jan 16:00–24:00; Tue 13 Jan 00:00–01:00"
        );
        assert_eq!(
            share_text(&[], chrono_tz::UTC, false),
            "Free (UTC): nothing"
        );
    }

    #[test]
    fn zones_are_named_so_a_reader_knows_which() {
        let t = utc(1, 12, 12, 0);
        assert_eq!(zone_label(chrono_tz::Europe::Berlin, &t), "CET");
        assert_eq!(zone_label(chrono_tz::Asia::Kolkata, &t), "IST, Kolkata");
        assert_eq!(zone_label(chrono_tz::Asia::Dubai, &t), "UTC+04, Dubai");
        assert_eq!(zone_label(chrono_tz::UTC, &t), "UTC");
        assert_eq!(zone_label(chrono_tz::Etc::GMTMinus2, &t), "UTC+02");
    }

    #[test]
    fn busy_spans_come_from_the_slots_merged() {
        use super::super::availability::{Availability, PersonSchedule};
        let start = utc(1, 12, 8, 0);
        let fb = FreeBusy {
            start,
            end: start + Duration::hours(2),
            interval_minutes: 30,
            people: vec![PersonSchedule {
                who: "me@contoso.com".into(),
                slots: vec![
                    Availability::Busy,
                    Availability::Tentative,
                    Availability::Free,
                    Availability::Unknown,
                ],
                error: None,
                working_hours: None,
            }],
        };
        assert_eq!(
            fb.busy_spans(0),
            vec![
                (start, start + Duration::hours(1)),
                (start + Duration::minutes(90), start + Duration::hours(2))
            ]
        );
        assert!(fb.busy_spans(1).is_empty());
    }
}
