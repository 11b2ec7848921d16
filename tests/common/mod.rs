//! Shared by the hardening tests: the real binary in a pseudo-terminal (a vt100 screen, the
//! raw byte stream and every distinct screen seen along the way), a `tmeet emulator` in a
//! process of its own, driven through its `/_emulator/…` control endpoints, and the
//! environment that keeps every run inside a temporary home.

// Shared by every test crate, each using a part: helpers unwrap (a panic is the test's
// failure message) and are `pub` so that the test files reach them.
#![allow(clippy::unwrap_used, unreachable_pub)]
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{BufRead, BufReader, Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: two busy cores running the whole suite at once.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// A frame counts as complete once the output has been quiet this long.
pub const SETTLE: Duration = Duration::from_millis(60);

pub fn tmeet_bin() -> &'static str {
    env!("CARGO_BIN_EXE_tmeet")
}

/// The variables every run gets: a private home and state, a fixed zone and locale, no
/// session bus (so the token file, never a real keyring, holds tokens).
pub fn base_env(home: &Path) -> Vec<(String, String)> {
    let h = |sub: &str| home.join(sub).display().to_string();
    vec![
        ("HOME".into(), home.display().to_string()),
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("XDG_CONFIG_HOME".into(), h("config")),
        ("XDG_STATE_HOME".into(), h("state")),
        ("XDG_DATA_HOME".into(), h("data")),
        ("XDG_CACHE_HOME".into(), h("cache")),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            "unix:path=/nonexistent/bus".into(),
        ),
        ("TERM".into(), "xterm-256color".into()),
        ("TZ".into(), "Europe/Berlin".into()),
        ("LANG".into(), "en_US.UTF-8".into()),
    ]
}

/// The binary with only [`base_env`] and no standard input, for non-interactive runs.
pub fn command(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(tmeet_bin());
    cmd.env_clear()
        .envs(base_env(home))
        .stdin(Stdio::null())
        .args(args);
    cmd
}

/// An emulator that approves every device code on its first poll, at once: sign-in as
/// `--demo` does it, for tests that need a signed-in tmeet rather than the flow itself.
pub async fn approving_emulator() -> tmeet_emulator::Emulator {
    tmeet_emulator::Emulator::start(tmeet_emulator::EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..tmeet_emulator::EmulatorOptions::default()
    })
    .await
    .expect("the emulator starts on 127.0.0.1:0")
}

/// For a pseudo-terminal test: an approving emulator on `rt` (whose threads serve it while
/// the test drives the terminal), a home of its own, and the environment that points
/// tmeet at both.
pub fn emulator_env(
    rt: &tokio::runtime::Runtime,
) -> (
    tmeet_emulator::Emulator,
    tempfile::TempDir,
    Vec<(String, String)>,
) {
    let emu = rt.block_on(approving_emulator());
    let home = tempfile::tempdir().unwrap();
    let mut env = base_env(home.path());
    env.push(("TMEET_LOGIN_URL".into(), emu.login_url().to_string()));
    env.push(("TMEET_GRAPH_URL".into(), emu.graph_url().to_string()));
    env.push((
        "TMEET_CLIENT_ID".into(),
        "11111111-2222-3333-4444-555555555555".into(),
    ));
    (emu, home, env)
}

/// `tmeet args` with `env` (as [`emulator_env`] gives it), which must succeed: its stdout.
pub fn shell(home: &Path, env: &[(String, String)], args: &[&str]) -> Vec<u8> {
    let out = command(home, args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(out.status.success(), "tmeet {args:?}: {out:?}");
    out.stdout
}

/// A `$BROWSER` that writes the address it is given to a file (one line per call): the
/// script and the file.
pub fn recording_browser(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let seen = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, seen)
}

/// What the recording browser was given, once it has written it (the browser runs apart
/// from tmeet, which may exit first).
pub fn opened(seen: &Path) -> String {
    for _ in 0..200 {
        if let Ok(s) = std::fs::read_to_string(seen)
            && s.ends_with('\n')
        {
            return s;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the browser was never given a link");
}

/// Runs a prepared command on a blocking thread, so the emulator on the test's runtime
/// keeps answering it, and waits for its output.
pub async fn run(mut cmd: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("tmeet runs"))
        .await
        .expect("the blocking task ends")
}

/// Process output as text, for messages and `contains` checks.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).unwrap()
}

struct Screen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    changed: Instant,
    /// Every distinct screen content, in order: what a person could have seen, however
    /// briefly (a countdown that lasted two seconds, a frame between two resizes).
    history: Vec<String>,
    /// The terminal's last byte was read (the process and its output are gone).
    eof: bool,
}

pub struct Pty {
    screen: Arc<Mutex<Screen>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    /// `tmeet ARGS` in a `cols`×`rows` terminal with exactly `env`.
    pub fn spawn(args: &[&str], env: &[(String, String)], cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(tmeet_bin());
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some((_, home)) = env.iter().find(|(k, _)| k == "HOME") {
            cmd.cwd(home);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            changed: Instant::now(),
            history: Vec::new(),
            eof: false,
        }));
        let s = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                let mut s = s.lock().unwrap_or_else(|e| e.into_inner());
                if n == 0 {
                    break;
                }
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
                s.changed = Instant::now();
                let text = s.parser.screen().contents();
                if s.history.last() != Some(&text) {
                    s.history.push(text);
                }
            }
            s.lock().unwrap_or_else(|e| e.into_inner()).eof = true;
        });
        Pty {
            screen,
            writer,
            master: pair.master,
            child,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Screen> {
        self.screen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until `pred` holds on a screen that has stopped changing.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            {
                let s = self.lock();
                let text = s.parser.screen().contents();
                if s.changed.elapsed() >= SETTLE && pred(&text) {
                    return text;
                }
                if Instant::now() > end {
                    panic!("timed out waiting for {what}; screen:\n{text}");
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until more than `len` bytes were written and the screen settled.
    pub fn wait_for_output_beyond(&self, len: usize) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            {
                let s = self.lock();
                if s.raw.len() > len && s.changed.elapsed() >= SETTLE {
                    return s.parser.screen().contents();
                }
                assert!(Instant::now() < end, "no redraw");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether any screen seen so far satisfied `pred`.
    pub fn saw(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.lock().history.iter().any(|s| pred(s))
    }

    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.lock().parser.screen_mut().set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn raw(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }

    pub fn raw_len(&self) -> usize {
        self.lock().raw.len()
    }

    /// The terminal's modes as the program set (or left) them: the slave side's termios,
    /// read through the master (Linux answers for the slave there).
    pub fn termios(&self) -> libc::termios {
        let fd = self
            .master
            .as_raw_fd()
            .expect("a pty master has a descriptor");
        // SAFETY: termios is plain data, and tcgetattr fills it or fails.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("a pid") as i32
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits for the process to end on its own and for its last output to be read (the
    /// exit can be seen before the final bytes, such as leaving the alternate screen).
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap()
                && self.lock().eof
            {
                return status;
            }
            assert!(Instant::now() < end, "tmeet did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

/// The form is up and sign-in checks are over.
pub fn form_ready(s: &str) -> bool {
    s.contains("Subject") && s.contains("Create meeting") && !s.contains("Checking")
}

/// The position of `needle` in `hay`, for byte-stream assertions.
pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Collects a child's pipe into a buffer on a thread of its own.
fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

/// `tmeet emulator` as a process of its own, as a person would run it next to tmeet.
pub struct EmulatorProcess {
    child: Child,
    pub graph_url: String,
    pub login_url: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    _home: tempfile::TempDir,
}

impl EmulatorProcess {
    pub fn start(extra: &[&str]) -> EmulatorProcess {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new(tmeet_bin())
            .args(["emulator", "--port", "0"])
            .args(extra)
            .env_clear()
            .envs(base_env(home.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = collect(child.stderr.take().unwrap());
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        let (mut graph, mut login) = (None, None);
        while graph.is_none() || login.is_none() {
            let mut line = String::new();
            let n = lines.read_line(&mut line).unwrap();
            assert!(n > 0, "the emulator ended early:\n{banner}");
            banner.push_str(&line);
            let field = |label: &str| {
                line.trim()
                    .strip_prefix(label)
                    .map(|v| v.trim().to_string())
            };
            graph = graph.or_else(|| field("Graph URL:"));
            login = login.or_else(|| field("Login URL:"));
        }
        // The reader still holds whatever followed the banner; keep it all for leak checks.
        let stdout = collect(std::io::Cursor::new(banner.into_bytes()).chain(lines));
        EmulatorProcess {
            child,
            graph_url: graph.unwrap(),
            login_url: login.unwrap(),
            stdout,
            stderr,
            _home: home,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.login_url.trim_end_matches('/'))
    }

    /// The address it listens on, for a [`Gate`] in front of it.
    pub fn addr(&self) -> std::net::SocketAddr {
        let url = url::Url::parse(&self.login_url).unwrap();
        std::net::SocketAddr::from((
            url.host_str()
                .unwrap()
                .parse::<std::net::Ipv4Addr>()
                .unwrap(),
            url.port().unwrap(),
        ))
    }

    pub fn get(&self, path: &str) -> serde_json::Value {
        let url = self.url(path);
        block_on(async move {
            let r = reqwest::Client::new().get(&url).send().await.unwrap();
            assert!(r.status().is_success(), "GET {url}: {}", r.status());
            r.json().await.unwrap()
        })
    }

    pub fn post(&self, path: &str, body: &str) -> serde_json::Value {
        let url = self.url(path);
        let body = body.to_string();
        block_on(async move {
            let r = reqwest::Client::new()
                .post(&url)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let text = r.text().await.unwrap();
            assert!(status.is_success(), "POST {url}: {status} {text}");
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
        })
    }

    pub fn push_faults(&self, list: &str) {
        let v = self.post("/_emulator/faults", list);
        assert!(v["queued"].is_array(), "{v}");
    }

    pub fn meetings(&self) -> u64 {
        self.get("/_emulator/stats")["meetings"].as_u64().unwrap()
    }

    /// Every access and refresh token the emulator has issued.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.get("/_emulator/tokens/issued")["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    }

    /// What it wrote so far on stdout and stderr (its request log).
    pub fn output(&self) -> Vec<u8> {
        let mut out = self.stdout.lock().unwrap().clone();
        out.extend_from_slice(&self.stderr.lock().unwrap());
        out
    }

    /// Kills the process (SIGKILL: no goodbye to connected clients) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port that refuses every connection for as long as this lives: a socket bound to
/// 127.0.0.1 that never listens (connecting to it gets ECONNREFUSED). It is held, so no
/// other test's emulator can be given it meanwhile, as it can a port just released.
pub struct DownPort {
    _socket: socket2::Socket,
    port: u16,
}

impl DownPort {
    pub fn new() -> DownPort {
        let socket = stream_socket();
        socket
            .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let port = bound_port(&socket);
        DownPort {
            _socket: socket,
            port,
        }
    }

    /// `http://127.0.0.1:PORT`, for `--login-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// A service that can be stopped for good: a TCP relay on a port of its own in front of
/// `target` (an emulator), on a thread and runtime of its own so that sync and async tests
/// alike can use it. [`Gate::close`] ends the relay and every connection through it, and
/// leaves its port held by a socket bound beside the listener (`SO_REUSEPORT`) that never
/// listens: from then on the port refuses connections, and no other socket can bind it
/// (the holder does not share the port with anything that lacks `SO_REUSEPORT`).
pub struct Gate {
    _holder: socket2::Socket,
    port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    relay: Option<std::thread::JoinHandle<()>>,
}

impl Gate {
    pub fn open_to(target: std::net::SocketAddr) -> Gate {
        let holder = stream_socket();
        holder.set_reuse_port(true).unwrap();
        holder
            .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let port = bound_port(&holder);
        let listener = stream_socket();
        listener.set_reuse_port(true).unwrap();
        listener
            .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())
            .unwrap();
        listener.listen(128).unwrap();
        listener.set_nonblocking(true).unwrap();
        let listener: std::net::TcpListener = listener.into();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let relay = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((mut inbound, _)) = accepted else { continue };
                            tokio::spawn(async move {
                                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                                }
                            });
                        }
                    }
                }
            });
            // Dropping the runtime drops every relayed connection with it.
        });
        Gate {
            _holder: holder,
            port,
            stop: Some(stop),
            relay: Some(relay),
        }
    }

    /// `http://127.0.0.1:PORT`, for `--login-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:PORT/v1.0`, for `--graph-url`.
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.url())
    }

    /// The service is gone: the listener and every connection closed, the port refusing.
    /// Returns once that is so.
    pub fn close(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(relay) = self.relay.take() {
            relay.join().unwrap();
        }
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.close();
    }
}

fn stream_socket() -> socket2::Socket {
    socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap()
}

fn bound_port(socket: &socket2::Socket) -> u16 {
    socket.local_addr().unwrap().as_socket().unwrap().port()
}

pub fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The token file of a home prepared with [`base_env`].
pub fn token_file(home: &Path) -> PathBuf {
    home.join("state/tmeet/tokens.json")
}

/// Fails naming the place if any of `secrets` occurs in `bytes`.
pub fn assert_no_secret(place: &str, bytes: &[u8], secrets: &[String]) {
    for s in secrets {
        assert!(s.len() >= 16, "too short to search for: {s:?}");
        assert!(
            find_bytes(bytes, s.as_bytes()).is_none(),
            "a secret ({}…) leaked into {place}",
            &s[..8]
        );
        // A token cut by a line wrap or a log field limit still gives itself away.
        let head = &s.as_bytes()[..s.len().min(24)];
        let tail = &s.as_bytes()[s.len().saturating_sub(24)..];
        assert!(
            find_bytes(bytes, head).is_none() && find_bytes(bytes, tail).is_none(),
            "part of a secret ({}…) leaked into {place}",
            &s[..8]
        );
    }
}

/// An approving emulator and a home signed in to it with `tmeet login`, `scopes` granted
/// beyond the base ones; the flags that point tmeet at it come back beside it.
pub async fn signed_in(home: &Path, scopes: &[&str]) -> (tmeet_emulator::Emulator, Vec<String>) {
    signed_in_to(approving_emulator().await, home, scopes).await
}

/// [`signed_in`] to an emulator the test started with options of its own.
pub async fn signed_in_to(
    emu: tmeet_emulator::Emulator,
    home: &Path,
    scopes: &[&str],
) -> (tmeet_emulator::Emulator, Vec<String>) {
    let endpoints = vec![
        "--graph-url".to_string(),
        emu.graph_url().to_string(),
        "--login-url".into(),
        emu.login_url().to_string(),
        "--client-id".into(),
        "11111111-2222-3333-4444-555555555555".into(),
    ];
    let mut login: Vec<&str> = endpoints.iter().map(String::as_str).collect();
    login.extend(["login", "--no-browser"]);
    for s in scopes {
        login.extend(["--scope", s]);
    }
    let out = run(command(home, &login)).await;
    assert!(out.status.success(), "{out:?}");
    (emu, endpoints)
}

/// `endpoints` then `args`, as one argument list.
pub fn with_endpoints<'a>(endpoints: &'a [String], args: &[&'a str]) -> Vec<&'a str> {
    endpoints
        .iter()
        .map(String::as_str)
        .chain(args.iter().copied())
        .collect()
}

/// tmeet pointed at `endpoints` (from [`signed_in`]) with `args`, run to its end.
pub async fn tmeet(home: &Path, endpoints: &[String], args: &[&str]) -> std::process::Output {
    run(command(home, &with_endpoints(endpoints, args))).await
}

/// The client id the tests sign in with (any is accepted by the emulator).
pub const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// [`command`] pointed at `emu` through the environment (TMEET_LOGIN_URL, TMEET_GRAPH_URL,
/// TMEET_CLIENT_ID), as a person who exported them would run it.
pub fn command_for(emu: &tmeet_emulator::Emulator, home: &Path, args: &[&str]) -> Command {
    let mut cmd = command(home, args);
    cmd.env("TMEET_LOGIN_URL", emu.login_url().as_str())
        .env("TMEET_GRAPH_URL", emu.graph_url().as_str())
        .env("TMEET_CLIENT_ID", CLIENT_ID);
    cmd
}
