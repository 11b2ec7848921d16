//! What the emulator remembers: its users, issued tokens, pending device codes, meetings,
//! queued faults and counters. One mutex guards it all; every handler holds it briefly and
//! never across an await.

use super::faults::Fault;
use super::meetings::StoredMeeting;
use super::policy::Policy;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::json;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use url::Url;

/// The tenant every non-GUID tenant segment (`organizations`, `common`, a domain) maps to.
pub const DEFAULT_TENANT_ID: &str = "6f1c3b9e-52d4-4a8e-9f0b-7e2d5c1a8b34";
/// The person who signs in with a device code (Microsoft's own demo persona).
pub const DEMO_USER_ID: &str = "a3f5e2d1-8c47-4b6a-9e12-3d4c5b6a7f80";
pub const DEMO_USER_NAME: &str = "Adele Vance";
pub const DEMO_USER_UPN: &str = "AdeleV@contoso.onmicrosoft.com";
/// `client_credentials` with this secret answers `invalid_client`, as a wrong secret does.
pub const BAD_CLIENT_SECRET: &str = "wrong-secret";
/// The permissions a `/.default` scope grants in the emulator.
pub(crate) const DELEGATED_PERMISSIONS: &str = "OnlineMeetings.ReadWrite User.Read";
/// The application permissions an app token carries: meetings for anyone (with the access
/// policy, which the emulator takes as granted) and reading the directory.
pub(crate) const APP_ROLES: &[&str] = &["OnlineMeetings.ReadWrite.All", "User.Read.All"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    pub id: String,
    pub display_name: String,
    pub upn: String,
}

impl User {
    pub(crate) fn demo() -> Self {
        User {
            id: DEMO_USER_ID.into(),
            display_name: DEMO_USER_NAME.into(),
            upn: DEMO_USER_UPN.into(),
        }
    }

    /// `/users/{id}` with an app-only token: a user of the seeded directory by object id or
    /// UPN, or any GUID-shaped object id (every such user "exists" so tests need no
    /// directory setup).
    pub(crate) fn lookup(id: &str) -> Option<Self> {
        if let Some(u) = super::directory::find_user(id) {
            return Some(User {
                id: u.id.into(),
                display_name: u.display_name.into(),
                upn: u.user_principal_name.into(),
            });
        }
        if !is_guid(id) {
            return None;
        }
        let id = id.to_ascii_lowercase();
        Some(User {
            display_name: format!("Emulated User {}", &id[..8]),
            upn: format!("user-{}@contoso.onmicrosoft.com", &id[..8]),
            id,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Principal {
    User(User),
    App,
}

#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub tenant_id: String,
    pub principal: Principal,
    pub expires: Instant,
    /// Short permission names: the `scp` of a delegated token, the `roles` of an app token.
    pub permissions: Vec<String>,
    /// The client declared the `cp1` capability (`xms_cc` in `claims`) when asking for it:
    /// only such tokens are sent claims challenges (GRAPH-NEXT.md §1.4).
    pub cp1: bool,
}

impl AccessToken {
    /// Whether the token carries any of `wanted` (compared case-insensitively, as scopes are).
    pub(crate) fn has_any(&self, wanted: &[&str]) -> bool {
        self.permissions
            .iter()
            .any(|p| wanted.iter().any(|w| p.eq_ignore_ascii_case(w)))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub tenant_id: String,
    pub user: User,
    pub client_id: String,
    pub scope: String,
    /// Born from a device-code sign-in: "protocol tracked", so refreshing it is blocked
    /// where the device-code flow is (GRAPH-NEXT.md §1.7).
    pub via_device_code: bool,
    pub cp1: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved,
    Declined,
    Redeemed,
}

#[derive(Debug, Clone)]
pub(crate) struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub client_id: String,
    pub tenant_id: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
    pub status: DeviceStatus,
    pub last_poll: Option<Instant>,
    pub cp1: bool,
}

/// An authorization code from `/authorize`, waiting to be redeemed once.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub code: String,
    pub client_id: String,
    pub tenant_id: String,
    pub redirect_uri: String,
    /// The S256 `code_challenge` the verifier must hash to.
    pub challenge: String,
    pub scopes: Vec<String>,
    pub issued: Instant,
    pub redeemed: bool,
    pub cp1: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Pending,
    Approved,
    Declined,
}

/// A browser sign-in waiting for the person (or a test, through the control endpoint) to
/// approve or decline it.
#[derive(Debug, Clone)]
pub(crate) struct PendingAuthorization {
    pub id: String,
    pub client_id: String,
    pub tenant_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub challenge: String,
    pub scopes: Vec<String>,
    pub cp1: bool,
    pub decision: Decision,
}

#[derive(Default)]
pub(crate) struct State {
    pub graph_faults: VecDeque<Fault>,
    /// Faults that wait for the next create (`Fault::is_write`).
    pub write_faults: VecDeque<Fault>,
    pub identity_faults: VecDeque<Fault>,
    pub device_codes: Vec<DeviceCode>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub meetings: Vec<StoredMeeting>,
    /// Delegated permissions each (tenant, user, client) has consented to, short names. A
    /// device-code sign-in adds what it asked for; a refresh may ask only within it.
    pub consents: HashMap<(String, String, String), BTreeSet<String>>,
    /// The tenant policy every create and PATCH passes through.
    pub policy: Policy,
    pub token_requests: Vec<String>,
    /// Every access and refresh token ever issued, spent ones included, so a test can
    /// search logs and output for any of them.
    pub issued_tokens: Vec<String>,
    /// Mailboxes' events, sent mail and event faults (`calendar_store.rs`).
    pub calendar: super::calendar_store::CalendarStore,
    /// How the tenant refuses sign-ins (`signin_modes.rs`).
    pub signin: super::signin_modes::SignInModes,
    /// How the directory and People answer (`directory_modes.rs`).
    pub directory: super::directory_modes::DirectoryModes,
    pub auth_codes: Vec<AuthCode>,
    pub authorizations: Vec<PendingAuthorization>,
    /// Access tokens a claims challenge was sent for: they answer it again until replaced.
    pub challenged: std::collections::HashSet<String>,
    /// (tenant, user, client) with a claims challenge outstanding; true when only an
    /// interactive sign-in can answer it (a refresh with the claims is refused).
    pub claims_required: HashMap<(String, String, String), bool>,
    /// Short join links, Audio Conferencing licences and who signs in (`meeting_modes.rs`).
    pub modes: super::meeting_modes::MeetingModes,
    /// Delta tokens, answers given and ended sessions (`calendar_view.rs`).
    pub agenda: super::calendar_view::AgendaState,
}

impl State {
    pub(crate) fn push_fault(&mut self, fault: Fault) {
        if fault.is_event() {
            self.calendar.event_faults.push_back(fault);
        } else if fault.is_write() {
            self.write_faults.push_back(fault);
        } else if fault.is_identity() {
            self.identity_faults.push_back(fault);
        } else {
            self.graph_faults.push_back(fault);
        }
    }

    pub(crate) fn device_code_by_user_code(&mut self, user_code: &str) -> Option<&mut DeviceCode> {
        let wanted = normalize_user_code(user_code);
        self.device_codes
            .iter_mut()
            .find(|d| d.user_code == wanted && d.expires > Instant::now())
    }

    pub(crate) fn issue_access_token(
        &mut self,
        tenant_id: &str,
        principal: Principal,
        lifetime: Duration,
        permissions: Vec<String>,
        claims: serde_json::Value,
    ) -> String {
        let token = jwt(&claims);
        self.issued_tokens.push(token.clone());
        self.access_tokens.insert(
            token.clone(),
            AccessToken {
                tenant_id: tenant_id.to_string(),
                principal,
                expires: Instant::now() + lifetime,
                permissions,
                cp1: false,
            },
        );
        token
    }

    pub(crate) fn issue_refresh_token(&mut self, rt: RefreshToken) -> String {
        // Refresh tokens are opaque (not JWTs) at the real service too.
        let token = format!("1.AQ{}", random_string(120));
        self.issued_tokens.push(token.clone());
        self.refresh_tokens.insert(token.clone(), rt);
        token
    }
}

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub base: Url,
    pub auto_approve: bool,
    pub interval_secs: u64,
    pub device_code_expires_secs: u64,
    pub token_lifetime: Duration,
    /// See [`crate::EmulatorOptions::reject_unknown_properties`].
    pub reject_unknown_properties: bool,
    /// See [`crate::EmulatorOptions::attendee_upn_required`].
    pub attendee_upn_required: bool,
    pub connections: AtomicUsize,
    pub api_connections: AtomicUsize,
    pub graph_requests: AtomicUsize,
    /// `hold-after-write`: told when a create is held, and what lets its answer go.
    pub held: tokio::sync::Notify,
    pub release: tokio::sync::Notify,
}

impl Shared {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking handler must not take the whole emulator down with a poisoned lock.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn is_guid(s: &str) -> bool {
    uuid::Uuid::try_parse(s).is_ok() && s.len() == 36
}

pub(crate) fn random_string(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

pub(crate) fn random_digits(len: usize) -> String {
    let mut rng = rand::rng();
    let mut s = String::with_capacity(len);
    s.push(char::from(b'1' + rng.random_range(0..9u8)));
    while s.len() < len {
        s.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    s
}

/// Nine characters from an alphabet without look-alikes, like the service's user codes.
pub(crate) fn new_user_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..9)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

pub(crate) fn normalize_user_code(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A JWT-shaped token: real claims a client may decode (name, tid, scp, exp), but a random
/// signature; the emulator recognizes its tokens by lookup, not by verifying them.
pub(crate) fn jwt(claims: &serde_json::Value) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "tmeet-emulator"});
    let mut sig = [0u8; 64];
    rand::rng().fill(&mut sig[..]);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_found_by_guid_or_directory_upn_only() {
        assert_eq!(User::lookup(DEMO_USER_UPN), Some(User::demo()));
        let megan = User::lookup("meganb@contoso.onmicrosoft.com").unwrap();
        assert_eq!(megan.display_name, "Megan Bowen");
        assert_eq!(
            User::lookup(&DEMO_USER_ID.to_uppercase()),
            Some(User::demo())
        );
        let other = User::lookup("11111111-2222-3333-4444-555555555555").unwrap();
        assert_eq!(other.display_name, "Emulated User 11111111");
        assert_eq!(User::lookup("someone@example.com"), None);
        assert_eq!(User::lookup("1111111122223333444455555555555"), None);
    }

    #[test]
    fn codes_and_tokens_have_the_service_shapes() {
        let code = new_user_code();
        assert_eq!(code.len(), 9);
        assert_eq!(normalize_user_code(&code.to_lowercase()), code);
        assert_eq!(normalize_user_code("ab-cd 12"), "ABCD12");
        let d = random_digits(12);
        assert!(d.len() == 12 && !d.starts_with('0') && d.chars().all(|c| c.is_ascii_digit()));
        let t = jwt(&json!({"name": "x"}));
        let payload = t.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["name"], "x");
    }
}
