//! `tmeet doctor` against an emulator in the test process: a good sign-in passes (exit 0),
//! and each way `create` would fail is named on its line with a fix, exit 1: a client id
//! with no sign-in, a stopped service, a skewed clock, a token file others can read.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{run, text};

use std::path::Path;
use std::process::Command;
use tmeet_emulator::{DEMO_USER_UPN, Emulator, EmulatorOptions};

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

fn tmeet(emu_login: &str, emu_graph: &str, home: &Path, args: &[&str]) -> Command {
    let mut cmd = common::command(home, args);
    cmd.env("TMEET_LOGIN_URL", emu_login)
        .env("TMEET_GRAPH_URL", emu_graph)
        .env("TMEET_CLIENT_ID", CLIENT_ID);
    cmd
}

struct Setup {
    emu: Emulator,
    home: tempfile::TempDir,
    login: String,
    graph: String,
}

impl Setup {
    fn cmd(&self, args: &[&str]) -> Command {
        tmeet(&self.login, &self.graph, self.home.path(), args)
    }
}

/// An emulator with `options` and a home signed in to it with `tmeet login`.
async fn signed_in(options: EmulatorOptions) -> Setup {
    let emu = Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..options
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let setup = Setup {
        login: emu.login_url().to_string(),
        graph: emu.graph_url().to_string(),
        emu,
        home,
    };
    let out = run(setup.cmd(&["login"])).await;
    assert!(out.status.success(), "{out:?}");
    setup
}

/// The line of the check `name`, failing the test if there is none.
fn line<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l[l.find(' ').map_or(0, |i| i + 1)..].starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} line in:\n{stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_sign_in_passes_every_check_create_needs() {
    let s = signed_in(EmulatorOptions::default()).await;
    let out = run(s.cmd(&["doctor"])).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for name in [
        "config file",
        "cloud",
        "tenant",
        "client id",
        "login host",
        "graph host",
        "clock",
        "token store",
        "sign-in",
    ] {
        assert!(line(&stdout, name).starts_with("✓ "), "{stdout}");
    }
    assert!(line(&stdout, "sign-in").contains(DEMO_USER_UPN), "{stdout}");
    assert!(
        line(&stdout, "client id").contains("(environment: TMEET_CLIENT_ID)"),
        "{stdout}"
    );
    assert!(line(&stdout, "tenant").contains("(default)"), "{stdout}");
    assert!(stdout.contains("Everything tmeet create needs is in order."));
    // Not a terminal here: reported, and not in the way of create.
    assert!(line(&stdout, "terminal").starts_with("✗ "), "{stdout}");

    // The same as JSON; never a token anywhere.
    let out = run(s.cmd(&["doctor", "--json"])).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let checks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(checks.len() >= 11, "{checks:?}");
    for c in &checks {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["check", "ok", "required", "detail"] {
            assert!(keys.contains(&k), "{c}");
        }
        if c["required"] == true {
            assert_eq!(c["ok"], true, "{c}");
        }
    }
    let secrets: Vec<String> = s
        .emu
        .issued_tokens()
        .iter()
        .map(|t| t.expose().to_string())
        .collect();
    assert!(!secrets.is_empty());
    common::assert_no_secret(
        "doctor's output",
        &[stdout.as_bytes(), &out.stdout].concat(),
        &secrets,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_id_without_a_sign_in_is_named() {
    let s = signed_in(EmulatorOptions::default()).await;
    let other = "99999999-8888-7777-6666-555555555555";
    let out = run(s.cmd(&["--client-id", other, "doctor"])).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        line(&stdout, "client id").starts_with("✓ ")
            && line(&stdout, "client id").contains("(flag)"),
        "{stdout}"
    );
    let signin = line(&stdout, "sign-in");
    assert!(
        signin.starts_with("✗ ") && signin.contains(other) && signin.contains("tmeet login"),
        "{stdout}"
    );
    assert!(stdout.contains("1 problem stops tmeet create"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_service_is_named() {
    // Signed in through a gate, which is then closed: its port refuses connections and
    // stays held, so another test's emulator cannot answer on it (as it could on the
    // stopped emulator's own port, released on shutdown).
    let emu = Emulator::start(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let mut gate = common::Gate::open_to(emu.addr());
    let home = tempfile::tempdir().unwrap();
    let (login, graph) = (gate.url(), gate.graph_url());
    let out = run(tmeet(&login, &graph, home.path(), &["login"])).await;
    assert!(out.status.success(), "{out:?}");
    gate.close();
    let out = run(tmeet(
        &login,
        &graph,
        home.path(),
        &["doctor", "--timeout", "5"],
    ))
    .await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for name in ["login host", "graph host"] {
        let l = line(&stdout, name);
        assert!(
            l.starts_with("✗ ")
                && l.contains("cannot reach 127.0.0.1")
                && l.contains("tmeet emulator"),
            "{stdout}"
        );
    }
    assert!(line(&stdout, "clock").starts_with("✗ "), "{stdout}");
    // The stored sign-in is still there and said to be.
    assert!(line(&stdout, "sign-in").starts_with("✓ "), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skewed_clock_is_named() {
    let s = signed_in(EmulatorOptions {
        clock_skew_secs: 600,
        ..EmulatorOptions::default()
    })
    .await;
    let out = run(s.cmd(&["doctor"])).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let clock = line(&stdout, "clock");
    assert!(
        clock.starts_with("✗ ") && clock.contains("10 min behind") && clock.contains("set-ntp"),
        "{stdout}"
    );
    // Behind by less than the service tolerates is fine.
    let s = signed_in(EmulatorOptions {
        clock_skew_secs: -120,
        ..EmulatorOptions::default()
    })
    .await;
    let out = run(s.cmd(&["doctor"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_file_others_can_read_is_named_and_left_as_found() {
    use std::os::unix::fs::PermissionsExt;
    let s = signed_in(EmulatorOptions::default()).await;
    let file = common::token_file(s.home.path());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(s.cmd(&["doctor"])).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let store = line(&stdout, "token store");
    assert!(
        store.starts_with("✗ ")
            && store.contains(&file.display().to_string())
            && store.contains("mode 644")
            && store.contains(&format!("chmod 600 {}", file.display())),
        "{stdout}"
    );
    // Doctor only looks: the file keeps its mode until the person (or another command) fixes it.
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);

    // A state directory others can enter is named too.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let dir = file.parent().unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run(s.cmd(&["doctor"])).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        line(&stdout, "token store").contains(&format!("chmod 700 {}", dir.display())),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_shifts_its_date_header_by_the_skew() {
    let emu = Emulator::start(EmulatorOptions {
        clock_skew_secs: -3600,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap();
    let r = reqwest::get(emu.graph_url()).await.unwrap();
    let dates: Vec<_> = r.headers().get_all("date").iter().collect();
    assert_eq!(dates.len(), 1, "one Date header: {dates:?}");
    let date = httpdate::parse_http_date(dates[0].to_str().unwrap()).unwrap();
    let behind = std::time::SystemTime::now().duration_since(date).unwrap();
    // An hour, give or take the second the header is rounded to and a slow machine.
    assert!(
        (3540..3660).contains(&behind.as_secs()),
        "Date is {behind:?} behind"
    );
}

#[test]
fn demo_mode_passes_on_its_own_emulator() {
    let home = tempfile::tempdir().unwrap();
    let out = common::command(home.path(), &["--demo", "doctor"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(line(&stdout, "client id").contains("(demo)"), "{stdout}");
    assert!(
        line(&stdout, "token store").contains("memory only"),
        "{stdout}"
    );
}

#[test]
fn no_client_id_is_named_with_where_to_set_it() {
    let home = tempfile::tempdir().unwrap();
    let down = common::DownPort::new();
    let out = common::command(
        home.path(),
        &[
            "--login-url",
            &down.url(),
            "--graph-url",
            &format!("{}/v1.0", down.url()),
            "doctor",
            "--json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let checks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let client = checks.iter().find(|c| c["check"] == "client id").unwrap();
    assert_eq!(client["ok"], false);
    assert!(
        client["fix"].as_str().unwrap().contains("TMEET_CLIENT_ID"),
        "{client}"
    );
}

/// How the tests here take a service down: once its gate is closed, the port refuses
/// connections and nothing else can bind it, so no other test's emulator can answer there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_gate_refuses_and_no_one_else_gets_its_port() {
    let emu = common::approving_emulator().await;
    let mut gate = common::Gate::open_to(emu.addr());
    let port: u16 = gate.url().rsplit(':').next().unwrap().parse().unwrap();
    let at = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let before = reqwest::get(format!("{}/_emulator/stats", gate.url()))
        .await
        .unwrap();
    assert!(before.status().is_success(), "relayed while open");
    gate.close();
    let refused = std::net::TcpStream::connect(at).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(
        std::net::TcpListener::bind(at).is_err(),
        "the closed port is still held"
    );
    let down = common::DownPort::new();
    let port: u16 = down.url().rsplit(':').next().unwrap().parse().unwrap();
    let at = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let refused = std::net::TcpStream::connect(at).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(std::net::TcpListener::bind(at).is_err(), "held");
}
