//! The real binary in a pseudo-terminal against its embedded emulator (`--demo`): what a
//! person sees and what reaches their terminal, byte for byte.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use base64::Engine;
use common::{Pty, base_env, form_ready};
use std::ops::{Deref, DerefMut};

/// `tmeet --demo` in a pseudo-terminal, with a home of its own that is also its working
/// directory (files tmeet saves land there).
struct Tmeet {
    pty: Pty,
    home: tempfile::TempDir,
}

impl Tmeet {
    fn start(cols: u16, rows: u16, faults: Option<&str>) -> Tmeet {
        Tmeet::start_with(cols, rows, faults, &[])
    }

    /// With these variables added to the environment.
    fn start_with(cols: u16, rows: u16, faults: Option<&str>, vars: &[(&str, &str)]) -> Tmeet {
        let home = tempfile::tempdir().unwrap();
        let mut env = base_env(home.path());
        for (k, v) in &mut env {
            if k == "LANG" {
                *v = "de_DE.UTF-8".into();
            }
        }
        if let Some(f) = faults {
            env.push(("TMEET_EMULATOR_FAULTS".into(), f.into()));
        }
        env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let pty = Pty::spawn(&["--demo"], &env, cols, rows);
        Tmeet { pty, home }
    }
}

impl Deref for Tmeet {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl DerefMut for Tmeet {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

/// The OSC 52 payloads written so far, decoded.
fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b]52;c;")
        .skip(1)
        .filter_map(|rest| rest.split('\x07').next())
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .map(|b| String::from_utf8(b).unwrap())
        .collect()
}

#[test]
fn demo_creates_a_meeting_and_copies_the_link_over_osc52() {
    let mut t = Tmeet::start(100, 30, None);
    let s = t.wait_for("the form after demo sign-in", form_ready);
    assert!(s.contains("DEMO"), "demo banner:\n{s}");
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(
        raw.contains("Sign in to Microsoft 365") && raw.contains("devicelogin"),
        "the device-code screen came first"
    );
    t.send("Quarterly review");
    // Tab to the Passcode checkbox and tick it, so a passcode comes back.
    t.send("\t\t\t ");
    t.wait_for("ticked checkbox", |s| s.contains("[x]"));
    t.send("\x13"); // Ctrl+S
    let s = t.wait_for("the result", |s| s.contains("Meeting created"));
    assert!(s.contains("Quarterly review"), "{s}");
    assert!(s.contains("Join link"), "{s}");
    assert!(s.contains("https://"), "{s}");
    let id_line = s
        .lines()
        .find(|l| l.starts_with("Meeting ID"))
        .expect("meeting ID line");
    assert!(id_line.chars().any(|c| c.is_ascii_digit()), "{id_line}");
    let pass_line = s.lines().find(|l| l.starts_with("Passcode")).unwrap();
    assert!(
        !pass_line.contains("none"),
        "a passcode was asked for: {pass_line}"
    );

    t.send("y");
    let s = t.wait_for("the copy report", |s| s.contains("Copied the join link"));
    assert!(s.contains("OSC 52"), "{s}");
    let copied = osc52_payloads(&t.raw());
    assert_eq!(copied.len(), 1, "{copied:?}");
    let url = &copied[0];
    assert!(url.starts_with("http"), "{url}");
    // The copied URL is the one on screen (its start, as the screen may wrap it).
    let head: String = url.chars().take(40).collect();
    assert!(s.contains(&head), "{head} not on screen:\n{s}");

    // The whole invitation, as plain text, carries the same meeting ID.
    t.send("c");
    t.wait_for("the second copy", |s| s.contains("Copied the invitation"));
    let copied = osc52_payloads(&t.raw());
    assert_eq!(copied.len(), 2);
    let id = id_line.trim_start_matches("Meeting ID").trim();
    let id = id.split("  [").next().unwrap();
    assert!(copied[1].contains(id), "{id} not in:\n{}", copied[1]);
    assert!(!copied[1].chars().any(|c| c.is_control() && c != '\n'));

    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn a_failed_create_shows_the_error_and_keeps_the_form() {
    // A throttle (with a countdown), then a 403; the retry after that succeeds.
    let mut t = Tmeet::start(100, 30, Some("429:1,403"));
    t.wait_for("the form", form_ready);
    t.send("Budget call");
    t.send("\x13");
    let s = t.wait_for("the error", |s| s.contains("HTTP 403"));
    assert!(s.contains("Budget call"), "typed subject kept:\n{s}");
    assert!(s.contains("request-id"), "{s}");
    assert!(s.contains("What to do"), "hint shown:\n{s}");
    assert!(
        String::from_utf8_lossy(&t.raw()).contains("HTTP 429"),
        "the throttle wait was shown"
    );
    // Nothing retyped: submit again and it goes through.
    t.send("\x13");
    let s = t.wait_for("the result", |s| s.contains("Meeting created"));
    assert!(s.contains("Budget call"));
    t.send("\x03"); // Ctrl+C
    assert_eq!(t.wait_exit().exit_code(), 130, "Ctrl+C exits 130");
}

#[test]
fn survives_a_tiny_window_and_comes_back() {
    let mut t = Tmeet::start(80, 24, None);
    t.wait_for("the form", form_ready);
    t.send("Standup");
    let before = t.raw().len();
    t.resize(10, 4);
    let s = t.wait_for_output_beyond(before);
    assert!(s.contains("DEMO"), "the banner survives even at 10x4:\n{s}");
    t.resize(80, 24);
    let s = t.wait_for("the form again", |s| s.contains("Create meeting"));
    assert!(s.contains("Standup"), "{s}");
    assert!(t.child.try_wait().unwrap().is_none(), "still running");
    t.send("\x03");
    assert_eq!(t.wait_exit().exit_code(), 130, "Ctrl+C exits 130");
    // The terminal was put back: the alternate screen was left.
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(raw.contains("\x1b[?1049l"), "alternate screen left");
}

#[test]
fn refuses_without_a_terminal() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tmeet"))
        .arg("--demo")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs a terminal") && err.contains("tmeet create"),
        "{err}"
    );
}

#[test]
fn esc_cancels_a_hanging_request() {
    let mut t = Tmeet::start(100, 30, Some("hang"));
    t.wait_for("the form", form_ready);
    t.send("Retro");
    t.send("\x13");
    t.wait_for("the spinner", |s| s.contains("Creating the meeting"));
    t.send("\x1b");
    let s = t.wait_for("the cancel report", |s| s.contains("Cancelled"));
    assert!(s.contains("may have been created"), "{s}");
    assert!(s.contains("Retro"));
    // The cancelled request may have made the meeting: the same form asks first.
    t.send("\x13");
    t.wait_for("the question", |s| s.contains("Create another? y/N"));
    t.send("y");
    t.wait_for("the result", |s| s.contains("Meeting created"));
    t.send("q");
    assert!(t.wait_exit().success());
}

/// A 201 whose body cannot be read: the meeting probably exists. The screen says so in one
/// voice, and Ctrl+S on the same form asks before making a second one.
#[test]
fn an_unreadable_answer_asks_before_creating_another() {
    let mut t = Tmeet::start(100, 30, Some("malformed"));
    t.wait_for("the form", form_ready);
    t.send("Budget");
    t.send("\x13");
    let s = t.wait_for("the unknown outcome", |s| {
        s.contains("MAY have been created")
    });
    assert!(!s.contains("not created"), "one story, not two:\n{s}");
    assert!(s.contains("Ctrl+S asks before creating it again"), "{s}");
    assert!(s.contains("client-request-id:"), "{s}");
    t.send("\x13");
    let s = t.wait_for("the question", |s| s.contains("Create another? y/N"));
    assert!(
        s.contains("y create another"),
        "the footer offers the answer:\n{s}"
    );
    t.send("x"); // any key but y is no
    let s = t.wait_for("back on the form", |s| s.contains("Nothing sent"));
    assert!(s.contains("Budget") && !s.contains("y/N"), "{s}");
    t.send("\x13");
    t.wait_for("the question again", |s| s.contains("Create another? y/N"));
    t.send("\x1b"); // Esc is no too
    t.wait_for("back on the form", |s| s.contains("Nothing sent"));
    t.send("\x13");
    t.wait_for("the question once more", |s| {
        s.contains("Create another? y/N")
    });
    t.send("y");
    let s = t.wait_for("the second meeting", |s| s.contains("Meeting created"));
    assert!(s.contains("Budget"), "{s}");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// The `.ics` files in `dir`, by name.
fn calendar_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ics"))
        .collect();
    names.sort();
    names
}

#[test]
fn s_saves_a_calendar_file_and_r_shows_the_qr_code() {
    let mut t = Tmeet::start(100, 40, None);
    t.wait_for("the form", form_ready);
    t.send("Design Review");
    t.send("\x13");
    t.wait_for("the result", |s| s.contains("Meeting created"));
    assert!(calendar_files(t.home.path()).is_empty());

    t.send("s");
    let s = t.wait_for("the save report", |s| s.contains("Saved "));
    let files = calendar_files(t.home.path());
    let [name] = files.as_slice() else {
        panic!("one calendar file expected: {files:?}")
    };
    // The start date (local), then the subject's slug.
    let (date, rest) = name.split_at(10);
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{name}"
    );
    assert_eq!(rest, "-design-review.ics");
    assert!(s.contains(name.as_str()), "the status line names it:\n{s}");
    let ics = std::fs::read_to_string(t.home.path().join(name)).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:Design Review\r\n"), "{ics}");
    assert!(ics.contains("URL:https://"), "{ics}");

    // Again: a second, numbered file; the first is left alone.
    t.send("s");
    let second = name.replace(".ics", "-2.ics");
    t.wait_for("the second save", |s| s.contains(&second));
    let mut both = vec![name.clone(), second];
    both.sort();
    assert_eq!(calendar_files(t.home.path()), both);
    assert_eq!(
        std::fs::read_to_string(t.home.path().join(name)).unwrap(),
        ics
    );

    // The join link as a QR code, and back.
    t.send("r");
    let s = t.wait_for("the QR code", |s| s.contains("Scan the code"));
    assert!(s.contains('▀') && s.contains('▄'), "{s}");
    assert!(
        !s.contains("Join link"),
        "the code replaces the details:\n{s}"
    );
    t.send("\x1b");
    let s = t.wait_for("the details again", |s| s.contains("Join link"));
    assert!(
        !s.contains("Scan the code"),
        "the code's caption goes with the code:\n{s}"
    );
    // Shown and closed with r alike.
    t.send("r");
    t.wait_for("the QR code again", |s| s.contains("Scan the code"));
    t.send("r");
    let s = t.wait_for("the details once more", |s| s.contains("Join link"));
    assert!(!s.contains("Scan the code"), "{s}");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// tmeet against a sign-in service nobody answers (a held port that refuses, kept as long
/// as the returned value): whatever the screen says at start must come from the local
/// settings and files alone.
fn start_offline(home: &std::path::Path, extra: &[(&str, &str)]) -> (Pty, common::DownPort) {
    let down = common::DownPort::new();
    let mut env = base_env(home);
    env.push(("TMEET_LOGIN_URL".into(), down.url()));
    env.push(("TMEET_GRAPH_URL".into(), format!("{}/v1.0", down.url())));
    env.push((
        "TMEET_CLIENT_ID".into(),
        "11111111-2222-3333-4444-555555555555".into(),
    ));
    for (k, v) in extra {
        env.push(((*k).into(), (*v).into()));
    }
    (Pty::spawn(&[], &env, 100, 30), down)
}

#[test]
fn app_only_without_user_says_so_instead_of_asking_for_a_sign_in() {
    let home = tempfile::tempdir().unwrap();
    let (mut t, _down) = start_offline(
        home.path(),
        &[
            ("TMEET_CLIENT_SECRET", "not-a-real-secret"),
            ("TMEET_TENANT", "contoso.onmicrosoft.com"),
        ],
    );
    let s = t.wait_for("the start failure", |s| s.contains("--user"));
    assert!(s.contains("tmeet cannot start"), "{s}");
    assert!(
        !s.contains("unset TMEET_CLIENT_SECRET"),
        "app-only is what was asked for; the way out is --user:\n{s}"
    );
    assert!(!s.contains("try again"), "a retry cannot help:\n{s}");
    assert!(!s.contains("not-a-real-secret"), "{s}");
    t.send("\x1b");
    assert!(t.wait_exit().success());
}

#[test]
fn a_corrupt_token_file_is_named_before_any_sign_in() {
    let home = tempfile::tempdir().unwrap();
    let file = common::token_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "{ this is not json").unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (mut t, _down) = start_offline(home.path(), &[]);
    let s = t.wait_for("the unreadable token file", |s| s.contains("tokens.json"));
    assert!(
        !s.contains("sign-in code") && !s.contains("unreachable"),
        "no device-code sign-in starts before the file is fixed:\n{s}"
    );
    assert!(!s.contains("try again"), "a retry cannot help:\n{s}");
    t.send("\x1b");
    assert!(t.wait_exit().success());
}

/// Issue 11: an option changed in the form reaches the service, and a tenant policy that
/// overrides it shows on the result as what the tenant changed.
#[test]
fn an_option_set_in_the_form_and_overridden_by_policy_shows_on_the_result() {
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push(("TMEET_EMULATOR_POLICY".into(), "lobby=organization".into()));
    let mut t = Pty::spawn(&["--demo"], &env, 100, 30);
    t.wait_for("the form after demo sign-in", form_ready);
    t.send("Policy check");
    // Subject → Start → End → Passcode → Language → Meeting → Attendees → Options.
    t.send("\t\t\t\t\t\t\t");
    t.wait_for("focus on Options", |s| s.contains("› Options"));
    t.send("\r");
    t.wait_for("the open section", |s| {
        s.contains("Who can bypass the lobby")
    });
    // ← from the default (people in my org and guests): a more open scope than the policy's.
    t.send("\x1b[D");
    t.wait_for("the changed value", |s| {
        s.contains("lobby: people in my org, trusted orgs and guests")
    });
    t.send("\x13"); // Ctrl+S
    let s = t.wait_for("the result", |s| s.contains("Tenant changed"));
    assert!(
        s.contains("lobby: asked people in my org, trusted orgs and guests")
            && s.contains("tenant set people in my org"),
        "{s}"
    );
    t.send("q");
    t.wait_exit();
}

/// The targets of the OSC 8 links in `raw`, with their ids, each pair once.
fn osc8_links(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b]8;")
        .skip(1)
        .filter_map(|rest| rest.split_once("\x1b\\").map(|(params, _)| params))
        .filter(|params| !params.starts_with(';'))
        .map(|params| {
            let (id, target) = params.split_once(';').unwrap();
            (id.trim_start_matches("id=").to_string(), target.to_string())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Creates a meeting in a fresh tmeet with these variables; the screen and the bytes.
fn result_with(vars: &[(&str, &str)], faults: Option<&str>) -> (String, Vec<u8>) {
    // Tall enough for the whole invitation, its meeting-options link included.
    let mut t = Tmeet::start_with(100, 70, faults, vars);
    t.wait_for("the form", form_ready);
    t.send("Links");
    t.send("\x13");
    let s = t.wait_for("the result", |s| s.contains("Meeting created"));
    let raw = t.raw();
    t.send("q");
    assert!(t.wait_exit().success());
    (s, raw)
}

/// Issue 14: the result pane's links are OSC 8 links in a terminal known to draw them,
/// none when they are off or the terminal is not known, and never for a link the server
/// sent with escapes, another scheme, plain http or a password in it.
#[test]
fn the_result_pane_links_only_when_on_and_never_a_hostile_link() {
    // Kitty is known to draw links: on by default there.
    let (s, raw) = result_with(&[("KITTY_WINDOW_ID", "1")], None);
    let links = osc8_links(&raw);
    let join = links
        .iter()
        .find(|(_, t)| t.starts_with("https://teams.microsoft.com/l/meetup-join/"))
        .unwrap_or_else(|| panic!("the join link is a link: {links:?}"));
    let head: String = join.1.chars().take(60).collect();
    assert!(
        s.contains(&head),
        "the link shown is its target: {head}\n{s}"
    );
    assert!(
        links
            .iter()
            .any(|(_, t)| t.starts_with("https://teams.microsoft.com/meetingOptions/")),
        "the meeting options link: {links:?}"
    );
    assert!(
        links
            .iter()
            .any(|(_, t)| t.starts_with("https://dialin.teams.microsoft.com/")),
        "the dial-in numbers page: {links:?}"
    );
    // One id for each cell of the join link row's link: it is written as one link.
    let ids: std::collections::BTreeSet<&str> = links
        .iter()
        .filter(|(_, t)| t == &join.1)
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(ids.iter().all(|id| id.starts_with("tmeet-")), "{ids:?}");

    for vars in [
        &[][..], // xterm-256color and nothing else: not known to draw links
        &[("KITTY_WINDOW_ID", "1"), ("TMEET_HYPERLINKS", "off")],
        &[
            ("TMUX", "/tmp/tmux-1/default,1,0"),
            ("TERM_PROGRAM", "tmux"),
            ("TERM_PROGRAM_VERSION", "3.3a"),
        ],
    ] {
        let (s, raw) = result_with(vars, None);
        assert!(
            s.contains("https://teams.microsoft.com/l/meetup-join/"),
            "{s}"
        );
        assert_eq!(osc8_links(&raw), Vec::new(), "{vars:?}");
        assert!(
            !String::from_utf8_lossy(&raw).contains("\x1b]8;"),
            "{vars:?}"
        );
    }

    // Forced on, against links a terminal must not be handed: none is a link, and the
    // join link is shown, its escapes stripped.
    let (s, raw) = result_with(&[("TMEET_HYPERLINKS", "on")], Some("hostile-links"));
    assert!(
        !String::from_utf8_lossy(&raw).contains("\x1b]8;"),
        "{:?}",
        osc8_links(&raw)
    );
    assert!(
        s.contains("https://teams.microsoft.com/l/meetup-join/]8;;https://evil.e"),
        "{s}"
    );
    assert!(s.contains("javascript:alert(1)//https://"), "{s}");
}

/// Issue 13's "done when": in calendar mode, two colleagues picked by completion, their
/// free/busy strip, a suggested slot taken, the event created; the emulator sent both
/// invitations with the join link, and the result says so. The calendar permissions are
/// asked for when a feature first needs one, and one sign-in from the form grants them.
#[test]
fn calendar_mode_completes_names_shows_free_busy_takes_a_suggestion_and_invites_two() {
    use tmeet_emulator::{Emulator, EmulatorOptions};
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
    let mut t = Pty::spawn(&[], &env, 110, 44);
    t.wait_for("the form after signing in", form_ready);
    t.send("Design review");
    // Subject → Start → End → Passcode → Language → Meeting; Space switches.
    t.send("\t\t\t\t\t ");
    t.wait_for("calendar mode", |s| {
        s.contains("On my calendar, invite attendees")
    });
    // The base sign-in cannot read calendars: a note stands in for the strip.
    t.wait_for("the free/busy permission note", |s| {
        s.contains("No free/busy") && s.contains("Calendars.Read.Shared")
    });
    t.send("\t");
    t.send("Meg");
    t.wait_for("completion without People.Read", |s| {
        s.contains("typed addresses only") && s.contains("Ctrl+G")
    });
    t.send("\x07"); // Ctrl+G: sign in again, granting what was asked for
    t.wait_for("Megan suggested after the grant", |s| {
        s.contains("Megan Bowen")
    });
    t.send("\t");
    t.wait_for("Megan's address taken", |s| {
        s.contains("MeganB@contoso.onmicrosoft.com, ")
    });
    t.send("Alex");
    t.wait_for("Alex suggested", |s| s.contains("Alex Wilber"));
    t.send("\t");
    let s = t.wait_for("both in the strip", |s| {
        s.contains("Free/busy,")
            && s.contains("all free")
            // The strip names people by the local part of their address.
            && s.lines().any(|l| l.starts_with("MeganB "))
            && s.lines().any(|l| l.starts_with("AlexW "))
    });
    assert!(!s.contains("No free/busy"), "{s}");

    t.send("\x06"); // Ctrl+F
    t.wait_for("suggested times", |s| {
        s.contains("Find a time") && s.contains("› ") && s.contains("Enter take")
    });
    t.send("\r");
    t.wait_for("the slot taken", |s| s.contains("Start and End set to"));

    // The emulator's calendars hold seeded events; exactly one more is made.
    let events_before = emu.event_count();
    // Ctrl+S: the Ctrl+G sign-in granted Calendars.ReadWrite with the others (the
    // create needs it next), so the event is made with no second sign-in.
    t.send("\x13");
    let s = t.wait_for("the event's result", |s| {
        s.contains("Invitations sent to 2")
    });
    assert!(s.contains("Join link") && s.contains("https://"), "{s}");
    assert!(s.contains("Calendar "), "the event's web link: {s}");

    let mail = emu.sent_mail();
    let invitations: Vec<_> = mail.iter().filter(|m| m.kind == "invitation").collect();
    assert_eq!(invitations.len(), 2, "{mail:?}");
    let mut to: Vec<_> = invitations
        .iter()
        .map(|m| m.recipient.to_lowercase())
        .collect();
    to.sort();
    assert_eq!(
        to,
        [
            "alexw@contoso.onmicrosoft.com",
            "meganb@contoso.onmicrosoft.com"
        ]
    );
    for m in &invitations {
        let link = m
            .join_url
            .as_deref()
            .expect("the join link in the invitation");
        let head: String = link.chars().take(40).collect();
        assert!(s.contains(&head), "{head} not on screen:\n{s}");
        assert_eq!(m.subject, "Design review");
    }
    assert_eq!(emu.event_count(), events_before + 1);
    t.send("q");
    assert!(t.wait_exit().success());
}

/// Ctrl+C while a create is on its way (the emulator holds its answer): the form still
/// exits 130, and once the terminal is back it says the meeting may exist, as `create`
/// does, instead of leaving without a word.
#[test]
fn ctrl_c_during_a_create_says_the_meeting_may_exist_after_leaving() {
    let mut t = Tmeet::start(100, 30, Some("hold-after-write"));
    t.wait_for("the form", form_ready);
    t.send("Retro");
    t.send("\x13");
    t.wait_for("the spinner", |s| s.contains("Creating the meeting"));
    t.send("\x03");
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 130);
    let s = t.wait_for("the line after the form", |s| s.contains("may exist"));
    assert!(
        s.contains("tmeet: the meeting may exist: left while the request was on its way."),
        "{s}"
    );
    assert!(s.contains("\"Retro\" is on no calendar"), "{s}");
}

/// The screen's text with its line breaks as spaces: a sentence the status line wrapped
/// reads whole.
fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ctrl+R with people separated by `;` (as Outlook writes them): the person under the
/// cursor changes role, and nobody else.
#[test]
fn ctrl_r_with_semicolons_changes_the_person_under_the_cursor() {
    let mut t = Tmeet::start(100, 30, None);
    t.wait_for("the form", form_ready);
    t.send("Roles");
    // Subject → Start → End → Passcode → Language → Meeting → Attendees.
    t.send("\t\t\t\t\t\t");
    t.wait_for("focus on Attendees", |s| s.contains("› Attendees"));
    t.send("ada@contoso.com; bob@contoso.com");
    t.wait_for("both typed", |s| {
        s.contains("ada@contoso.com; bob@contoso.com")
    });
    t.send("\x12"); // Ctrl+R, the cursor on bob
    t.wait_for("bob a presenter", |s| {
        s.contains("ada@contoso.com; bob@contoso.com:presenter")
    });
    t.send("\x1b[H"); // Home: onto ada
    t.send("\x12");
    let s = t.wait_for("ada a presenter too", |s| {
        s.contains("ada@contoso.com:presenter; bob@contoso.com:presenter")
    });
    assert!(!s.contains('✗'), "a valid list:\n{s}");
    t.send("\x03");
    t.wait_exit();
}

/// A paste longer than Subject takes: what fits is kept, and the status line says it was
/// cut, in the command line's words for a subject too long.
#[test]
fn a_huge_paste_into_subject_keeps_what_fits_and_says_so() {
    let mut t = Tmeet::start(100, 30, None);
    t.wait_for("the form", form_ready);
    let text = "Quarterly planning ".repeat(100_000 / 19 + 1);
    assert!(text.len() > 100_000);
    t.send(&format!("\x1b[200~{text}\x1b[201~"));
    let s = t.wait_for("the paste", |s| s.contains("255 characters"));
    assert!(s.contains("Quarterly planning Quarterly"), "{s}");
    assert!(
        flat(&s).contains("The subject is longer than 255 characters"),
        "{s}"
    );
    // What was kept is a subject the service takes.
    t.send("\x13");
    let s = t.wait_for("the result", |s| s.contains("Meeting created"));
    assert!(s.contains("Quarterly planning"), "{s}");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// Esc from a meeting opened from My meetings goes back to the list, with the same row
/// selected, not to the form.
#[test]
fn esc_from_a_meeting_opened_from_my_meetings_goes_back_to_the_list() {
    let mut t = Tmeet::start(100, 30, None);
    t.wait_for("the form", form_ready);
    t.send("Alpha");
    t.send("\x13");
    t.wait_for("the first meeting", |s| s.contains("Meeting created"));
    t.send("n");
    t.wait_for("the form again", form_ready);
    t.send("\x7f\x7f\x7f\x7f\x7fBravo");
    t.wait_for("the second subject", |s| s.contains("Bravo"));
    t.send("\x13");
    t.wait_for("the second meeting", |s| {
        s.contains("Meeting created") && s.contains("Bravo")
    });
    t.send("\x1bOQ"); // F2
    t.wait_for("the list", |s| s.contains("Alpha") && s.contains("Bravo"));
    t.send("\x1b[B"); // ↓: the second row
    t.send("\r");
    let s = t.wait_for("the meeting opened", |s| s.contains("From My meetings"));
    let opened = if s.contains("Alpha") {
        "Alpha"
    } else {
        "Bravo"
    };
    t.send("\x1b");
    let s = t.wait_for("back on the list", |s| {
        s.contains("Alpha") && s.contains("Bravo") && s.contains("SUBJECT")
    });
    assert!(!s.contains("Create meeting"), "not the form:\n{s}");
    // The same row is still selected: Enter opens the same meeting.
    t.send("\r");
    let s = t.wait_for("the meeting again", |s| s.contains("From My meetings"));
    assert!(s.contains(opened), "{opened} expected:\n{s}");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// Under LC_ALL=C the terminal cannot draw ‹ ›: the mode switch is drawn in ASCII, as
/// the rest of the screen is.
#[test]
fn without_utf8_the_mode_switch_is_drawn_in_ascii() {
    let mut t = Tmeet::start_with(100, 30, None, &[("LC_ALL", "C")]);
    t.wait_for("the form", form_ready);
    // Subject → Start → End → Passcode → Language → Meeting.
    t.send("\t\t\t\t\t");
    let s = t.wait_for("focus on Meeting", |s| s.contains("> Meeting"));
    assert!(s.contains("< Standalone link >"), "{s}");
    assert!(!s.contains("? Standalone"), "{s}");
    t.send("\x03");
    t.wait_exit();
}

/// A status longer than its line (the permission attendees need, and the key that grants
/// it) wraps onto the empty row above it instead of being cut mid-word at 100 columns.
#[test]
fn a_long_status_wraps_whole_and_keeps_the_key_it_names() {
    use tmeet_emulator::{Emulator, EmulatorOptions};
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
    let mut t = Pty::spawn(&[], &env, 100, 30);
    t.wait_for("the form after signing in", form_ready);
    t.send("People");
    t.send("\t\t\t\t\t\t");
    t.wait_for("focus on Attendees", |s| s.contains("› Attendees"));
    t.send("adele@contoso.com");
    t.send("\x13");
    let s = t.wait_for("the permission asked for", |s| {
        s.contains("Permission needed") && s.contains("Ctrl+S")
    });
    let status = "tmeet needs permission to look attendees up in the directory \
                  (User.ReadBasic.All). Press \
                  Ctrl+S to sign in again here and grant it; your input is kept.";
    assert!(status.len() > 100);
    assert!(flat(&s).contains(status), "the whole status:\n{s}");
    t.send("\x03");
    t.wait_exit();
}
