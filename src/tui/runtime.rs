//! The event loop: terminal events and worker results become actions, `update` decides,
//! effects are carried out here. It redraws only after something changed and sleeps on a
//! timer only while a spinner or countdown is on screen, so an idle tmeet uses no CPU.

use super::app::{Action, Effect, Model, update};
use super::terminal::TerminalGuard;
use super::worker::Command;
use super::{event, save, ui};
use crate::clipboard::Clipboard;
use crossterm::event::EventStream;
use futures::StreamExt;
use std::io;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Spinner frame time; also how often a countdown is redrawn.
const FRAME: Duration = Duration::from_millis(100);

pub async fn run(
    mut model: Model,
    guard: &mut TerminalGuard,
    worker: UnboundedSender<Command>,
    mut results: UnboundedReceiver<Action>,
    clipboard: &mut Clipboard,
) -> io::Result<()> {
    let started = Instant::now();
    let zone = model.zone();
    let clock = || Action::Clock {
        ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        now: chrono::Utc::now().with_timezone(&zone),
    };
    let size = guard.terminal.size()?;
    update(
        &mut model,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut events = EventStream::new();
    let mut dirty = true;
    loop {
        if dirty {
            guard.terminal.draw(|f| ui::render(f, &model))?;
            dirty = false;
        }
        let timer = model.needs_timer();
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => event::to_action(&model, &ev),
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(a) = results.recv() => Some(a),
            () = tokio::time::sleep(FRAME), if timer => {
                dirty = true;
                None
            }
        };
        update(&mut model, clock());
        let Some(action) = action else {
            continue;
        };
        dirty = true;
        for effect in update(&mut model, action) {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::SignIn => send(&worker, Command::SignIn),
                Effect::Create { job, request } => send(&worker, Command::Create { job, request }),
                Effect::Cancel { job } => send(&worker, Command::Cancel { job }),
                Effect::Copy { item, text, html } => {
                    let report = clipboard
                        .copy_with_html(&text, html.as_deref(), &mut io::stdout())
                        .map(|path| format!("Copied the {} {}.", item.noun(), path.describe()))
                        .map_err(|e| format!("Could not copy the {}: {e}", item.noun()));
                    update(&mut model, Action::Copied(report));
                }
                Effect::SaveCalendar { stem, text } => {
                    let outcome = save_calendar(&stem, &text);
                    update(&mut model, Action::Saved(outcome));
                }
            }
        }
    }
}

/// A small file on a local disk: written here, between two frames, like a clipboard copy.
fn save_calendar(stem: &str, text: &str) -> Result<std::path::PathBuf, String> {
    let dir = std::env::current_dir()
        .map_err(|e| format!("the current directory cannot be found ({e})"))?;
    save::write_new(&dir, stem, "ics", text.as_bytes())
        .inspect(|path| tracing::info!(path = %path.display(), "calendar file saved"))
        .map_err(|e| format!("cannot create {stem}.ics in {} ({e})", dir.display()))
}

fn send(worker: &UnboundedSender<Command>, cmd: Command) {
    if worker.send(cmd).is_err() {
        // The worker only ends with the process; this is a bug, so it goes to the log.
        tracing::error!("the network worker is gone");
    }
}
