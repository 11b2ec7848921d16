//! What the real service does that its documentation does not say (GRAPH-REAL.md), through
//! the real binary against the emulator's modes: a PATCH answered 5xx that may have been
//! applied (Q15), meetings made under another account (Q16), short join links and their
//! expiry (Q8, Q9); and the service's bodies for them (tests/fixtures/real/) through the
//! client.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text, with_endpoints};

use serde_json::Value;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::StaticToken;
use tmeet::graph::{ErrorKind, GraphError};
use tmeet::secret::Secret;
use tmeet_emulator::{DEMO_USER_UPN, Emulator, Fault};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

async fn tmeet(home: &Path, endpoints: &[String], args: &[&str]) -> Output {
    run(common::command(home, &with_endpoints(endpoints, args))).await
}

/// A standalone meeting made with `tmeet create`; its history ref.
async fn standalone(home: &Path, ep: &[String], subject: &str) -> String {
    let out = tmeet(
        home,
        ep,
        &[
            "create",
            "-s",
            subject,
            "--start",
            "2037-12-01 14:00",
            "--duration",
            "30m",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let list = tmeet(home, ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject"] == subject)
        .unwrap();
    row["ref"].to_string()
}

fn stored_subject(emu: &Emulator) -> Vec<String> {
    emu.stored_meetings()
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A PATCH the service answered 500 although it applied it (Q15) is read back: the update
/// is done, exit 0, with a warning that says what was answered and what the meeting shows.
#[tokio::test(flavor = "multi_thread")]
async fn a_patch_answered_500_but_applied_is_done_with_a_note() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &[]).await;
    let r = standalone(home.path(), &ep, "Before").await;
    emu.push_fault("500-after-patch".parse::<Fault>().unwrap());
    let out = tmeet(home.path(), &ep, &["update", &r, "--subject", "After"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(
        err.contains("every change was saved (saved: subject)"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("After"), "{out:?}");
    assert_eq!(stored_subject(&emu), ["After"]);
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    assert!(
        text(&list.stdout).contains("\"subject\":\"After\""),
        "{list:?}"
    );
    emu.shutdown().await;
}

/// A 500 that was not applied (the meeting read back is as it was): nothing was changed,
/// exit 1. A read-back that fails too leaves it open: exit 3, "may have been saved".
#[tokio::test(flavor = "multi_thread")]
async fn a_patch_answered_500_is_told_by_what_reading_back_finds() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &[]).await;
    let r = standalone(home.path(), &ep, "Kept").await;
    emu.push_fault("500".parse::<Fault>().unwrap());
    let out = tmeet(home.path(), &ep, &["update", &r, "--subject", "Lost"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        err.contains("nothing was changed: the service answered HTTP 500"),
        "{err}"
    );
    assert!(err.contains("not saved: subject"), "{err}");
    for f in tmeet_emulator::parse_faults("500,500").unwrap() {
        emu.push_fault(f);
    }
    let out = tmeet(home.path(), &ep, &["update", &r, "--subject", "Lost"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(err.contains("the changes may have been saved"), "{err}");
    assert!(err.contains("reading the meeting back failed"), "{err}");
    assert_eq!(stored_subject(&emu), ["Kept"]);
    emu.shutdown().await;
}

/// Part saved, part not (a tenant policy keeps the lobby where it was while the subject
/// changes): exit 4, naming each.
#[tokio::test(flavor = "multi_thread")]
async fn a_patch_answered_500_and_partly_applied_says_which_part() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &[]).await;
    let r = standalone(home.path(), &ep, "Half").await;
    emu.set_policy("lobby=organization".parse().unwrap());
    emu.push_fault("500-after-patch".parse::<Fault>().unwrap());
    let out = tmeet(
        home.path(),
        &ep,
        &["update", &r, "--subject", "Whole", "--lobby", "everyone"],
    )
    .await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(err.contains("only some of the changes were saved"), "{err}");
    assert!(err.contains("saved: subject; not saved: lobby"), "{err}");
    emu.shutdown().await;
}

/// An event's PATCH answered 500 after it was applied (and its invitees mailed): read back
/// rather than sent again, so each invitee has one update.
#[tokio::test(flavor = "multi_thread")]
async fn an_event_patch_answered_500_is_read_back_not_sent_again() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Event",
            "--start",
            "2037-12-01 14:00",
            "--duration",
            "45m",
            "--attendee",
            MEGAN,
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let r = rows[0]["ref"].to_string();
    let event_id = rows[0]["eventId"].as_str().unwrap().to_string();
    let sent = emu.sent_mail().len();
    emu.push_fault("500-after-patch".parse::<Fault>().unwrap());
    let out = tmeet(home.path(), &ep, &["update", &r, "--subject", "Renamed"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        err.contains("reading the event back shows every change"),
        "{err}"
    );
    assert_eq!(emu.stored_event(&event_id).unwrap()["subject"], "Renamed");
    let updates = emu.sent_mail()[sent..]
        .iter()
        .filter(|m| m.kind == "update")
        .count();
    assert_eq!(updates, 1, "one update mail, not one per attempt");
    emu.shutdown().await;
}

/// A meeting made under one account is refused by name under another (Q16): `show` shows
/// the history's copy and says why, `update` and `delete` send nothing and exit 2, and the
/// meeting is neither changed nor marked deleted (a 404 would have read as "gone").
#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_of_another_account_is_refused_by_name() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &[]).await;
    let r = standalone(home.path(), &ep, "Adele's").await;
    // Megan signs in on the same machine.
    assert!(emu.sign_in_as(Some(MEGAN)));
    assert!(tmeet(home.path(), &ep, &["logout"]).await.status.success());
    let login = tmeet(home.path(), &ep, &["login", "--no-browser"]).await;
    assert!(login.status.success(), "{login:?}");
    let made_with = format!("was made with {DEMO_USER_UPN}; you are signed in as {MEGAN}");
    let show = tmeet(home.path(), &ep, &["show", &r]).await;
    assert!(show.status.success(), "{show:?}");
    assert!(text(&show.stderr).contains(&made_with), "{show:?}");
    assert!(
        text(&show.stdout).contains(&format!("made with {DEMO_USER_UPN}")),
        "{show:?}"
    );
    let update = tmeet(home.path(), &ep, &["update", &r, "--subject", "Megan's"]).await;
    assert_eq!(update.status.code(), Some(2), "{update:?}");
    assert!(text(&update.stderr).contains(&made_with), "{update:?}");
    assert!(
        text(&update.stderr).contains(&format!("sign in as {DEMO_USER_UPN}")),
        "{update:?}"
    );
    let delete = tmeet(home.path(), &ep, &["delete", &r, "--yes"]).await;
    assert_eq!(delete.status.code(), Some(2), "{delete:?}");
    assert!(text(&delete.stderr).contains(&made_with), "{delete:?}");
    assert_eq!(stored_subject(&emu), ["Adele's"]);
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows[0]["state"], "active", "{rows}");
    assert_eq!(rows[0]["account"], DEMO_USER_UPN, "{rows}");
    // With meetings of two accounts, `list` says whose each is.
    let plain = tmeet(home.path(), &ep, &["list"]).await;
    assert!(!text(&plain.stdout).contains("ACCOUNT"), "{plain:?}");
    standalone(home.path(), &ep, "Megan's own").await;
    let plain = tmeet(home.path(), &ep, &["list"]).await;
    let table = text(&plain.stdout);
    assert!(table.contains("ACCOUNT"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains(DEMO_USER_UPN) && l.contains("Adele's")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.contains(MEGAN) && l.contains("Megan's own")),
        "{table}"
    );
    emu.shutdown().await;
}

/// Short join links (Q8) work wherever a link is taken: `show URL`, `update URL`, `delete
/// URL`, and `update URL` of a meeting the history does not have (found with
/// `$filter=JoinWebUrl`); their expiry (Q9) is shown, and `--json` passes it untouched.
#[tokio::test(flavor = "multi_thread")]
async fn short_links_work_everywhere_and_their_expiry_is_shown() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), &[]).await;
    emu.set_short_links(100);
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "-s",
            "Short",
            "--start",
            "2037-12-01 14:00",
            "--duration",
            "30m",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    let link = created["joinWebUrl"].as_str().unwrap().to_string();
    assert!(
        link.starts_with("https://teams.microsoft.com/meet/"),
        "{link}"
    );
    assert_eq!(created["expiryDateTime"], "2038-01-30T13:30:00.0000000Z");
    let show = tmeet(home.path(), &ep, &["show", &link]).await;
    assert!(show.status.success(), "{show:?}");
    let shown = text(&show.stdout);
    assert!(shown.contains(&format!("Join URL:   {link}")), "{shown}");
    assert!(shown.contains("Expires:    30 Jan 2038"), "{shown}");
    let show_json = tmeet(home.path(), &ep, &["show", &link, "--json"]).await;
    let v: Value = serde_json::from_slice(&show_json.stdout).unwrap();
    assert_eq!(
        v["meeting"]["expiryDateTime"],
        "2038-01-30T13:30:00.0000000Z"
    );
    let update = tmeet(home.path(), &ep, &["update", &link, "--subject", "Shorter"]).await;
    assert!(update.status.success(), "{update:?}");
    assert_eq!(stored_subject(&emu), ["Shorter"]);
    // Without the history the link is looked up at the service.
    let mut cmd = common::command(
        home.path(),
        &with_endpoints(&ep, &["update", &link, "--subject", "Shortest"]),
    );
    cmd.env("TMEET_HISTORY", "off");
    let out = run(cmd).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stored_subject(&emu), ["Shortest"]);
    let delete = tmeet(home.path(), &ep, &["delete", &link, "--yes"]).await;
    assert!(delete.status.success(), "{delete:?}");
    assert_eq!(emu.meeting_count(), 0);
    emu.shutdown().await;
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/real/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A Graph root on loopback answering every request with `status` and `body`.
async fn graph_answering(status: u16, body: String) -> url::Url {
    use axum::http::StatusCode;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json")],
                body,
            )
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1.0").parse().unwrap()
}

fn client(graph: url::Url) -> GraphClient {
    let tokens = Arc::new(StaticToken::new(Secret::new("t".repeat(40)), false));
    GraphClient::new(tmeet::http::build_client(), graph, tokens)
}

async fn answered(status: u16, name: &str) -> GraphClient {
    client(graph_answering(status, fixture(name)).await)
}

#[tokio::test]
async fn the_services_bodies_parse_through_the_client() {
    let zone = chrono_tz::UTC;
    let short = answered(200, "short-link-meeting").await;
    let m = short.fetch_meeting(&Target::Me, "x").await.unwrap().meeting;
    assert_eq!(
        m.join_web_url.as_deref(),
        Some("https://teams.microsoft.com/meet/2547815566591?p=ljYumXX3aAvEIDtwdg")
    );
    let card = tmeet::meeting::presentation::MeetingCard::from_meeting(&m, &zone, None);
    assert_eq!(card.link_expires.as_deref(), Some("9 May 2026"));
    assert!(card.summary().contains("Expires:    9 May 2026"));
    // The short link is a plain https link: clickable, copied and drawn as a QR code.
    assert!(card.qr.is_some());
    assert!(card.links.iter().any(|(shown, target)| shown == target
        && target.starts_with("https://teams.microsoft.com/meet/")));
    let unlicensed = answered(200, "audio-conferencing-unlicensed").await;
    let m = unlicensed
        .fetch_meeting(&Target::Me, "x")
        .await
        .unwrap()
        .meeting;
    assert!(m.audio_conferencing.is_none());
    let card = tmeet::meeting::presentation::MeetingCard::from_meeting(&m, &zone, None);
    assert!(!card.summary().contains("Dial-in:"), "{}", card.summary());
    let patch = answered(500, "error-500-patch-applied").await;
    let e: GraphError = patch
        .patch_meeting(
            &Target::Me,
            "x",
            &serde_json::json!({"subject": "s"}),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_deref()),
        (Some(500), Some("UnknownError"))
    );
    assert_eq!(
        e.request_id.as_deref(),
        Some("9c2b4f17-1d0e-4b8a-a3c6-0f5e7d2a8b91")
    );
    let gateway = answered(504, "error-504-gateway-timeout").await;
    let start = chrono::Utc::now() + chrono::Duration::days(30);
    let req = tmeet::meeting::MeetingRequest::new(
        "x",
        &start.with_timezone(&zone),
        &(start + chrono::Duration::minutes(30)).with_timezone(&zone),
        false,
        None,
    )
    .unwrap();
    let e = gateway
        .create_meeting(&Target::Me, &req, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutcomeUnknown, "{e}");
    assert!(e.to_string().contains("may have been created"), "{e}");
    let mismatch = answered(404, "error-404-organizer-id-mismatch").await;
    let e = mismatch.fetch_meeting(&Target::Me, "x").await.unwrap_err();
    assert_eq!((e.status, e.code.as_deref()), (Some(404), Some("NotFound")));
    assert_eq!(e.message, "Organizer Id mismatch");
}
