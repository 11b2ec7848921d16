//! The onlineMeeting model as the client reads a 2xx body today (`graph::client`'s
//! `parse_meeting`: the body as a `serde_json::Value`, kept for `--json`, then
//! `serde_json::from_value::<OnlineMeeting>`), and what the result screen takes from it.
//!
//! Checked beyond "does not panic": a parsed meeting serializes and parses back to itself
//! (tmeet writes meetings back in history and `--json`), and its invitation decodes to
//! terminal-safe text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmeet::graph::model::OnlineMeeting;
use tmeet::meeting::invitation;

#[path = "common.rs"]
mod common;
use common::assert_multiline_safe;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(meeting) = serde_json::from_value::<OnlineMeeting>(raw) else {
        return;
    };
    let _ = (
        meeting.passcode(),
        meeting.join_meeting_id(),
        meeting.organizer_name(),
    );
    if let Some(body) = &meeting.join_information {
        if let Some(text) = invitation::to_text(body, 80) {
            assert_multiline_safe("invitation text", &text);
        }
    }

    let written = serde_json::to_vec(&meeting).expect("a meeting serializes");
    let again: OnlineMeeting = serde_json::from_slice(&written)
        .unwrap_or_else(|e| panic!("written meeting does not parse back: {e}"));
    assert_eq!(again, meeting, "meeting changed through a write and read");
});
