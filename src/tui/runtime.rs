//! The event loop: terminal events and worker results become actions, `update` decides,
//! effects are carried out here. It redraws only after something changed and sleeps on a
//! timer only while a spinner or countdown is on screen, so an idle tmeet uses no CPU.
//! Signals that end or stop a process end or stop tmeet too, but only after the terminal
//! is put back.

use super::app::{Action, Effect, Intent, Model, Screen, update};
use super::terminal::TerminalGuard;
use super::{event, save, ui};
use crate::clipboard::Clipboard;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

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
pub(crate) struct Signals {
    /// `kill -INT` (Ctrl+C itself is a key in raw mode).
    interrupt: Signal,
    term: Signal,
    hangup: Signal,
    quit: Signal,
    stop: Signal,
}

impl Signals {
    pub(crate) fn register() -> io::Result<Self> {
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            quit: signal(SignalKind::quit())?,
            stop: signal(SignalKind::from_raw(libc::SIGTSTP))?,
        })
    }
}

/// What carrying out effects needs: the worker, the way back into the action queue, and
/// the clipboard (shared with the blocking threads that copy).
pub(crate) struct Effects {
    pub worker: UnboundedSender<Effect>,
    /// The one queue the loop drains: the worker's results and every effect's outcome.
    pub actions: UnboundedSender<Action>,
    pub clipboard: Arc<Mutex<Clipboard>>,
}

/// An outcome on its way back from a blocking thread: the action, and bytes for the
/// terminal (OSC 52) that only the UI task may write, between two frames.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub action: Action,
    pub terminal: Vec<u8>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn run(
    mut model: Model,
    guard: &mut TerminalGuard,
    worker: UnboundedSender<Effect>,
    actions: UnboundedSender<Action>,
    results: UnboundedReceiver<Action>,
    clipboard: Clipboard,
    signals: &mut Signals,
) -> (io::Result<Exit>, Option<String>) {
    // However the session ends, what it leaves behind is said after the terminal is back.
    let exit = session(
        &mut model, guard, worker, actions, results, clipboard, signals,
    )
    .await;
    (exit, model.farewell())
}

#[allow(clippy::too_many_arguments)]
async fn session(
    model: &mut Model,
    guard: &mut TerminalGuard,
    worker: UnboundedSender<Effect>,
    actions: UnboundedSender<Action>,
    mut results: UnboundedReceiver<Action>,
    clipboard: Clipboard,
    signals: &mut Signals,
) -> io::Result<Exit> {
    let started = Instant::now();
    // Deadlines the model sets are counted from the same instant as its clock.
    model.epoch = started;
    let zone = model.zone();
    let clock = || Action::Clock {
        ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        now: chrono::Utc::now().with_timezone(&zone),
    };
    let (outcomes_tx, mut outcomes) = unbounded_channel::<Outcome>();
    let fx = Effects {
        worker,
        actions,
        clipboard: Arc::new(Mutex::new(clipboard)),
    };
    let size = guard.terminal.size()?;
    update(
        model,
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
            measure(model);
            match guard.terminal.draw(|f| ui::render_in(f, model, charset)) {
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
        let deadline = model.next_deadline();
        let next = match queued.take() {
            Some(ev) => event_action(model, ev),
            None => tokio::select! {
                ev = events.recv() => match ev {
                    Some(ev) => event_action(model, ev),
                    None => Err(Ended::Exit(Exit::Quit)),
                },
                Some(a) = results.recv() => Ok(Some(a)),
                Some(o) = outcomes.recv() => Ok(Some(write_outcome(o))),
                _ = signals.interrupt.recv() => Err(Ended::Exit(Exit::Interrupted)),
                _ = signals.term.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGTERM))),
                _ = signals.hangup.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGHUP))),
                _ = signals.quit.recv() => Err(Ended::Exit(Exit::Signal(libc::SIGQUIT))),
                _ = signals.stop.recv() => Ok(Some(Action::Intent(Intent::Suspend))),
                () = tokio::time::sleep(FRAME), if timer => {
                    dirty = true;
                    Ok(None)
                }
                // One-shot: a debounce's deadline, set again only while one is pending.
                () = sleep_until(deadline), if deadline.is_some() => Ok(Some(Action::Timer)),
            },
        };
        let action = match next {
            Ok(action) => action,
            Err(end) => return end.into(),
        };
        queued = events.try_recv().ok();
        update(model, clock());
        let Some(action) = action else {
            continue;
        };
        dirty = true;
        if let Action::Intent(Intent::Suspend) = action {
            guard.suspend()?;
            // The window may have changed while tmeet was stopped.
            let size = guard.terminal.size()?;
            update(
                model,
                Action::Resize {
                    width: size.width,
                    height: size.height,
                },
            );
            continue;
        }
        if let Some(exit) = step(model, action, &fx, &outcomes_tx) {
            return Ok(exit);
        }
    }
}

/// Sleeps until `deadline` (a past one returns at once); never without one.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// The result pane's row count at the current width, from the renderer's own wrapping, fed
/// to the model as an action before the frame that uses it (only where the pane shows).
fn measure(model: &mut Model) {
    if model.screen != Screen::Result {
        return;
    }
    let result_rows = ui::result_rows(model, model.size.0);
    if result_rows != model.result_rows {
        let effects = update(model, Action::Measured { result_rows });
        debug_assert!(effects.is_empty(), "a measurement starts nothing");
    }
}

/// One action through `update`, and its effects carried out. Nothing here waits: what
/// takes time runs on the worker or a blocking thread and comes back as an action through
/// the queue, where it goes through this same function (so its own effects are carried
/// out too).
fn step(
    model: &mut Model,
    action: Action,
    fx: &Effects,
    outcomes: &UnboundedSender<Outcome>,
) -> Option<Exit> {
    let interrupted = matches!(action, Action::Intent(Intent::Interrupt));
    for effect in update(model, action) {
        match effect {
            Effect::Quit if interrupted => return Some(Exit::Interrupted),
            Effect::Quit => return Some(Exit::Quit),
            Effect::RememberMode(mode) => {
                let back = fx.actions.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match super::last_mode::path() {
                        Some(path) => super::last_mode::store(&path, mode)
                            .map_err(|e| format!("cannot write {} ({e})", path.display())),
                        None => {
                            Err("there is no state directory; set HOME or XDG_STATE_HOME".into())
                        }
                    };
                    let _ = back.send(Action::Remembered(result));
                });
            }
            Effect::Copy { item, text, html } => {
                // A system clipboard can block (X11 round trips, a slow clipboard manager).
                let clipboard = fx.clipboard.clone();
                let back = outcomes.clone();
                tokio::task::spawn_blocking(move || {
                    let mut terminal = Vec::new();
                    let report = clipboard
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .copy_with_html(&text, html.as_deref(), &mut terminal)
                        .map(|path| format!("Copied the {} {}.", item.noun(), path.describe()))
                        .map_err(|e| format!("Could not copy the {}: {e}", item.noun()));
                    let _ = back.send(Outcome {
                        action: Action::Copied(report),
                        terminal,
                    });
                });
            }
            Effect::SaveCalendar { stem, text } => {
                // A current directory on a network mount can take its time.
                let back = fx.actions.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = back.send(Action::Saved(save_calendar(&stem, &text)));
                });
            }
            Effect::Join { url } => {
                // The browser may take a moment to start; the screen does not wait for it.
                let back = fx.actions.clone();
                tokio::task::spawn_blocking(move || {
                    let result = crate::browser::join(&url).map_err(|why| (why, url.clone()));
                    let _ = back.send(Action::Joined(result.map(|()| url)));
                });
            }
            // The rest is work for the worker: Graph, sign-in and the history.
            work => send(&fx.worker, work),
        }
    }
    None
}

/// Writes an outcome's terminal bytes (OSC 52) between frames; a copy that cannot reach
/// the terminal is reported as not done.
fn write_outcome(o: Outcome) -> Action {
    if o.terminal.is_empty() {
        return o.action;
    }
    let mut out = io::stdout();
    match out.write_all(&o.terminal).and_then(|()| out.flush()) {
        Ok(()) => o.action,
        Err(e) => Action::Copied(Err(format!(
            "Could not copy: could not write to the terminal: {e}"
        ))),
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

/// Writes the calendar file (on a blocking thread: see [`step`]).
fn save_calendar(stem: &str, text: &str) -> Result<std::path::PathBuf, String> {
    let dir = std::env::current_dir()
        .map_err(|e| format!("the current directory cannot be found ({e})"))?;
    save::write_new(&dir, stem, "ics", text.as_bytes())
        .inspect(|path| tracing::info!(path = %path.display(), "calendar file saved"))
        .map_err(|e| format!("cannot create {stem}.ics in {} ({e})", dir.display()))
}

fn send(worker: &UnboundedSender<Effect>, cmd: Effect) {
    if worker.send(cmd).is_err() {
        // The worker only ends with the process; this is a bug, so it goes to the log.
        tracing::error!("the network worker is gone");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::tests::{created, model, result_view};
    use crate::tui::view::CopyItem;

    struct Harness {
        fx: Effects,
        worker: UnboundedReceiver<Effect>,
        actions: UnboundedReceiver<Action>,
        outcomes_tx: UnboundedSender<Outcome>,
        outcomes: UnboundedReceiver<Outcome>,
    }

    fn harness() -> Harness {
        let (worker_tx, worker) = unbounded_channel();
        let (actions_tx, actions) = unbounded_channel();
        let (outcomes_tx, outcomes) = unbounded_channel();
        Harness {
            fx: Effects {
                worker: worker_tx,
                actions: actions_tx,
                clipboard: Arc::new(Mutex::new(Clipboard::osc52_only(false))),
            },
            worker,
            actions,
            outcomes_tx,
            outcomes,
        }
    }

    #[tokio::test]
    async fn a_copy_runs_off_the_ui_task_and_comes_back_as_an_action() {
        let mut h = harness();
        let mut m = created(result_view());
        let copy = Action::Intent(Intent::Copy(CopyItem::JoinUrl));
        assert_eq!(step(&mut m, copy, &h.fx, &h.outcomes_tx), None);
        // Nothing was written from the step itself: the bytes come with the outcome, for
        // the loop to write between frames.
        let o = h.outcomes.recv().await.unwrap();
        assert!(o.terminal.starts_with(b"\x1b]52;c;"), "{:?}", o.terminal);
        let Action::Copied(Ok(how)) = &o.action else {
            panic!("{:?}", o.action);
        };
        assert!(how.contains("join link"), "{how}");
        step(&mut m, o.action, &h.fx, &h.outcomes_tx);
        assert!(m.status.unwrap().text.contains("join link"));
    }

    #[tokio::test]
    async fn a_save_comes_back_through_the_action_queue() {
        let mut h = harness();
        let mut view = result_view();
        // A name no directory can hold, so that the test writes nothing where it runs.
        view.calendar.as_mut().unwrap().stem = "no/such/dir/x".into();
        let mut m = created(view);
        step(&mut m, Action::Intent(Intent::Save), &h.fx, &h.outcomes_tx);
        let back = h.actions.recv().await.unwrap();
        assert!(matches!(back, Action::Saved(Err(_))), "{back:?}");
        step(&mut m, back, &h.fx, &h.outcomes_tx);
        assert!(m.status.unwrap().text.contains("not saved"));
    }

    #[tokio::test]
    async fn effects_of_actions_from_the_queue_are_carried_out_too() {
        let mut h = harness();
        let mut m = model().checking_sign_in();
        // The worker's answer at start comes through the queue; its effect (checking
        // again, then a device-code sign-in) reaches the worker.
        let retry = Action::StartFailed {
            error: "sign-in service unreachable".into(),
            retry: true,
        };
        step(&mut m, retry, &h.fx, &h.outcomes_tx);
        step(
            &mut m,
            Action::Intent(Intent::Activate),
            &h.fx,
            &h.outcomes_tx,
        );
        assert!(matches!(h.worker.recv().await, Some(Effect::CheckSignIn)));
        step(&mut m, Action::SignInNeeded, &h.fx, &h.outcomes_tx);
        let Some(Effect::SignIn { job }) = h.worker.recv().await else {
            panic!("the sign-in job reaches the worker");
        };
        assert_eq!(m.signin.job, Some(job));
        assert_eq!(
            step(
                &mut m,
                Action::Intent(Intent::Interrupt),
                &h.fx,
                &h.outcomes_tx
            ),
            Some(Exit::Interrupted)
        );
    }
}
