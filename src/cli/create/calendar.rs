//! `tmeet create --calendar`: the meeting as an event on the organizer's calendar, with an
//! invitation to each attendee (GRAPH-SCHEDULING.md §3). Same exit statuses as a
//! standalone create; a lost answer is sent again by the flow with the same transaction
//! id, so exit 3 means even that did not settle it.

use super::{CreateArgs, DEMO_LABEL, base_request};
use crate::bootstrap::{self, Flavor, Started};
use crate::calendar::flow::{self, CalendarError, CreatedEvent};
use crate::calendar::{EventRequest, Feature, OutlookZone, new_transaction_id};
use crate::cli::common::Failure;
use crate::graph::client::Target;
use crate::graph::error::ErrorKind;
use crate::meeting::presentation::MeetingCard;
use crate::settings::Settings;
use chrono::Utc;
use chrono_tz::Tz;
use std::io::Write;

pub(super) fn execute(settings: &Settings, args: &CreateArgs, zone: Tz) -> Result<(), Failure> {
    let request = build(args, settings, zone).map_err(Failure::Usage)?;
    let runtime = bootstrap::runtime(Flavor::Command)?;
    let created = runtime.block_on(async {
        let started = Started::new(settings.clone()).await?;
        // A sign-in made now (with --demo, always) asks for it at once.
        started
            .auth
            .request_scopes(&[Feature::Invite.scope().to_string()]);
        let result = send(&started, settings, &request, zone, args.json).await;
        started.shutdown().await;
        result
    })?;
    if let Err(e) = crate::history::record_new_event(settings, &request, &created) {
        eprintln!("tmeet: warning: the event was created but not recorded in the history: {e}");
    }
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
        eprintln!(
            "{}",
            serde_json::json!({"invitationsSent": created.invited, "existed": created.existed,
                               "transactionId": request.transaction_id})
        );
        crate::sanitize::json_text(created.answer.json.trim_end()) + "\n"
    } else {
        let label = if settings.demo {
            format!("{DEMO_LABEL}\n\n")
        } else {
            String::new()
        };
        let escapes = super::Escapes::for_stdout(settings);
        format!("{label}{}", human_output(&created, &zone, args.qr, escapes))
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Failure::Failed(format!("cannot write the result: {e}")))
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
        .with_options(settings.options.overlay(&args.meeting.options))
        .map_err(|e| e.to_string())?;
    // Nobody invited is refused by EventRequest::new, the form's rule too.
    let invitees = args.meeting.invitees()?;
    let transaction_id = args.external_id.clone().unwrap_or_else(new_transaction_id);
    EventRequest::new(
        meeting,
        invitees,
        args.message.clone(),
        args.location.clone(),
        transaction_id,
    )
    .map_err(|e| format!("--calendar: {e}"))
}

async fn send(
    started: &Started,
    settings: &Settings,
    request: &EventRequest,
    zone: Tz,
    json: bool,
) -> Result<CreatedEvent, Failure> {
    let graph = crate::cli::outlook::connect(started, Feature::Invite, json).await?;
    let target = Target::from_user(settings.user.as_deref());
    let on_wait = crate::cli::common::say_wait;
    let zone = OutlookZone::for_tz(zone);
    flow::create_event(&graph, &target, request, &zone, &on_wait)
        .await
        .map_err(|e| match e {
            CalendarError::Refused(line) => Failure::Usage(line),
            CalendarError::Graph(e) if e.kind == ErrorKind::OutcomeUnknown => {
                Failure::OutcomeUnknown(e.to_string())
            }
            other => Failure::Failed(other.to_string()),
        })
}

/// What `create --calendar` prints for a person.
fn human_output(created: &CreatedEvent, zone: &Tz, qr: bool, escapes: super::Escapes) -> String {
    let event = &created.event;
    let mut card = MeetingCard::from_meeting(&created.online_meeting(), zone, None);
    card.event_link = event.web_link.clone();
    let mut out = super::summary_with_qr(&card, qr, escapes);
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
