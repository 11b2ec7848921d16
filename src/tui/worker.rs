//! The one long-lived task that talks to the network. It owns sign-in and the Graph client;
//! the screen sends it [`Command`]s and hears back only through [`Action`]s, each tagged with
//! the job it answers, so the UI never waits on the network.

use super::app::{Action, SignInPrompt};
use super::view::{ErrorView, ResultView};
use crate::auth::{Auth, AuthError, PollEvent};
use crate::graph::client::{GraphClient, Target, Wait};
use crate::graph::error::ErrorKind;
use crate::meeting::MeetingRequest;
use chrono_tz::Tz;
use std::collections::HashMap;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;
use url::Url;

#[derive(Debug)]
pub enum Command {
    SignIn,
    Create {
        job: u64,
        request: MeetingRequest,
    },
    /// Drops the job's future: its answer, if any, never arrives.
    Cancel {
        job: u64,
    },
}

pub struct WorkerConfig {
    pub auth: Auth,
    pub http: reqwest::Client,
    pub graph_url: Url,
    pub target: Target,
    pub zone: Tz,
}

pub fn spawn(cfg: WorkerConfig, actions: UnboundedSender<Action>) -> UnboundedSender<Command> {
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(cfg, rx, actions));
    tx
}

async fn run(cfg: WorkerConfig, mut rx: UnboundedReceiver<Command>, out: UnboundedSender<Action>) {
    let mut client = match cfg.auth.provider().await {
        Ok(p) => {
            let c = GraphClient::new(cfg.http.clone(), cfg.graph_url.clone(), p);
            preconnect(&c);
            let _ = out.send(Action::Ready);
            Some(c)
        }
        Err(e) => {
            tracing::info!("no usable sign-in: {e}");
            let _ = out.send(Action::SignInNeeded);
            None
        }
    };
    let mut jobs: HashMap<u64, AbortHandle> = HashMap::new();
    while let Some(cmd) = rx.recv().await {
        jobs.retain(|_, h| !h.is_finished());
        match cmd {
            Command::SignIn => match sign_in(&cfg.auth, &out).await {
                Ok(account) => match cfg.auth.provider().await {
                    Ok(p) => {
                        let c = GraphClient::new(cfg.http.clone(), cfg.graph_url.clone(), p);
                        preconnect(&c);
                        client = Some(c);
                        let _ = out.send(Action::SignedIn(account));
                    }
                    Err(e) => {
                        let _ = out.send(Action::SignInFailed(e.to_string()));
                    }
                },
                Err(e) => {
                    tracing::warn!("sign-in failed: {e}");
                    let _ = out.send(Action::SignInFailed(failure_text(&e)));
                }
            },
            Command::Create { job, request } => {
                let Some(c) = client.clone() else {
                    let _ = out.send(Action::SignInLost {
                        job,
                        error: ErrorView::other(
                            "Not signed in",
                            "there is no sign-in to create the meeting with",
                            Some("sign in again: press Ctrl+S"),
                        ),
                    });
                    continue;
                };
                let task = tokio::spawn(create(
                    c,
                    cfg.target.clone(),
                    request,
                    job,
                    cfg.zone,
                    out.clone(),
                ));
                jobs.insert(job, task.abort_handle());
            }
            Command::Cancel { job } => {
                if let Some(h) = jobs.remove(&job) {
                    tracing::info!(job, "request cancelled");
                    h.abort();
                }
            }
        }
    }
}

/// Opens the connection to Graph while the person is still typing, so that submitting
/// costs one request and no handshake (the emulator answers the probe without consuming a
/// queued fault, so this holds in demo mode and tests too).
fn preconnect(c: &GraphClient) {
    let c = c.clone();
    tokio::spawn(async move { c.preconnect().await });
}

/// What the sign-in screen says; the screen adds how to retry.
fn failure_text(e: &AuthError) -> String {
    if e.is_expired_code() {
        "The code expired before the sign-in was finished; a new code is one Enter away.".into()
    } else if e.is_declined() {
        "The sign-in was declined in the browser.".into()
    } else {
        e.to_string()
    }
}

async fn sign_in(auth: &Auth, out: &UnboundedSender<Action>) -> Result<String, AuthError> {
    let flow = auth.start_device_code().await?;
    let p = &flow.prompt;
    let _ = out.send(Action::SignInPrompt(SignInPrompt {
        user_code: p.user_code.clone(),
        verification_uri: p.verification_uri.clone(),
        message: p.message.clone(),
        expires_in_secs: p.expires_in.as_secs(),
    }));
    let progress = out.clone();
    let status = flow
        .complete(move |ev| {
            let text = match ev {
                PollEvent::Pending => "Not finished yet; checking again shortly.".to_string(),
                PollEvent::SlowDown { interval } => format!(
                    "The service asked to check less often; next check in {} s.",
                    interval.as_secs()
                ),
            };
            let _ = progress.send(Action::SignInProgress(text));
        })
        .await?;
    Ok(status
        .account
        .unwrap_or_else(|| format!("tenant {}", status.tenant)))
}

async fn create(
    client: GraphClient,
    target: Target,
    request: MeetingRequest,
    job: u64,
    zone: Tz,
    out: UnboundedSender<Action>,
) {
    let waits = out.clone();
    let on_wait = move |w: Wait| {
        let _ = waits.send(Action::Waiting {
            job,
            status: w.status,
            attempt: w.attempt,
            delay_ms: u64::try_from(w.delay.as_millis()).unwrap_or(u64::MAX),
        });
    };
    let language = request.language().map(|l| l.as_str().to_string());
    let action = match client.create_meeting(&target, &request, &on_wait).await {
        Ok(created) => {
            tracing::info!(job, request_id = ?created.request_id, "meeting created");
            Action::Created {
                job,
                result: Box::new(ResultView::from_meeting(
                    &created.meeting,
                    &zone,
                    language.as_deref(),
                )),
            }
        }
        Err(e) => {
            tracing::warn!(job, "create failed: {e}");
            let mut error = ErrorView::from_graph(&e);
            // A device-code sign-in can mend a delegated sign-in; app-only credentials
            // are fixed outside tmeet.
            if e.kind == ErrorKind::Auth && !e.app_only {
                // The command-line way out is not the one on this screen.
                if let Some(cause) = error.message.strip_suffix("; sign in with: tmeet login") {
                    error.message = cause.to_string();
                }
                error.hint =
                    Some("press Ctrl+S to sign in again here; the form keeps your input".into());
                Action::SignInLost { job, error }
            } else {
                Action::Failed { job, error }
            }
        }
    };
    let _ = out.send(action);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_failures_read_plainly() {
        let refused = |code: &str| AuthError::Refused {
            code: code.into(),
            description: "AADSTS70020: …".into(),
        };
        assert!(failure_text(&refused("expired_token")).contains("new code"));
        assert!(failure_text(&refused("authorization_declined")).contains("declined"));
        let other = failure_text(&AuthError::Network("down".into()));
        assert!(other.contains("down"), "{other}");
    }
}
