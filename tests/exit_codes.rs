//! One exit-status policy (`tmeet::exit`): settings that cannot work are a configuration
//! error, 2 like any usage error, whichever command meets them, and the interactive form
//! says the same.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;

use tempfile::TempDir;

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// A case's name, the home it runs in (removed when dropped) and its environment.
struct Case(&'static str, TempDir, Vec<(String, String)>);

/// A home whose settings cannot work, and the environment that runs tmeet in it. The
/// cases fail at different stages (flag and file parsing, then `Auth::new`), which is why
/// there is one of each.
fn bad_settings() -> Vec<Case> {
    let case = |name, vars: &[(&str, &str)], config: Option<&str>| {
        let home = tempfile::tempdir().unwrap();
        if let Some(text) = config {
            let dir = home.path().join("config/tmeet");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("config.toml"), text).unwrap();
        }
        let mut env = common::base_env(home.path());
        env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Case(name, home, env)
    };
    vec![
        case(
            "unknown cloud",
            &[("TMEET_CLOUD", "moon"), ("TMEET_CLIENT_ID", CLIENT_ID)],
            None,
        ),
        case(
            "cloud without the API",
            &[("TMEET_CLOUD", "china"), ("TMEET_CLIENT_ID", CLIENT_ID)],
            None,
        ),
        case("no client id", &[], None),
        case(
            "invalid config.toml",
            &[("TMEET_CLIENT_ID", CLIENT_ID)],
            Some("cloud = [unclosed\n"),
        ),
    ]
}

#[test]
fn a_settings_error_exits_2_from_every_command() {
    for Case(case, home, env) in bad_settings() {
        for args in [
            &["create", "-s", "x", "--start", "2037-12-01 14:00"][..],
            &["status"],
            &["login", "--no-browser"],
            &["logout"],
        ] {
            let out = common::command(home.path(), args)
                .env_clear()
                .envs(env.clone())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{case}: tmeet {args:?}: {stderr}"
            );
            assert!(stderr.starts_with("tmeet: "), "{case}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{case}: one line: {stderr}");
        }
    }
}

#[test]
fn a_settings_error_exits_2_from_the_form_too() {
    for Case(case, _home, env) in bad_settings() {
        let mut pty = common::Pty::spawn(&[], &env, 100, 30);
        let status = pty.wait_exit();
        assert_eq!(status.exit_code(), 2, "{case}");
        let shown = String::from_utf8_lossy(&pty.raw()).into_owned();
        assert!(shown.contains("tmeet: "), "{case}: {shown}");
    }
}
