//! Device code sign-in (GRAPH.md §7, RFC 8628): ask for a code, show the service's message,
//! poll the token endpoint at the interval it gave (5 s more after each `slow_down`),
//! keep the tokens.

use super::context::FlowContext;
use super::oauth::{self, Flow, Http, MsDeviceFields};
use super::{AccountStatus, AuthError};
use crate::sanitize;
use oauth2::{DeviceAuthorizationResponse, RequestTokenError, Scope};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// `temporarily_unavailable` answers tolerated while polling, and the wait after each.
const MAX_BUSY_ANSWERS: u32 = 3;
const BUSY_WAIT: Duration = Duration::from_secs(1);

/// What the person needs to see. Everything here came from the server and is sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    /// The service's own sentence ("To sign in, use a web browser to open the page … and
    /// enter the code … to authenticate."), localized by the service.
    pub message: String,
    pub expires_in: Duration,
    pub interval: Duration,
}

/// Told before each wait between polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollEvent {
    /// The person has not finished signing in yet.
    Pending,
    /// The service asked to poll less often; `interval` is the new wait.
    SlowDown { interval: Duration },
}

/// A started sign-in: show [`prompt`](Self::prompt), then await [`complete`](Self::complete).
pub struct DeviceCodeSignIn {
    pub prompt: DeviceCodePrompt,
    details: DeviceAuthorizationResponse<MsDeviceFields>,
    ctx: Arc<FlowContext>,
}

impl fmt::Debug for DeviceCodeSignIn {
    // The device code is a credential until it expires: only the prompt is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeSignIn")
            .field("prompt", &self.prompt)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn start(ctx: Arc<FlowContext>) -> Result<DeviceCodeSignIn, AuthError> {
    let http = Http::new(ctx.http.clone());
    let scopes = ctx.delegated_scopes();
    let details: DeviceAuthorizationResponse<MsDeviceFields> = ctx
        .authority
        .client(None)
        .exchange_device_code()
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .add_extra_param("claims", ctx.claims_parameter())
        .request_async(&http)
        .await
        .map_err(|e| oauth::map_error(Flow::DeviceCodeStart, e, &http, &ctx.authority, &scopes))?;
    let user_code = sanitize::line(details.user_code().secret());
    let verification_uri = sanitize::line(details.verification_uri().as_str());
    let message = details
        .extra_fields()
        .message
        .as_deref()
        .map(sanitize::line)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| {
            format!(
                "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."
            )
        });
    Ok(DeviceCodeSignIn {
        prompt: DeviceCodePrompt {
            user_code,
            verification_uri,
            message,
            expires_in: details.expires_in(),
            interval: details.interval(),
        },
        details,
        ctx,
    })
}

impl DeviceCodeSignIn {
    /// Polls at the interval (+5 s per slow_down) until signed in; stores the tokens.
    /// Cancel by dropping the future.
    pub async fn complete(
        self,
        on_event: impl Fn(PollEvent) + Send + Sync,
    ) -> Result<AccountStatus, AuthError> {
        let ctx = self.ctx;
        let http = Http::new(ctx.http.clone());
        let client = ctx.authority.client(None);
        // oauth2 calls this with the interval it is about to wait; the answer that led
        // here is the last one the observer saw.
        let sleep = |interval: Duration| {
            match http.last_error_code().as_deref() {
                Some("slow_down") => on_event(PollEvent::SlowDown { interval }),
                Some("authorization_pending") => on_event(PollEvent::Pending),
                _ => {}
            }
            tokio::time::sleep(interval)
        };
        let mut busy_answers = 0;
        let response = loop {
            let poll = client
                .exchange_device_access_token(&self.details)
                .set_max_backoff_interval(Duration::from_secs(10))
                .request_async(&http, &sleep, None);
            let result = tokio::select! {
                r = poll => r,
                reason = http.given_up() => {
                    return Err(AuthError::Network(format!(
                        "{}: {reason}; the sign-in was abandoned: run tmeet login again once the network is back",
                        ctx.authority.login_host()
                    )));
                }
            };
            match result {
                // oauth2 ends polling on any error but pending and slow_down; a busy
                // service is worth a few more polls (GRAPH.md §7), the code stays valid.
                Err(RequestTokenError::ServerResponse(e))
                    if e.error().as_ref() == "temporarily_unavailable"
                        && busy_answers < MAX_BUSY_ANSWERS =>
                {
                    busy_answers += 1;
                    tokio::time::sleep(self.prompt.interval.max(BUSY_WAIT)).await;
                }
                r => {
                    break r.map_err(|e| {
                        oauth::map_error(
                            Flow::DeviceCodePoll,
                            e,
                            &http,
                            &ctx.authority,
                            &ctx.delegated_scopes(),
                        )
                    })?;
                }
            }
        };
        ctx.signed_in(&response, "with a device code").await
    }
}
