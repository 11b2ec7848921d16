//! The seeded Entra directory: the signed-in demo user, a handful of colleagues, two people
//! whose mail is not their UPN (renamed after a merger; they joined lately, so People does
//! not know them yet) and one guest, and the `/users` calls over it (GRAPH-SCHEDULING.md
//! §5, GRAPH-REAL.md Q21): `GET /users/{id|upn}` (only those: a mail address that is not
//! a UPN is a 404), `GET /users?$filter=startswith(…)` or `prop eq '…'`,
//! `proxyAddresses/any(p:p eq '…')` and `otherMails/any(…)` (advanced queries: refused
//! without `ConsistencyLevel: eventual` and `$count=true`), and
//! `GET /users?$search="prop:text"` with the `ConsistencyLevel: eventual` rule. Attendee
//! resolution (`participants.rs`) and calendar emulation read the same table through
//! [`directory`].

use super::answers::{Outcome, Reply, RequestIds, ok};
use super::state::{DEFAULT_TENANT_ID, DEMO_USER_ID, DEMO_USER_NAME, DEMO_USER_UPN};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::{Map, Value, json};

/// `userType` of a directory user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserType {
    Member,
    /// Invited from another organization (B2B). Still an Entra user of this tenant.
    Guest,
}

impl UserType {
    fn as_str(self) -> &'static str {
        match self {
            UserType::Member => "Member",
            UserType::Guest => "Guest",
        }
    }
}

/// One user of the seeded directory, read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: &'static str,
    pub display_name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub user_principal_name: &'static str,
    pub mail: &'static str,
    pub job_title: Option<&'static str>,
    pub department: Option<&'static str>,
    pub office_location: Option<&'static str>,
    pub business_phones: &'static [&'static str],
    pub mobile_phone: Option<&'static str>,
    pub preferred_language: Option<&'static str>,
    pub user_type: UserType,
    /// Every SMTP address that reaches the person: `SMTP:` the primary (their mail),
    /// `smtp:` aliases, a former address among them after a rename.
    pub proxy_addresses: &'static [&'static str],
    /// Other addresses known for the person (a guest's: the one they were invited with).
    pub other_mails: &'static [&'static str],
    /// Someone the organizer works with: People (`/me/people`) knows them and their
    /// calendar holds meetings. A newcomer is in the directory only.
    pub works_with_organizer: bool,
}

/// The guest's UPN: the `ext` form the tenant gives an invited `jordan@fabrikam.com`.
pub const GUEST_UPN: &str = "jordan_fabrikam.com#EXT#@contoso.onmicrosoft.com";

const fn member(
    id: &'static str,
    (display_name, given_name, surname): (&'static str, &'static str, &'static str),
    user_principal_name: &'static str,
    (job_title, department, office_location): (&'static str, &'static str, &'static str),
    phone: &'static [&'static str],
) -> DirectoryUser {
    DirectoryUser {
        id,
        display_name,
        given_name,
        surname,
        user_principal_name,
        mail: user_principal_name,
        job_title: Some(job_title),
        department: Some(department),
        office_location: Some(office_location),
        business_phones: phone,
        mobile_phone: None,
        preferred_language: Some("en-US"),
        user_type: UserType::Member,
        proxy_addresses: &[],
        other_mails: &[],
        works_with_organizer: true,
    }
}

/// A colleague whose mail differs from their UPN: renamed, or moved to the merged
/// company's domain, with the old address kept among the proxy addresses. New here, so
/// People does not know them.
const fn renamed(
    id: &'static str,
    (display_name, given_name, surname): (&'static str, &'static str, &'static str),
    (user_principal_name, mail): (&'static str, &'static str),
    proxy_addresses: &'static [&'static str],
    (job_title, department, office_location): (&'static str, &'static str, &'static str),
) -> DirectoryUser {
    DirectoryUser {
        id,
        display_name,
        given_name,
        surname,
        user_principal_name,
        mail,
        job_title: Some(job_title),
        department: Some(department),
        office_location: Some(office_location),
        business_phones: &[],
        mobile_phone: None,
        preferred_language: Some("en-US"),
        user_type: UserType::Member,
        proxy_addresses,
        other_mails: &[],
        works_with_organizer: false,
    }
}

/// Isaiah Langer's address, his UPN being `IsaiahL@contoso.onmicrosoft.com`.
pub const RENAMED_MAIL: &str = "isaiah.langer@contoso.com";
/// Lidia Holloway's address from before her rename (she was Lidia Smith): only a proxy
/// address now; her mail is `lidia.holloway@contoso.com`.
pub const FORMER_ADDRESS: &str = "lidia.smith@contoso.com";
/// The address the guest was invited with.
pub const GUEST_MAIL: &str = "jordan@fabrikam.com";

/// Microsoft's own demo personas in the demo tenant (fictional 555-01xx numbers); the
/// first is the person who signs in.
static USERS: &[DirectoryUser] = &[
    member(
        DEMO_USER_ID,
        (DEMO_USER_NAME, "Adele", "Vance"),
        DEMO_USER_UPN,
        ("Retail Manager", "Retail", "18/2111"),
        &["+1 425 555 0109"],
    ),
    member(
        "5c1e7a3b-2f94-4d61-8a0e-9b3c6d2f1e47",
        ("Megan Bowen", "Megan", "Bowen"),
        "MeganB@contoso.onmicrosoft.com",
        ("Marketing Manager", "Marketing", "12/1110"),
        &["+1 412 555 0109"],
    ),
    member(
        "7e2d9f41-6b3a-4c85-9d17-2a4f8e6c0b53",
        ("Alex Wilber", "Alex", "Wilber"),
        "AlexW@contoso.onmicrosoft.com",
        ("Marketing Assistant", "Marketing", "131/1104"),
        &["+1 858 555 0110"],
    ),
    member(
        "9a4c1d6e-3b58-4f27-8e09-6d2b7c5a1f38",
        ("Lee Gu", "Lee", "Gu"),
        "LeeG@contoso.onmicrosoft.com",
        ("Director", "Manufacturing", "23/3101"),
        &["+1 913 555 0101"],
    ),
    member(
        "b2f8e6a4-9c17-4d3e-a5b0-1e7d4c9f2a65",
        ("Nestor Wilke", "Nestor", "Wilke"),
        "NestorW@contoso.onmicrosoft.com",
        ("Director", "Operations", "36/2121"),
        &["+1 404 555 0103"],
    ),
    member(
        "c6a0b3d9-4e72-4b18-9f5c-8d1a2e7b3c94",
        ("Patti Fernandez", "Patti", "Fernandez"),
        "PattiF@contoso.onmicrosoft.com",
        ("President", "Executive Management", "15/1102"),
        &["+1 954 555 0118"],
    ),
    renamed(
        "d1b6f0a2-7c35-4e8b-9a14-5f2e8c3d6b70",
        ("Isaiah Langer", "Isaiah", "Langer"),
        ("IsaiahL@contoso.onmicrosoft.com", RENAMED_MAIL),
        &[
            "SMTP:isaiah.langer@contoso.com",
            "smtp:IsaiahL@contoso.onmicrosoft.com",
        ],
        ("Sales Representative", "Sales", "20/1101"),
    ),
    renamed(
        "f8e3a7c5-1d29-4b60-8e4f-0a9c2b7d5e13",
        ("Lidia Holloway", "Lidia", "Holloway"),
        (
            "LidiaH@contoso.onmicrosoft.com",
            "lidia.holloway@contoso.com",
        ),
        &[
            "SMTP:lidia.holloway@contoso.com",
            "smtp:lidia.smith@contoso.com",
            "smtp:LidiaH@contoso.onmicrosoft.com",
        ],
        ("Product Manager", "Engineering", "20/2107"),
    ),
    DirectoryUser {
        id: "e4d7c2b1-8a63-4f09-b6e5-3c9a0d1f7b28",
        display_name: "Jordan Miller (Fabrikam)",
        given_name: "Jordan",
        surname: "Miller",
        user_principal_name: GUEST_UPN,
        mail: GUEST_MAIL,
        job_title: None,
        department: None,
        office_location: None,
        business_phones: &[],
        mobile_phone: None,
        preferred_language: None,
        user_type: UserType::Guest,
        proxy_addresses: &["SMTP:jordan@fabrikam.com"],
        other_mails: &[GUEST_MAIL],
        works_with_organizer: true,
    },
];

/// The whole seeded directory, the signed-in user first.
pub fn directory() -> &'static [DirectoryUser] {
    USERS
}

/// A user by object id or UPN, both compared case-insensitively as the service does.
pub fn find_user(id_or_upn: &str) -> Option<&'static DirectoryUser> {
    USERS.iter().find(|u| {
        u.id.eq_ignore_ascii_case(id_or_upn)
            || u.user_principal_name.eq_ignore_ascii_case(id_or_upn)
    })
}

/// The tenant every seeded user lives in.
pub(crate) const TENANT_ID: &str = DEFAULT_TENANT_ID;

/// What a user read without `$select` shows (GRAPH-SCHEDULING.md §5).
const DEFAULT_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

impl DirectoryUser {
    /// The seeded proxy addresses, or `SMTP:` the mail for those seeded without.
    fn proxy_list(&self) -> Vec<String> {
        if self.proxy_addresses.is_empty() {
            vec![format!("SMTP:{}", self.mail)]
        } else {
            self.proxy_addresses.iter().map(|a| a.to_string()).collect()
        }
    }

    /// Every property the emulator knows of this user, by its Graph name.
    fn all_properties(&self) -> Map<String, Value> {
        let v = json!({
            "businessPhones": self.business_phones,
            "displayName": self.display_name,
            "givenName": self.given_name,
            "jobTitle": self.job_title,
            "mail": self.mail,
            "mobilePhone": self.mobile_phone,
            "officeLocation": self.office_location,
            "preferredLanguage": self.preferred_language,
            "surname": self.surname,
            "userPrincipalName": self.user_principal_name,
            "id": self.id,
            "department": self.department,
            "userType": self.user_type.as_str(),
            "accountEnabled": true,
            "proxyAddresses": self.proxy_list(),
            "otherMails": self.other_mails,
        });
        match v {
            Value::Object(m) => m,
            _ => unreachable!("a JSON object literal"),
        }
    }

    fn to_json(&self, select: Option<&[String]>) -> Value {
        let all = self.all_properties();
        let mut out = Map::new();
        match select {
            None => {
                for k in DEFAULT_PROPERTIES {
                    out.insert((*k).to_string(), all[*k].clone());
                }
            }
            // Names match case-insensitively; a user property the seed has no value for
            // reads null (names were checked by `check_select`).
            Some(names) => {
                for name in names {
                    let found = all.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
                    let (k, v) = found
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .unwrap_or((name.clone(), Value::Null));
                    out.insert(k, v);
                }
            }
        }
        Value::Object(out)
    }
}

/// The query options a `/users` call understands; anything else is ignored, as unknown
/// `$` options mostly are.
struct Query {
    select: Option<Vec<String>>,
    filter: Option<String>,
    search: Option<String>,
    top: Option<usize>,
    count: bool,
}

fn query(ctx: &RequestIds, uri: &Uri) -> Result<Query, Reply> {
    let mut q = Query {
        select: None,
        filter: None,
        search: None,
        top: None,
        count: false,
    };
    for (k, v) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        match k.to_ascii_lowercase().as_str() {
            "$select" => {
                q.select = Some(
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            }
            "$filter" => q.filter = Some(v.into_owned()),
            "$search" => q.search = Some(v.into_owned()),
            "$top" => {
                let n = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=999).contains(n));
                q.top = Some(n.ok_or_else(|| {
                    ctx.error(
                        StatusCode::BAD_REQUEST,
                        "Request_BadRequest",
                        format!("Invalid page size specified: '{v}'. Must be between 1 and 999 inclusive."),
                    )
                })?);
            }
            "$count" => q.count = v.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    Ok(q)
}

/// v1.0 `user` properties the seed leaves empty: selectable, read as null.
const OTHER_USER_PROPERTIES: &[&str] = &[
    "aboutMe",
    "ageGroup",
    "city",
    "companyName",
    "country",
    "createdDateTime",
    "creationType",
    "employeeId",
    "employeeType",
    "externalUserState",
    "faxNumber",
    "imAddresses",
    "mailNickname",
    "postalCode",
    "state",
    "streetAddress",
    "usageLocation",
];

/// A `$select` naming no `user` property is refused, as the directory refuses it.
fn check_select(ctx: &RequestIds, select: Option<&[String]>) -> Result<(), Reply> {
    let known = USERS[0].all_properties();
    for name in select.unwrap_or_default() {
        let ok = known.keys().any(|k| k.eq_ignore_ascii_case(name))
            || OTHER_USER_PROPERTIES
                .iter()
                .any(|k| k.eq_ignore_ascii_case(name));
        if !ok {
            return Err(ctx.error(
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                format!(
                    "Could not find a property named '{name}' on type 'Microsoft.DirectoryServices.User'."
                ),
            ));
        }
    }
    Ok(())
}

fn context(base: &str, select: Option<&[String]>, entity: bool) -> String {
    let sel = select
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    let tail = if entity { "/$entity" } else { "" };
    format!("{base}v1.0/$metadata#users{sel}{tail}")
}

/// `GET /users/{id|userPrincipalName}` (the segment arrives percent-decoded).
pub(crate) fn get_user(ctx: &RequestIds, base: &str, uri: &Uri, id: &str) -> Outcome {
    let q = query(ctx, uri)?;
    check_select(ctx, q.select.as_deref())?;
    let user = find_user(id).ok_or_else(|| {
        ctx.error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    })?;
    let mut v = user.to_json(q.select.as_deref());
    v["@odata.context"] = json!(context(base, q.select.as_deref(), true));
    Ok(ok(StatusCode::OK, v))
}

/// `GET /users` with `$filter`, `$search` (+ `ConsistencyLevel: eventual`), `$top`, `$select`.
pub(crate) fn list_users(ctx: &RequestIds, base: &str, uri: &Uri, headers: &HeaderMap) -> Outcome {
    let q = query(ctx, uri)?;
    check_select(ctx, q.select.as_deref())?;
    let eventual = headers
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"));
    let mut users: Vec<&DirectoryUser> = USERS.iter().collect();
    if let Some(search) = &q.search {
        if !eventual {
            return Err(unsupported(
                ctx,
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
            ));
        }
        let clauses = parse_search(search).ok_or_else(|| {
            ctx.error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                format!("Invalid search query: '{search}'. Use \"property:text\" clauses joined by OR or AND."),
            )
        })?;
        let mut kept = Vec::new();
        for u in users {
            if search_matches(ctx, u, &clauses)? {
                kept.push(u);
            }
        }
        users = kept;
    }
    if let Some(filter) = &q.filter {
        let f = parse_filter(filter).ok_or_else(|| {
            unsupported(
                ctx,
                format!("Invalid filter clause: '{filter}'. Supported here: startswith(property,'text'), property eq 'text' and collection/any(x:x eq 'text')."),
            )
        })?;
        let all = USERS[0].all_properties();
        let known = |name: &str, within: &[&str]| {
            all.keys()
                .find(|k| k.eq_ignore_ascii_case(name) && within.contains(&k.as_str()))
                .cloned()
                .ok_or_else(|| unsupported_clause(ctx, name))
        };
        match f {
            Filter::Compare {
                property,
                value,
                starts_with,
            } => {
                let prop = known(&property, FILTERABLE)?;
                let want = value.to_lowercase();
                users.retain(|u| {
                    let v = u.all_properties()[&prop]
                        .as_str()
                        .unwrap_or("")
                        .to_lowercase();
                    if starts_with {
                        v.starts_with(&want)
                    } else {
                        v == want
                    }
                });
            }
            Filter::Any { collection, value } => {
                let prop = known(&collection, COLLECTIONS)?;
                // A lambda over a multi-valued property is an advanced query: without
                // both the header and $count the directory does not run it.
                if !(eventual && q.count) {
                    return Err(unsupported_clause(ctx, &prop));
                }
                users.retain(|u| {
                    u.all_properties()[&prop]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .any(|a| a.eq_ignore_ascii_case(&value))
                });
            }
        }
    }
    let total = users.len();
    if let Some(top) = q.top {
        users.truncate(top);
    }
    let mut body = json!({
        "@odata.context": context(base, q.select.as_deref(), false),
        "value": users.iter().map(|u| u.to_json(q.select.as_deref())).collect::<Vec<_>>(),
    });
    if q.count {
        if !eventual {
            return Err(unsupported(
                ctx,
                "$count is not currently supported without the header 'ConsistencyLevel: eventual'.",
            ));
        }
        body["@odata.count"] = json!(total);
    }
    Ok(ok(StatusCode::OK, body))
}

fn unsupported(ctx: &RequestIds, message: impl Into<String>) -> Reply {
    ctx.error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", message)
}

/// The directory's words for a filter it will not run (GRAPH-SCHEDULING.md §5).
fn unsupported_clause(ctx: &RequestIds, property: &str) -> Reply {
    unsupported(
        ctx,
        format!(
            "Unsupported or invalid query filter clause specified for property '{property}' of resource 'User'."
        ),
    )
}

/// Multi-valued properties a lambda (`any`) filter may range over.
const COLLECTIONS: &[&str] = &["proxyAddresses", "otherMails"];

/// String properties the basic `$filter` accepts.
const FILTERABLE: &[&str] = &[
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
    "id",
    "jobTitle",
    "department",
    "userType",
];

enum Filter {
    /// `startswith(prop,'text')` or `prop eq 'text'`.
    Compare {
        property: String,
        value: String,
        starts_with: bool,
    },
    /// `collection/any(x:x eq 'text')`.
    Any { collection: String, value: String },
}

/// An OData string literal without its quotes, `''` read as one quote.
fn unquote(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.replace("''", "").contains('\'')).then(|| inner.replace("''", "'"))
}

/// `prop eq 'text'` → (prop, text).
fn equals(expr: &str) -> Option<(String, String)> {
    let (prop, rest) = expr.trim().split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let value = rest
        .get(..3)
        .filter(|op| op.eq_ignore_ascii_case("eq "))
        .map(|_| &rest[3..])?;
    Some((prop.to_string(), unquote(value)?))
}

/// `startswith(prop,'text')`, `prop eq 'text'` or `coll/any(x:x eq 'text')`.
fn parse_filter(expr: &str) -> Option<Filter> {
    let expr = expr.trim();
    if let Some(args) = expr
        .get(..11)
        .filter(|p| p.eq_ignore_ascii_case("startswith("))
        .and_then(|_| expr[11..].strip_suffix(')'))
    {
        let (prop, value) = args.split_once(',')?;
        return Some(Filter::Compare {
            property: prop.trim().to_string(),
            value: unquote(value)?,
            starts_with: true,
        });
    }
    let lower = expr.to_ascii_lowercase();
    if let Some(at) = lower.find("/any(") {
        let collection = expr[..at].trim().to_string();
        let body = expr[at + 5..].strip_suffix(')')?;
        let (var, test) = body.split_once(':')?;
        let (subject, value) = equals(test)?;
        if subject != var.trim() || collection.is_empty() {
            return None;
        }
        return Some(Filter::Any { collection, value });
    }
    let (property, value) = equals(expr)?;
    Some(Filter::Compare {
        property,
        value,
        starts_with: false,
    })
}

/// `"displayName:meg" OR "mail:meg"` → clauses and whether they are AND-joined.
struct Search {
    clauses: Vec<(String, String)>,
    all: bool,
}

fn parse_search(s: &str) -> Option<Search> {
    let mut clauses = Vec::new();
    let mut joins = Vec::new();
    let mut rest = s.trim();
    loop {
        let body = rest.strip_prefix('"')?;
        // Inside the quotes `\"` and `\\` are escapes.
        let mut text = String::new();
        let mut chars = body.char_indices();
        let end = loop {
            match chars.next()? {
                (_, '\\') => text.push(chars.next()?.1),
                (i, '"') => break i,
                (_, c) => text.push(c),
            }
        };
        let (prop, value) = text.split_once(':')?;
        clauses.push((prop.trim().to_string(), value.trim().to_lowercase()));
        rest = body[end + 1..].trim_start();
        if rest.is_empty() {
            break;
        }
        let (join, after) = rest.split_once(char::is_whitespace)?;
        joins.push(join.to_string());
        rest = after.trim_start();
    }
    let all = match joins.first().map(String::as_str) {
        None | Some("OR") if joins.iter().all(|j| j == "OR") => false,
        Some("AND") if joins.iter().all(|j| j == "AND") => true,
        _ => return None,
    };
    Some(Search { clauses, all })
}

/// Tokenized matching on word starts, as the directory's `$search` does.
fn search_matches(ctx: &RequestIds, u: &DirectoryUser, s: &Search) -> Result<bool, Reply> {
    const SEARCHABLE: &[&str] = &[
        "displayName",
        "givenName",
        "surname",
        "mail",
        "userPrincipalName",
        "jobTitle",
        "department",
    ];
    let props = u.all_properties();
    let mut results = Vec::new();
    for (prop, text) in &s.clauses {
        let name = SEARCHABLE
            .iter()
            .find(|k| k.eq_ignore_ascii_case(prop))
            .ok_or_else(|| {
                unsupported(
                    ctx,
                    format!("Unsupported or invalid search clause specified for property '{prop}' of resource 'User'."),
                )
            })?;
        let value = props[*name].as_str().unwrap_or("").to_lowercase();
        let words = value.split(|c: char| !c.is_alphanumeric());
        let hit = !text.is_empty()
            && (value.starts_with(text.as_str())
                || words.into_iter().any(|w| w.starts_with(text.as_str())));
        results.push(hit);
    }
    Ok(if s.all {
        results.iter().all(|r| *r)
    } else {
        results.iter().any(|r| *r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_consistent() {
        assert_eq!(directory()[0].id, DEMO_USER_ID);
        let guests: Vec<_> = directory()
            .iter()
            .filter(|u| u.user_type == UserType::Guest)
            .collect();
        assert_eq!(guests.len(), 1);
        assert!(guests[0].user_principal_name.contains("#EXT#@"));
        for u in directory() {
            assert!(crate::state::is_guid(u.id), "{}", u.id);
        }
        assert_eq!(
            find_user("meganb@CONTOSO.onmicrosoft.com")
                .unwrap()
                .given_name,
            "Megan"
        );
        assert!(find_user("nobody@contoso.onmicrosoft.com").is_none());
    }

    #[test]
    fn filters_and_searches_parse() {
        let Some(Filter::Compare {
            property,
            value,
            starts_with: true,
        }) = parse_filter("startswith(displayName,'Meg''s')")
        else {
            panic!("startswith");
        };
        assert!(property == "displayName" && value == "Meg's");
        assert!(matches!(
            parse_filter("mail eq 'a@b'"),
            Some(Filter::Compare { starts_with: false, ref value, .. }) if value == "a@b"
        ));
        assert!(matches!(
            parse_filter("proxyAddresses/any(p:p eq 'smtp:o''b@c.com')"),
            Some(Filter::Any { ref collection, ref value })
                if collection == "proxyAddresses" && value == "smtp:o'b@c.com"
        ));
        assert!(parse_filter("proxyAddresses/any(p:q eq 'x')").is_none());
        assert!(parse_filter("displayName ne 'x'").is_none());
        let s = parse_search(r#""displayName:meg" OR "mail:a\"b""#).unwrap();
        assert_eq!(s.clauses[1], ("mail".into(), "a\"b".into()));
        assert!(!s.all);
        assert!(parse_search("meg").is_none());
        assert!(parse_search(r#""a:b" OR "c:d" AND "e:f""#).is_none());
    }
}
