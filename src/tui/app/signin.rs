//! The sign-in screen: the device code or the browser's address while a sign-in runs,
//! the error and what Enter does after one.

use super::{Effect, Intent, Model, Relogin, Screen, StatusKind, calendar};
use crate::tui::form_state::Field;
use crate::tui::keymap::{Scope, key_for};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInPrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    pub expires_in_secs: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInView {
    pub prompt: Option<SignInPrompt>,
    /// The browser sign-in's address while it waits, and whether a browser opened it.
    pub browser: Option<(String, bool)>,
    pub progress: Option<String>,
    pub error: Option<String>,
    /// Polling (or starting) is under way.
    pub busy: bool,
    /// The sign-in job whose results this screen shows.
    pub job: Option<u64>,
    /// What Enter does after an error.
    pub retry: Retry,
}

/// What trying again after a failure on the sign-in screen means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Retry {
    /// A new device code (the sign-in itself failed).
    #[default]
    SignIn,
    /// Look for the saved sign-in again (the cause may pass, e.g. the network).
    Check,
    /// Nothing tmeet can do: the cause is fixed outside (settings, the token file).
    Never,
}

/// A new sign-in job; whatever an earlier one still sends is ignored from now on.
pub(super) fn start_sign_in(m: &mut Model) -> Vec<Effect> {
    let job = m.next_job;
    m.next_job += 1;
    m.signin = SignInView {
        busy: true,
        job: Some(job),
        ..Default::default()
    };
    vec![Effect::SignIn { job }]
}

/// A saved sign-in works: go to the form.
pub(super) fn ready(m: &mut Model) -> Vec<Effect> {
    m.signin = SignInView::default();
    m.screen = Screen::Form;
    vec![]
}

pub(super) fn needed(m: &mut Model) -> Vec<Effect> {
    m.screen = Screen::SignIn;
    start_sign_in(m)
}

pub(super) fn start_failed(m: &mut Model, error: String, retry: bool) -> Vec<Effect> {
    m.screen = Screen::SignIn;
    m.signin = SignInView {
        error: Some(error),
        retry: if retry { Retry::Check } else { Retry::Never },
        ..Default::default()
    };
    vec![]
}

pub(super) fn prompt(m: &mut Model, prompt: SignInPrompt) -> Vec<Effect> {
    m.signin.prompt = Some(prompt);
    m.signin.busy = true;
    vec![]
}

pub(super) fn progress(m: &mut Model, text: String) -> Vec<Effect> {
    m.signin.progress = Some(text);
    vec![]
}

pub(super) fn browser(m: &mut Model, url: String, opened: bool) -> Vec<Effect> {
    m.signin.browser = Some((url, opened));
    m.signin.busy = true;
    vec![]
}

pub(super) fn signed_in(m: &mut Model, account: String) -> Vec<Effect> {
    m.signin = SignInView::default();
    m.screen = Screen::Form;
    let relogin = std::mem::take(&mut m.relogin);
    // Any sign-in may have granted what a calendar feature was refused: the
    // create's sign-in asks for the side features' permissions too.
    let cleared = calendar::ask_again(m);
    if relogin == Relogin::Granting && std::mem::take(&mut m.agenda.granting) {
        // Back to the agenda, read now that it may be.
        m.set_status(
            StatusKind::Success,
            format!("Signed in as {account}; reading your agenda."),
        );
        return super::agenda::reopen(m);
    }
    if relogin == Relogin::Granting && std::mem::take(&mut m.meetings.granting) {
        // Back where the permission was missing, to do it again.
        m.screen = Screen::Meetings;
        m.set_status(
            StatusKind::Success,
            format!(
                "Signed in as {account}; press {} to delete the calendar meeting again.",
                key_for(Scope::Meetings, Intent::Delete)
            ),
        );
    } else if relogin == Relogin::Granting {
        calendar::granted(m, &account, cleared);
    } else if relogin == Relogin::Running {
        // The error was the lost sign-in; the form is as the person left it.
        m.error = None;
        m.form.focus = Field::Create;
        let what = if m.editing.is_some() {
            "save the changes"
        } else {
            "create the meeting"
        };
        m.set_status(
            StatusKind::Success,
            format!(
                "Signed in as {account}. Press {} to {what}.",
                key_for(Scope::Form, Intent::Submit)
            ),
        );
    } else if let Some(w) = &m.zone_warning {
        // Signing in is the first thing a session shows: the zone must not vanish
        // behind it.
        let text = format!("Signed in as {account}. Warning: {w}");
        m.set_status(StatusKind::Error, text);
    } else {
        m.set_status(StatusKind::Success, format!("Signed in as {account}"));
    }
    vec![]
}

pub(super) fn failed(m: &mut Model, error: String) -> Vec<Effect> {
    m.signin.busy = false;
    m.signin.job = None;
    m.signin.retry = Retry::SignIn;
    m.signin.error = Some(error);
    vec![]
}

pub(super) fn on_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    match intent {
        Intent::UseDeviceCode if m.signin.busy && m.signin.browser.is_some() => {
            let mut fx: Vec<Effect> = m
                .signin
                .job
                .map(|job| Effect::Cancel { job })
                .into_iter()
                .collect();
            let job = m.next_job;
            m.next_job += 1;
            m.signin = SignInView {
                busy: true,
                job: Some(job),
                ..Default::default()
            };
            fx.push(Effect::SignInWithCode { job });
            fx
        }
        Intent::Activate if !m.signin.busy => match m.signin.retry {
            Retry::SignIn => start_sign_in(m),
            Retry::Check => {
                m.signin = SignInView {
                    busy: true,
                    ..Default::default()
                };
                vec![Effect::CheckSignIn]
            }
            Retry::Never => vec![],
        },
        _ => vec![],
    }
}
