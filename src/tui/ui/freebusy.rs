//! The free/busy strip (GRAPH-SCHEDULING.md §4.1): one row per person, a cell per slot,
//! across working hours, with the form's Start–End marked and a combined "all free" row.
//!
//! Nothing here relies on colour: every availability has its own glyph, an unknown
//! schedule says `unknown` in words, and the chosen range is reverse video on every strip
//! plus a row of `^` under it (the same marks survive NO_COLOR and the ASCII fallback).

// The form starts using this in the calendar-mode integration; until then only the tests do.
#![cfg_attr(not(test), allow(dead_code))]

use super::{DIM, ERROR, FOCUS, HINT, OK};
use crate::calendar::availability::LEGEND;
use crate::calendar::{Availability, FreeBusy};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub(crate) struct FreeBusyView<'a> {
    pub free_busy: &'a FreeBusy,
    /// Each row's working hours and zone, row for row (empty or shorter when unknown).
    pub hours: &'a [crate::calendar::hours::PersonHours],
    /// The person's zone, for the hour labels and the working-hours window.
    pub zone: Tz,
    /// The form's Start–End.
    pub chosen: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Header, one row per person, "all free", the row that marks the chosen range, legend.
pub(crate) fn free_busy_height(fb: &FreeBusy) -> u16 {
    u16::try_from(fb.people.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4)
}

/// The name column never gets narrower than this while there is a choice: below it even
/// a local part is mostly `…`.
const MIN_NAME: usize = 6;
/// Nor wider: the strip is what the person came to read.
const MAX_NAME: usize = 24;
/// ` unknown` after the strip of a person whose schedule the service could not give.
const STATUS: &str = " unknown";
const ALL_FREE: &str = "all free";
const CHOSEN: &str = "chosen";
const MARK: char = '^';
/// The legend in fewer columns, for narrower panes (same glyphs, same order).
const LEGEND_MID: &str = "· free ░ tentative █ busy ▓ away ~ elsewhere ? unknown";
const LEGEND_SHORT: &str = "·free ░tent █busy ▓away ~else ?unknown";

/// How the strip is laid out in a given width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// The first slot drawn (an index into every person's `slots`).
    first: usize,
    /// How many slots are drawn.
    slots: usize,
    /// Slots per cell: 1, or more when the pane is too narrow for one each.
    merge: usize,
    name_w: usize,
    /// Whether the ` unknown` column after the strip fits.
    status: bool,
}

impl Layout {
    fn cells(&self) -> usize {
        self.slots.div_ceil(self.merge)
    }

    /// The slots cell `c` stands for.
    fn span(&self, c: usize) -> std::ops::Range<usize> {
        let a = self.first + c * self.merge;
        a..(a + self.merge).min(self.first + self.slots)
    }
}

pub(crate) fn render_free_busy(frame: &mut Frame, area: Rect, view: &FreeBusyView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let fb = view.free_busy;
    let (first, end) = window(view);
    let Some(layout) = layout(view, first, end, usize::from(area.width)) else {
        frame.render_widget(
            Paragraph::new(Span::styled("no free/busy for this time", DIM)),
            area,
        );
        return;
    };
    let chosen: Vec<bool> = (0..layout.cells())
        .map(|c| is_chosen(fb, view.chosen, layout.span(c)))
        .collect();

    let mut lines = vec![hours(view, &layout)];
    let start = view.chosen.map(|(s, _)| s);
    let mut any_off = false;
    for (i, p) in fb.people.iter().enumerate() {
        let mut spans = vec![Span::raw(pad(
            &fit_name(&p.who, layout.name_w),
            layout.name_w,
        ))];
        spans.push(Span::raw(" "));
        let off = off_hours(view, i, &layout);
        any_off |= off.iter().any(|o| *o);
        spans.extend(
            strip(&p.slots, &layout, &chosen)
                .zip(off)
                .map(|(mut s, off)| {
                    // A free cell outside the person's own working hours: free, but not to ask.
                    if off && s.content == Availability::Free.glyph().to_string() {
                        s.content = OFF_HOURS.to_string().into();
                    }
                    s
                }),
        );
        // Their clock at the chosen start, where their zone is not the form's.
        let used = layout.name_w + 1 + layout.cells();
        if p.error.is_none()
            && let (Some(t), Some(tz)) = (start, view.hours.get(i).and_then(|h| h.zone()))
            && tz.name() != view.zone.name()
        {
            let label = format!(" {}", crate::calendar::hours::local_label(&t, tz));
            if used + label.width() <= usize::from(area.width) {
                spans.push(Span::styled(label, DIM));
            }
        }
        if p.error.is_some() {
            if layout.status {
                spans.push(Span::styled(STATUS, HINT));
            } else {
                // No room after the strip: the word goes over its start, where it is read
                // first; the `?` cells behind it say the same.
                overlay_unknown(&mut spans);
            }
        }
        lines.push(Line::from(spans));
    }
    let all = fb.all_free();
    let mut spans = vec![Span::styled(
        pad(&fit(ALL_FREE, layout.name_w), layout.name_w),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    spans.push(Span::raw(" "));
    spans.extend(strip(&all, &layout, &chosen));
    lines.push(Line::from(spans));

    // Under the rows, pointing up at the chosen cells; kept only when some are in sight.
    let has_mark = chosen.iter().any(|c| *c);
    if has_mark {
        let marks: String = chosen.iter().map(|c| if *c { MARK } else { ' ' }).collect();
        let marks = marks.trim_end().to_string();
        let mut spans = vec![
            Span::styled(pad(&fit(CHOSEN, layout.name_w), layout.name_w), FOCUS),
            Span::raw(" "),
        ];
        // The chosen time outside someone's working hours is said before it is sent.
        let outside = outside_names(view);
        let used = layout.name_w + 1 + marks.width();
        spans.push(Span::styled(marks, FOCUS));
        if !outside.is_empty() {
            let note = format!(" outside hours: {}", outside.join(", "));
            let room = usize::from(area.width).saturating_sub(used);
            if room > 8 {
                spans.push(Span::styled(fit(&note, room), HINT));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(legend(usize::from(area.width), any_off), DIM));

    // When the pane is short, the people and their sum are what matters: the legend goes
    // first, then the mark row (the reverse video still shows the range).
    let height = usize::from(area.height);
    if lines.len() > height {
        lines.pop();
    }
    if lines.len() > height && has_mark {
        lines.pop();
    }
    lines.truncate(height);
    frame.render_widget(Paragraph::new(lines), area);
}

/// A free cell outside its person's working hours.
const OFF_HOURS: char = '-';

/// For row `i`, each cell: every slot it stands for lies outside the person's working hours
/// (false where they are unknown).
fn off_hours(view: &FreeBusyView, i: usize, layout: &Layout) -> Vec<bool> {
    let Some(h) = view.hours.get(i).and_then(|h| h.hours.as_ref()) else {
        return vec![false; layout.cells()];
    };
    let fb = view.free_busy;
    (0..layout.cells())
        .map(|c| {
            let span = layout.span(c);
            !span.is_empty()
                && span
                    .into_iter()
                    .all(|n| h.is_working(fb.slot_start(n)) == Some(false))
        })
        .collect()
}

/// Who would be outside their own working hours at the chosen time, by the name the rows
/// show.
fn outside_names(view: &FreeBusyView) -> Vec<String> {
    let Some((s, e)) = view.chosen else {
        return Vec::new();
    };
    view.hours
        .iter()
        .filter(|p| p.hours.as_ref().and_then(|h| h.contains(s, e)) == Some(false))
        .map(|p| p.who.split('@').next().unwrap_or(&p.who).to_string())
        .collect()
}

/// The slots to draw: working hours of the people whose schedule is known (else 08–18 in
/// the zone), widened to the chosen range, within what the answer covers.
fn window(view: &FreeBusyView) -> (usize, usize) {
    let fb = view.free_busy;
    let count = fb.people.iter().map(|p| p.slots.len()).max().unwrap_or(0);
    let day = fb.start.with_timezone(&view.zone).date_naive();
    let hours: Vec<(NaiveTime, NaiveTime)> = fb
        .people
        .iter()
        .filter(|p| p.error.is_none())
        .filter_map(|p| p.working_hours)
        // Hours across midnight (after the move into this zone) are no window of one day.
        .filter(|(a, b)| a < b)
        .collect();
    let (a, b) = match (
        hours.iter().map(|h| h.0).min(),
        hours.iter().map(|h| h.1).max(),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => (
            NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
        ),
    };
    let mut from = local(&view.zone, day, a);
    let mut to = local(&view.zone, day, b);
    if let Some((s, e)) = view.chosen {
        from = from.min(s);
        to = to.max(e);
    }
    let from = from.max(fb.start);
    let to = to.min(fb.end);
    if to <= from {
        return (0, 0);
    }
    let interval = i64::from(fb.interval_minutes.max(1));
    let first = ((from - fb.start).num_minutes() / interval) as usize;
    let last = ((to - fb.start).num_minutes() + interval - 1) / interval;
    (first.min(count), (last as usize).min(count))
}

/// A wall-clock time on `day` in `zone`; a time skipped by a clock change is taken an hour
/// later, which is when that clock shows it.
fn local(zone: &Tz, day: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
    let at = day.and_time(t);
    zone.from_local_datetime(&at)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(at + Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&at))
}

/// Narrows the name column first; when the slots still do not fit one per cell, two (or
/// more) share a cell.
fn layout(view: &FreeBusyView, first: usize, end: usize, width: usize) -> Option<Layout> {
    let slots = end.saturating_sub(first);
    if slots == 0 || width < 3 {
        return None;
    }
    let fb = view.free_busy;
    let wanted = fb
        .people
        .iter()
        .map(|p| p.who.width())
        .chain([ALL_FREE.width()])
        .max()
        .unwrap_or(0)
        .min(MAX_NAME);
    let any_unknown = fb.people.iter().any(|p| p.error.is_some());
    let status_w = if any_unknown { STATUS.width() } else { 0 };
    let min_name = MIN_NAME.min(width / 3);
    let mut merge = 1;
    while (slots.div_ceil(merge) + 1 + min_name) > width && merge < slots {
        merge += 1;
    }
    let cells = slots.div_ceil(merge);
    let room = width.saturating_sub(cells + 1);
    let (name_w, status) = if status_w > 0 && room >= min_name + status_w {
        (wanted.min(room - status_w), true)
    } else {
        (wanted.min(room), false)
    };
    Some(Layout {
        first,
        slots,
        merge,
        name_w,
        status,
    })
}

fn style_of(a: Availability) -> Style {
    match a {
        Availability::Free | Availability::WorkingElsewhere => OK,
        Availability::Tentative => HINT,
        Availability::Busy | Availability::Away => ERROR,
        Availability::Unknown => DIM,
    }
}

fn strip(
    slots: &[Availability],
    layout: &Layout,
    chosen: &[bool],
) -> impl Iterator<Item = Span<'static>> {
    (0..layout.cells()).map(move |c| {
        let a = layout
            .span(c)
            .map(|i| slots.get(i).copied().unwrap_or(Availability::Unknown))
            .max_by_key(|a| a.severity())
            .unwrap_or(Availability::Unknown);
        let mut style = style_of(a);
        if chosen.get(c).copied().unwrap_or(false) {
            style = style.add_modifier(Modifier::REVERSED);
        }
        Span::styled(a.glyph().to_string(), style)
    })
}

/// Replaces the first cells of a strip (the spans after the name and its space) with
/// `unknown`, keeping each cell's style so the chosen range stays marked.
fn overlay_unknown(spans: &mut [Span<'static>]) {
    for (span, c) in spans.iter_mut().skip(2).zip(STATUS.trim_start().chars()) {
        span.content = c.to_string().into();
        span.style = span.style.patch(HINT);
    }
}

fn is_chosen(
    fb: &FreeBusy,
    chosen: Option<(DateTime<Utc>, DateTime<Utc>)>,
    slots: std::ops::Range<usize>,
) -> bool {
    let Some((s, e)) = chosen else {
        return false;
    };
    if slots.is_empty() {
        return false;
    }
    let a = fb.slot_start(slots.start);
    let b = fb.slot_start(slots.end);
    s < b && e > a
}

/// `08  09  10 …` over the cells where each hour of the zone begins; labels are thinned
/// to every second (third, …) hour when the cells are too narrow for two digits and a gap.
fn hours(view: &FreeBusyView, layout: &Layout) -> Line<'static> {
    let fb = view.free_busy;
    let cells = layout.cells();
    let minutes_per_cell = i64::from(fb.interval_minutes.max(1)) * layout.merge as i64;
    let start = fb.slot_start(layout.first);
    let end = fb.slot_start(layout.first + layout.slots);
    let mut row = vec![' '; cells];
    // The first whole hour of the zone at or after the start.
    let wall = start.with_timezone(&view.zone).naive_local();
    let mut hour = local(
        &view.zone,
        wall.date(),
        NaiveTime::from_hms_opt(wall.hour(), 0, 0).unwrap_or_default(),
    );
    if hour < start {
        hour += Duration::hours(1);
    }
    let mut labels = Vec::new();
    while hour < end {
        let cell = ((hour - start).num_minutes() / minutes_per_cell) as usize;
        labels.push((
            cell,
            hour.with_timezone(&view.zone).format("%H").to_string(),
        ));
        hour += Duration::hours(1);
    }
    let per_hour = (60 / minutes_per_cell).max(1) as usize;
    let every = 3usize.div_ceil(per_hour);
    let mut next_free = 0;
    for (n, (cell, text)) in labels.iter().enumerate() {
        if n % every != 0 || *cell < next_free || cell + text.len() > cells {
            continue;
        }
        for (i, c) in text.chars().enumerate() {
            row[cell + i] = c;
        }
        next_free = cell + text.len() + 1;
    }
    let scale: String = row.into_iter().collect();
    Line::from(vec![
        Span::raw(" ".repeat(layout.name_w + 1)),
        Span::styled(scale.trim_end().to_string(), DIM),
    ])
}

fn legend(width: usize, off: bool) -> &'static str {
    let all = if off {
        [LEGEND_OFF, LEGEND_MID_OFF, LEGEND_SHORT_OFF]
    } else {
        [LEGEND, LEGEND_MID, LEGEND_SHORT]
    };
    all.into_iter()
        .find(|l| l.width() <= width)
        .unwrap_or(all[2])
}

/// The legends when some row shows hours outside someone's working day.
const LEGEND_OFF: &str = "· free  - off hours  ░ tentative  █ busy  ▓ away  ~ elsewhere  ? unknown";
const LEGEND_MID_OFF: &str = "· free - off ░ tentative █ busy ▓ away ~ elsewhere ? unknown";
const LEGEND_SHORT_OFF: &str = "·free -off ░tent █busy ▓away ~else ?unknown";

/// An address as it fits: whole, else its local part, else cut with `…`.
fn fit_name(who: &str, width: usize) -> String {
    if who.width() <= width {
        return who.to_string();
    }
    match who.split_once('@') {
        Some((local, _)) if !local.is_empty() => fit(local, width),
        _ => fit(who, width),
    }
}

/// `s` in at most `width` columns, the last of them `…` when it was cut (shared by the
/// calendar widgets beside this one).
pub(super) fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn pad(s: &str, width: usize) -> String {
    let fill = width.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::PersonSchedule;
    use chrono_tz::Europe::Berlin;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Berlin
            .with_ymd_and_hms(2037, 1, 8, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// `pattern` is one digit per 15 minutes from 08:00 Berlin, as availabilityView has it.
    fn person(who: &str, pattern: &str, hours: Option<(u32, u32)>) -> PersonSchedule {
        let slots = (0..48)
            .map(|i| Availability::from_digit(pattern.chars().nth(i).unwrap_or('0')))
            .collect();
        PersonSchedule {
            who: who.into(),
            slots,
            error: None,
            working_hours: hours.map(|(a, b)| {
                (
                    NaiveTime::from_hms_opt(a, 0, 0).unwrap(),
                    NaiveTime::from_hms_opt(b, 0, 0).unwrap(),
                )
            }),
        }
    }

    /// 08:00–20:00 Berlin in 15-minute slots: the organizer and two colleagues with busy
    /// blocks, and an address the directory does not know (5009).
    fn day() -> FreeBusy {
        FreeBusy {
            start: at(8, 0),
            end: at(20, 0),
            interval_minutes: 15,
            people: vec![
                person(
                    "adelev@contoso.com",
                    "0000222200000000000011110000000000000000",
                    Some((8, 17)),
                ),
                person(
                    "meganb@contoso.com",
                    "2222000000000000222200000000333333330000",
                    Some((9, 18)),
                ),
                person(
                    "alexw.with.a.very.long.address@contoso.com",
                    "0000000000004400000000000000000022220000",
                    Some((8, 16)),
                ),
                PersonSchedule {
                    who: "nobody@contoso.com".into(),
                    slots: vec![Availability::Unknown; 48],
                    error: Some("unknown to the service (not found in the directory)".into()),
                    working_hours: None,
                },
            ],
        }
    }

    fn view(fb: &FreeBusy) -> FreeBusyView<'_> {
        FreeBusyView {
            free_busy: fb,
            hours: &[],
            zone: Berlin,
            chosen: Some((at(10, 0), at(10, 45))),
        }
    }

    fn draw(view: &FreeBusyView, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| render_free_busy(f, f.area(), view)).unwrap();
        t
    }

    fn row(t: &Terminal<TestBackend>, y: u16) -> String {
        let buf = t.backend().buffer();
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    #[test]
    fn snapshots() {
        let fb = day();
        for (w, h) in [(80, 24), (40, 12)] {
            let t = draw(&view(&fb), w, h);
            insta::assert_snapshot!(format!("free_busy_{w}x{h}"), t.backend());
        }
    }

    #[test]
    fn the_chosen_range_is_marked_without_colour_on_every_strip() {
        let fb = day();
        for (w, h) in [(80, 24), (40, 12)] {
            let t = draw(&view(&fb), w, h);
            let buf = t.backend().buffer();
            let (a, b) = window(&view(&fb));
            let layout = layout(&view(&fb), a, b, usize::from(w)).unwrap();
            let x0 = layout.name_w as u16 + 1;
            // Rows 1..=5: the four people and "all free".
            for y in 1..=5u16 {
                let reversed: Vec<u16> = (x0..w)
                    .filter(|x| buf[(*x, y)].modifier.contains(Modifier::REVERSED))
                    .map(|x| x - x0)
                    .collect();
                let expected: Vec<u16> = if layout.merge == 1 {
                    // 10:00–10:45 in 15-minute cells from 08:00: cells 8, 9, 10.
                    vec![8, 9, 10]
                } else {
                    // Two slots a cell: 10:00–10:30 and 10:30–11:00.
                    vec![4, 5]
                };
                assert_eq!(reversed, expected, "{w}x{h} row {y}");
            }
            let marks = row(&t, 6);
            let hats: Vec<usize> = marks
                .chars()
                .enumerate()
                .filter(|(_, c)| *c == MARK)
                .map(|(i, _)| i - usize::from(x0))
                .collect();
            assert_eq!(hats.len(), if layout.merge == 1 { 3 } else { 2 }, "{marks}");
            assert!(marks.starts_with(CHOSEN), "{marks}");
        }
    }

    #[test]
    fn an_unknown_schedule_reads_unknown_never_free() {
        let fb = day();
        for (w, h) in [(80, 24), (40, 12), (30, 8)] {
            let t = draw(&view(&fb), w, h);
            let line = row(&t, 4);
            assert!(line.contains("unknown"), "{w}: {line}");
            assert!(!line.contains(Availability::Free.glyph()), "{w}: {line}");
        }
    }

    /// The form's "all free" row is the command line's: with someone unknown all day no
    /// cell claims everyone is free; where the others are free it says unknown.
    #[test]
    fn all_free_is_never_free_while_someone_is_unknown() {
        let fb = day();
        for (w, h) in [(80, 24), (40, 12)] {
            let t = draw(&view(&fb), w, h);
            let line = row(&t, 5);
            assert!(line.starts_with("all"), "{w}: {line}");
            let (a, b) = window(&view(&fb));
            let name_w = layout(&view(&fb), a, b, usize::from(w)).unwrap().name_w;
            let cells: String = line.chars().skip(name_w + 1).collect();
            assert!(!cells.contains(Availability::Free.glyph()), "{w}: {line}");
            assert!(cells.contains(Availability::Unknown.glyph()), "{w}: {line}");
        }
        // Without the unknown person, the same slots read free where all three are.
        let known = FreeBusy {
            people: day().people.into_iter().take(3).collect(),
            ..day()
        };
        let t = draw(&view(&known), 80, 24);
        let line = row(&t, 4);
        assert!(line.starts_with(ALL_FREE), "{line}");
        assert!(line.contains(Availability::Free.glyph()), "{line}");
        assert!(!line.contains(Availability::Unknown.glyph()), "{line}");
    }

    #[test]
    fn the_window_is_working_hours_widened_to_the_chosen_range() {
        let fb = day();
        // Known people work 08–18; the unknown one does not count.
        assert_eq!(window(&view(&fb)), (0, 40));
        let late = FreeBusyView {
            chosen: Some((at(18, 30), at(19, 0))),
            ..view(&fb)
        };
        assert_eq!(window(&late), (0, 44));
        let nobody = FreeBusy {
            people: vec![person("a@contoso.com", "", None)],
            ..day()
        };
        let v = FreeBusyView {
            chosen: None,
            ..view(&nobody)
        };
        assert_eq!(window(&v), (0, 40));
        let t = draw(&v, 80, 6);
        assert!(
            row(&t, 0).trim_start().starts_with("08  09  10"),
            "{}",
            row(&t, 0)
        );
    }

    #[test]
    fn merged_cells_show_the_worse_slot() {
        let fb = FreeBusy {
            people: vec![person(
                "a@contoso.com",
                "0200010000000000000000000000000000000000",
                Some((8, 18)),
            )],
            ..day()
        };
        let v = FreeBusyView {
            chosen: None,
            ..view(&fb)
        };
        let l = layout(&v, 0, 40, 40).unwrap();
        assert_eq!(l.merge, 2);
        let t = draw(&v, 40, 6);
        let strip: String = row(&t, 1).chars().skip(l.name_w + 1).take(3).collect();
        assert_eq!(strip, "█·░");
    }

    #[test]
    fn any_size_draws_without_panicking_and_keeps_the_people() {
        let fb = day();
        for w in 1..=90 {
            for h in 1..=10 {
                let t = draw(&view(&fb), w, h);
                if w >= 20 && h >= 6 {
                    assert!(row(&t, 5).starts_with("all"), "{w}x{h}: {}", row(&t, 5));
                }
            }
        }
    }

    #[test]
    fn the_height_it_asks_for_is_what_it_draws() {
        let fb = day();
        let h = free_busy_height(&fb);
        let t = draw(&view(&fb), 80, h);
        assert!(row(&t, h - 1).starts_with(LEGEND), "{}", row(&t, h - 1));
    }
}
