//! Secrets and recovery codes never show: not in an error message (whatever
//! the caller sends, secrets included), not in the `Debug` output of records and
//! responses, not on stdout or stderr. (That they do not stay in freed memory
//! is `secret_memory.rs`.)

mod common;

use common::*;
use serde_json::{Value, json};
use stytch_totp::Client;
use stytch_totp::engine::CreateUserRequest;
use stytch_totp::store::{Access, SqliteStore, Store};

const T: i64 = 1_700_000_010;
const ROLE: &str = "STYTCH_TOTP_HYGIENE_ROLE";

fn secrets_of(totp: &Value) -> Vec<String> {
    let mut s = vec![secret_of(totp).to_owned()];
    s.extend(
        totp["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned()),
    );
    s
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    let lower = text.to_ascii_lowercase();
    for s in secrets {
        assert!(
            !lower.contains(&s.to_ascii_lowercase()),
            "{what} shows a secret: {text}"
        );
        let undashed = s.replace('-', "").to_ascii_lowercase();
        assert!(!lower.contains(&undashed), "{what} shows a secret: {text}");
    }
}

/// Every error path, fed the secret and the codes in every field.
fn provoke_errors(api: &Api, user_id: &str, secrets: &[String]) -> usize {
    let mut errors = 0;
    let mut check = |(status, body): (u16, Value)| {
        if status != 200 {
            errors += 1;
            assert_clean("an error body", &body.to_string(), secrets);
        }
    };
    let secret = &secrets[0];
    let code = &secrets[1];
    let upper = code.to_ascii_uppercase();
    for value in [
        secret.as_str(),
        code.as_str(),
        &upper,
        &code.replace('-', ""),
    ] {
        check(api.authenticate(user_id, value));
        check(api.authenticate(value, "123456"));
        check(api.recover(user_id, &format!("{value}x")));
        check(api.recover(value, code));
        check(api.call("POST", "/v1/totps", &json!({"user_id": value})));
        check(api.call(
            "POST",
            "/v1/totps",
            &json!({"user_id": user_id, "expiration_minutes": value}),
        ));
        check(api.call(
            "POST",
            "/v1/totps/recovery_codes",
            &json!({"user_id": value}),
        ));
        check(api.call("POST", "/v1/users", &json!({"email": value})));
        check(api.call("POST", "/v1/users", &json!({"phone_number": value})));
        check(api.call("POST", "/v1/users", &json!({"trusted_metadata": value})));
        check(api.call(
            "POST",
            "/v1/totps/authenticate",
            &json!({"user_id": user_id, "totp_code": value, "session_jwt": value}),
        ));
        check(api.call(
            "POST",
            "/v1/totps/authenticate",
            &json!({"user_id": user_id, "totp_code": [value]}),
        ));
        check(api.call(
            "POST",
            "/v1/totps/recover",
            &json!({"user_id": user_id, "recovery_code": {"v": value}}),
        ));
        check(api.call("DELETE", "/v1/users/totps/x", &json!({"x": value})));
        check(api.call("GET", "/v1/users/x", &json!({"v": value})));
    }
    // A malformed body around a secret: the parser's message must not quote it.
    for body in [
        format!(r#"{{"user_id":"{user_id}","recovery_code":"{code}"#),
        format!(r#"{{"user_id":"{user_id}","totp_code":{secret}}}"#),
        format!(r#"{{"user_id":"{user_id}","recovery_code":"{code}",}}"#),
    ] {
        let (m, p, b) = (cstr("POST"), cstr("/v1/totps/recover"), cstr(&body));
        let out = take_string(unsafe {
            stytch_totp::ffi::stytch_call(api.client, m.as_ptr(), p.as_ptr(), b.as_ptr())
        });
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["status_code"], 400, "{v}");
        errors += 1;
        assert_clean("a JSON parse error", &out, secrets);
    }
    errors
}

#[test]
fn error_messages_never_show_secrets() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 100}}));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let secrets = secrets_of(&totp);
    let errors = provoke_errors(&api, &user_id, &secrets);
    assert!(errors > 60, "{errors}");
    // Locked out, the same holds.
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 1}}));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    provoke_errors(&api, &user_id, &secrets_of(&totp));
}

fn with_email(email: &str) -> CreateUserRequest {
    CreateUserRequest {
        email: Some(email.to_owned()),
        ..CreateUserRequest::default()
    }
}

#[test]
fn debug_output_never_shows_secrets() {
    let client = Client::from_config_json(Some(r#"{"database":":memory:"}"#)).unwrap();
    client.set_time(T).unwrap();
    let user = client.create_user(&with_email("ada@example.com")).unwrap();
    let created = client.create_totp(&user.user_id, None).unwrap();
    let secrets: Vec<String> = std::iter::once(created.secret.expose().to_owned())
        .chain(created.recovery_codes.iter().map(|c| c.expose().to_owned()))
        .collect();
    assert_clean(
        "Debug of the create response",
        &format!("{created:?} {created:#?}"),
        &secrets,
    );
    let listing = client.recovery_codes(&user.user_id).unwrap();
    assert_clean(
        "Debug of the recovery codes response",
        &format!("{listing:?}"),
        &secrets,
    );
    let code = code_at(&secrets[0], T);
    let auth = client.authenticate_totp(&user.user_id, &code).unwrap();
    assert_clean(
        "Debug of the authenticate response",
        &format!("{auth:?}"),
        &secrets,
    );
    let recovered = client.recover(&user.user_id, &secrets[1]).unwrap();
    assert_clean(
        "Debug of the recover response",
        &format!("{recovered:?}"),
        &secrets,
    );
    let err = client.recover(&user.user_id, &secrets[1]).unwrap_err();
    assert_clean(
        "Debug and Display of an error",
        &format!("{err:?} {err}"),
        &secrets,
    );
    // Stored records, read back from a database file.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("debug.db");
    let json = format!(r#"{{"database":{:?}}}"#, db.to_str().unwrap());
    let file_client = Client::from_config_json(Some(&json)).unwrap();
    file_client.set_time(T).unwrap();
    let user = file_client
        .create_user(&with_email("ada@example.com"))
        .unwrap();
    let created = file_client.create_totp(&user.user_id, None).unwrap();
    let file_secrets: Vec<String> = std::iter::once(created.secret.expose().to_owned())
        .chain(created.recovery_codes.iter().map(|c| c.expose().to_owned()))
        .collect();
    let store = SqliteStore::open(db.to_str().unwrap()).unwrap();
    let mut printed = String::new();
    store
        .transaction(Access::Read, &mut |tx| {
            let records = tx.totps_of_user(&user.user_id)?;
            assert_eq!(records.len(), 1);
            printed = format!("{records:?} {records:#?} {:?}", tx.user(&user.user_id)?);
            Ok(())
        })
        .unwrap();
    assert_clean("Debug of a stored TOTP", &printed, &file_secrets);
    assert_clean(
        "Debug of a parsed recovery code",
        &format!("{:?}", stytch_totp::otp::parse_recovery_code(&secrets[1])),
        &secrets,
    );
}

#[test]
fn nothing_is_written_to_stdout_or_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let secrets_file = dir.path().join("secrets.json");
    let output = child_command(
        "child",
        ROLE,
        format!(
            "{}\t{}",
            dir.path().join("h.db").display(),
            secrets_file.display()
        ),
    )
    .output()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let secrets: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&secrets_file).unwrap()).unwrap();
    assert!(secrets.len() >= 22, "the child covered both stores");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_clean("stdout", &stdout, &secrets);
    assert_clean("stderr", &stderr, &secrets);
    // Only libtest's own lines: the library prints nothing at all.
    for line in stdout.lines().chain(stderr.lines()) {
        let line = line.trim();
        assert!(
            line.is_empty()
                || line.starts_with("running ")
                || line.starts_with("test result")
                || line.starts_with('.')
                || line.starts_with("test "),
            "unexpected output: {line:?}"
        );
    }
}

/// Runs every operation, errors and a panic-free lockout included, on a
/// SQLite and a memory client; writes the secrets to a file, never to a stream.
#[test]
#[ignore]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let (db, out) = role.split_once('\t').unwrap();
    let mut all = Vec::new();
    for database in [db, ":memory:"] {
        let api = Api::new(json!({"database": database, "lockout": {"max_failures": 3}}));
        api.set_time(T);
        let (user_id, totp) = api.enrolled_user();
        let secrets = secrets_of(&totp);
        api.ok(
            "POST",
            "/v1/totps/recovery_codes",
            json!({"user_id": user_id}),
        );
        api.authenticate(&user_id, &code_at(&secrets[0], T));
        api.recover(&user_id, &secrets[1]);
        provoke_errors(&api, &user_id, &secrets);
        api.ok(
            "DELETE",
            &format!("/v1/users/totps/{}", totp["totp_id"].as_str().unwrap()),
            json!({}),
        );
        api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
        all.extend(secrets);
    }
    std::fs::write(out, serde_json::to_string(&all).unwrap()).unwrap();
}
