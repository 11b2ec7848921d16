//! The Outlook side of Graph (GRAPH-SCHEDULING §3–§9): which path is which
//! operation, the permission each needs, and the `Prefer` headers they share. The
//! operations are in `events.rs`, `schedule.rs` and `people.rs`.

use super::answers::{Outcome, Reply, RequestIds};
use super::mailbox_modes::MailboxModes;
use super::state::{AccessToken, DEMO_USER_UPN, Principal, Shared, User};
use super::timezones::{self, Zone};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};

/// Everything a calendar operation needs to know about its request.
pub(crate) struct Call<'a> {
    pub shared: &'a Shared,
    pub ctx: &'a RequestIds,
    pub user: User,
    pub tenant_id: String,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a Bytes,
    pub prefs: Prefs,
}

impl Call<'_> {
    /// The caller's calendar key (lowercased UPN).
    pub(crate) fn key(&self) -> String {
        self.user.upn.to_ascii_lowercase()
    }

    pub(crate) fn query(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.uri.query().unwrap_or("").as_bytes())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.into_owned())
    }

    pub(crate) fn context(&self, tail: &str) -> String {
        format!(
            "{}v1.0/$metadata#users('{}'){tail}",
            self.shared.base, self.user.id
        )
    }

    pub(crate) fn zone_error(&self, name: &str) -> Reply {
        self.ctx.error(
            StatusCode::BAD_REQUEST,
            "TimeZoneNotSupportedException",
            timezones::unsupported_message(name),
        )
    }
}

/// `Prefer: outlook.timezone="…"` and `outlook.body-content-type="text|html"`.
#[derive(Default)]
pub(crate) struct Prefs {
    pub zone: Option<Zone>,
    pub body_text: bool,
    /// What goes back in `Preference-Applied`.
    pub applied: Vec<String>,
}

impl Prefs {
    pub(crate) fn zone(&self) -> Zone {
        self.zone.clone().unwrap_or_else(Zone::utc)
    }

    pub(crate) fn apply(&self, mut reply: Reply) -> Reply {
        if !self.applied.is_empty() {
            reply
                .headers
                .push(("preference-applied", self.applied.join(", ")));
        }
        reply
    }
}

pub(crate) fn prefs(ctx: &RequestIds, headers: &HeaderMap) -> Result<Prefs, Reply> {
    let mut p = Prefs::default();
    let items = headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| item.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"')));
    for (key, value) in items {
        match key.as_str() {
            "outlook.timezone" => {
                let zone = Zone::parse(value).ok_or_else(|| {
                    ctx.error(
                        StatusCode::BAD_REQUEST,
                        "TimeZoneNotSupportedException",
                        timezones::unsupported_message(value),
                    )
                })?;
                p.applied
                    .push(format!("outlook.timezone=\"{}\"", zone.name));
                p.zone = Some(zone);
            }
            "outlook.body-content-type" => {
                let v = value.to_ascii_lowercase();
                if v == "text" || v == "html" {
                    p.body_text = v == "text";
                    p.applied.push(format!("outlook.body-content-type=\"{v}\""));
                }
            }
            _ => {}
        }
    }
    Ok(p)
}

/// Which operation a path names, and what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Events,
    Event,
    Cancel,
    Calendar,
    CalendarView,
    /// `GET …/events/{masterId}/instances`: a series' occurrences in a window.
    Instances,
    GetSchedule,
    FindMeetingTimes,
    People,
    /// `GET /me`: the signed-in person's profile (mail, UPN), what tmeet reads the
    /// organizer's mailbox address from.
    Profile,
    /// `GET …/mailboxSettings[/{property}]` (GRAPH-NEXT §6.1).
    MailboxSettings,
    /// `GET …/outlook/masterCategories` (GRAPH-NEXT §5).
    MasterCategories,
}

impl Op {
    /// Any one of these suffices (PERMS, least privileged first).
    fn permissions(self) -> &'static [&'static str] {
        match self {
            Op::Events | Op::Event | Op::Cancel => &["Calendars.ReadWrite"],
            Op::Calendar | Op::CalendarView | Op::Instances => &[
                "Calendars.ReadBasic",
                "Calendars.Read",
                "Calendars.ReadWrite",
            ],
            // PERMS lists ReadBasic, Read and ReadWrite; the .Shared ones include them.
            Op::GetSchedule => &[
                "Calendars.ReadBasic",
                "Calendars.Read",
                "Calendars.ReadWrite",
                "Calendars.Read.Shared",
                "Calendars.ReadWrite.Shared",
            ],
            Op::FindMeetingTimes => &["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"],
            Op::People => &["People.Read", "People.Read.All"],
            // Delegated and application alike; ReadWrite includes Read.
            Op::MailboxSettings => &["MailboxSettings.Read", "MailboxSettings.ReadWrite"],
            // Reading the list; adding to it needs MailboxSettings.ReadWrite (PERMS).
            Op::MasterCategories => &["MailboxSettings.Read", "MailboxSettings.ReadWrite"],
            Op::Profile => &[
                "User.Read",
                "User.ReadBasic.All",
                "User.Read.All",
                "Directory.Read.All",
            ],
        }
    }

    /// Served by the mailbox in Exchange Online: what `MailboxNotEnabledForRESTAPI` stops.
    fn needs_mailbox(self) -> bool {
        !matches!(self, Op::People | Op::Profile)
    }
}

/// The calendar and people paths; None for every other path (onlineMeetings, `/users`),
/// which `graph.rs` answers.
#[allow(clippy::too_many_arguments)]
pub(crate) fn route(
    shared: &Shared,
    ctx: &RequestIds,
    token: &AccessToken,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    segs: &[String],
) -> Option<Outcome> {
    let is = |s: &String, name: &str| s.eq_ignore_ascii_case(name);
    let (target, rest): (Option<&String>, &[String]) = match segs {
        [me, rest @ ..] if is(me, "me") => (None, rest),
        [users, id, rest @ ..] if is(users, "users") => (Some(id), rest),
        _ => return None,
    };
    let (op, id) = match rest {
        [] if target.is_none() => (Op::Profile, None),
        [events] if is(events, "events") => (Op::Events, None),
        [cal, events] if is(cal, "calendar") && is(events, "events") => (Op::Events, None),
        [cals, _, events] if is(cals, "calendars") && is(events, "events") => (Op::Events, None),
        [events, id] if is(events, "events") => (Op::Event, Some(id)),
        [cal, events, id] if is(cal, "calendar") && is(events, "events") => (Op::Event, Some(id)),
        [cals, _, events, id] if is(cals, "calendars") && is(events, "events") => {
            (Op::Event, Some(id))
        }
        [events, id, cancel] if is(events, "events") && is(cancel, "cancel") => {
            (Op::Cancel, Some(id))
        }
        [cal, events, id, cancel]
            if is(cal, "calendar") && is(events, "events") && is(cancel, "cancel") =>
        {
            (Op::Cancel, Some(id))
        }
        [events, id, i] if is(events, "events") && is(i, "instances") => (Op::Instances, Some(id)),
        [cal, events, id, i]
            if is(cal, "calendar") && is(events, "events") && is(i, "instances") =>
        {
            (Op::Instances, Some(id))
        }
        [cals, _, events, id, i]
            if is(cals, "calendars") && is(events, "events") && is(i, "instances") =>
        {
            (Op::Instances, Some(id))
        }
        [cal] if is(cal, "calendar") => (Op::Calendar, None),
        [view] if is(view, "calendarView") => (Op::CalendarView, None),
        [cal, view] if is(cal, "calendar") && is(view, "calendarView") => (Op::CalendarView, None),
        [cal, gs] if is(cal, "calendar") && is(gs, "getSchedule") => (Op::GetSchedule, None),
        [fmt] if is(fmt, "findMeetingTimes") => (Op::FindMeetingTimes, None),
        [people] if is(people, "people") && target.is_none() => (Op::People, None),
        [settings] if is(settings, "mailboxSettings") => (Op::MailboxSettings, None),
        [settings, property] if is(settings, "mailboxSettings") => {
            (Op::MailboxSettings, Some(property))
        }
        [outlook, categories] if is(outlook, "outlook") && is(categories, "masterCategories") => {
            (Op::MasterCategories, None)
        }
        _ => return None,
    };
    Some(dispatch(
        shared, ctx, token, method, uri, headers, body, target, op, id,
    ))
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    shared: &Shared,
    ctx: &RequestIds,
    token: &AccessToken,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    target: Option<&String>,
    op: Op,
    id: Option<&String>,
) -> Outcome {
    let user = match (&token.principal, target) {
        (Principal::User(me), None) => me.clone(),
        (Principal::User(me), Some(t))
            if t.eq_ignore_ascii_case(&me.id) || t.eq_ignore_ascii_case(&me.upn) =>
        {
            me.clone()
        }
        // Another mailbox needs delegate access, which no emulated user has granted.
        (Principal::User(_), Some(_)) => return Err(access_denied(ctx)),
        (Principal::App, None) => {
            return Err(
                ctx.bad_request("/me request is only valid with delegated authentication flow.")
            );
        }
        // findMeetingTimes: "Application: Not supported"; the status is undocumented.
        (Principal::App, Some(_)) if op == Op::FindMeetingTimes => {
            return Err(access_denied(ctx));
        }
        (Principal::App, Some(t)) => {
            let p = super::org::mailbox(t).ok_or_else(|| {
                ctx.not_found(format!("The user '{t}' was not found in the directory."))
            })?;
            User {
                id: p.id.to_string(),
                display_name: p.display_name.to_string(),
                upn: p.upn.to_string(),
            }
        }
    };
    check(ctx, token, op)?;
    if op.needs_mailbox() && user.upn.eq_ignore_ascii_case(DEMO_USER_UPN) {
        no_mailbox(ctx, &shared.lock().calendar.mailbox, op)?;
    }
    let spent = shared
        .lock()
        .calendar
        .spend(&user.upn.to_ascii_lowercase(), std::time::Instant::now());
    if let Err(wait) = spent {
        let mut r = ctx.error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Please retry again later.",
        );
        if let Some(inner) = r
            .body
            .as_mut()
            .and_then(|b| b["error"].get_mut("innerError"))
        {
            inner["code"] = serde_json::json!("429");
        }
        r.headers
            .push(("retry-after", wait.as_secs().max(1).to_string()));
        return Err(r);
    }
    let call = Call {
        shared,
        ctx,
        user,
        tenant_id: token.tenant_id.clone(),
        uri,
        headers,
        body,
        prefs: prefs(ctx, headers)?,
    };
    let id = id.map(String::as_str).unwrap_or("");
    let reply = match (op, method.clone()) {
        (Op::Events, Method::POST) => super::events::create(&call),
        (Op::Events, Method::GET) => super::events::list(&call),
        (Op::Event, Method::GET) => super::events::get(&call, id),
        (Op::Event, Method::PATCH) => super::events::patch(&call, id),
        (Op::Event, Method::DELETE) => super::events::delete(&call, id),
        (Op::Cancel, Method::POST) => super::events::cancel(&call, id),
        (Op::Calendar, Method::GET) => super::events::calendar(&call),
        (Op::CalendarView, Method::GET) => super::events::calendar_view(&call),
        (Op::Instances, Method::GET) => super::events::instances(&call, id),
        (Op::GetSchedule, Method::POST) => super::schedule::get_schedule(&call),
        (Op::FindMeetingTimes, Method::POST) => super::schedule::find_meeting_times(&call),
        (Op::People, Method::GET) => super::people::people(&call),
        (Op::Profile, Method::GET) => profile(&call),
        (Op::MasterCategories, Method::GET) => super::master_categories::list(&call),
        (Op::MailboxSettings, Method::GET) => {
            super::mailbox_settings::get(&call, (!id.is_empty()).then_some(id))
        }
        (_, m) => Err(ctx.error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ErrorInvalidRequest",
            format!("The HTTP method '{m}' is not supported for this resource."),
        )),
    }?;
    Ok(call.prefs.apply(reply))
}

/// `MailboxNotEnabledForRESTAPI` for the signed-in person without a mailbox Graph can
/// reach (GRAPH-REAL.md Q20): 404 on most paths, 403 on findMeetingTimes as was reported
/// there (microsoft-graph-docs#2907: it works only for mailboxes in Exchange Online).
fn no_mailbox(ctx: &RequestIds, modes: &MailboxModes, op: Op) -> Result<(), Reply> {
    if !modes.none {
        return Ok(());
    }
    Err(if op == Op::FindMeetingTimes {
        ctx.error(
            StatusCode::FORBIDDEN,
            "MailboxNotEnabledForRESTAPI",
            "REST API is not yet supported for this mailbox.",
        )
    } else {
        ctx.error(
            StatusCode::NOT_FOUND,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        )
    })
}

/// The signed-in person's primary SMTP address: the `mail=` mode, else the directory's
/// (None without a mailbox, as for a user with no Exchange licence).
pub(crate) fn mail_of(modes: &MailboxModes, user: &User) -> Option<String> {
    if modes.none && modes.mail.is_none() {
        return None;
    }
    if user.upn.eq_ignore_ascii_case(DEMO_USER_UPN)
        && let Some(m) = &modes.mail
    {
        return Some(m.clone());
    }
    Some(
        super::org::find(&user.upn)
            .map(|p| p.mail.to_string())
            .unwrap_or_else(|| user.upn.clone()),
    )
}

/// `GET /me` with `$select` honoured for the properties it knows.
fn profile(call: &Call) -> Result<Reply, Reply> {
    let mail = mail_of(&call.shared.lock().calendar.mailbox, &call.user);
    let full = serde_json::json!({
        "@odata.context": format!("{}v1.0/$metadata#users/$entity", call.shared.base),
        "id": call.user.id,
        "displayName": call.user.display_name,
        "userPrincipalName": call.user.upn,
        "mail": mail,
    });
    let v = match call.query("$select") {
        Some(list) => {
            let mut out = serde_json::Map::new();
            out.insert("@odata.context".into(), full["@odata.context"].clone());
            for name in list.split(',').map(str::trim) {
                if let Some((k, v)) = full
                    .as_object()
                    .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                {
                    out.insert(k.clone(), v.clone());
                }
            }
            serde_json::Value::Object(out)
        }
        None => full,
    };
    Ok(super::answers::ok(StatusCode::OK, v))
}

fn access_denied(ctx: &RequestIds) -> Reply {
    ctx.error(
        StatusCode::FORBIDDEN,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    )
}

/// 403 ErrorAccessDenied when the token lacks every permission `op` accepts.
fn check(ctx: &RequestIds, token: &AccessToken, op: Op) -> Result<(), Reply> {
    if token.has_any(op.permissions()) {
        Ok(())
    } else {
        Err(access_denied(ctx))
    }
}
