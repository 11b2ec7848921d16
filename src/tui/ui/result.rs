//! The created meeting: the facts to share, each a keystroke from the clipboard, then the
//! invitation text. One scrollable column so nothing is lost on a short screen. Or, on `r`,
//! the join link as a QR code for a phone to scan.

use super::{CHROME_ROWS, DIM, FOCUS, HINT, OK};
use crate::hyperlink;
use crate::tui::app::Intent;
use crate::tui::app::calendar::EventOutcome;
use crate::tui::app::{Model, Shown};
use crate::tui::keymap::{self, Scope};
use crate::tui::view::{CopyItem, ResultView};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

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

/// Everything the details are made from: [`lines`] reads nothing else, so two equal panes
/// draw the same details at the same width, and a drawing is reused by comparing panes.
#[derive(PartialEq)]
struct Pane<'a> {
    card: Option<&'a ResultView>,
    shown: Shown,
    demo: bool,
    event: Option<&'a EventOutcome>,
    hyperlinks: bool,
}

impl<'a> Pane<'a> {
    fn of(model: &'a Model) -> Self {
        Pane {
            card: model.result.as_ref(),
            shown: model.meetings.shown,
            demo: model.demo,
            event: model.calendar.outcome.as_ref(),
            hyperlinks: model.hyperlinks,
        }
    }
}

/// A [`Pane`] kept with its drawing.
struct KeptPane {
    card: Option<ResultView>,
    shown: Shown,
    demo: bool,
    event: Option<EventOutcome>,
    hyperlinks: bool,
}

impl KeptPane {
    fn keep(p: &Pane<'_>) -> Self {
        KeptPane {
            card: p.card.cloned(),
            shown: p.shown,
            demo: p.demo,
            event: p.event.cloned(),
            hyperlinks: p.hyperlinks,
        }
    }

    fn pane(&self) -> Pane<'_> {
        Pane {
            card: self.card.as_ref(),
            shown: self.shown,
            demo: self.demo,
            event: self.event.as_ref(),
            hyperlinks: self.hyperlinks,
        }
    }
}

/// A line of the details, with the target of each of its spans that is a link.
type Tagged = (Line<'static>, Vec<Option<String>>);

/// The details' lines at `width`, links fitted; with hyperlinks on, each link the card
/// knows is a span of its own, tagged with its target.
fn tagged_lines(pane: &Pane<'_>, width: u16) -> Vec<Tagged> {
    let card = pane.card.filter(|_| pane.hyperlinks);
    lines(pane)
        .into_iter()
        .map(|line| {
            let (line, tags) = match card {
                Some(card) => split_links(line, card),
                None => {
                    let n = line.spans.len();
                    (line, vec![None; n])
                }
            };
            // Keeps the spans as they are (only their text is shortened), so the tags hold.
            (fit_links(line, usize::from(width)), tags)
        })
        .collect()
}

/// `line` with every word that is one of the card's links in a span of its own (its
/// style kept), tagged with the link's target; the text is unchanged.
fn split_links(line: Line<'static>, card: &ResultView) -> Tagged {
    let mut spans = Vec::new();
    let mut tags = Vec::new();
    for span in &line.spans {
        let mut plain = String::new();
        for (i, word) in span.content.split(' ').enumerate() {
            if i > 0 {
                plain.push(' ');
            }
            match card.link_target(word) {
                Some(target) => {
                    if !plain.is_empty() {
                        spans.push(Span::styled(std::mem::take(&mut plain), span.style));
                        tags.push(None);
                    }
                    spans.push(Span::styled(word.to_string(), span.style));
                    tags.push(Some(target.to_string()));
                }
                None => plain.push_str(word),
            }
        }
        if !plain.is_empty() {
            spans.push(Span::styled(plain, span.style));
            tags.push(None);
        }
    }
    (Line { spans, ..line }, tags)
}

/// The links on screen: the sequence that opens each (its target and an id of its own),
/// and every cell of each, with the index of its link; one link, one id, on every cell,
/// however many rows it wraps over.
#[derive(Default)]
pub(super) struct Links {
    /// Each link cell of the drawing: its symbol, and the symbol wrapped in its link's
    /// sequence, made once per drawing rather than once per frame.
    pub(super) marked: std::rc::Rc<[Marked]>,
    /// The cells on screen: where, and which of `marked`.
    pub(super) cells: Vec<(Position, usize)>,
}

pub(super) struct Marked {
    pub(super) symbol: String,
    pub(super) linked: String,
}

/// The details drawn once at a width, every row of them, with the cells of each link.
/// A frame copies the rows it shows; the drawing is redone only when the lines or the
/// width change, so scrolling and redrawing the same meeting cost a copy of the visible
/// cells, not a word-wrap of the invitation (twice with links, as it once was).
struct Drawn {
    pane: KeptPane,
    width: u16,
    buf: Buffer,
    /// The link cells: where each is in the drawing, and its symbols.
    links: Vec<Position>,
    marked: std::rc::Rc<[Marked]>,
}

thread_local! {
    /// The last drawing: it depends only on its pane and width, which are compared before
    /// it is reused, so it cannot show stale text.
    static DRAWN: std::cell::RefCell<Option<Drawn>> = const { std::cell::RefCell::new(None) };
}

/// `f` with the drawing of the details at `width`, made now if the last one is not it.
fn with_drawn<T>(model: &Model, width: u16, f: impl FnOnce(&Drawn) -> T) -> T {
    let pane = Pane::of(model);
    DRAWN.with_borrow_mut(|slot| {
        let drawn = match slot.take() {
            Some(d) if d.width == width && d.pane.pane() == pane => d,
            _ => draw_all(&pane, width),
        };
        let out = f(&drawn);
        *slot = Some(drawn);
        out
    })
}

/// Every row of the details at `width`, in one pass: each span is drawn in a marker colour
/// of its own, then each cell the paragraph wrote takes its span's real style, and the
/// cells of a link are collected on the way. The word wrapper alone decides where each cell
/// goes, and is asked once, so the link cells found are the cells drawn.
fn draw_all(pane: &Pane<'_>, width: u16) -> Drawn {
    let tagged = tagged_lines(pane, width);
    let mut opens: Vec<String> = Vec::new();
    // By marker, from 1: the span's real style, and its link when it is one.
    let mut styles: Vec<(Style, Option<usize>)> = Vec::new();
    let marked: Vec<Line<'static>> = tagged
        .iter()
        .map(|(line, tags)| {
            let spans: Vec<Span<'static>> = line
                .spans
                .iter()
                .zip(tags)
                .map(|(span, tag)| {
                    let link = tag.as_ref().map(|target| {
                        let id = format!("{}-{}", hyperlink::id_for(target), opens.len() + 1);
                        opens.push(hyperlink::open(target, &id));
                        opens.len() - 1
                    });
                    styles.push((line.style.patch(span.style), link));
                    Span::styled(
                        span.content.clone(),
                        Style::reset().fg(marker(styles.len())),
                    )
                })
                .collect();
            Line {
                spans,
                style: Style::reset(),
                alignment: line.alignment,
            }
        })
        .collect();
    let paragraph = Paragraph::new(marked).wrap(Wrap { trim: false });
    let height = u16::try_from(paragraph.line_count(width)).unwrap_or(u16::MAX);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    paragraph.render(area, &mut buf);
    let mut links = Vec::new();
    let mut marked = Vec::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let Color::Rgb(r, g, b) = cell.fg else {
                continue;
            };
            let n = usize::from(r) << 16 | usize::from(g) << 8 | usize::from(b);
            let Some((style, link)) = n.checked_sub(1).and_then(|i| styles.get(i)) else {
                continue;
            };
            // As the paragraph draws a cell: its style patched over a blank cell's.
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
            cell.modifier = Modifier::empty();
            cell.set_style(*style);
            if let Some(i) = link {
                links.push(Position { x, y });
                let symbol = cell.symbol().to_string();
                let linked = format!("{}{symbol}{}", opens[*i], hyperlink::CLOSE);
                marked.push(Marked { symbol, linked });
            }
        }
    }
    Drawn {
        pane: KeptPane::keep(pane),
        width,
        buf,
        links,
        marked: marked.into(),
    }
}

/// The scratch colour of the `n`th link (from 1; 0 is no link).
fn marker(n: usize) -> Color {
    let [_, r, g, b] = u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes();
    Color::Rgb(r, g, b)
}

/// Rows the details take at `width`, counted by the same word wrapper that draws them.
pub fn rows(model: &Model, width: u16) -> usize {
    with_drawn(model, width, |d| usize::from(d.buf.area.height))
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

/// Draws the pane; with hyperlinks on, returns where its links landed, for the frame to
/// mark once everything else has been drawn over it.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) -> Links {
    if let Some(qr) = model.result.as_ref().and_then(|r| r.qr.as_deref())
        && model.show_qr()
    {
        render_qr(frame, area, qr);
        return Links::default();
    }
    if area.is_empty() {
        return Links::default();
    }
    let scroll = model.result_scroll;
    with_drawn(model, area.width, |d| {
        let buf = frame.buffer_mut();
        let shown = d.buf.area.height.saturating_sub(scroll).min(area.height);
        // Row by row as slices: one bounds check per row rather than two per cell, which
        // was most of what a frame of the kept drawing cost.
        let cols = usize::from(area.width.min(d.buf.area.width));
        for y in 0..shown {
            let from = d.buf.index_of(0, scroll + y);
            let to = buf.index_of(area.x, area.y + y);
            buf.content[to..to + cols].clone_from_slice(&d.buf.content[from..from + cols]);
        }
        let cells: Vec<(Position, usize)> = d
            .links
            .iter()
            .enumerate()
            .filter(|(_, at)| at.y >= scroll && at.y - scroll < shown)
            .map(|(i, at)| {
                (
                    Position {
                        x: area.x + at.x,
                        y: area.y + at.y - scroll,
                    },
                    i,
                )
            })
            .collect();
        if cells.is_empty() {
            return Links::default();
        }
        Links {
            marked: d.marked.clone(),
            cells,
        }
    })
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

fn lines(pane: &Pane<'_>) -> Vec<Line<'static>> {
    let Some(r) = pane.card else {
        return Vec::new();
    };
    let heading = match pane.shown {
        Shown::Created => "✓ Meeting created",
        Shown::Opened => "Meeting from My meetings",
        Shown::Updated => "✓ Meeting updated",
        Shown::WithoutLink => "✗ Event created without a Teams link",
        Shown::Agenda => "Meeting from your Agenda",
    };
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        if pane.demo {
            format!("{heading} (DEMO: simulated by the emulator, it cannot be joined)")
        } else {
            heading.to_string()
        },
        OK.add_modifier(Modifier::BOLD),
    ))];
    // What the tenant overrode comes first: a person must see it before sharing the link.
    // Each line says whether the tenant changed it or it could not be confirmed.
    for change in &r.tenant_changed {
        let mut first = change.chars();
        let line: String = first
            .next()
            .map(|c| c.to_uppercase().chain(first).collect())
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(line, HINT)));
    }
    let from_agenda = pane.shown == Shown::Agenda;
    for row in r.rows() {
        let key = row.copy.map(|item| {
            // On an agenda card `d` declines: the copy key is the card's own there.
            from_agenda
                .then(|| keymap::bound_key(Scope::FromAgenda, Intent::Copy(item)))
                .flatten()
                .unwrap_or_else(|| copy_key(item))
        });
        lines.push(field(row.label, row.value, key));
    }
    for section in &r.sections {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            section.title.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )));
        lines.extend(section.lines.iter().map(|l| Line::from(format!("  {l}"))));
    }
    match pane.event {
        _ if from_agenda => {}
        Some(event) => {
            lines.push(Line::from(Span::styled(
                format!(
                    "On your calendar. Invitations sent to {} {}.",
                    event.invited,
                    crate::calendar::people(event.invited)
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
        None if r.from_invitation => lines.push(Line::from(Span::styled(
            format!("({})", crate::meeting::presentation::NOT_GIVEN),
            DIM,
        ))),
        Some(text) => lines.extend(text.lines().map(|l| Line::from(l.to_string()))),
        None => lines.push(Line::from(Span::styled(
            "(the service returned no invitation text)",
            DIM,
        ))),
    }
    lines
}
