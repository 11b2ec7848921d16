//! Meeting options (GRAPH-SCHEDULING.md §1): the settable v1.0 `onlineMeeting` options a
//! person can change, as one table that the form, `create`/`update` flags, `config.toml`,
//! the request body and the read-back of what the tenant changed all share.
//!
//! An option is a choice among named values; each value is written to Graph as one or more
//! `(property path, JSON value)` pairs, so an option that spans two properties (watermark:
//! content and video) is still one choice. Only options the person changed are sent: the
//! service (and tenant policy) decides the rest.

use serde_json::{Map, Value};
use std::fmt;

/// A JSON leaf a choice writes; `Value` cannot be built in a `const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    Bool(bool),
    Enum(&'static str),
}

impl Leaf {
    pub fn to_json(self) -> Value {
        match self {
            Leaf::Bool(b) => Value::Bool(b),
            Leaf::Enum(s) => Value::String(s.to_string()),
        }
    }

    fn matches(self, v: &Value) -> bool {
        match (self, v) {
            (Leaf::Bool(b), Value::Bool(x)) => b == *x,
            // Enum members are compared as the service spells them; a differently cased
            // member is still the same member (lenient reading, as elsewhere).
            (Leaf::Enum(s), Value::String(x)) => s.eq_ignore_ascii_case(x),
            _ => false,
        }
    }
}

/// One value of an option.
#[derive(Debug, PartialEq, Eq)]
pub struct Choice {
    /// Spelling on the command line and in `config.toml` (kebab-case).
    pub name: &'static str,
    /// What the form and the read-back show.
    pub label: &'static str,
    /// What is written, as `(dotted Graph path, value)`.
    pub writes: &'static [(&'static str, Leaf)],
}

/// Where the options appear in Teams' own "Meeting options" page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Participants,
    AudioVideo,
    Recording,
    Engagement,
    Security,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Participants => "Participants",
            Group::AudioVideo => "Audio & video",
            Group::Recording => "Recording & transcription",
            Group::Engagement => "Meeting engagement",
            Group::Security => "Security",
        }
    }
}

/// One option: its names, its values and which value the service uses when none is sent.
#[derive(Debug, PartialEq, Eq)]
pub struct Spec {
    /// Flag name without `--`, and key in `config.toml`'s `[options]`.
    pub key: &'static str,
    /// The Graph property (or properties) it sets, for help text and error messages.
    pub graph: &'static str,
    /// Short label for the form and the read-back.
    pub label: &'static str,
    pub group: Group,
    pub choices: &'static [Choice],
    /// Index into `choices` of the service's documented default. Tenant policy may differ;
    /// the read-back shows where it did.
    pub default: usize,
    /// Accepted by `PATCH` (GRAPH.md §4); the others are set on create only.
    pub patchable: bool,
}

/// A choice among named values with the service's default, read and written the same
/// way wherever it is: a meeting option here, an invitation field such as importance in
/// `crate::calendar::invitation_fields`. One parser, one error, one reading of answers.
pub trait Choices {
    /// The name on the command line and in `config.toml`.
    fn key(&self) -> &'static str;
    /// The Graph property (or properties), for help text and error messages.
    fn graph(&self) -> &'static str;
    fn choices(&self) -> &'static [Choice];
    /// Index into `choices` of the service's documented default.
    fn default_choice(&self) -> usize;

    fn choice(&self, name: &str) -> Result<usize, OptionError> {
        self.choices()
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| OptionError::UnknownValue {
                key: self.key(),
                value: name.to_string(),
                valid: self.value_names(),
            })
    }

    /// `everyone|organization|…` for help and errors.
    fn value_names(&self) -> String {
        let names: Vec<_> = self.choices().iter().map(|c| c.name).collect();
        names.join("|")
    }

    /// Whether the values are `on` and `off`, which every such flag spells alike.
    fn is_on_off(&self) -> bool {
        let c = self.choices();
        c.len() == 2 && c[0].name == "on" && c[1].name == "off"
    }

    /// Which choice the answer holds, or why it cannot say.
    fn read(&self, answer: &Value) -> Observed {
        let choices = self.choices();
        let default = self.default_choice();
        let Some(first) = choices.first() else {
            return Observed::Absent;
        };
        let leaves: Vec<(&str, Option<&Value>)> = first
            .writes
            .iter()
            .map(|(path, _)| (*path, lookup(answer, path)))
            .collect();
        if leaves.iter().all(|(_, v)| v.is_none()) {
            return Observed::Absent;
        }
        // The service sends `null` for an unset object (watermarkProtection,
        // chatRestrictions): that is the default.
        if leaves
            .iter()
            .all(|(_, v)| matches!(v, None | Some(Value::Null)))
        {
            return Observed::Choice(default);
        }
        for (i, choice) in choices.iter().enumerate() {
            let all = choice.writes.iter().all(|(path, leaf)| {
                match lookup(answer, path) {
                    // One half of a two-property option missing counts as its default.
                    None | Some(Value::Null) => choices[default]
                        .writes
                        .iter()
                        .any(|(p, l)| p == path && l == leaf),
                    Some(v) => leaf.matches(v),
                }
            });
            if all {
                return Observed::Choice(i);
            }
        }
        let shown: Vec<String> = leaves
            .iter()
            .filter_map(|(_, v)| v.map(|v| v.to_string()))
            .collect();
        Observed::Other(shown.join(", "))
    }
}

impl Choices for Spec {
    fn key(&self) -> &'static str {
        self.key
    }
    fn graph(&self) -> &'static str {
        self.graph
    }
    fn choices(&self) -> &'static [Choice] {
        self.choices
    }
    fn default_choice(&self) -> usize {
        self.default
    }
}

/// What an answer says about one option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// The answer does not carry the property: read the meeting again to know.
    Absent,
    Choice(usize),
    /// A value this build has no name for (e.g. `unknownFutureValue`), as JSON text.
    Other(String),
}

const ON_OFF_DEFAULT_ON: usize = 0;
const ON_OFF_DEFAULT_OFF: usize = 1;

macro_rules! on_off {
    ($path:literal) => {
        &[
            Choice {
                name: "on",
                label: "on",
                writes: &[($path, Leaf::Bool(true))],
            },
            Choice {
                name: "off",
                label: "off",
                writes: &[($path, Leaf::Bool(false))],
            },
        ]
    };
}

macro_rules! choice {
    ($name:literal, $label:literal, $path:literal, $value:literal) => {
        Choice {
            name: $name,
            label: $label,
            writes: &[($path, Leaf::Enum($value))],
        }
    };
}

// The invitation's fields (`crate::calendar::invitation_fields`) spell their values so too.
pub(crate) use {choice, on_off};

/// Every option, in the order of Teams' "Meeting options" page.
pub static SPECS: &[Spec] = &[
    Spec {
        key: "lobby",
        graph: "lobbyBypassSettings.scope",
        label: "Who can bypass the lobby",
        group: Group::Participants,
        choices: &[
            choice!(
                "everyone",
                "everyone",
                "lobbyBypassSettings.scope",
                "everyone"
            ),
            choice!(
                "organization-and-federated",
                "people in my org, trusted orgs and guests",
                "lobbyBypassSettings.scope",
                "organizationAndFederated"
            ),
            choice!(
                "organization",
                "people in my org and guests",
                "lobbyBypassSettings.scope",
                "organization"
            ),
            choice!(
                "organization-excluding-guests",
                "people in my org",
                "lobbyBypassSettings.scope",
                "organizationExcludingGuests"
            ),
            choice!(
                "invited",
                "people I invite",
                "lobbyBypassSettings.scope",
                "invited"
            ),
            choice!(
                "organizer",
                "only me",
                "lobbyBypassSettings.scope",
                "organizer"
            ),
        ],
        default: 2,
        patchable: true,
    },
    Spec {
        key: "dial-in-bypass-lobby",
        graph: "lobbyBypassSettings.isDialInBypassEnabled",
        label: "People dialing in can bypass the lobby",
        group: Group::Participants,
        choices: on_off!("lobbyBypassSettings.isDialInBypassEnabled"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: true,
    },
    Spec {
        key: "lobby-admitters",
        graph: "allowedLobbyAdmitters",
        label: "Who can admit from the lobby",
        group: Group::Participants,
        choices: &[
            choice!(
                "organizer-coorganizers-and-presenters",
                "organizers and presenters",
                "allowedLobbyAdmitters",
                "organizerAndCoOrganizersAndPresenters"
            ),
            choice!(
                "organizer-and-coorganizers",
                "organizers only",
                "allowedLobbyAdmitters",
                "organizerAndCoOrganizers"
            ),
        ],
        default: 0,
        patchable: true,
    },
    Spec {
        key: "announce-entry-exit",
        graph: "isEntryExitAnnounced",
        label: "Announce when callers join or leave",
        group: Group::Participants,
        choices: on_off!("isEntryExitAnnounced"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: true,
    },
    Spec {
        key: "presenters",
        graph: "allowedPresenters",
        label: "Who can present",
        group: Group::Participants,
        choices: &[
            choice!("everyone", "everyone", "allowedPresenters", "everyone"),
            choice!(
                "organization",
                "people in my org",
                "allowedPresenters",
                "organization"
            ),
            choice!(
                "role-is-presenter",
                "specific people",
                "allowedPresenters",
                "roleIsPresenter"
            ),
            choice!("organizer", "only me", "allowedPresenters", "organizer"),
        ],
        default: 0,
        patchable: true,
    },
    Spec {
        key: "change-name",
        graph: "allowParticipantsToChangeName",
        label: "Allow attendees to change their name",
        group: Group::Participants,
        choices: on_off!("allowParticipantsToChangeName"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: false,
    },
    Spec {
        key: "attendee-mic",
        graph: "allowAttendeeToEnableMic",
        label: "Allow mic for attendees",
        group: Group::AudioVideo,
        choices: on_off!("allowAttendeeToEnableMic"),
        default: ON_OFF_DEFAULT_ON,
        patchable: true,
    },
    Spec {
        key: "attendee-camera",
        graph: "allowAttendeeToEnableCamera",
        label: "Allow camera for attendees",
        group: Group::AudioVideo,
        choices: on_off!("allowAttendeeToEnableCamera"),
        default: ON_OFF_DEFAULT_ON,
        patchable: true,
    },
    Spec {
        key: "record-automatically",
        graph: "recordAutomatically",
        label: "Record automatically",
        group: Group::Recording,
        choices: on_off!("recordAutomatically"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: true,
    },
    Spec {
        key: "recording",
        graph: "allowRecording",
        label: "Allow recording",
        group: Group::Recording,
        choices: on_off!("allowRecording"),
        default: ON_OFF_DEFAULT_ON,
        patchable: true,
    },
    Spec {
        key: "transcription",
        graph: "allowTranscription",
        label: "Allow transcription",
        group: Group::Recording,
        choices: on_off!("allowTranscription"),
        default: ON_OFF_DEFAULT_ON,
        patchable: true,
    },
    Spec {
        key: "chat",
        graph: "allowMeetingChat",
        label: "Meeting chat",
        group: Group::Engagement,
        choices: &[
            choice!("enabled", "on", "allowMeetingChat", "enabled"),
            choice!(
                "limited",
                "only during the meeting",
                "allowMeetingChat",
                "limited"
            ),
            choice!("disabled", "off", "allowMeetingChat", "disabled"),
        ],
        default: 0,
        patchable: true,
    },
    Spec {
        key: "chat-text-only",
        graph: "chatRestrictions.allowTextOnly",
        label: "Chat: text only",
        group: Group::Engagement,
        choices: on_off!("chatRestrictions.allowTextOnly"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: false,
    },
    Spec {
        key: "reactions",
        graph: "allowTeamworkReactions",
        label: "Allow reactions",
        group: Group::Engagement,
        choices: on_off!("allowTeamworkReactions"),
        default: ON_OFF_DEFAULT_ON,
        patchable: true,
    },
    Spec {
        key: "watermark",
        graph: "watermarkProtection",
        label: "Watermark",
        group: Group::Security,
        choices: &[
            Choice {
                name: "none",
                label: "none",
                writes: &[
                    (
                        "watermarkProtection.isEnabledForContentSharing",
                        Leaf::Bool(false),
                    ),
                    ("watermarkProtection.isEnabledForVideo", Leaf::Bool(false)),
                ],
            },
            Choice {
                name: "content",
                label: "shared content",
                writes: &[
                    (
                        "watermarkProtection.isEnabledForContentSharing",
                        Leaf::Bool(true),
                    ),
                    ("watermarkProtection.isEnabledForVideo", Leaf::Bool(false)),
                ],
            },
            Choice {
                name: "video",
                label: "video",
                writes: &[
                    (
                        "watermarkProtection.isEnabledForContentSharing",
                        Leaf::Bool(false),
                    ),
                    ("watermarkProtection.isEnabledForVideo", Leaf::Bool(true)),
                ],
            },
            Choice {
                name: "both",
                label: "content and video",
                writes: &[
                    (
                        "watermarkProtection.isEnabledForContentSharing",
                        Leaf::Bool(true),
                    ),
                    ("watermarkProtection.isEnabledForVideo", Leaf::Bool(true)),
                ],
            },
        ],
        default: 0,
        patchable: true,
    },
    Spec {
        key: "e2ee",
        graph: "isEndToEndEncryptionEnabled",
        label: "End-to-end encryption",
        group: Group::Security,
        choices: on_off!("isEndToEndEncryptionEnabled"),
        default: ON_OFF_DEFAULT_OFF,
        patchable: true,
    },
];

pub fn spec(key: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.key == key)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("unknown meeting option '{key}'; the options are: {valid}")]
    UnknownOption { key: String, valid: String },
    #[error("'{value}' is not a value of {key}; use one of: {valid}")]
    UnknownValue {
        key: &'static str,
        value: String,
        valid: String,
    },
    #[error(
        "{key} ({graph}) can only be set when the meeting is created; delete and create the meeting again to change it"
    )]
    NotPatchable {
        key: &'static str,
        graph: &'static str,
    },
}

/// The options a person set, by position in [`SPECS`]; `None` leaves the service's value.
#[derive(Debug, Clone, Default, Eq)]
pub struct MeetingOptions {
    chosen: Vec<Option<usize>>,
}

/// Equal when every option has the same choice, however the value was made (`default()`
/// holds no slots, `new()` one per option).
impl PartialEq for MeetingOptions {
    fn eq(&self, other: &Self) -> bool {
        (0..SPECS.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl MeetingOptions {
    pub fn new() -> Self {
        Self {
            chosen: vec![None; SPECS.len()],
        }
    }

    /// Sets `key` to the value named `value` (`lobby`, `organization`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), OptionError> {
        let i = index(key)?;
        let c = SPECS[i].choice(value)?;
        self.set_index(i, Some(c));
        Ok(())
    }

    /// Sets the option at `spec` (an index into [`SPECS`]) to `choice`, or back to the
    /// service's value with `None`.
    pub fn set_index(&mut self, spec: usize, choice: Option<usize>) {
        self.ensure_len();
        self.chosen[spec] = choice;
    }

    /// The choice for the option at `spec`, if the person made one.
    pub fn get(&self, spec: usize) -> Option<usize> {
        self.chosen.get(spec).copied().flatten()
    }

    /// Whether the person set `key` to the value named `value`.
    pub fn is(&self, key: &str, value: &str) -> bool {
        index(key)
            .ok()
            .and_then(|i| Some((self.get(i)?, SPECS[i].choice(value).ok()?)))
            .is_some_and(|(got, want)| got == want)
    }

    /// The choice shown for `spec`: the person's, or the service default.
    pub fn effective(&self, spec: usize) -> usize {
        self.get(spec).unwrap_or(SPECS[spec].default)
    }

    /// What the person set, in table order.
    pub fn changed(&self) -> impl Iterator<Item = (&'static Spec, &'static Choice)> + '_ {
        SPECS
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.get(i).map(|c| (s, &s.choices[c])))
    }

    pub fn is_empty(&self) -> bool {
        self.changed().next().is_none()
    }

    /// Options that cannot go into a `PATCH`, with the reason.
    pub fn check_patchable(&self) -> Result<(), OptionError> {
        match self.changed().find(|(s, _)| !s.patchable) {
            Some((s, _)) => Err(OptionError::NotPatchable {
                key: s.key,
                graph: s.graph,
            }),
            None => Ok(()),
        }
    }

    /// Writes the changed options into a request body (create or PATCH). Objects shared by
    /// two options (`lobbyBypassSettings`) are merged, not replaced.
    pub fn write_into(&self, body: &mut Map<String, Value>) {
        for (_, choice) in self.changed() {
            for (path, leaf) in choice.writes {
                insert(body, path, leaf.to_json());
            }
        }
    }

    /// Whether a changed option writes into a settings object (`lobbyBypassSettings`):
    /// a PATCH of such an object must carry all of it, so the service's copy is needed.
    pub fn touches_objects(&self) -> bool {
        self.changed()
            .any(|(_, c)| c.writes.iter().any(|(path, _)| path.contains('.')))
    }

    /// As [`MeetingOptions::write_into`], for a PATCH: each settings object written is
    /// completed with the members the service has now (`current`), since the service
    /// replaces the object whole and a member left out would fall back to its default.
    /// Only members of the options table are copied: those are the settable ones.
    pub fn write_patch_into(&self, body: &mut Map<String, Value>, current: &Value) {
        self.write_into(body);
        let members = SPECS
            .iter()
            .flat_map(|s| s.choices.iter())
            .flat_map(|c| c.writes.iter().map(|(path, _)| *path))
            .filter(|path| path.contains('.'));
        for path in members {
            let object = path.split('.').next().unwrap_or(path);
            if !body.get(object).is_some_and(Value::is_object) || has_path(body, path) {
                continue;
            }
            if let Some(v) = lookup(current, path).filter(|v| !v.is_null()) {
                insert(body, path, v.clone());
            }
        }
    }

    /// The defaults of `[options]` in config.toml, or why one is wrong, naming the file.
    pub fn from_settings(settings: &crate::settings::Settings) -> Result<Self, String> {
        let mut out = MeetingOptions::new();
        for (key, value) in &settings.options {
            out.set(key, value)
                .map_err(|e| format!("{}: [options] {key}: {e}", settings.config_file()))?;
        }
        Ok(out)
    }

    /// [`MeetingOptions::from_settings`] once start-up has checked them: a wrong one
    /// cannot be here any more, and would be left out.
    pub fn defaults(settings: &crate::settings::Settings) -> Self {
        Self::from_settings(settings).unwrap_or_default()
    }

    /// What is set here and differs from `was` (the meeting as the service has it): what
    /// an edit's PATCH sends.
    pub fn beyond(&self, was: &MeetingOptions) -> MeetingOptions {
        let mut out = MeetingOptions::new();
        for i in 0..SPECS.len() {
            let asked = self.get(i);
            if asked.is_some() && asked != was.get(i) {
                out.set_index(i, asked);
            }
        }
        out
    }

    /// `options` over `defaults`: what a flag set wins over what config set.
    pub fn overlay(&self, over: &MeetingOptions) -> MeetingOptions {
        let mut out = MeetingOptions::new();
        for i in 0..SPECS.len() {
            out.set_index(i, over.get(i).or(self.get(i)));
        }
        out
    }

    /// The folded summary line: lobby and presenters always, then how many others changed.
    pub fn summary(&self) -> String {
        self.summary_since(&MeetingOptions::new())
    }

    /// As [`MeetingOptions::summary`], counting as changed only what differs from `base`
    /// (the meeting being edited, as the service has it).
    pub fn summary_since(&self, base: &MeetingOptions) -> String {
        let shown = ["lobby", "presenters"];
        let mut parts: Vec<String> = shown
            .iter()
            .filter_map(|k| {
                let i = index(k).ok()?;
                let s = &SPECS[i];
                Some(format!("{k}: {}", s.choices[self.effective(i)].label))
            })
            .collect();
        let others = (0..SPECS.len())
            .filter(|&i| !shown.contains(&SPECS[i].key))
            .filter(|&i| self.get(i).is_some() && self.get(i) != base.get(i))
            .count();
        if others > 0 {
            parts.push(format!("+{others} changed"));
        }
        parts.join(" · ")
    }

    /// Compares what was asked with an answer. `Absent` entries mean the answer did not say:
    /// the caller reads the meeting again and compares once more.
    pub fn differences(&self, answer: &Value) -> Vec<Difference> {
        self.changed()
            .filter_map(|(spec, asked)| {
                let got = spec.read(answer);
                match &got {
                    Observed::Choice(c) if std::ptr::eq(&spec.choices[*c], asked) => None,
                    _ => Some(Difference { spec, asked, got }),
                }
            })
            .collect()
    }

    fn ensure_len(&mut self) {
        if self.chosen.len() != SPECS.len() {
            self.chosen.resize(SPECS.len(), None);
        }
    }
}

/// One option the service did not set as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub spec: &'static Spec,
    pub asked: &'static Choice,
    pub got: Observed,
}

impl Difference {
    /// Whether the service is known to have set something else. Not when neither the
    /// answer nor the meeting read back carries the property: then nobody can say what it
    /// is, and calling that a change by the tenant would be a guess.
    pub fn confirmed(&self) -> bool {
        !matches!(self.got, Observed::Absent)
    }

    /// What the service set, in the option's own words (None when it did not say).
    pub fn got_label(&self) -> Option<String> {
        match &self.got {
            Observed::Absent => None,
            Observed::Choice(c) => Some(self.spec.choices[*c].label.to_string()),
            Observed::Other(raw) => Some(raw.clone()),
        }
    }

    /// The whole line, headed by what is known: `tenant changed: lobby: asked everyone,
    /// tenant set …`, or `could not confirm: recording: asked off, …`.
    pub fn line(&self) -> String {
        if self.confirmed() {
            format!("tenant changed: {self}")
        } else {
            format!("could not confirm: {self}")
        }
    }
}

impl fmt::Display for Difference {
    /// `lobby: asked everyone, tenant set people in my org and guests`, or for a property
    /// the service left out: `recording: asked off, but the service's answer does not say what it set (…)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.got_label() {
            Some(got) => write!(
                f,
                "{}: asked {}, tenant set {got}",
                self.spec.key, self.asked.label
            ),
            None => write!(
                f,
                "{}: asked {}, but the service's answer does not say what it set ({} is \
                 not in it)",
                self.spec.key, self.asked.label, self.spec.graph
            ),
        }
    }
}

fn index(key: &str) -> Result<usize, OptionError> {
    SPECS
        .iter()
        .position(|s| s.key.eq_ignore_ascii_case(key.trim()))
        .ok_or_else(|| OptionError::UnknownOption {
            key: key.to_string(),
            valid: SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", "),
        })
}

/// Follows a dotted path, matching property names without regard to case as the lenient
/// reader does. A `null` object on the way reads as `null`: the service sends
/// `"watermarkProtection": null` for an option never set.
fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, name| match v {
        Value::Null => Some(v),
        Value::Object(map) => crate::graph::lenient::property(map, name),
        _ => None,
    })
}

/// Whether `path` (dotted) is written in `body`.
fn has_path(body: &Map<String, Value>, path: &str) -> bool {
    let mut map = body;
    let mut names = path.split('.').peekable();
    while let Some(name) = names.next() {
        match (map.get(name), names.peek()) {
            (Some(_), None) => return true,
            (Some(Value::Object(inner)), Some(_)) => map = inner,
            _ => return false,
        }
    }
    false
}

fn insert(body: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut map = body;
    while let Some(name) = parts.next() {
        if parts.peek().is_none() {
            map.insert(name.to_string(), value);
            return;
        }
        let slot = map
            .entry(name.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        map = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_values_are_unique_and_defaults_in_range() {
        let mut keys: Vec<_> = SPECS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SPECS.len());
        for s in SPECS {
            assert!(s.default < s.choices.len(), "{}", s.key);
            let mut names: Vec<_> = s.choices.iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), s.choices.len(), "{}", s.key);
        }
    }

    #[test]
    fn only_changed_options_are_written_and_shared_objects_merge() {
        let mut o = MeetingOptions::new();
        let mut body = Map::new();
        o.write_into(&mut body);
        assert!(body.is_empty());
        o.set("lobby", "everyone").unwrap();
        o.set("dial-in-bypass-lobby", "on").unwrap();
        o.set("watermark", "video").unwrap();
        o.write_into(&mut body);
        assert_eq!(
            Value::Object(body),
            json!({
                "lobbyBypassSettings": {"scope": "everyone", "isDialInBypassEnabled": true},
                "watermarkProtection": {"isEnabledForContentSharing": false, "isEnabledForVideo": true},
            })
        );
    }

    #[test]
    fn bad_names_list_what_is_valid() {
        let mut o = MeetingOptions::new();
        let e = o.set("lobby", "nobody").unwrap_err().to_string();
        assert!(
            e.contains("everyone|organization-and-federated|organization|"),
            "{e}"
        );
        let e = o.set("lobbby", "everyone").unwrap_err().to_string();
        assert!(e.contains("lobby, dial-in-bypass-lobby"), "{e}");
    }

    #[test]
    fn differences_name_what_the_tenant_changed() {
        let mut o = MeetingOptions::new();
        o.set("lobby", "everyone").unwrap();
        o.set("recording", "off").unwrap();
        o.set("chat", "limited").unwrap();
        let answer = json!({
            "lobbyBypassSettings": {"scope": "organization"},
            "allowRecording": false,
        });
        let d = o.differences(&answer);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].to_string(),
            "lobby: asked everyone, tenant set people in my org and guests"
        );
        assert_eq!(d[1].spec.key, "chat");
        assert_eq!(d[1].got, Observed::Absent);
        assert!(d[0].confirmed() && !d[1].confirmed());
        assert_eq!(
            d[0].line(),
            "tenant changed: lobby: asked everyone, tenant set people in my org and guests"
        );
        // Left out of the answer: nobody knows what it is, so the tenant is not said to
        // have changed it.
        let line = d[1].line();
        assert!(
            line.starts_with("could not confirm: chat: asked "),
            "{line}"
        );
        assert!(!line.contains("tenant"), "{line}");
        assert!(line.contains("does not say"), "{line}");
    }

    #[test]
    fn unknown_members_and_null_objects_are_read() {
        let mut o = MeetingOptions::new();
        o.set("lobby", "invited").unwrap();
        o.set("watermark", "none").unwrap();
        let answer = json!({
            "lobbyBypassSettings": {"scope": "unknownFutureValue"},
            "watermarkProtection": null,
        });
        let d = o.differences(&answer);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].got, Observed::Other("\"unknownFutureValue\"".into()));
    }

    #[test]
    fn half_of_a_two_property_option_missing_reads_as_its_default() {
        let watermark = spec("watermark").unwrap();
        let answer = json!({"watermarkProtection": {"isEnabledForVideo": true}});
        assert_eq!(watermark.read(&answer), Observed::Choice(2));
        let answer = json!({"watermarkProtection": {"isEnabledForVideo": "yes"}});
        assert!(matches!(watermark.read(&answer), Observed::Other(_)));
    }

    #[test]
    fn create_only_options_are_refused_for_patch() {
        let mut o = MeetingOptions::new();
        o.set("reactions", "off").unwrap();
        assert!(o.check_patchable().is_ok());
        o.set("chat-text-only", "on").unwrap();
        let e = o.check_patchable().unwrap_err().to_string();
        assert!(e.contains("chatRestrictions.allowTextOnly"), "{e}");
    }

    #[test]
    fn summary_folds_to_one_line() {
        let mut o = MeetingOptions::new();
        assert_eq!(
            o.summary(),
            "lobby: people in my org and guests · presenters: everyone"
        );
        o.set("lobby", "organization-excluding-guests").unwrap();
        o.set("reactions", "off").unwrap();
        o.set("e2ee", "on").unwrap();
        assert_eq!(
            o.summary(),
            "lobby: people in my org · presenters: everyone · +2 changed"
        );
    }

    #[test]
    fn overlay_prefers_the_flag() {
        let mut config = MeetingOptions::new();
        config.set("lobby", "organization").unwrap();
        config.set("chat", "disabled").unwrap();
        let mut flags = MeetingOptions::new();
        flags.set("lobby", "everyone").unwrap();
        let o = config.overlay(&flags);
        assert_eq!(o.effective(0), 0);
        assert_eq!(o.get(index("chat").unwrap()), Some(2));
    }
}
