//! The form's sign-in: through the browser where one opens here (`d` for a device code);
//! and the sign-in lost while the form is open (a `tmeet logout` in another shell, the
//! access token gone): the create fails, the form offers the sign-in, and after it the form
//! is back with its values and the meeting can be created.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, base_env, form_ready};
use tmeet_emulator::{Emulator, EmulatorOptions};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

#[test]
fn a_lost_sign_in_is_renewed_from_the_form_which_keeps_its_values() {
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
    };
    shell(&["login"]);

    let mut t = Pty::spawn(&[], &env, 100, 30);
    t.wait_for("the form, signed in", form_ready);
    t.send("Design review");
    // Another shell signs out, and the service no longer takes the token tmeet holds.
    shell(&["logout"]);
    emu.expire_access_tokens();
    t.send("\x13"); // Ctrl+S
    let s = t.wait_for("the offer to sign in again", |s| {
        s.contains("Ctrl+S to sign in again")
    });
    assert!(s.contains("Design review"), "{s}");
    assert!(
        !s.contains("tmeet login"),
        "the way out is on this screen, not in another shell:\n{s}"
    );

    t.send("\x13");
    let s = t.wait_for("the form after signing in again", |s| {
        form_ready(s) && s.contains("Ctrl+S to create")
    });
    assert!(
        s.contains("Design review"),
        "the form kept its values:\n{s}"
    );
    assert!(
        t.saw(|s| s.contains("devicelogin")),
        "the device-code screen was shown"
    );

    t.send("\x13");
    let s = t.wait_for("the result", |s| s.contains("Meeting created"));
    assert!(s.contains("Design review"), "{s}");
    assert_eq!(emu.meeting_count(), 1);
    t.send("\x03"); // Ctrl+C
    t.wait_exit();
}

/// A `$BROWSER` that only writes down the address it was given, for the test to open.
fn recording_browser(home: &std::path::Path) -> (String, std::path::PathBuf) {
    let script = home.join("browser.sh");
    let record = home.join("opened-url");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", record.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (format!("{} %s", script.display()), record)
}

#[cfg(unix)]
#[test]
fn the_form_signs_in_through_the_browser_where_one_opens_and_d_switches_to_a_code() {
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
    env.push(("DISPLAY".into(), ":99".into()));
    env.push(("BROWSER".into(), browser));

    let mut t = Pty::spawn(&[], &env, 100, 30);
    let s = t.wait_for("the browser sign-in", |s| {
        s.contains("Waiting for the browser")
    });
    assert!(s.contains("device code instead"), "{s}");
    let end = std::time::Instant::now() + common::DEADLINE;
    let url = loop {
        if let Ok(u) = std::fs::read_to_string(&record)
            && !u.is_empty()
        {
            break u;
        }
        assert!(std::time::Instant::now() < end, "no browser was opened");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // The test is the browser: the emulator sends it to tmeet's port.
    rt.block_on(async {
        let b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = b.get(&url).send().await.unwrap();
        let back = r.headers()["location"].to_str().unwrap().to_string();
        let page = b.get(&back).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("You are signed in"), "{page}");
    });
    t.wait_for("the form, signed in", form_ready);
    assert_eq!(emu.token_requests(), vec!["authorization_code"]);
    t.send("\x03");
    t.wait_exit();

    // Signed out again: this time the person has no browser at hand and presses d.
    common::command(home.path(), &["logout"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let mut t = Pty::spawn(&[], &env, 100, 30);
    t.wait_for("the browser sign-in", |s| {
        s.contains("Waiting for the browser")
    });
    t.send("d");
    t.wait_for("the form, signed in with a code", form_ready);
    assert!(
        t.saw(|s| s.contains("devicelogin")),
        "the device-code screen was shown"
    );
    assert_eq!(
        emu.token_requests().last().map(String::as_str),
        Some("urn:ietf:params:oauth:grant-type:device_code")
    );
    t.send("\x03");
    t.wait_exit();
}
