//! `/authorize`: the browser half of the authorization-code flow with PKCE for a public
//! client on a loopback redirect (GRAPH-NEXT.md §1.1–§1.3). The person approves on a page
//! labelled as the emulator (or at once with auto-approve, or through
//! `/_emulator/authorize/approve`); the browser is then sent to `{redirect_uri}?code=…&state=…`.
//! The code is redeemed at the token endpoint (`identity.rs`), once, with the verifier.

use super::identity::{claims_request, resolve_tenant, single_tenant_refusal, validate_scopes};
use super::state::{
    AuthCode, DEMO_USER_ID, DEMO_USER_NAME, Decision, PendingAuthorization, Shared, random_string,
};
use super::tokens::permissions_of;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use url::Url;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
        .route("/{tenant}/oauth2/v2.0/authorize/decide", post(decide_page))
}

/// A `redirect_uri` the emulator's app registration accepts: `http://localhost` under
/// "Mobile and desktop applications", where the port is ignored (RFC 8252 §7.3) and the
/// path is not. `127.0.0.1` is taken as the same loopback registration.
fn registered_redirect(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    let loopback = matches!(url.host_str(), Some("localhost") | Some("127.0.0.1"));
    (url.scheme() == "http"
        && loopback
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none())
    .then_some(url)
}

const PAGE_STYLE: &str = "body{font-family:'Segoe UI',Helvetica,Arial,sans-serif;max-width:34em;margin:3em auto;color:#252424}\
button{font-size:1em;padding:.4em 1.2em;margin:.8em .6em 0 0}.note{color:#8a3b00}code{word-break:break-all}";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} – tmeet emulator</title>\
<style>{PAGE_STYLE}</style></head><body><h1>{title}</h1>\
<p class=\"note\">This is the tmeet emulator, not Microsoft.</p>{body}</body></html>"
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The service's error page: shown in the browser, nothing is sent to the app.
fn error_page(code: u32, text: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        page(
            "Sign in",
            &format!("<p>Sorry, but we’re having trouble signing you in.</p><p><code>AADSTS{code}: {}</code></p>", escape(text)),
        ),
    )
        .into_response()
}

fn redirect(location: &Url) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location.as_str().to_string()),
            (header::CACHE_CONTROL, "no-store, no-cache".to_string()),
        ],
    )
        .into_response()
}

/// `{redirect_uri}?error=…&error_description=…&state=…`.
pub(crate) fn error_location(
    redirect_uri: &Url,
    state: Option<&str>,
    error: &str,
    code: Option<u32>,
    description: &str,
) -> Url {
    let mut url = redirect_uri.clone();
    let description = match code {
        Some(c) => format!(
            "AADSTS{c}: {description} Trace ID: {} Correlation ID: {} Timestamp: {}",
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ")
        ),
        None => description.to_string(),
    };
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("error", error);
        q.append_pair("error_description", &description);
        if let Some(s) = state {
            q.append_pair("state", s);
        }
    }
    url
}

fn code_location(redirect_uri: &Url, state: Option<&str>, code: &str) -> Url {
    let mut url = redirect_uri.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("code", code);
        if let Some(s) = state {
            q.append_pair("state", s);
        }
    }
    url
}

async fn authorize(
    State(shared): State<Arc<Shared>>,
    axum::Extension(conn): axum::Extension<super::Conn>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    conn.mark_api(&shared);
    let q: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let Some(client_id) = get("client_id") else {
        return error_page(
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    let Some(redirect_uri) = get("redirect_uri").and_then(registered_redirect) else {
        return error_page(
            50011,
            &format!(
                "The redirect URI '{}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
                get("redirect_uri").unwrap_or("")
            ),
        );
    };
    let state = get("state").map(str::to_string);
    let fail = |error: &str, code: Option<u32>, text: &str| {
        redirect(&error_location(
            &redirect_uri,
            state.as_deref(),
            error,
            code,
            text,
        ))
    };
    if get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            Some(700054),
            "response_type 'code' is required: the emulator answers the authorization code flow only.",
        );
    }
    let tenant_id = match resolve_tenant(&tenant, client_id) {
        Ok(t) => t,
        Err(e) => return fail(e.error, e.code, &e.description),
    };
    if let Err(e) = single_tenant_refusal(&shared, &tenant, client_id) {
        return fail(e.error, e.code, &e.description);
    }
    let scopes = match get("scope").ok_or(()).map(validate_scopes) {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return fail(e.error, e.code, &e.description),
        Err(()) => {
            return fail(
                "invalid_request",
                Some(900144),
                "The request body must contain the following parameter: 'scope'.",
            );
        }
    };
    let Some(challenge) = get("code_challenge") else {
        return fail(
            "invalid_request",
            None,
            "Proof Key for Code Exchange is required: send code_challenge and code_challenge_method=S256.",
        );
    };
    if get("code_challenge_method") != Some("S256") {
        return fail(
            "invalid_request",
            None,
            "code_challenge_method must be S256 (plain is not accepted by this emulator).",
        );
    }
    if challenge.len() != 43 {
        return fail(
            "invalid_request",
            Some(501491),
            "Invalid size of Code_Challenge parameter.",
        );
    }
    if get("prompt") == Some("none") {
        // No browser session is ever kept, so there is nobody to sign in silently.
        return fail(
            "interaction_required",
            Some(50058),
            "A silent sign-in request was sent but no user is signed in.",
        );
    }
    let (cp1, _) = claims_request(get("claims"));
    // Permissions only an administrator may grant, not granted yet: the person sees "Need
    // admin approval" and can only go back to the app without a code.
    let needs_admin: Vec<String> = {
        let st = shared.lock();
        let consented = st.consents.get(&(
            tenant_id.clone(),
            DEMO_USER_ID.to_string(),
            client_id.to_string(),
        ));
        permissions_of(&scopes)
            .into_iter()
            .filter(|p| st.signin.needs_admin(p))
            .filter(|p| !consented.is_some_and(|c| c.iter().any(|g| g.eq_ignore_ascii_case(p))))
            .collect()
    };
    if !needs_admin.is_empty() {
        return fail(
            "access_denied",
            Some(90094),
            &format!(
                "Administrator consent is required. The app '{client_id}' needs permission to access resources in your organization that only an admin can grant: {}. Please ask an admin to grant permission to this app before you can use it.",
                needs_admin.join(", ")
            ),
        );
    }
    let pending = PendingAuthorization {
        id: random_string(24),
        client_id: client_id.to_string(),
        tenant_id,
        redirect_uri: redirect_uri.to_string(),
        state,
        challenge: challenge.to_string(),
        scopes,
        cp1,
        decision: Decision::Pending,
    };
    if shared.auto_approve {
        return redirect(&issue_code(&shared, &pending));
    }
    let id = pending.id.clone();
    let asked = permissions_of(&pending.scopes).join(", ");
    shared.lock().authorizations.push(pending);
    let form = format!(
        "<p>tmeet (application <code>{}</code>) asks to sign in <b>{DEMO_USER_NAME}</b> and to use: {}.</p>\
<form method=\"post\" action=\"/{}/oauth2/v2.0/authorize/decide\"><input type=\"hidden\" name=\"id\" value=\"{id}\">\
<button name=\"action\" value=\"approve\" type=\"submit\">Accept</button>\
<button name=\"action\" value=\"decline\" type=\"submit\">Cancel</button></form>",
        escape(client_id),
        escape(&asked),
        escape(&tenant),
    );
    page("Permissions requested", &form).into_response()
}

/// A single-use code for an approved sign-in; where the browser goes next.
fn issue_code(shared: &Shared, p: &PendingAuthorization) -> Url {
    let code = format!("0.AX{}", random_string(200));
    shared.lock().auth_codes.push(AuthCode {
        code: code.clone(),
        client_id: p.client_id.clone(),
        tenant_id: p.tenant_id.clone(),
        redirect_uri: p.redirect_uri.clone(),
        challenge: p.challenge.clone(),
        scopes: p.scopes.clone(),
        issued: Instant::now(),
        redeemed: false,
        cp1: p.cp1,
    });
    let redirect_uri = Url::parse(&p.redirect_uri).expect("checked when it was asked for");
    code_location(&redirect_uri, p.state.as_deref(), &code)
}

/// Approves or declines a waiting sign-in (`id`, else the newest waiting one) and returns
/// where the browser is sent: the redirect with a code, or with `error=access_denied`.
pub(crate) fn decide(shared: &Shared, id: Option<&str>, approve: bool) -> Option<Url> {
    let pending = {
        let mut st = shared.lock();
        let found = st
            .authorizations
            .iter_mut()
            .rev()
            .find(|a| a.decision == Decision::Pending && id.is_none_or(|id| a.id == id))?;
        found.decision = if approve {
            Decision::Approved
        } else {
            Decision::Declined
        };
        found.clone()
    };
    if approve {
        return Some(issue_code(shared, &pending));
    }
    let redirect_uri = Url::parse(&pending.redirect_uri).ok()?;
    Some(error_location(
        &redirect_uri,
        pending.state.as_deref(),
        "access_denied",
        Some(65004),
        "User declined to consent to access the app.",
    ))
}

async fn decide_page(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let approve = form.get("action").map(String::as_str) != Some("decline");
    match form.get("id").and_then(|id| decide(&shared, Some(id), approve)) {
        Some(location) => redirect(&location),
        None => (
            StatusCode::BAD_REQUEST,
            page(
                "Sign in",
                "<p class=\"note\">This sign-in was already answered or has expired. Start it again from tmeet.</p>",
            ),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pathless_loopback_registration_matches() {
        for ok in [
            "http://localhost",
            "http://localhost:53124",
            "http://127.0.0.1:9/",
        ] {
            assert!(registered_redirect(ok).is_some(), "{ok}");
        }
        for bad in [
            "https://localhost:1/",
            "http://localhost:1/callback",
            "http://example.com:1/",
            "http://[::1]:1/",
            "http://localhost:1/?x=1",
            "localhost:1",
        ] {
            assert!(registered_redirect(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn redirects_carry_the_state_and_a_trailing_slash() {
        let r = registered_redirect("http://localhost:7071").unwrap();
        let u = code_location(&r, Some("s t"), "c");
        assert_eq!(u.as_str(), "http://localhost:7071/?code=c&state=s+t");
        let e = error_location(&r, None, "access_denied", None, "no");
        assert_eq!(
            e.as_str(),
            "http://localhost:7071/?error=access_denied&error_description=no"
        );
    }
}
