//! A drawn screen as an SVG picture (monospace text in its colours over its backgrounds),
//! for the README's screenshots: they are made from the real screens by a test, so they
//! cannot show a screen that no longer exists.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const FONT_SIZE: f32 = 14.0;
/// The terminal's own colours, for `Color::Reset`: a dark theme, as the palette is made for.
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1e1e1e";

/// The sixteen ANSI colours as a common dark theme shows them.
fn ansi(n: u8) -> &'static str {
    const PALETTE: [&str; 16] = [
        "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
    ];
    PALETTE[usize::from(n % 16)]
}

fn hex(c: Color, default: &str) -> String {
    let named = |n: u8| ansi(n).to_string();
    match c {
        Color::Reset => default.to_string(),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) if n < 16 => named(n),
        Color::Indexed(n) if n >= 232 => {
            let v = 8 + 10 * (n - 232);
            format!("#{v:02x}{v:02x}{v:02x}")
        }
        Color::Indexed(n) => {
            // The 6×6×6 cube, with xterm's levels.
            let level = |i: u8| if i == 0 { 0 } else { 55 + 40 * i };
            let i = n - 16;
            format!(
                "#{:02x}{:02x}{:02x}",
                level(i / 36),
                level(i / 6 % 6),
                level(i % 6)
            )
        }
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    }
}

/// `&`, `<` and `>` (and quotes, for attributes) as entities.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// How a cell looks, as far as the picture can tell: colours after reverse video, weight.
#[derive(Clone, PartialEq, Eq)]
struct Look {
    fg: String,
    bg: String,
    bold: bool,
    italic: bool,
    underline: bool,
}

fn look(cell: &ratatui::buffer::Cell) -> Look {
    let (mut fg, mut bg) = (hex(cell.fg, DEFAULT_FG), hex(cell.bg, DEFAULT_BG));
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    if cell.modifier.contains(Modifier::DIM) {
        fg = hex(Color::DarkGray, DEFAULT_FG);
    }
    Look {
        fg,
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        italic: cell.modifier.contains(Modifier::ITALIC),
        underline: cell.modifier.contains(Modifier::UNDERLINED),
    }
}

/// The picture of `buf`: one background rectangle per run of cells with the same
/// non-default background, one `<text>` per run of the same look, placed at its column
/// (so a font a little wider or narrower than the cell cannot shift later runs).
pub(super) fn render(buf: &Buffer) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let width = f32::from(w) * CELL_W;
    let height = f32::from(h) * CELL_H;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.1} {height:.1}\" font-family=\"ui-monospace, 'DejaVu Sans Mono', \
         Menlo, Consolas, monospace\" font-size=\"{FONT_SIZE}\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{DEFAULT_BG}\"/>"
    );
    for y in 0..h {
        // Cells with what they show; a wide character's second cell is part of the first.
        let mut cells: Vec<(u16, u16, String, Look)> = Vec::new();
        let mut x = 0;
        while x < w {
            let cell = &buf[(buf.area.x + x, buf.area.y + y)];
            let symbol = cell.symbol().to_string();
            let span = u16::try_from(symbol.width().max(1)).unwrap_or(1);
            cells.push((x, span, symbol, look(cell)));
            x += span;
        }
        let top = f32::from(y) * CELL_H;
        let baseline = top + CELL_H * 0.75;
        let mut i = 0;
        while i < cells.len() {
            let (x0, _, _, ref l) = cells[i];
            let mut j = i;
            let mut text = String::new();
            let mut columns = 0;
            while j < cells.len() && cells[j].3 == *l {
                text.push_str(&cells[j].2);
                columns += cells[j].1;
                j += 1;
            }
            let left = f32::from(x0) * CELL_W;
            if l.bg != DEFAULT_BG {
                let _ = writeln!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{CELL_H:.1}\" \
                     fill=\"{}\"/>",
                    f32::from(columns) * CELL_W,
                    l.bg
                );
            }
            if !text.trim().is_empty() {
                let mut attrs = format!("fill=\"{}\"", l.fg);
                if l.bold {
                    attrs.push_str(" font-weight=\"bold\"");
                }
                if l.italic {
                    attrs.push_str(" font-style=\"italic\"");
                }
                if l.underline {
                    attrs.push_str(" text-decoration=\"underline\"");
                }
                let lead = text.len() - text.trim_start().len();
                let left = left + lead as f32 * CELL_W;
                let shown = text.trim();
                // The run's width in cells, imposed: a font whose advance is not the
                // cell's would otherwise drift off the grid within a long run.
                let length = shown.width() as f32 * CELL_W;
                let _ = writeln!(
                    out,
                    "<text x=\"{left:.1}\" y=\"{baseline:.1}\" textLength=\"{length:.1}\" \
                     lengthAdjust=\"spacingAndGlyphs\" {attrs} xml:space=\"preserve\">{}</text>",
                    escape(shown)
                );
            }
            i = j;
        }
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn text_is_escaped_coloured_and_placed_by_column() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        buf.set_string(0, 0, "a<b&c>", Style::new().fg(Color::Cyan));
        buf.set_string(7, 0, "ok", Style::new().bg(Color::Yellow).fg(Color::Black));
        buf.set_string(0, 1, "会x", Style::new().add_modifier(Modifier::REVERSED));
        let svg = render(&buf);
        assert!(svg.contains(">a&lt;b&amp;c&gt;</text>"), "{svg}");
        assert!(svg.contains(&format!("fill=\"{}\"", ansi(6))));
        assert!(
            svg.contains(
                "<rect x=\"58.8\" y=\"0.0\" width=\"16.8\" height=\"18.0\" fill=\"#e5e510\"/>"
            ),
            "{svg}"
        );
        // Reverse video: the default colours swapped; the wide character takes two cells.
        assert!(svg.contains(&format!(
            "<text x=\"0.0\" y=\"31.5\" textLength=\"25.2\" \
             lengthAdjust=\"spacingAndGlyphs\" fill=\"{DEFAULT_BG}\""
        )));
        assert!(svg.contains(">会x</text>"), "{svg}");
        assert!(svg.contains(&format!(
            "width=\"25.2\" height=\"18.0\" fill=\"{DEFAULT_FG}\""
        )));
        assert!(!svg.contains('\u{1b}'));
    }

    #[test]
    fn the_256_colours_map_like_xterm() {
        assert_eq!(hex(Color::Indexed(16), ""), "#000000");
        assert_eq!(hex(Color::Indexed(231), ""), "#ffffff");
        assert_eq!(hex(Color::Indexed(130), ""), "#af5f00");
        assert_eq!(hex(Color::Indexed(240), ""), "#585858");
        assert_eq!(hex(Color::Reset, "#123456"), "#123456");
    }
}
