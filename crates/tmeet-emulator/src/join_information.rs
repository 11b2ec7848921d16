//! `joinInformation` on the wire (GRAPH.md §2): an itemBody whose `content` is the HTML
//! invitation behind a `data:text/html,` prefix, form-URL-encoded (`+` for a space, `%XX`
//! for every other byte outside `A-Z a-z 0-9 * - . _`).
//!
//! The emulator owns this encoding instead of borrowing tmeet's decoder: if both sides
//! shared one function, a misreading of the format would pass on both of them.

use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

const PREFIX: &str = "data:text/html,";

/// The `joinInformation` object for an HTML invitation, as the service answers it.
pub(crate) fn body(html: &str) -> Value {
    json!({"content": encode(html), "contentType": "html"})
}

/// `data:text/html,<html>`, form-URL-encoded.
pub(crate) fn encode(html: &str) -> String {
    url::form_urlencoded::byte_serialize(format!("{PREFIX}{html}").as_bytes()).collect()
}

/// The HTML inside a `content` this module encoded; None when it is not one.
pub(crate) fn decode(content: &str) -> Option<String> {
    let spaced = content.replace('+', " ");
    let decoded = percent_decode_str(&spaced).decode_utf8().ok()?;
    decoded.strip_prefix(PREFIX).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_the_documentation_describes() {
        // Spelled out by hand from GRAPH.md §2, not produced by any encoder under test.
        assert_eq!(
            encode("<a href=\"https://t/1?a=1&b=2\">Join now</a> 100%"),
            "data%3Atext%2Fhtml%2C%3Ca+href%3D%22https%3A%2F%2Ft%2F1%3Fa%3D1%26b%3D2%22%3EJoin+now%3C%2Fa%3E+100%25"
        );
        // Non-ASCII goes out as its UTF-8 bytes; the unreserved four stay as they are.
        assert_eq!(encode("会*-._"), "data%3Atext%2Fhtml%2C%E4%BC%9A*-._");
        assert_eq!(
            body("<p>x</p>"),
            json!({"content": "data%3Atext%2Fhtml%2C%3Cp%3Ex%3C%2Fp%3E", "contentType": "html"})
        );
    }

    #[test]
    fn decodes_what_it_encodes_and_nothing_else() {
        let html = "<div>a + b = 100% \u{1b}]0;x\u{7} 会議</div>";
        assert_eq!(decode(&encode(html)).as_deref(), Some(html));
        assert_eq!(decode("%3Cp%3Eno+prefix%3C%2Fp%3E"), None);
        assert_eq!(decode("data%3Atext%2Fhtml%2C%FF"), None);
    }
}
