//! "Find a time" answers (GRAPH-SCHEDULING.md §4.2) as a list, one row per suggestion:
//! `› Thu  3 Dec 10:00–10:45  100%  everyone free`, then, indented, each invitee's clock
//! then and whether it lies outside their working hours (`megan 18:00 Tokyo, outside
//! working hours; alex 04:00 New York, outside working hours`), wrapped. As the pane
//! narrows, the day name goes first, then the percentage; the time and who is not free
//! always stay.

use super::freebusy::fit;
use super::{DIM, FOCUS, HINT, wrap};
use crate::calendar::hours::{InviteeTime, PersonHours, invitee_times};
use crate::calendar::suggestions::WithinHours;
use crate::calendar::zone_input::city;
use crate::calendar::{Availability, Suggestion, Suggestions};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Which parts of a row fit, widest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Columns {
    All,
    NoDay,
    NoPercent,
}

impl Columns {
    fn for_width(width: u16) -> Self {
        match width {
            56.. => Columns::All,
            46..56 => Columns::NoDay,
            _ => Columns::NoPercent,
        }
    }
}

/// What the list draws: the answer, everyone's hours, and what a wider search would do.
pub(crate) struct SuggestionsView<'a> {
    pub suggestions: &'a Suggestions,
    /// The invitees' working hours and zones, in the order asked.
    pub people: &'a [PersonHours],
    /// Mine: a time outside them is said (a search beyond them).
    pub organizer: Option<&'a PersonHours>,
    /// `crate::tui::app::calendar::wider_search`: beyond my hours, or within mine alone.
    pub wider: Option<(bool, WithinHours)>,
    pub selected: usize,
    pub zone: Tz,
    /// A series: per suggestion, its next meetings and who is not free at each.
    pub later: &'a [Vec<crate::services::series::Clash>],
}

pub(crate) fn render_suggestions(frame: &mut Frame, area: Rect, view: &SuggestionsView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let suggestions = view.suggestions;
    if suggestions.items.is_empty() {
        let why = suggestions
            .empty_reason
            .as_deref()
            .unwrap_or("the service suggested no time");
        let key = crate::tui::keymap::key_for(
            crate::tui::keymap::Scope::Suggestions,
            crate::tui::keymap::Intent::FindTime,
        );
        let offer = match view.wider {
            Some((true, _)) => format!(" Press {key} to look outside your working hours."),
            Some((false, _)) => format!(
                " Their working hours may not meet yours: press {key} to look within yours \
                 alone, theirs marked."
            ),
            None => String::new(),
        };
        let lines: Vec<Line> = wrap(
            &format!("No time found: {why}.{offer}"),
            usize::from(area.width),
        )
        .into_iter()
        .map(Line::from)
        .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let cols = Columns::for_width(area.width);
    let width = usize::from(area.width);
    let visible = usize::from(area.height);
    let selected = view.selected.min(suggestions.items.len() - 1);
    // Each suggestion's row, then its invitees' lines.
    let entries: Vec<Vec<Line>> = suggestions
        .items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let is_selected = i == selected;
            let text = fit(&row(s, cols, view.zone, is_selected), width);
            let head = if is_selected {
                // Filled to the edge so the highlight reads as a bar.
                let pad = " ".repeat(width.saturating_sub(text.width()));
                Line::from(Span::styled(
                    format!("{text}{pad}"),
                    FOCUS.add_modifier(Modifier::REVERSED),
                ))
            } else {
                Line::from(Span::styled(text, Style::new()))
            };
            let mut lines = vec![head];
            let times = clocks(s, view.people, view.organizer);
            if !times.is_empty() {
                // Someone's night is worth the eye: the whole entry's clocks say so.
                let style = if times.iter().any(|t| t.inside == Some(false)) {
                    HINT
                } else {
                    DIM
                };
                let text = times.iter().map(clock).collect::<Vec<_>>().join("; ");
                lines.extend(
                    wrap(&text, width.saturating_sub(INDENT.len()))
                        .into_iter()
                        .map(|l| Line::from(Span::styled(format!("{INDENT}{l}"), style))),
                );
            }
            if let Some(later) = view.later.get(i) {
                let clash = later.iter().any(|c| !c.busy.is_empty());
                let text = crate::services::series::later_line(later, &view.zone, short_name);
                lines.extend(
                    wrap(&text, width.saturating_sub(INDENT.len()))
                        .into_iter()
                        .map(|l| {
                            Line::from(Span::styled(
                                format!("{INDENT}{l}"),
                                if clash { HINT } else { DIM },
                            ))
                        }),
                );
            }
            lines
        })
        .collect();
    // The selected entry stays in sight, whole where it fits: the list scrolls under it.
    let mut first = 0;
    let through = |from: usize| -> usize { entries[from..=selected].iter().map(Vec::len).sum() };
    while first < selected && through(first) > visible {
        first += 1;
    }
    let lines: Vec<Line> = entries
        .into_iter()
        .skip(first)
        .flatten()
        .take(visible)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Under each suggestion.
const INDENT: &str = "    ";

/// `megan 18:00 Tokyo, outside hours`: short, as several share a line.
fn clock(t: &InviteeTime) -> String {
    let at = match (t.local_start, t.zone) {
        (Some(l), Some(z)) => format!(" {} {}", l.format("%H:%M"), city(z)),
        _ => String::new(),
    };
    let hours = match t.inside {
        Some(true) => "",
        Some(false) => ", outside hours",
        None => ", hours not known",
    };
    format!("{}{at}{hours}", short_name(&t.who))
}

/// Each invitee's clock at the suggested time, where the service told their zone or their
/// hours (nothing to say of the others); mine first when it falls outside my hours (a
/// search beyond them).
fn clocks(
    s: &Suggestion,
    people: &[PersonHours],
    organizer: Option<&PersonHours>,
) -> Vec<InviteeTime> {
    let mut out: Vec<InviteeTime> = invitee_times(s, people)
        .into_iter()
        .filter(|t| t.zone.is_some() || t.inside.is_some())
        .collect();
    if let Some(me) = organizer
        && let Some(mut t) = invitee_times(s, std::slice::from_ref(me)).pop()
        && t.inside == Some(false)
    {
        t.who = "you".into();
        out.insert(0, t);
    }
    out
}

fn row(s: &Suggestion, cols: Columns, zone: Tz, selected: bool) -> String {
    let mark = if selected { '›' } else { ' ' };
    let when = when(s.start, s.end, zone, cols != Columns::All);
    let who = who(s);
    match cols {
        Columns::All | Columns::NoDay => {
            format!("{mark} {when}  {:>3}%  {who}", s.confidence.round() as u32)
        }
        Columns::NoPercent => format!("{mark} {when}  {who}"),
    }
}

/// `Thu  3 Dec 10:00–10:45` in `zone`; the end's day is named only when it is another.
fn when(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, short: bool) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let day = if short {
        s.format("%e %b")
    } else {
        s.format("%a %e %b")
    };
    let end = if e.date_naive() == s.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%e %b %H:%M").to_string().trim_start().to_string()
    };
    format!("{day} {}–{end}", s.format("%H:%M"))
}

/// `everyone free`, or who is not: `busy: megan, unknown: alex`, by the addresses' local
/// parts, the worst first; the organizer is `you`.
fn who(s: &Suggestion) -> String {
    let people = std::iter::once(("you".to_string(), s.organizer)).chain(
        s.attendees
            .iter()
            .map(|(address, a)| (short_name(address), *a)),
    );
    let mut groups: Vec<(Availability, Vec<String>)> = Vec::new();
    for (name, a) in people.filter(|(_, a)| !a.is_free()) {
        match groups.iter_mut().find(|(g, _)| *g == a) {
            Some((_, names)) => names.push(name),
            None => groups.push((a, vec![name])),
        }
    }
    if groups.is_empty() {
        return "everyone free".into();
    }
    groups.sort_by_key(|(a, _)| order(*a));
    groups
        .into_iter()
        .map(|(a, names)| format!("{}: {}", a.word(), names.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn order(a: Availability) -> u8 {
    match a {
        Availability::Away => 0,
        Availability::Busy => 1,
        Availability::Tentative => 2,
        Availability::Unknown => 3,
        Availability::Free | Availability::WorkingElsewhere => 4,
    }
}

/// `megan` for `MeganB@contoso.com`: the local part, lowercased, as people say it. The
/// address is already sanitized (`Suggestion::attendees`).
fn short_name(address: &str) -> String {
    let local = address.split('@').next().unwrap_or(address);
    let local = if local.is_empty() { address } else { local };
    local.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Berlin
            .with_ymd_and_hms(2037, 1, d, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn suggestion(
        d: u32,
        h: u32,
        m: u32,
        confidence: f64,
        attendees: &[(&str, Availability)],
    ) -> Suggestion {
        let start = at(d, h, m);
        Suggestion {
            start,
            end: start + chrono::Duration::minutes(45),
            confidence,
            organizer: Availability::Free,
            attendees: attendees
                .iter()
                .map(|(who, a)| (who.to_string(), *a))
                .collect(),
            reason: None,
        }
    }

    fn four() -> Suggestions {
        use Availability::*;
        Suggestions {
            items: vec![
                suggestion(
                    8,
                    10,
                    0,
                    100.0,
                    &[
                        ("MeganB@contoso.com", Free),
                        ("AlexW@contoso.com", WorkingElsewhere),
                    ],
                ),
                suggestion(
                    8,
                    14,
                    30,
                    100.0,
                    &[("MeganB@contoso.com", Free), ("AlexW@contoso.com", Free)],
                ),
                suggestion(
                    9,
                    9,
                    0,
                    66.5,
                    &[("MeganB@contoso.com", Busy), ("AlexW@contoso.com", Unknown)],
                ),
                suggestion(
                    12,
                    16,
                    15,
                    49.0,
                    &[
                        ("MeganB@contoso.com", Tentative),
                        ("AlexW@contoso.com", Unknown),
                    ],
                ),
            ],
            ..Suggestions::default()
        }
    }

    fn draw(s: &Suggestions, selected: usize, w: u16, h: u16) -> Terminal<TestBackend> {
        draw_with(s, &[], selected, w, h)
    }

    fn draw_with(
        s: &Suggestions,
        people: &[PersonHours],
        selected: usize,
        w: u16,
        h: u16,
    ) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let view = SuggestionsView {
            suggestions: s,
            people,
            organizer: None,
            wider: None,
            selected,
            zone: Berlin,
            later: &[],
        };
        t.draw(|f| render_suggestions(f, f.area(), &view)).unwrap();
        t
    }

    fn row(t: &Terminal<TestBackend>, y: u16) -> String {
        let buf = t.backend().buffer();
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    #[test]
    fn snapshots() {
        let empty = Suggestions::from_graph(
            &serde_json::json!({"emptySuggestionsReason": "attendeesUnavailable"}),
            false,
        );
        for (w, h) in [(80, 24), (40, 12)] {
            insta::assert_snapshot!(
                format!("suggestions_{w}x{h}"),
                draw(&four(), 1, w, h).backend()
            );
            insta::assert_snapshot!(
                format!("suggestions_empty_{w}x{h}"),
                draw(&empty, 0, w, h).backend()
            );
        }
    }

    #[test]
    fn the_selected_row_is_marked_in_text_and_reverse_video() {
        for w in [80, 40, 24] {
            let t = draw(&four(), 1, w, 12);
            let buf = t.backend().buffer();
            assert!(row(&t, 1).starts_with('›'), "{}", row(&t, 1));
            assert!(row(&t, 0).starts_with(' '));
            assert!((0..w).all(|x| buf[(x, 1)].modifier.contains(Modifier::REVERSED)));
            assert!(!buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        }
    }

    #[test]
    fn the_list_scrolls_to_keep_the_selection_in_sight() {
        let t = draw(&four(), 3, 80, 2);
        assert!(
            row(&t, 1).starts_with("› Mon 12 Jan 16:15–17:00"),
            "{}",
            row(&t, 1)
        );
        assert!(
            row(&t, 0).starts_with("  Fri  9 Jan 09:00–09:45"),
            "{}",
            row(&t, 0)
        );
        // A selection past the end is the last one, not a panic.
        let t = draw(&four(), 9, 80, 2);
        assert!(row(&t, 1).starts_with('›'));
    }

    fn in_zone(who: &str, zone: &str) -> PersonHours {
        PersonHours {
            who: who.into(),
            hours: crate::calendar::hours::WorkingHours::from_graph(&serde_json::json!({
                "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                "startTime": "09:00:00", "endTime": "17:00:00",
                "timeZone": {"name": zone}})),
        }
    }

    #[test]
    fn each_invitee_gets_their_clock_and_a_time_outside_their_hours_is_said() {
        // Thu 8 Jan 2037, 10:00–10:45 Berlin: 18:00 in Tokyo, 04:00 in New York.
        let s = &four().items[0];
        let people = [
            in_zone("MeganB@contoso.com", "Asia/Tokyo"),
            in_zone("AlexW@contoso.com", "Europe/Berlin"),
            PersonHours {
                who: "guest@fabrikam.com".into(),
                hours: None,
            },
        ];
        let text: Vec<String> = clocks(s, &people, None).iter().map(clock).collect();
        assert_eq!(
            text,
            ["meganb 18:00 Tokyo, outside hours", "alexw 10:00 Berlin"],
            "nothing to say of someone whose hours the service did not give"
        );
        // Mine is said only where the time falls outside them (a search beyond them).
        let me = in_zone("me@contoso.com", "America/New_York");
        let text: Vec<String> = clocks(s, &people[..1], Some(&me))
            .iter()
            .map(clock)
            .collect();
        assert_eq!(text[0], "you 04:00 New York, outside hours");
        let me = in_zone("me@contoso.com", "Europe/Berlin");
        assert_eq!(clocks(s, &people[..1], Some(&me)).len(), 1);
        // Drawn under the row, indented, and the selection keeps its whole entry in sight.
        let t = draw_with(&four(), &people, 3, 80, 4);
        let rows: Vec<String> = (0..4).map(|y| row(&t, y)).collect();
        assert!(rows[2].starts_with("› Mon 12 Jan 16:15–17:00"), "{rows:?}");
        assert!(
            rows[3].starts_with("    meganb 00:15 Tokyo, outside hours; alexw 16:15 Berlin"),
            "{rows:?}"
        );
    }

    #[test]
    fn who_is_not_free_by_short_name_worst_first() {
        let s = &four().items;
        assert_eq!(who(&s[0]), "everyone free");
        assert_eq!(who(&s[2]), "busy: meganb, unknown: alexw");
        let mut away = s[3].clone();
        away.organizer = Availability::Away;
        assert_eq!(who(&away), "away: you, tentative: meganb, unknown: alexw");
    }

    #[test]
    fn a_series_says_under_each_time_which_later_meetings_clash() {
        use crate::services::series::Clash;
        let found = four();
        let clash = |d: u32, busy: &[&str]| Clash {
            start: at(d, 9, 0).with_timezone(&Berlin),
            end: at(d, 9, 45).with_timezone(&Berlin),
            busy: busy.iter().map(|b| b.to_string()).collect(),
        };
        let later = vec![
            vec![clash(8, &["MeganB@contoso.com"]), clash(15, &[])],
            vec![clash(8, &[]), clash(15, &[])],
        ];
        let mut t = Terminal::new(TestBackend::new(80, 8)).unwrap();
        let view = SuggestionsView {
            suggestions: &found,
            people: &[],
            organizer: None,
            wider: None,
            selected: 0,
            zone: Berlin,
            later: &later,
        };
        t.draw(|f| render_suggestions(f, f.area(), &view)).unwrap();
        assert!(
            row(&t, 1).starts_with("    the next 2 meetings: Thu 8 Jan meganb not free"),
            "{}",
            row(&t, 1)
        );
        assert!(
            row(&t, 3).starts_with("    the next 2 meetings: everyone free"),
            "{}",
            row(&t, 3)
        );
    }
}
