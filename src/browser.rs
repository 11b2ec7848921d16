//! Whether a web browser can be opened on this machine, and opening one. The sign-in picks
//! its flow from this (a browser sign-in where a browser opens here, a device code
//! elsewhere); the opening itself is the `webbrowser` crate's, which honours `$BROWSER`,
//! WSL (the Windows browser), macOS and Windows.

use std::env;

/// Whether a browser can be opened here, and why in a few words ("a display is available",
/// "an SSH session without a display").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Availability {
    pub possible: bool,
    pub reason: &'static str,
}

fn set(name: &str) -> bool {
    env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// Windows Subsystem for Linux: the Windows browser opens from it.
fn is_wsl() -> bool {
    if set("WSL_DISTRO_NAME") || set("WSL_INTEROP") {
        return true;
    }
    cfg!(target_os = "linux")
        && std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"))
}

/// Decided from the environment alone, without starting anything.
pub(crate) fn availability() -> Availability {
    let display = set("DISPLAY") || set("WAYLAND_DISPLAY");
    let ssh = set("SSH_CONNECTION") || set("SSH_CLIENT") || set("SSH_TTY");
    let answer = |possible, reason| Availability { possible, reason };
    if set("BROWSER") {
        return answer(true, "$BROWSER is set");
    }
    if ssh && !display {
        return answer(false, "an SSH session without a display");
    }
    if cfg!(any(target_os = "macos", windows)) {
        return answer(true, "a desktop is available");
    }
    if is_wsl() {
        return answer(true, "WSL opens the Windows browser");
    }
    if display {
        return answer(true, "a display is available");
    }
    answer(false, "no display and no $BROWSER")
}

/// Opens `url` (an https address, or the loopback http one of a sign-in) in the browser.
/// The error says why not, in words; it never carries the address.
pub(crate) fn open(url: &url::Url) -> Result<(), String> {
    if !matches!(url.scheme(), "https" | "http") {
        return Err("only web addresses are opened".into());
    }
    webbrowser::open(url.as_str()).map_err(|e| crate::sanitize::line(&e.to_string()))
}

/// Opens an `msteams:` link (the Teams app's own scheme) with the system's handler.
pub(crate) fn open_app_link(link: &str) -> Result<(), String> {
    if !link.starts_with("msteams:") {
        return Err("only msteams: links are opened in the app".into());
    }
    webbrowser::open(link).map_err(|e| crate::sanitize::line(&e.to_string()))
}

/// The Teams app's link for a web join link: the same path under `msteams:`.
pub(crate) fn app_link(url: &url::Url) -> String {
    let rest = &url.as_str()[url.origin().ascii_serialization().len()..];
    format!("msteams:{rest}")
}

/// Whether joining opens the Teams app rather than the browser (`TMEET_JOIN_APP=1`).
pub(crate) fn join_in_app() -> bool {
    env::var("TMEET_JOIN_APP").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Opens a meeting's join link: in the browser, or in the Teams app where
/// [`join_in_app`] says so. Only https links are opened.
pub(crate) fn join(link: &str) -> Result<(), String> {
    let url = url::Url::parse(link)
        .ok()
        .filter(|u| u.scheme() == "https")
        .ok_or_else(|| "the meeting's link is not an https address".to_string())?;
    if join_in_app() {
        open_app_link(&app_link(&url))
    } else {
        open(&url)
    }
}
