//! Who the Attendees field can complete to (GRAPH-SCHEDULING.md §5): people relevant to
//! the signed-in person (`/me/people`, People.Read), else the directory by name
//! (`/users?$filter=startswith(displayName,'…')`, User.ReadBasic.All), else nothing, and
//! the typed address is taken as it is.

use super::field;
use serde_json::Value;

/// Fewer characters than this ask nothing (§5: "require 2+ characters").
pub const MIN_QUERY_CHARS: usize = 2;
/// How many matches to ask for.
pub const TOP: u32 = 8;

/// Where the matches come from; decided by what the sign-in was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    People,
    Directory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMatch {
    /// Sanitized; the address when the service gave no name.
    pub name: String,
    /// The address to invite, sanitized.
    pub address: String,
    /// A personal contact outside the organization: can be invited, cannot get a role.
    pub external: bool,
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
            Some(matched(text(p, "displayName"), address, external))
        })
        .collect()
}

/// `/users` answers: `mail`, else `userPrincipalName`.
pub fn from_users(answer: &Value) -> Vec<PersonMatch> {
    values(answer)
        .filter_map(|u| {
            let address = text(u, "mail").or_else(|| text(u, "userPrincipalName"))?;
            let guest = text(u, "userType").is_some_and(|t| t.eq_ignore_ascii_case("Guest"));
            Some(matched(text(u, "displayName"), address, guest))
        })
        .collect()
}

fn matched(name: Option<String>, address: String, external: bool) -> PersonMatch {
    PersonMatch {
        name: name.unwrap_or_else(|| address.clone()),
        address,
        external,
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
        let users = json!({"value": [{"displayName": "\u{1b}[2JAlex", "mail": null, "userPrincipalName": "AlexW@contoso.com"}]});
        let u = from_users(&users);
        assert_eq!(u[0].address, "AlexW@contoso.com");
        assert!(!u[0].name.contains('\u{1b}'));
    }

    #[test]
    fn short_or_unsafe_queries() {
        assert_eq!(query("m"), None);
        assert_eq!(query(" me\"g& "), Some("meg".into()));
    }
}
