//! What real tenants do to online meetings that the documentation does not say
//! (GRAPH-REAL.md), each as a mode of the emulator: short join links with an expiry (Q8,
//! Q9), no dial-in without an Audio Conferencing licence (Q3), another account's meeting
//! answering 404 "Organizer Id mismatch" (Q16), a PATCH answered 500 after it was applied
//! (Q15) and a create answered 504 after it was made (Q31).
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{Emulator, EmulatorOptions, Fault, NO_DIAL_IN_UPN};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

fn token(emu: &Emulator) -> String {
    let (access, _) = emu.mint_user_token("organizations", Duration::from_secs(3600));
    access.expose().to_string()
}

async fn call(
    emu: &Emulator,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let url = format!("{}{path}", emu.graph_url());
    let mut rb = Client::new().request(method, url).bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn meeting() -> Value {
    json!({"subject": "Modes", "startDateTime": "2037-03-01T10:00:00Z", "endDateTime": "2037-03-01T10:30:00Z"})
}

#[tokio::test]
async fn short_links_carry_the_expiry_and_the_share_is_configurable() {
    let emu = Emulator::start(EmulatorOptions {
        short_link_percent: 100,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let t = token(&emu);
    let (status, m) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let link = m["joinWebUrl"].as_str().unwrap();
    let id = m["joinMeetingIdSettings"]["joinMeetingId"]
        .as_str()
        .unwrap();
    assert!(
        link.starts_with(&format!("https://teams.microsoft.com/meet/{id}?p=")),
        "{link}"
    );
    assert_eq!(m["expiryDateTime"], "2037-04-30T10:30:00.0000000Z");
    // Found by its link as the long ones are.
    let filter = format!(
        "/me/onlineMeetings?$filter={}",
        url::form_urlencoded::byte_serialize(format!("JoinWebUrl eq '{link}'").as_bytes())
            .collect::<String>()
    );
    let (status, found) = call(&emu, &t, Method::GET, &filter, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["value"][0]["id"], m["id"]);
    emu.set_short_links(0);
    let (_, long) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    assert!(
        long["joinWebUrl"]
            .as_str()
            .unwrap()
            .contains("/l/meetup-join/")
    );
    // The control endpoint sets the share for a separate emulator process.
    let set = Client::new()
        .post(format!("http://{}/_emulator/links", emu.addr()))
        .body("short=101")
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_an_audio_conferencing_licence_there_is_no_dial_in() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    assert!(emu.sign_in_as(Some(NO_DIAL_IN_UPN)));
    let t = token(&emu);
    let (_, m) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    assert_eq!(m["participants"]["organizer"]["upn"], NO_DIAL_IN_UPN);
    assert!(
        m["audioConferencing"].is_null(),
        "{}",
        m["audioConferencing"]
    );
    // The licence given back, dial-in comes back.
    assert!(emu.set_audio_conferencing(NO_DIAL_IN_UPN, true));
    let (_, m) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    assert!(m["audioConferencing"]["conferenceId"].is_string());
}

#[tokio::test]
async fn another_accounts_meeting_answers_organizer_id_mismatch() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let adele = token(&emu);
    let (_, m) = call(
        &emu,
        &adele,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    let path = format!("/me/onlineMeetings/{}", m["id"].as_str().unwrap());
    assert!(emu.sign_in_as(Some(MEGAN)));
    let megan = token(&emu);
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"subject": "Mine"}));
        let (status, err) = call(&emu, &megan, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(err["error"]["message"], "Organizer Id mismatch", "{method}");
    }
    assert_eq!(emu.stored_meetings()[0]["subject"], "Modes");
}

#[tokio::test]
async fn a_patch_answered_500_was_applied_and_a_504_create_was_made() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let t = token(&emu);
    let (_, m) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    let path = format!("/me/onlineMeetings/{}", m["id"].as_str().unwrap());
    // The PATCH fault waits for a PATCH: a GET first is answered as usual.
    emu.push_fault("500-after-patch".parse::<Fault>().unwrap());
    let (status, _) = call(&emu, &t, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = call(
        &emu,
        &t,
        Method::PATCH,
        &path,
        Some(json!({"subject": "Moved"})),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(err["error"]["code"], "UnknownError");
    let (_, now) = call(&emu, &t, Method::GET, &path, None).await;
    assert_eq!(now["subject"], "Moved");
    emu.push_fault("504-after-write".parse::<Fault>().unwrap());
    let (status, _) = call(
        &emu,
        &t,
        Method::POST,
        "/me/onlineMeetings",
        Some(meeting()),
    )
    .await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(emu.meeting_count(), 2);
}
