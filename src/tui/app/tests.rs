//! `update` with plain values: no terminal, no runtime, no network.

use super::*;
use crate::graph::GraphError;
use crate::graph::error::ErrorKind;
use chrono::TimeZone;
use chrono_tz::Europe::Berlin;

/// Friday 27 Nov 2026, 10:07 in Berlin.
pub fn now() -> DateTime<Tz> {
    Berlin.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap()
}

pub fn model() -> Model {
    Model::new(now(), &Language::parse("de-DE").unwrap(), false, false)
}

pub fn type_text(m: &mut Model, s: &str) {
    for c in s.chars() {
        update(m, Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn intent(m: &mut Model, i: Intent) -> Vec<Effect> {
    update(m, Action::Intent(i))
}

/// A filled, valid form submitted: returns the job id.
pub fn submitted(m: &mut Model) -> u64 {
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
    let m2 = Model::new(now(), &Language::parse("ja").unwrap(), true, false);
    assert!(m2.form.passcode);
}

#[test]
fn focus_moves_and_wraps_both_ways() {
    let mut m = model();
    let order: Vec<Field> = (0..6)
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
    assert!(m.job.is_some() && m.needs_timer());
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
    assert_eq!(m.form.focus, Field::Create);
}

fn result_view() -> ResultView {
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
    }
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
    assert!(m.job.is_none() && !m.needs_timer());
    assert_eq!(
        intent(&mut m, Intent::Copy(CopyItem::JoinUrl)),
        [Effect::Copy {
            item: CopyItem::JoinUrl,
            text: "https://teams.example/l/meetup-join/1".into()
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
    for _ in 0..100 {
        intent(&mut m, Intent::ScrollDown);
    }
    let max = m.result_scroll;
    assert!(max > 0 && max < 20, "{max}");
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
    assert!(m.job.is_none());
    let second = match intent(&mut m, Intent::Submit).as_slice() {
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
    assert!(m.job.as_ref().unwrap().wait.is_none());
    assert_eq!(m.job.as_ref().unwrap().id, second);
}

#[test]
fn cancel_says_the_outcome_is_unknown() {
    let mut m = model();
    submitted(&mut m);
    intent(&mut m, Intent::Back);
    let s = m.status.clone().unwrap();
    assert!(s.text.contains("may exist"), "{s:?}");
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
    assert!(m.help);
    assert!(intent(&mut m, Intent::Submit).is_empty());
    intent(&mut m, Intent::Back);
    assert!(!m.help);
    // Ctrl+C quits from anywhere, cancelling an in-flight job.
    let job = submitted(&mut m);
    intent(&mut m, Intent::Help);
    assert_eq!(
        intent(&mut m, Intent::Quit),
        [Effect::Cancel { job }, Effect::Quit]
    );
}

#[test]
fn sign_in_flow() {
    let mut m = model();
    assert_eq!(update(&mut m, Action::SignInNeeded), [Effect::SignIn]);
    assert_eq!(m.screen, Screen::SignIn);
    assert!(m.needs_timer());
    update(
        &mut m,
        Action::SignInPrompt(SignInPrompt {
            user_code: "ABCD-EFGH".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            message: "m".into(),
            expires_in_secs: 900,
        }),
    );
    update(&mut m, Action::SignInFailed("expired".into()));
    assert!(!m.needs_timer());
    assert_eq!(intent(&mut m, Intent::Activate), [Effect::SignIn]);
    update(&mut m, Action::SignedIn("adele@contoso.com".into()));
    assert_eq!(m.screen, Screen::Form);
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
    assert!(act(&m, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)).contains("Quit"));
    m.screen = Screen::Result;
    assert!(act(&m, &key(KeyCode::Char('y'), KeyModifiers::NONE)).contains("JoinUrl"));
    assert!(act(&m, &key(KeyCode::Char('q'), KeyModifiers::NONE)).contains("Quit"));
}
