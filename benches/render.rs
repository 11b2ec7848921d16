//! Render time of the result screen at 100×30 into a TestBackend: the cost of one frame
//! after a meeting was created (the richest screen). Prints the median and spread over many
//! frames, next to the floor of drawing an empty frame in the same loop.
//!
//!     cargo bench --bench render

#![allow(clippy::unwrap_used)] // a benchmark: a panic is its failure message

use chrono::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use tmeet::graph::model::{ItemBody, OnlineMeeting};
use tmeet::meeting::Language;
use tmeet::meeting::invitation::encode_html;
use tmeet::tui::app::{Action, Intent, Model, Options, update};
use tmeet::tui::view::ResultView;
use tui_input::InputRequest;

const FRAMES: usize = 2000;

fn result_model() -> Model {
    let zone = chrono_tz::Europe::Berlin;
    let now = zone.with_ymd_and_hms(2026, 11, 27, 10, 7, 0).unwrap();
    let mut m = Model::new(
        now,
        &Language::parse("en-US").unwrap(),
        Options {
            passcode: true,
            demo: false,
        },
    );
    for c in "Quarterly planning".chars() {
        update(&mut m, Action::Edit(InputRequest::InsertChar(c)));
    }
    update(&mut m, Action::Intent(Intent::Submit));
    let mut meeting: OnlineMeeting =
        serde_json::from_str(include_str!("../tests/fixtures/seed/response-2.json")).unwrap();
    let invitation = include_str!("../crates/tmeet-emulator/assets/invitations/en.html").replace(
        "{{join_url}}",
        meeting.join_web_url.as_deref().unwrap_or_default(),
    );
    meeting.join_information = Some(ItemBody {
        content: Some(encode_html(&invitation)),
        content_type: None,
    });
    let view = ResultView::from_meeting(&meeting, &zone, Some("en-US"));
    update(
        &mut m,
        Action::Created {
            job: 1,
            result: Box::new(view),
        },
    );
    assert!(m.result.is_some(), "the model reached the result screen");
    m
}

fn measure(mut frame: impl FnMut()) -> Vec<Duration> {
    for _ in 0..100 {
        frame();
    }
    (0..FRAMES)
        .map(|_| {
            let t = Instant::now();
            frame();
            t.elapsed()
        })
        .collect()
}

fn report(name: &str, mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let median = us(samples[samples.len() / 2]);
    println!(
        "{name:<44} {median:>9.1} µs  (min {:.1}, max {:.1}, n={})",
        us(samples[0]),
        us(samples[samples.len() - 1]),
        samples.len()
    );
    median
}

fn main() {
    let model = result_model();
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let result = measure(|| {
        term.draw(|f| tmeet::tui::ui::render(f, &model)).unwrap();
    });
    // Clickable links: the link cells are found in the same drawing.
    let mut linked = model.clone();
    linked.hyperlinks = true;
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let with_links = measure(|| {
        term.draw(|f| tmeet::tui::ui::render(f, &linked)).unwrap();
    });
    // The pane's drawing is reused while the meeting and the width stay the same: what the
    // first frame after a create or a resize costs, every frame at another width.
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut wide = false;
    let fresh = measure(|| {
        wide = !wide;
        term.backend_mut().resize(if wide { 100 } else { 99 }, 30);
        term.autoresize().unwrap();
        term.draw(|f| tmeet::tui::ui::render(f, &linked)).unwrap();
    });
    let mut empty = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let floor = measure(|| {
        empty.draw(|_| {}).unwrap();
    });
    let r = report("render 5. result screen 100x30, one frame", result);
    report("render    the same with clickable links", with_links);
    report("render    the same, a new width each frame", fresh);
    let f = report("render    empty frame 100x30 (floor)", floor);
    println!(
        "render    result/floor ratio {:>26.1}       (target: result <= 100 µs)",
        r / f
    );
}
