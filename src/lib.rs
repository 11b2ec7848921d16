//! tmeet: create Microsoft Teams meetings from a terminal.
//!
//! The binary (`main.rs`) only parses the command line; everything lives here so that
//! integration tests can drive the same code. The Graph emulator behind `--demo` is the
//! `tmeet-emulator` crate (the default-on `demo` feature); it imports nothing from here and
//! owns its wire format.
//!
//! # Layers
//! From the bottom; a module may use its own layer and those below it, never one above.
//! `layering.rs` (a test) reads every `crate::` and `super::` path and fails on an import
//! that points up, and on a cycle between files.
//!
//! | layer | modules | holds |
//! |---|---|---|
//! | platform | `paths`, `settings`, `language`, `logging`, `http`, `env`, `colour`, `hyperlink`, `clipboard`, `secret`, `sanitize`, `exit`, `cloud` | where files live (0700), flag > environment > config.toml > default, terminal capabilities, the exit statuses |
//! | graph | `graph` | the typed client, the model, the lenient reader, Graph errors |
//! | auth | `auth` | sign-in flows and the token store |
//! | domain | `meeting`, `calendar` | a meeting's request, times, options table, attendees, invitation and share formats; events, zones, availability, suggestions, people |
//! | history | `history` | the SQLite store of My meetings |
//! | services | `services` | the use cases the form and the commands share: start-up, create/update an online meeting, calendar events, my meetings; typed results, no terminal text |
//! | faces | `cli`, `tui` | one file per command; the form (model, key table, screens, worker). Neither uses the other |
//!
//! # Where a new thing goes
//! - **A Graph call**: a method of `graph::client::GraphClient` (Outlook calls in
//!   `graph/client/outlook.rs`), returning the service's answer typed; one call per
//!   operation, used by the product and the tests alike.
//! - **A use case** that the form and a command both need: a function in `services/`,
//!   async, returning a typed result; the command prints it, the form shows it.
//! - **A command**: `cli/<command>.rs` (arguments → a service → printing), its variant in
//!   `cli/mod.rs`, and its line in README.md and the man page (generated from clap).
//! - **A form field**: its entry in `tui::form_state::Field` (label, order, which mode
//!   shows it, its input, what `check` makes of it and what it adds to the request's
//!   values) and the request it feeds in `meeting/` (or `calendar/`). `tui/ui/form.rs`
//!   draws every text field alike, so it is the third file only for a field that draws
//!   something of its own under its row: Location is named in `form_state.rs` alone
//!   besides the event it feeds, Message also in `ui/form.rs` for its hint. A field with
//!   behaviour of its own costs more: a list read from the service goes through
//!   `tui/app/<screen>.rs` and the worker (Category, five files), and Zone, which
//!   re-reads Start, End and find-a-time, touched nine.
//! - **A key**: one line in `tui/keymap.rs`'s table; dispatch, the footer and the help read it.

// GraphError carries every id a person needs to report a failure; errors are the cold
// path, so its size is not worth boxing it at every call site.
#![allow(clippy::result_large_err)]

pub mod auth;
pub(crate) mod browser;
pub mod calendar;
pub mod cli;
pub mod clipboard;
pub mod cloud;
pub(crate) mod colour;
pub(crate) mod env;
pub mod exit;
pub mod graph;
pub(crate) mod history;
pub mod http;
pub(crate) mod hyperlink;
pub(crate) mod language;
pub(crate) mod logging;
pub mod meeting;
pub(crate) mod paths;
pub mod permissions;
pub mod sanitize;
pub mod secret;
pub mod services;
pub mod settings;
pub mod tui;

#[cfg(test)]
mod layering;
