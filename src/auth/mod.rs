//! Sign-in and tokens. The Graph client only sees [`TokenProvider`]; how a token is had
//! (device code, client credentials, cache, refresh) stays behind it.

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
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

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

pub trait TokenProvider: Send + Sync {
    /// A bearer token good for the next request. `force_refresh` is set after Graph answered
    /// 401, so a cached token must not be returned again.
    fn access_token(&self, force_refresh: bool) -> BoxFuture<'_, Result<Secret, AuthError>>;

    /// Graph answered 401 with a claims challenge (`WWW-Authenticate: … error=
    /// "insufficient_claims", claims="…"`): a new token whose request carries `claims`.
    /// Providers that cannot ask with claims just force a refresh.
    fn claims_challenge(&self, claims: &str) -> BoxFuture<'_, Result<Secret, AuthError>> {
        let _ = claims;
        self.access_token(true)
    }

    /// App-only (client credentials) tokens cannot use `/me` and turn 403s into an
    /// access-policy hint.
    fn is_app_only(&self) -> bool {
        false
    }
}

/// A token fixed for the life of the provider: tests that talk to Graph without a sign-in.
#[cfg(feature = "test-support")]
pub struct StaticToken {
    token: Secret,
    app_only: bool,
}

#[cfg(feature = "test-support")]
impl StaticToken {
    pub fn new(token: Secret, app_only: bool) -> Self {
        Self { token, app_only }
    }
}

#[cfg(feature = "test-support")]
impl TokenProvider for StaticToken {
    fn access_token(&self, _force_refresh: bool) -> BoxFuture<'_, Result<Secret, AuthError>> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn is_app_only(&self) -> bool {
        self.app_only
    }
}
