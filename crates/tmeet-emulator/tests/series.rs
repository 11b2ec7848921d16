//! Recurring events over HTTP, one test per rule of GRAPH-NEXT §9 "§2 Recurrence" and the
//! answers of §4 on a series: what a create is refused for, occurrences (never the master)
//! in calendarView, its delta and `/instances`, an answer to one date or to the series, a
//! cancelled occurrence, wall-clock times across DST, and the seeded colleague's series.
//! Times are in 2031, past the seeded weeks; the organization works in UTC here.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const SCOPES: &[&str] = &["Calendars.ReadWrite", "Calendars.Read.Shared"];

struct Fixture {
    emu: Emulator,
    http: Client,
    /// The signed-in person's (Adele's) token.
    token: String,
}

struct Answer {
    status: StatusCode,
    body: Value,
}

async fn start() -> Fixture {
    let emu = Emulator::start(EmulatorOptions {
        org_time_zone: Some("UTC".into()),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let token = token(&emu);
    Fixture {
        emu,
        http: Client::new(),
        token,
    }
}

fn token(emu: &Emulator) -> String {
    let scope: String = SCOPES
        .iter()
        .map(|s| format!("https://graph.microsoft.com/{s} "))
        .collect();
    let (access, _) = emu.mint_user_token_with_scopes(
        "organizations",
        &format!("{scope}offline_access"),
        Duration::from_secs(3600),
    );
    access.expose().to_string()
}

/// A path segment: `+`, `/` and `=` in an event id must be escaped.
fn seg(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl Fixture {
    /// A token of Megan's, who is invited to the series the tests make.
    fn megan(&self) -> String {
        assert!(self.emu.sign_in_as(Some(MEGAN)));
        let t = token(&self.emu);
        assert!(self.emu.sign_in_as(None));
        t
    }

    async fn send(&self, token: &str, method: Method, url: &str, body: Option<String>) -> Answer {
        let url = if url.starts_with("http") {
            url.to_string()
        } else {
            format!("{}{url}", self.emu.graph_url())
        };
        let mut req = self.http.request(method, url).bearer_auth(token);
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        };
        Answer { status, body }
    }

    async fn get(&self, token: &str, url: &str) -> Answer {
        self.send(token, Method::GET, url, None).await
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(token, Method::POST, path, Some(body.to_string()))
            .await
    }

    /// The events of `calendarView` between two UTC times, all pages.
    async fn view(&self, token: &str, from: &str, to: &str) -> Vec<Value> {
        let a = self
            .get(
                token,
                &format!("/me/calendarView?startDateTime={from}&endDateTime={to}&$top=100"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.get("@odata.nextLink").is_none());
        a.body["value"].as_array().unwrap().clone()
    }

    /// One whole delta round from `link` (a delta link, or None: a first round over the
    /// window): the items and the next delta link.
    async fn delta(&self, token: &str, link: Option<&str>) -> (Vec<Value>, String) {
        let mut url = link.map(str::to_string).unwrap_or_else(|| {
            "/me/calendarView/delta?startDateTime=2031-01-01T00:00:00Z&endDateTime=2031-02-01T00:00:00Z"
                .to_string()
        });
        let mut items = Vec::new();
        loop {
            let a = self.get(token, &url).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
            items.extend(a.body["value"].as_array().unwrap().iter().cloned());
            if let Some(next) = a.body["@odata.nextLink"].as_str() {
                url = next.to_string();
            } else {
                return (
                    items,
                    a.body["@odata.deltaLink"].as_str().unwrap().to_string(),
                );
            }
        }
    }
}

/// Mondays and Wednesdays 09:00–09:30 UTC from Monday 2031-01-06, six times, with Megan,
/// as a Teams meeting.
fn standup() -> Value {
    json!({
        "subject": "Standup",
        "start": {"dateTime": "2031-01-06T09:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2031-01-06T09:30:00", "timeZone": "UTC"},
        "attendees": [{"type": "required", "emailAddress": {"address": MEGAN, "name": "Megan Bowen"}}],
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness",
        "recurrence": {
            "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "wednesday"], "firstDayOfWeek": "monday"},
            "range": {"type": "numbered", "startDate": "2031-01-06", "numberOfOccurrences": 6},
        },
    })
}

fn code(a: &Answer) -> &str {
    a.body["error"]["code"].as_str().unwrap_or_default()
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn starts(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|e| e["start"]["dateTime"].as_str().unwrap()[..16].to_string())
        .collect()
}

#[tokio::test]
async fn a_create_is_refused_as_the_service_refuses_it() {
    let f = start().await;
    let before = f.emu.event_count();
    // `range` before `pattern`: the raw body, as a client would send it.
    let range_first = r#"{"subject":"S","start":{"dateTime":"2031-01-06T09:00:00","timeZone":"UTC"},
        "end":{"dateTime":"2031-01-06T09:30:00","timeZone":"UTC"},
        "recurrence":{"range":{"type":"noEnd","startDate":"2031-01-06"},
                      "pattern":{"type":"daily","interval":1}}}"#;
    let a = f
        .send(
            &f.token,
            Method::POST,
            "/me/events",
            Some(range_first.into()),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(code(&a), "UnableToDeserializePostBody");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut b = standup();
        edit(&mut b);
        b
    };
    let refused = [
        // Weekly without its days.
        with(&|b| b["recurrence"]["pattern"]["daysOfWeek"] = json!([])),
        // An ignored field is checked all the same.
        with(&|b| b["recurrence"]["pattern"]["index"] = json!("fifth")),
        with(&|b| b["recurrence"]["pattern"]["interval"] = json!(0)),
        with(&|b| b["recurrence"]["range"]["numberOfOccurrences"] = json!(0)),
        // The start date must be the start's.
        with(&|b| b["recurrence"]["range"]["startDate"] = json!("2031-01-07")),
        with(&|b| b["recurrence"]["pattern"]["type"] = json!("fortnightly")),
    ];
    for body in refused {
        let a = f.post(&f.token, "/me/events", body.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(code(&a), "ErrorPropertyValidationFailure", "{body}");
        assert_eq!(
            a.body["error"]["message"],
            "At least one property failed validation."
        );
    }
    let a = f
        .post(
            &f.token,
            "/me/events",
            with(&|b| b["recurrence"]["range"]["startDate"] = json!("06/01/2031")),
        )
        .await;
    assert_eq!(code(&a), "UnableToDeserializePostBody");
    let a = f
        .post(
            &f.token,
            "/me/events",
            with(&|b| b["recurrence"]["range"]["recurrenceTimeZone"] = json!("Mars/Olympus_Mons")),
        )
        .await;
    assert_eq!(code(&a), "TimeZoneNotSupportedException");
    assert_eq!(f.emu.event_count(), before, "nothing was created");
    assert!(f.emu.sent_mail().is_empty(), "nobody was invited");

    let made = f.post(&f.token, "/me/events", standup()).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.body["type"], "seriesMaster");
    assert_eq!(made.body["seriesMasterId"], Value::Null);
    assert_eq!(
        made.body["recurrence"],
        json!({
            "pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0, "daysOfWeek": ["monday", "wednesday"], "firstDayOfWeek": "monday", "index": "first"},
            "range": {"type": "numbered", "startDate": "2031-01-06", "endDate": "0001-01-01", "recurrenceTimeZone": "UTC", "numberOfOccurrences": 6},
        })
    );
    assert_eq!(f.emu.event_count(), before + 1, "one master");
    assert_eq!(f.emu.sent_mail().len(), 1, "one invitation for the series");
}

#[tokio::test]
async fn the_calendar_shows_occurrences_and_never_the_master() {
    let f = start().await;
    let master = f.post(&f.token, "/me/events", standup()).await.body;
    let master_id = master["id"].as_str().unwrap();
    let link = master["onlineMeeting"]["joinUrl"].as_str().unwrap();
    let list = f
        .view(&f.token, "2031-01-06T00:00:00Z", "2031-01-20T00:00:00Z")
        .await;
    assert_eq!(
        starts(&list),
        [
            "2031-01-06T09:00",
            "2031-01-08T09:00",
            "2031-01-13T09:00",
            "2031-01-15T09:00"
        ]
    );
    let mut seen_ids = ids(&list);
    seen_ids.sort();
    seen_ids.dedup();
    assert_eq!(seen_ids.len(), 4, "an id of their own each");
    let mut uids: Vec<&str> = list
        .iter()
        .map(|e| e["iCalUId"].as_str().unwrap())
        .collect();
    uids.push(master["iCalUId"].as_str().unwrap());
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), 5, "an iCalUId of their own each");
    for e in &list {
        assert_eq!(e["type"], "occurrence", "{e}");
        assert_ne!(e["id"], master["id"]);
        assert_eq!(e["seriesMasterId"], master_id);
        assert_eq!(e["recurrence"], Value::Null);
        assert_eq!(
            e["onlineMeeting"]["joinUrl"], link,
            "one link for the series"
        );
        assert_eq!(e["subject"], "Standup");
        assert_eq!(
            e["originalStart"].as_str().unwrap()[..16],
            e["start"]["dateTime"].as_str().unwrap()[..16]
        );
    }
    // Each occurrence reads by its own id.
    let one = f
        .get(&f.token, &format!("/me/events/{}", seg(&seen_ids[0])))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["seriesMasterId"], master_id);
    // The six end on the 15th of January.
    let later = f
        .view(&f.token, "2031-01-20T00:00:00Z", "2031-02-20T00:00:00Z")
        .await;
    assert_eq!(starts(&later), ["2031-01-20T09:00", "2031-01-22T09:00"]);

    // /instances: both bounds required; occurrences of that window only.
    let path = format!("/me/events/{}/instances", seg(master_id));
    let a = f
        .get(
            &f.token,
            &format!("{path}?startDateTime=2031-01-06T00:00:00Z"),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = f
        .get(
            &f.token,
            &format!("{path}?startDateTime=2031-01-07T00:00:00Z&endDateTime=2031-01-14T00:00:00Z"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let inst = a.body["value"].as_array().unwrap();
    assert_eq!(starts(inst), ["2031-01-08T09:00", "2031-01-13T09:00"]);
    assert_eq!(inst[0]["id"], list[1]["id"]);
    assert_eq!(inst[0]["recurrence"], Value::Null);

    // /me/events lists the master, not its occurrences.
    let mine = f.get(&f.token, "/me/events?$top=100").await.body;
    let listed: Vec<&Value> = mine["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == "Standup")
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["type"], "seriesMaster");

    // The delta: the occurrences of its window, never the master.
    let (items, _) = f.delta(&f.token, None).await;
    let standups: Vec<&Value> = items.iter().filter(|e| e["subject"] == "Standup").collect();
    assert_eq!(standups.len(), 6);
    assert!(standups.iter().all(|e| e["type"] == "occurrence"));

    // getSchedule: each occurrence is busy for the organizer, tentative for Megan.
    let a = f
        .post(
            &f.token,
            "/me/calendar/getSchedule",
            json!({
                "schedules": [DEMO_USER_UPN, MEGAN],
                "startTime": {"dateTime": "2031-01-08T08:00:00", "timeZone": "UTC"},
                "endTime": {"dateTime": "2031-01-08T11:00:00", "timeZone": "UTC"},
                "availabilityViewInterval": 30,
            }),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["value"][0]["availabilityView"], "002000");
    assert_eq!(a.body["value"][1]["availabilityView"], "001000");
}

#[tokio::test]
async fn an_answer_to_one_date_makes_an_exception_and_one_to_the_series_reaches_the_rest() {
    let f = start().await;
    let master = f.post(&f.token, "/me/events", standup()).await.body;
    let master_id = master["id"].as_str().unwrap().to_string();
    let megan = f.megan();
    let (first, link) = f.delta(&megan, None).await;
    let occ = ids(&first);
    assert_eq!(occ.len(), 6);
    assert!(
        first
            .iter()
            .all(|e| e["responseStatus"]["response"] == "notResponded")
    );

    // One date: tentatively, proposing another time.
    let a = f
        .post(
            &megan,
            &format!("/me/events/{}/tentativelyAccept", seg(&occ[1])),
            json!({"sendResponse": true, "proposedNewTime": {
                "start": {"dateTime": "2031-01-08T10:00:00", "timeZone": "UTC"},
                "end": {"dateTime": "2031-01-08T10:30:00", "timeZone": "UTC"}}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let (changed, link) = f.delta(&megan, Some(&link)).await;
    assert_eq!(ids(&changed), [occ[1].clone()], "that date only");
    assert_eq!(changed[0]["type"], "exception");
    assert_eq!(changed[0]["id"], occ[1].as_str(), "it keeps its id");
    assert_eq!(changed[0]["seriesMasterId"], master_id.as_str());
    assert_eq!(
        changed[0]["responseStatus"]["response"],
        "tentativelyAccepted"
    );
    // The organizer's copy tracks the answer for that date alone.
    let organizer = f
        .view(&f.token, "2031-01-06T00:00:00Z", "2031-01-09T00:00:00Z")
        .await;
    assert_eq!(
        organizer[0]["attendees"][0]["status"]["response"], "none",
        "{}",
        organizer[0]
    );
    assert_eq!(
        organizer[1]["attendees"][0]["status"]["response"],
        "tentativelyAccepted"
    );
    assert!(organizer[1]["attendees"][0]["proposedNewTime"].is_object());

    // The series: the master and every occurrence that is not an exception.
    let a = f
        .post(
            &megan,
            &format!("/me/events/{}/accept", seg(&master_id)),
            json!({"sendResponse": true, "comment": "every time"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let (changed, link) = f.delta(&megan, Some(&link)).await;
    let mut expect: Vec<String> = occ.clone();
    expect.remove(1);
    assert_eq!(ids(&changed), expect, "the five others, in one round");
    assert!(
        changed
            .iter()
            .all(|e| e["responseStatus"]["response"] == "accepted" && e["type"] == "occurrence")
    );
    let all = f
        .view(&megan, "2031-01-01T00:00:00Z", "2031-02-01T00:00:00Z")
        .await;
    let answers: Vec<&str> = all
        .iter()
        .map(|e| e["responseStatus"]["response"].as_str().unwrap())
        .collect();
    assert_eq!(
        answers,
        [
            "accepted",
            "tentativelyAccepted",
            "accepted",
            "accepted",
            "accepted",
            "accepted"
        ]
    );
    let log = f
        .http
        .get(format!("{}_emulator/responses", f.emu.login_url()))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(log["responses"][1]["eventId"], master_id.as_str());

    // Declining one date removes that copy: the delta says so, and it leaves the view.
    let a = f
        .post(
            &megan,
            &format!("/me/events/{}/decline", seg(&occ[2])),
            json!({}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    let (changed, _) = f.delta(&megan, Some(&link)).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], occ[2].as_str());
    assert_eq!(changed[0]["@removed"]["reason"], "deleted");
    let again = f
        .post(
            &megan,
            &format!("/me/events/{}/accept", seg(&occ[2])),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // The organizer does not answer their own series, nor one of its dates.
    for id in [&master_id, &occ[0]] {
        let a = f
            .post(
                &f.token,
                &format!("/me/events/{}/accept", seg(id)),
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(code(&a), "ErrorCalendarIsOrganizerForAccept");
    }
    // The master read with $expand shows its exceptions.
    let m = f
        .get(
            &f.token,
            &format!(
                "/me/events/{}?$expand=exceptionOccurrences",
                seg(&master_id)
            ),
        )
        .await;
    let exceptions = ids(m.body["exceptionOccurrences"].as_array().unwrap());
    assert_eq!(exceptions, [occ[1].clone(), occ[2].clone()]);
}

#[tokio::test]
async fn a_cancelled_occurrence_leaves_the_view_and_the_instances() {
    let f = start().await;
    let master = f.post(&f.token, "/me/events", standup()).await.body;
    let master_id = master["id"].as_str().unwrap();
    let (first, link) = f.delta(&f.token, None).await;
    let occ = ids(&first);
    let megan = f.megan();
    let a = f
        .post(
            &megan,
            &format!("/me/events/{}/cancel", seg(&occ[0])),
            json!({}),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "only the organizer cancels"
    );
    let a = f
        .post(
            &f.token,
            &format!("/me/events/{}/cancel", seg(&occ[0])),
            json!({"comment": "holiday"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let mail = f.emu.sent_mail();
    let last = mail.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.recipient.as_str()),
        ("cancellation", MEGAN)
    );
    assert_eq!(last.event_id, occ[0]);
    let list = f
        .view(&f.token, "2031-01-01T00:00:00Z", "2031-02-01T00:00:00Z")
        .await;
    assert_eq!(ids(&list), occ[1..].to_vec());
    let inst = f
        .get(
            &f.token,
            &format!(
                "/me/events/{}/instances?startDateTime=2031-01-01T00:00:00Z&endDateTime=2031-02-01T00:00:00Z",
                seg(master_id)
            ),
        )
        .await;
    assert_eq!(
        ids(inst.body["value"].as_array().unwrap()),
        occ[1..].to_vec()
    );
    let gone = f
        .get(&f.token, &format!("/me/events/{}", seg(&occ[0])))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let (changed, _) = f.delta(&f.token, Some(&link)).await;
    assert_eq!(ids(&changed), [occ[0].clone()]);
    assert_eq!(changed[0]["@removed"]["reason"], "deleted");
    let m = f
        .get(
            &f.token,
            &format!(
                "/me/events/{}?$select=subject,cancelledOccurrences",
                seg(master_id)
            ),
        )
        .await;
    assert_eq!(
        m.body["cancelledOccurrences"],
        json!([format!("OID.{master_id}.2031-01-06")])
    );
    // Deleting another date cancels it too.
    let d = f
        .send(
            &f.token,
            Method::DELETE,
            &format!("/me/events/{}", seg(&occ[1])),
            None,
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    let list = f
        .view(&f.token, "2031-01-01T00:00:00Z", "2031-02-01T00:00:00Z")
        .await;
    assert_eq!(ids(&list), occ[2..].to_vec());
}

#[tokio::test]
async fn occurrences_keep_their_wall_clock_time_across_dst() {
    let f = start().await;
    // Berlin moves to summer time on Sunday 2031-03-30.
    let made = f
        .post(
            &f.token,
            "/me/events",
            json!({
                "subject": "Weekly",
                "start": {"dateTime": "2031-03-24T09:30:00", "timeZone": "W. Europe Standard Time"},
                "end": {"dateTime": "2031-03-24T09:45:00", "timeZone": "W. Europe Standard Time"},
                "recurrence": {
                    "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "monday"},
                    "range": {"type": "endDate", "startDate": "2031-03-24", "endDate": "2031-04-07"},
                },
            }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let utc = f
        .view(&f.token, "2031-03-20T00:00:00Z", "2031-04-20T00:00:00Z")
        .await;
    assert_eq!(
        starts(&utc),
        ["2031-03-24T08:30", "2031-03-31T07:30", "2031-04-07T07:30"]
    );
    let local = f
        .http
        .get(format!(
            "{}/me/calendarView?startDateTime=2031-03-20T00:00:00Z&endDateTime=2031-04-20T00:00:00Z",
            f.emu.graph_url()
        ))
        .bearer_auth(&f.token)
        .header("prefer", "outlook.timezone=\"W. Europe Standard Time\"")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        starts(local["value"].as_array().unwrap()),
        ["2031-03-24T09:30", "2031-03-31T09:30", "2031-04-07T09:30"]
    );
}

#[tokio::test]
async fn the_seeded_colleague_invites_to_a_weekly_series() {
    let f = start().await;
    let now = chrono::Utc::now();
    let from = now.date_naive();
    let to = from + chrono::Duration::days(14);
    let list = f
        .view(
            &f.token,
            &format!("{from}T00:00:00Z"),
            &format!("{to}T00:00:00Z"),
        )
        .await;
    let sync: Vec<&Value> = list
        .iter()
        .filter(|e| e["subject"] == "Team sync")
        .collect();
    // Two weeks hold two Tuesdays and two Thursdays; the series runs past both ends.
    assert_eq!(sync.len(), 4, "{sync:?}");
    let master = sync[0]["seriesMasterId"].as_str().unwrap();
    for e in &sync {
        assert_eq!(e["type"], "occurrence");
        assert_eq!(e["seriesMasterId"], master);
        assert_eq!(e["isOrganizer"], false);
        assert_eq!(
            e["organizer"]["emailAddress"]["address"],
            "LeeG@contoso.onmicrosoft.com"
        );
        assert_eq!(e["responseStatus"]["response"], "notResponded");
        assert_eq!(e["allowNewTimeProposals"], true);
        assert_eq!(e["responseRequested"], true);
        assert_eq!(
            e["onlineMeeting"]["joinUrl"],
            sync[0]["onlineMeeting"]["joinUrl"]
        );
        let day = chrono::NaiveDate::parse_from_str(
            &e["start"]["dateTime"].as_str().unwrap()[..10],
            "%Y-%m-%d",
        )
        .unwrap();
        assert!(
            matches!(day.format("%a").to_string().as_str(), "Tue" | "Thu"),
            "{e}"
        );
        assert_eq!(&e["start"]["dateTime"].as_str().unwrap()[11..16], "10:00");
    }
}
