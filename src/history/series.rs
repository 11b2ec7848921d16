//! A series as the history keeps it (`{"rule", "timeZone", "recurrence", "changes"}` on
//! the row of its first meeting): the meetings its rule gives, less those tmeet cancelled
//! or ended, so that `list`, My meetings and `show` name the next one.

use crate::calendar::recurrence::{self, Occurrence, Series};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

/// The series of a row, read back.
pub(crate) struct Kept {
    /// The rule in words, sanitized.
    pub words: String,
    pub series: Series,
    /// What became of single meetings, oldest first: `(date, what)`.
    pub changes: Vec<(NaiveDate, String)>,
}

impl Kept {
    /// None for a row that does not repeat, or whose rule no longer reads.
    pub(crate) fn of(
        kept: Option<&Value>,
        first_start: Option<DateTime<Utc>>,
        first_end: Option<DateTime<Utc>>,
    ) -> Option<Kept> {
        let kept = kept?;
        let words = kept.get("rule")?.as_str()?;
        let zone: Tz = kept
            .get("timeZone")
            .and_then(Value::as_str)
            .and_then(|z| z.parse().ok())
            .unwrap_or_else(crate::meeting::time::local_zone);
        let rule = recurrence::parse(words).ok()?;
        let series = Series::new(rule, &first_start?, &first_end?, zone).ok()?;
        Some(Kept {
            words: crate::sanitize::line(words),
            series,
            changes: changes(kept),
        })
    }

    /// The series of a history row; None for one that happens once.
    pub(crate) fn of_entry(entry: &super::Entry) -> Option<Kept> {
        Kept::of(entry.series.as_ref(), entry.start, entry.end)
    }

    /// The meetings that end after `now` and still take place by what tmeet did: none
    /// cancelled alone, none from the day the series was ended on.
    pub(crate) fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = Occurrence> + '_ {
        let ended = self
            .changes
            .iter()
            .filter(|(_, w)| w.starts_with("ended"))
            .map(|(d, _)| *d)
            .min();
        self.series
            .occurrences()
            // Daily for thirty years is ~11,000 meetings: a bound, not a limit anyone meets.
            .take(20_000)
            .skip_while(move |o| o.end.with_timezone(&Utc) <= now)
            .take_while(move |o| ended.is_none_or(|e| o.start.date_naive() < e))
            .filter(|o| {
                !self
                    .changes
                    .iter()
                    .any(|(d, w)| *d == o.start.date_naive() && w == "cancelled")
            })
    }

    /// The next meeting's times in UTC, None when none is left.
    pub(crate) fn next(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.upcoming(now)
            .next()
            .map(|o| (o.start.with_timezone(&Utc), o.end.with_timezone(&Utc)))
    }
}

fn changes(kept: &Value) -> Vec<(NaiveDate, String)> {
    kept.get("changes")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| {
                    let date = NaiveDate::parse_from_str(c["date"].as_str()?, "%Y-%m-%d").ok()?;
                    Some((date, c["what"].as_str()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn the_next_meeting_skips_what_was_cancelled_and_stops_where_the_series_ended() {
        let start = Utc.with_ymd_and_hms(2037, 3, 2, 8, 30, 0).unwrap();
        let end = start + chrono::Duration::minutes(15);
        let mut kept = json!({"rule": "weekly on mon for 6", "timeZone": "Europe/Berlin"});
        let k = Kept::of(Some(&kept), Some(start), Some(end)).unwrap();
        let now = Utc.with_ymd_and_hms(2037, 3, 10, 0, 0, 0).unwrap();
        assert_eq!(k.next(now).unwrap().0, start + chrono::Duration::days(14));
        kept["changes"] = json!([{"date": "2037-03-16", "what": "cancelled"},
                                 {"date": "2037-03-30", "what": "ended"}]);
        let k = Kept::of(Some(&kept), Some(start), Some(end)).unwrap();
        let left: Vec<_> = k.upcoming(now).map(|o| o.start.date_naive()).collect();
        assert_eq!(left, [NaiveDate::from_ymd_opt(2037, 3, 23).unwrap()]);
        let later = Utc.with_ymd_and_hms(2037, 3, 24, 0, 0, 0).unwrap();
        assert_eq!(k.next(later), None, "nothing after the end");
        assert!(Kept::of(None, Some(start), Some(end)).is_none());
    }
}
