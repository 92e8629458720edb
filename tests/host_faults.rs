//! A store that survives host faults: one test per fault a host really has,
//! each on the SQLite store and, where the fault can reach it, on the
//! in-memory one. (Encryption at rest: `at_rest.rs`.)
//!
//! 1 files private · 2 clock jumps · 3 concurrent first opens · 4 read-only
//! files · 5 one acceptance per code value · 6 re-entrant clocks · 7 secrets
//! left in the WAL · 8 echoed input · 9 symbolic links · 10 foreign files ·
//! 11 fork · 12 abandoned enrolments · 13 external_ids that are paths · 14 one
//! lockout policy per store.

mod common;

use common::*;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::ffi::c_void;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use stytch_totp::ffi::*;
use stytch_totp::otp::CodeGenerator;

const T: i64 = 1_700_000_010;
const YEAR_2100: i64 = 4_102_444_800;
const ROLE: &str = "STYTCH_TOTP_FAULTS_ROLE";

/// Runs `test` on a SQLite file in a fresh directory and on a memory store.
fn on_both_stores(test: impl Fn(&dyn Fn(Value) -> Api)) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("faults.db").to_str().unwrap().to_owned();
    test(&|extra| Api::new(with(json!({"database": db}), extra)));
    test(&|extra| Api::new(with(json!({"database": ":memory:"}), extra)));
}

/// `base` with the keys of `extra` added.
fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn error_type(body: &Value) -> &str {
    body["error_type"].as_str().unwrap_or("")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn db_path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

// 1. Private files ----------------------------------------------------------

#[test]
fn f01_the_database_and_its_companions_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_path(dir.path(), "private.db");
    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    api.enrolled_user();
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{db}{suffix}"));
        assert_eq!(mode(&path), 0o600, "{suffix} has mode {:o}", mode(&path));
    }
    drop(api);
    // A file others can read is refused, with what to do about it.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = Api::try_new(json!({"database": db})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(
        e["error_message"].as_str().unwrap().contains("chmod 600"),
        "{e}"
    );
}

// 2. Clock jumps ---------------------------------------------------------------

#[test]
fn f02_a_clock_that_jumped_ahead_does_not_lock_users_out_for_the_jump() {
    on_both_stores(|open| {
        let api = open(json!({}));
        let (user_id, secret, _) = api.verified_user(T);
        // The host clock jumps to 2100; the user's correct codes now look wrong.
        api.set_time(YEAR_2100);
        for i in 0..10 {
            let (status, _) = api.authenticate(&user_id, &code_at(&secret, T + 30 * (i + 1)));
            assert_eq!(status, 401);
        }
        let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
        assert_eq!(user["lock_expires_at"], "2100-01-01T01:00:00Z");
        // The clock is corrected. The lock keeps at most its own hour...
        let corrected = T + 600;
        let (status, _) = api.authenticate_at(&user_id, &secret, corrected);
        assert_eq!(status, 429);
        let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
        assert_eq!(user["lock_expires_at"], "2023-11-14T23:23:30Z", "{user}");
        // ...and an hour later the user signs in again.
        let (status, body) = api.authenticate_at(&user_id, &secret, corrected + 3600);
        assert_eq!(status, 200, "{body}");
    });
}

#[test]
fn f02_a_pending_totp_created_during_a_jump_expires_on_time() {
    on_both_stores(|open| {
        let api = open(json!({}));
        api.set_time(YEAR_2100);
        let (user_id, totp) = api.pending_user(5);
        let secret = secret_of(&totp).to_owned();
        api.set_time(T);
        // Still listed in its five minutes from now...
        let listed = api.listed_codes(&user_id);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        // ...and expired a day later.
        let (status, body) = api.authenticate_at(&user_id, &secret, T + 86_400);
        assert_eq!((status, error_type(&body)), (400, "expired_totp"), "{body}");
    });
}

#[test]
fn f02_a_step_accepted_under_a_clock_far_ahead_is_undone_by_a_recovery_code() {
    on_both_stores(|open| {
        let api = open(json!({}));
        // The user's authenticator shared the wrong clock.
        let (user_id, secret, totp) = api.verified_user(YEAR_2100);
        let (status, body) = api.authenticate_at(&user_id, &secret, T);
        assert_eq!(
            (status, error_type(&body)),
            (400, "totp_code_already_authenticated")
        );
        // A recovery code, a second factor, lifts that block...
        let code = totp["recovery_codes"][0].as_str().unwrap();
        assert_eq!(api.recover(&user_id, code).0, 200);
        // ...for the codes after the current window (which stays refused).
        let (status, _) = api.authenticate(&user_id, &code_at(&secret, T));
        assert_eq!(status, 400);
        let (status, body) = api.authenticate_at(&user_id, &secret, T + 60);
        assert_eq!(status, 200, "{body}");
    });
}

// 3. Concurrent first opens --------------------------------------------------

#[test]
fn f03_processes_opening_a_new_database_at_once_all_succeed() {
    const ROUNDS: usize = 120;
    const OPENERS: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let db = db_path(dir.path(), &format!("first-{round}.db"));
        let barrier = Arc::new(Barrier::new(OPENERS));
        let openers: Vec<_> = (0..OPENERS)
            .map(|_| {
                let (db, barrier) = (db.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Api::try_new(json!({"database": db})).map(drop)
                })
            })
            .collect();
        failures.extend(openers.into_iter().filter_map(|t| t.join().unwrap().err()));
    }
    assert!(
        failures.is_empty(),
        "{} of {} opens failed, e.g. {}",
        failures.len(),
        ROUNDS * OPENERS,
        failures[0]
    );
}

// 4. Read-only files -------------------------------------------------------------

/// Runs the child `role` of this test binary as the account `nobody` when
/// this process is root (root may write to any file), else as this account.
fn run_unprivileged(test: &str, dir: &Path) {
    use std::os::unix::process::CommandExt;
    let mut command = child_command(test, ROLE, dir.to_str().unwrap().to_owned());
    if unsafe { libc::geteuid() } == 0 {
        let nobody = 65534;
        std::os::unix::fs::chown(dir, Some(nobody), Some(nobody)).unwrap();
        command.uid(nobody).gid(nobody);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn f04_a_read_only_database_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    run_unprivileged("f04_child", dir.path());
}

#[test]
#[ignore]
fn f04_child() {
    let Ok(dir) = std::env::var(ROLE) else {
        return;
    };
    let db = db_path(Path::new(&dir), "ro.db");
    drop(Api::new(json!({"database": db})));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let e = Api::try_new(json!({"database": db})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(
        e["error_message"].as_str().unwrap().contains("read-only"),
        "{e}"
    );
}

// 5. One acceptance per code value ---------------------------------------------

/// A time at which two steps of the window share `secret`'s code: the
/// middle of the lower step, from `T` on.
fn time_of_a_repeated_code(secret: &str) -> i64 {
    let generator = CodeGenerator::from_base32(secret).unwrap();
    let first = T / 30 + 10;
    let mut previous = generator.code_at_step(first);
    for step in first + 1..first + 100_000_000 {
        let code = generator.code_at_step(step);
        if code == previous {
            return (step - 1) * 30 + 15;
        }
        previous = code;
    }
    panic!("no repeated code in 100 million steps");
}

#[test]
fn f05_a_code_that_is_the_code_of_two_steps_is_accepted_once() {
    on_both_stores(|open| {
        let api = open(json!({}));
        let (user_id, secret, _) = api.verified_user(T);
        let when = time_of_a_repeated_code(&secret);
        assert_eq!(code_at(&secret, when), code_at(&secret, when + 30));
        api.set_time(when);
        let code = code_at(&secret, when);
        assert_eq!(api.authenticate(&user_id, &code).0, 200);
        let (status, body) = api.authenticate(&user_id, &code);
        assert_eq!(
            (status, error_type(&body)),
            (400, "totp_code_already_authenticated"),
            "one code value accepted twice"
        );
    });
}

// 6. A clock that calls back into the library ------------------------------------

struct ReentrantClock {
    client: Option<&'static stytch_client>,
    path: std::ffi::CString,
    time: i64,
    inside: AtomicBool,
    calls_back: AtomicBool,
}

unsafe extern "C" fn reentrant_now(context: *mut c_void) -> i64 {
    let clock = unsafe { &*(context as *const ReentrantClock) };
    if !clock.inside.swap(true, Ordering::SeqCst) {
        // Once per outer call: look the user up through the same client.
        let (method, body) = (cstr("GET"), cstr("{}"));
        let out = unsafe {
            stytch_call(
                clock.client,
                method.as_ptr(),
                clock.path.as_ptr(),
                body.as_ptr(),
            )
        };
        let body = take_string(out);
        assert!(body.contains("\"status_code\":200"), "{body}");
        clock.calls_back.store(true, Ordering::SeqCst);
        clock.inside.store(false, Ordering::SeqCst);
    }
    clock.time
}

#[test]
fn f06_a_clock_callback_may_call_back_into_the_library() {
    on_both_stores(|open| {
        let api = Arc::new(open(json!({})));
        api.set_time(T);
        let (user_id, totp) = api.enrolled_user();
        let secret = secret_of(&totp).to_owned();
        let clock = Box::leak(Box::new(ReentrantClock {
            client: api.client,
            path: cstr(&format!("/v1/users/{user_id}")),
            time: T,
            inside: AtomicBool::new(false),
            calls_back: AtomicBool::new(false),
        }));
        let context = clock as *mut ReentrantClock as *mut c_void;
        unsafe { stytch_client_set_clock(api.client, Some(reentrant_now), context) };
        let (done, finished) = std::sync::mpsc::channel();
        let worker = api.clone();
        std::thread::spawn(move || {
            done.send(worker.authenticate(&user_id, &code_at(&secret, T)))
                .ok();
        });
        let (status, body) = finished
            .recv_timeout(Duration::from_secs(30))
            .expect("a clock calling back into the library deadlocked the client");
        assert_eq!(status, 200, "{body}");
        assert!(clock.calls_back.load(Ordering::SeqCst));
        unsafe { stytch_client_set_clock(api.client, None, std::ptr::null_mut()) };
    });
}

// 7. Secrets left in the WAL ------------------------------------------------------

fn file_holds(path: &str, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

#[test]
fn f07_removed_secrets_do_not_stay_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_path(dir.path(), "wal.db");
    let wal = format!("{db}-wal");
    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let secret = base32_bytes(secret_of(&totp).as_bytes());
    let used = totp["recovery_codes"][3].as_str().unwrap().to_owned();
    // Without encryption keys the values are in the clear, so a leftover shows.
    assert!(file_holds(&wal, &secret) || file_holds(&db, &secret));
    assert_eq!(api.recover(&user_id, &used).0, 200);
    api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
    // The WAL is emptied at most once a second, after a transaction.
    std::thread::sleep(Duration::from_millis(1100));
    api.call("GET", &format!("/v1/users/{user_id}"), &json!({}));
    for path in [&db, &wal] {
        assert!(!file_holds(path, &secret), "{path} holds a deleted key");
        assert!(
            !file_holds(path, used.as_bytes()),
            "{path} holds a used code"
        );
    }
}

// 8. Echoed input ----------------------------------------------------------------

#[test]
fn f08_errors_do_not_echo_paths_or_unknown_keys() {
    on_both_stores(|open| {
        let api = open(json!({}));
        let secret_ish = "abcd-efgh-ijkl";
        let (_, body) = api.call(
            "POST",
            &format!("/v1/totps/recover/{secret_ish}"),
            &json!({}),
        );
        assert_eq!(error_type(&body), "route_not_found");
        let (_, odd) = api.call(&format!("POST{secret_ish}"), "/v1/users", &json!({}));
        let (_, key) = api.call(
            "POST",
            "/v1/users",
            &json!({ secret_ish: "x", "email": "a@b.co" }),
        );
        let long_key = "g".repeat(32);
        let (_, long) = api.call("POST", "/v1/users", &json!({ &long_key: 1 }));
        for body in [&body, &odd, &key] {
            assert!(!body.to_string().contains(secret_ish), "{body}");
            assert!(!body.to_string().contains("ijkl"), "{body}");
        }
        assert!(!long.to_string().contains(&long_key), "{long}");
        // A plain field name is still named.
        let (_, named) = api.call("POST", "/v1/users", &json!({"emial": "a@b.co"}));
        assert!(
            named["error_message"]
                .as_str()
                .unwrap()
                .contains("\"emial\"")
        );
    });
}

// 9. Symbolic links --------------------------------------------------------------

#[test]
fn f09_symbolic_links_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let real = db_path(dir.path(), "real.db");
    drop(Api::new(json!({"database": real})));
    let link = db_path(dir.path(), "link.db");
    symlink(&real, &link).unwrap();
    let e = Api::try_new(json!({"database": link})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(
        e["error_message"]
            .as_str()
            .unwrap()
            .contains("symbolic link")
    );
    // A dangling link: nothing is created where it points.
    let target = dir.path().join("elsewhere.db");
    let dangling = db_path(dir.path(), "dangling.db");
    symlink(&target, &dangling).unwrap();
    let e = Api::try_new(json!({"database": dangling})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(
        !target.exists(),
        "the database was created through the link"
    );
}

// 10. Foreign files ----------------------------------------------------------------

fn foreign_file(dir: &Path, name: &str, tables: &str) -> (String, Vec<u8>) {
    let path = db_path(dir, name);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(tables).unwrap();
    drop(conn);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

#[test]
fn f10_another_applications_database_is_refused_unless_shared() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before) = foreign_file(
        dir.path(),
        "app.db",
        "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');",
    );
    let e = Api::try_new(json!({"database": path})).err().unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(
        e["error_message"]
            .as_str()
            .unwrap()
            .contains("share_database")
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file was changed"
    );

    // Shared on purpose: this library's tables go beside the host's.
    let api = Api::new(json!({"database": path, "share_database": true}));
    api.set_time(T);
    api.enrolled_user();
    drop(api);
    let conn = Connection::open(&path).unwrap();
    let notes: String = conn
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, "mine");
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 0, "a shared file was claimed");
    drop(conn);
    // ...but never onto a table of the host's with one of its names.
    let (clash, _) = foreign_file(dir.path(), "clash.db", "CREATE TABLE users (name TEXT);");
    let e = Api::try_new(json!({"database": clash, "share_database": true}))
        .err()
        .unwrap();
    assert_eq!(error_type(&e), "database_refused", "{e}");
    assert!(e["error_message"].as_str().unwrap().contains("users"));
}

// 11. fork() -------------------------------------------------------------------------

#[test]
fn f11_a_client_used_in_a_forked_child_fails_clearly() {
    on_both_stores(|open| {
        let api = open(json!({}));
        api.set_time(T);
        let (user_id, _) = api.enrolled_user();
        let path = format!("/v1/users/{user_id}");
        let got = in_forked_child(
            || api.call("GET", &path, &json!({})).1.to_string(),
            Duration::from_secs(20),
        );
        let body: Value = serde_json::from_str(&got.expect("the child hung")).unwrap();
        assert_eq!(error_type(&body), "client_used_after_fork", "{body}");
        // The parent's client is unharmed.
        api.ok("GET", &path, json!({}));
    });
}

#[test]
fn f11_a_fork_while_another_thread_is_inside_a_call_does_not_hang_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_path(dir.path(), "fork.db");
    let api = Arc::new(Api::new(json!({"database": db})));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let code = code_at(secret_of(&totp), T);
    // Another process holds the write lock: a thread's call waits inside the
    // client, holding its connection.
    let blocker = Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let inside = {
        let (api, user_id) = (api.clone(), user_id.clone());
        std::thread::spawn(move || api.authenticate(&user_id, &code).0)
    };
    std::thread::sleep(Duration::from_millis(300));
    let path = format!("/v1/users/{user_id}");
    let got = in_forked_child(
        || api.call("GET", &path, &json!({})).1.to_string(),
        Duration::from_secs(5),
    );
    blocker.execute_batch("COMMIT").unwrap();
    assert_eq!(inside.join().unwrap(), 200);
    let body: Value = serde_json::from_str(&got.expect("the child hung")).unwrap();
    assert_eq!(error_type(&body), "client_used_after_fork", "{body}");
}

// 12. Abandoned enrolments -----------------------------------------------------------

#[test]
fn f12_expired_pending_totps_are_purged() {
    on_both_stores(|open| {
        let api = open(json!({}));
        api.set_time(T);
        let (user_id, totp) = api.pending_user(5);
        let secret = secret_of(&totp).to_owned();
        let expiry = T + 300;
        // Expired, it answers so for a day...
        let (status, body) = api.authenticate_at(&user_id, &secret, expiry + 3600);
        assert_eq!((status, error_type(&body)), (400, "expired_totp"), "{body}");
        // ...then it is gone, key and codes with it.
        let (status, body) = api.authenticate_at(&user_id, &secret, expiry + 86_400 + 3600);
        assert_eq!(
            (status, error_type(&body)),
            (404, "totp_not_found"),
            "{body}"
        );
        // A new enrolment works as before.
        api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    });
}

#[test]
fn f12_purged_totps_leave_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_path(dir.path(), "purge.db");
    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    let (user_id, totp) = api.pending_user(5);
    let secret = base32_bytes(secret_of(&totp).as_bytes());
    api.set_time(T + 2 * 86_400);
    api.new_user();
    std::thread::sleep(Duration::from_millis(1100));
    api.call("GET", &format!("/v1/users/{user_id}"), &json!({}));
    let rows: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM totps", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    for path in [db.clone(), format!("{db}-wal")] {
        assert!(!file_holds(&path, &secret), "{path} holds a purged key");
    }
}

// 13. external_ids that are paths ----------------------------------------------------

#[test]
fn f13_an_external_id_can_never_change_the_route() {
    on_both_stores(|open| {
        let api = open(json!({}));
        let victim = api.create_user(json!({"external_id": "teamAb", "email": fresh_email()}));
        let totp = api.ok("POST", "/v1/totps", json!({"user_id": victim}));
        let totp_id = totp["totp_id"].as_str().unwrap();
        for bad in [
            "team%41b",
            &format!("totps/{totp_id}"),
            "a/b",
            "a b",
            "..",
            "é",
        ] {
            let body = api.fails(
                "POST",
                "/v1/users",
                json!({ "external_id": bad }),
                400,
                "bad_request",
            );
            assert!(
                body["error_message"]
                    .as_str()
                    .unwrap()
                    .contains("external_id must be")
            );
        }
        // The victim and its TOTP are untouched.
        let user = api.ok("GET", "/v1/users/teamAb", json!({}));
        assert_eq!(user["totps"].as_array().unwrap().len(), 1);
        api.create_user(json!({"external_id": "crm-42.x_Y", "email": fresh_email()}));
    });
}

// 14. One lockout policy per store ---------------------------------------------------

#[test]
fn f14_clients_of_one_store_share_one_lockout_policy() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_path(dir.path(), "policy.db");
    let strict = json!({"database": db, "lockout": {"max_failures": 3, "duration_minutes": 30}});
    let first = Api::new(strict.clone());
    first.set_time(T);
    // A laxer client is refused, naming both policies...
    let lax = json!({"database": db, "lockout": {"max_failures": 100, "duration_minutes": 5}});
    let e = Api::try_new(lax).err().unwrap();
    assert_eq!(error_type(&e), "lockout_policy_mismatch", "{e}");
    let message = e["error_message"].as_str().unwrap();
    assert!(
        message.contains("100") && message.contains("30"),
        "{message}"
    );
    // ...a client without a policy adopts the store's.
    let adopter = Api::new(json!({"database": db}));
    adopter.set_time(T);
    let (user_id, _) = adopter.enrolled_user();
    for _ in 0..3 {
        assert_eq!(adopter.authenticate(&user_id, "000000").0, 401);
    }
    let user = adopter.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(
        user["lock_expires_at"], "2023-11-14T22:43:30Z",
        "30 minutes: {user}"
    );
    // The operator changes it once, for every client at once.
    let mut err = std::ptr::null_mut();
    assert!(unsafe { stytch_client_set_lockout_policy(first.client, 5, 60, &mut err) });
    adopter.set_time(T + 3600);
    for _ in 0..4 {
        assert_eq!(adopter.authenticate(&user_id, "000000").0, 401);
    }
    assert_eq!(adopter.authenticate(&user_id, "000000").0, 401);
    assert_eq!(adopter.authenticate(&user_id, "000000").0, 429);
    assert!(
        Api::try_new(strict).is_err(),
        "the old policy is refused now"
    );
    drop(Api::new(
        json!({"database": db, "lockout": {"max_failures": 5}}),
    ));
    // Out of range: refused, nothing changed.
    assert!(!unsafe { stytch_client_set_lockout_policy(first.client, 0, 60, &mut err) });
    assert_eq!(take_error(err)["error_type"], "bad_request");
}

#[test]
fn f14_an_in_memory_store_keeps_its_policy_too() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 2}}));
    api.set_time(T);
    let (user_id, _) = api.enrolled_user();
    let mut err = std::ptr::null_mut();
    assert!(unsafe { stytch_client_set_lockout_policy(api.client, 4, 5, &mut err) });
    for _ in 0..4 {
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    }
    assert_eq!(api.authenticate(&user_id, "000000").0, 429);
}
