//! The localized invitation behind `joinInformation`: one HTML template per language in
//! `assets/invitations/`, chosen from `Accept-Language` the way the service does (English
//! when nothing matches).

/// (tag sent back in URLs, template). English first: it is the fallback.
const TEMPLATES: &[(&str, &str)] = &[
    ("en-US", include_str!("../assets/invitations/en.html")),
    ("de-DE", include_str!("../assets/invitations/de.html")),
    ("fr-FR", include_str!("../assets/invitations/fr.html")),
    ("es-ES", include_str!("../assets/invitations/es.html")),
    ("ja-JP", include_str!("../assets/invitations/ja.html")),
    ("ru-RU", include_str!("../assets/invitations/ru.html")),
    ("zh-CN", include_str!("../assets/invitations/zh-CN.html")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lang(usize);

impl Lang {
    pub(crate) const ENGLISH: Lang = Lang(0);

    pub(crate) fn tag(self) -> &'static str {
        TEMPLATES[self.0].0
    }

    fn template(self) -> &'static str {
        TEMPLATES[self.0].1
    }

    fn primary(self) -> &'static str {
        self.tag().split('-').next().unwrap_or("en")
    }
}

/// Picks the best template for an `Accept-Language` value: highest q first, an exact tag
/// match before a primary-language match (`de-AT` → German, `zh-TW` → Chinese), `*` or
/// nothing usable → English.
pub(crate) fn choose(accept_language: Option<&str>) -> Lang {
    let Some(header) = accept_language else {
        return Lang::ENGLISH;
    };
    let mut ranges: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    // Stable: equal weights keep the client's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, tag) in ranges {
        if tag == "*" {
            return Lang::ENGLISH;
        }
        let all = (0..TEMPLATES.len()).map(Lang);
        if let Some(l) = all.clone().find(|l| l.tag().eq_ignore_ascii_case(tag)) {
            return l;
        }
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        if let Some(l) = all
            .clone()
            .find(|l| l.primary().eq_ignore_ascii_case(primary))
        {
            return l;
        }
    }
    Lang::ENGLISH
}

/// What fills a template's `{{…}}` placeholders (raw values; they are HTML-escaped here).
pub(crate) struct Fill<'a> {
    pub join_url: &'a str,
    pub join_meeting_id: &'a str,
    pub passcode: Option<&'a str>,
    pub toll_number: &'a str,
    pub toll_free_number: &'a str,
    pub conference_id: &'a str,
    pub dialin_url: &'a str,
    pub meeting_options_url: &'a str,
    pub vtc_id: &'a str,
    /// Whether the invitation has the "call in" block.
    pub dial_in: bool,
}

/// Keeps the `<!--name-->…<!--/name-->` block's content (markers removed), or removes it.
fn keep_block(html: &mut String, name: &str, keep: bool) {
    let (open, close) = (format!("<!--{name}-->"), format!("<!--/{name}-->"));
    let (Some(start), Some(end)) = (html.find(&open), html.find(&close)) else {
        return;
    };
    if keep {
        *html = html
            .replace(&format!("{open}\n"), "")
            .replace(&format!("{close}\n"), "");
    } else {
        let stop = (end + close.len() + 1).min(html.len());
        html.replace_range(start..stop, "");
    }
}

pub(crate) fn render(lang: Lang, fill: &Fill<'_>) -> String {
    let mut html = lang.template().to_string();
    // The passcode block exists only when the meeting has a passcode, the dial-in block
    // only when the organizer has an Audio Conferencing licence (GRAPH-REAL.md Q3).
    keep_block(&mut html, "passcode", fill.passcode.is_some());
    keep_block(&mut html, "dialin", fill.dial_in);
    let pairs = [
        ("join_url", fill.join_url.to_string()),
        ("join_meeting_id", group3(fill.join_meeting_id)),
        ("passcode", fill.passcode.unwrap_or_default().to_string()),
        ("toll_number", fill.toll_number.to_string()),
        ("toll_free_number", fill.toll_free_number.to_string()),
        ("conference_id_spaced", group3(fill.conference_id)),
        ("conference_id", fill.conference_id.to_string()),
        ("dialin_url", fill.dialin_url.to_string()),
        ("meeting_options_url", fill.meeting_options_url.to_string()),
        ("vtc_id", fill.vtc_id.to_string()),
    ];
    for (name, value) in pairs {
        html = html.replace(&format!("{{{{{name}}}}}"), &escape(&value));
    }
    html
}

/// `123456789012` → `123 456 789 012`, as invitations print meeting and conference IDs.
fn group3(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars
        .chunks(3)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_by_quality_then_prefix_with_english_fallback() {
        assert_eq!(choose(None).tag(), "en-US");
        assert_eq!(choose(Some("de-DE")).tag(), "de-DE");
        assert_eq!(choose(Some("de-AT")).tag(), "de-DE");
        assert_eq!(choose(Some("zh-cn")).tag(), "zh-CN");
        assert_eq!(choose(Some("zh-TW")).tag(), "zh-CN");
        assert_eq!(choose(Some("ja")).tag(), "ja-JP");
        assert_eq!(choose(Some("nl-NL, fr;q=0.5, ru;q=0.8")).tag(), "ru-RU");
        assert_eq!(choose(Some("es;q=0.1, fr;q=0.9")).tag(), "fr-FR");
        assert_eq!(choose(Some("fr;q=0, es")).tag(), "es-ES");
        assert_eq!(choose(Some("nl, *;q=0.5, de;q=0.4")).tag(), "en-US");
        assert_eq!(choose(Some("klingon")).tag(), "en-US");
        assert_eq!(choose(Some(",;q=x,")).tag(), "en-US");
    }

    fn fill(passcode: Option<&str>) -> Fill<'_> {
        Fill {
            join_url: "https://teams.microsoft.com/l/meetup-join/x?a=1&b=2",
            join_meeting_id: "123456789012",
            passcode,
            toll_number: "+14255550142",
            toll_free_number: "+18665550199",
            conference_id: "987654321",
            dialin_url: "https://dialin.teams.microsoft.com/x?id=987654321",
            meeting_options_url: "https://teams.microsoft.com/meetingOptions/?language=en-US",
            vtc_id: "1234567890",
            dial_in: true,
        }
    }

    #[test]
    fn every_template_renders_every_placeholder() {
        for i in 0..TEMPLATES.len() {
            let html = render(Lang(i), &fill(Some("Ab3xYz")));
            assert!(!html.contains("{{"), "{}: {html}", Lang(i).tag());
            assert!(!html.contains("<!--"), "{}", Lang(i).tag());
            assert!(html.contains("x?a=1&amp;b=2"));
            assert!(html.contains("123 456 789 012"));
            assert!(html.contains("Ab3xYz"));
            assert!(html.contains("987 654 321#"));
            assert!(html.contains("tel:+14255550142,,987654321&#35;"));
            assert!(html.contains("meetingOptions"));
        }
    }

    #[test]
    fn no_passcode_block_without_a_passcode() {
        let with = render(Lang::ENGLISH, &fill(Some("Ab3xYz")));
        let without = render(Lang::ENGLISH, &fill(None));
        assert!(with.contains("Passcode:"));
        assert!(!without.contains("Passcode:"));
        assert!(render(choose(Some("ja")), &fill(None)).contains("会議 ID:"));
    }

    #[test]
    fn no_dial_in_block_without_an_audio_conferencing_licence() {
        for i in 0..TEMPLATES.len() {
            let html = render(
                Lang(i),
                &Fill {
                    dial_in: false,
                    ..fill(None)
                },
            );
            assert!(
                !html.contains("tel:") && !html.contains("987 654 321"),
                "{html}"
            );
            assert!(!html.contains("<!--") && !html.contains("{{"));
            assert!(html.contains("1234567890"), "the rest stays");
        }
    }
}
