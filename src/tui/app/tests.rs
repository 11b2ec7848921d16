//! `update` with plain values: no terminal, no runtime, no network.

use super::create::may_exist;
use super::*;
use crate::graph::GraphError;
use crate::graph::error::ErrorKind;
use crate::tui::keymap;
use crate::tui::view::CalendarFile;
use chrono::TimeZone;
use chrono_tz::Europe::Berlin;

/// Friday 27 Nov 2026, 10:07 in Berlin.
pub(crate) fn now() -> DateTime<Tz> {
    Berlin.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap()
}

pub(crate) fn model() -> Model {
    Model::new(
        now(),
        &Language::parse("de-DE").unwrap(),
        Options::default(),
    )
}

pub(crate) fn type_text(m: &mut Model, s: &str) {
    for c in s.chars() {
        update(m, Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn intent(m: &mut Model, i: Intent) -> Vec<Effect> {
    update(m, Action::Intent(i))
}

/// A filled, valid form submitted: returns the job id.
pub(crate) fn submitted(m: &mut Model) -> u64 {
    type_text(m, "Weekly sync");
    match intent(m, Intent::Submit).as_slice() {
        [Effect::Create { job, .. }] => *job,
        other => panic!("expected one Create effect, got {other:?}"),
    }
}

#[test]
fn defaults_come_from_clock_and_settings() {
    let m = model();
    assert_eq!(m.form.start.value(), "2026-11-27 10:30");
    assert_eq!(m.form.end.value(), "30m");
    assert_eq!(m.form.language.value(), "de-DE");
    assert!(!m.form.passcode);
    assert_eq!(m.form.focus, Field::Subject);
    let m2 = Model::new(
        now(),
        &Language::parse("ja").unwrap(),
        Options {
            passcode: true,
            demo: false,
        },
    );
    assert!(m2.form.passcode);
}

#[test]
fn focus_moves_and_wraps_both_ways() {
    let mut m = model();
    let order: Vec<Field> = (0..9)
        .map(|_| {
            intent(&mut m, Intent::NextField);
            m.form.focus
        })
        .collect();
    assert_eq!(
        order,
        [
            Field::Start,
            Field::End,
            Field::Passcode,
            Field::Language,
            Field::Mode,
            Field::Attendees,
            Field::Options,
            Field::Create,
            Field::Subject
        ]
    );
    intent(&mut m, Intent::PrevField);
    assert_eq!(m.form.focus, Field::Create);
}

#[test]
fn space_toggles_only_the_checkbox_and_typing_goes_to_the_focused_field() {
    let mut m = model();
    type_text(&mut m, "ab");
    intent(&mut m, Intent::Toggle);
    assert!(!m.form.passcode, "toggle outside the checkbox does nothing");
    assert_eq!(m.form.subject.value(), "ab");
    for _ in 0..3 {
        intent(&mut m, Intent::NextField);
    }
    assert_eq!(m.form.focus, Field::Passcode);
    intent(&mut m, Intent::Toggle);
    assert!(m.form.passcode);
    type_text(&mut m, "x");
    assert_eq!(
        m.form.subject.value(),
        "ab",
        "no field takes text on a checkbox"
    );
}

#[test]
fn submit_refuses_bad_input_and_focuses_the_first_bad_field() {
    let mut m = model();
    intent(&mut m, Intent::NextField);
    intent(&mut m, Intent::NextField);
    // End: clear and type garbage.
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "whenever");
    let fx = intent(&mut m, Intent::Submit);
    assert!(fx.is_empty());
    assert_eq!(
        m.form.focus,
        Field::Subject,
        "subject is empty and comes first"
    );
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    let c = m.form.check(&m.now);
    assert!(
        c.error(Field::Subject)
            .unwrap()
            .contains("subject is empty")
    );
    assert!(c.error(Field::End).unwrap().contains("not a time"));
    type_text(&mut m, "Sync");
    assert!(intent(&mut m, Intent::Submit).is_empty());
    assert_eq!(m.form.focus, Field::End);
}

#[test]
fn errors_show_only_for_touched_fields_until_submit() {
    let mut m = model();
    assert!(!m.form.shows_error(Field::Subject));
    intent(&mut m, Intent::NextField);
    assert!(
        m.form.shows_error(Field::Subject),
        "leaving a field touches it"
    );
    assert!(!m.form.shows_error(Field::Language));
    intent(&mut m, Intent::Submit);
    assert!(m.form.shows_error(Field::Language));
}

#[test]
fn submit_builds_the_request_from_the_form() {
    let mut m = model();
    type_text(&mut m, "Weekly sync");
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::Create { job, request }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(*job, 1);
    assert_eq!(request.subject(), "Weekly sync");
    assert_eq!(
        request.start().to_rfc3339(),
        "2026-11-27T10:30:00+01:00",
        "offset-aware, local zone"
    );
    assert_eq!(request.end().to_rfc3339(), "2026-11-27T11:00:00+01:00");
    assert_eq!(request.language().unwrap().as_str(), "de-DE");
    assert!(m.job().is_some() && m.needs_timer());
    // While in flight, submitting again does nothing and the form does not take text.
    assert!(intent(&mut m, Intent::Submit).is_empty());
    type_text(&mut m, "!");
    assert_eq!(m.form.subject.value(), "Weekly sync");
}

#[test]
fn enter_on_create_submits_and_enter_elsewhere_moves_on() {
    let mut m = model();
    type_text(&mut m, "x");
    assert!(intent(&mut m, Intent::Activate).is_empty());
    assert_eq!(m.form.focus, Field::Start);
    m.form.focus = Field::Create;
    assert!(matches!(
        intent(&mut m, Intent::Activate).as_slice(),
        [Effect::Create { .. }]
    ));
}

#[test]
fn language_completion_is_taken_with_right_or_enter() {
    let mut m = model();
    m.form.focus = Field::Language;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "zh");
    assert_eq!(m.form.language_completion(), Some("zh-CN"));
    intent(&mut m, Intent::Complete);
    assert_eq!(m.form.language.value(), "zh-CN");
    // Not at the end: → moves the cursor instead.
    update(&mut m, Action::Edit(InputRequest::GoToStart));
    intent(&mut m, Intent::Complete);
    assert_eq!(m.form.language.cursor(), 1);
    assert_eq!(m.form.language.value(), "zh-CN");
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "ja-");
    assert_eq!(m.form.language_completion(), Some("ja-JP"));
    intent(&mut m, Intent::Activate);
    assert_eq!(m.form.language.value(), "ja-JP");
    assert_eq!(m.form.focus, Field::Mode);
}

pub(crate) fn result_view() -> ResultView {
    ResultView {
        subject: "Weekly sync".into(),
        when: Some("Fri 27 Nov 10:30–11:00 CET, 30 min".into()),
        join_url: Some("https://teams.example/l/meetup-join/1".into()),
        meeting_id: Some("1234567890".into()),
        passcode: Some("123abc".into()),
        toll: None,
        toll_free: None,
        conference_id: None,
        dialin_url: None,
        language: Some("de-DE".into()),
        invitation: None,
        invitation_html: None,
        calendar: Some(CalendarFile {
            stem: "2026-11-27-weekly-sync".into(),
            text: "BEGIN:VCALENDAR\r\nSUMMARY:Weekly sync\r\nEND:VCALENDAR\r\n".into(),
        }),
        qr: Some("█▀▀█\n█▄▄█".into()),
        ..Default::default()
    }
}

/// On the result screen with `view`.
pub(crate) fn created(view: ResultView) -> Model {
    let mut m = model();
    let job = submitted(&mut m);
    update(
        &mut m,
        Action::Created {
            job,
            result: Box::new(view),
        },
    );
    assert_eq!(m.screen, Screen::Result);
    m
}

#[test]
fn created_shows_the_result_and_copy_keys_yield_effects() {
    let mut m = model();
    let job = submitted(&mut m);
    update(
        &mut m,
        Action::Created {
            job,
            result: Box::new(result_view()),
        },
    );
    assert_eq!(m.screen, Screen::Result);
    assert!(m.job().is_none() && !m.needs_timer());
    assert_eq!(
        intent(&mut m, Intent::Copy(CopyItem::JoinUrl)),
        [Effect::Copy {
            item: CopyItem::JoinUrl,
            text: "https://teams.example/l/meetup-join/1".into(),
            html: None,
        }]
    );
    // Nothing to copy: said so, no effect.
    assert!(intent(&mut m, Intent::Copy(CopyItem::DialIn)).is_empty());
    assert!(m.status.as_ref().unwrap().text.contains("no dial-in"));
    update(&mut m, Action::Copied(Err("copy failed: x".into())));
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    // Scrolling stops within the content.
    update(
        &mut m,
        Action::Resize {
            width: 80,
            height: 10,
        },
    );
    // As the runtime does before each frame: the renderer's row count, fed back.
    let result_rows = crate::tui::ui::result_rows(&m, 80);
    update(&mut m, Action::Measured { result_rows });
    for _ in 0..100 {
        intent(&mut m, Intent::ScrollDown);
    }
    let max = m.result_scroll;
    assert!(max > 0 && max < 20, "{max}");
    assert_eq!(max, m.max_result_scroll());
    intent(&mut m, Intent::PageUp);
    assert!(m.result_scroll < max);
    // New meeting keeps the values.
    intent(&mut m, Intent::NewMeeting);
    assert_eq!(m.screen, Screen::Form);
    assert_eq!(m.form.subject.value(), "Weekly sync");
    assert_eq!(intent(&mut m, Intent::Quit), [Effect::Quit]);
}

#[test]
fn stale_results_are_ignored() {
    let mut m = model();
    let first = submitted(&mut m);
    // Cancel, then submit again: the first job's answer must not land.
    assert_eq!(
        intent(&mut m, Intent::Back),
        [Effect::Cancel { job: first }]
    );
    assert!(m.job().is_none());
    // The cancelled create may exist: the same form asks first.
    assert!(intent(&mut m, Intent::Submit).is_empty());
    let second = match intent(&mut m, Intent::Confirm).as_slice() {
        [Effect::Create { job, .. }] => *job,
        other => panic!("{other:?}"),
    };
    assert_ne!(first, second);
    update(
        &mut m,
        Action::Created {
            job: first,
            result: Box::new(result_view()),
        },
    );
    assert_eq!(m.screen, Screen::Form, "stale success ignored");
    update(
        &mut m,
        Action::Failed {
            job: first,
            error: ErrorView::other("x", "y", None),
        },
    );
    assert!(m.error.is_none(), "stale failure ignored");
    update(
        &mut m,
        Action::Waiting {
            job: first,
            status: 429,
            attempt: 1,
            delay_ms: 5000,
        },
    );
    assert!(m.job().unwrap().wait.is_none());
    assert_eq!(m.job().unwrap().id, second);
}

#[test]
fn cancel_says_the_outcome_is_unknown() {
    let mut m = model();
    submitted(&mut m);
    intent(&mut m, Intent::Back);
    let s = m.status.clone().unwrap();
    assert!(s.text.contains("may have been created"), "{s:?}");
    assert!(m.unsure.is_some());
}

/// The job's answer: the meeting may or may not exist.
fn outcome_unknown(m: &mut Model, job: u64) {
    let mut e = GraphError::new(ErrorKind::OutcomeUnknown, "connection reset");
    e.client_request_id = Some("crid-7".into());
    update(
        m,
        Action::Failed {
            job,
            error: ErrorView::from_graph(&e),
        },
    );
}

fn set(input: &mut tui_input::Input, value: &str) {
    *input = tui_input::Input::new(value.into());
}

#[test]
fn after_an_unknown_outcome_the_same_form_asks_and_y_creates_another() {
    let mut m = model();
    let job = submitted(&mut m);
    let first = match m.job() {
        Some(j) => j.meeting.clone(),
        None => unreachable!(),
    };
    outcome_unknown(&mut m, job);
    assert_eq!(m.unsure.as_ref().unwrap().meeting, first);
    assert_eq!(
        m.error.as_ref().unwrap().client_request_id.as_deref(),
        Some("crid-7"),
        "shown while the question is asked"
    );
    assert_eq!(
        m.status.as_ref().unwrap().text,
        may_exist(),
        "the status line agrees with the error: it may exist"
    );

    assert!(
        intent(&mut m, Intent::Submit).is_empty(),
        "nothing sent yet"
    );
    assert!(m.confirm().is_some());
    assert!(
        m.error.is_some(),
        "the first request's details stay on screen"
    );
    assert_eq!(m.scopes(), [Scope::Confirm, Scope::Global]);
    assert!(m.job().is_none());
    match intent(&mut m, Intent::Confirm).as_slice() {
        [Effect::Create { request, .. }] => assert_eq!(request.subject(), "Weekly sync"),
        other => panic!("y creates: {other:?}"),
    }
    assert!(m.confirm().is_none() && m.job().is_some());
}

#[test]
fn n_esc_or_any_other_key_returns_to_the_form_without_sending() {
    use crate::tui::event::to_action;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let mut m = model();
    let job = submitted(&mut m);
    outcome_unknown(&mut m, job);
    let keys = [
        KeyCode::Char('n'),
        KeyCode::Char('N'),
        KeyCode::Esc,
        KeyCode::Char('x'),
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Char('?'),
    ];
    for code in keys {
        assert!(intent(&mut m, Intent::Submit).is_empty());
        assert!(m.confirm().is_some(), "{code:?}");
        let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        let action = to_action(&m, &ev).expect("every key answers");
        assert!(
            matches!(action, Action::Intent(Intent::Back)),
            "{code:?}: {action:?}"
        );
        assert!(update(&mut m, action).is_empty(), "{code:?}: nothing sent");
        assert!(m.confirm().is_none(), "{code:?}: back on the form");
        assert_eq!(
            m.form.subject.value(),
            "Weekly sync",
            "{code:?}: the form is kept"
        );
        assert!(m.unsure.is_some(), "{code:?}: the next Ctrl+S asks again");
    }
    // y answers yes; Ctrl+C still quits.
    intent(&mut m, Intent::Submit);
    let y = Event::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    assert!(matches!(
        to_action(&m, &y),
        Some(Action::Intent(Intent::Confirm))
    ));
    let quit = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(matches!(
        to_action(&m, &quit),
        Some(Action::Intent(Intent::Interrupt))
    ));
}

#[test]
fn cancelling_in_flight_makes_the_same_form_ask_too() {
    let mut m = model();
    submitted(&mut m);
    intent(&mut m, Intent::Back);
    assert!(intent(&mut m, Intent::Submit).is_empty());
    assert!(m.confirm().is_some());
}

#[test]
fn a_different_subject_or_time_is_a_new_meeting_and_needs_no_question() {
    let asks = |change: &dyn Fn(&mut Model)| {
        let mut m = model();
        let job = submitted(&mut m);
        outcome_unknown(&mut m, job);
        change(&mut m);
        let fx = intent(&mut m, Intent::Submit);
        assert_eq!(fx.is_empty(), m.confirm().is_some(), "{fx:?}");
        m.confirm().is_some()
    };
    assert!(asks(&|_| {}));
    // Not a different meeting: the first may exist with the old passcode or language.
    assert!(asks(&|m| m.form.passcode = true));
    assert!(asks(&|m| set(&mut m.form.language, "en-GB")));
    // The same time typed another way, or typed the same while the clock moved on.
    assert!(asks(&|m| set(&mut m.form.start, "10:30")));
    assert!(asks(&|m| set(&mut m.form.end, "11:00")));
    assert!(asks(&|m| set(&mut m.form.subject, " Weekly sync\u{200B} ")));
    // A different meeting.
    assert!(!asks(&|m| set(&mut m.form.subject, "Weekly sync 2")));
    assert!(!asks(&|m| set(&mut m.form.start, "2026-11-27 11:00")));
    assert!(!asks(&|m| set(&mut m.form.end, "45m")));

    // `+15m` resolves later each time, but typed the same it is still the same meeting.
    let mut m = model();
    set(&mut m.form.start, "+15m");
    // As typing would: an edited start no longer follows the clock.
    m.form.touch(Field::Start);
    let job = submitted(&mut m);
    outcome_unknown(&mut m, job);
    update(
        &mut m,
        Action::Clock {
            ms: 120_000,
            now: now() + chrono::Duration::minutes(2),
        },
    );
    assert!(intent(&mut m, Intent::Submit).is_empty());
    assert!(m.confirm().is_some());
}

#[test]
fn a_created_meeting_ends_the_question_and_a_certain_failure_does_not() {
    let mut m = model();
    let job = submitted(&mut m);
    outcome_unknown(&mut m, job);
    intent(&mut m, Intent::Submit);
    let second = match intent(&mut m, Intent::Confirm).as_slice() {
        [Effect::Create { job, .. }] => *job,
        other => panic!("{other:?}"),
    };
    // The second attempt is refused for sure: the first may still exist.
    update(
        &mut m,
        Action::Failed {
            job: second,
            error: ErrorView::other("Refused", "bad request", None),
        },
    );
    assert!(m.unsure.is_some());
    assert!(intent(&mut m, Intent::Submit).is_empty());
    let third = match intent(&mut m, Intent::Confirm).as_slice() {
        [Effect::Create { job, .. }] => *job,
        other => panic!("{other:?}"),
    };
    update(
        &mut m,
        Action::Created {
            job: third,
            result: Box::new(result_view()),
        },
    );
    assert!(m.unsure.is_none());
    intent(&mut m, Intent::NewMeeting);
    assert!(
        matches!(
            intent(&mut m, Intent::Submit).as_slice(),
            [Effect::Create { .. }]
        ),
        "a new meeting with the same values is what n on the result means: no question"
    );
}

#[test]
fn failure_keeps_the_form_and_shows_everything() {
    let mut m = model();
    let job = submitted(&mut m);
    let mut e = GraphError::from_response(
        403,
        br#"{"error":{"code":"Forbidden","message":"No policy","innerError":{"request-id":"rid-1"}}}"#,
        None,
        Some("crid-1".into()),
    );
    e.app_only = true;
    update(
        &mut m,
        Action::Failed {
            job,
            error: ErrorView::from_graph(&e),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    assert_eq!(m.form.subject.value(), "Weekly sync");
    let err = m.error.clone().unwrap();
    assert_eq!(err.status, Some(403));
    assert_eq!(err.code.as_deref(), Some("Forbidden"));
    assert_eq!(err.request_id.as_deref(), Some("rid-1"));
    assert!(err.hint.unwrap().contains("access policy"));
    // Esc dismisses the error, not the form.
    intent(&mut m, Intent::Back);
    assert!(m.error.is_none());
    assert_eq!(m.form.subject.value(), "Weekly sync");
}

#[test]
fn outcome_unknown_says_it_may_exist() {
    let mut m = model();
    let job = submitted(&mut m);
    let e = GraphError::new(ErrorKind::OutcomeUnknown, "connection reset");
    update(
        &mut m,
        Action::Failed {
            job,
            error: ErrorView::from_graph(&e),
        },
    );
    assert!(m.error.as_ref().unwrap().maybe_created);
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("may have been created")
    );
}

#[test]
fn throttle_wait_counts_down_with_the_clock() {
    let mut m = model();
    let job = submitted(&mut m);
    update(
        &mut m,
        Action::Clock {
            ms: 1000,
            now: now(),
        },
    );
    update(
        &mut m,
        Action::Waiting {
            job,
            status: 429,
            attempt: 1,
            delay_ms: 3000,
        },
    );
    assert_eq!(m.wait_secs_left().unwrap().0, 3);
    update(
        &mut m,
        Action::Clock {
            ms: 2500,
            now: now(),
        },
    );
    assert_eq!(m.wait_secs_left().unwrap().0, 2);
    update(
        &mut m,
        Action::Clock {
            ms: 9000,
            now: now(),
        },
    );
    assert_eq!(m.wait_secs_left().unwrap().0, 0);
}

#[test]
fn help_opens_closes_and_swallows_other_intents() {
    let mut m = model();
    intent(&mut m, Intent::Help);
    assert!(m.help_open());
    assert!(intent(&mut m, Intent::Submit).is_empty());
    intent(&mut m, Intent::Back);
    assert!(!m.help_open());
    // Ctrl+C quits from anywhere, cancelling an in-flight job.
    let job = submitted(&mut m);
    intent(&mut m, Intent::Help);
    assert_eq!(
        intent(&mut m, Intent::Quit),
        [Effect::Cancel { job }, Effect::Quit]
    );
}

#[test]
fn help_gives_back_what_it_covered_and_what_it_covers_goes_on() {
    // Over the QR code: closing the help shows the code again, with its keys.
    let mut m = created(result_view());
    intent(&mut m, Intent::ToggleQr);
    intent(&mut m, Intent::Help);
    assert_eq!(m.scopes(), [Scope::Help, Scope::Global]);
    assert!(m.show_qr(), "the code is under the help");
    intent(&mut m, Intent::Back);
    assert!(!m.help_open() && m.show_qr());
    assert_eq!(m.scopes()[0], Scope::Qr);
    // Over a create in flight: its answer lands under the help, which stays open.
    let mut m = model();
    let job = submitted(&mut m);
    intent(&mut m, Intent::Help);
    update(
        &mut m,
        Action::Created {
            job,
            result: Box::new(result_view()),
        },
    );
    assert!(m.help_open() && m.job().is_none());
    assert_eq!(m.screen, Screen::Result);
    intent(&mut m, Intent::Help);
    assert!(!m.help_open() && !m.show_qr());
    assert_eq!(m.scopes()[0], Scope::Result);
}

#[test]
fn sign_in_flow() {
    let mut m = model();
    assert_eq!(
        update(&mut m, Action::SignInNeeded),
        [Effect::SignIn {
            job: m.signin.job.unwrap()
        }]
    );
    assert_eq!(m.screen, Screen::SignIn);
    assert!(m.needs_timer());
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignInPrompt {
            job,
            prompt: SignInPrompt {
                user_code: "ABCD-EFGH".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                message: "m".into(),
                expires_in_secs: 900,
            },
        },
    );
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignInFailed {
            job,
            error: "expired".into(),
        },
    );
    assert!(!m.needs_timer());
    assert_eq!(
        intent(&mut m, Intent::Activate),
        [Effect::SignIn {
            job: m.signin.job.unwrap()
        }]
    );
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignedIn {
            job,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
}

/// A TZ that names no zone is said when the form opens, and signing in does not hide it.
#[test]
fn a_tz_that_names_no_zone_stays_on_the_status_line_after_sign_in() {
    let mut m = model();
    m.zone_warning = crate::meeting::time::choose_zone(Some("Nowhere/Zone"), None).warning();
    update(&mut m, Action::SignInNeeded);
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignedIn {
            job,
            account: "adele@contoso.com".into(),
        },
    );
    let status = m.status.as_ref().expect("a status");
    assert!(
        status.text.starts_with("Signed in as adele@contoso.com"),
        "{status:?}"
    );
    assert!(status.text.contains("TZ=Nowhere/Zone"), "{status:?}");
    assert!(status.text.contains("times are in UTC"), "{status:?}");
}

#[test]
fn keys_map_to_intents_by_context() {
    use crate::tui::event::to_action;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let key = |c: KeyCode, mods: KeyModifiers| Event::Key(KeyEvent::new(c, mods));
    let mut m = model();
    let act = |m: &Model, e: &Event| format!("{:?}", to_action(m, e));
    // `?` types into a text field, opens help on the checkbox.
    assert!(act(&m, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)).contains("InsertChar('?')"));
    // → moves the cursor in text fields; only Language treats it as "complete".
    assert!(act(&m, &key(KeyCode::Right, KeyModifiers::NONE)).contains("GoToNextChar"));
    m.form.focus = Field::Language;
    assert!(act(&m, &key(KeyCode::Right, KeyModifiers::NONE)).contains("Complete"));
    m.form.focus = Field::Passcode;
    assert!(act(&m, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)).contains("Help"));
    assert!(act(&m, &key(KeyCode::Char(' '), KeyModifiers::NONE)).contains("Toggle"));
    assert!(act(&m, &key(KeyCode::BackTab, KeyModifiers::SHIFT)).contains("PrevField"));
    assert!(act(&m, &key(KeyCode::Char('s'), KeyModifiers::CONTROL)).contains("Submit"));
    assert!(act(&m, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)).contains("Interrupt"));
    assert!(act(&m, &key(KeyCode::Char('z'), KeyModifiers::CONTROL)).contains("Suspend"));
    m.screen = Screen::Result;
    assert!(act(&m, &key(KeyCode::Char('y'), KeyModifiers::NONE)).contains("JoinUrl"));
    assert!(act(&m, &key(KeyCode::Char('q'), KeyModifiers::NONE)).contains("Quit"));
}

#[test]
fn s_saves_the_calendar_file_built_when_the_result_arrived() {
    let meeting: crate::graph::model::OnlineMeeting =
        serde_json::from_str(include_str!("../../../tests/fixtures/seed/response-2.json")).unwrap();
    let view = ResultView::from_meeting(&meeting, &Berlin, Some("en-US"));
    let mut m = created(view.clone());
    let fx = intent(&mut m, Intent::Save);
    let [Effect::SaveCalendar { stem, text }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    // 02:17 UTC on 11 July 2019 is the same day in Berlin; the subject is "User meeting".
    assert_eq!(stem, "2019-07-11-user-meeting");
    assert_eq!(Some(text), view.calendar.as_ref().map(|c| &c.text));
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.contains("SUMMARY:User meeting\r\n"), "{text}");
    assert!(text.contains("DTSTART:20190711T021717Z\r\n"), "{text}");
    assert!(
        text.contains("URL:https://teams.microsoft.com/l/meetup-join/"),
        "{text}"
    );
    assert!(m.status.as_ref().unwrap().text.contains("Meeting created"));
    // Pressing it again saves again: the runtime numbers the second file.
    assert_eq!(intent(&mut m, Intent::Save).len(), 1);
}

#[test]
fn save_without_times_says_why_and_emits_nothing() {
    let mut m = created(ResultView {
        calendar: None,
        ..result_view()
    });
    assert!(intent(&mut m, Intent::Save).is_empty());
    let s = m.status.clone().unwrap();
    assert_eq!(s.kind, StatusKind::Info);
    assert!(s.text.contains("no start and end"), "{s:?}");
}

#[test]
fn the_save_outcome_reaches_the_status_line() {
    let mut m = created(result_view());
    update(
        &mut m,
        Action::Saved(Ok("/home/ada/2026-11-27-weekly-sync-2.ics".into())),
    );
    let s = m.status.clone().unwrap();
    assert_eq!(s.kind, StatusKind::Success);
    assert!(
        s.text
            .contains("Saved /home/ada/2026-11-27-weekly-sync-2.ics"),
        "{s:?}"
    );
    update(
        &mut m,
        Action::Saved(Err(
            "cannot create x.ics in /ro (Read-only file system (os error 30))".into(),
        )),
    );
    let s = m.status.clone().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(s.text.contains("Read-only file system"), "{s:?}");
    assert!(
        s.text.contains("folder you can write to"),
        "what to do: {s:?}"
    );
    // A directory name is not trusted to be free of escape sequences.
    update(
        &mut m,
        Action::Saved(Ok("/tmp/\u{1b}]0;x\u{7}/a.ics".into())),
    );
    let s = m.status.clone().unwrap();
    assert!(!s.text.chars().any(char::is_control), "{s:?}");
}

#[test]
fn r_toggles_the_qr_code_and_esc_or_r_leaves_it() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let press = |m: &Model, c: KeyCode| {
        keymap::lookup(&m.scopes(), &KeyEvent::new(c, KeyModifiers::NONE))
            .unwrap_or_else(|| panic!("{c:?} unbound"))
    };
    let mut m = created(result_view());
    assert!(!m.show_qr());
    let r = press(&m, KeyCode::Char('r'));
    assert_eq!(r, Intent::ToggleQr);
    assert!(intent(&mut m, r).is_empty());
    assert!(m.show_qr());
    // Esc leaves the code, not the result screen.
    let esc = press(&m, KeyCode::Esc);
    intent(&mut m, esc);
    assert!(!m.show_qr());
    assert_eq!(m.screen, Screen::Result);
    // r again shows it, r once more leaves it.
    let r = press(&m, KeyCode::Char('r'));
    intent(&mut m, r);
    assert!(m.show_qr());
    let r = press(&m, KeyCode::Char('r'));
    assert_eq!(r, Intent::Back, "inside the QR view r means back");
    intent(&mut m, r);
    assert!(!m.show_qr());
    // Scrolling the hidden details does nothing while the code is up.
    intent(&mut m, Intent::ToggleQr);
    intent(&mut m, Intent::ScrollDown);
    assert_eq!(m.result_scroll, 0);
    // A new meeting, and a new result, start without it.
    intent(&mut m, Intent::NewMeeting);
    assert!(!m.show_qr());
    // No join link: no code, said so.
    let mut m = created(ResultView {
        qr: None,
        join_url: None,
        ..result_view()
    });
    intent(&mut m, Intent::ToggleQr);
    assert!(!m.show_qr());
    assert!(m.status.as_ref().unwrap().text.contains("no join link"));
}

#[test]
fn the_footer_offers_save_and_qr_and_in_qr_mode_the_way_back() {
    let words = |m: &Model| {
        keymap::footer(&m.scopes())
            .into_iter()
            .map(|(k, w)| format!("{k} {w}"))
            .collect::<Vec<_>>()
    };
    let mut m = created(result_view());
    let f = words(&m);
    assert!(f.contains(&"s save".to_string()), "{f:?}");
    assert!(f.contains(&"r QR".to_string()), "{f:?}");
    intent(&mut m, Intent::ToggleQr);
    let f = words(&m);
    assert_eq!(f[0], "Esc back", "{f:?}");
    assert!(
        !f.iter().any(|w| w.starts_with("r ")),
        "r is taken by the QR view: {f:?}"
    );
}

#[test]
fn sign_in_offers_retry_only_when_a_retry_is_possible() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    let has_retry = |m: &Model| {
        keymap::footer(&m.scopes())
            .iter()
            .any(|(_, w)| *w == "retry")
    };
    let mut m = model().checking_sign_in();
    assert!(!has_retry(&m), "checking a saved sign-in");
    assert_eq!(keymap::lookup(&m.scopes(), &enter), None);
    update(&mut m, Action::SignInNeeded);
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignInPrompt {
            job,
            prompt: SignInPrompt {
                user_code: "ABCD-EFGH".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                message: "m".into(),
                expires_in_secs: 900,
            },
        },
    );
    assert!(!has_retry(&m), "waiting for the browser");
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignInFailed {
            job,
            error: "declined".into(),
        },
    );
    assert!(has_retry(&m));
    let footer = keymap::footer(&m.scopes());
    assert_eq!(footer[0], ("Enter".to_string(), "retry"));
    assert_eq!(keymap::lookup(&m.scopes(), &enter), Some(Intent::Activate));
    assert_eq!(
        intent(&mut m, Intent::Activate),
        [Effect::SignIn {
            job: m.signin.job.unwrap()
        }]
    );
    assert!(!has_retry(&m), "retrying");
}

#[test]
fn result_scrolling_stops_when_the_last_row_reaches_the_bottom() {
    let mut view = result_view();
    view.invitation = Some(
        (1..=30)
            .map(|i| {
                format!("line {i} of an invitation that is long enough to wrap at forty columns")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let mut m = created(view);
    for (w, h) in [(80u16, 24u16), (40, 12), (100, 30)] {
        update(
            &mut m,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        let rows = crate::tui::ui::result_rows(&m, w);
        update(&mut m, Action::Measured { result_rows: rows });
        let body = h - crate::tui::ui::CHROME_ROWS;
        for _ in 0..200 {
            intent(&mut m, Intent::PageDown);
        }
        assert_eq!(
            usize::from(m.result_scroll),
            rows - usize::from(body),
            "{w}x{h}: the last row sits on the body's last row"
        );
        intent(&mut m, Intent::ScrollDown);
        assert_eq!(usize::from(m.result_scroll), rows - usize::from(body));
    }
    // Growing the window pulls the scroll back so no blank rows show under the content.
    update(
        &mut m,
        Action::Resize {
            width: 100,
            height: 300,
        },
    );
    assert_eq!(m.result_scroll, 0);
}

fn clock_at(m: &mut Model, h: u32, mi: u32) {
    let now = Berlin.with_ymd_and_hms(2026, 11, 27, h, mi, 0).unwrap();
    update(m, Action::Clock { ms: 0, now });
}

#[test]
fn default_times_follow_the_clock_until_start_is_edited() {
    let mut m = model();
    assert_eq!(m.form.start.value(), "2026-11-27 10:30");
    // Left open over lunch: the untouched default moves on, and the 30m end with it.
    clock_at(&mut m, 13, 40);
    assert_eq!(m.form.start.value(), "2026-11-27 14:00");
    let checked = m.form.check(&m.now);
    let at = |h, mi| Berlin.with_ymd_and_hms(2026, 11, 27, h, mi, 0).unwrap();
    assert_eq!(checked.start, Ok(at(14, 0)));
    assert_eq!(checked.end, Ok(at(14, 30)));
    // Typing in another field does not make the start the person's.
    type_text(&mut m, "Sync");
    clock_at(&mut m, 14, 5);
    assert_eq!(m.form.start.value(), "2026-11-27 14:30");
    // Once edited, it stays as typed.
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeletePrevChar));
    type_text(&mut m, "5");
    assert_eq!(m.form.start.value(), "2026-11-27 14:35");
    clock_at(&mut m, 16, 10);
    assert_eq!(m.form.start.value(), "2026-11-27 14:35");
}

/// The form reads End with the command line's parser: a named day means the same in End
/// as in Start, so "tomorrow" to "tomorrow" is an hour, not a day and an hour.
#[test]
fn a_named_day_in_end_is_counted_from_today_as_in_start() {
    let mut m = model();
    type_text(&mut m, "Planning");
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "tomorrow 10:00");
    m.form.focus = Field::End;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "tomorrow 11:00");
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::Create { request, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(request.start().to_rfc3339(), "2026-11-28T10:00:00+01:00");
    assert_eq!(request.end().to_rfc3339(), "2026-11-28T11:00:00+01:00");

    let mut m = model();
    type_text(&mut m, "Planning");
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "tomorrow 10:00");
    m.form.focus = Field::End;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "tomorrow 09:00");
    assert!(intent(&mut m, Intent::Submit).is_empty());
    let error = m.form.check(&m.now).error(Field::End).map(str::to_string);
    let error = error.expect("an error on End");
    assert!(error.contains("before it starts"), "{error}");
}

#[test]
fn a_past_start_warns_but_still_submits() {
    let mut m = model();
    assert_eq!(m.form.check(&m.now).warning(Field::Start), None);
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, "2026-11-27 08:00");
    let checked = m.form.check(&m.now);
    assert_eq!(checked.error(Field::Start), None);
    let warning = checked.warning(Field::Start).expect("a warning");
    assert!(warning.contains("in the past"), "{warning}");
    m.form.focus = Field::Subject;
    type_text(&mut m, "Retro");
    assert!(matches!(
        intent(&mut m, Intent::Submit).as_slice(),
        [Effect::Create { .. }]
    ));
}

#[test]
fn a_huge_typed_paste_stops_at_the_field_cap() {
    let mut m = model();
    m.form.focus = Field::Start;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    type_text(&mut m, &"2026-11-27 14:00 ".repeat(1200));
    assert_eq!(
        m.form.start.value().chars().count(),
        Field::Start.max_chars()
    );
    assert!(m.form.check(&m.now).error(Field::Start).is_some());
    // Deleting still works at the limit.
    update(&mut m, Action::Edit(InputRequest::DeletePrevChar));
    assert_eq!(
        m.form.start.value().chars().count(),
        Field::Start.max_chars() - 1
    );
    m.form.focus = Field::Subject;
    type_text(&mut m, &"s".repeat(300));
    assert_eq!(m.form.subject.value().chars().count(), 255);
    // A bracketed paste is cut at the same cap.
    m.form.focus = Field::Language;
    update(&mut m, Action::Edit(InputRequest::DeleteLine));
    update(&mut m, Action::Paste("x".repeat(1000)));
    assert_eq!(m.form.language.value().chars().count(), 35);
}

/// A 100 KB paste into Subject keeps the 255 characters that fit and says so, in the
/// command line's words; one that fits says nothing; typing at the cap says why too.
#[test]
fn a_paste_too_long_for_its_field_keeps_what_fits_and_says_so() {
    let mut m = model();
    let huge = "Quarterly planning ".repeat(100_000 / 19 + 1);
    let paste =
        crate::tui::event::to_action(&m, &crossterm::event::Event::Paste(huge.clone())).unwrap();
    update(&mut m, paste);
    assert_eq!(m.form.subject.value(), &huge[..255]);
    let status = m.status.clone().unwrap();
    assert_eq!(
        status.text,
        "The subject is longer than 255 characters: the paste was cut to its first 255."
    );
    // Full: a key is refused with the same reason.
    m.status = None;
    type_text(&mut m, "x");
    assert_eq!(m.form.subject.value().chars().count(), 255);
    assert_eq!(
        m.status.clone().unwrap().text,
        "The subject is longer than 255 characters: nothing more fits."
    );
    // Another field names its own cap; a paste that fits (its line break dropped) is quiet.
    let mut m = model();
    m.form.focus = Field::Language;
    let fits = crossterm::event::Event::Paste("fr-FR\r\n".into());
    let paste = crate::tui::event::to_action(&m, &fits).unwrap();
    update(&mut m, paste);
    assert_eq!(m.form.language.value(), "fr-FR");
    assert_eq!(m.status, None);
    update(&mut m, Action::Paste("x".repeat(100)));
    assert_eq!(m.form.language.value().chars().count(), 35);
    assert_eq!(
        m.status.unwrap().text,
        "Language takes at most 35 characters: the paste was cut to its first 30."
    );
}

#[test]
fn a_lost_sign_in_is_mended_from_the_form_and_the_form_comes_back() {
    let mut m = model();
    let job = submitted(&mut m);
    let lost = GraphError::new(
        ErrorKind::Auth,
        "the stored sign-in is no longer accepted; sign in with: tmeet login",
    );
    update(
        &mut m,
        Action::SignInLost {
            job,
            error: ErrorView::from_graph(&lost),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    assert!(m.error.is_some());
    let status = m.status.clone().unwrap();
    assert!(status.text.contains("Ctrl+S to sign in"), "{status:?}");

    // Submitting again signs in instead of failing the same way.
    assert_eq!(
        intent(&mut m, Intent::Submit),
        [Effect::SignIn {
            job: m.signin.job.unwrap()
        }]
    );
    assert_eq!(m.screen, Screen::SignIn);
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignInPrompt {
            job,
            prompt: SignInPrompt {
                user_code: "ABCD-EFGH".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                message: "m".into(),
                expires_in_secs: 900,
            },
        },
    );
    let job = m.signin.job.unwrap();
    update(
        &mut m,
        Action::SignedIn {
            job,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    assert_eq!(m.form.subject.value(), "Weekly sync");
    assert!(m.error.is_none());
    assert!(m.status.clone().unwrap().text.contains("Ctrl+S to create"));

    // And now Ctrl+S creates, with the values kept.
    match intent(&mut m, Intent::Submit).as_slice() {
        [Effect::Create { request, .. }] => assert_eq!(request.subject(), "Weekly sync"),
        other => panic!("expected a Create, got {other:?}"),
    }
}

#[test]
fn a_lost_sign_in_for_a_stale_job_changes_nothing() {
    let mut m = model();
    let job = submitted(&mut m);
    let lost = GraphError::new(ErrorKind::Auth, "gone");
    update(
        &mut m,
        Action::SignInLost {
            job: job + 1,
            error: ErrorView::from_graph(&lost),
        },
    );
    assert!(m.job().is_some() && m.error.is_none());
    assert_eq!(m.relogin, Relogin::No);
}

#[test]
fn a_replaced_sign_in_job_is_ignored() {
    let mut m = model();
    update(&mut m, Action::SignInNeeded);
    let first = m.signin.job.unwrap();
    let error = "The sign-in was declined in the browser.".to_string();
    update(&mut m, Action::SignInFailed { job: first, error });
    let [Effect::SignIn { job: second }] = intent(&mut m, Intent::Activate)[..] else {
        panic!("Enter retries with a new job");
    };
    assert_ne!(first, second);
    // The first job's late words change nothing; the second job's do.
    for stale in [
        Action::SignInProgress {
            job: first,
            text: "old".into(),
        },
        Action::SignedIn {
            job: first,
            account: "old@contoso.com".into(),
        },
        Action::SignInFailed {
            job: first,
            error: "old".into(),
        },
    ] {
        update(&mut m, stale);
        assert_eq!(m.screen, Screen::SignIn);
        assert!(m.signin.busy && m.signin.error.is_none() && m.signin.progress.is_none());
    }
    update(
        &mut m,
        Action::SignedIn {
            job: second,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
}

#[test]
fn a_start_failure_is_shown_as_itself_with_a_retry_only_when_it_can_help() {
    let enter = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
    // App-only without --user: no sign-in, and Enter does nothing a retry could mend.
    let mut m = model().checking_sign_in();
    let effects = update(
        &mut m,
        Action::StartFailed {
            error: "app-only needs --user".into(),
            retry: false,
        },
    );
    assert_eq!(effects, []);
    assert_eq!(m.screen, Screen::SignIn);
    assert_eq!(m.signin.error.as_deref(), Some("app-only needs --user"));
    assert!(!m.scopes().contains(&Scope::SignInRetry));
    assert_eq!(keymap::lookup(&m.scopes(), &enter), None);
    assert_eq!(intent(&mut m, Intent::Activate), []);
    assert!(!m.needs_timer(), "nothing is under way");

    // The service unreachable: Enter looks for the saved sign-in again, no device code.
    let mut m = model().checking_sign_in();
    update(
        &mut m,
        Action::StartFailed {
            error: "sign-in service unreachable".into(),
            retry: true,
        },
    );
    assert!(m.scopes().contains(&Scope::SignInRetry));
    assert_eq!(intent(&mut m, Intent::Activate), [Effect::CheckSignIn]);
    assert!(m.signin.busy);
    update(&mut m, Action::Ready);
    assert_eq!(m.screen, Screen::Form);
}

fn meetings_loaded(m: &mut Model) {
    let effects = intent(m, Intent::MyMeetings);
    let Some(job) = m.meetings.job else {
        panic!("no load job: {effects:?}")
    };
    assert_eq!(effects, [Effect::Meetings(MeetingsJob::Load { job })]);
    let at = |d| chrono::Utc.with_ymd_and_hms(2026, 12, d, 9, 0, 0).single();
    let row = |id, subject: &str, d, mark| MeetingRow {
        id,
        subject: subject.into(),
        when: format!("2026-12-0{d} 10:00"),
        kind: "standalone",
        mark,
        start: at(d),
        end: at(d).map(|t| t + chrono::Duration::minutes(30)),
        answers: None,
        next_of_series: None,
    };
    // A stale answer (an earlier job) changes nothing.
    update(
        m,
        Action::Meetings(MeetingsAction::Loaded {
            job: job + 100,
            rows: vec![row(9, "Stale", 1, "")],
            note: None,
        }),
    );
    assert!(m.meetings.rows.is_empty());
    update(
        m,
        Action::Meetings(MeetingsAction::Loaded {
            job,
            rows: vec![
                row(3, "Design review", 1, ""),
                row(5, "Retro", 2, ""),
                row(6, "Gone", 3, "[deleted] "),
            ],
            note: None,
        }),
    );
    assert_eq!(m.meetings.busy, None);
}

#[test]
fn my_meetings_opens_from_the_form_and_enter_opens_the_selected_one() {
    let mut m = model();
    meetings_loaded(&mut m);
    assert_eq!(m.screen, Screen::Meetings);
    assert_eq!(m.scopes()[0], keymap::Scope::Meetings);
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::ScrollDown);
    assert_eq!(m.meetings.selected, 2, "stops at the last row");
    intent(&mut m, Intent::ScrollUp);
    let effects = intent(&mut m, Intent::Activate);
    let job = m.meetings.job.unwrap();
    assert_eq!(
        effects,
        [Effect::Meetings(MeetingsJob::Open { job, id: 5 })]
    );
    // While opening, another job would race it.
    assert!(intent(&mut m, Intent::Refresh).is_empty());
    let view = crate::tui::view::ResultView::from_meeting(
        &crate::graph::model::OnlineMeeting::default(),
        &Berlin,
        None,
    );
    update(
        &mut m,
        Action::Meetings(MeetingsAction::Opened {
            job,
            result: Box::new(view),
            note: Some("Not signed in: shown from the history, without the passcode.".into()),
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    assert_eq!(m.meetings.shown, Shown::Opened);
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("without the passcode")
    );
    // And back to the list from the result pane.
    let effects = intent(&mut m, Intent::MyMeetings);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Meetings(MeetingsJob::Load { .. })]
    ));
    assert_eq!(m.screen, Screen::Meetings);
    intent(&mut m, Intent::Back);
    assert_eq!(m.screen, Screen::Form);
}

/// Esc on a meeting opened from My meetings goes back to the list with the same row
/// selected; on a meeting just created it still starts a new one, and with the QR code up
/// it first closes the code.
#[test]
fn esc_from_a_meeting_opened_from_my_meetings_returns_to_the_list() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let esc = |m: &Model| {
        keymap::lookup(
            &m.scopes(),
            &KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        )
        .unwrap()
    };
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::Activate);
    let job = m.meetings.job.unwrap();
    let mut view = crate::tui::view::ResultView::from_meeting(
        &crate::graph::model::OnlineMeeting::default(),
        &Berlin,
        None,
    );
    view.qr = Some("▀▄".into());
    update(
        &mut m,
        Action::Meetings(MeetingsAction::Opened {
            job,
            result: Box::new(view),
            note: None,
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    intent(&mut m, Intent::ToggleQr);
    assert!(m.show_qr());
    let i = esc(&m);
    intent(&mut m, i);
    assert!(!m.show_qr(), "the code closes first");
    assert_eq!(m.screen, Screen::Result);
    let i = esc(&m);
    assert_eq!(i, Intent::MyMeetings);
    let effects = intent(&mut m, i);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Meetings(MeetingsJob::Load { .. })]
    ));
    assert_eq!(m.screen, Screen::Meetings);
    assert_eq!(m.meetings.selected, 1, "the same row selected");
    assert!(
        keymap::footer(&{
            let mut r = m.clone();
            r.screen = Screen::Result;
            r.scopes()
        })
        .contains(&("Esc".to_string(), "back"))
    );
    // A meeting just created: Esc is still "new meeting".
    let mut c = created(result_view());
    assert_eq!(esc(&c), Intent::NewMeeting);
    let i = esc(&c);
    intent(&mut c, i);
    assert_eq!(c.screen, Screen::Form);
}

#[test]
fn delete_asks_first_and_only_y_deletes() {
    let mut m = model();
    meetings_loaded(&mut m);
    assert!(intent(&mut m, Intent::Delete).is_empty());
    assert_eq!(m.confirm_delete(), Some(3));
    assert_eq!(m.scopes()[0], keymap::Scope::ConfirmDelete);
    let q = delete_question(&m).unwrap();
    assert!(q.contains("Design review") && q.contains("y/N"), "{q}");
    // Anything but y is no.
    assert!(intent(&mut m, Intent::Back).is_empty());
    assert_eq!(m.confirm_delete(), None);
    assert_eq!(m.status.as_ref().unwrap().text, "Nothing deleted.");
    intent(&mut m, Intent::Delete);
    let effects = intent(&mut m, Intent::Confirm);
    let job = m.meetings.job.unwrap();
    assert_eq!(
        effects,
        [Effect::Meetings(MeetingsJob::Delete {
            job,
            id: 3,
            part: keymap::SeriesPart::All
        })]
    );
    assert_eq!(m.meetings.busy, Some(Busy::Deleting));
    // A deleted meeting is not offered again.
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::PageDown);
    assert_eq!(m.meetings.selected, 2);
    assert!(intent(&mut m, Intent::Delete).is_empty());
    assert_eq!(m.confirm_delete(), None);
}

/// A calendar meeting that happens once is read for the edit like any other; on a series
/// `e` first asks which of its meetings, as `D` does, and any other key edits none.
#[test]
fn a_calendar_meeting_is_edited_in_the_form_and_a_series_asks_which_meetings() {
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::ScrollDown);
    let row = m.meetings.selected;
    m.meetings.rows[row].kind = crate::history::Kind::Event.as_str();
    let id = m.meetings.rows[row].id;
    let effects = intent(&mut m, Intent::Edit);
    assert!(
        matches!(effects.as_slice(), [Effect::Meetings(MeetingsJob::Edit { id: i, part: keymap::SeriesPart::All, .. })] if *i == id),
        "{effects:?}"
    );
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::ScrollDown);
    let row = m.meetings.selected;
    m.meetings.rows[row].kind = crate::history::Kind::Event.as_str();
    m.meetings.rows[row].next_of_series = Some("Mon 9 Mar".into());
    let id = m.meetings.rows[row].id;
    assert!(intent(&mut m, Intent::Edit).is_empty());
    assert_eq!(m.scopes()[0], keymap::Scope::EditSeries);
    let asked = crate::tui::app::delete_question(&m).unwrap();
    assert!(
        asked.starts_with("Edit o: Mon 9 Mar only · f: from Mon 9 Mar on (a new series) · a: all"),
        "{asked}"
    );
    assert!(intent(&mut m, Intent::Back).is_empty());
    assert_eq!(m.status.as_ref().unwrap().text, "Nothing edited.");
    assert!(intent(&mut m, Intent::Edit).is_empty());
    let effects = intent(&mut m, Intent::EditPart(keymap::SeriesPart::Next));
    assert!(
        matches!(effects.as_slice(), [Effect::Meetings(MeetingsJob::Edit { id: i, part: keymap::SeriesPart::Next, .. })] if *i == id),
        "{effects:?}"
    );
}

/// A start moved in the edit takes the end with it: the meeting keeps its length.
#[test]
fn a_start_moved_in_an_edit_moves_the_end_with_it() {
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::ScrollDown);
    open_edit(&mut m, existing("Retro"));
    m.form.start = tui_input::Input::new("2026-12-02 11:00".into());
    let effects = intent(&mut m, Intent::Submit);
    let [Effect::Meetings(MeetingsJob::Update { change, .. })] = effects.as_slice() else {
        panic!("expected an update, got {effects:?}");
    };
    assert_eq!(
        change.times,
        Some((
            "2026-12-02T11:00:00+01:00".to_string(),
            "2026-12-02T11:30:00+01:00".to_string()
        )),
        "11:00–11:30 Berlin"
    );
}

/// The meeting at the service, as the edit job reads it back for the form.
fn existing(subject: &str) -> crate::services::online_meeting::Existing {
    let mut options = crate::meeting::options::MeetingOptions::new();
    options.set("lobby", "organization").unwrap();
    options.set("dial-in-bypass-lobby", "on").unwrap();
    crate::services::online_meeting::Existing {
        subject: subject.into(),
        start: Some(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()),
        end: Some(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()),
        passcode: Some(false),
        attendees: vec![crate::meeting::attendees::Attendee {
            who: "ada@contoso.com".into(),
            role: crate::meeting::attendees::Role::Presenter,
        }],
        options,
    }
}

/// `e` on the selected row, and the edit job's answer.
fn open_edit(m: &mut Model, was: crate::services::online_meeting::Existing) {
    let effects = intent(m, Intent::Edit);
    let [Effect::Meetings(MeetingsJob::Edit { job, id, .. })] = effects.as_slice() else {
        panic!("expected the meeting to be read first, got {effects:?}");
    };
    let (job, id) = (*job, *id);
    assert_eq!(m.screen, Screen::Meetings, "the form waits for the service");
    update(
        m,
        Action::Meetings(MeetingsAction::EditReady {
            job,
            id,
            was: Box::new(was),
        }),
    );
}

#[test]
fn edit_fills_the_form_from_the_service_and_submit_sends_only_what_changed() {
    let mut m = model();
    // Left over from an earlier meeting: none of it belongs to the one edited.
    m.form.passcode = true;
    m.form.attendees = tui_input::Input::new("grace@contoso.com".into());
    meetings_loaded(&mut m);
    intent(&mut m, Intent::ScrollDown);
    open_edit(&mut m, existing("Retro"));
    assert_eq!(m.screen, Screen::Form);
    assert_eq!(m.form.subject.value(), "Retro");
    assert_eq!(m.form.start.value(), "2026-12-02 10:00");
    assert_eq!(
        m.form.end.value(),
        "30m",
        "its length, so a new start moves it"
    );
    assert!(
        !m.form.passcode,
        "the meeting's passcode setting, not the last form's"
    );
    assert_eq!(m.form.attendees.value(), "ada@contoso.com:presenter");
    assert!(m.form.options.is("lobby", "organization"));
    assert_eq!(m.editing.as_ref().map(|e| e.id), Some(5));
    // The clock does not move an edited start.
    update(
        &mut m,
        Action::Clock {
            ms: 1,
            now: now() + chrono::Duration::hours(2),
        },
    );
    assert_eq!(m.form.start.value(), "2026-12-02 10:00");
    // Unchanged: nothing is sent.
    assert!(intent(&mut m, Intent::Submit).is_empty());
    assert!(m.status.as_ref().unwrap().text.contains("Nothing to save"));
    type_text(&mut m, " (moved)");
    let effects = intent(&mut m, Intent::Submit);
    let [Effect::Meetings(MeetingsJob::Update { job, id, change })] = effects.as_slice() else {
        panic!("expected an update, got {effects:?}");
    };
    assert_eq!(*id, 5);
    assert_eq!(
        *change,
        crate::services::online_meeting::Change {
            subject: Some("Retro (moved)".into()),
            ..Default::default()
        },
        "only the subject changed"
    );
    let job = *job;
    assert_eq!(m.job().map(|j| j.id), Some(job), "in flight like a create");
    let view = crate::tui::view::ResultView::from_meeting(
        &crate::graph::model::OnlineMeeting::default(),
        &Berlin,
        None,
    );
    update(
        &mut m,
        Action::Meetings(MeetingsAction::Updated {
            job,
            result: Box::new(view),
            saved: change.summary(),
            note: None,
            warning: None,
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    assert_eq!(m.meetings.shown, Shown::Updated);
    assert_eq!(
        m.status.as_ref().unwrap().text,
        "Saved at the service and in My meetings: subject."
    );
    assert!(m.editing.is_none(), "the next Ctrl+S creates again");
    assert!(m.job().is_none());
    // The form the edit borrowed is given back.
    assert!(m.form.passcode);
    assert_eq!(m.form.attendees.value(), "grace@contoso.com");
}

/// An edit that needed a permission: after the sign-in that grants it, the status says
/// Ctrl+S saves the changes (not "creates the meeting"), and the form is still the edit.
#[test]
fn after_granting_a_permission_an_edit_is_offered_to_be_saved_not_created() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Retro"));
    type_text(&mut m, " (moved)");
    let [Effect::Meetings(MeetingsJob::Update { job, .. })] = intent(&mut m, Intent::Submit)[..]
    else {
        panic!("expected an update");
    };
    update(
        &mut m,
        Action::ConsentNeeded {
            job,
            feature: crate::permissions::Feature::Attendees,
        },
    );
    let [Effect::SignIn { job: signin }] = intent(&mut m, Intent::Submit)[..] else {
        panic!("expected the sign-in");
    };
    update(
        &mut m,
        Action::SignedIn {
            job: signin,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    assert!(m.editing.is_some(), "still the edit");
    assert_eq!(
        m.status.as_ref().unwrap().text,
        "Signed in as adele@contoso.com. Press Ctrl+S to save the changes."
    );
}

#[test]
fn an_edit_says_its_reset_restores_the_meeting_value() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Retro"));
    let lobby = crate::meeting::options::SPECS
        .iter()
        .position(|s| s.key == "lobby")
        .unwrap();
    m.form.focus = Field::Options;
    m.form.options_open = true;
    m.form.option_cursor = lobby;
    // Backspace goes back to the meeting's value here, and the footer says so.
    let footer = keymap::footer(&m.scopes());
    assert!(
        footer
            .iter()
            .any(|(k, w)| k == "Backspace" && *w == "meeting's value"),
        "{footer:?}"
    );
    assert!(!footer.iter().any(|(_, w)| *w == "default"), "{footer:?}");
}

#[test]
fn an_edit_refuses_what_the_service_sets_only_at_creation() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Retro"));
    m.form.focus = Field::Passcode;
    assert!(intent(&mut m, Intent::Toggle).is_empty());
    assert!(!m.form.passcode);
    assert!(m.status.as_ref().unwrap().text.contains("cannot change"));
    m.form.focus = Field::Language;
    let before = m.form.language.value().to_string();
    type_text(&mut m, "x");
    assert_eq!(m.form.language.value(), before);
    m.form.focus = Field::Mode;
    intent(&mut m, Intent::Toggle);
    assert_eq!(m.form.mode, crate::tui::form_state::Mode::Standalone);
    // A create-only option: its row does not move.
    let e2ee = crate::meeting::options::SPECS
        .iter()
        .position(|s| !s.patchable)
        .expect("a create-only option");
    m.form.focus = Field::Options;
    m.form.options_open = true;
    m.form.option_cursor = e2ee;
    let was = m.form.options.clone();
    intent(&mut m, Intent::OptionNext);
    assert_eq!(m.form.options, was);
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("when the meeting is created")
    );
}

#[test]
fn esc_leaves_an_edit_unsaved_and_goes_back_to_the_list() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Design review"));
    assert!(m.editing.is_some());
    assert!(intent(&mut m, Intent::Back).is_empty());
    assert!(m.editing.is_none());
    assert_eq!(m.screen, Screen::Meetings);
    assert!(m.status.as_ref().unwrap().text.contains("Not saved"));
    // From there, a new meeting is created, not patched.
    intent(&mut m, Intent::Back);
    type_text(&mut m, "Next");
    assert!(matches!(
        intent(&mut m, Intent::Submit).as_slice(),
        [Effect::Create { .. }]
    ));
}

#[test]
fn a_meeting_the_history_could_not_keep_is_still_shown_and_the_reason_said() {
    let mut m = model();
    let job = submitted(&mut m);
    let view = crate::tui::view::ResultView::from_meeting(
        &crate::graph::model::OnlineMeeting::default(),
        &Berlin,
        None,
    );
    update(
        &mut m,
        Action::Created {
            job,
            result: Box::new(view),
        },
    );
    update(
        &mut m,
        Action::Meetings(MeetingsAction::NotRecorded("disk full".into())),
    );
    assert_eq!(m.screen, Screen::Result);
    let s = m.status.as_ref().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(
        s.text.contains("Meeting created") && s.text.contains("disk full"),
        "{}",
        s.text
    );
}

#[test]
fn an_unavailable_history_says_why_instead_of_an_empty_list() {
    let mut m = model();
    intent(&mut m, Intent::MyMeetings);
    let job = m.meetings.job.unwrap();
    update(
        &mut m,
        Action::Meetings(MeetingsAction::Unavailable {
            job,
            why: "the meeting history is off".into(),
        }),
    );
    assert_eq!(
        m.meetings.error.as_deref(),
        Some("the meeting history is off")
    );
    assert_eq!(m.meetings.busy, None);
}

#[test]
fn every_option_set_in_the_form_lands_in_the_request_and_only_those() {
    use crate::meeting::options::SPECS;
    let mut m = model();
    type_text(&mut m, "Options");
    let request = |m: &Model| m.form.check(&m.now).request().unwrap().unwrap();
    let body = request(&m).to_graph_body();
    assert_eq!(
        body.as_object().unwrap().len(),
        3,
        "nothing but subject and times before a change: {body}"
    );
    m.form.focus = Field::Options;
    intent(&mut m, Intent::Activate);
    assert!(m.form.options_open);
    for (i, spec) in SPECS.iter().enumerate() {
        assert_eq!(m.form.option_cursor, i);
        intent(&mut m, Intent::OptionNext);
        let want = &spec.choices[(spec.default + 1) % spec.choices.len()];
        assert!(m.form.options.is(spec.key, want.name), "{}", spec.key);
        if i + 1 < SPECS.len() {
            intent(&mut m, Intent::OptionDown);
        }
    }
    // role-is-presenter is not among the values reached (presenters: everyone → organization).
    let body = request(&m).to_graph_body();
    for spec in SPECS {
        let top = spec.graph.split('.').next().unwrap();
        assert!(body.get(top).is_some(), "{} not sent: {body}", spec.graph);
    }
    // Reset one: it is no longer sent.
    intent(&mut m, Intent::OptionReset);
    assert!(
        request(&m)
            .to_graph_body()
            .get("isEndToEndEncryptionEnabled")
            .is_none()
    );
    // Past the last option, focus leaves the section.
    intent(&mut m, Intent::OptionDown);
    assert_eq!(m.form.focus, Field::Create);
    assert!(!m.form.options_open);
}

/// Ctrl+R finds the person under the cursor with the list's own splitter: `;` separates
/// as `,` does, with or without a space after it, and only that person changes.
#[test]
fn ctrl_r_changes_the_person_under_the_cursor_whatever_the_separator() {
    let at = |m: &mut Model, text: &str, cursor: usize| {
        m.form.attendees = tui_input::Input::new(text.into()).with_cursor(cursor);
    };
    let mut m = model();
    type_text(&mut m, "People");
    m.form.focus = Field::Attendees;
    at(&mut m, "ada@contoso.com;bob@contoso.com", 3);
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "ada@contoso.com:presenter;bob@contoso.com"
    );
    at(&mut m, "ada@contoso.com;bob@contoso.com", 31);
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "ada@contoso.com; bob@contoso.com:presenter"
    );
    at(
        &mut m,
        "ada@contoso.com; bob@contoso.com, cy@contoso.com",
        20,
    );
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "ada@contoso.com; bob@contoso.com:presenter, cy@contoso.com"
    );
    assert_eq!(m.form.attendees.cursor(), 42, "after the changed entry");
    let r = m.form.check(&m.now).request().unwrap().unwrap();
    let roles: Vec<_> = r.attendees().iter().map(|a| a.role.name()).collect();
    assert_eq!(roles, ["attendee", "presenter", "attendee"]);
    // Calendar mode: required ↔ optional, by the same rule.
    let mut m = model().with_mode(crate::tui::form_state::Mode::Calendar);
    m.form.focus = Field::Attendees;
    at(&mut m, "megan@contoso.com; alex@contoso.com", 35);
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "megan@contoso.com; alex@contoso.com:optional"
    );
}

#[test]
fn attendees_with_roles_land_in_the_request_and_bad_ones_block_it() {
    let mut m = model();
    type_text(&mut m, "People");
    m.form.focus = Field::Attendees;
    type_text(&mut m, "ada@contoso.com, bob@contoso.com");
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "ada@contoso.com, bob@contoso.com:presenter"
    );
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "ada@contoso.com, bob@contoso.com:coorganizer"
    );
    let r = m.form.check(&m.now).request().unwrap().unwrap();
    let roles: Vec<_> = r
        .attendees()
        .iter()
        .map(|a| (a.who.as_str(), a.role.name()))
        .collect();
    assert_eq!(
        roles,
        [
            ("ada@contoso.com", "attendee"),
            ("bob@contoso.com", "coorganizer")
        ]
    );
    // Specific presenters without any presenter: refused in the form, nothing sent.
    intent(&mut m, Intent::CycleRole);
    m.form
        .options
        .set("presenters", "role-is-presenter")
        .unwrap();
    let checked = m.form.check(&m.now);
    assert!(
        checked
            .error(Field::Attendees)
            .unwrap()
            .contains("no attendee is a presenter")
    );
    let effects = update(&mut m, Action::Intent(Intent::Submit));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(m.form.focus, Field::Attendees);
}

/// Issue 11: attendees need the directory permission; the form says why and offers the
/// sign-in that asks for it, keeping the input.
#[test]
fn a_needed_permission_is_asked_for_from_the_form() {
    let mut m = model();
    let job = submitted(&mut m);
    update(
        &mut m,
        Action::ConsentNeeded {
            job,
            feature: crate::permissions::Feature::Attendees,
        },
    );
    assert_eq!(m.screen, Screen::Form);
    let status = m.status.clone().unwrap();
    assert!(
        status.text.contains("(User.ReadBasic.All)") && status.text.contains("to sign in again"),
        "{status:?}"
    );
    assert_eq!(
        intent(&mut m, Intent::Submit),
        [Effect::SignIn {
            job: m.signin.job.unwrap()
        }]
    );
    assert_eq!(m.screen, Screen::SignIn);
}

/// Issue 14: typing into a field that still holds its default replaces it; a cursor key or
/// Backspace first keeps it for editing.
#[test]
fn typing_over_a_default_replaces_it_and_arrows_keep_it() {
    let mut m = model();
    let default_start = m.form.start.value().to_string();
    intent(&mut m, Intent::NextField);
    type_text(&mut m, "tomorrow 14:00");
    assert_eq!(m.form.start.value(), "tomorrow 14:00");
    intent(&mut m, Intent::NextField);
    update(&mut m, Action::Edit(InputRequest::GoToStart));
    type_text(&mut m, "1h");
    assert_eq!(
        m.form.end.value(),
        "1h30m",
        "an arrow first: the default is kept"
    );
    // Back in Start, now the person's own text: keys append.
    intent(&mut m, Intent::PrevField);
    type_text(&mut m, "!");
    assert_eq!(m.form.start.value(), "tomorrow 14:00!");
    // A paste replaces an untouched Language too.
    intent(&mut m, Intent::NextField);
    intent(&mut m, Intent::NextField);
    intent(&mut m, Intent::NextField);
    assert_eq!(m.form.focus, Field::Language);
    update(&mut m, Action::Paste("fr-FR".into()));
    assert_eq!(m.form.language.value(), "fr-FR");
    assert_ne!(default_start, "");
}

#[cfg(test)]
mod calendar;

#[test]
fn a_calendar_delete_refused_for_want_of_permission_offers_to_grant_it_and_comes_back() {
    let mut m = model();
    meetings_loaded(&mut m);
    intent(&mut m, Intent::Delete);
    intent(&mut m, Intent::Confirm);
    let job = m.meetings.job.unwrap();
    update(
        &mut m,
        Action::Meetings(MeetingsAction::NeedsPermission {
            job,
            feature: crate::permissions::Feature::Invite,
        }),
    );
    let status = m.status.as_ref().unwrap().text.clone();
    assert!(status.starts_with("Not deleted"), "{status}");
    assert!(
        status.contains("Calendars.ReadWrite") && status.contains("Ctrl+G"),
        "{status}"
    );
    assert!(!status.contains("licence"), "{status}");
    assert_eq!(m.scopes()[0], keymap::Scope::Consent);
    let effects = intent(&mut m, Intent::Grant);
    let [Effect::SignIn { job }] = effects.as_slice() else {
        panic!("expected a sign-in, got {effects:?}");
    };
    let job = *job;
    update(
        &mut m,
        Action::SignedIn {
            job,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Meetings, "back where it was refused");
    assert!(m.calendar.consent.is_none());
    assert!(m.status.as_ref().unwrap().text.contains("delete"));
}

#[test]
fn esc_after_saving_an_edit_goes_back_to_my_meetings() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Retro"));
    type_text(&mut m, "!");
    let effects = intent(&mut m, Intent::Submit);
    let [Effect::Meetings(MeetingsJob::Update { job, change, .. })] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let view = crate::tui::view::ResultView::from_meeting(
        &crate::graph::model::OnlineMeeting::default(),
        &Berlin,
        None,
    );
    update(
        &mut m,
        Action::Meetings(MeetingsAction::Updated {
            job: *job,
            result: Box::new(view),
            saved: change.summary(),
            note: None,
            warning: None,
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    let esc = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Esc,
        crossterm::event::KeyModifiers::NONE,
    );
    assert_eq!(
        keymap::lookup(&m.scopes(), &esc),
        Some(Intent::MyMeetings),
        "Esc goes back to the list, not to a new meeting"
    );
    let effects = intent(&mut m, Intent::MyMeetings);
    assert_eq!(m.screen, Screen::Meetings);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Meetings(MeetingsJob::Load { .. })]
    ));
    assert_eq!(m.scopes()[0], keymap::Scope::Meetings);
}

#[test]
fn d_replaces_a_waiting_browser_sign_in_with_a_device_code() {
    let mut m = model();
    update(&mut m, Action::SignInNeeded);
    let first = m.signin.job.unwrap();
    // Before the browser's address is shown, `d` does nothing.
    assert!(intent(&mut m, Intent::UseDeviceCode).is_empty());
    update(
        &mut m,
        Action::SignInBrowser {
            job: first,
            url: "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x".into(),
            opened: false,
        },
    );
    assert!(m.scopes().contains(&Scope::SignInBrowser));
    let fx = intent(&mut m, Intent::UseDeviceCode);
    let [
        Effect::Cancel { job: cancelled },
        Effect::SignInWithCode { job: second },
    ] = fx[..]
    else {
        panic!("the browser sign-in ends and a device code starts: {fx:?}");
    };
    assert_eq!(cancelled, first);
    assert_ne!(second, first);
    assert!(m.signin.browser.is_none() && m.signin.busy);
    assert!(!m.scopes().contains(&Scope::SignInBrowser));
    // The browser sign-in's late answer changes nothing.
    update(
        &mut m,
        Action::SignInBrowser {
            job: first,
            url: "https://x".into(),
            opened: true,
        },
    );
    assert!(m.signin.browser.is_none());
}

#[test]
fn resetting_an_option_in_an_edit_goes_back_to_the_meetings_value() {
    let mut m = model();
    meetings_loaded(&mut m);
    open_edit(&mut m, existing("Retro"));
    m.form.focus = Field::Options;
    m.form.options_open = true;
    m.form.option_cursor = 0; // lobby: organization at the service
    intent(&mut m, Intent::OptionNext);
    assert!(!m.form.options.is("lobby", "organization"));
    intent(&mut m, Intent::OptionReset);
    assert!(
        m.form.options.is("lobby", "organization"),
        "the meeting's value, not the service's default"
    );
    assert!(intent(&mut m, Intent::Submit).is_empty(), "nothing to save");
}

#[cfg(test)]
mod agenda;

#[test]
fn delete_on_a_series_asks_which_of_its_meetings() {
    let mut m = model();
    meetings_loaded(&mut m);
    m.meetings.rows[0].next_of_series = Some("Mon 9 Mar".into());
    m.meetings.rows[0].subject = "Stand-up · weekly on mon".into();
    let id = m.meetings.rows[0].id;
    assert!(intent(&mut m, Intent::Delete).is_empty());
    assert_eq!(m.scopes()[0], keymap::Scope::ConfirmSeries);
    let q = delete_question(&m).unwrap();
    assert!(
        q.starts_with("Cancel o: Mon 9 Mar only · f: from Mon 9 Mar on · a: all · n: none"),
        "{q}"
    );
    // Anything else cancels nothing.
    assert!(intent(&mut m, Intent::Back).is_empty());
    assert_eq!(m.confirm_delete(), None);
    assert_eq!(m.status.as_ref().unwrap().text, "Nothing cancelled.");
    for part in [
        keymap::SeriesPart::Next,
        keymap::SeriesPart::FromNext,
        keymap::SeriesPart::All,
    ] {
        m.meetings.busy = None;
        intent(&mut m, Intent::Delete);
        let effects = intent(&mut m, Intent::DeletePart(part));
        let job = m.meetings.job.unwrap();
        assert_eq!(
            effects,
            [Effect::Meetings(MeetingsJob::Delete { job, id, part })]
        );
        assert_eq!(m.meetings.busy, Some(Busy::Deleting));
    }
}
