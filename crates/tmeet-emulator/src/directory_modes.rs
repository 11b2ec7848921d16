//! How the tenant's directory and People answer where it differs from the seeded default
//! (GRAPH-REAL.md Q5, Q23). Set with `TMEET_EMULATOR_DIRECTORY` (read by `--demo`),
//! `POST /_emulator/directory` or `EmulatorOptions::directory`, e.g.
//! `people=404,app-user-read=off`.
//!
//! - `people=404`: the account has no People (`/me/people` answers 404, as some accounts'
//!   do); `people=recent`, the default, knows the people the organizer works with.
//! - `app-user-read=off`: app-only tokens carry `OnlineMeetings.ReadWrite.All` alone, so
//!   `/users/{upn}` answers 403 `Authorization_RequestDenied` to them; `on` (the default)
//!   adds `User.Read.All`.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryModes {
    /// `/me/people` answers 404.
    pub people_not_found: bool,
    /// App-only tokens carry `User.Read.All`.
    pub app_user_read: bool,
}

impl Default for DirectoryModes {
    fn default() -> Self {
        Self {
            people_not_found: false,
            app_user_read: true,
        }
    }
}

/// The keys and values, one per line, for `--help`.
pub fn directory_keys_help() -> String {
    ["people=recent|404", "app-user-read=on|off"].join("\n")
}

impl FromStr for DirectoryModes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut modes = DirectoryModes::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let known = || directory_keys_help().replace('\n', ", ");
            let Some((key, value)) = item.split_once('=') else {
                return Err(format!("'{item}' is not key=value; known: {}", known()));
            };
            match (key.trim(), value.trim()) {
                ("people", "recent") => modes.people_not_found = false,
                ("people", "404") => modes.people_not_found = true,
                ("people", v) => return Err(format!("people={v}: use recent or 404")),
                ("app-user-read", "on") => modes.app_user_read = true,
                ("app-user-read", "off") => modes.app_user_read = false,
                ("app-user-read", v) => return Err(format!("app-user-read={v}: use on or off")),
                (k, _) => return Err(format!("'{k}' is not a directory mode; known: {}", known())),
            }
        }
        Ok(modes)
    }
}

impl fmt::Display for DirectoryModes {
    /// In the syntax it is read in; the defaults are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if self.people_not_found {
            items.push("people=404");
        }
        if !self.app_user_read {
            items.push("app-user-read=off");
        }
        f.write_str(&items.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_its_syntax() {
        let m: DirectoryModes = "people=404, app-user-read=off".parse().unwrap();
        assert!(m.people_not_found && !m.app_user_read);
        assert_eq!(m.to_string(), "people=404,app-user-read=off");
        assert_eq!(
            "".parse::<DirectoryModes>().unwrap(),
            DirectoryModes::default()
        );
        let e = "people=none".parse::<DirectoryModes>().unwrap_err();
        assert!(e.contains("recent or 404"), "{e}");
        assert!(
            "who=me"
                .parse::<DirectoryModes>()
                .unwrap_err()
                .contains("app-user-read")
        );
    }
}
