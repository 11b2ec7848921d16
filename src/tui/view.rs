//! Plain data the screens show, built once from what the service answered. Everything in
//! here has already been through `sanitize`, so rendering never sees raw server text.

use super::save;
use crate::graph::GraphError;
use crate::graph::error::ErrorKind;
use crate::graph::model::OnlineMeeting;
use crate::meeting::share::Shareable;
use crate::meeting::{invitation, time};
use crate::sanitize;
use chrono_tz::Tz;

/// Width the invitation text is wrapped at; the copied text uses the same wrapping.
pub const INVITATION_WIDTH: usize = 72;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultView {
    pub subject: String,
    pub when: Option<String>,
    pub join_url: Option<String>,
    pub meeting_id: Option<String>,
    pub passcode: Option<String>,
    pub toll: Option<String>,
    pub toll_free: Option<String>,
    pub conference_id: Option<String>,
    pub dialin_url: Option<String>,
    pub language: Option<String>,
    pub invitation: Option<String>,
    /// The invitation's HTML, made safe ([`invitation::safe_html`]): what a system clipboard
    /// offers beside the text, so a paste into mail or chat keeps the formatted invitation.
    pub invitation_html: Option<String>,
    /// The calendar file `s` saves; None without start and end times. Built when the result
    /// arrives: the iCalendar text is stamped with the time it was made.
    pub calendar: Option<CalendarFile>,
    /// The join link as a QR code (half blocks, light modules as `█`), drawn once here
    /// rather than on every frame.
    pub qr: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFile {
    /// The file name without `.ics`: the start date and a slug of the subject.
    pub stem: String,
    pub text: String,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(sanitize::line)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl ResultView {
    pub fn from_meeting(m: &OnlineMeeting, zone: &Tz, language: Option<&str>) -> Self {
        let when = match (m.start_date_time, m.end_date_time) {
            (Some(s), Some(e)) => Some(time::describe_range(
                &s.with_timezone(zone),
                &e.with_timezone(zone),
            )),
            _ => None,
        };
        let audio = m.audio_conferencing.clone().unwrap_or_default();
        let invitation = m
            .join_information
            .as_ref()
            .and_then(|b| invitation::to_text(b, INVITATION_WIDTH))
            .map(|t| without_rules(&t));
        let invitation_html = invitation
            .as_ref()
            .and(m.join_information.as_ref())
            .and_then(invitation::decode_html)
            .map(|h| invitation::safe_html(&h));
        let share = Shareable::from_meeting(m);
        let calendar = share
            .to_ics(invitation.as_deref())
            .zip(m.start_date_time)
            .map(|(text, start)| CalendarFile {
                stem: format!(
                    "{}-{}",
                    start.with_timezone(zone).format("%Y-%m-%d"),
                    save::slug(&share.subject)
                ),
                text,
            });
        let first = |one: Option<String>, many: Option<Vec<String>>| {
            one.or_else(|| many.and_then(|v| v.into_iter().next()))
        };
        Self {
            subject: clean(m.subject.as_deref()).unwrap_or_else(|| "(no subject)".into()),
            when,
            join_url: clean(m.join_web_url.as_deref()),
            meeting_id: clean(m.join_meeting_id()),
            passcode: clean(m.passcode()),
            toll: clean(first(audio.toll_number, audio.toll_numbers).as_deref()),
            toll_free: clean(first(audio.toll_free_number, audio.toll_free_numbers).as_deref()),
            conference_id: clean(audio.conference_id.as_deref()),
            dialin_url: clean(audio.dialin_url.as_deref()),
            language: clean(language),
            invitation,
            invitation_html,
            calendar,
            qr: share.join_qr(),
        }
    }

    /// "123 456 789 012" — the digits in threes, as Teams prints them.
    pub fn meeting_id_grouped(&self) -> Option<String> {
        self.meeting_id
            .as_deref()
            .map(crate::meeting::share::group_meeting_id)
    }

    pub fn has_dial_in(&self) -> bool {
        self.toll.is_some() || self.toll_free.is_some() || self.conference_id.is_some()
    }

    /// Dial-in details as lines a person can paste.
    pub fn dial_in_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = &self.toll {
            out.push(format!("Phone: {t}"));
        }
        if let Some(t) = &self.toll_free {
            out.push(format!("Toll-free: {t}"));
        }
        if let Some(c) = &self.conference_id {
            out.push(format!("Conference ID: {c}#"));
        }
        if let Some(u) = &self.dialin_url {
            out.push(format!("Local numbers: {u}"));
        }
        out
    }

    /// Everything a person would paste into a chat when there is no invitation text.
    fn summary_text(&self) -> String {
        let mut out = vec![self.subject.clone()];
        if let Some(w) = &self.when {
            out.push(w.clone());
        }
        if let Some(u) = &self.join_url {
            out.push(format!("Join: {u}"));
        }
        if let Some(id) = self.meeting_id_grouped() {
            out.push(format!("Meeting ID: {id}"));
        }
        if let Some(p) = &self.passcode {
            out.push(format!("Passcode: {p}"));
        }
        out.extend(self.dial_in_lines());
        out.join("\n")
    }

    pub fn copy_text(&self, item: CopyItem) -> Option<String> {
        match item {
            CopyItem::JoinUrl => self.join_url.clone(),
            CopyItem::MeetingId => self.meeting_id.clone(),
            CopyItem::Passcode => self.passcode.clone(),
            CopyItem::DialIn => {
                let lines = self.dial_in_lines();
                (!lines.is_empty()).then(|| lines.join("\n"))
            }
            CopyItem::Invitation => Some(
                self.invitation
                    .clone()
                    .unwrap_or_else(|| self.summary_text()),
            ),
        }
    }

    /// The HTML offered beside [`Self::copy_text`] where the clipboard can hold both: only
    /// the whole invitation has any, and only when its text is what is copied.
    pub fn copy_html(&self, item: CopyItem) -> Option<String> {
        match item {
            CopyItem::Invitation => self.invitation_html.clone(),
            _ => None,
        }
    }
}

/// Drops the template's decorative `____` rules: wider than the wrap width, they break
/// into ragged lines and carry nothing.
fn without_rules(text: &str) -> String {
    text.lines()
        .filter(|l| !(l.len() >= 8 && l.trim().chars().all(|c| c == '_')))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    JoinUrl,
    MeetingId,
    Passcode,
    DialIn,
    Invitation,
}

impl CopyItem {
    pub fn noun(self) -> &'static str {
        match self {
            CopyItem::JoinUrl => "join link",
            CopyItem::MeetingId => "meeting ID",
            CopyItem::Passcode => "passcode",
            CopyItem::DialIn => "dial-in details",
            CopyItem::Invitation => "invitation",
        }
    }
}

/// A failed create, as the form shows it under the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    pub title: String,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub hint: Option<String>,
    /// The request may have reached the service: creating again could duplicate it.
    pub maybe_created: bool,
}

impl ErrorView {
    pub fn from_graph(e: &GraphError) -> Self {
        let maybe_created = e.kind == ErrorKind::OutcomeUnknown;
        let title = match e.kind {
            ErrorKind::OutcomeUnknown => "Outcome unknown: the meeting MAY have been created",
            ErrorKind::RetriesExhausted => "The service kept refusing (throttled or unavailable)",
            ErrorKind::Connect => "Could not reach Microsoft Graph",
            ErrorKind::Timeout => "The request timed out",
            ErrorKind::Auth => "Not signed in",
            ErrorKind::InvalidResponse => "The service's answer could not be read",
            ErrorKind::Refused => "Refused before sending",
            ErrorKind::Service => "The meeting was not created",
        };
        Self {
            title: title.into(),
            status: e.status,
            code: clean(e.code.as_deref()),
            message: sanitize::line(&e.message),
            request_id: clean(e.request_id.as_deref()),
            client_request_id: clean(e.client_request_id.as_deref()),
            hint: e.hint().map(str::to_string),
            maybe_created,
        }
    }

    /// A failure outside Graph (sign-in, the worker gone): just a message and what to do.
    pub fn other(title: &str, message: &str, hint: Option<&str>) -> Self {
        Self {
            title: title.into(),
            status: None,
            code: None,
            message: sanitize::line(message),
            request_id: None,
            client_request_id: None,
            hint: hint.map(str::to_string),
            maybe_created: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::model::{AudioConferencing, JoinMeetingIdSettings};

    #[test]
    fn decorative_rules_are_dropped() {
        assert_eq!(
            without_rules("____________\n____\nMeeting\nID: 1_2"),
            "____\nMeeting\nID: 1_2"
        );
    }

    #[test]
    fn calendar_file_and_qr_code_are_made_with_the_result() {
        use chrono::TimeZone;
        let start = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 23, 30, 0)
            .unwrap();
        let m = OnlineMeeting {
            subject: Some("Design Review: Q1/Q2".into()),
            start_date_time: Some(start),
            end_date_time: Some(start + chrono::Duration::minutes(30)),
            join_web_url: Some("https://teams/l/1".into()),
            ..Default::default()
        };
        let v = ResultView::from_meeting(&m, &chrono_tz::Europe::Berlin, None);
        let c = v.calendar.unwrap();
        // 23:30 UTC is already 1 December in Berlin: the name uses the local date.
        assert_eq!(c.stem, "2026-12-01-design-review-q1-q2");
        assert!(c.text.contains("DTSTART:20261130T233000Z"), "{}", c.text);
        assert!(
            c.text.contains("SUMMARY:Design Review: Q1/Q2"),
            "{}",
            c.text
        );
        assert!(v.qr.unwrap().contains('▀'));
        // No times: no calendar file; no link: no code.
        let v = ResultView::from_meeting(&OnlineMeeting::default(), &chrono_tz::UTC, None);
        assert_eq!((v.calendar, v.qr), (None, None));
    }

    #[test]
    fn the_invitation_copy_offers_safe_html_beside_whole_links() {
        use crate::graph::model::{BodyType, ItemBody};
        let link = format!("https://teams.example/l/meetup-join/{}", "n".repeat(150));
        let html = format!(
            "<div>Join: <a href=\"{link}\" onclick=\"x()\">here</a><script>x()</script>\
             {esc}]0;t{bel}</div>",
            esc = '\u{1b}',
            bel = '\u{7}'
        );
        let m = OnlineMeeting {
            join_information: Some(ItemBody {
                content: Some(invitation::encode_html(&html)),
                content_type: Some(BodyType::Html),
            }),
            ..Default::default()
        };
        let v = ResultView::from_meeting(&m, &chrono_tz::UTC, None);
        let text = v.copy_text(CopyItem::Invitation).unwrap();
        assert!(text.lines().any(|l| l == format!("[1]: {link}")), "{text}");
        let offered = v.copy_html(CopyItem::Invitation).unwrap();
        assert!(offered.contains(&format!("href=\"{link}\"")), "{offered}");
        assert!(
            !offered.contains("script") && !offered.contains("onclick"),
            "{offered}"
        );
        assert!(!offered.contains('\u{1b}') && !offered.contains('\u{7}'));
        // The other items are plain text only, and so is a meeting without invitation.
        assert_eq!(v.copy_html(CopyItem::JoinUrl), None);
        let bare = ResultView::from_meeting(&OnlineMeeting::default(), &chrono_tz::UTC, None);
        assert_eq!(bare.copy_html(CopyItem::Invitation), None);
    }

    #[test]
    fn server_text_is_sanitized() {
        let m = OnlineMeeting {
            subject: Some("x\u{1b}]0;evil\u{7}y".into()),
            join_web_url: Some("https://teams/l/1".into()),
            join_meeting_id_settings: Some(JoinMeetingIdSettings {
                join_meeting_id: Some("1234".into()),
                passcode: Some("ab\u{1b}c".into()),
                ..Default::default()
            }),
            audio_conferencing: Some(AudioConferencing {
                toll_numbers: Some(vec!["+1 555".into()]),
                conference_id: Some("99".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let v = ResultView::from_meeting(&m, &chrono_tz::UTC, None);
        assert_eq!(v.subject, "x]0;evily");
        assert_eq!(v.passcode.as_deref(), Some("abc"));
        assert_eq!(v.toll.as_deref(), Some("+1 555"));
        assert_eq!(
            v.copy_text(CopyItem::DialIn).unwrap(),
            "Phone: +1 555\nConference ID: 99#"
        );
        // Without invitation text the whole-invitation copy still carries the essentials.
        let all = v.copy_text(CopyItem::Invitation).unwrap();
        assert!(all.contains("Join: https://teams/l/1") && all.contains("Meeting ID: 123 4"));
    }
}
