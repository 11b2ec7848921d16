//! The `oauth2` crate set up for the Microsoft identity platform (GRAPH.md §7): the client
//! type with Microsoft's extra fields, the process's one HTTP client behind an observer
//! (device-code polling reports each answer), and the translation of token-endpoint errors
//! into messages that say what to do next.

use super::AuthError;
use crate::cloud;
use crate::sanitize;
use crate::secret::Secret;
use base64::Engine;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AsyncHttpClient, AuthType, ClientId, ClientSecret, DeviceAuthorizationUrl, EndpointNotSet,
    EndpointSet, ErrorResponseType, ExtraDeviceAuthorizationFields, ExtraTokenFields,
    HttpClientError, HttpRequest, HttpResponse, RequestTokenError, StandardErrorResponse,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use tokio::sync::Notify;
use url::Url;

/// Token responses carry an `id_token` when `openid` was asked for; only its claims are
/// used (account name, tenant), and the token itself is never kept.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct MsTokenFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
}
impl ExtraTokenFields for MsTokenFields {}

/// Microsoft's devicecode answer adds `message`, the sentence to show (GRAPH.md §7).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct MsDeviceFields {
    #[serde(default)]
    pub message: Option<String>,
}
impl ExtraDeviceAuthorizationFields for MsDeviceFields {}

pub(crate) type MsTokenResponse = StandardTokenResponse<MsTokenFields, BasicTokenType>;

pub(crate) type MsClient = oauth2::Client<
    BasicErrorResponse,
    MsTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

pub(crate) type TokenError<TE> = RequestTokenError<HttpClientError<reqwest::Error>, TE>;

/// What an error message needs to name: the app, the tenant, the login host.
#[derive(Debug, Clone)]
pub(crate) struct Authority {
    pub login_url: Url,
    pub tenant: String,
    pub client_id: String,
}

impl Authority {
    fn endpoint(&self, name: &str) -> Url {
        cloud::join(&self.login_url, &[&self.tenant, "oauth2", "v2.0", name])
    }

    pub(super) fn login_host(&self) -> String {
        let host = self.login_url.host_str().unwrap_or("");
        match self.login_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// The client the flows run on. Microsoft takes the secret in the form body.
    pub(super) fn client(&self, secret: Option<&Secret>) -> MsClient {
        let client = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(TokenUrl::from_url(self.endpoint("token")))
            .set_device_authorization_url(DeviceAuthorizationUrl::from_url(
                self.endpoint("devicecode"),
            ));
        match secret {
            Some(s) => client.set_client_secret(ClientSecret::new(s.expose().to_string())),
            None => client,
        }
    }
}

/// How many transport failures in a row end device-code polling: the `oauth2` crate itself
/// would back off and keep trying until the code expires, a quarter of an hour of silence.
const MAX_POLL_FAILURES: u32 = 3;

#[derive(Default)]
struct Observation {
    status: Option<u16>,
    error_code: Option<String>,
    failures: u32,
    failure: Option<String>,
}

/// The shared `reqwest::Client`, remembering what the last answer was.
pub(crate) struct Http {
    client: reqwest::Client,
    seen: Mutex<Observation>,
    gave_up: Notify,
}

impl Http {
    pub(super) fn new(client: reqwest::Client) -> Self {
        Self {
            client,
            seen: Mutex::new(Observation::default()),
            gave_up: Notify::new(),
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Observation> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The `error` code of the last non-200 answer, if it had one.
    pub(super) fn last_error_code(&self) -> Option<String> {
        self.seen().error_code.clone()
    }

    fn last_status(&self) -> Option<u16> {
        self.seen().status
    }

    /// Resolves after [`MAX_POLL_FAILURES`] transport failures in a row, with the last one.
    pub(super) async fn given_up(&self) -> String {
        self.gave_up.notified().await;
        self.seen()
            .failure
            .clone()
            .unwrap_or_else(|| "no answer".into())
    }

    fn observe(&self, result: &Result<HttpResponse, HttpClientError<reqwest::Error>>) {
        let mut seen = self.seen();
        match result {
            Ok(response) => {
                seen.failures = 0;
                seen.status = Some(response.status().as_u16());
                seen.error_code = if response.status().is_success() {
                    None
                } else {
                    #[derive(Deserialize)]
                    struct ErrorCode {
                        error: String,
                    }
                    serde_json::from_slice::<ErrorCode>(response.body())
                        .ok()
                        .map(|e| e.error)
                };
            }
            Err(e) => {
                seen.status = None;
                seen.error_code = None;
                seen.failures += 1;
                seen.failure = Some(error_chain(e));
                if seen.failures >= MAX_POLL_FAILURES {
                    self.gave_up.notify_one();
                }
            }
        }
    }
}

impl<'c> AsyncHttpClient<'c> for Http {
    type Error = HttpClientError<reqwest::Error>;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let result = self.client.call(request).await;
            self.observe(&result);
            result
        })
    }
}

/// "error sending request …: client error (Connect): tcp connect error: Connection refused":
/// the useful part of a transport error is at the end of its chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    // The outermost layer of oauth2's error only says "client error".
    if parts.len() > 1 && parts[0] == "client error" {
        parts.remove(0);
    }
    sanitize::line(&parts.join(": "))
}

/// Which request failed: the same `error` code calls for different advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    DeviceCodeStart,
    DeviceCodePoll,
    Refresh,
    ClientCredentials,
}

pub(crate) fn map_error<T>(
    flow: Flow,
    err: TokenError<StandardErrorResponse<T>>,
    http: &Http,
    authority: &Authority,
) -> AuthError
where
    T: ErrorResponseType + AsRef<str> + std::fmt::Display + 'static,
{
    match err {
        RequestTokenError::ServerResponse(resp) => refused(
            flow,
            resp.error().as_ref(),
            resp.error_description().map(String::as_str),
            authority,
        ),
        RequestTokenError::Request(e) => AuthError::Network(format!(
            "{}: {}; check the network and the --cloud / --login-url settings",
            authority.login_host(),
            error_chain(&e)
        )),
        // The body of an unparsable answer is never shown: it may be a token response of
        // an unexpected shape.
        RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
            let status = http
                .last_status()
                .map(|s| format!(" (HTTP {s})"))
                .unwrap_or_default();
            AuthError::Network(format!(
                "{} did not answer like a Microsoft identity platform token endpoint{status}; check --login-url and --cloud",
                authority.login_host()
            ))
        }
    }
}

/// The first line of an `error_description` ("AADSTS70016: …"), without trace ids and
/// timestamps, and without control characters.
fn server_text(description: Option<&str>) -> Option<String> {
    let first = description?.lines().find(|l| !l.trim().is_empty())?;
    let text = sanitize::line(first.trim());
    const MAX: usize = 300;
    Some(match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    })
}

pub(crate) const PUBLIC_CLIENT_HELP: &str = "the app registration does not allow public client flows: in the Microsoft Entra admin center open App registrations, pick the app, go to Authentication, set \"Allow public client flows\" to Yes and save, then run tmeet login again";

fn refused(flow: Flow, code: &str, description: Option<&str>, a: &Authority) -> AuthError {
    let server = server_text(description);
    let has = |aadsts: &str| description.is_some_and(|d| d.contains(aadsts));
    let with_server = |ours: String| match &server {
        Some(s) => format!("{ours} (the service said: {s})"),
        None => ours,
    };
    let refused = |ours: String| AuthError::Refused {
        code: sanitize::line(code),
        description: with_server(ours),
    };
    match code {
        "authorization_declined" | "access_denied" => refused(
            "the sign-in was declined in the browser; run tmeet login to try again".into(),
        ),
        "expired_token" => refused(
            "the code expired before the sign-in was completed; run tmeet login to get a new code"
                .into(),
        ),
        "bad_verification_code" => refused(
            "the service did not recognize the device code; start again with tmeet login".into(),
        ),
        "invalid_client" if has("AADSTS7000218") => refused(PUBLIC_CLIENT_HELP.into()),
        "invalid_client" if flow == Flow::ClientCredentials => refused(format!(
            "the client secret was not accepted for application {}: check TMEET_CLIENT_SECRET or --client-secret-file (secrets expire; create a new one under Certificates & secrets)",
            a.client_id
        )),
        "invalid_client" | "unauthorized_client" if has("AADSTS700016") => refused(format!(
            "application {} was not found in tenant {} on {}: check --client-id, --tenant and --cloud",
            a.client_id,
            a.tenant,
            a.login_host()
        )),
        "invalid_grant" | "interaction_required" if flow == Flow::Refresh => {
            AuthError::SignInRequired(with_server(
                "the stored sign-in is no longer accepted (it expired or was revoked)".into(),
            ))
        }
        "invalid_grant" | "consent_required" if has("AADSTS65001") => refused(
            "the app has not been granted OnlineMeetings.ReadWrite: consent when signing in, or ask an administrator to grant it".into(),
        ),
        "invalid_request" if has("AADSTS90002") || has("AADSTS90023") => refused(format!(
            "tenant '{}' was not found on {}: check --tenant and --cloud",
            a.tenant,
            a.login_host()
        )),
        "invalid_scope" if flow == Flow::ClientCredentials => refused(
            "the scope was refused: app-only sign-in asks for Graph's .default scope, which needs the application permission OnlineMeetings.ReadWrite.All with admin consent".into(),
        ),
        "temporarily_unavailable" => AuthError::Network(with_server(format!(
            "{} is temporarily unavailable; try again in a minute",
            a.login_host()
        ))),
        _ => {
            let what = match flow {
                Flow::DeviceCodeStart => "the service would not start a device-code sign-in",
                Flow::DeviceCodePoll => "the sign-in failed",
                Flow::Refresh => "the token could not be refreshed",
                Flow::ClientCredentials => "the app-only credentials were refused",
            };
            refused(what.into())
        }
    }
}

/// The few id_token claims worth showing. The signature is not checked: the token came
/// straight from the token endpoint over TLS, and nothing is authorized on these values.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdClaims {
    pub preferred_username: Option<String>,
    pub upn: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub tid: Option<String>,
}

impl IdClaims {
    pub(super) fn account(&self) -> Option<String> {
        self.preferred_username
            .as_ref()
            .or(self.upn.as_ref())
            .or(self.email.as_ref())
            .or(self.name.as_ref())
            .map(|s| sanitize::line(s))
    }
}

pub(crate) fn id_claims(response: &MsTokenResponse) -> IdClaims {
    let Some(jwt) = &response.extra_fields().id_token else {
        return IdClaims::default();
    };
    let Some(payload) = jwt.expose().split('.').nth(1) else {
        return IdClaims::default();
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Granted scopes as the service listed them, or what was asked for when it did not say.
pub(crate) fn granted_scopes(response: &MsTokenResponse, asked: &[String]) -> Vec<String> {
    match response.scopes() {
        Some(s) if !s.is_empty() => s.iter().map(|s| sanitize::line(s)).collect(),
        _ => asked.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> Authority {
        Authority {
            login_url: Url::parse("http://127.0.0.1:9/").unwrap(),
            tenant: "organizations".into(),
            client_id: "cid".into(),
        }
    }

    #[test]
    fn endpoints_follow_the_authority() {
        let a = authority();
        assert_eq!(
            a.endpoint("devicecode").as_str(),
            "http://127.0.0.1:9/organizations/oauth2/v2.0/devicecode"
        );
        assert_eq!(a.login_host(), "127.0.0.1:9");
    }

    #[test]
    fn public_client_flows_are_explained() {
        let e = refused(
            Flow::DeviceCodePoll,
            "invalid_client",
            Some(
                "AADSTS7000218: The request body must contain … client_assertion or client_secret.\r\nTrace ID: x",
            ),
            &authority(),
        );
        let text = e.to_string();
        assert!(text.contains("Allow public client flows"), "{text}");
        assert!(
            text.contains("AADSTS7000218") && !text.contains("Trace ID"),
            "{text}"
        );
    }

    #[test]
    fn refresh_refusals_lead_to_sign_in() {
        for code in ["invalid_grant", "interaction_required"] {
            let e = refused(
                Flow::Refresh,
                code,
                Some("AADSTS70008: expired"),
                &authority(),
            );
            assert!(matches!(e, AuthError::SignInRequired(_)), "{e:?}");
            assert!(e.to_string().contains("tmeet login"));
        }
    }

    #[test]
    fn server_text_is_one_clean_line() {
        let t = server_text(Some("AADSTS1: bad \u{1b}]0;title\u{7}thing\r\nTrace ID: 1")).unwrap();
        assert!(!t.contains('\u{1b}') && !t.contains("Trace"), "{t:?}");
    }
}
