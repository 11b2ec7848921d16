//! One presentation of a created meeting: [`MeetingCard`] is built once from the service's
//! answer and gives everything a person sees or shares — the result pane's rows, each copy
//! item, the calendar file, the QR code and `create`'s summary — so no two of them can
//! disagree about a field. Everything in here has already been through `sanitize`.

use super::share::{group_meeting_id, qr_text};
use super::{invitation, time};
use crate::graph::model::OnlineMeeting;
use crate::sanitize;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Width the invitation text is wrapped at, on screen, in copies, in .ics and in `create`.
pub const INVITATION_WIDTH: usize = 72;

/// What a card built from an invitation says of what only the organizer can read.
pub const NOT_GIVEN: &str = "not given to attendees: see the invitation you received";

/// What the result pane and `create` show for a meeting without a subject.
pub const NO_SUBJECT: &str = "(no subject)";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingCard {
    /// Sanitized, or [`NO_SUBJECT`].
    pub subject: String,
    /// "Fri 27 Nov 10:30–11:00 CET, 30 min" in the zone the card was built for.
    pub when: Option<String>,
    pub join_url: Option<String>,
    /// When the join link stops working (`expiryDateTime`, GRAPH-REAL.md Q9: 60 days after
    /// the meeting), as a date in the card's zone: "12 Mar 2027".
    pub link_expires: Option<String>,
    pub meeting_id: Option<String>,
    pub passcode: Option<String>,
    /// `tollNumber`, else the first of `tollNumbers`.
    pub toll: Option<String>,
    /// `tollFreeNumber`, else the first of `tollFreeNumbers`.
    pub toll_free: Option<String>,
    /// Without the trailing `#` the service sometimes includes: [`DialIn`] adds exactly one.
    pub conference_id: Option<String>,
    pub dialin_url: Option<String>,
    pub language: Option<String>,
    pub invitation: Option<String>,
    /// The invitation's HTML, made safe ([`invitation::safe_html`]): what a system clipboard
    /// offers beside the text, so a paste into mail or chat keeps the formatted invitation.
    pub invitation_html: Option<String>,
    /// The calendar file; None without start and end times. Built with the card: the
    /// iCalendar text is stamped with the time it was made.
    pub calendar: Option<CalendarFile>,
    /// The join link as a QR code (half blocks, dark modules as ink), drawn once here
    /// rather than on every frame.
    pub qr: Option<String>,
    /// `create`'s Start, End and Organizer lines; the pane shows `when` instead.
    pub start_text: Option<String>,
    pub end_text: Option<String>,
    pub organizer: Option<String>,
    /// What tenant policy set differently from what was asked (`tenant changed: lobby:
    /// asked everyone, tenant set …`), or could not be confirmed (`could not confirm: …`),
    /// sanitized; empty when nothing differs. Filled by the create flow.
    pub tenant_changed: Vec<String>,
    /// The links on the card that may be clickable (OSC 8): (the text shown, its target).
    /// Only links whose raw server text passed [`crate::hyperlink::target`]; see
    /// [`Self::link_target`].
    pub links: Vec<(String, String)>,
    /// A calendar meeting's event in Outlook on the web (`webLink`), sanitized; None for a
    /// standalone meeting.
    pub event_link: Option<String>,
    /// What a card of the agenda adds below the details (who organizes it, my answer, who
    /// is coming, who attended), sanitized; empty for a meeting just created.
    pub sections: Vec<Section>,
    /// Built from an invitation's event, not the online meeting: what only the organizer's
    /// online meeting holds (meeting ID, passcode, invitation) is said to be missing.
    pub from_invitation: bool,
}

/// A titled block of lines on the card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFile {
    /// The file name without `.ics`: the start date and a slug of the subject.
    pub stem: String,
    pub text: String,
}

/// What a person can copy from a meeting, one key each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    JoinUrl,
    MeetingId,
    Passcode,
    DialIn,
    Invitation,
    /// A calendar meeting's event in Outlook on the web (`webLink`).
    WebLink,
    /// My free times as one line to send (the form's share key); no card holds them.
    FreeTimes,
}

impl CopyItem {
    pub fn noun(self) -> &'static str {
        match self {
            CopyItem::JoinUrl => "join link",
            CopyItem::MeetingId => "meeting ID",
            CopyItem::Passcode => "passcode",
            CopyItem::DialIn => "dial-in details",
            CopyItem::Invitation => "invitation",
            CopyItem::WebLink => "calendar link",
            CopyItem::FreeTimes => "free times",
        }
    }
}

/// Server text as one trimmed line, None when nothing visible is left.
fn clean(s: Option<&str>) -> Option<String> {
    s.map(sanitize::line)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The single-number field, else the first of the list (GRAPH.md §8: services send either).
fn first(one: Option<&str>, many: Option<&[String]>) -> Option<String> {
    clean(one).or_else(|| many?.iter().find_map(|n| clean(Some(n))))
}

impl MeetingCard {
    /// `zone` sets the times shown and the calendar file's date; `language` is the one asked
    /// for (the service does not echo it).
    pub fn from_meeting(m: &OnlineMeeting, zone: &Tz, language: Option<&str>) -> Self {
        let audio = m.audio_conferencing.as_ref();
        let subject = clean(m.subject.as_deref());
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
        let local = |t: DateTime<Utc>| t.with_timezone(zone);
        let stamp = "%a %-d %b %Y %H:%M %Z";
        let (start, end) = (m.start_date_time, m.end_date_time);
        let mut card = Self {
            subject: subject.clone().unwrap_or_else(|| NO_SUBJECT.into()),
            when: start
                .zip(end)
                .map(|(s, e)| time::describe_range(&local(s), &local(e))),
            join_url: clean(m.join_web_url.as_deref()),
            link_expires: m
                .expiry_date_time
                .map(|t| local(t).format("%-d %b %Y").to_string()),
            meeting_id: clean(m.join_meeting_id()),
            passcode: clean(m.passcode()),
            toll: first(
                audio.and_then(|a| a.toll_number.as_deref()),
                audio.and_then(|a| a.toll_numbers.as_deref()),
            ),
            toll_free: first(
                audio.and_then(|a| a.toll_free_number.as_deref()),
                audio.and_then(|a| a.toll_free_numbers.as_deref()),
            ),
            conference_id: clean(
                audio
                    .and_then(|a| a.conference_id.as_deref())
                    .map(|c| c.trim().trim_end_matches('#')),
            ),
            dialin_url: clean(audio.and_then(|a| a.dialin_url.as_deref())),
            language: clean(language),
            invitation,
            invitation_html,
            calendar: None,
            qr: None,
            start_text: start.map(|s| local(s).format(stamp).to_string()),
            end_text: end.map(|e| {
                let length = start
                    .map(|s| format!(" ({})", time::describe_duration(e - s)))
                    .unwrap_or_default();
                format!("{}{length}", local(e).format(stamp))
            }),
            organizer: clean(m.organizer_name()),
            tenant_changed: Vec::new(),
            links: Vec::new(),
            event_link: None,
            sections: Vec::new(),
            from_invitation: false,
        };
        let raw_links = [
            m.join_web_url.as_deref(),
            audio.and_then(|a| a.dialin_url.as_deref()),
        ];
        for raw in raw_links.into_iter().flatten().map(str::trim) {
            if let Some(target) = crate::hyperlink::target(raw) {
                card.links.push((raw.to_string(), target));
            }
        }
        if let Some(body) = &m.join_information {
            card.links.extend(invitation::link_targets(body));
        }
        card.qr = card.join_url.as_deref().and_then(qr_text);
        card.calendar = start.zip(end).map(|(s, e)| CalendarFile {
            stem: format!(
                "{}-{}",
                local(s).format("%Y-%m-%d"),
                slug(subject.as_deref().unwrap_or_default())
            ),
            text: card.ics(clean(m.id.as_deref()).as_deref(), subject.as_deref(), s, e),
        });
        card
    }

    /// "123 456 789 012" — the digits in threes, as Teams prints them.
    pub fn meeting_id_grouped(&self) -> Option<String> {
        self.meeting_id.as_deref().map(group_meeting_id)
    }

    /// The target of a word shown on the card, when it is one of [`Self::links`]: a link
    /// is clickable only where what is shown is exactly what the service sent.
    pub fn link_target(&self, shown: &str) -> Option<&str> {
        self.links
            .iter()
            .find(|(text, _)| text == shown)
            .map(|(_, target)| target.as_str())
    }

    /// `text` (lines of the card: the summary, the invitation) with each word that is one
    /// of [`Self::links`] made a hyperlink, for a terminal that draws them. Each link has
    /// an id of its own (`part` keeps those of two texts apart), so a terminal that wraps
    /// it sees one link, and the same target twice is two links.
    pub fn with_hyperlinks(&self, text: &str, part: &str) -> String {
        let mut n = 0;
        text.split('\n')
            .map(|line| {
                line.split(' ')
                    .map(|word| match self.link_target(word) {
                        Some(target) => {
                            n += 1;
                            let id = format!("{}-{part}{n}", crate::hyperlink::id_for(target));
                            crate::hyperlink::wrap(target, &id, word)
                        }
                        None => word.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The result pane's rows, in order: label, value, and what its copy key copies.
    pub fn rows(&self) -> Vec<Row> {
        let row =
            |label: &'static str, value: String, copy: Option<CopyItem>| Row { label, value, copy };
        let mut rows = vec![row("Subject", self.subject.clone(), None)];
        if let Some(w) = &self.when {
            rows.push(row("When", w.clone(), None));
        }
        rows.push(row(
            "Join link",
            self.join_url
                .clone()
                .unwrap_or_else(|| "(none returned)".into()),
            self.join_url.as_ref().map(|_| CopyItem::JoinUrl),
        ));
        if let Some(date) = &self.link_expires {
            rows.push(row("Expires", format!("{date} (the join link)"), None));
        }
        let missing = |none: &str| {
            if self.from_invitation {
                NOT_GIVEN.to_string()
            } else {
                none.to_string()
            }
        };
        rows.push(row(
            "Meeting ID",
            self.meeting_id_grouped()
                .unwrap_or_else(|| missing("(none)")),
            self.meeting_id.as_ref().map(|_| CopyItem::MeetingId),
        ));
        rows.push(row(
            "Passcode",
            self.passcode.clone().unwrap_or_else(|| missing("none")),
            self.passcode.as_ref().map(|_| CopyItem::Passcode),
        ));
        if self.has_dial_in() {
            // The copy key sits on the first dial-in row, whichever part that is.
            let mut copy = Some(CopyItem::DialIn);
            for (part, value) in self.dial_in().parts {
                rows.push(row(part.short_label(), value, copy.take()));
            }
        } else {
            rows.push(row("Dial-in", "none (no audio conferencing)".into(), None));
        }
        if let Some(link) = &self.event_link {
            rows.push(row("Calendar", link.clone(), Some(CopyItem::WebLink)));
        }
        rows
    }

    /// The one dial-in formatter: every place that shows or copies dial-in reads this.
    pub fn dial_in(&self) -> DialIn {
        let mut parts = Vec::new();
        if let Some(t) = &self.toll {
            parts.push((DialInPart::Toll, t.clone()));
        }
        if let Some(t) = &self.toll_free {
            parts.push((DialInPart::TollFree, t.clone()));
        }
        if let Some(c) = &self.conference_id {
            parts.push((DialInPart::ConferenceId, format!("{c}#")));
        }
        if let Some(u) = &self.dialin_url {
            parts.push((DialInPart::Numbers, u.clone()));
        }
        DialIn { parts }
    }

    pub fn has_dial_in(&self) -> bool {
        self.toll.is_some() || self.toll_free.is_some() || self.conference_id.is_some()
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
        out.extend(self.dial_in().lines());
        out.join("\n")
    }

    pub fn copy_text(&self, item: CopyItem) -> Option<String> {
        match item {
            CopyItem::JoinUrl => self.join_url.clone(),
            CopyItem::MeetingId => self.meeting_id.clone(),
            CopyItem::Passcode => self.passcode.clone(),
            CopyItem::DialIn => self.dial_in().text(),
            CopyItem::WebLink => self.event_link.clone(),
            CopyItem::FreeTimes => None,
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

    /// A labelled plain-text summary, the way `create` prints it.
    pub fn summary(&self) -> String {
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
        if let Some(s) = &self.start_text {
            line("Start:", s);
        }
        if let Some(e) = &self.end_text {
            line("End:", e);
        }
        line(
            "Join URL:",
            self.join_url.as_deref().unwrap_or("(none returned)"),
        );
        if let Some(date) = &self.link_expires {
            line("Expires:", &format!("{date} (the join link stops working)"));
        }
        line(
            "Meeting ID:",
            &self.meeting_id_grouped().unwrap_or_else(|| "(none)".into()),
        );
        line("Passcode:", self.passcode.as_deref().unwrap_or("none"));
        if let Some(d) = self.dial_in().text() {
            line("Dial-in:", &d);
        }
        if let Some(o) = &self.organizer {
            line("Organizer:", o);
        }
        if let Some(link) = &self.event_link {
            line("Calendar:", link);
        }
        out
    }

    /// An iCalendar (RFC 5545) event with the join link, so the meeting can be put on a
    /// calendar by hand: the service puts it on none.
    /// Gives the card its calendar file (the `.ics` the result pane saves), for a card not
    /// built from an online meeting.
    pub fn with_calendar_file(
        mut self,
        id: Option<&str>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        zone: &Tz,
    ) -> Self {
        let subject = (self.subject != NO_SUBJECT).then(|| self.subject.clone());
        self.calendar = Some(CalendarFile {
            stem: format!(
                "{}-{}",
                start.with_timezone(zone).format("%Y-%m-%d"),
                slug(subject.as_deref().unwrap_or_default())
            ),
            text: self.ics(id, subject.as_deref(), start, end),
        });
        self
    }

    fn ics(
        &self,
        id: Option<&str>,
        subject: Option<&str>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> String {
        use icalendar::{Calendar, Component, Event, EventLike};
        let mut event = Event::new();
        event
            .summary(subject.unwrap_or_default())
            .starts(start)
            .ends(end);
        if let Some(id) = id {
            event.uid(&format!("{id}@tmeet"));
        }
        if let Some(url) = &self.join_url {
            event.location("Microsoft Teams meeting").url(url);
        }
        let mut description = String::new();
        if let Some(url) = &self.join_url {
            description.push_str(&format!("Join: {url}\n"));
        }
        if let Some(id) = self.meeting_id_grouped() {
            description.push_str(&format!("Meeting ID: {id}\n"));
        }
        if let Some(p) = &self.passcode {
            description.push_str(&format!("Passcode: {p}\n"));
        }
        if let Some(text) = &self.invitation {
            description.push('\n');
            description.push_str(text);
        }
        if !description.is_empty() {
            event.description(description.trim_end());
        }
        Calendar::new().push(event.done()).done().to_string()
    }
}

/// One labelled row of the result pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: &'static str,
    pub value: String,
    pub copy: Option<CopyItem>,
}

/// The parts of dial-in, in the order a person reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialInPart {
    Toll,
    TollFree,
    ConferenceId,
    Numbers,
}

impl DialInPart {
    /// The label in copied and printed text.
    pub fn label(self) -> &'static str {
        match self {
            DialInPart::Toll => "Phone",
            DialInPart::TollFree => "Toll-free",
            DialInPart::ConferenceId => "Conference ID",
            DialInPart::Numbers => "Local numbers",
        }
    }

    /// The label in the result pane's narrow label column.
    pub fn short_label(self) -> &'static str {
        match self {
            DialInPart::ConferenceId => "Conf. ID",
            DialInPart::Numbers => "Numbers",
            other => other.label(),
        }
    }
}

/// Dial-in details, formatted once: values are final (the conference ID ends in one `#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialIn {
    pub parts: Vec<(DialInPart, String)>,
}

impl DialIn {
    /// "Phone: +1 555", "Conference ID: 2999#", … one a line.
    pub fn lines(&self) -> Vec<String> {
        self.parts
            .iter()
            .map(|(p, v)| format!("{}: {v}", p.label()))
            .collect()
    }

    /// [`Self::lines`] as one block; None when the meeting has no dial-in.
    pub fn text(&self) -> Option<String> {
        (!self.parts.is_empty()).then(|| self.lines().join("\n"))
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

/// Longest slug kept in a file name, in characters: enough to recognize the subject.
const SLUG_MAX: usize = 48;

/// The subject as a file-name part: lowercase letters and digits (any script, so a Japanese
/// subject stays readable) joined by single dashes. Anything else, path separators and
/// control characters included, becomes a dash; an empty result becomes `meeting`.
pub fn slug(subject: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in subject.chars().flat_map(char::to_lowercase) {
        if out.chars().count() >= SLUG_MAX {
            break;
        }
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "meeting".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::model::{AudioConferencing, BodyType, ItemBody, JoinMeetingIdSettings};

    fn seed(n: usize) -> OnlineMeeting {
        let text = match n {
            2 => include_str!("../../tests/fixtures/seed/response-2.json"),
            _ => include_str!("../../tests/fixtures/seed/response-1.json"),
        };
        serde_json::from_str(text).unwrap()
    }

    fn card(m: &OnlineMeeting) -> MeetingCard {
        MeetingCard::from_meeting(m, &chrono_tz::UTC, None)
    }

    /// Issue 10's reproduction: `"conferenceId": "2999#"` and only a `tollNumbers` array.
    fn hash_and_list() -> OnlineMeeting {
        OnlineMeeting {
            audio_conferencing: Some(AudioConferencing {
                conference_id: Some("2999#".into()),
                toll_numbers: Some(vec!["+1 425-555-0100".into(), "+1 425-555-0199".into()]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn dial_in_has_one_hash_and_the_first_listed_number_everywhere() {
        let c = card(&hash_and_list());
        let copied = c.copy_text(CopyItem::DialIn).unwrap();
        assert_eq!(copied, "Phone: +1 425-555-0100\nConference ID: 2999#");
        let printed = c.summary();
        assert!(
            printed.contains("Dial-in:    Phone: +1 425-555-0100\n"),
            "{printed}"
        );
        assert!(
            printed.contains("            Conference ID: 2999#\n"),
            "{printed}"
        );
        assert!(!printed.contains("##") && !copied.contains("##"));
        // The single-number field wins over the list; a blank one does not.
        let mut m = hash_and_list();
        let audio = m.audio_conferencing.as_mut().unwrap();
        audio.toll_number = Some("+44 20".into());
        audio.toll_free_number = Some("  ".into());
        audio.toll_free_numbers = Some(vec!["".into(), "+1 800".into()]);
        let c = card(&m);
        assert_eq!(c.toll.as_deref(), Some("+44 20"));
        assert_eq!(c.toll_free.as_deref(), Some("+1 800"));
    }

    #[test]
    fn summary_of_seed_with_passcode() {
        let c = card(&seed(2));
        assert_eq!(c.passcode.as_deref(), Some("123abc"));
        assert_eq!(c.conference_id.as_deref(), Some("2999"));
        let text = c.summary();
        assert!(text.contains("Subject:    User meeting\n"), "{text}");
        assert!(
            text.contains("Start:      Thu 11 Jul 2019 02:17 UTC\n"),
            "{text}"
        );
        assert!(text.contains("(30 min)"), "{text}");
        assert!(text.contains("Meeting ID: 123 456 789 0\n"), "{text}");
        assert!(text.contains("Passcode:   123abc\n"));
        assert!(
            text.contains("            Toll-free: +18690588\n"),
            "{text}"
        );
        assert!(text.contains("Conference ID: 2999#"));
    }

    #[test]
    fn calendar_file_carries_the_link_and_times() {
        let ics = card(&seed(2)).calendar.unwrap().text;
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
            card(&OnlineMeeting::default()).calendar,
            None,
            "no times, no event"
        );
    }

    #[test]
    fn decorative_rules_are_dropped() {
        assert_eq!(
            without_rules("____________\n____\nMeeting\nID: 1_2"),
            "____\nMeeting\nID: 1_2"
        );
    }

    #[test]
    fn calendar_file_and_qr_code_are_made_with_the_card() {
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
        let v = MeetingCard::from_meeting(&m, &chrono_tz::Europe::Berlin, None);
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
        let v = card(&OnlineMeeting::default());
        assert_eq!((v.calendar, v.qr), (None, None));
    }

    #[test]
    fn the_invitation_copy_offers_safe_html_beside_whole_links() {
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
        let v = card(&m);
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
        let bare = card(&OnlineMeeting::default());
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
        let v = card(&m);
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
        assert!(
            card(&OnlineMeeting::default())
                .summary()
                .contains("Passcode:   none")
        );
    }

    #[test]
    fn slugs_are_safe_file_name_parts() {
        assert_eq!(slug("Design Review"), "design-review");
        assert_eq!(slug("  Q3: budget / plan!! "), "q3-budget-plan");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a\u{1b}[2Jb"), "a-2jb");
        assert_eq!(slug("週次 会議"), "週次-会議");
        assert_eq!(slug("Café"), "café");
        assert_eq!(slug("***"), "meeting");
        assert_eq!(slug(""), "meeting");
        assert_eq!(slug(&"x".repeat(200)).chars().count(), SLUG_MAX);
    }
}
