//! Meeting options, attendees, the directory, per-scope consent and tenant policy, over
//! raw HTTP: what any client would see (GRAPH.md §1, §4; GRAPH-SCHEDULING.md §1, §2, §5,
//! §7, §9).

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure message

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tmeet_emulator::{Emulator, EmulatorOptions, Policy, directory, find_user};

const HOUR: Duration = Duration::from_secs(3600);
const PREFER: &str = "include-unknown-enum-members";

struct H {
    emu: Emulator,
    c: Client,
    token: String,
}

impl H {
    async fn new(opts: EmulatorOptions) -> H {
        let emu = Emulator::start(opts).await.unwrap();
        let (token, _) = emu.mint_user_token("organizations", HOUR);
        let c = Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        H {
            token: token.expose().to_string(),
            emu,
            c,
        }
    }

    async fn default() -> H {
        H::new(EmulatorOptions::default()).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.emu.graph_url())
    }

    /// (status, body) of a call with this harness's token.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        prefer: bool,
    ) -> (StatusCode, Value) {
        self.call_as(&self.token.clone(), method, path, body, prefer)
            .await
    }

    async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        prefer: bool,
    ) -> (StatusCode, Value) {
        let mut r = self.c.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            r = r.json(b);
        }
        if prefer {
            r = r.header("Prefer", PREFER);
        }
        let resp = r.send().await.unwrap();
        let s = resp.status();
        let text = resp.text().await.unwrap();
        (s, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn create(&self, extra: Value) -> (StatusCode, Value) {
        let mut b = meeting();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        self.call(Method::POST, "me/onlineMeetings", Some(&b), false)
            .await
    }

    async fn create_ok(&self, extra: Value) -> Value {
        let (s, v) = self.create(extra).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }

    async fn patch(&self, id: &Value, body: Value, prefer: bool) -> (StatusCode, Value) {
        let path = format!("me/onlineMeetings/{}", id.as_str().unwrap());
        self.call(Method::PATCH, &path, Some(&body), prefer).await
    }
}

fn meeting() -> Value {
    json!({
        "startDateTime": "2026-03-02T09:00:00+01:00",
        "endDateTime": "2026-03-02T09:30:00+01:00",
        "subject": "Options",
    })
}

fn assert_graph_error(status: StatusCode, body: &Value, want: u16, code: &str) {
    assert_eq!(status.as_u16(), want, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    for f in ["date", "request-id", "client-request-id"] {
        assert!(body["error"]["innerError"][f].is_string(), "{f}: {body}");
    }
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or("")
}

/// Every v1.0 option a create may set, with non-default values.
fn all_options() -> Value {
    json!({
        "allowedPresenters": "roleIsPresenter",
        "allowMeetingChat": "limited",
        "allowAttendeeToEnableCamera": false,
        "allowAttendeeToEnableMic": false,
        "allowBreakoutRooms": false,
        "allowCopyingAndSharingMeetingContent": false,
        "allowParticipantsToChangeName": true,
        "allowPowerPointSharing": false,
        "allowRecording": false,
        "allowTeamworkReactions": false,
        "allowTranscription": false,
        "allowWhiteboard": false,
        "allowedLobbyAdmitters": "organizerAndCoOrganizers",
        "allowLiveShare": "disabled",
        "chatRestrictions": {"allowTextOnly": true},
        "isEndToEndEncryptionEnabled": true,
        "isEntryExitAnnounced": true,
        "lobbyBypassSettings": {"scope": "organizer", "isDialInBypassEnabled": true},
        "meetingSpokenLanguageTag": "fr-FR",
        "recordAutomatically": true,
        "shareMeetingChatHistoryDefault": "all",
        "watermarkProtection": {"isEnabledForContentSharing": true, "isEnabledForVideo": false},
        "sensitivityLabelAssignment": {"assignmentMethod": "standard", "sensitivityLabelId": "d9c3a2b0-0000-4000-8000-000000000001"},
    })
}

fn assert_has(v: &Value, want: &Value, ctx: &str) {
    for (k, expected) in want.as_object().unwrap() {
        assert_eq!(&v[k], expected, "{ctx}: {k} in {v}");
    }
}

#[tokio::test]
async fn every_v1_option_is_echoed_on_every_answer_path() {
    let h = H::default().await;
    let opts = all_options();
    let created = h.create_ok(opts.clone()).await;
    assert_has(&created, &opts, "POST 201");
    let id = created["id"].clone();
    let (s, got) = h
        .call(
            Method::GET,
            &format!("me/onlineMeetings/{}", id.as_str().unwrap()),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_has(&got, &opts, "GET by id");
    let join = created["joinWebUrl"].as_str().unwrap();
    let by_url = format!(
        "me/onlineMeetings?$filter={}",
        percent(&format!("JoinWebUrl eq '{join}'"))
    );
    let (s, list) = h.call(Method::GET, &by_url, None, false).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_has(&list["value"][0], &opts, "GET by JoinWebUrl");
    let jmid = created["joinMeetingIdSettings"]["joinMeetingId"]
        .as_str()
        .unwrap();
    let by_id = format!(
        "me/onlineMeetings?$filter={}",
        percent(&format!("joinMeetingIdSettings/joinMeetingId eq '{jmid}'"))
    );
    let (_, list) = h.call(Method::GET, &by_id, None, false).await;
    assert_has(&list["value"][0], &opts, "GET by joinMeetingId");

    // Every option the update page lists as patchable, patched back; the rest stays.
    let patch = json!({
        "allowedPresenters": "organization",
        "allowMeetingChat": "disabled",
        "allowAttendeeToEnableCamera": true,
        "allowAttendeeToEnableMic": true,
        "allowBreakoutRooms": true,
        "allowCopyingAndSharingMeetingContent": true,
        "allowPowerPointSharing": true,
        "allowRecording": true,
        "allowTeamworkReactions": true,
        "allowTranscription": true,
        "allowWhiteboard": true,
        "allowedLobbyAdmitters": "organizerAndCoOrganizersAndPresenters",
        "allowLiveShare": "enabled",
        "isEndToEndEncryptionEnabled": false,
        "isEntryExitAnnounced": false,
        "lobbyBypassSettings": {"scope": "everyone", "isDialInBypassEnabled": false},
        "meetingSpokenLanguageTag": "de-DE",
        "recordAutomatically": false,
        "watermarkProtection": {"isEnabledForContentSharing": false, "isEnabledForVideo": true},
    });
    let (s, patched) = h.patch(&id, patch.clone(), false).await;
    assert_eq!(s, StatusCode::OK, "{patched}");
    assert_has(&patched, &patch, "PATCH 200");
    assert_eq!(patched["allowParticipantsToChangeName"], true);
    assert_eq!(patched["shareMeetingChatHistoryDefault"], "all");
    assert_eq!(patched["chatRestrictions"], json!({"allowTextOnly": true}));
    // Beta-only properties are not part of a v1.0 answer.
    assert!(
        patched.get("anonymizeIdentityForRoles").is_none(),
        "{patched}"
    );
}

fn percent(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn wrong_types_and_unknown_values_answer_400_like_the_service() {
    let h = H::default().await;
    let enums = [
        "allowedPresenters",
        "allowMeetingChat",
        "allowedLobbyAdmitters",
        "allowLiveShare",
        "shareMeetingChatHistoryDefault",
    ];
    for name in enums {
        let (s, v) = h.create(json!({ name: "sometimes" })).await;
        assert_graph_error(s, &v, 400, "BadRequest");
        assert!(
            message(&v).contains("'sometimes'") && message(&v).contains(name),
            "{v}"
        );
        let (s, v) = h.create(json!({ name: true })).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }
    let bools = [
        "allowAttendeeToEnableCamera",
        "allowAttendeeToEnableMic",
        "allowBreakoutRooms",
        "allowCopyingAndSharingMeetingContent",
        "allowParticipantsToChangeName",
        "allowPowerPointSharing",
        "allowRecording",
        "allowTeamworkReactions",
        "allowTranscription",
        "allowWhiteboard",
        "isEndToEndEncryptionEnabled",
        "isEntryExitAnnounced",
        "recordAutomatically",
    ];
    for name in bools {
        let (s, v) = h.create(json!({ name: "true" })).await;
        assert_graph_error(s, &v, 400, "BadRequest");
        assert!(message(&v).contains("Edm.Boolean"), "{name}: {v}");
    }
    for bad in [
        json!({"lobbyBypassSettings": {"scope": "friends"}}),
        json!({"lobbyBypassSettings": {"isDialInBypassEnabled": 1}}),
        json!({"lobbyBypassSettings": "everyone"}),
        json!({"watermarkProtection": {"isEnabledForVideo": "no"}}),
        json!({"chatRestrictions": {"allowTextOnly": null, "extra": 1}}),
        json!({"meetingSpokenLanguageTag": 7}),
        json!({"participants": {"attendees": [{"upn": "a@b", "role": "boss"}]}}),
        json!({"participants": {"attendees": {"upn": "a@b"}}}),
    ] {
        let (s, v) = h.create(bad.clone()).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }
    assert_eq!(h.emu.meeting_count(), 0);
}

#[tokio::test]
async fn beta_only_and_unknown_properties_are_refused_or_ignored_as_configured() {
    let h = H::default().await;
    let beta = [
        ("anonymizeIdentityForRoles", json!(["attendee"])),
        (
            "joinUrl",
            json!("https://teams.microsoft.com/l/meetup-join/x"),
        ),
        ("alternativeRecording", json!(null)),
        ("broadcastRecording", json!(null)),
        ("capabilities", json!([])),
        ("recording", json!(null)),
        ("favouriteColour", json!("blue")),
    ];
    for (name, value) in &beta {
        let (s, v) = h.create(json!({ *name: value })).await;
        assert_graph_error(s, &v, 400, "BadRequest");
        assert_eq!(
            message(&v),
            format!(
                "Could not find a property named '{name}' on type 'microsoft.graph.onlineMeeting'."
            )
        );
    }
    for sub in ["producers", "contributors"] {
        let (s, v) = h.create(json!({"participants": { sub: [] }})).await;
        assert_graph_error(s, &v, 400, "BadRequest");
        assert!(
            message(&v).contains("microsoft.graph.meetingParticipants"),
            "{v}"
        );
    }
    let created = h.create_ok(json!({})).await;
    let (s, v) = h
        .patch(
            &created["id"],
            json!({"anonymizeIdentityForRoles": ["attendee"]}),
            false,
        )
        .await;
    assert_graph_error(s, &v, 400, "BadRequest");

    let lenient = H::new(EmulatorOptions {
        reject_unknown_properties: false,
        ..EmulatorOptions::default()
    })
    .await;
    let mut extra = json!({"participants": {"producers": [], "attendees": []}, "lobbyBypassSettings": {"scope": "organizer", "colour": 1}});
    for (name, value) in &beta {
        extra[*name] = value.clone();
    }
    let v = lenient.create_ok(extra).await;
    for (name, _) in &beta {
        assert!(v.get(*name).is_none(), "{name} echoed: {v}");
    }
    assert!(v["participants"].get("producers").is_none(), "{v}");
    assert_eq!(v["lobbyBypassSettings"], json!({"scope": "organizer"}));
}

#[tokio::test]
async fn patch_refuses_create_only_options_and_half_a_time_change() {
    let h = H::default().await;
    let id = h.create_ok(json!({})).await["id"].clone();
    for bad in [
        json!({"allowParticipantsToChangeName": true}),
        json!({"chatRestrictions": {"allowTextOnly": true}}),
        json!({"shareMeetingChatHistoryDefault": "all"}),
        json!({"meetingTemplateId": "t-1"}),
        json!({"joinMeetingIdSettings": {"isPasscodeRequired": true}}),
        json!({"externalId": "x"}),
        json!({"joinWebUrl": "https://elsewhere"}),
        json!({"startDateTime": "2026-03-02T10:00:00Z"}),
        json!({"endDateTime": "2026-03-02T10:00:00Z"}),
        json!({"participants": {"organizer": {"upn": directory()[1].user_principal_name}}}),
    ] {
        let (s, v) = h.patch(&id, bad.clone(), false).await;
        assert_graph_error(s, &v, 400, "BadRequest");
    }
    let (s, v) = h
        .patch(&id, json!({"isEndToEndEncryptionEnabled": true}), false)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["isEndToEndEncryptionEnabled"], true);
}

#[tokio::test]
async fn evolved_enum_members_need_the_prefer_header_on_every_path() {
    let h = H::default().await;
    let megan = find_user("MeganB@contoso.onmicrosoft.com").unwrap();
    let alex = find_user("AlexW@contoso.onmicrosoft.com").unwrap();
    let attendee = |u: &tmeet_emulator::DirectoryUser, role: &str| json!({"identity": {"user": {"id": u.id}}, "upn": u.user_principal_name, "role": role});
    let body = {
        let mut b = meeting();
        b["lobbyBypassSettings"] = json!({"scope": "invited"});
        b["participants"] =
            json!({"attendees": [attendee(megan, "coorganizer"), attendee(alex, "producer")]});
        b
    };
    let masked = |v: &Value, scope: &str| {
        assert_eq!(v["lobbyBypassSettings"]["scope"], scope, "{v}");
        let roles: Vec<&Value> = v["participants"]["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["role"])
            .collect();
        roles.into_iter().cloned().collect::<Vec<_>>()
    };
    let hidden = vec![json!("unknownFutureValue"), json!("unknownFutureValue")];
    let shown = vec![json!("coorganizer"), json!("producer")];

    let (s, v) = h
        .call(Method::POST, "me/onlineMeetings", Some(&body), false)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(masked(&v, "unknownFutureValue"), hidden);
    let (_, v2) = h
        .call(Method::POST, "me/onlineMeetings", Some(&body), true)
        .await;
    assert_eq!(masked(&v2, "invited"), shown);

    let path = format!("me/onlineMeetings/{}", v["id"].as_str().unwrap());
    let (_, g) = h.call(Method::GET, &path, None, false).await;
    assert_eq!(masked(&g, "unknownFutureValue"), hidden);
    let (_, g) = h.call(Method::GET, &path, None, true).await;
    assert_eq!(masked(&g, "invited"), shown);

    let filter = format!(
        "me/onlineMeetings?$filter={}",
        percent(&format!(
            "JoinWebUrl eq '{}'",
            v["joinWebUrl"].as_str().unwrap()
        ))
    );
    let (_, l) = h.call(Method::GET, &filter, None, false).await;
    assert_eq!(masked(&l["value"][0], "unknownFutureValue"), hidden);
    let (_, l) = h.call(Method::GET, &filter, None, true).await;
    assert_eq!(masked(&l["value"][0], "invited"), shown);

    let p = json!({"lobbyBypassSettings": {"scope": "organizationExcludingGuests"}});
    let (s, pv) = h.patch(&v["id"], p.clone(), false).await;
    assert_eq!(s, StatusCode::OK, "{pv}");
    assert_eq!(masked(&pv, "unknownFutureValue"), hidden);
    let (_, pv) = h.patch(&v["id"], p, true).await;
    assert_eq!(masked(&pv, "organizationExcludingGuests"), shown);
}

#[tokio::test]
async fn attendees_resolve_against_the_directory() {
    let h = H::default().await;
    let megan = find_user("MeganB@contoso.onmicrosoft.com").unwrap();
    let guest = find_user(tmeet_emulator::GUEST_UPN).unwrap();

    // An object id without a UPN: the service's 500 (on by default).
    let no_upn = json!({"participants": {"attendees": [{"identity": {"user": {"id": megan.id}}}]}});
    let (s, v) = h.create(no_upn.clone()).await;
    assert_graph_error(s, &v, 500, "InternalServerError");
    assert_eq!(h.emu.meeting_count(), 0);
    let lenient = H::new(EmulatorOptions {
        attendee_upn_required: false,
        ..EmulatorOptions::default()
    })
    .await;
    let v = lenient.create_ok(no_upn).await;
    assert_eq!(
        v["participants"]["attendees"][0]["upn"],
        megan.user_principal_name
    );

    let v = h
        .create_ok(json!({
            "allowedPresenters": "roleIsPresenter",
            "participants": {"attendees": [
                {"identity": {"user": {"id": megan.id}}, "upn": megan.user_principal_name, "role": "presenter"},
                {"upn": guest.user_principal_name, "role": "presenter"},
                {"upn": "sam@fabrikam.example", "role": "presenter"},
                {"identity": {"user": {"id": "0c0c0c0c-0000-4000-8000-000000000000"}}, "upn": "kim@outlook.example"},
            ]}
        }))
        .await;
    let a = &v["participants"]["attendees"];
    assert_eq!(
        a[0]["identity"]["user"],
        json!({"id": megan.id, "displayName": "Megan Bowen", "tenantId": tmeet_emulator::DEFAULT_TENANT_ID, "identityProvider": "AAD"})
    );
    assert_eq!(a[0]["role"], "presenter");
    // A guest is registered in the tenant's Entra ID: the role stays.
    assert_eq!(a[1]["identity"]["user"]["identityProvider"], "AAD");
    assert_eq!(a[1]["role"], "presenter");
    // Someone the directory doesn't know: no name, no tenant, MSA, and no presenter role.
    assert_eq!(
        a[2]["identity"]["user"],
        json!({"id": null, "displayName": null, "tenantId": null, "identityProvider": "MSA"})
    );
    assert_eq!(a[2]["role"], Value::Null);
    assert_eq!(a[2]["upn"], "sam@fabrikam.example");
    assert_eq!(a[3]["role"], "attendee");
    assert_eq!(
        a[3]["identity"]["user"]["id"],
        "0c0c0c0c-0000-4000-8000-000000000000"
    );
    assert_eq!(
        v["participants"]["organizer"]["identity"]["user"]["id"],
        tmeet_emulator::DEMO_USER_ID
    );

    // A PATCH with attendees replaces the whole list; one without leaves it.
    let (s, p) = h
        .patch(
            &v["id"],
            json!({"participants": {"attendees": [{"upn": megan.user_principal_name}]}}),
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["participants"]["attendees"].as_array().unwrap().len(), 1);
    assert_eq!(p["participants"]["attendees"][0]["role"], "attendee");
    let (_, p) = h
        .patch(&v["id"], json!({"subject": "Renamed"}), false)
        .await;
    assert_eq!(p["participants"]["attendees"].as_array().unwrap().len(), 1);
    let (s, p) = h
        .patch(
            &v["id"],
            json!({"participants": {"attendees": [{"identity": {"user": {"id": megan.id}}}]}}),
            false,
        )
        .await;
    assert_graph_error(s, &p, 500, "InternalServerError");
}

// ---------------------------------------------------------------------------------------
// Directory

#[tokio::test]
async fn directory_lookups_by_id_and_upn() {
    let h = H::default().await;
    let (reader, _) = h.emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/OnlineMeetings.ReadWrite https://graph.microsoft.com/User.ReadBasic.All offline_access",
        HOUR,
    );
    let reader = reader.expose();
    let megan = find_user("MeganB@contoso.onmicrosoft.com").unwrap();

    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            &format!("users/{}", megan.id),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "@odata.context",
            "businessPhones",
            "displayName",
            "givenName",
            "id",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName",
        ]
    );
    assert_eq!(v["displayName"], "Megan Bowen");
    assert!(
        v["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#users/$entity")
    );

    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            "users/meganb%40CONTOSO.onmicrosoft.com",
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["id"], megan.id);

    // The guest's UPN carries '#', which only travels URL-encoded.
    let guest_path = format!(
        "users/{}?$select=displayName,userType,mail",
        percent(tmeet_emulator::GUEST_UPN)
    );
    let (s, v) = h
        .call_as(reader, Method::GET, &guest_path, None, false)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["userType"], "Guest");
    assert_eq!(v["mail"], "jordan@fabrikam.com");
    assert!(v.get("jobTitle").is_none(), "{v}");
    assert!(
        v["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#users(displayName,userType,mail)/$entity")
    );

    // $select: names match case-insensitively, empty properties read null, unknown ones 400.
    let select = |q: &str| format!("users/{}?$select={q}", megan.id);
    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            &select("displayName,city,shoeSize"),
            None,
            false,
        )
        .await;
    assert_graph_error(s, &v, 400, "Request_BadRequest");
    assert!(message(&v).contains("'shoeSize'"), "{v}");
    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            &select("DISPLAYNAME,city"),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["displayName"], "Megan Bowen");
    assert!(v["city"].is_null() && v.get("mail").is_none(), "{v}");

    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            "users/nobody@contoso.onmicrosoft.com",
            None,
            false,
        )
        .await;
    assert_graph_error(s, &v, 404, "Request_ResourceNotFound");
    assert_eq!(
        message(&v),
        "Resource 'nobody@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present."
    );

    // Without a directory permission: 403, except for one's own entry with User.Read.
    let (s, v) = h
        .call(Method::GET, &format!("users/{}", megan.id), None, false)
        .await;
    assert_graph_error(s, &v, 403, "Authorization_RequestDenied");
    assert_eq!(
        message(&v),
        "Insufficient privileges to complete the operation."
    );
    let (s, v) = h.call(Method::GET, "users", None, false).await;
    assert_graph_error(s, &v, 403, "Authorization_RequestDenied");
    let (me, _) = h.emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/User.Read",
        HOUR,
    );
    let own = format!("users/{}", tmeet_emulator::DEMO_USER_ID);
    let (s, _) = h.call_as(me.expose(), Method::GET, &own, None, false).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = h
        .call_as(
            me.expose(),
            Method::GET,
            &format!("users/{}", megan.id),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // App tokens carry User.Read.All.
    let app = h.emu.mint_app_token("contoso.onmicrosoft.com", HOUR);
    let (s, _) = h
        .call_as(
            app.expose(),
            Method::GET,
            &format!("users/{}", megan.id),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn directory_filter_and_search() {
    let h = H::default().await;
    let (reader, _) = h.emu.mint_user_token_with_scopes(
        "organizations",
        "https://graph.microsoft.com/User.ReadBasic.All",
        HOUR,
    );
    let reader = reader.expose();
    let names = |v: &Value| -> Vec<String> {
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["displayName"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            &format!("users?$filter={}", percent("startswith(displayName,'me')")),
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(names(&v), ["Megan Bowen"]);
    let (s, v) = h
        .call_as(
            reader,
            Method::GET,
            &format!("users?$filter={}", percent("startswith(aboutMe,'1')")),
            None,
            false,
        )
        .await;
    assert_graph_error(s, &v, 400, "Request_UnsupportedQuery");

    let search = format!(
        "users?$search={}&$select=displayName,mail",
        percent("\"displayName:wil\" OR \"mail:jordan\"")
    );
    let (s, v) = h.call_as(reader, Method::GET, &search, None, false).await;
    assert_graph_error(s, &v, 400, "Request_UnsupportedQuery");
    assert_eq!(
        message(&v),
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"
    );
    let r =
        h.c.get(h.url(&search))
            .bearer_auth(reader)
            .header("ConsistencyLevel", "eventual")
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        names(&v),
        ["Alex Wilber", "Nestor Wilke", "Jordan Miller (Fabrikam)"]
    );
}

#[tokio::test]
async fn meeting_calls_need_an_online_meetings_scope() {
    let h = H::default().await;
    let id = h.create_ok(json!({})).await["id"].clone();
    let item = format!("me/onlineMeetings/{}", id.as_str().unwrap());
    let mint = |scope: &str| {
        h.emu
            .mint_user_token_with_scopes("organizations", scope, HOUR)
            .0
    };
    let directory_only = mint("https://graph.microsoft.com/User.ReadBasic.All");
    let (s, v) = h
        .call_as(
            directory_only.expose(),
            Method::POST,
            "me/onlineMeetings",
            Some(&meeting()),
            false,
        )
        .await;
    assert_graph_error(s, &v, 403, "Forbidden");
    let (s, _) = h
        .call_as(directory_only.expose(), Method::GET, &item, None, false)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Read-only: GET yes, PATCH no.
    let reader = mint("https://graph.microsoft.com/OnlineMeetings.Read");
    let (s, _) = h
        .call_as(reader.expose(), Method::GET, &item, None, false)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = h
        .call_as(
            reader.expose(),
            Method::PATCH,
            &item,
            Some(&json!({"subject": "x"})),
            false,
        )
        .await;
    assert_graph_error(s, &v, 403, "Forbidden");
    assert!(message(&v).contains("OnlineMeetings.ReadWrite"), "{v}");
}

// ---------------------------------------------------------------------------------------
// Consent

async fn token_call(h: &H, params: &[(&str, &str)]) -> (StatusCode, Value) {
    let r =
        h.c.post(format!(
            "{}organizations/oauth2/v2.0/token",
            h.emu.login_url()
        ))
        .form(params)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap())
}

async fn device_sign_in(h: &H, scope: &str) -> Value {
    let r =
        h.c.post(format!(
            "{}organizations/oauth2/v2.0/devicecode",
            h.emu.login_url()
        ))
        .form(&[("client_id", "app-1"), ("scope", scope)])
        .send()
        .await
        .unwrap();
    let dc: Value = r.json().await.unwrap();
    let (s, v) = token_call(
        h,
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", "app-1"),
            ("device_code", dc["device_code"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn refresh(h: &H, rt: &str, scope: &str) -> (StatusCode, Value) {
    token_call(
        h,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "app-1"),
            ("refresh_token", rt),
            ("scope", scope),
        ],
    )
    .await
}

#[tokio::test]
async fn a_refresh_cannot_add_scopes_but_a_new_sign_in_for_the_union_can() {
    let h = H::new(EmulatorOptions {
        auto_approve_device_codes: true,
        device_code_interval_secs: 0,
        ..EmulatorOptions::default()
    })
    .await;
    let base = "https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access";
    let union = "https://graph.microsoft.com/OnlineMeetings.ReadWrite https://graph.microsoft.com/User.ReadBasic.All offline_access";
    let first = device_sign_in(&h, base).await;
    let rt = first["refresh_token"].as_str().unwrap();
    let megan = format!("users/{}", directory()[1].id);
    let (s, _) = h
        .call_as(
            first["access_token"].as_str().unwrap(),
            Method::GET,
            &megan,
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, v) = refresh(&h, rt, union).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"], "invalid_grant");
    assert_eq!(v["error_codes"], json!([65001]));
    assert_eq!(v["suberror"], "consent_required");
    assert!(v["error_description"].as_str().unwrap().starts_with("AADSTS65001: The user or administrator has not consented to use the application with ID 'app-1'"));
    // Refused, not redeemed: the same refresh token still works within the grant.
    let (s, v) = refresh(&h, rt, base).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rt = v["refresh_token"].as_str().unwrap().to_string();

    let second = device_sign_in(&h, union).await;
    assert_eq!(
        second["scope"],
        "OnlineMeetings.ReadWrite User.ReadBasic.All"
    );
    let (s, v) = h
        .call_as(
            second["access_token"].as_str().unwrap(),
            Method::GET,
            &megan,
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Consent is the user's for this app: now a refresh may ask for the union too.
    let (s, v) = refresh(&h, &rt, union).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = h
        .call_as(
            v["access_token"].as_str().unwrap(),
            Method::GET,
            &megan,
            None,
            false,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------
// Tenant policy

#[tokio::test]
async fn tenant_policy_overrides_silently_on_create_and_patch() {
    let policy: Policy =
        "lobby=organization,presenters=everyone,recording=off,e2ee=off,chat=limited"
            .parse()
            .unwrap();
    let h = H::new(EmulatorOptions {
        policy,
        ..EmulatorOptions::default()
    })
    .await;
    let v = h
        .create_ok(json!({
            "lobbyBypassSettings": {"scope": "everyone", "isDialInBypassEnabled": true},
            "allowedPresenters": "organizer",
            "allowRecording": true,
            "recordAutomatically": true,
            "isEndToEndEncryptionEnabled": true,
            "allowMeetingChat": "enabled",
            "allowTranscription": false,
        }))
        .await;
    let forced = json!({
        "lobbyBypassSettings": {"scope": "organization", "isDialInBypassEnabled": true},
        "allowedPresenters": "everyone",
        "allowRecording": false,
        "recordAutomatically": false,
        "isEndToEndEncryptionEnabled": false,
        "allowMeetingChat": "limited",
        "allowTranscription": false,
    });
    assert_has(&v, &forced, "POST");
    assert_has(&h.emu.stored_meetings()[0], &forced, "stored");

    // A scope more closed than the cap is kept; the forced values hold through a PATCH.
    let (s, p) = h
        .patch(&v["id"], json!({"lobbyBypassSettings": {"scope": "organizer"}, "allowRecording": true, "allowedPresenters": "roleIsPresenter"}), false)
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["lobbyBypassSettings"]["scope"], "organizer");
    assert_eq!(p["allowRecording"], false);
    assert_eq!(p["allowedPresenters"], "everyone");
    let (_, p) = h
        .patch(
            &v["id"],
            json!({"lobbyBypassSettings": {"scope": "everyone"}}),
            false,
        )
        .await;
    assert_eq!(p["lobbyBypassSettings"]["scope"], "organization");

    // The control endpoint reads and replaces the policy; a bad one names the entry.
    let ctl = format!("{}_emulator/policy", h.emu.login_url());
    let v: Value = h.c.get(&ctl).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        v["policy"],
        "lobby=organization,presenters=everyone,recording=off,e2ee=off,chat=limited"
    );
    let r =
        h.c.post(&ctl)
            .body("lobby=organizer,colour=blue")
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"].as_str().unwrap().contains("'colour=blue'"),
        "{e}"
    );
    let r = h.c.post(&ctl).body("").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v = h
        .create_ok(json!({"allowRecording": true, "lobbyBypassSettings": {"scope": "everyone"}}))
        .await;
    assert_eq!(v["allowRecording"], true);
    assert_eq!(v["lobbyBypassSettings"]["scope"], "everyone");
    let stored: Value =
        h.c.get(format!("{}_emulator/meetings", h.emu.login_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(stored["value"].as_array().unwrap().len(), 2);
}

#[test]
fn policy_parse_errors_name_the_entry_and_list_what_is_valid() {
    let e = "lobby=organization,recording=sometimes"
        .parse::<Policy>()
        .unwrap_err();
    assert_eq!(
        e,
        "policy entry 'recording=sometimes': the value must be one of on, off"
    );
    let e = "lobby=nobody".parse::<Policy>().unwrap_err();
    assert!(
        e.contains("'lobby=nobody'") && e.contains("organizationExcludingGuests"),
        "{e}"
    );
    let e = "colour=blue".parse::<Policy>().unwrap_err();
    assert!(
        e.starts_with("policy entry 'colour=blue': unknown key 'colour'; keys: lobby,"),
        "{e}"
    );
}
