//! The settings checks: the config file, and where the cloud, tenant and client id came
//! from (flag, environment variable, config file or default), since a value set in the
//! wrong place is the usual reason for a sign-in that "disappeared".

use super::Check;
use crate::settings::{ConfigFile, GlobalArgs, Settings};
use clap::parser::ValueSource;

/// Where one setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    Flag,
    Env,
    /// Not given on the command line nor in the environment: the config file or the
    /// default, told apart with the file's content.
    #[default]
    Elsewhere,
}

impl Origin {
    fn from_source(source: Option<ValueSource>) -> Origin {
        match source {
            Some(ValueSource::CommandLine) => Origin::Flag,
            Some(ValueSource::EnvVariable) => Origin::Env,
            _ => Origin::Elsewhere,
        }
    }
}

/// Where `--cloud`, `--tenant` and `--client-id` came from, as clap parsed them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origins {
    pub cloud: Origin,
    pub tenant: Origin,
    pub client_id: Origin,
}

impl Origins {
    /// From the matches of the `doctor` subcommand (global options are propagated to it).
    pub fn from_matches(m: &clap::ArgMatches) -> Origins {
        let of = |id: &str| Origin::from_source(m.value_source(id));
        Origins {
            cloud: of("cloud"),
            tenant: of("tenant"),
            client_id: of("client_id"),
        }
    }
}

/// The config file check, and the file's values for telling "config file" from "default".
pub(super) struct FileCheck {
    pub check: Check,
    pub values: ConfigFile,
}

pub(super) fn config_file(global: &GlobalArgs) -> FileCheck {
    let path = global.config.clone().or_else(crate::paths::config_file);
    let Some(path) = path else {
        return FileCheck {
            check: Check::pass(
                "config file",
                "none (no home directory to look in); flags and TMEET_* variables are used",
            ),
            values: ConfigFile::default(),
        };
    };
    let shown = path.display().to_string();
    let (check, values) = if !path.exists() {
        let how = if global.config.is_some() {
            Check::fail(
                "config file",
                format!("{shown} does not exist"),
                "create it, or drop --config / TMEET_CONFIG",
            )
        } else {
            Check::pass(
                "config file",
                format!("none at {shown} (optional: flags and TMEET_* variables work alone)"),
            )
        };
        (how, ConfigFile::default())
    } else {
        match ConfigFile::load(&path) {
            Ok(values) => (
                Check::pass("config file", format!("{shown}, valid")),
                values,
            ),
            Err(e) => (
                Check::fail(
                    "config file",
                    e,
                    format!(
                        "fix {shown}: keys are cloud, tenant, client-id, user, client-secret-file, graph-url, login-url, language, passcode"
                    ),
                ),
                ConfigFile::default(),
            ),
        }
    };
    FileCheck { check, values }
}

/// cloud, tenant and client id: each value and where it came from.
pub(super) fn identity(settings: &Settings, origins: &Origins, file: &ConfigFile) -> Vec<Check> {
    let from = |origin: Origin, env: &str, in_file: bool| match origin {
        Origin::Flag => "flag".to_string(),
        Origin::Env => format!("environment: {env}"),
        Origin::Elsewhere if in_file => "config file".to_string(),
        Origin::Elsewhere => "default".to_string(),
    };
    let mut out = vec![
        Check::pass(
            "cloud",
            if settings.demo {
                format!(
                    "{} (demo: the built-in emulator stands in for it)",
                    settings.cloud
                )
            } else {
                format!(
                    "{} ({}); sign-in at {}, Graph at {}",
                    settings.cloud,
                    from(origins.cloud, "TMEET_CLOUD", file.cloud.is_some()),
                    host_of(&settings.login_url),
                    host_of(&settings.graph_url),
                )
            },
        ),
        Check::pass(
            "tenant",
            format!(
                "{} ({})",
                settings.tenant,
                from(origins.tenant, "TMEET_TENANT", file.tenant.is_some())
            ),
        ),
    ];
    out.push(match &settings.client_id {
        Some(id) => Check::pass(
            "client id",
            format!(
                "{id} ({})",
                from(origins.client_id, "TMEET_CLIENT_ID", file.client_id.is_some())
            ),
        ),
        None if settings.demo => Check::pass(
            "client id",
            format!("{} (demo)", crate::auth::DEMO_CLIENT_ID),
        ),
        None => Check::fail(
            "client id",
            "none set",
            "register an app (README: Sign-in and app registration) and pass its Application (client) ID with --client-id, TMEET_CLIENT_ID or client-id in config.toml",
        ),
    });
    out
}

fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => url.to_string(),
    }
}
