//! Rendering: a pure function of `&Model`. The frame is a title bar (with the DEMO banner),
//! the current screen, a status line and a footer of key hints read from the key table.

mod agenda;
pub(crate) mod completion;
mod form;
pub(crate) mod freebusy;
mod help;
mod login;
mod meetings;
mod result;
mod status;
pub(crate) mod suggestions;

use super::app::{Model, Screen, StatusKind};
use super::keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

pub const FOCUS: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const ERROR: Style = Style::new().fg(Color::Red);
pub const HINT: Style = Style::new().fg(Color::Yellow);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const OK: Style = Style::new().fg(Color::Green);
pub const BANNER: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD);

pub use crate::tui::app::CHROME_ROWS;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub use result::rows as result_rows;

pub fn spinner(model: &Model) -> &'static str {
    SPINNER[((model.ms / 100) % SPINNER.len() as u64) as usize]
}

/// What the terminal can show: UTF-8, or only ASCII (a `C`/`POSIX` locale, or one in
/// another encoding), where ✓ › ⠋ ↑ and the QR code's half blocks would come out as
/// mojibake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Unicode,
    Ascii,
}

impl Charset {
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok();
        Self::from_locale(var("LC_ALL"), var("LC_CTYPE"), var("LANG"))
    }

    /// The C library's precedence for the character type: the first of LC_ALL, LC_CTYPE
    /// and LANG that is set and not empty decides; none means the C locale.
    pub fn from_locale(
        lc_all: Option<String>,
        lc_ctype: Option<String>,
        lang: Option<String>,
    ) -> Self {
        let locale = [lc_all, lc_ctype, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if locale.contains("utf-8") || locale.contains("utf8") {
            Charset::Unicode
        } else {
            Charset::Ascii
        }
    }
}

/// One ASCII character for a non-ASCII one, so the layout (one cell each) is kept. Text
/// with no ASCII equivalent (a subject in Japanese) becomes `?`, as the terminal could
/// not show it either.
fn ascii_for(c: char) -> char {
    match c {
        '✓' => '+',
        '✗' | '×' => 'x',
        '›' | '→' | '▶' => '>',
        '←' | '‹' => '<',
        '↑' => '^',
        '↓' => 'v',
        '·' | '–' | '—' | '─' => '-',
        '│' => '|',
        '┌' | '┐' | '└' | '┘' => '+',
        '…' => '.',
        // A meeting of a series, on the Agenda.
        '↻' => '*',
        '⠋' | '⠸' | '⠦' => '|',
        '⠙' | '⠼' | '⠧' => '/',
        '⠹' | '⠴' | '⠇' | '⠏' => '-',
        // The free/busy strip: tentative, busy and away must stay apart from unknown (?).
        '░' => ':',
        '█' => '#',
        '▓' => '%',
        c if c.is_ascii() => c,
        _ => '?',
    }
}

/// Rewrites every cell of `area` to ASCII.
fn to_ascii(buf: &mut ratatui::buffer::Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if !cell.symbol().is_ascii() {
                let c = cell.symbol().chars().next().map_or(' ', ascii_for);
                cell.set_char(c);
            }
        }
    }
}

pub fn render(frame: &mut Frame, model: &Model) {
    render_in(frame, model, Charset::Unicode);
}

/// The frame for a terminal with `charset`. Without UTF-8 everything is drawn as usual and
/// then brought down to ASCII cell by cell, which catches every glyph, whichever module
/// wrote it; the QR code cannot be drawn in ASCII at a scannable size, so it says so.
pub fn render_in(frame: &mut Frame, model: &Model, charset: Charset) {
    let links = draw_in(frame, model, charset);
    // Last, over whatever the cells hold by now (ASCII, the palette): a link's cells.
    if !model.help_open() {
        mark_links(frame.buffer_mut(), links);
    }
}

/// Each cell of a link gets the whole OSC 8 sequence around its own symbol: cells are
/// redrawn one by one, so a link's start or end cannot be left to another cell. The
/// sequence draws nothing, so the cell keeps its symbol's width for the diff.
fn mark_links(buf: &mut ratatui::buffer::Buffer, links: result::Links) {
    use ratatui::buffer::CellDiffOption;
    use unicode_width::UnicodeWidthStr;
    for (at, i) in links.cells {
        let (Some(cell), Some(m)) = (buf.cell_mut(at), links.marked.get(i)) else {
            continue;
        };
        let symbol = cell.symbol();
        let width = u16::try_from(symbol.width())
            .ok()
            .and_then(std::num::NonZeroU16::new)
            .unwrap_or(std::num::NonZeroU16::MIN);
        if symbol == m.symbol {
            cell.set_symbol(&m.linked);
        } else {
            // Brought down to ASCII since it was drawn: the link goes around what is here.
            let (open, close) = m
                .linked
                .split_at(m.linked.len() - m.symbol.len() - crate::hyperlink::CLOSE.len());
            let linked = format!("{open}{symbol}{}", &close[m.symbol.len()..]);
            cell.set_symbol(&linked);
        }
        cell.set_diff_option(CellDiffOption::ForcedWidth(width));
    }
}

/// A list screen's frame (My meetings, the Agenda): its title on the first row, then why
/// there is no list (`error`, a hint) or that it is empty (`empty`, dim) in the body.
/// The body's area when the rows are to be drawn there, else None.
fn list_body(
    frame: &mut Frame,
    area: Rect,
    title: Line<'_>,
    error: Option<&str>,
    empty: Option<&str>,
) -> Option<Rect> {
    frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    if body.height == 0 {
        return None;
    }
    let (text, style) = match (error, empty) {
        (Some(why), _) => (why, HINT),
        (None, Some(text)) => (text, DIM),
        (None, None) => return Some(body),
    };
    frame.render_widget(
        Paragraph::new(text.to_string())
            .style(style)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        body,
    );
    None
}

/// Draws the frame; returns the result pane's links (none on other screens).
fn draw_in(frame: &mut Frame, model: &Model, charset: Charset) -> result::Links {
    if charset == Charset::Unicode {
        return draw(frame, model);
    }
    let links = draw(frame, model);
    let area = frame.area();
    to_ascii(frame.buffer_mut(), area);
    if model.screen == Screen::Result
        && model.show_qr()
        && !model.help_open()
        && area.height > CHROME_ROWS
    {
        let body = Rect {
            y: area.y + 1,
            height: area.height - CHROME_ROWS,
            ..area
        };
        frame.render_widget(ratatui::widgets::Clear, body);
        frame.render_widget(
            Paragraph::new(
                "The QR code needs a UTF-8 terminal: start tmeet with a UTF-8 locale \
                 (e.g. LANG=C.UTF-8), or copy the join link instead.",
            )
            .style(HINT)
            .wrap(ratatui::widgets::Wrap { trim: false }),
            body,
        );
    }
    links
}

/// The dark palette's colours as they read on a light background: cyan, yellow and green
/// nearly vanish on white, so darker shades stand in; the rest read on both.
fn on_light(c: Color) -> Color {
    match c {
        Color::Cyan => Color::Blue,
        Color::Yellow => Color::Indexed(130),
        Color::Green => Color::Indexed(28),
        Color::DarkGray => Color::Indexed(240),
        other => other,
    }
}

/// Draws the frame; returns the result pane's links (none on other screens).
fn draw(frame: &mut Frame, model: &Model) -> result::Links {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return result::Links::default();
    }
    if area.height < CHROME_ROWS {
        // Too small for chrome: keep only what matters most.
        let text = if model.demo { "DEMO tmeet" } else { "tmeet" };
        frame.render_widget(Paragraph::new(text), area);
        return result::Links::default();
    }
    let title = Rect { height: 1, ..area };
    let footer = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let status = Rect {
        y: area.bottom() - 2,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(CHROME_ROWS),
        ..area
    };
    render_title(frame, title, model);
    let mut links = result::Links::default();
    match model.screen {
        Screen::SignIn => login::render(frame, body, model),
        Screen::Form => form::render(frame, body, model),
        Screen::Result => links = result::render(frame, body, model),
        Screen::Meetings => meetings::render(frame, body, model),
        Screen::Agenda => agenda::render(frame, body, model),
    }
    if let Some(b) = model.answer_box() {
        agenda::render_box(frame, body, b);
    }
    render_status(frame, status, body, model);
    render_footer(frame, footer, model);
    if let Some(scroll) = model.help_scroll() {
        // Over the body and the status line, below the title: the DEMO label stays in
        // sight while help is open, and the footer keeps saying how to close it.
        help::render(
            frame,
            Rect {
                y: body.y,
                height: area.height - 2,
                ..area
            },
            scroll,
        );
    }
    for cell in frame.buffer_mut().content.iter_mut() {
        // The QR code is black on white by colour; without it, it would not scan.
        if cell.fg == result::QR.fg.unwrap_or_default()
            && cell.bg == result::QR.bg.unwrap_or_default()
        {
            continue;
        }
        if model.no_color {
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
        } else if model.light {
            cell.fg = on_light(cell.fg);
        }
    }
    links
}

fn render_title(frame: &mut Frame, area: Rect, model: &Model) {
    let mut spans = Vec::new();
    if model.demo {
        spans.push(Span::styled(" DEMO ", BANNER));
        spans.push(Span::styled(
            " emulator: simulated meetings, nothing real ",
            HINT,
        ));
    }
    let what = match &model.editing {
        // The form sends a PATCH now: the title says so, in every state of the form.
        Some(e) if model.screen == Screen::Form => format!("Editing \"{}\"", e.subject),
        _ => format!("Teams meeting for {}", model.target),
    };
    spans.push(Span::styled(
        format!(" tmeet · {what} "),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

/// The request's progress while one is in flight, else the last status message. A text
/// too long for its row takes the row above as well when the screen left that one empty,
/// and is shortened between words otherwise, never cutting a key or command it names.
fn render_status(frame: &mut Frame, area: Rect, body: Rect, model: &Model) {
    let Some((text, style)) = status_text(model) else {
        return;
    };
    let above = Rect {
        y: area.y.saturating_sub(1),
        ..area
    };
    let spare = body.height >= 2 && above.y >= body.y && row_is_empty(frame, above);
    let lines = status::fit(&text, usize::from(area.width), if spare { 2 } else { 1 });
    let first = if lines.len() > 1 { above } else { area };
    frame.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style)))
                .collect::<Vec<_>>(),
        ),
        Rect {
            height: area.bottom() - first.y,
            ..first
        },
    );
}

/// Whether nothing is drawn on the row (no text, no background, no highlight bar).
fn row_is_empty(frame: &mut Frame, row: Rect) -> bool {
    let buf = frame.buffer_mut();
    (row.left()..row.right()).all(|x| {
        let cell = &buf[(x, row.y)];
        cell.symbol() == " "
            && cell.bg == Color::Reset
            && !cell.modifier.contains(Modifier::REVERSED)
    })
}

/// What the status line says now, and in which style.
fn status_text(model: &Model) -> Option<(String, Style)> {
    if let Some(job) = model.job() {
        let cancel = keymap::key_for(keymap::Scope::InFlight, super::app::Intent::Back);
        let text = match model.wait_secs_left() {
            Some((secs, w)) => format!(
                "{} HTTP {}: service busy, retry {} in {secs} s · {cancel} cancels",
                spinner(model),
                w.status,
                w.attempt
            ),
            None => format!(
                "{} {} {} s · {cancel} cancels",
                spinner(model),
                if model.editing.is_some() {
                    "Saving the changes…"
                } else {
                    "Creating the meeting…"
                },
                model.ms.saturating_sub(job.started_ms) / 1000
            ),
        };
        return Some((text, HINT));
    }
    if model.confirm().is_some() {
        // The question stays on screen until it is answered, whatever else happens.
        let text = crate::tui::app::confirm_question();
        return Some((text, HINT.add_modifier(Modifier::BOLD)));
    }
    if let Some(question) = crate::tui::app::delete_question(model) {
        return Some((question, HINT.add_modifier(Modifier::BOLD)));
    }
    match &model.status {
        Some(status) => {
            let style = match status.kind {
                StatusKind::Info => Style::new(),
                StatusKind::Success => OK,
                StatusKind::Error => ERROR,
            };
            Some((status.text.clone(), style))
        }
        // The code's caption lives as long as the code is on screen.
        None if model.screen == Screen::Result && model.show_qr() => {
            Some((crate::tui::app::qr_caption(), Style::new()))
        }
        None => None,
    }
}

fn render_footer(frame: &mut Frame, area: Rect, model: &Model) {
    let width = area.width as usize;
    let len = |(key, word): &(String, &str)| key.chars().count() + word.chars().count() + 3;
    // How to get help and how to leave always fit; the other hints fill what is left, in
    // the table's order, and the least needed drop first.
    let (essential, rest): (Vec<_>, Vec<_>) = keymap::footer(&model.scopes())
        .into_iter()
        .partition(|(_, word)| matches!(*word, "help" | "quit"));
    let mut budget = width.saturating_sub(essential.iter().map(len).sum());
    let mut shown: Vec<(String, &str)> = Vec::new();
    for hint in rest {
        let l = len(&hint);
        if l > budget {
            break;
        }
        budget -= l;
        shown.push(hint);
    }
    let mut used: usize = shown.iter().map(len).sum();
    for hint in essential {
        let l = len(&hint);
        if used + l > width {
            break;
        }
        used += l;
        shown.push(hint);
    }
    let mut spans = Vec::new();
    for (key, word) in shown {
        spans.push(Span::styled(key, FOCUS));
        spans.push(Span::raw(format!(" {word}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Display columns of `s` as the buffer lays it out: one cell per character of width 1,
/// two for wide (CJK, most emoji), none for combining marks.
fn columns(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Greedy word wrap by display width. Counting characters instead would let a line of
/// wide characters (Japanese has no spaces to break at) run past the edge and be cut off.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let line_len = columns(&line);
            let word_len = columns(&word);
            let sep = usize::from(!line.is_empty());
            if line_len + sep + word_len <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word wider than the line: split it (at least one character per line, so a
            // wide character in a one-column line still makes progress).
            let mut head = String::new();
            let mut used = 0;
            let mut rest = word.chars().peekable();
            while let Some(&c) = rest.peek() {
                let w = c.width().unwrap_or(0);
                if used + w > width && !head.is_empty() {
                    break;
                }
                head.push(c);
                used += w;
                rest.next();
            }
            word = rest.collect();
            lines.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod screens;
#[cfg(test)]
mod svg;
#[cfg(test)]
mod tests;
