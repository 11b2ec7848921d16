//! `tmeet suggest`: times when everyone is free (`POST /me/findMeetingTimes`,
//! GRAPH-SCHEDULING.md §4.2), best first, each with every invitee's local time and whether
//! it lies within their working hours (GRAPH-NEXT §6.2).

use super::error::CliError;
use super::outlook;
use crate::calendar::hours::{InviteeTime, PersonHours, invitee_times};
use crate::calendar::suggestions::WithinHours;
use crate::calendar::zone_input::city;
use crate::calendar::{OutlookZone, Suggestion};
use crate::graph::client::Target;
use crate::permissions::Feature;
use crate::services::series;
use crate::services::startup;
use crate::services::zones::{self, ZonedSuggestions};
use crate::settings::GlobalArgs;
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
Each time is followed by one line per invitee: their local time then, and \"outside working
hours\" where it falls outside them (their hours and zone as the service gives them with
their free/busy; yours from your mailbox's settings when MailboxSettings.Read was granted).

Exit status:
  0  the service answered, with suggestions or with the reason it has none
  1  failed: not signed in, the permission was not granted, or the service refused
  2  usage: a bad --duration, --from, --days, --zone or --attendee";

/// `--within-hours`: whose working hours a suggested time must lie in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Within {
    /// Yours and every attendee's (the service's own search)
    All,
    /// Yours only: times in the attendees' evenings are suggested and marked
    Organizer,
}

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
    /// Whose working hours a time must lie in: all (yours and every attendee's) or
    /// organizer (yours only; the attendees' off hours are marked)
    #[arg(long, value_enum, default_value_t = Within::All, conflicts_with = "outside_hours")]
    pub within_hours: Within,
    /// Look outside everyone's working hours too (evenings, weekends): what to try when the
    /// service says the window lies outside yours
    #[arg(long)]
    pub outside_hours: bool,
    /// The zone days and times are read and shown in: an IANA name (America/New_York), a
    /// city, a Windows name or an abbreviation (EST) [default: the terminal's]
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// For a meeting that repeats (weekly, every 2 weeks on tue, …: as `create --repeat`):
    /// each time also says which of the series' next meetings would clash, and for whom
    #[arg(long, value_name = "RULE")]
    pub repeat: Option<String>,
    /// Print JSON: {"suggestions": [{"start", "end", "confidence", "organizer",
    /// "withinWorkingHours", "attendees": [{"address", "availability", "timeZone",
    /// "localStart", "withinWorkingHours"}]}], "emptySuggestionsReason", "withinHours"}
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &GlobalArgs, args: SuggestArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &SuggestArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = super::common::display_zone(args.zone.as_deref())?;
    let terminal = crate::meeting::time::local_zone();
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
    let rule = args
        .repeat
        .as_deref()
        .map(crate::calendar::recurrence::parse)
        .transpose()
        .map_err(|e| CliError::usage(format!("--repeat: {e}")))?;
    let within = match args.within_hours {
        Within::All => WithinHours::All,
        Within::Organizer => WithinHours::Organizer,
    };
    let found = startup::run(&settings, async |started| {
        let graph = outlook::connect(started, Feature::FindTime, args.json).await?;
        let target = Target::from_user(settings.user.as_deref());
        let found = zones::suggest_across_zones(
            &graph,
            &started.auth,
            &target,
            &attendees,
            duration,
            (from, to),
            &OutlookZone::for_tz(zone),
            within,
            args.outside_hours,
        )
        .await
        .map_err(CliError::from)?;
        let mut found = found;
        if let Some(rule) = rule {
            zones::check_later(
                &graph,
                &started.auth,
                &target,
                &attendees,
                &mut found,
                rule,
                zone,
            )
            .await
            .map_err(CliError::from)?;
        }
        Ok::<_, CliError>(found)
    })??;
    let text = if args.json {
        json(&found) + "\n"
    } else {
        list(&found, &zone, &terminal)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// The organizer's row, when they fall outside their own hours (with `--outside-hours`).
fn organizer_outside(found: &ZonedSuggestions, s: &Suggestion) -> Option<InviteeTime> {
    let me: &PersonHours = found.organizer.as_ref()?;
    let t = invitee_times(s, std::slice::from_ref(me)).pop()?;
    (t.inside == Some(false)).then_some(t)
}

/// ` 1  Thu 3 Dec 10:00–10:45 CET  100%  everyone free`, then each invitee's local time.
fn list(found: &ZonedSuggestions, zone: &Tz, terminal: &Tz) -> String {
    let s = &found.suggestions;
    if let Some(reason) = &s.empty_reason {
        let widen = s
            .empty
            .as_ref()
            .is_some_and(|r| r.outside_hours_may_help(s.outside_hours));
        let mut offer = if widen {
            "To look outside your working hours too, run the same command with --outside-hours.\n"
                .to_string()
        } else {
            String::new()
        };
        let theirs = matches!(
            s.empty,
            Some(
                crate::calendar::suggestions::EmptyReason::AttendeesUnavailable
                    | crate::calendar::suggestions::EmptyReason::AttendeesUnavailableOrUnknown
            )
        );
        if theirs && found.within == WithinHours::All && !found.attendees.is_empty() {
            offer.push_str(
                "Their working hours may not meet yours: to look within yours alone (theirs \
                 marked), run the same command with --within-hours organizer.\n",
            );
        }
        return format!("No time found: {reason}.\n{offer}");
    }
    let width = found
        .attendees
        .iter()
        .map(|p| p.who.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let mut out = String::new();
    for (i, item) in s.items.iter().enumerate() {
        let start = item.start.with_timezone(zone);
        let end = item.end.with_timezone(zone);
        let not_free: Vec<String> = item
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
        // In the terminal's zone too, when another was asked for.
        let here = if zone != terminal {
            format!(
                " ({} {})",
                item.start.with_timezone(terminal).format("%H:%M"),
                city(*terminal)
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:>2}  {} {}–{} {}{here}  {:>3.0}%  {who}\n",
            i + 1,
            start.format("%a %-d %b"),
            start.format("%H:%M"),
            end.format("%H:%M"),
            start.format("%Z"),
            item.confidence,
        ));
        let mut rows = invitee_times(item, &found.attendees);
        if let Some(mut me) = organizer_outside(found, item) {
            me.who = "you".into();
            rows.insert(0, me);
        }
        for t in rows {
            out.push_str(&format!("      {:<width$}  {}\n", t.who, t.describe()));
        }
        if let Some(later) = found.later.get(i) {
            out.push_str(&format!(
                "      {}\n",
                series::later_line(later, zone, str::to_string)
            ));
        }
    }
    out
}

fn json(found: &ZonedSuggestions) -> String {
    let items: Vec<serde_json::Value> = found
        .suggestions
        .items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let series = found.later.get(i).map(|later| {
                serde_json::json!({
                    "checked": later.len(),
                    "meetings": later.iter().map(|c| serde_json::json!({
                        "start": c.start.to_rfc3339(),
                        "end": c.end.to_rfc3339(),
                        "notFree": c.busy,
                    })).collect::<Vec<_>>(),
                })
            });
            let times = invitee_times(s, &found.attendees);
            let organizer = found
                .organizer
                .as_ref()
                .and_then(|o| o.hours.as_ref())
                .and_then(|h| h.contains(s.start, s.end));
            serde_json::json!({
                "start": s.start.to_rfc3339(),
                "end": s.end.to_rfc3339(),
                "confidence": s.confidence,
                "organizer": s.organizer.word(),
                "withinWorkingHours": organizer,
                "series": series,
                "attendees": s.attendees.iter()
                    .map(|(who, a)| {
                        let t = times.iter().find(|t| t.who.eq_ignore_ascii_case(who));
                        serde_json::json!({
                            "address": who,
                            "availability": a.word(),
                            "timeZone": t.and_then(|t| t.zone).map(|z| z.name().to_string()),
                            "localStart": t.and_then(|t| t.local_start).map(|l| l.to_rfc3339()),
                            "withinWorkingHours": t.and_then(|t| t.inside),
                        })
                    })
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let out = serde_json::json!({
        "suggestions": items,
        "emptySuggestionsReason": found.suggestions.empty_reason,
        "withinHours": match found.within {
            WithinHours::All => "all",
            WithinHours::Organizer => "organizer",
        },
    });
    crate::sanitize::json_text(&out.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Availability;
    use crate::calendar::Suggestions;
    use crate::calendar::hours::WorkingHours;
    use chrono::TimeZone;

    fn zoned(s: Suggestions, attendees: Vec<PersonHours>) -> ZonedSuggestions {
        ZonedSuggestions {
            suggestions: s,
            organizer: None,
            attendees,
            within: WithinHours::All,
            later: Vec::new(),
        }
    }

    fn unknown(who: &str) -> PersonHours {
        PersonHours {
            who: who.into(),
            hours: None,
        }
    }

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
        let utc = chrono_tz::UTC;
        assert_eq!(
            list(
                &zoned(found, vec![unknown("alexw@contoso.com")]),
                &utc,
                &utc
            ),
            " 1  Thu 8 Jan 10:00–10:45 UTC   49%  alexw@contoso.com unknown\n      \
             alexw@contoso.com  local time not known\n"
        );
        let none = Suggestions::from_graph(
            &serde_json::json!({"emptySuggestionsReason": "AttendeesUnavailable"}),
            false,
        );
        assert_eq!(
            list(&zoned(none.clone(), vec![]), &utc, &utc),
            "No time found: the attendees are not all free at any time in the window.\n"
        );
        let theirs = list(&zoned(none, vec![unknown("a@b.c")]), &utc, &utc);
        assert!(theirs.contains("--within-hours organizer"), "{theirs}");
        let saturday = Suggestions::from_graph(
            &serde_json::json!({"emptySuggestionsReason": "OrganizerUnavailable"}),
            false,
        );
        let text = list(&zoned(saturday, vec![]), &utc, &utc);
        assert!(
            text.contains("outside your working hours") && text.contains("--outside-hours"),
            "{text}"
        );
    }

    #[test]
    fn each_invitee_has_their_local_time_and_off_hours_are_said() {
        // 16:00 Berlin on Thursday 8 January 2037: midnight in Tokyo, 10:00 in New York.
        let start = Utc.with_ymd_and_hms(2037, 1, 8, 15, 0, 0).unwrap();
        let hours = |zone: Tz, a: u32, b: u32| WorkingHours {
            days: vec![chrono::Weekday::Thu],
            start: chrono::NaiveTime::from_hms_opt(a, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(b, 0, 0).unwrap(),
            zone_name: zone.name().into(),
            zone: Some(zone),
        };
        let found = zoned(
            Suggestions {
                items: vec![Suggestion {
                    start,
                    end: start + Duration::minutes(30),
                    confidence: 100.0,
                    organizer: Availability::Free,
                    attendees: vec![
                        ("nestor@contoso.com".into(), Availability::Free),
                        ("patti@contoso.com".into(), Availability::Free),
                    ],
                    reason: None,
                }],
                ..Suggestions::default()
            },
            vec![
                PersonHours {
                    who: "nestor@contoso.com".into(),
                    hours: Some(hours(chrono_tz::Asia::Tokyo, 9, 18)),
                },
                PersonHours {
                    who: "patti@contoso.com".into(),
                    hours: Some(hours(chrono_tz::America::New_York, 9, 17)),
                },
            ],
        );
        let berlin = chrono_tz::Europe::Berlin;
        let text = list(&found, &berlin, &berlin);
        assert_eq!(
            text,
            " 1  Thu 8 Jan 16:00–16:30 CET  100%  everyone free\n\
             \x20     nestor@contoso.com  00:00 Tokyo, outside working hours\n\
             \x20     patti@contoso.com   10:00 New York\n"
        );
        // Shown in New York's time from a Berlin terminal: both clocks.
        let ny = list(&found, &chrono_tz::America::New_York, &berlin);
        assert!(
            ny.starts_with(" 1  Thu 8 Jan 10:00–10:30 EST (16:00 Berlin)  100%"),
            "{ny}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&found)).unwrap();
        let a = &j["suggestions"][0]["attendees"];
        assert_eq!(a[0]["withinWorkingHours"], false);
        assert_eq!(a[0]["timeZone"], "Asia/Tokyo");
        assert_eq!(a[0]["localStart"], "2037-01-09T00:00:00+09:00");
        assert_eq!(a[1]["withinWorkingHours"], true);
        assert_eq!(j["withinHours"], "all");
    }
}
