//! Calendar mode over HTTP, one test per rule of GRAPH-SCHEDULING §9 the emulator imitates.
//! Times are in January 2031 (Monday the 6th on), past the seeded weeks, so only what a
//! test creates is on a calendar there; the organization works in UTC for these tests.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions, Fault};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const LEE: &str = "LeeG@contoso.onmicrosoft.com";
const ALL_SCOPES: &[&str] = &[
    "OnlineMeetings.ReadWrite",
    "Calendars.ReadWrite",
    "Calendars.Read.Shared",
    "People.Read",
    "User.ReadBasic.All",
];

struct Fixture {
    emu: Emulator,
    http: Client,
    token: String,
}

async fn start_with(opts: EmulatorOptions) -> Fixture {
    let emu = Emulator::start(EmulatorOptions {
        org_time_zone: Some("UTC".into()),
        ..opts
    })
    .await
    .unwrap();
    let token = token(&emu, ALL_SCOPES);
    Fixture {
        emu,
        http: Client::new(),
        token,
    }
}

async fn start() -> Fixture {
    start_with(EmulatorOptions::default()).await
}

fn token(emu: &Emulator, scopes: &[&str]) -> String {
    let scope: String = scopes
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

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.graph_url())
    }

    async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.call_as(&self.token, method, path, body, headers).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body), &[]).await
    }

    async fn mail(&self) -> Vec<Value> {
        let url = format!("{}_emulator/mail", self.emu.login_url());
        let v: Value = self
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["mail"].as_array().unwrap().clone()
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
}

/// A path segment: `+`, `/` and `=` in an event id must be escaped.
fn seg(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn teams_event(subject: &str, start: &str, end: &str, zone: &str, attendees: &[&str]) -> Value {
    json!({
        "subject": subject,
        "body": {"contentType": "HTML", "content": "<p>Agenda: plans</p>"},
        "start": {"dateTime": start, "timeZone": zone},
        "end": {"dateTime": end, "timeZone": zone},
        "attendees": attendees.iter().map(|a| json!({"emailAddress": {"address": a}, "type": "Required"})).collect::<Vec<_>>(),
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness",
    })
}

fn error_code(a: &Answer) -> &str {
    a.body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_teams_event_has_the_documented_shape_and_a_findable_meeting() {
    let f = start().await;
    let a = f
        .post(
            "/me/events",
            teams_event(
                "Plan",
                "2031-01-06T09:00:00",
                "2031-01-06T09:30:00",
                "Pacific Standard Time",
                &[MEGAN, LEE],
            ),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let e = &a.body;
    let id = e["id"].as_str().unwrap();
    assert!(id.contains(['+', '/', '=']), "{id}");
    assert!(e["@odata.etag"].as_str().unwrap().starts_with("W/\""));
    assert!(
        e["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/events/$entity")
    );
    let uid = e["iCalUId"].as_str().unwrap();
    assert!(uid.starts_with("040000008200E00074C5B7101A82E008"));
    assert!(uid.bytes().all(|b| b.is_ascii_hexdigit()));
    for t in ["createdDateTime", "lastModifiedDateTime"] {
        let s = e[t].as_str().unwrap();
        assert!(s.ends_with('Z') && s.len() == 28, "{t}: {s}");
    }
    // No Prefer header: UTC, seven digits; the request's zone is kept as the original.
    assert_eq!(
        e["start"],
        json!({"dateTime": "2031-01-06T17:00:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(e["originalStartTimeZone"], "Pacific Standard Time");
    assert_eq!(e["type"], "singleInstance");
    assert_eq!(e["showAs"], "busy");
    assert_eq!(e["reminderMinutesBeforeStart"], 15);
    assert_eq!(e["responseStatus"]["response"], "organizer");
    assert_eq!(e["transactionId"], Value::Null);
    assert_eq!(e["onlineMeetingUrl"], Value::Null);
    assert_eq!(e["attendees"][0]["type"], "required");
    assert_eq!(
        e["attendees"][1]["status"],
        json!({"response": "none", "time": "0001-01-01T00:00:00Z"})
    );
    assert_eq!(
        e["webLink"],
        format!(
            "https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item",
            enc(id)
        )
    );
    assert_eq!(e["isOnlineMeeting"], true);
    assert_eq!(e["onlineMeetingProvider"], "teamsForBusiness");
    let join = e["onlineMeeting"]["joinUrl"].as_str().unwrap();
    assert!(join.starts_with("https://teams.microsoft.com/l/meetup-join/"));
    assert!(e["onlineMeeting"]["conferenceId"].is_string());
    assert!(e["onlineMeeting"]["tollNumber"].is_string());
    let content = e["body"]["content"].as_str().unwrap();
    assert!(content.starts_with("<p>Agenda: plans</p>"), "{content}");
    assert!(content.contains(join) && content.contains("meetingOptions"));
    assert!(
        e["bodyPreview"]
            .as_str()
            .unwrap()
            .starts_with("Agenda: plans")
    );

    // The meeting behind it: found by its join link, with the same link.
    let path = format!(
        "/me/onlineMeetings?$filter={}",
        enc(&format!("JoinWebUrl eq '{join}'"))
    );
    let m = f.call(Method::GET, &path, None, &[]).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.body["value"][0]["joinWebUrl"], join);

    // Read back by its (escaped) id.
    let g = f
        .call(Method::GET, &format!("/me/events/{}", seg(id)), None, &[])
        .await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body["iCalUId"], uid);

    // Both invitations went out, each carrying the join link.
    let mail = f.mail().await;
    assert_eq!(mail.len(), 2);
    for (m, who) in mail.iter().zip([MEGAN, LEE]) {
        assert_eq!(m["recipient"], who);
        assert_eq!(m["kind"], "invitation");
        assert_eq!(m["joinUrl"], join);
    }
    assert_eq!(f.emu.sent_mail().len(), 2);
}

#[tokio::test]
async fn prefer_outlook_timezone_is_applied_and_echoed() {
    let f = start().await;
    let body = teams_event(
        "Zoned",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[],
    );
    let a = f
        .call(
            Method::POST,
            "/me/events",
            Some(body),
            &[("Prefer", "outlook.timezone=\"Europe/Berlin\"")],
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(
        a.body["start"],
        json!({"dateTime": "2031-01-06T10:00:00.0000000", "timeZone": "Europe/Berlin"})
    );
    assert_eq!(
        a.headers["preference-applied"],
        "outlook.timezone=\"Europe/Berlin\""
    );
    // Body content type as text on reads.
    let id = a.body["id"].as_str().unwrap();
    let g = f
        .call(
            Method::GET,
            &format!("/me/events/{}", seg(id)),
            None,
            &[("Prefer", "outlook.body-content-type=\"text\"")],
        )
        .await;
    assert_eq!(g.body["body"]["contentType"], "text");
    assert!(!g.body["body"]["content"].as_str().unwrap().contains('<'));
    assert_eq!(
        g.headers["preference-applied"],
        "outlook.body-content-type=\"text\""
    );
}

#[tokio::test]
async fn an_unknown_zone_is_time_zone_not_supported() {
    let f = start().await;
    let before = f.emu.event_count();
    let body = teams_event(
        "x",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "Mars Standard Time",
        &[],
    );
    let a = f.post("/me/events", body).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&a), "TimeZoneNotSupportedException");
    assert_eq!(
        a.body["error"]["message"],
        "A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Mars Standard Time'."
    );
    let ok_body = teams_event(
        "x",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[],
    );
    let h = f
        .call(
            Method::POST,
            "/me/events",
            Some(ok_body),
            &[("Prefer", "outlook.timezone=\"Nowhere/City\"")],
        )
        .await;
    assert_eq!(error_code(&h), "TimeZoneNotSupportedException");
    assert_eq!(f.emu.event_count(), before, "nothing was created");
}

#[tokio::test]
async fn a_transaction_id_retry_returns_the_event_and_a_reuse_is_refused() {
    let f = start().await;
    let mut body = teams_event(
        "Tx",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[MEGAN],
    );
    body["transactionId"] = json!("7E163156-7762-4BEB-A1C6-729EA81755A7");
    let before = f.emu.event_count();
    let first = f.post("/me/events", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(
        first.body["transactionId"],
        "7E163156-7762-4BEB-A1C6-729EA81755A7"
    );
    let again = f.post("/me/events", body.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(f.emu.event_count(), before + 1);
    assert_eq!(
        f.emu.sent_mail().len(),
        1,
        "a retry sends no second invitation"
    );

    body["subject"] = json!("Another meeting");
    let reuse = f.post("/me/events", body).await;
    assert_eq!(reuse.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&reuse), "ErrorDuplicateTransactionId");
    assert_eq!(
        reuse.body["error"]["@event.existingEventId"],
        first.body["id"]
    );
    let filter = format!("/me/events?$filter={}", enc("transactionId eq 'x'"));
    let fl = f.call(Method::GET, &filter, None, &[]).await;
    assert_eq!(fl.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&fl), "ErrorInvalidProperty");
}

#[tokio::test]
async fn the_downgrade_fault_creates_the_event_without_a_teams_meeting() {
    let f = start().await;
    let cal = f.call(Method::GET, "/me/calendar", None, &[]).await;
    assert_eq!(cal.status, StatusCode::OK, "{}", cal.body);
    assert_eq!(
        cal.body["allowedOnlineMeetingProviders"],
        json!(["teamsForBusiness"])
    );
    assert_eq!(cal.body["defaultOnlineMeetingProvider"], "teamsForBusiness");
    // Neither another Graph call nor a create without a meeting uses up the fault.
    f.emu.push_fault(Fault::EventDowngrade);
    f.call(Method::GET, "/me/calendar", None, &[]).await;
    let mut plain = teams_event(
        "Plain",
        "2031-01-07T09:00:00",
        "2031-01-07T10:00:00",
        "UTC",
        &[],
    );
    plain["isOnlineMeeting"] = json!(false);
    assert_eq!(
        f.post("/me/events", plain).await.status,
        StatusCode::CREATED
    );
    let stats: Value = f
        .http
        .get(format!("{}_emulator/faults", f.emu.login_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["event"], json!(["event-downgrade"]));
    let a = f
        .post(
            "/me/events",
            teams_event(
                "Down",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &[MEGAN],
            ),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.body["isOnlineMeeting"], false);
    assert_eq!(a.body["onlineMeetingProvider"], "unknown");
    assert_eq!(a.body["onlineMeeting"], Value::Null);
    assert!(
        !a.body["body"]["content"]
            .as_str()
            .unwrap()
            .contains("meetup-join")
    );
    assert_eq!(f.emu.meeting_count(), 0);
    assert_eq!(f.mail().await[0]["joinUrl"], Value::Null);
}

#[tokio::test]
async fn a_calendar_without_teams_downgrades_every_create() {
    let f = start_with(EmulatorOptions {
        online_meeting_providers: vec!["skypeForBusiness".into()],
        ..EmulatorOptions::default()
    })
    .await;
    let cal = f.call(Method::GET, "/me/calendar", None, &[]).await;
    assert_eq!(
        cal.body["allowedOnlineMeetingProviders"],
        json!(["skypeForBusiness"])
    );
    let a = f
        .post(
            "/me/events",
            teams_event(
                "x",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &[],
            ),
        )
        .await;
    assert_eq!(a.body["isOnlineMeeting"], false);
    assert_eq!(a.body["onlineMeeting"], Value::Null);
}

#[tokio::test]
async fn a_lost_answer_then_a_retry_with_the_same_transaction_id_leaves_one_event() {
    let f = start().await;
    let mut body = teams_event(
        "Lost",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[MEGAN],
    );
    body["transactionId"] = json!("0b5c4a1e-lost-answer");
    let before = f.emu.event_count();
    f.emu.push_fault(Fault::EventLostAnswer);
    let lost = f
        .http
        .post(f.url("/me/events"))
        .bearer_auth(&f.token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await;
    assert!(lost.is_err(), "the answer must be lost: {lost:?}");
    assert_eq!(f.emu.event_count(), before + 1, "the event was created");
    let retry = f.post("/me/events", body).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(f.emu.event_count(), before + 1, "the retry found it");
    assert_eq!(f.emu.meeting_count(), 1);
    assert_eq!(f.emu.sent_mail().len(), 1);
}

#[tokio::test]
async fn cancel_is_202_and_mails_the_attendees_delete_is_204_then_404() {
    let f = start().await;
    let a = f
        .post(
            "/me/events",
            teams_event(
                "Gone",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &[MEGAN, LEE],
            ),
        )
        .await;
    let id = seg(a.body["id"].as_str().unwrap());
    let c = f
        .post(
            &format!("/me/events/{id}/cancel"),
            json!({"Comment": "Sorry, moved."}),
        )
        .await;
    assert_eq!(c.status, StatusCode::ACCEPTED);
    assert_eq!(c.body, Value::Null);
    let mail = f.mail().await;
    let cancels: Vec<&Value> = mail
        .iter()
        .filter(|m| m["kind"] == "cancellation")
        .collect();
    assert_eq!(cancels.len(), 2);
    assert_eq!(cancels[0]["comment"], "Sorry, moved.");

    let b = f
        .post(
            "/me/events",
            teams_event(
                "Deleted",
                "2031-01-07T09:00:00",
                "2031-01-07T10:00:00",
                "UTC",
                &[LEE],
            ),
        )
        .await;
    let id = seg(b.body["id"].as_str().unwrap());
    let d = f
        .call(Method::DELETE, &format!("/me/events/{id}"), None, &[])
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    let mail = f.mail().await;
    let last = mail.last().unwrap();
    assert_eq!(
        (last["kind"].as_str(), last["recipient"].as_str()),
        (Some("cancellation"), Some(LEE))
    );
    let g = f
        .call(Method::GET, &format!("/me/events/{id}"), None, &[])
        .await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&g), "ErrorItemNotFound");
}

#[tokio::test]
async fn patch_keeps_the_flags_and_mails_only_changed_attendees() {
    let f = start().await;
    let a = f
        .post(
            "/me/events",
            teams_event(
                "P",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &[MEGAN],
            ),
        )
        .await;
    let id = seg(a.body["id"].as_str().unwrap());
    let path = format!("/me/events/{id}");
    let p = f
        .call(
            Method::PATCH,
            &path,
            Some(json!({"attendees": [
                {"emailAddress": {"address": MEGAN}, "type": "required"},
                {"emailAddress": {"address": LEE}, "type": "optional"},
            ]})),
            &[],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let updates: Vec<Value> = f
        .mail()
        .await
        .into_iter()
        .filter(|m| m["kind"] == "update")
        .collect();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["recipient"], LEE);

    let off = f
        .call(
            Method::PATCH,
            &path,
            Some(json!({"isOnlineMeeting": false})),
            &[],
        )
        .await;
    assert_eq!(off.body["isOnlineMeeting"], true, "sticky");
    assert!(off.body["onlineMeeting"]["joinUrl"].is_string());
    let sent = f.mail().await.len();
    let busy = f
        .call(
            Method::PATCH,
            &path,
            Some(json!({"showAs": "tentative"})),
            &[],
        )
        .await;
    assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
    assert_eq!(
        f.mail().await.len(),
        sent,
        "nothing an attendee sees changed: nobody is mailed"
    );
    let renamed = f
        .call(Method::PATCH, &path, Some(json!({"subject": "P2"})), &[])
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let mail = f.mail().await;
    let mut to: Vec<&str> = mail[sent..]
        .iter()
        .map(|m| {
            assert_eq!(
                (m["kind"].as_str(), m["subject"].as_str()),
                (Some("update"), Some("P2"))
            );
            m["recipient"].as_str().unwrap()
        })
        .collect();
    to.sort_unstable();
    assert_eq!(to, [LEE, MEGAN], "one update each");

    let stripped = f
        .call(
            Method::PATCH,
            &path,
            Some(json!({"body": {"contentType": "html", "content": "<p>new agenda</p>"}})),
            &[],
        )
        .await;
    assert_eq!(stripped.body["isOnlineMeeting"], true);
    assert_eq!(stripped.body["onlineMeeting"], Value::Null);
}

async fn get_schedule(f: &Fixture, body: Value) -> Answer {
    f.post("/me/calendar/getSchedule", body).await
}

#[tokio::test]
async fn get_schedule_builds_digits_from_the_calendars() {
    let f = start().await;
    f.post(
        "/me/events",
        teams_event(
            "Busy",
            "2031-01-06T09:00:00",
            "2031-01-06T10:00:00",
            "UTC",
            &[MEGAN],
        ),
    )
    .await;
    let a = get_schedule(
        &f,
        json!({
            "Schedules": [DEMO_USER_UPN, MEGAN, "nobody@example.com"],
            "StartTime": {"dateTime": "2031-01-06T08:00:00", "timeZone": "UTC"},
            "EndTime": {"dateTime": "2031-01-06T11:00:00", "timeZone": "UTC"},
            "AvailabilityViewInterval": "30",
        }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = &a.body["value"];
    assert_eq!(v[0]["availabilityView"], "002200");
    assert_eq!(v[0]["scheduleItems"][0]["status"], "busy");
    assert_eq!(
        v[0]["scheduleItems"][0]["start"],
        json!({"dateTime": "2031-01-06T09:00:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(v[0]["workingHours"]["timeZone"]["name"], "UTC");
    // The invited colleague holds the time as tentative.
    assert_eq!(v[1]["availabilityView"], "001100");
    assert_eq!(v[2]["error"]["responseCode"], "5009");
    assert_eq!(v[2]["scheduleId"], "nobody@example.com");

    let window = |n: usize, interval: Value| {
        let mut b = json!({
            "schedules": vec![MEGAN; n],
            "startTime": {"dateTime": "2031-01-06T08:00:00", "timeZone": "UTC"},
            "endTime": {"dateTime": "2031-01-06T11:00:00", "timeZone": "UTC"},
        });
        b["availabilityViewInterval"] = interval;
        b
    };
    let many = get_schedule(&f, window(21, json!(30))).await;
    assert_eq!(many.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&many), "ErrorInvalidParameter");
    assert_eq!(
        get_schedule(&f, window(20, json!(60))).await.status,
        StatusCode::OK
    );
    let null = get_schedule(&f, window(1, Value::Null)).await;
    assert_eq!(null.status, StatusCode::INTERNAL_SERVER_ERROR);
    let long = get_schedule(
        &f,
        json!({
            "schedules": [MEGAN],
            "startTime": {"dateTime": "2031-01-06T00:00:00", "timeZone": "UTC"},
            "endTime": {"dateTime": "2031-03-09T00:00:00", "timeZone": "UTC"},
        }),
    )
    .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
}

fn find_body(attendees: &[&str], start: &str, end: &str, min: &str) -> Value {
    json!({
        "attendees": attendees.iter().map(|a| json!({"type": "required", "emailAddress": {"address": a}})).collect::<Vec<_>>(),
        "timeConstraint": {"activityDomain": "work", "timeSlots": [{
            "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": end, "timeZone": "UTC"},
        }]},
        "meetingDuration": "PT1H",
        "maxCandidates": 20,
        "isOrganizerOptional": "false",
        "minimumAttendeePercentage": min,
    })
}

#[tokio::test]
async fn find_meeting_times_suggests_free_working_hours_with_documented_confidence() {
    let f = start().await;
    // The organizer is busy 09:00–10:00; working hours are 08:00–17:00 UTC.
    f.post(
        "/me/events",
        teams_event(
            "Busy",
            "2031-01-06T09:00:00",
            "2031-01-06T10:00:00",
            "UTC",
            &[],
        ),
    )
    .await;
    let a = f
        .post(
            "/me/findMeetingTimes",
            find_body(
                &[MEGAN],
                "2031-01-06T07:00:00",
                "2031-01-06T12:00:00",
                "100",
            ),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["emptySuggestionsReason"], "");
    let starts: Vec<&str> = a.body["meetingTimeSuggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["meetingTimeSlot"]["start"]["dateTime"].as_str().unwrap())
        .collect();
    // Not before 08:00 (working hours), never overlapping 09:00–10:00.
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "2031-01-06T08:00:00.0000000",
            "2031-01-06T10:00:00.0000000",
            "2031-01-06T10:30:00.0000000",
            "2031-01-06T11:00:00.0000000"
        ]
    );
    let s = &a.body["meetingTimeSuggestions"][0];
    assert_eq!(s["confidence"], 100.0);
    assert_eq!(s["organizerAvailability"], "free");
    assert_eq!(s["attendeeAvailability"][0]["availability"], "free");

    // Someone outside the organization is unknown: (100 + 49) / 2.
    let u = f
        .post(
            "/me/findMeetingTimes",
            find_body(
                &[MEGAN, "someone@fabrikam.com"],
                "2031-01-06T10:00:00",
                "2031-01-06T11:00:00",
                "50",
            ),
        )
        .await;
    assert_eq!(u.body["meetingTimeSuggestions"][0]["confidence"], 74.5);
    assert_eq!(
        u.body["meetingTimeSuggestions"][0]["attendeeAvailability"][1]["availability"],
        "unknown"
    );

    // Only the organizer's busy hour: nothing to suggest, and why.
    let none = f
        .post(
            "/me/findMeetingTimes",
            find_body(&[MEGAN], "2031-01-06T09:00:00", "2031-01-06T10:00:00", "50"),
        )
        .await;
    assert_eq!(none.body["meetingTimeSuggestions"], json!([]));
    assert_eq!(none.body["emptySuggestionsReason"], "organizerUnavailable");
}

#[tokio::test]
async fn find_meeting_times_refuses_app_tokens() {
    let f = start().await;
    let app = f
        .emu
        .mint_app_token("organizations", Duration::from_secs(3600));
    let a = f
        .call_as(
            app.expose(),
            Method::POST,
            &format!("/users/{DEMO_USER_UPN}/findMeetingTimes"),
            Some(find_body(
                &[MEGAN],
                "2031-01-06T08:00:00",
                "2031-01-06T12:00:00",
                "50",
            )),
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&a), "ErrorAccessDenied");
}

#[tokio::test]
async fn people_search_matches_word_starts_and_includes_personal_contacts() {
    let f = start().await;
    let a = f
        .call(Method::GET, "/me/people?$search=%22meg%22", None, &[])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.body["value"].as_array().unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["scoredEmailAddresses"][0]["address"], MEGAN);
    assert_eq!(v[0]["personType"]["subclass"], "OrganizationUser");
    let s = f
        .call(Method::GET, "/me/people?$search=sam", None, &[])
        .await;
    assert_eq!(
        s.body["value"][0]["personType"]["subclass"],
        "PersonalContact"
    );
    assert_eq!(s.body["value"][0]["userPrincipalName"], "");
    let all = f.call(Method::GET, "/me/people", None, &[]).await;
    let list = all.body["value"].as_array().unwrap();
    assert!(list.len() <= 10);
    assert!(
        list.iter().all(|p| p["userPrincipalName"] != DEMO_USER_UPN),
        "not yourself"
    );
}

#[tokio::test]
async fn user_search_needs_consistency_level_eventual() {
    // directory.rs (branch emuopts) answers /users; checked here with calendar tokens.
    let f = start().await;
    let path = format!("/users?$search={}", enc("\"displayName:lee\""));
    let a = f.call(Method::GET, &path, None, &[]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&a), "Request_UnsupportedQuery");
    assert_eq!(
        a.body["error"]["message"],
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"
    );
    let ok = f
        .call(
            Method::GET,
            &path,
            None,
            &[("ConsistencyLevel", "eventual")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["value"][0]["userPrincipalName"], LEE);
    assert_eq!(ok.body["value"].as_array().unwrap().len(), 1);
    let filtered = f
        .call(
            Method::GET,
            &format!("/users?$filter={}", enc("startswith(displayName,'Me')")),
            None,
            &[],
        )
        .await;
    assert_eq!(filtered.body["value"][0]["mail"], MEGAN);
}

#[tokio::test]
async fn each_feature_needs_its_permission() {
    let f = start().await;
    let base = token(&f.emu, &["OnlineMeetings.ReadWrite"]);
    let event = teams_event(
        "x",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[],
    );
    let e = f
        .call_as(&base, Method::POST, "/me/events", Some(event.clone()), &[])
        .await;
    assert_eq!(e.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&e), "ErrorAccessDenied");
    assert_eq!(
        e.body["error"]["message"],
        "Access is denied. Check credentials and try again."
    );
    let p = f.call_as(&base, Method::GET, "/me/people", None, &[]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let u = f
        .call_as(
            &base,
            Method::GET,
            "/users",
            None,
            &[("ConsistencyLevel", "eventual")],
        )
        .await;
    assert_eq!(u.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&u), "Authorization_RequestDenied");
    // Calendars.ReadWrite covers events and getSchedule but not findMeetingTimes.
    let cal = token(&f.emu, &["Calendars.ReadWrite"]);
    let created = f
        .call_as(&cal, Method::POST, "/me/events", Some(event), &[])
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let find = f
        .call_as(
            &cal,
            Method::POST,
            "/me/findMeetingTimes",
            Some(find_body(
                &[],
                "2031-01-06T08:00:00",
                "2031-01-06T12:00:00",
                "50",
            )),
            &[],
        )
        .await;
    assert_eq!(find.status, StatusCode::FORBIDDEN);
    // Nothing outside the calendar paths changed: onlineMeetings still work with the base.
    let m = f
        .call_as(
            &base,
            Method::POST,
            "/me/onlineMeetings",
            Some(json!({"subject": "s", "endDateTime": "2031-01-06T10:00:00Z"})),
            &[],
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED);
}

/// POST a form to the identity side, as a client signing in does.
async fn token_call(f: &Fixture, form: &[(&str, &str)]) -> Value {
    let url = format!("{}organizations/oauth2/v2.0/token", f.emu.login_url());
    f.http
        .post(url)
        .form(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A device-code sign-in for `scope`, approved on the emulator's page.
async fn sign_in(f: &Fixture, scope: &str) -> Value {
    let url = format!("{}organizations/oauth2/v2.0/devicecode", f.emu.login_url());
    let dc: Value = f
        .http
        .post(url)
        .form(&[("client_id", "consent-test"), ("scope", scope)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(f.emu.approve_device_code(dc["user_code"].as_str().unwrap()));
    token_call(
        f,
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", "consent-test"),
            ("device_code", dc["device_code"].as_str().unwrap()),
        ],
    )
    .await
}

#[tokio::test]
async fn the_consent_path_leads_from_403_through_a_new_sign_in_to_success() {
    let f = start().await;
    let base = "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access";
    let first = sign_in(&f, base).await;
    let access = first["access_token"].as_str().unwrap();
    let event = teams_event(
        "Consent",
        "2031-01-06T09:00:00",
        "2031-01-06T10:00:00",
        "UTC",
        &[MEGAN],
    );
    let denied = f
        .call_as(access, Method::POST, "/me/events", Some(event.clone()), &[])
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&denied), "ErrorAccessDenied");
    // A refresh cannot add the calendar scope: the user must consent interactively.
    let wider = format!("{base} https://graph.microsoft.com/Calendars.ReadWrite");
    let refused = token_call(
        &f,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "consent-test"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
            ("scope", &wider),
        ],
    )
    .await;
    assert_eq!(refused["error"], "invalid_grant");
    assert_eq!(refused["error_codes"], json!([65001]));
    assert_eq!(refused["suberror"], "consent_required");
    // A new sign-in for the union of scopes, and the same create succeeds.
    let second = sign_in(&f, &wider).await;
    assert!(
        second["scope"]
            .as_str()
            .unwrap()
            .contains("Calendars.ReadWrite")
    );
    let created = f
        .call_as(
            second["access_token"].as_str().unwrap(),
            Method::POST,
            "/me/events",
            Some(event),
            &[],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

#[tokio::test]
async fn more_than_500_attendees_are_refused() {
    let f = start().await;
    let many: Vec<String> = (0..501).map(|i| format!("p{i}@fabrikam.com")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let a = f
        .post(
            "/me/events",
            teams_event(
                "Crowd",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &refs,
            ),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let ok = f
        .post(
            "/me/events",
            teams_event(
                "Crowd",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &refs[..500],
            ),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}

#[tokio::test]
async fn calendar_view_needs_both_bounds_and_pages_by_ten() {
    let f = start().await;
    for h in 0..12 {
        let s = format!("2031-01-07T{:02}:00:00", 8 + h);
        let e = format!("2031-01-07T{:02}:30:00", 8 + h);
        f.post(
            "/me/events",
            teams_event(&format!("E{h}"), &s, &e, "UTC", &[]),
        )
        .await;
    }
    let missing = f
        .call(
            Method::GET,
            "/me/calendarView?startDateTime=2031-01-07T00:00:00Z",
            None,
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let path =
        "/me/calendarView?startDateTime=2031-01-07T00:00:00Z&endDateTime=2031-01-08T00:00:00Z";
    let page = f.call(Method::GET, path, None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["value"].as_array().unwrap().len(), 10);
    assert_eq!(page.body["value"][0]["subject"], "E0");
    let next = page.body["@odata.nextLink"].as_str().unwrap();
    let rest: Value = f
        .http
        .get(next)
        .bearer_auth(&f.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest["value"].as_array().unwrap().len(), 2);
    assert!(rest.get("@odata.nextLink").is_none());
    // Bounds are read with their own offset.
    let narrow = f
        .call(
            Method::GET,
            "/me/calendarView?startDateTime=2031-01-07T09:00:00%2B01:00&endDateTime=2031-01-07T09:00:00Z",
            None,
            &[],
        )
        .await;
    let subjects: Vec<&str> = narrow.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["E0"]);
}

#[tokio::test]
async fn a_body_patch_can_be_set_to_regenerate_the_link() {
    let f = start_with(EmulatorOptions {
        body_patch_regenerates_link: true,
        ..EmulatorOptions::default()
    })
    .await;
    let a = f
        .post(
            "/me/events",
            teams_event(
                "R",
                "2031-01-06T09:00:00",
                "2031-01-06T10:00:00",
                "UTC",
                &[MEGAN],
            ),
        )
        .await;
    let old = a.body["onlineMeeting"]["joinUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let id = seg(a.body["id"].as_str().unwrap());
    let p = f
        .call(
            Method::PATCH,
            &format!("/me/events/{id}"),
            Some(json!({"body": {"contentType": "text", "content": "new agenda"}})),
            &[],
        )
        .await;
    let new = p.body["onlineMeeting"]["joinUrl"].as_str().unwrap();
    assert_ne!(new, old);
    assert!(p.body["body"]["content"].as_str().unwrap().contains(new));
    // Megan's update carries the new link.
    assert_eq!(
        f.emu.sent_mail().last().unwrap().join_url.as_deref(),
        Some(new)
    );
}

#[tokio::test]
async fn an_invited_attendee_sees_the_meeting_but_cannot_cancel_it() {
    // The seed invites the organizer to one colleague's meeting each working day.
    let f = start().await;
    let now = chrono::Utc::now();
    let path = format!(
        "/me/calendarView?startDateTime={}&endDateTime={}&$top=100",
        enc(&(now - chrono::Duration::days(1)).to_rfc3339()),
        enc(&(now + chrono::Duration::days(9)).to_rfc3339()),
    );
    let view = f.call(Method::GET, &path, None, &[]).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    let invite = view.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["isOrganizer"] == false)
        .expect("a seeded invitation")
        .clone();
    assert_eq!(invite["responseStatus"]["response"], "notResponded");
    let id = seg(invite["id"].as_str().unwrap());
    let g = f
        .call(Method::GET, &format!("/me/events/{id}"), None, &[])
        .await;
    assert_eq!(g.status, StatusCode::OK);
    let c = f
        .post(&format!("/me/events/{id}/cancel"), json!({"comment": "no"}))
        .await;
    assert_eq!(c.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        c.body["error"]["message"],
        "Your request can't be completed. You need to be an organizer to cancel a meeting."
    );
    assert!(f.emu.sent_mail().is_empty());
}

#[tokio::test]
async fn outlook_throttles_a_mailbox_past_its_budget() {
    let f = start_with(EmulatorOptions {
        outlook_requests_per_10_min: 2,
        ..EmulatorOptions::default()
    })
    .await;
    for _ in 0..2 {
        let ok = f.call(Method::GET, "/me/calendar", None, &[]).await;
        assert_eq!(ok.status, StatusCode::OK);
    }
    let t = f.call(Method::GET, "/me/people", None, &[]).await;
    assert_eq!(t.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_code(&t), "TooManyRequests");
    assert_eq!(t.body["error"]["message"], "Please retry again later.");
    assert_eq!(t.body["error"]["innerError"]["code"], "429");
    let wait: u64 = t.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    // onlineMeetings are not Outlook calls.
    let m = f
        .post(
            "/me/onlineMeetings",
            json!({"subject": "s", "endDateTime": "2031-01-06T10:00:00Z"}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED);
}

/// The invitation's fields (GRAPH-SCHEDULING §3.2, GRAPH-NEXT §4.3, §5): stored as sent in
/// the service's spelling, returned on GET, changed by PATCH, the rest left at the
/// documented defaults.
#[tokio::test]
async fn the_invitations_fields_are_stored_returned_and_patched() {
    let f = start().await;
    let mut body = teams_event(
        "Fields",
        "2031-01-06T09:00:00",
        "2031-01-06T09:30:00",
        "UTC",
        &[MEGAN, LEE],
    );
    for (k, v) in [
        ("showAs", json!("workingElsewhere")),
        ("isReminderOn", json!(true)),
        ("reminderMinutesBeforeStart", json!(60)),
        ("importance", json!("High")),
        ("sensitivity", json!("private")),
        ("categories", json!(["Red category", "Travel"])),
        ("responseRequested", json!(false)),
        ("hideAttendees", json!(true)),
    ] {
        body[k] = v;
    }
    let a = f.post("/me/events", body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_str().unwrap().to_string();
    let path = format!("/me/events/{}", seg(&id));
    let got = f.call(Method::GET, &path, None, &[]).await.body;
    assert_eq!(got["showAs"], "workingElsewhere");
    assert_eq!(got["reminderMinutesBeforeStart"], 60);
    // Enum members come back as the service spells them, whatever case was sent.
    assert_eq!(got["importance"], "high");
    assert_eq!(got["sensitivity"], "private");
    assert_eq!(got["categories"], json!(["Red category", "Travel"]));
    assert_eq!(got["responseRequested"], false);
    assert_eq!(got["hideAttendees"], true);
    // Not sent: the documented default.
    assert_eq!(got["allowNewTimeProposals"], true);

    let patch = json!({"showAs": "oof", "isReminderOn": false, "importance": "low",
        "categories": [], "allowNewTimeProposals": false, "hideAttendees": false});
    let p = f.call(Method::PATCH, &path, Some(patch), &[]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let got = f.call(Method::GET, &path, None, &[]).await.body;
    assert_eq!(got["showAs"], "oof");
    assert_eq!(got["isReminderOn"], false);
    assert_eq!(got["importance"], "low");
    assert_eq!(got["sensitivity"], "private", "left alone by the PATCH");
    assert_eq!(got["categories"], json!([]));
    assert_eq!(got["allowNewTimeProposals"], false);
    assert_eq!(got["hideAttendees"], false);
    // The organizer's own fields mail nobody: only the create's two invitations.
    assert_eq!(f.mail().await.len(), 2);
}

/// A value outside the type or the enum is refused with the service's error shape, on
/// create and PATCH alike, and nothing is made or changed.
#[tokio::test]
async fn a_bad_invitation_field_is_refused_and_changes_nothing() {
    let f = start().await;
    let base = || {
        teams_event(
            "Bad",
            "2031-01-07T09:00:00",
            "2031-01-07T09:30:00",
            "UTC",
            &[MEGAN],
        )
    };
    for (k, v, words) in [
        (
            "showAs",
            json!("away"),
            "not found in the enum for property 'showAs'",
        ),
        ("importance", json!("urgent"), "property 'importance'"),
        ("sensitivity", json!("secret"), "property 'sensitivity'"),
        ("hideAttendees", json!("yes"), "'Edm.Boolean'"),
        ("reminderMinutesBeforeStart", json!("15"), "'Edm.Int32'"),
        ("reminderMinutesBeforeStart", json!(1.5), "'Edm.Int32'"),
        ("categories", json!("Red"), "collection"),
    ] {
        let mut body = base();
        body[k] = v.clone();
        let a = f.post("/me/events", body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{k}={v}");
        assert_eq!(error_code(&a), "ErrorInvalidRequest", "{k}={v}");
        let message = a.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{k}={v}: {message}");
        assert!(a.body["error"]["innerError"]["request-id"].is_string());
    }
    assert!(f.mail().await.is_empty(), "nothing was made");
    let a = f.post("/me/events", base()).await;
    let path = format!("/me/events/{}", seg(a.body["id"].as_str().unwrap()));
    let p = f
        .call(
            Method::PATCH,
            &path,
            Some(json!({"subject": "Renamed", "sensitivity": "secret"})),
            &[],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let got = f.call(Method::GET, &path, None, &[]).await.body;
    assert_eq!(got["subject"], "Bad", "a refused PATCH changes nothing");
    assert_eq!(got["sensitivity"], "normal");
}

/// hideAttendees: each invitee's copy lists only themselves (GRAPH-NEXT §4.3); the
/// organizer's lists everyone.
#[tokio::test]
async fn hidden_attendees_see_only_themselves() {
    let f = start().await;
    let mut body = teams_event(
        "Hidden",
        "2031-01-08T09:00:00",
        "2031-01-08T09:30:00",
        "UTC",
        &[MEGAN, LEE],
    );
    body["hideAttendees"] = json!(true);
    let a = f.post("/me/events", body).await;
    let id = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(a.body["attendees"].as_array().unwrap().len(), 2);
    assert!(f.emu.sign_in_as(Some(MEGAN)));
    let megan = token(&f.emu, ALL_SCOPES);
    assert!(f.emu.sign_in_as(None));
    let megans = f
        .call_as(
            &megan,
            Method::GET,
            &format!("/me/events/{}", seg(&id)),
            None,
            &[],
        )
        .await;
    assert_eq!(megans.status, StatusCode::OK, "{}", megans.body);
    let list = megans.body["attendees"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["emailAddress"]["address"], MEGAN);
}

/// The mailbox's categories (GRAPH-NEXT §5): read with MailboxSettings.Read, refused
/// without it; unique names, colours `none` or `preset0`–`preset24`.
#[tokio::test]
async fn master_categories_need_mailbox_settings_read() {
    let f = start().await;
    let path = "/me/outlook/masterCategories";
    let refused = f.call(Method::GET, path, None, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let read = token(&f.emu, &["Calendars.ReadWrite", "MailboxSettings.Read"]);
    let a = f.call_as(&read, Method::GET, path, None, &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(
        a.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/outlook/masterCategories")
    );
    let list = a.body["value"].as_array().unwrap();
    let mut names: Vec<&str> = list
        .iter()
        .map(|c| c["displayName"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Red category"), "{names:?}");
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), list.len());
    for c in list {
        let color = c["color"].as_str().unwrap();
        let preset = color
            .strip_prefix("preset")
            .map(|n| n.parse::<u8>().unwrap());
        assert!(color == "none" || preset.is_some_and(|n| n <= 24), "{c}");
        assert!(c["id"].as_str().is_some_and(|id| id.len() == 36), "{c}");
    }
}
