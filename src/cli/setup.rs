//! `tmeet setup`: a wizard that cannot leave a broken configuration. It shows how to
//! register the app (one Azure CLI command, or the portal steps), asks for the cloud, the
//! Application (client) ID and the Directory (tenant) ID or domain, checks their form,
//! writes them into `config.toml` keeping everything else in it, signs in, runs doctor's
//! checks and ends with one line: ready, or what is still wrong. `--cloud`, `--client-id`
//! and `--tenant` (or their TMEET_* variables) answer the questions for scripts; without a
//! terminal and without them it is a usage error.

use super::doctor::{Check, Origins};
use super::error::CliError;
use super::output::{Unwritable, say, warn_line};
use crate::cloud::Cloud;
use crate::services::startup::{self, Started};
use crate::settings::GlobalArgs;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `tmeet setup --help` beyond its first line.
pub const LONG_ABOUT: &str = "Set tmeet up for your organization.\n\nPrints the Azure CLI command that registers the app correctly (one organization, the redirect URI http://localhost under \"Mobile and desktop applications\", public client flows on, the delegated permissions tmeet asks for) and the portal steps; asks for the cloud, the Application (client) ID and the Directory (tenant) ID or domain (a single-tenant app needs it: organizations and common are refused); checks their form; writes them into config.toml keeping everything else in it; signs in (through the browser where one opens here, else with a device code); runs the checks of tmeet doctor and ends with one line: ready, or what is still wrong. In a script, --client-id and --tenant (and --cloud) answer the questions; without a terminal and without them it is a usage error (exit 2).";

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// Write the configuration and check it, without signing in
    #[arg(long)]
    pub no_sign_in: bool,
}

/// The delegated Graph permissions tmeet asks for, with their permission IDs (GRAPH-NEXT.md
/// §1.8, checked against Microsoft's permission lists), and when each is asked for.
const PERMISSIONS: &[(&str, &str, &str)] = &[
    (
        "OnlineMeetings.ReadWrite",
        "a65f2972-a4f8-4f5e-afd7-69ccb046d5dc",
        "at the first sign-in: creating meetings",
    ),
    (
        "User.Read",
        "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
        "at the first sign-in: your account's name",
    ),
    (
        "offline_access",
        "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
        "at the first sign-in: staying signed in",
    ),
    (
        "openid",
        "37f7f235-527c-4136-accd-4a02d197296e",
        "at the first sign-in",
    ),
    (
        "profile",
        "14dad69e-099b-42c9-810b-d002981feec1",
        "at the first sign-in",
    ),
    (
        "User.ReadBasic.All",
        "b340eb25-3456-403f-be2f-af7a0d370277",
        "when you first add attendees",
    ),
    (
        "Calendars.ReadWrite",
        "1ec239c2-d7c9-4623-a91a-a9775856bb36",
        "when you first create a calendar meeting",
    ),
    (
        "Calendars.Read.Shared",
        "2b9c4092-424d-4249-948d-b43879977640",
        "when you first look at others' free/busy",
    ),
    (
        "People.Read",
        "ba47897c-39ec-4d83-8086-ee8256fa737d",
        "when you first complete names as you type",
    ),
];

const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// The one Azure CLI command that registers tmeet's app correctly: one organization,
/// public client flows on, `http://localhost` under mobile and desktop applications, and
/// every delegated permission tmeet asks for.
pub fn azure_cli_command() -> String {
    let access: Vec<String> = PERMISSIONS
        .iter()
        .map(|(_, id, _)| format!("{{\"id\":\"{id}\",\"type\":\"Scope\"}}"))
        .collect();
    format!(
        "az ad app create --display-name tmeet --sign-in-audience AzureADMyOrg \\\n  \
         --public-client-redirect-uris http://localhost --is-fallback-public-client true \\\n  \
         --required-resource-accesses '[{{\"resourceAppId\":\"{GRAPH_APP_ID}\",\"resourceAccess\":[{}]}}]' \\\n  \
         --query appId --output tsv",
        access.join(",")
    )
}

fn intro() -> Result<(), Unwritable> {
    say!("tmeet setup: connect tmeet to your Microsoft 365 organization.")?;
    say!("")?;
    say!("1. Register tmeet in your organization once. With the Azure CLI (az login first):")?;
    say!("")?;
    say!("{}", indent(&azure_cli_command()))?;
    say!("")?;
    say!(
        "   It prints the Application (client) ID; az account show --query tenantId -o tsv prints the Directory (tenant) ID."
    )?;
    say!(
        "   Without the Azure CLI, in the Microsoft Entra admin center (https://entra.microsoft.com):"
    )?;
    say!(
        "   - App registrations > New registration: name tmeet, \"Accounts in this organizational directory only\","
    )?;
    say!(
        "     redirect URI: platform \"Public client/native (mobile & desktop)\", http://localhost; Register."
    )?;
    say!(
        "   - Authentication: \"Allow public client flows\" = Yes (for device-code sign-in); Save."
    )?;
    say!(
        "   - API permissions > Add a permission > Microsoft Graph > Delegated: OnlineMeetings.ReadWrite, User.Read,"
    )?;
    say!(
        "     offline_access (the others are asked for when a feature first needs them; see the README)."
    )?;
    say!("   - Overview: copy the Application (client) ID and the Directory (tenant) ID.")?;
    say!("")?;
    say!("2. Answer three questions (Enter keeps the value in brackets).")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("   {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An Application (client) ID: a GUID.
pub fn check_client_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.len() == 36 && uuid::Uuid::try_parse(id).is_ok() {
        return Ok(id.to_ascii_lowercase());
    }
    Err(format!(
        "'{}' is not an Application (client) ID: it is a GUID such as 11111111-2222-3333-4444-555555555555, on the app's Overview page",
        crate::sanitize::line(id)
    ))
}

/// A Directory (tenant) ID (a GUID) or one of the directory's domains. The multi-tenant
/// names are refused: the app the README registers is single-tenant, and the service
/// refuses such an app on `organizations` and `common` (AADSTS50194).
pub fn check_tenant(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    let shown = crate::sanitize::line(t);
    if t.len() == 36 && uuid::Uuid::try_parse(t).is_ok() {
        return Ok(t.to_ascii_lowercase());
    }
    if ["organizations", "common", "consumers"]
        .iter()
        .any(|n| t.eq_ignore_ascii_case(n))
    {
        return Err(format!(
            "'{shown}' is not one directory: give your Directory (tenant) ID or domain (a single-tenant app is refused on '{shown}' with AADSTS50194; personal accounts cannot create meetings)"
        ));
    }
    let labels: Vec<&str> = t.split('.').collect();
    let domain = t.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if domain {
        return Ok(t.to_ascii_lowercase());
    }
    Err(format!(
        "'{shown}' is neither a Directory (tenant) ID (a GUID, on the Overview page) nor a domain such as contoso.onmicrosoft.com"
    ))
}

fn check_cloud(raw: &str) -> Result<Cloud, String> {
    let cloud: Cloud = raw.trim().parse().map_err(|_| {
        format!(
            "'{}' is not a cloud: global, usgov or dod",
            crate::sanitize::line(raw.trim())
        )
    })?;
    cloud.ensure_supported()?;
    Ok(cloud)
}

/// One answer from the terminal; `None` at the end of input.
fn ask(question: &str, current: Option<&str>) -> Result<Option<String>, Unwritable> {
    match current {
        Some(c) => super::output::write_out(format_args!("{question} [{c}]: "))?,
        None => super::output::write_out(format_args!("{question}: "))?,
    }
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => Ok(None),
        Ok(_) => {
            let answer = line.trim();
            Ok(Some(match (answer.is_empty(), current) {
                (true, Some(c)) => c.to_string(),
                _ => answer.to_string(),
            }))
        }
    }
}

/// Asks until the answer has the right form.
fn ask_until<T>(
    question: &str,
    current: Option<&str>,
    check: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, Unwritable> {
    loop {
        let Some(answer) = ask(question, current)? else {
            return Ok(None);
        };
        match check(&answer) {
            Ok(v) => return Ok(Some(v)),
            Err(e) => say!("  {e}")?,
        }
    }
}

/// What is in config.toml now, for the defaults shown in brackets.
fn current(path: &Path) -> Result<toml_edit::DocumentMut, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.parse::<toml_edit::DocumentMut>().map_err(|e| {
            format!(
                "{} is not valid TOML ({}); fix or move it, then run tmeet setup again",
                path.display(),
                crate::sanitize::line(&e.to_string())
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(toml_edit::DocumentMut::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Writes the three keys, keeping every other key and comment; replaced atomically.
fn write_config(
    path: &Path,
    mut doc: toml_edit::DocumentMut,
    cloud: Cloud,
    client_id: &str,
    tenant: &str,
) -> Result<(), String> {
    doc["cloud"] = toml_edit::value(cloud.to_string());
    doc["client-id"] = toml_edit::value(client_id);
    doc["tenant"] = toml_edit::value(tenant);
    let text = doc.to_string();
    // What is written must be what tmeet reads: an unknown key elsewhere stops here.
    crate::settings::ConfigFile::parse(&text).map_err(|e| {
        format!(
            "{} has a setting tmeet does not accept ({e}); fix it, then run tmeet setup again",
            path.display()
        )
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("toml.tmp");
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

fn config_path(global: &GlobalArgs) -> Option<PathBuf> {
    global.config.clone().or_else(crate::paths::config_file)
}

pub fn run(global: &GlobalArgs, args: SetupArgs) -> Result<(), CliError> {
    if global.demo {
        return Err(CliError::usage(
            "tmeet setup configures a real organization; --demo needs no setup".into(),
        ));
    }
    let Some(path) = config_path(global) else {
        return Err(CliError::usage(
            "no configuration directory is known here: pass --config PATH".into(),
        ));
    };
    let doc = current(&path).map_err(CliError::failed)?;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let given = |flag: &Option<String>, key: &str| {
        flag.clone()
            .or_else(|| doc.get(key).and_then(|v| v.as_str()).map(str::to_string))
    };
    let answers = if global.client_id.is_some() && global.tenant.is_some() {
        // Scripts: the flags (or TMEET_* variables) answer; each is checked as typed.
        let cloud = check_cloud(&given(&global.cloud, "cloud").unwrap_or_else(|| "global".into()))
            .map_err(|e| CliError::usage(format!("--cloud: {e}")))?;
        let client_id = check_client_id(global.client_id.as_deref().unwrap_or_default())
            .map_err(|e| CliError::usage(format!("--client-id: {e}")))?;
        let tenant = check_tenant(global.tenant.as_deref().unwrap_or_default())
            .map_err(|e| CliError::usage(format!("--tenant: {e}")))?;
        (cloud, client_id, tenant)
    } else if interactive {
        wizard(global, &doc)?.ok_or_else(|| {
            CliError::interrupted("setup cancelled; config.toml was not changed".into())
        })?
    } else {
        return Err(CliError::usage(
            "tmeet setup asks its questions in a terminal; in a script pass --client-id and --tenant (and --cloud unless it is global)".into(),
        ));
    };
    let (cloud, client_id, tenant) = answers;
    write_config(&path, doc, cloud, &client_id, &tenant).map_err(CliError::failed)?;
    say!(
        "Wrote cloud, client-id and tenant to {} (everything else in it was kept).",
        path.display()
    )?;
    // From here on the written values are the settings, whatever flags said.
    let global = GlobalArgs {
        cloud: Some(cloud.to_string()),
        client_id: Some(client_id),
        tenant: Some(tenant),
        config: Some(path),
        ..global.clone()
    };
    startup::on_runtime(async || finish(&global, &args).await)?
}

fn wizard(
    global: &GlobalArgs,
    doc: &toml_edit::DocumentMut,
) -> Result<Option<(Cloud, String, String)>, Unwritable> {
    intro()?;
    let from_file = |key: &str| doc.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let cloud_now = global
        .cloud
        .clone()
        .or_else(|| from_file("cloud"))
        .unwrap_or_else(|| "global".into());
    let Some(cloud) = ask_until("Cloud (global, usgov, dod)", Some(&cloud_now), check_cloud)?
    else {
        return Ok(None);
    };
    let id_now = global.client_id.clone().or_else(|| from_file("client-id"));
    let Some(client_id) = ask_until(
        "Application (client) ID",
        id_now.as_deref(),
        check_client_id,
    )?
    else {
        return Ok(None);
    };
    let tenant_now = global.tenant.clone().or_else(|| from_file("tenant"));
    let Some(tenant) = ask_until(
        "Directory (tenant) ID or domain",
        tenant_now.as_deref(),
        check_tenant,
    )?
    else {
        return Ok(None);
    };
    Ok(Some((cloud, client_id, tenant)))
}

/// Signs in (unless `--no-sign-in`), runs doctor's checks and says in one line whether
/// tmeet is ready.
async fn finish(global: &GlobalArgs, args: &SetupArgs) -> Result<(), CliError> {
    let signed_in = if args.no_sign_in {
        None
    } else {
        Some(sign_in(global).await?)
    };
    say!("")?;
    say!("Checking (as tmeet doctor does):")?;
    let checks: Vec<Check> =
        super::doctor::all_checks(global, &Origins::default(), Duration::from_secs(5))
            .await
            .into_iter()
            .map(Check::sanitized)
            .collect();
    for c in &checks {
        say!("{}", c.line())?;
    }
    say!("")?;
    let blocking: Vec<&Check> = checks.iter().filter(|c| c.required && !c.ok).collect();
    match blocking.first() {
        None => {
            say!(
                "Ready: tmeet creates meetings for this organization; run tmeet to open the form."
            )?;
            Ok(())
        }
        Some(first) => {
            let fix = first.fix.as_deref().unwrap_or("see the line above");
            let failed = signed_in == Some(false) && first.check == "sign-in";
            Err(CliError::failed(format!(
                "not ready: {}: {}{}",
                first.check,
                fix,
                if failed {
                    " (the sign-in above says why it failed)"
                } else {
                    ""
                }
            )))
        }
    }
}

/// The sign-in `tmeet login` runs, by the flow this machine allows. True when it worked.
async fn sign_in(global: &GlobalArgs) -> Result<bool, Unwritable> {
    let signed_in = match startup::settings(global) {
        Ok(settings) => Started::scope(settings, sign_in_started).await,
        Err(refused) => Err(refused),
    };
    signed_in.unwrap_or_else(|refused| {
        warn_line(refused.line());
        Ok(false)
    })
}

async fn sign_in_started(started: &Started) -> Result<bool, Unwritable> {
    say!("")?;
    let args = super::login::LoginArgs {
        browser: false,
        device_code: false,
        no_browser: false,
        scope: Vec::new(),
    };
    let mut interrupt = super::common::Interrupt::listen().await;
    // The sign-in says why it failed, and setup goes on: the checks say what to do next.
    match super::login::interactive(started, &args, &mut interrupt).await {
        Ok(()) => Ok(true),
        Err(e) => {
            e.say();
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tenants_are_checked_for_their_form() {
        assert!(check_client_id(" 11111111-2222-3333-4444-555555555555 ").is_ok());
        assert!(check_client_id("tmeet").unwrap_err().contains("GUID"));
        assert_eq!(
            check_tenant("Contoso.onmicrosoft.com").unwrap(),
            "contoso.onmicrosoft.com"
        );
        assert!(check_tenant("6f1c3b9e-52d4-4a8e-9f0b-7e2d5c1a8b34").is_ok());
        for bad in [
            "organizations",
            "common",
            "consumers",
            "contoso",
            "-a.com",
            "a..b",
            "a b.com",
        ] {
            assert!(check_tenant(bad).is_err(), "{bad}");
        }
        assert!(
            check_tenant("organizations")
                .unwrap_err()
                .contains("AADSTS50194")
        );
        assert!(check_cloud("china").is_err() && check_cloud("usgov").is_ok());
    }

    #[test]
    fn the_azure_cli_command_registers_what_tmeet_needs() {
        let c = azure_cli_command();
        for part in [
            "--sign-in-audience AzureADMyOrg",
            "--public-client-redirect-uris http://localhost",
            "--is-fallback-public-client true",
            "a65f2972-a4f8-4f5e-afd7-69ccb046d5dc",
        ] {
            assert!(c.contains(part), "{c}");
        }
        let json = c.split('\'').nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            v[0]["resourceAccess"].as_array().unwrap().len(),
            PERMISSIONS.len()
        );
    }
}
