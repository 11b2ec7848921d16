//! The Graph client: one `reqwest::Client`, the headers Graph expects, and the retry
//! policy, stated once here.
//!
//! Retry policy: 429 and 503 are retried after `Retry-After` (seconds or HTTP-date; without
//! it, exponential backoff with jitter), at most [`RetryPolicy::max_retries`] times and
//! [`RetryPolicy::max_total_wait`] of waiting in all; the caller hears of each wait first.
//! A 401 leads to one forced token refresh and one more try. A POST whose outcome is
//! unknown is never retried: a second POST would create a second meeting. Unknown means
//! sent, then the connection failed or timed out, or a gateway answered 502 or 504: those
//! come from a proxy in front of the service, which may have done the write all the same
//! (GRAPH-REAL.md Q31), so they say nothing about whether the meeting exists.

use super::error::{ErrorKind, GraphError};
use super::model::{NewMeeting, OnlineMeeting};
use super::token::{TokenError, TokenFailure, TokenProvider};
use crate::cloud;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use url::Url;

mod agenda;
mod directory;
mod outlook;
pub use agenda::{AGENDA_SELECT, AnswerAction, PAGE_SIZE, Page};
pub use directory::DirectoryUser;
pub use outlook::{Answer, MailboxSettings};

/// Whose meetings: the signed-in user, or a user by object ID or UPN (required for
/// app-only; a UPN is turned into the object ID before it names a meeting path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Me,
    User(String),
}

impl Target {
    pub fn from_user(user: Option<&str>) -> Self {
        match user {
            Some(id) => Target::User(id.to_string()),
            None => Target::Me,
        }
    }
}

/// Told to the caller before each wait, so a person sees a countdown, not a frozen screen.
/// `delay` is exactly how long the client then sleeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// 1 for the first retry.
    pub attempt: u32,
    pub delay: Duration,
    /// The status that caused the wait (429 or 503).
    pub status: u16,
    /// How many retries the policy allows in all.
    pub of: u32,
}

impl Wait {
    /// The delay as a person reads it, exact because the client only sleeps delays that
    /// can be said exactly (tenths, or whole seconds from ten on): `now`, `in 0.4 s`,
    /// `in 7 s`.
    pub fn in_words(&self) -> String {
        let ms = self.delay.as_millis();
        if ms == 0 {
            "now".to_string()
        } else if ms.is_multiple_of(1000) {
            format!("in {} s", ms / 1000)
        } else {
            format!("in {}.{} s", ms / 1000, (ms % 1000) / 100)
        }
    }
}

impl std::fmt::Display for Wait {
    /// `Graph answered 429; retrying in 0.4 s (1/3)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Graph answered {}; retrying {} ({}/{})",
            self.status,
            self.in_words(),
            self.attempt,
            self.of
        )
    }
}

/// `delay` rounded up to what can be said exactly: tenths of a second under ten seconds,
/// whole seconds above. Rounding the words instead (a `Retry-After` date 0.05 s away said
/// as "1 s") announced a wait that never happened; rounding up keeps to what the service
/// asked, and a tenth keeps the backoff's jitter.
fn spoken(delay: Duration) -> Duration {
    let unit = if delay < Duration::from_secs(10) {
        Duration::from_millis(100)
    } else {
        Duration::from_secs(1)
    };
    let units = delay.as_nanos().div_ceil(unit.as_nanos());
    unit.saturating_mul(u32::try_from(units).unwrap_or(u32::MAX))
}

#[derive(Debug, Clone)]
pub struct Created {
    pub meeting: OnlineMeeting,
    /// The object as the service sent it, parsed.
    pub raw: Value,
    /// The body exactly as the service sent it (valid JSON, in its own key order and
    /// spelling): `create --json` prints this, escaped for the terminal.
    pub json: String,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub max_total_wait: Duration,
    /// First backoff when the service gives no Retry-After; doubles each retry.
    pub base_backoff: Duration,
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            max_total_wait: Duration::from_secs(60),
            base_backoff: Duration::from_secs(1),
            request_timeout: crate::http::REQUEST_TIMEOUT,
        }
    }
}

#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    tokens: Arc<dyn TokenProvider>,
    policy: RetryPolicy,
    writes: Arc<Writes>,
    /// `--user` UPNs already turned into object ids (lowercased UPN → id).
    user_ids: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

/// The writes (POST, PATCH, DELETE) handed to the network so far, shared by the clones of
/// a client: whether a create that is abandoned (Ctrl+C) may have reached the service.
#[derive(Debug, Default)]
struct Writes {
    sent: std::sync::atomic::AtomicU64,
    last_client_request_id: std::sync::Mutex<Option<String>>,
}

/// Headers beyond the ones every call sends.
#[derive(Debug, Default)]
struct Extra {
    /// One more `Prefer` preference, e.g. `outlook.timezone="Europe/Berlin"`.
    prefer: Option<String>,
    consistency_level: Option<&'static str>,
}

/// One finished exchange with a success status.
struct Reply {
    status: StatusCode,
    body: Vec<u8>,
    request_id: Option<String>,
    /// Echoed by the service, or the one tmeet sent: what support can trace a create by.
    client_request_id: String,
}

impl GraphClient {
    pub fn new(http: reqwest::Client, graph_url: Url, tokens: Arc<dyn TokenProvider>) -> Self {
        Self {
            inner: Arc::new(Inner {
                http,
                base: graph_url,
                tokens,
                policy: RetryPolicy::default(),
                writes: Arc::default(),
                user_ids: Default::default(),
            }),
        }
    }

    #[cfg(feature = "test-support")]
    pub fn with_retry_policy(self, policy: RetryPolicy) -> Self {
        let inner = &self.inner;
        Self {
            inner: Arc::new(Inner {
                http: inner.http.clone(),
                base: inner.base.clone(),
                tokens: inner.tokens.clone(),
                policy,
                writes: inner.writes.clone(),
                user_ids: Default::default(),
            }),
        }
    }

    pub fn graph_url(&self) -> &Url {
        &self.inner.base
    }

    pub fn is_app_only(&self) -> bool {
        self.inner.tokens.is_app_only()
    }

    /// The client-request-id of the last write (POST, PATCH, DELETE) this client, or a
    /// clone of it, has handed to the network; None while none has gone out. A write
    /// abandoned after this may have reached the service.
    pub fn last_write(&self) -> Option<String> {
        if self
            .inner
            .writes
            .sent
            .load(std::sync::atomic::Ordering::SeqCst)
            == 0
        {
            return None;
        }
        self.inner
            .writes
            .last_client_request_id
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Opens the connection (TCP, TLS) while the person is still typing, so that submitting
    /// costs one request and no handshake. Failures are ignored: the real request reports.
    pub async fn preconnect(&self) {
        let _ = self
            .inner
            .http
            .head(self.inner.base.clone())
            .timeout(Duration::from_secs(5))
            .send()
            .await;
    }

    /// `POST …/onlineMeetings` with `Accept-Language` from the request's language. Takes
    /// anything that becomes a [`NewMeeting`] (the domain's validated request does), so the
    /// wire client needs nothing from the domain.
    pub async fn create_meeting(
        &self,
        target: &Target,
        req: impl Into<NewMeeting>,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Created, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let NewMeeting {
            body,
            accept_language,
        } = req.into();
        let url = self.meetings_url(target, &[]).await?;
        let reply = self
            .send(
                Method::POST,
                url,
                Some(body),
                accept_language.as_deref(),
                on_wait,
            )
            .await?;
        self.created(reply, true)
    }

    /// `GET …/onlineMeetings/{id}`, with the service's object as sent: the read-back
    /// compares options the typed model does not carry.
    pub async fn fetch_meeting(&self, target: &Target, id: &str) -> Result<Created, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = self.meetings_url(target, &[id]).await?;
        let reply = self.send(Method::GET, url, None, None, &|_| {}).await?;
        self.created(reply, false)
    }

    /// `PATCH …/onlineMeetings/{id}` with only the changed properties; the answer is the
    /// updated meeting as the service sent it.
    pub async fn patch_meeting(
        &self,
        target: &Target,
        id: &str,
        patch: &Value,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Created, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = self.meetings_url(target, &[id]).await?;
        let reply = self
            .send(Method::PATCH, url, Some(patch.clone()), None, on_wait)
            .await?;
        self.created(reply, false)
    }

    fn created(&self, reply: Reply, created: bool) -> Result<Created, GraphError> {
        let (meeting, raw) = self.parse_meeting(&reply, created)?;
        Ok(Created {
            meeting,
            raw,
            json: String::from_utf8_lossy(&reply.body).into_owned(),
            request_id: reply.request_id,
        })
    }

    /// `GET …/onlineMeetings?$filter=JoinWebUrl eq '…'`: the URL is quoted and encoded as
    /// the service requires (GRAPH.md §4).
    pub async fn find_by_join_url(
        &self,
        target: &Target,
        join_url: &str,
    ) -> Result<Option<OnlineMeeting>, GraphError> {
        self.find(target, &join_url_filter(join_url)).await
    }

    #[cfg(feature = "test-support")]
    pub async fn find_by_join_meeting_id(
        &self,
        target: &Target,
        join_meeting_id: &str,
    ) -> Result<Option<OnlineMeeting>, GraphError> {
        let id = join_meeting_id.replace('\'', "''");
        self.find(
            target,
            &format!("joinMeetingIdSettings/joinMeetingId eq '{id}'"),
        )
        .await
    }

    pub async fn delete_meeting(&self, target: &Target, id: &str) -> Result<(), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = self.meetings_url(target, &[id]).await?;
        self.send(Method::DELETE, url, None, None, &|_| {})
            .await
            .map(|_| ())
    }

    /// [`Self::find_by_join_url`] with the meeting as the service sent it: what a calendar
    /// meeting's card and history need, without reading the meeting a second time.
    pub async fn find_answer_by_join_url(
        &self,
        target: &Target,
        join_url: &str,
    ) -> Result<Option<Created>, GraphError> {
        let (reply, first) = self.find_first(target, &join_url_filter(join_url)).await?;
        first
            .map(|raw| {
                let meeting = self.read_meeting(&reply, &raw, false)?;
                Ok(Created {
                    meeting,
                    json: raw.to_string(),
                    raw,
                    request_id: reply.request_id.clone(),
                })
            })
            .transpose()
    }

    async fn find(
        &self,
        target: &Target,
        filter: &str,
    ) -> Result<Option<OnlineMeeting>, GraphError> {
        let (reply, first) = self.find_first(target, filter).await?;
        first
            .map(|m| self.read_meeting(&reply, &m, false))
            .transpose()
    }

    /// `GET …/onlineMeetings?$filter=…`: the first of the collection, as sent.
    async fn find_first(
        &self,
        target: &Target,
        filter: &str,
    ) -> Result<(Reply, Option<Value>), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = self.meetings_url(target, &[]).await?;
        url.query_pairs_mut().append_pair("$filter", filter);
        let reply = self.send(Method::GET, url, None, None, &|_| {}).await?;
        let list: Value = serde_json::from_slice(&reply.body)
            .map_err(|e| self.invalid_body(&reply, &format!("it is not JSON ({e})"), false))?;
        let first = match list.get("value") {
            Some(Value::Array(items)) => items.first().cloned(),
            _ => {
                return Err(self.invalid_body(
                    &reply,
                    "it is not a collection (no value list)",
                    false,
                ));
            }
        };
        Ok((reply, first))
    }

    /// `POST …/onlineMeetings/createOrGet` with `externalId` (GRAPH.md §3): the body keeps
    /// only what the action documents (subject, times, participants); the rest would be
    /// ignored for an existing meeting anyway. `true` beside the answer when the meeting
    /// already existed (200 rather than 201). The passcode setting is not sent: the
    /// service ignores it here, so callers refuse it first.
    pub async fn create_or_get(
        &self,
        target: &Target,
        req: impl Into<NewMeeting>,
        external_id: &str,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<(Created, bool), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let NewMeeting {
            body,
            accept_language,
        } = req.into();
        let mut sent = serde_json::Map::new();
        for key in ["subject", "startDateTime", "endDateTime", "participants"] {
            if let Some(v) = body.get(key) {
                sent.insert(key.to_string(), v.clone());
            }
        }
        sent.insert("externalId".into(), Value::String(external_id.to_string()));
        let url = self.meetings_url(target, &["createOrGet"]).await?;
        let reply = self
            .send(
                Method::POST,
                url,
                Some(Value::Object(sent)),
                accept_language.as_deref(),
                on_wait,
            )
            .await?;
        let existed = reply.status == StatusCode::OK;
        Ok((self.created(reply, true)?, existed))
    }

    /// `…/me/onlineMeetings/…` or `…/users/{object id}/onlineMeetings/…`: a `--user` given
    /// as a UPN is looked up first, as this path takes only the object id (GRAPH-REAL.md Q5).
    async fn meetings_url(&self, target: &Target, rest: &[&str]) -> Result<Url, GraphError> {
        let owner = self.meetings_owner(target).await?;
        let mut segs = match target {
            Target::Me => vec!["me", "onlineMeetings"],
            Target::User(_) => vec!["users", owner.as_str(), "onlineMeetings"],
        };
        segs.extend_from_slice(rest);
        Ok(cloud::join(&self.inner.base, &segs))
    }

    fn refuse_me_for_app_only(&self, target: &Target) -> Result<(), GraphError> {
        if *target == Target::Me && self.is_app_only() {
            let mut e = GraphError::new(
                ErrorKind::Refused,
                "app-only credentials cannot use /me: pass --user <object ID or UPN> (or set TMEET_USER) \
                 to create the meeting for that user",
            );
            e.app_only = true;
            return Err(e);
        }
        Ok(())
    }

    fn parse_meeting(
        &self,
        reply: &Reply,
        created: bool,
    ) -> Result<(OnlineMeeting, Value), GraphError> {
        // serde_json's syntax errors give a position, never the text around it.
        let raw: Value = serde_json::from_slice(&reply.body)
            .map_err(|e| self.invalid_body(reply, &format!("it is not JSON ({e})"), created))?;
        let meeting = self.read_meeting(reply, &raw, created)?;
        Ok((meeting, raw))
    }

    /// Strict about the id and the join link, lenient about the rest; what the lenient
    /// reading converted or ignored goes to the log, by path (values can be secrets).
    fn read_meeting(
        &self,
        reply: &Reply,
        value: &Value,
        created: bool,
    ) -> Result<OnlineMeeting, GraphError> {
        let (meeting, notes) =
            OnlineMeeting::from_graph(value).map_err(|p| self.invalid_body(reply, &p, created))?;
        for note in &notes {
            if note.is_loss() {
                tracing::warn!(%note, "graph answer: a value was ignored");
            } else {
                tracing::debug!(%note, "graph answer: read leniently");
            }
        }
        Ok(meeting)
    }

    fn invalid_body(&self, reply: &Reply, problem: &str, created: bool) -> GraphError {
        let then = if created {
            "; the meeting may exist (it was probably created): look for it in Teams \
             before creating it again"
        } else {
            ""
        };
        // An unreadable answer to a create is as uncertain as no answer: the meeting
        // probably exists, and creating again would make a second one.
        let kind = if created {
            ErrorKind::OutcomeUnknown
        } else {
            ErrorKind::InvalidResponse
        };
        let mut e = GraphError::new(
            kind,
            format!("the answer is not a usable onlineMeeting: {problem}{then}"),
        );
        e.status = Some(reply.status.as_u16());
        e.request_id = reply.request_id.clone();
        e.client_request_id = Some(reply.client_request_id.clone());
        e.app_only = self.is_app_only();
        e
    }

    async fn claims_token(&self, claims: &str) -> Result<crate::secret::Secret, GraphError> {
        let got = self.inner.tokens.claims_challenge(claims).await;
        self.token_result(got)
    }

    async fn token(&self, force_refresh: bool) -> Result<crate::secret::Secret, GraphError> {
        let got = self.inner.tokens.access_token(force_refresh).await;
        self.token_result(got)
    }

    fn token_result(
        &self,
        got: Result<crate::secret::Secret, TokenError>,
    ) -> Result<crate::secret::Secret, GraphError> {
        got.map_err(|e| {
            // Only a refused or missing sign-in is cured by signing in again.
            let kind = match e.failure {
                TokenFailure::Unreachable => ErrorKind::Connect,
                TokenFailure::Misconfigured => ErrorKind::Refused,
                TokenFailure::SignIn => ErrorKind::Auth,
            };
            let mut err = GraphError::new(kind, e.message);
            err.app_only = self.is_app_only();
            err
        })
    }

    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Value>,
        language: Option<&str>,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Reply, GraphError> {
        self.send_with(method, url, body, language, &Extra::default(), on_wait)
            .await
    }

    /// [`Self::send`] with the headers only some calls need: another `Prefer` preference
    /// (Outlook's time zone) and `ConsistencyLevel`.
    async fn send_with(
        &self,
        method: Method,
        url: Url,
        body: Option<Value>,
        language: Option<&str>,
        extra: &Extra,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Reply, GraphError> {
        let prefer = match &extra.prefer {
            Some(p) => format!("include-unknown-enum-members, {p}"),
            None => "include-unknown-enum-members".to_string(),
        };
        let policy = self.inner.policy;
        // One id for the logical operation, retries included, so support can trace it.
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let mut token = self.token(false).await?;
        let mut refreshed = false;
        let mut retries = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            let mut rb = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .timeout(policy.request_timeout)
                .bearer_auth(token.expose())
                .header("Accept", "application/json")
                .header("client-request-id", &client_request_id)
                .header("return-client-request-id", "true")
                .header("Prefer", &prefer);
            if let Some(level) = extra.consistency_level {
                rb = rb.header("ConsistencyLevel", level);
            }
            if let Some(lang) = language {
                rb = rb.header("Accept-Language", lang);
            }
            if let Some(b) = &body {
                rb = rb
                    .header("Content-Type", "application/json")
                    .body(b.to_string());
            }
            tracing::debug!(%method, path = url.path(), attempt = retries, "graph request");
            if is_write(&method, &url) {
                let w = &self.inner.writes;
                *w.last_client_request_id
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(client_request_id.clone());
                w.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            let resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => return Err(self.transport_error(&method, &e, &client_request_id)),
            };
            let status = resp.status();
            let headers = resp.headers().clone();
            let request_id = header(&headers, "request-id");
            let bytes = match resp.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) => return Err(self.transport_error(&method, &e, &client_request_id)),
            };
            tracing::debug!(
                status = status.as_u16(),
                request_id = request_id.as_deref().unwrap_or("-"),
                "graph response"
            );
            if status.is_success() {
                return Ok(Reply {
                    status,
                    body: bytes,
                    request_id,
                    client_request_id: header(&headers, "client-request-id")
                        .map(|c| crate::sanitize::line(&c))
                        .unwrap_or_else(|| client_request_id.clone()),
                });
            }
            let mut err = GraphError::from_response(
                status.as_u16(),
                &bytes,
                request_id,
                header(&headers, "client-request-id").or_else(|| Some(client_request_id.clone())),
            );
            err.app_only = self.is_app_only();
            if method == Method::POST
                && is_write(&method, &url)
                && matches!(
                    status,
                    StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT
                )
            {
                // A gateway's answer, not the service's: the create may have been done
                // behind it. Not retried, for the same reason as a lost answer.
                err.kind = ErrorKind::OutcomeUnknown;
                err.message = format!(
                    "a gateway answered {} ({}); the request had reached it, so the meeting \
                     may have been created",
                    status.as_u16(),
                    err.message
                );
                return Err(err);
            }
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                // A claims challenge (continuous access evaluation) is answered by a token
                // asked for with those claims, not by a plain refresh.
                token = match claims_challenge(&headers) {
                    Some(claims) => self.claims_token(&claims).await?,
                    None => self.token(true).await?,
                };
                continue;
            }
            // A 429 was not acted on; a 503 may have been (GRAPH-REAL.md Q31), and a PATCH
            // of an event sent twice mails its attendees twice: it is read back instead.
            let retried = status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE && !is_event_patch(&method, &url);
            if retried {
                let delay = spoken(
                    retry_after(&headers, SystemTime::now())
                        .unwrap_or_else(|| backoff(policy.base_backoff, retries)),
                );
                if retries >= policy.max_retries || waited + delay > policy.max_total_wait {
                    err.kind = ErrorKind::RetriesExhausted;
                    err.message = format!(
                        "{} (gave up after {retries} {}, {} s of waiting)",
                        err.message,
                        if retries == 1 { "retry" } else { "retries" },
                        waited.as_secs()
                    );
                    return Err(err);
                }
                retries += 1;
                waited += delay;
                let wait = Wait {
                    attempt: retries,
                    delay,
                    status: status.as_u16(),
                    of: policy.max_retries,
                };
                pause_before_retry(wait, on_wait).await;
                continue;
            }
            return Err(err);
        }
    }

    fn transport_error(
        &self,
        method: &Method,
        e: &reqwest::Error,
        client_request_id: &str,
    ) -> GraphError {
        // reqwest's text can include the URL but never headers, so no token; still
        // sanitized because it may quote server bytes.
        let detail = error_chain(e);
        let (kind, message) = if e.is_connect() {
            (
                ErrorKind::Connect,
                format!("could not connect to Graph: {detail}"),
            )
        } else if *method == Method::POST {
            (
                ErrorKind::OutcomeUnknown,
                format!(
                    "the request was sent but no answer came back ({}); the meeting may have been created",
                    if e.is_timeout() {
                        "timed out"
                    } else {
                        "connection lost"
                    }
                ),
            )
        } else if e.is_timeout() {
            (
                ErrorKind::Timeout,
                "Graph did not answer in time".to_string(),
            )
        } else {
            (
                ErrorKind::Connect,
                format!("the connection to Graph failed: {detail}"),
            )
        };
        let mut err = GraphError::new(kind, message);
        err.client_request_id = Some(client_request_id.to_string());
        err.app_only = self.is_app_only();
        err
    }
}

/// Whether a request may change something at the service. The two POSTs that only ask
/// (free/busy and suggested times) do not: their lost answers are plain failures.
fn is_write(method: &Method, url: &Url) -> bool {
    match *method {
        Method::GET | Method::HEAD => false,
        Method::POST => !url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .is_some_and(|last| {
                last.eq_ignore_ascii_case("getSchedule")
                    || last.eq_ignore_ascii_case("findMeetingTimes")
            }),
        _ => true,
    }
}

/// A PATCH of a calendar event: the service mails each change to the attendees.
fn is_event_patch(method: &Method, url: &Url) -> bool {
    *method == Method::PATCH
        && url
            .path_segments()
            .is_some_and(|mut s| s.any(|seg| seg.eq_ignore_ascii_case("events")))
}

/// `JoinWebUrl eq '…'`, the quote doubled as OData escapes it.
fn join_url_filter(join_url: &str) -> String {
    format!("JoinWebUrl eq '{}'", join_url.replace('\'', "''"))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// The `claims` of a `WWW-Authenticate` challenge with `error="insufficient_claims"`
/// (GRAPH-NEXT.md §1.4); the header may hold other challenges before it.
fn claims_challenge(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            if !v.contains("insufficient_claims") {
                return None;
            }
            let at = v.find("claims=\"")? + "claims=\"".len();
            let rest = &v[at..];
            let claims = &rest[..rest.find('"')?];
            (!claims.is_empty()).then(|| claims.to_string())
        })
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_string)
}

/// Tells the caller of `wait`, then sleeps exactly the delay it was told.
async fn pause_before_retry(wait: Wait, on_wait: &(dyn Fn(Wait) + Send + Sync)) {
    on_wait(wait);
    tracing::info!(
        status = wait.status,
        delay_ms = wait.delay.as_millis() as u64,
        "waiting before retry"
    );
    tokio::time::sleep(wait.delay).await;
}

/// `Retry-After` as seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means 0.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// base × 2^n, with "equal jitter": between half and all of it, so clients that failed
/// together do not retry together.
fn backoff(base: Duration, retries: u32) -> Duration {
    let full = base.saturating_mul(1u32 << retries.min(10));
    let half = full / 2;
    half + half.mul_f64(rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        h.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(12)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        h.insert("retry-after", HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
    }

    /// The words are the wait: a `Retry-After` date a twentieth of a second away was said
    /// as "retrying in 1 s" and retried at once.
    #[test]
    fn the_wait_announced_is_the_wait_slept() {
        let wait = |ms| Wait {
            attempt: 1,
            delay: spoken(Duration::from_millis(ms)),
            status: 429,
            of: 3,
        };
        assert_eq!(wait(50).delay, Duration::from_millis(100));
        assert_eq!(
            wait(50).to_string(),
            "Graph answered 429; retrying in 0.1 s (1/3)"
        );
        assert_eq!(wait(0).in_words(), "now");
        assert_eq!(wait(1000).in_words(), "in 1 s");
        assert_eq!(wait(1001).in_words(), "in 1.1 s");
        assert_eq!(wait(730).in_words(), "in 0.8 s");
        assert_eq!(wait(12_300).in_words(), "in 13 s");
        assert_eq!(wait(12_300).delay, Duration::from_secs(13));
        // The jittered backoff stays jittered, and said as it is slept.
        for n in 0..4 {
            let w = Wait {
                delay: spoken(backoff(Duration::from_secs(1), n)),
                ..wait(0)
            };
            let said: f64 = w.in_words()[3..].trim_end_matches(" s").parse().unwrap();
            assert_eq!(Duration::from_secs_f64(said), w.delay, "{w}");
        }
    }

    /// What the caller is told is what the client then sleeps, on a paused clock.
    #[tokio::test(start_paused = true)]
    async fn the_client_sleeps_the_delay_it_announced() {
        let told = std::sync::Mutex::new(None);
        let start = tokio::time::Instant::now();
        pause_before_retry(
            Wait {
                attempt: 1,
                delay: spoken(Duration::from_millis(50)),
                status: 429,
                of: 3,
            },
            &|w| *told.lock().unwrap() = Some(w),
        )
        .await;
        let told = told.into_inner().unwrap().expect("told before the wait");
        assert_eq!(start.elapsed(), told.delay);
        assert_eq!(told.in_words(), "in 0.1 s");
    }

    #[test]
    fn backoff_grows_with_jitter_in_bounds() {
        for n in 0..4 {
            let d = backoff(Duration::from_secs(1), n);
            let full = Duration::from_secs(1 << n);
            assert!(d >= full / 2 && d <= full, "{d:?} for retry {n}");
        }
    }
}
