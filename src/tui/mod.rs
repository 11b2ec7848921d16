//! Placeholder: filled by the TUI work.
use crate::settings::GlobalArgs;
use std::process::ExitCode;

pub fn run(_global: &GlobalArgs) -> ExitCode {
    eprintln!("tmeet: not built yet");
    ExitCode::FAILURE
}
