//! Running the binary, and stores made through the library to run it on.

use base64::Engine as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use stytch_totp::engine::{Client, Config, CreateUserRequest, KeyBytes, KeySpec, Lockout};
use stytch_totp::otp::CodeGenerator;

/// What a run printed, and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as the one JSON document it must be.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", self.stdout))
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit {} (wanted {code})\nstdout: {}\nstderr: {}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Asserts that neither stream contains `secret`.
    pub fn hides(self, secret: &str) -> Self {
        assert!(
            !self.stdout.contains(secret) && !self.stderr.contains(secret),
            "a secret was printed:\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// The binary with no configuration from the environment of the tests.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stytch-totp"));
    for var in [
        "STYTCH_TOTP_STORE",
        "STYTCH_TOTP_CONFIG",
        "STYTCH_TOTP_KEYS",
        "STYTCH_TOTP_KEYS_FILE",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs it with `args`, `env` and `stdin`.
pub fn run_with(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    use std::io::Write;
    let mut child = command()
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

pub fn run(args: &[&str]) -> Run {
    run_with(args, &[], "")
}

/// Two host keys, as base64 and as the configuration takes them.
pub const KEY_A: [u8; 32] = [0xa1; 32];
pub const KEY_B: [u8; 32] = [0xb2; 32];

pub fn base64(key: &[u8; 32]) -> String {
    base64::engine::general_purpose::STANDARD.encode(key)
}

/// `encryption_keys` JSON for `(id, key)` pairs, as STYTCH_TOTP_KEYS holds it.
pub fn keys_json(keys: &[(&str, &[u8; 32])]) -> String {
    let entries: Vec<Value> = keys
        .iter()
        .map(|(id, key)| serde_json::json!({"id": id, "key": base64(key)}))
        .collect();
    Value::Array(entries).to_string()
}

pub fn key_specs(keys: &[(&str, &[u8; 32])]) -> Vec<KeySpec> {
    keys.iter()
        .map(|(id, key)| KeySpec {
            id: (*id).to_owned(),
            key: Some(KeyBytes::new(**key)),
        })
        .collect()
}

/// A directory of the test's own, and an SQLite path inside it.
pub fn scratch() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db").to_str().unwrap().to_owned();
    (dir, path)
}

/// A configuration of `database` with `keys` and a lockout after 3 failures.
pub fn config(database: &str, keys: &[(&str, &[u8; 32])]) -> Config {
    Config {
        database: database.to_owned(),
        encryption_keys: key_specs(keys),
        lockout: Some(LOCKOUT),
        ..Config::default()
    }
}

pub const LOCKOUT: Lockout = Lockout {
    max_failures: 3,
    duration_minutes: 60,
};

/// A user with a verified TOTP, made through the library.
pub struct Enrolled {
    pub user_id: String,
    pub totp_id: String,
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

/// Enrols a user (with `external_id`, if given, and an email of its own) on
/// `client`, authenticating the TOTP with the code of the previous step.
pub fn enrol(client: &Client, external_id: Option<&str>) -> Enrolled {
    static USERS: AtomicU64 = AtomicU64::new(0);
    let serial = USERS.fetch_add(1, Ordering::Relaxed);
    let request = CreateUserRequest {
        external_id: external_id.map(str::to_owned),
        email: Some(format!("ada+{serial}@example.com")),
        ..CreateUserRequest::default()
    };
    let user = client.create_user(&request).unwrap();
    let totp = client.create_totp(&user.user_id, None).unwrap();
    let secret = totp.secret.expose().to_owned();
    let now = client.now().unwrap();
    client
        .authenticate_totp(&user.user_id, &code(&secret, now - 30))
        .unwrap();
    Enrolled {
        user_id: user.user_id,
        totp_id: totp.totp_id,
        secret,
        recovery_codes: totp
            .recovery_codes
            .iter()
            .map(|c| c.expose().to_owned())
            .collect(),
    }
}

pub fn code(secret: &str, unix_time: i64) -> String {
    let code = CodeGenerator::from_base32(secret)
        .unwrap()
        .code_at(unix_time);
    String::from_utf8(code.to_vec()).unwrap()
}

/// An SQLite store with `users` enrolled users under `keys`.
pub fn sqlite_store(path: &str, keys: &[(&str, &[u8; 32])], users: usize) -> Vec<Enrolled> {
    let client = Client::new(config(path, keys)).unwrap();
    (0..users).map(|_| enrol(&client, None)).collect()
}

/// Writes `text` into `dir/name` with `mode`.
pub fn file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// A PostgreSQL URL nothing listens on, with a password that must never be printed.
pub const UNREACHABLE_PG: &str =
    "postgresql://operator:hunter2-not-shown@127.0.0.1:9/app?sslmode=disable&connect_timeout=2";
