//! The fields of an invitation (GRAPH-SCHEDULING.md §3.2, GRAPH-NEXT.md §4.3 and §5): how
//! the event shows in the organizer's calendar (show as), the reminder, importance,
//! privacy (sensitivity), categories, and what the invitees may do (answer, propose a new
//! time, see each other). One table, as the meeting options are (`crate::meeting::options`),
//! that the `create --calendar`/`update` flags, the form's Invitation section, the request
//! body and the read-back all share.
//!
//! A field with named values is a [`Choices`] like a meeting option, read and written by
//! the same code; the reminder (minutes, or off) and the categories (free names) have a
//! kind of their own. Only what the person set is sent: the service keeps its defaults
//! (busy, 15 minutes, normal, responses requested, new times allowed, attendees hidden
//! from each other off) for the rest.

use crate::meeting::options::{Choice, Choices, Leaf, Observed, OptionError, choice, on_off};
use serde_json::{Map, Value};

/// What a field holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// One of `Spec::choices`, as a meeting option.
    Choice,
    /// Minutes before the start, or off: `isReminderOn` and `reminderMinutesBeforeStart`.
    Reminder,
    /// Names, comma-separated on the command line: `categories`.
    Categories,
}

/// One field of an invitation.
#[derive(Debug, PartialEq, Eq)]
pub struct Spec {
    /// Flag name without `--`.
    pub key: &'static str,
    /// The Graph property (or properties) it sets.
    pub graph: &'static str,
    /// Short label for the form and the read-back.
    pub label: &'static str,
    /// One sentence of help, for the flag and the form.
    pub help: &'static str,
    pub kind: Kind,
    /// The values of a [`Kind::Choice`] field; empty for the others.
    pub choices: &'static [Choice],
    /// Index into `choices` of the service's default.
    pub default: usize,
    /// What the shell and the form offer: the names of a choice, common reminders.
    pub suggestions: &'static [&'static str],
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

/// The reminders Outlook offers, in the spelling the flag takes.
const REMINDERS: &[&str] = &[
    "off", "0", "5", "10", "15", "30", "1h", "2h", "12h", "1d", "1w",
];

/// Every field, in the order Outlook's own form shows them.
pub static FIELDS: &[Spec] = &[
    Spec {
        key: "show-as",
        graph: "showAs",
        label: "Show as",
        help: "how the time shows in your calendar and your free/busy",
        kind: Kind::Choice,
        choices: &[
            choice!("free", "free", "showAs", "free"),
            choice!("tentative", "tentative", "showAs", "tentative"),
            choice!("busy", "busy", "showAs", "busy"),
            choice!("away", "away (out of office)", "showAs", "oof"),
            choice!(
                "working-elsewhere",
                "working elsewhere",
                "showAs",
                "workingElsewhere"
            ),
        ],
        default: 2,
        suggestions: &[],
    },
    Spec {
        key: "reminder",
        graph: "isReminderOn, reminderMinutesBeforeStart",
        label: "Reminder",
        help: "minutes before the start (15, 1h, 1d), or off",
        kind: Kind::Reminder,
        choices: &[],
        default: 0,
        suggestions: REMINDERS,
    },
    Spec {
        key: "importance",
        graph: "importance",
        label: "Importance",
        help: "how Outlook marks the invitation",
        kind: Kind::Choice,
        choices: &[
            choice!("low", "low", "importance", "low"),
            choice!("normal", "normal", "importance", "normal"),
            choice!("high", "high", "importance", "high"),
        ],
        default: 1,
        suggestions: &[],
    },
    Spec {
        key: "sensitivity",
        graph: "sensitivity",
        label: "Privacy",
        help: "private hides the subject and details from people who share your calendar",
        kind: Kind::Choice,
        choices: &[
            choice!("normal", "normal", "sensitivity", "normal"),
            choice!("personal", "personal", "sensitivity", "personal"),
            choice!("private", "private", "sensitivity", "private"),
            choice!(
                "confidential",
                "confidential",
                "sensitivity",
                "confidential"
            ),
        ],
        default: 0,
        suggestions: &[],
    },
    Spec {
        key: "categories",
        graph: "categories",
        label: "Categories",
        help: "Outlook category names, comma-separated (a name not in your list is kept \
               without a colour)",
        kind: Kind::Categories,
        choices: &[],
        default: 0,
        suggestions: &[],
    },
    Spec {
        key: "request-responses",
        graph: "responseRequested",
        label: "Request responses",
        help: "whether invitees are asked to accept or decline",
        kind: Kind::Choice,
        choices: on_off!("responseRequested"),
        default: 0,
        suggestions: &[],
    },
    Spec {
        key: "allow-new-times",
        graph: "allowNewTimeProposals",
        label: "Allow new time proposals",
        help: "whether invitees may propose another time",
        kind: Kind::Choice,
        choices: on_off!("allowNewTimeProposals"),
        default: 0,
        suggestions: &[],
    },
    Spec {
        key: "hide-attendees",
        graph: "hideAttendees",
        label: "Hide attendees from each other",
        help: "each invitee sees only themselves on the invitation",
        kind: Kind::Choice,
        choices: on_off!("hideAttendees"),
        default: 1,
        suggestions: &[],
    },
];

/// The most minutes a reminder takes: `reminderMinutesBeforeStart` is an Int32.
const MAX_REMINDER_MINUTES: i64 = i32::MAX as i64;
/// The longest category name taken; Outlook's own names are short, a runaway paste is not.
const MAX_CATEGORY_CHARS: usize = 255;

/// What a person set one field to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// An index into the field's `choices`.
    Choice(usize),
    /// Minutes before the start; None: no reminder.
    Reminder(Option<u32>),
    Categories(Vec<String>),
}

impl Spec {
    /// Reads what a person typed for this field (a flag's value, a form row).
    pub fn parse(&self, text: &str) -> Result<Setting, String> {
        match self.kind {
            Kind::Choice => self
                .choice(text)
                .map(Setting::Choice)
                .map_err(|e| e.to_string()),
            Kind::Reminder => parse_reminder(text).map(Setting::Reminder),
            Kind::Categories => parse_categories(text).map(Setting::Categories),
        }
    }

    /// The setting in the words the form and the read-back use.
    pub fn describe(&self, setting: &Setting) -> String {
        match setting {
            Setting::Choice(i) => self
                .choices
                .get(*i)
                .map_or_else(String::new, |c| c.label.to_string()),
            Setting::Reminder(None) => "off".into(),
            Setting::Reminder(Some(m)) => format!("{} before", minutes_in_words(*m)),
            Setting::Categories(list) if list.is_empty() => "none".into(),
            Setting::Categories(list) => list.join(", "),
        }
    }

    /// The setting as the flag takes it (`away`, `1h`, `Red, Blue`).
    pub fn spell(&self, setting: &Setting) -> String {
        match setting {
            Setting::Choice(i) => self
                .choices
                .get(*i)
                .map_or_else(String::new, |c| c.name.to_string()),
            Setting::Reminder(None) => "off".into(),
            Setting::Reminder(Some(m)) => m.to_string(),
            Setting::Categories(list) => list.join(", "),
        }
    }

    /// What the service uses when nothing is sent; categories have none (no categories).
    pub fn service_default(&self) -> Setting {
        match self.kind {
            Kind::Choice => Setting::Choice(self.default),
            Kind::Reminder => Setting::Reminder(Some(15)),
            Kind::Categories => Setting::Categories(Vec::new()),
        }
    }

    fn write(&self, setting: &Setting, body: &mut Map<String, Value>) {
        match setting {
            Setting::Choice(i) => {
                if let Some(c) = self.choices.get(*i) {
                    for (path, leaf) in c.writes {
                        body.insert((*path).to_string(), leaf.to_json());
                    }
                }
            }
            // Off is only the switch: the minutes the event had stay for when it is
            // switched on again, as in Outlook.
            Setting::Reminder(None) => {
                body.insert("isReminderOn".into(), Value::Bool(false));
            }
            Setting::Reminder(Some(m)) => {
                body.insert("isReminderOn".into(), Value::Bool(true));
                body.insert("reminderMinutesBeforeStart".into(), Value::from(*m));
            }
            Setting::Categories(list) => {
                body.insert(
                    "categories".into(),
                    Value::Array(list.iter().map(|c| Value::from(c.as_str())).collect()),
                );
            }
        }
    }

    /// What an answer holds for this field, or None when it does not say (or says
    /// something this build has no name for).
    pub fn read_setting(&self, answer: &Value) -> Option<Setting> {
        let field = |name: &str| crate::graph::lenient::value(answer, name);
        match self.kind {
            Kind::Choice => match self.read(answer) {
                Observed::Choice(i) => Some(Setting::Choice(i)),
                Observed::Absent | Observed::Other(_) => None,
            },
            Kind::Reminder => match field("isReminderOn").and_then(Value::as_bool) {
                Some(false) => Some(Setting::Reminder(None)),
                on => {
                    let minutes = field("reminderMinutesBeforeStart")
                        .and_then(Value::as_u64)
                        .and_then(|m| u32::try_from(m).ok());
                    match (on, minutes) {
                        (_, Some(m)) => Some(Setting::Reminder(Some(m))),
                        _ => None,
                    }
                }
            },
            Kind::Categories => field("categories").and_then(Value::as_array).map(|list| {
                Setting::Categories(
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(crate::sanitize::line)
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }),
        }
    }
}

/// `off`, or minutes: `15`, `15m`, `1h`, `2d`, `1w`.
fn parse_reminder(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        format!(
            "'{}' is not a reminder; use minutes before the start (0, 15, 1h, 1d, 1w) or off",
            crate::sanitize::line(text.trim())
        )
    };
    if matches!(t.as_str(), "off" | "none" | "no" | "false") {
        return Ok(None);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(bad());
    }
    let unit = t[digits.len()..].trim();
    let per = match unit {
        "" | "m" | "min" | "mins" | "minute" | "minutes" => 1,
        "h" | "hour" | "hours" => 60,
        "d" | "day" | "days" => 24 * 60,
        "w" | "week" | "weeks" => 7 * 24 * 60,
        _ => return Err(bad()),
    };
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let minutes = n.checked_mul(per).filter(|m| *m <= MAX_REMINDER_MINUTES);
    minutes
        .and_then(|m| u32::try_from(m).ok())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{} is too long before the start for a reminder",
                text.trim()
            )
        })
}

/// Names split at commas, trimmed, each once (in any case): Outlook's names are unique
/// whatever their case. Nothing at all clears the categories.
fn parse_categories(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name.chars().any(char::is_control) {
            return Err("a category name cannot hold control characters".into());
        }
        if name.chars().count() > MAX_CATEGORY_CHARS {
            return Err(format!(
                "a category name is longer than {MAX_CATEGORY_CHARS} characters"
            ));
        }
        if !out.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

/// `15 minutes`, `1 hour`, `2 days`, `1 week`: the largest whole unit.
fn minutes_in_words(m: u32) -> String {
    let (n, unit) = match m {
        0 => return "at the start, 0 minutes".into(),
        m if m % (7 * 24 * 60) == 0 => (m / (7 * 24 * 60), "week"),
        m if m % (24 * 60) == 0 => (m / (24 * 60), "day"),
        m if m % 60 == 0 => (m / 60, "hour"),
        m => (m, "minute"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn index(key: &str) -> Result<usize, OptionError> {
    FIELDS
        .iter()
        .position(|s| s.key.eq_ignore_ascii_case(key.trim()))
        .ok_or_else(|| OptionError::UnknownOption {
            key: key.to_string(),
            valid: FIELDS.iter().map(|s| s.key).collect::<Vec<_>>().join(", "),
        })
}

pub fn field(key: &str) -> Option<&'static Spec> {
    index(key).ok().map(|i| &FIELDS[i])
}

/// The fields a person set, by position in [`FIELDS`]; unset ones are the service's.
#[derive(Debug, Clone, Default, Eq)]
pub struct InvitationFields {
    set: Vec<Option<Setting>>,
}

impl PartialEq for InvitationFields {
    fn eq(&self, other: &Self) -> bool {
        (0..FIELDS.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl InvitationFields {
    /// Sets `key` to what `value` says (`show-as`, `away`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let i = index(key).map_err(|e| e.to_string())?;
        let setting = FIELDS[i].parse(value)?;
        self.set_index(i, Some(setting));
        Ok(())
    }

    pub fn set_index(&mut self, i: usize, setting: Option<Setting>) {
        if self.set.len() != FIELDS.len() {
            self.set.resize(FIELDS.len(), None);
        }
        self.set[i] = setting;
    }

    pub fn get(&self, i: usize) -> Option<&Setting> {
        self.set.get(i).and_then(Option::as_ref)
    }

    /// What the person set, in table order.
    pub fn changed(&self) -> impl Iterator<Item = (&'static Spec, &Setting)> + '_ {
        FIELDS
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.get(i).map(|v| (s, v)))
    }

    pub fn is_empty(&self) -> bool {
        self.changed().next().is_none()
    }

    /// Writes what was set into a request body (create or PATCH); nothing else.
    pub fn write_into(&self, body: &mut Map<String, Value>) {
        for (spec, setting) in self.changed() {
            spec.write(setting, body);
        }
    }

    /// Everything an answer says about the fields, whether set by tmeet or not.
    pub fn read(answer: &Value) -> InvitationFields {
        let mut out = InvitationFields::default();
        for (i, spec) in FIELDS.iter().enumerate() {
            out.set_index(i, spec.read_setting(answer));
        }
        out
    }

    /// `(label, value in words)` for each field set, for `show` and the result pane.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        self.changed()
            .map(|(spec, v)| (spec.label, spec.describe(v)))
            .collect()
    }

    /// The categories set, if they were.
    pub fn categories(&self) -> Option<&[String]> {
        self.changed().find_map(|(_, v)| match v {
            Setting::Categories(list) => Some(list.as_slice()),
            _ => None,
        })
    }

    /// Of the categories set, those not among `mine` (the mailbox's), in any case.
    pub fn unknown_categories(&self, mine: &[String]) -> Vec<String> {
        self.categories()
            .unwrap_or_default()
            .iter()
            .filter(|c| !mine.iter().any(|m| m.eq_ignore_ascii_case(c)))
            .cloned()
            .collect()
    }

    /// What was set, keyed by flag name in the flag's spelling: `--json`'s account.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.changed()
                .map(|(spec, v)| (spec.key.to_string(), Value::from(spec.spell(v))))
                .collect(),
        )
    }

    /// `over` on top of these: a flag wins over `[invitation]` in config.toml.
    pub fn overlay(&self, over: &InvitationFields) -> InvitationFields {
        let mut out = self.clone();
        for (i, _) in FIELDS.iter().enumerate() {
            if let Some(v) = over.get(i) {
                out.set_index(i, Some(v.clone()));
            }
        }
        out
    }

    /// The defaults of `[invitation]` in config.toml, or why one is wrong, naming the file.
    pub fn from_settings(settings: &crate::settings::Settings) -> Result<Self, String> {
        let mut out = InvitationFields::default();
        for (key, value) in &settings.invitation {
            out.set(key, value)
                .map_err(|e| format!("{}: [invitation] {key}: {e}", settings.config_file()))?;
        }
        Ok(out)
    }

    /// [`InvitationFields::from_settings`] once start-up has checked them.
    pub fn defaults(settings: &crate::settings::Settings) -> Self {
        Self::from_settings(settings).unwrap_or_default()
    }

    /// The setting shown for field `i`: the person's, or the service's default.
    pub fn effective(&self, i: usize) -> Setting {
        self.get(i)
            .cloned()
            .unwrap_or_else(|| FIELDS[i].service_default())
    }

    /// The folded summary line: show as and reminder always, then how many others changed.
    pub fn summary(&self) -> String {
        self.summary_since(&InvitationFields::default())
    }

    /// As [`InvitationFields::summary`], counting as changed only what differs from `base`
    /// (the event being edited, as the service has it).
    pub fn summary_since(&self, base: &InvitationFields) -> String {
        let shown = ["show-as", "reminder"];
        let mut parts: Vec<String> = shown
            .iter()
            .filter_map(|k| {
                let i = index(k).ok()?;
                // Short, to fit one row: the value's name, the reminder without "before".
                let words = match self.effective(i) {
                    Setting::Reminder(Some(m)) => minutes_in_words(m),
                    v => FIELDS[i].spell(&v).replace('-', " "),
                };
                Some(format!("{}: {words}", FIELDS[i].label.to_ascii_lowercase()))
            })
            .collect();
        let others = FIELDS
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                !shown.contains(&s.key) && self.get(*i).is_some() && self.get(*i) != base.get(*i)
            })
            .count();
        if others > 0 {
            parts.push(format!("+{others} changed"));
        }
        parts.join(" · ")
    }

    /// The next (or previous) value of field `i` for the form: a choice's next name, the
    /// next common reminder. Categories are typed, not cycled: unchanged.
    pub fn cycle(&mut self, i: usize, forward: bool) {
        let spec = &FIELDS[i];
        let next = match (&spec.kind, self.effective(i)) {
            (Kind::Choice, Setting::Choice(c)) => {
                let n = spec.choices.len();
                Setting::Choice(if forward {
                    (c + 1) % n
                } else {
                    (c + n - 1) % n
                })
            }
            (Kind::Reminder, now) => {
                let presets: Vec<Setting> = spec
                    .suggestions
                    .iter()
                    .filter_map(|s| spec.parse(s).ok())
                    .collect();
                let at = presets.iter().position(|p| *p == now);
                let n = presets.len();
                let j = match (at, forward) {
                    (Some(j), true) => (j + 1) % n,
                    (Some(j), false) => (j + n - 1) % n,
                    (None, _) => 0,
                };
                presets[j].clone()
            }
            _ => return,
        };
        self.set_index(i, Some(next));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_values_are_unique_and_defaults_in_range() {
        let mut keys: Vec<_> = FIELDS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FIELDS.len());
        for s in FIELDS {
            assert_eq!(s.kind == Kind::Choice, !s.choices.is_empty(), "{}", s.key);
            assert!(s.choices.is_empty() || s.default < s.choices.len());
            for v in s.suggestions {
                assert!(s.parse(v).is_ok(), "{}: {v}", s.key);
            }
        }
    }

    #[test]
    fn only_what_was_set_is_written_in_graphs_spelling() {
        let mut f = InvitationFields::default();
        let mut body = Map::new();
        f.write_into(&mut body);
        assert!(body.is_empty());
        f.set("show-as", "away").unwrap();
        f.set("reminder", "1h").unwrap();
        f.set("importance", "HIGH").unwrap();
        f.set("sensitivity", "private").unwrap();
        f.set("categories", " Red category, Blue, red category ,")
            .unwrap();
        f.set("request-responses", "off").unwrap();
        f.set("allow-new-times", "off").unwrap();
        f.set("hide-attendees", "on").unwrap();
        f.write_into(&mut body);
        assert_eq!(
            Value::Object(body.clone()),
            json!({
                "showAs": "oof", "isReminderOn": true, "reminderMinutesBeforeStart": 60,
                "importance": "high", "sensitivity": "private",
                "categories": ["Red category", "Blue"], "responseRequested": false,
                "allowNewTimeProposals": false, "hideAttendees": true,
            })
        );
        // What is written reads back as what was set.
        assert_eq!(InvitationFields::read(&Value::Object(body)), f);
        let mut off = InvitationFields::default();
        off.set("reminder", "off").unwrap();
        off.set("categories", "").unwrap();
        let mut body = Map::new();
        off.write_into(&mut body);
        assert_eq!(
            Value::Object(body),
            json!({"isReminderOn": false, "categories": []})
        );
    }

    #[test]
    fn bad_values_name_the_valid_ones() {
        let mut f = InvitationFields::default();
        let e = f.set("show-as", "oof?").unwrap_err();
        assert!(
            e.contains("free|tentative|busy|away|working-elsewhere"),
            "{e}"
        );
        let e = f.set("reminder", "soon").unwrap_err();
        assert!(e.contains("or off"), "{e}");
        assert!(f.set("reminder", "-5").is_err());
        assert!(f.set("reminder", "99999999999").is_err());
        assert!(f.set("categories", "a\u{7}b").is_err());
        let e = f.set("showas", "busy").unwrap_err();
        assert!(e.contains("show-as, reminder"), "{e}");
        assert!(f.is_empty());
    }

    /// In an edit, what the event already had is not "changed".
    #[test]
    fn the_summary_of_an_edit_counts_only_what_differs_from_the_event() {
        let mut event = InvitationFields::default();
        event.set("importance", "normal").unwrap();
        event.set("sensitivity", "normal").unwrap();
        let mut form = event.clone();
        assert_eq!(
            form.summary_since(&event),
            "show as: busy · reminder: 15 minutes"
        );
        assert!(form.summary().ends_with("+2 changed"));
        form.set("importance", "high").unwrap();
        assert!(form.summary_since(&event).ends_with("+1 changed"));
    }

    #[test]
    fn the_summary_and_the_lines_say_it_in_words() {
        let mut f = InvitationFields::default();
        assert_eq!(f.summary(), "show as: busy · reminder: 15 minutes");
        f.set("reminder", "1d").unwrap();
        f.set("importance", "high").unwrap();
        f.set("hide-attendees", "on").unwrap();
        assert_eq!(f.summary(), "show as: busy · reminder: 1 day · +2 changed");
        assert_eq!(
            f.lines(),
            vec![
                ("Reminder", "1 day before".to_string()),
                ("Importance", "high".to_string()),
                ("Hide attendees from each other", "on".to_string()),
            ]
        );
        assert_eq!(
            f.to_json(),
            json!({"reminder": "1440", "importance": "high", "hide-attendees": "on"})
        );
    }

    #[test]
    fn the_form_cycles_choices_and_common_reminders() {
        let mut f = InvitationFields::default();
        let show_as = index("show-as").unwrap();
        f.cycle(show_as, true);
        assert_eq!(f.get(show_as), Some(&Setting::Choice(3)));
        let reminder = index("reminder").unwrap();
        f.cycle(reminder, true);
        assert_eq!(f.get(reminder), Some(&Setting::Reminder(Some(30))));
        f.cycle(reminder, false);
        f.cycle(reminder, false);
        assert_eq!(f.get(reminder), Some(&Setting::Reminder(Some(10))));
        let categories = index("categories").unwrap();
        f.cycle(categories, true);
        assert_eq!(f.get(categories), None);
    }
}
