//! The sign-in lost while the form is open (a `tmeet logout` in another shell, the access
//! token gone): the create fails, the form offers the sign-in, and after it the form is
//! back with its values and the meeting can be created.

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
