//! The signed-in person's mailbox as real tenants have it on the first day (GRAPH-REAL.md
//! Q11, Q20, Q27). Set with `TMEET_EMULATOR_MAILBOX`, `POST /_emulator/mailbox` or
//! [`crate::EmulatorOptions::mailbox`], e.g. `mailbox=none` or
//! `mail=adele.vance@contoso.com,language=de-DE`.
//!
//! - `mailbox=none`: no Exchange Online mailbox Graph can reach (unlicensed, on-premises,
//!   inactive). Every Outlook endpoint (events, calendar, calendarView, getSchedule)
//!   answers 404 `MailboxNotEnabledForRESTAPI`; findMeetingTimes answers it with 403, as
//!   was reported for that path. `/me` still answers, with `mail` null; onlineMeetings and
//!   the directory work as before.
//! - `mail=ADDRESS`: the person's primary SMTP address differs from their UPN (after a
//!   rename or a merger). `/me` says so, and getSchedule, which takes SMTP addresses only,
//!   answers 5009 for the UPN.
//! - `language=TAG`: the mailbox's language (Outlook's settings), in which the service
//!   writes an event's Teams join block whatever `Accept-Language` asks for (Q11).
//!   Default `en-US`.
//! - `zone=NAME`: the mailbox's time zone (Windows or IANA; `mailboxSettings` answers
//!   its Windows name), in which the person's working hours are kept too. Default: the
//!   organization's zone. A zone other than the terminal's is what `tmeet doctor` warns of.
//! - `hours=custom`: the working hours' zone comes as a `customTimeZone` (a bias and
//!   transition rules, GRAPH-NEXT §6.1) instead of a name, in `mailboxSettings` and in
//!   getSchedule's answer for this person.
//! - `purpose=enum`: `userPurpose` as the CSDL declares it (`"user"`) instead of the
//!   documentation sample's object (`{"value":"user"}`).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailboxModes {
    /// No Exchange Online mailbox that Graph can reach.
    pub none: bool,
    /// The primary SMTP address, when it is not the UPN.
    pub mail: Option<String>,
    /// The mailbox's language; None: `en-US`.
    pub language: Option<String>,
    /// The mailbox's time zone; None: the organization's.
    pub zone: Option<String>,
    /// Working hours in a `customTimeZone`.
    pub custom_hours: bool,
    /// `userPurpose` as a bare enum value.
    pub purpose_enum: bool,
}

/// The mailbox language when none is set.
pub(crate) const DEFAULT_LANGUAGE: &str = "en-US";

impl MailboxModes {
    pub fn is_default(&self) -> bool {
        *self == MailboxModes::default()
    }

    pub(crate) fn language(&self) -> &str {
        self.language.as_deref().unwrap_or(DEFAULT_LANGUAGE)
    }
}

/// The keys and values, one per line, for `--help`.
pub fn mailbox_keys_help() -> String {
    [
        "mailbox=exchange|none",
        "mail=ADDRESS",
        "language=TAG",
        "zone=WINDOWS_OR_IANA_NAME",
        "hours=named|custom",
        "purpose=object|enum",
    ]
    .join("\n")
}

impl FromStr for MailboxModes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut modes = MailboxModes::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((key, value)) = item.split_once('=') else {
                return Err(format!(
                    "'{item}' is not key=value; known: {}",
                    mailbox_keys_help().replace('\n', ", ")
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "mailbox" => {
                    modes.none = match value {
                        "none" => true,
                        "exchange" => false,
                        _ => return Err(format!("mailbox={value}: use exchange or none")),
                    }
                }
                "mail" => {
                    if !value.contains('@') || value.contains([' ', ',', '|']) {
                        return Err(format!("mail={value}: give an address such as a@b.com"));
                    }
                    modes.mail = Some(value.to_string());
                }
                "language" => {
                    let ok = !value.is_empty()
                        && value.len() <= 35
                        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                    if !ok {
                        return Err(format!("language={value}: give a tag such as de-DE"));
                    }
                    modes.language = Some(value.to_string());
                }
                "zone" => {
                    if super::timezones::Zone::parse(value).is_none() {
                        return Err(format!(
                            "zone={value}: give a Windows zone (Tokyo Standard Time) or a \
                             CLDR-mapped IANA one (Asia/Tokyo)"
                        ));
                    }
                    modes.zone = Some(value.to_string());
                }
                "hours" => {
                    modes.custom_hours = match value {
                        "custom" => true,
                        "named" => false,
                        _ => return Err(format!("hours={value}: use named or custom")),
                    }
                }
                "purpose" => {
                    modes.purpose_enum = match value {
                        "enum" => true,
                        "object" => false,
                        _ => return Err(format!("purpose={value}: use object or enum")),
                    }
                }
                _ => {
                    return Err(format!(
                        "unknown mailbox mode '{key}'; known: {}",
                        mailbox_keys_help().replace('\n', ", ")
                    ));
                }
            }
        }
        Ok(modes)
    }
}

impl fmt::Display for MailboxModes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.none {
            parts.push("mailbox=none".to_string());
        }
        if let Some(m) = &self.mail {
            parts.push(format!("mail={m}"));
        }
        if let Some(l) = &self.language {
            parts.push(format!("language={l}"));
        }
        if let Some(z) = &self.zone {
            parts.push(format!("zone={z}"));
        }
        if self.custom_hours {
            parts.push("hours=custom".to_string());
        }
        if self.purpose_enum {
            parts.push("purpose=enum".to_string());
        }
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let s = "mailbox=none,mail=adele.vance@contoso.com,language=de-DE";
        let m: MailboxModes = s.parse().unwrap();
        assert!(m.none);
        assert_eq!(m.mail.as_deref(), Some("adele.vance@contoso.com"));
        assert_eq!(m.language(), "de-DE");
        assert_eq!(m.to_string(), s);
        assert!("".parse::<MailboxModes>().unwrap().is_default());
        assert_eq!(MailboxModes::default().language(), "en-US");
        assert!("mailbox=maybe".parse::<MailboxModes>().is_err());
        assert!("mail=nobody".parse::<MailboxModes>().is_err());
        assert!("language=de DE".parse::<MailboxModes>().is_err());
        assert!("colour=blue".parse::<MailboxModes>().is_err());
        let s = "zone=Tokyo Standard Time,hours=custom,purpose=enum";
        let m: MailboxModes = s.parse().unwrap();
        assert_eq!(m.zone.as_deref(), Some("Tokyo Standard Time"));
        assert!(m.custom_hours && m.purpose_enum);
        assert_eq!(m.to_string(), s);
        assert!("zone=Mars/Base".parse::<MailboxModes>().is_err());
        assert!("hours=maybe".parse::<MailboxModes>().is_err());
    }
}
