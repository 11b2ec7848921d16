//! Attendees of a standalone meeting (GRAPH-SCHEDULING.md §2): who, and with what role.
//! They are recorded on the meeting, not invited: a standalone meeting sends no mail.
//!
//! What a person types is an address (their mail, an alias, a UPN, a guest's invited
//! address) or an object id, optionally with a role (`ada@contoso.com:presenter`). Turning
//! it into the object id and UPN the service needs is `services::people::look_up` (the
//! UPN, then the mail, then the proxy addresses); this module only reads and checks the
//! list.

use std::fmt;

/// `onlineMeetingRole` members a person may give. `producer` is for live events only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    #[default]
    Attendee,
    Presenter,
    Coorganizer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Attendee, Role::Presenter, Role::Coorganizer];

    /// Spelling on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Role::Attendee => "attendee",
            Role::Presenter => "presenter",
            Role::Coorganizer => "coorganizer",
        }
    }

    /// The `onlineMeetingRole` member.
    pub fn graph(self) -> &'static str {
        match self {
            Role::Attendee => "attendee",
            Role::Presenter => "presenter",
            Role::Coorganizer => "coorganizer",
        }
    }

    /// Reads a role as the command line or the service spells it.
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| {
            r.name().eq_ignore_ascii_case(s)
                || r.graph().eq_ignore_ascii_case(s)
                || (*r == Role::Coorganizer && s.eq_ignore_ascii_case("co-organizer"))
        })
    }

    /// The next role, for a cycling marker in the form.
    pub fn next(self) -> Role {
        match self {
            Role::Attendee => Role::Presenter,
            Role::Presenter => Role::Coorganizer,
            Role::Coorganizer => Role::Attendee,
        }
    }

    /// Roles that need the person to be in the organization's directory.
    pub fn needs_member(self) -> bool {
        self != Role::Attendee
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One attendee as typed: an address or UPN (has `@`) or an object id, and a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub who: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttendeeError {
    #[error(
        "an attendee is empty; write an email address, a UPN or an object id, e.g. ada@contoso.com"
    )]
    Empty,
    #[error(
        "'{0}' is not a role; use attendee, presenter or coorganizer (e.g. ada@contoso.com:presenter)"
    )]
    UnknownRole(String),
    #[error("'{0}' is neither an address or UPN (name@domain) nor an object id (a GUID)")]
    NotAPerson(String),
    #[error("{0} is listed twice")]
    Duplicate(String),
    #[error(
        "presenters are set to \"specific people\" (roleIsPresenter) but no attendee is a presenter; add one with :presenter"
    )]
    NoPresenter,
}

impl Attendee {
    /// `ada@contoso.com`, `ada@contoso.com:presenter`, `8b081ef6-…:coorganizer`.
    pub fn parse(input: &str) -> Result<Attendee, AttendeeError> {
        let input = input.trim();
        let (who, role) = match input.rsplit_once(':') {
            Some((who, role)) => (
                who.trim(),
                Role::parse(role).ok_or_else(|| AttendeeError::UnknownRole(role.to_string()))?,
            ),
            None => (input, Role::Attendee),
        };
        if who.is_empty() {
            return Err(AttendeeError::Empty);
        }
        if !(is_upn(who) || is_object_id(who)) {
            return Err(AttendeeError::NotAPerson(who.to_string()));
        }
        Ok(Attendee {
            who: who.to_string(),
            role,
        })
    }

    pub fn is_upn(&self) -> bool {
        is_upn(&self.who)
    }
}

impl fmt::Display for Attendee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.role {
            Role::Attendee => f.write_str(&self.who),
            role => write!(f, "{}:{role}", self.who),
        }
    }
}

/// What separates people in a typed list: a comma, or a semicolon as Outlook writes it.
pub const SEPARATORS: [char; 2] = [',', ';'];

/// The entries of a typed list, blanks included, as every reader of the list splits it.
pub fn split(input: &str) -> std::str::Split<'_, [char; 2]> {
    input.split(SEPARATORS)
}

/// The entry the cursor (a character index) is in or at the end of: its character range
/// in `input`, separators excluded. A cursor right after a separator is in the next one.
pub fn entry_at(input: &str, cursor: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for part in split(input) {
        let end = start + part.chars().count();
        if cursor <= end {
            return Some(start..end);
        }
        start = end + 1;
    }
    None
}

/// A list of people separated by commas or semicolons, as the form's field holds it;
/// blanks between separators are skipped.
pub fn parse_list(input: &str) -> Result<Vec<Attendee>, AttendeeError> {
    let mut out: Vec<Attendee> = Vec::new();
    for part in split(input).filter(|p| !p.trim().is_empty()) {
        let a = Attendee::parse(part)?;
        if out.iter().any(|b| b.who.eq_ignore_ascii_case(&a.who)) {
            return Err(AttendeeError::Duplicate(a.who));
        }
        out.push(a);
    }
    Ok(out)
}

/// `allowedPresenters: roleIsPresenter` lets only presenters (and organizers) present;
/// without one, nobody but the organizer could, which is never what was meant.
pub fn check_presenters(
    attendees: &[Attendee],
    role_is_presenter: bool,
) -> Result<(), AttendeeError> {
    if role_is_presenter
        && !attendees
            .iter()
            .any(|a| matches!(a.role, Role::Presenter | Role::Coorganizer))
    {
        return Err(AttendeeError::NoPresenter);
    }
    Ok(())
}

pub(crate) fn is_upn(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn is_object_id(s: &str) -> bool {
    uuid_like(s)
}

/// 8-4-4-4-12 hex digits: the form of an Entra object id.
fn uuid_like(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_people_and_roles() {
        let list = parse_list(
            " ada@contoso.com, bob@contoso.com:presenter ;8b081ef6-4792-4def-b2c9-c363a1bf41d5:co-organizer,",
        )
        .unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].role, Role::Attendee);
        assert_eq!(list[1].role, Role::Presenter);
        assert_eq!(list[2].role, Role::Coorganizer);
        assert!(!list[2].is_upn());
        assert_eq!(list[1].to_string(), "bob@contoso.com:presenter");
    }

    #[test]
    fn refuses_what_is_not_a_person_or_role() {
        assert_eq!(
            Attendee::parse("ada@contoso.com:boss"),
            Err(AttendeeError::UnknownRole("boss".into()))
        );
        assert!(matches!(
            Attendee::parse("ada"),
            Err(AttendeeError::NotAPerson(_))
        ));
        assert!(matches!(
            parse_list("a@x.com, A@X.com:presenter"),
            Err(AttendeeError::Duplicate(_))
        ));
    }

    #[test]
    fn role_is_presenter_needs_a_presenter() {
        let list = parse_list("a@x.com").unwrap();
        assert_eq!(
            check_presenters(&list, true),
            Err(AttendeeError::NoPresenter)
        );
        assert!(check_presenters(&list, false).is_ok());
        let list = parse_list("a@x.com:coorganizer").unwrap();
        assert!(check_presenters(&list, true).is_ok());
    }
}
