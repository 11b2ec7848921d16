//! What the one-shot commands share besides standard output (`output`): the demo banner,
//! the warnings an [`Auth`] collected, how a time is shown. The setup itself is
//! `crate::bootstrap`.

use super::output::warn_line;
use crate::auth::Auth;
use chrono::{DateTime, Utc};

pub(crate) const DEMO_BANNER: &str = "DEMO: signing in to the built-in emulator; no account is used and nothing leaves this machine.";

pub(crate) fn print_warnings(auth: &Auth) {
    for w in auth.take_warnings() {
        warn_line(&format!("warning: {w}"));
    }
}

/// "2026-11-27 19:04 +01:00".
pub(crate) fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}
