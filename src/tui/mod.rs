//! The interactive form (DESIGN.md "Architecture"): terminal events become actions, a pure
//! `update` turns them into state changes and effects, the runtime carries the effects out
//! and feeds worker results back as actions, and rendering reads the state.

pub mod app;
pub mod event;
pub mod form;
pub mod keymap;
pub mod terminal;
pub mod ui;
pub mod view;

use crate::settings::GlobalArgs;
use std::process::ExitCode;

pub fn run(_global: &GlobalArgs) -> ExitCode {
    eprintln!("tmeet: not built yet");
    ExitCode::FAILURE
}
