//! The `hostile` faults: answers whose text carries terminal control sequences, as a
//! compromised tenant or a malicious meeting organizer could send them. tmeet refuses to
//! send such text itself, so only the server side can exercise the client's sanitizing.

use super::answers::{Reply, RequestIds};
use super::join_information;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Every kind of sequence a terminal would act on: an OSC title change, a clear screen,
/// BELs, an OSC 52 clipboard write, an 8-bit CSI (U+009B) and a right-to-left override.
/// The visible words between them let a test see that the text itself did arrive.
pub const HOSTILE_TEXT: &str = "\u{1b}]0;PWNED-TITLE\u{7}\u{1b}[2J\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{9b}31mCSI-RED\u{202e}DESREVER\u{202c}\u{7}";

/// The same sequences as HTML character references, which an HTML-to-text step turns
/// back into raw control characters.
const HOSTILE_HTML_ENTITIES: &str =
    "&#x1b;]0;PWNED-ENTITY&#x7;&#27;[2J&#x9b;31mCSI-ENTITY&#x202e;DESREVER-ENTITY&#7;";

/// A successful meeting answer with hostile text in the subject (after the real one),
/// the organizer's display name and the invitation; any other answer is left alone.
pub(crate) fn infect(reply: &mut Reply) {
    if !reply.status.is_success() {
        return;
    }
    // Only a meeting (create, createOrGet, GET, PATCH), not a collection or an empty answer.
    let Some(body) = reply
        .body
        .as_mut()
        .filter(|b| b.get("joinWebUrl").is_some())
    else {
        return;
    };
    let subject = body["subject"].as_str().unwrap_or_default().to_string();
    body["subject"] = json!(format!("{subject}{HOSTILE_TEXT}"));
    if let Some(user) = body
        .pointer_mut("/participants/organizer/identity/user")
        .filter(|u| u.is_object())
    {
        user["displayName"] = json!(format!("Mallory{HOSTILE_TEXT}"));
    }
    let html = body
        .pointer("/joinInformation/content")
        .and_then(Value::as_str)
        .and_then(join_information::decode)
        .unwrap_or_default();
    let html = format!(
        "<div>Hostile: {HOSTILE_TEXT}</div><div>Entities: {HOSTILE_HTML_ENTITIES}</div>{html}"
    );
    body["joinInformation"] = join_information::body(&html);
}

/// A join link with an OSC 8 link of its own inside (ESC ] 8 … BEL) and an 8-bit ST
/// (U+009C), which once its control characters are stripped is a well-formed https URL:
/// only a check of the text as sent can refuse it.
pub const HOSTILE_JOIN_URL: &str = "https://teams.microsoft.com/l/meetup-join/\u{1b}]8;;https://evil.example/\u{7}19%3ameeting_hostile\u{9c}%40thread.v2/0";

/// What the invitation's `https://` links become, in turn: another scheme, plain http, a
/// user name and password, an 8-bit ST, a BEL.
const HOSTILE_HREFS: [&str; 5] = [
    "javascript:alert(1)//https://",
    "http://",
    "https://mallory:secret@",
    "https://\u{9c}",
    "https://\u{7}",
];

/// A successful meeting answer whose links must not become clickable: the join link is
/// [`HOSTILE_JOIN_URL`], the dial-in page is plain http, and every `https://` link of the
/// invitation is made one of [`HOSTILE_HREFS`]. Any other answer is left alone.
pub(crate) fn infect_links(reply: &mut Reply) {
    if !reply.status.is_success() {
        return;
    }
    let Some(body) = reply
        .body
        .as_mut()
        .filter(|b| b.get("joinWebUrl").is_some())
    else {
        return;
    };
    body["joinWebUrl"] = json!(HOSTILE_JOIN_URL);
    if let Some(audio) = body.get_mut("audioConferencing").filter(|a| a.is_object()) {
        audio["dialinUrl"] = json!("http://dialin.teams.microsoft.com/hostile");
    }
    let Some(html) = body
        .pointer("/joinInformation/content")
        .and_then(Value::as_str)
        .and_then(join_information::decode)
    else {
        return;
    };
    let mut out = String::new();
    for (i, part) in html.split("href=\"https://").enumerate() {
        if i > 0 {
            out.push_str("href=\"");
            out.push_str(HOSTILE_HREFS[(i - 1) % HOSTILE_HREFS.len()]);
        }
        out.push_str(part);
    }
    body["joinInformation"] = join_information::body(&out);
}

/// A Graph error whose code and message carry the hostile text.
pub(crate) fn error(ctx: &RequestIds) -> Reply {
    ctx.error(
        StatusCode::BAD_REQUEST,
        &format!("BadRequest{HOSTILE_TEXT}"),
        format!("The organizer's policy refused the meeting{HOSTILE_TEXT} (hostile-error fault)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infects_subject_organizer_and_invitation_of_a_meeting() {
        let mut reply = Reply {
            status: StatusCode::CREATED,
            body: Some(json!({
                "subject": "Sync",
                "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/x",
                "participants": {"organizer": {"identity": {"user": {"displayName": "Adele"}}}},
                "joinInformation": join_information::body("<p>Join</p>"),
            })),
            headers: Vec::new(),
        };
        infect(&mut reply);
        let m = reply.body.unwrap();
        assert_eq!(m["subject"], format!("Sync{HOSTILE_TEXT}"));
        let name = &m["participants"]["organizer"]["identity"]["user"]["displayName"];
        assert!(name.as_str().unwrap().contains("\u{1b}]0;"));
        assert_eq!(m["joinInformation"]["contentType"], "html");
        let content = m["joinInformation"]["content"].as_str().unwrap();
        let html = join_information::decode(content).unwrap();
        assert!(
            html.contains(HOSTILE_TEXT) && html.contains("&#x1b;") && html.contains("<p>Join</p>")
        );
    }

    #[test]
    fn hostile_links_leave_no_clean_https_link() {
        let mut reply = Reply {
            status: StatusCode::CREATED,
            body: Some(json!({
                "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/x",
                "audioConferencing": {"dialinUrl": "https://dialin.teams.microsoft.com/x"},
                "joinInformation": join_information::body(
                    "<a href=\"https://a.example/\">a</a><a href=\"https://b.example/\">b</a>"
                ),
            })),
            headers: Vec::new(),
        };
        infect_links(&mut reply);
        let m = reply.body.unwrap();
        assert_eq!(m["joinWebUrl"], HOSTILE_JOIN_URL);
        assert!(
            m["audioConferencing"]["dialinUrl"]
                .as_str()
                .unwrap()
                .starts_with("http:")
        );
        let content = m["joinInformation"]["content"].as_str().unwrap();
        let html = join_information::decode(content).unwrap();
        assert!(!html.contains("href=\"https://a."), "{html}");
        assert!(
            html.contains("href=\"javascript:alert(1)//https://a.example/\""),
            "{html}"
        );
        assert!(html.contains("href=\"http://b.example/\""), "{html}");
    }

    #[test]
    fn errors_and_collections_pass_through_untouched() {
        for (status, body) in [
            (StatusCode::NOT_FOUND, json!({"error": {"message": "x"}})),
            (StatusCode::OK, json!({"value": []})),
        ] {
            let mut reply = Reply {
                status,
                body: Some(body.clone()),
                headers: Vec::new(),
            };
            infect(&mut reply);
            assert_eq!(reply.body.unwrap(), body);
        }
    }
}
