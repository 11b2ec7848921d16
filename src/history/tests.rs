use super::*;

fn account() -> Account {
    Account {
        cloud: "global".into(),
        tenant: "organizations".into(),
        client_id: Some("cid".into()),
        target: "me".into(),
        upn: None,
    }
}

fn answer(id: &str, subject: &str, start: &str, end: &str) -> Value {
    json!({
        "id": id,
        "subject": subject,
        "startDateTime": start,
        "endDateTime": end,
        "joinWebUrl": format!("https://teams.microsoft.com/l/meetup-join/{id}"),
        "joinMeetingIdSettings": { "joinMeetingId": "123456789", "isPasscodeRequired": true,
                                   "passcode": "Xq7Tz9" },
        "joinInformation": { "content": "data:text/html,Meeting%20ID%3A%20123%20Passcode%3A%20Xq7Tz9",
                             "contentType": "html" },
        "lobbyBypassSettings": { "scope": "organizer" },
    })
}

fn record(store: &Store, a: &Value) -> Entry {
    let body = json!({
        "subject": a["subject"], "startDateTime": a["startDateTime"],
        "endDateTime": a["endDateTime"],
        "joinMeetingIdSettings": { "isPasscodeRequired": true },
        "lobbyBypassSettings": { "scope": "everyone" },
        "participants": { "attendees": [ { "upn": "bob@contoso.com", "role": "presenter",
                                           "identity": {} } ] },
    });
    store
        .record_create(&Record {
            kind: Kind::Standalone,
            account: &account(),
            body: &body,
            answer: a,
            language: Some("de-DE"),
        })
        .unwrap()
}

#[test]
fn a_create_is_recorded_with_options_asked_and_as_set_and_no_passcode() {
    let store = Store::in_memory().unwrap();
    let e = record(
        &store,
        &answer(
            "MSo1abc",
            "Review",
            "2030-01-02T10:00:00Z",
            "2030-01-02T10:30:00Z",
        ),
    );
    assert_eq!(e.id, 1);
    assert_eq!(e.subject.as_deref(), Some("Review"));
    assert_eq!(e.join_meeting_id.as_deref(), Some("123456789"));
    assert_eq!(
        e.options_asked,
        json!({ "lobbyBypassSettings": { "scope": "everyone" } })
    );
    // The tenant's policy won: what was set is what the answer says.
    assert_eq!(
        e.options_set,
        json!({ "lobbyBypassSettings": { "scope": "organizer" } })
    );
    assert_eq!(
        e.attendees,
        json!([{ "upn": "bob@contoso.com", "role": "presenter" }])
    );
    assert_eq!(e.language.as_deref(), Some("de-DE"));
    let stored = e.meeting_json.as_ref().unwrap().to_string();
    assert!(!stored.contains("Xq7Tz9"), "{stored}");
    assert!(
        !stored.to_ascii_lowercase().contains("\"passcode\""),
        "{stored}"
    );
    let m = e.meeting().unwrap();
    assert_eq!(m.passcode(), None);
    assert_eq!(
        m.join_meeting_id_settings.unwrap().is_passcode_required,
        Some(true)
    );
}

#[test]
fn the_passcode_never_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tmeet").join("history.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        let e = record(
            &store,
            &answer(
                "MSo1abc",
                "Review",
                "2030-01-02T10:00:00Z",
                "2030-01-02T10:30:00Z",
            ),
        );
        store
            .record_update(
                e.id,
                &serde_json::json!({"subject": "Moved"}),
                &answer(
                    "MSo1abc",
                    "Moved",
                    "2030-01-03T10:00:00Z",
                    "2030-01-03T10:30:00Z",
                ),
            )
            .unwrap();
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let needle = b"Xq7Tz9";
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{} holds the passcode",
            p.display()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }
}

#[test]
fn list_is_in_start_order_and_leaves_out_the_past_unless_all() {
    let store = Store::in_memory().unwrap();
    record(
        &store,
        &answer(
            "C-late",
            "Late",
            "2030-03-01T10:00:00Z",
            "2030-03-01T11:00:00Z",
        ),
    );
    record(
        &store,
        &answer(
            "A-past",
            "Past",
            "2020-01-01T10:00:00Z",
            "2020-01-01T11:00:00Z",
        ),
    );
    record(
        &store,
        &answer(
            "B-soon",
            "Soon",
            "2030-01-01T10:00:00Z",
            "2030-01-01T11:00:00Z",
        ),
    );
    let now: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
    let subjects = |f: Filter| -> Vec<String> {
        store
            .list(f, now)
            .unwrap()
            .into_iter()
            .map(|e| e.subject.unwrap())
            .collect()
    };
    assert_eq!(subjects(Filter::default()), ["Soon", "Late"]);
    // The streamed listings select the same rows in the same order.
    for f in [
        Filter::default(),
        Filter {
            all: true,
            ..Filter::default()
        },
        Filter {
            all: true,
            since: "2029-01-01T00:00:00Z".parse().ok(),
            until: "2030-02-01T00:00:00Z".parse().ok(),
        },
    ] {
        let mut summaries = Vec::new();
        store
            .each_summary(f, now, |e| {
                summaries.push(e.subject.unwrap());
                Ok::<(), HistoryError>(())
            })
            .unwrap();
        let mut entries = Vec::new();
        store
            .each_entry(f, now, |e| {
                assert_eq!(e.meeting_json, None, "a listing reads no stored meeting");
                entries.push(e);
                Ok::<(), HistoryError>(())
            })
            .unwrap();
        let full = store.list(f, now).unwrap();
        assert_eq!(summaries, subjects(f));
        assert_eq!(
            entries.iter().map(Entry::to_json).collect::<Vec<_>>(),
            full.iter().map(Entry::to_json).collect::<Vec<_>>()
        );
    }
    assert_eq!(
        subjects(Filter {
            all: true,
            ..Filter::default()
        }),
        ["Past", "Soon", "Late"]
    );
    assert_eq!(
        subjects(Filter {
            all: true,
            since: "2029-01-01T00:00:00Z".parse().ok(),
            until: "2030-02-01T00:00:00Z".parse().ok(),
        }),
        ["Soon"]
    );
}

#[test]
fn a_ref_is_a_number_an_id_a_unique_prefix_or_a_join_link() {
    let store = Store::in_memory().unwrap();
    let a = record(
        &store,
        &answer(
            "MSoxAAA111",
            "A",
            "2030-01-01T10:00:00Z",
            "2030-01-01T11:00:00Z",
        ),
    );
    let b = record(
        &store,
        &answer(
            "MSoxBBB222",
            "B",
            "2030-01-01T10:00:00Z",
            "2030-01-01T11:00:00Z",
        ),
    );
    assert_eq!(store.resolve("2").unwrap().id, b.id);
    assert_eq!(store.resolve(" MSoxAAA111 ").unwrap().id, a.id);
    assert_eq!(store.resolve("MSoxB").unwrap().id, b.id);
    assert_eq!(
        store
            .resolve("https://teams.microsoft.com/l/meetup-join/MSoxAAA111")
            .unwrap()
            .id,
        a.id
    );
    match store.resolve("MSox") {
        Err(RefError::Ambiguous { candidates, .. }) => assert_eq!(candidates, [1, 2]),
        other => panic!("{other:?}"),
    }
    let e = store.resolve("MSox").unwrap_err().to_string();
    assert!(e.contains("tmeet list"), "{e}");
    assert!(matches!(store.resolve("9"), Err(RefError::NotFound(_))));
    assert!(matches!(store.resolve("MS_x%"), Err(RefError::NotFound(_))));
    assert!(matches!(store.resolve(" "), Err(RefError::Empty)));
    let e = store.resolve("nope").unwrap_err().to_string();
    assert!(e.contains("tmeet list --all"), "{e}");
}

#[test]
fn create_or_get_of_a_known_meeting_updates_its_row() {
    let store = Store::in_memory().unwrap();
    let a = answer(
        "MSo1abc",
        "Review",
        "2030-01-02T10:00:00Z",
        "2030-01-02T10:30:00Z",
    );
    let first = record(&store, &a);
    store.record_state(first.id, State::Deleted).unwrap();
    let again = record(&store, &a);
    assert_eq!(again.id, first.id);
    assert_eq!(again.state, State::Active);
    let all = Filter {
        all: true,
        ..Filter::default()
    };
    assert_eq!(store.list(all, Utc::now()).unwrap().len(), 1);
}

#[test]
fn a_check_marks_gone_and_changed_elsewhere() {
    let store = Store::in_memory().unwrap();
    let a = answer(
        "MSo1abc",
        "Review",
        "2030-01-02T10:00:00Z",
        "2030-01-02T10:30:00Z",
    );
    let e = record(&store, &a);
    assert_eq!(store.record_check(&e, Some(&a)).unwrap(), Check::Unchanged);
    let e = store.get(e.id).unwrap();
    assert_eq!(e.state, State::Active);
    assert!(e.checked_at.is_some());
    let mut moved = a.clone();
    moved["lobbyBypassSettings"]["scope"] = json!("everyone");
    assert_eq!(
        store.record_check(&e, Some(&moved)).unwrap(),
        Check::Changed
    );
    let e = store.get(e.id).unwrap();
    assert_eq!(e.state, State::Changed);
    assert_eq!(e.options_set["lobbyBypassSettings"]["scope"], "everyone");
    assert_eq!(store.record_check(&e, None).unwrap(), Check::Gone);
    assert_eq!(store.get(e.id).unwrap().state, State::Deleted);
    // An update through tmeet makes it tmeet's again.
    let e = store
        .record_update(
            e.id,
            &serde_json::json!({"lobbyBypassSettings": {"scope": "everyone"}}),
            &moved,
        )
        .unwrap();
    assert_eq!(e.options_asked["lobbyBypassSettings"]["scope"], "everyone");
    assert_eq!(e.state, State::Active);
}

/// The first schema, as tmeet wrote it: a copy, not a reference to `schema::MIGRATIONS`,
/// so that editing a shipped migration by mistake fails here.
const V1_FIXTURE: &str = "
CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('standalone', 'event')),
    graph_id        TEXT NOT NULL,
    join_url        TEXT,
    join_meeting_id TEXT,
    subject         TEXT,
    start_utc       TEXT,
    end_utc         TEXT,
    organizer       TEXT,
    cloud           TEXT NOT NULL,
    tenant          TEXT NOT NULL,
    client_id       TEXT,
    target          TEXT NOT NULL,
    options_asked   TEXT NOT NULL DEFAULT '{}',
    options_set     TEXT NOT NULL DEFAULT '{}',
    attendees       TEXT NOT NULL DEFAULT '[]',
    language        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'active'
                    CHECK (state IN ('active', 'deleted', 'changed')),
    meeting_json    TEXT,
    UNIQUE (cloud, graph_id)
);
CREATE INDEX meetings_by_start ON meetings (start_utc);
INSERT INTO meetings (kind, graph_id, join_url, subject, start_utc, end_utc, cloud, tenant,
    target, created_at, updated_at)
VALUES ('standalone', 'MSoOLD', 'https://teams.microsoft.com/l/meetup-join/old', 'Old one',
    '2030-05-01T09:00:00Z', '2030-05-01T09:30:00Z', 'global', 'organizations', 'me',
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO meetings (kind, graph_id, join_url, subject, start_utc, end_utc, cloud, tenant,
    target, created_at, updated_at, meeting_json)
VALUES ('standalone', 'MSoOLD2', 'https://teams.microsoft.com/l/meetup-join/old2', 'Old two',
    '2030-05-02T09:00:00Z', '2030-05-02T09:30:00Z', 'global', 'organizations', 'me',
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
    '{\"id\":\"MSoOLD2\",\"subject\":\"Old two\",\"joinWebUrl\":\"https://teams.microsoft.com/l/meetup-join/old2\",\"startDateTime\":\"2030-05-02T09:00:00Z\",\"endDateTime\":\"2030-05-02T09:30:00Z\"}');
PRAGMA user_version = 1;
";

#[test]
fn a_version_1_file_is_migrated_and_keeps_its_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch(V1_FIXTURE)
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 7);
    let old = store.resolve("1").unwrap();
    assert_eq!(old.subject.as_deref(), Some("Old one"));
    assert_eq!(old.external_id, None);
    assert_eq!(old.series, None, "an older meeting happens once");
    assert_eq!(old.meeting(), None, "v1 rows may have no stored answer");
    // A stored answer moves to its own table (version 3) and is read back whole.
    let two = store.resolve("MSoOLD2").unwrap();
    let meeting = two
        .meeting()
        .expect("the stored answer survived the migration");
    assert_eq!(meeting.subject.as_deref(), Some("Old two"));
    assert_eq!(
        meeting.join_web_url.as_deref(),
        Some("https://teams.microsoft.com/l/meetup-join/old2")
    );
    // The new columns work on the migrated file.
    let e = record(
        &store,
        &answer(
            "MSoNEW",
            "New",
            "2030-06-01T09:00:00Z",
            "2030-06-01T10:00:00Z",
        ),
    );
    assert_eq!(e.id, 3);
    drop(store);
    // Opening again migrates nothing and loses nothing.
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store
            .list(
                Filter {
                    all: true,
                    ..Filter::default()
                },
                Utc::now()
            )
            .unwrap()
            .len(),
        3
    );
}

/// Version 4 keeps the account each meeting was made with: an older row takes it from its
/// stored meeting's organizer where the service named one, and stays unknown otherwise.
#[test]
fn an_older_file_learns_the_account_from_the_stored_organizer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(V1_FIXTURE).unwrap();
    conn.execute_batch(
        "INSERT INTO meetings (kind, graph_id, join_url, subject, start_utc, end_utc, cloud,
             tenant, target, created_at, updated_at, meeting_json)
         VALUES ('standalone', 'MSoOLD3', 'https://teams.microsoft.com/meet/1?p=x', 'Three',
             '2030-05-03T09:00:00Z', '2030-05-03T09:30:00Z', 'global', 'organizations', 'me',
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
             '{\"id\":\"MSoOLD3\",\"participants\":{\"organizer\":{\"upn\":\"alice@contoso.com\"}}}');
         INSERT INTO meetings (kind, graph_id, subject, cloud, tenant, target, created_at,
             updated_at, meeting_json)
         VALUES ('standalone', 'MSoBAD', 'Bad', 'global', 'organizations', 'me',
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'not json');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.resolve("1").unwrap().account.upn, None);
    assert_eq!(store.resolve("2").unwrap().account.upn, None);
    assert_eq!(
        store.resolve("3").unwrap().account.upn.as_deref(),
        Some("alice@contoso.com")
    );
    assert_eq!(store.resolve("4").unwrap().account.upn, None);
    assert_eq!(store.accounts().unwrap(), ["alice@contoso.com"]);
    // A row of an unknown account is reachable from any sign-in.
    let run = Account {
        upn: Some("bob@contoso.com".into()),
        ..account()
    };
    assert!(command::same_account(
        &store.resolve("1").unwrap().account,
        &run
    ));
    assert!(!command::same_account(
        &store.resolve("3").unwrap().account,
        &run
    ));
}

#[test]
fn the_accounts_are_read_from_their_index_without_a_scan_or_a_sort() {
    let store = Store::in_memory().unwrap();
    let plan: Vec<String> = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {ACCOUNTS}"))
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        plan,
        ["SCAN meetings USING COVERING INDEX meetings_by_account"]
    );
}

#[test]
fn a_file_from_a_newer_tmeet_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
        .unwrap();
    let e = Store::open(&path).err().unwrap().to_string();
    assert!(
        e.contains("newer tmeet") && e.contains("TMEET_HISTORY=off"),
        "{e}"
    );
    let version: u32 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

#[test]
fn json_shape_is_the_documented_one() {
    let store = Store::in_memory().unwrap();
    let e = record(
        &store,
        &answer(
            "MSo1abc",
            "Review",
            "2030-01-02T10:00:00Z",
            "2030-01-02T10:30:00Z",
        ),
    );
    let j = e.to_json();
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "ref",
        "kind",
        "state",
        "id",
        "joinWebUrl",
        "joinMeetingId",
        "subject",
        "startDateTime",
        "endDateTime",
        "optionsAsked",
        "optionsSet",
        "attendees",
        "createdAt",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(j["startDateTime"], "2030-01-02T10:00:00Z");
    assert_eq!(j["ref"], 1);
}

#[test]
fn an_invitation_whose_passcode_cannot_be_cut_out_safely_is_not_kept() {
    let mut a = answer(
        "MSo1abc",
        "Review",
        "2030-01-02T10:00:00Z",
        "2030-01-02T10:30:00Z",
    );
    // Short: its text could be part of a phone number; replacing it would corrupt them.
    a["joinMeetingIdSettings"]["passcode"] = json!("142");
    a["joinInformation"]["content"] =
        json!("data:text/html,Call%20%2B14255550142%20Passcode%3A%20142");
    let kept = without_passcode(&a);
    assert!(kept.get("joinInformation").is_none(), "{kept}");
    assert!(!kept.to_string().contains("142\""), "{kept}");
    // A Teams-like passcode is cut out of the invitation, which stays.
    let a = answer(
        "MSo1abc",
        "Review",
        "2030-01-02T10:00:00Z",
        "2030-01-02T10:30:00Z",
    );
    let kept = without_passcode(&a);
    let text = kept["joinInformation"]["content"].as_str().unwrap();
    assert!(
        text.contains(PASSCODE_REDACTED) && !text.contains("Xq7Tz9"),
        "{text}"
    );
}

#[test]
fn a_calendar_meeting_whose_meeting_could_not_be_read_is_kept_by_its_event() {
    use crate::calendar::{Event, EventRequest, parse_invitees};
    use crate::services::calendar::CreatedEvent;
    use chrono::TimeZone;
    let store = Store::in_memory().unwrap();
    let start = Utc.with_ymd_and_hms(2037, 1, 8, 10, 0, 0).unwrap();
    let meeting = crate::meeting::MeetingRequest::new(
        "Review",
        &start,
        &(start + chrono::Duration::minutes(30)),
        false,
        None,
    )
    .unwrap();
    let invitees = parse_invitees("ada@contoso.com, bob@contoso.com:optional").unwrap();
    let request = EventRequest::new(meeting, invitees, None, None, "t-1".into()).unwrap();
    let event = Event {
        id: "AAMkEVENT=".into(),
        subject: Some("Review".into()),
        join_url: Some("https://teams.microsoft.com/l/meetup-join/x".into()),
        web_link: Some("https://outlook.office365.com/owa/?itemid=AAMkEVENT%3D".into()),
        start: Some(start),
        end: Some(start + chrono::Duration::minutes(30)),
        ..Event::default()
    };
    let created = CreatedEvent {
        event,
        answer: crate::graph::client::Answer {
            value: Value::Null,
            json: String::new(),
            request_id: None,
            client_request_id: String::new(),
        },
        meeting: None,
        invited: 2,
        existed: false,
        warnings: vec![],
    };
    let e = store
        .record_event(&account(), &request, &created.event, None)
        .unwrap();
    assert_eq!(e.kind, Kind::Event);
    assert_eq!(e.graph_id, "AAMkEVENT=");
    assert_eq!(e.event_id.as_deref(), Some("AAMkEVENT="));
    assert_eq!(
        e.join_url.as_deref(),
        Some("https://teams.microsoft.com/l/meetup-join/x")
    );
    assert_eq!(e.start, Some(start));
    assert_eq!(e.attendees[1]["role"], "optional");
    assert_eq!(store.resolve("AAMkEVENT=").unwrap().id, e.id);

    // A check reads the event: the same event is unchanged, whatever the meeting's times.
    let same = Event {
        invitees: parse_invitees("Ada@contoso.com, bob@contoso.com:optional").unwrap(),
        ..created.event.clone()
    };
    let stale = json!({"id": "AAMkEVENT=", "startDateTime": "2030-01-01T00:00:00Z"});
    assert_eq!(
        store
            .record_event_check(&e, Some((&same, Some(&stale))))
            .unwrap(),
        Check::Unchanged
    );
    assert_eq!(store.get(e.id).unwrap().start, Some(start));
    // Moved in Outlook, and someone else invited: changed, and the row says what the event says.
    let later = start + chrono::Duration::hours(2);
    let moved = Event {
        start: Some(later),
        end: Some(later + chrono::Duration::minutes(30)),
        invitees: parse_invitees("ada@contoso.com").unwrap(),
        ..same.clone()
    };
    let e = store.get(e.id).unwrap();
    assert_eq!(
        store.record_event_check(&e, Some((&moved, None))).unwrap(),
        Check::Changed
    );
    let now = store.get(e.id).unwrap();
    assert_eq!((now.start, now.state), (Some(later), State::Changed));
    assert_eq!(
        now.attendees,
        json!([{"upn": "ada@contoso.com", "role": "required"}])
    );
    // tmeet's own update makes it active again.
    let view = crate::calendar::event_view(&same, now.meeting_json.clone());
    let after = store.record_event_update(e.id, &same, &view).unwrap();
    assert_eq!((after.start, after.state), (Some(start), State::Active));
    assert_eq!(after.attendees[1]["upn"], "bob@contoso.com");
    assert_eq!(
        store.record_event_check(&after, None).unwrap(),
        Check::Gone,
        "cancelled or deleted"
    );
}

/// A series is one row, its times the first meeting's, with the rule, its zone and the
/// recurrence sent (version 6); `list --json` and `show --json` carry it as `series`.
#[test]
fn a_series_is_recorded_with_its_rule_zone_and_recurrence() {
    use crate::calendar::recurrence::{Series, parse};
    use crate::calendar::{Event, EventRequest, parse_invitees};
    use chrono::TimeZone;
    let store = Store::in_memory().unwrap();
    let zone = chrono_tz::Europe::Berlin;
    // A Monday: "every 2 weeks on tue, thu" moves the first meeting to Tuesday.
    let start = zone.with_ymd_and_hms(2037, 1, 5, 10, 0, 0).unwrap();
    let end = start + chrono::Duration::minutes(30);
    let meeting =
        crate::meeting::MeetingRequest::new("Standup", &start, &end, false, None).unwrap();
    let series = Series::new(
        parse("every 2 weeks on tue, thu for 6").unwrap(),
        &start,
        &end,
        zone,
    )
    .unwrap();
    let request = EventRequest::new(
        meeting,
        parse_invitees("ada@contoso.com").unwrap(),
        None,
        None,
        "t-2".into(),
    )
    .unwrap()
    .repeating(series)
    .unwrap();
    let first = request.meeting.start().with_timezone(&Utc);
    let event = Event {
        id: "AAMkSERIES=".into(),
        subject: Some("Standup".into()),
        join_url: Some("https://teams.microsoft.com/l/meetup-join/s".into()),
        start: Some(first),
        end: Some(first + chrono::Duration::minutes(30)),
        ..Event::default()
    };
    let e = store
        .record_event(&account(), &request, &event, None)
        .unwrap();
    let series = e.series.clone().expect("recorded as a series");
    assert_eq!(series["rule"], "every 2 weeks on tue, thu for 6");
    assert_eq!(series["timeZone"], "Europe/Berlin");
    assert_eq!(series["recurrence"]["range"]["startDate"], "2037-01-06");
    assert_eq!(series["recurrence"]["range"]["numberOfOccurrences"], 6);
    assert_eq!(
        e.start,
        Some(Utc.with_ymd_and_hms(2037, 1, 6, 9, 0, 0).unwrap()),
        "the row's times are the first meeting's"
    );
    assert_eq!(e.to_json()["series"], series);
    assert_eq!(store.resolve("AAMkSERIES=").unwrap().series, Some(series));
}

/// A series whose first meeting has passed is still listed, once, by its next meeting and
/// with its rule; after its last meeting it is past like any other.
#[test]
fn a_series_is_listed_once_by_its_next_meeting() {
    use crate::calendar::recurrence::{Series, parse};
    use crate::calendar::{Event, EventRequest, parse_invitees};
    let store = Store::in_memory().unwrap();
    let zone = chrono_tz::Europe::Berlin;
    let now = Utc::now();
    let record = |rule: &str, days_ago: i64, t: &str| {
        let start = (now - chrono::Duration::days(days_ago)).with_timezone(&zone);
        let start = start - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&start)));
        let end = start + chrono::Duration::minutes(30);
        let meeting =
            crate::meeting::MeetingRequest::new("Standup", &start, &end, false, None).unwrap();
        let series = Series::new(parse(rule).unwrap(), &start, &end, zone).unwrap();
        let request = EventRequest::new(
            meeting,
            parse_invitees("ada@contoso.com").unwrap(),
            None,
            None,
            t.into(),
        )
        .unwrap()
        .repeating(series)
        .unwrap();
        let first = request.meeting.start().with_timezone(&Utc);
        let event = Event {
            id: format!("AAMk{t}="),
            start: Some(first),
            end: Some(first + chrono::Duration::minutes(30)),
            ..Event::default()
        };
        store
            .record_event(&account(), &request, &event, None)
            .unwrap()
    };
    let going = record("daily for 30", 10, "going");
    let over = record("daily for 3", 10, "over");
    let mut listed = Vec::new();
    store
        .each_summary(Filter::default(), Utc::now(), |s| {
            listed.push(s);
            Ok::<(), HistoryError>(())
        })
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let row = &listed[0];
    assert_eq!(row.id, going.id);
    assert_ne!(row.id, over.id);
    let repeats = row.repeats.as_ref().expect("listed as a series");
    assert_eq!(repeats.words, "daily for 30");
    let (next, _) = repeats.next.unwrap();
    assert!(next > going.start.unwrap() && next - Utc::now() <= chrono::Duration::days(1));
    assert_eq!(Brief::start(row), Some(next), "listed by its next meeting");
    assert!(command::subject_line(row).ends_with("· daily for 30"));
}

/// A series is read at its first meeting but listed at its next: the listings put it
/// among the other rows by that next meeting, in all three of them.
#[test]
fn a_series_takes_its_place_by_its_next_meeting() {
    use crate::calendar::recurrence::{Series, parse};
    use crate::calendar::{Event, EventRequest, parse_invitees};
    let store = Store::in_memory().unwrap();
    let zone = chrono_tz::Europe::Berlin;
    let now = Utc::now();
    let at = |days: i64| {
        let t = now + chrono::Duration::days(days);
        let t = t - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&t)));
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    // Weekly from ten days ago: its next meeting is four days ahead.
    let start = (now - chrono::Duration::days(10)).with_timezone(&zone);
    let start = start - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&start)));
    let end = start + chrono::Duration::minutes(30);
    let meeting = crate::meeting::MeetingRequest::new("Weekly", &start, &end, false, None).unwrap();
    let series = Series::new(parse("weekly for 10").unwrap(), &start, &end, zone).unwrap();
    let request = EventRequest::new(
        meeting,
        parse_invitees("ada@contoso.com").unwrap(),
        None,
        None,
        "t-weekly".into(),
    )
    .unwrap()
    .repeating(series)
    .unwrap();
    let first = request.meeting.start().with_timezone(&Utc);
    let event = Event {
        id: "AAMkWEEKLY=".into(),
        subject: Some("Weekly".into()),
        start: Some(first),
        end: Some(first + chrono::Duration::minutes(30)),
        ..Event::default()
    };
    store
        .record_event(&account(), &request, &event, None)
        .unwrap();
    record(&store, &answer("late", "In six days", &at(6), &at(7)));
    record(&store, &answer("soon", "In two days", &at(2), &at(3)));
    record(&store, &answer("past", "Five days ago", &at(-5), &at(-5)));

    let want = ["In two days", "Weekly", "In six days"];
    let listed: Vec<String> = store
        .list(Filter::default(), now)
        .unwrap()
        .into_iter()
        .map(|e| e.subject.unwrap())
        .collect();
    assert_eq!(listed, want);
    let mut summaries = Vec::new();
    store
        .each_summary(Filter::default(), now, |s| {
            summaries.push(s.subject.unwrap());
            Ok::<(), HistoryError>(())
        })
        .unwrap();
    assert_eq!(summaries, want);
    let mut entries = Vec::new();
    store
        .each_entry(
            Filter {
                all: true,
                ..Filter::default()
            },
            now,
            |e| {
                entries.push(e.subject.unwrap());
                Ok::<(), HistoryError>(())
            },
        )
        .unwrap();
    assert_eq!(
        entries,
        ["Five days ago", "In two days", "Weekly", "In six days"]
    );
}

/// A meeting of a series edited twice keeps one line: a new time replaces the earlier
/// edit, a plain change adds nothing to it, and a cancellation is its own line.
#[test]
fn a_meeting_edited_again_keeps_one_line_of_what_became_of_it() {
    use crate::calendar::recurrence::{Series, parse};
    use crate::calendar::{Event, EventRequest, parse_invitees};
    use chrono::TimeZone;
    let store = Store::in_memory().unwrap();
    let zone = chrono_tz::Europe::Berlin;
    let start = zone.with_ymd_and_hms(2037, 1, 7, 10, 0, 0).unwrap();
    let end = start + chrono::Duration::minutes(30);
    let meeting =
        crate::meeting::MeetingRequest::new("Standup", &start, &end, false, None).unwrap();
    let series = Series::new(parse("weekly for 6").unwrap(), &start, &end, zone).unwrap();
    let request = EventRequest::new(
        meeting,
        parse_invitees("ada@contoso.com").unwrap(),
        None,
        None,
        "t-again".into(),
    )
    .unwrap()
    .repeating(series)
    .unwrap();
    let event = Event {
        id: "AAMkAGAIN=".into(),
        start: Some(start.with_timezone(&Utc)),
        end: Some(end.with_timezone(&Utc)),
        ..Event::default()
    };
    let e = store
        .record_event(&account(), &request, &event, None)
        .unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2037, 1, d).unwrap();
    for (d, what) in [
        (14, "changed"),
        (14, "moved to Wed 14 Jan 11:00"),
        (14, "changed"),
        (21, "changed"),
        (21, "cancelled"),
    ] {
        store.record_series_change(e.id, day(d), what).unwrap();
    }
    let changes = store.get(e.id).unwrap().series.unwrap()["changes"].clone();
    assert_eq!(
        changes,
        json!([
            {"date": "2037-01-14", "what": "moved to Wed 14 Jan 11:00"},
            {"date": "2037-01-21", "what": "changed"},
            {"date": "2037-01-21", "what": "cancelled"},
        ])
    );
}
