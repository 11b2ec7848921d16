//! The emulator's browser sign-in (authorization code with PKCE on a loopback redirect) and
//! the ways it refuses as real tenants do, over raw HTTP: what any client would see.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use oauth2::{PkceCodeChallenge, PkceCodeVerifier};
use reqwest::{Client, StatusCode, redirect::Policy};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;
use tmeet_emulator::{DeviceCodeMode, Emulator, EmulatorOptions, Fault, SignInModes};
use url::Url;

const CLIENT: &str = "11111111-2222-3333-4444-555555555555";
const SCOPE: &str = "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access openid";
const REDIRECT: &str = "http://localhost:53124";
const CP1: &str = r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#;

/// A browser: redirects are not followed, so the test sees where it would be sent.
fn browser() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn start(auto: bool, signin: SignInModes) -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: auto,
        device_code_interval_secs: 0,
        signin,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

fn authorize_url(emu: &Emulator, tenant: &str, extra: &[(&str, &str)]) -> (Url, PkceCodeVerifier) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut url = emu
        .login_url()
        .join(&format!("{tenant}/oauth2/v2.0/authorize"))
        .unwrap();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", CLIENT)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("scope", SCOPE)
            .append_pair("state", "st4te")
            .append_pair("code_challenge", challenge.as_str())
            .append_pair("code_challenge_method", "S256");
        for (k, v) in extra {
            q.append_pair(k, v);
        }
    }
    (url, verifier)
}

fn query(location: &Url) -> HashMap<String, String> {
    location.query_pairs().into_owned().collect()
}

async fn follow(url: &Url) -> (StatusCode, Option<Url>, String) {
    let r = browser().get(url.clone()).send().await.unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| Url::parse(l.to_str().unwrap()).unwrap());
    (status, location, r.text().await.unwrap())
}

async fn redeem(
    emu: &Emulator,
    tenant: &str,
    code: &str,
    redirect: &str,
    verifier: &str,
    claims: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = vec![
        ("client_id", CLIENT),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect),
        ("code_verifier", verifier),
    ];
    if let Some(c) = claims {
        form.push(("claims", c));
    }
    let r = browser()
        .post(
            emu.login_url()
                .join(&format!("{tenant}/oauth2/v2.0/token"))
                .unwrap(),
        )
        .form(&form)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

/// An authorization the emulator approves at once, its code redeemed at the redirect it was
/// made for: the token endpoint's status and body.
async fn approved_and_redeemed(
    emu: &Emulator,
    tenant: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, Value) {
    let (url, verifier) = authorize_url(emu, tenant, extra);
    let (_, location, _) = follow(&url).await;
    let code = query(&location.unwrap())["code"].clone();
    redeem(emu, tenant, &code, REDIRECT, verifier.secret(), None).await
}

fn aadsts(body: &Value) -> String {
    body["error_description"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn a_code_is_issued_after_approval_and_redeemed_once_with_its_verifier() {
    let emu = start(false, SignInModes::default()).await;
    let (url, verifier) = authorize_url(&emu, "organizations", &[]);
    let (status, location, page) = follow(&url).await;
    assert_eq!(status, StatusCode::OK, "a page to approve on");
    assert!(
        location.is_none() && page.contains("tmeet emulator"),
        "{page}"
    );

    let location = emu.approve_authorization().unwrap();
    assert_eq!(
        location.as_str().split('?').next(),
        Some("http://localhost:53124/")
    );
    let q = query(&location);
    assert_eq!(q["state"], "st4te");
    let code = &q["code"];

    // The verifier of another sign-in, then another redirect, are refused without spending it.
    let (_, other) = PkceCodeChallenge::new_random_sha256();
    let (s, body) = redeem(&emu, "organizations", code, REDIRECT, other.secret(), None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(aadsts(&body).starts_with("AADSTS501481"), "{body}");
    let (s, body) = redeem(
        &emu,
        "organizations",
        code,
        "http://localhost:1/",
        verifier.secret(),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");

    let (s, body) = redeem(
        &emu,
        "organizations",
        code,
        REDIRECT,
        verifier.secret(),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string() && body["refresh_token"].is_string());
    let (s, body) = redeem(
        &emu,
        "organizations",
        code,
        REDIRECT,
        verifier.secret(),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        aadsts(&body).starts_with("AADSTS54005"),
        "a code is single use: {body}"
    );
    assert_eq!(emu.approve_authorization(), None, "nothing waits any more");
}

#[tokio::test]
async fn auto_approve_redirects_at_once_and_bad_requests_are_refused_as_the_service_does() {
    let emu = start(true, SignInModes::default()).await;
    let (url, _) = authorize_url(&emu, "organizations", &[]);
    let (status, location, _) = follow(&url).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(query(&location.unwrap()).contains_key("code"));

    // A redirect that is not the registered loopback one: a page, never a redirect.
    let mut bad = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "redirect_uri" {
                (k, "http://localhost:1/cb".into())
            } else {
                (k, v)
            }
        })
        .collect();
    bad.query_pairs_mut().clear().extend_pairs(pairs);
    let (status, location, page) = follow(&bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none() && page.contains("AADSTS50011"), "{page}");

    let (url, _) = authorize_url(&emu, "organizations", &[("prompt", "none")]);
    let (_, location, _) = follow(&url).await;
    assert_eq!(query(&location.unwrap())["error"], "interaction_required");

    let (url, _) = authorize_url(&emu, "organizations", &[("code_challenge_method", "plain")]);
    let url = Url::parse(&url.as_str().replace("code_challenge_method=S256&", "")).unwrap();
    let (_, location, _) = follow(&url).await;
    let q = query(&location.unwrap());
    assert_eq!(q["error"], "invalid_request", "{q:?}");
    assert_eq!(q["state"], "st4te");
}

#[tokio::test]
async fn declining_sends_access_denied() {
    let emu = start(false, SignInModes::default()).await;
    let (url, _) = authorize_url(&emu, "organizations", &[]);
    follow(&url).await;
    let q = query(&emu.decline_authorization().unwrap());
    assert_eq!(q["error"], "access_denied");
    assert!(q["error_description"].starts_with("AADSTS65004"));
}

#[tokio::test]
async fn a_single_tenant_app_is_refused_on_organizations_but_not_on_its_tenant() {
    let modes: SignInModes = "audience=single".parse().unwrap();
    let emu = start(true, modes).await;
    let (url, _) = authorize_url(&emu, "organizations", &[]);
    let (_, location, _) = follow(&url).await;
    let q = query(&location.unwrap());
    assert!(q["error_description"].starts_with("AADSTS50194"), "{q:?}");
    let r = browser()
        .post(
            emu.login_url()
                .join("common/oauth2/v2.0/devicecode")
                .unwrap(),
        )
        .form(&[("client_id", CLIENT), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(aadsts(&body).starts_with("AADSTS50194"), "{body}");

    let (s, body) = approved_and_redeemed(&emu, "contoso.onmicrosoft.com", &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn admin_only_permissions_end_in_90094() {
    let modes: SignInModes = "admin-consent=Place.Read.All".parse().unwrap();
    let emu = start(true, modes).await;
    let (url, _) = authorize_url(&emu, "organizations", &[]);
    let url = Url::parse(&url.as_str().replace(
        "openid",
        "openid+https%3A%2F%2Fgraph.microsoft.com%2FPlace.Read.All",
    ))
    .unwrap();
    let (_, location, _) = follow(&url).await;
    let q = query(&location.unwrap());
    assert!(q["error_description"].starts_with("AADSTS90094"), "{q:?}");
    assert!(q["error_description"].contains("Place.Read.All"), "{q:?}");
}

async fn device_poll(emu: &Emulator) -> Value {
    let c = browser();
    let r = c
        .post(
            emu.login_url()
                .join("organizations/oauth2/v2.0/devicecode")
                .unwrap(),
        )
        .form(&[("client_id", CLIENT), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    let dc: Value = r.json().await.unwrap();
    let r = c
        .post(
            emu.login_url()
                .join("organizations/oauth2/v2.0/token")
                .unwrap(),
        )
        .form(&[
            ("client_id", CLIENT),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", dc["device_code"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

#[tokio::test]
async fn conditional_access_blocks_the_device_code_flow_not_the_browser() {
    let emu = start(true, "device-code=blocked".parse().unwrap()).await;
    let body = device_poll(&emu).await;
    assert!(aadsts(&body).starts_with("AADSTS53003"), "{body}");
    emu.set_signin_modes(SignInModes {
        device_code: DeviceCodeMode::BlockedDevice,
        ..SignInModes::default()
    });
    let body = device_poll(&emu).await;
    assert!(aadsts(&body).starts_with("AADSTS530033"), "{body}");

    let (s, _) = approved_and_redeemed(&emu, "organizations", &[]).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_claims_challenge_goes_to_cp1_clients_until_a_token_carries_the_claims() {
    let emu = start(true, SignInModes::default()).await;
    let (_, tokens) = approved_and_redeemed(&emu, "organizations", &[("claims", CP1)]).await;
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let me = Url::parse(&format!("{}/me/calendar", emu.graph_url())).unwrap();
    let get = |token: String| {
        let me = me.clone();
        async move { browser().get(me).bearer_auth(token).send().await.unwrap() }
    };
    emu.push_fault(Fault::ClaimsChallenge { interactive: false });
    for _ in 0..2 {
        let r = get(access.clone()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let header = r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            header.contains("error=\"insufficient_claims\"") && header.contains("claims=\""),
            "{header}"
        );
    }
    // A refresh carrying the claims answers the challenge.
    let claims =
        r#"{"access_token":{"xms_cc":{"values":["cp1"]},"nbf":{"essential":true,"value":"1"}}}"#;
    let r = browser()
        .post(
            emu.login_url()
                .join("organizations/oauth2/v2.0/token")
                .unwrap(),
        )
        .form(&[
            ("client_id", CLIENT),
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ("claims", claims),
        ])
        .send()
        .await
        .unwrap();
    let fresh: Value = r.json().await.unwrap();
    let r = get(fresh["access_token"].as_str().unwrap().to_string()).await;
    // 403: the sign-in has no calendar permission; what matters is that it is not 401.
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn clients_that_did_not_declare_cp1_are_not_challenged() {
    let emu = start(true, SignInModes::default()).await;
    let (access, _) = emu.mint_user_token("organizations", Duration::from_secs(3600));
    emu.push_fault(Fault::ClaimsChallenge { interactive: false });
    let r = browser()
        .get(format!("{}/me/calendar", emu.graph_url()))
        .bearer_auth(access.expose())
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), StatusCode::UNAUTHORIZED);
}
