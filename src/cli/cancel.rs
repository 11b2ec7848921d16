//! `tmeet cancel REF`: cancels a calendar meeting (`POST /me/events/{id}/cancel`,
//! GRAPH-SCHEDULING.md §3.8): the attendees get a cancellation, with `--message` if given.
//! Organizer only. REF is a history ref of a calendar meeting or an event id.

use super::common::capitalized;
use super::error::CliError;
use super::output::warn_line;
use super::series_scope::ScopeArgs;
use crate::graph::client::Target;
use crate::history::series::Kept;
use crate::history::{self, Kind, State};
use crate::permissions::Feature;
use crate::services::calendar as flow;
use crate::services::series::{self, Cancelled, Scope};
use crate::services::startup::{self, Started};
use crate::settings::GlobalArgs;
use chrono::NaiveDate;
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  cancelled: the attendees are sent a cancellation; or it was already cancelled (or
     is gone from your calendar), and nothing is sent again
  1  not cancelled: you are not the organizer, not signed in, or the question was
     answered no
  2  usage: REF is a standalone meeting (use tmeet delete), names several meetings, or
     --yes is missing without a terminal; REF repeats and none of --occurrence, --from
     or --series was given without a terminal, or the day given has no meeting";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct CancelArgs {
    /// A short ref from `tmeet list` of a calendar meeting, or an event id
    #[arg(value_name = "EVENT")]
    pub reference: String,
    /// The message the attendees receive with the cancellation
    #[arg(long, value_name = "TEXT")]
    pub message: Option<String>,
    /// Do not ask for confirmation (required when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print a JSON object: {"ref", "eventId", "cancelled", "alreadyCancelled"}, and for
    /// part of a series "occurrence" or "endsOn"
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

pub fn run(global: &GlobalArgs, args: CancelArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &CancelArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let store = history::Store::for_settings(&settings).ok().flatten();
    let entry = store.as_ref().and_then(|s| s.resolve(&args.reference).ok());
    let (event_id, what) = match &entry {
        Some(e) if e.kind == Kind::Standalone => {
            return Err(CliError::usage(format!(
                "ref {} is a standalone meeting: it sent no invitations to cancel; delete it with tmeet delete {}",
                e.id, e.id
            )));
        }
        Some(e) => match &e.event_id {
            Some(id) => (
                id.clone(),
                format!("ref {} \"{}\"", e.id, history::command::subject(e)),
            ),
            None => {
                return Err(CliError::usage(format!(
                    "ref {} has no event id in the history; cancel it in Outlook",
                    e.id
                )));
            }
        },
        None if args.reference.trim().is_empty()
            || args.reference.starts_with("https://")
            || args.reference.bytes().all(|b| b.is_ascii_digit()) =>
        {
            return Err(CliError::usage(format!(
                "'{}' is neither a calendar meeting of the history (tmeet list) nor an event id",
                crate::sanitize::line(&args.reference)
            )));
        }
        None => (
            args.reference.trim().to_string(),
            format!("event {}", crate::sanitize::line(args.reference.trim())),
        ),
    };
    let scope = args.scope.resolve(entry.as_ref(), "cancel")?;
    if let (Some(scope @ (Scope::One(_) | Scope::From(_))), Some(e)) = (scope, &entry) {
        return cancel_part(&settings, args, store.as_ref(), e, &event_id, &what, scope);
    }
    let already = startup::run(&settings, async |started| {
        cancel_once(started, &settings, args, &event_id, &what).await
    })??;
    if let (Some(store), Some(e)) = (&store, &entry)
        && let Err(err) = store.record_state(e.id, State::Deleted)
    {
        warn_line(&format!(
            "warning: the meeting was cancelled but the history still lists it: {err}"
        ));
    }
    if let Some(why) = already {
        return report_already(args, entry.as_ref().map(|e| e.id), &event_id, &what, why);
    }
    let line = if args.json {
        crate::sanitize::json_text(
            &serde_json::json!({
                "ref": entry.as_ref().map(|e| e.id),
                "eventId": event_id,
                "cancelled": true,
                "alreadyCancelled": false,
            })
            .to_string(),
        )
    } else {
        format!("Cancelled {what}; the attendees are sent a cancellation.")
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// Reads the event first: one already cancelled (or gone) is not cancelled again, which
/// would mail every attendee a second cancellation. Then asks, then cancels. Ok(Some(why))
/// when there was nothing to cancel.
async fn cancel_once(
    started: &Started,
    settings: &crate::settings::Settings,
    args: &CancelArgs,
    event_id: &str,
    what: &str,
) -> Result<Option<&'static str>, CliError> {
    let target = Target::from_user(settings.user.as_deref());
    let graph = super::outlook::connect(started, Feature::Invite, args.json).await?;
    match flow::cancellable(&graph, &target, event_id).await {
        Ok(Ok(_)) => {}
        Ok(Err(why)) => return Ok(Some(why)),
        Err(e) => return Err(CliError::failed(format!("{what} was not cancelled: {e}"))),
    }
    if !args.yes {
        confirm(&format!(
            "Cancel {what}? Every attendee gets a cancellation."
        ))?;
    }
    flow::cancel_event(&graph, &target, event_id, args.message.as_deref())
        .await
        .map_err(|e| CliError::failed(format!("{what} was not cancelled: {e}")))?;
    Ok(None)
}

/// One meeting of a series, or every one from a date on: the rest of the series stays,
/// and the history row with it.
fn cancel_part(
    settings: &crate::settings::Settings,
    args: &CancelArgs,
    store: Option<&history::Store>,
    entry: &history::Entry,
    event_id: &str,
    what: &str,
    scope: Scope,
) -> Result<(), CliError> {
    let zone =
        Kept::of_entry(entry).map_or_else(crate::meeting::time::local_zone, |r| r.series.zone());
    let day = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    let (date, question) = match scope {
        Scope::One(date) => (
            date,
            format!(
                "Cancel the meeting of {} of {what}? Its attendees get a cancellation; the rest of \
                 the series stays.",
                day(date)
            ),
        ),
        Scope::From(date) => (
            date,
            format!(
                "End {what} before {}? Its meetings from then on are called off, the earlier \
                 ones stay, and the attendees get the series' update.",
                day(date)
            ),
        ),
        Scope::All => unreachable!("the whole series is cancelled as one meeting"),
    };
    let done = startup::run(settings, async |started| {
        let target = Target::from_user(settings.user.as_deref());
        let graph = super::outlook::connect(started, Feature::Invite, args.json).await?;
        let failed = |e: flow::CalendarError| match e {
            flow::CalendarError::Refused(line) => CliError::usage(line),
            other => CliError::failed(format!("{what} was not cancelled: {other}")),
        };
        // Found (or refused) before the question: nothing is asked about a meeting that
        // is not there.
        let part = series::find_part(&graph, &target, event_id, scope, zone)
            .await
            .map_err(failed)?
            .expect("one meeting, or from a day on");
        if !args.yes {
            confirm(&question)?;
        }
        series::cancel_part(
            &graph,
            &target,
            event_id,
            &part,
            args.message.as_deref(),
            &super::common::say_wait,
        )
        .await
        .map_err(failed)
    })??;
    if let Some(store) = store
        && let Err(err) = store.record_series_change(entry.id, date, done.word())
    {
        warn_line(&format!(
            "warning: the meeting was cancelled but the history does not say so: {err}"
        ));
    }
    let line = if args.json {
        let mut v = serde_json::json!({
            "ref": entry.id,
            "eventId": event_id,
            "cancelled": true,
            "alreadyCancelled": false,
        });
        match &done {
            Cancelled::Ended(e) => v["endsOn"] = e.last.format("%Y-%m-%d").to_string().into(),
            Cancelled::One => v["occurrence"] = date.format("%Y-%m-%d").to_string().into(),
        }
        crate::sanitize::json_text(&v.to_string())
    } else {
        match &done {
            Cancelled::Ended(e) => format!(
                "{} now ends on {}: its meetings from {} on are called off; the attendees get the \
                 series' update.",
                capitalized(what),
                day(e.last),
                day(date)
            ),
            Cancelled::One => format!(
                "Cancelled the meeting of {} of {what}; its attendees are sent a cancellation, and \
                 the rest of the series stays.",
                day(date)
            ),
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

fn confirm(question: &str) -> Result<(), CliError> {
    super::common::confirm(
        question,
        "cancel asks for confirmation and standard input is not a terminal; pass --yes to \
         cancel without asking",
    )
    .map_err(CliError::usage)
    .and_then(|yes| {
        if yes {
            Ok(())
        } else {
            Err(CliError::failed("nothing cancelled".into()))
        }
    })
}

/// Nothing was sent: what was asked for is already true (as `delete` of a meeting
/// already gone), so this is a success that says so.
fn report_already(
    args: &CancelArgs,
    reference: Option<i64>,
    event_id: &str,
    what: &str,
    why: &str,
) -> Result<(), CliError> {
    let line = if args.json {
        crate::sanitize::json_text(
            &serde_json::json!({
                "ref": reference,
                "eventId": event_id,
                "cancelled": true,
                "alreadyCancelled": true,
            })
            .to_string(),
        )
    } else {
        format!("{} {why}; nothing was sent.", capitalized(what))
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}
