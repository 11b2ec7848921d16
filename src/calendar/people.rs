//! Who the Attendees field can complete to (GRAPH-SCHEDULING.md §5): people relevant to
//! the signed-in person (`/me/people`, People.Read), and where People knows nobody (it
//! knows only recent collaborators, and some accounts get 404: GRAPH-REAL.md Q23) the
//! directory (`/users?$search=…`, User.ReadBasic.All); else nothing, and the typed address
//! is taken as it is. Each match says where it came from.

use super::field;
use crate::graph::client::DirectoryUser;
use serde_json::Value;

/// Fewer characters than this ask nothing (§5: "require 2+ characters").
pub const MIN_QUERY_CHARS: usize = 2;
/// How many matches to ask for.
pub const TOP: u32 = 8;

/// Where matches come from: People (the people one works with) or the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    People,
    Directory,
}

impl Source {
    /// The tag the dropdown shows beside a name.
    pub fn label(self) -> &'static str {
        match self {
            Source::People => "recent",
            Source::Directory => "directory",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMatch {
    /// Sanitized; the address when the service gave no name.
    pub name: String,
    /// The address to invite, sanitized.
    pub address: String,
    /// From outside the organization (a personal contact, or a guest): can be invited.
    pub external: bool,
    /// Where the name came from.
    pub from: Source,
}

/// The text to search for, or None when it is too short to ask about. Quotes and
/// backslashes would end the quoted `$search` value; `&` has answered 400 (§5).
pub fn query(text: &str) -> Option<String> {
    let q: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '&') && !c.is_control())
        .collect();
    (q.chars().count() >= MIN_QUERY_CHARS).then_some(q)
}

/// `/me/people` answers: `scoredEmailAddresses[0]`, else `userPrincipalName`.
pub fn from_people(answer: &Value) -> Vec<PersonMatch> {
    values(answer)
        .filter_map(|p| {
            let address = text(p, "scoredEmailAddresses")
                .or_else(|| {
                    field(p, "scoredEmailAddresses")
                        .and_then(Value::as_array)
                        .and_then(|a| a.iter().find_map(|e| text(e, "address")))
                })
                .or_else(|| text(p, "userPrincipalName"))?;
            let external = field(p, "personType")
                .and_then(|t| text(t, "subclass"))
                .is_some_and(|s| !s.eq_ignore_ascii_case("OrganizationUser"));
            Some(matched(
                text(p, "displayName"),
                address,
                external,
                Source::People,
            ))
        })
        .collect()
}

/// Directory users: their `mail` (the address invitations go to), else their UPN. A
/// guest is told by the `#EXT#` UPN, never by `userType`, which reads null under
/// User.ReadBasic.All (GRAPH-REAL.md Q22).
pub fn from_directory(users: &[DirectoryUser]) -> Vec<PersonMatch> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(crate::sanitize::line)
            .filter(|s| !s.trim().is_empty())
    };
    users
        .iter()
        .filter_map(|u| {
            let address = clean(&u.mail).or_else(|| clean(&u.user_principal_name))?;
            Some(matched(
                clean(&u.display_name),
                address,
                u.is_guest(),
                Source::Directory,
            ))
        })
        .collect()
}

fn matched(name: Option<String>, address: String, external: bool, from: Source) -> PersonMatch {
    PersonMatch {
        name: name.unwrap_or_else(|| address.clone()),
        address,
        external,
        from,
    }
}

fn values(answer: &Value) -> impl Iterator<Item = &Value> {
    field(answer, "value")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn text(v: &Value, name: &str) -> Option<String> {
    field(v, name)
        .and_then(Value::as_str)
        .map(crate::sanitize::line)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn people_and_users_become_names_and_addresses() {
        let people = json!({"value": [
            {"displayName": "Megan Bowen", "scoredEmailAddresses": [{"address": "MeganB@contoso.com", "relevanceScore": 8}],
             "personType": {"class": "Person", "subclass": "OrganizationUser"}},
            {"displayName": "Samantha Booth", "userPrincipalName": "", "scoredEmailAddresses": [{"address": "samanthab@tailspintoys.com"}],
             "personType": {"class": "Person", "subclass": "PersonalContact"}},
            {"displayName": "No address"}
        ]});
        let m = from_people(&people);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].address, "MeganB@contoso.com");
        assert!(!m[0].external);
        assert!(m[1].external);
        assert_eq!(m[0].from, Source::People);
        let user = |name: &str, mail: Option<&str>, upn: &str| DirectoryUser {
            id: "x".into(),
            display_name: Some(name.into()),
            mail: mail.map(Into::into),
            user_principal_name: Some(upn.into()),
        };
        let u = from_directory(&[
            user("\u{1b}[2JAlex", None, "AlexW@contoso.com"),
            user(
                "Jordan",
                Some("jordan@fabrikam.com"),
                "jordan_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            ),
        ]);
        assert_eq!(u[0].address, "AlexW@contoso.com");
        assert!(!u[0].name.contains('\u{1b}'));
        assert!(!u[0].external);
        assert_eq!(u[0].from, Source::Directory);
        assert_eq!(u[1].address, "jordan@fabrikam.com");
        assert!(u[1].external, "a guest, by the #EXT# UPN");
    }

    #[test]
    fn short_or_unsafe_queries() {
        assert_eq!(query("m"), None);
        assert_eq!(query(" me\"g& "), Some("meg".into()));
    }
}
