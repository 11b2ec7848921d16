//! The people a calendar meeting invites: an email address and whether they are needed
//! (`attendees[].type`, GRAPH-SCHEDULING.md §3.2). Unlike a standalone meeting's attendees
//! they need not be in the directory: the invitation is mail.

use std::fmt;

/// At most this many per event (learn `resources/event`).
pub const MAX_INVITEES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AttendeeType {
    #[default]
    Required,
    Optional,
}

impl AttendeeType {
    pub fn graph(self) -> &'static str {
        match self {
            AttendeeType::Required => "required",
            AttendeeType::Optional => "optional",
        }
    }

    /// The other one: what the form's key cycles to.
    pub fn next(self) -> Self {
        match self {
            AttendeeType::Required => AttendeeType::Optional,
            AttendeeType::Optional => AttendeeType::Required,
        }
    }

    /// Case-insensitive, as the service takes it.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "required" | "req" => Some(AttendeeType::Required),
            "optional" | "opt" => Some(AttendeeType::Optional),
            _ => None,
        }
    }
}

impl fmt::Display for AttendeeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.graph())
    }
}

/// One invited person as typed: `ada@contoso.com` or `ada@contoso.com:optional`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub address: String,
    pub kind: AttendeeType,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteeError {
    #[error("an invitee is empty; write an email address, e.g. ada@contoso.com")]
    Empty,
    #[error("'{0}' is not required or optional (e.g. ada@contoso.com:optional)")]
    UnknownType(String),
    #[error("'{0}' is not an email address (name@domain)")]
    NotAnAddress(String),
    #[error("{0} is invited twice")]
    Duplicate(String),
    #[error("an event takes at most {MAX_INVITEES} attendees")]
    TooMany,
}

impl Invitee {
    pub fn parse(input: &str) -> Result<Invitee, InviteeError> {
        let input = input.trim();
        let (address, kind) = match input.rsplit_once(':') {
            Some((a, k)) => (
                a.trim(),
                AttendeeType::parse(k).ok_or_else(|| InviteeError::UnknownType(k.to_string()))?,
            ),
            None => (input, AttendeeType::Required),
        };
        if address.is_empty() {
            return Err(InviteeError::Empty);
        }
        if !is_address(address) {
            return Err(InviteeError::NotAnAddress(crate::sanitize::line(address)));
        }
        Ok(Invitee {
            address: address.to_string(),
            kind,
        })
    }

    /// `{"emailAddress": {"address": …}, "type": "required"}`.
    pub fn to_graph(&self) -> serde_json::Value {
        serde_json::json!({
            "emailAddress": { "address": self.address },
            "type": self.kind.graph(),
        })
    }
}

impl fmt::Display for Invitee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AttendeeType::Required => f.write_str(&self.address),
            AttendeeType::Optional => write!(f, "{}:optional", self.address),
        }
    }
}

/// A comma- or semicolon-separated list, as the form's field and Outlook's To line hold it.
pub fn parse_invitees(input: &str) -> Result<Vec<Invitee>, InviteeError> {
    let mut out: Vec<Invitee> = Vec::new();
    for part in crate::meeting::attendees::split(input).filter(|p| !p.trim().is_empty()) {
        let i = Invitee::parse(part)?;
        if out
            .iter()
            .any(|o| o.address.eq_ignore_ascii_case(&i.address))
        {
            return Err(InviteeError::Duplicate(i.address));
        }
        out.push(i);
    }
    if out.len() > MAX_INVITEES {
        return Err(InviteeError::TooMany);
    }
    Ok(out)
}

/// `local@domain.tld`, as a UPN is written; the service checks the rest.
pub fn is_address(s: &str) -> bool {
    crate::meeting::attendees::is_upn(s) && s.matches('@').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_default_to_required_and_read_any_case() {
        let list = parse_invitees("ada@contoso.com, bob@fabrikam.com:Optional;").unwrap();
        assert_eq!(list[0].kind, AttendeeType::Required);
        assert_eq!(list[1].kind, AttendeeType::Optional);
        assert_eq!(list[1].to_string(), "bob@fabrikam.com:optional");
        assert_eq!(
            list[1].to_graph(),
            serde_json::json!({"emailAddress": {"address": "bob@fabrikam.com"}, "type": "optional"})
        );
    }

    #[test]
    fn slips_are_named() {
        assert_eq!(
            parse_invitees("ada@contoso.com:presenter").unwrap_err(),
            InviteeError::UnknownType("presenter".into())
        );
        assert_eq!(
            parse_invitees("ada").unwrap_err(),
            InviteeError::NotAnAddress("ada".into())
        );
        assert_eq!(
            parse_invitees("ada@contoso.com, ADA@contoso.com").unwrap_err(),
            InviteeError::Duplicate("ADA@contoso.com".into())
        );
        assert!(parse_invitees("").unwrap().is_empty());
        let many: Vec<String> = (0..=MAX_INVITEES)
            .map(|i| format!("p{i}@contoso.com"))
            .collect();
        assert_eq!(
            parse_invitees(&many.join(",")).unwrap_err(),
            InviteeError::TooMany
        );
    }
}
