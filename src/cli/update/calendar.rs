//! `tmeet update REF` of a calendar meeting: the event is what the invitees hold, so the
//! subject, the times and the invitees are changed on the event (`PATCH …/events/{id}`,
//! GRAPH-SCHEDULING.md §3.8) and the service mails the update; the options go to the
//! meeting behind it (§3.7). What the event cannot take is refused before anything is
//! sent. The history row then says what the event says.

use super::UpdateArgs;
use crate::calendar::OutlookZone;
use crate::calendar::invitation_fields::InvitationFields;
use crate::cli::error::CliError;
use crate::graph::client::Target;
use crate::graph::error::ErrorKind;
use crate::history::series::Kept;
use crate::history::{Entry, Store};
use crate::meeting::presentation::MeetingCard;
use crate::permissions::Feature;
use crate::services::calendar::{self as flow, CalendarError, EventChange, UpdatedEvent};
use crate::services::series::{self, Scope};
use crate::services::startup;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::io::Write;

pub(super) fn execute(
    settings: &Settings,
    args: &UpdateArgs,
    store: &Store,
    entry: &Entry,
    scope: Option<Scope>,
    zone: chrono_tz::Tz,
) -> Result<(), CliError> {
    let mut change = change(args, entry, zone)?;
    crate::cli::show::reachable(settings, entry).map_err(CliError::usage)?;
    let Some(event_id) = entry.event_id.clone() else {
        return Err(CliError::usage(format!(
            "ref {} is a calendar meeting without an event id in the history; change it in \
             Outlook, where the invitees are told",
            entry.id
        )));
    };
    if let Some(Scope::From(date)) = scope {
        return split(settings, args, store, entry, &event_id, date, &change);
    }
    let updated = startup::run(settings, async |started| {
        let graph = crate::cli::outlook::connect(started, Feature::Invite, args.json).await?;
        crate::cli::create::warn_unknown_categories(&graph, &started.auth, &change.invitation)
            .await;
        let target = Target::from_user(settings.user.as_deref());
        let on_wait = crate::cli::common::say_wait;
        let id = match scope {
            Some(Scope::One(date)) => {
                let zone = Kept::of_entry(entry).map_or(zone, |r| r.series.zone());
                series::occurrence_on(&graph, &target, &event_id, date, zone)
                    .await
                    .map_err(calendar_error)?
                    .ok_or_else(|| CliError::usage(series::no_meeting_on(date)))?
                    .id
            }
            _ => event_id.clone(),
        };
        if let (Some(Scope::All), Some((start, _))) = (scope, change.times) {
            let zone = Kept::of_entry(entry).map_or(zone, |r| r.series.zone());
            let day = start.with_timezone(&zone).date_naive();
            change.recurrence = series::restarting(&graph, &target, &event_id, day)
                .await
                .map_err(calendar_error)?;
        }
        flow::update_event(
            &graph,
            &target,
            &id,
            &change,
            &OutlookZone::for_tz(zone),
            &on_wait,
        )
        .await
        .map_err(calendar_error)
    })??;
    let view = updated.meeting_view(entry.meeting_json.as_ref());
    let recorded = match scope {
        // The row stands for the series: one meeting's change is kept beside it.
        Some(Scope::One(date)) => {
            let what = match (change.times, updated.event.start) {
                (Some(_), Some(start)) => format!(
                    "moved to {}",
                    start.with_timezone(&zone).format("%a %-d %b %H:%M")
                ),
                _ => "changed".to_string(),
            };
            store.record_series_change(entry.id, date, &what)
        }
        _ => store
            .record_event_update(entry.id, &updated.event, &view)
            .map(|_| ()),
    };
    if let Err(e) = recorded {
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
        let head = match scope {
            Some(Scope::One(date)) => format!(
                "The meeting of {} updated; the rest of the series is as it was.",
                date.format("%a %-d %b %Y")
            ),
            Some(Scope::All) => "Every meeting of the series updated.".to_string(),
            _ => "Meeting updated.".to_string(),
        };
        human_output(&head, &updated, &view, &zone, &change.invitation)
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
    let invitation = args.invitation.fields.clone();
    let mut rest = args.clone();
    rest.meeting_options.attendee_args = None;
    rest.invitation = Default::default();
    // Nothing for the meeting's own part (subject, times, options): only the event's.
    let only_invitees = (invitees.is_some() || !invitation.is_empty())
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
        recurrence: None,
        invitation,
    })
}

fn calendar_error(e: CalendarError) -> CliError {
    match e {
        CalendarError::Refused(line) => CliError::usage(line),
        CalendarError::Unsaved(after) => super::unsaved(&after),
        CalendarError::Graph(e) if e.kind == ErrorKind::OutcomeUnknown => {
            CliError::outcome_unknown(e.to_string())
        }
        other => CliError::failed(other.to_string()),
    }
}

/// "This and following": the series ends the day before `date`, and a new series with the
/// change begins there, recorded as a meeting of its own.
fn split(
    settings: &Settings,
    args: &UpdateArgs,
    store: &Store,
    entry: &Entry,
    event_id: &str,
    date: chrono::NaiveDate,
    change: &EventChange,
) -> Result<(), CliError> {
    let Some(repeating) = Kept::of_entry(entry) else {
        return Err(CliError::usage(format!(
            "the rule of ref {} cannot be read from the history; change it in Outlook",
            entry.id
        )));
    };
    let (Some(first_start), Some(first_end)) = (entry.start, entry.end) else {
        return Err(CliError::usage(format!(
            "ref {} has no times in the history; change it in Outlook",
            entry.id
        )));
    };
    let zone = repeating.series.zone();
    let done = startup::run(settings, async |started| {
        let graph = crate::cli::outlook::connect(started, Feature::Invite, args.json).await?;
        let target = Target::from_user(settings.user.as_deref());
        let on_wait = crate::cli::common::say_wait;
        let req = series::SplitRequest {
            master_id: event_id,
            date,
            change,
            rule: repeating.series.rule(),
            first_start,
            first_end,
            zone,
        };
        series::split(&graph, &target, &req, &on_wait)
            .await
            .map_err(calendar_error)
    })??;
    let new_ref = crate::history::record_new_event(
        settings,
        &done.request,
        &done.created.event,
        done.created.meeting.as_ref().map(|m| &m.created.raw),
    );
    let new_ref = match new_ref {
        Ok(e) => e.map(|e| e.id),
        Err(e) => {
            eprintln!(
                "tmeet: warning: the new series was made but not recorded in the history: {e}"
            );
            None
        }
    };
    let what = match new_ref {
        Some(id) => format!("ended; from here on ref {id}"),
        None => "ended; from here on a new series".to_string(),
    };
    if let Err(e) = store.record_series_change(entry.id, date, &what) {
        eprintln!("tmeet: warning: the history does not say the series ended: {e}");
    }
    for w in &done.created.warnings {
        eprintln!("tmeet: warning: {}", crate::sanitize::line(w));
    }
    let text = if args.json {
        crate::sanitize::json_text(
            &serde_json::json!({
                "ref": entry.id,
                "endsOn": done.ended.last.format("%Y-%m-%d").to_string(),
                "newRef": new_ref,
                "newSeries": done.created.answer.value,
            })
            .to_string(),
        ) + "\n"
    } else {
        let meeting = done.created.online_meeting();
        let mut card = MeetingCard::from_meeting(&meeting, &zone, None);
        card.event_link = done.created.event.web_link.clone();
        let series = done.request.series.as_ref();
        format!(
            "Ref {} now ends on {}: its meetings until then are as they were.\n\
             From {} on the meetings are a new series{}{}, with its own Teams link (the old \
             link does not join them); the invitees get its invitation.\n{}\n",
            entry.id,
            done.ended.last.format("%a %-d %b %Y"),
            date.format("%a %-d %b %Y"),
            new_ref.map(|id| format!(", ref {id}")).unwrap_or_default(),
            series
                .map(|s| format!(" ({})", s.words()))
                .unwrap_or_default(),
            card.summary()
        )
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

fn human_output(
    head: &str,
    updated: &UpdatedEvent,
    view: &serde_json::Value,
    zone: &chrono_tz::Tz,
    asked: &InvitationFields,
) -> String {
    let meeting = crate::graph::model::OnlineMeeting::from_graph(view)
        .map(|(m, _)| m)
        .unwrap_or_else(|_| updated.event.as_meeting());
    let mut card = MeetingCard::from_meeting(&meeting, zone, None);
    card.event_link = updated.event.web_link.clone();
    let zones = match (updated.event.start, updated.event.end) {
        (Some(s), Some(e)) => crate::cli::create::zones_line(&s, &e, *zone),
        _ => String::new(),
    };
    let mut out = format!("{head}\n{}{zones}\n", card.summary());
    out.push_str(&crate::cli::create::invitation_lines(asked, &updated.event));
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
