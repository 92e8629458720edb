//! A fleet on one PostgreSQL database: 8 processes × 4 threads, each process
//! with its own client and connection pool, racing on one user.
//!
//! - one TOTP code, raced by all 32: exactly one 200, round after round;
//! - one recovery code: the same;
//! - wrong codes against a failure limit: every failure counted once;
//! - app processes killed with SIGKILL in the middle of writes, again and
//!   again: nothing acknowledged is lost, nothing is accepted twice.
//!
//! `STYTCH_TOTP_FLEET_ROUNDS` (default 30) and `STYTCH_TOTP_FLEET_KILLS`
//! (default 12) set the lengths (`make test-postgres-long` runs long forms).

mod common;

use common::crash::{Log, write_until_killed};
use common::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROLE: &str = "STYTCH_TOTP_FLEET_ROLE";
const PROCESSES: usize = 8;
const THREADS: usize = 4;
const T: i64 = 1_700_000_010;
/// Failures each thread sends in the counting race; the limit is one above all of them.
const FAILURES_PER_THREAD: usize = 3;
const MAX_FAILURES: usize = PROCESSES * THREADS * FAILURES_PER_THREAD + 1;

fn env_count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fleet_config(schema: &str) -> Value {
    pg::config(
        schema,
        json!({"lockout": {"max_failures": MAX_FAILURES, "duration_minutes": 5}}),
    )
}

/// A child process with its own client, taking orders line by line.
struct Member {
    child: Child,
    orders: ChildStdin,
    answers: BufReader<ChildStdout>,
}

impl Member {
    fn start(role: String) -> Member {
        let mut child = child_command("child", ROLE, role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        Member {
            orders: child.stdin.take().unwrap(),
            answers: BufReader::new(child.stdout.take().unwrap()),
            child,
        }
    }

    fn send(&mut self, order: &Value) {
        writeln!(self.orders, "{order}").unwrap();
        self.orders.flush().unwrap();
    }

    /// The next `RESULT` line, ignoring libtest's chatter.
    fn answer(&mut self) -> Value {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.answers.read_line(&mut line).unwrap() > 0,
                "a fleet member died"
            );
            if let Some(json) = line.trim_end().strip_prefix("RESULT ") {
                return serde_json::from_str(json).unwrap();
            }
        }
    }
}

/// Sends one order to every member at once; returns every thread's statuses.
fn all(fleet: &mut [Member], order: Value) -> Vec<Vec<u16>> {
    for member in fleet.iter_mut() {
        member.send(&order);
    }
    fleet
        .iter_mut()
        .flat_map(|m| {
            let answer = m.answer();
            serde_json::from_value::<Vec<Vec<u16>>>(answer["statuses"].clone()).unwrap()
        })
        .collect()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

#[test]
fn eight_processes_of_four_threads_share_one_state() {
    let rounds = env_count("STYTCH_TOTP_FLEET_ROUNDS", 30);
    let started = Instant::now();
    let schema = pg::fresh_schema("fleet");
    let config = fleet_config(&schema);
    let api = Api::new(config.clone());
    api.set_time(T);
    let mut fleet: Vec<Member> = (0..PROCESSES)
        .map(|_| Member::start(format!("race\t{config}")))
        .collect();

    for round in 0..rounds {
        let (user_id, totp) = api.enrolled_user();
        let code = code_at(secret_of(&totp), T);
        let statuses: Vec<u16> = all(
            &mut fleet,
            json!({"op": "authenticate", "user": user_id, "codes": [code]}),
        )
        .concat();
        assert_eq!(count(&statuses, 200), 1, "round {round}: {statuses:?}");
        assert_eq!(
            count(&statuses, 400),
            PROCESSES * THREADS - 1,
            "{statuses:?}"
        );

        let recovery = totp["recovery_codes"][round % 10].as_str().unwrap();
        let statuses: Vec<u16> = all(
            &mut fleet,
            json!({"op": "recover", "user": user_id, "codes": [recovery]}),
        )
        .concat();
        assert_eq!(count(&statuses, 200), 1, "round {round}: {statuses:?}");
        assert_eq!(
            count(&statuses, 401),
            PROCESSES * THREADS - 1,
            "{statuses:?}"
        );

        // Wrong codes from every thread, on a user with no failures yet: each
        // failure counted exactly once, so the limit is exactly one failure away.
        let (user_id, _) = api.enrolled_user();
        let statuses = all(
            &mut fleet,
            json!({"op": "authenticate", "user": user_id,
                   "codes": vec!["000000"; FAILURES_PER_THREAD]}),
        );
        for thread in &statuses {
            assert_eq!(thread, &vec![401; FAILURES_PER_THREAD], "round {round}");
        }
        assert_eq!(
            api.authenticate(&user_id, "000000").0,
            401,
            "round {round}: the limit came early: a failure was counted twice"
        );
        assert_eq!(
            api.authenticate(&user_id, "000000").0,
            429,
            "round {round}: no lock: a failure count was lost"
        );
    }
    for mut member in fleet {
        drop(member.orders);
        assert!(member.child.wait().unwrap().success());
    }
    println!(
        "{rounds} rounds of {PROCESSES} processes x {THREADS} threads in {:.1} s: \
         one winner for every code and recovery code, every failure counted once",
        started.elapsed().as_secs_f64()
    );
    pg::drop_schema(&schema);
}

/// Checks the database as the next process would find it after the kill.
fn check_database(schema: &str, log: &Log, kill: usize) {
    let mut db = pg::admin();
    let users = pg::user_ids(&mut db, schema);
    let lost: Vec<_> = log.users.difference(&users).collect();
    assert!(lost.is_empty(), "kill {kill}: created users lost: {lost:?}");
    let mut totps = HashMap::new();
    for row in db
        .query(
            &format!(
                "SELECT user_id, totp_id, last_step, convert_from(recovery_codes, 'UTF8') \
                 FROM {schema}.totps"
            ),
            &[],
        )
        .unwrap()
    {
        let (user, totp_id, last_step, codes): (String, String, Option<i64>, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        totps.insert(user, (totp_id, last_step, codes));
    }
    for (user, (totp_id, _)) in &log.totps {
        assert_eq!(
            totps.get(user).map(|t| &t.0),
            Some(totp_id),
            "kill {kill}: TOTP of {user} lost"
        );
    }
    for (user, step, _, _) in &log.accepted {
        let stored = totps.get(user).and_then(|t| t.1);
        assert!(
            stored >= Some(*step),
            "kill {kill}: accepted step {step} of {user} not stored ({stored:?})"
        );
    }
    for (user, code) in &log.recovered {
        assert!(
            !totps[user].2.split(' ').any(|c| c == code),
            "kill {kill}: used recovery code of {user} is back"
        );
    }
}

#[test]
fn killing_app_processes_mid_write_loses_and_repeats_nothing() {
    const WRITERS: usize = 4;
    let kills = env_count("STYTCH_TOTP_FLEET_KILLS", 12);
    let started = Instant::now();
    let schema = pg::fresh_schema("crash");
    let config = pg::config(&schema, json!({"lockout": {"max_failures": 100}}));
    let dir = tempfile::tempdir().unwrap();
    let known = dir.path().join("known.txt");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}");
    let mut below = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut log = Log::default();
    // Creates the schema before the writers start.
    drop(Api::new(config.clone()));

    for kill in 0..kills {
        log.write_known(&known);
        let lines = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let span = kill * WRITERS + w;
            let role = format!("write\t{config}\t{}\t{span}", known.display());
            let mut child = child_command("child", ROLE, role)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            let lines = lines.clone();
            let reader = std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    lines.lock().unwrap().push(line.unwrap());
                }
            });
            writers.push((child, reader));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let started = || {
            lines
                .lock()
                .unwrap()
                .iter()
                .filter(|l| *l == "STARTED")
                .count()
        };
        while started() < WRITERS && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(20 + below(400)));
        for (child, _) in &mut writers {
            child.kill().unwrap(); // SIGKILL
        }
        for (mut child, reader) in writers {
            assert!(
                !child.wait().unwrap().success(),
                "a writer finished before it was killed"
            );
            reader.join().unwrap();
        }
        for line in lines.lock().unwrap().iter() {
            log.read(line);
        }
        check_database(&schema, &log, kill);
    }

    log.assert_nothing_accepted_twice(&Api::new(config.clone()));
    println!(
        "{kills} kills of {WRITERS} writers survived in {:.1} s: {} users, {} TOTPs, \
         {} codes accepted, {} recovery codes used; nothing lost, nothing accepted twice",
        started.elapsed().as_secs_f64(),
        log.users.len(),
        log.totps.len(),
        log.accepted.len(),
        log.recovered.len()
    );
    pg::drop_schema(&schema);
}

/// Child processes: `race` (a fleet member) or `write` (a writer to be killed).
#[test]
#[ignore]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let args: Vec<&str> = role.split('\t').collect();
    match args.as_slice() {
        ["race", config] => race_member(serde_json::from_str(config).unwrap()),
        ["write", config, known, span] => {
            let api = Api::new(serde_json::from_str(config).unwrap());
            common::crash::say("STARTED");
            write_until_killed(&api, known, span.parse().unwrap(), T);
        }
        other => panic!("unknown role {other:?}"),
    }
}

/// Takes orders `{"op", "user", "codes"}` from stdin; for each, runs every code
/// in turn on each of `THREADS` threads released together, and prints the statuses.
fn race_member(config: Value) {
    let api = Arc::new(Api::new(config));
    api.set_time(T);
    for line in std::io::stdin().lines() {
        let order: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let statuses = race(&api, THREADS, move |api| {
            let user = order["user"].as_str().unwrap();
            order["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|code| {
                    let code = code.as_str().unwrap();
                    match order["op"].as_str().unwrap() {
                        "authenticate" => api.authenticate(user, code).0,
                        _ => api.recover(user, code).0,
                    }
                })
                .collect::<Vec<u16>>()
        });
        println!("RESULT {}", json!({"statuses": statuses}));
    }
}
