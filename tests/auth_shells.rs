//! Several tmeet processes sharing one stored sign-in, as two shells (or a script running
//! creates in parallel) do: when the access token dies, exactly one of them refreshes,
//! the others use what it stored, and the sign-in survives.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use common::command_for as tmeet;
const PROCESSES: usize = 6;
const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_creates_over_an_expired_token_all_succeed_and_keep_the_sign_in() {
    let emu = common::approving_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let out = run(tmeet(&emu, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");

    for round in 0..ROUNDS {
        // Through the control endpoint, as a script would: every access token issued so
        // far is dead, while the stored copy still claims an hour. Each process learns it
        // from a 401 and must refresh (or take the refresh another one just stored).
        let expired = reqwest::Client::new()
            .post(format!("{}_emulator/tokens/expire", emu.login_url()))
            .send()
            .await
            .unwrap();
        assert!(expired.status().is_success(), "{expired:?}");
        let creates: Vec<_> = (0..PROCESSES)
            .map(|i| {
                let subject = format!("round {round} process {i}");
                run(tmeet(&emu, home.path(), &["create", "--subject", &subject]))
            })
            .collect();
        for (i, out) in futures::future::join_all(creates).await.iter().enumerate() {
            assert!(
                out.status.success(),
                "round {round}, process {i}: {}",
                text(&out.stderr)
            );
        }
    }
    assert_eq!(emu.meeting_count(), PROCESSES * ROUNDS);
    let out = run(tmeet(&emu, home.path(), &["status"])).await;
    assert!(out.status.success(), "the sign-in was lost: {out:?}");
}
