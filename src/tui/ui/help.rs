//! Help, generated from the key table, plus the time formats the form accepts.

use super::{DIM, FOCUS};
use crate::tui::app::Intent;
use crate::tui::keymap::{self, Scope, key_for};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub(super) fn render(frame: &mut Frame, area: Rect, scroll: u16) {
    let mut lines: Vec<Line> = Vec::new();
    for (title, rows) in keymap::help_sections() {
        lines.push(Line::from(Span::styled(
            title,
            Style::new().add_modifier(Modifier::BOLD),
        )));
        for (keys, help) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), FOCUS),
                Span::raw(help),
            ]));
        }
    }
    lines.push(Line::from(Span::styled(
        "Times",
        Style::new().add_modifier(Modifier::BOLD),
    )));
    for t in [
        "  Start: 14:00, 2pm, tomorrow 9:30, mon 10:00, 2026-12-01 14:00, +15m, now",
        "  End: the same, or a duration: 30m, 1h30m",
    ] {
        lines.push(Line::from(Span::styled(t, DIM)));
    }
    lines.push(Line::from(Span::styled(
        "Meeting options (only what you change is sent; Graph property in brackets)",
        Style::new().add_modifier(Modifier::BOLD),
    )));
    for spec in crate::meeting::options::SPECS {
        let values: Vec<&str> = spec.choices.iter().map(|c| c.label).collect();
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", spec.label)),
            Span::styled(format!("[{}]", spec.graph), DIM),
            Span::raw(format!(": {}", values.join(" / "))),
        ]));
    }
    lines.push(Line::from(Span::styled(
        "  Attendees are recorded on the meeting, not invited; roles need people in your directory.",
        DIM,
    )));
    lines.push(Line::from(Span::styled(
        "Invitation (calendar meetings; only what you change is sent)",
        Style::new().add_modifier(Modifier::BOLD),
    )));
    for spec in crate::calendar::invitation_fields::FIELDS {
        let values: Vec<&str> = spec.choices.iter().map(|c| c.label).collect();
        let what = if values.is_empty() {
            spec.help.to_string()
        } else {
            values.join(" / ")
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", spec.label)),
            Span::styled(format!("[{}]", spec.graph), DIM),
            Span::raw(format!(": {what}")),
        ]));
    }
    let w = area.width.min(80);
    let h = area.height;
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::ALL).title(format!(
                " Help · {}/{} scroll · {} closes ",
                key_for(Scope::Help, Intent::ScrollUp),
                key_for(Scope::Help, Intent::ScrollDown),
                key_for(Scope::Help, Intent::Back)
            ))),
        popup,
    );
}
