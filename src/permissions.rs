//! Permissions: what each feature needs, in one table, and the words that ask for it.
//! A permission is asked for when a feature first needs it, and only when the sign-in
//! really lacks it (DESIGN.md rule 11).

/// Creating, reading and cancelling events (PERMS: least privileged for all three).
pub const EVENTS_SCOPE: &str = "Calendars.ReadWrite";
/// Free/busy and suggestions for other people's calendars. getSchedule also takes
/// Calendars.ReadWrite; findMeetingTimes does not.
pub const SHARED_SCOPE: &str = "Calendars.Read.Shared";
/// Completing names from the people one works with.
pub const PEOPLE_SCOPE: &str = "People.Read";
/// `/users/{id|upn}` for attendees (GRAPH-SCHEDULING.md §5, §7).
pub const DIRECTORY_SCOPE: &str = "User.ReadBasic.All";
/// Attendance reports of the meetings one organized (GRAPH-NEXT §7.1; user-consentable).
pub const ATTENDANCE_SCOPE: &str = "OnlineMeetingArtifact.Read.All";
/// The mailbox's zone and working hours (GRAPH-NEXT §6.1; user-consentable). Never asked
/// for on its own: used when granted (`tmeet login --scope MailboxSettings.Read`), and
/// getSchedule's working hours stand in without it.
pub const MAILBOX_SETTINGS_SCOPE: &str = "MailboxSettings.Read";
/// Any one of these lets tmeet read the mailbox's settings.
pub const MAILBOX_SETTINGS_ACCEPTED: &[&str] =
    &[MAILBOX_SETTINGS_SCOPE, "MailboxSettings.ReadWrite"];

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
    /// Look attendees up in the directory (a standalone meeting lists people by id).
    Attendees,
    /// Read the calendar's meetings and answer invitations (the agenda).
    Agenda,
    /// Read who attended a meeting one organized.
    Attendance,
}

impl Feature {
    /// The permission to ask for.
    pub fn scope(self) -> &'static str {
        match self {
            Feature::Invite => EVENTS_SCOPE,
            Feature::FreeBusy | Feature::FindTime => SHARED_SCOPE,
            Feature::Complete => PEOPLE_SCOPE,
            Feature::Attendees => DIRECTORY_SCOPE,
            Feature::Agenda => EVENTS_SCOPE,
            Feature::Attendance => ATTENDANCE_SCOPE,
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
            Feature::Attendees => &[DIRECTORY_SCOPE, "User.Read.All", "Directory.Read.All"],
            Feature::Agenda => &[EVENTS_SCOPE],
            Feature::Attendance => &[ATTENDANCE_SCOPE],
        }
    }

    /// Why, in the words the consent prompt uses: "… needs permission to {why}".
    pub fn why(self) -> &'static str {
        match self {
            Feature::Invite => "put the meeting on your calendar and send the invitations",
            Feature::FreeBusy => "see when people are free",
            Feature::FindTime => "find a time when everyone is free",
            Feature::Complete => "suggest people as you type their names",
            Feature::Attendees => "look attendees up in the directory",
            Feature::Agenda => "read your calendar and answer invitations",
            Feature::Attendance => "read who attended the meetings you organized",
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
