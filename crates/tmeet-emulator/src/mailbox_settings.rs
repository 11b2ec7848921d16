//! Each person's working hours and zone, and `GET /me/mailboxSettings` (GRAPH-NEXT §6.1):
//! the mailbox's `timeZone` (a Windows name, as the service answers it), `workingHours`
//! (`daysOfWeek`, `startTime`, `endTime`, `timeZone`), `dateFormat`, `timeFormat`,
//! `language` and `userPurpose`; a single property by its path segment. The same
//! working hours are getSchedule's `workingHours` (§6.2) and bound findMeetingTimes'
//! `work` suggestions for the organizer and every attendee.

use super::answers::{Reply, ok};
use super::calendar::Call;
use super::calendar_store::CalendarStore;
use super::org::Person;
use super::state::DEMO_USER_UPN;
use super::timezones::Zone;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use serde_json::{Value, json};

/// Someone's working hours, resolved: their zone and the days and times in it.
#[derive(Debug, Clone)]
pub(crate) struct WorkHours {
    pub zone: Zone,
    pub days: Vec<Weekday>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// Sent as a `customTimeZone` rather than by name (`hours=custom`).
    pub custom: bool,
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// `Edm.TimeOfDay` as the service writes it: `08:00:00.0000000`.
fn time_of_day(t: NaiveTime) -> String {
    format!("{}.0000000", t.format("%H:%M:%S"))
}

impl WorkHours {
    /// Whether `[start, end)` lies inside one working day's hours, in the person's zone.
    pub(crate) fn contains(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let s = self.zone.to_local(&start);
        let last = self.zone.to_local(&(end - Duration::seconds(1)));
        s.date() == last.date()
            && self.days.contains(&s.weekday())
            && s.time() >= self.start
            && last.time() < self.end
    }

    /// The `workingHours` object, the zone by its Windows name or as a custom zone.
    pub(crate) fn json(&self) -> Value {
        let zone = if self.custom {
            self.custom_zone()
        } else {
            json!({"name": self.zone.windows_name()})
        };
        json!({
            "daysOfWeek": self.days.iter().map(|d| day_name(*d)).collect::<Vec<_>>(),
            "startTime": time_of_day(self.start),
            "endTime": time_of_day(self.end),
            "timeZone": zone,
        })
    }

    /// The documented `customTimeZone` shape (GRAPH-NEXT §6.1): `bias` is the zone's
    /// standard offset in minutes (the reference page: ahead of UTC is positive); the
    /// transition rules are written in the documented shape with the offset of summer, not
    /// the zone's real rule dates, which the emulator does not derive. A client is
    /// expected not to guess a zone from them.
    fn custom_zone(&self) -> Value {
        let year = Utc::now().year();
        let at = |month: u32| {
            chrono::NaiveDate::from_ymd_opt(year, month, 15)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|t| self.zone.offset_minutes(&t.and_utc()))
                .unwrap_or(0)
        };
        let (january, july) = (at(1), at(7));
        let standard = january.min(july);
        json!({
            "@odata.type": "#microsoft.graph.customTimeZone",
            "bias": standard,
            "name": "Customized Time Zone",
            "standardOffset": {"time": "03:00:00.0000000", "dayOccurrence": 5, "dayOfWeek": "sunday", "month": 10, "year": 0},
            "daylightOffset": {"time": "02:00:00.0000000", "dayOccurrence": 5, "dayOfWeek": "sunday", "month": 3, "year": 0,
                               "daylightBias": january.max(july) - standard},
        })
    }
}

impl CalendarStore {
    /// Whether `p` is the signed-in person, whose mailbox the mailbox modes describe.
    fn is_me(p: &Person) -> bool {
        p.upn.eq_ignore_ascii_case(DEMO_USER_UPN)
    }

    /// The zone of `p`'s mailbox and working hours.
    pub(crate) fn zone_of(&self, p: &Person) -> Zone {
        let own = if Self::is_me(p) {
            self.mailbox.zone.as_deref()
        } else {
            p.hours.zone
        };
        own.and_then(Zone::parse)
            .unwrap_or_else(|| self.org_zone.clone())
    }

    /// `p`'s working hours.
    pub(crate) fn hours_of(&self, p: &Person) -> WorkHours {
        let t = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        WorkHours {
            zone: self.zone_of(p),
            days: p.hours.days.to_vec(),
            start: t(p.hours.start),
            end: t(p.hours.end),
            custom: Self::is_me(p) && self.mailbox.custom_hours,
        }
    }
}

/// The properties a single-property path may name, in their documented spelling.
const PROPERTIES: &[&str] = &[
    "timeZone",
    "workingHours",
    "dateFormat",
    "timeFormat",
    "language",
    "userPurpose",
    "automaticRepliesSetting",
    "delegateMeetingMessageDeliveryOptions",
];

/// `GET …/mailboxSettings` or `GET …/mailboxSettings/{property}`.
pub(crate) fn get(call: &Call, property: Option<&str>) -> Result<Reply, Reply> {
    let st = call.shared.lock();
    let store = &st.calendar;
    let Some(p) = super::org::mailbox(&call.user.upn) else {
        return Err(call
            .ctx
            .not_found(format!("The mailbox of '{}' was not found.", call.user.upn)));
    };
    let modes = &store.mailbox;
    let me = CalendarStore::is_me(&p);
    let locale = if me {
        modes.language().to_string()
    } else {
        "en-US".to_string()
    };
    let purpose = if me && modes.purpose_enum {
        json!("user")
    } else {
        json!({"value": "user"})
    };
    let all = json!({
        "timeZone": store.zone_of(&p).windows_name(),
        "language": {"locale": locale, "displayName": display_language(&locale)},
        "workingHours": store.hours_of(&p).json(),
        "userPurpose": purpose,
        // The documentation's sample formats (en-US).
        "dateFormat": "MM/dd/yyyy",
        "timeFormat": "hh:mm tt",
        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
        "automaticRepliesSetting": {
            "status": "disabled",
            "externalAudience": "all",
            "internalReplyMessage": "",
            "externalReplyMessage": "",
        },
    });
    let context = call.context("/mailboxSettings");
    let body = match property {
        None => {
            let mut v = all;
            v["@odata.context"] = json!(context);
            v
        }
        Some(name) => {
            let Some(known) = PROPERTIES.iter().find(|k| k.eq_ignore_ascii_case(name)) else {
                return Err(call
                    .ctx
                    .bad_request(format!("Resource not found for the segment '{name}'.")));
            };
            let v = all[*known].clone();
            match v {
                Value::Object(mut o) => {
                    o.insert("@odata.context".into(), json!(format!("{context}/{known}")));
                    Value::Object(o)
                }
                other => json!({"@odata.context": format!("{context}/{known}"), "value": other}),
            }
        }
    };
    Ok(ok(StatusCode::OK, body))
}

fn display_language(locale: &str) -> String {
    match locale {
        "en-US" => "English (United States)".into(),
        "de-DE" => "German (Germany)".into(),
        "ja-JP" => "Japanese (Japan)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hours(zone: &str, days: &[Weekday], start: u32, end: u32) -> WorkHours {
        WorkHours {
            zone: Zone::parse(zone).unwrap(),
            days: days.to_vec(),
            start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
            custom: false,
        }
    }

    #[test]
    fn hours_hold_in_the_persons_own_zone_and_days() {
        let tokyo = hours("Tokyo Standard Time", &[Weekday::Mon, Weekday::Tue], 9, 18);
        // Monday 2031-01-06 00:00–01:00 UTC is 09:00–10:00 in Tokyo.
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2031, 1, d, h, 0, 0).unwrap();
        assert!(tokyo.contains(at(6, 0), at(6, 1)));
        assert!(tokyo.contains(at(6, 8), at(6, 9)), "ends at 18:00 sharp");
        assert!(!tokyo.contains(at(6, 8), at(6, 10)), "runs past 18:00");
        assert!(!tokyo.contains(at(5, 23), at(6, 1)), "starts at 08:00");
        // Wednesday is not a working day.
        assert!(!tokyo.contains(at(8, 0), at(8, 1)));
        let j = tokyo.json();
        assert_eq!(j["daysOfWeek"], json!(["monday", "tuesday"]));
        assert_eq!(j["startTime"], "09:00:00.0000000");
        assert_eq!(j["timeZone"]["name"], "Tokyo Standard Time");
        let custom = WorkHours {
            custom: true,
            ..hours("Europe/Berlin", &[Weekday::Mon], 8, 17)
        }
        .json();
        assert_eq!(
            custom["timeZone"]["@odata.type"],
            "#microsoft.graph.customTimeZone"
        );
        assert_eq!(custom["timeZone"]["bias"], 60);
        assert_eq!(custom["timeZone"]["daylightOffset"]["daylightBias"], 60);
    }
}
