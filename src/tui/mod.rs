//! The interactive form (DESIGN.md "Architecture"): terminal events become actions, a pure
//! `update` turns them into state changes and effects, the runtime carries the effects out
//! and feeds worker results back as actions, and rendering reads the state.
//!
//! Where things go:
//! - a new screen: a `Screen` variant and a module of its own under `app/` (its intents and
//!   the actions it answers; `app.rs` only dispatches to it), its keys as a `Scope` in
//!   `keymap.rs`, and its drawing under `ui/`;
//! - a new overlay (anything modal over a screen: a question, a list, a code): a variant of
//!   `app::Overlay` (`app/overlay.rs`), which keeps it the only one open, a `Scope` and its
//!   arm in `Model::scopes`; its drawing next to the screen it covers under `ui/`;
//! - work outside the model (the network, the history): an `Effect` that the worker runs
//!   through `crate::services`, answered with an `Action`.

pub(crate) mod agenda_jobs;
pub mod app;
pub(crate) mod completion;
pub(crate) mod event;
pub(crate) mod form_state;
pub(crate) mod history_jobs;
pub(crate) mod keymap;
pub(crate) mod last_mode;
mod replies;
pub(crate) mod runtime;
pub(crate) mod save;
pub(crate) mod terminal;
pub mod ui;
pub mod view;
pub(crate) mod worker;

use crate::clipboard::Clipboard;
use crate::exit::Code;
use crate::graph::client::Target;
use crate::services::startup::{self, Flavor, Started};
use crate::settings::GlobalArgs;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn run(global: &GlobalArgs) -> ExitCode {
    let hint = "From a script, use: tmeet create --subject \"…\" --start 14:00 [--json]";
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("tmeet: the interactive form needs a terminal. {hint}");
        return Code::Usage.into();
    }
    // A dumb terminal (Emacs shell buffers, some CI consoles) cannot place a cursor or
    // leave a screen behind cleanly; a full-screen form would only leave garbage there.
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        eprintln!(
            "tmeet: the interactive form needs a full-screen terminal, and TERM=dumb is not \
             one. {hint}"
        );
        return Code::Usage.into();
    }
    let _log = crate::logging::init();
    let settings = match startup::settings(global) {
        Ok(s) => s,
        Err(r) => return r.report(),
    };
    let rt = match startup::runtime(Flavor::Form) {
        Ok(rt) => rt,
        Err(r) => return r.report(),
    };
    let code = rt.block_on(async {
        match Started::new(settings).await {
            Ok(started) => form(started).await,
            Err(r) => r.report(),
        }
    });
    // Pending requests are abandoned, not awaited: the person asked to quit.
    rt.shutdown_background();
    code
}

async fn form(started: Started) -> ExitCode {
    let Started {
        settings,
        http,
        auth,
        // Kept alive for the whole form: dropping it stops the emulator.
        emulator: _emulator,
    } = started;
    let zone = crate::meeting::time::local_zone();
    let now = chrono::Utc::now().with_timezone(&zone);
    let options = app::Options {
        passcode: settings.passcode(None),
        demo: settings.demo,
    };
    // A demo neither reads nor writes the remembered mode: it leaves no trace.
    let remembered = last_mode::path()
        .filter(|_| !settings.demo)
        .and_then(|p| last_mode::load(&p));
    let mut model = app::Model::new(now, &settings.language, options)
        .with_meeting_options(crate::meeting::options::MeetingOptions::defaults(&settings))
        .with_invitation(crate::calendar::invitation_fields::InvitationFields::defaults(&settings))
        .with_mode(last_mode::initial(remembered, settings.calendar_default))
        .checking_sign_in();
    if let Some(user) = &settings.user {
        model.target = crate::sanitize::line(user);
    }
    if let Some(w) = crate::meeting::time::zone_choice().warning() {
        model.set_status(app::StatusKind::Error, format!("Warning: {w}"));
        model.zone_warning = Some(w);
    }
    // no-color.org: set and not empty.
    model.no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    model.light = settings
        .light_theme
        .unwrap_or_else(|| light_background(std::env::var("COLORFGBG").ok().as_deref()));
    // The form only runs on a terminal.
    model.hyperlinks =
        crate::hyperlink::enabled(settings.hyperlinks, true, &crate::env::Env::process());
    let (results_tx, results_rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = worker::spawn(
        worker::WorkerConfig {
            history: history_jobs::History::open(&settings, &auth),
            agenda: agenda_jobs::AgendaCache::open(&settings, &auth),
            auth,
            http,
            graph_url: settings.graph_url.clone(),
            target: Target::from_user(settings.user.as_deref()),
            zone,
            // The demo keeps the device code its emulator approves by itself.
            browser: !settings.demo && crate::browser::availability().possible,
        },
        results_tx.clone(),
    );
    let clipboard = Clipboard::from_env();
    let mut signals = match runtime::Signals::register() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tmeet: cannot set up signal handling: {e}");
            return Code::Failure.into();
        }
    };
    let mut guard = match terminal::TerminalGuard::enter() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("tmeet: cannot set up the terminal: {e}");
            return Code::Failure.into();
        }
    };
    let (result, farewell) = runtime::run(
        model,
        &mut guard,
        worker,
        results_tx,
        results_rx,
        clipboard,
        &mut signals,
    )
    .await;
    drop(guard);
    if let Some(line) = farewell {
        // Not eprintln: it panics when stderr is a terminal that has gone away.
        let _ = writeln!(std::io::stderr(), "tmeet: {line}");
    }
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            // Not eprintln: it panics when stderr is a terminal that has gone away.
            let _ = writeln!(std::io::stderr(), "tmeet: terminal error: {e}");
            Code::Failure.into()
        }
    }
}

/// `COLORFGBG` (rxvt, Konsole, some others) is `fg;bg` in the 16 ANSI colours; 7 and 15 are
/// the light backgrounds. Anything else, or nothing, keeps the dark palette.
fn light_background(colorfgbg: Option<&str>) -> bool {
    colorfgbg
        .and_then(|v| v.rsplit(';').next())
        .is_some_and(|bg| matches!(bg.trim(), "7" | "15"))
}

#[cfg(test)]
mod theme_tests {
    #[test]
    fn colorfgbg_decides_only_when_it_says_light() {
        assert!(super::light_background(Some("0;15")));
        assert!(super::light_background(Some("0;default;7")));
        assert!(!super::light_background(Some("15;0")));
        assert!(!super::light_background(Some("garbage")));
        assert!(!super::light_background(None));
    }
}
