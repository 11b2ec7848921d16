//! The form's last mode (standalone link or calendar event), remembered between sessions
//! in a one-word file in the state directory. It wins over config.toml's `mode`: the
//! config says how a first session starts, the person's last choice how the next one does.

use super::form_state::Mode;
use std::io;
use std::path::{Path, PathBuf};

const FILE: &str = "form-mode";

/// Where the choice lives: `$XDG_STATE_HOME/tmeet/form-mode`.
pub(crate) fn path() -> Option<PathBuf> {
    crate::paths::state_dir().map(|d| d.join(FILE))
}

/// The remembered choice; nothing (no file, an unknown word) leaves the decision to the
/// config file, since a stray file must not stop the form.
pub(crate) fn load(path: &Path) -> Option<Mode> {
    Mode::parse(&std::fs::read_to_string(path).ok()?)
}

/// The mode a session starts in.
pub(crate) fn initial(remembered: Option<Mode>, calendar_default: bool) -> Mode {
    remembered.unwrap_or(if calendar_default {
        Mode::Calendar
    } else {
        Mode::Standalone
    })
}

/// Written to a temporary name, then renamed: a crash mid-write leaves the old word or
/// the new one, never half of either.
pub(crate) fn store(path: &Path, mode: Mode) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::paths::create_private_dir(dir)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, mode.as_str())?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_choice_wins_over_the_config_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/tmeet").join(FILE);
        assert_eq!(load(&path), None);
        assert_eq!(initial(load(&path), true), Mode::Calendar);
        assert_eq!(initial(load(&path), false), Mode::Standalone);
        store(&path, Mode::Standalone).unwrap();
        assert_eq!(initial(load(&path), true), Mode::Standalone);
        store(&path, Mode::Calendar).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "calendar");
        assert_eq!(initial(load(&path), false), Mode::Calendar);
        std::fs::write(&path, "garbage").unwrap();
        assert_eq!(initial(load(&path), true), Mode::Calendar);
    }
}
