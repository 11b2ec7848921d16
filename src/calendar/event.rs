//! A calendar event that is a Teams meeting (GRAPH-SCHEDULING.md §3): the request tmeet
//! sends and what it reads back from the answer.

use super::invitation_fields::InvitationFields;
use super::invitee::{AttendeeType, Invitee};
use super::recurrence::Series;
use super::zone::{OutlookZone, read_date_time};
use crate::meeting::MeetingRequest;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The longest message and location accepted; Outlook takes more, a terminal form less.
pub const MAX_MESSAGE_CHARS: usize = 8000;
pub const MAX_LOCATION_CHARS: usize = 255;

/// What calendar mode sends: the form's meeting plus whom to invite, the invitation's text
/// and where. The transaction id is made once per submission and kept across its retries,
/// so a POST whose answer was lost can be sent again without a second event (§3.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRequest {
    pub meeting: MeetingRequest,
    pub invitees: Vec<Invitee>,
    /// The invitation's text; the service appends the Teams join block after it.
    pub message: Option<String>,
    pub location: Option<String>,
    pub transaction_id: String,
    /// A meeting that repeats: sent as `recurrence`, its first meeting the event's start.
    pub series: Option<Series>,
    /// Show as, reminder, importance and the rest the person set; only those are sent.
    pub invitation: InvitationFields,
    /// The zone the times were planned in, and are sent in (`start.timeZone`, a series'
    /// `recurrenceTimeZone`), so Outlook shows the meeting as planned there; None: the
    /// zone the caller sends in (the terminal's).
    pub zone: Option<chrono_tz::Tz>,
}

/// A GUID, as the documentation's example uses.
pub fn new_transaction_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl EventRequest {
    /// Why an event with nobody invited is refused, for the form and `create --calendar`
    /// alike.
    pub const NOBODY_INVITED: &'static str = "nobody is invited: a calendar meeting is sent \
        as invitations, so invite someone (an address, or address:optional), or make a \
        standalone link, which needs no one";

    /// Refuses what the service would refuse or silently drop, before anything is sent,
    /// and a calendar meeting that invites nobody. The service would take that event, but
    /// calendar mode exists to invite people (invitations cannot be held back, and
    /// cancelling sends a cancellation to each): with nobody on it the Attendees were
    /// almost always forgotten, and a link with no calendar entry is a standalone meeting.
    /// The rule lives here so that the form and the command line cannot disagree.
    pub fn new(
        meeting: MeetingRequest,
        invitees: Vec<Invitee>,
        message: Option<String>,
        location: Option<String>,
        transaction_id: String,
    ) -> Result<Self, String> {
        if invitees.is_empty() {
            return Err(Self::NOBODY_INVITED.into());
        }
        if !meeting.attendees().is_empty() {
            return Err(
                "a calendar meeting invites people (required or optional); roles \
                        such as presenter belong to a standalone meeting"
                    .into(),
            );
        }
        if meeting.passcode_required() {
            return Err(
                "a calendar meeting gets the passcode the tenant's policy gives it; \
                        the passcode setting applies to standalone meetings only"
                    .into(),
            );
        }
        if let Err(e) = meeting.options().check_patchable() {
            // Set on the meeting after the event exists (§3.7), so only what PATCH takes.
            return Err(format!(
                "{e} (a calendar meeting's options are set after it is created)"
            ));
        }
        // The service writes an event's join block in the mailbox's language (Outlook's
        // settings), whatever the request asks (GRAPH-REAL.md Q11): a language kept here
        // would be recorded and shown as the invitation's while it is not.
        let meeting = match meeting.language() {
            None => meeting,
            Some(_) => MeetingRequest::new(
                meeting.subject(),
                &meeting.start(),
                &meeting.end(),
                false,
                None,
            )
            .and_then(|m| m.with_options(meeting.options().clone()))
            .map_err(|e| e.to_string())?,
        };
        let clean = |s: Option<String>, max: usize, what: &str| -> Result<Option<String>, String> {
            match s.map(|s| crate::sanitize::multiline(&s).trim().to_string()) {
                Some(s) if s.is_empty() => Ok(None),
                Some(s) if s.chars().count() > max => {
                    Err(format!("the {what} is longer than {max} characters"))
                }
                other => Ok(other),
            }
        };
        Ok(EventRequest {
            meeting,
            invitees,
            message: clean(message, MAX_MESSAGE_CHARS, "message")?,
            location: clean(location, MAX_LOCATION_CHARS, "location")?,
            transaction_id,
            series: None,
            invitation: InvitationFields::default(),
            zone: None,
        })
    }

    /// The same event as a series: its times become the series' first meeting (the start
    /// moves when it was not one of the rule's dates, `Series::moved_from`).
    pub fn repeating(mut self, series: Series) -> Result<Self, String> {
        let first = series.first();
        self.meeting = self
            .meeting
            .with_times(&first.start, &first.end)
            .map_err(|e| e.to_string())?;
        self.series = Some(series);
        Ok(self)
    }

    /// The same event with the invitation's fields set (show as, reminder, …).
    pub fn with_invitation(mut self, invitation: InvitationFields) -> Self {
        self.invitation = invitation;
        self
    }

    /// The same event planned in `zone`: sent in it, whatever zone the caller sends in.
    pub fn planned_in(mut self, zone: chrono_tz::Tz) -> Self {
        self.zone = Some(zone);
        self
    }

    /// The body of `POST /me/events`, times as wall-clock times in `zone`.
    pub fn to_graph_body(&self, zone: &OutlookZone) -> Value {
        let mut body = Map::new();
        body.insert("subject".into(), json!(self.meeting.subject()));
        if let Some(m) = &self.message {
            // HTML, so line breaks survive: the service appends its HTML join block.
            body.insert(
                "body".into(),
                json!({"contentType": "HTML", "content": text_to_html(m)}),
            );
        }
        body.insert("start".into(), zone.date_time(&self.meeting.start()));
        body.insert("end".into(), zone.date_time(&self.meeting.end()));
        if let Some(l) = &self.location {
            body.insert("location".into(), json!({"displayName": l}));
        }
        body.insert(
            "attendees".into(),
            Value::Array(self.invitees.iter().map(Invitee::to_graph).collect()),
        );
        // Only what the person set: the service's defaults hold for the rest (§3.2).
        self.invitation.write_into(&mut body);
        body.insert("isOnlineMeeting".into(), json!(true));
        body.insert("onlineMeetingProvider".into(), json!("teamsForBusiness"));
        body.insert("transactionId".into(), json!(self.transaction_id));
        if let Some(series) = &self.series {
            // In the zone the start is sent in, by the same name (GRAPH-NEXT §2.1).
            body.insert("recurrence".into(), series.to_graph(zone.name()));
        }
        Value::Object(body)
    }
}

fn text_to_html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!("<p>{}</p>", escaped.replace('\n', "<br>"))
}

/// The event as tmeet reads an answer: leniently (§3.5; case-insensitive names, nulls as
/// absent), every text sanitized before it is kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event {
    pub id: String,
    pub subject: Option<String>,
    pub web_link: Option<String>,
    pub ical_uid: Option<String>,
    /// As sent; None when the answer left it out.
    pub is_online_meeting: Option<bool>,
    pub provider: Option<String>,
    pub join_url: Option<String>,
    pub conference_id: Option<String>,
    pub toll_number: Option<String>,
    /// The invited addresses, as the service lists them.
    pub attendees: Vec<String>,
    /// The same people with whether they are required or optional (a type the answer
    /// leaves out, or one tmeet does not invite as, such as `resource`, reads as required).
    pub invitees: Vec<Invitee>,
    /// `location.displayName`; None when empty.
    pub location: Option<String>,
    pub transaction_id: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub is_cancelled: bool,
    pub is_organizer: Option<bool>,
    /// Show as, reminder and the other invitation fields, as far as the answer says them.
    pub invitation: InvitationFields,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Wire {
    id: Option<String>,
    subject: Option<String>,
    web_link: Option<String>,
    #[serde(rename = "iCalUId")]
    ical_uid: Option<String>,
    is_online_meeting: Option<bool>,
    online_meeting_provider: Option<String>,
    online_meeting: Option<WireOnline>,
    attendees: Option<Vec<WireAttendee>>,
    location: Option<WireLocation>,
    transaction_id: Option<String>,
    is_cancelled: Option<bool>,
    is_organizer: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireOnline {
    join_url: Option<String>,
    conference_id: Option<String>,
    toll_number: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireAttendee {
    email_address: Option<WireAddress>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireLocation {
    display_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireAddress {
    address: Option<String>,
}

impl Event {
    /// None when the answer is not an event with an id: then nothing can be said about it.
    pub fn from_graph(value: &Value) -> Option<Event> {
        let (w, _notes): (Wire, _) = crate::graph::lenient::read(value).ok()?;
        let id = w.id.filter(|i| !i.trim().is_empty())?;
        let line = |s: Option<String>| {
            s.map(|s| crate::sanitize::line(&s))
                .filter(|s| !s.is_empty())
        };
        let online = w.online_meeting.unwrap_or_default();
        let invitees: Vec<Invitee> = w
            .attendees
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                let address = line(a.email_address.and_then(|e| e.address))?;
                let kind = a
                    .kind
                    .as_deref()
                    .and_then(AttendeeType::parse)
                    .unwrap_or_default();
                Some(Invitee { address, kind })
            })
            .collect();
        let when = |name: &str| crate::graph::lenient::value(value, name).and_then(read_date_time);
        Some(Event {
            // Kept as sent: it goes back into paths (percent-encoded there), never to a screen.
            id,
            subject: line(w.subject),
            web_link: line(w.web_link),
            ical_uid: line(w.ical_uid),
            is_online_meeting: w.is_online_meeting,
            provider: line(w.online_meeting_provider),
            join_url: line(online.join_url),
            conference_id: line(online.conference_id),
            toll_number: line(online.toll_number),
            attendees: invitees.iter().map(|i| i.address.clone()).collect(),
            invitees,
            location: line(w.location.and_then(|l| l.display_name)),
            transaction_id: w.transaction_id,
            start: when("start"),
            end: when("end"),
            is_cancelled: w.is_cancelled.unwrap_or(false),
            is_organizer: w.is_organizer,
            invitation: InvitationFields::read(value),
        })
    }

    /// The online meeting as the event tells of it: what is shown when the meeting behind
    /// the event could not be read.
    pub fn as_meeting(&self) -> crate::graph::model::OnlineMeeting {
        let audio = (self.conference_id.is_some() || self.toll_number.is_some()).then(|| {
            crate::graph::model::AudioConferencing {
                conference_id: self.conference_id.clone(),
                toll_number: self.toll_number.clone(),
                ..Default::default()
            }
        });
        crate::graph::model::OnlineMeeting {
            subject: self.subject.clone(),
            join_web_url: self.join_url.clone(),
            start_date_time: self.start,
            end_date_time: self.end,
            audio_conferencing: audio,
            ..Default::default()
        }
    }

    /// A Teams meeting came with it (§6: online, Teams, and a join link). Read leniently:
    /// a join link with the flags left out counts, one the answer says is not Teams's
    /// (`isOnlineMeeting: false`, a Skype provider) does not.
    pub fn has_teams_link(&self) -> bool {
        let teams = self
            .provider
            .as_deref()
            .is_none_or(|p| p.eq_ignore_ascii_case("teamsForBusiness"));
        self.is_online_meeting != Some(false)
            && teams
            && self
                .join_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
    }
}

/// `base` (an onlineMeeting object) with the event's subject and times over its own: the
/// one shape the history and the meeting card read. Without a base, the event's own
/// account of its meeting.
pub fn event_view(event: &Event, base: Option<serde_json::Value>) -> serde_json::Value {
    let mut v = match base {
        Some(serde_json::Value::Object(o)) => serde_json::Value::Object(o),
        _ => serde_json::to_value(crate::graph::model::OnlineMeeting {
            id: Some(event.id.clone()),
            ..event.as_meeting()
        })
        .unwrap_or_else(|_| serde_json::json!({})),
    };
    if let Some(o) = v.as_object_mut() {
        // One spelling of each, whatever the base used.
        o.retain(|k, _| {
            !["subject", "startDateTime", "endDateTime"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(k))
        });
        // What every reader needs of a meeting, when the base lacks it.
        let has = |o: &serde_json::Map<String, serde_json::Value>, name: &str| {
            o.iter()
                .any(|(k, v)| k.eq_ignore_ascii_case(name) && v.as_str().is_some())
        };
        if !has(o, "id") {
            o.insert("id".into(), event.id.as_str().into());
        }
        if !has(o, "joinWebUrl")
            && let Some(join) = &event.join_url
        {
            o.insert("joinWebUrl".into(), join.as_str().into());
        }
        if let Some(s) = &event.subject {
            o.insert("subject".into(), s.as_str().into());
        }
        let t = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if let Some(start) = &event.start {
            o.insert("startDateTime".into(), t(start).into());
        }
        if let Some(end) = &event.end {
            o.insert("endDateTime".into(), t(end).into());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::invitee::parse_invitees;
    use chrono::TimeZone;

    fn meeting() -> MeetingRequest {
        let tz = chrono_tz::Europe::Berlin;
        let start = tz.with_ymd_and_hms(2037, 1, 8, 10, 0, 0).unwrap();
        MeetingRequest::new(
            "Design review",
            &start,
            &(start + chrono::Duration::minutes(45)),
            false,
            None,
        )
        .unwrap()
    }

    #[test]
    fn the_body_is_a_teams_event_in_the_persons_zone_with_the_transaction_id() {
        let req = EventRequest::new(
            meeting(),
            parse_invitees("ada@contoso.com, bob@fabrikam.com:optional").unwrap(),
            Some("Agenda:\n1. <b>numbers</b>".into()),
            Some("Room 4".into()),
            "7E163156-7762-4BEB-A1C6-729EA81755A7".into(),
        )
        .unwrap();
        let body = req.to_graph_body(&OutlookZone::for_tz(chrono_tz::Europe::Berlin));
        assert_eq!(
            body["start"],
            json!({"dateTime": "2037-01-08T10:00:00", "timeZone": "Europe/Berlin"})
        );
        assert_eq!(body["end"]["dateTime"], "2037-01-08T10:45:00");
        assert_eq!(body["isOnlineMeeting"], true);
        assert_eq!(body["onlineMeetingProvider"], "teamsForBusiness");
        assert_eq!(
            body["transactionId"],
            "7E163156-7762-4BEB-A1C6-729EA81755A7"
        );
        assert_eq!(body["attendees"][1]["type"], "optional");
        assert_eq!(body["location"]["displayName"], "Room 4");
        assert_eq!(
            body["body"]["content"],
            "<p>Agenda:<br>1. &lt;b&gt;numbers&lt;/b&gt;</p>"
        );
    }

    #[test]
    fn standalone_only_settings_are_refused() {
        let tz = chrono_tz::UTC;
        let start = tz.with_ymd_and_hms(2037, 1, 8, 10, 0, 0).unwrap();
        let with_passcode = MeetingRequest::new(
            "x",
            &start,
            &(start + chrono::Duration::minutes(30)),
            true,
            None,
        )
        .unwrap();
        let ada = parse_invitees("ada@contoso.com").unwrap();
        let err = EventRequest::new(with_passcode, ada, None, None, "t".into()).unwrap_err();
        assert!(err.contains("passcode"), "{err}");
    }

    /// One rule for the form and `create --calendar`: nobody invited is refused here.
    #[test]
    fn an_event_that_invites_nobody_is_refused() {
        let err = EventRequest::new(meeting(), vec![], None, None, "t".into()).unwrap_err();
        assert_eq!(err, EventRequest::NOBODY_INVITED);
        assert!(
            err.contains("invite someone") && err.contains("standalone"),
            "{err}"
        );
        let ada = parse_invitees("ada@contoso.com").unwrap();
        assert!(EventRequest::new(meeting(), ada, None, None, "t".into()).is_ok());
    }

    #[test]
    fn an_answer_is_read_leniently_and_a_downgrade_is_seen() {
        let answer = json!({
            "ID": "AAMkAGI2TAAA=", "webLink": "https://outlook.office365.com/owa/?itemid=AAMk",
            "isOnlineMeeting": true, "onlineMeetingProvider": "teamsForBusiness",
            "onlineMeeting": {"joinUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"},
            "attendees": [{"emailAddress": {"address": "ada@contoso.com"}, "type": "required"}, {"emailAddress": null}],
            "start": {"dateTime": "2037-01-08T09:00:00.0000000", "timeZone": "UTC"},
            "transactionId": null
        });
        let e = Event::from_graph(&answer).unwrap();
        assert_eq!(e.id, "AAMkAGI2TAAA=");
        assert!(e.has_teams_link());
        assert_eq!(e.attendees, vec!["ada@contoso.com"]);
        assert_eq!(
            e.start,
            Some(Utc.with_ymd_and_hms(2037, 1, 8, 9, 0, 0).unwrap())
        );
        let downgraded = json!({"id": "x", "isOnlineMeeting": false, "onlineMeetingProvider": "unknown", "onlineMeeting": null});
        assert!(!Event::from_graph(&downgraded).unwrap().has_teams_link());
        let skype = json!({"id": "x", "isOnlineMeeting": true, "onlineMeetingProvider": "skypeForBusiness",
                           "onlineMeeting": {"joinUrl": "https://meet.lync.com/contoso/x"}});
        assert!(!Event::from_graph(&skype).unwrap().has_teams_link());
        let terse = json!({"id": "x", "OnlineMeeting": {"JoinUrl": "https://teams.microsoft.com/l/meetup-join/x"}});
        assert!(
            Event::from_graph(&terse).unwrap().has_teams_link(),
            "flags left out, link given"
        );
        assert_eq!(Event::from_graph(&json!({"subject": "no id"})), None);
    }
}
