//! `tmeet create` through the real binary: demo mode end to end, a stored sign-in against a
//! separate emulator, faults, and bad input that must be refused before anything is sent.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use std::path::Path;
use std::process::{Command, Output};
use tmeet_emulator::{Emulator, EmulatorOptions};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

fn tmeet(home: &Path, args: &[&str]) -> Command {
    common::command(home, args)
}

#[tokio::test]
async fn demo_create_prints_everything_to_share() {
    let home = tempfile::tempdir().unwrap();
    let args = [
        "--demo",
        "create",
        "-s",
        "Design review",
        // Years ahead: create refuses a start in the past.
        "--start",
        "2037-12-01 14:00",
        "--duration",
        "45m",
    ];
    let out = run(tmeet(
        home.path(),
        &[&args[..], &["--passcode", "--lang", "de-DE"]].concat(),
    ))
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.starts_with("DEMO: simulated"), "{stdout}");
    assert!(stdout.contains("Subject:    Design review\n"), "{stdout}");
    assert!(
        stdout.contains("Start:      Tue 1 Dec 2037 14:00 CET\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("End:        Tue 1 Dec 2037 14:45 CET (45 min)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Join URL:   https://teams.microsoft.com/l/meetup-join/"),
        "{stdout}"
    );
    let passcode = stdout.lines().find(|l| l.starts_with("Passcode:")).unwrap();
    assert_ne!(
        passcode.trim_start_matches("Passcode:").trim(),
        "none",
        "{stdout}"
    );
    assert!(stdout.contains("Dial-in:"), "{stdout}");
    assert!(stdout.contains("not on any calendar"), "{stdout}");
    assert!(stdout.contains("Invitation:"), "{stdout}");
    assert!(
        stdout.contains("Besprechung"),
        "the invitation is in German: {stdout}"
    );
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{stdout:?}"
    );
}

#[tokio::test]
async fn demo_create_json_is_the_graph_object() {
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(
        home.path(),
        &["--demo", "create", "-s", "Standup", "--json"],
    ))
    .await;
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["subject"], "Standup");
    assert!(
        v["@odata.context"]
            .as_str()
            .unwrap()
            .contains("onlineMeetings")
    );
    assert!(v["joinWebUrl"].as_str().unwrap().starts_with("https://"));
    assert_eq!(v["joinMeetingIdSettings"]["isPasscodeRequired"], false);
    assert!(v["joinMeetingIdSettings"]["passcode"].is_null());
    assert_eq!(
        text(&out.stderr),
        "tmeet: DEMO: simulated by the built-in emulator; this meeting cannot be joined.\n",
        "stdout is pure JSON; the demo label is on stderr"
    );
}

#[tokio::test]
async fn demo_faults_reach_the_exit_code_and_stderr() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = tmeet(home.path(), &["--demo", "create", "-s", "x"]);
    cmd.env("TMEET_EMULATOR_FAULTS", "drop");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "outcome unknown, not failed");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("tmeet: ") && err.contains("may have been created"),
        "{err}"
    );
    assert!(err.contains("client-request-id"), "{err}");

    let mut cmd = tmeet(home.path(), &["--demo", "create", "-s", "x"]);
    cmd.env("TMEET_EMULATOR_FAULTS", "429:1");
    let out = run(cmd).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains("Graph answered 429; retrying in 1 s (1/3)"),
        "{out:?}"
    );

    let mut cmd = tmeet(home.path(), &["--demo", "create", "-s", "x"]);
    cmd.env("TMEET_EMULATOR_FAULTS", "503,503,503,503");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("HTTP 503") && err.contains("gave up after 3 retries"),
        "{err}"
    );
    assert!(err.contains("request-id"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_anything_is_sent() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let graph = emu.graph_url().to_string();
    let login = emu.login_url().to_string();
    let cases: &[(&[&str], &str)] = &[
        (&["-s", "   "], "--subject: the subject is empty"),
        (
            &["-s", "x", "--start", "someday"],
            "--start: 'someday' is not a time",
        ),
        (
            &[
                "-s",
                "x",
                "--start",
                "2037-12-01 10:00",
                "--end",
                "2037-12-01 09:00",
            ],
            "--end: the meeting would end",
        ),
        (
            &["-s", "x", "--duration", "forever"],
            "--duration: 'forever' is not a duration",
        ),
        (&["-s", "x", "--lang", "not a language"], "--lang:"),
        (
            &["-s", "x", "--start", "2026-03-29 02:30"],
            "does not exist in",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec![
            "--graph-url",
            &graph,
            "--login-url",
            &login,
            "--client-id",
            CLIENT_ID,
            "create",
        ];
        all.extend_from_slice(args);
        let out = run(tmeet(home.path(), &all)).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: a usage error: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let out = run(tmeet(
        home.path(),
        &[
            "--graph-url",
            "http://graph.example.com/v1.0",
            "create",
            "-s",
            "x",
        ],
    ))
    .await;
    // Settings that cannot work are a configuration error: 2, as from every command.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("plain http is only allowed for loopback"),
        "{out:?}"
    );
    let out = run(tmeet(
        home.path(),
        &["--cloud", "china", "create", "-s", "x"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("does not offer the onlineMeetings API"),
        "{out:?}"
    );
    let out = run(tmeet(
        home.path(),
        &["create", "-s", "x", "--end", "1h", "--duration", "1h"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "clap refuses conflicting flags");

    assert_eq!(emu.graph_request_count(), 0, "nothing was sent");
    assert!(emu.token_requests().is_empty(), "no sign-in was attempted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_sign_in_then_create_for_me_and_for_a_user() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let graph = emu.graph_url().to_string();
    let login = emu.login_url().to_string();
    let common = [
        "--graph-url",
        graph.as_str(),
        "--login-url",
        login.as_str(),
        "--client-id",
        CLIENT_ID,
    ];

    let out = run(tmeet(
        home.path(),
        &[&common[..], &["create", "-s", "x"]].concat(),
    ))
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("tmeet login"),
        "not signed in: {out:?}"
    );

    let out = run(tmeet(home.path(), &[&common[..], &["login"]].concat())).await;
    assert!(out.status.success(), "{out:?}");
    let out = run(tmeet(
        home.path(),
        &[&common[..], &["create", "-s", "Weekly", "--json"]].concat(),
    ))
    .await;
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["subject"], "Weekly");
    assert_eq!(emu.meeting_count(), 1);
}

#[tokio::test]
async fn calendar_file_and_qr_code() {
    let home = tempfile::tempdir().unwrap();
    let ics = home.path().join("meeting.ics");
    let ics_arg = ics.to_str().unwrap();
    let out = run(tmeet(
        home.path(),
        &[
            "--demo", "create", "-s", "Offsite", "--qr", "--ics", ics_arg,
        ],
    ))
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains('▀') || stdout.contains('▄'),
        "a QR code is drawn: {stdout}"
    );
    assert!(
        text(&out.stderr).contains("calendar file written to"),
        "{out:?}"
    );
    let cal = std::fs::read_to_string(&ics).unwrap();
    assert!(cal.contains("SUMMARY:Offsite\r\n"), "{cal}");
    assert!(
        cal.contains("URL:https://teams.microsoft.com/l/meetup-join/"),
        "{cal}"
    );

    let out = run(tmeet(
        home.path(),
        &[
            "--demo",
            "create",
            "-s",
            "x",
            "--ics",
            "/nonexistent/dir/m.ics",
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("--ics: the directory /nonexistent/dir does not exist"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "refused before creating: {out:?}");
}

/// An answer that cannot be read, or that never comes, leaves the meeting possibly created:
/// exit 3 (not 1, which a script may retry) with the client-request-id to look it up by.
#[tokio::test]
async fn an_unknown_outcome_exits_3_with_the_client_request_id() {
    let home = tempfile::tempdir().unwrap();
    for fault in ["malformed", "drop"] {
        let mut cmd = tmeet(home.path(), &["--demo", "create", "-s", "x", "--json"]);
        cmd.env("TMEET_EMULATOR_FAULTS", fault);
        let out = run(cmd).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{fault}: {err}");
        let line = err.lines().find(|l| !l.contains("DEMO")).unwrap();
        // Said once, by the message or by the hint, never both.
        assert!(
            line.contains("may have been created") || line.contains("may exist"),
            "{fault}: {line}"
        );
        assert!(line.contains("[client-request-id "), "{fault}: {line}");
        assert!(
            out.stdout.is_empty(),
            "{fault}: no JSON for a script to trust"
        );
    }
    let help = text(&run(tmeet(home.path(), &["create", "--help"])).await.stdout);
    assert!(help.contains("3    outcome unknown"), "{help}");
}

async fn signed_in_emulator(home: &Path) -> (Emulator, Vec<String>) {
    let emu = common::approving_emulator().await;
    let common = vec![
        "--graph-url".to_string(),
        emu.graph_url().to_string(),
        "--login-url".into(),
        emu.login_url().to_string(),
        "--client-id".into(),
        CLIENT_ID.into(),
    ];
    let login: Vec<&str> = common.iter().map(String::as_str).chain(["login"]).collect();
    let out = run(tmeet(home, &login)).await;
    assert!(out.status.success(), "{out:?}");
    (emu, common)
}

/// `--ics` never destroys a file, and a path that cannot work is refused before the
/// meeting is created (so a retrying script does not make duplicates).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ics_never_overwrites_or_follows_a_link_and_is_checked_before_sending() {
    let home = tempfile::tempdir().unwrap();
    let (emu, common) = signed_in_emulator(home.path()).await;
    let dir = home.path().join("cal");
    std::fs::create_dir(&dir).unwrap();
    let mine = dir.join("mine.ics");
    std::fs::write(&mine, "precious").unwrap();
    let link = dir.join("link.ics");
    std::os::unix::fs::symlink(&mine, &link).unwrap();
    let dangling = dir.join("dangling.ics");
    let nowhere = dir.join("made-through-the-link.ics");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    let p = |p: &Path| p.to_str().unwrap().to_string();
    let missing = p(&dir.join("no/such/dir/m.ics"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![p(&mine)], "already exists; pass --force"),
        (vec![p(&link)], "is a symbolic link"),
        (vec![p(&link), "--force".into()], "is a symbolic link"),
        (vec![p(&dangling)], "is a symbolic link"),
        (vec![p(&dangling), "--force".into()], "is a symbolic link"),
        (vec![missing], "does not exist"),
    ];
    for (ics, expected) in &cases {
        let mut args: Vec<&str> = common.iter().map(String::as_str).collect();
        args.extend(["create", "-s", "x", "--ics"]);
        args.extend(ics.iter().map(String::as_str));
        let out = run(tmeet(home.path(), &args)).await;
        let err = text(&out.stderr);
        // Refused before sending, like any other input: a usage error.
        assert_eq!(out.status.code(), Some(2), "{ics:?}: {err}");
        assert!(
            err.starts_with("tmeet: --ics: ") && err.contains(expected),
            "{ics:?}: {err}"
        );
    }
    assert_eq!(emu.graph_request_count(), 0, "nothing was sent");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "precious");
    assert!(!nowhere.exists());

    // --force replaces a regular file.
    let mut args: Vec<&str> = common.iter().map(String::as_str).collect();
    let mine_arg = p(&mine);
    args.extend(["create", "-s", "Forced", "--ics", &mine_arg, "--force"]);
    let out = run(tmeet(home.path(), &args)).await;
    assert!(out.status.success(), "{out:?}");
    let cal = std::fs::read_to_string(&mine).unwrap();
    assert!(cal.contains("SUMMARY:Forced\r\n"), "{cal}");
    assert_eq!(emu.meeting_count(), 1);

    let out = run(tmeet(home.path(), &["create", "-s", "x", "--force"])).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "--force means nothing without --ics"
    );
}

/// The path was fine when checked but not when the meeting came back (here a file appears
/// there while the request waits out a 429): the meeting exists, so exit 0 with a warning
/// that names it, and the file that appeared is left alone.
#[test]
fn an_ics_write_that_fails_after_the_create_is_a_warning_not_a_failure() {
    use std::io::BufRead;
    let home = tempfile::tempdir().unwrap();
    let ics = home.path().join("late.ics");
    let mut cmd = tmeet(
        home.path(),
        &[
            "--demo",
            "create",
            "-s",
            "Late",
            "--ics",
            ics.to_str().unwrap(),
        ],
    );
    cmd.env("TMEET_EMULATOR_FAULTS", "429:2")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("retrying in 2 s") {
        line.clear();
        assert_ne!(
            stderr.read_line(&mut line).unwrap(),
            0,
            "no retry announced"
        );
    }
    std::fs::write(&ics, "someone else's").unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{rest}");
    assert!(text(&out.stdout).contains("Join URL:"), "{out:?}");
    let warning = rest
        .lines()
        .find(|l| l.contains("warning"))
        .unwrap_or_default();
    assert!(
        warning.contains("the meeting https://teams.microsoft.com/l/meetup-join/")
            && warning.contains("was created, but the calendar file")
            && warning.contains("already exists"),
        "{rest}"
    );
    assert_eq!(std::fs::read_to_string(&ics).unwrap(), "someone else's");
}

/// What is sent is what was shown: invisible and bidi characters never reach the service,
/// and `passcode = true` in config.toml means the same here as in the form.
#[tokio::test]
async fn the_subject_is_sent_as_shown_and_config_passcode_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    let json = |out: &Output| -> serde_json::Value {
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let out = run(tmeet(
        home.path(),
        &[
            "--demo",
            "create",
            "-s",
            "\u{202E}Bud\u{200B}get\u{FEFF} review\u{2066}",
            "--json",
        ],
    ))
    .await;
    assert_eq!(json(&out)["subject"], "Budget review");

    let config = home.path().join("config/tmeet/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "passcode = true\n").unwrap();
    let required = |v: serde_json::Value| v["joinMeetingIdSettings"]["isPasscodeRequired"].clone();
    let create = |extra: &'static [&'static str]| {
        let args = [&["--demo", "create", "-s", "x", "--json"][..], extra].concat();
        run(tmeet(home.path(), &args))
    };
    assert_eq!(
        required(json(&create(&[]).await)),
        true,
        "config.toml says so"
    );
    assert_eq!(required(json(&create(&["--no-passcode"]).await)), false);
    assert_eq!(
        required(json(&create(&["--no-passcode", "--passcode"]).await)),
        true,
        "the last flag wins"
    );
}

/// `tmeet --demo create` with these arguments: (exit code, stdout, stderr).
async fn demo_create(args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let all = [&["--demo", "create", "-s", "Times"][..], args].concat();
    let out = run(tmeet(home.path(), &all)).await;
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// A refusal: exit 2 and one short line on stderr containing `expected`.
async fn assert_refused(args: &[&str], expected: &str) {
    let (code, _, err) = demo_create(args).await;
    assert_eq!(code, Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.contains(expected), "{args:?}: {err}");
}

#[tokio::test]
async fn a_start_in_the_past_needs_allow_past() {
    assert_refused(&["--start", "2020-01-01 10:00"], "--allow-past").await;
    let (code, out, err) = demo_create(&["--start", "2020-01-01 10:00", "--allow-past"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Start:      Wed 1 Jan 2020 10:00 CET"),
        "{out}"
    );
}

#[tokio::test]
async fn an_end_time_before_the_start_is_refused_unless_a_date_says_otherwise() {
    assert_refused(&["--start", "14:00", "--end", "13:00"], "before the start").await;
    let (code, out, err) =
        demo_create(&["--start", "2037-12-01 23:00", "--end", "2037-12-02 01:00"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("(2 h)"), "{out}");

    // Named days count from the clock (in the tests' zone), never from a bare time already
    // past today: `tomorrow 23:00` to the next day's weekday at 01:00 is two hours at any
    // hour. A run that crosses midnight reads other days, so it is done again.
    let today = || {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Berlin)
            .date_naive()
    };
    loop {
        let before = today();
        let end = format!("{} 01:00", (before + chrono::Days::new(2)).format("%a"));
        let args = ["--start", "tomorrow 23:00", "--end", end.as_str()];
        let (code, out, err) = demo_create(&args).await;
        if today() != before {
            continue;
        }
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(out.contains("(2 h)"), "{args:?}: {out}");
        break;
    }
}

#[tokio::test]
async fn lengths_and_years_are_checked_before_sending() {
    let (code, _, err) = demo_create(&["--start", "9998-12-31 23:00"]).await;
    assert_eq!(code, Some(0), "the last year accepted: {err}");
    assert_refused(
        &["--start", "9998-12-31 23:00", "--duration", "2h"],
        "the year must be",
    )
    .await;
    assert_refused(
        &["--start", "9999-12-31 23:00"],
        "--start: the year must be from 1900 to 9998",
    )
    .await;
    assert_refused(
        &["--duration", "1e1h"],
        "--duration: '1e1h' is not a duration",
    )
    .await;
    assert_refused(&["--end", "-30m"], "--end: a length cannot be negative").await;
    assert_refused(
        &["--duration", "-30m"],
        "--duration: a length cannot be negative",
    )
    .await;
}

#[tokio::test]
async fn a_huge_start_is_refused_in_a_short_line() {
    let huge = "2026-12-01 14:00 ".repeat(1200);
    let (code, _, err) = demo_create(&["--start", &huge]).await;
    assert_eq!(code, Some(2), "{}", &err[..err.len().min(200)]);
    assert!(
        err.trim_end().chars().count() <= 80,
        "{}",
        &err[..err.len().min(200)]
    );
    assert!(err.contains("longer than 100 characters"), "{err}");
}

/// `tmeet --demo create -s Links` with stdout a pipe and these variables set.
async fn create_with_env(vars: &[(&str, &str)], extra: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let args = [&["--demo", "create", "-s", "Links"][..], extra].concat();
    let mut cmd = tmeet(home.path(), &args);
    cmd.envs(vars.iter().copied());
    let out = run(cmd).await;
    assert!(out.status.success(), "{vars:?}: {out:?}");
    text(&out.stdout)
}

/// Issue 14: the join link is an OSC 8 link when hyperlinks are on (config, variable, or a
/// known terminal with CLICOLOR_FORCE standing in for a terminal), never otherwise.
#[tokio::test]
async fn the_join_link_is_a_hyperlink_only_when_they_are_on() {
    let join_line = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("Join URL:"))
            .unwrap()
            .to_string()
    };
    let out = create_with_env(&[("TMEET_HYPERLINKS", "on")], &[]).await;
    let line = join_line(&out);
    let url = line
        .split("\x1b\\")
        .nth(1)
        .and_then(|rest| rest.split('\x1b').next())
        .unwrap_or_else(|| panic!("no OSC 8 around the join link: {line:?}"));
    assert!(url.starts_with("https://teams.microsoft.com/"), "{line:?}");
    assert!(
        line.contains(&format!(";{url}\x1b\\{url}\x1b]8;;\x1b\\")),
        "the link's target is the link shown: {line:?}"
    );
    assert!(line.contains("\x1b]8;id=tmeet-"), "with an id: {line:?}");
    // The meeting-options and dial-in links of the invitation too.
    assert!(
        out.contains(";https://teams.microsoft.com/meetingOptions/"),
        "{out}"
    );
    assert!(
        out.contains(";https://dialin.teams.microsoft.com/"),
        "{out}"
    );

    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("config.toml");
    std::fs::write(&file, "hyperlinks = true\n").unwrap();
    let from_config = create_with_env(&[("TMEET_CONFIG", file.to_str().unwrap())], &[]).await;
    assert!(join_line(&from_config).contains("\x1b]8;id="));

    let kitty = ("KITTY_WINDOW_ID", "1");
    let force = ("CLICOLOR_FORCE", "1");
    let on_a_pipe_of_a_linking_terminal = create_with_env(&[kitty, force], &[]).await;
    assert!(join_line(&on_a_pipe_of_a_linking_terminal).contains("\x1b]8;id="));
    for vars in [
        &[][..],
        &[kitty],                           // not a terminal
        &[kitty, force, ("NO_COLOR", "1")], // NO_COLOR wins over CLICOLOR_FORCE
        &[force],                           // no terminal known to draw links
        &[("TMEET_HYPERLINKS", "off"), kitty, force],
    ] {
        let out = create_with_env(vars, &[]).await;
        assert!(
            !out.contains('\x1b'),
            "{vars:?}: no escapes at all: {out:?}"
        );
    }
    std::fs::write(&file, "hyperlinks = false\n").unwrap();
    let off = create_with_env(
        &[("TMEET_CONFIG", file.to_str().unwrap()), kitty, force],
        &[],
    )
    .await;
    assert!(!off.contains("\x1b]8;"), "{off:?}");
}

/// CLICOLOR_FORCE gives the QR code its colours in a pipe too, unless NO_COLOR is set.
#[tokio::test]
async fn clicolor_force_colours_the_qr_code_in_a_pipe_unless_no_color() {
    const SGR: &str = "\x1b[30;47m";
    let plain = create_with_env(&[], &["--qr"]).await;
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let forced = create_with_env(&[("CLICOLOR_FORCE", "1")], &["--qr"]).await;
    assert!(forced.contains(SGR), "{forced:?}");
    let zero = create_with_env(&[("CLICOLOR_FORCE", "0")], &["--qr"]).await;
    assert!(!zero.contains('\x1b'));
    let both = create_with_env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &["--qr"]).await;
    assert!(!both.contains('\x1b'), "NO_COLOR wins: {both:?}");
}
