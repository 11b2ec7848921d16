//! `create --ics PATH`: a calendar file that never destroys one. The path is checked before
//! the meeting is created, because a bad path found afterwards costs a meeting (and a script
//! that retries on failure makes duplicates). The file is then written without following a
//! symbolic link, and over an existing file only with `--force`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub(super) struct IcsTarget {
    path: PathBuf,
    force: bool,
}

impl IcsTarget {
    /// Everything that can be known before sending. A symbolic link is refused even with
    /// `--force`: replacing the link's target is what `--force` must never mean.
    pub(super) fn check(path: &Path, force: bool) -> Result<Self, String> {
        let shown = path.display();
        match std::fs::symlink_metadata(path) {
            Ok(md) if md.file_type().is_symlink() => Err(format!(
                "--ics: {shown} is a symbolic link; tmeet does not write through links \
                 (give the real path, or remove the link)"
            )),
            // What --force cannot help with is said before --force is offered.
            Ok(md) if md.is_dir() => Err(format!(
                "--ics: {shown} is a directory; give a file name (e.g. {})",
                path.join("meeting.ics").display()
            )),
            Ok(md) if !md.is_file() => Err(format!(
                "--ics: {shown} is not a regular file; give the path of a file to write"
            )),
            Ok(_) if !force => Err(format!(
                "--ics: {shown} already exists; pass --force to replace it, or choose another name"
            )),
            Ok(_) => {
                // Opened without truncating: proves it can be written and changes nothing.
                open(path, Mode::Existing)
                    .map(drop)
                    .map_err(|e| format!("--ics: {}", describe(path, &e)))?;
                Ok(Self::new(path, force))
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                match std::fs::metadata(dir) {
                    Ok(md) if !md.is_dir() => {
                        Err(format!("--ics: {} is not a directory", dir.display()))
                    }
                    Ok(md) if md.permissions().readonly() => Err(format!(
                        "--ics: the directory {} is read-only; choose another place",
                        dir.display()
                    )),
                    Ok(_) => Ok(Self::new(path, force)),
                    Err(_) => Err(format!(
                        "--ics: the directory {} does not exist; create it first or choose another path",
                        dir.display()
                    )),
                }
            }
            Err(e) => Err(format!("--ics: {}", describe(path, &e))),
        }
    }

    fn new(path: &Path, force: bool) -> Self {
        Self {
            path: path.to_path_buf(),
            force,
        }
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `text`. The checks are made again by the open itself (create-new, or
    /// no-follow with `--force`), since the path may have changed while the request ran.
    pub(super) fn write(&self, text: &str) -> Result<(), String> {
        let mode = if self.force { Mode::Replace } else { Mode::New };
        open(&self.path, mode)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
            .map_err(|e| describe(&self.path, &e))
    }
}

#[derive(Clone, Copy)]
enum Mode {
    /// Fails if anything is there, a dangling symbolic link included (O_CREAT|O_EXCL).
    New,
    /// Creates or truncates a regular file; fails on a symbolic link (O_NOFOLLOW).
    Replace,
    /// Opens an existing file for writing without changing it.
    Existing,
}

fn open(path: &Path, mode: Mode) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true);
    match mode {
        Mode::New => o.create_new(true),
        Mode::Replace => o.create(true).truncate(true),
        Mode::Existing => &mut o,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

fn describe(path: &Path, e: &io::Error) -> String {
    let shown = path.display();
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return format!("{shown} is a symbolic link; tmeet does not write through links");
    }
    match e.kind() {
        io::ErrorKind::AlreadyExists => {
            format!("{shown} already exists; pass --force to replace it")
        }
        io::ErrorKind::NotFound => format!("the directory of {shown} does not exist"),
        _ => format!("{shown}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.ics");
        let t = IcsTarget::check(&p, false).unwrap();
        t.write("BEGIN:VCALENDAR").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "BEGIN:VCALENDAR");
    }

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mine.ics");
        std::fs::write(&p, "precious").unwrap();
        let err = IcsTarget::check(&p, false).unwrap_err();
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
        // The file appeared between the check and the write: still not overwritten.
        let dir2 = tempfile::tempdir().unwrap();
        let late = dir2.path().join("late.ics");
        let t = IcsTarget::check(&late, false).unwrap();
        std::fs::write(&late, "precious").unwrap();
        assert!(t.write("x").unwrap_err().contains("already exists"));
        assert_eq!(std::fs::read_to_string(&late).unwrap(), "precious");
        // --force replaces a regular file, shorter content included.
        let t = IcsTarget::check(&p, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "precious",
            "check writes nothing"
        );
        t.write("new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "precious").unwrap();
        let link = dir.path().join("link.ics");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for force in [false, true] {
            let err = IcsTarget::check(&link, force).unwrap_err();
            assert!(err.contains("symbolic link"), "{err}");
        }
        // A link that appears after the check: the open refuses it too.
        let late = dir.path().join("late.ics");
        for force in [false, true] {
            let t = IcsTarget::check(&late, force).unwrap();
            std::os::unix::fs::symlink(&target, &late).unwrap();
            let err = t.write("evil").unwrap_err();
            assert!(
                err.contains("symbolic link") || err.contains("already exists"),
                "{err}"
            );
            std::fs::remove_file(&late).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        // A dangling link would create its target: refused as well.
        let dangling = dir.path().join("dangling.ics");
        let nowhere = dir.path().join("created-through-the-link");
        std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
        assert!(IcsTarget::check(&dangling, false).is_err());
        assert!(IcsTarget::check(&dangling, true).is_err());
        let t = IcsTarget::new(&dangling, false);
        assert!(t.write("x").is_err(), "create-new refuses a dangling link");
        let t = IcsTarget::new(&dangling, true);
        assert!(t.write("x").unwrap_err().contains("symbolic link"));
        assert!(!nowhere.exists());
    }

    /// A directory is not offered --force, which could not help: it is named a directory.
    #[test]
    fn a_directory_is_named_a_directory_with_or_without_force() {
        let dir = tempfile::tempdir().unwrap();
        for force in [false, true] {
            let err = IcsTarget::check(dir.path(), force).unwrap_err();
            assert!(err.contains("is a directory"), "{err}");
            assert!(!err.contains("--force"), "{err}");
            assert!(err.contains("meeting.ics"), "{err}");
        }
    }

    #[test]
    fn a_missing_directory_is_found_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let err = IcsTarget::check(&dir.path().join("no/such/m.ics"), false).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        let file = dir.path().join("plain");
        std::fs::write(&file, "").unwrap();
        let err = IcsTarget::check(&file.join("m.ics"), false).unwrap_err();
        assert!(err.contains("not a directory"), "{err}");
        assert!(IcsTarget::check(Path::new("relative-name.ics"), false).is_ok());
    }
}
