//! Answers that more than one kind of worker job sends: the wait while Graph throttles,
//! and a permission the sign-in lacks.

use super::app::Action;
use crate::graph::client::Wait;
use tokio::sync::mpsc::UnboundedSender;

/// Each wait of a create's retry policy, told to the screen (a countdown, not a freeze).
pub(super) fn waiting(job: u64, out: UnboundedSender<Action>) -> impl Fn(Wait) + Send + Sync {
    move |w: Wait| {
        let _ = out.send(Action::Waiting {
            job,
            status: w.status,
            attempt: w.attempt,
            delay_ms: u64::try_from(w.delay.as_millis()).unwrap_or(u64::MAX),
        });
    }
}

/// Attendees need the directory permission the sign-in lacks.
pub(super) fn consent_needed(job: u64) -> Action {
    Action::ConsentNeeded {
        job,
        feature: crate::permissions::Feature::Attendees,
    }
}
