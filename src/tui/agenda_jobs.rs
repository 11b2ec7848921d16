//! The worker's side of the Agenda: the agenda's cache (a connection of its own, locked
//! across a delta round, so My meetings' history jobs never wait on the network) and the
//! agenda services. Every job ends in exactly one [`AgendaAction`], but a `Load`, which
//! first answers from the cache and then again once the service has been asked.

use super::app::{Action, AgendaAction, AgendaJob, AgendaRow};
use crate::auth::Auth;
use crate::calendar::agenda::AgendaEvent;
use crate::graph::client::{AnswerAction, GraphClient, Target};
use crate::history::agenda::CacheKey;
use crate::history::{Account, Store};
use crate::meeting::presentation::MeetingCard;
use crate::permissions::Feature;
use crate::services::agenda::{self as service, AgendaError, Freshness, Refresh, Source};
use crate::services::respond::{self, RespondError};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::sync::Arc;
use tokio::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;

/// The agenda's cache for this session: the history file's agenda tables, or, when the
/// history is off, a cache in memory that lives as long as the session (the screen needs
/// refs to open and answer its rows; nothing is written to disk then).
#[derive(Clone)]
pub(crate) struct AgendaCache {
    store: Result<Arc<Mutex<Store>>, String>,
    account: Account,
    auth: Auth,
}

impl AgendaCache {
    pub(crate) fn open(settings: &crate::settings::Settings, auth: &Auth) -> Self {
        let store = match Store::for_settings(settings) {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Store::in_memory(),
            Err(e) => Err(e),
        };
        Self {
            store: store
                .map(|s| Arc::new(Mutex::new(s)))
                .map_err(|e| e.to_string()),
            account: Account::of(settings),
            auth: auth.clone(),
        }
    }

    /// For tests: a cache in memory.
    #[cfg(test)]
    pub(crate) fn in_memory(account: Account, auth: &Auth) -> Self {
        Self {
            store: Store::in_memory()
                .map(|s| Arc::new(Mutex::new(s)))
                .map_err(|e| e.to_string()),
            account,
            auth: auth.clone(),
        }
    }

    /// Whose cache: this run's account and who is signed in now.
    fn key(&self) -> CacheKey {
        let person = if self.auth.is_app_only() {
            None
        } else {
            self.auth.status().ok().flatten().and_then(|s| s.account)
        };
        CacheKey::new(&self.account, person.as_deref())
    }
}

/// What a job needs besides the cache.
pub(crate) struct Context {
    pub client: Option<GraphClient>,
    pub target: Target,
    pub zone: Tz,
}

pub(crate) async fn run(
    cache: AgendaCache,
    cx: Context,
    work: AgendaJob,
    out: UnboundedSender<Action>,
) {
    let job = match &work {
        AgendaJob::Load { job, .. }
        | AgendaJob::Open { job, .. }
        | AgendaJob::Answer { job, .. }
        | AgendaJob::Attendance { job, .. } => *job,
    };
    let send = |a: AgendaAction| {
        let _ = out.send(Action::Agenda(a));
    };
    let feature = match work {
        AgendaJob::Attendance { .. } => Feature::Attendance,
        _ => Feature::Agenda,
    };
    let Some(graph) = cx.client.clone() else {
        return send(AgendaAction::Failed {
            job,
            error:
                "Not signed in: the agenda needs a sign-in (tmeet login, or sign in again here)."
                    .into(),
        });
    };
    if !graph.is_app_only() && !cache.auth.has_any_scope(feature.accepted()) {
        cache.auth.request_scopes(&[feature.scope().to_string()]);
        return send(AgendaAction::NeedsPermission { job, feature });
    }
    let store = match &cache.store {
        Ok(s) => s.clone(),
        Err(why) => {
            return send(AgendaAction::Failed {
                job,
                error: format!("The agenda's cache cannot be opened: {why}"),
            });
        }
    };
    let key = cache.key();
    let store = store.lock().await;
    let src = Source {
        graph: &graph,
        target: cx.target.clone(),
        store: Some(&store),
        key: key.clone(),
    };
    let now = Utc::now();
    let action = match work {
        AgendaJob::Load {
            job,
            from,
            to,
            full,
        } => {
            // The cache first, at once; then what changed since.
            if !full && let Ok(Some(a)) = service::cached(&store, &key, from, to, now) {
                send(AgendaAction::Loaded {
                    job,
                    rows: rows(&a.rows, &cx.zone),
                    freshness: None,
                    done: false,
                });
            }
            let refresh = if full {
                Refresh::Full
            } else {
                Refresh::IfOlderThan(Duration::zero())
            };
            match service::agenda(&src, from, to, refresh, now).await {
                Ok(a) => AgendaAction::Loaded {
                    job,
                    rows: rows(&a.rows, &cx.zone),
                    freshness: Some(freshness(&a.freshness, &cx.zone)),
                    done: true,
                },
                Err(e) => failed(job, &e),
            }
        }
        AgendaJob::Open { job, aref } => match find(&store, &key, aref) {
            Err(error) => AgendaAction::Failed { job, error },
            Ok(e) => AgendaAction::Opened {
                job,
                aref,
                result: Box::new(card(&graph, &cx, &e).await),
            },
        },
        AgendaJob::Answer {
            job,
            aref,
            request,
            from,
            to,
        } => match find(&store, &key, aref) {
            Err(error) => AgendaAction::Failed { job, error },
            Ok(e) => {
                match respond::answer(&graph, &cx.target, Some((&store, &key)), &e, &request).await
                {
                    Ok(_) => {
                        let listed = service::cached(&store, &key, from, to, now)
                            .ok()
                            .flatten()
                            .map(|a| rows(&a.rows, &cx.zone))
                            .unwrap_or_default();
                        AgendaAction::Answered {
                            job,
                            aref,
                            declined: request.action == AnswerAction::Decline,
                            rows: listed,
                            said: said(&e, &request),
                        }
                    }
                    Err(RespondError::Refused(why)) => AgendaAction::Failed {
                        job,
                        error: format!("Not answered: {why}."),
                    },
                    Err(RespondError::Graph(g)) => AgendaAction::Failed {
                        job,
                        error: format!("Not answered: {}", crate::sanitize::line(&g.to_string())),
                    },
                }
            }
        },
        AgendaJob::Attendance { job, aref } => match find(&store, &key, aref) {
            Err(error) => AgendaAction::Failed { job, error },
            Ok(e) => attendance(&graph, &cx, job, aref, &e).await,
        },
    };
    send(action);
}

fn find(store: &Store, key: &CacheKey, aref: i64) -> Result<AgendaEvent, String> {
    match store.agenda_find(key, &format!("a{aref}")) {
        Ok(Some(c)) => Ok(c.event),
        Ok(None) => {
            Err("That meeting is no longer on the calendar; the list is read again.".into())
        }
        Err(e) => Err(format!("The agenda's cache cannot be read: {e}")),
    }
}

fn failed(job: u64, e: &AgendaError) -> AgendaAction {
    let error = match e {
        AgendaError::Graph(g) if crate::services::calendar::is_no_mailbox(g) => {
            let mut s = crate::services::calendar::NO_MAILBOX.to_string();
            s[..1].make_ascii_uppercase();
            format!("{s}; the agenda needs one.")
        }
        other => format!(
            "The agenda could not be read: {}",
            crate::sanitize::line(&other.to_string())
        ),
    };
    AgendaAction::Failed { job, error }
}

fn freshness(f: &Freshness, zone: &Tz) -> String {
    let at = |t: &DateTime<Utc>| t.with_timezone(zone).format("%H:%M").to_string();
    match f {
        Freshness::Fresh => format!("updated {}", at(&Utc::now())),
        Freshness::Cached { synced_at } => format!("as of {}", at(synced_at)),
        Freshness::Stale { synced_at, .. } => format!(
            "from the cache of {}: the service could not be reached",
            at(synced_at)
        ),
    }
}

/// The list's rows, made safe for the terminal.
pub(crate) fn rows(rows: &[service::Row], zone: &Tz) -> Vec<AgendaRow> {
    let line = crate::sanitize::line;
    rows.iter()
        .filter_map(|r| {
            let e = &r.event;
            let start = e.start.with_timezone(zone);
            Some(AgendaRow {
                aref: r.aref?,
                day: start.date_naive(),
                when: if e.all_day {
                    "all day".into()
                } else {
                    format!(
                        "{}–{}",
                        start.format("%H:%M"),
                        e.end.with_timezone(zone).format("%H:%M")
                    )
                },
                subject: if e.subject.trim().is_empty() {
                    crate::meeting::presentation::NO_SUBJECT.into()
                } else {
                    line(e.subject.trim())
                },
                organizer: e
                    .organizer
                    .as_ref()
                    .filter(|_| !e.is_organizer)
                    .map(|o| line(&o.name)),
                answer: match e.answers_line() {
                    Some(l) => l,
                    None if e.is_organizer => "organizer".into(),
                    None => e.response.word().into(),
                },
                location: e.location.as_deref().map(line).filter(|l| !l.is_empty()),
                teams: e.teams,
                link: e
                    .join_url
                    .as_deref()
                    .filter(|u| u.starts_with("https://"))
                    .map(line),
                start: e.start,
                end: e.end,
                mine: e.is_organizer,
                in_series: e.in_series(),
                cancelled: e.cancelled,
                proposals: e.allow_new_time_proposals,
            })
        })
        .collect()
}

/// The card: for a meeting I organize, the online meeting itself (its passcode and
/// invitation) with what the event adds; for others', what the event gives.
async fn card(graph: &GraphClient, cx: &Context, e: &AgendaEvent) -> MeetingCard {
    let from_event = e.card(&cx.zone);
    if !e.is_organizer {
        return from_event;
    }
    let Some(url) = e.join_url.as_deref() else {
        return from_event;
    };
    match graph.find_by_join_url(&cx.target, url).await {
        Ok(Some(m)) => {
            let mut card = MeetingCard::from_meeting(&m, &cx.zone, None);
            card.when = from_event.when;
            card.event_link = from_event.event_link;
            card.sections = from_event.sections;
            card.links.extend(from_event.links);
            if card.calendar.is_none() {
                card.calendar = from_event.calendar;
            }
            card
        }
        // The event's own details stand; the passcode is what is missing, and said.
        Ok(None) | Err(_) => {
            let mut card = from_event;
            if let Some(about) = card.sections.first_mut() {
                about.lines.push(
                    "Passcode and invitation: Graph did not give the online meeting; tmeet show or Teams has them"
                        .into(),
                );
            }
            card
        }
    }
}

fn said(e: &AgendaEvent, req: &respond::AnswerRequest) -> String {
    let verb = match req.action {
        AnswerAction::Accept => "Accepted",
        AnswerAction::Tentative => "Tentatively accepted",
        AnswerAction::Decline => "Declined",
    };
    let which = if req.series {
        " (the whole series)"
    } else if e.in_series() {
        " (this date)"
    } else {
        ""
    };
    let told = if req.send_response && e.response_requested {
        "; the organizer was told"
    } else {
        ""
    };
    let proposed = if req.propose.is_some() {
        ", with a new time proposed"
    } else {
        ""
    };
    format!(
        "{verb} \"{}\"{which}{proposed}{told}.",
        crate::sanitize::line(&e.subject)
    )
}

async fn attendance(
    graph: &GraphClient,
    cx: &Context,
    job: u64,
    aref: i64,
    e: &AgendaEvent,
) -> AgendaAction {
    use crate::services::attendance::{self as service, AttendanceError, Which};
    if !e.is_organizer {
        return AgendaAction::Failed {
            job,
            error: AttendanceError::NotOrganizer.to_string(),
        };
    }
    let Some(url) = e.join_url.as_deref() else {
        return AgendaAction::Failed {
            job,
            error: AttendanceError::NoMeeting.to_string(),
        };
    };
    match service::attendance(graph, &cx.target, Which::JoinUrl(url)).await {
        Ok(sessions) if sessions.is_empty() => AgendaAction::Attended {
            job,
            aref,
            lines: vec![
                "no attendance report yet: the service writes one after the meeting ends".into(),
            ],
        },
        Ok(sessions) => {
            let at = |t: Option<DateTime<Utc>>| {
                t.map(|t| t.with_timezone(&cx.zone).format("%H:%M").to_string())
                    .unwrap_or_else(|| "?".into())
            };
            let mut lines = Vec::new();
            for s in &sessions {
                lines.push(format!(
                    "{}–{} · {} joined",
                    at(s.start),
                    at(s.end),
                    s.participants
                ));
                for a in &s.attendees {
                    let spans: Vec<String> = a
                        .intervals
                        .iter()
                        .map(|i| format!("{}–{}", at(i.join), at(i.leave)))
                        .collect();
                    lines.push(format!(
                        "  {}  {} min  {}",
                        crate::sanitize::line(&a.name),
                        (a.seconds + 59) / 60,
                        spans.join(", ")
                    ));
                }
            }
            AgendaAction::Attended { job, aref, lines }
        }
        Err(e) => AgendaAction::Failed {
            job,
            error: format!(
                "Who attended cannot be had: {}",
                crate::sanitize::line(&e.to_string())
            ),
        },
    }
}
