//! Logs go to a file under the state directory, never to the screen (DESIGN.md rule 8):
//! a TUI that prints a log line corrupts its own frame, and `create`'s stdout is for data.
//! `TMEET_LOG` sets the filter (default `info`); `TMEET_LOG_FILE` overrides the path.
//!
//! A new log file is created 0600 (it can name accounts and tenants); an existing one keeps
//! its mode, since it may be shared on purpose and is not tmeet's to change; anything but a
//! regular file (`/dev/null`, a FIFO, a directory) is refused with a warning: a FIFO with
//! no reader would hang tmeet on open, and a device is nobody's log.

use std::io::Write;
use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;

/// Starts file logging; keep the guard alive until exit so buffered lines are flushed.
/// Returns None (and logs nowhere) when no state directory can be had: logging must never
/// stop tmeet from working.
pub(crate) fn init() -> Option<(WorkerGuard, PathBuf)> {
    let path = match std::env::var_os("TMEET_LOG_FILE") {
        Some(p) => PathBuf::from(p),
        None => crate::paths::state_dir()?.join("tmeet.log"),
    };
    let file = match open_log(&path) {
        Ok(file) => file,
        Err(Unusable::Refused(why)) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "tmeet: warning: not logging: {why}"
            );
            return None;
        }
        Err(Unusable::Io) => return None,
    };
    // The default queue holds 128,000 lines and is allocated up front: 4 MB of resident
    // memory for a program that logs a few lines a minute. 1,024 is plenty; past it a line is
    // dropped rather than blocking the UI thread.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(1024)
        .lossy(true)
        .finish(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("TMEET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some((guard, path))
}

enum Unusable {
    /// Not a place for a log; the person should hear why.
    Refused(String),
    /// Could not be opened (no permission, read-only disk): logging is optional.
    Io,
}

fn open_log(path: &Path) -> Result<std::fs::File, Unusable> {
    let not_a_file = || {
        Unusable::Refused(format!(
            "{} is not a regular file (a device, FIFO or directory); point TMEET_LOG_FILE at a file",
            path.display()
        ))
    };
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(not_a_file()),
        Ok(_) => {}
        Err(_) => {
            let dir = path.parent().ok_or(Unusable::Io)?;
            if !dir.as_os_str().is_empty() {
                crate::paths::create_private_dir(dir).map_err(|_| Unusable::Io)?;
            }
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Applies only when the file is created: an existing file keeps its mode.
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|_| Unusable::Io)?;
    // Swapped for something else between the check and the open.
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        _ => Err(not_a_file()),
    }
}
