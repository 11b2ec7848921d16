//! Planning across time zones through the real binary and the emulator: `free` labels each
//! colleague with their local time and marks their off hours, `suggest` says where a time
//! falls for each invitee (`--within-hours`), my mailbox's settings are read once per
//! sign-in and `doctor` flags a zone other than the terminal's, and `free --share` writes
//! my free times in someone else's zone across a change of clocks. The terminal is in
//! Berlin (the tests' TZ); the emulator's organization too unless a test says otherwise.
//! Dates are in 2037, past the seeded weeks, so only what a test puts there is busy.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{signed_in_to, text, tmeet};

use serde_json::Value;
use std::path::Path;
use tmeet_emulator::{Emulator, EmulatorOptions, MailboxModes};

const NESTOR: &str = "NestorW@contoso.onmicrosoft.com";
const PATTI: &str = "PattiF@contoso.onmicrosoft.com";

async fn emulator(mailbox: &str) -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        org_time_zone: Some("Europe/Berlin".into()),
        mailbox: mailbox.parse::<MailboxModes>().unwrap(),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

async fn signed_in(home: &Path, mailbox: &str, scopes: &[&str]) -> (Emulator, Vec<String>) {
    signed_in_to(emulator(mailbox).await, home, scopes).await
}

fn row<'a>(s: &'a str, who: &str) -> &'a str {
    s.lines()
        .find(|l| l.starts_with(who))
        .unwrap_or_else(|| panic!("{who}: {s}"))
}

/// One line on stderr, exit 2, no Graph request made.
fn refused_in_one_line(out: &std::process::Output, emu: &Emulator, before: usize) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(emu.graph_request_count(), before, "nothing sent");
    err
}

#[tokio::test(flavor = "multi_thread")]
async fn free_labels_each_colleague_with_their_local_time_and_marks_their_off_hours() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    // Thursday 8 January 2037; I work 08:00–17:00 Berlin.
    let args = [
        "free",
        "--attendee",
        NESTOR,
        "--attendee",
        PATTI,
        "--date",
        "2037-01-08",
    ];
    let out = tmeet(home.path(), &ep, &args).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(
        s.starts_with("Free/busy on Thu 8 Jan 2037, 08:00–17:00 CET"),
        "my working hours are the window: {s}"
    );
    // 08:00 Berlin is 16:00 in Tokyo (his day ends at 18:00) and 02:00 in New York (hers
    // begins at 09:00, 15:00 Berlin).
    let nestor = row(&s, NESTOR);
    assert!(nestor.ends_with("  16:00 Tokyo"), "{s}");
    assert!(nestor.contains("····-"), "free in his hours, then off: {s}");
    let patti = row(&s, PATTI);
    assert!(patti.ends_with("  02:00 New York"), "{s}");
    assert!(patti.contains("-·"), "off until her morning: {s}");
    assert!(s.contains("- free, outside working hours"), "{s}");
    assert!(
        s.contains(&format!("{NESTOR} works Mon–Fri 09:00–18:00 Tokyo")),
        "{s}"
    );
    // Nobody shares an hour with both: everyone is free, but someone is off, all day.
    assert!(!row(&s, "all free").contains('·'), "{s}");

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let out = tmeet(home.path(), &ep, &json_args).await;
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let nestor = &j["schedules"][1];
    assert_eq!(nestor["address"], NESTOR);
    assert_eq!(nestor["workingHours"]["timeZone"], "Tokyo Standard Time");
    assert_eq!(nestor["workingHours"]["ianaTimeZone"], "Asia/Tokyo");
    assert_eq!(nestor["workingHours"]["startTime"], "09:00");
    assert_eq!(
        nestor["localStart"], "2037-01-08T08:00:00+09:00",
        "midnight in Berlin"
    );
    let within = nestor["withinWorkingHours"].as_str().unwrap();
    // 30-minute cells from midnight Berlin: his day is 01:00–10:00 Berlin.
    assert_eq!(&within[..2], "00", "{within}");
    assert_eq!(&within[2..20], "1".repeat(18), "{within}");
    assert_eq!(&within[20..22], "00", "{within}");
    assert_eq!(
        j["schedules"][2]["workingHours"]["daysOfWeek"]
            .as_array()
            .unwrap()
            .len(),
        5
    );

    // The same day in Tokyo's time.
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "free",
            "--attendee",
            NESTOR,
            "--date",
            "2037-01-08",
            "--zone",
            "tokyo",
        ],
    )
    .await;
    let s = text(&out.stdout);
    assert!(s.starts_with("Free/busy on Thu 8 Jan 2037, 16:00–"), "{s}");
    assert!(s.lines().next().unwrap().contains("JST"), "{s}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zone_that_is_unknown_or_ambiguous_is_refused_in_one_line_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    let before = emu.graph_request_count();
    let out = tmeet(home.path(), &ep, &["free", "--zone", "IST"]).await;
    let err = refused_in_one_line(&out, &emu, before);
    assert!(
        err.contains("Asia/Kolkata")
            && err.contains("Asia/Jerusalem")
            && err.contains("Europe/Dublin"),
        "{err}"
    );
    let out = tmeet(home.path(), &ep, &["suggest", "--zone", "Tokio"]).await;
    let err = refused_in_one_line(&out, &emu, before);
    assert!(err.contains("did you mean Asia/Tokyo"), "{err}");
    let out = tmeet(
        home.path(),
        &ep,
        &["free", "--share", "--zone", "Mars/Base"],
    )
    .await;
    refused_in_one_line(&out, &emu, before);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suggestion_outside_a_colleagues_working_hours_is_flagged_as_such() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    let ask = |within: &'static str| {
        vec![
            "suggest",
            "--attendee",
            NESTOR,
            "--from",
            "2037-01-08",
            "--days",
            "1",
            "--duration",
            "1h",
            "--within-hours",
            within,
        ]
    };
    // Within my hours only: times in Nestor's evening come too, marked.
    let out = tmeet(home.path(), &ep, &ask("organizer")).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    let flagged: Vec<&str> = s
        .lines()
        .filter(|l| l.contains(NESTOR) && l.contains("outside working hours"))
        .collect();
    assert!(!flagged.is_empty(), "{s}");
    assert!(flagged[0].trim_start().starts_with(NESTOR), "{s}");
    assert!(flagged[0].contains(" Tokyo, outside working hours"), "{s}");
    let j: Value = serde_json::from_slice(
        &tmeet(
            home.path(),
            &ep,
            &[ask("organizer"), vec!["--json"]].concat(),
        )
        .await
        .stdout,
    )
    .unwrap();
    let items = j["suggestions"].as_array().unwrap();
    assert!(!items.is_empty(), "{j}");
    assert!(
        items.iter().all(|i| i["withinWorkingHours"] == true),
        "all within my hours: {j}"
    );
    assert!(
        items
            .iter()
            .any(|i| i["attendees"][0]["withinWorkingHours"] == false),
        "{j}"
    );
    assert_eq!(items[0]["attendees"][0]["timeZone"], "Asia/Tokyo");

    // Within everyone's: only the hours we share (08:00–10:00 Berlin), none flagged.
    let out = tmeet(home.path(), &ep, &ask("all")).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(s.starts_with(" 1  Thu 8 Jan 0"), "{s}");
    assert!(!s.contains("outside working hours"), "{s}");
    assert!(s.contains(" Tokyo\n"), "{s}");

    // Nestor and Patti share no hour: the service says the attendees are unavailable, and
    // tmeet says how to look within mine alone.
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "suggest",
            "--attendee",
            NESTOR,
            "--attendee",
            PATTI,
            "--from",
            "2037-01-08",
            "--days",
            "1",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(s.starts_with("No time found"), "{s}");
    assert!(s.contains("--within-hours organizer"), "{s}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn my_mailbox_settings_are_read_once_per_sign_in_and_doctor_flags_another_zone() {
    let home = tempfile::tempdir().unwrap();
    // My mailbox says Tokyo, the terminal Berlin.
    let (emu, ep) = signed_in(
        home.path(),
        "zone=Tokyo Standard Time",
        &["Calendars.Read.Shared", "MailboxSettings.Read"],
    )
    .await;
    let before = emu.graph_request_count();
    let out = tmeet(home.path(), &ep, &["free", "--date", "2037-01-08"]).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    // 08:00–17:00 Tokyo is 00:00–09:00 Berlin: my mailbox's hours are the window.
    assert!(
        s.starts_with("Free/busy on Thu 8 Jan 2037, 00:00–09:00 CET"),
        "{s}"
    );
    // /me, getSchedule and mailboxSettings.
    assert_eq!(emu.graph_request_count() - before, 3);
    let tokens = std::fs::read_to_string(home.path().join("state/tmeet/tokens.json")).unwrap();
    assert!(
        tokens.contains("\"mailbox_settings\""),
        "kept with the sign-in"
    );
    assert!(tokens.contains("Tokyo Standard Time"));
    let before = emu.graph_request_count();
    let again = tmeet(home.path(), &ep, &["free", "--date", "2037-01-08"]).await;
    assert!(again.status.success(), "{again:?}");
    assert_eq!(
        emu.graph_request_count() - before,
        1,
        "getSchedule alone: the mailbox was read once"
    );

    let out = tmeet(home.path(), &ep, &["doctor", "--json"]).await;
    let checks: Value = serde_json::from_slice(&out.stdout).unwrap();
    let zone = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "mailbox zone")
        .unwrap_or_else(|| panic!("{checks}"));
    assert_eq!(zone["ok"], false, "{zone}");
    assert_eq!(zone["required"], false, "{zone}");
    assert!(
        zone["detail"]
            .as_str()
            .unwrap()
            .contains("the mailbox's zone is Tokyo Standard Time"),
        "{zone}"
    );
    assert!(
        zone["fix"].as_str().unwrap().contains("TZ=Asia/Tokyo"),
        "{zone}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_permission_the_mailbox_is_not_asked_and_doctor_says_how_to_grant_it() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    let before = emu.graph_request_count();
    let out = tmeet(home.path(), &ep, &["free", "--date", "2037-01-08"]).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.graph_request_count() - before, 2, "/me and getSchedule");
    let out = tmeet(home.path(), &ep, &["doctor", "--json"]).await;
    let checks: Value = serde_json::from_slice(&out.stdout).unwrap();
    let zone = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "mailbox zone")
        .unwrap();
    assert_eq!(zone["ok"], true);
    assert!(
        zone["detail"]
            .as_str()
            .unwrap()
            .contains("tmeet login --scope MailboxSettings.Read"),
        "{zone}"
    );
    emu.shutdown().await;
}

/// An hour on my calendar at 10:00 Berlin, Friday 27 March 2037.
async fn busy_friday_morning(emu: &Emulator) {
    let (token, _) = emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/Calendars.ReadWrite offline_access",
        std::time::Duration::from_secs(600),
    );
    let body = serde_json::json!({
        "subject": "Dentist",
        "start": {"dateTime": "2037-03-27T10:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2037-03-27T11:00:00", "timeZone": "Europe/Berlin"},
    });
    let resp = reqwest::Client::new()
        .post(format!("{}/me/events", emu.graph_url()))
        .bearer_auth(token.expose())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread")]
async fn free_share_writes_a_week_across_a_change_of_clocks_in_the_recipients_zone() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    busy_friday_morning(&emu).await;
    // Thursday 26 March to Wednesday 1 April 2037: Europe moves its clocks on Sunday the
    // 29th, New York moved on the 8th. I work 08:00–17:00 Berlin.
    let share = |zone: &'static str| {
        vec![
            "free",
            "--share",
            "--date",
            "2037-03-26",
            "--days",
            "6",
            "--zone",
            zone,
        ]
    };
    let out = tmeet(home.path(), &ep, &share("America/New_York")).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        "Free (EDT): Thu 26 Mar 03:00–12:00; Fri 27 Mar 03:00–05:00, 06:00–12:00; \
         Mon 30 Mar 02:00–11:00; Tue 31 Mar 02:00–11:00\n"
    );
    // Piped: printed, not copied, and nothing said about a clipboard.
    assert!(out.stderr.is_empty(), "{out:?}");
    let out = tmeet(home.path(), &ep, &share("Europe/London")).await;
    assert_eq!(
        text(&out.stdout),
        "Free (GMT): Thu 26 Mar 07:00–16:00; Fri 27 Mar 07:00–09:00, 10:00–16:00; \
         Mon 30 Mar (BST, London) 07:00–16:00; Tue 31 Mar (BST, London) 07:00–16:00\n",
        "BST is Bangladesh's too: London is named"
    );
    let out = tmeet(
        home.path(),
        &ep,
        &[share("CET"), vec!["--duration", "3h"]].concat(),
    )
    .await;
    assert_eq!(
        text(&out.stdout),
        "Free (CET): Thu 26 Mar 08:00–17:00; Fri 27 Mar 11:00–17:00; \
         Mon 30 Mar (CEST) 08:00–17:00; Tue 31 Mar (CEST) 08:00–17:00\n"
    );
    let out = tmeet(home.path(), &ep, &[share("UTC"), vec!["--json"]].concat()).await;
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["timeZone"], "UTC");
    assert_eq!(j["free"][0]["start"], "2037-03-26T07:00:00+00:00");
    assert_eq!(j["workingHoursFrom"], "schedule");
    assert!(
        j["text"]
            .as_str()
            .unwrap()
            .starts_with("Free (UTC): Thu 26 Mar 07:00–16:00")
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_share_refuses_bad_input_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.Read.Shared"]).await;
    busy_friday_morning(&emu).await;
    let before = emu.graph_request_count();
    let base = ["free", "--share", "--date", "2037-03-26"];
    let out = tmeet(home.path(), &ep, &[&base[..], &["--days", "40"]].concat()).await;
    let err = refused_in_one_line(&out, &emu, before);
    assert!(err.contains("--days 40") && err.contains("31"), "{err}");
    let out = tmeet(home.path(), &ep, &[&base[..], &["--zone", "IST"]].concat()).await;
    refused_in_one_line(&out, &emu, before);
    // Too long for any working day: said once the hours are known; nothing was created.
    let events = emu.event_count();
    let out = tmeet(
        home.path(),
        &ep,
        &[&base[..], &["--duration", "10h"]].concat(),
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("--duration 10h: longer than any of your working days"),
        "{err}"
    );
    // Longer than any free time on the one busy day.
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "free",
            "--share",
            "--date",
            "2037-03-27",
            "--days",
            "1",
            "--duration",
            "7h",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("the longest is 6 h"), "{err}");
    assert_eq!(emu.event_count(), events);
    // Only my own calendar: naming others is a usage error.
    let out = tmeet(home.path(), &ep, &["free", "--share", "--attendee", NESTOR]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    emu.shutdown().await;
}

/// `create --calendar --zone "New York"` from a Berlin terminal, Thursday 8 January 2037.
fn planned_in_new_york<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "create",
        "--calendar",
        "-s",
        "Planning with Patti",
        "--zone",
        "new york",
        "--start",
        "2037-01-08 10:00",
        "--duration",
        "30m",
        "--attendee",
        PATTI,
    ];
    a.extend_from_slice(extra);
    a
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_planned_in_new_york_from_a_berlin_terminal_is_sent_in_new_yorks_zone() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &planned_in_new_york(&["--json"])).await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = answer["id"].as_str().unwrap();
    // Read back as the emulator keeps it: 10:00 New York is 15:00 UTC, and the start was
    // sent in New York's zone, so Outlook shows it as planned there.
    let event = emu.stored_event(id).unwrap();
    assert_eq!(
        event["originalStartTimeZone"], "America/New_York",
        "{event}"
    );
    assert!(
        event["start"]
            .as_str()
            .unwrap()
            .starts_with("2037-01-08T15:00:00"),
        "{event}"
    );
    assert!(
        event["end"]
            .as_str()
            .unwrap()
            .starts_with("2037-01-08T15:30:00"),
        "{event}"
    );

    // The summary gives the times in both zones.
    let out = tmeet(home.path(), &ep, &planned_in_new_york(&[])).await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(
        s.contains("Zones:      10:00–10:30 New York · 16:00–16:30 Berlin"),
        "{s}"
    );

    // A series repeats in the zone it was planned in.
    let out = tmeet(
        home.path(),
        &ep,
        &planned_in_new_york(&["--repeat", "weekly for 4", "--json"]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        answer["recurrence"]["range"]["recurrenceTimeZone"], "America/New_York",
        "{answer}"
    );
    let event = emu.stored_event(answer["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        event["originalStartTimeZone"], "America/New_York",
        "{event}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn update_with_a_zone_reads_the_new_times_there_and_sends_the_event_in_it() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Sync",
            "--start",
            "2037-01-08 09:00",
            "--duration",
            "30m",
            "--attendee",
            NESTOR,
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let reference = rows[0]["ref"].to_string();
    let event_id = rows[0]["eventId"].as_str().unwrap().to_string();
    assert_eq!(
        emu.stored_event(&event_id).unwrap()["originalStartTimeZone"],
        "Europe/Berlin"
    );
    // Friday 09:00 in Tokyo is Friday 01:00 in Berlin, Thursday 00:00 UTC.
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            &reference,
            "--zone",
            "JST",
            "--start",
            "2037-01-09 09:00",
            "--duration",
            "1h",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(
        s.contains("Zones:      09:00–10:00 Tokyo · 01:00–02:00 Berlin"),
        "{s}"
    );
    let event = emu.stored_event(&event_id).unwrap();
    assert_eq!(event["originalStartTimeZone"], "Asia/Tokyo", "{event}");
    assert!(
        event["start"]
            .as_str()
            .unwrap()
            .starts_with("2037-01-09T00:00:00"),
        "{event}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_and_update_refuse_a_bad_zone_in_one_line_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &["Calendars.ReadWrite"]).await;
    let before = emu.graph_request_count();
    let events = emu.event_count();
    let mut args = planned_in_new_york(&[]);
    args[5] = "IST";
    let out = tmeet(home.path(), &ep, &args).await;
    let err = refused_in_one_line(&out, &emu, before);
    assert!(
        err.contains("--zone") && err.contains("ambiguous") && err.contains("Asia/Kolkata"),
        "{err}"
    );
    args[5] = "Nwe York";
    let out = tmeet(home.path(), &ep, &args).await;
    let err = refused_in_one_line(&out, &emu, before);
    assert!(err.contains("New_York"), "the nearest name: {err}");
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--zone",
            "Narnia/Cair_Paravel",
            "--start",
            "2037-01-09 09:00",
            "--duration",
            "1h",
        ],
    )
    .await;
    refused_in_one_line(&out, &emu, before);
    assert_eq!(emu.event_count(), events, "nothing created");
    emu.shutdown().await;
}

/// `--demo`'s organization works in the zone tmeet shows times in: `TZ`'s, whatever the
/// machine's zone is (here Auckland, which no test machine is set to), so my working hours
/// and the colleagues' are not hours off from the terminal's clock.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_organization_keeps_the_terminals_tz() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = common::command(
        home.path(),
        &["--demo", "free", "--json", "--date", "2037-01-08"],
    );
    cmd.env("TZ", "Pacific/Auckland");
    let out = common::run(cmd).await;
    assert!(out.status.success(), "{out:?}");
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = &j["schedules"][0]["workingHours"];
    assert_eq!(mine["ianaTimeZone"], "Pacific/Auckland", "{j}");
    assert_eq!(mine["startTime"], "08:00", "{j}");
}

/// A standalone meeting has no zone of its own, but its times are read in `--zone` and the
/// summary gives both clocks.
#[tokio::test(flavor = "multi_thread")]
async fn a_standalone_meeting_reads_its_times_in_the_zone_given() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), "", &[]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "-s",
            "Tokyo call",
            "--zone",
            "Tokyo",
            "--start",
            "2037-01-08 09:00",
            "--duration",
            "30m",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(
        s.contains("Zones:      09:00–09:30 Tokyo · 01:00–01:30 Berlin"),
        "{s}"
    );
    let stored = emu.stored_meetings();
    let start = stored[0]["startDateTime"].as_str().unwrap();
    assert!(start.starts_with("2037-01-08T00:00:00"), "{stored:?}");
    emu.shutdown().await;
}
