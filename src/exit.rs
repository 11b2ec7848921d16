//! The exit statuses of every command and the interactive form, in one place, so that a
//! script can rely on them whichever command it runs (README, "Exit status"), and the one
//! table from what happened to a create (or a change) to its status and its words, which
//! the command line and the form both use so that they cannot tell it differently.

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
    /// Something was created, but not what was asked: a calendar event the service gave
    /// no Teams link. It exists (its invitations went out), so neither "failed" (1: a
    /// script would retry and invite everyone twice) nor "done" (0: it has no link to
    /// share) is true, and unlike 3 the outcome is known: stderr names the event and how
    /// to cancel it.
    Incomplete,
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
            Code::Incomplete => 4,
            Code::Signal(n) => 128u8.saturating_add(n),
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code.number())
    }
}

/// What happened to a create, as far as tmeet can know it. Each case has one exit status
/// and one headline; the command line prints the headline in its stderr line and the form
/// puts it on its status line, so "nothing was created" is said only where that is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The meeting exists and was shown or printed.
    Done,
    /// The service refused, or nothing reached it: retrying is safe.
    NothingCreated,
    /// The request went out and its answer was lost (no answer, an unreadable one, a
    /// gateway's 502/504, Ctrl+C while it was on its way): it may exist.
    MayExist,
    /// The meeting exists and is in the history, but standard output could not take it.
    OutputFailed,
    /// A calendar event exists, invitations sent, without a Teams meeting.
    NoTeamsLink,
    /// A change the service failed to answer, read back: some of it was saved, the rest
    /// was not. Known, and not what was asked: the status of an incomplete create.
    PartlySaved,
}

impl Outcome {
    /// Every case, for the tests that hold the documentation to the table.
    pub const ALL: [Outcome; 6] = [
        Outcome::Done,
        Outcome::NothingCreated,
        Outcome::MayExist,
        Outcome::OutputFailed,
        Outcome::NoTeamsLink,
        Outcome::PartlySaved,
    ];

    pub const fn code(self) -> Code {
        match self {
            Outcome::Done | Outcome::OutputFailed => Code::Ok,
            Outcome::NothingCreated => Code::Failure,
            Outcome::MayExist => Code::OutcomeUnknown,
            Outcome::NoTeamsLink | Outcome::PartlySaved => Code::Incomplete,
        }
    }

    /// The headline, for a meeting (`what` "meeting"), an event, or changes.
    pub fn headline(self, what: Subject) -> String {
        let (noun, made) = match what {
            Subject::Meeting => ("meeting", "created"),
            Subject::Event => ("event", "created"),
            Subject::Changes => ("changes", "saved"),
        };
        let was = if what == Subject::Changes {
            "were"
        } else {
            "was"
        };
        match self {
            Outcome::Done => format!("the {noun} {was} {made}"),
            Outcome::NothingCreated if what == Subject::Changes => {
                "nothing was changed".to_string()
            }
            Outcome::NothingCreated => "nothing was created".to_string(),
            Outcome::MayExist if what == Subject::Changes => {
                "the changes may have been saved".to_string()
            }
            Outcome::MayExist => format!("the {noun} may exist"),
            Outcome::OutputFailed => {
                format!("the {noun} {was} {made}, but the output could not be written")
            }
            Outcome::NoTeamsLink => "the event was created without a Teams link".to_string(),
            Outcome::PartlySaved => format!("only some of the {noun} {was} {made}"),
        }
    }
}

/// What an [`Outcome`] is about, for its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Meeting,
    Event,
    Changes,
}

/// The table `tmeet --help` ends with; README's "Exit status" says the same.
pub const HELP: &str = "\
Exit status (every command and the interactive form):
  0    done; also when the meeting was created but the output could not be written
       (a warning on stderr names it: it is in the history)
  1    failed; nothing was created (one line on stderr says why)
  2    usage or configuration error, found before anything was sent: a bad flag or
       value, input create refuses, settings that cannot work (TMEET_CLOUD,
       config.toml, no client id)
  3    create: outcome unknown; the request was sent but the answer was lost (no
       answer, an unreadable one, a gateway's 502 or 504), so the meeting may exist.
       stderr gives the client-request-id; look before creating another.
       update: the service failed (5xx) or did not answer, and reading the meeting
       back could not tell whether the changes were saved
  4    create --calendar: the event was created without a Teams link; its invitations
       went out. stderr names it and how to cancel it; do not simply retry.
       update: the service failed (5xx) and reading back shows only some of the
       changes saved (stderr lists which). A failed update read back as fully saved
       is 0 with a warning; read back as not saved at all, 1
  130  cancelled with Ctrl+C (a create in flight: stderr says the meeting may exist)
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
        assert_eq!(Code::Incomplete.number(), 4);
        assert_eq!(CANCELLED.number(), 130);
        assert_eq!(BROKEN_PIPE.number(), 141);
        for n in [0, 1, 2, 3, 4, 130, 141] {
            assert!(HELP.contains(&format!("\n  {n} ")), "{n} missing from HELP");
        }
    }

    #[test]
    fn every_outcome_has_a_documented_status() {
        for o in Outcome::ALL {
            let n = o.code().number();
            assert!(HELP.contains(&format!("\n  {n} ")), "{o:?}: {n} missing");
        }
        // Only a refusal says nothing was created; everything else says what exists.
        for o in Outcome::ALL {
            let words = o.headline(Subject::Meeting);
            assert_eq!(
                words.contains("nothing"),
                o == Outcome::NothingCreated,
                "{o:?}: {words}"
            );
        }
        assert_eq!(
            Outcome::MayExist.headline(Subject::Event),
            "the event may exist"
        );
    }
}
