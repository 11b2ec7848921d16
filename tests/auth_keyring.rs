//! The system keyring as the token store. Needs a Secret Service on the session bus, so it
//! is not part of the default run; with gnome-keyring installed:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
//!   cargo test --test auth_keyring -- --ignored'
//! ```

use std::time::Duration;
use tmeet::auth::{Auth, StoreKind};
use tmeet::meeting::Language;
use tmeet::services::startup::auth_config;
use tmeet::settings::{ConfigFile, GlobalArgs, Settings};
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions};

#[tokio::test]
#[ignore = "needs a Secret Service (gnome-keyring) on the session bus"]
async fn sign_in_is_kept_in_the_keyring_not_in_a_file() {
    let state = tempfile::tempdir().unwrap();
    // This binary holds this one test, so nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("XDG_STATE_HOME", state.path()) };
    let emu = Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let args = GlobalArgs {
        login_url: Some(emu.login_url().to_string()),
        graph_url: Some(emu.graph_url().to_string()),
        client_id: Some(format!("keyring-test-{}", std::process::id())),
        ..Default::default()
    };
    let settings = Settings::from_parts(
        &args,
        &ConfigFile::default(),
        None,
        Language::parse("en-US").unwrap(),
    )
    .unwrap();
    let new_auth = || {
        Auth::new(
            &auth_config(&settings, StoreKind::System),
            tmeet::http::build_client(),
        )
        .unwrap()
    };

    let auth = new_auth();
    assert_eq!(auth.store_description(), "the system keyring");
    let flow = auth.start_device_code().await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), flow.complete(|_| {}))
        .await
        .unwrap()
        .unwrap();
    let warnings = auth.take_warnings();
    assert!(warnings.is_empty(), "the keyring failed: {warnings:?}");
    assert_eq!(auth.store_description(), "the system keyring");

    let again = new_auth();
    let status = again.status().unwrap().expect("read back from the keyring");
    assert_eq!(status.account.as_deref(), Some(DEMO_USER_UPN));
    again.provider().await.unwrap();
    assert!(
        !state.path().join("tmeet/tokens.json").exists(),
        "no file when the keyring works"
    );
    assert!(again.logout().unwrap());
    assert!(new_auth().status().unwrap().is_none());
}
