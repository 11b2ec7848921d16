//! Planning across time zones, for the commands and the form alike (GRAPH-NEXT §6):
//! free/busy with each person's working hours in their own zone, suggestions with each
//! invitee's local time and whether it lies in their hours, my mailbox's settings read
//! once per sign-in when MailboxSettings.Read was granted, and my free times to share.

use super::calendar::{CalendarError, organizer_address, schedules};
use crate::auth::Auth;
use crate::calendar::availability::{self, MAX_SCHEDULES};
use crate::calendar::free_times::{self, Span};
use crate::calendar::hours::{PersonHours, Schedules, WorkingHours};
use crate::calendar::mailbox::MyMailbox;
use crate::calendar::suggestions::{self, Suggestions, WithinHours};
use crate::calendar::zone::OutlookZone;
use crate::graph::client::{GraphClient, Target};
use crate::permissions::{Feature, MAILBOX_SETTINGS_ACCEPTED};
use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// My mailbox's zone, working hours and formats: kept with the sign-in after the first
/// read. None for app-only credentials, when MailboxSettings.Read was not granted (it is
/// never asked for here: getSchedule's working hours stand in), or when the read failed
/// (asked again next time).
pub async fn my_mailbox(client: &GraphClient, auth: &Auth) -> Option<MyMailbox> {
    if client.is_app_only() || !auth.has_any_scope(MAILBOX_SETTINGS_ACCEPTED) {
        return None;
    }
    let read = async || match client.mailbox_settings(&Target::Me).await {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::info!("the mailbox settings could not be read: {e}");
            None
        }
    };
    auth.mailbox_settings(read)
        .await
        .map(|s| MyMailbox::from_settings(&s))
}

/// The names of my mailbox's categories (GRAPH-NEXT §5), for completing the invitation's
/// categories. None, and nothing asked, when MailboxSettings.Read was not granted (it is
/// never asked for for this: categories are then free text) or for app-only credentials;
/// None too when the read failed.
pub async fn my_categories(client: &GraphClient, auth: &Auth) -> Option<Vec<String>> {
    if client.is_app_only() || !auth.has_any_scope(MAILBOX_SETTINGS_ACCEPTED) {
        return None;
    }
    match client.master_categories(&Target::Me).await {
        Ok(names) => Some(names),
        Err(e) => {
            tracing::info!("the mailbox's categories could not be read: {e}");
            None
        }
    }
}

/// A day (or window) of free/busy across zones: [`schedules`] with my own hours from my
/// mailbox's settings where they could be read (`me` names my row).
#[derive(Debug, Clone)]
pub struct ZonedDay {
    pub schedules: Schedules,
    pub mine: Option<MyMailbox>,
}

/// [`schedules`], my row's hours replaced by my mailbox's when they are known.
#[allow(clippy::too_many_arguments)]
pub async fn day_across_zones(
    client: &GraphClient,
    auth: &Auth,
    target: &Target,
    people: &[String],
    me: Option<&str>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    interval_minutes: u32,
    zone: &OutlookZone,
) -> Result<ZonedDay, CalendarError> {
    let mut found = schedules(client, target, people, start, end, interval_minutes, zone).await?;
    let mine = my_mailbox(client, auth).await;
    if let (Some(me), Some(hours)) = (me, mine.as_ref().and_then(|m| m.working_hours.clone())) {
        found.set_hours(me, hours);
    }
    Ok(ZonedDay {
        schedules: found,
        mine,
    })
}

/// Suggestions with everyone's working hours: the organizer's first, then each
/// attendee's, in the order asked (None where the service gave none).
#[derive(Debug, Clone)]
pub struct ZonedSuggestions {
    pub suggestions: Suggestions,
    pub organizer: Option<PersonHours>,
    pub attendees: Vec<PersonHours>,
    pub within: WithinHours,
    /// For a meeting that repeats: per suggestion, its series' next meetings and who is
    /// not free at each (`crate::services::series::check_later`); empty otherwise.
    pub later: Vec<Vec<crate::services::series::Clash>>,
}

impl From<Suggestions> for ZonedSuggestions {
    /// Suggestions with nobody's working hours known.
    fn from(suggestions: Suggestions) -> Self {
        ZonedSuggestions {
            suggestions,
            organizer: None,
            attendees: Vec::new(),
            within: WithinHours::All,
            later: Vec::new(),
        }
    }
}

/// Suggested times of `duration` for `attendees` within `window`, kept within the working
/// hours `within` names (see [`WithinHours`]); `outside_hours` searches all hours instead.
/// The hours come from getSchedule over the same window (my own from my mailbox's
/// settings where they could be read); if that call fails the suggestions still come,
/// with nobody's hours known.
#[allow(clippy::too_many_arguments)]
pub async fn suggest_across_zones(
    client: &GraphClient,
    auth: &Auth,
    target: &Target,
    attendees: &[String],
    duration: Duration,
    window: (DateTime<Utc>, DateTime<Utc>),
    zone: &OutlookZone,
    within: WithinHours,
    outside_hours: bool,
) -> Result<ZonedSuggestions, CalendarError> {
    let me = organizer_address(client, auth).await;
    let people = availability::organizer_first(me.clone(), attendees);
    let mut known: Vec<PersonHours> = people
        .iter()
        .map(|who| PersonHours {
            who: crate::sanitize::line(who),
            hours: None,
        })
        .collect();
    if !people.is_empty()
        && people.len() <= MAX_SCHEDULES
        && window.1 - window.0 <= Duration::days(31)
    {
        // One cell a day: only the working hours are wanted here.
        match schedules(client, target, &people, window.0, window.1, 1440, zone).await {
            Ok(s) => known = s.hours,
            Err(e) => tracing::info!("working hours for the suggestions could not be read: {e}"),
        }
    }
    let mine = my_mailbox(client, auth).await;
    let organizer_row = me
        .as_ref()
        .and_then(|m| known.iter().position(|p| p.who.eq_ignore_ascii_case(m)));
    let mut organizer = organizer_row.map(|i| known.remove(i));
    if let (Some(o), Some(h)) = (organizer.as_mut(), mine.and_then(|m| m.working_hours)) {
        o.hours = Some(h);
    }
    let organizer_hours = organizer.as_ref().and_then(|o| o.hours.clone());
    let found = match (within, outside_hours, organizer_hours) {
        (WithinHours::Organizer, false, Some(h)) if h.zone.is_some() => {
            let spans = h.spans(window.0, window.1);
            let mut s = if spans.is_empty() {
                // The window holds none of the organizer's hours: the service would say
                // so the same way for a `work` search of it.
                super::calendar::suggest(client, target, attendees, duration, window, zone, false)
                    .await?
            } else {
                find(
                    client,
                    target,
                    attendees,
                    duration,
                    &spans,
                    zone,
                    "unrestricted",
                )
                .await?
            };
            // Searched within my hours only: "organizer unavailable" means busy there.
            s.outside_hours = false;
            s
        }
        _ => {
            super::calendar::suggest(
                client,
                target,
                attendees,
                duration,
                window,
                zone,
                outside_hours,
            )
            .await?
        }
    };
    let attendees = attendees
        .iter()
        .map(|a| {
            known
                .iter()
                .find(|p| p.who.eq_ignore_ascii_case(a))
                .cloned()
                .unwrap_or_else(|| PersonHours {
                    who: crate::sanitize::line(a),
                    hours: None,
                })
        })
        .collect();
    Ok(ZonedSuggestions {
        suggestions: found,
        organizer,
        attendees,
        within,
        later: Vec::new(),
    })
}

/// findMeetingTimes over several time slots, searched with `activity_domain`.
async fn find(
    client: &GraphClient,
    target: &Target,
    attendees: &[String],
    duration: Duration,
    slots: &[(DateTime<Utc>, DateTime<Utc>)],
    zone: &OutlookZone,
    activity_domain: &str,
) -> Result<Suggestions, CalendarError> {
    if client.is_app_only() {
        return Err(CalendarError::Refused(
            "finding a time works only for a signed-in person; the service does not offer it \
             to app-only credentials"
                .into(),
        ));
    }
    let body = suggestions::request_body_in(attendees, duration, slots, zone, activity_domain);
    let answer = client
        .find_meeting_times(target, &body, zone.name())
        .await
        .map_err(|e| CalendarError::from_graph(e, Feature::FindTime))?;
    let mut s = Suggestions::from_graph(&answer.value, true);
    s.outside_hours = activity_domain == "unrestricted";
    Ok(s)
}

/// Where the working hours the free times keep to came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursSource {
    /// My mailbox's settings.
    Mailbox,
    /// getSchedule's answer for me.
    Schedule,
    /// Neither gave any: Monday to Friday, 09:00–17:00 in the terminal's zone.
    Assumed,
}

/// My free times over a window, ready to be written in any zone.
#[derive(Debug, Clone)]
pub struct FreeTimes {
    /// Each at least as long as asked, within my hours, earliest first.
    pub spans: Vec<Span>,
    pub hours: WorkingHours,
    pub source: HoursSource,
    /// The longest free stretch of any length within my hours (what to say when none is
    /// long enough).
    pub longest_free: Option<Duration>,
    /// The longest working stretch in the window.
    pub longest_working: Option<Duration>,
    pub mine: Option<MyMailbox>,
}

/// My free stretches of at least `min` within my working hours in `window`, from my own
/// calendar only (so it serves people whose calendars the service cannot show).
pub async fn my_free_times(
    client: &GraphClient,
    auth: &Auth,
    target: &Target,
    window: (DateTime<Utc>, DateTime<Utc>),
    min: Duration,
    terminal: Tz,
) -> Result<FreeTimes, CalendarError> {
    let Some(me) = organizer_address(client, auth).await else {
        return Err(CalendarError::Refused(
            "sharing free times works for a signed-in person: app-only credentials have no \
             calendar of their own"
                .into(),
        ));
    };
    let zone = OutlookZone::for_tz(terminal);
    let found = schedules(
        client,
        target,
        std::slice::from_ref(&me),
        window.0,
        window.1,
        15,
        &zone,
    )
    .await?;
    if let Some(why) = found.free_busy.people.first().and_then(|p| p.error.clone()) {
        return Err(CalendarError::Refused(format!(
            "your own calendar could not be read: {why}"
        )));
    }
    let mine = my_mailbox(client, auth).await;
    let (hours, source) = match (
        mine.as_ref().and_then(|m| m.working_hours.clone()),
        found.hours.first().and_then(|h| h.hours.clone()),
    ) {
        (Some(h), _) if h.zone.is_some() => (h, HoursSource::Mailbox),
        (_, Some(h)) if h.zone.is_some() => (h, HoursSource::Schedule),
        (_, Some(h)) => (h.in_zone(terminal), HoursSource::Schedule),
        _ => (assumed_hours(terminal), HoursSource::Assumed),
    };
    let busy = found.free_busy.busy_spans(0);
    let all = free_times::free_spans(&hours, &busy, window, Duration::minutes(1));
    Ok(FreeTimes {
        spans: all
            .iter()
            .copied()
            .filter(|(s, e)| *e - *s >= min)
            .collect(),
        longest_free: all.iter().map(|(s, e)| *e - *s).max(),
        longest_working: free_times::longest_working(&hours, window),
        hours,
        source,
        mine,
    })
}

/// Monday to Friday, 09:00–17:00 in `tz`: what is assumed when the service says nothing.
pub fn assumed_hours(tz: Tz) -> WorkingHours {
    WorkingHours {
        days: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
        end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
        zone_name: tz.name().to_string(),
        zone: Some(tz),
    }
}

/// For a meeting that repeats by `rule` in `zone`: each suggestion's next meetings
/// ([`super::series::CHECKED_AFTER_FIRST`] of them) and who is not free at each, me and `attendees`,
/// kept in `found.later`. What `suggest --repeat` and the form's find-a-time show.
pub async fn check_later(
    client: &GraphClient,
    auth: &crate::auth::Auth,
    target: &Target,
    attendees: &[String],
    found: &mut ZonedSuggestions,
    rule: crate::calendar::recurrence::Rule,
    zone: Tz,
) -> Result<(), CalendarError> {
    let mut people: Vec<String> = super::calendar::organizer_address(client, auth)
        .await
        .into_iter()
        .collect();
    people.extend(attendees.iter().cloned());
    let mut later = Vec::new();
    for s in &found.suggestions.items {
        let repeating = crate::calendar::recurrence::Series::new(rule, &s.start, &s.end, zone)
            .map_err(|e| CalendarError::Refused(e.to_string()))?;
        later.push(
            super::series::clashes(
                client,
                target,
                &people,
                &repeating,
                super::series::CHECKED_AFTER_FIRST,
            )
            .await?,
        );
    }
    found.later = later;
    Ok(())
}
