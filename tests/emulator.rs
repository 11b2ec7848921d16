//! The emulator over raw HTTP: what any client (not just tmeet's) would see.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{Emulator, EmulatorOptions, Fault, RetryAfter};

const GRAPH_SCOPE: &str =
    "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access openid profile";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn start(opts: EmulatorOptions) -> Emulator {
    Emulator::start(opts).await.expect("emulator starts")
}

/// Fast device-code polling for tests: interval 0 never answers slow_down for spacing.
fn fast() -> EmulatorOptions {
    EmulatorOptions {
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    }
}

async fn form(c: &Client, url: String, params: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = c.post(url).form(params).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

fn endpoint(emu: &Emulator, tenant: &str, name: &str) -> String {
    format!("{}{tenant}/oauth2/v2.0/{name}", emu.login_url())
}

async fn device_code(c: &Client, emu: &Emulator) -> Value {
    let (s, body) = form(
        c,
        endpoint(emu, "organizations", "devicecode"),
        &[("client_id", "app-1"), ("scope", GRAPH_SCOPE)],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

async fn poll(c: &Client, emu: &Emulator, device_code: &str) -> (StatusCode, Value) {
    form(
        c,
        endpoint(emu, "organizations", "token"),
        &[
            ("grant_type", DEVICE_GRANT),
            ("client_id", "app-1"),
            ("device_code", device_code),
        ],
    )
    .await
}

fn assert_oauth_error(body: &Value, error: &str) {
    assert_eq!(body["error"], error, "{body}");
    for field in [
        "error_description",
        "timestamp",
        "trace_id",
        "correlation_id",
    ] {
        assert!(body[field].is_string(), "{field} missing in {body}");
    }
}

#[tokio::test]
async fn device_code_flow_pending_then_approved() {
    let emu = start(fast()).await;
    let c = client();
    let dc = device_code(&c, &emu).await;
    assert_eq!(dc["interval"], 0);
    assert_eq!(dc["expires_in"], 900);
    let uri = dc["verification_uri"].as_str().unwrap();
    assert_eq!(uri, format!("{}devicelogin", emu.login_url()));
    let user_code = dc["user_code"].as_str().unwrap();
    assert!(dc["message"].as_str().unwrap().contains(user_code));
    assert!(dc.get("verification_uri_complete").is_none());

    let code = dc["device_code"].as_str().unwrap();
    let (s, body) = poll(&c, &emu, code).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_oauth_error(&body, "authorization_pending");
    assert_eq!(body["error_codes"], json!([70016]));
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS70016")
    );

    // The page a person would use.
    let page = c.get(uri).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<form"));
    let r = c
        .post(uri)
        .form(&[
            ("code", user_code.to_lowercase().as_str()),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let (s, body) = poll(&c, &emu, code).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert!(body["access_token"].as_str().unwrap().split('.').count() == 3);
    assert!(body["refresh_token"].is_string());
    assert!(body["id_token"].is_string());
    assert_eq!(body["scope"], "OnlineMeetings.ReadWrite openid profile");

    // A device code is redeemed once.
    let (s, body) = poll(&c, &emu, code).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_oauth_error(&body, "invalid_grant");
    assert_eq!(emu.token_requests(), vec![DEVICE_GRANT.to_string(); 3]);
}

#[tokio::test]
async fn device_code_declined_expired_unknown_and_slow_down() {
    let emu = start(EmulatorOptions {
        device_code_expires_secs: 0,
        ..fast()
    })
    .await;
    let c = client();
    let dc = device_code(&c, &emu).await;
    let (_, body) = poll(&c, &emu, dc["device_code"].as_str().unwrap()).await;
    assert_oauth_error(&body, "expired_token");
    assert_eq!(body["error_codes"], json!([70019]));
    let (_, body) = poll(&c, &emu, "not-a-code").await;
    assert_oauth_error(&body, "bad_verification_code");

    let emu = start(fast()).await;
    let dc = device_code(&c, &emu).await;
    let code = dc["device_code"].as_str().unwrap();
    assert!(emu.decline_device_code(dc["user_code"].as_str().unwrap()));
    let (_, body) = poll(&c, &emu, code).await;
    assert_oauth_error(&body, "authorization_declined");
    assert!(!emu.approve_device_code(dc["user_code"].as_str().unwrap()));

    let emu = start(fast()).await;
    emu.push_fault(Fault::SlowDown);
    let dc = device_code(&c, &emu).await;
    let code = dc["device_code"].as_str().unwrap();
    let (_, body) = poll(&c, &emu, code).await;
    assert_oauth_error(&body, "slow_down");
    let (_, body) = poll(&c, &emu, code).await;
    assert_oauth_error(&body, "authorization_pending");

    // Polling faster than the interval is answered with slow_down too.
    let emu = start(EmulatorOptions::default()).await;
    let dc = device_code(&c, &emu).await;
    assert_eq!(dc["interval"], 5);
    let code = dc["device_code"].as_str().unwrap();
    let (_, body) = poll(&c, &emu, code).await;
    assert_oauth_error(&body, "authorization_pending");
    let (_, body) = poll(&c, &emu, code).await;
    assert_oauth_error(&body, "slow_down");
}

#[tokio::test]
async fn demo_mode_approves_on_first_poll() {
    let emu = start(EmulatorOptions {
        faults: vec![],
        ..EmulatorOptions::demo().unwrap()
    })
    .await;
    let c = client();
    let dc = device_code(&c, &emu).await;
    assert_eq!(dc["interval"], 1);
    let (s, body) = poll(&c, &emu, dc["device_code"].as_str().unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn identity_refuses_bad_requests() {
    let emu = start(fast()).await;
    let c = client();
    // JSON instead of a form.
    let r = c
        .post(endpoint(&emu, "organizations", "devicecode"))
        .json(&json!({"client_id": "a", "scope": GRAPH_SCOPE}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().contains_key("request-id"));
    assert!(r.headers().contains_key("x-ms-request-id"));
    assert_oauth_error(&r.json().await.unwrap(), "invalid_request");
    // Missing scope.
    let (s, body) = form(
        &c,
        endpoint(&emu, "organizations", "devicecode"),
        &[("client_id", "a")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("'scope'")
    );
    // Personal accounts.
    let (s, body) = form(
        &c,
        endpoint(&emu, "consumers", "devicecode"),
        &[("client_id", "a"), ("scope", GRAPH_SCOPE)],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_oauth_error(&body, "unauthorized_client");
    // Unknown grant.
    let (_, body) = form(
        &c,
        endpoint(&emu, "organizations", "token"),
        &[("grant_type", "password"), ("client_id", "a")],
    )
    .await;
    assert_oauth_error(&body, "unsupported_grant_type");
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_is_spent() {
    let emu = start(fast()).await;
    let c = client();
    let dc = device_code(&c, &emu).await;
    assert!(emu.approve_device_code(dc["user_code"].as_str().unwrap()));
    let (_, first) = poll(&c, &emu, dc["device_code"].as_str().unwrap()).await;
    let rt1 = first["refresh_token"].as_str().unwrap();
    let refresh = |rt: String| {
        let c = c.clone();
        let url = endpoint(&emu, "organizations", "token");
        async move {
            form(
                &c,
                url,
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", "app-1"),
                    ("refresh_token", &rt),
                ],
            )
            .await
        }
    };
    let (s, second) = refresh(rt1.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(rt1, rt2);
    assert_ne!(first["access_token"], second["access_token"]);
    let (s, body) = refresh(rt1.to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_oauth_error(&body, "invalid_grant");
    let (s, _) = refresh(rt2.to_string()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        emu.token_requests(),
        [
            DEVICE_GRANT,
            "refresh_token",
            "refresh_token",
            "refresh_token"
        ]
    );
}

#[tokio::test]
async fn client_credentials() {
    let emu = start(fast()).await;
    let c = client();
    let tenant = "11111111-2222-3333-4444-555555555555";
    let cc = |tenant: &str, secret: &str, scope: &str| {
        let c = c.clone();
        let url = endpoint(&emu, tenant, "token");
        let (secret, scope) = (secret.to_string(), scope.to_string());
        async move {
            form(
                &c,
                url,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "app-1"),
                    ("client_secret", &secret),
                    ("scope", &scope),
                ],
            )
            .await
        }
    };
    let (s, body) = cc(tenant, "s3cret", "https://graph.microsoft.com/.default").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none());

    let (s, body) = cc(
        tenant,
        tmeet_emulator::BAD_CLIENT_SECRET,
        "https://graph.microsoft.com/.default",
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_oauth_error(&body, "invalid_client");
    assert_eq!(body["error_codes"], json!([7000215]));

    let (_, body) = cc(
        tenant,
        "s3cret",
        "https://graph.microsoft.com/OnlineMeetings.ReadWrite.All",
    )
    .await;
    assert_oauth_error(&body, "invalid_scope");
    let (_, body) = cc(
        "organizations",
        "s3cret",
        "https://graph.microsoft.com/.default",
    )
    .await;
    assert_oauth_error(&body, "invalid_request");
    let (s, body) = cc(tenant, "", "https://graph.microsoft.com/.default").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_oauth_error(&body, "invalid_client");
}

#[tokio::test]
async fn token_endpoint_fault_and_control_approval() {
    let emu = start(fast()).await;
    let c = client();
    let r = c
        .post(format!("{}_emulator/faults", emu.login_url()))
        .body("token-503")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let dc = device_code(&c, &emu).await;
    let code = dc["device_code"].as_str().unwrap();
    let (s, body) = poll(&c, &emu, code).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_oauth_error(&body, "temporarily_unavailable");
    // Approve the newest pending code without knowing it, as a script would.
    let r = c
        .post(format!("{}_emulator/devicecode/approve", emu.login_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, _) = poll(&c, &emu, code).await;
    assert_eq!(s, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------
// Graph

use tmeet::graph::model::{BodyType, OnlineMeeting};
use tmeet::meeting::invitation;

const OTHER_USER: &str = "11111111-2222-3333-4444-555555555555";
const HOUR: Duration = Duration::from_secs(3600);

fn meetings_url(emu: &Emulator, target: &str) -> String {
    format!("{}/{target}/onlineMeetings", emu.graph_url())
}

fn body() -> Value {
    json!({
        "startDateTime": "2019-07-12T14:30:34.2444915-07:00",
        "endDateTime": "2019-07-12T15:00:34.2464912-07:00",
        "subject": "User Token Meeting",
    })
}

async fn post(c: &Client, url: &str, token: &str, body: &Value) -> reqwest::Response {
    c.post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn json_of(r: reqwest::Response) -> (StatusCode, Value) {
    let s = r.status();
    (s, r.json().await.unwrap())
}

fn assert_graph_error(status: StatusCode, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status.as_u16(), want_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let inner = &body["error"]["innerError"];
    for f in ["date", "request-id", "client-request-id"] {
        assert!(inner[f].is_string(), "{f} missing: {body}");
    }
}

fn is_graph_time(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    // 2019-07-12T21:30:34.2444915Z
    s.len() == 28 && s.ends_with('Z') && s.as_bytes()[19] == b'.'
}

#[tokio::test]
async fn seed_responses_parse_into_the_model() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed");
    for name in [
        "response-1.json",
        "response-2.json",
        "response-3.json",
        "join-information-ja.json",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let m: OnlineMeeting =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("response") {
            assert!(
                m.join_web_url.is_some() && m.join_meeting_id().is_some(),
                "{name}"
            );
        } else {
            let html = invitation::decode_html(m.join_information.as_ref().unwrap()).unwrap();
            assert!(html.contains("会議"));
        }
    }
}

#[tokio::test]
async fn create_answers_a_complete_realistic_meeting() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let r = c
        .post(meetings_url(&emu, "me"))
        .bearer_auth(token.expose())
        .header("client-request-id", "c0ffee00-0000-4000-8000-000000000001")
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let h = r.headers().clone();
    assert!(h["request-id"].to_str().unwrap().len() == 36);
    assert_eq!(
        h["client-request-id"],
        "c0ffee00-0000-4000-8000-000000000001"
    );
    assert!(h.contains_key("date"));
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: Value = r.json().await.unwrap();

    let ctx = v["@odata.context"].as_str().unwrap();
    assert!(
        ctx.ends_with(&format!(
            "$metadata#users('{}')/onlineMeetings/$entity",
            tmeet_emulator::DEMO_USER_ID
        )),
        "{ctx}"
    );
    assert_eq!(v["subject"], "User Token Meeting");
    assert_eq!(v["startDateTime"], "2019-07-12T21:30:34.2444915Z");
    assert_eq!(v["endDateTime"], "2019-07-12T22:00:34.2464912Z");
    assert!(
        is_graph_time(&v["creationDateTime"]),
        "{}",
        v["creationDateTime"]
    );
    let join_url = v["joinWebUrl"].as_str().unwrap();
    assert!(join_url.starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"));
    assert!(join_url.contains(tmeet_emulator::DEFAULT_TENANT_ID));
    let jm = &v["joinMeetingIdSettings"];
    let id = jm["joinMeetingId"].as_str().unwrap();
    assert!((10..=13).contains(&id.len()) && id.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(jm["isPasscodeRequired"], false);
    assert!(jm["passcode"].is_null());
    let ac = &v["audioConferencing"];
    for f in ["tollNumber", "tollFreeNumber", "conferenceId", "dialinUrl"] {
        assert!(ac[f].as_str().is_some_and(|s| !s.is_empty()), "{f}");
    }
    assert!(
        v["chatInfo"]["threadId"]
            .as_str()
            .unwrap()
            .ends_with("@thread.v2")
    );
    let org = &v["participants"]["organizer"];
    assert_eq!(org["role"], "presenter");
    assert_eq!(org["identity"]["user"]["id"], tmeet_emulator::DEMO_USER_ID);
    assert_eq!(
        org["identity"]["user"]["displayName"],
        tmeet_emulator::DEMO_USER_NAME
    );
    assert_eq!(
        org["identity"]["user"]["tenantId"],
        tmeet_emulator::DEFAULT_TENANT_ID
    );
    assert!(
        v["meetingOptionsWebUrl"]
            .as_str()
            .unwrap()
            .contains("meetingOptions")
    );

    let m: OnlineMeeting = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(m.organizer_name(), Some(tmeet_emulator::DEMO_USER_NAME));
    let info = m.join_information.as_ref().unwrap();
    assert_eq!(info.content_type, Some(BodyType::Html));
    assert!(
        info.content
            .as_deref()
            .unwrap()
            .starts_with("data%3Atext%2Fhtml%2C")
    );
    let html = invitation::decode_html(info).unwrap();
    assert!(html.contains("Microsoft Teams meeting"));
    assert!(html.contains(&join_url.replace('&', "&amp;")));
    let conf = ac["conferenceId"].as_str().unwrap();
    assert!(html.contains(&format!(
        "tel:{},,{conf}",
        ac["tollNumber"].as_str().unwrap()
    )));
    assert!(!html.contains("Passcode:"));
    let text = invitation::to_text(info, 100).unwrap();
    assert!(text.contains("Meeting options"), "{text}");
    assert_eq!(emu.meeting_count(), 1);
    assert_eq!(emu.graph_request_count(), 1);

    // With a passcode, and the invitation in the requested language.
    let mut b = body();
    b["joinMeetingIdSettings"] = json!({"isPasscodeRequired": true});
    let r = c
        .post(meetings_url(&emu, "me"))
        .bearer_auth(token.expose())
        .header("accept-language", "nl-NL, de-AT;q=0.8, en;q=0.5")
        .json(&b)
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_eq!(s, StatusCode::CREATED);
    let m: OnlineMeeting = serde_json::from_value(v).unwrap();
    let pass = m.passcode().unwrap();
    assert_eq!(pass.len(), 6);
    let html = invitation::decode_html(m.join_information.as_ref().unwrap()).unwrap();
    assert!(
        html.contains("Besprechungs-ID:") && html.contains(pass),
        "{html}"
    );
    assert!(
        m.meeting_options_web_url
            .unwrap()
            .ends_with("language=de-DE")
    );
}

#[tokio::test]
async fn every_template_language_is_served() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    for (lang, word) in [
        ("en-GB", "Meeting ID:"),
        ("de", "Besprechungs-ID:"),
        ("fr-CA", "ID de la réunion"),
        ("es-MX", "Id. de reunión:"),
        ("ja-JP", "会議 ID:"),
        ("ru", "Идентификатор собрания:"),
        ("zh-CN", "会议 ID:"),
        ("xx-YY", "Meeting ID:"),
    ] {
        let r = c
            .post(meetings_url(&emu, "me"))
            .bearer_auth(token.expose())
            .header("accept-language", lang)
            .json(&body())
            .send()
            .await
            .unwrap();
        let m: OnlineMeeting = r.json().await.unwrap();
        let html = invitation::decode_html(m.join_information.as_ref().unwrap()).unwrap();
        assert!(html.contains(word), "{lang}");
    }
}

#[tokio::test]
async fn create_validates_like_the_service() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let url = meetings_url(&emu, "me");
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let t = token.expose();

    let (s, v) = json_of(c.post(&url).json(&body()).send().await.unwrap()).await;
    assert_graph_error(s, &v, 401, "InvalidAuthenticationToken");
    let (s, v) = json_of(post(&c, &url, "garbage", &body()).await).await;
    assert_graph_error(s, &v, 401, "InvalidAuthenticationToken");
    let r = c
        .post(&url)
        .bearer_auth(t)
        .header("content-type", "text/plain")
        .body(body().to_string())
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 415, "UnsupportedMediaType");
    let r = c
        .post(&url)
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body("{\"subject\":")
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 400, "BadRequest");

    let cases = [
        json!({"endDateTime": "2026-01-01T10:00:00Z"}),
        json!({"subject": "  ", "endDateTime": "2026-01-01T10:00:00Z"}),
        json!({"subject": "x", "startDateTime": "2026-01-01T10:00:00Z"}),
        json!({"subject": "x", "startDateTime": "2026-01-01T10:00:00Z", "endDateTime": "2026-01-01T09:59:59Z"}),
        json!({"subject": 5, "endDateTime": "2026-01-01T10:00:00Z"}),
        json!({"subject": "x", "endDateTime": "next tuesday"}),
        json!({"subject": "x", "endDateTime": "2026-01-01T10:00:00Z", "allowedPresenters": "nobody"}),
        json!({"subject": "x", "endDateTime": "2026-01-01T10:00:00Z", "joinMeetingIdSettings": {"isPasscodeRequired": "yes"}}),
        json!({"subject": "x", "endDateTime": "2026-01-01T10:00:00Z", "favouriteColour": "blue"}),
        json!(["not", "an", "object"]),
    ];
    for case in cases {
        let (s, v) = json_of(post(&c, &url, t, &case).await).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }
    assert_eq!(emu.meeting_count(), 0);

    // Settable properties are kept; unknown enum members only with the Prefer header.
    let mut b = body();
    b["lobbyBypassSettings"] = json!({"scope": "invited", "isDialInBypassEnabled": true});
    b["allowedPresenters"] = json!("organizer");
    let (s, v) = json_of(post(&c, &url, t, &b).await).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["allowedPresenters"], "organizer");
    assert_eq!(v["lobbyBypassSettings"]["scope"], "unknownFutureValue");
    let r = c
        .get(format!("{url}/{}", v["id"].as_str().unwrap()))
        .bearer_auth(t)
        .header("prefer", "include-unknown-enum-members")
        .send()
        .await
        .unwrap();
    let (_, v) = json_of(r).await;
    assert_eq!(v["lobbyBypassSettings"]["scope"], "invited");

    // Expired tokens.
    emu.expire_access_tokens();
    let (s, v) = json_of(post(&c, &url, t, &body()).await).await;
    assert_graph_error(s, &v, 401, "InvalidAuthenticationToken");
    assert!(v["error"]["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn app_only_and_delegated_targets() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let app = emu.mint_app_token("contoso.onmicrosoft.com", HOUR);
    let (user, _) = emu.mint_user_token("organizations", HOUR);

    let (s, v) = json_of(post(&c, &meetings_url(&emu, "me"), app.expose(), &body()).await).await;
    assert_graph_error(s, &v, 400, "BadRequest");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("delegated")
    );

    let (s, v) = json_of(
        post(
            &c,
            &meetings_url(&emu, &format!("users/{OTHER_USER}")),
            app.expose(),
            &body(),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        v["participants"]["organizer"]["identity"]["user"]["id"],
        OTHER_USER
    );
    let other_meeting = v["id"].as_str().unwrap().to_string();

    let (s, v) = json_of(
        post(
            &c,
            &meetings_url(&emu, "users/nobody@example.com"),
            app.expose(),
            &body(),
        )
        .await,
    )
    .await;
    assert_graph_error(s, &v, 404, "NotFound");

    // Delegated: only the signed-in user, by object id or UPN.
    let (s, v) = json_of(
        post(
            &c,
            &meetings_url(&emu, &format!("users/{OTHER_USER}")),
            user.expose(),
            &body(),
        )
        .await,
    )
    .await;
    assert_graph_error(s, &v, 403, "Forbidden");
    let (s, _) = json_of(
        post(
            &c,
            &meetings_url(&emu, &format!("users/{}", tmeet_emulator::DEMO_USER_UPN)),
            user.expose(),
            &body(),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    // Someone else's meeting is not found under /me.
    let r = c
        .get(format!("{}/{other_meeting}", meetings_url(&emu, "me")))
        .bearer_auth(user.expose())
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 404, "NotFound");
    assert_eq!(v["error"]["message"], "Organizer Id mismatch");
    let r = c
        .get(format!(
            "{}/{other_meeting}",
            meetings_url(&emu, &format!("users/{OTHER_USER}"))
        ))
        .bearer_auth(app.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn create_or_get_uses_external_id() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let app = emu.mint_app_token("contoso.onmicrosoft.com", HOUR);
    let url = |user: &str| {
        format!(
            "{}/createOrGet",
            meetings_url(&emu, &format!("users/{user}"))
        )
    };
    let b = json!({
        "externalId": "standup-42",
        "subject": "Standup",
        "startDateTime": "2026-03-02T09:00:00+01:00",
        "joinMeetingIdSettings": {"isPasscodeRequired": true},
    });
    let (s, first) = json_of(post(&c, &url(OTHER_USER), app.expose(), &b).await).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["externalId"], "standup-42");
    assert_eq!(first["endDateTime"], "2026-03-02T09:00:00.0000000Z");
    assert!(first["joinMeetingIdSettings"]["passcode"].is_null());
    let mut again = b.clone();
    again["subject"] = json!("Ignored for an existing meeting");
    let (s, second) = json_of(post(&c, &url(OTHER_USER), app.expose(), &again).await).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(second["id"], first["id"]);
    assert_eq!(second["subject"], "Standup");
    let (s, third) =
        json_of(post(&c, &url(tmeet_emulator::DEMO_USER_ID), app.expose(), &b).await).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_ne!(third["id"], first["id"]);
    assert_eq!(emu.meeting_count(), 2);

    // Defaults: start now, end an hour later.
    let (s, v) = json_of(
        post(
            &c,
            &url(OTHER_USER),
            app.expose(),
            &json!({"externalId": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let m: OnlineMeeting = serde_json::from_value(v).unwrap();
    assert_eq!(
        (m.end_date_time.unwrap() - m.start_date_time.unwrap()).num_minutes(),
        60
    );

    for bad in [
        json!({"subject": "no external id"}),
        json!({"externalId": "y", "endDateTime": "2026-03-02T09:00:00Z"}),
        json!({"externalId": "y", "startDateTime": "2026-03-02T09:00:00Z", "endDateTime": "2026-03-02T08:00:00Z"}),
    ] {
        let (s, v) = json_of(post(&c, &url(OTHER_USER), app.expose(), &bad).await).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }
}

#[tokio::test]
async fn get_filter_patch_delete() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let t = token.expose();
    let url = meetings_url(&emu, "me");
    let (_, created) = json_of(post(&c, &url, t, &body()).await).await;
    let id = created["id"].as_str().unwrap();
    let item = format!("{url}/{id}");

    let r = c.get(&item).bearer_auth(t).send().await.unwrap();
    let (s, v) = json_of(r).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["joinWebUrl"], created["joinWebUrl"]);
    assert!(v["@odata.context"].as_str().unwrap().ends_with("/$entity"));

    // Filters answer collections.
    let join_url = created["joinWebUrl"].as_str().unwrap();
    let r = c
        .get(&url)
        .query(&[("$filter", format!("JoinWebUrl eq '{join_url}'"))])
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    assert_eq!(v["value"][0]["id"], created["id"]);
    let jmid = created["joinMeetingIdSettings"]["joinMeetingId"]
        .as_str()
        .unwrap();
    let r = c
        .get(&url)
        .query(&[(
            "$filter",
            format!("joinMeetingIdSettings/joinMeetingId eq '{jmid}'"),
        )])
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    let (_, v) = json_of(r).await;
    assert_eq!(v["value"][0]["id"], created["id"]);
    let r = c
        .get(&url)
        .query(&[("$filter", "joinMeetingIdSettings/joinMeetingId eq '000'")])
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    let (_, v) = json_of(r).await;
    assert_eq!(v["value"], json!([]));
    // An unencoded join URL, an unquoted value, no filter at all.
    let raw = format!("{url}?$filter=JoinWebUrl%20eq%20'{join_url}'");
    let (s, v) = json_of(c.get(raw).bearer_auth(t).send().await.unwrap()).await;
    assert_graph_error(s, &v, 400, "BadRequest");
    let r = c
        .get(&url)
        .query(&[("$filter", "JoinWebUrl eq x")])
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 400, "BadRequest");
    let (s, v) = json_of(c.get(&url).bearer_auth(t).send().await.unwrap()).await;
    assert_graph_error(s, &v, 400, "BadRequest");

    // PATCH: only changed fields; both times together; no joinMeetingIdSettings.
    let patch = |b: Value| {
        let c = c.clone();
        let item = item.clone();
        let t = t.to_string();
        async move { json_of(c.patch(item).bearer_auth(t).json(&b).send().await.unwrap()).await }
    };
    let (s, v) = patch(json!({"subject": "Renamed", "allowMeetingChat": "limited"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["subject"], "Renamed");
    assert_eq!(v["allowMeetingChat"], "limited");
    assert_eq!(v["startDateTime"], created["startDateTime"]);
    assert_eq!(v["joinWebUrl"], created["joinWebUrl"]);
    let (s, v) = patch(json!({"startDateTime": "2026-01-01T08:00:00Z", "endDateTime": "2026-01-01T11:00:00+02:00"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["endDateTime"], "2026-01-01T09:00:00.0000000Z");
    for bad in [
        json!({"startDateTime": "2026-01-01T10:00:00Z"}),
        json!({"startDateTime": "2026-01-01T10:00:00Z", "endDateTime": "2026-01-01T09:00:00Z"}),
        json!({"joinMeetingIdSettings": {"isPasscodeRequired": true}}),
        json!({"joinWebUrl": "https://elsewhere"}),
        json!({"meetingTemplateId": "t"}),
        json!({"participants": {"organizer": {"upn": "x@y"}}}),
    ] {
        let (s, v) = patch(bad.clone()).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }

    let r = c.delete(&item).bearer_auth(t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.headers().contains_key("request-id"));
    let (s, v) = json_of(c.get(&item).bearer_auth(t).send().await.unwrap()).await;
    assert_graph_error(s, &v, 404, "NotFound");
    assert_eq!(emu.meeting_count(), 0);
}

// ---------------------------------------------------------------------------------------
// Faults

async fn create_once(c: &Client, emu: &Emulator, token: &str) -> reqwest::Response {
    post(c, &meetings_url(emu, "me"), token, &body()).await
}

#[tokio::test]
async fn status_faults_answer_in_queue_order() {
    let emu = start(EmulatorOptions {
        faults: vec![Fault::Throttle {
            retry_after: RetryAfter::Seconds(2),
        }],
        ..EmulatorOptions::default()
    })
    .await;
    for f in [
        "429-date:30",
        "429-none",
        "503:4",
        "503",
        "500",
        "401",
        "403",
    ] {
        emu.push_fault(f.parse().unwrap());
    }
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let t = token.expose();

    let r = create_once(&c, &emu, t).await;
    assert_eq!(r.headers()["retry-after"], "2");
    assert!(r.headers().contains_key("request-id"));
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 429, "TooManyRequests");

    let r = create_once(&c, &emu, t).await;
    assert_eq!(r.status().as_u16(), 429);
    let date = httpdate::parse_http_date(r.headers()["retry-after"].to_str().unwrap()).unwrap();
    let ahead = date.duration_since(std::time::SystemTime::now()).unwrap();
    assert!(
        ahead > Duration::from_secs(20) && ahead <= Duration::from_secs(31),
        "{ahead:?}"
    );

    let r = create_once(&c, &emu, t).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(!r.headers().contains_key("retry-after"));

    let r = create_once(&c, &emu, t).await;
    assert_eq!(r.headers()["retry-after"], "4");
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 503, "serviceNotAvailable");
    let r = create_once(&c, &emu, t).await;
    assert!(!r.headers().contains_key("retry-after"));
    assert_eq!(r.status().as_u16(), 503);
    let (s, v) = json_of(create_once(&c, &emu, t).await).await;
    assert_graph_error(s, &v, 500, "UnknownError");
    let r = create_once(&c, &emu, t).await;
    assert!(r.headers().contains_key("www-authenticate"));
    let (s, v) = json_of(r).await;
    assert_graph_error(s, &v, 401, "InvalidAuthenticationToken");
    let (s, v) = json_of(create_once(&c, &emu, t).await).await;
    assert_graph_error(s, &v, 403, "General");
    assert_eq!(
        v["error"]["message"],
        "No application access policy found for this app."
    );
    assert_eq!(emu.meeting_count(), 0);

    // The queue is empty: back to normal.
    assert_eq!(create_once(&c, &emu, t).await.status(), StatusCode::CREATED);
    assert_eq!(emu.graph_request_count(), 9);
}

#[tokio::test]
async fn malformed_body_still_creates() {
    let emu = start(EmulatorOptions::default()).await;
    emu.push_fault(Fault::MalformedBody);
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let r = create_once(&c, &emu, token.expose()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let text = r.text().await.unwrap();
    assert!(text.starts_with('{'));
    assert!(serde_json::from_str::<Value>(&text).is_err());
    assert_eq!(emu.meeting_count(), 1);
}

#[tokio::test]
async fn dropped_response_after_the_meeting_was_created() {
    let emu = start(EmulatorOptions::default()).await;
    emu.push_fault(Fault::DropAfterCreate);
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let err = c
        .post(meetings_url(&emu, "me"))
        .bearer_auth(token.expose())
        .json(&body())
        .send()
        .await
        .expect_err("the connection closes without an answer");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(emu.meeting_count(), 1);
    // The emulator is fine afterwards.
    assert_eq!(
        create_once(&c, &emu, token.expose()).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(emu.meeting_count(), 2);
}

#[tokio::test]
async fn hang_ends_only_by_the_client_timeout() {
    let emu = start(EmulatorOptions::default()).await;
    emu.push_fault(Fault::Hang);
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    let err = c
        .post(meetings_url(&emu, "me"))
        .bearer_auth(token.expose())
        .timeout(Duration::from_millis(300))
        .json(&body())
        .send()
        .await
        .expect_err("never answered");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(emu.meeting_count(), 0);
    assert_eq!(
        create_once(&c, &emu, token.expose()).await.status(),
        StatusCode::CREATED
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn one_connection_carries_many_meetings() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let (token, _) = emu.mint_user_token("organizations", HOUR);
    // A preconnect to the service root: no token needed, no fault taken, not an API call.
    emu.push_fault(Fault::InternalError);
    let r = c.head(emu.graph_url()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("request-id"));
    assert_eq!(emu.graph_request_count(), 0);
    let (s, _) = json_of(create_once(&c, &emu, token.expose()).await).await;
    assert_eq!(s.as_u16(), 500);
    for _ in 0..5 {
        // Reading the whole answer is what returns the connection to the pool.
        let (s, _) = json_of(create_once(&c, &emu, token.expose()).await).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    assert_eq!(emu.connection_count(), 1);
    assert_eq!(emu.api_connection_count(), 1);
    assert_eq!(emu.meeting_count(), 5);
    assert_eq!(emu.graph_request_count(), 6);
    // A second client opens a second connection.
    let _ = create_once(&client(), &emu, token.expose()).await;
    assert_eq!(emu.connection_count(), 2);
}

#[tokio::test]
async fn control_endpoints_drive_a_separate_process() {
    let emu = start(EmulatorOptions::default()).await;
    let c = client();
    let base = emu.login_url();
    let r = c
        .post(format!("{base}_emulator/faults"))
        .body("503*2,bogus")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = c
        .post(format!("{base}_emulator/faults"))
        .body(r#"["503*2","429:1"]"#)
        .send()
        .await
        .unwrap();
    let (_, v) = json_of(r).await;
    assert_eq!(v["queued"], json!(["503", "503", "429:1"]));
    let (_, tok) = json_of(
        c.post(format!("{base}_emulator/tokens/user"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let t = tok["access_token"].as_str().unwrap();
    assert!(tok["refresh_token"].is_string());
    assert_eq!(create_once(&c, &emu, t).await.status().as_u16(), 503);
    let (_, stats) = json_of(
        c.get(format!("{base}_emulator/stats"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(stats["graph_requests"], 1);
    assert_eq!(stats["pending_faults"], json!(["503", "429:1"]));
    assert_eq!(stats["meetings"], 0);
    assert_eq!(stats["connections"], 1);
    let r = c
        .post(format!("{base}_emulator/tokens/expire"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = c
        .post(format!("{base}_emulator/devicecode/approve"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------
// `tmeet emulator` as its own process

#[tokio::test]
async fn the_emulator_command_prints_working_urls() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmeet"))
        .args(["emulator", "--port", "0", "--faults", "503"])
        .env_remove("TMEET_EMULATOR_FAULTS")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let banner = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            text.push_str(&line);
            text.push('\n');
            if line.starts_with("Press Ctrl+C") {
                break;
            }
        }
        text
    })
    .await
    .unwrap();
    let url_after = |label: &str| {
        banner
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|u| u.trim().to_string())
            .unwrap_or_else(|| panic!("no {label} in {banner}"))
    };
    let graph = url_after("Graph URL:");
    let login = url_after("Login URL:");
    let c = client();
    let (_, tok) = json_of(
        c.post(format!("{login}/_emulator/tokens/user"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let t = tok["access_token"].as_str().unwrap();
    let first = post(&c, &format!("{graph}/me/onlineMeetings"), t, &body()).await;
    assert_eq!(first.status().as_u16(), 503, "the --faults list applies");
    let (s, _) = json_of(post(&c, &format!("{graph}/me/onlineMeetings"), t, &body()).await).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = form(
        &c,
        format!("{login}/organizations/oauth2/v2.0/devicecode"),
        &[("client_id", "tmeet-emulator"), ("scope", GRAPH_SCOPE)],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_emulator_command_refuses_a_bad_fault_list() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tmeet"))
        .args(["emulator", "--faults", "418"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown fault '418'"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn the_emulator_command_refuses_a_bad_policy_and_lists_the_keys() {
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tmeet"));
        cmd.args(args).env_remove(tmeet_emulator::POLICY_ENV);
        if let Some(p) = env {
            cmd.env(tmeet_emulator::POLICY_ENV, p);
        }
        cmd.output().unwrap()
    };
    let out = run(
        &["emulator", "--policy", "lobby=organization,colour=blue"],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("policy entry 'colour=blue'") && err.contains("keys: lobby,"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // The same variable reaches `tmeet emulator` and `--demo`.
    let out = run(&["emulator"], Some("lobby=nobody"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'lobby=nobody'"));
    let out = run(&["--demo", "status"], Some("recording=maybe"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'recording=maybe'"));
    let out = run(&["emulator", "--help"], None);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("chat=enabled | disabled | limited"), "{help}");
}

#[tokio::test]
async fn the_devicelogin_page_declines_and_rejects_unknown_codes() {
    let emu = start(fast()).await;
    let c = client();
    let page = format!("{}devicelogin", emu.login_url());
    let r = c
        .post(&page)
        .form(&[("code", "NOPE12345"), ("action", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("wasn't recognized"));

    let dc = device_code(&c, &emu).await;
    let r = c
        .post(&page)
        .form(&[
            ("code", dc["user_code"].as_str().unwrap()),
            ("action", "decline"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, body) = poll(&c, &emu, dc["device_code"].as_str().unwrap()).await;
    assert_oauth_error(&body, "authorization_declined");

    // slow_down waits for a device-code poll; a refresh does not use it up.
    emu.push_fault(Fault::SlowDown);
    let (access, refresh) = emu.mint_user_token("organizations", HOUR);
    assert!(!access.expose().is_empty());
    let (s, body) = form(
        &c,
        endpoint(&emu, "organizations", "token"),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "tmeet-emulator-tests"),
            ("refresh_token", refresh.expose()),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let dc = device_code(&c, &emu).await;
    let (_, body) = poll(&c, &emu, dc["device_code"].as_str().unwrap()).await;
    assert_oauth_error(&body, "slow_down");

    // Even an unknown route answers with a request-id.
    let r = c
        .get(format!("{}nowhere", emu.login_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers().contains_key("request-id"));
}
