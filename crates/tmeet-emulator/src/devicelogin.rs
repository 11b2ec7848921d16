//! `/devicelogin`: where a person types the code from their terminal and approves or
//! declines, as at microsoft.com/devicelogin. Clearly labeled as the emulator.

use super::state::{DEMO_USER_NAME, DeviceStatus, Shared};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/devicelogin",
        get(devicelogin_page).post(devicelogin_submit),
    )
}

const PAGE_STYLE: &str = "body{font-family:'Segoe UI',Helvetica,Arial,sans-serif;max-width:32em;margin:3em auto;color:#252424}\
input{font-size:1.4em;letter-spacing:.15em;text-transform:uppercase;padding:.3em;width:12em}\
button{font-size:1em;padding:.4em 1.2em;margin:.8em .6em 0 0}.note{color:#8a3b00}";

fn page(body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Enter code – tmeet emulator</title>\
<style>{PAGE_STYLE}</style></head><body><h1>Enter code</h1>\
<p class=\"note\">This is the tmeet emulator, not Microsoft. Approving signs <b>{}</b> into the emulator only.</p>{body}</body></html>",
        DEMO_USER_NAME
    ))
}

async fn devicelogin_page() -> Html<String> {
    page(FORM)
}

const FORM: &str = "<form method=\"post\" action=\"/devicelogin\"><p>Enter the code displayed in your terminal.</p>\
<input name=\"code\" autocomplete=\"off\" autofocus required placeholder=\"Code\"><br>\
<button name=\"action\" value=\"approve\" type=\"submit\">Approve</button>\
<button name=\"action\" value=\"decline\" type=\"submit\">Decline</button></form>";

async fn devicelogin_submit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let code = form.get("code").map(String::as_str).unwrap_or("");
    let approve = form.get("action").map(String::as_str) != Some("decline");
    let done = if approve {
        approve_device_code(&shared, code)
    } else {
        decline_device_code(&shared, code)
    };
    let msg = match (done, approve) {
        (true, true) => format!(
            "<p>You have signed in as {DEMO_USER_NAME}. You may now close this window and return to tmeet.</p>"
        ),
        (true, false) => "<p>Sign-in declined. You may close this window.</p>".to_string(),
        (false, _) => format!(
            "<p class=\"note\">That code wasn't recognized, has expired or was already used. Check the code in your terminal and try again.</p>{FORM}"
        ),
    };
    let status = if done {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page(&msg)).into_response()
}

pub(crate) fn approve_device_code(shared: &Shared, user_code: &str) -> bool {
    set_device_status(shared, user_code, DeviceStatus::Approved)
}

pub(crate) fn decline_device_code(shared: &Shared, user_code: &str) -> bool {
    set_device_status(shared, user_code, DeviceStatus::Declined)
}

fn set_device_status(shared: &Shared, user_code: &str, status: DeviceStatus) -> bool {
    let mut st = shared.lock();
    match st.device_code_by_user_code(user_code) {
        Some(dc) if dc.status == DeviceStatus::Pending => {
            dc.status = status;
            true
        }
        _ => false,
    }
}
