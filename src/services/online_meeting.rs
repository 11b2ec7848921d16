//! The one flow behind `tmeet create`, `tmeet update` and the TUI's create: resolve the
//! attendees in the directory, send, then read back what the service actually set and
//! compare it with what was asked (GRAPH-SCHEDULING.md §1.3: tenant policy overrides
//! options silently and still answers 201).
//!
//! Read-back never fails the operation: the meeting exists once the service said so, and
//! a failed comparison is a warning.

use crate::graph::client::{Created, DirectoryUser, GraphClient, Target, Wait};
use crate::graph::error::{ErrorKind, GraphError};
use crate::graph::model::NewMeeting;
use crate::meeting::MeetingRequest;
use crate::meeting::attendees::{Attendee, Role};
use crate::meeting::options::{Choices, Difference, MeetingOptions, Observed};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use std::fmt;

use crate::permissions::DIRECTORY_SCOPE as USERS_SCOPE;
use crate::services::read_back::{self, AfterFailure};

/// A created or updated meeting and what the tenant changed.
#[derive(Debug, Clone)]
pub struct Scheduled {
    /// The body of the POST/PATCH, as sent: what the history records as asked.
    pub sent: Value,
    /// The service's answer to the POST/PATCH, unchanged.
    pub created: Created,
    pub differences: Vec<Difference>,
    pub roles: Vec<RoleDifference>,
    /// Why the comparison could not be completed (the meeting exists regardless).
    pub warning: Option<String>,
}

impl Scheduled {
    /// One line per difference, as the result pane and `create` print them, each headed by
    /// what is known: `tenant changed: …`, or `could not confirm: …` for an option the
    /// service's answers leave out.
    pub fn difference_lines(&self) -> Vec<String> {
        self.differences
            .iter()
            .map(Difference::line)
            .chain(self.roles.iter().map(|r| format!("tenant changed: {r}")))
            .collect()
    }

    /// `{"tenantChanged":[…],"notConfirmed":[…]}` for `--json` (stderr), or None when
    /// nothing differs. An option the answers leave out is not confirmed, never reported as
    /// changed.
    pub fn differences_json(&self) -> Option<String> {
        if self.differences.is_empty() && self.roles.is_empty() {
            return None;
        }
        let mut changed = Vec::new();
        let mut unconfirmed = Vec::new();
        for d in &self.differences {
            let set = match &d.got {
                Observed::Absent => {
                    unconfirmed.push(json!({"option": d.spec.key, "graph": d.spec.graph,
                                            "asked": d.asked.name}));
                    continue;
                }
                Observed::Choice(c) => d.spec.choices[*c].name.to_string(),
                Observed::Other(raw) => raw.clone(),
            };
            changed.push(json!({"option": d.spec.key, "graph": d.spec.graph,
                                "asked": d.asked.name, "set": set}));
        }
        changed.extend(self.roles.iter().map(|r| {
            json!({"attendee": r.who, "graph": "participants.attendees.role",
                   "asked": r.asked.name(),
                   "set": r.got.as_deref().map_or(Value::Null, |g| Value::String(g.to_string()))})
        }));
        let mut out = json!({ "tenantChanged": changed });
        if !unconfirmed.is_empty() {
            out["notConfirmed"] = Value::Array(unconfirmed);
        }
        Some(out.to_string())
    }
}

/// An attendee whose role (or presence) differs from what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDifference {
    pub who: String,
    pub asked: Role,
    /// The role the answer gives, or None when the person is not on the meeting.
    pub got: Option<String>,
}

impl fmt::Display for RoleDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = crate::sanitize::line(&self.who);
        match &self.got {
            Some(role) => write!(
                f,
                "{who}: asked {}, tenant set {}",
                self.asked,
                crate::sanitize::line(role)
            ),
            None => write!(f, "{who}: asked {}, not on the meeting", self.asked),
        }
    }
}

/// Why a create or update did not happen (or may have).
#[derive(Debug)]
pub enum ScheduleError {
    /// Refused before anything was sent: the input names nobody, or a role cannot be given.
    Refused(String),
    /// Looking people up needs a permission the sign-in lacks; the text says what to do.
    Consent(String),
    /// The service refused or failed; `kind` decides between "nothing created" and
    /// "outcome unknown" as before.
    Graph(GraphError),
    /// A PATCH failed in a way that leaves it open whether it was applied (a 5xx, a lost
    /// answer), and the meeting was read back: what changed and what did not. (Read back
    /// as fully applied, the update succeeds with a warning instead.)
    Unsaved(Box<crate::services::read_back::AfterFailure>),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Refused(s) | ScheduleError::Consent(s) => f.write_str(s),
            ScheduleError::Graph(e) => e.fmt(f),
            ScheduleError::Unsaved(after) => after.fmt(f),
        }
    }
}

impl From<GraphError> for ScheduleError {
    fn from(e: GraphError) -> Self {
        ScheduleError::Graph(e)
    }
}

/// Resolve attendees → POST → read back → differences.
pub async fn create(
    client: &GraphClient,
    target: &Target,
    req: &MeetingRequest,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<Scheduled, ScheduleError> {
    let people = resolve(client, req.attendees()).await?;
    let mut new: NewMeeting = req.into();
    if !people.is_empty() {
        body_map(&mut new.body).insert("participants".into(), participants(&people));
    }
    let sent = new.body.clone();
    let created = client.create_meeting(target, new, on_wait).await?;
    Ok(read_back(client, target, sent, created, req.options(), &people).await)
}

/// What an update changes: only what the person named (`tmeet update`'s flags), or what
/// differs between the meeting and the form's edit of it ([`Change::between`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub subject: Option<String>,
    /// Start and end, always together (GRAPH.md §4).
    pub times: Option<(String, String)>,
    pub options: MeetingOptions,
    /// When given, the full list replaces the meeting's (a PATCH of attendees needs it all).
    pub attendees: Option<Vec<Attendee>>,
}

impl Change {
    /// The change that takes the meeting as it is to what the edit wants: a field equal to
    /// the service's value is not sent.
    pub fn between(was: &Existing, wanted: &Edited) -> Change {
        let subject = (wanted.subject != was.subject).then(|| wanted.subject.clone());
        let moved = was.start != Some(wanted.start.with_timezone(&Utc))
            || was.end != Some(wanted.end.with_timezone(&Utc));
        let times = moved.then(|| (wire_time(&wanted.start), wire_time(&wanted.end)));
        let options = wanted.options.beyond(&was.options);
        let key = |list: &[Attendee]| {
            let mut k: Vec<(String, Role)> = list
                .iter()
                .map(|a| (a.who.to_lowercase(), a.role))
                .collect();
            k.sort_by(|a, b| a.0.cmp(&b.0));
            k
        };
        let attendees =
            (key(&wanted.attendees) != key(&was.attendees)).then(|| wanted.attendees.clone());
        Change {
            subject,
            times,
            options,
            attendees,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.subject.is_none()
            && self.times.is_none()
            && self.options.is_empty()
            && self.attendees.is_none()
    }

    /// What the PATCH sends, in the words the form shows: `subject, start and end,
    /// attendees, Who can bypass the lobby`.
    pub fn summary(&self) -> String {
        let mut items: Vec<&str> = Vec::new();
        if self.subject.is_some() {
            items.push("subject");
        }
        if self.times.is_some() {
            items.push("start and end");
        }
        if self.attendees.is_some() {
            items.push("attendees");
        }
        items.extend(self.options.changed().map(|(spec, _)| spec.label));
        items.join(", ")
    }
}

/// Times as the PATCH sends them: the offset the person typed in, to the second.
pub fn wire_time(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A meeting as the service has it, in the terms a change is made in: what the form's edit
/// opens with, and what the edit is compared against.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub subject: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Whether joining by meeting ID needs the passcode; None when the answer does not say.
    pub passcode: Option<bool>,
    /// Who is on the meeting, by UPN (or object id when the answer has no UPN).
    pub attendees: Vec<Attendee>,
    /// Every option the answer names a value for; the rest stay unset.
    pub options: MeetingOptions,
}

impl Existing {
    pub fn of(meeting: &Created) -> Existing {
        let m = &meeting.meeting;
        let mut options = MeetingOptions::new();
        for (i, spec) in crate::meeting::options::SPECS.iter().enumerate() {
            if let Observed::Choice(c) = spec.read(&meeting.raw) {
                options.set_index(i, Some(c));
            }
        }
        let attendees = listed_attendees(&meeting.raw)
            .into_iter()
            .filter_map(|e| {
                let who = e
                    .get("upn")
                    .and_then(Value::as_str)
                    .filter(|u| !u.trim().is_empty())
                    .or_else(|| e.pointer("/identity/user/id").and_then(Value::as_str))?;
                let role = e
                    .get("role")
                    .and_then(Value::as_str)
                    .and_then(Role::parse)
                    .unwrap_or_default();
                Some(Attendee {
                    who: who.to_string(),
                    role,
                })
            })
            .collect();
        Existing {
            subject: m.subject.clone().unwrap_or_default(),
            start: m.start_date_time,
            end: m.end_date_time,
            passcode: m
                .join_meeting_id_settings
                .as_ref()
                .and_then(|j| j.is_passcode_required),
            attendees,
            options,
        }
    }
}

/// The whole meeting as the form's edit leaves it.
#[derive(Debug, Clone)]
pub struct Edited {
    pub subject: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub attendees: Vec<Attendee>,
    pub options: MeetingOptions,
}

/// Resolve attendees → PATCH (only what changed; never `joinMeetingIdSettings`) → read
/// back → differences. Create-only options are refused before sending.
pub async fn update(
    client: &GraphClient,
    target: &Target,
    id: &str,
    change: &Change,
    on_wait: &(dyn Fn(Wait) + Send + Sync),
) -> Result<Scheduled, ScheduleError> {
    change
        .options
        .check_patchable()
        .map_err(|e| ScheduleError::Refused(e.to_string()))?;
    let people = match &change.attendees {
        Some(list) => resolve(client, list).await?,
        None => Vec::new(),
    };
    // A settings object is replaced whole by a PATCH: the members not being changed are
    // sent as the service has them now, read just before.
    let current = if change.options.touches_objects() {
        Some(client.fetch_meeting(target, id).await?.raw)
    } else {
        None
    };
    let body = patch_body(change, &people, current.as_ref());
    if body.is_empty() {
        return Err(ScheduleError::Refused(
            "nothing to change: give --subject, --start/--end, --attendee or an option flag".into(),
        ));
    }
    let sent = Value::Object(body);
    let updated = match client.patch_meeting(target, id, &sent, on_wait).await {
        Ok(updated) => updated,
        Err(e) if read_back::may_have_applied(&e) => {
            // Applied or not, the answer does not say (GRAPH-REAL.md Q15): the meeting does.
            let (after, now) = match client.fetch_meeting(target, id).await {
                Ok(now) => (
                    AfterFailure {
                        now: Some(now.raw.clone()),
                        ..AfterFailure::read(e, "meeting", applied(change, &people, &now))
                    },
                    Some(now),
                ),
                Err(why) => (AfterFailure::unreadable(e, "meeting", why), None),
            };
            return match (after.outcome(), now) {
                (crate::exit::Outcome::Done, Some(now)) => {
                    let mut done =
                        read_back(client, target, sent, now, &change.options, &people).await;
                    done.warning = Some(after.to_string());
                    Ok(done)
                }
                _ => Err(ScheduleError::Unsaved(Box::new(after))),
            };
        }
        Err(e) => return Err(e.into()),
    };
    Ok(read_back(client, target, sent, updated, &change.options, &people).await)
}

/// Each field of `change` as the meeting read back has it: the subject, the times (to the
/// second), each option, and the attendee list (everyone asked, with the role asked, and
/// nobody else).
fn applied(change: &Change, people: &[Resolved], now: &Created) -> Vec<read_back::Field> {
    use read_back::{Field, Found};
    let m = &now.meeting;
    let mut out = Vec::new();
    if let Some(s) = &change.subject {
        out.push(Field::compare(
            "subject",
            &Some(s.as_str()),
            &m.subject.as_deref(),
        ));
    }
    if let Some((start, end)) = &change.times {
        let instant = |t: &str| {
            DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| t.with_timezone(&Utc).timestamp())
        };
        let asked = (instant(start), instant(end));
        let has = (
            m.start_date_time.map(|t| t.timestamp()),
            m.end_date_time.map(|t| t.timestamp()),
        );
        out.push(Field::compare("start and end", &asked, &has));
    }
    for (spec, choice) in change.options.changed() {
        let found = match spec.read(&now.raw) {
            Observed::Absent => Found::Unconfirmed,
            Observed::Choice(c) if spec.choices[c].name == choice.name => Found::Applied,
            _ => Found::NotApplied,
        };
        out.push(Field::new(spec.key, found));
    }
    if change.attendees.is_some() {
        let exact = role_differences(people, &now.raw).is_empty()
            && listed_attendees(&now.raw).len() == people.len();
        out.push(Field::compare("attendees", &true, &exact));
    }
    out
}

/// Only what the person named: times together, never `joinMeetingIdSettings` (the service
/// refuses it on PATCH, GRAPH.md §4), attendees as the full list.
fn patch_body(change: &Change, people: &[Resolved], current: Option<&Value>) -> Map<String, Value> {
    let mut body = Map::new();
    if let Some(s) = &change.subject {
        body.insert("subject".into(), Value::String(s.clone()));
    }
    if let Some((start, end)) = &change.times {
        body.insert("startDateTime".into(), Value::String(start.clone()));
        body.insert("endDateTime".into(), Value::String(end.clone()));
    }
    match current {
        Some(now) => change.options.write_patch_into(&mut body, now),
        None => change.options.write_into(&mut body),
    }
    if change.attendees.is_some() {
        body.insert("participants".into(), participants(people));
    }
    body
}

/// The meeting's id from its id or its join link (`$filter=JoinWebUrl eq '…'`).
pub async fn meeting_id(
    client: &GraphClient,
    target: &Target,
    id_or_link: &str,
) -> Result<String, ScheduleError> {
    let s = id_or_link.trim();
    if !s.starts_with("https://") && !s.starts_with("http://") {
        return Ok(s.to_string());
    }
    match client.find_by_join_url(target, s).await? {
        Some(m) => m.id.ok_or_else(|| {
            ScheduleError::Graph(GraphError::new(
                ErrorKind::InvalidResponse,
                "the meeting found by its join link has no id",
            ))
        }),
        None => Err(ScheduleError::Refused(format!(
            "no meeting of yours has the join link {}; check the link, or give the meeting's id",
            crate::sanitize::line(s)
        ))),
    }
}

/// One attendee as the service wants it: directory id and UPN (id alone has answered
/// 500, GRAPH-SCHEDULING.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub typed: String,
    pub id: String,
    pub upn: String,
    pub role: Role,
}

/// Looks every attendee up. Guests are in the directory (Entra registers them), so they
/// keep their roles; someone the directory does not know cannot be on a standalone
/// meeting at all: the service needs an id, and external people join by the link.
async fn resolve(
    client: &GraphClient,
    people: &[Attendee],
) -> Result<Vec<Resolved>, ScheduleError> {
    let mut out = Vec::with_capacity(people.len());
    for a in people {
        let user: DirectoryUser = match super::people::look_up(client, &a.who).await {
            Ok(super::people::Lookup::Found { user, .. }) => user,
            Ok(super::people::Lookup::NotFound { tried }) => {
                let what = if a.role.needs_member() {
                    format!(
                        "{} cannot be {}: only people in your organization's directory can have that role, and the directory has no one by that address (looked up {tried})",
                        a.who, a.role
                    )
                } else {
                    format!(
                        "{} is not in your organization's directory (looked up {tried}), and a standalone meeting can list only people who are",
                        a.who
                    )
                };
                return Err(ScheduleError::Refused(format!(
                    "{what}; nothing was created. Remove them and share the join link with them instead"
                )));
            }
            Err(e) if e.status == Some(403) || is_consent(&e) => {
                return Err(ScheduleError::Consent(consent_message(
                    client.is_app_only(),
                )));
            }
            Err(e) => return Err(ScheduleError::Graph(e)),
        };
        let upn = user
            .user_principal_name
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| a.who.clone());
        out.push(Resolved {
            typed: a.who.clone(),
            id: user.id,
            upn,
            role: a.role,
        });
    }
    Ok(out)
}

/// A refresh that asked for a scope never consented to (AADSTS65001, consent_required).
fn is_consent(e: &GraphError) -> bool {
    e.kind == ErrorKind::Auth
        && (e.message.contains("65001")
            || e.message.contains("consent_required")
            || e.message.contains(USERS_SCOPE))
}

/// What to do when the directory look-up is not allowed.
pub fn consent_message(app_only: bool) -> String {
    if app_only {
        "attendees need the directory, and the app registration lacks the User.Read.All \
         application permission: ask an administrator to grant it, or create the meeting \
         without --attendee"
            .into()
    } else {
        format!(
            "attendees need permission to look people up ({USERS_SCOPE}): run \
             `tmeet login --scope {USERS_SCOPE}`, then try again"
        )
    }
}

fn participants(people: &[Resolved]) -> Value {
    let list: Vec<Value> = people
        .iter()
        .map(|p| json!({"identity": {"user": {"id": p.id}}, "upn": p.upn, "role": p.role.graph()}))
        .collect();
    json!({ "attendees": list })
}

fn body_map(body: &mut Value) -> &mut Map<String, Value> {
    if !body.is_object() {
        *body = Value::Object(Map::new());
    }
    match body {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// Compares what was asked with the answer; where the answer does not say, with one GET.
async fn read_back(
    client: &GraphClient,
    target: &Target,
    sent: Value,
    created: Created,
    options: &MeetingOptions,
    people: &[Resolved],
) -> Scheduled {
    let mut differences = options.differences(&created.raw);
    let mut roles = role_differences(people, &created.raw);
    let mut warning = None;
    let absent = differences.iter().any(|d| d.got == Observed::Absent) || !roles.is_empty();
    if absent {
        // Attendees were reported missing from the 201 body (GRAPH-SCHEDULING.md §2);
        // the meeting itself is the truth.
        match created.meeting.id.as_deref() {
            Some(id) => match client.fetch_meeting(target, id).await {
                Ok(fresh) => {
                    differences = options.differences(&fresh.raw);
                    roles = role_differences(people, &fresh.raw);
                }
                Err(e) => {
                    warning = Some(format!(
                        "the meeting was created, but reading it back to compare the options failed: {e}"
                    ))
                }
            },
            None => warning = Some("the answer has no id to read the meeting back by".into()),
        }
    }
    Scheduled {
        sent,
        created,
        differences,
        roles,
        warning,
    }
}

/// Each asked attendee's role against the answer's `participants.attendees`, matched by
/// id or UPN without regard to case.
pub fn role_differences(people: &[Resolved], answer: &Value) -> Vec<RoleDifference> {
    let listed = listed_attendees(answer);
    people
        .iter()
        .filter_map(|p| {
            let entry = listed.iter().find(|e| {
                let id = e.pointer("/identity/user/id").and_then(Value::as_str);
                let upn = e.get("upn").and_then(Value::as_str);
                id.is_some_and(|i| i.eq_ignore_ascii_case(&p.id))
                    || upn.is_some_and(|u| u.eq_ignore_ascii_case(&p.upn))
            });
            match entry {
                None => Some(RoleDifference {
                    who: p.typed.clone(),
                    asked: p.role,
                    got: None,
                }),
                Some(e) => {
                    let got = e.get("role").and_then(Value::as_str);
                    match got.and_then(Role::parse) {
                        Some(r) if r == p.role => None,
                        _ => Some(RoleDifference {
                            who: p.typed.clone(),
                            asked: p.role,
                            got: Some(got.unwrap_or("no role").to_string()),
                        }),
                    }
                }
            }
        })
        .collect()
}

/// `participants.attendees` of an answer, read leniently (any key case, null as none).
fn listed_attendees(answer: &Value) -> Vec<&Value> {
    use crate::graph::lenient::value;
    value(answer, "participants")
        .and_then(|p| value(p, "attendees"))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada(role: Role) -> Resolved {
        Resolved {
            typed: "ada@contoso.com".into(),
            id: "11111111-1111-1111-1111-111111111111".into(),
            upn: "ada@contoso.com".into(),
            role,
        }
    }

    #[test]
    fn roles_are_compared_by_id_or_upn_and_a_missing_person_is_a_difference() {
        let answer = json!({"participants": {"attendees": [
            {"identity": {"user": {"id": "11111111-1111-1111-1111-111111111111"}},
             "upn": "ADA@contoso.com", "role": "attendee"}
        ]}});
        assert!(role_differences(&[ada(Role::Attendee)], &answer).is_empty());
        let d = role_differences(&[ada(Role::Presenter)], &answer);
        assert_eq!(
            d[0].to_string(),
            "ada@contoso.com: asked presenter, tenant set attendee"
        );
        let d = role_differences(&[ada(Role::Presenter)], &json!({}));
        assert_eq!(
            d[0].to_string(),
            "ada@contoso.com: asked presenter, not on the meeting"
        );
    }

    /// An option the answer and the read-back both leave out is "could not confirm", in
    /// the lines and in the JSON, never "tenant changed … set nothing".
    #[test]
    fn an_option_nobody_reports_is_not_confirmed_rather_than_changed() {
        let mut options = MeetingOptions::new();
        options.set("lobby", "everyone").unwrap();
        options.set("recording", "off").unwrap();
        let answer = json!({"id": "m1", "lobbyBypassSettings": {"scope": "organization"}});
        let scheduled = Scheduled {
            sent: Value::Null,
            created: Created {
                meeting: serde_json::from_value(answer.clone()).unwrap(),
                raw: answer.clone(),
                json: answer.to_string(),
                request_id: None,
            },
            differences: options.differences(&answer),
            roles: Vec::new(),
            warning: None,
        };
        assert_eq!(
            scheduled.difference_lines(),
            [
                "tenant changed: lobby: asked everyone, tenant set people in my org and guests",
                "could not confirm: recording: asked off, but the service's answer does not say \
                 what it set (allowRecording is not in it)"
            ]
        );
        let v: Value = serde_json::from_str(&scheduled.differences_json().unwrap()).unwrap();
        assert_eq!(
            v,
            json!({
                "tenantChanged": [{"option": "lobby", "graph": "lobbyBypassSettings.scope",
                                   "asked": "everyone", "set": "organization"}],
                "notConfirmed": [{"option": "recording", "graph": "allowRecording",
                                  "asked": "off"}]
            })
        );
    }

    #[test]
    fn a_patch_holds_only_what_changed() {
        let mut options = MeetingOptions::new();
        options.set("lobby", "organizer").unwrap();
        let change = Change {
            options,
            ..Change::default()
        };
        assert_eq!(
            Value::Object(patch_body(&change, &[], None)),
            json!({"lobbyBypassSettings": {"scope": "organizer"}})
        );
        let change = Change {
            times: Some((
                "2037-01-01T10:00:00+01:00".into(),
                "2037-01-01T11:00:00+01:00".into(),
            )),
            ..Change::default()
        };
        assert_eq!(
            Value::Object(patch_body(&change, &[], None)),
            json!({"startDateTime": "2037-01-01T10:00:00+01:00", "endDateTime": "2037-01-01T11:00:00+01:00"})
        );
    }

    #[test]
    fn participants_carry_id_and_upn() {
        let v = participants(&[ada(Role::Coorganizer)]);
        assert_eq!(
            v,
            json!({"attendees": [{"identity": {"user": {"id": "11111111-1111-1111-1111-111111111111"}},
                                  "upn": "ada@contoso.com", "role": "coorganizer"}]})
        );
    }
}
