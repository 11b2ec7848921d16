//! `tmeet free`: free/busy for one day, one strip per person across working hours
//! (`POST /me/calendar/getSchedule`, GRAPH-SCHEDULING.md §4.1), each person labelled with
//! their local time at the window's start and their hours outside their own working hours
//! marked (GRAPH-NEXT §6.2); with `--share`, my own free times over some days as one line
//! to send to someone, in their zone, copied to the clipboard where there is one.

use super::error::CliError;
use super::outlook;
use crate::calendar::OutlookZone;
use crate::calendar::availability::{Availability, LEGEND};
use crate::calendar::free_times;
use crate::calendar::hours::Schedules;
use crate::graph::client::Target;
use crate::permissions::Feature;
use crate::services::calendar as flow;
use crate::services::startup;
use crate::services::zones::{self, FreeTimes, HoursSource};
use crate::settings::GlobalArgs;
use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use std::io::Write;

const EXIT_STATUS_HELP: &str = "\
With --share, your free times within your working hours (from your mailbox's settings when
MailboxSettings.Read was granted, else as the service gives them with your free/busy) go to
standard output as one line, e.g.
  Free (CET): Mon 11 Jan 09:00–10:30, 14:00–17:00; Tue 12 Jan 09:00–17:00
A day after the zone changes its clocks is marked with its new name: Mon 30 Mar (CEST) …
Only your own calendar is read, so the text serves people outside your organization too.
When standard output is a terminal the line is also copied: to the system clipboard where
there is a display (on X11 it outlives tmeet only where a clipboard manager takes it over),
else through the terminal (OSC 52, which the terminal must allow; tmux needs set-clipboard).
Piped or with --json, nothing is copied.

Exit status:
  0  the free/busy (or the free times) were read; people the service does not know are
     shown as unknown
  1  failed: not signed in, the permission was not granted, the service refused, or
     (--share) no free time at all within your working hours in those days
  2  usage: a bad --date, --attendee, --zone, --days or --duration, more than 20 people,
     or (--share) a --duration longer than any free time in those days";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct FreeArgs {
    /// Whose calendar to show besides yours: an email address; repeatable
    #[arg(long, value_name = "ADDRESS", conflicts_with = "share")]
    pub attendee: Vec<String>,
    /// The day (with --share, the first day): today, tomorrow, mon … sun, 2026-12-03
    /// [default: today]
    #[arg(long, value_name = "DAY")]
    pub date: Option<String>,
    /// Minutes per cell
    #[arg(long, default_value_t = 30, value_parser = interval)]
    pub interval: u32,
    /// The zone days and times are read and shown in: an IANA name (Asia/Tokyo), a city
    /// (Tokyo), a Windows name or an abbreviation (JST) [default: the terminal's]
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Print your free times within your working hours as one line to send to someone
    /// (in --zone, named), and copy it; see below
    #[arg(long)]
    pub share: bool,
    /// With --share: how many days from --date, at most 31 [default: 7]
    #[arg(long, value_name = "N", requires = "share")]
    pub days: Option<String>,
    /// With --share: the shortest free time worth listing: 30m, 1h, 1h30m [default: 30m]
    #[arg(
        long,
        value_name = "LENGTH",
        requires = "share",
        allow_hyphen_values = true
    )]
    pub duration: Option<String>,
    /// Print JSON: {"start", "end", "intervalMinutes", "timeZone", "schedules": [{"address",
    /// "availabilityView", "error", "workingHours": {"daysOfWeek", "startTime", "endTime",
    /// "timeZone", "ianaTimeZone"}, "localStart", "withinWorkingHours"}], "allFree"};
    /// with --share: {"text", "timeZone", "free": [{"start", "end"}], "workingHours",
    /// "workingHoursFrom"}
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

/// At most this many days are shared at once: free/busy is read in one call, which the
/// service takes for under 62 days and tmeet for up to 31 (GRAPH-SCHEDULING §4.1).
const MAX_SHARE_DAYS: u32 = 31;
const DEFAULT_SHARE_DAYS: u32 = 7;

pub fn run(global: &GlobalArgs, args: FreeArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &FreeArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = super::common::display_zone(args.zone.as_deref())?;
    let now = Utc::now().with_timezone(&zone);
    let day = outlook::parse_day(args.date.as_deref(), &now)
        .map_err(|e| format!("--date: {e}"))
        .map_err(CliError::usage)?;
    if args.share {
        return share(&settings, args, zone, day);
    }
    let others = outlook::addresses(&args.attendee).map_err(CliError::usage)?;
    let start = crate::meeting::time::start_of_day(&zone, day);
    let end = crate::meeting::time::start_of_day(&zone, day + Duration::days(1));
    let (found, mine_row) = startup::run(&settings, async |started| {
        let graph = outlook::connect(started, Feature::FreeBusy, args.json).await?;
        let me = flow::organizer_address(&graph, &started.auth).await;
        let people = crate::calendar::availability::organizer_first(me.clone(), &others);
        if people.is_empty() {
            return Err(CliError::usage(
                "--attendee: name at least one person (with app-only credentials tmeet \
                     does not know your own address)"
                    .into(),
            ));
        }
        let target = Target::from_user(settings.user.as_deref());
        let mine_row = me
            .as_deref()
            .and_then(|m| people.iter().position(|p| p.eq_ignore_ascii_case(m)));
        let day = zones::day_across_zones(
            &graph,
            &started.auth,
            &target,
            &people,
            me.as_deref(),
            (start, end),
            args.interval,
            &OutlookZone::for_tz(zone),
        )
        .await
        .map_err(CliError::from)?;
        Ok((day.schedules, mine_row))
    })??;
    let text = if args.json {
        json(&found, &zone) + "\n"
    } else {
        strips(&found, &zone, terminal_width(), mine_row)
    };
    write_out(&text)
}

fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::failed(format!("cannot write the result: {e}")))
}

/// `--days` as typed: 1 to [`MAX_SHARE_DAYS`].
fn share_days(text: Option<&str>) -> Result<u32, CliError> {
    let Some(text) = text.map(str::trim) else {
        return Ok(DEFAULT_SHARE_DAYS);
    };
    match text.parse::<u32>() {
        Ok(n) if (1..=MAX_SHARE_DAYS).contains(&n) => Ok(n),
        Ok(0) => Err(CliError::usage("--days: give at least 1 day".into())),
        Ok(n) => Err(CliError::usage(format!(
            "--days {n}: free/busy is read for at most {MAX_SHARE_DAYS} days at once; ask for fewer"
        ))),
        Err(_) => Err(CliError::usage(format!(
            "--days: '{}' is not a number of days (1 to {MAX_SHARE_DAYS})",
            crate::sanitize::line(text)
        ))),
    }
}

/// `free --share`: my free times as one line in `zone`, copied where a clipboard is.
fn share(
    settings: &crate::settings::Settings,
    args: &FreeArgs,
    zone: Tz,
    day: chrono::NaiveDate,
) -> Result<(), CliError> {
    let days = share_days(args.days.as_deref())?;
    let min = match args.duration.as_deref() {
        None => Duration::minutes(30),
        Some(d) => crate::meeting::time::parse_length(d)
            .map_err(|e| CliError::usage(format!("--duration: {e}")))?,
    };
    let now = Utc::now();
    let soonest =
        crate::meeting::time::next_half_hour(&now.with_timezone(&zone)).with_timezone(&Utc);
    let from = crate::meeting::time::start_of_day(&zone, day).max(soonest);
    let to = crate::meeting::time::start_of_day(&zone, day + Duration::days(i64::from(days)));
    if to <= from {
        return Err(CliError::usage(
            "--date: that day is over; share from today on".into(),
        ));
    }
    let terminal = crate::meeting::time::local_zone();
    let found = startup::run(settings, async |started| {
        let graph = outlook::connect(started, Feature::FreeBusy, args.json).await?;
        let target = Target::from_user(settings.user.as_deref());
        zones::my_free_times(&graph, &started.auth, &target, (from, to), min, terminal)
            .await
            .map_err(CliError::from)
    })??;
    if found.spans.is_empty() {
        return Err(nothing_to_share(
            &found,
            min,
            days,
            args.duration.as_deref(),
        ));
    }
    if found.source == HoursSource::Assumed {
        eprintln!(
            "tmeet: the service gave no working hours for you; {} assumed",
            found.hours.describe()
        );
    }
    let twelve = found.mine.as_ref().is_some_and(|m| m.twelve_hour());
    let text = free_times::share_text(&found.spans, zone, twelve);
    if args.json {
        return write_out(&(share_json(&found, &text, zone) + "\n"));
    }
    write_out(&format!("{text}\n"))?;
    if let Some(how) = copy_shared(&text) {
        eprintln!("tmeet: copied {how}");
    }
    Ok(())
}

/// Why nothing can be shared: the length asked for (2), or a full calendar (1).
fn nothing_to_share(found: &FreeTimes, min: Duration, days: u32, typed: Option<&str>) -> CliError {
    let asked = typed.map_or_else(|| "30m".to_string(), |t| crate::sanitize::line(t.trim()));
    let in_days = if days == 1 {
        "that day".to_string()
    } else {
        format!("those {days} days")
    };
    match (found.longest_working, found.longest_free) {
        (Some(work), _) if work < min => CliError::usage(format!(
            "--duration {asked}: longer than any of your working days in {in_days} ({})",
            crate::meeting::time::describe_duration(work)
        )),
        (_, Some(free)) => CliError::usage(format!(
            "--duration {asked}: no free time that long within your working hours in {in_days} \
             (the longest is {}); ask for less or for more days",
            crate::meeting::time::describe_duration(free)
        )),
        (None, None) => CliError::failed(format!(
            "nothing to share: {in_days} hold none of your working hours ({})",
            found.hours.describe()
        )),
        (Some(_), None) => CliError::failed(format!(
            "nothing to share: your calendar is full within your working hours in {in_days}"
        )),
    }
}

fn share_json(found: &FreeTimes, text: &str, zone: Tz) -> String {
    let free: Vec<serde_json::Value> = found
        .spans
        .iter()
        .map(|(s, e)| {
            serde_json::json!({
                "start": s.with_timezone(&zone).to_rfc3339(),
                "end": e.with_timezone(&zone).to_rfc3339(),
            })
        })
        .collect();
    let out = serde_json::json!({
        "text": text,
        "timeZone": zone.name(),
        "free": free,
        "workingHours": found.hours.to_json(),
        "workingHoursFrom": match found.source {
            HoursSource::Mailbox => "mailbox",
            HoursSource::Schedule => "schedule",
            HoursSource::Assumed => "assumed",
        },
    });
    crate::sanitize::json_text(&out.to_string())
}

/// Copies the shared line where standard output is a terminal (a pipe takes the printed
/// line instead, and OSC 52 written into it would only be noise); how, or None.
fn copy_shared(text: &str) -> Option<&'static str> {
    use std::io::IsTerminal;
    let mut out = std::io::stdout();
    if !out.is_terminal() {
        return None;
    }
    let mut clipboard = crate::clipboard::Clipboard::from_env();
    let path = clipboard.copy(text, &mut out).ok()?;
    Some(copied_how(path))
}

/// The words for how a command's copy was made. Unlike the form's, a command ends at
/// once: a system clipboard copy lives on only where a clipboard manager takes it over
/// (arboard hands it over when tmeet lets go of it).
fn copied_how(path: crate::clipboard::CopyPath) -> &'static str {
    match path {
        crate::clipboard::CopyPath::System => {
            "to the system clipboard (after tmeet exits it stays only where a clipboard manager keeps it)"
        }
        other => other.describe(),
    }
}

fn terminal_width() -> usize {
    crossterm::terminal::size()
        .map(|(w, _)| usize::from(w))
        .ok()
        .filter(|w| *w >= 20)
        .unwrap_or(100)
}

fn digit(a: &Availability) -> char {
    match a {
        Availability::Free => '0',
        Availability::Tentative => '1',
        Availability::Busy => '2',
        Availability::Away => '3',
        Availability::WorkingElsewhere => '4',
        Availability::Unknown => '?',
    }
}

fn json(found: &Schedules, zone: &Tz) -> String {
    let fb = &found.free_busy;
    let schedules: Vec<serde_json::Value> = fb
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let hours = found.hours.get(i).and_then(|h| h.hours.as_ref());
            let their = found.hours.get(i).and_then(|h| h.zone());
            let within: String = found
                .within_hours(i)
                .iter()
                .map(|w| match w {
                    Some(true) => '1',
                    Some(false) => '0',
                    None => '?',
                })
                .collect();
            serde_json::json!({
                "address": p.who,
                "availabilityView": p.slots.iter().map(digit).collect::<String>(),
                "error": p.error,
                "workingHours": hours.map(|h| h.to_json()),
                "localStart": their.map(|z| fb.start.with_timezone(&z).to_rfc3339()),
                "withinWorkingHours": within,
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

/// `t` moved to the whole hour at or before it (`up`: at or after it) in `zone`.
fn whole_hour(t: DateTime<Utc>, zone: &Tz, up: bool) -> DateTime<Utc> {
    let local = t.with_timezone(zone);
    let floor = local
        .with_minute(0)
        .and_then(|l| l.with_second(0))
        .and_then(|l| l.with_nanosecond(0))
        .unwrap_or(local)
        .with_timezone(&Utc);
    if up && floor < t {
        floor + Duration::hours(1)
    } else {
        floor
    }
}

/// The slots to draw: my working hours that day (`mine` is my row) in whole hours; else
/// the known people's (08:00–18:00 when nobody's are known).
fn window(found: &Schedules, zone: &Tz, mine: Option<usize>) -> (usize, usize) {
    let fb = &found.free_busy;
    let count = fb.people.first().map_or(0, |p| p.slots.len());
    let slot = |t: DateTime<Utc>| fb.slot_of(&t).unwrap_or(count).min(count);
    let my_hours = mine
        .and_then(|i| found.hours.get(i))
        .and_then(|p| p.hours.as_ref());
    // The longest of my working stretches that day: a zone far from mine cuts the day
    // into the end of one and the start of the next.
    if let Some((s, e)) = my_hours.and_then(|h| {
        h.spans(fb.start, fb.end)
            .into_iter()
            .max_by_key(|(s, e)| *e - *s)
    }) {
        let (a, b) = (
            slot(whole_hour(s, zone, false)),
            slot(whole_hour(e, zone, true)),
        );
        if a < b {
            return (a, b);
        }
    }
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
    let day_start = fb.start.with_timezone(zone);
    let slot_of_hour =
        |h: u32| slot((day_start + Duration::hours(i64::from(h))).with_timezone(&Utc));
    (slot_of_hour(from), slot_of_hour(to))
}

/// A free cell outside the person's working hours.
const OFF_HOURS: char = '-';

/// One line per person (with their local time at the window's start where their zone is
/// known), an hour scale above, everyone's free time below, the legend and the working
/// hours last.
fn strips(found: &Schedules, zone: &Tz, width: usize, mine: Option<usize>) -> String {
    let fb = &found.free_busy;
    let (a, b) = window(found, zone, mine);
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
    let mut any_off = false;
    let mut off_for_all = vec![false; fb.people.first().map_or(0, |p| p.slots.len())];
    for (i, p) in fb.people.iter().enumerate() {
        let within = found.within_hours(i);
        let strip: String = (a..b)
            .map(|n| {
                let s = p.slots[n];
                if s == Availability::Free && within.get(n) == Some(&Some(false)) {
                    any_off = true;
                    OFF_HOURS
                } else {
                    s.glyph()
                }
            })
            .collect();
        for (n, w) in within.iter().enumerate() {
            if *w == Some(false)
                && let Some(o) = off_for_all.get_mut(n)
            {
                *o = true;
            }
        }
        let at = found
            .local_label(i, &fb.slot_start(a))
            .map(|l| format!("  {l}"))
            .unwrap_or_default();
        out.push_str(&format!("{} {strip}{at}\n", fit(&p.who)));
    }
    if fb.people.len() > 1 {
        // Free where everyone is, `-` where everyone is free but someone is outside their
        // working hours, `?` where someone is unknown, blank where someone is not free.
        let all: String = fb.all_free()[a..b]
            .iter()
            .enumerate()
            .map(|(k, s)| match s {
                Availability::Free if off_for_all.get(a + k) == Some(&true) => OFF_HOURS,
                Availability::Free => '·',
                Availability::Unknown => '?',
                _ => ' ',
            })
            .collect();
        out.push_str(&format!("{} {}\n", fit("all free"), all.trim_end()));
    }
    out.push_str(LEGEND);
    if any_off {
        out.push_str(&format!("  {OFF_HOURS} free, outside working hours"));
    }
    out.push('\n');
    for (i, p) in fb.people.iter().enumerate() {
        if let Some(h) = found.hours.get(i).and_then(|h| h.hours.as_ref())
            && p.error.is_none()
        {
            out.push_str(&format!("{} works {}\n", p.who, h.describe()));
        }
    }
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
    use crate::calendar::availability::FreeBusy;
    use crate::calendar::hours::{PersonHours, WorkingHours};
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
        let found = Schedules {
            hours: fb
                .people
                .iter()
                .map(|p| PersonHours {
                    who: p.who.clone(),
                    hours: None,
                })
                .collect(),
            free_busy: fb,
        };
        let text = strips(&found, &chrono_tz::UTC, 100, None);
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
        let j: serde_json::Value = serde_json::from_str(&json(&found, &chrono_tz::UTC)).unwrap();
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

    fn hours(zone: Tz, start: u32, end: u32) -> Option<WorkingHours> {
        Some(WorkingHours {
            days: vec![
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
            ],
            start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
            zone_name: zone.name().into(),
            zone: Some(zone),
        })
    }

    #[test]
    fn each_row_has_its_local_time_and_its_off_hours_marked() {
        // Thursday 8 January 2037 in Berlin, hourly cells; I work 09:00–17:00 Berlin,
        // Nestor 09:00–18:00 Tokyo (01:00–10:00 Berlin).
        let berlin = chrono_tz::Europe::Berlin;
        let start = crate::meeting::time::start_of_day(
            &berlin,
            chrono::NaiveDate::from_ymd_opt(2037, 1, 8).unwrap(),
        );
        let person = |who: &str| PersonSchedule {
            who: who.into(),
            slots: vec![Availability::Free; 24],
            error: None,
            working_hours: None,
        };
        let mut me = person("adelev@contoso.com");
        me.slots[9] = Availability::Busy;
        let found = Schedules {
            free_busy: FreeBusy {
                start,
                end: start + Duration::days(1),
                interval_minutes: 60,
                people: vec![me, person("nestorw@contoso.com")],
            },
            hours: vec![
                PersonHours {
                    who: "adelev@contoso.com".into(),
                    hours: hours(berlin, 9, 17),
                },
                PersonHours {
                    who: "nestorw@contoso.com".into(),
                    hours: hours(chrono_tz::Asia::Tokyo, 9, 18),
                },
            ],
        };
        let text = strips(&found, &berlin, 100, Some(0));
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("Free/busy on Thu 8 Jan 2037, 09:00–17:00 CET"),
            "my hours are the window: {text}"
        );
        assert_eq!(
            lines[2], "adelev@contoso.com  █·······  09:00 Berlin",
            "{text}"
        );
        // Nestor's day ends at 10:00 Berlin (18:00 Tokyo): free after it, but off hours.
        assert_eq!(
            lines[3], "nestorw@contoso.com ·-------  17:00 Tokyo",
            "{text}"
        );
        assert_eq!(lines[4], "all free             -------", "{text}");
        assert!(
            lines[5].ends_with("- free, outside working hours"),
            "{text}"
        );
        assert!(
            text.contains("nestorw@contoso.com works Mon–Fri 09:00–18:00 Tokyo"),
            "{text}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&found, &berlin)).unwrap();
        let nestor = &j["schedules"][1];
        assert_eq!(nestor["workingHours"]["ianaTimeZone"], "Asia/Tokyo");
        assert_eq!(nestor["localStart"], "2037-01-08T08:00:00+09:00");
        // 00:00 Berlin is 08:00 in Tokyo: before his day.
        assert_eq!(
            &nestor["withinWorkingHours"].as_str().unwrap()[..11],
            "01111111110"
        );
    }
}
