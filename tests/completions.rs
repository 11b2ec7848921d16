//! `tmeet completions SHELL`, `tmeet man` and `tmeet --version` as a person (or a
//! packager) runs them. Each completion script goes through its own shell's syntax check;
//! a shell that is not installed is skipped with a line saying so on the terminal (CI
//! installs them all, and sets TMEET_TEST_SHELLS=all so that a missing one fails there;
//! PowerShell is not in Debian and is only checked where `pwsh` exists).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::text;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn tmeet(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    common::command(home.path(), args).output().unwrap()
}

fn script(shell: &str) -> String {
    let out = tmeet(&["completions", shell]);
    assert!(out.status.success(), "{shell}: {out:?}");
    let s = text(&out.stdout);
    assert!(s.contains("tmeet"), "{shell}: {s}");
    s
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Written past libtest's capture, so that a skip shows in a plain `cargo test`.
fn skipped(what: &str, why: &str) {
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {what}: {why}");
}

const NO_SHELL: &str =
    "not installed (apt-get install zsh fish elvish man-db; pwsh is not in Debian)";

/// Runs `program args… FILE` on `body` saved to a file; None when the shell is missing.
fn check(program: &str, args: &[&str], body: &str) -> Option<std::process::Output> {
    if !have(program) {
        let required = std::env::var("TMEET_TEST_SHELLS").is_ok_and(|v| v == "all");
        assert!(
            !required || program == "pwsh",
            "TMEET_TEST_SHELLS=all but {program} is not installed"
        );
        skipped(&format!("the {program} syntax check"), NO_SHELL);
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("completion");
    std::fs::write(&file, body).unwrap();
    Some(
        Command::new(program)
            .args(args)
            .arg(&file)
            .stdin(Stdio::null())
            .output()
            .unwrap(),
    )
}

fn assert_parses(shell: &str, out: Option<std::process::Output>) {
    if let Some(out) = out {
        assert!(
            out.status.success(),
            "{shell} refuses its completion script: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}

#[test]
fn bash_script_parses() {
    assert_parses("bash", check("bash", &["-n"], &script("bash")));
}

#[test]
fn zsh_script_parses() {
    assert_parses("zsh", check("zsh", &["-n"], &script("zsh")));
}

#[test]
fn fish_script_parses() {
    assert_parses("fish", check("fish", &["--no-execute"], &script("fish")));
}

/// The script installs itself in the line editor's `edit:completion:arg-completer`, a
/// variable that exists only in an interactive session; for the check it goes into a
/// plain variable instead, and everything else is compiled as written.
#[test]
fn elvish_script_compiles() {
    let s = script("elvish");
    let target = "set edit:completion:arg-completer[tmeet] = ";
    assert!(s.contains(target), "{s}");
    let checkable = s.replace(target, "var completer = ");
    assert_parses("elvish", check("elvish", &["-compileonly"], &checkable));
    // The check itself can fail: a broken script is refused.
    if let Some(out) = check("elvish", &["-compileonly"], "var x = { if (x }") {
        assert!(!out.status.success());
    }
}

#[test]
fn powershell_script_parses() {
    let s = script("powershell");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmeet.ps1");
    std::fs::write(&file, &s).unwrap();
    let parse = format!(
        "$errors = $null; [System.Management.Automation.Language.Parser]::ParseFile('{}', [ref]$null, [ref]$errors) | Out-Null; if ($errors.Count) {{ $errors; exit 1 }}",
        file.display()
    );
    assert_parses(
        "pwsh",
        check("pwsh", &["-NoProfile", "-Command", &parse], ""),
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_shells() {
    let out = tmeet(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("bash") && err.contains("elvish"), "{err}");
}

/// What bash offers after `tmeet WORDS…` and a word being typed, from the script itself.
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmeet.bash");
    std::fs::write(&file, script).unwrap();
    let line = words.join(" ");
    let array = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let prog = format!(
        "source '{}'; COMP_WORDS=({array}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _tmeet tmeet '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash").args(["-c", &prog]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    text(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn cloud_completion_lists_the_clouds() {
    let s = script("bash");
    assert_eq!(
        bash_complete(&s, &["tmeet", "--cloud", ""]),
        ["global", "usgov", "dod", "china"]
    );
    // Also after a subcommand, where the option is global.
    assert_eq!(
        bash_complete(&s, &["tmeet", "create", "--cloud", "us"]),
        ["usgov"]
    );
    // zsh and fish carry the names with their descriptions.
    for shell in ["zsh", "fish"] {
        let s = script(shell);
        for cloud in ["global", "usgov", "dod", "china"] {
            assert!(s.contains(cloud), "{shell} lacks {cloud}");
        }
    }
    // fish is asked for `--cloud=`: for `--cloud ` (a space) clap_complete's fish script
    // finds no command context until a value is typed and offers files instead.
    if have("fish") {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), script("fish")).unwrap();
        let out = Command::new("fish")
            .arg("-c")
            .arg(format!(
                "source {}; complete -C 'tmeet --cloud='",
                file.path().display()
            ))
            .output()
            .unwrap();
        let mut offered: Vec<String> = text(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        offered.sort();
        assert_eq!(
            offered,
            [
                "--cloud=china",
                "--cloud=dod",
                "--cloud=global",
                "--cloud=usgov"
            ],
            "{out:?}"
        );
    } else {
        skipped("running fish's completion of --cloud", NO_SHELL);
    }
}

#[test]
fn lang_completion_offers_the_common_teams_languages() {
    let offered = bash_complete(&script("bash"), &["tmeet", "create", "--lang", "de"]);
    assert!(offered.iter().any(|l| l == "de-DE"), "{offered:?}");
    // Any tag is still accepted: completion offers, create checks.
    let help = text(&tmeet(&["create", "--help"]).stdout);
    assert!(!help.contains("possible values"), "{help}");
}

/// The invitation's and the meeting options' values are offered by the shell, on create
/// and on update alike; the help still lists them once, in its own words.
#[test]
fn invitation_and_option_values_are_completed() {
    let s = script("bash");
    for (words, want) in [
        (
            &["tmeet", "create", "--show-as", "w"][..],
            "working-elsewhere",
        ),
        (
            &["tmeet", "update", "3", "--sensitivity", "c"][..],
            "confidential",
        ),
        (&["tmeet", "create", "--reminder", "1"][..], "1h"),
        (&["tmeet", "create", "--hide-attendees", "o"][..], "on"),
        (&["tmeet", "create", "--lobby", "org"][..], "organization"),
    ] {
        let offered = bash_complete(&s, words);
        assert!(offered.iter().any(|l| l == want), "{words:?}: {offered:?}");
    }
    let help = text(&tmeet(&["create", "--help"]).stdout);
    assert!(!help.contains("possible values"), "{help}");
}

/// The command names `tmeet --help` lists, and the long flags of `tmeet create --help`:
/// read from the program, so a command or flag added later is covered too.
fn commands() -> Vec<String> {
    let help = text(&tmeet(&["--help"]).stdout);
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

fn long_flags(args: &[&str]) -> Vec<String> {
    let help = text(&tmeet(args).stdout);
    help.split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches([',', '.', ')', ':'])
                .split(['=', '<', '['])
                .next()
                .unwrap()
                .to_string()
        })
        .filter(|w| !["--help", "--version"].contains(&w.as_str()))
        .collect()
}

/// create's own flags: those of `create --help` that `tmeet --help` does not list (the
/// global ones, documented once in OPTIONS).
fn create_flags() -> Vec<String> {
    let global = long_flags(&["--help"]);
    long_flags(&["create", "--help"])
        .into_iter()
        .filter(|f| !global.contains(f))
        .collect()
}

#[test]
fn man_page_covers_every_command_flag_and_exit_status() {
    let out = tmeet(&["man"]);
    assert!(out.status.success(), "{out:?}");
    let roff = text(&out.stdout);
    assert!(roff.starts_with(".ie") || roff.starts_with(".TH"), "{roff}");
    let commands = commands();
    assert!(commands.len() >= 8, "{commands:?}");
    for c in &commands {
        assert!(
            roff.contains(&format!(".SH \"TMEET {}\"", c.to_uppercase())),
            "no section for {c}"
        );
    }
    let flags = create_flags();
    assert!(flags.iter().any(|f| f == "--subject"), "{flags:?}");
    let create = &roff[roff.find(".SH \"TMEET CREATE\"").unwrap()..];
    let create = &create[..create[1..].find(".SH ").map_or(create.len(), |i| i + 1)];
    for f in &flags {
        // roff writes a hyphen in an option as \-.
        let roffed = f.replace('-', "\\-");
        assert!(
            create.contains(f.as_str()) || create.contains(&roffed),
            "{f} missing from the create section"
        );
    }
    for status in ["130", "141", "outcome unknown"] {
        assert!(roff.contains(status), "exit status {status} missing");
    }
    assert!(roff.contains("EXIT STATUS") && roff.contains("TMEET_CLIENT_SECRET"));
}

#[test]
fn man_page_renders() {
    if !have("man") {
        skipped("rendering with man -l", NO_SHELL);
        return;
    }
    let out = tmeet(&["man"]);
    let mut man = Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    man.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let shown = man.wait_with_output().unwrap();
    assert!(shown.status.success(), "{shown:?}");
    let page = text(&shown.stdout);
    assert!(
        text(&shown.stderr).trim().is_empty(),
        "warnings: {}",
        text(&shown.stderr)
    );
    for c in commands() {
        assert!(page.contains(&format!("TMEET {}", c.to_uppercase())), "{c}");
    }
    assert!(
        page.contains("EXIT STATUS") && page.contains("--cloud"),
        "{page}"
    );
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let out = tmeet(&["--version"]);
    let v = text(&out.stdout);
    assert!(
        v.starts_with(concat!("tmeet ", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    let head = Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short=7",
            "HEAD",
        ])
        .output();
    match head {
        Ok(h)
            if h.status.success()
                && Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists() =>
        {
            let commit = text(&h.stdout).trim().to_string();
            assert_eq!(
                v.trim(),
                format!("tmeet {} ({commit})", env!("CARGO_PKG_VERSION"))
            );
        }
        _ => skipped("the commit in --version", "no git or no repository here"),
    }
}
