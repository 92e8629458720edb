//! `keys check|rotate`: the keys from the environment or a private file,
//! never printed; a rotation leaves every user signing in with the new key alone.

use crate::harness::*;
use stytch_totp::engine::Client;

#[test]
fn keys_check_tells_a_fitting_key_from_a_wrong_one() {
    let (dir, path) = scratch();
    sqlite_store(&path, &[("k1", &KEY_A)], 2);
    let keys_file = file(
        dir.path(),
        "keys.json",
        &keys_json(&[("k1", &KEY_A)]),
        0o600,
    );
    let keys_file = keys_file.to_str().unwrap();
    let run1 = run(&["keys", "check", "--store", &path, "--keys-file", keys_file])
        .expect(0)
        .hides(&base64(&KEY_A));
    assert!(
        run1.stdout.contains("key k1 (active): matches the store"),
        "{}",
        run1.stdout
    );
    assert!(
        run1.stdout.contains("TOTPs: 2 (2 under k1); 0 to re-seal"),
        "{}",
        run1.stdout
    );

    let wrong = keys_json(&[("k1", &KEY_B)]);
    let run2 = run_with(
        &["keys", "check", "--store", &path, "--json"],
        &[("STYTCH_TOTP_KEYS", &wrong)],
        "",
    )
    .expect(5)
    .hides(&base64(&KEY_B));
    assert_eq!(run2.json()["keys"][0]["state"], "mismatch");
    // Without the key the store's values are sealed under.
    let other = keys_json(&[("k2", &KEY_B)]);
    let run3 = run_with(
        &["keys", "check", "--store", &path],
        &[("STYTCH_TOTP_KEYS", &other)],
        "",
    )
    .expect(5);
    assert!(run3.stdout.contains("missing keys: k1"), "{}", run3.stdout);
}

#[test]
fn keys_are_refused_from_an_open_file_twice_given_or_malformed() {
    let (dir, path) = scratch();
    sqlite_store(&path, &[], 1);
    let open = file(
        dir.path(),
        "keys.json",
        &keys_json(&[("k1", &KEY_A)]),
        0o644,
    );
    let run1 = run(&[
        "keys",
        "check",
        "--store",
        &path,
        "--keys-file",
        open.to_str().unwrap(),
    ])
    .expect(2);
    assert!(run1.stderr.contains("chmod 600"), "{}", run1.stderr);
    let private = file(
        dir.path(),
        "private.json",
        &keys_json(&[("k1", &KEY_A)]),
        0o600,
    );
    let keys = keys_json(&[("k1", &KEY_A)]);
    run_with(
        &[
            "keys",
            "check",
            "--store",
            &path,
            "--keys-file",
            private.to_str().unwrap(),
        ],
        &[("STYTCH_TOTP_KEYS", &keys)],
        "",
    )
    .expect(2);
    // A key of the wrong length: the library's message, without the key.
    let short = format!(
        r#"[{{"id":"k1","key":"{}"}}]"#,
        base64(&KEY_A)[..20].to_owned()
    );
    let run2 = run_with(
        &["keys", "check", "--store", &path],
        &[("STYTCH_TOTP_KEYS", &short)],
        "",
    )
    .expect(2)
    .hides(&base64(&KEY_A)[..20]);
    assert!(
        run2.stderr.contains("encryption_keys[0].key"),
        "{}",
        run2.stderr
    );
    let garbage = format!("[{{\"id\": \"k1\", \"key\": {}", base64(&KEY_A));
    run_with(
        &["keys", "check", "--store", &path],
        &[("STYTCH_TOTP_KEYS", &garbage)],
        "",
    )
    .expect(2)
    .hides(&base64(&KEY_A));
    // A configuration file with inline keys must be private too.
    let config = format!(r#"{{"encryption_keys": {keys}}}"#);
    let config = file(dir.path(), "config.json", &config, 0o640);
    run(&[
        "keys",
        "check",
        "--store",
        &path,
        "--config",
        config.to_str().unwrap(),
    ])
    .expect(2);
}

#[test]
fn keys_rotate_reseals_everything_under_the_new_key() {
    let (_dir, path) = scratch();
    let users = sqlite_store(&path, &[("old", &KEY_A)], 7);
    let both = keys_json(&[("new", &KEY_B), ("old", &KEY_A)]);
    let env = [("STYTCH_TOTP_KEYS", both.as_str())];
    let check = run_with(&["keys", "check", "--store", &path, "--json"], &env, "")
        .expect(0)
        .json();
    assert_eq!(check["totps_to_reseal"], 7);
    assert_eq!(check["keys"][0]["state"], "new");

    let run1 = run_with(
        &["keys", "rotate", "--store", &path, "--batch", "3"],
        &env,
        "",
    )
    .expect(0)
    .hides(&base64(&KEY_A))
    .hides(&base64(&KEY_B));
    assert!(
        run1.stdout
            .contains("re-sealed 7 TOTP(s); every value is under key new"),
        "{}",
        run1.stdout
    );
    assert!(
        run1.stdout.contains("no longer in use: old"),
        "{}",
        run1.stdout
    );
    // No progress bar where stderr is not a terminal.
    assert!(run1.stderr.is_empty(), "{}", run1.stderr);

    // The new key alone opens the store; every user signs in with it.
    let client = Client::new(config(&path, &[("new", &KEY_B)])).unwrap();
    let now = client.now().unwrap();
    for user in &users {
        client
            .authenticate_totp(&user.user_id, &code(&user.secret, now))
            .unwrap();
        client
            .recover(&user.user_id, &user.recovery_codes[0])
            .unwrap();
    }
    let err = Client::new(config(&path, &[("old", &KEY_A)]))
        .err()
        .unwrap();
    assert_eq!(err.error_type, "encryption_key_mismatch");
    drop(client);

    // Again: nothing to re-seal.
    let body = run_with(&["keys", "rotate", "--store", &path, "--json"], &env, "")
        .expect(0)
        .json();
    assert_eq!(body["resealed"], 0);
    assert_eq!(body["report"]["totps_to_reseal"], 0);
}

#[test]
fn keys_rotate_needs_keys_that_fit() {
    let (_dir, path) = scratch();
    sqlite_store(&path, &[("old", &KEY_A)], 1);
    let run1 = run(&["keys", "rotate", "--store", &path]).expect(2);
    assert!(run1.stderr.contains("STYTCH_TOTP_KEYS"), "{}", run1.stderr);
    let wrong = keys_json(&[("new", &KEY_B), ("old", &KEY_B)]);
    let body = run_with(
        &["keys", "rotate", "--store", &path, "--json"],
        &[("STYTCH_TOTP_KEYS", &wrong)],
        "",
    )
    .expect(5)
    .hides(&base64(&KEY_B))
    .json();
    assert_eq!(body["error_type"], "encryption_key_mismatch");
}

#[test]
fn keys_rotate_draws_a_progress_bar_on_a_terminal() {
    let (_dir, path) = scratch();
    sqlite_store(&path, &[("old", &KEY_A)], 30);
    let both = keys_json(&[("new", &KEY_B), ("old", &KEY_A)]);
    // script(1) gives the command a terminal; its output is the terminal's.
    let command = format!(
        "{} keys rotate --store '{path}' --batch 1",
        env!("CARGO_BIN_EXE_stytch-totp")
    );
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("STYTCH_TOTP_KEYS", &both)
        .output()
        .expect("script(1) from util-linux");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("re-sealing TOTPs"),
        "no progress bar in {text:?}"
    );
    assert!(text.contains("re-sealed 30 TOTP(s)"), "{text}");
}
