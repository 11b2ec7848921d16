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
    AsyncHttpClient, AuthType, AuthUrl, ClientId, ClientSecret, DeviceAuthorizationUrl,
    EndpointNotSet, EndpointSet, ErrorResponseType, ExtraDeviceAuthorizationFields,
    ExtraTokenFields, HttpClientError, HttpRequest, HttpResponse, RedirectUrl, RequestTokenError,
    StandardErrorResponse, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
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

/// The client of the browser sign-in: authorize and token endpoints, a redirect URI.
pub(crate) type MsCodeClient = oauth2::Client<
    BasicErrorResponse,
    MsTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
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

impl Authority {
    /// The browser sign-in's client, sending `redirect_uri` (`http://localhost:PORT`).
    pub(super) fn code_client(&self, redirect_uri: &str) -> Result<MsCodeClient, AuthError> {
        let redirect = RedirectUrl::new(redirect_uri.to_string())
            .map_err(|e| AuthError::Incomplete(format!("bad redirect address: {e}")))?;
        Ok(oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri(AuthUrl::from_url(self.endpoint("authorize")))
            .set_token_uri(TokenUrl::from_url(self.endpoint("token")))
            .set_redirect_uri(redirect))
    }

    /// Where an administrator grants `permissions` to this app for the whole organization
    /// (v2 admin consent, GRAPH-NEXT.md §1.5: never `common`).
    pub(crate) fn admin_consent_url(&self, graph_resource: &str, permissions: &[String]) -> Url {
        let tenant = if self.tenant.eq_ignore_ascii_case("common") {
            "organizations"
        } else {
            &self.tenant
        };
        let mut url = cloud::join(&self.login_url, &[tenant, "v2.0", "adminconsent"]);
        let scope = permissions
            .iter()
            .map(|p| format!("{graph_resource}/{p}"))
            .collect::<Vec<_>>()
            .join(" ");
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", &scope)
            .append_pair("redirect_uri", "http://localhost");
        url
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
    /// The browser came back with `error=` (GRAPH-NEXT.md §1.1).
    Authorize,
    /// Redeeming the browser's code at the token endpoint.
    AuthCode,
    Refresh,
    ClientCredentials,
}

impl Flow {
    fn is_device_code(self) -> bool {
        matches!(self, Flow::DeviceCodeStart | Flow::DeviceCodePoll)
    }

    fn is_browser(self) -> bool {
        matches!(self, Flow::Authorize | Flow::AuthCode)
    }
}

pub(crate) fn map_error<T>(
    flow: Flow,
    err: TokenError<StandardErrorResponse<T>>,
    http: &Http,
    authority: &Authority,
    asked: &[String],
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
            asked,
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
    let first = match first.find(" Trace ID:") {
        Some(i) => &first[..i],
        None => first,
    };
    let text = sanitize::line(first.trim());
    const MAX: usize = 300;
    Some(match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    })
}

/// The `AADSTS` number in a description: Microsoft advises matching on it, not on text.
pub(crate) fn aadsts(description: &str) -> Option<u32> {
    let at = description.find("AADSTS")? + "AADSTS".len();
    let digits: String = description[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub(crate) const PUBLIC_CLIENT_HELP: &str = "the app registration does not allow public client flows: in the Microsoft Entra admin center open App registrations, pick the app, go to Authentication, set \"Allow public client flows\" to Yes and save, then run tmeet login again";

/// The Graph permissions among `asked`, by short name (`Calendars.ReadWrite`).
fn permissions(asked: &[String]) -> Vec<String> {
    const OIDC: [&str; 4] = ["offline_access", "openid", "profile", "email"];
    asked
        .iter()
        .filter(|s| !OIDC.iter().any(|o| s.eq_ignore_ascii_case(o)))
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .collect()
}

/// A refusal of the identity platform in words: what happened, what to do next, then the
/// service's own text (cleaned, one line). Codes are matched by number (GRAPH-NEXT.md
/// §1.6), then by `error`.
pub(crate) fn refused(
    flow: Flow,
    code: &str,
    description: Option<&str>,
    a: &Authority,
    asked: &[String],
) -> AuthError {
    let server = server_text(description);
    let number = description.and_then(aadsts);
    let with_server = |ours: String| match &server {
        Some(s) => format!("{ours} (the service said: {s})"),
        None => ours,
    };
    let refused = |ours: String| AuthError::Refused {
        code: sanitize::line(code),
        description: with_server(ours),
    };
    let sign_in_again = |ours: String| AuthError::SignInRequired(with_server(ours));
    let graph = graph_resource_of(asked);
    match (number, code) {
        (Some(50194), _) => refused(format!(
            "application {} is registered for one organization only (\"Accounts in this organizational directory only\"), so the tenant '{}' cannot be used: set --tenant to your Directory (tenant) ID (Microsoft Entra admin center > Overview) or your domain, or run tmeet setup",
            a.client_id, a.tenant
        )),
        (Some(53003), _) if flow.is_device_code() => refused(
            "your organization's Conditional Access blocks signing in with a device code: sign in through the browser instead with tmeet login --browser (over SSH, open the printed address on your own machine and paste back the address it ends on)".into(),
        ),
        (Some(530033), _) if flow.is_device_code() => refused(
            "device-based Conditional Access blocks signing in with a device code: sign in through the browser on a device your organization manages, with tmeet login --browser".into(),
        ),
        (Some(50097), _) => refused(
            "your organization requires a managed (registered) device for this sign-in: sign in through the browser on such a device with tmeet login --browser".into(),
        ),
        (Some(53003 | 530033 | 530032), _) if flow == Flow::Refresh => sign_in_again(
            "Conditional Access now blocks the stored sign-in (sign-ins that began with a device code stay blocked when the device-code flow is): sign in again through the browser with tmeet login --browser".into(),
        ),
        (Some(53003 | 530032), _) if flow.is_browser() => refused(
            "your organization's Conditional Access blocked this browser sign-in (a device, location or app rule): try tmeet login --device-code, or ask your administrator which policy applies".into(),
        ),
        (Some(53003 | 530032 | 530033), _) => refused(
            "your organization's Conditional Access blocked this sign-in: try the other way to sign in (tmeet login --browser or --device-code), or ask your administrator which policy applies".into(),
        ),
        (Some(90095), _) => refused(
            "an administrator must approve tmeet before you can use it, and your request has been sent to them: run tmeet login again once they have approved".into(),
        ),
        (Some(90094), _) | (Some(65001), _) if flow != Flow::Refresh => {
            let needed = permissions(asked);
            refused(format!(
                "an administrator of your organization must approve the permission{} {} for application {}: send them this address to grant it for everyone: {} ; then run tmeet login again",
                if needed.len() == 1 { "" } else { "s" },
                needed.join(", "),
                a.client_id,
                a.admin_consent_url(&graph, &needed)
            ))
        }
        (Some(65004), _) | (None, "access_denied") if flow.is_browser() => refused(
            "the sign-in was cancelled in the browser (the permissions were not accepted); run tmeet login to try again".into(),
        ),
        (Some(50020), _) => refused(format!(
            "the account you signed in with does not belong to tenant '{}' (a personal account, or a guest from another organization): sign in with your work or school account of that organization, or set --tenant to your account's own directory",
            a.tenant
        )),
        (Some(700016), _) => refused(format!(
            "application {} was not found in tenant {} on {}: check --client-id, --tenant and --cloud (tmeet setup checks them)",
            a.client_id,
            a.tenant,
            a.login_host()
        )),
        (Some(7000218), _) => refused(PUBLIC_CLIENT_HELP.into()),
        (Some(50011), _) => refused(
            "the app registration lacks the redirect URI http://localhost under \"Mobile and desktop applications\" (Authentication > Add a platform): add it, or sign in with tmeet login --device-code".into(),
        ),
        (Some(9002327), _) => refused(
            "http://localhost is registered as a Single-page application redirect: register it under \"Mobile and desktop applications\" instead (Authentication), then run tmeet login again".into(),
        ),
        (Some(54005), _) => refused(
            "this sign-in's code was already used: run tmeet login again".into(),
        ),
        (Some(501481), _) => refused(
            "the answer does not belong to this sign-in (its PKCE verifier does not match): run tmeet login again".into(),
        ),
        (Some(700082), _) if flow == Flow::Refresh => sign_in_again(
            "the stored sign-in was not used for 90 days and has expired".into(),
        ),
        (Some(50076 | 50079), _) | (_, "interaction_required") if flow == Flow::Refresh => {
            sign_in_again(
                "the service asks for an interactive sign-in (multi-factor authentication, or registering for it); the permissions granted so far are kept".into(),
            )
        }
        (Some(50076 | 50079), _) | (_, "interaction_required") => refused(
            "the service asks for an interactive sign-in (multi-factor authentication, or registering for it): run tmeet login --browser, which keeps the permissions asked for".into(),
        ),
        (_, "authorization_declined" | "access_denied") => refused(
            "the sign-in was declined in the browser; run tmeet login to try again".into(),
        ),
        (_, "expired_token") => refused(
            "the code expired before the sign-in was completed; run tmeet login to get a new code"
                .into(),
        ),
        (_, "bad_verification_code") => refused(
            "the service did not recognize the device code; start again with tmeet login".into(),
        ),
        (_, "invalid_client") if flow == Flow::ClientCredentials => refused(format!(
            "the client secret was not accepted for application {}: check TMEET_CLIENT_SECRET or --client-secret-file (secrets expire; create a new one under Certificates & secrets)",
            a.client_id
        )),
        (_, "invalid_grant") if flow == Flow::Refresh => sign_in_again(
            "the stored sign-in is no longer accepted (it expired or was revoked)".into(),
        ),
        (Some(90002 | 90023), "invalid_request") => refused(format!(
            "tenant '{}' was not found on {}: check --tenant and --cloud",
            a.tenant,
            a.login_host()
        )),
        (_, "invalid_scope") if flow == Flow::ClientCredentials => refused(
            "the scope was refused: app-only sign-in asks for Graph's .default scope, which needs the application permission OnlineMeetings.ReadWrite.All with admin consent".into(),
        ),
        (_, "temporarily_unavailable") => AuthError::Network(with_server(format!(
            "{} is temporarily unavailable; try again in a minute",
            a.login_host()
        ))),
        _ => {
            let what = match flow {
                Flow::DeviceCodeStart => "the service would not start a device-code sign-in",
                Flow::DeviceCodePoll | Flow::Authorize | Flow::AuthCode => "the sign-in failed",
                Flow::Refresh => "the token could not be refreshed",
                Flow::ClientCredentials => "the app-only credentials were refused",
            };
            refused(what.into())
        }
    }
}

/// The Graph resource (`https://graph.microsoft.com`) the asked scopes name.
fn graph_resource_of(asked: &[String]) -> String {
    asked
        .iter()
        .find_map(|s| {
            let rest = s.strip_prefix("https://")?;
            Some(format!("https://{}", rest.split('/').next()?))
        })
        .unwrap_or_else(|| "https://graph.microsoft.com".into())
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
            &[],
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
                &[],
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

    /// Each code the service gives in a person's first week, in words with the next step
    /// (the ones the emulator also gives are tested end to end in tests/auth_refusals.rs).
    #[test]
    fn every_first_week_refusal_says_what_to_do() {
        let asked = vec![
            "https://graph.microsoft.com/OnlineMeetings.ReadWrite".to_string(),
            "https://graph.microsoft.com/Place.Read.All".to_string(),
            "offline_access".to_string(),
        ];
        let cases: &[(Flow, &str, &str, &[&str])] = &[
            (
                Flow::AuthCode,
                "invalid_request",
                "AADSTS50020: User account 'a@b.com' from identity provider 'live.com' does not exist in tenant 'Contoso'.",
                &[
                    "does not belong to tenant 'organizations'",
                    "work or school account",
                ],
            ),
            (
                Flow::DeviceCodeStart,
                "unauthorized_client",
                "AADSTS700016: Application with identifier 'cid' was not found in the directory 'Contoso'.",
                &[
                    "was not found in tenant organizations",
                    "--client-id",
                    "tmeet setup",
                ],
            ),
            (
                Flow::DeviceCodePoll,
                "invalid_client",
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                &["Allow public client flows"],
            ),
            (
                Flow::Refresh,
                "invalid_grant",
                "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-01-01 and was inactive for 90.00:00:00.",
                &["not used for 90 days", "tmeet login"],
            ),
            (
                Flow::Refresh,
                "interaction_required",
                "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.",
                &["interactive sign-in", "tmeet login", "kept"],
            ),
            (
                Flow::Refresh,
                "invalid_grant",
                "AADSTS50079: Due to a configuration change made by your administrator, you must enroll in multi-factor authentication.",
                &["interactive sign-in", "registering"],
            ),
            (
                Flow::DeviceCodePoll,
                "interaction_required",
                "AADSTS50076: you must use multi-factor authentication.",
                &["tmeet login --browser", "keeps the permissions"],
            ),
            (
                Flow::Refresh,
                "invalid_grant",
                "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
                &["no longer accepted", "tmeet login"],
            ),
            (
                Flow::AuthCode,
                "invalid_grant",
                "AADSTS90095: Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.",
                &["request has been sent"],
            ),
            (
                Flow::DeviceCodePoll,
                "invalid_grant",
                "AADSTS65001: The user or administrator hasn't consented to use the application with ID 'cid'.",
                &[
                    "administrator",
                    "OnlineMeetings.ReadWrite, Place.Read.All",
                    "/organizations/v2.0/adminconsent?client_id=cid",
                ],
            ),
            (
                Flow::Authorize,
                "access_denied",
                "AADSTS90094: Administrator consent is required.",
                &["administrator", "Place.Read.All"],
            ),
            (
                Flow::DeviceCodePoll,
                "invalid_grant",
                "AADSTS50097: Device authentication is required.",
                &["managed (registered) device", "--browser"],
            ),
            (
                Flow::Authorize,
                "access_denied",
                "AADSTS53003: Access has been blocked by Conditional Access policies.",
                &["blocked this browser sign-in", "--device-code"],
            ),
            (
                Flow::DeviceCodePoll,
                "invalid_grant",
                "AADSTS530032: Blocked by security policy.",
                &["Conditional Access", "--browser"],
            ),
            (
                Flow::Refresh,
                "invalid_grant",
                "AADSTS53003: Access has been blocked by Conditional Access policies.",
                &["began with a device code", "--browser"],
            ),
            (
                Flow::AuthCode,
                "invalid_client",
                "AADSTS50011: The redirect URI 'http://localhost:1' specified in the request does not match.",
                &["Mobile and desktop applications", "http://localhost"],
            ),
            (
                Flow::AuthCode,
                "invalid_request",
                "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
                &["Single-page application", "Mobile and desktop"],
            ),
        ];
        for (flow, code, description, words) in cases {
            let e = refused(*flow, code, Some(description), &authority(), &asked);
            let text = e.to_string();
            for w in *words {
                assert!(
                    text.contains(w),
                    "{flow:?} {description}: missing {w:?} in {text}"
                );
            }
            let number = aadsts(description).unwrap();
            let advice_end = text.find("(the service said: ").unwrap();
            assert!(
                text[advice_end..].contains(&format!("AADSTS{number}")),
                "{text}"
            );
            assert_eq!(e.service_code(), Some(number));
            if *flow == Flow::Refresh {
                assert!(matches!(e, AuthError::SignInRequired(_)), "{e:?}");
            }
        }
    }
}
