//! What the calendar commands (`create --calendar`, `free`, `suggest`, `cancel`) share:
//! a Graph client with the permission the feature needs, and a day as typed.

use super::error::CliError;
use crate::graph::client::GraphClient;
use crate::permissions::Feature;
use crate::services::startup::Started;
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

/// The client, once the sign-in holds what `feature` needs (asked for now if not).
pub(crate) async fn connect(
    started: &Started,
    feature: Feature,
    json: bool,
) -> Result<GraphClient, CliError> {
    // A sign-in made now (with --demo, always) asks for it at once.
    started.auth.request_scopes(&[feature.scope().to_string()]);
    let graph = started
        .graph()
        .await
        .map_err(|e| CliError::failed(e.to_string()))?;
    super::create::ensure_scope(
        started,
        feature.accepted(),
        feature.scope(),
        &format!("tmeet needs permission to {}", feature.why()),
        &feature.consent_message(),
        json,
    )
    .await
    .map_err(CliError::failed)?;
    Ok(graph)
}

/// `today`, `tomorrow`, `mon`, `2026-12-03`: what `--start` takes, without a time.
pub(crate) fn parse_day(text: Option<&str>, now: &DateTime<Tz>) -> Result<NaiveDate, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(now.date_naive());
    };
    if text.eq_ignore_ascii_case("today") {
        return Ok(now.date_naive());
    }
    crate::meeting::time::parse_start(&format!("{text} 00:00"), now)
        .map(|t| t.date_naive())
        .map_err(|_| {
            format!(
                "'{}' is not a day; write today, tomorrow, mon … sun, or 2026-12-03",
                crate::sanitize::line(text)
            )
        })
}

/// Each `--attendee` as an address (free/busy and suggestions take addresses only).
pub(crate) fn addresses(list: &[String]) -> Result<Vec<String>, String> {
    crate::calendar::parse_invitees(&list.join(","))
        .map(|v| v.into_iter().map(|i| i.address).collect())
        .map_err(|e| format!("--attendee: {e}"))
}
