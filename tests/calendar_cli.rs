//! Calendar mode through the real binary and the emulator: `create --calendar` puts an
//! event on the calendar and the attendees receive invitations with the join link; a lost
//! answer or a retried script leaves one event; a downgraded event is not reported as a
//! success; the permission is asked for only when needed; `free`, `suggest` and `cancel`.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{signed_in, signed_in_to, text, tmeet};

use serde_json::Value;
use std::path::Path;
use tmeet_emulator::{Emulator, Fault};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

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
        "--attendee",
        "AlexW@contoso.onmicrosoft.com:optional",
    ];
    a.extend_from_slice(extra);
    a
}

fn join_url_of(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Join URL:"))
        .unwrap()
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_lands_on_the_calendar_and_both_attendees_get_the_join_link() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let out = tmeet(
        home.path(),
        &ep,
        &create_args(&[
            "--message",
            "Agenda: numbers",
            "--location",
            "Room 4",
            "--lobby",
            "everyone",
        ]),
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("Invitations sent to 2 people"), "{stdout}");
    assert!(stdout.contains("Calendar:   https://outlook."), "{stdout}");
    assert!(!stdout.contains("not on any calendar"), "{stdout}");
    let join = join_url_of(&stdout);
    assert!(join.starts_with("https://teams.microsoft.com/"), "{join}");
    assert_eq!(emu.event_count() - seeded, 1);
    let mail = emu.sent_mail();
    let invitations: Vec<_> = mail.iter().filter(|m| m.kind == "invitation").collect();
    assert_eq!(invitations.len(), 2, "{mail:?}");
    for m in &invitations {
        assert_eq!(m.join_url.as_deref(), Some(join.as_str()), "{m:?}");
    }
    let mut to: Vec<String> = invitations
        .iter()
        .map(|m| m.recipient.to_lowercase())
        .collect();
    to.sort();
    assert_eq!(to, [ALEX.to_lowercase(), MEGAN.to_lowercase()]);
    // The option reached the meeting behind the event.
    let stored = emu.stored_meetings();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(
        stored[0]["lobbyBypassSettings"]["scope"], "everyone",
        "{stored:?}"
    );
    // The history knows it as a calendar meeting with its event.
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows[0]["kind"], "event", "{rows}");
    assert!(
        rows[0]["eventId"].as_str().is_some_and(|s| !s.is_empty()),
        "{rows}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_sent_again_with_the_same_transaction_id_and_leaves_one_event() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    emu.push_fault(Fault::EventLostAnswer);
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).contains("Invitations sent to 2 people"));
    assert_eq!(
        emu.event_count() - seeded,
        1,
        "one event, although the POST went twice"
    );
    assert_eq!(emu.sent_mail().len(), 2, "and one invitation each");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_external_id_twice_gives_one_event() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let args = create_args(&["--external-id", "ticket-4711", "--json"]);
    let first = tmeet(home.path(), &ep, &args).await;
    let second = tmeet(home.path(), &ep, &args).await;
    assert!(
        first.status.success() && second.status.success(),
        "{second:?}"
    );
    let a: Value = serde_json::from_slice(&first.stdout).unwrap();
    let b: Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(a["id"], b["id"]);
    assert_eq!(a["transactionId"], "ticket-4711");
    assert_eq!(emu.event_count() - seeded, 1);
    assert!(
        text(&first.stderr).contains("\"invitationsSent\":2"),
        "{first:?}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_without_a_teams_link_is_not_a_result_and_says_why() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    emu.push_fault(Fault::EventDowngrade);
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    // 4: the event exists without a link (tests/outcomes.rs has the rest of it).
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("gave it no Teams meeting"), "{err}");
    assert!(
        err.contains("your calendar allows Teams meetings (teamsForBusiness)"),
        "{err}"
    );
    assert!(err.contains("tmeet cancel"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing printed as a result: {out:?}"
    );
    assert_eq!(
        emu.event_count() - seeded,
        1,
        "the event exists all the same"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_calendar_without_teams_says_which_providers_it_allows() {
    let home = tempfile::tempdir().unwrap();
    let emu = Emulator::start(tmeet_emulator::EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        online_meeting_providers: vec!["skypeForBusiness".into()],
        ..tmeet_emulator::EmulatorOptions::default()
    })
    .await
    .unwrap();
    let (emu, ep) = signed_in_to(emu, home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("your calendar allows only skypeForBusiness"),
        "{err}"
    );
    assert!(err.contains("administrator"), "{err}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn times_go_in_the_persons_zone_and_a_refused_iana_name_is_sent_again_the_windows_way() {
    // The tests run with TZ=Europe/Berlin: its IANA name is what goes out first.
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &create_args(&["--json"])).await;
    assert!(out.status.success(), "{out:?}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(event["originalStartTimeZone"], "Europe/Berlin", "{event}");
    assert_eq!(
        event["start"]["timeZone"], "Europe/Berlin",
        "answered in the zone asked for"
    );
    assert!(
        event["start"]["dateTime"]
            .as_str()
            .unwrap()
            .starts_with("2037-12-01T14:00:00"),
        "{event}"
    );
    assert!(
        !text(&out.stderr).contains("does not take the time zone"),
        "{out:?}"
    );
    emu.shutdown().await;

    let home = tempfile::tempdir().unwrap();
    let emu = Emulator::start(tmeet_emulator::EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        iana_zones_in_events: false,
        ..tmeet_emulator::EmulatorOptions::default()
    })
    .await
    .unwrap();
    let (emu, ep) = signed_in_to(emu, home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let out = tmeet(home.path(), &ep, &create_args(&["--json"])).await;
    assert!(out.status.success(), "{out:?}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        event["originalStartTimeZone"], "W. Europe Standard Time",
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
        text(&out.stderr).contains("does not take the time zone Europe/Berlin (TimeZoneNotSupportedException); the times were sent as W. Europe Standard Time"),
        "{out:?}"
    );
    assert_eq!(
        emu.event_count() - seeded,
        1,
        "a refused zone created nothing"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reused_external_id_with_other_details_gives_back_the_first_event_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let first = tmeet(
        home.path(),
        &ep,
        &create_args(&["--external-id", "ticket-9", "--json"]),
    )
    .await;
    assert!(first.status.success(), "{first:?}");
    let mut other = create_args(&["--external-id", "ticket-9", "--json"]);
    other[3] = "Another subject";
    let second = tmeet(home.path(), &ep, &other).await;
    assert!(second.status.success(), "{second:?}");
    let a: Value = serde_json::from_slice(&first.stdout).unwrap();
    let b: Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(a["id"], b["id"], "the event the id made");
    assert_eq!(b["subject"], "Design review");
    assert!(
        text(&second.stderr).contains("already exists with other details"),
        "{second:?}"
    );
    assert!(
        text(&second.stderr).contains("\"existed\":true"),
        "{second:?}"
    );
    assert_eq!(emu.event_count() - seeded, 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_calendar_permission_is_asked_for_only_when_needed_and_then_works() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &[]).await;
    let seeded = emu.event_count();
    // A standalone meeting needs nothing more.
    let plain = tmeet(
        home.path(),
        &ep,
        &["create", "-s", "Plain", "--start", "2037-12-01 10:00"],
    )
    .await;
    assert!(plain.status.success(), "{plain:?}");
    // Without a terminal the command says how to grant it, and sends nothing.
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("tmeet login --scope Calendars.ReadWrite"),
        "{err}"
    );
    assert!(err.contains("send the invitations"), "{err}");
    assert_eq!(emu.event_count() - seeded, 0);
    let grant = tmeet(
        home.path(),
        &ep,
        &["login", "--no-browser", "--scope", "Calendars.ReadWrite"],
    )
    .await;
    assert!(grant.status.success(), "{grant:?}");
    let status = tmeet(home.path(), &ep, &["status"]).await;
    assert!(
        text(&status.stdout).contains("OnlineMeetings.ReadWrite"),
        "the base scope is kept: {status:?}"
    );
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.event_count() - seeded, 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_calendar_input_is_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    for (args, says) in [
        (
            vec![
                "create",
                "--calendar",
                "-s",
                "x",
                "--start",
                "2037-12-01 10:00",
            ],
            "invite someone",
        ),
        (
            vec![
                "create",
                "--calendar",
                "-s",
                "x",
                "--start",
                "2037-12-01 10:00",
                "--attendee",
                "ada@contoso.com:presenter",
            ],
            "roles are for standalone",
        ),
        (
            vec![
                "create",
                "-s",
                "x",
                "--start",
                "2037-12-01 10:00",
                "--attendee",
                "ada@contoso.com:optional",
            ],
            "add --calendar",
        ),
        (
            vec![
                "create",
                "--calendar",
                "--passcode",
                "-s",
                "x",
                "--attendee",
                "ada@contoso.com",
            ],
            "cannot be used with",
        ),
        (vec!["create", "-s", "x", "--message", "hi"], "--calendar"),
    ] {
        let out = tmeet(home.path(), &ep, &args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(emu.event_count() - seeded, 0);
    assert_eq!(emu.meeting_count(), 0);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_shows_a_strip_per_person_and_an_unknown_person_as_unknown() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.Read.Shared"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "free",
            "--attendee",
            MEGAN,
            "--attendee",
            "nobody@contoso.onmicrosoft.com",
            "--date",
            "tomorrow",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    assert!(s.starts_with("Free/busy on "), "{s}");
    let row = |who: &str| {
        s.lines()
            .find(|l| l.starts_with(who))
            .unwrap_or_else(|| panic!("{who}: {s}"))
            .to_string()
    };
    assert!(row("AdeleV@").contains('·'), "the organizer's own row: {s}");
    assert!(row(MEGAN).chars().any(|c| "·░█▓~".contains(c)), "{s}");
    assert!(
        row("nobody@").contains('?') && !row("nobody@").contains('·'),
        "unknown, not free: {s}"
    );
    assert!(
        s.contains("nobody@contoso.onmicrosoft.com: unknown to the service"),
        "{s}"
    );
    let out = tmeet(
        home.path(),
        &ep,
        &["free", "--attendee", MEGAN, "--json", "--interval", "15"],
    )
    .await;
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["intervalMinutes"], 15);
    assert_eq!(j["schedules"].as_array().unwrap().len(), 2);
    assert_eq!(
        j["schedules"][1]["availabilityView"]
            .as_str()
            .unwrap()
            .len(),
        96,
        "{j}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn suggest_lists_times_and_free_and_suggest_ask_for_their_permission() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &[]).await;
    for cmd in [
        vec!["suggest", "--attendee", MEGAN],
        vec!["free", "--attendee", MEGAN],
    ] {
        let out = tmeet(home.path(), &ep, &cmd).await;
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(
            text(&out.stderr).contains("tmeet login --scope Calendars.Read.Shared"),
            "{out:?}"
        );
    }
    let grant = tmeet(
        home.path(),
        &ep,
        &["login", "--no-browser", "--scope", "Calendars.Read.Shared"],
    )
    .await;
    assert!(grant.status.success(), "{grant:?}");
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "suggest",
            "--attendee",
            MEGAN,
            "--duration",
            "45m",
            "--from",
            "tomorrow",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let s = text(&out.stdout);
    let first = s.lines().next().unwrap();
    assert!(first.starts_with(" 1  "), "{s}");
    assert!(first.contains('%'), "{s}");
    let out = tmeet(home.path(), &ep, &["suggest", "--attendee", ALEX, "--json"]).await;
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &j["suggestions"][0];
    let start = chrono::DateTime::parse_from_rfc3339(first["start"].as_str().unwrap()).unwrap();
    let end = chrono::DateTime::parse_from_rfc3339(first["end"].as_str().unwrap()).unwrap();
    assert_eq!((end - start).num_minutes(), 30, "the default length: {j}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_by_history_ref_sends_each_attendee_the_message() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &create_args(&[])).await;
    assert!(out.status.success(), "{out:?}");
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let reference = rows[0]["ref"].to_string();
    let refused = tmeet(home.path(), &ep, &["cancel", &reference]).await;
    assert_eq!(
        refused.status.code(),
        Some(2),
        "no terminal, no --yes: {refused:?}"
    );
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "cancel",
            &reference,
            "--yes",
            "--message",
            "Moved to next week",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let said: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["cancelled"], true, "{said}");
    assert_eq!(said["eventId"], rows[0]["eventId"], "{said}");
    let cancellations: Vec<_> = emu
        .sent_mail()
        .into_iter()
        .filter(|m| m.kind == "cancellation")
        .collect();
    assert_eq!(cancellations.len(), 2, "{cancellations:?}");
    assert!(
        cancellations
            .iter()
            .all(|m| m.comment.as_deref() == Some("Moved to next week"))
    );
    let again = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        rows.as_array().unwrap().is_empty() || rows[0]["state"] == "deleted",
        "{rows}"
    );
    emu.shutdown().await;
}

const LEE: &str = "LeeG@contoso.onmicrosoft.com";

/// A calendar meeting made by `create_args` (Megan required, Alex optional): its history
/// ref and event id.
async fn calendar_meeting(home: &Path, ep: &[String]) -> (String, String) {
    let out = tmeet(home, ep, &create_args(&[])).await;
    assert!(out.status.success(), "{out:?}");
    let list = tmeet(home, ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    (
        rows[0]["ref"].to_string(),
        rows[0]["eventId"].as_str().unwrap().to_string(),
    )
}

fn mail_of(emu: &Emulator, kind: &str, from: usize) -> Vec<String> {
    let mut to: Vec<String> = emu.sent_mail()[from..]
        .iter()
        .filter(|m| m.kind == kind)
        .map(|m| m.recipient.to_lowercase())
        .collect();
    to.sort();
    to
}

#[tokio::test(flavor = "multi_thread")]
async fn update_of_a_calendar_meeting_changes_the_event_and_mails_each_invitee_one_update() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            &reference,
            "--subject",
            "Renamed",
            "--start",
            "2037-12-02 09:00",
            "--duration",
            "30m",
        ],
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("Meeting updated."), "{stdout}");
    assert!(stdout.contains("update to 2 people"), "{stdout}");
    // The event, which is what the invitees hold, changed (Berlin is UTC+1 in December).
    let event = emu.stored_event(&event_id).unwrap();
    assert_eq!(event["subject"], "Renamed", "{event}");
    assert!(
        event["start"]
            .as_str()
            .unwrap()
            .starts_with("2037-12-02T08:00:00"),
        "{event}"
    );
    assert!(
        event["end"]
            .as_str()
            .unwrap()
            .starts_with("2037-12-02T08:30:00"),
        "{event}"
    );
    // One update each, with the new subject; nothing else.
    let mail = &emu.sent_mail()[sent..];
    assert_eq!(mail.len(), 2, "{mail:?}");
    assert!(
        mail.iter()
            .all(|m| m.kind == "update" && m.subject == "Renamed"),
        "{mail:?}"
    );
    assert_eq!(
        mail_of(&emu, "update", sent),
        [ALEX.to_lowercase(), MEGAN.to_lowercase()]
    );
    // `show` reads the event too, says what it says and leaves the history so.
    let show = tmeet(home.path(), &ep, &["show", &reference]).await;
    assert!(show.status.success(), "{show:?}");
    assert!(text(&show.stdout).contains("Renamed"), "{show:?}");
    // The history and a refresh agree with the calendar.
    for args in [
        &["list", "--json"][..],
        &["list", "--refresh", "--json"][..],
    ] {
        let list = tmeet(home.path(), &ep, args).await;
        assert!(list.status.success(), "{list:?}");
        let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
        assert_eq!(rows[0]["subject"], "Renamed", "{args:?}: {rows}");
        assert_eq!(rows[0]["startDateTime"], "2037-12-02T08:00:00Z", "{rows}");
        assert_eq!(rows[0]["endDateTime"], "2037-12-02T08:30:00Z", "{rows}");
        assert_eq!(rows[0]["state"], "active", "{args:?}: {rows}");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn update_of_a_calendar_meetings_invitees_tells_only_the_people_added_and_removed() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            &reference,
            "--attendee",
            MEGAN,
            "--attendee",
            &format!("{LEE}:optional"),
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["id"], event_id.as_str(), "--json prints the event");
    let event = emu.stored_event(&event_id).unwrap();
    assert_eq!(
        event["attendees"],
        serde_json::json!([MEGAN, LEE]),
        "{event}"
    );
    assert_eq!(mail_of(&emu, "update", sent), [LEE.to_lowercase()]);
    assert_eq!(mail_of(&emu, "cancellation", sent), [ALEX.to_lowercase()]);
    assert_eq!(emu.sent_mail().len() - sent, 2, "Megan is not mailed");
    let list = tmeet(home.path(), &ep, &["list", "--refresh", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        rows[0]["attendees"],
        serde_json::json!([
            {"upn": MEGAN, "role": "required"},
            {"upn": LEE, "role": "optional"},
        ]),
        "{rows}"
    );
    assert_eq!(rows[0]["state"], "active", "{rows}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn update_of_a_calendar_meetings_options_goes_to_the_meeting_behind_the_event() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &["update", &reference, "--lobby", "everyone"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let stored = emu.stored_meetings();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["lobbyBypassSettings"]["scope"], "everyone");
    assert_eq!(emu.sent_mail().len(), sent, "an option mails nobody");
    assert_eq!(
        emu.stored_event(&event_id).unwrap()["subject"],
        "Design review"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn update_of_a_calendar_meeting_refuses_what_the_event_cannot_take_before_sending() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let sent = emu.sent_mail().len();
    let requests = emu.graph_request_count();
    for (args, says) in [
        (
            vec!["--attendee", "MeganB@contoso.onmicrosoft.com:presenter"],
            "roles are for standalone meetings",
        ),
        (vec!["--change-name", "on"], "change-name"),
        (vec!["--start", "2037-12-02 09:00"], "--end or --duration"),
    ] {
        let mut all = vec!["update", reference.as_str()];
        all.extend(args.iter().copied());
        let out = tmeet(home.path(), &ep, &all).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(text(&out.stderr).contains(says), "{args:?}: {out:?}");
    }
    assert_eq!(emu.graph_request_count(), requests, "nothing was sent");
    assert_eq!(emu.sent_mail().len(), sent);
    assert_eq!(
        emu.stored_event(&event_id).unwrap()["subject"],
        "Design review"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_of_a_meeting_already_cancelled_sends_nothing_again() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let first = tmeet(home.path(), &ep, &["cancel", &reference, "--yes"]).await;
    assert!(first.status.success(), "{first:?}");
    let cancellations = || {
        emu.sent_mail()
            .iter()
            .filter(|m| m.kind == "cancellation")
            .count()
    };
    assert_eq!(cancellations(), 2);
    // By ref (the history says cancelled) and by event id (the event does).
    for r in [reference.as_str(), event_id.as_str()] {
        let again = tmeet(home.path(), &ep, &["cancel", r, "--yes"]).await;
        assert!(again.status.success(), "{again:?}");
        assert!(
            text(&again.stdout).contains("already cancelled; nothing was sent"),
            "{again:?}"
        );
        assert_eq!(cancellations(), 2, "no second cancellation");
    }
    let json = tmeet(home.path(), &ep, &["cancel", &reference, "--yes", "--json"]).await;
    let said: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(said["alreadyCancelled"], true, "{said}");
    // Nor can a cancelled meeting be changed: its invitees were told it is off.
    let update = tmeet(home.path(), &ep, &["update", &reference, "-s", "Back on"]).await;
    assert_eq!(update.status.code(), Some(1), "{update:?}");
    assert!(text(&update.stderr).contains("cancelled"), "{update:?}");
    assert_eq!(
        emu.sent_mail()
            .iter()
            .filter(|m| m.kind == "update")
            .count(),
        0
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn update_of_a_calendar_meetings_times_falls_back_to_the_windows_zone_as_create_does() {
    let home = tempfile::tempdir().unwrap();
    let emu = Emulator::start(tmeet_emulator::EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        iana_zones_in_events: false,
        ..tmeet_emulator::EmulatorOptions::default()
    })
    .await
    .unwrap();
    let (emu, ep) = signed_in_to(emu, home.path(), &["Calendars.ReadWrite"]).await;
    let (reference, event_id) = calendar_meeting(home.path(), &ep).await;
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            &reference,
            "--start",
            "2037-12-03 15:00",
            "--end",
            "16:00",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains(
            "does not take the time zone Europe/Berlin (TimeZoneNotSupportedException); the times were sent as W. Europe Standard Time"
        ),
        "{out:?}"
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["originalStartTimeZone"], "W. Europe Standard Time");
    let event = emu.stored_event(&event_id).unwrap();
    assert!(
        event["start"]
            .as_str()
            .unwrap()
            .starts_with("2037-12-03T14:00:00"),
        "{event}"
    );
    assert_eq!(
        mail_of(&emu, "update", sent),
        [ALEX.to_lowercase(), MEGAN.to_lowercase()],
        "the refused zone mailed nobody; the change went out once"
    );
    emu.shutdown().await;
}
