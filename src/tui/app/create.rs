//! The form's create (or an edit's save) in flight and its outcome: the spinner and a
//! 429/503 wait, what makes two creates the same meeting, and the question before a
//! possible duplicate.

use super::{
    Action, Effect, Intent, Model, Overlay, Relogin, Screen, StatusKind, calendar, meetings,
};
use crate::meeting::MeetingRequest;
use crate::sanitize;
use crate::tui::form_state::{Field, FormState};
use crate::tui::keymap::{Scope, key_for};
use crate::tui::view::{CopyItem, ErrorView, ResultView};
use chrono::{DateTime, FixedOffset};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitView {
    pub status: u16,
    pub attempt: u32,
    pub until_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: u64,
    pub started_ms: u64,
    pub wait: Option<WaitView>,
    /// Which meeting the job creates, for the question should its outcome stay unknown.
    pub meeting: SameMeeting,
    /// A calendar event (its transaction id makes a retry safe) rather than a link.
    pub event: bool,
}

/// What makes two creates "the same meeting", for the question before a possible duplicate.
///
/// The rule: the same subject (as sent) and the same times, where a time is the same when
/// it was typed the same (`+15m` or `now` move with the clock yet mean "the same as last
/// time") or resolves to the same instant (`14:00` then `2pm`). Passcode and language do
/// not make another meeting: the first one still exists with the old setting. A new subject
/// or a new time is a different meeting, and creating it needs no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameMeeting {
    subject: String,
    typed: (String, String),
    resolved: (DateTime<FixedOffset>, DateTime<FixedOffset>),
}

impl SameMeeting {
    pub(super) fn of(form: &FormState, request: &MeetingRequest) -> Self {
        Self {
            subject: request.subject().to_string(),
            typed: (
                form.start.value().trim().to_string(),
                form.end.value().trim().to_string(),
            ),
            resolved: (request.start(), request.end()),
        }
    }

    pub(super) fn matches(&self, other: &SameMeeting) -> bool {
        self.subject == other.subject
            && (self.typed == other.typed || self.resolved == other.resolved)
    }
}

/// A create that may or may not have made its meeting: no answer, an unreadable answer, or
/// cancelled while the request could already have reached the service.
/// (The error pane keeps showing its client-request-id while the question is asked.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsure {
    pub meeting: SameMeeting,
    /// A calendar event (found on the calendar) rather than a standalone link.
    pub event: bool,
}

/// Where an event that may exist would be found.
pub(super) fn look_for_event(meeting: &SameMeeting) -> String {
    format!(
        "Look for \"{}\" in your calendar before creating it again",
        sanitize::line(&meeting.subject)
    )
}

/// Where a standalone meeting that may exist would be found: nowhere tmeet can look.
pub(super) fn look_for_meeting(meeting: &SameMeeting) -> String {
    format!(
        "\"{}\" is on no calendar and tmeet has no link to it; nobody can join it without one",
        sanitize::line(&meeting.subject)
    )
}

/// Ctrl+S on the form of an [`Unsure`] create: the request waits for `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub request: MeetingRequest,
    pub meeting: SameMeeting,
}

/// The question, on the status line and in tests. (N: every key but yes answers no.)
pub fn confirm_question() -> String {
    format!(
        "The first one may exist. Create another? {}/N",
        key_for(Scope::Confirm, Intent::Confirm)
    )
}

/// What the status line says after any create whose outcome is unknown, so that a lost
/// answer, an unreadable one and a cancel all read the same.
pub(super) fn may_exist() -> String {
    format!(
        "The meeting may have been created. {} asks before creating it again.",
        key_for(Scope::Form, Intent::Submit)
    )
}

pub(super) fn start_job(
    m: &mut Model,
    request: MeetingRequest,
    meeting: SameMeeting,
) -> Vec<Effect> {
    let id = new_job(m, meeting);
    vec![Effect::Create { job: id, request }]
}

/// A create or an edit's save in flight: its spinner, its id.
pub(super) fn new_job(m: &mut Model, meeting: SameMeeting) -> u64 {
    let id = m.next_job;
    m.next_job += 1;
    m.error = None;
    m.status = None;
    m.open(Overlay::InFlight(Job {
        id,
        started_ms: m.ms,
        wait: None,
        meeting,
        event: false,
    }));
    id
}

/// The job of an edit's save.
pub(super) fn begin_job(m: &mut Model, edited: &crate::services::online_meeting::Edited) -> u64 {
    let meeting = SameMeeting {
        subject: edited.subject.clone(),
        typed: (
            m.form.start.value().trim().to_string(),
            m.form.end.value().trim().to_string(),
        ),
        resolved: (edited.start, edited.end),
    };
    new_job(m, meeting)
}

pub(super) fn waiting(
    m: &mut Model,
    job: u64,
    status: u16,
    attempt: u32,
    delay_ms: u64,
) -> Vec<Effect> {
    let until_ms = m.ms + delay_ms;
    if let Some(j) = m.job_mut().filter(|j| j.id == job) {
        j.wait = Some(WaitView {
            status,
            attempt,
            until_ms,
        });
    }
    vec![]
}

pub(super) fn created(m: &mut Model, job: u64, result: Box<ResultView>) -> Vec<Effect> {
    if m.job().is_none_or(|j| j.id != job) {
        return vec![]; // stale: cancelled or superseded
    }
    // The job, and the QR code or the suggestions should either be open, all close.
    m.open(Overlay::None);
    m.error = None;
    // Whatever the earlier request did, this form has its meeting now.
    m.unsure = None;
    m.result = Some(*result);
    m.result_scroll = 0;
    m.screen = Screen::Result;
    m.calendar.outcome = None;
    m.meetings.shown = meetings::Shown::Created;
    m.set_status(
        StatusKind::Success,
        format!(
            "Meeting created. Press {} to copy the join link.",
            key_for(Scope::Result, Intent::Copy(CopyItem::JoinUrl))
        ),
    );
    vec![]
}

pub(super) fn failed(m: &mut Model, job: u64, error: ErrorView) -> Vec<Effect> {
    let Some(done) = m.take_job(|j| j.id == job) else {
        return vec![];
    };
    // Next to the error, where Enter tries again.
    m.form.focus = Field::Create;
    if error.maybe_created && m.editing.is_some() {
        // A PATCH sent again does no harm, but the person should look first.
        m.set_status(
            StatusKind::Error,
            format!(
                "The changes may have been saved: the answer was lost. {} lists your meetings, to open this one as the service has it; {} sends the changes again.",
                key_for(Scope::Form, Intent::MyMeetings),
                key_for(Scope::Form, Intent::Submit)
            ),
        );
    } else if error.maybe_created {
        let event = done.event;
        m.unsure = Some(Unsure {
            meeting: done.meeting,
            event,
        });
        m.set_status(
            StatusKind::Error,
            if event {
                calendar::may_exist()
            } else {
                may_exist()
            },
        );
    } else if m.editing.is_some() {
        m.set_status(
            StatusKind::Error,
            format!(
                "The changes were not saved; your input is kept. Fix and press {}.",
                key_for(Scope::Form, Intent::Submit)
            ),
        );
    } else {
        // A certain failure leaves an earlier unsure create as unsure as it was.
        m.set_status(
            StatusKind::Error,
            format!(
                "The meeting was not created; your input is kept. Fix and press {}.",
                key_for(Scope::Form, Intent::Submit)
            ),
        );
    }
    m.error = Some(error);
    vec![]
}

pub(super) fn sign_in_lost(m: &mut Model, job: u64, mut error: ErrorView) -> Vec<Effect> {
    if m.job().is_none_or(|j| j.id != job) {
        return vec![];
    }
    error.hint = Some(format!(
        "press {} to sign in again here; the form keeps your input",
        key_for(Scope::Form, Intent::Submit)
    ));
    let effects = super::update(m, Action::Failed { job, error });
    m.relogin = Relogin::Offered;
    m.set_status(
        StatusKind::Error,
        format!(
            "The sign-in is no longer accepted. Press {} to sign in again here; your \
             input is kept.",
            key_for(Scope::Form, Intent::Submit)
        ),
    );
    effects
}

pub(super) fn consent_needed(
    m: &mut Model,
    job: u64,
    feature: crate::permissions::Feature,
) -> Vec<Effect> {
    if m.job().is_none_or(|j| j.id != job) {
        return vec![];
    }
    let reason = format!(
        "tmeet needs permission to {} ({})",
        feature.why(),
        feature.scope()
    );
    let error = ErrorView::other("Permission needed", &reason, None);
    let effects = super::update(m, Action::Failed { job, error });
    m.relogin = Relogin::Offered;
    m.set_status(
        StatusKind::Error,
        format!(
            "{reason}. Press {} to sign in again here and grant it; your input is kept.",
            key_for(Scope::Form, Intent::Submit)
        ),
    );
    effects
}
