//! The writer that crash tests kill with SIGKILL, and the log of what it
//! reported before it died: every result is printed as soon as its call has
//! returned, so everything in the log was acknowledged.

use super::{Api, code_at, secret_of};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;

/// Each writer runs in a time span of its own (one second per iteration), so
/// its steps lie above every earlier writer's.
pub const SPAN: i64 = 1_000_000;

/// What the writers printed before they were killed.
#[derive(Default)]
pub struct Log {
    pub users: HashSet<String>,
    /// user -> (totp_id, secret)
    pub totps: HashMap<String, (String, String)>,
    /// (user, step, time, code)
    pub accepted: Vec<(String, i64, i64, String)>,
    /// (user, recovery code)
    pub recovered: Vec<(String, String)>,
}

impl Log {
    pub fn read(&mut self, line: &str) {
        match line.split(' ').collect::<Vec<_>>().as_slice() {
            ["USER", user] => {
                self.users.insert(user.to_string());
            }
            ["TOTP", user, totp_id, secret] => {
                self.totps
                    .insert(user.to_string(), (totp_id.to_string(), secret.to_string()));
            }
            ["ACCEPT", user, step, time, code] => self.accepted.push((
                user.to_string(),
                step.parse().unwrap(),
                time.parse().unwrap(),
                code.to_string(),
            )),
            ["RECOVER", user, code] => self.recovered.push((user.to_string(), code.to_string())),
            _ => {} // libtest's own lines
        }
    }

    /// Writes `user secret` lines: the TOTPs a later writer authenticates too.
    pub fn write_known(&self, path: &std::path::Path) {
        let mut file = std::fs::File::create(path).unwrap();
        for (user, (_, secret)) in &self.totps {
            writeln!(file, "{user} {secret}").unwrap();
        }
    }

    /// Every accepted code and used recovery code must be refused now.
    pub fn assert_nothing_accepted_twice(&self, api: &Api) {
        for (user, _, time, code) in &self.accepted {
            api.set_time(*time);
            let (status, body) = api.authenticate(user, code);
            assert_ne!(status, 200, "code {code} of {user} accepted twice: {body}");
        }
        for (user, code) in &self.recovered {
            let (status, body) = api.recover(user, code);
            assert_ne!(
                status, 200,
                "recovery code of {user} accepted twice: {body}"
            );
        }
        assert!(!self.accepted.is_empty() && !self.recovered.is_empty());
    }
}

/// Prints one line and flushes it at once.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").unwrap();
    out.flush().unwrap();
}

/// The step an accepted code was taken for: the lowest step of the window
/// whose code it is, above the last one this writer saw accepted. (Steps that
/// earlier writers accepted lie in earlier time spans, below the window.) By
/// chance, one code in a million is also the code of the step before.
fn accepted_step(secret: &str, code: &str, now: i64, last: Option<&i64>) -> i64 {
    let step = now.div_euclid(30);
    (step - 1..=step + 1)
        .filter(|s| last.is_none_or(|last| s > last))
        .find(|s| code_at(secret, s * 30) == code)
        .expect("an accepted code is the code of a step of the window")
}

/// Creates users and TOTPs, authenticates them and earlier writers' TOTPs
/// (`known`, a file of `user secret` lines) and uses recovery codes, in time
/// span `index`, until it is killed.
pub fn write_until_killed(api: &Api, known: &str, index: i64, t0: i64) -> ! {
    let known: Vec<(String, String)> = std::fs::read_to_string(known)
        .unwrap()
        .lines()
        .map(|l| {
            let (u, s) = l.split_once(' ').unwrap();
            (u.to_owned(), s.to_owned())
        })
        .collect();
    let base = t0 + SPAN * index;
    // The step each accepted code was taken for, as the engine picks it.
    let mut last_accepted = HashMap::new();
    let mut say_accepted = |user: &str, secret: &str, code: &str, now: i64| {
        let step = accepted_step(secret, code, now, last_accepted.get(user));
        last_accepted.insert(user.to_owned(), step);
        say(&format!("ACCEPT {user} {step} {now} {code}"));
    };
    for i in 0..SPAN {
        let now = base + i;
        api.set_time(now);
        let user = api.create_user(json!({"external_id": format!("crash-{index}-{i}")}));
        say(&format!("USER {user}"));
        let totp = api.ok("POST", "/v1/totps", json!({"user_id": user}));
        let secret = secret_of(&totp).to_owned();
        say(&format!(
            "TOTP {user} {} {secret}",
            totp["totp_id"].as_str().unwrap()
        ));
        let code = code_at(&secret, now);
        if api.authenticate(&user, &code).0 == 200 {
            say_accepted(&user, &secret, &code, now);
        }
        let recovery = totp["recovery_codes"][(i % 10) as usize].as_str().unwrap();
        if api.recover(&user, recovery).0 == 200 {
            say(&format!("RECOVER {user} {recovery}"));
        }
        if !known.is_empty() {
            let (old, old_secret) = &known[(i as usize * 7 + index as usize) % known.len()];
            let code = code_at(old_secret, now);
            let (status, body) = api.authenticate(old, &code);
            match status {
                200 => say_accepted(old, old_secret, &code, now),
                400 => assert!(
                    ["expired_totp", "totp_code_already_authenticated"]
                        .contains(&body["error_type"].as_str().unwrap()),
                    "{body}"
                ),
                _ => panic!("{body}"),
            }
        }
    }
    panic!("the writer ran out of work before it was killed");
}
