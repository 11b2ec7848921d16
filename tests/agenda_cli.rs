//! The agenda through the real binary and the emulator: the cache kept by calendarView
//! delta (a removal leaves it; a refused delta link starts over), answering invitations
//! (and the service's refusals), who is coming to my meeting, attendance of a meeting that
//! ended, and `next --format`.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text, with_endpoints};

use serde_json::Value;
use std::path::Path;

const SCOPES: &[&str] = &["Calendars.ReadWrite", "OnlineMeetingArtifact.Read.All"];
const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

async fn tmeet(home: &Path, endpoints: &[String], args: &[&str]) -> std::process::Output {
    run(common::command(home, &with_endpoints(endpoints, args))).await
}

async fn agenda(home: &Path, endpoints: &[String], extra: &[&str]) -> Value {
    let mut args = vec!["agenda", "--days", "7", "--json"];
    args.extend_from_slice(extra);
    let out = tmeet(home, endpoints, &args).await;
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn events(a: &Value) -> Vec<Value> {
    a["events"].as_array().unwrap().clone()
}

async fn post(emu: &tmeet_emulator::Emulator, path: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", emu.login_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

/// A meeting of mine tomorrow with two colleagues; its history ref is 1.
async fn my_meeting(home: &Path, endpoints: &[String], subject: &str) {
    let start = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d 15:00")
        .to_string();
    let out = tmeet(
        home,
        endpoints,
        &[
            "create",
            "--calendar",
            "-s",
            subject,
            "--start",
            &start,
            "--duration",
            "30m",
            "--attendee",
            MEGAN,
            "--attendee",
            ALEX,
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_colleagues_invitation_is_accepted_and_my_meeting_shows_who_is_coming() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), SCOPES).await;
    my_meeting(home.path(), &ep, "Roadmap").await;
    let a = agenda(home.path(), &ep, &[]).await;
    let theirs = events(&a)
        .into_iter()
        .find(|e| e["isOrganizer"] == false && e["teams"] == true)
        .expect("a colleague's Teams invitation");
    assert_eq!(theirs["response"], "none");
    let r = theirs["ref"].as_str().unwrap().to_string();
    let out = tmeet(home.path(), &ep, &["accept", &r, "--comment", "See you"]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).starts_with("Accepted \""), "{out:?}");
    // The agenda shows the new answer at once, from the cache.
    let a = agenda(home.path(), &ep, &[]).await;
    let now = events(&a)
        .into_iter()
        .find(|e| e["ref"] == r.as_str())
        .unwrap();
    assert_eq!(now["response"], "accepted");

    // Megan accepts mine, Alex proposes another time.
    post(
        &emu,
        "_emulator/events/respond",
        serde_json::json!({"subject": "Roadmap", "attendee": MEGAN, "response": "accepted"}),
    )
    .await;
    post(&emu, "_emulator/events/respond", serde_json::json!({"subject": "Roadmap", "attendee": ALEX, "response": "tentativelyAccepted",
        "proposedStart": "2037-01-05T10:00:00Z", "proposedEnd": "2037-01-05T10:30:00Z"})).await;
    // The cache is less than a minute old: --refresh asks the service again.
    let out = tmeet(home.path(), &ep, &["agenda", "--days", "3", "--refresh"]).await;
    let shown = text(&out.stdout);
    assert!(
        shown.contains("Roadmap · 1/2 accepted, 1 tentative"),
        "{shown}"
    );
    let a = agenda(home.path(), &ep, &[]).await;
    let mine = events(&a)
        .into_iter()
        .find(|e| e["subject"] == "Roadmap")
        .unwrap();
    let answers = mine["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 2);
    let alex = answers.iter().find(|x| x["address"] == ALEX).unwrap();
    assert_eq!(alex["response"], "tentative");
    assert!(
        alex["proposedNewTime"]["start"]
            .as_str()
            .unwrap()
            .starts_with("2037-01-05")
    );
    // `list` and its JSON say who answered, from the same cache.
    let out = tmeet(home.path(), &ep, &["list"]).await;
    let listed = text(&out.stdout);
    assert!(
        listed.contains("Roadmap · 1/2 accepted, 1 tentative"),
        "{listed}"
    );
    let out = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows[0]["answers"],
        serde_json::json!({"accepted": 1, "tentative": 1, "declined": 0, "none": 0}),
        "{rows}"
    );
    // `show` of the history's row carries the same answers, offline, from the cache.
    let out = tmeet(home.path(), &ep, &["show", "1", "--json", "--offline"]).await;
    assert!(out.status.success(), "{out:?}");
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["answers"], mine["answers"], "{shown}");
    let out = tmeet(home.path(), &ep, &["show", "1", "--offline"]).await;
    assert!(
        text(&out.stdout).contains("Answers:    1/2 accepted, 1 tentative"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_the_service_would_refuse_are_one_line_each() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, ep) = common::signed_in(home.path(), SCOPES).await;
    my_meeting(home.path(), &ep, "Mine").await;
    let a = agenda(home.path(), &ep, &[]).await;
    let mine = events(&a)
        .into_iter()
        .find(|e| e["subject"] == "Mine")
        .unwrap();
    let out = tmeet(home.path(), &ep, &["accept", mine["ref"].as_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("you organized this meeting"), "{err}");
    // An invitation whose organizer forbids proposals (the emulator seeds every second one so).
    let forbids = events(&a)
        .into_iter()
        .find(|e| e["isOrganizer"] == false && e["allowNewTimeProposals"] == false)
        .unwrap();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "tentative",
            forbids["ref"].as_str().unwrap(),
            "--propose",
            "tomorrow 10:00",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("does not allow new time proposals"));
    let out = tmeet(home.path(), &ep, &["accept", "a9999"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_refuses_an_answer_the_cache_did_not_foresee() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, ep) = common::signed_in(home.path(), SCOPES).await;
    let a = agenda(home.path(), &ep, &[]).await;
    let theirs = events(&a)
        .into_iter()
        .find(|e| e["isOrganizer"] == false && e["allowNewTimeProposals"] == true)
        .unwrap();
    let r = theirs["ref"].as_str().unwrap();
    // Decline (the service removes my copy), then answer again from a stale agenda ref:
    // the cache no longer has it, so nothing is sent.
    let out = tmeet(home.path(), &ep, &["decline", r, "--yes"]).await;
    assert!(out.status.success(), "{out:?}");
    let out = tmeet(home.path(), &ep, &["accept", r]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // By its event id the service itself answers: not found in the store.
    let id = theirs["id"].as_str().unwrap();
    let out = tmeet(home.path(), &ep, &["accept", id]).await;
    assert_ne!(out.status.code(), Some(0), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delta_removes_a_cancelled_meeting_and_a_refused_delta_link_starts_over() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), SCOPES).await;
    my_meeting(home.path(), &ep, "Doomed").await;
    let a = agenda(home.path(), &ep, &[]).await;
    let before = events(&a).len();
    assert!(events(&a).iter().any(|e| e["subject"] == "Doomed"));
    let requests = emu.graph_request_count();
    let _ = agenda(home.path(), &ep, &[]).await;
    // Fresh within a minute: from the cache, no request.
    assert_eq!(emu.graph_request_count(), requests);
    let out = tmeet(home.path(), &ep, &["cancel", "1", "--yes"]).await;
    assert!(out.status.success(), "{out:?}");
    let requests = emu.graph_request_count();
    let a = agenda(home.path(), &ep, &["--refresh"]).await;
    assert!(emu.graph_request_count() > requests);
    assert_eq!(events(&a).len(), before - 1);
    assert!(!events(&a).iter().any(|e| e["subject"] == "Doomed"));
    // The service forgets its delta tokens: the next round reads the window again, silently.
    post(&emu, "_emulator/delta/forget", Value::Null).await;
    let out = tmeet(home.path(), &ep, &["next", "--max-age", "0"]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stderr).is_empty(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn attendance_of_a_meeting_that_ended() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), SCOPES).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "-s",
            "Retro",
            "--start",
            "+1h",
            "--duration",
            "30m",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let made: Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = tmeet(home.path(), &ep, &["attendance", "1"]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stdout).starts_with("No attendance yet"),
        "{out:?}"
    );
    let id = made["id"].as_str().unwrap();
    post(&emu, &format!("_emulator/meetings/{id}/end"), Value::Null).await;
    let out = tmeet(home.path(), &ep, &["attendance", "1", "--json"]).await;
    assert!(out.status.success(), "{out:?}");
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &a["sessions"][0];
    assert_eq!(s["attendees"][0]["role"], "Organizer");
    let out = tmeet(home.path(), &ep, &["attendance", "1", "--csv"]).await;
    assert!(text(&out.stdout).starts_with("session,name,email,role,join,leave,seconds\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn next_format_fields_and_bad_input() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, ep) = common::signed_in(home.path(), SCOPES).await;
    let out = tmeet(home.path(), &ep, &["next", "--format", "{start} {room}"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1);
    assert!(
        err.contains("unknown field 'room'")
            && err.contains("start, end, in, subject, organizer, link, response"),
        "{err}"
    );
    let out = tmeet(home.path(), &ep, &["next", "--format", "{subject}|{link}"]).await;
    assert!(out.status.success(), "{out:?}");
    let line = text(&out.stdout);
    if !line.is_empty() {
        assert!(line.contains("|https://teams.microsoft.com/"), "{line}");
    }
    for bad in [["agenda", "--days", "0"], ["agenda", "--days", "367"]] {
        let out = tmeet(home.path(), &ep, &bad).await;
        assert_eq!(out.status.code(), Some(2), "{out:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_round_with_no_changes_is_one_request_and_a_fresh_cache_none() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), SCOPES).await;
    my_meeting(home.path(), &ep, "Planning").await;
    let first = tmeet(home.path(), &ep, &["next", "--max-age", "0", "--json"]).await;
    assert!(first.status.success(), "{first:?}");
    assert!(!first.stdout.is_empty(), "{first:?}");
    // Nothing changed since: the delta round is its one request.
    let requests = emu.graph_request_count();
    let again = tmeet(home.path(), &ep, &["next", "--max-age", "0", "--json"]).await;
    assert_eq!(emu.graph_request_count(), requests + 1);
    assert_eq!(again.stdout, first.stdout);
    // Fresh: the same answer from the cache alone, with its agenda ref.
    let requests = emu.graph_request_count();
    let cached = tmeet(home.path(), &ep, &["next", "--json"]).await;
    assert!(cached.status.success(), "{cached:?}");
    assert_eq!(emu.graph_request_count(), requests);
    assert_eq!(cached.stdout, first.stdout);
    let v: Value = serde_json::from_slice(&cached.stdout).unwrap();
    assert!(v["ref"].as_str().unwrap().starts_with('a'), "{v}");
    // Signed out: the cache of the person who was signed in answers no more.
    let out = tmeet(home.path(), &ep, &["logout"]).await;
    assert!(out.status.success(), "{out:?}");
    let out = tmeet(home.path(), &ep, &["next"]).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn join_opens_the_link_in_browser_and_prints_it() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, ep) = common::signed_in(home.path(), SCOPES).await;
    my_meeting(home.path(), &ep, "Design review").await;
    let (browser, seen) = common::recording_browser(home.path());
    let join = |reference: &'static str| {
        let mut cmd = common::command(home.path(), &with_endpoints(&ep, &["join", reference]));
        cmd.env("BROWSER", &browser);
        run(cmd)
    };
    let out = join("1").await;
    assert!(out.status.success(), "{out:?}");
    let link = text(&out.stdout).trim().to_string();
    assert!(link.starts_with("https://teams.microsoft.com/"), "{link}");
    assert_eq!(common::opened(&seen), format!("{link}\n"));
    std::fs::remove_file(&seen).unwrap();

    // `next`: the link `next` itself names.
    let out = tmeet(home.path(), &ep, &["next", "--format", "{link}"]).await;
    let next = text(&out.stdout).trim().to_string();
    assert!(next.starts_with("https://"), "{out:?}");
    let out = join("next").await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(text(&out.stdout).trim(), next);
    assert_eq!(common::opened(&seen), format!("{next}\n"));

    let out = join("a9999").await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("no meeting 'a9999'"), "{out:?}");
}

/// The seeded colleague's series ("Team sync", Lee Gu, Tuesdays and Thursdays) in an agenda
/// of two weeks: its occurrences, earliest first.
fn team_sync(a: &Value) -> Vec<Value> {
    events(a)
        .into_iter()
        .filter(|e| e["subject"] == "Team sync")
        .collect()
}

fn answer_of(list: &[Value], r: &Value) -> (String, String) {
    let e = list.iter().find(|e| e["ref"] == *r).unwrap();
    (
        e["response"].as_str().unwrap().to_string(),
        e["type"].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_colleagues_series_shows_each_occurrence_and_is_answered_for_one_date_or_all() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = common::signed_in(home.path(), SCOPES).await;
    let two_weeks = ["agenda", "--days", "14", "--json"];
    let read = async || -> Value {
        let out = tmeet(home.path(), &ep, &two_weeks).await;
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let sync = team_sync(&read().await);
    // Two weeks hold two Tuesdays and two Thursdays, and the series runs past both ends.
    assert_eq!(sync.len(), 4, "{sync:?}");
    let master = sync[0]["seriesMasterId"].as_str().unwrap().to_string();
    let mut refs: Vec<&str> = sync.iter().map(|e| e["ref"].as_str().unwrap()).collect();
    refs.dedup();
    assert_eq!(refs.len(), 4, "a ref of its own each");
    for e in &sync {
        assert_eq!(e["type"], "occurrence", "{e}");
        assert_eq!(e["seriesMasterId"], master.as_str());
        assert_eq!(e["response"], "none");
        assert_eq!(e["teams"], true);
        assert_eq!(e["joinUrl"], sync[0]["joinUrl"]);
        let day = chrono::DateTime::parse_from_rfc3339(e["start"].as_str().unwrap()).unwrap();
        assert!(
            matches!(day.format("%a").to_string().as_str(), "Tue" | "Thu"),
            "{e}"
        );
    }
    // The text agenda shows each under its own day.
    let out = tmeet(home.path(), &ep, &["agenda", "--days", "14"]).await;
    let shown = text(&out.stdout);
    let mut day = "";
    let mut days = Vec::new();
    for line in shown.lines() {
        if !line.starts_with([' ', '▶']) {
            day = line;
        } else if line.contains("Team sync") {
            days.push(day.to_string());
        }
    }
    assert_eq!(days.len(), 4, "{shown}");
    assert!(
        days.iter()
            .all(|d| d.starts_with("Tuesday ") || d.starts_with("Thursday ")),
        "{shown}"
    );
    days.dedup();
    assert_eq!(days.len(), 4, "one a day: {shown}");

    // One date: that occurrence only.
    let one = &sync[1]["ref"];
    let out = tmeet(
        home.path(),
        &ep,
        &["tentative", one.as_str().unwrap(), "--occurrence"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        text(&out.stdout).trim(),
        "Tentatively accepted \"Team sync\"."
    );
    // The delta after the answer is one round of one request.
    let requests = emu.graph_request_count();
    let out = tmeet(home.path(), &ep, &["next", "--max-age", "0"]).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.graph_request_count(), requests + 1);
    let now = team_sync(&read().await);
    assert_eq!(
        emu.graph_request_count(),
        requests + 1,
        "the cache is fresh"
    );
    assert_eq!(
        answer_of(&now, one),
        ("tentative".into(), "exception".into()),
        "the service's copy, from the delta"
    );
    for e in now.iter().filter(|e| e["ref"] != *one) {
        assert_eq!(e["response"], "none", "{e}");
        assert_eq!(e["type"], "occurrence", "{e}");
    }

    // The series, through another of its dates: the master is answered.
    let other = &sync[0]["ref"];
    let out = tmeet(
        home.path(),
        &ep,
        &["accept", other.as_str().unwrap(), "--series", "--json"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let said: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["series"], true);
    let log = reqwest::get(format!("{}_emulator/responses", emu.login_url()))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let last = log["responses"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["eventId"], master.as_str(), "{last}");
    assert_eq!(last["responseType"], "accepted");
    // At once, from the cache: every occurrence but the exception.
    let expect = |list: &[Value]| {
        for e in list {
            let want = if e["ref"] == *one {
                "tentative"
            } else {
                "accepted"
            };
            assert_eq!(e["response"], want, "{e}");
        }
    };
    let cached = team_sync(&read().await);
    expect(&cached);
    // And as the service tells it, in one round.
    let requests = emu.graph_request_count();
    let out = tmeet(home.path(), &ep, &["next", "--max-age", "0"]).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.graph_request_count(), requests + 1);
    let now = team_sync(&read().await);
    expect(&now);
    assert_eq!(
        answer_of(&now, one),
        ("tentative".into(), "exception".into())
    );
    assert_eq!(now.len(), 4);
}
