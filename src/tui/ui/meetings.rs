//! My meetings: the local history as a list, the soonest first, one row selected. Columns
//! give way by priority as the terminal narrows: the kind goes first, then the ref and the
//! year; the subject (with its deleted / changed mark) always stays.

use super::{DIM, FOCUS};
use crate::tui::app::{Busy, Intent, MeetingRow, Model};
use crate::tui::keymap::{Scope, key_for};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Which columns fit in `width`, widest layout first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Columns {
    /// REF, WHEN (with the year), KIND, SUBJECT.
    All,
    /// REF, WHEN, SUBJECT.
    NoKind,
    /// REF, WHEN without the year, SUBJECT.
    Short,
    /// SUBJECT only.
    Subject,
}

impl Columns {
    fn for_width(width: u16) -> Self {
        match width {
            64.. => Columns::All,
            48..64 => Columns::NoKind,
            30..48 => Columns::Short,
            _ => Columns::Subject,
        }
    }

    fn header(self) -> String {
        match self {
            Columns::All => format!("{:>4}  {:<16}  {:<10}  SUBJECT", "REF", "WHEN", "KIND"),
            Columns::NoKind => format!("{:>4}  {:<16}  SUBJECT", "REF", "WHEN"),
            Columns::Short => format!("{:>3} {:<11} SUBJECT", "REF", "WHEN"),
            Columns::Subject => "SUBJECT".into(),
        }
    }

    fn row(self, r: &MeetingRow) -> (String, String) {
        let answers = r
            .answers
            .as_deref()
            .map(|a| format!(" · {a}"))
            .unwrap_or_default();
        let subject = format!("{}{}{answers}", r.mark, r.subject);
        let lead = match self {
            Columns::All => format!("{:>4}  {:<16}  {:<10}  ", r.id, r.when, r.kind),
            Columns::NoKind => format!("{:>4}  {:<16}  ", r.id, r.when),
            // "2026-12-01 14:00" → "12-01 14:00": the year is the first to go.
            Columns::Short => {
                let when = match r.start {
                    Some(_) => r.when.get(5..).unwrap_or(&r.when),
                    None => &r.when,
                };
                format!("{:>3} {:<11} ", r.id, when)
            }
            Columns::Subject => String::new(),
        };
        (lead, subject)
    }
}

pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 {
        return;
    }
    let v = &model.meetings;
    let busy = match v.busy {
        Some(Busy::Loading) => " · reading…",
        Some(Busy::Refreshing) => " · asking Graph…",
        Some(Busy::Opening) => " · opening…",
        Some(Busy::Reading) => " · reading the meeting to edit…",
        Some(Busy::Deleting) => " · deleting…",
        None => "",
    };
    let title = Line::from(vec![
        Span::styled("My meetings", Style::new().add_modifier(Modifier::BOLD)),
        Span::styled(format!(" · upcoming ({}){busy}", v.rows.len()), DIM),
    ]);
    let empty = match (v.rows.is_empty(), v.busy.is_some()) {
        (false, _) => None,
        (true, true) => Some(String::new()),
        (true, false) => Some(format!(
            "No upcoming meetings here yet. The meetings you create (in the form: {}; \
             or tmeet create) are listed here.",
            key_for(Scope::Form, Intent::Submit)
        )),
    };
    let Some(body) = super::list_body(frame, area, title, v.error.as_deref(), empty.as_deref())
    else {
        return;
    };
    let cols = Columns::for_width(area.width);
    let mut lines = vec![Line::styled(cols.header(), DIM)];
    let visible = usize::from(body.height.saturating_sub(1)).max(1);
    // The selected row stays in sight: the list scrolls under it.
    let first = v.selected.saturating_sub(visible - 1);
    for (i, r) in v.rows.iter().enumerate().skip(first).take(visible) {
        let (lead, subject) = cols.row(r);
        let selected = i == v.selected;
        let style = if selected {
            FOCUS.add_modifier(Modifier::REVERSED)
        } else if !r.mark.is_empty() {
            DIM
        } else {
            Style::new()
        };
        // The selected row is filled to the edge so the highlight reads as a bar.
        let used = unicode_width::UnicodeWidthStr::width(format!("{lead}{subject}").as_str());
        let pad = " ".repeat(usize::from(area.width).saturating_sub(used));
        let mut spans = vec![Span::styled(lead, style), Span::styled(subject, style)];
        if selected {
            spans.push(Span::styled(pad, style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_give_way_in_priority_order() {
        assert_eq!(Columns::for_width(80), Columns::All);
        assert_eq!(Columns::for_width(60), Columns::NoKind);
        assert_eq!(Columns::for_width(40), Columns::Short);
        assert_eq!(Columns::for_width(20), Columns::Subject);
    }
}
