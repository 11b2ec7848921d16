//! A calendar meeting opened for editing (the form's edit from My meetings): the event as
//! the service has it, with the options of the meeting behind it, and the change that
//! takes it to what the form wants. The change goes through the same
//! [`super::calendar::update_event`] as `tmeet update REF`, so the invitees hear of it
//! the same way.

use super::calendar::{CalendarError, EventChange};
use crate::calendar::invitation_fields::{FIELDS, InvitationFields, Kind, Setting};
use crate::calendar::{Invitee, OutlookZone};
use crate::graph::client::{GraphClient, Target};
use crate::meeting::options::MeetingOptions;
use chrono::{DateTime, Utc};

/// A calendar meeting as the service has it when the edit opens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventWas {
    pub subject: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub invitees: Vec<Invitee>,
    /// Every invitation field the event names a value for.
    pub invitation: InvitationFields,
    /// Shown, not changed by the edit (see [`EventWas::fixed_text`]).
    pub location: Option<String>,
    pub message: Option<String>,
    /// The options of the meeting behind the event; empty when it could not be read.
    pub options: MeetingOptions,
    /// Why the options could not be read; the edit then leaves them alone.
    pub options_unread: Option<String>,
}

/// What the form holds when Ctrl+S saves the edit.
#[derive(Debug, Clone)]
pub struct EventWanted {
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub invitees: Vec<Invitee>,
    /// The Invitation section with the categories typed (an empty list clears them).
    pub invitation: InvitationFields,
    pub options: MeetingOptions,
}

/// Reads the event and the options of the meeting behind it. A meeting that is gone or
/// cancelled is refused: there is nothing to edit.
pub async fn read(
    client: &GraphClient,
    target: &Target,
    event_id: &str,
    zone: &OutlookZone,
) -> Result<EventWas, CalendarError> {
    let (event, answer) = match super::calendar::read_event(client, target, event_id, zone).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(CalendarError::Refused(
                "the event is no longer on your calendar (deleted, or cancelled and removed)"
                    .into(),
            ));
        }
        Err(e) => {
            return Err(CalendarError::from_graph(
                e,
                crate::permissions::Feature::Invite,
            ));
        }
    };
    if event.is_cancelled {
        return Err(CalendarError::Refused(
            "the meeting is cancelled: its invitees were told it will not take place".into(),
        ));
    }
    let message = crate::graph::lenient::value(&answer.value, "body")
        .and_then(|b| crate::graph::lenient::value(b, "content"))
        .and_then(serde_json::Value::as_str)
        .and_then(super::series::message_of);
    let (options, options_unread) = match event.join_url.as_deref() {
        None => (
            MeetingOptions::new(),
            Some("the event has no Teams link".to_string()),
        ),
        Some(join) => match client.find_answer_by_join_url(target, join).await {
            Ok(Some(found)) => (super::online_meeting::Existing::of(&found).options, None),
            Ok(None) => (
                MeetingOptions::new(),
                Some("the meeting behind the event was not found by its join link".into()),
            ),
            Err(e) => (
                MeetingOptions::new(),
                Some(format!(
                    "the meeting behind the event could not be read ({e})"
                )),
            ),
        },
    };
    Ok(EventWas {
        subject: event.subject.clone().unwrap_or_default(),
        start: event.start,
        end: event.end,
        invitees: event.invitees.clone(),
        invitation: InvitationFields::read(&answer.value),
        location: event.location.clone(),
        message,
        options,
        options_unread,
    })
}

impl EventChange {
    /// The change that takes the event as it was to what the edit wants: what equals the
    /// service's value is not sent. Invitees compare by address (any case) and kind, in
    /// any order; when they differ the whole list is sent, as a PATCH of `attendees` must.
    pub fn between(was: &EventWas, wanted: &EventWanted) -> EventChange {
        let subject = (wanted.subject != was.subject).then(|| wanted.subject.clone());
        let moved = was.start != Some(wanted.start) || was.end != Some(wanted.end);
        let key = |list: &[Invitee]| {
            let mut k: Vec<String> = list.iter().map(|i| i.to_string().to_lowercase()).collect();
            k.sort();
            k
        };
        let invitees =
            (key(&wanted.invitees) != key(&was.invitees)).then(|| wanted.invitees.clone());
        let options = wanted.options.beyond(&was.options);
        let mut invitation = InvitationFields::default();
        for (i, spec) in FIELDS.iter().enumerate() {
            let asked = wanted.invitation.get(i);
            let now = was.invitation.get(i);
            let categories = matches!(spec.kind, Kind::Categories);
            let differs = match asked {
                // Categories are a typed list: an empty one clears what the event has.
                None if categories => now.is_some_and(|s| *s != Setting::Categories(Vec::new())),
                None => false,
                Some(a) => Some(a) != now,
            };
            if differs {
                invitation.set_index(
                    i,
                    Some(asked.cloned().unwrap_or(Setting::Categories(Vec::new()))),
                );
            }
        }
        EventChange {
            subject,
            times: moved.then_some((wanted.start, wanted.end)),
            invitees,
            options,
            recurrence: None,
            invitation,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.subject.is_none()
            && self.times.is_none()
            && self.invitees.is_none()
            && self.options.is_empty()
            && self.recurrence.is_none()
            && self.invitation.is_empty()
    }

    /// What is sent, in the words the form shows: `subject, start and end, invitees,
    /// Show as, Who can bypass the lobby`.
    pub fn summary(&self) -> String {
        let mut items: Vec<&str> = Vec::new();
        if self.subject.is_some() {
            items.push("subject");
        }
        if self.times.is_some() {
            items.push("start and end");
        }
        if self.invitees.is_some() {
            items.push("invitees");
        }
        items.extend(self.invitation.changed().map(|(spec, _)| spec.label));
        items.extend(self.options.changed().map(|(spec, _)| spec.label));
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_invitees;

    fn at(h: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2037, 3, 2, h, 0, 0).unwrap()
    }

    fn was() -> EventWas {
        let mut invitation = InvitationFields::default();
        invitation.set("show-as", "busy").unwrap();
        invitation.set("categories", "Red category").unwrap();
        let mut options = MeetingOptions::new();
        options.set("lobby", "everyone").unwrap();
        EventWas {
            subject: "Plan".into(),
            start: Some(at(9)),
            end: Some(at(10)),
            invitees: parse_invitees("ada@contoso.com, bob@contoso.com:optional").unwrap(),
            invitation,
            options,
            ..EventWas::default()
        }
    }

    fn same(was: &EventWas) -> EventWanted {
        EventWanted {
            subject: was.subject.clone(),
            start: was.start.unwrap(),
            end: was.end.unwrap(),
            invitees: was.invitees.clone(),
            invitation: was.invitation.clone(),
            options: was.options.clone(),
        }
    }

    #[test]
    fn the_same_meeting_is_no_change_whatever_the_order_or_case_of_the_invitees() {
        let was = was();
        let mut wanted = same(&was);
        assert!(EventChange::between(&was, &wanted).is_empty());
        wanted.invitees = parse_invitees("BOB@contoso.com:optional; Ada@Contoso.com").unwrap();
        assert!(EventChange::between(&was, &wanted).is_empty());
    }

    #[test]
    fn only_what_differs_is_sent_and_the_summary_names_it() {
        let was = was();
        let mut wanted = same(&was);
        wanted.subject = "Plan B".into();
        wanted.end = at(11);
        wanted.invitees = parse_invitees("ada@contoso.com, bob@contoso.com").unwrap();
        wanted.invitation.set("show-as", "tentative").unwrap();
        wanted.options.set("lobby", "organization").unwrap();
        wanted.options.set("chat", "disabled").unwrap();
        let change = EventChange::between(&was, &wanted);
        assert_eq!(change.subject.as_deref(), Some("Plan B"));
        assert_eq!(change.times, Some((at(9), at(11))));
        assert_eq!(change.invitees.as_ref().map(Vec::len), Some(2));
        assert_eq!(change.invitation.changed().count(), 1, "show as only");
        assert_eq!(change.options.changed().count(), 2);
        assert_eq!(
            change.summary(),
            "subject, start and end, invitees, Show as, Who can bypass the lobby, Meeting chat"
        );
    }

    #[test]
    fn categories_cleared_in_the_form_are_cleared_on_the_event() {
        let was = was();
        let mut wanted = same(&was);
        let i = FIELDS.iter().position(|f| f.key == "categories").unwrap();
        wanted.invitation.set_index(i, None);
        let change = EventChange::between(&was, &wanted);
        assert_eq!(
            change.invitation.get(i),
            Some(&Setting::Categories(Vec::new()))
        );
        // An event without categories and a form without them: nothing to send.
        let mut bare = was.clone();
        bare.invitation.set_index(i, None);
        assert!(EventChange::between(&bare, &wanted).is_empty());
    }
}
