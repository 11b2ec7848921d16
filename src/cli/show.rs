//! `tmeet show REF`: everything about one meeting of the history, the decoded invitation
//! included. When signed in, the meeting is read again from Graph (the passcode is never
//! stored, and the meeting may have changed); otherwise what the history has is shown,
//! and the output says what is missing.

use super::error::CliError;
use super::output::{Unwritable, say};
use crate::graph::client::Target;
use crate::history::{self, Entry, Store};
use crate::meeting::presentation::MeetingCard;
use crate::meeting::time;
use crate::services::startup;
use crate::settings::{GlobalArgs, Settings};
use serde_json::{Value, json};

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  shown (from Graph, or from the history alone: stderr says why)
  1  the history could not be read
  2  the REF names no meeting (or several), or the history is off";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct ShowArgs {
    /// A short ref from `tmeet list` (3), a unique prefix of a Graph id, a Graph id, or a join link
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Only what the history has; do not ask Graph (no passcode then)
    #[arg(long)]
    pub offline: bool,
    /// Print a JSON object: the history entry and the meeting (README, "My meetings")
    #[arg(long)]
    pub json: bool,
}

/// What asking Graph gave.
enum Fresh {
    /// The current object (with its passcode).
    Meeting(Value),
    /// 404: deleted at the service; the history now says so.
    Gone,
    /// Not asked, or the question failed: why, for the output.
    Not(String),
}

pub fn run(global: &GlobalArgs, args: ShowArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    let settings = startup::settings(global)?;
    let (store, entry) = open_entry(&settings, &args.reference)?;
    let fresh = if args.offline {
        Fresh::Not("--offline".into())
    } else if let Err(why) = reachable(&settings, &entry) {
        Fresh::Not(why)
    } else {
        fetch(&settings, &store, &entry)
    };
    // The row as it is now (a fetch updates it).
    let entry = store.get(entry.id).unwrap_or(entry);
    // Who is coming, as the agenda's cache last saw it (none when it has not seen it).
    let event = store
        .agenda_organized(
            &entry.account,
            entry.event_id.as_deref(),
            entry.join_url.as_deref(),
        )
        .ok()
        .flatten();
    if args.json {
        print_json(&entry, &fresh, event.as_ref())?;
    } else {
        print_human(&entry, &fresh, event.as_ref())?;
    }
    Ok(())
}

/// The account this run acts as: the settings' cloud and organizer, and who is signed in
/// (read from the stored sign-in; nothing is sent). Unknown for a demo and for app-only
/// credentials, which act for the `--user` the settings name.
pub(crate) fn this_account(settings: &Settings) -> history::Account {
    let mut account = history::Account::of(settings);
    if !settings.demo && settings.client_secret.is_none() {
        account.upn = crate::auth::Auth::new(
            &crate::services::startup::auth_config(settings, crate::auth::StoreKind::System),
            crate::http::client_for(settings),
        )
        .ok()
        .and_then(|auth| auth.status().ok().flatten())
        .and_then(|s| s.account);
    }
    account
}

/// Whether this run can reach the meeting of `entry` at the service; the refusal names
/// the account (or cloud, or user) that can. A request from another account could only
/// answer 404 (GRAPH-REAL.md Q16), which would read as "deleted".
pub(crate) fn reachable(settings: &Settings, entry: &Entry) -> Result<(), String> {
    let run = this_account(settings);
    if history::command::same_account(&entry.account, &run) {
        Ok(())
    } else {
        Err(history::command::other_account(entry, &run))
    }
}

/// The history and the entry REF names. A REF that names nothing (or several) is the
/// person's input: 2, as other input refused before anything is sent.
pub(crate) fn open_entry(settings: &Settings, reference: &str) -> Result<(Store, Entry), CliError> {
    let store = super::common::open_history(settings)?;
    match store.resolve(reference) {
        Ok(e) => Ok((store, e)),
        Err(history::RefError::Store(e)) => Err(CliError::failed(e.to_string())),
        Err(e) => Err(CliError::usage(e.to_string())),
    }
}

fn fetch(settings: &Settings, store: &Store, entry: &Entry) -> Fresh {
    let asked = startup::run(settings, async |started| match started.graph().await {
        Err(e) => Fresh::Not(format!("not signed in ({e})")),
        Ok(graph) => {
            let target = Target::from_user(settings.user.as_deref());
            match crate::services::my_meetings::now(&graph, &target, entry).await {
                Ok(now) => {
                    let _ = now.record(store, entry);
                    match now.meeting(entry) {
                        Some(m) => Fresh::Meeting(m),
                        None => Fresh::Gone,
                    }
                }
                Err(e) => Fresh::Not(format!("Graph could not be asked: {e}")),
            }
        }
    });
    asked.unwrap_or_else(|r| Fresh::Not(r.line().to_string()))
}

fn card(entry: &Entry, fresh: &Fresh) -> Option<MeetingCard> {
    let meeting = match fresh {
        Fresh::Meeting(v) => crate::graph::model::OnlineMeeting::from_graph(v)
            .ok()
            .map(|(m, _)| m),
        _ => entry.meeting(),
    }?;
    Some(MeetingCard::from_meeting(
        &meeting,
        &time::local_zone(),
        entry.language.as_deref(),
    ))
}

fn passcode_required(entry: &Entry) -> bool {
    entry
        .meeting()
        .and_then(|m| m.join_meeting_id_settings)
        .and_then(|j| j.is_passcode_required)
        .unwrap_or(false)
}

fn print_human(
    entry: &Entry,
    fresh: &Fresh,
    event: Option<&crate::calendar::agenda::AgendaEvent>,
) -> Result<(), Unwritable> {
    let zone = time::local_zone();
    let state = match fresh {
        Fresh::Gone => "deleted at the service (found just now)".to_string(),
        _ => format!(
            "{}{}",
            entry.state.as_str(),
            match entry.state {
                history::State::Changed => " (changed elsewhere since tmeet last set it)",
                _ => "",
            }
        ),
    };
    say!("Ref:        {} ({})", entry.id, entry.kind.as_str())?;
    say!("State:      {state}")?;
    match card(entry, fresh) {
        Some(c) => {
            let mut summary = c.summary();
            if !matches!(fresh, Fresh::Meeting(_)) && passcode_required(entry) {
                // "none" would be wrong: there is one, it is just not kept here.
                summary = summary.replace(
                    "Passcode:   none\n",
                    "Passcode:   required; not stored: sign in and run tmeet show again\n",
                );
            }
            super::output::write_out(format_args!("{summary}"))?;
        }
        None => {
            say!("Subject:    {}", history::command::subject(entry))?;
            say!("Start:      {}", history::command::when(entry, &zone))?;
            if let Some(u) = &entry.join_url {
                say!("Join URL:   {}", crate::sanitize::line(u))?;
            }
        }
    }
    if let Some(series) = &entry.series {
        say!(
            "Repeats:    {} ({})",
            crate::sanitize::line(series["rule"].as_str().unwrap_or("(rule not recorded)")),
            crate::sanitize::line(series["timeZone"].as_str().unwrap_or("?"))
        )?;
        let kept = history::series::Kept::of(Some(series), entry.start, entry.end);
        let next: Vec<String> = kept
            .iter()
            .flat_map(|k| k.upcoming(chrono::Utc::now()).take(5))
            .map(|o| o.start.format("%a %-d %b %Y %H:%M %Z").to_string())
            .collect();
        if !next.is_empty() {
            say!("Next:       {}", next.join(" · "))?;
        }
        for (date, what) in kept.iter().flat_map(|k| &k.changes) {
            say!(
                "Changed:    {}: {}",
                date.format("%a %-d %b %Y"),
                crate::sanitize::line(what)
            )?;
        }
    }
    say!("Graph id:   {}", crate::sanitize::line(&entry.graph_id))?;
    if let Some(x) = &entry.external_id {
        say!("External id: {}", crate::sanitize::line(x))?;
    }
    if let Some(l) = &entry.language {
        say!("Language:   {}", crate::sanitize::line(l))?;
    }
    say!(
        "Created:    {} (cloud {}, tenant {}, for {}, made with {})",
        super::common::when(entry.created_at),
        entry.account.cloud,
        crate::sanitize::line(&entry.account.tenant),
        crate::sanitize::line(&entry.account.target),
        entry
            .account
            .upn
            .as_deref()
            .map_or_else(|| "an unknown account".to_string(), crate::sanitize::line)
    )?;
    if entry
        .options_asked
        .as_object()
        .is_some_and(|o| !o.is_empty())
    {
        say!(
            "Options asked: {}",
            crate::sanitize::json_text(&entry.options_asked.to_string())
        )?;
        say!(
            "Options set:   {}",
            crate::sanitize::json_text(&entry.options_set.to_string())
        )?;
    }
    if let Some(list) = entry.attendees.as_array().filter(|a| !a.is_empty()) {
        let names: Vec<String> = list
            .iter()
            .map(|a| {
                format!(
                    "{} ({})",
                    a["upn"].as_str().unwrap_or("?"),
                    a["role"].as_str().unwrap_or("attendee")
                )
            })
            .collect();
        say!("Attendees:  {}", crate::sanitize::line(&names.join(", ")))?;
    }
    if let Some(line) = event.and_then(|e| e.answers_line()) {
        say!("Answers:    {line} (tmeet agenda --json lists each)")?;
    }
    if let Fresh::Not(why) = fresh {
        super::output::warn_line(&format!("shown from the history only: {why}",));
    }
    if let Some(text) = card(entry, fresh).and_then(|c| c.invitation) {
        say!("\nInvitation:\n{text}")?;
    }
    Ok(())
}

fn print_json(
    entry: &Entry,
    fresh: &Fresh,
    event: Option<&crate::calendar::agenda::AgendaEvent>,
) -> Result<(), Unwritable> {
    let (meeting, source) = match fresh {
        Fresh::Meeting(v) => (v.clone(), "graph"),
        _ => (entry.meeting_json.clone().unwrap_or(Value::Null), "history"),
    };
    let invitation = card(entry, fresh).and_then(|c| c.invitation);
    let out = json!({
        "entry": entry.to_json(),
        "meeting": meeting,
        "source": source,
        "invitation": invitation,
        // Each attendee's answer and proposed time from the agenda's cache; null when it
        // has not seen the meeting's event (`tmeet agenda` fills it).
        "answers": event.map(|e| super::agenda::event_json(None, e, &time::local_zone())["answers"].clone()),
    });
    if let Fresh::Not(why) = fresh {
        super::output::warn_line(&format!("shown from the history only: {why}"));
    }
    say!("{}", crate::sanitize::json_text(&out.to_string()))
}
