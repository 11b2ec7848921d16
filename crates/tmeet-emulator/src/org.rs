//! The organization the calendar side knows: who has a mailbox (and so a calendar, free/busy
//! and a place in people search). Keyed by UPN, the address getSchedule and attendees use.
//! The demo user (the organizer) is the first entry; the rest are Microsoft's Contoso demo
//! personas, plus one guest and personal contacts that exist only in the organizer's
//! mailbox (people search finds them; getSchedule cannot resolve them).

use super::state::{DEMO_USER_ID, DEMO_USER_NAME, DEMO_USER_UPN};

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
    pub job_title: &'static str,
    pub department: &'static str,
    pub office: &'static str,
    /// Working hours are 08:00–17:00, Monday to Friday, in this Windows zone, or in the
    /// organization's zone (an emulator option) when None.
    pub zone: Option<&'static str>,
    pub kind: Kind,
}

const fn member(
    id: &'static str,
    names: (&'static str, &'static str, &'static str),
    upn: &'static str,
    job: (&'static str, &'static str, &'static str),
    zone: Option<&'static str>,
) -> Person {
    Person {
        id,
        display_name: names.0,
        given_name: names.1,
        surname: names.2,
        upn,
        mail: upn,
        job_title: job.0,
        department: job.1,
        office: job.2,
        zone,
        kind: Kind::Member,
    }
}

pub(crate) const PEOPLE: &[Person] = &[
    member(
        DEMO_USER_ID,
        (DEMO_USER_NAME, "Adele", "Vance"),
        DEMO_USER_UPN,
        ("Retail Manager", "Retail", "18/2111"),
        None,
    ),
    member(
        "5e4b2c1d-0a9f-4e8b-b7c6-1d2e3f4a5b61",
        ("Megan Bowen", "Megan", "Bowen"),
        "MeganB@contoso.onmicrosoft.com",
        ("Marketing Manager", "Marketing", "12/1110"),
        None,
    ),
    member(
        "6f5c3d2e-1b0a-4f9c-a8d7-2e3f4a5b6c72",
        ("Lee Gu", "Lee", "Gu"),
        "LeeG@contoso.onmicrosoft.com",
        ("Director", "Manufacturing", "23/3101"),
        None,
    ),
    member(
        "7a6d4e3f-2c1b-4a0d-b9e8-3f4a5b6c7d83",
        ("Nestor Wilke", "Nestor", "Wilke"),
        "NestorW@contoso.onmicrosoft.com",
        ("Director", "Operations", "36/2121"),
        None,
    ),
    member(
        "8b7e5f4a-3d2c-4b1e-8a9f-4a5b6c7d8e94",
        ("Alex Wilber", "Alex", "Wilber"),
        "AlexW@contoso.onmicrosoft.com",
        ("Marketing Assistant", "Marketing", "131/1104"),
        None,
    ),
    member(
        "9c8f6a5b-4e3d-4c2f-9b0a-5b6c7d8e9fa5",
        ("Johanna Lorenz", "Johanna", "Lorenz"),
        "JohannaL@contoso.onmicrosoft.com",
        ("Senior Engineer", "Engineering", "Tokyo"),
        Some("Tokyo Standard Time"),
    ),
    Person {
        id: "ad9a7b6c-5f4e-4d3a-8c1b-6c7d8e9fa0b6",
        display_name: "Jacob Cole (Tailspin Toys)",
        given_name: "Jacob",
        surname: "Cole",
        upn: "jacobc_tailspintoys.com#EXT#@contoso.onmicrosoft.com",
        mail: "jacobc@tailspintoys.com",
        job_title: "",
        department: "",
        office: "",
        zone: None,
        kind: Kind::Guest,
    },
    Person {
        id: "c0ffee00-0000-4000-8000-00000000ca01",
        display_name: "Samantha Booth",
        given_name: "Samantha",
        surname: "Booth",
        upn: "",
        mail: "samanthab@fabrikam.com",
        job_title: "",
        department: "",
        office: "",
        zone: None,
        kind: Kind::PersonalContact,
    },
];

/// Whoever an address names: UPN or mail, case-insensitively. Guests and personal
/// contacts are found too; callers decide what they may do with them.
pub(crate) fn find(address: &str) -> Option<&'static Person> {
    let a = address.trim();
    PEOPLE.iter().find(|p| {
        (!p.upn.is_empty() && p.upn.eq_ignore_ascii_case(a)) || p.mail.eq_ignore_ascii_case(a)
    })
}

/// A person with a mailbox in this tenant (what getSchedule and findMeetingTimes resolve).
pub(crate) fn mailbox(address: &str) -> Option<&'static Person> {
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

/// The seeded colleagues: every mailbox but the organizer's.
pub(crate) fn colleagues() -> impl Iterator<Item = &'static Person> {
    PEOPLE
        .iter()
        .filter(|p| p.kind == Kind::Member && p.id != DEMO_USER_ID)
}
