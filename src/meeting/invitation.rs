//! `joinInformation` (GRAPH.md §2): a form-URL-encoded `data:text/html,…` string holding the
//! localized HTML invitation. Decoded leniently, because the service's own sample ends with
//! a stray `",` and a newline.

use crate::graph::model::{BodyType, ItemBody};
use crate::sanitize;
use percent_encoding::percent_decode_str;

/// The invitation as HTML, or None when there is none.
pub fn decode_html(body: &ItemBody) -> Option<String> {
    let content = body.content.as_deref()?.trim();
    if content.is_empty() {
        return None;
    }
    let decoded = decode_form_urlencoded(content);
    let html = match decoded.find(',') {
        Some(i)
            if decoded[..i]
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("data:") =>
        {
            &decoded[i + 1..]
        }
        _ => decoded.as_str(),
    };
    let html = html
        .trim_end()
        .trim_end_matches(',')
        .trim_end_matches('"')
        .trim();
    match body.content_type {
        Some(BodyType::Text) => Some(escape_text_as_html(html)),
        _ => Some(html.to_string()),
    }
}

/// The invitation as plain text, safe for a terminal: prose wrapped at `width` columns,
/// every link whole on one line however long (a link cut in two is worse than none once
/// pasted). Link targets follow as numbered footnotes.
pub fn to_text(body: &ItemBody, width: usize) -> Option<String> {
    html_to_text(&decode_html(body)?, width)
}

/// [`to_text`] for HTML already decoded.
pub fn html_to_text(html: &str, width: usize) -> Option<String> {
    let width = width.clamp(20, 400);
    // html2text wraps prose and footnotes alike, cutting links at the width. So it lays
    // the text out without wrapping (footnotes unwrapped, prose at a width no line
    // reaches), and the prose is wrapped here, where a link can be kept whole.
    let text = sanitize::multiline(&unwrapped(html));
    // Collapse runs of blank lines the template's layout divs leave behind.
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank = 0;
        for wrapped in wrap_keeping_links(line, width) {
            out.push_str(&wrapped);
            out.push('\n');
        }
    }
    let out = out.trim_matches('\n').to_string();
    (!out.is_empty()).then_some(out)
}

/// The invitation as html2text lays it out, unwrapped and not yet sanitized.
fn unwrapped(html: &str) -> String {
    html2text::config::plain()
        .no_link_wrapping()
        .string_from_read(html.as_bytes(), UNWRAPPED)
        .unwrap_or_else(|_| html.to_string())
}

/// The links of the invitation's text that may be clickable: each word of the text that is
/// a link and, as the service sent it (entities decoded, nothing stripped yet), passes
/// [`crate::hyperlink::target`]; with its target. A link that needed sanitizing is not one
/// of them: what is shown of it is not what was sent.
pub fn link_targets(body: &ItemBody) -> Vec<(String, String)> {
    let Some(html) = decode_html(body) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for word in unwrapped(&html).split([' ', '\n']) {
        if is_link(word)
            && !out.iter().any(|(w, _)| w == word)
            && let Some(target) = crate::hyperlink::target(word)
        {
            out.push((word.to_string(), target));
        }
    }
    out
}

/// The invitation's HTML for a paste target that renders it (mail, chat, a document): kept
/// as HTML with its inline styles and links, less what no invitation needs and a paste
/// target should never run (scripts, event handlers, forms, frames, `javascript:` links),
/// then stripped of every control character, entity-encoded ones included (the sanitizer
/// writes them out decoded), so a clipboard tool that prints it cannot drive the terminal.
pub fn safe_html(html: &str) -> String {
    let clean = ammonia::Builder::default()
        .add_generic_attributes(["style", "class", "dir"])
        .add_tag_attributes("a", ["target"])
        .clean(html)
        .to_string();
    sanitize::multiline(&clean).trim().to_string()
}

/// Wider than any line of an invitation: html2text then wraps nothing.
const UNWRAPPED: usize = 100_000;

/// Whether `word` (text between spaces) holds a link: a URL with an authority
/// (`https://…`) or one of the schemes invitations use without one (`tel:`, `sip:`, …).
pub fn is_link(word: &str) -> bool {
    const OPAQUE: &[&str] = &["tel:", "sip:", "sips:", "mailto:", "callto:"];
    let start = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    word.contains("://")
        || OPAQUE.iter().any(|scheme| {
            start
                .get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
        })
}

/// One line of prose wrapped at `width` columns, at spaces. A word wider than the line is
/// broken (a run of CJK text has no spaces), unless it holds a link: a link stays whole,
/// on the row where it starts (after its footnote label, `[1]: https://…`), and ends that
/// row. The line's indentation is kept on every row.
fn wrap_keeping_links(line: &str, width: usize) -> Vec<String> {
    use textwrap::core::{Fragment, Word};
    let body = line.trim_start_matches(' ');
    let indent = &line[..line.len() - body.len()];
    let room = width.saturating_sub(indent.len()).max(10);

    /// A word as the first-fit wrapper sees it. A link too wide for any row takes no room
    /// (so no break is made before it: a row of its own would not fit it either) and
    /// leaves none (so the next word starts a new row).
    #[derive(Debug)]
    struct Piece<'a> {
        word: Word<'a>,
        overwide_link: bool,
    }
    impl Fragment for Piece<'_> {
        fn width(&self) -> f64 {
            if self.overwide_link {
                0.0
            } else {
                self.word.width()
            }
        }
        fn whitespace_width(&self) -> f64 {
            if self.overwide_link {
                f64::INFINITY
            } else {
                self.word.whitespace_width()
            }
        }
        fn penalty_width(&self) -> f64 {
            self.word.penalty_width()
        }
    }

    let pieces: Vec<Piece> = textwrap::WordSeparator::AsciiSpace
        .find_words(body)
        .flat_map(|word| {
            let overwide = word.width() > room as f64;
            let link = is_link(word.word);
            let broken: Vec<Piece> = if overwide && !link {
                word.break_apart(room)
                    .map(|word| Piece {
                        word,
                        overwide_link: false,
                    })
                    .collect()
            } else {
                vec![Piece {
                    word,
                    overwide_link: overwide,
                }]
            };
            broken
        })
        .collect();
    textwrap::wrap_algorithms::wrap_first_fit(&pieces, &[room as f64])
        .into_iter()
        .map(|row| {
            let mut s = indent.to_string();
            for (i, p) in row.iter().enumerate() {
                s.push_str(p.word.word);
                if i + 1 < row.len() {
                    s.push_str(p.word.whitespace);
                }
            }
            s
        })
        .collect()
}

fn decode_form_urlencoded(s: &str) -> String {
    let plus_as_space = s.replace('+', " ");
    percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
}

fn escape_text_as_html(s: &str) -> String {
    let escaped = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<pre>{escaped}</pre>")
}

/// Encodes HTML the way the service does (used by the emulator, and by tests as the
/// inverse of [`decode_html`]).
pub fn encode_html(html: &str) -> String {
    let data = format!("data:text/html,{html}");
    url::form_urlencoded::byte_serialize(data.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(content: &str) -> ItemBody {
        ItemBody {
            content: Some(content.into()),
            content_type: Some(BodyType::Html),
        }
    }

    #[test]
    fn round_trips_and_strips_prefix() {
        let html = "<div><a href=\"https://x\">Join</a> 100% + more</div>";
        assert_eq!(decode_html(&body(&encode_html(html))).unwrap(), html);
    }

    #[test]
    fn lenient_about_trailing_junk_and_missing_prefix() {
        assert_eq!(
            decode_html(&body("data%3Atext%2Fhtml%2C%3Cb%3Ehi%3C%2Fb%3E%22%2C%0A")).unwrap(),
            "<b>hi</b>"
        );
        assert_eq!(
            decode_html(&body("%3Cb%3Ehi%3C%2Fb%3E")).unwrap(),
            "<b>hi</b>"
        );
        assert_eq!(decode_html(&body("   ")), None);
        assert_eq!(decode_html(&ItemBody::default()), None);
        // Broken escapes do not panic.
        assert!(decode_html(&body("%E4%BC%9")).is_some());
    }

    #[test]
    fn text_is_readable_and_sanitized() {
        let html = "<div>Join <a href=\"https://t/1\">here</a>\u{1b}]0;x\u{7}</div><div></div><div></div><div>ID: 123</div>";
        let text = to_text(&body(&encode_html(html)), 80).unwrap();
        // Link targets matter in a pasted invitation: they are kept as footnotes.
        assert!(text.contains("Join [here][1]"), "{text}");
        assert!(text.contains("[1]: https://t/1"), "{text}");
        assert!(text.contains("ID: 123"));
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn links_stay_whole_and_prose_wraps() {
        let long = format!("https://teams.example/l/meetup-join/{}", "x".repeat(120));
        let html = format!(
            "<div>{prose} <a href=\"{long}\">Join</a></div><div>See {long} now</div>\
             <div><a href=\"tel:+1555,,123#\">call</a></div>",
            prose = "word ".repeat(30)
        );
        let text = html_to_text(&html, 40).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // The footnote's link follows its label on one line, whole.
        assert!(lines.contains(&format!("[1]: {long}").as_str()), "{text}");
        assert!(lines.contains(&"[2]: tel:+1555,,123#"), "{text}");
        // A link in the prose too, on the row where it starts, which it ends.
        assert!(lines.contains(&format!("See {long}").as_str()), "{text}");
        assert!(lines.contains(&"now"), "{text}");
        // Prose is wrapped at the width; only rows holding a link are wider.
        for l in &lines {
            assert!(
                l.chars().count() <= 40 || l.contains(&long),
                "{l:?} in\n{text}"
            );
        }
    }

    #[test]
    fn wide_words_without_links_are_broken_and_indentation_is_kept() {
        let cjk = "会議".repeat(30); // 120 columns, no space to wrap at
        let rows = wrap_keeping_links(&format!("  {cjk} end"), 40);
        assert!(rows.len() >= 3, "{rows:?}");
        for r in &rows {
            assert!(r.starts_with("  "), "{rows:?}");
            assert!(
                unicode_width::UnicodeWidthStr::width(r.as_str()) <= 40,
                "{rows:?}"
            );
        }
        // Nothing lost or reordered.
        assert_eq!(rows.concat().replace(' ', ""), format!("{cjk}end"));
    }

    #[test]
    fn what_counts_as_a_link() {
        for yes in [
            "https://x/y",
            "(http://x)",
            "tel:+1555",
            "SIP:a@b",
            "mailto:a@b",
            "x://y",
        ] {
            assert!(is_link(yes), "{yes}");
        }
        for no in [
            "ID:",
            "10:30",
            "tel",
            "Meeting",
            "[1]:",
            "a@b.example",
            "会議:",
        ] {
            assert!(!is_link(no), "{no}");
        }
    }

    #[test]
    fn html_for_the_clipboard_keeps_formatting_and_links_but_nothing_active() {
        let html = "<div style=\"color:#242424\" class=\"me-email-text\" lang=\"en\">\
            <a href=\"https://t/1?a=1&amp;b=2\" target=\"_blank\" onclick=\"evil()\">Join</a>\
            <a href=\"tel:+1555,,1&#35;\">call</a><a href=\"javascript:evil()\">x</a>\
            <script>evil()</script><img src=x onerror=evil()>\
            <span>A&#27;]0;title&#7;B\u{1b}[2J\u{9b}C</span></div>";
        let safe = safe_html(html);
        for kept in [
            "style=\"color:#242424\"",
            "class=\"me-email-text\"",
            "href=\"https://t/1?a=1&amp;b=2\"",
            "target=\"_blank\"",
            "href=\"tel:+1555,,1#\"",
            ">Join</a>",
        ] {
            assert!(safe.contains(kept), "{kept} in {safe}");
        }
        for gone in ["onclick", "javascript", "<script", "onerror", "evil"] {
            assert!(!safe.contains(gone), "{gone} in {safe}");
        }
        assert!(safe.contains("A]0;titleB[2JC"), "{safe}");
        assert!(
            !safe.chars().any(|c| c.is_control() && c != '\n'),
            "{safe:?}"
        );
    }
}
