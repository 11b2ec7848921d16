//! Tenant policy: what a Teams admin's meeting policy does to the options a client asks
//! for. The service applies it silently: no error, a 201/200 with the values the policy
//! allows (GRAPH-SCHEDULING.md §1.3). Set with `TMEET_EMULATOR_POLICY` or
//! `tmeet emulator --policy`, e.g. `lobby=organization,recording=off`.
//!
//! `lobby` caps the lobby-bypass scope: a requested scope more open than the policy's
//! becomes the policy's, a more closed one is kept. From most open to most closed:
//! `everyone`, `organizationAndFederated`, `organization`, `organizationExcludingGuests`,
//! `invited`, `organizer` (the order of the Teams "Who can bypass the lobby" list). Every
//! other key forces its value whatever was asked, as the service was seen to turn
//! `allowedPresenters: organizer` into `everyone` (microsoft-graph-docs#9978).

use serde_json::{Map, Value, json};
use std::fmt;
use std::str::FromStr;

/// Lobby-bypass scopes from most open to most closed.
const LOBBY_ORDER: &[&str] = &[
    "everyone",
    "organizationAndFederated",
    "organization",
    "organizationExcludingGuests",
    "invited",
    "organizer",
];

/// What a key sets.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// `lobbyBypassSettings.scope`, capped.
    Lobby,
    /// `lobbyBypassSettings.isDialInBypassEnabled`, forced.
    DialInBypass,
    /// A boolean property, forced; `on`/`off` (also `true`/`false`).
    Bool(&'static str),
    /// An enum property, forced to one of the listed members.
    Enum(&'static str, &'static [&'static str]),
}

/// Every key, in the order `--help` and the README list them.
const KEYS: &[(&str, Target)] = &[
    ("lobby", Target::Lobby),
    ("dial-in-bypass", Target::DialInBypass),
    (
        "presenters",
        Target::Enum(
            "allowedPresenters",
            &["everyone", "organization", "roleIsPresenter", "organizer"],
        ),
    ),
    (
        "chat",
        Target::Enum("allowMeetingChat", &["enabled", "disabled", "limited"]),
    ),
    (
        "admitters",
        Target::Enum(
            "allowedLobbyAdmitters",
            &[
                "organizerAndCoOrganizersAndPresenters",
                "organizerAndCoOrganizers",
            ],
        ),
    ),
    (
        "live-share",
        Target::Enum("allowLiveShare", &["enabled", "disabled"]),
    ),
    (
        "chat-history",
        Target::Enum("shareMeetingChatHistoryDefault", &["all", "none"]),
    ),
    ("recording", Target::Bool("allowRecording")),
    ("auto-recording", Target::Bool("recordAutomatically")),
    ("transcription", Target::Bool("allowTranscription")),
    ("e2ee", Target::Bool("isEndToEndEncryptionEnabled")),
    ("camera", Target::Bool("allowAttendeeToEnableCamera")),
    ("mic", Target::Bool("allowAttendeeToEnableMic")),
    ("breakout-rooms", Target::Bool("allowBreakoutRooms")),
    (
        "copy-content",
        Target::Bool("allowCopyingAndSharingMeetingContent"),
    ),
    ("powerpoint", Target::Bool("allowPowerPointSharing")),
    ("reactions", Target::Bool("allowTeamworkReactions")),
    ("whiteboard", Target::Bool("allowWhiteboard")),
    ("rename", Target::Bool("allowParticipantsToChangeName")),
    ("entry-exit", Target::Bool("isEntryExitAnnounced")),
];

/// One parsed `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    key: &'static str,
    value: Value,
}

/// A tenant policy: the rules in the order given (a later rule for the same key wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    rules: Vec<Rule>,
}

fn target(key: &str) -> Option<Target> {
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// `key=value|value…` for every key, one per line: the help text of `--policy`.
pub fn policy_keys_help() -> String {
    KEYS.iter()
        .map(|(k, t)| format!("{k}={}", allowed(*t).join("|")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn allowed(t: Target) -> Vec<&'static str> {
    match t {
        Target::Lobby => LOBBY_ORDER.to_vec(),
        Target::DialInBypass | Target::Bool(_) => vec!["on", "off"],
        Target::Enum(_, members) => members.to_vec(),
    }
}

impl FromStr for Policy {
    type Err = String;

    /// `lobby=organization,recording=off`; an empty string is no policy.
    fn from_str(s: &str) -> Result<Self, String> {
        let known = || KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
        let mut rules = Vec::new();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((key, value)) = entry.split_once('=') else {
                return Err(format!(
                    "policy entry '{entry}' is not key=value; keys: {}",
                    known()
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            let Some((key, t)) = KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) else {
                return Err(format!(
                    "policy entry '{entry}': unknown key '{key}'; keys: {}",
                    known()
                ));
            };
            let value = match t {
                Target::DialInBypass | Target::Bool(_) => match value.to_ascii_lowercase().as_str()
                {
                    "on" | "true" => json!(true),
                    "off" | "false" => json!(false),
                    _ => None.ok_or_else(|| bad_value(entry, *t))?,
                },
                Target::Lobby | Target::Enum(..) => {
                    let found = allowed(*t)
                        .into_iter()
                        .find(|m| m.eq_ignore_ascii_case(value))
                        .ok_or_else(|| bad_value(entry, *t))?;
                    json!(found)
                }
            };
            rules.push(Rule { key, value });
        }
        Ok(Policy { rules })
    }
}

fn bad_value(entry: &str, t: Target) -> String {
    format!(
        "policy entry '{entry}': the value must be one of {}",
        allowed(t).join(", ")
    )
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .rules
            .iter()
            .map(|r| match &r.value {
                Value::Bool(b) => format!("{}={}", r.key, if *b { "on" } else { "off" }),
                v => format!("{}={}", r.key, v.as_str().unwrap_or_default()),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl Policy {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Rewrites a meeting's stored settings as the policy allows. Run after every create
    /// and PATCH on the whole settings map, so a value the policy forces reads back the
    /// same however the meeting got it.
    pub(crate) fn apply(&self, settings: &mut Map<String, Value>) {
        for rule in &self.rules {
            let Some(t) = target(rule.key) else { continue };
            match t {
                Target::Lobby => {
                    let lobby = lobby_object(settings);
                    let cap = rule.value.as_str().unwrap_or("organizer");
                    let rank = |s: &str| LOBBY_ORDER.iter().position(|m| *m == s);
                    let current = lobby.get("scope").and_then(Value::as_str).unwrap_or("");
                    // A scope outside the order (unknownFutureValue) is not one the policy
                    // can compare: the tenant's cap stands in for it.
                    let keep = matches!((rank(current), rank(cap)), (Some(c), Some(p)) if c >= p);
                    if !keep {
                        lobby.insert("scope".into(), json!(cap));
                    }
                }
                Target::DialInBypass => {
                    lobby_object(settings)
                        .insert("isDialInBypassEnabled".into(), rule.value.clone());
                }
                Target::Bool(name) | Target::Enum(name, _) => {
                    settings.insert(name.into(), rule.value.clone());
                    // Without recording there is nothing to record automatically.
                    if name == "allowRecording" && rule.value == json!(false) {
                        settings.insert("recordAutomatically".into(), json!(false));
                    }
                }
            }
        }
    }
}

fn lobby_object(settings: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let slot = settings
        .entry("lobbyBypassSettings")
        .or_insert_with(|| json!({}));
    if !slot.is_object() {
        *slot = json!({});
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("made an object just above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn parses_round_trips_and_names_bad_entries() {
        let p: Policy = " Lobby=ORGANIZATION , recording=off,e2ee=true "
            .parse()
            .unwrap();
        assert_eq!(p.to_string(), "lobby=organization,recording=off,e2ee=on");
        assert_eq!(p.to_string().parse::<Policy>().unwrap(), p);
        assert!("".parse::<Policy>().unwrap().is_empty());
        let e = "lobby=organization,colour=blue"
            .parse::<Policy>()
            .unwrap_err();
        assert!(
            e.contains("'colour=blue'") && e.contains("keys: lobby, dial-in-bypass"),
            "{e}"
        );
        let e = "lobby=nobody".parse::<Policy>().unwrap_err();
        assert!(
            e.contains("'lobby=nobody'") && e.contains("everyone, organizationAndFederated"),
            "{e}"
        );
        let e = "recording=maybe".parse::<Policy>().unwrap_err();
        assert!(e.contains("on, off"), "{e}");
        assert!(
            "recording"
                .parse::<Policy>()
                .unwrap_err()
                .contains("key=value")
        );
        assert!(policy_keys_help().contains("chat=enabled|disabled|limited"));
    }

    #[test]
    fn lobby_is_capped_and_the_rest_forced() {
        let p: Policy = "lobby=organization,presenters=everyone,recording=off"
            .parse()
            .unwrap();
        let mut s = settings(json!({
            "lobbyBypassSettings": {"scope": "everyone", "isDialInBypassEnabled": true},
            "allowedPresenters": "organizer",
            "allowRecording": true,
            "recordAutomatically": true,
        }));
        p.apply(&mut s);
        assert_eq!(s["lobbyBypassSettings"]["scope"], "organization");
        assert_eq!(s["lobbyBypassSettings"]["isDialInBypassEnabled"], true);
        assert_eq!(s["allowedPresenters"], "everyone");
        assert_eq!(s["allowRecording"], false);
        assert_eq!(s["recordAutomatically"], false);
        for closed in [
            "organizationExcludingGuests",
            "invited",
            "organizer",
            "organization",
        ] {
            let mut s = settings(json!({"lobbyBypassSettings": {"scope": closed}}));
            p.apply(&mut s);
            assert_eq!(s["lobbyBypassSettings"]["scope"], closed);
        }
        let mut s = settings(json!({"lobbyBypassSettings": null}));
        p.apply(&mut s);
        assert_eq!(s["lobbyBypassSettings"]["scope"], "organization");
    }
}
