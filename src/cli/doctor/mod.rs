//! `tmeet doctor`: one screen of checks, each a line `✓ name: detail` or
//! `✗ name: problem — fix`, or with `--json` an array of `{check, ok, required, detail,
//! fix}`. It exits 0 only when everything `create` needs is in order (the checks marked
//! required); the clipboard and the terminal are reported but only the form needs them.
//!
//! Doctor looks and changes nothing: it sends no token, signs nobody in, and a token file
//! others can read is reported, not repaired (any other command repairs it, with a
//! warning). Network goes only to the configured login and Graph hosts, each with a short
//! timeout.

mod config;
mod local;
mod network;
mod signin;

use super::error::CliError;
use super::output::{Unwritable, say};
use crate::services::startup::{self, Started};
use crate::settings::{GlobalArgs, Settings};
use std::time::Duration;

pub use config::{Origin, Origins};

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print the checks as a JSON array of {check, ok, required, detail, fix}
    #[arg(long)]
    pub json: bool,
    /// Seconds to wait for each host to answer
    #[arg(long, value_name = "SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub timeout: u64,
}

/// The outcome of one check. `detail` says what was found; `fix`, when the check failed,
/// what to do about it, in one line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    /// `create` cannot work while this check fails, so doctor exits 1.
    pub required: bool,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    fn pass(check: &'static str, detail: impl Into<String>) -> Check {
        Check {
            check,
            ok: true,
            required: true,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            check,
            ok: false,
            required: true,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    /// Reported, but `create` works without it.
    fn optional(mut self) -> Check {
        self.required = false;
        self
    }

    /// Everything shown comes through here: details quote server answers, file names and
    /// account names, none of which may move the cursor or retitle the terminal.
    pub(crate) fn sanitized(mut self) -> Check {
        self.detail = crate::sanitize::line(&self.detail);
        self.fix = self.fix.map(|f| crate::sanitize::line(&f));
        self
    }

    pub(crate) fn line(&self) -> String {
        match (&self.fix, self.ok) {
            (_, true) | (None, false) => {
                format!("{} {}: {}", mark(self.ok), self.check, self.detail)
            }
            (Some(fix), false) => format!("✗ {}: {} — {fix}", self.check, self.detail),
        }
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

pub fn run(global: &GlobalArgs, args: DoctorArgs, origins: Origins) -> Result<(), CliError> {
    let timeout = Duration::from_secs(args.timeout);
    let checks = startup::on_runtime(async || checks(global, &origins, timeout).await)?;
    let checks: Vec<Check> = checks.into_iter().map(Check::sanitized).collect();
    if args.json {
        print_json(&checks)?;
    } else {
        print_human(&checks)?;
    }
    if ready(&checks) {
        Ok(())
    } else {
        // The failed checks above say why.
        Err(CliError::quiet(crate::exit::Code::Failure))
    }
}

/// Every required check passed: `create` can work.
pub fn ready(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.ok || !c.required)
}

fn print_human(checks: &[Check]) -> Result<(), Unwritable> {
    for c in checks {
        say!("{}", c.line())?;
    }
    let blocking = checks.iter().filter(|c| c.required && !c.ok).count();
    match blocking {
        0 => say!("\nEverything tmeet create needs is in order."),
        1 => say!("\n1 problem stops tmeet create: fix the line marked ✗ above."),
        n => say!("\n{n} problems stop tmeet create: fix the lines marked ✗ above, from the top."),
    }
}

fn print_json(checks: &[Check]) -> Result<(), Unwritable> {
    let text = serde_json::to_string_pretty(checks)
        .map_err(|e| Unwritable::from(std::io::Error::other(e)))?;
    say!("{text}")
}

/// Every check doctor makes (`tmeet setup` runs them after it wrote the settings).
pub(crate) async fn all_checks(
    global: &GlobalArgs,
    origins: &Origins,
    timeout: Duration,
) -> Vec<Check> {
    checks(global, origins, timeout).await
}

/// All checks, in the order a person would fix them: settings, then the network, then
/// the sign-in, then what only the form needs.
async fn checks(global: &GlobalArgs, origins: &Origins, timeout: Duration) -> Vec<Check> {
    let mut out = Vec::new();
    let file = config::config_file(global);
    let file_ok = file.check.ok;
    out.push(file.check);
    let settings = match crate::services::startup::settings(global) {
        Ok(s) => Some(s),
        // The config file's own line already says why.
        Err(_) if !file_ok => None,
        Err(e) => {
            out.push(Check::fail(
                "settings",
                e.line().to_string(),
                "fix the flag, TMEET_* variable or config.toml key named",
            ));
            None
        }
    };
    let hyperlinks = settings.as_ref().map(|s| s.hyperlinks).unwrap_or_else(|| {
        // The settings line above already names a bad value; auto stands in for it.
        crate::hyperlink::mode(&crate::env::Env::process(), Default::default()).unwrap_or_default()
    });
    if let Some(settings) = settings {
        out.extend(config::identity(&settings, origins, &file.values));
        out.extend(started_checks(settings, timeout).await);
    }
    out.push(local::time_zone().optional());
    out.push(local::clipboard().optional());
    out.push(local::terminal(hyperlinks).optional());
    out
}

/// What needs the settings: the hosts, the clock, the token store and the sign-in.
async fn started_checks(settings: Settings, timeout: Duration) -> Vec<Check> {
    if settings.client_id.is_none() && !settings.demo {
        // The client id line says so; the hosts can be checked all the same.
        let http = crate::http::client_for(&settings);
        return network_checks(&settings, &http, timeout).await;
    }
    let started = Started::scope(settings.clone(), async |started| {
        // In demo mode the settings now point at the embedded emulator.
        let mut out = network_checks(&started.settings, &started.http, timeout).await;
        out.extend(signin::checks(started).await);
        out
    })
    .await;
    match started {
        Ok(out) => out,
        Err(refused) => {
            let http = crate::http::client_for(&settings);
            let mut out = network_checks(&settings, &http, timeout).await;
            out.push(Check::fail(
                "sign-in settings",
                refused.line().to_string(),
                "change the setting named; tmeet login and create refuse it too",
            ));
            out
        }
    }
}

/// The login and Graph hosts, and the clock as they tell it.
async fn network_checks(
    settings: &Settings,
    http: &reqwest::Client,
    timeout: Duration,
) -> Vec<Check> {
    let login = network::host("login host", &settings.login_url, http, timeout).await;
    let graph = network::host("graph host", &settings.graph_url, http, timeout).await;
    let clock = network::clock(&[&graph, &login]);
    vec![login.check, graph.check, clock]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_optional_check_does_not_stop_create() {
        let checks = [
            Check::pass("a", "fine"),
            Check::fail("b", "no display", "never mind").optional(),
        ];
        assert!(ready(&checks));
        let checks = [Check::fail("c", "broken", "fix it")];
        assert!(!ready(&checks));
        assert_eq!(checks[0].line(), "✗ c: broken — fix it");
    }

    #[test]
    fn details_are_made_terminal_safe() {
        let c = Check::fail("x", "evil\u{1b}]0;title\u{7}name", "run\u{9b}2J this").sanitized();
        assert_eq!(c.line(), "✗ x: evil]0;titlename — run2J this");
    }
}
