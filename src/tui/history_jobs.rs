//! The worker's side of My meetings: reading and writing the history (on a blocking
//! thread: SQLite may wait for another process's write) and asking Graph about its
//! meetings. Every job ends in exactly one [`MeetingsAction`] (or, for an update, the
//! create's [`Action::Failed`]).

use super::app::{Action, MeetingRow, MeetingsAction, MeetingsJob, SeriesEdit};
use super::keymap::SeriesPart;
use super::view::{ErrorView, ResultView};
use crate::graph::client::{GraphClient, Target};
use crate::graph::error::ErrorKind;
use crate::history::{self, Account, Entry, Filter, State, Store};
use crate::services::calendar::{CalendarError, EventChange};
use crate::services::my_meetings;
use crate::services::online_meeting::{Change, Existing, ScheduleError};
use chrono_tz::Tz;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

/// The session's history: None when it is off or could not be opened (and why).
#[derive(Clone)]
pub(crate) struct History {
    store: Result<Arc<Mutex<Store>>, String>,
    account: Account,
    /// Who is signed in, read when a job needs it (the sign-in may come after opening).
    auth: Option<crate::auth::Auth>,
}

impl History {
    pub(crate) fn open(settings: &crate::settings::Settings, auth: &crate::auth::Auth) -> Self {
        let store = match Store::for_settings(settings) {
            Ok(Some(s)) => Ok(Arc::new(Mutex::new(s))),
            Ok(None) => Err(
                "the meeting history is off (TMEET_HISTORY=off, or history = false \
                 in config.toml); remove that setting to keep the meetings you create here"
                    .to_string(),
            ),
            Err(e) => Err(e.to_string()),
        };
        Self {
            store,
            account: Account::of(settings),
            auth: Some(auth.clone()),
        }
    }

    /// The account jobs act as: this run's cloud and organizer, and who is signed in now.
    fn account(&self) -> Account {
        let mut account = self.account.clone();
        if let Some(auth) = self.auth.as_ref().filter(|a| !a.is_app_only()) {
            account.upn = auth.status().ok().flatten().and_then(|s| s.account);
        }
        account
    }

    /// For tests: an in-memory history.
    #[cfg(test)]
    pub(crate) fn in_memory(account: Account) -> Self {
        Self {
            store: Store::in_memory()
                .map(|s| Arc::new(Mutex::new(s)))
                .map_err(|e| e.to_string()),
            account,
            auth: None,
        }
    }

    fn is_off(&self) -> bool {
        self.store.is_err()
    }

    /// Runs `f` with the store on a blocking thread.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store, &Account) -> Result<T, String> + Send + 'static,
    ) -> Result<T, String> {
        let store = self.store.clone()?;
        let account = self.account();
        tokio::task::spawn_blocking(move || {
            let guard = store.lock().unwrap_or_else(PoisonError::into_inner);
            f(&guard, &account)
        })
        .await
        .map_err(|e| format!("the history task failed: {e}"))?
    }

    /// After a create: the row, or why there is none (None when the history is off, which
    /// was the person's choice and needs no notice).
    pub(crate) async fn record(
        &self,
        request: crate::meeting::MeetingRequest,
        answer: serde_json::Value,
    ) -> Option<String> {
        if self.is_off() {
            return None;
        }
        self.with(move |s, a| {
            s.record_request(a, &request, &answer)
                .map_err(|e| e.to_string())
        })
        .await
        .err()
    }
}

impl History {
    /// After a calendar create: as [`History::record`], the row holding the event too.
    pub(crate) async fn record_event(
        &self,
        request: crate::calendar::EventRequest,
        created: crate::services::calendar::CreatedEvent,
    ) -> Option<String> {
        if self.is_off() {
            return None;
        }
        self.with(move |s, a| {
            let meeting = created.meeting.as_ref().map(|m| &m.created.raw);
            s.record_event(a, &request, &created.event, meeting)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await
        .err()
    }
}

/// Carries out `job`, with `client` when signed in, and answers what the screen is to be
/// told; `out` hears the waits while Graph throttles. The worker sends the answer.
pub(crate) async fn run(
    history: History,
    client: Option<GraphClient>,
    target: Target,
    zone: Tz,
    job: MeetingsJob,
    out: UnboundedSender<Action>,
) -> Action {
    match job {
        MeetingsJob::Load { job } => load(&history, job, zone, None).await,
        MeetingsJob::Refresh { job } => refresh(&history, client, &target, job, zone).await,
        MeetingsJob::Open { job, id } => open(&history, client, &target, job, id, zone).await,
        MeetingsJob::Delete { job, id, part } => {
            delete(&history, client, &target, job, id, part, zone).await
        }
        MeetingsJob::Edit { job, id, part } => {
            edit(&history, client, &target, job, id, part, zone).await
        }
        MeetingsJob::Update { job, id, change } => {
            let on_wait = super::replies::waiting(job, out.clone());
            update(&history, client, &target, job, id, change, zone, &on_wait).await
        }
        MeetingsJob::UpdateEvent {
            job,
            id,
            change,
            series,
        } => {
            let on_wait = super::replies::waiting(job, out.clone());
            let save = EventSave {
                job,
                id,
                change: *change,
                series,
                zone,
            };
            update_event(&history, client, &target, save, &on_wait).await
        }
    }
}

fn row(e: &history::Summary, zone: &Tz) -> MeetingRow {
    MeetingRow {
        id: e.id,
        subject: history::command::subject_line(e),
        when: history::command::when(e, zone),
        kind: e.kind.as_str(),
        mark: history::command::mark(e),
        start: history::Brief::start(e),
        end: history::Brief::end(e),
        answers: None,
        next_of_series: e
            .repeats
            .as_ref()
            .and_then(|r| r.next)
            .map(|(start, _)| start.with_timezone(zone).format("%a %-d %b").to_string()),
    }
}

async fn load(history: &History, job: u64, zone: Tz, note: Option<String>) -> Action {
    if let Err(why) = &history.store {
        return Action::Meetings(MeetingsAction::Unavailable {
            job,
            why: why.clone(),
        });
    }
    // The lines only: the stored meetings are read when one is opened.
    let listed = history
        .with(move |s, _| {
            let mut rows = Vec::new();
            let tallies = s.agenda_tallies().unwrap_or_default();
            s.each_summary(Filter::default(), chrono::Utc::now(), |e| {
                let mut r = row(&e, &zone);
                r.answers = e
                    .event_id
                    .as_deref()
                    .and_then(|id| tallies.get(id))
                    .and_then(|t| t.line());
                rows.push(r);
                Ok::<(), history::HistoryError>(())
            })
            .map_err(|e| e.to_string())?;
            Ok(rows)
        })
        .await;
    Action::Meetings(match listed {
        Ok(rows) => MeetingsAction::Loaded { job, rows, note },
        Err(error) => MeetingsAction::Failed { job, error },
    })
}

fn failed(job: u64, error: impl Into<String>) -> Action {
    Action::Meetings(MeetingsAction::Failed {
        job,
        error: crate::sanitize::line(&error.into()),
    })
}

const NOT_SIGNED_IN: &str = "Not signed in: restart tmeet to sign in, then try again.";

async fn entry(history: &History, id: i64) -> Result<Entry, String> {
    history
        .with(move |s, _| s.get(id).map_err(|e| e.to_string()))
        .await
}

async fn refresh(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    job: u64,
    zone: Tz,
) -> Action {
    let Some(client) = client else {
        return failed(job, NOT_SIGNED_IN);
    };
    let entries = match history
        .with(|s, _| {
            s.list(Filter::default(), chrono::Utc::now())
                .map_err(|e| e.to_string())
        })
        .await
    {
        Ok(e) => e,
        Err(e) => return failed(job, e),
    };
    let account = history.account();
    let mine: Vec<Entry> = entries
        .into_iter()
        .filter(|e| {
            e.state != State::Deleted && history::command::same_account(&e.account, &account)
        })
        .collect();
    let found = my_meetings::refresh(&client, target, mine, |now, e| async move {
        history
            .with(move |s, _| now.record(s, &e).map_err(|e| e.to_string()))
            .await
    })
    .await;
    let mut note = format!(
        "Checked {} with Graph: {} deleted elsewhere, {} changed elsewhere.",
        found.checked, found.gone, found.changed
    );
    if let Some(first) = found.not_checked.first() {
        note.push_str(&format!(
            " {} not checked ({first}).",
            found.not_checked.len()
        ));
    }
    load(history, job, zone, Some(note)).await
}

async fn open(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    job: u64,
    id: i64,
    zone: Tz,
) -> Action {
    let e = match entry(history, id).await {
        Ok(e) => e,
        Err(err) => return failed(job, err),
    };
    let offline = |why: String, e: &Entry| -> Action {
        match e.meeting() {
            Some(m) => Action::Meetings(MeetingsAction::Opened {
                job,
                result: Box::new(ResultView::from_meeting(&m, &zone, e.language.as_deref())),
                note: Some(crate::sanitize::line(&why)),
            }),
            None => failed(
                job,
                format!("{why} The history has no copy of this meeting to show."),
            ),
        }
    };
    let account = history.account();
    let mine = history::command::same_account(&e.account, &account);
    let Some(client) = client.filter(|_| mine) else {
        let why = if mine {
            "Not signed in: shown from the history, without the passcode.".to_string()
        } else {
            format!(
                "{}; shown from the history.",
                history::command::other_account(&e, &account)
            )
        };
        return offline(why, &e);
    };
    let now = match my_meetings::now(&client, target, &e).await {
        Ok(now) => now,
        Err(err) => {
            return offline(
                format!(
                    "Graph could not be asked ({err}); shown from the history, without the passcode."
                ),
                &e,
            );
        }
    };
    let shown = now.meeting(&e);
    let checked = e.clone();
    let _ = history
        .with(move |s, _| now.record(s, &checked).map_err(|e| e.to_string()))
        .await;
    match shown.map(|v| crate::graph::model::OnlineMeeting::from_graph(&v)) {
        Some(Ok((m, _))) => Action::Meetings(MeetingsAction::Opened {
            job,
            result: Box::new(ResultView::from_meeting(&m, &zone, e.language.as_deref())),
            note: None,
        }),
        Some(Err(why)) => offline(
            format!("The service's answer could not be read ({why}); shown from the history."),
            &e,
        ),
        None => offline(
            "Deleted at the service (now marked so in My meetings); shown from the history.".into(),
            &e,
        ),
    }
}

/// A row to change at the service: signed in, and made with this account (another
/// account's meeting can only answer 404 to it).
async fn mine(
    history: &History,
    client: Option<GraphClient>,
    job: u64,
    id: i64,
) -> Result<(GraphClient, Entry), Action> {
    let Some(client) = client else {
        return Err(failed(job, NOT_SIGNED_IN));
    };
    let e = entry(history, id).await.map_err(|err| failed(job, err))?;
    let account = history.account();
    if !history::command::same_account(&e.account, &account) {
        return Err(failed(job, history::command::other_account(&e, &account)));
    }
    Ok((client, e))
}

#[allow(clippy::too_many_arguments)]
async fn delete(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    job: u64,
    id: i64,
    part: SeriesPart,
    zone: Tz,
) -> Action {
    let (client, e) = match mine(history, client, job, id).await {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    if part != SeriesPart::All {
        return cancel_part(history, &client, target, job, e, part, zone).await;
    }
    let deleted = my_meetings::delete(&client, target, &e, None).await;
    let note = match deleted {
        Ok(my_meetings::Deleted::Now) => {
            format!("Deleted \"{}\".", history::command::subject(&e))
        }
        Ok(my_meetings::Deleted::AlreadyGone) => format!(
            "\"{}\" was already deleted at the service; marked so.",
            history::command::subject(&e)
        ),
        Err(err) if crate::services::calendar::is_no_mailbox(&err) => {
            return failed(
                job,
                format!("Not deleted: {}.", crate::services::calendar::NO_MAILBOX),
            );
        }
        // A calendar may not be changed without Calendars.ReadWrite, which a sign-in made
        // before calendar mode was first used lacks: granting it is the way on.
        Err(err)
            if err.status == Some(403)
                && e.kind == history::Kind::Event
                && !client.is_app_only() =>
        {
            return Action::Meetings(MeetingsAction::NeedsPermission {
                job,
                feature: crate::permissions::Feature::Invite,
            });
        }
        Err(err) => return failed(job, format!("Not deleted: {err}")),
    };
    if let Err(err) = history
        .with(move |s, _| my_meetings::record_deleted(s, &e).map_err(|e| e.to_string()))
        .await
    {
        return failed(
            job,
            format!("{note} But the history could not be updated: {err}"),
        );
    }
    load(history, job, zone, Some(note)).await
}

/// The next meeting of a series, or it and every one after: the same services as `tmeet
/// cancel --occurrence` and `--from`, the row kept with what became of them.
#[allow(clippy::too_many_arguments)]
async fn cancel_part(
    history: &History,
    client: &GraphClient,
    target: &Target,
    job: u64,
    e: history::Entry,
    part: SeriesPart,
    zone: Tz,
) -> Action {
    use crate::services::series;
    let Some(kept) = history::series::Kept::of_entry(&e) else {
        return failed(
            job,
            "Not cancelled: the series' rule cannot be read from the history; cancel it in Outlook.",
        );
    };
    let Some((next, _)) = kept.next(chrono::Utc::now()) else {
        return failed(job, "Not cancelled: the series has no meeting left.");
    };
    let Some(event_id) = e.event_id.clone() else {
        return failed(job, "Not cancelled: the history has no event id for it.");
    };
    let series_zone = kept.series.zone();
    let date = next.with_timezone(&series_zone).date_naive();
    let day = date.format("%a %-d %b").to_string();
    let subject = history::command::subject(&e);
    let scope = match part {
        SeriesPart::Next => series::Scope::One(date),
        _ => series::Scope::From(date),
    };
    let done = match series::find_part(client, target, &event_id, scope, series_zone).await {
        Ok(Some(found)) => series::cancel_part(client, target, &event_id, &found, None, &|_| {})
            .await
            .map(|done| {
                let note = match &done {
                    series::Cancelled::One => format!(
                        "Cancelled the meeting of {day} of \"{subject}\"; its attendees get a \
                         cancellation, and the rest of the series stays."
                    ),
                    series::Cancelled::Ended(ended) => format!(
                        "\"{subject}\" now ends on {}: its meetings from {day} on are called off.",
                        ended.last.format("%a %-d %b")
                    ),
                };
                (done.word(), note)
            }),
        Ok(None) => unreachable!("one meeting, or from a day on"),
        Err(err) => Err(err),
    };
    let (what, note) = match done {
        Ok(done) => done,
        Err(err) => return failed(job, format!("Not cancelled: {err}")),
    };
    let id = e.id;
    if let Err(err) = history
        .with(move |s, _| {
            s.record_series_change(id, date, what)
                .map_err(|e| e.to_string())
        })
        .await
    {
        return failed(
            job,
            format!("{note} But the history could not be updated: {err}"),
        );
    }
    load(history, job, zone, Some(note)).await
}

/// The meeting as the service has it, for the form's edit: never the history's copy,
/// which may be out of date and lacks what the PATCH is compared against.
#[allow(clippy::too_many_arguments)]
async fn edit(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    job: u64,
    id: i64,
    part: SeriesPart,
    zone: Tz,
) -> Action {
    let (client, e) = match mine(history, client, job, id).await {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    if e.kind == history::Kind::Event {
        return edit_event(&client, target, job, &e, part, zone).await;
    }
    match client.fetch_meeting(target, &e.graph_id).await {
        Ok(answer) => Action::Meetings(MeetingsAction::EditReady {
            job,
            id,
            was: Box::new(Existing::of(&answer)),
        }),
        Err(err) if err.status == Some(404) => {
            let _ = history
                .with(move |s, _| s.record_check(&e, None).map_err(|e| e.to_string()))
                .await;
            failed(
                job,
                "Deleted at the service (now marked so in My meetings); there is nothing to edit.",
            )
        }
        Err(err) => failed(job, format!("Not opened for editing: {err}")),
    }
}

/// A calendar meeting for the form's edit: its event and the options of the meeting
/// behind it, as the service has them.
async fn edit_event(
    client: &GraphClient,
    target: &Target,
    job: u64,
    e: &Entry,
    part: SeriesPart,
    zone: Tz,
) -> Action {
    let Some(master_id) = e.event_id.as_deref() else {
        return failed(
            job,
            "Not opened for editing: the history has no event id for it; change it in Outlook.",
        );
    };
    // Of a series, the meeting the edit starts from: the next one for it alone or from it
    // on, the series itself for all of them.
    let mut event_id = master_id.to_string();
    let series = match history::series::Kept::of_entry(e) {
        None => None,
        Some(kept) => {
            let Some((next, _)) = kept.next(chrono::Utc::now()) else {
                return failed(
                    job,
                    "Not opened for editing: the series has no meeting left.",
                );
            };
            let date = next.with_timezone(&kept.series.zone()).date_naive();
            if part != SeriesPart::All {
                match crate::services::series::occurrence_on(
                    client,
                    target,
                    master_id,
                    date,
                    kept.series.zone(),
                )
                .await
                {
                    Ok(Some(found)) => event_id = found.id,
                    Ok(None) => {
                        return failed(
                            job,
                            format!(
                                "Not opened for editing: {}.",
                                crate::services::series::no_meeting_on(date)
                            ),
                        );
                    }
                    Err(err) => return failed(job, format!("Not opened for editing: {err}")),
                }
            }
            Some(SeriesEdit {
                part,
                date,
                words: kept.words,
            })
        }
    };
    let outlook = crate::calendar::OutlookZone::for_tz(zone);
    let read = crate::services::event_edit::read(client, target, &event_id, &outlook).await;
    if let Err(err) = &read
        && let Some(feature) = permission_to_ask(err, client)
    {
        return Action::Meetings(MeetingsAction::NeedsPermission { job, feature });
    }
    match read {
        Ok(was) => Action::Meetings(MeetingsAction::EventEditReady {
            job,
            id: e.id,
            was: Box::new(was),
            series,
        }),
        Err(err) => failed(job, format!("Not opened for editing: {err}")),
    }
}

/// The permission to ask for when a calendar change was refused for want of it: consent
/// the service asked for, or a 403 on the event, which a sign-in made before calendar
/// mode was first used (without Calendars.ReadWrite) meets, as a delete does. App-only
/// credentials are granted outside tmeet.
fn permission_to_ask(
    err: &CalendarError,
    client: &GraphClient,
) -> Option<crate::permissions::Feature> {
    if client.is_app_only() {
        return None;
    }
    match err {
        CalendarError::Consent(feature) => Some(*feature),
        CalendarError::Graph(g) if g.status == Some(403) => {
            Some(crate::permissions::Feature::Invite)
        }
        _ => None,
    }
}

/// What a calendar meeting's save sends, and for which of a series' meetings.
struct EventSave {
    job: u64,
    id: i64,
    change: EventChange,
    series: Option<SeriesEdit>,
    zone: Tz,
}

/// A calendar meeting's save: the same update as `tmeet update REF` (options on the
/// meeting behind the event first, then the event's PATCH, which the service mails to the
/// invitees; of a series, `--occurrence`, `--from` or `--series`), then the history
/// follows.
async fn update_event(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    save: EventSave,
    on_wait: &(dyn Fn(crate::graph::client::Wait) + Send + Sync),
) -> Action {
    let EventSave {
        job,
        id,
        mut change,
        series,
        zone,
    } = save;
    let not_saved = |message: String| Action::Failed {
        job,
        error: ErrorView::other("Not saved", &message, None),
    };
    let Some(client) = client else {
        return not_saved(NOT_SIGNED_IN.into());
    };
    let e = match entry(history, id).await {
        Ok(e) => e,
        Err(err) => return not_saved(err),
    };
    let Some(master_id) = e.event_id.clone() else {
        return not_saved("the history has no event id for it; change it in Outlook".into());
    };
    let kept = history::series::Kept::of_entry(&e);
    let series_zone = kept.as_ref().map_or(zone, |k| k.series.zone());
    let mut event_id = master_id.clone();
    match (&series, &kept) {
        (Some(s), Some(kept)) if s.part == SeriesPart::FromNext => {
            return save_from(
                history, &client, target, job, &e, kept, s.date, &change, on_wait,
            )
            .await;
        }
        (Some(s), _) if s.part == SeriesPart::Next => match crate::services::series::occurrence_on(
            &client,
            target,
            &master_id,
            s.date,
            series_zone,
        )
        .await
        {
            Ok(Some(found)) => event_id = found.id,
            Ok(None) => return not_saved(crate::services::series::no_meeting_on(s.date)),
            Err(err) => return not_saved(err.to_string()),
        },
        (Some(_), _) => {
            // New times for every meeting that move the first one's day move the series'
            // start with them (its range must start on that day).
            if let Some((start, _)) = change.times {
                let day = start.with_timezone(&series_zone).date_naive();
                match crate::services::series::restarting(&client, target, &master_id, day).await {
                    Ok(recurrence) => change.recurrence = recurrence,
                    Err(err) => return not_saved(err.to_string()),
                }
            }
        }
        (None, _) => {}
    }
    let outlook = crate::calendar::OutlookZone::for_tz(zone);
    let updated = crate::services::calendar::update_event(
        &client, target, &event_id, &change, &outlook, on_wait,
    )
    .await;
    // The save is the form's job: the form offers the grant and sends again.
    if let Err(err) = &updated
        && let Some(feature) = permission_to_ask(err, &client)
    {
        return Action::ConsentNeeded { job, feature };
    }
    match updated {
        Ok(updated) => {
            let view = updated.meeting_view(e.meeting_json.as_ref());
            let event = updated.event.clone();
            let recorded = view.clone();
            // One meeting of a series: the row stays the series and keeps what became of it.
            let one = series
                .as_ref()
                .filter(|s| s.part == SeriesPart::Next)
                .map(|s| {
                    let what = match (change.times, updated.event.start) {
                        (Some(_), Some(start)) => format!(
                            "moved to {}",
                            start.with_timezone(&series_zone).format("%a %-d %b %H:%M")
                        ),
                        _ => "changed".to_string(),
                    };
                    (s.date, what)
                });
            let note = history
                .with(move |s, _| {
                    match one {
                        Some((date, what)) => s.record_series_change(id, date, &what),
                        None => s.record_event_update(id, &event, &recorded).map(|_| ()),
                    }
                    .map_err(|e| e.to_string())
                })
                .await
                .err()
                .map(|why| format!("My meetings still shows it as before: {why}"));
            let meeting = crate::graph::model::OnlineMeeting::from_graph(&view)
                .map(|(m, _)| m)
                .unwrap_or_else(|_| updated.event.as_meeting());
            let mut result = ResultView::from_meeting(&meeting, &zone, e.language.as_deref());
            result.event_link = updated.event.web_link.as_deref().map(crate::sanitize::line);
            if let Some(m) = &updated.meeting {
                result.tenant_changed = m
                    .difference_lines()
                    .iter()
                    .map(|l| crate::sanitize::line(l))
                    .collect();
            }
            let told = updated.told();
            let mut saved = change.summary();
            if let Some(s) = &series {
                saved = format!("{}: {saved}", s.which());
            }
            if !told.updated.is_empty() || !told.removed.is_empty() {
                saved.push_str(&format!(
                    "; {} told by the service",
                    people(told.updated.len() + told.removed.len())
                ));
            }
            let warning = warnings_line(&updated.warnings);
            Action::Meetings(MeetingsAction::Updated {
                job,
                result: Box::new(result),
                saved,
                note,
                warning,
            })
        }
        Err(CalendarError::Unsaved(after)) => Action::Failed {
            job,
            error: unsaved(&after),
        },
        Err(CalendarError::Graph(err)) => {
            let mut error = ErrorView::from_graph(&err);
            error.title = match err.kind {
                ErrorKind::OutcomeUnknown => {
                    "Outcome unknown: the changes MAY have been saved".into()
                }
                ErrorKind::Service => "The changes were not saved".into(),
                _ => error.title,
            };
            error.maybe_created = err.kind == ErrorKind::OutcomeUnknown;
            Action::Failed { job, error }
        }
        Err(other) => not_saved(other.to_string()),
    }
}

/// "This and following" from the form: the series ends the day before `date` and a new one
/// carries the change from there (`tmeet update REF --from DATE`); the history gains its
/// row and the old one says where it went.
#[allow(clippy::too_many_arguments)]
async fn save_from(
    history: &History,
    client: &GraphClient,
    target: &Target,
    job: u64,
    e: &Entry,
    kept: &history::series::Kept,
    date: chrono::NaiveDate,
    change: &EventChange,
    on_wait: &(dyn Fn(crate::graph::client::Wait) + Send + Sync),
) -> Action {
    use crate::services::series;
    let not_saved = |message: String| Action::Failed {
        job,
        error: ErrorView::other("Not saved", &message, None),
    };
    let (Some(master_id), Some(first_start), Some(first_end)) =
        (e.event_id.as_deref(), e.start, e.end)
    else {
        return not_saved("the history lacks the series' event id or times".into());
    };
    let zone = kept.series.zone();
    let req = series::SplitRequest {
        master_id,
        date,
        change,
        rule: kept.series.rule(),
        first_start,
        first_end,
        zone,
    };
    let split = series::split(client, target, &req, on_wait).await;
    if let Err(err) = &split
        && let Some(feature) = permission_to_ask(err, client)
    {
        return Action::ConsentNeeded { job, feature };
    }
    let done = match split {
        Ok(done) => done,
        Err(CalendarError::Graph(err)) => {
            let mut error = ErrorView::from_graph(&err);
            error.maybe_created = err.kind == ErrorKind::OutcomeUnknown;
            return Action::Failed { job, error };
        }
        Err(err) => return not_saved(err.to_string()),
    };
    let id = e.id;
    let request = done.request.clone();
    let event = done.created.event.clone();
    let raw = done.created.meeting.as_ref().map(|m| m.created.raw.clone());
    let recorded = history
        .with(move |s, a| {
            let new = s
                .record_event(a, &request, &event, raw.as_ref())
                .map_err(|e| e.to_string())?;
            s.record_series_change(id, date, &format!("ended; from here on ref {}", new.id))
                .map_err(|e| e.to_string())?;
            Ok(new.id)
        })
        .await;
    let (new_ref, note) = match recorded {
        Ok(n) => (Some(n), None),
        Err(why) => (
            None,
            Some(format!("My meetings does not show the new series: {why}")),
        ),
    };
    let mut result = ResultView::from_meeting(&done.created.online_meeting(), &zone, None);
    result.event_link = done
        .created
        .event
        .web_link
        .as_deref()
        .map(crate::sanitize::line);
    let saved = format!(
        "the series now ends on {}; from {} on a new series{} with its own Teams link ({})",
        done.ended.last.format("%a %-d %b"),
        date.format("%a %-d %b"),
        new_ref.map(|n| format!(", ref {n},")).unwrap_or_default(),
        change.summary()
    );
    let warning = warnings_line(&done.created.warnings);
    Action::Meetings(MeetingsAction::Updated {
        job,
        result: Box::new(result),
        saved,
        note,
        warning,
    })
}

/// A change the service did not take, as the outcome table words it: "MAY have been
/// saved" when the answer never came.
fn unsaved(after: &crate::services::read_back::AfterFailure) -> ErrorView {
    let mut error = ErrorView::from_graph(&after.failure);
    error.title = capitalized(&after.outcome().headline(crate::exit::Subject::Changes));
    error.message = crate::sanitize::line(&after.to_string());
    error.hint = None;
    error.maybe_created = after.outcome() == crate::exit::Outcome::MayExist;
    error
}

/// The service's warnings on one line, each made safe for the terminal; None for none.
fn warnings_line(warnings: &[String]) -> Option<String> {
    (!warnings.is_empty()).then(|| {
        warnings
            .iter()
            .map(|w| crate::sanitize::line(w))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// "1 person", "3 people".
fn people(n: usize) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// The edit's save: the same update as `tmeet update` (attendees looked up, settings
/// objects sent whole, the tenant's changes read back), then the history follows.
#[allow(clippy::too_many_arguments)]
async fn update(
    history: &History,
    client: Option<GraphClient>,
    target: &Target,
    job: u64,
    id: i64,
    change: Change,
    zone: Tz,
    on_wait: &(dyn Fn(crate::graph::client::Wait) + Send + Sync),
) -> Action {
    let not_saved = |message: String| Action::Failed {
        job,
        error: ErrorView::other("Not saved", &message, None),
    };
    let Some(client) = client else {
        return not_saved(NOT_SIGNED_IN.into());
    };
    let e = match entry(history, id).await {
        Ok(e) => e,
        Err(err) => return not_saved(err),
    };
    match crate::services::online_meeting::update(&client, target, &e.graph_id, &change, on_wait)
        .await
    {
        Ok(scheduled) => {
            let (sent, raw) = (scheduled.sent.clone(), scheduled.created.raw.clone());
            // The service changed: a history that cannot follow is said, not fatal.
            let note = history
                .with(move |s, _| s.record_update(id, &sent, &raw).map_err(|e| e.to_string()))
                .await
                .err()
                .map(|why| format!("My meetings still shows it as before: {why}"));
            let mut result =
                ResultView::from_meeting(&scheduled.created.meeting, &zone, e.language.as_deref());
            result.tenant_changed = scheduled
                .difference_lines()
                .iter()
                .map(|l| crate::sanitize::line(l))
                .collect();
            Action::Meetings(MeetingsAction::Updated {
                job,
                result: Box::new(result),
                saved: change.summary(),
                note,
                warning: scheduled.warning.as_deref().map(crate::sanitize::line),
            })
        }
        Err(ScheduleError::Unsaved(after)) => {
            // What the meeting read back says is what the history follows.
            if let Some(now) = after.now.clone() {
                let _ = history
                    .with(move |s, _| s.record_check(&e, Some(&now)).map_err(|e| e.to_string()))
                    .await;
            }
            Action::Failed {
                job,
                error: unsaved(&after),
            }
        }
        Err(ScheduleError::Consent(_)) if !client.is_app_only() => {
            super::replies::consent_needed(job)
        }
        Err(ScheduleError::Refused(why)) | Err(ScheduleError::Consent(why)) => not_saved(why),
        Err(ScheduleError::Graph(err)) => {
            let mut error = ErrorView::from_graph(&err);
            error.title = match err.kind {
                ErrorKind::OutcomeUnknown => {
                    "Outcome unknown: the changes MAY have been saved".into()
                }
                ErrorKind::Service => "The changes were not saved".into(),
                _ => error.title,
            };
            Action::Failed { job, error }
        }
    }
}

/// "nothing was changed" → "Nothing was changed", for a title.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::MeetingRequest;
    use chrono::TimeZone;
    use tokio::sync::mpsc::unbounded_channel;

    /// A client signed in to `emu` with a minted token, and an in-memory history.
    fn setup(emu: &tmeet_emulator::Emulator) -> (GraphClient, History) {
        let (access, _) =
            emu.mint_user_token("organizations", std::time::Duration::from_secs(3600));
        let tokens = Arc::new(crate::graph::token::StaticToken::new(
            crate::secret::Secret::new(access.expose()),
            false,
        ));
        let client = GraphClient::new(crate::http::build_client(), emu.graph_url(), tokens);
        let account = Account {
            cloud: "global".into(),
            tenant: "organizations".into(),
            client_id: None,
            target: "me".into(),
            upn: None,
        };
        (client, History::in_memory(account))
    }

    /// A client of `emu` whose token holds exactly `scopes`.
    fn client_with(emu: &tmeet_emulator::Emulator, scopes: &str) -> GraphClient {
        let (access, _) = emu.mint_user_token_with_scopes(
            "organizations",
            scopes,
            std::time::Duration::from_secs(3600),
        );
        GraphClient::new(
            crate::http::build_client(),
            emu.graph_url(),
            Arc::new(crate::graph::token::StaticToken::new(
                crate::secret::Secret::new(access.expose()),
                false,
            )),
        )
    }

    fn request(subject: &str) -> MeetingRequest {
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
            .unwrap();
        let end = start + chrono::Duration::minutes(30);
        MeetingRequest::new(subject, &start, &end, true, None).unwrap()
    }

    /// A calendar meeting made through the product's service and kept in the history, as
    /// a create in the form leaves it.
    async fn recorded_event(
        client: &GraphClient,
        history: &History,
        req: crate::calendar::EventRequest,
    ) -> crate::services::calendar::CreatedEvent {
        let created = crate::services::calendar::create_event(
            client,
            &Target::Me,
            &req,
            &crate::calendar::OutlookZone::utc(),
            &|_| {},
        )
        .await
        .unwrap();
        assert_eq!(history.record_event(req, created.clone()).await, None);
        created
    }

    async fn job(history: &History, client: &GraphClient, work: MeetingsJob) -> Action {
        let (tx, mut rx) = unbounded_channel();
        let action = run(
            history.clone(),
            Some(client.clone()),
            Target::Me,
            chrono_tz::UTC,
            work,
            tx,
        )
        .await;
        assert!(rx.try_recv().is_err(), "one job, one answer");
        action
    }

    /// A row made under another sign-in is refused naming both accounts, and nothing is
    /// sent: the service could only answer 404 ("Organizer Id mismatch"), which a delete
    /// would take for "already gone".
    #[tokio::test]
    async fn a_row_of_another_account_is_refused_naming_it() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (adele, _) = setup(&emu);
        let megan = "MeganB@contoso.onmicrosoft.com";
        let history = History::in_memory(Account {
            cloud: "global".into(),
            tenant: "organizations".into(),
            client_id: None,
            target: "me".into(),
            upn: Some(megan.into()),
        });
        let made = crate::services::online_meeting::create(
            &adele,
            &Target::Me,
            &request("Adele's"),
            &|_| {},
        )
        .await
        .unwrap();
        assert_eq!(
            history.record(request("Adele's"), made.created.raw).await,
            None
        );
        let requests = emu.graph_request_count();
        for work in [
            MeetingsJob::Delete {
                job: 1,
                id: 1,
                part: SeriesPart::All,
            },
            MeetingsJob::Edit {
                job: 1,
                id: 1,
                part: SeriesPart::All,
            },
        ] {
            let action = job(&history, &adele, work).await;
            let Action::Meetings(MeetingsAction::Failed { error, .. }) = action else {
                panic!("{action:?}");
            };
            assert!(
                error.contains(&format!(
                    "was made with {}; you are signed in as {megan}",
                    tmeet_emulator::DEMO_USER_UPN
                )),
                "{error}"
            );
        }
        assert_eq!(emu.graph_request_count(), requests, "nothing was sent");
        assert_eq!(emu.meeting_count(), 1);
    }

    /// A sign-in made before calendar mode was first used has no Calendars.ReadWrite: the
    /// event's DELETE is refused with 403, which is a permission to grant, not a licence.
    #[tokio::test]
    async fn deleting_an_event_without_the_calendar_permission_asks_for_it() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (_, history) = setup(&emu);
        let client = |scope: &str| client_with(&emu, scope);
        let full = client("OnlineMeetings.ReadWrite Calendars.ReadWrite User.Read");
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
            .unwrap();
        let meeting = MeetingRequest::new(
            "Cal",
            &start,
            &(start + chrono::Duration::minutes(30)),
            false,
            None,
        )
        .unwrap();
        let invitee = crate::calendar::Invitee::parse("adele@contoso.com").unwrap();
        let req = crate::calendar::EventRequest::new(
            meeting,
            vec![invitee],
            None,
            None,
            crate::calendar::new_transaction_id(),
        )
        .unwrap();
        recorded_event(&full, &history, req).await;
        let narrow = client("OnlineMeetings.ReadWrite User.Read");
        let events = emu.event_count();
        let action = job(
            &history,
            &narrow,
            MeetingsJob::Delete {
                job: 3,
                id: 1,
                part: SeriesPart::All,
            },
        )
        .await;
        let Action::Meetings(MeetingsAction::NeedsPermission { job: 3, feature }) = action else {
            panic!("{action:?}");
        };
        assert_eq!(feature, crate::permissions::Feature::Invite);
        assert_eq!(emu.event_count(), events, "nothing was deleted");
    }

    /// An account whose mailbox Graph cannot reach: deleting its event is neither "already
    /// gone" (the 404) nor a permission to ask for (the 403); the row stays.
    #[tokio::test]
    async fn deleting_an_event_without_a_mailbox_says_so_and_keeps_the_row() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (_, history) = setup(&emu);
        let full = client_with(
            &emu,
            "OnlineMeetings.ReadWrite Calendars.ReadWrite User.Read",
        );
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
            .unwrap();
        let meeting = MeetingRequest::new(
            "Cal",
            &start,
            &(start + chrono::Duration::minutes(30)),
            false,
            None,
        )
        .unwrap();
        let invitee = crate::calendar::Invitee::parse("adele@contoso.com").unwrap();
        let req = crate::calendar::EventRequest::new(
            meeting,
            vec![invitee],
            None,
            None,
            crate::calendar::new_transaction_id(),
        )
        .unwrap();
        recorded_event(&full, &history, req).await;
        emu.set_mailbox_modes("mailbox=none".parse().unwrap());
        let action = job(
            &history,
            &full,
            MeetingsJob::Delete {
                job: 4,
                id: 1,
                part: SeriesPart::All,
            },
        )
        .await;
        let Action::Meetings(MeetingsAction::Failed { job: 4, error }) = &action else {
            panic!("{action:?}");
        };
        assert!(error.contains("no Exchange Online mailbox"), "{error}");
        let row = history
            .with(|s, _| Ok::<_, String>(s.get(1)))
            .await
            .unwrap()
            .unwrap();
        assert_ne!(row.state, history::State::Deleted, "the row stays");
    }

    /// A calendar meeting edited from My meetings: the form opens in calendar mode with
    /// the event as the service has it; what cannot be sent is refused as it is typed;
    /// Ctrl+S sends the subject, the invitees, an invitation field and an option through
    /// `tmeet update`'s service, and the service, the invitees' mail and the history agree.
    #[tokio::test]
    async fn a_calendar_meeting_edited_in_the_form_reaches_the_event_its_meeting_and_invitees() {
        use crate::tui::app::{Effect, Intent, Screen, update};
        use crate::tui::form_state::{Field, Mode};
        const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (_, history) = setup(&emu);
        let client = client_with(
            &emu,
            "OnlineMeetings.ReadWrite Calendars.ReadWrite User.ReadBasic.All",
        );
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
            .unwrap();
        let meeting = MeetingRequest::new(
            "Cal",
            &start,
            &(start + chrono::Duration::minutes(30)),
            false,
            None,
        )
        .unwrap();
        let req = crate::calendar::EventRequest::new(
            meeting,
            crate::calendar::parse_invitees("adele@contoso.com").unwrap(),
            Some("Agenda: numbers".into()),
            Some("Room 4".into()),
            crate::calendar::new_transaction_id(),
        )
        .unwrap();
        let created = recorded_event(&client, &history, req).await;
        let event_id = created.event.id.clone();
        let join = created.event.join_url.clone().unwrap();
        let mailed = emu.sent_mail().len();

        let mut m = crate::tui::app::tests::model();
        let settle = async |m: &mut crate::tui::app::Model, mut effects: Vec<Effect>| {
            while let Some(effect) = effects.pop() {
                if let Effect::Meetings(work) = effect {
                    let action = job(&history, &client, work).await;
                    effects.extend(update(m, action));
                }
            }
        };
        let effects = update(&mut m, Action::Intent(Intent::MyMeetings));
        settle(&mut m, effects).await;
        let effects = update(&mut m, Action::Intent(Intent::Edit));
        settle(&mut m, effects).await;
        assert_eq!(m.screen, Screen::Form, "{:?}", m.status);
        let f = &m.form;
        assert_eq!(f.mode, Mode::Calendar);
        assert_eq!(f.subject.value(), "Cal");
        assert_eq!(f.attendees.value(), "adele@contoso.com");
        assert_eq!(f.message.value(), "Agenda: numbers");
        assert_eq!(f.location.value(), "Room 4");
        assert!(
            m.status
                .as_ref()
                .is_some_and(|s| s.text.contains("tells the invitees")),
            "{:?}",
            m.status
        );
        // The message is not sent by an edit: typing there is refused, and said.
        m.form.focus = Field::Message;
        crate::tui::app::tests::type_text(&mut m, "x");
        assert_eq!(m.form.message.value(), "Agenda: numbers");
        assert!(
            m.status
                .as_ref()
                .is_some_and(|s| s.text.contains("changed in Outlook")),
            "{:?}",
            m.status
        );
        // Nothing changed yet: nothing to send.
        let effects = update(&mut m, Action::Intent(Intent::Submit));
        assert!(effects.is_empty(), "{effects:?}");
        assert!(
            m.status
                .as_ref()
                .unwrap()
                .text
                .starts_with("Nothing to save")
        );
        // A field in red stops the save, in an edit's words.
        m.form.attendees = tui_input::Input::new("adele@contoso.com, x".into());
        assert!(update(&mut m, Action::Intent(Intent::Submit)).is_empty());
        assert_eq!(
            m.status.as_ref().unwrap().text,
            "Not saved: fix Attendees (in red)."
        );

        m.form.subject = tui_input::Input::new("Cal B".into());
        m.form.attendees = tui_input::Input::new(format!("adele@contoso.com, {MEGAN}:optional"));
        m.form.invitation.set("show-as", "tentative").unwrap();
        m.form.options.set("lobby", "everyone").unwrap();
        let requests = emu.graph_request_count();
        let effects = update(&mut m, Action::Intent(Intent::Submit));
        let [Effect::Meetings(MeetingsJob::UpdateEvent { change, .. })] = effects.as_slice() else {
            panic!("{effects:?} {:?}", m.status);
        };
        assert!(change.times.is_none(), "the times did not move");
        settle(&mut m, effects).await;
        assert!(emu.graph_request_count() > requests);
        assert_eq!(m.screen, Screen::Result, "{:?}", m.error);
        let status = m.status.as_ref().unwrap().text.clone();
        assert_eq!(
            status,
            "Saved at the service and in My meetings: subject, invitees, Show as, Who can \
             bypass the lobby; 2 people told by the service."
        );
        assert!(m.editing.is_none(), "the edit ended");

        let event = emu.stored_event(&event_id).unwrap();
        assert_eq!(event["subject"], "Cal B");
        assert_eq!(event["showAs"], "tentative");
        let mut to: Vec<String> = event["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_lowercase())
            .collect();
        to.sort();
        assert_eq!(to, ["adele@contoso.com", &MEGAN.to_lowercase()]);
        let lobby = emu
            .stored_meetings()
            .into_iter()
            .find(|o| o["joinWebUrl"] == join.as_str())
            .map(|o| o["lobbyBypassSettings"]["scope"].clone());
        assert_eq!(lobby, Some(serde_json::json!("everyone")));
        let mut mail: Vec<(String, String)> = emu
            .sent_mail()
            .into_iter()
            .skip(mailed)
            .map(|m| (m.recipient.to_lowercase(), m.kind))
            .collect();
        mail.sort();
        assert_eq!(
            mail,
            [
                ("adele@contoso.com".to_string(), "update".to_string()),
                (MEGAN.to_lowercase(), "update".to_string()),
            ],
            "each invitee hears of it once"
        );
        let row = history
            .with(|s, _| Ok::<_, String>(s.get(1)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.subject.as_deref(), Some("Cal B"));
        assert_eq!(row.attendees.as_array().map(Vec::len), Some(2));
        // Saved by a sign-in without the calendar permission: the form's job asks for it.
        let narrow = client_with(&emu, "OnlineMeetings.ReadWrite User.Read");
        let save = MeetingsJob::UpdateEvent {
            job: 9,
            id: 1,
            change: Box::new(EventChange {
                subject: Some("Cal C".into()),
                ..EventChange::default()
            }),
            series: None,
        };
        let action = job(&history, &narrow, save).await;
        assert!(
            matches!(
                action,
                Action::ConsentNeeded {
                    job: 9,
                    feature: crate::permissions::Feature::Invite
                }
            ),
            "{action:?}"
        );
        assert_eq!(emu.stored_event(&event_id).unwrap()["subject"], "Cal B");
        let read = MeetingsJob::Edit {
            job: 10,
            id: 1,
            part: SeriesPart::All,
        };
        let action = job(&history, &narrow, read).await;
        assert!(
            matches!(
                action,
                Action::Meetings(MeetingsAction::NeedsPermission { job: 10, .. })
            ),
            "{action:?}"
        );
        emu.shutdown().await;
    }

    /// A series edited from My meetings: `e` asks which meetings, and each answer goes
    /// through the same services as `tmeet update --occurrence`, `--series` and `--from`.
    #[tokio::test]
    async fn a_series_edited_in_the_form_changes_the_meetings_asked_for() {
        use crate::calendar::recurrence::{Series, parse};
        use crate::tui::app::{Effect, Intent, Overlay, Screen, update};
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (_, history) = setup(&emu);
        let client = client_with(
            &emu,
            "OnlineMeetings.ReadWrite Calendars.ReadWrite User.ReadBasic.All",
        );
        // Weekly from a week ago: its next meeting is not its first.
        let day = (chrono::Utc::now() - chrono::Duration::days(7)).date_naive();
        let start = chrono_tz::UTC
            .from_local_datetime(&day.and_hms_opt(9, 30, 0).unwrap())
            .unwrap();
        let end = start + chrono::Duration::minutes(15);
        let meeting = MeetingRequest::new("Stand-up", &start, &end, false, None).unwrap();
        let series =
            Series::new(parse("weekly for 6").unwrap(), &start, &end, chrono_tz::UTC).unwrap();
        let req = crate::calendar::EventRequest::new(
            meeting,
            crate::calendar::parse_invitees("adele@contoso.com").unwrap(),
            None,
            None,
            crate::calendar::new_transaction_id(),
        )
        .unwrap()
        .repeating(series)
        .unwrap();
        let created = recorded_event(&client, &history, req).await;
        let master = created.event.id.clone();
        let subjects = async || {
            let page = client
                .event_instances(
                    &Target::Me,
                    &master,
                    (start - chrono::Duration::days(1)).with_timezone(&chrono::Utc),
                    (start + chrono::Duration::days(60)).with_timezone(&chrono::Utc),
                )
                .await
                .unwrap();
            page.items
                .iter()
                .map(|i| i["subject"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        };

        let mut m = crate::tui::app::tests::model();
        let settle = async |m: &mut crate::tui::app::Model, mut effects: Vec<Effect>| {
            while let Some(effect) = effects.pop() {
                if let Effect::Meetings(work) = effect {
                    let action = job(&history, &client, work).await;
                    effects.extend(update(m, action));
                }
            }
        };
        // `e`, then which meetings; the form opens on them.
        let open = async |m: &mut crate::tui::app::Model, part: SeriesPart| {
            m.screen = Screen::Form;
            let effects = update(m, Action::Intent(Intent::MyMeetings));
            settle(m, effects).await;
            let rows: Vec<_> = m.meetings.rows.iter().map(|r| r.id).collect();
            m.meetings.selected = rows.iter().position(|id| *id == 1).unwrap();
            assert!(update(m, Action::Intent(Intent::Edit)).is_empty());
            assert!(
                matches!(m.overlay, Overlay::EditSeries(1)),
                "{:?}",
                m.overlay
            );
            let asked = crate::tui::app::delete_question(m).unwrap();
            assert!(asked.contains(" on (a new series)"), "{asked}");
            let effects = update(m, Action::Intent(Intent::EditPart(part)));
            settle(m, effects).await;
            assert_eq!(m.screen, Screen::Form, "{:?}", m.status);
            let rule = m.form.repeats.value();
            assert!(
                rule.starts_with("weekly") && rule.ends_with("for 6"),
                "{rule}"
            );
        };
        let save = async |m: &mut crate::tui::app::Model, subject: &str| {
            m.form.subject = tui_input::Input::new(subject.into());
            let effects = update(m, Action::Intent(Intent::Submit));
            assert!(
                matches!(
                    effects.as_slice(),
                    [Effect::Meetings(MeetingsJob::UpdateEvent { .. })]
                ),
                "{effects:?} {:?}",
                m.status
            );
            settle(m, effects).await;
            assert_eq!(m.screen, Screen::Result, "{:?}", m.error);
            m.status.as_ref().unwrap().text.clone()
        };

        // The next meeting alone: it becomes an exception, the rest stay.
        open(&mut m, SeriesPart::Next).await;
        assert!(
            m.status
                .as_ref()
                .unwrap()
                .text
                .starts_with("Editing the meeting of"),
            "{:?}",
            m.status
        );
        let said = save(&mut m, "Only this").await;
        assert!(said.contains("the meeting of"), "{said}");
        let now = subjects().await;
        assert_eq!(
            now.iter().filter(|s| *s == "Only this").count(),
            1,
            "{now:?}"
        );
        assert_eq!(now.len(), 6);
        let row = history
            .with(|s, _| Ok::<_, String>(s.get(1)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.series.as_ref().unwrap()["changes"][0]["what"],
            "changed",
            "{:?}",
            row.series
        );

        // Every meeting.
        open(&mut m, SeriesPart::All).await;
        save(&mut m, "Renamed").await;
        assert_eq!(emu.stored_event(&master).unwrap()["subject"], "Renamed");

        // From the next one on: the series ends before it and a new one begins there.
        open(&mut m, SeriesPart::FromNext).await;
        let said = save(&mut m, "Later").await;
        assert!(said.contains("a new series, ref 2,"), "{said}");
        let old = subjects().await;
        assert!(old.len() < 6 && !old.is_empty(), "{old:?}");
        let row = history
            .with(|s, _| Ok::<_, String>(s.get(2)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.subject.as_deref(), Some("Later"));
        emu.shutdown().await;
    }

    /// Every patchable option through each of its values, and every attendee role, each
    /// typed into the form's edit with its keys and saved: what the PATCH sent (the saved
    /// line), what the service has, what the screen says and what the history holds agree.
    #[tokio::test]
    async fn every_option_and_role_edited_in_the_form_reaches_the_service_and_the_history() {
        use crate::meeting::attendees::Role;
        use crate::meeting::options::{Choices, Observed, SPECS};
        use crate::tui::app::{Effect, Intent, Screen, update};
        use crate::tui::form_state::Field;
        const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (_, history) = setup(&emu);
        let client = client_with(&emu, "OnlineMeetings.ReadWrite User.ReadBasic.All");
        let created = client
            .create_meeting(&Target::Me, &request("Walk"), &|_| {})
            .await
            .unwrap();
        assert_eq!(
            history.record(request("Walk"), created.raw.clone()).await,
            None
        );

        let mut m = crate::tui::app::tests::model();
        // Carries out what the model asks of the worker until it asks nothing more.
        async fn settle(
            m: &mut crate::tui::app::Model,
            mut effects: Vec<Effect>,
            history: &History,
            client: &GraphClient,
        ) {
            while let Some(effect) = effects.pop() {
                let Effect::Meetings(work) = effect else {
                    continue;
                };
                let action = job(history, client, work).await;
                effects.extend(update(m, action));
            }
        }
        // From wherever the model is: My meetings, the one row, `e`, the meeting read.
        async fn open_edit(
            m: &mut crate::tui::app::Model,
            history: &History,
            client: &GraphClient,
        ) {
            let effects = update(m, Action::Intent(Intent::MyMeetings));
            settle(m, effects, history, client).await;
            assert_eq!(m.meetings.rows.len(), 1);
            let effects = update(m, Action::Intent(Intent::Edit));
            settle(m, effects, history, client).await;
            assert!(m.editing.is_some(), "{:?}", m.status);
            assert_eq!(m.screen, Screen::Form);
        }
        // Ctrl+S, the worker's PATCH, and what each side holds afterwards.
        async fn save(
            m: &mut crate::tui::app::Model,
            history: &History,
            client: &GraphClient,
            what: &str,
        ) -> (serde_json::Value, Entry) {
            let effects = update(m, Action::Intent(Intent::Submit));
            assert!(
                matches!(
                    effects.as_slice(),
                    [Effect::Meetings(MeetingsJob::Update { .. })]
                ),
                "{what}: {effects:?} {:?}",
                m.status
            );
            settle(m, effects, history, client).await;
            assert_eq!(m.screen, Screen::Result, "{what}: {:?}", m.error);
            let status = m
                .status
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default();
            assert_eq!(
                status,
                format!("Saved at the service and in My meetings: {what}."),
                "the screen names what was sent"
            );
            let result = m.result.as_ref().unwrap();
            assert!(
                result.tenant_changed.is_empty(),
                "{what}: {:?}",
                result.tenant_changed
            );
            let entry = history
                .with(|s, _| s.get(1).map_err(|e| e.to_string()))
                .await
                .unwrap();
            let at_service = client
                .fetch_meeting(&Target::Me, &entry.graph_id)
                .await
                .unwrap()
                .raw;
            (at_service, entry)
        }

        // Roles: Megan added, then each role in turn with Ctrl+R.
        open_edit(&mut m, &history, &client).await;
        while m.form.focus != Field::Attendees {
            update(&mut m, Action::Intent(Intent::NextField));
        }
        crate::tui::app::tests::type_text(&mut m, MEGAN);
        let (service, entry) = save(&mut m, &history, &client, "attendees").await;
        let role_of = |v: &serde_json::Value| {
            v.pointer("/participants/attendees/0/role")
                .or_else(|| v.pointer("/0/role"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        assert_eq!(role_of(&service).as_deref(), Some("attendee"));
        assert_eq!(role_of(&entry.attendees).as_deref(), Some("attendee"));
        for role in [
            Role::Presenter,
            Role::Coorganizer,
            Role::Attendee,
            Role::Presenter,
        ] {
            open_edit(&mut m, &history, &client).await;
            while m.form.focus != Field::Attendees {
                update(&mut m, Action::Intent(Intent::NextField));
            }
            update(&mut m, Action::Intent(Intent::CycleRole));
            let (service, entry) = save(&mut m, &history, &client, "attendees").await;
            assert_eq!(role_of(&service).as_deref(), Some(role.graph()), "{role}");
            assert_eq!(
                role_of(&entry.attendees).as_deref(),
                Some(role.graph()),
                "{role}"
            );
        }

        // Options: every value of every option that a PATCH may change, one save each.
        for (i, spec) in SPECS.iter().enumerate().filter(|(_, s)| s.patchable) {
            for _ in 0..spec.choices.len() {
                open_edit(&mut m, &history, &client).await;
                while m.form.focus != Field::Options {
                    update(&mut m, Action::Intent(Intent::NextField));
                }
                update(&mut m, Action::Intent(Intent::OptionNext)); // opens the section
                for _ in 0..i {
                    update(&mut m, Action::Intent(Intent::OptionDown));
                }
                update(&mut m, Action::Intent(Intent::OptionNext));
                let chosen = m.form.options.get(i).unwrap();
                let before = client
                    .fetch_meeting(&Target::Me, &created.meeting.id.clone().unwrap())
                    .await
                    .unwrap()
                    .raw;
                let (service, entry) = save(&mut m, &history, &client, spec.label).await;
                for other in SPECS.iter().filter(|o| o.key != spec.key) {
                    assert_eq!(
                        other.read(&service),
                        other.read(&before),
                        "{} changed with {}",
                        other.key,
                        spec.key
                    );
                }
                let name = spec.choices[chosen].name;
                assert_eq!(
                    spec.read(&service),
                    Observed::Choice(chosen),
                    "{}={name} at the service",
                    spec.key
                );
                assert_eq!(
                    spec.read(&entry.options_asked),
                    Observed::Choice(chosen),
                    "{}={name} asked, in the history",
                    spec.key
                );
                assert_eq!(
                    spec.read(&entry.options_set),
                    Observed::Choice(chosen),
                    "{}={name} set, in the history",
                    spec.key
                );
                // The other settings of the same object were kept (sent whole).
                assert_eq!(role_of(&service).as_deref(), Some("presenter"));
            }
        }
    }

    /// The form's save answered 500: read back, it is saved with a note when the meeting
    /// shows the change, and "Nothing was changed" (the outcome table's words) when not.
    #[tokio::test]
    async fn a_save_answered_500_is_told_by_what_the_meeting_shows() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (client, history) = setup(&emu);
        let created = client
            .create_meeting(&Target::Me, &request("Plan"), &|_| {})
            .await
            .unwrap();
        assert_eq!(
            history.record(request("Plan"), created.raw.clone()).await,
            None
        );
        let rename = |to: &str| Change {
            subject: Some(to.into()),
            ..Change::default()
        };
        emu.push_fault("500-after-patch".parse().unwrap());
        let update = |job_id: u64, to: &str| MeetingsJob::Update {
            job: job_id,
            id: 1,
            change: rename(to),
        };
        let action = job(&history, &client, update(1, "Saved")).await;
        let Action::Meetings(MeetingsAction::Updated {
            warning: Some(w), ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert!(w.contains("every change was saved"), "{w}");
        emu.push_fault("500".parse().unwrap());
        let action = job(&history, &client, update(2, "Lost")).await;
        let Action::Failed { error, .. } = action else {
            panic!("{action:?}");
        };
        assert_eq!(error.title, "Nothing was changed");
        assert!(
            error.message.contains("not saved: subject"),
            "{}",
            error.message
        );
        assert_eq!(emu.stored_meetings()[0]["subject"], "Saved");
    }

    #[tokio::test]
    async fn edit_and_delete_change_the_service_and_the_history() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (client, history) = setup(&emu);
        let created = client
            .create_meeting(&Target::Me, &request("Plan"), &|_| {})
            .await
            .unwrap();
        assert_eq!(
            history.record(request("Plan"), created.raw.clone()).await,
            None
        );
        let id = created.meeting.id.clone().unwrap();

        // Edit: the meeting read from the service, then the change as a PATCH, seen at the
        // service and in the history.
        let edit = MeetingsJob::Edit {
            job: 6,
            id: 1,
            part: SeriesPart::All,
        };
        let action = job(&history, &client, edit).await;
        let Action::Meetings(MeetingsAction::EditReady { job: 6, id: 1, was }) = action else {
            panic!("{action:?}");
        };
        assert_eq!(was.subject, "Plan");
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 2, 9, 0, 0)
            .unwrap();
        let wanted = crate::services::online_meeting::Edited {
            subject: "Plan B".into(),
            start: start.fixed_offset(),
            end: (start + chrono::Duration::hours(1)).fixed_offset(),
            attendees: was.attendees.clone(),
            options: was.options.clone(),
        };
        let change = Change::between(&was, &wanted);
        let action = job(
            &history,
            &client,
            MeetingsJob::Update {
                job: 7,
                id: 1,
                change,
            },
        )
        .await;
        let Action::Meetings(MeetingsAction::Updated {
            job: 7,
            result,
            saved,
            note: None,
            ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert_eq!(saved, "subject, start and end");
        assert_eq!(result.subject, "Plan B");
        let at_service = client.fetch_meeting(&Target::Me, &id).await.unwrap();
        assert_eq!(at_service.meeting.subject.as_deref(), Some("Plan B"));
        let entry = history
            .with(|s, _| s.get(1).map_err(|e| e.to_string()))
            .await
            .unwrap();
        assert_eq!(entry.subject.as_deref(), Some("Plan B"));
        assert_eq!(
            entry.start.map(|t| t.to_rfc3339()),
            Some("2037-12-02T09:00:00+00:00".into())
        );

        // Open: read again from Graph, so the passcode the history does not keep is there.
        let action = job(&history, &client, MeetingsJob::Open { job: 8, id: 1 }).await;
        let Action::Meetings(MeetingsAction::Opened {
            result, note: None, ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert!(result.passcode.is_some());

        // Delete: gone at the service, marked in the history, the list read again.
        let action = job(
            &history,
            &client,
            MeetingsJob::Delete {
                job: 9,
                id: 1,
                part: SeriesPart::All,
            },
        )
        .await;
        let Action::Meetings(MeetingsAction::Loaded {
            rows,
            note: Some(note),
            ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert!(note.starts_with("Deleted"), "{note}");
        assert_eq!(rows[0].mark, "[deleted] ");
        assert_eq!(emu.meeting_count(), 0);

        // Opened after that: the history's copy, said so, without a passcode.
        let action = job(&history, &client, MeetingsJob::Open { job: 10, id: 1 }).await;
        let Action::Meetings(MeetingsAction::Opened {
            result,
            note: Some(note),
            ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert!(note.contains("Deleted at the service"), "{note}");
        assert_eq!(result.passcode, None);
        assert_eq!(result.subject, "Plan B");
    }

    #[tokio::test]
    async fn a_calendar_meeting_is_recorded_with_its_event_and_deleting_it_tells_the_attendees() {
        use crate::calendar::{EventRequest, parse_invitees};
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let client = client_with(
            &emu,
            "https://graph.microsoft.com/OnlineMeetings.ReadWrite https://graph.microsoft.com/Calendars.ReadWrite",
        );
        let (_, history) = setup(&emu);
        let start = chrono_tz::UTC
            .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
            .unwrap();
        let meeting = MeetingRequest::new(
            "Review",
            &start,
            &(start + chrono::Duration::minutes(30)),
            false,
            None,
        )
        .unwrap();
        let invitees =
            parse_invitees("MeganB@contoso.onmicrosoft.com, AlexW@contoso.onmicrosoft.com")
                .unwrap();
        let req = EventRequest::new(
            meeting,
            invitees,
            None,
            None,
            crate::calendar::new_transaction_id(),
        )
        .unwrap();
        let created = recorded_event(&client, &history, req).await;
        let action = job(&history, &client, MeetingsJob::Load { job: 1 }).await;
        let Action::Meetings(MeetingsAction::Loaded { rows, .. }) = action else {
            panic!("{action:?}");
        };
        assert_eq!(rows[0].kind, "event");
        let action = job(
            &history,
            &client,
            MeetingsJob::Delete {
                job: 2,
                id: rows[0].id,
                part: SeriesPart::All,
            },
        )
        .await;
        let Action::Meetings(MeetingsAction::Loaded {
            rows,
            note: Some(note),
            ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert!(note.starts_with("Deleted"), "{note}");
        assert_eq!(rows[0].mark, "[deleted] ");
        let told: Vec<_> = emu
            .sent_mail()
            .into_iter()
            .filter(|m| m.kind == "cancellation" && m.event_id == created.event.id)
            .collect();
        assert_eq!(
            told.len(),
            2,
            "the event was deleted, not only its meeting: {told:?}"
        );
    }

    #[tokio::test]
    async fn refresh_marks_what_changed_elsewhere() {
        let emu = tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let (client, history) = setup(&emu);
        for subject in ["Kept", "Renamed"] {
            let created = client
                .create_meeting(&Target::Me, &request(subject), &|_| {})
                .await
                .unwrap();
            history.record(request(subject), created.raw).await;
        }
        let renamed = history
            .with(|s, _| s.get(2).map_err(|e| e.to_string()))
            .await
            .unwrap();
        client
            .patch_meeting(
                &Target::Me,
                &renamed.graph_id,
                &serde_json::json!({"subject": "Renamed in Teams"}),
                &|_| {},
            )
            .await
            .unwrap();
        let action = job(&history, &client, MeetingsJob::Refresh { job: 1 }).await;
        let Action::Meetings(MeetingsAction::Loaded {
            rows,
            note: Some(note),
            ..
        }) = action
        else {
            panic!("{action:?}");
        };
        assert_eq!(
            note,
            "Checked 2 with Graph: 0 deleted elsewhere, 1 changed elsewhere."
        );
        let marks: Vec<(&str, &str)> = rows.iter().map(|r| (r.mark, r.subject.as_str())).collect();
        assert_eq!(
            marks,
            [("", "Kept"), ("[changed elsewhere] ", "Renamed in Teams")]
        );
    }

    #[tokio::test]
    async fn without_a_history_the_screen_is_told_why() {
        let history = History {
            store: Err("the meeting history is off".into()),
            account: Account {
                cloud: "global".into(),
                tenant: "organizations".into(),
                client_id: None,
                target: "me".into(),
                upn: None,
            },
            auth: None,
        };
        let (tx, _rx) = unbounded_channel();
        let answer = run(
            history.clone(),
            None,
            Target::Me,
            chrono_tz::UTC,
            MeetingsJob::Load { job: 3 },
            tx,
        )
        .await;
        let Action::Meetings(MeetingsAction::Unavailable { job: 3, why }) = answer else {
            panic!("no Unavailable");
        };
        assert!(why.contains("off"));
        // And a create is not held up or nagged about it: the choice was the person's.
        assert_eq!(
            history.record(request("x"), serde_json::json!({})).await,
            None
        );
    }
}
