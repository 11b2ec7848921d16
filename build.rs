//! Puts the git commit into `tmeet --version` (`0.1.0 (1a2b3c4)`). Hand-written rather
//! than a crate (vergen, built): one `git` call is all it takes, and those crates bring a
//! dozen dependencies to every clean build. Without git or a repository (a tarball, a
//! registry download) the version is the package version alone. Nothing is written into
//! the source tree.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Only when this very package is the repository's root: a tmeet source unpacked inside
    // some other repository must not take that repository's commit.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
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
