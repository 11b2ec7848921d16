//! Attendee lookup (GRAPH-SCHEDULING §5): `/me/people` (fuzzy prefix match over names and
//! addresses, personal contacts included) and `/users` with `$search` (needs
//! `ConsistencyLevel: eventual`) or the basic `startswith` filter.

use super::answers::{Outcome, RequestIds, ok};
use super::calendar::Call;
use super::org::{Kind, PEOPLE, Person};
use super::state::Shared;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
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

fn query(uri: &Uri, name: &str) -> Option<String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

/// `"meg"` or `meg` → `meg`, lowercased.
fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').trim().to_lowercase()
}

pub(crate) fn people(call: &Call) -> Outcome {
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
    let value: Vec<Value> = PEOPLE
        .iter()
        .filter(|p| p.upn.to_ascii_lowercase() != me)
        .filter(|p| matches(p, &q))
        .skip(skip)
        .take(top)
        .enumerate()
        .map(|(i, p)| {
            let subclass = match p.kind {
                Kind::Member => "OrganizationUser",
                Kind::Guest => "Guest",
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
                "jobTitle": non_empty(p.job_title),
                "companyName": null,
                "yomiCompany": "",
                "department": non_empty(p.department),
                "officeLocation": non_empty(p.office),
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

fn non_empty(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { json!(s) }
}

fn unsupported(ctx: &RequestIds, message: impl Into<String>) -> super::answers::Reply {
    ctx.error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", message)
}

/// `$search="displayName:meg" OR "mail:meg"` → the clauses as (property, text).
fn search_clauses(s: &str) -> Vec<(Option<String>, String)> {
    s.split(" OR ")
        .map(|c| {
            let c = c.trim().trim_matches('"');
            match c.split_once(':') {
                Some((prop, text)) => (Some(prop.trim().to_string()), text.trim().to_lowercase()),
                None => (None, c.trim().to_lowercase()),
            }
        })
        .collect()
}

fn user_json(p: &Person) -> Value {
    json!({
        "businessPhones": [],
        "displayName": p.display_name,
        "givenName": non_empty(p.given_name),
        "id": p.id,
        "jobTitle": non_empty(p.job_title),
        "mail": p.mail,
        "mobilePhone": null,
        "officeLocation": non_empty(p.office),
        "preferredLanguage": if p.kind == Kind::Member { json!("en-US") } else { Value::Null },
        "surname": non_empty(p.surname),
        "userPrincipalName": p.upn,
    })
}

/// `GET /users`: the tenant's directory (members and guests; not mailbox contacts).
pub(crate) fn search_users(
    shared: &Shared,
    ctx: &RequestIds,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Outcome {
    if method != Method::GET {
        return Err(ctx.error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            format!("The HTTP method '{method}' is not supported for this resource."),
        ));
    }
    let eventual = headers
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"));
    let directory = PEOPLE.iter().filter(|p| p.kind != Kind::PersonalContact);
    let top: usize = query(uri, "$top")
        .and_then(|t| t.parse().ok())
        .unwrap_or(100);
    let found: Vec<&Person> = match (query(uri, "$search"), query(uri, "$filter")) {
        (Some(_), _) if !eventual => {
            return Err(unsupported(
                ctx,
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
            ));
        }
        (Some(s), _) => {
            let clauses = search_clauses(&s);
            directory
                .filter(|p| {
                    clauses.iter().any(|(prop, text)| match prop.as_deref() {
                        Some(pr) if pr.eq_ignore_ascii_case("displayName") => {
                            word_prefix(p.display_name, text)
                        }
                        Some(pr) if pr.eq_ignore_ascii_case("mail") => word_prefix(p.mail, text),
                        Some(pr) if pr.eq_ignore_ascii_case("userPrincipalName") => {
                            word_prefix(p.upn, text)
                        }
                        Some(_) => false,
                        None => matches(p, text),
                    })
                })
                .collect()
        }
        (None, Some(f)) => {
            // The basic filter that needs no advanced-query headers.
            let prefix = f
                .trim()
                .strip_prefix("startswith(")
                .and_then(|r| r.strip_suffix(')'))
                .and_then(|r| r.split_once(','))
                .filter(|(prop, _)| prop.trim().eq_ignore_ascii_case("displayName"))
                .and_then(|(_, v)| {
                    v.trim()
                        .strip_prefix('\'')?
                        .strip_suffix('\'')
                        .map(str::to_lowercase)
                });
            let Some(prefix) = prefix else {
                let prop = f
                    .trim()
                    .trim_start_matches("startswith(")
                    .split([',', ' '])
                    .next()
                    .unwrap_or("")
                    .to_string();
                return Err(unsupported(
                    ctx,
                    format!(
                        "Unsupported or invalid query filter clause specified for property '{prop}' of resource 'User'."
                    ),
                ));
            };
            directory
                .filter(|p| p.display_name.to_lowercase().starts_with(&prefix))
                .collect()
        }
        (None, None) => directory.collect(),
    };
    let value: Vec<Value> = found.iter().take(top).map(|p| user_json(p)).collect();
    let mut out = json!({
        "@odata.context": format!("{}v1.0/$metadata#users", shared.base),
        "value": value,
    });
    if eventual && query(uri, "$count").is_some_and(|c| c == "true") {
        out["@odata.count"] = json!(found.len());
    }
    Ok(ok(StatusCode::OK, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_word_starts_only() {
        assert!(word_prefix("Megan Bowen", "bow"));
        assert!(word_prefix("MeganB@contoso.onmicrosoft.com", "contoso"));
        assert!(!word_prefix("Megan Bowen", "owen"));
        assert_eq!(
            search_clauses("\"displayName:meg\" OR \"mail:lee\""),
            vec![
                (Some("displayName".into()), "meg".into()),
                (Some("mail".into()), "lee".into())
            ]
        );
    }
}
