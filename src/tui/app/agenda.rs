//! The Agenda screen's state and its part of `update`: every event on the calendar over the
//! coming days, mine and others', one selected. Enter opens its card in the result pane,
//! `o` joins, `a`/`t`/`d` answer (tentative and decline through the answer box: a comment,
//! a proposed time where the organizer allows one, this date or the series). Pure like the
//! rest of `app`: reading the cache and talking to Graph are [`AgendaJob`]s the worker
//! carries out, and it answers with [`AgendaAction`]s.

use super::{Effect, Intent, Model, Overlay, Screen, Shown, StatusKind};
use crate::graph::client::AnswerAction;
use crate::services::respond::AnswerRequest;
use crate::tui::keymap::{Scope, key_for};
use crate::tui::view::ResultView;
use chrono::{DateTime, NaiveDate, Utc};
use tui_input::{Input, InputRequest};

/// Days the screen shows, today first.
pub const DAYS: i64 = 14;

/// One event of the list, already made safe for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    /// The agenda ref (`a12`, as `tmeet agenda` prints it).
    pub aref: i64,
    /// The local day it is listed under.
    pub day: NaiveDate,
    /// `09:30–10:00`, or `all day`.
    pub when: String,
    pub subject: String,
    /// Who organizes it, for others' meetings.
    pub organizer: Option<String>,
    /// My answer, or who is coming to mine (`3/5 accepted`).
    pub answer: String,
    pub location: Option<String>,
    /// A Teams meeting.
    pub teams: bool,
    /// Its join link (https), sanitized.
    pub link: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// I organize it: there is nothing for me to answer.
    pub mine: bool,
    /// Part of a series: an answer may be for this date or the series.
    pub in_series: bool,
    pub cancelled: bool,
    /// The organizer takes proposed new times.
    pub proposals: bool,
}

/// What the screen is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaBusy {
    /// Reading the cache (the list is empty until it answers).
    Loading,
    /// The cache is shown; its changes are being read from the service.
    Updating,
    Opening,
    Answering,
    Attendance,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgendaView {
    pub rows: Vec<AgendaRow>,
    pub selected: usize,
    pub busy: Option<AgendaBusy>,
    /// The job whose answer the screen waits for; others are stale.
    pub job: Option<u64>,
    /// Why there is no list (not signed in, the service refused).
    pub error: Option<String>,
    /// How current the list is, in a few words: `updated 10:02`, `from the cache of 09:58:
    /// the service could not be reached`.
    pub freshness: Option<String>,
    /// The card in the result pane is this event.
    pub shown: Option<i64>,
    /// A sign-in to grant a permission was asked for here: it comes back here.
    pub granting: bool,
}

impl AgendaView {
    pub fn selected_row(&self) -> Option<&AgendaRow> {
        self.rows.get(self.selected)
    }

    fn row(&self, aref: i64) -> Option<&AgendaRow> {
        self.rows.iter().find(|r| r.aref == aref)
    }
}

/// The lines of the answer box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerLine {
    Comment,
    NewTime,
    Series,
}

/// The answer box: what is being answered and what goes with it.
#[derive(Debug, Clone)]
pub struct AnswerBox {
    pub aref: i64,
    pub action: AnswerAction,
    pub subject: String,
    pub comment: Input,
    pub new_time: Input,
    /// For the whole series rather than this date.
    pub series: bool,
    pub focus: AnswerLine,
    /// The lines shown, in order (a new time only where one may be proposed, the series
    /// only for a meeting of one).
    pub lines: Vec<AnswerLine>,
    /// Why the last Enter sent nothing (a new time that does not read).
    pub error: Option<String>,
}

impl AnswerBox {
    /// The focused text line, if the focus is on one.
    pub fn input_mut(&mut self) -> Option<&mut Input> {
        match self.focus {
            AnswerLine::Comment => Some(&mut self.comment),
            AnswerLine::NewTime => Some(&mut self.new_time),
            AnswerLine::Series => None,
        }
    }

    pub fn takes_text(&self) -> bool {
        self.focus != AnswerLine::Series
    }
}

/// The most characters a comment or a new time takes (the service takes more; a line of
/// the box does not need it).
pub const ANSWER_MAX_CHARS: usize = 500;

/// Work for the worker: the agenda's cache and Graph.
#[derive(Debug, Clone, PartialEq)]
pub enum AgendaJob {
    /// The days from `from`: the cache at once, then its changes from the service (all of
    /// it again with `full`).
    Load {
        job: u64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        full: bool,
    },
    /// The card of an event.
    Open { job: u64, aref: i64 },
    /// Answer the invitation, then read the list again.
    Answer {
        job: u64,
        aref: i64,
        request: AnswerRequest,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// Who attended a meeting I organized.
    Attendance { job: u64, aref: i64 },
}

/// What the worker found.
#[derive(Debug, Clone)]
pub enum AgendaAction {
    /// The list; `done` is false while the service is still being asked (the cache came
    /// first), and another `Loaded` follows.
    Loaded {
        job: u64,
        rows: Vec<AgendaRow>,
        freshness: Option<String>,
        done: bool,
    },
    Opened {
        job: u64,
        aref: i64,
        result: Box<ResultView>,
    },
    /// The answer went out: the list as it now stands, and what was said.
    Answered {
        job: u64,
        /// The meeting answered, and whether it was declined (it has left the calendar).
        aref: i64,
        declined: bool,
        rows: Vec<AgendaRow>,
        said: String,
    },
    /// Who attended, for the card that is open: lines for its "Attended" section.
    Attended {
        job: u64,
        aref: i64,
        lines: Vec<String>,
    },
    Failed {
        job: u64,
        error: String,
    },
    /// The sign-in lacks the permission the job needs; nothing was sent.
    NeedsPermission {
        job: u64,
        feature: crate::permissions::Feature,
    },
}

fn next_job(m: &mut Model) -> u64 {
    let job = m.next_job;
    m.next_job += 1;
    job
}

/// The days the screen shows: today (local) and the next ones.
fn range(m: &Model) -> (DateTime<Utc>, DateTime<Utc>) {
    let zone = m.zone();
    let today = m.now.date_naive();
    (
        crate::meeting::time::start_of_day(&zone, today),
        crate::meeting::time::start_of_day(&zone, today + chrono::Duration::days(DAYS)),
    )
}

/// From the form, the result pane or My meetings: the agenda, from the cache at once.
pub(super) fn open(m: &mut Model) -> Vec<Effect> {
    m.screen = Screen::Agenda;
    m.close_if(|o| matches!(o, Overlay::Qr));
    m.status = None;
    // An edit left this way is abandoned, as leaving for My meetings abandons it.
    super::meetings::end_edit(m);
    load(m, false)
}

/// Back on the agenda after a sign-in granted what it needs: read it again.
pub(super) fn reopen(m: &mut Model) -> Vec<Effect> {
    m.screen = Screen::Agenda;
    m.agenda.error = None;
    load(m, false)
}

fn load(m: &mut Model, full: bool) -> Vec<Effect> {
    let job = next_job(m);
    let (from, to) = range(m);
    let v = &mut m.agenda;
    v.job = Some(job);
    v.busy = Some(if v.rows.is_empty() {
        AgendaBusy::Loading
    } else {
        AgendaBusy::Updating
    });
    vec![Effect::Agenda(AgendaJob::Load {
        job,
        from,
        to,
        full,
    })]
}

fn page(m: &Model) -> usize {
    usize::from(m.size.1.saturating_sub(super::CHROME_ROWS + 1).max(1))
}

pub(super) fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if matches!(m.overlay.base(), Overlay::Answer(_)) {
        return on_box_intent(m, intent);
    }
    let v = &mut m.agenda;
    let last = v.rows.len().saturating_sub(1);
    match intent {
        Intent::Back => {
            m.screen = Screen::Form;
            m.status = None;
            vec![]
        }
        Intent::MyMeetings => super::meetings::open(m),
        Intent::ScrollDown => {
            v.selected = (v.selected + 1).min(last);
            vec![]
        }
        Intent::ScrollUp => {
            v.selected = v.selected.saturating_sub(1);
            vec![]
        }
        Intent::PageDown => {
            let page = page(m);
            let v = &mut m.agenda;
            v.selected = (v.selected + page).min(last);
            vec![]
        }
        Intent::PageUp => {
            let page = page(m);
            let v = &mut m.agenda;
            v.selected = v.selected.saturating_sub(page);
            vec![]
        }
        Intent::Grant => super::calendar::grant(m),
        // Joining needs no worker: the link is on the row.
        Intent::Join => {
            let Some(aref) = v.selected_row().map(|r| r.aref) else {
                return vec![];
            };
            join(m, aref)
        }
        // While the worker is at it, another job would only race the first; a delta
        // round in the background does not stop the person.
        _ if v.busy.is_some_and(|b| !matches!(b, AgendaBusy::Updating)) => {
            vec![]
        }
        Intent::Refresh => {
            m.set_status(StatusKind::Info, "Reading the whole calendar again…");
            load(m, true)
        }
        Intent::Activate => {
            let Some(aref) = v.selected_row().map(|r| r.aref) else {
                return vec![];
            };
            let job = next_job(m);
            m.agenda.job = Some(job);
            m.agenda.busy = Some(AgendaBusy::Opening);
            vec![Effect::Agenda(AgendaJob::Open { job, aref })]
        }
        Intent::Accept => answer(m, AnswerAction::Accept),
        Intent::Tentative => answer(m, AnswerAction::Tentative),
        Intent::Decline => answer(m, AnswerAction::Decline),
        _ => vec![],
    }
}

/// `o`: the join link of event `aref` to the browser (the runtime opens it).
pub(super) fn join(m: &mut Model, aref: i64) -> Vec<Effect> {
    match m.agenda.row(aref).and_then(|r| r.link.clone()) {
        Some(url) => vec![Effect::Join { url }],
        None => {
            m.set_status(StatusKind::Info, "This meeting has no Teams link to join.");
            vec![]
        }
    }
}

/// The selected row's answer (or the card's): at once for an accept of a single meeting,
/// else through the answer box. What the service would refuse is said here, without a
/// request.
fn answer(m: &mut Model, action: AnswerAction) -> Vec<Effect> {
    let aref = match m.screen {
        Screen::Result => m.agenda.shown,
        _ => m.agenda.selected_row().map(|r| r.aref),
    };
    let Some(row) = aref.and_then(|a| m.agenda.row(a)).cloned() else {
        return vec![];
    };
    if row.mine {
        m.set_status(
            StatusKind::Info,
            "You organized this meeting; an organizer does not answer their own invitation.",
        );
        return vec![];
    }
    if row.cancelled && action != AnswerAction::Decline {
        m.set_status(
            StatusKind::Info,
            "This meeting was cancelled; it can only be declined (which removes it).",
        );
        return vec![];
    }
    if action == AnswerAction::Accept && !row.in_series {
        return send(m, row.aref, plain(action, false));
    }
    let mut lines = vec![AnswerLine::Comment];
    if action != AnswerAction::Accept && row.proposals {
        lines.push(AnswerLine::NewTime);
    }
    if row.in_series {
        lines.push(AnswerLine::Series);
    }
    m.open(Overlay::Answer(Box::new(AnswerBox {
        aref: row.aref,
        action,
        subject: row.subject.clone(),
        comment: Input::default(),
        new_time: Input::default(),
        series: false,
        focus: lines[0],
        lines,
        error: None,
    })));
    m.status = None;
    vec![]
}

fn plain(action: AnswerAction, series: bool) -> AnswerRequest {
    AnswerRequest {
        action,
        comment: None,
        propose: None,
        send_response: true,
        series,
    }
}

fn send(m: &mut Model, aref: i64, request: AnswerRequest) -> Vec<Effect> {
    let job = next_job(m);
    let (from, to) = range(m);
    m.agenda.job = Some(job);
    m.agenda.busy = Some(AgendaBusy::Answering);
    m.status = None;
    vec![Effect::Agenda(AgendaJob::Answer {
        job,
        aref,
        request,
        from,
        to,
    })]
}

pub(super) fn on_box_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    let Overlay::Answer(b) = m.overlay.base_mut() else {
        return vec![];
    };
    let at = b.lines.iter().position(|l| *l == b.focus).unwrap_or(0);
    match intent {
        Intent::Back => {
            m.close_if(|o| matches!(o, Overlay::Answer(_)));
            m.set_status(StatusKind::Info, "Nothing was answered.");
            vec![]
        }
        Intent::NextField => {
            b.focus = b.lines[(at + 1) % b.lines.len()];
            vec![]
        }
        Intent::PrevField => {
            b.focus = b.lines[(at + b.lines.len() - 1) % b.lines.len()];
            vec![]
        }
        Intent::Toggle => {
            b.series = !b.series;
            vec![]
        }
        Intent::Confirm => {
            let text = b.new_time.value().trim().to_string();
            let propose = if text.is_empty() {
                None
            } else {
                let length = m
                    .agenda
                    .row(b.aref)
                    .map(|r| r.end - r.start)
                    .unwrap_or(chrono::Duration::minutes(30));
                match crate::services::respond::parse_proposal(&text, length, &m.now) {
                    Ok(p) => Some(p),
                    Err(why) => {
                        let Overlay::Answer(b) = m.overlay.base_mut() else {
                            return vec![];
                        };
                        b.error = Some(format!("New time: {why}"));
                        b.focus = AnswerLine::NewTime;
                        return vec![];
                    }
                }
            };
            let Some(Overlay::Answer(b)) = m.close_if(|o| matches!(o, Overlay::Answer(_))) else {
                return vec![];
            };
            let comment = b.comment.value().trim().to_string();
            let request = AnswerRequest {
                action: b.action,
                comment: (!comment.is_empty()).then_some(comment),
                propose,
                send_response: true,
                series: b.series,
            };
            send(m, b.aref, request)
        }
        _ => vec![],
    }
}

/// Typing or pasting into the answer box's focused line.
pub(super) fn edit_box(m: &mut Model, req: InputRequest) -> Vec<Effect> {
    if let Overlay::Answer(b) = m.overlay.base_mut()
        && let Some(input) = b.input_mut()
    {
        let full = input.value().chars().count() >= ANSWER_MAX_CHARS;
        if !(full && matches!(req, InputRequest::InsertChar(_))) {
            input.handle(req);
        }
        b.error = None;
    }
    vec![]
}

pub(super) fn paste_box(m: &mut Model, text: String) -> Vec<Effect> {
    if let Overlay::Answer(b) = m.overlay.base_mut()
        && let Some(input) = b.input_mut()
    {
        let room = ANSWER_MAX_CHARS.saturating_sub(input.value().chars().count());
        for c in text.chars().take(room) {
            input.handle(InputRequest::InsertChar(c));
        }
        b.error = None;
    }
    vec![]
}

/// The answer box is open and its focused line takes typing.
pub fn box_takes_text(m: &Model) -> bool {
    matches!(m.overlay.base(), Overlay::Answer(b) if b.takes_text())
}

/// A card of the agenda: the answer keys and the attendance key.
pub(super) fn on_card_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    match intent {
        Intent::Agenda => {
            m.screen = Screen::Agenda;
            m.close_if(|o| matches!(o, Overlay::Qr));
            m.status = None;
            vec![]
        }
        Intent::Join => match (m.meetings.shown, m.agenda.shown) {
            (Shown::Agenda, Some(aref)) => join(m, aref),
            // A meeting created or opened from My meetings: its card has the link.
            _ => match m.result.as_ref().and_then(|r| r.join_url.clone()) {
                Some(url) => vec![Effect::Join { url }],
                None => {
                    m.set_status(StatusKind::Info, "This meeting has no Teams link to join.");
                    vec![]
                }
            },
        },
        _ if m.agenda.busy.is_some_and(|b| b != AgendaBusy::Updating) => vec![],
        Intent::Accept => answer(m, AnswerAction::Accept),
        Intent::Tentative => answer(m, AnswerAction::Tentative),
        Intent::Decline => answer(m, AnswerAction::Decline),
        Intent::Attendance => {
            let Some(row) = m.agenda.shown.and_then(|a| m.agenda.row(a)).cloned() else {
                return vec![];
            };
            if !row.mine {
                m.set_status(
                    StatusKind::Info,
                    "Only the organizer can see who attended; this is not a meeting you organized.",
                );
                return vec![];
            }
            if row.start > m.now.with_timezone(&Utc) {
                m.set_status(
                    StatusKind::Info,
                    "This meeting has not begun; who attended is known once it has.",
                );
                return vec![];
            }
            let job = next_job(m);
            m.agenda.job = Some(job);
            m.agenda.busy = Some(AgendaBusy::Attendance);
            m.set_status(StatusKind::Info, "Asking who attended…");
            vec![Effect::Agenda(AgendaJob::Attendance {
                job,
                aref: row.aref,
            })]
        }
        _ => vec![],
    }
}

pub(super) fn on_action(m: &mut Model, action: AgendaAction) -> Vec<Effect> {
    let current = |m: &Model, job: u64| m.agenda.job == Some(job);
    let done = |m: &mut Model| {
        m.agenda.job = None;
        m.agenda.busy = None;
    };
    match action {
        AgendaAction::Loaded {
            job,
            rows,
            freshness,
            done: finished,
        } => {
            if !current(m, job) {
                return vec![];
            }
            let keep = m.agenda.selected_row().map(|r| r.aref);
            let v = &mut m.agenda;
            v.error = None;
            v.rows = rows;
            v.freshness = freshness;
            // The selection stays on the same meeting when it is still there.
            v.selected = keep
                .and_then(|a| v.rows.iter().position(|r| r.aref == a))
                .unwrap_or_else(|| first_upcoming(v, m.now.with_timezone(&Utc)));
            if finished {
                done(m);
            } else {
                m.agenda.busy = Some(AgendaBusy::Updating);
            }
            vec![]
        }
        AgendaAction::Opened { job, aref, result } => {
            if !current(m, job) {
                return vec![];
            }
            done(m);
            // Read again after an answer given on this card: the answer's words stay.
            let again = m.screen == Screen::Result
                && m.meetings.shown == Shown::Agenda
                && m.agenda.shown == Some(aref);
            m.result = Some(*result);
            if !again {
                m.result_scroll = 0;
            }
            m.open(Overlay::None);
            m.screen = Screen::Result;
            m.meetings.shown = Shown::Agenda;
            m.agenda.shown = Some(aref);
            if again {
                return vec![];
            }
            m.set_status(
                StatusKind::Info,
                format!(
                    "From the Agenda. {} joins, {} copies the join link, {} goes back.",
                    key_for(Scope::FromAgenda, Intent::Join),
                    key_for(
                        Scope::Result,
                        Intent::Copy(crate::tui::view::CopyItem::JoinUrl)
                    ),
                    key_for(Scope::FromAgenda, Intent::Agenda)
                ),
            );
            vec![]
        }
        AgendaAction::Answered {
            job,
            aref,
            declined,
            rows,
            said,
        } => {
            if !current(m, job) {
                return vec![];
            }
            done(m);
            let keep = m.agenda.selected;
            m.agenda.rows = rows;
            m.agenda.selected = keep.min(m.agenda.rows.len().saturating_sub(1));
            m.set_status(StatusKind::Success, said.clone());
            let on_card = m.screen == Screen::Result
                && m.meetings.shown == Shown::Agenda
                && m.agenda.shown == Some(aref);
            if !on_card {
                return vec![];
            }
            if declined {
                // Declined, it has left the calendar: its card goes with it.
                m.screen = Screen::Agenda;
                return vec![];
            }
            // The card is read again, so that it says the new answer.
            let job = next_job(m);
            m.agenda.job = Some(job);
            m.agenda.busy = Some(AgendaBusy::Opening);
            m.set_status(StatusKind::Success, said);
            vec![Effect::Agenda(AgendaJob::Open { job, aref })]
        }
        AgendaAction::Attended { job, aref, lines } => {
            if !current(m, job) {
                return vec![];
            }
            done(m);
            if m.agenda.shown == Some(aref)
                && let Some(card) = m.result.as_mut()
            {
                card.sections.retain(|s| s.title != ATTENDED);
                card.sections.push(crate::meeting::presentation::Section {
                    title: ATTENDED.into(),
                    lines,
                });
                m.set_status(
                    StatusKind::Success,
                    format!(
                        "Who attended is at the end of the details ({} scrolls).",
                        key_for(Scope::Result, Intent::ScrollDown)
                    ),
                );
            }
            vec![]
        }
        AgendaAction::Failed { job, error } => {
            if !current(m, job) {
                return vec![];
            }
            let listing = m
                .agenda
                .busy
                .is_some_and(|b| matches!(b, AgendaBusy::Loading | AgendaBusy::Updating));
            done(m);
            if listing && m.agenda.rows.is_empty() {
                m.agenda.error = Some(error);
            } else {
                m.set_status(StatusKind::Error, error);
            }
            vec![]
        }
        AgendaAction::NeedsPermission { job, feature } => {
            if !current(m, job) {
                return vec![];
            }
            done(m);
            m.calendar.consent = Some(feature);
            m.agenda.granting = true;
            m.agenda.error = (m.agenda.rows.is_empty())
                .then(|| format!("tmeet needs permission to {}.", feature.why()));
            m.set_status(
                StatusKind::Error,
                format!(
                    "tmeet needs permission to {} ({}). Press {} to sign in again and grant it.",
                    feature.why(),
                    feature.scope(),
                    key_for(Scope::Consent, Intent::Grant)
                ),
            );
            vec![]
        }
    }
}

/// The card's section of who attended.
pub const ATTENDED: &str = "Attended";

/// The first row that has not ended: what a person opening the agenda looks for.
fn first_upcoming(v: &AgendaView, now: DateTime<Utc>) -> usize {
    v.rows.iter().position(|r| r.end > now).unwrap_or(0)
}
