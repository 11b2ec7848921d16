//! Resolved settings. Precedence: flag > environment variable > config file > default
//! (DESIGN.md). clap applies the first two; the config file fills what they left unset.

use crate::cloud::{self, Cloud};
use crate::language::Language;
use crate::secret::Secret;
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use url::Url;

/// Options every command takes. Secrets have no flag: argv is visible to every user.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalArgs {
    /// National cloud (china is refused: the API is not offered there)
    #[arg(long, global = true, env = "TMEET_CLOUD", value_name = "CLOUD", value_parser = crate::cloud::CloudNames)]
    pub cloud: Option<String>,
    /// Entra tenant (ID or domain); personal accounts cannot use this API [default: organizations]
    #[arg(long, global = true, env = "TMEET_TENANT", value_name = "T")]
    pub tenant: Option<String>,
    /// Application (client) ID of your app registration
    #[arg(long, global = true, env = "TMEET_CLIENT_ID", value_name = "C")]
    pub client_id: Option<String>,
    /// Create meetings for this user (object ID, or UPN looked up to it) via /users/{ID} instead of /me
    #[arg(long, global = true, env = "TMEET_USER", value_name = "ID")]
    pub user: Option<String>,
    /// File holding the client secret for app-only sign-in (or set TMEET_CLIENT_SECRET)
    #[arg(long, global = true, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// Graph root including version, e.g. http://127.0.0.1:8080/v1.0
    #[arg(long, global = true, env = "TMEET_GRAPH_URL", value_name = "URL")]
    pub graph_url: Option<String>,
    /// Authority host, e.g. http://127.0.0.1:8080
    #[arg(long, global = true, env = "TMEET_LOGIN_URL", value_name = "URL")]
    pub login_url: Option<String>,
    /// Use the built-in Graph emulator: no account, no network
    #[arg(long, global = true, env = "TMEET_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,
    /// Config file [default: $XDG_CONFIG_HOME/tmeet/config.toml]
    #[arg(long, global = true, env = "TMEET_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// `config.toml`. Unknown keys are an error so that a typo does not silently do nothing.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub cloud: Option<String>,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    pub user: Option<String>,
    pub client_secret_file: Option<PathBuf>,
    pub graph_url: Option<String>,
    pub login_url: Option<String>,
    /// Default invitation language (BCP 47); the locale otherwise.
    pub language: Option<String>,
    /// Default for "Passcode required".
    pub passcode: Option<bool>,
    /// Keep the local meeting history ("My meetings"); on unless `false`.
    pub history: Option<bool>,
    /// `[options]`: meeting option defaults by flag name (`lobby = "organization"`,
    /// `e2ee = true`), checked at start against the one option table.
    pub options: Option<toml::Table>,
    /// `[invitation]`: defaults of a calendar meeting's invitation fields by flag name
    /// (`show-as = "tentative"`, `reminder = 10`, `categories = ["Team"]`), checked at
    /// start against the one invitation table.
    pub invitation: Option<toml::Table>,
    /// Palette of the form: "dark", "light" or "auto" (the default: light when the
    /// terminal's COLORFGBG says its background is light).
    pub theme: Option<String>,
    /// Clickable links (OSC 8): `true`, `false` or `"auto"` (the default: where the
    /// terminal is known to draw them).
    pub hyperlinks: Option<toml::Value>,
    /// The form's first mode: "standalone" (a link) or "calendar" (an event with
    /// invitations). The form remembers the last choice, which wins over this.
    pub mode: Option<String>,
}

impl ConfigFile {
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// A missing file is an empty config; an unreadable or invalid one is an error.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::parse(&text).map_err(|e| format!("config file {}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("cannot read config file {}: {e}", path.display())),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub cloud: Cloud,
    pub tenant: String,
    pub client_id: Option<String>,
    pub user: Option<String>,
    /// Graph root including the version segment.
    pub graph_url: Url,
    /// Authority host; endpoints are `{login_url}/{tenant}/oauth2/v2.0/…`.
    pub login_url: Url,
    pub demo: bool,
    pub client_secret: Option<Secret>,
    pub language: Language,
    pub passcode_default: bool,
    /// Record meetings in the local history (`history` in config.toml, `TMEET_HISTORY`).
    pub history: bool,
    /// `theme` from config.toml: Some(true) light, Some(false) dark, None: detect.
    pub light_theme: Option<bool>,
    /// Clickable links: `hyperlinks` in config.toml, under `TMEET_HYPERLINKS`.
    pub hyperlinks: crate::hyperlink::Mode,
    /// Meeting option defaults from `[options]` in config.toml; `create`/`update` flags go
    /// over them, and the TUI form starts from them.
    /// Each as `(flag name, value)`: the meeting layer reads them
    /// (`MeetingOptions::from_settings`), which also checks them at start-up.
    pub options: Vec<(String, String)>,
    /// Invitation field defaults from `[invitation]`, as `(flag name, value)`; read and
    /// checked by `InvitationFields::from_settings`. Flags go over them.
    pub invitation: Vec<(String, String)>,
    /// The config file these settings were read from, for messages that name it.
    pub config_path: Option<PathBuf>,
    /// `mode = "calendar"` in config.toml: the form starts in calendar mode unless it
    /// remembers another last choice.
    pub calendar_default: bool,
}

pub const DEFAULT_TENANT: &str = "organizations";

impl Settings {
    /// `config file /path/config.toml` (or `config file` when none was read): how a
    /// message about a setting names where it came from.
    pub fn config_file(&self) -> String {
        self.config_path
            .as_ref()
            .map_or("config file".to_string(), |p| {
                format!("config file {}", p.display())
            })
    }

    pub fn resolve(args: &GlobalArgs) -> Result<Self, String> {
        let path = args.config.clone().or_else(crate::paths::config_file);
        let file = match &path {
            Some(p) => ConfigFile::load(p)?,
            None => ConfigFile::default(),
        };
        let env_secret = std::env::var("TMEET_CLIENT_SECRET")
            .ok()
            .filter(|s| !s.trim().is_empty());
        let mut s = Self::from_parts(args, &file, env_secret, Language::from_env())?;
        s.history = history_enabled(file.history);
        s.config_path = path;
        s.hyperlinks = crate::hyperlink::mode(&crate::env::Env::process(), s.hyperlinks)?;
        Ok(s)
    }

    /// The pure part of [`resolve`], for tests.
    pub fn from_parts(
        args: &GlobalArgs,
        file: &ConfigFile,
        env_secret: Option<String>,
        locale_language: Language,
    ) -> Result<Self, String> {
        let cloud: Cloud = match args.cloud.as_ref().or(file.cloud.as_ref()) {
            Some(c) => c.parse()?,
            None => Cloud::default(),
        };
        cloud.ensure_supported()?;
        let tenant = args
            .tenant
            .clone()
            .or_else(|| file.tenant.clone())
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| DEFAULT_TENANT.into());
        if tenant.is_empty() || tenant.contains(['/', '?', '#', ' ']) {
            return Err(format!("--tenant: '{tenant}' is not a tenant ID or domain"));
        }
        let graph_url = match args.graph_url.as_ref().or(file.graph_url.as_ref()) {
            Some(u) => cloud::parse_endpoint("--graph-url", u)?,
            None => Url::parse(&format!("{}/v1.0", cloud.graph_root())).expect("static URL"),
        };
        let login_url = match args.login_url.as_ref().or(file.login_url.as_ref()) {
            Some(u) => cloud::parse_endpoint("--login-url", u)?,
            None => Url::parse(cloud.login_root()).expect("static URL"),
        };
        let secret_file = args
            .client_secret_file
            .as_ref()
            .or(file.client_secret_file.as_ref());
        let client_secret = match (secret_file, env_secret) {
            (Some(path), _) => Some(read_secret_file(path)?),
            (None, Some(s)) => Some(Secret::new(s.trim())),
            (None, None) => None,
        };
        let language = match &file.language {
            Some(l) => Language::parse(l).map_err(|e| format!("config file: language: {e}"))?,
            None => locale_language,
        };
        let nonempty = |s: &Option<String>| {
            s.as_ref()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Ok(Settings {
            cloud,
            tenant,
            client_id: nonempty(&args.client_id).or_else(|| nonempty(&file.client_id)),
            user: nonempty(&args.user).or_else(|| nonempty(&file.user)),
            graph_url,
            login_url,
            demo: args.demo,
            client_secret,
            language,
            passcode_default: file.passcode.unwrap_or(false),
            history: file.history.unwrap_or(true),
            light_theme: match file.theme.as_deref().map(str::trim) {
                None | Some("auto") => None,
                Some("light") => Some(true),
                Some("dark") => Some(false),
                Some(other) => {
                    return Err(format!(
                        "config file: theme: '{other}' is not a theme; use dark, light or auto"
                    ));
                }
            },
            hyperlinks: match &file.hyperlinks {
                None => crate::hyperlink::Mode::Auto,
                Some(toml::Value::Boolean(true)) => crate::hyperlink::Mode::On,
                Some(toml::Value::Boolean(false)) => crate::hyperlink::Mode::Off,
                Some(toml::Value::String(s)) if s.trim() == "auto" => crate::hyperlink::Mode::Auto,
                Some(other) => {
                    return Err(format!(
                        "config file: hyperlinks: {other} is not a choice; use true, false or \"auto\""
                    ));
                }
            },
            options: file.options.as_ref().map(option_pairs).unwrap_or_default(),
            invitation: file
                .invitation
                .as_ref()
                .map(option_pairs)
                .unwrap_or_default(),
            config_path: None,
            calendar_default: match file.mode.as_deref().map(str::trim) {
                None | Some("standalone") => false,
                Some("calendar") => true,
                Some(other) => {
                    return Err(format!(
                        "config file: mode: '{other}' is not a mode; use standalone or calendar"
                    ));
                }
            },
        })
    }

    /// "Passcode required" for a new meeting: a command's `--passcode` / `--no-passcode`
    /// (None when neither was given), else `passcode` from the config file. The form's
    /// checkbox starts from `passcode(None)`, so config means the same in every command.
    pub fn passcode(&self, flag: Option<bool>) -> bool {
        flag.unwrap_or(self.passcode_default)
    }

    /// The resource scopes are built from: the Graph host of the cloud (GRAPH.md §6).
    pub fn graph_resource(&self) -> &'static str {
        self.cloud.graph_root()
    }
}

/// `[options]` (and `[invitation]`) as `(key, value)` text: strings name a value; TOML
/// booleans stand for on/off; a list of strings (categories) is written comma-separated.
fn option_pairs(table: &toml::Table) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(key, value)| {
            let text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Boolean(true) => "on".into(),
                toml::Value::Boolean(false) => "off".into(),
                toml::Value::Array(list) if list.iter().all(toml::Value::is_str) => list
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (key.clone(), text)
        })
        .collect()
}

fn read_secret_file(path: &Path) -> Result<Secret, String> {
    // The error names the file, never its content.
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--client-secret-file {}: {e}", path.display()))?;
    let s = text.trim();
    if s.is_empty() {
        return Err(format!(
            "--client-secret-file {}: the file is empty",
            path.display()
        ));
    }
    if let Some(warning) = secret_file_exposure(path) {
        // Used anyway, as ssh does with a key it can read: refusing would break a working
        // setup, and the file's owner is the one who can fix it.
        let _ = writeln!(std::io::stderr().lock(), "tmeet: warning: {warning}");
    }
    Ok(Secret::new(s))
}

/// A client secret others can read works for them too: say so, as ssh does for keys.
#[cfg(unix)]
pub fn secret_file_exposure(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "the client secret file {} can be read by others (mode {mode:o}); anyone who can read it can act as the app. Restrict it: chmod 600 {}",
            path.display(),
            path.display()
        )
    })
}

#[cfg(not(unix))]
pub fn secret_file_exposure(_path: &Path) -> Option<String> {
    None
}

/// Whether the history is on: `TMEET_HISTORY` (off/0/false/no) over config.toml.
fn history_enabled(config: Option<bool>) -> bool {
    match std::env::var("TMEET_HISTORY") {
        Ok(v) => !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        ),
        Err(_) => config.unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_mode_sets_the_forms_first_mode() {
        let with = |mode: &str| {
            let file = ConfigFile::parse(&format!("mode = \"{mode}\"")).unwrap();
            Settings::from_parts(&GlobalArgs::default(), &file, None, en())
        };
        assert!(with("calendar").unwrap().calendar_default);
        assert!(!with("standalone").unwrap().calendar_default);
        assert!(
            with("event")
                .unwrap_err()
                .contains("standalone or calendar")
        );
        let none = Settings::from_parts(&GlobalArgs::default(), &ConfigFile::default(), None, en());
        assert!(!none.unwrap().calendar_default);
    }

    fn en() -> Language {
        Language::parse("en-US").unwrap()
    }

    #[test]
    fn defaults() {
        let s = Settings::from_parts(&GlobalArgs::default(), &ConfigFile::default(), None, en())
            .unwrap();
        assert_eq!(s.cloud, Cloud::Global);
        assert_eq!(s.tenant, "organizations");
        assert_eq!(s.graph_url.as_str(), "https://graph.microsoft.com/v1.0");
        assert_eq!(s.login_url.as_str(), "https://login.microsoftonline.com/");
        assert!(s.client_secret.is_none());
    }

    #[test]
    fn flag_beats_file_and_cloud_picks_hosts() {
        let file =
            ConfigFile::parse("cloud = \"usgov\"\ntenant = \"contoso.com\"\nlanguage = \"de_DE\"")
                .unwrap();
        let s = Settings::from_parts(&GlobalArgs::default(), &file, None, en()).unwrap();
        assert_eq!(s.graph_url.as_str(), "https://graph.microsoft.us/v1.0");
        assert_eq!(s.tenant, "contoso.com");
        assert_eq!(s.language.as_str(), "de-DE");
        let args = GlobalArgs {
            cloud: Some("dod".into()),
            tenant: Some("t2".into()),
            ..Default::default()
        };
        let s = Settings::from_parts(&args, &file, None, en()).unwrap();
        assert_eq!(s.graph_url.as_str(), "https://dod-graph.microsoft.us/v1.0");
        assert_eq!(s.tenant, "t2");
    }

    #[test]
    fn hyperlinks_take_a_bool_or_auto() {
        use crate::hyperlink::Mode;
        let mode = |text: &str| {
            Settings::from_parts(
                &GlobalArgs::default(),
                &ConfigFile::parse(text).unwrap(),
                None,
                en(),
            )
            .map(|s| s.hyperlinks)
        };
        assert_eq!(mode(""), Ok(Mode::Auto));
        assert_eq!(mode("hyperlinks = false"), Ok(Mode::Off));
        assert_eq!(mode("hyperlinks = true"), Ok(Mode::On));
        assert_eq!(mode("hyperlinks = \"auto\""), Ok(Mode::Auto));
        let err = mode("hyperlinks = \"sometimes\"").unwrap_err();
        assert!(
            err.contains("hyperlinks") && err.contains("true, false"),
            "{err}"
        );
    }

    #[test]
    fn refusals() {
        let china = GlobalArgs {
            cloud: Some("china".into()),
            ..Default::default()
        };
        let err = Settings::from_parts(&china, &ConfigFile::default(), None, en()).unwrap_err();
        assert!(err.contains("does not offer"), "{err}");
        let http = GlobalArgs {
            graph_url: Some("http://example.com/v1.0".into()),
            ..Default::default()
        };
        assert!(
            Settings::from_parts(&http, &ConfigFile::default(), None, en())
                .unwrap_err()
                .contains("loopback")
        );
        assert!(
            ConfigFile::parse("clowd = \"global\"")
                .unwrap_err()
                .contains("unknown field")
        );
    }

    #[test]
    fn secret_from_file_and_env_never_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret");
        std::fs::write(&p, "s3cr3t-value\n").unwrap();
        let args = GlobalArgs {
            client_secret_file: Some(p),
            ..Default::default()
        };
        let s = Settings::from_parts(
            &args,
            &ConfigFile::default(),
            Some("env-secret".into()),
            en(),
        )
        .unwrap();
        assert_eq!(s.client_secret.unwrap().expose(), "s3cr3t-value");
        let s = Settings::from_parts(
            &GlobalArgs::default(),
            &ConfigFile::default(),
            Some("env-secret".into()),
            en(),
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("env-secret"));
    }
}
