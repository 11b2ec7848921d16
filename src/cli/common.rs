//! What the one-shot commands share besides standard output (`output`): the demo banner,
//! the warnings an [`Auth`] collected, how a time is shown. The setup itself is
//! `crate::services::startup`.

use super::output::warn_line;
use crate::auth::Auth;
use crate::exit::Code;
use crate::services::startup::Refusal;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;

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

/// Why `create` or `update` stopped without a meeting to show, which decides the exit
/// status through `crate::exit::Outcome`, the one table of what happened.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Input or settings refused before anything was sent: a usage error (2, as clap's
    /// own).
    Usage(String),
    /// Nothing was created or changed: exit 1.
    Failed(String),
    /// The request was sent and may have created the meeting: exit 3.
    OutcomeUnknown(String),
    /// An event exists without a Teams link: exit 4. The lines (already printed on
    /// stderr) name it and the way forward.
    NoTeamsLink,
    /// A change whose failed answer was read back shows only part of it saved: exit 4,
    /// with the line that says which part.
    PartlySaved(String),
    /// Ctrl+C: 130, with the line that says what the request may have done.
    Interrupted(String),
    /// Standard output's reader went away after the meeting was made (and said so on
    /// stderr): 141, as for any command.
    ReaderGone,
}

impl From<String> for Failure {
    fn from(line: String) -> Self {
        Failure::Failed(line)
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Settings(line) => Failure::Usage(line),
            Refusal::Failed(line) => Failure::Failed(line),
        }
    }
}

/// One line on stderr for a failure, and the exit status it means.
pub(crate) fn exit_with(result: Result<(), Failure>) -> ExitCode {
    use crate::exit::Outcome;
    let (code, line) = match result {
        Ok(()) => return Outcome::Done.code().into(),
        Err(Failure::Usage(line)) => (Code::Usage, Some(line)),
        Err(Failure::Failed(line)) => (Outcome::NothingCreated.code(), Some(line)),
        Err(Failure::OutcomeUnknown(line)) => (Outcome::MayExist.code(), Some(line)),
        Err(Failure::NoTeamsLink) => (Outcome::NoTeamsLink.code(), None),
        Err(Failure::PartlySaved(line)) => (Outcome::PartlySaved.code(), Some(line)),
        Err(Failure::Interrupted(line)) => (crate::exit::CANCELLED, Some(line)),
        Err(Failure::ReaderGone) => (crate::exit::BROKEN_PIPE, None),
    };
    if let Some(line) = line {
        warn_line(&line);
    }
    code.into()
}

/// The result of a create on standard output, once the meeting exists and is recorded.
/// Output that cannot be written does not undo the meeting: a script told "failed" would
/// create it again, so it is a warning naming the meeting (`name`: its link or id) and
/// exit 0, or 141 when the reader went away.
pub(crate) fn print_created(text: &str, name: &str) -> Result<(), Failure> {
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
        Err(Failure::ReaderGone)
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
) -> Failure {
    use crate::exit::Outcome;
    Failure::Interrupted(match sent {
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
