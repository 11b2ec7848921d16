//! People as they are typed and searched for, against the emulator's directory: a colleague
//! whose mail is not their UPN, one known only by a former address, a guest by the address
//! they were invited with; People that knows only recent collaborators (or answers 404);
//! app-only `--user` given as a UPN. And the directory's error bodies in
//! tests/fixtures/errors/, each read through the client.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use chrono::TimeZone;
use std::sync::Arc;
use std::time::Duration;
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::StaticToken;
use tmeet::graph::{ErrorKind, GraphError};
use tmeet::meeting::MeetingRequest;
use tmeet::meeting::attendees::parse_list;
use tmeet::secret::Secret;
use tmeet::services::online_meeting::{self, ScheduleError};
use tmeet_emulator::{DEMO_USER_ID, DEMO_USER_UPN, DirectoryModes, Emulator, EmulatorOptions};

const ISAIAH_ID: &str = "d1b6f0a2-7c35-4e8b-9a14-5f2e8c3d6b70";
const LIDIA_ID: &str = "f8e3a7c5-1d29-4b60-8e4f-0a9c2b7d5e13";
const JORDAN_ID: &str = "e4d7c2b1-8a63-4f09-b6e5-3c9a0d1f7b28";

async fn emulator(modes: DirectoryModes) -> Emulator {
    Emulator::start(EmulatorOptions {
        directory: modes,
        ..EmulatorOptions::default()
    })
    .await
    .unwrap()
}

fn client(emu: &Emulator, token: &str, app_only: bool) -> GraphClient {
    GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        Arc::new(StaticToken::new(Secret::new(token), app_only)),
    )
}

fn delegated(emu: &Emulator, scopes: &str) -> GraphClient {
    let (access, _) = emu.mint_user_token_with_scopes(
        "organizations",
        &format!("https://graph.microsoft.com/OnlineMeetings.ReadWrite {scopes}"),
        Duration::from_secs(3600),
    );
    client(emu, access.expose(), false)
}

fn request(attendees: &str) -> MeetingRequest {
    let start = chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2037, 12, 1, 14, 0, 0)
        .unwrap();
    MeetingRequest::new(
        "People as typed",
        &start,
        &(start + chrono::Duration::minutes(30)),
        false,
        None,
    )
    .unwrap()
    .with_attendees(parse_list(attendees).unwrap())
    .unwrap()
}

/// Item 1: each of these answers 404 to `/users/{address}`; each is found (by mail, by
/// proxy address, the guest by mail) and listed by object id and real UPN. Someone found
/// by none is refused with what was tried.
#[tokio::test]
async fn attendees_typed_by_mail_former_address_or_invited_address_are_found() {
    let emu = emulator(DirectoryModes::default()).await;
    let c = delegated(&emu, "https://graph.microsoft.com/User.ReadBasic.All");
    let req = request(
        "isaiah.langer@contoso.com, lidia.smith@contoso.com, jordan@fabrikam.com:presenter",
    );
    let done = online_meeting::create(&c, &Target::Me, &req, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listed = done.created.raw["participants"]["attendees"]
        .as_array()
        .unwrap()
        .clone();
    let ids: Vec<&str> = listed
        .iter()
        .map(|a| a["identity"]["user"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [ISAIAH_ID, LIDIA_ID, JORDAN_ID], "{listed:?}");
    assert_eq!(
        listed[2]["upn"], "jordan_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        "the guest is sent with their directory UPN"
    );
    assert_eq!(listed[2]["role"], "presenter");
    assert!(done.roles.is_empty(), "{:?}", done.roles);

    let e = online_meeting::create(&c, &Target::Me, &request("nobody@fabrikam.com"), &|_| {})
        .await
        .unwrap_err();
    let ScheduleError::Refused(why) = &e else {
        panic!("{e:?}")
    };
    assert!(
        why.contains("nobody@fabrikam.com is not in your organization's directory")
            && why.contains("as a UPN or object id, by mail address and among proxy addresses")
            && why.contains("nothing was created"),
        "{why}"
    );
    assert_eq!(emu.meeting_count(), 1);
    emu.shutdown().await;
}

/// Item 1 (emulator): `/users/{mail}` is a 404 where mail is not the UPN, and the
/// proxyAddresses lambda is refused without the advanced-query header and `$count`.
#[tokio::test]
async fn the_directory_answers_only_ids_and_upns_by_path_and_wants_advanced_queries() {
    let emu = emulator(DirectoryModes::default()).await;
    let c = delegated(&emu, "https://graph.microsoft.com/User.ReadBasic.All");
    let e = c.get_user("isaiah.langer@contoso.com").await.unwrap_err();
    assert_eq!(e.status, Some(404));
    assert!(e.code_is("Request_ResourceNotFound"), "{e}");
    let u = c.get_user("IsaiahL@contoso.onmicrosoft.com").await.unwrap();
    assert_eq!(u.mail.as_deref(), Some("isaiah.langer@contoso.com"));
    let by_mail = c.users_by_mail("ISAIAH.langer@contoso.com").await.unwrap();
    assert_eq!(by_mail[0].id, ISAIAH_ID);
    assert!(
        c.users_by_mail("lidia.smith@contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
    let by_proxy = c
        .users_by_proxy_address("lidia.smith@contoso.com")
        .await
        .unwrap();
    assert_eq!(by_proxy[0].id, LIDIA_ID);

    // The same filter without the advanced-query header, as a raw request.
    let (access, _) = emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/User.ReadBasic.All",
        Duration::from_secs(3600),
    );
    let mut url = emu.graph_url().join("v1.0/users").unwrap();
    url.query_pairs_mut().append_pair(
        "$filter",
        "proxyAddresses/any(p:p eq 'smtp:lidia.smith@contoso.com')",
    );
    let resp = tmeet::http::build_client()
        .get(url)
        .bearer_auth(access.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Request_UnsupportedQuery"), "{body}");
    emu.shutdown().await;
}

/// Item 6: People knows only recent collaborators; a newcomer, and anyone when People
/// answers 404, comes from the directory, tagged as such.
#[tokio::test]
async fn people_search_falls_back_to_the_directory_and_says_so() {
    use tmeet::calendar::Source;
    use tmeet::services::people::{Sources, find_people};
    let both = Sources {
        people: true,
        directory: true,
    };
    let emu = emulator(DirectoryModes::default()).await;
    let c = delegated(
        &emu,
        "https://graph.microsoft.com/People.Read https://graph.microsoft.com/User.ReadBasic.All",
    );
    let recent = find_people(&c, "meg", both).await.unwrap();
    assert!(
        recent
            .iter()
            .any(|p| p.name == "Megan Bowen" && p.from == Source::People),
        "{recent:?}"
    );
    let newcomer = find_people(&c, "isaiah", both).await.unwrap();
    assert_eq!(newcomer.len(), 1, "{newcomer:?}");
    assert_eq!(newcomer[0].address, "isaiah.langer@contoso.com");
    assert_eq!(newcomer[0].from, Source::Directory);
    // A former address: neither People nor the search knows it; the look-up does.
    let former = find_people(&c, "lidia.smith@contoso.com", both)
        .await
        .unwrap();
    assert_eq!(
        former[0].address, "lidia.holloway@contoso.com",
        "{former:?}"
    );
    emu.shutdown().await;

    let emu = emulator("people=404".parse().unwrap()).await;
    let c = delegated(
        &emu,
        "https://graph.microsoft.com/People.Read https://graph.microsoft.com/User.ReadBasic.All",
    );
    let e = c.search_people("meg", 8).await.unwrap_err();
    assert_eq!(e.status, Some(404));
    let found = find_people(&c, "meg", both).await.unwrap();
    assert!(
        found
            .iter()
            .any(|p| p.name == "Megan Bowen" && p.from == Source::Directory),
        "{found:?}"
    );
    // Without the directory's permission, the 404 asks for it.
    let e = find_people(
        &c,
        "meg",
        Sources {
            people: true,
            directory: false,
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("User.ReadBasic.All"), "{e}");
    emu.shutdown().await;
}

/// Item 7: app-only `--user` as a UPN is turned into the object id first (the meetings
/// path refuses the UPN, as the service does), once for the client; without User.Read.All
/// the message names it.
#[tokio::test]
async fn app_only_user_by_upn_is_resolved_to_the_object_id() {
    let emu = emulator(DirectoryModes::default()).await;
    let app = emu.mint_app_token("contoso.onmicrosoft.com", Duration::from_secs(3600));
    let c = client(&emu, app.expose(), true);
    let by_upn = Target::from_user(Some(DEMO_USER_UPN));
    let req = request("");
    let first = c.create_meeting(&by_upn, &req, &|_| {}).await.unwrap();
    c.create_meeting(&by_upn, &req, &|_| {}).await.unwrap();
    assert!(
        first.raw["@odata.context"]
            .as_str()
            .unwrap()
            .contains(DEMO_USER_ID),
        "{}",
        first.json
    );
    let id = first.meeting.id.clone().unwrap();
    c.fetch_meeting(&by_upn, &id).await.unwrap();
    emu.shutdown().await;

    let emu = emulator("app-user-read=off".parse().unwrap()).await;
    let app = emu.mint_app_token("contoso.onmicrosoft.com", Duration::from_secs(3600));
    let c = client(&emu, app.expose(), true);
    let e = c
        .create_meeting(&by_upn, &request(""), &|_| {})
        .await
        .unwrap_err();
    let line = e.to_string();
    assert_eq!(e.kind, ErrorKind::Refused, "{line}");
    assert!(
        line.contains("User.Read.All application permission")
            && line.contains("Authorization_RequestDenied")
            && !line.contains("access policy"),
        "{line}"
    );
    assert_eq!(emu.meeting_count(), 0);
    // The object id needs no directory permission.
    c.create_meeting(&Target::User(DEMO_USER_ID.into()), &request(""), &|_| {})
        .await
        .unwrap();
    emu.shutdown().await;
}

/// The emulator refuses a UPN in `/users/{id}/onlineMeetings` to app-only tokens.
#[tokio::test]
async fn the_meetings_path_refuses_a_upn() {
    let emu = emulator(DirectoryModes::default()).await;
    let app = emu.mint_app_token("contoso.onmicrosoft.com", Duration::from_secs(3600));
    let url = emu
        .graph_url()
        .join(&format!("v1.0/users/{DEMO_USER_UPN}/onlineMeetings"))
        .unwrap();
    let resp = tmeet::http::build_client()
        .post(url)
        .bearer_auth(app.expose())
        .header("Content-Type", "application/json")
        .body(r#"{"subject":"x","startDateTime":"2037-12-01T10:00:00Z","endDateTime":"2037-12-01T10:30:00Z"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    emu.shutdown().await;
}

/// getSchedule takes SMTP addresses: a colleague typed by a UPN that is not their mail is a
/// 5009 row, which the directory turns into their mail and asks again, shown under the UPN.
/// Without the directory permission the row stays as the service gave it.
#[tokio::test]
async fn free_busy_for_a_upn_that_is_not_the_mail_asks_again_by_mail() {
    let emu = emulator(DirectoryModes::default()).await;
    let start = chrono::Utc.with_ymd_and_hms(2037, 12, 1, 8, 0, 0).unwrap();
    let ask = async |c: &GraphClient| {
        tmeet::services::calendar::free_busy(
            c,
            &Target::Me,
            &["IsaiahL@contoso.onmicrosoft.com".to_string()],
            start,
            start + chrono::Duration::hours(8),
            30,
            &tmeet::calendar::zone::OutlookZone::utc(),
        )
        .await
        .unwrap()
    };
    let with_directory = delegated(&emu, "Calendars.ReadWrite User.ReadBasic.All");
    let fb = ask(&with_directory).await;
    let row = &fb.people[0];
    assert_eq!(row.who, "IsaiahL@contoso.onmicrosoft.com");
    assert!(row.error.is_none(), "{row:?}");
    let without = delegated(&emu, "Calendars.ReadWrite");
    let fb = ask(&without).await;
    assert!(fb.people[0].error.is_some(), "{:?}", fb.people[0]);
    emu.shutdown().await;
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/errors/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A Graph root on loopback that answers every request with `status` and `body`.
async fn graph_answering(status: u16, body: String) -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json")],
                body,
            )
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1.0").parse().unwrap()
}

async fn answering(status: u16, name: &str, app_only: bool) -> GraphClient {
    GraphClient::new(
        tmeet::http::build_client(),
        graph_answering(status, fixture(name)).await,
        Arc::new(StaticToken::new(Secret::new("t"), app_only)),
    )
}

fn assert_service(e: &GraphError, status: u16, code: &str) {
    assert_eq!(e.status, Some(status), "{e}");
    assert!(e.code_is(code), "{e}");
    assert!(e.request_id.is_some(), "{e}");
}

#[tokio::test]
async fn the_directorys_error_bodies_read_through_the_client() {
    use tmeet::services::people::{Lookup, Sources, find_people, look_up};
    let c = answering(404, "users-404-request-resource-not-found", false).await;
    let e = c.get_user("isaiah.langer@contoso.com").await.unwrap_err();
    assert_service(&e, 404, "Request_ResourceNotFound");
    // Every step answering 404 (the collection calls) is a failure, not "nobody".
    assert!(look_up(&c, "isaiah.langer@contoso.com").await.is_err());
    assert_eq!(
        look_up(&c, "5c1e7a3b-2f94-4d61-8a0e-9b3c6d2f1e47")
            .await
            .unwrap(),
        Lookup::NotFound {
            tried: "as a UPN or object id".into()
        },
        "an object id is only looked up as one"
    );

    let c = answering(400, "users-400-request-unsupported-query", false).await;
    let e = c.users_by_proxy_address("a@b.com").await.unwrap_err();
    assert_service(&e, 400, "Request_UnsupportedQuery");
    assert!(e.message.contains("proxyAddresses"), "{e}");

    let c = answering(400, "users-400-search-needs-consistency-level", false).await;
    let e = c.search_directory("meg", 8).await.unwrap_err();
    assert_service(&e, 400, "Request_UnsupportedQuery");
    assert!(e.message.contains("ConsistencyLevel"), "{e}");

    let c = answering(403, "users-403-authorization-request-denied", true).await;
    let e = c
        .fetch_meeting(&Target::User("ada@contoso.com".into()), "m")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(
        e.to_string().contains("User.Read.All") && e.request_id.is_some(),
        "{e}"
    );

    let c = answering(404, "people-404-resource-not-found", false).await;
    let e = c.search_people("meg", 8).await.unwrap_err();
    assert_service(&e, 404, "ResourceNotFound");
    let only_people = Sources {
        people: true,
        directory: false,
    };
    assert!(find_people(&c, "meg", only_people).await.is_err());
}
