//! The Agenda screen in a pseudo-terminal, against the emulator: a colleague's invitation
//! accepted with one key, a card of my meeting saying who accepted, and `o` giving the
//! join link to the browser.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, base_env, form_ready};
use serde_json::Value;
use tmeet_emulator::{Emulator, EmulatorOptions};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

/// A `$BROWSER` that writes down the address it is given.
fn recording_browser(home: &std::path::Path) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let script = home.join("browser.sh");
    let record = home.join("opened-url");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script.display().to_string(), record)
}

/// What the browser was given, once it has written it down (it runs apart from tmeet).
fn opened(record: &std::path::Path) -> String {
    for _ in 0..200 {
        if let Ok(s) = std::fs::read_to_string(record)
            && s.ends_with('\n')
        {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the browser was never given a link");
}

#[test]
fn the_agenda_accepts_an_invitation_shows_who_accepted_mine_and_joins() {
    // The emulator runs on this runtime's threads while the test drives the terminal.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt
        .block_on(Emulator::start(EmulatorOptions {
            auto_approve_device_codes: true,
            device_code_interval_secs: 0,
            ..EmulatorOptions::default()
        }))
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let (browser, record) = recording_browser(home.path());
    let mut env = base_env(home.path());
    env.push(("TMEET_LOGIN_URL".into(), emu.login_url().to_string()));
    env.push(("TMEET_GRAPH_URL".into(), emu.graph_url().to_string()));
    env.push(("TMEET_CLIENT_ID".into(), CLIENT_ID.into()));
    let shell = |args: &[&str]| {
        let out = common::command(home.path(), args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        assert!(out.status.success(), "tmeet {args:?}: {out:?}");
        out.stdout
    };
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

    env.push(("BROWSER".into(), browser));
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
    assert_eq!(opened(&record), format!("{link}\n"));
    // Esc goes back to the agenda, not the form.
    t.send("\x1b");
    t.wait_for("the agenda again", |s| {
        s.contains("Agenda ·") && s.contains(&their_subject)
    });
    t.send("q");
    assert!(t.wait_exit().success());
}
