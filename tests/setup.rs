//! `tmeet setup` as a new user runs it: in a terminal (answers typed, bad ones asked again,
//! config.toml written keeping what was there, the sign-in, doctor's checks, one last line),
//! and from a script with flags; without either it is a usage error.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{Pty, base_env, run, text};

use tmeet_emulator::{Emulator, EmulatorOptions, SignInModes};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// The emulator as a tenant that registered tmeet the README's way: single-tenant.
async fn tenant() -> Emulator {
    Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        signin: "audience=single".parse::<SignInModes>().unwrap(),
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

fn env(emu: &Emulator, home: &std::path::Path) -> Vec<(String, String)> {
    let mut env = base_env(home);
    env.push(("TMEET_LOGIN_URL".into(), emu.login_url().to_string()));
    env.push(("TMEET_GRAPH_URL".into(), emu.graph_url().to_string()));
    env
}

fn config(home: &std::path::Path) -> std::path::PathBuf {
    home.join("config/tmeet/config.toml")
}

#[test]
fn the_wizard_asks_checks_writes_signs_in_and_says_ready() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(tenant());
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config(home.path()).parent().unwrap()).unwrap();
    std::fs::write(
        config(home.path()),
        "# my settings\nlanguage = \"de-DE\" # invitations in German\ntenant = \"organizations\"\n",
    )
    .unwrap();

    let mut t = Pty::spawn(&["setup"], &env(&emu, home.path()), 120, 50);
    let s = t.wait_for("the first question", |s| {
        s.contains("Cloud (global, usgov, dod) [global]:")
    });
    assert!(
        s.contains("az ad app create")
            && s.contains("--public-client-redirect-uris http://localhost"),
        "{s}"
    );
    assert!(s.contains("Allow public client flows"), "{s}");
    t.send("\r");
    t.wait_for("the client id question", |s| {
        s.contains("Application (client) ID:")
    });
    t.send("tmeet\r");
    t.wait_for("the client id refused", |s| {
        s.contains("'tmeet' is not an Application (client) ID")
    });
    t.send(&format!("{CLIENT_ID}\r"));
    // The file's `organizations` is offered, and refused: this app is single-tenant.
    t.wait_for("the tenant question", |s| {
        s.contains("Directory (tenant) ID or domain [organizations]:")
    });
    t.send("\r");
    t.wait_for("organizations refused", |s| s.contains("AADSTS50194"));
    t.send("contoso.onmicrosoft.com\r");
    let s = t.wait_for("the last line", |s| {
        s.contains("Ready:") || s.contains("not ready")
    });
    assert!(s.contains("Ready: tmeet creates meetings"), "{s}");
    assert!(t.saw(|s| s.contains("Signed in as")), "signed in");
    assert!(
        t.saw(|s| s.contains("✓ sign-in:")),
        "doctor's checks were shown"
    );
    assert!(t.wait_exit().success());

    let written = std::fs::read_to_string(config(home.path())).unwrap();
    for kept in [
        "# my settings",
        "language = \"de-DE\" # invitations in German",
    ] {
        assert!(written.contains(kept), "{written}");
    }
    for new in [
        format!("client-id = \"{CLIENT_ID}\""),
        "tenant = \"contoso.onmicrosoft.com\"".to_string(),
        "cloud = \"global\"".to_string(),
    ] {
        assert!(written.contains(&new), "{written}");
    }
    // And from now on tmeet works with no flags.
    let mut cmd = common::command(home.path(), &["status"]);
    cmd.envs(env(&emu, home.path()));
    let out = rt.block_on(run(cmd));
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_answer_the_questions_for_scripts() {
    let emu = tenant().await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = common::command(
        home.path(),
        &[
            "setup",
            "--client-id",
            CLIENT_ID,
            "--tenant",
            "contoso.onmicrosoft.com",
        ],
    );
    cmd.envs(env(&emu, home.path()));
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("Signed in as") && stdout.lines().last().unwrap().starts_with("Ready:"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("az ad app create"),
        "no wizard text for scripts: {stdout}"
    );
    let written = std::fs::read_to_string(config(home.path())).unwrap();
    assert!(
        written.contains("tenant = \"contoso.onmicrosoft.com\""),
        "{written}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_cannot_work_is_refused_before_anything_is_written() {
    let emu = tenant().await;
    let home = tempfile::tempdir().unwrap();
    let case = |args: &[&str]| {
        let mut cmd = common::command(home.path(), args);
        cmd.envs(env(&emu, home.path()));
        cmd
    };
    // No terminal, no flags.
    let out = run(case(&["setup"])).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr).contains("pass --client-id and --tenant"),
        "{out:?}"
    );
    // A tenant that a single-tenant app cannot use, a client id that is not one.
    let out = run(case(&[
        "setup",
        "--client-id",
        CLIENT_ID,
        "--tenant",
        "organizations",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("--tenant") && text(&out.stderr).contains("AADSTS50194"));
    let out = run(case(&[
        "setup",
        "--client-id",
        "my-app",
        "--tenant",
        "contoso.com",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("--client-id"), "{out:?}");
    assert!(!config(home.path()).exists(), "nothing was written");
    // A config file tmeet cannot read is named, and left alone.
    std::fs::create_dir_all(config(home.path()).parent().unwrap()).unwrap();
    std::fs::write(config(home.path()), "tenant = [oops\n").unwrap();
    let out = run(case(&[
        "setup",
        "--client-id",
        CLIENT_ID,
        "--tenant",
        "contoso.com",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(text(&out.stderr).contains("not valid TOML"), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(config(home.path())).unwrap(),
        "tenant = [oops\n"
    );
}

/// The README's app registration section, `tmeet login --help` and the man page tell the
/// same story: the redirect URI and its platform, public client flows, the tenant ID a
/// single-tenant app needs, and `tmeet setup`.
#[test]
fn the_readme_login_help_and_man_page_agree() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Sign-in and app registration")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("**", "");
    let home = tempfile::tempdir().unwrap();
    let help = text(
        &common::command(home.path(), &["login", "--help"])
            .output()
            .unwrap()
            .stdout,
    );
    let man = text(
        &common::command(home.path(), &["man"])
            .output()
            .unwrap()
            .stdout,
    )
    .replace("\\-", "-");
    assert!(
        section.find("tmeet setup").unwrap() < section.find("by hand").unwrap(),
        "setup comes first"
    );
    for fact in [
        "http://localhost",
        "Mobile and desktop applications",
        "Allow public client flows",
        "Directory (tenant) ID",
        "tmeet setup",
        "paste",
        "--device-code",
        "--browser",
    ] {
        assert!(section.contains(fact), "README lacks {fact:?}");
        assert!(help.contains(fact), "login --help lacks {fact:?}");
        assert!(man.contains(fact), "the man page lacks {fact:?}");
    }
}
