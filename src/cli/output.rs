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

/// Standard output could not be written; the command ends as `CliError`'s `From` says.
#[derive(Debug)]
pub struct Unwritable(std::io::Error);

impl Unwritable {
    pub fn is_broken_pipe(&self) -> bool {
        self.0.kind() == std::io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl From<std::io::Error> for Unwritable {
    fn from(e: std::io::Error) -> Self {
        Unwritable(e)
    }
}

/// Writes and flushes at once, so that the failure belongs to the line that caused it.
pub(crate) fn write_out(args: fmt::Arguments<'_>) -> Result<(), Unwritable> {
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

/// `tmeet: message` on stderr, never panicking. A stderr that cannot be written to has
/// nobody to tell; the exit status still says it.
pub(crate) fn warn_line(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "tmeet: {message}");
}
