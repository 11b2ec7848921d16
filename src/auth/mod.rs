//! Sign-in and tokens. The Graph client only sees its own `graph::token::TokenProvider`,
//! which the providers here implement; how a token is had (device code, browser, client
//! credentials, cache, refresh) stays behind it. What auth needs to know (client id,
//! tenant, cloud, endpoints, where tokens are kept) comes in one value, [`AuthConfig`],
//! built from the settings in `services::startup`.

mod browser;
mod client_credentials;
mod context;
mod device_code;
mod handle;
mod oauth;
mod refresh;
mod token_store;

pub use browser::{BROWSER_TIMEOUT, BrowserSignIn};
pub use device_code::{DeviceCodePrompt, DeviceCodeSignIn, PollEvent};
pub use handle::{Auth, DEMO_CLIENT_ID, Stored};

use crate::cloud::Cloud;
use crate::graph::token::{TokenError, TokenFailure};
use chrono::{DateTime, Utc};

/// Tokens are renewed this long before they expire, so a request never leaves with a
/// token that dies on the way.
const REFRESH_AHEAD: chrono::Duration = chrono::Duration::minutes(5);

/// Where a delegated sign-in is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKind {
    /// The OS keyring, else `tokens.json` (0600) in the state directory.
    System,
    /// `tokens.json` in this directory (tests).
    File(std::path::PathBuf),
    /// `--demo`: never touches disk.
    Memory,
}

/// What auth is configured by: one (cloud, login host, tenant, client id), the app-only
/// credentials if any, and where a delegated sign-in is kept. Built from the settings in
/// one place (`services::startup::auth_config`), so auth never reads `Settings`.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub cloud: Cloud,
    /// Authority host; endpoints are `{login_url}/{tenant}/oauth2/v2.0/…`.
    pub login_url: url::Url,
    pub tenant: String,
    /// `None` is refused by [`Auth::new`] unless `demo` (which has its own).
    pub client_id: Option<String>,
    /// Set: app-only (client credentials) instead of a person's sign-in.
    pub client_secret: Option<crate::secret::Secret>,
    /// The organizer app-only calls act for (`/users/{user}`).
    pub user: Option<String>,
    /// `--demo`: the emulator's own client id, and app-only without a specific tenant.
    pub demo: bool,
    pub store: StoreKind,
}

/// Who is signed in, for `tmeet status` and the TUI. Never holds a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatus {
    /// The account name from the id_token (`preferred_username`); `None` for app-only.
    pub account: Option<String>,
    /// The directory signed in to (its ID once known), else the configured tenant.
    pub tenant: String,
    pub cloud: Cloud,
    pub scopes: Vec<String>,
    /// When the current access token expires (it is refreshed before then).
    pub expires_at: Option<DateTime<Utc>>,
    pub app_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No usable token: the person must sign in (again). The text says why.
    #[error("{0}; sign in with: tmeet login")]
    SignInRequired(String),
    /// The identity platform refused the request (`error`, `error_description`).
    #[error("sign-in refused: {code}: {description}")]
    Refused { code: String, description: String },
    /// The identity platform could not be reached or answered garbage.
    #[error("sign-in service unreachable: {0}")]
    Network(String),
    /// Configuration that cannot work (missing client id, personal-account tenant, …).
    #[error("{0}")]
    Config(String),
    /// The token store could not be read or written.
    #[error("token store: {0}")]
    Store(String),
    /// A browser sign-in ended without an answer to redeem: a foreign `state`, no code, a
    /// pasted address that is not the redirect, the wait timed out. The text says what next.
    #[error("{0}")]
    Incomplete(String),
}

impl AuthError {
    /// The device code expired before the person finished: offer a new code.
    pub fn is_expired_code(&self) -> bool {
        matches!(self, AuthError::Refused { code, .. } if code == "expired_token")
    }

    /// The `AADSTS` number the service gave, if this came from one of its refusals: what
    /// `tmeet doctor` reports as the last refusal.
    pub fn service_code(&self) -> Option<u32> {
        match self {
            AuthError::Refused { description, .. } | AuthError::SignInRequired(description) => {
                oauth::aadsts(description)
            }
            _ => None,
        }
    }

    /// The person declined the sign-in in the browser.
    pub fn is_declined(&self) -> bool {
        matches!(self, AuthError::Refused { code, .. }
            if code == "authorization_declined" || code == "access_denied")
    }
}

/// What the Graph client makes of a failed sign-in: only a refused or missing sign-in is
/// cured by signing in again.
impl From<AuthError> for TokenError {
    fn from(e: AuthError) -> Self {
        let failure = match e {
            AuthError::Network(_) => TokenFailure::Unreachable,
            AuthError::Config(_) => TokenFailure::Misconfigured,
            _ => TokenFailure::SignIn,
        };
        TokenError::new(failure, e.to_string())
    }
}
