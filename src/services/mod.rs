//! The use cases the form and the commands share. A service is async, talks to Graph and
//! the history, and returns typed results and errors with no terminal text: the command
//! line (`cli/`) prints them, the form (`tui/`) shows them, so the two cannot disagree.
//!
//! Start-up is one of them (`startup`): settings → runtime → the one HTTP client → an
//! `Auth` configured by an `AuthConfig` built here from the settings (auth never reads
//! `Settings`) → in demo mode the embedded emulator. `startup::run` gives a command all of
//! it and shuts down however the work ended; `on_runtime` with `Started::scope` (or
//! `with_emulator`) inside is for a command that must go on when the sign-in cannot start
//! (`doctor`, `setup`) or needs none (`tmeet emulator`). Nothing is started any other way,
//! so no early return can leave the emulator running. Its refusal (`startup::Refusal`:
//! settings 2, anything else 1) is typed like every service error; the faces word it.
//!
//! Where a new thing goes: a Graph call → `graph/`; a use case both the form and a command
//! need → a module here, async, with a typed error (the command line turns it into its
//! `CliError` with a `From` impl in `cli/error.rs`); the words for it → the command in
//! `cli/` and the screen in `tui/`.

pub mod agenda;
pub mod attendance;
pub mod calendar;
pub mod event_edit;
pub mod my_meetings;
pub mod online_meeting;
pub mod people;
pub mod read_back;
pub mod respond;
pub mod series;
pub mod startup;
pub mod zones;
