//! The layering rule, checked: every `crate::…` and `super::…` path in the product code
//! (tests excluded) is read, and a path that points to a higher layer, or a cycle between
//! files, fails the test. The layers are the table below, as `lib.rs` describes them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer, from the bottom. A module may use its own layer's and
/// lower ones; `cli` and `tui` (the two faces) may not use each other.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "platform",
        &[
            "browser",
            "clipboard",
            "cloud",
            "colour",
            "env",
            "exit",
            "http",
            "hyperlink",
            "language",
            "logging",
            "paths",
            "sanitize",
            "secret",
            "settings",
        ],
    ),
    ("graph", &["graph"]),
    ("auth", &["auth"]),
    ("domain", &["meeting", "calendar", "permissions"]),
    ("history", &["history"]),
    ("services", &["services"]),
    ("cli", &["cli"]),
    ("tui", &["tui"]),
];

/// Known exceptions, each with why it is still here. An entry is `(file, module used)`.
/// None: the Graph client's token provider is its own (`graph/token.rs`), and auth
/// implements it.
const EXCEPTIONS: &[(&str, &str)] = &[];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

/// `src/tui/app/meetings.rs` → `tui::app::meetings`.
fn module_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    rel.replace('/', "::")
}

/// Every module path a file's code names through `crate::` or `super::`, with groups
/// (`crate::a::{b, c::d}`) opened.
fn paths_in(code: &str, here: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (start, prefix) in [("crate::", None), ("super::", Some(()))] {
        let mut rest = code;
        while let Some(i) = rest.find(start) {
            let before = rest[..i].chars().last();
            rest = &rest[i + start.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let base = match prefix {
                None => String::new(),
                // `super::` from a file: its parent module (a `mod.rs`'s parent is the
                // module above its directory).
                Some(()) => here.rsplit_once("::").map_or("", |(p, _)| p).to_string(),
            };
            for p in expand(rest) {
                let full = if base.is_empty() {
                    p
                } else {
                    format!("{base}::{p}")
                };
                out.insert(full);
            }
        }
    }
    out
}

/// `a::b::{c, d::e}` → `a::b::c`, `a::b::d::e`; stops at anything else.
fn expand(s: &str) -> Vec<String> {
    let ident: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let ident = ident.trim_end_matches(':').to_string();
    let after = &s[ident.len()..];
    if let Some(group) = after.strip_prefix("::{") {
        let mut depth = 1;
        let end = group
            .char_indices()
            .find(|(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(group.len(), |(i, _)| i);
        let mut out = Vec::new();
        let mut depth = 0;
        let mut item = String::new();
        for c in group[..end].chars().chain([',']) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    for p in expand(item.trim()) {
                        out.push(format!("{ident}::{p}"));
                    }
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        return out;
    }
    if ident.is_empty() {
        vec![]
    } else {
        vec![ident]
    }
}

/// The product code of every file under `src/`, by module, test modules left out.
fn sources() -> BTreeMap<String, (String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !rel.ends_with(".rs") || name == "tests.rs" || rel.contains("/tests/") {
                continue;
            }
            if matches!(rel.as_str(), "lib.rs" | "main.rs" | "layering.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => &text[..i],
                None => &text,
            };
            let code: String = code
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(module_of(&rel), (rel, code));
        }
    }
    out
}

/// The file module a path lands in: its longest prefix that is a file.
fn owner<'a>(path: &str, modules: &'a BTreeMap<String, (String, String)>) -> Option<&'a str> {
    let mut p = path;
    loop {
        if let Some((k, _)) = modules.get_key_value(p) {
            return Some(k);
        }
        p = p.rsplit_once("::")?.0;
    }
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// Whether one module is the other's ancestor: a parent declares its children and they
/// may use what it holds, which is no cycle of design.
fn related(a: &str, b: &str) -> bool {
    a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

/// Each file's uses of other files, test code left out.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let modules = sources();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, (_, code)) in &modules {
        let used = paths_in(code, module)
            .iter()
            .filter_map(|p| owner(p, &modules))
            .filter(|m| *m != module && !related(m, module))
            .map(str::to_string)
            .collect();
        out.insert(module.clone(), used);
    }
    out
}

fn upward(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let modules = sources();
    let mut out = Vec::new();
    for (from, used) in edges {
        let rel = &modules[from].0;
        let Some(here) = layer_of(top(from)) else {
            out.push(format!("{rel}: its module {} is in no layer", top(from)));
            continue;
        };
        for to in used {
            let there = layer_of(top(to));
            let faces = here == there.unwrap_or(usize::MAX) && top(from) != top(to) && here >= 6;
            let up = there.is_none_or(|t| t > here) || faces;
            if up && !EXCEPTIONS.contains(&(rel.as_str(), top(to))) {
                out.push(format!("{rel} uses {to}"));
            }
        }
    }
    out
}

/// The cycles between files, each as its list of modules.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components; any with more than one module is a cycle.
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_import_points_up_a_layer() {
    let bad = upward(&edges());
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_two_files_import_each_other_round_a_cycle() {
    let found = cycles(&edges());
    assert!(found.is_empty(), "import cycles between files:\n{found:#?}");
}

#[test]
fn the_scan_sees_groups_super_paths_and_upward_imports() {
    let here = "meeting::time";
    let seen = paths_in(
        "use crate::tui::{app::Intent, keymap};\nlet x = super::options::SPECS; crate::paths::state_dir()",
        here,
    );
    for p in [
        "tui::app::Intent",
        "tui::keymap",
        "meeting::options::SPECS",
        "paths::state_dir",
    ] {
        assert!(seen.contains(p), "{p} in {seen:?}");
    }
    // An upward import added to a domain file is caught.
    let mut e = edges();
    e.entry("meeting::time".into())
        .or_default()
        .insert("services::startup".into());
    assert!(
        upward(&e)
            .iter()
            .any(|l| l == "meeting/time.rs uses services::startup"),
        "{:?}",
        upward(&e)
    );
    // A cycle added between two files is caught.
    e.entry("paths".into())
        .or_default()
        .insert("sanitize".into());
    e.entry("sanitize".into())
        .or_default()
        .insert("paths".into());
    assert!(cycles(&e).iter().any(|c| c == &["paths", "sanitize"]));
}
