//! One meeting of a series, every meeting from a date on, or the whole series, through
//! `tmeet update` and `tmeet cancel` against the emulator: one notice per attendee for a
//! meeting changed or cancelled alone, the rest of the series intact, "this and
//! following" as the series ended and a new one begun, and dates or scopes that cannot be
//! meant refused before anything is sent. The binary runs in Europe/Berlin (tests/common).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{signed_in, text, tmeet};

use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::sync::Arc;
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::StaticToken;
use tmeet::secret::Secret;
use tmeet_emulator::Emulator;

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

/// A weekly stand-up on Mondays from 2 March 2037, 09:30–09:45 Berlin, six meetings;
/// stdout is the series master as JSON.
async fn stand_up(home: &std::path::Path, ep: &[String]) -> Value {
    let out = tmeet(
        home,
        ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Stand-up",
            "--start",
            "2037-03-02 09:30",
            "--duration",
            "15m",
            "--attendee",
            MEGAN,
            "--attendee",
            ALEX,
            "--repeat",
            "weekly for 6",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn reader(emu: &Emulator) -> GraphClient {
    let (access, _) = emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/Calendars.ReadWrite",
        std::time::Duration::from_secs(3600),
    );
    GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        Arc::new(StaticToken::new(Secret::new(access.expose()), false)),
    )
}

/// `(start UTC, subject)` of each meeting of the series in March and April 2037.
async fn meetings(c: &GraphClient, master: &str) -> Vec<(String, String)> {
    let from = Utc.with_ymd_and_hms(2037, 3, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2037, 5, 1, 0, 0, 0).unwrap();
    let page = c
        .event_instances(&Target::Me, master, from, to)
        .await
        .unwrap();
    let mut out: Vec<(String, String)> = page
        .items
        .iter()
        .map(|i| {
            let start = tmeet::calendar::zone::read_date_time(&i["start"]).unwrap();
            (
                start.format("%Y-%m-%d %H:%M").to_string(),
                i["subject"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn starts(list: &[(String, String)]) -> Vec<&str> {
    list.iter().map(|(s, _)| s.as_str()).collect()
}

/// `(recipient, kind)` of the mail sent after the first `skip`, recipients lowercased.
fn mail_after(emu: &Emulator, skip: usize) -> Vec<(String, String)> {
    let mut m: Vec<(String, String)> = emu
        .sent_mail()
        .into_iter()
        .skip(skip)
        .map(|m| (m.recipient.to_lowercase(), m.kind))
        .collect();
    m.sort();
    m
}

fn each(kind: &str) -> Vec<(String, String)> {
    vec![
        (ALEX.to_lowercase(), kind.to_string()),
        (MEGAN.to_lowercase(), kind.to_string()),
    ]
}

fn show_json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_meeting_cancelled_sends_one_notice_each_and_the_series_stays() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let c = reader(&emu);
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "cancel",
            "1",
            "--occurrence",
            "2037-03-16",
            "--yes",
            "--message",
            "Offsite",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stdout).contains("Cancelled the meeting of Mon 16 Mar 2037"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(mail_after(&emu, sent), each("cancellation"));
    let comment = emu.sent_mail().last().unwrap().comment.clone();
    assert_eq!(comment.as_deref(), Some("Offsite"));
    assert_eq!(
        starts(&meetings(&c, id).await),
        [
            "2037-03-02 08:30",
            "2037-03-09 08:30",
            "2037-03-23 08:30",
            "2037-03-30 07:30",
            "2037-04-06 07:30",
        ],
        "only the 16th is gone"
    );
    // The history keeps the series, with what became of the one meeting.
    let row = show_json(&tmeet(home.path(), &ep, &["show", "1", "--json"]).await);
    assert_eq!(
        row["entry"]["series"]["changes"],
        serde_json::json!([{"date": "2037-03-16", "what": "cancelled"}]),
        "{row}"
    );
    assert_ne!(row["entry"]["state"], "deleted", "{row}");
    // Listed once, with its rule; `show` names the next meetings and what changed.
    let list = tmeet(home.path(), &ep, &["list"]).await;
    let list = text(&list.stdout);
    assert_eq!(
        list.matches("Stand-up · weekly on mon for 6").count(),
        1,
        "{list}"
    );
    let show = tmeet(home.path(), &ep, &["show", "1"]).await;
    let show = text(&show.stdout);
    assert!(
        show.contains(
            "Next:       Mon 2 Mar 2037 09:30 CET · Mon 9 Mar 2037 09:30 CET · Mon 23 Mar"
        ),
        "{show}"
    );
    assert!(
        show.contains("Changed:    Mon 16 Mar 2037: cancelled"),
        "{show}"
    );
    // Cancelling it again finds nothing there, and sends nothing.
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &["cancel", "1", "--occurrence", "2037-03-16", "--yes"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("no meeting on Mon 16 Mar 2037"));
    assert_eq!(emu.sent_mail().len(), sent);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_meeting_moved_becomes_an_exception_and_no_other_moves() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let c = reader(&emu);
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--occurrence",
            "2037-03-09",
            "--start",
            "2037-03-10 11:00",
            "--duration",
            "30m",
            "--show-as",
            "tentative",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stdout).contains("The meeting of Mon 9 Mar 2037 updated"),
        "{}",
        text(&out.stdout)
    );
    // The service keeps what was set on the one meeting: nothing is said to differ.
    assert!(
        text(&out.stdout).contains("Show as:    tentative"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        !text(&out.stdout).contains("asked"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(mail_after(&emu, sent), each("update"), "one notice each");
    assert_eq!(
        starts(&meetings(&c, id).await),
        [
            "2037-03-02 08:30",
            "2037-03-10 10:00",
            "2037-03-16 08:30",
            "2037-03-23 08:30",
            "2037-03-30 07:30",
            "2037-04-06 07:30",
        ]
    );
    let row = show_json(&tmeet(home.path(), &ep, &["show", "1", "--json"]).await);
    assert_eq!(
        row["entry"]["series"]["changes"][0]["what"], "moved to Tue 10 Mar 11:00",
        "{row}"
    );
    // Moving it onto the next meeting's day is the service's to refuse, and it does.
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--occurrence",
            "2037-03-23",
            "--start",
            "2037-03-30 12:00",
            "--duration",
            "15m",
        ],
    )
    .await;
    assert!(!out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains("ErrorOccurrenceCrossingBoundary"),
        "{}",
        text(&out.stderr)
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn this_and_following_ends_the_series_and_starts_a_new_one_with_its_own_link() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let old_link = master["onlineMeeting"]["joinUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let c = reader(&emu);
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--from",
            "2037-03-16",
            "--subject",
            "Team sync",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["endsOn"], "2037-03-15", "{done}");
    assert_eq!(done["newRef"], 2, "{done}");
    let new_id = done["newSeries"]["id"].as_str().unwrap();
    let new_link = done["newSeries"]["onlineMeeting"]["joinUrl"]
        .as_str()
        .unwrap();
    assert_ne!(new_link, old_link, "the new series has its own Teams link");
    // The past meetings stay; the rest are the new series, four of the six.
    let old = meetings(&c, id).await;
    assert_eq!(starts(&old), ["2037-03-02 08:30", "2037-03-09 08:30"]);
    let new = meetings(&c, new_id).await;
    assert_eq!(
        new.iter()
            .map(|(s, t)| (s.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
        [
            ("2037-03-16 08:30", "Team sync"),
            ("2037-03-23 08:30", "Team sync"),
            ("2037-03-30 07:30", "Team sync"),
            ("2037-04-06 07:30", "Team sync"),
        ]
    );
    // Each attendee hears of the shortened series and is invited to the new one.
    let mut expected = each("invitation");
    expected.extend(each("update"));
    expected.sort();
    assert_eq!(mail_after(&emu, sent), expected);
    let list: Value = show_json(&tmeet(home.path(), &ep, &["list", "--all", "--json"]).await);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{list}");
    let row = show_json(&tmeet(home.path(), &ep, &["show", "1", "--json"]).await);
    assert_eq!(
        row["entry"]["series"]["changes"][0],
        serde_json::json!({"date": "2037-03-16", "what": "ended; from here on ref 2"}),
        "{row}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_from_a_date_ends_the_series_and_keeps_the_meetings_before() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let c = reader(&emu);
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &["cancel", "1", "--from", "2037-03-23", "--yes", "--json"],
    )
    .await;
    let done = show_json(&out);
    assert_eq!(done["endsOn"], "2037-03-22", "{done}");
    assert_eq!(
        starts(&meetings(&c, id).await),
        ["2037-03-02 08:30", "2037-03-09 08:30", "2037-03-16 08:30"]
    );
    assert_eq!(mail_after(&emu, sent), each("update"));
    // From the first day is the whole series: said, and nothing sent.
    let before = emu.graph_request_count();
    let out = tmeet(
        home.path(),
        &ep,
        &["cancel", "1", "--from", "2037-03-02", "--yes"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("use --series"), "{out:?}");
    assert!(
        emu.graph_request_count() - before <= 2,
        "only reads: {}",
        emu.graph_request_count() - before
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_series_moves_with_series_and_one_changed_meeting_hears_of_it_too() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let c = reader(&emu);
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--occurrence",
            "2037-03-09",
            "--subject",
            "Stand-up (demo day)",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &["update", "1", "--series", "--subject", "Daily sync"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).contains("Every meeting of the series updated"));
    // One update for the series and one for the meeting changed on its own (event-update).
    let mail = mail_after(&emu, sent);
    assert_eq!(mail.len(), 4, "{mail:?}");
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--series",
            "--start",
            "2037-03-02 10:00",
            "--duration",
            "15m",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let now = meetings(&c, id).await;
    assert_eq!(now.len(), 6, "{now:?}");
    assert!(
        now.iter()
            .all(|(s, _)| s.ends_with("09:00") || s.ends_with("08:00")),
        "every meeting at 10:00 Berlin: {now:?}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dates_without_a_meeting_and_unsaid_scopes_are_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    stand_up(home.path(), &ep).await;
    let before = emu.graph_request_count();
    let refused = |out: &std::process::Output, words: &str| {
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = text(&out.stderr);
        assert!(err.contains(words), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    };
    // A Tuesday, in a series of Mondays.
    let out = tmeet(
        home.path(),
        &ep,
        &["update", "1", "--occurrence", "2037-03-03", "-s", "x"],
    )
    .await;
    refused(
        &out,
        "has no meeting on Tue 3 Mar 2037 (the next after it is Mon 9 Mar 2037)",
    );
    // After the sixth and last.
    let out = tmeet(
        home.path(),
        &ep,
        &["cancel", "1", "--from", "2037-05-04", "--yes"],
    )
    .await;
    refused(&out, "has no meeting on Mon 4 May 2037");
    let out = tmeet(
        home.path(),
        &ep,
        &["update", "1", "--occurrence", "someday", "-s", "x"],
    )
    .await;
    refused(&out, "--occurrence: 'someday' is not a day");
    // Which meetings, when no terminal can be asked.
    let out = tmeet(home.path(), &ep, &["update", "1", "-s", "x"]).await;
    refused(&out, "say which meetings to change: --occurrence DATE");
    let out = tmeet(home.path(), &ep, &["cancel", "1", "--yes"]).await;
    refused(&out, "say which meetings to cancel");
    assert_eq!(emu.graph_request_count(), before, "nothing was sent");
    // A meeting that happens once has no meetings to choose from.
    let out = tmeet(home.path(), &ep, &["create", "-s", "Once", "--json"]).await;
    assert!(out.status.success(), "{out:?}");
    let out = tmeet(
        home.path(),
        &ep,
        &["update", "2", "--occurrence", "2037-03-02", "-s", "x"],
    )
    .await;
    refused(&out, "ref 2 happens once");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn suggestions_for_a_repeating_meeting_name_the_later_meetings_that_would_clash() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(
        home.path(),
        &["Calendars.ReadWrite", "Calendars.Read.Shared"],
    )
    .await;
    let suggest = |repeat: bool, json: bool| {
        let mut a = vec![
            "suggest",
            "--from",
            "2037-02-23",
            "--days",
            "1",
            "--duration",
            "30m",
        ];
        if repeat {
            a.extend(["--repeat", "weekly"]);
        }
        if json {
            a.push("--json");
        }
        a
    };
    // The first free time on Monday 23 February; a weekly meeting of mine at that hour
    // from the Monday after means a weekly meeting there would meet it every week.
    let first = show_json(&tmeet(home.path(), &ep, &suggest(false, true)).await);
    let at =
        chrono::DateTime::parse_from_rfc3339(first["suggestions"][0]["start"].as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Berlin);
    let week_later = (at + chrono::Duration::days(7))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Weekly",
            "--start",
            &week_later,
            "--duration",
            "30m",
            "--attendee",
            MEGAN,
            "--repeat",
            "weekly for 6",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let found = show_json(&tmeet(home.path(), &ep, &suggest(true, true)).await);
    let items = found["suggestions"].as_array().unwrap();
    let mut clashing = 0;
    for s in items {
        let series = &s["series"];
        assert_eq!(series["checked"], 4, "{s}");
        for m in series["meetings"].as_array().unwrap() {
            let start = chrono::DateTime::parse_from_rfc3339(m["start"].as_str().unwrap()).unwrap();
            let end = chrono::DateTime::parse_from_rfc3339(m["end"].as_str().unwrap()).unwrap();
            let mine = start.date_naive().and_time(at.time());
            let meets = start.naive_local() < mine + chrono::Duration::minutes(30)
                && end.naive_local() > mine;
            let not_free = m["notFree"].as_array().unwrap();
            assert_eq!(!not_free.is_empty(), meets, "{m}");
            clashing += usize::from(meets);
        }
    }
    assert!(
        clashing >= 4,
        "the time of my weekly meeting is among them: {found}"
    );
    // The words say it too, under each time.
    let out = tmeet(home.path(), &ep, &suggest(true, false)).await;
    assert!(out.status.success(), "{out:?}");
    let words = text(&out.stdout);
    assert!(
        words.contains("the next 4 meetings: everyone free"),
        "{words}"
    );
    assert!(
        words.contains(&format!(
            "{} ",
            (at + chrono::Duration::days(7)).format("%a %-d %b")
        )),
        "{words}"
    );
    let bad = tmeet(home.path(), &ep, &["suggest", "--repeat", "every 0 weeks"]).await;
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_shows_a_series_on_the_days_it_meets_and_not_on_a_cancelled_one() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(
        home.path(),
        &["Calendars.ReadWrite", "Calendars.Read.Shared"],
    )
    .await;
    stand_up(home.path(), &ep).await;
    let out = tmeet(
        home.path(),
        &ep,
        &["cancel", "1", "--occurrence", "2037-03-16", "--yes"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    // Megan's quarter hour at 09:30 Berlin (08:30 UTC, the 35th of the day's 15-minute
    // slots) on a Monday of the series, and on the one cancelled.
    let at = |date: &str| {
        let home = home.path().to_path_buf();
        let ep = ep.clone();
        let date = date.to_string();
        async move {
            let out = tmeet(
                &home,
                &ep,
                &[
                    "free",
                    "--attendee",
                    MEGAN,
                    "--date",
                    &date,
                    "--zone",
                    "UTC",
                    "--interval",
                    "15",
                    "--json",
                ],
            )
            .await;
            let j = show_json(&out);
            let row = j["schedules"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| {
                    s["address"]
                        .as_str()
                        .is_some_and(|i| i.eq_ignore_ascii_case(MEGAN))
                })
                .cloned()
                .unwrap_or_else(|| panic!("{j}"));
            row["availabilityView"]
                .as_str()
                .unwrap()
                .chars()
                .nth(34)
                .unwrap()
        }
    };
    assert_ne!(at("2037-03-09").await, '0', "the 9th meets");
    assert_ne!(at("2037-03-23").await, '0', "the 23rd meets");
    assert_eq!(at("2037-03-16").await, '0', "the 16th was cancelled");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_series_refused_gives_the_old_one_its_end_back() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let master = stand_up(home.path(), &ep).await;
    let id = master["id"].as_str().unwrap();
    let c = reader(&emu);
    let before = meetings(&c, id).await;
    let events = emu.event_count();
    emu.push_fault(tmeet_emulator::Fault::EventRefused);
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--from",
            "2037-03-16",
            "--subject",
            "Team sync",
        ],
    )
    .await;
    assert!(!out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("the new series was not made")
            && err.contains("the series was given back its end and is as it was"),
        "{err}"
    );
    assert_eq!(
        meetings(&c, id).await,
        before,
        "all six meetings, as they were"
    );
    assert_eq!(emu.event_count(), events, "no new series");
    let row = show_json(&tmeet(home.path(), &ep, &["show", "1", "--json"]).await);
    assert!(row["entry"]["series"]["changes"].is_null(), "{row}");
    emu.shutdown().await;
}

/// The lobby of the online meeting whose join link is `join`, as the emulator keeps it.
fn lobby_of(emu: &Emulator, join: &str) -> Value {
    emu.stored_meetings()
        .into_iter()
        .find(|m| m["joinWebUrl"] == join)
        .map(|m| m["lobbyBypassSettings"]["scope"].clone())
        .unwrap_or(Value::Null)
}

/// "This and following" carries the meeting options set on the series on to the new one
/// (a new meeting would have the service's), and an option the change sets wins.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_series_from_a_date_keeps_the_meeting_options_the_old_one_had() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Stand-up",
            "--start",
            "2037-03-02 09:30",
            "--duration",
            "15m",
            "--attendee",
            MEGAN,
            "--repeat",
            "weekly for 6",
            "--lobby",
            "everyone",
            "--json",
        ],
    )
    .await;
    let master = show_json(&out);
    let old_join = master["onlineMeeting"]["joinUrl"].as_str().unwrap();
    assert_eq!(lobby_of(&emu, old_join), "everyone");
    let new_series = |args: &'static [&'static str]| {
        let home = home.path().to_path_buf();
        let ep = ep.clone();
        async move {
            let out = tmeet(&home, &ep, args).await;
            assert!(out.status.success(), "{out:?}");
            let stderr = text(&out.stderr);
            assert!(!stderr.contains("options"), "{stderr}");
            let done: Value = serde_json::from_slice(&out.stdout).unwrap();
            done["newSeries"]["onlineMeeting"]["joinUrl"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let second = new_series(&[
        "update",
        "1",
        "--from",
        "2037-03-16",
        "--subject",
        "Team sync",
        "--json",
    ])
    .await;
    assert_eq!(lobby_of(&emu, &second), "everyone", "carried on");
    let third = new_series(&[
        "update",
        "2",
        "--from",
        "2037-03-30",
        "--lobby",
        "organization",
        "--json",
    ])
    .await;
    assert_eq!(lobby_of(&emu, &third), "organization", "the change wins");
    emu.shutdown().await;
}
