//! What the one-shot commands share besides standard output (`output`): the demo banner,
//! the warnings an [`Auth`] collected, how a time is shown. The setup itself is
//! `crate::bootstrap`.

use super::output::warn_line;
use crate::auth::Auth;
use crate::bootstrap::Refusal;
use crate::exit::Code;
use chrono::{DateTime, Utc};
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
/// status.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Input or settings refused before anything was sent: a usage error (2, as clap's
    /// own).
    Usage(String),
    /// Nothing was created or changed: exit 1.
    Failed(String),
    /// The request was sent and may have created the meeting: exit 3.
    OutcomeUnknown(String),
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
    let (code, line) = match result {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Usage(line)) => (Code::Usage, line),
        Err(Failure::Failed(line)) => (Code::Failure, line),
        Err(Failure::OutcomeUnknown(line)) => (Code::OutcomeUnknown, line),
    };
    warn_line(&line);
    code.into()
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
