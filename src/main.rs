use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tmeet::cli;
use tmeet::settings::GlobalArgs;

/// Create Microsoft Teams online meetings from the terminal.
///
/// Without a command, opens the interactive form. `tmeet --demo` runs everything against
/// the built-in Graph emulator: no account, no network.
#[derive(Parser)]
#[command(
    name = "tmeet",
    version,
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
    /// Sign in with a device code (or check app-only credentials) and store the token
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
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::output::clap_exit(e),
    };
    #[cfg(not(feature = "demo"))]
    if cli.global.demo {
        eprintln!("tmeet: {}", tmeet::bootstrap::NO_EMULATOR);
        return tmeet::exit::Code::Usage.into();
    }
    match cli.command {
        None => tmeet::tui::run(&cli.global),
        Some(Command::Login(args)) => cli::login::run(&cli.global, args),
        Some(Command::Logout) => cli::logout::run(&cli.global),
        Some(Command::Status) => cli::status::run(&cli.global),
        Some(Command::Create(args)) => cli::create::run(&cli.global, args),
        Some(Command::Update(args)) => cli::update::run(&cli.global, args),
        Some(Command::Emulator(args)) => cli::emulator::run(&cli.global, args),
        Some(Command::List(args)) => cli::list::run(&cli.global, args),
        Some(Command::Show(args)) => cli::show::run(&cli.global, args),
        Some(Command::Delete(args)) => cli::delete::run(&cli.global, args),
    }
}
