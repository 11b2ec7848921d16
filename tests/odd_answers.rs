//! A 2xx answer with an id and a join link is always shown (issue 8). Every body in
//! tests/fixtures/odd/ is odd in one way the service (or its documentation samples) can be:
//! each goes through the real Graph client and through `tmeet create`, human and `--json`,
//! against a loopback server that answers it with 201. Answers without a usable id or join
//! link are still errors, and say that the meeting may exist.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::text;

use chrono::{Duration as Minutes, TimeZone};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use tmeet::graph::client::{Created, GraphClient, Target};
use tmeet::graph::model::{
    AllowedPresenters, AudioConferencing, BodyType, LobbyBypassScope, MeetingChatMode, MeetingType,
    OnlineMeeting, OnlineMeetingRole, ShareChatHistory,
};
use tmeet::graph::token::StaticToken;
use tmeet::graph::{ErrorKind, GraphError};
use tmeet::meeting::MeetingRequest;
use tmeet::secret::Secret;
use tmeet_emulator::{DEMO_USER_ID, Emulator, EmulatorOptions};

/// The documented `id` and `joinWebUrl` of every fixture.
const ID: &str = "MSo1ZTcyZDI1MS00M2VjLTg2OGMtMzczMjcwNGYqMCoqMTk6bWVldGluZ19PZGQ";
const URL: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_T2RkQW5zd2Vycw%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%225e72d251-43ec-868c-3732704f%22%7d";
const REQUEST_ID: &str = "0f0e0d0c-odd-answer-request-id";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/odd/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A Graph root on loopback that answers every request with `body` and 201, as a create
/// would: its own request-id, the client's client-request-id echoed.
async fn graph_answering(body: String) -> url::Url {
    use axum::http::{HeaderMap, StatusCode};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let body = body.clone();
        async move {
            let echo = headers
                .get("client-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (
                StatusCode::CREATED,
                [
                    (
                        "content-type",
                        "application/json; charset=utf-8".to_string(),
                    ),
                    ("request-id", REQUEST_ID.to_string()),
                    ("client-request-id", echo),
                ],
                body,
            )
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1.0").parse().unwrap()
}

fn request() -> MeetingRequest {
    let start = chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 12, 1, 14, 0, 0)
        .unwrap();
    MeetingRequest::new(
        "Odd answers review",
        &start,
        &(start + Minutes::minutes(30)),
        true,
        None,
    )
    .unwrap()
}

async fn client_create(body: String) -> Result<Created, GraphError> {
    let client = GraphClient::new(
        tmeet::http::build_client(),
        graph_answering(body).await,
        Arc::new(StaticToken::new(
            Secret::new("odd-answers-access-token"),
            false,
        )),
    );
    client
        .create_meeting(&Target::Me, &request(), &|_| {})
        .await
}

/// `tmeet create ARGS` signed in app-only at an emulator, with Graph answering `body`.
async fn tmeet_create(home: &Path, body: String, args: &[&str], env: &[(&str, &str)]) -> Output {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let graph = graph_answering(body).await;
    let mut cmd = common::command(
        home,
        &[&["create", "--subject", "Odd answers review"], args].concat(),
    );
    cmd.envs([
        ("TMEET_CLIENT_SECRET", "odd-answers-client-secret"),
        ("TMEET_TENANT", "contoso.onmicrosoft.com"),
        ("TMEET_USER", DEMO_USER_ID),
        ("TMEET_CLIENT_ID", "11111111-2222-3333-4444-555555555555"),
    ])
    .env("TMEET_GRAPH_URL", graph.as_str())
    .env("TMEET_LOGIN_URL", emu.login_url().as_str())
    .envs(env.iter().copied());
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    drop(emu);
    out
}

/// The fixture's meeting through the client, after checking that the client and both
/// forms of `tmeet create` show it.
async fn shown(name: &str) -> OnlineMeeting {
    let body = fixture(name);
    let created = client_create(body.clone())
        .await
        .unwrap_or_else(|e| panic!("{name}: the client refused it: {e}"));
    let m = created.meeting;
    assert_eq!(m.id.as_deref(), Some(ID), "{name}");
    assert_eq!(m.join_web_url.as_deref(), Some(URL), "{name}");
    assert_eq!(created.request_id.as_deref(), Some(REQUEST_ID), "{name}");

    let home = tempfile::tempdir().unwrap();
    let out = tmeet_create(home.path(), body.clone(), &[], &[]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{name}: {out:?}");
    assert!(stdout.contains(URL), "{name}: no join link in\n{stdout}");

    let out = tmeet_create(home.path(), body.clone(), &["--json"], &[]).await;
    assert!(out.status.success(), "{name}: {out:?}");
    assert_eq!(
        text(&out.stdout),
        format!("{}\n", body.trim_end()),
        "{name}: --json is not the object as sent"
    );
    m
}

fn audio(m: &OnlineMeeting) -> &AudioConferencing {
    m.audio_conferencing.as_ref().expect("audioConferencing")
}

macro_rules! odd {
    ($($(#[$doc:meta])* $test:ident: $file:literal => |$m:ident| $check:block)*) => {
        /// Every fixture that has a test of its own.
        const COVERED: &[&str] = &[$($file),*];
        $(
            $(#[$doc])*
            #[tokio::test]
            async fn $test() {
                #[allow(unused_variables)]
                let $m = shown($file).await;
                $check
            }
        )*
    };
}

odd! {
    /// The service's samples write `ConferenceId`; some answers carry both spellings.
    conference_id_in_both_spellings_reads_the_documented_one: "conference-id-both-spellings" => |m| {
        assert_eq!(audio(&m).conference_id.as_deref(), Some("2999"));
    }
    conference_id_in_pascal_case_only_is_read: "conference-id-pascal-case-only" => |m| {
        assert_eq!(audio(&m).conference_id.as_deref(), Some("2999"));
    }
    null_audio_conferencing_is_absent: "audio-conferencing-null" => |m| {
        assert!(m.audio_conferencing.is_none());
        assert_eq!(m.join_meeting_id(), Some("1234567890123"));
    }
    null_join_meeting_id_settings_is_absent: "join-meeting-id-settings-null" => |m| {
        assert_eq!((m.join_meeting_id(), m.passcode()), (None, None));
    }
    null_participants_is_absent: "participants-null" => |m| {
        assert!(m.participants.is_none() && m.organizer_name().is_none());
    }
    null_chat_info_is_absent: "chat-info-null" => |m| {
        assert!(m.chat_info.is_none());
    }
    null_join_information_is_absent: "join-information-null" => |m| {
        assert!(m.join_information.is_none());
    }
    /// `Html` as in the samples; every other fixture has the schema's `html`.
    join_information_content_type_capitalized_is_html: "join-information-content-type-capitalized" => |m| {
        let info = m.join_information.unwrap();
        assert_eq!(info.content_type, Some(BodyType::Html));
        let text = tmeet::meeting::invitation::to_text(&info, 80).unwrap();
        assert!(text.contains("Join the meeting now"), "{text}");
    }
    join_information_content_type_unknown_is_kept: "join-information-content-type-unknown" => |m| {
        let info = m.join_information.unwrap();
        assert_eq!(info.content_type, Some(BodyType::UnknownFutureValue));
        assert!(info.content.is_some());
    }
    join_information_not_form_encoded_is_kept: "join-information-not-form-encoded" => |m| {
        assert!(m.join_information.unwrap().content.unwrap().starts_with("data:text/html,<div"));
    }
    /// The documentation's sample ends its content with a stray `",` and a newline.
    join_information_with_the_stray_tail_still_decodes: "join-information-stray-tail" => |m| {
        let text = tmeet::meeting::invitation::to_text(&m.join_information.unwrap(), 80).unwrap();
        assert!(text.contains("Join the meeting now"), "{text}");
    }
    unknown_enum_values_become_unknown_future_value: "enum-values-unknown" => |m| {
        assert_eq!(m.allowed_presenters, Some(AllowedPresenters::UnknownFutureValue));
        assert_eq!(m.meeting_type, Some(MeetingType::UnknownFutureValue));
        assert_eq!(m.allow_meeting_chat, Some(MeetingChatMode::UnknownFutureValue));
        assert_eq!(m.share_meeting_chat_history_default, Some(ShareChatHistory::UnknownFutureValue));
        let scope = m.lobby_bypass_settings.as_ref().unwrap().scope;
        assert_eq!(scope, Some(LobbyBypassScope::Invited), "sent after the sentinel when asked");
        let organizer = m.participants.unwrap().organizer.unwrap();
        assert_eq!(organizer.role, Some(OnlineMeetingRole::UnknownFutureValue));
    }
    /// joinMeetingId, tollNumber, conferenceId and messageId sent as JSON numbers.
    numbers_sent_for_text_are_read_as_their_digits: "numbers-sent-for-text" => |m| {
        assert_eq!(m.join_meeting_id(), Some("1234567890123"));
        assert_eq!(audio(&m).toll_number.as_deref(), Some("12525780000"));
        assert_eq!(audio(&m).conference_id.as_deref(), Some("2999"));
        assert_eq!(m.chat_info.unwrap().message_id.as_deref(), Some("0"));
    }
    booleans_sent_as_text_are_read: "booleans-sent-as-text" => |m| {
        assert_eq!(m.join_meeting_id_settings.as_ref().unwrap().is_passcode_required, Some(true));
        assert_eq!(m.allow_recording, Some(false));
        assert_eq!(m.is_entry_exit_announced, Some(true));
        assert_eq!(m.lobby_bypass_settings.unwrap().is_dial_in_bypass_enabled, Some(false));
    }
    unknown_properties_and_nested_objects_are_ignored: "unknown-properties-and-objects" => |m| {
        assert_eq!(m.organizer_name(), Some("Adele Vance"));
        assert_eq!(audio(&m).conference_id.as_deref(), Some("2999"));
    }
    /// Both `joinWebUrl` and `JoinWebUrl`: the documented camelCase spelling wins.
    join_web_url_in_both_spellings_takes_the_documented_one: "join-web-url-both-spellings" => |m| {}
    /// Every property spelled PascalCase: matched case-insensitively.
    pascal_case_property_names_are_read: "pascal-case-property-names" => |m| {
        assert_eq!(m.subject.as_deref(), Some("Odd answers review"));
        assert_eq!(m.passcode(), Some("x7Kq2P"));
        assert_eq!(m.organizer_name(), Some("Adele Vance"));
    }
    odata_annotations_are_not_properties: "odata-annotations-extra" => |m| {
        assert_eq!(m.subject.as_deref(), Some("Odd answers review"));
        assert_eq!(m.join_meeting_id(), Some("1234567890123"));
    }
    /// Seven fractional digits (every fixture) and no zone at all: UTC, as the service stores.
    times_without_a_zone_are_utc: "times-without-zone" => |m| {
        assert_eq!(m.start_date_time.unwrap().to_rfc3339(), "2026-12-01T13:00:00+00:00");
        assert_eq!(m.end_date_time.unwrap().to_rfc3339(), "2026-12-01T13:30:00+00:00");
        assert_eq!(m.creation_date_time.unwrap().timestamp_subsec_nanos(), 123_456_700);
    }
    times_with_offsets_are_converted_to_utc: "times-with-offsets" => |m| {
        assert_eq!(m.start_date_time.unwrap().to_rfc3339(), "2026-12-01T13:00:00.123456700+00:00");
        assert_eq!(m.end_date_time.unwrap().to_rfc3339(), "2026-12-01T13:30:00+00:00");
    }
    /// `"soon"` for creationDateTime: dropped, the rest stays.
    a_time_that_is_not_a_date_is_dropped: "time-not-a-date" => |m| {
        assert_eq!(m.creation_date_time, None);
        assert_eq!(m.expiry_date_time.unwrap().to_rfc3339(), "0001-01-01T00:00:00+00:00");
        assert!(m.start_date_time.is_some());
    }
    organizer_without_identity_has_no_name: "organizer-identity-missing" => |m| {
        assert_eq!(m.organizer_name(), None);
        let organizer = m.participants.unwrap().organizer.unwrap();
        assert_eq!(organizer.upn.as_deref(), Some("AdeleV@contoso.onmicrosoft.com"));
    }
    dial_in_number_lists_are_read: "dial-in-number-lists" => |m| {
        let a = audio(&m);
        assert_eq!(a.toll_numbers.as_deref().unwrap(), ["+12525780000", "+442075550100"]);
        assert_eq!(a.toll_free_numbers.as_deref().unwrap(), ["+18005550100"]);
        assert_eq!(a.toll_number, None);
    }
    /// Issue 10: `"conferenceId": "2999#"` and only a `tollNumbers` array. The TUI copied
    /// `Conference ID: 2999##` and `create` printed no phone number; both now read one card.
    conference_id_with_hash_and_only_a_toll_list_show_one_hash_and_the_number: "conference-id-with-hash-and-toll-list" => |m| {
        let dial_in = "Phone: +12525780000\nConference ID: 2999#\n\
                       Local numbers: https://dialin.teams.microsoft.com/5e72d251-43ec?id=2999";
        // The TUI as the worker does it: the card of the client's meeting, then `c`-style copy
        // through update().
        assert_eq!(tui_copy_of_dial_in(&m), dial_in);
        // `create` against the loopback service, as a person runs it.
        let home = tempfile::tempdir().unwrap();
        let out = tmeet_create(home.path(), fixture("conference-id-with-hash-and-toll-list"), &[], &[]).await;
        let stdout = text(&out.stdout);
        assert!(stdout.contains("Dial-in:    Phone: +12525780000\n"), "{stdout}");
        assert!(stdout.contains("            Conference ID: 2999#\n"), "{stdout}");
        assert!(!stdout.contains("2999##"), "{stdout}");
    }
    /// A null attendee and one sent as bare text are dropped; the other two stay.
    attendees_with_null_and_text_entries_keep_the_readable_ones: "attendees-with-null-and-text-entries" => |m| {
        let attendees = m.participants.unwrap().attendees.unwrap();
        let upns: Vec<_> = attendees.iter().map(|a| a.upn.as_deref().unwrap()).collect();
        assert_eq!(upns, ["LeeG@contoso.onmicrosoft.com", "MeganB@contoso.onmicrosoft.com"]);
        assert_eq!(attendees[1].role, Some(OnlineMeetingRole::Coorganizer));
    }
    /// `subject` written twice: the last one is the value, and `--json` keeps both.
    a_key_written_twice_keeps_the_last_value: "subject-key-twice" => |m| {
        assert_eq!(m.subject.as_deref(), Some("Odd answers review"));
    }
    keys_in_service_order: "keys-in-service-order" => |m| {}
}

#[test]
fn every_fixture_has_a_test() {
    let dir = format!("{}/tests/fixtures/odd", env!("CARGO_MANIFEST_DIR"));
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut covered: Vec<String> = COVERED.iter().map(|n| format!("{n}.json")).collect();
    covered.sort();
    assert_eq!(found, covered);
}

/// `--json` prints the keys in the service's order, not sorted (the README promises the
/// object "exactly as the service sent it"); `shown` checks every byte, this says why.
#[tokio::test]
async fn json_keeps_the_service_key_order_and_repeated_keys() {
    let home = tempfile::tempdir().unwrap();
    let out = tmeet_create(
        home.path(),
        fixture("keys-in-service-order"),
        &["--json"],
        &[],
    )
    .await;
    let stdout = text(&out.stdout);
    let at = |key: &str| {
        stdout
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("{key} missing:\n{stdout}"))
    };
    let order = [
        "subject",
        "joinWebUrl",
        "id",
        "@odata.context",
        "creationDateTime",
    ];
    let positions: Vec<usize> = order.iter().map(|k| at(k)).collect();
    assert!(
        positions.is_sorted(),
        "{order:?} at {positions:?}:\n{stdout}"
    );

    let out = tmeet_create(home.path(), fixture("subject-key-twice"), &["--json"], &[]).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("\"First spelling\"") && stdout.contains("\"Odd answers review\""),
        "{stdout}"
    );
}

/// Without an id or a join link there is nothing to share: an error, which says the meeting
/// may exist and names both request ids so it can be traced.
#[tokio::test]
async fn no_usable_id_or_join_link_is_an_error_that_says_the_meeting_may_exist() {
    let cases = [
        (
            r#"{"joinWebUrl":"https://teams.microsoft.com/l/x"}"#,
            "it has no id",
        ),
        (r#"{"id":"m1","subject":"x"}"#, "it has no joinWebUrl"),
        (r#"{"id":"m1","joinWebUrl":null}"#, "it has no joinWebUrl"),
        (
            r#"{"id":"m1","joinWebUrl":42}"#,
            "its joinWebUrl is a number, not text",
        ),
        (
            r#"{"id":{"v":"m1"},"joinWebUrl":"https://t/x"}"#,
            "its id is an object, not text",
        ),
        (
            r#"{"id":"m1","joinWebUrl":"  "}"#,
            "its joinWebUrl is empty",
        ),
        (
            r#"[{"id":"m1","joinWebUrl":"https://t/x"}]"#,
            "it is a list, not an onlineMeeting object",
        ),
        (r#"{"id":"m1","joinWebUrl":"https://t/x""#, "it is not JSON"),
    ];
    for (body, problem) in cases {
        let err = client_create(body.to_string()).await.unwrap_err();
        // A 201 that cannot be used may still stand for a meeting that exists.
        assert_eq!(err.kind, ErrorKind::OutcomeUnknown, "{body}");
        assert_eq!(err.status, Some(201), "{body}");
        assert!(err.message.contains(problem), "{body}: {err}");
        assert!(
            err.message.contains("the meeting may exist"),
            "{body}: {err}"
        );
        assert_eq!(err.request_id.as_deref(), Some(REQUEST_ID), "{body}");
        let line = err.to_string();
        assert!(
            err.client_request_id
                .as_ref()
                .is_some_and(|c| c.len() == 36)
                && line.contains("[client-request-id "),
            "{body}: {line}"
        );
    }

    let home = tempfile::tempdir().unwrap();
    let out = tmeet_create(home.path(), cases[1].0.to_string(), &[], &[]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "outcome unknown: {out:?}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("tmeet: the meeting may exist: HTTP 201: ")
            && stderr.contains("it has no joinWebUrl")
            && stderr.contains("the meeting may exist")
            && stderr.contains("client-request-id"),
        "{stderr}"
    );
}

/// What the lenient reading ignored reaches the log by its path, never by its value.
#[tokio::test]
async fn ignored_values_are_logged_by_path_never_by_value() {
    const SECRET: &str = "SECRET-PASSCODE-4711";
    let body = fixture("conference-id-both-spellings").replace(
        r#""passcode": "x7Kq2P""#,
        &format!(r#""passcode": {{"value": "{SECRET}"}}"#),
    );
    assert!(body.contains(SECRET));
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("tmeet.log");
    let out = tmeet_create(
        home.path(),
        body,
        &[],
        &[
            ("TMEET_LOG_FILE", log.to_str().unwrap()),
            ("TMEET_LOG", "debug"),
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(stdout.contains(URL), "{stdout}");
    let logged = std::fs::read_to_string(&log).unwrap();
    for line in [
        "joinMeetingIdSettings.passcode: ignored, expected text but found an object",
        "audioConferencing.ConferenceId: ignored, another spelling of conferenceId",
    ] {
        assert!(logged.contains(line), "{line}\n{logged}");
    }
    assert!(!logged.contains(SECRET), "{logged}");
    assert!(!text(&out.stderr).contains(SECRET) && !stdout.contains(SECRET));
}

/// What the TUI copies for "dial-in" once `m` has come back from the worker: the result
/// built as the worker builds it, then the copy intent through the pure `update`.
fn tui_copy_of_dial_in(m: &OnlineMeeting) -> String {
    use tmeet::meeting::Language;
    use tmeet::tui::app::{Action, Effect, Intent, Model, update};
    use tmeet::tui::view::{CopyItem, ResultView};
    use tui_input::InputRequest;
    let zone = chrono_tz::Europe::Berlin;
    let now = zone.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let mut model = Model::new(
        now,
        &Language::parse("en-US").unwrap(),
        tmeet::tui::app::Options::default(),
    );
    update(&mut model, Action::Ready);
    for c in "Odd answers review".chars() {
        update(&mut model, Action::Edit(InputRequest::InsertChar(c)));
    }
    let job = match update(&mut model, Action::Intent(Intent::Submit)).as_slice() {
        [Effect::Create { job, .. }] => *job,
        other => panic!("the form did not submit: {other:?}"),
    };
    let result = Box::new(ResultView::from_meeting(m, &zone, Some("en-US")));
    update(&mut model, Action::Created { job, result });
    match update(&mut model, Action::Intent(Intent::Copy(CopyItem::DialIn))).as_slice() {
        [Effect::Copy { text, .. }] => text.clone(),
        other => panic!("no copy: {other:?}"),
    }
}
