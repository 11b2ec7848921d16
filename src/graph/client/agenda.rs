//! The day's meetings (GRAPH-NEXT §3, §4.1, §7.1): `calendarView` and its delta, the three
//! answers to an invitation, and a meeting's attendance reports. These return the
//! service's pages as JSON; reading an event is `crate::calendar::agenda`'s, through
//! `graph::lenient`.

use super::{Extra, GraphClient, Target};
use crate::cloud;
use crate::graph::error::{ErrorKind, GraphError};
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;
use serde_json::Value;
use url::Url;

/// What the agenda reads of an event from `calendarView` (§3.1's list, plus what answering
/// and counting answers need). The delta takes no `$select` and sends all of it.
pub const AGENDA_SELECT: &str = "subject,start,end,isAllDay,isCancelled,isOrganizer,organizer,\
responseStatus,showAs,type,seriesMasterId,isOnlineMeeting,onlineMeetingProvider,onlineMeeting,\
location,webLink,sensitivity,allowNewTimeProposals,responseRequested,attendees";

/// Events a page asks for: the service's default is ten, which would make a week of 200
/// events twenty round trips.
pub const PAGE_SIZE: u32 = 100;

/// One page of a collection.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Value>,
    /// `@odata.nextLink`: the next page (a `$skiptoken` for a delta).
    pub next: Option<Url>,
    /// `@odata.deltaLink`: where the next delta round starts (its last page only).
    pub delta: Option<Url>,
}

/// `accept`, `tentativelyAccept` or `decline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerAction {
    Accept,
    Tentative,
    Decline,
}

impl AnswerAction {
    pub fn path(self) -> &'static str {
        match self {
            AnswerAction::Accept => "accept",
            AnswerAction::Tentative => "tentativelyAccept",
            AnswerAction::Decline => "decline",
        }
    }
}

fn mailbox<'a>(target: &'a Target, rest: &[&'a str]) -> Vec<&'a str> {
    let mut segs = match target {
        Target::Me => vec!["me"],
        Target::User(id) => vec!["users", id.as_str()],
    };
    segs.extend_from_slice(rest);
    segs
}

fn utc(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl GraphClient {
    /// The first page of `GET …/calendarView` for `[from, to)`, times in UTC.
    pub async fn calendar_view(
        &self,
        target: &Target,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Page, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(&self.inner.base, &mailbox(target, &["calendarView"]));
        url.query_pairs_mut()
            .append_pair("startDateTime", &utc(&from))
            .append_pair("endDateTime", &utc(&to))
            .append_pair("$select", AGENDA_SELECT)
            .append_pair("$orderby", "start/dateTime")
            .append_pair("$top", &PAGE_SIZE.to_string());
        self.agenda_page(url).await
    }

    /// The first page of `GET …/events/{id}/instances` for `[from, to)`, times in UTC: a
    /// series' occurrences and exceptions in the window, cancelled ones left out, in no
    /// promised order (GRAPH-NEXT §2.2).
    pub async fn event_instances(
        &self,
        target: &Target,
        id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Page, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["events", id, "instances"]),
        );
        url.query_pairs_mut()
            .append_pair("startDateTime", &utc(&from))
            .append_pair("endDateTime", &utc(&to))
            .append_pair("$top", &PAGE_SIZE.to_string());
        self.agenda_page(url).await
    }

    /// The first round of `GET …/calendarView/delta` for `[from, to)`: every event of the
    /// window, ending in a delta link.
    pub async fn calendar_delta(
        &self,
        target: &Target,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Page, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let mut url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["calendarView", "delta"]),
        );
        url.query_pairs_mut()
            .append_pair("startDateTime", &utc(&from))
            .append_pair("endDateTime", &utc(&to));
        self.agenda_page(url).await
    }

    /// A next or delta link of an earlier page, followed verbatim (the tokens in it encode
    /// the window). Only a link to the same service is followed: the token goes with it.
    pub async fn follow(&self, link: &Url) -> Result<Page, GraphError> {
        let base = &self.inner.base;
        let same = link.scheme() == base.scheme()
            && link.host_str() == base.host_str()
            && link.port_or_known_default() == base.port_or_known_default()
            && link.path().starts_with(base.path().trim_end_matches('/'));
        if !same {
            return Err(GraphError::new(
                ErrorKind::InvalidResponse,
                "the service sent a next-page link to another host; it was not followed",
            ));
        }
        self.agenda_page(link.clone()).await
    }

    async fn agenda_page(&self, url: Url) -> Result<Page, GraphError> {
        let extra = Extra {
            prefer: Some(format!(
                "outlook.timezone=\"UTC\", odata.maxpagesize={PAGE_SIZE}"
            )),
            consistency_level: None,
        };
        let reply = self
            .send_with(Method::GET, url, None, None, &extra, &|_| {})
            .await?;
        let mut v: Value = serde_json::from_slice(&reply.body)
            .map_err(|e| self.invalid_body(&reply, &format!("it is not JSON ({e})"), false))?;
        let link = |v: &Value, name: &str| {
            crate::graph::lenient::value(v, name)
                .and_then(Value::as_str)
                .and_then(|s| Url::parse(s).ok())
        };
        let (next, delta) = (link(&v, "@odata.nextLink"), link(&v, "@odata.deltaLink"));
        // The list is taken out of the page rather than copied: a page of a hundred events
        // with their bodies is half a megabyte.
        let key = crate::graph::lenient::key(&v, "value");
        let items = match key.and_then(|k| v.as_object_mut()?.remove(&k)) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(self.invalid_body(
                    &reply,
                    "it is not a collection (no value list)",
                    false,
                ));
            }
        };
        Ok(Page { items, next, delta })
    }

    /// `POST …/events/{id}/accept|tentativelyAccept|decline` (202, no body). `body` holds
    /// `comment`, `sendResponse` and, for the last two, `proposedNewTime`.
    pub async fn answer_event(
        &self,
        target: &Target,
        id: &str,
        action: AnswerAction,
        body: &Value,
    ) -> Result<(), GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = cloud::join(
            &self.inner.base,
            &mailbox(target, &["events", id, action.path()]),
        );
        self.send_with(
            Method::POST,
            url,
            Some(body.clone()),
            None,
            &Extra::default(),
            &|_| {},
        )
        .await
        .map(|_| ())
    }

    /// `GET …/onlineMeetings/{id}/attendanceReports`: at most the 50 newest sessions,
    /// without their records.
    pub async fn attendance_reports(
        &self,
        target: &Target,
        meeting_id: &str,
    ) -> Result<Vec<Value>, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = self
            .meetings_url(target, &[meeting_id, "attendanceReports"])
            .await?;
        self.collection(url).await
    }

    /// `GET …/attendanceReports/{reportId}/attendanceRecords`, every page.
    pub async fn attendance_records(
        &self,
        target: &Target,
        meeting_id: &str,
        report_id: &str,
    ) -> Result<Vec<Value>, GraphError> {
        self.refuse_me_for_app_only(target)?;
        let url = self
            .meetings_url(
                target,
                &[
                    meeting_id,
                    "attendanceReports",
                    report_id,
                    "attendanceRecords",
                ],
            )
            .await?;
        self.collection(url).await
    }

    async fn collection(&self, url: Url) -> Result<Vec<Value>, GraphError> {
        let mut page = self.agenda_page(url).await?;
        let mut all = std::mem::take(&mut page.items);
        // A bound on pages, so a service that links a page to itself cannot loop forever.
        for _ in 0..100 {
            let Some(next) = page.next.take() else { break };
            page = self.follow(&next).await?;
            all.append(&mut page.items);
        }
        Ok(all)
    }
}
