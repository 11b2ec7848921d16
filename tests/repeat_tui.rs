//! The form's Repeats field in a pseudo-terminal, against the emulator: a rule typed in
//! words shows its next meetings with the change of clocks before sending, and Ctrl+S makes
//! one series with one invitation.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, base_env, form_ready};
use tmeet_emulator::{Emulator, EmulatorOptions};

#[test]
fn a_rule_in_words_previews_the_change_of_clocks_and_makes_one_series() {
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
    env.push((
        "TMEET_CLIENT_ID".into(),
        "11111111-2222-3333-4444-555555555555".into(),
    ));
    let out = common::command(
        home.path(),
        &["login", "--no-browser", "--scope", "Calendars.ReadWrite"],
    )
    .envs(env.iter().map(|(k, v)| (k, v)))
    .output()
    .unwrap();
    assert!(out.status.success(), "{out:?}");

    let mut t = Pty::spawn(&[], &env, 110, 44);
    t.wait_for("the form, signed in", form_ready);
    t.send("Team sync");
    // Start: a Tuesday before Berlin's clocks change (Sunday 29 March 2037).
    t.send("\t2037-03-17 10:00");
    // End → Passcode → Language → Meeting; Space switches to calendar mode.
    t.send("\t\t\t\t ");
    t.wait_for("calendar mode", |s| {
        s.contains("On my calendar, invite attendees")
    });
    // Meeting → Attendees → Message → Location → Repeats.
    t.send("\t\t\t\t");
    t.send("weekly on tue for 4");
    let s = t.wait_for("the preview", |s| s.contains("(Europe/Berlin)"));
    assert!(s.contains("weekly on tue for 4 (Europe/Berlin)"), "{s}");
    assert!(
        s.contains("Tue 17 Mar 2037 10:00 CET") && s.contains("10:00 CEST"),
        "the change of clocks shows before sending:\n{s}"
    );
    // Back to Attendees for the invitee, then Ctrl+S.
    t.send("\x1b[Z\x1b[Z\x1b[Z");
    t.send("MeganB@contoso.onmicrosoft.com");
    let events_before = emu.event_count();
    t.send("\x13");
    let s = t.wait_for("the series created", |s| {
        s.contains("Invitations sent to 1")
    });
    assert!(s.contains("Repeats"), "{s}");
    assert!(s.contains("Next: Tue 17 Mar 2037 10:00 CET"), "{s}");
    assert_eq!(emu.event_count(), events_before + 1, "one series");
    let invitations = emu
        .sent_mail()
        .into_iter()
        .filter(|m| m.kind == "invitation" && m.subject == "Team sync")
        .count();
    assert_eq!(invitations, 1, "one invitation for the series");
    t.send("q");
    assert!(t.wait_exit().success());
}
