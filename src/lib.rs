//! tmeet: create Microsoft Teams online meetings from a terminal.
//! The binary (`main.rs`) only parses the command line; everything lives here so that
//! integration tests can drive the same code. The Graph emulator behind `--demo` is the
//! `tmeet-emulator` crate (the default-on `demo` feature).

// GraphError carries every id a person needs to report a failure; errors are the cold
// path, so its size is not worth boxing it at every call site.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod bootstrap;
pub mod browser;
pub mod calendar;
pub mod cli;
pub mod clipboard;
pub mod cloud;
pub mod colour;
pub mod env;
pub mod exit;
pub mod graph;
pub mod history;
pub mod http;
pub mod hyperlink;
pub(crate) mod logging;
pub mod meeting;
pub mod sanitize;
pub mod schedule;
pub mod secret;
pub mod services;
pub mod settings;
pub mod tui;
