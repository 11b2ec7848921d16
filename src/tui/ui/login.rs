//! Device-code sign-in: where to go, the code to type, and how it is going.

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
    match &s.prompt {
        Some(p) => {
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
        // Only a sign-in job asks for a code; without one tmeet is looking at the saved
        // sign-in (at start, or when trying again after the network failed).
        None if s.busy && s.job.is_some() => lines.push(Line::from(format!(
            "{} Asking for a sign-in code…",
            spinner(model)
        ))),
        None if s.busy => lines.push(Line::from(format!(
            "{} Checking for a saved sign-in…",
            spinner(model)
        ))),
        None => {}
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
