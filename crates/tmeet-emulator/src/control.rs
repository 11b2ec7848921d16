//! `/_emulator/…`: a loopback control surface so scripts and the benchmark can drive a
//! separate `tmeet emulator` process the way tests drive an in-process [`super::Emulator`].

use super::faults::parse_list;
use super::state::{DeviceStatus, Shared};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/faults", post(push_faults).get(list_faults))
        .route("/_emulator/devicecode/approve", post(approve))
        .route("/_emulator/devicecode/decline", post(decline))
        .route("/_emulator/tokens/expire", post(expire))
        .route("/_emulator/tokens/user", post(mint_user))
        .route("/_emulator/tokens/app", post(mint_app))
        .route("/_emulator/tokens/issued", get(issued))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/meetings/{id}/delete", post(delete_elsewhere))
        .route("/_emulator/meetings/{id}/patch", post(patch_elsewhere))
        .route("/_emulator/meetings", get(meetings))
        .route("/_emulator/policy", get(get_policy).post(set_policy))
        .route("/_emulator/mail", get(mail))
        .route("/_emulator/signin", get(get_signin).post(set_signin))
        .route("/_emulator/mailbox", get(get_mailbox).post(set_mailbox))
        .route(
            "/_emulator/directory",
            get(get_directory).post(set_directory),
        )
        .route("/_emulator/authorize/approve", post(approve_authorization))
        .route("/_emulator/authorize/decline", post(decline_authorization))
}

async fn get_signin(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "signin": shared.lock().signin.to_string() }))
}

/// Body: sign-in modes in the `TMEET_EMULATOR_SIGNIN` syntax; empty clears them.
async fn set_signin(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match String::from_utf8_lossy(&body).parse::<super::SignInModes>() {
        Ok(m) => {
            let shown = m.to_string();
            shared.lock().signin = m;
            Json(json!({ "signin": shown })).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn get_mailbox(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "mailbox": shared.lock().calendar.mailbox.to_string() }))
}

/// Body: mailbox modes in the `TMEET_EMULATOR_MAILBOX` syntax; empty clears them.
async fn set_mailbox(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match String::from_utf8_lossy(&body).parse::<super::MailboxModes>() {
        Ok(m) => {
            let shown = m.to_string();
            shared.lock().calendar.mailbox = m;
            Json(json!({ "mailbox": shown })).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn get_directory(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "directory": shared.lock().directory.to_string() }))
}

/// Body: directory modes in the `TMEET_EMULATOR_DIRECTORY` syntax; empty restores the
/// defaults.
async fn set_directory(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match String::from_utf8_lossy(&body).parse::<super::DirectoryModes>() {
        Ok(m) => {
            let shown = m.to_string();
            shared.lock().directory = m;
            Json(json!({ "directory": shown })).into_response()
        }
        Err(e) => bad(e),
    }
}

/// Approves a waiting browser sign-in (`id=…`, else the newest one). Answers where the
/// browser is sent next, `{"location": "http://localhost:PORT/?code=…&state=…"}`, for a
/// script playing the browser to follow.
async fn approve_authorization(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    authorization_decision(&shared, &body, true)
}

async fn decline_authorization(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    authorization_decision(&shared, &body, false)
}

fn authorization_decision(shared: &Shared, body: &Bytes, approve: bool) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    match super::authorize::decide(shared, form.get("id").map(String::as_str), approve) {
        Some(location) => Json(json!({ "location": location.as_str() })).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(
                json!({ "error": "no browser sign-in is waiting; open the sign-in address first" }),
            ),
        )
            .into_response(),
    }
}

/// Deletes a meeting as Teams or another program would, without a token: what a client's
/// history must notice on its next look (`tmeet list --refresh`).
async fn delete_elsewhere(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let mut st = shared.lock();
    let before = st.meetings.len();
    st.meetings.retain(|m| m.id != id);
    if st.meetings.len() == before {
        return no_meeting(&id);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Changes a meeting "elsewhere". Body: a JSON object of `subject`, `startDateTime`,
/// `endDateTime` and meeting options (stored as given, unchecked: the point is to differ).
async fn patch_elsewhere(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(changes)) = serde_json::from_slice::<Value>(&body) else {
        return bad("the body must be a JSON object of the properties to change".into());
    };
    let mut st = shared.lock();
    let Some(m) = st.meetings.iter_mut().find(|m| m.id == id) else {
        return no_meeting(&id);
    };
    for (k, v) in changes {
        match k.as_str() {
            "subject" => m.subject = v.as_str().map(str::to_string),
            "startDateTime" | "endDateTime" => {
                let Some(t) = v.as_str().and_then(super::meetings::parse_time) else {
                    return bad(format!("{k}: not an ISO 8601 time"));
                };
                if k == "startDateTime" {
                    m.start = t;
                } else {
                    m.end = t;
                }
            }
            _ => {
                m.settings.insert(k, v);
            }
        }
    }
    Json(json!({ "id": id })).into_response()
}

fn no_meeting(id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": format!("no meeting '{id}'") })),
    )
        .into_response()
}

fn bad(msg: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

/// Body: `429:2,503` (the `TMEET_EMULATOR_FAULTS` syntax) or a JSON array of such strings.
async fn push_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let list = match serde_json::from_str::<Vec<String>>(&text) {
        Ok(items) => items.join(","),
        Err(_) => text.into_owned(),
    };
    match parse_list(&list) {
        Ok(faults) => {
            let mut st = shared.lock();
            for f in &faults {
                st.push_fault(*f);
            }
            let queued: Vec<String> = faults.iter().map(ToString::to_string).collect();
            Json(json!({ "queued": queued })).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let st = shared.lock();
    let names = |q: &std::collections::VecDeque<super::Fault>| {
        q.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    Json(json!({
        "graph": names(&st.graph_faults),
        "identity": names(&st.identity_faults),
        "event": names(&st.calendar.event_faults),
        "write": names(&st.write_faults),
    }))
}

/// The user code from `user_code=…`, a bare code, or nothing (then the newest pending one).
fn user_code(shared: &Shared, body: &Bytes) -> Option<String> {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let given = form
        .get("user_code")
        .cloned()
        .or_else(|| {
            let raw = String::from_utf8_lossy(body).trim().to_string();
            (!raw.is_empty() && !raw.contains('=')).then_some(raw)
        })
        .filter(|c| !c.trim().is_empty());
    given.or_else(|| {
        let now = Instant::now();
        shared
            .lock()
            .device_codes
            .iter()
            .rev()
            .find(|d| d.status == DeviceStatus::Pending && d.expires > now)
            .map(|d| d.user_code.clone())
    })
}

async fn approve(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    decide(&shared, &body, true)
}

async fn decline(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    decide(&shared, &body, false)
}

fn decide(shared: &Shared, body: &Bytes, approve: bool) -> Response {
    let Some(code) = user_code(shared, body) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no device code is waiting; start `tmeet login` first" })),
        )
            .into_response();
    };
    let done = if approve {
        super::devicelogin::approve_device_code(shared, &code)
    } else {
        super::devicelogin::decline_device_code(shared, &code)
    };
    if done {
        Json(json!({ "user_code": code })).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no pending device code '{code}'") })),
        )
            .into_response()
    }
}

async fn expire(State(shared): State<Arc<Shared>>) -> StatusCode {
    super::expire_all(&shared);
    StatusCode::NO_CONTENT
}

fn lifetime(form: &HashMap<String, String>) -> Result<Duration, String> {
    match form.get("lifetime_secs") {
        None => Ok(Duration::from_secs(3599)),
        Some(s) => s
            .parse()
            .map(Duration::from_secs)
            .map_err(|_| format!("lifetime_secs: '{s}' is not a number")),
    }
}

/// Form: `tenant` (default `organizations`), `lifetime_secs` (default 3599), `scope`
/// (default `https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access`).
async fn mint_user(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let lifetime = match lifetime(&form) {
        Ok(l) => l,
        Err(e) => return bad(e),
    };
    let tenant = form
        .get("tenant")
        .map(String::as_str)
        .unwrap_or("organizations");
    let scopes: Vec<String> = form
        .get("scope")
        .map(String::as_str)
        .unwrap_or("https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut st = shared.lock();
    let user = st.modes.signing_in();
    let body = super::tokens::user_token_response(
        &mut st,
        &super::tenant_id_of(tenant),
        user,
        "tmeet-emulator-control",
        &scopes,
        lifetime,
    );
    Json(body).into_response()
}

async fn mint_app(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let lifetime = match lifetime(&form) {
        Ok(l) => l,
        Err(e) => return bad(e),
    };
    let tenant = form
        .get("tenant")
        .map(String::as_str)
        .unwrap_or("organizations");
    let token = super::tokens::mint_app(
        &mut shared.lock(),
        &super::tenant_id_of(tenant),
        "tmeet-emulator-control",
        "https://graph.microsoft.com",
        lifetime,
    );
    Json(json!({ "token_type": "Bearer", "expires_in": lifetime.as_secs(), "access_token": token }))
        .into_response()
}

/// Every token issued so far, so a test driving a separate process can search its logs and
/// output for them. Nothing new is exposed: `/_emulator/tokens/*` mints tokens for anyone
/// on loopback anyway.
async fn issued(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "tokens": shared.lock().issued_tokens }))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let st = shared.lock();
    Json(json!({
        "meetings": st.meetings.len(),
        "connections": shared.connections.load(Ordering::Relaxed),
        "api_connections": shared.api_connections.load(Ordering::Relaxed),
        "graph_requests": shared.graph_requests.load(Ordering::Relaxed),
        "token_requests": st.token_requests,
        "pending_faults": st.graph_faults.iter().chain(st.identity_faults.iter()).chain(st.calendar.event_faults.iter()).chain(st.write_faults.iter()).map(ToString::to_string).collect::<Vec<_>>(),
    }))
}

/// The stored meetings as `Emulator::stored_meetings` returns them.
pub(crate) fn stored_meetings(shared: &Shared) -> Vec<Value> {
    shared
        .lock()
        .meetings
        .iter()
        .map(|m| m.to_json(super::templates::Lang::ENGLISH, true))
        .collect()
}

/// Every stored meeting with the values the emulator keeps (policy applied, evolved enum
/// members unmasked), so a script can compare them with what a client showed.
async fn meetings(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "value": stored_meetings(&shared) }))
}

async fn get_policy(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "policy": shared.lock().policy.to_string() }))
}

/// Body: a policy in the `TMEET_EMULATOR_POLICY` syntax; empty clears it.
async fn set_policy(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match String::from_utf8_lossy(&body).parse::<super::Policy>() {
        Ok(p) => {
            let shown = p.to_string();
            shared.lock().policy = p;
            Json(json!({ "policy": shown })).into_response()
        }
        Err(e) => bad(e),
    }
}

/// The invitations, updates and cancellations "sent" so far, oldest first, each with the
/// Teams join link found in its body.
async fn mail(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let st = shared.lock();
    let mail: Vec<Value> = st
        .calendar
        .mail
        .iter()
        .map(|m| {
            json!({
                "recipient": m.recipient,
                "kind": m.kind.name(),
                "subject": m.subject,
                "eventId": m.event_id,
                "joinUrl": m.join_url,
                "comment": m.comment,
                "sentDateTime": super::meetings::format_time(&m.sent),
            })
        })
        .collect();
    Json(json!({ "mail": mail }))
}
