//! `sanitize::{line, multiline, json_pretty}`: whatever the input, the output carries no
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

    // `create --json` prints server JSON through json_pretty: same value, safe text.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(s) {
        let pretty = sanitize::json_pretty(&value);
        assert_multiline_safe("json_pretty()", &pretty);
        let back: serde_json::Value =
            serde_json::from_str(&pretty).expect("json_pretty writes valid JSON");
        // Compared with serde_json's own output read back the same way, not with `value`:
        // without serde_json's `float_roundtrip` feature a float may read back one ulp off
        // either way, and that is serde_json's business, not the escaping's.
        let plain: serde_json::Value =
            serde_json::from_str(&serde_json::to_string_pretty(&value).unwrap()).unwrap();
        assert_eq!(back, plain, "json_pretty changed the value");
    }
});
