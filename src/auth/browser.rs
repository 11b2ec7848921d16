//! Browser sign-in: the authorization-code flow with PKCE (RFC 7636, S256) on a loopback
//! redirect (RFC 8252 §7.3; GRAPH-NEXT.md §1.1–§1.3). tmeet listens on an ephemeral port of
//! 127.0.0.1 and sends `http://localhost:PORT` as the redirect URI (the registration's
//! `http://localhost` matches any port). The answer comes either to that port or, when the
//! browser runs on another machine (SSH), as the address pasted back into tmeet; both are
//! checked the same way: this sign-in's `state`, then `error`, then a `code`, which is
//! redeemed once with the verifier.

use super::context::FlowContext;
use super::oauth::{self, Authority, Flow, Http};
use super::{AccountStatus, AuthError};
use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, Scope};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

/// How long a browser sign-in waits for its answer.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How long one connection to the port may take to send its request line and headers.
const REQUEST_READ_LIMIT: Duration = Duration::from_secs(10);
const MAX_REQUEST: usize = 16 * 1024;

/// A started browser sign-in: show [`url`](Self::url) (and open it), then await
/// [`complete`](Self::complete). Dropping it closes the port.
pub struct BrowserSignIn {
    url: Url,
    redirect_uri: String,
    port: u16,
    listener: TcpListener,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    ctx: Arc<FlowContext>,
}

impl fmt::Debug for BrowserSignIn {
    // The verifier is a secret until the code is redeemed; the state is a nonce.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrowserSignIn")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn start(ctx: Arc<FlowContext>) -> Result<BrowserSignIn, AuthError> {
    // 127.0.0.1 only: the answer carries a code nobody else on the network may see.
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| {
            AuthError::Incomplete(format!(
                "cannot listen on 127.0.0.1 for the browser's answer ({e}); sign in with tmeet login --device-code"
            ))
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| AuthError::Incomplete(format!("cannot read the sign-in port: {e}")))?
        .port();
    let redirect_uri = format!("http://localhost:{port}");
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = ctx.authority.code_client(&redirect_uri)?;
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(ctx.delegated_scopes().into_iter().map(Scope::new))
        .set_pkce_challenge(challenge)
        .add_extra_param("claims", ctx.claims_parameter())
        .url();
    Ok(BrowserSignIn {
        url,
        redirect_uri,
        port,
        listener,
        state,
        verifier,
        ctx,
    })
}

/// Where the answer came from, for the page shown in the browser.
enum Answer {
    Redirect(TcpStream, String),
    Pasted(String),
}

impl BrowserSignIn {
    /// The address to open: the service's sign-in page. It carries the state and the code
    /// challenge, neither of which is a secret.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `http://localhost:PORT`, what the browser is sent back to.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the browser's answer on the port, or an address from `pasted` (each item
    /// one line the person typed), for at most `timeout`; then redeems the code and stores
    /// the sign-in. Requests for other paths (a favicon) are answered 404 and ignored; the
    /// first request for `/` ends the wait, whatever it carries. Cancel by dropping the
    /// future, which closes the port.
    pub async fn complete(
        self,
        mut pasted: UnboundedReceiver<String>,
        timeout: Duration,
    ) -> Result<AccountStatus, AuthError> {
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut typing = true;
        let answer = loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let Ok((mut stream, _)) = accepted else { continue };
                    match read_target(&mut stream).await {
                        Some(target) if is_root(&target) => break Answer::Redirect(stream, target),
                        Some(_) => {
                            let _ = respond(&mut stream, "404 Not Found", "Not found", "This is tmeet's sign-in listener.").await;
                        }
                        None => {}
                    }
                }
                line = pasted.recv(), if typing => match line {
                    Some(l) if l.trim().is_empty() => {}
                    Some(l) => break Answer::Pasted(l.trim().to_string()),
                    // No more input (none was ever coming: not a terminal): the port alone.
                    None => typing = false,
                },
                () = &mut deadline => {
                    return Err(AuthError::Incomplete(format!(
                        "no answer from the browser within {} minutes; nothing was stored: run tmeet login again (or tmeet login --device-code)",
                        timeout.as_secs().div_ceil(60)
                    )));
                }
            }
        };
        // Nothing else is taken from the port from here on: one answer per sign-in.
        let BrowserSignIn {
            listener,
            state,
            verifier,
            ctx,
            redirect_uri,
            port,
            ..
        } = self;
        drop(listener);
        let (stream, query) = match answer {
            Answer::Redirect(stream, target) => {
                let query = target
                    .split_once('?')
                    .map(|(_, q)| q.to_string())
                    .unwrap_or_default();
                (Some(stream), query)
            }
            Answer::Pasted(text) => match pasted_query(&text, port) {
                Ok(q) => (None, q),
                Err(e) => return Err(e),
            },
        };
        let result = match check_answer(
            &query,
            &state,
            port,
            &ctx.authority,
            &ctx.delegated_scopes(),
        ) {
            Ok(code) => redeem(&ctx, code, verifier, &redirect_uri).await,
            Err(e) => Err(e),
        };
        if let Some(mut stream) = stream {
            let _ = match &result {
                Ok(_) => {
                    respond(
                        &mut stream,
                        "200 OK",
                        "Signed in",
                        "You are signed in to tmeet. You can close this tab and return to the terminal.",
                    )
                    .await
                }
                Err(_) => {
                    respond(
                        &mut stream,
                        "200 OK",
                        "Sign-in failed",
                        "The sign-in did not complete. The terminal says why and what to do next; you can close this tab.",
                    )
                    .await
                }
            };
        }
        result
    }
}

fn is_root(target: &str) -> bool {
    let path = target.split('?').next().unwrap_or("");
    path == "/" || path.is_empty()
}

/// The request target of one HTTP request (`GET /?code=… HTTP/1.1`), or None for anything
/// that is not a GET with a complete request head in time.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let read = async {
        let mut chunk = [0u8; 2048];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() > MAX_REQUEST {
                return Some(());
            }
        }
    };
    tokio::time::timeout(REQUEST_READ_LIMIT, read)
        .await
        .ok()??;
    let head = String::from_utf8_lossy(&buf);
    let line = head.lines().next()?;
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    (method == "GET").then(|| target.to_string())
}

/// A short page with no secret in it; the connection is closed after it.
async fn respond(
    stream: &mut TcpStream,
    status: &str,
    title: &str,
    text: &str,
) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} – tmeet</title></head>\
<body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

/// The query of a pasted address, if it is the redirect to this sign-in's port.
fn pasted_query(text: &str, port: u16) -> Result<String, AuthError> {
    let expected = format!("http://localhost:{port}/?code=…&state=…");
    // The text is never repeated: it may hold a code.
    let not_it = || {
        AuthError::Incomplete(format!(
            "the pasted text is not the address the browser ended on (expected {expected}); nothing was stored: run tmeet login again"
        ))
    };
    let url = Url::parse(text).map_err(|_| not_it())?;
    let loopback = matches!(url.host_str(), Some("localhost") | Some("127.0.0.1"));
    if url.scheme() != "http" || !loopback || url.port() != Some(port) || url.path() != "/" {
        return Err(not_it());
    }
    Ok(url.query().unwrap_or("").to_string())
}

/// This sign-in's state, then the service's error, then the code.
fn check_answer(
    query: &str,
    state: &CsrfToken,
    port: u16,
    authority: &Authority,
    asked: &[String],
) -> Result<String, AuthError> {
    let mut got_state = None;
    let mut code = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "state" => got_state = Some(v.into_owned()),
            "code" => code = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = Some(v.into_owned()),
            _ => {}
        }
    }
    if got_state.as_deref() != Some(state.secret().as_str()) {
        let what = if got_state.is_some() {
            "an answer for another sign-in (its state is not this one's: an old tab, or another program)"
        } else {
            "an answer without this sign-in's state"
        };
        return Err(AuthError::Incomplete(format!(
            "port {port} received {what}; nothing was stored: run tmeet login again"
        )));
    }
    if let Some(error) = error {
        return Err(oauth::refused(
            Flow::Authorize,
            &error,
            description.as_deref(),
            authority,
            asked,
        ));
    }
    match code.filter(|c| !c.is_empty()) {
        Some(c) => Ok(c),
        None => Err(AuthError::Incomplete(format!(
            "the answer on port {port} carried no code; nothing was stored: run tmeet login again"
        ))),
    }
}

async fn redeem(
    ctx: &Arc<FlowContext>,
    code: String,
    verifier: PkceCodeVerifier,
    redirect_uri: &str,
) -> Result<AccountStatus, AuthError> {
    let http = Http::new(ctx.http.clone());
    let client = ctx.authority.code_client(redirect_uri)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .add_extra_param("claims", ctx.claims_parameter())
        .request_async(&http)
        .await
        .map_err(|e| {
            oauth::map_error(
                Flow::AuthCode,
                e,
                &http,
                &ctx.authority,
                &ctx.delegated_scopes(),
            )
        })?;
    ctx.signed_in(&response, "through the browser").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_address_must_be_the_redirect_to_this_port() {
        assert_eq!(
            pasted_query("http://localhost:4242/?code=c&state=s", 4242).unwrap(),
            "code=c&state=s"
        );
        assert!(pasted_query("http://127.0.0.1:4242/?code=c", 4242).is_ok());
        for bad in [
            "http://localhost:4243/?code=c&state=s",
            "https://localhost:4242/?code=c&state=s",
            "http://example.com:4242/?code=c&state=s",
            "http://localhost:4242/other?code=c",
            "code=c&state=s",
        ] {
            let e = pasted_query(bad, 4242).unwrap_err().to_string();
            assert!(
                e.contains("http://localhost:4242/") && !e.contains("code=c"),
                "{e}"
            );
        }
    }

    #[test]
    fn the_state_is_checked_before_anything_else() {
        let state = CsrfToken::new("mine".into());
        let a = Authority {
            login_url: Url::parse("http://127.0.0.1:9/").unwrap(),
            tenant: "organizations".into(),
            client_id: "cid".into(),
        };
        let check_answer = |q: &str, s: &CsrfToken, p: u16| super::check_answer(q, s, p, &a, &[]);
        assert_eq!(check_answer("code=c&state=mine", &state, 1).unwrap(), "c");
        let e = check_answer("code=c&state=theirs", &state, 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("another sign-in"), "{e}");
        let e = check_answer("error=access_denied&state=theirs", &state, 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("another sign-in"), "{e}");
        let e = check_answer("state=mine", &state, 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no code"), "{e}");
        let e = check_answer(
            "error=access_denied&error_description=AADSTS65004%3A+User+declined&state=mine",
            &state,
            1,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("AADSTS65004"), "{e}");
    }
}
