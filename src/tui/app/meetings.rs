//! The My meetings screen's state and its part of `update`: the meetings of the local
//! history, one selected; Enter opens it in the result pane, `e` edits it in the form,
//! `D` deletes it after a y/N, `R` asks Graph about each. Pure like the rest of `app`:
//! reading the history and talking to Graph are [`MeetingsJob`]s the worker carries out.

use super::{Action, Effect, Intent, Model, Screen, StatusKind};
use crate::meeting::MeetingRequest;
use crate::tui::form_state::Field;
use crate::tui::keymap::{Scope, key_for};
use crate::tui::view::ResultView;
use chrono::{DateTime, Utc};

/// One row of the list, already made safe for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    /// The short ref (`tmeet list`'s REF).
    pub id: i64,
    pub subject: String,
    /// Local start, `2026-12-01 14:00`.
    pub when: String,
    pub kind: &'static str,
    /// `[deleted] `, `[changed elsewhere] ` or nothing.
    pub mark: &'static str,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// What the screen is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Loading,
    Refreshing,
    Opening,
    Deleting,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingsView {
    pub rows: Vec<MeetingRow>,
    pub selected: usize,
    pub busy: Option<Busy>,
    /// The job whose answer the screen waits for; others are stale.
    pub job: Option<u64>,
    /// The ref waiting for y/N before it is deleted.
    pub confirm_delete: Option<i64>,
    /// Why there is no list (the history is off or unreadable).
    pub error: Option<String>,
    /// How the meeting in the result pane got there, for its heading.
    pub shown: Shown,
}

/// What put the meeting in the result pane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shown {
    #[default]
    Created,
    /// Opened from My meetings.
    Opened,
    /// Edited in the form and saved.
    Updated,
    /// A calendar create made an event without a Teams link.
    WithoutLink,
}

impl MeetingsView {
    pub fn selected_row(&self) -> Option<&MeetingRow> {
        self.rows.get(self.selected)
    }
}

/// The meeting the form edits: Ctrl+S sends a PATCH to it instead of creating one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    pub id: i64,
    pub subject: String,
}

/// Work for the worker: the history and Graph.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingsJob {
    /// Read the upcoming meetings of the history.
    Load { job: u64 },
    /// GET each upcoming meeting, mark the deleted and changed ones, then read.
    Refresh { job: u64 },
    /// The meeting for the result pane: GET when signed in, else the history's copy.
    Open { job: u64, id: i64 },
    /// DELETE at the service (already gone counts as done), then read.
    Delete { job: u64, id: i64 },
    /// PATCH subject and times; the answer comes back as [`MeetingsAction::Updated`] or a
    /// create's [`Action::Failed`].
    Update {
        job: u64,
        id: i64,
        request: MeetingRequest,
    },
}

/// What the worker found.
#[derive(Debug, Clone)]
pub enum MeetingsAction {
    Loaded {
        job: u64,
        rows: Vec<MeetingRow>,
        /// Said on the status line (what a refresh found, a delete's outcome).
        note: Option<String>,
    },
    Opened {
        job: u64,
        result: Box<ResultView>,
        /// Why the pane shows the history's copy rather than the service's (no passcode).
        note: Option<String>,
    },
    Updated {
        job: u64,
        result: Box<ResultView>,
    },
    Failed {
        job: u64,
        error: String,
    },
    /// The history cannot be had at all (off, unreadable): the screen says why.
    Unavailable {
        job: u64,
        why: String,
    },
    /// A meeting was created but could not be recorded: the meeting still stands.
    NotRecorded(String),
}

fn next_job(m: &mut Model) -> u64 {
    let job = m.next_job;
    m.next_job += 1;
    job
}

/// From the form or the result pane: the list, read afresh.
pub(super) fn open(m: &mut Model) -> Vec<Effect> {
    m.screen = Screen::Meetings;
    m.show_qr = false;
    m.status = None;
    // An edit left this way is abandoned: the next Ctrl+S creates again.
    m.editing = None;
    load(m, Busy::Loading)
}

fn load(m: &mut Model, busy: Busy) -> Vec<Effect> {
    let job = next_job(m);
    m.meetings.job = Some(job);
    m.meetings.busy = Some(busy);
    vec![Effect::Meetings(match busy {
        Busy::Refreshing => MeetingsJob::Refresh { job },
        _ => MeetingsJob::Load { job },
    })]
}

pub(super) fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if let Some(id) = m.meetings.confirm_delete.take() {
        if intent != Intent::Confirm {
            m.set_status(StatusKind::Info, "Nothing deleted.");
            return vec![];
        }
        let job = next_job(m);
        m.meetings.job = Some(job);
        m.meetings.busy = Some(Busy::Deleting);
        m.status = None;
        return vec![Effect::Meetings(MeetingsJob::Delete { job, id })];
    }
    let v = &mut m.meetings;
    match intent {
        Intent::Back | Intent::MyMeetings => {
            m.screen = Screen::Form;
            m.status = None;
            vec![]
        }
        Intent::ScrollDown => {
            v.selected = (v.selected + 1).min(v.rows.len().saturating_sub(1));
            vec![]
        }
        Intent::ScrollUp => {
            v.selected = v.selected.saturating_sub(1);
            vec![]
        }
        Intent::PageDown => {
            let page = usize::from(m.size.1.saturating_sub(super::CHROME_ROWS + 1).max(1));
            v.selected = (v.selected + page).min(v.rows.len().saturating_sub(1));
            vec![]
        }
        Intent::PageUp => {
            let page = usize::from(m.size.1.saturating_sub(super::CHROME_ROWS + 1).max(1));
            v.selected = v.selected.saturating_sub(page);
            vec![]
        }
        // While the worker is at it, another job would only race the first.
        _ if v.busy.is_some() => vec![],
        Intent::Refresh => load(m, Busy::Refreshing),
        Intent::Activate => {
            let Some(id) = v.selected_row().map(|r| r.id) else {
                return vec![];
            };
            let job = next_job(m);
            m.meetings.job = Some(job);
            m.meetings.busy = Some(Busy::Opening);
            vec![Effect::Meetings(MeetingsJob::Open { job, id })]
        }
        Intent::Delete => {
            let Some(row) = v.selected_row().cloned() else {
                return vec![];
            };
            if row.mark == DELETED {
                m.set_status(StatusKind::Info, "This meeting is already deleted.");
                return vec![];
            }
            m.meetings.confirm_delete = Some(row.id);
            // The status line shows the question while `confirm_delete` is set.
            m.status = None;
            vec![]
        }
        Intent::Edit => {
            let Some(row) = v.selected_row().cloned() else {
                return vec![];
            };
            edit(m, &row);
            vec![]
        }
        _ => vec![],
    }
}

/// The y/N question on the status line while a delete waits for it.
pub fn delete_question(m: &Model) -> Option<String> {
    let id = m.meetings.confirm_delete?;
    let subject = m
        .meetings
        .rows
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.subject.as_str())
        .unwrap_or("this meeting");
    // The answer keys first: on a narrow terminal the subject is what gets cut.
    Some(format!(
        "Delete? {}/N · \"{subject}\" at the service; it cannot be undone.",
        key_for(Scope::ConfirmDelete, Intent::Confirm)
    ))
}

const DELETED: &str = "[deleted] ";

/// The form, filled with the meeting: Ctrl+S then sends a PATCH.
fn edit(m: &mut Model, row: &MeetingRow) {
    if row.mark == DELETED {
        m.set_status(
            StatusKind::Info,
            "This meeting is deleted; there is nothing to edit.",
        );
        return;
    }
    if row.kind == crate::history::Kind::Event.as_str() {
        // The form's edit is a PATCH of the online meeting, which the event (and the
        // invitations) would not follow (GRAPH-SCHEDULING.md §3.7).
        m.set_status(
            StatusKind::Info,
            "A calendar meeting is changed in Outlook, so that its attendees get the update; tmeet edits standalone meetings.",
        );
        return;
    }
    let zone = m.zone();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let f = &mut m.form;
    f.subject = tui_input::Input::new(row.subject.clone());
    if let Some(s) = row.start {
        f.start = tui_input::Input::new(local(s));
    }
    if let Some(e) = row.end {
        f.end = tui_input::Input::new(local(e));
    }
    // Touched: the clock must not move an edited meeting's start.
    for field in [Field::Subject, Field::Start, Field::End] {
        f.touch(field);
    }
    f.focus = Field::Subject;
    f.submit_attempted = false;
    m.editing = Some(Editing {
        id: row.id,
        subject: row.subject.clone(),
    });
    m.error = None;
    m.screen = Screen::Form;
    m.set_status(
        StatusKind::Info,
        format!(
            "Editing: {} saves subject and times at the service; {} cancels.",
            key_for(Scope::Form, Intent::Submit),
            key_for(Scope::Form, Intent::Back)
        ),
    );
}

pub(super) fn on_action(m: &mut Model, action: MeetingsAction) -> Vec<Effect> {
    let current = |m: &Model, job: u64| m.meetings.job == Some(job);
    match action {
        MeetingsAction::Loaded { job, rows, note } => {
            if !current(m, job) {
                return vec![];
            }
            let v = &mut m.meetings;
            v.job = None;
            v.busy = None;
            v.error = None;
            v.rows = rows;
            v.selected = v.selected.min(v.rows.len().saturating_sub(1));
            if let Some(n) = note {
                m.set_status(StatusKind::Success, n);
            }
            vec![]
        }
        MeetingsAction::Opened { job, result, note } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            m.result = Some(*result);
            m.result_scroll = 0;
            m.show_qr = false;
            m.screen = Screen::Result;
            m.meetings.shown = Shown::Opened;
            match note {
                Some(n) => m.set_status(StatusKind::Info, n),
                None => m.set_status(
                    StatusKind::Success,
                    format!(
                        "From My meetings. {} copies the join link.",
                        key_for(
                            Scope::Result,
                            Intent::Copy(crate::tui::view::CopyItem::JoinUrl)
                        )
                    ),
                ),
            }
            vec![]
        }
        MeetingsAction::Updated { job, result } => {
            if m.job.as_ref().is_none_or(|j| j.id != job) {
                return vec![];
            }
            let effects = super::update(m, Action::Created { job, result });
            m.editing = None;
            m.meetings.shown = Shown::Updated;
            m.set_status(
                StatusKind::Success,
                "Changes saved at the service and in My meetings.",
            );
            effects
        }
        MeetingsAction::Failed { job, error } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            m.set_status(StatusKind::Error, error);
            vec![]
        }
        MeetingsAction::Unavailable { job, why } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            m.meetings.rows.clear();
            m.meetings.error = Some(why);
            vec![]
        }
        MeetingsAction::NotRecorded(why) => {
            m.set_status(
                StatusKind::Error,
                format!("Meeting created, but not added to My meetings: {why}"),
            );
            vec![]
        }
    }
}

/// Ctrl+S in the form while editing: the PATCH instead of a create.
pub(super) fn update_effect(m: &Model, job: u64, request: MeetingRequest) -> Option<Effect> {
    let e = m.editing.as_ref()?;
    Some(Effect::Meetings(MeetingsJob::Update {
        job,
        id: e.id,
        request,
    }))
}
