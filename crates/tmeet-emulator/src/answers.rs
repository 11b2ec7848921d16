//! How the Graph side answers: the error envelope (GRAPH.md §5), the headers every answer
//! carries (request-id, client-request-id), and the answers of the status-code faults.

use super::faults::{Fault, RetryAfter};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};
use std::time::SystemTime;

const JSON_TYPE: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// The ids every answer carries, so a failing call can be reported and traced.
pub(crate) struct RequestIds {
    pub request_id: String,
    pub client_request_id: String,
}

/// One answer before the common headers are added.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

pub(crate) type Outcome = Result<Reply, Reply>;

impl RequestIds {
    pub(crate) fn new(headers: &HeaderMap) -> Self {
        let request_id = uuid::Uuid::new_v4().to_string();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| request_id.clone());
        RequestIds {
            request_id,
            client_request_id,
        }
    }

    pub(crate) fn error(
        &self,
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
    ) -> Reply {
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

    pub(crate) fn bad_request(&self, message: impl Into<String>) -> Reply {
        self.error(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub(crate) fn unauthorized(&self, message: &str) -> Reply {
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

    /// A Continuous Access Evaluation claims challenge (GRAPH-NEXT.md §1.4): the token was
    /// issued before something changed (a revocation, a new location); the client must ask
    /// for a new one carrying `claims` (base64 JSON naming the `nbf` the token must have).
    pub(crate) fn claims_challenge(&self) -> Reply {
        use base64::Engine;
        let claims = serde_json::json!({
            "access_token": {"nbf": {"essential": true, "value": super::state::unix_now().to_string()}}
        });
        let encoded = base64::engine::general_purpose::STANDARD.encode(claims.to_string());
        let mut r = self.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
        );
        r.headers.push((
            "www-authenticate",
            format!(
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\", error=\"insufficient_claims\", claims=\"{encoded}\", error_description=\"Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp\""
            ),
        ));
        r
    }

    pub(crate) fn not_found(&self, message: impl Into<String>) -> Reply {
        self.error(StatusCode::NOT_FOUND, "NotFound", message)
    }

    pub(crate) fn fault(&self, fault: Fault) -> Reply {
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

    /// What a gateway in front of the service answers when the service behind it was slow
    /// or its connection broke: 504 in Graph's envelope, 502 without a body (a proxy's).
    pub(crate) fn gateway(&self, status: u16) -> Reply {
        if status == 504 {
            return self.error(
                StatusCode::GATEWAY_TIMEOUT,
                "UnknownError",
                "The gateway did not receive a response from the service in time.",
            );
        }
        Reply {
            status: StatusCode::BAD_GATEWAY,
            body: None,
            headers: Vec::new(),
        }
    }

    pub(crate) fn finish(&self, reply: Reply, malformed: bool) -> Response {
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

pub(crate) fn ok(status: StatusCode, body: Value) -> Reply {
    Reply {
        status,
        body: Some(body),
        headers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RequestIds {
        RequestIds::new(&HeaderMap::new())
    }

    #[tokio::test]
    async fn malformed_cuts_success_bodies_on_a_char_boundary_only() {
        let c = ctx();
        let body = json!({"subject": "会議会議会議会議会議会議会議会議"});
        let resp = c.finish(ok(StatusCode::CREATED, body.clone()), true);
        assert_eq!(resp.status(), StatusCode::CREATED);
        assert_eq!(resp.headers()["request-id"], c.request_id.as_str());
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let text = std::str::from_utf8(&bytes).expect("still UTF-8");
        assert!(serde_json::from_str::<Value>(text).is_err());
        // Errors keep their body even when the fault says malformed.
        let resp = c.finish(c.bad_request("no"), true);
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            v["error"]["innerError"]["client-request-id"],
            c.request_id.as_str()
        );
    }
}
