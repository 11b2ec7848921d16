//! The Agenda: the calendar's events under a heading per day, one selected, and the answer
//! box over it. A row reads `▶ 09:30–10:00 T Design sync · Megan Bowen · accepted · Room 1`:
//! the time, a T for a Teams meeting, the subject, then the organizer (others' meetings),
//! my answer or who is coming to mine, the place. The line is cut at the edge; the subject
//! comes before the rest so it is the last to go.

use super::{DIM, FOCUS, OK};
use crate::tui::app::{AgendaBusy, AgendaRow, AnswerBox, AnswerLine, Intent, Model};
use crate::tui::keymap::{Scope, key_for};
use chrono::Utc;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn row_text(r: &AgendaRow) -> String {
    let mut parts = vec![r.subject.clone()];
    if let Some(o) = &r.organizer {
        parts.push(o.clone());
    }
    parts.push(r.answer.clone());
    if let Some(l) = &r.location {
        parts.push(l.clone());
    }
    let cancelled = if r.cancelled { "[cancelled] " } else { "" };
    let series = if r.in_series { " ↻" } else { "" };
    format!(
        "{:<11}  {}  {cancelled}{}{series}",
        r.when,
        if r.teams { "T" } else { " " },
        parts.join(" · ")
    )
}

pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 {
        return;
    }
    let v = &model.agenda;
    let busy = match v.busy {
        Some(AgendaBusy::Loading) => " · reading…".to_string(),
        Some(AgendaBusy::Updating) => " · updating…".to_string(),
        Some(AgendaBusy::Opening) => " · opening…".to_string(),
        Some(AgendaBusy::Answering) => " · answering…".to_string(),
        Some(AgendaBusy::Attendance) => " · asking who attended…".to_string(),
        None => v
            .freshness
            .as_deref()
            .map(|f| format!(" · {f}"))
            .unwrap_or_default(),
    };
    let title = Line::from(vec![
        Span::styled("Agenda", Style::new().add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(
                " · {} days from today ({}){busy}",
                crate::tui::app::AGENDA_DAYS,
                v.rows.len()
            ),
            DIM,
        ),
    ]);
    let empty = match (v.rows.is_empty(), v.busy.is_some()) {
        (false, _) => None,
        (true, true) => Some(""),
        (true, false) => Some("No meetings on your calendar in these days."),
    };
    let Some(body) = super::list_body(frame, area, title, v.error.as_deref(), empty) else {
        return;
    };
    // Each row under its day's heading; the selected row stays in sight.
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let now = model.now.with_timezone(&Utc);
    let mut day = None;
    for (i, r) in v.rows.iter().enumerate() {
        if day != Some(r.day) {
            day = Some(r.day);
            lines.push((
                Line::styled(
                    r.day.format("%A %-d %B").to_string(),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                None,
            ));
        }
        let selected = i == v.selected;
        let on_now = r.start <= now && now < r.end;
        let style = if selected {
            FOCUS.add_modifier(Modifier::REVERSED)
        } else if r.cancelled || r.end <= now {
            DIM
        } else if on_now {
            OK
        } else {
            Style::new()
        };
        let text = format!("{}{}", if on_now { "▶ " } else { "  " }, row_text(r));
        let used = unicode_width::UnicodeWidthStr::width(text.as_str());
        let pad = if selected {
            " ".repeat(usize::from(area.width).saturating_sub(used))
        } else {
            String::new()
        };
        lines.push((Line::styled(format!("{text}{pad}"), style), Some(i)));
    }
    let at = lines
        .iter()
        .position(|(_, i)| *i == Some(v.selected))
        .unwrap_or(0);
    let height = usize::from(body.height);
    // The day's heading above the selected row stays with it when it fits.
    let first = (at + 2).saturating_sub(height);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(height)
        .map(|(l, _)| l)
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
}

/// The answer box, over the lower part of the list.
/// Columns before a line's text in the box: the focus mark and the label.
const LABEL: usize = 12;

pub(super) fn render_box(frame: &mut Frame, area: Rect, b: &AnswerBox) {
    let verb = match b.action {
        crate::graph::client::AnswerAction::Accept => "Accept",
        crate::graph::client::AnswerAction::Tentative => "Tentative",
        crate::graph::client::AnswerAction::Decline => "Decline",
    };
    let mut lines = vec![Line::from(Span::styled(
        format!("{verb} \"{}\"?", b.subject),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    // Columns for a line's text: inside the border, after the mark and the label.
    let room = usize::from(area.width).saturating_sub(2 + LABEL + 1).max(1);
    for line in &b.lines {
        let focused = *line == b.focus;
        let mark = if focused { "› " } else { "  " };
        let style = if focused { FOCUS } else { Style::new() };
        // A text longer than the line scrolls with the cursor, as the form's fields do.
        let shown = |input: &tui_input::Input| {
            let scroll = input.visual_scroll(room);
            super::form::skip_columns(input.value(), scroll, room)
        };
        let (label, value) = match line {
            AnswerLine::Comment => ("Comment ", shown(&b.comment)),
            AnswerLine::NewTime => ("New time", shown(&b.new_time)),
            AnswerLine::Series => (
                "For     ",
                if b.series {
                    "this date  [the whole series]".to_string()
                } else {
                    "[this date]  the whole series".to_string()
                },
            ),
        };
        let value = if value.is_empty() && *line == AnswerLine::NewTime {
            // What the line takes, until something is typed.
            Span::styled(
                super::form::skip_columns("optional, e.g. tomorrow 10:00..10:30", 0, room),
                DIM,
            )
        } else if value.is_empty() {
            Span::styled("optional", DIM)
        } else {
            Span::raw(value)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark}{label}  "), style),
            value,
        ]));
    }
    let hint = match &b.error {
        Some(e) => Span::styled(e.clone(), super::ERROR),
        None => Span::styled(
            format!(
                "{} sends (the organizer is told) · {} cancels",
                key_for(Scope::AnswerBox, Intent::Confirm),
                key_for(Scope::AnswerBox, Intent::Back),
            ),
            DIM,
        ),
    };
    lines.push(Line::from(hint));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        y: area.bottom().saturating_sub(height),
        height,
        ..area
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL)),
        rect,
    );
    // The cursor sits in the focused text line.
    if b.takes_text() {
        let at = b.lines.iter().position(|l| *l == b.focus).unwrap_or(0);
        let input = if b.focus == AnswerLine::Comment {
            &b.comment
        } else {
            &b.new_time
        };
        let column = input.visual_cursor() - input.visual_scroll(room);
        let x = rect.x + 1 + LABEL as u16 + u16::try_from(column).unwrap_or(0);
        let y = rect.y + 2 + u16::try_from(at).unwrap_or(0);
        if x < rect.right().saturating_sub(1) && y < rect.bottom().saturating_sub(1) {
            frame.set_cursor_position((x, y));
        }
    }
}
