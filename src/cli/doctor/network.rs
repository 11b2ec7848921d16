//! The network checks: the login and Graph hosts resolve and answer (TLS included, within
//! a timeout), and this machine's clock agrees with the service's `Date` header. Requests
//! go only to the configured hosts and carry no token: any HTTP answer proves the host,
//! the route and, for https, the certificate.

use super::Check;
use chrono::{DateTime, Utc};
use std::time::Duration;
use url::{Host, Url};

/// The identity platform accepts tokens and device codes from a clock off by about this
/// much; beyond it sign-in fails in ways that do not name the clock.
pub(super) const MAX_SKEW: chrono::Duration = chrono::Duration::minutes(5);

pub(super) struct HostAnswer {
    pub check: Check,
    /// Where the answer came from, and its `Date` header with the local time it arrived.
    pub date: Option<Dated>,
}

pub(super) struct Dated {
    pub host: String,
    pub server: DateTime<Utc>,
    pub local: DateTime<Utc>,
}

pub(super) async fn host(
    name: &'static str,
    url: &Url,
    http: &reqwest::Client,
    timeout: Duration,
) -> HostAnswer {
    let fail = |detail: String, fix: String| HostAnswer {
        check: Check::fail(name, detail, fix),
        date: None,
    };
    let shown = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let local = crate::cloud::is_loopback(url);
    let unreachable_fix = if local {
        format!("start the service at {url} (for the emulator: tmeet emulator), or correct the URL")
    } else {
        "check the network, proxy (HTTPS_PROXY) and firewall; --login-url / --graph-url override the hosts".to_string()
    };
    let address = match url.host() {
        Some(Host::Domain(d)) => {
            match tokio::time::timeout(timeout, tokio::net::lookup_host((d, port))).await {
                Err(_) => {
                    return fail(
                        format!("{d} did not resolve within {} s", timeout.as_secs()),
                        "check the DNS settings of this machine (/etc/resolv.conf)".into(),
                    );
                }
                Ok(Err(e)) => {
                    return fail(
                        format!("{d} does not resolve ({e})"),
                        "check the host name and this machine's DNS settings".into(),
                    );
                }
                Ok(Ok(mut addrs)) => addrs.next().map(|a| a.ip().to_string()),
            }
        }
        Some(Host::Ipv4(ip)) => Some(ip.to_string()),
        Some(Host::Ipv6(ip)) => Some(ip.to_string()),
        None => None,
    };
    let sent = http.get(url.clone()).timeout(timeout).send().await;
    let arrived = Utc::now();
    let resp = match sent {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return fail(
                format!("{shown} did not answer within {} s", timeout.as_secs()),
                unreachable_fix,
            );
        }
        Err(e) => {
            return fail(
                format!("cannot reach {shown}: {}", root_cause(&e)),
                unreachable_fix,
            );
        }
    };
    let via = if url.scheme() == "https" {
        "https, certificate valid"
    } else {
        "plain http (loopback)"
    };
    // The address a name resolved to; an address needs no repeating.
    let at = address
        .filter(|a| *a != shown)
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    let date = resp
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .map(|t| Dated {
            host: shown.clone(),
            server: DateTime::<Utc>::from(t),
            local: arrived,
        });
    HostAnswer {
        check: Check::pass(
            name,
            format!(
                "{shown}{at} answers (HTTP {}) over {via}",
                resp.status().as_u16()
            ),
        ),
        date,
    }
}

/// The innermost error: "connection refused", "invalid peer certificate: Expired", not
/// reqwest's "error sending request for url (…)".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The clock check from the first answer that carried a `Date`.
pub(super) fn clock(answers: &[&HostAnswer]) -> Check {
    let Some(d) = answers.iter().find_map(|a| a.date.as_ref()) else {
        return Check::fail(
            "clock",
            "not checked: no answer from the service to compare with",
            "fix the host lines above first",
        );
    };
    let skew = d.server - d.local;
    // The header is whole seconds, cut down: round the difference, not cut it again.
    let apart = span((skew.num_milliseconds().unsigned_abs() + 500) / 1000);
    if skew.abs() <= MAX_SKEW {
        return Check::pass(
            "clock",
            format!("in step with {} (Date header: {apart} apart)", d.host),
        );
    }
    let side = if skew > chrono::Duration::zero() {
        "behind"
    } else {
        "ahead of"
    };
    Check::fail(
        "clock",
        format!(
            "this machine's clock is {apart} {side} {} (its Date header says {})",
            d.host,
            d.server.format("%Y-%m-%d %H:%M:%S UTC")
        ),
        format!(
            "set the clock right (e.g. timedatectl set-ntp true): sign-in and tokens fail when it is off by more than {} min",
            MAX_SKEW.num_minutes()
        ),
    )
}

fn span(secs: u64) -> String {
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 2 * 3600 => format!("{} min", (s + 30) / 60),
        s if s < 2 * 86_400 => format!("{} h", (s + 1800) / 3600),
        s => format!("{} days", (s + 43_200) / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(skew_secs: i64) -> HostAnswer {
        let local = Utc::now();
        HostAnswer {
            check: Check::pass("graph host", "up"),
            date: Some(Dated {
                host: "graph.example".into(),
                server: local + chrono::Duration::seconds(skew_secs),
                local,
            }),
        }
    }

    #[test]
    fn skew_beyond_five_minutes_fails_and_says_which_way() {
        assert!(clock(&[&answer(2)]).ok);
        assert!(clock(&[&answer(-300)]).ok);
        // A Date cut to whole seconds still reads as the round figure it is.
        let mut cut = answer(600);
        if let Some(d) = cut.date.as_mut() {
            d.local += chrono::Duration::milliseconds(400);
        }
        assert!(clock(&[&cut]).detail.contains("10 min behind"));
        let behind = clock(&[&answer(600)]);
        assert!(
            !behind.ok && behind.detail.contains("10 min behind"),
            "{behind:?}"
        );
        let ahead = clock(&[&answer(-7200)]);
        assert!(
            !ahead.ok && ahead.detail.contains("2 h ahead of"),
            "{ahead:?}"
        );
        let none = HostAnswer {
            check: Check::fail("graph host", "down", "start it"),
            date: None,
        };
        assert!(!clock(&[&none]).ok);
    }
}
