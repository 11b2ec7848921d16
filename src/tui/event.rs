//! Terminal events to actions: keys go through the key table first; what it does not claim
//! becomes text editing when a text field has focus.

use super::app::{Action, Model, Screen};
use super::keymap;
use crossterm::event::{Event, KeyEventKind};

pub fn to_action(model: &Model, event: &Event) -> Option<Action> {
    match event {
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(intent) = keymap::lookup(&model.scopes(), key) {
                return Some(Action::Intent(intent));
            }
            if model.confirm.is_some() && !model.help {
                // y/N: only y creates; any other key is no.
                return Some(Action::Intent(super::app::Intent::Back));
            }
            let editing = model.screen == Screen::Form
                && !model.help
                && model.job.is_none()
                && model.form.focus.is_text();
            if editing {
                tui_input::backend::crossterm::to_input_request(event).map(Action::Edit)
            } else {
                None
            }
        }
        _ => None,
    }
}
