//! The terminal survives what people do to it (issue 9): pastes of any size, pasted line
//! breaks, signals, Ctrl+Z, and terminals without colours or UTF-8. The real binary in a
//! pseudo-terminal; the terminal's modes are read back from the pty after tmeet is gone.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use common::{EmulatorProcess, Pty, base_env, form_ready};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn env_with(home: &std::path::Path, set: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = base_env(home);
    for (k, v) in set {
        env.retain(|(name, _)| name != k);
        env.push((k.to_string(), v.to_string()));
    }
    env
}

/// `tmeet --demo` at 100×30 with extra variables; the home lives as long as the test.
fn demo(set: &[(&str, &str)]) -> (Pty, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let pty = Pty::spawn(&["--demo"], &env_with(home.path(), set), 100, 30);
    (pty, home)
}

/// Kills the process if the test is still running after the deadline. A tmeet that stops
/// reading its input would otherwise block the test's write for ever instead of failing
/// it: once the process is gone the write fails and the test with it.
struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn new(pid: i32) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        std::thread::spawn(move || {
            let end = Instant::now() + common::DEADLINE;
            while Instant::now() < end {
                if d.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn bracketed(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

fn last(hay: &[u8], needle: &str) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w == needle.as_bytes())
}

/// The terminal is as tmeet found it: echo and canonical mode on, the alternate screen
/// and bracketed paste switched off after they were last switched on.
fn assert_restored(t: &Pty, what: &str) {
    let tio = t.termios();
    assert!(
        tio.c_lflag & libc::ECHO != 0 && tio.c_lflag & libc::ICANON != 0,
        "{what}: echo and canonical mode restored (lflag {:o})",
        tio.c_lflag
    );
    let raw = t.raw();
    let left = last(&raw, "\x1b[?1049l").expect("the alternate screen was left");
    assert!(
        last(&raw, "\x1b[?1049h").is_some_and(|entered| entered < left),
        "{what}: the alternate screen was left after it was last entered"
    );
    let off = last(&raw, "\x1b[?2004l").expect("bracketed paste switched off");
    assert!(
        last(&raw, "\x1b[?2004h").is_some_and(|on| on < off),
        "{what}: bracketed paste switched off last"
    );
}

fn signal(t: &Pty, sig: i32) {
    // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
    assert_eq!(unsafe { libc::kill(t.pid(), sig) }, 0);
}

/// The process state letter from /proc (`T` = stopped).
fn state(pid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // "pid (comm) S ...": the state follows the last ')'.
    stat.rsplit(')')
        .next()
        .unwrap()
        .trim()
        .chars()
        .next()
        .unwrap()
}

fn wait_state(pid: i32, want: char) {
    let end = Instant::now() + common::DEADLINE;
    while state(pid) != want {
        assert!(Instant::now() < end, "process never reached state {want}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A paste of `n` characters into Subject, then Tab must still move focus and Ctrl+C quit.
fn paste_then_keys_act(n: usize, as_paste: bool) {
    let (mut t, _home) = demo(&[]);
    t.wait_for("the form", form_ready);
    let _dog = Watchdog::new(t.pid());
    let text = "9".repeat(n);
    t.send(&if as_paste { bracketed(&text) } else { text });
    t.send("\t");
    let s = t.wait_for("focus on Start after the paste", |s| s.contains("› Start"));
    assert!(s.contains("Subject   9999"), "{s}");
    assert!(
        !s.contains('✗'),
        "the subject field takes the service's 255 characters, no more, so shows no error:\n{s}"
    );
    assert!(
        s.contains("The subject is longer than 255 characters"),
        "what did not fit is said, not dropped unseen:\n{s}"
    );
    t.send("\x03");
    assert_eq!(t.wait_exit().exit_code(), 130, "Ctrl+C exits 130");
    assert_restored(&t, "after the paste");
}

#[test]
fn typed_2kb_leaves_the_form_responsive() {
    paste_then_keys_act(2048, false);
}

#[test]
fn pasted_2kb_leaves_the_form_responsive() {
    paste_then_keys_act(2048, true);
}

#[test]
fn pasted_64kb_leaves_the_form_responsive() {
    paste_then_keys_act(64 << 10, true);
}

#[test]
fn pasted_1mb_leaves_the_form_responsive() {
    paste_then_keys_act(1 << 20, true);
}

#[test]
fn a_pasted_line_break_is_a_space_and_pasted_letters_are_never_keys() {
    let (mut t, _home) = demo(&[]);
    t.wait_for("the form", form_ready);
    // Enough line breaks to walk focus to the Create button and press it, were they keys.
    t.send(&bracketed("Kickoff\r\nAgenda: budget\n\n\n\n\n\n\n\nend"));
    let s = t.wait_for("the pasted subject", |s| s.contains("budget        end"));
    let line = format!("› Subject   Kickoff Agenda: budget{}end", " ".repeat(8));
    assert!(s.contains(&line), "one line, focus kept:\n{s}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !t.saw(|s| s.contains("Creating") || s.contains("Meeting created")),
        "a paste never creates"
    );
    t.send("\x13");
    t.wait_for("the result", |s| s.contains("Meeting created"));
    // On the result pane letters are keys (y copies, q quits); pasted, they are nothing.
    t.send(&bracketed("yq"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(t.is_running(), "a pasted q does not quit");
    assert!(!t.saw(|s| s.contains("Copied")), "a pasted y does not copy");
    t.send("q");
    assert_eq!(t.wait_exit().exit_code(), 0, "q is a normal quit");
    assert_restored(&t, "after q");
}

#[derive(Debug, Clone, Copy)]
enum Place {
    Form,
    Help,
    Result,
}

fn reach(t: &mut Pty, place: Place) {
    t.wait_for("the form", form_ready);
    match place {
        Place::Form => {}
        Place::Help => {
            t.send("\x1bOP"); // F1
            t.wait_for("help", |s| s.contains("close help"));
        }
        Place::Result => {
            t.send("Sync\x13");
            t.wait_for("the result", |s| s.contains("Meeting created"));
        }
    }
}

fn signal_restores_everywhere(sig: i32) {
    for place in [Place::Form, Place::Help, Place::Result] {
        let (mut t, _home) = demo(&[]);
        reach(&mut t, place);
        assert_eq!(
            t.termios().c_lflag & libc::ECHO,
            0,
            "raw mode while running"
        );
        signal(&t, sig);
        let status = t.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + sig as u32,
            "signal {sig} on {place:?}"
        );
        assert_restored(&t, &format!("signal {sig} on {place:?}"));
    }
    // The sign-in screen, waiting for a person to approve the code.
    let emu = EmulatorProcess::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(
        &[
            "--graph-url",
            &emu.graph_url,
            "--login-url",
            &emu.login_url,
            "--client-id",
            "tmeet-test",
        ],
        &base_env(home.path()),
        100,
        30,
    );
    t.wait_for("the device code", |s| s.contains("devicelogin"));
    signal(&t, sig);
    assert_eq!(t.wait_exit().exit_code(), 128 + sig as u32);
    assert_restored(&t, &format!("signal {sig} on sign-in"));
}

#[test]
fn sigint_from_outside_restores_the_terminal_on_every_screen() {
    signal_restores_everywhere(libc::SIGINT);
}

#[test]
fn sigterm_restores_the_terminal_on_every_screen() {
    signal_restores_everywhere(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal_on_every_screen() {
    signal_restores_everywhere(libc::SIGHUP);
}

#[test]
fn sigquit_restores_the_terminal_on_every_screen() {
    signal_restores_everywhere(libc::SIGQUIT);
}

/// Stopped with the terminal given back; continued with it taken and the form redrawn.
fn suspend_and_resume(t: &mut Pty, stop: impl Fn(&mut Pty)) {
    let pid = t.pid();
    let before = t.raw_len();
    stop(t);
    wait_state(pid, 'T');
    // The process stops once it has written the restore; the reader thread may not have
    // read it yet on a loaded machine.
    let end = Instant::now() + common::DEADLINE;
    while last(&t.raw(), "\x1b[?2004l").is_none_or(|at| at < before) {
        assert!(Instant::now() < end, "the terminal was never restored");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_restored(t, "while suspended");
    assert!(t.raw_len() > before);
    let stopped_at = t.raw_len();
    signal(t, libc::SIGCONT);
    let s = t.wait_for_output_beyond(stopped_at);
    let s = if form_ready(&s) {
        s
    } else {
        t.wait_for("the form redrawn", form_ready)
    };
    assert!(s.contains("DEMO"), "{s}");
    let after = &t.raw()[stopped_at..];
    assert!(
        common::find_bytes(after, b"\x1b[?1049h").is_some(),
        "the alternate screen is entered again"
    );
    assert_eq!(t.termios().c_lflag & libc::ECHO, 0, "raw mode again");
}

#[test]
fn ctrl_z_and_sigtstp_suspend_and_sigcont_resumes() {
    let (mut t, _home) = demo(&[]);
    t.wait_for("the form", form_ready);
    t.send("Standup");
    suspend_and_resume(&mut t, |t| t.send("\x1a"));
    suspend_and_resume(&mut t, |t| signal(t, libc::SIGTSTP));
    t.wait_for("the subject kept", |s| s.contains("Standup"));
    t.send("\t");
    t.wait_for("a key acts after resuming", |s| s.contains("› Start"));
    t.send("\x03");
    assert_eq!(t.wait_exit().exit_code(), 130);
}

#[test]
fn term_dumb_is_refused_with_the_create_hint() {
    let (mut t, _home) = demo(&[("TERM", "dumb")]);
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 2, "a usage error");
    let out = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(
        out.contains("TERM=dumb") && out.contains("tmeet create"),
        "{out}"
    );
    assert!(!out.contains("\x1b[?1049h"), "no full screen was started");
}

#[test]
fn without_a_utf8_locale_the_screen_is_ascii() {
    for set in [
        vec![("LANG", "C")],
        vec![("LANG", "en_US.UTF-8"), ("LC_ALL", "C")],
        vec![("LANG", "C"), ("LC_CTYPE", "POSIX")],
    ] {
        let (mut t, _home) = demo(&set);
        let s = t.wait_for("the form", form_ready);
        assert!(s.is_ascii(), "{set:?}:\n{s}");
        assert!(s.contains("> Subject"), "{set:?}:\n{s}");
        t.send("\x03");
        assert_eq!(t.wait_exit().exit_code(), 130);
    }
    // LC_CTYPE with UTF-8 outranks a C LANG.
    let (mut t, _home) = demo(&[("LANG", "C"), ("LC_CTYPE", "C.UTF-8")]);
    let s = t.wait_for("the form", form_ready);
    assert!(s.contains("› Subject"), "{s}");
    t.send("\x03");
    t.wait_exit();
}

/// The terminal closes under tmeet (an SSH session dropped, a window closed) and no SIGHUP
/// comes, because tmeet does not lead the terminal's session (a shell that ignores or does
/// not forward SIGHUP): tmeet must notice and end by itself rather than spin on reads that
/// return nothing.
#[test]
fn a_terminal_that_hangs_up_ends_tmeet() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::Stdio;
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 30,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to two ints; no name buffer, no termios.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // tmeet must not inherit the master, or closing ours would not close the terminal.
    // SAFETY: fcntl on our own descriptor.
    assert_eq!(
        unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) },
        0
    );
    // SAFETY: openpty just returned this descriptor; nothing else owns it.
    let slave = unsafe { OwnedFd::from_raw_fd(slave) };
    let home = tempfile::tempdir().unwrap();
    let mut cmd = common::command(home.path(), &["--demo"]);
    cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    let mut child = cmd.spawn().unwrap();
    drop(cmd); // our copies of the slave: only tmeet holds it now

    // Read until the form is drawn and tmeet has gone quiet: idle, it draws nothing, so
    // only noticing the hangup itself can end it.
    let mut out = Vec::new();
    let end = Instant::now() + common::DEADLINE;
    let mut quiet_since = Instant::now();
    while !String::from_utf8_lossy(&out).contains("Create meeting")
        || quiet_since.elapsed() < Duration::from_millis(500)
    {
        assert!(Instant::now() < end, "no form drawn");
        let mut fd = libc::pollfd {
            fd: master,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; the buffer outlives the read.
        if unsafe { libc::poll(&mut fd, 1, 100) } > 0 {
            let mut buf = [0u8; 8192];
            let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
            assert!(n > 0, "the terminal closed early");
            out.extend_from_slice(&buf[..n as usize]);
            quiet_since = Instant::now();
        }
    }
    // SAFETY: our descriptor, closed once.
    unsafe { libc::close(master) };
    let end = Instant::now() + common::DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tmeet kept running after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(129), "ends as for SIGHUP: {status:?}");
}
