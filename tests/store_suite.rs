//! One store test suite, run against every store: in memory, an SQLite file and
//! PostgreSQL. Each test is written once, as a function of a `Backend`; the
//! `suite!` macro makes one `#[test]` per store. The PostgreSQL tests need a
//! server (see tests/common/pg.rs).

mod common;

use common::*;
use serde_json::{Value, json};
use std::sync::{Arc, Barrier};
use stytch_totp::engine::Config;
use stytch_totp::store::{
    self, Access, Contact, CopyProgress, Lock, Sealed, SessionRecord, Store, StoreError, StoreTx,
    TotpRecord, UserLookup, UserRecord,
};

const T: i64 = 1_700_000_010;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Backend {
    Memory,
    Sqlite,
    Postgres,
}

/// A database for one test: its client configuration, and what to clean up.
struct Db {
    backend: Backend,
    config: Value,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
}

impl Db {
    fn new(backend: Backend) -> Db {
        match backend {
            Backend::Memory => Db {
                backend,
                config: json!({"database": ":memory:"}),
                _dir: None,
                schema: None,
            },
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("suite.db");
                Db {
                    backend,
                    config: json!({"database": path.to_str().unwrap()}),
                    _dir: Some(dir),
                    schema: None,
                }
            }
            Backend::Postgres => {
                let schema = pg::fresh_schema("suite");
                Db {
                    backend,
                    config: pg::config(&schema, json!({})),
                    _dir: None,
                    schema: Some(schema),
                }
            }
        }
    }

    /// The configuration with `extra` keys added.
    fn with(&self, extra: Value) -> Value {
        let mut config = self.config.clone();
        for (key, value) in extra.as_object().unwrap() {
            config[key] = value.clone();
        }
        config
    }

    fn api(&self) -> Api {
        let api = Api::new(self.config.clone());
        api.set_time(T);
        api
    }

    /// The store itself, for the tests of the store interface.
    fn store(&self) -> Box<dyn Store> {
        let config = Config::from_json(Some(&self.config.to_string())).unwrap();
        store::open(&config).unwrap()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let (Some(schema), false) = (&self.schema, std::thread::panicking()) {
            pg::drop_schema(schema);
        }
    }
}

macro_rules! suite {
    (
        every store: $($name:ident),* ;
        stores that outlive their client: $($durable:ident),* $(,)?
    ) => {
        mod memory {
            $(#[test] fn $name() { super::$name(super::Db::new(super::Backend::Memory)); })*
        }
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::Db::new(super::Backend::Sqlite)); })*
            $(#[test] fn $durable() { super::$durable(super::Db::new(super::Backend::Sqlite)); })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(super::Db::new(super::Backend::Postgres)); })*
            $(#[test] fn $durable() { super::$durable(super::Db::new(super::Backend::Postgres)); })*
        }
    };
}

suite!(
    every store:
    users_are_created_read_and_deleted,
    external_ids_are_unique,
    an_email_or_a_phone_number_is_required,
    emails_and_phone_numbers_are_unique,
    racing_creates_of_one_email_or_phone_number_have_one_winner,
    stores_refuse_a_second_user_with_a_taken_key,
    users_are_found_by_email_phone_number_and_id,
    search_refuses_what_it_does_not_serve,
    search_pages_through_every_user,
    a_code_is_accepted_once,
    failures_count_lock_and_reset,
    recovery_codes_are_single_use,
    create_replaces_a_pending_totp_and_refuses_over_a_verified_one,
    deleting_a_totp_or_user_removes_it,
    threads_on_one_client_have_one_winner,
    records_are_stored_as_written,
    records_are_replaced_keys_and_all,
    failed_units_of_work_leave_nothing,
    key_value_table,
    pages_are_ordered_by_id,
    expired_pending_totps_are_purged,
    session_records_are_found_by_id_hash_and_user_and_go_with_it,
    a_session_starts_gains_factors_and_ends,
    one_session_per_successful_code,
    expired_sessions_are_purged_in_bounded_batches,
    the_engine_purges_expired_sessions_and_nothing_else;
    // A memory store is private to its client: nothing to reopen, copy into
    // or read behind the library's back.
    stores that outlive their client:
    state_survives_reopening,
    a_store_from_before_unique_contacts_is_upgraded_or_refused,
    copy_from_sqlite_keeps_every_secret_step_counter_and_lock,
    secrets_are_sealed_at_rest_and_keys_rotate,
    a_copy_of_an_encrypted_store_signs_in_with_the_source_codes,
    a_session_and_its_signing_key_survive_reopening,
    sessions_and_their_signing_keys_survive_copies,
);

fn error_type(body: &Value) -> &str {
    body["error_type"].as_str().unwrap_or("")
}

fn users_are_created_read_and_deleted(db: Db) {
    let api = db.api();
    let user_id = api.create_user(json!({
        "email": "ada@example.com", "phone_number": "+12025550123",
        "name": {"first_name": "Ada", "last_name": "Lovelace"},
        "trusted_metadata": {"role": "admin"}, "untrusted_metadata": {"theme": "dark"},
        "external_id": "ada-1",
    }));
    for id in [user_id.as_str(), "ada-1"] {
        let user = api.ok("GET", &format!("/v1/users/{id}"), json!({}));
        assert_eq!(user["user_id"], user_id.as_str());
        assert_eq!(user["emails"][0]["email"], "ada@example.com");
        assert_eq!(user["phone_numbers"][0]["phone_number"], "+12025550123");
        assert_eq!(user["name"]["first_name"], "Ada");
        assert_eq!(user["trusted_metadata"], json!({"role": "admin"}));
        assert_eq!(user["untrusted_metadata"], json!({"theme": "dark"}));
        assert_eq!(user["external_id"], "ada-1");
    }
    api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
    api.fails(
        "GET",
        &format!("/v1/users/{user_id}"),
        json!({}),
        404,
        "user_not_found",
    );
    api.fails("GET", "/v1/users/ada-1", json!({}), 404, "user_not_found");
}

fn external_ids_are_unique(db: Db) {
    let api = db.api();
    api.create_user(json!({"external_id": "dup", "email": fresh_email()}));
    api.fails(
        "POST",
        "/v1/users",
        json!({"external_id": "dup", "email": fresh_email()}),
        400,
        "duplicate_external_id",
    );
    // Racing creates of one external_id: exactly one succeeds.
    let api = Arc::new(api);
    let statuses = race(&api, 8, |api| {
        let body = json!({"external_id": "raced", "email": fresh_email()});
        api.call("POST", "/v1/users", &body)
    });
    let ok = statuses.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(ok, 1, "{statuses:?}");
    for (status, body) in &statuses {
        assert!(
            *status == 200 || error_type(body) == "duplicate_external_id",
            "{body}"
        );
    }
}

fn search(api: &Api, body: Value) -> Value {
    api.ok("POST", "/v1/users/search", body)
}

/// The `user_id`s of a search's results, in their order.
fn found_ids(found: &Value) -> Vec<String> {
    let results = found["results"].as_array().unwrap();
    results
        .iter()
        .map(|u| u["user_id"].as_str().unwrap().to_owned())
        .collect()
}

/// How many users the store holds, as a search without a query counts them.
fn total_users(api: &Api) -> u64 {
    search(api, json!({}))["results_metadata"]["total"]
        .as_u64()
        .unwrap()
}

fn an_email_or_a_phone_number_is_required(db: Db) {
    let api = db.api();
    for body in [
        json!({}),
        json!({"name": {"first_name": "Ada"}, "external_id": "ada"}),
        json!({"email": null, "phone_number": null}),
    ] {
        let e = api.fails("POST", "/v1/users", body, 400, "bad_request");
        let message = e["error_message"].as_str().unwrap();
        assert!(
            message.contains("an email or a phone_number is required"),
            "{message}"
        );
    }
    assert_eq!(total_users(&api), 0, "a refused create wrote a user");
    let by_email = api.ok("POST", "/v1/users", json!({"email": "e@example.com"}));
    assert_eq!(by_email["phone_id"], "");
    let by_phone = api.ok("POST", "/v1/users", json!({"phone_number": "+12025550123"}));
    assert_eq!(by_phone["email_id"], "");
    assert_eq!(total_users(&api), 2);
}

fn emails_and_phone_numbers_are_unique(db: Db) {
    let api = db.api();
    let ada = api.create_user(json!({"email": "Ada@Example.com", "phone_number": "+12025550123"}));
    // The address is kept as it was given.
    let user = api.ok("GET", &format!("/v1/users/{ada}"), json!({}));
    assert_eq!(user["emails"][0]["email"], "Ada@Example.com");
    for taken in ["Ada@Example.com", "ada@example.com", "ADA@EXAMPLE.COM"] {
        let e = api.fails(
            "POST",
            "/v1/users",
            json!({ "email": taken }),
            400,
            "duplicate_email",
        );
        assert_eq!(e["error_message"], "A user with this email already exists.");
        assert_eq!(
            e["error_url"],
            "https://stytch.com/docs/api-reference/consumer/api/errors/400#duplicate_email"
        );
    }
    let e = api.fails(
        "POST",
        "/v1/users",
        json!({"phone_number": "+12025550123", "email": "other@example.com"}),
        400,
        "duplicate_phone_number",
    );
    assert_eq!(
        e["error_message"],
        "A user with this phone number already exists."
    );
    // Both taken: the email is named first.
    api.fails(
        "POST",
        "/v1/users",
        json!({"email": "ada@example.com", "phone_number": "+12025550123"}),
        400,
        "duplicate_email",
    );
    // Only ASCII letters fold: every store agrees that these two differ.
    api.create_user(json!({"email": "Élodie@example.com"}));
    api.create_user(json!({"email": "élodie@example.com"}));
    api.fails(
        "POST",
        "/v1/users",
        json!({"email": "éLODIE@EXAMPLE.com"}),
        400,
        "duplicate_email",
    );
    assert_eq!(total_users(&api), 3, "a refused create wrote a user");
    // Once the user is deleted, its address and number are free again.
    api.ok("DELETE", &format!("/v1/users/{ada}"), json!({}));
    api.create_user(json!({"email": "ADA@example.com", "phone_number": "+12025550123"}));
}

fn racing_creates_of_one_email_or_phone_number_have_one_winner(db: Db) {
    // Two clients where the store outlives them: two pools of connections,
    // as two processes or hosts would have.
    let apis = match db.backend {
        Backend::Memory => vec![db.api()],
        _ => vec![db.api(), db.api()],
    };
    // The body of the i-th create, and how the losers are refused.
    type Body = fn(usize) -> Value;
    let bodies: [(Body, &str); 2] = [
        (
            |i| match i % 2 {
                0 => json!({"email": "Raced@Example.com"}),
                _ => json!({"email": "raced@example.COM"}),
            },
            "duplicate_email",
        ),
        (
            |i| json!({"phone_number": "+12025550199", "email": format!("raced-{i}@example.com")}),
            "duplicate_phone_number",
        ),
    ];
    let threads = 8;
    for (body, refusal) in bodies {
        let barrier = Barrier::new(threads);
        let results: Vec<(u16, Value)> = std::thread::scope(|scope| {
            let running: Vec<_> = (0..threads)
                .map(|i| {
                    let (api, barrier) = (&apis[i % apis.len()], &barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        api.call("POST", "/v1/users", &body(i))
                    })
                })
                .collect();
            running.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let winners = results.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!(winners, 1, "{results:?}");
        for (status, body) in &results {
            assert!(*status == 200 || error_type(body) == refusal, "{body}");
        }
    }
    assert_eq!(total_users(&apis[0]), 2);
}

fn stores_refuse_a_second_user_with_a_taken_key(db: Db) {
    let store = db.store();
    let mut ada = user_record("u1");
    ada.phone = Some(Contact {
        id: "phone-u1".into(),
        value: "+12025550123".into(),
        verified: false,
    });
    write(store.as_ref(), &mut |tx| tx.put_user(&ada));
    let email_of = |value: &str| {
        Some(Contact {
            id: "email-u2".into(),
            value: value.into(),
            verified: false,
        })
    };
    let clashes = [
        UserRecord {
            email: email_of("U1@EXAMPLE.COM"),
            ..user_record("u2")
        },
        UserRecord {
            phone: ada.phone.clone(),
            ..user_record("u2")
        },
        UserRecord {
            external_id: ada.external_id.clone(),
            ..user_record("u2")
        },
    ];
    for clash in &clashes {
        let refused = store.transaction(Access::Write, &mut |tx| tx.put_user(clash));
        assert!(refused.is_err(), "{clash:?}");
    }
    // Rewriting the holder of the keys is no clash.
    ada.failed_attempts = 5;
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&ada)?;
        tx.put_user(&user_record("u2"))
    });
    let lookup_ids = |tx: &mut dyn StoreTx, lookup: UserLookup<'_>| -> Vec<String> {
        let found = tx.users_by_keys(&lookup).unwrap();
        found.into_iter().map(|u| u.user_id).collect()
    };
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.count_users()?, 2);
            let u1 = ["u1"];
            let by_email = UserLookup {
                emails: &["U1@Example.Com", "nobody@example.com"],
                ..UserLookup::default()
            };
            assert_eq!(lookup_ids(tx, by_email), ["u1"]);
            let by_phone = UserLookup {
                phone_numbers: &["+12025550123"],
                ..UserLookup::default()
            };
            assert_eq!(lookup_ids(tx, by_phone), ["u1"]);
            // Any key finds; each user comes once, in user_id order.
            let any = UserLookup {
                user_ids: &["u2", "u1"],
                external_ids: &["ext-u2"],
                emails: &["u2@example.com"],
                phone_numbers: &["+12025550123"],
            };
            assert_eq!(lookup_ids(tx, any), ["u1", "u2"]);
            assert!(lookup_ids(tx, UserLookup::default()).is_empty());
            assert_eq!(
                tx.users_by_keys(&UserLookup {
                    user_ids: &u1,
                    ..UserLookup::default()
                })?,
                [ada.clone()]
            );
            Ok(())
        })
        .unwrap();
}

/// Checks `value` against the Stytch schema `name` (tests/data/schemas): each
/// required member present and not null, no member the schema does not
/// list, and the JSON types it names, all the way down.
fn conforms(value: &Value, name: &str) {
    let components: Value =
        serde_json::from_str(include_str!("data/schemas/stytch_components.json")).unwrap();
    let schemas = &components["components"]["schemas"];
    fn check(value: &Value, schema: &Value, schemas: &Value, at: &str) {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap();
            return check(value, &schemas[name], schemas, at);
        }
        match schema["type"].as_str() {
            Some("object") => {
                let object = value.as_object().unwrap_or_else(|| panic!("{at}: {value}"));
                for required in schema["required"].as_array().into_iter().flatten() {
                    let key = required.as_str().unwrap();
                    assert!(
                        !object.get(key).unwrap_or(&Value::Null).is_null(),
                        "{at}.{key}"
                    );
                }
                for (key, member) in object {
                    let property = &schema["properties"][key];
                    assert!(!property.is_null(), "{at}.{key} is not in the schema");
                    if !member.is_null() {
                        check(member, property, schemas, &format!("{at}.{key}"));
                    }
                }
            }
            Some("array") => {
                for (i, item) in value.as_array().unwrap().iter().enumerate() {
                    check(item, &schema["items"], schemas, &format!("{at}[{i}]"));
                }
            }
            Some("string") => assert!(value.is_string(), "{at}: {value}"),
            Some("integer") => assert!(value.is_i64(), "{at}: {value}"),
            Some("boolean") => assert!(value.is_boolean(), "{at}: {value}"),
            _ => {}
        }
    }
    check(value, &schemas[name], schemas, name);
}

fn users_are_found_by_email_phone_number_and_id(db: Db) {
    let api = db.api();
    let ada = api.create_user(json!({
        "email": "Ada@Example.com", "phone_number": "+12025550101", "external_id": "ada",
    }));
    let bob = api.create_user(json!({"email": "bob@example.com", "phone_number": "+12025550102"}));
    let cy = api.create_user(json!({"phone_number": "+12025550103"}));
    let totp_id = api.ok("POST", "/v1/totps", json!({"user_id": ada}))["totp_id"].clone();
    let sorted = |mut ids: Vec<&String>| {
        ids.sort();
        ids.into_iter().cloned().collect::<Vec<String>>()
    };
    let query = |operator: &str, operands: Value| {
        search(
            &api,
            json!({"query": {"operator": operator, "operands": operands}}),
        )
    };
    let operand = |name: &str, values: Value| json!({"filter_name": name, "filter_value": values});

    // By email, whatever the case of its ASCII letters: the user as GET shows it.
    let found = query(
        "AND",
        json!([operand("email_address", json!(["ADA@example.COM"]))]),
    );
    conforms(&found, "api_user_v1_SearchResponse");
    assert_eq!(found_ids(&found), [ada.as_str()]);
    assert_eq!(
        found["results_metadata"],
        json!({"total": 1, "next_cursor": null})
    );
    let mut got = api.ok("GET", &format!("/v1/users/{ada}"), json!({}));
    let object = got.as_object_mut().unwrap();
    object.remove("status_code");
    object.remove("request_id");
    assert_eq!(found["results"][0], got);
    assert_eq!(found["results"][0]["totps"][0]["totp_id"], totp_id);

    let found = query(
        "AND",
        json!([operand("phone_number", json!(["+12025550102"]))]),
    );
    assert_eq!(found_ids(&found), [bob.as_str()]);
    let found = query("AND", json!([operand("user_id", json!([cy]))]));
    assert_eq!(found_ids(&found), [cy.as_str()]);
    // Several values: any of them; unknown values find nobody.
    let found = query(
        "AND",
        json!([operand(
            "email_address",
            json!(["bob@example.com", "ada@example.com", "no@example.com"])
        )]),
    );
    assert_eq!(found_ids(&found), sorted(vec![&ada, &bob]));
    assert_eq!(found["results_metadata"]["total"], 2);
    // AND: every operand; OR: any.
    let ada_by_phone = operand("phone_number", json!(["+12025550101"]));
    let ada_by_email = operand("email_address", json!(["ada@example.com"]));
    let cy_by_phone = operand("phone_number", json!(["+12025550103"]));
    let found = query("AND", json!([ada_by_email, ada_by_phone]));
    assert_eq!(found_ids(&found), [ada.as_str()]);
    let found = query("AND", json!([ada_by_email, cy_by_phone]));
    assert_eq!(found_ids(&found), Vec::<String>::new());
    assert_eq!(
        found["results_metadata"],
        json!({"total": 0, "next_cursor": null})
    );
    let found = query("OR", json!([ada_by_email, cy_by_phone]));
    assert_eq!(found_ids(&found), sorted(vec![&ada, &cy]));
    // No query, or no operands: everyone.
    let everyone = sorted(vec![&ada, &bob, &cy]);
    assert_eq!(found_ids(&search(&api, json!({}))), everyone);
    assert_eq!(found_ids(&query("AND", json!([]))), everyone);
    let found = search(
        &api,
        json!({"query": {"operator": "OR"}, "limit": 0, "cursor": ""}),
    );
    conforms(&found, "api_user_v1_SearchResponse");
    assert_eq!(found_ids(&found), everyone);
}

fn search_refuses_what_it_does_not_serve(db: Db) {
    let api = db.api();
    api.new_user();
    let refused = |body: Value, says: &str| {
        let e = api.fails("POST", "/v1/users/search", body, 400, "bad_request");
        let message = e["error_message"].as_str().unwrap();
        assert!(message.contains(says), "{message:?} should say {says:?}");
    };
    let query = |operands: Value| json!({"query": {"operator": "AND", "operands": operands}});
    for name in [
        "created_at_greater_than",
        "email_address_fuzzy",
        "status",
        "Email_Address",
    ] {
        let operands = json!([
            {"filter_name": "email_address", "filter_value": ["a@example.com"]},
            {"filter_name": name, "filter_value": ["x"]},
        ]);
        refused(
            query(operands),
            &format!("query.operands[1]: filter_name \"{name}\" is not supported"),
        );
    }
    refused(
        query(json!([{"filter_value": ["x"]}])),
        "filter_name is required",
    );
    let operands = json!([{"filter_name": "email_address", "filter_value": "a@example.com"}]);
    refused(query(operands), "filter_value must be an array");
    for value in [json!([]), json!([7]), json!(null)] {
        let operands = json!([{"filter_name": "email_address", "filter_value": value}]);
        refused(
            query(operands),
            "filter_value of email_address must be a non-empty array of strings",
        );
    }
    let operands = json!([{"filter_name": "user_id", "filter_value": ["x"], "negate": true}]);
    refused(query(operands), "unknown field \"negate\"");
    refused(
        json!({"query": {"operator": "NOT", "operands": []}}),
        "query.operator must be \"AND\" or \"OR\"",
    );
    refused(json!({"query": {"operands": []}}), "operator is required");
    refused(json!({"query": "email"}), "query must be an object");
    refused(json!({"limit": 1001}), "limit must be between 0 and 1000");
    refused(json!({"limit": -1}), "limit must be between 0 and 1000");
    refused(json!({"limit": "10"}), "limit must be an integer");
    refused(
        json!({"cursor": "page-2"}),
        "cursor is not one a search returned",
    );
    refused(json!({"sort": "user_id"}), "unknown field \"sort\"");
    let many: Vec<String> = (0..1001).map(|i| format!("u{i}@example.com")).collect();
    refused(
        query(json!([{"filter_name": "email_address", "filter_value": many}])),
        "at most 1000 filter values",
    );
}

fn search_pages_through_every_user(db: Db) {
    let api = db.api();
    let emails: Vec<String> = (0..7).map(|i| format!("page-{i}@example.com")).collect();
    let created: Vec<String> = emails
        .iter()
        .map(|email| api.create_user(json!({ "email": email })))
        .collect();
    let mut everyone = created.clone();
    everyone.sort();
    // Pages of `limit`, following next_cursor until it is null.
    let pages = |body: Value, limit: usize| {
        let mut pages: Vec<Vec<String>> = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let mut request = body.clone();
            request["limit"] = json!(limit);
            request["cursor"] = cursor;
            let found = search(&api, request);
            let ids = found_ids(&found);
            assert!(ids.len() <= limit, "{found}");
            pages.push(ids);
            cursor = found["results_metadata"]["next_cursor"].clone();
            if cursor.is_null() {
                return (pages, found["results_metadata"]["total"].clone());
            }
        }
    };
    let (all_pages, total) = pages(json!({}), 3);
    assert_eq!(total, 7);
    assert_eq!(
        all_pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    assert_eq!(all_pages.concat(), everyone);
    // A last page that is exactly full has no next page.
    let (one_page, _) = pages(json!({}), 7);
    assert_eq!(one_page, [everyone.clone()]);
    // Limit 0, or none: the default page of 100.
    assert_eq!(found_ids(&search(&api, json!({"limit": 0}))), everyone);
    // Through the users a filter finds.
    let some = json!({"query": {"operator": "OR", "operands": [
        {"filter_name": "email_address", "filter_value": &emails[..4]},
        {"filter_name": "user_id", "filter_value": [&created[6]]},
    ]}});
    let (filtered, total) = pages(some, 2);
    assert_eq!(total, 5);
    assert_eq!(filtered.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    let mut expected = [&created[..4], &created[6..]].concat();
    expected.sort();
    assert_eq!(
        filtered.concat(),
        expected,
        "each found user once, in user_id order"
    );
}

/// Runs SQL on the database behind the library's back; `{s}.` names its
/// tables (the schema on PostgreSQL, nothing on SQLite).
fn run_sql(db: &Db, sql: &str) {
    match db.backend {
        Backend::Postgres => {
            let schema = db.schema.as_deref().unwrap();
            pg::admin()
                .batch_execute(&sql.replace("{s}.", &format!("{schema}.")))
                .unwrap();
        }
        Backend::Sqlite => {
            let path = db.config["database"].as_str().unwrap();
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(&sql.replace("{s}.", "")).unwrap();
        }
        Backend::Memory => panic!("a memory store cannot be reached from outside"),
    }
}

/// One value read behind the library's back, as text.
fn query_sql(db: &Db, sql: &str) -> String {
    match db.backend {
        Backend::Postgres => {
            let schema = db.schema.as_deref().unwrap();
            let sql = sql.replace("{s}.", &format!("{schema}."));
            pg::admin().query_one(&sql, &[]).unwrap().get(0)
        }
        Backend::Sqlite => {
            let path = db.config["database"].as_str().unwrap();
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.query_row(&sql.replace("{s}.", ""), [], |r| r.get(0))
                .unwrap()
        }
        Backend::Memory => panic!("a memory store cannot be reached from outside"),
    }
}

/// The schema version the store records.
fn schema_version(db: &Db) -> String {
    match db.backend {
        Backend::Postgres => query_sql(db, "SELECT version::text FROM {s}.schema_version"),
        _ => query_sql(
            db,
            "SELECT CAST(value AS TEXT) FROM {s}.stytch_totp_meta \
             WHERE key = 'sqlite_schema_version'",
        ),
    }
}

/// The older schemas with the tables of today's (the oldest SQLite schema,
/// with a different table of TOTPs, is tested in `at_rest.rs`), each with
/// whether it has sessions: before sessions, then before emails and phone
/// numbers were unique.
fn older_schemas(db: &Db) -> [(&'static str, bool); 2] {
    match db.backend {
        Backend::Postgres => [("1", false), ("2", true)],
        _ => [("2", false), ("3", true)],
    }
}

/// SQL that takes the store back to schema `version`: without the two unique
/// indexes, and without the sessions table unless it has one.
fn back_to(db: &Db, version: &str, with_sessions: bool) -> String {
    let (sessions, set_version) = match db.backend {
        Backend::Postgres => (
            "{s}.sessions",
            format!("UPDATE {{s}}.schema_version SET version = {version}"),
        ),
        _ => (
            "{s}.stytch_sessions",
            format!(
                "UPDATE {{s}}.stytch_totp_meta SET value = CAST('{version}' AS BLOB) \
                 WHERE key = 'sqlite_schema_version'"
            ),
        ),
    };
    let drop_sessions = if with_sessions {
        String::new()
    } else {
        format!("DROP TABLE {sessions};")
    };
    format!(
        "DROP INDEX {{s}}.users_by_email; DROP INDEX {{s}}.users_by_phone_number; \
         {drop_sessions} {set_version};"
    )
}

fn a_store_from_before_unique_contacts_is_upgraded_or_refused(db: Db) {
    // Four users, then, for each older schema, the store taken back to it
    // (the same tables, without the two unique indexes and perhaps without
    // sessions), where two users came to share an email (differing in case
    // only) and two a phone number.
    let phone = |user_id: &str, number: &str| UserRecord {
        phone: Some(Contact {
            id: format!("phone-{user_id}"),
            value: number.into(),
            verified: false,
        }),
        ..user_record(user_id)
    };
    write(db.store().as_ref(), &mut |tx| {
        tx.put_user(&phone("u1", "+12025550101"))?;
        tx.put_user(&phone("u2", "+12025550102"))?;
        tx.put_user(&phone("u3", "+12025550103"))?;
        tx.put_user(&phone("u4", "+12025550104"))?;
        tx.put_totp(&totp_record("t2", "u2", true, T))
    });
    let current = schema_version(&db);
    for (old_version, with_sessions) in older_schemas(&db) {
        run_sql(
            &db,
            &format!(
                "{} \
                 UPDATE {{s}}.users SET email = 'U1@Example.COM' WHERE user_id = 'u2'; \
                 UPDATE {{s}}.users SET phone_number = '+12025550103' WHERE user_id = 'u4';",
                back_to(&db, old_version, with_sessions)
            ),
        );

        // Refused, naming the numbers, the users and the fix, and nothing
        // changes.
        for _ in 0..2 {
            let e = Api::try_new(db.config.clone()).err().unwrap();
            assert_eq!(error_type(&e), "database_refused", "{e}");
            let message = e["error_message"].as_str().unwrap();
            for says in [
                "2 users share an email address",
                "and 2 a phone number",
                "u1, u2, u3, u4",
                "stytch-totp users delete",
                "Nothing was changed",
            ] {
                assert!(message.contains(says), "{message:?} should say {says:?}");
            }
            assert!(
                !message.to_lowercase().contains("u1@example.com"),
                "{message}"
            );
            assert!(!message.contains("+12025550103"), "{message}");
            assert_eq!(schema_version(&db), old_version);
            assert_eq!(
                query_sql(&db, "SELECT CAST(count(*) AS TEXT) FROM {s}.users"),
                "4"
            );
            assert_eq!(
                query_sql(&db, "SELECT email FROM {s}.users WHERE user_id = 'u2'"),
                "U1@Example.COM"
            );
        }

        // Settled by the host: the upgrade goes through, and the rule holds.
        run_sql(
            &db,
            "UPDATE {s}.users SET email = 'u2@example.com' WHERE user_id = 'u2'; \
             UPDATE {s}.users SET phone_number = '+12025550104' WHERE user_id = 'u4';",
        );
        let api = db.api();
        assert_eq!(schema_version(&db), current, "from {old_version}");
        assert_eq!(total_users(&api), 4);
        let t2 = api.ok("GET", "/v1/users/ext-u2", json!({}));
        assert_eq!(t2["totps"][0]["totp_id"], "t2", "{t2}");
        api.fails(
            "POST",
            "/v1/users",
            json!({"email": "U1@EXAMPLE.com"}),
            400,
            "duplicate_email",
        );
        let refused = db.store().transaction(Access::Write, &mut |tx| {
            tx.put_user(&phone("u5", "+12025550103"))
        });
        assert!(
            refused.is_err(),
            "the unique index on phone numbers is missing"
        );
        // The sessions table is there (again), empty or as it was.
        let sessions = match db.backend {
            Backend::Postgres => "SELECT CAST(count(*) AS TEXT) FROM {s}.sessions",
            _ => "SELECT CAST(count(*) AS TEXT) FROM {s}.stytch_sessions",
        };
        assert_eq!(query_sql(&db, sessions), "0");
        drop(api);
    }
}

fn a_code_is_accepted_once(db: Db) {
    let api = db.api();
    let (user_id, totp) = api.enrolled_user();
    let secret = secret_of(&totp);
    let code = code_at(secret, T);
    assert_eq!(api.authenticate(&user_id, &code).0, 200);
    let (status, body) = api.authenticate(&user_id, &code);
    assert_eq!(
        (status, error_type(&body)),
        (400, "totp_code_already_authenticated")
    );
    api.set_time(T + 30);
    assert_eq!(api.authenticate(&user_id, &code_at(secret, T + 30)).0, 200);
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["totps"][0]["verified"], true);
}

fn failures_count_lock_and_reset(db: Db) {
    let api = Api::new(db.with(json!({"lockout": {"max_failures": 3, "duration_minutes": 5}})));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let code = code_at(secret_of(&totp), T);
    // A success resets the count: two failures, a success, two more failures...
    for _ in 0..2 {
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    }
    assert_eq!(api.authenticate(&user_id, &code).0, 200);
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    let recovery = totp["recovery_codes"][0].as_str().unwrap();
    assert_eq!(api.recover(&user_id, "aaaa-aaaa-aaaa").0, 401);
    // ...and the third locks, correct codes included.
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    let (status, body) = api.recover(&user_id, recovery);
    assert_eq!(
        (status, error_type(&body)),
        (429, "user_lock_limit_reached")
    );
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["is_locked"], true, "{user}");
    // The lock lifts at its expiry.
    api.set_time(T + 5 * 60);
    assert_eq!(api.recover(&user_id, recovery).0, 200);
}

fn recovery_codes_are_single_use(db: Db) {
    let api = db.api();
    let (user_id, totp) = api.enrolled_user();
    let codes: Vec<&str> = totp["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(api.recover(&user_id, codes[3]).0, 200);
    let (status, body) = api.recover(&user_id, codes[3]);
    assert_eq!(
        (status, error_type(&body)),
        (401, "unable_to_authenticate_recovery_code")
    );
    let listed = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    let left: Vec<&str> = listed["totps"][0]["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = codes.iter().copied().filter(|c| *c != codes[3]).collect();
    assert_eq!(left, expected);
    // Racing threads on one code: one winner.
    let api = Arc::new(api);
    let code = codes[5].to_owned();
    let statuses = race(&api, 8, move |api| api.recover(&user_id, &code));
    assert_eq!(statuses.iter().filter(|(s, _)| *s == 200).count(), 1);
}

fn create_replaces_a_pending_totp_and_refuses_over_a_verified_one(db: Db) {
    let api = db.api();
    let (user_id, first) = api.enrolled_user();
    let second = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(
        user["totps"],
        json!([{"totp_id": second["totp_id"], "verified": false}])
    );
    // The replaced TOTP's codes are gone with it.
    let (status, _) = api.authenticate(&user_id, &code_at(secret_of(&first), T));
    assert_ne!(status, 200);
    assert_eq!(
        api.authenticate(&user_id, &code_at(secret_of(&second), T))
            .0,
        200
    );
    api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id}),
        400,
        "active_totp_exists",
    );
    // A pending TOTP expires.
    let (user_id, totp) = api.enrolled_user();
    api.set_time(T + 24 * 3600);
    let (status, body) = api.authenticate(&user_id, &code_at(secret_of(&totp), T + 24 * 3600));
    assert_eq!((status, error_type(&body)), (400, "expired_totp"));
}

fn deleting_a_totp_or_user_removes_it(db: Db) {
    let api = db.api();
    let (user_id, totp) = api.enrolled_user();
    let totp_id = totp["totp_id"].as_str().unwrap();
    let deleted = api.ok("DELETE", &format!("/v1/users/totps/{totp_id}"), json!({}));
    assert_eq!(deleted["user"]["totps"], json!([]));
    api.fails(
        "DELETE",
        &format!("/v1/users/totps/{totp_id}"),
        json!({}),
        404,
        "totp_not_found",
    );
    let (status, body) = api.authenticate(&user_id, &code_at(secret_of(&totp), T));
    assert_eq!((status, error_type(&body)), (404, "totp_not_found"));
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
    // The user's TOTPs went with it.
    let totp_id = totp["totp_id"].as_str().unwrap();
    api.fails(
        "DELETE",
        &format!("/v1/users/totps/{totp_id}"),
        json!({}),
        404,
        "totp_not_found",
    );
}

fn state_survives_reopening(db: Db) {
    let (user_id, totp, code) = {
        let api = Api::new(db.with(json!({"lockout": {"max_failures": 2}})));
        api.set_time(T);
        let (user_id, totp) = api.enrolled_user();
        let code = code_at(secret_of(&totp), T);
        assert_eq!(api.authenticate(&user_id, &code).0, 200);
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
        (user_id, totp, code)
    };
    let api = Api::new(db.with(json!({"lockout": {"max_failures": 2}})));
    api.set_time(T);
    let (status, body) = api.authenticate(&user_id, &code);
    assert_eq!(
        (status, error_type(&body)),
        (400, "totp_code_already_authenticated")
    );
    // The earlier failure still counts: one more locks.
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    let (status, _) = api.recover(&user_id, totp["recovery_codes"][0].as_str().unwrap());
    assert_eq!(status, 429);
}

fn threads_on_one_client_have_one_winner(db: Db) {
    let threads = 16;
    let api = Arc::new(Api::new(
        db.with(json!({"lockout": {"max_failures": threads * 2 + 1}})),
    ));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let code = code_at(secret_of(&totp), T);
    let (u, c) = (user_id.clone(), code.clone());
    let statuses = race(&api, threads, move |api| api.authenticate(&u, &c));
    assert_eq!(statuses.iter().filter(|(s, _)| *s == 200).count(), 1);
    let u = user_id.clone();
    let statuses = race(&api, threads, move |api| {
        let first = api.authenticate(&u, "000000");
        let second = api.authenticate(&u, "000000");
        (first.0.max(second.0), second.1)
    });
    assert!(statuses.iter().all(|(s, _)| *s == 401), "{statuses:?}");
    // 2 × threads failures counted, no more, no fewer: one more is the limit.
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    assert_eq!(api.authenticate(&user_id, "000000").0, 429);
}

/// A user record written straight into a store.
fn user_record(user_id: &str) -> UserRecord {
    UserRecord {
        user_id: user_id.to_owned(),
        external_id: Some(format!("ext-{user_id}")),
        first_name: "Ada".into(),
        middle_name: String::new(),
        last_name: "Lovelace".into(),
        email: Some(Contact {
            id: format!("email-{user_id}"),
            value: format!("{user_id}@example.com"),
            verified: true,
        }),
        phone: None,
        trusted_metadata: "{}".into(),
        untrusted_metadata: r#"{"a":1}"#.into(),
        created_at: T,
        failed_attempts: 2,
        lock: Some(Lock {
            created_at: T - 10,
            expires_at: T + 10,
        }),
    }
}

/// A TOTP record written straight into a store.
fn totp_record(totp_id: &str, user_id: &str, verified: bool, expires_at: i64) -> TotpRecord {
    TotpRecord {
        totp_id: totp_id.to_owned(),
        user_id: user_id.to_owned(),
        secret: Sealed::from(vec![0, 1, 2, 3, 250, 251, 252, 253, 254, 255]),
        verified,
        created_at: T,
        expires_at,
        last_step: verified.then_some(56_666_667),
        recovery_codes: Sealed::from(b"\x01 any bytes \x00\xff".to_vec()),
    }
}

fn write(store: &dyn Store, work: &mut dyn FnMut(&mut dyn StoreTx) -> Result<(), StoreError>) {
    store.transaction(Access::Write, work).unwrap();
}

fn records_are_stored_as_written(db: Db) {
    let store = db.store();
    let user = user_record("u1");
    let totps = [
        totp_record("t1", "u1", true, T + 60),
        totp_record("t2", "u1", false, T + 60),
    ];
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user)?;
        totps.iter().try_for_each(|t| tx.put_totp(t))
    });
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.user("u1")?.as_ref(), Some(&user));
            assert_eq!(tx.user_by_external_id("ext-u1")?.as_ref(), Some(&user));
            assert_eq!(tx.totps_of_user("u1")?, totps);
            assert_eq!(tx.totp("t2")?.as_ref(), Some(&totps[1]));
            assert_eq!(tx.user("u2")?, None);
            assert_eq!(tx.totp("t3")?, None);
            Ok(())
        })
        .unwrap();
}

/// A write over a record replaces all of it: the columns an authentication
/// changes alone, and the keys and indexed columns too.
fn records_are_replaced_keys_and_all(db: Db) {
    let store = db.store();
    let mut user = user_record("u1");
    let mut totp = totp_record("t1", "u1", false, T + 60);
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user)?;
        tx.put_totp(&totp)
    });
    let read_back = |user: &UserRecord, totp: &TotpRecord| {
        store
            .transaction(Access::Read, &mut |tx| {
                assert_eq!(tx.user("u1")?.as_ref(), Some(user));
                let external_id = user.external_id.as_deref().unwrap_or("none");
                assert_eq!(tx.user_by_external_id(external_id)?.as_ref(), Some(user));
                assert_eq!(tx.totps_of_user("u1")?, std::slice::from_ref(totp));
                assert_eq!(tx.totp("t1")?.as_ref(), Some(totp));
                Ok(())
            })
            .unwrap();
    };
    // What an authentication changes.
    user.failed_attempts = 0;
    user.lock = None;
    totp.verified = true;
    totp.last_step = Some(56_666_668);
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user)?;
        tx.put_totp(&totp)
    });
    read_back(&user, &totp);
    // Keys and indexed columns.
    user.external_id = Some("ext-renamed".into());
    totp.created_at = T + 1;
    totp.expires_at = T + 120;
    totp.secret = Sealed::from(vec![9; 12]);
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user)?;
        tx.put_totp(&totp)
    });
    read_back(&user, &totp);
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.user_by_external_id("ext-u1")?, None);
            Ok(())
        })
        .unwrap();
}

fn failed_units_of_work_leave_nothing(db: Db) {
    let store = db.store();
    let before = user_record("u1");
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&before)?;
        tx.put_totp(&totp_record("t1", "u1", true, T))
    });
    let read_user = || {
        let mut user = None;
        store
            .transaction(Access::Read, &mut |tx| {
                user = tx.user("u1")?;
                Ok(())
            })
            .unwrap();
        user.unwrap()
    };
    // Writes, then an error: none of it stays.
    let result = store.transaction(Access::Write, &mut |tx| {
        let mut user = tx.user("u1")?.unwrap();
        user.failed_attempts = 7;
        tx.put_user(&user)?;
        tx.delete_totp("t1")?;
        tx.put_meta("k", b"v")?;
        // A read after the writes sees them.
        assert!(tx.totp("t1")?.is_none());
        Err(StoreError::Failed("stop".into()))
    });
    assert!(matches!(result, Err(StoreError::Failed(m)) if m.contains("stop")));
    assert_eq!(read_user(), before);
    // Writes, then a panic: none of it stays either.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.transaction(Access::Write, &mut |tx| {
            let mut user = tx.user("u1")?.unwrap();
            user.failed_attempts = 9;
            tx.put_user(&user)?;
            tx.delete_totp("t1")?;
            tx.totp("t1")?;
            panic!("in the middle of a unit of work");
        });
    }));
    assert!(panicked.is_err());
    assert_eq!(read_user(), before);
    store
        .transaction(Access::Read, &mut |tx| {
            assert!(tx.totp("t1")?.is_some());
            assert_eq!(tx.meta("k")?, None);
            Ok(())
        })
        .unwrap();
}

fn key_value_table(db: Db) {
    let store = db.store();
    write(store.as_ref(), &mut |tx| {
        assert_eq!(tx.meta("a")?, None);
        tx.put_meta("a", &[0, 1, 2, 255])?;
        tx.put_meta("b", b"")
    });
    write(store.as_ref(), &mut |tx| {
        assert_eq!(tx.meta("a")?, Some(vec![0, 1, 2, 255]));
        assert_eq!(tx.meta("b")?, Some(vec![]));
        tx.put_meta("a", b"replaced")
    });
    // Replaced twice, then rolled back: the committed value stays.
    let failed = store.transaction(Access::Write, &mut |tx| {
        tx.put_meta("a", b"one")?;
        tx.put_meta("a", b"two")?;
        assert_eq!(tx.meta("a")?, Some(b"two".to_vec()), "read your writes");
        tx.put_meta("new", b"x")?;
        Err(StoreError::Failed("undo".into()))
    });
    assert!(failed.is_err());
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.meta("a")?, Some(b"replaced".to_vec()));
            assert_eq!(tx.meta("new")?, None);
            Ok(())
        })
        .unwrap();
}

fn pages_are_ordered_by_id(db: Db) {
    let store = db.store();
    // Written out of order.
    let ids = ["u5", "u1", "u7", "u3", "u2", "u6", "u4"];
    write(store.as_ref(), &mut |tx| {
        for (i, id) in ids.iter().enumerate() {
            tx.put_user(&user_record(id))?;
            tx.put_totp(&totp_record(&format!("t{}", 7 - i), id, true, T))?;
        }
        Ok(())
    });
    let mut users = Vec::new();
    let mut totps = Vec::new();
    store
        .transaction(Access::Read, &mut |tx| {
            let (mut after_user, mut after_totp) = (None::<String>, None::<String>);
            loop {
                let page = tx.users_page(after_user.as_deref(), 3)?;
                assert!(page.len() <= 3);
                let Some(last) = page.last() else { break };
                after_user = Some(last.user_id.clone());
                users.extend(page.into_iter().map(|u| u.user_id));
            }
            loop {
                let page = tx.totps_page(after_totp.as_deref(), 3)?;
                let Some(last) = page.last() else { break };
                after_totp = Some(last.totp_id.clone());
                totps.extend(page.into_iter().map(|t| t.totp_id));
            }
            assert_eq!(
                tx.users_page(Some("u6"), 100)?.len(),
                1,
                "after is exclusive"
            );
            assert!(tx.users_page(None, 0)?.is_empty());
            assert!(tx.totps_page(None, 0)?.is_empty());
            Ok(())
        })
        .unwrap();
    assert_eq!(users, ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]);
    assert_eq!(totps, ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
}

fn expired_pending_totps_are_purged(db: Db) {
    let store = db.store();
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user_record("u1"))?;
        tx.put_user(&user_record("u2"))?;
        tx.put_totp(&totp_record("verified", "u1", true, T))?;
        tx.put_totp(&totp_record("soon", "u2", false, T + 60))?;
        tx.put_totp(&totp_record("later", "u2", false, T + 3600))
    });
    let purge = |now: i64| {
        let mut purged = 0;
        write(store.as_ref(), &mut |tx| {
            purged = tx.purge_expired_totps(now)?;
            Ok(())
        });
        purged
    };
    assert_eq!(purge(T + 59), 0);
    assert_eq!(purge(T + 60), 1, "expires_at <= now");
    assert_eq!(purge(T + 3600), 1);
    assert_eq!(purge(T + 365 * 24 * 3600), 0, "verified TOTPs never expire");
    store
        .transaction(Access::Read, &mut |tx| {
            let left: Vec<String> = [tx.totps_of_user("u1")?, tx.totps_of_user("u2")?]
                .concat()
                .into_iter()
                .map(|t| t.totp_id)
                .collect();
            assert_eq!(left, ["verified"]);
            Ok(())
        })
        .unwrap();
}

fn copy_from_sqlite_keeps_every_secret_step_counter_and_lock(db: Db) {
    let source = Db::new(Backend::Sqlite);
    let api = Api::new(source.with(json!({"lockout": {"max_failures": 3}})));
    api.set_time(T);
    // Users with every kind of state: used steps, used recovery codes,
    // failure counts, a lock, a pending TOTP, none at all.
    let mut enrolled = Vec::new();
    for i in 0..9 {
        let body = json!({"external_id": format!("copy-{i}"), "email": fresh_email()});
        let user_id = api.create_user(body);
        let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
        enrolled.push((user_id, totp));
    }
    let (used, used_totp) = &enrolled[0];
    let used_code = code_at(secret_of(used_totp), T);
    assert_eq!(api.authenticate(used, &used_code).0, 200);
    let used_recovery = used_totp["recovery_codes"][0].as_str().unwrap();
    assert_eq!(api.recover(used, used_recovery).0, 200);
    let (counted, counted_totp) = &enrolled[1];
    assert_eq!(
        api.authenticate(counted, &code_at(secret_of(counted_totp), T))
            .0,
        200
    );
    assert_eq!(api.authenticate(counted, "000000").0, 401);
    assert_eq!(api.authenticate(counted, "000000").0, 401);
    let (locked, _) = &enrolled[2];
    for _ in 0..3 {
        assert_eq!(api.authenticate(locked, "000000").0, 401);
    }
    api.create_user(json!({"email": "no-totp@example.com"}));
    let source_config = Config::from_json(Some(&source.config.to_string())).unwrap();
    let destination_config = Config::from_json(Some(&db.config.to_string())).unwrap();

    // Stopped after the second page, then resumed: each row once.
    let mut pages = 0;
    let stopped = store::copy(&source_config, &destination_config, 4, &mut |_| {
        pages += 1;
        pages < 2
    })
    .unwrap();
    assert_eq!(
        stopped,
        CopyProgress {
            users: 8,
            totps: 0,
            sessions: 0,
            finished: false
        }
    );
    let rest = store::copy(&source_config, &destination_config, 4, &mut |_| true).unwrap();
    assert_eq!(
        rest,
        CopyProgress {
            users: 2,
            totps: 9,
            sessions: 0,
            finished: true
        }
    );
    // Copying again changes nothing and starts over.
    let again = store::copy(&source_config, &destination_config, 100, &mut |_| true).unwrap();
    assert_eq!((again.users, again.totps, again.finished), (10, 9, true));

    let copied = Api::new(db.with(json!({"lockout": {"max_failures": 3}})));
    copied.set_time(T);
    // Every user, field for field, as the source shows it.
    for (user_id, _) in &enrolled {
        let mut a = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
        let mut b = copied.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
        a["request_id"] = Value::Null;
        b["request_id"] = Value::Null;
        assert_eq!(a, b);
    }
    // The used step and recovery code stay used; the others work.
    let (status, body) = copied.authenticate(used, &used_code);
    assert_eq!(
        (status, error_type(&body)),
        (400, "totp_code_already_authenticated")
    );
    assert_eq!(copied.recover(used, used_recovery).0, 401);
    assert_eq!(
        copied
            .recover(used, used_totp["recovery_codes"][1].as_str().unwrap())
            .0,
        200
    );
    copied.set_time(T + 30);
    assert_eq!(
        copied
            .authenticate(used, &code_at(secret_of(used_totp), T + 30))
            .0,
        200
    );
    // Two failures were counted: the third locks.
    assert_eq!(copied.authenticate(counted, "000000").0, 401);
    assert_eq!(copied.authenticate(counted, "000000").0, 429);
    // The lock came along.
    let (status, _) = copied.recover(locked, enrolled[2].1["recovery_codes"][0].as_str().unwrap());
    assert_eq!(status, 429);
    // A pending TOTP signs in with its code from the source.
    let (pending, pending_totp) = &enrolled[5];
    assert_eq!(
        copied
            .authenticate(pending, &code_at(secret_of(pending_totp), T + 30))
            .0,
        200
    );
}

/// The sealed columns (secret, recovery codes) of every TOTP row, read behind
/// the library's back: a query on PostgreSQL, the file on SQLite.
fn stored_sealed_values(db: &Db) -> Vec<Vec<u8>> {
    let mut values: Vec<Vec<u8>> = match db.backend {
        Backend::Postgres => {
            let schema = db.schema.as_deref().unwrap();
            let sql = format!("SELECT secret, recovery_codes FROM {schema}.totps");
            let rows = pg::admin().query(&sql, &[]).unwrap();
            rows.iter().flat_map(|r| [r.get(0), r.get(1)]).collect()
        }
        Backend::Sqlite => {
            let path = db.config["database"].as_str().unwrap();
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut stmt = conn
                .prepare("SELECT secret, recovery_codes FROM totps")
                .unwrap();
            stmt.query_map([], |r| Ok([r.get(0)?, r.get(1)?]))
                .unwrap()
                .flat_map(Result::unwrap)
                .collect()
        }
        Backend::Memory => panic!("a memory store cannot be read from outside"),
    };
    values.sort();
    values
}

/// Who sealed a stored value: the key id, or "" for plaintext.
fn sealer(value: &[u8]) -> String {
    match value[0] {
        0 => String::new(),
        1 => String::from_utf8(value[2..2 + usize::from(value[1])].to_vec()).unwrap(),
        other => panic!("unknown envelope {other}"),
    }
}

/// Whether any stored value holds a key (raw or base32) or a code (with or
/// without dashes) of `users` in the clear.
fn any_in_the_clear(values: &[Vec<u8>], users: &[Enrolled]) -> bool {
    let mut needles = Vec::new();
    for u in users {
        needles.push(base32_bytes(u.secret.as_bytes()));
        needles.push(u.secret.clone().into_bytes());
        for code in &u.codes {
            needles.push(code.clone().into_bytes());
            needles.push(code.replace('-', "").into_bytes());
        }
    }
    values
        .iter()
        .any(|v| needles.iter().any(|n| v.windows(n.len()).any(|w| w == n)))
}

/// Every user signs in at `t`: a code, and one of its recovery codes.
fn everyone_signs_in(api: &Api, users: &mut [Enrolled], t: i64) {
    for u in users {
        let (status, body) = api.authenticate_at(&u.user_id, &u.secret, t);
        assert_eq!(status, 200, "{}: {body}", u.user_id);
        let code = u.codes.pop().unwrap();
        let (status, body) = api.recover(&u.user_id, &code);
        assert_eq!(status, 200, "{}: {body}", u.user_id);
    }
}

/// Four users with listed recovery codes and two with hashed ones, under `keys`.
fn enrol_under(db: &Db, keys: &Value) -> Vec<Enrolled> {
    let api = Api::new(db.with(json!({"encryption_keys": keys})));
    api.set_time(T);
    let mut users = enrol(&api, 4);
    let hashed = Api::new(db.with(json!({"encryption_keys": keys, "recovery_codes": "hashed"})));
    hashed.set_time(T);
    users.extend(enrol(&hashed, 2));
    users
}

fn secrets_are_sealed_at_rest_and_keys_rotate(db: Db) {
    let (k1, k2) = (key("k1", 1), key("k2", 2));
    let mut users = enrol_under(&db, &json!([k1]));
    let stored = stored_sealed_values(&db);
    assert_eq!(stored.len(), 12);
    assert!(stored.iter().all(|v| sealer(v) == "k1"));
    assert!(!any_in_the_clear(&stored, &users), "a secret in the clear");

    // The new key first, the old one still opening; re-seal; the old goes.
    let api = Api::new(db.with(json!({"encryption_keys": [k2, k1]})));
    // (At the time of enrolment: a write purges pending TOTPs expired long ago.)
    api.set_time(T);
    assert_eq!(rewrap_all(&api, 4), 6);
    assert_eq!(rewrap_all(&api, 4), 0);
    drop(api);
    let stored = stored_sealed_values(&db);
    assert!(stored.iter().all(|v| sealer(v) == "k2"));
    assert!(!any_in_the_clear(&stored, &users), "a secret in the clear");
    let api = Api::new(db.with(json!({"encryption_keys": [k2]})));
    everyone_signs_in(&api, &mut users, T + 30);
    let e = Api::try_new(db.with(json!({"encryption_keys": [k1]})))
        .err()
        .unwrap();
    assert_eq!(error_type(&e), "encryption_key_mismatch", "{e}");
    assert!(e["error_message"].as_str().unwrap().contains("k2"), "{e}");
}

fn a_copy_of_an_encrypted_store_signs_in_with_the_source_codes(db: Db) {
    let source = Db::new(Backend::Sqlite);
    let keys = json!([key("k1", 1)]);
    // A configuration of `db` with `keys` (none when null) and a lockout policy.
    let config = |db: &Db, keys: &Value, max_failures: u32| {
        let mut extra = json!({"lockout": {"max_failures": max_failures}});
        if !keys.is_null() {
            extra["encryption_keys"] = keys.clone();
        }
        Config::from_json(Some(&db.with(extra).to_string())).unwrap()
    };
    // The source's lockout policy, which the copy brings along.
    drop(Api::new(
        source.with(json!({"lockout": {"max_failures": 4}})),
    ));
    let mut users = enrol_under(&source, &keys);
    let api = Api::new(source.with(json!({"encryption_keys": keys})));
    let used_code = code_at(&users[0].secret, T);
    api.set_time(T);
    assert_eq!(api.authenticate(&users[0].user_id, &used_code).0, 200);
    let used_recovery = users[0].codes.remove(0);
    assert_eq!(api.recover(&users[0].user_id, &used_recovery).0, 200);
    drop(api);
    let source_config = config(&source, &keys, 4);

    // Refused before any row is written: a destination without the key,
    // with another key under its id, or with another lockout policy.
    for (destination, refusal, names) in [
        (
            config(&db, &Value::Null, 4),
            "encryption_key_mismatch",
            "k1",
        ),
        (
            config(&db, &json!([key("k1", 9)]), 4),
            "encryption_key_mismatch",
            "k1",
        ),
        (
            config(&db, &keys, 5),
            "lockout_policy_mismatch",
            "max_failures",
        ),
    ] {
        let e = store::copy(&source_config, &destination, 100, &mut |_| true).unwrap_err();
        assert_eq!(e.error_type(), refusal, "{e}");
        assert!(e.error_message.contains(names), "{e}");
        db.store()
            .transaction(Access::Read, &mut |tx| {
                assert!(
                    tx.users_page(None, 1)?.is_empty(),
                    "{refusal}: rows written"
                );
                assert_eq!(tx.meta("lockout_policy")?, None, "{refusal}: meta written");
                Ok(())
            })
            .unwrap();
    }

    let destination = config(&db, &keys, 4);
    let done = store::copy(&source_config, &destination, 2, &mut |_| true).unwrap();
    assert_eq!((done.users, done.totps, done.finished), (6, 6, true));
    // Sealed values come over byte for byte, and stay sealed.
    let stored = stored_sealed_values(&db);
    assert_eq!(stored, stored_sealed_values(&source));
    assert!(!any_in_the_clear(&stored, &users), "a secret in the clear");

    // The destination's client adopts the policy (none configured) and opens
    // every value: each user signs in with a code and a recovery code from
    // the source, hashed codes too; what was used there stays used.
    let copied = Api::new(db.with(json!({"encryption_keys": keys})));
    copied.set_time(T);
    let (status, body) = copied.authenticate(&users[0].user_id, &used_code);
    assert_eq!(
        (status, error_type(&body)),
        (400, "totp_code_already_authenticated")
    );
    assert_eq!(copied.recover(&users[0].user_id, &used_recovery).0, 401);
    everyone_signs_in(&copied, &mut users, T + 30);
    // The source's policy: the fourth failure locks.
    for _ in 0..4 {
        assert_eq!(copied.authenticate(&users[1].user_id, "000000").0, 401);
    }
    assert_eq!(copied.authenticate(&users[1].user_id, "000000").0, 429);
}

const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

fn session_record(session_id: &str, user_id: &str, hash: u8, started_at: i64) -> SessionRecord {
    SessionRecord {
        session_id: session_id.into(),
        user_id: user_id.into(),
        token_hash: [hash; 32],
        started_at,
        last_accessed_at: started_at + 1,
        expires_at: started_at + 3600,
        attributes: r#"{"ip_address":"","user_agent":""}"#.into(),
        authentication_factors: "[]".into(),
        custom_claims: r#"{"a":1}"#.into(),
    }
}

fn session_records_are_found_by_id_hash_and_user_and_go_with_it(db: Db) {
    let store = db.store();
    let (first, second) = (
        session_record("s2", "u1", 1, T),
        session_record("s1", "u1", 2, T + 5),
    );
    let mut changed = first.clone();
    changed.token_hash = [3; 32];
    changed.expires_at += 60;
    changed.custom_claims = "{}".into();
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user_record("u1"))?;
        tx.put_user(&user_record("u2"))?;
        tx.put_session(&first)?;
        tx.put_session(&second)?;
        tx.put_session(&session_record("s3", "u2", 4, T))?;
        tx.put_session(&changed)
    });
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.session("s2")?.as_ref(), Some(&changed));
            assert_eq!(tx.session_by_token_hash(&[3; 32])?.as_ref(), Some(&changed));
            assert_eq!(tx.session_by_token_hash(&[1; 32])?, None);
            assert_eq!(tx.session("nope")?, None);
            assert_eq!(
                tx.sessions_of_user("u1")?,
                [changed.clone(), second.clone()]
            );
            Ok(())
        })
        .unwrap();
    write(store.as_ref(), &mut |tx| {
        tx.delete_session("s1")?;
        tx.delete_user("u2")
    });
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.session("s1")?, None);
            assert_eq!(
                tx.session("s3")?,
                None,
                "a deleted user's sessions go with it"
            );
            assert_eq!(tx.sessions_of_user("u1")?, [changed.clone()]);
            Ok(())
        })
        .unwrap();
}

/// Signs in at `t` with the code of `secret` and the session arguments `extra`.
fn sign_in(api: &Api, user_id: &str, secret: &str, t: i64, extra: Value) -> (u16, Value) {
    api.set_time(t);
    let mut body = json!({"user_id": user_id, "totp_code": code_at(secret, t)});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    api.call("POST", "/v1/totps/authenticate", &body)
}

fn a_session_starts_gains_factors_and_ends(db: Db) {
    let api = Api::new(db.with(json!({"project_id": PROJECT})));
    let (user_id, secret, totp) = api.verified_user(T);
    let (status, started) = sign_in(
        &api,
        &user_id,
        &secret,
        T + 30,
        json!({"session_duration_minutes": 60, "session_custom_claims": {"plan": "pro", "n": 1}}),
    );
    assert_eq!(status, 200, "{started}");
    let session = &started["session"];
    assert_eq!(session["user_id"], user_id.as_str());
    assert_eq!(session["authentication_factors"][0]["type"], "totp");
    assert_eq!(session["custom_claims"], json!({"plan": "pro", "n": 1}));
    let token = started["session_token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 44);

    // A recovery code adds its factor, extends the session and edits the claims.
    let body = json!({"user_id": user_id, "recovery_code": totp["recovery_codes"][0],
        "session_token": token, "session_duration_minutes": 120,
        "session_custom_claims": {"n": null, "seat": 3}});
    let recovered = api.ok("POST", "/v1/totps/recover", body);
    let session = &recovered["session"];
    assert_eq!(recovered["session_token"], token.as_str());
    assert_eq!(session["session_id"], started["session"]["session_id"]);
    let types: Vec<&str> = session["authentication_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["totp", "recovery_codes"]);
    assert_eq!(session["custom_claims"], json!({"plan": "pro", "seat": 3}));
    assert_eq!(session["expires_at"], "2023-11-15T00:14:00Z");

    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(listed["sessions"][0], *session);

    api.ok(
        "POST",
        "/v1/sessions/revoke",
        json!({"session_token": token}),
    );
    let gone = json!({"session_token": token});
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        gone,
        404,
        "session_not_found",
    );
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"], json!([]));
}

fn one_session_per_successful_code(db: Db) {
    let threads = 8;
    let api = Arc::new(Api::new(db.with(json!({"project_id": PROJECT}))));
    let (user_id, secret, _) = api.verified_user(T);
    let code = code_at(&secret, T + 30);
    api.set_time(T + 30);
    let u = user_id.clone();
    let results = race(&api, threads, move |api| {
        let body = json!({"user_id": u, "totp_code": code, "session_duration_minutes": 30});
        api.call("POST", "/v1/totps/authenticate", &body)
    });
    let winners: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["sessions"][0]["session_id"],
        winners[0]["session"]["session_id"]
    );
}

fn a_session_and_its_signing_key_survive_reopening(db: Db) {
    let config = db.with(json!({"project_id": PROJECT}));
    let (token, jwks) = {
        let api = Api::new(config.clone());
        let (user_id, secret, _) = api.verified_user(T);
        let (status, body) = sign_in(
            &api,
            &user_id,
            &secret,
            T + 30,
            json!({"session_duration_minutes": 60}),
        );
        assert_eq!(status, 200, "{body}");
        let jwks = api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}));
        (body["session_token"].clone(), jwks)
    };
    let api = Api::new(config);
    api.set_time(T + 60);
    let body = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
    );
    assert_eq!(body["session_token"], token);
    let again = api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}));
    assert_eq!(again["keys"], jwks["keys"]);
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
}

fn expired_sessions_are_purged_in_bounded_batches(db: Db) {
    let store = db.store();
    let expiring = |id: &str, user: &str, hash: u8, expires_at: i64| SessionRecord {
        expires_at,
        ..session_record(id, user, hash, T - 3600)
    };
    let sessions = [
        expiring("a", "u1", 1, T - 10),
        expiring("b", "u2", 2, T - 5),
        expiring("c", "u1", 3, T),
        expiring("d", "u1", 4, T + 1),
        expiring("e", "u2", 5, T + 3600),
    ];
    let totp = totp_record("t1", "u1", true, T);
    write(store.as_ref(), &mut |tx| {
        tx.put_user(&user_record("u1"))?;
        tx.put_user(&user_record("u2"))?;
        tx.put_totp(&totp)?;
        tx.put_meta("other", b"kept")?;
        for session in &sessions {
            tx.put_session(session)?;
        }
        Ok(())
    });
    // Pages in session_id order.
    store
        .transaction(Access::Read, &mut |tx| {
            let ids = |page: Vec<SessionRecord>| -> Vec<String> {
                page.into_iter().map(|s| s.session_id).collect()
            };
            assert_eq!(ids(tx.sessions_page(None, 2)?), ["a", "b"]);
            assert_eq!(ids(tx.sessions_page(Some("b"), 2)?), ["c", "d"]);
            assert_eq!(ids(tx.sessions_page(Some("d"), 2)?), ["e"]);
            assert_eq!(tx.sessions_page(Some("e"), 2)?, []);
            Ok(())
        })
        .unwrap();
    let purge = |now: i64, limit: usize| {
        let mut purged = 0;
        write(store.as_ref(), &mut |tx| {
            purged = tx.purge_expired_sessions(now, limit)?;
            Ok(())
        });
        purged
    };
    // Those that expired first go first, at most `limit` at a time;
    // expires_at <= now is expired (a session is live while now < expires_at).
    assert_eq!(purge(T, 2), 2);
    let left = |store: &dyn Store| {
        let mut left = Vec::new();
        store
            .transaction(Access::Read, &mut |tx| {
                left = tx.sessions_page(None, 100)?;
                Ok(())
            })
            .unwrap();
        left
    };
    assert_eq!(left(store.as_ref()), sessions[2..]);
    assert_eq!(purge(T, 2), 1);
    assert_eq!(purge(T, 2), 0);
    assert_eq!(left(store.as_ref()), sessions[3..]);
    // Nothing but expired sessions is touched.
    store
        .transaction(Access::Read, &mut |tx| {
            assert_eq!(tx.user("u1")?, Some(user_record("u1")));
            assert_eq!(tx.user("u2")?, Some(user_record("u2")));
            assert_eq!(tx.totp("t1")?, Some(totp.clone()));
            assert_eq!(tx.meta("other")?.as_deref(), Some(&b"kept"[..]));
            Ok(())
        })
        .unwrap();
}

/// A route of `client`: its JSON body.
fn route(client: &stytch_totp::engine::Client, method: &str, path: &str, body: Value) -> Value {
    serde_json::from_str(&client.call(method, path, Some(&body.to_string()))).unwrap()
}

fn the_engine_purges_expired_sessions_and_nothing_else(db: Db) {
    use stytch_totp::engine::Client;
    let config = db.with(json!({"project_id": PROJECT}));
    let client = Client::from_config_json(Some(&config.to_string())).unwrap();
    client.set_time(T).unwrap();
    let user_id = route(
        &client,
        "POST",
        "/v1/users",
        json!({"email": "ada@example.com"}),
    )["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let totp = route(&client, "POST", "/v1/totps", json!({"user_id": user_id}));
    let secret = secret_of(&totp).to_owned();
    let sign_in = |t: i64, minutes: i64| {
        client.set_time(t).unwrap();
        let body = route(
            &client,
            "POST",
            "/v1/totps/authenticate",
            json!({"user_id": user_id, "totp_code": code_at(&secret, t),
                   "session_duration_minutes": minutes}),
        );
        assert_eq!(body["status_code"], 200, "{body}");
        body["session_token"].clone()
    };
    let short = sign_in(T, 5);
    let long = sign_in(T + 30, 60);
    let other_short = sign_in(T + 60, 5);
    // Nothing has expired: nothing to purge.
    assert_eq!(client.purge_expired_sessions(100).unwrap(), 0);

    // Writes purge as they pass (a bounded batch, at most once a minute):
    // 400 s on, the two short sessions have expired and a write takes them.
    client.set_time(T + 400).unwrap();
    let write = route(
        &client,
        "POST",
        "/v1/users",
        json!({"email": "bob@example.com"}),
    );
    assert_eq!(write["status_code"], 200, "{write}");
    assert_eq!(client.purge_expired_sessions(100).unwrap(), 0);

    // Without writes, the explicit purge deletes the rest, batch by batch.
    let more: Vec<Value> = (0..3).map(|i| sign_in(T + 420 + 30 * i, 5)).collect();
    client.set_time(T + 3600 + 30).unwrap();
    assert_eq!(client.purge_expired_sessions(1).unwrap(), 4);
    assert_eq!(
        client
            .purge_expired_sessions(0)
            .unwrap_err()
            .error_type
            .as_str(),
        "bad_request"
    );
    for token in [&short, &long, &other_short, &more[0]] {
        let body = route(
            &client,
            "POST",
            "/v1/sessions/authenticate",
            json!({"session_token": token}),
        );
        assert_eq!(body["error_type"], "session_not_found");
    }
    // The user and its TOTP are untouched.
    let user = route(&client, "GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["totps"][0]["totp_id"], totp["totp_id"]);
    assert_eq!(user["totps"][0]["verified"], true);
}

fn sessions_and_their_signing_keys_survive_copies(db: Db) {
    let source = Db::new(Backend::Sqlite);
    let keys = json!({"project_id": PROJECT, "encryption_keys": [key("k1", 1)]});
    let configured = |db: &Db| Config::from_json(Some(&db.with(keys.clone()).to_string())).unwrap();
    let session_of = |api: &Api, t: i64| {
        let (user_id, secret, _) = api.verified_user(t);
        let (status, body) = sign_in(
            api,
            &user_id,
            &secret,
            t + 30,
            json!({"session_duration_minutes": 600}),
        );
        assert_eq!(status, 200, "{body}");
        (body["session_token"].clone(), body["session_jwt"].clone())
    };
    let jwks = |api: &Api| {
        api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}))["keys"].clone()
    };
    let (token, jwt, source_jwks) = {
        let api = Api::new(source.with(keys.clone()));
        let (token, jwt) = session_of(&api, T);
        (token, jwt, jwks(&api))
    };
    // The destination signed JWTs of its own before the copy: both stores'
    // keys are kept.
    let (own_token, own_jwt) = {
        let api = Api::new(db.with(keys.clone()));
        session_of(&api, T)
    };
    let done = store::copy(&configured(&source), &configured(&db), 2, &mut |_| true).unwrap();
    assert_eq!((done.users, done.totps, done.sessions), (1, 1, 1));

    // A second hop, into a fresh SQLite file: everything follows again.
    let next = Db::new(Backend::Sqlite);
    store::copy(&configured(&db), &configured(&next), 1, &mut |_| true).unwrap();
    for copy in [&db, &next] {
        let api = Api::new(copy.with(keys.clone()));
        api.set_time(T + 60);
        let published = jwks(&api);
        assert_eq!(published.as_array().unwrap().len(), 2);
        assert!(published.as_array().unwrap().contains(&source_jwks[0]));
        for (token, jwt) in [(&token, &jwt), (&own_token, &own_jwt)] {
            for presented in [json!({"session_token": token}), json!({"session_jwt": jwt})] {
                let (status, body) = api.call("POST", "/v1/sessions/authenticate", &presented);
                assert_eq!(status, 200, "{presented} {body}");
            }
        }
    }
    // Still sealed at rest: no copy holds the keys' record in plaintext.
    for copy in [&db, &next] {
        let store = copy.store();
        store
            .transaction(Access::Read, &mut |tx| {
                let record = tx
                    .meta("session_signing_keys")?
                    .expect("the keys came along");
                assert!(!record.windows(5).any(|w| w == b"pkcs8"));
                Ok(())
            })
            .unwrap();
    }
}
