//! What every target checks about text that may reach a terminal. Written from the
//! documented rule (DESIGN.md rule 7, `sanitize.rs`), not by calling the code under test.
#![allow(dead_code)] // each target uses only some of these

/// C0, DEL, C1, and the bidirectional marks, overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// Panics, showing the text, when it carries a character that is not safe on one line.
#[track_caller]
pub fn assert_line_safe(what: &str, s: &str) {
    assert!(
        !s.chars().any(is_unsafe),
        "{what} is not terminal-safe: {s:?}"
    );
}

/// Like [`assert_line_safe`] but allows `\n`.
#[track_caller]
pub fn assert_multiline_safe(what: &str, s: &str) {
    assert!(
        !s.chars().any(|c| c != '\n' && is_unsafe(c)),
        "{what} is not terminal-safe: {s:?}"
    );
}
