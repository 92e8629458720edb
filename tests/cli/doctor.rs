//! `doctor`: each check passes on a healthy store and fails, with a non-zero
//! exit, on what it checks for.

use crate::harness::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

const KEYS: &[(&str, &[u8; 32])] = &[("k1", &KEY_A)];

/// The status of each check by name.
fn statuses(body: &Value) -> Vec<(String, String)> {
    body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn status<'a>(list: &'a [(String, String)], name: &str) -> &'a str {
    &list.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn a_healthy_store_passes_every_check() {
    let (_dir, path) = scratch();
    sqlite_store(&path, KEYS, 3);
    let keys = keys_json(KEYS);
    let env = [("STYTCH_TOTP_KEYS", keys.as_str())];
    let run = run_with(&["doctor", "--store", &path], &env, "")
        .expect(0)
        .hides(&base64(&KEY_A));
    for line in [
        "PASS  files",
        "PASS  open",
        "PASS  schema     version 4",
        "PASS  integrity  ok (3 users, 3 TOTPs)",
        "PASS  keys",
    ] {
        assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
    }
    assert!(run.stdout.contains(&format!("{path} 0600")));
    let body = run_with(&["doctor", "--store", &path, "--json"], &env, "")
        .expect(0)
        .json();
    assert_eq!(body["ok"], true);
    let list = statuses(&body);
    assert_eq!(list.len(), 5);
    assert!(list.iter().all(|(_, s)| s == "pass"), "{list:?}");
    assert_eq!(body["survey"]["users"], 3);
    assert_eq!(body["keys"]["keys"][0]["state"], "matches");
}

#[test]
fn a_file_open_to_others_fails_files_and_open() {
    let (_dir, path) = scratch();
    sqlite_store(&path, &[], 1);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let body = run(&["doctor", "--store", &path, "--json"])
        .expect(1)
        .json();
    let list = statuses(&body);
    assert_eq!(status(&list, "files"), "fail");
    assert_eq!(status(&list, "open"), "fail");
    assert!(
        body["checks"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("0644")
    );
    assert_eq!(body["ok"], false);
}

#[test]
fn a_wrong_or_missing_key_fails_the_key_check_without_showing_a_key() {
    let (_dir, path) = scratch();
    sqlite_store(&path, KEYS, 1);
    let wrong = keys_json(&[("k1", &KEY_B)]);
    let run1 = run_with(
        &["doctor", "--store", &path],
        &[("STYTCH_TOTP_KEYS", &wrong)],
        "",
    )
    .expect(1)
    .hides(&base64(&KEY_B))
    .hides(&base64(&KEY_A));
    assert!(run1.stdout.contains("FAIL  keys"), "{}", run1.stdout);
    assert!(run1.stdout.contains("k1"), "{}", run1.stdout);
    // No key at all, for a store whose values are sealed under k1.
    let run2 = run(&["doctor", "--store", &path]).expect(1);
    assert!(run2.stdout.contains("missing keys: k1"), "{}", run2.stdout);
    // A store without keys, checked without keys: nothing to check.
    let (_dir2, plain) = scratch();
    sqlite_store(&plain, &[], 1);
    let run3 = run(&["doctor", "--store", &plain]).expect(0);
    assert!(run3.stdout.contains("skip  keys"), "{}", run3.stdout);
}

#[test]
fn a_damaged_file_fails_the_integrity_check() {
    let (_dir, path) = scratch();
    let client = stytch_totp::engine::Client::new(config(&path, &[])).unwrap();
    for _ in 0..300 {
        enrol(&client, None);
    }
    drop(client);
    // Overwrite a page in the middle of the file (page 1 holds the schema).
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 20 * 4096, "{} bytes", bytes.len());
    bytes[10 * 4096..11 * 4096].fill(0x5a);
    std::fs::write(&path, bytes).unwrap();
    let body = run(&["doctor", "--store", &path, "--json"])
        .expect(1)
        .json();
    assert_eq!(status(&statuses(&body), "integrity"), "fail", "{body}");
    assert_eq!(body["ok"], false);
    let detail = body["checks"][3]["detail"].as_str().unwrap();
    assert!(detail.contains("malformed"), "{detail}");
}

/// A file of schema 3 whose users share an email cannot be upgraded: `open`
/// fails with the library's message, naming the count, the users and the fix,
/// and the file keeps its schema.
#[test]
fn a_store_whose_users_share_an_email_fails_open_naming_them() {
    let (_dir, path) = scratch();
    let users = sqlite_store(&path, &[], 2);
    let version = || -> String {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT CAST(value AS TEXT) FROM stytch_totp_meta \
                 WHERE key = 'sqlite_schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "DROP INDEX users_by_email; DROP INDEX users_by_phone_number; \
         UPDATE stytch_totp_meta SET value = CAST('3' AS BLOB) \
         WHERE key = 'sqlite_schema_version'; \
         UPDATE users SET email = upper(email);",
    )
    .unwrap();
    db.execute(
        "UPDATE users SET email = (SELECT lower(email) FROM users WHERE user_id = ?1) \
         WHERE user_id = ?2",
        [&users[0].user_id, &users[1].user_id],
    )
    .unwrap();
    drop(db);
    let run = run(&["doctor", "--store", &path]).expect(1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("FAIL  open"))
        .unwrap_or_else(|| panic!("no failed open in\n{}", run.stdout));
    for says in [
        "2 users share an email address",
        "and 0 a phone number",
        &users[0].user_id,
        &users[1].user_id,
        "stytch-totp users delete",
    ] {
        assert!(line.contains(says), "{says:?} in {line}");
    }
    assert_eq!(version(), "3");
}

#[test]
fn a_missing_file_or_an_unreachable_server_is_exit_4() {
    let (_dir, path) = scratch();
    let body = run(&["doctor", "--store", &path, "--json"])
        .expect(4)
        .json();
    assert_eq!(status(&statuses(&body), "files"), "fail");
    assert!(
        !std::path::Path::new(&path).exists(),
        "doctor created the file"
    );
    let run = run(&["doctor", "--store", UNREACHABLE_PG])
        .expect(4)
        .hides("hunter2");
    assert!(run.stdout.contains("FAIL  open"), "{}", run.stdout);
    assert!(run.stdout.contains("the PostgreSQL server"));
}

#[test]
fn the_in_memory_store_is_checked_as_far_as_it_goes() {
    let run = run(&["doctor", "--store", ":memory:"]).expect(0);
    assert!(run.stdout.contains("skip  files"), "{}", run.stdout);
    assert!(run.stdout.contains("PASS  open"));
    assert!(run.stdout.contains("skip  schema"));
}
