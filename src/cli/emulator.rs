//! `tmeet emulator`: the Graph + identity emulator on its own, for trying tmeet without an
//! account, for scripts, and for the benchmark. Runs until Ctrl+C.

use super::error::CliError;
use super::output::{say, write_out};
use crate::services::startup;
use crate::settings::GlobalArgs;
use tmeet_emulator::{self as emulator, Emulator, EmulatorOptions};

#[derive(Debug, clap::Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Approve every sign-in at once (a device code on its first poll, a browser sign-in
    /// without its approval page), as `--demo` does
    #[arg(long)]
    pub auto_approve: bool,
    /// Faults to inject into the next Graph requests, e.g. `429:2,503*3,drop`
    #[arg(long, env = emulator::FAULTS_ENV, value_name = "LIST")]
    pub faults: Option<String>,
    /// Tenant policy that silently overrides meeting options, e.g. `lobby=organization,recording=off`
    #[arg(long, env = emulator::POLICY_ENV, value_name = "RULES", long_help = policy_help())]
    pub policy: Option<String>,
    /// How the tenant refuses sign-ins, as real tenants do, e.g.
    /// `device-code=blocked,audience=single,admin-consent=Place.Read.All`
    #[arg(long, env = emulator::SIGNIN_ENV, value_name = "MODES", long_help = signin_help())]
    pub signin: Option<String>,
    /// The signed-in person's mailbox, e.g. `mailbox=none` (no Exchange Online mailbox),
    /// `mail=ADDRESS`, `language=fr-FR`
    #[arg(long, env = emulator::MAILBOX_ENV, value_name = "MODES")]
    pub mailbox: Option<String>,
    /// How the directory and People answer, e.g. `people=404`
    #[arg(long, env = emulator::DIRECTORY_ENV, value_name = "MODES")]
    pub directory: Option<String>,
    /// Percent (0–100) of new online meetings given the short join link
    /// (`teams.microsoft.com/meet/…`, with an expiry)
    #[arg(long, env = emulator::SHORT_LINKS_ENV, value_name = "PERCENT",
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub short_links: Option<u8>,
    /// Seconds to shift the Date header of every answer by (negative: behind), to see how
    /// tmeet meets a machine whose clock is off (tmeet doctor checks it)
    #[arg(
        long,
        env = "TMEET_EMULATOR_CLOCK_SKEW",
        value_name = "SECS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub clock_skew: i64,
}

/// `--help` for `--policy`: what it does and every key with its values, from the emulator's
/// own table so the two cannot drift apart.
fn policy_help() -> String {
    let keys: String = emulator::policy_keys_help()
        .lines()
        // Spaced, so a man page can break the list between values.
        .map(|l| format!("\n  {}", l.replace('|', " | ")))
        .collect();
    format!(
        "Tenant policy that silently overrides meeting options on create and PATCH, as a Teams \
         admin's meeting policy does: the answer is still 201/200, with the values the policy \
         allows. Comma-separated key=value rules, e.g. `lobby=organization,recording=off`. \
         `lobby` caps the lobby bypass scope (most open first: everyone, \
         organizationAndFederated, organization, organizationExcludingGuests, invited, \
         organizer); every other key forces its value.\n\nKeys:{keys}"
    )
}

/// `--help` for `--signin`, from the emulator's own list of modes.
fn signin_help() -> String {
    let keys: String = emulator::signin_keys_help()
        .lines()
        .map(|l| format!("\n  {}", l.replace('|', " | ")))
        .collect();
    format!(
        "How the tenant refuses sign-ins, as real tenants do. Comma-separated key=value \
         modes: `device-code=blocked` is the Conditional Access policy that blocks the \
         device-code flow (AADSTS53003; `blocked-device` answers 530033); `audience=single` \
         registers the app for one directory, so `organizations` and `common` are refused \
         (AADSTS50194); `admin-consent=P|Q` lets only an administrator grant those \
         permissions (AADSTS90094). A claims challenge on the next Graph call is the fault \
         `claims` (or `claims-interactive`) in --faults.\n\nKeys:{keys}"
    )
}

pub fn run(_global: &GlobalArgs, args: EmulatorArgs) -> Result<(), CliError> {
    // Either may come from its variable as well as its flag (clap reads both): the line
    // names both, and a value that cannot be read is a usage error (2), found before the
    // emulator starts.
    let faults = match args.faults.as_deref().map(emulator::parse_faults) {
        None => Vec::new(),
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            return Err(CliError::usage(format!(
                "--faults ({}): {e}",
                emulator::FAULTS_ENV
            )));
        }
    };
    let policy = modes::<emulator::Policy>(&args.policy, "--policy", emulator::POLICY_ENV)?;
    let signin = modes::<emulator::SignInModes>(&args.signin, "--signin", emulator::SIGNIN_ENV)?;
    let mailbox =
        modes::<emulator::MailboxModes>(&args.mailbox, "--mailbox", emulator::MAILBOX_ENV)?;
    let directory =
        modes::<emulator::DirectoryModes>(&args.directory, "--directory", emulator::DIRECTORY_ENV)?;
    let opts = EmulatorOptions {
        port: args.port,
        mailbox,
        directory,
        short_link_percent: args.short_links.unwrap_or(0),
        auto_approve_device_codes: args.auto_approve,
        faults,
        policy: policy.clone(),
        signin,
        clock_skew_secs: args.clock_skew,
        ..EmulatorOptions::default()
    };
    // The request log goes to stderr so the banner on stdout stays machine-readable.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("tmeet_emulator=info")),
        )
        .try_init();
    let meetings = startup::on_runtime(async || {
        startup::with_emulator(opts, async |emu| {
            // Whoever started the emulator reads its URLs from the banner: without it the
            // emulator is of no use, so a banner that cannot be written ends it.
            write_out(format_args!("{}", banner(emu, args.auto_approve, &policy)))?;
            if let Err(e) = tokio::signal::ctrl_c().await {
                super::output::warn_line(&format!("cannot wait for Ctrl+C ({e}); stopping"));
            }
            Ok::<_, CliError>(emu.meeting_count())
        })
        .await
    })?
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            CliError::failed(format!(
                "port {} on 127.0.0.1 is already in use; pick another with --port, or --port 0 for any free port",
                args.port
            ))
        } else {
            CliError::failed(format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
        }
    })??;
    say!("tmeet emulator stopped ({meetings} simulated meetings discarded)")?;
    Ok(())
}

/// A modes flag (or its variable) read, or the usage error naming both; unset is the
/// default.
fn modes<M: std::str::FromStr<Err: std::fmt::Display> + Default>(
    value: &Option<String>,
    flag: &str,
    env: &str,
) -> Result<M, CliError> {
    match value.as_deref().map(str::parse::<M>) {
        None => Ok(M::default()),
        Some(Ok(m)) => Ok(m),
        Some(Err(e)) => Err(CliError::usage(format!("{flag} ({env}): {e}"))),
    }
}

fn banner(emu: &Emulator, auto_approve: bool, policy: &emulator::Policy) -> String {
    let graph = emu.graph_url();
    let login = emu.login_url();
    let login = login.as_str().trim_end_matches('/');
    let approval = if auto_approve {
        "sign-ins are approved automatically".to_string()
    } else {
        format!(
            "approve device codes at {login}/devicelogin; browser sign-ins on their page or with POST {login}/_emulator/authorize/approve"
        )
    };
    let policy = if policy.is_empty() {
        "none (change it with POST /_emulator/policy)".to_string()
    } else {
        policy.to_string()
    };
    format!(
        "tmeet emulator: simulated Microsoft Graph and sign-in on loopback (no real meetings)\n\
         \n  Graph URL:  {graph}\
         \n  Login URL:  {login}\
         \n  Sign-in:    {approval}\
         \n  Policy:     {policy}\
         \n  Control:    GET {login}/_emulator/stats, POST {login}/_emulator/faults (body e.g. 429:2,503)\n\
         \nPoint tmeet at it:\
         \n  tmeet --graph-url {graph} --login-url {login} --client-id tmeet-emulator login\
         \n  tmeet --graph-url {graph} --login-url {login} --client-id tmeet-emulator\
         \nor export TMEET_GRAPH_URL={graph} TMEET_LOGIN_URL={login} TMEET_CLIENT_ID=tmeet-emulator\n\
         \nPress Ctrl+C to stop.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn banner_names_both_urls_and_how_to_use_them() {
        let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
        let b = banner(&emu, false, &emulator::Policy::default());
        let port = emu.addr().port();
        assert!(b.contains(&format!("Graph URL:  http://127.0.0.1:{port}/v1.0\n")));
        assert!(b.contains(&format!("Login URL:  http://127.0.0.1:{port}\n")));
        assert!(b.contains(&format!(
            "--graph-url http://127.0.0.1:{port}/v1.0 --login-url http://127.0.0.1:{port} "
        )));
        assert!(b.contains("/devicelogin"));
        assert!(b.contains("Policy:     none"));
        let strict: emulator::Policy = "lobby=organizer".parse().unwrap();
        let b = banner(&emu, true, &strict);
        assert!(b.contains("approved automatically"));
        assert!(b.contains("Policy:     lobby=organizer\n"));
    }
}
