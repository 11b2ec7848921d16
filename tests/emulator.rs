//! The emulator over raw HTTP: what any client (not just tmeet's) would see.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet::emulator::{Emulator, EmulatorOptions, Fault, RetryAfter};

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
        ..EmulatorOptions::demo()
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
        tmeet::emulator::BAD_CLIENT_SECRET,
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
    let _ = RetryAfter::Absent;
}
