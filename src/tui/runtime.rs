//! The event loop: terminal events and worker results become actions, `update` decides,
//! effects are carried out here. It redraws only after something changed and sleeps on a
//! timer only while a spinner or countdown is on screen, so an idle tmeet uses no CPU.
//! Signals that end or stop a process end or stop tmeet too, but only after the terminal
//! is put back.

use super::app::{Action, Effect, Intent, Model, update};
use super::terminal::TerminalGuard;
use super::worker::Command;
use super::{event, save, ui};
use crate::clipboard::Clipboard;
use std::io;
use std::time::{Duration, Instant};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Spinner frame time; also how often a countdown is redrawn.
const FRAME: Duration = Duration::from_millis(100);

/// How the session ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// q, Esc on sign-in, or the terminal closing its input: 0.
    Quit,
    /// Ctrl+C: 130 (128 + SIGINT), what shells expect of an interrupted program.
    Interrupted,
    /// Ended by this signal: 128 + its number.
    Signal(i32),
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Quit => 0,
            Exit::Interrupted => 128 + libc::SIGINT as u8,
            Exit::Signal(n) => 128u8.saturating_add(u8::try_from(n).unwrap_or(0)),
        }
    }
}

/// The signals tmeet answers. Registered before the terminal is switched to raw mode, so
/// that none of them can find it changed and leave it so.
pub struct Signals {
    /// `kill -INT` (Ctrl+C itself is a key in raw mode).
    interrupt: Signal,
    term: Signal,
    hangup: Signal,
    quit: Signal,
    stop: Signal,
}

impl Signals {
    pub fn register() -> io::Result<Self> {
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            quit: signal(SignalKind::quit())?,
            stop: signal(SignalKind::from_raw(libc::SIGTSTP))?,
        })
    }
}

pub async fn run(
    mut model: Model,
    guard: &mut TerminalGuard,
    worker: UnboundedSender<Command>,
    mut results: UnboundedReceiver<Action>,
    clipboard: &mut Clipboard,
    signals: &mut Signals,
) -> io::Result<Exit> {
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
    let charset = ui::Charset::from_env();
    let mut events = event::spawn_reader();
    let mut dirty = true;
    // Events that were already waiting when the loop woke: all of them are handled before
    // the next frame, so a burst of keys (an unbracketed paste) costs one frame, not one each.
    let mut queued: Option<event::Input> = None;
    loop {
        if dirty && queued.is_none() {
            match guard.terminal.draw(|f| ui::render_in(f, &model, charset)) {
                Ok(_) => {}
                // Writing to a terminal that hung up fails with EIO: the same end as SIGHUP.
                Err(e) if e.raw_os_error() == Some(libc::EIO) => {
                    return Ok(Exit::Signal(libc::SIGHUP));
                }
                Err(e) => return Err(e),
            }
            dirty = false;
        }
        let timer = model.needs_timer();
        let next = match queued.take() {
            Some(ev) => event_action(&model, ev),
            None => tokio::select! {
                ev = events.recv() => match ev {
                    Some(ev) => event_action(&model, ev),
                    None => Err(Ended::Exit(Exit::Quit)),
                },
                Some(a) = results.recv() => Ok(Some(a)),
                _ = signals.interrupt.recv() => Err(Ended::Exit(Exit::Interrupted)),
                _ = signals.term.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGTERM))),
                _ = signals.hangup.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGHUP))),
                _ = signals.quit.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGQUIT))),
                _ = signals.stop.recv() => Ok(Some(Action::Intent(Intent::Suspend))),
                () = tokio::time::sleep(FRAME), if timer => {
                    dirty = true;
                    Ok(None)
                }
            },
        };
        let action = match next {
            Ok(action) => action,
            Err(end) => return end.into(),
        };
        queued = events.try_recv().ok();
        update(&mut model, clock());
        let Some(action) = action else {
            continue;
        };
        dirty = true;
        if let Action::Intent(Intent::Suspend) = action {
            guard.suspend()?;
            // The window may have changed while tmeet was stopped.
            let size = guard.terminal.size()?;
            update(
                &mut model,
                Action::Resize {
                    width: size.width,
                    height: size.height,
                },
            );
            continue;
        }
        let interrupted = matches!(action, Action::Intent(Intent::Interrupt));
        for effect in update(&mut model, action) {
            match effect {
                Effect::Quit if interrupted => return Ok(Exit::Interrupted),
                Effect::Quit => return Ok(Exit::Quit),
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

/// The action for one input, or how the session ends.
fn event_action(model: &Model, input: event::Input) -> Result<Option<Action>, Ended> {
    match input {
        event::Input::Event(ev) => Ok(event::to_action(model, &ev)),
        // As after SIGHUP: nobody is left to see anything.
        event::Input::HungUp => Err(Ended::Exit(Exit::Signal(libc::SIGHUP))),
        event::Input::Failed(e) => Err(Ended::Error(e)),
    }
}

enum Ended {
    Exit(Exit),
    Error(io::Error),
}

impl From<Ended> for io::Result<Exit> {
    fn from(e: Ended) -> Self {
        match e {
            Ended::Exit(x) => Ok(x),
            Ended::Error(e) => Err(e),
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
