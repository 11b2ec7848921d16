//! Non-interactive commands. Each `run` builds what it needs, prints, and returns the exit
//! code: 0 on success, 1 with one line on stderr on failure (2 is clap's usage error).

pub mod create;
pub mod emulator;
pub mod login;
pub mod logout;
pub mod output;
pub mod status;
