//! The delegated token provider: the stored access token while it has a few minutes left,
//! otherwise a refresh (GRAPH.md §7) whose rotated refresh token replaces the stored one.

use super::context::FlowContext;
use super::oauth::{self, Flow, Http};
use super::{AuthError, REFRESH_AHEAD};
use crate::graph::token::{TokenError, TokenProvider};
use crate::secret::Secret;
use chrono::Utc;
use futures::future::BoxFuture;
use oauth2::{RefreshToken, Scope};
use std::sync::Arc;

/// A token with less than this left is not handed out even when refreshing failed.
const STILL_USABLE: chrono::Duration = chrono::Duration::seconds(30);

pub(crate) struct DelegatedProvider {
    ctx: Arc<FlowContext>,
}

impl DelegatedProvider {
    pub(super) fn new(ctx: Arc<FlowContext>) -> Self {
        Self { ctx }
    }

    pub(super) async fn token(&self, force: bool) -> Result<Secret, AuthError> {
        let ctx = &self.ctx;
        // Within the process: concurrent 401s must not refresh twice.
        let _one_at_a_time = ctx.refresh_lock.lock().await;
        let current = match ctx.cached() {
            Some(t) => t,
            None => ctx.load().await?.ok_or_else(signed_out)?,
        };
        if !force && current.expires_at - REFRESH_AHEAD > Utc::now() {
            return Ok(current.access_token);
        }
        // Across processes: two shells refreshing one sign-in at once would spend a
        // rotating refresh token twice. Held until the new token is stored.
        let _only_us = ctx.lock_store().await?;
        // Read again under the lock: another tmeet may have refreshed (or signed out)
        // while this one waited, and its token is as good as a new one.
        let stored = ctx.load().await?.ok_or_else(signed_out)?;
        let now = Utc::now();
        if stored.access_token != current.access_token && stored.expires_at - REFRESH_AHEAD > now {
            return Ok(stored.access_token);
        }
        let usable_meanwhile = !force && stored.expires_at - STILL_USABLE > now;
        let Some(refresh_token) = stored.refresh_token.clone() else {
            if usable_meanwhile {
                return Ok(stored.access_token);
            }
            return Err(AuthError::SignInRequired(
                "the access token expired and no refresh token is stored".into(),
            ));
        };
        match refresh(ctx, &refresh_token, &stored.scopes).await {
            Ok(response) => {
                ctx.claims_answered();
                let next = ctx.stored_from(&response, Some(&stored));
                tracing::info!(
                    expires_at = %next.expires_at,
                    rotated = next.refresh_token != stored.refresh_token,
                    "access token refreshed"
                );
                let access = next.access_token.clone();
                if let Err(e) = ctx.persist(next).await {
                    // The new token works for this run; the next run may have to sign in.
                    tracing::warn!("the refreshed token could not be stored: {e}");
                }
                Ok(access)
            }
            Err(AuthError::SignInRequired(why)) => {
                // The refresh token is dead: keeping it would only fail again. Only this
                // entry, though: one stored since by a login in a tmeet that does not
                // take the lock (an older version) stays.
                if let Err(e) = ctx.forget(stored).await {
                    tracing::warn!("the rejected sign-in could not be removed: {e}");
                }
                Err(AuthError::SignInRequired(why))
            }
            Err(e) if usable_meanwhile => {
                tracing::warn!("refreshing ahead of expiry failed, using the current token: {e}");
                Ok(stored.access_token)
            }
            Err(e) => Err(e),
        }
    }
}

async fn refresh(
    ctx: &FlowContext,
    refresh_token: &Secret,
    granted: &[String],
) -> Result<oauth::MsTokenResponse, AuthError> {
    let http = Http::new(ctx.http.clone());
    let client = ctx.authority.client(None);
    let refresh_token = RefreshToken::new(refresh_token.expose().to_string());
    let scopes = ctx.scopes_with(granted);
    client
        .exchange_refresh_token(&refresh_token)
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .add_extra_param("claims", ctx.claims_parameter())
        .request_async(&http)
        .await
        .map_err(|e| oauth::map_error(Flow::Refresh, e, &http, &ctx.authority, &scopes))
}

fn signed_out() -> AuthError {
    AuthError::SignInRequired("signed out".into())
}

impl TokenProvider for DelegatedProvider {
    fn access_token(&self, force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>> {
        Box::pin(async move { Ok(self.token(force_refresh).await?) })
    }

    fn claims_challenge(&self, claims: &str) -> BoxFuture<'_, Result<Secret, TokenError>> {
        let readable = self.ctx.set_claims_challenge(claims);
        Box::pin(async move {
            if !readable {
                tracing::warn!("a claims challenge could not be read; refreshing without it");
            }
            // A refresh carrying the claims; when the service wants more than a refresh
            // can prove (a fresh MFA), only an interactive sign-in answers it, and the
            // claims stay pending for it.
            let token = self.token(true).await.map_err(|e| match e {
                AuthError::SignInRequired(why) => AuthError::SignInRequired(format!(
                    "the service revoked this session's access (a continuous access evaluation claims challenge) and a refresh could not answer it: {why}"
                )),
                other => other,
            })?;
            Ok(token)
        })
    }
}
