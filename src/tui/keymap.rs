//! The one key table. Dispatch, the footer hints and the help screen are all read from
//! [`BINDINGS`], so a key cannot do one thing and be documented as another.

use super::view::CopyItem;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
/// What a key means, before anything changes.
/// Which meetings of a series My meetings cancels or edits: the row stands for its next
/// meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesPart {
    Next,
    FromNext,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Quit,
    /// My meetings, on a series: cancel its next meeting, it and every one after, or all.
    DeletePart(SeriesPart),
    /// My meetings, on a series: edit its next meeting, it and every one after, or all.
    EditPart(SeriesPart),
    /// Ctrl+C: quit as `Quit` does; the process then exits 130, as shells expect.
    Interrupt,
    /// Ctrl+Z: the runtime hands the terminal back and stops (`fg` resumes).
    Suspend,
    Back,
    Help,
    NextField,
    PrevField,
    Toggle,
    Submit,
    /// Enter: depends on what has focus.
    Activate,
    /// Take the language completion.
    Complete,
    Copy(CopyItem),
    NewMeeting,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    /// Save the meeting as an iCalendar file in the current directory.
    Save,
    /// Show or hide the join link as a QR code.
    ToggleQr,
    /// Yes to the question on screen (create another although the first may exist).
    Confirm,
    /// Open the My meetings screen (the local history); back to the form from there.
    MyMeetings,
    /// My meetings: edit the selected meeting in the form.
    Edit,
    /// My meetings: delete the selected meeting (after a y/N).
    Delete,
    /// My meetings: ask Graph about each meeting listed.
    Refresh,
    /// Attendees: cycle the role of the person under the cursor.
    CycleRole,
    /// Options: the next / previous value of the option with focus (opens the section).
    OptionNext,
    OptionPrev,
    /// Options: the option row below / above (leaves the section at either end).
    OptionDown,
    OptionUp,
    /// Options: back to the service's default.
    OptionReset,
    /// Sign in again to grant the permission a calendar feature lacks.
    Grant,
    /// Calendar mode: ask the service for times when everyone is free.
    FindTime,
    /// The form: my free times as one line to send, shown and copied.
    ShareFree,
    /// The browser sign-in is waiting: sign in with a device code instead.
    UseDeviceCode,
    /// Open the Agenda screen (every meeting on the calendar); back from a card to it.
    Agenda,
    /// Open the meeting's Teams link in the browser.
    Join,
    /// Answer the invitation: yes, maybe, no.
    Accept,
    Tentative,
    Decline,
    /// Who attended a meeting one organized.
    Attendance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every screen, also while help is open.
    Global,
    /// The form while it edits a meeting of My meetings (before `Form`: Ctrl+S saves).
    EditForm,
    /// The form, whatever has focus (so keys here must not be printable characters).
    Form,
    /// The form while a checkbox or the button has focus (printable keys are free there).
    FormControl,
    /// The Passcode checkbox.
    Checkbox,
    /// A field that completes what is typed: Language, and calendar mode's Zone.
    LanguageField,
    /// The Attendees field (a person's role).
    AttendeesField,
    /// The Category field (completion from the mailbox's categories).
    CategoriesField,
    /// The Options section (folded or open).
    OptionsField,
    /// The Options section while the form edits a meeting (before `OptionsField`: a reset
    /// goes back to the meeting's own value, not the service's default).
    EditOptions,
    /// The Meeting field: standalone link or calendar event.
    ModeField,
    /// The form in calendar mode.
    CalendarForm,
    /// A calendar feature lacks its permission: signing in grants it.
    Consent,
    /// The "find a time" list (modal over the form).
    Suggestions,
    /// My free times to share (modal over the form).
    Shared,
    /// The Attendees field's dropdown of people, while it has any.
    CompletionList,
    /// The form while a request is in flight.
    InFlight,
    /// The question before creating what may be a duplicate (an earlier create's outcome
    /// is unknown). Keys not bound here answer no.
    Confirm,
    Result,
    /// The result pane while it shows the QR code (before `Result`: Esc closes the code).
    Qr,
    /// The result pane showing a meeting opened from My meetings (before `Result`: Esc
    /// goes back to the list it came from).
    Opened,
    SignIn,
    /// The sign-in screen after a failure, when trying again is possible.
    SignInRetry,
    /// The sign-in screen while a browser sign-in waits for the browser.
    SignInBrowser,
    Help,
    /// My meetings: the list of the local history.
    Meetings,
    /// My meetings: y/N before a delete. Keys not bound here answer no.
    ConfirmDelete,
    /// My meetings, D on a series: which of its meetings to cancel. Other keys cancel none.
    ConfirmSeries,
    /// My meetings, e on a series: which of its meetings to edit. Other keys edit none.
    EditSeries,
    /// The Agenda: every event on the calendar over the coming days.
    Agenda,
    /// The result pane showing a meeting opened from the Agenda (before `Result`: Esc goes
    /// back to the agenda, and the answer keys work on the card).
    FromAgenda,
    /// The answer box (comment, proposed time, this date or the series) over the agenda.
    AnswerBox,
    /// The answer box's "for" row: this occurrence or the whole series.
    AnswerSeries,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::Form
            | Scope::FormControl
            | Scope::Checkbox
            | Scope::LanguageField
            | Scope::AttendeesField
            | Scope::CategoriesField
            | Scope::ModeField => "Form",
            Scope::CalendarForm | Scope::Consent => "Calendar mode",
            Scope::Suggestions => "Suggested times",
            Scope::Shared => "My free times",
            Scope::CompletionList => "People suggested as you type",
            Scope::OptionsField => "Meeting options",
            Scope::InFlight => "While creating",
            Scope::Confirm => "Create again?",
            Scope::Result => "Meeting created",
            Scope::Qr => "QR code",
            Scope::Opened => "A meeting from My meetings",
            Scope::SignIn | Scope::SignInRetry | Scope::SignInBrowser => "Sign-in",
            Scope::Help => "Help",
            Scope::Meetings => "My meetings",
            Scope::EditForm | Scope::EditOptions => "Editing a meeting",
            Scope::ConfirmDelete => "Delete?",
            Scope::ConfirmSeries => "Cancel which meetings of a series?",
            Scope::EditSeries => "Edit which meetings of a series?",
            Scope::Agenda => "Agenda",
            Scope::FromAgenda => "A meeting from the Agenda",
            Scope::AnswerBox | Scope::AnswerSeries => "Answering an invitation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn ch(c: char) -> Key {
    k(KeyCode::Char(c))
}

impl Key {
    pub(crate) fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl+{}", base.to_uppercase())
        } else {
            base
        }
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        // Terminals disagree on whether Shift is reported with a shifted character or
        // BackTab, so Shift is ignored for those.
        let mut mods = ev.modifiers;
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        code == self.code && mods == self.mods
    }
}

pub(crate) struct Binding {
    pub keys: &'static [Key],
    pub intent: Intent,
    pub scope: Scope,
    /// What the help screen says.
    pub help: &'static str,
    /// The short word in the footer; None keeps it out of the footer.
    pub footer: Option<&'static str>,
}

pub(crate) static BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ctrl('c')],
        intent: Intent::Interrupt,
        scope: Scope::Global,
        help: "quit tmeet",
        footer: Some("quit"),
    },
    Binding {
        keys: &[ctrl('z')],
        intent: Intent::Suspend,
        scope: Scope::Global,
        help: "suspend to the shell (fg resumes)",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::F(1))],
        intent: Intent::Help,
        scope: Scope::Global,
        help: "show or hide this help",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc), ch('?'), ch('q')],
        intent: Intent::Back,
        scope: Scope::Help,
        help: "close help",
        footer: Some("close"),
    },
    Binding {
        keys: &[k(KeyCode::Down), ch('j')],
        intent: Intent::ScrollDown,
        scope: Scope::Help,
        help: "scroll help down",
        footer: Some("scroll"),
    },
    Binding {
        keys: &[k(KeyCode::Up), ch('k')],
        intent: Intent::ScrollUp,
        scope: Scope::Help,
        help: "scroll help up",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::InFlight,
        help: "cancel the request",
        footer: Some("cancel"),
    },
    Binding {
        keys: &[ch('y'), ch('Y')],
        intent: Intent::Confirm,
        scope: Scope::Confirm,
        help: "yes: create another meeting",
        footer: Some("create another"),
    },
    Binding {
        keys: &[ch('n'), k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::Confirm,
        help: "no: back to the form, nothing sent (any key but y)",
        footer: Some("no"),
    },
    Binding {
        keys: &[ctrl('s')],
        intent: Intent::Submit,
        scope: Scope::EditForm,
        help: "save the changes to the meeting being edited",
        footer: Some("save"),
    },
    Binding {
        keys: &[ctrl('s')],
        intent: Intent::Submit,
        scope: Scope::Form,
        help: "create the meeting",
        footer: Some("create"),
    },
    Binding {
        keys: &[k(KeyCode::Tab), k(KeyCode::Down)],
        intent: Intent::NextField,
        scope: Scope::Form,
        help: "next field",
        footer: Some("next"),
    },
    Binding {
        keys: &[k(KeyCode::BackTab), k(KeyCode::Up)],
        intent: Intent::PrevField,
        scope: Scope::Form,
        help: "previous field",
        footer: None,
    },
    Binding {
        keys: &[ch(' ')],
        intent: Intent::Toggle,
        scope: Scope::Checkbox,
        help: "tick or clear the checkbox",
        footer: Some("toggle"),
    },
    Binding {
        keys: &[ch(' '), k(KeyCode::Left), k(KeyCode::Right)],
        intent: Intent::Toggle,
        scope: Scope::ModeField,
        help: "Meeting: a link only, or an event with invitations",
        footer: Some("switch"),
    },
    Binding {
        keys: &[ctrl('f')],
        intent: Intent::FindTime,
        scope: Scope::CalendarForm,
        help: "find a time when everyone is free",
        footer: Some("find time"),
    },
    Binding {
        keys: &[ctrl('g')],
        intent: Intent::Grant,
        scope: Scope::Consent,
        help: "sign in again, granting what a feature needs",
        footer: Some("grant"),
    },
    Binding {
        keys: &[k(KeyCode::Down)],
        intent: Intent::ScrollDown,
        scope: Scope::CompletionList,
        help: "into the list of people, then the next one",
        footer: Some("pick"),
    },
    Binding {
        keys: &[k(KeyCode::Up)],
        intent: Intent::ScrollUp,
        scope: Scope::CompletionList,
        help: "the previous person in the list",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Tab), k(KeyCode::Enter)],
        intent: Intent::Complete,
        scope: Scope::CompletionList,
        help: "put the person's address in place of what was typed",
        footer: Some("take"),
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::CompletionList,
        help: "close the list of people",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Down), ch('j')],
        intent: Intent::ScrollDown,
        scope: Scope::Suggestions,
        help: "next suggested time",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Up), ch('k')],
        intent: Intent::ScrollUp,
        scope: Scope::Suggestions,
        help: "previous suggested time",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        intent: Intent::Activate,
        scope: Scope::Suggestions,
        help: "take the time: it becomes Start and End",
        footer: Some("take"),
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::FindTime,
        scope: Scope::Suggestions,
        help: "look again: outside your hours, or within yours alone",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::Suggestions,
        help: "close the list, the form unchanged",
        footer: Some("close"),
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        intent: Intent::Activate,
        scope: Scope::Form,
        help: "create (on the button), else go to the next field",
        footer: None,
    },
    Binding {
        keys: &[ctrl('t')],
        intent: Intent::ShareFree,
        scope: Scope::Form,
        help: "my free times this week, to send: shown and copied",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc), ch('q')],
        intent: Intent::Back,
        scope: Scope::Shared,
        help: "close my free times, the form unchanged",
        footer: Some("close"),
    },
    Binding {
        keys: &[k(KeyCode::Right)],
        intent: Intent::Complete,
        scope: Scope::CategoriesField,
        help: "end of Category: take your category it begins",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Right)],
        intent: Intent::Complete,
        scope: Scope::LanguageField,
        help: "at the end of Language or Zone: take the suggestion",
        footer: None,
    },
    Binding {
        keys: &[ctrl('r')],
        intent: Intent::CycleRole,
        scope: Scope::AttendeesField,
        help: "Attendees: next role for the person under the cursor",
        footer: Some("role"),
    },
    Binding {
        keys: &[ch(' '), k(KeyCode::Right)],
        intent: Intent::OptionNext,
        scope: Scope::OptionsField,
        help: "open the options, then the next value",
        footer: Some("change"),
    },
    Binding {
        keys: &[k(KeyCode::Left)],
        intent: Intent::OptionPrev,
        scope: Scope::OptionsField,
        help: "the previous value of the option",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Down)],
        intent: Intent::OptionDown,
        scope: Scope::OptionsField,
        help: "the next option, or the next field",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Up)],
        intent: Intent::OptionUp,
        scope: Scope::OptionsField,
        help: "the previous option, or the previous field",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Backspace), k(KeyCode::Delete)],
        intent: Intent::OptionReset,
        scope: Scope::EditOptions,
        help: "back to the meeting's own value (not sent)",
        footer: Some("meeting's value"),
    },
    Binding {
        keys: &[k(KeyCode::Backspace), k(KeyCode::Delete)],
        intent: Intent::OptionReset,
        scope: Scope::OptionsField,
        help: "back to the default (not sent)",
        footer: Some("default"),
    },
    Binding {
        keys: &[ch('?')],
        intent: Intent::Help,
        scope: Scope::FormControl,
        help: "help (F1 inside a text field)",
        footer: Some("help"),
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::Form,
        help: "dismiss the error",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::F(2))],
        intent: Intent::MyMeetings,
        scope: Scope::Form,
        help: "My meetings: the meetings tmeet created",
        footer: Some("meetings"),
    },
    Binding {
        keys: &[k(KeyCode::F(3))],
        intent: Intent::Agenda,
        scope: Scope::Form,
        help: "Agenda: every meeting on your calendar",
        footer: None,
    },
    Binding {
        keys: &[ch('y')],
        intent: Intent::Copy(CopyItem::JoinUrl),
        scope: Scope::Result,
        help: "copy the join link",
        footer: Some("link"),
    },
    Binding {
        keys: &[ch('w')],
        intent: Intent::Copy(CopyItem::WebLink),
        scope: Scope::Result,
        help: "copy the calendar link (Outlook on the web)",
        footer: None,
    },
    Binding {
        keys: &[ch('m')],
        intent: Intent::Copy(CopyItem::MeetingId),
        scope: Scope::Result,
        help: "copy the meeting ID",
        footer: Some("ID"),
    },
    Binding {
        keys: &[ch('p')],
        intent: Intent::Copy(CopyItem::Passcode),
        scope: Scope::Result,
        help: "copy the passcode",
        footer: Some("passcode"),
    },
    Binding {
        keys: &[ch('d')],
        intent: Intent::Copy(CopyItem::DialIn),
        scope: Scope::Result,
        help: "copy the dial-in details",
        footer: Some("dial-in"),
    },
    Binding {
        keys: &[ch('c')],
        intent: Intent::Copy(CopyItem::Invitation),
        scope: Scope::Result,
        help: "copy the whole invitation (and its HTML)",
        footer: Some("invitation"),
    },
    Binding {
        keys: &[ch('s')],
        intent: Intent::Save,
        scope: Scope::Result,
        help: "save a calendar file (.ics) in the current directory",
        footer: Some("save"),
    },
    Binding {
        keys: &[ch('r')],
        intent: Intent::ToggleQr,
        scope: Scope::Result,
        help: "show the join link as a QR code",
        footer: Some("QR"),
    },
    Binding {
        keys: &[k(KeyCode::Esc), ch('r')],
        intent: Intent::Back,
        scope: Scope::Qr,
        help: "back to the meeting details",
        footer: Some("back"),
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::MyMeetings,
        scope: Scope::Opened,
        help: "back to My meetings",
        footer: Some("back"),
    },
    Binding {
        keys: &[ch('n'), k(KeyCode::Esc)],
        intent: Intent::NewMeeting,
        scope: Scope::Result,
        help: "new meeting, keeping the values typed",
        footer: Some("new"),
    },
    Binding {
        keys: &[k(KeyCode::Down), ch('j')],
        intent: Intent::ScrollDown,
        scope: Scope::Result,
        help: "scroll down",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Up), ch('k')],
        intent: Intent::ScrollUp,
        scope: Scope::Result,
        help: "scroll up",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageDown), ch(' ')],
        intent: Intent::PageDown,
        scope: Scope::Result,
        help: "page down",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        intent: Intent::PageUp,
        scope: Scope::Result,
        help: "page up",
        footer: None,
    },
    Binding {
        keys: &[ch('?')],
        intent: Intent::Help,
        scope: Scope::Result,
        help: "help",
        footer: Some("help"),
    },
    Binding {
        keys: &[ch('q')],
        intent: Intent::Quit,
        scope: Scope::Result,
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[k(KeyCode::F(2))],
        intent: Intent::MyMeetings,
        scope: Scope::Result,
        help: "My meetings",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::F(3))],
        intent: Intent::Agenda,
        scope: Scope::Result,
        help: "Agenda",
        footer: None,
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::Join,
        scope: Scope::Result,
        help: "join: open the join link in the browser",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Enter), ch('o')],
        intent: Intent::Activate,
        scope: Scope::Meetings,
        help: "open it: links, passcode, invitation, QR, .ics",
        footer: Some("open"),
    },
    Binding {
        keys: &[ch('e')],
        intent: Intent::Edit,
        scope: Scope::Meetings,
        help: "edit it in the form: subject, times, people, options",
        footer: Some("edit"),
    },
    Binding {
        keys: &[ch('D')],
        intent: Intent::Delete,
        scope: Scope::Meetings,
        help: "delete it at the service (asks first)",
        footer: Some("delete"),
    },
    Binding {
        keys: &[ch('R')],
        intent: Intent::Refresh,
        scope: Scope::Meetings,
        help: "ask Graph: mark those deleted or changed elsewhere",
        footer: Some("refresh"),
    },
    Binding {
        keys: &[k(KeyCode::Down), ch('j')],
        intent: Intent::ScrollDown,
        scope: Scope::Meetings,
        help: "next meeting",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Up), ch('k')],
        intent: Intent::ScrollUp,
        scope: Scope::Meetings,
        help: "previous meeting",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageDown)],
        intent: Intent::PageDown,
        scope: Scope::Meetings,
        help: "a page down",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        intent: Intent::PageUp,
        scope: Scope::Meetings,
        help: "a page up",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc), k(KeyCode::F(2))],
        intent: Intent::Back,
        scope: Scope::Meetings,
        help: "back to the form",
        footer: Some("form"),
    },
    Binding {
        keys: &[ch('?')],
        intent: Intent::Help,
        scope: Scope::Meetings,
        help: "help",
        footer: Some("help"),
    },
    Binding {
        keys: &[ch('q')],
        intent: Intent::Quit,
        scope: Scope::Meetings,
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[ch('y'), ch('Y')],
        intent: Intent::Confirm,
        scope: Scope::ConfirmDelete,
        help: "yes: delete the meeting at the service",
        footer: Some("delete"),
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::EditPart(SeriesPart::Next),
        scope: Scope::EditSeries,
        help: "edit only the next meeting of the series",
        footer: Some("next only"),
    },
    Binding {
        keys: &[ch('f')],
        intent: Intent::EditPart(SeriesPart::FromNext),
        scope: Scope::EditSeries,
        help: "edit the next meeting and all after it (a new series)",
        footer: Some("from next"),
    },
    Binding {
        keys: &[ch('a')],
        intent: Intent::EditPart(SeriesPart::All),
        scope: Scope::EditSeries,
        help: "edit every meeting of the series",
        footer: Some("all"),
    },
    Binding {
        keys: &[ch('n'), k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::EditSeries,
        help: "none: edit nothing",
        footer: Some("none"),
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::DeletePart(SeriesPart::Next),
        scope: Scope::ConfirmSeries,
        help: "cancel only the next meeting of the series",
        footer: Some("next only"),
    },
    Binding {
        keys: &[ch('f')],
        intent: Intent::DeletePart(SeriesPart::FromNext),
        scope: Scope::ConfirmSeries,
        help: "cancel the next meeting and all after it",
        footer: Some("from next"),
    },
    Binding {
        keys: &[ch('a')],
        intent: Intent::DeletePart(SeriesPart::All),
        scope: Scope::ConfirmSeries,
        help: "cancel every meeting of the series",
        footer: Some("all"),
    },
    Binding {
        keys: &[ch('n'), k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::ConfirmSeries,
        help: "none: keep them all (any other key too)",
        footer: Some("keep"),
    },
    Binding {
        keys: &[ch('n'), k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::ConfirmDelete,
        help: "no: keep it (any key but y)",
        footer: Some("keep"),
    },
    Binding {
        keys: &[k(KeyCode::Enter), ch('r')],
        intent: Intent::Activate,
        scope: Scope::SignInRetry,
        help: "try signing in again after a failure",
        footer: Some("retry"),
    },
    Binding {
        keys: &[ch('d')],
        intent: Intent::UseDeviceCode,
        scope: Scope::SignInBrowser,
        help: "sign in with a device code instead of the browser",
        footer: Some("device code"),
    },
    Binding {
        keys: &[k(KeyCode::Esc), ch('q')],
        intent: Intent::Quit,
        scope: Scope::SignIn,
        help: "give up and quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[ch('?')],
        intent: Intent::Help,
        scope: Scope::SignIn,
        help: "help",
        footer: Some("help"),
    },
    Binding {
        keys: &[k(KeyCode::F(3))],
        intent: Intent::Agenda,
        scope: Scope::Meetings,
        help: "Agenda",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        intent: Intent::Activate,
        scope: Scope::Agenda,
        help: "open it: link, dial-in, who is coming, QR",
        footer: Some("open"),
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::Join,
        scope: Scope::Agenda,
        help: "join: open its Teams link in the browser",
        footer: Some("join"),
    },
    Binding {
        keys: &[ch('a')],
        intent: Intent::Accept,
        scope: Scope::Agenda,
        help: "accept the invitation",
        footer: Some("accept"),
    },
    Binding {
        keys: &[ch('t')],
        intent: Intent::Tentative,
        scope: Scope::Agenda,
        help: "tentative (a comment or a new time if you like)",
        footer: Some("tentative"),
    },
    Binding {
        keys: &[ch('d')],
        intent: Intent::Decline,
        scope: Scope::Agenda,
        help: "decline: asks first, with a comment or new time",
        footer: Some("decline"),
    },
    Binding {
        keys: &[ch('R')],
        intent: Intent::Refresh,
        scope: Scope::Agenda,
        help: "read the whole calendar again, not just changes",
        footer: Some("refresh"),
    },
    Binding {
        keys: &[k(KeyCode::Down), ch('j')],
        intent: Intent::ScrollDown,
        scope: Scope::Agenda,
        help: "next meeting",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Up), ch('k')],
        intent: Intent::ScrollUp,
        scope: Scope::Agenda,
        help: "previous meeting",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageDown)],
        intent: Intent::PageDown,
        scope: Scope::Agenda,
        help: "a page down",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        intent: Intent::PageUp,
        scope: Scope::Agenda,
        help: "a page up",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::F(2))],
        intent: Intent::MyMeetings,
        scope: Scope::Agenda,
        help: "My meetings",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Esc), k(KeyCode::F(3))],
        intent: Intent::Back,
        scope: Scope::Agenda,
        help: "back to the form",
        footer: Some("form"),
    },
    Binding {
        keys: &[ch('?')],
        intent: Intent::Help,
        scope: Scope::Agenda,
        help: "help",
        footer: Some("help"),
    },
    Binding {
        keys: &[ch('q')],
        intent: Intent::Quit,
        scope: Scope::Agenda,
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Agenda,
        scope: Scope::FromAgenda,
        help: "back to the Agenda",
        footer: Some("back"),
    },
    Binding {
        keys: &[ch('o')],
        intent: Intent::Join,
        scope: Scope::FromAgenda,
        help: "join: open the Teams link in the browser",
        footer: Some("join"),
    },
    Binding {
        keys: &[ch('a')],
        intent: Intent::Accept,
        scope: Scope::FromAgenda,
        help: "accept the invitation",
        footer: Some("accept"),
    },
    Binding {
        keys: &[ch('t')],
        intent: Intent::Tentative,
        scope: Scope::FromAgenda,
        help: "tentative",
        footer: Some("tentative"),
    },
    Binding {
        keys: &[ch('d')],
        intent: Intent::Decline,
        scope: Scope::FromAgenda,
        help: "decline (asks first)",
        footer: Some("decline"),
    },
    Binding {
        keys: &[ch('i')],
        intent: Intent::Copy(CopyItem::DialIn),
        scope: Scope::FromAgenda,
        help: "copy the dial-in details (d declines here)",
        footer: None,
    },
    Binding {
        keys: &[ch('A')],
        intent: Intent::Attendance,
        scope: Scope::FromAgenda,
        help: "who attended (your meeting, once it has begun)",
        footer: Some("attendance"),
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        intent: Intent::Confirm,
        scope: Scope::AnswerBox,
        help: "send the answer",
        footer: Some("send"),
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        intent: Intent::Back,
        scope: Scope::AnswerBox,
        help: "cancel: nothing is sent",
        footer: Some("cancel"),
    },
    Binding {
        keys: &[k(KeyCode::Tab), k(KeyCode::Down)],
        intent: Intent::NextField,
        scope: Scope::AnswerBox,
        help: "next line",
        footer: Some("next"),
    },
    Binding {
        keys: &[k(KeyCode::BackTab), k(KeyCode::Up)],
        intent: Intent::PrevField,
        scope: Scope::AnswerBox,
        help: "previous line",
        footer: None,
    },
    Binding {
        keys: &[k(KeyCode::Char(' ')), k(KeyCode::Left), k(KeyCode::Right)],
        intent: Intent::Toggle,
        scope: Scope::AnswerSeries,
        help: "this date or the whole series",
        footer: Some("date/series"),
    },
];

/// The scopes active right now, most specific first: the first matching binding wins.
pub(crate) fn lookup(scopes: &[Scope], ev: &KeyEvent) -> Option<Intent> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|key| key.matches(ev)))
            .map(|b| b.intent)
    })
}

/// The name of the first key bound to `intent` in `scope`, for status lines and hints:
/// `key_for(Scope::Form, Intent::Submit)` is `Ctrl+S`. Text that names a key takes it
/// from here, so a rebound key cannot leave a sentence saying the old one.
///
/// # Panics
/// When no binding exists: a sentence naming a key nobody can press is a bug, and every
/// call site runs in the unit tests.
pub(crate) fn key_for(scope: Scope, intent: Intent) -> String {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.intent == intent)
        .map(|b| b.keys[0].label())
        .unwrap_or_else(|| panic!("no key for {intent:?} in {scope:?}"))
}

/// As [`key_for`], or None where `scope` does not bind `intent`.
pub(crate) fn bound_key(scope: Scope, intent: Intent) -> Option<String> {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.intent == intent)
        .map(|b| b.keys[0].label())
}

/// Every key bound to `intent` in `scope`, joined with " or ": `Esc or r`.
pub(crate) fn keys_for(scope: Scope, intent: Intent) -> String {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.intent == intent)
        .map(|b| {
            b.keys
                .iter()
                .map(Key::label)
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .unwrap_or_else(|| panic!("no key for {intent:?} in {scope:?}"))
}

/// Whether `word` is the name of a key some binding uses (`Ctrl+S`, `Esc`, `y`), as
/// [`key_for`] spells it.
pub(crate) fn is_key_name(word: &str) -> bool {
    // Asked for every word of the status line on every frame: the names are spelled once.
    static NAMES: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| {
            BINDINGS
                .iter()
                .flat_map(|b| b.keys)
                .map(Key::label)
                .collect()
        });
    NAMES.contains(word)
}

/// Footer hints for the active scopes: `Ctrl+S create · Tab next · …`.
pub(crate) fn footer(scopes: &[Scope]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for (i, scope) in scopes.iter().enumerate() {
        for b in BINDINGS.iter().filter(|b| b.scope == *scope) {
            // A key a more specific scope takes does something else here: don't offer it.
            let shadowed = BINDINGS
                .iter()
                .filter(|o| scopes[..i].contains(&o.scope))
                .any(|o| o.keys.contains(&b.keys[0]));
            if let Some(word) = b.footer
                && !shadowed
                && !out.iter().any(|(_, w)| *w == word)
            {
                out.push((b.keys[0].label(), word));
            }
        }
    }
    // Quit is the least needed hint; keep it last so narrow screens drop it first.
    if let Some(i) = out.iter().position(|(_, w)| *w == "quit") {
        let q = out.remove(i);
        out.push(q);
    }
    out
}

/// Help rows grouped by section title, in table order.
pub(crate) fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut sections: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
    for b in BINDINGS {
        let keys = b
            .keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" / ");
        let title = b.scope.title();
        match sections.iter_mut().find(|(t, _)| *t == title) {
            Some((_, rows)) => rows.push((keys, b.help)),
            None => sections.push((title, vec![(keys, b.help)])),
        }
    }
    sections
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    /// The string literals of a Rust source, comments left out (char literals holding a
    /// quote do not occur in src/tui; the scan would see through them).
    pub(crate) fn literals(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = src.chars().peekable();
        let mut current: Option<String> = None;
        while let Some(c) = chars.next() {
            match (&mut current, c) {
                (Some(s), '\\') => {
                    // An escape: keep what it stands for roughly; a line continuation
                    // swallows the next line's indentation as the compiler does.
                    match chars.next() {
                        Some('\n') => {
                            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                                chars.next();
                            }
                        }
                        Some(e) => s.push(e),
                        None => {}
                    }
                }
                (Some(_), '"') => out.extend(current.take()),
                (Some(s), c) => s.push(c),
                (None, '"') => current = Some(String::new()),
                (None, '/') if chars.peek() == Some(&'/') => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (None, _) => {}
            }
        }
        out
    }

    /// What a key's name looks like in a sentence.
    fn names_a_key(text: &str) -> Option<&'static str> {
        const NAMES: &[&str] = &[
            "Ctrl+",
            "Shift+",
            "Esc",
            "Enter to",
            "Enter away",
            "F1",
            "Tab",
            "PgUp",
            "PgDn",
            "↑",
            "↓",
            "←",
            "→",
            "y/N",
        ];
        if let Some(n) = NAMES.iter().find(|n| text.contains(**n)) {
            return Some(n);
        }
        // "Press y", "press q": a single key after press, not a placeholder.
        let lower = text.to_lowercase();
        lower.match_indices("press ").find_map(|(i, _)| {
            let rest = &text[i + "press ".len()..];
            let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            (!word.starts_with('{')).then_some("press <key>")
        })
    }

    fn scan(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "snapshots" {
                    scan(&path, found);
                }
                continue;
            }
            // The table itself, and tests, which check what the screen says.
            if !name.ends_with(".rs") || name == "keymap.rs" || name == "tests.rs" {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            // Unit tests at the bottom of a module check text; they may spell keys.
            let code = src.split("#[cfg(test)]").next().unwrap_or("");
            for lit in literals(code) {
                if let Some(n) = names_a_key(&lit) {
                    found.push(format!("{}: {n:?} in {lit:?}", path.display()));
                }
            }
        }
    }

    #[test]
    fn no_key_is_named_outside_the_key_table() {
        let mut found = Vec::new();
        scan(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"),
            &mut found,
        );
        assert!(
            found.is_empty(),
            "build these from keymap::key_for / keys_for:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_scan_sees_hand_spelled_keys() {
        let src = "let a = \"Press Enter to try again, Esc to quit.\"; // \"Ctrl+C\"\n\
                   let b = format!(\"press {} now\", k); let c = \"Press y to copy\";";
        let hits: Vec<_> = literals(src)
            .iter()
            .filter_map(|l| names_a_key(l))
            .collect();
        assert_eq!(hits, ["Esc", "press <key>"]);
    }
}
