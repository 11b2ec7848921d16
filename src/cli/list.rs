//! `tmeet list`: the meetings of the local history, the soonest first. Graph cannot list
//! onlineMeetings, so this reads the history; `--refresh` asks Graph about each one and
//! marks those deleted or changed elsewhere.

use super::error::CliError;
use super::output::Unwritable;
use crate::exit::Code;
use crate::graph::client::Target;
use crate::history::{self, Entry, Filter, HistoryError, State, Store, Summary};
use crate::meeting::time;
use crate::services::startup::{self, Started};
use crate::settings::{GlobalArgs, Settings};
use chrono::{DateTime, Utc};
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  listed (with --refresh: every meeting listed was checked)
  1  the history could not be read, or with --refresh a meeting could not be checked
     (the others were; the list is printed)
  2  the history is off (TMEET_HISTORY=off, history = false), or --since/--until unreadable
     or --since not before --until";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct ListArgs {
    /// Past meetings too (by default only those that have not ended)
    #[arg(long)]
    pub all: bool,
    /// Only meetings starting at or after this time (as --start of create: 2026-12-01 9:00, mon 10:00, …)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Only meetings starting before this time
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Ask Graph about each meeting listed and mark those deleted or changed elsewhere
    #[arg(long)]
    pub refresh: bool,
    /// Print a JSON array of the meetings (README, "My meetings")
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &GlobalArgs, args: ListArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    let settings = startup::settings(global)?;
    let filter = filter(&args).map_err(CliError::usage)?;
    let store = super::common::open_history(&settings)?;
    let mut code = Code::Ok;
    if args.refresh {
        code = refresh(&settings, &store, filter);
    }
    match print(&store, filter, &args) {
        Ok(()) if code == Code::Ok => Ok(()),
        // The lines that say why were printed with the refresh.
        Ok(()) => Err(CliError::quiet(code)),
        Err(Stop::History(e)) => Err(CliError::failed(e.to_string())),
        Err(Stop::Output(e)) => Err(e.into()),
    }
}

fn filter(args: &ListArgs) -> Result<Filter, String> {
    filter_at(args, &Utc::now().with_timezone(&time::local_zone()))
}

fn filter_at(args: &ListArgs, now: &DateTime<chrono_tz::Tz>) -> Result<Filter, String> {
    let at = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|s| time::parse_start(s, now).map_err(|e| format!("{flag}: {e}")))
            .transpose()
    };
    let since = at("--since", &args.since)?;
    let until = at("--until", &args.until)?;
    // An empty range would list nothing and read as an empty history: say which is wrong.
    if let (Some(s), Some(u)) = (&since, &until)
        && s >= u
    {
        return Err(format!(
            "--since {} is not before --until {}: no meeting can start in that range; \
             swap them or widen it",
            s.format("%Y-%m-%d %H:%M"),
            u.format("%Y-%m-%d %H:%M")
        ));
    }
    Ok(Filter {
        // A range in the past asks for past meetings.
        all: args.all || args.since.is_some() || args.until.is_some(),
        since: since.map(|t| t.with_timezone(&Utc)),
        until: until.map(|t| t.with_timezone(&Utc)),
    })
}

/// GET for each meeting listed (not already known deleted) that belongs to this account;
/// 1 when a meeting could not be checked, after checking the rest.
fn refresh(settings: &Settings, store: &Store, filter: Filter) -> Code {
    let entries = match store.list(filter, Utc::now()) {
        Ok(e) => e,
        Err(e) => {
            super::output::warn_line(&e.to_string());
            return Code::Failure;
        }
    };
    let mine = super::show::this_account(settings);
    let (checkable, others): (Vec<Entry>, Vec<Entry>) = entries
        .into_iter()
        .filter(|e| e.state != State::Deleted)
        .partition(|e| history::command::same_account(&e.account, &mine));
    if !others.is_empty() {
        super::output::warn_line(&format!(
            "not checked: {} meeting(s) of another cloud, user or sign-in than this run's ({})",
            others.len(),
            others
                .iter()
                .map(|e| e.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if checkable.is_empty() {
        return Code::Ok;
    }
    startup::run(settings, async |started| {
        check_all(started, store, &checkable).await
    })
    .unwrap_or_else(|r| {
        // Said now: the list is printed all the same, and the status says it.
        super::output::warn_line(r.line());
        r.code()
    })
}

async fn check_all(started: &Started, store: &Store, entries: &[Entry]) -> Code {
    let graph = match started.graph().await {
        Ok(g) => g,
        Err(e) => {
            super::output::warn_line(&format!("cannot refresh: {e}"));
            return Code::Failure;
        }
    };
    let target = Target::from_user(started.settings.user.as_deref());
    let found =
        crate::services::my_meetings::refresh(&graph, &target, entries.to_vec(), |now, e| {
            let recorded = now.record(store, &e).map_err(|e| e.to_string());
            std::future::ready(recorded)
        })
        .await;
    for why in &found.not_checked {
        super::output::warn_line(&format!("not checked: {why}"));
    }
    let failed = found.not_checked.len();
    super::output::warn_line(&format!(
        "checked {} meeting(s) with Graph: {} deleted elsewhere, {} changed elsewhere{}",
        found.checked,
        found.gone,
        found.changed,
        if failed > 0 {
            format!(", {} not checked", entries.len() - found.checked)
        } else {
            String::new()
        }
    ));
    if failed > 0 { Code::Failure } else { Code::Ok }
}

/// Why printing the list stopped.
enum Stop {
    History(HistoryError),
    Output(Unwritable),
}

impl From<HistoryError> for Stop {
    fn from(e: HistoryError) -> Self {
        Stop::History(e)
    }
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        Stop::Output(e.into())
    }
}

/// The list, written as its rows are read: nothing but the row at hand is held, and the
/// table reads only the columns it prints. A failure of the history after some rows were
/// written leaves those written (the error follows on stderr).
fn print(store: &Store, filter: Filter, args: &ListArgs) -> Result<(), Stop> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let now = Utc::now();
    // Who answered, for the calendar meetings the agenda's cache has seen; a cache that
    // cannot be read only leaves the answers out.
    let tallies = store.agenda_tallies().unwrap_or_default();
    let answers = |event_id: Option<&str>| event_id.and_then(|id| tallies.get(id));
    if args.json {
        // The array element by element; each element as `create --json` escapes it.
        let mut first = true;
        store.each_entry(filter, now, |e| {
            out.write_all(if first { b"[" } else { b"," })?;
            first = false;
            let next = history::series::Kept::of_entry(&e).map(|k| {
                let t = |t: &chrono::DateTime<chrono_tz::Tz>| {
                    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                };
                k.upcoming(now).next().map_or(
                    serde_json::Value::Null,
                    |o| serde_json::json!({"start": t(&o.start), "end": t(&o.end)}),
                )
            });
            let answered =
                answers(e.event_id.as_deref()).map_or(serde_json::Value::Null, |t| t.to_json());
            let mut v = e.into_json();
            if let Some(next) = next {
                v["series"]["next"] = next;
            }
            v["answers"] = answered;
            let text = serde_json::to_string(&v).map_err(std::io::Error::from)?;
            out.write_all(crate::sanitize::json_text(&text).as_bytes())?;
            Ok::<(), Stop>(())
        })?;
        out.write_all(if first { b"[]\n" } else { b"]\n" })?;
        out.flush()?;
        return Ok(());
    }
    let zone = time::local_zone();
    // Meetings of several accounts: each line says whose it is.
    let accounts = store.accounts()?;
    let width = (accounts.len() > 1).then(|| {
        accounts
            .iter()
            .map(|a| a.chars().count())
            .chain([UNKNOWN_ACCOUNT.len()])
            .max()
            .unwrap_or(0)
            .min(40)
    });
    let mut any = false;
    store.each_summary(filter, now, |e| {
        if !any {
            match width {
                Some(w) => writeln!(
                    out,
                    "{:>4}  {:<16}  {:<10}  {:<w$}  SUBJECT",
                    "REF", "WHEN", "KIND", "ACCOUNT"
                )?,
                None => writeln!(out, "{:>4}  {:<16}  {:<10}  SUBJECT", "REF", "WHEN", "KIND")?,
            }
            any = true;
        }
        write_row(&mut out, &e, &zone, width)?;
        match answers(e.event_id.as_deref()).and_then(|t| t.line()) {
            Some(a) => writeln!(out, " · {a}")?,
            None => writeln!(out)?,
        }
        Ok::<(), Stop>(())
    })?;
    if !any {
        let hint = if args.all {
            "create one with `tmeet` or `tmeet create`"
        } else {
            "`tmeet list --all` shows past ones too"
        };
        writeln!(out, "No meetings in the history; {hint}.")?;
    }
    out.flush()?;
    Ok(())
}

/// The account column of a meeting made before tmeet kept the account.
const UNKNOWN_ACCOUNT: &str = "unknown account";

/// One line of the table, without its end: short ref, local start, kind, the account in a
/// column `account_width` wide when there is one, state mark and subject. Written straight
/// to `out`, as `list` writes thousands of them.
fn write_row(
    out: &mut impl Write,
    e: &Summary,
    zone: &chrono_tz::Tz,
    account_width: Option<usize>,
) -> std::io::Result<()> {
    write!(
        out,
        "{:>4}  {:<16}  {:<10}  ",
        e.id,
        history::command::when(e, zone),
        e.kind.as_str()
    )?;
    if let Some(width) = account_width {
        let account = e
            .account
            .as_deref()
            .map_or_else(|| UNKNOWN_ACCOUNT.to_string(), crate::sanitize::line);
        write!(out, "{account:<width$}  ")?;
    }
    write!(
        out,
        "{}{}",
        history::command::mark(e),
        history::command::subject_line(e)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn args(since: Option<&str>, until: Option<&str>) -> ListArgs {
        ListArgs {
            all: false,
            since: since.map(str::to_string),
            until: until.map(str::to_string),
            refresh: false,
            json: false,
        }
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_a_usage_error_naming_both() {
        let now = chrono_tz::Europe::Berlin
            .with_ymd_and_hms(2026, 11, 27, 10, 7, 0)
            .unwrap();
        let err = filter_at(
            &args(Some("2026-12-05 09:00"), Some("2026-12-01 09:00")),
            &now,
        )
        .unwrap_err();
        assert!(
            err.starts_with("--since 2026-12-05 09:00 is not before --until 2026-12-01 09:00"),
            "{err}"
        );
        assert!(filter_at(&args(Some("mon 10:00"), Some("mon 10:00")), &now).is_err());
        let f = filter_at(
            &args(Some("2026-12-01 09:00"), Some("2026-12-05 09:00")),
            &now,
        )
        .unwrap();
        assert!(f.all && f.since < f.until);
        assert!(filter_at(&args(Some("2026-12-01 09:00"), None), &now).is_ok());
    }
}
