//! The meeting history through the real binary against an emulator: `create` records,
//! `list` / `show` / `delete` read and change it, `--refresh` notices what was done
//! elsewhere, two processes record at once, `--external-id` gives one meeting.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{Pty, base_env, form_ready, run, text};

use serde_json::Value;
use std::process::{Command, Output};
use tmeet_emulator::Emulator;

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

struct Setup {
    emu: Emulator,
    home: tempfile::TempDir,
    common: Vec<String>,
}

impl Setup {
    /// A signed-in tmeet against a fresh emulator, with a private data directory.
    async fn new() -> Setup {
        let emu = common::approving_emulator().await;
        let home = tempfile::tempdir().unwrap();
        let common = vec![
            "--graph-url".to_string(),
            emu.graph_url().to_string(),
            "--login-url".into(),
            emu.login_url().to_string(),
            "--client-id".into(),
            CLIENT_ID.into(),
        ];
        let s = Setup { emu, home, common };
        let out = s.run(&["login"]).await;
        assert!(out.status.success(), "{out:?}");
        s
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let all: Vec<&str> = self
            .common
            .iter()
            .map(String::as_str)
            .chain(args.iter().copied())
            .collect();
        common::command(self.home.path(), &all)
    }

    async fn run(&self, args: &[&str]) -> Output {
        run(self.cmd(args)).await
    }

    async fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args).await;
        assert!(out.status.success(), "{args:?}: {out:?}");
        out
    }

    async fn list_json(&self, extra: &[&str]) -> Vec<Value> {
        let out = self.ok(&[&["list", "--json"], extra].concat()).await;
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// POST to the emulator's control surface.
    async fn control(&self, path: &str, body: &str) -> u16 {
        let url = format!("http://{}{path}", self.emu.addr());
        reqwest::Client::new()
            .post(url)
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    fn history_file(&self) -> std::path::PathBuf {
        self.home.path().join("data/tmeet/history.sqlite3")
    }
}

fn subjects(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_delete_and_refresh_follow_the_service() {
    let s = Setup::new().await;
    // Created out of start order; years ahead so they are upcoming.
    for (subject, start) in [
        ("Third", "2037-12-03 10:00"),
        ("First", "2037-12-01 10:00"),
        ("Second", "2037-12-02 10:00"),
    ] {
        s.ok(&["create", "-s", subject, "--start", start]).await;
    }
    let list = s.list_json(&[]).await;
    assert_eq!(subjects(&list), ["First", "Second", "Third"]);
    assert!(
        list.iter()
            .all(|e| e["state"] == "active" && e["kind"] == "standalone")
    );
    // Refs are the creation order, and stay.
    assert_eq!(list[0]["ref"], 2);

    // The human table: ref, local time, kind, subject.
    let out = s.ok(&["list"]).await;
    let table = text(&out.stdout);
    assert!(
        table.contains("   2  2037-12-01 10:00  standalone  First"),
        "{table}"
    );

    // delete by short ref: gone from the service, marked in the history.
    assert_eq!(s.emu.meeting_count(), 3);
    let out = s.ok(&["delete", "2", "--yes"]).await;
    assert!(
        text(&out.stdout).contains("Deleted ref 2 \"First\""),
        "{out:?}"
    );
    assert_eq!(s.emu.meeting_count(), 2);
    let list = s.list_json(&[]).await;
    assert_eq!(list[0]["state"], "deleted");
    // Again: already gone is success, and says so.
    let out = s.ok(&["delete", "2", "--yes", "--json"]).await;
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["alreadyGone"], true);

    // Deleted and changed elsewhere: only --refresh can know.
    let second = list[1]["id"].as_str().unwrap().to_string();
    let third = list[2]["id"].as_str().unwrap().to_string();
    assert_eq!(
        s.control(&format!("/_emulator/meetings/{second}/delete"), "")
            .await,
        204
    );
    assert_eq!(
        s.control(
            &format!("/_emulator/meetings/{third}/patch"),
            r#"{"subject":"Renamed in Teams"}"#
        )
        .await,
        200
    );
    let before = s.list_json(&[]).await;
    assert_eq!(before[1]["state"], "active", "nothing asked Graph yet");
    let out = s.ok(&["list", "--refresh"]).await;
    let table = text(&out.stdout);
    assert!(table.contains("[deleted] Second"), "{table}");
    assert!(
        table.contains("[changed elsewhere] Renamed in Teams"),
        "{table}"
    );
    assert!(
        text(&out.stderr).contains("1 deleted elsewhere, 1 changed elsewhere"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_asks_and_a_script_must_say_yes() {
    let s = Setup::new().await;
    s.ok(&["create", "-s", "Keep", "--start", "2037-12-01 10:00"])
        .await;
    // No terminal to ask on: refused before anything is sent.
    let out = s.run(&["delete", "1"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("--yes"), "{out:?}");
    // A standalone meeting has nobody to send a cancellation message to.
    let out = s.run(&["delete", "1", "--yes", "--message", "sorry"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // Unknown and ambiguous refs say what to run.
    let out = s.run(&["delete", "7", "--yes"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("tmeet list"), "{out:?}");
    assert_eq!(s.emu.meeting_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_record_at_the_same_moment() {
    let s = Setup::new().await;
    // Four at once, twice: every row lands, and nobody sees "database is locked".
    for round in 0..2 {
        let children: Vec<_> = (0..4)
            .map(|i| {
                let subject = format!("Parallel {round}-{i}");
                let mut c = s.cmd(&["create", "-s", &subject, "--start", "2037-12-01 10:00"]);
                c.stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                c.spawn().unwrap()
            })
            .collect();
        let outs = tokio::task::spawn_blocking(move || {
            children
                .into_iter()
                .map(|c| c.wait_with_output().unwrap())
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        for out in outs {
            assert!(out.status.success(), "{out:?}");
            assert!(
                !text(&out.stderr).contains("warning"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    assert_eq!(s.emu.meeting_count(), 8);
    assert_eq!(s.list_json(&[]).await.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_id_twice_is_one_meeting_and_says_it_existed() {
    let s = Setup::new().await;
    let args = [
        "create",
        "-s",
        "Nightly",
        "--start",
        "2037-12-01 10:00",
        "--external-id",
        "build-4711",
    ];
    let out = s.ok(&args).await;
    assert!(
        text(&out.stderr).contains("created a new meeting with external id 'build-4711'"),
        "{out:?}"
    );
    let first = text(&out.stdout);
    let out = s.ok(&args).await;
    assert!(text(&out.stderr).contains("already existed"), "{out:?}");
    assert_eq!(s.emu.meeting_count(), 1);
    let join = |o: &str| {
        o.lines()
            .find(|l| l.starts_with("Join URL:"))
            .unwrap()
            .to_string()
    };
    assert_eq!(join(&first), join(&text(&out.stdout)));
    // --json: stdout is the service's object, the fact a JSON line on stderr.
    let out = s.ok(&[&args[..], &["--json"]].concat()).await;
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["externalId"], "build-4711");
    let fact: Value = serde_json::from_str(text(&out.stderr).trim()).unwrap();
    assert_eq!(
        fact,
        serde_json::json!({"externalId": "build-4711", "existed": true})
    );
    // One row in the history, with its external id.
    let list = s.list_json(&[]).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["externalId"], "build-4711");
    // The passcode would be ignored: refused before anything is sent.
    let out = s.run(&[&args[..], &["--passcode"]].concat()).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(s.emu.meeting_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_fetches_the_passcode_the_history_does_not_keep() {
    let s = Setup::new().await;
    let out = s
        .ok(&[
            "create",
            "-s",
            "Secret",
            "--start",
            "2037-12-01 10:00",
            "--passcode",
        ])
        .await;
    let passcode = text(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Passcode:"))
        .unwrap()
        .trim()
        .to_string();
    assert_ne!(passcode, "none");
    let bytes = std::fs::read(s.history_file()).unwrap();
    let wal = std::fs::read(format!("{}-wal", s.history_file().display())).unwrap_or_default();
    for b in [&bytes, &wal] {
        assert!(
            !b.windows(passcode.len()).any(|w| w == passcode.as_bytes()),
            "the passcode is in the history"
        );
    }
    // Signed in: read again from Graph, passcode and invitation included.
    let out = s.ok(&["show", "1"]).await;
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&format!("Passcode:   {passcode}")),
        "{shown}"
    );
    assert!(shown.contains("Invitation:"), "{shown}");
    // From the history alone: said, not faked.
    let out = s.ok(&["show", "1", "--offline"]).await;
    let shown = text(&out.stdout);
    assert!(
        shown.contains("Passcode:   required; not stored"),
        "{shown}"
    );
    assert!(!shown.contains(&passcode), "{shown}");
    assert!(shown.contains("Invitation:"), "{shown}");
    // By join link, as JSON.
    let list = s.list_json(&[]).await;
    let link = list[0]["joinWebUrl"].as_str().unwrap();
    let out = s.ok(&["show", link, "--json"]).await;
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "graph");
    assert_eq!(v["entry"]["ref"], 1);
    // Gone at the service: show says so and the history follows.
    let id = list[0]["id"].as_str().unwrap();
    s.control(&format!("/_emulator/meetings/{id}/delete"), "")
        .await;
    let out = s.ok(&["show", "1"]).await;
    assert!(
        text(&out.stdout).contains("deleted at the service"),
        "{out:?}"
    );
    assert_eq!(s.list_json(&[]).await[0]["state"], "deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_off_records_nothing_and_list_says_how_to_turn_it_on() {
    let s = Setup::new().await;
    let mut c = s.cmd(&["create", "-s", "Unrecorded", "--start", "2037-12-01 10:00"]);
    c.env("TMEET_HISTORY", "off");
    let out = run(c).await;
    assert!(out.status.success(), "{out:?}");
    assert!(!s.history_file().exists());
    let mut c = s.cmd(&["list"]);
    c.env("TMEET_HISTORY", "off");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("history is off"), "{out:?}");
    // config.toml says the same.
    let config = s.home.path().join("config/tmeet/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "history = false\n").unwrap();
    s.ok(&[
        "create",
        "-s",
        "Unrecorded too",
        "--start",
        "2037-12-01 10:00",
    ])
    .await;
    assert!(!s.history_file().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_that_cannot_be_written_does_not_lose_the_meeting() {
    let s = Setup::new().await;
    // A directory where the file should be: SQLite cannot open it.
    std::fs::create_dir_all(s.history_file()).unwrap();
    let out = s
        .ok(&[
            "create",
            "-s",
            "Still created",
            "--start",
            "2037-12-01 10:00",
        ])
        .await;
    assert!(text(&out.stdout).contains("Join URL:"), "{out:?}");
    assert!(
        text(&out.stderr).contains("created but not recorded in the history"),
        "{out:?}"
    );
    assert_eq!(s.emu.meeting_count(), 1);
}

#[test]
fn the_tui_lists_what_it_created_and_a_demo_writes_no_file() {
    let home = tempfile::tempdir().unwrap();
    let env = base_env(home.path());
    let mut pty = Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("the form", form_ready);
    pty.send("Standup");
    pty.send("\x13"); // Ctrl+S
    pty.wait_for("the created meeting", |s| s.contains("Meeting created"));
    pty.send("\x1bOQ"); // F2
    let screen = pty.wait_for("My meetings with the meeting", |s| {
        s.contains("My meetings") && s.contains("standalone  Standup")
    });
    assert!(screen.contains("REF"), "{screen}");
    pty.send("\r");
    let screen = pty.wait_for("the meeting opened", |s| {
        s.contains("Meeting from My meetings")
    });
    assert!(screen.contains("Join link"), "{screen}");
    pty.send("q");
    assert!(pty.wait_exit().success());
    // A demo's meetings live in its emulator: its history is in memory only.
    assert!(!home.path().join("data/tmeet/history.sqlite3").exists());
}

#[test]
fn delete_on_a_terminal_asks_and_only_yes_deletes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(async {
        let s = Setup::new().await;
        s.ok(&["create", "-s", "Wrong one", "--start", "2037-12-01 10:00"])
            .await;
        s
    });
    let args: Vec<&str> = s.common.iter().map(String::as_str).collect();
    let env = base_env(s.home.path());
    let mut pty = Pty::spawn(&[&args[..], &["delete", "1"]].concat(), &env, 100, 10);
    pty.wait_for("the question", |t| {
        t.contains("Delete ref 1 \"Wrong one\"") && t.contains("y/N")
    });
    pty.send("n\r");
    assert!(!pty.wait_exit().success(), "no is not done");
    assert_eq!(s.emu.meeting_count(), 1);
    let mut pty = Pty::spawn(&[&args[..], &["delete", "1"]].concat(), &env, 100, 10);
    pty.wait_for("the question", |t| t.contains("y/N"));
    pty.send("y\r");
    pty.wait_for("the outcome", |t| t.contains("Deleted ref 1"));
    assert!(pty.wait_exit().success());
    assert_eq!(s.emu.meeting_count(), 0);
    drop(s);
    drop(rt);
}

/// Issue 12: `update REF` changes the meeting at the service and the history follows, by
/// short ref as `list` shows it; `--duration` moves the end with a new start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_by_short_ref_changes_the_service_and_the_history() {
    let s = Setup::new().await;
    s.ok(&["create", "-s", "Before", "--start", "2037-12-01 10:00"])
        .await;
    let list = s.list_json(&[]).await;
    let reference = list[0]["ref"].to_string();
    s.ok(&[
        "update",
        &reference,
        "--subject",
        "After",
        "--start",
        "2037-12-02 09:00",
        "--duration",
        "45m",
        "--chat",
        "limited",
    ])
    .await;
    let stored = s.emu.stored_meetings();
    assert_eq!(stored.len(), 1);
    let m = &stored[0];
    assert_eq!(m["subject"], "After", "{m}");
    assert_eq!(m["allowMeetingChat"], "limited", "{m}");
    let list = s.list_json(&[]).await;
    assert_eq!(subjects(&list), ["After"]);
    let start = list[0]["startDateTime"].as_str().unwrap().to_string();
    let end = list[0]["endDateTime"].as_str().unwrap().to_string();
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert_eq!(
        (parse(&end) - parse(&start)).num_minutes(),
        45,
        "{start} {end}"
    );
    // A ref the history does not know is sent to the service as an id: it answers 404.
    let out = s
        .run(&["update", "no-such-meeting", "--subject", "x"])
        .await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

/// The form's edit of a meeting made and changed on the command line: it opens with the
/// meeting as the service has it (not the form's leftovers), and what is changed there,
/// attendees and options included, reaches the service and the history.
#[test]
fn the_forms_edit_opens_from_the_service_and_saves_attendees_and_options() {
    const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
    const ALEX: &str = "AlexW@contoso.onmicrosoft.com";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(async {
        let s = Setup::new().await;
        s.ok(&["login", "--scope", "User.ReadBasic.All"]).await;
        s.ok(&[
            "create",
            "-s",
            "One",
            "--passcode",
            "--start",
            "2037-12-01 10:00",
        ])
        .await;
        let presenter = format!("{MEGAN}:presenter");
        s.ok(&[
            "update",
            "1",
            "--attendee",
            &presenter,
            "--presenters",
            "role-is-presenter",
            "--lobby",
            "everyone",
        ])
        .await;
        s
    });
    let args: Vec<&str> = s.common.iter().map(String::as_str).collect();
    let env = base_env(s.home.path());
    let mut pty = Pty::spawn(&args, &env, 110, 44);
    pty.wait_for("the form", form_ready);
    // Something typed before the edit, that must not leak into it.
    pty.send("\t\t\t\t\t\tPattiF@contoso.onmicrosoft.com");
    pty.wait_for("the leftover typed", |t| t.contains("PattiF"));
    pty.send("\x1bOQ"); // F2
    pty.wait_for("My meetings", |t| t.contains("standalone  One"));
    pty.send("e");
    let screen = pty.wait_for("the edit", |t| t.contains("Editing"));
    assert!(screen.contains(&format!("{MEGAN}:presenter")), "{screen}");
    assert!(
        !screen.contains("PattiF"),
        "the last form's attendee:\n{screen}"
    );
    assert!(screen.contains("[x] required to join"), "{screen}");
    assert!(screen.contains("lobby: everyone"), "{screen}");
    assert!(screen.contains("presenters: specific people"), "{screen}");
    // Attendees: one more. Options: the lobby, one value on.
    pty.send("\t\t\t\t\t\t\x1b[F");
    pty.send(&format!(", {ALEX}"));
    pty.wait_for("Alex added", |t| t.contains(ALEX));
    pty.send("\t\x1b[C\x1b[C");
    pty.wait_for("the lobby changed", |t| {
        t.contains("people in my org, trusted orgs and guests")
    });
    pty.send("\x13"); // Ctrl+S
    let screen = pty.wait_for("saved", |t| t.contains("Saved at the service"));
    assert!(
        screen.contains("attendees, Who can bypass the lobby"),
        "{screen}"
    );
    pty.send("q");
    pty.wait_exit();

    let stored = &s.emu.stored_meetings()[0];
    let people = stored["participants"]["attendees"].as_array().unwrap();
    let role = |upn: &str| {
        people
            .iter()
            .find(|p| {
                p["upn"]
                    .as_str()
                    .is_some_and(|u| u.eq_ignore_ascii_case(upn))
            })
            .map(|p| p["role"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(role(MEGAN).as_deref(), Some("presenter"), "{stored}");
    assert_eq!(role(ALEX).as_deref(), Some("attendee"), "{stored}");
    assert_eq!(
        stored["lobbyBypassSettings"]["scope"],
        "organizationAndFederated"
    );
    assert_eq!(stored["allowedPresenters"], "roleIsPresenter");
    assert_eq!(stored["joinMeetingIdSettings"]["isPasscodeRequired"], true);

    let out = rt.block_on(s.ok(&["show", "1", "--json", "--offline"]));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = &shown["entry"];
    let listed: Vec<&str> = entry["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["upn"].as_str())
        .collect();
    assert_eq!(listed.len(), 2, "{entry}");
    assert_eq!(
        entry["optionsAsked"]["lobbyBypassSettings"]["scope"],
        "organizationAndFederated"
    );
    assert_eq!(entry["subject"], "One");
}

/// `list` and `list --json` print from the columns they show: the stored meeting (read by
/// `show` alone) is never read, so a row whose stored meeting cannot even be read as text
/// still lists, and `show` is what reports it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_reads_no_stored_meeting() {
    let s = Setup::new().await;
    s.ok(&["create", "-s", "Listed", "--start", "2037-12-01 10:00"])
        .await;
    s.ok(&["create", "-s", "Also listed", "--start", "2037-12-02 10:00"])
        .await;
    rusqlite::Connection::open(s.history_file())
        .unwrap()
        .execute("UPDATE stored_meetings SET json = X'FFFE00'", [])
        .unwrap();
    let out = s.ok(&["list", "--all"]).await;
    let table = text(&out.stdout);
    assert!(
        table.contains("Listed") && table.contains("Also listed"),
        "{table}"
    );
    let list = s.list_json(&["--all"]).await;
    assert_eq!(subjects(&list), ["Listed", "Also listed"]);
    assert_eq!(list[0]["ref"], 1);
    assert!(list[0]["optionsAsked"].is_object(), "{}", list[0]);
    let shown = s.run(&["show", "1"]).await;
    assert!(!shown.status.success(), "{shown:?}");
}
