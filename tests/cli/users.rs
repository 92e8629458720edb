//! `users get|delete|unlock` and `totps list|delete` on an SQLite file, each
//! checked through the library afterwards.

use crate::harness::*;
use stytch_totp::engine::Client;

const KEYS: &[(&str, &[u8; 32])] = &[("k1", &KEY_A)];

fn keys_env() -> String {
    keys_json(KEYS)
}

#[test]
fn users_get_shows_the_user_as_text_or_as_stytchs_body() {
    let (_dir, path) = scratch();
    let client = Client::new(config(&path, KEYS)).unwrap();
    let ada = enrol(&client, Some("crm-42"));
    drop(client);
    let env = [("STYTCH_TOTP_KEYS", keys_env())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let text = run_with(&["users", "get", &ada.user_id, "--store", &path], &env, "").expect(0);
    for expected in [
        ada.user_id.as_str(),
        "crm-42",
        "@example.com (unverified)",
        "locked       no",
        &format!("{}  verified", ada.totp_id),
    ] {
        assert!(
            text.stdout.contains(expected),
            "{expected:?} in\n{}",
            text.stdout
        );
    }
    let text = text.hides(&ada.secret);

    // By external_id, as JSON: the engine's GetResponse, user fields at the top.
    let body = run_with(
        &["users", "get", "crm-42", "--store", &path, "--json"],
        &env,
        "",
    )
    .expect(0)
    .json();
    assert_eq!(body["status_code"], 200);
    assert_eq!(body["user_id"], ada.user_id);
    assert_eq!(body["is_locked"], false);
    assert_eq!(body["totps"][0]["totp_id"], ada.totp_id);
    assert!(!text.stdout.contains(&ada.recovery_codes[0]));
}

#[test]
fn an_unknown_user_is_exit_3_and_a_malformed_id_exit_2() {
    let (_dir, path) = scratch();
    sqlite_store(&path, &[], 1);
    let run1 = run(&[
        "users",
        "get",
        "user-test-5d0b3a9e-0000-4000-8000-000000000000",
        "--store",
        &path,
    ])
    .expect(3);
    assert!(
        run1.stderr.contains("User could not be found"),
        "{}",
        run1.stderr
    );
    let body = run(&["users", "unlock", "nobody", "--store", &path, "--json"])
        .expect(3)
        .json();
    assert_eq!(body["error_type"], "user_not_found");
    assert_eq!(body["status_code"], 404);
    run(&["users", "delete", "user-test-not-a-uuid", "--store", &path]).expect(2);
    run(&["totps", "list", "nobody", "--store", &path]).expect(3);
}

#[test]
fn users_delete_removes_the_user_and_its_totps() {
    let (_dir, path) = scratch();
    let users = sqlite_store(&path, &[], 2);
    let body = run(&[
        "users",
        "delete",
        &users[0].user_id,
        "--store",
        &path,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(body["user_id"], users[0].user_id);
    let client = Client::new(config(&path, &[])).unwrap();
    assert_eq!(
        client.get_user(&users[0].user_id).unwrap_err().error_type,
        "user_not_found"
    );
    client.get_user(&users[1].user_id).unwrap();
    drop(client);
    run(&["users", "delete", &users[0].user_id, "--store", &path]).expect(3);
}

#[test]
fn users_unlock_lets_a_locked_out_user_sign_in_again() {
    let (_dir, path) = scratch();
    let client = Client::new(config(&path, KEYS)).unwrap();
    let ada = enrol(&client, None);
    for _ in 0..LOCKOUT.max_failures {
        client
            .authenticate_totp(&ada.user_id, "000000")
            .unwrap_err();
    }
    let now = client.now().unwrap();
    let locked = client
        .authenticate_totp(&ada.user_id, &code(&ada.secret, now))
        .unwrap_err();
    assert_eq!(locked.error_type, "user_lock_limit_reached");
    let keys = keys_env();
    let env = [("STYTCH_TOTP_KEYS", keys.as_str())];
    let shown = run_with(&["users", "get", &ada.user_id, "--store", &path], &env, "").expect(0);
    assert!(
        shown.stdout.contains("locked       yes, since"),
        "{}",
        shown.stdout
    );

    let run1 = run_with(
        &["users", "unlock", &ada.user_id, "--store", &path],
        &env,
        "",
    )
    .expect(0);
    assert!(run1.stdout.contains("lifted its lock"), "{}", run1.stdout);
    client
        .authenticate_totp(&ada.user_id, &code(&ada.secret, now))
        .unwrap();

    let body = run_with(
        &["users", "unlock", &ada.user_id, "--store", &path, "--json"],
        &env,
        "",
    )
    .expect(0)
    .json();
    assert_eq!(body["was_locked"], false);
    assert_eq!(body["user"]["is_locked"], false);
}

#[test]
fn totps_list_and_delete_let_a_user_enrol_again() {
    let (_dir, path) = scratch();
    let users = sqlite_store(&path, &[], 2);
    let ada = &users[0];
    let listed = run(&["totps", "list", &ada.user_id, "--store", &path]).expect(0);
    assert_eq!(listed.stdout, format!("{}  verified\n", ada.totp_id));
    let body = run(&["totps", "list", &ada.user_id, "--store", &path, "--json"])
        .expect(0)
        .json();
    assert_eq!(body["totps"][0]["verified"], true);

    // Another user's TOTP is not this user's to delete.
    let other = &users[1].totp_id;
    run(&["totps", "delete", &ada.user_id, other, "--store", &path]).expect(3);
    let body = run(&[
        "totps",
        "delete",
        &ada.user_id,
        &ada.totp_id,
        "--store",
        &path,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(body["deleted_totp_ids"][0], ada.totp_id);
    assert_eq!(body["user"]["totps"].as_array().unwrap().len(), 0);

    let client = Client::new(config(&path, &[])).unwrap();
    assert!(client.get_user(&ada.user_id).unwrap().user.totps.is_empty());
    let other_user = client.get_user(&users[1].user_id).unwrap().user;
    assert_eq!(other_user.totps[0].totp_id, users[1].totp_id);
    // Enrolling again works: the verified TOTP is gone.
    client.create_totp(&ada.user_id, None).unwrap();
    drop(client);
    // All of a user's TOTPs; then there is none left to delete.
    run(&["totps", "delete", &users[1].user_id, "--store", &path]).expect(0);
    let run1 = run(&["totps", "delete", &users[1].user_id, "--store", &path]).expect(3);
    assert!(run1.stderr.contains("no TOTP"), "{}", run1.stderr);
    let run2 = run(&["totps", "list", &users[1].user_id, "--store", &path]).expect(0);
    assert!(run2.stdout.contains("has no TOTP"));
}

#[test]
fn without_a_store_or_with_a_missing_file_nothing_is_created() {
    let (dir, path) = scratch();
    let run1 = run(&["users", "get", "x"]).expect(2);
    assert!(run1.stderr.contains("--store"), "{}", run1.stderr);
    let run2 = run(&["users", "get", "x", "--store", &path, "--json"]).expect(4);
    assert_eq!(run2.json()["error_type"], "store_not_found");
    assert!(!std::path::Path::new(&path).exists());
    // The store from the environment, as from --store.
    sqlite_store(&path, &[], 1);
    run_with(
        &["users", "get", "nobody"],
        &[("STYTCH_TOTP_STORE", &path)],
        "",
    )
    .expect(3);
    drop(dir);
}

#[test]
fn an_unreachable_server_is_exit_4_and_its_password_is_never_printed() {
    for args in [
        &["users", "get", "nobody", "--store", UNREACHABLE_PG][..],
        &[
            "totps",
            "list",
            "nobody",
            "--store",
            UNREACHABLE_PG,
            "--json",
        ],
        &["keys", "check", "--store", UNREACHABLE_PG],
    ] {
        let run = run(args).expect(4).hides("hunter2");
        assert!(!run.stderr.is_empty());
    }
}
