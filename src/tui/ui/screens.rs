//! The README's screenshots (`assets/screens/`), drawn from the screen tests' own states:
//! their fixed clock (Fri 27 Nov 2026 10:07, Berlin) and fixture meeting. The test fails
//! when a committed picture is not what the code draws now;
//! `TMEET_UPDATE_SCREENS=1 cargo test --lib screens` draws them again.

use std::path::Path;

/// (file name, the state of `tests::states` it shows).
const SCREENS: &[(&str, &str)] = &[
    ("form", "empty_form"),
    ("result", "result"),
    ("sign-in", "sign_in"),
    ("calendar", "calendar_free_busy"),
];

const SIZE: (u16, u16) = (80, 24);

#[test]
fn the_readme_screenshots_are_the_screens_drawn_now() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("assets/screens");
    let update = std::env::var_os("TMEET_UPDATE_SCREENS").is_some_and(|v| v == "1");
    let states = super::tests::states();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut stale = Vec::new();
    for (file, state) in SCREENS {
        let model = &states
            .iter()
            .find(|(name, _)| name == state)
            .unwrap_or_else(|| panic!("no state {state}"))
            .1;
        let t = super::tests::draw(model, SIZE.0, SIZE.1);
        let svg = super::svg::render(t.backend().buffer());
        let path = dir.join(format!("{file}.svg"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(path.display().to_string());
        }
        assert!(
            readme.contains(&format!("](assets/screens/{file}.svg)")),
            "README.md shows assets/screens/{file}.svg"
        );
    }
    assert!(
        stale.is_empty(),
        "not what the screens look like now: {stale:?}; run \
         `TMEET_UPDATE_SCREENS=1 cargo test --lib screens`, look at them and commit them"
    );
}
