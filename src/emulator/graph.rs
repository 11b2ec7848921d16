//! `/v1.0/me/onlineMeetings` and `/v1.0/users/{id}/onlineMeetings` (GRAPH.md §2–§5):
//! create, createOrGet, GET by id, the two `$filter` lookups, PATCH and DELETE, with the
//! service's validation, error bodies and headers, and the queued faults.

use super::Conn;
use super::faults::{Fault, RetryAfter};
use super::meetings::{self, Access, NewMeeting, StoredMeeting, format_time, parse_time};
use super::state::{Principal, Shared, User};
use super::templates::{self, Lang};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::any;
use axum::{Extension, Router};
use chrono::{Duration, Utc};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

const JSON_TYPE: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1.0", any(entry))
        .route("/v1.0/{*rest}", any(entry))
}

/// The ids every answer carries, so a failing call can be reported and traced.
struct Ctx {
    request_id: String,
    client_request_id: String,
}

/// One answer before the common headers are added.
struct Reply {
    status: StatusCode,
    body: Option<Value>,
    headers: Vec<(&'static str, String)>,
}

type Outcome = Result<Reply, Reply>;

impl Ctx {
    fn new(headers: &HeaderMap) -> Self {
        let request_id = uuid::Uuid::new_v4().to_string();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| request_id.clone());
        Ctx {
            request_id,
            client_request_id,
        }
    }

    fn error(&self, status: StatusCode, code: &str, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: Some(json!({
                "error": {
                    "code": code,
                    "message": message.into(),
                    "innerError": {
                        "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                        "request-id": self.request_id,
                        "client-request-id": self.client_request_id,
                    }
                }
            })),
            headers: Vec::new(),
        }
    }

    fn bad_request(&self, message: impl Into<String>) -> Reply {
        self.error(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    fn unauthorized(&self, message: &str) -> Reply {
        let mut r = self.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        );
        r.headers.push((
            "www-authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"".into(),
        ));
        r
    }

    fn not_found(&self, message: impl Into<String>) -> Reply {
        self.error(StatusCode::NOT_FOUND, "NotFound", message)
    }

    fn fault(&self, fault: Fault) -> Reply {
        match fault {
            Fault::Throttle { retry_after } => {
                let mut r = self.error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "Please retry again later.",
                );
                match retry_after {
                    RetryAfter::Seconds(n) => r.headers.push(("retry-after", n.to_string())),
                    RetryAfter::HttpDate(n) => r.headers.push((
                        "retry-after",
                        httpdate::fmt_http_date(
                            SystemTime::now() + std::time::Duration::from_secs(n),
                        ),
                    )),
                    RetryAfter::Absent => {}
                }
                r
            }
            Fault::Unavailable { retry_after } => {
                let mut r = self.error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "serviceNotAvailable",
                    "The service is temporarily unavailable. Please retry later.",
                );
                if let Some(n) = retry_after {
                    r.headers.push(("retry-after", n.to_string()));
                }
                r
            }
            Fault::InternalError => self.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "UnknownError",
                "An unknown error occurred while processing the request.",
            ),
            Fault::TokenExpired => {
                self.unauthorized("Access token has expired or is not yet valid.")
            }
            Fault::NoAccessPolicy => self.error(
                StatusCode::FORBIDDEN,
                "General",
                "No application access policy found for this app.",
            ),
            // Not answered here (see `entry`); a plain 500 if one ever is.
            _ => self.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "UnknownError",
                "unexpected fault",
            ),
        }
    }

    fn finish(&self, reply: Reply, malformed: bool) -> Response {
        let body = match &reply.body {
            None => Body::empty(),
            Some(v) => {
                let text = v.to_string();
                if malformed && reply.status.is_success() {
                    // Cut mid-document on a char boundary: the status says success, the body
                    // is not JSON.
                    let mut cut = text.len() / 2;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    Body::from(text[..cut].to_string())
                } else {
                    Body::from(text)
                }
            }
        };
        let mut resp = Response::new(body);
        *resp.status_mut() = reply.status;
        let h = resp.headers_mut();
        if reply.body.is_some() {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
        }
        let mut put = |name: &'static str, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        };
        put("request-id", &self.request_id);
        put("client-request-id", &self.client_request_id);
        put(
            "x-ms-ags-diagnostic",
            r#"{"ServerInfo":{"DataCenter":"Loopback","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"tmeet-emulator"}}"#,
        );
        put("cache-control", "no-cache");
        for (name, value) in &reply.headers {
            put(name, value);
        }
        resp
    }
}

fn ok(status: StatusCode, body: Value) -> Reply {
    Reply {
        status,
        body: Some(body),
        headers: Vec::new(),
    }
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
    let ctx = Ctx::new(&headers);
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
    let fault = shared.lock().graph_faults.pop_front();
    if let Some(f) = fault {
        tracing::info!(target: "tmeet::emulator", "fault {f} injected into {method} {}", uri.path());
    }
    match fault {
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
        Some(f) => ctx.finish(ctx.fault(f), false),
        None => {
            let reply = handle(&shared, &ctx, &method, &uri, &headers, &body).unwrap_or_else(|e| e);
            ctx.finish(reply, false)
        }
    }
}

/// The organizer a request acts for, in the token's tenant.
struct Organizer {
    tenant_id: String,
    user: User,
}

fn handle(
    shared: &Shared,
    ctx: &Ctx,
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
    let is = |s: &String, name: &str| s.eq_ignore_ascii_case(name);
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
                Principal::App => User::lookup(id).ok_or_else(|| {
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
                [a, _] if is(a, "users") => a,
                _ => first,
            };
            return Err(ctx.bad_request(format!("Resource not found for the segment '{unknown}'.")));
        }
    };
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

/// How a meeting is shown for this request: language, enum evolution, context URL.
struct View {
    lang: Lang,
    unknown_enums: bool,
    context_base: String,
}

impl View {
    fn entity(&self, m: &StoredMeeting) -> Value {
        let mut v = m.to_json(self.lang, self.unknown_enums);
        v["@odata.context"] = json!(format!("{}/$entity", self.context_base));
        v
    }

    fn collection(&self, list: &[&StoredMeeting]) -> Value {
        json!({
            "@odata.context": self.context_base,
            "value": list.iter().map(|m| m.to_json(self.lang, self.unknown_enums)).collect::<Vec<_>>(),
        })
    }
}

fn authenticate(
    shared: &Shared,
    ctx: &Ctx,
    headers: &HeaderMap,
) -> Result<super::state::AccessToken, Reply> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = match raw.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => "",
    };
    if token.is_empty() {
        return Err(ctx.unauthorized("Access token is empty."));
    }
    let st = shared.lock();
    match st.access_tokens.get(token) {
        None if token.split('.').count() == 3 => {
            Err(ctx.unauthorized("Access token validation failure. Invalid audience."))
        }
        None => Err(ctx.unauthorized("IDX14100: JWT is not well formed, there are no dots (.).")),
        Some(t) if !super::identity::is_valid_access(t) => {
            Err(ctx.unauthorized("Access token has expired or is not yet valid."))
        }
        Some(t) => Ok(t.clone()),
    }
}

fn find_owned<'a>(
    meetings: &'a [StoredMeeting],
    ctx: &Ctx,
    organizer: &Organizer,
    id: &str,
) -> Result<&'a StoredMeeting, Reply> {
    let m = meetings
        .iter()
        .find(|m| m.id == id && m.tenant_id == organizer.tenant_id)
        .ok_or_else(|| ctx.not_found(format!("The onlineMeeting '{id}' was not found.")))?;
    if m.organizer.id != organizer.user.id {
        return Err(ctx.not_found("Organizer Id mismatch"));
    }
    Ok(m)
}

/// The JSON object of a POST/PATCH, refused as the service refuses it.
fn read_object(ctx: &Ctx, headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Reply> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_json = ct
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        let shown = if ct.is_empty() { "(none)" } else { ct };
        return Err(ctx.error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!("The content type '{shown}' is not supported. Send the body as Content-Type: application/json."),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.bad_request("Empty Payload. JSON content expected."));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ctx.bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    CreateOrGet,
    Patch,
}

/// Type-checks every property; PATCH also refuses what can't change after creation.
fn check_properties(ctx: &Ctx, body: &Map<String, Value>, op: Op) -> Result<(), Reply> {
    for (name, value) in body {
        if name.contains('@') {
            continue; // OData annotations such as @odata.type
        }
        let Some((kind, access)) = meetings::property(name) else {
            return Err(ctx.bad_request(format!(
                "The property '{name}' does not exist on type 'microsoft.graph.onlineMeeting'. Make sure to only use property names that are defined by the type."
            )));
        };
        if op == Op::Patch {
            match (name.as_str(), access) {
                ("joinMeetingIdSettings", _) => {
                    return Err(ctx.bad_request(
                        "joinMeetingIdSettings can't be changed after the meeting is created.",
                    ));
                }
                (_, Access::ReadOnly) => {
                    return Err(ctx.bad_request(format!(
                        "The property '{name}' is read-only and can't be updated."
                    )));
                }
                (_, Access::CreateOnly) => {
                    return Err(ctx.bad_request(format!(
                        "The property '{name}' can only be set when the meeting is created."
                    )));
                }
                _ => {}
            }
        }
        meetings::check_type(name, kind, value).map_err(|m| ctx.bad_request(m))?;
    }
    Ok(())
}

fn time_field(body: &Map<String, Value>, name: &str) -> Option<chrono::DateTime<Utc>> {
    body.get(name).and_then(Value::as_str).and_then(parse_time)
}

fn check_range(
    ctx: &Ctx,
    start: chrono::DateTime<Utc>,
    end: chrono::DateTime<Utc>,
) -> Result<(), Reply> {
    if end < start {
        return Err(ctx.bad_request(format!(
            "The meeting's endDateTime ({}) is before its startDateTime ({}).",
            format_time(&end),
            format_time(&start)
        )));
    }
    Ok(())
}

fn attendees_of(body: &Map<String, Value>) -> Vec<Value> {
    body.get("participants")
        .and_then(|p| p.get("attendees"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|a| {
                    let mut a = a.clone();
                    if a.get("role").is_none_or(Value::is_null) {
                        a["role"] = json!("attendee");
                    }
                    a
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Properties kept in `StoredMeeting::settings` (the rest have fields of their own).
fn settings_of(body: &Map<String, Value>) -> Map<String, Value> {
    const OWN_FIELDS: &[&str] = &[
        "startDateTime",
        "endDateTime",
        "subject",
        "externalId",
        "participants",
        "joinMeetingIdSettings",
        "chatInfo",
    ];
    body.iter()
        .filter(|(k, _)| !k.contains('@') && !OWN_FIELDS.contains(&k.as_str()))
        .filter(|(k, _)| {
            meetings::property(k).is_some_and(|(_, access)| access != Access::ReadOnly)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn create(
    shared: &Shared,
    ctx: &Ctx,
    organizer: &Organizer,
    view: &View,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let body = read_object(ctx, headers, body)?;
    check_properties(ctx, &body, Op::Create)?;
    let subject = body
        .get("subject")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ctx.bad_request("The subject of the meeting is required."))?;
    let end = time_field(&body, "endDateTime")
        .ok_or_else(|| ctx.bad_request("The endDateTime of the meeting is required."))?;
    let start = time_field(&body, "startDateTime")
        .unwrap_or_else(|| meetings::parse_time(&Utc::now().to_rfc3339()).unwrap_or_else(Utc::now));
    check_range(ctx, start, end)?;
    let passcode_required = body
        .get("joinMeetingIdSettings")
        .and_then(|j| j.get("isPasscodeRequired"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let meeting = StoredMeeting::create(NewMeeting {
        tenant_id: organizer.tenant_id.clone(),
        organizer: organizer.user.clone(),
        external_id: None,
        start,
        end,
        subject: Some(subject.to_string()),
        passcode_required,
        settings: settings_of(&body),
        attendees: attendees_of(&body),
    });
    let answer = view.entity(&meeting);
    shared.lock().meetings.push(meeting);
    Ok(ok(StatusCode::CREATED, answer))
}

fn create_or_get(
    shared: &Shared,
    ctx: &Ctx,
    organizer: &Organizer,
    view: &View,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let body = read_object(ctx, headers, body)?;
    check_properties(ctx, &body, Op::CreateOrGet)?;
    let external_id = body
        .get("externalId")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ctx.bad_request("externalId is required for createOrGet."))?
        .to_string();
    let start = time_field(&body, "startDateTime");
    let end = time_field(&body, "endDateTime");
    let (start, end) = match (start, end) {
        (None, None) => {
            let now = parse_time(&Utc::now().to_rfc3339()).unwrap_or_else(Utc::now);
            (now, now + Duration::hours(1))
        }
        (Some(s), None) => (s, s + Duration::hours(1)),
        (None, Some(_)) => {
            return Err(ctx.bad_request(
                "endDateTime was given without startDateTime; give both, or only startDateTime.",
            ));
        }
        (Some(s), Some(e)) => (s, e),
    };
    check_range(ctx, start, end)?;
    let mut st = shared.lock();
    // The identity of a createOrGet meeting is (tenant, organizer, externalId); for an
    // existing one the other fields are ignored, as users report of the service.
    if let Some(existing) = st.meetings.iter().find(|m| {
        m.tenant_id == organizer.tenant_id
            && m.organizer.id == organizer.user.id
            && m.external_id.as_deref() == Some(&external_id)
    }) {
        return Ok(ok(StatusCode::OK, view.entity(existing)));
    }
    let meeting = StoredMeeting::create(NewMeeting {
        tenant_id: organizer.tenant_id.clone(),
        organizer: organizer.user.clone(),
        external_id: Some(external_id),
        start,
        end,
        subject: body
            .get("subject")
            .and_then(Value::as_str)
            .map(str::to_string),
        // createOrGet ignores isPasscodeRequired (GRAPH.md §3).
        passcode_required: false,
        settings: Map::new(),
        attendees: attendees_of(&body),
    });
    let answer = view.entity(&meeting);
    st.meetings.push(meeting);
    Ok(ok(StatusCode::CREATED, answer))
}

fn patch(
    shared: &Shared,
    ctx: &Ctx,
    organizer: &Organizer,
    view: &View,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Outcome {
    let body = read_object(ctx, headers, body)?;
    check_properties(ctx, &body, Op::Patch)?;
    if body
        .get("participants")
        .is_some_and(|p| p.get("organizer").is_some_and(|o| !o.is_null()))
    {
        return Err(ctx.bad_request("The organizer of a meeting can't be changed."));
    }
    let mut st = shared.lock();
    find_owned(&st.meetings, ctx, organizer, id)?;
    let m = st
        .meetings
        .iter_mut()
        .find(|m| m.id == id)
        .expect("found just above under the same lock");
    match (
        time_field(&body, "startDateTime"),
        time_field(&body, "endDateTime"),
    ) {
        (Some(s), Some(e)) => {
            check_range(ctx, s, e)?;
            m.start = s;
            m.end = e;
        }
        (None, None) => {}
        _ => {
            return Err(ctx.bad_request(
                "startDateTime and endDateTime must both be given to change the meeting's time.",
            ));
        }
    }
    if let Some(roles) = body
        .get("anonymizeIdentityForRoles")
        .and_then(Value::as_array)
    {
        let had_attendee = m
            .settings
            .get("anonymizeIdentityForRoles")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == "attendee"));
        if had_attendee && !roles.iter().any(|v| v == "attendee") {
            return Err(ctx.bad_request(
                "anonymizeIdentityForRoles: 'attendee' can't be removed once added.",
            ));
        }
    }
    if let Some(s) = body.get("subject") {
        m.subject = s.as_str().map(str::to_string);
    }
    if body.get("participants").is_some() {
        m.attendees = attendees_of(&body);
    }
    m.settings.extend(settings_of(&body));
    Ok(ok(StatusCode::OK, view.entity(m)))
}

/// `$filter=JoinWebUrl eq '…'` or `$filter=joinMeetingIdSettings/joinMeetingId eq '…'`.
fn filter(shared: &Shared, ctx: &Ctx, organizer: &Organizer, view: &View, uri: &Uri) -> Outcome {
    let query = uri.query().unwrap_or("");
    let Some(expr) = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("$filter"))
        .map(|(_, v)| v.into_owned())
    else {
        return Err(ctx.bad_request(
            "Listing online meetings is not supported; use $filter=JoinWebUrl eq '…' or $filter=joinMeetingIdSettings/joinMeetingId eq '…', or GET by id.",
        ));
    };
    let (property, value) = parse_filter(&expr).ok_or_else(|| {
        ctx.bad_request(format!(
            "Invalid filter clause: '{expr}'. The value must be a single-quoted string."
        ))
    })?;
    let by_url = property.eq_ignore_ascii_case("JoinWebUrl");
    let by_id = property.eq_ignore_ascii_case("joinMeetingIdSettings/joinMeetingId");
    if !by_url && !by_id {
        return Err(ctx.bad_request(format!(
            "Filter on property '{property}' is not supported; use JoinWebUrl or joinMeetingIdSettings/joinMeetingId."
        )));
    }
    // A join URL decoded once more than it should have been has lost its %7b/%22 escapes.
    if by_url && value.contains(['{', '"']) {
        return Err(ctx.bad_request(
            "Invalid filter clause: the JoinWebUrl must be URL-encoded in the query.",
        ));
    }
    let st = shared.lock();
    let found = st.meetings.iter().find(|m| {
        m.tenant_id == organizer.tenant_id
            && if by_url {
                m.join_web_url == value
            } else {
                m.join_meeting_id == value
            }
    });
    match found {
        Some(m) if m.organizer.id != organizer.user.id => Err(ctx.error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Only the organizer can look up a meeting by this filter.",
        )),
        Some(m) => Ok(ok(StatusCode::OK, view.collection(&[m]))),
        None => Ok(ok(StatusCode::OK, view.collection(&[]))),
    }
}

/// `Property eq 'value'` with OData's `''` escape → (property, value).
fn parse_filter(expr: &str) -> Option<(String, String)> {
    let expr = expr.trim();
    let (property, rest) = expr.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("eq ")
        .or_else(|| rest.strip_prefix("EQ "))?
        .trim();
    let inner = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.replace("''", "").contains('\'') {
        return None;
    }
    Some((property.to_string(), inner.replace("''", "'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_with_quote_escapes() {
        assert_eq!(
            parse_filter("JoinWebUrl eq 'https://x/a''b'"),
            Some(("JoinWebUrl".into(), "https://x/a'b".into()))
        );
        assert_eq!(
            parse_filter(" joinMeetingIdSettings/joinMeetingId  eq '123' "),
            Some(("joinMeetingIdSettings/joinMeetingId".into(), "123".into()))
        );
        assert_eq!(parse_filter("JoinWebUrl eq https://x"), None);
        assert_eq!(parse_filter("JoinWebUrl ne 'x'"), None);
        assert_eq!(parse_filter("JoinWebUrl eq 'a'b'"), None);
    }
}
