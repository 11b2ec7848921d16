//! The interactive form (DESIGN.md "Architecture"): terminal events become actions, a pure
//! `update` turns them into state changes and effects, the runtime carries the effects out
//! and feeds worker results back as actions, and rendering reads the state.

pub mod app;
pub mod event;
pub mod form_state;
pub mod keymap;
pub mod runtime;
pub mod save;
pub mod terminal;
pub mod ui;
pub mod view;
pub mod worker;

use crate::auth::{Auth, StoreKind};
use crate::clipboard::Clipboard;
use crate::graph::client::Target;
use crate::settings::{GlobalArgs, Settings};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn run(global: &GlobalArgs) -> ExitCode {
    let hint = "From a script, use: tmeet create --subject \"…\" --start 14:00 [--json]";
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("tmeet: the interactive form needs a terminal. {hint}");
        return ExitCode::from(2);
    }
    // A dumb terminal (Emacs shell buffers, some CI consoles) cannot place a cursor or
    // leave a screen behind cleanly; a full-screen form would only leave garbage there.
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        eprintln!(
            "tmeet: the interactive form needs a full-screen terminal, and TERM=dumb is not \
             one. {hint}"
        );
        return ExitCode::from(2);
    }
    let _log = crate::logging::init();
    let settings = match Settings::resolve(global) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tmeet: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tmeet: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = rt.block_on(session(settings));
    // Pending requests are abandoned, not awaited: the person asked to quit.
    rt.shutdown_background();
    code
}

async fn session(mut settings: Settings) -> ExitCode {
    // Kept alive for the whole session: dropping it stops the emulator.
    let _emulator = if settings.demo {
        match crate::session::demo_settings(&settings).await {
            Ok((demo, emu)) => {
                settings = demo;
                tracing::info!(graph = %settings.graph_url, "demo emulator started");
                Some(emu)
            }
            Err(e) => {
                eprintln!("tmeet: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let http = crate::http::client_for(&settings);
    let store = if settings.demo {
        StoreKind::Memory
    } else {
        StoreKind::System
    };
    let auth = match Auth::new(&settings, http.clone(), store) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("tmeet: {e}");
            return ExitCode::from(2);
        }
    };
    let zone = crate::meeting::time::local_zone();
    let now = chrono::Utc::now().with_timezone(&zone);
    let options = app::Options {
        passcode: settings.passcode(None),
        demo: settings.demo,
    };
    let mut model = app::Model::new(now, &settings.language, options).checking_sign_in();
    if let Some(user) = &settings.user {
        model.target = crate::sanitize::line(user);
    }
    let (results_tx, results_rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = worker::spawn(
        worker::WorkerConfig {
            auth,
            http,
            graph_url: settings.graph_url.clone(),
            target: Target::from_user(settings.user.as_deref()),
            zone,
        },
        results_tx.clone(),
    );
    let clipboard = Clipboard::from_env();
    let mut signals = match runtime::Signals::register() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tmeet: cannot set up signal handling: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut guard = match terminal::TerminalGuard::enter() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("tmeet: cannot set up the terminal: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime::run(
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
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            // Not eprintln: it panics when stderr is a terminal that has gone away.
            let _ = writeln!(std::io::stderr(), "tmeet: terminal error: {e}");
            ExitCode::FAILURE
        }
    }
}
