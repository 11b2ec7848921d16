//! The exit statuses of every command and the interactive form, in one place, so that a
//! script can rely on them whichever command it runs (README, "Exit status").

use std::process::ExitCode;

/// Why tmeet ended, as the number a shell sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Done.
    Ok,
    /// Failed; nothing was created. One `tmeet: …` line on stderr says why.
    Failure,
    /// A usage or configuration error found before anything was sent: clap's own errors,
    /// input `create` refuses, and settings that cannot work (a bad `TMEET_CLOUD`, an
    /// unreadable config.toml, no client id). Running again unchanged cannot help.
    Usage,
    /// `create` sent the request but its answer was lost or unreadable: the meeting may
    /// exist. Distinct from 1 so a script can tell "failed, safe to retry" from "look
    /// before creating another".
    OutcomeUnknown,
    /// Ended by a signal (128 + its number, as a shell reports it): SIGHUP 129,
    /// SIGINT / Ctrl+C 130, SIGTERM 143, and 141 when standard output's reader went away
    /// (SIGPIPE; Rust ignores the signal, so the status is given by hand).
    Signal(u8),
}

/// Ctrl+C, or SIGINT from outside.
pub const CANCELLED: Code = Code::Signal(2);
/// The reader of standard output went away (`tmeet status | head -1`).
pub const BROKEN_PIPE: Code = Code::Signal(13);

impl Code {
    pub const fn number(self) -> u8 {
        match self {
            Code::Ok => 0,
            Code::Failure => 1,
            Code::Usage => 2,
            Code::OutcomeUnknown => 3,
            Code::Signal(n) => 128u8.saturating_add(n),
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code.number())
    }
}

/// The table `tmeet --help` ends with; README's "Exit status" says the same.
pub const HELP: &str = "\
Exit status (every command and the interactive form):
  0    done
  1    failed; nothing was created (one line on stderr says why)
  2    usage or configuration error, found before anything was sent: a bad flag or
       value, input create refuses, settings that cannot work (TMEET_CLOUD,
       config.toml, no client id)
  3    create: outcome unknown; the request was sent but the answer was lost, so the
       meeting may exist. stderr gives the client-request-id; look before creating another
  130  cancelled with Ctrl+C
  141  standard output was closed by its reader (tmeet status | head -1)
  128+N  the interactive form ended by signal N (129 when its terminal closed)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_documented_ones() {
        assert_eq!(Code::Ok.number(), 0);
        assert_eq!(Code::Failure.number(), 1);
        assert_eq!(Code::Usage.number(), 2);
        assert_eq!(Code::OutcomeUnknown.number(), 3);
        assert_eq!(CANCELLED.number(), 130);
        assert_eq!(BROKEN_PIPE.number(), 141);
        for n in [0, 1, 2, 3, 130, 141] {
            assert!(HELP.contains(&format!("\n  {n} ")), "{n} missing from HELP");
        }
    }
}
