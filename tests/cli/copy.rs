//! `store copy` from an SQLite file into PostgreSQL and back: users sign in on
//! the copy with a TOTP code and a recovery code taken from the source.
//! Needs the server of `tests/pg/with-postgres.sh` (`make test-cli`).

use crate::harness::*;
use serde_json::json;
use stytch_totp::engine::{Client, Config};
use stytch_totp::store::PostgresSettings;

#[allow(dead_code)]
#[path = "../common/pg.rs"]
mod pg;

const KEYS: &[(&str, &[u8; 32])] = &[("k1", &KEY_A)];

fn pg_config(schema: &str) -> Config {
    Config {
        postgres: PostgresSettings {
            schema: schema.to_owned(),
            ..PostgresSettings::default()
        },
        ..config(&pg::url(), KEYS)
    }
}

/// Signs in with a code of the next step and an unused recovery code from the source.
fn signs_in(client: &Client, user: &Enrolled, recovery_code: &str) {
    let now = client.now().unwrap();
    client
        .authenticate_totp(&user.user_id, &code(&user.secret, now + 30))
        .unwrap();
    client.recover(&user.user_id, recovery_code).unwrap();
}

#[test]
fn a_copy_into_postgresql_and_back_signs_in_with_the_sources_codes() {
    let (dir, path) = scratch();
    let users = sqlite_store(&path, KEYS, 12);
    let schema = pg::fresh_schema("cli_copy");
    let settings = file(
        dir.path(),
        "config.json",
        &json!({"postgres": {"schema": schema}}).to_string(),
        0o600,
    );
    let keys = keys_json(KEYS);
    let env = [("STYTCH_TOTP_KEYS", keys.as_str())];
    let url = pg::url();
    let config_arg = settings.to_str().unwrap();

    let body = run_with(
        &[
            "store", "copy", &path, &url, "--config", config_arg, "--batch", "5", "--json",
        ],
        &env,
        "",
    )
    .expect(0)
    .hides(&base64(&KEY_A))
    .json();
    assert_eq!(
        (body["users"].as_u64(), body["totps"].as_u64()),
        (Some(12), Some(12))
    );
    assert_eq!(body["finished"], true);
    assert_eq!(body["destination"], "the PostgreSQL server");
    assert!(
        !body.to_string().contains("postgres://") && !body.to_string().contains("postgresql://")
    );

    // On PostgreSQL: doctor sees what was copied, users get works there,
    // and every user signs in.
    let doctor = run_with(
        &["doctor", "--store", &url, "--config", config_arg, "--json"],
        &env,
        "",
    )
    .expect(0)
    .json();
    assert_eq!(doctor["survey"]["schema_version"], 3);
    assert_eq!(
        (
            doctor["survey"]["users"].as_u64(),
            doctor["survey"]["totps"].as_u64()
        ),
        (Some(12), Some(12))
    );
    assert_eq!(doctor["keys"]["keys"][0]["state"], "matches");
    let got = run_with(
        &[
            "users",
            "get",
            &users[0].user_id,
            "--store",
            &url,
            "--config",
            config_arg,
        ],
        &env,
        "",
    )
    .expect(0);
    assert!(got.stdout.contains(&users[0].totp_id), "{}", got.stdout);
    let pg_client = Client::new(pg_config(&schema)).unwrap();
    for user in &users[..6] {
        signs_in(&pg_client, user, &user.recovery_codes[0]);
    }
    drop(pg_client);

    // And back into a new SQLite file: the users who signed in on PostgreSQL
    // have used their first recovery code; the others sign in there.
    let back = dir.path().join("back.db").to_str().unwrap().to_owned();
    let run1 = run_with(
        &["store", "copy", &url, &back, "--config", config_arg],
        &env,
        "",
    )
    .expect(0);
    assert!(
        run1.stdout
            .contains("copied 12 user(s), 12 TOTP(s) and 0 session(s)"),
        "{}",
        run1.stdout
    );
    let sqlite_client = Client::new(config(&back, KEYS)).unwrap();
    let used = sqlite_client
        .recover(&users[0].user_id, &users[0].recovery_codes[0])
        .unwrap_err();
    assert_eq!(used.error_type, "unable_to_authenticate_recovery_code");
    for user in &users[6..] {
        signs_in(&sqlite_client, user, &user.recovery_codes[1]);
    }
    pg::drop_schema(&schema);
}

#[test]
fn a_copy_is_refused_without_the_sources_key_and_writes_nothing() {
    let (dir, path) = scratch();
    sqlite_store(&path, KEYS, 2);
    let schema = pg::fresh_schema("cli_refused");
    let settings = file(
        dir.path(),
        "config.json",
        &json!({"postgres": {"schema": schema}}).to_string(),
        0o600,
    );
    let config_arg = settings.to_str().unwrap();
    let url = pg::url();
    let wrong = keys_json(&[("k1", &KEY_B)]);
    let body = run_with(
        &[
            "store", "copy", &path, &url, "--config", config_arg, "--json",
        ],
        &[("STYTCH_TOTP_KEYS", &wrong)],
        "",
    )
    .expect(5)
    .hides(&base64(&KEY_B))
    .json();
    assert_eq!(body["error_type"], "encryption_key_mismatch");
    let held = stytch_totp::store::open(&pg_config(&schema))
        .unwrap()
        .survey()
        .unwrap();
    assert_eq!((held.users, held.totps), (0, 0));
    pg::drop_schema(&schema);
}

#[test]
fn copies_from_missing_into_unreachable_or_in_memory_stores_are_refused() {
    let (dir, path) = scratch();
    let missing = dir.path().join("missing.db");
    run(&["store", "copy", missing.to_str().unwrap(), &path]).expect(4);
    assert!(!missing.exists() && !std::path::Path::new(&path).exists());
    sqlite_store(&path, &[], 1);
    run(&["store", "copy", &path, UNREACHABLE_PG])
        .expect(4)
        .hides("hunter2");
    run(&["store", "copy", &path, ":memory:"]).expect(2);
    run(&["store", "copy", &path, &path]).expect(2);
}
