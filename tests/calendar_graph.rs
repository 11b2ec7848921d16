//! The calendar flows against the emulator, below the CLI: people search and its fallback,
//! a permission missing from the token, free/busy of a seeded colleague, and cancel by a
//! non-organizer.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use std::sync::Arc;
use std::time::Duration;
use tmeet::calendar::{OutlookZone, Source};
use tmeet::graph::client::{GraphClient, Target};
use tmeet::graph::token::StaticToken;
use tmeet::permissions::Feature;
use tmeet::secret::Secret;
use tmeet::services::calendar::{self as flow, CalendarError};
use tmeet_emulator::{Emulator, EmulatorOptions};

async fn client_with(scopes: &str) -> (Emulator, GraphClient) {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let (access, _) = emu.mint_user_token_with_scopes(
        "organizations",
        &format!("https://graph.microsoft.com/OnlineMeetings.ReadWrite {scopes}"),
        Duration::from_secs(3600),
    );
    let client = GraphClient::new(
        tmeet::http::build_client(),
        emu.graph_url(),
        Arc::new(StaticToken::new(Secret::new(access.expose()), false)),
    );
    (emu, client)
}

#[tokio::test]
async fn people_complete_by_name_and_the_directory_by_name_or_address() {
    let (emu, c) = client_with(
        "https://graph.microsoft.com/People.Read https://graph.microsoft.com/User.ReadBasic.All",
    )
    .await;
    let found = flow::find_people(&c, "meg", Source::People).await.unwrap();
    assert!(
        found
            .iter()
            .any(|p| p.name == "Megan Bowen" && p.address.to_lowercase().starts_with("meganb@")),
        "{found:?}"
    );
    let contacts = flow::find_people(&c, "sam", Source::People).await.unwrap();
    assert!(
        contacts.iter().any(|p| p.external),
        "a personal contact is marked external: {contacts:?}"
    );
    let by_name = flow::find_people(&c, "Alex", Source::Directory)
        .await
        .unwrap();
    assert!(
        by_name
            .iter()
            .any(|p| p.address.to_lowercase().starts_with("alexw@")),
        "{by_name:?}"
    );
    let by_address = flow::find_people(&c, "alexw@", Source::Directory)
        .await
        .unwrap();
    assert_eq!(by_address.len(), 1, "{by_address:?}");
    assert!(
        flow::find_people(&c, "m", Source::People)
            .await
            .unwrap()
            .is_empty(),
        "one letter asks nothing"
    );
    // Quotes, backslashes and & cannot break out of the query.
    assert!(
        flow::find_people(&c, "meg\"&\\", Source::People)
            .await
            .is_ok()
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn people_without_the_permission_is_consent_and_a_bare_403_is_the_services_refusal() {
    let (emu, c) = client_with("").await;
    let e = flow::find_people(&c, "meg", Source::People)
        .await
        .unwrap_err();
    assert!(
        matches!(e, CalendarError::Consent(Feature::Complete)),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("tmeet login --scope People.Read"),
        "{e}"
    );
    let now = chrono::Utc::now();
    let e = flow::free_busy(
        &c,
        &Target::Me,
        &["MeganB@contoso.onmicrosoft.com".into()],
        now,
        now + chrono::Duration::hours(8),
        30,
        &OutlookZone::utc(),
    )
    .await
    .unwrap_err();
    // A bare 403 is the service's refusal, shown with its code: whether the sign-in lacks
    // the permission is decided from its granted scopes before anything is sent (the
    // form's worker, `cli::outlook::connect`), never guessed from a 403, which a missing
    // mailbox or a policy gives too.
    assert!(
        matches!(&e, CalendarError::Graph(g) if g.status == Some(403)
            && g.code.as_deref() == Some("ErrorAccessDenied")),
        "{e:?}"
    );
    let e = flow::find_people(&c, "meg", Source::Directory)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("User.ReadBasic.All"), "{e}");
    emu.shutdown().await;
}

#[tokio::test]
async fn free_busy_has_a_row_per_person_and_a_colleagues_meetings_are_busy() {
    let (emu, c) = client_with("https://graph.microsoft.com/Calendars.Read.Shared").await;
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let start = day.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let people = vec![
        "AdeleV@contoso.onmicrosoft.com".to_string(),
        "MeganB@contoso.onmicrosoft.com".into(),
        "nobody@contoso.onmicrosoft.com".into(),
    ];
    let fb = flow::free_busy(
        &c,
        &Target::Me,
        &people,
        start,
        start + chrono::Duration::days(1),
        30,
        &OutlookZone::utc(),
    )
    .await
    .unwrap();
    assert_eq!(fb.people.len(), 3);
    assert!(fb.people.iter().all(|p| p.slots.len() == 48));
    assert!(
        fb.people[1].slots.iter().any(|s| !s.is_free()),
        "seeded meetings: {:?}",
        fb.people[1]
    );
    assert!(fb.people[2].error.is_some());
    let too_many: Vec<String> = (0..21)
        .map(|i| format!("p{i}@contoso.onmicrosoft.com"))
        .collect();
    let e = flow::free_busy(
        &c,
        &Target::Me,
        &too_many,
        start,
        start + chrono::Duration::days(1),
        30,
        &OutlookZone::utc(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, CalendarError::Refused(_)), "{e:?}");
    emu.shutdown().await;
}
