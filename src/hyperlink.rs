//! OSC 8 hyperlinks: a link a person can click where the terminal understands them.
//!
//! Two rules keep them safe. The target is always the very link shown (never a hidden
//! one), and only a link whose raw server text is a plain `https://` URL gets one: no
//! control characters, no userinfo, nothing that could end the escape sequence early and
//! turn the rest of the server's text into terminal commands. Anything else is shown as
//! sanitized text, unlinked.
//!
//! Detection is conservative: a terminal that does not know OSC 8 should ignore it, but
//! some print the target as garbage, so links are only sent where the environment names a
//! terminal known to draw them.

use crate::env::Env;

/// `hyperlinks` in config.toml and `TMEET_HYPERLINKS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Links where the terminal is known to support them, and only on a terminal.
    #[default]
    Auto,
    /// Always, even into a pipe or a terminal not recognized (for `less -R`, or tmux < 3.4
    /// set up by hand).
    On,
    Off,
}

impl Mode {
    /// `auto`, or the usual spellings of on and off.
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Mode::Auto),
            "on" | "true" | "yes" | "1" | "always" => Some(Mode::On),
            "off" | "false" | "no" | "0" | "never" => Some(Mode::Off),
            _ => None,
        }
    }
}

/// Longer targets are left unlinked: terminals cap the URI (VTE at 2083 bytes) and a
/// Teams link is a few hundred.
const MAX_TARGET: usize = 2048;

/// The OSC 8 target for `raw`, a link as the server sent it (before any sanitizing), or
/// None when it must not become one: not `https`, carrying a user name or password, no
/// host, too long, or holding any control, format or bidi character (ESC, BEL, the 8-bit
/// ST `\x9c` among them) or whitespace. The target is the URL's serialization, which is
/// printable ASCII only.
pub(crate) fn target(raw: &str) -> Option<String> {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let suspicious = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c.general_category(),
                GeneralCategory::Format | GeneralCategory::Control
            )
    };
    if raw.is_empty() || raw.len() > MAX_TARGET || raw.chars().any(suspicious) {
        return None;
    }
    // As a person reads it: `https://` then the host. The URL standard would also read
    // `https:///host`, `https:host` and backslashes as a host, so the target would name a
    // host the text does not show as one.
    let after_scheme = raw
        .get(..8)
        .filter(|head| head.eq_ignore_ascii_case("https://"))
        .map(|_| &raw[8..])?;
    if after_scheme.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let url = url::Url::parse(raw).ok()?;
    if url.scheme() != "https"
        || !url.username().is_empty()
        || url.password().is_some()
        || url.host_str().is_none_or(str::is_empty)
    {
        return None;
    }
    let out = url.as_str();
    (out.len() <= MAX_TARGET && out.bytes().all(|b| (0x21..=0x7e).contains(&b)))
        .then(|| out.to_string())
}

/// The sequence that starts a link to `target` (from [`target`]) with id `id`: cells
/// printed until [`CLOSE`] belong to it, and cells with the same id and target are one
/// link to the terminal (hovered and clicked as one, however it is wrapped).
pub(crate) fn open(target: &str, id: &str) -> String {
    format!("\x1b]8;id={id};{target}\x1b\\")
}

/// Ends the current link.
pub(crate) const CLOSE: &str = "\x1b]8;;\x1b\\";

/// `text` as one link to `target`.
pub(crate) fn wrap(target: &str, id: &str, text: &str) -> String {
    format!("{}{text}{CLOSE}", open(target, id))
}

/// An id for a link, the same for the same target (stable across frames and runs), so a
/// terminal groups its cells into one link.
pub(crate) fn id_for(target: &str) -> String {
    // FNV-1a: tiny, and stable across Rust versions (std's hasher promises neither).
    let hash = target.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("tmeet-{hash:016x}")
}

/// Whether to send links: `mode`, and for `Auto` whether the output is a terminal (or
/// `CLICOLOR_FORCE` says to treat it as one) that the environment names as one that draws
/// OSC 8.
pub(crate) fn enabled(mode: Mode, is_terminal: bool, env: &Env) -> bool {
    match mode {
        Mode::On => true,
        Mode::Off => false,
        Mode::Auto => {
            (is_terminal || crate::colour::forced(env)) && supported_by_terminal(env).is_some()
        }
    }
}

/// The mode from `TMEET_HYPERLINKS` over the config file's (unset or empty: the config
/// file's). A value it cannot read is a configuration error, as config.toml's is: ignoring
/// it would leave the person wondering why links stay as they were.
pub(crate) fn mode(env: &Env, config: Mode) -> Result<Mode, String> {
    match env.get("TMEET_HYPERLINKS").filter(|v| !v.trim().is_empty()) {
        None => Ok(config),
        Some(v) => Mode::parse(&v).ok_or_else(|| {
            format!(
                "TMEET_HYPERLINKS: '{}' is not a choice; use on, off or auto \
                 (true/false, yes/no, 1/0 and always/never are read too)",
                crate::sanitize::quote(&v)
            )
        }),
    }
}

/// What in the environment says the terminal draws OSC 8 links (for `doctor`), or None.
pub(crate) fn supported_by_terminal(env: &Env) -> Option<String> {
    let var = |k: &str| env.get(k).filter(|v| !v.is_empty());
    let term = var("TERM").unwrap_or_default();
    if term == "dumb" {
        return None;
    }
    let program = var("TERM_PROGRAM").unwrap_or_default();
    if var("TMUX").is_some() || program == "tmux" {
        // tmux forwards links from 3.4 on (to an outer terminal with the `hyperlinks`
        // feature); older ones drop them. The outer terminal's variables are inherited
        // and say nothing about tmux, so tmux's own version decides alone.
        let version = var("TERM_PROGRAM_VERSION").filter(|_| program == "tmux")?;
        return at_least(&version, &[3, 4]).then(|| format!("tmux {version}"));
    }
    if term.starts_with("screen") {
        return None;
    }
    if let Some(vte) = var("VTE_VERSION") {
        // 0.50 (5000) and later: GNOME Terminal, Tilix, Terminator, …
        return vte
            .parse::<u32>()
            .is_ok_and(|v| v >= 5000)
            .then(|| format!("VTE_VERSION={vte}"));
    }
    let known_program = match program.as_str() {
        "iTerm.app" => at_least(&var("TERM_PROGRAM_VERSION").unwrap_or_default(), &[3, 1]),
        "vscode" => at_least(&var("TERM_PROGRAM_VERSION").unwrap_or_default(), &[1, 72]),
        "WezTerm" | "ghostty" | "rio" => true,
        _ => false,
    };
    if known_program {
        return Some(format!("TERM_PROGRAM={program}"));
    }
    for name in [
        "WT_SESSION",
        "KITTY_WINDOW_ID",
        "WEZTERM_PANE",
        "WEZTERM_EXECUTABLE",
        "ALACRITTY_WINDOW_ID",
        "DOMTERM",
    ] {
        if var(name).is_some() {
            return Some(name.to_string());
        }
    }
    let known_term = [
        "xterm-kitty",
        "xterm-ghostty",
        "alacritty",
        "foot",
        "wezterm",
    ]
    .iter()
    .any(|t| term == *t || term.starts_with(&format!("{t}-")));
    known_term.then(|| format!("TERM={term}"))
}

/// Whether a dotted version (`3.4`, `3.5a`, `1.86.2`) is at least `min`; one that does not
/// start with a number is not.
fn at_least(version: &str, min: &[u32]) -> bool {
    let number = |p: &str| -> Option<u32> {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    };
    let parts: Vec<u32> = version.split('.').map(|p| number(p).unwrap_or(0)).collect();
    if version.split('.').next().and_then(number).is_none() {
        return false;
    }
    for (i, want) in min.iter().enumerate() {
        let have = parts.get(i).copied().unwrap_or(0);
        if have != *want {
            return have > *want;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOIN: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d";

    #[test]
    fn only_plain_https_urls_become_targets() {
        assert_eq!(target(JOIN).as_deref(), Some(JOIN));
        assert_eq!(
            target("https://Teams.Microsoft.com/x").as_deref(),
            Some("https://teams.microsoft.com/x"),
            "the serialization, not the raw text"
        );
        // Non-ASCII is percent-encoded (or punycoded) in the target, never raw.
        let t = target("https://bücher.example/ä").unwrap();
        assert!(t.is_ascii() && t.starts_with("https://xn--"), "{t}");
        for bad in [
            "http://teams.microsoft.com/l/x",
            "javascript:alert(1)//https://teams.microsoft.com/",
            "file:///etc/passwd",
            "tel:+1555",
            "https://mallory:secret@teams.microsoft.com/",
            "https://mallory@teams.microsoft.com/",
            "https://teams.microsoft.com/\u{1b}]8;;https://evil.example/\u{1b}\\",
            "https://teams.microsoft.com/\u{7}x",
            "https://teams.microsoft.com/\u{9c}x",
            "https://teams.microsoft.com/\u{9d}x",
            "https://teams.microsoft.com/\u{202e}x",
            "https://teams.microsoft.com/\u{200b}x",
            "https://teams.microsoft.com/a b",
            "https://teams.microsoft.com/a\nb",
            "https://",
            "https:///path",
            "https:teams.microsoft.com/x",
            "https:\\\\evil.example\\x",
            "https://evil.example\\@teams.microsoft.com/",
            "",
            "teams.microsoft.com/l/x",
        ] {
            assert_eq!(target(bad), None, "{bad:?}");
        }
        // The emulator's hostile join link: well-formed once stripped, refused as sent.
        let hostile = "https://teams.microsoft.com/l/meetup-join/\u{1b}]8;;https://evil.example/\u{7}19%3ameeting_hostile\u{9c}%40thread.v2/0";
        assert_eq!(target(hostile), None);
        assert!(target(&crate::sanitize::line(hostile)).is_some());
        let long = format!("https://teams.microsoft.com/{}", "a".repeat(MAX_TARGET));
        assert_eq!(target(&long), None);
    }

    #[test]
    fn a_link_is_one_sequence_with_its_id() {
        let id = id_for(JOIN);
        assert_eq!(id, id_for(JOIN), "stable");
        assert_ne!(id, id_for("https://teams.microsoft.com/other"));
        assert_eq!(
            wrap(JOIN, &id, "Join"),
            format!("\x1b]8;id={id};{JOIN}\x1b\\Join\x1b]8;;\x1b\\")
        );
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs)
    }

    #[test]
    fn known_terminals_only() {
        let yes = [
            &[("TERM_PROGRAM", "WezTerm")][..],
            &[
                ("TERM_PROGRAM", "iTerm.app"),
                ("TERM_PROGRAM_VERSION", "3.4.19"),
            ],
            &[
                ("TERM_PROGRAM", "vscode"),
                ("TERM_PROGRAM_VERSION", "1.86.2"),
            ],
            &[("VTE_VERSION", "7600"), ("TERM", "xterm-256color")],
            &[("WT_SESSION", "abc")],
            &[("KITTY_WINDOW_ID", "1")],
            &[("TERM", "xterm-kitty")],
            &[("TERM", "foot")],
            &[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM_PROGRAM", "tmux"),
                ("TERM_PROGRAM_VERSION", "3.4"),
            ],
            &[("TERM_PROGRAM", "tmux"), ("TERM_PROGRAM_VERSION", "3.5a")],
        ];
        for e in yes {
            assert!(supported_by_terminal(&env(e)).is_some(), "{e:?}");
        }
        let no = [
            &[][..],
            &[("TERM", "xterm-256color")],
            &[("TERM", "dumb"), ("WT_SESSION", "abc")],
            &[
                ("TERM_PROGRAM", "iTerm.app"),
                ("TERM_PROGRAM_VERSION", "2.9"),
            ],
            &[
                ("TERM_PROGRAM", "vscode"),
                ("TERM_PROGRAM_VERSION", "1.60.0"),
            ],
            &[("VTE_VERSION", "4803")],
            &[("TERM_PROGRAM", "Apple_Terminal")],
            // tmux too old, or of unknown version, even inside a terminal that links.
            &[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM_PROGRAM", "tmux"),
                ("TERM_PROGRAM_VERSION", "3.3a"),
            ],
            &[("TMUX", "/tmp/t,1,0"), ("KITTY_WINDOW_ID", "1")],
            &[("TERM", "screen-256color"), ("WT_SESSION", "abc")],
        ];
        for e in no {
            assert!(supported_by_terminal(&env(e)).is_none(), "{e:?}");
        }
    }

    #[test]
    fn auto_needs_a_terminal_or_clicolor_force_and_on_off_decide_alone() {
        let kitty = env(&[("KITTY_WINDOW_ID", "1")]);
        assert!(enabled(Mode::Auto, true, &kitty));
        assert!(!enabled(Mode::Auto, false, &kitty), "not a terminal");
        let forced = env(&[("KITTY_WINDOW_ID", "1"), ("CLICOLOR_FORCE", "1")]);
        assert!(enabled(Mode::Auto, false, &forced));
        let both = env(&[
            ("KITTY_WINDOW_ID", "1"),
            ("CLICOLOR_FORCE", "1"),
            ("NO_COLOR", "1"),
        ]);
        assert!(!enabled(Mode::Auto, false, &both), "NO_COLOR wins");
        assert!(!enabled(Mode::Auto, true, &env(&[])), "unknown terminal");
        assert!(enabled(Mode::On, false, &env(&[("TERM", "dumb")])));
        assert!(!enabled(Mode::Off, true, &kitty));
    }

    #[test]
    fn the_variable_goes_over_the_config_file() {
        let e = env(&[("TMEET_HYPERLINKS", "off")]);
        assert_eq!(mode(&e, Mode::On), Ok(Mode::Off));
        assert_eq!(mode(&env(&[]), Mode::Auto), Ok(Mode::Auto));
        assert_eq!(
            mode(&env(&[("TMEET_HYPERLINKS", "")]), Mode::On),
            Ok(Mode::On)
        );
        let err = mode(&env(&[("TMEET_HYPERLINKS", "bogus")]), Mode::On).unwrap_err();
        assert!(
            err.starts_with("TMEET_HYPERLINKS: 'bogus' is not a choice; use on, off or auto"),
            "{err}"
        );
        assert_eq!(Mode::parse("TRUE"), Some(Mode::On));
        assert_eq!(Mode::parse("auto"), Some(Mode::Auto));
        assert_eq!(Mode::parse("sometimes"), None);
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(at_least("3.4", &[3, 4]));
        assert!(at_least("3.10", &[3, 4]));
        assert!(!at_least("next-3.5", &[3, 4]));
        assert!(!at_least("3.3a", &[3, 4]));
        assert!(at_least("4", &[3, 4]));
        assert!(!at_least("", &[3, 4]));
    }
}
