//! The local history of the meetings tmeet created ("My meetings").
//!
//! Graph cannot list onlineMeetings (GRAPH-SCHEDULING.md §6): a meeting can only be found
//! again by its id or join link, so tmeet keeps both, with enough to show the meeting
//! without a request. One SQLite file, `$XDG_DATA_HOME/tmeet/history.sqlite3` (0600, like
//! its `-wal` and `-shm` files, which SQLite creates with the database's mode), in WAL mode
//! with a busy timeout so that two tmeet processes can record at the same moment.
//!
//! Passcodes are secrets and are never written here: they are stripped from the stored
//! answer, the invitation included, and fetched again with a GET when needed.
//!
//! `TMEET_HISTORY=off` or `history = false` in config.toml turns the history off. A demo
//! session keeps its history in memory: its meetings live in an emulator that ends with it.

pub(crate) mod agenda;
pub(crate) mod command;
mod schema;
pub(crate) mod series;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version this tmeet writes (`PRAGMA user_version`).
#[cfg(test)]
pub(crate) const SCHEMA_VERSION: u32 = schema::CURRENT;

/// How long a writer waits for another process's transaction before giving up. Ours are
/// one statement long; five seconds covers a busy disk.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The body properties that are not "options": they have columns of their own, or are
/// secrets (`joinMeetingIdSettings` carries the passcode).
const NOT_OPTIONS: &[&str] = &[
    "subject",
    "startDateTime",
    "endDateTime",
    "joinMeetingIdSettings",
    "participants",
    "externalId",
];

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot open the meeting history {path}: {why}")]
    Open { path: PathBuf, why: String },
    #[error(
        "the meeting history {path} was written by a newer tmeet (schema {found}, this one \
         knows {known}); update tmeet, or set TMEET_HISTORY=off to run without it"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("the meeting history: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no data directory for the meeting history (is HOME set?); set XDG_DATA_HOME")]
    NoDataDir,
}

/// Why a REF did not name one meeting. Each says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum RefError {
    #[error("no meeting '{0}' in the history; `tmeet list --all` shows the refs")]
    NotFound(String),
    #[error(
        "'{reference}' matches {} meetings in the history ({}); give more of the id, or \
         the number `tmeet list` shows",
        candidates.len(),
        candidates.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
    )]
    Ambiguous {
        reference: String,
        candidates: Vec<i64>,
    },
    #[error("an empty REF names no meeting; `tmeet list` shows the refs")]
    Empty,
    #[error(transparent)]
    Store(#[from] HistoryError),
}

impl From<rusqlite::Error> for RefError {
    fn from(e: rusqlite::Error) -> Self {
        RefError::Store(e.into())
    }
}

/// A standalone onlineMeeting, or (issue 13) a calendar event with its meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Standalone,
    Event,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Standalone => "standalone",
            Kind::Event => "event",
        }
    }

    fn parse(s: &str) -> Kind {
        if s == "event" {
            Kind::Event
        } else {
            Kind::Standalone
        }
    }
}

/// What tmeet last knew of the meeting at the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Active,
    /// Deleted (by tmeet, or found gone by `list --refresh`).
    Deleted,
    /// Its subject, times or options differ from what tmeet set: changed in Teams or by
    /// another program. The row holds the service's current values.
    Changed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Deleted => "deleted",
            State::Changed => "changed",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "deleted" => State::Deleted,
            "changed" => State::Changed,
            _ => State::Active,
        }
    }
}

/// Where a meeting lives: what a later command needs to reach it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub cloud: String,
    pub tenant: String,
    pub client_id: Option<String>,
    /// `me`, or the user id meetings are created for (`--user`).
    pub target: String,
    /// Who: for a row, the organizer the service named (`participants.organizer.upn`) when
    /// it was made; for a run, the signed-in account's name. None: unknown (a row from
    /// before tmeet kept it, an app-only run), and then nothing is refused for it.
    pub upn: Option<String>,
}

impl Account {
    pub fn of(settings: &crate::settings::Settings) -> Self {
        Self {
            cloud: settings.cloud.to_string(),
            tenant: settings.tenant.clone(),
            client_id: settings.client_id.clone(),
            target: settings.user.clone().unwrap_or_else(|| "me".into()),
            upn: None,
        }
    }
}

/// What a successful create leaves to record.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub kind: Kind,
    pub account: &'a Account,
    /// The body that was sent (options asked for, attendees).
    pub body: &'a Value,
    /// The service's answer, as parsed JSON.
    pub answer: &'a Value,
    /// The invitation language asked for (the service does not echo it).
    pub language: Option<&'a str>,
}

/// One meeting of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The short ref `tmeet list` shows; stable for the life of the row.
    pub id: i64,
    pub kind: Kind,
    pub graph_id: String,
    pub join_url: Option<String>,
    pub join_meeting_id: Option<String>,
    pub subject: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub organizer: Option<String>,
    pub account: Account,
    pub options_asked: Value,
    pub options_set: Value,
    pub attendees: Value,
    pub language: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub state: State,
    pub external_id: Option<String>,
    pub event_id: Option<String>,
    pub ical_uid: Option<String>,
    pub web_link: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    /// The service's object as last seen, passcode removed.
    pub meeting_json: Option<Value>,
    /// A series: `{"rule": words, "timeZone": IANA name, "recurrence": as sent}`; None for
    /// a meeting that happens once.
    pub series: Option<Value>,
}

impl Entry {
    /// The meeting as last seen, read as any answer is (no passcode: it is not stored).
    pub fn meeting(&self) -> Option<crate::graph::model::OnlineMeeting> {
        read_row_meeting(self.meeting_json.as_ref()?)
    }

    /// Still to come (or under way) at `now`; a meeting without times counts as upcoming.
    pub fn is_upcoming(&self, now: DateTime<Utc>) -> bool {
        self.end.or(self.start).is_none_or(|t| t >= now)
    }

    /// The documented `--json` shape of `list` and `show` (README, "My meetings"). Server
    /// text is escaped for the terminal as `create --json` does.
    pub fn to_json(&self) -> Value {
        self.clone().into_json()
    }

    /// [`Entry::to_json`], moving what the entry holds into the value rather than copying
    /// it: `list --json` makes one per meeting.
    pub fn into_json(self) -> Value {
        let t = |d: Option<DateTime<Utc>>| Value::from(d.map(|d| rfc3339(&d)));
        let fields = [
            ("ref", self.id.into()),
            ("kind", self.kind.as_str().into()),
            ("state", self.state.as_str().into()),
            ("id", self.graph_id.into()),
            ("joinWebUrl", self.join_url.into()),
            ("joinMeetingId", self.join_meeting_id.into()),
            ("subject", self.subject.into()),
            ("startDateTime", t(self.start)),
            ("endDateTime", t(self.end)),
            ("organizer", self.organizer.into()),
            ("cloud", self.account.cloud.into()),
            ("tenant", self.account.tenant.into()),
            ("clientId", self.account.client_id.into()),
            ("user", self.account.target.into()),
            ("account", self.account.upn.into()),
            ("optionsAsked", self.options_asked),
            ("optionsSet", self.options_set),
            ("attendees", self.attendees),
            ("language", self.language.into()),
            ("externalId", self.external_id.into()),
            ("eventId", self.event_id.into()),
            ("iCalUId", self.ical_uid.into()),
            ("webLink", self.web_link.into()),
            ("createdAt", rfc3339(&self.created_at).into()),
            ("updatedAt", rfc3339(&self.updated_at).into()),
            ("checkedAt", t(self.checked_at)),
            ("series", self.series.into()),
        ];
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }
}

/// What a line of `tmeet list` and of My meetings shows: read without the JSON columns, so
/// that a listing costs what it prints, not what the history holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: i64,
    pub kind: Kind,
    pub state: State,
    pub subject: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// The account it was made with ([`Account::upn`]).
    pub account: Option<String>,
    /// A calendar meeting's event.
    pub event_id: Option<String>,
    /// A series: its rule in words, and its next meeting (None when none is left).
    pub repeats: Option<Repeats>,
}

/// What a listing says of a series: the rule, and the meeting it lists the series by.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeats {
    pub words: String,
    pub next: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Repeats {
    fn of(
        kept: Option<&Value>,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
    ) -> Option<Repeats> {
        let k = series::Kept::of(kept, start, end)?;
        Some(Repeats {
            next: k.next(Utc::now()),
            words: k.words,
        })
    }
}

/// What the one-line helpers of [`command`] read: an [`Entry`] or a [`Summary`].
pub(crate) trait Brief {
    /// The row's ref, and the start it is stored by (a series' first meeting): the order
    /// SQL reads rows in.
    fn stored(&self) -> (i64, Option<DateTime<Utc>>);
    fn start(&self) -> Option<DateTime<Utc>>;
    fn end(&self) -> Option<DateTime<Utc>>;
    /// The times a listing keeps or drops it by: a series' next meeting.
    fn listed_times(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (self.start(), self.end())
    }
    fn state(&self) -> State;
    fn subject(&self) -> Option<&str>;
}

impl Brief for Entry {
    fn stored(&self) -> (i64, Option<DateTime<Utc>>) {
        (self.id, self.start)
    }
    fn start(&self) -> Option<DateTime<Utc>> {
        self.start
    }
    fn end(&self) -> Option<DateTime<Utc>> {
        self.end
    }
    fn listed_times(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        match Repeats::of(self.series.as_ref(), self.start, self.end).and_then(|r| r.next) {
            Some((s, e)) => (Some(s), Some(e)),
            None => (self.start, self.end),
        }
    }
    fn state(&self) -> State {
        self.state
    }
    fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
}

impl Brief for Summary {
    fn stored(&self) -> (i64, Option<DateTime<Utc>>) {
        (self.id, self.start)
    }
    fn start(&self) -> Option<DateTime<Utc>> {
        self.repeats
            .as_ref()
            .and_then(|r| r.next)
            .map_or(self.start, |n| Some(n.0))
    }
    fn end(&self) -> Option<DateTime<Utc>> {
        self.repeats
            .as_ref()
            .and_then(|r| r.next)
            .map_or(self.end, |n| Some(n.1))
    }
    fn state(&self) -> State {
        self.state
    }
    fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
}

/// Where a listing puts a row: by start (a series by its next meeting), those without
/// one last, then by ref; the order of `ORDER BY start_utc IS NULL, start_utc, id`.
fn place(start: Option<DateTime<Utc>>, id: i64) -> (bool, Option<DateTime<Utc>>, i64) {
    (start.is_none(), start, id)
}

/// Which entries `list` shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Past meetings too.
    pub all: bool,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Filter {
    /// Whether a meeting with these times is listed at `now`: without `all`, one that has
    /// ended is not (one without times counts as upcoming); `since` and `until` bound its
    /// start (its end when it has no start).
    fn keeps(
        &self,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> bool {
        let upcoming = end.or(start).is_none_or(|t| t >= now);
        let start = start.or(end);
        (self.all || upcoming)
            && self.since.is_none_or(|s| start.is_none_or(|t| t >= s))
            && self.until.is_none_or(|u| start.is_none_or(|t| t < u))
    }
}

/// What comparing a row with the service found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Unchanged,
    /// Now [`State::Changed`]; the row took the service's values.
    Changed,
    /// 404: now [`State::Deleted`].
    Gone,
}

pub struct Store {
    conn: Connection,
}

/// Records what `create` just created, in the history this run's settings choose. Ok(None)
/// when the history is off. The caller warns on an error: the meeting exists regardless.
pub(crate) fn record_new(
    settings: &crate::settings::Settings,
    request: &crate::meeting::MeetingRequest,
    answer: &Value,
) -> Result<Option<Entry>, HistoryError> {
    let Some(store) = Store::for_settings(settings)? else {
        return Ok(None);
    };
    store
        .record_request(&Account::of(settings), request, answer)
        .map(Some)
}

/// [`record_new`] for a calendar meeting.
pub(crate) fn record_new_event(
    settings: &crate::settings::Settings,
    request: &crate::calendar::EventRequest,
    event: &crate::calendar::Event,
    meeting: Option<&Value>,
) -> Result<Option<Entry>, HistoryError> {
    let Some(store) = Store::for_settings(settings)? else {
        return Ok(None);
    };
    store
        .record_event(&Account::of(settings), request, event, meeting)
        .map(Some)
}

impl Store {
    /// The history this run uses: None when it is turned off; in memory for a demo.
    pub fn for_settings(
        settings: &crate::settings::Settings,
    ) -> Result<Option<Store>, HistoryError> {
        if !settings.history {
            return Ok(None);
        }
        if settings.demo {
            return Store::in_memory().map(Some);
        }
        let path = crate::paths::history_file().ok_or(HistoryError::NoDataDir)?;
        Store::open(&path).map(Some)
    }

    /// Opens (creating 0600 if needed) and migrates the file at `path`.
    pub fn open(path: &Path) -> Result<Store, HistoryError> {
        let failed = |why: String| HistoryError::Open {
            path: path.to_path_buf(),
            why,
        };
        if let Some(dir) = path.parent() {
            crate::paths::create_private_dir(dir).map_err(|e| failed(e.to_string()))?;
        }
        private_file(path).map_err(|e| failed(e.to_string()))?;
        let conn = Connection::open(path).map_err(|e| failed(e.to_string()))?;
        Store::setup(conn, path)
    }

    pub fn in_memory() -> Result<Store, HistoryError> {
        Store::setup(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, HistoryError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers never block the writer, and a second writer waits (busy_timeout)
        // instead of failing with "database is locked".
        // Switching a new file to WAL takes an exclusive lock, and SQLite answers BUSY there
        // without calling the busy handler when another process does the same at that
        // moment: retry for as long as a busy writer would be waited for.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(e.into()),
            }
        }
        // What a create pays for its row, chosen so that it stays a small part of the
        // create (bench/history.py measures it against the history turned off):
        // - synchronous = NORMAL: in WAL mode a commit is not fsynced, the WAL is at each
        //   checkpoint. A crash of the machine (not of tmeet) may lose the last rows; it
        //   cannot corrupt the file, which is what SQLite documents for WAL + NORMAL.
        // - no checkpoint on close: each tmeet process opens the file once and closes it,
        //   and by default the last connection to close checkpoints (two fsyncs) and
        //   removes the WAL. The WAL stays instead, is read by the next open, and is
        //   checkpointed when it reaches SQLite's 1000 pages (every few hundred creates).
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        // IMMEDIATE: two processes opening a new file at once migrate one after the other;
        // the second then finds the version current.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > schema::CURRENT {
            return Err(HistoryError::TooNew {
                path: path.to_path_buf(),
                found,
                known: schema::CURRENT,
            });
        }
        for (i, step) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(step)?;
            tracing::info!(version = i + 1, "history schema migrated");
        }
        if found < schema::CURRENT {
            tx.pragma_update(None, "user_version", schema::CURRENT)?;
        }
        tx.commit()?;
        Ok(Store { conn })
    }

    /// The version of the open file (after migration: `schema::CURRENT`).
    pub fn schema_version(&self) -> Result<u32, HistoryError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Records a meeting just created; a createOrGet answer for a meeting already in the
    /// history updates that row instead (same cloud and id).
    pub fn record_create(&self, rec: &Record<'_>) -> Result<Entry, HistoryError> {
        let now = rfc3339(&Utc::now());
        let f = Fields::of(rec.answer);
        let asked = options_of(rec.body);
        let set = set_of(&asked, rec.answer);
        let attendees = attendees_of(rec.body);
        // The row and its stored meeting in one commit.
        let tx = self.conn.unchecked_transaction()?;
        let id: i64 = self.conn.query_row(
            "INSERT INTO meetings (kind, graph_id, join_url, join_meeting_id, subject,
                 start_utc, end_utc, organizer, cloud, tenant, client_id, target,
                 options_asked, options_set, attendees, language, created_at, updated_at,
                 state, external_id, account)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?17, 'active', ?18, ?19)
             ON CONFLICT (cloud, graph_id) DO UPDATE SET
                 join_url = excluded.join_url, join_meeting_id = excluded.join_meeting_id,
                 subject = excluded.subject, start_utc = excluded.start_utc,
                 end_utc = excluded.end_utc, organizer = excluded.organizer,
                 options_set = excluded.options_set, updated_at = excluded.updated_at,
                 state = 'active', account = COALESCE(meetings.account, excluded.account)
             RETURNING id",
            params![
                rec.kind.as_str(),
                f.id,
                f.join_url,
                f.join_meeting_id,
                f.subject,
                f.start,
                f.end,
                f.organizer,
                rec.account.cloud,
                rec.account.tenant,
                rec.account.client_id,
                rec.account.target,
                asked.to_string(),
                set.to_string(),
                attendees.to_string(),
                rec.language,
                now,
                f.external_id,
                f.organizer_upn.as_ref().or(rec.account.upn.as_ref()),
            ],
            |r| r.get(0),
        )?;
        self.store_meeting(id, rec.answer)?;
        tx.commit()?;
        self.get(id)
    }

    /// Keeps `answer`, passcode removed, as the meeting `show` and open read.
    fn store_meeting(&self, id: i64, answer: &Value) -> Result<(), HistoryError> {
        self.conn.execute(
            "INSERT INTO stored_meetings (id, json) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            params![id, without_passcode(answer).to_string()],
        )?;
        Ok(())
    }

    /// A standalone meeting created from `request` (the form, `create`).
    pub fn record_request(
        &self,
        account: &Account,
        request: &crate::meeting::MeetingRequest,
        answer: &Value,
    ) -> Result<Entry, HistoryError> {
        let sent = crate::graph::model::NewMeeting::from(request);
        self.record_create(&Record {
            kind: Kind::Standalone,
            account,
            body: &sent.body,
            answer,
            language: request.language().map(|l| l.as_str()),
        })
    }

    /// A calendar meeting (`create --calendar`, the form's calendar mode): `meeting` is the
    /// online meeting behind the event as the service sent it, when it could be read. The
    /// row holds
    /// the online meeting behind the event (or, when it could not be read, what the event
    /// says of it) and the event's id, iCalUId and web link, so `cancel` and `delete` reach
    /// the event. Invitees are kept as `{upn: address, role: required|optional}`.
    pub fn record_event(
        &self,
        account: &Account,
        request: &crate::calendar::EventRequest,
        event: &crate::calendar::Event,
        meeting: Option<&Value>,
    ) -> Result<Entry, HistoryError> {
        let answer = match meeting {
            Some(m) => m.clone(),
            // The row needs an id: the event's stands in for the meeting's it lacks.
            None => serde_json::to_value(crate::graph::model::OnlineMeeting {
                id: Some(event.id.clone()),
                ..event.as_meeting()
            })
            .unwrap_or_default(),
        };
        let mut body = Map::new();
        request.meeting.options().write_into(&mut body);
        let invitees: Vec<Value> = request
            .invitees
            .iter()
            .map(|i| json!({"upn": i.address, "role": i.kind.graph()}))
            .collect();
        body.insert("participants".into(), json!({ "attendees": invitees }));
        let entry = self.record_create(&Record {
            kind: Kind::Event,
            account,
            body: &Value::Object(body),
            answer: &answer,
            language: request.meeting.language().map(|l| l.as_str()),
        })?;
        let series = request.series.as_ref().map(|s| {
            json!({
                "rule": s.words(),
                "timeZone": s.zone().name(),
                "recurrence": s.to_graph(s.zone().name()),
            })
            .to_string()
        });
        self.conn.execute(
            "UPDATE meetings SET kind = 'event', event_id = ?1, ical_uid = ?2, web_link = ?3,
                 series = ?5 WHERE id = ?4",
            params![event.id, event.ical_uid, event.web_link, entry.id, series],
        )?;
        self.get(entry.id)
    }

    /// The service's answer to an update (`tmeet update`, the form's edit): the row
    /// takes its subject, times and options, and is active again.
    /// `sent` is the PATCH body: the options it names become what was asked (merged over
    /// what the create asked), and when it named the attendees, the row's list is the new
    /// one.
    pub fn record_update(
        &self,
        id: i64,
        sent: &Value,
        answer: &Value,
    ) -> Result<Entry, HistoryError> {
        let entry = self.get(id)?;
        let mut asked = entry.options_asked.as_object().cloned().unwrap_or_default();
        if let Value::Object(now) = options_of(sent) {
            asked.extend(now);
        }
        let attendees = if get_ci(sent, "participants").is_some() {
            attendees_of(sent)
        } else {
            entry.attendees.clone()
        };
        self.conn.execute(
            "UPDATE meetings SET options_asked = ?2, attendees = ?3 WHERE id = ?1",
            params![id, Value::Object(asked).to_string(), attendees.to_string()],
        )?;
        self.take_answer(id, answer, State::Active)?;
        self.get(id)
    }

    /// A calendar meeting after `tmeet update`: the row follows the event (its subject,
    /// times and invitees, which are what the invitees hold) and, through `view`
    /// (the event over the meeting behind it), the options of the
    /// meeting behind it; active again.
    pub fn record_event_update(
        &self,
        id: i64,
        event: &crate::calendar::Event,
        view: &Value,
    ) -> Result<Entry, HistoryError> {
        self.take_answer(id, view, State::Active)?;
        self.take_invitees(id, event)?;
        self.get(id)
    }

    /// [`Store::record_check`] for a calendar meeting: `now` is the event (None: gone or
    /// cancelled) and the meeting behind it when it could be read. Subject and times are
    /// compared with the event's, the invitees too; the options with the meeting's (with
    /// the stored copy's when it could not be read).
    pub fn record_event_check(
        &self,
        entry: &Entry,
        now: Option<(&crate::calendar::Event, Option<&Value>)>,
    ) -> Result<Check, HistoryError> {
        let Some((event, meeting)) = now else {
            return self.record_check(entry, None);
        };
        let base = meeting.cloned().or_else(|| entry.meeting_json.clone());
        let view = crate::calendar::event_view(event, base);
        let people_differ = same_people(&invitees_of(event)) != same_people(&entry.attendees);
        let check = self.record_check(entry, Some(&view))?;
        self.take_invitees(entry.id, event)?;
        if people_differ && check == Check::Unchanged {
            self.record_state(entry.id, State::Changed)?;
            return Ok(Check::Changed);
        }
        Ok(check)
    }

    fn take_invitees(&self, id: i64, event: &crate::calendar::Event) -> Result<(), HistoryError> {
        self.conn.execute(
            "UPDATE meetings SET attendees = ?2, web_link = COALESCE(?3, web_link) WHERE id = ?1",
            params![id, invitees_of(event).to_string(), event.web_link],
        )?;
        Ok(())
    }

    /// One meeting of a series changed or cancelled, or the series ended before a date:
    /// kept in the row's series as `changes` (`{"date", "what"}`, oldest first), which
    /// `show` lists. A row that is not a series is left as it is.
    pub fn record_series_change(
        &self,
        id: i64,
        date: chrono::NaiveDate,
        what: &str,
    ) -> Result<(), HistoryError> {
        let entry = self.get(id)?;
        let Some(mut series) = entry.series else {
            return Ok(());
        };
        let day = date.format("%Y-%m-%d").to_string();
        let change = json!({"date": day, "what": what});
        // One line a meeting edited again: a new time replaces the earlier edit, and a
        // plain change adds nothing to an edit already kept. Cancellations stay as said.
        let edit = |w: &str| w == "changed" || w.starts_with("moved to");
        match series.get_mut("changes").and_then(Value::as_array_mut) {
            Some(list) => {
                let earlier = list.iter().position(|c| {
                    c["date"] == day.as_str() && c["what"].as_str().is_some_and(edit)
                });
                match earlier {
                    Some(_) if what == "changed" => return Ok(()),
                    Some(i) if edit(what) => {
                        list.remove(i);
                    }
                    _ => {}
                }
                list.push(change);
            }
            None => series["changes"] = json!([change]),
        }
        self.conn.execute(
            "UPDATE meetings SET series = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, series.to_string(), rfc3339(&Utc::now())],
        )?;
        Ok(())
    }

    /// Sets what tmeet knows of the meeting (deleted by `tmeet delete`, …).
    pub fn record_state(&self, id: i64, state: State) -> Result<(), HistoryError> {
        self.conn.execute(
            "UPDATE meetings SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), rfc3339(&Utc::now())],
        )?;
        Ok(())
    }

    /// Compares the row with the service's current object (`None`: it answered 404) and
    /// records what was found. A meeting found changed stays marked changed until tmeet
    /// itself updates it.
    pub fn record_check(
        &self,
        entry: &Entry,
        answer: Option<&Value>,
    ) -> Result<Check, HistoryError> {
        let now = rfc3339(&Utc::now());
        let Some(answer) = answer else {
            self.conn.execute(
                "UPDATE meetings SET state = 'deleted', checked_at = ?2 WHERE id = ?1",
                params![entry.id, now],
            )?;
            return Ok(Check::Gone);
        };
        let f = Fields::of(answer);
        let set_now = set_of(&entry.options_asked, answer);
        let differs = f.subject != entry.subject
            || f.start != entry.start.map(|t| rfc3339(&t))
            || f.end != entry.end.map(|t| rfc3339(&t))
            || set_now != entry.options_set;
        let state = if differs { State::Changed } else { entry.state };
        self.take_answer(entry.id, answer, state)?;
        self.conn.execute(
            "UPDATE meetings SET checked_at = ?2 WHERE id = ?1",
            params![entry.id, now],
        )?;
        Ok(if differs {
            Check::Changed
        } else {
            Check::Unchanged
        })
    }

    fn take_answer(&self, id: i64, answer: &Value, state: State) -> Result<(), HistoryError> {
        let entry = self.get(id)?;
        let tx = self.conn.unchecked_transaction()?;
        let f = Fields::of(answer);
        let set = set_of(&entry.options_asked, answer);
        self.conn.execute(
            "UPDATE meetings SET join_url = COALESCE(?2, join_url),
                 join_meeting_id = COALESCE(?3, join_meeting_id), subject = ?4,
                 start_utc = ?5, end_utc = ?6, organizer = COALESCE(?7, organizer),
                 options_set = ?8, state = ?9, updated_at = ?10,
                 account = COALESCE(account, ?11)
             WHERE id = ?1",
            params![
                id,
                f.join_url,
                f.join_meeting_id,
                f.subject,
                f.start,
                f.end,
                f.organizer,
                set.to_string(),
                state.as_str(),
                rfc3339(&Utc::now()),
                f.organizer_upn,
            ],
        )?;
        self.store_meeting(id, answer)?;
        tx.commit()?;
        Ok(())
    }

    pub fn get(&self, id: i64) -> Result<Entry, HistoryError> {
        Ok(self.conn.query_row(
            &format!("SELECT {COLUMNS} FROM meetings WHERE id = ?1"),
            [id],
            entry,
        )?)
    }

    /// The entries `filter` selects, by start time (meetings without one last), the
    /// earliest first. Without `all`, meetings that have ended are left out. Each holds the
    /// stored meeting: for what compares a row with the service (`list --refresh`).
    pub fn list(&self, filter: Filter, now: DateTime<Utc>) -> Result<Vec<Entry>, HistoryError> {
        let mut out = Vec::new();
        self.scan(
            &format!("SELECT {COLUMNS} FROM meetings"),
            entry,
            filter,
            now,
            |e| {
                out.push(e);
                Ok::<(), HistoryError>(())
            },
        )?;
        Ok(out)
    }

    /// [`Store::list`] one row at a time, each handed to `each` as it is read, without the
    /// stored meeting (`meeting_json` is None): what `list --json` prints.
    pub fn each_entry<E: From<HistoryError>>(
        &self,
        filter: Filter,
        now: DateTime<Utc>,
        each: impl FnMut(Entry) -> Result<(), E>,
    ) -> Result<(), E> {
        self.scan(
            &format!("SELECT {LISTED} FROM meetings"),
            entry,
            filter,
            now,
            each,
        )
    }

    /// [`Store::list`] one [`Summary`] at a time: what a line of `list` and of My meetings
    /// shows, and nothing else is read.
    pub fn each_summary<E: From<HistoryError>>(
        &self,
        filter: Filter,
        now: DateTime<Utc>,
        each: impl FnMut(Summary) -> Result<(), E>,
    ) -> Result<(), E> {
        self.scan(
            "SELECT id, kind, state, subject, start_utc, end_utc, account, event_id, series \
             FROM meetings",
            summary,
            filter,
            now,
            each,
        )
    }

    /// The rows of `select` that `filter` keeps, in list order, handed to `each` as they
    /// are read (nothing is collected here). The filter is applied to the parsed times, as
    /// [`Entry::is_upcoming`] reads them, rather than to the stored text in SQL.
    fn scan<T: Brief, E: From<HistoryError>>(
        &self,
        select: &str,
        read: fn(&Row<'_>) -> rusqlite::Result<T>,
        filter: Filter,
        now: DateTime<Utc>,
        mut each: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{select} ORDER BY start_utc IS NULL, start_utc, id"
            ))
            .map_err(HistoryError::from)?;
        let mut rows = stmt.query([]).map_err(HistoryError::from)?;
        // SQL reads a series at its first meeting and it is listed at its next, which is
        // never earlier: it waits here until the rows before its place have gone by. Only
        // series wait; every other row is handed on as it is read.
        let mut waiting = std::collections::BTreeMap::new();
        while let Some(r) = rows.next().map_err(HistoryError::from)? {
            let item = read(r).map_err(HistoryError::from)?;
            let (id, stored) = item.stored();
            let (start, end) = item.listed_times();
            let read_up_to = place(stored, id);
            if filter.keeps(start, end, now) {
                let at = place(start, id);
                // The common case, a row listed where it is read: no need to queue it.
                if waiting.is_empty() && at <= read_up_to {
                    each(item)?;
                    continue;
                }
                waiting.insert(at, item);
            }
            while let Some(next) = waiting.first_entry() {
                if *next.key() > read_up_to {
                    break;
                }
                each(next.remove())?;
            }
        }
        for (_, item) in waiting {
            each(item)?;
        }
        Ok(())
    }

    /// The accounts the history's meetings were made with, each once (any case), sorted;
    /// rows of an unknown account are not among them.
    pub fn accounts(&self) -> Result<Vec<String>, HistoryError> {
        let mut stmt = self.conn.prepare(ACCOUNTS)?;
        let list = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(list)
    }

    /// The one entry `reference` names: a short ref (`3`), a join link, a full Graph id,
    /// or a prefix of one that only one entry has.
    pub fn resolve(&self, reference: &str) -> Result<Entry, RefError> {
        let r = reference.trim();
        if r.is_empty() {
            return Err(RefError::Empty);
        }
        let not_found = || RefError::NotFound(crate::sanitize::line(r));
        if r.len() <= 12 && r.bytes().all(|b| b.is_ascii_digit()) {
            let id: i64 = r.parse().map_err(|_| not_found())?;
            return self
                .conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM meetings WHERE id = ?1"),
                    [id],
                    entry,
                )
                .optional()?
                .ok_or_else(not_found);
        }
        if r.starts_with("https://") || r.starts_with("http://") {
            let decoded = percent_encoding::percent_decode_str(r).decode_utf8_lossy();
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {COLUMNS} FROM meetings WHERE join_url IS NOT NULL"
            ))?;
            let found: Vec<Entry> = stmt
                .query_map([], entry)?
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|e| {
                    e.join_url.as_deref().is_some_and(|u| {
                        u == r
                            || percent_encoding::percent_decode_str(u).decode_utf8_lossy()
                                == decoded
                    })
                })
                .collect();
            return one(r, found).ok_or_else(not_found)?;
        }
        if let Some(e) = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM meetings WHERE graph_id = ?1 OR event_id = ?1 ORDER BY id DESC"
                ),
                [r],
                entry,
            )
            .optional()?
        {
            return Ok(e);
        }
        // A prefix: compared in Rust, so `%` and `_` in the REF mean themselves.
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM meetings"))?;
        let found: Vec<Entry> = stmt
            .query_map([], entry)?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|e| e.graph_id.starts_with(r))
            .collect();
        one(r, found).ok_or_else(not_found)?
    }
}

/// None when nothing matched; the entry, or the ambiguity, otherwise.
fn one(reference: &str, mut found: Vec<Entry>) -> Option<Result<Entry, RefError>> {
    match found.len() {
        0 => None,
        1 => found.pop().map(Ok),
        _ => Some(Err(RefError::Ambiguous {
            reference: crate::sanitize::line(reference),
            candidates: found.iter().map(|e| e.id).collect(),
        })),
    }
}

/// Creates the file 0600 before SQLite opens it (SQLite gives `-wal` and `-shm` the
/// database's mode), and takes an existing file back to 0600: it names meetings and
/// people.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

/// Every column but the stored meeting, in the order [`entry`] reads them.
const LISTED: &str = "id, kind, graph_id, join_url, join_meeting_id, subject, start_utc, \
    end_utc, organizer, cloud, tenant, client_id, target, options_asked, options_set, \
    attendees, language, created_at, updated_at, state, external_id, event_id, ical_uid, \
    web_link, checked_at, account, series";

/// [`LISTED`] and the stored meeting (a table of its own), which only opening one meeting
/// needs.
const COLUMNS: &str = "id, kind, graph_id, join_url, join_meeting_id, subject, start_utc, \
    end_utc, organizer, cloud, tenant, client_id, target, options_asked, options_set, \
    attendees, language, created_at, updated_at, state, external_id, event_id, ical_uid, \
    web_link, checked_at, account, series, \
    (SELECT json FROM stored_meetings AS s WHERE s.id = meetings.id) AS meeting_json";

fn summary(r: &Row<'_>) -> rusqlite::Result<Summary> {
    let time = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get_ref(i)?.as_str_or_null()?.and_then(parse_time))
    };
    Ok(Summary {
        id: r.get(0)?,
        kind: Kind::parse(r.get_ref(1)?.as_str()?),
        state: State::parse(r.get_ref(2)?.as_str()?),
        subject: r.get(3)?,
        start: time(4)?,
        end: time(5)?,
        account: r.get(6)?,
        event_id: r.get(7)?,
        repeats: match r.get_ref(8)?.as_str_or_null()? {
            // Only a series has the column; parsing it is the price of naming its next meeting.
            Some(text) => Repeats::of(
                serde_json::from_str::<Value>(text).ok().as_ref(),
                time(4)?,
                time(5)?,
            ),
            None => None,
        },
    })
}

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let time = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| parse_time(&s)))
    };
    let json_col = |i: usize, empty: Value| -> rusqlite::Result<Value> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(empty))
    };
    Ok(Entry {
        id: r.get(0)?,
        kind: Kind::parse(&r.get::<_, String>(1)?),
        graph_id: r.get(2)?,
        join_url: r.get(3)?,
        join_meeting_id: r.get(4)?,
        subject: r.get(5)?,
        start: time(6)?,
        end: time(7)?,
        organizer: r.get(8)?,
        account: Account {
            cloud: r.get(9)?,
            tenant: r.get(10)?,
            client_id: r.get(11)?,
            target: r.get(12)?,
            upn: r.get(25)?,
        },
        options_asked: json_col(13, json!({}))?,
        options_set: json_col(14, json!({}))?,
        attendees: json_col(15, json!([]))?,
        language: r.get(16)?,
        created_at: time(17)?.unwrap_or_default(),
        updated_at: time(18)?.unwrap_or_default(),
        state: State::parse(&r.get::<_, String>(19)?),
        external_id: r.get(20)?,
        event_id: r.get(21)?,
        ical_uid: r.get(22)?,
        web_link: r.get(23)?,
        checked_at: time(24)?,
        // Read only when selected ([`COLUMNS`], not [`LISTED`]).
        series: r
            .get::<_, Option<String>>(26)?
            .and_then(|s| serde_json::from_str(&s).ok()),
        meeting_json: match r.as_ref().column_count() > 27 {
            true => r
                .get_ref(27)?
                .as_str_or_null()?
                .and_then(|s| serde_json::from_str(s).ok()),
            false => None,
        },
    })
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// [`Store::accounts`]'s query, in the shape the index `meetings_by_account` serves
/// (schema version 7) without reading a row.
const ACCOUNTS: &str = "SELECT account FROM meetings WHERE account IS NOT NULL \
                        GROUP BY lower(account) ORDER BY lower(account)";

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The columns of a row, read from a service answer the lenient way the client reads it.
struct Fields {
    id: Option<String>,
    join_url: Option<String>,
    join_meeting_id: Option<String>,
    subject: Option<String>,
    start: Option<String>,
    end: Option<String>,
    organizer: Option<String>,
    external_id: Option<String>,
    /// `participants.organizer.upn`: who the meeting was made by, as the service says.
    organizer_upn: Option<String>,
}

impl Fields {
    fn of(answer: &Value) -> Fields {
        let m = read_row_meeting(answer);
        let m = m.as_ref();
        Fields {
            id: m.and_then(|m| m.id.clone()),
            join_url: m.and_then(|m| m.join_web_url.clone()),
            join_meeting_id: m.and_then(|m| m.join_meeting_id().map(str::to_string)),
            subject: m.and_then(|m| m.subject.clone()),
            start: m.and_then(|m| m.start_date_time).map(|t| rfc3339(&t)),
            end: m.and_then(|m| m.end_date_time).map(|t| rfc3339(&t)),
            organizer: m.and_then(|m| m.organizer_name().map(str::to_string)),
            external_id: m.and_then(|m| m.external_id.clone()),
            organizer_upn: get_ci(answer, "participants")
                .and_then(|p| get_ci(p, "organizer"))
                .and_then(|o| get_ci(o, "upn"))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
        }
    }
}

/// A row's meeting: an answer of the service, or for a calendar event the service gave no
/// Teams link, the event's own account (its id, subject and times, no join link). The
/// strict reading wants a join link; such a row has none and is still a row.
fn read_row_meeting(v: &Value) -> Option<crate::graph::model::OnlineMeeting> {
    use crate::graph::model::OnlineMeeting;
    OnlineMeeting::from_graph(v)
        .map(|(m, _)| m)
        .ok()
        .or_else(|| {
            crate::graph::lenient::read::<OnlineMeeting>(v)
                .ok()
                .map(|(m, _)| m)
                .filter(|m| m.id.as_deref().is_some_and(|id| !id.trim().is_empty()))
        })
}

/// "Options asked for": the body's properties but subject, times, passcode settings and
/// participants, as sent.
fn options_of(body: &Value) -> Value {
    let map: Map<String, Value> = body
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !NOT_OPTIONS.iter().any(|n| n.eq_ignore_ascii_case(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    Value::Object(map)
}

/// "As set": the same properties, read from the answer (a tenant policy can override them).
fn set_of(asked: &Value, answer: &Value) -> Value {
    let map: Map<String, Value> = asked
        .as_object()
        .map(|o| {
            o.keys()
                .map(|k| (k.clone(), get_ci(answer, k).cloned().unwrap_or(Value::Null)))
                .collect()
        })
        .unwrap_or_default();
    Value::Object(map)
}

/// `[{"upn": …, "role": …}]` from the body's `participants.attendees`.
fn attendees_of(body: &Value) -> Value {
    let list = get_ci(body, "participants")
        .and_then(|p| get_ci(p, "attendees"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| {
                    json!({
                        "upn": get_ci(p, "upn").cloned().unwrap_or(Value::Null),
                        "role": get_ci(p, "role").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Value::Array(list)
}

/// A calendar meeting's invitees as the row keeps them: `[{"upn": address, "role":
/// required|optional}]`, as [`Store::record_event`] writes them.
fn invitees_of(event: &crate::calendar::Event) -> Value {
    Value::Array(
        event
            .invitees
            .iter()
            .map(|i| json!({"upn": i.address, "role": i.kind.graph()}))
            .collect(),
    )
}

/// The people of an attendee list, in no order and any case.
fn same_people(list: &Value) -> Vec<(String, String)> {
    let mut people: Vec<(String, String)> = list
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    let s = |k: &str| {
                        get_ci(p, k)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_ascii_lowercase()
                    };
                    (s("upn"), s("role"))
                })
                .collect()
        })
        .unwrap_or_default();
    people.sort();
    people
}

/// A property by name, in any case (the service has sent `ConferenceId`).
fn get_ci<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    crate::graph::lenient::value(v, name)
}

/// The answer as it may be stored: every `passcode` property removed, at any depth and in
/// any spelling, and the passcode's text taken out of the invitation, which quotes it.
pub(crate) fn without_passcode(answer: &Value) -> Value {
    let mut passcodes = Vec::new();
    collect_passcodes(answer, &mut passcodes);
    let mut v = answer.clone();
    strip_passcodes(&mut v);
    let passcodes: Vec<&String> = passcodes.iter().filter(|p| !p.trim().is_empty()).collect();
    // Teams passcodes are letters and digits, long enough that replacing their text hits
    // nothing else. Anything shorter or stranger could also hide in an escaped form, or
    // stand for part of a number: then the invitation is not kept at all.
    let redactable = passcodes
        .iter()
        .all(|p| p.chars().count() >= 5 && p.chars().all(char::is_alphanumeric));
    let mut keep_invitation = true;
    if let Some(content) =
        get_ci_mut(&mut v, "joinInformation").and_then(|j| get_ci_mut(j, "content"))
        && let Value::String(text) = content
    {
        if redactable {
            for p in &passcodes {
                *text = text.replace(p.as_str(), PASSCODE_REDACTED);
            }
        }
        keep_invitation = redactable && !passcodes.iter().any(|p| text.contains(p.as_str()));
    }
    if !keep_invitation && let Some(o) = v.as_object_mut() {
        o.retain(|k, _| !k.eq_ignore_ascii_case("joinInformation"));
    }
    v
}

/// What the stored invitation says where the passcode was.
pub(crate) const PASSCODE_REDACTED: &str = "(not stored)";

fn collect_passcodes(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, val) in o {
                if k.eq_ignore_ascii_case("passcode") {
                    if let Some(s) = val.as_str() {
                        out.push(s.to_string());
                    }
                } else {
                    collect_passcodes(val, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_passcodes(x, out)),
        _ => {}
    }
}

fn strip_passcodes(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|k, _| !k.eq_ignore_ascii_case("passcode"));
            o.values_mut().for_each(strip_passcodes);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_passcodes),
        _ => {}
    }
}

fn get_ci_mut<'a>(v: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let o = v.as_object_mut()?;
    let key = o.keys().find(|k| k.eq_ignore_ascii_case(name))?.clone();
    o.get_mut(&key)
}

#[cfg(test)]
mod tests;
