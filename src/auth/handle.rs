//! [`Auth`]: the one object the commands and the TUI hold. It checks the settings up front,
//! and hands out token providers, device-code sign-ins, status and logout for one
//! (cloud, login host, tenant, client id).

use super::browser::{self, BrowserSignIn};
use super::client_credentials::{self, AppOnlyProvider};
use super::context::FlowContext;
use super::device_code::{self, DeviceCodeSignIn};
use super::oauth::Authority;
use super::refresh::DelegatedProvider;
use super::token_store::{StoredToken, TokenStore};
use super::{AccountStatus, AuthConfig, AuthError, StoreKind};
use crate::cloud::Cloud;
use crate::graph::client::MailboxSettings;
use crate::graph::token::TokenProvider;
use chrono::{DateTime, Utc};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The client id `--demo` uses when none is configured: the emulator accepts any.
pub const DEMO_CLIENT_ID: &str = "00000000-0000-0000-0000-00000000de30";

const NO_CLIENT_ID: &str = "no client id is set. Register an app in the Microsoft Entra admin center \
(App registrations > New registration; under Authentication set \"Allow public client flows\" to Yes; \
under API permissions add Microsoft Graph, delegated, OnlineMeetings.ReadWrite), then pass its \
Application (client) ID with --client-id or TMEET_CLIENT_ID, or set client-id in config.toml. \
To try tmeet without an account: tmeet --demo";

const CONSUMERS: &str = "the tenant 'consumers' is for personal Microsoft accounts, which cannot create \
online meetings; use --tenant organizations (the default) or your tenant ID or domain";

const APP_ONLY_NEEDS_TENANT: &str = "app-only sign-in (a client secret is set) needs a specific tenant: \
pass --tenant with your tenant ID or domain (e.g. contoso.onmicrosoft.com)";

const APP_ONLY_NEEDS_USER: &str = "app-only sign-in (a client secret is set) cannot use /me: there is \
no signed-in person. Pass --user with the organizer's object ID (or set TMEET_USER)";

/// What is kept for one cloud, tenant and client id ([`Auth::stored`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    SignedIn(AccountStatus),
    /// A token file or keyring entry that cannot be read, in words ("the token file …").
    Unreadable(String),
    Nothing,
}

/// Sign-in for one cloud, tenant and client id. Cheap to clone; clones share the cached
/// token, so a sign-in finished in one place is seen by providers handed out elsewhere.
#[derive(Clone)]
pub struct Auth {
    ctx: Arc<FlowContext>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("login", &self.ctx.authority.login_host())
            .field("tenant", &self.ctx.authority.tenant)
            .field("client_id", &self.ctx.authority.client_id)
            .field("cloud", &self.ctx.cloud)
            .field("app_only", &self.is_app_only())
            .field("store", &self.ctx.store)
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// Refuses, before any request, what cannot work: a cloud without the API, the
    /// `consumers` tenant, no client id (outside demo mode), app-only on a multi-tenant
    /// authority.
    pub fn new(settings: &AuthConfig, http: reqwest::Client) -> Result<Auth, AuthError> {
        settings
            .cloud
            .ensure_supported()
            .map_err(AuthError::Config)?;
        let tenant = settings.tenant.trim().to_string();
        if tenant.eq_ignore_ascii_case("consumers") {
            return Err(AuthError::Config(CONSUMERS.into()));
        }
        let client_id = match &settings.client_id {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ if settings.demo => DEMO_CLIENT_ID.to_string(),
            _ => return Err(AuthError::Config(NO_CLIENT_ID.into())),
        };
        let app_only = settings.client_secret.is_some();
        if app_only
            && !settings.demo
            && ["organizations", "common"]
                .iter()
                .any(|t| tenant.eq_ignore_ascii_case(t))
        {
            return Err(AuthError::Config(APP_ONLY_NEEDS_TENANT.into()));
        }
        let authority = Authority {
            login_url: settings.login_url.clone(),
            tenant: tenant.clone(),
            client_id: client_id.clone(),
        };
        let key = format!(
            "{}|{}|{}",
            authority.login_host(),
            tenant.to_ascii_lowercase(),
            client_id
        );
        let store = match settings.store.clone() {
            StoreKind::System => TokenStore::system(crate::paths::state_dir()),
            StoreKind::File(dir) => TokenStore::file(dir),
            StoreKind::Memory => TokenStore::memory(),
        };
        Ok(Auth {
            ctx: Arc::new(FlowContext {
                http,
                authority,
                cloud: settings.cloud,
                graph_resource: settings.cloud.graph_root().to_string(),
                secret: settings.client_secret.clone(),
                user: settings.user.clone(),
                store,
                key,
                delegated: Mutex::new(None),
                refresh_lock: tokio::sync::Mutex::new(()),
                app_token: tokio::sync::Mutex::new(None),
                extra_scopes: Mutex::new(Vec::new()),
                pending_claims: Mutex::new(None),
            }),
        })
    }

    /// A client secret is configured (TMEET_CLIENT_SECRET or --client-secret-file).
    pub fn is_app_only(&self) -> bool {
        self.ctx.secret.is_some()
    }

    /// A provider for the Graph client: app-only (client credentials, cached until near
    /// expiry), or delegated from the store (refreshed a few minutes ahead of expiry;
    /// rotated refresh token persisted; force_refresh after a 401). Delegated with nothing
    /// stored, or refresh refused (invalid_grant / interaction_required) →
    /// [`AuthError::SignInRequired`].
    pub async fn provider(&self) -> Result<Arc<dyn TokenProvider>, AuthError> {
        if self.is_app_only() {
            if self.ctx.user.is_none() {
                return Err(AuthError::Config(APP_ONLY_NEEDS_USER.into()));
            }
            return Ok(Arc::new(AppOnlyProvider::new(self.ctx.clone())));
        }
        if self.ctx.load().await?.is_none() {
            return Err(self.not_signed_in());
        }
        let provider = DelegatedProvider::new(self.ctx.clone());
        // Refreshes now if the stored token is near expiry, so that a sign-in that is no
        // longer accepted shows up before the person fills in a form.
        provider.token(false).await?;
        Ok(Arc::new(provider))
    }

    /// Fetches an app-only token to prove the client id, tenant and secret work, without
    /// needing `--user` (`tmeet login` in app-only mode).
    pub async fn verify_app_credentials(&self) -> Result<AccountStatus, AuthError> {
        if !self.is_app_only() {
            return Err(AuthError::Config(
                "no client secret is set: app-only credentials cannot be checked".into(),
            ));
        }
        let token = client_credentials::token(&self.ctx, false).await?;
        Ok(self.app_status(Some(token.expires_at)))
    }

    pub async fn start_device_code(&self) -> Result<DeviceCodeSignIn, AuthError> {
        if self.is_app_only() {
            return Err(AuthError::Config(
                "a client secret is set, so tmeet acts as the application (app-only) and signs no \
                 person in; unset TMEET_CLIENT_SECRET / --client-secret-file to sign in with a device code"
                    .into(),
            ));
        }
        // A new sign-in keeps what the current one was granted: the union, not a swap.
        if let Ok(Some(current)) = self.status() {
            self.request_scopes(&current.scopes);
        }
        device_code::start(self.ctx.clone()).await
    }

    /// A browser sign-in (authorization code with PKCE): listens on a port of 127.0.0.1
    /// for the answer; show and open [`BrowserSignIn::url`], then complete it.
    pub async fn start_browser(&self) -> Result<BrowserSignIn, AuthError> {
        if self.is_app_only() {
            return Err(AuthError::Config(
                "a client secret is set, so tmeet acts as the application (app-only) and signs no \
                 person in; unset TMEET_CLIENT_SECRET / --client-secret-file to sign in through the browser"
                    .into(),
            ));
        }
        if let Ok(Some(current)) = self.status() {
            self.request_scopes(&current.scopes);
        }
        browser::start(self.ctx.clone()).await
    }

    /// Graph permissions (short names, e.g. `User.ReadBasic.All`) the next device-code
    /// sign-in asks for on top of the base ones.
    pub fn request_scopes(&self, names: &[String]) {
        let mut extra = self
            .ctx
            .extra_scopes
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for n in names {
            if !extra.iter().any(|e| e.eq_ignore_ascii_case(n)) {
                extra.push(n.clone());
            }
        }
    }

    /// Whether the stored delegated sign-in was granted `name` (short or full form).
    /// App-only tokens carry the app's permissions in `.default`: true, and a 403 says more.
    pub fn has_scope(&self, name: &str) -> bool {
        self.has_any_scope(&[name])
    }

    /// Whether the sign-in was granted one of `names` (a feature works with any of them);
    /// the sign-in is read once for all of them.
    pub fn has_any_scope(&self, names: &[&str]) -> bool {
        if self.is_app_only() {
            return true;
        }
        self.status().ok().flatten().is_some_and(|s| {
            s.scopes.iter().any(|g| {
                let short = g.rsplit('/').next().unwrap_or(g);
                names.iter().any(|n| short.eq_ignore_ascii_case(n))
            })
        })
    }

    /// The signed-in mailbox's SMTP address, kept with the sign-in: the stored one, else
    /// what `read` finds (the caller asks Graph's `/me`), stored for the rest of this
    /// sign-in. None for app-only credentials, without a sign-in, or when `read` finds
    /// nothing (then it is asked again next time).
    pub async fn mailbox_address(
        &self,
        read: impl AsyncFnOnce() -> Option<String>,
    ) -> Option<String> {
        self.kept(
            read,
            |t| t.mail.clone(),
            |t, v| t.mail = Some(v),
            "mailbox address",
        )
        .await
    }

    /// The mailbox's settings kept with the sign-in, as [`Self::mailbox_address`] keeps the
    /// address (the caller asks Graph's `mailboxSettings`).
    pub async fn mailbox_settings(
        &self,
        read: impl AsyncFnOnce() -> Option<MailboxSettings>,
    ) -> Option<MailboxSettings> {
        self.kept(
            read,
            |t| t.mailbox_settings.clone(),
            |t, v| t.mailbox_settings = Some(v),
            "mailbox settings",
        )
        .await
    }

    /// A fact about the account kept with the sign-in: the stored one (`get`), else what
    /// `read` finds, written onto the entry under the lock (`set`) as it is then, and only
    /// if it is still the same account's (a refresh may have replaced the entry).
    async fn kept<T: Clone>(
        &self,
        read: impl AsyncFnOnce() -> Option<T>,
        get: impl Fn(&StoredToken) -> Option<T>,
        set: impl Fn(&mut StoredToken, T),
        what: &str,
    ) -> Option<T> {
        if self.is_app_only() {
            return None;
        }
        let stored = match self.ctx.cached() {
            Some(t) => Some(t),
            None => self.ctx.load().await.ok().flatten(),
        }?;
        if let Some(v) = get(&stored) {
            return Some(v);
        }
        let v = read().await?;
        if let Ok(_only_us) = self.ctx.lock_store().await
            && let Ok(Some(mut now)) = self.ctx.load().await
            && now.account == stored.account
        {
            set(&mut now, v.clone());
            if let Err(e) = self.ctx.persist(now).await {
                tracing::warn!("the {what} could not be kept with the sign-in: {e}");
            }
        }
        Some(v)
    }

    /// The mailbox's settings as the sign-in keeps them, without asking anyone (doctor).
    pub fn stored_mailbox_settings(&self) -> Option<MailboxSettings> {
        if self.is_app_only() {
            return None;
        }
        match self.ctx.store.inspect(&self.ctx.key) {
            Ok(Ok(Some(t))) => t.mailbox_settings,
            _ => None,
        }
    }

    /// What `logout` would remove, so that it can be said before it is done.
    pub fn stored(&self) -> Result<Stored, AuthError> {
        if self.is_app_only() {
            return Ok(Stored::Nothing);
        }
        Ok(match self.ctx.store.inspect(&self.ctx.key)? {
            Ok(Some(t)) => Stored::SignedIn(self.ctx.status_of(&t)),
            Ok(None) => Stored::Nothing,
            Err(what) => Stored::Unreadable(what.to_string()),
        })
    }

    /// Removes the stored sign-in (and any cached app-only token); a store that cannot be
    /// read is removed whole, or nothing could ever repair it. True if something was
    /// removed.
    pub fn logout(&self) -> Result<bool, AuthError> {
        self.ctx.set_cached(None);
        let app_cached = match self.ctx.app_token.try_lock() {
            Ok(mut t) => t.take().is_some(),
            Err(_) => false,
        };
        // Not halfway through another tmeet's refresh, which would store the entry again.
        let _only_us = self.ctx.store.lock()?;
        let removed = match self.ctx.store.inspect(&self.ctx.key)? {
            Err(unreadable) => {
                self.ctx.store.remove_unreadable(&unreadable)?;
                true
            }
            Ok(_) => self.ctx.store.remove(&self.ctx.key)?,
        };
        Ok(removed || app_cached)
    }

    /// Account, tenant, cloud, scopes and expiry of the stored sign-in, never a token.
    /// App-only: what is configured (nothing is stored between runs).
    pub fn status(&self) -> Result<Option<AccountStatus>, AuthError> {
        if self.is_app_only() {
            let expires = self
                .ctx
                .app_token
                .try_lock()
                .ok()
                .and_then(|t| t.as_ref().map(|t| t.expires_at));
            return Ok(Some(self.app_status(expires)));
        }
        let token = match self.ctx.cached() {
            Some(t) => Some(t),
            None => self.ctx.store.load(&self.ctx.key)?,
        };
        Ok(token.map(|t| self.ctx.status_of(&t)))
    }

    /// Keeps the service's code of a refusal (`AADSTS53003`) beside the token store, for
    /// `tmeet doctor`; nothing for other errors, nor in memory (`--demo`).
    pub fn record_refusal(&self, e: &AuthError) {
        let (Some(code), Some(dir)) = (e.service_code(), self.refusal_file()) else {
            return;
        };
        let line = format!("AADSTS{code} {}\n", Utc::now().format("%Y-%m-%dT%H:%M:%SZ"));
        // Beside the token file, in its private directory (made 0700 if it is not there yet:
        // a refusal usually comes before any sign-in was stored).
        if let Some(parent) = dir.parent().filter(|p| !p.is_dir())
            && super::token_store::create_private_dir(parent).is_err()
        {
            return;
        }
        if let Err(err) = std::fs::write(&dir, line) {
            tracing::info!("the last refusal could not be kept: {err}");
        }
    }

    /// The last refusal kept by [`Self::record_refusal`]: the code and when (UTC).
    pub fn last_refusal(&self) -> Option<(String, String)> {
        let text = std::fs::read_to_string(self.refusal_file()?).ok()?;
        let mut parts = text.split_whitespace();
        let code = parts.next()?.to_string();
        let when = parts.next().unwrap_or("").to_string();
        code.starts_with("AADSTS")
            .then_some((crate::sanitize::line(&code), crate::sanitize::line(&when)))
    }

    /// A sign-in went through: the last refusal is history.
    pub fn forget_refusal(&self) {
        if let Some(f) = self.refusal_file() {
            let _ = std::fs::remove_file(f);
        }
    }

    fn refusal_file(&self) -> Option<PathBuf> {
        Some(self.token_file()?.with_file_name("last-refusal"))
    }

    /// Warnings from the token store not yet shown (permissions repaired, keyring
    /// unusable); each is given once.
    pub fn take_warnings(&self) -> Vec<String> {
        self.ctx.store.take_warnings()
    }

    /// Where the sign-in is kept, in words ("the system keyring", a file path, memory).
    pub fn store_description(&self) -> String {
        self.ctx.store.describe()
    }

    /// The token file when the file is (or may become) the store; `None` in memory.
    pub fn token_file(&self) -> Option<PathBuf> {
        self.ctx.store.file_path()
    }

    pub fn tenant(&self) -> &str {
        &self.ctx.authority.tenant
    }

    pub fn client_id(&self) -> &str {
        &self.ctx.authority.client_id
    }

    pub fn cloud(&self) -> Cloud {
        self.ctx.cloud
    }

    fn app_status(&self, expires_at: Option<DateTime<Utc>>) -> AccountStatus {
        AccountStatus {
            account: None,
            tenant: self.ctx.authority.tenant.clone(),
            cloud: self.ctx.cloud,
            scopes: vec![self.ctx.app_scope()],
            expires_at,
            app_only: true,
        }
    }

    fn not_signed_in(&self) -> AuthError {
        AuthError::SignInRequired(format!(
            "not signed in to tenant {} on the {} cloud with client id {}",
            self.ctx.authority.tenant, self.ctx.cloud, self.ctx.authority.client_id
        ))
    }
}
