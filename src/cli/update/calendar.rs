//! `tmeet update REF` of a calendar meeting: the event is what the invitees hold, so the
//! subject, the times and the invitees are changed on the event (`PATCH …/events/{id}`,
//! GRAPH-SCHEDULING.md §3.8) and the service mails the update; the options go to the
//! meeting behind it (§3.7). What the event cannot take is refused before anything is
//! sent. The history row then says what the event says.

use super::UpdateArgs;
use crate::calendar::OutlookZone;
use crate::cli::error::CliError;
use crate::graph::client::Target;
use crate::graph::error::ErrorKind;
use crate::history::{Entry, Store};
use crate::meeting::presentation::MeetingCard;
use crate::permissions::Feature;
use crate::services::calendar::{self as flow, CalendarError, EventChange, UpdatedEvent};
use crate::services::startup;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::io::Write;

pub(super) fn execute(
    settings: &Settings,
    args: &UpdateArgs,
    store: &Store,
    entry: &Entry,
    zone: chrono_tz::Tz,
) -> Result<(), CliError> {
    let change = change(args, entry, zone)?;
    crate::cli::show::reachable(settings, entry).map_err(CliError::usage)?;
    let Some(event_id) = entry.event_id.clone() else {
        return Err(CliError::usage(format!(
            "ref {} is a calendar meeting without an event id in the history; change it in \
             Outlook, where the invitees are told",
            entry.id
        )));
    };
    let updated = startup::run(settings, async |started| {
        let graph = crate::cli::outlook::connect(started, Feature::Invite, args.json).await?;
        let target = Target::from_user(settings.user.as_deref());
        let on_wait = crate::cli::common::say_wait;
        flow::update_event(
            &graph,
            &target,
            &event_id,
            &change,
            &OutlookZone::for_tz(zone),
            &on_wait,
        )
        .await
        .map_err(|e| match e {
            CalendarError::Refused(line) => CliError::usage(line),
            CalendarError::Unsaved(after) => super::unsaved(&after),
            CalendarError::Graph(e) if e.kind == ErrorKind::OutcomeUnknown => {
                CliError::outcome_unknown(e.to_string())
            }
            other => CliError::failed(other.to_string()),
        })
    })??;
    let view = updated.meeting_view(entry.meeting_json.as_ref());
    if let Err(e) = store.record_event_update(entry.id, &updated.event, &view) {
        eprintln!(
            "tmeet: warning: the meeting was changed but the history still shows it as before: {e}"
        );
    }
    for w in &updated.warnings {
        eprintln!("tmeet: warning: {}", crate::sanitize::line(w));
    }
    if let Some(m) = &updated.meeting {
        crate::cli::create::report_differences(m, args.json);
    }
    let text = if args.json {
        crate::sanitize::json_text(updated.answer.json.trim_end()) + "\n"
    } else {
        human_output(&updated, &view, &zone)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// What to send, checked before anything is: the subject and times as the standalone
/// path checks them, invitees as `create --calendar` takes them (ADDRESS[:optional]).
fn change(args: &UpdateArgs, entry: &Entry, zone: chrono_tz::Tz) -> Result<EventChange, CliError> {
    let invitees = match &args.meeting_options.attendee_args {
        None => None,
        Some(_) => Some(args.meeting_options.invitees().map_err(|e| {
            CliError::usage(format!(
                "{e} (ref {} is a calendar meeting: its attendees are invited by mail)",
                entry.id
            ))
        })?),
    };
    let mut rest = args.clone();
    rest.meeting_options.attendee_args = None;
    let only_invitees = invitees.is_some()
        && rest.subject.is_none()
        && rest.start.is_none()
        && rest.meeting_options.options.is_empty();
    let (subject, times, options) = if only_invitees {
        (None, None, rest.meeting_options.options)
    } else {
        let c = super::change(&rest, zone).map_err(CliError::usage)?;
        let instant = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| CliError::usage(format!("--start: {e}")))
        };
        let times = match &c.times {
            Some((start, end)) => Some((instant(start)?, instant(end)?)),
            None => None,
        };
        (c.subject, times, c.options)
    };
    Ok(EventChange {
        subject,
        times,
        invitees,
        options,
    })
}

fn human_output(updated: &UpdatedEvent, view: &serde_json::Value, zone: &chrono_tz::Tz) -> String {
    let meeting = crate::graph::model::OnlineMeeting::from_graph(view)
        .map(|(m, _)| m)
        .unwrap_or_else(|_| updated.event.as_meeting());
    let mut card = MeetingCard::from_meeting(&meeting, zone, None);
    card.event_link = updated.event.web_link.clone();
    let zones = match (updated.event.start, updated.event.end) {
        (Some(s), Some(e)) => crate::cli::create::zones_line(&s, &e, *zone),
        _ => String::new(),
    };
    let mut out = format!("Meeting updated.\n{}{zones}\n", card.summary());
    let told = updated.told();
    let list = |l: &[String]| l.join(", ");
    if !told.updated.is_empty() {
        out.push_str(&format!(
            "The service mails the update to {} {}: {}.\n",
            told.updated.len(),
            crate::calendar::people(told.updated.len()),
            list(&told.updated)
        ));
    }
    if !told.removed.is_empty() {
        out.push_str(&format!(
            "Removed from the invitation (they get a cancellation): {}.\n",
            list(&told.removed)
        ));
    }
    out
}
