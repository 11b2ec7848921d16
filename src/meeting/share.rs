//! What a person shares once a meeting exists: the pieces (join URL, grouped meeting ID,
//! passcode, dial-in) and a plain-text summary, all sanitized for a terminal or clipboard.

use crate::graph::model::OnlineMeeting;
use crate::sanitize;
use chrono::{DateTime, TimeZone, Utc};
use std::fmt::Display;

/// Standalone meetings are invisible in calendars (GRAPH.md §8): say so every time.
pub const NOT_ON_CALENDAR: &str = "This meeting is not on any calendar and no invitations were sent: share the link or the invitation.";

/// "123 456 789 012": groups of three from the left, as Teams prints it. Anything that is
/// not all digits is left as the service sent it.
pub fn group_meeting_id(id: &str) -> String {
    let digits: Vec<char> = id.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.iter().all(char::is_ascii_digit) {
        return id.to_string();
    }
    digits
        .chunks(3)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The parts of a created meeting, sanitized, ready to show or copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shareable {
    /// The Graph meeting id: the stable UID of the calendar file.
    pub id: Option<String>,
    pub subject: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub join_url: Option<String>,
    pub meeting_id: Option<String>,
    pub passcode: Option<String>,
    pub toll_number: Option<String>,
    pub toll_free_number: Option<String>,
    pub conference_id: Option<String>,
    pub dialin_url: Option<String>,
    pub organizer: Option<String>,
}

impl Shareable {
    pub fn from_meeting(m: &OnlineMeeting) -> Self {
        let clean = |s: Option<&str>| s.map(sanitize::line).filter(|s| !s.trim().is_empty());
        let audio = m.audio_conferencing.as_ref();
        Self {
            id: clean(m.id.as_deref()),
            subject: clean(m.subject.as_deref()).unwrap_or_default(),
            start: m.start_date_time,
            end: m.end_date_time,
            join_url: clean(m.join_web_url.as_deref()),
            meeting_id: clean(m.join_meeting_id()),
            passcode: clean(m.passcode()),
            toll_number: clean(audio.and_then(|a| a.toll_number.as_deref())),
            toll_free_number: clean(audio.and_then(|a| a.toll_free_number.as_deref())),
            conference_id: clean(audio.and_then(|a| a.conference_id.as_deref())),
            dialin_url: clean(audio.and_then(|a| a.dialin_url.as_deref())),
            organizer: clean(m.organizer_name()),
        }
    }

    /// Dial-in as one block: toll, toll-free, conference ID, dial-in URL; None if absent.
    pub fn dial_in(&self) -> Option<String> {
        let mut lines = Vec::new();
        if let Some(n) = &self.toll_number {
            lines.push(format!("{n} (toll)"));
        }
        if let Some(n) = &self.toll_free_number {
            lines.push(format!("{n} (toll-free)"));
        }
        if let Some(c) = &self.conference_id {
            lines.push(format!("Conference ID: {}#", c.trim_end_matches('#')));
        }
        if let Some(u) = &self.dialin_url {
            lines.push(format!("Local numbers: {u}"));
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// A labelled plain-text summary in the given zone, the way `create` prints it.
    pub fn summary<Tz: TimeZone>(&self, tz: &Tz) -> String
    where
        Tz::Offset: Display,
    {
        let mut out = String::new();
        let mut line = |label: &str, value: &str| {
            let mut first = true;
            for v in value.lines() {
                let l = if first { label } else { "" };
                out.push_str(&format!("{l:<12}{v}\n"));
                first = false;
            }
        };
        line("Subject:", &self.subject);
        let fmt = "%a %-d %b %Y %H:%M %Z";
        if let Some(s) = self.start {
            line("Start:", &s.with_timezone(tz).format(fmt).to_string());
        }
        if let Some(e) = self.end {
            let dur = self
                .start
                .map(|s| format!(" ({})", super::time::describe_duration(e - s)))
                .unwrap_or_default();
            line("End:", &format!("{}{dur}", e.with_timezone(tz).format(fmt)));
        }
        line(
            "Join URL:",
            self.join_url.as_deref().unwrap_or("(none returned)"),
        );
        line(
            "Meeting ID:",
            &self
                .meeting_id
                .as_deref()
                .map(group_meeting_id)
                .unwrap_or_else(|| "(none)".into()),
        );
        line("Passcode:", self.passcode.as_deref().unwrap_or("none"));
        if let Some(d) = self.dial_in() {
            line("Dial-in:", &d);
        }
        if let Some(o) = &self.organizer {
            line("Organizer:", o);
        }
        out
    }
}

impl Shareable {
    /// An iCalendar (RFC 5545) event with the join link, so the meeting can be put on a
    /// calendar by hand: the service puts it on none. None without start and end.
    pub fn to_ics(&self, invitation: Option<&str>) -> Option<String> {
        use icalendar::{Calendar, Component, Event, EventLike};
        let (start, end) = (self.start?, self.end?);
        let mut event = Event::new();
        event.summary(&self.subject).starts(start).ends(end);
        if let Some(id) = &self.id {
            event.uid(&format!("{id}@tmeet"));
        }
        if let Some(url) = &self.join_url {
            event.location("Microsoft Teams meeting").url(url);
        }
        let mut description = String::new();
        if let Some(url) = &self.join_url {
            description.push_str(&format!("Join: {url}\n"));
        }
        if let Some(id) = &self.meeting_id {
            description.push_str(&format!("Meeting ID: {}\n", group_meeting_id(id)));
        }
        if let Some(p) = &self.passcode {
            description.push_str(&format!("Passcode: {p}\n"));
        }
        if let Some(text) = invitation {
            description.push('\n');
            description.push_str(text);
        }
        if !description.is_empty() {
            event.description(description.trim_end());
        }
        Some(Calendar::new().push(event.done()).done().to_string())
    }

    /// The join link as a QR code drawn with half blocks (two modules a character cell),
    /// for a phone to scan off the terminal. Dark on light, with the quiet zone.
    pub fn join_qr(&self) -> Option<String> {
        use qrcode::render::unicode::Dense1x2;
        let code = qrcode::QrCode::new(self.join_url.as_deref()?.as_bytes()).ok()?;
        Some(
            code.render::<Dense1x2>()
                .dark_color(Dense1x2::Light)
                .light_color(Dense1x2::Dark)
                .build(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_ids() {
        assert_eq!(group_meeting_id("1234567890"), "123 456 789 0");
        assert_eq!(group_meeting_id("123456789012"), "123 456 789 012");
        assert_eq!(group_meeting_id("23073606118528"), "230 736 061 185 28");
        assert_eq!(group_meeting_id("abc-12"), "abc-12");
        assert_eq!(group_meeting_id(""), "");
    }

    #[test]
    fn summary_of_seed_with_passcode() {
        let m: OnlineMeeting =
            serde_json::from_str(include_str!("../../tests/fixtures/seed/response-2.json"))
                .unwrap();
        let s = Shareable::from_meeting(&m);
        assert_eq!(s.passcode.as_deref(), Some("123abc"));
        assert_eq!(s.conference_id.as_deref(), Some("2999"));
        let text = s.summary(&chrono_tz::UTC);
        assert!(text.contains("Subject:    User meeting\n"), "{text}");
        assert!(
            text.contains("Start:      Thu 11 Jul 2019 02:17 UTC\n"),
            "{text}"
        );
        assert!(text.contains("(30 min)"), "{text}");
        assert!(text.contains("Meeting ID: 123 456 789 0\n"), "{text}");
        assert!(text.contains("Passcode:   123abc\n"));
        assert!(
            text.contains("            +18690588 (toll-free)\n"),
            "{text}"
        );
        assert!(text.contains("Conference ID: 2999#"));
    }

    #[test]
    fn calendar_file_carries_the_link_and_times() {
        let m: OnlineMeeting =
            serde_json::from_str(include_str!("../../tests/fixtures/seed/response-2.json"))
                .unwrap();
        let ics = Shareable::from_meeting(&m)
            .to_ics(Some("Invitation text"))
            .unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:User meeting\r\n"), "{ics}");
        assert!(ics.contains("DTSTART:20190711T021717Z\r\n"), "{ics}");
        assert!(ics.contains("DTEND:20190711T024717Z\r\n"), "{ics}");
        assert!(
            ics.contains("UID:MSpkYzE3Njc0Yy04MWQ5LTRhFpHRTNaR1F6WGhyZWFkLnYy@tmeet"),
            "{ics}"
        );
        assert!(
            ics.contains("URL:https://teams.microsoft.com/l/meetup-join/"),
            "{ics}"
        );
        assert!(ics.contains("Passcode: 123abc"), "{ics}");
        assert!(ics.contains("END:VEVENT\r\nEND:VCALENDAR"), "{ics}");
        assert_eq!(
            Shareable::default().to_ics(None),
            None,
            "no times, no event"
        );
    }

    #[test]
    fn qr_code_of_the_join_link() {
        let s = Shareable {
            join_url: Some("https://teams.microsoft.com/l/meetup-join/x".into()),
            ..Default::default()
        };
        let qr = s.join_qr().unwrap();
        let lines: Vec<&str> = qr.lines().collect();
        assert!(lines.len() > 10, "{qr}");
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count()),
            "square: {qr}"
        );
        assert!(
            qr.chars()
                .all(|c| matches!(c, '█' | '▀' | '▄' | ' ' | '\n')),
            "{qr}"
        );
        assert_eq!(Shareable::default().join_qr(), None);
    }

    #[test]
    fn server_text_is_sanitized() {
        let m = OnlineMeeting {
            subject: Some("hi\u{1b}]0;owned\u{7}".into()),
            ..Default::default()
        };
        let s = Shareable::from_meeting(&m);
        assert_eq!(s.subject, "hi]0;owned");
        assert!(s.summary(&chrono_tz::UTC).contains("Passcode:   none"));
    }
}
