//! The sign-in checks: where tokens are kept (keyring, or the file and its permissions) and
//! what is stored for this cloud, tenant and client id: account, scopes, expiry, never a
//! token. App-only credentials are checked by fetching a token from the configured login
//! host, as `tmeet login` does.

use super::Check;
use crate::auth::Auth;
use crate::services::startup::Started;
use std::path::Path;

/// The delegated permission `create` needs (GRAPH.md §2).
const SCOPE: &str = "OnlineMeetings.ReadWrite";

pub(super) async fn checks(started: &Started) -> Vec<Check> {
    let auth = &started.auth;
    if auth.is_app_only() {
        let mut store = store(auth);
        store.required = false;
        return vec![store, app_only(started).await];
    }
    if started.is_demo()
        && let Err(e) = started.demo_sign_in().await
    {
        return vec![
            store(auth),
            Check::fail("sign-in", e.to_string(), "run tmeet --demo again"),
        ];
    }
    let store = store(auth);
    let flows = flows(auth);
    let signin = if store.ok {
        signed_in(auth)
    } else {
        // Reading it would tighten the permissions as a side effect; doctor only looks.
        Check::fail(
            "sign-in",
            "not read: the token file is not private",
            "fix the token store first (line above)",
        )
    };
    let zone = (store.ok && signin.ok).then(|| mailbox_zone(auth));
    // Warnings the store collected while reading (a keyring that failed, say).
    let mut out = vec![store, signin, flows];
    out.extend(zone);
    out.extend(
        auth.take_warnings()
            .into_iter()
            .map(|w| Check::fail("token store", w, "see the message").optional()),
    );
    out
}

/// Which ways to sign in work here (a browser on this machine, a device code), and the
/// code of the service's last refusal, which tells which one a tenant blocks.
fn flows(auth: &Auth) -> Check {
    let here = crate::browser::availability();
    let browser = if here.possible {
        format!("browser sign-in here ({})", here.reason)
    } else {
        format!(
            "browser sign-in on another machine only ({}; tmeet login --browser prints the address and takes the one the browser ends on)",
            here.reason
        )
    };
    let refusal = auth.last_refusal();
    let blocked = refusal
        .as_ref()
        .is_some_and(|(code, _)| code == "AADSTS53003" || code == "AADSTS530033");
    let device = if blocked {
        "device code blocked by Conditional Access"
    } else {
        "device code"
    };
    let last = match &refusal {
        Some((code, when)) => {
            format!("; the service last refused a sign-in with {code} ({when})")
        }
        None => "; no refused sign-in recorded".into(),
    };
    let detail = format!("{browser}; {device}{last}");
    if blocked && !here.possible {
        Check::fail(
            "sign-in flows",
            detail,
            "tmeet login --browser: open the printed address on a machine with a browser, then paste back the address it ends on",
        )
        .optional()
    } else {
        Check::pass("sign-in flows", detail).optional()
    }
}

/// The mailbox's zone against the terminal's, from the settings kept with the sign-in
/// (doctor asks nobody): Outlook shows and plans in the mailbox's zone, so times read
/// here and there disagree when the two differ.
fn mailbox_zone(auth: &Auth) -> Check {
    let scope = crate::permissions::MAILBOX_SETTINGS_SCOPE;
    let Some(settings) = auth.stored_mailbox_settings() else {
        let how = if auth.has_any_scope(crate::permissions::MAILBOX_SETTINGS_ACCEPTED) {
            "tmeet free or tmeet suggest reads it once per sign-in".to_string()
        } else {
            format!("tmeet reads it once {scope} is granted: tmeet login --scope {scope}")
        };
        return Check::pass("mailbox zone", format!("not read yet ({how})")).optional();
    };
    let mine = crate::calendar::mailbox::MyMailbox::from_settings(&settings);
    let terminal = crate::meeting::time::local_zone();
    let named = mine.zone_name.as_deref().unwrap_or("none");
    if mine.zone.is_none() {
        return Check::fail(
            "mailbox zone",
            format!("{named}, a zone tmeet does not know; working hours are read in the terminal's ({})", terminal.name()),
            "set your time zone in Outlook on the web (Settings, General, Language and time) to a named zone",
        )
        .optional();
    }
    match mine.zone_mismatch(terminal, chrono::Utc::now()) {
        None => Check::pass(
            "mailbox zone",
            format!("{named}, the terminal's clock ({})", terminal.name()),
        )
        .optional(),
        Some(why) => Check::fail(
            "mailbox zone",
            format!("{why}: Outlook shows your meetings and working hours in the mailbox's zone, tmeet in the terminal's"),
            format!(
                "set the zone you are in in Outlook on the web (Settings, General, Language and time), or run tmeet with TZ={} (tmeet free and suggest take --zone too)",
                mine.zone.map(|z| z.name()).unwrap_or("…")
            ),
        )
        .optional(),
    }
}

fn store(auth: &Auth) -> Check {
    let kept = auth.store_description();
    let Some(file) = auth.token_file() else {
        return Check::pass("token store", kept);
    };
    let shown = file.display().to_string();
    match exposure(&file) {
        // The file is the store: its description already names it.
        Ok(None) if kept.contains(&shown) && file.exists() => Check::pass(
            "token store",
            format!("{shown}, private (0600 in a 0700 directory)"),
        ),
        Ok(None) if kept.contains(&shown) => Check::pass(
            "token store",
            format!("{shown}, made private (0600) at the first sign-in"),
        ),
        Ok(None) if file.exists() => Check::pass(
            "token store",
            format!("{kept}; an earlier fallback file {shown} is private"),
        ),
        Ok(None) => Check::pass("token store", kept),
        Ok(Some((path, mode, want))) => Check::fail(
            "token store",
            format!("{} can be read by others (mode {mode:o})", path.display()),
            format!(
                "chmod {want:o} {}, then sign in afresh, since others may have a copy: tmeet logout && tmeet login",
                path.display()
            ),
        ),
        Err(e) => Check::fail(
            "token store",
            format!("cannot inspect {}: {e}", file.display()),
            "make the state directory yours and readable (or set XDG_STATE_HOME)",
        ),
    }
}

/// The token file or its directory when others can read it: (path, mode, mode wanted).
#[cfg(unix)]
fn exposure(file: &Path) -> std::io::Result<Option<(std::path::PathBuf, u32, u32)>> {
    use std::os::unix::fs::PermissionsExt;
    let mut places = vec![(file.to_path_buf(), 0o600)];
    if let Some(dir) = file.parent() {
        places.insert(0, (dir.to_path_buf(), 0o700));
    }
    for (path, want) in places {
        let mode = match std::fs::metadata(&path) {
            Ok(m) => m.permissions().mode() & 0o777,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if mode & 0o077 != 0 {
            return Ok(Some((path, mode, want)));
        }
    }
    Ok(None)
}

#[cfg(not(unix))]
fn exposure(_file: &Path) -> std::io::Result<Option<(std::path::PathBuf, u32, u32)>> {
    Ok(None)
}

fn signed_in(auth: &Auth) -> Check {
    let status = match auth.status() {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Check::fail(
                "sign-in",
                format!(
                    "nothing stored for tenant {} on the {} cloud with client id {}",
                    auth.tenant(),
                    auth.cloud(),
                    auth.client_id()
                ),
                "tmeet login; if you signed in before, check the client id and tenant: a sign-in is kept for one cloud, tenant and client id",
            );
        }
        Err(e) => return Check::fail("sign-in", e.to_string(), "follow the message"),
    };
    let account = status.account.as_deref().unwrap_or("an unnamed account");
    let expiry = status
        .expires_at
        .map(|t| {
            let verb = if t > chrono::Utc::now() {
                "expires"
            } else {
                "expired"
            };
            format!(
                "; access token {verb} {} (renewed automatically)",
                super::super::common::when(t)
            )
        })
        .unwrap_or_default();
    let detail = format!(
        "{account}, tenant {}, scopes {}{expiry}",
        status.tenant,
        status.scopes.join(" ")
    );
    let has_scope = status.scopes.iter().any(|s| {
        s.rsplit('/')
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case(SCOPE))
    });
    if has_scope {
        Check::pass("sign-in", detail)
    } else {
        Check::fail(
            "sign-in",
            format!("{detail}: {SCOPE} is missing"),
            format!(
                "add the delegated permission {SCOPE} to the app registration, then: tmeet logout && tmeet login"
            ),
        )
    }
}

async fn app_only(started: &Started) -> Check {
    let auth = &started.auth;
    let Some(user) = &started.settings.user else {
        return Check::fail(
            "sign-in",
            "app-only (a client secret is set) but no user to create for",
            "pass --user with the organizer's object ID, or set TMEET_USER",
        );
    };
    match auth.verify_app_credentials().await {
        Ok(s) => Check::pass(
            "sign-in",
            format!(
                "app-only: the client secret is accepted for tenant {}; creates for /users/{user}",
                s.tenant
            ),
        ),
        Err(e) => Check::fail(
            "sign-in",
            format!("app-only: {e}"),
            "check the client secret, tenant and the app's permissions (README: App-only)",
        ),
    }
}
