//! The one long-lived task that talks to the network. It owns sign-in and the Graph client;
//! the screen sends it the [`Effect`]s that are work and hears back only through [`Action`]s, each tagged with
//! the job it answers, so the UI never waits on the network.

use super::app::{Action, Effect, Intent, MeetingsAction, MeetingsJob, SignInPrompt};
use super::history_jobs::{self, History};
use super::keymap::{self, Scope};
use super::replies::{consent_needed, waiting};
use super::view::{ErrorView, ResultView};
use crate::auth::{Auth, AuthError, PollEvent};
use crate::calendar::{EventRequest, OutlookZone, Source};
use crate::graph::client::{GraphClient, Target};
use crate::graph::error::ErrorKind;
use crate::meeting::MeetingRequest;
use crate::permissions::Feature;
use crate::services::calendar::CalendarError;
use crate::services::online_meeting::ScheduleError;
use crate::tui::app::calendar::{EventOutcome, SideError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;
use url::Url;

pub(crate) struct WorkerConfig {
    pub auth: Auth,
    pub http: reqwest::Client,
    pub graph_url: Url,
    pub target: Target,
    pub zone: Tz,
    /// Where created meetings are recorded; My meetings reads it.
    pub history: History,
    /// The Agenda's cache.
    pub agenda: super::agenda_jobs::AgendaCache,
    /// Sign in through the browser (authorization code with PKCE) unless a device code is
    /// asked for: a browser can be opened here, and this is not the demo.
    pub browser: bool,
}

pub(crate) fn spawn(
    cfg: WorkerConfig,
    actions: UnboundedSender<Action>,
) -> UnboundedSender<Effect> {
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(Arc::new(cfg), rx, actions));
    tx
}

/// A finished sign-in job, back to the loop that owns the Graph client.
struct SignInDone {
    job: u64,
    outcome: Result<(GraphClient, String), String>,
}

async fn run(
    cfg: Arc<WorkerConfig>,
    mut rx: UnboundedReceiver<Effect>,
    out: UnboundedSender<Action>,
) {
    let (done_tx, mut done_rx) = unbounded_channel::<SignInDone>();
    let mut client = check(&cfg, &out).await;
    let mut jobs: HashMap<u64, AbortHandle> = HashMap::new();
    loop {
        let cmd = tokio::select! {
            Some(cmd) = rx.recv() => cmd,
            Some(done) = done_rx.recv() => {
                // Only the job that is still wanted may replace the client: a cancelled
                // sign-in's result is dropped with it.
                if jobs.remove(&done.job).is_some() {
                    match done.outcome {
                        Ok((c, account)) => {
                            client = Some(c);
                            let _ = out.send(Action::SignedIn { job: done.job, account });
                        }
                        Err(error) => {
                            let _ = out.send(Action::SignInFailed { job: done.job, error });
                        }
                    }
                }
                continue;
            }
            else => break,
        };
        jobs.retain(|_, h| !h.is_finished());
        let device_code = matches!(cmd, Effect::SignInWithCode { .. });
        match cmd {
            Effect::SignIn { job } | Effect::SignInWithCode { job } => {
                // One sign-in at a time: a browser sign-in replaced by a device code must
                // not keep its port open.
                for (_, earlier) in jobs.iter() {
                    earlier.abort();
                }
                let (cfg, out, done) = (cfg.clone(), out.clone(), done_tx.clone());
                let task = tokio::spawn(async move {
                    let outcome = sign_in_job(&cfg, job, device_code, &out).await;
                    let _ = done.send(SignInDone { job, outcome });
                });
                jobs.insert(job, task.abort_handle());
            }
            Effect::CheckSignIn => client = check(&cfg, &out).await,
            Effect::Create { job, request } => {
                let Some(c) = client.clone() else {
                    let _ = out.send(not_signed_in(job));
                    continue;
                };
                // Incremental consent (GRAPH-SCHEDULING.md §7): the directory permission is
                // asked for only now, by the sign-in the screen offers next.
                if !request.attendees().is_empty()
                    && !cfg.auth.has_scope(crate::permissions::DIRECTORY_SCOPE)
                {
                    cfg.auth
                        .request_scopes(&[crate::permissions::DIRECTORY_SCOPE.to_string()]);
                    let _ = out.send(consent_needed(job));
                    continue;
                }
                let task = tokio::spawn(create(
                    c,
                    cfg.target.clone(),
                    request,
                    job,
                    cfg.zone,
                    out.clone(),
                    cfg.history.clone(),
                ));
                jobs.insert(job, task.abort_handle());
            }
            Effect::Meetings(work) => {
                // An update is cancelled like a create (Esc while in flight).
                let cancellable = match &work {
                    MeetingsJob::Update { job, .. } => Some(*job),
                    _ => None,
                };
                let (auth, out) = (cfg.auth.clone(), out.clone());
                let run = history_jobs::run(
                    cfg.history.clone(),
                    client.clone(),
                    cfg.target.clone(),
                    cfg.zone,
                    work,
                    out.clone(),
                );
                let task = tokio::spawn(async move {
                    let _ = out.send(next_sign_in_asks(&auth, run.await));
                });
                if let Some(job) = cancellable {
                    jobs.insert(job, task.abort_handle());
                }
            }
            Effect::Agenda(work) => {
                let (cache, out) = (cfg.agenda.clone(), out.clone());
                let cx = super::agenda_jobs::Context {
                    client: client.clone(),
                    target: cfg.target.clone(),
                    zone: cfg.zone,
                };
                // The job holds the SQLite connection across its requests, and a connection
                // may not be shared between threads: it runs to its end on one thread.
                let handle = tokio::runtime::Handle::current();
                tokio::task::spawn_blocking(move || {
                    handle.block_on(super::agenda_jobs::run(cache, cx, work, out));
                });
            }
            Effect::CreateEvent { job, request } => {
                let Some(c) = client.clone() else {
                    let _ = out.send(not_signed_in(job));
                    continue;
                };
                // Incremental consent (GRAPH-SCHEDULING.md §7): the calendar permission is
                // asked for the first time an event is created, not at sign-in.
                if !c.is_app_only() && !granted(&cfg, Feature::Invite) {
                    let _ = out.send(consent_for(&cfg, job, Feature::Invite));
                    continue;
                }
                let task = tokio::spawn(create_event(cfg.clone(), c, *request, job, out.clone()));
                jobs.insert(job, task.abort_handle());
            }
            Effect::FreeBusy {
                job,
                people,
                start,
                end,
                interval_minutes,
            } => {
                let (cfg, out) = (cfg.clone(), out.clone());
                let c = client.clone();
                tokio::spawn(async move {
                    let result = match side_client(&cfg, c, Feature::FreeBusy) {
                        Ok(c) => free_busy(&cfg, &c, people, start, end, interval_minutes).await,
                        Err(e) => Err(e),
                    };
                    let _ = out.send(Action::FreeBusy { job, result });
                });
            }
            Effect::Suggest {
                job,
                attendees,
                minutes,
                from,
                to,
                outside_hours,
                within,
                repeat,
            } => {
                let (cfg, out) = (cfg.clone(), out.clone());
                let c = client.clone();
                let task = tokio::spawn(async move {
                    let result = match side_client(&cfg, c, Feature::FindTime) {
                        Ok(c) => {
                            let found = crate::services::zones::suggest_across_zones(
                                &c,
                                &cfg.auth,
                                &cfg.target,
                                &attendees,
                                chrono::Duration::minutes(minutes),
                                (from, to),
                                &OutlookZone::for_tz(cfg.zone),
                                within,
                                outside_hours,
                            )
                            .await;
                            // A series: each time's later meetings, before the list shows.
                            match (found, repeat) {
                                (Ok(mut found), Some((rule, zone))) => {
                                    crate::services::zones::check_later(
                                        &c,
                                        &cfg.auth,
                                        &cfg.target,
                                        &attendees,
                                        &mut found,
                                        rule,
                                        zone,
                                    )
                                    .await
                                    .map(|()| found)
                                }
                                (other, _) => other,
                            }
                            .map_err(|e| side_error(&cfg, e))
                        }
                        Err(e) => Err(e),
                    };
                    let _ = out.send(Action::Suggested { job, result });
                });
                jobs.insert(job, task.abort_handle());
            }
            Effect::MasterCategories => {
                let (cfg, out) = (cfg.clone(), out.clone());
                let c = client.clone();
                tokio::spawn(async move {
                    let Some(c) = c else { return };
                    if let Some(names) = crate::services::zones::my_categories(&c, &cfg.auth).await
                    {
                        let _ = out.send(Action::Categories(names));
                    }
                });
            }
            Effect::ShareFree {
                job,
                from,
                to,
                min_minutes,
            } => {
                let (cfg, out) = (cfg.clone(), out.clone());
                let c = client.clone();
                let task = tokio::spawn(async move {
                    let result = match side_client(&cfg, c, Feature::FreeBusy) {
                        Ok(c) => crate::services::zones::my_free_times(
                            &c,
                            &cfg.auth,
                            &cfg.target,
                            (from, to),
                            chrono::Duration::minutes(min_minutes),
                            cfg.zone,
                        )
                        .await
                        .map_err(|e| side_error(&cfg, e)),
                        Err(e) => Err(e),
                    };
                    let _ = out.send(Action::FreeTimes { job, result });
                });
                jobs.insert(job, task.abort_handle());
            }
            Effect::FindPeople { id, text } => {
                let (cfg, out) = (cfg.clone(), out.clone());
                let c = client.clone();
                tokio::spawn(async move {
                    let (source, result) = find_people(&cfg, c, &text).await;
                    let _ = out.send(Action::People { id, result, source });
                });
            }
            Effect::Cancel { job } => {
                if let Some(h) = jobs.remove(&job) {
                    tracing::info!(job, "job cancelled");
                    h.abort();
                }
            }
            // The runtime carries these out itself; they never come here.
            Effect::Quit
            | Effect::Join { .. }
            | Effect::Copy { .. }
            | Effect::SaveCalendar { .. }
            | Effect::RememberMode(_) => {}
        }
    }
}

/// An answer that names a permission the sign-in lacks, as it goes to the screen: the
/// sign-in the screen then offers asks for that permission, or it would be refused again.
fn next_sign_in_asks(auth: &Auth, action: Action) -> Action {
    if let Action::ConsentNeeded { feature, .. }
    | Action::Meetings(MeetingsAction::NeedsPermission { feature, .. }) = &action
    {
        auth.request_scopes(&[feature.scope().to_string()]);
    }
    action
}

/// Whether the sign-in holds a permission that lets `feature` work.
fn granted(cfg: &WorkerConfig, feature: Feature) -> bool {
    cfg.auth.has_any_scope(feature.accepted())
}

/// The client for a calendar side job, or why it cannot run: no sign-in, or the
/// permission missing (then the next sign-in asks for it).
fn side_client(
    cfg: &WorkerConfig,
    client: Option<GraphClient>,
    feature: Feature,
) -> Result<GraphClient, SideError> {
    let c = client.ok_or_else(|| SideError::Failed("not signed in".into()))?;
    if !c.is_app_only() && !granted(cfg, feature) {
        ask_for(cfg, feature);
        return Err(SideError::Consent(feature));
    }
    Ok(c)
}

/// The next sign-in asks for `feature`'s permission, and for the event permission with it:
/// the side features live in calendar mode, whose create needs that one next, so one
/// sign-in grants what the meeting takes instead of one per feature.
fn ask_for(cfg: &WorkerConfig, feature: Feature) {
    cfg.auth.request_scopes(&[
        feature.scope().to_string(),
        Feature::Invite.scope().to_string(),
    ]);
}

/// A calendar side job's failure for the screen; a missing permission is asked for next.
fn side_error(cfg: &WorkerConfig, e: CalendarError) -> SideError {
    match e {
        CalendarError::Consent(f) => {
            ask_for(cfg, f);
            SideError::Consent(f)
        }
        other => SideError::Failed(crate::sanitize::line(&other.to_string())),
    }
}

/// People for the completion: from the people one works with (People.Read) and, where
/// People knows nobody, from the directory where its permission is granted; with neither
/// permission none (typed addresses still work) and People.Read is asked for by the next
/// sign-in. `Source::Directory` says the names come from the directory alone.
async fn find_people(
    cfg: &WorkerConfig,
    client: Option<GraphClient>,
    text: &str,
) -> (Source, Result<Vec<crate::calendar::PersonMatch>, SideError>) {
    let Some(c) = client else {
        return (
            Source::People,
            Err(SideError::Failed("not signed in".into())),
        );
    };
    let app_only = c.is_app_only();
    let sources = crate::services::people::Sources {
        people: app_only || granted(cfg, Feature::Complete),
        directory: app_only || granted(cfg, Feature::Attendees),
    };
    if !sources.people && !sources.directory {
        ask_for(cfg, Feature::Complete);
        return (Source::People, Err(SideError::Consent(Feature::Complete)));
    }
    let source = if sources.people {
        Source::People
    } else {
        Source::Directory
    };
    let result = crate::services::people::find_people(&c, text, sources)
        .await
        .map_err(|e| side_error(cfg, e.into()));
    (source, result)
}

/// The organizer (the signed-in account) first, then the people asked about.
async fn free_busy(
    cfg: &WorkerConfig,
    c: &GraphClient,
    people: Vec<String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    interval_minutes: u32,
) -> Result<crate::calendar::hours::Schedules, SideError> {
    let organizer = crate::services::calendar::organizer_address(c, &cfg.auth).await;
    let all = crate::calendar::availability::organizer_first(organizer, &people);
    crate::services::calendar::schedules(
        c,
        &cfg.target,
        &all,
        start,
        end,
        interval_minutes,
        &OutlookZone::for_tz(cfg.zone),
    )
    .await
    .map_err(|e| side_error(cfg, e))
}

/// The create found no sign-in to use.
fn not_signed_in(job: u64) -> Action {
    Action::SignInLost {
        job,
        error: ErrorView::other(
            "Not signed in",
            "there is no sign-in to create the meeting with",
            None,
        ),
    }
}

/// A create needs `feature`'s permission: the next sign-in asks for it, and the form
/// offers that sign-in, saying which permission and why.
fn consent_for(cfg: &WorkerConfig, job: u64, feature: Feature) -> Action {
    cfg.auth.request_scopes(&[feature.scope().to_string()]);
    consent_action(job, feature)
}

/// Which permission: the form says why and offers to sign in and grant it.
fn consent_action(job: u64, feature: Feature) -> Action {
    Action::ConsentNeeded { job, feature }
}

/// A Graph failure of a create, as the form shows it. A device-code sign-in can mend a
/// delegated sign-in, so that one is offered again from the form; app-only credentials
/// are fixed outside tmeet.
fn graph_failure(job: u64, e: &crate::graph::GraphError) -> Action {
    let mut error = ErrorView::from_graph(e);
    if e.kind == ErrorKind::Auth && !e.app_only {
        // The command-line way out is not the one on this screen.
        if let Some(cause) = error.message.strip_suffix("; sign in with: tmeet login") {
            error.message = cause.to_string();
        }
        // The way out the form offers (its words are the form's) replaces the command line's.
        error.hint = None;
        Action::SignInLost { job, error }
    } else {
        Action::Failed { job, error }
    }
}

/// The calendar create: one event whatever is retried, with the join details of the
/// meeting behind it. An event without a Teams link is recorded and told as such.
async fn create_event(
    cfg: Arc<WorkerConfig>,
    client: GraphClient,
    request: EventRequest,
    job: u64,
    out: UnboundedSender<Action>,
) {
    let on_wait = waiting(job, out.clone());
    let zone = OutlookZone::for_tz(cfg.zone);
    let language = request.meeting.language().map(|l| l.as_str().to_string());
    let outcome =
        crate::services::calendar::create_event(&client, &cfg.target, &request, &zone, &on_wait)
            .await;
    // Before the pane shows it, so My meetings lists it at once (as a standalone one); an
    // event without a link exists all the same, and is cancelled from there.
    let to_record = match &outcome {
        Ok(created) => Some(created.clone()),
        Err(CalendarError::NoTeamsLink { created, .. }) => Some((**created).clone()),
        Err(e) => {
            tracing::warn!(job, "event create failed: {e}");
            None
        }
    };
    let mut not_recorded = None;
    if let Some(created) = to_record {
        not_recorded = cfg.history.record_event(request.clone(), created).await;
    }
    let mut action = event_answer(
        job,
        outcome,
        cfg.zone,
        language.as_deref(),
        client.is_app_only(),
    );
    if let (Action::EventCreated { result, .. }, Some(series)) = (&mut action, &request.series) {
        with_series(result, series, cfg.zone);
    }
    if let Action::EventCreated { result, .. } = &mut action
        && !request.invitation.is_empty()
    {
        // What was set, in the table's words (the service's answer is in the history).
        result.sections.push(crate::meeting::presentation::Section {
            title: "Invitation".into(),
            lines: request
                .invitation
                .lines()
                .into_iter()
                .map(|(label, words)| format!("{label}: {words}"))
                .collect(),
        });
    }
    // Planned in another zone: its clock there beside the terminal's.
    if let (Action::EventCreated { result, .. }, Some(planned)) = (&mut action, request.zone)
        && planned != cfg.zone
    {
        let m = &request.meeting;
        result.sections.push(crate::meeting::presentation::Section {
            title: "Zones".into(),
            lines: vec![crate::calendar::zone_input::in_both(
                (m.start().with_timezone(&Utc), m.end().with_timezone(&Utc)),
                planned,
                cfg.zone,
            )],
        });
    }
    if let Action::ConsentNeeded { .. } = action {
        // The next sign-in asks for what was missing.
        cfg.auth
            .request_scopes(&[Feature::Invite.scope().to_string()]);
    }
    let _ = out.send(action);
    if let Some(why) = not_recorded {
        tracing::warn!(job, "event not recorded in the history: {why}");
        let _ = out.send(Action::Meetings(MeetingsAction::NotRecorded(why)));
    }
}

/// A series' card: the rule and its next meetings under the details. One link serves every
/// meeting of the series, and when it expires is not what the first meeting's answer says.
fn with_series(card: &mut ResultView, series: &crate::calendar::recurrence::Series, zone: Tz) {
    use chrono::Datelike;
    card.link_expires = None;
    let mut lines = vec![
        format!("{} ({})", series.words(), series.zone().name()),
        format!(
            "Next: {}",
            series
                .preview(6)
                .line(Utc::now().with_timezone(&zone).year())
        ),
    ];
    lines.extend(series.notes().into_iter().map(|n| format!("Note: {n}")));
    card.sections.push(crate::meeting::presentation::Section {
        title: "Repeats".into(),
        lines,
    });
}

/// What the form hears of an event create: the result, the error that keeps the form, or
/// the event that exists without a Teams link (shown as what it is, to be cancelled).
pub(crate) fn event_answer(
    job: u64,
    outcome: Result<crate::services::calendar::CreatedEvent, CalendarError>,
    zone: Tz,
    language: Option<&str>,
    app_only: bool,
) -> Action {
    match outcome {
        Ok(created) => {
            let ev = &created.event;
            // Without the meeting behind the event (a warning says why), the event's own
            // join link and times still make a card.
            let mut card = ResultView::from_meeting(&created.online_meeting(), &zone, language);
            if let Some(s) = &created.meeting {
                card.tenant_changed = s
                    .difference_lines()
                    .iter()
                    .map(|l| crate::sanitize::line(l))
                    .collect();
            }
            card.event_link = ev.web_link.as_deref().map(crate::sanitize::line);
            if card.join_url.is_none() {
                card.join_url = ev.join_url.as_deref().map(crate::sanitize::line);
            }
            Action::EventCreated {
                job,
                result: Box::new(card),
                outcome: EventOutcome {
                    invited: created.invited,
                    existed: created.existed,
                },
                warnings: created
                    .warnings
                    .iter()
                    .map(|w| crate::sanitize::line(w))
                    .collect(),
            }
        }
        Err(CalendarError::Consent(f)) if !app_only => consent_action(job, f),
        Err(e @ CalendarError::NoTeamsLink { .. }) => {
            let CalendarError::NoTeamsLink { created, .. } = &e else {
                unreachable!("matched above")
            };
            // The event as it stands: its subject, time and Outlook link, no join link.
            let mut card = ResultView::from_meeting(&created.event.as_meeting(), &zone, language);
            card.event_link = created.event.web_link.as_deref().map(crate::sanitize::line);
            Action::EventWithoutLink {
                job,
                result: Box::new(card),
                invited: created.invited,
                why: crate::sanitize::line(&e.to_string()),
            }
        }
        Err(CalendarError::Graph(e)) => graph_failure(job, &e),
        Err(CalendarError::NoMailbox(g)) => {
            // The service's status, code and request-id stay on the screen; the words
            // and the way on are tmeet's (no sign-in or licence hint would help).
            let mut error = ErrorView::from_graph(&g);
            error.title = "No mailbox".into();
            error.message = format!(
                "{}. The service said: {}",
                crate::services::calendar::NO_MAILBOX,
                g.message
            );
            error.hint = None;
            Action::Failed { job, error }
        }
        Err(e @ (CalendarError::Refused(_) | CalendarError::Consent(_)))
        // Only an update reads back after a failure; a create never ends here.
        | Err(e @ CalendarError::Unsaved(_)) => Action::Failed {
            job,
            error: ErrorView::other("Refused before sending", &e.to_string(), None),
        },
    }
}

/// Looks for a usable saved sign-in and tells the screen what it found.
async fn check(cfg: &WorkerConfig, out: &UnboundedSender<Action>) -> Option<GraphClient> {
    match cfg.auth.provider().await {
        Ok(p) => {
            let c = GraphClient::new(cfg.http.clone(), cfg.graph_url.clone(), p);
            preconnect(&c);
            let _ = out.send(Action::Ready);
            Some(c)
        }
        Err(e) => {
            tracing::info!("no usable sign-in: {e}");
            let _ = out.send(startup_failure(&e));
            None
        }
    }
}

/// What the screen does when there is no usable sign-in at start. Only a missing or
/// rejected sign-in is mended by signing in; everything else is shown as itself, and
/// offers a retry only where the cause can pass without the person changing anything.
fn startup_failure(e: &AuthError) -> Action {
    match e {
        AuthError::SignInRequired(_) => Action::SignInNeeded,
        // The service could not be reached: it may be back in a moment.
        AuthError::Network(_) => Action::StartFailed {
            error: e.to_string(),
            retry: true,
        },
        // Settings (app-only without --user, …), the token store, or a refusal of the
        // app itself: each is fixed outside tmeet, so trying again would fail the same way.
        AuthError::Config(_)
        | AuthError::Store(_)
        | AuthError::Refused { .. }
        | AuthError::Incomplete(_) => Action::StartFailed {
            error: e.to_string(),
            retry: false,
        },
    }
}

/// The sign-in job: the device code, polling, and the client for the new sign-in.
async fn sign_in_job(
    cfg: &WorkerConfig,
    job: u64,
    device_code: bool,
    out: &UnboundedSender<Action>,
) -> Result<(GraphClient, String), String> {
    let signed_in = if cfg.browser && !device_code {
        browser_sign_in(&cfg.auth, job, out).await
    } else {
        sign_in(&cfg.auth, job, out).await
    };
    let account = signed_in.map_err(|e| {
        tracing::warn!("sign-in failed: {e}");
        cfg.auth.record_refusal(&e);
        failure_text(&e)
    })?;
    cfg.auth.forget_refusal();
    let p = cfg.auth.provider().await.map_err(|e| e.to_string())?;
    let c = GraphClient::new(cfg.http.clone(), cfg.graph_url.clone(), p);
    preconnect(&c);
    Ok((c, account))
}

/// Opens the connection to Graph while the person is still typing, so that submitting
/// costs one request and no handshake (the emulator answers the probe without consuming a
/// queued fault, so this holds in demo mode and tests too).
fn preconnect(c: &GraphClient) {
    let c = c.clone();
    tokio::spawn(async move { c.preconnect().await });
}

/// What the sign-in screen says; the screen adds how to retry.
fn failure_text(e: &AuthError) -> String {
    if e.is_expired_code() {
        format!(
            "The code expired before the sign-in was finished; a new code is one {} away.",
            keymap::key_for(Scope::SignInRetry, Intent::Activate)
        )
    } else if e.is_declined() {
        "The sign-in was declined in the browser.".into()
    } else {
        e.to_string()
    }
}

/// The browser sign-in: the address is shown (and opened), the answer awaited on the port.
/// A pasted address is a terminal prompt's affair; here `d` switches to a device code.
async fn browser_sign_in(
    auth: &Auth,
    job: u64,
    out: &UnboundedSender<Action>,
) -> Result<String, AuthError> {
    let flow = auth.start_browser().await?;
    let opened = crate::browser::open(flow.url());
    if let Err(e) = &opened {
        tracing::info!("could not open a browser: {e}");
    }
    let _ = out.send(Action::SignInBrowser {
        job,
        url: flow.url().to_string(),
        opened: opened.is_ok(),
    });
    // Nothing is typed into this channel: its sender lives as long as the wait.
    let (_typing, pasted) = tokio::sync::mpsc::unbounded_channel();
    let status = flow.complete(pasted, crate::auth::BROWSER_TIMEOUT).await?;
    Ok(status
        .account
        .unwrap_or_else(|| format!("tenant {}", status.tenant)))
}

async fn sign_in(
    auth: &Auth,
    job: u64,
    out: &UnboundedSender<Action>,
) -> Result<String, AuthError> {
    let flow = auth.start_device_code().await?;
    let p = &flow.prompt;
    let _ = out.send(Action::SignInPrompt {
        job,
        prompt: SignInPrompt {
            user_code: p.user_code.clone(),
            verification_uri: p.verification_uri.clone(),
            message: p.message.clone(),
            expires_in_secs: p.expires_in.as_secs(),
        },
    });
    let progress = out.clone();
    let status = flow
        .complete(move |ev| {
            let text = match ev {
                PollEvent::Pending => "Not finished yet; checking again shortly.".to_string(),
                PollEvent::SlowDown { interval } => format!(
                    "The service asked to check less often; next check in {} s.",
                    interval.as_secs()
                ),
            };
            let _ = progress.send(Action::SignInProgress { job, text });
        })
        .await?;
    Ok(status
        .account
        .unwrap_or_else(|| format!("tenant {}", status.tenant)))
}

async fn create(
    client: GraphClient,
    target: Target,
    request: MeetingRequest,
    job: u64,
    zone: Tz,
    out: UnboundedSender<Action>,
    history: History,
) {
    let on_wait = waiting(job, out.clone());
    let language = request.language().map(|l| l.as_str().to_string());
    let action = match crate::services::online_meeting::create(&client, &target, &request, &on_wait)
        .await
    {
        Ok(scheduled) => {
            let created = &scheduled.created;
            tracing::info!(job, request_id = ?created.request_id, "meeting created");
            if let Some(w) = &scheduled.warning {
                tracing::warn!(job, "read-back: {w}");
            }
            let mut card = ResultView::from_meeting(&created.meeting, &zone, language.as_deref());
            card.tenant_changed = scheduled
                .difference_lines()
                .iter()
                .map(|l| crate::sanitize::line(l))
                .collect();
            // Recorded before the pane shows it, so My meetings lists it at once; a history
            // that fails is told after the meeting, never instead of it.
            let not_recorded = history.record(request.clone(), created.raw.clone()).await;
            if let Some(why) = not_recorded {
                tracing::warn!(job, "meeting not recorded in the history: {why}");
                let _ = out.send(Action::Created {
                    job,
                    result: Box::new(card),
                });
                let _ = out.send(Action::Meetings(MeetingsAction::NotRecorded(why)));
                return;
            }
            Action::Created {
                job,
                result: Box::new(card),
            }
        }
        Err(ScheduleError::Consent(why)) if !client.is_app_only() => {
            tracing::warn!(job, "create needs consent: {why}");
            consent_needed(job)
        }
        Err(e @ ScheduleError::Unsaved(_)) => Action::Failed {
            job,
            error: ErrorView::other("Not created", &e.to_string(), None),
        },
        Err(ScheduleError::Refused(why)) | Err(ScheduleError::Consent(why)) => {
            tracing::warn!(job, "create refused: {why}");
            Action::Failed {
                job,
                error: ErrorView::other("Refused before sending", &why, None),
            }
        }
        Err(ScheduleError::Graph(e)) => {
            tracing::warn!(job, "create failed: {e}");
            graph_failure(job, &e)
        }
    };
    let _ = out.send(action);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_failures_read_plainly() {
        let refused = |code: &str| AuthError::Refused {
            code: code.into(),
            description: "AADSTS70020: …".into(),
        };
        assert!(failure_text(&refused("expired_token")).contains("new code"));
        assert!(failure_text(&refused("authorization_declined")).contains("declined"));
        let other = failure_text(&AuthError::Network("down".into()));
        assert!(other.contains("down"), "{other}");
    }

    fn start_failed(e: AuthError) -> (String, bool) {
        match startup_failure(&e) {
            Action::StartFailed { error, retry } => (error, retry),
            other => panic!("{e}: expected a start failure, got {other:?}"),
        }
    }

    #[test]
    fn only_a_missing_sign_in_leads_to_signing_in() {
        let need = AuthError::SignInRequired("the saved sign-in has expired".into());
        assert!(matches!(startup_failure(&need), Action::SignInNeeded));

        // App-only without --user: said as it is, and no retry (settings are fixed outside).
        let (error, retry) = start_failed(AuthError::Config(
            "app-only sign-in (a client secret is set) cannot use /me: there is no signed-in \
             person. Pass --user with the organizer's object ID (or set TMEET_USER)"
                .into(),
        ));
        assert!(error.contains("--user"), "{error}");
        assert!(!retry);
        // A token file that cannot be read: named, no retry, no device code first.
        let (error, retry) = start_failed(AuthError::Store(
            "/home/a/.local/state/tmeet/tokens.json cannot be read".into(),
        ));
        assert!(error.contains("tokens.json"), "{error}");
        assert!(!retry);
        // The network may come back.
        let (_, retry) = start_failed(AuthError::Network("connection refused".into()));
        assert!(retry);
    }

    /// A worker on the emulator with a memory store: no saved sign-in, and device codes
    /// that nobody approves, so a sign-in stays under way as long as the test wants.
    async fn worker_on(
        emu: &tmeet_emulator::Emulator,
    ) -> (UnboundedSender<Effect>, UnboundedReceiver<Action>) {
        use crate::settings::{ConfigFile, GlobalArgs, Settings};
        let args = GlobalArgs {
            login_url: Some(emu.login_url().to_string()),
            graph_url: Some(emu.graph_url().to_string()),
            client_id: Some("11111111-2222-3333-4444-555555555555".into()),
            ..Default::default()
        };
        let en = crate::meeting::Language::parse("en-US").unwrap();
        let settings = Settings::from_parts(&args, &ConfigFile::default(), None, en).unwrap();
        let http = crate::http::client_for(&settings);
        let config =
            crate::services::startup::auth_config(&settings, crate::auth::StoreKind::Memory);
        let auth = Auth::new(&config, http.clone()).unwrap();
        let (tx, rx) = unbounded_channel();
        let worker = spawn(
            WorkerConfig {
                auth: auth.clone(),
                http,
                graph_url: settings.graph_url.clone(),
                target: Target::from_user(None),
                zone: chrono_tz::UTC,
                history: History::in_memory(crate::history::Account::of(&settings)),
                agenda: crate::tui::agenda_jobs::AgendaCache::in_memory(
                    crate::history::Account::of(&settings),
                    &auth,
                ),
                browser: false,
            },
            tx,
        );
        (worker, rx)
    }

    #[tokio::test]
    async fn a_sign_in_runs_as_a_job_and_the_worker_keeps_listening() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (worker, mut out) = worker_on(&emu).await;
        let first = out.recv().await;
        assert!(matches!(first, Some(Action::SignInNeeded)), "{first:?}");
        worker.send(Effect::SignIn { job: 1 }).unwrap();
        assert!(matches!(
            out.recv().await,
            Some(Action::SignInPrompt { job: 1, .. })
        ));
        // Job 1 now polls for up to 15 minutes; the worker still takes commands.
        worker.send(Effect::Cancel { job: 1 }).unwrap();
        worker.send(Effect::SignIn { job: 2 }).unwrap();
        match out.recv().await {
            Some(Action::SignInPrompt { job: 2, .. }) => {}
            other => panic!("the second sign-in answers, and only it: {other:?}"),
        }
        worker.send(Effect::CheckSignIn).unwrap();
        loop {
            match out.recv().await {
                Some(Action::SignInNeeded) => break,
                // Job 2 polls on; job 1 was cancelled and says nothing more.
                Some(Action::SignInProgress { job: 2, .. }) => {}
                other => panic!("{other:?}"),
            }
        }
    }

    /// Attendees without the directory permission: the worker says so before sending
    /// anything, and the app offers the sign-in that asks for it.
    #[tokio::test]
    async fn attendees_without_the_directory_permission_ask_for_consent() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions {
            auto_approve_device_codes: true,
            device_code_interval_secs: 0,
            ..tmeet_emulator::EmulatorOptions::default()
        })
        .await
        .unwrap();
        let (worker, mut out) = worker_on(&emu).await;
        assert!(matches!(out.recv().await, Some(Action::SignInNeeded)));
        worker.send(Effect::SignIn { job: 1 }).unwrap();
        loop {
            match out.recv().await {
                Some(Action::SignedIn { .. }) => break,
                Some(Action::SignInPrompt { .. } | Action::SignInProgress { .. }) => {}
                other => panic!("{other:?}"),
            }
        }
        let start = chrono::Utc::now() + chrono::Duration::days(1);
        let request = MeetingRequest::new(
            "x",
            &start,
            &(start + chrono::Duration::hours(1)),
            false,
            None,
        )
        .unwrap()
        .with_attendees(crate::meeting::attendees::parse_list("adele@contoso.com").unwrap())
        .unwrap();
        worker.send(Effect::Create { job: 2, request }).unwrap();
        match out.recv().await {
            Some(Action::ConsentNeeded { job: 2, feature }) => {
                assert_eq!(feature, crate::permissions::Feature::Attendees);
                assert_eq!(feature.scope(), "User.ReadBasic.All");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(emu.meeting_count(), 0, "nothing was sent");
    }

    /// Attendees added to a meeting from My meetings without the directory permission: the
    /// sign-in the edit offers asks for it, so that the same save then goes through
    /// (instead of asking for the permission again, and again).
    #[tokio::test]
    async fn an_edit_that_needs_the_directory_permission_gets_it_from_the_next_sign_in() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions {
            auto_approve_device_codes: true,
            device_code_interval_secs: 0,
            ..tmeet_emulator::EmulatorOptions::default()
        })
        .await
        .unwrap();
        let (worker, mut out) = worker_on(&emu).await;
        let sign_in = async |out: &mut UnboundedReceiver<Action>, job| {
            worker.send(Effect::SignIn { job }).unwrap();
            loop {
                match out.recv().await {
                    Some(Action::SignedIn { .. }) => break,
                    Some(Action::SignInPrompt { .. } | Action::SignInProgress { .. }) => {}
                    other => panic!("{other:?}"),
                }
            }
        };
        assert!(matches!(out.recv().await, Some(Action::SignInNeeded)));
        sign_in(&mut out, 1).await;
        let start = chrono::Utc::now() + chrono::Duration::days(1);
        let request = MeetingRequest::new(
            "x",
            &start,
            &(start + chrono::Duration::hours(1)),
            false,
            None,
        )
        .unwrap();
        worker.send(Effect::Create { job: 2, request }).unwrap();
        assert!(matches!(
            out.recv().await,
            Some(Action::Created { job: 2, .. })
        ));
        let update = |job| {
            Effect::Meetings(MeetingsJob::Update {
                job,
                id: 1,
                change: crate::services::online_meeting::Change {
                    subject: None,
                    times: None,
                    options: Default::default(),
                    attendees: Some(
                        crate::meeting::attendees::parse_list("MeganB@contoso.onmicrosoft.com")
                            .unwrap(),
                    ),
                },
            })
        };
        worker.send(update(3)).unwrap();
        match out.recv().await {
            Some(Action::ConsentNeeded { job: 3, feature }) => {
                assert_eq!(feature, crate::permissions::Feature::Attendees);
            }
            other => panic!("{other:?}"),
        }
        sign_in(&mut out, 4).await;
        worker.send(update(5)).unwrap();
        match out.recv().await {
            Some(Action::Meetings(MeetingsAction::Updated { job: 5, .. })) => {}
            other => panic!("the second save goes through: {other:?}"),
        }
        let stored = &emu.stored_meetings()[0];
        assert_eq!(
            stored["participants"]["attendees"][0]["upn"], "MeganB@contoso.onmicrosoft.com",
            "{stored}"
        );
    }
}
