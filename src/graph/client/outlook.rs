//! The Outlook side of Graph that calendar mode uses (GRAPH-SCHEDULING.md §3–§5): events,
//! free/busy, suggestions and people search. These return the service's JSON; reading it
//! is `crate::calendar`'s, which knows what each answer means.

use super::{Extra, GraphClient, Reply, Target, Wait};
use crate::cloud;
use crate::graph::error::{ErrorKind, GraphError};
use reqwest::Method;
use serde_json::Value;

/// A success answer: the parsed JSON (Null for an empty body) and its text as sent.
#[derive(Debug, Clone)]
pub struct Answer {
    pub value: Value,
    pub json: String,
    pub request_id: Option<String>,
    pub client_request_id: String,
}

/// The parts of `mailboxSettings` tmeet uses (GRAPH-NEXT §6.1), as the service gave them:
/// the mailbox's zone (a Windows name by default, IANA where the admin chose it), the
/// working hours object (`daysOfWeek`, `startTime`, `endTime`, `timeZone`, which may be a
/// `customTimeZone`), and the .NET date and time patterns. Kept with the sign-in, so it is
/// serializable; strings are sanitized when read.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MailboxSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
}

impl MailboxSettings {
    /// From the answer, properties in any case; of the working hours only the four
    /// properties that say when and where.
    pub fn from_answer(v: &Value) -> MailboxSettings {
        let get = |o: &Value, name: &str| crate::graph::lenient::value(o, name).cloned();
        let text = |name: &str| {
            get(v, name)
                .and_then(|s| s.as_str().map(|s| crate::sanitize::line(s.trim())))
                .filter(|s| !s.is_empty())
        };
        let working_hours = get(v, "workingHours").filter(Value::is_object).map(|wh| {
            let mut kept = serde_json::Map::new();
            for name in ["daysOfWeek", "startTime", "endTime", "timeZone"] {
                if let Some(x) = get(&wh, name) {
                    kept.insert(name.to_string(), x);
                }
            }
            Value::Object(kept)
        });
        MailboxSettings {
            time_zone: text("timeZone"),
            working_hours,
            date_format: text("dateFormat"),
            time_format: text("timeFormat"),
        }
    }
}

/// `/me/…` or `/users/{id}/…`: app-only credentials name the mailbox.
fn mailbox<'a>(target: &'a Target, rest: &[&'a str]) -> Vec<&'a str> {
    let mut segs = match target {
        Target::Me => vec!["me"],
        Target::User(id) => vec!["users", id.as_str()],
    };
    segs.extend_from_slice(rest);
    segs
}

impl GraphClient {
    /// `POST …/events` with `Prefer: outlook.timezone` so the answer's times are in the
    /// person's zone.
    pub async fn post_event(
        &self,
        target: &Target,
        body: &Value,
        prefer_zone: &str,
        accept_language: Option<&str>,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(&self.inner.base, &mailbox(target, &["events"]));
        self.outlook(
            Method::POST,
            url,
            Some(body.clone()),
            prefer_zone,
            accept_language,
            on_wait,
        )
        .await
    }

    /// `GET …/events/{id}`, optionally `$select`ed.
    pub async fn get_event(
        &self,
        target: &Target,
        id: &str,
        select: Option<&str>,
        prefer_zone: &str,
    ) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(&self.inner.base, &mailbox(target, &["events", id]));
        if let Some(s) = select {
            url.query_pairs_mut().append_pair("$select", s);
        }
        self.outlook(Method::GET, url, None, prefer_zone, None, &|_| {})
            .await
    }

    /// `PATCH …/events/{id}` with `Prefer: outlook.timezone` (the answer's times in that
    /// zone). For a meeting the service mails the change to its attendees (§3.8).
    pub async fn patch_event(
        &self,
        target: &Target,
        id: &str,
        body: &Value,
        prefer_zone: &str,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(&self.inner.base, &mailbox(target, &["events", id]));
        self.outlook(
            Method::PATCH,
            url,
            Some(body.clone()),
            prefer_zone,
            None,
            on_wait,
        )
        .await
    }

    /// The newest events, for finding the one a transaction id made when the duplicate
    /// error does not name it (`$filter` on transactionId is refused, §3.4).
    pub async fn recent_events(&self, target: &Target) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(&self.inner.base, &mailbox(target, &["events"]));
        url.query_pairs_mut()
            .append_pair("$orderby", "createdDateTime desc")
            .append_pair("$top", "25")
            .append_pair(
                "$select",
                "id,transactionId,subject,start,end,isOnlineMeeting,onlineMeetingProvider,onlineMeeting,webLink,attendees",
            );
        self.outlook(Method::GET, url, None, "UTC", None, &|_| {})
            .await
    }

    /// `POST …/events/{id}/cancel` (organizer only; 202 and no body).
    pub async fn cancel_event(
        &self,
        target: &Target,
        id: &str,
        comment: Option<&str>,
    ) -> Result<(), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["events", id, "cancel"]),
        );
        let body = match comment {
            Some(c) => serde_json::json!({ "Comment": c }),
            None => serde_json::json!({}),
        };
        self.outlook(Method::POST, url, Some(body), "UTC", None, &|_| {})
            .await
            .map(|_| ())
    }

    /// `DELETE …/events/{id}`: for the organizer, also a cancellation without a message.
    pub async fn delete_event(&self, target: &Target, id: &str) -> Result<(), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(&self.inner.base, &mailbox(target, &["events", id]));
        self.outlook(Method::DELETE, url, None, "UTC", None, &|_| {})
            .await
            .map(|_| ())
    }

    /// `GET …/calendar`: `allowedOnlineMeetingProviders`, to say why an event got no link.
    pub async fn get_calendar(&self, target: &Target) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(&self.inner.base, &mailbox(target, &["calendar"]));
        url.query_pairs_mut().append_pair(
            "$select",
            "allowedOnlineMeetingProviders,defaultOnlineMeetingProvider",
        );
        self.outlook(Method::GET, url, None, "UTC", None, &|_| {})
            .await
    }

    /// `POST …/calendar/getSchedule`.
    pub async fn get_schedule(
        &self,
        target: &Target,
        body: &Value,
        prefer_zone: &str,
    ) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["calendar", "getSchedule"]),
        );
        self.outlook(
            Method::POST,
            url,
            Some(body.clone()),
            prefer_zone,
            None,
            &|_| {},
        )
        .await
    }

    /// `POST …/findMeetingTimes` (delegated only).
    pub async fn find_meeting_times(
        &self,
        target: &Target,
        body: &Value,
        prefer_zone: &str,
    ) -> Result<Answer, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(&self.inner.base, &mailbox(target, &["findMeetingTimes"]));
        self.outlook(
            Method::POST,
            url,
            Some(body.clone()),
            prefer_zone,
            None,
            &|_| {},
        )
        .await
    }

    /// `GET /me/people?$search="…"` (People.Read).
    pub async fn search_people(&self, query: &str, top: u32) -> Result<Answer, GraphError> {
        let mut url = cloud::join(&self.inner.base, &["me", "people"]);
        url.query_pairs_mut()
            .append_pair("$search", &format!("\"{query}\""))
            .append_pair("$top", &top.to_string())
            .append_pair(
                "$select",
                "displayName,scoredEmailAddresses,userPrincipalName,personType",
            );
        let reply = self
            .send_with(Method::GET, url, None, None, &Extra::default(), &|_| {})
            .await?;
        answer(reply)
    }

    /// `GET /me?$select=mail,userPrincipalName`: the signed-in person's mailbox address
    /// (`mail`, null without a mailbox) and UPN, each trimmed and sanitized; None when
    /// absent or empty.
    pub async fn my_mailbox(&self) -> Result<(Option<String>, Option<String>), GraphError> {
        self.refuse_me_for_app_only(&Target::Me)?;
        let mut url = cloud::join(&self.inner.base, &["me"]);
        url.query_pairs_mut()
            .append_pair("$select", "mail,userPrincipalName");
        let reply = self
            .send_with(Method::GET, url, None, None, &Extra::default(), &|_| {})
            .await?;
        let a = answer(reply)?;
        let text = |name: &str| {
            crate::graph::lenient::value(&a.value, name)
                .and_then(Value::as_str)
                .map(|s| crate::sanitize::line(s.trim()))
                .filter(|s| !s.is_empty())
        };
        Ok((text("mail"), text("userPrincipalName")))
    }

    /// `GET …/mailboxSettings` (MailboxSettings.Read): the mailbox's zone, working hours
    /// and formats.
    pub async fn mailbox_settings(&self, target: &Target) -> Result<MailboxSettings, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(&self.inner.base, &mailbox(target, &["mailboxSettings"]));
        let reply = self
            .send_with(Method::GET, url, None, None, &Extra::default(), &|_| {})
            .await?;
        Ok(MailboxSettings::from_answer(&answer(reply)?.value))
    }

    /// `GET …/outlook/masterCategories` (MailboxSettings.Read, GRAPH-NEXT §5): the names
    /// of the mailbox's categories, sanitized, in the service's order.
    pub async fn master_categories(&self, target: &Target) -> Result<Vec<String>, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["outlook", "masterCategories"]),
        );
        let reply = self
            .send_with(Method::GET, url, None, None, &Extra::default(), &|_| {})
            .await?;
        let a = answer(reply)?;
        let list = crate::graph::lenient::value(&a.value, "value")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(list
            .iter()
            .filter_map(|c| crate::graph::lenient::value(c, "displayName"))
            .filter_map(Value::as_str)
            .map(|n| crate::sanitize::line(n.trim()))
            .filter(|n| !n.is_empty())
            .collect())
    }

    async fn outlook(
        &self,
        method: Method,
        url: url::Url,
        body: Option<Value>,
        prefer_zone: &str,
        language: Option<&str>,
        on_wait: &(dyn Fn(Wait) + Send + Sync),
    ) -> Result<Answer, GraphError> {
        let extra = Extra {
            prefer: Some(format!("outlook.timezone=\"{prefer_zone}\"")),
            consistency_level: None,
        };
        let reply = self
            .send_with(method, url, body, language, &extra, on_wait)
            .await?;
        answer(reply)
    }
}

fn answer(reply: Reply) -> Result<Answer, GraphError> {
    let json = String::from_utf8_lossy(&reply.body).into_owned();
    let value = if json.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&json).map_err(|e| {
            let mut err = GraphError::new(
                ErrorKind::InvalidResponse,
                format!("the answer is not JSON ({e})"),
            );
            err.status = Some(reply.status.as_u16());
            err.request_id = reply.request_id.clone();
            err.client_request_id = Some(reply.client_request_id.clone());
            err
        })?
    };
    Ok(Answer {
        value,
        json,
        request_id: reply.request_id,
        client_request_id: reply.client_request_id,
    })
}
