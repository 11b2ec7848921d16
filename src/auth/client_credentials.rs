//! App-only sign-in (client credentials, GRAPH.md §7): the application's own token for
//! `{graph}/.default`, kept in memory until a few minutes before it expires. There is no
//! refresh token; a new token is simply asked for, so nothing is stored on disk.

use super::context::{AppToken, FlowContext};
use super::oauth::{self, Flow, Http};
use super::{AuthError, REFRESH_AHEAD};
use crate::graph::token::{TokenError, TokenProvider};
use crate::secret::Secret;
use chrono::Utc;
use futures::future::BoxFuture;
use oauth2::{Scope, TokenResponse};
use std::sync::Arc;

/// A cached token unless it is near expiry or `force` (Graph answered 401).
pub(crate) async fn token(ctx: &FlowContext, force: bool) -> Result<AppToken, AuthError> {
    let mut cache = ctx.app_token.lock().await;
    if let Some(t) = cache.as_ref()
        && !force
        && t.expires_at - REFRESH_AHEAD > Utc::now()
    {
        return Ok(t.clone());
    }
    let secret = ctx.secret.as_ref().ok_or_else(|| {
        AuthError::Config(
            "app-only sign-in needs TMEET_CLIENT_SECRET or --client-secret-file".into(),
        )
    })?;
    let http = Http::new(ctx.http.clone());
    let response = ctx
        .authority
        .client(Some(secret))
        .exchange_client_credentials()
        .add_scope(Scope::new(ctx.app_scope()))
        .request_async(&http)
        .await
        .map_err(|e| oauth::map_error(Flow::ClientCredentials, e, &http, &ctx.authority, &[]))?;
    let fresh = AppToken {
        token: Secret::new(response.access_token().secret().as_str()),
        expires_at: super::context::expires_at(response.expires_in()),
    };
    tracing::info!(expires_at = %fresh.expires_at, "app-only token fetched");
    *cache = Some(fresh.clone());
    Ok(fresh)
}

pub(crate) struct AppOnlyProvider {
    ctx: Arc<FlowContext>,
}

impl AppOnlyProvider {
    pub(super) fn new(ctx: Arc<FlowContext>) -> Self {
        Self { ctx }
    }
}

impl TokenProvider for AppOnlyProvider {
    fn access_token(&self, force_refresh: bool) -> BoxFuture<'_, Result<Secret, TokenError>> {
        Box::pin(async move { Ok(token(&self.ctx, force_refresh).await?.token) })
    }

    fn is_app_only(&self) -> bool {
        true
    }
}
