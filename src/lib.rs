//! tmeet: create Microsoft Teams online meetings from a terminal.
//! The binary (`main.rs`) only parses the command line; everything lives here so that
//! integration tests can drive the same code, including the embedded Graph emulator.

pub mod auth;
pub mod cli;
pub mod clipboard;
pub mod emulator;
pub mod graph;
pub mod http;
pub mod meeting;
pub mod sanitize;
pub mod secret;
pub mod settings;
pub mod tui;
