//! What the Graph client needs from a sign-in: a bearer token for the next request, and
//! why there is none. The client owns this contract; `auth` implements it (device code,
//! browser, client credentials, cache, refresh stay behind it), so the Graph layer never
//! imports the sign-in layer above it.

use crate::secret::Secret;
use futures::future::BoxFuture;

/// Why no token could be had, as much as the client needs to decide what a request that
/// could not leave means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    /// The identity platform could not be reached: like a request that could not connect.
    Unreachable,
    /// Settings that cannot work (no client id, a tenant the flow refuses…): signing in
    /// again does not help.
    Misconfigured,
    /// No usable sign-in: signing in (again) is the cure.
    SignIn,
}

/// No token, the kind of failure, and the line that says why (never the token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    pub failure: TokenFailure,
    pub message: String,
}

impl TokenError {
    pub fn new(failure: TokenFailure, message: impl Into<String>) -> Self {
        Self {
            failure,
            message: message.into(),
        }
    }
}

pub trait TokenProvider: Send + Sync {
    /// A bearer token good for the next request. `force_refresh` is set after Graph answered
    /// 401, so a cached token must not be returned again.
    fn access_token(&self, force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>>;

    /// Graph answered 401 with a claims challenge (`WWW-Authenticate: … error=
    /// "insufficient_claims", claims="…"`): a new token whose request carries `claims`.
    /// Providers that cannot ask with claims just force a refresh.
    fn claims_challenge(&self, claims: &str) -> BoxFuture<'_, Result<Secret, TokenError>> {
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
    fn access_token(&self, _force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn is_app_only(&self) -> bool {
        self.app_only
    }
}
