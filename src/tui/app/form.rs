//! The form: typing and pasting into its fields, moving between them, the Options
//! section, and Ctrl+S (a create, a calendar event, or an edit's save).

use super::create::{Confirm, SameMeeting, Unsure, may_exist, start_job};
use super::signin::start_sign_in;
use super::{Effect, Intent, Model, Overlay, Relogin, Screen, StatusKind, calendar, meetings};
use crate::tui::form_state::{Field, FormState};
use crate::tui::keymap::{Scope, key_for};
use tui_input::InputRequest;

/// Editing the focused text field.
pub(super) fn edit(m: &mut Model, req: InputRequest) -> Vec<Effect> {
    let moves = matches!(
        req,
        InputRequest::SetCursor(_)
            | InputRequest::GoToPrevChar
            | InputRequest::GoToNextChar
            | InputRequest::GoToPrevWord
            | InputRequest::GoToNextWord
            | InputRequest::GoToStart
            | InputRequest::GoToEnd
    );
    if m.form_takes_text() && (moves || !meetings::refuse_fixed(m, None)) {
        let field = m.form.focus;
        if field.is_text() {
            m.form
                .before_edit(matches!(req, InputRequest::InsertChar(_)));
        }
        if !m.form.allows(field, &req) {
            m.set_status(StatusKind::Info, too_long(field, None));
        } else if let Some(input) = m.form.input_mut(field)
            && input.handle(req).is_some_and(|c| c.value)
        {
            m.form.touch(field);
        }
    }
    vec![]
}

/// Pasted text for the focused field.
pub(super) fn paste(m: &mut Model, text: String) -> Vec<Effect> {
    if m.form_takes_text() && !meetings::refuse_fixed(m, None) {
        let field = m.form.focus;
        if field.is_text() && !text.is_empty() {
            m.form.before_edit(true);
        }
        let room = m.form.room(field);
        if let Some(input) = m.form.input_mut(field) {
            let mut kept = 0;
            for c in text.chars().take(room) {
                input.handle(InputRequest::InsertChar(c));
                kept += 1;
            }
            m.form.touch(field);
            // Cut without a word, the rest of a long paste would be lost unseen.
            if text.chars().count() > kept {
                m.set_status(StatusKind::Info, too_long(field, Some(kept)));
            }
        }
    }
    vec![]
}

/// Why a field took no more (`pasted`: how much of a paste it kept), in the command line's
/// words for a subject too long.
fn too_long(field: Field, pasted: Option<usize>) -> String {
    let why = match field {
        Field::Subject => crate::meeting::RequestError::SubjectTooLong.to_string(),
        f => format!("{} takes at most {} characters", f.label(), f.max_chars()),
    };
    let mut why = why.chars();
    let first = why.next().map(|c| c.to_uppercase().to_string());
    let why = format!("{}{}", first.unwrap_or_default(), why.as_str());
    match pasted {
        Some(0) | None => format!("{why}: nothing more fits."),
        Some(kept) => format!("{why}: the paste was cut to its first {kept}."),
    }
}

pub(super) fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if m.job().is_some() {
        // While in flight only cancelling does anything: the request is already on its way,
        // so once cancelled its outcome is unknown.
        if intent == Intent::Back
            && let Some(job) = m.take_job(|_| true)
        {
            let again = if job.event {
                calendar::may_exist()
            } else {
                may_exist()
            };
            m.unsure = Some(Unsure {
                meeting: job.meeting,
                event: job.event,
            });
            m.set_status(StatusKind::Info, format!("Cancelled. {again}"));
            return vec![Effect::Cancel { job: job.id }];
        }
        return vec![];
    }
    if let Some(Overlay::Confirm(pending)) = m.close_if(|o| matches!(o, Overlay::Confirm(_))) {
        // Only y sends; n, Esc and every other key (the runtime maps unbound keys to Back
        // here) return to the form with nothing sent.
        if intent == Intent::Confirm {
            return start_job(m, pending.request, pending.meeting);
        }
        m.set_status(
            StatusKind::Info,
            "Nothing sent. A different subject or time is a new meeting and needs no question.",
        );
        return vec![];
    }
    if m.suggest().is_some() {
        return calendar::on_suggest_intent(m, intent);
    }
    if m.shared().is_some() {
        return calendar::on_shared_intent(m, intent);
    }
    if calendar::completion_open(m)
        && matches!(
            intent,
            Intent::ScrollDown | Intent::ScrollUp | Intent::Complete | Intent::Back
        )
    {
        return calendar::on_completion_intent(m, intent);
    }
    if meetings::refuse_fixed(m, Some(intent)) {
        return vec![];
    }
    match intent {
        Intent::Toggle if m.form.focus == Field::Mode => return calendar::toggle_mode(m),
        Intent::FindTime if m.form.mode == crate::tui::form_state::Mode::Calendar => {
            return calendar::find_time(m);
        }
        Intent::Grant => return calendar::grant(m),
        Intent::ShareFree => return calendar::share_free(m),
        _ => {}
    }
    let submitting =
        intent == Intent::Submit || (intent == Intent::Activate && m.form.focus == Field::Create);
    if submitting && m.relogin == Relogin::Offered {
        m.relogin = Relogin::Running;
        m.screen = Screen::SignIn;
        return start_sign_in(m);
    }
    let editing_base = m.editing.as_ref().map(|e| e.was.options.clone());
    let f = &mut m.form;
    match intent {
        Intent::NextField => {
            f.touch(f.focus);
            f.options_open = false;
            f.focus = f.focus.next(f.mode);
        }
        Intent::PrevField => {
            f.touch(f.focus);
            f.options_open = false;
            f.focus = f.focus.prev(f.mode);
        }
        Intent::Toggle if f.focus == Field::Passcode => f.passcode = !f.passcode,
        Intent::CycleRole => f.cycle_role(),
        Intent::OptionNext | Intent::OptionPrev if !f.options_open => f.options_open = true,
        Intent::OptionNext => f.cycle_option(true),
        Intent::OptionPrev => f.cycle_option(false),
        // Editing: back to what the meeting has, which is then not sent.
        Intent::OptionReset if f.options_open => match &editing_base {
            Some(was) => f
                .options
                .set_index(f.option_cursor, was.get(f.option_cursor)),
            None => f.reset_option(),
        },
        Intent::OptionDown | Intent::OptionUp => {
            let down = intent == Intent::OptionDown;
            if !(f.options_open && f.move_option(down)) {
                f.options_open = false;
                f.focus = if down {
                    f.focus.next(f.mode)
                } else {
                    f.focus.prev(f.mode)
                };
            }
        }
        Intent::Complete if f.focus == Field::Categories => {
            let mine = m.calendar.categories.clone().unwrap_or_default();
            let f = &mut m.form;
            match f.category_completion(&mine) {
                Some(whole) => {
                    f.categories = tui_input::Input::new(whole);
                    f.touch(Field::Categories);
                }
                None => {
                    f.categories.handle(InputRequest::GoToNextChar);
                }
            }
        }
        Intent::Complete => complete_language(f),
        Intent::Activate => match f.focus {
            Field::Create => return submit(m),
            Field::Language | Field::Zone => {
                complete_language(f);
                f.touch(f.focus);
                f.focus = f.focus.next(f.mode);
            }
            Field::Options | Field::Invitation => f.options_open = !f.options_open,
            _ => {
                f.touch(f.focus);
                f.focus = f.focus.next(f.mode);
            }
        },
        Intent::Submit => return submit(m),
        Intent::MyMeetings => return meetings::open(m),
        Intent::Back => {
            if f.options_open {
                f.options_open = false;
            } else if m.error.take().is_some() {
                m.status = None;
            } else if let Some(e) = meetings::end_edit(m) {
                // Leaving the edit: the meeting stays as it is, and so does the list.
                m.screen = Screen::Meetings;
                m.set_status(
                    StatusKind::Info,
                    format!("Not saved; \"{}\" is unchanged.", e.subject),
                );
            } else {
                m.set_status(
                    StatusKind::Info,
                    format!(
                        "Nothing to back out of. {} quits.",
                        key_for(Scope::Global, Intent::Interrupt)
                    ),
                );
            }
        }
        _ => {}
    }
    vec![]
}

/// Takes the suggested tag (or zone, in Zone) when the cursor is at the end of the field;
/// otherwise → just moves the cursor, as it does in every other field.
fn complete_language(f: &mut FormState) {
    let field = f.focus;
    let offered = match field {
        Field::Language => f.language_completion().map(str::to_string),
        Field::Zone => f.zone_completion(),
        _ => return,
    };
    let Some(input) = f.input_mut(field) else {
        return;
    };
    let at_end = input.cursor() == input.value().chars().count();
    match offered.filter(|_| at_end) {
        Some(c) => {
            *input = tui_input::Input::new(c);
            f.touch(field);
        }
        None => {
            input.handle(InputRequest::GoToNextChar);
        }
    }
}

fn submit(m: &mut Model) -> Vec<Effect> {
    m.form.submit_attempted = true;
    let checked = m.form.check(&m.now);
    if let Some(bad) = checked.first_bad_field() {
        m.form.focus = bad;
        let what = if m.editing.is_some() {
            "Not saved"
        } else {
            "Not created"
        };
        m.set_status(
            StatusKind::Error,
            format!("{what}: fix {} (in red).", bad.label()),
        );
        return vec![];
    }
    if m.editing.is_some() {
        return meetings::submit_edit(m, &checked);
    }
    if m.form.mode == crate::tui::form_state::Mode::Calendar {
        return calendar::submit(m, &checked);
    }
    match checked.request() {
        Some(Ok(request)) => {
            let meeting = SameMeeting::of(&m.form, &request);
            if m.unsure
                .as_ref()
                .is_some_and(|u| u.meeting.matches(&meeting))
            {
                m.open(Overlay::Confirm(Confirm { request, meeting }));
                // The status line shows the question while it is open.
                m.status = None;
                return vec![];
            }
            start_job(m, request, meeting)
        }
        Some(Err(e)) => {
            m.set_status(StatusKind::Error, format!("Not created: {e}"));
            vec![]
        }
        None => vec![],
    }
}
