//! Screens rendered into a TestBackend: insta snapshots per state and size, style checks
//! the text cannot show, and a sweep of sizes that keeps the DEMO label and the cursor inside.

use super::render;
use crate::graph::GraphError;
use crate::graph::model::{ItemBody, OnlineMeeting};
use crate::meeting::Language;
use crate::meeting::invitation::encode_html;
use crate::tui::app::{
    Action, AgendaAction, Intent, MeetingRow, MeetingsAction, Model, Options, SignInPrompt, update,
};
use crate::tui::form_state::Field;
use crate::tui::view::{ErrorView, ResultView};
use chrono::TimeZone;
use chrono_tz::Europe::Berlin;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use tui_input::InputRequest;

fn model(demo: bool) -> Model {
    let now = Berlin.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap();
    Model::new(
        now,
        &Language::parse("de-DE").unwrap(),
        Options {
            passcode: false,
            demo,
        },
    )
}

fn type_text(m: &mut Model, s: &str) {
    for c in s.chars() {
        update(m, Action::Edit(InputRequest::InsertChar(c)));
    }
}

pub(super) fn draw(m: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, m)).unwrap();
    t
}

fn meeting() -> OnlineMeeting {
    let mut m: OnlineMeeting =
        serde_json::from_str(include_str!("../../../tests/fixtures/seed/response-2.json")).unwrap();
    m.subject = Some("Weekly sync".into());
    m.start_date_time = Some(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 9, 30, 0)
            .unwrap(),
    );
    m.end_date_time = Some(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
            .unwrap(),
    );
    m.join_web_url =
        Some("https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0".into());
    m.join_information = Some(ItemBody {
        content: Some(encode_html(
            "<div>Microsoft Teams-Besprechung</div><div>Nehmen Sie am Computer teil: \
             <a href=\"https://teams.microsoft.com/l/meetup-join/x\">Klicken Sie hier</a></div>\
             <div>Besprechungs-ID: 123 456 789 0</div><div>Kennung: 123abc</div>",
        )),
        content_type: None,
    });
    m
}

/// A day of 30-minute slots in Berlin (Fri 27 Nov 2026), busy in the `[from, to)` slots.
fn free_busy(people: &[(&str, &[(usize, usize)])]) -> crate::calendar::FreeBusy {
    use crate::calendar::{Availability, PersonSchedule};
    let start = chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, 23, 0, 0)
        .unwrap();
    crate::calendar::FreeBusy {
        start,
        end: start + chrono::Duration::days(1),
        interval_minutes: 30,
        people: people
            .iter()
            .map(|(who, busy)| PersonSchedule {
                who: who.to_string(),
                slots: (0..48)
                    .map(|i| {
                        if busy.iter().any(|(from, to)| (*from..*to).contains(&i)) {
                            Availability::Busy
                        } else {
                            Availability::Free
                        }
                    })
                    .collect(),
                error: None,
                working_hours: Some((
                    chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
                    chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                )),
            })
            .collect(),
    }
}

/// Calendar mode: a subject, two invitees and a message, focus on Attendees.
fn calendar_form() -> Model {
    let mut m = model(true).with_mode(crate::tui::form_state::Mode::Calendar);
    type_text(&mut m, "Design review");
    m.form.focus = Field::Attendees;
    type_text(&mut m, "megan@contoso.com, alex@contoso.com:optional");
    m.form.focus = Field::Message;
    type_text(&mut m, "Agenda: the new design");
    m.form.focus = Field::Attendees;
    m
}

/// The debounce's free/busy job, answered with `fb`.
fn with_free_busy(mut m: Model, fb: crate::calendar::FreeBusy) -> Model {
    let now = m.now;
    update(&mut m, Action::Clock { ms: 10_000, now });
    let fx = update(&mut m, Action::Timer);
    let Some(crate::tui::app::Effect::FreeBusy { job, .. }) = fx.first() else {
        panic!("no free/busy job: {fx:?}");
    };
    update(
        &mut m,
        Action::FreeBusy {
            job: *job,
            result: Ok(fb.into()),
        },
    );
    m
}

fn calendar_states() -> Vec<(&'static str, Model)> {
    use crate::calendar::{Availability, PersonMatch, Source, Suggestion, Suggestions};
    use crate::tui::app::Effect;
    let mut out = Vec::new();
    out.push(("calendar_form", calendar_form()));
    // A weekly series across the change to summer time: the preview shows CET, then CEST.
    let mut r = calendar_form();
    r.form.start = tui_input::Input::new("2027-03-16 10:00".into());
    r.form.focus = Field::Repeats;
    type_text(&mut r, "weekly on tue for 4");
    out.push(("calendar_repeats", r));
    // The Invitation section, folded to its summary, then open with the cursor on
    // Importance after changing it, its help under it; categories typed beside it.
    let mut i = calendar_form();
    i.form.invitation.set("show-as", "away").unwrap();
    i.form.invitation.set("hide-attendees", "on").unwrap();
    i.form.categories = tui_input::Input::new("Red category, Travel".into());
    i.form.focus = Field::Invitation;
    out.push(("calendar_invitation_folded", i.clone()));
    update(&mut i, Action::Intent(Intent::Activate));
    for _ in 0..2 {
        update(&mut i, Action::Intent(Intent::OptionDown));
    }
    update(&mut i, Action::Intent(Intent::OptionNext));
    out.push(("calendar_invitation_open", i));
    // The Category field with the mailbox's categories known and a name begun.
    let mut c = calendar_form();
    c.calendar.categories = Some(vec![
        "Red category".into(),
        "Orange category".into(),
        "Blue category".into(),
    ]);
    c.form.focus = Field::Categories;
    type_text(&mut c, "Red category, bl");
    out.push(("calendar_categories", c));

    // Planned in New York's time from Berlin: both clocks under Zone; a bad zone is the
    // field's error, in red, as other fields' are.
    let mut z = calendar_form();
    z.form.focus = Field::Start;
    type_text(&mut z, "2026-12-01 10:00");
    z.form.focus = Field::Zone;
    type_text(&mut z, "new york");
    out.push(("calendar_zone", z.clone()));
    update(&mut z, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut z, "IST");
    out.push(("calendar_zone_ambiguous", z));

    // My free times to share (the share key), answered.
    let mut f = calendar_form();
    let fx = update(&mut f, Action::Intent(Intent::ShareFree));
    let Some(crate::tui::app::Effect::ShareFree { job, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let at = |d: u32, h: u32| {
        Berlin
            .with_ymd_and_hms(2026, 11, d, h, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    update(
        &mut f,
        Action::FreeTimes {
            job: *job,
            result: Ok(crate::services::zones::FreeTimes {
                spans: vec![
                    (at(27, 14), at(27, 17)),
                    (at(30, 9), at(30, 11)),
                    (at(30, 13), at(30, 17)),
                ],
                hours: crate::services::zones::assumed_hours(Berlin),
                source: crate::services::zones::HoursSource::Assumed,
                longest_free: None,
                longest_working: None,
                mine: None,
            }),
        },
    );
    out.push(("calendar_share_free", f));

    let fb = free_busy(&[
        ("adele@contoso.com", &[(18, 20), (26, 27)]),
        ("megan@contoso.com", &[(21, 23)]),
        ("alex@contoso.com", &[(28, 32)]),
    ]);
    let m = with_free_busy(calendar_form(), fb.clone());
    out.push(("calendar_free_busy", m.clone()));
    // Three zones: Adele in Berlin, Megan in Tokyo, Alex in New York, each with their own
    // working day; the chosen 10:30 Berlin is 18:30 in Tokyo, outside Megan's hours.
    let hours = |zone: &str| {
        crate::calendar::hours::WorkingHours::from_graph(&serde_json::json!({
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "09:00:00.0000000",
            "endTime": "17:00:00.0000000",
            "timeZone": {"name": zone},
        }))
    };
    let mut zoned = with_free_busy(calendar_form(), fb.clone());
    zoned.calendar.free_busy.hours = [
        ("adele@contoso.com", "Europe/Berlin"),
        ("megan@contoso.com", "Asia/Tokyo"),
        ("alex@contoso.com", "America/New_York"),
    ]
    .iter()
    .map(|(who, zone)| crate::calendar::hours::PersonHours {
        who: who.to_string(),
        hours: hours(zone),
    })
    .collect();
    let mut no_color = zoned.clone();
    no_color.no_color = true;
    out.push(("calendar_free_busy_zones", zoned));
    out.push(("calendar_free_busy_zones_no_color", no_color));

    let mut s = m.clone();
    let fx = update(&mut s, Action::Intent(Intent::FindTime));
    let Some(Effect::Suggest { job, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    // Nov 30, or Dec 1 for day 1.
    let at = |d: u32, h: u32| {
        let month = if d == 1 { 12 } else { 11 };
        chrono::Utc
            .with_ymd_and_hms(2026, month, d, h, 0, 0)
            .unwrap()
    };
    let item = |d: u32, h: u32, confidence: f64, alex: Availability| Suggestion {
        start: at(d, h),
        end: at(d, h) + chrono::Duration::minutes(30),
        confidence,
        organizer: Availability::Free,
        attendees: vec![
            ("megan@contoso.com".into(), Availability::Free),
            ("alex@contoso.com".into(), alex),
        ],
        reason: None,
    };
    let found = Suggestions {
        items: vec![
            item(30, 9, 100.0, Availability::Free),
            item(30, 13, 100.0, Availability::Free),
            item(1, 8, 66.0, Availability::Busy),
        ],
        ..Suggestions::default()
    };
    let mut zoned = s.clone();
    update(
        &mut s,
        Action::Suggested {
            job: *job,
            result: Ok(crate::services::zones::ZonedSuggestions::from(
                found.clone(),
            )),
        },
    );
    update(&mut s, Action::Intent(Intent::ScrollDown));
    out.push(("calendar_suggestions", s));
    // Each invitee's clock under each time: Megan in Tokyo, Alex in New York, both with a
    // 09:00–17:00 day; 14:00 UTC is 23:00 in Tokyo, outside hers, and 09:00 in New York,
    // inside his.
    let person = |who: &str, zone: &str| crate::calendar::hours::PersonHours {
        who: who.into(),
        hours: hours(zone),
    };
    update(
        &mut zoned,
        Action::Suggested {
            job: *job,
            result: Ok(crate::services::zones::ZonedSuggestions {
                attendees: vec![
                    person("megan@contoso.com", "Asia/Tokyo"),
                    person("alex@contoso.com", "America/New_York"),
                ],
                ..Suggestions {
                    items: vec![
                        item(30, 9, 100.0, Availability::Free),
                        item(30, 14, 100.0, Availability::Free),
                        item(1, 1, 66.0, Availability::Busy),
                    ],
                    ..Suggestions::default()
                }
                .into()
            }),
        },
    );
    update(&mut zoned, Action::Intent(Intent::ScrollDown));
    out.push(("calendar_suggestions_zones", zoned));

    let mut c = calendar_form();
    update(&mut c, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut c, "meg");
    let now = c.now;
    update(&mut c, Action::Clock { ms: 10_000, now });
    let fx = update(&mut c, Action::Timer);
    let Some(Effect::FindPeople { id, .. }) =
        fx.iter().find(|e| matches!(e, Effect::FindPeople { .. }))
    else {
        panic!("{fx:?}");
    };
    update(
        &mut c,
        Action::People {
            id: *id,
            result: Ok(vec![
                PersonMatch {
                    name: "Megan Bowen".into(),
                    address: "MeganB@contoso.com".into(),
                    external: false,
                    from: Source::People,
                },
                PersonMatch {
                    name: "Meghan Reyes".into(),
                    address: "meghan@fabrikam.com".into(),
                    external: true,
                    from: Source::Directory,
                },
            ]),
            source: Source::People,
        },
    );
    update(&mut c, Action::Intent(Intent::ScrollDown));
    out.push(("calendar_completion", c));

    let mut r = calendar_form();
    let fx = update(&mut r, Action::Intent(Intent::Submit));
    let Some(Effect::CreateEvent { job, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    update(
        &mut r,
        Action::EventCreated {
            job: *job,
            result: Box::new(ResultView {
                event_link: Some(
                    "https://outlook.office365.com/owa/?itemid=AAMkAGI2&exvsurl=1&path=/calendar/item"
                        .into(),
                ),
                ..ResultView::from_meeting(&meeting(), &Berlin, Some("de-DE"))
            }),
            outcome: crate::tui::app::calendar::EventOutcome {
                invited: 2,
                existed: false,
            },
            warnings: vec![],
        },
    );
    out.push(("calendar_result", r));
    out
}

pub(super) fn states() -> Vec<(&'static str, Model)> {
    let mut out = calendar_states();
    out.push(("empty_form", model(false)));

    let mut m = model(false);
    m.form.focus = Field::Options;
    m.form.options.set("lobby", "everyone").unwrap();
    m.form.options.set("e2ee", "on").unwrap();
    out.push(("options_folded", m.clone()));
    update(&mut m, Action::Intent(Intent::Activate));
    for _ in 0..4 {
        update(&mut m, Action::Intent(Intent::OptionDown));
    }
    out.push(("options_open", m));

    let mut m = model(false);
    type_text(&mut m, "Review");
    m.form.focus = Field::Attendees;
    type_text(&mut m, "ada@contoso.com:boss, bob");
    update(&mut m, Action::Intent(Intent::Submit));
    out.push(("attendees_invalid", m));

    let mut m = model(false);
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "25:99");
    update(&mut m, Action::Intent(Intent::Submit));
    out.push(("invalid_form", m));

    let mut m = model(true);
    type_text(&mut m, "Weekly sync");
    update(&mut m, Action::Intent(Intent::Submit));
    out.push(("in_flight", m.clone()));
    update(
        &mut m,
        Action::Waiting {
            job: 1,
            status: 429,
            attempt: 1,
            delay_ms: 3000,
        },
    );
    out.push(("throttled", m.clone()));

    let mut r = m.clone();
    let view = ResultView::from_meeting(&meeting(), &Berlin, Some("de-DE"));
    update(
        &mut r,
        Action::Created {
            job: 1,
            result: Box::new(view),
        },
    );
    out.push(("result", r.clone()));

    // A join link as long as real ones (the Graph docs' sample): a code about 65 cells wide.
    let mut q = r;
    let mut long = meeting();
    long.join_web_url = Some(
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_M2IzYzczNTItYmY3OC00MDlmLWJjMzUtYmFiMjNlOTY4MGEz%40thread.skype/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22550fae72-d251-43ec-868c-373732c2704f%22%7d".into(),
    );
    q.result = Some(ResultView::from_meeting(&long, &Berlin, Some("de-DE")));
    update(&mut q, Action::Intent(Intent::ToggleQr));
    assert!(q.show_qr());
    out.push(("qr", q));

    let e = GraphError::from_response(
        403,
        br#"{"error":{"code":"Forbidden","message":"Application is not allowed to perform operations on the user","innerError":{"request-id":"9f2b-rid","date":"2026-11-27T09:08:00"}}}"#,
        None,
        None,
    );
    let mut f = m.clone();
    update(
        &mut f,
        Action::Failed {
            job: 1,
            error: ErrorView::from_graph(&e),
        },
    );
    out.push(("error", f));

    let mut h = model(false);
    update(&mut h, Action::Intent(Intent::Help));
    out.push(("help", h));

    let mut h = model(true);
    update(&mut h, Action::Intent(Intent::Help));
    out.push(("help_demo", h));

    let mut s = model(true);
    update(&mut s, Action::SignInNeeded);
    let job = s.signin.job.unwrap();
    update(
        &mut s,
        Action::SignInPrompt {
            job,
            prompt: SignInPrompt {
                user_code: "DEMO-1234".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                message: "To sign in, use a web browser…".into(),
                expires_in_secs: 900,
            },
        },
    );
    out.push(("sign_in", s));

    // A start a sign-in cannot mend: said as itself, with no retry on offer.
    let mut f = model(false).checking_sign_in();
    update(
        &mut f,
        Action::StartFailed {
            error: "app-only sign-in (a client secret is set) cannot use /me: pass --user".into(),
            retry: false,
        },
    );
    out.push(("start_failed", f));

    // Looking at the saved sign-in: no code is being asked for yet.
    out.push(("checking", model(false).checking_sign_in()));

    out.extend(agenda_states());

    // My meetings: the second row selected; one deleted, one changed elsewhere.
    let mut l = model(false);
    update(&mut l, Action::Intent(Intent::MyMeetings));
    let job = l.meetings.job.unwrap();
    show_rows(&mut l, job, meeting_rows());
    update(&mut l, Action::Intent(Intent::ScrollDown));
    out.push(("meetings", l.clone()));
    let mut d = l.clone();
    update(&mut d, Action::Intent(Intent::Delete));
    out.push(("meetings_delete", d));
    let mut c = l.clone();
    let mut e = l;
    update(&mut e, Action::Intent(Intent::Edit));
    out.push(("meetings_edit_reading", e.clone()));
    let job = e.meetings.job.unwrap();
    let row = &e.meetings.rows[e.meetings.selected];
    let mut options = crate::meeting::options::MeetingOptions::new();
    options.set("lobby", "organization").unwrap();
    let was = crate::services::online_meeting::Existing {
        subject: row.subject.clone(),
        start: row.start,
        end: row.end,
        passcode: Some(true),
        attendees: vec![crate::meeting::attendees::Attendee {
            who: "ada@contoso.com".into(),
            role: crate::meeting::attendees::Role::Presenter,
        }],
        options,
    };
    let id = row.id;
    update(
        &mut e,
        Action::Meetings(MeetingsAction::EditReady {
            job,
            id,
            was: Box::new(was),
        }),
    );
    out.push(("meetings_edit", e));
    // A calendar meeting: the form in calendar mode, what the edit does not send marked.
    update(&mut c, Action::Intent(Intent::Edit));
    let job = c.meetings.job.unwrap();
    let row = &c.meetings.rows[c.meetings.selected];
    let mut invitation = crate::calendar::invitation_fields::InvitationFields::default();
    invitation.set("show-as", "busy").unwrap();
    invitation.set("categories", "Blue category").unwrap();
    let was = crate::services::event_edit::EventWas {
        subject: row.subject.clone(),
        start: row.start,
        end: row.end,
        invitees: crate::calendar::parse_invitees("megan@contoso.com, alex@contoso.com:optional")
            .unwrap(),
        invitation,
        location: Some("Room 4".into()),
        message: Some("Agenda: the new design".into()),
        ..Default::default()
    };
    let id = row.id;
    update(
        &mut c,
        Action::Meetings(MeetingsAction::EventEditReady {
            job,
            id,
            was: Box::new(was),
            series: None,
        }),
    );
    out.push(("meetings_edit_calendar", c));
    let mut n = model(true);
    update(&mut n, Action::Intent(Intent::MyMeetings));
    let job = n.meetings.job.unwrap();
    show_rows(&mut n, job, Vec::new());
    out.push(("meetings_empty", n));
    out.push(("consent_status", consent_status()));
    out
}

/// Editing one meeting of a series: Repeats shows the rule, marked, and no preview of
/// dates that the edit would not make.
#[test]
fn a_series_edit_shows_the_rule_without_a_preview() {
    let mut m = model(true);
    update(&mut m, Action::Intent(Intent::MyMeetings));
    let job = m.meetings.job.unwrap();
    let rows = vec![crate::tui::app::MeetingRow {
        id: 4,
        subject: "Stand-up · weekly on wed for 6".into(),
        when: "2026-12-02 10:00".into(),
        kind: "event",
        mark: "",
        start: Some(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()),
        end: Some(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 15, 0).unwrap()),
        answers: None,
        next_of_series: Some("Wed 2 Dec".into()),
    }];
    show_rows(&mut m, job, rows);
    update(&mut m, Action::Intent(Intent::Edit));
    update(
        &mut m,
        Action::Intent(Intent::EditPart(crate::tui::keymap::SeriesPart::Next)),
    );
    let job = m.meetings.job.unwrap();
    let (start, end) = (m.meetings.rows[0].start, m.meetings.rows[0].end);
    let was = crate::services::event_edit::EventWas {
        subject: "Stand-up".into(),
        start,
        end,
        invitees: crate::calendar::parse_invitees("megan@contoso.com").unwrap(),
        ..Default::default()
    };
    update(
        &mut m,
        Action::Meetings(MeetingsAction::EventEditReady {
            job,
            id: 4,
            was: Box::new(was),
            series: Some(crate::tui::app::SeriesEdit {
                part: crate::tui::keymap::SeriesPart::Next,
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
                words: "weekly on wed for 6".into(),
            }),
        }),
    );
    let t = draw(&m, 100, 30);
    let repeats = (0..30)
        .map(|y| row(&t, y))
        .find(|l| l.trim_start().starts_with("Repeats"))
        .unwrap();
    assert!(
        repeats.contains("weekly on wed for 6  (set at creation)"),
        "{repeats}"
    );
    assert!(find(&t, "Wed 9 Dec").is_none(), "no preview of dates");
    assert!(find(&t, "Editing the meeting of Wed 2 Dec").is_some());
}

/// My meetings as the worker's first answer for `job` draws it.
fn show_rows(m: &mut Model, job: u64, rows: Vec<MeetingRow>) {
    update(
        m,
        Action::Meetings(MeetingsAction::Loaded {
            job,
            rows,
            note: None,
        }),
    );
}

/// A create refused for a permission: the status (longer than 100 columns) names the key
/// that grants it.
fn consent_status() -> Model {
    let mut m = model(false);
    type_text(&mut m, "People");
    m.form.focus = Field::Attendees;
    type_text(&mut m, "adele@contoso.com");
    update(&mut m, Action::Intent(Intent::Submit));
    update(
        &mut m,
        Action::ConsentNeeded {
            job: 1,
            feature: crate::permissions::Feature::Attendees,
        },
    );
    m
}

/// The text of row `y`, trailing blanks cut.
fn row(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    let text: String = (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect();
    text.trim_end().to_string()
}

/// A status too long for its row wraps onto the empty row above; where the screen has no
/// such row it is cut between words with an ellipsis, the key it names first and whole.
#[test]
fn a_long_status_wraps_or_is_cut_between_words_and_keeps_its_key() {
    let m = consent_status();
    let text = m.status.clone().unwrap().text;
    assert!(text.len() > 100 && text.contains("Press Ctrl+S"), "{text}");
    let t = draw(&m, 100, 30);
    insta::assert_snapshot!("consent_status_100x30", t.backend());
    assert_eq!(
        format!("{} {}", row(&t, 27), row(&t, 28)),
        text,
        "whole, over the two rows above the footer"
    );
    // No empty row to spare: one row, cut between words after the key; where the key
    // would be cut, its sentence goes first.
    let t = draw(&m, 100, 12);
    insta::assert_snapshot!("consent_status_100x12", t.backend());
    let status = row(&t, 10);
    assert!(
        status.contains("Press Ctrl+S") && status.ends_with('…'),
        "{status}"
    );
    let t = draw(&m, 40, 12);
    assert!(!row(&t, 9).is_empty(), "the form keeps its rows");
    for w in [40u16, 60, 80] {
        let t = draw(&m, w, 12);
        let status = row(&t, 10);
        assert!(
            status.contains("Ctrl+S") && status.ends_with('…'),
            "{w}: {status}"
        );
    }
}

/// The QR code's caption is on the status line while the code is, and goes with it.
#[test]
fn the_qr_caption_follows_the_code() {
    let states = states();
    let mut m = states.iter().find(|(n, _)| *n == "qr").unwrap().1.clone();
    assert!(find(&draw(&m, 100, 40), "Scan the code").is_some());
    update(&mut m, Action::Intent(Intent::Back));
    assert!(!m.show_qr());
    assert!(find(&draw(&m, 100, 40), "Scan the code").is_none());
    update(&mut m, Action::Intent(Intent::ToggleQr));
    update(&mut m, Action::Intent(Intent::NewMeeting));
    assert!(find(&draw(&m, 100, 40), "Scan the code").is_none());
}

fn meeting_rows() -> Vec<MeetingRow> {
    let at = |d: u32, h: u32| chrono::Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).single();
    let row = |id, subject: &str, d, mark| MeetingRow {
        id,
        subject: subject.into(),
        when: format!("2026-12-{d:02} {:02}:00", 10),
        kind: "standalone",
        mark,
        start: at(d, 9),
        end: at(d, 10),
        answers: None,
        next_of_series: None,
    };
    let mut review = row(3, "Design review", 1, "");
    review.kind = "event";
    review.answers = Some("2/3 accepted, 1 declined".into());
    vec![
        review,
        row(1, "Weekly sync with the platform team and guests", 2, ""),
        row(7, "Old plan", 3, "[deleted] "),
        row(4, "Retro", 4, "[changed elsewhere] "),
    ]
}

#[test]
fn snapshots() {
    for (name, m) in states() {
        for (w, h) in [(80, 24), (40, 12)] {
            let t = draw(&m, w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn every_size_keeps_the_demo_label_and_the_cursor_inside() {
    let states = states();
    for w in (1..=300)
        .step_by(23)
        .chain([1, 2, 3, 10, 39, 40, 41, 80, 300])
    {
        for h in (1..=100).step_by(11).chain([1, 2, 3, 4, 12, 24, 100]) {
            for (name, m) in &states {
                let mut t = draw(m, w, h);
                // " DEMO " needs six cells; from there on, no size may hide it.
                if m.demo && w >= 6 {
                    assert!(find(&t, "DEMO").is_some(), "{name} at {w}x{h}: no DEMO");
                }
                let pos = t.get_cursor_position().unwrap();
                assert!(
                    pos.x < w && pos.y < h,
                    "{name} at {w}x{h}: cursor at {pos:?}, outside the screen"
                );
            }
        }
    }
}

fn find(t: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        let row: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(i) = row.find(needle) {
            let x = row[..i].chars().count() as u16;
            return Some((x, y));
        }
    }
    None
}

#[test]
fn errors_are_red_and_focus_is_cyan_bold() {
    let states = states();
    let invalid = &states.iter().find(|(n, _)| *n == "invalid_form").unwrap().1;
    let t = draw(invalid, 80, 24);
    let (x, y) = find(&t, "✗ '25:99'").expect("inline error shown");
    let cell = &t.backend().buffer()[(x, y)];
    assert_eq!(cell.fg, Color::Red);
    // Focus went to the first bad field (Subject, empty) and is marked.
    let (x, y) = find(&t, "› Subject").unwrap();
    let cell = &t.backend().buffer()[(x + 2, y)];
    assert_eq!(cell.fg, Color::Cyan);
    assert!(cell.modifier.contains(Modifier::BOLD));
    let (x, y) = find(&t, "  Start").unwrap();
    assert_ne!(
        t.backend().buffer()[(x + 2, y)].fg,
        Color::Cyan,
        "only one focus"
    );

    let err = &states.iter().find(|(n, _)| *n == "error").unwrap().1;
    let t = draw(err, 80, 24);
    let (x, y) = find(&t, "HTTP 403 Forbidden").unwrap();
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Red);
    assert!(find(&t, "request-id: 9f2b-rid").is_some());
}

#[test]
fn cursor_sits_in_the_focused_field() {
    let mut m = model(false);
    type_text(&mut m, "Sync");
    let mut t = draw(&m, 80, 24);
    let (x, y) = find(&t, "› Subject").unwrap();
    let pos = t.get_cursor_position().unwrap();
    assert_eq!((pos.x, pos.y), (x + 12 + 4, y));
}

#[test]
fn demo_banner_is_always_visible() {
    for (name, m) in states().into_iter().filter(|(_, m)| m.demo) {
        for w in [20, 40, 80, 200] {
            let t = draw(&m, w, 12);
            let (x, y) = find(&t, "DEMO").unwrap_or_else(|| panic!("{name} at {w}"));
            assert_eq!(y, 0);
            // NO_COLOR draws no colour; the banner is still there, in reverse video.
            if m.no_color {
                continue;
            }
            assert_eq!(t.backend().buffer()[(x, y)].bg, Color::Yellow);
        }
    }
}

#[test]
fn footer_and_help_come_from_the_key_table() {
    let states = states();
    let t = draw(&states[0].1, 80, 24);
    assert!(find(&t, "Ctrl+S create").is_some());
    let r = &states.iter().find(|(n, _)| *n == "result").unwrap().1;
    let t = draw(r, 100, 30);
    assert!(find(&t, "y link").is_some());
    let mut h = states.iter().find(|(n, _)| *n == "help").unwrap().1.clone();
    // The help is longer than one screen: look at every scroll position.
    let pages: Vec<_> = (0..20)
        .map(|_| {
            let t = draw(&h, 100, 40);
            for _ in 0..10 {
                update(&mut h, Action::Intent(Intent::ScrollDown));
            }
            t
        })
        .collect();
    for b in crate::tui::keymap::BINDINGS {
        assert!(
            pages.iter().any(|t| find(t, b.help).is_some()),
            "help lacks {}",
            b.help
        );
    }
}

#[test]
fn result_scrolled_to_the_end_shows_the_last_row_on_the_last_body_row() {
    let rows_of = |t: &Terminal<TestBackend>, from: u16, to: u16| -> Vec<String> {
        let buf = t.backend().buffer();
        (from..to)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect()
    };
    let states = states();
    let base = &states.iter().find(|(n, _)| *n == "result").unwrap().1;
    for (w, h) in [(80u16, 12u16), (40, 12), (33, 10), (100, 8)] {
        // The whole pane, drawn in a window tall enough to need no scrolling.
        let content = super::result_rows(base, w) as u16;
        let full = draw(base, w, content + super::CHROME_ROWS);
        let all = rows_of(&full, 1, 1 + content);
        assert!(!all.last().unwrap().trim().is_empty(), "{w}: no blank tail");

        let mut m = base.clone();
        update(
            &mut m,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        update(
            &mut m,
            Action::Measured {
                result_rows: usize::from(content),
            },
        );
        for _ in 0..100 {
            update(&mut m, Action::Intent(Intent::ScrollDown));
        }
        let body = h - super::CHROME_ROWS;
        assert_eq!(m.result_scroll, content - body, "{w}x{h}");
        let shown = rows_of(&draw(&m, w, h), 1, 1 + body);
        assert_eq!(
            shown,
            all[all.len() - usize::from(body)..],
            "{w}x{h}: the last rows, the very last on the body's last row"
        );
    }
}

#[test]
fn the_qr_code_is_drawn_whole_dark_on_light_or_not_at_all() {
    let states = states();
    let m = &states.iter().find(|(n, _)| *n == "qr").unwrap().1;
    let qr = m.result.as_ref().unwrap().qr.clone().unwrap();
    let first = qr.lines().next().unwrap();
    let t = draw(m, 100, 40);
    insta::assert_snapshot!("qr_100x40", t.backend());
    // The quiet zone's rows are blank; the third row carries the finder patterns' tops.
    let (x, y) = find(&t, qr.lines().nth(2).unwrap()).expect("the code's third row");
    let y = y - 2;
    let rows = u16::try_from(qr.lines().count()).unwrap();
    assert_eq!(y, 1 + (37 - rows) / 2, "centred in the 37 rows of the body");
    assert!(
        find(&t, "Scan the code with a phone").is_some(),
        "the caption"
    );
    let buf = t.backend().buffer();
    for (dy, line) in qr.lines().enumerate() {
        for (dx, c) in line.chars().enumerate() {
            let cell = &buf[(x + dx as u16, y + dy as u16)];
            assert_eq!(cell.symbol(), c.to_string());
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Indexed(16), Color::Indexed(231)),
                "black ink on white whatever the theme"
            );
        }
    }
    let t = draw(m, 80, 24);
    assert!(
        find(&t, "▀").is_none() && find(&t, "▄").is_none(),
        "no cut-off code"
    );
    let (w, h) = (first.chars().count(), qr.lines().count() + 3);
    assert!(
        find(&t, &format!("needs a window of at least {w}×{h}")).is_some(),
        "the size it needs"
    );
    assert!(find(&t, "this one is 80×24").is_some());
    assert!(
        find(&t, "Esc back").is_some(),
        "the footer says how to leave"
    );
}

#[test]
fn wrap_splits_words_and_long_tokens() {
    assert_eq!(super::wrap("a bb ccc", 4), ["a bb", "ccc"]);
    assert_eq!(super::wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    assert_eq!(super::wrap("", 3), [""]);
    assert_eq!(super::wrap("会議を作成", 4), ["会議", "を作", "成"]);
    assert_eq!(super::wrap("会 議", 1), ["会", "議"]);
}

#[test]
fn a_past_start_shows_a_yellow_warning_and_a_huge_paste_a_short_error() {
    let mut m = model(false);
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "2026-11-27 08:00");
    let t = draw(&m, 80, 24);
    let (x, y) = find(&t, "! this start is in the past").expect("warning shown");
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Yellow);
    assert!(find(&t, "✗").is_none(), "a warning, not an error");

    // A 20,000-character paste: one short error line, and the fields below stay on screen.
    // (Set directly: typing it key by key only measures tui-input.)
    m.form.start = tui_input::Input::new("2026-11-27 14:00 ".repeat(1200));
    let t = draw(&m, 80, 24);
    let (_, y) = find(&t, "✗ longer than 100 characters").expect("short error");
    assert!(find(&t, "Language").is_some_and(|(_, ly)| ly <= y + 4));
    assert!(find(&t, "[ Create meeting ]").is_some());
}

#[test]
fn a_typed_subject_is_shown_as_it_will_be_sent() {
    let mut m = model(false);
    type_text(&mut m, "Pay\u{200B}roll \u{202E}gpj.exe\u{2066}");
    let t = draw(&m, 80, 24);
    let buf = t.backend().buffer();
    let screen: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(find(&t, "Payroll gpj.exe").is_some(), "{screen}");
    assert!(
        !screen.contains(['\u{200B}', '\u{202E}', '\u{2066}']),
        "nothing invisible reaches the terminal"
    );
    let request = m.form.check(&m.now).request().unwrap().unwrap();
    assert_eq!(
        request.subject(),
        "Payroll gpj.exe",
        "the wire gets what was shown"
    );
}

#[test]
fn the_question_before_a_possible_duplicate_is_on_screen() {
    let mut m = model(false);
    type_text(&mut m, "Weekly sync");
    update(&mut m, Action::Intent(Intent::Submit));
    let e = GraphError::new(
        crate::graph::error::ErrorKind::OutcomeUnknown,
        "the request was sent but no answer came back (connection lost)",
    );
    update(
        &mut m,
        Action::Failed {
            job: 1,
            error: ErrorView::from_graph(&e),
        },
    );
    let t = draw(&m, 80, 24);
    assert!(find(&t, "Outcome unknown: the meeting MAY have been created").is_some());
    assert!(find(&t, "may have been created. Ctrl+S asks").is_some());
    assert!(find(&t, "not created").is_none(), "one story, not two");
    update(&mut m, Action::Intent(Intent::Submit));
    let t = draw(&m, 80, 24);
    let (_, y) = find(&t, "The first one may exist. Create another? y/N").unwrap();
    assert_eq!(y, 22, "on the status line");
    let (x, _) = find(&t, "y create another").unwrap();
    assert_eq!(x, 0, "first in the footer");
    assert!(find(&t, "n no").is_some());
    assert!(
        find(&t, "Ctrl+S create").is_none(),
        "the form's keys are not offered"
    );
}

#[test]
fn the_locale_decides_the_charset_as_the_c_library_does() {
    use super::Charset::{self, Ascii, Unicode};
    let c = |all: Option<&str>, ctype: Option<&str>, lang: Option<&str>| {
        let s = |v: Option<&str>| v.map(str::to_string);
        Charset::from_locale(s(all), s(ctype), s(lang))
    };
    assert_eq!(c(None, None, Some("en_US.UTF-8")), Unicode);
    assert_eq!(c(None, None, Some("de_DE.utf8")), Unicode);
    assert_eq!(c(None, None, Some("C")), Ascii);
    assert_eq!(
        c(None, None, None),
        Ascii,
        "no locale at all is the C locale"
    );
    assert_eq!(
        c(Some("C"), None, Some("en_US.UTF-8")),
        Ascii,
        "LC_ALL wins"
    );
    assert_eq!(
        c(None, Some("C.UTF-8"), Some("C")),
        Unicode,
        "LC_CTYPE before LANG"
    );
    assert_eq!(
        c(Some(""), Some("POSIX"), Some("en_US.UTF-8")),
        Ascii,
        "empty is unset"
    );
    assert_eq!(c(None, None, Some("en_US.ISO-8859-1")), Ascii);
}

#[test]
fn without_utf8_every_screen_is_ascii_and_the_qr_code_explains_itself() {
    for (name, m) in states() {
        for (w, h) in [(80, 24), (100, 40)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| super::render_in(f, &m, super::Charset::Ascii))
                .unwrap();
            let text = t.backend().to_string();
            assert!(text.is_ascii(), "{name} {w}x{h}: non-ASCII in\n{text}");
            if name == "qr" {
                assert!(find(&t, "needs a UTF-8 terminal").is_some(), "{text}");
            }
        }
    }
    // The glyphs keep their meaning: the focus marker and a spinner frame.
    let m = model(false);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| super::render_in(f, &m, super::Charset::Ascii))
        .unwrap();
    assert!(find(&t, "> Subject").is_some());
}

/// The mode switch's ‹ › came out as `? Standalone link >` under LC_ALL=C: every symbol
/// the screens' code writes (any string in src/tui) has an ASCII stand-in. Letters are
/// exempt: a subject in Japanese has none, and shows as `?`.
#[test]
fn every_symbol_the_code_writes_has_an_ascii_stand_in() {
    fn scan(dir: &std::path::Path, missing: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "snapshots" {
                    scan(&path, missing);
                }
                continue;
            }
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            let code = src.split("#[cfg(test)]").next().unwrap_or("");
            for lit in crate::tui::keymap::tests::literals(code) {
                for c in lit.chars().filter(|c| !c.is_ascii() && !c.is_alphabetic()) {
                    if super::ascii_for(c) == '?' {
                        missing.push(format!("{c:?} in {}: {lit:?}", path.display()));
                    }
                }
            }
        }
    }
    let mut missing = Vec::new();
    scan(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"),
        &mut missing,
    );
    assert!(
        missing.is_empty(),
        "add these to ascii_for:\n{}",
        missing.join("\n")
    );
    // The switch itself, drawn in ASCII.
    let mut m = model(false);
    m.form.focus = Field::Mode;
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| super::render_in(f, &m, super::Charset::Ascii))
        .unwrap();
    assert!(find(&t, "< Standalone link >").is_some());
}

#[test]
fn links_on_screen_are_whole_or_visibly_cut_never_wrapped() {
    use crate::meeting::invitation::is_link;
    let states = states();
    let base = &states.iter().find(|(n, _)| *n == "result").unwrap().1;
    let m = meeting();
    let known = [
        m.join_web_url.clone().unwrap(),
        m.audio_conferencing.unwrap().dialin_url.unwrap(),
        "https://teams.microsoft.com/l/meetup-join/x".to_string(),
    ];
    for w in [40u16, 60, 80, 120] {
        let rows = super::result_rows(base, w) as u16;
        let t = draw(base, w, rows + super::CHROME_ROWS);
        let buf = t.backend().buffer();
        let mut seen = 0;
        for y in 1..=rows {
            let row: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            for word in row.split_whitespace().filter(|w| is_link(w)) {
                seen += 1;
                let whole = known.iter().any(|k| k == word);
                let cut = word
                    .strip_suffix('…')
                    .is_some_and(|head| known.iter().any(|k| k.starts_with(head)));
                assert!(
                    whole || cut,
                    "{w} columns: {word:?} is a link cut in two:\n{row}"
                );
            }
        }
        assert!(seen >= 3, "{w} columns: the links are on screen");
    }
}

/// Issue 10: `"conferenceId": "2999#"` and only `tollNumbers`: the pane shows the first
/// number with the copy key on it and the conference ID with one `#`, as copies do.
#[test]
fn the_pane_shows_dial_in_as_the_card_formats_it() {
    use crate::graph::model::AudioConferencing;
    let mut m = model(false);
    type_text(&mut m, "Weekly sync");
    update(&mut m, Action::Intent(Intent::Submit));
    let mut meeting = meeting();
    meeting.audio_conferencing = Some(AudioConferencing {
        conference_id: Some("2999#".into()),
        toll_numbers: Some(vec!["+12525780000".into(), "+442075550100".into()]),
        ..Default::default()
    });
    let view = ResultView::from_meeting(&meeting, &Berlin, Some("de-DE"));
    update(
        &mut m,
        Action::Created {
            job: 1,
            result: Box::new(view),
        },
    );
    let t = draw(&m, 100, 40);
    assert!(find(&t, "Phone       +12525780000").is_some(), "{t:?}");
    assert!(find(&t, "Conf. ID    2999#").is_some(), "{t:?}");
    assert!(find(&t, "2999##").is_none(), "{t:?}");
}

#[test]
fn my_meetings_marks_the_selected_row_to_the_edge_and_dims_the_gone() {
    let states = states();
    let m = &states.iter().find(|(n, _)| *n == "meetings").unwrap().1;
    for (w, h) in [(80, 24), (40, 12)] {
        let t = draw(m, w, h);
        let buf = t.backend().buffer();
        let (_, y) = find(&t, "Weekly sync").unwrap();
        for x in [0, w - 1] {
            assert!(
                buf[(x, y)].modifier.contains(Modifier::REVERSED),
                "{w}x{h}: the selected row is not a bar at x={x}"
            );
        }
        let (x, y) = find(&t, "Design review").unwrap();
        assert!(!buf[(x, y)].modifier.contains(Modifier::REVERSED));
        let (x, y) = find(&t, "[deleted]").unwrap();
        assert_eq!(buf[(x, y)].fg, Color::DarkGray, "{w}x{h}");
    }
}

#[test]
fn my_meetings_scrolls_to_keep_the_selected_row_in_sight() {
    let mut m = model(false);
    update(&mut m, Action::Intent(Intent::MyMeetings));
    let job = m.meetings.job.unwrap();
    let rows = (1..=30)
        .map(|i| MeetingRow {
            id: i,
            subject: format!("Meeting number {i}"),
            when: "2026-12-01 10:00".into(),
            kind: "standalone",
            mark: "",
            start: None,
            end: None,
            answers: None,
            next_of_series: None,
        })
        .collect();
    show_rows(&mut m, job, rows);
    for _ in 0..20 {
        update(&mut m, Action::Intent(Intent::ScrollDown));
    }
    let t = draw(&m, 40, 12);
    let (_, y) = find(&t, "Meeting number 21").expect("the selected row is on screen");
    assert!(
        t.backend().buffer()[(0, y)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    assert!(
        find(&t, "Meeting number 1 ").is_none(),
        "scrolled past the top"
    );
}

/// Issue 11: what the tenant changed is on the result pane, in the warning colour, before
/// the facts to share.
#[test]
fn the_result_pane_shows_what_the_tenant_changed() {
    let mut m = model(false);
    type_text(&mut m, "Weekly sync");
    update(&mut m, Action::Intent(Intent::Submit));
    let mut view = ResultView::from_meeting(&meeting(), &Berlin, Some("de-DE"));
    view.tenant_changed = vec![
        "tenant changed: lobby: asked everyone, tenant set people in my org and guests".into(),
        "tenant changed: recording: asked on, tenant set off".into(),
    ];
    update(
        &mut m,
        Action::Created {
            job: 1,
            result: Box::new(view),
        },
    );
    for (w, h) in [(80, 24), (40, 12)] {
        let t = draw(&m, w, h);
        insta::assert_snapshot!(format!("result_tenant_changed_{w}x{h}"), t.backend());
    }
    let t = draw(&m, 80, 24);
    let (x, y) = find(&t, "Tenant changed: lobby: asked everyone").unwrap();
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Yellow);
}

/// Issue 14: however narrow, the result footer keeps how to get help and how to leave.
#[test]
fn the_result_footer_always_keeps_help_and_quit() {
    let r = states()
        .into_iter()
        .find(|(n, _)| *n == "result")
        .unwrap()
        .1;
    for w in [40, 60, 80, 100] {
        let t = draw(&r, w, 24);
        let last: String = (0..w)
            .map(|x| t.backend().buffer()[(x, 23)].symbol().to_string())
            .collect();
        assert!(
            last.contains("? help") && last.contains("q quit"),
            "{w}: {last}"
        );
    }
}

/// Issue 14: with NO_COLOR not one cell has a colour, and focus and errors still show, by
/// text and reverse video.
#[test]
fn no_color_draws_no_colour_and_keeps_focus_and_errors_readable() {
    let (_, mut m) = states()
        .into_iter()
        .find(|(n, _)| *n == "invalid_form")
        .unwrap();
    m.no_color = true;
    for (w, h) in [(80, 24), (40, 12)] {
        let t = draw(&m, w, h);
        let buf = t.backend().buffer();
        assert!(
            buf.content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "{w}x{h}: a cell has a colour"
        );
        insta::assert_snapshot!(format!("no_color_invalid_form_{w}x{h}"), t.backend());
        assert!(find(&t, "› Subject").is_some(), "focus marked by text");
        assert!(find(&t, "✗").is_some(), "errors marked by text");
    }
}

/// Issue 14: the light palette draws no colour that vanishes on a white background, on
/// every screen state the snapshots cover.
#[test]
fn the_light_palette_has_no_colour_that_vanishes_on_white() {
    for (name, mut m) in states() {
        m.light = true;
        for (w, h) in [(80, 24), (40, 12)] {
            let t = draw(&m, w, h);
            let bad = t
                .backend()
                .buffer()
                .content
                .iter()
                .filter(|c| c.bg == Color::Reset)
                .find(|c| matches!(c.fg, Color::Cyan | Color::Yellow | Color::Green));
            assert!(bad.is_none(), "{name} {w}x{h}: {bad:?}");
            if name == "invalid_form" || name == "result" {
                insta::assert_snapshot!(format!("light_{name}_{w}x{h}"), t.backend());
            }
        }
    }
}

/// The OSC 8 links in a drawn screen: (row, column, target, id, the cell's own symbol).
fn osc8_cells(t: &Terminal<TestBackend>) -> Vec<(u16, u16, String, String, String)> {
    let buf = t.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let symbol = buf[(x, y)].symbol();
            let Some(rest) = symbol.strip_prefix("\x1b]8;id=") else {
                assert!(
                    !symbol.contains('\x1b'),
                    "a stray escape at {x},{y}: {symbol:?}"
                );
                continue;
            };
            let (params, rest) = rest.split_once('\x1b').unwrap();
            let (id, target) = params.split_once(';').unwrap();
            let inner = rest
                .strip_prefix('\\')
                .and_then(|r| r.strip_suffix("\x1b]8;;\x1b\\"))
                .unwrap_or_else(|| panic!("{symbol:?} is not one whole link"));
            assert!(!inner.contains('\x1b'), "{symbol:?}");
            out.push((y, x, target.into(), id.into(), inner.into()));
        }
    }
    out
}

fn result_model() -> Model {
    states()
        .into_iter()
        .find(|(n, _)| *n == "result")
        .unwrap()
        .1
}

#[test]
fn a_wrapped_link_is_one_link_with_one_id_on_every_cell() {
    let mut m = result_model();
    let join = meeting().join_web_url.unwrap();
    assert!(osc8_cells(&draw(&m, 12, 40)).is_empty(), "off: no links");
    m.hyperlinks = true;
    // Links are cut to fit down to 16 columns; narrower than that they wrap.
    let t = draw(&m, 12, 40);
    let cells = osc8_cells(&t);
    let join_cells: Vec<_> = cells.iter().filter(|c| c.2 == join).collect();
    assert!(!join_cells.is_empty(), "the join link is a link");
    let id = &join_cells[0].3;
    let first_row = join_cells[0].0;
    // Its first occurrence (the Join link row), wrapped: one id over two rows.
    let row_cells: Vec<_> = join_cells.iter().filter(|c| &c.3 == id).collect();
    let rows: std::collections::BTreeSet<u16> = row_cells.iter().map(|c| c.0).collect();
    assert_eq!(rows.len(), 2, "wrapped over two rows: {rows:?}");
    assert!(rows.contains(&first_row));
    let shown: String = row_cells.iter().map(|c| c.4.as_str()).collect();
    assert_eq!(shown.chars().count(), 16, "{shown}");
    assert!(
        shown.ends_with('…') && join.starts_with(shown.trim_end_matches('…')),
        "the cut link's cells link the whole link: {shown}"
    );
    // The same link elsewhere (another occurrence) is another link.
    let cells = osc8_cells(&draw(&m, 100, 60));
    let ids: std::collections::BTreeSet<&String> = cells.iter().map(|c| &c.3).collect();
    assert!(
        ids.len() >= 3,
        "join link, dial-in page, invitation link: {ids:?}"
    );
    // The dial-in numbers page and the invitation's link are links too.
    let dialin = meeting().audio_conferencing.unwrap().dialin_url.unwrap();
    assert!(cells.iter().any(|c| c.2 == dialin), "{dialin}");
    assert!(
        cells
            .iter()
            .any(|c| c.2 == "https://teams.microsoft.com/l/meetup-join/x")
    );
    // Nothing else moved: without the sequences the screen is the one drawn without links.
    let plain = draw(&result_model(), 12, 40);
    let strip = |t: &Terminal<TestBackend>| -> Vec<String> {
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| {
                        let s = buf[(x, y)].symbol();
                        match s.strip_prefix("\x1b]8;") {
                            Some(r) => r
                                .split_once("\x1b\\")
                                .unwrap()
                                .1
                                .replace("\x1b]8;;\x1b\\", ""),
                            None => s.to_string(),
                        }
                    })
                    .collect()
            })
            .collect()
    };
    assert_eq!(strip(&t), strip(&plain));
}

#[test]
fn a_link_the_server_sent_unsafe_is_shown_plain_and_never_linked() {
    for join in [
        "https://teams.microsoft.com/l/meetup-join/\u{1b}]8;;https://evil.example/\u{7}x",
        "https://teams.microsoft.com/l/\u{9c}x",
        "http://teams.microsoft.com/l/meetup-join/x",
        "https://mallory:pw@teams.microsoft.com/l/x",
        "javascript:alert(1)//https://teams.microsoft.com/",
    ] {
        let mut bad = meeting();
        bad.join_web_url = Some(join.into());
        bad.join_information = None;
        if let Some(a) = bad.audio_conferencing.as_mut() {
            a.dialin_url = Some(format!("{join}/dialin"));
        }
        let mut m = result_model();
        m.hyperlinks = true;
        m.result = Some(ResultView::from_meeting(&bad, &Berlin, Some("de-DE")));
        let t = draw(&m, 100, 30);
        assert_eq!(osc8_cells(&t), Vec::new(), "{join:?}");
        let shown = crate::sanitize::line(join);
        let head: String = shown.chars().take(40).collect();
        assert!(find(&t, &head).is_some(), "{head} is still shown");
    }
}

/// An event of the Agenda as the worker reads it from the service's JSON.
fn agenda_event(
    id: &str,
    subject: &str,
    hours: (u32, u32),
    extra: serde_json::Value,
) -> crate::calendar::agenda::AgendaEvent {
    let mut v = serde_json::json!({
        "id": id,
        "subject": subject,
        "start": {"dateTime": format!("2026-11-27T{:02}:00:00", hours.0), "timeZone": "UTC"},
        "end": {"dateTime": format!("2026-11-27T{:02}:30:00", hours.1), "timeZone": "UTC"},
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness",
        "onlineMeeting": {"joinUrl": format!("https://teams.microsoft.com/l/meetup-join/{id}"),
                          "conferenceId": "941671132", "tollNumber": "+14255550142"},
        "organizer": {"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}},
        "responseStatus": {"response": "notResponded"},
        "allowNewTimeProposals": true,
        "responseRequested": true,
    });
    if let (Some(o), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    match crate::calendar::agenda::read_item(&v) {
        Some(crate::calendar::agenda::Item::Event(e)) => *e,
        other => panic!("{other:?}"),
    }
}

/// The Agenda: a colleague's invitation selected, mine with who is coming, one of a series;
/// the decline box over it; a colleague's card.
fn agenda_states() -> Vec<(&'static str, Model)> {
    use crate::services::agenda::Row;
    let zone = chrono_tz::Europe::Berlin;
    let events = [
        agenda_event(
            "e1",
            "Design sync",
            (9, 9),
            serde_json::json!({"location": {"displayName": "Room 1"}}),
        ),
        agenda_event(
            "e2",
            "Roadmap",
            (11, 11),
            serde_json::json!({"isOrganizer": true, "responseStatus": {"response": "organizer"},
                "attendees": [
                    {"type": "required", "emailAddress": {"name": "Alex Wilber", "address": "AlexW@contoso.com"}, "status": {"response": "accepted"}},
                    {"type": "required", "emailAddress": {"name": "Lee Gu", "address": "LeeG@contoso.com"}, "status": {"response": "tentativelyAccepted"},
                     "proposedNewTime": {"start": {"dateTime": "2026-11-30T09:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-11-30T09:30:00", "timeZone": "UTC"}}},
                    {"type": "optional", "emailAddress": {"name": "Nestor Wilke", "address": "NestorW@contoso.com"}, "status": {"response": "none"}}]}),
        ),
        agenda_event(
            "e3",
            "Weekly planning",
            (14, 14),
            serde_json::json!({"type": "occurrence", "seriesMasterId": "m1", "responseStatus": {"response": "accepted"}}),
        ),
    ];
    let rows: Vec<Row> = events
        .iter()
        .enumerate()
        .map(|(i, e)| Row {
            aref: Some(i64::try_from(i).unwrap() + 1),
            event: e.clone(),
        })
        .collect();
    let mut out = Vec::new();
    let mut m = model(false);
    update(&mut m, Action::Intent(Intent::Agenda));
    let job = m.agenda.job.unwrap();
    update(
        &mut m,
        Action::Agenda(AgendaAction::Loaded {
            job,
            rows: crate::tui::agenda_jobs::rows(&rows, &zone),
            freshness: Some("updated 10:07".into()),
            done: true,
        }),
    );
    out.push(("agenda", m.clone()));
    let mut d = m.clone();
    update(&mut d, Action::Intent(Intent::Decline));
    for c in "Out that day".chars() {
        update(&mut d, Action::Edit(tui_input::InputRequest::InsertChar(c)));
    }
    out.push(("agenda_decline", d));
    for (name, event) in [
        ("agenda_card_theirs", &events[0]),
        ("agenda_card_mine", &events[1]),
    ] {
        let mut c = m.clone();
        update(&mut c, Action::Intent(Intent::Activate));
        let job = c.agenda.job.unwrap();
        update(
            &mut c,
            Action::Agenda(AgendaAction::Opened {
                job,
                aref: 1,
                result: Box::new(event.card(&zone)),
            }),
        );
        out.push((name, c));
    }
    out
}
