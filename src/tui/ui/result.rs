//! The created meeting: the facts to share, each a keystroke from the clipboard, then the
//! invitation text. One scrollable column so nothing is lost on a short screen.

use super::{DIM, FOCUS, HINT, OK};
use crate::tui::app::Intent;
use crate::tui::app::Model;
use crate::tui::keymap::{self, Scope};
use crate::tui::view::CopyItem;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The key that copies `item`, from the key table.
fn copy_key(item: CopyItem) -> String {
    keymap::BINDINGS
        .iter()
        .find(|b| b.scope == Scope::Result && b.intent == Intent::Copy(item))
        .map(|b| b.keys[0].label())
        .unwrap_or_default()
}

fn field(label: &str, value: String, key: Option<String>) -> Line<'static> {
    let mut spans = vec![
        Span::styled(
            format!("{label:<12}"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ];
    if let Some(k) = key {
        spans.push(Span::styled(format!("  [{k}]"), FOCUS));
    }
    Line::from(spans)
}

/// Rows the pane needs at `width` once wrapped (the scroll limit).
pub fn rows(model: &Model, width: u16) -> usize {
    let w = usize::from(width.max(1));
    lines(model)
        .iter()
        .map(|l| l.width().div_ceil(w).max(1))
        .sum()
}

pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    frame.render_widget(
        Paragraph::new(lines(model))
            .wrap(Wrap { trim: false })
            .scroll((model.result_scroll, 0)),
        area,
    );
}

fn lines(model: &Model) -> Vec<Line<'static>> {
    let Some(r) = &model.result else {
        return Vec::new();
    };
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        if model.demo {
            "✓ Meeting created (DEMO: simulated by the emulator, it cannot be joined)"
        } else {
            "✓ Meeting created"
        },
        OK.add_modifier(Modifier::BOLD),
    ))];
    lines.push(field("Subject", r.subject.clone(), None));
    if let Some(w) = &r.when {
        lines.push(field("When", w.clone(), None));
    }
    lines.push(field(
        "Join link",
        r.join_url
            .clone()
            .unwrap_or_else(|| "(none returned)".into()),
        r.join_url.as_ref().map(|_| copy_key(CopyItem::JoinUrl)),
    ));
    lines.push(field(
        "Meeting ID",
        r.meeting_id_grouped().unwrap_or_else(|| "(none)".into()),
        r.meeting_id.as_ref().map(|_| copy_key(CopyItem::MeetingId)),
    ));
    lines.push(field(
        "Passcode",
        r.passcode.clone().unwrap_or_else(|| "none".into()),
        r.passcode.as_ref().map(|_| copy_key(CopyItem::Passcode)),
    ));
    if r.has_dial_in() {
        let key = Some(copy_key(CopyItem::DialIn));
        if let Some(t) = &r.toll {
            lines.push(field("Phone", t.clone(), key.clone()));
        }
        if let Some(t) = &r.toll_free {
            lines.push(field("Toll-free", t.clone(), None));
        }
        if let Some(c) = &r.conference_id {
            lines.push(field("Conf. ID", format!("{c}#"), None));
        }
        if let Some(u) = &r.dialin_url {
            lines.push(field("Numbers", u.clone(), None));
        }
    } else {
        lines.push(field(
            "Dial-in",
            "none (no audio conferencing)".into(),
            None,
        ));
    }
    lines.push(Line::from(Span::styled(
        "Not on your calendar, and no invitations were sent: share the link or the invitation.",
        HINT,
    )));
    lines.push(Line::from(""));
    let lang = r.language.as_deref().unwrap_or("service default");
    lines.push(Line::from(vec![
        Span::styled(
            format!("Invitation ({lang})"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  [{}]", copy_key(CopyItem::Invitation)), FOCUS),
        Span::styled("  ↑/↓ scroll", DIM),
    ]));
    match &r.invitation {
        Some(text) => lines.extend(text.lines().map(|l| Line::from(l.to_string()))),
        None => lines.push(Line::from(Span::styled(
            "(the service returned no invitation text)",
            DIM,
        ))),
    }
    lines
}
