//! Calendar mode on the form (issue 13): the mode switch, the event's submission with its
//! transaction id, the permissions features ask for when first used, the free/busy strip,
//! "find a time" and the completion of names. All of it pure, as `update` is: jobs go out
//! as effects and come back as actions tagged with their id.

use super::{
    Action, Effect, Job, Model, Overlay, Relogin, SameMeeting, Screen, StatusKind, start_sign_in,
};
use crate::calendar::hours::PersonHours;
use crate::calendar::suggestions::{EmptyReason, WithinHours};
use crate::calendar::{FreeBusy, Invitee, Suggestions, new_transaction_id};
use crate::calendar::{PersonMatch, Source};
use crate::permissions::Feature;
use crate::services::zones::ZonedSuggestions;
use crate::tui::completion::Completion;
use crate::tui::form_state::{Checked, Field, Mode};
use crate::tui::keymap::{Scope, key_for};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::time::Instant;

/// Typing settles for this long before the free/busy strip is asked for again, so that a
/// name typed letter by letter costs one request, not one per letter.
pub const FREE_BUSY_DEBOUNCE_MS: u64 = 400;
/// getSchedule takes 20 schedules; the organizer is one of them.
pub const MAX_FREE_BUSY_INVITEES: usize = 19;
/// How far ahead "find a time" looks.
pub const FIND_DAYS: i64 = 7;

/// Why a calendar side job (free/busy, suggestions, people) gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideError {
    /// The sign-in lacks the feature's permission; nothing was sent.
    Consent(Feature),
    /// Anything else, already made safe for the screen.
    Failed(String),
}

/// What a created event adds to the join details.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventOutcome {
    pub invited: usize,
    /// A retry with the same transaction id found the event the first request made.
    pub existed: bool,
}

/// The day and the people a free/busy strip is for: when either changes, it is asked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeBusyKey {
    pub day: NaiveDate,
    pub people: Vec<String>,
    pub interval_minutes: u32,
}

#[derive(Debug, Clone, Default)]
pub struct FreeBusyState {
    /// The key waiting for the debounce, and when it is due (model milliseconds).
    pub pending: Option<(FreeBusyKey, u64)>,
    /// The key last asked for; its answer is `shown` once it arrives.
    pub requested: Option<FreeBusyKey>,
    pub job: Option<u64>,
    pub shown: Option<FreeBusy>,
    /// Each row's working hours and zone, row for row with `shown` (empty when unknown).
    pub hours: Vec<crate::calendar::hours::PersonHours>,
    /// One line instead of the strip: no permission, or the request failed.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SuggestView {
    /// The job whose answer the list waits for; None once it came.
    pub job: Option<u64>,
    pub suggestions: Option<Suggestions>,
    /// Each invitee's working hours and zone, in the order asked (hours None: unknown).
    pub people: Vec<PersonHours>,
    /// Mine, when known: a time outside them is said (a search beyond them).
    pub organizer: Option<PersonHours>,
    /// Whose working hours the search kept to.
    pub within: WithinHours,
    /// A series: per time, its next meetings and who is not free at each.
    pub later: Vec<Vec<crate::services::series::Clash>>,
    pub error: Option<String>,
    pub selected: usize,
}

/// My free times to share, as the overlay shows them.
#[derive(Debug, Clone, Default)]
pub struct SharedView {
    /// The job whose answer it waits for; None once it came.
    pub job: Option<u64>,
    /// The shortest free time asked for: the form's meeting length.
    pub min: Duration,
    /// The line to send (copied too).
    pub text: Option<String>,
    /// Whose hours they keep to, and where those came from.
    pub note: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CalendarState {
    /// The last calendar submission whose event is not known to exist, and the transaction
    /// id it went with: the same meeting submitted again reuses it, so the service returns
    /// the event the first request made instead of making a second one (§3.4).
    pub transaction: Option<(SameMeeting, String)>,
    /// Set while the result pane shows an event.
    pub outcome: Option<EventOutcome>,
    pub free_busy: FreeBusyState,
    /// A feature whose permission is missing: the grant key signs in asking for it.
    pub consent: Option<Feature>,
    /// Names completed in the Attendees field.
    pub(crate) completion: Completion,
    /// The Attendees text and cursor the completion last saw.
    completion_seen: (String, usize),
    /// Where completions come from when People.Read is missing: said under the field.
    pub completion_note: Option<String>,
    /// The names of the mailbox's categories, once read (None: not read, or not
    /// readable without MailboxSettings.Read; categories are free text then).
    pub categories: Option<Vec<String>>,
    categories_asked: bool,
}

/// The mailbox's categories are read once, when the Category field first has focus.
pub(super) fn ask_categories(m: &mut Model) -> Option<Effect> {
    if m.form.focus != Field::Categories || m.calendar.categories_asked {
        return None;
    }
    m.calendar.categories_asked = true;
    Some(Effect::MasterCategories)
}

/// Space, ← or → on the Mode field; the choice is remembered for the next session.
pub(super) fn toggle_mode(m: &mut Model) -> Vec<Effect> {
    let f = &mut m.form;
    f.mode = f.mode.other();
    // The role suffixes of one mode mean nothing in the other.
    let status = match f.mode {
        Mode::Calendar => {
            "Calendar mode: the meeting goes on your calendar and the attendees \
                           get an invitation from you."
        }
        Mode::Standalone => {
            "Standalone mode: a link only, on no calendar; no invitations are \
                             sent."
        }
    };
    m.close_if(|o| matches!(o, Overlay::Suggest(_)));
    m.set_status(StatusKind::Info, status);
    // A demo leaves no trace for the real tmeet (its tokens and history are in memory).
    if m.demo {
        return vec![];
    }
    vec![Effect::RememberMode(m.form.mode)]
}

/// Ctrl+S in calendar mode, once the form's fields are valid.
pub(super) fn submit(m: &mut Model, checked: &Checked) -> Vec<Effect> {
    let meeting = match checked.request() {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            m.set_status(StatusKind::Error, format!("Not created: {e}"));
            return vec![];
        }
        None => return vec![],
    };
    let same = SameMeeting::of(&m.form, &meeting);
    let reused = m
        .calendar
        .transaction
        .as_ref()
        .filter(|(s, _)| s.matches(&same))
        .map(|(_, id)| id.clone());
    let transaction_id = reused.clone().unwrap_or_else(new_transaction_id);
    let request = match checked.event_request(transaction_id.clone()) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            m.set_status(StatusKind::Error, format!("Not created: {e}"));
            return vec![];
        }
        None => return vec![],
    };
    let unsure = m.unsure.as_ref().is_some_and(|u| u.meeting.matches(&same));
    m.calendar.transaction = Some((same.clone(), transaction_id));
    let id = m.next_job;
    m.next_job += 1;
    m.error = None;
    m.status = None;
    m.open(Overlay::InFlight(Job {
        id,
        started_ms: m.ms,
        wait: None,
        meeting: same,
        event: true,
    }));
    if reused.is_some() && unsure {
        m.set_status(
            StatusKind::Info,
            "Sent again with the same transaction id: if the first request made the event, \
             the service returns it instead of making another.",
        );
    }
    vec![Effect::CreateEvent {
        job: id,
        request: Box::new(request),
    }]
}

/// The status line after an event create whose outcome is unknown (no answer, or Esc).
pub(super) fn may_exist() -> String {
    format!(
        "The event may have been created. {} sends it again with the same transaction id, \
         so it is not made twice.",
        key_for(Scope::Form, super::Intent::Submit)
    )
}

/// A created event: the join details as for a standalone meeting, plus the invitations.
pub(super) fn created(
    m: &mut Model,
    job: u64,
    result: Box<crate::tui::view::ResultView>,
    outcome: EventOutcome,
    warnings: Vec<String>,
) -> Vec<Effect> {
    if m.job().is_none_or(|j| j.id != job) {
        return vec![];
    }
    let invited = outcome.invited;
    let existed = outcome.existed;
    let effects = super::update(m, Action::Created { job, result });
    m.calendar.transaction = None;
    m.calendar.outcome = Some(outcome);
    let mut text = format!(
        "{} on your calendar; invitations sent to {invited} {}. Press {} to copy the join link.",
        if existed {
            "The first request had made it: the meeting is"
        } else {
            "Meeting created"
        },
        crate::calendar::people(invited),
        key_for(
            Scope::Result,
            super::Intent::Copy(crate::tui::view::CopyItem::JoinUrl)
        )
    );
    let kind = if warnings.is_empty() {
        StatusKind::Success
    } else {
        text = format!("{text} Note: {}", warnings.join("; "));
        StatusKind::Info
    };
    m.set_status(kind, text);
    effects
}

/// An event the service gave no Teams link (GRAPH-SCHEDULING.md §3.6): shown as the event
/// it is, with the outcome's words and the way forward. Not a retry: the same transaction
/// id would return this same event, so the next submission gets a new one.
pub(super) fn without_link(
    m: &mut Model,
    job: u64,
    result: Box<crate::tui::view::ResultView>,
    invited: usize,
    why: String,
) -> Vec<Effect> {
    if m.job().is_none_or(|j| j.id != job) {
        return vec![];
    }
    let effects = super::update(m, Action::Created { job, result });
    m.calendar.transaction = None;
    m.calendar.outcome = Some(EventOutcome {
        invited,
        existed: false,
    });
    m.meetings.shown = super::Shown::WithoutLink;
    let headline = crate::exit::Outcome::NoTeamsLink.headline(crate::exit::Subject::Event);
    let mut chars = headline.chars();
    let headline: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    m.set_status(
        StatusKind::Error,
        format!(
            "{headline}; invitations sent to {invited} {}. It is in My meetings: {} there, then \
             {} on it cancels it. Why: {why}",
            crate::calendar::people(invited),
            key_for(Scope::Result, super::Intent::MyMeetings),
            key_for(Scope::Meetings, super::Intent::Delete),
        ),
    );
    effects
}

/// A side job (free/busy, find a time, people) found its permission missing: say which
/// and why, and offer the sign-in that grants it.
fn consent_missing(m: &mut Model, feature: Feature) {
    m.calendar.consent = Some(feature);
}

/// The line that says what a missing permission costs and how to grant it.
pub fn consent_line(feature: Feature) -> String {
    format!(
        "tmeet needs permission to {} ({}). {} signs in to grant it.",
        feature.why(),
        feature.scope(),
        key_for(Scope::Consent, super::Intent::Grant)
    )
}

/// Ctrl+G: the device-code sign-in, asking for what was missing (the worker has already
/// added the scope to the next sign-in's request).
pub(super) fn grant(m: &mut Model) -> Vec<Effect> {
    if m.calendar.consent.is_none() {
        return vec![];
    }
    m.relogin = Relogin::Granting;
    m.screen = Screen::SignIn;
    start_sign_in(m)
}

/// After a sign-in: what a missing permission stopped is asked for again, now that it
/// may be allowed. The feature it was, if any.
pub(super) fn ask_again(m: &mut Model) -> Option<Feature> {
    let feature = m.calendar.consent.take()?;
    m.calendar.completion.reset();
    // The name under the cursor is asked for again.
    m.calendar.completion_seen = Default::default();
    m.calendar.completion_note = None;
    m.calendar.free_busy.requested = None;
    m.calendar.free_busy.note = None;
    Some(feature)
}

/// After the granting sign-in for `feature` (which [`ask_again`] runs again): the status
/// line says so.
pub(super) fn granted(m: &mut Model, account: &str, feature: Option<Feature>) {
    let what = feature.map_or("the calendar features", |f| f.why());
    m.set_status(
        StatusKind::Success,
        format!("Signed in as {account}; tmeet may now {what}."),
    );
}

// ---- free/busy ------------------------------------------------------------------------

/// The invitees typed so far that are addresses (a half-typed one is left out, not an
/// error): whom the strip shows beside the organizer.
pub(crate) fn valid_invitees(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in crate::meeting::attendees::split(text) {
        if let Ok(i) = Invitee::parse(part)
            && !out.iter().any(|o| o.eq_ignore_ascii_case(&i.address))
        {
            out.push(i.address);
        }
    }
    out
}

/// The slot length: 15 minutes where a day of them fits beside the names, else 30.
fn interval_for(width: u16) -> u32 {
    if width >= 130 { 15 } else { 30 }
}

/// What the strip should show now, if anything.
fn wanted_free_busy(m: &Model) -> Option<FreeBusyKey> {
    if m.form.mode != Mode::Calendar || m.screen != Screen::Form {
        return None;
    }
    // Read in the Zone field's zone; the strip shows the terminal's day around it.
    let start =
        crate::meeting::time::parse_start(m.form.start.value(), &m.form.planned_now(&m.now))
            .ok()?;
    let mut people = valid_invitees(m.form.attendees.value());
    people.truncate(MAX_FREE_BUSY_INVITEES);
    Some(FreeBusyKey {
        day: start.with_timezone(&m.zone()).date_naive(),
        people,
        interval_minutes: interval_for(m.size.0),
    })
}

/// Run after every action: a changed day or set of people starts (or restarts) the
/// debounce, and so does a changed name under the cursor; nothing is sent from here.
pub(super) fn after_action(m: &mut Model) {
    // An untouched Start follows a new Zone at once: its next half hour is written in the
    // zone it is read in, not left to be read six hours off until the clock ticks.
    if m.form.focus == Field::Zone {
        let now = m.now;
        m.form.refresh_defaults(&now);
    }
    completion_input(m);
    free_busy_input(m);
}

fn free_busy_input(m: &mut Model) {
    let Some(wanted) = wanted_free_busy(m) else {
        m.calendar.free_busy.pending = None;
        return;
    };
    let fb = &mut m.calendar.free_busy;
    if fb.requested.as_ref() == Some(&wanted) || m.calendar.consent == Some(Feature::FreeBusy) {
        fb.pending = None;
        return;
    }
    if fb.pending.as_ref().is_some_and(|(k, _)| *k == wanted) {
        return;
    }
    fb.pending = Some((wanted, m.ms + FREE_BUSY_DEBOUNCE_MS));
}

/// The local day `day` as UTC instants (a day with a DST change is 23 or 25 hours).
fn day_bounds(zone: chrono_tz::Tz, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start_of = |d| crate::meeting::time::start_of_day(&zone, d);
    Some((start_of(day), start_of(day.succ_opt()?)))
}

/// The one-shot timer fired: whatever is due is sent.
pub(super) fn on_timer(m: &mut Model) -> Vec<Effect> {
    let mut out = Vec::new();
    let now = m.instant();
    // It knows whether its pause has ended.
    if let Some((id, text)) = m.calendar.completion.on_timer(now) {
        out.push(Effect::FindPeople { id, text });
    }
    let due = m
        .calendar
        .free_busy
        .pending
        .as_ref()
        .is_some_and(|(_, at)| *at <= m.ms);
    if due && let Some((key, _)) = m.calendar.free_busy.pending.take() {
        let Some((start, end)) = day_bounds(m.zone(), key.day) else {
            return out;
        };
        let job = m.next_job;
        m.next_job += 1;
        let fb = &mut m.calendar.free_busy;
        fb.job = Some(job);
        fb.requested = Some(key.clone());
        out.push(Effect::FreeBusy {
            job,
            people: key.people,
            start,
            end,
            interval_minutes: key.interval_minutes,
        });
    }
    out
}

pub(super) fn free_busy_done(
    m: &mut Model,
    job: u64,
    result: Result<crate::calendar::hours::Schedules, SideError>,
) -> Vec<Effect> {
    let fb = &mut m.calendar.free_busy;
    if fb.job != Some(job) {
        return vec![]; // stale: the day or the people changed since
    }
    fb.job = None;
    match result {
        Ok(s) => {
            fb.shown = Some(s.free_busy);
            fb.hours = s.hours;
            fb.note = None;
        }
        Err(SideError::Consent(feature)) => {
            fb.shown = None;
            fb.note = Some(format!("No free/busy: {}", consent_line(feature)));
            consent_missing(m, feature);
        }
        Err(SideError::Failed(why)) => {
            fb.shown = None;
            fb.note = Some(format!("No free/busy: {why}"));
        }
    }
    vec![]
}

// ---- find a time ------------------------------------------------------------------------

/// Ctrl+F: suggestions of the form's duration for the invitees, from now (or the chosen
/// day, if later) for a week.
pub(super) fn find_time(m: &mut Model) -> Vec<Effect> {
    find_time_within(m, false, WithinHours::All)
}

/// Ctrl+F's search: within everyone's working hours, within the organizer's alone (the
/// others' then marked where it falls outside theirs), or beyond them.
fn find_time_within(m: &mut Model, outside_hours: bool, within: WithinHours) -> Vec<Effect> {
    let checked = m.form.check(&m.now);
    let (start, end) = match (&checked.start, &checked.end) {
        (Ok(s), Ok(e)) => (*s, *e),
        _ => {
            m.set_status(
                StatusKind::Error,
                "Finding a time needs a valid Start and End (for the length): fix them first.",
            );
            return vec![];
        }
    };
    let minutes = (end - start).num_minutes();
    if minutes <= 0 {
        m.set_status(StatusKind::Error, "End is not after Start.");
        return vec![];
    }
    // From the next half hour, as `tmeet suggest`: suggestions then start on the half
    // hour, as people book, not at the minute the key was pressed.
    let now = crate::meeting::time::next_half_hour(&m.now).with_timezone(&Utc);
    let day = start.with_timezone(&m.zone()).date_naive();
    let day_start = day_bounds(m.zone(), day).map_or(now, |(s, _)| s);
    let from = now.max(day_start);
    let to = from + Duration::days(FIND_DAYS);
    let job = m.next_job;
    m.next_job += 1;
    m.open(Overlay::Suggest(SuggestView {
        job: Some(job),
        within,
        ..SuggestView::default()
    }));
    m.set_status(
        StatusKind::Info,
        match (outside_hours, within) {
            (true, _) => "Looking for a time when everyone is free, outside working hours too…",
            (false, WithinHours::Organizer) => {
                "Looking for a time when everyone is free within your working hours…"
            }
            (false, WithinHours::All) => "Looking for a time when everyone is free…",
        },
    );
    vec![Effect::Suggest {
        job,
        attendees: valid_invitees(m.form.attendees.value()),
        minutes,
        from,
        to,
        outside_hours,
        within,
        repeat: checked
            .repeat
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .map(|s| (s.rule(), s.zone())),
    }]
}

/// What the list's key for a wider search does now, if anything: beyond the organizer's
/// working hours when the window holds none of theirs free, or within the organizer's
/// alone when the others' hours never meet them.
pub fn wider_search(view: &SuggestView) -> Option<(bool, WithinHours)> {
    let s = view.suggestions.as_ref()?;
    let reason = s.empty.as_ref()?;
    if reason.outside_hours_may_help(s.outside_hours) {
        return Some((true, view.within));
    }
    let theirs = matches!(
        reason,
        EmptyReason::AttendeesUnavailable | EmptyReason::AttendeesUnavailableOrUnknown
    );
    (theirs && view.within == WithinHours::All && !s.outside_hours && !view.people.is_empty())
        .then_some((false, WithinHours::Organizer))
}

pub(super) fn suggested(
    m: &mut Model,
    job: u64,
    result: Result<ZonedSuggestions, SideError>,
) -> Vec<Effect> {
    let Some(view) = m.suggest_mut().filter(|v| v.job == Some(job)) else {
        return vec![]; // closed, or asked again since
    };
    view.job = None;
    match result {
        Ok(found) => {
            let s = found.suggestions;
            let n = s.items.len();
            view.suggestions = Some(s);
            view.people = found.attendees;
            view.organizer = found.organizer;
            view.later = found.later;
            let key = key_for(Scope::Suggestions, super::Intent::FindTime);
            let text = match wider_search(view) {
                Some((true, _)) => {
                    format!("No time found within your working hours: {key} looks outside them.")
                }
                Some((false, _)) => format!(
                    "No time within everyone's working hours: {key} looks within yours alone, \
                     theirs marked."
                ),
                None if n == 0 => "No time found; the list says why.".to_string(),
                None => format!(
                    "{n} suggested {}: {} takes one, {} closes.",
                    if n == 1 { "time" } else { "times" },
                    key_for(Scope::Suggestions, super::Intent::Activate),
                    key_for(Scope::Suggestions, super::Intent::Back)
                ),
            };
            m.set_status(StatusKind::Info, text);
        }
        Err(SideError::Consent(feature)) => {
            m.close_if(|o| matches!(o, Overlay::Suggest(_)));
            consent_missing(m, feature);
            m.set_status(
                StatusKind::Error,
                format!("No suggestions: {}", consent_line(feature)),
            );
        }
        Err(SideError::Failed(why)) => {
            view.error = Some(why.clone());
            m.set_status(StatusKind::Error, format!("No suggestions: {why}"));
        }
    }
    vec![]
}

// ---- my free times to share -------------------------------------------------------------

/// How far ahead the share key looks, as `tmeet free --share` does by default.
pub const SHARE_DAYS: i64 = 7;

/// The share key: my free times from the next half hour for a week, each at least as long
/// as the form's meeting (30 minutes while Start or End is not valid), written in the
/// Zone field's zone (the recipient's, when planning for them) or else the terminal's.
pub(super) fn share_free(m: &mut Model) -> Vec<Effect> {
    let checked = m.form.check(&m.now);
    let minutes = match (&checked.start, &checked.end) {
        (Ok(s), Ok(e)) if *e > *s => (*e - *s).num_minutes(),
        _ => 30,
    };
    let from = crate::meeting::time::next_half_hour(&m.now).with_timezone(&Utc);
    let day = from.with_timezone(&m.zone()).date_naive() + Duration::days(SHARE_DAYS);
    let to = crate::meeting::time::start_of_day(&m.zone(), day);
    let job = m.next_job;
    m.next_job += 1;
    m.open(Overlay::Shared(SharedView {
        job: Some(job),
        min: Duration::minutes(minutes),
        ..SharedView::default()
    }));
    m.set_status(
        StatusKind::Info,
        "Reading your calendar for your free times…",
    );
    vec![Effect::ShareFree {
        job,
        from,
        to,
        min_minutes: minutes,
    }]
}

pub(super) fn free_times_found(
    m: &mut Model,
    job: u64,
    result: Result<crate::services::zones::FreeTimes, SideError>,
) -> Vec<Effect> {
    use crate::services::zones::HoursSource;
    let zone = m.form.planned_now(&m.now).timezone();
    let Some(view) = m.shared_mut().filter(|v| v.job == Some(job)) else {
        return vec![]; // closed, or asked again since
    };
    view.job = None;
    let minutes = view.min;
    match result {
        Ok(found) if found.spans.is_empty() => {
            let why = match found.longest_free {
                Some(l) => format!(
                    "no free time of {} within your working hours this week (the longest is {}); \
                     a shorter End asks for less",
                    crate::meeting::time::describe_duration(minutes),
                    crate::meeting::time::describe_duration(l)
                ),
                None => "your calendar is full within your working hours this week".into(),
            };
            view.error = Some(why.clone());
            m.set_status(StatusKind::Error, format!("Nothing to share: {why}."));
            vec![]
        }
        Ok(found) => {
            let twelve = found.mine.as_ref().is_some_and(|mb| mb.twelve_hour());
            let text = crate::calendar::free_times::share_text(&found.spans, zone, twelve);
            view.note = Some(format!(
                "Within your working hours ({}{}), at least {} each.",
                found.hours.describe(),
                match found.source {
                    HoursSource::Assumed => ", assumed: the service gave none",
                    HoursSource::Mailbox | HoursSource::Schedule => "",
                },
                crate::meeting::time::describe_duration(minutes)
            ));
            view.text = Some(text.clone());
            m.set_status(StatusKind::Info, "Your free times, to send: copying them…");
            vec![Effect::Copy {
                item: crate::tui::view::CopyItem::FreeTimes,
                text,
                html: None,
            }]
        }
        Err(SideError::Consent(feature)) => {
            m.close_if(|o| matches!(o, Overlay::Shared(_)));
            consent_missing(m, feature);
            m.set_status(
                StatusKind::Error,
                format!("No free times: {}", consent_line(feature)),
            );
            vec![]
        }
        Err(SideError::Failed(why)) => {
            view.error = Some(why.clone());
            m.set_status(StatusKind::Error, format!("No free times: {why}"));
            vec![]
        }
    }
}

/// Keys while my free times are shown: only closing.
pub(super) fn on_shared_intent(m: &mut Model, intent: super::Intent) -> Vec<Effect> {
    if intent == super::Intent::Back
        && let Some(Overlay::Shared(v)) = m.close_if(|o| matches!(o, Overlay::Shared(_)))
    {
        if let Some(job) = v.job {
            m.status = None;
            return vec![Effect::Cancel { job }];
        }
        m.status = None;
    }
    vec![]
}

/// Keys while the list is open: it is modal, so typing cannot change the form under it.
pub(super) fn on_suggest_intent(m: &mut Model, intent: super::Intent) -> Vec<Effect> {
    use super::Intent;
    let Some(view) = m.suggest_mut() else {
        return vec![];
    };
    let n = view.suggestions.as_ref().map_or(0, |s| s.items.len());
    match intent {
        Intent::ScrollDown if n > 0 => view.selected = (view.selected + 1).min(n - 1),
        Intent::ScrollUp => view.selected = view.selected.saturating_sub(1),
        Intent::Activate => {
            let pick = view
                .suggestions
                .as_ref()
                .and_then(|s| s.items.get(view.selected))
                .map(|s| (s.start, s.end));
            if let Some((start, end)) = pick {
                take_slot(m, start, end);
            }
        }
        Intent::Back => {
            m.close_if(|o| matches!(o, Overlay::Suggest(_)));
            m.status = None;
        }
        // Offered when the search can be widened (see `wider_search`).
        Intent::FindTime => {
            if let Some((outside_hours, within)) = wider_search(view) {
                return find_time_within(m, outside_hours, within);
            }
        }
        _ => {}
    }
    vec![]
}

/// Start and End become the slot, written as local times the fields read back exactly (in
/// the Zone field's zone, which they are read in).
fn take_slot(m: &mut Model, start: DateTime<Utc>, end: DateTime<Utc>) {
    let zone = m.form.planned_now(&m.now).timezone();
    let fmt = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    m.form.start = tui_input::Input::new(fmt(start));
    m.form.end = tui_input::Input::new(fmt(end));
    m.form.touch(Field::Start);
    m.form.touch(Field::End);
    m.close_if(|o| matches!(o, Overlay::Suggest(_)));
    let when = crate::meeting::time::describe_range(
        &start.with_timezone(&zone),
        &end.with_timezone(&zone),
    );
    m.set_status(
        StatusKind::Success,
        format!(
            "Start and End set to {when}. {} creates the meeting.",
            key_for(Scope::Form, super::Intent::Submit)
        ),
    );
}

/// The person's choice of standalone or calendar, written to disk: only a failure is
/// worth a line (the choice itself was said when it was made).
pub(super) fn remembered(m: &mut Model, result: Result<(), String>) -> Vec<Effect> {
    if let Err(why) = result {
        m.set_status(
            StatusKind::Info,
            format!(
                "The mode is used now but will not be remembered for the next start: {}",
                crate::sanitize::line(&why)
            ),
        );
    }
    vec![]
}

/// When the runtime must wake next for a debounce, if at all (DESIGN rule 4: one-shot
/// timers for deadlines, no fixed tick).
pub(super) fn next_deadline(m: &Model) -> Option<Instant> {
    let fb = m
        .calendar
        .free_busy
        .pending
        .as_ref()
        .map(|(_, at)| m.epoch + std::time::Duration::from_millis(*at));
    match (fb, m.calendar.completion.due()) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

// ---- completion -------------------------------------------------------------------------

/// The attendee under the cursor: its character range in the field and its text.
fn fragment(value: &str, cursor: usize) -> (usize, usize, String) {
    match crate::meeting::attendees::entry_at(value, cursor) {
        Some(r) => {
            let text = value.chars().skip(r.start).take(r.len()).collect();
            (r.start, r.end, text)
        }
        None => (cursor, cursor, String::new()),
    }
}

/// The completion hears of every change to the name under the cursor (typing, pasting,
/// deleting), however it came; the runtime's one-shot timer wakes it when its pause ends.
fn completion_input(m: &mut Model) {
    let seen = (
        m.form.attendees.value().to_string(),
        m.form.attendees.cursor(),
    );
    if !completion_active(m) {
        m.calendar.completion.pause();
        return;
    }
    if seen == m.calendar.completion_seen {
        return;
    }
    let (_, _, text) = fragment(&seen.0, seen.1);
    m.calendar.completion_seen = seen;
    let now = m.instant();
    // A part that is already an address with a type (`…:optional`) is not a name.
    let text = text
        .split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    // The deadline it returns is the completion's own `due`, read by `next_deadline`.
    let _ = m.calendar.completion.on_input(&text, now);
}

/// The completion listens only while the Attendees field of a calendar form has focus.
fn completion_active(m: &Model) -> bool {
    m.form.mode == Mode::Calendar && m.screen == Screen::Form && m.form.focus == Field::Attendees
}

/// Whether the dropdown is open with people to choose from.
pub fn completion_open(m: &Model) -> bool {
    m.form.mode == Mode::Calendar
        && m.form.focus == Field::Attendees
        && !m.calendar.completion.matches().is_empty()
}

pub(super) fn people_found(
    m: &mut Model,
    id: u64,
    result: Result<Vec<PersonMatch>, SideError>,
    source: Source,
) -> Vec<Effect> {
    let now = m.instant();
    let next = match result {
        Ok(found) => {
            m.calendar.completion_note = (source == Source::Directory).then(|| {
                format!(
                    "Names from the directory: {}",
                    consent_line(Feature::Complete)
                )
            });
            m.calendar.completion.on_answer(id, found, now)
        }
        Err(SideError::Consent(feature)) => {
            consent_missing(m, feature);
            m.calendar.completion.on_error(
                id,
                format!("typed addresses only. {}", consent_line(feature)),
            )
        }
        Err(SideError::Failed(why)) => m.calendar.completion.on_error(id, why),
    };
    next.map(|(id, text)| Effect::FindPeople { id, text })
        .into_iter()
        .collect()
}

/// Keys while the dropdown is open.
pub(super) fn on_completion_intent(m: &mut Model, intent: super::Intent) -> Vec<Effect> {
    use super::Intent;
    match intent {
        Intent::ScrollDown => m.calendar.completion.select_next(),
        Intent::ScrollUp => m.calendar.completion.select_prev(),
        Intent::Complete => accept(m),
        Intent::Back => m.calendar.completion.reset(),
        _ => {}
    }
    vec![]
}

/// The typed fragment becomes the person's address; a type after it (`:optional`) stays,
/// and at the end of the field a separator follows, ready for the next name.
fn accept(m: &mut Model) {
    let Some(person) = m.calendar.completion.take() else {
        return;
    };
    let value = m.form.attendees.value().to_string();
    let (from, to, part) = fragment(&value, m.form.attendees.cursor());
    let chars: Vec<char> = value.chars().collect();
    let suffix = part
        .split_once(':')
        .map(|(_, k)| format!(":{}", k.trim()))
        .unwrap_or_default();
    let at_end = to >= chars.len();
    // The names before, without the empty ones a typed separator after an added one
    // leaves (`ada@x, , bo` → `ada@x, bob@x`).
    let raw_before: String = chars[..from].iter().collect();
    let kept: Vec<&str> = raw_before
        .split(crate::meeting::attendees::SEPARATORS)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let before = if kept.is_empty() {
        String::new()
    } else {
        format!("{},", kept.join(", "))
    };
    let lead = if before.is_empty() { "" } else { " " };
    let from = before.chars().count();
    let inserted = format!(
        "{lead}{}{suffix}{}",
        person.address,
        if at_end { ", " } else { "" }
    );
    let after: String = chars[to.min(chars.len())..].iter().collect();
    let cursor = from + inserted.chars().count();
    m.form.attendees =
        tui_input::Input::new(format!("{before}{inserted}{after}")).with_cursor(cursor);
    m.form.touch(Field::Attendees);
    m.set_status(
        StatusKind::Info,
        format!(
            "Added {} <{}>.",
            crate::sanitize::line(&person.name),
            crate::sanitize::line(&person.address)
        ),
    );
}
