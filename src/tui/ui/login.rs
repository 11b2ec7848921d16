//! Sign-in: the browser's address to open (and `d` for a device code instead), or where to
//! go and the code to type; and how it is going.

use super::{ERROR, FOCUS, HINT, spinner, wrap};
use crate::tui::app::{Intent, Model, Retry};
use crate::tui::keymap::{Scope, key_for};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let s = &model.signin;
    let width = area.width as usize;
    // A start that failed before any sign-in (settings, the token file, the network) is
    // not a sign-in, and the heading should not suggest one is under way.
    let heading = match (&s.error, s.retry) {
        (Some(_), Retry::Check | Retry::Never) => "tmeet cannot start",
        _ => "Sign in to Microsoft 365",
    };
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        heading,
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    match (&s.prompt, &s.browser) {
        (None, Some((url, opened))) => {
            lines.push(Line::from(if *opened {
                "Your browser was opened on the sign-in page. If it did not come up, open:"
            } else {
                "Open this address in a browser on this machine to sign in:"
            }));
            // The address is long: it wraps, and every character of it is shown.
            for l in wrap(url, width) {
                lines.push(Line::from(Span::styled(l, FOCUS)));
            }
            if s.busy {
                lines.push(Line::from(format!(
                    "{} Waiting for the browser (up to {} min)",
                    spinner(model),
                    crate::auth::BROWSER_TIMEOUT.as_secs() / 60
                )));
                lines.push(Line::from(Span::styled(
                    format!(
                        "No browser here (SSH)? Press {} to sign in with a device code instead.",
                        key_for(Scope::SignInBrowser, Intent::UseDeviceCode)
                    ),
                    HINT,
                )));
            }
        }
        (Some(p), _) => {
            lines.push(Line::from(vec![
                Span::raw("1. Open  "),
                Span::styled(p.verification_uri.clone(), FOCUS),
            ]));
            lines.push(Line::from(vec![
                Span::raw("2. Enter "),
                Span::styled(p.user_code.clone(), FOCUS.add_modifier(Modifier::REVERSED)),
            ]));
            if s.busy {
                lines.push(Line::from(format!(
                    "{} Waiting for you to finish in the browser (code valid {} min)",
                    spinner(model),
                    p.expires_in_secs.div_ceil(60)
                )));
            }
        }
        // Only a sign-in job starts a sign-in; without one tmeet is looking at the saved
        // sign-in (at start, or when trying again after the network failed).
        (None, None) if s.busy && s.job.is_some() => lines.push(Line::from(format!(
            "{} Starting the sign-in…",
            spinner(model)
        ))),
        (None, None) if s.busy => lines.push(Line::from(format!(
            "{} Checking for a saved sign-in…",
            spinner(model)
        ))),
        (None, None) => {}
    }
    if let Some(p) = &s.progress {
        for l in wrap(p, width) {
            lines.push(Line::from(l));
        }
    }
    if let Some(e) = &s.error {
        for l in wrap(&format!("✗ {e}"), width) {
            lines.push(Line::from(Span::styled(l, ERROR)));
        }
        let quit = key_for(Scope::SignIn, Intent::Quit);
        lines.push(Line::from(match s.retry {
            Retry::Never => format!("Press {quit} to quit."),
            Retry::SignIn | Retry::Check => format!(
                "Press {} to try again, {quit} to quit.",
                key_for(Scope::SignInRetry, Intent::Activate)
            ),
        }));
    }
    if model.demo {
        lines.push(Line::from(Span::styled(
            "Demo: the emulator approves this code by itself.",
            HINT,
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
