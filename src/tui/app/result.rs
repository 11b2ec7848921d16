//! The result pane: the meeting just created or opened, its copies, its calendar file and
//! its QR code.

use super::{Effect, Intent, Model, Overlay, Screen, StatusKind};
use crate::sanitize;
use crate::tui::form_state::Field;
use crate::tui::keymap::{Scope, keys_for};
use std::path::PathBuf;

/// The status line while the QR code is shown and nothing newer was said.
pub fn qr_caption() -> String {
    format!(
        "Scan the code with a phone camera to join. {} goes back.",
        keys_for(Scope::Qr, Intent::Back)
    )
}

pub(super) fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    let scrolling = matches!(
        intent,
        Intent::ScrollUp | Intent::ScrollDown | Intent::PageUp | Intent::PageDown
    );
    if m.show_qr() && scrolling {
        return vec![]; // the details are hidden; moving them unseen would surprise
    }
    match intent {
        Intent::Copy(item) => {
            let text = m.result.as_ref().and_then(|r| r.copy_text(item));
            match text {
                Some(text) => vec![Effect::Copy {
                    item,
                    text,
                    html: m.result.as_ref().and_then(|r| r.copy_html(item)),
                }],
                None => {
                    m.set_status(
                        StatusKind::Info,
                        format!("This meeting has no {}; nothing copied.", item.noun()),
                    );
                    vec![]
                }
            }
        }
        Intent::Save => match m.result.as_ref().and_then(|r| r.calendar.clone()) {
            Some(c) => vec![Effect::SaveCalendar {
                stem: c.stem,
                text: c.text,
            }],
            None => {
                m.set_status(
                    StatusKind::Info,
                    "The service returned no start and end time; there is no calendar file to save.",
                );
                vec![]
            }
        },
        Intent::ToggleQr if m.show_qr() => {
            m.open(Overlay::None);
            vec![]
        }
        Intent::ToggleQr => {
            if m.result.as_ref().is_some_and(|r| r.qr.is_some()) {
                m.open(Overlay::Qr);
                // The status line shows the code's caption while the code is up (see
                // `qr_caption`), so whatever closes the code takes the caption with it.
                m.status = None;
            } else {
                m.set_status(
                    StatusKind::Info,
                    "This meeting has no join link; there is no QR code to show.",
                );
            }
            vec![]
        }
        Intent::Back if m.show_qr() => {
            m.open(Overlay::None);
            vec![]
        }
        Intent::NewMeeting => {
            m.open(Overlay::None);
            m.screen = Screen::Form;
            m.form.focus = Field::Subject;
            m.form.submit_attempted = false;
            m.set_status(
                StatusKind::Info,
                "New meeting: the previous values are kept; change what differs.",
            );
            vec![]
        }
        Intent::ScrollDown => {
            m.result_scroll = m.result_scroll.saturating_add(1).min(m.max_result_scroll());
            vec![]
        }
        Intent::ScrollUp => {
            m.result_scroll = m.result_scroll.saturating_sub(1);
            vec![]
        }
        Intent::PageDown => {
            let page = m.size.1.saturating_sub(4).max(1);
            m.result_scroll = m
                .result_scroll
                .saturating_add(page)
                .min(m.max_result_scroll());
            vec![]
        }
        Intent::PageUp => {
            let page = m.size.1.saturating_sub(4).max(1);
            m.result_scroll = m.result_scroll.saturating_sub(page);
            vec![]
        }
        _ => vec![],
    }
}

/// The clipboard's report.
pub(super) fn copied(m: &mut Model, result: Result<String, String>) -> Vec<Effect> {
    match result {
        Ok(how) => m.set_status(StatusKind::Success, how),
        Err(why) => m.set_status(StatusKind::Error, why),
    }
    vec![]
}

/// The calendar file's fate.
pub(super) fn saved(m: &mut Model, result: Result<PathBuf, String>) -> Vec<Effect> {
    match result {
        Ok(path) => m.set_status(
            StatusKind::Success,
            format!(
                "Saved {}: open it to put the meeting on your calendar.",
                sanitize::line(&path.display().to_string())
            ),
        ),
        Err(why) => m.set_status(
            StatusKind::Error,
            format!(
                "The calendar file was not saved: {}. Start tmeet in a folder you can \
                 write to, or copy the invitation instead.",
                sanitize::line(&why)
            ),
        ),
    }
    vec![]
}

/// The browser's report on a join link; the link is said either way, so it can be copied
/// or opened by hand.
pub(super) fn joined(m: &mut Model, result: Result<String, (String, String)>) -> Vec<Effect> {
    match result {
        Ok(link) => m.set_status(StatusKind::Success, format!("Opened to join: {link}")),
        Err((why, link)) => m.set_status(
            StatusKind::Error,
            format!("Not opened ({why}); the link: {link}"),
        ),
    }
    vec![]
}
