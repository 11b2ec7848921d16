//! The agenda cache: the calendar's events of a window (about a month around today), kept
//! current by `calendarView/delta`, so that `tmeet agenda` and `tmeet next` answer from
//! the disk at once. Each account (cloud, tenant, client, target and the signed-in person)
//! has its own rows and its own delta link. A round of changes is written in one
//! transaction: a cache is never half updated. Cancelled events and removals leave it.
//!
//! `ref` is the short name `tmeet agenda` shows (`a12`): AUTOINCREMENT, and an event that
//! changes keeps its row, so a ref seen in the agenda still names the same meeting.

use super::{HistoryError, Store, parse_time, rfc3339};
use crate::calendar::agenda::{AgendaEvent, Item};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// The schema migration that adds the cache.
pub(super) const MIGRATION: &str = "
CREATE TABLE agenda_sync (
    account      TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    window_end   TEXT NOT NULL,
    delta_link   TEXT,
    synced_at    TEXT NOT NULL
);
CREATE TABLE agenda_events (
    ref       INTEGER PRIMARY KEY AUTOINCREMENT,
    account   TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    end_utc   TEXT NOT NULL,
    join_url  TEXT,
    json      TEXT NOT NULL,
    UNIQUE (account, event_id)
);
CREATE INDEX agenda_by_start ON agenda_events (account, start_utc);
";

/// Whose cache: one per cloud, tenant, client, target and signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey(String);

impl CacheKey {
    pub fn new(account: &super::Account, person: Option<&str>) -> Self {
        CacheKey(format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            account.cloud,
            account.tenant.to_ascii_lowercase(),
            account.client_id.as_deref().unwrap_or(""),
            account.target.to_ascii_lowercase(),
            person.unwrap_or("").to_ascii_lowercase()
        ))
    }
}

/// Where the cache stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub delta_link: Option<String>,
    pub synced_at: DateTime<Utc>,
}

/// An event of the cache and its short ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub aref: i64,
    pub event: AgendaEvent,
}

/// What a round changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    pub changed: usize,
    pub removed: usize,
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Cached>> {
    let aref: i64 = r.get(0)?;
    let json: String = r.get(1)?;
    // A row this tmeet cannot read (written by another version) is skipped, not fatal:
    // the next full read replaces it.
    Ok(serde_json::from_str(&json)
        .ok()
        .map(|event| Cached { aref, event }))
}

impl Store {
    pub fn agenda_state(&self, key: &CacheKey) -> Result<Option<SyncState>, HistoryError> {
        let row = self
            .conn
            .query_row(
                "SELECT window_start, window_end, delta_link, synced_at FROM agenda_sync \
                 WHERE account = ?1",
                params![key.0],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.and_then(|(a, b, link, at)| {
            Some(SyncState {
                from: parse_time(&a)?,
                to: parse_time(&b)?,
                delta_link: link,
                synced_at: parse_time(&at)?,
            })
        }))
    }

    /// The cached events that overlap `[from, to)`, earliest first.
    pub fn agenda_range(
        &self,
        key: &CacheKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Cached>, HistoryError> {
        // Text order is time order (RFC 3339 in UTC); the index serves the start bound,
        // and no event of the cache lasts longer than its window.
        let mut stmt = self.conn.prepare_cached(
            "SELECT ref, json FROM agenda_events WHERE account = ?1 AND start_utc < ?2 \
             AND end_utc > ?3 ORDER BY start_utc, end_utc, ref",
        )?;
        let rows = stmt.query_map(params![key.0, rfc3339(&to), rfc3339(&from)], read_row)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(c) = r? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The first cached event, earliest first, that starts after `starts_after`, has not
    /// ended at `now`, has a join link and passes `keep`: what `tmeet next` shows. Reads
    /// row by row and stops at the first, so a status bar asking every few seconds never
    /// parses the month ahead.
    pub fn agenda_first(
        &self,
        key: &CacheKey,
        starts_after: DateTime<Utc>,
        now: DateTime<Utc>,
        keep: impl Fn(&AgendaEvent) -> bool,
    ) -> Result<Option<Cached>, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ref, json FROM agenda_events WHERE account = ?1 AND start_utc > ?2 \
             AND end_utc > ?3 AND join_url IS NOT NULL ORDER BY start_utc, end_utc, ref",
        )?;
        let mut rows = stmt.query(params![key.0, rfc3339(&starts_after), rfc3339(&now)])?;
        while let Some(r) = rows.next()? {
            if let Some(c) = read_row(r)?.filter(|c| keep(&c.event)) {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// The organizer's copy of a meeting of the history (by its event id or join link) in
    /// any cached mailbox of `account`: who is coming, for `tmeet show`. Only the
    /// organizer's copy carries the attendees' answers.
    pub fn agenda_organized(
        &self,
        account: &super::Account,
        event_id: Option<&str>,
        join_url: Option<&str>,
    ) -> Result<Option<AgendaEvent>, HistoryError> {
        if event_id.is_none() && join_url.is_none() {
            return Ok(None);
        }
        let prefix = CacheKey::new(account, None).0;
        let mut stmt = self.conn.prepare_cached(
            "SELECT ref, json FROM agenda_events WHERE substr(account, 1, length(?1)) = ?1 \
             AND (event_id = ?2 OR join_url = ?3) ORDER BY ref DESC",
        )?;
        let mut rows = stmt.query(params![prefix, event_id, join_url])?;
        while let Some(r) = rows.next()? {
            if let Some(c) = read_row(r)?.filter(|c| c.event.is_organizer) {
                return Ok(Some(c.event));
            }
        }
        Ok(None)
    }

    /// Who answered what, by event id, for every meeting I organize that the cache holds:
    /// what `list` and My meetings show beside a calendar meeting. Event ids are unique
    /// across mailboxes, so no account needs naming.
    pub fn agenda_tallies(
        &self,
    ) -> Result<std::collections::HashMap<String, crate::calendar::agenda::Tally>, HistoryError>
    {
        let mut out = std::collections::HashMap::new();
        // Only the organizer's rows are parsed; the text test leaves out the rest cheaply.
        let mut stmt = self.conn.prepare_cached(
            "SELECT ref, json FROM agenda_events WHERE json LIKE '%\"is_organizer\":true%'",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(c) = read_row(r)?.filter(|c| c.event.is_organizer) {
                out.insert(c.event.id.clone(), c.event.tally());
            }
        }
        Ok(out)
    }

    /// The cached event a ref, an event id or a join link names.
    pub fn agenda_find(&self, key: &CacheKey, what: &str) -> Result<Option<Cached>, HistoryError> {
        let by_ref = what
            .strip_prefix(['a', 'A'])
            .and_then(|n| n.parse::<i64>().ok());
        let sql = if by_ref.is_some() {
            "SELECT ref, json FROM agenda_events WHERE account = ?1 AND ref = ?2"
        } else {
            "SELECT ref, json FROM agenda_events WHERE account = ?1 AND (event_id = ?2 OR join_url = ?2)"
        };
        let found = match by_ref {
            Some(n) => self
                .conn
                .query_row(sql, params![key.0, n], read_row)
                .optional()?,
            None => self
                .conn
                .query_row(sql, params![key.0, what], read_row)
                .optional()?,
        };
        Ok(found.flatten())
    }

    /// Writes one round: with `full`, the items are the whole window and every other row
    /// of the account goes; otherwise they are changes. Removals, cancelled events and
    /// events outside the window leave the cache. The new state is written with the rows,
    /// in the same transaction.
    pub fn agenda_apply(
        &self,
        key: &CacheKey,
        state: &SyncState,
        items: &[Item],
        full: bool,
    ) -> Result<Applied, HistoryError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut applied = Applied::default();
        if full {
            // Kept rows keep their refs; only those the service no longer lists go.
            tx.execute(
                "CREATE TEMP TABLE IF NOT EXISTS agenda_seen (id TEXT PRIMARY KEY)",
                [],
            )?;
            tx.execute("DELETE FROM agenda_seen", [])?;
            let mut seen =
                tx.prepare_cached("INSERT OR IGNORE INTO agenda_seen (id) VALUES (?1)")?;
            for item in items {
                if let Item::Event(e) = item {
                    seen.execute(params![e.id])?;
                }
            }
            drop(seen);
            applied.removed += tx.execute(
                "DELETE FROM agenda_events WHERE account = ?1 AND event_id NOT IN \
                 (SELECT id FROM agenda_seen)",
                params![key.0],
            )?;
        }
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO agenda_events (account, event_id, start_utc, end_utc, join_url, json) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (account, event_id) DO UPDATE SET start_utc = excluded.start_utc, \
                 end_utc = excluded.end_utc, join_url = excluded.join_url, json = excluded.json",
            )?;
            let mut remove = tx
                .prepare_cached("DELETE FROM agenda_events WHERE account = ?1 AND event_id = ?2")?;
            for item in items {
                match item {
                    Item::Event(e) if !e.cancelled && e.start < state.to && e.end > state.from => {
                        let json = serde_json::to_string(e).map_err(|err| {
                            HistoryError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(
                                err,
                            )))
                        })?;
                        upsert.execute(params![
                            key.0,
                            e.id,
                            rfc3339(&e.start),
                            rfc3339(&e.end),
                            e.join_url,
                            json
                        ])?;
                        applied.changed += 1;
                    }
                    Item::Event(e) => {
                        applied.removed += remove.execute(params![key.0, e.id])?;
                    }
                    Item::Removed(id) => {
                        applied.removed += remove.execute(params![key.0, id])?;
                    }
                }
            }
        }
        tx.execute(
            "INSERT INTO agenda_sync (account, window_start, window_end, delta_link, synced_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account) DO UPDATE SET \
             window_start = excluded.window_start, window_end = excluded.window_end, \
             delta_link = excluded.delta_link, synced_at = excluded.synced_at",
            params![
                key.0,
                rfc3339(&state.from),
                rfc3339(&state.to),
                state.delta_link,
                rfc3339(&state.synced_at)
            ],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// One event as the service now has it (after an answer), if it is cached.
    pub fn agenda_update(&self, key: &CacheKey, e: &AgendaEvent) -> Result<(), HistoryError> {
        let json = serde_json::to_string(e).map_err(|err| {
            HistoryError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(err)))
        })?;
        self.conn.execute(
            "UPDATE agenda_events SET json = ?3 WHERE account = ?1 AND event_id = ?2",
            params![key.0, e.id, json],
        )?;
        Ok(())
    }

    /// The cached occurrences and exceptions of the series `master_id`, earliest first.
    pub fn agenda_series(
        &self,
        key: &CacheKey,
        master_id: &str,
    ) -> Result<Vec<Cached>, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ref, json FROM agenda_events WHERE account = ?1 \
             AND json_extract(json, '$.series_master_id') = ?2 ORDER BY start_utc, end_utc, ref",
        )?;
        let rows = stmt.query_map(params![key.0, master_id], read_row)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(c) = r? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Forgets an event (declined: the service removes the person's copy).
    pub fn agenda_remove(&self, key: &CacheKey, id: &str) -> Result<(), HistoryError> {
        self.conn.execute(
            "DELETE FROM agenda_events WHERE account = ?1 AND event_id = ?2",
            params![key.0, id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::agenda::read_item;
    use chrono::Duration;
    use serde_json::json;

    fn account(tenant: &str) -> super::super::Account {
        super::super::Account {
            cloud: "global".into(),
            tenant: tenant.into(),
            client_id: None,
            target: "me".into(),
            upn: None,
        }
    }

    fn item(id: &str, start: &str, extra: serde_json::Value) -> Item {
        let mut v = json!({"id": id, "subject": id,
            "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": start, "timeZone": "UTC"}});
        if let (Some(o), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        if let Item::Event(e) = read_item(&v).unwrap() {
            let mut e = *e;
            e.end = e.start + Duration::minutes(30);
            Item::Event(Box::new(e))
        } else {
            unreachable!()
        }
    }

    #[test]
    fn rounds_keep_refs_remove_what_left_and_each_account_is_apart() {
        let store = Store::in_memory().unwrap();
        let (a, b) = (
            CacheKey::new(&account("t1"), Some("x@y")),
            CacheKey::new(&account("t2"), Some("x@y")),
        );
        let t = |s: &str| parse_time(s).unwrap();
        let state = SyncState {
            from: t("2026-09-01T00:00:00Z"),
            to: t("2026-10-01T00:00:00Z"),
            delta_link: Some("https://graph/delta?$deltatoken=1".into()),
            synced_at: t("2026-09-14T08:00:00Z"),
        };
        let first = [
            item("one", "2026-09-14T09:00:00", json!({})),
            item("two", "2026-09-14T10:00:00", json!({})),
            item("gone", "2026-09-14T11:00:00", json!({})),
            item("outside", "2026-12-14T11:00:00", json!({})),
        ];
        store.agenda_apply(&a, &state, &first, true).unwrap();
        let day = |k: &CacheKey| {
            store
                .agenda_range(k, t("2026-09-14T00:00:00Z"), t("2026-09-15T00:00:00Z"))
                .unwrap()
        };
        let before = day(&a);
        assert_eq!(
            before
                .iter()
                .map(|c| c.event.id.as_str())
                .collect::<Vec<_>>(),
            ["one", "two", "gone"]
        );
        assert!(day(&b).is_empty(), "another tenant's cache is its own");
        let delta = [
            Item::Removed("gone".into()),
            item(
                "two",
                "2026-09-14T10:00:00",
                json!({"subject": "Two, moved"}),
            ),
            item("one", "2026-09-14T09:00:00", json!({"isCancelled": true})),
        ];
        let applied = store.agenda_apply(&a, &state, &delta, false).unwrap();
        assert_eq!(
            applied,
            Applied {
                changed: 1,
                removed: 2
            }
        );
        let after = day(&a);
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].event.subject, "Two, moved");
        assert_eq!(
            after[0].aref, before[1].aref,
            "a changed event keeps its ref"
        );
        let found = store
            .agenda_find(&a, &format!("a{}", after[0].aref))
            .unwrap()
            .unwrap();
        assert_eq!(found.event.id, "two");
        assert_eq!(store.agenda_state(&a).unwrap(), Some(state));
    }

    #[test]
    fn a_series_is_found_by_its_master_in_one_account() {
        let store = Store::in_memory().unwrap();
        let (a, b) = (
            CacheKey::new(&account("t1"), Some("x@y")),
            CacheKey::new(&account("t2"), Some("x@y")),
        );
        let t = |s: &str| parse_time(s).unwrap();
        let state = SyncState {
            from: t("2026-09-01T00:00:00Z"),
            to: t("2026-10-01T00:00:00Z"),
            delta_link: None,
            synced_at: t("2026-09-14T08:00:00Z"),
        };
        let of = |m: &str, kind: &str| json!({"seriesMasterId": m, "type": kind});
        let items = [
            item("s2", "2026-09-17T09:00:00", of("M", "exception")),
            item("s1", "2026-09-15T09:00:00", of("M", "occurrence")),
            item("other", "2026-09-16T09:00:00", of("N", "occurrence")),
            item("single", "2026-09-16T10:00:00", json!({})),
        ];
        store.agenda_apply(&a, &state, &items, true).unwrap();
        store.agenda_apply(&b, &state, &items[..1], true).unwrap();
        let ids = |k: &CacheKey, m: &str| {
            store
                .agenda_series(k, m)
                .unwrap()
                .into_iter()
                .map(|c| c.event.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a, "M"), ["s1", "s2"]);
        assert_eq!(ids(&a, "N"), ["other"]);
        assert_eq!(ids(&b, "M"), ["s2"]);
        assert!(ids(&a, "single").is_empty());
    }
}
