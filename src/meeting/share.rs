//! Share formats that do not depend on a whole meeting: the grouped meeting ID and the QR
//! code. [`super::presentation::MeetingCard`] puts them together with everything else.

/// Standalone meetings are invisible in calendars (GRAPH.md §8): say so every time.
pub(crate) const NOT_ON_CALENDAR: &str = "This meeting is not on any calendar and no invitations were sent: share the link or the invitation.";

/// "123 456 789 012": groups of three from the left, as Teams prints it. Anything that is
/// not all digits is left as the service sent it.
pub(crate) fn group_meeting_id(id: &str) -> String {
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

/// The largest code, in character cells, that fits an 80×24 window with tmeet's title,
/// status and footer rows around it.
pub(crate) const QR_FIT: (usize, usize) = (80, 21);

/// The code for `data`: error correction M (15 % of it may be unreadable) when that still
/// fits [`QR_FIT`], else L (7 %), the smallest code. A screen is not a worn sticker: L
/// scans fine off a monitor, and a code that does not fit the window cannot be scanned at
/// all. A Teams join link (about 230 bytes) needs L, and even then 61–65 columns and
/// 31–33 rows: more than 24 rows with half blocks and the quiet zone, so it fits 80
/// columns but wants a taller window.
pub(crate) fn qr_code(data: &str) -> Option<qrcode::QrCode> {
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
pub(crate) fn qr_cells(code: &qrcode::QrCode) -> (usize, usize) {
    let modules = code.width() + 2 * QUIET_ZONE;
    (modules, modules.div_ceil(2))
}

/// Light modules the standard asks for around the code.
pub(crate) const QUIET_ZONE: usize = 4;

/// `data` as a QR code in half blocks, dark modules drawn as ink (`█ ▀ ▄`) and light ones
/// as spaces, with the 4-module quiet zone. Ink is dark wherever this text is printed
/// without colours (a file, a pipe, paper), so it reads dark on light as it should; on a
/// terminal, whose text may be light on dark, it must be given explicit colours
/// ([`qr_ansi`], or the TUI's style).
pub(crate) fn qr_text(data: &str) -> Option<String> {
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
pub(crate) const QR_SGR: &str = "\x1b[30;47m\x1b[38;5;16;48;5;231m";

/// Each line of `qr` in [`QR_SGR`] colours, reset at the end of the line (so a wrapped or
/// resized terminal does not paint the rest of the row).
pub(crate) fn qr_ansi(qr: &str) -> String {
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
        let qr = qr_text("https://teams.microsoft.com/l/meetup-join/x").unwrap();
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
    }

    #[test]
    fn qr_code_for_a_terminal_sets_black_on_white_on_every_line() {
        let plain = qr_text("https://teams.microsoft.com/l/meetup-join/x").unwrap();
        let ansi = qr_ansi(&plain);
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
            let m: crate::graph::model::OnlineMeeting = serde_json::from_str(file).unwrap();
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
}
