//! Copying to the person's clipboard, wherever they are.
//!
//! With a display (X11/Wayland), arboard owns the selection. On X11 the copied text lives
//! only as long as its owner, so one [`Clipboard`] is kept for the whole session. Without a
//! display (SSH, a console, CI) the text is sent to the terminal as OSC 52, which terminals
//! that allow it put on the local clipboard, also across SSH. Inside tmux the sequence is
//! sent both plainly (tmux's `set-clipboard` takes it and forwards it) and wrapped in tmux's
//! DCS passthrough (for setups that allow passthrough instead). The text is sanitized first
//! and sent as base64, so it can never end the sequence early.

use base64::Engine;
use std::io::Write;

/// How a copy was made, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyPath {
    /// The system clipboard through arboard; kept while tmeet runs.
    System,
    /// An OSC 52 escape sequence written to the terminal.
    Osc52 { tmux: bool },
}

impl CopyPath {
    /// Status-line wording: says honestly what is and is not known.
    pub fn describe(self) -> &'static str {
        match self {
            CopyPath::System => "to the system clipboard (kept until tmeet exits)",
            CopyPath::Osc52 { tmux: false } => {
                "via OSC 52 (the terminal must allow clipboard access)"
            }
            CopyPath::Osc52 { tmux: true } => {
                "via OSC 52 through tmux (needs set-clipboard on or allow-passthrough)"
            }
        }
    }
}

pub struct Clipboard {
    system: Option<arboard::Clipboard>,
    tmux: bool,
}

impl Clipboard {
    /// Looks at the environment once: a display means arboard, else OSC 52.
    pub fn from_env() -> Self {
        let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        // Without a display arboard only fails after a connection timeout; do not ask.
        let system = if has_display {
            match arboard::Clipboard::new() {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::info!("system clipboard unavailable, using OSC 52: {e}");
                    None
                }
            }
        } else {
            None
        };
        Self {
            system,
            tmux: std::env::var_os("TMUX").is_some_and(|s| !s.is_empty()),
        }
    }

    /// OSC 52 only (tests, and terminals where the system clipboard is not the right one).
    pub fn osc52_only(tmux: bool) -> Self {
        Self { system: None, tmux }
    }

    /// Copies `text`; OSC 52 bytes go to `terminal`. Falls back to OSC 52 when the system
    /// clipboard refuses.
    pub fn copy(&mut self, text: &str, terminal: &mut dyn Write) -> Result<CopyPath, String> {
        let clean = crate::sanitize::multiline(text);
        if let Some(system) = self.system.as_mut() {
            match system.set_text(clean.clone()) {
                Ok(()) => return Ok(CopyPath::System),
                Err(e) => tracing::warn!("system clipboard refused, trying OSC 52: {e}"),
            }
        }
        let seq = osc52(&clean, self.tmux);
        terminal
            .write_all(seq.as_bytes())
            .and_then(|()| terminal.flush())
            .map_err(|e| format!("could not write to the terminal: {e}"))?;
        Ok(CopyPath::Osc52 { tmux: self.tmux })
    }
}

/// The escape sequence(s) that set the clipboard to `text`.
pub fn osc52(text: &str, tmux: bool) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{b64}\x07");
    if tmux {
        // Inside DCS passthrough every ESC of the inner sequence is doubled.
        let wrapped = format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"));
        format!("{plain}{wrapped}")
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_of_sanitized_text() {
        let mut out = Vec::new();
        let mut c = Clipboard::osc52_only(false);
        let path = c.copy("https://t/x\u{1b}\u{7}y", &mut out).unwrap();
        assert_eq!(path, CopyPath::Osc52 { tmux: false });
        let s = String::from_utf8(out).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode("https://t/xy");
        assert_eq!(s, format!("\x1b]52;c;{b64}\x07"));
    }

    #[test]
    fn tmux_gets_plain_and_passthrough() {
        let s = osc52("hi", true);
        assert!(s.starts_with("\x1b]52;c;aGk=\x07"));
        assert!(s.ends_with("\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"));
    }

    #[test]
    fn write_failure_is_reported() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = Clipboard::osc52_only(false)
            .copy("x", &mut Broken)
            .unwrap_err();
        assert!(err.contains("gone"));
    }
}
