//! `tmeet login` through the browser, as a person runs it, against an emulator in the test
//! process. The test plays the browser: it reads the address tmeet prints, asks the
//! emulator for it with redirects off, and follows the `Location` to tmeet's port (or pastes
//! it at tmeet's prompt, as over SSH). Also the choice of flow, and every way the wait ends.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::text;

use reqwest::redirect::Policy;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tmeet::auth::{Auth, StoreKind};
use tmeet::meeting::Language;
use tmeet::services::startup::auth_config;
use tmeet::settings::{ConfigFile, GlobalArgs, Settings};
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions, SignInModes};
use url::Url;

use common::CLIENT_ID;
use common::command_for as tmeet;

async fn emulator(auto: bool, signin: &str) -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: auto,
        device_code_interval_secs: 0,
        signin: signin.parse::<SignInModes>().unwrap(),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

/// `tmeet login --browser --no-browser` against `emu`, running.
fn browser_login(emu: &Emulator, home: &Path) -> Login {
    Login::spawn(tmeet(emu, home, &["login", "--browser", "--no-browser"]))
}

/// A running `tmeet login`, its stdout read line by line on a thread.
struct Login {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Login {
    fn spawn(mut cmd: Command) -> Login {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Login {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The first printed line that `pred` accepts.
    fn line(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        loop {
            match self.lines.recv_timeout(common::DEADLINE) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if pred(&l) {
                        return l;
                    }
                }
                Err(_) => panic!("no {what}; printed so far:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// The sign-in page's address, as printed.
    fn address(&mut self) -> Url {
        let l = self.line("sign-in address", |l| l.trim_start().starts_with("http"));
        Url::parse(l.trim()).unwrap()
    }

    fn paste(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{text}").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the end; the exit code, all stdout and stderr.
    async fn finish(mut self) -> (Option<i32>, String, String) {
        drop(self.child.stdin.take());
        let out = tokio::task::spawn_blocking(move || self.child.wait_with_output().unwrap())
            .await
            .unwrap();
        let mut stdout = self.seen.join("\n");
        while let Ok(l) = self.lines.try_recv() {
            stdout.push('\n');
            stdout.push_str(&l);
        }
        (out.status.code(), stdout, text(&out.stderr))
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// What the browser does at the emulator: the `Location` it is sent to.
async fn location(url: &Url) -> Url {
    let r = browser().get(url.clone()).send().await.unwrap();
    assert_eq!(r.status(), 302, "{}", r.text().await.unwrap());
    Url::parse(r.headers()["location"].to_str().unwrap()).unwrap()
}

/// The browser following the redirect to tmeet's port: the page it shows.
async fn open(url: &Url) -> (u16, String) {
    let r = browser().get(url.clone()).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn with_query(url: &Url, change: &str, value: &str) -> Url {
    let mut u = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == change {
                (k, value.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u
}

fn token_file(home: &Path) -> std::path::PathBuf {
    common::token_file(home)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_signs_in_and_the_page_holds_no_secret() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = tmeet(&emu, home.path(), &["login", "--browser"]);
    // $BROWSER is what opens the page; `true` stands in for a browser that opened it.
    cmd.env("BROWSER", "true");
    let mut login = Login::spawn(cmd);
    login.line("the choice", |l| {
        l.starts_with("Signing in through the browser (--browser")
    });
    let address = login.address();
    let q: std::collections::HashMap<String, String> = address.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["redirect_uri"].starts_with("http://localhost:"), "{q:?}");
    assert!(q.contains_key("state") && !q.contains_key("code_verifier"));
    login.line("the browser opened", |l| {
        l.contains("Opened it in your browser")
    });

    let back = location(&address).await;
    assert_eq!(back.host_str(), Some("localhost"));
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let (status, page) = open(&back).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("You are signed in") && !page.contains(&code),
        "{page}"
    );

    let (exit, stdout, stderr) = login.finish().await;
    assert_eq!(exit, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("Signed in as {DEMO_USER_UPN}")),
        "{stdout}"
    );
    assert!(!stdout.contains(&code) && !stderr.contains(&code));
    assert_eq!(emu.token_requests(), vec!["authorization_code"]);
    assert!(token_file(home.path()).exists());
    // No token, code or verifier in what was printed or logged.
    let mut secrets: Vec<String> = emu
        .issued_tokens()
        .iter()
        .map(|t| t.expose().to_string())
        .collect();
    secrets.push(code.clone());
    let log = std::fs::read(home.path().join("state/tmeet/tmeet.log")).unwrap_or_default();
    for (place, bytes) in [
        ("stdout", stdout.as_bytes()),
        ("stderr", stderr.as_bytes()),
        ("the log", &log[..]),
    ] {
        common::assert_no_secret(place, bytes, &secrets);
    }

    let out = common::run(tmeet(&emu, home.path(), &["status"])).await;
    assert!(text(&out.stdout).contains(DEMO_USER_UPN), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_the_browser_ended_on_can_be_pasted() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut login = browser_login(&emu, home.path());
    let address = login.address();
    login.line("the prompt to paste", |l| {
        l.contains("paste here the address")
    });
    let back = location(&address).await;
    // The browser is on another machine: its redirect never reaches this port.
    login.paste("");
    login.paste(back.as_str());
    let (exit, stdout, stderr) = login.finish().await;
    assert_eq!(exit, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Signed in as"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_address_that_is_not_the_redirect_is_one_line() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut login = browser_login(&emu, home.path());
    let address = login.address();
    let back = location(&address).await;
    let mut elsewhere = back.clone();
    elsewhere
        .set_port(Some(back.port().unwrap().wrapping_add(1).max(1)))
        .unwrap();
    login.paste(elsewhere.as_str());
    let (exit, _, stderr) = login.finish().await;
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("not the address the browser ended on"),
        "{stderr}"
    );
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    assert!(!stderr.contains(&code));
    assert!(!token_file(home.path()).exists());
    assert!(emu.token_requests().is_empty(), "nothing was redeemed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_state_ends_the_wait_and_nothing_is_redeemed() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut login = browser_login(&emu, home.path());
    let back = location(&login.address()).await;
    let (status, page) = open(&with_query(&back, "state", "someone-elses")).await;
    assert_eq!(status, 200);
    assert!(page.contains("did not complete"), "{page}");
    let (exit, _, stderr) = login.finish().await;
    assert_eq!(exit, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("another sign-in") && stderr.contains("tmeet login"),
        "{stderr}"
    );
    assert!(emu.token_requests().is_empty());
    assert!(!token_file(home.path()).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_without_a_code_ends_the_wait() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut login = browser_login(&emu, home.path());
    let back = location(&login.address()).await;
    // A favicon request does not end the wait; the redirect without its code does.
    let mut favicon = back.clone();
    favicon.set_path("/favicon.ico");
    favicon.set_query(None);
    assert_eq!(open(&favicon).await.0, 404);
    let mut no_code = back.clone();
    let state = back
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    no_code
        .query_pairs_mut()
        .clear()
        .append_pair("state", &state);
    open(&no_code).await;
    let (exit, _, stderr) = login.finish().await;
    assert_eq!(exit, Some(1));
    assert!(stderr.contains("carried no code"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_code_is_refused_in_words() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut first = browser_login(&emu, home.path());
    let back = location(&first.address()).await;
    let old_code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    open(&back).await;
    assert_eq!(first.finish().await.0, Some(0));

    let mut second = browser_login(&emu, home.path());
    let back = location(&second.address()).await;
    open(&with_query(&back, "code", &old_code)).await;
    let (exit, _, stderr) = second.finish().await;
    assert_eq!(exit, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("already used") || stderr.contains("does not belong to this sign-in"),
        "{stderr}"
    );
    assert!(
        stderr.contains("AADSTS"),
        "the service's own words follow: {stderr}"
    );
    assert!(!stderr.contains(&old_code));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sign_in_says_so_with_the_services_words() {
    let emu = emulator(false, "").await;
    let home = tempfile::tempdir().unwrap();
    let mut login = browser_login(&emu, home.path());
    let address = login.address();
    let r = browser().get(address).send().await.unwrap();
    assert_eq!(r.status(), 200, "the approval page");
    let back = emu.decline_authorization().unwrap();
    open(&back).await;
    let (exit, _, stderr) = login.finish().await;
    assert_eq!(exit, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cancelled in the browser"), "{stderr}");
    assert!(
        stderr.contains("AADSTS65004") && !stderr.contains("Trace ID"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_follows_the_machine_and_the_line_says_why() {
    let emu = emulator(true, "").await;
    let home = tempfile::tempdir().unwrap();
    // No display, no $BROWSER: a device code, said so.
    let out = common::run(tmeet(&emu, home.path(), &["login"])).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains(
            "Signing in with a device code (no display and no $BROWSER; tmeet login --browser"
        ),
        "{stdout}"
    );
    // Over SSH with no display forwarded, even with a desktop session's variables around.
    let mut cmd = tmeet(&emu, home.path(), &["login"]);
    cmd.env("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22");
    let out = common::run(cmd).await;
    assert!(
        text(&out.stdout).contains("device code (an SSH session without a display"),
        "{out:?}"
    );
    // A display: the browser.
    let mut cmd = tmeet(&emu, home.path(), &["login", "--no-browser"]);
    cmd.env("DISPLAY", ":99");
    let mut login = Login::spawn(cmd);
    login.line("the choice", |l| {
        l.starts_with("Signing in through the browser (a display is available")
    });
    let back = location(&login.address()).await;
    open(&back).await;
    assert_eq!(login.finish().await.0, Some(0));
    // --device-code wins over the display.
    let mut cmd = tmeet(&emu, home.path(), &["login", "--device-code"]);
    cmd.env("DISPLAY", ":99").env("BROWSER", "true");
    let out = common::run(cmd).await;
    assert!(
        text(&out.stdout).contains("device code (--device-code"),
        "{out:?}"
    );
    let out = common::run(tmeet(
        &emu,
        home.path(),
        &["login", "--browser", "--device-code"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[tokio::test(start_paused = true)]
async fn the_wait_ends_after_five_minutes() {
    let args = GlobalArgs {
        login_url: Some("http://127.0.0.1:9/".into()),
        graph_url: Some("http://127.0.0.1:9/v1.0".into()),
        client_id: Some(CLIENT_ID.into()),
        ..Default::default()
    };
    let settings = Settings::from_parts(
        &args,
        &ConfigFile::default(),
        None,
        Language::parse("en-US").unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = Auth::new(
        &auth_config(&settings, StoreKind::File(dir.path().to_path_buf())),
        tmeet::http::build_client(),
    )
    .unwrap();
    let sign_in = auth.start_browser().await.unwrap();
    let port = sign_in.port();
    assert!(sign_in.url().as_str().contains("code_challenge="));
    // The person is at the prompt and never types anything.
    let (_typing, pasted) = tokio::sync::mpsc::unbounded_channel();
    let started = tokio::time::Instant::now();
    let e = sign_in
        .complete(pasted, tmeet::auth::BROWSER_TIMEOUT)
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(300));
    assert!(e.to_string().contains("within 5 minutes"), "{e}");
    assert!(port > 0);
}
