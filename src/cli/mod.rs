//! Non-interactive commands. Each `run` builds what it needs, prints, and returns the exit
//! code: 0 on success, 1 with one line on stderr on failure (2 is clap's usage error;
//! `create` answers 3 when the meeting may exist, see `create::EXIT_OUTCOME_UNKNOWN`).

pub mod create;
#[cfg(feature = "demo")]
pub mod emulator;
#[cfg(not(feature = "demo"))]
#[path = "no_emulator.rs"]
pub mod emulator;
pub mod login;
pub mod logout;
pub mod output;
pub mod status;
