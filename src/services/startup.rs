//! What every command and the interactive form need before they can do anything, built
//! in one order in one place: settings (flag > env > config file > default) → the async
//! runtime → in demo mode the embedded emulator → the one HTTP client → an [`Auth`] with
//! the token store demo mode chooses. A failure on the way has one exit status wherever
//! it happens ([`Refusal::code`]).

use crate::auth::{Auth, AuthConfig, AuthError, StoreKind};
use crate::exit::Code;
use crate::graph::client::GraphClient;
use crate::settings::{GlobalArgs, Settings};
use std::io::Write;
use std::process::ExitCode;

/// What `--demo` and `tmeet emulator` say when this tmeet was built without the emulator.
pub const NO_EMULATOR: &str = "this tmeet was built without the emulator (the `demo` feature); \
     rebuild with default features, or point it at a Graph with --graph-url and --login-url";

/// The emulator a demo run keeps alive.
#[cfg(feature = "demo")]
pub use tmeet_emulator::Emulator;

/// Built without the `demo` feature there is no emulator, so no value of this type exists
/// and every `Option<Emulator>` is `None`.
#[cfg(not(feature = "demo"))]
pub enum Emulator {}

#[cfg(not(feature = "demo"))]
impl Emulator {
    pub async fn shutdown(self) {
        match self {}
    }
}

/// Demo mode points the settings at a fresh emulator and keeps tokens in memory only, so a
/// demo never touches a real token store.
#[cfg(feature = "demo")]
async fn demo_settings(settings: &Settings) -> Result<(Settings, Emulator), Refusal> {
    // A TMEET_EMULATOR_FAULTS or TMEET_EMULATOR_POLICY it cannot read is the person's
    // configuration (2), not a failure to start (1); the line names the variable and what
    // it accepts.
    let options = tmeet_emulator::EmulatorOptions::demo().map_err(Refusal::Settings)?;
    let emulator = Emulator::start(options).await.map_err(|e| {
        Refusal::Failed(format!("cannot start the demo emulator on 127.0.0.1: {e}"))
    })?;
    let mut s = settings.clone();
    s.graph_url = emulator.graph_url();
    s.login_url = emulator.login_url();
    s.client_id
        .get_or_insert_with(|| crate::auth::DEMO_CLIENT_ID.to_string());
    Ok((s, emulator))
}

/// Without the emulator a demo cannot start; `main` refuses `--demo` before this is reached.
#[cfg(not(feature = "demo"))]
async fn demo_settings(_settings: &Settings) -> Result<(Settings, Emulator), Refusal> {
    Err(Refusal::Failed(NO_EMULATOR.to_string()))
}

/// Which runtime a command gets. The form needs its input thread, worker and redraws to
/// run side by side; a one-shot command waits on one thing at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Current-thread: `login`, `logout`, `status`, `create`.
    Command,
    /// Multi-thread with two workers: the interactive form.
    Form,
}

/// Why a command could not get started, and so its exit status.
#[derive(Debug)]
pub enum Refusal {
    /// Settings that cannot work (bad cloud, unreadable config.toml, no client id…):
    /// a configuration error, 2 like any usage error, from every command and the form.
    Settings(String),
    /// Anything else (the runtime or the demo emulator would not start): 1.
    Failed(String),
}

impl Refusal {
    pub fn code(&self) -> Code {
        match self {
            Refusal::Settings(_) => Code::Usage,
            Refusal::Failed(_) => Code::Failure,
        }
    }

    /// One `tmeet: …` line on stderr, and the status to exit with.
    pub fn report(&self) -> ExitCode {
        // Said here, before any screen is set up, by the form and every command alike.
        let _ = writeln!(std::io::stderr().lock(), "tmeet: {}", self.line());
        self.code().into()
    }

    /// The reason, as one line.
    pub fn line(&self) -> &str {
        let (Refusal::Settings(line) | Refusal::Failed(line)) = self;
        line
    }
}

impl From<AuthError> for Refusal {
    fn from(e: AuthError) -> Self {
        match e {
            // Auth::new refuses only what the settings make impossible.
            AuthError::Config(_) => Refusal::Settings(e.to_string()),
            e => Refusal::Failed(e.to_string()),
        }
    }
}

/// The settings of this run; a configuration error is [`Refusal::Settings`].
/// The settings, checked whole: `[options]` are read by the meeting layer, which says
/// which of them is wrong.
pub fn settings(global: &GlobalArgs) -> Result<Settings, Refusal> {
    let settings = Settings::resolve(global).map_err(Refusal::Settings)?;
    crate::meeting::options::MeetingOptions::from_settings(&settings).map_err(Refusal::Settings)?;
    crate::calendar::invitation_fields::InvitationFields::from_settings(&settings)
        .map_err(Refusal::Settings)?;
    Ok(settings)
}

pub fn runtime(flavor: Flavor) -> Result<tokio::runtime::Runtime, Refusal> {
    let mut builder = match flavor {
        Flavor::Command => tokio::runtime::Builder::new_current_thread(),
        Flavor::Form => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        }
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| Refusal::Failed(format!("cannot start the async runtime: {e}")))
}

/// Runs `work` with what a command needs (the client, the sign-in, the demo's emulator) on
/// a runtime of its own, and shuts down after it however `work` ended, so that no early
/// return can forget to.
pub fn run<T>(settings: &Settings, work: impl AsyncFnOnce(&Started) -> T) -> Result<T, Refusal> {
    let settings = settings.clone();
    on_runtime(async move || Started::scope(settings, work).await)?
}

/// Runs `work` on a command's runtime with nothing started: for what must go on when the
/// sign-in cannot start (`doctor` reports that as one of its checks, `setup` after it
/// wrote the settings) or needs none (`tmeet emulator`). Whatever `work` starts, it starts
/// through [`Started::scope`] or [`with_emulator`], which shut down by construction.
pub fn on_runtime<T>(work: impl AsyncFnOnce() -> T) -> Result<T, Refusal> {
    let runtime = runtime(Flavor::Command)?;
    let out = runtime.block_on(work());
    // A prompt may still be reading stdin on its own thread; do not wait for it.
    runtime.shutdown_background();
    Ok(out)
}

/// Runs `work` with an emulator started with `options` (`tmeet emulator`), and stops it
/// after `work` however it ended. The error is the listener's, for the caller to word.
#[cfg(feature = "demo")]
pub async fn with_emulator<T>(
    options: tmeet_emulator::EmulatorOptions,
    work: impl AsyncFnOnce(&Emulator) -> T,
) -> std::io::Result<T> {
    let emulator = Emulator::start(options).await?;
    let out = work(&emulator).await;
    emulator.shutdown().await;
    Ok(out)
}

/// What auth needs of the settings, in the one place that knows both.
pub fn auth_config(settings: &Settings, store: StoreKind) -> AuthConfig {
    AuthConfig {
        cloud: settings.cloud,
        login_url: settings.login_url.clone(),
        tenant: settings.tenant.clone(),
        client_id: settings.client_id.clone(),
        client_secret: settings.client_secret.clone(),
        user: settings.user.clone(),
        demo: settings.demo,
        store,
    }
}

/// What a command works with once started. In demo mode `settings` already point at the
/// emulator, which lives as long as this value.
pub struct Started {
    pub settings: Settings,
    /// The one client of the process (DESIGN.md rule 6).
    pub http: reqwest::Client,
    pub auth: Auth,
    pub emulator: Option<Emulator>,
}

impl Started {
    /// Starts the emulator in demo mode and builds the client and the [`Auth`]; demo
    /// tokens are kept in memory only, so a demo never touches a real token store.
    pub async fn new(settings: Settings) -> Result<Started, Refusal> {
        let (settings, emulator, store) = if settings.demo {
            let (s, emu) = demo_settings(&settings).await?;
            tracing::info!(graph = %s.graph_url, "demo emulator started");
            (s, Some(emu), StoreKind::Memory)
        } else {
            (settings, None, StoreKind::System)
        };
        let http = crate::http::client_for(&settings);
        let auth = Auth::new(&auth_config(&settings, store), http.clone())?;
        Ok(Started {
            settings,
            http,
            auth,
            emulator,
        })
    }

    /// Starts, runs `work`, and shuts down after it however `work` ended. A refusal to
    /// start is returned before `work` runs, for the caller to report its own way.
    pub async fn scope<T>(
        settings: Settings,
        work: impl AsyncFnOnce(&Started) -> T,
    ) -> Result<T, Refusal> {
        let started = Started::new(settings).await?;
        let out = work(&started).await;
        started.shutdown().await;
        Ok(out)
    }

    pub fn is_demo(&self) -> bool {
        self.emulator.is_some()
    }

    /// Demo mode: signs the demo person in (the emulator approves at once), since a demo
    /// sign-in lives only in this process. Nothing to do otherwise, nor for app-only.
    pub async fn demo_sign_in(&self) -> Result<(), AuthError> {
        if !self.is_demo() || self.auth.is_app_only() {
            return Ok(());
        }
        self.auth
            .start_device_code()
            .await?
            .complete(|_| {})
            .await?;
        Ok(())
    }

    /// A Graph client with a token provider from the stored (or demo) sign-in.
    pub async fn graph(&self) -> Result<GraphClient, AuthError> {
        self.demo_sign_in().await?;
        let tokens = self.auth.provider().await?;
        Ok(GraphClient::new(
            self.http.clone(),
            self.settings.graph_url.clone(),
            tokens,
        ))
    }

    pub async fn shutdown(self) {
        if let Some(emu) = self.emulator {
            emu.shutdown().await;
        }
    }
}
