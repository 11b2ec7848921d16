//! Subjects in CJK, emoji, combining marks and right-to-left scripts: the form and the
//! result keep their columns (insta snapshots at 80×24 through ratatui's TestBackend), the
//! cursor sits after the text by display width, and no character is lost at the edge.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use chrono::TimeZone;
use chrono_tz::Europe::Berlin;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Span;
use tmeet::graph::GraphError;
use tmeet::graph::model::{ItemBody, OnlineMeeting};
use tmeet::meeting::Language;
use tmeet::meeting::invitation::encode_html;
use tmeet::tui::app::{Action, Intent, Model, Options, update};
use tmeet::tui::ui::render;
use tmeet::tui::view::{ErrorView, ResultView};
use tui_input::InputRequest;

const SUBJECTS: &[(&str, &str)] = &[
    ("cjk", "週次定例会議・東京チーム"),
    ("emoji", "🎉 Launch party 🚀 with ☕ and 🍰"),
    // Decomposed: every accent is a combining mark after its letter.
    (
        "combining",
        "Re\u{301}union du cafe\u{301} a\u{300} Sa\u{303}o Paulo",
    ),
    ("arabic", "اجتماع الفريق الأسبوعي"),
    ("hebrew_mixed", "פגישת צוות Q3 review"),
];

fn model() -> Model {
    let now = Berlin.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap();
    Model::new(now, &Language::parse("de-DE").unwrap(), Options::default())
}

fn typed(subject: &str) -> Model {
    let mut m = model();
    for c in subject.chars() {
        update(&mut m, Action::Edit(InputRequest::InsertChar(c)));
    }
    m
}

fn draw(m: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, m)).unwrap();
    t
}

fn width(s: &str) -> u16 {
    Span::raw(s).width() as u16
}

/// The visible cells of row `y` with their columns: a wide character's hidden second
/// cell is skipped, so the text reads as the terminal shows it.
fn cells(t: &Terminal<TestBackend>, y: u16) -> Vec<(u16, String)> {
    let buf = t.backend().buffer();
    let mut out = Vec::new();
    let mut x = 0;
    while x < buf.area.width {
        let symbol = buf[(x, y)].symbol().to_string();
        let w = width(&symbol).max(1);
        out.push((x, symbol));
        x += w;
    }
    out
}

fn row(t: &Terminal<TestBackend>, y: u16) -> String {
    cells(t, y).into_iter().map(|(_, s)| s).collect()
}

/// The first row starting with `label` (after the focus marker) and its index.
fn find_row(t: &Terminal<TestBackend>, label: &str) -> (u16, String) {
    let h = t.backend().buffer().area.height;
    (0..h)
        .map(|y| (y, row(t, y)))
        .find(|(_, r)| r.trim_start_matches(['›', ' ']).starts_with(label))
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// The column where `text` starts in row `y`.
fn column_of(t: &Terminal<TestBackend>, y: u16, text: &str) -> Option<u16> {
    let cells = cells(t, y);
    (0..cells.len())
        .find(|&i| {
            let rest: String = cells[i..].iter().map(|(_, s)| s.as_str()).collect();
            rest.starts_with(text)
        })
        .map(|i| cells[i].0)
}

/// The first column after `text` in row `y`, as the cells lay it out.
fn end_column_of(t: &Terminal<TestBackend>, y: u16, text: &str) -> u16 {
    let cells = cells(t, y);
    let start = column_of(t, y, text).unwrap();
    let mut shown = String::new();
    for (x, s) in cells.iter().filter(|(x, _)| *x >= start) {
        if shown == text {
            return *x;
        }
        shown.push_str(s);
    }
    panic!("{text} does not end on row {y}")
}

fn meeting(subject: &str) -> OnlineMeeting {
    let mut m: OnlineMeeting =
        serde_json::from_str(include_str!("fixtures/seed/response-2.json")).unwrap();
    m.subject = Some(subject.into());
    m.start_date_time = Some(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 9, 30, 0)
            .unwrap(),
    );
    m.end_date_time = Some(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
            .unwrap(),
    );
    m.join_web_url =
        Some("https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0".into());
    m.join_information = Some(ItemBody {
        content: Some(encode_html(&format!(
            "<div>{subject}</div><div>Microsoft Teams 会議</div>\
             <div>会議 ID: 123 456 789 0</div><div>パスコード: 123abc</div>"
        ))),
        content_type: None,
    });
    m
}

fn result(subject: &str) -> Model {
    let mut m = typed(subject);
    update(&mut m, Action::Intent(Intent::Submit));
    let view = ResultView::from_meeting(&meeting(subject), &Berlin, Some("ja-JP"));
    update(
        &mut m,
        Action::Created {
            job: 1,
            result: Box::new(view),
        },
    );
    m
}

#[test]
fn forms_keep_their_columns_and_the_cursor_follows_the_text() {
    for (name, subject) in SUBJECTS {
        let mut t = draw(&typed(subject), 80, 24);
        insta::assert_snapshot!(format!("form_{name}"), t.backend());
        let (y, _) = find_row(&t, "Subject");
        assert_eq!(column_of(&t, y, subject), Some(12), "{name}: value column");
        let pos = t.get_cursor_position().unwrap();
        assert_eq!(
            (pos.x, pos.y),
            (end_column_of(&t, y, subject), y),
            "{name}: the cursor sits right after the text"
        );
        // The rows below are where they are for a plain ASCII subject.
        let plain = draw(&typed("Weekly sync"), 80, 24);
        for label in ["Start", "End", "Passcode", "Language"] {
            assert_eq!(find_row(&t, label), find_row(&plain, label), "{name}");
        }
    }
}

#[test]
fn a_subject_wider_than_the_field_scrolls_by_display_width() {
    // 40 wide characters: 80 columns, more than the field has.
    let subject = "会議".repeat(20);
    let m = typed(&subject);
    let mut t = draw(&m, 60, 20);
    let (y, r) = find_row(&t, "Subject");
    let pos = t.get_cursor_position().unwrap();
    assert_eq!(pos.y, y);
    assert!(pos.x < 60, "cursor on screen: {pos:?}");
    // The end of the text is visible from the value column on and ends at the cursor.
    let shown: String = cells(&t, y)
        .into_iter()
        .filter(|(x, _)| *x >= 12)
        .map(|(_, s)| s)
        .collect();
    let shown = shown.trim_end();
    assert!(shown.len() > 30 && subject.ends_with(shown), "{r}");
    assert_eq!(12 + width(shown), pos.x, "{r}");
}

#[test]
fn results_keep_their_columns() {
    for (name, subject) in SUBJECTS {
        let t = draw(&result(subject), 80, 24);
        insta::assert_snapshot!(format!("result_{name}"), t.backend());
        let (y, _) = find_row(&t, "Subject");
        assert_eq!(column_of(&t, y, subject), Some(12), "{name}");
        for label in ["When", "Meeting ID", "Passcode", "Phone"] {
            let (y, r) = find_row(&t, label);
            let value = r[12..].trim_start();
            assert_eq!(
                column_of(&t, y, &value[..4]),
                Some(12),
                "{name}: {label} value column in {r:?}"
            );
        }
        // The invitation starts with the subject, whole.
        let h = t.backend().buffer().area.height;
        assert!(
            (0..h).any(|y| row(&t, y).trim_end() == *subject),
            "{name}: invitation line"
        );
    }
}

#[test]
fn a_wide_error_message_is_wrapped_not_cut() {
    // Japanese has no spaces between words: the wrap must break by display width.
    let message = "会議を作成できませんでした。組織のポリシーにより、このユーザーはオンライン会議を作成する権限がありません。管理者に連絡してください。";
    let body = serde_json::json!({"error": {"code": "Forbidden", "message": message}});
    let e = GraphError::from_response(403, body.to_string().as_bytes(), None, None);
    let mut m = typed("週次定例会議");
    update(&mut m, Action::Intent(Intent::Submit));
    update(
        &mut m,
        Action::Failed {
            job: 1,
            error: ErrorView::from_graph(&e),
        },
    );
    let t = draw(&m, 80, 24);
    insta::assert_snapshot!("error_japanese", t.backend());
    let screen: String = (0..24).map(|y| row(&t, y)).collect();
    let shown: String = screen.chars().filter(|c| !c.is_ascii()).collect();
    for c in message.chars() {
        let n = message.chars().filter(|&d| d == c).count();
        assert!(
            shown.chars().filter(|&d| d == c).count() >= n,
            "'{c}' of the message is missing on screen:\n{}",
            t.backend()
        );
    }
}

#[test]
fn wide_text_keeps_the_cursor_inside_at_every_size() {
    // The existing sweep covers ASCII screens; wide characters meet the edge differently:
    // a cursor placed after a wide character must still land on the screen.
    let mut models: Vec<Model> = SUBJECTS.iter().map(|(_, s)| typed(s)).collect();
    models.extend(SUBJECTS.iter().map(|(_, s)| result(s)));
    models.push(typed(&"会議".repeat(200)));
    for w in (1..=300).step_by(37).chain([1, 2, 3, 11, 12, 13]) {
        for h in (1..=100).step_by(13).chain([1, 2, 3, 4]) {
            for m in &models {
                let mut t = draw(m, w, h);
                let pos = t.get_cursor_position().unwrap();
                assert!(
                    pos.x < w && pos.y < h,
                    "{w}x{h}: cursor at {pos:?}, outside the screen"
                );
            }
        }
    }
}

proptest::proptest! {
    #[test]
    fn wrapped_lines_fit_and_keep_every_character(text in "[a-z 会議🎉é\u{301}ا ]{0,80}", cols in 1usize..40) {
        let lines = tmeet::tui::ui::wrap(&text, cols);
        for l in &lines {
            // Only a lone character wider than the line may exceed it.
            proptest::prop_assert!(
                usize::from(width(l)) <= cols || l.chars().count() == 1,
                "{:?} wider than {}", l, cols
            );
        }
        let kept: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let given: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        proptest::prop_assert_eq!(kept, given);
    }
}
