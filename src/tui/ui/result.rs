//! The created meeting: the facts to share, each a keystroke from the clipboard, then the
//! invitation text. One scrollable column so nothing is lost on a short screen. Or, on `r`,
//! the join link as a QR code for a phone to scan.

use super::{CHROME_ROWS, DIM, FOCUS, HINT, OK};
use crate::tui::app::Intent;
use crate::tui::app::Model;
use crate::tui::keymap::{self, Scope};
use crate::tui::view::CopyItem;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The code's own colours, whatever the terminal's theme: scanners want dark modules on a
/// light ground, and the code string draws the dark modules as ink (`█ ▀ ▄`). The
/// 256-colour cube's black (16) and white (231), which themes leave alone (they remap the
/// first 16 colours), as `create --qr` uses.
pub(super) const QR: Style = Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(231));

/// The first key bound to `intent` in `scope`, from the key table.
fn key(scope: Scope, intent: Intent) -> String {
    keymap::BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.intent == intent)
        .map(|b| b.keys[0].label())
        .unwrap_or_default()
}

/// The key that copies `item`.
fn copy_key(item: CopyItem) -> String {
    key(Scope::Result, Intent::Copy(item))
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

/// The details as one wrapped paragraph at `width`: what is drawn and what is measured.
fn details(model: &Model, width: u16) -> Paragraph<'static> {
    let lines = lines(model)
        .into_iter()
        .map(|l| fit_links(l, usize::from(width)))
        .collect::<Vec<_>>();
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Rows the details take at `width`, counted by the same word wrapper that draws them.
pub fn rows(model: &Model, width: u16) -> usize {
    details(model, width).line_count(width)
}

/// The fewest columns a shortened link keeps, so it can still be recognized.
const LINK_MIN: usize = 16;

/// A line too wide for the pane that holds a link gets its links shortened with `…` until
/// it fits, rather than wrapped: a link broken across rows selects as two halves, which is
/// worse than one visibly cut. The copy keys give the whole link either way.
fn fit_links(line: Line<'static>, width: usize) -> Line<'static> {
    use crate::meeting::invitation::is_link;
    use unicode_width::UnicodeWidthStr;
    let mut over = line.width().saturating_sub(width);
    if over == 0 || !line.spans.iter().any(|s| s.content.split(' ').any(is_link)) {
        return line;
    }
    let mut spans = line.spans.clone();
    for span in &mut spans {
        if over == 0 {
            break;
        }
        let words: Vec<String> = span
            .content
            .split(' ')
            .map(|w| {
                let room = w.width().saturating_sub(over).max(LINK_MIN);
                if over == 0 || !is_link(w) || room >= w.width() {
                    return w.to_string();
                }
                over -= w.width() - room;
                shorten(w, room)
            })
            .collect();
        span.content = words.join(" ").into();
    }
    Line { spans, ..line }
}

/// `s` cut to `columns` display columns, the last of them `…`.
fn shorten(s: &str, columns: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    if let Some(qr) = model.result.as_ref().and_then(|r| r.qr.as_deref())
        && model.show_qr
    {
        render_qr(frame, area, qr);
        return;
    }
    frame.render_widget(
        details(model, area.width).scroll((model.result_scroll, 0)),
        area,
    );
}

/// The code's size in cells: (columns, rows).
fn qr_size(qr: &str) -> (u16, u16) {
    let w = qr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let h = qr.lines().count();
    (
        u16::try_from(w).unwrap_or(u16::MAX),
        u16::try_from(h).unwrap_or(u16::MAX),
    )
}

/// The code centred in the body, every row of it for it to fit a 100×40 window with a real
/// join link (the status line carries the caption). A code cut at the edge cannot be
/// scanned, so a window too small for it gets the size it needs instead.
fn render_qr(frame: &mut Frame, area: Rect, qr: &str) {
    let back = key(Scope::Qr, Intent::Back);
    let (w, h) = qr_size(qr);
    let need = (w, h);
    if area.width < need.0 || area.height < need.1 {
        let text = format!(
            "The QR code needs a window of at least {}×{}; this one is {}×{}. Enlarge the \
             window, or press {back} to go back.",
            need.0,
            need.1.saturating_add(CHROME_ROWS),
            area.width,
            area.height.saturating_add(CHROME_ROWS),
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, HINT)).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let code = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Paragraph::new(qr.to_string()).style(QR), code);
}

fn lines(model: &Model) -> Vec<Line<'static>> {
    let Some(r) = &model.result else {
        return Vec::new();
    };
    let heading = match model.meetings.shown {
        crate::tui::app::Shown::Created => "✓ Meeting created",
        crate::tui::app::Shown::Opened => "Meeting from My meetings",
        crate::tui::app::Shown::Updated => "✓ Meeting updated",
    };
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        if model.demo {
            format!("{heading} (DEMO: simulated by the emulator, it cannot be joined)")
        } else {
            heading.to_string()
        },
        OK.add_modifier(Modifier::BOLD),
    ))];
    // What the tenant overrode comes first: a person must see it before sharing the link.
    for change in &r.tenant_changed {
        lines.push(Line::from(Span::styled(
            format!("Tenant changed: {change}"),
            HINT,
        )));
    }
    for row in r.rows() {
        lines.push(field(row.label, row.value, row.copy.map(copy_key)));
    }
    match &model.calendar.outcome {
        Some(event) => {
            if let Some(link) = &event.web_link {
                lines.push(field(
                    "Calendar",
                    link.clone(),
                    Some(copy_key(CopyItem::WebLink)),
                ));
            }
            lines.push(Line::from(Span::styled(
                format!(
                    "On your calendar. Invitations sent to {} {}.",
                    event.invited,
                    crate::tui::app::calendar::people(event.invited)
                ),
                OK,
            )));
        }
        None => lines.push(Line::from(Span::styled(
            "Not on your calendar, and no invitations were sent: share the link or the \
             invitation.",
            HINT,
        ))),
    }
    lines.push(Line::from(""));
    let lang = r.language.as_deref().unwrap_or("service default");
    lines.push(Line::from(vec![
        Span::styled(
            format!("Invitation ({lang})"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  [{}]", copy_key(CopyItem::Invitation)), FOCUS),
        Span::styled(
            format!(
                "  {}/{} scroll",
                keymap::key_for(Scope::Result, Intent::ScrollUp),
                keymap::key_for(Scope::Result, Intent::ScrollDown)
            ),
            DIM,
        ),
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
