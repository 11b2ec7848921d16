//! People as they are typed, and people as they are searched for: the one place that turns
//! an address into a directory user (for standalone attendees, the form's invitees and
//! completion alike), and the search behind the Attendees completion.
//!
//! `GET /users/{x}` knows only object ids and UPNs (GRAPH-REAL.md Q21): wherever a person's
//! mail differs from their UPN, and for every guest, the address people type answers 404.
//! So a 404 there is not "unknown" yet: the address is then looked up by `mail`, then among
//! `proxyAddresses` (which also holds a renamed person's old address). Only someone none
//! of these find is unknown, and what was tried is kept to say so.

use crate::calendar::people::{self, PersonMatch};
use crate::graph::client::{DirectoryUser, GraphClient};
use crate::graph::error::{ErrorKind, GraphError};
use crate::permissions::Feature;

/// How a person was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// `GET /users/{x}`: x is their object id or UPN.
    IdOrUpn,
    /// `$filter=mail eq '…'`.
    Mail,
    /// `$filter=proxyAddresses/any(…)`: an alias or a former address.
    ProxyAddress,
}

/// The ways of looking an address up, in the order they are tried; each says in words
/// what it tried.
const STEPS: [(FoundBy, &str); 3] = [
    (FoundBy::IdOrUpn, "as a UPN or object id"),
    (FoundBy::Mail, "by mail address"),
    (FoundBy::ProxyAddress, "among proxy addresses"),
];

/// What a look-up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found {
        user: DirectoryUser,
        by: FoundBy,
    },
    /// Nobody; `tried` says how it was looked for, in words.
    NotFound {
        tried: String,
    },
}

/// Looks `typed` (an object id, a UPN or a mail address) up in the directory. An object
/// id is only asked for as one; an address goes on to `mail` and `proxyAddresses` when
/// the UPN look-up answers 404. Any other failure (403, throttling…) is returned as it is.
pub async fn look_up(client: &GraphClient, typed: &str) -> Result<Lookup, GraphError> {
    let typed = typed.trim();
    let mut tried = Vec::new();
    for (by, words) in STEPS {
        if by != FoundBy::IdOrUpn && !typed.contains('@') {
            break;
        }
        tried.push(words);
        let found = match by {
            FoundBy::IdOrUpn => match client.get_user(typed).await {
                Ok(u) => Some(u),
                Err(e) if e.status == Some(404) => None,
                Err(e) => return Err(e),
            },
            FoundBy::Mail => client.users_by_mail(typed).await?.into_iter().next(),
            FoundBy::ProxyAddress => client
                .users_by_proxy_address(typed)
                .await?
                .into_iter()
                .next(),
        };
        if let Some(user) = found {
            return Ok(Lookup::Found { user, by });
        }
    }
    Ok(Lookup::NotFound {
        tried: join_words(&tried),
    })
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why a search found nothing to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleError {
    /// The sign-in lacks the permission `feature` needs; asking for it cures this.
    Consent(Feature),
    Graph(GraphError),
}

impl std::fmt::Display for PeopleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeopleError::Consent(feature) => f.write_str(&feature.consent_message()),
            PeopleError::Graph(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PeopleError {}

/// What the sign-in allows completion to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    /// People.Read: `/me/people`.
    pub people: bool,
    /// User.ReadBasic.All (or more): `/users`.
    pub directory: bool,
}

/// People matching `text`: People first; where it answers 404 or knows nobody, the
/// directory's search; and where that finds nobody either and the text is a whole
/// address, the address looked up as [`look_up`] does (a renamed person's old address,
/// an alias). An empty list for a query too short to ask.
pub async fn find_people(
    client: &GraphClient,
    text: &str,
    sources: Sources,
) -> Result<Vec<PersonMatch>, PeopleError> {
    let Some(q) = people::query(text) else {
        return Ok(Vec::new());
    };
    let mut people_missing = false;
    if sources.people {
        match client.search_people(&q, people::TOP).await {
            Ok(a) => {
                let found = people::from_people(&a.value);
                if !found.is_empty() {
                    return Ok(found);
                }
            }
            // Some accounts have no People at all (GRAPH-REAL.md Q23).
            Err(e) if e.status == Some(404) => people_missing = true,
            Err(e) => return Err(refusal(e, Feature::Complete)),
        }
    }
    if !sources.directory {
        if people_missing {
            // Without People, only the directory could complete names.
            return Err(PeopleError::Consent(Feature::Attendees));
        }
        return Ok(Vec::new());
    }
    let found = client
        .search_directory(&q, people::TOP)
        .await
        .map_err(|e| refusal(e, Feature::Attendees))?;
    let found = people::from_directory(&found);
    if !found.is_empty() || !crate::calendar::invitee::is_address(text.trim()) {
        return Ok(found);
    }
    match look_up(client, text).await {
        Ok(Lookup::Found { user, .. }) => Ok(people::from_directory(&[user])),
        Ok(Lookup::NotFound { .. }) => Ok(Vec::new()),
        Err(e) => Err(refusal(e, Feature::Attendees)),
    }
}

/// A refusal that signing in with `feature`'s permission cures is asked for as consent;
/// anything else is the service's error as it is. App-only credentials cannot consent.
fn refusal(e: GraphError, feature: Feature) -> PeopleError {
    let consent = e.status == Some(403)
        || (e.kind == ErrorKind::Auth
            && (e.message.contains("65001") || e.message.contains("consent_required")));
    if consent && !e.app_only {
        PeopleError::Consent(feature)
    } else {
        PeopleError::Graph(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_tried_reads_as_a_list() {
        assert_eq!(join_words(&["a"]), "a");
        assert_eq!(join_words(&["a", "b"]), "a and b");
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }
}
