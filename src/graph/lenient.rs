//! Reading a 2xx answer the way the service really writes it, not the way the schema says.
//!
//! The service's own samples spell `conferenceId` both ways in one object, send `null` where
//! an object is documented, add enum values and properties, and a proxy or an older build may
//! send a number where a string is documented (GRAPH.md §1, §2, §8). A meeting that exists
//! must not be reported as a failure because of such a detail, so [`read`] deserializes any
//! serde type from a JSON value with these rules, and reports what it did as [`Note`]s:
//!
//! - property names match case-insensitively; when several spellings are present the
//!   documented one (the schema's lowerCamelCase name) wins, unless it holds `null`;
//! - `null` is an absent value; a number is read as text where text is documented, and
//!   `"true"`/`"false"` as a boolean; enum values match case-insensitively and unknown ones
//!   go to the type's catch-all variant;
//! - a value that still cannot be read is dropped (the property becomes absent) and the
//!   rest of the object is read again without it.
//!
//! Notes name a property by its path and say what was found by JSON type only: the value
//! itself can be a passcode, so it never appears in a note (enum values excepted).

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Past this many dropped values, a whole top-level property is dropped at once: each drop
/// means one more pass over the body, and a hostile body could hold thousands of bad values.
const LEAF_DROP_BUDGET: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// A property, as the service spelled it.
    Key(String),
    Index(usize),
}

/// Where a value sits in the body, e.g. `audioConferencing.tollNumbers[1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(Vec<Step>);

impl Path {
    fn with(&self, step: Step) -> Path {
        let mut steps = self.0.clone();
        steps.push(step);
        Path(steps)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(the body)");
        }
        for (i, step) in self.0.iter().enumerate() {
            match step {
                // Keys are server text: sanitized, as the note may reach a terminal.
                Step::Key(k) if i == 0 => write!(f, "{}", crate::sanitize::line(k))?,
                Step::Key(k) => write!(f, ".{}", crate::sanitize::line(k))?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteKind {
    /// Dropped: the value could not be read as the documented type.
    Dropped {
        /// What the schema wants, when known ("a boolean"); otherwise the value's content
        /// was wrong (e.g. a date-time that is not one).
        expected: Option<&'static str>,
        found: &'static str,
    },
    /// Ignored: another spelling of a property whose spelling `used` was read instead.
    OtherSpelling { used: String, same_value: bool },
    /// Read under its documented name `documented` although spelled differently.
    Respelled { documented: &'static str },
    /// Not in the schema tmeet knows (the service adds properties over time).
    Unknown,
    /// Read as the documented type after a conversion, e.g. a number as text.
    Converted {
        from: &'static str,
        to: &'static str,
    },
    /// An enum value this build does not know; read as the catch-all variant.
    UnknownEnumValue(String),
}

/// One thing [`read`] did that the schema alone would not have: for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub path: Path,
    pub kind: NoteKind,
}

impl Note {
    /// Something the service sent is not in the result (worth a warning in the log).
    pub fn is_loss(&self) -> bool {
        match &self.kind {
            NoteKind::Dropped { .. } => true,
            NoteKind::OtherSpelling { same_value, .. } => !same_value,
            _ => false,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.kind {
            NoteKind::Dropped {
                expected: Some(e),
                found,
            } => write!(f, "{path}: ignored, expected {e} but found {found}"),
            NoteKind::Dropped {
                expected: None,
                found,
            } => write!(f, "{path}: ignored, {found} that could not be read"),
            NoteKind::OtherSpelling { used, same_value } => write!(
                f,
                "{path}: ignored, another spelling of {} which was read instead{}",
                crate::sanitize::line(used),
                if *same_value { " (same value)" } else { "" }
            ),
            NoteKind::Respelled { documented } => {
                write!(f, "{path}: read as {documented}")
            }
            NoteKind::Unknown => write!(f, "{path}: unknown property, ignored"),
            NoteKind::Converted { from, to } => write!(f, "{path}: {from} read as {to}"),
            NoteKind::UnknownEnumValue(v) => write!(
                f,
                "{path}: unknown value {:?}, read as unknownFutureValue",
                crate::sanitize::line(v)
                    .chars()
                    .take(64)
                    .collect::<String>()
            ),
        }
    }
}

/// The value could not be read at all (its root has the wrong type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub found: &'static str,
}

/// Reads `T` from `value` leniently (see the module comment); the notes say what was
/// converted, re-spelled or dropped on the way.
pub fn read<T: DeserializeOwned>(value: &Value) -> Result<(T, Vec<Note>), Unreadable> {
    let mut work = std::borrow::Cow::Borrowed(value);
    let mut dropped: Vec<Note> = Vec::new();
    loop {
        let state = RefCell::new(State::default());
        let result = T::deserialize(Lenient {
            value: &work,
            path: Path::default(),
            state: &state,
        });
        let state = state.into_inner();
        if let Ok(v) = result {
            dropped.extend(state.notes);
            return Ok((v, dropped));
        }
        let Some((mut path, expected)) = state.failure else {
            return Err(Unreadable {
                found: kind_of(&work),
            });
        };
        let mut expected = expected;
        if dropped.len() >= LEAF_DROP_BUDGET && path.0.len() > 1 {
            path.0.truncate(1);
            expected = None;
        }
        if path.0.is_empty() {
            return Err(Unreadable {
                found: kind_of(&work),
            });
        }
        let found = remove(work.to_mut(), &path).map_or("nothing", kind_of_owned);
        dropped.push(Note {
            path,
            kind: NoteKind::Dropped { expected, found },
        });
    }
}

#[derive(Default)]
struct State {
    /// The deepest value that could not be read in this pass (the first error raised).
    failure: Option<(Path, Option<&'static str>)>,
    notes: Vec<Note>,
}

/// A value's JSON type in words, for messages that must not quote the value.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn kind_of_owned(v: Value) -> &'static str {
    kind_of(&v)
}

/// Takes the value at `path` out of `root`; `None` when nothing is there.
fn remove(root: &mut Value, path: &Path) -> Option<Value> {
    let (last, parents) = path.0.split_last()?;
    let mut cur = root;
    for step in parents {
        cur = match (step, cur) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    match (last, cur) {
        (Step::Key(k), Value::Object(m)) => m.remove(k),
        (Step::Index(i), Value::Array(a)) if *i < a.len() => Some(a.remove(*i)),
        _ => None,
    }
}

/// The value of property `name` in `map` under the same rule as for every struct field: the
/// documented spelling when present and not null, otherwise the first other spelling (in
/// the object's order) that is not null.
pub fn property<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name)
        .filter(|v| !v.is_null())
        .or_else(|| {
            map.iter()
                .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
                .map(|(_, v)| v)
        })
        .or_else(|| map.get(name))
}

/// The spelling under which [`value`] finds property `name` of `v`: for taking the value
/// out of an object the caller owns instead of copying it.
pub fn key(v: &Value, name: &str) -> Option<String> {
    let Value::Object(map) = v else {
        return None;
    };
    let found = property(map, name)?;
    map.iter()
        .find(|(_, v)| std::ptr::eq(*v, found))
        .map(|(k, _)| k.clone())
}

/// [`property`] of `v` when it is an object: the one rule for reading a property of an
/// answer by name, whoever reads it (the history, the calendar, the read-back).
pub fn value<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v {
        Value::Object(map) => property(map, name),
        _ => None,
    }
}

/// The documented spelling of a group of names that differ only in case (a field and its
/// serde aliases): the lowerCamelCase one, as Graph's schema writes every property.
fn documented(names: &[&'static str]) -> &'static str {
    names
        .iter()
        .find(|n| n.starts_with(|c: char| c.is_ascii_lowercase()))
        .unwrap_or(&names[0])
}

struct Lenient<'a> {
    value: &'a Value,
    path: Path,
    state: &'a RefCell<State>,
}

impl<'a> Lenient<'a> {
    fn child(&self, step: Step, value: &'a Value) -> Lenient<'a> {
        Lenient {
            value,
            path: self.path.with(step),
            state: self.state,
        }
    }

    fn note(&self, kind: NoteKind) {
        self.state.borrow_mut().notes.push(Note {
            path: self.path.clone(),
            kind,
        });
    }

    /// Records this value as the one to drop, and fails without quoting it.
    fn fail(&self, expected: &'static str) -> serde_json::Error {
        let mut state = self.state.borrow_mut();
        if state.failure.is_none() {
            state.failure = Some((self.path.clone(), Some(expected)));
        }
        de::Error::custom(format_args!("expected {expected}"))
    }

    /// The object's entries under their documented names, one per field: the documented
    /// spelling when present and not null, otherwise the first other spelling that is not.
    fn struct_entries(
        &self,
        map: &'a Map<String, Value>,
        fields: &'static [&'static str],
    ) -> Vec<(&'static str, Lenient<'a>)> {
        let mut out = Vec::new();
        let mut claimed = vec![false; map.len()];
        for (i, field) in fields.iter().enumerate() {
            if fields[..i].iter().any(|f| f.eq_ignore_ascii_case(field)) {
                continue; // an alias of a field already handled
            }
            let group: Vec<&'static str> = fields
                .iter()
                .copied()
                .filter(|f| f.eq_ignore_ascii_case(field))
                .collect();
            let name = documented(&group);
            let spellings: Vec<(usize, &String, &Value)> = map
                .iter()
                .enumerate()
                .filter(|(_, (k, _))| k.eq_ignore_ascii_case(name))
                .map(|(j, (k, v))| (j, k, v))
                .collect();
            let Some(&(chosen, key, value)) = spellings
                .iter()
                .find(|(_, k, v)| *k == name && !v.is_null())
                .or_else(|| spellings.iter().find(|(_, _, v)| !v.is_null()))
                .or_else(|| spellings.first())
            else {
                continue;
            };
            for &(j, other, other_value) in &spellings {
                claimed[j] = true;
                if j != chosen && !other_value.is_null() {
                    self.child(Step::Key(other.clone()), other_value).note(
                        NoteKind::OtherSpelling {
                            used: key.clone(),
                            same_value: other_value == value,
                        },
                    );
                }
            }
            let child = self.child(Step::Key(key.clone()), value);
            if key != name {
                child.note(NoteKind::Respelled { documented: name });
            }
            out.push((name, child));
        }
        for ((key, value), claimed) in map.iter().zip(claimed) {
            // `@odata.context`, `subject@odata.type`: annotations, not properties.
            if !claimed && !key.contains('@') {
                self.child(Step::Key(key.clone()), value)
                    .note(NoteKind::Unknown);
            }
        }
        out
    }
}

macro_rules! numbers {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
            match self.value {
                Value::Number(_) => self.value.$method(v),
                Value::String(s) => match s.trim().parse::<serde_json::Number>() {
                    Ok(n) => {
                        self.note(NoteKind::Converted { from: "text", to: "a number" });
                        Value::Number(n).$method(v)
                    }
                    Err(_) => Err(self.fail("a number")),
                },
                _ => Err(self.fail("a number")),
            }
        }
    )*};
}

impl<'a> Deserializer<'a> for Lenient<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Array(items) => v.visit_seq(Seq::new(&self, items)),
            Value::Object(map) => v.visit_map(Entries::raw(&self, map)),
            other => other.deserialize_any(v),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Bool(b) => v.visit_bool(*b),
            Value::String(s) => {
                let b = match s.trim() {
                    t if t.eq_ignore_ascii_case("true") => true,
                    t if t.eq_ignore_ascii_case("false") => false,
                    _ => return Err(self.fail("a boolean")),
                };
                self.note(NoteKind::Converted {
                    from: "text",
                    to: "a boolean",
                });
                v.visit_bool(b)
            }
            _ => Err(self.fail("a boolean")),
        }
    }

    numbers!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64
    );

    fn deserialize_str<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::String(s) => v.visit_borrowed_str(s),
            // A meeting ID or phone number sent as a number: its digits are the text.
            Value::Number(n) => {
                self.note(NoteKind::Converted {
                    from: "a number",
                    to: "text",
                });
                v.visit_string(n.to_string())
            }
            _ => Err(self.fail("text")),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(v)
    }

    fn deserialize_char<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.value.deserialize_char(v)
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.value.deserialize_bytes(v)
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.value.deserialize_byte_buf(v)
    }

    fn deserialize_option<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.value.deserialize_unit(v)
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Array(items) => v.visit_seq(Seq::new(&self, items)),
            _ => Err(self.fail("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Object(map) => v.visit_map(Entries::raw(&self, map)),
            _ => Err(self.fail("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Object(map) => v.visit_map(Entries {
                items: self.struct_entries(map, fields).into_iter(),
                pending: None,
            }),
            _ => Err(self.fail("an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        let Value::String(s) = self.value else {
            return self.value.deserialize_enum(name, variants, v);
        };
        let known = variants
            .iter()
            .find(|n| **n == s)
            .or_else(|| variants.iter().find(|n| n.eq_ignore_ascii_case(s)));
        match known {
            Some(n) => v.visit_enum(IntoDeserializer::<serde_json::Error>::into_deserializer(*n)),
            None => {
                // The enum's `#[serde(other)]` variant takes it; without one, the error
                // drops the property like any other unreadable value.
                self.note(NoteKind::UnknownEnumValue(s.clone()));
                v.visit_enum(IntoDeserializer::<serde_json::Error>::into_deserializer(
                    s.as_str(),
                ))
            }
        }
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::String(s) => v.visit_borrowed_str(s),
            other => other.deserialize_identifier(v),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_unit()
    }
}

/// When a child fails in a way the child itself did not record (the field's own
/// `Deserialize` refused the content), the child is the value to drop.
fn blame(state: &RefCell<State>, path: Path) {
    let mut state = state.borrow_mut();
    if state.failure.is_none() {
        state.failure = Some((path, None));
    }
}

struct Seq<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    parent_path: Path,
    state: &'a RefCell<State>,
}

impl<'a> Seq<'a> {
    fn new(parent: &Lenient<'a>, items: &'a [Value]) -> Self {
        Seq {
            items: items.iter().enumerate(),
            parent_path: parent.path.clone(),
            state: parent.state,
        }
    }
}

impl<'a> SeqAccess<'a> for Seq<'a> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let Some((i, value)) = self.items.next() else {
            return Ok(None);
        };
        let child = Lenient {
            value,
            path: self.parent_path.with(Step::Index(i)),
            state: self.state,
        };
        let path = child.path.clone();
        seed.deserialize(child)
            .map(Some)
            .inspect_err(|_| blame(self.state, path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a, K> {
    items: std::vec::IntoIter<(K, Lenient<'a>)>,
    pending: Option<Lenient<'a>>,
}

impl<'a> Entries<'a, &'a str> {
    /// A map's entries as sent (for `serde_json::Value` and map-typed fields).
    fn raw(parent: &Lenient<'a>, map: &'a Map<String, Value>) -> Self {
        let items: Vec<_> = map
            .iter()
            .map(|(k, v)| (k.as_str(), parent.child(Step::Key(k.clone()), v)))
            .collect();
        Entries {
            items: items.into_iter(),
            pending: None,
        }
    }
}

impl<'a, K: IntoDeserializer<'a, serde_json::Error>> MapAccess<'a> for Entries<'a, K> {
    type Error = serde_json::Error;

    fn next_key_seed<S: DeserializeSeed<'a>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        self.pending = Some(value);
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        let child = self
            .pending
            .take()
            .ok_or_else(|| <serde_json::Error as de::Error>::custom("value before key"))?;
        let (path, state) = (child.path.clone(), child.state);
        seed.deserialize(child).inspect_err(|_| blame(state, path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::model::{AllowedPresenters, OnlineMeeting};
    use serde_json::json;

    fn read_meeting(v: Value) -> (OnlineMeeting, Vec<String>) {
        let (m, notes) = read::<OnlineMeeting>(&v).unwrap();
        (m, notes.iter().map(Note::to_string).collect())
    }

    #[test]
    fn documented_spelling_wins_and_the_other_is_noted() {
        let (m, notes) = read_meeting(json!({
            "audioConferencing": {"ConferenceId": "111", "conferenceId": "222"},
        }));
        let audio = m.audio_conferencing.unwrap();
        assert_eq!(audio.conference_id.as_deref(), Some("222"));
        assert_eq!(
            notes,
            [
                "audioConferencing.ConferenceId: ignored, another spelling of conferenceId which was read instead"
            ]
        );
    }

    #[test]
    fn a_null_documented_spelling_yields_to_another() {
        let (m, notes) = read_meeting(json!({"subject": null, "Subject": "x"}));
        assert_eq!(m.subject.as_deref(), Some("x"));
        assert_eq!(notes, ["Subject: read as subject"]);
    }

    #[test]
    fn unreadable_values_are_dropped_and_named_by_path_never_by_value() {
        let (m, notes) = read_meeting(json!({
            "subject": "kept",
            "joinMeetingIdSettings": {"passcode": {"v": "SECRET-PASSCODE"}, "joinMeetingId": 123},
            "audioConferencing": {"tollNumbers": ["+1", {"x": 1}, null, 42]},
            "startDateTime": "not a time SECRET-PASSCODE",
            "allowRecording": "perhaps",
        }));
        assert_eq!(m.subject.as_deref(), Some("kept"));
        assert_eq!(m.passcode(), None);
        assert_eq!(m.join_meeting_id(), Some("123"));
        assert_eq!(
            m.audio_conferencing.unwrap().toll_numbers.unwrap(),
            ["+1", "42"]
        );
        assert_eq!(m.start_date_time, None);
        assert_eq!(m.allow_recording, None);
        let all = notes.join("\n");
        assert!(!all.contains("SECRET"), "{all}");
        for expected in [
            "joinMeetingIdSettings.passcode: ignored, expected text but found an object",
            "audioConferencing.tollNumbers[1]: ignored, expected text but found an object",
            "startDateTime: ignored, text that could not be read",
            "allowRecording: ignored, expected a boolean but found text",
            "joinMeetingIdSettings.joinMeetingId: a number read as text",
        ] {
            assert!(notes.iter().any(|n| n == expected), "{expected}\n{all}");
        }
    }

    #[test]
    fn conversions_enums_and_unknown_properties() {
        let (m, notes) = read_meeting(json!({
            "allowRecording": "TRUE",
            "allowedPresenters": "RoleIsPresenter",
            "meetingType": "somethingNew",
            "brandNew": {"nested": [1, 2]},
            "@odata.context": "x",
            "subject@odata.type": "#String",
        }));
        assert_eq!(m.allow_recording, Some(true));
        assert_eq!(
            m.allowed_presenters,
            Some(AllowedPresenters::RoleIsPresenter)
        );
        assert_eq!(
            m.meeting_type,
            Some(crate::graph::model::MeetingType::UnknownFutureValue)
        );
        let mut notes = notes;
        notes.sort();
        assert_eq!(
            notes,
            [
                "allowRecording: text read as a boolean",
                "brandNew: unknown property, ignored",
                "meetingType: unknown value \"somethingNew\", read as unknownFutureValue",
            ]
        );
    }

    #[test]
    fn a_flood_of_bad_values_costs_a_bounded_number_of_passes() {
        let attendees: Vec<Value> = (0..5000).map(|_| json!({"upn": {"bad": 1}})).collect();
        let (m, notes) =
            read_meeting(json!({"subject": "s", "participants": {"attendees": attendees}}));
        assert_eq!(m.subject.as_deref(), Some("s"));
        assert!(m.participants.is_none());
        assert_eq!(notes.len(), LEAF_DROP_BUDGET + 1, "{:?}", notes.last());
        assert_eq!(
            notes.last().unwrap(),
            "participants: ignored, an object that could not be read"
        );
    }

    /// Any JSON, with keys from the schema in several spellings so the typed paths are hit.
    fn arb_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[ -~]{0,12}".prop_map(Value::from),
            prop_oneof![
                Just("true"),
                Just("Html"),
                Just("2019-07-11T02:17:17.6491364Z")
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            const NAMES: &[&str] = &[
                "subject",
                "startDateTime",
                "joinMeetingIdSettings",
                "joinMeetingId",
                "passcode",
                "isPasscodeRequired",
                "audioConferencing",
                "conferenceId",
                "tollNumbers",
                "participants",
                "organizer",
                "attendees",
                "identity",
                "user",
                "displayName",
                "role",
                "joinInformation",
                "contentType",
                "lobbyBypassSettings",
                "scope",
                "meetingType",
                "chatInfo",
                "allowRecording",
            ];
            let keys = (proptest::sample::select(NAMES), 0..3u8).prop_map(|(k, case)| match case {
                0 => k.to_string(),
                1 => k[..1].to_ascii_uppercase() + &k[1..],
                _ => k.to_ascii_lowercase(),
            });
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::vec((keys, inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// The promise of issue 8: whatever else an answer holds, an id and a join link
        /// given as text are enough to show the meeting.
        #[test]
        fn an_id_and_a_join_link_are_always_enough(rest in arb_json()) {
            let mut body = match rest {
                Value::Object(m) => m,
                other => Map::from_iter([("extra".to_string(), other)]),
            };
            body.insert("id".into(), json!("m1"));
            body.insert("joinWebUrl".into(), json!("https://teams.microsoft.com/l/x"));
            let (m, _) = OnlineMeeting::from_graph(&Value::Object(body)).unwrap();
            proptest::prop_assert_eq!(m.id.as_deref(), Some("m1"));
            proptest::prop_assert_eq!(m.join_web_url.as_deref(), Some("https://teams.microsoft.com/l/x"));
        }
    }

    #[test]
    fn a_root_of_the_wrong_type_is_unreadable() {
        assert_eq!(
            read::<OnlineMeeting>(&json!([1])).unwrap_err(),
            Unreadable { found: "a list" }
        );
    }
}
