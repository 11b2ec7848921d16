//! Placeholder: filled by the TUI work.
