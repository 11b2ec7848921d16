//! `tmeet join REF|next`: opens a meeting's Teams link in the browser (or the Teams app's
//! `msteams:` link, with `--app` or `TMEET_JOIN_APP=1`) and prints the link.

use super::agenda::{Cache, connect};
use super::error::CliError;
use super::output::say;
use crate::calendar::agenda::next_meeting;
use crate::permissions::Feature;
use crate::services::agenda::{self as service, Named, Refresh};
use crate::services::startup;
use crate::settings::GlobalArgs;
use chrono::{Duration, Utc};

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  the link was printed (and opened, unless no browser could be)
  1  failed: the meeting has no Teams link, or there is no next meeting
  2  usage: an unknown REF";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct JoinArgs {
    /// `next` (the meeting starting soonest, or begun within ten minutes), an agenda ref
    /// (a12), a history ref, an event id or a join link
    #[arg(value_name = "REF|next")]
    pub reference: String,
    /// Open the Teams app (the msteams: link) instead of the browser [env: TMEET_JOIN_APP=1]
    #[arg(long)]
    pub app: bool,
    /// Only print the link
    #[arg(long)]
    pub no_open: bool,
}

pub fn run(global: &GlobalArgs, args: JoinArgs) -> Result<(), CliError> {
    let _log = crate::logging::init();
    execute(global, &args)
}

fn execute(global: &GlobalArgs, args: &JoinArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    let now = Utc::now();
    let link = startup::run(&settings, async |started| {
        let cache = Cache::open(&settings, started)?;
        if args.reference.trim().eq_ignore_ascii_case("next") {
            let graph = connect(started, Feature::Agenda, false).await?;
            let (from, to) = (now - Duration::hours(12), service::window(now).1);
            let a = service::agenda(
                &cache.source(&graph),
                from,
                to,
                Refresh::IfOlderThan(Duration::minutes(1)),
                now,
            )
            .await
            .map_err(super::agenda::failure)?;
            let events: Vec<_> = a.rows.into_iter().map(|r| r.event).collect();
            return next_meeting(&events, now)
                .and_then(|e| e.join_url.clone())
                .ok_or_else(|| {
                    CliError::failed("no meeting with a Teams link is next on your calendar".into())
                });
        }
        let url = match cache.resolve(&args.reference)? {
            Named::Event(r) => r.event.join_url,
            Named::Meeting(m) => m.join_url,
        };
        url.ok_or_else(|| CliError::failed("this meeting has no Teams link to join".into()))
    })??;
    let parsed = url::Url::parse(&link)
        .ok()
        .filter(|u| u.scheme() == "https")
        .ok_or_else(|| {
            CliError::failed("the meeting's link is not an https address; it was not opened".into())
        })?;
    say!("{}", crate::sanitize::line(parsed.as_str())).map_err(|_| CliError::reader_gone())?;
    if args.no_open {
        return Ok(());
    }
    let app = args.app || crate::browser::join_in_app();
    let opened = if app {
        crate::browser::open_app_link(&crate::browser::app_link(&parsed))
    } else {
        crate::browser::open(&parsed)
    };
    if let Err(why) = opened {
        super::output::warn_line(&format!(
            "the link was not opened ({why}); open it yourself"
        ));
    }
    Ok(())
}
