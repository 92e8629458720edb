//! Drives the library through its C ABI, as a C host would.
#![allow(dead_code)]

pub mod crash;
pub mod pg;

use serde_json::{Value, json};
use std::ffi::{CStr, CString, c_char};
use std::process::Command;
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use stytch_totp::ffi::*;

/// Copies and frees an owned string from the library.
pub fn take_string(p: *mut c_char) -> String {
    assert!(!p.is_null(), "the library returned NULL");
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { stytch_string_free(p) };
    s
}

/// Copies a borrowed string; None for NULL.
pub fn borrowed(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
}

pub fn cstr(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Takes an error from `error_out`, returning its JSON body and freeing it.
pub fn take_error(err: *mut stytch_error) -> Value {
    assert!(!err.is_null(), "no error was set");
    let body = serde_json::from_str(&take_string(stytch_error_to_json(h(err)))).unwrap();
    unsafe { stytch_error_free(err) };
    body
}

/// A borrowed view of a handle the library returned (NULL is `None`), for
/// its accessors.
pub fn h<'a, T>(p: *const T) -> Option<&'a T> {
    unsafe { p.as_ref() }
}

pub struct Api {
    /// Borrowed from the client this value owns and frees.
    pub client: Option<&'static stytch_client>,
}

unsafe impl Send for Api {}
unsafe impl Sync for Api {}

impl Api {
    pub fn new(config: Value) -> Api {
        Self::try_new(config).unwrap_or_else(|e| panic!("client: {e}"))
    }

    pub fn try_new(config: Value) -> Result<Api, Value> {
        let config = cstr(&config.to_string());
        let mut err = ptr::null_mut();
        let client = unsafe { stytch_client_new(config.as_ptr(), &mut err) };
        Self::opened(client, err)
    }

    /// The client a `stytch_client_new*` call returned, or its error.
    pub fn opened(client: *mut stytch_client, err: *mut stytch_error) -> Result<Api, Value> {
        match h(client) {
            None => Err(take_error(err)),
            Some(client) => Ok(Api {
                client: Some(client),
            }),
        }
    }

    pub fn memory() -> Api {
        Api::new(json!({"database": ":memory:"}))
    }

    /// `stytch_call`, returning (status_code, body).
    pub fn call(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let (m, p, b) = (cstr(method), cstr(path), cstr(&body.to_string()));
        let out =
            take_string(unsafe { stytch_call(self.client, m.as_ptr(), p.as_ptr(), b.as_ptr()) });
        let value: Value = serde_json::from_str(&out).unwrap();
        (value["status_code"].as_u64().unwrap() as u16, value)
    }

    /// A call that must succeed; returns its body.
    pub fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, value) = self.call(method, path, &body);
        assert_eq!(status, 200, "{method} {path} {body}: {value}");
        value
    }

    /// A call that must fail with `status` and `error_type`; returns its body.
    pub fn fails(
        &self,
        method: &str,
        path: &str,
        body: Value,
        status: u16,
        error_type: &str,
    ) -> Value {
        let (got, value) = self.call(method, path, &body);
        assert_eq!(
            (got, value["error_type"].as_str().unwrap_or("")),
            (status, error_type),
            "{value}"
        );
        value
    }

    pub fn set_time(&self, t: i64) {
        assert!(unsafe { stytch_client_set_time(self.client, t, ptr::null_mut()) });
    }

    pub fn create_user(&self, body: Value) -> String {
        self.ok("POST", "/v1/users", body)["user_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A user with an email of its own and nothing else.
    pub fn new_user(&self) -> String {
        self.create_user(json!({ "email": fresh_email() }))
    }

    /// A user with a fresh TOTP: (user_id, create response).
    pub fn enrolled_user(&self) -> (String, Value) {
        let user_id = self.new_user();
        let totp = self.ok("POST", "/v1/totps", json!({"user_id": user_id}));
        (user_id, totp)
    }

    pub fn authenticate(&self, user_id: &str, code: &str) -> (u16, Value) {
        self.call(
            "POST",
            "/v1/totps/authenticate",
            &json!({"user_id": user_id, "totp_code": code}),
        )
    }

    /// A user whose TOTP was verified at `t`: (user_id, secret, create response).
    pub fn verified_user(&self, t: i64) -> (String, String, Value) {
        self.set_time(t);
        let (user_id, totp) = self.enrolled_user();
        let secret = secret_of(&totp).to_owned();
        let (status, body) = self.authenticate(&user_id, &code_at(&secret, t));
        assert_eq!(status, 200, "{body}");
        (user_id, secret, totp)
    }

    /// At time `t`, authenticates with the code the authenticator app of
    /// `secret` shows then.
    pub fn authenticate_at(&self, user_id: &str, secret: &str, t: i64) -> (u16, Value) {
        self.set_time(t);
        self.authenticate(user_id, &code_at(secret, t))
    }

    /// A user with a pending TOTP that expires after `minutes`: (user_id, create response).
    pub fn pending_user(&self, minutes: i64) -> (String, Value) {
        let user_id = self.new_user();
        let body = json!({"user_id": user_id, "expiration_minutes": minutes});
        let totp = self.ok("POST", "/v1/totps", body);
        (user_id, totp)
    }

    /// The `totps` of `POST /v1/totps/recovery_codes` for the user.
    pub fn listed_codes(&self, user_id: &str) -> Value {
        let body = json!({ "user_id": user_id });
        self.ok("POST", "/v1/totps/recovery_codes", body)["totps"].clone()
    }

    pub fn recover(&self, user_id: &str, code: &str) -> (u16, Value) {
        self.call(
            "POST",
            "/v1/totps/recover",
            &json!({"user_id": user_id, "recovery_code": code}),
        )
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let client = self
            .client
            .map_or(ptr::null_mut(), |c| ptr::from_ref(c).cast_mut());
        unsafe { stytch_client_free(client) };
    }
}

/// An email address that no other call makes, in this process or another
/// (users are unique by email).
pub fn fresh_email() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("user-{}-{n}@example.com", std::process::id())
}

/// The code an authenticator app shows for `secret` at `t`.
pub fn code_at(secret: &str, t: i64) -> String {
    let secret = cstr(secret);
    take_string(unsafe { stytch_totp_code(secret.as_ptr(), t) })
}

pub fn secret_of(totp: &Value) -> &str {
    totp["secret"].as_str().unwrap()
}

/// One enrolled user: its id, secret and the recovery codes not used yet.
pub struct Enrolled {
    pub user_id: String,
    pub secret: String,
    pub codes: Vec<String>,
}

/// `n` users, each with a fresh TOTP.
pub fn enrol(api: &Api, n: usize) -> Vec<Enrolled> {
    (0..n)
        .map(|_| {
            let (user_id, totp) = api.enrolled_user();
            let codes = totp["recovery_codes"].as_array().unwrap();
            Enrolled {
                user_id,
                secret: secret_of(&totp).to_owned(),
                codes: codes.iter().map(|c| c.as_str().unwrap().into()).collect(),
            }
        })
        .collect()
}

/// This test binary, set to run only the ignored test `test` (a child's role
/// entry point) with `role` in the environment variable `var`.
pub fn child_command(test: &str, var: &str, role: String) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(var, role);
    command
}

/// Runs `attempt` on `n` threads released together; returns what each got.
pub fn race<T: Send + 'static>(
    api: &Arc<Api>,
    n: usize,
    attempt: impl Fn(&Api) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(n));
    let attempt = Arc::new(attempt);
    let threads: Vec<_> = (0..n)
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

/// The recovery codes of a TOTP row read straight from a database file of a
/// client without encryption keys: the engine's plaintext form, `0x00` then
/// the codes separated by spaces.
pub fn plain_codes(stored: &[u8]) -> Vec<String> {
    let (tag, text) = stored.split_first().expect("an empty stored value");
    assert_eq!(*tag, 0, "not a plaintext value");
    std::str::from_utf8(text)
        .unwrap()
        .split_ascii_whitespace()
        .map(String::from)
        .collect()
}

/// The bytes of a base32 secret (upper case, no padding), as they are stored.
pub fn base32_bytes(secret: &[u8]) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut n, mut out) = (0u64, 0, Vec::new());
    for c in secret {
        bits = (bits << 5) | alphabet.iter().position(|a| a == c).unwrap() as u64;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// Forks; the child runs `work` and reports its answer through a pipe, then
/// leaves with `_exit`. The parent waits at most `timeout`, then kills the
/// child: `None` means it hung.
pub fn in_forked_child(work: impl FnOnce() -> String, timeout: Duration) -> Option<String> {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    match unsafe { libc::fork() } {
        0 => {
            let out = work();
            unsafe {
                libc::write(fds[1], out.as_ptr().cast(), out.len());
                libc::_exit(0);
            }
        }
        pid => {
            assert!(pid > 0, "fork failed");
            unsafe { libc::close(fds[1]) };
            let deadline = Instant::now() + timeout;
            let mut status = 0;
            while unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == 0 {
                if Instant::now() > deadline {
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                        libc::waitpid(pid, &mut status, 0);
                        libc::close(fds[0]);
                    }
                    return None;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let mut text = String::new();
            unsafe { std::fs::File::from_raw_fd(fds[0]) }
                .read_to_string(&mut text)
                .unwrap();
            Some(text)
        }
    }
}

/// An `encryption_keys` entry: `id` with 32 bytes of `byte`.
pub fn key(id: &str, byte: u8) -> Value {
    use base64::Engine as _;
    json!({"id": id, "key": base64::engine::general_purpose::STANDARD.encode([byte; 32])})
}

/// Calls `stytch_client_rewrap` until it reports 0; returns the total.
pub fn rewrap_all(api: &Api, batch: usize) -> u64 {
    let mut total = 0;
    loop {
        let (mut n, mut err) = (0u64, ptr::null_mut());
        assert!(
            unsafe { stytch_client_rewrap(api.client, batch, Some(&mut n), &mut err) },
            "{}",
            take_error(err)
        );
        if n == 0 {
            return total;
        }
        total += n;
    }
}
