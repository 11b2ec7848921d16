//! The Graph + identity emulator: an HTTP server on loopback that answers like
//! `login.microsoftonline.com` and `graph.microsoft.com/v1.0` do for what tmeet uses
//! (GRAPH.md), so demo mode and every test run without an account or a network.
//!
//! It is served through its own accept loop (not `axum::serve`) for two reasons: tests count
//! accepted TCP connections, and the `drop` fault must close a connection after the request
//! was carried out but before any answer is written.
//!
//! Layout: `identity` (+ `tokens`, `devicelogin`) is the sign-in side; `graph` (+
//! `operations`, `answers`, `meetings`, `participants`, `templates`) the Graph side,
//! `directory` the seeded users and `/users`; `policy` the tenant policy; `calendar` (+
//! `events`, `schedule`, `people`, `org`, `timezones`, `calendar_store`, `recurrence`) the
//! Outlook side: events and series, free/busy, suggestions and people search; `faults` the
//! injectable failures; `control` the `/_emulator` endpoints; `state` what is remembered.
//!
//! It shares no code with tmeet: the contract between the two is the service's documented
//! wire format (GRAPH.md) and the recorded answers in tmeet's `tests/fixtures/seed/`.

mod answers;
mod attendance;
mod authorize;
mod calendar;
mod calendar_store;
mod calendar_view;
mod control;
mod devicelogin;
mod directory;
mod directory_modes;
mod events;
mod faults;
mod graph;
mod hostile;
mod identity;
mod join_information;
mod mailbox_modes;
mod mailbox_settings;
mod master_categories;
mod meeting_modes;
mod meetings;
mod operations;
mod org;
mod participants;
mod people;
mod policy;
mod recurrence;
mod responses;
mod schedule;
mod signin_modes;
mod state;
mod templates;
mod timezones;
mod token;
mod tokens;

pub use calendar_store::SentMail;
pub use directory::{
    DirectoryUser, FORMER_ADDRESS, GUEST_MAIL, GUEST_UPN, RENAMED_MAIL, UserType, directory,
    find_user,
};
pub use directory_modes::{DirectoryModes, directory_keys_help};
pub use faults::{Fault, RetryAfter, parse_list as parse_faults};
pub use hostile::{HOSTILE_JOIN_URL, HOSTILE_TEXT};
pub use mailbox_modes::{MailboxModes, mailbox_keys_help};
pub use meeting_modes::{NO_DIAL_IN_UPN, NO_DIAL_IN_USER_ID};
pub use policy::{Policy, policy_keys_help};
pub use signin_modes::{DeviceCodeMode, SignInModes, signin_keys_help};
pub use state::{
    BAD_CLIENT_SECRET, DEFAULT_TENANT_ID, DEMO_USER_ID, DEMO_USER_NAME, DEMO_USER_UPN,
};
pub use token::Token;

use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use state::{Shared, State, User};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use url::Url;

/// The environment variable [`EmulatorOptions::demo`] reads its initial faults from.
pub const FAULTS_ENV: &str = "TMEET_EMULATOR_FAULTS";
/// The environment variable [`EmulatorOptions::demo`] reads the tenant policy from.
pub const POLICY_ENV: &str = "TMEET_EMULATOR_POLICY";
/// The environment variable [`EmulatorOptions::demo`] reads the sign-in modes from.
/// Where `--demo` and `tmeet emulator` read the directory modes.
pub const DIRECTORY_ENV: &str = "TMEET_EMULATOR_DIRECTORY";
pub const SIGNIN_ENV: &str = "TMEET_EMULATOR_SIGNIN";
/// The environment variable [`EmulatorOptions::demo`] reads the signed-in person's mailbox
/// modes from.
pub const MAILBOX_ENV: &str = "TMEET_EMULATOR_MAILBOX";
/// Percent of new online meetings given the short join link (`--demo`: 50).
pub const SHORT_LINKS_ENV: &str = "TMEET_EMULATOR_SHORT_LINKS";

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// 0 = any free port; the emulator always binds 127.0.0.1.
    pub port: u16,
    /// Demo mode: a device code is approved on its first poll, and a browser sign-in
    /// (`/authorize`) redirects with a code at once.
    pub auto_approve_device_codes: bool,
    /// `interval` in the devicecode answer (service: 5).
    pub device_code_interval_secs: u64,
    /// `expires_in` of a device code (service: 900).
    pub device_code_expires_secs: u64,
    /// `expires_in` of access tokens (service: about 3599).
    pub access_token_lifetime_secs: u64,
    /// The initial fault queue.
    pub faults: Vec<Fault>,
    /// The tenant policy applied to every create and PATCH (none by default).
    pub policy: Policy,
    /// How the tenant refuses sign-ins (none by default).
    pub signin: SignInModes,
    /// The signed-in person's mailbox: none that Graph can reach, a mail address other
    /// than the UPN, its language (none of these by default).
    pub mailbox: MailboxModes,
    /// How the directory and People answer (`directory_modes.rs`; the seeded default).
    pub directory: DirectoryModes,
    /// A property the v1.0 schema doesn't have (a beta-only one, a typo) answers 400, as
    /// the service's OData reader does. False: it is dropped silently instead.
    pub reject_unknown_properties: bool,
    /// An attendee with `identity.user.id` and no `upn` answers 500, as the service was
    /// seen to (microsoft-graph-docs-contrib#771). False: the UPN is filled in from the
    /// directory instead.
    pub attendee_upn_required: bool,
    /// The Windows or IANA zone of the organization's working hours and seeded calendars
    /// (None: "Pacific Standard Time"; `--demo` uses `TZ`'s, else the machine's zone).
    pub org_time_zone: Option<String>,
    /// Every calendar's `allowedOnlineMeetingProviders`; without `teamsForBusiness` an
    /// event asking for a Teams meeting is silently created without one.
    pub online_meeting_providers: Vec<String>,
    /// A PATCHed event body without the join block: false clears `onlineMeeting`
    /// (contrib#1895), true gives the event a new Teams meeting and link (contrib#311).
    pub body_patch_regenerates_link: bool,
    /// Whether an event's `start`/`end` may name an IANA zone. The service documents a list
    /// of IANA names but warns that create and update "might not support all" of them
    /// (GRAPH-SCHEDULING §3.2); false answers `TimeZoneNotSupportedException` to every
    /// IANA name there, as such a mailbox would, while Windows names keep working.
    pub iana_zones_in_events: bool,
    /// Calendar and people calls per mailbox in ten minutes before 429 `TooManyRequests`
    /// (the service: 10,000).
    pub outlook_requests_per_10_min: usize,
    /// Seconds added to the `Date` header of every answer (negative: behind), as a service
    /// seen from a machine whose clock is off by that much. Sign-in and tokens fail on such
    /// a machine; `tmeet doctor` compares the header with the local clock. 0: hyper's own.
    pub clock_skew_secs: i64,
    /// Percent of new online meetings (0–100) given the short join link
    /// (`https://teams.microsoft.com/meet/<id>?p=…`, GRAPH-REAL.md Q8) instead of the long
    /// `/l/meetup-join/…` one; `--demo`: 50, or `TMEET_EMULATOR_SHORT_LINKS`.
    pub short_link_percent: u8,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        Self {
            port: 0,
            auto_approve_device_codes: false,
            device_code_interval_secs: 5,
            device_code_expires_secs: 900,
            access_token_lifetime_secs: 3599,
            faults: Vec::new(),
            policy: Policy::default(),
            signin: SignInModes::default(),
            mailbox: MailboxModes::default(),
            directory: DirectoryModes::default(),
            reject_unknown_properties: true,
            attendee_upn_required: true,
            org_time_zone: None,
            online_meeting_providers: vec!["teamsForBusiness".into()],
            body_patch_regenerates_link: false,
            iana_zones_in_events: true,
            outlook_requests_per_10_min: 10_000,
            clock_skew_secs: 0,
            short_link_percent: 0,
        }
    }
}

impl EmulatorOptions {
    /// `--demo`: sign-in approves itself, polls every second, faults come from
    /// `TMEET_EMULATOR_FAULTS` and the tenant policy from `TMEET_EMULATOR_POLICY`; a
    /// malformed value is an error that names the bad entry and lists what is known, so a
    /// typo never silently runs without it.
    pub fn demo() -> Result<Self, String> {
        Ok(Self {
            faults: faults_from_env()?,
            policy: policy_from_env()?,
            signin: signin_from_env()?,
            mailbox: mailbox_from_env()?,
            short_link_percent: short_links_from_env()?.unwrap_or(50),
            directory: directory_from_env()?,
            ..Self::demo_base()
        })
    }

    fn demo_base() -> Self {
        Self {
            auto_approve_device_codes: true,
            device_code_interval_secs: 1,
            // Colleagues work when the person trying the demo does: in the zone tmeet
            // shows times in, `TZ` first.
            org_time_zone: demo_zone(
                std::env::var("TZ").ok().as_deref(),
                iana_time_zone::get_timezone().ok().as_deref(),
            ),
            ..Self::default()
        }
    }
}

/// The zone of the person trying the demo, as tmeet itself chooses it: `TZ` when it names
/// a zone (POSIX's leading `:` and a path into the zone database allowed), else the
/// machine's; None when neither is one the emulator knows. Otherwise a terminal with `TZ`
/// set would see the mailbox in another zone than its own, and the colleagues' hours off.
fn demo_zone(tz: Option<&str>, system: Option<&str>) -> Option<String> {
    let known = |z: &str| timezones::Zone::parse(z).map(|_| z.to_string());
    let from_tz = tz
        .map(|t| t.trim().trim_start_matches(':'))
        .map(|t| t.split_once("zoneinfo/").map_or(t, |(_, zone)| zone))
        .filter(|t| !t.is_empty() && !t.starts_with('/'))
        .and_then(known);
    from_tz.or_else(|| system.and_then(known))
}

#[cfg(test)]
mod demo_zone_tests {
    use super::demo_zone;

    #[test]
    fn tz_wins_over_the_system_as_in_tmeet() {
        let berlin = Some("Europe/Berlin");
        assert_eq!(
            demo_zone(Some("Asia/Tokyo"), berlin).as_deref(),
            Some("Asia/Tokyo")
        );
        assert_eq!(
            demo_zone(Some(":/usr/share/zoneinfo/America/New_York"), berlin).as_deref(),
            Some("America/New_York")
        );
        // Unset, empty, the system's file, or no zone at all: the machine's.
        for tz in [
            None,
            Some(""),
            Some(":/etc/localtime"),
            Some("Nowhere/Zone"),
        ] {
            assert_eq!(
                demo_zone(tz, berlin).as_deref(),
                Some("Europe/Berlin"),
                "{tz:?}"
            );
        }
        assert_eq!(demo_zone(Some("Nowhere/Zone"), None), None);
    }
}

/// The faults listed in `TMEET_EMULATOR_FAULTS` (none when unset).
pub fn faults_from_env() -> Result<Vec<Fault>, String> {
    match std::env::var(FAULTS_ENV) {
        Ok(s) => parse_faults(&s).map_err(|e| format!("{FAULTS_ENV}: {e}")),
        Err(_) => Ok(Vec::new()),
    }
}

/// The percent of short join links in `TMEET_EMULATOR_SHORT_LINKS` (None when unset).
pub fn short_links_from_env() -> Result<Option<u8>, String> {
    match std::env::var(SHORT_LINKS_ENV) {
        Ok(s) => match s.trim().parse::<u8>() {
            Ok(p) if p <= 100 => Ok(Some(p)),
            _ => Err(format!(
                "{SHORT_LINKS_ENV}: '{s}' is not a percent from 0 to 100"
            )),
        },
        Err(_) => Ok(None),
    }
}

/// The tenant policy in `TMEET_EMULATOR_POLICY` (none when unset).
pub fn policy_from_env() -> Result<Policy, String> {
    match std::env::var(POLICY_ENV) {
        Ok(s) => s.parse().map_err(|e| format!("{POLICY_ENV}: {e}")),
        Err(_) => Ok(Policy::default()),
    }
}

/// The sign-in modes in `TMEET_EMULATOR_SIGNIN` (none when unset).
pub fn signin_from_env() -> Result<SignInModes, String> {
    match std::env::var(SIGNIN_ENV) {
        Ok(s) => s.parse().map_err(|e| format!("{SIGNIN_ENV}: {e}")),
        Err(_) => Ok(SignInModes::default()),
    }
}

/// The mailbox modes in `TMEET_EMULATOR_MAILBOX` (none when unset).
pub fn mailbox_from_env() -> Result<MailboxModes, String> {
    match std::env::var(MAILBOX_ENV) {
        Ok(s) => s.parse().map_err(|e| format!("{MAILBOX_ENV}: {e}")),
        Err(_) => Ok(MailboxModes::default()),
    }
}

/// The directory modes in `TMEET_EMULATOR_DIRECTORY` (the default when unset).
pub fn directory_from_env() -> Result<DirectoryModes, String> {
    match std::env::var(DIRECTORY_ENV) {
        Ok(s) => s.parse().map_err(|e| format!("{DIRECTORY_ENV}: {e}")),
        Err(_) => Ok(DirectoryModes::default()),
    }
}

/// What one accepted TCP connection shares with the requests it carries.
struct ConnCtx {
    /// Closes the connection at once, without writing an answer.
    kill: Notify,
    /// Set once the connection carried a Graph or identity request (not just control calls).
    used_for_api: AtomicBool,
}

#[derive(Clone)]
struct Conn(Arc<ConnCtx>);

impl Conn {
    fn drop_connection(&self) {
        self.0.kill.notify_one();
    }

    fn mark_api(&self, shared: &Shared) {
        if !self.0.used_for_api.swap(true, Ordering::Relaxed) {
            shared.api_connections.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds 127.0.0.1 and serves on the current tokio runtime until `shutdown` or drop.
    pub async fn start(opts: EmulatorOptions) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).await?;
        let addr = listener.local_addr()?;
        let base =
            Url::parse(&format!("http://{addr}/")).expect("a socket address is a valid host");
        let mut state = State::default();
        for f in opts.faults {
            state.push_fault(f);
        }
        state.policy = opts.policy;
        state.modes.short_link_percent = opts.short_link_percent.min(100);
        state.signin = opts.signin;
        state.directory = opts.directory;
        calendar_store::configure(
            &mut state.calendar,
            opts.org_time_zone.as_deref(),
            opts.online_meeting_providers,
        )
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        calendar_view::seed(&mut state.calendar);
        let today = state.calendar.today();
        calendar_view::seed_series(&mut state.calendar, today);
        state.calendar.body_patch_regenerates_link = opts.body_patch_regenerates_link;
        state.calendar.iana_zones_in_events = opts.iana_zones_in_events;
        state.calendar.mailbox = opts.mailbox;
        state.calendar.request_budget = opts.outlook_requests_per_10_min;
        let shared = Arc::new(Shared {
            state: std::sync::Mutex::new(state),
            base,
            auto_approve: opts.auto_approve_device_codes,
            interval_secs: opts.device_code_interval_secs,
            device_code_expires_secs: opts.device_code_expires_secs,
            token_lifetime: Duration::from_secs(opts.access_token_lifetime_secs),
            reject_unknown_properties: opts.reject_unknown_properties,
            attendee_upn_required: opts.attendee_upn_required,
            connections: AtomicUsize::new(0),
            api_connections: AtomicUsize::new(0),
            graph_requests: AtomicUsize::new(0),
            held: tokio::sync::Notify::new(),
            release: tokio::sync::Notify::new(),
        });
        let skew = opts.clock_skew_secs;
        let router = Router::new()
            .merge(identity::routes())
            .merge(authorize::routes())
            .merge(devicelogin::routes())
            .merge(graph::routes())
            .merge(control::routes())
            .merge(meeting_modes::routes())
            .merge(calendar_view::control_routes())
            .layer(axum::middleware::from_fn(tag_response))
            .layer(axum::middleware::from_fn(move |req, next| {
                skewed_date(skew, req, next)
            }))
            .with_state(shared.clone());
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, router, shared.clone(), stop_rx));
        Ok(Emulator {
            shared,
            addr,
            stop,
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v1.0`, what `--graph-url` takes.
    pub fn graph_url(&self) -> Url {
        self.shared.base.join("v1.0").expect("static path")
    }

    /// `http://127.0.0.1:PORT`, what `--login-url` takes.
    pub fn login_url(&self) -> Url {
        self.shared.base.clone()
    }

    /// Queues a fault for the next Graph request (identity faults: the next `/token` call).
    pub fn push_fault(&self, fault: Fault) {
        self.shared.lock().push_fault(fault);
    }

    /// Resolves once a create queued with `hold-after-write` has been carried out and its
    /// answer is being held back (at once if that happened already).
    pub async fn held(&self) {
        self.shared.held.notified().await;
    }

    /// Lets the held answer of `hold-after-write` go (or the next one, if none is held yet).
    pub fn release_held(&self) {
        self.shared.release.notify_one();
    }

    pub fn meeting_count(&self) -> usize {
        self.shared.lock().meetings.len()
    }

    /// Every stored meeting as the service would answer it to a client that sends
    /// `Prefer: include-unknown-enum-members` (in English), oldest first: what tests
    /// compare a client's read-back against.
    pub fn stored_meetings(&self) -> Vec<serde_json::Value> {
        control::stored_meetings(&self.shared)
    }

    /// Later sign-ins (and minted user tokens) are for the seeded directory user `upn`
    /// (a UPN or object id), or for the demo user again with None. False: no such user.
    pub fn sign_in_as(&self, upn: Option<&str>) -> bool {
        let user = match upn {
            None => None,
            Some(who) => match directory::find_user(who) {
                Some(u) => Some(User {
                    id: u.id.into(),
                    display_name: u.display_name.into(),
                    upn: u.user_principal_name.into(),
                }),
                None => return false,
            },
        };
        self.shared.lock().modes.signin_user = user;
        true
    }

    /// The percent (0–100) of later online meetings given the short join link.
    pub fn set_short_links(&self, percent: u8) {
        self.shared.lock().modes.short_link_percent = percent.min(100);
    }

    /// Gives the seeded user `upn` an Audio Conferencing licence (dial-in) or takes it away.
    pub fn set_audio_conferencing(&self, upn: &str, licensed: bool) -> bool {
        let Some(u) = directory::find_user(upn) else {
            return false;
        };
        let id = u.id.to_ascii_lowercase();
        let mut st = self.shared.lock();
        if licensed {
            st.modes.no_audio_conferencing.remove(&id);
        } else {
            st.modes.no_audio_conferencing.insert(id);
        }
        true
    }

    /// Replaces the tenant policy; later creates and PATCHes follow it.
    pub fn set_policy(&self, policy: Policy) {
        self.shared.lock().policy = policy;
    }

    /// Replaces the directory modes; later calls and app-only tokens follow them.
    pub fn set_directory_modes(&self, modes: DirectoryModes) {
        self.shared.lock().directory = modes;
    }

    /// Replaces the sign-in modes; later sign-ins and refreshes follow them.
    pub fn set_signin_modes(&self, modes: SignInModes) {
        self.shared.lock().signin = modes;
    }

    /// Replaces the signed-in person's mailbox modes; later calls follow them.
    pub fn set_mailbox_modes(&self, modes: MailboxModes) {
        self.shared.lock().calendar.mailbox = modes;
    }

    /// What a person does on the `/authorize` page: approves the newest waiting browser
    /// sign-in. The address the browser is then sent to (the redirect with a code), or
    /// None when no sign-in is waiting.
    pub fn approve_authorization(&self) -> Option<Url> {
        authorize::decide(&self.shared, None, true)
    }

    /// Cancels the newest waiting browser sign-in; the redirect with `error=access_denied`.
    pub fn decline_authorization(&self) -> Option<Url> {
        authorize::decide(&self.shared, None, false)
    }

    /// TCP connections accepted so far, control calls included.
    pub fn connection_count(&self) -> usize {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// TCP connections that carried at least one Graph or identity request.
    pub fn api_connection_count(&self) -> usize {
        self.shared.api_connections.load(Ordering::Relaxed)
    }

    pub fn graph_request_count(&self) -> usize {
        self.shared.graph_requests.load(Ordering::Relaxed)
    }

    /// The `grant_type` of every `/token` call, in order.
    pub fn token_requests(&self) -> Vec<String> {
        self.shared.lock().token_requests.clone()
    }

    /// What a person does on the `/devicelogin` page. False when no pending code matches.
    pub fn approve_device_code(&self, user_code: &str) -> bool {
        devicelogin::approve_device_code(&self.shared, user_code)
    }

    pub fn decline_device_code(&self, user_code: &str) -> bool {
        devicelogin::decline_device_code(&self.shared, user_code)
    }

    /// A delegated (access, refresh) pair for the demo user, as a device-code sign-in for
    /// `OnlineMeetings.ReadWrite offline_access` gives.
    pub fn mint_user_token(&self, tenant: &str, lifetime: Duration) -> (Token, Token) {
        self.mint_user_token_with_scopes(
            tenant,
            "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access",
            lifetime,
        )
    }

    /// As [`Self::mint_user_token`], for the space-separated `scope` a sign-in asked for
    /// (the user consents to all of it, as by approving the sign-in).
    pub fn mint_user_token_with_scopes(
        &self,
        tenant: &str,
        scope: &str,
        lifetime: Duration,
    ) -> (Token, Token) {
        let tenant_id = tenant_id_of(tenant);
        let scopes: Vec<String> = scope.split_whitespace().map(String::from).collect();
        let mut st = self.shared.lock();
        let user = st.modes.signing_in();
        let body = tokens::user_token_response(
            &mut st,
            &tenant_id,
            user,
            "tmeet-emulator-tests",
            &scopes,
            lifetime,
        );
        let field = |k: &str| Token::new(body[k].as_str().unwrap_or_default());
        (field("access_token"), field("refresh_token"))
    }

    /// Events on every calendar, the seeded colleagues' included.
    pub fn event_count(&self) -> usize {
        self.shared.lock().calendar.events.len()
    }

    /// An event of any calendar (an occurrence of a series too) as the emulator keeps it, or
    /// None: `subject`, `start` and
    /// `end` (RFC 3339, UTC), `originalStartTimeZone` (the zone its start was sent in),
    /// `attendees` (addresses), `location` (its display name), `isCancelled`, and the
    /// invitation's fields a request set (`showAs` always; the others null when never
    /// sent: the service's defaults). What tests compare a client's account of an event with.
    pub fn stored_event(&self, id: &str) -> Option<serde_json::Value> {
        let st = self.shared.lock();
        let e = st.calendar.instance(id)?;
        let set = |k: &str| e.extra.get(k).cloned().unwrap_or(serde_json::Value::Null);
        Some(serde_json::json!({
            "showAs": e.show_as.name(),
            "isReminderOn": set("isReminderOn"),
            "reminderMinutesBeforeStart": set("reminderMinutesBeforeStart"),
            "importance": set("importance"),
            "sensitivity": set("sensitivity"),
            "categories": set("categories"),
            "responseRequested": set("responseRequested"),
            "allowNewTimeProposals": set("allowNewTimeProposals"),
            "hideAttendees": set("hideAttendees"),
            "subject": e.subject,
            "start": meetings::format_time(&e.start),
            "end": meetings::format_time(&e.end),
            "originalStartTimeZone": e.start_zone,
            "attendees": e.attendee_addresses(),
            "location": e.extra.get("location").and_then(|l| l.get("displayName")).cloned(),
            "isCancelled": e.cancelled,
        }))
    }

    /// The invitations, updates and cancellations sent so far, oldest first.
    pub fn sent_mail(&self) -> Vec<SentMail> {
        self.shared
            .lock()
            .calendar
            .mail
            .iter()
            .map(SentMail::from)
            .collect()
    }

    /// An app-only access token (client credentials) for `tenant`.
    pub fn mint_app_token(&self, tenant: &str, lifetime: Duration) -> Token {
        let token = tokens::mint_app(
            &mut self.shared.lock(),
            &tenant_id_of(tenant),
            "tmeet-emulator-tests",
            "https://graph.microsoft.com",
            lifetime,
        );
        Token::new(token)
    }

    /// Every access and refresh token issued so far, spent and expired ones included.
    pub fn issued_tokens(&self) -> Vec<Token> {
        let st = self.shared.lock();
        st.issued_tokens
            .iter()
            .map(|t| Token::new(t.as_str()))
            .collect()
    }

    /// Every access token issued so far now answers 401, as after their expiry.
    pub fn expire_access_tokens(&self) {
        expire_all(&self.shared);
    }

    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn tenant_id_of(tenant: &str) -> String {
    if state::is_guid(tenant) {
        tenant.to_ascii_lowercase()
    } else {
        DEFAULT_TENANT_ID.to_string()
    }
}

fn expire_all(shared: &Shared) {
    let now = std::time::Instant::now();
    for t in shared.lock().access_tokens.values_mut() {
        t.expires = t.expires.min(now);
    }
}

/// Every answer carries a `request-id` (Graph's handlers set their own), and every API call
/// is logged by method, path and status: never headers, bodies or queries, where tokens
/// and codes travel.
async fn tag_response(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    if !resp.headers().contains_key("request-id") {
        let id = uuid::Uuid::new_v4().to_string();
        resp.headers_mut().insert(
            "request-id",
            axum::http::HeaderValue::from_str(&id).expect("a UUID is a valid header value"),
        );
    }
    if !path.starts_with("/_emulator") {
        tracing::info!(target: "tmeet_emulator", "{method} {path} -> {}", resp.status().as_u16());
    }
    resp
}

/// With a clock skew, every answer's `Date` is now + skew; hyper then leaves it alone (it
/// adds its own only when none is set).
async fn skewed_date(
    skew_secs: i64,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut resp = next.run(req).await;
    if skew_secs != 0 {
        let now = std::time::SystemTime::now();
        let shift = Duration::from_secs(skew_secs.unsigned_abs());
        let date = if skew_secs > 0 {
            now.checked_add(shift)
        } else {
            now.checked_sub(shift)
        };
        if let Some(value) = date
            .map(httpdate::fmt_http_date)
            .and_then(|d| axum::http::HeaderValue::from_str(&d).ok())
        {
            resp.headers_mut().insert(axum::http::header::DATE, value);
        }
    }
    resp
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    // Dropping the set at the end aborts every connection still open, hung ones included.
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!("emulator: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                shared.connections.fetch_add(1, Ordering::Relaxed);
                let _ = stream.set_nodelay(true);
                let ctx = Arc::new(ConnCtx { kill: Notify::new(), used_for_api: AtomicBool::new(false) });
                let service = TowerToHyperService::new(router.clone().layer(Extension(Conn(ctx.clone()))));
                conns.spawn(async move {
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = conn => {}
                        _ = ctx.kill.notified() => {}
                    }
                });
            }
        }
    }
}
