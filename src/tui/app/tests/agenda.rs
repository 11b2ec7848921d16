//! The Agenda through `update`: opening from the cache then the service, answering at once
//! or through the box (a comment, a new time, this date or the series), what is refused
//! without a request, the card's keys, and a missing permission granted and come back from.

use super::*;
use crate::graph::client::AnswerAction;
use crate::permissions::Feature;
use chrono::Utc;

fn row(aref: i64, subject: &str, hour: u32) -> AgendaRow {
    let start = now()
        .with_timezone(&Utc)
        .date_naive()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_utc();
    AgendaRow {
        aref,
        day: start.date_naive(),
        when: format!("{hour:02}:00–{hour:02}:30"),
        subject: subject.into(),
        organizer: Some("Megan Bowen".into()),
        answer: "none".into(),
        location: None,
        teams: true,
        link: Some(format!("https://teams.microsoft.com/l/meetup-join/{aref}")),
        start,
        end: start + chrono::Duration::minutes(30),
        mine: false,
        in_series: false,
        cancelled: false,
        proposals: true,
    }
}

/// The Agenda open with `rows` loaded; the load's job is done.
fn agenda(rows: Vec<AgendaRow>) -> Model {
    let mut m = model();
    let job = match intent(&mut m, Intent::Agenda).as_slice() {
        [
            Effect::Agenda(AgendaJob::Load {
                job,
                full: false,
                from,
                to,
            }),
        ] => {
            assert_eq!((*to - *from).num_days(), AGENDA_DAYS);
            *job
        }
        other => panic!("expected one Load, got {other:?}"),
    };
    assert_eq!(m.screen, Screen::Agenda);
    assert_eq!(m.agenda.busy, Some(AgendaBusy::Loading));
    update(
        &mut m,
        Action::Agenda(AgendaAction::Loaded {
            job,
            rows,
            freshness: Some("updated 10:07".into()),
            done: true,
        }),
    );
    assert_eq!(m.agenda.busy, None);
    m
}

fn answered(effects: &[Effect]) -> (i64, AnswerRequest) {
    match effects {
        [Effect::Agenda(AgendaJob::Answer { aref, request, .. })] => (*aref, request.clone()),
        other => panic!("expected one Answer, got {other:?}"),
    }
}

use crate::services::respond::AnswerRequest;

#[test]
fn the_cache_answers_first_and_the_service_then_keeps_the_selection() {
    let mut m = model();
    let job = match intent(&mut m, Intent::Agenda).as_slice() {
        [Effect::Agenda(AgendaJob::Load { job, .. })] => *job,
        other => panic!("{other:?}"),
    };
    // The cache: the list shows, marked as updating.
    update(
        &mut m,
        Action::Agenda(AgendaAction::Loaded {
            job,
            rows: vec![
                row(1, "Early", 6),
                row(2, "Standup", 11),
                row(3, "Review", 14),
            ],
            freshness: None,
            done: false,
        }),
    );
    assert_eq!(m.agenda.busy, Some(AgendaBusy::Updating));
    // 10:07 in Berlin is 09:07 UTC: the first meeting that has not ended is selected.
    assert_eq!(m.agenda.selected_row().unwrap().subject, "Standup");
    intent(&mut m, Intent::ScrollDown);
    // The service's answer adds a meeting before it: the selection stays on "Review".
    update(
        &mut m,
        Action::Agenda(AgendaAction::Loaded {
            job,
            rows: vec![
                row(1, "Early", 6),
                row(4, "New", 8),
                row(2, "Standup", 11),
                row(3, "Review", 14),
            ],
            freshness: Some("updated 10:07".into()),
            done: true,
        }),
    );
    assert_eq!(m.agenda.busy, None);
    assert_eq!(m.agenda.selected_row().unwrap().subject, "Review");
    // A stale answer (an earlier job) changes nothing.
    update(
        &mut m,
        Action::Agenda(AgendaAction::Loaded {
            job: job - 1,
            rows: vec![],
            freshness: None,
            done: true,
        }),
    );
    assert_eq!(m.agenda.rows.len(), 4);
    // R reads the whole calendar again.
    assert!(matches!(
        intent(&mut m, Intent::Refresh).as_slice(),
        [Effect::Agenda(AgendaJob::Load { full: true, .. })]
    ));
    // Esc goes back to the form.
    let mut m = agenda(vec![row(1, "Early", 11)]);
    intent(&mut m, Intent::Back);
    assert_eq!(m.screen, Screen::Form);
}

#[test]
fn a_accepts_a_single_meeting_at_once_and_the_list_shows_it() {
    let mut m = agenda(vec![row(7, "Standup", 11)]);
    let (aref, req) = answered(&intent(&mut m, Intent::Accept));
    assert_eq!(aref, 7);
    assert_eq!(req.action, AnswerAction::Accept);
    assert!(req.send_response && !req.series && req.comment.is_none());
    assert_eq!(m.agenda.busy, Some(AgendaBusy::Answering));
    // While it is on its way, another answer is not sent.
    assert!(intent(&mut m, Intent::Decline).is_empty());
    let job = m.agenda.job.unwrap();
    let mut now_accepted = row(7, "Standup", 11);
    now_accepted.answer = "accepted".into();
    update(
        &mut m,
        Action::Agenda(AgendaAction::Answered {
            job,
            aref: 7,
            declined: false,
            rows: vec![now_accepted],
            said: "Accepted \"Standup\"; the organizer was told.".into(),
        }),
    );
    assert_eq!(m.agenda.rows[0].answer, "accepted");
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Success);
}

#[test]
fn decline_asks_first_with_a_comment_and_a_new_time() {
    let mut m = agenda(vec![row(3, "Review", 14)]);
    assert!(intent(&mut m, Intent::Decline).is_empty());
    let b = m.answer_box().expect("the answer box");
    assert_eq!(b.lines, vec![AnswerLine::Comment, AnswerLine::NewTime]);
    assert_eq!(m.scopes()[0], Scope::AnswerBox);
    type_text(&mut m, "Out that day");
    intent(&mut m, Intent::NextField);
    type_text(&mut m, "not a time");
    // A new time that does not read keeps the box open and says why.
    assert!(intent(&mut m, Intent::Confirm).is_empty());
    let b = m.answer_box().unwrap();
    assert!(
        b.error.as_deref().unwrap().starts_with("New time:"),
        "{b:?}"
    );
    assert_eq!(b.comment.value(), "Out that day");
    for _ in 0.."not a time".len() {
        update(&mut m, Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut m, "2026-11-30 09:00..09:30");
    let (aref, req) = answered(&intent(&mut m, Intent::Confirm));
    assert_eq!(aref, 3);
    assert_eq!(req.action, AnswerAction::Decline);
    assert_eq!(req.comment.as_deref(), Some("Out that day"));
    let (s, e) = req.propose.unwrap();
    assert_eq!(s.to_rfc3339(), "2026-11-30T08:00:00+00:00");
    assert_eq!(e - s, chrono::Duration::minutes(30));
    assert!(m.answer_box().is_none());
    // Esc in the box sends nothing.
    let mut m = agenda(vec![row(3, "Review", 14)]);
    intent(&mut m, Intent::Decline);
    type_text(&mut m, "x");
    assert!(intent(&mut m, Intent::Back).is_empty());
    assert!(m.answer_box().is_none());
    assert_eq!(m.status.as_ref().unwrap().text, "Nothing was answered.");
}

#[test]
fn a_meeting_of_a_series_asks_this_date_or_the_series() {
    let mut r = row(5, "Weekly", 11);
    r.in_series = true;
    r.proposals = false;
    let mut m = agenda(vec![r]);
    // Even an accept asks, when the meeting is one of a series.
    assert!(intent(&mut m, Intent::Accept).is_empty());
    assert_eq!(
        m.answer_box().unwrap().lines,
        vec![AnswerLine::Comment, AnswerLine::Series]
    );
    intent(&mut m, Intent::NextField);
    assert_eq!(m.scopes()[0], Scope::AnswerSeries);
    intent(&mut m, Intent::Toggle);
    let (_, req) = answered(&intent(&mut m, Intent::Confirm));
    assert!(req.series);
    assert_eq!(req.action, AnswerAction::Accept);
    // The organizer forbids new times: tentative offers no line for one.
    let mut r = row(5, "Weekly", 11);
    r.proposals = false;
    let mut m = agenda(vec![r]);
    intent(&mut m, Intent::Tentative);
    assert_eq!(m.answer_box().unwrap().lines, vec![AnswerLine::Comment]);
}

#[test]
fn what_the_service_would_refuse_is_said_without_a_request() {
    let mut mine = row(1, "Mine", 11);
    mine.mine = true;
    let mut m = agenda(vec![mine]);
    assert!(intent(&mut m, Intent::Accept).is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("You organized this meeting")
    );
    let mut gone = row(2, "Gone", 11);
    gone.cancelled = true;
    let mut m = agenda(vec![gone]);
    assert!(intent(&mut m, Intent::Tentative).is_empty());
    assert!(m.status.as_ref().unwrap().text.contains("cancelled"));
    // A cancelled meeting can still be declined.
    intent(&mut m, Intent::Decline);
    assert!(m.answer_box().is_some());
    // No link: nothing to join.
    let mut bare = row(3, "Room only", 11);
    bare.link = None;
    let mut m = agenda(vec![bare]);
    assert!(intent(&mut m, Intent::Join).is_empty());
    assert!(m.status.as_ref().unwrap().text.contains("no Teams link"));
}

#[test]
fn o_joins_from_a_row_and_from_its_card_whose_keys_answer_and_go_back() {
    let mut m = agenda(vec![row(9, "Standup", 11)]);
    assert_eq!(
        intent(&mut m, Intent::Join),
        vec![Effect::Join {
            url: "https://teams.microsoft.com/l/meetup-join/9".into()
        }]
    );
    let job = match intent(&mut m, Intent::Activate).as_slice() {
        [Effect::Agenda(AgendaJob::Open { job, aref: 9 })] => *job,
        other => panic!("{other:?}"),
    };
    update(
        &mut m,
        Action::Agenda(AgendaAction::Opened {
            job,
            aref: 9,
            result: Box::new(result_view()),
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    assert_eq!(m.scopes()[0], Scope::FromAgenda);
    // On the card, d declines (the dial-in is copied with i there).
    assert!(intent(&mut m, Intent::Decline).is_empty());
    assert_eq!(m.answer_box().unwrap().aref, 9);
    intent(&mut m, Intent::Back);
    assert_eq!(
        intent(&mut m, Intent::Join),
        vec![Effect::Join {
            url: "https://teams.microsoft.com/l/meetup-join/9".into()
        }]
    );
    // Attendance is for the organizer.
    assert!(intent(&mut m, Intent::Attendance).is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("Only the organizer")
    );
    intent(&mut m, Intent::Agenda);
    assert_eq!(m.screen, Screen::Agenda);
    // A meeting created in the form joins through its own link.
    let mut m = created(result_view());
    assert_eq!(
        intent(&mut m, Intent::Join),
        vec![Effect::Join {
            url: "https://teams.example/l/meetup-join/1".into()
        }]
    );
    update(
        &mut m,
        Action::Joined(Err(("no browser".into(), "https://x".into()))),
    );
    assert_eq!(
        m.status.as_ref().unwrap().text,
        "Not opened (no browser); the link: https://x"
    );
}

#[test]
fn attendance_of_my_meeting_that_has_begun_is_added_to_its_card() {
    let mut mine = row(4, "Retro", 8);
    mine.mine = true;
    let mut m = agenda(vec![mine]);
    m.agenda.selected = 0;
    let job = match intent(&mut m, Intent::Activate).as_slice() {
        [Effect::Agenda(AgendaJob::Open { job, .. })] => *job,
        other => panic!("{other:?}"),
    };
    update(
        &mut m,
        Action::Agenda(AgendaAction::Opened {
            job,
            aref: 4,
            result: Box::new(result_view()),
        }),
    );
    let job = match intent(&mut m, Intent::Attendance).as_slice() {
        [Effect::Agenda(AgendaJob::Attendance { job, aref: 4 })] => *job,
        other => panic!("{other:?}"),
    };
    update(
        &mut m,
        Action::Agenda(AgendaAction::Attended {
            job,
            aref: 4,
            lines: vec!["Megan Bowen  28 min".into()],
        }),
    );
    let card = m.result.as_ref().unwrap();
    let s = card.sections.iter().find(|s| s.title == ATTENDED).unwrap();
    assert_eq!(s.lines, vec!["Megan Bowen  28 min".to_string()]);
}

#[test]
fn a_missing_permission_is_granted_by_signing_in_and_the_agenda_comes_back() {
    let mut m = model();
    let job = match intent(&mut m, Intent::Agenda).as_slice() {
        [Effect::Agenda(AgendaJob::Load { job, .. })] => *job,
        other => panic!("{other:?}"),
    };
    update(
        &mut m,
        Action::Agenda(AgendaAction::NeedsPermission {
            job,
            feature: Feature::Agenda,
        }),
    );
    assert!(m.agenda.error.as_deref().unwrap().contains("permission"));
    assert_eq!(m.scopes()[0], Scope::Consent);
    let fx = intent(&mut m, Intent::Grant);
    let Some(Effect::SignIn { job }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    update(
        &mut m,
        Action::SignedIn {
            job,
            account: "adele@contoso.com".into(),
        },
    );
    assert_eq!(m.screen, Screen::Agenda);
    assert!(m.agenda.error.is_none());
    assert!(matches!(m.agenda.busy, Some(AgendaBusy::Loading)));
}

#[test]
fn an_answer_on_a_card_reads_the_card_again_and_a_decline_goes_back_to_the_list() {
    let mut m = agenda(vec![row(9, "Standup", 11)]);
    let open = |m: &mut Model| {
        let job = match intent(m, Intent::Activate).as_slice() {
            [Effect::Agenda(AgendaJob::Open { job, .. })] => *job,
            other => panic!("{other:?}"),
        };
        update(
            m,
            Action::Agenda(AgendaAction::Opened {
                job,
                aref: 9,
                result: Box::new(result_view()),
            }),
        );
    };
    open(&mut m);
    let (_, req) = answered(&intent(&mut m, Intent::Accept));
    assert_eq!(req.action, AnswerAction::Accept);
    let job = m.agenda.job.unwrap();
    let fx = update(
        &mut m,
        Action::Agenda(AgendaAction::Answered {
            job,
            aref: 9,
            declined: false,
            rows: vec![row(9, "Standup", 11)],
            said: "Accepted \"Standup\".".into(),
        }),
    );
    let job = match fx.as_slice() {
        [Effect::Agenda(AgendaJob::Open { job, aref: 9 })] => *job,
        other => panic!("the card is read again: {other:?}"),
    };
    update(
        &mut m,
        Action::Agenda(AgendaAction::Opened {
            job,
            aref: 9,
            result: Box::new(result_view()),
        }),
    );
    assert_eq!(m.screen, Screen::Result);
    assert_eq!(m.status.as_ref().unwrap().text, "Accepted \"Standup\".");
    // A decline from the card: the meeting has left the calendar, and so has its card.
    intent(&mut m, Intent::Decline);
    let (_, req) = answered(&intent(&mut m, Intent::Confirm));
    let job = m.agenda.job.unwrap();
    assert_eq!(req.action, AnswerAction::Decline);
    let fx = update(
        &mut m,
        Action::Agenda(AgendaAction::Answered {
            job,
            aref: 9,
            declined: true,
            rows: vec![],
            said: "Declined \"Standup\".".into(),
        }),
    );
    assert!(fx.is_empty());
    assert_eq!(m.screen, Screen::Agenda);
}
