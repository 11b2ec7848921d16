//! Property tests: the parsers that read what a person types or what a server sends must
//! never panic, whatever the input, and what they accept must make sense (reads back the
//! same, positive durations, text safe for a terminal).

use chrono::{Datelike, TimeZone};
use proptest::prelude::*;
use tmeet::graph::GraphError;
use tmeet::graph::model::{BodyType, ItemBody, OnlineMeeting};
use tmeet::meeting::{Language, invitation, time};
use tmeet::settings::ConfigFile;

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("startDateTime"),
            Just("2019-07-11T02:17:17.6491364Z"),
            Just("Html"),
            Just("unknownFutureValue")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("subject".to_string()),
            Just("startDateTime".to_string()),
            Just("joinMeetingIdSettings".to_string()),
            Just("audioConferencing".to_string()),
            Just("ConferenceId".to_string()),
            Just("participants".to_string()),
            Just("joinInformation".to_string()),
            Just("error".to_string()),
            Just("innerError".to_string()),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn meeting_parser_never_panics(v in arb_json()) {
        let text = v.to_string();
        // What it reads, it writes back and reads the same (nothing half-understood).
        if let Ok(m) = serde_json::from_str::<OnlineMeeting>(&text) {
            let again = serde_json::to_string(&m).unwrap();
            prop_assert_eq!(serde_json::from_str::<OnlineMeeting>(&again).unwrap(), m);
        }
        let e = GraphError::from_response(400, text.as_bytes(), None, None);
        prop_assert!(!e.to_string().chars().any(|c| c.is_control()), "{}", e);
    }

    #[test]
    fn raw_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<OnlineMeeting>(&bytes);
        let e = GraphError::from_response(500, &bytes, None, None);
        prop_assert!(!e.to_string().chars().any(|c| c.is_control()));
    }

    #[test]
    fn join_information_decoder_never_panics(content in ".{0,400}", html in any::<bool>(), width in 0usize..500) {
        let body = ItemBody {
            content: Some(content),
            content_type: Some(if html { BodyType::Html } else { BodyType::Text }),
        };
        if let Some(text) = invitation::to_text(&body, width) {
            prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
        }
    }

    #[test]
    fn encoded_invitations_round_trip(html in "[^\u{0}]{0,200}") {
        let body = ItemBody { content: Some(invitation::encode_html(&html)), content_type: Some(BodyType::Html) };
        let trimmed = html.trim().trim_end_matches(',').trim_end_matches('"').trim();
        // Decoded == original, less the trailing `",` junk the service is known to append.
        let decoded = invitation::decode_html(&body);
        prop_assert_eq!(decoded.as_deref(), Some(trimmed));
    }

    #[test]
    fn time_parser_never_panics(input in ".{0,40}", end in "[0-9a-z:+. -]{0,20}") {
        let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 3, 29, 1, 45, 0).unwrap();
        if let Ok(start) = time::parse_start(&input, &now)
            && let Ok(e) = time::parse_end(&end, &start, &now)
        {
            prop_assert!(e > start);
        }
        if let Some(d) = time::parse_duration(&input) {
            prop_assert!(d > chrono::Duration::zero(), "{input:?} gave {d}");
        }
    }

    #[test]
    fn structured_times_parse(h in 0u32..24, m in 0u32..60, day in 1u32..28) {
        let now = chrono_tz::America::New_York.with_ymd_and_hms(2026, 11, 1, 0, 30, 0).unwrap();
        let r = time::parse_start(&format!("2026-12-{day:02} {h}:{m:02}"), &now);
        prop_assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn language_and_config_parsers_never_panic(s in ".{0,60}") {
        // A language tag it accepts reads back as itself.
        if let Ok(l) = Language::parse(&s) {
            prop_assert_eq!(Language::parse(l.as_str()), Ok(l.clone()));
        }
        let _ = Language::from_locale(&s);
        let _ = ConfigFile::parse(&s);
        let _ = ConfigFile::parse(&format!("language = {s:?}\ncloud = {s:?}"));
    }
}

proptest! {
    #[test]
    fn json_for_the_terminal_is_clean_and_the_same_value(s in "\\PC{0,20}|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}a]{0,20}") {
        let v = serde_json::json!({ "subject": s, "list": [s.clone()] });
        // As `create --json` prints it: the service's bytes through json_text.
        let text = tmeet::sanitize::json_text(&serde_json::to_string_pretty(&v).unwrap());
        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        prop_assert!(!text.chars().any(bidi), "bidi control in {:?}", text);
        prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }
}

proptest! {
    #[test]
    fn time_errors_stay_short_whatever_was_typed(input in "\\PC{0,300}") {
        let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap();
        let width = |e: time::TimeError| unicode_width::UnicodeWidthStr::width(e.to_string().as_str());
        if let Err(e) = time::parse_start(&input, &now) {
            prop_assert!(width(e) <= 160);
        }
        if let Err(e) = time::parse_end(&input, &now, &now) {
            prop_assert!(width(e) <= 160);
        }
    }
}

/// Every repeated wall time of 2027, in three zones with different changes (Lord Howe's
/// is half an hour), is refused with two offsets that each read back to that wall time,
/// two different instants.
#[test]
fn every_repeated_time_hints_offsets_that_read_back() {
    use chrono::{Duration, NaiveDate};
    for tz in [
        chrono_tz::Europe::Berlin,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
    ] {
        let now = tz.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let mut local = NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut repeated = 0;
        while local.year() == 2027 {
            let typed = local.format("%Y-%m-%d %H:%M").to_string();
            if let Err(e @ time::TimeError::Ambiguous { .. }) = time::parse_start(&typed, &now) {
                repeated += 1;
                let text = e.to_string();
                let prefix = local.format("%Y-%m-%dT%H:%M").to_string();
                let suggested: Vec<&str> = text
                    .match_indices(&prefix)
                    .map(|(i, _)| &text[i..i + prefix.len() + 6])
                    .collect();
                assert_eq!(suggested.len(), 2, "{text}");
                let back: Vec<_> = suggested
                    .iter()
                    .map(|s| time::parse_start(s, &now).unwrap_or_else(|e| panic!("{s}: {e}")))
                    .collect();
                assert_ne!(back[0], back[1], "{text}");
                for t in back {
                    assert_eq!(t.naive_local(), local, "{text}");
                }
            }
            local += Duration::minutes(15);
        }
        assert!(repeated >= 2, "{tz}: {repeated} repeated quarter hours");
    }
}

proptest! {
    /// A zone as typed (`--zone`, the form's Zone field): never a panic, a refusal is one
    /// short line, safe for the terminal.
    #[test]
    fn zone_input_refuses_in_one_short_safe_line(input in "\\PC{0,60}|[A-Za-z/_ +:-]{0,30}") {
        if let Err(e) = tmeet::calendar::zone_input::parse(&input) {
            let line = e.to_string();
            prop_assert!(!line.contains('\n'));
            prop_assert!(unicode_width::UnicodeWidthStr::width(line.as_str()) <= 240, "{line}");
            prop_assert_eq!(tmeet::sanitize::line(&line), line);
        }
    }

    /// Working hours from any answer: never a panic; hours read have a day and questions
    /// about them answer without one.
    #[test]
    fn working_hours_from_any_answer(v in arb_json(), t in 0i64..4_102_444_800) {
        use tmeet::calendar::hours::{WorkingHours, from_schedule};
        let rows = from_schedule(&serde_json::json!({"value": [v.clone()]}), &["a@b.c".into()]);
        prop_assert_eq!(rows.len(), 1);
        if let Some(h) = WorkingHours::from_graph(&v) {
            let at = chrono::Utc.timestamp_opt(t, 0).unwrap();
            let _ = h.is_working(at);
            let _ = h.spans(at, at + chrono::Duration::days(3));
            let _ = h.describe();
        }
    }
}

/// Every zone of the database is found again by its own name, in any case; but for the
/// database's few legacy names that are also abbreviations people write (`CET`, `EST`),
/// which mean the place that uses them.
#[test]
fn every_zone_name_reads_back() {
    use tmeet::calendar::zone_input::parse;
    let mut places = Vec::new();
    for tz in chrono_tz::TZ_VARIANTS {
        let name = tz.name();
        let abbreviation = name.len() <= 4 && name.chars().all(|c| c.is_ascii_uppercase());
        match parse(name) {
            Ok(found) if found == tz => {
                assert_eq!(parse(&name.to_lowercase()), Ok(tz), "{tz}");
            }
            Ok(found) if abbreviation => places.push(format!("{name}={found}")),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(
        places.contains(&"EST=America/New_York".to_string()),
        "{places:?}"
    );
    assert!(
        places.contains(&"CET=Europe/Berlin".to_string()),
        "{places:?}"
    );
}
