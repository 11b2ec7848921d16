//! Every refusal a real tenant gives on a person's first days, in words with the next step
//! and then the service's own text (GRAPH-REAL.md Q32–Q37): one test per code, each against
//! the emulator refusing the way such a tenant does.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use reqwest::redirect::Policy;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tmeet_emulator::{Emulator, EmulatorOptions, Fault, SignInModes};
use url::Url;

use common::CLIENT_ID;
use common::command_for as tmeet;

async fn emulator(signin: &str) -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        signin: signin.parse::<SignInModes>().unwrap(),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

/// One line on stderr, exit 1, naming `words` (each), then the service's `AADSTS` text.
fn assert_refusal(out: &std::process::Output, code: u32, words: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    for w in words {
        assert!(stderr.contains(w), "missing {w:?}: {stderr}");
    }
    let advice_end = stderr
        .find("(the service said: ")
        .expect("the service's text follows");
    assert!(
        stderr[advice_end..].contains(&format!("AADSTS{code}:")),
        "{stderr}"
    );
    assert!(!stderr.contains("Trace ID"), "cleaned: {stderr}");
}

/// A browser sign-in whose answer the test fetches from the emulator and brings to tmeet.
async fn browser_login(emu: &Emulator, home: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["login", "--browser", "--no-browser"];
    args.extend_from_slice(extra);
    let mut child = tmeet(emu, home, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Read to the end: a pipe closed early would end tmeet with 141.
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            if l.trim_start().starts_with("http") {
                let _ = tx.send(l);
            }
        }
    });
    let address = tokio::task::spawn_blocking(move || rx.recv_timeout(common::DEADLINE).unwrap())
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let r = client.get(address.trim()).send().await.unwrap();
    let back = Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    client.get(back).send().await.unwrap();
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_blocked_by_conditional_access_offers_the_browser_53003() {
    let emu = emulator("device-code=blocked").await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert_refusal(
        &out,
        53003,
        &[
            "Conditional Access blocks signing in with a device code",
            "tmeet login --browser",
            "paste back",
        ],
    );
    assert!(!common::token_file(home.path()).exists());
    // Doctor says which code the service last gave, and what that means for the flows.
    let out = run(tmeet(&emu, home.path(), &["doctor"])).await;
    let doctor = text(&out.stdout);
    let flows = doctor
        .lines()
        .find(|l| l.contains("sign-in flows:"))
        .unwrap_or_else(|| panic!("{doctor}"));
    assert!(
        flows.contains("device code blocked by Conditional Access")
            && flows.contains("last refused a sign-in with AADSTS53003")
            && flows.contains("tmeet login --browser"),
        "{flows}"
    );
    // And the browser gets in; the refusal is history then.
    let out = browser_login(&emu, home.path(), &[]).await;
    assert!(out.status.success(), "{out:?}");
    let out = run(tmeet(&emu, home.path(), &["doctor"])).await;
    assert!(
        text(&out.stdout).contains("no refused sign-in recorded"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_based_conditional_access_offers_the_browser_530033() {
    let emu = emulator("device-code=blocked-device").await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert_refusal(
        &out,
        530033,
        &["device-based Conditional Access", "tmeet login --browser"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_tenant_app_asks_for_the_tenant_id_50194() {
    let emu = emulator("audience=single").await;
    let home = tempfile::tempdir().unwrap();
    // What a new user following the old README got: the default tenant, organizations.
    let out = browser_login(&emu, home.path(), &[]).await;
    assert_refusal(
        &out,
        50194,
        &[
            "registered for one organization only",
            "--tenant",
            "Directory (tenant) ID",
            "tmeet setup",
        ],
    );
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert_refusal(&out, 50194, &["Directory (tenant) ID"]);
    // With the tenant the message names, the first sign-in works.
    let out = browser_login(&emu, home.path(), &["--tenant", "contoso.onmicrosoft.com"]).await;
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_approval_names_the_permission_and_the_consent_address_90094() {
    let emu = emulator("admin-consent=Calendars.ReadWrite").await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(
        &emu,
        home.path(),
        &["login", "--device-code", "--scope", "Calendars.ReadWrite"],
    ))
    .await;
    let consent = format!("adminconsent?client_id={CLIENT_ID}");
    assert_refusal(
        &out,
        90094,
        &[
            "administrator",
            "Calendars.ReadWrite",
            &consent,
            "redirect_uri=http%3A%2F%2Flocalhost",
        ],
    );
    let out = browser_login(&emu, home.path(), &["--scope", "Calendars.ReadWrite"]).await;
    assert_refusal(
        &out,
        90094,
        &["administrator", "Calendars.ReadWrite", &consent],
    );
    // Without the admin-only permission the sign-in works.
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claims_challenge_is_answered_with_the_claims_and_the_call_repeated() {
    let emu = emulator("").await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert!(out.status.success(), "{out:?}");
    emu.push_fault(Fault::ClaimsChallenge { interactive: false });
    let out = run(tmeet(&emu, home.path(), &["create", "-s", "CAE", "--json"])).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.meeting_count(), 1, "created once");
    assert_eq!(
        emu.token_requests(),
        vec![
            "urn:ietf:params:oauth:grant-type:device_code",
            "refresh_token"
        ],
        "one token request, which carried the claims (a plain refresh would stay challenged)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claims_challenge_a_refresh_cannot_answer_asks_for_an_interactive_sign_in_50076() {
    let emu = emulator("").await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert!(out.status.success(), "{out:?}");
    emu.push_fault(Fault::ClaimsChallenge { interactive: true });
    let out = run(tmeet(&emu, home.path(), &["create", "-s", "CAE", "--json"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("continuous access evaluation")
            && stderr.contains("interactive sign-in")
            && stderr.contains("tmeet login"),
        "{stderr}"
    );
    assert!(stderr.contains("AADSTS50076"), "{stderr}");
    assert_eq!(emu.meeting_count(), 0);
    // The interactive sign-in answers it.
    let out = run(tmeet(&emu, home.path(), &["login", "--device-code"])).await;
    assert!(out.status.success(), "{out:?}");
    let out = run(tmeet(&emu, home.path(), &["create", "-s", "CAE", "--json"])).await;
    assert!(out.status.success(), "{out:?}");
}
