//! What `list`, `show`, `delete` and the My meetings screen share: whether a meeting is
//! this run's account's, and how an entry is named on one line.

use super::{Account, Brief, Entry, State};

/// Whether this run can reach the meeting: the same cloud and the same organizer (`me` or
/// the `--user`). The tenant is not compared: `organizations` and the tenant's id are the
/// same account.
pub(crate) fn same_account(entry: &Account, run: &Account) -> bool {
    entry.cloud == run.cloud && entry.target.eq_ignore_ascii_case(&run.target)
}

/// The refusal when a meeting belongs elsewhere, naming the settings that reach it.
pub(crate) fn other_account(e: &Entry) -> String {
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
