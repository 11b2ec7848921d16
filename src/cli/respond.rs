//! `tmeet accept|tentative|decline REF`: answers an invitation, with a comment and (for
//! tentative and decline) a proposed new time. Declining asks first on a terminal; a
//! meeting of a series asks whether the answer is for this occurrence or the series.

use super::agenda::{Cache, connect};
use super::error::CliError;
use super::output::say;
use crate::graph::client::AnswerAction;
use crate::graph::error::ErrorKind;
use crate::permissions::Feature;
use crate::services::agenda::Named;
use crate::services::respond::{self, AnswerRequest, RespondError};
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::Utc;
use std::io::IsTerminal;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the answer was given
  1  the service refused it (or failed): nothing was changed
  2  usage: an unknown REF, a bad --propose, or an answer the service would refuse
     (your own meeting, a cancelled one, a proposal the organizer does not allow)
  3  the answer was sent but none came back: it may have been given";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct RespondArgs {
    /// The meeting: an agenda ref (a12), an event id, a join link or a history ref
    #[arg(value_name = "REF")]
    pub reference: String,
    /// A message to the organizer
    #[arg(long)]
    pub comment: Option<String>,
    /// Propose another time (tentative and decline): START or START..END (END defaults to
    /// the meeting's length), e.g. "tomorrow 10:00..10:30"
    #[arg(long, value_name = "START[..END]")]
    pub propose: Option<String>,
    /// Do not send the answer to the organizer
    #[arg(long)]
    pub no_response: bool,
    /// Answer for the whole series (a meeting of a series)
    #[arg(long, conflicts_with = "occurrence")]
    pub series: bool,
    /// Answer for this occurrence only (a meeting of a series)
    #[arg(long)]
    pub occurrence: bool,
    /// Decline without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print JSON: {"ref", "id", "subject", "response", "series"}
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &GlobalArgs, action: AnswerAction, args: RespondArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, action, &args)
}

fn ask(question: &str) -> Result<String, String> {
    use std::io::{BufRead, Write};
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    Ok(line.trim().to_ascii_lowercase())
}

fn execute(global: &GlobalArgs, action: AnswerAction, args: &RespondArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let zone = crate::meeting::time::local_zone();
    let now = Utc::now().with_timezone(&zone);
    if args.propose.is_some() && action == AnswerAction::Accept {
        return Err(CliError::usage(
            "--propose: a new time is proposed with tentative or decline, not with accept".into(),
        ));
    }
    startup::run(&settings, async |started| {
        let cache = Cache::open(&settings, started)?;
        let row = match cache.resolve(&args.reference)? {
            Named::Event(r) => r,
            Named::Meeting(_) => {
                return Err(CliError::usage(
                    "that meeting is not on your calendar's agenda; run `tmeet agenda` to bring it in, then answer by its ref".into(),
                ));
            }
        };
        let e = &row.event;
        let propose = match &args.propose {
            None => None,
            Some(text) => Some(
                respond::parse_proposal(text, e.end - e.start, &now)
                    .map_err(|err| CliError::usage(format!("--propose: {err}")))?,
            ),
        };
        let interactive = std::io::stdin().is_terminal();
        let series = if e.in_series() && !args.series && !args.occurrence && interactive {
            let a = ask("This meeting is part of a series: answer for this occurrence or the whole series? [o/s]").map_err(CliError::failed)?;
            match a.as_str() {
                "s" | "series" => true,
                "o" | "occurrence" | "" => false,
                _ => return Err(CliError::failed("nothing was answered".into())),
            }
        } else {
            args.series
        };
        let req = AnswerRequest {
            action,
            comment: args.comment.clone(),
            propose,
            send_response: !args.no_response,
            series,
        };
        respond::check(e, &req).map_err(|r| CliError::usage(r.to_string()))?;
        if action == AnswerAction::Decline && !args.yes && interactive {
            let sure = super::common::confirm(
                &format!(
                    "Decline \"{}\" ({}){}?",
                    crate::sanitize::line(&e.subject),
                    e.start.with_timezone(&zone).format("%a %Y-%m-%d %H:%M"),
                    if series { ", the whole series" } else { "" }
                ),
                "",
            )
            .map_err(CliError::failed)?;
            if !sure {
                return Err(CliError::failed("nothing was declined".into()));
            }
        }
        let graph = connect(started, Feature::Agenda, args.json).await?;
        let store = cache.store.as_ref().map(|s| (s, &cache.key));
        let answered = respond::answer(&graph, &cache.target, store, e, &req)
            .await
            .map_err(|err| match err {
                RespondError::Refused(line) => CliError::usage(line),
                RespondError::Graph(g) if g.kind == ErrorKind::OutcomeUnknown => CliError::outcome_unknown(
                    "the answer was sent but no reply came back; it may have been given: `tmeet agenda --refresh` shows".into(),
                ),
                RespondError::Graph(g) => CliError::failed(g.to_string()),
            })?;
        let r = row.aref.map(|n| format!("a{n}"));
        if args.json {
            let out = serde_json::json!({
                "ref": r, "id": answered.id, "subject": answered.subject,
                "response": answered.response.word(), "series": series,
            });
            say!("{}", crate::sanitize::json_text(&out.to_string()))
        } else {
            let verb = match action {
                AnswerAction::Accept => "Accepted",
                AnswerAction::Tentative => "Tentatively accepted",
                AnswerAction::Decline => "Declined",
            };
            say!(
                "{verb} \"{}\"{}{}.",
                crate::sanitize::line(&answered.subject),
                if series { " (the whole series)" } else { "" },
                if req.propose.is_some() {
                    ", proposing a new time"
                } else {
                    ""
                }
            )
        }
        .map_err(|_| CliError::reader_gone())
    })?
}
