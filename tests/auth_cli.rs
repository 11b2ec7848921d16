//! `tmeet login`, `status` and `logout` as a person runs them, against an emulator in the
//! test process. The state directory is a temporary one and the session bus is pointed
//! nowhere, so the token file (never a real keyring) is used.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tmeet_emulator::{DEMO_USER_ID, DEMO_USER_UPN, Emulator, EmulatorOptions};

use common::CLIENT_ID;
use common::command_for as tmeet;

/// Runs the command off the async threads, so the emulator keeps answering meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_status_logout() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();

    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("sign in with: tmeet login"),
        "{out:?}"
    );

    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("/devicelogin") && stdout.contains("enter the code"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("Signed in as {DEMO_USER_UPN}")),
        "{stdout}"
    );
    let file = home.path().join("state/tmeet/tokens.json");
    assert!(stdout.contains(&file.display().to_string()), "{stdout}");
    assert!(
        !stdout.contains("Opened"),
        "no display, no browser: {stdout}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }

    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains(DEMO_USER_UPN) && stdout.contains("OnlineMeetings.ReadWrite"));
    assert!(
        stdout.contains("cloud:     global") && stdout.contains("expires"),
        "{stdout}"
    );

    // Nothing printed anywhere carries a token from the file.
    let stored = std::fs::read_to_string(&file).unwrap();
    let v: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let entry = v["entries"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    for key in ["access_token", "refresh_token"] {
        let token = entry[key].as_str().unwrap();
        assert!(!stdout.contains(token) && !text(&out.stderr).contains(token));
    }

    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stdout).starts_with(&format!("Already signed in as {DEMO_USER_UPN}")),
        "{out:?}"
    );

    let out = run(tmeet(&emu, home.path(), &["logout"])).await;
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).contains("\nSigned out."), "{out:?}");
    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_only_login_checks_the_credentials() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let secret = home.path().join("secret");
    std::fs::write(&secret, "a-good-secret\n").unwrap();
    let mut cmd = tmeet(&emu, home.path(), &[]);
    cmd.args([
        "login",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--user",
        DEMO_USER_ID,
    ])
    .arg("--client-secret-file")
    .arg(&secret);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("App-only credentials work"), "{stdout}");
    assert!(
        stdout.contains(&format!("/users/{DEMO_USER_ID}")),
        "{stdout}"
    );
    assert_eq!(emu.token_requests(), vec!["client_credentials"]);

    let mut cmd = tmeet(&emu, home.path(), &[]);
    cmd.args(["login", "--tenant", "contoso.onmicrosoft.com"])
        .env("TMEET_CLIENT_SECRET", tmeet_emulator::BAD_CLIENT_SECRET);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("TMEET_CLIENT_SECRET") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(!stderr.contains(tmeet_emulator::BAD_CLIENT_SECRET));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_a_waiting_login() {
    let emu = Emulator::start(EmulatorOptions {
        device_code_interval_secs: 1,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut child = tmeet(&emu, home.path(), &["login"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let waiting = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.starts_with("Waiting for the sign-in"))
    });
    let waiting = tokio::time::timeout(Duration::from_secs(30), waiting)
        .await
        .expect("the prompt within 30 s")
        .unwrap();
    assert!(waiting);
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let pid = child.id();
    let exited = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
    let out = match tokio::time::timeout(Duration::from_secs(30), exited).await {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("tmeet ignored Ctrl+C");
        }
    };
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert!(text(&out.stderr).contains("cancelled"), "{out:?}");
    assert!(!home.path().join("state/tmeet/tokens.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_login_and_status_need_no_account() {
    let emu = common::approving_emulator().await; // only for the command's environment; --demo ignores it
    let home = tempfile::tempdir().unwrap();
    for command in ["login", "status"] {
        let mut cmd = tmeet(&emu, home.path(), &[]);
        cmd.env_remove("TMEET_CLIENT_ID").args([command, "--demo"]);
        let out = run(cmd).await;
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{command}: {out:?}");
        assert!(stdout.starts_with("DEMO:"), "{stdout}");
        assert!(stdout.contains(DEMO_USER_UPN), "{stdout}");
    }
    assert!(
        emu.token_requests().is_empty(),
        "the demo used its own emulator"
    );
    assert!(
        !home.path().join("state").exists(),
        "the demo wrote nothing"
    );
}

/// In a terminal: the code is put on the clipboard (OSC 52 without a display), and an
/// expired code leads to the offer of a new one.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_code_is_offered_again_in_a_terminal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};

    let emu = Emulator::start(EmulatorOptions {
        device_code_expires_secs: 0,
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tmeet"));
    cmd.arg("login");
    cmd.env_clear();
    let h = home.path();
    for (k, v) in [
        ("HOME", h.to_path_buf()),
        ("XDG_STATE_HOME", h.join("state")),
        ("XDG_CONFIG_HOME", h.join("config")),
    ] {
        cmd.env(k, v);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    cmd.env("TMEET_LOGIN_URL", emu.login_url().as_str());
    cmd.env("TMEET_GRAPH_URL", emu.graph_url().as_str());
    cmd.env("TMEET_CLIENT_ID", CLIENT_ID);
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    // Ends with the child: reading the pty fails once its last writer is gone.
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let seen = |needle: &str| text(&output.lock().unwrap()).matches(needle).count();
    let wait_for = |needle: &str, times: usize| {
        let end = std::time::Instant::now() + Duration::from_secs(30);
        while seen(needle) < times {
            assert!(
                std::time::Instant::now() < end,
                "timed out waiting for {needle:?}; output:\n{}",
                text(&output.lock().unwrap())
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    const OFFER: &str = "Get a new code and try again? [Y/n]";

    tokio::task::block_in_place(|| {
        wait_for(OFFER, 1);
        writer.write_all(b"y\r").unwrap();
        wait_for(OFFER, 2);
        writer.write_all(b"n\r").unwrap();
    });
    let finished = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        reading.join().unwrap();
        status
    });
    let status = tokio::time::timeout(Duration::from_secs(30), finished)
        .await
        .expect("tmeet exits and its output ends within 30 s")
        .unwrap();
    let out = text(&output.lock().unwrap());
    assert_eq!(status.exit_code(), 1, "{out}");
    assert_eq!(
        seen("enter the code"),
        2,
        "a second code was requested: {out}"
    );
    assert!(out.contains("not signed in"), "{out}");
    assert!(
        out.contains("\x1b]52;c;") && out.contains("copied via OSC 52"),
        "{out}"
    );
}
