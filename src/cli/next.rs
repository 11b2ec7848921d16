//! `tmeet next`: one line about the next meeting, for status bars (tmux, starship, waybar,
//! i3). It answers from the local cache, refreshing it only when older than `--max-age`,
//! and falls back to the cached answer when the service cannot be reached in 2 s. No
//! meeting: nothing printed, exit 0.

use super::agenda::{Cache, connect};
use super::error::CliError;
use super::output::say;
use crate::calendar::agenda::{AgendaEvent, joinable};
use crate::permissions::Feature;
use crate::services::agenda::{self as service, Refresh};
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// The fields `--format` knows.
pub const FIELDS: &[&str] = &[
    "start",
    "end",
    "in",
    "subject",
    "organizer",
    "link",
    "response",
];

/// How long the service gets before the cached answer is given instead.
const REACH: std::time::Duration = std::time::Duration::from_secs(2);

const EXIT_STATUS_HELP: &str = "\
Fields of --format: {start} {end} (with a strftime format: {start:%H:%M}), {in} (\"now\",
\"5m\", \"1h05m\"), {subject}, {organizer}, {link}, {response}; {{ and }} are braces.

Exit status:
  0  printed the next meeting, or nothing when there is none
  1  failed: not signed in, no permission, and no cached answer
  2  usage: a --format with an unknown field, or a bad --max-age";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct NextArgs {
    /// The line to print: {start:%H:%M} {subject} …; see the fields below
    #[arg(long, default_value = "{start:%H:%M} {subject}")]
    pub format: String,
    /// Print JSON: {"ref", "id", "subject", "start", "end", "organizer", "joinUrl", "response", …}
    #[arg(long)]
    pub json: bool,
    /// Ask the service only when the cache is older than this (30s, 5m, 1h)
    #[arg(long, default_value = "5m", value_name = "AGE")]
    pub max_age: String,
}

/// A piece of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(String, Option<String>),
}

fn parse_format(f: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err("--format: a { is not closed".into()),
                    }
                }
                let (name, spec) = match inner.split_once(':') {
                    Some((n, s)) => (n.trim(), Some(s.to_string())),
                    None => (inner.trim(), None),
                };
                if !FIELDS.contains(&name) {
                    return Err(format!(
                        "--format: unknown field '{}'; the fields are {}",
                        crate::sanitize::line(name),
                        FIELDS.join(", ")
                    ));
                }
                if let Some(s) = &spec {
                    if !matches!(name, "start" | "end") {
                        return Err(format!(
                            "--format: only start and end take a format ({{{name}:…}})"
                        ));
                    }
                    let bad = chrono::format::StrftimeItems::new(s)
                        .any(|i| matches!(i, chrono::format::Item::Error));
                    if bad {
                        return Err(format!(
                            "--format: '{}' is not a strftime format",
                            crate::sanitize::line(s)
                        ));
                    }
                }
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Field(name.to_string(), spec));
            }
            '}' => return Err("--format: a } without its {; write }} for a brace".into()),
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// "now", "5m", "1h05m", "2d3h".
fn until(start: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let mins = (start - now).num_seconds().div_euclid(60)
        + i64::from((start - now).num_seconds().rem_euclid(60) > 0);
    match mins {
        m if m <= 0 => "now".into(),
        m if m < 60 => format!("{m}m"),
        m if m < 24 * 60 => format!("{}h{:02}m", m / 60, m % 60),
        m => format!("{}d{}h", m / (24 * 60), (m % (24 * 60)) / 60),
    }
}

fn render(pieces: &[Piece], e: &AgendaEvent, zone: &Tz, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out += t,
            Piece::Field(name, spec) => {
                let time = |t: DateTime<Utc>| {
                    let local = t.with_timezone(zone);
                    local.format(spec.as_deref().unwrap_or("%H:%M")).to_string()
                };
                out += &match name.as_str() {
                    "start" => time(e.start),
                    "end" => time(e.end),
                    "in" => until(e.start, now),
                    "subject" => crate::sanitize::line(&e.subject),
                    "organizer" => e
                        .organizer
                        .as_ref()
                        .map(|o| crate::sanitize::line(&o.name))
                        .unwrap_or_default(),
                    "link" => e
                        .join_url
                        .as_deref()
                        .map(crate::sanitize::line)
                        .unwrap_or_default(),
                    _ => e.response.word().to_string(),
                };
            }
        }
    }
    out
}

fn max_age(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t == "0" {
        return Ok(Duration::zero());
    }
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = n.parse().map_err(|_| {
        format!(
            "--max-age: '{}' is not an age; write 30s, 5m or 1h",
            crate::sanitize::line(s)
        )
    })?;
    match unit {
        "s" => Ok(Duration::seconds(n)),
        "m" | "" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        _ => Err(format!(
            "--max-age: '{}' is not an age; write 30s, 5m or 1h",
            crate::sanitize::line(s)
        )),
    }
}

pub fn run(global: &GlobalArgs, args: NextArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &NextArgs) -> Result<(), CliError> {
    let pieces = parse_format(&args.format).map_err(CliError::usage)?;
    let age = max_age(&args.max_age).map_err(CliError::usage)?;
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let now = Utc::now();
    let (from, to) = (now - Duration::hours(12), service::window(now).1);
    // A fresh cache answers without starting anything else: a status bar asks every few
    // seconds. A stale or missing one goes the long way, which may ask the service.
    if let Some(cache) = Cache::open_quick(&settings)
        && let Some(store) = &cache.store
        && let Some(c) =
            service::cached_next(store, &cache.key, now).map_err(super::agenda::failure)?
        && now - c.synced_at < age
    {
        return print(args, &pieces, c.next.as_ref(), &zone, now);
    }
    let found = startup::run(&settings, async |started| {
        let cache = Cache::open(&settings, started)?;
        let cached = match &cache.store {
            Some(store) => {
                service::cached_next(store, &cache.key, now).map_err(super::agenda::failure)?
            }
            None => None,
        };
        if let Some(c) = &cached
            && now - c.synced_at < age
        {
            return Ok(c.next.clone());
        }
        let asked = async {
            let graph = connect(started, Feature::Agenda, true).await?;
            service::agenda(
                &cache.source(&graph),
                from,
                to,
                Refresh::IfOlderThan(Duration::zero()),
                now,
            )
            .await
            .map_err(super::agenda::failure)
        };
        let found = |a: service::Agenda| {
            a.rows
                .into_iter()
                .filter(|r| joinable(&r.event, now))
                .min_by_key(|r| (r.event.start, r.event.end))
        };
        match tokio::time::timeout(REACH, asked).await {
            Ok(Ok(a)) => Ok(found(a)),
            // The service could not answer in time, or failed: the cached answer, if any.
            Ok(Err(e)) if cached.is_none() => Err(e),
            Err(_) if cached.is_none() => Err(CliError::failed(
                "the service did not answer within 2 s, and nothing is cached yet".into(),
            )),
            _ => Ok(cached.and_then(|c| c.next)),
        }
    })??;
    print(args, &pieces, found.as_ref(), &zone, now)
}

fn print(
    args: &NextArgs,
    pieces: &[Piece],
    found: Option<&service::Row>,
    zone: &Tz,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let Some(service::Row { aref, event: e }) = found else {
        return Ok(());
    };
    let line = if args.json {
        crate::sanitize::json_text(&super::agenda::event_json(*aref, e, zone).to_string())
    } else {
        render(pieces, e, zone, now)
    };
    say!("{line}").map_err(|_| CliError::reader_gone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_checked_before_anything_is_asked() {
        assert!(parse_format("{start:%H:%M} {subject} {{x}}").is_ok());
        let e = parse_format("{start} {room}").unwrap_err();
        assert!(
            e.contains("unknown field 'room'") && e.contains("start, end, in, subject"),
            "{e}"
        );
        assert!(parse_format("{subject:%H}").is_err());
        assert!(parse_format("{start").is_err());
        assert!(parse_format("a } b").is_err());
    }

    #[test]
    fn in_words() {
        let t = DateTime::parse_from_rfc3339("2026-09-14T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(until(t, t + Duration::minutes(3)), "now");
        assert_eq!(until(t, t - Duration::seconds(290)), "5m");
        assert_eq!(until(t, t - Duration::minutes(65)), "1h05m");
        assert_eq!(max_age("5m").unwrap(), Duration::minutes(5));
        assert!(max_age("soon").is_err());
    }
}
