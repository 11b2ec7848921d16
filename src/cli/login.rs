//! `tmeet login`: a device-code sign-in (show the service's message, copy the code, open
//! the browser where there is a display, wait), or with app-only credentials a token fetch
//! that proves they work.

use super::common::{DEMO_BANNER, Interrupt, print_warnings, when};
use super::output::{Unwritable, fail_line, say, warn_line};
use crate::auth::{AccountStatus, Auth, DeviceCodePrompt, PollEvent};
use crate::services::startup::Started;
use crate::settings::GlobalArgs;
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// Do not open the verification page in a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Also ask for this Graph permission, e.g. User.ReadBasic.All (attendees); repeatable.
    /// What the current sign-in was granted is kept
    #[arg(long, value_name = "PERMISSION")]
    pub scope: Vec<String>,
}

/// The device-code sign-in `create` runs when attendees need a permission the stored
/// sign-in lacks (incremental consent): the same prompts as `tmeet login`, for the union
/// of what was granted and `scopes`. True when the sign-in completed.
pub(crate) async fn consent(session: &Started, scopes: &[String]) -> bool {
    session.auth.request_scopes(scopes);
    let args = LoginArgs {
        no_browser: false,
        scope: Vec::new(),
    };
    let mut interrupt = Interrupt::listen().await;
    matches!(
        device_code_loop(session, &args, &mut interrupt).await,
        Ok(code) if code == ExitCode::SUCCESS
    )
}

pub fn run(global: &GlobalArgs, args: LoginArgs) -> ExitCode {
    crate::services::startup::command(global, async |started| {
        login(started, &args)
            .await
            .unwrap_or_else(|e| e.exit_code())
    })
}

async fn login(session: &Started, args: &LoginArgs) -> Result<ExitCode, Unwritable> {
    let mut interrupt = Interrupt::listen().await;
    if session.is_demo() {
        say!("{DEMO_BANNER}")?;
    }
    let auth = &session.auth;
    auth.request_scopes(&args.scope);
    let code = if auth.is_app_only() {
        verify_app_only(session, &mut interrupt).await
    } else {
        device_code_loop(session, args, &mut interrupt).await
    };
    print_warnings(auth);
    code
}

async fn verify_app_only(
    session: &Started,
    interrupt: &mut Interrupt,
) -> Result<ExitCode, Unwritable> {
    let auth = &session.auth;
    let checked = tokio::select! {
        r = auth.verify_app_credentials() => r,
        _ = interrupt.pressed() => return Ok(cancelled()),
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
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(fail_line(&e.to_string())),
    }
}

/// Device code, started again when the code expired and the person wants another.
async fn device_code_loop(
    session: &Started,
    args: &LoginArgs,
    interrupt: &mut Interrupt,
) -> Result<ExitCode, Unwritable> {
    let auth = &session.auth;
    // A store that cannot be read would only be found out after the whole sign-in, when
    // the new token cannot be saved: say so before the person opens a browser.
    match auth.status() {
        Ok(Some(current)) => say!(
            "Already signed in as {}; signing in again replaces that sign-in.",
            current.account.as_deref().unwrap_or("an unnamed account")
        )?,
        Ok(None) => {}
        Err(e) => return Ok(fail_line(&e.to_string())),
    }
    loop {
        let sign_in = tokio::select! {
            r = auth.start_device_code() => r,
            _ = interrupt.pressed() => return Ok(cancelled()),
        };
        let sign_in = match sign_in {
            Ok(s) => s,
            Err(e) => return Ok(fail_line(&e.to_string())),
        };
        show_prompt(&sign_in.prompt, args.no_browser || session.is_demo())?;
        let done = tokio::select! {
            r = sign_in.complete(on_poll) => r,
            _ = interrupt.pressed() => return Ok(cancelled()),
        };
        match done {
            Ok(status) => {
                signed_in(auth, &status)?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(e) if e.is_expired_code() && std::io::stdin().is_terminal() => {
                warn_line("the code expired before the sign-in was completed.");
                match ask("Get a new code and try again? [Y/n] ", interrupt).await? {
                    Some(answer) if !answer.trim().to_ascii_lowercase().starts_with('n') => {
                        continue;
                    }
                    Some(_) => {
                        return Ok(fail_line("not signed in; run tmeet login to try again"));
                    }
                    None => return Ok(cancelled()),
                }
            }
            Err(e) => return Ok(fail_line(&e.to_string())),
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

fn cancelled() -> ExitCode {
    warn_line("sign-in cancelled; nothing was stored");
    crate::exit::CANCELLED.into()
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

/// Opens `uri` with the desktop's handler when there is a display; never fails the login.
fn open_browser(uri: &str) -> bool {
    // Only a web address goes to the opener: this text came from the network.
    let Ok(url) = crate::cloud::parse_endpoint("verification_uri", uri) else {
        return false;
    };
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        if !display {
            return false;
        }
        "xdg-open"
    };
    if !on_path(opener) {
        return false;
    }
    let spawned = std::process::Command::new(opener)
        .arg(url.as_str())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reaped in the background so that no zombie outlives the wait.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(e) => {
            tracing::info!("could not open a browser with {opener}: {e}");
            false
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
