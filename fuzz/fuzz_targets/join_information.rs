//! The `joinInformation` decoder (`meeting::invitation`): form-URL-decoding, the `data:`
//! prefix, HTML to text. Input: 1 byte picks the content type and the wrap width, the rest
//! is the `content` string as the service would send it.
//!
//! Checked beyond "does not panic": the text for the terminal carries no control or bidi
//! character but `\n`, has no blank first or last line and never two blank lines in a row;
//! HTML encoded the way the service does decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmeet::graph::model::{BodyType, ItemBody};
use tmeet::meeting::invitation;

#[path = "common.rs"]
mod common;
use common::assert_multiline_safe;

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let Ok(content) = std::str::from_utf8(rest) else {
        return;
    };
    let content_type = match head % 4 {
        0 => Some(BodyType::Html),
        1 => Some(BodyType::Text),
        2 => Some(BodyType::UnknownFutureValue),
        _ => None,
    };
    // 10..=137 columns: below the decoder's floor of 20 as well as ordinary widths.
    let width = usize::from(head / 4) + 10;
    let body = ItemBody {
        content: Some(content.to_string()),
        content_type,
    };

    let html = invitation::decode_html(&body);
    if let Some(text) = invitation::to_text(&body, width) {
        assert!(html.is_some(), "text without html");
        assert_multiline_safe("invitation text", &text);
        assert!(!text.is_empty(), "Some(empty) invitation text");
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(
            !lines[0].trim().is_empty() && !lines[lines.len() - 1].trim().is_empty(),
            "blank first or last line: {text:?}"
        );
        assert!(
            !lines
                .windows(2)
                .any(|w| w[0].trim().is_empty() && w[1].trim().is_empty()),
            "two blank lines in a row: {text:?}"
        );
    }

    // The emulator encodes with encode_html; the client must get the same HTML back.
    // Trailing `,`/`"` and outer whitespace are trimmed on purpose (the service's sample
    // ends with a stray `",`), so only HTML without them can round-trip.
    if !content.is_empty()
        && content.trim() == content
        && !content.ends_with([',', '"'])
        && content_type != Some(BodyType::Text)
    {
        let encoded = ItemBody {
            content: Some(invitation::encode_html(content)),
            content_type,
        };
        assert_eq!(
            invitation::decode_html(&encoded).as_deref(),
            Some(content),
            "encode_html then decode_html changed the HTML"
        );
    }
});
