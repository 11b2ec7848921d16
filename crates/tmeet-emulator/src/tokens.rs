//! Minting tokens: JWT-shaped access tokens with the claims a client may read, rotating
//! refresh tokens, id_tokens, and the `scope` the token response reports.

use super::state::{
    APP_ROLES, AccessToken, DELEGATED_PERMISSIONS, Principal, RefreshToken, State, User, jwt,
    unix_now,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Scopes that name no resource: OpenID Connect and `offline_access`.
pub(crate) const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// The resource (audience) a scope list is for: the host of the first URI-form scope.
pub(crate) fn resource_of(scopes: &[String]) -> String {
    scopes
        .iter()
        .find_map(|s| {
            let rest = s.strip_prefix("https://")?;
            Some(format!("https://{}", rest.split('/').next()?))
        })
        .unwrap_or_else(|| "https://graph.microsoft.com".into())
}

/// What the token response's `scope` lists: short permission names as the service returns.
pub(crate) fn granted_scope(scopes: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    for s in scopes {
        if s == "offline_access" {
            continue;
        }
        if OIDC_SCOPES.contains(&s.as_str()) {
            out.push(s.clone());
            continue;
        }
        let short = s.rsplit('/').next().unwrap_or(s);
        if short == ".default" {
            out.extend(DELEGATED_PERMISSIONS.split(' ').map(str::to_string));
        } else {
            out.push(short.to_string());
        }
    }
    out.dedup();
    out.join(" ")
}

/// The delegated permissions a scope list asks for, as short names (`.default` expanded,
/// OpenID Connect scopes and `offline_access` left out).
pub(crate) fn permissions_of(scopes: &[String]) -> Vec<String> {
    granted_scope(scopes)
        .split(' ')
        .filter(|s| !s.is_empty() && !OIDC_SCOPES.contains(s))
        .map(str::to_string)
        .collect()
}

pub(crate) fn mint_app(
    st: &mut State,
    tenant_id: &str,
    client_id: &str,
    resource: &str,
    lifetime: Duration,
) -> String {
    let now = unix_now();
    // `app-user-read=off`: an app registration granted the meetings permission alone.
    let app_user_read = st.directory.app_user_read;
    let roles: Vec<&str> = APP_ROLES
        .iter()
        .copied()
        .filter(|r| app_user_read || *r != "User.Read.All")
        .collect();
    let claims = json!({
        "aud": resource,
        "iss": format!("https://sts.windows.net/{tenant_id}/"),
        "iat": now, "nbf": now, "exp": now + lifetime.as_secs(),
        "appid": client_id,
        "idtyp": "app",
        "oid": uuid::Uuid::new_v4().to_string(),
        "roles": roles,
        "tid": tenant_id,
        "ver": "1.0",
    });
    let roles = roles.iter().map(|r| r.to_string()).collect();
    st.issue_access_token(tenant_id, Principal::App, lifetime, roles, claims)
}

/// How a delegated token was had, where it matters to what the service does with it later.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Grant {
    pub via_device_code: bool,
    /// The request declared the `cp1` client capability.
    pub cp1: bool,
    /// The request carried the claims a claims challenge asked for.
    pub answers_claims: bool,
}

/// Access token (+ refresh token with `offline_access`, + id_token with `openid`). The
/// permissions asked for join the user's consent for this client: the person approved them.
pub(crate) fn user_token_response(
    st: &mut State,
    tenant_id: &str,
    user: User,
    client_id: &str,
    scopes: &[String],
    lifetime: Duration,
) -> Value {
    user_token_response_for(
        st,
        tenant_id,
        user,
        client_id,
        scopes,
        lifetime,
        Grant::default(),
    )
}

pub(crate) fn user_token_response_for(
    st: &mut State,
    tenant_id: &str,
    user: User,
    client_id: &str,
    scopes: &[String],
    lifetime: Duration,
    grant: Grant,
) -> Value {
    let now = unix_now();
    let resource = resource_of(scopes);
    let scope = granted_scope(scopes);
    let scp = permissions_of(scopes);
    st.consents
        .entry((
            tenant_id.to_string(),
            user.id.clone(),
            client_id.to_string(),
        ))
        .or_default()
        .extend(scp.iter().cloned());
    let claims = json!({
        "aud": resource,
        "iss": format!("https://sts.windows.net/{tenant_id}/"),
        "iat": now, "nbf": now, "exp": now + lifetime.as_secs(),
        "appid": client_id,
        "idtyp": "user",
        "name": user.display_name,
        "oid": user.id,
        "upn": user.upn,
        "unique_name": user.upn,
        "scp": scp.join(" "),
        "tid": tenant_id,
        "ver": "1.0",
    });
    let access = st.issue_access_token(
        tenant_id,
        Principal::User(user.clone()),
        lifetime,
        scp,
        claims,
    );
    if let Some(t) = st.access_tokens.get_mut(&access) {
        t.cp1 = grant.cp1;
    }
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": lifetime.as_secs(),
        "ext_expires_in": lifetime.as_secs(),
        "access_token": access,
    });
    if scopes.iter().any(|s| s == "offline_access") {
        body["refresh_token"] = json!(st.issue_refresh_token(RefreshToken {
            tenant_id: tenant_id.to_string(),
            user: user.clone(),
            client_id: client_id.to_string(),
            scope: scopes.join(" "),
            via_device_code: grant.via_device_code,
            cp1: grant.cp1,
        }));
    }
    if scopes.iter().any(|s| s == "openid") {
        body["id_token"] = json!(jwt(&json!({
            "aud": client_id,
            "iss": format!("https://login.microsoftonline.com/{tenant_id}/v2.0"),
            "iat": now, "nbf": now, "exp": now + 3600,
            "name": user.display_name,
            "oid": user.id,
            "preferred_username": user.upn,
            "sub": uuid::Uuid::new_v4().simple().to_string(),
            "tid": tenant_id,
            "ver": "2.0",
        })));
    }
    body
}

pub(crate) fn is_valid_access(token: &AccessToken) -> bool {
    Instant::now() < token.expires
}
