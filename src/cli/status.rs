//! `tmeet status`: who is signed in, to which tenant and cloud, with which scopes, until
//! when. Never a token. Exits 1 when not signed in, so scripts can test it.

use super::common::{DEMO_BANNER, print_warnings, when};
use super::error::CliError;
use super::output::{Unwritable, say};
use crate::auth::{AccountStatus, Auth};
use crate::services::startup::{self, Started};
use crate::settings::GlobalArgs;
use chrono::{DateTime, Utc};

pub fn run(global: &GlobalArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    startup::run(&settings, async |started| status(started).await)?
}

async fn status(session: &Started) -> Result<(), CliError> {
    let auth = &session.auth;
    if session.is_demo() {
        // A demo sign-in lives in memory: sign the demo person in (the emulator approves
        // at once) so that the status shown is a real one.
        say!("{DEMO_BANNER}")?;
        let signed_in = match auth.start_device_code().await {
            Ok(s) => s.complete(|_| {}).await,
            Err(e) => Err(e),
        };
        if let Err(e) = signed_in {
            return Err(CliError::failed(e.to_string()));
        }
    }
    let result = auth.status();
    print_warnings(auth);
    match result {
        Ok(Some(s)) if s.app_only => {
            print_app_only(auth, &s, session.settings.user.as_deref())?;
            Ok(())
        }
        Ok(Some(s)) => {
            print_delegated(auth, &s)?;
            Ok(())
        }
        Ok(None) => Err(CliError::failed(format!(
            "not signed in to tenant {} ({} cloud, client id {}); sign in with: tmeet login",
            auth.tenant(),
            auth.cloud(),
            auth.client_id()
        ))),
        Err(e) => Err(CliError::failed(e.to_string())),
    }
}

fn print_delegated(auth: &Auth, s: &AccountStatus) -> Result<(), Unwritable> {
    say!(
        "Signed in as {}",
        s.account.as_deref().unwrap_or("an unnamed account")
    )?;
    say!("  tenant:    {}", s.tenant)?;
    say!("  cloud:     {}", s.cloud)?;
    say!("  client id: {}", auth.client_id())?;
    say!("  scopes:    {}", s.scopes.join(" "))?;
    if let Some(t) = s.expires_at {
        say!(
            "  token:     {}; renewed automatically",
            expiry(t, Utc::now())
        )?;
    }
    say!("  kept in:   {}", auth.store_description())
}

fn print_app_only(auth: &Auth, s: &AccountStatus, user: Option<&str>) -> Result<(), Unwritable> {
    say!("App-only credentials (client secret) are configured")?;
    say!("  tenant:    {}", s.tenant)?;
    say!("  cloud:     {}", s.cloud)?;
    say!("  client id: {}", auth.client_id())?;
    say!("  scope:     {}", s.scopes.join(" "))?;
    match user {
        Some(u) => say!("  creates for: /users/{u}")?,
        None => say!("  creates for: nobody yet: set --user ID (app-only cannot use /me)")?,
    }
    say!("Nothing is stored; tmeet login checks that the credentials work.")
}

/// "expires 2026-11-27 19:04 +01:00 (in 54 min)" or "expired … (… ago)".
fn expiry(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (t - now).num_minutes();
    if t > now {
        format!("expires {} (in {})", when(t), span(minutes))
    } else {
        format!("expired {} ({} ago)", when(t), span(-minutes))
    }
}

fn span(minutes: i64) -> String {
    match minutes {
        m if m < 1 => "less than a minute".into(),
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} days", m / (24 * 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_reads_naturally() {
        let now = Utc::now();
        assert!(expiry(now + chrono::Duration::minutes(54), now).contains("(in 54 min)"));
        assert!(expiry(now - chrono::Duration::minutes(3), now).contains("(3 min ago)"));
        assert!(expiry(now + chrono::Duration::hours(50), now).contains("2 days"));
    }
}
