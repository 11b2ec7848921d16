//! The state of the screen and the one function that changes it. `update` is pure: no I/O,
//! no spawning, no clock reads. Whatever must happen outside comes back as [`Effect`]s, and
//! whatever happened outside comes in as [`Action`]s (the clock included).

use super::form_state::{Field, FormState};
use super::keymap::{Scope, key_for, keys_for};
use super::view::{CopyItem, ErrorView, ResultView};
use crate::meeting::{Language, MeetingRequest};
use crate::sanitize;
use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
pub use meetings::{Busy, Editing, MeetingRow, MeetingsAction, MeetingsJob, MeetingsView, Shown};
use std::path::PathBuf;
use tui_input::InputRequest;

pub use super::keymap::Intent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInPrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    pub expires_in_secs: u64,
}

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
    FreeBusy {
        job: u64,
        result: Result<crate::calendar::FreeBusy, calendar::SideError>,
    },
    Suggested {
        job: u64,
        result: Result<crate::calendar::Suggestions, calendar::SideError>,
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
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    Form,
    Result,
    /// My meetings: the local history.
    Meetings,
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
    fn of(form: &FormState, request: &MeetingRequest) -> Self {
        Self {
            subject: request.subject().to_string(),
            typed: (
                form.start.value().trim().to_string(),
                form.end.value().trim().to_string(),
            ),
            resolved: (request.start(), request.end()),
        }
    }

    fn matches(&self, other: &SameMeeting) -> bool {
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
fn look_for_event(meeting: &SameMeeting) -> String {
    format!(
        "Look for \"{}\" in your calendar before creating it again",
        sanitize::line(&meeting.subject)
    )
}

/// Where a standalone meeting that may exist would be found: nowhere tmeet can look.
fn look_for_meeting(meeting: &SameMeeting) -> String {
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

/// The status line while the QR code is shown and nothing newer was said.
pub fn qr_caption() -> String {
    format!(
        "Scan the code with a phone camera to join. {} goes back.",
        keys_for(Scope::Qr, Intent::Back)
    )
}

/// The question, on the status line and in tests. (N: every key but yes answers no.)
pub fn confirm_question() -> String {
    format!(
        "The first one may exist. Create another? {}/N",
        key_for(Scope::Confirm, Intent::Confirm)
    )
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInView {
    pub prompt: Option<SignInPrompt>,
    /// The browser sign-in's address while it waits, and whether a browser opened it.
    pub browser: Option<(String, bool)>,
    pub progress: Option<String>,
    pub error: Option<String>,
    /// Polling (or starting) is under way.
    pub busy: bool,
    /// The sign-in job whose results this screen shows.
    pub job: Option<u64>,
    /// What Enter does after an error.
    pub retry: Retry,
}

/// What trying again after a failure on the sign-in screen means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Retry {
    /// A new device code (the sign-in itself failed).
    #[default]
    SignIn,
    /// Look for the saved sign-in again (the cause may pass, e.g. the network).
    Check,
    /// Nothing tmeet can do: the cause is fixed outside (settings, the token file).
    Never,
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
    /// The result pane shows the join link's QR code instead of the details.
    pub show_qr: bool,
    /// Terminal columns and rows, to keep scrolling within the content.
    pub size: (u16, u16),
    /// The result pane's row count at the current width (see [`Action::Measured`]).
    pub result_rows: usize,
    pub error: Option<ErrorView>,
    pub job: Option<Job>,
    /// The last create whose outcome is unknown; cleared when a meeting is created.
    pub unsure: Option<Unsure>,
    /// Waiting for y/N before creating what may be a duplicate.
    pub confirm: Option<Confirm>,
    pub help: bool,
    pub help_scroll: u16,
    pub status: Option<Status>,
    pub now: DateTime<Tz>,
    pub ms: u64,
    /// Signing in again from the form, after a create found the sign-in gone.
    pub relogin: Relogin,
    next_job: u64,
    /// The My meetings screen.
    pub meetings: MeetingsView,
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
            show_qr: false,
            size: (80, 24),
            result_rows: 0,
            error: None,
            job: None,
            unsure: None,
            confirm: None,
            help: false,
            help_scroll: 0,
            status: None,
            now,
            ms: 0,
            relogin: Relogin::No,
            next_job: 1,
            meetings: MeetingsView::default(),
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
        self.job.is_some() || (self.screen == Screen::SignIn && self.signin.busy)
    }

    /// The key scopes active now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = Vec::new();
        if self.help {
            s.push(Scope::Help);
            s.push(Scope::Global);
            return s;
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
                if self.show_qr {
                    s.push(Scope::Qr);
                }
                // A meeting of My meetings (opened, or saved from its edit): Esc goes back
                // to the list it came from.
                if matches!(self.meetings.shown, Shown::Opened | Shown::Updated) {
                    s.push(Scope::Opened);
                }
                s.push(Scope::Result);
            }
            Screen::Meetings => {
                if self.meetings.confirm_delete.is_some() {
                    s.push(Scope::ConfirmDelete);
                } else {
                    if self.calendar.consent.is_some() {
                        s.push(Scope::Consent);
                    }
                    s.push(Scope::Meetings);
                }
            }
            Screen::Form => {
                if self.job.is_some() {
                    s.push(Scope::InFlight);
                    s.push(Scope::Global);
                    return s;
                }
                if self.calendar.suggest.is_some() {
                    s.push(Scope::Suggestions);
                    s.push(Scope::Global);
                    return s;
                }
                if self.confirm.is_some() {
                    s.push(Scope::Confirm);
                    s.push(Scope::Global);
                    return s;
                }
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
                if self.form.focus == Field::Language {
                    s.push(Scope::LanguageField);
                }
                if calendar::completion_open(self) {
                    s.push(Scope::CompletionList);
                }
                if self.form.focus == Field::Attendees {
                    s.push(Scope::AttendeesField);
                }
                if self.form.focus == Field::Options {
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
        let w = self.job.as_ref()?.wait.as_ref()?;
        let left = w.until_ms.saturating_sub(self.ms);
        Some((left.div_ceil(1000), w))
    }

    /// Typing reaches the form: no request, question, help or list is in front of it.
    pub fn form_takes_text(&self) -> bool {
        self.screen == Screen::Form
            && !self.help
            && self.job.is_none()
            && self.confirm.is_none()
            && self.calendar.suggest.is_none()
    }

    /// What leaving now would leave behind, said on stderr after the terminal is restored
    /// (however the session ends: q, Ctrl+C, a signal): a create or a change whose request
    /// may have reached the service, in flight or cancelled. The words are the outcome
    /// table's (`crate::exit::Outcome`), as the command line says them.
    pub fn farewell(&self) -> Option<String> {
        use crate::exit::{Outcome, Subject};
        let (what, look) = match (&self.job, &self.unsure) {
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
        let when = if self.job.is_some() {
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
        Action::Ready => {
            m.signin = SignInView::default();
            m.screen = Screen::Form;
            vec![]
        }
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
        Action::People { id, result, source } => calendar::people_found(m, id, result, source),
        Action::Edit(req) => {
            let moves = matches!(
                req,
                InputRequest::SetCursor(_)
                    | InputRequest::GoToPrevChar
                    | InputRequest::GoToNextChar
                    | InputRequest::GoToPrevWord
                    | InputRequest::GoToNextWord
                    | InputRequest::GoToStart
                    | InputRequest::GoToEnd
            );
            if m.form_takes_text() && (moves || !meetings::refuse_fixed(m, None)) {
                let field = m.form.focus;
                if field.is_text() {
                    m.form
                        .before_edit(matches!(req, InputRequest::InsertChar(_)));
                }
                if !m.form.allows(field, &req) {
                    m.set_status(StatusKind::Info, too_long(field, None));
                } else if let Some(input) = m.form.input_mut(field)
                    && input.handle(req).is_some_and(|c| c.value)
                {
                    m.form.touch(field);
                }
            }
            vec![]
        }
        Action::Paste(text) => {
            if m.form_takes_text() && !meetings::refuse_fixed(m, None) {
                let field = m.form.focus;
                if field.is_text() && !text.is_empty() {
                    m.form.before_edit(true);
                }
                let room = m.form.room(field);
                if let Some(input) = m.form.input_mut(field) {
                    let mut kept = 0;
                    for c in text.chars().take(room) {
                        input.handle(InputRequest::InsertChar(c));
                        kept += 1;
                    }
                    m.form.touch(field);
                    // Cut without a word, the rest of a long paste would be lost unseen.
                    if text.chars().count() > kept {
                        m.set_status(StatusKind::Info, too_long(field, Some(kept)));
                    }
                }
            }
            vec![]
        }
        Action::SignInNeeded => {
            m.screen = Screen::SignIn;
            start_sign_in(m)
        }
        Action::StartFailed { error, retry } => {
            m.screen = Screen::SignIn;
            m.signin = SignInView {
                error: Some(error),
                retry: if retry { Retry::Check } else { Retry::Never },
                ..Default::default()
            };
            vec![]
        }
        Action::SignInPrompt { job, .. }
        | Action::SignInProgress { job, .. }
        | Action::SignInBrowser { job, .. }
        | Action::SignedIn { job, .. }
        | Action::SignInFailed { job, .. }
            if m.signin.job != Some(job) =>
        {
            vec![] // stale: from a sign-in that was replaced
        }
        Action::SignInPrompt { prompt, .. } => {
            m.signin.prompt = Some(prompt);
            m.signin.busy = true;
            vec![]
        }
        Action::SignInProgress { text, .. } => {
            m.signin.progress = Some(text);
            vec![]
        }
        Action::SignInBrowser { url, opened, .. } => {
            m.signin.browser = Some((url, opened));
            m.signin.busy = true;
            vec![]
        }
        Action::SignedIn { account, .. } => {
            m.signin = SignInView::default();
            m.screen = Screen::Form;
            let relogin = std::mem::take(&mut m.relogin);
            // Any sign-in may have granted what a calendar feature was refused: the
            // create's sign-in asks for the side features' permissions too.
            let cleared = calendar::ask_again(m);
            if relogin == Relogin::Granting && std::mem::take(&mut m.meetings.granting) {
                // Back where the permission was missing, to do it again.
                m.screen = Screen::Meetings;
                m.set_status(
                    StatusKind::Success,
                    format!(
                        "Signed in as {account}; press {} to delete the calendar meeting again.",
                        key_for(Scope::Meetings, Intent::Delete)
                    ),
                );
            } else if relogin == Relogin::Granting {
                calendar::granted(m, &account, cleared);
            } else if relogin == Relogin::Running {
                // The error was the lost sign-in; the form is as the person left it.
                m.error = None;
                m.form.focus = Field::Create;
                m.set_status(
                    StatusKind::Success,
                    format!(
                        "Signed in as {account}. Press {} to create the meeting.",
                        key_for(Scope::Form, Intent::Submit)
                    ),
                );
            } else if let Some(w) = &m.zone_warning {
                // Signing in is the first thing a session shows: the zone must not vanish
                // behind it.
                let text = format!("Signed in as {account}. Warning: {w}");
                m.set_status(StatusKind::Error, text);
            } else {
                m.set_status(StatusKind::Success, format!("Signed in as {account}"));
            }
            vec![]
        }
        Action::SignInFailed { error, .. } => {
            m.signin.busy = false;
            m.signin.job = None;
            m.signin.retry = Retry::SignIn;
            m.signin.error = Some(error);
            vec![]
        }
        Action::Waiting {
            job,
            status,
            attempt,
            delay_ms,
        } => {
            if let Some(j) = m.job.as_mut().filter(|j| j.id == job) {
                j.wait = Some(WaitView {
                    status,
                    attempt,
                    until_ms: m.ms + delay_ms,
                });
            }
            vec![]
        }
        Action::Created { job, result } => {
            if m.job.as_ref().is_none_or(|j| j.id != job) {
                return vec![]; // stale: cancelled or superseded
            }
            m.job = None;
            m.error = None;
            // Whatever the earlier request did, this form has its meeting now.
            m.unsure = None;
            m.result = Some(*result);
            m.result_scroll = 0;
            m.show_qr = false;
            m.screen = Screen::Result;
            m.calendar.outcome = None;
            m.calendar.suggest = None;
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
        Action::Failed { job, error } => {
            let Some(done) = m.job.take_if(|j| j.id == job) else {
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
        Action::SignInLost { job, mut error } => {
            if m.job.as_ref().is_none_or(|j| j.id != job) {
                return vec![];
            }
            error.hint = Some(format!(
                "press {} to sign in again here; the form keeps your input",
                key_for(Scope::Form, Intent::Submit)
            ));
            let effects = update(m, Action::Failed { job, error });
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
        Action::ConsentNeeded { job, feature } => {
            if m.job.as_ref().is_none_or(|j| j.id != job) {
                return vec![];
            }
            let reason = format!(
                "tmeet needs permission to {} ({})",
                feature.why(),
                feature.scope()
            );
            let error = ErrorView::other("Permission needed", &reason, None);
            let effects = update(m, Action::Failed { job, error });
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
        Action::Copied(Ok(how)) => {
            m.set_status(StatusKind::Success, how);
            vec![]
        }
        Action::Copied(Err(why)) => {
            m.set_status(StatusKind::Error, why);
            vec![]
        }
        Action::Saved(Ok(path)) => {
            m.set_status(
                StatusKind::Success,
                format!(
                    "Saved {}: open it to put the meeting on your calendar.",
                    sanitize::line(&path.display().to_string())
                ),
            );
            vec![]
        }
        Action::Meetings(a) => meetings::on_action(m, a),
        Action::Saved(Err(why)) => {
            m.set_status(
                StatusKind::Error,
                format!(
                    "The calendar file was not saved: {}. Start tmeet in a folder you can \
                     write to, or copy the invitation instead.",
                    sanitize::line(&why)
                ),
            );
            vec![]
        }
    }
}

fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if matches!(intent, Intent::Quit | Intent::Interrupt) {
        let mut out = Vec::new();
        // The job stays on the model: what leaving costs is said from it
        // (`Model::farewell`) once the terminal is back.
        if let Some(j) = &m.job {
            out.push(Effect::Cancel { job: j.id });
        }
        out.push(Effect::Quit);
        return out;
    }
    if intent == Intent::Help {
        m.help = !m.help;
        m.help_scroll = 0;
        return vec![];
    }
    if m.help {
        match intent {
            Intent::Back => m.help = false,
            Intent::ScrollDown => m.help_scroll = m.help_scroll.saturating_add(1),
            Intent::ScrollUp => m.help_scroll = m.help_scroll.saturating_sub(1),
            Intent::PageDown => m.help_scroll = m.help_scroll.saturating_add(10),
            Intent::PageUp => m.help_scroll = m.help_scroll.saturating_sub(10),
            _ => {}
        }
        return vec![];
    }
    match m.screen {
        Screen::SignIn => match intent {
            Intent::UseDeviceCode if m.signin.busy && m.signin.browser.is_some() => {
                let mut fx: Vec<Effect> = m
                    .signin
                    .job
                    .map(|job| Effect::Cancel { job })
                    .into_iter()
                    .collect();
                let job = m.next_job;
                m.next_job += 1;
                m.signin = SignInView {
                    busy: true,
                    job: Some(job),
                    ..Default::default()
                };
                fx.push(Effect::SignInWithCode { job });
                fx
            }
            Intent::Activate if !m.signin.busy => match m.signin.retry {
                Retry::SignIn => start_sign_in(m),
                Retry::Check => {
                    m.signin = SignInView {
                        busy: true,
                        ..Default::default()
                    };
                    vec![Effect::CheckSignIn]
                }
                Retry::Never => vec![],
            },
            _ => vec![],
        },
        Screen::Result if intent == Intent::MyMeetings => meetings::open(m),
        Screen::Result => on_result_intent(m, intent),
        Screen::Form => on_form_intent(m, intent),
        Screen::Meetings => meetings::on_intent(m, intent),
    }
}

fn on_result_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    let scrolling = matches!(
        intent,
        Intent::ScrollUp | Intent::ScrollDown | Intent::PageUp | Intent::PageDown
    );
    if m.show_qr && scrolling {
        return vec![]; // the details are hidden; moving them unseen would surprise
    }
    match intent {
        Intent::Copy(item) => {
            let text = m.result.as_ref().and_then(|r| r.copy_text(item));
            match text {
                Some(text) => vec![Effect::Copy {
                    item,
                    text,
                    html: m.result.as_ref().and_then(|r| r.copy_html(item)),
                }],
                None => {
                    m.set_status(
                        StatusKind::Info,
                        format!("This meeting has no {}; nothing copied.", item.noun()),
                    );
                    vec![]
                }
            }
        }
        Intent::Save => match m.result.as_ref().and_then(|r| r.calendar.clone()) {
            Some(c) => vec![Effect::SaveCalendar {
                stem: c.stem,
                text: c.text,
            }],
            None => {
                m.set_status(
                    StatusKind::Info,
                    "The service returned no start and end time; there is no calendar file to save.",
                );
                vec![]
            }
        },
        Intent::ToggleQr if m.show_qr => {
            m.show_qr = false;
            vec![]
        }
        Intent::ToggleQr => {
            if m.result.as_ref().is_some_and(|r| r.qr.is_some()) {
                m.show_qr = true;
                // The status line shows the code's caption while the code is up (see
                // `qr_caption`), so whatever closes the code takes the caption with it.
                m.status = None;
            } else {
                m.set_status(
                    StatusKind::Info,
                    "This meeting has no join link; there is no QR code to show.",
                );
            }
            vec![]
        }
        Intent::Back if m.show_qr => {
            m.show_qr = false;
            vec![]
        }
        Intent::NewMeeting => {
            m.show_qr = false;
            m.screen = Screen::Form;
            m.form.focus = Field::Subject;
            m.form.submit_attempted = false;
            m.set_status(
                StatusKind::Info,
                "New meeting: the previous values are kept; change what differs.",
            );
            vec![]
        }
        Intent::ScrollDown => {
            m.result_scroll = m.result_scroll.saturating_add(1).min(m.max_result_scroll());
            vec![]
        }
        Intent::ScrollUp => {
            m.result_scroll = m.result_scroll.saturating_sub(1);
            vec![]
        }
        Intent::PageDown => {
            let page = m.size.1.saturating_sub(4).max(1);
            m.result_scroll = m
                .result_scroll
                .saturating_add(page)
                .min(m.max_result_scroll());
            vec![]
        }
        Intent::PageUp => {
            let page = m.size.1.saturating_sub(4).max(1);
            m.result_scroll = m.result_scroll.saturating_sub(page);
            vec![]
        }
        _ => vec![],
    }
}

/// Why a field took no more (`pasted`: how much of a paste it kept), in the command line's
/// words for a subject too long.
fn too_long(field: Field, pasted: Option<usize>) -> String {
    let why = match field {
        Field::Subject => crate::meeting::RequestError::SubjectTooLong.to_string(),
        f => format!("{} takes at most {} characters", f.label(), f.max_chars()),
    };
    let mut why = why.chars();
    let first = why.next().map(|c| c.to_uppercase().to_string());
    let why = format!("{}{}", first.unwrap_or_default(), why.as_str());
    match pasted {
        Some(0) | None => format!("{why}: nothing more fits."),
        Some(kept) => format!("{why}: the paste was cut to its first {kept}."),
    }
}

/// What the status line says after any create whose outcome is unknown, so that a lost
/// answer, an unreadable one and a cancel all read the same.
fn may_exist() -> String {
    format!(
        "The meeting may have been created. {} asks before creating it again.",
        key_for(Scope::Form, Intent::Submit)
    )
}

fn on_form_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if m.job.is_some() {
        // While in flight only cancelling does anything: the request is already on its way,
        // so once cancelled its outcome is unknown.
        if intent == Intent::Back
            && let Some(job) = m.job.take()
        {
            let again = if job.event {
                calendar::may_exist()
            } else {
                may_exist()
            };
            m.unsure = Some(Unsure {
                meeting: job.meeting,
                event: job.event,
            });
            m.set_status(StatusKind::Info, format!("Cancelled. {again}"));
            return vec![Effect::Cancel { job: job.id }];
        }
        return vec![];
    }
    if let Some(pending) = m.confirm.take() {
        // Only y sends; n, Esc and every other key (the runtime maps unbound keys to Back
        // here) return to the form with nothing sent.
        if intent == Intent::Confirm {
            return start_job(m, pending.request, pending.meeting);
        }
        m.set_status(
            StatusKind::Info,
            "Nothing sent. A different subject or time is a new meeting and needs no question.",
        );
        return vec![];
    }
    if m.calendar.suggest.is_some() {
        return calendar::on_suggest_intent(m, intent);
    }
    if calendar::completion_open(m)
        && matches!(
            intent,
            Intent::ScrollDown | Intent::ScrollUp | Intent::Complete | Intent::Back
        )
    {
        return calendar::on_completion_intent(m, intent);
    }
    if meetings::refuse_fixed(m, Some(intent)) {
        return vec![];
    }
    match intent {
        Intent::Toggle if m.form.focus == Field::Mode => return calendar::toggle_mode(m),
        Intent::FindTime if m.form.mode == crate::tui::form_state::Mode::Calendar => {
            return calendar::find_time(m);
        }
        Intent::Grant => return calendar::grant(m),
        _ => {}
    }
    let submitting =
        intent == Intent::Submit || (intent == Intent::Activate && m.form.focus == Field::Create);
    if submitting && m.relogin == Relogin::Offered {
        m.relogin = Relogin::Running;
        m.screen = Screen::SignIn;
        return start_sign_in(m);
    }
    let editing_base = m.editing.as_ref().map(|e| e.was.options.clone());
    let f = &mut m.form;
    match intent {
        Intent::NextField => {
            f.touch(f.focus);
            f.options_open = false;
            f.focus = f.focus.next(f.mode);
        }
        Intent::PrevField => {
            f.touch(f.focus);
            f.options_open = false;
            f.focus = f.focus.prev(f.mode);
        }
        Intent::Toggle if f.focus == Field::Passcode => f.passcode = !f.passcode,
        Intent::CycleRole => f.cycle_role(),
        Intent::OptionNext | Intent::OptionPrev if !f.options_open => f.options_open = true,
        Intent::OptionNext => f.cycle_option(true),
        Intent::OptionPrev => f.cycle_option(false),
        // Editing: back to what the meeting has, which is then not sent.
        Intent::OptionReset if f.options_open => match &editing_base {
            Some(was) => f
                .options
                .set_index(f.option_cursor, was.get(f.option_cursor)),
            None => f.reset_option(),
        },
        Intent::OptionDown | Intent::OptionUp => {
            let down = intent == Intent::OptionDown;
            if !(f.options_open && f.move_option(down)) {
                f.options_open = false;
                f.focus = if down {
                    f.focus.next(f.mode)
                } else {
                    f.focus.prev(f.mode)
                };
            }
        }
        Intent::Complete => complete_language(f),
        Intent::Activate => match f.focus {
            Field::Create => return submit(m),
            Field::Language => {
                complete_language(f);
                f.touch(f.focus);
                f.focus = f.focus.next(f.mode);
            }
            Field::Options => f.options_open = !f.options_open,
            _ => {
                f.touch(f.focus);
                f.focus = f.focus.next(f.mode);
            }
        },
        Intent::Submit => return submit(m),
        Intent::MyMeetings => return meetings::open(m),
        Intent::Back => {
            if f.options_open {
                f.options_open = false;
            } else if m.error.take().is_some() {
                m.status = None;
            } else if let Some(e) = meetings::end_edit(m) {
                // Leaving the edit: the meeting stays as it is, and so does the list.
                m.screen = Screen::Meetings;
                m.set_status(
                    StatusKind::Info,
                    format!("Not saved; \"{}\" is unchanged.", e.subject),
                );
            } else {
                m.set_status(
                    StatusKind::Info,
                    format!(
                        "Nothing to back out of. {} quits.",
                        key_for(Scope::Global, Intent::Interrupt)
                    ),
                );
            }
        }
        _ => {}
    }
    vec![]
}

/// Takes the suggested tag when the cursor is at the end of the field; otherwise → just
/// moves the cursor, as it does in every other field.
fn complete_language(f: &mut FormState) {
    if f.focus != Field::Language {
        return;
    }
    let at_end = f.language.cursor() == f.language.value().chars().count();
    match f.language_completion().filter(|_| at_end) {
        Some(c) => {
            f.language = tui_input::Input::new(c.to_string());
            f.touch(Field::Language);
        }
        None => {
            f.language.handle(InputRequest::GoToNextChar);
        }
    }
}

fn submit(m: &mut Model) -> Vec<Effect> {
    m.form.submit_attempted = true;
    let checked = m.form.check(&m.now);
    if let Some(bad) = checked.first_bad_field() {
        m.form.focus = bad;
        m.set_status(
            StatusKind::Error,
            format!("Not created: fix {} (in red).", bad.label()),
        );
        return vec![];
    }
    if m.editing.is_some() {
        return meetings::submit_edit(m, &checked);
    }
    if m.form.mode == crate::tui::form_state::Mode::Calendar {
        return calendar::submit(m, &checked);
    }
    match checked.request() {
        Some(Ok(request)) => {
            let meeting = SameMeeting::of(&m.form, &request);
            if m.unsure
                .as_ref()
                .is_some_and(|u| u.meeting.matches(&meeting))
            {
                m.confirm = Some(Confirm { request, meeting });
                // The status line shows the question while `confirm` is set.
                m.status = None;
                return vec![];
            }
            start_job(m, request, meeting)
        }
        Some(Err(e)) => {
            m.set_status(StatusKind::Error, format!("Not created: {e}"));
            vec![]
        }
        None => vec![],
    }
}

/// A new sign-in job; whatever an earlier one still sends is ignored from now on.
fn start_sign_in(m: &mut Model) -> Vec<Effect> {
    let job = m.next_job;
    m.next_job += 1;
    m.signin = SignInView {
        busy: true,
        job: Some(job),
        ..Default::default()
    };
    vec![Effect::SignIn { job }]
}

fn start_job(m: &mut Model, request: MeetingRequest, meeting: SameMeeting) -> Vec<Effect> {
    let id = new_job(m, meeting);
    vec![Effect::Create { job: id, request }]
}

/// A create or an edit's save in flight: its spinner, its id.
fn new_job(m: &mut Model, meeting: SameMeeting) -> u64 {
    let id = m.next_job;
    m.next_job += 1;
    m.error = None;
    m.status = None;
    m.job = Some(Job {
        id,
        started_ms: m.ms,
        wait: None,
        meeting,
        event: false,
    });
    id
}

/// The job of an edit's save.
fn begin_job(m: &mut Model, edited: &crate::services::online_meeting::Edited) -> u64 {
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

pub mod calendar;
mod meetings;
pub use meetings::delete_question;

#[cfg(test)]
pub(crate) mod tests;
