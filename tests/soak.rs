//! Load and contention: several processes, each with several threads sharing
//! one client, all on one SQLite file, creating users and TOTPs,
//! authenticating (some codes wrong), recovering (some codes wrong) and
//! attacking users that only ever see wrong codes. At the end:
//! - every code value was accepted at most once (each stands for one step, its
//!   lowest in the window), once per (user, step), and the stored
//!   `last_step` is the highest accepted one;
//! - every recovery code was accepted at most once, and exactly the used ones
//!   are gone from the file;
//! - each attacked user took exactly `max_failures` counted failures (401)
//!   before the lock, and 429 for everything after: no failure was lost or
//!   counted twice;
//! - every user and TOTP whose create returned is in the file;
//! - no call failed with a 500.
//!
//! Prints throughput, p50/p99 latency and a latency histogram per operation
//! (and writes them as JSON to `STYTCH_TOTP_SOAK_REPORT` when set). Bounded:
//! `STYTCH_TOTP_SOAK_SECS` (default 20), `STYTCH_TOTP_SOAK_PROCS` (processes,
//! default 3), `STYTCH_TOTP_SOAK_THREADS` (threads per process, default 4).

mod common;

use common::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROLE: &str = "STYTCH_TOTP_SOAK_ROLE";
/// Where to write the figures as JSON (for `make bench`), if set.
const REPORT: &str = "STYTCH_TOTP_SOAK_REPORT";
const T: i64 = 1_700_000_010;
const MAX_FAILURES: u64 = 20;
const SHARED_USERS: usize = 100;
const ATTACKED_USERS: usize = 10;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(db: &str) -> Value {
    json!({"database": db, "lockout": {"max_failures": MAX_FAILURES, "duration_minutes": 60}})
}

#[derive(Clone)]
struct Enrolled {
    user_id: String,
    secret: String,
    /// The codes of the steps `T/30 - 1 ..= T/30 + 1`. One secret in half a
    /// million has two equal ones: that code value is accepted once, for its
    /// lower step.
    window_codes: [String; 3],
    recovery_codes: Vec<String>,
}

impl Enrolled {
    /// From a user and the body of its `POST /v1/totps`.
    fn new(user_id: String, totp: &Value) -> Self {
        Self::from_parts(user_id, secret_of(totp).to_owned(), &totp["recovery_codes"])
    }

    fn from_parts(user_id: String, secret: String, recovery_codes: &Value) -> Self {
        Enrolled {
            window_codes: [-1, 0, 1].map(|offset| code_at(&secret, T + 30 * offset)),
            user_id,
            secret,
            recovery_codes: recovery_codes
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect(),
        }
    }
}

fn enrol(api: &Api) -> Enrolled {
    let user_id = api.new_user();
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    Enrolled::new(user_id, &totp)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What one process saw.
#[derive(Default)]
struct Outcome {
    /// operation -> latencies in microseconds
    latency: HashMap<&'static str, Vec<u64>>,
    /// (user, step)
    accepted: Vec<(String, i64)>,
    /// (user, recovery code)
    recovered: Vec<(String, String)>,
    /// attacked user -> statuses seen
    attacks: HashMap<String, Vec<u64>>,
    created: Vec<String>,
    statuses: HashMap<u64, u64>,
}

impl Outcome {
    fn to_json(&self) -> Value {
        json!({
            "latency": self.latency,
            "accepted": self.accepted,
            "recovered": self.recovered,
            "attacks": self.attacks,
            "created": self.created,
            "statuses": self.statuses.iter().map(|(k, v)| (k.to_string(), *v)).collect::<HashMap<_, _>>(),
        })
    }

    fn merge_json(&mut self, v: &Value) {
        for (op, lat) in v["latency"].as_object().unwrap() {
            let name: &'static str = match op.as_str() {
                "create" => "create",
                "authenticate" => "authenticate",
                "recover" => "recover",
                _ => "attack",
            };
            let list = self.latency.entry(name).or_default();
            list.extend(lat.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
        }
        for a in v["accepted"].as_array().unwrap() {
            self.accepted
                .push((a[0].as_str().unwrap().into(), a[1].as_i64().unwrap()));
        }
        for r in v["recovered"].as_array().unwrap() {
            self.recovered
                .push((r[0].as_str().unwrap().into(), r[1].as_str().unwrap().into()));
        }
        for (user, s) in v["attacks"].as_object().unwrap() {
            let list = self.attacks.entry(user.clone()).or_default();
            list.extend(s.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
        }
        for c in v["created"].as_array().unwrap() {
            self.created.push(c.as_str().unwrap().into());
        }
        for (k, n) in v["statuses"].as_object().unwrap() {
            *self.statuses.entry(k.parse().unwrap()).or_default() += n.as_u64().unwrap();
        }
    }
}

/// A code that matches none of the steps around `T`.
fn wrong_code(secret: &str) -> String {
    let valid: Vec<String> = (-1..=1).map(|o| code_at(secret, T + 30 * o)).collect();
    (0..)
        .map(|n| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|c| !valid.contains(c))
        .unwrap()
}

/// One process's share of the load: `threads` threads on one client for `secs`.
fn run_workers(
    db: &str,
    shared: &[Enrolled],
    attacked: &[Enrolled],
    threads: usize,
    secs: u64,
    seed: u64,
) -> Outcome {
    let api = Arc::new(Api::new(config(db)));
    api.set_time(T);
    let own: Arc<Mutex<Vec<Enrolled>>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    std::thread::scope(|s| {
        for t in 0..threads {
            let (api, own, outcome) = (api.clone(), own.clone(), outcome.clone());
            s.spawn(move || {
                let mut rng = Rng((seed.wrapping_mul(6364136223846793005)
                    ^ ((t as u64 + 1) * 0x9E37_79B9))
                    | 1);
                let mut local = Outcome::default();
                let timed =
                    |local: &mut Outcome, op: &'static str, f: &mut dyn FnMut() -> (u16, Value)| {
                        let start = Instant::now();
                        let (status, body) = f();
                        local
                            .latency
                            .entry(op)
                            .or_default()
                            .push(start.elapsed().as_micros() as u64);
                        *local.statuses.entry(u64::from(status)).or_default() += 1;
                        assert_ne!(status, 500, "{op}: {body}");
                        (status, body)
                    };
                while Instant::now() < deadline {
                    let pick = rng.below(100);
                    let target = |rng: &mut Rng| {
                        let own = own.lock().unwrap();
                        match own.is_empty() || rng.below(2) == 0 {
                            true => shared[rng.below(shared.len())].clone(),
                            false => own[rng.below(own.len())].clone(),
                        }
                    };
                    if pick < 15 {
                        let mut enrolled = None;
                        timed(&mut local, "create", &mut || {
                            let body = json!({ "email": fresh_email() });
                            let (status, user) = api.call("POST", "/v1/users", &body);
                            if status != 200 {
                                return (status, user);
                            }
                            let user_id = user["user_id"].as_str().unwrap().to_owned();
                            let (status, totp) =
                                api.call("POST", "/v1/totps", &json!({"user_id": user_id}));
                            if status == 200 {
                                enrolled = Some(Enrolled::new(user_id, &totp));
                            }
                            (status, totp)
                        });
                        let e = enrolled.expect("create failed");
                        local.created.push(e.user_id.clone());
                        own.lock().unwrap().push(e);
                    } else if pick < 70 {
                        let e = target(&mut rng);
                        let (code, step) = match rng.below(20) {
                            0 => (wrong_code(&e.secret), None),
                            n => {
                                let codes = &e.window_codes;
                                let code = &codes[n % 3];
                                // The step it is accepted for: its lowest one.
                                let lowest = codes.iter().position(|c| c == code).unwrap_or(0);
                                (code.clone(), Some(T / 30 - 1 + lowest as i64))
                            }
                        };
                        let (status, body) = timed(&mut local, "authenticate", &mut || {
                            api.authenticate(&e.user_id, &code)
                        });
                        match status {
                            200 => local.accepted.push((
                                e.user_id.clone(),
                                step.expect("a wrong code was accepted"),
                            )),
                            400 => assert_eq!(
                                body["error_type"], "totp_code_already_authenticated",
                                "{body}"
                            ),
                            401 => {
                                assert!(step.is_none(), "a valid, unused code was refused: {body}")
                            }
                            429 => {}
                            _ => panic!("{body}"),
                        }
                    } else if pick < 85 {
                        let e = target(&mut rng);
                        let wrong = rng.below(30) == 0;
                        let code = match wrong {
                            true => "zzzz-zzzz-zzzz".to_owned(),
                            false => e.recovery_codes[rng.below(10)].clone(),
                        };
                        let (status, body) = timed(&mut local, "recover", &mut || {
                            api.recover(&e.user_id, &code)
                        });
                        match status {
                            200 => {
                                assert!(!wrong, "a wrong recovery code was accepted");
                                local.recovered.push((e.user_id.clone(), code));
                            }
                            401 | 429 => {}
                            _ => panic!("{body}"),
                        }
                    } else {
                        let e = &attacked[rng.below(attacked.len())];
                        let (status, body) = match rng.below(2) {
                            0 => {
                                let code = wrong_code(&e.secret);
                                timed(&mut local, "attack", &mut || {
                                    api.authenticate(&e.user_id, &code)
                                })
                            }
                            _ => timed(&mut local, "attack", &mut || {
                                api.recover(&e.user_id, "zzzz-zzzz-zzzz")
                            }),
                        };
                        assert!(status == 401 || status == 429, "{body}");
                        local
                            .attacks
                            .entry(e.user_id.clone())
                            .or_default()
                            .push(u64::from(status));
                    }
                }
                outcome.lock().unwrap().merge_json(&local.to_json());
            });
        }
    });
    Arc::try_unwrap(outcome).ok().unwrap().into_inner().unwrap()
}

fn save(users: &[Enrolled]) -> Value {
    users
        .iter()
        .map(|e| json!([e.user_id, e.secret, e.recovery_codes]))
        .collect()
}

fn load(v: &Value) -> Vec<Enrolled> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            Enrolled::from_parts(
                e[0].as_str().unwrap().into(),
                e[1].as_str().unwrap().into(),
                &e[2],
            )
        })
        .collect()
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn soak_many_threads_and_processes_on_one_file() {
    let secs = env_or("STYTCH_TOTP_SOAK_SECS", 20);
    let procs = env_or("STYTCH_TOTP_SOAK_PROCS", 3).max(1) as usize;
    let threads = env_or("STYTCH_TOTP_SOAK_THREADS", 4).max(1) as usize;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("soak.db").to_str().unwrap().to_owned();
    let api = Api::new(config(&db));
    api.set_time(T);
    let shared: Vec<Enrolled> = (0..SHARED_USERS).map(|_| enrol(&api)).collect();
    let attacked: Vec<Enrolled> = (0..ATTACKED_USERS).map(|_| enrol(&api)).collect();
    let setup = dir.path().join("users.json");
    std::fs::write(
        &setup,
        json!({"shared": save(&shared), "attacked": save(&attacked)}).to_string(),
    )
    .unwrap();

    let started = Instant::now();
    let children: Vec<_> = (1..procs)
        .map(|p| {
            let out = dir.path().join(format!("outcome-{p}.json"));
            let child = child_command(
                "soak_child",
                ROLE,
                format!(
                    "{db}\t{}\t{}\t{threads}\t{secs}\t{p}",
                    setup.display(),
                    out.display()
                ),
            )
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
            (child, out)
        })
        .collect();
    let mut outcome = run_workers(&db, &shared, &attacked, threads, secs, 0);
    for (mut child, out) in children {
        assert!(child.wait().unwrap().success(), "a soak child failed");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        outcome.merge_json(&v);
    }
    let elapsed = started.elapsed().as_secs_f64();

    // Exactly once per (user, step), and the stored step is the highest accepted.
    let mut per_step: HashMap<(String, i64), usize> = HashMap::new();
    for a in &outcome.accepted {
        *per_step.entry(a.clone()).or_default() += 1;
    }
    let twice: Vec<_> = per_step.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "codes accepted more than once: {twice:?}");
    let mut per_code: HashMap<(String, String), usize> = HashMap::new();
    for r in &outcome.recovered {
        *per_code.entry(r.clone()).or_default() += 1;
    }
    let twice: Vec<_> = per_code.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "recovery codes accepted more than once: {twice:?}"
    );

    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let mut stored: HashMap<String, (Option<i64>, Vec<String>, u32)> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT t.user_id, t.last_step, t.recovery_codes, u.failed_attempts FROM totps t JOIN users u USING (user_id)")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get(3)?,
            ))
        })
        .unwrap()
    {
        let (user, last_step, codes, failed) = row.unwrap();
        stored.insert(user, (last_step, plain_codes(&codes), failed));
    }
    let mut highest: HashMap<&str, i64> = HashMap::new();
    for (user, step) in &outcome.accepted {
        let h = highest.entry(user.as_str()).or_insert(*step);
        *h = (*h).max(*step);
    }
    for (user, (last_step, _, _)) in &stored {
        assert_eq!(
            *last_step,
            highest.get(user.as_str()).copied(),
            "last_step of {user}"
        );
    }
    let all: Vec<Enrolled> = {
        let mut all = shared.clone();
        all.extend(attacked.iter().cloned());
        all
    };
    let used: std::collections::HashSet<&(String, String)> = outcome.recovered.iter().collect();
    for e in &all {
        let (_, codes, _) = &stored[&e.user_id];
        for code in &e.recovery_codes {
            let was_used = used.contains(&(e.user_id.clone(), code.clone()));
            assert_eq!(
                !codes.contains(code),
                was_used,
                "recovery code of {} lost or kept wrongly",
                e.user_id
            );
        }
    }
    let lost: Vec<_> = outcome
        .created
        .iter()
        .filter(|u| !stored.contains_key(*u))
        .collect();
    assert!(lost.is_empty(), "created users lost: {lost:?}");

    // Failure counting: exactly MAX_FAILURES 401s, then 429 for good.
    for (user, statuses) in &outcome.attacks {
        let failures = statuses.iter().filter(|&&s| s == 401).count() as u64;
        let locked = statuses.iter().filter(|&&s| s == 429).count() as u64;
        assert_eq!(
            failures,
            MAX_FAILURES.min(statuses.len() as u64),
            "counted failures of {user}"
        );
        assert_eq!(failures + locked, statuses.len() as u64);
        if locked > 0 {
            let body = api.ok("GET", &format!("/v1/users/{user}"), json!({}));
            assert_eq!(body["is_locked"], true);
            assert_eq!(stored[user].2, 0, "the counter restarts at the lock");
        }
    }

    let total: usize = outcome.latency.values().map(Vec::len).sum();
    println!(
        "soak: {procs} processes x {threads} threads, {elapsed:.1} s, {total} operations ({:.0}/s); \
         statuses {:?}; {} codes and {} recovery codes accepted once each; {} users created; {} attacked users locked",
        total as f64 / elapsed,
        outcome.statuses,
        outcome.accepted.len(),
        outcome.recovered.len(),
        outcome.created.len(),
        outcome
            .attacks
            .values()
            .filter(|s| s.contains(&429))
            .count(),
    );
    let mut ops: Vec<_> = outcome.latency.iter_mut().collect();
    ops.sort_by_key(|(op, _)| *op);
    let mut report = serde_json::Map::new();
    report.insert("ops_per_second".into(), json!(total as f64 / elapsed));
    for (op, lat) in ops {
        lat.sort_unstable();
        let (p50, p99, max) = (
            percentile(lat, 0.50),
            percentile(lat, 0.99),
            lat[lat.len() - 1],
        );
        println!(
            "soak: {op:<12} {:>7} ops {:>8.0}/s  p50 {p50:>6} us  p99 {p99:>6} us  max {max:>7} us",
            lat.len(),
            lat.len() as f64 / elapsed,
        );
        println!("soak: {op:<12} {}", histogram(lat));
        report.insert(
            (*op).into(),
            json!({"ops": lat.len(), "p50_us": p50, "p99_us": p99, "max_us": max}),
        );
    }
    if let Ok(path) = std::env::var(REPORT) {
        std::fs::write(path, Value::Object(report).to_string()).unwrap();
    }
}

/// Upper bounds of the latency histogram's buckets, in microseconds.
const BUCKETS_US: [u64; 12] = [
    25, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 25_000, 100_000, 1_000_000,
];

/// The share of the sorted latencies (µs) in each bucket, the last one open.
fn histogram(sorted: &[u64]) -> String {
    let mut lower = 0;
    let mut out = Vec::new();
    let mut label = |bound: Option<u64>, n: usize| {
        let share = 100.0 * n as f64 / sorted.len() as f64;
        out.push(match bound {
            Some(us) if us >= 1000 => format!("<={}ms {share:.2}%", us / 1000),
            Some(us) => format!("<={us}us {share:.2}%"),
            None => format!(">1s {share:.2}%"),
        });
    };
    for bound in BUCKETS_US {
        let upper = sorted.partition_point(|&us| us <= bound);
        label(Some(bound), upper - lower);
        lower = upper;
    }
    label(None, sorted.len() - lower);
    out.join("  ")
}

/// A soak process other than the test's own.
#[test]
#[ignore]
fn soak_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let [db, setup, out, threads, secs, index] = role.split('\t').collect::<Vec<_>>()[..] else {
        panic!("bad role {role:?}")
    };
    let setup: Value = serde_json::from_str(&std::fs::read_to_string(setup).unwrap()).unwrap();
    let outcome = run_workers(
        db,
        &load(&setup["shared"]),
        &load(&setup["attacked"]),
        threads.parse().unwrap(),
        secs.parse().unwrap(),
        index.parse().unwrap(),
    );
    std::fs::write(out, outcome.to_json().to_string()).unwrap();
}
