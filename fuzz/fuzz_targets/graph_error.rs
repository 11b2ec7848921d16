//! The Graph error parser (`GraphError::from_response`): the body of any non-2xx answer,
//! which may be Graph's envelope, a proxy's HTML page, or cut short. Input: 1 byte picks
//! the status and whether the call was app-only, 1 byte whether a `request-id` header
//! came with it, the rest is the body.
//!
//! Checked beyond "does not panic": every field that came from the body, and the one-line
//! form `create` prints on stderr, carry no control or bidi character; the message is
//! never empty; the status is kept; a header request-id wins over the body's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmeet::graph::error::GraphError;

#[path = "common.rs"]
mod common;
use common::assert_line_safe;

const STATUSES: [u16; 12] = [400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504, 418];

fuzz_target!(|data: &[u8]| {
    let [a, b, body @ ..] = data else {
        return;
    };
    let status = STATUSES[usize::from(a % 12)];
    let header_rid = (b & 1 == 1).then(|| "header-rid".to_string());

    let mut e = GraphError::from_response(status, body, header_rid.clone(), None);
    e.app_only = a & 0x80 != 0;

    assert_eq!(e.status, Some(status));
    assert!(!e.message.is_empty(), "empty message");
    assert_line_safe("message", &e.message);
    for (what, field) in [
        ("code", &e.code),
        ("request-id", &e.request_id),
        ("client-request-id", &e.client_request_id),
        ("date", &e.date),
    ] {
        if let Some(s) = field {
            assert_line_safe(what, s);
        }
    }
    if header_rid.is_some() {
        assert_eq!(e.request_id, header_rid, "the header's request-id must win");
    }
    assert_line_safe("Display", &e.to_string());
    let _ = e.hint();
});
