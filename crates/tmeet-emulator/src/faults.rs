//! Injected failures. Each queued fault answers exactly one request, in queue order, so a
//! test (or a script through the control endpoint) can script "two 503s, then success".

use std::fmt;
use std::str::FromStr;

/// How a 429 tells the client when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: N`
    Seconds(u64),
    /// `Retry-After: <HTTP-date N seconds from now>`
    HttpDate(u64),
    /// No header: the client must back off on its own.
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests.
    Throttle { retry_after: RetryAfter },
    /// 503 Service Unavailable, optionally with `Retry-After` seconds.
    Unavailable { retry_after: Option<u64> },
    /// 500 with a Graph error body.
    InternalError,
    /// 401 as for an expired access token.
    TokenExpired,
    /// 403 as for an app-only call without an application access policy.
    NoAccessPolicy,
    /// The request is carried out, but the success body is cut short (not valid JSON).
    MalformedBody,
    /// The request is carried out (a create really creates), then the connection is closed
    /// without an answer: the client cannot know the outcome.
    DropAfterCreate,
    /// The request is never answered; only the client's timeout ends it.
    Hang,
    /// The request is carried out and a success answer carries terminal control sequences
    /// in the subject, organizer name and invitation (see `hostile.rs`).
    Hostile,
    /// A 400 whose Graph error code and message carry terminal control sequences.
    HostileError,
    /// The request is carried out and a success answer carries links that must not be
    /// made clickable: a join link with an escape sequence inside, a plain-http dial-in
    /// page, and invitation links with other schemes, a password or control characters
    /// (see `hostile.rs`).
    HostileLinks,
    /// The next Graph call answers 401 with a Continuous Access Evaluation claims challenge
    /// (`WWW-Authenticate: … error="insufficient_claims", claims="…"`, GRAPH-NEXT.md §1.4),
    /// and so does every later call with that token, until a token request carrying the
    /// claims replaces it. Sent only to tokens of clients that declared `cp1`, as the
    /// service does. `interactive`: a refresh with the claims is refused
    /// (`interaction_required`), only an interactive sign-in answers it.
    ClaimsChallenge { interactive: bool },
    /// Identity, not Graph: the next device-code poll answers `slow_down`.
    SlowDown,
    /// Identity: the next `/token` call answers 503 `temporarily_unavailable`.
    TokenUnavailable,
    /// Calendar: the next event create with a Teams meeting answers 201 without one
    /// (`isOnlineMeeting:false`, provider `unknown`, `onlineMeeting:null`), as the service
    /// silently does for some mailboxes.
    EventDowngrade,
    /// Calendar: the next event create is carried out, then the connection is closed
    /// without an answer; a retry with the same `transactionId` finds the event.
    EventLostAnswer,
    /// Calendar: the next event create is refused (400 `ErrorInvalidRequest`) and nothing
    /// is made: what a client that must undo an earlier step meets.
    EventRefused,
    /// The next create (`POST` of an online meeting, a createOrGet or an event) is carried
    /// out, and a gateway in front of the service answers 502 or 504 instead of it: the
    /// write happened, the client is told nothing of it (GRAPH-REAL.md Q31).
    GatewayAfterWrite { status: u16 },
    /// The next create is carried out and its answer held back until the test releases it
    /// (`Emulator::release_held`): a request certainly in flight, for as long as needed.
    HoldAfterWrite,
    /// The next PATCH (of an online meeting or an event) is carried out, then answered 500
    /// as if it had failed, as reported of the service (GRAPH-REAL.md Q15).
    ErrorAfterPatch,
}

impl Fault {
    /// Identity faults are consumed by `/token` calls, all others by Graph requests.
    pub fn is_identity(&self) -> bool {
        matches!(self, Fault::SlowDown | Fault::TokenUnavailable)
    }

    /// Calendar faults wait for the next event create, whatever Graph calls come first.
    pub fn is_event(&self) -> bool {
        matches!(
            self,
            Fault::EventDowngrade | Fault::EventLostAnswer | Fault::EventRefused
        )
    }

    /// Write faults wait for the next create of any kind, whatever Graph calls come first.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Fault::GatewayAfterWrite { .. } | Fault::HoldAfterWrite | Fault::ErrorAfterPatch
        )
    }

    /// Whether this write fault is for a PATCH rather than a create.
    pub fn is_patch(&self) -> bool {
        matches!(self, Fault::ErrorAfterPatch)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Throttle {
                retry_after: RetryAfter::Seconds(n),
            } => write!(f, "429:{n}"),
            Fault::Throttle {
                retry_after: RetryAfter::HttpDate(n),
            } => write!(f, "429-date:{n}"),
            Fault::Throttle {
                retry_after: RetryAfter::Absent,
            } => f.write_str("429-none"),
            Fault::Unavailable { retry_after: None } => f.write_str("503"),
            Fault::Unavailable {
                retry_after: Some(n),
            } => write!(f, "503:{n}"),
            Fault::InternalError => f.write_str("500"),
            Fault::TokenExpired => f.write_str("401"),
            Fault::NoAccessPolicy => f.write_str("403"),
            Fault::MalformedBody => f.write_str("malformed"),
            Fault::DropAfterCreate => f.write_str("drop"),
            Fault::Hang => f.write_str("hang"),
            Fault::Hostile => f.write_str("hostile"),
            Fault::HostileError => f.write_str("hostile-error"),
            Fault::HostileLinks => f.write_str("hostile-links"),
            Fault::ClaimsChallenge { interactive: false } => f.write_str("claims"),
            Fault::ClaimsChallenge { interactive: true } => f.write_str("claims-interactive"),
            Fault::SlowDown => f.write_str("slow_down"),
            Fault::TokenUnavailable => f.write_str("token-503"),
            Fault::EventDowngrade => f.write_str("event-downgrade"),
            Fault::EventLostAnswer => f.write_str("event-lost-answer"),
            Fault::EventRefused => f.write_str("event-refused"),
            Fault::GatewayAfterWrite { status } => write!(f, "{status}-after-write"),
            Fault::HoldAfterWrite => f.write_str("hold-after-write"),
            Fault::ErrorAfterPatch => f.write_str("500-after-patch"),
        }
    }
}

const KNOWN: &str = "429, 429:N, 429-date:N, 429-none, 503, 503:N, 500, 401, 403, malformed, \
                     drop, hang, hostile, hostile-error, hostile-links, claims, claims-interactive, slow_down, token-503, event-downgrade, \
                     event-lost-answer, event-refused, 502-after-write, 504-after-write, hold-after-write, \
                     500-after-patch";

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (s.as_str(), None),
        };
        let seconds = |a: Option<&str>| -> Result<Option<u64>, String> {
            a.map(|a| {
                a.parse::<u64>()
                    .map_err(|_| format!("fault '{s}': '{a}' is not a number of seconds"))
            })
            .transpose()
        };
        let no_arg = |f: Fault| match arg {
            None => Ok(f),
            Some(_) => Err(format!("fault '{s}' takes no ':N' argument")),
        };
        match name {
            "429" => Ok(Fault::Throttle {
                retry_after: RetryAfter::Seconds(seconds(arg)?.unwrap_or(1)),
            }),
            "429-date" => Ok(Fault::Throttle {
                retry_after: RetryAfter::HttpDate(seconds(arg)?.unwrap_or(1)),
            }),
            "429-none" => no_arg(Fault::Throttle {
                retry_after: RetryAfter::Absent,
            }),
            "503" => Ok(Fault::Unavailable {
                retry_after: seconds(arg)?,
            }),
            "500" => no_arg(Fault::InternalError),
            "401" => no_arg(Fault::TokenExpired),
            "403" => no_arg(Fault::NoAccessPolicy),
            "malformed" => no_arg(Fault::MalformedBody),
            "drop" => no_arg(Fault::DropAfterCreate),
            "hang" => no_arg(Fault::Hang),
            "hostile" => no_arg(Fault::Hostile),
            "hostile-error" => no_arg(Fault::HostileError),
            "hostile-links" => no_arg(Fault::HostileLinks),
            "claims" => no_arg(Fault::ClaimsChallenge { interactive: false }),
            "claims-interactive" => no_arg(Fault::ClaimsChallenge { interactive: true }),
            "slow_down" | "slow-down" => no_arg(Fault::SlowDown),
            "token-503" => no_arg(Fault::TokenUnavailable),
            "event-downgrade" => no_arg(Fault::EventDowngrade),
            "event-lost-answer" => no_arg(Fault::EventLostAnswer),
            "event-refused" => no_arg(Fault::EventRefused),
            "502-after-write" => no_arg(Fault::GatewayAfterWrite { status: 502 }),
            "504-after-write" => no_arg(Fault::GatewayAfterWrite { status: 504 }),
            "hold-after-write" => no_arg(Fault::HoldAfterWrite),
            "500-after-patch" => no_arg(Fault::ErrorAfterPatch),
            _ => Err(format!("unknown fault '{s}'; known: {KNOWN}")),
        }
    }
}

/// A comma list as in `TMEET_EMULATOR_FAULTS`, e.g. `429-date:2,503*3,drop`; `*N` repeats.
pub fn parse_list(s: &str) -> Result<Vec<Fault>, String> {
    let mut out = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (spec, times) = match item.rsplit_once('*') {
            Some((spec, n)) => {
                let n: usize = n
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| format!("fault '{item}': repeat count must be 1 to 1000"))?;
                (spec, n)
            }
            None => (item, 1),
        };
        let fault: Fault = spec.parse()?;
        out.extend(std::iter::repeat_n(fault, times));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_and_round_trips() {
        let all = "429:3,429-date:2,429-none,503,503:4,500,401,403,malformed,drop,hang,hostile,hostile-error,hostile-links,claims,claims-interactive,slow_down,token-503,event-downgrade,event-lost-answer,event-refused,502-after-write,504-after-write,hold-after-write,500-after-patch";
        let faults = parse_list(all).unwrap();
        assert_eq!(faults.len(), 25);
        assert_eq!(
            faults[0],
            Fault::Throttle {
                retry_after: RetryAfter::Seconds(3)
            }
        );
        assert_eq!(
            faults[1],
            Fault::Throttle {
                retry_after: RetryAfter::HttpDate(2)
            }
        );
        let back: Vec<String> = faults.iter().map(Fault::to_string).collect();
        assert_eq!(back.join(","), all);
        assert_eq!(
            "429".parse::<Fault>().unwrap(),
            Fault::Throttle {
                retry_after: RetryAfter::Seconds(1)
            }
        );
    }

    #[test]
    fn repeats_and_rejects_garbage() {
        assert_eq!(parse_list(" 503*3 , ").unwrap().len(), 3);
        assert_eq!(parse_list("").unwrap(), vec![]);
        assert!(parse_list("418").unwrap_err().contains("known:"));
        assert!(parse_list("429:soon").is_err());
        assert!(parse_list("500:1").is_err());
        assert!(parse_list("503*0").is_err());
    }
}
