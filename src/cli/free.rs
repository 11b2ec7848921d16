//! `tmeet free`: free/busy for one day, one strip per person across working hours
//! (`POST /me/calendar/getSchedule`, GRAPH-SCHEDULING.md §4.1).

use super::error::CliError;
use super::outlook;
use crate::calendar::OutlookZone;
use crate::calendar::availability::{Availability, FreeBusy, LEGEND};
use crate::graph::client::Target;
use crate::permissions::Feature;
use crate::services::calendar as flow;
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::{Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the free/busy was read (people the service does not know are shown as unknown)
  1  failed: not signed in, the permission was not granted, or the service refused
  2  usage: a bad --date or --attendee, or more than 20 people";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct FreeArgs {
    /// Whose calendar to show besides yours: an email address; repeatable
    #[arg(long, value_name = "ADDRESS")]
    pub attendee: Vec<String>,
    /// The day: today, tomorrow, mon … sun, 2026-12-03 [default: today]
    #[arg(long, value_name = "DAY")]
    pub date: Option<String>,
    /// Minutes per cell
    #[arg(long, default_value_t = 30, value_parser = interval)]
    pub interval: u32,
    /// Print JSON: {"start", "end", "intervalMinutes", "timeZone", "schedules": [{"address", "availabilityView", "error"}], "allFree"}
    #[arg(long)]
    pub json: bool,
}

fn interval(s: &str) -> Result<u32, String> {
    match s.trim() {
        "15" => Ok(15),
        "30" => Ok(30),
        "60" => Ok(60),
        _ => Err("minutes per cell: 15, 30 or 60".into()),
    }
}

pub fn run(global: &GlobalArgs, args: FreeArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &FreeArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let now = Utc::now().with_timezone(&zone);
    let day = outlook::parse_day(args.date.as_deref(), &now)
        .map_err(|e| format!("--date: {e}"))
        .map_err(CliError::usage)?;
    let others = outlook::addresses(&args.attendee).map_err(CliError::usage)?;
    let start = crate::meeting::time::start_of_day(&zone, day);
    let end = crate::meeting::time::start_of_day(&zone, day + Duration::days(1));
    let fb = startup::run(&settings, async |started| {
        let graph = outlook::connect(started, Feature::FreeBusy, args.json).await?;
        let me = flow::organizer_address(&graph, &started.auth).await;
        let people = crate::calendar::availability::organizer_first(me, &others);
        if people.is_empty() {
            return Err(CliError::usage(
                "--attendee: name at least one person (with app-only credentials tmeet \
                     does not know your own address)"
                    .into(),
            ));
        }
        let target = Target::from_user(settings.user.as_deref());
        flow::free_busy(
            &graph,
            &target,
            &people,
            start,
            end,
            args.interval,
            &OutlookZone::for_tz(zone),
        )
        .await
        .map_err(CliError::from)
    })??;
    let text = if args.json {
        json(&fb, &zone) + "\n"
    } else {
        strips(&fb, &zone, terminal_width())
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

fn terminal_width() -> usize {
    crossterm::terminal::size()
        .map(|(w, _)| usize::from(w))
        .ok()
        .filter(|w| *w >= 20)
        .unwrap_or(100)
}

fn json(fb: &FreeBusy, zone: &Tz) -> String {
    let digit = |a: &Availability| match a {
        Availability::Free => '0',
        Availability::Tentative => '1',
        Availability::Busy => '2',
        Availability::Away => '3',
        Availability::WorkingElsewhere => '4',
        Availability::Unknown => '?',
    };
    let schedules: Vec<serde_json::Value> = fb
        .people
        .iter()
        .map(|p| {
            serde_json::json!({
                "address": p.who,
                "availabilityView": p.slots.iter().map(digit).collect::<String>(),
                "error": p.error,
            })
        })
        .collect();
    let out = serde_json::json!({
        "start": fb.start.to_rfc3339(),
        "end": fb.end.to_rfc3339(),
        "intervalMinutes": fb.interval_minutes,
        "timeZone": zone.name(),
        "schedules": schedules,
        "allFree": fb.all_free().iter().map(digit).collect::<String>(),
    });
    crate::sanitize::json_text(&out.to_string())
}

/// The slots to draw: the known people's working hours (08:00–18:00 when nobody's are
/// known), in whole hours.
fn window(fb: &FreeBusy, zone: &Tz) -> (usize, usize) {
    let hours: Vec<(NaiveTime, NaiveTime)> = fb
        .people
        .iter()
        .filter_map(|p| p.working_hours)
        .filter(|(a, b)| a < b)
        .collect();
    let (from, to) = if hours.is_empty() {
        (8, 18)
    } else {
        let from = hours.iter().map(|h| h.0.hour()).min().unwrap_or(8);
        let to = hours
            .iter()
            .map(|h| h.1.hour() + u32::from(h.1.minute() > 0))
            .max()
            .unwrap_or(18);
        (from, to.max(from + 1))
    };
    let count = fb.people.first().map_or(0, |p| p.slots.len());
    let day_start = fb.start.with_timezone(zone);
    let slot_of_hour = |h: u32| {
        let t = day_start + Duration::hours(i64::from(h));
        fb.slot_of(&t.with_timezone(&Utc)).unwrap_or(count)
    };
    (slot_of_hour(from).min(count), slot_of_hour(to).min(count))
}

/// One line per person, an hour scale above, everyone's free time below, the legend last.
fn strips(fb: &FreeBusy, zone: &Tz, width: usize) -> String {
    let (a, b) = window(fb, zone);
    let per_hour = (60 / fb.interval_minutes.max(1)) as usize;
    let cells = b.saturating_sub(a);
    let name_width = fb
        .people
        .iter()
        .map(|p| p.who.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, width.saturating_sub(cells + 2).clamp(8, 32));
    let fit = |s: &str| -> String {
        let n = s.chars().count();
        if n <= name_width {
            format!("{s:<name_width$}")
        } else {
            let cut: String = s.chars().take(name_width - 1).collect();
            format!("{cut}…")
        }
    };
    let first = fb.slot_start(a).with_timezone(zone);
    let last = fb.slot_start(b).with_timezone(zone);
    let mut out = format!(
        "Free/busy on {}, {}–{} {}, {} min a cell\n",
        first.format("%a %-d %b %Y"),
        first.format("%H:%M"),
        last.format("%H:%M"),
        first.format("%Z"),
        fb.interval_minutes
    );
    // A label every `step` cells: room for two digits and a space.
    let step = per_hour.max(1) * 3_usize.div_ceil(per_hour.max(1));
    let mut scale = String::new();
    for i in (0..cells).step_by(step) {
        let label = fb
            .slot_start(a + i)
            .with_timezone(zone)
            .format("%H")
            .to_string();
        scale.push_str(&format!("{label:<step$}"));
    }
    out.push_str(&format!(
        "{} {}\n",
        " ".repeat(name_width),
        scale.trim_end()
    ));
    for p in &fb.people {
        let strip: String = p.slots[a..b].iter().map(|s| s.glyph()).collect();
        out.push_str(&format!("{} {strip}\n", fit(&p.who)));
    }
    if fb.people.len() > 1 {
        // Free where everyone is, `?` where someone is unknown, blank where someone is not.
        let all: String = fb.all_free()[a..b]
            .iter()
            .map(|s| match s {
                Availability::Free => '·',
                Availability::Unknown => '?',
                _ => ' ',
            })
            .collect();
        out.push_str(&format!("{} {}\n", fit("all free"), all.trim_end()));
    }
    out.push_str(LEGEND);
    out.push('\n');
    for p in fb.people.iter().filter(|p| p.error.is_some()) {
        out.push_str(&format!(
            "{}: {}\n",
            p.who,
            p.error.as_deref().unwrap_or_default()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::PersonSchedule;
    use chrono::TimeZone;

    #[test]
    fn strips_cover_working_hours_and_say_who_is_unknown() {
        let start = Utc.with_ymd_and_hms(2037, 1, 8, 0, 0, 0).unwrap();
        let mut slots = vec![Availability::Free; 48];
        slots[20] = Availability::Busy; // 10:00
        slots[21] = Availability::Tentative;
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let five = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
        let fb = FreeBusy {
            start,
            end: start + Duration::days(1),
            interval_minutes: 30,
            people: vec![
                PersonSchedule {
                    who: "adelev@contoso.com".into(),
                    slots,
                    error: None,
                    working_hours: Some((nine, five)),
                },
                PersonSchedule {
                    who: "nobody@contoso.com".into(),
                    slots: vec![Availability::Unknown; 48],
                    error: Some("unknown to the service (not found in the directory)".into()),
                    working_hours: None,
                },
            ],
        };
        let text = strips(&fb, &chrono_tz::UTC, 100);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("Free/busy on Thu 8 Jan 2037, 09:00–17:00"),
            "{text}"
        );
        assert!(lines[1].trim_start().starts_with("09  11  13"), "{text}");
        assert!(lines[2].starts_with("adelev@contoso.com ··█░·"), "{text}");
        assert!(lines[3].contains("????????"), "{text}");
        // Nobody is unknown all day, so no slot is free for all: unknown, or blank where
        // adelev is taken.
        assert_eq!(
            lines[4],
            format!("{:<18} ??  ????????????", "all free"),
            "{text}"
        );
        assert!(
            text.contains("nobody@contoso.com: unknown to the service"),
            "{text}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&fb, &chrono_tz::UTC)).unwrap();
        assert_eq!(
            &j["schedules"][0]["availabilityView"].as_str().unwrap()[20..22],
            "21"
        );
        assert_eq!(
            j["schedules"][1]["error"],
            "unknown to the service (not found in the directory)"
        );
        let all = j["allFree"].as_str().unwrap();
        assert_eq!(&all[18..24], "??22??", "{all}");
        assert!(!all.contains('0'), "unknown is never free: {all}");
    }
}
