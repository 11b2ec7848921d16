use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;
use tmeet::cli;
use tmeet::settings::GlobalArgs;

/// `0.1.0 (1a2b3c4)`: the commit comes from build.rs, and is left out when the source had
/// no git history (a tarball, `cargo install` from a registry).
const VERSION: &str = match option_env!("TMEET_GIT_COMMIT") {
    Some(_) => concat!(
        env!("CARGO_PKG_VERSION"),
        " (",
        env!("TMEET_GIT_COMMIT"),
        ")"
    ),
    None => env!("CARGO_PKG_VERSION"),
};

/// Create Microsoft Teams online meetings from the terminal.
///
/// Without a command, opens the interactive form. `tmeet --demo` runs everything against
/// the built-in Graph emulator: no account, no network.
#[derive(Parser)]
#[command(
    name = "tmeet",
    version = VERSION,
    propagate_version = true,
    after_help = tmeet::exit::HELP
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Set tmeet up for your organization: register the app, save its IDs, sign in, check
    #[command(long_about = cli::setup::LONG_ABOUT)]
    Setup(cli::setup::SetupArgs),
    /// Sign in (through the browser, or with a device code) and store the token; app-only: check the credentials
    #[command(long_about = cli::login::LONG_ABOUT)]
    Login(cli::login::LoginArgs),
    /// Forget the stored sign-in for this cloud, tenant and client id
    Logout,
    /// Show the signed-in account, tenant, cloud, scopes and token expiry
    Status,
    /// Create a meeting without the interactive form (for scripts)
    Create(cli::create::CreateArgs),
    /// Change a meeting's subject, times, options or attendees (PATCH), then show what the tenant changed
    Update(cli::update::UpdateArgs),
    /// Run the Graph + identity emulator on loopback until interrupted
    Emulator(cli::emulator::EmulatorArgs),
    /// List the meetings tmeet created (the local history), the soonest first
    List(cli::list::ListArgs),
    /// Show one meeting of the history: links, meeting ID, passcode, invitation
    Show(cli::show::ShowArgs),
    /// Delete a meeting of the history at the service
    Delete(cli::delete::DeleteArgs),
    /// Show free/busy for a day: one strip per person across working hours, in their zones;
    /// --share: your free times as one line to send
    Free(cli::free::FreeArgs),
    /// Suggest times when everyone is free for a meeting of a given length
    Suggest(cli::suggest::SuggestArgs),
    /// Cancel a calendar meeting: every attendee is sent a cancellation (organizer only)
    Cancel(cli::cancel::CancelArgs),
    /// The calendar's meetings of a range (default today), mine and others', from a local cache
    Agenda(cli::agenda::AgendaArgs),
    /// One line about the next meeting, for status bars: tmeet next --format '{start:%H:%M} {subject}'
    Next(cli::next::NextArgs),
    /// Open a meeting's Teams link (REF, or `next`) in the browser and print it
    Join(cli::join::JoinArgs),
    /// Accept an invitation (agenda ref, event id, join link or history ref)
    Accept(cli::respond::RespondArgs),
    /// Tentatively accept an invitation, optionally proposing a new time
    Tentative(cli::respond::RespondArgs),
    /// Decline an invitation (asks first on a terminal), optionally proposing a new time
    Decline(cli::respond::RespondArgs),
    /// Who attended a meeting you organized: joined, left, for how long
    Attendance(cli::attendance::AttendanceArgs),
    /// Check settings, hosts, clock, sign-in, token store, clipboard and terminal
    Doctor(cli::doctor::DoctorArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(cli::completions::CompletionsArgs),
    /// Print the manual page, tmeet(1), in roff: tmeet man > ~/.local/share/man/man1/tmeet.1
    Man,
}

fn main() -> ExitCode {
    // Parsed in two steps so that doctor can say where a setting came from (flag or
    // environment), which only the matches know.
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return cli::error::clap_exit(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return cli::error::clap_exit(e),
    };
    #[cfg(not(feature = "demo"))]
    if cli.global.demo {
        return cli::finish(Err(cli::CliError::usage(
            tmeet::services::startup::NO_EMULATOR.into(),
        )));
    }
    // Every command that reads or shows a time says once when TZ names no zone; the form
    // says it on its status line, doctor in its time-zone check, and the others show none.
    if !matches!(
        cli.command,
        None | Some(
            Command::Emulator(_) | Command::Doctor(_) | Command::Completions(_) | Command::Man
        )
    ) {
        tmeet::meeting::time::warn_if_tz_unread();
    }
    let done = match cli.command {
        None => return tmeet::tui::run(&cli.global),
        Some(Command::Setup(args)) => cli::setup::run(&cli.global, args),
        Some(Command::Login(args)) => cli::login::run(&cli.global, args),
        Some(Command::Logout) => cli::logout::run(&cli.global),
        Some(Command::Status) => cli::status::run(&cli.global),
        Some(Command::Create(args)) => cli::create::run(&cli.global, args),
        Some(Command::Update(args)) => cli::update::run(&cli.global, args),
        Some(Command::Emulator(args)) => cli::emulator::run(&cli.global, args),
        Some(Command::List(args)) => cli::list::run(&cli.global, args),
        Some(Command::Show(args)) => cli::show::run(&cli.global, args),
        Some(Command::Delete(args)) => cli::delete::run(&cli.global, args),
        Some(Command::Free(args)) => cli::free::run(&cli.global, args),
        Some(Command::Suggest(args)) => cli::suggest::run(&cli.global, args),
        Some(Command::Cancel(args)) => cli::cancel::run(&cli.global, args),
        Some(Command::Agenda(args)) => cli::agenda::run(&cli.global, args),
        Some(Command::Next(args)) => cli::next::run(&cli.global, args),
        Some(Command::Join(args)) => cli::join::run(&cli.global, args),
        Some(Command::Accept(args)) => cli::respond::run(
            &cli.global,
            tmeet::graph::client::AnswerAction::Accept,
            args,
        ),
        Some(Command::Tentative(args)) => cli::respond::run(
            &cli.global,
            tmeet::graph::client::AnswerAction::Tentative,
            args,
        ),
        Some(Command::Decline(args)) => cli::respond::run(
            &cli.global,
            tmeet::graph::client::AnswerAction::Decline,
            args,
        ),
        Some(Command::Attendance(args)) => cli::attendance::run(&cli.global, args),
        Some(Command::Doctor(args)) => {
            let origins = matches
                .subcommand_matches("doctor")
                .map(cli::doctor::Origins::from_matches)
                .unwrap_or_default();
            cli::doctor::run(&cli.global, args, origins)
        }
        Some(Command::Completions(args)) => cli::completions::run(args, Cli::command()),
        Some(Command::Man) => cli::man::run(Cli::command()),
    };
    cli::finish(done)
}
