//! Laying the status line out: whole when it fits; else over a second row where the screen
//! left one empty; else cut between words with an ellipsis. A key or a command the status
//! names is what the person acts on, so it is never cut: when the text must be shortened,
//! the sentences that name one go first and the rest is what gets cut.

use super::columns;

/// One piece of the text that is placed whole or left out: a word, or a protected run
/// (a command with its arguments, a key's name).
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    protected: bool,
    /// The sentence it belongs to (sentences that name a key or command go first).
    sentence: usize,
}

/// Words that end a command written without backticks (`run tmeet login again`).
const AFTER_COMMAND: &[&str] = &[
    "to", "then", "again", "once", "and", "or", "with", "first", "before", "after", "so", "if",
    "when", "in", "on", "at", "for", "from", "the", "a", "an", "is", "was",
];

fn ends_clause(word: &str) -> bool {
    word.trim_end_matches(['\'', '"', '`', ')'])
        .ends_with(['.', ',', ';', ':', '?', '!'])
}

fn ends_sentence(word: &str) -> bool {
    word.trim_end_matches(['\'', '"', '`', ')'])
        .ends_with(['.', '?', '!'])
}

/// Words that do not say what a key does (`Press y to copy`, `Esc or r`): a key's unit
/// takes the word after it (`Esc cancels`) unless it is one of these.
const NOT_A_VERB: &[&str] = &["to", "or", "and", "·", "-", "—"];

/// A key's name as the key table spells it (`Ctrl+S`, `Esc`, `y/N`), with the punctuation
/// around it in a sentence. A single letter is a key only where a sentence names one
/// (`Press y`, `Esc or r`, `y copies` opening a sentence): `3 s` is a time, not `s`.
fn names_key(word: &str, before: Option<&str>) -> bool {
    let bare = word.trim_matches(|c: char| ",.;:()\"'".contains(c));
    if bare.is_empty() {
        return false;
    }
    if bare.contains('/') {
        return bare.split('/').any(crate::tui::keymap::is_key_name);
    }
    if !crate::tui::keymap::is_key_name(bare) {
        return false;
    }
    bare.chars().count() > 1
        || match before {
            None => true,
            Some(b) => ends_sentence(b) || b.eq_ignore_ascii_case("press") || b == "or",
        }
}

/// The text's units: words, with each command (`` `…` ``, or `tmeet` and its arguments) and
/// each key name (with the verb after it) made one protected unit.
fn units(text: &str) -> Vec<Unit> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<Unit> = Vec::new();
    let mut sentence = 0;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let start = i;
        i += 1;
        let bare = w.trim_start_matches(['\'', '"', '(']);
        let mut protected = true;
        if let Some(rest) = bare.strip_prefix('`') {
            // A quoted command: to its closing backtick.
            let mut closed = rest.contains('`');
            while !closed && i < words.len() {
                closed = words[i].contains('`');
                i += 1;
            }
        } else if bare == "tmeet" {
            while i < words.len()
                && !ends_clause(words[i - 1])
                && !AFTER_COMMAND.contains(&words[i])
            {
                i += 1;
            }
            protected = i - start > 1;
        } else if names_key(w, start.checked_sub(1).map(|b| words[b])) {
            if !ends_clause(w) && i < words.len() && !NOT_A_VERB.contains(&words[i]) {
                i += 1;
            }
        } else {
            protected = false;
        }
        let last = words[i - 1];
        out.push(Unit {
            text: words[start..i].join(" "),
            protected,
            sentence,
        });
        if ends_sentence(last) {
            sentence += 1;
        }
    }
    out
}

/// `words` laid out in lines of `width`, a word too long for a line split across lines;
/// None when that takes more than `rows`.
fn place(words: &[String], width: usize, rows: usize) -> Option<Vec<String>> {
    let lines = super::wrap(&words.join(" "), width);
    (lines.len() <= rows).then_some(lines)
}

/// The units, the first `keep` of them and after that only the protected ones, with an
/// ellipsis where anything was left out.
fn shortened(units: &[&Unit], keep: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut gap = false;
    for (i, u) in units.iter().enumerate() {
        if i < keep || u.protected {
            if gap {
                ellipsis(&mut out);
                gap = false;
            }
            out.push(u.text.clone());
        } else {
            gap = true;
        }
    }
    if gap {
        ellipsis(&mut out);
    }
    out
}

/// Marks a gap after the last unit (once: `meeting…` stays as it is).
fn ellipsis(out: &mut Vec<String>) {
    match out.last_mut() {
        Some(last) if last.ends_with('…') => {}
        Some(last) => last.push('…'),
        None => out.push("…".into()),
    }
}

/// `text` in at most `rows` lines of `width` columns (see the module's rule).
pub(crate) fn fit(text: &str, width: usize, rows: usize) -> Vec<String> {
    let width = width.max(1);
    let rows = rows.max(1);
    let all = units(text);
    let words: Vec<String> = all.iter().map(|u| u.text.clone()).collect();
    if let Some(lines) = place(&words, width, rows) {
        return lines;
    }
    // Cut at the end, after every key and command: in the text's order, else with the
    // sentences naming one first; failing both, cut before some of them too.
    let named: Vec<usize> = all
        .iter()
        .filter(|u| u.protected)
        .map(|u| u.sentence)
        .collect();
    let reordered: Vec<&Unit> = all
        .iter()
        .filter(|u| named.contains(&u.sentence))
        .chain(all.iter().filter(|u| !named.contains(&u.sentence)))
        .collect();
    let as_written: Vec<&Unit> = all.iter().collect();
    for order in [&as_written, &reordered] {
        let past_last = order.iter().rposition(|u| u.protected).map_or(1, |i| i + 1);
        for keep in (past_last..order.len()).rev() {
            if let Some(lines) = place(&shortened(order, keep), width, rows) {
                return lines;
            }
        }
    }
    let order = reordered;
    // Nothing but an ellipsis says nothing: at least one unit is kept.
    let least = usize::from(!order.iter().any(|u| u.protected));
    for keep in (least..order.len()).rev() {
        if let Some(lines) = place(&shortened(&order, keep), width, rows) {
            return lines;
        }
    }
    // Even the keys and commands alone do not fit: as much of the text as the rows take.
    let unprotected: Vec<Unit> = order
        .iter()
        .map(|u| Unit {
            protected: false,
            ..(*u).clone()
        })
        .collect();
    let unprotected: Vec<&Unit> = unprotected.iter().collect();
    for keep in (1..unprotected.len()).rev() {
        if let Some(lines) = place(&shortened(&unprotected, keep), width, rows) {
            return lines;
        }
    }
    // One word wider than everything: its start, and the ellipsis.
    let mut line = String::new();
    for c in text.chars() {
        if columns(&line) + columns(&c.to_string()) + 1 > width {
            break;
        }
        line.push(c);
    }
    line.push('…');
    vec![line]
}

#[cfg(test)]
mod tests {
    use super::fit;

    const CONSENT: &str = "Attendees need permission to look people up \
                           (User.ReadBasic.All). Press Ctrl+S to sign in again here and grant \
                           it; your input is kept.";

    #[test]
    fn a_status_that_fits_is_left_alone() {
        assert_eq!(fit("Meeting created.", 80, 1), ["Meeting created."]);
        assert_eq!(
            fit(CONSENT, 100, 2),
            [
                "Attendees need permission to look people up (User.ReadBasic.All). Press Ctrl+S to sign in again here",
                "and grant it; your input is kept."
            ]
        );
    }

    #[test]
    fn shortened_between_words_with_the_key_first() {
        // In the text's order while the key fits; its sentence first where it does not.
        assert_eq!(
            fit(CONSENT, 100, 1),
            [
                "Attendees need permission to look people up (User.ReadBasic.All). Press Ctrl+S to sign in again…"
            ]
        );
        let one = fit(CONSENT, 40, 1);
        assert_eq!(one, ["Press Ctrl+S to sign in again here and…"]);
        for w in 10..140 {
            for rows in 1..=2 {
                let lines = fit(CONSENT, w, rows);
                assert!(lines.len() <= rows, "{w}: {lines:?}");
                for l in &lines {
                    assert!(super::columns(l) <= w, "{w}: {l:?}");
                }
                assert!(
                    lines.join(" ").contains("Ctrl+S"),
                    "the key survives at {w}×{rows}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn a_command_is_kept_whole_and_put_first() {
        let text = "The event was created, but the service gave it no Teams meeting; your \
                    calendar allows no online meetings: ask your administrator. Cancel the \
                    event without a link with: tmeet cancel 'AAMkAGI2TG93AAA='";
        let lines = fit(text, 100, 1);
        assert_eq!(
            lines,
            [
                "Cancel the event without a link with: tmeet cancel 'AAMkAGI2TG93AAA=' The event was created, but…"
            ]
        );
        let lines = fit(text, 60, 1);
        assert!(
            lines[0].contains("tmeet cancel 'AAMkAGI2TG93AAA='"),
            "{lines:?}"
        );
        // A command in backticks, in the middle of its sentence.
        let text = "attendees need permission to look people up (User.ReadBasic.All): run \
                    `tmeet login --scope User.ReadBasic.All`, then try again";
        for w in [50, 60, 80] {
            let lines = fit(text, w, 1);
            assert!(
                lines[0].contains("`tmeet login --scope User.ReadBasic.All`"),
                "{w}: {lines:?}"
            );
            assert!(lines[0].ends_with('…'), "{w}: {lines:?}");
        }
    }

    #[test]
    fn too_narrow_for_the_key_still_cuts_between_words() {
        assert_eq!(fit("Press Ctrl+S now", 6, 1), ["Press…"]);
        assert_eq!(fit("Supercalifragilistic", 6, 1), ["Super…"]);
    }
}
