//! The directory (`/users`): every call tmeet makes about people in the organization
//! (GRAPH-SCHEDULING.md §5, GRAPH-REAL.md Q5, Q21–Q24).
//!
//! `GET /users/{x}` takes only an object id or a UPN: a person whose mail differs from
//! their UPN (after a rename) and every guest (`…#EXT#@tenant.onmicrosoft.com`) answer 404
//! there when asked for by the address people type. They are found by `mail`, then by
//! `proxyAddresses`, whose lambda filter is an advanced query: it needs the
//! `ConsistencyLevel: eventual` header and `$count=true`, or the service answers
//! 400 `Request_UnsupportedQuery`.

use super::{Extra, GraphClient, Reply, Target};
use crate::cloud;
use crate::graph::error::{ErrorKind, GraphError};
use reqwest::Method;
use serde_json::Value;

/// What each look-up selects. Not `userType`: it reads null under User.ReadBasic.All
/// (GRAPH-REAL.md Q22), so nothing may depend on it.
const SELECT: &str = "id,userPrincipalName,displayName,mail";

/// A person in the directory, as `/users` answers (only the fields asked for).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
}

impl DirectoryUser {
    /// A guest's UPN is the invited address rewritten into the tenant's domain with
    /// `#EXT#`; that, not `userType`, is what every permission can read.
    pub fn is_guest(&self) -> bool {
        self.user_principal_name
            .as_deref()
            .is_some_and(|u| u.to_ascii_uppercase().contains("#EXT#@"))
    }
}

/// An OData string literal: the quote doubled, as `$filter` escapes it.
fn odata_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `mail eq '…'`.
fn mail_filter(address: &str) -> String {
    format!("mail eq {}", odata_string(address))
}

/// `proxyAddresses/any(p:p eq 'smtp:…')`. The prefix is matched without regard to case,
/// so the primary (`SMTP:`) and the aliases (`smtp:`) are both found.
fn proxy_address_filter(address: &str) -> String {
    format!(
        "proxyAddresses/any(p:p eq {})",
        odata_string(&format!("smtp:{address}"))
    )
}

/// The `$search` of a directory search: `"displayName:…" OR "mail:…"`. Inside the quoted
/// clause `"` and `\` are escaped; `&` has answered 400 (Q24), so it is left out.
fn search_clause(text: &str) -> String {
    let q: String = text
        .chars()
        .filter(|c| *c != '&' && !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("\"displayName:{q}\" OR \"mail:{q}\"")
}

impl GraphClient {
    /// `GET /users/{id or upn}`: the object id, the UPN, the name and the mail. Needs
    /// `User.ReadBasic.All` (one's own entry: `User.Read`).
    pub async fn get_user(&self, who: &str) -> Result<DirectoryUser, GraphError> {
        let mut url = cloud::join(&self.inner.base, &["users", who]);
        url.query_pairs_mut().append_pair("$select", SELECT);
        let reply = self.send(Method::GET, url, None, None, &|_| {}).await?;
        let user: DirectoryUser = serde_json::from_slice(&reply.body)
            .map_err(|e| not_users(&reply, &format!("it is not a user: {e}")))?;
        if user.id.trim().is_empty() {
            return Err(not_users(&reply, "it is a user without an id"));
        }
        Ok(user)
    }

    /// `GET /users?$filter=mail eq '…'` (a basic filter: no advanced-query headers).
    pub async fn users_by_mail(&self, address: &str) -> Result<Vec<DirectoryUser>, GraphError> {
        self.list_users(&[("$filter", mail_filter(address))], false)
            .await
    }

    /// `GET /users?$filter=proxyAddresses/any(p:p eq 'smtp:…')&$count=true` with
    /// `ConsistencyLevel: eventual`: an advanced query, refused without both.
    pub async fn users_by_proxy_address(
        &self,
        address: &str,
    ) -> Result<Vec<DirectoryUser>, GraphError> {
        self.list_users(
            &[
                ("$filter", proxy_address_filter(address)),
                ("$count", "true".into()),
            ],
            true,
        )
        .await
    }

    /// `GET /users?$search="displayName:…" OR "mail:…"` with `ConsistencyLevel: eventual`
    /// (word-prefix matching, §5): names and addresses alike, guests included.
    pub async fn search_directory(
        &self,
        text: &str,
        top: u32,
    ) -> Result<Vec<DirectoryUser>, GraphError> {
        self.list_users(
            &[("$search", search_clause(text)), ("$top", top.to_string())],
            true,
        )
        .await
    }

    /// The object id `/users/{id}/onlineMeetings` needs (Q5: a UPN there answers 404),
    /// for `--user`, asked once per client and kept: every clone shares the answer.
    pub(super) async fn meetings_owner(&self, target: &Target) -> Result<String, GraphError> {
        let Target::User(user) = target else {
            return Ok(String::new());
        };
        if !user.contains('@') {
            return Ok(user.clone());
        }
        let key = user.to_lowercase();
        if let Some(id) = self.cached_user_id(&key) {
            return Ok(id);
        }
        let mut url = cloud::join(&self.inner.base, &["users", user]);
        url.query_pairs_mut().append_pair("$select", "id");
        let reply = match self.send(Method::GET, url, None, None, &|_| {}).await {
            Ok(r) => r,
            Err(e) => return Err(owner_refused(user, e)),
        };
        let id = serde_json::from_slice::<Value>(&reply.body)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| not_users(&reply, "it has no id"))?;
        tracing::info!("--user resolved from its UPN to the object id");
        self.inner
            .user_ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, id.clone());
        Ok(id)
    }

    fn cached_user_id(&self, key: &str) -> Option<String> {
        self.inner
            .user_ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    async fn list_users(
        &self,
        query: &[(&str, String)],
        advanced: bool,
    ) -> Result<Vec<DirectoryUser>, GraphError> {
        let mut url = cloud::join(&self.inner.base, &["users"]);
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("$select", SELECT);
        }
        let extra = Extra {
            prefer: None,
            consistency_level: advanced.then_some("eventual"),
        };
        let reply = self
            .send_with(Method::GET, url, None, None, &extra, &|_| {})
            .await?;
        let list: Value = serde_json::from_slice(&reply.body)
            .map_err(|e| not_users(&reply, &format!("it is not JSON ({e})")))?;
        let Some(Value::Array(items)) = list.get("value") else {
            return Err(not_users(&reply, "it is not a collection (no value list)"));
        };
        // An entry that is not a user (no id) is skipped, not fatal: the rest still are.
        Ok(items
            .iter()
            .filter_map(|v| serde_json::from_value::<DirectoryUser>(v.clone()).ok())
            .filter(|u| !u.id.trim().is_empty())
            .collect())
    }
}

fn not_users(reply: &Reply, problem: &str) -> GraphError {
    let mut err = GraphError::new(
        ErrorKind::InvalidResponse,
        format!("the answer to a directory look-up is not usable: {problem}"),
    );
    err.status = Some(reply.status.as_u16());
    err.request_id = reply.request_id.clone();
    err.client_request_id = Some(reply.client_request_id.clone());
    err
}

/// `--user` named by UPN and the look-up failed: what it needs, in words. A 403 is the
/// permission (never the access policy the onlineMeetings hint is about), a 404 a UPN the
/// directory does not know.
fn owner_refused(user: &str, e: GraphError) -> GraphError {
    let user = crate::sanitize::line(user);
    let said = match (&e.status, &e.code) {
        (Some(s), Some(c)) => format!(" (the directory answered {s} {c})"),
        (Some(s), None) => format!(" (the directory answered {s})"),
        _ => String::new(),
    };
    let message = match e.status {
        Some(403) => format!(
            "--user {user} is a UPN, and meetings are made under the user's object id; \
             looking it up (GET /users/{{upn}}) was refused{said}: the app registration needs \
             the User.Read.All application permission, with admin consent. Grant it, or pass \
             the user's object id with --user"
        ),
        Some(404) => format!(
            "--user {user}: no user with this UPN is in the directory{said}; check it, or \
             pass the user's object id with --user"
        ),
        _ => return e,
    };
    let mut out = GraphError::new(ErrorKind::Refused, message);
    out.request_id = e.request_id;
    out.client_request_id = e.client_request_id;
    out.app_only = e.app_only;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_quote_and_search_escapes() {
        assert_eq!(
            mail_filter("o'brien@contoso.com"),
            "mail eq 'o''brien@contoso.com'"
        );
        assert_eq!(
            proxy_address_filter("a'b@c.com"),
            "proxyAddresses/any(p:p eq 'smtp:a''b@c.com')"
        );
        assert_eq!(
            search_clause("me\"g\\ & co"),
            r#""displayName:me\"g\\  co" OR "mail:me\"g\\  co""#
        );
    }

    #[test]
    fn guests_by_their_upn() {
        let u = |upn: &str| DirectoryUser {
            id: "x".into(),
            user_principal_name: Some(upn.into()),
            display_name: None,
            mail: None,
        };
        assert!(u("jordan_fabrikam.com#EXT#@contoso.onmicrosoft.com").is_guest());
        assert!(!u("AdeleV@contoso.onmicrosoft.com").is_guest());
    }
}
