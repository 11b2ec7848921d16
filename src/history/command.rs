//! What `list`, `show`, `delete` and the My meetings screen share: whether a meeting is
//! this run's account's, and how an entry is named on one line.

use super::{Account, Brief, Entry, State};

/// Whether this run can reach the meeting: the same cloud and the same organizer (`me` or
/// the `--user`), and, where both are known, the same signed-in account. The tenant is not
/// compared: `organizations` and the tenant's id are the same account. Another account's
/// meeting can only answer 404 ("Organizer Id mismatch", GRAPH-REAL.md Q16).
pub(crate) fn same_account(entry: &Account, run: &Account) -> bool {
    entry.cloud == run.cloud
        && entry.target.eq_ignore_ascii_case(&run.target)
        && match (&entry.upn, &run.upn) {
            (Some(made), Some(now)) => made.trim().eq_ignore_ascii_case(now.trim()),
            _ => true,
        }
}

/// The refusal when a meeting belongs elsewhere, naming the settings or the sign-in that
/// reach it.
pub(crate) fn other_account(e: &Entry, run: &Account) -> String {
    if e.account.cloud == run.cloud && e.account.target.eq_ignore_ascii_case(&run.target) {
        let made = crate::sanitize::line(e.account.upn.as_deref().unwrap_or("another account"));
        let now = crate::sanitize::line(run.upn.as_deref().unwrap_or("another account"));
        return format!(
            "ref {} was made with {made}; you are signed in as {now}: sign in as {made} to \
             change it (tmeet logout, then tmeet login)",
            e.id
        );
    }
    let user = if e.account.target == "me" {
        String::new()
    } else {
        format!(" --user {}", e.account.target)
    };
    format!(
        "ref {} was created in cloud {} for {}; run with --cloud {}{user}",
        e.id,
        e.account.cloud,
        if user.is_empty() {
            "the signed-in user".to_string()
        } else {
            format!("user {}", e.account.target)
        },
        e.account.cloud
    )
}

/// "2026-12-01 14:00" in `zone`, or "(no time)". Written field by field: `list` prints
/// one per row, and a format string would be parsed again for each.
pub(crate) fn when(e: &impl Brief, zone: &chrono_tz::Tz) -> String {
    use chrono::{Datelike, Timelike};
    match e.start() {
        Some(t) => {
            let t = t.with_timezone(zone);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        None => "(no time)".into(),
    }
}

/// The state shown before the subject: nothing for an active meeting.
pub(crate) fn mark(e: &impl Brief) -> &'static str {
    match e.state() {
        State::Active => "",
        State::Deleted => "[deleted] ",
        State::Changed => "[changed elsewhere] ",
    }
}

/// The subject, safe for the terminal.
pub(crate) fn subject(e: &impl Brief) -> String {
    e.subject()
        .map(crate::sanitize::line)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "(no subject)".into())
}

/// The subject as a listing shows it: a series with its rule after it, so that it reads
/// as every meeting it stands for (`Stand-up · weekly on mon`).
pub(crate) fn subject_line(e: &super::Summary) -> String {
    match &e.repeats {
        Some(r) => format!("{} · {}", subject(e), r.words),
        None => subject(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Kind, Summary};
    use chrono::{DateTime, Duration, Utc};

    fn at(start: Option<DateTime<Utc>>) -> Summary {
        Summary {
            id: 1,
            kind: Kind::Standalone,
            state: State::Active,
            subject: None,
            start,
            end: None,
            account: None,
            event_id: None,
            repeats: None,
        }
    }

    #[test]
    fn when_reads_as_the_format_string_did_across_a_change_of_the_clocks() {
        let zone = chrono_tz::Europe::Berlin;
        // Every 7 minutes through the night the clocks go back, and a first-century date.
        let night = "2026-10-24T20:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let times = (0..200)
            .map(|i| night + Duration::minutes(7 * i))
            .chain(["0099-03-04T05:06:00Z".parse().unwrap()]);
        for t in times {
            let want = t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
            assert_eq!(when(&at(Some(t)), &zone), want);
        }
        assert_eq!(when(&at(None), &zone), "(no time)");
    }
}
