//! Planning across zones in the form, in a pseudo-terminal against the emulator: a meeting
//! with the Tokyo colleague planned in New York's time from a Berlin terminal shows both
//! clocks under Zone, find-a-time gives his clock at each time, Ctrl+T shows my free times
//! in New York's time, and Ctrl+S sends the event in New York's zone.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, form_ready};

const NESTOR: &str = "NestorW@contoso.onmicrosoft.com";

#[test]
fn a_meeting_planned_in_new_york_with_the_tokyo_colleague_shows_his_clock_before_sending() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (emu, home, env) = common::emulator_env(&rt);
    common::shell(
        home.path(),
        &env,
        &[
            "login",
            "--no-browser",
            "--scope",
            "Calendars.ReadWrite",
            "--scope",
            "Calendars.Read.Shared",
        ],
    );

    let mut t = Pty::spawn(&[], &env, 110, 44);
    t.wait_for("the form, signed in", form_ready);
    t.send("Zones sync");
    // Thursday 8 January 2037, past the seeded weeks.
    t.send("\t2037-01-08 10:00");
    // End → Passcode → Language → Meeting; Space switches to calendar mode.
    t.send("\t\t\t\t ");
    t.wait_for("calendar mode", |s| s.contains("Zone      Europe/Berlin"));
    // Back to Zone (just before Meeting); typing replaces the terminal's zone.
    t.send("\x1b[Z");
    t.send("new york");
    let s = t.wait_for("both clocks", |s| s.contains("New York ·"));
    assert!(
        s.contains("10:00–10:30 New York · 16:00–16:30 Berlin"),
        "{s}"
    );
    // Zone → Meeting → Attendees.
    t.send("\t\t");
    t.send(NESTOR);
    t.wait_for("his row in the strip", |s| s.contains("Tokyo"));

    // Find a time: his clock under each time. His day (01:00–10:00 Berlin) may not meet
    // the organizer's; then `o` looks within the organizer's hours alone, his marked.
    t.send("\x06");
    let s = t.wait_for("the answer", |s| {
        s.contains("Find a time") && (s.contains("nestorw ") || s.contains("No time"))
    });
    let s = if s.contains("No time") {
        assert!(s.contains("within yours alone"), "{s}");
        t.send("o");
        t.wait_for("the wider answer", |s| s.contains("nestorw "))
    } else {
        s
    };
    let line = s
        .lines()
        .find(|l| l.trim_start().starts_with("nestorw "))
        .unwrap();
    assert!(line.contains(" Tokyo"), "his clock, in Tokyo: {s}");
    t.send("\x1b");
    t.wait_for("the form again", |s| s.contains("Zone      new york"));

    // My free times, in New York's time since the meeting is planned there.
    t.send("\x14");
    let s = t.wait_for("my free times", |s| {
        s.contains("My free times") && (s.contains("Free (E") || s.contains('✗'))
    });
    assert!(
        s.contains("Free (EST): ") || s.contains("Free (EDT): "),
        "in New York's time, the zone named: {s}"
    );
    t.send("\x1b");
    t.wait_for("the form again", |s| s.contains("Zone      new york"));

    let before = emu.event_count();
    t.send("\x13");
    let s = t.wait_for("the event created", |s| s.contains("Invitations sent to 1"));
    assert!(
        s.contains("10:00–10:30 New York · 16:00–16:30 Berlin"),
        "the result gives both clocks: {s}"
    );
    assert_eq!(emu.event_count(), before + 1);
    t.send("q");
    assert!(t.wait_exit().success());

    let list = common::shell(home.path(), &env, &["list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list).unwrap();
    let id = rows[0]["eventId"].as_str().unwrap();
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
        "10:00 in New York: {event}"
    );
}
