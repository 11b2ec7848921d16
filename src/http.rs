//! The one HTTP client of the process (DESIGN.md rule 6): Graph and the identity platform
//! share its connection pool, so a warm connection is reused for every request.

use crate::settings::Settings;
use std::time::Duration;

/// Connect timeout; the per-request budget is set by each caller (Graph: 30 s).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The client for talking to these settings' endpoints. Redirects are not followed: a
/// token request or a Graph call that redirects is either a misconfiguration or an attempt
/// to send the bearer token elsewhere. The system's root certificates are loaded only when
/// an endpoint is https: reading and parsing them is most of a short command's start-up,
/// and plain http (the emulator on loopback) has no use for them.
pub fn client_for(settings: &Settings) -> reqwest::Client {
    let tls = [&settings.graph_url, &settings.login_url]
        .iter()
        .any(|u| u.scheme() != "http");
    builder()
        .tls_built_in_root_certs(tls)
        .build()
        .expect(BUILDS)
}

/// A client for any endpoint, https included: tests that have no `Settings`.
#[cfg(feature = "test-support")]
pub fn build_client() -> reqwest::Client {
    builder().build().expect(BUILDS)
}

const BUILDS: &str = "a rustls client with static settings always builds";

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("tmeet/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(90))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{ConfigFile, GlobalArgs};

    fn settings(graph: &str) -> Settings {
        let args = GlobalArgs {
            graph_url: Some(graph.into()),
            login_url: Some(graph.into()),
            ..Default::default()
        };
        let en = crate::meeting::Language::parse("en").unwrap();
        Settings::from_parts(&args, &ConfigFile::default(), None, en).unwrap()
    }

    /// A loopback port that refuses connections for as long as the value lives: bound, so
    /// no other socket can take it, and never listening (as `tests/common`'s `DownPort`).
    fn down_port() -> (socket2::Socket, u16) {
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket
            .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let port = socket.local_addr().unwrap().as_socket().unwrap().port();
        (socket, port)
    }

    #[tokio::test]
    async fn a_client_without_roots_still_refuses_unverified_https() {
        // Built for loopback http, the client has no trust anchors: an https URL slipped
        // past the settings must fail, never connect unverified.
        let (_held, port) = down_port();
        let c = client_for(&settings(&format!("http://127.0.0.1:{port}/v1.0")));
        let err = c
            .get(format!("https://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(err.is_connect() || err.is_request(), "{err:?}");
        let _ = client_for(&settings("https://graph.microsoft.com/v1.0"));
    }
}
