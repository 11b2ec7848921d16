//! What a create says happened, through the real binary: every case of the outcome table
//! (`tmeet::exit::Outcome`) with its exit status and its words. A gateway's 502 or 504
//! after the write, Ctrl+C while the request is on its way, an output that cannot be
//! written after the meeting exists, and an event the service gave no Teams link.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, signed_in, text, with_endpoints};

use serde_json::Value;
use std::process::Stdio;
use tmeet_emulator::Fault;

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

fn standalone<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["create", "-s", "Gateway", "--start", "2037-12-01 14:00"];
    a.extend_from_slice(extra);
    a
}

fn calendar<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "create",
        "--calendar",
        "-s",
        "Design review",
        "--start",
        "2037-12-01 14:00",
        "--duration",
        "45m",
        "--attendee",
        MEGAN,
        "--attendee",
        ALEX,
    ];
    a.extend_from_slice(extra);
    a
}

fn history(home: &std::path::Path, endpoints: &[String]) -> Vec<Value> {
    let out = std::process::Command::new(common::tmeet_bin())
        .env_clear()
        .envs(common::base_env(home))
        .stdin(Stdio::null())
        .args(with_endpoints(endpoints, &["list", "--json"]))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// A gateway's 502 or 504 after the write: the meeting exists though the answer said
/// nothing of it. Exit 3 with "may exist" and the client-request-id, never a second POST
/// (which would be a second meeting).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_after_the_write_is_may_exist_and_is_not_sent_again() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &[]).await;
    for (fault, status) in [("502", 502), ("504", 504)] {
        let before = emu.meeting_count();
        emu.push_fault(Fault::GatewayAfterWrite { status });
        for json in [false, true] {
            let mut args = standalone(&[]);
            if json {
                args.push("--json");
            }
            let out = run(common::command(home.path(), &with_endpoints(&ep, &args))).await;
            if !json {
                let err = text(&out.stderr);
                assert_eq!(out.status.code(), Some(3), "{fault}: {err}");
                assert_eq!(err.lines().count(), 1, "one line: {err}");
                assert!(err.starts_with("tmeet: the meeting may exist"), "{err}");
                assert!(err.contains(&format!("HTTP {status}")), "{err}");
                assert!(err.contains("[client-request-id "), "{err}");
                assert!(
                    err.contains("--external-id"),
                    "how to be safe next time: {err}"
                );
                assert!(out.stdout.is_empty(), "{out:?}");
                assert_eq!(emu.meeting_count(), before + 1, "made once, not sent again");
            } else {
                assert!(out.status.success(), "the fault is spent: {out:?}");
            }
        }
    }
    // With --external-id, the advice is the safe retry itself.
    emu.push_fault(Fault::GatewayAfterWrite { status: 504 });
    let out = run(common::command(
        home.path(),
        &with_endpoints(&ep, &standalone(&["--external-id", "ticket-9"])),
    ))
    .await;
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        text(&out.stderr).contains("Run the same command again"),
        "{out:?}"
    );
    let again = run(common::command(
        home.path(),
        &with_endpoints(&ep, &standalone(&["--external-id", "ticket-9"])),
    ))
    .await;
    assert!(again.status.success(), "{again:?}");
    assert!(text(&again.stderr).contains("already existed"), "{again:?}");
    emu.shutdown().await;
}

/// For an event the same gateway error is safe to send again: the transaction id makes
/// the service return the event the first POST made. One event, one invitation each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_on_an_event_create_is_sent_again_with_the_same_transaction_id() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let events = emu.event_count();
    let mails = emu.sent_mail().len();
    emu.push_fault(Fault::GatewayAfterWrite { status: 504 });
    let out = run(common::command(
        home.path(),
        &with_endpoints(&ep, &calendar(&[])),
    ))
    .await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(emu.event_count() - events, 1);
    assert_eq!(emu.sent_mail().len() - mails, 2, "one invitation each");
    emu.shutdown().await;
}

/// `create > /dev/full`: the meeting exists and is in the history, so it is not a failure
/// a script would retry: exit 0, and a warning naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_that_cannot_be_written_after_the_create_is_a_warning_not_a_failure() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let cases: [Vec<&str>; 4] = [
        standalone(&[]),
        standalone(&["--json"]),
        calendar(&[]),
        calendar(&["--json"]),
    ];
    for (n, args) in cases.iter().enumerate() {
        let mut cmd = common::command(home.path(), &with_endpoints(&ep, args));
        cmd.stdout(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        );
        let out = run(cmd).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        let warning = err
            .lines()
            .find(|l| l.contains("output could not be written"))
            .unwrap_or_else(|| panic!("{args:?}: {err}"));
        assert!(
            warning.starts_with("tmeet: warning: the meeting was created"),
            "{warning}"
        );
        assert!(
            warning.contains("https://"),
            "names it by its link: {warning}"
        );
        assert!(warning.contains("tmeet list"), "{warning}");
        assert_eq!(history(home.path(), &ep).len(), n + 1, "{args:?}: recorded");
    }
    emu.shutdown().await;
}

/// Ctrl+C while the POST is certainly on its way (the emulator holds its answer): still
/// 130, as the contract says, but no longer silent: the meeting may exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_while_the_create_is_in_flight_says_the_meeting_may_exist() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    for (args, noun) in [(standalone(&[]), "meeting"), (calendar(&[]), "event")] {
        emu.push_fault(Fault::HoldAfterWrite);
        let child = common::command(home.path(), &with_endpoints(&ep, &args))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        tokio::time::timeout(common::DEADLINE, emu.held())
            .await
            .expect("the create reaches the emulator");
        // SAFETY: a plain kill(2) of our own child.
        assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        emu.release_held();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert!(
            err.contains(&format!(
                "cancelled while the request was on its way: the {noun} may exist"
            )),
            "{err}"
        );
        assert!(err.contains("client-request-id"), "{err}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    assert_eq!(emu.meeting_count(), 2, "both creates reached the service");
    emu.shutdown().await;
}

/// The silent downgrade (GRAPH-SCHEDULING.md §3.6): the event exists and its invitations
/// went out. Exit 4 (not 1, "nothing was created"), the event named (subject, time,
/// Outlook link), recorded in the history without a join link, and offered to be cancelled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_without_a_teams_link_is_named_recorded_and_offered_to_be_cancelled() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    emu.push_fault(Fault::EventDowngrade);
    let out = run(common::command(
        home.path(),
        &with_endpoints(&ep, &calendar(&["--json"])),
    ))
    .await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.starts_with("tmeet: the event was created without a Teams link: \"Design review\" at 2037-12-01 14:00 +01:00; invitations sent to 2 people. The event exists, but the service gave it no Teams meeting"),
        "{err}"
    );
    assert!(!err.contains("nothing was created"), "{err}");
    assert!(
        err.contains("so cancelling it and creating it again may give one"),
        "{err}"
    );
    assert!(
        err.contains("tmeet: the event in Outlook: https://"),
        "{err}"
    );
    assert!(
        err.contains("it is in the history as 1 (tmeet show 1)"),
        "{err}"
    );
    assert!(err.contains("with: tmeet cancel 1"), "{err}");
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        event["isOnlineMeeting"], false,
        "stdout is the event: {event}"
    );
    let rows = history(home.path(), &ep);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0]["joinUrl"].is_null(), "{rows:?}");
    // The history copes with a row without a join link, and cancel reaches the event.
    let show = run(common::command(
        home.path(),
        &with_endpoints(&ep, &["show", "1"]),
    ))
    .await;
    assert!(show.status.success(), "{show:?}");
    assert!(text(&show.stdout).contains("Design review"), "{show:?}");
    let list = run(common::command(
        home.path(),
        &with_endpoints(&ep, &["list"]),
    ))
    .await;
    assert!(list.status.success(), "{list:?}");
    let mails = emu.sent_mail().len();
    let cancel = run(common::command(
        home.path(),
        &with_endpoints(&ep, &["cancel", "1", "--yes"]),
    ))
    .await;
    assert!(cancel.status.success(), "{cancel:?}");
    assert_eq!(
        emu.sent_mail().len() - mails,
        2,
        "a cancellation to each invitee"
    );
    emu.shutdown().await;
}
