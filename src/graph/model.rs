//! Typed `onlineMeeting` (GRAPH.md §1). Every property is optional and unknown fields are
//! ignored, because the service adds properties and omits ones it has no value for; enums
//! keep an `UnknownFutureValue` catch-all so a new value never breaks parsing.
//! Answers from the service are read with [`OnlineMeeting::from_graph`], which goes further.

use super::lenient::{self, Note};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What `POST …/onlineMeetings` sends: the JSON body and the language `joinInformation`
/// is asked in (`Accept-Language`). The domain builds it from a validated request
/// (`meeting::MeetingRequest`); the wire client knows nothing of the domain.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeeting {
    pub body: Value,
    pub accept_language: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnlineMeeting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, with = "graph_time", skip_serializing_if = "Option::is_none")]
    pub creation_date_time: Option<DateTime<Utc>>,
    #[serde(default, with = "graph_time", skip_serializing_if = "Option::is_none")]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default, with = "graph_time", skip_serializing_if = "Option::is_none")]
    pub end_date_time: Option<DateTime<Utc>>,
    #[serde(default, with = "graph_time", skip_serializing_if = "Option::is_none")]
    pub expiry_date_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_web_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_options_web_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_teleconference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_spoken_language_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_template_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_type: Option<MeetingType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<MeetingParticipants>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_presenters: Option<AllowedPresenters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_meeting_chat: Option<MeetingChatMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_lobby_admitters: Option<AllowedLobbyAdmitters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_live_share: Option<LiveShareMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_attendee_to_enable_camera: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_attendee_to_enable_mic: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_breakout_rooms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_copying_and_sharing_meeting_content: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_power_point_sharing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_recording: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_teamwork_reactions: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_transcription: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_whiteboard: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_participants_to_change_name: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymize_identity_for_roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_conferencing: Option<AudioConferencing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_info: Option<ChatInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_restrictions: Option<ChatRestrictions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_end_to_end_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_entry_exit_announced: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_information: Option<ItemBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_meeting_id_settings: Option<JoinMeetingIdSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lobby_bypass_settings: Option<LobbyBypassSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_automatically: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_meeting_chat_history_default: Option<ShareChatHistory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark_protection: Option<WatermarkProtection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity_label_assignment: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_video_interop_info: Option<serde_json::Value>,
}

impl OnlineMeeting {
    /// Reads an answer of the service. A meeting is worth showing whenever it has an id and
    /// a join link, so those two must be non-empty text and everything else is read
    /// leniently (see [`lenient`]): the notes say what was converted or ignored. The error
    /// says, for a person, why the answer cannot be used.
    pub fn from_graph(value: &Value) -> Result<(OnlineMeeting, Vec<Note>), String> {
        let Value::Object(map) = value else {
            return Err(format!(
                "it is {}, not an onlineMeeting object",
                lenient::kind_of(value)
            ));
        };
        let essential = |name: &str| match lenient::property(map, name) {
            None | Some(Value::Null) => Err(format!("it has no {name}")),
            Some(Value::String(s)) if s.trim().is_empty() => Err(format!("its {name} is empty")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(format!(
                "its {name} is {}, not text",
                lenient::kind_of(other)
            )),
        };
        let id = essential("id")?;
        let join_web_url = essential("joinWebUrl")?;
        let (mut meeting, notes) = lenient::read::<OnlineMeeting>(value)
            .map_err(|e| format!("it is {}, not an onlineMeeting object", e.found))?;
        meeting.id = Some(id);
        meeting.join_web_url = Some(join_web_url);
        Ok((meeting, notes))
    }

    pub fn passcode(&self) -> Option<&str> {
        self.join_meeting_id_settings.as_ref()?.passcode.as_deref()
    }

    pub fn join_meeting_id(&self) -> Option<&str> {
        self.join_meeting_id_settings
            .as_ref()?
            .join_meeting_id
            .as_deref()
    }

    pub fn organizer_name(&self) -> Option<&str> {
        let user = self
            .participants
            .as_ref()?
            .organizer
            .as_ref()?
            .identity
            .as_ref()?
            .user
            .as_ref()?;
        user.display_name.as_deref()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioConferencing {
    /// The service writes both `conferenceId` and `ConferenceId` (GRAPH.md §8).
    #[serde(alias = "ConferenceId", skip_serializing_if = "Option::is_none")]
    pub conference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toll_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toll_free_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toll_numbers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toll_free_numbers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialin_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_chain_message_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRestrictions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_text_only: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<BodyType>,
}

/// `html` in the schema, `Html` in the samples: compared case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BodyType {
    Text,
    Html,
    UnknownFutureValue,
}

impl<'de> Deserialize<'de> for BodyType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.to_ascii_lowercase().as_str() {
            "text" => BodyType::Text,
            "html" => BodyType::Html,
            _ => BodyType::UnknownFutureValue,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinMeetingIdSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_passcode_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_meeting_id: Option<String>,
    /// `null` when no passcode is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passcode: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LobbyBypassSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<LobbyBypassScope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_dial_in_bypass_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatermarkProtection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_enabled_for_content_sharing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_enabled_for_video: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingParticipants {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizer: Option<MeetingParticipantInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendees: Option<Vec<MeetingParticipantInfo>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingParticipantInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<OnlineMeetingRole>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySet {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<Identity>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
}

macro_rules! graph_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub enum $name {
            $($variant,)*
            /// Any value this build does not know, including `unknownFutureValue`.
            #[serde(other)]
            UnknownFutureValue,
        }
    };
}

graph_enum!(MeetingType {
    Adhoc,
    Scheduled,
    Recurring,
    Broadcast,
    Meetnow
});
graph_enum!(AllowedPresenters {
    Everyone,
    Organization,
    RoleIsPresenter,
    Organizer
});
graph_enum!(MeetingChatMode {
    Enabled,
    Disabled,
    Limited
});
graph_enum!(AllowedLobbyAdmitters {
    OrganizerAndCoOrganizersAndPresenters,
    OrganizerAndCoOrganizers
});
graph_enum!(LiveShareMode { Enabled, Disabled });
graph_enum!(ShareChatHistory { All, None });
graph_enum!(OnlineMeetingRole {
    Attendee,
    Presenter,
    Producer,
    Coorganizer
});
graph_enum!(LobbyBypassScope {
    Organizer,
    Organization,
    OrganizationAndFederated,
    Everyone,
    Invited,
    OrganizationExcludingGuests,
});

/// The error envelope (GRAPH.md §5). `innerError` may nest and may be spelled `innererror`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, alias = "innererror")]
    pub inner_error: Option<Box<InnerError>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InnerError {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default, rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(default, rename = "client-request-id")]
    pub client_request_id: Option<String>,
    #[serde(default, alias = "innererror", rename = "innerError")]
    pub inner_error: Option<Box<InnerError>>,
}

/// Graph timestamps: RFC 3339 with up to 7 fractional digits, normally `Z`, but an offset
/// or no zone at all (taken as UTC, as the service stores UTC) is accepted too.
pub(crate) mod graph_time {
    use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn parse(s: &str) -> Option<DateTime<Utc>> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(t.with_timezone(&Utc));
        }
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|n| n.and_utc())
    }

    pub(crate) fn serialize<S: Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date-time: {s:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_and_fields_are_tolerated() {
        let m: OnlineMeeting = serde_json::from_str(
            r#"{"allowedPresenters":"somethingNew","meetingType":"meetnow","brandNew":{"x":1},
                "lobbyBypassSettings":{"scope":"invited"},
                "joinInformation":{"content":"x","contentType":"Html"},
                "audioConferencing":{"conferenceId":"1"},
                "startDateTime":"2019-07-11T02:17:17.6491364Z",
                "endDateTime":"2019-07-11T02:47:17"}"#,
        )
        .unwrap();
        assert_eq!(
            m.allowed_presenters,
            Some(AllowedPresenters::UnknownFutureValue)
        );
        assert_eq!(m.meeting_type, Some(MeetingType::Meetnow));
        assert_eq!(
            m.lobby_bypass_settings.unwrap().scope,
            Some(LobbyBypassScope::Invited)
        );
        assert_eq!(
            m.join_information.unwrap().content_type,
            Some(BodyType::Html)
        );
        assert_eq!(
            m.audio_conferencing.unwrap().conference_id.as_deref(),
            Some("1")
        );
        assert_eq!(
            m.start_date_time.unwrap().timestamp_subsec_nanos(),
            649_136_400
        );
        assert!(m.end_date_time.is_some());
    }

    #[test]
    fn error_envelope_with_nested_inner_error() {
        let e: ErrorEnvelope = serde_json::from_str(
            r#"{"error":{"code":"Forbidden","message":"no","innerError":{"date":"2024-02-20T23:12:03",
                "request-id":"r1","client-request-id":"c1","innerError":{"code":"deeper"}}}}"#,
        )
        .unwrap();
        let inner = e.error.inner_error.unwrap();
        assert_eq!(inner.request_id.as_deref(), Some("r1"));
        assert_eq!(inner.inner_error.unwrap().code.as_deref(), Some("deeper"));
    }
}
