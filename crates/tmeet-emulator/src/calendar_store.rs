//! What the calendar side remembers: every mailbox's events (seeded colleagues' and the
//! ones clients create), the mail the service "sent" for them, the calendar's allowed
//! online-meeting providers, and the faults that wait for the next event create.

use super::faults::Fault;
use super::org::{self, Person};
use super::recurrence::{self, Recurrence};
use super::state::{DEMO_USER_NAME, DEMO_USER_UPN};
use super::timezones::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Instant;

/// `showAs`, in the order getSchedule's digits use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ShowAs {
    Free,
    Tentative,
    Busy,
    Oof,
    WorkingElsewhere,
    Unknown,
}

impl ShowAs {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "free" => ShowAs::Free,
            "tentative" => ShowAs::Tentative,
            "busy" => ShowAs::Busy,
            "oof" => ShowAs::Oof,
            "workingelsewhere" => ShowAs::WorkingElsewhere,
            "unknown" => ShowAs::Unknown,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            ShowAs::Free => "free",
            ShowAs::Tentative => "tentative",
            ShowAs::Busy => "busy",
            ShowAs::Oof => "oof",
            ShowAs::WorkingElsewhere => "workingElsewhere",
            ShowAs::Unknown => "unknown",
        }
    }

    /// The availabilityView digit (resource `scheduleInformation`).
    pub(crate) fn digit(self) -> char {
        match self {
            ShowAs::Free | ShowAs::Unknown => '0',
            ShowAs::Tentative => '1',
            ShowAs::Busy => '2',
            ShowAs::Oof => '3',
            ShowAs::WorkingElsewhere => '4',
        }
    }

    /// Which of two overlapping states a slot shows: away beats busy beats tentative
    /// beats elsewhere beats free.
    pub(crate) fn weight(self) -> u8 {
        match self {
            ShowAs::Free | ShowAs::Unknown => 0,
            ShowAs::WorkingElsewhere => 1,
            ShowAs::Tentative => 2,
            ShowAs::Busy => 3,
            ShowAs::Oof => 4,
        }
    }
}

/// The Teams meeting behind an event (`onlineMeetingInfo`).
#[derive(Debug, Clone)]
pub(crate) struct OnlineInfo {
    pub join_url: String,
    pub conference_id: String,
    pub toll_number: String,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    pub id: String,
    /// Whose calendar: the organizer's lowercased UPN.
    pub owner: String,
    pub organizer_name: String,
    pub organizer_address: String,
    pub change_key: String,
    pub ical_uid: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub subject: String,
    pub body_type: String,
    pub body: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub start_zone: String,
    pub end_zone: String,
    pub show_as: ShowAs,
    /// `{emailAddress{address,name}, type}` with `type` lowercased; status added on output.
    pub attendees: Vec<Value>,
    pub is_online: bool,
    pub provider: String,
    pub online: Option<OnlineInfo>,
    pub transaction_id: Option<String>,
    /// The create body a transactionId was first used with, to tell a retry from a reuse.
    pub create_payload: Option<Value>,
    pub cancelled: bool,
    /// Other writable properties echoed as given (importance, location, categories, …).
    pub extra: Map<String, Value>,
    /// A series master's rule and what became of its occurrences; None for a single
    /// instance (and for an occurrence, which is never stored: see [`StoredEvent::occurrence`]).
    pub series: Option<Box<Series>>,
    /// An occurrence or exception made from its master for one answer; None for what is
    /// stored.
    pub instance: Option<InstanceOf>,
}

/// A series (GRAPH-NEXT §2.2–2.3): the master keeps the rule; its occurrences are worked
/// out for each window asked, and only those changed on their own (exceptions) or cancelled
/// are remembered, by the date they had in the series.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub rule: Recurrence,
    /// Where the dates and the wall-clock time hold: `recurrenceTimeZone`, else the start's.
    pub zone: Zone,
    pub exceptions: BTreeMap<NaiveDate, Exception>,
    /// Cancelled or deleted occurrences: gone from calendarView and `/instances`.
    pub cancelled: BTreeSet<NaiveDate>,
    /// The change key of every occurrence that is not an exception: it changes with what
    /// they take from the master (an answer to the series, a new time), not with what
    /// touches the master alone (a date cancelled), so a delta reports only what changed.
    pub occurrence_key: String,
}

impl Series {
    pub(crate) fn new(rule: Recurrence, zone: Zone) -> Series {
        Series {
            rule,
            zone,
            exceptions: BTreeMap::new(),
            cancelled: BTreeSet::new(),
            occurrence_key: new_change_key(),
        }
    }
}

/// An occurrence changed on its own: an attendee answered it alone, or it moved. What it
/// does not hold it takes from its master.
#[derive(Debug, Clone)]
pub(crate) struct Exception {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Its own attendees and their answers: an answer to the whole series leaves them.
    pub attendees: Vec<Value>,
    /// A subject given to this meeting alone; None takes the master's.
    pub subject: Option<String>,
    /// Show as, and the invitation's other fields, given to this meeting alone; over the
    /// master's.
    pub show_as: Option<ShowAs>,
    pub extra: Map<String, Value>,
    pub change_key: String,
    pub modified: DateTime<Utc>,
}

/// What an occurrence belongs to.
#[derive(Debug, Clone)]
pub(crate) struct InstanceOf {
    pub master_id: String,
    /// The start its date in the series gives.
    pub original_start: DateTime<Utc>,
    pub exception: bool,
}

impl Series {
    /// The wall-clock start of every occurrence and how long each lasts, from the master.
    fn shape(&self, master: &StoredEvent) -> (NaiveTime, Duration) {
        (
            self.zone.to_local(&master.start).time(),
            master.end - master.start,
        )
    }
}

impl StoredEvent {
    /// A new change key and modification time, as every change gives; on a master its
    /// occurrences change with it.
    pub(crate) fn changed(&mut self) {
        self.change_key = new_change_key();
        self.modified = super::meetings::now();
        if let Some(s) = self.series.as_deref_mut() {
            s.occurrence_key = self.change_key.clone();
        }
    }

    /// The occurrence of this master on `date` (of the series, in its zone), as it stands:
    /// the master's fields, its own id, times and `iCalUId`, and an exception's answers.
    /// None when this is not a master or `date` is not one of its dates or was cancelled.
    pub(crate) fn occurrence(&self, date: NaiveDate) -> Option<StoredEvent> {
        let series = self.series.as_deref()?;
        if series.cancelled.contains(&date) || !series.rule.has_date(date) {
            return None;
        }
        Some(self.materialize(series, date))
    }

    fn materialize(&self, series: &Series, date: NaiveDate) -> StoredEvent {
        let (time, length) = series.shape(self);
        let original = recurrence::slot(&series.zone, date, time, length);
        let mut e = self.clone();
        e.series = None;
        e.id = occurrence_id(&self.id, date);
        e.ical_uid = occurrence_ical_uid(&self.ical_uid, date);
        e.start = original.start;
        e.end = original.end;
        e.change_key = series.occurrence_key.clone();
        // A retry of the series' create finds the master, not an occurrence.
        e.transaction_id = None;
        e.create_payload = None;
        let exception = series.exceptions.get(&date);
        if let Some(x) = exception {
            e.start = x.start;
            e.end = x.end;
            e.attendees = x.attendees.clone();
            if let Some(subject) = &x.subject {
                e.subject = subject.clone();
            }
            if let Some(show_as) = x.show_as {
                e.show_as = show_as;
            }
            e.extra.extend(x.extra.clone());
            e.change_key = x.change_key.clone();
            e.modified = x.modified;
        }
        e.instance = Some(InstanceOf {
            master_id: self.id.clone(),
            original_start: original.start,
            exception: exception.is_some(),
        });
        e
    }

    /// This master's occurrences and exceptions that overlap `[from, to)`, cancelled ones
    /// left out, earliest first; empty for an event that is not a master.
    pub(crate) fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<StoredEvent> {
        let Some(series) = self.series.as_deref() else {
            return Vec::new();
        };
        let (time, length) = series.shape(self);
        let mut out: Vec<StoredEvent> =
            recurrence::expand(&series.rule, &series.zone, time, length, from, to)
                .into_iter()
                .filter(|s| {
                    !series.cancelled.contains(&s.date) && !series.exceptions.contains_key(&s.date)
                })
                .map(|s| self.materialize(series, s.date))
                .collect();
        // An exception may have moved: it is where it now is.
        out.extend(
            series
                .exceptions
                .iter()
                .filter(|(d, x)| !series.cancelled.contains(d) && x.start < to && x.end > from)
                .map(|(d, _)| self.materialize(series, *d)),
        );
        out.sort_by_key(|e| e.start);
        out
    }

    pub(crate) fn attendee_addresses(&self) -> Vec<String> {
        self.attendees
            .iter()
            .filter_map(|a| a["emailAddress"]["address"].as_str())
            .map(str::to_string)
            .collect()
    }

    /// Whether `address` sees this event on their calendar, and as what: the organizer
    /// as its `showAs`; an invited colleague as tentative until they answer, as Exchange
    /// places a new meeting request.
    pub(crate) fn shows_for(&self, key: &str) -> Option<ShowAs> {
        if self.cancelled {
            return None;
        }
        if self.owner == key {
            return Some(self.show_as);
        }
        // An invitee who declined has no copy left (GRAPH-SCHEDULING §3.8).
        self.attendees
            .iter()
            .any(|a| {
                a["emailAddress"]["address"]
                    .as_str()
                    .is_some_and(|x| org::key(x) == key)
                    && a["status"]["response"] != "declined"
            })
            .then_some(ShowAs::Tentative)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MailKind {
    Invitation,
    Update,
    Cancellation,
}

impl MailKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Update => "update",
            MailKind::Cancellation => "cancellation",
        }
    }
}

/// One message the service sent on the organizer's behalf.
#[derive(Debug, Clone)]
pub(crate) struct Mail {
    pub recipient: String,
    pub kind: MailKind,
    pub subject: String,
    pub event_id: String,
    /// The Teams join link found in the message body, if any.
    pub join_url: Option<String>,
    pub comment: Option<String>,
    pub sent: DateTime<Utc>,
}

pub(crate) struct CalendarStore {
    pub events: Vec<StoredEvent>,
    pub mail: Vec<Mail>,
    /// `allowedOnlineMeetingProviders` of every calendar.
    pub allowed_providers: Vec<String>,
    /// Faults that wait for the next event create (not the next Graph request).
    pub event_faults: VecDeque<Fault>,
    /// The zone of working hours for people without one of their own.
    pub org_zone: Zone,
    /// See `EmulatorOptions::body_patch_regenerates_link`.
    pub body_patch_regenerates_link: bool,
    /// See `EmulatorOptions::iana_zones_in_events`.
    pub iana_zones_in_events: bool,
    /// Outlook's budget per mailbox and window (learn `throttling-limits`: 10,000 / 10 min).
    pub request_budget: usize,
    /// When each mailbox's calls in the current window arrived.
    pub recent_requests: HashMap<String, VecDeque<Instant>>,
    /// The signed-in person's mailbox (see `mailbox_modes.rs`).
    pub mailbox: super::mailbox_modes::MailboxModes,
}

/// Outlook's throttling window.
pub(crate) const THROTTLE_WINDOW: std::time::Duration = std::time::Duration::from_secs(600);

impl CalendarStore {
    /// Counts a call against `key`'s budget; when it is spent, how long until the oldest
    /// call in the window leaves it (what `Retry-After` says).
    pub(crate) fn spend(&mut self, key: &str, now: Instant) -> Result<(), std::time::Duration> {
        let calls = self.recent_requests.entry(key.to_string()).or_default();
        while calls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= THROTTLE_WINDOW)
        {
            calls.pop_front();
        }
        if calls.len() >= self.request_budget {
            let oldest = calls.front().copied().unwrap_or(now);
            return Err(THROTTLE_WINDOW.saturating_sub(now.duration_since(oldest)));
        }
        calls.push_back(now);
        Ok(())
    }
}

impl Default for CalendarStore {
    fn default() -> Self {
        CalendarStore {
            events: Vec::new(),
            mail: Vec::new(),
            allowed_providers: vec!["teamsForBusiness".into()],
            event_faults: VecDeque::new(),
            org_zone: Zone::parse(DEFAULT_ORG_ZONE).unwrap_or_else(Zone::utc),
            body_patch_regenerates_link: false,
            iana_zones_in_events: true,
            request_budget: 10_000,
            recent_requests: HashMap::new(),
            mailbox: Default::default(),
        }
    }
}

/// Contoso's zone in Microsoft's samples.
pub(crate) const DEFAULT_ORG_ZONE: &str = "Pacific Standard Time";

impl CalendarStore {
    /// Today in the organization's zone: the day the seed is laid out from.
    pub(crate) fn today(&self) -> NaiveDate {
        self.org_zone.to_local(&Utc::now()).date()
    }

    /// Colleagues' meetings on the working days from `today` on (today included), the
    /// same for the same date: every run of `--demo` on one day shows the same week. Each
    /// colleague's meetings lie in their own working hours, in their zone, and on their
    /// working days only; each day one colleague who has meetings that day invites the
    /// organizer to the first of them.
    pub(crate) fn seed(&mut self, today: NaiveDate) {
        const SUBJECTS: &[&str] = &[
            "1:1",
            "Budget review",
            "Customer call",
            "Design sync",
            "Focus time",
            "Hiring loop",
            "Planning",
            "Product demo",
            "Team standup",
            "Vendor check-in",
        ];
        let mut day = today;
        let mut working_days = 0;
        while working_days < 5 {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                working_days += 1;
                let mut firsts: Vec<Option<usize>> = Vec::new();
                for (n, p) in org::colleagues().enumerate() {
                    let seed = u64::from(day.num_days_from_ce().unsigned_abs()) * 64 + n as u64;
                    let mut rng = StdRng::seed_from_u64(seed);
                    let hours = self.hours_of(&p);
                    let zone = hours.zone.clone();
                    let (h0, m0) = (hours.start.hour(), hours.start.minute());
                    firsts.push(None);
                    if !hours.days.contains(&day.weekday()) {
                        continue;
                    }
                    // One colleague is away for a whole day each week.
                    let week = day.iso_week().week();
                    let away = week as usize % org::colleagues().count() == n
                        && day.weekday().num_days_from_monday() == (week + 2) % 5;
                    if away {
                        let length = (hours.end - hours.start).num_minutes().max(60);
                        self.push_seeded(
                            &p,
                            &zone,
                            day,
                            (h0, m0),
                            length,
                            "Out of office",
                            ShowAs::Oof,
                        );
                        continue;
                    }
                    let meetings = rng.random_range(2..=4);
                    let first = self.events.len();
                    let mut slots: Vec<u32> = Vec::new();
                    for _ in 0..meetings {
                        // Half-hour slots over the first eight working hours, none twice.
                        let slot = rng.random_range(0..16u32);
                        if slots.contains(&slot) {
                            continue;
                        }
                        slots.push(slot);
                        let minutes = [30, 30, 60, 60, 90][rng.random_range(0..5)];
                        let show_as = match rng.random_range(0..10) {
                            0 => ShowAs::Tentative,
                            1 => ShowAs::WorkingElsewhere,
                            _ => ShowAs::Busy,
                        };
                        let subject = SUBJECTS[rng.random_range(0..SUBJECTS.len())];
                        let at = m0 + slot * 30;
                        let start = (h0 + at / 60, at % 60);
                        self.push_seeded(&p, &zone, day, start, minutes, subject, show_as);
                    }
                    if self.events.len() > first {
                        firsts[n] = Some(first);
                    }
                }
                // Each day one colleague's first meeting invites the organizer, so the
                // organizer's own calendar has something on it too: the day's turn, or
                // the next colleague after them who has meetings that day.
                let count = firsts.len();
                let inviter = (0..count)
                    .map(|k| (working_days + k) % count.max(1))
                    .find_map(|n| firsts.get(n).copied().flatten());
                if let Some(e) = inviter.and_then(|i| self.events.get_mut(i)) {
                    e.attendees.push(serde_json::json!({
                        "type": "required",
                        "emailAddress": {"name": DEMO_USER_NAME, "address": DEMO_USER_UPN},
                    }));
                }
            }
            day = day.succ_opt().unwrap_or(day);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_seeded(
        &mut self,
        p: &Person,
        zone: &Zone,
        day: NaiveDate,
        (h, m): (u32, u32),
        minutes: i64,
        subject: &str,
        show_as: ShowAs,
    ) {
        let Some(time) = NaiveTime::from_hms_opt(h, m, 0) else {
            return;
        };
        let start = zone.to_utc(day.and_time(time));
        let mut e = new_event(
            p.upn,
            p.display_name,
            start,
            start + Duration::minutes(minutes),
        );
        e.subject = subject.to_string();
        e.show_as = show_as;
        e.start_zone = zone.name.clone();
        e.end_zone = zone.name.clone();
        self.events.push(e);
    }

    /// The event an id names: a stored one, or an occurrence of a stored master that is
    /// one of its dates and not cancelled.
    pub(crate) fn locate(&self, id: &str) -> Option<Found> {
        if let Some(i) = self.events.iter().position(|e| e.id == id) {
            return Some(Found::Event(i));
        }
        let (master, date) = parse_occurrence_id(id)?;
        let i = self.events.iter().position(|e| e.id == master)?;
        self.events[i].occurrence(date)?;
        Some(Found::Occurrence(i, date))
    }

    /// The event an id names as a reader sees it: stored, or an occurrence made up.
    pub(crate) fn instance(&self, id: &str) -> Option<Cow<'_, StoredEvent>> {
        match self.locate(id)? {
            Found::Event(i) => Some(Cow::Borrowed(&self.events[i])),
            Found::Occurrence(i, date) => self.events[i].occurrence(date).map(Cow::Owned),
        }
    }

    /// Every calendar's events that overlap `[from, to)` as calendarView sees them: single
    /// instances, and each series' occurrences and exceptions instead of its master.
    pub(crate) fn expanded(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Cow<'_, StoredEvent>> {
        let mut out = Vec::new();
        for e in &self.events {
            if e.series.is_some() {
                out.extend(e.occurrences(from, to).into_iter().map(Cow::Owned));
            } else if e.start < to && e.end > from {
                out.push(Cow::Borrowed(e));
            }
        }
        out
    }

    /// What `key`'s calendar shows between `from` and `to`, earliest first; a series by
    /// its occurrences.
    pub(crate) fn busy_items(
        &self,
        key: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(Cow<'_, StoredEvent>, ShowAs)> {
        let mut items: Vec<_> = self
            .expanded(from, to)
            .into_iter()
            .filter_map(|e| e.shows_for(key).map(|s| (e, s)))
            .filter(|(_, s)| *s != ShowAs::Free)
            .collect();
        items.sort_by_key(|(e, _)| e.start);
        items
    }

    /// The strongest state `key` shows anywhere in `[from, to)`.
    pub(crate) fn availability(&self, key: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> ShowAs {
        self.busy_items(key, from, to)
            .into_iter()
            .map(|(_, s)| s)
            .max_by_key(|s| s.weight())
            .unwrap_or(ShowAs::Free)
    }
}

/// Applies the emulator options and seeds the colleagues' calendars from today's date in
/// the organization's zone.
pub(crate) fn configure(
    store: &mut CalendarStore,
    org_zone: Option<&str>,
    providers: Vec<String>,
) -> Result<(), String> {
    if let Some(name) = org_zone {
        store.org_zone = Zone::parse(name).ok_or_else(|| {
            format!("org_time_zone '{name}' is neither a Windows zone nor a CLDR-mapped IANA zone")
        })?;
    }
    store.allowed_providers = providers;
    store.seed(store.today());
    Ok(())
}

/// One message in the sent-mail log (`GET /_emulator/mail`, [`crate::Emulator::sent_mail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    pub recipient: String,
    /// `invitation`, `update` or `cancellation`.
    pub kind: String,
    pub subject: String,
    pub event_id: String,
    /// The Teams join link found in the message body.
    pub join_url: Option<String>,
    /// The organizer's message of a cancel.
    pub comment: Option<String>,
}

impl From<&Mail> for SentMail {
    fn from(m: &Mail) -> Self {
        SentMail {
            recipient: m.recipient.clone(),
            kind: m.kind.name().to_string(),
            subject: m.subject.clone(),
            event_id: m.event_id.clone(),
            join_url: m.join_url.clone(),
            comment: m.comment.clone(),
        }
    }
}

/// An event with the service's defaults, ids and keys filled in.
pub(crate) fn new_event(
    upn: &str,
    name: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> StoredEvent {
    let now = super::meetings::now();
    StoredEvent {
        id: new_event_id(),
        owner: upn.to_ascii_lowercase(),
        organizer_name: name.to_string(),
        organizer_address: upn.to_string(),
        change_key: new_change_key(),
        ical_uid: new_ical_uid(),
        created: now,
        modified: now,
        subject: String::new(),
        body_type: "html".into(),
        body: String::new(),
        start,
        end,
        start_zone: "UTC".into(),
        end_zone: "UTC".into(),
        show_as: ShowAs::Busy,
        attendees: Vec::new(),
        is_online: false,
        provider: "unknown".into(),
        online: None,
        transaction_id: None,
        create_payload: None,
        cancelled: false,
        extra: Map::new(),
        series: None,
        instance: None,
    }
}

/// Where service ids of occurrences begin: like any event id.
const OCCURRENCE_ID_PREFIX: &str = "AAMkAGVmMDEz";

/// An occurrence's id: its own, as the service's are (GRAPH-NEXT §2.2), and telling the
/// emulator its master and date without a table. Base64 with `+`, `/` and `=` possible, as
/// every event id.
pub(crate) fn occurrence_id(master_id: &str, date: NaiveDate) -> String {
    use base64::Engine;
    let raw = format!("{date}\u{1}{master_id}");
    format!(
        "{OCCURRENCE_ID_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// The master id and date an [`occurrence_id`] names; None for any other id (a stored
/// event's id never decodes: its base64 is of an odd length).
pub(crate) fn parse_occurrence_id(id: &str) -> Option<(String, NaiveDate)> {
    use base64::Engine;
    let rest = id.strip_prefix(OCCURRENCE_ID_PREFIX)?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest)
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (date, master) = raw.split_once('\u{1}')?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some((master.to_string(), date))
}

/// An occurrence's `iCalUId`: the master's Outlook global object id with the occurrence's
/// date in the four bytes the master leaves zero (year high, year low, month, day), as
/// Outlook's instance ids carry it; so each occurrence has its own (GRAPH-NEXT §2.2).
fn occurrence_ical_uid(master: &str, date: NaiveDate) -> String {
    const DATE_AT: usize = 32;
    if master.len() < DATE_AT + 8 || !master.is_ascii() {
        return format!("{master}{}", date.format("%Y%m%d"));
    }
    let year = date.year().clamp(0, 0xFFFF) as u32;
    format!(
        "{}{:04X}{:02X}{:02X}{}",
        &master[..DATE_AT],
        year,
        date.month(),
        date.day(),
        &master[DATE_AT + 8..]
    )
}

/// Which stored event an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// A single instance or a series master, at this index.
    Event(usize),
    /// The occurrence (or exception) of the master at this index on this date.
    Occurrence(usize, NaiveDate),
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    rand::rng().fill(&mut b[..]);
    b
}

/// Opaque and base64-like with `+`, `/` and `=` in it, as the service's ids are, so a
/// client that forgets to URL-encode it in a path fails here as it would there.
fn new_event_id() -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let a = STANDARD.encode(random_bytes(30));
    let b = STANDARD.encode(random_bytes(31));
    format!("AAMkAGVmMDEz{a}+/{b}")
}

pub(crate) fn new_change_key() -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    format!("DwAAABYAAAA{}", STANDARD.encode(random_bytes(15)))
}

/// Hex, beginning with the Outlook global-object-id prefix the documentation shows.
fn new_ical_uid() -> String {
    let tail: String = random_bytes(40)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    format!("040000008200E00074C5B7101A82E00800000000{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_the_same_for_the_same_day_and_fills_working_days() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(); // a Friday
        let mut a = CalendarStore::default();
        a.seed(day);
        let mut b = CalendarStore::default();
        b.seed(day);
        let shape = |s: &CalendarStore| {
            s.events
                .iter()
                .map(|e| {
                    (
                        e.owner.clone(),
                        e.start,
                        e.end,
                        e.subject.clone(),
                        e.show_as,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&a), shape(&b));
        assert!(a.events.len() >= 5 * 4, "{} events", a.events.len());
        // Nobody's meeting falls on the weekend or outside their working days, and each
        // begins within their working hours, in their own zone.
        for e in &a.events {
            let p = org::mailbox(&e.owner).unwrap();
            let hours = a.hours_of(&p);
            let local = hours.zone.to_local(&e.start);
            assert!(
                !matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
                "{e:?}"
            );
            assert!(hours.days.contains(&local.weekday()), "{e:?}");
            assert!(
                local.time() >= hours.start && local.time() < hours.end,
                "{} at {local}",
                p.display_name
            );
        }
        // Nestor's day begins at 09:00 in Tokyo, which is the night before in the
        // organization's zone (Pacific): his meetings are there, not at 08:00 Pacific.
        let nestor = org::mailbox("NestorW@contoso.onmicrosoft.com").unwrap();
        assert!(
            a.events
                .iter()
                .filter(|e| e.owner == nestor.upn.to_ascii_lowercase())
                .all(|e| a.org_zone.to_local(&e.start).hour() >= 16),
            "Tokyo's working day is Pacific's evening"
        );
        // Lee works Monday to Thursday, and the seeded week begins on a Friday.
        let lee = org::mailbox("LeeG@contoso.onmicrosoft.com").unwrap();
        assert!(a.events.iter().all(|e| {
            e.owner != lee.upn.to_ascii_lowercase()
                || a.org_zone.to_local(&e.start).weekday() != Weekday::Fri
        }));
        let organizer = DEMO_USER_UPN.to_ascii_lowercase();
        let invited = a
            .events
            .iter()
            .filter(|e| e.shows_for(&organizer) == Some(ShowAs::Tentative))
            .count();
        assert_eq!(invited, 5, "one invitation for the organizer a day");
        let mut c = CalendarStore::default();
        c.seed(day.succ_opt().unwrap());
        assert_ne!(shape(&a), shape(&c));
    }

    #[test]
    fn the_budget_is_per_mailbox_and_refills_after_the_window() {
        let mut s = CalendarStore {
            request_budget: 2,
            ..CalendarStore::default()
        };
        let t0 = Instant::now();
        assert!(s.spend("a", t0).is_ok());
        assert!(
            s.spend("a", t0 + std::time::Duration::from_secs(60))
                .is_ok()
        );
        let wait = s
            .spend("a", t0 + std::time::Duration::from_secs(120))
            .unwrap_err();
        assert_eq!(wait, std::time::Duration::from_secs(480));
        assert!(
            s.spend("b", t0).is_ok(),
            "another mailbox has its own budget"
        );
        assert!(s.spend("a", t0 + THROTTLE_WINDOW).is_ok());
    }

    #[test]
    fn ids_look_like_the_services() {
        let e = new_event(
            "AdeleV@contoso.onmicrosoft.com",
            "Adele Vance",
            Utc::now(),
            Utc::now(),
        );
        assert!(e.id.contains('+') && e.id.contains('/') && e.id.ends_with('='));
        assert!(e.ical_uid.starts_with("040000008200E00074C5B7101A82E008"));
        assert!(e.ical_uid.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(e.owner, "adelev@contoso.onmicrosoft.com");
    }

    #[test]
    fn an_occurrence_id_names_its_master_and_date_and_a_stored_id_names_none() {
        let e = new_event("a@b.c", "A", Utc::now(), Utc::now());
        let day = NaiveDate::from_ymd_opt(2031, 1, 6).unwrap();
        let id = occurrence_id(&e.id, day);
        assert!(id.starts_with("AAMkAGVmMDEz") && id != e.id);
        assert_eq!(parse_occurrence_id(&id), Some((e.id.clone(), day)));
        for _ in 0..50 {
            let other = new_event("a@b.c", "A", Utc::now(), Utc::now());
            assert_eq!(parse_occurrence_id(&other.id), None);
        }
        assert_eq!(parse_occurrence_id("AAMkAGVmMDEzbm90IGFuIGlk"), None);
        let uid = occurrence_ical_uid(&e.ical_uid, day);
        assert_eq!(uid.len(), e.ical_uid.len());
        assert_eq!(&uid[32..40], "07EF0106", "2031 (0x07EF), January, 6th");
        assert_eq!(uid[..32], e.ical_uid[..32]);
        assert_eq!(uid[40..], e.ical_uid[40..]);
    }
}
