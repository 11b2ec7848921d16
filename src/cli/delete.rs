//! `tmeet delete REF`: deletes a meeting of the history at the service
//! (`DELETE …/onlineMeetings/{id}`) and marks it deleted. Asks first on a terminal;
//! scripts pass `--yes`. A meeting already gone (404) is marked deleted too and the
//! command succeeds: what was asked for is true.

use super::error::CliError;
use super::output::{Unwritable, say, warn_line};
use crate::graph::client::Target;
use crate::history::{self, Entry, Kind};
use crate::meeting::time;
use crate::services::my_meetings;
use crate::services::startup;
use crate::settings::GlobalArgs;
use serde_json::json;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  deleted, or already gone at the service (404); either way the history marks it deleted
  1  not deleted (the service refused, not signed in), or the question was answered no
  2  the REF names no meeting (or several), --yes missing without a terminal, --message
     with a standalone meeting, or the meeting belongs to another cloud, user or sign-in
     (the line names the account it was made with)";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct DeleteArgs {
    /// A short ref from `tmeet list` (3), a unique prefix of a Graph id, a Graph id, or a join link
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Do not ask for confirmation (required when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// For a calendar event: the cancellation message its attendees receive
    #[arg(long, value_name = "TEXT")]
    pub message: Option<String>,
    /// Print a JSON object: {"ref", "id", "deleted", "alreadyGone"}
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &GlobalArgs, args: DeleteArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    let settings = startup::settings(global)?;
    let (store, entry) = super::show::open_entry(&settings, &args.reference)?;
    if args.message.is_some() && entry.kind == Kind::Standalone {
        return Err(CliError::usage(format!(
            "--message: ref {} is a standalone meeting, which has no attendees to tell; \
             delete it without --message",
            entry.id
        )));
    }
    if let Err(why) = super::show::reachable(&settings, &entry) {
        return Err(CliError::usage(why));
    }
    if !args.yes && !confirm(&entry).map_err(CliError::usage)? {
        return Err(CliError::failed("nothing deleted".into()));
    }
    let already_gone = startup::run(&settings, async |started| {
        let graph = started
            .graph()
            .await
            .map_err(|e| CliError::failed(e.to_string()))?;
        let target = Target::from_user(settings.user.as_deref());
        match my_meetings::delete(&graph, &target, &entry, args.message.as_deref()).await {
            Ok(d) => Ok(d == my_meetings::Deleted::AlreadyGone),
            Err(e) if crate::services::calendar::is_no_mailbox(&e) => Err(CliError::failed(
                format!("{} ({e})", crate::services::calendar::NO_MAILBOX),
            )),
            Err(e) => Err(CliError::failed(e.to_string())),
        }
    })
    .map_err(CliError::from)
    .and_then(|deleted| deleted)
    .map_err(|e| e.context(|line| format!("ref {} was not deleted: {line}", entry.id)))?;
    if let Err(e) = my_meetings::record_deleted(&store, &entry) {
        warn_line(&format!(
            "warning: the meeting was deleted but the history still lists it: {e}"
        ));
    }
    report(&entry, already_gone, args.json)?;
    Ok(())
}

/// y/N on the terminal; refuses when nobody can answer.
fn confirm(entry: &Entry) -> Result<bool, String> {
    let zone = time::local_zone();
    super::common::confirm(
        &format!(
            "Delete ref {} \"{}\" ({})? It cannot be undone.",
            entry.id,
            history::command::subject(entry),
            history::command::when(entry, &zone)
        ),
        "delete asks for confirmation and standard input is not a terminal; \
         pass --yes to delete without asking",
    )
}

fn report(entry: &Entry, already_gone: bool, json: bool) -> Result<(), Unwritable> {
    if json {
        let out = json!({
            "ref": entry.id,
            "id": entry.graph_id,
            "deleted": true,
            "alreadyGone": already_gone,
        });
        return say!("{}", crate::sanitize::json_text(&out.to_string()));
    }
    let subject = history::command::subject(entry);
    if already_gone {
        say!(
            "Ref {} \"{subject}\" was already deleted at the service; the history now says so.",
            entry.id
        )
    } else {
        say!("Deleted ref {} \"{subject}\".", entry.id)
    }
}
