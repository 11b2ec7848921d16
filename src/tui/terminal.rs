//! The terminal is put back on every exit path: normal return, `?` errors (the guard's
//! Drop), panics (our hook restores before the panic message is printed), and the signals
//! handled by the runtime (SIGTERM, SIGHUP, SIGQUIT; SIGTSTP and Ctrl+Z suspend).

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Stdout, Write};
use std::sync::Once;

pub(crate) struct TerminalGuard {
    pub terminal: Terminal<Screen>,
}

/// The crossterm backend, except that it never asks the terminal where the cursor is.
/// ratatui asks before clearing (on every resize and after a suspend) to put the cursor
/// back, which a full screen does not need; and the answer would have to come through the
/// input, which the input thread reads without pause, so the question could only time out
/// ("the cursor position could not be read") and end the session.
pub(crate) struct Screen(CrosstermBackend<Stdout>);

impl Backend for Screen {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.0.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.0.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.0.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        self.0.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.0.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.0)
    }
}

impl TerminalGuard {
    /// Raw mode, alternate screen, bracketed paste (so a paste arrives as text, never as
    /// keys), and a panic hook that undoes all three.
    pub(crate) fn enter() -> io::Result<Self> {
        install_panic_hook();
        keep_colours_the_screen_asks_for();
        enter_modes()?;
        match Terminal::new(Screen(CrosstermBackend::new(io::stdout()))) {
            Ok(terminal) => Ok(Self { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Ctrl+Z or SIGTSTP: give the terminal back to the shell, stop, and on `fg` (SIGCONT)
    /// take it again and redraw everything, as the shell may have written over the screen.
    pub(crate) fn suspend(&mut self) -> io::Result<()> {
        restore();
        // SIGSTOP, not SIGTSTP: the runtime catches SIGTSTP, so raising that would only
        // come back to us. SIGSTOP cannot be caught; the shell reports the job stopped
        // either way, and raise returns once SIGCONT arrives.
        // SAFETY: raise has no memory-safety preconditions.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
        enter_modes()?;
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// The screen applies `NO_COLOR` itself (the draw pass clears every cell's colour) except
/// on the QR code, which must stay black on white or it would not scan. crossterm would
/// apply `NO_COLOR` a second time and drop every colour, the code's too, leaving it in the
/// terminal's foreground: inverted on a dark terminal, its quiet zone gone. So crossterm
/// writes whatever colours the cells still carry.
pub(crate) fn keep_colours_the_screen_asks_for() {
    crossterm::style::Colored::set_ansi_color_disabled(false);
}

fn enter_modes() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    if let Err(e) = execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    Ok(())
}

/// Leaves the alternate screen, bracketed paste and raw mode. Errors are ignored: this runs
/// on the way out, also after SIGHUP when the terminal is gone and every write fails, and
/// printing about it would only fail the same way (or panic inside a panic).
pub(crate) fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
