//! The one error of the command line and its one exit path. A command's `run` returns
//! `Result<(), CliError>`; `main` hands it to [`finish`], which says the line (if any) on
//! stderr as `tmeet: …` and turns the status into the process's exit code. The statuses
//! come from the one table in `crate::exit`; the services' typed errors become a
//! `CliError` through the `From` impls below, so a command maps them with `?`.

use super::output::{Unwritable, warn_line};
use crate::exit::{Code, Outcome};
use crate::services::startup::Refusal;
use std::io::Write;
use std::process::ExitCode;

/// Why a command ends with a status other than 0, and what it says about it.
#[derive(Debug)]
pub struct CliError {
    code: Code,
    /// Said on stderr as `tmeet: {message}`; `None` when the command already said it (or
    /// there is nobody to tell, as when standard output's reader went away).
    message: Option<String>,
}

impl CliError {
    pub fn new(code: Code, message: String) -> Self {
        Self {
            code,
            message: Some(message),
        }
    }

    /// The status alone: the lines that explain it were printed already.
    pub fn quiet(code: Code) -> Self {
        Self {
            code,
            message: None,
        }
    }

    /// Input or settings refused before anything was sent: a usage error (2, as clap's
    /// own).
    pub fn usage(message: String) -> Self {
        Self::new(Code::Usage, message)
    }

    /// Nothing was created or changed: 1.
    pub fn failed(message: String) -> Self {
        Self::new(Outcome::NothingCreated.code(), message)
    }

    /// The request was sent and may have done what it asked: 3.
    pub fn outcome_unknown(message: String) -> Self {
        Self::new(Outcome::MayExist.code(), message)
    }

    /// An event exists without a Teams link: 4. The lines (already printed on stderr)
    /// name it and the way forward.
    pub fn no_teams_link() -> Self {
        Self::quiet(Outcome::NoTeamsLink.code())
    }

    /// A change whose failed answer was read back shows only part of it saved: 4, with the
    /// line that says which part.
    pub fn partly_saved(message: String) -> Self {
        Self::new(Outcome::PartlySaved.code(), message)
    }

    /// Ctrl+C: 130, with the line that says what the request may have done.
    pub fn interrupted(message: String) -> Self {
        Self::new(crate::exit::CANCELLED, message)
    }

    /// Standard output's reader went away: 141, quietly, as for any command.
    pub fn reader_gone() -> Self {
        Self::quiet(crate::exit::BROKEN_PIPE)
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Says the line (if any) on stderr as `tmeet: …`: what [`finish`] does before it
    /// exits, for a step whose failure the command goes on after (the sign-in `create`
    /// asks for, the one `setup` runs).
    pub fn say(&self) {
        if let Some(line) = &self.message {
            warn_line(line);
        }
    }

    /// The same status with the line put in context (`ref 4 was not deleted: …`).
    pub fn context(self, f: impl FnOnce(String) -> String) -> Self {
        Self {
            code: self.code,
            message: self.message.map(f),
        }
    }
}

/// The one exit path of every command: the line on stderr, then the status.
pub fn finish(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => Code::Ok.into(),
        Err(e) => {
            e.say();
            e.code.into()
        }
    }
}

/// `--help` and `--version` (clap's own printing ignores write errors) and clap's other
/// early exits (usage errors go to stderr, status 2).
pub fn clap_exit(e: clap::Error) -> ExitCode {
    if e.use_stderr() {
        e.exit()
    }
    let printed = e.print().and_then(|()| std::io::stdout().flush());
    finish(printed.map_err(|e| Unwritable::from(e).into()))
}

/// Settings that cannot work are a usage error (2), anything else on the way to a started
/// command 1, from every command alike.
impl From<Refusal> for CliError {
    fn from(r: Refusal) -> Self {
        Self::new(r.code(), r.line().to_string())
    }
}

/// Standard output could not be written (`cli::output`): 141 quietly when the reader
/// went away, otherwise one line and 1.
impl From<Unwritable> for CliError {
    fn from(e: Unwritable) -> Self {
        if e.is_broken_pipe() {
            Self::reader_gone()
        } else {
            Self::failed(e.to_string())
        }
    }
}

/// A calendar use case's refusal of the input is a usage error; the rest failed.
impl From<crate::services::calendar::CalendarError> for CliError {
    fn from(e: crate::services::calendar::CalendarError) -> Self {
        match e {
            crate::services::calendar::CalendarError::Refused(line) => Self::usage(line),
            other => Self::failed(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_the_status_of_the_table() {
        assert_eq!(CliError::usage("x".into()).code().number(), 2);
        assert_eq!(CliError::failed("x".into()).code().number(), 1);
        assert_eq!(CliError::outcome_unknown("x".into()).code().number(), 3);
        assert_eq!(CliError::no_teams_link().code().number(), 4);
        assert_eq!(CliError::interrupted("x".into()).code().number(), 130);
        assert_eq!(CliError::reader_gone().code().number(), 141);
        assert!(CliError::reader_gone().message().is_none());
        let e = CliError::failed("gone".into()).context(|l| format!("ref 4 was not deleted: {l}"));
        assert_eq!(e.message(), Some("ref 4 was not deleted: gone"));
        let refused: CliError = Refusal::Settings("bad cloud".into()).into();
        assert_eq!(
            (refused.code(), refused.message()),
            (Code::Usage, Some("bad cloud"))
        );
    }
}
