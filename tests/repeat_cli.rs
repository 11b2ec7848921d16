//! `create --calendar --repeat` through the real binary and the emulator: a weekly series
//! with two invitees (one invitation each for the whole series), what the person is shown
//! of it (the rule, the next meetings with the DST change, a moved start), bad rules and a
//! standalone repeat refused before anything is sent, and a lost answer that still leaves
//! one series. The binary runs in Europe/Berlin (tests/common).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{signed_in, text, tmeet};

use serde_json::Value;
use tmeet_emulator::Fault;

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

/// A weekly stand-up from Monday 2 March 2037 (CET; Berlin moves to CEST on the 29th).
fn series_args<'a>(repeat: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
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
        repeat,
    ];
    a.extend_from_slice(extra);
    a
}

/// The last line of stderr as JSON: what `--json` adds for tmeet's own facts.
fn facts(stderr: &[u8]) -> Value {
    let err = text(stderr);
    let line = err.lines().rev().find(|l| l.starts_with('{')).unwrap();
    serde_json::from_str(line).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_weekly_series_sends_one_invitation_to_each_invitee_and_shows_what_follows() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    let out = tmeet(
        home.path(),
        &ep,
        &series_args("weekly until 2037-06-29", &["--json"]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    // stdout is the service's event: the series master, sent as Graph spells it.
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(event["type"], "seriesMaster", "{event}");
    let recurrence = &event["recurrence"];
    assert_eq!(recurrence["pattern"]["type"], "weekly");
    assert_eq!(
        recurrence["pattern"]["daysOfWeek"],
        serde_json::json!(["monday"])
    );
    assert_eq!(recurrence["range"]["type"], "endDate");
    assert_eq!(recurrence["range"]["startDate"], "2037-03-02");
    assert_eq!(recurrence["range"]["endDate"], "2037-06-29");
    assert_eq!(recurrence["range"]["recurrenceTimeZone"], "Europe/Berlin");
    // tmeet's facts on stderr: the rule in words and the next meetings, their local times
    // keeping 09:30 across the change to summer time.
    let series = &facts(&out.stderr)["series"];
    assert_eq!(series["rule"], "weekly on mon until 2037-06-29", "{series}");
    assert_eq!(series["timeZone"], "Europe/Berlin");
    let next: Vec<&str> = series["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        next,
        [
            "2037-03-02T09:30:00+01:00",
            "2037-03-09T09:30:00+01:00",
            "2037-03-16T09:30:00+01:00",
            "2037-03-23T09:30:00+01:00",
            "2037-03-30T09:30:00+02:00",
        ]
    );
    assert_eq!(emu.event_count() - seeded, 1, "one event: the series");
    let mail = emu.sent_mail();
    let mut to: Vec<String> = mail
        .iter()
        .filter(|m| m.kind == "invitation")
        .map(|m| m.recipient.to_lowercase())
        .collect();
    to.sort();
    assert_eq!(
        to,
        [ALEX.to_lowercase(), MEGAN.to_lowercase()],
        "one invitation each, for the whole series: {mail:?}"
    );
    assert_eq!(mail.len(), 2, "{mail:?}");
    // The history knows it as a series.
    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        rows[0]["series"]["rule"], "weekly on mon until 2037-06-29",
        "{rows}"
    );
    assert_eq!(
        rows[0]["series"]["recurrence"]["pattern"]["type"], "weekly",
        "{rows}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_summary_names_the_rule_the_next_meetings_and_a_start_that_moved() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    // Monday 2 March is neither a Tuesday nor a Thursday: the series starts on the 3rd.
    let out = tmeet(
        home.path(),
        &ep,
        &series_args("every 2 weeks on tue, thu", &[]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Start:      Tue 3 Mar 2037 09:30 CET"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Repeats:    every 2 weeks on tue, thu (Europe/Berlin)"),
        "{stdout}"
    );
    let next = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Next:"))
        .unwrap()
        .trim();
    assert!(
        next.starts_with(
            "Tue 3 Mar 2037 09:30 CET · Thu 5 Mar · Tue 17 Mar · Thu 19 Mar · \
             Tue 31 Mar 09:30 CEST"
        ),
        "the change to summer time shows: {next}"
    );
    assert!(
        stdout.contains(
            "Note:       the first meeting is Tue 3 Mar 2037: Mon 2 Mar (the start given) \
             is not one of its dates"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Invitations sent to 2 people"), "{stdout}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_rules_and_a_standalone_repeat_are_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let events = emu.event_count();
    let requests = emu.graph_request_count();
    let refused = [
        ("every 0 weeks", "every 1 week or more"),
        ("monthly on the 32nd", "the 1st to the 31st"),
        ("weekly until 2037-01-01", "is before the start"),
        ("weekly for 0", "for 1 or more"),
        ("weekly for 1000", "for 999 or fewer"),
        ("every 100 weeks", "99 at most"),
        ("fortnightly", "try daily, weekdays, weekly"),
    ];
    for (rule, says) in refused {
        let out = tmeet(home.path(), &ep, &series_args(rule, &[])).await;
        assert_eq!(out.status.code(), Some(2), "{rule}: {out:?}");
        let err = text(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{rule}: one line: {err}");
        assert!(
            err.contains("--repeat: ") && err.contains(says),
            "{rule}: {err}"
        );
    }
    // A standalone meeting cannot repeat: the reason and the way, and nothing sent.
    let out = tmeet(
        home.path(),
        &ep,
        &["create", "-s", "Alone", "--repeat", "weekly"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("an online meeting alone cannot repeat") && err.contains("--calendar"),
        "{err}"
    );
    assert_eq!(emu.event_count(), events);
    assert_eq!(emu.graph_request_count(), requests, "nothing reached Graph");
    assert!(emu.sent_mail().is_empty());
    emu.shutdown().await;
}

/// The 31st is taken: Graph (Exchange) puts it on the last day of shorter months, and the
/// summary says so with a date where it happens.
#[tokio::test(flavor = "multi_thread")]
async fn the_31st_is_taken_and_the_short_months_are_shown() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "create",
            "--calendar",
            "-s",
            "Month end",
            "--start",
            "2037-01-31 16:00",
            "--attendee",
            MEGAN,
            "--repeat",
            "monthly on the 31st for 6",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Sat 31 Jan 2037 16:00 CET · Sat 28 Feb · Tue 31 Mar 16:00 CEST · Thu 30 Apr"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("in months without one it falls on their last day"),
        "{stdout}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_sent_again_and_leaves_one_series() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let seeded = emu.event_count();
    emu.push_fault(Fault::EventLostAnswer);
    let out = tmeet(
        home.path(),
        &ep,
        &series_args("every 2 weeks on tue, thu for 8", &["--json"]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(event["type"], "seriesMaster", "{event}");
    assert_eq!(event["recurrence"]["range"]["numberOfOccurrences"], 8);
    assert_eq!(
        emu.event_count() - seeded,
        1,
        "one series, although the POST went twice"
    );
    assert_eq!(emu.sent_mail().len(), 2, "and one invitation each");
    assert_eq!(facts(&out.stderr)["existed"], false, "{out:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn new_times_for_the_whole_series_are_asked_for_by_name() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &series_args("weekly for 4", &[])).await;
    assert!(out.status.success(), "{out:?}");
    let before = emu.graph_request_count();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            "1",
            "--start",
            "2037-03-03 10:00",
            "--duration",
            "15m",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("ref 1 repeats (weekly on mon for 4)")
            && err.contains("--series (all of them)"),
        "{err}"
    );
    assert_eq!(emu.graph_request_count(), before, "nothing was sent");
    // A new subject for the series, said so, is a change of the series.
    let out = tmeet(
        home.path(),
        &ep,
        &["update", "1", "--series", "--subject", "Daily sync"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
}
