//! Two things the compiler cannot know by itself:
//! - The git commit, for `tmeet --version` (`0.1.0 (1a2b3c4)`). Hand-written rather than a
//!   crate (vergen, built): one `git` call is all it takes, and those crates bring a dozen
//!   dependencies to every clean build. Without git or a repository (a tarball, a registry
//!   download) the version is the package version alone.
//! - Where the code the form runs goes in an optimised binary: first, side by side
//!   (`link/hot-code.txt`, made by `bench/hot_code.py`). See [`hot_code_first`]. And its
//!   relocations packed, where the C library can read them: [`packed_relocations`].
//!
//! Nothing is written into the source tree.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    // PROFILE is "release" for every profile that inherits it (`release`, `dist`).
    if env("PROFILE") == "release" && lld_by_default() {
        hot_code_first();
        packed_relocations();
    }
    commit_into_version();
}

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_default()
}

/// Whether the linker is known to be LLD: the default for x86_64 Linux since Rust 1.90,
/// unless a linker is configured.
fn lld_by_default() -> bool {
    env("TARGET") == "x86_64-unknown-linux-gnu"
        && rustc_minor().is_some_and(|minor| minor >= 90)
        && env("RUSTC_LINKER").is_empty()
        && !env("CARGO_ENCODED_RUSTFLAGS").contains("link")
}

fn commit_into_version() {
    // Only when this very package is the repository's root: a tmeet source unpacked inside
    // some other repository must not take that repository's commit.
    let manifest_dir = env("CARGO_MANIFEST_DIR");
    let top = git(&["-C", &manifest_dir, "rev-parse", "--show-toplevel"]);
    let ours = top.is_some_and(|t| {
        std::fs::canonicalize(t).ok() == std::fs::canonicalize(&manifest_dir).ok()
    });
    if !ours {
        return;
    }
    let Some(commit) = git(&["-C", &manifest_dir, "rev-parse", "--short=7", "HEAD"]) else {
        return;
    };
    println!("cargo:rustc-env=TMEET_GIT_COMMIT={commit}");
    // Run again when HEAD moves: a commit, a checkout, a branch updated under HEAD.
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["-C", &manifest_dir, "rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={}", absolute(&manifest_dir, &p));
        }
    }
    if let Some(branch) = git(&["-C", &manifest_dir, "symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(&["-C", &manifest_dir, "rev-parse", "--git-path", &branch])
    {
        println!("cargo:rerun-if-changed={}", absolute(&manifest_dir, &p));
    }
}

/// `git rev-parse --git-path` answers relative to the directory it ran in.
fn absolute(dir: &str, path: &str) -> String {
    let p = std::path::Path::new(path);
    if p.is_absolute() {
        path.to_string()
    } else {
        std::path::Path::new(dir).join(p).display().to_string()
    }
}

/// The kernel maps a program's code 64 KiB (or a whole page-cache folio) around every page
/// it runs, so code the form runs, scattered among code it never runs, maps most of the
/// binary: about 10 MB of `dist`'s 14.5 MB of code. Placing the functions it runs first,
/// side by side, maps little more than those. The list names the symbols of the `release`
/// and the `dist` builds, a block each; the linker skips names it does not find (a new
/// compiler, a changed dependency), so a stale list costs memory, never a build.
/// `bench/hot_code.py` makes it again.
///
/// LLD takes `--symbol-ordering-file`. The link map written beside it is how
/// `bench/hot_code.py` names the addresses the form ran.
fn hot_code_first() {
    let list = "link/hot-code.txt";
    println!("cargo:rerun-if-changed={list}");
    let list = std::path::Path::new(&env("CARGO_MANIFEST_DIR")).join(list);
    if list.is_file() {
        let list = list.display();
        println!("cargo:rustc-link-arg-bin=tmeet=-Wl,--symbol-ordering-file={list}");
        println!("cargo:rustc-link-arg-bin=tmeet=-Wl,--no-warn-symbol-ordering");
    }
    let map = std::path::Path::new(&env("OUT_DIR")).join("tmeet.map");
    println!("cargo:rustc-link-arg-bin=tmeet=-Wl,-Map={}", map.display());
}

/// Every tmeet starts by reading all of its relocations: about 70,000 pointers into its own
/// tables (28,000 of them the zone database's), 24 bytes each, 1.7 MB of the form's peak.
/// Packed (`DT_RELR`, a bitmap of the places) they take a few kilobytes. The program then
/// needs glibc 2.36 or later to start, so this is done only when it is built where it runs
/// (no cross build) and that machine's glibc reads them.
fn packed_relocations() {
    let glibc = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| {
            let version = text.trim().strip_prefix("glibc ")?.to_string();
            let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
            Some((parts.next()??, parts.next()??))
        });
    if env("HOST") == env("TARGET") && glibc.is_some_and(|v| v >= (2, 36)) {
        println!("cargo:rustc-link-arg-bin=tmeet=-Wl,-z,pack-relative-relocs");
    }
}

/// The `1.N` of the compiler building this, from `$RUSTC -V` ("rustc 1.95.0 (…)").
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-V").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let version = text.split_whitespace().nth(1)?;
    version.split('.').nth(1)?.parse().ok()
}
