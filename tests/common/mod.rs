//! Drives the library through its C ABI, as a C host would.
#![allow(dead_code)]

pub mod crash;
pub mod pg;

use serde_json::{Value, json};
use std::ffi::{CStr, CString, c_char};
use std::process::Command;
use std::ptr;
use std::sync::{Arc, Barrier};
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

    /// A user with a fresh TOTP: (user_id, create response).
    pub fn enrolled_user(&self) -> (String, Value) {
        let user_id = self.create_user(json!({"email": "ada@example.com"}));
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

/// The code an authenticator app shows for `secret` at `t`.
pub fn code_at(secret: &str, t: i64) -> String {
    let secret = cstr(secret);
    take_string(unsafe { stytch_totp_code(secret.as_ptr(), t) })
}

pub fn secret_of(totp: &Value) -> &str {
    totp["secret"].as_str().unwrap()
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
