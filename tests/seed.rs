//! The samples from the Graph documentation (shared/seed-create-onlinemeeting.ru.txt) are
//! the ground truth for parsing: every one must parse, with the fields the docs show.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use tmeet::graph::model::{BodyType, ItemBody, OnlineMeeting, OnlineMeetingRole};
use tmeet::meeting::invitation;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/seed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_seed_response_parses() {
    for (name, passcode) in [
        ("response-1.json", None),
        ("response-2.json", Some("123abc")),
        ("response-3.json", None),
    ] {
        let m: OnlineMeeting =
            serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(m.id.as_deref().is_some_and(|id| !id.is_empty()), "{name}");
        assert!(
            m.join_web_url
                .as_deref()
                .unwrap()
                .starts_with("https://teams.microsoft.com/l/meetup-join/")
        );
        assert_eq!(m.join_meeting_id(), Some("1234567890"), "{name}");
        assert_eq!(m.passcode(), passcode, "{name}");
        assert!(
            m.audio_conferencing
                .as_ref()
                .unwrap()
                .conference_id
                .is_some(),
            "{name}: ConferenceId alias"
        );
        assert_eq!(
            m.start_date_time.unwrap().to_rfc3339(),
            "2019-07-11T02:17:17.649136400+00:00"
        );
        assert!(m.chat_info.as_ref().unwrap().thread_id.is_some());
        assert!(m.organizer_name().is_some());
    }
    let m: OnlineMeeting = serde_json::from_str(&fixture("response-2.json")).unwrap();
    let organizer = m.participants.unwrap().organizer.unwrap();
    assert_eq!(organizer.role, Some(OnlineMeetingRole::Presenter));
}

#[test]
fn every_seed_request_is_accepted_by_our_model() {
    for name in [
        "request-1.json",
        "request-2.json",
        "request-3a.json",
        "request-3b.json",
    ] {
        let m: OnlineMeeting =
            serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            m.subject.is_some() && m.start_date_time.is_some() && m.end_date_time.is_some(),
            "{name}"
        );
    }
}

#[test]
fn japanese_join_information_decodes_to_readable_text() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Wrapper {
        join_information: ItemBody,
    }
    let w: Wrapper = serde_json::from_str(&fixture("join-information-ja.json")).unwrap();
    assert_eq!(w.join_information.content_type, Some(BodyType::Html));
    let html = invitation::decode_html(&w.join_information).unwrap();
    assert!(html.starts_with("<div"), "prefix stripped: {}", &html[..40]);
    assert!(
        html.ends_with("</div>"),
        "stray `\",` trimmed: {}",
        &html[html.len() - 40..]
    );
    let text = invitation::to_text(&w.join_information, 80).unwrap();
    assert!(text.contains("Microsoft Teams 会議に参加"), "{text}");
    assert!(text.contains("+16477490000"), "{text}");
    assert!(text.contains("111 000 00#"), "{text}");
    assert!(
        text.contains("https://teams.microsoft.com/l/meetup-join/"),
        "{text}"
    );
}
