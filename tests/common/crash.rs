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
    /// user -> the time span of the writer that created its TOTP
    pub created_in: HashMap<String, usize>,
    /// The time span of the writer whose lines are read now.
    pub span: usize,
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
                self.created_in.insert(user.to_string(), self.span);
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

    /// Whether the TOTP of `user` may be gone once writers up to time span
    /// `span` have run: it was never authenticated, and a writer of a later
    /// span (days later) ran, which purges pending TOTPs expired for a day.
    pub fn may_be_purged(&self, user: &str, span: usize) -> bool {
        !self.accepted.iter().any(|(u, ..)| u == user) && self.created_in[user] < span
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
/// whose code it is (a code value is accepted once per window, so none of its
/// steps was at or below the last accepted one). By chance, one code in a
/// million is also the code of the step before.
fn accepted_step(secret: &str, code: &str, now: i64) -> i64 {
    let step = now.div_euclid(30);
    (step - 1..=step + 1)
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
    let say_accepted = |user: &str, secret: &str, code: &str, now: i64| {
        let step = accepted_step(secret, code, now);
        say(&format!("ACCEPT {user} {step} {now} {code}"));
    };
    for i in 0..SPAN {
        let now = base + i;
        api.set_time(now);
        let user = api.create_user(json!({
            "external_id": format!("crash-{index}-{i}"),
            "email": format!("crash-{index}-{i}@example.com"),
        }));
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
                // Never authenticated, expired and purged.
                404 => assert_eq!(body["error_type"], "totp_not_found", "{body}"),
                _ => panic!("{body}"),
            }
        }
    }
    panic!("the writer ran out of work before it was killed");
}
