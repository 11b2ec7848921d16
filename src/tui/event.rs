//! Terminal events to actions: keys go through the key table first; what it does not claim
//! becomes text editing when a text field has focus. A paste (bracketed paste is on) is
//! text for the focused field, never keys.
//!
//! Events are read on a thread of their own and queued without bound, so reading never
//! waits for the screen: a large paste is taken off the terminal at once, and Ctrl+C behind
//! it is seen as soon as the loop gets to it.

use super::app::{Action, Model, Overlay};
use super::keymap;
use crossterm::event::{Event, KeyEventKind};
use std::io;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// What the input thread hands the loop.
#[derive(Debug)]
pub(crate) enum Input {
    Event(Event),
    /// The terminal is gone (the SSH session or the window closed).
    HungUp,
    Failed(io::Error),
}

/// Starts the reader thread, and a watcher for the terminal hanging up. It ends with the
/// process, after a read error (which is passed on), or when the receiver is gone.
pub(crate) fn spawn_reader() -> UnboundedReceiver<Input> {
    let (tx, rx) = unbounded_channel();
    let hangup = tx.clone();
    std::thread::Builder::new()
        .name("tmeet-input".into())
        .spawn(move || {
            loop {
                let (input, failed) = match crossterm::event::read() {
                    Ok(ev) => (Input::Event(ev), false),
                    Err(e) => (Input::Failed(e), true),
                };
                if tx.send(input).is_err() || failed {
                    break;
                }
            }
        })
        .expect("spawning the input thread");
    // After a hangup, reads return nothing at once and crossterm's reader reads again and
    // again: the hangup has to be seen apart from it. poll(2) with no events asked for
    // still reports POLLHUP, and sleeps until then.
    std::thread::Builder::new()
        .name("tmeet-hangup".into())
        .spawn(move || {
            let mut fd = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: 0,
                revents: 0,
            };
            loop {
                // SAFETY: one valid pollfd, for the call's duration.
                let n = unsafe { libc::poll(&mut fd, 1, -1) };
                if n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                    let _ = hangup.send(Input::HungUp);
                    break;
                }
                if n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
        })
        .expect("spawning the hangup watcher");
    rx
}

fn editing(model: &Model) -> bool {
    (model.form_takes_text() && model.form.focus.is_text())
        || crate::tui::app::box_takes_text(model)
}

pub(crate) fn to_action(model: &Model, event: &Event) -> Option<Action> {
    match event {
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(intent) = keymap::lookup(&model.scopes(), key) {
                return Some(Action::Intent(intent));
            }
            let asking = matches!(
                model.overlay,
                Overlay::Confirm(_) | Overlay::ConfirmDelete(_)
            );
            if asking {
                // y/N: only y creates (or deletes); any other key is no.
                return Some(Action::Intent(super::app::Intent::Back));
            }
            if !editing(model) {
                return None;
            }
            // A character past the cap still goes to `update`, which refuses it and says why.
            tui_input::backend::crossterm::to_input_request(event).map(Action::Edit)
        }
        // Outside a text field a paste has nowhere to go; it is dropped, not typed.
        Event::Paste(text) if editing(model) => {
            // One character more than the field takes at most, so `update` can tell a paste
            // that did not fit (and say so); the line break a copied line ends with is no
            // part of it.
            let max = if crate::tui::app::box_takes_text(model) {
                crate::tui::app::ANSWER_MAX_CHARS
            } else {
                model.form.focus.max_chars()
            }
            .saturating_add(1);
            let text = single_line(text.trim_end_matches(['\r', '\n']), max);
            (!text.is_empty()).then_some(Action::Paste(text))
        }
        _ => None,
    }
}

/// At most `max` characters of `text` for a one-line field: each line break (CR LF, CR or
/// LF) and tab becomes one space, other control characters are dropped. Only the part that
/// fits is looked at, so a megabyte costs no more than a line.
pub(crate) fn single_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut chars = text.chars().peekable();
    while count < max {
        let Some(c) = chars.next() else { break };
        let c = match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                ' '
            }
            '\n' | '\t' => ' ',
            c if c.is_control() => continue,
            c => c,
        };
        out.push(c);
        count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_becomes_one_line_of_at_most_max_chars() {
        assert_eq!(
            single_line("Kickoff\r\nAgenda:\tbudget\rnext\nend", 100),
            "Kickoff Agenda: budget next end"
        );
        assert_eq!(single_line("a\u{1b}[2Jb\u{7}\u{9b}c", 100), "a[2Jbc");
        assert_eq!(single_line("héllo wörld", 4), "héll");
        let huge = "9".repeat(1 << 20);
        assert_eq!(single_line(&huge, 255).len(), 255);
        assert_eq!(single_line("", 10), "");
    }
}
