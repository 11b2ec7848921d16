//! `participants.attendees` as the service stores and echoes them (GRAPH-SCHEDULING.md §2):
//! each attendee is matched against the seeded directory; a directory user comes back as
//! an Entra identity, anyone else as the non-Entra shape users have reported.

use super::answers::{Reply, RequestIds};
use super::directory::{self, DirectoryUser};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// Roles that "for users not registered in Microsoft Entra ID isn't currently supported"
/// (learn application-post-onlinemeetings). `producer` is a live-event role and is treated
/// the same way.
const ELEVATED_ROLES: &[&str] = &["presenter", "coorganizer", "producer"];

/// The attendee list of a create or PATCH body, resolved and ready to store; `None` when
/// the body has no `participants.attendees`. Types were checked by `check_properties`.
///
/// `upn_required`: an attendee with `identity.user.id` and no `upn` answers 500
/// `InternalServerError`, as microsoft-graph-docs-contrib#771 reports of the service.
pub(crate) fn attendees(
    ctx: &RequestIds,
    body: &Map<String, Value>,
    upn_required: bool,
) -> Result<Option<Vec<Value>>, Reply> {
    let Some(list) = body
        .get("participants")
        .and_then(|p| p.get("attendees"))
        .and_then(Value::as_array)
    else {
        return Ok(None);
    };
    list.iter()
        .map(|a| resolve(ctx, a, upn_required))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn resolve(ctx: &RequestIds, a: &Value, upn_required: bool) -> Result<Value, Reply> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let id = text(a.pointer("/identity/user/id"));
    let upn = text(a.get("upn"));
    let role = text(a.get("role")).unwrap_or_else(|| "attendee".into());
    match (&id, &upn) {
        (Some(_), None) if upn_required => {
            return Err(ctx.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                "Internal Server Error",
            ));
        }
        // Undocumented; the service has nothing to record, so a 400 is the honest answer.
        (None, None) => {
            return Err(ctx.bad_request(
                "Each attendee needs identity.user.id (the user's Entra object ID) and upn.",
            ));
        }
        _ => {}
    }
    let known = id
        .as_deref()
        .and_then(directory::find_user)
        .or_else(|| upn.as_deref().and_then(directory::find_user));
    Ok(match known {
        // A guest (userType Guest) is registered in this tenant's Entra ID, so the roles
        // the docs refuse to non-Entra users stay.
        Some(u) => entra(u, &role),
        None => external(id, upn, &role),
    })
}

fn entra(u: &DirectoryUser, role: &str) -> Value {
    json!({
        "upn": u.user_principal_name,
        "role": role,
        "identity": {
            "application": null,
            "device": null,
            "user": {
                "id": u.id,
                "displayName": u.display_name,
                "tenantId": directory::TENANT_ID,
                "identityProvider": "AAD",
            },
        },
    })
}

/// Someone the directory doesn't know: echoed as Microsoft Q&A 323299 shows, with no name
/// or tenant and an MSA identity provider; a presenter or co-organizer role is dropped.
fn external(id: Option<String>, upn: Option<String>, role: &str) -> Value {
    let role = (!ELEVATED_ROLES.contains(&role)).then_some(role);
    json!({
        "upn": upn,
        "role": role,
        "identity": {
            "application": null,
            "device": null,
            "user": {
                "id": id,
                "displayName": null,
                "tenantId": null,
                "identityProvider": "MSA",
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn one(a: Value, upn_required: bool) -> Result<Value, StatusCode> {
        let ctx = RequestIds::new(&HeaderMap::new());
        let body = json!({"participants": {"attendees": [a]}});
        let list =
            attendees(&ctx, body.as_object().unwrap(), upn_required).map_err(|r| r.status)?;
        Ok(list.unwrap().remove(0))
    }

    #[test]
    fn members_guests_and_externals() {
        let megan = directory::find_user("MeganB@contoso.onmicrosoft.com").unwrap();
        let v = one(json!({"identity": {"user": {"id": megan.id}}, "upn": megan.user_principal_name, "role": "coorganizer"}), true).unwrap();
        assert_eq!(v["role"], "coorganizer");
        assert_eq!(v["identity"]["user"]["displayName"], "Megan Bowen");
        assert_eq!(v["identity"]["user"]["identityProvider"], "AAD");
        let v = one(
            json!({"upn": directory::GUEST_UPN, "role": "presenter"}),
            true,
        )
        .unwrap();
        assert_eq!(v["role"], "presenter");
        let v = one(json!({"upn": "pat@example.com", "role": "presenter"}), true).unwrap();
        assert_eq!(v["role"], Value::Null);
        assert_eq!(v["identity"]["user"]["identityProvider"], "MSA");
        assert_eq!(v["identity"]["user"]["displayName"], Value::Null);
        let v = one(json!({"upn": "pat@example.com"}), true).unwrap();
        assert_eq!(v["role"], "attendee");
    }

    #[test]
    fn an_id_without_upn_fails_like_the_service_unless_told_not_to() {
        let a = json!({"identity": {"user": {"id": directory::directory()[1].id}}});
        assert_eq!(one(a.clone(), true), Err(StatusCode::INTERNAL_SERVER_ERROR));
        let v = one(a, false).unwrap();
        assert_eq!(v["upn"], directory::directory()[1].user_principal_name);
        assert_eq!(
            one(json!({"role": "attendee"}), true),
            Err(StatusCode::BAD_REQUEST)
        );
    }
}
