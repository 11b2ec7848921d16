//! Copying to the person's clipboard, wherever they are.
//!
//! With a display (X11/Wayland), arboard owns the selection. On X11 the copied text lives
//! only as long as its owner, so one [`Clipboard`] is kept for the whole session. Without a
//! display (SSH, a console, CI) the text is sent to the terminal as OSC 52, which terminals
//! that allow it put on the local clipboard, also across SSH. Inside tmux the sequence is
//! sent both plainly (tmux's `set-clipboard` takes it and forwards it) and wrapped in tmux's
//! DCS passthrough (for setups that allow passthrough instead). The text is sanitized first
//! and sent as base64, so it can never end the sequence early.
//!
//! A copy may carry HTML beside its text (the invitation, with working links, for a paste
//! into mail or chat). Only the system clipboard can offer both; OSC 52 carries text alone.

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

/// The system clipboard as the copy logic uses it: arboard in tmeet, a recorder in tests,
/// which then see exactly what would be handed over.
pub trait SystemClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    /// `html` for targets that render it, `alt_text` for those that take plain text.
    fn set_html(&mut self, html: &str, alt_text: &str) -> Result<(), String>;
}

impl SystemClipboard for arboard::Clipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        arboard::Clipboard::set_text(self, text).map_err(|e| e.to_string())
    }
    fn set_html(&mut self, html: &str, alt_text: &str) -> Result<(), String> {
        self.set()
            .html(html, Some(alt_text))
            .map_err(|e| e.to_string())
    }
}

pub struct Clipboard {
    system: Option<Box<dyn SystemClipboard + Send>>,
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
                Ok(c) => Some(Box::new(c) as Box<dyn SystemClipboard + Send>),
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

    /// A given system clipboard (tests; another backend).
    pub fn with_system(system: Box<dyn SystemClipboard + Send>, tmux: bool) -> Self {
        Self {
            system: Some(system),
            tmux,
        }
    }

    /// How a copy would go, before any is made (`tmeet doctor`): the system clipboard if
    /// one was found, OSC 52 otherwise. A refusing system clipboard still falls back.
    pub fn planned_path(&self) -> CopyPath {
        match self.system {
            Some(_) => CopyPath::System,
            None => CopyPath::Osc52 { tmux: self.tmux },
        }
    }

    /// Copies `text`; OSC 52 bytes go to `terminal`. Falls back to OSC 52 when the system
    /// clipboard refuses.
    pub fn copy(&mut self, text: &str, terminal: &mut dyn Write) -> Result<CopyPath, String> {
        self.copy_with_html(text, None, terminal)
    }

    /// Copies `text`, and `html` beside it where the clipboard can hold both (the system
    /// clipboard; OSC 52 takes the text alone). Both are stripped of control characters
    /// first: whatever ends up printed by a paste or a clipboard tool stays inert.
    pub fn copy_with_html(
        &mut self,
        text: &str,
        html: Option<&str>,
        terminal: &mut dyn Write,
    ) -> Result<CopyPath, String> {
        let clean = crate::sanitize::multiline(text);
        if let Some(system) = self.system.as_mut() {
            let done = match html {
                Some(html) => system.set_html(&crate::sanitize::multiline(html), &clean),
                None => system.set_text(&clean),
            };
            match done {
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

    /// (text, html) of every hand-over.
    type Calls = std::sync::Arc<std::sync::Mutex<Vec<(String, Option<String>)>>>;

    /// Records what the copy logic hands to the system clipboard.
    #[derive(Clone, Default)]
    struct Recorder {
        calls: Calls,
        refuse: bool,
    }

    impl SystemClipboard for Recorder {
        fn set_text(&mut self, text: &str) -> Result<(), String> {
            self.calls.lock().unwrap().push((text.into(), None));
            if self.refuse {
                Err("no owner".into())
            } else {
                Ok(())
            }
        }
        fn set_html(&mut self, html: &str, alt_text: &str) -> Result<(), String> {
            self.calls
                .lock()
                .unwrap()
                .push((alt_text.into(), Some(html.into())));
            if self.refuse {
                Err("no owner".into())
            } else {
                Ok(())
            }
        }
    }

    #[test]
    fn system_clipboard_gets_html_with_the_text_as_its_alternative() {
        let rec = Recorder::default();
        let mut c = Clipboard::with_system(Box::new(rec.clone()), false);
        let mut out = Vec::new();
        let html = "<a href=\"https://t/1\">Join</a>\u{1b}]0;x\u{7}";
        let path = c
            .copy_with_html("Join [1]\n[1]: https://t/1", Some(html), &mut out)
            .unwrap();
        assert_eq!(path, CopyPath::System);
        assert!(out.is_empty(), "nothing written to the terminal");
        assert_eq!(
            rec.calls.lock().unwrap().as_slice(),
            [(
                "Join [1]\n[1]: https://t/1".to_string(),
                Some("<a href=\"https://t/1\">Join</a>]0;x".to_string())
            )]
        );
        // Without HTML, text alone.
        c.copy("https://t/1", &mut out).unwrap();
        assert_eq!(
            rec.calls.lock().unwrap()[1],
            ("https://t/1".to_string(), None)
        );
    }

    #[test]
    fn osc52_carries_the_text_alone_also_when_the_system_clipboard_refuses() {
        let rec = Recorder {
            refuse: true,
            ..Recorder::default()
        };
        let mut c = Clipboard::with_system(Box::new(rec), false);
        let mut out = Vec::new();
        let path = c
            .copy_with_html("plain", Some("<b>rich</b>"), &mut out)
            .unwrap();
        assert_eq!(path, CopyPath::Osc52 { tmux: false });
        assert_eq!(String::from_utf8(out).unwrap(), osc52("plain", false));
        let mut out = Vec::new();
        Clipboard::osc52_only(true)
            .copy_with_html("plain", Some("<b>rich</b>"), &mut out)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), osc52("plain", true));
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
