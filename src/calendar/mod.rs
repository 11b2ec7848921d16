//! Calendar mode (GRAPH-SCHEDULING.md §3–§7): a Teams meeting that is an event on the
//! organizer's calendar, with invitations sent to the attendees, and what finding a time
//! for it needs: free/busy, suggestions and people to complete names to.
//!
//! The wire calls are `graph::client::outlook`; here is what they mean: the request
//! bodies (`event`, `availability`, `suggestions`), the reading of answers, the zone names
//! Outlook takes (`zone`), and the one create flow (`flow`) that the CLI and the form share.

pub mod agenda;
pub mod availability;
pub mod event;
pub mod free_times;
pub mod hours;
pub mod invitation_fields;
pub mod invitee;
pub mod mailbox;
pub mod people;
pub mod recurrence;
pub mod suggestions;
pub mod zone;
pub mod zone_input;

pub use availability::{Availability, FreeBusy, PersonSchedule};
pub use event::{Event, EventRequest, event_view, new_transaction_id};
pub use invitee::{AttendeeType, Invitee, parse_invitees};
pub use people::{PersonMatch, Source};
pub use suggestions::{Suggestion, Suggestions};
pub use zone::OutlookZone;

/// "person" or "people", for "invitations sent to N …".
pub fn people(n: usize) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

/// A property by name in any case: the service's own samples vary it (`ScheduleId`,
/// `ConferenceId`), so every answer read here goes through this.
pub(crate) fn field<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    crate::graph::lenient::value(v, name)
}
