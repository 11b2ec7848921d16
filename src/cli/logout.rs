//! `tmeet logout`: forgets the stored sign-in for this cloud, tenant and client id.

use super::login::{fail_line, open_session, print_warnings, runtime};
use crate::settings::GlobalArgs;
use std::process::ExitCode;

pub fn run(global: &GlobalArgs) -> ExitCode {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail_line(&e),
    };
    rt.block_on(async {
        let session = match open_session(global).await {
            Ok(s) => s,
            Err(e) => return fail_line(&e),
        };
        let auth = &session.auth;
        if session.demo.is_some() {
            println!("DEMO: demo sign-ins live in memory only; there is nothing to forget.");
            return ExitCode::SUCCESS;
        }
        let removed = auth.logout();
        print_warnings(auth);
        match removed {
            Ok(true) => {
                println!(
                    "Signed out: removed the sign-in for tenant {} ({} cloud, client id {}).",
                    auth.tenant(),
                    auth.cloud(),
                    auth.client_id()
                );
                ExitCode::SUCCESS
            }
            Ok(false) if auth.is_app_only() => {
                println!(
                    "Nothing to sign out of: app-only credentials are never stored. Unset TMEET_CLIENT_SECRET / --client-secret-file to stop using them."
                );
                ExitCode::SUCCESS
            }
            Ok(false) => {
                println!(
                    "Not signed in to tenant {} ({} cloud, client id {}); nothing to remove.",
                    auth.tenant(),
                    auth.cloud(),
                    auth.client_id()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail_line(&e.to_string()),
        }
    })
}
