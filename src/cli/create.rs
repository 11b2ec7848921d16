//! Placeholder: filled by its issue's work.
use crate::settings::GlobalArgs;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CreateArgs {}

pub fn run(_global: &GlobalArgs, _args: CreateArgs) -> ExitCode {
    eprintln!("tmeet: not built yet");
    ExitCode::FAILURE
}
