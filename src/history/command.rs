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

/// "2026-12-01 14:00" in `zone`, or "(no time)".
pub(crate) fn when(e: &impl Brief, zone: &chrono_tz::Tz) -> String {
    e.start()
        .map(|t| t.with_timezone(zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "(no time)".into())
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
