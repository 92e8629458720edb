//! The PostgreSQL server goes away in the middle of a load run (a fast
//! shutdown, then an immediate one, i.e. a crash) and comes back, while app
//! processes keep calling:
//!
//! - calls during the outage get 503 `database_unavailable`, quickly, and
//!   change nothing;
//! - every result acknowledged before, during or after is in the database;
//!   no code and no recovery code is accepted twice;
//! - the same app processes carry on once the server is back.
//!
//! Restarts its server, so it needs `tests/pg/with-postgres.sh` (`make test-rust`).

mod common;

use common::crash::say;
use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROLE: &str = "STYTCH_TOTP_OUTAGE_ROLE";
const PROCESSES: usize = 4;
const THREADS: usize = 2;
const T: i64 = 1_700_000_010;
/// How long the server stays down each time.
const OUTAGE: Duration = Duration::from_millis(1500);

/// What the app processes reported.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    ok: usize,
    unavailable: usize,
}

struct App {
    child: Child,
    reader: std::thread::JoinHandle<()>,
}

fn start_apps(config: &Value, report: &Arc<Mutex<Report>>) -> Vec<App> {
    (0..PROCESSES)
        .map(|p| {
            let mut child = child_command("child", ROLE, format!("{config}\t{p}"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            let report = report.clone();
            let reader = std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let line = line.unwrap();
                    let mut report = report.lock().unwrap();
                    if line.starts_with("OK ") {
                        report.ok += 1;
                    } else if line.starts_with("UNAVAILABLE ") {
                        report.unavailable += 1;
                    }
                    report.lines.push(line);
                }
            });
            App { child, reader }
        })
        .collect()
}

/// Waits until the apps have acknowledged `more` results beyond the current count.
fn wait_for_progress(report: &Arc<Mutex<Report>>, more: usize, what: &str) {
    let target = report.lock().unwrap().ok + more;
    let deadline = Instant::now() + Duration::from_secs(60);
    while report.lock().unwrap().ok < target {
        assert!(
            Instant::now() < deadline,
            "the apps made no progress {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A call from a client created before the outage, while the server is down.
fn call_during_outage(api: &Api, external_id: &str) {
    let started = Instant::now();
    let body = json!({"external_id": external_id, "email": fresh_email()});
    let (status, body) = api.call("POST", "/v1/users", &body);
    assert_eq!(
        (status, body["error_type"].as_str()),
        (503, Some("database_unavailable")),
        "{body}"
    );
    let message = body["error_message"].as_str().unwrap();
    assert!(message.contains("database is unavailable"), "{message}");
    // Refused at once (connection refused), not after connect_timeout_ms (30 s here).
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn server_restarts_mid_load_lose_and_repeat_nothing() {
    let schema = pg::fresh_schema("outage");
    let config = pg::config(
        &schema,
        json!({"postgres": {"schema": schema, "connect_timeout_ms": 30000}}),
    );
    let api = Api::new(config.clone());
    api.set_time(T);
    let report = Arc::new(Mutex::new(Report::default()));
    let apps = start_apps(&config, &report);
    wait_for_progress(&report, 40, "at the start");

    for (stop, n) in [("stop-fast", 1), ("stop-immediate", 2)] {
        pg::ctl(&[stop]);
        let down = Instant::now();
        call_during_outage(&api, &format!("during-outage-{n}"));
        std::thread::sleep(OUTAGE.saturating_sub(down.elapsed()));
        pg::ctl(&["start"]);
        wait_for_progress(&report, 40, &format!("after the {stop} restart"));
        // The refused call changed nothing.
        api.fails(
            "GET",
            &format!("/v1/users/during-outage-{n}"),
            json!({}),
            404,
            "user_not_found",
        );
    }

    for mut app in apps {
        drop(app.child.stdin.take());
        let status = app.child.wait().unwrap();
        app.reader.join().unwrap();
        assert!(status.success(), "an app process failed: {status}");
    }
    let report = report.lock().unwrap();
    assert!(
        report.unavailable > 0,
        "no app call met the outage: {} acknowledged",
        report.ok
    );
    check_acknowledged(&api, &schema, &report.lines);
    println!(
        "2 restarts under load: {} results acknowledged, {} calls refused with 503 \
         database_unavailable; nothing lost, nothing accepted twice",
        report.ok, report.unavailable
    );
    pg::drop_schema(&schema);
}

/// Every acknowledged result is stored, and no code is accepted twice.
fn check_acknowledged(api: &Api, schema: &str, lines: &[String]) {
    let mut db = pg::admin();
    let users = pg::user_ids(&mut db, schema);
    let (mut accepted, mut recovered) = (0, 0);
    for line in lines {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields.as_slice() {
            ["OK", "user", user] => assert!(users.contains(*user), "user {user} lost"),
            ["OK", "totp", user, totp_id] => {
                let found = db
                    .query_opt(
                        &format!(
                            "SELECT 1 FROM {schema}.totps WHERE totp_id = $1 AND user_id = $2"
                        ),
                        &[totp_id, user],
                    )
                    .unwrap();
                assert!(found.is_some(), "TOTP {totp_id} lost");
            }
            ["OK", "authenticate", user, code] => {
                accepted += 1;
                let (status, body) = api.authenticate(user, code);
                assert_eq!(
                    (status, body["error_type"].as_str()),
                    (400, Some("totp_code_already_authenticated")),
                    "code of {user} accepted twice or its step lost: {body}"
                );
            }
            ["OK", "recover", user, code] => {
                recovered += 1;
                let (status, body) = api.recover(user, code);
                assert_eq!(
                    status, 401,
                    "recovery code of {user} accepted twice: {body}"
                );
            }
            ["UNAVAILABLE", ..] | ["STARTED"] => {}
            _ => {}
        }
    }
    assert!(accepted > 0 && recovered > 0, "{accepted} {recovered}");
}

/// An app process: `THREADS` threads enrolling users, authenticating and
/// recovering until stdin closes. Prints `OK …` for each acknowledged result,
/// `UNAVAILABLE …` for each 503; any other error ends it with a failure.
#[test]
#[ignore]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let (config, process) = role.split_once('\t').unwrap();
    let api = Arc::new(Api::new(serde_json::from_str(config).unwrap()));
    api.set_time(T);
    let stop = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (api, stop, process) = (api.clone(), stop.clone(), process.to_owned());
            std::thread::spawn(move || app_thread(&api, &stop, &format!("{process}-{t}")))
        })
        .collect();
    // Runs until the parent closes stdin.
    for _ in std::io::stdin().lines() {}
    stop.store(1, Ordering::Relaxed);
    for thread in threads {
        thread.join().unwrap();
    }
}

/// The body of a successful call, or None after a 503 (reported).
fn acknowledged(what: &str, (status, body): (u16, Value)) -> Option<Value> {
    match (status, body["error_type"].as_str()) {
        (200, _) => Some(body),
        (503, Some("database_unavailable")) => {
            say(&format!("UNAVAILABLE {what}"));
            // As a client would: not hammering a server that is away.
            std::thread::sleep(Duration::from_millis(5));
            None
        }
        _ => panic!("{what}: {body}"),
    }
}

fn app_thread(api: &Api, stop: &AtomicUsize, name: &str) {
    for i in 0.. {
        if stop.load(Ordering::Relaxed) != 0 {
            return;
        }
        let body = json!({"external_id": format!("app-{name}-{i}"), "email": fresh_email()});
        let Some(user) = acknowledged("user", api.call("POST", "/v1/users", &body)) else {
            continue;
        };
        let user_id = user["user_id"].as_str().unwrap();
        say(&format!("OK user {user_id}"));
        let body = json!({"user_id": user_id});
        let Some(totp) = acknowledged("totp", api.call("POST", "/v1/totps", &body)) else {
            continue;
        };
        say(&format!(
            "OK totp {user_id} {}",
            totp["totp_id"].as_str().unwrap()
        ));
        let code = code_at(secret_of(&totp), T);
        if acknowledged("authenticate", api.authenticate(user_id, &code)).is_some() {
            say(&format!("OK authenticate {user_id} {code}"));
        }
        let recovery = totp["recovery_codes"][0].as_str().unwrap();
        if acknowledged("recover", api.recover(user_id, recovery)).is_some() {
            say(&format!("OK recover {user_id} {recovery}"));
        }
    }
}
