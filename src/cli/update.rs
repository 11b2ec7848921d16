//! `tmeet update ID_OR_JOIN_URL`: a `PATCH` with only what the person named (times always
//! together, `joinMeetingIdSettings` never: GRAPH.md §4), then the same read-back of what
//! the tenant changed as `create`. Exit 2 for input refused before sending (including an
//! option that can only be set on create), 1 when the service refused.

mod calendar;

use super::create::report_differences;
use super::error::CliError;
use super::option_args::OptionArgs;
use super::series_scope::ScopeArgs;
use crate::graph::client::Target;
use crate::meeting::attendees;
use crate::meeting::presentation::MeetingCard;
use crate::meeting::time;
use crate::services::online_meeting::{Change, ScheduleError};
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::Utc;
use std::io::Write;

#[derive(Debug, Clone, clap::Args)]
pub struct UpdateArgs {
    /// The meeting: a ref from `tmeet list` (3, or a unique id prefix), its Graph id, or its join link (looked up with $filter=JoinWebUrl eq '…')
    #[arg(value_name = "REF")]
    pub meeting: String,
    /// New title
    #[arg(long, short = 's')]
    pub subject: Option<String>,
    /// New start, with --end or --duration (the service wants both times together)
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<String>,
    /// New end, a time or a duration from the new start
    #[arg(
        long,
        requires = "start",
        conflicts_with = "duration",
        allow_hyphen_values = true
    )]
    pub end: Option<String>,
    /// New length from the new start: 30m, 1h, 1h30m
    #[arg(long, requires = "start", allow_hyphen_values = true)]
    pub duration: Option<String>,
    /// Accept a new start in the past (refused otherwise, as it is usually a wrong date)
    #[arg(long, requires = "start")]
    pub allow_past: bool,
    /// The zone --start and --end are read in: an IANA name (America/New_York), a city, a Windows name or an abbreviation (EST) [default: the terminal's]. A calendar meeting's event is sent in it; the summary gives the times in both zones
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Print the updated Graph onlineMeeting object as JSON
    #[arg(long)]
    pub json: bool,
    /// Options to change, and the full attendee list to replace the meeting's with.
    #[command(flatten)]
    pub meeting_options: OptionArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Show as, reminder and the other fields of a calendar meeting's invitation.
    #[command(flatten)]
    pub invitation: crate::cli::invitation_args::InvitationArgs,
}

pub fn run(global: &GlobalArgs, args: UpdateArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

/// What to send, checked before anything is: config defaults do not apply here (an update
/// changes only what was named).
pub fn change(args: &UpdateArgs, zone: chrono_tz::Tz) -> Result<Change, String> {
    let now = Utc::now().with_timezone(&zone);
    let times = match (&args.start, &args.end, &args.duration) {
        (Some(_), None, None) => {
            return Err(
                "--start: give --end or --duration too; the service changes both times together"
                    .into(),
            );
        }
        (Some(s), end, duration) => {
            let start = time::parse_start(s, &now).map_err(|e| format!("--start: {e}"))?;
            if time::is_past(&start, &now) && !args.allow_past {
                return Err(format!(
                    "--start: {} is in the past; check the date, or pass --allow-past to move the meeting there anyway",
                    start.naive_local().format("%Y-%m-%d %H:%M")
                ));
            }
            let end = match (end, duration) {
                (Some(e), _) => {
                    time::parse_end(e, &start, &now).map_err(|e| format!("--end: {e}"))?
                }
                (None, Some(d)) => {
                    let length = time::parse_length(d).map_err(|e| format!("--duration: {e}"))?;
                    let end = start + length;
                    time::check_range(&start, &end).map_err(|e| format!("--duration: {e}"))?;
                    end
                }
                (None, None) => unreachable!("refused above"),
            };
            Some((
                crate::services::online_meeting::wire_time(&start.fixed_offset()),
                crate::services::online_meeting::wire_time(&end.fixed_offset()),
            ))
        }
        _ => None,
    };
    let subject = args
        .subject
        .as_deref()
        .map(crate::meeting::request::validate_subject)
        .transpose()
        .map_err(|e| format!("--subject: {e}"))?;
    let options = args.meeting_options.options.clone();
    options.check_patchable().map_err(|e| e.to_string())?;
    let people = args.meeting_options.attendees()?;
    if let Some(people) = &people {
        attendees::check_presenters(people, options.is("presenters", "role-is-presenter"))
            .map_err(|e| e.to_string())?;
    }
    let change = Change {
        subject,
        times,
        options,
        attendees: people,
    };
    if change.is_empty() {
        return Err(
            "nothing to change: give --subject, --start with --end, --attendee or an option flag \
             (a calendar meeting also takes --show-as, --reminder and the other invitation flags)"
                .into(),
        );
    }
    Ok(change)
}

fn execute(global: &GlobalArgs, args: &UpdateArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = super::common::display_zone(args.zone.as_deref())?;
    let history = history_entry(&settings, &args.meeting)?;
    // A calendar meeting is changed through its event, which is what the invitees hold.
    if let Some((store, entry)) = &history
        && entry.kind == crate::history::Kind::Event
    {
        // A series' event is its master: a change there reaches every meeting of it, so
        // which meetings are meant is said (or asked) first.
        let scope = args.scope.resolve(Some(entry), "change")?;
        return calendar::execute(&settings, args, store, entry, scope, zone);
    }
    args.scope
        .resolve(history.as_ref().map(|(_, e)| e), "change")?;
    if !args.invitation.fields.is_empty() {
        return Err(CliError::usage(format!(
            "{}: {} is not a calendar meeting; show as, reminder and the other invitation \
             fields belong to an event on your calendar, which a standalone meeting does not have",
            args.invitation.flags_given(),
            crate::sanitize::line(&args.meeting)
        )));
    }
    let change = change(args, zone).map_err(CliError::usage)?;
    if let Some((_, entry)) = &history {
        super::show::reachable(&settings, entry).map_err(CliError::usage)?;
    }
    let scheduled = startup::run(&settings, async |started| {
        if change.attendees.as_ref().is_some_and(|a| !a.is_empty()) {
            // A sign-in made now (with --demo, always) asks for it at once.
            started
                .auth
                .request_scopes(&[crate::permissions::DIRECTORY_SCOPE.to_string()]);
        }
        let graph = started
            .graph()
            .await
            .map_err(|e| CliError::failed(e.to_string()))?;
        let attendees = change.attendees.as_ref().is_some_and(|a| !a.is_empty());
        super::create::ensure_users_scope(started, attendees, args.json)
            .await
            .map_err(CliError::failed)?;
        let target = Target::from_user(settings.user.as_deref());
        let on_wait = crate::cli::common::say_wait;
        let result = async {
            let id = match &history {
                Some((_, entry)) => entry.graph_id.clone(),
                None => {
                    crate::services::online_meeting::meeting_id(&graph, &target, &args.meeting)
                        .await?
                }
            };
            crate::services::online_meeting::update(&graph, &target, &id, &change, &on_wait).await
        }
        .await;
        result.map_err(|e| match e {
            ScheduleError::Refused(line) => CliError::usage(line),
            ScheduleError::Unsaved(after) => {
                // The history follows the meeting as read back.
                if let (Some((store, entry)), Some(now)) = (&history, &after.now) {
                    let _ = store.record_check(entry, Some(now));
                }
                unsaved(&after)
            }
            other => CliError::failed(other.to_string()),
        })
    })??;
    if let Some((store, entry)) = &history
        && let Err(e) = store.record_update(entry.id, &scheduled.sent, &scheduled.created.raw)
    {
        eprintln!(
            "tmeet: warning: the meeting was changed but the history still shows it as before: {e}"
        );
    }
    report_differences(&scheduled, args.json);
    let text = if args.json {
        crate::sanitize::json_text(scheduled.created.json.trim_end()) + "\n"
    } else {
        let card = MeetingCard::from_meeting(&scheduled.created.meeting, &zone, None);
        let meeting = &scheduled.created.meeting;
        let zones = match (meeting.start_date_time, meeting.end_date_time) {
            (Some(s), Some(e)) if change.times.is_some() => super::create::zones_line(&s, &e, zone),
            _ => String::new(),
        };
        format!(
            "Meeting updated: {}.\n{}{zones}\n",
            change.summary(),
            card.summary()
        )
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// A change read back after its failure: the status and words of what it found.
pub(super) fn unsaved(after: &crate::services::read_back::AfterFailure) -> CliError {
    use crate::exit::Outcome;
    let line = after.to_string();
    match after.outcome() {
        Outcome::NothingCreated => CliError::failed(line),
        Outcome::PartlySaved => CliError::partly_saved(line),
        _ => CliError::outcome_unknown(line),
    }
}

/// The history's row for REF when the history has it; `None` sends REF to the service as
/// an id or a join link (a meeting made elsewhere, or with the history off).
fn history_entry(
    settings: &crate::settings::Settings,
    reference: &str,
) -> Result<Option<(crate::history::Store, crate::history::Entry)>, CliError> {
    if !settings.history {
        return Ok(None);
    }
    match super::show::open_entry(settings, reference) {
        Ok(found) => Ok(Some(found)),
        Err(e)
            if e.code() == crate::exit::Code::Usage
                && e.message().is_some_and(|l| l.contains("matches")) =>
        {
            Err(e)
        }
        Err(_) => Ok(None),
    }
}
