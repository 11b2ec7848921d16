//! [`FlowContext`]: what every sign-in flow and token provider shares for one (cloud,
//! login host, tenant, client id). Its own module so that the flows (`device_code`,
//! `refresh`, `client_credentials`) depend on it and not on [`super::Auth`], which
//! depends on them.

use super::oauth::{self, Authority, MsTokenResponse};
use super::token_store::{StoreLock, StoredToken, TokenStore};
use super::{AccountStatus, AuthError};
use crate::cloud::Cloud;
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use oauth2::TokenResponse;
use std::sync::{Arc, Mutex};

/// Everything a flow needs; shared by the providers and sign-ins an [`Auth`] hands out.
pub(crate) struct FlowContext {
    pub http: reqwest::Client,
    pub authority: Authority,
    pub cloud: Cloud,
    pub graph_resource: String,
    pub secret: Option<Secret>,
    pub user: Option<String>,
    pub store: TokenStore,
    pub key: String,
    /// The delegated token last loaded or obtained, so that each request does not read
    /// the keyring.
    pub(super) delegated: Mutex<Option<StoredToken>>,
    /// One refresh at a time: concurrent 401s must not spend the refresh token twice.
    pub refresh_lock: tokio::sync::Mutex<()>,
    pub app_token: tokio::sync::Mutex<Option<AppToken>>,
    /// Graph permissions asked for beyond the base ones (`User.ReadBasic.All` once
    /// attendees are used: incremental consent, GRAPH-SCHEDULING.md §7), by short name.
    pub(super) extra_scopes: Mutex<Vec<String>>,
    /// The claims of a claims challenge not answered yet (decoded JSON): every token
    /// request carries them until a token arrives (GRAPH-NEXT.md §1.4).
    pub(super) pending_claims: Mutex<Option<serde_json::Value>>,
}

impl FlowContext {
    /// The `claims` parameter of every token request: the `cp1` client capability (tmeet
    /// answers claims challenges, so Graph may send them), merged with the claims of a
    /// challenge not answered yet.
    pub(super) fn claims_parameter(&self) -> String {
        let mut access = serde_json::json!({"xms_cc": {"values": ["cp1"]}});
        let pending = self
            .pending_claims
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(serde_json::Value::Object(asked)) = pending
            .as_ref()
            .and_then(|p| p.get("access_token"))
            .cloned()
        {
            for (k, v) in asked {
                if k != "xms_cc" {
                    access[k] = v;
                }
            }
        }
        serde_json::json!({ "access_token": access }).to_string()
    }

    /// Keeps the claims of a challenge (`claims="…"`, base64 JSON) for the next token
    /// requests. False when they cannot be read (then a plain refresh is all there is).
    pub(super) fn set_claims_challenge(&self, encoded: &str) -> bool {
        use base64::Engine;
        let trimmed = encoded.trim().trim_end_matches('=');
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(trimmed)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .filter(|v| {
                v.get("access_token")
                    .is_some_and(serde_json::Value::is_object)
            });
        let ok = decoded.is_some();
        *self
            .pending_claims
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = decoded;
        ok
    }

    /// A token arrived with the claims: they are not sent again.
    pub(super) fn claims_answered(&self) {
        *self
            .pending_claims
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub(super) fn delegated_scopes(&self) -> Vec<String> {
        let extra = self
            .extra_scopes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        self.scopes_with(&extra)
    }

    /// The base scopes, the extra ones and the Graph permissions in `granted`, each once.
    /// A refresh asks for what the sign-in was granted: asking for less would get a token
    /// without it, and a refresh cannot add a scope (GRAPH-SCHEDULING.md §7).
    pub(super) fn scopes_with(&self, granted: &[String]) -> Vec<String> {
        const OIDC: [&str; 4] = ["offline_access", "openid", "profile", "email"];
        // User.Read is what reads the person's own mailbox address (`/me`), which the
        // free/busy row and display use where the UPN is not the mail address; it is
        // consented with the first sign-in, as the registration `tmeet setup` makes lists.
        let mut out = vec![
            format!("{}/OnlineMeetings.ReadWrite", self.graph_resource),
            format!("{}/User.Read", self.graph_resource),
            "offline_access".into(),
            "openid".into(),
            "profile".into(),
        ];
        let extra = self
            .extra_scopes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for scope in extra.iter().chain(granted) {
            let name = scope.rsplit('/').next().unwrap_or(scope).trim();
            if name.is_empty()
                || name.starts_with('.')
                || OIDC.iter().any(|o| o.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let full = format!("{}/{name}", self.graph_resource);
            if !out.iter().any(|s| s.eq_ignore_ascii_case(&full)) {
                out.push(full);
            }
        }
        out
    }

    pub(super) fn app_scope(&self) -> String {
        format!("{}/.default", self.graph_resource)
    }

    pub(super) fn cached(&self) -> Option<StoredToken> {
        self.delegated
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(super) fn set_cached(&self, token: Option<StoredToken>) {
        *self.delegated.lock().unwrap_or_else(|p| p.into_inner()) = token;
    }

    /// Reads the store off the async threads: a keyring call is a blocking D-Bus round trip.
    pub(super) async fn load(self: &Arc<Self>) -> Result<Option<StoredToken>, AuthError> {
        let me = self.clone();
        let loaded = tokio::task::spawn_blocking(move || me.store.load(&me.key))
            .await
            .map_err(|e| AuthError::Store(format!("reading the token store failed: {e}")))??;
        self.set_cached(loaded.clone());
        Ok(loaded)
    }

    pub(super) async fn persist(self: &Arc<Self>, token: StoredToken) -> Result<(), AuthError> {
        self.set_cached(Some(token.clone()));
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.store.save(&me.key, &token))
            .await
            .map_err(|e| AuthError::Store(format!("writing the token store failed: {e}")))?
    }

    /// Forgets the entry `seen` came from, unless another process has stored a newer one
    /// since (see [`TokenStore::remove_if_unchanged`]).
    pub(super) async fn forget(self: &Arc<Self>, seen: StoredToken) -> Result<bool, AuthError> {
        self.set_cached(None);
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.store.remove_if_unchanged(&me.key, &seen))
            .await
            .map_err(|e| AuthError::Store(format!("writing the token store failed: {e}")))?
    }

    /// The store to this process alone until the guard is dropped. The wait happens off
    /// the async threads: the other process may be in the middle of a refresh.
    pub(super) async fn lock_store(self: &Arc<Self>) -> Result<StoreLock, AuthError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.store.lock())
            .await
            .map_err(|e| AuthError::Store(format!("locking the token store failed: {e}")))?
    }

    /// The entry to keep after a token response. A refresh answer may omit the refresh
    /// token (keep the old one) or the id_token (keep the account).
    pub(super) fn stored_from(
        &self,
        response: &MsTokenResponse,
        previous: Option<&StoredToken>,
    ) -> StoredToken {
        let claims = oauth::id_claims(response);
        StoredToken {
            access_token: Secret::new(response.access_token().secret().as_str()),
            refresh_token: response
                .refresh_token()
                .map(|r| Secret::new(r.secret().as_str()))
                .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            expires_at: expires_at(response.expires_in()),
            scopes: oauth::granted_scopes(response, &self.delegated_scopes()),
            account: claims
                .account()
                .or_else(|| previous.and_then(|p| p.account.clone())),
            tenant_id: claims
                .tid
                .map(|t| crate::sanitize::line(&t))
                .or_else(|| previous.and_then(|p| p.tenant_id.clone())),
            cloud: self.cloud.to_string(),
            mail: previous.and_then(|p| p.mail.clone()),
            mailbox_settings: previous.and_then(|p| p.mailbox_settings.clone()),
        }
    }

    /// An interactive sign-in (`how`: "through the browser", "with a device code") ended
    /// with `response`: the sign-in is stored and whom it is for comes back. The store's
    /// lock is held for the write, so that another tmeet halfway through a refresh does not
    /// write its copy of the old sign-in over this one.
    pub(super) async fn signed_in(
        self: &Arc<Self>,
        response: &MsTokenResponse,
        how: &str,
    ) -> Result<AccountStatus, AuthError> {
        let token = self.stored_from(response, None);
        self.claims_answered();
        tracing::info!(
            tenant = token.tenant_id.as_deref().unwrap_or(&self.authority.tenant),
            expires_at = %token.expires_at,
            "signed in {how}"
        );
        let _only_us = self.lock_store().await?;
        self.persist(token.clone()).await?;
        Ok(self.status_of(&token))
    }

    pub(super) fn status_of(&self, token: &StoredToken) -> AccountStatus {
        AccountStatus {
            account: token.account.clone(),
            tenant: token
                .tenant_id
                .clone()
                .unwrap_or_else(|| self.authority.tenant.clone()),
            cloud: self.cloud,
            scopes: token.scopes.clone(),
            expires_at: Some(token.expires_at),
            app_only: false,
        }
    }
}

/// Without `expires_in` the service's usual hour is assumed; a 401 forces a refresh anyway.
pub(crate) fn expires_at(expires_in: Option<std::time::Duration>) -> DateTime<Utc> {
    let secs = expires_in
        .map(|d| d.as_secs())
        .unwrap_or(3600)
        .min(i64::MAX as u64);
    Utc::now() + chrono::Duration::seconds(secs as i64)
}

#[derive(Clone)]
pub(crate) struct AppToken {
    pub token: Secret,
    pub expires_at: DateTime<Utc>,
}
