//! The invitation language: a BCP 47 tag sent as `Accept-Language`.

use std::fmt;

/// Languages Teams invitations commonly come in, offered for completion.
pub(crate) const COMMON: &[&str] = &[
    "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "pt-BR", "pt-PT", "nl-NL", "sv-SE",
    "da-DK", "nb-NO", "fi-FI", "pl-PL", "cs-CZ", "hu-HU", "ru-RU", "uk-UA", "tr-TR", "ja-JP",
    "ko-KR", "zh-CN", "zh-TW", "ar-SA", "he-IL", "hi-IN",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    /// Accepts a well-formed BCP 47 tag (`de`, `de-DE`, `zh-Hans-CN`); `de_DE` is taken as
    /// `de-DE`. The canonical casing is kept (`en-us` → `en-US`).
    pub fn parse(input: &str) -> Result<Self, String> {
        let raw = input.trim().replace('_', "-");
        if raw.is_empty() {
            return Err("enter a language tag such as en-US, de-DE or ja".into());
        }
        let tag = language_tags::LanguageTag::parse(&raw).map_err(|e| {
            format!(
                "'{}' is not a language tag ({e}); try en-US, de-DE or ja",
                input.trim()
            )
        })?;
        if tag.primary_language().len() > 3
            || tag.private_use().is_some() && tag.primary_language().is_empty()
        {
            return Err(format!(
                "'{}' is not a language Teams can use; try en-US, de-DE or ja",
                input.trim()
            ));
        }
        Ok(Self(canonical_case(tag.as_str())))
    }

    /// From a POSIX locale such as `de_DE.UTF-8` or `fr_CA@euro`; `C`/`POSIX` give None.
    pub fn from_locale(locale: &str) -> Option<Self> {
        let base = locale.split(['.', '@']).next()?.trim();
        if base.is_empty() || base.eq_ignore_ascii_case("C") || base.eq_ignore_ascii_case("POSIX") {
            return None;
        }
        Self::parse(base).ok()
    }

    /// `LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them; `en-US` otherwise.
    pub fn from_env() -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Self::from_locale(&v))
            .unwrap_or_else(|| Self("en-US".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Completions for what has been typed so far, case-insensitively by prefix.
    pub fn completions(prefix: &str) -> impl Iterator<Item = &'static str> + '_ {
        let p = prefix.trim().replace('_', "-").to_ascii_lowercase();
        COMMON
            .iter()
            .copied()
            .filter(move |c| c.to_ascii_lowercase().starts_with(&p))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// language lower, script title, region upper: `zh-hans-cn` → `zh-Hans-CN`.
fn canonical_case(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) if part.chars().all(|c| c.is_ascii_alphabetic()) => {
                let mut s = part[..1].to_ascii_uppercase();
                s.push_str(&part[1..].to_ascii_lowercase());
                s
            }
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_canonicalizes() {
        assert_eq!(Language::parse("en-us").unwrap().as_str(), "en-US");
        assert_eq!(Language::parse("de_DE").unwrap().as_str(), "de-DE");
        assert_eq!(
            Language::parse("zh-hans-cn").unwrap().as_str(),
            "zh-Hans-CN"
        );
        assert_eq!(Language::parse("ja").unwrap().as_str(), "ja");
        assert!(Language::parse("").is_err());
        assert!(Language::parse("english please").is_err());
        assert!(Language::parse("e").is_err());
        assert!(Language::parse("toolonglanguage").is_err());
    }

    #[test]
    fn from_locale() {
        assert_eq!(
            Language::from_locale("de_DE.UTF-8").unwrap().as_str(),
            "de-DE"
        );
        assert_eq!(
            Language::from_locale("fr_CA@euro").unwrap().as_str(),
            "fr-CA"
        );
        assert_eq!(Language::from_locale("C.UTF-8"), None);
        assert_eq!(Language::from_locale("POSIX"), None);
    }

    #[test]
    fn completes() {
        let c: Vec<_> = Language::completions("zh").collect();
        assert_eq!(c, ["zh-CN", "zh-TW"]);
        assert_eq!(Language::completions("DE").next(), Some("de-DE"));
    }
}
