//! Logs go to a file under the state directory, never to the screen (DESIGN.md rule 8):
//! a TUI that prints a log line corrupts its own frame, and `create`'s stdout is for data.
//! `TMEET_LOG` sets the filter (default `info`); `TMEET_LOG_FILE` overrides the path.

use std::path::PathBuf;
use tracing_appender::non_blocking::WorkerGuard;

/// Starts file logging; keep the guard alive until exit so buffered lines are flushed.
/// Returns None (and logs nowhere) when no state directory can be had: logging must never
/// stop tmeet from working.
pub fn init() -> Option<(WorkerGuard, PathBuf)> {
    let path = match std::env::var_os("TMEET_LOG_FILE") {
        Some(p) => PathBuf::from(p),
        None => crate::settings::state_dir()?.join("tmeet.log"),
    };
    let dir = path.parent()?.to_path_buf();
    create_private_dir(&dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    restrict(&path);
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

/// The state directory holds tokens too: 0700.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

fn restrict(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}
