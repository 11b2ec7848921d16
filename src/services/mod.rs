//! The use cases the form and the commands share. A service is async, talks to Graph and
//! the history, and returns typed results and errors with no terminal text: the command
//! line (`cli/`) prints them, the form (`tui/`) shows them, so the two cannot disagree.
//!
//! Where a new thing goes: a Graph call → `graph/`; a use case both the form and a command
//! need → a module here; the words for it → the command in `cli/` and the screen in
//! `tui/`.

pub mod agenda;
pub mod attendance;
pub mod calendar;
pub mod my_meetings;
pub mod online_meeting;
pub mod respond;
pub mod startup;
