//! What the command line and the form say is what is true: named days in End, free/busy
//! where someone is unknown, configuration that cannot be read, a time zone that does not
//! exist, one flag style, the QR code under NO_COLOR, and messages that name the real
//! problem. Each runs the real binary against its embedded emulator (`--demo`).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{Pty, base_env, command, form_ready, run, text};
use serde_json::Value;

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";

async fn tmeet(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(home.path(), args);
    cmd.envs(vars.iter().copied());
    let out = run(cmd).await;
    drop(home);
    out
}

#[tokio::test]
async fn tomorrow_in_end_means_tomorrow_as_in_start() {
    let out = tmeet(
        &[
            "--demo",
            "create",
            "-s",
            "Planning",
            "--start",
            "tomorrow 10:00",
            "--end",
            "tomorrow 11:00",
            "--json",
        ],
        &[],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = |k: &str| chrono::DateTime::parse_from_rfc3339(j[k].as_str().unwrap()).unwrap();
    assert_eq!(
        at("endDateTime") - at("startDateTime"),
        chrono::Duration::hours(1),
        "{j}"
    );

    let out = tmeet(
        &[
            "--demo",
            "create",
            "-s",
            "Planning",
            "--start",
            "tomorrow 10:00",
            "--end",
            "tomorrow 09:00",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("--end: the meeting would end"), "{err}");
    assert!(err.contains("before it starts"), "{err}");
}

/// Someone the directory does not know is unknown all day: no slot is free for all.
#[tokio::test]
async fn all_free_is_never_free_where_someone_is_unknown() {
    let args = [
        "--demo",
        "free",
        "--attendee",
        MEGAN,
        "--attendee",
        "nobody@else.example",
        "--date",
        "tomorrow",
    ];
    let out = tmeet(&[&args[..], &["--json"]].concat(), &[]).await;
    assert!(out.status.success(), "{out:?}");
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = j["allFree"].as_str().unwrap();
    assert!(!all.is_empty() && !all.contains('0'), "{all}");
    // Where everyone known is free, the unknown person alone decides: unknown, never
    // free. (Which cells those are follows the emulator's day, which follows the clock.)
    let known: Vec<&str> = j["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["error"].is_null())
        .map(|p| p["availabilityView"].as_str().unwrap())
        .collect();
    let all_known_free = |i: usize| known.iter().all(|v| v.as_bytes()[i] == b'0');
    for (i, a) in all.chars().enumerate() {
        assert_eq!(a == '?', all_known_free(i), "cell {i}: {known:?} / {all}");
    }

    // The same day in text, even when midnight passed in between.
    let day = &j["schedules"][0]["localStart"].as_str().unwrap()[..10];
    let mut text_args = args.to_vec();
    *text_args.last_mut().unwrap() = day;
    let out = tmeet(&text_args, &[]).await;
    let s = text(&out.stdout);
    let row = s.lines().find(|l| l.starts_with("all free")).unwrap();
    // Working hours only: on a colleague's away day no cell there is unknown, all busy.
    assert!(!row.contains('·'), "{s}");
}

#[tokio::test]
async fn a_since_after_until_is_a_usage_error_naming_both() {
    let out = tmeet(
        &[
            "list",
            "--since",
            "2026-12-05 09:00",
            "--until",
            "2026-12-01 09:00",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("--since 2026-12-05 09:00 is not before --until 2026-12-01 09:00"),
        "{err}"
    );
}

/// A variable tmeet cannot read is a configuration error (2) naming it and its values.
#[tokio::test]
async fn unreadable_variables_are_configuration_errors() {
    for (var, value, names) in [
        ("TMEET_HYPERLINKS", "bogus", "on, off or auto"),
        ("TMEET_EMULATOR_POLICY", "bogus", "keys: lobby"),
        ("TMEET_EMULATOR_POLICY", "lobby=anyone", "must be one of"),
        ("TMEET_EMULATOR_FAULTS", "sometimes", "known:"),
    ] {
        let out = tmeet(&["--demo", "create", "-s", "x"], &[(var, value)]).await;
        assert_eq!(out.status.code(), Some(2), "{var}={value}: {out:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with(&format!("tmeet: {var}")), "{err}");
        assert!(err.contains(names), "{var}={value}: {err}");
        assert!(out.stdout.is_empty(), "nothing created: {out:?}");
    }
    let out = tmeet(&["emulator", "--policy", "bogus"], &[]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr).contains("TMEET_EMULATOR_POLICY"),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_tz_that_names_no_zone_is_said_once_and_doctor_names_it() {
    let tz = [("TZ", "Nowhere/Zone")];
    let out = tmeet(&["--demo", "create", "-s", "x"], &tz).await;
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert_eq!(err.matches("TZ=Nowhere/Zone").count(), 1, "{err}");
    assert!(err.contains("is not a time zone tmeet knows"), "{err}");

    let out = tmeet(&["--demo", "doctor", "--json"], &tz).await;
    let checks: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let zone = checks
        .iter()
        .find(|c| c["check"] == "time zone")
        .unwrap_or_else(|| panic!("{checks:?}"));
    assert_eq!(zone["ok"], false, "{zone}");
    assert!(
        zone["detail"].as_str().unwrap().contains("TZ=Nowhere/Zone"),
        "{zone}"
    );

    let out = tmeet(&["--demo", "doctor", "--json"], &[("TZ", "Asia/Tokyo")]).await;
    let checks: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let zone = checks.iter().find(|c| c["check"] == "time zone").unwrap();
    assert_eq!(zone["detail"], "Asia/Tokyo (from TZ)");
}

/// `--e2ee on` works as `--recording off` does.
#[tokio::test]
async fn every_on_off_option_takes_a_value_after_a_space() {
    let out = tmeet(
        &[
            "--demo",
            "create",
            "-s",
            "x",
            "--e2ee",
            "on",
            "--recording",
            "off",
            "--transcription",
            "--json",
        ],
        &[],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["isEndToEndEncryptionEnabled"], true, "{j}");
    assert_eq!(j["allowRecording"], false, "{j}");
    assert_eq!(j["allowTranscription"], true, "{j}");
}

#[tokio::test]
async fn messages_name_the_real_problem() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    for (args, says, not) in [
        (
            vec!["--duration", "25h"],
            "--duration: '25h' is longer than the 24 hours",
            "not a duration",
        ),
        (
            vec!["--end", "0m"],
            "--end: '0m' is a length of zero",
            "time of day",
        ),
        (vec!["--ics", dir_arg], "is a directory", "--force"),
        (
            vec!["--calendar", "--attendee", "ada@contoso.com:boss"],
            "'boss' is not required or optional",
            "presenter",
        ),
    ] {
        let out = tmeet(&[&["--demo", "create", "-s", "x"][..], &args].concat(), &[]).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains(not), "{args:?}: {err}");
    }
}

/// Every cell of the code in `raw` (the bytes a terminal got) is black on white, and so is
/// a quiet zone around it.
fn assert_qr_black_on_white(raw: &[u8], rows: u16, cols: u16) {
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
    );
    parser.process(raw);
    let screen = parser.screen();
    let (mut ink, mut light) = (0, 0);
    for r in 0..rows {
        for c in 0..cols {
            let Some(cell) = screen.cell(r, c) else {
                continue;
            };
            let black_on_white =
                cell.fgcolor() == vt100::Color::Idx(16) && cell.bgcolor() == vt100::Color::Idx(231);
            match cell.contents() {
                "▀" | "▄" | "█" => {
                    assert!(black_on_white, "a module at {r},{c} is {cell:?}");
                    ink += 1;
                }
                " " | "" if black_on_white => light += 1,
                _ => {}
            }
        }
    }
    assert!(ink > 300, "a whole code: {ink} cells");
    // Four modules on each side are two rows above and below and four columns beside.
    assert!(light > 4 * 40, "a light quiet zone: {light} cells");
}

/// README: with NO_COLOR the QR code keeps black on white, or it would not scan.
#[test]
fn under_no_color_the_forms_qr_code_is_black_on_white_with_its_quiet_zone() {
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push(("NO_COLOR".into(), "1".into()));
    let mut pty = Pty::spawn(&["--demo"], &env, 100, 40);
    pty.wait_for("the form", form_ready);
    pty.send("QR");
    pty.send("\x13");
    pty.wait_for("the result", |s| s.contains("Meeting created"));
    let before = pty.raw_len();
    pty.send("r");
    pty.wait_for("the QR code", |s| s.contains("Scan the code"));
    assert!(pty.raw().len() > before);
    assert_qr_black_on_white(&pty.raw(), 40, 100);
    pty.send("q");
    pty.send("q");
    assert!(pty.wait_exit().success());
}

#[test]
fn under_no_color_create_qr_on_a_terminal_is_black_on_white_with_its_quiet_zone() {
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push(("NO_COLOR".into(), "1".into()));
    let mut pty = Pty::spawn(&["--demo", "create", "-s", "QR", "--qr"], &env, 100, 60);
    assert!(pty.wait_exit().success());
    assert_qr_black_on_white(&pty.raw(), 60, 100);
}
