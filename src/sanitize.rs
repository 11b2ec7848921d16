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

/// Text the person typed (a subject), as it is both shown and sent: every control (Cc) and
/// format (Cf) character is removed. Those draw nothing, so leaving them in would send what
/// nobody saw: U+202E reverses what follows, U+200B splits a word invisibly, U+FEFF and the
/// tag characters (U+E0020…) can carry hidden text. Tabs and line breaks become a space.
///
/// Kept: the zero-width joiner and non-joiner (U+200D, U+200C) between two non-ASCII
/// characters, where they are spelling, not a trick: emoji sequences (👩‍💻) and Persian or
/// Indic words need them. Next to ASCII or at an edge they are removed like the rest.
///
/// The form renders the subject through this and [`crate::meeting::request`] sends it
/// through this, so screen and wire cannot disagree.
pub fn typed(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        } else if matches!(c, '\u{200C}' | '\u{200D}') {
            let non_ascii =
                |o: Option<&char>| o.is_some_and(|c| !c.is_ascii() && !is_invisible(*c));
            if non_ascii(i.checked_sub(1).and_then(|j| chars.get(j))) && non_ascii(chars.get(i + 1))
            {
                out.push(c);
            }
        } else if !is_invisible(c) {
            out.push(c);
        }
    }
    out
}

/// Controls (Cc: C0, DEL, C1) and format characters (Cf: bidi controls, zero-width space,
/// byte-order mark, soft hyphen, tags, …).
fn is_invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    matches!(
        c.general_category(),
        GeneralCategory::Control | GeneralCategory::Format
    )
}

/// JSON text as the service sent it, made safe for a terminal without changing its value or
/// its key order: every character [`line`] strips is written as a `\uXXXX` escape. In valid
/// JSON such a character can only stand inside a string (JSON whitespace is space, tab, LF
/// and CR), where the escape denotes the same character; CR, whitespace that moves the
/// cursor, is dropped. On text that is not JSON the result is still harmless.
pub fn json_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Every character `is_unsafe` names, and CR, starts with one of these bytes, and
        // none of them is the continuation of another character: the rest is copied whole.
        if !matches!(bytes[i], 0x00..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2) {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c == '\r' || (c != '\n' && c != '\t' && is_unsafe(c)) {
            out.push_str(&text[copied..i]);
            if c != '\r' {
                // Every unsafe character is in the Basic Multilingual Plane: one escape.
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&text[copied..]);
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080..=U+009F)
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// How much of the input an error repeats, in terminal columns: enough to recognise it,
/// never enough to push the rest of the form off the screen.
const QUOTE_COLUMNS: usize = 24;

/// At most [`QUOTE_COLUMNS`] columns of `s`, with `…` when cut; control characters become
/// U+FFFD so a quoted input cannot steer the terminal.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    let mut cols = 0;
    for c in s.chars() {
        let c = if c.is_control() { '\u{FFFD}' } else { c };
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if cols + w > QUOTE_COLUMNS {
            out.push('…');
            break;
        }
        cols += w;
        out.push(c);
    }
    out
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
    fn json_escapes_c1_and_bidi_and_round_trips() {
        let v = serde_json::json!({
            "subject": "a\u{1b}]0;t\u{7}b\u{9b}31mc\u{202E}d\u{85}e \u{4f1a}\u{8b70} \u{1F600}",
            "list": [1, "\u{2066}x"],
        });
        // `create --json` prints the service's bytes through json_text.
        let text = json_text(&serde_json::to_string_pretty(&v).unwrap());
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
        assert!(text.contains("\\u009b") && text.contains("\\u202e") && text.contains("\\u0085"));
        assert!(
            text.contains("\u{4f1a}\u{8b70} \u{1F600}"),
            "other text stays readable"
        );
        assert!(
            text.contains("\n  \"list\": [\n    1,"),
            "pretty layout kept:\n{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn json_text_treats_every_character_as_the_char_by_char_rule_says() {
        let by_char = |text: &str| {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '\r' => {}
                    '\n' | '\t' => out.push(c),
                    c if is_unsafe(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                    c => out.push(c),
                }
            }
            out
        };
        // Each character alone, doubled, and between others, a block of them at a time.
        let all: Vec<char> = (0..=0x10ffff).filter_map(char::from_u32).collect();
        for block in all.chunks(4096) {
            let text: String = block.iter().map(|c| format!("a{c}\u{e9}{c}{c}z")).collect();
            assert_eq!(
                json_text(&text),
                by_char(&text),
                "from U+{:04X}",
                u32::from(block[0])
            );
        }
    }

    #[test]
    fn json_text_keeps_order_and_value_and_escapes_unsafe() {
        // ESC and BEL must be escaped in JSON; C1 controls, DEL and bidi overrides need not be.
        let sent =
            "{\"z\":\"a\\u001b]0;t\\u0007\u{9b}\u{202E}\u{7f}\",\r\n\t\"a\":[1,\"\u{4f1a}\"]}";
        let text = json_text(sent);
        assert_eq!(
            text,
            "{\"z\":\"a\\u001b]0;t\\u0007\\u009b\\u202e\\u007f\",\n\t\"a\":[1,\"\u{4f1a}\"]}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(sent).unwrap()
        );
    }

    #[test]
    fn typed_text_loses_every_invisible_character() {
        let sneaky = "Pay\u{200B}roll \u{202E}gpj.exe\u{202C} \u{2066}x\u{2069}\u{FEFF}\u{00AD}\u{1b}[31m\u{9b}\u{E0041}\tend\u{200F}";
        assert_eq!(typed(sneaky), "Payroll gpj.exe x[31m end");
        // Everything that is left is visible (or a plain space).
        assert!(
            typed(sneaky)
                .chars()
                .all(|c| c == ' ' || !is_invisible(c) && !c.is_whitespace())
        );
    }

    #[test]
    fn joiners_stay_only_where_they_spell_something() {
        let family = "\u{1F469}\u{200D}\u{1F4BB} review";
        assert_eq!(typed(family), family, "an emoji sequence is kept whole");
        let persian = "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}";
        assert_eq!(typed(persian), persian);
        assert_eq!(typed("a\u{200D}b \u{200C}x\u{200D}"), "ab x");
        // Two joiners in a row: neither sits between two visible characters.
        assert_eq!(
            typed("\u{4f1a}\u{200D}\u{200D}\u{8b70}"),
            "\u{4f1a}\u{8b70}"
        );
    }

    /// Plain text, or a mix heavy in the characters that must go (and joiners next to CJK).
    const TYPED: &str =
        "\\PC*|[a\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{FEFF}\u{1b}\u{4f1a} ]*";

    proptest::proptest! {
        /// Whatever is typed, what is left draws something (or is a space, or a joiner
        /// between two visible non-ASCII characters), and cleaning twice changes nothing:
        /// the form and the request, each cleaning on its own, agree.
        #[test]
        fn typed_leaves_nothing_invisible_and_is_stable(s in TYPED) {
            let once = typed(&s);
            let chars: Vec<char> = once.chars().collect();
            let visible = |o: Option<&char>| {
                o.is_some_and(|c| !c.is_ascii() && !is_invisible(*c))
            };
            for (i, c) in chars.iter().enumerate().filter(|(_, c)| is_invisible(**c)) {
                proptest::prop_assert!(matches!(c, '\u{200C}' | '\u{200D}'), "{:?}", once);
                let before = i.checked_sub(1).and_then(|j| chars.get(j));
                proptest::prop_assert!(visible(before) && visible(chars.get(i + 1)));
            }
            proptest::prop_assert_eq!(typed(&once), once);
        }
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(multiline("a\r\nb\u{1b}c\td"), "a\nbc d");
        assert_eq!(line("a\nb"), "a b");
    }
}
