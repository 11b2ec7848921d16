//! The day's meetings: the agenda over a range (from the cache, kept current with
//! `calendarView/delta`), the next meeting, and what a REF names among them.
//!
//! The cache holds a window of about five weeks around today (a fixed window for the
//! whole day, so one delta link serves every command of the day). A range inside it is
//! answered from the cache; a range outside it is read from `calendarView` directly and
//! not kept. A delta the service no longer accepts starts over, silently.

use crate::calendar::agenda::{AgendaEvent, Item, JOIN_GRACE, joinable, read_item};
use crate::graph::client::{GraphClient, Page, Target};
use crate::graph::error::{ErrorKind, GraphError};
use crate::history::agenda::{Applied, CacheKey, Cached, SyncState};
use crate::history::{Entry, HistoryError, RefError, Store};
use chrono::{DateTime, Duration, DurationRound, Utc};

/// Days before today the cache keeps (yesterday's meetings: attendance, a late join).
const WINDOW_BEFORE: i64 = 2;
/// Days after today the cache keeps.
const WINDOW_AFTER: i64 = 35;

#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    #[error("{0}")]
    Graph(#[from] GraphError),
    #[error("{0}")]
    Store(#[from] HistoryError),
    #[error("{0}")]
    Ref(#[from] RefError),
}

/// How current what is shown is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Read from the service just now.
    Fresh,
    /// From the cache, as of its last round, not asked to refresh.
    Cached { synced_at: DateTime<Utc> },
    /// From the cache because the service could not be reached; why, in a few words.
    Stale {
        synced_at: DateTime<Utc>,
        why: String,
    },
}

/// One row of the agenda: the event and its short ref where it is cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub aref: Option<i64>,
    pub event: AgendaEvent,
}

impl From<Cached> for Row {
    fn from(c: Cached) -> Self {
        Row {
            aref: Some(c.aref),
            event: c.event,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Agenda {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub rows: Vec<Row>,
    pub freshness: Freshness,
}

/// When to ask the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// A delta round when the cache is older than this (always with zero).
    IfOlderThan(Duration),
    /// Forget the delta link and read the whole window again (`--refresh`).
    Full,
}

/// What the agenda reads and where it keeps it.
pub struct Source<'a> {
    pub graph: &'a GraphClient,
    pub target: Target,
    /// None: the history is off; every agenda is read from the service.
    pub store: Option<&'a Store>,
    pub key: CacheKey,
}

/// What a sync round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Synced {
    pub requests: usize,
    /// The delta link was refused (or missing) and the window was read whole.
    pub full: bool,
    pub applied: Applied,
}

/// The cache's window for `now`: whole UTC days, the same all day.
pub fn window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = now.duration_trunc(Duration::days(1)).unwrap_or(now);
    (
        day - Duration::days(WINDOW_BEFORE),
        day + Duration::days(WINDOW_AFTER),
    )
}

/// A delta link the service no longer holds: 410 Gone, or its sync-state codes.
fn start_over(e: &GraphError) -> bool {
    e.status == Some(410)
        || e.code.as_deref().is_some_and(|c| {
            ["syncStateNotFound", "syncStateInvalid", "resyncRequired"]
                .iter()
                .any(|k| c.eq_ignore_ascii_case(k))
        })
}

/// Reads pages from `first` on until the last; the items, the delta link and the count.
async fn pages(
    graph: &GraphClient,
    first: Page,
) -> Result<(Vec<Item>, Option<String>, usize), GraphError> {
    let mut items = Vec::new();
    let mut page = first;
    let mut requests = 1;
    loop {
        items.extend(page.items.iter().filter_map(read_item));
        match page.next.take() {
            Some(next) if requests < 1000 => {
                page = graph.follow(&next).await?;
                requests += 1;
            }
            _ => break,
        }
    }
    Ok((items, page.delta.map(|u| u.to_string()), requests))
}

/// One delta round into the cache: from its delta link, or the whole window when there is
/// none, the window moved to another day, `full` is asked, or the service refuses the link.
pub async fn sync(src: &Source<'_>, now: DateTime<Utc>, full: bool) -> Result<Synced, AgendaError> {
    let Some(store) = src.store else {
        return Ok(Synced::default());
    };
    let (from, to) = window(now);
    let state = store.agenda_state(&src.key)?;
    let link = state
        .filter(|s| !full && s.from == from && s.to == to)
        .and_then(|s| s.delta_link)
        .and_then(|l| url::Url::parse(&l).ok());
    let mut requests = 0;
    if let Some(link) = link {
        match src.graph.follow(&link).await {
            Ok(first) => {
                let (items, delta, n) = pages(src.graph, first).await?;
                let state = SyncState {
                    from,
                    to,
                    delta_link: delta,
                    synced_at: now,
                };
                let applied = store.agenda_apply(&src.key, &state, &items, false)?;
                return Ok(Synced {
                    requests: n,
                    full: false,
                    applied,
                });
            }
            Err(e) if start_over(&e) => {
                tracing::info!("the agenda's delta link was refused; reading the window again");
                requests += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let first = src.graph.calendar_delta(&src.target, from, to).await?;
    let (items, delta, n) = pages(src.graph, first).await?;
    let state = SyncState {
        from,
        to,
        delta_link: delta,
        synced_at: now,
    };
    let applied = store.agenda_apply(&src.key, &state, &items, true)?;
    Ok(Synced {
        requests: requests + n,
        full: true,
        applied,
    })
}

/// Whether a failure means the service could not be reached (the cache may answer).
pub fn unreachable(e: &AgendaError) -> bool {
    matches!(
        e,
        AgendaError::Graph(GraphError {
            kind: ErrorKind::Connect | ErrorKind::Timeout,
            ..
        })
    )
}

/// The events of `[from, to)`: from the cache when the range is inside its window
/// (refreshed per `refresh`), else from `calendarView`.
pub async fn agenda(
    src: &Source<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    refresh: Refresh,
    now: DateTime<Utc>,
) -> Result<Agenda, AgendaError> {
    let (wf, wt) = window(now);
    let Some(store) = src.store.filter(|_| from >= wf && to <= wt) else {
        return live(src, from, to).await;
    };
    let state = store.agenda_state(&src.key)?;
    let current = state.as_ref().filter(|s| s.from == wf && s.to == wt);
    let due = match (refresh, current) {
        (Refresh::Full, _) | (_, None) => Some(refresh == Refresh::Full),
        (Refresh::IfOlderThan(age), Some(s)) => (now - s.synced_at >= age).then_some(false),
    };
    let freshness = match due {
        None => Freshness::Cached {
            synced_at: current.map(|s| s.synced_at).unwrap_or(now),
        },
        Some(full) => match sync(src, now, full).await {
            Ok(_) => Freshness::Fresh,
            Err(e) if unreachable(&e) && current.is_some() => Freshness::Stale {
                synced_at: current.map(|s| s.synced_at).unwrap_or(now),
                why: e.to_string(),
            },
            Err(e) => return Err(e),
        },
    };
    let rows = store
        .agenda_range(&src.key, from, to)?
        .into_iter()
        .map(Row::from)
        .collect();
    Ok(Agenda {
        from,
        to,
        rows,
        freshness,
    })
}

/// Answers from the cache alone (what a status bar asks every few seconds); None when the
/// cache has never been filled for this account or is from another day.
pub fn cached(
    store: &Store,
    key: &CacheKey,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<Agenda>, AgendaError> {
    let (wf, wt) = window(now);
    let Some(state) = store
        .agenda_state(key)?
        .filter(|s| s.from == wf && s.to == wt && from >= wf && to <= wt)
    else {
        return Ok(None);
    };
    let rows = store
        .agenda_range(key, from, to)?
        .into_iter()
        .map(Row::from)
        .collect();
    Ok(Some(Agenda {
        from,
        to,
        rows,
        freshness: Freshness::Cached {
            synced_at: state.synced_at,
        },
    }))
}

/// What the cache says is next, and how old that is.
#[derive(Debug, Clone)]
pub struct CachedNext {
    pub next: Option<Row>,
    pub synced_at: DateTime<Utc>,
}

/// The next meeting from the cache alone, and when the cache was last brought up to date;
/// None when the cache has never been filled for this account or is from another day.
/// Reads only up to the first meeting that qualifies (a status bar asks every few seconds).
pub fn cached_next(
    store: &Store,
    key: &CacheKey,
    now: DateTime<Utc>,
) -> Result<Option<CachedNext>, AgendaError> {
    let (wf, wt) = window(now);
    let Some(state) = store
        .agenda_state(key)?
        .filter(|s| s.from == wf && s.to == wt)
    else {
        return Ok(None);
    };
    let first = store.agenda_first(key, now - JOIN_GRACE, now, |e| joinable(e, now))?;
    Ok(Some(CachedNext {
        next: first.map(Row::from),
        synced_at: state.synced_at,
    }))
}

async fn live(
    src: &Source<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Agenda, AgendaError> {
    let first = src.graph.calendar_view(&src.target, from, to).await?;
    let (items, _, _) = pages(src.graph, first).await?;
    let mut rows: Vec<Row> = items
        .into_iter()
        .filter_map(|i| match i {
            Item::Event(e) if !e.cancelled => Some(Row {
                aref: None,
                event: *e,
            }),
            _ => None,
        })
        .collect();
    rows.sort_by_key(|r| (r.event.start, r.event.end));
    Ok(Agenda {
        from,
        to,
        rows,
        freshness: Freshness::Fresh,
    })
}

/// What a REF names: a meeting of the agenda, or one of the history not in the agenda.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one value per command, never stored in bulk
pub enum Named {
    Event(Row),
    Meeting(Box<Entry>),
}

/// The meeting `reference` names: an agenda ref (`a12`), an event id or a join link of
/// the agenda, or a history ref (then its event in the agenda, when there).
pub fn resolve(
    store: Option<&Store>,
    key: &CacheKey,
    reference: &str,
) -> Result<Named, AgendaError> {
    let r = reference.trim();
    if r.is_empty() {
        return Err(RefError::Empty.into());
    }
    let Some(store) = store else {
        return Err(RefError::NotFound(crate::sanitize::line(r)).into());
    };
    if let Some(c) = store.agenda_find(key, r)? {
        return Ok(Named::Event(c.into()));
    }
    if r.starts_with(['a', 'A']) && r[1..].parse::<i64>().is_ok() {
        return Err(RefError::NotFound(crate::sanitize::line(r)).into());
    }
    let entry = store.resolve(r)?;
    let in_agenda = entry
        .event_id
        .as_deref()
        .map(|id| store.agenda_find(key, id))
        .transpose()?
        .flatten();
    let in_agenda = match in_agenda {
        Some(c) => Some(c),
        None => entry
            .join_url
            .as_deref()
            .map(|u| store.agenda_find(key, u))
            .transpose()?
            .flatten(),
    };
    Ok(match in_agenda {
        Some(c) => Named::Event(c.into()),
        None => Named::Meeting(Box::new(entry)),
    })
}
