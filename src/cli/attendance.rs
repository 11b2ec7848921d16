//! `tmeet attendance REF`: who attended a meeting one organized, when they joined and
//! left and for how long, from its attendance reports (one per session).

use super::agenda::{Cache, connect};
use super::error::CliError;
use super::output::say;
use crate::history::Kind;
use crate::permissions::Feature;
use crate::services::agenda::Named;
use crate::services::attendance::{self, AttendanceError, Session, Which};
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono_tz::Tz;
use serde_json::json;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the attendance was shown (or that there is none yet)
  1  failed: not a meeting you organized, no permission, or the service refused
  2  usage: an unknown REF";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct AttendanceArgs {
    /// The meeting: an agenda ref (a12), a history ref, an event id or a join link
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Print JSON: {"sessions": [{"id", "start", "end", "participants", "attendees": [{"name", "email", "role", "seconds", "intervals": [{"join", "leave", "seconds"}]}]}]}
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: session,name,email,role,join,leave,seconds (one row per interval)
    #[arg(long)]
    pub csv: bool,
}

pub fn run(global: &GlobalArgs, args: AttendanceArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}h{m:02}m")
    } else {
        format!("{m}m{s:02}s")
    }
}

fn csv_field(s: &str) -> String {
    let s = crate::sanitize::line(s);
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn execute(global: &GlobalArgs, args: &AttendanceArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let sessions = startup::run(&settings, async |started| {
        let cache = Cache::open(&settings, started)?;
        let named = cache.resolve(&args.reference)?;
        let (id, link) = match &named {
            Named::Event(r) => {
                if !r.event.is_organizer {
                    return Err(CliError::failed(AttendanceError::NotOrganizer.to_string()));
                }
                (None, r.event.join_url.clone())
            }
            Named::Meeting(m) if m.kind == Kind::Standalone => {
                (Some(m.graph_id.clone()), m.join_url.clone())
            }
            Named::Meeting(m) => (None, m.join_url.clone()),
        };
        let which = match (&id, &link) {
            (Some(id), _) => Which::Id(id),
            (None, Some(url)) => Which::JoinUrl(url),
            (None, None) => return Err(CliError::failed(AttendanceError::NoMeeting.to_string())),
        };
        let graph = connect(started, Feature::Attendance, args.json || args.csv).await?;
        attendance::attendance(&graph, &cache.target, which)
            .await
            .map_err(|e| CliError::failed(e.to_string()))
    })??;
    let out = if args.json {
        crate::sanitize::json_text(&to_json(&sessions, &zone).to_string())
    } else if args.csv {
        csv(&sessions, &zone)
    } else {
        text(&sessions, &zone)
    };
    say!("{}", out.trim_end()).map_err(|_| CliError::reader_gone())
}

fn to_json(sessions: &[Session], zone: &Tz) -> serde_json::Value {
    let t =
        |d: &Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.with_timezone(zone).to_rfc3339());
    json!({"sessions": sessions.iter().map(|s| json!({
        "id": s.id, "start": t(&s.start), "end": t(&s.end), "participants": s.participants,
        "attendees": s.attendees.iter().map(|a| json!({
            "name": a.name, "email": a.email, "role": a.role, "seconds": a.seconds,
            "intervals": a.intervals.iter().map(|i| json!({"join": t(&i.join), "leave": t(&i.leave), "seconds": i.seconds})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })).collect::<Vec<_>>()})
}

fn csv(sessions: &[Session], zone: &Tz) -> String {
    let t = |d: &Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.with_timezone(zone).to_rfc3339())
            .unwrap_or_default()
    };
    let mut out = String::from("session,name,email,role,join,leave,seconds\n");
    for s in sessions {
        for a in &s.attendees {
            for i in &a.intervals {
                out += &format!(
                    "{},{},{},{},{},{},{}\n",
                    csv_field(&s.id),
                    csv_field(&a.name),
                    csv_field(a.email.as_deref().unwrap_or("")),
                    csv_field(&a.role),
                    t(&i.join),
                    t(&i.leave),
                    i.seconds
                );
            }
        }
    }
    out
}

fn text(sessions: &[Session], zone: &Tz) -> String {
    if sessions.is_empty() {
        return "No attendance yet: reports appear once a session of the meeting has ended.".into();
    }
    let hm = |d: &Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.with_timezone(zone).format("%H:%M").to_string())
            .unwrap_or_else(|| "?".into())
    };
    let mut out = String::new();
    for s in sessions {
        out += &format!(
            "Session {}–{} ({} {}):\n",
            s.start
                .map(|d| d.with_timezone(zone).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "?".into()),
            hm(&s.end),
            s.participants,
            if s.participants == 1 {
                "participant"
            } else {
                "participants"
            }
        );
        for a in &s.attendees {
            let spans: Vec<String> = a
                .intervals
                .iter()
                .map(|i| format!("{}–{}", hm(&i.join), hm(&i.leave)))
                .collect();
            out += &format!(
                "  {:<24} {:<10} {:>8}  {}\n",
                crate::sanitize::line(&a.name),
                crate::sanitize::line(&a.role),
                duration(a.seconds),
                spans.join(", ")
            );
        }
    }
    out
}
