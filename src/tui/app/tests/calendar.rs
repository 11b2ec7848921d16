//! Calendar mode through `update`: the mode switch, the event's transaction id across
//! retries, the permissions features ask for, free/busy, and finding a time.

use super::*;
use crate::calendar::{Event, FreeBusy, Suggestion, Suggestions};
use crate::permissions::Feature;
use crate::services::calendar::CalendarError;
use crate::services::zones::ZonedSuggestions;
use crate::tui::app::calendar::{FREE_BUSY_DEBOUNCE_MS, SideError};
use crate::tui::form_state::Mode;
use crate::tui::worker::event_answer;
use chrono::Utc;

fn calendar_model() -> Model {
    model().with_mode(Mode::Calendar)
}

fn clock(m: &mut Model, ms: u64) {
    let now = m.now;
    update(m, Action::Clock { ms, now });
}

/// Subject and two invitees typed; returns the CreateEvent's job and transaction id.
fn submit_event(m: &mut Model) -> (u64, String) {
    match intent(m, Intent::Submit).as_slice() {
        [Effect::CreateEvent { job, request }] => (*job, request.transaction_id.clone()),
        other => panic!("expected one CreateEvent, got {other:?}"),
    }
}

fn filled(m: &mut Model) {
    type_text(m, "Design review");
    set(
        &mut m.form.attendees,
        "megan@contoso.com, alex@contoso.com:optional",
    );
}

#[test]
fn the_mode_switch_changes_the_fields_and_is_remembered() {
    let mut m = model();
    assert_eq!(m.form.mode, Mode::Standalone);
    m.form.focus = Field::Mode;
    assert!(m.scopes().contains(&Scope::ModeField));
    let fx = intent(&mut m, Intent::Toggle);
    assert_eq!(m.form.mode, Mode::Calendar);
    assert_eq!(fx, [Effect::RememberMode(Mode::Calendar)]);
    assert_eq!(Mode::Calendar.as_str(), "calendar");
    // Calendar: no passcode, no language (the mailbox's decides); Message and Location
    // after Attendees.
    m.form.focus = Field::Subject;
    let order: Vec<Field> = (0..13)
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
            Field::Zone,
            Field::Mode,
            Field::Attendees,
            Field::Message,
            Field::Location,
            Field::Repeats,
            Field::Invitation,
            Field::Categories,
            Field::Options,
            Field::Create,
            Field::Subject
        ]
    );
    m.form.focus = Field::Mode;
    assert_eq!(
        intent(&mut m, Intent::Toggle),
        [Effect::RememberMode(Mode::Standalone)]
    );
    // A demo remembers nothing for the real tmeet.
    let mut demo = model();
    demo.demo = true;
    demo.form.focus = Field::Mode;
    assert!(intent(&mut demo, Intent::Toggle).is_empty());
    assert_eq!(demo.form.mode, Mode::Calendar);
    // A failed write is said, not dropped.
    update(&mut m, Action::Remembered(Err("cannot write".into())));
    assert!(m.status.unwrap().text.contains("not be remembered"));
}

#[test]
fn ctrl_r_makes_an_invitee_optional_and_back() {
    let mut m = calendar_model();
    m.form.focus = Field::Attendees;
    set(&mut m.form.attendees, "megan@contoso.com, alex@contoso.com");
    m.form.attendees = tui_input::Input::new(m.form.attendees.value().into()).with_cursor(3);
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "megan@contoso.com:optional, alex@contoso.com"
    );
    intent(&mut m, Intent::CycleRole);
    assert_eq!(
        m.form.attendees.value(),
        "megan@contoso.com, alex@contoso.com"
    );
}

#[test]
fn a_calendar_submission_sends_an_event_request() {
    let mut m = calendar_model();
    filled(&mut m);
    set(&mut m.form.message, "Agenda: the new design");
    set(&mut m.form.location, "Room 4");
    m.form.passcode = true; // from an earlier standalone meeting: not sent
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::CreateEvent { request, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(request.invitees.len(), 2);
    assert_eq!(
        request.invitees[1].kind,
        crate::calendar::AttendeeType::Optional
    );
    assert_eq!(request.message.as_deref(), Some("Agenda: the new design"));
    assert_eq!(request.location.as_deref(), Some("Room 4"));
    assert!(!request.meeting.passcode_required());
    assert_eq!(request.meeting.subject(), "Design review");
}

/// The Invitation section works as Options does: folded to its summary, opened with the
/// same key, walked with ↑/↓ (leaving at either end), changed with Space/←/→, set back with
/// Backspace; the categories are typed beside it; what was set (and nothing else) is in the
/// event sent, as the command line's flags would have put it.
#[test]
fn the_invitation_section_opens_cycles_and_reaches_the_event() {
    use crate::calendar::invitation_fields::{FIELDS, InvitationFields};
    let mut m = calendar_model();
    filled(&mut m);
    m.form.focus = Field::Invitation;
    assert!(m.scopes().contains(&Scope::OptionsField));
    assert!(!m.form.options_open);
    intent(&mut m, Intent::Activate);
    assert!(m.form.options_open);
    // Show as: busy → away.
    intent(&mut m, Intent::OptionNext);
    intent(&mut m, Intent::OptionDown);
    // Reminder: 15 minutes → 30.
    intent(&mut m, Intent::OptionNext);
    intent(&mut m, Intent::OptionDown);
    // Importance: normal → low, then set back: not sent.
    intent(&mut m, Intent::OptionPrev);
    intent(&mut m, Intent::OptionReset);
    // To the last row, Hide attendees: off → on; one more ↓ leaves the section, folded.
    for _ in 0..4 {
        intent(&mut m, Intent::OptionDown);
    }
    intent(&mut m, Intent::OptionNext);
    intent(&mut m, Intent::OptionDown);
    assert_eq!(m.form.focus, Field::Categories);
    assert!(!m.form.options_open);
    // The Options section's cursor was not moved by the Invitation's.
    assert_eq!(m.form.option_cursor, 0);
    type_text(&mut m, "Red category, Travel");
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::CreateEvent { request, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let mut want = InvitationFields::default();
    want.set("show-as", "away").unwrap();
    want.set("reminder", "30").unwrap();
    want.set("hide-attendees", "on").unwrap();
    want.set("categories", "Red category, Travel").unwrap();
    assert_eq!(request.invitation, want, "{:?}", request.invitation);
    let body = request.to_graph_body(&crate::calendar::OutlookZone::for_tz(
        chrono_tz::Europe::Berlin,
    ));
    assert_eq!(body["showAs"], "oof");
    assert_eq!(body["reminderMinutesBeforeStart"], 30);
    assert_eq!(body["hideAttendees"], true);
    assert!(body.get("importance").is_none(), "set back: not sent");
    assert_eq!(FIELDS.len(), 8);
}

/// The Category field asks once for the mailbox's categories when it first has focus;
/// once they are known, → at the end of the last name takes the category it begins.
#[test]
fn categories_are_asked_for_once_and_complete_the_last_name() {
    let mut m = calendar_model();
    m.form.focus = Field::Invitation;
    let fx = intent(&mut m, Intent::NextField);
    assert_eq!(m.form.focus, Field::Categories);
    assert_eq!(fx, [Effect::MasterCategories]);
    assert!(m.scopes().contains(&Scope::CategoriesField));
    intent(&mut m, Intent::PrevField);
    assert!(intent(&mut m, Intent::NextField).is_empty(), "asked once");
    // Without the permission nothing answers: the field is free text.
    type_text(&mut m, "Red category, bl");
    intent(&mut m, Intent::Complete);
    assert_eq!(m.form.categories.value(), "Red category, bl");
    update(
        &mut m,
        Action::Categories(vec!["Red category".into(), "Blue category".into()]),
    );
    m.form.categories = tui_input::Input::new("Red category, bl".into());
    intent(&mut m, Intent::Complete);
    assert_eq!(m.form.categories.value(), "Red category, Blue category");
    let checked = m.form.check(&m.now);
    assert_eq!(
        checked.invitation.unwrap().lines(),
        [("Categories", "Red category, Blue category".to_string())]
    );
}

/// `[invitation]` from config.toml starts the section; its categories stand in the
/// Category field, where they can be seen and changed, and are sent from there.
#[test]
fn config_invitation_defaults_start_the_form() {
    use crate::calendar::invitation_fields::InvitationFields;
    let mut config = InvitationFields::default();
    config.set("show-as", "tentative").unwrap();
    config.set("categories", "Team, Travel").unwrap();
    let m = calendar_model().with_invitation(config);
    assert_eq!(m.form.categories.value(), "Team, Travel");
    assert_eq!(m.form.invitation.changed().count(), 1);
    let sent = m.form.check(&m.now).invitation.unwrap();
    assert_eq!(
        sent.lines(),
        [
            ("Show as", "tentative".to_string()),
            ("Categories", "Team, Travel".to_string())
        ]
    );
}

/// A standalone meeting has no invitation: the section and the categories are not on
/// its form, and nothing set in calendar mode is sent with it.
#[test]
fn a_standalone_meeting_has_no_invitation_fields() {
    let mut m = model();
    assert!(!Field::Invitation.applies(Mode::Standalone));
    assert!(!Field::Categories.applies(Mode::Standalone));
    m.form.invitation.set("importance", "high").unwrap();
    let checked = m.form.check(&m.now);
    assert_eq!(checked.invitation.as_ref().map(|i| i.is_empty()), Ok(true));
}

/// The form refuses a calendar meeting with nobody invited, as `create --calendar` does:
/// the rule is the request builder's.
#[test]
fn a_calendar_meeting_that_invites_nobody_is_not_sent() {
    let mut m = calendar_model();
    type_text(&mut m, "Design review");
    assert!(intent(&mut m, Intent::Submit).is_empty());
    assert!(m.job().is_none());
    let status = m.status.clone().expect("a reason").text;
    assert!(
        status.contains(crate::calendar::EventRequest::NOBODY_INVITED),
        "{status}"
    );
    // Someone invited: it goes.
    set(&mut m.form.attendees, "megan@contoso.com");
    assert!(matches!(
        intent(&mut m, Intent::Submit).as_slice(),
        [Effect::CreateEvent { .. }]
    ));
}

#[test]
fn a_retry_of_the_same_submission_keeps_its_transaction_id_and_asks_nothing() {
    let mut m = calendar_model();
    filled(&mut m);
    let (job, first) = submit_event(&mut m);
    outcome_unknown(&mut m, job);
    let said = m.status.clone().unwrap().text;
    assert!(said.contains("same transaction id"), "{said}");
    // The same meeting again: no question, the same id, and the status says why.
    let (job, again) = submit_event(&mut m);
    assert_eq!(again, first);
    assert!(m.confirm().is_none());
    assert!(
        m.status
            .clone()
            .unwrap()
            .text
            .contains("same transaction id")
    );
    // Esc while in flight: still the same submission.
    intent(&mut m, Intent::Back);
    assert!(m.job().is_none());
    let (job2, third) = submit_event(&mut m);
    assert_ne!(job2, job);
    assert_eq!(third, first);
    outcome_unknown(&mut m, job2);
    // A different meeting (new subject) is a new submission with a new id.
    set(&mut m.form.subject, "Another review");
    let (job3, other) = submit_event(&mut m);
    assert_ne!(other, first);
    // Once created, the next meeting gets a new id even with the same details.
    update(
        &mut m,
        Action::EventCreated {
            job: job3,
            result: Box::new(result_view()),
            outcome: crate::tui::app::calendar::EventOutcome::default(),
            warnings: vec![],
        },
    );
    intent(&mut m, Intent::NewMeeting);
    let (_, next) = submit_event(&mut m);
    assert_ne!(next, other);
}

#[test]
fn the_event_result_shows_invitations_and_the_calendar_link() {
    let mut m = calendar_model();
    filled(&mut m);
    let (job, _) = submit_event(&mut m);
    update(
        &mut m,
        Action::EventCreated {
            job,
            result: Box::new(crate::tui::view::ResultView {
                event_link: Some("https://outlook.office365.com/owa/?itemid=X".into()),
                ..result_view()
            }),
            outcome: crate::tui::app::calendar::EventOutcome {
                invited: 2,
                existed: false,
            },
            warnings: vec!["the meeting options could not be set".into()],
        },
    );
    assert_eq!(m.screen, Screen::Result);
    let status = m.status.clone().unwrap();
    assert!(
        status.text.contains("invitations sent to 2 people"),
        "{status:?}"
    );
    assert!(
        status.text.contains("options could not be set"),
        "warnings reach the status line"
    );
    let fx = intent(&mut m, Intent::Copy(CopyItem::WebLink));
    assert!(
        matches!(&fx[..], [Effect::Copy { text, .. }] if text.contains("itemid=X")),
        "{fx:?}"
    );
}

/// The silent downgrade (GRAPH-SCHEDULING.md §3.6): the event exists and its invitations
/// went out, so the form says so (never "not created"), names it, points at My meetings to
/// cancel it, and the next submission is a new event rather than the same linkless one.
#[test]
fn an_event_without_a_teams_link_is_told_as_created_without_one_and_not_retried() {
    let mut m = calendar_model();
    filled(&mut m);
    let (job, first) = submit_event(&mut m);
    let created = crate::services::calendar::CreatedEvent {
        event: Event {
            id: "AAMk1".into(),
            subject: Some("Design review".into()),
            web_link: Some("https://outlook.office365.com/owa/?itemid=AAMk1".into()),
            provider: Some("unknown".into()),
            start: Some(Utc::now() + chrono::Duration::days(1)),
            end: Some(Utc::now() + chrono::Duration::days(1) + chrono::Duration::hours(1)),
            ..Event::default()
        },
        answer: crate::graph::client::Answer {
            value: serde_json::json!({"id": "AAMk1"}),
            json: r#"{"id":"AAMk1"}"#.into(),
            request_id: None,
            client_request_id: "c".into(),
        },
        meeting: None,
        invited: 2,
        existed: false,
        warnings: Vec::new(),
    };
    let lost = Err(CalendarError::NoTeamsLink {
        created: Box::new(created),
        allowed: Some(vec!["teamsForBusiness".into()]),
    });
    let answer = event_answer(job, lost, Berlin, None, false);
    assert!(
        matches!(answer, Action::EventWithoutLink { .. }),
        "{answer:?}"
    );
    update(&mut m, answer);
    assert_eq!(m.screen, Screen::Result);
    assert_eq!(m.meetings.shown, Shown::WithoutLink);
    assert!(m.error.is_none(), "not an error that keeps the form");
    let r = m.result.clone().unwrap();
    assert!(r.join_url.is_none(), "{r:?}");
    assert!(r.event_link.as_deref().unwrap().contains("itemid=AAMk1"));
    let status = m.status.clone().unwrap();
    assert_eq!(status.kind, StatusKind::Error);
    let text = status.text;
    assert!(
        text.starts_with("The event was created without a Teams link"),
        "{text}"
    );
    assert!(text.contains("invitations sent to 2 people"), "{text}");
    assert!(text.contains("F2") && text.contains("cancels it"), "{text}");
    assert!(!text.contains("not created"), "{text}");
    // Back to the form, the same values: a new event with a new transaction id, since
    // the old one would only give back the same event without a link.
    intent(&mut m, Intent::NewMeeting);
    let (_, second) = submit_event(&mut m);
    assert_ne!(first, second);
}

#[test]
fn a_missing_calendar_permission_is_offered_and_after_the_sign_in_the_create_works() {
    let mut m = calendar_model();
    filled(&mut m);
    let (job, first) = submit_event(&mut m);
    let answer = event_answer(
        job,
        Err(CalendarError::Consent(Feature::Invite)),
        Berlin,
        None,
        false,
    );
    update(&mut m, answer);
    let status = m.status.clone().unwrap().text;
    assert!(status.contains("Calendars.ReadWrite"), "{status}");
    assert!(status.contains(Feature::Invite.why()), "{status}");
    assert_eq!(m.relogin, Relogin::Offered);
    // Ctrl+S signs in (the worker asked for the scope); after it, Ctrl+S creates.
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::SignIn { job: signin }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::SignedIn {
            job: *signin,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    let (_, again) = submit_event(&mut m);
    assert_eq!(again, first, "the same meeting, the same transaction id");
}

fn free_busy(people: &[&str]) -> FreeBusy {
    let start = Utc.with_ymd_and_hms(2026, 11, 26, 23, 0, 0).unwrap();
    FreeBusy {
        start,
        end: start + chrono::Duration::days(1),
        interval_minutes: 30,
        people: people
            .iter()
            .map(|p| crate::calendar::PersonSchedule {
                who: p.to_string(),
                slots: vec![crate::calendar::Availability::Free; 48],
                error: None,
                working_hours: None,
            })
            .collect(),
    }
}

/// The free/busy job the debounce sends once it is due.
fn free_busy_job(m: &mut Model) -> (u64, Vec<String>) {
    let due = m.ms + FREE_BUSY_DEBOUNCE_MS;
    clock(m, due);
    let fx = update(m, Action::Timer);
    fx.iter()
        .find_map(|e| match e {
            Effect::FreeBusy { job, people, .. } => Some((*job, people.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a FreeBusy job, got {fx:?}"))
}

#[test]
fn free_busy_follows_the_day_and_the_people_after_a_pause() {
    let mut m = calendar_model();
    clock(&mut m, 0);
    // A deadline is set, and nothing is sent before it.
    let at = m.next_deadline().expect("a debounce deadline");
    assert_eq!(
        at,
        m.epoch + std::time::Duration::from_millis(FREE_BUSY_DEBOUNCE_MS)
    );
    clock(&mut m, FREE_BUSY_DEBOUNCE_MS - 1);
    assert!(update(&mut m, Action::Timer).is_empty());
    clock(&mut m, 0);
    let (first, people) = free_busy_job(&mut m);
    assert!(
        people.is_empty(),
        "the worker adds the organizer: {people:?}"
    );
    assert!(m.next_deadline().is_none(), "idle: no timer");

    m.form.focus = Field::Attendees;
    type_text(&mut m, "megan@contoso.com, al");
    let (second, people) = free_busy_job(&mut m);
    assert_eq!(
        people,
        ["megan@contoso.com"],
        "the half-typed one is left out"
    );
    // The first answer is stale now.
    update(
        &mut m,
        Action::FreeBusy {
            job: first,
            result: Ok(free_busy(&["adele@contoso.com"]).into()),
        },
    );
    assert!(m.calendar.free_busy.shown.is_none());
    update(
        &mut m,
        Action::FreeBusy {
            job: second,
            result: Ok(free_busy(&["adele@contoso.com", "megan@contoso.com"]).into()),
        },
    );
    assert_eq!(m.calendar.free_busy.shown.as_ref().unwrap().people.len(), 2);
    // The same day and people again: nothing is asked.
    type_text(&mut m, "x");
    update(&mut m, Action::Edit(InputRequest::DeletePrevChar));
    assert!(m.calendar.free_busy.pending.is_none());
    // Standalone mode has no strip and asks for none.
    m.form.mode = Mode::Standalone;
    set(&mut m.form.attendees, "");
    update(&mut m, Action::Timer);
    assert!(m.calendar.free_busy.pending.is_none());
    assert!(m.next_deadline().is_none(), "an idle form sets no timer");
}

#[test]
fn without_the_calendar_permission_a_note_replaces_the_strip_and_grant_signs_in() {
    let mut m = calendar_model();
    clock(&mut m, 0);
    let (job, _) = free_busy_job(&mut m);
    update(
        &mut m,
        Action::FreeBusy {
            job,
            result: Err(SideError::Consent(Feature::FreeBusy)),
        },
    );
    let note = m.calendar.free_busy.note.clone().unwrap();
    assert!(note.contains("Calendars.Read.Shared"), "{note}");
    assert!(note.contains(Feature::FreeBusy.why()), "{note}");
    assert!(m.scopes().contains(&Scope::Consent));
    // Not asked again and again while the permission is missing.
    m.form.focus = Field::Attendees;
    type_text(&mut m, "megan@contoso.com");
    assert!(m.calendar.free_busy.pending.is_none());
    let fx = intent(&mut m, Intent::Grant);
    let [Effect::SignIn { job: signin }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(m.screen, Screen::SignIn);
    update(
        &mut m,
        Action::SignedIn {
            job: *signin,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Form);
    assert!(m.calendar.consent.is_none());
    assert!(
        m.status
            .clone()
            .unwrap()
            .text
            .contains("see when people are free")
    );
    // The strip is asked for again.
    let (_, people) = free_busy_job(&mut m);
    assert_eq!(people, ["megan@contoso.com"]);
}

#[test]
fn the_creates_sign_in_also_lifts_a_side_features_refusal() {
    let mut m = calendar_model();
    clock(&mut m, 0);
    let (job, _) = free_busy_job(&mut m);
    update(
        &mut m,
        Action::FreeBusy {
            job,
            result: Err(SideError::Consent(Feature::FreeBusy)),
        },
    );
    assert!(m.calendar.free_busy.note.is_some());
    filled(&mut m);
    let (job, _) = submit_event(&mut m);
    let answer = event_answer(
        job,
        Err(CalendarError::Consent(Feature::Invite)),
        Berlin,
        None,
        false,
    );
    update(&mut m, answer);
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::SignIn { job: signin }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::SignedIn {
            job: *signin,
            account: "adele@contoso.com".into(),
        },
    );
    // That sign-in asked for the strip's permission too: the note goes, the strip is
    // asked for again, and Ctrl+G is no longer offered.
    assert!(m.calendar.free_busy.note.is_none());
    assert!(m.calendar.consent.is_none());
    assert!(!m.scopes().contains(&Scope::Consent));
    let (_, people) = free_busy_job(&mut m);
    assert_eq!(people, ["megan@contoso.com", "alex@contoso.com"]);
}

fn suggestion(h: u32) -> Suggestion {
    Suggestion {
        start: Utc.with_ymd_and_hms(2026, 11, 30, h, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 30, h, 45, 0).unwrap(),
        confidence: 100.0,
        organizer: crate::calendar::Availability::Free,
        attendees: vec![],
        reason: None,
    }
}

#[test]
fn taking_a_suggested_time_sets_start_and_end() {
    let mut m = calendar_model();
    filled(&mut m);
    set(&mut m.form.end, "45m");
    let fx = intent(&mut m, Intent::FindTime);
    let [
        Effect::Suggest {
            job,
            attendees,
            minutes,
            from,
            to,
            outside_hours,
            within,
            repeat,
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert!(!outside_hours, "within working hours first");
    assert_eq!(*repeat, None, "a meeting that happens once");
    assert_eq!(
        *within,
        crate::calendar::suggestions::WithinHours::All,
        "everyone's"
    );
    assert_eq!(*minutes, 45);
    assert_eq!(attendees, &["megan@contoso.com", "alex@contoso.com"]);
    // 10:07 Berlin: from the next half hour, 10:30.
    assert_eq!(
        *from,
        crate::meeting::time::next_half_hour(&now()).with_timezone(&Utc)
    );
    assert_eq!(
        from.with_timezone(&now().timezone())
            .format("%H:%M")
            .to_string(),
        "10:30"
    );
    assert_eq!(*to - *from, chrono::Duration::days(7));
    assert!(m.scopes().contains(&Scope::Suggestions));
    // The list is modal: typing does not reach the form.
    type_text(&mut m, "zz");
    assert_eq!(m.form.subject.value(), "Design review");
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions::from(Suggestions {
                items: vec![suggestion(9), suggestion(13)],
                ..Suggestions::default()
            })),
        },
    );
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::Activate);
    assert!(m.suggest().is_none());
    // 13:00 UTC is 14:00 in Berlin.
    assert_eq!(m.form.start.value(), "2026-11-30 14:00");
    assert_eq!(m.form.end.value(), "2026-11-30 14:45");
    let checked = m.form.check(&m.now);
    assert!(checked.start.is_ok() && checked.end.is_ok());
    // Esc closes a list without changing anything.
    intent(&mut m, Intent::FindTime);
    intent(&mut m, Intent::Back);
    assert!(m.suggest().is_none());
    assert_eq!(m.form.start.value(), "2026-11-30 14:00");
}

/// The window on a Saturday: the service says OrganizerUnavailable (in PascalCase); the
/// list says so in words and its key searches again beyond working hours, once.
#[test]
fn outside_working_hours_is_said_and_the_list_offers_to_look_beyond_them() {
    let mut m = calendar_model();
    filled(&mut m);
    let fx = intent(&mut m, Intent::FindTime);
    let [Effect::Suggest { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let saturday = serde_json::json!({"emptySuggestionsReason": "OrganizerUnavailable", "meetingTimeSuggestions": []});
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions::from(Suggestions::from_graph(
                &saturday, false,
            ))),
        },
    );
    let key = crate::tui::keymap::key_for(Scope::Suggestions, Intent::FindTime);
    let status = m
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("working hours") && status.contains(&key),
        "{status}"
    );
    let words = m
        .suggest()
        .unwrap()
        .suggestions
        .as_ref()
        .unwrap()
        .empty_reason
        .clone()
        .unwrap();
    assert!(words.contains("outside your working hours"), "{words}");
    let fx = intent(&mut m, Intent::FindTime);
    let [
        Effect::Suggest {
            job, outside_hours, ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert!(*outside_hours);
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions::from(Suggestions::from_graph(
                &saturday, true,
            ))),
        },
    );
    // Already beyond working hours: busy is what is left to say, and nothing is offered.
    assert!(intent(&mut m, Intent::FindTime).is_empty());
    let words = m
        .suggest()
        .unwrap()
        .suggestions
        .as_ref()
        .unwrap()
        .empty_reason
        .clone()
        .unwrap();
    assert_eq!(words, "you are not free at any time in the window");
}

#[test]
fn a_stale_or_refused_suggestion_answer_is_handled() {
    let mut m = calendar_model();
    filled(&mut m);
    let fx = intent(&mut m, Intent::FindTime);
    let [Effect::Suggest { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let job = *job;
    update(
        &mut m,
        Action::Suggested {
            job: job + 100,
            result: Ok(ZonedSuggestions::from(Suggestions::default())),
        },
    );
    assert!(m.suggest().unwrap().suggestions.is_none());
    update(
        &mut m,
        Action::Suggested {
            job,
            result: Err(SideError::Consent(Feature::FindTime)),
        },
    );
    assert!(m.suggest().is_none());
    assert_eq!(m.calendar.consent, Some(Feature::FindTime));
    assert!(
        m.status
            .clone()
            .unwrap()
            .text
            .contains("Calendars.Read.Shared")
    );
}

fn person(name: &str, address: &str) -> crate::calendar::PersonMatch {
    crate::calendar::PersonMatch {
        name: name.into(),
        address: address.into(),
        external: false,
        from: crate::calendar::Source::People,
    }
}

#[test]
fn a_completed_name_replaces_the_typed_fragment_with_the_address() {
    let mut m = calendar_model();
    m.form.focus = Field::Attendees;
    clock(&mut m, 0);
    type_text(&mut m, "alex@contoso.com, meg");
    // Nothing is asked while typing; the deadline is a one-shot timer for the runtime.
    let at = m.next_deadline().expect("the completion's pause");
    assert!(at <= m.instant() + crate::tui::completion::DEBOUNCE);
    clock(&mut m, 10_000);
    let fx = update(&mut m, Action::Timer);
    let Some(Effect::FindPeople { id, text }) = fx
        .iter()
        .find(|e| matches!(e, Effect::FindPeople { .. }))
        .cloned()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(text, "meg");
    // Tab leaves the field while no list is open.
    assert!(!m.scopes().contains(&Scope::CompletionList));
    update(
        &mut m,
        Action::People {
            id,
            result: Ok(vec![
                person("Megan Bowen", "MeganB@contoso.com"),
                person("Meghan Reyes", "meghan@contoso.com"),
            ]),
            source: crate::calendar::Source::People,
        },
    );
    assert!(m.scopes().contains(&Scope::CompletionList));
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::ScrollDown);
    intent(&mut m, Intent::Complete);
    assert_eq!(
        m.form.attendees.value(),
        "alex@contoso.com, meghan@contoso.com, "
    );
    assert_eq!(
        m.form.focus,
        Field::Attendees,
        "accepting stays in the field"
    );
    assert!(!m.scopes().contains(&Scope::CompletionList));
    // A stale answer (an old request id) shows nothing.
    update(
        &mut m,
        Action::People {
            id,
            result: Ok(vec![person("Megan Bowen", "MeganB@contoso.com")]),
            source: crate::calendar::Source::People,
        },
    );
    assert!(m.calendar.completion.matches().is_empty());
}

#[test]
fn a_separator_typed_after_an_added_name_leaves_no_empty_entry() {
    let mut m = calendar_model();
    m.form.focus = Field::Attendees;
    clock(&mut m, 0);
    // What the field holds after a completion added ", " and the person typed ", " too.
    type_text(&mut m, "alex@contoso.com, , meg");
    clock(&mut m, 10_000);
    let fx = update(&mut m, Action::Timer);
    let Some(Effect::FindPeople { id, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::FindPeople { .. }))
        .cloned()
    else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::People {
            id,
            result: Ok(vec![person("Megan Bowen", "MeganB@contoso.com")]),
            source: crate::calendar::Source::People,
        },
    );
    intent(&mut m, Intent::Complete);
    assert_eq!(
        m.form.attendees.value(),
        "alex@contoso.com, MeganB@contoso.com, "
    );
    assert_eq!(
        m.form.attendees.cursor(),
        m.form.attendees.value().chars().count()
    );
}

#[test]
fn without_people_read_completion_says_typed_addresses_work_and_offers_the_grant() {
    let mut m = calendar_model();
    m.form.focus = Field::Attendees;
    clock(&mut m, 0);
    type_text(&mut m, "meg");
    clock(&mut m, 10_000);
    let fx = update(&mut m, Action::Timer);
    let Some(Effect::FindPeople { id, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::FindPeople { .. }))
        .cloned()
    else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::People {
            id,
            result: Err(SideError::Consent(Feature::Complete)),
            source: crate::calendar::Source::People,
        },
    );
    let why = m.calendar.completion.error().unwrap().to_string();
    assert!(
        why.contains("typed addresses only") && why.contains("People.Read"),
        "{why}"
    );
    assert_eq!(m.calendar.consent, Some(Feature::Complete));
    // Typing goes on, and nothing more is asked.
    type_text(&mut m, "an");
    clock(&mut m, 20_000);
    let fx = update(&mut m, Action::Timer);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::FindPeople { .. })),
        "{fx:?}"
    );
}

#[test]
fn repeats_in_words_makes_the_event_a_series_and_a_bad_rule_stops_ctrl_s() {
    let mut m = calendar_model();
    filled(&mut m);
    set(&mut m.form.start, "2027-03-16 10:00");
    set(&mut m.form.repeats, "weekly on tue for 4");
    let checked = m.form.check(&m.now);
    let series = checked.repeat.clone().unwrap().expect("a series");
    assert_eq!(series.occurrences().count(), 4);
    let preview = checked.repeat_preview(2027);
    assert_eq!(preview[0], "weekly on tue for 4 (Europe/Berlin)");
    // The clocks change on 28 March: the preview says so before sending.
    assert!(
        preview[1].contains("CET") && preview[1].contains("CEST"),
        "{preview:?}"
    );
    let (_, request) = match intent(&mut m, Intent::Submit).as_slice() {
        [Effect::CreateEvent { job, request }] => (*job, request.clone()),
        other => panic!("expected one CreateEvent, got {other:?}"),
    };
    assert!(request.series.is_some());

    // A rule that does not read: the field says why and nothing is sent.
    let mut m = calendar_model();
    filled(&mut m);
    set(&mut m.form.repeats, "every 0 weeks");
    m.form.focus = Field::Subject;
    assert!(intent(&mut m, Intent::Submit).is_empty());
    let checked = m.form.check(&m.now);
    assert!(checked.error(Field::Repeats).is_some());
    assert_eq!(checked.first_bad_field(), Some(Field::Repeats));
    assert_eq!(m.form.focus, Field::Repeats);
    // A standalone meeting has no Repeats field: what was typed there is not sent.
    let mut m = model();
    set(&mut m.form.repeats, "weekly");
    assert!(!Field::Repeats.applies(m.form.mode));
    assert!(m.form.check(&m.now).repeat.unwrap().is_none());
}

// ---- the Zone field -----------------------------------------------------------------------

/// The Zone field's text typed over its default, as a person tabbing into it would.
fn zone(m: &mut Model, text: &str) {
    m.form.focus = Field::Zone;
    type_text(m, text);
}

#[test]
fn the_zone_field_reads_the_times_shows_both_zones_and_sends_the_event_in_it() {
    let mut m = calendar_model();
    filled(&mut m);
    assert_eq!(m.form.zone.value(), "Europe/Berlin", "the terminal's zone");
    assert_eq!(
        m.form.check(&m.now).zone_line(),
        None,
        "one zone, said once"
    );
    m.form.focus = Field::Start;
    type_text(&mut m, "2026-12-01 10:00");
    zone(&mut m, "new york");
    assert_eq!(m.form.zone.value(), "new york", "typed over the default");
    let checked = m.form.check(&m.now);
    assert_eq!(checked.zone, Ok(chrono_tz::America::New_York));
    assert_eq!(
        checked
            .start
            .as_ref()
            .unwrap()
            .with_timezone(&Utc)
            .to_rfc3339(),
        "2026-12-01T15:00:00+00:00",
        "10:00 in New York"
    );
    assert_eq!(
        checked.zone_line().as_deref(),
        Some("10:00–10:30 New York · 16:00–16:30 Berlin")
    );
    // A series repeats in it too: the Repeats field keeps its own behaviour otherwise.
    set(&mut m.form.repeats, "weekly for 3");
    let fx = intent(&mut m, Intent::Submit);
    let [Effect::CreateEvent { request, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(request.zone, Some(chrono_tz::America::New_York));
    assert_eq!(
        request.series.as_ref().map(|s| s.zone()),
        Some(chrono_tz::America::New_York)
    );
    let body = request.to_graph_body(&crate::calendar::OutlookZone::for_tz(request.zone.unwrap()));
    assert_eq!(body["start"]["timeZone"], "America/New_York", "{body}");
    assert_eq!(body["start"]["dateTime"], "2026-12-01T10:00:00", "{body}");
    assert_eq!(
        body["recurrence"]["range"]["recurrenceTimeZone"], "America/New_York",
        "{body}"
    );
}

#[test]
fn an_untouched_start_follows_a_new_zone_at_once() {
    let mut m = calendar_model();
    assert_eq!(m.form.start.value(), "2026-11-27 10:30");
    zone(&mut m, "Asia/Tokyo");
    // The same next half hour, written in Tokyo's clock.
    assert_eq!(m.form.start.value(), "2026-11-27 18:30");
    let start = m.form.check(&m.now).start.unwrap();
    assert_eq!(
        start.with_timezone(&Utc).to_rfc3339(),
        "2026-11-27T09:30:00+00:00"
    );
    // A start the person typed stays theirs.
    m.form.focus = Field::Start;
    type_text(&mut m, "2026-12-01 09:00");
    zone(&mut m, "America/New_York");
    assert_eq!(m.form.start.value(), "2026-12-01 09:00");
}

#[test]
fn a_bad_zone_is_the_fields_error_in_one_line_and_blocks_sending() {
    let mut m = calendar_model();
    filled(&mut m);
    for bad in ["IST", "Nwe York", "UTC+5:30"] {
        set(&mut m.form.zone, bad);
        let checked = m.form.check(&m.now);
        let err = checked.error(Field::Zone).unwrap().to_string();
        assert!(!err.contains('\n'), "{err}");
        assert!(checked.start.is_ok(), "the times are still judged");
        m.form.focus = Field::Subject;
        assert!(intent(&mut m, Intent::Submit).is_empty(), "{bad}");
        assert_eq!(m.form.focus, Field::Zone, "{bad}");
        assert!(m.status.as_ref().unwrap().text.contains("Zone"));
    }
    set(&mut m.form.zone, "IST");
    let err = m.form.check(&m.now).error(Field::Zone).unwrap().to_string();
    assert!(
        err.contains("ambiguous") && err.contains("Asia/Kolkata"),
        "{err}"
    );
    // A standalone meeting has no zone: the field is not on it and judges nothing.
    m.form.mode = Mode::Standalone;
    assert!(!Field::Zone.applies(Mode::Standalone));
    assert_eq!(m.form.check(&m.now).error(Field::Zone), None);
}

#[test]
fn the_zone_completes_from_names_cities_and_abbreviations() {
    let mut m = calendar_model();
    zone(&mut m, "tok");
    assert!(m.scopes().contains(&Scope::LanguageField));
    assert_eq!(m.form.zone_completion().as_deref(), Some("Asia/Tokyo"));
    intent(&mut m, Intent::Complete);
    assert_eq!(m.form.zone.value(), "Asia/Tokyo");
    // A name that is already a zone is not offered another.
    assert_eq!(m.form.zone_completion(), None);
    set(&mut m.form.zone, "EST");
    assert_eq!(m.form.zone_completion(), None);
    set(&mut m.form.zone, "IST");
    assert_eq!(m.form.zone_completion(), None, "the error lists its places");
    set(&mut m.form.zone, "america/los");
    intent(&mut m, Intent::Activate);
    assert_eq!(m.form.zone.value(), "America/Los_Angeles");
    assert_ne!(m.form.focus, Field::Zone, "Enter takes it and moves on");
}

#[test]
fn a_suggested_time_is_written_in_the_zones_clock() {
    let mut m = calendar_model();
    filled(&mut m);
    zone(&mut m, "Asia/Tokyo");
    let fx = intent(&mut m, Intent::FindTime);
    let [Effect::Suggest { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions::from(Suggestions {
                items: vec![suggestion(9)],
                ..Suggestions::default()
            })),
        },
    );
    intent(&mut m, Intent::Activate);
    // 09:00 UTC is 18:00 in Tokyo, and the same instant once read back.
    assert_eq!(m.form.start.value(), "2026-11-30 18:00");
    let checked = m.form.check(&m.now);
    assert_eq!(
        checked.start.unwrap().with_timezone(&Utc).to_rfc3339(),
        "2026-11-30T09:00:00+00:00"
    );
}

/// Nobody's hours meet mine: the list offers to search within mine alone, and what comes
/// back keeps each invitee's hours for the list to mark.
#[test]
fn when_the_others_hours_never_meet_mine_the_list_looks_within_mine_alone() {
    use crate::calendar::hours::{PersonHours, WorkingHours};
    use crate::calendar::suggestions::WithinHours;
    let mut m = calendar_model();
    filled(&mut m);
    let fx = intent(&mut m, Intent::FindTime);
    let [Effect::Suggest { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let tokyo = PersonHours {
        who: "megan@contoso.com".into(),
        hours: WorkingHours::from_graph(&serde_json::json!({
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "09:00:00", "endTime": "18:00:00",
            "timeZone": {"name": "Tokyo Standard Time"}})),
    };
    let none = serde_json::json!({"emptySuggestionsReason": "attendeesUnavailable"});
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions {
                attendees: vec![tokyo.clone()],
                ..Suggestions::from_graph(&none, false).into()
            }),
        },
    );
    let status = m.status.clone().unwrap().text;
    assert!(status.contains("within yours alone"), "{status}");
    let fx = intent(&mut m, Intent::FindTime);
    let [
        Effect::Suggest {
            job,
            within,
            outside_hours,
            ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(*within, WithinHours::Organizer);
    assert!(!outside_hours);
    // 09:00 UTC on Monday is 18:00 in Tokyo: at the end of her day.
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions {
                attendees: vec![tokyo],
                within: WithinHours::Organizer,
                ..Suggestions {
                    items: vec![suggestion(9)],
                    ..Suggestions::default()
                }
                .into()
            }),
        },
    );
    let view = m.suggest().unwrap();
    assert_eq!(view.people.len(), 1);
    assert_eq!(view.within, WithinHours::Organizer);
    let s = &view.suggestions.as_ref().unwrap().items[0];
    let times = crate::calendar::hours::invitee_times(s, &view.people);
    assert_eq!(times[0].inside, Some(false));
    // Searched within mine already: nothing wider is offered.
    assert_eq!(crate::tui::app::calendar::wider_search(view), None);
}

// ---- my free times to share ---------------------------------------------------------------

fn free_times(
    spans: Vec<(chrono::DateTime<Utc>, chrono::DateTime<Utc>)>,
) -> crate::services::zones::FreeTimes {
    crate::services::zones::FreeTimes {
        longest_free: spans.iter().map(|(s, e)| *e - *s).max(),
        spans,
        hours: crate::services::zones::assumed_hours(chrono_tz::Europe::Berlin),
        source: crate::services::zones::HoursSource::Schedule,
        longest_working: Some(chrono::Duration::hours(8)),
        mine: None,
    }
}

/// Ctrl+T: my free times for a week, at least the form's length each, shown and copied;
/// in the Zone field's zone when planning for someone elsewhere.
#[test]
fn the_share_key_shows_and_copies_my_free_times_in_the_zones_clock() {
    let mut m = model();
    assert!(
        keymap::BINDINGS
            .iter()
            .any(|b| b.intent == Intent::ShareFree && b.scope == Scope::Form),
        "in both modes: it serves people outside the organization too"
    );
    let fx = intent(&mut m, Intent::ShareFree);
    let [
        Effect::ShareFree {
            job,
            from,
            to,
            min_minutes,
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(*min_minutes, 30, "the form's length");
    // From the next half hour (10:30 Berlin) to the end of the seventh day.
    assert_eq!(from.to_rfc3339(), "2026-11-27T09:30:00+00:00");
    assert_eq!(to.to_rfc3339(), "2026-12-03T23:00:00+00:00");
    assert!(m.scopes().contains(&Scope::Shared));
    // Modal: typing does not reach the form.
    type_text(&mut m, "zz");
    assert_eq!(m.form.subject.value(), "");
    let monday = |h, min| Utc.with_ymd_and_hms(2026, 11, 30, h, min, 0).unwrap();
    let fx = update(
        &mut m,
        Action::FreeTimes {
            job: *job,
            result: Ok(free_times(vec![(monday(8, 0), monday(9, 30))])),
        },
    );
    let text = "Free (CET): Mon 30 Nov 09:00–10:30";
    assert_eq!(m.shared().unwrap().text.as_deref(), Some(text));
    assert_eq!(
        fx,
        [Effect::Copy {
            item: CopyItem::FreeTimes,
            text: text.into(),
            html: None
        }]
    );
    intent(&mut m, Intent::Back);
    assert!(m.shared().is_none());

    // Planning in New York: the line is in New York's time, named.
    let mut m = calendar_model();
    m.form.zone = tui_input::Input::new("America/New_York".into());
    set(&mut m.form.end, "1h");
    let fx = intent(&mut m, Intent::ShareFree);
    let [
        Effect::ShareFree {
            job, min_minutes, ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(*min_minutes, 60);
    let fx = update(
        &mut m,
        Action::FreeTimes {
            job: *job,
            result: Ok(free_times(vec![(monday(14, 0), monday(16, 0))])),
        },
    );
    let [Effect::Copy { text, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(text, "Free (EST): Mon 30 Nov 09:00–11:00");
}

#[test]
fn nothing_free_or_no_permission_is_said_and_nothing_is_copied() {
    let mut m = model();
    let fx = intent(&mut m, Intent::ShareFree);
    let [Effect::ShareFree { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let mut full = free_times(vec![]);
    full.longest_free = Some(chrono::Duration::minutes(15));
    let fx = update(
        &mut m,
        Action::FreeTimes {
            job: *job,
            result: Ok(full),
        },
    );
    assert!(fx.is_empty(), "{fx:?}");
    let error = m.shared().unwrap().error.clone().unwrap();
    assert!(error.contains("the longest is 15 min"), "{error}");
    // A stale answer changes nothing; Esc closes.
    update(
        &mut m,
        Action::FreeTimes {
            job: *job + 9,
            result: Ok(free_times(vec![])),
        },
    );
    intent(&mut m, Intent::Back);
    assert!(m.shared().is_none());
    let fx = intent(&mut m, Intent::ShareFree);
    let [Effect::ShareFree { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    update(
        &mut m,
        Action::FreeTimes {
            job: *job,
            result: Err(SideError::Consent(Feature::FreeBusy)),
        },
    );
    assert!(m.shared().is_none());
    assert_eq!(m.calendar.consent, Some(Feature::FreeBusy));
    // Esc while it is read cancels the job.
    let fx = intent(&mut m, Intent::ShareFree);
    let [Effect::ShareFree { job, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let job = *job;
    assert_eq!(intent(&mut m, Intent::Back), [Effect::Cancel { job }]);
}

#[test]
fn find_a_time_for_a_series_carries_its_rule_and_shows_which_later_meetings_clash() {
    let mut m = calendar_model();
    filled(&mut m);
    set(&mut m.form.repeats, "weekly on mon for 6");
    let fx = intent(&mut m, Intent::FindTime);
    let [Effect::Suggest { job, repeat, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let (rule, zone) = repeat.expect("the form's rule goes with the search");
    assert_eq!(rule.to_string(), "weekly on mon for 6");
    assert_eq!(zone, m.zone());
    let at = |d: u32| {
        Utc.with_ymd_and_hms(2037, 3, d, 9, 0, 0)
            .unwrap()
            .with_timezone(&zone)
    };
    let later = vec![vec![
        crate::services::series::Clash {
            start: at(9),
            end: at(9) + chrono::Duration::minutes(30),
            busy: vec!["megan@contoso.com".into()],
        },
        crate::services::series::Clash {
            start: at(16),
            end: at(16) + chrono::Duration::minutes(30),
            busy: vec![],
        },
    ]];
    update(
        &mut m,
        Action::Suggested {
            job: *job,
            result: Ok(ZonedSuggestions {
                later,
                ..Suggestions {
                    items: vec![suggestion(9)],
                    ..Suggestions::default()
                }
                .into()
            }),
        },
    );
    let view = m.suggest().unwrap();
    assert_eq!(view.later.len(), 1);
    assert_eq!(
        crate::services::series::later_line(&view.later[0], &zone, str::to_string),
        "the next 2 meetings: Mon 9 Mar megan@contoso.com not free"
    );
}

/// A zone pasted into the field replaces its default, as a typed one does.
#[test]
fn a_pasted_zone_replaces_the_default() {
    let mut m = calendar_model();
    m.form.focus = Field::Zone;
    update(&mut m, Action::Paste("Asia/Tokyo".into()));
    assert_eq!(m.form.zone.value(), "Asia/Tokyo");
    assert_eq!(m.form.check(&m.now).zone, Ok(chrono_tz::Asia::Tokyo));
}
