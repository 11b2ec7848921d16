//! `GET /me/outlook/masterCategories` (GRAPH-NEXT §5): the mailbox's list of categories,
//! each an `outlookCategory{id, displayName, color}`. Every mailbox has Outlook's six
//! colour categories; names are unique and colours are `none` or `preset0`–`preset24`.

use super::answers::{Reply, ok};
use super::calendar::Call;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The categories a new Outlook mailbox has, with their preset colours (Red, Orange,
/// Yellow, Green, Blue, Purple).
const DEFAULTS: &[(&str, &str)] = &[
    ("Red category", "preset0"),
    ("Orange category", "preset1"),
    ("Yellow category", "preset3"),
    ("Green category", "preset4"),
    ("Blue category", "preset7"),
    ("Purple category", "preset8"),
];

/// A stable id of the form the service gives (a GUID), made from the name.
fn id_of(name: &str) -> String {
    let mut h: u128 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u128::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{h:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `GET …/outlook/masterCategories`.
pub(crate) fn list(call: &Call) -> Result<Reply, Reply> {
    let value: Vec<Value> = DEFAULTS
        .iter()
        .map(|(name, color)| json!({"id": id_of(name), "displayName": name, "color": color}))
        .collect();
    Ok(ok(
        StatusCode::OK,
        json!({
            "@odata.context": call.context("/outlook/masterCategories"),
            "value": value,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_colours_documented() {
        let mut names: Vec<&str> = DEFAULTS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DEFAULTS.len());
        for (_, c) in DEFAULTS {
            let n: u8 = c.strip_prefix("preset").unwrap().parse().unwrap();
            assert!(n <= 24);
        }
        assert_ne!(id_of("Red category"), id_of("Blue category"));
    }
}
