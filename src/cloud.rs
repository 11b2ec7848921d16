//! National clouds (GRAPH.md §6) and the rule that plain http is for loopback only: where
//! tmeet connects is configuration, shared by `settings`, `auth` and `graph`, so it belongs
//! to none of them.

use std::fmt;
use std::str::FromStr;
use url::{Host, Url};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    #[default]
    Global,
    Usgov,
    Dod,
    China,
}

impl Cloud {
    pub const NAMES: &'static str = "global, usgov, dod, china";
    /// Every cloud, in the order `--help` and completions list them.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::Usgov, Cloud::Dod, Cloud::China];

    /// Graph root without version, e.g. `https://graph.microsoft.com`. Also the resource
    /// that scopes are built from (`{root}/.default`).
    pub fn graph_root(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::Usgov => "https://graph.microsoft.us",
            Cloud::Dod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The name `--cloud` takes and `Display` prints.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::Usgov => "usgov",
            Cloud::Dod => "dod",
            Cloud::China => "china",
        }
    }

    pub fn login_root(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::Usgov | Cloud::Dod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.partner.microsoftonline.cn",
        }
    }

    /// Online meetings are not offered by 21Vianet (GRAPH.md §2, §6): refuse before any
    /// request rather than let a person sign in for nothing.
    pub fn ensure_supported(self) -> Result<(), String> {
        match self {
            Cloud::China => Err(
                "the cloud 'china' (21Vianet) does not offer the onlineMeetings API; \
                 use --cloud global, usgov or dod"
                    .into(),
            ),
            _ => Ok(()),
        }
    }
}

impl FromStr for Cloud {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "global" | "public" | "worldwide" => Ok(Cloud::Global),
            "usgov" | "gcchigh" | "l4" => Ok(Cloud::Usgov),
            "dod" | "l5" => Ok(Cloud::Dod),
            "china" | "21vianet" => Ok(Cloud::China),
            other => Err(format!(
                "unknown cloud '{other}': expected one of {}",
                Cloud::NAMES
            )),
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The value parser of `--cloud`: it hands clap the cloud names, so `--help` lists them and
/// shell completions offer them, and accepts any text. The value is checked by
/// [`Cloud::from_str`] in `Settings`, where `TMEET_CLOUD` and `cloud` in config.toml are
/// checked too, so all three are refused with the same message and status (2), and the
/// aliases (`gcchigh`, `l5`, any case) keep working.
#[derive(Debug, Clone, Copy, Default)]
pub struct CloudNames;

impl clap::builder::TypedValueParser for CloudNames {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Cloud::ALL.into_iter().map(|c| {
            let help = match c {
                Cloud::Global => "Microsoft global, including GCC (Moderate)",
                Cloud::Usgov => "US Government L4 (GCC High)",
                Cloud::Dod => "US Government L5 (DoD)",
                Cloud::China => "21Vianet: refused, online meetings are not offered there",
            };
            clap::builder::PossibleValue::new(c.name()).help(help)
        })))
    }
}

/// Parses an endpoint setting and enforces https, allowing http only for loopback hosts
/// (the emulator). `what` names the setting in the error, e.g. `--graph-url`.
pub fn parse_endpoint(what: &str, raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw.trim()).map_err(|e| format!("{what}: '{raw}' is not a URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "{what}: plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://"
            ));
        }
        other => {
            return Err(format!(
                "{what}: unsupported scheme '{other}'; use https://"
            ));
        }
    }
    if url.host().is_none() {
        return Err(format!("{what}: '{raw}' has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{what}: '{raw}' must not carry a query or fragment"
        ));
    }
    Ok(url)
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Joins path segments onto a base URL whatever its trailing slash, percent-encoding each
/// segment (a user id or meeting id can hold characters that are special in paths).
pub fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    {
        let mut path = url.path_segments_mut().expect("http(s) URLs have a path");
        path.pop_if_empty();
        for s in segments {
            path.push(s);
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_for_loopback() {
        assert!(parse_endpoint("--graph-url", "http://127.0.0.1:8080/v1.0").is_ok());
        assert!(parse_endpoint("--graph-url", "http://[::1]:8080/v1.0").is_ok());
        assert!(parse_endpoint("--graph-url", "http://localhost/v1.0").is_ok());
        assert!(parse_endpoint("--graph-url", "https://graph.microsoft.com/v1.0").is_ok());
        let err = parse_endpoint("--graph-url", "http://graph.example.com/v1.0").unwrap_err();
        assert!(err.contains("loopback"), "{err}");
        assert!(parse_endpoint("--graph-url", "http://127.0.0.1.example.com/").is_err());
        assert!(parse_endpoint("--graph-url", "ftp://127.0.0.1/").is_err());
    }

    #[test]
    fn clouds_parse_and_china_is_refused() {
        assert_eq!("USGOV".parse::<Cloud>().unwrap(), Cloud::Usgov);
        assert_eq!(Cloud::Dod.login_root(), "https://login.microsoftonline.us");
        assert!(
            Cloud::China
                .ensure_supported()
                .unwrap_err()
                .contains("does not offer")
        );
        assert!("mars".parse::<Cloud>().is_err());
    }

    #[test]
    fn cloud_names_list_every_cloud_but_leave_checking_to_settings() {
        use clap::builder::TypedValueParser;
        let names: Vec<String> = CloudNames
            .possible_values()
            .unwrap()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names.join(", "), Cloud::NAMES);
        for c in Cloud::ALL {
            assert_eq!(c.to_string().parse::<Cloud>().unwrap(), c);
        }
        // An alias or a typo reaches Settings unchanged, which accepts or names it.
        let cmd = clap::Command::new("t");
        for raw in ["GCCHIGH", "mars"] {
            let v = CloudNames.parse_ref(&cmd, None, raw.as_ref()).unwrap();
            assert_eq!(v, raw);
        }
    }

    #[test]
    fn join_encodes_segments() {
        let base = Url::parse("http://127.0.0.1:1/v1.0/").unwrap();
        let u = join(&base, &["users", "a/b c", "onlineMeetings"]);
        assert_eq!(
            u.as_str(),
            "http://127.0.0.1:1/v1.0/users/a%2Fb%20c/onlineMeetings"
        );
    }
}
