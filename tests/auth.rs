//! Sign-in against the emulator's identity endpoints: device code (pending, slow_down,
//! declined, expired), refresh ahead of expiry with rotation, invalid_grant, client
//! credentials, the refusals made before any request, the token file's permissions, and
//! that no token or secret shows up in any error, Debug output or log line.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tmeet::auth::{AccountStatus, Auth, AuthError, PollEvent, StoreKind};
use tmeet::cloud::Cloud;
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::TokenProvider;
use tmeet::meeting::{Language, MeetingRequest};
use tmeet::services::startup::auth_config;
use tmeet::settings::{ConfigFile, GlobalArgs, Settings};
use tmeet_emulator::{
    BAD_CLIENT_SECRET, DEFAULT_TENANT_ID, DEMO_USER_ID, DEMO_USER_UPN, Emulator, EmulatorOptions,
    Fault,
};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const APP_SECRET: &str = "app-secret-0123456789";
/// Long enough for any single step of a test; a failing test ends here, not never.
const DEADLINE: Duration = Duration::from_secs(30);

fn fast() -> EmulatorOptions {
    EmulatorOptions {
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    }
}

async fn emulator(opts: EmulatorOptions) -> Emulator {
    Emulator::start(opts).await.expect("emulator starts")
}

struct Setup<'a> {
    tenant: &'a str,
    secret: Option<&'a str>,
    user: Option<&'a str>,
}

const DELEGATED: Setup<'static> = Setup {
    tenant: "organizations",
    secret: None,
    user: None,
};

fn settings(emu: &Emulator, s: &Setup) -> Settings {
    settings_at(emu.login_url().as_ref(), emu.graph_url().as_ref(), s)
}

fn settings_at(login_url: &str, graph_url: &str, s: &Setup) -> Settings {
    let args = GlobalArgs {
        login_url: Some(login_url.into()),
        graph_url: Some(graph_url.into()),
        client_id: Some(CLIENT_ID.into()),
        tenant: Some(s.tenant.into()),
        user: s.user.map(String::from),
        ..Default::default()
    };
    Settings::from_parts(
        &args,
        &ConfigFile::default(),
        s.secret.map(String::from),
        Language::parse("en-US").unwrap(),
    )
    .expect("settings resolve")
}

fn auth_in(emu: &Emulator, s: &Setup, dir: &std::path::Path) -> Auth {
    Auth::new(
        &auth_config(&settings(emu, s), StoreKind::File(dir.to_path_buf())),
        tmeet::http::build_client(),
    )
    .expect("auth")
}

/// Signs in with a device code that the emulator approves on the first poll.
async fn sign_in(auth: &Auth, emu: &Emulator) -> AccountStatus {
    let flow = auth.start_device_code().await.expect("device code");
    assert!(emu.approve_device_code(&flow.prompt.user_code));
    tokio::time::timeout(DEADLINE, flow.complete(|_| {}))
        .await
        .expect("sign-in within the deadline")
        .expect("sign-in succeeds")
}

fn meeting() -> MeetingRequest {
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    MeetingRequest::new(
        "Sign-in check",
        &start,
        &(start + chrono::Duration::minutes(30)),
        false,
        None,
    )
    .unwrap()
}

fn graph(emu: &Emulator, provider: Arc<dyn TokenProvider>) -> GraphClient {
    GraphClient::new(tmeet::http::build_client(), emu.graph_url(), provider)
}

async fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The stored entry's (access token, refresh token), read the way another process would.
fn stored_tokens(dir: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(dir.join("tokens.json")).expect("token file");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = v["entries"].as_object().unwrap();
    assert_eq!(entries.len(), 1, "one entry");
    let e = entries.values().next().unwrap();
    (
        e["access_token"].as_str().unwrap().to_string(),
        e["refresh_token"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn device_code_sign_in_with_pending_polls_and_a_slow_down() {
    let emu = emulator(fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    assert!(auth.status().unwrap().is_none());

    let flow = auth.start_device_code().await.unwrap();
    let prompt = flow.prompt.clone();
    assert!(
        prompt.verification_uri.ends_with("/devicelogin"),
        "{prompt:?}"
    );
    assert!(prompt.message.contains(&prompt.user_code), "{prompt:?}");
    assert!(prompt.message.contains(&prompt.verification_uri));
    assert_eq!(prompt.interval, Duration::ZERO);
    assert_eq!(prompt.expires_in, Duration::from_secs(900));

    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let polling = tokio::spawn(flow.complete(move |e| seen.lock().unwrap().push(e)));
    let count =
        |want: fn(&PollEvent) -> bool| events.lock().unwrap().iter().filter(|e| want(e)).count();

    wait_until("two pending polls", || {
        count(|e| *e == PollEvent::Pending) >= 2
    })
    .await;
    emu.push_fault(Fault::SlowDown);
    wait_until("a slow_down", || {
        count(|e| matches!(e, PollEvent::SlowDown { .. })) == 1
    })
    .await;
    assert!(emu.approve_device_code(&prompt.user_code));
    let status = tokio::time::timeout(DEADLINE, polling)
        .await
        .expect("signed in within the deadline")
        .unwrap()
        .expect("sign-in succeeds");

    assert!(
        events.lock().unwrap().contains(&PollEvent::SlowDown {
            interval: Duration::from_secs(5)
        }),
        "the interval grows by 5 s"
    );
    assert_eq!(status.account.as_deref(), Some(DEMO_USER_UPN));
    assert_eq!(status.tenant, DEFAULT_TENANT_ID);
    assert_eq!(status.cloud, Cloud::Global);
    assert!(!status.app_only);
    assert!(
        status
            .scopes
            .iter()
            .any(|s| s == "OnlineMeetings.ReadWrite"),
        "{status:?}"
    );
    assert!(status.expires_at.unwrap() > chrono::Utc::now());
    let grants = emu.token_requests();
    assert!(grants.len() >= 4, "{grants:?}");
    assert!(grants.iter().all(|g| g == DEVICE_GRANT), "{grants:?}");

    // Another process (a new Auth on the same store) sees the sign-in and uses it as is.
    let again = auth_in(&emu, &DELEGATED, dir.path());
    assert_eq!(again.status().unwrap(), Some(status));
    let provider = again.provider().await.expect("signed in");
    assert!(!provider.is_app_only());
    provider.access_token(false).await.unwrap();
    assert_eq!(
        emu.token_requests().len(),
        grants.len(),
        "a fresh token is not refreshed"
    );

    assert!(again.logout().unwrap());
    assert!(!again.logout().unwrap());
    assert!(matches!(
        again.provider().await,
        Err(AuthError::SignInRequired(_))
    ));
}

#[tokio::test]
async fn a_declined_sign_in_stops_with_a_clear_message() {
    let emu = emulator(fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    let flow = auth.start_device_code().await.unwrap();
    assert!(emu.decline_device_code(&flow.prompt.user_code));
    let err = tokio::time::timeout(DEADLINE, flow.complete(|_| {}))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.is_declined() && !err.is_expired_code(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("declined") && text.contains("tmeet login"),
        "{text}"
    );
    assert!(auth.status().unwrap().is_none(), "nothing stored");
}

#[tokio::test]
async fn an_expired_code_says_to_start_again() {
    let emu = emulator(EmulatorOptions {
        device_code_expires_secs: 0,
        ..fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    let flow = auth.start_device_code().await.unwrap();
    let err = tokio::time::timeout(DEADLINE, flow.complete(|_| {}))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.is_expired_code() && !err.is_declined(), "{err:?}");
    assert!(err.to_string().contains("new code"), "{err}");
}

#[tokio::test]
async fn polling_stops_when_the_service_is_gone() {
    let emu = emulator(fast()).await;
    // Through a gate that is then closed: its port refuses and stays held, where the
    // emulator's own port, released on shutdown, could be given to another test's emulator.
    let mut gate = common::Gate::open_to(emu.addr());
    let dir = tempfile::tempdir().unwrap();
    let auth = Auth::new(
        &auth_config(
            &settings_at(&gate.url(), &gate.graph_url(), &DELEGATED),
            StoreKind::File(dir.path().to_path_buf()),
        ),
        tmeet::http::build_client(),
    )
    .expect("auth");
    let flow = auth.start_device_code().await.unwrap();
    let login_host = "127.0.0.1";
    gate.close();
    let err = tokio::time::timeout(DEADLINE, flow.complete(|_| {}))
        .await
        .expect("gives up instead of polling until the code expires")
        .unwrap_err();
    assert!(matches!(err, AuthError::Network(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(login_host) && text.contains("tmeet login"),
        "{text}"
    );
}

#[tokio::test]
async fn tokens_are_refreshed_ahead_of_expiry_and_the_rotated_refresh_token_is_kept() {
    // Two minutes of life is inside the refresh-ahead window: the first use refreshes.
    let emu = emulator(EmulatorOptions {
        access_token_lifetime_secs: 120,
        auto_approve_device_codes: true,
        ..fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    let signed_in = sign_in(&auth, &emu).await;
    assert!(
        signed_in.expires_at.unwrap() > chrono::Utc::now(),
        "not expired yet"
    );
    let (access1, refresh1) = stored_tokens(dir.path());

    let provider = auth.provider().await.unwrap();
    assert_eq!(emu.token_requests().last().unwrap(), "refresh_token");
    let (access2, refresh2) = stored_tokens(dir.path());
    assert_ne!(access1, access2);
    assert_ne!(
        refresh1, refresh2,
        "the rotated refresh token replaced the old one"
    );
    assert_eq!(provider.access_token(true).await.unwrap().expose(), {
        // force_refresh (after a 401) must not hand back the cached token.
        let (now, _) = stored_tokens(dir.path());
        assert_ne!(now, access2);
        now
    });

    // The emulator spends a refresh token on use: a new process can only refresh because
    // the latest one was persisted.
    let later = auth_in(&emu, &DELEGATED, dir.path());
    later
        .provider()
        .await
        .expect("refresh with the persisted token");
    let refreshes = emu
        .token_requests()
        .iter()
        .filter(|g| *g == "refresh_token")
        .count();
    assert_eq!(refreshes, 3);
    let status = later.status().unwrap().unwrap();
    assert_eq!(
        status.account.as_deref(),
        Some(DEMO_USER_UPN),
        "account kept across refresh"
    );
}

#[tokio::test]
async fn invalid_grant_leads_back_to_sign_in() {
    let emu = emulator(EmulatorOptions {
        access_token_lifetime_secs: 120,
        auto_approve_device_codes: true,
        ..fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    sign_in(&auth, &emu).await;
    let stale = std::fs::read(dir.path().join("tokens.json")).unwrap();
    auth.provider().await.unwrap(); // spends the stored refresh token
    std::fs::write(dir.path().join("tokens.json"), stale).unwrap();

    let revived = auth_in(&emu, &DELEGATED, dir.path());
    let err = revived
        .provider()
        .await
        .err()
        .expect("the spent token is refused");
    assert!(matches!(err, AuthError::SignInRequired(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("tmeet login") && text.contains("AADSTS70008"),
        "{text}"
    );
    assert!(
        revived.status().unwrap().is_none(),
        "the dead entry is removed"
    );
}

#[tokio::test]
async fn a_401_from_graph_refreshes_once_and_the_create_goes_through() {
    let emu = emulator(EmulatorOptions {
        auto_approve_device_codes: true,
        ..fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    sign_in(&auth, &emu).await;
    let client = graph(&emu, auth.provider().await.unwrap());
    client
        .create_meeting(&Target::Me, &meeting(), &|_| {})
        .await
        .unwrap();
    let (_, refresh1) = stored_tokens(dir.path());
    assert_eq!(
        emu.token_requests(),
        vec![DEVICE_GRANT],
        "a fresh token is used as is"
    );

    // The service revoked or expired the token early: tmeet's clock still thinks it good.
    emu.expire_access_tokens();
    client
        .create_meeting(&Target::Me, &meeting(), &|_| {})
        .await
        .expect("refreshed and retried");
    assert_eq!(emu.token_requests(), vec![DEVICE_GRANT, "refresh_token"]);
    assert_eq!(emu.meeting_count(), 2);
    let (_, refresh2) = stored_tokens(dir.path());
    assert_ne!(refresh1, refresh2, "the rotated refresh token was stored");
}

#[tokio::test]
async fn client_credentials_create_for_a_user_and_never_for_me() {
    let emu = emulator(fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        tenant: "contoso.onmicrosoft.com",
        secret: Some(APP_SECRET),
        user: Some(DEMO_USER_ID),
    };
    let auth = auth_in(&emu, &setup, dir.path());
    let client = graph(&emu, auth.provider().await.unwrap());
    let created = client
        .create_meeting(&Target::User(DEMO_USER_ID.into()), &meeting(), &|_| {})
        .await
        .expect("app-only create for /users/{id}");
    assert_eq!(created.meeting.subject.as_deref(), Some("Sign-in check"));
    assert_eq!(emu.token_requests(), vec!["client_credentials"]);

    let requests = emu.graph_request_count();
    let err = client
        .create_meeting(&Target::Me, &meeting(), &|_| {})
        .await
        .unwrap_err();
    assert!(err.app_only, "{err:?}");
    assert_eq!(
        emu.graph_request_count(),
        requests,
        "/me is refused before any request"
    );

    // A 403 in app-only mode points at the application access policy.
    emu.push_fault(Fault::NoAccessPolicy);
    let err = client
        .create_meeting(&Target::User(DEMO_USER_ID.into()), &meeting(), &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.hint().unwrap_or_default().contains("access policy"),
        "{err:?}"
    );
}

#[tokio::test]
async fn client_credentials_fetch_and_cache_an_app_token() {
    let emu = emulator(fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        tenant: "contoso.onmicrosoft.com",
        secret: Some(APP_SECRET),
        user: Some(DEMO_USER_ID),
    };
    let auth = auth_in(&emu, &setup, dir.path());
    assert!(auth.is_app_only());
    let checked = auth.verify_app_credentials().await.unwrap();
    assert!(checked.app_only && checked.account.is_none());
    assert_eq!(checked.scopes, vec!["https://graph.microsoft.com/.default"]);

    let provider = auth.provider().await.unwrap();
    assert!(provider.is_app_only());
    let a = provider.access_token(false).await.unwrap();
    assert_eq!(provider.access_token(false).await.unwrap(), a, "cached");
    assert_eq!(emu.token_requests(), vec!["client_credentials"]);
    assert_ne!(
        provider.access_token(true).await.unwrap(),
        a,
        "a 401 gets a new one"
    );
    assert_eq!(emu.token_requests().len(), 2);
    assert!(
        !dir.path().join("tokens.json").exists(),
        "app-only tokens are never written"
    );

    let wrong = Setup {
        secret: Some(BAD_CLIENT_SECRET),
        ..setup
    };
    let err = auth_in(&emu, &wrong, dir.path())
        .verify_app_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("TMEET_CLIENT_SECRET") && text.contains("AADSTS7000215"),
        "{text}"
    );
    assert!(!text.contains(BAD_CLIENT_SECRET), "{text}");
}

#[tokio::test]
async fn me_is_refused_for_app_only_before_any_request() {
    let emu = emulator(fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        tenant: "contoso.onmicrosoft.com",
        secret: Some(APP_SECRET),
        user: None,
    };
    let auth = auth_in(&emu, &setup, dir.path());
    let err = auth.provider().await.err().expect("refused");
    assert!(
        matches!(&err, AuthError::Config(m) if m.contains("--user") && m.contains("/me")),
        "{err:?}"
    );
    assert!(
        auth.start_device_code().await.is_err(),
        "app-only signs no person in"
    );
    assert!(emu.token_requests().is_empty());
}

#[tokio::test]
async fn settings_that_cannot_work_are_refused_up_front() {
    let emu = emulator(fast()).await;
    let en = || Language::parse("en-US").unwrap();
    let http = tmeet::http::build_client;

    let china = GlobalArgs {
        cloud: Some("china".into()),
        client_id: Some(CLIENT_ID.into()),
        ..Default::default()
    };
    let err = Settings::from_parts(&china, &ConfigFile::default(), None, en()).unwrap_err();
    assert!(err.contains("does not offer"), "{err}");
    let mut s = settings(&emu, &DELEGATED);
    s.cloud = Cloud::China;
    let err = Auth::new(&auth_config(&s, StoreKind::Memory), http()).unwrap_err();
    assert!(
        matches!(&err, AuthError::Config(m) if m.contains("does not offer")),
        "{err:?}"
    );

    let consumers = Setup {
        tenant: "consumers",
        ..DELEGATED
    };
    let err = Auth::new(
        &auth_config(&settings(&emu, &consumers), StoreKind::Memory),
        http(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("personal Microsoft accounts"),
        "{err}"
    );

    let mut s = settings(&emu, &DELEGATED);
    s.client_id = None;
    let err = Auth::new(&auth_config(&s, StoreKind::Memory), http())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("TMEET_CLIENT_ID") && err.contains("Allow public client flows"),
        "{err}"
    );
    s.demo = true;
    assert!(
        Auth::new(&auth_config(&s, StoreKind::Memory), http()).is_ok(),
        "demo has its own client id"
    );

    let app_any_tenant = Setup {
        secret: Some(APP_SECRET),
        user: Some(DEMO_USER_ID),
        ..DELEGATED
    };
    let err = Auth::new(
        &auth_config(&settings(&emu, &app_any_tenant), StoreKind::Memory),
        http(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("--tenant"), "{err}");
    assert!(emu.token_requests().is_empty());
}

#[tokio::test]
async fn usgov_asks_for_its_own_graph_scopes() {
    let emu = emulator(EmulatorOptions {
        auto_approve_device_codes: true,
        ..fast()
    })
    .await;
    let mut s = settings(&emu, &DELEGATED);
    s.cloud = Cloud::Usgov;
    let auth = Auth::new(
        &auth_config(&s, StoreKind::Memory),
        tmeet::http::build_client(),
    )
    .unwrap();
    let status = sign_in(&auth, &emu).await;
    assert_eq!(status.cloud, Cloud::Usgov);
    let token = auth
        .provider()
        .await
        .unwrap()
        .access_token(false)
        .await
        .unwrap();
    let payload = token.expose().split('.').nth(1).unwrap().to_string();
    use base64::Engine;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["aud"], "https://graph.microsoft.us", "{claims}");
    // The memory store never touches disk, and the sign-in is visible to clones.
    assert!(auth.token_file().is_none());
    assert_eq!(auth.clone().status().unwrap(), Some(status));
}

#[cfg(unix)]
#[tokio::test]
async fn the_token_file_is_0600_in_a_0700_directory() {
    use std::os::unix::fs::PermissionsExt;
    let emu = emulator(EmulatorOptions {
        auto_approve_device_codes: true,
        ..fast()
    })
    .await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("state").join("tmeet");
    let auth = auth_in(&emu, &DELEGATED, &dir);
    sign_in(&auth, &emu).await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("tokens.json")), 0o600);
    assert_eq!(auth.token_file(), Some(dir.join("tokens.json")));
    assert!(auth.take_warnings().is_empty());

    // Loosened by hand: repaired on the next read, with one warning.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        dir.join("tokens.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let again = auth_in(&emu, &DELEGATED, &dir);
    assert!(again.status().unwrap().is_some());
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("tokens.json")), 0o600);
    assert_eq!(again.take_warnings().len(), 1);
}

/// Everything logged by any test in this binary, at every level.
fn captured_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(writer.clone()))
            .init();
        buf
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_or_secret_leaks_into_errors_debug_output_or_logs() {
    let log = captured_log();
    let emu = emulator(EmulatorOptions {
        access_token_lifetime_secs: 120,
        ..fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut shown: Vec<String> = Vec::new();
    let mut secrets: Vec<String> = vec![APP_SECRET.into(), BAD_CLIENT_SECRET.into()];

    // Sign in, with a busy answer on the way, and look at everything that can be printed.
    let auth = auth_in(&emu, &DELEGATED, dir.path());
    let flow = auth.start_device_code().await.unwrap();
    shown.push(format!("{flow:?}"));
    emu.push_fault(Fault::TokenUnavailable);
    assert!(emu.approve_device_code(&flow.prompt.user_code));
    // A busy token endpoint (503) is polled again: the sign-in still completes.
    let status = tokio::time::timeout(DEADLINE, flow.complete(|_| {}))
        .await
        .unwrap()
        .expect("sign-in survives a 503");
    shown.push(format!("{status:?} {auth:?}"));
    let (access, refresh) = stored_tokens(dir.path());
    secrets.extend([access, refresh]);

    // Refresh (rotation), then failures: a spent refresh token, a wrong secret, /me.
    let stale = std::fs::read(dir.path().join("tokens.json")).unwrap();
    let provider = auth.provider().await.unwrap();
    let fresh = provider.access_token(false).await.unwrap();
    shown.push(format!("{fresh:?} {fresh}"));
    secrets.push(fresh.expose().to_string());
    let (access, refresh) = stored_tokens(dir.path());
    secrets.extend([access, refresh]);
    std::fs::write(dir.path().join("tokens.json"), stale).unwrap();
    let err = auth_in(&emu, &DELEGATED, dir.path())
        .provider()
        .await
        .err()
        .unwrap();
    shown.push(format!("{err} {err:?}"));

    let app = Setup {
        tenant: "contoso.onmicrosoft.com",
        secret: Some(APP_SECRET),
        user: Some(DEMO_USER_ID),
    };
    let app_auth = auth_in(&emu, &app, dir.path());
    let app_provider = app_auth.provider().await.unwrap();
    let app_token = app_provider.access_token(false).await.unwrap();
    let client = graph(&emu, app_provider);
    let user = Target::User(DEMO_USER_ID.into());
    let created = client
        .create_meeting(&user, &meeting(), &|_| {})
        .await
        .unwrap();
    shown.push(format!("{created:?}"));
    emu.push_fault(Fault::TokenExpired);
    emu.push_fault(Fault::NoAccessPolicy);
    let err = client
        .create_meeting(&user, &meeting(), &|_| {})
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?} {:?}", err.hint()));
    let err = client
        .create_meeting(&Target::Me, &meeting(), &|_| {})
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?}"));
    // The 401 fetched a second app token.
    let second = app_auth
        .provider()
        .await
        .unwrap()
        .access_token(false)
        .await
        .unwrap();
    assert_ne!(second, app_token);
    secrets.push(second.expose().to_string());
    secrets.push(app_token.expose().to_string());
    shown.push(format!("{app_auth:?} {:?}", app_auth.status().unwrap()));
    let wrong = Setup {
        secret: Some(BAD_CLIENT_SECRET),
        ..app
    };
    let err = auth_in(&emu, &wrong, dir.path())
        .verify_app_credentials()
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?}"));
    let no_user = Setup { user: None, ..app };
    let err = auth_in(&emu, &no_user, dir.path())
        .provider()
        .await
        .err()
        .unwrap();
    shown.push(format!("{err} {err:?}"));
    let logged = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(
        logged.contains("starting new connection") && logged.contains("token refreshed"),
        "the log was captured"
    );
    shown.push(logged);

    assert!(
        secrets.iter().all(|s| s.len() >= 12),
        "real values were collected"
    );
    for text in &shown {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret leaked into: {text}"
            );
        }
    }
}
