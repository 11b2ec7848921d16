//! The meeting form: what was typed, which field has focus, and what it all means once
//! checked against the clock. Checking is a pure function of the text and `now`, so the
//! screen can show live, inline errors and submit can refuse with the same verdict.

use crate::calendar::invitation_fields::{self, InvitationFields, Kind};
use crate::meeting::attendees::{self, Attendee};
use crate::meeting::options::{MeetingOptions, SPECS};
use crate::meeting::time::{self, TimeError};
use crate::meeting::{Language, MeetingRequest, RequestError};
use chrono::DateTime;
use chrono_tz::Tz;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Subject,
    Start,
    End,
    /// Calendar only: the zone Start and End are read in and the event is sent in.
    Zone,
    Passcode,
    Language,
    /// Standalone link or calendar event with invitations.
    Mode,
    /// Standalone: people recorded on the meeting, with roles (not invited: no mail is
    /// sent). Calendar: the invitees, required or optional.
    Attendees,
    /// Calendar only: the invitation's text (the service appends the join block).
    Message,
    /// Calendar only: where the meeting is, besides online.
    Location,
    /// Calendar only: how the meeting repeats, in words (`every 2 weeks on tue, thu`).
    Repeats,
    /// Calendar only: show as, reminder and the invitation's other named values, folded to
    /// a summary line until opened, as Options are.
    Invitation,
    /// Calendar only: the invitation's categories, typed (comma-separated).
    Categories,
    /// The meeting options, folded to a summary line until opened.
    Options,
    Create,
}

impl Field {
    /// The most characters a field takes. Subject: the service's limit. Start and End: no
    /// time or duration tmeet understands comes near 64. Language: 35, the length RFC 5646
    /// (§4.4.1) asks every implementation to accept for a language tag.
    pub fn max_chars(self) -> usize {
        match self {
            Field::Subject => crate::meeting::request::MAX_SUBJECT_CHARS,
            Field::Start | Field::End => 64,
            // The longest IANA name is 32 characters, a Windows name some 40.
            Field::Zone => 64,
            Field::Language => 35,
            // Some dozens of addresses; the cap keeps a runaway paste cheap.
            Field::Attendees => 2000,
            Field::Message => crate::calendar::event::MAX_MESSAGE_CHARS,
            Field::Location => crate::calendar::event::MAX_LOCATION_CHARS,
            // The longest rule in words with an end comes to some sixty characters.
            Field::Repeats => 120,
            // A handful of Outlook's category names.
            Field::Categories => 1000,
            Field::Passcode | Field::Mode | Field::Invitation | Field::Options | Field::Create => 0,
        }
    }

    pub const ALL: [Field; 15] = [
        Field::Subject,
        Field::Start,
        Field::End,
        Field::Zone,
        Field::Passcode,
        Field::Language,
        Field::Mode,
        Field::Attendees,
        Field::Message,
        Field::Location,
        Field::Repeats,
        Field::Invitation,
        Field::Categories,
        Field::Options,
        Field::Create,
    ];

    /// Whether the field is on the form in `mode`: a calendar meeting takes no passcode
    /// setting (the tenant's policy decides), a standalone one has no invitation to word.
    pub fn applies(self, mode: Mode) -> bool {
        match self {
            // A calendar meeting's invitation is in the mailbox's language (Outlook's
            // settings), which no request can choose.
            Field::Passcode | Field::Language => mode == Mode::Standalone,
            // An online meeting alone cannot repeat: only an event has a recurrence.
            // A standalone meeting has no zone: Graph keeps its two instants only.
            Field::Zone | Field::Message | Field::Location | Field::Repeats => {
                mode == Mode::Calendar
            }
            // What an invitation carries: a standalone meeting sends none.
            Field::Invitation | Field::Categories => mode == Mode::Calendar,
            _ => true,
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The next field on the form in `mode`, wrapping around.
    pub fn next(self, mode: Mode) -> Field {
        let n = Self::ALL.len();
        (1..n)
            .map(|d| Self::ALL[(self.index() + d) % n])
            .find(|f| f.applies(mode))
            .unwrap_or(self)
    }

    pub fn prev(self, mode: Mode) -> Field {
        let n = Self::ALL.len();
        (1..n)
            .map(|d| Self::ALL[(self.index() + n - d) % n])
            .find(|f| f.applies(mode))
            .unwrap_or(self)
    }

    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::Subject
                | Field::Start
                | Field::End
                | Field::Zone
                | Field::Language
                | Field::Attendees
                | Field::Message
                | Field::Location
                | Field::Repeats
                | Field::Categories
        )
    }

    /// A folded section of rows (Options, Invitation): opened, walked and changed with the
    /// same keys.
    pub fn is_section(self) -> bool {
        matches!(self, Field::Options | Field::Invitation)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Subject => "Subject",
            Field::Start => "Start",
            Field::End => "End",
            Field::Zone => "Zone",
            Field::Passcode => "Passcode",
            Field::Language => "Language",
            Field::Mode => "Meeting",
            Field::Attendees => "Attendees",
            Field::Message => "Message",
            Field::Location => "Location",
            Field::Repeats => "Repeats",
            Field::Invitation => "Invitation",
            // Nine characters at most: a text field's value starts in the column after.
            Field::Categories => "Category",
            Field::Options => "Options",
            Field::Create => "Create",
        }
    }
}

/// What Ctrl+S makes: a link only, or an event on the organizer's calendar that invites
/// the attendees (GRAPH-SCHEDULING.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Standalone,
    Calendar,
}

impl Mode {
    /// The word in config.toml (`mode = …`) and in the remembered-choice file.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Standalone => "standalone",
            Mode::Calendar => "calendar",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim() {
            "standalone" => Some(Mode::Standalone),
            "calendar" => Some(Mode::Calendar),
            _ => None,
        }
    }

    pub fn other(self) -> Mode {
        match self {
            Mode::Standalone => Mode::Calendar,
            Mode::Calendar => Mode::Standalone,
        }
    }

    /// What the field shows.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Standalone => "Standalone link",
            Mode::Calendar => "On my calendar, invite attendees",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FormState {
    pub subject: Input,
    pub start: Input,
    pub end: Input,
    /// Calendar mode: the zone as typed (default the terminal's, by its IANA name).
    pub zone: Input,
    pub passcode: bool,
    pub language: Input,
    pub attendees: Input,
    pub mode: Mode,
    pub message: Input,
    pub location: Input,
    pub repeats: Input,
    /// What the person (or config.toml's `[options]`) set; the rest is the service's.
    pub options: MeetingOptions,
    /// Show as, reminder and the rest set in the Invitation section (categories are typed
    /// into `categories`); the rest are the service's.
    pub invitation: InvitationFields,
    pub categories: Input,
    /// The focused section (Options or Invitation) shows one row per field instead of its
    /// summary. Leaving the section folds it, so one flag serves both.
    pub options_open: bool,
    /// The option row with focus while the section is open (an index into `SPECS`).
    pub option_cursor: usize,
    /// The Invitation row with focus while it is open (an index into [`invitation_rows`]).
    pub invitation_cursor: usize,
    pub focus: Field,
    /// Fields the person has edited; errors show for these (and for all after a submit),
    /// so an untouched empty subject is not shouted at on the first screen.
    touched: Vec<Field>,
    /// The field the last edit went to. A key in another field is the first since focus
    /// arrived there, which for a field still holding its default means "type over it".
    edited_in: Option<Field>,
    pub submit_attempted: bool,
}

impl FormState {
    /// Defaults: start at the next half hour, end 30 minutes later (as a duration, so moving
    /// the start moves the end), language and passcode from the settings.
    pub fn new(now: &DateTime<Tz>, language: &Language, passcode: bool) -> Self {
        Self {
            subject: Input::default(),
            start: Input::new(default_start(now)),
            end: Input::new("30m".into()),
            zone: Input::new(now.timezone().name().to_string()),
            passcode,
            language: Input::new(language.as_str().to_string()),
            attendees: Input::default(),
            mode: Mode::default(),
            message: Input::default(),
            location: Input::default(),
            repeats: Input::default(),
            options: MeetingOptions::new(),
            invitation: InvitationFields::default(),
            categories: Input::default(),
            options_open: false,
            option_cursor: 0,
            invitation_cursor: 0,
            focus: Field::Subject,
            touched: Vec::new(),
            edited_in: None,
            submit_attempted: false,
        }
    }

    pub fn input(&self, field: Field) -> Option<&Input> {
        match field {
            Field::Subject => Some(&self.subject),
            Field::Start => Some(&self.start),
            Field::End => Some(&self.end),
            Field::Zone => Some(&self.zone),
            Field::Language => Some(&self.language),
            Field::Attendees => Some(&self.attendees),
            Field::Message => Some(&self.message),
            Field::Location => Some(&self.location),
            Field::Repeats => Some(&self.repeats),
            Field::Categories => Some(&self.categories),
            Field::Passcode | Field::Mode | Field::Invitation | Field::Options | Field::Create => {
                None
            }
        }
    }

    pub fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        match field {
            Field::Subject => Some(&mut self.subject),
            Field::Start => Some(&mut self.start),
            Field::End => Some(&mut self.end),
            Field::Zone => Some(&mut self.zone),
            Field::Language => Some(&mut self.language),
            Field::Attendees => Some(&mut self.attendees),
            Field::Message => Some(&mut self.message),
            Field::Location => Some(&mut self.location),
            Field::Repeats => Some(&mut self.repeats),
            Field::Categories => Some(&mut self.categories),
            Field::Passcode | Field::Mode | Field::Invitation | Field::Options | Field::Create => {
                None
            }
        }
    }

    /// Moves the row with focus in the focused section (Options or Invitation); false at
    /// either end (focus then leaves the section).
    pub fn move_option(&mut self, down: bool) -> bool {
        let (cursor, len) = if self.focus == Field::Invitation {
            (&mut self.invitation_cursor, invitation_rows().count())
        } else {
            (&mut self.option_cursor, SPECS.len())
        };
        match (down, *cursor) {
            (true, c) if c + 1 < len => *cursor = c + 1,
            (false, c) if c > 0 => *cursor = c - 1,
            _ => return false,
        }
        true
    }

    /// The field of [`invitation_fields::FIELDS`] under the Invitation cursor.
    pub fn invitation_field(&self) -> Option<usize> {
        invitation_rows().nth(self.invitation_cursor)
    }

    /// The next (or previous) value of the row with focus, wrapping around.
    pub fn cycle_option(&mut self, forward: bool) {
        if self.focus == Field::Invitation {
            if let Some(i) = self.invitation_field() {
                self.invitation.cycle(i, forward);
            }
            return;
        }
        let i = self.option_cursor;
        let n = SPECS[i].choices.len();
        let cur = self.options.effective(i);
        let next = if forward {
            (cur + 1) % n
        } else {
            (cur + n - 1) % n
        };
        self.options.set_index(i, Some(next));
    }

    /// Back to the service's value: the option (or invitation field) is not sent.
    pub fn reset_option(&mut self) {
        if self.focus == Field::Invitation {
            if let Some(i) = self.invitation_field() {
                self.invitation.set_index(i, None);
            }
            return;
        }
        self.options.set_index(self.option_cursor, None);
    }

    /// Cycles the role of the person under the cursor (attendee → presenter → coorganizer)
    /// by rewriting their entry alone; nothing happens when the cursor is on no valid
    /// person. The entry is found by the list's own splitter, so `;` separates as `,` does.
    pub fn cycle_role(&mut self) {
        let value = self.attendees.value().to_string();
        let Some(range) = attendees::entry_at(&value, self.attendees.cursor()) else {
            return;
        };
        let chars: Vec<char> = value.chars().collect();
        let entry: String = chars[range.clone()].iter().collect();
        // Calendar mode: required ↔ optional; standalone: the meeting role.
        let cycled = match self.mode {
            Mode::Calendar => crate::calendar::Invitee::parse(&entry).ok().map(|mut p| {
                p.kind = p.kind.next();
                p.to_string()
            }),
            Mode::Standalone => Attendee::parse(&entry).ok().map(|mut a| {
                a.role = a.role.next();
                a.to_string()
            }),
        };
        let Some(cycled) = cycled else {
            return;
        };
        let own_lead: String = entry.chars().take_while(|c| c.is_whitespace()).collect();
        let lead = if own_lead.is_empty() && range.start > 0 {
            " ".to_string()
        } else {
            own_lead
        };
        let rewritten = format!("{lead}{cycled}");
        let before: String = chars[..range.start].iter().collect();
        let after: String = chars[range.end..].iter().collect();
        let cursor = range.start + rewritten.chars().count();
        self.attendees = Input::new(format!("{before}{rewritten}{after}")).with_cursor(cursor);
        self.touch(Field::Attendees);
    }

    /// Keeps an untouched default start at the next half hour as the clock moves: a form
    /// left open for hours would otherwise send a start long past. Once the person edits
    /// Start, it is theirs. The end default (`30m`) follows the start by itself.
    pub fn refresh_defaults(&mut self, now: &DateTime<Tz>) {
        if self.touched.contains(&Field::Start) {
            return;
        }
        let start = default_start(&self.planned_now(now));
        if self.start.value() != start {
            self.start = Input::new(start);
        }
    }

    /// Characters the field still takes. Every field has a cap (see [`Field::max_chars`]):
    /// tui-input walks the whole value on every edit and every frame, and a 20,000-character
    /// paste into Start once took minutes of CPU; past the cap a key costs nothing.
    pub fn room(&self, field: Field) -> usize {
        let used = self.input(field).map_or(0, |i| i.value().chars().count());
        field.max_chars().saturating_sub(used)
    }

    /// Whether an edit may go ahead: anything but a new character, or one that still fits.
    pub fn allows(&self, field: Field, req: &InputRequest) -> bool {
        !matches!(req, InputRequest::InsertChar(_)) || self.room(field) > 0
    }

    /// Called before each edit of the focused field. The first printable key (or paste) in
    /// Start, End or Language while it still holds its default replaces the default, as a
    /// GUI form selects a field tabbed into; a cursor key or Backspace first keeps it for
    /// editing. Typing `tomorrow 14:00` into Start must not give `…10:30tomorrow 14:00`.
    pub fn before_edit(&mut self, inserts: bool) {
        let field = self.focus;
        let first = self.edited_in != Some(field);
        self.edited_in = Some(field);
        let holds_default = matches!(
            field,
            Field::Start | Field::End | Field::Zone | Field::Language
        ) && !self.touched.contains(&field);
        if first
            && inserts
            && holds_default
            && let Some(input) = self.input_mut(field)
        {
            *input = Input::default();
        }
    }

    pub fn touch(&mut self, field: Field) {
        if !self.touched.contains(&field) {
            self.touched.push(field);
        }
    }

    /// Whether a field's error should be visible now.
    pub fn shows_error(&self, field: Field) -> bool {
        self.submit_attempted || self.touched.contains(&field)
    }

    /// The completion offered for the language field: the first common tag that extends
    /// what was typed.
    pub fn language_completion(&self) -> Option<&'static str> {
        let typed = self.language.value().trim();
        if typed.is_empty() {
            return None;
        }
        Language::completions(typed).find(|c| c.len() > typed.len())
    }

    /// The name of `mine` (the mailbox's categories) that the last entry of Category
    /// begins, when the cursor is at the end: the field as it reads with that name
    /// completed. None when nothing is typed there or no name of `mine` begins so.
    pub fn category_completion(&self, mine: &[String]) -> Option<String> {
        let value = self.categories.value();
        if self.categories.cursor() != value.chars().count() {
            return None;
        }
        let (before, typed) = match value.rsplit_once(',') {
            Some((b, t)) => (format!("{b}, "), t.trim_start()),
            None => (String::new(), value.trim_start()),
        };
        if typed.is_empty() {
            return None;
        }
        let lower = typed.to_lowercase();
        mine.iter()
            .find(|c| {
                c.to_lowercase().starts_with(&lower) && c.chars().count() > typed.chars().count()
            })
            .map(|c| format!("{before}{c}"))
    }

    /// The completion offered for the Zone field: the first abbreviation or IANA name that
    /// begins with what was typed, or whose city does (`tok` → `Asia/Tokyo`). None once
    /// the text names a zone (`EST` is not offered `EST5EDT`), or an abbreviation several
    /// places use (`IST` is not offered Istanbul: the error lists the places).
    pub fn zone_completion(&self) -> Option<String> {
        use crate::calendar::zone_input::{self, ZoneInputError};
        let typed = self.zone.value().trim();
        match zone_input::parse(typed) {
            Err(ZoneInputError::Unknown { .. }) => zone_input::complete(typed, 1).pop(),
            _ => None,
        }
    }

    /// The zone Start and End are read in: the Zone field's in calendar mode, else (or
    /// while it names no zone) the terminal's, `now`'s.
    fn planned(&self, now: &DateTime<Tz>) -> Result<Tz, String> {
        if self.mode != Mode::Calendar {
            return Ok(now.timezone());
        }
        crate::calendar::zone_input::parse(self.zone.value()).map_err(|e| e.to_string())
    }

    /// `now` in the zone Start and End are read in.
    pub fn planned_now(&self, now: &DateTime<Tz>) -> DateTime<Tz> {
        match self.planned(now) {
            Ok(z) => now.with_timezone(&z),
            Err(_) => *now,
        }
    }

    pub fn check(&self, now: &DateTime<Tz>) -> Checked {
        let subject = crate::meeting::request::validate_subject(self.subject.value())
            .map_err(|e| e.to_string());
        let zone = self.planned(now);
        // A bad zone is the Zone field's error; the times are still judged, in the
        // terminal's zone, so their own mistakes show too.
        let here = now.timezone();
        let now = &self.planned_now(now);
        let start = time::parse_start(self.start.value(), now).map_err(|e| e.to_string());
        let end = match &start {
            Ok(s) => time::parse_end(self.end.value(), s, now).map_err(|e| e.to_string()),
            // The end may be a duration counted from the start, so it cannot be judged alone;
            // only an empty end is worth reporting now.
            Err(_) if self.end.value().trim().is_empty() => Err(TimeError::Empty.to_string()),
            Err(_) => Err(String::new()),
        };
        let language = Language::parse(self.language.value());
        let calendar = self.mode == Mode::Calendar;
        let invitees = if calendar {
            crate::calendar::parse_invitees(self.attendees.value()).map_err(|e| e.to_string())
        } else {
            Ok(Vec::new())
        };
        let attendees = if calendar {
            Ok(Vec::new())
        } else {
            attendees::parse_list(self.attendees.value())
                .and_then(|list| {
                    attendees::check_presenters(
                        &list,
                        self.options.is("presenters", "role-is-presenter"),
                    )
                    .map(|()| list)
                })
                .map_err(|e| e.to_string())
        };
        let repeat = match (&start, &end) {
            _ if !calendar || self.repeats.value().trim().is_empty() => Ok(None),
            (Ok(s), Ok(e)) => crate::calendar::recurrence::parse(self.repeats.value())
                .and_then(|rule| crate::calendar::recurrence::Series::new(rule, s, e, s.timezone()))
                .map(Some)
                .map_err(|e| e.to_string()),
            // The times are wrong: they say so; the rule is judged once they are right.
            _ => crate::calendar::recurrence::parse(self.repeats.value())
                .map(|_| None)
                .map_err(|e| e.to_string()),
        };
        // What the section set, with the typed categories; empty categories send none.
        let invitation = if !calendar {
            Ok(InvitationFields::default())
        } else if self.categories.value().trim().is_empty() {
            Ok(self.invitation.clone())
        } else {
            let mut fields = self.invitation.clone();
            fields
                .set("categories", self.categories.value())
                .map(|()| fields)
        };
        // Teams creates a meeting in the past without complaint, and someone may mean it
        // (a record of a call that happened): warn, do not refuse.
        let start_warning = match &start {
            Ok(s) if time::is_past(s, now) => {
                Some("this start is in the past; the meeting is created anyway".to_string())
            }
            _ => None,
        };
        Checked {
            subject,
            start,
            end,
            zone,
            here,
            language,
            // A calendar meeting's passcode is the tenant's: the setting is not sent.
            passcode: self.passcode && !calendar,
            attendees,
            mode: self.mode,
            invitees,
            message: self.message.value().to_string(),
            location: self.location.value().to_string(),
            repeat,
            invitation,
            options: self.options.clone(),
            start_warning,
        }
    }
}

/// The fields the Invitation section's rows change, by index into
/// [`invitation_fields::FIELDS`]: all but the categories, which have a field of their own
/// since they are typed.
pub(crate) fn invitation_rows() -> impl Iterator<Item = usize> {
    invitation_fields::FIELDS
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind != Kind::Categories)
        .map(|(i, _)| i)
}

fn default_start(now: &DateTime<Tz>) -> String {
    time::next_half_hour(now)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The form's verdict. An empty error string means "not judged" (shown as nothing).
#[derive(Debug, Clone)]
pub struct Checked {
    pub subject: Result<String, String>,
    pub start: Result<DateTime<Tz>, String>,
    pub end: Result<DateTime<Tz>, String>,
    /// The zone the times are read and sent in (calendar mode's Zone field).
    pub zone: Result<Tz, String>,
    /// The terminal's zone.
    pub here: Tz,
    pub language: Result<Language, String>,
    pub passcode: bool,
    pub attendees: Result<Vec<Attendee>, String>,
    pub mode: Mode,
    /// Calendar mode's Attendees: the people invited (empty in standalone mode).
    pub invitees: Result<Vec<crate::calendar::Invitee>, String>,
    pub message: String,
    pub location: String,
    /// Calendar mode's Repeats: the series, None for a meeting that happens once.
    pub repeat: Result<Option<crate::calendar::recurrence::Series>, String>,
    /// Calendar mode's invitation fields (categories from their own field).
    pub invitation: Result<InvitationFields, String>,
    pub options: MeetingOptions,
    /// Shown under Start (not an error: the form still submits).
    pub start_warning: Option<String>,
}

impl Checked {
    pub fn error(&self, field: Field) -> Option<&str> {
        let e = match field {
            Field::Subject => self.subject.as_ref().err(),
            Field::Start => self.start.as_ref().err(),
            Field::End => self.end.as_ref().err(),
            Field::Zone => self.zone.as_ref().err(),
            Field::Language => self.language.as_ref().err(),
            Field::Attendees => self
                .attendees
                .as_ref()
                .err()
                .or(self.invitees.as_ref().err()),
            Field::Repeats => self.repeat.as_ref().err(),
            Field::Categories => self.invitation.as_ref().err(),
            Field::Passcode
            | Field::Mode
            | Field::Message
            | Field::Location
            | Field::Invitation
            | Field::Options
            | Field::Create => None,
        }?;
        (!e.is_empty()).then_some(e.as_str())
    }

    /// A warning for a field whose value is valid but probably not meant.
    pub fn warning(&self, field: Field) -> Option<&str> {
        match field {
            Field::Start => self.start_warning.as_deref(),
            _ => None,
        }
    }

    pub fn first_bad_field(&self) -> Option<Field> {
        Field::ALL.into_iter().find(|f| match f {
            Field::Subject => self.subject.is_err(),
            Field::Start => self.start.is_err(),
            Field::End => self.end.is_err(),
            Field::Zone => self.zone.is_err(),
            Field::Language => self.language.is_err(),
            Field::Attendees => self.attendees.is_err() || self.invitees.is_err(),
            Field::Repeats => self.repeat.is_err(),
            Field::Categories => self.invitation.is_err(),
            _ => false,
        })
    }

    /// "Tue 1 Dec 14:00–14:30 CET, 30 min", when both times are good.
    pub fn range_description(&self) -> Option<String> {
        match (&self.start, &self.end) {
            (Ok(s), Ok(e)) => Some(time::describe_range(s, e)),
            _ => None,
        }
    }

    /// Under Zone, when it is not the terminal's: the chosen times in both
    /// (`10:00–10:30 New York · 16:00–16:30 Berlin`).
    pub fn zone_line(&self) -> Option<String> {
        match (&self.zone, &self.start, &self.end) {
            (Ok(z), Ok(s), Ok(e)) if *z != self.here => Some(crate::calendar::zone_input::in_both(
                (s.with_timezone(&chrono::Utc), e.with_timezone(&chrono::Utc)),
                *z,
                self.here,
            )),
            _ => None,
        }
    }

    /// The request, or None while any field is bad (the fields say why).
    pub fn request(&self) -> Option<Result<MeetingRequest, RequestError>> {
        match (
            &self.subject,
            &self.start,
            &self.end,
            &self.language,
            &self.attendees,
        ) {
            (Ok(subject), Ok(start), Ok(end), Ok(lang), Ok(people)) => Some(
                MeetingRequest::new(subject, start, end, self.passcode, Some(lang.clone()))
                    .and_then(|r| r.with_attendees(people.clone()))
                    .and_then(|r| r.with_options(self.options.clone())),
            ),
            _ => None,
        }
    }

    /// Calendar mode: the event, or None while any field is bad; Err is the refusal to
    /// show (an option a calendar meeting cannot take, a message too long).
    pub fn event_request(
        &self,
        transaction_id: String,
    ) -> Option<Result<crate::calendar::EventRequest, String>> {
        let invitees = self.invitees.as_ref().ok()?.clone();
        let series = self.repeat.as_ref().ok()?.clone();
        let invitation = self.invitation.as_ref().ok()?.clone();
        let zone = *self.zone.as_ref().ok()?;
        let meeting = match self.request()? {
            Ok(m) => m,
            Err(e) => return Some(Err(e.to_string())),
        };
        let text = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        Some(
            crate::calendar::EventRequest::new(
                meeting,
                invitees,
                text(&self.message),
                text(&self.location),
                transaction_id,
            )
            .map(|r| r.with_invitation(invitation).planned_in(zone))
            .and_then(|r| match series {
                Some(s) => r.repeating(s),
                None => Ok(r),
            }),
        )
    }

    /// Under Repeats: the rule in words and the next meetings with their local times and
    /// zone, so a change of clocks shows before sending; then what else to know (a start
    /// moved to the rule's first date, months without the day).
    pub fn repeat_preview(&self, this_year: i32) -> Vec<String> {
        let Ok(Some(series)) = &self.repeat else {
            return Vec::new();
        };
        let mut lines = vec![
            format!("{} ({})", series.words(), series.zone().name()),
            series.preview(5).line(this_year),
        ];
        lines.extend(series.notes().into_iter().map(|n| format!("Note: {n}")));
        lines
    }
}
