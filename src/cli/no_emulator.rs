//! `tmeet emulator` in a tmeet built without the `demo` feature: the command stays known
//! (so it is not mistaken for a typo), accepts what the real one accepts, and says why it
//! cannot run.

use super::error::CliError;
use crate::settings::GlobalArgs;

#[derive(Debug, clap::Args)]
pub struct EmulatorArgs {
    /// Ignored: this tmeet has no emulator to pass them to
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<String>,
}

pub fn run(_global: &GlobalArgs, _args: EmulatorArgs) -> Result<(), CliError> {
    Err(CliError::usage(
        crate::services::startup::NO_EMULATOR.into(),
    ))
}
