//! Meeting options and attendees through the real binary and the emulator: `create` flags
//! and `[options]` in config.toml reach the service, bad values are refused before
//! anything is sent, `update` changes only what it names, and what the tenant changed is
//! shown (one JSON line on stderr with `--json`).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, signed_in, text, tmeet};

use serde_json::Value;
use tmeet::meeting::options::{Choices, Observed, SPECS};

const START: [&str; 2] = ["--start", "2037-12-01 14:00"];

/// A value other than the service default for every option, as flags.
fn every_option_changed() -> Vec<(String, &'static str, usize)> {
    SPECS
        .iter()
        .map(|s| {
            let c = (s.default + 1) % s.choices.len();
            (format!("--{}={}", s.key, s.choices[c].name), s.key, c)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_option_round_trips_through_create() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let flags = every_option_changed();
    let mut args = vec!["create", "-s", "Options", "--json", START[0], START[1]];
    args.extend(flags.iter().map(|(f, _, _)| f.as_str()));
    // roleIsPresenter needs a presenter, which needs the directory: everyone else here.
    let args: Vec<&str> = args
        .into_iter()
        .map(|a| {
            if a == "--presenters=organization" || a == "--presenters=role-is-presenter" {
                "--presenters=organizer"
            } else {
                a
            }
        })
        .collect();
    let out = tmeet(home.path(), &endpoints, &args).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "",
        "asked and set agree: no difference is shown"
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (flag, key, choice) in &flags {
        let spec = SPECS.iter().find(|s| s.key == *key).unwrap();
        let want = if *key == "presenters" {
            spec.choice("organizer").unwrap()
        } else {
            *choice
        };
        assert_eq!(
            spec.read(&answer),
            Observed::Choice(want),
            "{flag}: {answer}"
        );
    }
    assert_eq!(emu.meeting_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_defaults_apply_and_flags_override_them() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, endpoints) = signed_in(home.path(), &[]).await;
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[options]\nlobby = \"organizer\"\ne2ee = true\nrecording = \"off\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let read = |out: &std::process::Output, key: &str| {
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        let spec = SPECS.iter().find(|s| s.key == key).unwrap();
        match spec.read(&answer) {
            Observed::Choice(c) => spec.choices[c].name,
            other => panic!("{key}: {other:?}"),
        }
    };
    let base = ["--config", config.as_str(), "create", "-s", "x", "--json"];
    let out = tmeet(home.path(), &endpoints, &[&base[..], &START[..]].concat()).await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(read(&out, "lobby"), "organizer");
    assert_eq!(read(&out, "e2ee"), "on");
    assert_eq!(read(&out, "recording"), "off");
    let out = tmeet(
        home.path(),
        &endpoints,
        &[
            &base[..],
            &START[..],
            &["--lobby", "everyone", "--e2ee=off"],
        ]
        .concat(),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(read(&out, "lobby"), "everyone");
    assert_eq!(read(&out, "e2ee"), "off");
    assert_eq!(read(&out, "recording"), "off", "config still applies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_are_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let cases: [(&[&str], &str); 4] = [
        (
            &["--lobby", "anyone"],
            "everyone|organization-and-federated|organization|organization-excluding-guests|invited|organizer",
        ),
        (&["--watermark", "all"], "none|content|video|both"),
        (
            &["--presenters", "role-is-presenter"],
            "no attendee is a presenter",
        ),
        (&["--attendee", "ada@contoso.com:boss"], "not a role"),
    ];
    for (flags, says) in cases {
        let out = tmeet(
            home.path(),
            &endpoints,
            &[&["create", "-s", "x"][..], &START[..], flags].concat(),
        )
        .await;
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {out:?}");
        assert!(text(&out.stderr).contains(says), "{flags:?}: {out:?}");
    }
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[options]\nchat = \"sometimes\"\n").unwrap();
    let out = tmeet(
        home.path(),
        &endpoints,
        &[
            "--config",
            config.to_str().unwrap(),
            "create",
            "-s",
            "x",
            START[0],
            START[1],
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("config.toml: [options] chat") && err.contains("enabled|limited|disabled"),
        "{err}"
    );
    assert_eq!(emu.meeting_count(), 0, "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_by_id_and_by_join_link_changes_only_what_it_names() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let out = tmeet(
        home.path(),
        &endpoints,
        &[
            "create",
            "-s",
            "Keep me",
            "--json",
            "--recording",
            "off",
            START[0],
            START[1],
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = created["id"].as_str().unwrap();
    let link = created["joinWebUrl"].as_str().unwrap();

    let out = tmeet(
        home.path(),
        &endpoints,
        &["update", id, "--lobby", "organizer", "--json"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let updated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(updated["lobbyBypassSettings"]["scope"], "organizer");
    assert_eq!(updated["subject"], "Keep me", "the subject was not sent");
    assert_eq!(updated["allowRecording"], false, "recording was not sent");
    assert_eq!(updated["startDateTime"], created["startDateTime"]);

    let out = tmeet(
        home.path(),
        &endpoints,
        &["update", link, "--subject", "Renamed", "--json"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let updated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(updated["id"], id);
    assert_eq!(updated["subject"], "Renamed");
    assert_eq!(updated["lobbyBypassSettings"]["scope"], "organizer");
    assert_eq!(emu.meeting_count(), 1);
}

/// The service replaces a settings object whole: changing the lobby must not turn
/// dial-in bypass (the other member of lobbyBypassSettings) off behind the person's back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_of_one_member_keeps_the_rest_of_its_settings_object() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let out = tmeet(
        home.path(),
        &endpoints,
        &[
            "create",
            "-s",
            "D",
            "--json",
            "--dial-in-bypass-lobby=on",
            "--lobby",
            "organization",
            START[0],
            START[1],
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        created["lobbyBypassSettings"]["isDialInBypassEnabled"],
        true
    );

    let out = tmeet(
        home.path(),
        &endpoints,
        &["update", "1", "--lobby", "everyone", "--json"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let updated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(updated["lobbyBypassSettings"]["scope"], "everyone");
    assert_eq!(
        updated["lobbyBypassSettings"]["isDialInBypassEnabled"], true,
        "dial-in bypass was sent along as the service had it"
    );
    assert!(text(&out.stderr).is_empty(), "{out:?}");
    let stored = &emu.stored_meetings()[0];
    assert_eq!(stored["lobbyBypassSettings"]["isDialInBypassEnabled"], true);

    // The history agrees with the service.
    let out = tmeet(home.path(), &endpoints, &["show", "1", "--json"]).await;
    assert!(out.status.success(), "{out:?}");
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bypass = &shown["meeting"]["lobbyBypassSettings"];
    assert_eq!(bypass["isDialInBypassEnabled"], true, "{shown}");
    assert_eq!(bypass["scope"], "everyone");
    let entry = &shown["entry"];
    for column in ["optionsAsked", "optionsSet"] {
        let bypass = &entry[column]["lobbyBypassSettings"];
        assert_eq!(bypass["scope"], "everyone", "{column}: {entry}");
        assert_eq!(bypass["isDialInBypassEnabled"], true, "{column}: {entry}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_refuses_a_start_in_the_past_as_create_does() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let out = tmeet(
        home.path(),
        &endpoints,
        &["create", "-s", "P", START[0], START[1]],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let moved = [
        "update",
        "1",
        "--start",
        "2020-01-01 10:00",
        "--duration",
        "30m",
    ];
    let out = tmeet(home.path(), &endpoints, &moved).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("in the past"), "{out:?}");
    let stored = &emu.stored_meetings()[0];
    assert!(
        stored["startDateTime"]
            .as_str()
            .unwrap()
            .starts_with("2037"),
        "nothing was sent"
    );
    let mut forced = moved.to_vec();
    forced.push("--allow-past");
    let out = tmeet(home.path(), &endpoints, &forced).await;
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_refuses_create_only_options_and_lone_times() {
    let home = tempfile::tempdir().unwrap();
    let (_emu, endpoints) = signed_in(home.path(), &[]).await;
    let out = tmeet(
        home.path(),
        &endpoints,
        &["update", "some-id", "--change-name", "on"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr)
            .contains("allowParticipantsToChangeName) can only be set when the meeting is created"),
        "{out:?}"
    );
    let out = tmeet(
        home.path(),
        &endpoints,
        &["update", "some-id", "--start", "14:00"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = tmeet(home.path(), &endpoints, &["update", "some-id"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("nothing to change"), "{out:?}");
}

/// A tenant policy overrides options silently (201); the read-back says so.
#[tokio::test]
async fn a_policy_override_is_shown_on_stderr() {
    let home = tempfile::tempdir().unwrap();
    let create = |json: bool| {
        let mut cmd = common::command(
            home.path(),
            &[
                "--demo",
                "create",
                "-s",
                "x",
                "--lobby",
                "everyone",
                "--recording",
                "on",
                START[0],
                START[1],
            ],
        );
        if json {
            cmd.arg("--json");
        }
        cmd.env("TMEET_EMULATOR_POLICY", "lobby=organization,recording=off");
        cmd
    };
    let out = run(create(true)).await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["lobbyBypassSettings"]["scope"], "organization");
    let err = text(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("{\"tenantChanged\""))
        .unwrap_or_else(|| panic!("{err}"));
    let v: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        v["tenantChanged"][0],
        serde_json::json!({"option":"lobby","graph":"lobbyBypassSettings.scope","asked":"everyone","set":"organization"})
    );
    assert_eq!(v["tenantChanged"][1]["option"], "recording");
    let out = run(create(false)).await;
    assert!(
        text(&out.stderr).contains(
            "tenant changed: lobby: asked everyone, tenant set people in my org and guests"
        ),
        "{out:?}"
    );
}

/// Nobody is sent for a roleIsPresenter meeting without a presenter, nor for a person the
/// directory does not know.
#[tokio::test]
async fn attendees_outside_the_directory_are_refused_before_creating() {
    let home = tempfile::tempdir().unwrap();
    let out = run(common::command(
        home.path(),
        &[
            "--demo",
            "create",
            "-s",
            "x",
            "--json",
            "--presenters",
            "role-is-presenter",
            START[0],
            START[1],
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "no presenter: {out:?}");
    let out = run(common::command(
        home.path(),
        &[
            "--demo",
            "create",
            "-s",
            "x",
            "--json",
            "--attendee",
            "nobody-at-all@example.invalid",
            START[0],
            START[1],
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("share the join link"), "{out:?}");
}

/// `User.ReadBasic.All` is asked for only once attendees are used: without it and without a
/// terminal, the error names the command that grants it and nothing is sent; that command
/// keeps what the sign-in had and adds the permission.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendees_ask_for_directory_permission_first() {
    let home = tempfile::tempdir().unwrap();
    let (emu, endpoints) = signed_in(home.path(), &[]).await;
    let args = [
        "create",
        "-s",
        "x",
        "--attendee",
        "adele@contoso.com",
        START[0],
        START[1],
    ];
    let out = tmeet(home.path(), &endpoints, &args).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("User.ReadBasic.All")
            && err.contains("tmeet login --scope User.ReadBasic.All"),
        "{err}"
    );
    assert_eq!(emu.meeting_count(), 0);
    let out = tmeet(
        home.path(),
        &endpoints,
        &["login", "--no-browser", "--scope", "User.ReadBasic.All"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let out = tmeet(home.path(), &endpoints, &["status"]).await;
    let status = text(&out.stdout);
    assert!(
        status.contains("User.ReadBasic.All") && status.contains("OnlineMeetings.ReadWrite"),
        "{status}"
    );
    let out = tmeet(home.path(), &endpoints, &args).await;
    assert!(
        !text(&out.stderr).contains("tmeet login --scope"),
        "the permission is there now: {out:?}"
    );
}
