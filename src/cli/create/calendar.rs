//! `tmeet create --calendar`: the meeting as an event on the organizer's calendar, with an
//! invitation to each attendee (GRAPH-SCHEDULING.md §3). Same exit statuses as a
//! standalone create; a lost answer is sent again by the flow with the same transaction
//! id, so exit 3 means even that did not settle it. An event the service gave no Teams
//! link exits 4: it exists, so it is named, recorded and offered to be cancelled.

use super::{CreateArgs, DEMO_LABEL, base_request};
use crate::calendar::recurrence::{self, Series};
use crate::calendar::{EventRequest, OutlookZone, new_transaction_id};
use crate::cli::error::CliError;
use crate::exit::{Outcome, Subject};
use crate::graph::client::Target;
use crate::graph::error::ErrorKind;
use crate::meeting::presentation::MeetingCard;
use crate::permissions::Feature;
use crate::services::calendar::{self as flow, CalendarError, CreatedEvent};
use crate::services::startup::{self, Started};
use crate::settings::Settings;
use chrono::{Datelike, Utc};
use chrono_tz::Tz;
use std::io::Write;

pub(super) fn execute(settings: &Settings, args: &CreateArgs, zone: Tz) -> Result<(), CliError> {
    let request = build(args, settings, zone).map_err(CliError::usage)?;
    if args.lang.is_some() {
        eprintln!("tmeet: warning: {LANGUAGE_NOT_OURS}");
    }
    let created = startup::run(settings, async |started| {
        // A sign-in made now (with --demo, always) asks for it at once.
        started
            .auth
            .request_scopes(&[Feature::Invite.scope().to_string()]);
        send(started, settings, &request, zone, args.json).await
    })
    .map_err(|r| Sent::Failed(r.into()))
    .and_then(|sent| sent);
    let created = match created {
        Ok(c) => c,
        Err(Sent::Failed(f)) => return Err(f),
        Err(Sent::NoTeamsLink { created, allowed }) => {
            return no_teams_link(
                settings,
                args,
                &request,
                &created,
                allowed.as_deref(),
                &zone,
            );
        }
    };
    let entry = record(settings, &request, &created);
    for w in &created.warnings {
        eprintln!("tmeet: warning: {}", crate::sanitize::line(w));
    }
    if let Some(m) = &created.meeting {
        super::report_differences(m, args.json);
    }
    if created.existed {
        eprintln!("tmeet: this transaction id had already made the event: nothing new was created");
    }
    let text = if args.json {
        if settings.demo {
            eprintln!("tmeet: {DEMO_LABEL}");
        }
        let mut facts = serde_json::json!({"invitationsSent": created.invited,
            "existed": created.existed, "transactionId": request.transaction_id});
        if let Some(series) = &request.series {
            facts["series"] = series.to_json(NEXT_SHOWN);
        }
        if !request.invitation.is_empty() {
            facts["invitation"] = request.invitation.to_json();
        }
        eprintln!("{facts}");
        crate::sanitize::json_text(created.answer.json.trim_end()) + "\n"
    } else {
        let label = if settings.demo {
            format!("{DEMO_LABEL}\n\n")
        } else {
            String::new()
        };
        let escapes = super::Escapes::for_stdout(settings);
        format!(
            "{label}{}",
            human_output(
                &created,
                request.series.as_ref(),
                &request.invitation,
                &zone,
                args.qr,
                escapes
            )
        )
    };
    let name = created
        .online_meeting()
        .join_web_url
        .or_else(|| entry.map(|r| format!("ref {r}")))
        .unwrap_or_else(|| created.event.id.clone());
    super::super::common::print_created(&text, &crate::sanitize::line(&name))
}

/// What `--lang` does with `--calendar`: nothing the invitees see.
const LANGUAGE_NOT_OURS: &str = "--lang has no effect on a calendar meeting: the service \
    writes the Teams join details of the invitation in your mailbox's language (set in \
    Outlook), which tmeet cannot choose";

/// Into the history; the row's ref, or None (with a warning) when it could not be written.
fn record(settings: &Settings, request: &EventRequest, created: &CreatedEvent) -> Option<i64> {
    let meeting = created.meeting.as_ref().map(|m| &m.created.raw);
    match crate::history::record_new_event(settings, request, &created.event, meeting) {
        Ok(entry) => entry.map(|e| e.id),
        Err(e) => {
            eprintln!("tmeet: warning: the event was created but not recorded in the history: {e}");
            None
        }
    }
}

/// The event that came back without a Teams link: it exists and its invitations went
/// out, so it is named, recorded and offered to be cancelled; exit 4 (Outcome::NoTeamsLink).
/// With --json, stdout is the event as the service sent it, for a script to act on.
fn no_teams_link(
    settings: &Settings,
    args: &CreateArgs,
    request: &EventRequest,
    created: &CreatedEvent,
    allowed: Option<&[String]>,
    zone: &Tz,
) -> Result<(), CliError> {
    let entry = record(settings, request, created);
    let event = &created.event;
    let subject = event
        .subject
        .as_deref()
        .unwrap_or(request.meeting.subject());
    let when = event
        .start
        .map(|t| {
            t.with_timezone(zone)
                .format("%Y-%m-%d %H:%M %:z")
                .to_string()
        })
        .unwrap_or_else(|| "(no time in the answer)".into());
    let headline = Outcome::NoTeamsLink.headline(Subject::Event);
    let why = flow::no_link_why(created, allowed);
    let warn = crate::cli::output::warn_line;
    warn(&format!(
        "{headline}: \"{}\" at {when}; invitations sent to {} {}. The event exists, but {why}",
        crate::sanitize::line(subject),
        created.invited,
        crate::calendar::people(created.invited),
    ));
    if let Some(link) = &event.web_link {
        warn(&format!(
            "the event in Outlook: {}",
            crate::sanitize::line(link)
        ));
    }
    let reference = match entry {
        Some(r) => {
            warn(&format!("it is in the history as {r} (tmeet show {r})"));
            r.to_string()
        }
        None => format!("'{}'", crate::sanitize::line(&event.id)),
    };
    warn(&format!(
        "cancel it (each invitee gets a cancellation) with: tmeet cancel {reference}"
    ));
    if args.json {
        let text = crate::sanitize::json_text(created.answer.json.trim_end()) + "\n";
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            warn(&format!(
                "warning: the event could not be printed either: {e}"
            ));
        }
    }
    Err(CliError::no_teams_link())
}

/// Everything checked before anything is sent.
fn build(args: &CreateArgs, settings: &Settings, zone: Tz) -> Result<EventRequest, String> {
    if args
        .external_id
        .as_deref()
        .is_some_and(|e| e.trim().is_empty())
    {
        return Err("--external-id: empty; give the id your script uses for this meeting".into());
    }
    let now = Utc::now().with_timezone(&zone);
    // The passcode of config.toml is for standalone meetings: a calendar one gets the
    // tenant's (and --passcode conflicts with --calendar).
    let meeting = base_request(args, settings, &now, false)?
        .with_options(
            crate::meeting::options::MeetingOptions::defaults(settings)
                .overlay(&args.meeting.options),
        )
        .map_err(|e| e.to_string())?;
    // Nobody invited is refused by EventRequest::new, the form's rule too.
    let invitees = args.meeting.invitees()?;
    let transaction_id = args.external_id.clone().unwrap_or_else(new_transaction_id);
    let series = match &args.repeat {
        Some(text) => {
            let rule = recurrence::parse(text).map_err(|e| format!("--repeat: {e}"))?;
            Some(
                Series::new(rule, &meeting.start(), &meeting.end(), zone)
                    .map_err(|e| format!("--repeat: {e}"))?,
            )
        }
        None => None,
    };
    let request = EventRequest::new(
        meeting,
        invitees,
        args.message.clone(),
        args.location.clone(),
        transaction_id,
    )
    .map_err(|e| format!("--calendar: {e}"))?
    .with_invitation(
        crate::calendar::invitation_fields::InvitationFields::defaults(settings)
            .overlay(&args.invitation.fields),
    )
    .planned_in(zone);
    match series {
        Some(s) => request.repeating(s).map_err(|e| format!("--repeat: {e}")),
        None => Ok(request),
    }
}

/// Why `send` gave no usable event: a failure, or an event without a Teams link.
enum Sent {
    Failed(CliError),
    NoTeamsLink {
        created: Box<CreatedEvent>,
        allowed: Option<Vec<String>>,
    },
}

impl From<CliError> for Sent {
    fn from(f: CliError) -> Self {
        Sent::Failed(f)
    }
}

async fn send(
    started: &Started,
    settings: &Settings,
    request: &EventRequest,
    zone: Tz,
    json: bool,
) -> Result<CreatedEvent, Sent> {
    let graph = crate::cli::outlook::connect(started, Feature::Invite, json).await?;
    super::warn_unknown_categories(&graph, &started.auth, &request.invitation).await;
    let target = Target::from_user(settings.user.as_deref());
    let on_wait = crate::cli::common::say_wait;
    let zone = OutlookZone::for_tz(zone);
    // From here on Ctrl+C is answered by what the request may have done.
    let mut interrupt = crate::cli::common::Interrupt::listen().await;
    let look = format!(
        "Look in your calendar; or run the same command with --external-id '{}': with that \
         transaction id the service returns the event if it was made, and makes it otherwise",
        crate::sanitize::line(&request.transaction_id)
    );
    let result = tokio::select! {
        r = flow::create_event(&graph, &target, request, &zone, &on_wait) => r,
        () = interrupt.pressed() => {
            return Err(crate::cli::common::interrupted(graph.last_write(), Subject::Event, &look).into());
        }
    };
    result.map_err(|e| match e {
        CalendarError::Refused(line) => CliError::usage(line).into(),
        CalendarError::Graph(e) if e.kind == ErrorKind::OutcomeUnknown => {
            CliError::outcome_unknown(format!(
                "{}: {e}. {look}",
                Outcome::MayExist.headline(Subject::Event)
            ))
            .into()
        }
        CalendarError::NoTeamsLink { created, allowed } => Sent::NoTeamsLink { created, allowed },
        other => CliError::failed(other.to_string()).into(),
    })
}

/// How many of a series' next meetings `create` shows (and `--json` lists).
const NEXT_SHOWN: usize = 5;

/// What `create --calendar` prints for a person; a series' rule and next meetings under
/// the card, with what the words do not say (a moved start, short months).
fn human_output(
    created: &CreatedEvent,
    series: Option<&Series>,
    invitation: &crate::calendar::invitation_fields::InvitationFields,
    zone: &Tz,
    qr: bool,
    escapes: super::Escapes,
) -> String {
    let event = &created.event;
    let mut card = MeetingCard::from_meeting(&created.online_meeting(), zone, None);
    card.event_link = event.web_link.clone();
    if series.is_some() {
        // The meeting's expiry follows its first meeting's end here, while the link
        // serves every meeting of the series; when a series' link expires is not written
        // in the facts tmeet has, so no date is shown rather than a wrong one.
        card.link_expires = None;
    }
    let mut out = super::summary_with_qr(&card, qr, escapes);
    out.push_str(&super::invitation_lines(invitation, event));
    if let (Some(start), Some(end)) = (event.start, event.end) {
        out.push_str(&super::zones_line(&start, &end, *zone));
    }
    if let Some(series) = series {
        out.push_str(&series_lines(series, Utc::now().with_timezone(zone).year()));
    }
    let people = if event.attendees.is_empty() {
        String::new()
    } else {
        format!(": {}", event.attendees.join(", "))
    };
    out.push_str(&format!(
        "\nOn your calendar. Invitations sent to {} {}{people}.\n",
        created.invited,
        crate::calendar::people(created.invited)
    ));
    out
}

/// `Repeats:`, `Next:` and the notes, in the card's columns.
fn series_lines(series: &Series, this_year: i32) -> String {
    let mut out = format!(
        "{:<12}{} ({})\n{:<12}{}\n",
        "Repeats:",
        series.words(),
        series.zone().name(),
        "Next:",
        series.preview(NEXT_SHOWN).line(this_year)
    );
    for note in series.notes() {
        out.push_str(&format!("{:<12}{note}\n", "Note:"));
    }
    out
}
