//! Calendar mode (GRAPH-SCHEDULING.md §3–§7): a Teams meeting that is an event on the
//! organizer's calendar, with invitations sent to the attendees, and what finding a time
//! for it needs: free/busy, suggestions and people to complete names to.
//!
//! The wire calls are `graph::client::outlook`; here is what they mean: the request
//! bodies (`event`, `availability`, `suggestions`), the reading of answers, the zone names
//! Outlook takes (`zone`), and the one create flow (`flow`) that the CLI and the form share.

pub mod availability;
pub mod event;
pub mod invitee;
pub mod people;
pub mod suggestions;
pub mod zone;

pub use availability::{Availability, FreeBusy, PersonSchedule};
pub use event::{Event, EventRequest, event_view, new_transaction_id};
pub use invitee::{AttendeeType, Invitee, parse_invitees};
pub use people::{PersonMatch, Source};
pub use suggestions::{Suggestion, Suggestions};
pub use zone::OutlookZone;

/// Creating, reading and cancelling events (PERMS: least privileged for all three).
pub const EVENTS_SCOPE: &str = "Calendars.ReadWrite";
/// Free/busy and suggestions for other people's calendars. getSchedule also takes
/// Calendars.ReadWrite; findMeetingTimes does not.
pub const SHARED_SCOPE: &str = "Calendars.Read.Shared";
/// Completing names from the people one works with.
pub const PEOPLE_SCOPE: &str = "People.Read";

/// What each calendar feature needs, and the sentence that says why when it is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Put the meeting on the calendar and invite people.
    Invite,
    /// See when people are free.
    FreeBusy,
    /// Ask the service for a time when everyone is free.
    FindTime,
    /// Complete names in the Attendees field.
    Complete,
}

impl Feature {
    /// The permission to ask for.
    pub fn scope(self) -> &'static str {
        match self {
            Feature::Invite => EVENTS_SCOPE,
            Feature::FreeBusy | Feature::FindTime => SHARED_SCOPE,
            Feature::Complete => PEOPLE_SCOPE,
        }
    }

    /// Any one of these lets the feature work (a sign-in may hold a broader one).
    pub fn accepted(self) -> &'static [&'static str] {
        match self {
            Feature::Invite => &[EVENTS_SCOPE],
            Feature::FreeBusy => &[
                SHARED_SCOPE,
                "Calendars.ReadWrite.Shared",
                EVENTS_SCOPE,
                "Calendars.Read",
            ],
            Feature::FindTime => &[SHARED_SCOPE, "Calendars.ReadWrite.Shared"],
            Feature::Complete => &[PEOPLE_SCOPE, "People.Read.All"],
        }
    }

    /// Why, in the words the consent prompt uses: "… needs permission to {why}".
    pub fn why(self) -> &'static str {
        match self {
            Feature::Invite => "put the meeting on your calendar and send the invitations",
            Feature::FreeBusy => "see when people are free",
            Feature::FindTime => "find a time when everyone is free",
            Feature::Complete => "suggest people as you type their names",
        }
    }

    /// The line that tells a script how to grant it.
    pub fn consent_message(self) -> String {
        format!(
            "tmeet needs permission to {} ({}): run `tmeet login --scope {}`, then try again",
            self.why(),
            self.scope(),
            self.scope()
        )
    }
}

/// "person" or "people", for "invitations sent to N …".
pub fn people(n: usize) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

/// A property by name in any case: the service's own samples vary it (`ScheduleId`,
/// `ConferenceId`), so every answer read here goes through this.
pub(crate) fn field<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}
