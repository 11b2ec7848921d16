//! A tmeet built without the `demo` feature (`cargo test --no-default-features --test
//! no_demo`, as .ci/run does): `--demo` and `tmeet emulator` are refused as usage errors
//! that say why, for every command, before anything starts. With the feature this file is
//! empty.
#![cfg(not(feature = "demo"))]

mod common;

const WHY: &str = "this tmeet was built without the emulator (the `demo` feature)";

fn refused(env_demo: bool, args: &[&str]) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = common::command(home.path(), args);
    if env_demo {
        cmd.env("TMEET_DEMO", "1");
    }
    let out = cmd.output().expect("tmeet runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(WHY), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}");
    // Refused before any state was written: no log file, no token store.
    assert!(!home.path().join("state").exists(), "{args:?}");
}

#[test]
fn demo_is_refused_for_every_command() {
    refused(false, &["--demo"]);
    refused(
        false,
        &["--demo", "create", "--subject", "x", "--start", "14:00"],
    );
    refused(false, &["--demo", "login"]);
    refused(false, &["status", "--demo"]);
    refused(false, &["--demo", "logout"]);
    refused(true, &["create", "--subject", "x", "--start", "14:00"]);
}

#[test]
fn the_emulator_command_is_known_and_refused() {
    refused(false, &["emulator"]);
    refused(false, &["emulator", "--port", "0", "--auto-approve"]);
}
