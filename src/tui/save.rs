//! Files the result pane saves for the person (the calendar file): named from the meeting so
//! they are easy to find, and never written over something already there.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `contents` to `dir/stem.ext`, or `stem-2.ext`, `stem-3.ext` … when taken. The file
/// is created with `create_new`, so a file that appears meanwhile is not written over either.
pub(crate) fn write_new(dir: &Path, stem: &str, ext: &str, contents: &[u8]) -> io::Result<PathBuf> {
    for n in 1..=999u32 {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                if let Err(e) = f.write_all(contents).and_then(|()| f.sync_all()) {
                    // A half-written calendar file would import as garbage.
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{stem}.{ext} and 998 numbered copies already exist; clear some out"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_numbers_the_next_free_name() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_new(dir.path(), "2026-12-01-review", "ics", b"one").unwrap();
        assert_eq!(first, dir.path().join("2026-12-01-review.ics"));
        let second = write_new(dir.path(), "2026-12-01-review", "ics", b"two").unwrap();
        assert_eq!(second, dir.path().join("2026-12-01-review-2.ics"));
        std::fs::write(dir.path().join("2026-12-01-review-3.ics"), "someone else's").unwrap();
        let fourth = write_new(dir.path(), "2026-12-01-review", "ics", b"four").unwrap();
        assert_eq!(fourth, dir.path().join("2026-12-01-review-4.ics"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("2026-12-01-review-3.ics")).unwrap(),
            "someone else's"
        );
        assert_eq!(std::fs::read_to_string(&fourth).unwrap(), "four");
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let e = write_new(&gone, "x", "ics", b"").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
