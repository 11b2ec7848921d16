//! What a command needs to talk to Graph: the endpoints, a token provider and the client,
//! with the embedded emulator started first in demo mode.

use crate::auth::{Auth, StoreKind};
use crate::graph::client::GraphClient;
use crate::settings::Settings;

/// What `--demo` and `tmeet emulator` say when this tmeet was built without the emulator.
pub const NO_EMULATOR: &str = "this tmeet was built without the emulator (the `demo` feature); \
     rebuild with default features, or point it at a Graph with --graph-url and --login-url";

/// The emulator a demo session keeps alive.
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

pub struct Session {
    pub graph: GraphClient,
    pub auth: Auth,
    /// Kept alive for the command's lifetime in demo mode.
    pub emulator: Option<Emulator>,
}

impl Session {
    pub async fn shutdown(self) {
        if let Some(emu) = self.emulator {
            emu.shutdown().await;
        }
    }
}

/// Demo mode points the settings at a fresh emulator and keeps tokens in memory only, so a
/// demo never touches a real token store.
#[cfg(feature = "demo")]
pub async fn demo_settings(settings: &Settings) -> Result<(Settings, Emulator), String> {
    let options = tmeet_emulator::EmulatorOptions::demo()?;
    let emulator = Emulator::start(options)
        .await
        .map_err(|e| format!("cannot start the demo emulator on 127.0.0.1: {e}"))?;
    let mut s = settings.clone();
    s.graph_url = emulator.graph_url();
    s.login_url = emulator.login_url();
    s.client_id
        .get_or_insert_with(|| crate::auth::DEMO_CLIENT_ID.to_string());
    Ok((s, emulator))
}

/// Without the emulator a demo cannot start; `main` refuses `--demo` before this is reached.
#[cfg(not(feature = "demo"))]
pub async fn demo_settings(_settings: &Settings) -> Result<(Settings, Emulator), String> {
    Err(NO_EMULATOR.to_string())
}

pub async fn connect(settings: &Settings) -> Result<Session, String> {
    if settings.demo {
        let (s, emulator) = demo_settings(settings).await?;
        let http = crate::http::client_for(&s);
        let auth = Auth::new(&s, http.clone(), StoreKind::Memory).map_err(|e| e.to_string())?;
        if !auth.is_app_only() {
            let flow = auth.start_device_code().await.map_err(|e| e.to_string())?;
            flow.complete(|_| {}).await.map_err(|e| e.to_string())?;
        }
        let tokens = auth.provider().await.map_err(|e| e.to_string())?;
        let graph = GraphClient::new(http, s.graph_url.clone(), tokens);
        return Ok(Session {
            graph,
            auth,
            emulator: Some(emulator),
        });
    }
    let http = crate::http::client_for(settings);
    let auth = Auth::new(settings, http.clone(), StoreKind::System).map_err(|e| e.to_string())?;
    let tokens = auth.provider().await.map_err(|e| e.to_string())?;
    let graph = GraphClient::new(http, settings.graph_url.clone(), tokens);
    Ok(Session {
        graph,
        auth,
        emulator: None,
    })
}
