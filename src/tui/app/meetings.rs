//! The My meetings screen's state and its part of `update`: the meetings of the local
//! history, one selected; Enter opens it in the result pane, `e` edits it in the form,
//! `D` deletes it after a y/N, `R` asks Graph about each. Pure like the rest of `app`:
//! reading the history and talking to Graph are [`MeetingsJob`]s the worker carries out.

use super::{Action, Effect, Intent, Model, Overlay, Screen, StatusKind};
use crate::meeting::options::SPECS;
use crate::services::calendar::EventChange;
use crate::services::event_edit::{EventWanted, EventWas};
use crate::services::online_meeting::{Change, Edited, Existing};
use crate::tui::form_state::{Checked, Field, FormState, Mode};
use crate::tui::keymap::{Scope, SeriesPart, key_for};
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
    /// Who answered a calendar meeting, as the agenda's cache last saw it: `3/5 accepted`.
    pub answers: Option<String>,
    /// A series: the day of its next meeting, which the row stands for (`Mon 9 Mar`).
    pub next_of_series: Option<String>,
}

/// What the screen is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Loading,
    Refreshing,
    Opening,
    /// Reading the meeting to edit.
    Reading,
    Deleting,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingsView {
    pub rows: Vec<MeetingRow>,
    pub selected: usize,
    pub busy: Option<Busy>,
    /// The job whose answer the screen waits for; others are stale.
    pub job: Option<u64>,
    /// Why there is no list (the history is off or unreadable).
    pub error: Option<String>,
    /// How the meeting in the result pane got there, for its heading.
    pub shown: Shown,
    /// A sign-in to grant a permission was asked for here: it comes back here.
    pub granting: bool,
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
    /// Opened from the Agenda.
    Agenda,
}

impl MeetingsView {
    pub fn selected_row(&self) -> Option<&MeetingRow> {
        self.rows.get(self.selected)
    }
}

/// The meeting the form edits: Ctrl+S sends a PATCH to it instead of creating one.
#[derive(Debug, Clone)]
pub struct Editing {
    pub id: i64,
    pub subject: String,
    /// The meeting as the service had it when the edit opened: Ctrl+S sends what differs.
    /// Of a calendar meeting, its subject, times and options.
    pub was: Box<Existing>,
    /// A calendar meeting: the event as it was (invitees, invitation fields). Ctrl+S
    /// sends what differs through the same update as `tmeet update`.
    pub event: Option<Box<EventWas>>,
    /// Of a series: which of its meetings the edit is for.
    pub series: Option<SeriesEdit>,
    /// The form as it was before the edit, given back when the edit ends.
    pub kept: Box<FormState>,
}

/// Which meetings of a series an edit is for: the next one (on `date`), it and every one
/// after, or all of them; `words` is the series' rule, shown in Repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesEdit {
    pub part: SeriesPart,
    pub date: chrono::NaiveDate,
    pub words: String,
}

impl SeriesEdit {
    /// "the meeting of Mon 9 Mar", "the meetings from Mon 9 Mar on", "every meeting".
    pub fn which(&self) -> String {
        let day = self.date.format("%a %-d %b");
        match self.part {
            SeriesPart::Next => format!("the meeting of {day}"),
            SeriesPart::FromNext => format!("the meetings from {day} on"),
            SeriesPart::All => "every meeting of the series".to_string(),
        }
    }
}

impl Editing {
    /// Why `field` cannot change in this edit (the service sets it once, at creation, or
    /// the edit does not send it), or None when it can.
    pub fn fixed(&self, field: Field) -> Option<&'static str> {
        match (field, self.event.is_some()) {
            (Field::Passcode, _) => Some(
                "the passcode is set when the meeting is created; the service cannot change it afterwards",
            ),
            (Field::Language, _) => Some(
                "the invitation's language is chosen when the meeting is created; an edit keeps it",
            ),
            (Field::Mode, false) => Some("a standalone meeting cannot become a calendar meeting"),
            (Field::Mode, true) => Some("a calendar meeting cannot become a standalone meeting"),
            (Field::Message | Field::Location, true) => Some(
                "an edit changes the subject, times, invitees, invitation fields and options; the message and the place are changed in Outlook",
            ),
            (Field::Repeats, true) if self.series.is_some() => Some(
                "a series keeps its rule; another rule is a new series (tmeet create --calendar --repeat)",
            ),
            (Field::Repeats, true) => Some(
                "a meeting that happens once stays so; a series is made with tmeet create --calendar --repeat",
            ),
            _ => None,
        }
    }
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
    /// DELETE at the service (already gone counts as done), then read; of a series, the
    /// part asked for (the whole series is `All`, as any other meeting).
    Delete { job: u64, id: i64, part: SeriesPart },
    /// GET the meeting (of a calendar meeting, its event and the meeting behind it; of a
    /// series, the part asked for), so that the form's edit starts from what the service
    /// has.
    Edit { job: u64, id: i64, part: SeriesPart },
    /// The edit's PATCH, through the same update as `tmeet update`; the answer comes back
    /// as [`MeetingsAction::Updated`] or a create's [`Action::Failed`].
    Update { job: u64, id: i64, change: Change },
    /// A calendar meeting's edit, through the same update as `tmeet update REF`: the
    /// invitees are told by the service.
    UpdateEvent {
        job: u64,
        id: i64,
        change: Box<EventChange>,
        series: Option<SeriesEdit>,
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
    /// The meeting to edit, as the service has it.
    EditReady {
        job: u64,
        id: i64,
        was: Box<Existing>,
    },
    /// The calendar meeting to edit, as the service has it.
    EventEditReady {
        job: u64,
        id: i64,
        was: Box<EventWas>,
        series: Option<SeriesEdit>,
    },
    Updated {
        job: u64,
        result: Box<ResultView>,
        /// What the PATCH sent, in words.
        saved: String,
        /// Said after: the history could not follow.
        note: Option<String>,
        /// What the service answered, when its answer said the change failed and reading
        /// the meeting back showed it saved.
        warning: Option<String>,
    },
    Failed {
        job: u64,
        error: String,
    },
    /// The sign-in lacks the permission the job needs; nothing was changed.
    NeedsPermission {
        job: u64,
        feature: crate::permissions::Feature,
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
    m.close_if(|o| matches!(o, Overlay::Qr));
    m.status = None;
    // An edit left this way is abandoned: the form is given back as it was.
    end_edit(m);
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
    if let Some(Overlay::EditSeries(id)) = m.close_if(|o| matches!(o, Overlay::EditSeries(_))) {
        let Intent::EditPart(part) = intent else {
            m.set_status(StatusKind::Info, "Nothing edited.");
            return vec![];
        };
        return read_for_edit(m, id, part);
    }
    if let Some(overlay) =
        m.close_if(|o| matches!(o, Overlay::ConfirmDelete(_) | Overlay::ConfirmSeries(_)))
    {
        let (id, part) = match (overlay, intent) {
            (Overlay::ConfirmDelete(id), Intent::Confirm) => (id, SeriesPart::All),
            (Overlay::ConfirmSeries(id), Intent::DeletePart(part)) => (id, part),
            (Overlay::ConfirmSeries(_), _) => {
                m.set_status(StatusKind::Info, "Nothing cancelled.");
                return vec![];
            }
            _ => {
                m.set_status(StatusKind::Info, "Nothing deleted.");
                return vec![];
            }
        };
        let job = next_job(m);
        m.meetings.job = Some(job);
        m.meetings.busy = Some(Busy::Deleting);
        m.status = None;
        return vec![Effect::Meetings(MeetingsJob::Delete { job, id, part })];
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
        Intent::Grant => super::calendar::grant(m),
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
            m.open(if row.next_of_series.is_some() {
                Overlay::ConfirmSeries(row.id)
            } else {
                Overlay::ConfirmDelete(row.id)
            });
            // The status line shows the question while it is open.
            m.status = None;
            vec![]
        }
        Intent::Edit => {
            let Some(row) = v.selected_row().cloned() else {
                return vec![];
            };
            edit(m, &row)
        }
        _ => vec![],
    }
}

/// The question on the status line while a delete (y/N) or a series' edit (which
/// meetings) waits for it.
pub fn delete_question(m: &Model) -> Option<String> {
    if let Overlay::EditSeries(id) = m.overlay.base() {
        let row = m.meetings.rows.iter().find(|r| r.id == *id)?;
        let next = row.next_of_series.as_deref().unwrap_or("the next meeting");
        let key = |p| key_for(Scope::EditSeries, Intent::EditPart(p));
        return Some(format!(
            "Edit {}: {next} only · {}: from {next} on (a new series) · {}: all · {}: none · \"{}\"",
            key(SeriesPart::Next),
            key(SeriesPart::FromNext),
            key(SeriesPart::All),
            key_for(Scope::EditSeries, Intent::Back),
            row.subject
        ));
    }
    let id = m.confirm_delete()?;
    let row = m.meetings.rows.iter().find(|r| r.id == id);
    let subject = row.map(|r| r.subject.as_str()).unwrap_or("this meeting");
    if let (Overlay::ConfirmSeries(_), Some(next)) = (
        m.overlay.base(),
        row.and_then(|r| r.next_of_series.as_deref()),
    ) {
        let key = |p| key_for(Scope::ConfirmSeries, Intent::DeletePart(p));
        return Some(format!(
            "Cancel {}: {next} only · {}: from {next} on · {}: all · {}: none · \"{subject}\"",
            key(SeriesPart::Next),
            key(SeriesPart::FromNext),
            key(SeriesPart::All),
            key_for(Scope::ConfirmSeries, Intent::Back),
        ));
    }
    // The answer keys first: on a narrow terminal the subject is what gets cut.
    Some(format!(
        "Delete? {}/N · \"{subject}\" at the service; it cannot be undone.",
        key_for(Scope::ConfirmDelete, Intent::Confirm)
    ))
}

const DELETED: &str = "[deleted] ";

/// `e` on a row: the meeting is read from the service first, so that the form opens with
/// it as it is (attendees, options, passcode), not with what the history or the last form
/// held.
fn edit(m: &mut Model, row: &MeetingRow) -> Vec<Effect> {
    if row.mark == DELETED {
        m.set_status(
            StatusKind::Info,
            "This meeting is deleted; there is nothing to edit.",
        );
        return vec![];
    }
    if row.next_of_series.is_some() {
        // Which of its meetings: asked on the status line, as D asks.
        m.open(Overlay::EditSeries(row.id));
        m.status = None;
        return vec![];
    }
    read_for_edit(m, row.id, SeriesPart::All)
}

/// The edit job: the meeting (or the part of a series) read from the service.
fn read_for_edit(m: &mut Model, id: i64, part: SeriesPart) -> Vec<Effect> {
    let job = next_job(m);
    m.meetings.job = Some(job);
    m.meetings.busy = Some(Busy::Reading);
    m.status = None;
    vec![Effect::Meetings(MeetingsJob::Edit { job, id, part })]
}

/// End as the edit shows it: the meeting's length (`15m`, `1h30m`), so that moving Start
/// moves the end with it as in a new form; a clock time when there is no length to give.
fn end_text(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    local: impl Fn(DateTime<Utc>) -> String,
) -> String {
    let Some(end) = end else {
        return String::new();
    };
    let minutes = start.map_or(0, |s| (end - s).num_minutes());
    let whole = start.is_some_and(|s| end - s == chrono::Duration::minutes(minutes));
    match (minutes / 60, minutes % 60) {
        _ if !whole || minutes <= 0 || minutes > 24 * 60 => local(end),
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// The form for an edit: the meeting's subject, times and options over the form as it
/// was, sections folded, every field touched. Touched: the clock must not move an edited
/// meeting's start, and a key typed into a field must edit the meeting's value, not
/// replace it as a default.
fn form_for_edit(
    m: &Model,
    subject: &str,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    options: &crate::meeting::options::MeetingOptions,
) -> FormState {
    let zone = m.zone();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let mut f = m.form.clone();
    f.subject = tui_input::Input::new(subject.to_string());
    f.start = tui_input::Input::new(start.map(local).unwrap_or_default());
    f.end = tui_input::Input::new(end_text(start, end, local));
    f.options = options.clone();
    f.options_open = false;
    f.option_cursor = 0;
    f.invitation_cursor = 0;
    for field in Field::ALL {
        f.touch(field);
    }
    f.focus = Field::Subject;
    f.submit_attempted = false;
    f
}

/// The meeting arrived: the form holds it, and the form it replaces is kept.
fn start_edit(m: &mut Model, id: i64, was: Existing) {
    let kept = Box::new(m.form.clone());
    let mut f = form_for_edit(m, &was.subject, was.start, was.end, &was.options);
    f.passcode = was.passcode.unwrap_or(false);
    let people: Vec<String> = was.attendees.iter().map(ToString::to_string).collect();
    f.attendees = tui_input::Input::new(people.join(", "));
    f.mode = Mode::Standalone;
    f.message = tui_input::Input::default();
    f.location = tui_input::Input::default();
    m.form = f;
    let subject = was.subject.clone();
    m.editing = Some(Editing {
        id,
        subject,
        was: Box::new(was),
        event: None,
        series: None,
        kept,
    });
    m.error = None;
    m.screen = Screen::Form;
    m.set_status(
        StatusKind::Info,
        format!(
            "Editing: {} saves what you change at the service; {} cancels.",
            key_for(Scope::Form, Intent::Submit),
            key_for(Scope::Form, Intent::Back)
        ),
    );
}

/// The calendar meeting arrived: the form holds it in calendar mode, its invitees in
/// Attendees and its invitation fields in their section; the form it replaces is kept.
fn start_event_edit(m: &mut Model, id: i64, was: EventWas, series: Option<SeriesEdit>) {
    let kept = Box::new(m.form.clone());
    let mut f = form_for_edit(m, &was.subject, was.start, was.end, &was.options);
    f.mode = Mode::Calendar;
    f.zone = tui_input::Input::new(m.zone().name().to_string());
    let people: Vec<String> = was.invitees.iter().map(ToString::to_string).collect();
    f.attendees = tui_input::Input::new(people.join(", "));
    f.message = tui_input::Input::new(was.message.clone().unwrap_or_default());
    f.location = tui_input::Input::new(was.location.clone().unwrap_or_default());
    f.repeats = tui_input::Input::new(series.as_ref().map(|s| s.words.clone()).unwrap_or_default());
    f.categories = tui_input::Input::new(
        was.invitation
            .categories()
            .map(|c| c.join(", "))
            .unwrap_or_default(),
    );
    // The categories have a field of their own; the section holds the rest.
    let mut invitation = was.invitation.clone();
    if let Some(i) = crate::calendar::invitation_fields::FIELDS
        .iter()
        .position(|f| matches!(f.kind, crate::calendar::invitation_fields::Kind::Categories))
    {
        invitation.set_index(i, None);
    }
    f.invitation = invitation;
    m.form = f;
    let unread = was.options_unread.clone();
    m.editing = Some(Editing {
        id,
        subject: was.subject.clone(),
        was: Box::new(Existing {
            subject: was.subject.clone(),
            start: was.start,
            end: was.end,
            passcode: None,
            attendees: Vec::new(),
            options: was.options.clone(),
        }),
        event: Some(Box::new(was)),
        series: series.clone(),
        kept,
    });
    m.error = None;
    m.screen = Screen::Form;
    let which = series
        .map(|s| format!(" {}", s.which()))
        .unwrap_or_default();
    let keys = format!(
        "{} saves what you change at the service and tells the invitees; {} cancels.",
        key_for(Scope::Form, Intent::Submit),
        key_for(Scope::Form, Intent::Back)
    );
    match unread {
        Some(why) => m.set_status(
            StatusKind::Info,
            format!("Editing{which}: {keys} The options cannot be changed here: {why}."),
        ),
        None => m.set_status(StatusKind::Info, format!("Editing{which}: {keys}")),
    }
}

/// Why an edit's save sends nothing, said on the status line: nothing differs from the
/// meeting, or an option the service sets only at creation. True when it said so.
fn unsendable(
    m: &mut Model,
    empty: bool,
    options: &crate::meeting::options::MeetingOptions,
) -> bool {
    let why = if empty {
        (
            StatusKind::Info,
            format!(
                "Nothing to save: the form says what the meeting already is. {} leaves the edit.",
                key_for(Scope::Form, Intent::Back)
            ),
        )
    } else if let Err(why) = options.check_patchable() {
        (StatusKind::Error, format!("Not saved: {why}."))
    } else {
        return false;
    };
    m.set_status(why.0, why.1);
    true
}

/// Ctrl+S while editing a calendar meeting: what differs from the event as it was.
fn submit_event_edit(m: &mut Model, was: EventWas, checked: &Checked) -> Vec<Effect> {
    let Some((id, series)) = m.editing.as_ref().map(|e| (e.id, e.series.clone())) else {
        return vec![];
    };
    let (Ok(subject), Ok(start), Ok(end), Ok(invitees), Ok(invitation)) = (
        &checked.subject,
        &checked.start,
        &checked.end,
        &checked.invitees,
        &checked.invitation,
    ) else {
        return vec![];
    };
    let wanted = EventWanted {
        subject: subject.clone(),
        start: start.with_timezone(&Utc),
        end: end.with_timezone(&Utc),
        invitees: invitees.clone(),
        invitation: invitation.clone(),
        options: checked.options.clone(),
    };
    let change = EventChange::between(&was, &wanted);
    if let (Some(why), false) = (&was.options_unread, change.options.is_empty()) {
        m.set_status(
            StatusKind::Error,
            format!("Not saved: the options cannot be changed here ({why})."),
        );
        return vec![];
    }
    if unsendable(m, change.is_empty(), &change.options) {
        return vec![];
    }
    let job = super::begin_job(
        m,
        &Edited {
            subject: wanted.subject.clone(),
            start: start.fixed_offset(),
            end: end.fixed_offset(),
            attendees: Vec::new(),
            options: wanted.options.clone(),
        },
    );
    vec![Effect::Meetings(MeetingsJob::UpdateEvent {
        job,
        id,
        change: Box::new(change),
        series,
    })]
}

/// While editing: whether `intent` (None: typing or pasting into the focused field) would
/// change what the service sets only at creation. If so, the status says why and the
/// caller changes nothing, so the form never shows a change that Ctrl+S would not send.
pub(super) fn refuse_fixed(m: &mut Model, intent: Option<Intent>) -> bool {
    if m.editing.is_none() {
        return false;
    }
    let f = &m.form;
    let fixed = |field| m.editing.as_ref().and_then(|e| e.fixed(field));
    let option = SPECS.get(f.option_cursor);
    let why = match intent {
        None | Some(Intent::Complete) => fixed(f.focus).filter(|_| f.focus.is_text()),
        Some(Intent::Toggle) => fixed(f.focus),
        Some(Intent::OptionNext | Intent::OptionPrev | Intent::OptionReset)
            if f.options_open && option.is_some_and(|s| !s.patchable) =>
        {
            let spec = option.map(|s| s.key).unwrap_or_default();
            m.set_status(
                StatusKind::Info,
                format!("{spec} is set when the meeting is created; the service cannot change it afterwards."),
            );
            return true;
        }
        _ => None,
    };
    let Some(why) = why else {
        return false;
    };
    let label = f.focus.label();
    m.set_status(StatusKind::Info, format!("{label}: {why}."));
    true
}

/// Leaves an edit, if one is open: the form the edit replaced comes back.
pub(super) fn end_edit(m: &mut Model) -> Option<Editing> {
    let e = m.editing.take()?;
    m.form = (*e.kept).clone();
    Some(e)
}

/// Ctrl+S while editing: what differs from the meeting as it was, through the same update
/// as `tmeet update`. Nothing is sent when nothing differs.
pub(super) fn submit_edit(m: &mut Model, checked: &Checked) -> Vec<Effect> {
    let Some(e) = m.editing.as_ref() else {
        return vec![];
    };
    if let Some(was) = e.event.as_deref().cloned() {
        return submit_event_edit(m, was, checked);
    }
    let (Ok(subject), Ok(start), Ok(end), Ok(attendees)) = (
        &checked.subject,
        &checked.start,
        &checked.end,
        &checked.attendees,
    ) else {
        return vec![];
    };
    let wanted = Edited {
        subject: subject.clone(),
        start: start.fixed_offset(),
        end: end.fixed_offset(),
        attendees: attendees.clone(),
        options: checked.options.clone(),
    };
    let change = Change::between(&e.was, &wanted);
    let id = e.id;
    if unsendable(m, change.is_empty(), &change.options) {
        return vec![];
    }
    let job = super::begin_job(m, &wanted);
    vec![Effect::Meetings(MeetingsJob::Update { job, id, change })]
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
            // The list's question, or anything else open over it, goes with the list.
            m.open(Overlay::None);
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
        MeetingsAction::EditReady { job, id, was } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            start_edit(m, id, *was);
            vec![]
        }
        MeetingsAction::EventEditReady {
            job,
            id,
            was,
            series,
        } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            start_event_edit(m, id, *was, series);
            vec![]
        }
        MeetingsAction::Updated {
            job,
            result,
            saved,
            note,
            warning,
        } => {
            if m.job().is_none_or(|j| j.id != job) {
                return vec![];
            }
            let effects = super::update(m, Action::Created { job, result });
            end_edit(m);
            m.meetings.shown = Shown::Updated;
            match (note, warning) {
                (Some(n), _) => m.set_status(
                    StatusKind::Error,
                    format!("Saved at the service ({saved}), but {n}"),
                ),
                (None, Some(w)) => m.set_status(StatusKind::Info, format!("Saved: {w}.")),
                (None, None) => m.set_status(
                    StatusKind::Success,
                    format!("Saved at the service and in My meetings: {saved}."),
                ),
            }
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
        MeetingsAction::NeedsPermission { job, feature } => {
            if !current(m, job) {
                return vec![];
            }
            m.meetings.job = None;
            m.meetings.busy = None;
            m.calendar.consent = Some(feature);
            m.meetings.granting = true;
            m.set_status(
                StatusKind::Error,
                format!(
                    "Not deleted: tmeet needs permission to change your calendar ({}). Press {} to sign in again and grant it.",
                    feature.scope(),
                    key_for(Scope::Consent, Intent::Grant)
                ),
            );
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
