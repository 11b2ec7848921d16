//! Placeholder: filled by its issue's work.
use crate::settings::GlobalArgs;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct EmulatorArgs {}

pub fn run(_global: &GlobalArgs, _args: EmulatorArgs) -> ExitCode {
    eprintln!("tmeet: not built yet");
    ExitCode::FAILURE
}
