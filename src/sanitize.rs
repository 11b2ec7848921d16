//! Server text is untrusted: a subject, display name or error message can carry escape
//! sequences that would retitle, clear or recolour the terminal. Everything that came from
//! the network passes through here before it is printed or rendered.

/// Removes C0 and C1 control characters (ESC, BEL, CSI, OSC, …), DEL and the Unicode
/// bidirectional overrides and isolates, which can make text display in a misleading order.
/// Tabs become a space; newlines are removed (use [`multiline`] to keep them).
pub fn line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Like [`line`] but keeps `\n`, for invitation text and other multi-line content.
pub fn multiline(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\r' => None,
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080..=U+009F)
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_bidi() {
        let evil = "a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\u{9b}31md\u{202E}e\u{85}f";
        let clean = line(evil);
        assert!(!clean.chars().any(|c| c.is_control()));
        assert_eq!(clean, "a]0;pwnedb[2Jc31mdef");
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(multiline("a\r\nb\u{1b}c\td"), "a\nbc d");
        assert_eq!(line("a\nb"), "a b");
    }
}
