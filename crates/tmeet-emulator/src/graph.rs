//! `/v1.0/me/onlineMeetings` and `/v1.0/users/{id}/onlineMeetings` (GRAPH.md §2–§5): the
//! bearer token, who the request acts for, which operation it is, and the queued faults.
//! The operations themselves are in `operations.rs`, the answers' shape in `answers.rs`.

use super::Conn;
use super::answers::{Outcome, Reply, RequestIds, ok};
use super::directory;
use super::faults::Fault;
use super::meetings::StoredMeeting;
use super::operations::{create, create_or_get, filter, find_owned, patch};
use super::state::{Principal, Shared, User};
use super::templates::{self, Lang};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1.0", any(entry))
        .route("/v1.0/{*rest}", any(entry))
}

async fn entry(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<Conn>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    conn.mark_api(&shared);
    let ctx = RequestIds::new(&headers);
    // The service root answers without a token. Clients touch it to open a connection early
    // (`GraphClient::preconnect`), so it neither counts as an API call nor takes a fault.
    if uri.path().trim_end_matches('/') == "/v1.0" && matches!(method, Method::GET | Method::HEAD) {
        let doc = json!({
            "@odata.context": format!("{}v1.0/$metadata", shared.base),
            "value": [],
        });
        return ctx.finish(ok(StatusCode::OK, doc), false);
    }
    shared.graph_requests.fetch_add(1, Ordering::Relaxed);
    let fault = {
        let mut st = shared.lock();
        match st.graph_faults.pop_front() {
            Some(f) => Some(f),
            None => {
                // A write fault waits for its kind of write: a create, or a PATCH.
                let wanted = if is_create(&method, &uri) {
                    Some(false)
                } else if method == Method::PATCH {
                    Some(true)
                } else {
                    None
                };
                wanted.and_then(|patch| {
                    let at = st.write_faults.iter().position(|f| f.is_patch() == patch)?;
                    st.write_faults.remove(at)
                })
            }
        }
    };
    if let Some(f) = fault {
        tracing::info!(target: "tmeet_emulator", "fault {f} injected into {method} {}", uri.path());
    }
    match fault {
        Some(Fault::GatewayAfterWrite { status }) => {
            // The service did the work; the gateway in front of it answers instead.
            let _ = handle(&shared, &ctx, &method, &uri, &headers, &body);
            ctx.finish(ctx.gateway(status), false)
        }
        Some(Fault::ErrorAfterPatch) => {
            // The change is made; the answer says it failed (GRAPH-REAL.md Q15).
            let _ = handle(&shared, &ctx, &method, &uri, &headers, &body);
            ctx.finish(ctx.fault(Fault::InternalError), false)
        }
        Some(Fault::HoldAfterWrite) => {
            let reply = handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            shared.held.notify_one();
            shared.release.notified().await;
            ctx.finish(reply, false)
        }
        Some(Fault::Hang) => std::future::pending().await,
        Some(f @ (Fault::MalformedBody | Fault::DropAfterCreate)) => {
            let reply = handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            if f == Fault::DropAfterCreate {
                // The work is done (a create did create); the answer is lost on the way.
                conn.drop_connection();
                return std::future::pending().await;
            }
            ctx.finish(reply, true)
        }
        Some(Fault::Hostile) => {
            let mut reply =
                handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            super::hostile::infect(&mut reply);
            ctx.finish(reply, false)
        }
        Some(Fault::HostileLinks) => {
            let mut reply =
                handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            super::hostile::infect_links(&mut reply);
            ctx.finish(reply, false)
        }
        Some(Fault::HostileError) => ctx.finish(super::hostile::error(&ctx), false),
        Some(Fault::ClaimsChallenge { interactive }) => {
            if challenge(&shared, &headers, interactive) {
                return ctx.finish(ctx.claims_challenge(), false);
            }
            let reply = handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            ctx.finish(reply, false)
        }
        Some(f) => ctx.finish(ctx.fault(f), false),
        None => {
            let reply = handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            if reply
                .headers
                .iter()
                .any(|(name, _)| *name == super::events::DROP_ANSWER)
            {
                // `event-lost-answer`: the event exists; its answer is lost on the way.
                conn.drop_connection();
                return std::future::pending().await;
            }
            ctx.finish(reply, false)
        }
    }
}

/// A request that makes something: an online meeting, a createOrGet, an event.
fn is_create(method: &Method, uri: &Uri) -> bool {
    let last = uri
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    *method == Method::POST
        && ["onlineMeetings", "createOrGet", "events"]
            .iter()
            .any(|n| last.eq_ignore_ascii_case(n))
}

/// The organizer a request acts for, in the token's tenant.
pub(crate) struct Organizer {
    pub tenant_id: String,
    pub user: User,
}

fn handle(
    shared: &Shared,
    ctx: &RequestIds,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let token = authenticate(shared, ctx, headers)?;
    let path = uri.path().strip_prefix("/v1.0").unwrap_or_default();
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    if let Some(outcome) =
        super::calendar_view::route(shared, ctx, &token, method, uri, headers, body, &segs)
    {
        return outcome;
    }
    if let Some(outcome) =
        super::calendar::route(shared, ctx, &token, method, uri, headers, body, &segs)
    {
        return outcome;
    }
    let is = |s: &String, name: &str| s.eq_ignore_ascii_case(name);
    match segs.as_slice() {
        [users] if is(users, "users") => {
            only_get(ctx, method)?;
            directory_access(ctx, &token, None)?;
            return directory::list_users(ctx, shared.base.as_str(), uri, headers);
        }
        [users, id] if is(users, "users") => {
            only_get(ctx, method)?;
            directory_access(ctx, &token, Some(id))?;
            return directory::get_user(ctx, shared.base.as_str(), uri, id);
        }
        _ => {}
    }
    let (organizer, rest) = match segs.as_slice() {
        [me, om, rest @ ..] if is(me, "me") && is(om, "onlineMeetings") => {
            let Principal::User(user) = &token.principal else {
                return Err(ctx
                    .bad_request("/me request is only valid with delegated authentication flow."));
            };
            (
                Organizer {
                    tenant_id: token.tenant_id.clone(),
                    user: user.clone(),
                },
                rest,
            )
        }
        [users, id, om, rest @ ..] if is(users, "users") && is(om, "onlineMeetings") => {
            let user = match &token.principal {
                Principal::User(me)
                    if id.eq_ignore_ascii_case(&me.id) || id.eq_ignore_ascii_case(&me.upn) =>
                {
                    me.clone()
                }
                Principal::User(_) => {
                    return Err(ctx.error(
                        StatusCode::FORBIDDEN,
                        "Forbidden",
                        "A delegated token can only act for the signed-in user.",
                    ));
                }
                // The path takes the object id only: a UPN is not found (GRAPH-REAL.md Q5).
                Principal::App => User::lookup(id)
                    .filter(|_| super::state::is_guid(id))
                    .ok_or_else(|| {
                        ctx.not_found(format!(
                            "The user '{id}' was not found. Use the user's Entra object ID."
                        ))
                    })?,
            };
            (
                Organizer {
                    tenant_id: token.tenant_id.clone(),
                    user,
                },
                rest,
            )
        }
        [] => return Err(ctx.bad_request("Invalid request.")),
        [first, ..] => {
            let unknown = match segs.as_slice() {
                [a, b, ..] if is(a, "me") => b,
                [a, _, c, ..] if is(a, "users") => c,
                _ => first,
            };
            return Err(ctx.bad_request(format!("Resource not found for the segment '{unknown}'.")));
        }
    };
    meeting_access(ctx, &token, method)?;
    let lang = templates::choose(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let view = View {
        lang,
        unknown_enums: headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.to_ascii_lowercase()
                    .contains("include-unknown-enum-members")
            }),
        context_base: format!(
            "{}v1.0/$metadata#users('{}')/onlineMeetings",
            shared.base, organizer.user.id
        ),
    };
    match (method.clone(), rest) {
        (Method::POST, []) => create(shared, ctx, &organizer, &view, headers, body),
        (Method::GET, []) => filter(shared, ctx, &organizer, &view, uri),
        (Method::POST, [action]) if is(action, "createOrGet") => {
            create_or_get(shared, ctx, &organizer, &view, headers, body)
        }
        (Method::GET, [id]) => {
            let st = shared.lock();
            let m = find_owned(&st.meetings, ctx, &organizer, id)?;
            Ok(ok(StatusCode::OK, view.entity(m)))
        }
        (Method::PATCH, [id]) => patch(shared, ctx, &organizer, &view, id, headers, body),
        (Method::DELETE, [id]) => {
            let mut st = shared.lock();
            find_owned(&st.meetings, ctx, &organizer, id)?;
            st.meetings.retain(|m| &m.id != id);
            Ok(Reply {
                status: StatusCode::NO_CONTENT,
                body: None,
                headers: Vec::new(),
            })
        }
        (m, []) | (m, [_]) => Err(ctx.error(
            StatusCode::METHOD_NOT_ALLOWED,
            "BadRequest",
            format!("The HTTP method '{m}' is not supported for this resource."),
        )),
        (_, [_, seg, ..]) => {
            Err(ctx.bad_request(format!("Resource not found for the segment '{seg}'.")))
        }
    }
}

/// The onlineMeetings permissions (GRAPH.md §2, §4): reading takes `OnlineMeetings.Read`
/// or more, anything else `OnlineMeetings.ReadWrite` (app: the `.All` forms). Which error
/// the service gives a token without them isn't documented; a 403 `Forbidden` is what
/// clients handle for every other refusal on these paths.
fn meeting_access(
    ctx: &RequestIds,
    token: &super::state::AccessToken,
    method: &Method,
) -> Result<(), Reply> {
    let read = *method == Method::GET;
    let wanted: &[&str] = match (&token.principal, read) {
        (Principal::User(_), true) => &["OnlineMeetings.Read", "OnlineMeetings.ReadWrite"],
        (Principal::User(_), false) => &["OnlineMeetings.ReadWrite"],
        (Principal::App, true) => &["OnlineMeetings.Read.All", "OnlineMeetings.ReadWrite.All"],
        (Principal::App, false) => &["OnlineMeetings.ReadWrite.All"],
    };
    if token.has_any(wanted) {
        return Ok(());
    }
    Err(ctx.error(
        StatusCode::FORBIDDEN,
        "Forbidden",
        format!(
            "Insufficient privileges to complete the operation: the token needs {}.",
            wanted.join(" or ")
        ),
    ))
}

fn only_get(ctx: &RequestIds, method: &Method) -> Result<(), Reply> {
    if method == Method::GET {
        return Ok(());
    }
    Err(ctx.error(
        StatusCode::METHOD_NOT_ALLOWED,
        "Request_BadRequest",
        format!("The HTTP method '{method}' is not supported on this resource in the emulator."),
    ))
}

/// Directory reads need `User.ReadBasic.All` or a broader permission (an app token has
/// `User.Read.All`); `User.Read` reaches only the signed-in user's own entry.
fn directory_access(
    ctx: &RequestIds,
    token: &super::state::AccessToken,
    target: Option<&str>,
) -> Result<(), Reply> {
    const READ_OTHERS: &[&str] = &[
        "User.ReadBasic.All",
        "User.Read.All",
        "User.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
        "Directory.AccessAsUser.All",
    ];
    let own = match (&token.principal, target) {
        (Principal::User(me), Some(t)) => {
            t.eq_ignore_ascii_case(&me.id) || t.eq_ignore_ascii_case(&me.upn)
        }
        _ => false,
    };
    if token.has_any(READ_OTHERS) || own && token.has_any(&["User.Read", "User.ReadWrite"]) {
        return Ok(());
    }
    Err(ctx.error(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    ))
}

/// How a meeting is shown for this request: language, enum evolution, context URL.
pub(crate) struct View {
    lang: Lang,
    unknown_enums: bool,
    context_base: String,
}

impl View {
    pub(crate) fn entity(&self, m: &StoredMeeting) -> Value {
        let mut v = m.to_json(self.lang, self.unknown_enums);
        v["@odata.context"] = json!(format!("{}/$entity", self.context_base));
        v
    }

    pub(crate) fn collection(&self, list: &[&StoredMeeting]) -> Value {
        json!({
            "@odata.context": self.context_base,
            "value": list.iter().map(|m| m.to_json(self.lang, self.unknown_enums)).collect::<Vec<_>>(),
        })
    }
}

fn bearer(headers: &HeaderMap) -> &str {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    match raw.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => "",
    }
}

/// Marks the request's token as challenged when its client declared `cp1` (only those are
/// sent claims challenges); the person's later token requests must carry the claims.
fn challenge(shared: &Shared, headers: &HeaderMap, interactive: bool) -> bool {
    let token = bearer(headers);
    let mut st = shared.lock();
    let Some(t) = st.access_tokens.get(token).cloned() else {
        return false;
    };
    let super::state::Principal::User(user) = &t.principal else {
        return false;
    };
    if !t.cp1 || !super::tokens::is_valid_access(&t) {
        return false;
    }
    let client = token_client(token).unwrap_or_default();
    st.claims_required
        .insert((t.tenant_id.clone(), user.id.clone(), client), interactive);
    st.challenged.insert(token.to_string());
    true
}

/// The `appid` claim of an emulator-minted token.
fn token_client(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v["appid"].as_str().map(str::to_string)
}

fn authenticate(
    shared: &Shared,
    ctx: &RequestIds,
    headers: &HeaderMap,
) -> Result<super::state::AccessToken, Reply> {
    let token = bearer(headers);
    if token.is_empty() {
        return Err(ctx.unauthorized("Access token is empty."));
    }
    let st = shared.lock();
    match st.access_tokens.get(token) {
        None if token.split('.').count() == 3 => {
            Err(ctx.unauthorized("Access token validation failure. Invalid audience."))
        }
        None => Err(ctx.unauthorized("IDX14100: JWT is not well formed, there are no dots (.).")),
        Some(t) if !super::tokens::is_valid_access(t) => {
            Err(ctx.unauthorized("Access token has expired or is not yet valid."))
        }
        Some(_) if st.challenged.contains(token) => Err(ctx.claims_challenge()),
        Some(t) => Ok(t.clone()),
    }
}
