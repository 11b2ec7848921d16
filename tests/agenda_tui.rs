//! The Agenda screen in a pseudo-terminal, against the emulator: a colleague's invitation
//! accepted with one key, a card of my meeting saying who accepted, and `o` giving the
//! join link to the browser.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, form_ready};
use serde_json::Value;

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

#[test]
fn the_agenda_accepts_an_invitation_shows_who_accepted_mine_and_joins() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (emu, home, mut env) = common::emulator_env(&rt);
    let (browser, record) = common::recording_browser(home.path());
    let shell = |args: &[&str]| common::shell(home.path(), &env, args);
    shell(&["login", "--no-browser", "--scope", "Calendars.ReadWrite"]);
    // A meeting of mine tomorrow, which Megan accepts.
    let start = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d 15:00")
        .to_string();
    shell(&[
        "create",
        "--calendar",
        "-s",
        "Roadmap",
        "--start",
        &start,
        "--duration",
        "30m",
        "--attendee",
        MEGAN,
        "--attendee",
        ALEX,
    ]);
    rt.block_on(async {
        let r = reqwest::Client::new()
            .post(format!("{}_emulator/events/respond", emu.login_url()))
            .json(&serde_json::json!({"subject": "Roadmap", "attendee": MEGAN, "response": "accepted"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    });
    // The rows as the screen lists them: the same fourteen days, the same order.
    let listed: Value =
        serde_json::from_slice(&shell(&["agenda", "--days", "14", "--json"])).unwrap();
    let events = listed["events"].as_array().unwrap();
    let theirs = events
        .iter()
        .position(|e| {
            e["isOrganizer"] == false
                && e["teams"] == true
                && e["response"] == "none"
                && e["type"] == "singleInstance"
        })
        .expect("a colleague's Teams invitation");
    let their_subject = events[theirs]["subject"].as_str().unwrap().to_string();
    let mine = events
        .iter()
        .position(|e| e["subject"] == "Roadmap")
        .unwrap();
    let link = events[mine]["joinUrl"].as_str().unwrap().to_string();

    env.push(("BROWSER".into(), browser.display().to_string()));
    let mut t = Pty::spawn(&[], &env, 120, 40);
    t.wait_for("the form, signed in", form_ready);
    t.send("\x1bOR"); // F3
    t.wait_for("the agenda", |s| {
        s.contains("Agenda") && s.contains("Roadmap") && s.contains(&their_subject)
    });
    // To the first row, then down to the colleague's invitation.
    let to = |t: &mut Pty, index: usize| {
        t.send("\x1b[5~"); // PgUp
        for _ in 0..index {
            t.send("\x1b[B");
        }
    };
    to(&mut t, theirs);
    t.send("a");
    let s = t.wait_for("the answer sent", |s| s.contains("Accepted \""));
    assert!(s.contains(&format!("Accepted \"{their_subject}\"")), "{s}");
    assert!(s.contains("accepted"), "the row shows the new answer:\n{s}");

    to(&mut t, mine);
    t.send("\r");
    let s = t.wait_for("my meeting's card", |s| s.contains("Who is coming"));
    assert!(s.contains("Roadmap"), "{s}");
    assert!(s.contains("1/2 accepted"), "{s}");
    assert!(s.contains("✓ Megan Bowen  accepted"), "{s}");
    assert!(s.contains("Organized by you"), "{s}");
    t.send("o");
    t.wait_for("the link opened", |s| s.contains("Opened to join"));
    assert_eq!(common::opened(&record), format!("{link}\n"));
    // Esc goes back to the agenda, not the form.
    t.send("\x1b");
    t.wait_for("the agenda again", |s| {
        s.contains("Agenda ·") && s.contains(&their_subject)
    });
    t.send("q");
    assert!(t.wait_exit().success());
}
