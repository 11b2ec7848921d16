//! The identity platform's v2.0 endpoints (GRAPH.md §7, GRAPH-NEXT.md §1): device code,
//! and token with the authorization-code (PKCE), device-code, refresh (rotating) and
//! client-credentials grants, refusing as the tenant's sign-in modes say
//! (`signin_modes.rs`). Tokens are minted in `tokens.rs`; the page where a person approves
//! a code is `devicelogin.rs`, the browser sign-in's `authorize.rs`.

use super::faults::Fault;
use super::signin_modes::DeviceCodeMode;
use super::state::{
    BAD_CLIENT_SECRET, DEFAULT_TENANT_ID, DEMO_USER_ID, DeviceCode, DeviceStatus, Shared,
    State as Store, User, is_guid, new_user_code, random_string,
};
use super::tokens::{Grant, OIDC_SCOPES, mint_app, permissions_of, user_token_response_for};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use base64::Engine;
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Polls closer together than `interval` minus this answer `slow_down`; the slack absorbs
/// scheduling jitter in a client that waits exactly `interval`.
const POLL_SLACK: Duration = Duration::from_millis(200);

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
}

/// An identity-platform error: HTTP status plus the body shape of GRAPH.md §7.
#[derive(Debug)]
pub(crate) struct OAuthError {
    status: StatusCode,
    pub error: &'static str,
    pub code: Option<u32>,
    pub description: String,
    /// e.g. `consent_required` beside `invalid_grant` (GRAPH-SCHEDULING.md §7).
    suberror: Option<&'static str>,
}

fn oauth(error: &'static str, code: u32, description: impl Into<String>) -> OAuthError {
    OAuthError {
        suberror: None,
        status: StatusCode::BAD_REQUEST,
        error,
        code: Some(code),
        description: description.into(),
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let trace_id = uuid::Uuid::new_v4().to_string();
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let timestamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
        let description = match self.code {
            Some(code) => format!(
                "AADSTS{code}: {} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
                self.description
            ),
            None => self.description,
        };
        let mut body = json!({
            "error": self.error,
            "error_description": description,
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
        });
        if let Some(sub) = self.suberror {
            body["suberror"] = json!(sub);
        }
        if let Some(code) = self.code {
            body["error_codes"] = json!([code]);
            body["error_uri"] = json!(format!(
                "https://login.microsoftonline.com/error?code={code}"
            ));
        }
        let mut resp = (self.status, json_body(&body)).into_response();
        identity_headers(resp.headers_mut(), &trace_id);
        resp
    }
}

fn json_body(v: &Value) -> ([(header::HeaderName, &'static str); 2], String) {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store, no-cache"),
        ],
        v.to_string(),
    )
}

fn identity_headers(h: &mut HeaderMap, request_id: &str) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-ms-request-id", v);
    }
}

fn ok_json(v: Value) -> Response {
    let mut resp = (StatusCode::OK, json_body(&v)).into_response();
    identity_headers(resp.headers_mut(), &uuid::Uuid::new_v4().to_string());
    resp
}

/// The form body, refused unless sent as `application/x-www-form-urlencoded` (the service
/// reads nothing from any other body, so the first required parameter is "missing").
fn read_form(headers: &HeaderMap, body: &Bytes) -> Result<HashMap<String, String>, OAuthError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(oauth(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'. \
             (Send it as Content-Type: application/x-www-form-urlencoded.)",
        ));
    }
    Ok(url::form_urlencoded::parse(body).into_owned().collect())
}

fn required<'a>(form: &'a HashMap<String, String>, name: &str) -> Result<&'a str, OAuthError> {
    form.get(name)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            oauth(
                "invalid_request",
                900144,
                format!("The request body must contain the following parameter: '{name}'."),
            )
        })
}

/// `{tenant}` → tenant id. Personal accounts (`consumers`) cannot use this API at all: an
/// app registered for work or school accounts is unknown in the Microsoft Accounts directory.
pub(crate) fn resolve_tenant(tenant: &str, client_id: &str) -> Result<String, OAuthError> {
    if tenant.eq_ignore_ascii_case("consumers") || tenant == "9188040d-6c67-4c5b-b112-36a304b66dad"
    {
        return Err(oauth(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory \
                 'Microsoft Accounts'. Online meetings need a work or school account: use \
                 the tenant 'organizations' or your tenant ID."
            ),
        ));
    }
    Ok(if is_guid(tenant) {
        tenant.to_ascii_lowercase()
    } else {
        DEFAULT_TENANT_ID.to_string()
    })
}

/// A single-tenant app (`audience=single`) on `organizations` or `common` (GRAPH-REAL.md
/// Q34): the service cannot tell which directory's app is meant.
pub(crate) fn single_tenant_refusal(
    shared: &Shared,
    tenant: &str,
    client_id: &str,
) -> Result<(), OAuthError> {
    if shared.lock().signin.single_tenant && !is_specific_tenant(tenant) {
        return Err(oauth(
            "invalid_request",
            50194,
            format!(
                "Application '{client_id}'(tmeet) is not configured as a multi-tenant application. Usage of the /{tenant} endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."
            ),
        ));
    }
    Ok(())
}

/// What a `claims` parameter (JSON, GRAPH-NEXT.md §1.4) says: whether the client declares
/// the `cp1` capability, and whether it carries the claims a challenge asked for (`nbf`).
pub(crate) fn claims_request(raw: Option<&str>) -> (bool, bool) {
    let Some(v) = raw.and_then(|r| serde_json::from_str::<Value>(r).ok()) else {
        return (false, false);
    };
    let at = &v["access_token"];
    let cp1 = at["xms_cc"]["values"]
        .as_array()
        .is_some_and(|vals| vals.iter().any(|x| x.as_str() == Some("cp1")));
    (cp1, at.get("nbf").is_some())
}

/// The device-code flow is blocked by Conditional Access (GRAPH-NEXT.md §1.7).
fn device_code_block(mode: DeviceCodeMode) -> Option<OAuthError> {
    match mode {
        DeviceCodeMode::Allowed => None,
        DeviceCodeMode::Blocked => Some(oauth(
            "invalid_grant",
            53003,
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        )),
        DeviceCodeMode::BlockedDevice => Some(oauth(
            "invalid_grant",
            530033,
            "Remote device flow blocked due to device based conditional access.",
        )),
    }
}

/// Permissions asked for that only an administrator may grant and that were not granted.
fn needs_admin(
    st: &Store,
    tenant_id: &str,
    user_id: &str,
    client_id: &str,
    scopes: &[String],
) -> Vec<String> {
    let consented = st.consents.get(&(
        tenant_id.to_string(),
        user_id.to_string(),
        client_id.to_string(),
    ));
    permissions_of(scopes)
        .into_iter()
        .filter(|p| st.signin.needs_admin(p))
        .filter(|p| !consented.is_some_and(|c| c.iter().any(|g| g.eq_ignore_ascii_case(p))))
        .collect()
}

fn admin_required(client_id: &str, missing: &[String]) -> OAuthError {
    oauth(
        "invalid_grant",
        90094,
        format!(
            "Administrator consent is required. The app '{client_id}' needs permission to access resources in your organization that only an admin can grant: {}.",
            missing.join(", ")
        ),
    )
}

/// Issues a delegated token and settles any claims challenge: a request carrying the claims
/// answers it; one without leaves the new token challenged as well.
fn issue_user_token(
    st: &mut Store,
    tenant_id: &str,
    user: User,
    client_id: &str,
    scopes: &[String],
    lifetime: Duration,
    grant: Grant,
) -> Value {
    let key = (
        tenant_id.to_string(),
        user.id.clone(),
        client_id.to_string(),
    );
    let body = user_token_response_for(st, tenant_id, user, client_id, scopes, lifetime, grant);
    if grant.answers_claims {
        st.claims_required.remove(&key);
    } else if st.claims_required.contains_key(&key)
        && let Some(t) = body["access_token"].as_str()
    {
        st.challenged.insert(t.to_string());
    }
    body
}

fn is_specific_tenant(tenant: &str) -> bool {
    !["common", "organizations", "consumers"]
        .iter()
        .any(|t| tenant.eq_ignore_ascii_case(t))
}

pub(crate) fn validate_scopes(scope: &str) -> Result<Vec<String>, OAuthError> {
    let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
    for s in &scopes {
        let ok = OIDC_SCOPES.contains(&s.as_str())
            || s.starts_with("https://") && s.len() > "https://x/".len()
            || !s.contains(['/', ':']) && s.contains('.');
        if !ok {
            return Err(oauth(
                "invalid_scope",
                70011,
                format!(
                    "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {s} is not valid."
                ),
            ));
        }
    }
    if scopes.iter().all(|s| OIDC_SCOPES.contains(&s.as_str())) {
        return Err(oauth(
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' is not valid: it names no resource. Ask for https://graph.microsoft.com/OnlineMeetings.ReadWrite.",
        ));
    }
    Ok(scopes)
}

async fn devicecode(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<super::Conn>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    conn.mark_api(&shared);
    let form = read_form(&headers, &body)?;
    let client_id = required(&form, "client_id")?;
    let tenant_id = resolve_tenant(&tenant, client_id)?;
    single_tenant_refusal(&shared, &tenant, client_id)?;
    let scopes = validate_scopes(required(&form, "scope")?)?;
    let (cp1, _) = claims_request(form.get("claims").map(String::as_str));
    let device_code = format!("DAQABAAEAAA{}", random_string(160));
    let user_code = new_user_code();
    let verification_uri = shared.base.join("devicelogin").expect("static path");
    shared.lock().device_codes.push(DeviceCode {
        device_code: device_code.clone(),
        user_code: user_code.clone(),
        client_id: client_id.to_string(),
        tenant_id,
        scopes,
        expires: Instant::now() + Duration::from_secs(shared.device_code_expires_secs),
        status: DeviceStatus::Pending,
        last_poll: None,
        cp1,
    });
    Ok(ok_json(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri.as_str(),
        "expires_in": shared.device_code_expires_secs,
        "interval": shared.interval_secs,
        "message": format!(
            "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."
        ),
    })))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<super::Conn>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    conn.mark_api(&shared);
    let form = read_form(&headers, &body);
    let grant_type = form
        .as_ref()
        .ok()
        .and_then(|f| f.get("grant_type").cloned())
        .unwrap_or_default();
    let fault = {
        let mut st = shared.lock();
        st.token_requests.push(grant_type.clone());
        match st.identity_faults.front() {
            Some(Fault::TokenUnavailable) => st.identity_faults.pop_front(),
            Some(Fault::SlowDown) if grant_type == DEVICE_CODE_GRANT => {
                st.identity_faults.pop_front()
            }
            _ => None,
        }
    };
    if let Some(f) = fault {
        tracing::info!(target: "tmeet_emulator", "fault {f} injected into POST /token");
    }
    if fault == Some(Fault::TokenUnavailable) {
        return Err(OAuthError {
            suberror: None,
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: "temporarily_unavailable",
            code: Some(50_196),
            description: "The server is temporarily too busy to handle the request. Please retry the request after a small delay.".into(),
        });
    }
    let form = form?;
    let client_id = match required(&form, "client_id") {
        Ok(id) => id.to_string(),
        Err(e) => basic_client_id(&headers).ok_or(e)?,
    };
    let tenant_id = resolve_tenant(&tenant, &client_id)?;
    let grant_type = required(&form, "grant_type")?;
    if grant_type != "client_credentials" {
        single_tenant_refusal(&shared, &tenant, &client_id)?;
    }
    match grant_type {
        "authorization_code" => authorization_code_grant(&shared, &form, &client_id, &tenant_id),
        DEVICE_CODE_GRANT => {
            device_code_grant(&shared, &form, &client_id, fault == Some(Fault::SlowDown))
        }
        "refresh_token" => refresh_grant(&shared, &form, &client_id),
        "client_credentials" => {
            client_credentials(&shared, &form, &headers, &client_id, &tenant, &tenant_id)
        }
        other => Err(oauth(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// `client_id` from HTTP Basic auth, which client credentials may use instead of the form.
fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    basic_auth(headers).map(|(id, _)| id)
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let b64 = v
        .strip_prefix("Basic ")
        .or_else(|| v.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (id, secret) = raw.split_once(':')?;
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((dec(id), dec(secret)))
}

fn device_code_grant(
    shared: &Shared,
    form: &HashMap<String, String>,
    client_id: &str,
    forced_slow_down: bool,
) -> Result<Response, OAuthError> {
    let code = required(form, "device_code")?;
    let now = Instant::now();
    let mut st = shared.lock();
    let device_code_mode = st.signin.device_code;
    let Some(dc) = st
        .device_codes
        .iter_mut()
        .find(|d| d.device_code == code && d.client_id == client_id)
    else {
        return Err(oauth(
            "bad_verification_code",
            70018,
            "Invalid verification code entered: the device_code is not one this tenant issued to this client. Start the sign-in again.",
        ));
    };
    if dc.status == DeviceStatus::Redeemed {
        return Err(oauth(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ));
    }
    if now >= dc.expires {
        return Err(oauth(
            "expired_token",
            70019,
            "Verification code expired. Start the sign-in again.",
        ));
    }
    let too_soon = dc.last_poll.is_some_and(|last| {
        now.duration_since(last) + POLL_SLACK < Duration::from_secs(shared.interval_secs)
    });
    dc.last_poll = Some(now);
    if forced_slow_down || too_soon {
        return Err(OAuthError {
            suberror: None,
            status: StatusCode::BAD_REQUEST,
            error: "slow_down",
            code: None,
            description:
                "The client is polling too quickly; add 5 seconds to the polling interval.".into(),
        });
    }
    if dc.status == DeviceStatus::Pending && shared.auto_approve {
        dc.status = DeviceStatus::Approved;
    }
    match dc.status {
        DeviceStatus::Pending => Err(oauth(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )),
        DeviceStatus::Declined => Err(oauth(
            "authorization_declined",
            70000,
            "The user declined the sign-in request.",
        )),
        DeviceStatus::Redeemed => unreachable!("handled above"),
        DeviceStatus::Approved => {
            // Conditional Access decides after the person signed in: the code was entered,
            // and no token comes of it.
            if let Some(block) = device_code_block(device_code_mode) {
                return Err(block);
            }
            let dc = dc.clone();
            let missing = needs_admin(&st, &dc.tenant_id, DEMO_USER_ID, &dc.client_id, &dc.scopes);
            if !missing.is_empty() {
                return Err(admin_required(&dc.client_id, &missing));
            }
            if let Some(d) = st
                .device_codes
                .iter_mut()
                .find(|d| d.device_code == dc.device_code)
            {
                d.status = DeviceStatus::Redeemed;
            }
            let user = st.modes.signing_in();
            let body = issue_user_token(
                &mut st,
                &dc.tenant_id,
                user,
                &dc.client_id,
                &dc.scopes,
                shared.token_lifetime,
                Grant {
                    via_device_code: true,
                    cp1: dc.cp1,
                    // An interactive sign-in is newer than any revocation: it answers the challenge.
                    answers_claims: true,
                },
            );
            Ok(ok_json(body))
        }
    }
}

/// How long an authorization code can be redeemed (the service: about ten minutes).
const AUTH_CODE_LIFETIME: Duration = Duration::from_secs(600);

fn authorization_code_grant(
    shared: &Shared,
    form: &HashMap<String, String>,
    client_id: &str,
    tenant_id: &str,
) -> Result<Response, OAuthError> {
    if form.get("client_secret").is_some_and(|s| !s.is_empty())
        || form.contains_key("client_assertion")
    {
        return Err(OAuthError {
            suberror: None,
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            code: Some(700025),
            description: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.".into(),
        });
    }
    let code = required(form, "code")?;
    let redirect_uri = required(form, "redirect_uri")?;
    let verifier = required(form, "code_verifier")?;
    let mut st = shared.lock();
    let Some(ac) = st
        .auth_codes
        .iter_mut()
        .find(|c| c.code == code && c.client_id == client_id)
    else {
        return Err(oauth(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid: the authorization code was not issued to this client.",
        ));
    };
    if ac.redeemed {
        return Err(oauth(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ));
    }
    if ac.issued.elapsed() > AUTH_CODE_LIFETIME {
        return Err(oauth(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        ));
    }
    if ac.tenant_id != tenant_id {
        return Err(oauth(
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
        ));
    }
    if ac.redirect_uri != redirect_uri
        && url::Url::parse(redirect_uri).ok().map(|u| u.to_string())
            != Some(ac.redirect_uri.clone())
    {
        return Err(oauth(
            "invalid_grant",
            50011,
            format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URI used to obtain the authorization code."
            ),
        ));
    }
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let hashed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    if !well_formed || hashed != ac.challenge {
        return Err(oauth(
            "invalid_grant",
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ));
    }
    // Spent whatever happens next: a code is redeemed once.
    ac.redeemed = true;
    let ac = ac.clone();
    let user = st.modes.signing_in();
    let body = issue_user_token(
        &mut st,
        &ac.tenant_id,
        user,
        client_id,
        &ac.scopes,
        shared.token_lifetime,
        Grant {
            via_device_code: false,
            cp1: ac.cp1,
            // An interactive sign-in is newer than any revocation: it answers the challenge.
            answers_claims: true,
        },
    );
    Ok(ok_json(body))
}

fn refresh_grant(
    shared: &Shared,
    form: &HashMap<String, String>,
    client_id: &str,
) -> Result<Response, OAuthError> {
    let presented = required(form, "refresh_token")?;
    let mut st = shared.lock();
    let Some(rt) = st
        .refresh_tokens
        .get(presented)
        .filter(|rt| rt.client_id == client_id)
        .cloned()
    else {
        return Err(oauth(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity, was already used, or was revoked. Sign in again.",
        ));
    };
    if rt.via_device_code
        && let Some(block) = device_code_block(st.signin.device_code)
    {
        // Sessions born from a device code stay "protocol tracked" (GRAPH-NEXT.md §1.7).
        return Err(block);
    }
    let scopes: Vec<String> = match form
        .get("scope")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        Some(s) => validate_scopes(s)?,
        None => rt.scope.split_whitespace().map(str::to_string).collect(),
    };
    let (cp1, answers_claims) = claims_request(form.get("claims").map(String::as_str));
    let claims_key = (
        rt.tenant_id.clone(),
        rt.user.id.clone(),
        client_id.to_string(),
    );
    if answers_claims && st.claims_required.get(&claims_key) == Some(&true) {
        // The challenge asked for something a refresh cannot prove (a fresh MFA): only an
        // interactive sign-in carrying the claims answers it.
        return Err(OAuthError {
            status: StatusCode::BAD_REQUEST,
            error: "interaction_required",
            code: Some(50076),
            description: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'https://graph.microsoft.com'.".into(),
            suberror: Some("basic_action"),
        });
    }
    // A refresh may ask only for what the user consented to (GRAPH-SCHEDULING.md §7); a new
    // permission needs an interactive sign-in. The refresh token stays valid: nothing was
    // redeemed. Consent is kept per (tenant, user, client) as the service keeps it, so a
    // later device-code sign-in for the union lets any refresh token of that client ask
    // for the union.
    let consent_key = (
        rt.tenant_id.clone(),
        rt.user.id.clone(),
        client_id.to_string(),
    );
    let consented = st.consents.get(&consent_key);
    let missing: Vec<String> = permissions_of(&scopes)
        .into_iter()
        .filter(|p| !consented.is_some_and(|c| c.iter().any(|g| g.eq_ignore_ascii_case(p))))
        .collect();
    if !missing.is_empty() {
        return Err(OAuthError {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            code: Some(65001),
            description: format!(
                "The user or administrator has not consented to use the application with ID '{client_id}' named '{client_id}'. Send an interactive authorization request for this user and resource. (Not consented: {}.)",
                missing.join(", ")
            ),
            suberror: Some("consent_required"),
        });
    }
    // Rotation: the presented token is spent; only the new one works from now on.
    st.refresh_tokens.remove(presented);
    let body = issue_user_token(
        &mut st,
        &rt.tenant_id,
        rt.user,
        client_id,
        &scopes,
        shared.token_lifetime,
        Grant {
            via_device_code: rt.via_device_code,
            cp1: cp1 || rt.cp1,
            answers_claims,
        },
    );
    Ok(ok_json(body))
}

fn client_credentials(
    shared: &Shared,
    form: &HashMap<String, String>,
    headers: &HeaderMap,
    client_id: &str,
    tenant: &str,
    tenant_id: &str,
) -> Result<Response, OAuthError> {
    if !is_specific_tenant(tenant) {
        return Err(oauth(
            "invalid_request",
            50059,
            format!(
                "No tenant-identifying information found in either the request or implied by any provided credentials. Client credentials need your tenant ID or domain instead of '{tenant}'."
            ),
        ));
    }
    let scope = required(form, "scope")?;
    let single = !scope.contains(char::is_whitespace);
    if !single || !scope.ends_with("/.default") {
        return Err(oauth(
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        ));
    }
    let secret = form
        .get("client_secret")
        .cloned()
        .or_else(|| basic_auth(headers).map(|(_, s)| s))
        .filter(|s| !s.is_empty());
    let assertion_ok = form.get("client_assertion_type").map(String::as_str) == Some(JWT_BEARER)
        && form
            .get("client_assertion")
            .is_some_and(|a| a.split('.').count() == 3);
    match secret {
        None if assertion_ok => {}
        None => {
            return Err(OAuthError {
                suberror: None,
                status: StatusCode::UNAUTHORIZED,
                error: "invalid_client",
                code: Some(7000216),
                description: "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".into(),
            });
        }
        Some(s) if s == BAD_CLIENT_SECRET => {
            return Err(OAuthError {
                suberror: None,
                status: StatusCode::UNAUTHORIZED,
                error: "invalid_client",
                code: Some(7000215),
                description: format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                ),
            });
        }
        Some(_) => {}
    }
    let resource = scope.trim_end_matches("/.default").to_string();
    let lifetime = shared.token_lifetime;
    let token = mint_app(
        &mut shared.lock(),
        tenant_id,
        client_id,
        &resource,
        lifetime,
    );
    Ok(ok_json(json!({
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
        "ext_expires_in": lifetime.as_secs(),
        "access_token": token,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::DELEGATED_PERMISSIONS;
    use crate::tokens::{granted_scope, resource_of};

    #[test]
    fn scopes_are_checked_and_granted_as_short_names() {
        let s = validate_scopes(
            "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access openid",
        )
        .unwrap();
        assert_eq!(resource_of(&s), "https://graph.microsoft.com");
        assert_eq!(granted_scope(&s), "OnlineMeetings.ReadWrite openid");
        let s = validate_scopes("https://graph.microsoft.us/.default").unwrap();
        assert_eq!(resource_of(&s), "https://graph.microsoft.us");
        assert_eq!(granted_scope(&s), DELEGATED_PERMISSIONS);
        assert!(validate_scopes("offline_access").is_err());
        assert!(validate_scopes("not a:scope").is_err());
    }

    #[test]
    fn personal_accounts_are_refused() {
        assert!(resolve_tenant("consumers", "c").is_err());
        assert_eq!(
            resolve_tenant("organizations", "c").unwrap(),
            DEFAULT_TENANT_ID
        );
        let t = "11111111-2222-3333-4444-555555555555";
        assert_eq!(resolve_tenant(t, "c").unwrap(), t);
    }
}
