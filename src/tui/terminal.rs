//! The terminal is put back on every exit path: normal return, `?` errors (the guard's
//! Drop) and panics (ratatui's hook restores before the panic message is printed).

use ratatui::DefaultTerminal;
use std::io;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Raw mode, alternate screen, and a panic hook that undoes both.
    pub fn enter() -> io::Result<Self> {
        let terminal = ratatui::try_init()?;
        Ok(Self { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
