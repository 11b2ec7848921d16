//! How new online meetings come out and who makes them, as real tenants differ: the share
//! of meetings given the short join link with its expiry (GRAPH-REAL.md Q8, Q9), the
//! people without an Audio Conferencing licence, whose meetings have no dial-in (Q3), and
//! which directory user the next sign-ins are for, so that a test can make a meeting as
//! one person and reach it as another (Q16). Each is a control endpoint:
//!
//! - `POST /_emulator/links` `short=N`: N percent of new meetings (0–100) get a short link.
//! - `POST /_emulator/audio-conferencing` `user=UPN|id&licensed=false|true`.
//! - `POST /_emulator/signin-user` with a UPN or object id (empty: the demo user).

use super::meetings::StoredMeeting;
use super::state::{Shared, User};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::post;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The seeded person without an Audio Conferencing licence: their meetings have no dial-in.
pub const NO_DIAL_IN_USER_ID: &str = "9a4c1d6e-3b58-4f27-8e09-6d2b7c5a1f38";
pub const NO_DIAL_IN_UPN: &str = "LeeG@contoso.onmicrosoft.com";

#[derive(Debug)]
pub(crate) struct MeetingModes {
    /// Percent of new online meetings that get a short join link.
    pub short_link_percent: u8,
    made: u64,
    /// Object ids (lowercase) of users without an Audio Conferencing licence.
    pub no_audio_conferencing: BTreeSet<String>,
    /// Who the next sign-ins are for; None: the demo user.
    pub signin_user: Option<User>,
}

impl Default for MeetingModes {
    fn default() -> Self {
        Self {
            short_link_percent: 0,
            made: 0,
            no_audio_conferencing: BTreeSet::from([NO_DIAL_IN_USER_ID.to_string()]),
            signin_user: None,
        }
    }
}

impl MeetingModes {
    /// Gives a new meeting its link shape and dial-in. The share is spread evenly (at 50,
    /// every second meeting) rather than drawn at random, so that a test knows what it gets.
    pub(crate) fn shape(&mut self, m: &mut StoredMeeting) {
        self.made += 1;
        let p = u64::from(self.short_link_percent.min(100));
        if self.made * p / 100 > (self.made - 1) * p / 100 {
            m.use_short_link();
        }
        m.dial_in = !self
            .no_audio_conferencing
            .contains(&m.organizer.id.to_ascii_lowercase());
    }

    /// The person a sign-in approved now is for.
    pub(crate) fn signing_in(&self) -> User {
        self.signin_user.clone().unwrap_or_else(User::demo)
    }
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/links", post(set_links))
        .route("/_emulator/audio-conferencing", post(set_licence))
        .route("/_emulator/signin-user", post(set_signin_user))
}

fn bad(msg: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// A directory user by UPN or object id (only the seeded directory: a made-up id would
/// silently sign in nobody anyone can find).
fn directory_user(who: &str) -> Option<User> {
    let u = super::directory::find_user(who.trim())?;
    Some(User {
        id: u.id.into(),
        display_name: u.display_name.into(),
        upn: u.user_principal_name.into(),
    })
}

async fn set_links(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let f = form(&body);
    match f.get("short").and_then(|s| s.trim().parse::<u8>().ok()) {
        Some(p) if p <= 100 => {
            shared.lock().modes.short_link_percent = p;
            Json(json!({ "shortLinkPercent": p })).into_response()
        }
        _ => bad("give short=N, N from 0 to 100 (percent of new meetings)".into()),
    }
}

async fn set_licence(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let f = form(&body);
    let Some(user) = f.get("user").and_then(|u| directory_user(u)) else {
        return bad("give user=UPN or object id of a seeded directory user".into());
    };
    let licensed = match f.get("licensed").map(|s| s.trim()) {
        Some("true") => true,
        Some("false") => false,
        _ => return bad("give licensed=true or licensed=false".into()),
    };
    let mut st = shared.lock();
    let id = user.id.to_ascii_lowercase();
    if licensed {
        st.modes.no_audio_conferencing.remove(&id);
    } else {
        st.modes.no_audio_conferencing.insert(id);
    }
    Json(json!({ "user": user.upn, "audioConferencing": licensed })).into_response()
}

async fn set_signin_user(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let who = String::from_utf8_lossy(&body).trim().to_string();
    let user = if who.is_empty() {
        None
    } else {
        match directory_user(&who) {
            Some(u) => Some(u),
            None => return bad(format!("'{who}' is not a seeded directory user")),
        }
    };
    let mut st = shared.lock();
    st.modes.signin_user = user;
    let upn = st.modes.signing_in().upn;
    Json(json!({ "signinUser": upn })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_of_short_links_is_spread_evenly() {
        let mut modes = MeetingModes::default();
        let mut shapes = |p: u8, n: usize| {
            modes.short_link_percent = p;
            modes.made = 0;
            (0..n)
                .map(|_| {
                    let mut m = StoredMeeting::create(super::super::meetings::NewMeeting {
                        tenant_id: "t".into(),
                        organizer: User::demo(),
                        external_id: None,
                        start: chrono::Utc::now(),
                        end: chrono::Utc::now(),
                        subject: None,
                        passcode_required: false,
                        settings: serde_json::Map::new(),
                        attendees: vec![],
                    });
                    modes.shape(&mut m);
                    m.join_web_url.contains("/meet/")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shapes(0, 3), [false, false, false]);
        assert_eq!(shapes(100, 3), [true, true, true]);
        assert_eq!(shapes(50, 4), [false, true, false, true]);
    }

    #[test]
    fn the_seeded_person_without_a_licence_exists() {
        let u = directory_user(NO_DIAL_IN_UPN).unwrap();
        assert_eq!(u.id, NO_DIAL_IN_USER_ID);
    }
}
