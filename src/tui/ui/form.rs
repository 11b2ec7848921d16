//! The form: one line per field, errors in red under the field they belong to, the
//! resolved times under End, then the Create button, the request's progress or its error.

use super::completion::{completion_height, render_completion};
use super::freebusy::{FreeBusyView, free_busy_height, render_free_busy};
use super::suggestions::{SuggestionsView, render_suggestions};
use super::{DIM, ERROR, FOCUS, HINT, OK, wrap};
use crate::tui::app::Model;
use crate::tui::form_state::{Field, Mode};
use chrono::Datelike;
use chrono::Utc;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

const LABEL_WIDTH: usize = 12;

/// Rows the fields keep at the least when the free/busy strip is shown below them.
const MIN_FIELD_ROWS: u16 = 10;

pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    if let Some(view) = model.suggest() {
        suggestions_panel(frame, area, model, view);
        return;
    }
    if let Some(view) = model.shared() {
        shared_panel(frame, area, view);
        return;
    }
    // Once a frame: the fields' verdicts and the strip's chosen range read the same.
    let checked = model.form.check(&model.now);
    let (fields, below) = split_below(area, model);
    let attendees_y = render_fields(frame, fields, model, &checked);
    if let Some((rect, panel)) = below {
        match panel {
            Below::Strip(fb) => {
                let zone = model.zone();
                let day = fb.start.with_timezone(&zone).format("%a %-d %b");
                let title = Rect { height: 1, ..rect };
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        format!("Free/busy, {day}"),
                        Style::new().add_modifier(Modifier::BOLD),
                    )),
                    title,
                );
                let chosen = match (&checked.start, &checked.end) {
                    (Ok(s), Ok(e)) => Some((s.with_timezone(&Utc), e.with_timezone(&Utc))),
                    _ => None,
                };
                let strip = Rect {
                    y: rect.y + 1,
                    height: rect.height - 1,
                    ..rect
                };
                render_free_busy(
                    frame,
                    strip,
                    &FreeBusyView {
                        free_busy: fb,
                        hours: &model.calendar.free_busy.hours,
                        zone,
                        chosen,
                    },
                );
            }
            Below::Line(text, style) => {
                let shown: String = text.chars().take(usize::from(rect.width)).collect();
                frame.render_widget(Paragraph::new(Span::styled(shown, style)), rect);
            }
        }
    }
    if let Some(y) = attendees_y {
        dropdown(frame, fields, y, model);
    }
}

/// What calendar mode shows under the fields.
enum Below<'a> {
    Strip(&'a crate::calendar::FreeBusy),
    Line(String, Style),
}

/// The free/busy strip (or the one line standing in for it) takes the bottom of the body
/// when there is room for it and the fields; a short window gets a line saying so.
fn split_below<'a>(area: Rect, model: &'a Model) -> (Rect, Option<(Rect, Below<'a>)>) {
    if model.form.mode != Mode::Calendar || area.height < 6 {
        return (area, None);
    }
    let fb = &model.calendar.free_busy;
    let panel = match (&fb.shown, &fb.note) {
        (_, Some(note)) => Below::Line(note.clone(), HINT),
        (Some(shown), None) => {
            let need = free_busy_height(shown).saturating_add(1);
            if area.height >= need.saturating_add(MIN_FIELD_ROWS) {
                Below::Strip(shown)
            } else {
                Below::Line("Free/busy: a taller window shows it here.".into(), DIM)
            }
        }
        (None, None) if fb.job.is_some() => Below::Line("Free/busy: asking…".into(), DIM),
        (None, None) => return (area, None),
    };
    let height = match panel {
        Below::Strip(shown) => free_busy_height(shown).saturating_add(1),
        Below::Line(..) => 1,
    };
    let fields = Rect {
        height: area.height - height,
        ..area
    };
    let below = Rect {
        y: area.y + fields.height,
        height,
        ..area
    };
    (fields, Some((below, panel)))
}

/// The rows the completion dropdown wants: its list or message, and the note under it.
fn dropdown_rows(model: &Model) -> u16 {
    let c = &model.calendar.completion;
    let note = model.calendar.completion_note.is_some() && !c.matches().is_empty();
    completion_height(c) + u16::from(note)
}

/// The people suggested for the name under the cursor, over the rows below Attendees.
fn dropdown(frame: &mut Frame, area: Rect, attendees_y: u16, model: &Model) {
    if model.form.mode != Mode::Calendar || model.form.focus != Field::Attendees {
        return;
    }
    let c = &model.calendar.completion;
    let want = dropdown_rows(model);
    let note = model
        .calendar
        .completion_note
        .as_ref()
        .filter(|_| !c.matches().is_empty());
    let bottom = area.y + area.height;
    if want == 0 || area.width <= LABEL_WIDTH as u16 {
        return;
    }
    // Below the field, or above it where the field sits at the bottom of a short window.
    let below = bottom.saturating_sub(attendees_y + 1);
    let above = attendees_y.saturating_sub(area.y);
    let (y, height) = if below >= want || below >= above {
        (attendees_y + 1, want.min(below))
    } else {
        let h = want.min(above);
        (attendees_y - h, h)
    };
    if height == 0 {
        return;
    }
    let rect = Rect {
        x: area.x + LABEL_WIDTH as u16,
        y,
        width: area.width - LABEL_WIDTH as u16,
        height,
    };
    frame.render_widget(Clear, rect);
    let list = Rect {
        height: rect.height.saturating_sub(u16::from(note.is_some())).max(1),
        ..rect
    };
    render_completion(frame, list, c);
    if let Some(note) = note
        && rect.height > list.height
    {
        let line = Rect {
            y: list.y + list.height,
            height: 1,
            ..rect
        };
        let shown: String = note.chars().take(usize::from(line.width)).collect();
        frame.render_widget(Paragraph::new(Span::styled(shown, DIM)), line);
    }
}

/// "Find a time": the list in place of the fields until a time is taken or it is closed.
fn suggestions_panel(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    view: &crate::tui::app::calendar::SuggestView,
) {
    let title = Rect { height: 1, ..area };
    frame.render_widget(
        Paragraph::new(Span::styled(
            "Find a time: suggestions for everyone",
            Style::new().add_modifier(Modifier::BOLD),
        )),
        title,
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    if body.height == 0 {
        return;
    }
    match (&view.suggestions, &view.error) {
        (Some(s), _) => render_suggestions(
            frame,
            body,
            &SuggestionsView {
                suggestions: s,
                people: &view.people,
                organizer: view.organizer.as_ref(),
                wider: crate::tui::app::calendar::wider_search(view),
                selected: view.selected,
                zone: model.zone(),
                later: &view.later,
            },
        ),
        (None, Some(e)) => frame.render_widget(
            Paragraph::new(
                wrap(&format!("✗ {e}"), usize::from(body.width))
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, ERROR)))
                    .collect::<Vec<_>>(),
            ),
            body,
        ),
        (None, None) => frame.render_widget(
            Paragraph::new(Span::styled(
                "Asking the service for times when everyone is free…",
                DIM,
            )),
            body,
        ),
    }
}

/// My free times to share: the line as it is sent (and copied), what it keeps to.
fn shared_panel(frame: &mut Frame, area: Rect, view: &crate::tui::app::calendar::SharedView) {
    let width = usize::from(area.width);
    let mut rows = vec![Line::from(Span::styled(
        "My free times, to send to someone",
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    let add = |rows: &mut Vec<Line>, text: &str, style: Style| {
        rows.extend(
            wrap(text, width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style))),
        );
    };
    match (&view.text, &view.error) {
        (Some(text), _) => {
            add(&mut rows, text, Style::new());
            rows.push(Line::from(""));
            if let Some(note) = &view.note {
                add(&mut rows, note, DIM);
            }
        }
        (None, Some(e)) => add(&mut rows, &format!("✗ {e}"), ERROR),
        (None, None) => add(&mut rows, "Reading your calendar…", DIM),
    }
    frame.render_widget(Paragraph::new(rows), area);
}

/// The fields; returns the screen row of the Attendees field when it is visible.
fn render_fields(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    checked: &crate::tui::form_state::Checked,
) -> Option<u16> {
    if area.height == 0 || area.width == 0 {
        return None;
    }
    let form = &model.form;
    let width = area.width as usize;
    let value_width = width.saturating_sub(LABEL_WIDTH + 1).max(1);
    let indent = " ".repeat(LABEL_WIDTH.min(width.saturating_sub(1)));
    let mut rows: Vec<Line> = Vec::new();
    let mut focus_row = 0usize;
    let mut cursor: Option<(usize, u16)> = None;
    let busy = model.job().is_some();
    let mut attendees_row = None;

    let calendar = form.mode == Mode::Calendar;
    for field in Field::ALL.into_iter().filter(|f| f.applies(form.mode)) {
        let focused = form.focus == field && !busy;
        if focused {
            focus_row = rows.len();
        }
        let marker = if focused { "› " } else { "  " };
        let label_style = if focused { FOCUS } else { Style::new() };
        let mut label = format!("{marker}{:<w$}", field.label(), w = LABEL_WIDTH - 2);
        if field.label().chars().count() >= LABEL_WIDTH - 2 {
            // A label that fills its column (a section's, which has no cursor to line
            // up) keeps a space before its value.
            label.push(' ');
        }
        let mut spans = vec![Span::styled(label, label_style)];
        match field {
            Field::Create => {
                spans[0] = Span::raw(" ".repeat(LABEL_WIDTH));
                let style = if focused {
                    FOCUS.add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                };
                rows.push(Line::from(""));
                if focused {
                    focus_row = rows.len();
                }
                // Editing a meeting of the history sends a PATCH: say so on the button.
                let label = if model.editing.is_some() {
                    "[ Save changes ]"
                } else {
                    "[ Create meeting ]"
                };
                spans.push(Span::styled(label, style));
                rows.push(Line::from(spans));
                continue;
            }
            Field::Options | Field::Invitation => {
                let summary = match (field, &model.editing) {
                    (Field::Invitation, Some(e)) => match &e.event {
                        Some(was) => form.invitation.summary_since(&was.invitation),
                        None => form.invitation.summary(),
                    },
                    (Field::Invitation, None) => form.invitation.summary(),
                    (_, Some(e)) => form.options.summary_since(&e.was.options),
                    (_, None) => form.options.summary(),
                };
                let shown: String = summary.chars().take(value_width).collect();
                let style = if focused && !form.options_open {
                    FOCUS.add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                spans.push(Span::styled(shown, style));
                rows.push(Line::from(spans));
                // Open while it has focus (a request in flight keeps it open, unfocused).
                if form.focus == field && form.options_open {
                    let (items, cursor) = if field == Field::Invitation {
                        (invitation_items(form), form.invitation_cursor)
                    } else {
                        let base = model.editing.as_ref().map(|e| &e.was.options);
                        (option_items(form, base), form.option_cursor)
                    };
                    let cursor = focused.then_some(cursor);
                    section_rows(&mut rows, &items, cursor, width, &mut focus_row);
                } else if focused {
                    rows.push(Line::from(vec![
                        Span::raw(indent.clone()),
                        Span::styled(
                            format!(
                                "{} to open",
                                crate::tui::keymap::key_for(
                                    crate::tui::keymap::Scope::Form,
                                    crate::tui::app::Intent::Activate
                                )
                            ),
                            DIM,
                        ),
                    ]));
                }
                continue;
            }
            Field::Mode => {
                let style = if focused {
                    FOCUS.add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                let shown: String = format!("‹ {} ›", form.mode.label())
                    .chars()
                    .take(value_width)
                    .collect();
                spans.push(Span::styled(shown, style));
                if model.editing.is_some() {
                    spans.push(Span::styled(FIXED, DIM));
                }
                rows.push(Line::from(spans));
                if focused && model.editing.is_none() {
                    let what = if calendar {
                        "An event on your calendar; the attendees get your invitation. The \
                         passcode follows your organization's policy."
                    } else {
                        "A link only: on no calendar, and no invitations are sent."
                    };
                    for l in wrap(
                        &format!(
                            "{what} {} switches.",
                            crate::tui::keymap::key_for(
                                crate::tui::keymap::Scope::ModeField,
                                crate::tui::app::Intent::Toggle
                            )
                        ),
                        value_width,
                    ) {
                        rows.push(Line::from(vec![
                            Span::raw(indent.clone()),
                            Span::styled(l, DIM),
                        ]));
                    }
                }
                continue;
            }
            Field::Passcode => {
                let mark = if form.passcode { "[x]" } else { "[ ]" };
                let style = if focused {
                    FOCUS.add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                spans.push(Span::styled(mark, style));
                spans.push(Span::raw(" required to join"));
                if model.editing.is_some() {
                    spans.push(Span::styled(FIXED, DIM));
                }
            }
            _ => {
                let input = form.input(field).expect("text field");
                let scroll = input.visual_scroll(value_width.saturating_sub(1));
                // Through the same filter the request is built with: what is shown is what
                // is sent (an invisible U+202E or U+200B is neither).
                let shown = crate::sanitize::typed(&skip_columns(
                    input.value(),
                    scroll,
                    width.saturating_sub(LABEL_WIDTH),
                ));
                let value_style = if focused {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                } else {
                    Style::new()
                };
                spans.push(Span::styled(shown, value_style));
                if let Some(mark) = model.editing.as_ref().and_then(|e| fixed_mark(e, field)) {
                    spans.push(Span::styled(mark, DIM));
                } else if field == Field::Language
                    && focused
                    && let Some(c) = form.language_completion()
                {
                    let typed = input.value().trim().chars().count();
                    let rest: String = c.chars().skip(typed).collect();
                    spans.push(Span::styled(
                        format!(
                            "{rest}  ({} to complete)",
                            crate::tui::keymap::key_for(
                                crate::tui::keymap::Scope::LanguageField,
                                crate::tui::app::Intent::Complete
                            )
                        ),
                        DIM,
                    ));
                }
                if field == Field::Zone
                    && focused
                    && let Some(c) = form.zone_completion()
                {
                    // A city typed completes to its zone's whole name: shown whole.
                    let typed = input.value().trim();
                    let shown = match c.get(..typed.len()) {
                        Some(head) if head.eq_ignore_ascii_case(typed) => {
                            c[typed.len()..].to_string()
                        }
                        _ => format!("  {c}"),
                    };
                    spans.push(Span::styled(
                        format!(
                            "{shown}  ({} to complete)",
                            crate::tui::keymap::key_for(
                                crate::tui::keymap::Scope::LanguageField,
                                crate::tui::app::Intent::Complete
                            )
                        ),
                        DIM,
                    ));
                }
                if focused {
                    let x = LABEL_WIDTH + input.visual_cursor().saturating_sub(scroll);
                    cursor = Some((x, 0));
                }
            }
        }
        rows.push(Line::from(spans));
        if field == Field::Attendees {
            attendees_row = Some(rows.len() - 1);
        }
        if focused && let Some((x, _)) = cursor.filter(|_| field.is_text()) {
            cursor = Some((x, (rows.len() - 1) as u16));
        }
        if form.shows_error(field)
            && let Some(err) = checked.error(field)
        {
            for l in wrap(&format!("✗ {err}"), value_width) {
                rows.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(l, ERROR),
                ]));
            }
        }
        if checked.error(field).is_none()
            && let Some(warning) = checked.warning(field)
        {
            for l in wrap(&format!("! {warning}"), value_width) {
                rows.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(l, HINT),
                ]));
            }
        }
        if field == Field::Attendees && (focused || !form.attendees.value().trim().is_empty()) {
            let key = crate::tui::keymap::key_for(
                crate::tui::keymap::Scope::AttendeesField,
                crate::tui::app::Intent::CycleRole,
            );
            let hint = if calendar {
                format!(
                    "Invited by mail from your calendar. Addresses, comma separated; {key} \
                     makes a person optional or required."
                )
            } else {
                format!(
                    "Recorded on the meeting, not invited: share the link with them. \
                     Address, UPN or object id, comma separated; {key} cycles a person's role."
                )
            };
            // While the completion has something to say, its dropdown takes the hint's
            // place: rows kept for it, so it covers no half of a hint or another field.
            let dropdown = if calendar && focused {
                dropdown_rows(model)
            } else {
                0
            };
            if dropdown > 0 {
                // The dropdown starts under the field: lines already there (an error,
                // a warning) count towards its rows.
                let under = attendees_row.map_or(0, |r| rows.len() - r - 1);
                let more = usize::from(dropdown).saturating_sub(under);
                rows.extend((0..more).map(|_| Line::raw("")));
            } else {
                for l in wrap(&hint, value_width) {
                    rows.push(Line::from(vec![
                        Span::raw(indent.clone()),
                        Span::styled(l, DIM),
                    ]));
                }
            }
        }
        if field == Field::Message && focused {
            for l in wrap(
                "The invitation's text; Teams adds the join details below it.",
                value_width,
            ) {
                rows.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(l, DIM),
                ]));
            }
        }
        if field == Field::Categories && focused {
            // The table's help, then the mailbox's own names when they could be read
            // (MailboxSettings.Read), and what → would take.
            let help =
                crate::calendar::invitation_fields::field("categories").map_or("", |s| s.help);
            let mut lines = vec![help.to_string()];
            if let Some(mine) = model.calendar.categories.as_ref().filter(|c| !c.is_empty()) {
                lines.push(format!("Yours: {}", mine.join(", ")));
                if let Some(whole) = form.category_completion(mine) {
                    let key = crate::tui::keymap::key_for(
                        crate::tui::keymap::Scope::CategoriesField,
                        crate::tui::app::Intent::Complete,
                    );
                    lines.push(format!("{key} takes: {whole}"));
                }
            }
            for text in lines {
                for l in wrap(&text, value_width) {
                    rows.push(Line::from(vec![
                        Span::raw(indent.clone()),
                        Span::styled(l, DIM),
                    ]));
                }
            }
        }
        // An edit keeps the rule (the field is marked so): a preview drawn from the edited
        // meeting's start would read as what the change does to the series.
        if field == Field::Repeats && model.editing.is_none() {
            let preview = checked.repeat_preview(model.now.year());
            let (lines, style) = if !preview.is_empty() {
                (preview, OK)
            } else if focused && form.repeats.value().trim().is_empty() {
                (
                    vec![
                        "Empty: once. Or daily, weekdays, every 2 weeks on tue, thu, monthly                          on the last friday, yearly; then until 2027-06-30 or for 10."
                            .to_string(),
                    ],
                    DIM,
                )
            } else {
                (Vec::new(), DIM)
            };
            for text in lines {
                for l in wrap(&text, value_width) {
                    rows.push(Line::from(vec![
                        Span::raw(indent.clone()),
                        Span::styled(l, style),
                    ]));
                }
            }
        }
        if field == Field::Zone
            && let Some(both) = checked.zone_line()
        {
            for l in wrap(&both, value_width) {
                rows.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(l, OK),
                ]));
            }
        }
        if field == Field::End
            && let Some(desc) = checked.range_description()
        {
            for l in wrap(&desc, value_width) {
                rows.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(l, OK),
                ]));
            }
        }
    }

    rows.push(Line::from(""));
    let error_start = rows.len();
    if let Some(err) = &model.error {
        let w = width.saturating_sub(4);
        rows.push(Line::from(Span::styled(
            format!("  ✗ {}", err.title),
            ERROR.add_modifier(Modifier::BOLD),
        )));
        let mut detail = String::new();
        if let Some(s) = err.status {
            detail.push_str(&format!("HTTP {s}"));
            if let Some(c) = &err.code {
                detail.push_str(&format!(" {c}"));
            }
            detail.push_str(": ");
        } else if let Some(c) = &err.code {
            detail.push_str(&format!("{c}: "));
        }
        detail.push_str(&err.message);
        for l in wrap(&detail, w) {
            rows.push(Line::from(Span::styled(format!("    {l}"), ERROR)));
        }
        if let Some(h) = &err.hint {
            for l in wrap(&format!("What to do: {h}"), w) {
                rows.push(Line::from(Span::styled(format!("    {l}"), HINT)));
            }
        }
        for (name, id) in [
            ("request-id", &err.request_id),
            ("client-request-id", &err.client_request_id),
        ] {
            if let Some(id) = id {
                rows.push(Line::from(Span::styled(format!("    {name}: {id}"), DIM)));
            }
        }
    }

    // On a short window keep the focused field on screen, and show as much of a request
    // error as that allows.
    let height = area.height as usize;
    let lowest = (focus_row + 1).saturating_sub(height);
    let wanted = if model.error.is_some() {
        (error_start + 4).min(rows.len()).saturating_sub(height)
    } else {
        0
    };
    let scroll = wanted.clamp(lowest, focus_row.max(lowest));
    frame.render_widget(Paragraph::new(rows).scroll((scroll as u16, 0)), area);
    if let Some((x, y)) = cursor {
        let y = y as usize;
        if y >= scroll && y - scroll < height && x < width {
            frame.set_cursor_position(Position::new(
                area.x + x as u16,
                area.y + (y - scroll) as u16,
            ));
        }
    }
    attendees_row
        .filter(|r| *r >= scroll && *r - scroll < height)
        .map(|r| area.y + (r - scroll) as u16)
}

/// Beside a field or option that an edit cannot change: the service sets it once.
const FIXED: &str = "  (set at creation)";

/// The mark after a text field the edit does not send.
fn fixed_mark(editing: &crate::tui::app::Editing, field: Field) -> Option<&'static str> {
    editing.fixed(field)?;
    Some(match field {
        Field::Message | Field::Location => "  (changed in Outlook)",
        Field::Repeats if editing.series.is_none() => "(happens once)",
        _ => FIXED,
    })
}

/// One row of an open section (Options, Invitation): `label  value`, a group title above
/// the first row of a group, a note after the value, the help under the row with focus.
struct SectionRow {
    group: Option<&'static str>,
    label: &'static str,
    value: String,
    /// Set by the person (or, editing, changed from what the service has): bold.
    changed: bool,
    note: Option<&'static str>,
    help: Option<&'static str>,
}

/// The meeting options: a title per group of Teams' "Meeting options" page, then one row
/// per option, with `(default)` until the person changes it.
fn option_items(
    form: &crate::tui::form_state::FormState,
    editing: Option<&crate::meeting::options::MeetingOptions>,
) -> Vec<SectionRow> {
    use crate::meeting::options::SPECS;
    SPECS
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            // Editing: changed from what the service has; creating: from the default.
            let changed = match editing {
                Some(was) => form.options.get(i) != was.get(i),
                None => form.options.get(i).is_some(),
            };
            let note = match editing {
                Some(_) if !spec.patchable => Some(FIXED),
                Some(_) => None,
                None => Some(" (default)").filter(|_| !changed),
            };
            SectionRow {
                group: Some(spec.group.title()),
                label: spec.label,
                value: spec.choices[form.options.effective(i)].label.to_string(),
                changed,
                note,
                help: None,
            }
        })
        .collect()
}

/// The invitation's fields the section changes, each with its help from the table.
fn invitation_items(form: &crate::tui::form_state::FormState) -> Vec<SectionRow> {
    use crate::calendar::invitation_fields::FIELDS;
    crate::tui::form_state::invitation_rows()
        .map(|i| {
            let spec = &FIELDS[i];
            let changed = form.invitation.get(i).is_some();
            SectionRow {
                group: None,
                label: spec.label,
                value: spec.describe(&form.invitation.effective(i)),
                changed,
                note: Some(" (default)").filter(|_| !changed),
                help: Some(spec.help),
            }
        })
        .collect()
}

fn section_rows(
    rows: &mut Vec<Line<'static>>,
    items: &[SectionRow],
    cursor: Option<usize>,
    width: usize,
    focus_row: &mut usize,
) {
    let mut group = None;
    for (i, item) in items.iter().enumerate() {
        if item.group.is_some() && group != item.group {
            group = item.group;
            rows.push(Line::from(Span::styled(
                format!("    {}", item.group.unwrap_or_default()),
                Style::new().add_modifier(Modifier::BOLD),
            )));
        }
        let on_it = cursor == Some(i);
        let marker = if on_it { "  › " } else { "    " };
        // Wide: `label  value` on one row; narrow: the value on a row of its own.
        let one_row = width >= 60;
        let label_width = if one_row { 40 } else { width.saturating_sub(4) };
        let label: String = item
            .label
            .chars()
            .take(label_width.saturating_sub(1))
            .collect();
        let label_style = if on_it { FOCUS } else { Style::new() };
        let mut spans = if one_row {
            vec![Span::styled(
                format!("{marker}{label:<w$}", w = label_width),
                label_style,
            )]
        } else {
            rows.push(Line::from(Span::styled(
                format!("{marker}{label}"),
                label_style,
            )));
            vec![Span::raw("      ")]
        };
        let value_style = match (on_it, item.changed) {
            (true, _) => FOCUS.add_modifier(Modifier::REVERSED),
            (false, true) => Style::new().add_modifier(Modifier::BOLD),
            (false, false) => DIM,
        };
        let value: String = item
            .value
            .chars()
            .take(width.saturating_sub(if one_row { 4 + label_width } else { 6 }))
            .collect();
        let used = if one_row { 4 + label_width } else { 6 } + value.chars().count();
        spans.push(Span::styled(value, value_style));
        if let Some(note) = item.note
            && used + note.chars().count() <= width
        {
            spans.push(Span::styled(note, DIM));
        }
        rows.push(Line::from(spans));
        // The row with the value: on a narrow screen the label is above it, and both show.
        if on_it {
            *focus_row = rows.len() - 1;
            if let Some(help) = item.help {
                for l in wrap(help, width.saturating_sub(6).max(1)) {
                    rows.push(Line::from(vec![Span::raw("      "), Span::styled(l, DIM)]));
                }
            }
        }
    }
}

/// The `width` columns of text after skipping `cols` (the field's horizontal scroll). It
/// stops at the edge, so a long paste costs a frame only what is visible.
pub(super) fn skip_columns(s: &str, cols: usize, width: usize) -> String {
    let mut skipped = 0;
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if skipped < cols {
            skipped += w;
            continue;
        }
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}
