//! `sanitize::{line, multiline, json_text}`: whatever the input, the output carries no
//! character a terminal would act on, sanitizing twice changes nothing, nothing but the
//! unsafe characters is removed, and the escaped JSON is still the same JSON value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmeet::sanitize;

#[path = "common.rs"]
mod common;
use common::{assert_line_safe, assert_multiline_safe, is_unsafe};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };

    let line = sanitize::line(s);
    assert_line_safe("line()", &line);
    assert_eq!(sanitize::line(&line), line, "line() is not idempotent");
    // Tabs and line breaks become spaces; unsafe characters go; everything else stays.
    let expected: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect();
    assert_eq!(line, expected);

    let multi = sanitize::multiline(s);
    assert_multiline_safe("multiline()", &multi);
    assert_eq!(
        sanitize::multiline(&multi),
        multi,
        "multiline() is not idempotent"
    );
    assert_eq!(
        multi.matches('\n').count(),
        s.matches('\n').count(),
        "multiline() must keep every line break"
    );

    // `create --json` prints the service's bytes through json_text: safe text, and where
    // the bytes are JSON, the same value.
    let text = sanitize::json_text(s);
    assert_multiline_safe("json_text()", &text);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(s) {
        let back: serde_json::Value =
            serde_json::from_str(&text).expect("json_text keeps JSON valid");
        assert_eq!(back, value, "json_text changed the value");
    }
});
