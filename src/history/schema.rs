//! The history file's schema, as an ordered list of migrations. `PRAGMA user_version` is
//! the number of migrations applied; opening a file runs the missing ones in one
//! transaction, so an older tmeet's file is brought up to date the first time a newer
//! tmeet opens it, and a half-migrated file cannot exist.
//!
//! Never edit a migration that has shipped: append a new one. A file whose version is
//! newer than [`CURRENT`] was written by a newer tmeet and is refused rather than guessed at.

/// Version 1: one row per meeting tmeet created. Times are RFC 3339 in UTC (`…Z`), so that
/// text order is time order. JSON columns (options, attendees, the meeting itself) let new
/// meeting options arrive without a migration. `id` is the short ref `tmeet list` shows:
/// AUTOINCREMENT so the number of a forgotten row is never given to another meeting.
const V1: &str = "
CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('standalone', 'event')),
    graph_id        TEXT NOT NULL,
    join_url        TEXT,
    join_meeting_id TEXT,
    subject         TEXT,
    start_utc       TEXT,
    end_utc         TEXT,
    organizer       TEXT,
    cloud           TEXT NOT NULL,
    tenant          TEXT NOT NULL,
    client_id       TEXT,
    target          TEXT NOT NULL,
    options_asked   TEXT NOT NULL DEFAULT '{}',
    options_set     TEXT NOT NULL DEFAULT '{}',
    attendees       TEXT NOT NULL DEFAULT '[]',
    language        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'active'
                    CHECK (state IN ('active', 'deleted', 'changed')),
    meeting_json    TEXT,
    UNIQUE (cloud, graph_id)
);
CREATE INDEX meetings_by_start ON meetings (start_utc);
";

/// Version 2: what createOrGet and calendar events need (issue 13 records events with
/// `kind = 'event'`; their meeting is reached through the event), and when the row was
/// last compared with the service (`list --refresh`).
const V2: &str = "
ALTER TABLE meetings ADD COLUMN external_id TEXT;
ALTER TABLE meetings ADD COLUMN event_id TEXT;
ALTER TABLE meetings ADD COLUMN ical_uid TEXT;
ALTER TABLE meetings ADD COLUMN web_link TEXT;
ALTER TABLE meetings ADD COLUMN checked_at TEXT;
";

/// Version 3: the stored meeting (the service's object with its invitation, about 10 KB,
/// read only when one meeting is shown or opened) moves to a table of its own. In the row,
/// in the middle of the record, it made every listing read past it: `list` and My meetings
/// now scan rows of a few hundred bytes. Nothing is lost: the copy is made before the
/// column is dropped, in the same transaction.
const V3: &str = "
CREATE TABLE stored_meetings (
    id   INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    json TEXT NOT NULL
);
INSERT INTO stored_meetings (id, json)
    SELECT id, meeting_json FROM meetings WHERE meeting_json IS NOT NULL;
ALTER TABLE meetings DROP COLUMN meeting_json;
";

/// Version 4: the account each meeting was made with, so that a meeting made under
/// another sign-in is refused by name rather than sent a request that can only answer
/// 404 ("Organizer Id mismatch"). Existing rows take it from their stored meeting's
/// organizer where the service named one; the rest stay NULL: an unknown account, which
/// nothing is refused for.
const V4: &str = "
ALTER TABLE meetings ADD COLUMN account TEXT;
UPDATE meetings SET account = (
    SELECT CASE WHEN json_valid(s.json)
                THEN json_extract(s.json, '$.participants.organizer.upn') END
    FROM stored_meetings AS s WHERE s.id = meetings.id
);
UPDATE meetings SET account = NULL WHERE typeof(account) <> 'text' OR trim(account) = '';
";

/// Version 5: the agenda cache (`agenda.rs`).
const V5: &str = super::agenda::MIGRATION;

/// Version 6: a calendar meeting that repeats keeps its series: the rule in words, the zone
/// it repeats in and the `recurrence` sent, as JSON (`{"rule", "timeZone", "recurrence"}`);
/// NULL for a meeting that happens once. One row stands for the whole series, its first
/// meeting's times in `start_utc`/`end_utc`.
const V6: &str = "
ALTER TABLE meetings ADD COLUMN series TEXT;
";

/// Version 7: the accounts, each once in any case (`Store::accounts`), read from an index
/// of their own rather than a scan and a sort of every row: `list` asks before its first
/// line, to know whether to show an account column.
const V7: &str = "
CREATE INDEX meetings_by_account ON meetings (lower(account), account)
    WHERE account IS NOT NULL;
";

pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7];

/// The version this tmeet writes.
pub(crate) const CURRENT: u32 = MIGRATIONS.len() as u32;
