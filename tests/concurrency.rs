//! Atomic check-and-update: many threads on one client, many processes on one
//! database file, and durability across `kill -9`.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Barrier};

const T: i64 = 1_700_000_010;
const WORKERS: usize = 8;
/// Set in a child process: which role to play (see `child_process`).
const ROLE: &str = "STYTCH_TOTP_TEST_ROLE";

/// Runs `attempt` on `WORKERS` threads at once; returns the statuses.
fn race(api: &Arc<Api>, attempt: impl Fn(&Api) -> u16 + Send + Sync + 'static) -> Vec<u16> {
    let barrier = Arc::new(Barrier::new(WORKERS));
    let attempt = Arc::new(attempt);
    let threads: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (api, barrier, attempt) = (api.clone(), barrier.clone(), attempt.clone());
            std::thread::spawn(move || {
                barrier.wait();
                attempt(&api)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// The status of each child's first attempt.
fn first_statuses(results: &[Value]) -> Vec<u16> {
    results
        .iter()
        .map(|r| r["statuses"][0].as_u64().unwrap() as u16)
        .collect()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

fn lockout_config(db: Value, max_failures: usize) -> Value {
    json!({"database": db, "lockout": {"max_failures": max_failures, "duration_minutes": 5}})
}

/// After `failures` counted failures (one fewer than the limit), one more must lock.
fn assert_exactly_one_failure_left(api: &Api, user_id: &str) {
    assert_eq!(
        api.authenticate(user_id, "000000").0,
        401,
        "the limit was reached early: a failure was double-counted"
    );
    assert_eq!(
        api.authenticate(user_id, "000000").0,
        429,
        "no lock: a failure count was lost"
    );
}

fn threads_on_one_client(database: Value) {
    let failures = WORKERS * 3;
    let api = Arc::new(Api::new(lockout_config(database, failures + 1)));
    let (user_id, secret) = {
        api.set_time(T);
        let (user_id, totp) = api.enrolled_user();
        (user_id, secret_of(&totp).to_owned())
    };
    let code = code_at(&secret, T);
    let (u, c) = (user_id.clone(), code.clone());
    let statuses = race(&api, move |api| api.authenticate(&u, &c).0);
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 400), WORKERS - 1, "{statuses:?}");

    let u = user_id.clone();
    let statuses = race(&api, move |api| {
        (0..3)
            .map(|_| api.authenticate(&u, "000000").0)
            .max()
            .unwrap()
    });
    assert_eq!(statuses, vec![401; WORKERS]);
    assert_exactly_one_failure_left(&api, &user_id);

    // One recovery code raced by every thread: one winner, the rest counted failures.
    let api = Arc::new(Api::memory());
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let recovery = totp["recovery_codes"][0].as_str().unwrap().to_owned();
    let statuses = race(&api, move |api| api.recover(&user_id, &recovery).0);
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 401), WORKERS - 1, "{statuses:?}");
}

#[test]
fn threads_share_one_memory_client() {
    threads_on_one_client(json!(":memory:"));
}

#[test]
fn threads_share_one_sqlite_client() {
    let dir = tempfile::tempdir().unwrap();
    threads_on_one_client(json!(dir.path().join("threads.db").to_str().unwrap()));
}

/// Starts this test binary as a child playing `role` with `args`.
fn spawn_child(role: &str, args: &[&str]) -> std::process::Child {
    child_command(
        "child_process",
        ROLE,
        format!("{role}\t{}", args.join("\t")),
    )
    .stdout(Stdio::piped())
    .spawn()
    .unwrap()
}

/// Reads the child's result line (`RESULT <json>`), ignoring libtest's chatter.
fn result_line(child: &mut std::process::Child) -> Value {
    let stdout = BufReader::new(child.stdout.as_mut().unwrap());
    for line in stdout.lines() {
        if let Some(json) = line.unwrap().strip_prefix("RESULT ") {
            return serde_json::from_str(json).unwrap();
        }
    }
    panic!("the child printed no result");
}

/// Runs `WORKERS` children that start their attempts at the same moment.
fn run_children(role: &str, args: &[&str]) -> Vec<Value> {
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 1000;
    let start = start.to_string();
    let args = [args, &[start.as_str()]].concat();
    let mut children: Vec<_> = (0..WORKERS).map(|_| spawn_child(role, &args)).collect();
    let results = children.iter_mut().map(result_line).collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    results
}

#[test]
fn processes_share_one_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("processes.db");
    let db = db.to_str().unwrap();
    let failures = WORKERS * 3;
    let api = Api::new(lockout_config(json!(db), failures + 1));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let code = code_at(secret_of(&totp), T);

    let results = run_children("authenticate", &[db, &user_id, &code]);
    let statuses = first_statuses(&results);
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 400), WORKERS - 1, "{statuses:?}");

    let results = run_children("authenticate", &[db, &user_id, "000000,000000,000000"]);
    for r in &results {
        assert_eq!(r["statuses"], json!([401, 401, 401]), "{r}");
    }
    assert_exactly_one_failure_left(&api, &user_id);

    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    let (user_id, totp) = api.enrolled_user();
    let recovery2 = totp["recovery_codes"][1].as_str().unwrap();
    let results = run_children("recover", &[db, &user_id, recovery2]);
    let statuses = first_statuses(&results);
    assert_eq!(count(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count(&statuses, 401), WORKERS - 1, "{statuses:?}");
}

#[test]
fn processes_creating_one_email_or_phone_number_have_one_winner() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unique.db");
    let db = db.to_str().unwrap();
    drop(Api::new(json!({ "database": db })));
    for (field, value, refusal) in [
        ("email", "Race@Example.com", "duplicate_email"),
        ("phone_number", "+12025550123", "duplicate_phone_number"),
    ] {
        let results = run_children("create_user", &[db, field, value]);
        let statuses = first_statuses(&results);
        assert_eq!(count(&statuses, 200), 1, "{results:?}");
        for r in results.iter().filter(|r| r["statuses"][0] != 200) {
            assert_eq!(r["error_type"], refusal, "{r}");
        }
    }
    let api = Api::new(json!({ "database": db }));
    let found = api.ok("POST", "/v1/users/search", json!({}));
    assert_eq!(found["results_metadata"]["total"], 2, "{found}");
}

#[test]
fn committed_calls_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("durable.db");
    let db = db.to_str().unwrap();
    let mut child = spawn_child("enrol_then_hang", &[db]);
    let result = result_line(&mut child);
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let api = Api::new(json!({"database": db}));
    api.set_time(T);
    let user_id = result["user_id"].as_str().unwrap();
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(
        user["totps"],
        json!([{"totp_id": result["totp_id"], "verified": true}])
    );
    // The accepted step was stored: its code is a replay now.
    let (status, body) = api.authenticate(user_id, result["code"].as_str().unwrap());
    assert_eq!(
        (status, body["error_type"].as_str()),
        (400, Some("totp_code_already_authenticated"))
    );
}

/// Child-process roles, selected by the `ROLE` environment variable. Not a test
/// of its own: ignored unless a test above starts it.
#[test]
#[ignore]
fn child_process() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let args: Vec<&str> = role.split('\t').collect();
    match args.as_slice() {
        ["authenticate" | "recover", db, user_id, codes, start_ms] => {
            let api = Api::new(lockout_config(json!(db), WORKERS * 3 + 1));
            api.set_time(T);
            wait_until(start_ms.parse().unwrap());
            let statuses: Vec<u16> = codes
                .split(',')
                .map(|code| match args[0] {
                    "authenticate" => api.authenticate(user_id, code).0,
                    _ => api.recover(user_id, code).0,
                })
                .collect();
            println!("RESULT {}", json!({"statuses": statuses}));
        }
        ["create_user", db, field, value, start_ms] => {
            let api = Api::new(json!({ "database": db }));
            // Half the processes write the email in upper case: the same address.
            let value = match std::process::id() % 2 {
                0 => value.to_uppercase(),
                _ => value.to_string(),
            };
            let body = match *field {
                "email" => json!({ "email": value }),
                _ => json!({ "phone_number": value, "email": fresh_email() }),
            };
            wait_until(start_ms.parse().unwrap());
            let (status, body) = api.call("POST", "/v1/users", &body);
            let result = json!({"statuses": [status], "error_type": body["error_type"]});
            println!("RESULT {result}");
        }
        ["enrol_then_hang", db] => {
            let api = Api::new(json!({"database": db}));
            api.set_time(T);
            let (user_id, totp) = api.enrolled_user();
            let code = code_at(secret_of(&totp), T);
            assert_eq!(api.authenticate(&user_id, &code).0, 200);
            println!(
                "RESULT {}",
                json!({"user_id": user_id, "totp_id": totp["totp_id"], "code": code})
            );
            std::thread::sleep(std::time::Duration::from_secs(600));
        }
        other => panic!("unknown role {other:?}"),
    }
}

fn wait_until(epoch_ms: u128) {
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        if now >= epoch_ms {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
