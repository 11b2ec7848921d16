//! The state of the screen and the one function that changes it. `update` is pure: no I/O,
//! no spawning, no clock reads. Whatever must happen outside comes back as [`Effect`]s, and
//! whatever happened outside comes in as [`Action`]s (the clock included).
//!
//! This file holds the [`Model`], the [`Action`]s and [`Effect`]s, and the dispatch of each
//! to the screen it concerns; each screen's handling lives in a module of its own under
//! `app/`: `signin` (the sign-in screen), `form` (typing, fields, Ctrl+S), `create` (the
//! form's create or save in flight and its outcome), `result` (the result pane),
//! `meetings` (My meetings) and `calendar` (calendar mode: free/busy, suggestions,
//! completion, consent). A new screen gets its own module here, a [`Screen`] variant, and
//! an arm in `update_inner`/`on_intent`.

use super::form_state::{Field, FormState};
use super::keymap::Scope;
use super::view::CopyItem;
use super::view::{ErrorView, ResultView};
use crate::meeting::{Language, MeetingRequest};
pub use agenda::{
    AgendaAction, AgendaBusy, AgendaJob, AgendaRow, AgendaView, AnswerBox, AnswerLine,
};
use chrono::DateTime;
use chrono_tz::Tz;
use create::begin_job;
pub use create::{Confirm, Job, SameMeeting, Unsure, WaitView, confirm_question};
use create::{look_for_event, look_for_meeting};
pub use meetings::{
    Busy, Editing, MeetingRow, MeetingsAction, MeetingsJob, MeetingsView, SeriesEdit, Shown,
};
pub use overlay::Overlay;
pub use result::qr_caption;
use signin::start_sign_in;
pub use signin::{Retry, SignInPrompt, SignInView};
use std::path::PathBuf;
use tui_input::InputRequest;

pub use super::keymap::Intent;

#[derive(Debug, Clone)]
pub enum Action {
    /// Sent by the runtime before every other action: monotonic milliseconds since start
    /// (spinner, countdowns) and the wall clock (relative times such as `+15m`).
    Clock {
        ms: u64,
        now: DateTime<Tz>,
    },
    Intent(Intent),
    /// Editing the focused text field.
    Edit(InputRequest),
    /// Pasted text for the focused field, already made one line; at most one character
    /// more than the field takes, so that a paste cut to fit can be told apart.
    Paste(String),
    /// The terminal's size (at start and after every change).
    Resize {
        width: u16,
        height: u16,
    },
    /// Rows the result pane's details take at the current width, as the renderer wraps
    /// them: measured by the view and reported here, so `update` never calls the renderer.
    Measured {
        result_rows: usize,
    },
    /// A saved sign-in works: go to the form.
    Ready,
    /// There is no usable sign-in (none saved, or the saved one is no longer accepted):
    /// the device-code sign-in starts.
    SignInNeeded,
    /// The session cannot start, for a reason a sign-in would not mend (app-only without
    /// `--user`, an unreadable token file, the sign-in service unreachable). `retry` is
    /// set only when checking again can help, i.e. the cause may pass by itself.
    StartFailed {
        error: String,
        retry: bool,
    },
    /// The rest, from the sign-in job `job`; results of an earlier sign-in are ignored.
    SignInPrompt {
        job: u64,
        prompt: SignInPrompt,
    },
    SignInProgress {
        job: u64,
        text: String,
    },
    /// The browser sign-in is waiting for the browser: the address to open, and whether a
    /// browser was opened on it.
    SignInBrowser {
        job: u64,
        url: String,
        opened: bool,
    },
    SignedIn {
        job: u64,
        account: String,
    },
    SignInFailed {
        job: u64,
        error: String,
    },
    Waiting {
        job: u64,
        status: u16,
        attempt: u32,
        delay_ms: u64,
    },
    Created {
        job: u64,
        result: Box<ResultView>,
    },
    Failed {
        job: u64,
        error: ErrorView,
    },
    /// A create failed because the sign-in is no longer accepted: [`Action::Failed`], plus
    /// the sign-in offered from the form, which keeps its values.
    SignInLost {
        job: u64,
        error: ErrorView,
    },
    /// A create needs a permission the sign-in lacks (attendees: `User.ReadBasic.All`):
    /// as [`Action::SignInLost`], with the reason; the next sign-in asks for it too.
    ConsentNeeded {
        job: u64,
        feature: crate::permissions::Feature,
    },
    /// The clipboard's report: Ok(how it was copied) or Err(why not).
    Copied(Result<String, String>),
    /// The calendar file's fate: Ok(where it was written) or Err(why not).
    Saved(Result<PathBuf, String>),
    /// What the worker found in the history or at the service for My meetings.
    Meetings(MeetingsAction),
    /// What the worker found in the agenda's cache or at the service.
    Agenda(AgendaAction),
    /// The browser's report on a join link: Ok(the link) or Err(why not, the link).
    Joined(Result<String, (String, String)>),
    /// A calendar create succeeded: the join details, and what the event adds.
    EventCreated {
        job: u64,
        result: Box<ResultView>,
        outcome: calendar::EventOutcome,
        warnings: Vec<String>,
    },
    /// A calendar create made an event the service gave no Teams link: it exists, its
    /// invitations went out, and it is in My meetings (`why`: the service's side of it).
    EventWithoutLink {
        job: u64,
        result: Box<ResultView>,
        invited: usize,
        why: String,
    },
    /// The mode choice was (or was not) written for the next session.
    Remembered(Result<(), String>),
    /// Free/busy with each person's working hours and zone (row for row).
    FreeBusy {
        job: u64,
        result: Result<crate::calendar::hours::Schedules, calendar::SideError>,
    },
    /// Suggested times with everyone's working hours and zone.
    Suggested {
        job: u64,
        result: Result<crate::services::zones::ZonedSuggestions, calendar::SideError>,
    },
    /// My free times for the share key.
    FreeTimes {
        job: u64,
        result: Result<crate::services::zones::FreeTimes, calendar::SideError>,
    },
    /// The one-shot timer the runtime set for [`Model::next_deadline`] fired.
    Timer,
    /// People matching a completion query (request `id` of the completion), and where
    /// they were looked up.
    People {
        id: u64,
        result: Result<Vec<crate::calendar::PersonMatch>, calendar::SideError>,
        source: crate::calendar::Source,
    },
    /// The names of the mailbox's categories (MailboxSettings.Read granted).
    Categories(Vec<String>),
}

/// What `update` asks for. The runtime carries out `Copy`, `SaveCalendar`, `RememberMode`
/// and `Quit` itself; everything else is work that it hands, as it is, to the worker,
/// which answers with an [`Action`] tagged with the job.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Create {
        job: u64,
        request: MeetingRequest,
    },
    Cancel {
        job: u64,
    },
    Copy {
        item: CopyItem,
        text: String,
        /// Offered beside the text where the clipboard can hold both (the invitation).
        html: Option<String>,
    },
    /// Write `text` to `{stem}.ics` in the current directory, numbering the name rather
    /// than overwriting a file; the outcome comes back as [`Action::Saved`].
    SaveCalendar {
        stem: String,
        text: String,
    },
    /// Start sign-in job `job`: through the browser where one opens here, else a device code.
    SignIn {
        job: u64,
    },
    /// Start sign-in job `job` with a device code, whatever the machine allows.
    SignInWithCode {
        job: u64,
    },
    /// Look for a usable saved sign-in again (after [`Action::StartFailed`] with `retry`).
    CheckSignIn,
    Quit,
    /// Read or change the history, or a meeting of it at the service.
    Meetings(MeetingsJob),
    /// Read the agenda, or answer or open one of its meetings.
    Agenda(AgendaJob),
    /// Open a join link in the browser (or the Teams app, where the person asks for it);
    /// the runtime does it and reports [`Action::Joined`].
    Join {
        url: String,
    },
    /// Create a calendar event that is a Teams meeting (`services::calendar::create_event`).
    CreateEvent {
        job: u64,
        request: Box<crate::calendar::EventRequest>,
    },
    /// Remember the form's mode for the next session (the outcome: [`Action::Remembered`]).
    RememberMode(crate::tui::form_state::Mode),
    /// Free/busy of the organizer and `people` over `start`–`end`.
    FreeBusy {
        job: u64,
        people: Vec<String>,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
        interval_minutes: u32,
    },
    /// People whose names start with `text` (completion request `id`).
    FindPeople {
        id: u64,
        text: String,
    },
    /// Suggested times of `minutes` for `attendees` between `from` and `to`.
    Suggest {
        job: u64,
        attendees: Vec<String>,
        minutes: i64,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        /// Beyond the organizer's working hours (`activityDomain: unrestricted`).
        outside_hours: bool,
        /// Whose working hours must hold the time: everyone's, or the organizer's alone.
        within: crate::calendar::suggestions::WithinHours,
        /// A meeting that repeats (its rule and zone): each time's later meetings are
        /// checked too.
        repeat: Option<(crate::calendar::recurrence::Rule, chrono_tz::Tz)>,
    },
    /// My free stretches of at least `min_minutes` within my working hours, `from`–`to`.
    ShareFree {
        job: u64,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        min_minutes: i64,
    },
    /// The mailbox's categories, to complete the Category field with; answered by
    /// [`Action::Categories`] only when they could be read.
    MasterCategories,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    Form,
    Result,
    /// My meetings: the local history.
    Meetings,
    /// The Agenda: every meeting on the calendar.
    Agenda,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}
#[derive(Debug, Clone)]
pub struct Model {
    pub demo: bool,
    /// `NO_COLOR` (no-color.org): the screen is drawn without colour; focus and errors
    /// stay marked by text (›, ✗) and reverse video.
    pub no_color: bool,
    /// A light terminal background: colours that read on white (config `theme`, or
    /// COLORFGBG).
    pub light: bool,
    /// The terminal draws OSC 8 links (config `hyperlinks`, `TMEET_HYPERLINKS`, or known
    /// from the environment): the result pane's links are clickable.
    pub hyperlinks: bool,
    /// Who meetings are created for ("me" or a user id), shown in the title.
    pub target: String,
    /// `TZ` names no zone: which zone the times are in instead, said on the status line
    /// until something more recent takes it.
    pub zone_warning: Option<String>,
    pub screen: Screen,
    pub form: FormState,
    pub signin: SignInView,
    pub result: Option<ResultView>,
    pub result_scroll: u16,
    /// Terminal columns and rows, to keep scrolling within the content.
    pub size: (u16, u16),
    /// The result pane's row count at the current width (see [`Action::Measured`]).
    pub result_rows: usize,
    pub error: Option<ErrorView>,
    /// What is open over the screen and has the keys (at most one, and the help).
    pub(crate) overlay: Overlay,
    /// The last create whose outcome is unknown; cleared when a meeting is created.
    pub unsure: Option<Unsure>,
    pub status: Option<Status>,
    pub now: DateTime<Tz>,
    pub ms: u64,
    /// Signing in again from the form, after a create found the sign-in gone.
    pub relogin: Relogin,
    next_job: u64,
    /// The My meetings screen.
    pub meetings: MeetingsView,
    /// The Agenda screen.
    pub agenda: AgendaView,
    /// The form edits this meeting of the history: Ctrl+S sends a PATCH.
    pub editing: Option<Editing>,
    /// Calendar mode: the event's transaction, free/busy, suggestions, permissions.
    pub calendar: calendar::CalendarState,
    /// What `ms` counts from: deadlines for the runtime's one-shot timer are
    /// `epoch + ms` (the runtime sets it to its own start).
    pub epoch: std::time::Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Relogin {
    #[default]
    No,
    /// The form offers it: submitting signs in instead of failing the same way again.
    Offered,
    /// On the sign-in screen; the form comes back when it is done.
    Running,
    /// On the sign-in screen to grant a calendar feature its permission.
    Granting,
}

/// What the settings decide about a session's screen, named so that a call reads as it
/// means (`Options { demo: true, ..Default::default() }`, not `new(…, false, true)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The Passcode checkbox starts ticked (`--passcode`, config.toml).
    pub passcode: bool,
    /// The emulator answers: the screen says DEMO.
    pub demo: bool,
}

impl Model {
    /// The Options section starts from these (config.toml's `[options]`): they count as
    /// set, so they are sent.
    /// The Invitation section starts from `[invitation]` in config.toml.
    pub fn with_invitation(
        mut self,
        invitation: crate::calendar::invitation_fields::InvitationFields,
    ) -> Self {
        // Categories are typed: the config's go into their field, where they can be seen.
        let mut invitation = invitation;
        if let Some(i) = crate::calendar::invitation_fields::FIELDS
            .iter()
            .position(|s| s.kind == crate::calendar::invitation_fields::Kind::Categories)
            && let Some(crate::calendar::invitation_fields::Setting::Categories(list)) =
                invitation.get(i).cloned()
        {
            self.form.categories = tui_input::Input::new(list.join(", "));
            invitation.set_index(i, None);
        }
        self.form.invitation = invitation;
        self
    }

    pub fn with_meeting_options(
        mut self,
        options: crate::meeting::options::MeetingOptions,
    ) -> Self {
        self.form.options = options;
        self
    }

    pub fn new(now: DateTime<Tz>, language: &Language, options: Options) -> Self {
        let Options { passcode, demo } = options;
        Self {
            demo,
            no_color: false,
            zone_warning: None,
            light: false,
            hyperlinks: false,
            target: "me".into(),
            screen: Screen::Form,
            form: FormState::new(&now, language, passcode),
            signin: SignInView::default(),
            result: None,
            result_scroll: 0,
            size: (80, 24),
            result_rows: 0,
            error: None,
            overlay: Overlay::None,
            unsure: None,
            status: None,
            now,
            ms: 0,
            relogin: Relogin::No,
            next_job: 1,
            meetings: MeetingsView::default(),
            agenda: AgendaView::default(),
            editing: None,
            calendar: calendar::CalendarState::default(),
            epoch: std::time::Instant::now(),
        }
    }

    /// The form's mode at start (remembered, or from config.toml).
    pub fn with_mode(mut self, mode: crate::tui::form_state::Mode) -> Self {
        self.form.mode = mode;
        self
    }

    /// Now on the monotonic clock the deadlines use.
    pub fn instant(&self) -> std::time::Instant {
        self.epoch + std::time::Duration::from_millis(self.ms)
    }

    /// When the runtime must wake for a debounce deadline; None: only input wakes it.
    pub fn next_deadline(&self) -> Option<std::time::Instant> {
        calendar::next_deadline(self)
    }

    /// The first screen of a session: checking for a saved sign-in.
    pub fn checking_sign_in(mut self) -> Self {
        self.screen = Screen::SignIn;
        self.signin = SignInView {
            busy: true,
            ..Default::default()
        };
        self
    }

    pub fn zone(&self) -> Tz {
        self.now.timezone()
    }

    /// A timer is needed only while something on screen moves: a spinner or a countdown.
    pub fn needs_timer(&self) -> bool {
        self.job().is_some() || (self.screen == Screen::SignIn && self.signin.busy)
    }

    /// The key scopes active now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = Vec::new();
        // An overlay other than the QR code takes every key but the global ones.
        let only = match &self.overlay {
            Overlay::Help { .. } => Some(Scope::Help),
            Overlay::InFlight(_) => Some(Scope::InFlight),
            Overlay::Suggest(_) => Some(Scope::Suggestions),
            Overlay::Shared(_) => Some(Scope::Shared),
            Overlay::Confirm(_) => Some(Scope::Confirm),
            Overlay::ConfirmDelete(_) => Some(Scope::ConfirmDelete),
            Overlay::ConfirmSeries(_) => Some(Scope::ConfirmSeries),
            Overlay::EditSeries(_) => Some(Scope::EditSeries),
            Overlay::Answer(_) => Some(Scope::AnswerBox),
            Overlay::Qr | Overlay::None => None,
        };
        if let Some(only) = only {
            if let Overlay::Answer(b) = &self.overlay
                && b.focus == AnswerLine::Series
            {
                return vec![Scope::AnswerSeries, only, Scope::Global];
            }
            return vec![only, Scope::Global];
        }
        match self.screen {
            Screen::SignIn => {
                if !self.signin.busy && self.signin.retry != Retry::Never {
                    s.push(Scope::SignInRetry);
                }
                if self.signin.busy && self.signin.browser.is_some() {
                    s.push(Scope::SignInBrowser);
                }
                s.push(Scope::SignIn);
            }
            Screen::Result => {
                if matches!(self.overlay, Overlay::Qr) {
                    s.push(Scope::Qr);
                }
                // A meeting of My meetings (opened, or saved from its edit): Esc goes back
                // to the list it came from.
                if matches!(self.meetings.shown, Shown::Opened | Shown::Updated) {
                    s.push(Scope::Opened);
                }
                if self.meetings.shown == Shown::Agenda {
                    s.push(Scope::FromAgenda);
                }
                s.push(Scope::Result);
            }
            Screen::Meetings => {
                if self.calendar.consent.is_some() {
                    s.push(Scope::Consent);
                }
                s.push(Scope::Meetings);
            }
            Screen::Agenda => {
                if self.calendar.consent.is_some() {
                    s.push(Scope::Consent);
                }
                s.push(Scope::Agenda);
            }
            Screen::Form => {
                if self.form.focus == Field::Passcode {
                    s.push(Scope::Checkbox);
                }
                if self.form.focus == Field::Mode {
                    s.push(Scope::ModeField);
                }
                if self.calendar.consent.is_some() {
                    s.push(Scope::Consent);
                }
                if self.form.mode == crate::tui::form_state::Mode::Calendar {
                    s.push(Scope::CalendarForm);
                }
                if matches!(self.form.focus, Field::Language | Field::Zone) {
                    s.push(Scope::LanguageField);
                }
                if calendar::completion_open(self) {
                    s.push(Scope::CompletionList);
                }
                if self.form.focus == Field::Attendees {
                    s.push(Scope::AttendeesField);
                }
                if self.form.focus == Field::Categories {
                    s.push(Scope::CategoriesField);
                }
                if self.form.focus.is_section() {
                    if self.editing.is_some() {
                        s.push(Scope::EditOptions);
                    }
                    s.push(Scope::OptionsField);
                }
                if !self.form.focus.is_text() {
                    s.push(Scope::FormControl);
                }
                if self.editing.is_some() {
                    s.push(Scope::EditForm);
                }
                s.push(Scope::Form);
            }
        }
        s.push(Scope::Global);
        s
    }

    /// How far the result pane can scroll: until its last row sits on the body's last row.
    /// The row count is the renderer's own (reported by [`Action::Measured`]), so it is exact.
    pub fn max_result_scroll(&self) -> u16 {
        let body = self.size.1.saturating_sub(CHROME_ROWS);
        u16::try_from(self.result_rows)
            .unwrap_or(u16::MAX)
            .saturating_sub(body)
    }

    /// Seconds left in a 429/503 wait, rounded up.
    pub fn wait_secs_left(&self) -> Option<(u64, &WaitView)> {
        let w = self.job()?.wait.as_ref()?;
        let left = w.until_ms.saturating_sub(self.ms);
        Some((left.div_ceil(1000), w))
    }

    /// Typing reaches the form: no request, question, help or list is in front of it.
    pub fn form_takes_text(&self) -> bool {
        self.screen == Screen::Form && matches!(self.overlay, Overlay::None | Overlay::Qr)
    }

    /// What leaving now would leave behind, said on stderr after the terminal is restored
    /// (however the session ends: q, Ctrl+C, a signal): a create or a change whose request
    /// may have reached the service, in flight or cancelled. The words are the outcome
    /// table's (`crate::exit::Outcome`), as the command line says them.
    pub fn farewell(&self) -> Option<String> {
        use crate::exit::{Outcome, Subject};
        let (what, look) = match (self.job(), &self.unsure) {
            (Some(j), _) if self.editing.is_some() && !j.event => (
                Subject::Changes,
                "tmeet list --refresh shows what the service has".to_string(),
            ),
            (Some(j), _) if j.event => (Subject::Event, look_for_event(&j.meeting)),
            (Some(j), _) => (Subject::Meeting, look_for_meeting(&j.meeting)),
            (None, Some(u)) if u.event => (Subject::Event, look_for_event(&u.meeting)),
            (None, Some(u)) => (Subject::Meeting, look_for_meeting(&u.meeting)),
            (None, None) => return None,
        };
        let when = if self.job().is_some() {
            "left while the request was on its way"
        } else {
            "its answer never came"
        };
        Some(format!(
            "{}: {when}. {look}",
            Outcome::MayExist.headline(what)
        ))
    }

    pub(crate) fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }
}

/// Rows around the body on every screen: title bar, status line, footer. The model needs
/// it to know how much of the result pane a page shows; the renderer lays them out.
pub const CHROME_ROWS: u16 = 3;

pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    let effects = update_inner(m, action);
    // Whatever changed the day or the people restarts the free/busy debounce.
    calendar::after_action(m);
    effects
}
fn update_inner(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Clock { ms, now } => {
            m.ms = ms;
            m.form.refresh_defaults(&now);
            m.now = now;
            vec![]
        }
        Action::Resize { width, height } => {
            // A taller window shows more: pull the scroll back. A new width rewraps the
            // pane; its row count follows as `Measured` before the next frame.
            m.size = (width, height);
            m.result_scroll = m.result_scroll.min(m.max_result_scroll());
            vec![]
        }
        Action::Measured { result_rows } => {
            m.result_rows = result_rows;
            m.result_scroll = m.result_scroll.min(m.max_result_scroll());
            vec![]
        }
        Action::Ready => signin::ready(m),
        Action::Intent(intent) => on_intent(m, intent),
        Action::Timer => calendar::on_timer(m),
        Action::EventCreated {
            job,
            result,
            outcome,
            warnings,
        } => calendar::created(m, job, result, outcome, warnings),
        Action::EventWithoutLink {
            job,
            result,
            invited,
            why,
        } => calendar::without_link(m, job, result, invited, why),
        Action::Remembered(result) => calendar::remembered(m, result),
        Action::FreeBusy { job, result } => calendar::free_busy_done(m, job, result),
        Action::Suggested { job, result } => calendar::suggested(m, job, result),
        Action::FreeTimes { job, result } => calendar::free_times_found(m, job, result),
        Action::People { id, result, source } => calendar::people_found(m, id, result, source),
        Action::Categories(names) => {
            m.calendar.categories = Some(names);
            vec![]
        }
        Action::Edit(req) if agenda::box_takes_text(m) => agenda::edit_box(m, req),
        Action::Paste(text) if agenda::box_takes_text(m) => agenda::paste_box(m, text),
        Action::Edit(req) => form::edit(m, req),
        Action::Paste(text) => form::paste(m, text),
        Action::SignInNeeded => signin::needed(m),
        Action::StartFailed { error, retry } => signin::start_failed(m, error, retry),
        Action::SignInPrompt { job, .. }
        | Action::SignInProgress { job, .. }
        | Action::SignInBrowser { job, .. }
        | Action::SignedIn { job, .. }
        | Action::SignInFailed { job, .. }
            if m.signin.job != Some(job) =>
        {
            vec![] // stale: from a sign-in that was replaced
        }
        Action::SignInPrompt { prompt, .. } => signin::prompt(m, prompt),
        Action::SignInProgress { text, .. } => signin::progress(m, text),
        Action::SignInBrowser { url, opened, .. } => signin::browser(m, url, opened),
        Action::SignedIn { account, .. } => signin::signed_in(m, account),
        Action::SignInFailed { error, .. } => signin::failed(m, error),
        Action::Waiting {
            job,
            status,
            attempt,
            delay_ms,
        } => create::waiting(m, job, status, attempt, delay_ms),
        Action::Created { job, result } => create::created(m, job, result),
        Action::Failed { job, error } => create::failed(m, job, error),
        Action::SignInLost { job, error } => create::sign_in_lost(m, job, error),
        Action::ConsentNeeded { job, feature } => create::consent_needed(m, job, feature),
        Action::Copied(result) => result::copied(m, result),
        Action::Saved(result) => result::saved(m, result),
        Action::Meetings(a) => meetings::on_action(m, a),
        Action::Agenda(a) => agenda::on_action(m, a),
        Action::Joined(result) => result::joined(m, result),
    }
}

fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if matches!(intent, Intent::Quit | Intent::Interrupt) {
        let mut out = Vec::new();
        // The job stays on the model: what leaving costs is said from it
        // (`Model::farewell`) once the terminal is back.
        if let Some(j) = m.job() {
            out.push(Effect::Cancel { job: j.id });
        }
        out.push(Effect::Quit);
        return out;
    }
    if intent == Intent::Help {
        return overlay::toggle_help(m);
    }
    if m.help_open() {
        return overlay::on_help_intent(m, intent);
    }
    if matches!(m.overlay.base(), Overlay::Answer(_)) {
        return agenda::on_box_intent(m, intent);
    }
    let from_agenda = m.meetings.shown == Shown::Agenda;
    match m.screen {
        Screen::SignIn => signin::on_intent(m, intent),
        Screen::Result if intent == Intent::MyMeetings => meetings::open(m),
        Screen::Result if intent == Intent::Agenda && !from_agenda => agenda::open(m),
        Screen::Result
            if matches!(
                intent,
                Intent::Agenda
                    | Intent::Join
                    | Intent::Accept
                    | Intent::Tentative
                    | Intent::Decline
                    | Intent::Attendance
            ) =>
        {
            agenda::on_card_intent(m, intent)
        }
        Screen::Result => result::on_intent(m, intent),
        Screen::Form if intent == Intent::Agenda => agenda::open(m),
        Screen::Form => {
            let mut fx = form::on_intent(m, intent);
            fx.extend(calendar::ask_categories(m));
            fx
        }
        Screen::Meetings if intent == Intent::Agenda => agenda::open(m),
        Screen::Meetings => meetings::on_intent(m, intent),
        Screen::Agenda => agenda::on_intent(m, intent),
    }
}

mod agenda;
pub mod calendar;
mod create;
mod form;
mod meetings;
mod overlay;
mod result;
mod signin;
pub use agenda::{ANSWER_MAX_CHARS, ATTENDED, DAYS as AGENDA_DAYS, box_takes_text};
pub use meetings::delete_question;

#[cfg(test)]
pub(crate) mod tests;
