//! What only the interactive form needs: the way a copy would reach the clipboard, and the
//! terminal (size, colours, `TERM`). Reported, never required: `create` needs neither.

use super::Check;
use crate::clipboard::{Clipboard, CopyPath};
use std::io::IsTerminal;

/// The smallest window the form is laid out for (README: "works from 40×12 up").
const MIN_COLS: u16 = 40;
const MIN_ROWS: u16 = 12;

pub(super) fn clipboard() -> Check {
    match Clipboard::from_env().planned_path() {
        CopyPath::System => Check::pass(
            "clipboard",
            "the system clipboard (a display is set; copies are kept while tmeet runs)",
        ),
        CopyPath::Osc52 { tmux: false } => Check::pass(
            "clipboard",
            "OSC 52 through the terminal (no display); the terminal must allow clipboard writes, which cannot be asked from here",
        ),
        CopyPath::Osc52 { tmux: true } => tmux_clipboard(
            tmux_option("set-clipboard"),
            tmux_option("allow-passthrough"),
        ),
    }
}

/// Inside tmux an application's OSC 52 reaches the outer terminal when `set-clipboard` is
/// `on` (`external` only covers tmux's own copy mode) or, wrapped, when
/// `allow-passthrough` is on; tmeet sends both forms.
fn tmux_clipboard(
    set_clipboard: Result<String, String>,
    passthrough: Result<String, String>,
) -> Check {
    let set_clipboard = match set_clipboard {
        Ok(v) => v,
        Err(e) => {
            return Check::fail(
                "clipboard",
                format!("OSC 52 through tmux, whose set-clipboard could not be read ({e})"),
                "tmux set -g set-clipboard on",
            );
        }
    };
    let passthrough = passthrough.unwrap_or_else(|_| "unknown".into());
    let detail = format!(
        "OSC 52 through tmux (set-clipboard {set_clipboard}, allow-passthrough {passthrough})"
    );
    if set_clipboard == "on" || passthrough == "on" || passthrough == "all" {
        Check::pass("clipboard", detail)
    } else {
        Check::fail(
            "clipboard",
            format!("{detail}: copies stop at tmux"),
            "tmux set -g set-clipboard on (and put it in ~/.tmux.conf)",
        )
    }
}

fn tmux_option(name: &str) -> Result<String, String> {
    let out = std::process::Command::new("tmux")
        .args(["show-options", "-gv", name])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run tmux: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The zone times are read and shown in, and where it came from; a `TZ` that names no
/// zone fails (reported: create still works, in the zone named here).
pub(super) fn time_zone() -> Check {
    zone_check(&crate::meeting::time::zone_choice())
}

fn zone_check(choice: &crate::meeting::time::ZoneChoice) -> Check {
    use crate::meeting::time::ZoneSource;
    if let Some(warning) = choice.warning() {
        return Check::fail(
            "time zone",
            warning,
            "set TZ to an IANA zone name (e.g. TZ=Europe/Berlin), or unset it for the system's",
        );
    }
    let from = match choice.source {
        ZoneSource::Tz => "from TZ",
        ZoneSource::System => "the system's",
        ZoneSource::Utc => "neither TZ nor the system names a zone",
    };
    Check::pass("time zone", format!("{} ({from})", choice.zone.name()))
}

pub(super) fn terminal(hyperlinks: crate::hyperlink::Mode) -> Check {
    let term = std::env::var("TERM").unwrap_or_default();
    let colour = colours(
        &term,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        &std::env::var("COLORTERM").unwrap_or_default(),
    );
    let colour = format!(
        "{colour}, {}",
        links(hyperlinks, &crate::env::Env::process())
    );
    let shown_term = if term.is_empty() {
        "TERM unset".to_string()
    } else {
        format!("TERM={term}")
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Check::fail(
            "terminal",
            format!(
                "not a terminal (standard input or output is redirected); {shown_term}, {colour}"
            ),
            "the form needs a terminal; create, login and status do not",
        );
    }
    let size = crossterm::terminal::size();
    let detail = match &size {
        Ok((cols, rows)) => format!("{cols}×{rows}, {shown_term}, {colour}"),
        Err(e) => format!("size unknown ({e}), {shown_term}, {colour}"),
    };
    match size {
        Ok((cols, rows)) if cols < MIN_COLS || rows < MIN_ROWS => Check::fail(
            "terminal",
            detail,
            format!("the form needs at least {MIN_COLS}×{MIN_ROWS}: enlarge the window"),
        ),
        _ if term.is_empty() || term == "dumb" => Check::fail(
            "terminal",
            detail,
            "set TERM to your terminal's type (e.g. xterm-256color)",
        ),
        _ => Check::pass("terminal", detail),
    }
}

/// What the form does with links: `hyperlinks` (config.toml, TMEET_HYPERLINKS) and, for
/// auto, what in the environment names a terminal that draws them.
fn links(mode: crate::hyperlink::Mode, env: &crate::env::Env) -> String {
    use crate::hyperlink::{Mode, supported_by_terminal};
    match mode {
        Mode::On => "clickable links on (hyperlinks setting)".into(),
        Mode::Off => "clickable links off (hyperlinks setting)".into(),
        Mode::Auto => match supported_by_terminal(env) {
            Some(why) => format!("clickable links ({why})"),
            None => "no clickable links (terminal not known to draw them; hyperlinks = true \
                     forces them)"
                .into(),
        },
    }
}

fn colours(term: &str, no_color: bool, colorterm: &str) -> &'static str {
    if no_color {
        "colours off (NO_COLOR)"
    } else if colorterm.eq_ignore_ascii_case("truecolor") || colorterm.eq_ignore_ascii_case("24bit")
    {
        "24-bit colour"
    } else if term.contains("256color") {
        "256 colours"
    } else if term.is_empty() || term == "dumb" {
        "no colour"
    } else {
        "16 colours"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmux_passes_osc52_on_with_set_clipboard_on_or_passthrough() {
        let ok = |s: &str, p: &str| tmux_clipboard(Ok(s.into()), Ok(p.into())).ok;
        assert!(ok("on", "off"));
        assert!(ok("external", "on"));
        assert!(ok("off", "all"));
        let stuck = tmux_clipboard(Ok("external".into()), Ok("off".into()));
        assert!(!stuck.ok && stuck.fix.unwrap().contains("set-clipboard on"));
        assert!(!tmux_clipboard(Err("no server".into()), Ok("on".into())).ok);
    }

    #[test]
    fn links_say_why() {
        use crate::env::Env;
        use crate::hyperlink::Mode;
        let kitty = Env::from_pairs(&[("KITTY_WINDOW_ID", "3")]);
        assert_eq!(
            links(Mode::Auto, &kitty),
            "clickable links (KITTY_WINDOW_ID)"
        );
        assert!(links(Mode::Auto, &Env::from_pairs(&[])).starts_with("no clickable links"));
        assert!(links(Mode::Off, &kitty).contains("off"));
    }

    #[test]
    fn the_time_zone_check_names_a_tz_it_cannot_read_and_the_zone_used() {
        use crate::meeting::time::choose_zone;
        let bad = zone_check(&choose_zone(Some("Nowhere/Zone"), None));
        assert!(!bad.ok, "{bad:?}");
        assert!(
            bad.detail.starts_with("TZ=Nowhere/Zone is not a time zone")
                && bad.detail.contains("times are in UTC"),
            "{bad:?}"
        );
        assert!(bad.fix.unwrap().contains("TZ=Europe/Berlin"));
        let good = zone_check(&choose_zone(Some("Asia/Tokyo"), None));
        assert!(good.ok && good.detail == "Asia/Tokyo (from TZ)", "{good:?}");
        let system = zone_check(&choose_zone(None, Some("Europe/Paris")));
        assert_eq!(system.detail, "Europe/Paris (the system's)");
    }

    #[test]
    fn colour_depth_from_the_environment() {
        assert_eq!(colours("xterm-256color", false, ""), "256 colours");
        assert_eq!(colours("xterm", false, "truecolor"), "24-bit colour");
        assert_eq!(
            colours("xterm-256color", true, "truecolor"),
            "colours off (NO_COLOR)"
        );
        assert_eq!(colours("dumb", false, ""), "no colour");
        assert_eq!(colours("linux", false, ""), "16 colours");
    }
}
