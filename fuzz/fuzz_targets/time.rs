//! The Start and End fields (`meeting::time`), as the form calls them: `parse_start` with
//! the current time, then `parse_end` with that start. Input: 2 bytes pick an IANA zone,
//! 4 bytes the current time (seconds since 1970), the rest is `start` `\n` `end`.
//!
//! Checked beyond "does not panic": an accepted end is after the start and at most
//! MAX_DURATION later; an accepted start, written back as RFC 3339 or as local
//! `YYYY-MM-DD HH:MM`, parses to the same instant (to the minute); a duration written
//! back as `XhYm` parses to itself; the default start is after now.
#![no_main]

use chrono::{DateTime, Duration, Offset, TimeZone, Timelike};
use chrono_tz::{TZ_VARIANTS, Tz};
use libfuzzer_sys::fuzz_target;
use tmeet::meeting::time::{self, TimeError};

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let zone = TZ_VARIANTS[usize::from(u16::from_le_bytes([data[0], data[1]])) % TZ_VARIANTS.len()];
    let secs = u32::from_le_bytes([data[2], data[3], data[4], data[5]]);
    let Ok(text) = std::str::from_utf8(&data[6..]) else {
        return;
    };
    let now = zone.timestamp_opt(i64::from(secs), 0).unwrap();
    let (start_text, end_text) = text.split_once('\n').unwrap_or((text, ""));

    assert!(
        time::next_half_hour(&now) > now,
        "default start not after now"
    );

    if let Some(d) = time::parse_duration(end_text) {
        check_duration(d);
    }

    let start = match time::parse_start(start_text, &now) {
        Ok(start) => start,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    check_written_back(&start, &now);

    match time::parse_end(end_text, &start, &now) {
        Ok(end) => {
            assert!(end > start, "end {end} not after start {start}");
            assert!(
                end - start <= time::MAX_DURATION,
                "{start} to {end} too long"
            );
            let _ = time::describe_range(&start, &end);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

fn check_duration(d: Duration) {
    assert!(
        d > Duration::zero() && d <= time::MAX_DURATION,
        "duration {d}"
    );
    let m = d.num_minutes();
    let again = time::parse_duration(&format!("{}h{}m", m / 60, m % 60));
    // `0h30m` and `1h0m` are fine inputs; a zero part must not make them fail.
    assert_eq!(
        again,
        Some(Duration::minutes(m)),
        "duration {d} does not read back"
    );
}

/// What tmeet shows or prints for a start must be something the field accepts again.
fn check_written_back(start: &DateTime<Tz>, now: &DateTime<Tz>) {
    // RFC 3339 only spans years 0000 to 9999, and its offsets are whole minutes (local
    // mean time before 1900 or so is not: Berlin's was +00:53:28).
    let whole_minutes = start.offset().fix().local_minus_utc() % 60 == 0;
    if whole_minutes && (0..=9999).contains(&chrono::Datelike::year(&start.naive_utc())) {
        let rfc = start.to_rfc3339();
        assert_eq!(
            time::parse_start(&rfc, now).as_ref(),
            Ok(start),
            "{rfc} does not read back"
        );
    }

    let local = start.naive_local();
    let written = local.format("%Y-%m-%d %H:%M").to_string();
    let minute = local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    let again = time::parse_start(&written, now);
    match time::resolve(&start.timezone(), minute) {
        Ok(expected) => assert_eq!(again, Ok(expected), "{written} does not read back"),
        Err(TimeError::Ambiguous { .. }) => assert!(
            matches!(again, Err(TimeError::Ambiguous { .. })),
            "{written} is ambiguous but read back as {again:?}"
        ),
        Err(e) => panic!("{written}: the minute of a valid time does not exist: {e}"),
    }
}
