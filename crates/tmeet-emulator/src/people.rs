//! Attendee lookup (GRAPH-SCHEDULING §5): `/me/people`, a fuzzy prefix match over names
//! and addresses, personal contacts included. People knows only whom the organizer works
//! with (GRAPH-REAL.md Q23): a newcomer in the directory is not there, and with the
//! `people=404` mode the account has no People at all. `/users` search is `directory.rs`.

use super::answers::{Outcome, ok};
use super::calendar::Call;
use super::org::{Kind, Person};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Whether some word of `text` (split at spaces, dots, `@`, `_`, `-`) starts with `q`.
fn word_prefix(text: &str, q: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '.' | '@' | '_' | '-' | '(' | ')'))
        .any(|w| w.to_lowercase().starts_with(q))
}

fn matches(p: &Person, q: &str) -> bool {
    q.is_empty()
        || [p.display_name, p.given_name, p.surname, p.mail, p.upn]
            .iter()
            .any(|t| word_prefix(t, q) || t.to_lowercase().starts_with(q))
}

/// `"meg"` or `meg` → `meg`, lowercased.
fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').trim().to_lowercase()
}

pub(crate) fn people(call: &Call) -> Outcome {
    if call.shared.lock().directory.people_not_found {
        return Err(call.ctx.error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "Resource could not be discovered.",
        ));
    }
    let q = call
        .query("$search")
        .map(|s| unquote(&s))
        .unwrap_or_default();
    let top: usize = call
        .query("$top")
        .and_then(|t| t.parse().ok())
        .unwrap_or(10);
    let skip: usize = call
        .query("$skip")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let me = call.user.upn.to_ascii_lowercase();
    let value: Vec<Value> = super::org::people()
        .filter(|p| p.upn.to_ascii_lowercase() != me && p.recent)
        .filter(|p| matches(p, &q))
        .skip(skip)
        .take(top)
        .enumerate()
        .map(|(i, p)| {
            // A guest is a directory user too; the People API has no subclass of its own
            // for one.
            let subclass = match p.kind {
                Kind::Member | Kind::Guest => "OrganizationUser",
                Kind::PersonalContact => "PersonalContact",
            };
            json!({
                "id": p.id,
                "displayName": p.display_name,
                "givenName": p.given_name,
                "surname": p.surname,
                "birthday": "",
                "personNotes": "",
                "isFavorite": false,
                "jobTitle": p.job_title,
                "companyName": null,
                "yomiCompany": "",
                "department": p.department,
                "officeLocation": p.office,
                "profession": "",
                "userPrincipalName": p.upn,
                "imAddress": if p.kind == Kind::Member { json!(format!("sip:{}", p.upn.to_lowercase())) } else { Value::Null },
                "scoredEmailAddresses": [{
                    "address": p.mail,
                    "relevanceScore": 20.0 - i as f64,
                    "selectionLikelihood": "notSpecified",
                }],
                "phones": [],
                "postalAddresses": [],
                "websites": [],
                "personType": {"class": "Person", "subclass": subclass},
            })
        })
        .collect();
    Ok(ok(
        StatusCode::OK,
        json!({"@odata.context": call.context("/people"), "value": value}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_word_starts_only() {
        assert!(word_prefix("Megan Bowen", "bow"));
        assert!(word_prefix("MeganB@contoso.onmicrosoft.com", "contoso"));
        assert!(!word_prefix("Megan Bowen", "owen"));
    }
}
