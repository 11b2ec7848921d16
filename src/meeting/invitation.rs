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

/// The invitation as plain text, wrapped at `width` columns, safe for a terminal.
pub fn to_text(body: &ItemBody, width: usize) -> Option<String> {
    let html = decode_html(body)?;
    let text = html2text::config::plain()
        .string_from_read(html.as_bytes(), width.clamp(20, 400))
        .unwrap_or_else(|_| html.clone());
    let text = sanitize::multiline(&text);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    // Collapse runs of blank lines the template's layout divs leave behind.
    let mut out = String::new();
    let mut blank = 0;
    for line in lines {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let out = out.trim_matches('\n').to_string();
    (!out.is_empty()).then_some(out)
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
}
