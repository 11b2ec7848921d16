//! The Graph client against the embedded emulator: the happy path, every fault mode, and
//! the promises of the retry policy (GRAPH.md §5, issue 2).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use chrono::{Duration as Minutes, TimeZone};
use futures::future::BoxFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tmeet::auth::AuthError;
use tmeet::graph::client::{GraphClient, RetryPolicy, Target, Wait};
use tmeet::graph::token::{StaticToken, TokenError, TokenProvider};
use tmeet::graph::{ErrorKind, GraphError};
use tmeet::meeting::{Language, MeetingRequest};
use tmeet::secret::Secret;
use tmeet_emulator::{Emulator, EmulatorOptions, Fault, RetryAfter, Token};

const TENANT: &str = "organizations";

fn request(passcode: bool, lang: Option<&str>) -> MeetingRequest {
    let tz = chrono_tz::Europe::Berlin;
    let start = tz.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap();
    MeetingRequest::new(
        "Design review",
        &start,
        &(start + Minutes::minutes(30)),
        passcode,
        lang.map(|l| Language::parse(l).unwrap()),
    )
    .unwrap()
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        base_backoff: Duration::from_millis(10),
        request_timeout: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

/// The emulator's token as tmeet holds one.
fn secret(token: &Token) -> Secret {
    Secret::new(token.expose())
}

async fn setup() -> (Emulator, GraphClient) {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let (access, _refresh) = emu.mint_user_token(TENANT, Duration::from_secs(3600));
    let client = GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        Arc::new(StaticToken::new(secret(&access), false)),
    )
    .with_retry_policy(fast_policy());
    (emu, client)
}

fn no_wait(_: Wait) {}

#[tokio::test]
async fn creates_reads_finds_updates_and_deletes() {
    let (emu, client) = setup().await;
    let created = client
        .create_meeting(&Target::Me, &request(true, Some("de-DE")), &no_wait)
        .await
        .unwrap();
    let m = &created.meeting;
    assert_eq!(m.subject.as_deref(), Some("Design review"));
    assert_eq!(
        m.start_date_time.unwrap().to_rfc3339(),
        "2026-12-01T13:00:00+00:00",
        "stored in UTC"
    );
    let id_len = m.join_meeting_id().unwrap().len();
    assert!(
        (10..=13).contains(&id_len),
        "join meeting id of {id_len} digits"
    );
    assert!(
        m.passcode().is_some_and(|p| !p.is_empty()),
        "passcode generated when required"
    );
    assert!(created.request_id.is_some());
    assert!(
        created.raw.get("@odata.context").is_some(),
        "raw keeps what the service sent"
    );
    let text =
        tmeet::meeting::invitation::to_text(m.join_information.as_ref().unwrap(), 80).unwrap();
    assert!(text.contains("Microsoft Teams"), "{text}");

    let id = m.id.clone().unwrap();
    let got = client
        .fetch_meeting(&Target::Me, &id)
        .await
        .unwrap()
        .meeting;
    assert_eq!(got.join_web_url, m.join_web_url);
    let by_url = client
        .find_by_join_url(&Target::Me, m.join_web_url.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(by_url.unwrap().id.as_deref(), Some(id.as_str()));
    let by_jmid = client
        .find_by_join_meeting_id(&Target::Me, m.join_meeting_id().unwrap())
        .await
        .unwrap();
    assert_eq!(by_jmid.unwrap().id.as_deref(), Some(id.as_str()));

    let updated = client
        .patch_meeting(
            &Target::Me,
            &id,
            &serde_json::json!({"subject": "Renamed"}),
            &|_| {},
        )
        .await
        .unwrap()
        .meeting;
    assert_eq!(updated.subject.as_deref(), Some("Renamed"));
    client.delete_meeting(&Target::Me, &id).await.unwrap();
    let gone = client.fetch_meeting(&Target::Me, &id).await.unwrap_err();
    assert_eq!(gone.status, Some(404));
    assert_eq!(emu.meeting_count(), 0);
}

#[tokio::test]
async fn no_passcode_unless_asked() {
    let (_emu, client) = setup().await;
    let m = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap()
        .meeting;
    assert_eq!(m.passcode(), None);
    assert!(m.join_meeting_id().is_some());
}

#[tokio::test]
async fn throttling_waits_as_told_then_succeeds() {
    for retry_after in [
        RetryAfter::Seconds(1),
        RetryAfter::HttpDate(1),
        RetryAfter::Absent,
    ] {
        let (emu, client) = setup().await;
        emu.push_fault(Fault::Throttle { retry_after });
        let waits = Mutex::new(Vec::new());
        let started = std::time::Instant::now();
        let res = client
            .create_meeting(&Target::Me, &request(false, None), &|w| {
                waits.lock().unwrap().push(w)
            })
            .await;
        assert!(res.is_ok(), "{retry_after:?}: {res:?}");
        let waits = waits.into_inner().unwrap();
        assert_eq!(waits.len(), 1, "{retry_after:?}");
        assert_eq!(waits[0].status, 429);
        assert_eq!(waits[0].attempt, 1);
        if let RetryAfter::Seconds(_) = retry_after {
            assert_eq!(waits[0].delay, Duration::from_secs(1));
            assert!(
                started.elapsed() >= Duration::from_secs(1),
                "the wait was honoured"
            );
        }
        assert_eq!(emu.meeting_count(), 1);
        assert_eq!(emu.graph_request_count(), 2);
    }
}

#[tokio::test]
async fn gives_up_after_three_retries_of_503() {
    let (emu, client) = setup().await;
    for _ in 0..4 {
        emu.push_fault(Fault::Unavailable { retry_after: None });
    }
    let waits = AtomicUsize::new(0);
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &|_| {
            waits.fetch_add(1, Ordering::Relaxed);
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RetriesExhausted);
    assert_eq!(err.status, Some(503));
    assert_eq!(waits.load(Ordering::Relaxed), 3);
    assert_eq!(emu.graph_request_count(), 4, "1 try + 3 retries");
    let line = err.to_string();
    assert!(
        line.contains("HTTP 503") && line.contains("gave up after 3 retries"),
        "{line}"
    );
    assert!(line.contains("request-id"), "{line}");
    assert_eq!(emu.meeting_count(), 0);
}

#[tokio::test]
async fn retry_budget_is_not_exceeded_by_a_long_retry_after() {
    let (emu, client) = setup().await;
    emu.push_fault(Fault::Throttle {
        retry_after: RetryAfter::Seconds(3600),
    });
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RetriesExhausted);
    assert_eq!(
        emu.graph_request_count(),
        1,
        "gave up at once instead of waiting an hour"
    );
}

/// Mints a fresh token from the emulator on each forced refresh, and counts them.
struct CountingProvider {
    emu_token: Mutex<Secret>,
    refreshes: AtomicUsize,
    fresh: Mutex<Vec<Secret>>,
}

impl TokenProvider for CountingProvider {
    fn access_token(&self, force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>> {
        Box::pin(async move {
            if force_refresh {
                self.refreshes.fetch_add(1, Ordering::Relaxed);
                if let Some(t) = self.fresh.lock().unwrap().pop() {
                    *self.emu_token.lock().unwrap() = t;
                }
            }
            Ok(self.emu_token.lock().unwrap().clone())
        })
    }
}

#[tokio::test]
async fn a_401_leads_to_exactly_one_refresh() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let (stale, _) = emu.mint_user_token(TENANT, Duration::from_secs(3600));
    emu.expire_access_tokens();
    let (fresh, _) = emu.mint_user_token(TENANT, Duration::from_secs(3600));
    let provider = Arc::new(CountingProvider {
        emu_token: Mutex::new(secret(&stale)),
        refreshes: AtomicUsize::new(0),
        fresh: Mutex::new(vec![secret(&fresh)]),
    });
    let client = GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        provider.clone(),
    )
    .with_retry_policy(fast_policy());
    client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap();
    assert_eq!(provider.refreshes.load(Ordering::Relaxed), 1);

    // A refresh that does not help is not repeated: the 401 is reported.
    let provider = Arc::new(CountingProvider {
        emu_token: Mutex::new(secret(&stale)),
        refreshes: AtomicUsize::new(0),
        fresh: Mutex::new(Vec::new()),
    });
    let client = GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        provider.clone(),
    )
    .with_retry_policy(fast_policy());
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.status, Some(401));
    assert_eq!(provider.refreshes.load(Ordering::Relaxed), 1);
    assert_eq!(err.hint(), Some("sign in again: tmeet login"));
}

#[tokio::test]
async fn expired_token_fault_is_a_401_then_refresh() {
    let (emu, client) = setup().await;
    emu.push_fault(Fault::TokenExpired);
    // StaticToken "refreshes" to the same still-valid token: the fault was one-shot.
    client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap();
    assert_eq!(emu.graph_request_count(), 2);
}

#[tokio::test]
async fn malformed_body_is_an_error_not_a_panic() {
    let (emu, client) = setup().await;
    emu.push_fault(Fault::MalformedBody);
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::OutcomeUnknown,
        "the meeting probably exists"
    );
    assert!(err.message.contains("probably created"), "{err}");
    assert!(err.request_id.is_some());
    assert!(err.client_request_id.is_some(), "the id to look it up by");
}

#[tokio::test]
async fn dropped_response_is_reported_and_never_retried() {
    let (emu, client) = setup().await;
    emu.push_fault(Fault::DropAfterCreate);
    let err: GraphError = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::OutcomeUnknown);
    assert!(err.to_string().contains("may have been created"), "{err}");
    assert!(err.client_request_id.is_some(), "the id to look it up by");
    assert_eq!(emu.meeting_count(), 1, "exactly one meeting exists");
    assert_eq!(emu.graph_request_count(), 1, "not retried");
}

// A paused clock: tokio jumps to the next timer whenever the runtime is idle, so the test
// takes no wall-clock time and can tell exactly which timeout ended the hang.
#[tokio::test(start_paused = true)]
async fn a_hang_ends_at_the_timeout() {
    let (emu, client) = setup().await;
    let timeout = Duration::from_millis(500);
    let client = client.with_retry_policy(RetryPolicy {
        request_timeout: timeout,
        ..fast_policy()
    });
    emu.push_fault(Fault::Hang);
    let started = tokio::time::Instant::now();
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::OutcomeUnknown,
        "a POST that timed out may have created the meeting"
    );
    assert!(err.message.contains("timed out"), "{err}");
    assert_eq!(
        emu.graph_request_count(),
        1,
        "the request reached the service"
    );
    // The configured timeout ended it, not the 30 s default nor the 10 s connect timeout.
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < 2 * timeout,
        "ended after {waited:?}"
    );
    emu.push_fault(Fault::Hang);
    let err = client
        .fetch_meeting(&Target::Me, "anything")
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout);
}

#[tokio::test]
async fn server_errors_are_not_retried_and_keep_their_ids() {
    let (emu, client) = setup().await;
    emu.push_fault(Fault::InternalError);
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.status, Some(500));
    assert_eq!(err.kind, ErrorKind::Service);
    assert!(
        err.request_id.is_some() && err.client_request_id.is_some(),
        "{err:?}"
    );
    assert_eq!(emu.graph_request_count(), 1);
}

#[tokio::test]
async fn app_only_gets_the_access_policy_hint_and_cannot_use_me() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let token = emu.mint_app_token("contoso.com", Duration::from_secs(3600));
    let client = GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        Arc::new(StaticToken::new(secret(&token), true)),
    );
    let err = client
        .create_meeting(&Target::Me, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Refused);
    assert!(err.message.contains("--user"), "{err}");
    assert_eq!(emu.graph_request_count(), 0, "refused before any request");

    let user = Target::User("550fae72-d251-43ec-868c-373732c2704f".into());
    emu.push_fault(Fault::NoAccessPolicy);
    let err = client
        .create_meeting(&user, &request(false, None), &no_wait)
        .await
        .unwrap_err();
    assert_eq!(err.status, Some(403));
    assert!(err.hint().unwrap().contains("access policy"), "{err}");
    let m = client
        .create_meeting(&user, &request(false, None), &no_wait)
        .await
        .unwrap()
        .meeting;
    assert!(m.join_web_url.is_some());
}

#[tokio::test]
async fn one_connection_serves_many_meetings() {
    let (emu, client) = setup().await;
    client.preconnect().await;
    for _ in 0..5 {
        client
            .create_meeting(&Target::Me, &request(false, None), &no_wait)
            .await
            .unwrap();
    }
    assert_eq!(emu.meeting_count(), 5);
    assert_eq!(emu.connection_count(), 1, "pre-connected once, then reused");
}

struct FailingProvider(AuthError);

impl TokenProvider for FailingProvider {
    fn access_token(&self, _force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>> {
        // Through auth's own mapping, as the product's providers answer.
        let e = TokenError::from(self.0.clone());
        Box::pin(async move { Err(e) })
    }
}

#[tokio::test]
async fn token_failures_keep_their_meaning() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let cases = [
        (
            AuthError::Network("connection refused".into()),
            ErrorKind::Connect,
        ),
        (
            AuthError::SignInRequired("not signed in".into()),
            ErrorKind::Auth,
        ),
        (AuthError::Config("no client id".into()), ErrorKind::Refused),
    ];
    for (auth_err, kind) in cases {
        let client = GraphClient::new(
            tmeet::http::build_client(),
            emu.graph_url(),
            Arc::new(FailingProvider(auth_err.clone())),
        );
        let err = client
            .create_meeting(&Target::Me, &request(false, None), &no_wait)
            .await
            .unwrap_err();
        assert_eq!(err.kind, kind, "{auth_err:?}");
        // Told once, by the message or the hint.
        let says_sign_in = err.to_string().matches("tmeet login").count();
        assert_eq!(says_sign_in, usize::from(kind == ErrorKind::Auth), "{err}");
    }
    assert_eq!(emu.graph_request_count(), 0);
}
