//! What real tenants do to calendar mode on the first day (GRAPH-REAL.md Q11, Q19, Q20,
//! Q27, Q28), through the real binary and the emulator's mailbox modes, and the service's
//! own error bodies in `tests/fixtures/real/` through the client:
//! - an account without a mailbox Graph can reach is told so on every calendar path, and
//!   is never sent to sign in again for a permission it has;
//! - the organizer's free/busy row is asked for by the mailbox's address, not the UPN;
//! - a zone refused with `ErrorPropertyValidationFailure` is sent again the Windows way;
//! - `OrganizerUnavailable` (any case) says the window is outside working hours and
//!   `--outside-hours` looks beyond them;
//! - an event's join block is in the mailbox's language, and `--lang` says it cannot be.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use tmeet::calendar::OutlookZone;
use tmeet::calendar::suggestions::EmptyReason;
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::StaticToken;
use tmeet::secret::Secret;
use tmeet::services::calendar::{self as flow, CalendarError, NO_MAILBOX};
use tmeet_emulator::{Emulator, EmulatorOptions, MailboxModes};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

async fn emulator(opts: EmulatorOptions) -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..opts
    })
    .await
    .unwrap()
}

/// A tmeet signed in to `emu` with `scopes` granted beyond the base ones; the flags that
/// point it there.
async fn signed_in(emu: &Emulator, home: &Path, scopes: &[&str]) -> Vec<String> {
    let endpoints = vec![
        "--graph-url".to_string(),
        emu.graph_url().to_string(),
        "--login-url".into(),
        emu.login_url().to_string(),
        "--client-id".into(),
        "11111111-2222-3333-4444-555555555555".into(),
    ];
    let mut login: Vec<&str> = endpoints.iter().map(String::as_str).collect();
    login.extend(["login", "--no-browser"]);
    for s in scopes {
        login.extend(["--scope", s]);
    }
    let out = run(common::command(home, &login)).await;
    assert!(out.status.success(), "{out:?}");
    endpoints
}

async fn tmeet(
    home: &Path,
    ep: &[String],
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = common::command(home, &common::with_endpoints(ep, args));
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(cmd).await
}

fn create_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "create",
        "--calendar",
        "-s",
        "Design review",
        "--start",
        "2037-12-01 14:00",
        "--duration",
        "45m",
        "--attendee",
        MEGAN,
    ];
    a.extend_from_slice(extra);
    a
}

const ALL_CALENDAR: &[&str] = &["Calendars.ReadWrite", "Calendars.Read.Shared"];

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_a_mailbox_is_told_so_on_every_calendar_path_and_never_asked_to_consent()
{
    let emu = emulator(EmulatorOptions::default()).await;
    let home = tempfile::tempdir().unwrap();
    let ep = signed_in(&emu, home.path(), ALL_CALENDAR).await;
    // An event made while the mailbox was reachable, to cancel once it is not.
    let made = tmeet(home.path(), &ep, &create_args(&[]), &[]).await;
    assert!(made.status.success(), "{made:?}");
    emu.set_mailbox_modes("mailbox=none".parse().unwrap());
    let standalone = tmeet(home.path(), &ep, &["create", "-s", "Still works"], &[]).await;
    assert!(
        standalone.status.success(),
        "standalone meetings still work: {standalone:?}"
    );
    for args in [
        create_args(&[]),
        vec!["free", "--attendee", MEGAN],
        // findMeetingTimes answers 403 here: a 403 that no permission would mend.
        vec!["suggest", "--attendee", MEGAN],
        vec!["cancel", "1", "--yes"],
    ] {
        let out = tmeet(home.path(), &ep, &args, &[]).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(err.contains(NO_MAILBOX), "{args:?}: {err}");
        assert!(
            err.contains("MailboxNotEnabledForRESTAPI"),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("tmeet login"),
            "no sign-in can help: {args:?}: {err}"
        );
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_organizers_row_is_asked_for_by_the_mailbox_address_not_the_upn() {
    let emu = emulator(EmulatorOptions {
        mailbox: "mail=adele.vance@contoso.com".parse().unwrap(),
        ..EmulatorOptions::default()
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let ep = signed_in(&emu, home.path(), &["Calendars.Read.Shared", "User.Read"]).await;
    for _ in 0..2 {
        let out = tmeet(
            home.path(),
            &ep,
            &["free", "--attendee", MEGAN, "--json"],
            &[],
        )
        .await;
        assert!(out.status.success(), "{out:?}");
        let j: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            j["schedules"][0]["address"], "adele.vance@contoso.com",
            "{j}"
        );
        assert_eq!(j["schedules"][0]["error"], Value::Null, "not 5009: {j}");
    }
    let stored = std::fs::read_to_string(common::token_file(home.path())).unwrap();
    assert!(
        stored.contains("adele.vance@contoso.com"),
        "kept with the sign-in"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zone_refused_as_a_validation_failure_is_sent_the_windows_way_and_the_person_told() {
    let emu = emulator(EmulatorOptions::default()).await;
    let home = tempfile::tempdir().unwrap();
    let ep = signed_in(&emu, home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let out = tmeet(
        home.path(),
        &ep,
        &create_args(&["--json"]),
        &[("TZ", "Africa/Casablanca")],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        event["originalStartTimeZone"], "Morocco Standard Time",
        "{event}"
    );
    assert!(
        event["start"]["dateTime"]
            .as_str()
            .unwrap()
            .starts_with("2037-12-01T14:00:00"),
        "{event}"
    );
    assert!(
        text(&out.stderr).contains(
            "does not take the time zone Africa/Casablanca (ErrorPropertyValidationFailure); \
             the times were sent as Morocco Standard Time"
        ),
        "{out:?}"
    );
    assert_eq!(emu.event_count() - seeded, 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_window_outside_working_hours_says_so_and_outside_hours_finds_a_time() {
    let emu = emulator(EmulatorOptions {
        org_time_zone: Some("Europe/Berlin".into()),
        ..EmulatorOptions::default()
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let ep = signed_in(&emu, home.path(), &["Calendars.Read.Shared"]).await;
    let saturday = [
        "suggest",
        "--attendee",
        MEGAN,
        "--from",
        "sat",
        "--days",
        "1",
    ];
    let out = tmeet(home.path(), &ep, &saturday, &[]).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(s.contains("outside your working hours"), "{s}");
    assert!(s.contains("--outside-hours"), "{s}");
    let mut wider = saturday.to_vec();
    wider.push("--outside-hours");
    let out = tmeet(home.path(), &ep, &wider, &[]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).starts_with(" 1  "), "{out:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_events_join_block_is_in_the_mailboxs_language_and_lang_says_it_cannot_choose() {
    let emu = emulator(EmulatorOptions {
        mailbox: MailboxModes {
            language: Some("de-DE".into()),
            ..MailboxModes::default()
        },
        ..EmulatorOptions::default()
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let ep = signed_in(&emu, home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &create_args(&["--json", "--lang", "fr-FR"]),
        &[],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    let body = event["body"]["content"].as_str().unwrap();
    assert!(
        body.contains("Besprechung"),
        "the mailbox's German, not French: {body}"
    );
    assert!(
        text(&out.stderr).contains("--lang has no effect on a calendar meeting"),
        "{out:?}"
    );
    emu.shutdown().await;
}

// ---- the service's bodies, through the client ---------------------------------------

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/real/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A Graph root on loopback answering every request with `status` and `body`.
async fn client_answering(status: u16, body: String) -> GraphClient {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json; charset=utf-8")],
                body,
            )
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    GraphClient::new(
        tmeet::http::build_client(),
        format!("http://{addr}/v1.0").parse().unwrap(),
        Arc::new(StaticToken::new(Secret::new("real-answers-token"), false)),
    )
}

fn window() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let start = Utc.with_ymd_and_hms(2037, 1, 8, 0, 0, 0).unwrap();
    (start, start + chrono::Duration::days(1))
}

#[tokio::test]
async fn the_services_mailbox_refusals_are_named_as_such_404_and_403() {
    let (start, end) = window();
    for (status, name) in [
        (404, "mailbox-not-enabled-404"),
        (403, "mailbox-not-enabled-403"),
    ] {
        let c = client_answering(status, fixture(name)).await;
        let people = vec![MEGAN.to_string()];
        let fb = flow::free_busy(
            &c,
            &Target::Me,
            &people,
            start,
            end,
            30,
            &OutlookZone::utc(),
        )
        .await;
        let s = flow::suggest(
            &c,
            &Target::Me,
            &people,
            chrono::Duration::minutes(30),
            (start, end),
            &OutlookZone::utc(),
            false,
        )
        .await;
        for e in [fb.err().unwrap(), s.err().unwrap()] {
            let CalendarError::NoMailbox(g) = &e else {
                panic!("{name}: {e:?}")
            };
            assert_eq!(g.status, Some(status));
            assert!(g.request_id.is_some(), "{g:?}");
            assert!(e.to_string().starts_with(NO_MAILBOX), "{e}");
        }
    }
}

#[tokio::test]
async fn the_services_validation_failure_for_a_zone_is_retried_then_shown() {
    let c = client_answering(400, fixture("property-validation-failure")).await;
    let e = c
        .post_event(&Target::Me, &serde_json::json!({}), "UTC", None, &|_| {})
        .await
        .unwrap_err();
    assert!(e.code_is("ErrorPropertyValidationFailure"), "{e:?}");
    assert_eq!(e.message, "At least one property failed validation.");
    // Refused in every zone: the service's own words come back, not a zone's.
    let start = chrono_tz::Africa::Casablanca
        .with_ymd_and_hms(2037, 1, 8, 10, 0, 0)
        .unwrap();
    let meeting = tmeet::meeting::MeetingRequest::new(
        "Casablanca",
        &start,
        &(start + chrono::Duration::minutes(30)),
        false,
        None,
    )
    .unwrap();
    let req = tmeet::calendar::EventRequest::new(
        meeting,
        tmeet::calendar::parse_invitees(MEGAN).unwrap(),
        None,
        None,
        "t-1".into(),
    )
    .unwrap();
    let zone = OutlookZone::for_tz(chrono_tz::Africa::Casablanca);
    assert_eq!(zone.name(), "Africa/Casablanca");
    match flow::create_event(&c, &Target::Me, &req, &zone, &|_| {}).await {
        Err(CalendarError::Graph(g)) => assert!(g.code_is("ErrorPropertyValidationFailure")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_services_pascal_case_reasons_and_5009_rows_are_read() {
    let (start, end) = window();
    for (name, reason) in [
        (
            "find-meeting-times-pascal-case",
            EmptyReason::OrganizerUnavailable,
        ),
        (
            "find-meeting-times-pascal-case-attendees",
            EmptyReason::AttendeesUnavailableOrUnknown,
        ),
    ] {
        let c = client_answering(200, fixture(name)).await;
        let s = flow::suggest(
            &c,
            &Target::Me,
            &[],
            chrono::Duration::minutes(30),
            (start, end),
            &OutlookZone::utc(),
            false,
        )
        .await
        .unwrap();
        assert_eq!(s.empty, Some(reason), "{name}");
    }
    let c = client_answering(200, fixture("get-schedule-5009")).await;
    let people = vec![
        "AdeleV@contoso.onmicrosoft.com".to_string(),
        "MeganB@contoso.com".to_string(),
    ];
    let fb = flow::free_busy(
        &c,
        &Target::Me,
        &people,
        start,
        end,
        60,
        &OutlookZone::utc(),
    )
    .await
    .unwrap();
    assert!(fb.people[0].error.is_some(), "{:?}", fb.people[0]);
    assert_eq!(fb.people[1].error, None);
}
