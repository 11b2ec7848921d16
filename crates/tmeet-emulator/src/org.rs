//! The people the calendar side knows: the seeded directory (`directory.rs`) — every
//! member has a mailbox, a calendar and working hours — plus personal contacts that exist
//! only in the organizer's mailbox (people search finds them; getSchedule cannot resolve
//! them). Calendars are keyed by lowercased UPN, the address getSchedule and attendees use.
//!
//! Most people work 08:00–17:00, Monday to Friday, in the organization's zone (an emulator
//! option). Three do not, so that planning across zones has something to show: Nestor
//! works from Tokyo, Patti from New York, and Lee works a four-day week.

use super::directory::{self, DirectoryUser, UserType};
use super::state::DEMO_USER_ID;
use chrono::Weekday;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Member,
    Guest,
    /// A contact in the organizer's mailbox; not in the directory.
    PersonalContact,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Person {
    pub id: &'static str,
    pub display_name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub upn: &'static str,
    pub mail: &'static str,
    pub job_title: Option<&'static str>,
    pub department: Option<&'static str>,
    pub office: Option<&'static str>,
    /// When and where the person works (their mailbox's `workingHours`).
    pub hours: Hours,
    pub kind: Kind,
    /// People (`/me/people`) knows them: someone the organizer works with, or one of the
    /// organizer's contacts. A newcomer is only in the directory.
    pub recent: bool,
}

/// A person's working hours as their mailbox settings hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hours {
    /// A Windows zone, or the organization's zone (an emulator option) when None.
    pub zone: Option<&'static str>,
    pub days: &'static [Weekday],
    /// Hour and minute, in `zone`.
    pub start: (u32, u32),
    pub end: (u32, u32),
}

const WEEK: &[Weekday] = &[
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Outlook's default: 08:00–17:00, Monday to Friday, in the organization's zone.
pub(crate) const DEFAULT_HOURS: Hours = Hours {
    zone: None,
    days: WEEK,
    start: (8, 0),
    end: (17, 0),
};

/// Colleagues who work elsewhere or otherwise, so that finding a time for everyone is
/// sometimes hard.
const HOURS: &[(&str, Hours)] = &[
    (
        "NestorW@contoso.onmicrosoft.com",
        Hours {
            zone: Some("Tokyo Standard Time"),
            days: WEEK,
            start: (9, 0),
            end: (18, 0),
        },
    ),
    (
        "PattiF@contoso.onmicrosoft.com",
        Hours {
            zone: Some("Eastern Standard Time"),
            days: WEEK,
            start: (9, 0),
            end: (17, 30),
        },
    ),
    (
        "LeeG@contoso.onmicrosoft.com",
        Hours {
            zone: None,
            days: &[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu],
            start: (8, 0),
            end: (18, 0),
        },
    ),
];

/// The organizer's personal contacts (the documentation's example of an external contact).
const CONTACTS: &[Person] = &[Person {
    id: "c0ffee00-0000-4000-8000-00000000ca01",
    display_name: "Samantha Booth",
    given_name: "Samantha",
    surname: "Booth",
    upn: "",
    mail: "samanthab@tailspintoys.com",
    job_title: None,
    department: None,
    office: None,
    hours: DEFAULT_HOURS,
    kind: Kind::PersonalContact,
    recent: true,
}];

fn from_directory(u: &'static DirectoryUser) -> Person {
    Person {
        id: u.id,
        display_name: u.display_name,
        given_name: u.given_name,
        surname: u.surname,
        upn: u.user_principal_name,
        mail: u.mail,
        job_title: u.job_title,
        department: u.department,
        office: u.office_location,
        hours: HOURS
            .iter()
            .find(|(upn, _)| upn.eq_ignore_ascii_case(u.user_principal_name))
            .map_or(DEFAULT_HOURS, |(_, h)| *h),
        kind: match u.user_type {
            UserType::Member => Kind::Member,
            UserType::Guest => Kind::Guest,
        },
        recent: u.works_with_organizer,
    }
}

/// The directory (the signed-in user first), then the personal contacts.
pub(crate) fn people() -> impl Iterator<Item = Person> {
    directory::directory()
        .iter()
        .map(from_directory)
        .chain(CONTACTS.iter().copied())
}

/// Whoever an address or object id names, case-insensitively (UPN, mail or id: the
/// mailbox side resolves SMTP addresses, unlike `/users/{x}`). Guests and personal
/// contacts are found too; callers decide what they may do with them.
pub(crate) fn find(address: &str) -> Option<Person> {
    let a = address.trim();
    people().find(|p| {
        (!p.upn.is_empty() && p.upn.eq_ignore_ascii_case(a))
            || p.mail.eq_ignore_ascii_case(a)
            || p.id.eq_ignore_ascii_case(a)
    })
}

/// A person with a mailbox in this tenant (what getSchedule and findMeetingTimes resolve).
pub(crate) fn mailbox(address: &str) -> Option<Person> {
    find(address).filter(|p| p.kind == Kind::Member)
}

/// The calendar key of an address: its lowercased UPN when it is a mailbox.
pub(crate) fn key(address: &str) -> String {
    mailbox(address)
        .map(|p| p.upn)
        .unwrap_or(address)
        .trim()
        .to_ascii_lowercase()
}

/// The seeded colleagues: every mailbox but the organizer's of someone the organizer
/// works with (a newcomer's calendar is empty).
pub(crate) fn colleagues() -> impl Iterator<Item = Person> {
    people().filter(|p| p.kind == Kind::Member && p.id != DEMO_USER_ID && p.recent)
}
