//! Which meetings of a series `update` and `cancel` are for: `--occurrence DATE`,
//! `--from DATE` or `--series`, or, on a terminal, asked. A date is checked against the
//! rule the history keeps before anything is sent.

use super::common::capitalized;
use super::error::CliError;
use crate::history::Entry;
use crate::history::series::Kept;
use crate::services::series::Scope;
use chrono::{NaiveDate, Utc};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScopeArgs {
    /// For a meeting that repeats: only the meeting on this day (2027-01-12, tue, tomorrow)
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "series"])]
    pub occurrence: Option<String>,
    /// For a meeting that repeats: the meeting on this day and every one after it (the
    /// series ends the day before; a change starts a new series there, with a new Teams link)
    #[arg(long, value_name = "DATE", conflicts_with = "series")]
    pub from: Option<String>,
    /// For a meeting that repeats: every meeting of the series
    #[arg(long)]
    pub series: bool,
}

/// `date` when it is one of the series' days; the refusal naming the valid form else.
fn check_day(kept: &Kept, date: NaiveDate, flag: &str) -> Result<NaiveDate, CliError> {
    let days = || kept.series.occurrences().map(|o| o.start.date_naive());
    if days().take_while(|d| *d <= date).any(|d| d == date) {
        return Ok(date);
    }
    let next = days().find(|d| *d > date);
    Err(CliError::usage(format!(
        "{flag}: the series ({}) has no meeting on {}{}; give the day of one of its meetings, as 2027-01-12",
        kept.words,
        date.format("%a %-d %b %Y"),
        next.map(|d| format!(" (the next after it is {})", d.format("%a %-d %b %Y")))
            .unwrap_or_default()
    )))
}

impl ScopeArgs {
    fn given(&self) -> bool {
        self.occurrence.is_some() || self.from.is_some() || self.series
    }

    /// The meetings of `entry` meant: None for a meeting that happens once (refused when
    /// a scope was given), else the scope given, or asked on a terminal. `verb` says what
    /// is done ("change", "cancel").
    pub(crate) fn resolve(
        &self,
        entry: Option<&Entry>,
        verb: &str,
    ) -> Result<Option<Scope>, CliError> {
        let repeating = entry.and_then(Kept::of_entry);
        let Some(repeating) = repeating else {
            if self.given() {
                let what = match entry {
                    Some(e) if e.series.is_some() => format!(
                        "the rule of ref {} cannot be read from the history; {verb} it in Outlook",
                        e.id
                    ),
                    Some(e) => format!(
                        "ref {} happens once: --occurrence, --from and --series are for a meeting that repeats",
                        e.id
                    ),
                    None => "--occurrence, --from and --series need a meeting of the history \
                             that repeats (tmeet list)"
                        .to_string(),
                };
                return Err(CliError::usage(what));
            }
            return Ok(None);
        };
        let zone = repeating.series.zone();
        let now = Utc::now().with_timezone(&zone);
        let day = |flag: &str, text: &str| {
            super::outlook::parse_day(Some(text), &now)
                .map_err(|e| CliError::usage(format!("{flag}: {e}")))
                .and_then(|d| check_day(&repeating, d, flag))
        };
        if self.series {
            return Ok(Some(Scope::All));
        }
        if let Some(text) = &self.occurrence {
            return Ok(Some(Scope::One(day("--occurrence", text)?)));
        }
        if let Some(text) = &self.from {
            return Ok(Some(Scope::From(day("--from", text)?)));
        }
        let id = entry.map_or(0, |e| e.id);
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(format!(
                "ref {id} repeats ({}): say which meetings to {verb}: --occurrence DATE (one), \
                 --from DATE (that one and every one after it) or --series (all of them)",
                repeating.words
            )));
        }
        ask(&repeating, id, verb).map(Some)
    }
}

fn ask(repeating: &Kept, id: i64, verb: &str) -> Result<Scope, CliError> {
    let mut err = std::io::stderr().lock();
    let read = |err: &mut std::io::StderrLock, prompt: &str| -> Result<String, CliError> {
        let _ = write!(err, "{prompt}");
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::failed(format!("cannot read the answer: {e}")))?;
        Ok(line.trim().to_string())
    };
    let choice = read(
        &mut err,
        &format!(
            "ref {id} repeats ({}). {verb} [o]ne meeting, [f]rom one meeting on, or [a]ll of them? ",
            repeating.words,
            verb = capitalized(verb)
        ),
    )?;
    let scope = match choice.to_ascii_lowercase().as_str() {
        "a" | "all" | "s" | "series" => return Ok(Scope::All),
        "o" | "one" => 'o',
        "f" | "from" => 'f',
        _ => {
            return Err(CliError::failed(format!(
                "nothing to {verb}: no choice was made"
            )));
        }
    };
    let zone = repeating.series.zone();
    let next = repeating
        .next(Utc::now())
        .map(|(start, _)| start.with_timezone(&zone).date_naive());
    let text = read(
        &mut err,
        &format!(
            "Which meeting (a day such as 2027-01-12{})? ",
            next.map(|d| format!("; Enter for the next, {}", d.format("%a %-d %b")))
                .unwrap_or_default()
        ),
    )?;
    let now = Utc::now().with_timezone(&zone);
    let date = match (text.is_empty(), next) {
        (true, Some(d)) => d,
        _ => super::outlook::parse_day(Some(&text), &now)
            .map_err(CliError::usage)
            .and_then(|d| check_day(repeating, d, "the day"))?,
    };
    Ok(if scope == 'o' {
        Scope::One(date)
    } else {
        Scope::From(date)
    })
}
