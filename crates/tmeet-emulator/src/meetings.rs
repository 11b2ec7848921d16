//! A meeting as the emulator stores it, how a request body is checked against the
//! onlineMeeting schema (GRAPH.md §1), and how a meeting is rendered back as Graph JSON.

use super::join_information;
use super::state::{User, random_digits};
use super::templates::{self, Lang};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use rand::Rng;
use serde_json::{Map, Value, json};

/// The tenant's audio-conferencing bridge (fictional 555-01xx numbers).
pub(crate) const TOLL_NUMBER: &str = "+14255550142";
pub(crate) const TOLL_FREE_NUMBER: &str = "+18665550199";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Bool,
    DateTime,
    Object,
    Enum(&'static [&'static str]),
}

/// Which operations may set a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Settable on create and by PATCH.
    CreateAndPatch,
    /// Settable on create only.
    CreateOnly,
    /// Server-filled; ignored on create, refused by PATCH.
    ReadOnly,
}

const PRESENTERS: &[&str] = &[
    "everyone",
    "organization",
    "roleIsPresenter",
    "organizer",
    "unknownFutureValue",
];
const CHAT: &[&str] = &["enabled", "disabled", "limited", "unknownFutureValue"];
const ADMITTERS: &[&str] = &[
    "organizerAndCoOrganizersAndPresenters",
    "organizerAndCoOrganizers",
    "unknownFutureValue",
];
const LIVE_SHARE: &[&str] = &["enabled", "disabled", "unknownFutureValue"];
const HISTORY: &[&str] = &["all", "none", "unknownFutureValue"];
const LOBBY_SCOPES: &[&str] = &[
    "organizer",
    "organization",
    "organizationAndFederated",
    "everyone",
    "unknownFutureValue",
    "invited",
    "organizationExcludingGuests",
];
/// Enum members after `unknownFutureValue`: sent only with `Prefer: include-unknown-enum-members`.
const EVOLVED_LOBBY_SCOPES: &[&str] = &["invited", "organizationExcludingGuests"];
/// CSDL order: attendee 0, presenter 1, unknownFutureValue 2, producer 3, coorganizer 4.
const ROLES: &[&str] = &[
    "attendee",
    "presenter",
    "unknownFutureValue",
    "producer",
    "coorganizer",
];
const EVOLVED_ROLES: &[&str] = &["producer", "coorganizer"];

use Access::*;
use Kind::*;

/// The v1.0 `onlineMeeting` (with `onlineMeetingBase`) properties (GRAPH-SCHEDULING.md
/// §1.1). Beta-only ones (`anonymizeIdentityForRoles`, `joinUrl`, `alternativeRecording`,
/// `broadcastRecording`, `capabilities`, `recording`) are deliberately absent: v1.0 doesn't
/// know them.
pub(crate) const PROPERTIES: &[(&str, Kind, Access)] = &[
    ("startDateTime", DateTime, CreateAndPatch),
    ("endDateTime", DateTime, CreateAndPatch),
    ("subject", Str, CreateAndPatch),
    ("externalId", Str, CreateOnly),
    ("participants", Object, CreateAndPatch),
    ("allowedPresenters", Enum(PRESENTERS), CreateAndPatch),
    ("allowMeetingChat", Enum(CHAT), CreateAndPatch),
    ("allowAttendeeToEnableCamera", Bool, CreateAndPatch),
    ("allowAttendeeToEnableMic", Bool, CreateAndPatch),
    ("allowBreakoutRooms", Bool, CreateAndPatch),
    ("allowCopyingAndSharingMeetingContent", Bool, CreateAndPatch),
    ("allowPowerPointSharing", Bool, CreateAndPatch),
    ("allowRecording", Bool, CreateAndPatch),
    ("allowTeamworkReactions", Bool, CreateAndPatch),
    ("allowTranscription", Bool, CreateAndPatch),
    ("allowWhiteboard", Bool, CreateAndPatch),
    ("allowParticipantsToChangeName", Bool, CreateOnly),
    ("allowedLobbyAdmitters", Enum(ADMITTERS), CreateAndPatch),
    ("allowLiveShare", Enum(LIVE_SHARE), CreateAndPatch),
    ("chatInfo", Object, CreateOnly),
    ("chatRestrictions", Object, CreateOnly),
    // C on the resource page, but the update page lists it as patchable (GRAPH.md §4).
    ("isEndToEndEncryptionEnabled", Bool, CreateAndPatch),
    ("isEntryExitAnnounced", Bool, CreateAndPatch),
    ("joinMeetingIdSettings", Object, CreateOnly),
    ("lobbyBypassSettings", Object, CreateAndPatch),
    ("meetingSpokenLanguageTag", Str, CreateAndPatch),
    ("meetingTemplateId", Str, CreateOnly),
    ("recordAutomatically", Bool, CreateAndPatch),
    ("sensitivityLabelAssignment", Object, CreateAndPatch),
    ("shareMeetingChatHistoryDefault", Enum(HISTORY), CreateOnly),
    ("watermarkProtection", Object, CreateAndPatch),
    ("id", Str, ReadOnly),
    ("creationDateTime", DateTime, ReadOnly),
    ("audioConferencing", Object, ReadOnly),
    ("cloudVideoInteropInfo", Object, ReadOnly),
    ("expiryDateTime", DateTime, ReadOnly),
    ("joinInformation", Object, ReadOnly),
    ("joinWebUrl", Str, ReadOnly),
    ("meetingOptionsWebUrl", Str, ReadOnly),
    ("meetingType", Str, ReadOnly),
    ("videoTeleconferenceId", Str, ReadOnly),
    ("attendeeReport", Object, ReadOnly),
    ("broadcastSettings", Object, ReadOnly),
    ("isBroadcast", Bool, ReadOnly),
];

/// Settings every new meeting starts with (tenant defaults), overridden by the request.
fn default_settings() -> Map<String, Value> {
    let v = json!({
        "allowedPresenters": "everyone",
        "allowMeetingChat": "enabled",
        "allowAttendeeToEnableCamera": true,
        "allowAttendeeToEnableMic": true,
        "allowBreakoutRooms": true,
        "allowCopyingAndSharingMeetingContent": true,
        "allowPowerPointSharing": true,
        "allowRecording": true,
        "allowTeamworkReactions": true,
        "allowTranscription": true,
        "allowWhiteboard": true,
        "allowParticipantsToChangeName": false,
        "allowedLobbyAdmitters": "organizerAndCoOrganizersAndPresenters",
        "allowLiveShare": "enabled",
        "isEndToEndEncryptionEnabled": false,
        "isEntryExitAnnounced": false,
        "recordAutomatically": false,
        "shareMeetingChatHistoryDefault": "none",
        "lobbyBypassSettings": {"scope": "organization", "isDialInBypassEnabled": false},
        "watermarkProtection": null,
        "chatRestrictions": null,
        "meetingSpokenLanguageTag": null,
        "meetingTemplateId": null,
        "sensitivityLabelAssignment": null,
        "videoTeleconferenceId": null,
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("a JSON object literal"),
    }
}

pub(crate) fn property(name: &str) -> Option<(Kind, Access)> {
    PROPERTIES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, k, a)| (*k, *a))
}

/// The members of the complex types a request may carry, by property path; `None` for
/// types the emulator takes whole (identitySet, sensitivityLabelAssignment).
fn members_of(path: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match path {
        "lobbyBypassSettings" => (
            "microsoft.graph.lobbyBypassSettings",
            &["scope", "isDialInBypassEnabled"],
        ),
        "watermarkProtection" => (
            "microsoft.graph.watermarkProtectionValues",
            &["isEnabledForContentSharing", "isEnabledForVideo"],
        ),
        "chatRestrictions" => ("microsoft.graph.chatRestrictions", &["allowTextOnly"]),
        "joinMeetingIdSettings" => (
            "microsoft.graph.joinMeetingIdSettings",
            &["isPasscodeRequired", "joinMeetingId", "passcode"],
        ),
        "chatInfo" => (
            "microsoft.graph.chatInfo",
            &["threadId", "messageId", "replyChainMessageId"],
        ),
        // `producers` and `contributors` are beta only.
        "participants" => (
            "microsoft.graph.meetingParticipants",
            &["organizer", "attendees"],
        ),
        "participants.organizer" | "participants.attendees" => (
            "microsoft.graph.meetingParticipantInfo",
            &["identity", "upn", "role"],
        ),
        _ => return None,
    })
}

/// Finds (or, when `reject` is false, removes) properties the v1.0 schema doesn't have, at
/// the top level and inside the complex types above. The message is the OData reader's.
pub(crate) fn unknown_properties(
    body: &mut Map<String, Value>,
    reject: bool,
) -> Result<(), String> {
    fn walk(
        obj: &mut Map<String, Value>,
        type_name: &str,
        known: &dyn Fn(&str) -> bool,
        path: &str,
        reject: bool,
    ) -> Result<(), String> {
        let unknown: Vec<String> = obj
            .keys()
            .filter(|k| !k.contains('@') && !known(k))
            .cloned()
            .collect();
        if let Some(first) = unknown.first()
            && reject
        {
            return Err(format!(
                "Could not find a property named '{first}' on type '{type_name}'."
            ));
        }
        for k in unknown {
            obj.remove(&k);
        }
        for (k, v) in obj.iter_mut() {
            let child = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            let Some((ty, members)) = members_of(&child) else {
                continue;
            };
            let is_member = |n: &str| members.contains(&n);
            match v {
                Value::Object(o) => walk(o, ty, &is_member, &child, reject)?,
                Value::Array(items) => {
                    for item in items.iter_mut() {
                        if let Value::Object(o) = item {
                            walk(o, ty, &is_member, &child, reject)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
    walk(
        body,
        "microsoft.graph.onlineMeeting",
        &|k| property(k).is_some(),
        "",
        reject,
    )
}

/// Checks a value against its declared type; the message reads like the service's OData
/// deserializer errors.
pub(crate) fn check_type(name: &str, kind: Kind, v: &Value) -> Result<(), String> {
    let edm = match kind {
        Str => "Edm.String",
        Bool => "Edm.Boolean",
        DateTime => "Edm.DateTimeOffset",
        Object => "a complex type",
        Enum(_) => "an enum",
    };
    let bad = || {
        format!(
            "Cannot convert the literal '{v}' to the expected type '{edm}' of property '{name}'."
        )
    };
    if v.is_null() {
        return Ok(());
    }
    match kind {
        Str => v.as_str().map(|_| ()).ok_or_else(bad),
        Bool => v.as_bool().map(|_| ()).ok_or_else(bad),
        DateTime => match v.as_str() {
            Some(s) => parse_time(s).map(|_| ()).ok_or_else(bad),
            None => Err(bad()),
        },
        Object => match v.as_object() {
            Some(o) => check_complex(name, o),
            None => Err(bad()),
        },
        Enum(members) => match v.as_str() {
            Some(s) if members.contains(&s) => Ok(()),
            Some(s) => Err(format!(
                "Requested value '{s}' was not found in the enum for property '{name}'."
            )),
            None => Err(bad()),
        },
    }
}

fn check_complex(name: &str, o: &Map<String, Value>) -> Result<(), String> {
    let field = |k: &str, kind: Kind| match o.get(k) {
        Some(v) => check_type(&format!("{name}.{k}"), kind, v),
        None => Ok(()),
    };
    match name {
        "joinMeetingIdSettings" => field("isPasscodeRequired", Bool),
        "lobbyBypassSettings" => {
            field("scope", Enum(LOBBY_SCOPES))?;
            field("isDialInBypassEnabled", Bool)
        }
        "watermarkProtection" => {
            field("isEnabledForContentSharing", Bool)?;
            field("isEnabledForVideo", Bool)
        }
        "chatRestrictions" => field("allowTextOnly", Bool),
        "participants" => {
            if let Some(org) = o.get("organizer") {
                check_participant("participants.organizer", org)?;
            }
            match o.get("attendees") {
                None | Some(Value::Null) => Ok(()),
                Some(Value::Array(list)) => list
                    .iter()
                    .try_for_each(|a| check_participant("participants.attendees", a)),
                Some(other) => Err(format!(
                    "Cannot convert the literal '{other}' to the expected type 'Collection(microsoft.graph.meetingParticipantInfo)'."
                )),
            }
        }
        _ => Ok(()),
    }
}

fn check_participant(name: &str, v: &Value) -> Result<(), String> {
    let Some(o) = v.as_object() else {
        return Err(format!(
            "Cannot convert the literal '{v}' to the expected type 'microsoft.graph.meetingParticipantInfo' of property '{name}'."
        ));
    };
    if let Some(r) = o.get("role") {
        check_type(&format!("{name}.role"), Enum(ROLES), r)?;
    }
    if let Some(u) = o.get("upn") {
        check_type(&format!("{name}.upn"), Str, u)?;
    }
    if let Some(i) = o.get("identity") {
        check_type(&format!("{name}.identity"), Object, i)?;
    }
    Ok(())
}

/// Any RFC 3339 offset (or none, taken as UTC), kept to the service's 100 ns resolution.
pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let t = match DateTime::parse_from_rfc3339(s) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()?
            .and_utc(),
    };
    ticks(t)
}

/// Now, at the service's precision (100 ns ticks), as a stored time would read back.
pub(crate) fn now() -> DateTime<Utc> {
    let t = Utc::now();
    ticks(t).unwrap_or(t)
}

fn ticks(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    t.with_nanosecond(t.nanosecond() / 100 * 100)
}

/// `2019-07-11T02:17:17.6491364Z`: UTC with seven fractional digits, as the service writes.
pub(crate) fn format_time(t: &DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.nanosecond() % 1_000_000_000 / 100
    )
}

#[derive(Debug, Clone)]
pub(crate) struct StoredMeeting {
    pub id: String,
    pub tenant_id: String,
    pub organizer: User,
    pub external_id: Option<String>,
    pub created: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub subject: Option<String>,
    /// Settable properties other than the times, subject and externalId.
    pub settings: Map<String, Value>,
    pub thread_id: String,
    pub join_web_url: String,
    pub join_meeting_id: String,
    pub passcode: Option<String>,
    pub conference_id: String,
    pub dialin_url: String,
    pub vtc_id: String,
    pub attendees: Vec<Value>,
    /// The organizer has an Audio Conferencing licence: dial-in numbers and a conference
    /// id. Without one the service leaves `audioConferencing` null (GRAPH-REAL.md Q3).
    pub dial_in: bool,
}

pub(crate) struct NewMeeting {
    pub tenant_id: String,
    pub organizer: User,
    pub external_id: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub subject: Option<String>,
    pub passcode_required: bool,
    pub settings: Map<String, Value>,
    pub attendees: Vec<Value>,
}

impl StoredMeeting {
    pub(crate) fn create(n: NewMeeting) -> Self {
        let mut rng = rand::rng();
        let thread_key = STANDARD_NO_PAD.encode(uuid::Uuid::new_v4().to_string());
        let thread_id = format!("19:meeting_{thread_key}@thread.v2");
        let id = URL_SAFE_NO_PAD.encode(format!("1*{}*0**{thread_id}", n.organizer.id));
        let join_web_url = format!(
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread_key}%40thread.v2/0?context=%7b%22Tid%22%3a%22{}%22%2c%22Oid%22%3a%22{}%22%7d",
            n.tenant_id, n.organizer.id
        );
        let conference_id = random_digits(9);
        let dialin_url = format!(
            "https://dialin.teams.microsoft.com/{}?id={conference_id}",
            uuid::Uuid::new_v4()
        );
        let mut settings = default_settings();
        settings.extend(n.settings);
        StoredMeeting {
            id,
            tenant_id: n.tenant_id,
            organizer: n.organizer,
            external_id: n.external_id,
            created: Utc::now(),
            start: n.start,
            end: n.end,
            subject: n.subject,
            settings,
            thread_id,
            join_web_url,
            join_meeting_id: random_digits(rng.random_range(12..=13)),
            passcode: n.passcode_required.then(new_passcode),
            conference_id,
            dialin_url,
            vtc_id: random_digits(10),
            attendees: n.attendees,
            dial_in: true,
        }
    }

    /// Gives the meeting the short join link scheduled meetings get from 2026 on
    /// (GRAPH-REAL.md Q8): `https://teams.microsoft.com/meet/<meeting id>?p=<hashed
    /// passcode>`, in place of the long `/l/meetup-join/…` one.
    pub(crate) fn use_short_link(&mut self) {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut rng = rand::rng();
        let hashed: String = (0..18)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        self.join_web_url = format!(
            "https://teams.microsoft.com/meet/{}?p={hashed}",
            self.join_meeting_id
        );
    }

    /// When the join link stops working: 60 days after the meeting ends (GRAPH-REAL.md Q9;
    /// GRAPH.md §1: each update adds another 60 days, so it follows the stored end).
    fn expiry(&self) -> DateTime<Utc> {
        self.end.max(self.created) + Duration::days(60)
    }

    fn meeting_options_url(&self, lang: Lang) -> String {
        format!(
            "https://teams.microsoft.com/meetingOptions/?organizerId={}&tenantId={}&threadId={}&messageId=0&language={}",
            self.organizer.id,
            self.tenant_id,
            self.thread_id.replacen(':', "_", 1),
            lang.tag()
        )
    }

    /// The onlineMeeting as the service answers it, without `@odata.context`.
    pub(crate) fn to_json(&self, lang: Lang, include_unknown_enums: bool) -> Value {
        let options_url = self.meeting_options_url(lang);
        let html = templates::render(
            lang,
            &templates::Fill {
                join_url: &self.join_web_url,
                join_meeting_id: &self.join_meeting_id,
                passcode: self.passcode.as_deref(),
                toll_number: TOLL_NUMBER,
                toll_free_number: TOLL_FREE_NUMBER,
                conference_id: &self.conference_id,
                dialin_url: &self.dialin_url,
                meeting_options_url: &options_url,
                vtc_id: &self.vtc_id,
                dial_in: self.dial_in,
            },
        );
        let mut attendees = self.attendees.clone();
        let mut m = self.settings.clone();
        if !include_unknown_enums {
            let roles = attendees.iter_mut().filter_map(|a| a.get_mut("role"));
            let scope = m
                .get_mut("lobbyBypassSettings")
                .and_then(|l| l.get_mut("scope"));
            hide_evolved(roles, EVOLVED_ROLES);
            hide_evolved(scope, EVOLVED_LOBBY_SCOPES);
        }
        let fields = json!({
            "id": self.id,
            "creationDateTime": format_time(&self.created),
            "startDateTime": format_time(&self.start),
            "endDateTime": format_time(&self.end),
            "expiryDateTime": format_time(&self.expiry()),
            "subject": self.subject,
            "externalId": self.external_id,
            "joinWebUrl": self.join_web_url,
            "meetingOptionsWebUrl": options_url,
            "meetingType": null,
            "isBroadcast": false,
            "videoTeleconferenceId": self.vtc_id,
            "joinMeetingIdSettings": {
                "isPasscodeRequired": self.passcode.is_some(),
                "joinMeetingId": self.join_meeting_id,
                "passcode": self.passcode,
            },
            "audioConferencing": self.dial_in.then(|| json!({
                "conferenceId": self.conference_id,
                "tollNumber": TOLL_NUMBER,
                "tollFreeNumber": TOLL_FREE_NUMBER,
                "tollNumbers": [TOLL_NUMBER],
                "tollFreeNumbers": [TOLL_FREE_NUMBER],
                "dialinUrl": self.dialin_url,
            })),
            "chatInfo": {
                "threadId": self.thread_id,
                "messageId": "0",
                "replyChainMessageId": null,
            },
            "participants": {
                "organizer": {
                    "upn": self.organizer.upn,
                    "role": "presenter",
                    "identity": {
                        "application": null,
                        "device": null,
                        "user": {
                            "id": self.organizer.id,
                            "displayName": self.organizer.display_name,
                            "tenantId": self.tenant_id,
                            "identityProvider": "AAD",
                        },
                    },
                },
                "attendees": attendees,
            },
            "joinInformation": join_information::body(&html),
            "broadcastSettings": null,
        });
        if let Value::Object(f) = fields {
            m.extend(f);
        }
        Value::Object(m)
    }
}

/// Enum members added after `unknownFutureValue` read as that sentinel to clients that did
/// not opt in with `Prefer: include-unknown-enum-members`.
fn hide_evolved<'a>(values: impl IntoIterator<Item = &'a mut Value>, evolved: &[&str]) {
    for v in values {
        if v.as_str().is_some_and(|s| evolved.contains(&s)) {
            *v = json!("unknownFutureValue");
        }
    }
}

/// Six characters from an alphabet without look-alikes, like the service's passcodes.
fn new_passcode() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_seven_fraction_digits_in_utc() {
        let t = parse_time("2019-07-12T14:30:34.2444915-07:00").unwrap();
        assert_eq!(format_time(&t), "2019-07-12T21:30:34.2444915Z");
        let t = parse_time("2026-01-01T10:00:00+01:00").unwrap();
        assert_eq!(format_time(&t), "2026-01-01T09:00:00.0000000Z");
        // No offset: the service reads UTC (the docs' samples send both forms).
        let t = parse_time(" 2019-07-11T02:17:17.64913649 ").unwrap();
        assert_eq!(format_time(&t), "2019-07-11T02:17:17.6491364Z");
        assert!(parse_time("tomorrow").is_none());
        assert!(parse_time("2026-01-01 10:00").is_none());
    }

    #[test]
    fn type_checks_read_like_the_service() {
        assert!(
            check_type("subject", Str, &json!(3))
                .unwrap_err()
                .contains("Edm.String")
        );
        assert!(check_type("allowedPresenters", Enum(PRESENTERS), &json!("nobody")).is_err());
        assert!(check_type("lobbyBypassSettings", Object, &json!({"scope": "invited"})).is_ok());
        assert!(check_type("lobbyBypassSettings", Object, &json!({"scope": "x"})).is_err());
        assert!(
            check_type(
                "joinMeetingIdSettings",
                Object,
                &json!({"isPasscodeRequired": "yes"})
            )
            .is_err()
        );
        assert!(
            check_type(
                "participants",
                Object,
                &json!({"attendees": [{"role": "boss"}]})
            )
            .is_err()
        );
        assert!(check_type("startDateTime", DateTime, &json!("2026-13-01T00:00:00Z")).is_err());
    }

    #[test]
    fn rendered_meeting_has_the_documented_shape() {
        let m = StoredMeeting::create(NewMeeting {
            tenant_id: "t".into(),
            organizer: User::demo(),
            external_id: None,
            start: Utc::now(),
            end: Utc::now() + Duration::minutes(30),
            subject: Some("Standup".into()),
            passcode_required: true,
            settings: Map::new(),
            attendees: vec![json!({"upn": "x@y", "role": "coorganizer"})],
        });
        let v = m.to_json(Lang::ENGLISH, false);
        assert_eq!(
            v["participants"]["attendees"][0]["role"],
            "unknownFutureValue"
        );
        assert_eq!(
            m.to_json(Lang::ENGLISH, true)["participants"]["attendees"][0]["role"],
            "coorganizer"
        );
        let settings = &v["joinMeetingIdSettings"];
        assert_eq!(settings["isPasscodeRequired"], true);
        assert_eq!(settings["passcode"].as_str().map(str::len), Some(6));
        let id = settings["joinMeetingId"].as_str().unwrap();
        assert!((12..=13).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()));
        let decoded = URL_SAFE_NO_PAD.decode(v["id"].as_str().unwrap()).unwrap();
        assert!(
            String::from_utf8(decoded)
                .unwrap()
                .starts_with(&format!("1*{}*0**19:meeting_", User::demo().id))
        );
        for t in [
            "creationDateTime",
            "startDateTime",
            "endDateTime",
            "expiryDateTime",
        ] {
            let s = v[t].as_str().unwrap();
            assert!(s.ends_with('Z') && s.len() == 28, "{t}: {s}");
        }
        assert_eq!(v["joinInformation"]["contentType"], "html");
        let html = join_information::decode(v["joinInformation"]["content"].as_str().unwrap());
        assert!(
            html.unwrap()
                .contains(&m.join_web_url.replace('&', "&amp;"))
        );
        assert_eq!(
            v["audioConferencing"]["conferenceId"],
            m.conference_id.as_str()
        );
        assert_eq!(v["participants"]["organizer"]["role"], "presenter");
    }

    #[test]
    fn short_links_and_meetings_without_dial_in() {
        let mut m = StoredMeeting::create(NewMeeting {
            tenant_id: "t".into(),
            organizer: User::demo(),
            external_id: None,
            start: Utc::now(),
            end: Utc::now() + Duration::minutes(30),
            subject: None,
            passcode_required: false,
            settings: Map::new(),
            attendees: vec![],
        });
        m.use_short_link();
        m.dial_in = false;
        let v = m.to_json(Lang::ENGLISH, false);
        let link = v["joinWebUrl"].as_str().unwrap();
        let rest = link
            .strip_prefix(&format!(
                "https://teams.microsoft.com/meet/{}?p=",
                m.join_meeting_id
            ))
            .unwrap();
        assert!(rest.len() == 18 && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(
            v["expiryDateTime"].as_str(),
            Some(format_time(&(m.end + Duration::days(60))).as_str())
        );
        assert!(v["audioConferencing"].is_null());
        let html = join_information::decode(v["joinInformation"]["content"].as_str().unwrap());
        let html = html.unwrap();
        assert!(html.contains(&link.replace('&', "&amp;")));
        assert!(!html.contains("tel:"), "no dial-in block: {html}");
    }
}
