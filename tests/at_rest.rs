//! Secrets at rest: with `encryption_keys`, no TOTP key or recovery code is in
//! the database files in the clear; keys rotate by re-sealing, after which the
//! old key can go; a wrong key fails when the client opens and changes
//! nothing; a sealed value moved to another row does not open; plaintext
//! stores (and files of the first schema) migrate.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::ffi::{CStr, c_char, c_void};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use stytch_totp::ffi::*;

const T: i64 = 1_700_000_010;

fn keyed(db: &str, keys: &[Value]) -> Value {
    json!({"database": db, "encryption_keys": keys})
}

fn error_type(body: &Value) -> &str {
    body["error_type"].as_str().unwrap_or("")
}

/// Every form in which a secret could sit in a file: the key's bytes and its
/// base32 in either case, each code with and without dashes.
fn needles(users: &[Enrolled]) -> Vec<(String, Vec<u8>)> {
    let mut needles = Vec::new();
    for u in users {
        let raw = stytch_totp::otp::CodeGenerator::from_base32(&u.secret).is_some();
        assert!(raw);
        needles.push((
            format!("key of {}", u.user_id),
            base32_bytes(u.secret.as_bytes()),
        ));
        needles.push(("base32 key".into(), u.secret.clone().into_bytes()));
        needles.push(("base32 key".into(), u.secret.to_lowercase().into_bytes()));
        for code in &u.codes {
            needles.push((format!("code {code}"), code.clone().into_bytes()));
            needles.push((format!("code {code}"), code.replace('-', "").into_bytes()));
        }
    }
    needles
}

/// The needles found in the database file and its WAL.
fn found_in_files(db: &str, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for path in [db.to_owned(), format!("{db}-wal")] {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for (what, needle) in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!("{what} in {path}"));
            }
        }
    }
    found
}

/// Signs every user in: a code at `t` and one of its unused recovery codes.
fn everyone_signs_in(api: &Api, users: &mut [Enrolled], t: i64) {
    api.set_time(t);
    for u in users {
        let (status, body) = api.authenticate(&u.user_id, &code_at(&u.secret, t));
        assert_eq!(status, 200, "{}: {body}", u.user_id);
        let code = u.codes.pop().unwrap();
        let (status, body) = api.recover(&u.user_id, &code);
        assert_eq!(status, 200, "{}: {body}", u.user_id);
    }
}

/// Who sealed each TOTP's secret and codes: the key id, or "" for plaintext.
fn sealers(db: &str) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT secret, recovery_codes FROM totps")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })
        .unwrap();
    let sealer = |v: &[u8]| match v[0] {
        0 => String::new(),
        1 => String::from_utf8(v[2..2 + v[1] as usize].to_vec()).unwrap(),
        other => panic!("unknown envelope {other}"),
    };
    rows.flat_map(|r| {
        let (secret, codes) = r.unwrap();
        [sealer(&secret), sealer(&codes)]
    })
    .collect()
}

#[test]
fn with_keys_no_key_or_code_is_in_the_files_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = |config: Value, db: &str| {
        let api = Api::new(config);
        api.set_time(T);
        let mut users = enrol(&api, 12);
        everyone_signs_in(&api, &mut users[..6], T + 30);
        // A replaced pending TOTP and a deleted user leave their secrets behind.
        let pending = api.new_user();
        let first = api.ok("POST", "/v1/totps", json!({"user_id": pending}));
        api.ok("POST", "/v1/totps", json!({"user_id": pending}));
        api.ok(
            "DELETE",
            &format!("/v1/users/{}", users[11].user_id),
            json!({}),
        );
        let mut all = users;
        all.push(Enrolled {
            user_id: pending,
            secret: secret_of(&first).to_owned(),
            codes: Vec::new(),
        });
        // Scanned while the client is open, WAL included.
        let found = found_in_files(db, &needles(&all));
        (api, found)
    };
    let db = dir.path().join("sealed.db").to_str().unwrap().to_owned();
    let keys = [key("2026-11", 7)];
    let (api, found) = scenario(keyed(&db, &keys), &db);
    assert!(found.is_empty(), "in the clear: {found:?}");
    let key_bytes = [7u8; 32];
    let key_text = STANDARD.encode(key_bytes);
    let key_needles = [
        ("host key".to_owned(), key_bytes.to_vec()),
        ("host key".to_owned(), key_text.into_bytes()),
    ];
    assert!(
        found_in_files(&db, &key_needles).is_empty(),
        "the host key is in the file"
    );
    drop(api);
    // The same scan finds them in a store without keys: it would see a leak.
    let plain = dir.path().join("plain.db").to_str().unwrap().to_owned();
    let (_api, found) = scenario(json!({"database": plain}), &plain);
    assert!(found.len() > 12, "the scan finds nothing: {found:?}");
}

#[test]
fn rotation_then_dropping_the_old_key_keeps_every_user_signing_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rotate.db").to_str().unwrap().to_owned();
    let (old, new) = (key("2026-05", 1), key("2026-11", 2));
    let mut users = {
        let api = Api::new(keyed(&db, std::slice::from_ref(&old)));
        api.set_time(T);
        enrol(&api, 23)
    };
    {
        // Some users keep show-once recovery codes.
        let mut config = keyed(&db, std::slice::from_ref(&old));
        config["recovery_codes"] = json!("hashed");
        let api = Api::new(config);
        api.set_time(T);
        users.extend(enrol(&api, 4));
    }
    // The new key before the old has re-sealed everything: refused, naming the old.
    let e = Api::try_new(keyed(&db, std::slice::from_ref(&new)))
        .err()
        .unwrap();
    assert_eq!(error_type(&e), "encryption_key_mismatch", "{e}");
    assert!(
        e["error_message"].as_str().unwrap().contains("2026-05"),
        "{e}"
    );

    let api = Api::new(keyed(&db, &[new.clone(), old.clone()]));
    api.set_time(T);
    everyone_signs_in(&api, &mut users[..5], T + 30);
    assert_eq!(rewrap_all(&api, 7), 27, "each TOTP re-sealed once");
    assert_eq!(rewrap_all(&api, 7), 0, "a second pass has nothing to do");
    drop(api);
    assert!(
        sealers(&db).iter().all(|s| s == "2026-11"),
        "{:?}",
        sealers(&db)
    );

    // The old key is gone; every user still signs in.
    let api = Api::new(keyed(&db, std::slice::from_ref(&new)));
    everyone_signs_in(&api, &mut users, T + 90);
    drop(api);
    // And the store no longer opens without the new key.
    let e = Api::try_new(keyed(&db, std::slice::from_ref(&old)))
        .err()
        .unwrap();
    assert!(
        e["error_message"].as_str().unwrap().contains("2026-11"),
        "{e}"
    );
}

#[test]
fn a_plaintext_store_migrates_by_rewrap() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plain.db").to_str().unwrap().to_owned();
    let mut users = {
        let api = Api::new(json!({"database": db}));
        api.set_time(T);
        enrol(&api, 9)
    };
    let k = key("first", 3);
    let api = Api::new(keyed(&db, std::slice::from_ref(&k)));
    // Readable before the rewrap...
    everyone_signs_in(&api, &mut users[..3], T + 30);
    assert_eq!(rewrap_all(&api, 4), 9);
    // ...and sealed after it.
    assert!(sealers(&db).iter().all(|s| s == "first"));
    everyone_signs_in(&api, &mut users, T + 90);
    assert!(found_in_files(&db, &needles(&users)).is_empty());
    drop(api);
    let e = Api::try_new(json!({"database": db})).err().unwrap();
    assert_eq!(error_type(&e), "encryption_key_mismatch", "{e}");

    // A plaintext value slipped in now (someone with write access to the
    // file, choosing a key they know) is refused, not used.
    let conn = Connection::open(&db).unwrap();
    let mut planted = vec![0u8];
    planted.extend_from_slice(&base32_bytes(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    conn.execute(
        "UPDATE totps SET secret = ?1 WHERE user_id = ?2",
        rusqlite::params![planted, users[0].user_id],
    )
    .unwrap();
    drop(conn);
    let api = Api::new(keyed(&db, &[k]));
    api.set_time(T + 150);
    let code = code_at("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", T + 150);
    let (status, body) = api.authenticate(&users[0].user_id, &code);
    assert_eq!(status, 500, "a planted plaintext key was used: {body}");
    assert!(
        body["error_message"]
            .as_str()
            .unwrap()
            .contains("unencrypted"),
        "{body}"
    );
}

/// The schema of the first release (`user_version` 1): the key as a bare
/// BLOB, the codes as TEXT.
const SCHEMA_1: &str = "
CREATE TABLE users (
    user_id TEXT PRIMARY KEY, external_id TEXT UNIQUE, first_name TEXT NOT NULL,
    middle_name TEXT NOT NULL, last_name TEXT NOT NULL, email_id TEXT, email TEXT,
    email_verified INTEGER NOT NULL, phone_id TEXT, phone_number TEXT,
    phone_verified INTEGER NOT NULL, trusted_metadata TEXT NOT NULL,
    untrusted_metadata TEXT NOT NULL, created_at INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL, lock_created_at INTEGER, lock_expires_at INTEGER
) STRICT;
CREATE TABLE totps (
    totp_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    secret BLOB NOT NULL, verified INTEGER NOT NULL, created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL, last_step INTEGER, recovery_codes TEXT NOT NULL
) STRICT;
CREATE INDEX totps_by_user ON totps(user_id, created_at);
PRAGMA user_version = 1;
";

const FIRST_SCHEMA_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const FIRST_SCHEMA_USER: &str = "user-test-6f1b5b8e-3c9a-4d1e-9b7a-2a1c0e5d4f3b";

/// A file of the first schema with one verified TOTP (codes `aaaa-bbbb-cccc`
/// and `dddd-eeee-ffff`), as the first release wrote it.
fn first_schema_file(dir: &Path) -> String {
    let db = dir.join("v1.db").to_str().unwrap().to_owned();
    let (secret, user_id) = (FIRST_SCHEMA_SECRET, FIRST_SCHEMA_USER);
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    conn.execute_batch(SCHEMA_1).unwrap();
    conn.execute(
        "INSERT INTO users VALUES (?1, NULL, '', '', '', NULL, NULL, 0, NULL, NULL, 0, '{}', '{}', ?2, 0, NULL, NULL)",
        rusqlite::params![user_id, T],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO totps VALUES ('totp-test-0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9', ?1, ?2, 1, ?3, ?3, NULL, 'aaaa-bbbb-cccc dddd-eeee-ffff')",
        rusqlite::params![user_id, base32_bytes(secret.as_bytes()), T],
    )
    .unwrap();
    drop(conn);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    db
}

#[test]
fn a_database_of_the_first_schema_is_upgraded_and_then_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let db = first_schema_file(dir.path());
    let (secret, user_id) = (FIRST_SCHEMA_SECRET, FIRST_SCHEMA_USER);
    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    assert_eq!(api.authenticate(user_id, &code_at(secret, T)).0, 200);
    assert_eq!(api.recover(user_id, "aaaa-bbbb-cccc").0, 200);
    let listed = api.listed_codes(user_id);
    assert_eq!(listed[0]["recovery_codes"], json!(["dddd-eeee-ffff"]));
    drop(api);
    let conn = Connection::open(&db).unwrap();
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 0x5354_5450, "the upgraded file is claimed");
    drop(conn);

    let api = Api::new(keyed(&db, &[key("k", 9)]));
    assert_eq!(rewrap_all(&api, 100), 1);
    api.set_time(T + 60);
    assert_eq!(api.authenticate(user_id, &code_at(secret, T + 60)).0, 200);
    let users = [Enrolled {
        user_id: user_id.into(),
        secret: secret.into(),
        codes: vec!["dddd-eeee-ffff".into()],
    }];
    assert!(found_in_files(&db, &needles(&users)).is_empty());
}

/// A file of the first schema whose users share an email (in another case)
/// and a phone number is refused, unchanged, until the host settles them.
#[test]
fn a_database_of_the_first_schema_with_shared_contacts_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = first_schema_file(dir.path());
    let conn = Connection::open(&db).unwrap();
    for (user_id, email, phone) in [
        ("ua", "Ann@Example.com", "+12025550101"),
        ("ub", "ann@example.COM", "+12025550101"),
    ] {
        conn.execute(
            "INSERT INTO users VALUES (?1, ?1, '', '', '', ?1, ?2, 0, ?1, ?3, 0, '{}', '{}', ?4, 0, NULL, NULL)",
            rusqlite::params![user_id, email, phone, T],
        )
        .unwrap();
    }
    drop(conn);
    let schema_of = || {
        let conn = Connection::open(&db).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE 'stytch_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (version, tables)
    };
    let e = Api::try_new(json!({"database": db})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    let message = e["error_message"].as_str().unwrap();
    assert!(
        message.contains("2 users share an email address")
            && message.contains("and 2 a phone number")
            && message.contains("ua, ub"),
        "{message}"
    );
    assert_eq!(schema_of(), (1, 0), "the file is as it was");

    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE users SET email = 'bob@example.com', phone_number = NULL WHERE user_id = 'ub'",
    )
    .unwrap();
    drop(conn);
    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    let (secret, user_id) = (FIRST_SCHEMA_SECRET, FIRST_SCHEMA_USER);
    assert_eq!(api.authenticate(user_id, &code_at(secret, T)).0, 200);
    let b = api.ok("GET", "/v1/users/ub", json!({}));
    assert_eq!(b["emails"][0]["email"], "bob@example.com", "{b}");
    api.fails(
        "POST",
        "/v1/users",
        json!({"email": "ANN@example.com"}),
        400,
        "duplicate_email",
    );
}

/// The first client to open a file of the first schema may bring keys: the
/// store has no record of how its values are kept, and they are plaintext.
#[test]
fn a_database_of_the_first_schema_opened_first_with_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = first_schema_file(dir.path());
    let (secret, user_id) = (FIRST_SCHEMA_SECRET, FIRST_SCHEMA_USER);
    let api = Api::new(keyed(&db, &[key("k", 9)]));
    api.set_time(T);
    assert_eq!(api.authenticate(user_id, &code_at(secret, T)).0, 200);
    assert_eq!(api.recover(user_id, "aaaa-bbbb-cccc").0, 200);
    assert_eq!(rewrap_all(&api, 100), 1);
    assert!(sealers(&db).iter().all(|s| s == "k"), "{:?}", sealers(&db));
    assert_eq!(api.authenticate_at(user_id, secret, T + 60).0, 200);
    assert_eq!(api.recover(user_id, "dddd-eeee-ffff").0, 200);
}

#[test]
fn a_wrong_key_fails_at_open_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wrong.db").to_str().unwrap().to_owned();
    {
        let api = Api::new(keyed(&db, &[key("k1", 1)]));
        api.set_time(T);
        enrol(&api, 3);
    }
    let before = std::fs::read(&db).unwrap();
    for (keys, names) in [
        (vec![key("k1", 66)], "k1"),
        (vec![key("k9", 9)], "k1"),
        (vec![], "k1"),
        (vec![key("k9", 9), key("k1", 66)], "k1"),
    ] {
        let config = match keys.is_empty() {
            true => json!({ "database": db }),
            false => keyed(&db, &keys),
        };
        let e = Api::try_new(config).err().unwrap();
        assert_eq!(error_type(&e), "encryption_key_mismatch", "{e}");
        let message = e["error_message"].as_str().unwrap();
        assert!(message.contains(names), "{message}");
        for k in &keys {
            assert!(
                !message.contains(k["key"].as_str().unwrap()),
                "the key is shown"
            );
        }
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{keys:?} changed the file"
        );
        assert!(!Path::new(&format!("{db}-wal")).exists());
    }
    // The right key, still.
    drop(Api::new(keyed(&db, &[key("k1", 1)])));
}

#[test]
fn a_sealed_value_moved_to_another_row_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("moved.db").to_str().unwrap().to_owned();
    let config = keyed(&db, &[key("k", 5)]);
    let api = Api::new(config.clone());
    api.set_time(T);
    let users = enrol(&api, 2);
    let (attacker, victim) = (&users[0], &users[1]);
    drop(api);
    // Someone who can write to the file copies their own sealed key and codes
    // into the victim's row, hoping to sign in as the victim with them.
    let conn = Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE totps SET secret = (SELECT secret FROM totps WHERE user_id = ?1),
                          recovery_codes = (SELECT recovery_codes FROM totps WHERE user_id = ?1)
         WHERE user_id = ?2",
        [&attacker.user_id, &victim.user_id],
    )
    .unwrap();
    drop(conn);
    let api = Api::new(config);
    api.set_time(T);
    let (status, body) = api.authenticate(&victim.user_id, &code_at(&attacker.secret, T));
    assert_eq!(status, 500, "{body}");
    assert!(
        body["error_message"]
            .as_str()
            .unwrap()
            .contains("does not authenticate"),
        "{body}"
    );
    let (status, _) = api.recover(&victim.user_id, &attacker.codes[0]);
    assert_eq!(status, 500);
    // The attacker's own row is untouched.
    assert_eq!(
        api.authenticate(&attacker.user_id, &code_at(&attacker.secret, T))
            .0,
        200
    );
}

#[test]
fn hashed_recovery_codes_are_shown_once_and_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hashed.db").to_str().unwrap().to_owned();
    for database in [db.as_str(), ":memory:"] {
        let mut config = keyed(database, &[key("k", 8)]);
        config["recovery_codes"] = json!("hashed");
        let api = Api::new(config);
        api.set_time(T);
        let (user_id, totp) = api.enrolled_user();
        let codes = totp["recovery_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 10, "shown at enrolment");
        let listed = api.listed_codes(&user_id);
        assert_eq!(listed[0]["recovery_codes"], json!([]), "and never again");
        let code = codes[4].as_str().unwrap();
        assert_eq!(api.recover(&user_id, &code.to_uppercase()).0, 200);
        assert_eq!(api.recover(&user_id, code).0, 401, "used up");
        assert_eq!(api.recover(&user_id, codes[5].as_str().unwrap()).0, 200);
    }
    let e = Api::try_new(json!({"database": ":memory:", "recovery_codes": "hashed"}))
        .err()
        .unwrap();
    assert_eq!(error_type(&e), "invalid_config");
}

struct Provider {
    key: [u8; 32],
    calls: AtomicUsize,
}

unsafe extern "C" fn provide(kid: *const c_char, out: *mut u8, context: *mut c_void) -> bool {
    let provider = unsafe { &*(context as *const Provider) };
    provider.calls.fetch_add(1, Ordering::SeqCst);
    let kid = unsafe { CStr::from_ptr(kid) }.to_str().unwrap();
    if kid != "hsm-1" {
        return false;
    }
    unsafe { ptr::copy_nonoverlapping(provider.key.as_ptr(), out, 32) };
    true
}

fn open_with_provider(config: &Value, provider: &Provider) -> Result<Api, Value> {
    let config = cstr(&config.to_string());
    let context = provider as *const Provider as *mut c_void;
    let mut err = ptr::null_mut();
    let client = unsafe {
        stytch_client_new_with_key_provider(config.as_ptr(), Some(provide), context, &mut err)
    };
    Api::opened(client, err)
}

#[test]
fn keys_can_come_from_a_host_key_provider() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hsm.db").to_str().unwrap().to_owned();
    let provider = Provider {
        key: [4; 32],
        calls: AtomicUsize::new(0),
    };
    let config = json!({"database": db, "encryption_keys": [{"id": "hsm-1"}]});
    let api = open_with_provider(&config, &provider).unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    api.set_time(T);
    let mut users = enrol(&api, 2);
    drop(api);
    // The same key given inline opens the same store.
    let api = Api::new(keyed(&db, &[key("hsm-1", 4)]));
    everyone_signs_in(&api, &mut users, T + 30);
    drop(api);
    // A provider without the key, and no provider at all: invalid_config.
    let unknown = json!({"database": db, "encryption_keys": [{"id": "other"}]});
    let e = open_with_provider(&unknown, &provider).err().unwrap();
    assert_eq!(error_type(&e), "invalid_config", "{e}");
    let e = Api::try_new(config).err().unwrap();
    assert_eq!(error_type(&e), "invalid_config", "{e}");
}

#[test]
fn rewrap_needs_keys_and_a_batch_size() {
    let api = Api::memory();
    let (mut n, mut err) = (7u64, ptr::null_mut());
    assert!(!unsafe { stytch_client_rewrap(api.client, 10, Some(&mut n), &mut err) });
    assert_eq!(take_error(err)["error_type"], "invalid_config");
    let api = Api::new(keyed(":memory:", &[key("k", 1)]));
    assert!(!unsafe { stytch_client_rewrap(api.client, 0, Some(&mut n), &mut err) });
    assert_eq!(take_error(err)["error_type"], "bad_request");
    assert!(!unsafe { stytch_client_rewrap(None, 10, Some(&mut n), &mut err) });
    assert_eq!(take_error(err)["error_type"], "bad_request");
    assert_eq!(n, 7, "nothing written on failure");
    assert!(unsafe { stytch_client_rewrap(api.client, 10, None, ptr::null_mut()) });
}
