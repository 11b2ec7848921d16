//! The invitation's fields through the real binary and the emulator: every field set on
//! `create --calendar` and changed by `update` reaches the event (read back from the
//! emulator), `--json`, the summary and `show` carry what was set, and a bad value or a
//! field on a standalone meeting is refused with exit 2 before anything is sent.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

mod common;
use common::{signed_in, text, tmeet};

use serde_json::{Value, json};

const MEGAN: &str = "MeganB@contoso.onmicrosoft.com";
const ALEX: &str = "AlexW@contoso.onmicrosoft.com";

fn create_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "create",
        "--calendar",
        "-s",
        "Quarterly numbers",
        "--start",
        "2037-12-01 14:00",
        "--duration",
        "45m",
        "--attendee",
        MEGAN,
        "--attendee",
        ALEX,
    ];
    a.extend_from_slice(extra);
    a
}

/// The fields of `event` as the emulator keeps them.
fn fields(event: &Value) -> Value {
    let mut e = event.clone();
    for k in [
        "subject",
        "start",
        "end",
        "attendees",
        "location",
        "isCancelled",
        "originalStartTimeZone",
    ] {
        e.as_object_mut().unwrap().remove(k);
    }
    e
}

#[tokio::test(flavor = "multi_thread")]
async fn every_invitation_field_round_trips_through_create_and_update() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(
        home.path(),
        &ep,
        &create_args(&[
            "--show-as",
            "working-elsewhere",
            "--reminder",
            "1h",
            "--importance",
            "high",
            "--sensitivity",
            "private",
            "--categories",
            "Red category, Travel",
            "--request-responses",
            "off",
            "--allow-new-times",
            "no",
            "--hide-attendees",
            "--json",
        ]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = answer["id"].as_str().unwrap().to_string();
    let want = json!({
        "showAs": "workingElsewhere", "isReminderOn": true, "reminderMinutesBeforeStart": 60,
        "importance": "high", "sensitivity": "private", "categories": ["Red category", "Travel"],
        "responseRequested": false, "allowNewTimeProposals": false, "hideAttendees": true,
    });
    assert_eq!(fields(&emu.stored_event(&id).unwrap()), want);
    // --json: stdout is the service's event, which carries them; stderr's facts say what
    // tmeet was asked to set, in the flags' spelling.
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&answer[k], v, "{k}");
    }
    let err = text(&out.stderr);
    let facts: Value =
        serde_json::from_str(err.lines().rev().find(|l| l.starts_with('{')).unwrap()).unwrap();
    assert_eq!(
        facts["invitation"]["show-as"], "working-elsewhere",
        "{facts}"
    );
    assert_eq!(facts["invitation"]["categories"], "Red category, Travel");

    let list = tmeet(home.path(), &ep, &["list", "--json"]).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let reference = rows[0]["ref"].to_string();
    let sent = emu.sent_mail().len();
    let out = tmeet(
        home.path(),
        &ep,
        &[
            "update",
            &reference,
            "--show-as",
            "away",
            "--reminder",
            "off",
            "--importance",
            "low",
            "--sensitivity",
            "confidential",
            "--categories",
            "",
            "--request-responses",
            "on",
            "--allow-new-times",
            "on",
            "--hide-attendees",
            "off",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Show as:    away (out of office)"),
        "{stdout}"
    );
    assert!(stdout.contains("Reminder:   off"), "{stdout}");
    assert_eq!(
        fields(&emu.stored_event(&id).unwrap()),
        json!({
            "showAs": "oof", "isReminderOn": false, "reminderMinutesBeforeStart": 60,
            "importance": "low", "sensitivity": "confidential", "categories": [],
            "responseRequested": true, "allowNewTimeProposals": true, "hideAttendees": false,
        })
    );
    // The organizer's own fields mail nobody.
    assert_eq!(emu.sent_mail().len(), sent, "{:?}", emu.sent_mail());
    // One field alone is a change of its own; the others stay.
    let out = tmeet(
        home.path(),
        &ep,
        &["update", &reference, "--reminder", "2d"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let now = fields(&emu.stored_event(&id).unwrap());
    assert_eq!(now["reminderMinutesBeforeStart"], 2880);
    assert_eq!(now["isReminderOn"], true);
    assert_eq!(now["sensitivity"], "confidential");

    // `show` reads the event and says each field as it is now.
    let show = tmeet(home.path(), &ep, &["show", &reference]).await;
    let stdout = text(&show.stdout);
    assert!(show.status.success(), "{show:?}");
    for line in [
        "Show as:    away (out of office)",
        "Reminder:   2 days before",
        "Importance: low",
        "Privacy:    confidential",
        "Categories: none",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let show = tmeet(home.path(), &ep, &["show", &reference, "--json"]).await;
    let v: Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["invitationFields"]["show-as"], "away", "{v}");
    assert_eq!(v["invitationFields"]["reminder"], "2880", "{v}");
    emu.shutdown().await;
}

/// Events sent only with what was set: a create with no field sends none of them, so the
/// service's defaults hold.
#[tokio::test(flavor = "multi_thread")]
async fn no_field_given_sends_none() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &create_args(&["--json"])).await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stored = fields(&emu.stored_event(answer["id"].as_str().unwrap()).unwrap());
    assert_eq!(stored["showAs"], "busy");
    for (k, v) in stored.as_object().unwrap() {
        assert!(k == "showAs" || v.is_null(), "{k} was sent: {v}");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_values_and_standalone_meetings_are_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let before = emu.graph_request_count();
    for (flag, value, names) in [
        (
            "--show-as",
            "oof?",
            "free|tentative|busy|away|working-elsewhere",
        ),
        ("--importance", "urgent", "low|normal|high"),
        (
            "--sensitivity",
            "secret",
            "normal|personal|private|confidential",
        ),
        ("--reminder", "soon", "(0, 15, 1h, 1d, 1w) or off"),
        ("--reminder", "-15", "(0, 15, 1h, 1d, 1w) or off"),
        ("--hide-attendees", "maybe", "on/off, true/false, yes/no"),
    ] {
        let out = tmeet(home.path(), &ep, &create_args(&[flag, value])).await;
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {out:?}");
        let err = text(&out.stderr);
        let first = err.lines().next().unwrap();
        assert!(first.contains(names), "{flag} {value}: {err}");
        assert!(first.contains(flag), "{flag} {value}: {err}");
    }
    // Without --calendar there is no event to carry them.
    let out = tmeet(
        home.path(),
        &ep,
        &["create", "-s", "Link only", "--show-as", "free"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr).contains("--show-as: a standalone meeting"),
        "{out:?}"
    );
    assert_eq!(emu.graph_request_count(), before, "nothing was sent");
    emu.shutdown().await;
}

/// The mailbox's categories through the client (GRAPH-NEXT §5): their names with
/// MailboxSettings.Read, a refusal without it (the form then leaves categories free text).
#[tokio::test]
async fn the_mailboxs_categories_are_read_with_mailbox_settings_read() {
    use std::sync::Arc;
    use tmeet::graph::client::{GraphClient, Target};
    let emu = tmeet_emulator::Emulator::start(Default::default())
        .await
        .unwrap();
    let client = |scopes: &str| {
        let (access, _) = emu.mint_user_token_with_scopes(
            "organizations",
            scopes,
            std::time::Duration::from_secs(3600),
        );
        GraphClient::new(
            tmeet::http::build_client(),
            emu.graph_url(),
            Arc::new(tmeet::graph::token::StaticToken::new(
                tmeet::secret::Secret::new(access.expose()),
                false,
            )),
        )
    };
    let granted = client(
        "https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/MailboxSettings.Read",
    );
    let names = granted.master_categories(&Target::Me).await.unwrap();
    assert!(names.iter().any(|n| n == "Red category"), "{names:?}");
    let without = client("https://graph.microsoft.com/Calendars.ReadWrite");
    let e = without.master_categories(&Target::Me).await.unwrap_err();
    assert_eq!(e.status, Some(403), "{e:?}");
    emu.shutdown().await;
}

/// `[invitation]` in config.toml sets the defaults of every calendar meeting, a flag goes
/// over one of them, and a bad value there stops tmeet before anything is sent, naming
/// the file, the key and the valid values.
#[tokio::test(flavor = "multi_thread")]
async fn config_defaults_apply_flags_override_them_and_bad_ones_stop_at_start() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[invitation]\nshow-as = \"tentative\"\nreminder = 10\ncategories = [\"Team\", \"Travel\"]\nhide-attendees = true\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let mut args = vec!["--config", config.as_str()];
    args.extend(create_args(&["--show-as", "free", "--json"]));
    let out = tmeet(home.path(), &ep, &args).await;
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stored = fields(&emu.stored_event(answer["id"].as_str().unwrap()).unwrap());
    assert_eq!(stored["showAs"], "free", "the flag wins");
    assert_eq!(stored["reminderMinutesBeforeStart"], 10);
    assert_eq!(stored["categories"], json!(["Team", "Travel"]));
    assert_eq!(stored["hideAttendees"], true);
    assert!(stored["importance"].is_null(), "not in config, not sent");

    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, "[invitation]\nsensitivity = \"secret\"\n").unwrap();
    let bad = bad.display().to_string();
    let before = emu.graph_request_count();
    let mut args = vec!["--config", bad.as_str()];
    args.extend(create_args(&[]));
    let out = tmeet(home.path(), &ep, &args).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.toml: [invitation] sensitivity")
            && err.contains("normal|personal|private|confidential"),
        "{err}"
    );
    assert_eq!(emu.graph_request_count(), before, "nothing was sent");
    emu.shutdown().await;
}

/// With MailboxSettings.Read the categories are checked against the mailbox's own: a name
/// not among them is said (Outlook keeps it without a colour) and still sent; without the
/// permission nothing is asked and nothing said.
#[tokio::test(flavor = "multi_thread")]
async fn a_category_not_of_the_mailbox_is_said_when_the_list_can_be_read() {
    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(
        home.path(),
        &["Calendars.ReadWrite", "MailboxSettings.Read"],
    )
    .await;
    let out = tmeet(
        home.path(),
        &ep,
        &create_args(&["--categories", "red category, Travl", "--json"]),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("--categories: Travl is not among your mailbox's categories (Red category,"),
        "{err}"
    );
    assert!(!err.contains("red category is"), "{err}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["categories"], json!(["red category", "Travl"]));
    emu.shutdown().await;

    let home = tempfile::tempdir().unwrap();
    let (emu, ep) = signed_in(home.path(), &["Calendars.ReadWrite"]).await;
    let out = tmeet(home.path(), &ep, &create_args(&["--categories", "Travl"])).await;
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("categories"), "{out:?}");
    emu.shutdown().await;
}
