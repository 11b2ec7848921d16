//! One event of the agenda as tmeet understands it (GRAPH-NEXT §3.3, §4.3): read from a
//! `calendarView` or delta item through `graph::lenient`, so a value the service spells
//! otherwise, omits or adds never loses the event; and which meeting is "next".

use crate::graph::lenient;
use crate::meeting::presentation::MeetingCard;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The person's own answer, or an attendee's (`responseType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Response {
    #[default]
    None,
    Organizer,
    TentativelyAccepted,
    Accepted,
    Declined,
    NotResponded,
    #[serde(other)]
    Unknown,
}

impl Response {
    /// The word scripts and the agenda show.
    pub fn word(self) -> &'static str {
        match self {
            Response::None | Response::NotResponded | Response::Unknown => "none",
            Response::Organizer => "organizer",
            Response::TentativelyAccepted => "tentative",
            Response::Accepted => "accepted",
            Response::Declined => "declined",
        }
    }
}

/// `singleInstance`, `occurrence`, `exception` or `seriesMaster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    #[default]
    SingleInstance,
    Occurrence,
    Exception,
    SeriesMaster,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub address: String,
}

/// A time an attendee proposed instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub person: Person,
    /// `required`, `optional` or `resource`.
    pub kind: String,
    pub response: Response,
    pub proposal: Option<Proposal>,
}

/// One event of the calendar, in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaEvent {
    pub id: String,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: bool,
    pub cancelled: bool,
    pub is_organizer: bool,
    pub organizer: Option<Person>,
    /// The person's own answer.
    pub response: Response,
    pub show_as: String,
    pub kind: EventType,
    pub series_master_id: Option<String>,
    /// The Teams join link: `onlineMeeting.joinUrl`, or one found in the body.
    pub join_url: Option<String>,
    pub conference_id: Option<String>,
    pub toll_number: Option<String>,
    /// A Teams meeting (by its provider, or a Teams link).
    pub teams: bool,
    pub location: Option<String>,
    pub web_link: Option<String>,
    pub allow_new_time_proposals: bool,
    pub response_requested: bool,
    pub attendees: Vec<Attendee>,
}

/// How many attendees gave each answer (the organizer's view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub accepted: usize,
    pub tentative: usize,
    pub declined: usize,
    pub none: usize,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.accepted + self.tentative + self.declined + self.none
    }

    /// "3/5 accepted, 1 tentative"; None when nobody was invited.
    pub fn line(&self) -> Option<String> {
        (self.total() > 0).then(|| {
            let mut s = format!("{}/{} accepted", self.accepted, self.total());
            if self.tentative > 0 {
                s += &format!(", {} tentative", self.tentative);
            }
            if self.declined > 0 {
                s += &format!(", {} declined", self.declined);
            }
            s
        })
    }

    /// `{"accepted": 3, "tentative": 1, "declined": 0, "none": 1}` for `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "accepted": self.accepted,
            "tentative": self.tentative,
            "declined": self.declined,
            "none": self.none,
        })
    }
}

impl AgendaEvent {
    /// Attendees' answers, rooms and other resources left out.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for a in self.attendees.iter().filter(|a| a.kind != "resource") {
            match a.response {
                Response::Accepted => t.accepted += 1,
                Response::TentativelyAccepted => t.tentative += 1,
                Response::Declined => t.declined += 1,
                _ => t.none += 1,
            }
        }
        t
    }

    /// Part of a series: answering it may mean this date or the whole series.
    pub fn in_series(&self) -> bool {
        matches!(self.kind, EventType::Occurrence | EventType::Exception)
            && self.series_master_id.is_some()
    }
}

impl AgendaEvent {
    /// "3/5 accepted, 1 tentative" for a meeting I organize that has attendees; None
    /// otherwise (the service tells only the organizer who answered what).
    pub fn answers_line(&self) -> Option<String> {
        if !self.is_organizer {
            return None;
        }
        self.tally().line()
    }

    /// The meeting's card as its event gives it: the join link, the conference id and
    /// toll number of `onlineMeeting`, who organizes it, my answer, who is coming (for
    /// mine). What only the organizer's online meeting holds (the passcode, the
    /// invitation) is said to be missing rather than left blank.
    pub fn card(&self, zone: &chrono_tz::Tz) -> MeetingCard {
        use crate::meeting::presentation::Section;
        use crate::sanitize::line;
        let local = |t: DateTime<Utc>| t.with_timezone(zone);
        let subject = line(self.subject.trim());
        let mut card = MeetingCard {
            subject: if subject.is_empty() {
                crate::meeting::presentation::NO_SUBJECT.into()
            } else {
                subject
            },
            when: Some(if self.all_day {
                format!("{} (all day)", local(self.start).format("%a %-d %b"))
            } else {
                crate::meeting::time::describe_range(&local(self.start), &local(self.end))
            }),
            join_url: self.join_url.as_deref().map(line),
            conference_id: self
                .conference_id
                .as_deref()
                .map(|c| line(c.trim().trim_end_matches('#')))
                .filter(|c| !c.is_empty()),
            toll: self.toll_number.as_deref().map(line),
            organizer: self.organizer.as_ref().map(|o| line(&o.name)),
            event_link: self.web_link.as_deref().map(line),
            from_invitation: !self.is_organizer,
            ..Default::default()
        };
        for raw in [self.join_url.as_deref(), self.web_link.as_deref()]
            .into_iter()
            .flatten()
        {
            if let Some(target) = crate::hyperlink::target(raw.trim()) {
                card.links.push((raw.trim().to_string(), target));
            }
        }
        card.qr = card
            .join_url
            .as_deref()
            .and_then(crate::meeting::share::qr_text);
        let mut about = Vec::new();
        match (&self.organizer, self.is_organizer) {
            (_, true) => about.push("Organized by you".to_string()),
            (Some(o), false) => about.push(format!(
                "Organized by {}{}; your answer: {}",
                line(&o.name),
                if o.address.is_empty() || o.address == o.name {
                    String::new()
                } else {
                    format!(" <{}>", line(&o.address))
                },
                self.response.word()
            )),
            (None, false) => about.push(format!("Your answer: {}", self.response.word())),
        }
        if let Some(l) = &self.location {
            about.push(format!("Where: {}", line(l)));
        }
        if self.in_series() {
            about.push("Part of a series: an answer may be for this date or the series".into());
        }
        if self.cancelled {
            about.push("Cancelled by the organizer".into());
        }
        card.sections.push(Section {
            title: "About".into(),
            lines: about,
        });
        if self.is_organizer {
            card.sections.push(Section {
                title: "Who is coming".into(),
                lines: self.who_is_coming(zone),
            });
        }
        card.with_calendar_file(Some(&self.id), self.start, self.end, zone)
    }

    /// One line per attendee with their answer and any time they proposed; one line that
    /// says so when the meeting has no attendees (rooms and other resources are left out).
    pub fn who_is_coming(&self, zone: &chrono_tz::Tz) -> Vec<String> {
        let people: Vec<&Attendee> = self
            .attendees
            .iter()
            .filter(|a| a.kind != "resource")
            .collect();
        if people.is_empty() {
            return vec!["no attendees: nobody was invited".into()];
        }
        let mut out = vec![self.answers_line().unwrap_or_default()];
        for a in people {
            let mark = match a.response {
                Response::Accepted => "✓",
                Response::TentativelyAccepted => "?",
                Response::Declined => "✗",
                _ => "·",
            };
            let mut l = format!(
                "{mark} {}  {}",
                crate::sanitize::line(&a.person.name),
                a.response.word()
            );
            if let Some(p) = &a.proposal {
                let (s, e) = (p.start.with_timezone(zone), p.end.with_timezone(zone));
                l += &format!(
                    " · proposes {}",
                    crate::meeting::time::describe_range(&s, &e)
                );
            }
            out.push(l);
        }
        out
    }
}

// The wire shapes, read leniently: every field optional.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireEvent {
    id: Option<String>,
    subject: Option<String>,
    start: Option<Value>,
    end: Option<Value>,
    is_all_day: Option<bool>,
    is_cancelled: Option<bool>,
    is_organizer: Option<bool>,
    organizer: Option<WireRecipient>,
    response_status: Option<WireStatus>,
    show_as: Option<String>,
    #[serde(rename = "type")]
    kind: Option<EventType>,
    series_master_id: Option<String>,
    is_online_meeting: Option<bool>,
    online_meeting_provider: Option<String>,
    online_meeting: Option<WireOnline>,
    location: Option<WireLocation>,
    web_link: Option<String>,
    allow_new_time_proposals: Option<bool>,
    response_requested: Option<bool>,
    attendees: Option<Vec<WireAttendee>>,
    body: Option<WireBody>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireRecipient {
    email_address: Option<WireAddress>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireAddress {
    name: Option<String>,
    address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireStatus {
    response: Option<Response>,
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
struct WireLocation {
    display_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireAttendee {
    #[serde(rename = "type")]
    kind: Option<String>,
    email_address: Option<WireAddress>,
    status: Option<WireStatus>,
    proposed_new_time: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireBody {
    content: Option<String>,
}

fn person(a: Option<WireAddress>) -> Option<Person> {
    let a = a?;
    let address = a.address.unwrap_or_default();
    let name = a
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| address.clone());
    (!name.is_empty()).then_some(Person { name, address })
}

/// A Teams link the service or a person may write: `teams.microsoft.com` (and its
/// government and consumer hosts), https only.
pub fn is_teams_link(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    u.scheme() == "https"
        && u.host_str().is_some_and(|h| {
            let h = h.to_ascii_lowercase();
            [
                "teams.microsoft.com",
                "teams.microsoft.us",
                "gov.teams.microsoft.us",
                "dod.teams.microsoft.us",
                "teams.live.com",
            ]
            .contains(&h.as_str())
        })
        && (u.path().starts_with("/l/meetup-join/") || u.path().starts_with("/meet/"))
}

/// The first Teams join link in an event body (HTML or text): the fallback when
/// `onlineMeeting` is null on an attendee's copy (GRAPH-NEXT §3.3).
pub fn join_link_in_body(body: &str) -> Option<String> {
    let mut rest = body;
    while let Some(at) = rest.find("https://") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c == '"' || c == '\'' || c == '<' || c == '>' || c.is_whitespace())
            .unwrap_or(tail.len());
        let link = tail[..end].replace("&amp;", "&");
        if is_teams_link(&link) {
            return Some(link);
        }
        rest = &tail[end.max(1)..];
    }
    None
}

fn proposal(v: &Value) -> Option<Proposal> {
    let start = crate::calendar::zone::read_date_time(v.get("start")?)?;
    let end = crate::calendar::zone::read_date_time(v.get("end")?)?;
    Some(Proposal { start, end })
}

/// What one delta or calendarView item says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Event(Box<AgendaEvent>),
    /// `@removed`: gone from the calendar or the window.
    Removed(String),
}

/// Reads one item; None for one without an id or without readable times (nothing can be
/// done with it, and it must not stop the rest).
pub fn read_item(v: &Value) -> Option<Item> {
    if lenient::value(v, "@removed").is_some() {
        let id = lenient::value(v, "id")?.as_str()?;
        return Some(Item::Removed(id.to_string()));
    }
    let (w, _notes): (WireEvent, _) = lenient::read(v).ok()?;
    let id = w.id.filter(|i| !i.is_empty())?;
    let start = crate::calendar::zone::read_date_time(w.start.as_ref()?)?;
    let end = crate::calendar::zone::read_date_time(w.end.as_ref()?)?;
    let online = w.online_meeting.unwrap_or_default();
    let join_url = online
        .join_url
        .filter(|u| url::Url::parse(u).is_ok_and(|u| u.scheme() == "https"))
        .or_else(|| {
            w.body
                .and_then(|b| b.content)
                .and_then(|c| join_link_in_body(&c))
        });
    let teams = w
        .online_meeting_provider
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("teamsForBusiness"))
        && w.is_online_meeting.unwrap_or(true)
        || join_url.as_deref().is_some_and(is_teams_link);
    let attendees = w
        .attendees
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            Some(Attendee {
                person: person(a.email_address)?,
                kind: a
                    .kind
                    .unwrap_or_else(|| "required".into())
                    .to_ascii_lowercase(),
                response: a.status.and_then(|s| s.response).unwrap_or_default(),
                proposal: a.proposed_new_time.as_ref().and_then(proposal),
            })
        })
        .collect();
    let is_organizer = w.is_organizer.unwrap_or(false);
    let response = w
        .response_status
        .and_then(|s| s.response)
        .unwrap_or(if is_organizer {
            Response::Organizer
        } else {
            Response::None
        });
    Some(Item::Event(Box::new(AgendaEvent {
        id,
        subject: w.subject.unwrap_or_default(),
        start,
        end: end.max(start),
        all_day: w.is_all_day.unwrap_or(false),
        cancelled: w.is_cancelled.unwrap_or(false),
        is_organizer,
        organizer: w.organizer.and_then(|o| person(o.email_address)),
        response,
        show_as: w.show_as.unwrap_or_else(|| "busy".into()),
        kind: w.kind.unwrap_or_default(),
        series_master_id: w.series_master_id.filter(|s| !s.is_empty()),
        join_url,
        conference_id: online.conference_id,
        toll_number: online.toll_number,
        teams,
        location: w
            .location
            .and_then(|l| l.display_name)
            .filter(|l| !l.trim().is_empty()),
        web_link: w.web_link,
        allow_new_time_proposals: w.allow_new_time_proposals.unwrap_or(true),
        response_requested: w.response_requested.unwrap_or(true),
        attendees,
    })))
}

/// How long after its start a meeting still counts as "next" (joining late).
pub const JOIN_GRACE: Duration = Duration::minutes(10);

/// The meeting to join: the one starting soonest with a Teams link, or one in progress
/// within its first ten minutes; cancelled and declined ones are not.
pub fn next_meeting(events: &[AgendaEvent], now: DateTime<Utc>) -> Option<&AgendaEvent> {
    events
        .iter()
        .filter(|e| joinable(e, now))
        .min_by_key(|e| (e.start, e.end))
}

/// Whether `e` may be [`next_meeting`] at `now`.
pub fn joinable(e: &AgendaEvent, now: DateTime<Utc>) -> bool {
    e.join_url.is_some()
        && !e.cancelled
        && e.response != Response::Declined
        && !e.all_day
        && e.start + JOIN_GRACE > now
        && e.end > now
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(extra: Value) -> Value {
        let mut v = json!({
            "id": "AAMk1",
            "subject": "Sync",
            "start": {"dateTime": "2026-09-14T09:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2026-09-14T09:30:00.0000000", "timeZone": "UTC"},
        });
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    }

    #[test]
    fn odd_spellings_and_unknown_values_do_not_lose_the_event() {
        let v = event(json!({
            "ResponseStatus": {"Response": "TentativelyAccepted"},
            "type": "somethingNew",
            "isCancelled": "true",
            "onlineMeeting": null,
            "onlineMeetingProvider": "teamsForBusiness",
            "body": {"content": "<a href=\"https://teams.microsoft.com/meet/123?p=abc&amp;x=1\">Join</a>"},
            "attendees": [{"type": "Required", "emailAddress": {"address": "a@x.com"}, "status": {"response": "accepted"}},
                          {"type": "resource", "emailAddress": {"name": "Room", "address": "r@x.com"}, "status": {"response": "declined"}},
                          {"emailAddress": {"address": "b@x.com"}, "status": {"response": "whatever"},
                           "proposedNewTime": {"start": {"dateTime": "2026-09-15T09:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-09-15T09:30:00", "timeZone": "UTC"}}}],
        }));
        let Some(Item::Event(e)) = read_item(&v) else {
            panic!("unread")
        };
        assert_eq!(e.response, Response::TentativelyAccepted);
        assert_eq!(e.kind, EventType::Unknown);
        assert!(e.cancelled);
        assert!(e.teams);
        assert_eq!(
            e.join_url.as_deref(),
            Some("https://teams.microsoft.com/meet/123?p=abc&x=1")
        );
        let t = e.tally();
        assert_eq!((t.accepted, t.none, t.total()), (1, 1, 2));
        assert!(e.attendees[2].proposal.is_some());
    }

    #[test]
    fn removals_and_unreadable_items() {
        let r = json!({"@odata.type": "#microsoft.graph.event", "id": "X", "@removed": {"reason": "deleted"}});
        assert_eq!(read_item(&r), Some(Item::Removed("X".into())));
        assert_eq!(read_item(&json!({"id": "Y"})), None);
        assert_eq!(read_item(&json!({"subject": "no id"})), None);
    }

    #[test]
    fn next_is_the_soonest_with_a_link_or_one_just_begun() {
        let at = |h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 9, 14)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
                .and_utc()
        };
        let mk = |id: &str, s: DateTime<Utc>, link: bool| {
            let Some(Item::Event(mut e)) = read_item(&event(json!({"id": id}))) else {
                panic!()
            };
            e.start = s;
            e.end = s + Duration::minutes(30);
            e.join_url = link.then(|| "https://teams.microsoft.com/meet/1".to_string());
            *e
        };
        let list = vec![
            mk("began", at(9, 0), true),
            mk("nolink", at(9, 20), false),
            mk("later", at(10, 0), true),
        ];
        assert_eq!(next_meeting(&list, at(9, 5)).unwrap().id, "began");
        assert_eq!(next_meeting(&list, at(9, 11)).unwrap().id, "later");
        assert!(next_meeting(&list, at(11, 0)).is_none());
    }
}
