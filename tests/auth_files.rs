//! Output that cannot be written and files that are not what they seem (issue 9, items 4
//! and 6): a reader that went away, a full disk, a corrupt token file, a log path that is a
//! FIFO or a shared file, a client secret others can read.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use std::path::Path;
use std::process::{Command, Output, Stdio};
use tmeet_emulator::{DEMO_USER_ID, Emulator};

use common::command_for as tmeet;

/// Standard output is a pipe nobody will ever read: `tmeet … | true` once `true` is gone.
fn into_closed_pipe(cmd: &mut Command) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdout(writer).stderr(Stdio::piped());
}

fn into_full_disk(cmd: &mut Command) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    cmd.stdout(full).stderr(Stdio::piped());
}

fn assert_broken_pipe_is_quiet(what: &str, out: &Output) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{what}: {out:?}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what}: {stderr}"
    );
}

fn assert_one_line_failure(what: &str, out: &Output) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {out:?}");
    assert!(
        stderr.starts_with("tmeet: ") && stderr.lines().count() == 1,
        "{what}: {stderr}"
    );
    assert!(stderr.contains("No space left"), "{what}: {stderr}");
}

/// Every command that writes to standard output, with what it needs to get that far.
fn writers(emu: &Emulator, home: &Path) -> Vec<(&'static str, Command)> {
    vec![
        ("--help", common::command(home, &["--help"])),
        ("--version", common::command(home, &["--version"])),
        (
            "--demo status",
            common::command(home, &["--demo", "status"]),
        ),
        ("--demo login", common::command(home, &["--demo", "login"])),
        (
            "--demo logout",
            common::command(home, &["--demo", "logout"]),
        ),
        ("login", tmeet(emu, home, &["login"])),
        ("status", tmeet(emu, home, &["status"])),
        ("logout", tmeet(emu, home, &["logout"])),
        ("emulator", common::command(home, &["emulator"])),
    ]
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_went_away_ends_each_command_quietly_with_141() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");
    for (what, mut cmd) in writers(&emu, home.path()) {
        into_closed_pipe(&mut cmd);
        assert_broken_pipe_is_quiet(what, &run(cmd).await);
    }
    // logout said nothing, so it removed nothing.
    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert!(out.status.success(), "{out:?}");
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_one_line_and_status_1() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");
    for (what, mut cmd) in writers(&emu, home.path()) {
        into_full_disk(&mut cmd);
        assert_one_line_failure(what, &run(cmd).await);
    }
    // logout could not say what it would remove, so it removed nothing.
    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert!(out.status.success(), "{out:?}");

    // And when it can: what it removes, then that it did.
    let out = run(tmeet(&emu, home.path(), &["logout"])).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<_> = stdout.lines().collect();
    assert!(
        lines.len() == 2
            && lines[0].starts_with("Removing the sign-in of ")
            && lines[1].starts_with("Signed out."),
        "{stdout}"
    );
    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_token_file_is_named_before_any_sign_in_and_logout_removes_it() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let file = common::token_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "{\"version\": 1, \"entries\": {\"trunc").unwrap();

    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("tokens.json") && stderr.contains("tmeet logout"),
        "{stderr}"
    );
    assert!(
        !text(&out.stdout).contains("devicelogin"),
        "no code is shown before the store is known to work: {out:?}"
    );
    assert!(
        emu.token_requests().is_empty(),
        "{:?}",
        emu.token_requests()
    );

    let out = run(tmeet(&emu, home.path(), &["logout"])).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains(&file.display().to_string()) && stdout.contains("removing it"),
        "{stdout}"
    );
    assert!(!file.exists());

    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");
}

#[cfg(unix)]
#[test]
fn a_log_file_keeps_its_mode_a_new_one_is_0600_and_a_fifo_is_refused() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let home = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let create = |log: &Path| {
        let out = common::command(home.path(), &["--demo", "create", "--subject", "Logs"])
            .env("TMEET_LOG_FILE", log)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        text(&out.stderr)
    };

    // A log shared with a group on purpose is not tmeet's to tighten.
    let shared = home.path().join("shared.log");
    std::fs::write(&shared, "").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
    create(&shared);
    assert_eq!(mode(&shared), 0o640);
    assert!(
        std::fs::metadata(&shared).unwrap().len() > 0,
        "nothing logged"
    );

    let new = home.path().join("logs/new.log");
    create(&new);
    assert_eq!(mode(&new), 0o600);

    // A FIFO nobody reads would block the open forever; it is refused, and left alone.
    let fifo = home.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::fs::set_permissions(&fifo, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stderr = create(&fifo);
    assert!(
        stderr.contains("not logging") && stderr.contains("not a regular file"),
        "{stderr}"
    );
    let meta = std::fs::metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo());
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_secret_file_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let secret = home.path().join("secret");
    std::fs::write(&secret, "a-good-secret\n").unwrap();
    let login = |mode: u32| {
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(mode)).unwrap();
        let mut cmd = tmeet(&emu, home.path(), &[]);
        cmd.args(["login", "--tenant", "contoso.onmicrosoft.com"])
            .args(["--user", DEMO_USER_ID, "--client-secret-file"])
            .arg(&secret);
        run(cmd)
    };
    let out = login(0o644).await;
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stderr.contains("can be read by others (mode 644)") && stderr.contains("chmod 600"),
        "{stderr}"
    );
    assert!(!stderr.contains("a-good-secret"), "{stderr}");

    let out = login(0o600).await;
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("warning"), "{out:?}");
}
