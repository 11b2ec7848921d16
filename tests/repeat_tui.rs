//! The form's Repeats field in a pseudo-terminal, against the emulator: a rule typed in
//! words shows its next meetings with the change of clocks before sending, and Ctrl+S makes
//! one series with one invitation; My meetings lists it once and cancels its next meeting
//! alone.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, form_ready};

#[test]
fn a_rule_in_words_previews_the_change_of_clocks_and_makes_one_series() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (emu, home, env) = common::emulator_env(&rt);
    common::shell(
        home.path(),
        &env,
        &["login", "--no-browser", "--scope", "Calendars.ReadWrite"],
    );

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
    // My meetings lists the series once, by its next meeting and its rule; D asks which of
    // its meetings, and `o` cancels the next one alone.
    t.send("\x1bOQ");
    let s = t.wait_for("My meetings", |s| {
        s.contains("Team sync · weekly on tue for 4")
    });
    assert_eq!(s.matches("Team sync · weekly").count(), 1, "{s}");
    t.send("D");
    t.wait_for("which meetings", |s| s.contains("o: Tue 17 Mar only"));
    let sent = emu.sent_mail().len();
    t.send("o");
    let s = t.wait_for("one meeting cancelled", |s| {
        s.contains("Cancelled the meeting of Tue 17 Mar")
    });
    assert!(
        s.contains("Team sync · weekly on tue for 4"),
        "the series stays:\n{s}"
    );
    let mail: Vec<_> = emu.sent_mail().into_iter().skip(sent).collect();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].kind, "cancellation");
    t.send("q");
    assert!(t.wait_exit().success());
}
