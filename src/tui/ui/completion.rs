//! The dropdown under the Attendees field: `Name <address>` per match (contacts outside
//! the organization marked `(external)`) with where it came from (`recent`: People,
//! `directory`) dim at the right, the selected one in reverse video and marked `›`, or one
//! line saying it is searching or why it cannot.

use super::freebusy::fit;
use super::{DIM, ERROR, FOCUS, wrap};
use crate::tui::completion::Completion;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Below this many columns for the name, the source tag is left out.
const MIN_NAME_WIDTH: usize = 16;

/// Rows it wants: one per match, else one for the searching or error line, else none.
pub(crate) fn completion_height(c: &Completion) -> u16 {
    if !c.matches().is_empty() {
        u16::try_from(c.matches().len()).unwrap_or(u16::MAX)
    } else if c.error().is_some() {
        // Why there are none, and what to press about it, does not fit one line.
        2
    } else {
        u16::from(c.searching())
    }
}

pub(crate) fn render_completion(frame: &mut Frame, area: Rect, c: &Completion) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    if let Some(why) = c.error() {
        // Already sanitized by whoever made it from the service's answer; the width
        // decides how much of it is seen.
        let text = format!("No suggestions: {}", crate::sanitize::line(why));
        let lines: Vec<Line> = wrap(&text, width)
            .into_iter()
            .take(usize::from(area.height))
            .map(|l| Line::styled(l, ERROR))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let matches = c.matches();
    if matches.is_empty() {
        if c.searching() {
            frame.render_widget(Paragraph::new(Span::styled("searching…", DIM)), area);
        }
        return;
    }
    let visible = usize::from(area.height);
    let selected = c.selected();
    let first = selected.map_or(0, |s| s.saturating_sub(visible - 1));
    let lines: Vec<Line> = matches
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, m)| {
            let is_selected = selected == Some(i);
            let mark = if is_selected { '›' } else { ' ' };
            let who = if m.name == m.address {
                m.address.clone()
            } else {
                format!("{} <{}>", m.name, m.address)
            };
            let external = if m.external { " (external)" } else { "" };
            // Where the name came from, dim at the right edge, where there is room for it
            // beside a readable name.
            let tag = m.from.label();
            let room = width.saturating_sub(tag.width() + 1);
            let tagged = room >= MIN_NAME_WIDTH;
            let body = if tagged { room } else { width };
            let text = fit(&format!("{mark} {who}{external}"), body);
            let pad = " ".repeat(body.saturating_sub(text.width()));
            let style = if is_selected {
                FOCUS.add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            let mut spans = vec![Span::styled(format!("{text}{pad}"), style)];
            if tagged {
                let tag_style = if is_selected { style } else { DIM };
                spans.push(Span::styled(format!(" {tag}"), tag_style));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::PersonMatch;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::Instant;

    fn answered() -> Completion {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("sa", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        c.on_answer(
            id,
            vec![
                PersonMatch {
                    name: "Samantha Booth".into(),
                    address: "samanthab@tailspintoys.com".into(),
                    external: true,
                    from: crate::calendar::Source::People,
                },
                PersonMatch {
                    name: "Sara Davis".into(),
                    address: "SaraD@contoso.com".into(),
                    external: false,
                    from: crate::calendar::Source::Directory,
                },
            ],
            due,
        );
        c
    }

    fn rows(c: &Completion, w: u16, h: u16) -> (Vec<String>, Terminal<TestBackend>) {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| render_completion(f, f.area(), c)).unwrap();
        let buf = t.backend().buffer().clone();
        let rows = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        (rows, t)
    }

    #[test]
    fn matches_with_the_selection_marked_and_externals_named() {
        let mut c = answered();
        c.select_next();
        c.select_next();
        assert_eq!(completion_height(&c), 2);
        let (r, t) = rows(&c, 40, 3);
        assert_eq!(r[0], "  Samantha Booth <samanthab@tail… recent");
        assert_eq!(r[1], "› Sara Davis <SaraD@contoso.c… directory");
        let buf = t.backend().buffer();
        assert!((0..40).all(|x| buf[(x, 1)].modifier.contains(Modifier::REVERSED)));
        assert!(!buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        // The tag is dim beside an unselected name.
        assert_eq!(buf[(39, 0)].fg, DIM.fg.unwrap());
        let (r, _) = rows(&c, 60, 1);
        assert_eq!(
            r[0],
            format!(
                "› Sara Davis <SaraD@contoso.com>{}directory",
                " ".repeat(19)
            )
        );
        // Too narrow for a tag beside a readable name: the name keeps the room.
        let (r, _) = rows(&c, 24, 2);
        assert_eq!(r[1].trim_end(), "› Sara Davis <SaraD@con…");
        c.select_prev();
        let (r, _) = rows(&c, 80, 2);
        assert!(
            r[0].contains("(external)") && r[0].ends_with("recent"),
            "{}",
            r[0]
        );
    }

    #[test]
    fn searching_and_errors_are_one_line_in_words() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        assert_eq!(completion_height(&c), 0);
        let due = c.on_input("jo", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        assert_eq!(completion_height(&c), 1);
        assert_eq!(rows(&c, 30, 1).0[0].trim_end(), "searching…");
        c.on_error(
            id,
            "permission to read people (People.Read) is missing".into(),
        );
        let (r, t) = rows(&c, 40, 2);
        assert_eq!(r[0].trim_end(), "No suggestions: permission to read");
        assert_eq!(t.backend().buffer()[(0, 0)].fg, ERROR.fg.unwrap());
    }
}
