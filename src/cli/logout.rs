//! `tmeet logout`: forgets the stored sign-in for this cloud, tenant and client id, or
//! removes a token store that cannot be read (nothing else can repair it).
//!
//! It says what it will remove, removes it, then reports: a standard output that cannot
//! be written ends the command before anything is removed (`cli::output`).

use super::common::print_warnings;
use super::error::CliError;
use super::output::say;
use crate::auth::Stored;
use crate::services::startup::{self, Started};
use crate::settings::GlobalArgs;

pub fn run(global: &GlobalArgs) -> Result<(), CliError> {
    let settings = startup::settings(global)?;
    startup::run(&settings, async |started| logout(started).await)?
}

async fn logout(session: &Started) -> Result<(), CliError> {
    let auth = &session.auth;
    if session.is_demo() {
        say!("DEMO: demo sign-ins live in memory only; there is nothing to forget.")?;
        return Ok(());
    }
    let whose = format!(
        "tenant {} ({} cloud, client id {})",
        auth.tenant(),
        auth.cloud(),
        auth.client_id()
    );
    let stored = auth.stored();
    print_warnings(auth);
    match stored {
        Ok(Stored::SignedIn(s)) => say!(
            "Removing the sign-in of {} for {whose} from {}.",
            s.account.as_deref().unwrap_or("an unnamed account"),
            auth.store_description()
        )?,
        Ok(Stored::Unreadable(what)) => say!(
            "{what} cannot be read (it is not what tmeet wrote); removing it. Every sign-in kept in it is forgotten."
        )?,
        Ok(Stored::Nothing) if auth.is_app_only() => {
            say!(
                "Nothing to sign out of: app-only credentials are never stored. Unset TMEET_CLIENT_SECRET / --client-secret-file to stop using them."
            )?;
            return Ok(());
        }
        Ok(Stored::Nothing) => {
            say!("Not signed in to {whose}; nothing to remove.")?;
            return Ok(());
        }
        Err(e) => return Err(CliError::failed(e.to_string())),
    }
    let removed = auth.logout();
    print_warnings(auth);
    match removed {
        Ok(_) => {
            say!("Signed out. Sign in again with: tmeet login")?;
            Ok(())
        }
        Err(e) => Err(CliError::failed(e.to_string())),
    }
}
