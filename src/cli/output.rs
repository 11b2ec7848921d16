//! Standard output for `login`, `logout`, `status`, `emulator` and `--help`: a write that
//! fails ends the command instead of panicking (`println!` panics on any error).
//!
//! The convention (README, "Scripts"): when the reader went away (`tmeet status | head
//! -1`), the command stops at that write, quietly, with status 141, as a program killed
//! by SIGPIPE would; Rust ignores SIGPIPE, so the status is returned by hand. Any other
//! failure (`> /dev/full`) is one `tmeet: …` line and status 1. Either way the command
//! stops where the write failed, so a command that says what it is about to do before it
//! does it (logout) has done nothing when it could not say so.

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// What a shell reports for a program ended by SIGPIPE: 128 + 13.
pub const BROKEN_PIPE: u8 = crate::exit::BROKEN_PIPE.number();

/// Standard output could not be written; the command ends with [`Unwritable::exit_code`].
#[derive(Debug)]
pub struct Unwritable(std::io::Error);

impl Unwritable {
    pub fn exit_code(&self) -> ExitCode {
        if self.0.kind() == std::io::ErrorKind::BrokenPipe {
            ExitCode::from(BROKEN_PIPE)
        } else {
            fail_line(&format!("cannot write to standard output: {}", self.0))
        }
    }
}

impl From<std::io::Error> for Unwritable {
    fn from(e: std::io::Error) -> Self {
        Unwritable(e)
    }
}

/// Writes and flushes at once, so that the failure belongs to the line that caused it.
pub fn write_out(args: fmt::Arguments<'_>) -> Result<(), Unwritable> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)?;
    out.flush()?;
    Ok(())
}

/// `println!` that returns [`Unwritable`] instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say;

/// One line on stderr, exit status 1 (the CLI contract). A stderr that cannot be written
/// to has nobody to tell; the status still says it.
pub fn fail_line(message: &str) -> ExitCode {
    warn_line(message);
    crate::exit::Code::Failure.into()
}

/// `tmeet: message` on stderr, never panicking.
pub fn warn_line(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "tmeet: {message}");
}

/// `--help` and `--version` (clap's own printing ignores write errors) and clap's other
/// early exits (usage errors go to stderr, status 2).
pub fn clap_exit(e: clap::Error) -> ExitCode {
    if e.use_stderr() {
        e.exit()
    }
    match e.print().and_then(|()| std::io::stdout().flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => Unwritable(e).exit_code(),
    }
}
