//! Crash safety: a child process creating users and TOTPs and authenticating on
//! one SQLite file is killed with SIGKILL at random moments, again and again.
//! After every kill the file must pass `PRAGMA integrity_check`, every call the
//! child saw return must be in it, and at the end no accepted code or used
//! recovery code may be accepted again.
//!
//! `STYTCH_TOTP_CRASH_KILLS` sets the number of kills (default 20).

mod common;

use common::crash::{Log, SPAN as CHILD_SPAN, write_until_killed};
use common::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROLE: &str = "STYTCH_TOTP_CRASH_ROLE";
const T0: i64 = 1_700_000_000;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Checks the file as another process would find it right after the kill.
fn check_file(db: &str, log: &Log, kill: usize) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "kill {kill}: integrity_check");
    let fk: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(fk.is_empty(), "kill {kill}: foreign keys broken: {fk:?}");
    let users: HashSet<String> = conn
        .prepare("SELECT user_id FROM users")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let lost: Vec<_> = log.users.difference(&users).collect();
    assert!(lost.is_empty(), "kill {kill}: created users lost: {lost:?}");
    let mut last_steps = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT user_id, totp_id, last_step, recovery_codes FROM totps")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .unwrap();
    let mut codes = HashMap::new();
    for row in rows {
        let (user, totp_id, last_step, recovery) = row.unwrap();
        last_steps.insert(user.clone(), (totp_id, last_step));
        codes.insert(user, recovery);
    }
    for (user, (totp_id, _)) in &log.totps {
        assert_eq!(
            last_steps.get(user).map(|(t, _)| t),
            Some(totp_id),
            "kill {kill}: TOTP of {user} lost"
        );
    }
    for (user, step, _, _) in &log.accepted {
        let stored = last_steps.get(user).and_then(|(_, s)| *s);
        assert!(
            stored >= Some(*step),
            "kill {kill}: accepted step {step} of {user} not stored ({stored:?})"
        );
    }
    for (user, code) in &log.recovered {
        assert!(
            !codes[user].split(' ').any(|c| c == code),
            "kill {kill}: used recovery code of {user} is back"
        );
    }
}

#[test]
fn sigkill_in_the_middle_of_writes_loses_and_repeats_nothing() {
    let kills: usize = std::env::var("STYTCH_TOTP_CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(20);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let db = db.to_str().unwrap().to_owned();
    let known = dir.path().join("known.txt");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Rng(seed | 1);
    println!("seed {seed}");
    let mut log = Log::default();
    let mut lines_total = 0;

    for kill in 0..kills {
        // Earlier children's TOTPs, for this one to authenticate too.
        log.write_known(&known);

        let mut child = child_command("child", ROLE, format!("{db}\t{}\t{kill}", known.display()))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().unwrap();
        let reader = {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    lines.lock().unwrap().push(line.unwrap());
                }
            })
        };
        // Wait for the child to get going, then kill it at a random moment.
        let deadline = Instant::now() + Duration::from_secs(20);
        while lines.lock().unwrap().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(5 + rng.below(150)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        reader.join().unwrap();
        assert!(!status.success(), "the child finished before it was killed");
        let lines = lines.lock().unwrap();
        assert!(!lines.is_empty(), "kill {kill}: the child never started");
        lines_total += lines.len();
        for line in lines.iter() {
            log.read(line);
        }
        check_file(&db, &log, kill);
    }

    // Every accepted code and used recovery code must be refused now.
    let api = Api::new(json!({"database": db, "lockout": {"max_failures": 100}}));
    for user in &log.users {
        api.set_time(T0 + CHILD_SPAN * kills as i64);
        api.ok("GET", &format!("/v1/users/{user}"), json!({}));
    }
    log.assert_nothing_accepted_twice(&api);
    println!(
        "{kills} kills survived in {:.1} s: {} lines, {} users, {} TOTPs, {} codes accepted, \
         {} recovery codes used; nothing lost, nothing accepted twice",
        started.elapsed().as_secs_f64(),
        lines_total,
        log.users.len(),
        log.totps.len(),
        log.accepted.len(),
        log.recovered.len()
    );
}

/// The child: creates and authenticates until it is killed, printing each
/// result as soon as its call has returned.
#[test]
#[ignore]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let [db, known, index] = role.split('\t').collect::<Vec<_>>()[..] else {
        panic!("bad role {role:?}")
    };
    let api = Api::new(json!({"database": db, "lockout": {"max_failures": 100}}));
    write_until_killed(&api, known, index.parse().unwrap(), T0);
}
