//! `tmeet login`: a browser sign-in (authorization code with PKCE on a loopback redirect)
//! where a browser can be opened here, a device code elsewhere; `--browser` and
//! `--device-code` force one. With app-only credentials, a token fetch that proves they
//! work.

use super::common::{DEMO_BANNER, Interrupt, print_warnings, when};
use super::error::CliError;
use super::output::{Unwritable, say, warn_line};
use crate::auth::{AccountStatus, Auth, AuthError, BROWSER_TIMEOUT, DeviceCodePrompt, PollEvent};
use crate::services::startup::{self, Started};
use crate::settings::GlobalArgs;
use std::io::IsTerminal;

/// `tmeet login --help` beyond its first line; the README's "Sign-in and app registration"
/// says the same.
pub const LONG_ABOUT: &str = "Sign in to Microsoft 365.\n\nWhere a browser can be opened on this machine (a display, WSL, macOS, Windows, or $BROWSER set), tmeet signs in through the browser: it listens on http://localhost:PORT (127.0.0.1, a free port) and opens the sign-in page; the app registration needs the redirect URI http://localhost under \"Mobile and desktop applications\". Elsewhere (an SSH session without a display) it shows a device code, which needs \"Allow public client flows\". The sign-in page's address is always printed: over SSH, open it on your own machine and paste back the address the browser ends on (http://localhost:PORT/?code=…&state=…). A single-tenant app registration needs --tenant set to its Directory (tenant) ID; tmeet setup writes it.";

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// Sign in through a browser (authorization code with PKCE), even where none opens here:
    /// open the printed address yourself and paste back the address it ends on
    #[arg(long, conflicts_with = "device_code")]
    pub browser: bool,
    /// Sign in with a device code, entered on any device's browser
    #[arg(long)]
    pub device_code: bool,
    /// Do not open a browser; the address to open is printed
    #[arg(long)]
    pub no_browser: bool,
    /// Also ask for this Graph permission, e.g. User.ReadBasic.All (attendees); repeatable.
    /// What the current sign-in was granted is kept
    #[arg(long, value_name = "PERMISSION")]
    pub scope: Vec<String>,
}

/// How a person signs in, and why that one (said in one line before it starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Browser,
    DeviceCode,
}

/// The flow for this machine: the one forced by a flag, else the browser where one can be
/// opened here. `--demo` keeps the device code its emulator approves by itself.
pub(crate) fn choose(browser: bool, device_code: bool, demo: bool) -> (Method, String) {
    if browser {
        return (Method::Browser, "--browser".into());
    }
    if device_code {
        return (Method::DeviceCode, "--device-code".into());
    }
    if demo {
        return (
            Method::DeviceCode,
            "the demo's emulator approves the code by itself".into(),
        );
    }
    let here = crate::browser::availability();
    if here.possible {
        (Method::Browser, here.reason.into())
    } else {
        (Method::DeviceCode, here.reason.into())
    }
}

fn announce(method: Method, reason: &str) -> Result<(), Unwritable> {
    match method {
        Method::Browser => say!(
            "Signing in through the browser ({reason}; tmeet login --device-code uses a code instead)."
        ),
        Method::DeviceCode => say!(
            "Signing in with a device code ({reason}; tmeet login --browser signs in through a browser you open yourself)."
        ),
    }
}

/// The sign-in `create` runs when a feature needs a permission the stored sign-in lacks
/// (incremental consent): the same choice and prompts as `tmeet login`, for the union of
/// what was granted and `scopes`. True when the sign-in completed.
pub(crate) async fn consent(session: &Started, scopes: &[String]) -> bool {
    session.auth.request_scopes(scopes);
    let args = LoginArgs {
        browser: false,
        device_code: false,
        no_browser: false,
        scope: Vec::new(),
    };
    let mut interrupt = Interrupt::listen().await;
    match interactive(session, &args, &mut interrupt).await {
        Ok(()) => true,
        Err(e) => {
            e.say();
            false
        }
    }
}

pub fn run(global: &GlobalArgs, args: LoginArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    startup::run(&settings, async |started| login(started, &args).await)?
}

async fn login(session: &Started, args: &LoginArgs) -> Result<(), CliError> {
    let mut interrupt = Interrupt::listen().await;
    if session.is_demo() {
        say!("{DEMO_BANNER}")?;
    }
    let auth = &session.auth;
    auth.request_scopes(&args.scope);
    let code = if auth.is_app_only() {
        verify_app_only(session, &mut interrupt).await
    } else {
        interactive(session, args, &mut interrupt).await
    };
    print_warnings(auth);
    code
}

/// A person's sign-in, by the chosen flow.
pub(crate) async fn interactive(
    session: &Started,
    args: &LoginArgs,
    interrupt: &mut Interrupt,
) -> Result<(), CliError> {
    let auth = &session.auth;
    // A store that cannot be read would only be found out after the whole sign-in, when
    // the new token cannot be saved: say so before the person opens a browser.
    match auth.status() {
        Ok(Some(current)) => say!(
            "Already signed in as {}; signing in again replaces that sign-in.",
            current.account.as_deref().unwrap_or("an unnamed account")
        )?,
        Ok(None) => {}
        Err(e) => return Err(CliError::failed(e.to_string())),
    }
    let (method, reason) = choose(args.browser, args.device_code, session.is_demo());
    announce(method, &reason)?;
    match method {
        Method::Browser => browser_sign_in(session, args, interrupt).await,
        Method::DeviceCode => device_code_loop(session, args, interrupt).await,
    }
}

/// Lines typed at the terminal (or piped in), one at a time; the channel closes at the end
/// of input. The read happens on a thread of its own: a blocking read cannot be cancelled.
fn typed_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut line = String::new();
        loop {
            line.clear();
            match stdin.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tx.send(line.clone()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}

async fn browser_sign_in(
    session: &Started,
    args: &LoginArgs,
    interrupt: &mut Interrupt,
) -> Result<(), CliError> {
    let auth = &session.auth;
    let sign_in = tokio::select! {
        r = auth.start_browser() => r,
        _ = interrupt.pressed() => return Err(cancelled()),
    };
    let sign_in = match sign_in {
        Ok(s) => s,
        Err(e) => return Err(failed(auth, &e)),
    };
    say!("Open this address to sign in:")?;
    say!("  {}", sign_in.url())?;
    if !args.no_browser {
        match crate::browser::open(sign_in.url()) {
            Ok(()) => say!("Opened it in your browser.")?,
            Err(why) => warn_line(&format!(
                "could not open a browser ({why}); open the address above yourself"
            )),
        }
    }
    say!(
        "Waiting up to {} min for the browser to come back to {} (Ctrl+C cancels). If the browser runs on another machine, paste here the address it ends on (it starts with {}/?code=) and press Enter.",
        BROWSER_TIMEOUT.as_secs() / 60,
        sign_in.redirect_uri(),
        sign_in.redirect_uri()
    )?;
    let done = tokio::select! {
        r = sign_in.complete(typed_lines(), BROWSER_TIMEOUT) => r,
        _ = interrupt.pressed() => return Err(cancelled()),
    };
    match done {
        Ok(status) => {
            signed_in(auth, &status)?;
            Ok(())
        }
        Err(e) => Err(failed(auth, &e)),
    }
}

/// One line for a failed sign-in; the service's code is kept for `tmeet doctor`.
fn failed(auth: &Auth, e: &AuthError) -> CliError {
    auth.record_refusal(e);
    CliError::failed(e.to_string())
}

async fn verify_app_only(session: &Started, interrupt: &mut Interrupt) -> Result<(), CliError> {
    let auth = &session.auth;
    let checked = tokio::select! {
        r = auth.verify_app_credentials() => r,
        _ = interrupt.pressed() => return Err(cancelled()),
    };
    match checked {
        Ok(status) => {
            say!(
                "App-only credentials work: client id {}, tenant {}, {} cloud; token for {}{}.",
                auth.client_id(),
                status.tenant,
                status.cloud,
                status.scopes.join(" "),
                status
                    .expires_at
                    .map(|t| format!(" valid until {}", when(t)))
                    .unwrap_or_default()
            )?;
            say!("Nothing is stored: every run fetches its own app-only token.")?;
            match &session.settings.user {
                Some(user) => say!("Meetings will be created for /users/{user}.")?,
                None => say!(
                    "Set --user ID (or TMEET_USER) to create meetings: app-only credentials cannot use /me."
                )?,
            }
            Ok(())
        }
        Err(e) => Err(CliError::failed(e.to_string())),
    }
}

/// Device code, started again when the code expired and the person wants another.
async fn device_code_loop(
    session: &Started,
    args: &LoginArgs,
    interrupt: &mut Interrupt,
) -> Result<(), CliError> {
    let auth = &session.auth;
    loop {
        let sign_in = tokio::select! {
            r = auth.start_device_code() => r,
            _ = interrupt.pressed() => return Err(cancelled()),
        };
        let sign_in = match sign_in {
            Ok(s) => s,
            Err(e) => return Err(failed(auth, &e)),
        };
        show_prompt(&sign_in.prompt, args.no_browser || session.is_demo())?;
        let done = tokio::select! {
            r = sign_in.complete(on_poll) => r,
            _ = interrupt.pressed() => return Err(cancelled()),
        };
        match done {
            Ok(status) => {
                signed_in(auth, &status)?;
                return Ok(());
            }
            Err(e) if e.is_expired_code() && std::io::stdin().is_terminal() => {
                warn_line("the code expired before the sign-in was completed.");
                match ask("Get a new code and try again? [Y/n] ", interrupt).await? {
                    Some(answer) if !answer.trim().to_ascii_lowercase().starts_with('n') => {
                        continue;
                    }
                    Some(_) => {
                        return Err(CliError::failed(
                            "not signed in; run tmeet login to try again".into(),
                        ));
                    }
                    None => return Err(cancelled()),
                }
            }
            Err(e) => return Err(failed(auth, &e)),
        }
    }
}

fn on_poll(event: PollEvent) {
    if let PollEvent::SlowDown { interval } = event {
        warn_line(&format!(
            "the service asked to be polled less often; checking every {} s",
            interval.as_secs()
        ));
    }
}

fn show_prompt(prompt: &DeviceCodePrompt, no_browser: bool) -> Result<(), Unwritable> {
    say!("{}", prompt.message)?;
    if let Some(how) = copy_code(&prompt.user_code) {
        say!("The code {} was copied {how}.", prompt.user_code)?;
    }
    if !no_browser && open_browser(&prompt.verification_uri) {
        say!("Opened {} in your browser.", prompt.verification_uri)?;
    }
    say!(
        "Waiting for the sign-in to finish (the code is valid for {} min; Ctrl+C cancels)...",
        prompt.expires_in.as_secs().div_ceil(60)
    )
}

fn signed_in(auth: &Auth, status: &AccountStatus) -> Result<(), Unwritable> {
    auth.forget_refusal();
    say!(
        "Signed in as {} (tenant {}, {} cloud).",
        status.account.as_deref().unwrap_or("an unnamed account"),
        status.tenant,
        status.cloud
    )?;
    say!(
        "The sign-in is kept in {} and renewed automatically; tmeet status shows it, tmeet logout forgets it.",
        auth.store_description()
    )
}

fn cancelled() -> CliError {
    CliError::interrupted("sign-in cancelled; nothing was stored".into())
}

/// One line from the terminal, or `None` on Ctrl+C or end of input. The read happens on a
/// thread of its own: a blocking read cannot be cancelled, and Ctrl+C must still work.
async fn ask(question: &str, interrupt: &mut Interrupt) -> Result<Option<String>, Unwritable> {
    super::output::write_out(format_args!("{question}"))?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line);
        let _ = tx.send(match read {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        });
    });
    Ok(tokio::select! {
        r = rx => r.ok().flatten(),
        _ = interrupt.pressed() => None,
    })
}

/// Copies the user code where a clipboard can be had; says how, or `None`.
fn copy_code(code: &str) -> Option<&'static str> {
    // OSC 52 goes to the terminal; written into a pipe it would only be noise.
    let mut out = std::io::stdout();
    if !out.is_terminal() {
        return None;
    }
    let mut clipboard = crate::clipboard::Clipboard::from_env();
    let path = clipboard.copy(code, &mut out).ok()?;
    // On X11 the copied text lives as long as its owner: keep it for the life of the
    // process, which is how long the code is needed.
    std::mem::forget(clipboard);
    Some(path.describe())
}

/// Opens the verification page where a browser can be opened here; never fails the login.
fn open_browser(uri: &str) -> bool {
    // Only a web address goes to the opener: this text came from the network.
    let Ok(url) = crate::cloud::parse_endpoint("verification_uri", uri) else {
        return false;
    };
    if !crate::browser::availability().possible {
        return false;
    }
    match crate::browser::open(&url) {
        Ok(()) => true,
        Err(e) => {
            tracing::info!("could not open a browser: {e}");
            false
        }
    }
}
