//! A validated request to create a meeting: what the form and `create` produce, and the
//! only thing the Graph client accepts.

use super::attendees::{self, Attendee, AttendeeError};
use super::options::MeetingOptions;
use super::time::{self, TimeError};
use crate::language::Language;
use chrono::{DateTime, SecondsFormat, TimeZone};
use serde_json::{Value, json};

/// The longest subject accepted; Teams truncates long titles in its UI anyway.
pub(crate) const MAX_SUBJECT_CHARS: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRequest {
    subject: String,
    start: DateTime<chrono::FixedOffset>,
    end: DateTime<chrono::FixedOffset>,
    passcode_required: bool,
    language: Option<Language>,
    options: MeetingOptions,
    attendees: Vec<Attendee>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the subject is empty; give the meeting a title")]
    EmptySubject,
    #[error("the subject is longer than {MAX_SUBJECT_CHARS} characters")]
    SubjectTooLong,
    #[error("{0}")]
    Time(#[from] TimeError),
    #[error("{0}")]
    Attendees(#[from] AttendeeError),
}

impl MeetingRequest {
    pub fn new<Tz: TimeZone>(
        subject: &str,
        start: &DateTime<Tz>,
        end: &DateTime<Tz>,
        passcode_required: bool,
        language: Option<Language>,
    ) -> Result<Self, RequestError> {
        let subject = validate_subject(subject)?;
        time::check_range(start, end)?;
        Ok(Self {
            subject,
            start: start.fixed_offset(),
            end: end.fixed_offset(),
            passcode_required,
            language,
            options: MeetingOptions::new(),
            attendees: Vec::new(),
        })
    }

    /// The same meeting at other times (a series' first meeting, when the start given was
    /// not one of its dates), checked as any.
    pub fn with_times<Tz: TimeZone>(
        mut self,
        start: &DateTime<Tz>,
        end: &DateTime<Tz>,
    ) -> Result<Self, RequestError> {
        time::check_range(start, end)?;
        self.start = start.fixed_offset();
        self.end = end.fixed_offset();
        Ok(self)
    }

    /// The options the person changed; the rest is left to the service.
    pub fn with_options(mut self, options: MeetingOptions) -> Result<Self, RequestError> {
        self.options = options;
        self.check_people()?;
        Ok(self)
    }

    /// The people recorded on the meeting (not invited: a standalone meeting sends no mail).
    pub fn with_attendees(mut self, attendees: Vec<Attendee>) -> Result<Self, RequestError> {
        self.attendees = attendees;
        self.check_people()?;
        Ok(self)
    }

    fn check_people(&self) -> Result<(), RequestError> {
        let role_is_presenter = self.options.is("presenters", "role-is-presenter");
        attendees::check_presenters(&self.attendees, role_is_presenter)?;
        Ok(())
    }

    pub fn options(&self) -> &MeetingOptions {
        &self.options
    }
    pub fn attendees(&self) -> &[Attendee] {
        &self.attendees
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }
    pub fn start(&self) -> DateTime<chrono::FixedOffset> {
        self.start
    }
    pub fn end(&self) -> DateTime<chrono::FixedOffset> {
        self.end
    }
    pub fn passcode_required(&self) -> bool {
        self.passcode_required
    }
    pub fn language(&self) -> Option<&Language> {
        self.language.as_ref()
    }

    /// The JSON body of `POST …/onlineMeetings`: offset-aware ISO-8601 times (GRAPH.md §8),
    /// `joinMeetingIdSettings` only when a passcode is wanted (the default is none) and the
    /// options the person changed. Attendees are not in it: they go in only once resolved
    /// to directory objects (the service wants both id and upn, GRAPH-SCHEDULING.md §2).
    pub fn to_graph_body(&self) -> Value {
        let mut body = json!({
            "subject": self.subject,
            "startDateTime": self.start.to_rfc3339_opts(SecondsFormat::Secs, false),
            "endDateTime": self.end.to_rfc3339_opts(SecondsFormat::Secs, false),
        });
        if self.passcode_required {
            body["joinMeetingIdSettings"] = json!({ "isPasscodeRequired": true });
        }
        if let Value::Object(map) = &mut body {
            self.options.write_into(map);
        }
        body
    }
}

/// The subject as it is sent: invisible and bidi characters removed by the same function
/// the form displays it with (so what is sent is what was shown), then trimmed.
pub(crate) fn validate_subject(subject: &str) -> Result<String, RequestError> {
    let cleaned = crate::sanitize::typed(subject);
    let s = cleaned.trim();
    if s.is_empty() {
        return Err(RequestError::EmptySubject);
    }
    if s.chars().count() > MAX_SUBJECT_CHARS {
        return Err(RequestError::SubjectTooLong);
    }
    Ok(s.to_string())
}

impl From<&MeetingRequest> for crate::graph::model::NewMeeting {
    fn from(req: &MeetingRequest) -> Self {
        Self {
            body: req.to_graph_body(),
            accept_language: req.language().map(|l| l.as_str().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn builds_the_seed_request_body() {
        let tz = FixedOffset::west_opt(7 * 3600).unwrap();
        let s = tz.with_ymd_and_hms(2019, 7, 12, 14, 30, 34).unwrap();
        let e = tz.with_ymd_and_hms(2019, 7, 12, 15, 0, 34).unwrap();
        let r = MeetingRequest::new(" User meeting ", &s, &e, true, None).unwrap();
        assert_eq!(
            r.to_graph_body(),
            json!({"subject":"User meeting","startDateTime":"2019-07-12T14:30:34-07:00",
                   "endDateTime":"2019-07-12T15:00:34-07:00","joinMeetingIdSettings":{"isPasscodeRequired":true}})
        );
        let r = MeetingRequest::new("x", &s, &e, false, None).unwrap();
        assert!(r.to_graph_body().get("joinMeetingIdSettings").is_none());
    }

    #[test]
    fn the_wire_gets_the_subject_without_invisible_characters() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let s = tz.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
        let e = tz.with_ymd_and_hms(2026, 1, 1, 11, 0, 0).unwrap();
        let r = MeetingRequest::new(
            "\u{202E}Bud\u{200B}get\u{1b} review\u{2066}",
            &s,
            &e,
            false,
            None,
        )
        .unwrap();
        assert_eq!(r.subject(), "Budget review");
        assert_eq!(r.to_graph_body()["subject"], "Budget review");
    }

    #[test]
    fn options_go_into_the_body_and_presenters_need_a_presenter() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let s = tz.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
        let e = tz.with_ymd_and_hms(2026, 1, 1, 11, 0, 0).unwrap();
        let mut o = MeetingOptions::new();
        o.set("presenters", "role-is-presenter").unwrap();
        let r = MeetingRequest::new("x", &s, &e, false, None).unwrap();
        assert_eq!(
            r.clone().with_options(o.clone()),
            Err(RequestError::Attendees(AttendeeError::NoPresenter))
        );
        let people = attendees::parse_list("ada@contoso.com:presenter").unwrap();
        let r = r.with_attendees(people).unwrap().with_options(o).unwrap();
        assert_eq!(r.to_graph_body()["allowedPresenters"], "roleIsPresenter");
        assert!(r.to_graph_body().get("participants").is_none());
    }

    #[test]
    fn rejects_bad_input() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let s = tz.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
        assert_eq!(
            MeetingRequest::new(" ", &s, &s, false, None),
            Err(RequestError::EmptySubject)
        );
        assert!(matches!(
            MeetingRequest::new("a", &s, &s, false, None),
            Err(RequestError::Time(_))
        ));
        assert_eq!(
            validate_subject("\u{200B}\u{202E} \u{FEFF}"),
            Err(RequestError::EmptySubject),
            "nothing visible is nothing"
        );
        assert_eq!(
            validate_subject(&"x".repeat(256)),
            Err(RequestError::SubjectTooLong)
        );
    }
}
