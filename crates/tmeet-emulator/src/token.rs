//! A token the emulator issued, handed to tests. It prints redacted for the same reason
//! tmeet's own secrets do: a test that fails with a token in its message would teach a
//! log to hold one.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The token itself, e.g. for an `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_its_value() {
        let t = Token::new("eyJ-secret");
        assert!(!format!("{t:?} {t}").contains("eyJ-secret"));
        assert_eq!(t.expose(), "eyJ-secret");
    }
}
