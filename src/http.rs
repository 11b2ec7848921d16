//! The one HTTP client of the process (DESIGN.md rule 6): Graph and the identity platform
//! share its connection pool, so a warm connection is reused for every request.

use std::time::Duration;

/// Connect timeout; the per-request budget is set by each caller (Graph: 30 s).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Redirects are not followed: a token request or a Graph call that redirects is either a
/// misconfiguration or an attempt to send the bearer token elsewhere.
pub fn build_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("tmeet/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(90))
        .build()
        .expect("a rustls client with static settings always builds")
}
