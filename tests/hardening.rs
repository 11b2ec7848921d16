//! Hardening: the real binary against hostile server text, a burst of resizes, every fault
//! the service can throw in one sitting, and a search for leaked secrets afterwards.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tmeet_emulator::{DEMO_USER_ID, Emulator, EmulatorOptions, HOSTILE_TEXT};

/// What must never come from the server to the terminal: OSC (title, clipboard), clear
/// screen, BEL, the 8-bit CSI U+009B and the bidi override/pop U+202E/U+202C, as bytes.
const FORBIDDEN: &[(&str, &[u8])] = &[
    ("OSC", b"\x1b]"),
    ("clear screen", b"\x1b[2J"),
    ("BEL", b"\x07"),
    ("C1 CSI U+009B", "\u{9b}".as_bytes()),
    ("RTL override U+202E", "\u{202e}".as_bytes()),
    ("bidi pop U+202C", "\u{202c}".as_bytes()),
];

fn assert_harmless(place: &str, bytes: &[u8]) {
    for (name, seq) in FORBIDDEN {
        if let Some(i) = find_bytes(bytes, seq) {
            let from = i.saturating_sub(40);
            let around = String::from_utf8_lossy(&bytes[from..(i + 40).min(bytes.len())]);
            panic!("{name} from the server reached {place}: …{around:?}…");
        }
    }
}

/// The Subject row of the form still holds what was typed.
fn subject_kept(screen: &str, subject: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start_matches(['›', ' ']).starts_with("Subject") && l.contains(subject))
}

#[test]
fn hostile_server_text_is_shown_harmlessly_in_the_tui() {
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push((
        "TMEET_EMULATOR_FAULTS".into(),
        "hostile-error,hostile".into(),
    ));
    let mut t = Pty::spawn(&["--demo"], &env, 110, 40);
    t.wait_for("the form", form_ready);
    // Everything before this (terminal setup) is tmeet's own; from here on the screen only
    // changes by diffs, so any forbidden sequence would have come from server text.
    let from = t.raw_len();
    t.send("Board sync");
    t.send("\x13");
    let s = t.wait_for("the hostile error", |s| s.contains("HTTP 400"));
    assert!(
        s.contains("PWNED-TITLE") && s.contains("CSI-RED"),
        "the error text arrived (its escapes removed):\n{s}"
    );
    assert!(subject_kept(&s, "Board sync"), "{s}");
    t.send("\x13");
    let s = t.wait_for("the hostile meeting", |s| s.contains("Meeting created"));
    let subject_row = s.lines().find(|l| l.starts_with("Subject")).unwrap();
    assert!(
        subject_row.contains("Board sync]0;PWNED-TITLE[2J]52;c;cHduZWQ=31mCSI-REDDESREVER"),
        "{subject_row}"
    );
    // The invitation's hostile lines, raw and as HTML entities, are on screen too.
    assert!(s.contains("Hostile: ]0;PWNED-TITLE"), "{s}");
    assert!(s.contains("PWNED-ENTITY"), "{s}");
    let raw = t.raw();
    assert_harmless("the terminal", &raw[from..]);

    // Copying goes out as tmeet's own OSC 52; what it carries is as clean as the screen.
    let before_copy = raw.len();
    t.send("y");
    t.wait_for("the first copy", |s| s.contains("Copied the join link"));
    t.send("c");
    t.wait_for("the second copy", |s| s.contains("Copied the invitation"));
    let raw = t.raw();
    let (copies, rest) = split_osc52(&raw[before_copy..]);
    assert_eq!(copies.len(), 2, "only tmeet's two copies: {copies:?}");
    assert_harmless("the terminal", &rest);
    let invitation = &copies[1];
    assert!(
        invitation.contains("Hostile: ]0;PWNED-TITLE"),
        "{invitation}"
    );
    assert!(
        !invitation
            .chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "the copied invitation is clean: {invitation:?}"
    );
    t.send("q");
    assert!(t.wait_exit().success());
}

/// The decoded payloads of `ESC ] 52 ; c ; <base64> BEL`, and the bytes around them.
fn split_osc52(bytes: &[u8]) -> (Vec<String>, Vec<u8>) {
    use base64::Engine;
    const START: &[u8] = b"\x1b]52;c;";
    let mut copies = Vec::new();
    let mut rest = Vec::new();
    let mut tail = bytes;
    while let Some(i) = find_bytes(tail, START) {
        rest.extend_from_slice(&tail[..i]);
        let body = &tail[i + START.len()..];
        let end = body
            .iter()
            .position(|&b| b == 0x07)
            .expect("OSC 52 ends with BEL");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&body[..end])
            .expect("OSC 52 carries base64");
        copies.push(String::from_utf8(decoded).unwrap());
        tail = &body[end + 1..];
    }
    rest.extend_from_slice(tail);
    (copies, rest)
}

fn create(home: &std::path::Path, faults: &str, extra: &[&str]) -> std::process::Output {
    Command::new(tmeet_bin())
        .args(["create", "--demo", "--subject", "Board sync"])
        .args(extra)
        .env_clear()
        .envs(base_env(home))
        .env("TMEET_EMULATOR_FAULTS", faults)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn hostile_server_text_is_shown_harmlessly_by_create() {
    let home = tempfile::tempdir().unwrap();
    let out = create(home.path(), "hostile", &[]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for label in ["Subject:", "Organizer:"] {
        let line = stdout.lines().find(|l| l.starts_with(label)).unwrap();
        assert!(line.contains("]0;PWNED-TITLE[2J"), "{line}");
    }
    assert!(stdout.contains("Hostile: ]0;PWNED-TITLE"), "{stdout}");
    assert_harmless("create's stdout", &out.stdout);
    assert_harmless("create's stderr", &out.stderr);
    assert!(!out.stdout.contains(&0x1b), "no ESC at all");

    // --json: every byte harmless, and still exactly the value the service sent.
    let out = create(home.path(), "hostile", &["--json"]);
    assert!(out.status.success(), "{out:?}");
    assert_harmless("create --json's stdout", &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["subject"], format!("Board sync{HOSTILE_TEXT}"));
    let name = &v["participants"]["organizer"]["identity"]["user"]["displayName"];
    assert_eq!(name, &format!("Mallory{HOSTILE_TEXT}"));

    let out = create(home.path(), "hostile-error", &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("tmeet: HTTP 400") && stderr.contains("PWNED-TITLE"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert_harmless("create's stderr", &out.stderr);
    assert!(out.stdout.is_empty());
}

/// Hyperlinks forced on, against links that must not become any: the join link with an
/// OSC 8 of its own inside, a plain-http dial-in page, invitation links with other
/// schemes, a password or control characters. `create` links none of them and prints each
/// without its escapes.
#[test]
fn hostile_links_never_become_hyperlinks_in_create() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(tmeet_bin())
        .args(["create", "--demo", "--subject", "Board sync"])
        .env_clear()
        .envs(base_env(home.path()))
        .env("TMEET_EMULATOR_FAULTS", "hostile-links")
        .env("TMEET_HYPERLINKS", "on")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_harmless("create's stdout", &out.stdout);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let join = stdout.lines().find(|l| l.starts_with("Join URL:")).unwrap();
    assert!(
        join.contains("https://teams.microsoft.com/l/meetup-join/]8;;https://evil.example/19"),
        "{join}"
    );
    assert!(
        stdout.contains("http://dialin.teams.microsoft.com/hostile"),
        "{stdout}"
    );
    assert!(stdout.contains("javascript:alert(1)//https://"), "{stdout}");
}

/// The whole frame laid out for exactly `rows` rows: banner on top, footer at the bottom,
/// one copy of every field (nothing left over from an earlier size), the subject kept.
fn form_laid_out(screen: &str, rows: usize, subject: &str) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    lines.len() == rows
        && lines[0].starts_with(" DEMO ")
        && lines[rows - 1].contains("Ctrl+")
        && ["Subject", "Start", "End", "Passcode", "Create meeting"]
            .iter()
            .all(|w| lines.iter().filter(|l| l.contains(w)).count() == 1)
        && subject_kept(screen, subject)
}

#[test]
fn a_burst_of_resizes_leaves_a_correct_screen() {
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push(("TMEET_EMULATOR_FAULTS".into(), "hang".into()));
    let mut t = Pty::spawn(&["--demo"], &env, 80, 24);
    t.wait_for("the form", form_ready);
    let subject = "Resize storm";
    t.send(subject);
    t.wait_for("the subject", |s| subject_kept(s, subject));
    let sizes = [
        (1, 1),
        (300, 100),
        (2, 2),
        (40, 12),
        (7, 3),
        (120, 5),
        (13, 60),
        (1, 80),
        (200, 1),
        (79, 23),
    ];
    // No waiting between resizes: tmeet sees them faster than it can draw.
    for round in 0..3 {
        for &(c, r) in &sizes {
            t.resize(c + round, r);
        }
    }
    t.resize(90, 28);
    let s = t.wait_for("the form laid out for 90x28", |s| {
        form_laid_out(s, 28, subject)
    });
    assert!(s.lines().last().unwrap().contains("Ctrl+S create"), "{s}");
    assert!(t.is_running());

    // Again while a request is in flight: the spinner keeps redrawing meanwhile.
    t.send("\x13");
    t.wait_for("the spinner", |s| s.contains("Creating the meeting"));
    for &(c, r) in sizes.iter().rev() {
        t.resize(c, r);
    }
    t.resize(100, 30);
    t.wait_for("the spinner laid out for 100x30", |s| {
        form_laid_out(s, 30, subject) && s.contains("Creating the meeting")
    });
    t.send("\x1b");
    t.wait_for("the cancel at 100x30", |s| {
        form_laid_out(s, 30, subject) && s.contains("Cancelled")
    });
    t.send("\x03");
    assert_eq!(t.wait_exit().exit_code(), 130, "Ctrl+C exits 130");
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(raw.contains("\x1b[?1049l"), "alternate screen left");
}

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// The access and refresh token in the token file now.
fn stored_tokens(home: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(token_file(home)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for entry in v["entries"].as_object().unwrap().values() {
        for key in ["access_token", "refresh_token"] {
            out.push(entry[key].as_str().unwrap().to_string());
        }
    }
    assert!(!out.is_empty());
    out
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn one_session_through_every_fault_keeps_the_form_and_leaks_no_token() {
    let mut emu = EmulatorProcess::start(&[]);
    // tmeet reaches it through a gate, so that "the service goes away" below is a port that
    // refuses and stays held, not a released one another test's emulator could be given.
    let mut gate = common::Gate::open_to(emu.addr());
    let (graph_url, login_url) = (gate.graph_url(), gate.url());
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("logs/tmeet.log");
    let mut env = base_env(home.path());
    env.push(("TMEET_LOG".into(), "trace".into()));
    env.push(("TMEET_LOG_FILE".into(), log.display().to_string()));
    let endpoints = [
        "--graph-url",
        &graph_url,
        "--login-url",
        &login_url,
        "--client-id",
        CLIENT_ID,
    ];

    // Sign in the way a person does: tmeet login, then approve in "the browser".
    let mut login = Command::new(tmeet_bin())
        .args(endpoints)
        .arg("login")
        .env_clear()
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut login_out = std::io::BufReader::new(login.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.contains("Waiting for the sign-in") {
        let n = std::io::BufRead::read_line(&mut login_out, &mut printed).unwrap();
        assert!(n > 0, "login ended early:\n{printed}");
    }
    emu.post("/_emulator/devicecode/approve", "");
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut login_out, &mut rest).unwrap();
    let out = login.wait_with_output().unwrap();
    assert!(out.status.success(), "{printed}{out:?}");
    let mut login_bytes = printed.into_bytes();
    login_bytes.extend_from_slice(&rest);
    login_bytes.extend_from_slice(&out.stderr);
    let mut secrets = stored_tokens(home.path());
    #[cfg(unix)]
    {
        assert_eq!(mode(&token_file(home.path())), 0o600);
        assert_eq!(mode(token_file(home.path()).parent().unwrap()), 0o700);
    }

    let mut t = Pty::spawn(&endpoints, &env, 100, 32);
    let s = t.wait_for("the form, signed in from the token file", form_ready);
    assert!(!s.contains("DEMO"), "a real (non-demo) run:\n{s}");
    let subject = "Hardening run";
    t.send(subject);
    t.wait_for("the subject", |s| subject_kept(s, subject));

    // 503 until the retry budget is spent: the error and its status, the form intact.
    emu.push_faults("503:1*4");
    t.send("\x13");
    let s = t.wait_for("the 503 error", |s| s.contains("kept refusing"));
    assert!(s.contains("HTTP 503 serviceNotAvailable"), "{s}");
    assert!(subject_kept(&s, subject), "{s}");

    // A hang, cancelled with Esc.
    emu.push_faults("hang");
    t.send("\x13");
    t.wait_for("the spinner", |s| s.contains("Creating the meeting"));
    t.send("\x1b");
    let s = t.wait_for("the cancel", |s| s.contains("Cancelled"));
    assert!(subject_kept(&s, subject), "{s}");

    // The answer is lost after the meeting was made: say so, and do not retry. (The
    // cancelled create may exist too, so the same form asks first: yes.)
    emu.push_faults("drop");
    t.send("\x13");
    t.wait_for("the question", |s| s.contains("Create another? y/N"));
    t.send("y");
    let s = t.wait_for("the unknown outcome", |s| {
        s.contains("MAY have been created")
    });
    assert!(subject_kept(&s, subject), "{s}");
    assert_eq!(emu.meetings(), 1, "exactly one meeting, no blind retry");

    // The access token is refused mid-run: one refresh, and the create goes through.
    emu.push_faults("401");
    t.send("\x13");
    t.wait_for("the question again", |s| s.contains("Create another? y/N"));
    t.send("y");
    let s = t.wait_for("the result after a refresh", |s| {
        s.contains("Meeting created")
    });
    assert!(s.contains(subject), "{s}");
    assert_eq!(emu.meetings(), 2);
    let stats = emu.get("/_emulator/stats");
    let grants = stats["token_requests"].as_array().unwrap();
    assert_eq!(grants.last().unwrap(), "refresh_token", "{stats}");
    secrets.extend(stored_tokens(home.path()));
    t.send("n");
    let s = t.wait_for("the form again", form_ready);
    assert!(subject_kept(&s, subject), "{s}");

    // Throttled: the countdown is shown and Retry-After is waited out in full.
    emu.push_faults("429:2");
    let submitted = Instant::now();
    t.send("\x13");
    t.wait_for("the result after the throttle", |s| {
        s.contains("Meeting created")
    });
    assert!(
        submitted.elapsed() >= Duration::from_secs(2),
        "created {:?} after a Retry-After of 2 s",
        submitted.elapsed()
    );
    assert!(
        t.saw(|s| s.contains("HTTP 429: service busy, retry 1 in")),
        "the countdown was shown"
    );
    assert_eq!(emu.meetings(), 3);
    t.send("n");
    let s = t.wait_for("the form again", form_ready);
    assert!(subject_kept(&s, subject), "{s}");

    // The service goes away entirely.
    secrets.extend(emu.issued_tokens());
    let emulator_output = emu.output();
    gate.close();
    emu.kill();
    t.send("\x13");
    let s = t.wait_for("the connection error", |s| {
        s.contains("Could not reach Microsoft Graph")
    });
    assert!(s.contains("What to do: check the network"), "{s}");
    assert!(subject_kept(&s, subject), "{s}");

    t.send("\x03");
    assert_eq!(t.wait_exit().exit_code(), 130, "Ctrl+C exits 130");

    // No token anywhere a person or a log collector could see it.
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() >= 4,
        "tokens from login and refresh: {secrets:?}"
    );
    let logged = std::fs::read(&log).unwrap();
    assert!(
        find_bytes(&logged, b"graph request").is_some(),
        "the trace log was written"
    );
    assert_no_secret("the log file", &logged, &secrets);
    assert_no_secret("the screen bytes", &t.raw(), &secrets);
    assert_no_secret("login's output", &login_bytes, &secrets);
    assert_no_secret("the emulator's output", &emulator_output, &secrets);
    #[cfg(unix)]
    {
        assert_eq!(
            mode(&token_file(home.path())),
            0o600,
            "still 0600 after refresh"
        );
        assert_eq!(mode(&log), 0o600);
    }
}

#[test]
fn an_app_only_session_leaks_neither_the_client_secret_nor_tokens() {
    const SECRET: &str = "hardening-client-secret-Qx7v2Lw9";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt
        .block_on(Emulator::start(EmulatorOptions::default()))
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("tmeet.log");
    let mut env = base_env(home.path());
    for (k, v) in [
        ("TMEET_LOG", "trace".to_string()),
        ("TMEET_LOG_FILE", log.display().to_string()),
        ("TMEET_CLIENT_SECRET", SECRET.into()),
        ("TMEET_TENANT", "contoso.onmicrosoft.com".into()),
        ("TMEET_USER", DEMO_USER_ID.into()),
        ("TMEET_GRAPH_URL", emu.graph_url().to_string()),
        ("TMEET_LOGIN_URL", emu.login_url().to_string()),
        ("TMEET_CLIENT_ID", CLIENT_ID.into()),
    ] {
        env.push((k.into(), v));
    }

    let mut t = Pty::spawn(&[], &env, 100, 30);
    t.wait_for("the form", form_ready);
    t.send("App-only sync");
    // A 401 makes tmeet fetch a second app token.
    emu.push_fault(tmeet_emulator::Fault::TokenExpired);
    t.send("\x13");
    t.wait_for("the result", |s| s.contains("Meeting created"));
    t.send("q");
    assert!(t.wait_exit().success());

    let out = Command::new(tmeet_bin())
        .args(["create", "--subject", "App-only sync", "--json"])
        .env_clear()
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.meeting_count(), 2);
    let grants = emu.token_requests();
    assert_eq!(
        grants.len(),
        3,
        "two app tokens for the TUI, one for create"
    );
    assert!(
        grants.iter().all(|g| g == "client_credentials"),
        "{grants:?}"
    );

    let mut secrets: Vec<String> = emu
        .issued_tokens()
        .iter()
        .map(|s| s.expose().to_string())
        .collect();
    assert_eq!(secrets.len(), 3);
    secrets.push(SECRET.into());
    let logged = std::fs::read(&log).unwrap();
    assert!(find_bytes(&logged, b"graph request").is_some());
    assert_no_secret("the log file", &logged, &secrets);
    assert_no_secret("the screen bytes", &t.raw(), &secrets);
    assert_no_secret("create's stdout", &out.stdout, &secrets);
    assert_no_secret("create's stderr", &out.stderr, &secrets);
    assert!(
        !token_file(home.path()).exists(),
        "app-only tokens stay in memory"
    );
    drop(emu);
}
