//! `tmeet suggest`: times when everyone is free (`POST /me/findMeetingTimes`,
//! GRAPH-SCHEDULING.md §4.2), best first.

use super::error::CliError;
use super::outlook;
use crate::calendar::{OutlookZone, Suggestions};
use crate::graph::client::Target;
use crate::permissions::Feature;
use crate::services::calendar as flow;
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the service answered, with suggestions or with the reason it has none
  1  failed: not signed in, the permission was not granted, or the service refused
  2  usage: a bad --duration, --from, --days or --attendee";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct SuggestArgs {
    /// Who must be free: an email address; repeatable (none: only your own calendar)
    #[arg(long, value_name = "ADDRESS")]
    pub attendee: Vec<String>,
    /// How long: 30m, 45m, 1h, 1h30m
    #[arg(long, default_value = "30m", allow_hyphen_values = true)]
    pub duration: String,
    /// The first day to look at: today, tomorrow, mon … sun, 2026-12-03 [default: from now]
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// How many days to look through
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=31))]
    pub days: u32,
    /// Look outside your working hours too (evenings, weekends): what to try when the
    /// service says the window lies outside them
    #[arg(long)]
    pub outside_hours: bool,
    /// Print JSON: {"suggestions": [{"start", "end", "confidence", "organizer", "attendees": [{"address", "availability"}]}], "emptySuggestionsReason"}
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &GlobalArgs, args: SuggestArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &SuggestArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let now = Utc::now().with_timezone(&zone);
    let duration = crate::meeting::time::parse_length(&args.duration)
        .map_err(|e| CliError::usage(format!("--duration: {e}")))?;
    let attendees = outlook::addresses(&args.attendee).map_err(CliError::usage)?;
    // From the next half hour: suggestions then start on the half hour, as people book.
    let soonest = crate::meeting::time::next_half_hour(&now).with_timezone(&Utc);
    let from = match &args.from {
        None => soonest,
        Some(d) => {
            let day = outlook::parse_day(Some(d), &now)
                .map_err(|e| CliError::usage(format!("--from: {e}")))?;
            crate::meeting::time::start_of_day(&zone, day).max(soonest)
        }
    };
    let to = crate::meeting::time::start_of_day(
        &zone,
        (from.with_timezone(&zone) + Duration::days(i64::from(args.days))).date_naive(),
    );
    let found = startup::run(&settings, async |started| {
        let graph = outlook::connect(started, Feature::FindTime, args.json).await?;
        let target = Target::from_user(settings.user.as_deref());
        flow::suggest(
            &graph,
            &target,
            &attendees,
            duration,
            (from, to),
            &OutlookZone::for_tz(zone),
            args.outside_hours,
        )
        .await
        .map_err(CliError::from)
    })??;
    let text = if args.json {
        json(&found) + "\n"
    } else {
        list(&found, &zone)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// ` 1  Thu 3 Dec 10:00–10:45  100%  everyone free`, one line each.
fn list(found: &Suggestions, zone: &Tz) -> String {
    if let Some(reason) = &found.empty_reason {
        let widen = found
            .empty
            .as_ref()
            .is_some_and(|r| r.outside_hours_may_help(found.outside_hours));
        let offer = if widen {
            "To look outside your working hours too, run the same command with --outside-hours.\n"
        } else {
            ""
        };
        return format!("No time found: {reason}.\n{offer}");
    }
    let mut out = String::new();
    for (i, s) in found.items.iter().enumerate() {
        let start = s.start.with_timezone(zone);
        let end = s.end.with_timezone(zone);
        let not_free: Vec<String> = s
            .attendees
            .iter()
            .filter(|(_, a)| !a.is_free())
            .map(|(who, a)| format!("{who} {}", a.word()))
            .collect();
        let who = if not_free.is_empty() {
            "everyone free".to_string()
        } else {
            not_free.join(", ")
        };
        out.push_str(&format!(
            "{:>2}  {} {}–{} {}  {:>3.0}%  {who}\n",
            i + 1,
            start.format("%a %-d %b"),
            start.format("%H:%M"),
            end.format("%H:%M"),
            start.format("%Z"),
            s.confidence,
        ));
    }
    out
}

fn json(found: &Suggestions) -> String {
    let items: Vec<serde_json::Value> = found
        .items
        .iter()
        .map(|s| {
            serde_json::json!({
                "start": s.start.to_rfc3339(),
                "end": s.end.to_rfc3339(),
                "confidence": s.confidence,
                "organizer": s.organizer.word(),
                "attendees": s.attendees.iter()
                    .map(|(who, a)| serde_json::json!({"address": who, "availability": a.word()}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let out = serde_json::json!({
        "suggestions": items,
        "emptySuggestionsReason": found.empty_reason,
    });
    crate::sanitize::json_text(&out.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Availability, Suggestion};
    use chrono::TimeZone;

    #[test]
    fn each_suggestion_is_one_line_and_none_says_why() {
        let start = Utc.with_ymd_and_hms(2037, 1, 8, 10, 0, 0).unwrap();
        let found = Suggestions {
            items: vec![Suggestion {
                start,
                end: start + Duration::minutes(45),
                confidence: 49.0,
                organizer: Availability::Free,
                attendees: vec![("alexw@contoso.com".into(), Availability::Unknown)],
                reason: None,
            }],
            ..Suggestions::default()
        };
        assert_eq!(
            list(&found, &chrono_tz::UTC),
            " 1  Thu 8 Jan 10:00–10:45 UTC   49%  alexw@contoso.com unknown\n"
        );
        let none = Suggestions::from_graph(
            &serde_json::json!({"emptySuggestionsReason": "AttendeesUnavailable"}),
            false,
        );
        assert_eq!(
            list(&none, &chrono_tz::UTC),
            "No time found: the attendees are not all free at any time in the window.\n"
        );
        let saturday = Suggestions::from_graph(
            &serde_json::json!({"emptySuggestionsReason": "OrganizerUnavailable"}),
            false,
        );
        assert!(
            list(&saturday, &chrono_tz::UTC).contains("outside your working hours")
                && list(&saturday, &chrono_tz::UTC).contains("--outside-hours"),
            "{}",
            list(&saturday, &chrono_tz::UTC)
        );
    }
}
