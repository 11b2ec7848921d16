//! `tmeet agenda`: every event of a range on the calendar, mine and others', in the
//! person's zone, from the local cache kept current with `calendarView/delta`. Also what
//! the agenda's other commands (`next`, `join`, `accept` …, `attendance`) share: the cache
//! of this account, and what a REF names.

use super::error::CliError;
use super::output::say;
use crate::calendar::agenda::AgendaEvent;
use crate::graph::client::{GraphClient, Target};
use crate::history::agenda::CacheKey;
use crate::history::{Account, Store};
use crate::permissions::Feature;
use crate::services::agenda::{
    self as service, Agenda, AgendaError, Freshness, Named, Refresh, Row, Source,
};
use crate::services::startup::{self, Started};
use crate::settings::{GlobalArgs, Settings};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the agenda was shown (from the cache when the service could not be reached: it says so)
  1  failed: not signed in, no permission, or the service refused
  2  usage: a bad --days, --from or --to";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct AgendaArgs {
    /// Days from today on (1–366) [default: 1, today]
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub days: Option<i64>,
    /// The first day: today, tomorrow, mon … sun, 2026-12-03
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// The last day, included [default: the --from day]
    #[arg(long, value_name = "DAY", requires = "from")]
    pub to: Option<String>,
    /// Read the whole window from the service again instead of its changes
    #[arg(long)]
    pub refresh: bool,
    /// Print JSON: {"from", "to", "timeZone", "source", "events": [{"ref", "id", "subject", "start", "end", "allDay", "organizer", "response", "location", "teams", "joinUrl", "isOrganizer", "cancelled", "type", "answers"}]}
    #[arg(long)]
    pub json: bool,
}

/// The most days one agenda covers.
const MAX_DAYS: i64 = 366;

/// The cache and the service of this run's account.
pub(crate) struct Cache {
    pub store: Option<Store>,
    pub key: CacheKey,
    pub target: Target,
}

impl Cache {
    pub(crate) fn open(settings: &Settings, started: &Started) -> Result<Cache, CliError> {
        Cache::of(settings, &started.settings, &started.auth)
    }

    /// The cache alone, without a runtime, the emulator or a client that will send
    /// anything: what `tmeet next` answers from when its cache is fresh. None in a demo
    /// (its cache lives in the demo's memory), when the history is off, or on any failure.
    pub(crate) fn open_quick(settings: &Settings) -> Option<Cache> {
        if settings.demo || !settings.history {
            return None;
        }
        // `Auth` takes the process's client; this one only lets it read who is signed in,
        // and never loads the system's certificates (tens of milliseconds) it would not use.
        // Anything that fails here fails again, and is reported, on the long way.
        let idle = reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .build()
            .ok()?;
        let auth = crate::auth::Auth::new(
            &crate::services::startup::auth_config(settings, crate::auth::StoreKind::System),
            idle,
        )
        .ok()?;
        Cache::of(settings, settings, &auth).ok()
    }

    fn of(
        settings: &Settings,
        effective: &Settings,
        auth: &crate::auth::Auth,
    ) -> Result<Cache, CliError> {
        let store = Store::for_settings(effective).map_err(|e| CliError::failed(e.to_string()))?;
        let person = auth.status().ok().flatten().and_then(|s| s.account);
        Ok(Cache {
            store,
            key: CacheKey::new(&Account::of(settings), person.as_deref()),
            target: Target::from_user(settings.user.as_deref()),
        })
    }

    pub(crate) fn source<'a>(&'a self, graph: &'a GraphClient) -> Source<'a> {
        Source {
            graph,
            target: self.target.clone(),
            store: self.store.as_ref(),
            key: self.key.clone(),
        }
    }

    /// What `reference` names; a usage error (one line) when nothing.
    pub(crate) fn resolve(&self, reference: &str) -> Result<Named, CliError> {
        service::resolve(self.store.as_ref(), &self.key, reference).map_err(|e| match e {
            AgendaError::Ref(crate::history::RefError::NotFound(r)) => CliError::usage(format!(
                "no meeting '{r}' in the agenda or the history; `tmeet agenda` and `tmeet list` show the refs"
            )),
            AgendaError::Ref(r) => CliError::usage(r.to_string()),
            other => CliError::failed(other.to_string()),
        })
    }
}

/// The client, once the sign-in holds what the agenda needs (asked for now if not).
pub(crate) async fn connect(
    started: &Started,
    feature: Feature,
    json: bool,
) -> Result<GraphClient, CliError> {
    super::outlook::connect(started, feature, json).await
}

pub(crate) fn failure(e: AgendaError) -> CliError {
    CliError::failed(e.to_string())
}

pub fn run(global: &GlobalArgs, args: AgendaArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

/// `[from, to)` of the days asked, in `zone`.
pub(crate) fn range(
    args: &AgendaArgs,
    zone: &Tz,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let local = now.with_timezone(zone);
    let (first, last): (NaiveDate, NaiveDate) = match (&args.from, args.days) {
        (Some(from), _) => {
            let first = super::outlook::parse_day(Some(from), &local)
                .map_err(|e| format!("--from: {e}"))?;
            let last = match &args.to {
                Some(to) => {
                    super::outlook::parse_day(Some(to), &local).map_err(|e| format!("--to: {e}"))?
                }
                None => first,
            };
            if last < first {
                return Err("--to: the last day comes before --from".into());
            }
            if (last - first).num_days() + 1 > MAX_DAYS {
                return Err(format!("--from … --to: at most {MAX_DAYS} days"));
            }
            (first, last)
        }
        (None, days) => {
            let days = days.unwrap_or(1);
            if !(1..=MAX_DAYS).contains(&days) {
                return Err(format!("--days: from 1 to {MAX_DAYS} (got {days})"));
            }
            let first = local.date_naive();
            (first, first + Duration::days(days - 1))
        }
    };
    Ok((
        crate::meeting::time::start_of_day(zone, first),
        crate::meeting::time::start_of_day(zone, last + Duration::days(1)),
    ))
}

fn execute(global: &GlobalArgs, args: &AgendaArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let now = Utc::now();
    let (from, to) = range(args, &zone, now).map_err(CliError::usage)?;
    let agenda = startup::run(&settings, async |started| {
        let cache = Cache::open(&settings, started)?;
        // From the cache at once when it is fresh enough (a minute: the agenda is read by
        // a person who wants it now, and the delta that keeps it true costs one request).
        let graph = connect(started, Feature::Agenda, args.json).await?;
        let refresh = if args.refresh {
            Refresh::Full
        } else {
            Refresh::IfOlderThan(Duration::minutes(1))
        };
        service::agenda(&cache.source(&graph), from, to, refresh, now)
            .await
            .map_err(failure)
    })??;
    if args.json {
        say!(
            "{}",
            crate::sanitize::json_text(&to_json(&agenda, &zone).to_string())
        )
    } else {
        say!("{}", text(&agenda, &zone, now).trim_end())
    }
    .map_err(|_| CliError::reader_gone())
}

pub(crate) fn event_json(aref: Option<i64>, e: &AgendaEvent, zone: &Tz) -> Value {
    let t = |d: &DateTime<Utc>| d.with_timezone(zone).to_rfc3339();
    let answers: Vec<Value> = e
        .attendees
        .iter()
        .map(|a| {
            json!({
                "name": a.person.name,
                "address": a.person.address,
                "type": a.kind,
                "response": a.response.word(),
                "proposedNewTime": a.proposal.as_ref().map(|p| json!({"start": t(&p.start), "end": t(&p.end)})),
            })
        })
        .collect();
    json!({
        "ref": aref.map(|n| format!("a{n}")),
        "id": e.id,
        "subject": e.subject,
        "start": t(&e.start),
        "end": t(&e.end),
        "allDay": e.all_day,
        "organizer": e.organizer.as_ref().map(|o| json!({"name": o.name, "address": o.address})),
        "isOrganizer": e.is_organizer,
        "response": e.response.word(),
        "location": e.location,
        "teams": e.teams,
        "joinUrl": e.join_url,
        "cancelled": e.cancelled,
        "type": serde_json::to_value(e.kind).unwrap_or(Value::Null),
        "seriesMasterId": e.series_master_id,
        "allowNewTimeProposals": e.allow_new_time_proposals,
        "answers": if e.is_organizer { Value::Array(answers) } else { Value::Null },
    })
}

fn source_word(f: &Freshness) -> Value {
    match f {
        Freshness::Fresh => json!({"kind": "service"}),
        Freshness::Cached { synced_at } => {
            json!({"kind": "cache", "syncedAt": synced_at.to_rfc3339()})
        }
        Freshness::Stale { synced_at, why } => {
            json!({"kind": "cache", "syncedAt": synced_at.to_rfc3339(), "unreachable": why})
        }
    }
}

fn to_json(a: &Agenda, zone: &Tz) -> Value {
    json!({
        "from": a.from.with_timezone(zone).to_rfc3339(),
        "to": a.to.with_timezone(zone).to_rfc3339(),
        "timeZone": zone.name(),
        "source": source_word(&a.freshness),
        "events": a.rows.iter().map(|r| event_json(r.aref, &r.event, zone)).collect::<Vec<_>>(),
    })
}

/// One line per event under a heading per day:
/// `a12  09:30–10:00  T  Design sync · Megan Bowen · accepted · Room 1` (`↻` after the
/// subject of one date of a series).
pub(crate) fn text(a: &Agenda, zone: &Tz, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    if let Freshness::Stale { synced_at, why } = &a.freshness {
        out += &format!(
            "(from the cache of {}: the service could not be reached: {})\n",
            synced_at.with_timezone(zone).format("%Y-%m-%d %H:%M"),
            crate::sanitize::line(why)
        );
    }
    let mut day: Option<NaiveDate> = None;
    let mut any = false;
    for Row { aref, event: e } in &a.rows {
        let start = e.start.with_timezone(zone);
        let end = e.end.with_timezone(zone);
        let d = start
            .date_naive()
            .max(a.from.with_timezone(zone).date_naive());
        if day != Some(d) {
            out += &format!("{}\n", d.format("%A %Y-%m-%d"));
            day = Some(d);
        }
        any = true;
        let when = if e.all_day {
            "all day    ".to_string()
        } else {
            format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
        };
        let mark = if e.teams { "T" } else { " " };
        let now_mark = if e.start <= now && now < e.end {
            "▶"
        } else {
            " "
        };
        let subject = crate::sanitize::line(if e.subject.is_empty() {
            "(no subject)"
        } else {
            &e.subject
        });
        // ↻: one date of a series (answering asks whether for it or the series).
        let mut parts = vec![if e.in_series() {
            format!("{subject} ↻")
        } else {
            subject
        }];
        if let Some(o) = e.organizer.as_ref().filter(|_| !e.is_organizer) {
            parts.push(crate::sanitize::line(&o.name));
        }
        parts.push(match e.answers_line() {
            Some(line) => line,
            None if e.is_organizer => "organizer".into(),
            None => e.response.word().to_string(),
        });
        if let Some(l) = &e.location {
            parts.push(crate::sanitize::line(l));
        }
        let r = aref.map(|n| format!("a{n}")).unwrap_or_default();
        out += &format!("{now_mark}{r:<5} {when}  {mark}  {}\n", parts.join(" · "));
    }
    if !any {
        out += "No meetings.\n";
    }
    out
}
