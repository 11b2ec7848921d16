//! What the one-shot commands share besides standard output (`output`): the demo banner,
//! the warnings an [`Auth`] collected, how a time is shown. The setup itself is
//! `crate::services::startup`.

use super::error::CliError;
use super::output::warn_line;
use crate::auth::Auth;
use crate::history::Store;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

pub(crate) const DEMO_BANNER: &str = "DEMO: signing in to the built-in emulator; no account is used and nothing leaves this machine.";

pub(crate) fn print_warnings(auth: &Auth) {
    for w in auth.take_warnings() {
        warn_line(&format!("warning: {w}"));
    }
}

/// "2026-11-27 19:04 +01:00".
pub(crate) fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}

/// The history for a command that reads it; the refusal says how to get one: the history
/// turned off is the person's setting (2), one that cannot be read 1.
pub(crate) fn open_history(settings: &Settings) -> Result<Store, CliError> {
    match Store::for_settings(settings) {
        Ok(Some(store)) => Ok(store),
        Ok(None) => Err(CliError::usage(
            "the meeting history is off (TMEET_HISTORY=off, or history = false in config.toml); \
             remove that setting to record the meetings you create"
                .into(),
        )),
        Err(e) => Err(CliError::failed(e.to_string())),
    }
}

/// The result of a create on standard output, once the meeting exists and is recorded.
/// Output that cannot be written does not undo the meeting: a script told "failed" would
/// create it again, so it is a warning naming the meeting (`name`: its link or id) and
/// exit 0, or 141 when the reader went away.
pub(crate) fn print_created(text: &str, name: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) else {
        return Ok(());
    };
    let what = crate::exit::Outcome::OutputFailed.headline(crate::exit::Subject::Meeting);
    warn_line(&format!(
        "warning: {what} ({e}): {name}; it is in the history (tmeet list)"
    ));
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Err(CliError::reader_gone())
    } else {
        Ok(())
    }
}

/// Ctrl+C during a create, and what it may have left behind: `sent` is the
/// client-request-id of the request if it had gone out. `how_to_look` says where the
/// meeting would be found.
pub(crate) fn interrupted(
    sent: Option<String>,
    what: crate::exit::Subject,
    how_to_look: &str,
) -> CliError {
    use crate::exit::Outcome;
    CliError::interrupted(match sent {
        None => format!(
            "cancelled before the request was sent; {}",
            Outcome::NothingCreated.headline(what)
        ),
        Some(id) => format!(
            "cancelled while the request was on its way: {} (client-request-id {id}). {how_to_look}",
            Outcome::MayExist.headline(what)
        ),
    })
}

/// What a command says while Graph throttles it and the client waits (stderr: stdout is
/// the result).
pub(crate) fn say_wait(w: crate::graph::client::Wait) {
    // The words come with the wait: the delay said is the delay slept.
    eprintln!("tmeet: {w}");
}

/// y/N on the terminal for `question` (on stderr); `refusal` when nobody can answer.
pub(crate) fn confirm(question: &str, refusal: &str) -> Result<bool, String> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(refusal.to_string());
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} y/N ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// Ctrl+C, listened for once for the whole command, so that a press between two waits is
/// not lost (a fresh `ctrl_c()` only sees signals that arrive after it was first polled).
pub(crate) struct Interrupt(Pin<Box<dyn Future<Output = std::io::Result<()>>>>);

impl Interrupt {
    pub(crate) async fn listen() -> Self {
        let mut signal: Pin<Box<dyn Future<Output = std::io::Result<()>>>> =
            Box::pin(tokio::signal::ctrl_c());
        // The handler is installed on the first poll; do it before anything is shown.
        if futures::poll!(signal.as_mut()).is_ready() {
            signal = Box::pin(std::future::ready(Ok(())));
        }
        Self(signal)
    }

    /// Resolves on Ctrl+C. The command ends then, so it is awaited to completion only once.
    pub(crate) async fn pressed(&mut self) {
        let _ = self.0.as_mut().await;
    }
}

/// `--zone` as typed (`free`, `suggest`, `create`, `update`), or the terminal's zone.
pub(crate) fn display_zone(zone: Option<&str>) -> Result<chrono_tz::Tz, CliError> {
    match zone {
        None => Ok(crate::meeting::time::local_zone()),
        Some(z) => crate::calendar::zone_input::parse(z)
            .map_err(|e| CliError::usage(format!("--zone: {e}"))),
    }
}

/// `s` with its first letter in capitals, for a phrase that begins a sentence.
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
