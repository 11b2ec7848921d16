//! Non-interactive commands. Each `run` gets what it needs from `crate::services::startup`, prints,
//! and returns an exit status from the one table in `crate::exit`.

pub mod agenda;
pub mod attendance;
pub mod cancel;
pub mod common;
pub mod completions;
pub mod create;
pub mod delete;
pub mod doctor;
#[cfg(feature = "demo")]
pub mod emulator;
#[cfg(not(feature = "demo"))]
#[path = "no_emulator.rs"]
pub mod emulator;
pub mod free;
pub mod join;
pub mod list;
pub mod login;
pub mod logout;
pub mod man;
pub mod next;
pub mod option_args;
pub(crate) mod outlook;
pub mod output;
pub mod respond;
pub mod setup;
pub mod show;
pub mod status;
pub mod suggest;
pub mod update;
