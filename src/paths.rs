//! Where tmeet keeps its files, from one `ProjectDirs`, and the one way to make a
//! directory for them: private (0700), since the state directory holds the sign-in and the
//! data directory the history of who met whom.
//!
//! Platform layer: imports nothing of tmeet.

use std::path::{Path, PathBuf};

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tmeet")
}

/// `$XDG_CONFIG_HOME/tmeet/config.toml` on Linux.
pub(crate) fn config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Logs, the token file and small state (`$XDG_STATE_HOME/tmeet` on Linux; the local data
/// directory where there is no state directory).
pub(crate) fn state_dir() -> Option<PathBuf> {
    let dirs = project_dirs()?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// `$XDG_DATA_HOME/tmeet/history.sqlite3` on Linux.
pub(crate) fn history_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("history.sqlite3"))
}

/// Creates `dir` and its missing parents, 0700 where the platform has modes. An existing
/// directory keeps its mode: it may be shared on purpose, and is not tmeet's to change.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn new_directories_are_private_down_the_whole_path() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("state/tmeet");
        create_private_dir(&dir).unwrap();
        for d in [home.path().join("state"), dir.clone()] {
            let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
        // Twice is fine.
        create_private_dir(&dir).unwrap();
    }
}
