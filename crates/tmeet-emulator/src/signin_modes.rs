//! How the tenant refuses sign-ins, as real tenants do on a person's first day
//! (GRAPH-REAL.md Q34–Q36, GRAPH-NEXT.md §1.6–§1.7). Set with `TMEET_EMULATOR_SIGNIN`,
//! `tmeet emulator --signin` or `POST /_emulator/signin`, e.g.
//! `device-code=blocked,audience=single,admin-consent=Place.Read.All`.
//!
//! - `device-code=blocked`: the Microsoft-managed Conditional Access policy that blocks the
//!   device-code flow. The code can be entered, but the token endpoint answers AADSTS53003
//!   instead of a token, and refresh tokens born from a device code are refused the same
//!   way. `blocked-device` answers 530033 (device-based Conditional Access) instead.
//! - `audience=single`: the app is registered for "Accounts in this organizational
//!   directory only"; `organizations` and `common` are refused with AADSTS50194.
//! - `admin-consent=P|Q`: the tenant lets only an administrator grant these delegated
//!   permissions; asking for one in a sign-in ends in AADSTS90094.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceCodeMode {
    #[default]
    Allowed,
    /// AADSTS53003, "blocked by Conditional Access".
    Blocked,
    /// AADSTS530033, device-based Conditional Access.
    BlockedDevice,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignInModes {
    pub device_code: DeviceCodeMode,
    /// The app is single-tenant: `organizations` and `common` are refused (50194).
    pub single_tenant: bool,
    /// Delegated permissions (short names) only an administrator may grant (90094).
    pub admin_consent: Vec<String>,
}

impl SignInModes {
    pub fn is_default(&self) -> bool {
        *self == SignInModes::default()
    }

    pub(crate) fn needs_admin(&self, permission: &str) -> bool {
        self.admin_consent
            .iter()
            .any(|p| p.eq_ignore_ascii_case(permission))
    }
}

/// The keys and values, one per line, for `--help`.
pub fn signin_keys_help() -> String {
    [
        "device-code=allowed|blocked|blocked-device",
        "audience=multi|single",
        "admin-consent=PERMISSION[|PERMISSION…]",
    ]
    .join("\n")
}

impl FromStr for SignInModes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut modes = SignInModes::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((key, value)) = item.split_once('=') else {
                return Err(format!(
                    "'{item}' is not key=value; known: {}",
                    signin_keys_help().replace('\n', ", ")
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "device-code" => {
                    modes.device_code = match value {
                        "allowed" => DeviceCodeMode::Allowed,
                        "blocked" => DeviceCodeMode::Blocked,
                        "blocked-device" => DeviceCodeMode::BlockedDevice,
                        _ => {
                            return Err(format!(
                                "device-code={value}: use allowed, blocked or blocked-device"
                            ));
                        }
                    }
                }
                "audience" => {
                    modes.single_tenant = match value {
                        "single" => true,
                        "multi" => false,
                        _ => return Err(format!("audience={value}: use single or multi")),
                    }
                }
                "admin-consent" => {
                    let names: Vec<String> = value
                        .split('|')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect();
                    if names
                        .iter()
                        .any(|n| !n.contains('.') || n.contains(['/', ' ']))
                    {
                        return Err(format!(
                            "admin-consent={value}: give permission names such as Place.Read.All"
                        ));
                    }
                    modes.admin_consent = names;
                }
                _ => {
                    return Err(format!(
                        "unknown sign-in mode '{key}'; known: {}",
                        signin_keys_help().replace('\n', ", ")
                    ));
                }
            }
        }
        Ok(modes)
    }
}

impl fmt::Display for SignInModes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match self.device_code {
            DeviceCodeMode::Allowed => {}
            DeviceCodeMode::Blocked => parts.push("device-code=blocked".to_string()),
            DeviceCodeMode::BlockedDevice => parts.push("device-code=blocked-device".to_string()),
        }
        if self.single_tenant {
            parts.push("audience=single".into());
        }
        if !self.admin_consent.is_empty() {
            parts.push(format!("admin-consent={}", self.admin_consent.join("|")));
        }
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let s = "device-code=blocked,audience=single,admin-consent=Place.Read.All|OnlineMeetingTranscript.Read.All";
        let m: SignInModes = s.parse().unwrap();
        assert_eq!(m.device_code, DeviceCodeMode::Blocked);
        assert!(m.single_tenant && m.needs_admin("place.read.all"));
        assert_eq!(m.to_string(), s);
        assert!("".parse::<SignInModes>().unwrap().is_default());
        assert!("device-code=maybe".parse::<SignInModes>().is_err());
        assert!("colour=blue".parse::<SignInModes>().is_err());
        assert!("admin-consent=all".parse::<SignInModes>().is_err());
    }
}
