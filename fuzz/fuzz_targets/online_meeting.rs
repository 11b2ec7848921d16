//! The onlineMeeting model as the client reads a 2xx body (`OnlineMeeting::from_graph`:
//! strict about the id and the join link, lenient about the rest), and what the result
//! screen takes from it.
//!
//! Checked beyond "does not panic": a body is refused exactly when its id or join link is
//! not non-empty text, and what is read keeps them as sent; a parsed meeting serializes and
//! parses back to itself; its invitation decodes to terminal-safe text.
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
    let essential = |name: &str| {
        raw.as_object()
            .and_then(|m| tmeet::graph::lenient::property(m, name))
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    };
    let (id, join) = (essential("id"), essential("joinWebUrl"));
    let meeting = match OnlineMeeting::from_graph(&raw) {
        Ok((meeting, _notes)) => meeting,
        Err(why) => {
            assert!(
                id.is_none() || join.is_none(),
                "refused a body with an id and a join link: {why}"
            );
            return;
        }
    };
    assert_eq!(meeting.id, id, "the id is kept as sent");
    assert_eq!(meeting.join_web_url, join, "the join link is kept as sent");
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
