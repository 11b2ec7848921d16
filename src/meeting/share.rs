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
    /// for a phone to scan off the terminal: see [`qr_text`].
    pub fn join_qr(&self) -> Option<String> {
        qr_text(self.join_url.as_deref()?)
    }

    /// [`join_qr`](Self::join_qr) for a terminal: the same text in explicit black on white.
    pub fn join_qr_ansi(&self) -> Option<String> {
        self.join_qr().map(|qr| qr_ansi(&qr))
    }
}

/// The largest code, in character cells, that fits an 80×24 window with tmeet's title,
/// status and footer rows around it.
pub const QR_FIT: (usize, usize) = (80, 21);

/// The code for `data`: error correction M (15 % of it may be unreadable) when that still
/// fits [`QR_FIT`], else L (7 %), the smallest code. A screen is not a worn sticker: L
/// scans fine off a monitor, and a code that does not fit the window cannot be scanned at
/// all. A Teams join link (about 230 bytes) needs L, and even then 61–65 columns and
/// 31–33 rows: more than 24 rows with half blocks and the quiet zone, so it fits 80
/// columns but wants a taller window.
pub fn qr_code(data: &str) -> Option<qrcode::QrCode> {
    use qrcode::{EcLevel, QrCode};
    QrCode::with_error_correction_level(data, EcLevel::M)
        .ok()
        .filter(|c| {
            let (w, h) = qr_cells(c);
            w <= QR_FIT.0 && h <= QR_FIT.1
        })
        .or_else(|| QrCode::with_error_correction_level(data, EcLevel::L).ok())
}

/// Columns and rows of `code` drawn with half blocks, quiet zone included.
pub fn qr_cells(code: &qrcode::QrCode) -> (usize, usize) {
    let modules = code.width() + 2 * QUIET_ZONE;
    (modules, modules.div_ceil(2))
}

/// Light modules the standard asks for around the code.
pub const QUIET_ZONE: usize = 4;

/// `data` as a QR code in half blocks, dark modules drawn as ink (`█ ▀ ▄`) and light ones
/// as spaces, with the 4-module quiet zone. Ink is dark wherever this text is printed
/// without colours (a file, a pipe, paper), so it reads dark on light as it should; on a
/// terminal, whose text may be light on dark, it must be given explicit colours
/// ([`qr_ansi`], or the TUI's style).
pub fn qr_text(data: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    Some(
        qr_code(data)?
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Dark)
            .light_color(Dense1x2::Light)
            .quiet_zone(true)
            .build(),
    )
}

/// SGR for the code: black ink on a white ground. First the 8-colour pair every colour
/// terminal knows, then the 256-colour cube's true black (16) and white (231), which
/// themes do not remap (they remap only the first 16); a terminal without 256 colours
/// ignores the second and keeps the first.
pub const QR_SGR: &str = "\x1b[30;47m\x1b[38;5;16;48;5;231m";

/// Each line of `qr` in [`QR_SGR`] colours, reset at the end of the line (so a wrapped or
/// resized terminal does not paint the rest of the row).
pub fn qr_ansi(qr: &str) -> String {
    qr.lines()
        .map(|l| format!("{QR_SGR}{l}\x1b[0m"))
        .collect::<Vec<_>>()
        .join("\n")
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

    /// Dark modules (`true`) of a rendered code, row by row, from its half blocks.
    fn modules(qr: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in qr.lines() {
            let (top, bottom): (Vec<bool>, Vec<bool>) = line
                .chars()
                .map(|c| match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                })
                .unzip();
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn qr_code_of_the_join_link_is_ink_on_paper_with_a_quiet_zone() {
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
        let m = modules(&qr);
        let n = m[0].len();
        // Four light modules on every side, then the finder pattern's dark corner: dark is
        // ink, so the text printed as it is reads dark on light.
        for i in 0..QUIET_ZONE {
            assert!(m[i].iter().all(|d| !d), "top row {i} light");
            assert!(
                m.iter().take(n).all(|r| !r[i] && !r[n - 1 - i]),
                "side {i} light"
            );
        }
        assert!(
            m[QUIET_ZONE][QUIET_ZONE],
            "the finder's corner is dark:\n{qr}"
        );
        assert!(
            m[n - QUIET_ZONE..n].iter().all(|r| r.iter().all(|d| !d)),
            "bottom light"
        );
        assert_eq!(Shareable::default().join_qr(), None);
    }

    #[test]
    fn qr_code_for_a_terminal_sets_black_on_white_on_every_line() {
        let s = Shareable {
            join_url: Some("https://teams.microsoft.com/l/meetup-join/x".into()),
            ..Default::default()
        };
        let plain = s.join_qr().unwrap();
        let ansi = s.join_qr_ansi().unwrap();
        assert_eq!(ansi.lines().count(), plain.lines().count());
        for (a, p) in ansi.lines().zip(plain.lines()) {
            assert_eq!(a, format!("{QR_SGR}{p}\x1b[0m"));
        }
        assert!(QR_SGR.contains("30;47") && QR_SGR.contains("38;5;16;48;5;231"));
    }

    #[test]
    fn error_correction_fits_80x24_where_the_link_allows() {
        use qrcode::EcLevel;
        // A short link fits an 80×24 window at M.
        let short = qr_code("https://teams.microsoft.com/meet/2301234567890?p=AbCdEfGh").unwrap();
        assert_eq!(short.error_correction_level(), EcLevel::M);
        let (w, h) = qr_cells(&short);
        assert!(w <= 80 && h <= 21, "{w}×{h}");
        // The seed's join links (226–248 bytes) cannot fit 21 rows at any level; L is the
        // smallest code, and it fits 80 columns and a 100×40 window.
        for file in [
            include_str!("../../tests/fixtures/seed/response-1.json"),
            include_str!("../../tests/fixtures/seed/response-2.json"),
            include_str!("../../tests/fixtures/seed/response-3.json"),
        ] {
            let m: OnlineMeeting = serde_json::from_str(file).unwrap();
            let url = m.join_web_url.unwrap();
            let code = qr_code(&url).unwrap();
            assert_eq!(code.error_correction_level(), EcLevel::L, "{url}");
            let (w, h) = qr_cells(&code);
            assert!(w <= 80 && h <= 37, "{w}×{h}");
            let m_code = qrcode::QrCode::with_error_correction_level(&url, EcLevel::M).unwrap();
            assert!(qr_cells(&m_code).1 > 21, "M would not have fitted either");
            let text = qr_text(&url).unwrap();
            assert_eq!(text.lines().count(), h);
            assert!(text.lines().all(|l| l.chars().count() == w));
        }
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
