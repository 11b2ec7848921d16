//! The non-interactive commands, one file each: arguments (clap) → a service → printing.
//!
//! Every command's `run` returns `Result<(), CliError>` ([`error`]); `main` hands it to
//! [`finish`], the one place that says the error's line on stderr and exits with its
//! status from the one table in `crate::exit`. A command starts up through
//! `crate::services::startup`: `run` (settings → runtime → client, sign-in and in demo
//! mode the emulator, and shut down however the work ended), or `on_runtime` with
//! `Started::scope` / `with_emulator` inside when it must go on without a sign-in.
//! Standard output is written through `output::say!`, which never panics.
//!
//! Where a new command goes: `cli/<command>.rs` with its clap `Args` and
//! `pub fn run(global, args) -> Result<(), CliError>`; its `pub mod` line here; its
//! variant and dispatch line in `main.rs`; its line in README.md (the man page and
//! completions are generated from clap). Its logic, if the form needs it too, is a
//! function in `services/`; the words stay here.

pub mod agenda;
pub mod attendance;
pub mod cancel;
pub(crate) mod common;
pub mod completions;
pub mod create;
pub mod delete;
pub mod doctor;
#[cfg(feature = "demo")]
pub mod emulator;
#[cfg(not(feature = "demo"))]
#[path = "no_emulator.rs"]
pub mod emulator;
pub mod error;
pub mod free;
pub mod join;
pub mod list;
pub mod login;
pub mod logout;
pub mod man;
pub mod next;
pub(crate) mod option_args;
pub(crate) mod outlook;
pub(crate) mod output;
pub mod respond;
pub(crate) mod series_scope;
pub mod setup;
pub mod show;
pub mod status;
pub mod suggest;
pub mod update;

pub use error::{CliError, finish};
