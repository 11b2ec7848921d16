//! People across time zones (GRAPH-NEXT §6): `mailboxSettings` with its permission, its
//! shapes and its fault; each colleague's working hours in their own zone from getSchedule;
//! findMeetingTimes keeping `work` suggestions within everyone's hours. Times are in
//! January 2031 (Monday the 6th on), past the seeded weeks; the organization works in UTC.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions, MailboxModes};

const NESTOR: &str = "NestorW@contoso.onmicrosoft.com";
const PATTI: &str = "PattiF@contoso.onmicrosoft.com";
const LEE: &str = "LeeG@contoso.onmicrosoft.com";
const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

struct Fixture {
    emu: Emulator,
    http: Client,
}

async fn start(mailbox: &str) -> Fixture {
    let emu = Emulator::start(EmulatorOptions {
        org_time_zone: Some("UTC".into()),
        mailbox: mailbox.parse::<MailboxModes>().unwrap(),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    Fixture {
        emu,
        http: Client::new(),
    }
}

impl Fixture {
    fn token(&self, scopes: &[&str]) -> String {
        let scope: String = scopes
            .iter()
            .map(|s| format!("https://graph.microsoft.com/{s} "))
            .collect();
        let (access, _) = self.emu.mint_user_token_with_scopes(
            "organizations",
            &format!("{scope}offline_access"),
            Duration::from_secs(3600),
        );
        access.expose().to_string()
    }

    async fn send(&self, token: &str, post: Option<Value>, path: &str) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.emu.graph_url());
        let req = match post {
            Some(body) => self
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string()),
            None => self.http.get(url),
        };
        let resp = req.bearer_auth(token).send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.send(token, None, path).await
    }
}

#[tokio::test]
async fn mailbox_settings_need_their_permission_and_have_the_documented_shape() {
    let f = start("").await;
    let without = f.token(&["Calendars.ReadWrite", "User.Read"]);
    let (status, body) = f.get(&without, "/me/mailboxSettings").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "ErrorAccessDenied");

    let with = f.token(&["MailboxSettings.Read"]);
    let (status, body) = f.get(&with, "/me/mailboxSettings").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/mailboxSettings"),
        "{body}"
    );
    assert_eq!(body["timeZone"], "UTC");
    assert_eq!(
        body["workingHours"],
        json!({"daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
               "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
               "timeZone": {"name": "UTC"}})
    );
    assert_eq!(body["dateFormat"], "MM/dd/yyyy");
    assert_eq!(body["timeFormat"], "hh:mm tt");
    assert_eq!(body["userPurpose"], json!({"value": "user"}));
    assert_eq!(body["language"]["locale"], "en-US");

    // One property by its path: a primitive in `value`, an object as itself.
    let (status, zone) = f.get(&with, "/me/mailboxSettings/timeZone").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(zone["value"], "UTC");
    let (_, hours) = f.get(&with, "/me/mailboxSettings/workingHours").await;
    assert_eq!(hours["startTime"], "08:00:00.0000000");
    let (status, _) = f.get(&with, "/me/mailboxSettings/colour").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Another person's settings need delegate access, which nobody has granted.
    let (status, _) = f
        .get(&with, &format!("/users/{NESTOR}/mailboxSettings"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = f
        .get(&with, &format!("/users/{DEMO_USER_UPN}/mailboxSettings"))
        .await;
    assert_eq!(status, StatusCode::OK, "one's own mailbox by name");
}

#[tokio::test]
async fn an_app_without_the_mailbox_settings_role_is_refused() {
    // The emulated app registration holds the meetings and directory roles only.
    let f = start("").await;
    let app = f
        .emu
        .mint_app_token("organizations", Duration::from_secs(3600));
    let (status, body) = f
        .get(app.expose(), &format!("/users/{NESTOR}/mailboxSettings"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "ErrorAccessDenied");
}

#[tokio::test]
async fn the_mailbox_modes_give_a_zone_a_custom_zone_and_the_enum_purpose() {
    let f = start("zone=Europe/Berlin,hours=custom,purpose=enum").await;
    let t = f.token(&["MailboxSettings.Read", "Calendars.ReadWrite"]);
    let (_, body) = f.get(&t, "/me/mailboxSettings").await;
    // Named the Windows way, although the mode named the IANA zone.
    assert_eq!(body["timeZone"], "W. Europe Standard Time");
    assert_eq!(body["userPurpose"], "user");
    let zone = &body["workingHours"]["timeZone"];
    assert_eq!(zone["@odata.type"], "#microsoft.graph.customTimeZone");
    assert_eq!(zone["bias"], 60);
    assert!(zone["standardOffset"]["month"].is_number(), "{zone}");
    // getSchedule gives the same custom zone for the signed-in person.
    let (_, schedule) = f
        .send(
            &t,
            Some(json!({
                "schedules": [DEMO_USER_UPN],
                "startTime": {"dateTime": "2031-01-06T08:00:00", "timeZone": "UTC"},
                "endTime": {"dateTime": "2031-01-06T09:00:00", "timeZone": "UTC"},
            })),
            "/me/calendar/getSchedule",
        )
        .await;
    assert_eq!(
        schedule["value"][0]["workingHours"]["timeZone"]["@odata.type"],
        "#microsoft.graph.customTimeZone"
    );

    let none = start("mailbox=none").await;
    let t = none.token(&["MailboxSettings.Read"]);
    let (status, body) = none.get(&t, "/me/mailboxSettings").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "MailboxNotEnabledForRESTAPI");
}

#[tokio::test]
async fn get_schedule_gives_each_person_their_own_hours_and_zone() {
    let f = start("").await;
    let t = f.token(&["Calendars.Read.Shared"]);
    let (status, body) = f
        .send(
            &t,
            Some(json!({
                "schedules": [DEMO_USER_UPN, NESTOR, PATTI, LEE],
                "startTime": {"dateTime": "2031-01-06T00:00:00", "timeZone": "UTC"},
                "endTime": {"dateTime": "2031-01-07T00:00:00", "timeZone": "UTC"},
            })),
            "/me/calendar/getSchedule",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hours = |i: usize| body["value"][i]["workingHours"].clone();
    assert_eq!(hours(0)["timeZone"]["name"], "UTC");
    // Not the Prefer zone (UTC here) but the person's own (GRAPH-NEXT §6.2).
    assert_eq!(hours(1)["timeZone"]["name"], "Tokyo Standard Time");
    assert_eq!(hours(1)["startTime"], "09:00:00.0000000");
    assert_eq!(hours(1)["endTime"], "18:00:00.0000000");
    assert_eq!(hours(2)["timeZone"]["name"], "Eastern Standard Time");
    assert_eq!(hours(2)["endTime"], "17:30:00.0000000");
    assert_eq!(
        hours(3)["daysOfWeek"],
        json!(["monday", "tuesday", "wednesday", "thursday"]),
        "a four-day week"
    );
}

fn find(attendees: &[&str], domain: &str, start: &str, end: &str) -> Value {
    json!({
        "attendees": attendees.iter().map(|a| json!({"type": "required", "emailAddress": {"address": a}})).collect::<Vec<_>>(),
        "timeConstraint": {"activityDomain": domain, "timeSlots": [{
            "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": end, "timeZone": "UTC"},
        }]},
        "meetingDuration": "PT1H",
        "maxCandidates": 40,
    })
}

fn starts(body: &Value) -> Vec<String> {
    let mut s: Vec<String> = body["meetingTimeSuggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["meetingTimeSlot"]["start"]["dateTime"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    s.sort();
    s
}

#[tokio::test]
async fn work_suggestions_lie_within_every_required_attendees_hours() {
    let f = start("").await;
    let t = f.token(&["Calendars.Read.Shared"]);
    let day = ("2031-01-06T00:00:00", "2031-01-07T00:00:00");
    // The organizer works 08:00–17:00 UTC, Nestor 09:00–18:00 Tokyo (00:00–09:00 UTC):
    // one hour in common.
    let (status, body) = f
        .send(
            &t,
            Some(find(&[NESTOR], "work", day.0, day.1)),
            "/me/findMeetingTimes",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(starts(&body), ["2031-01-06T08:00:00.0000000"], "{body}");
    // Unrestricted: the hours of neither bind.
    let (_, any) = f
        .send(
            &t,
            Some(find(&[NESTOR], "unrestricted", day.0, day.1)),
            "/me/findMeetingTimes",
        )
        .await;
    assert!(starts(&any).len() > 20, "{any}");
    // Nestor and Patti (New York, 14:00–22:30 UTC in January) share no hour with each
    // other: the attendees are unavailable, not the organizer.
    let (_, none) = f
        .send(
            &t,
            Some(find(&[NESTOR, PATTI], "work", day.0, day.1)),
            "/me/findMeetingTimes",
        )
        .await;
    assert_eq!(none["meetingTimeSuggestions"], json!([]));
    assert_eq!(none["emptySuggestionsReason"], "attendeesUnavailable");
    // Lee does not work on Fridays (2031-01-10); Megan does.
    let friday = ("2031-01-10T08:00:00", "2031-01-10T17:00:00");
    let (_, lee) = f
        .send(
            &t,
            Some(find(&[LEE], "work", friday.0, friday.1)),
            "/me/findMeetingTimes",
        )
        .await;
    assert_eq!(lee["meetingTimeSuggestions"], json!([]));
    let (_, megan) = f
        .send(
            &t,
            Some(find(&[MEGAN], "work", friday.0, friday.1)),
            "/me/findMeetingTimes",
        )
        .await;
    assert!(!starts(&megan).is_empty(), "{megan}");
}
