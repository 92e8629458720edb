//! Shared by the fuzz targets: a client with an enrolled user to aim at, the
//! placeholders that let an input name its secrets, and the invariants every
//! response must hold.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::ptr;
use stytch_totp::ffi::*;

/// The fixed time every fuzz client runs at.
pub const T: i64 = 1_700_000_010;

/// Statuses the library may return.
pub const STATUSES: [u64; 6] = [200, 400, 401, 404, 429, 500];

/// Turns fuzz bytes into a C string the way a C caller's buffer reads: up to
/// the first NUL.
pub fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap()
}

/// Copies and frees an owned string; it must be UTF-8.
pub fn take_string(p: *mut c_char) -> String {
    assert!(
        !p.is_null(),
        "the library returned NULL for an owned string"
    );
    let s = unsafe { CStr::from_ptr(p) }
        .to_str()
        .expect("owned strings are UTF-8")
        .to_owned();
    unsafe { stytch_string_free(p) };
    s
}

/// Copies a borrowed string (must be UTF-8); None for NULL.
pub fn borrowed(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| {
        unsafe { CStr::from_ptr(p) }
            .to_str()
            .expect("borrowed strings are UTF-8")
            .to_owned()
    })
}

/// A ":memory:" client at time `T` with one enrolled user (email and external
/// id), a pending TOTP and its recovery codes. Dropping it frees the client.
pub struct Fixture {
    pub client: *mut stytch_client,
    pub user_id: String,
    pub external_id: String,
    pub totp_id: String,
    pub secret: String,
    pub recovery_codes: Vec<String>,
    /// A second user without a TOTP.
    pub bare_user_id: String,
}

impl Fixture {
    pub fn new(config: &str) -> Fixture {
        let config = CString::new(config).unwrap();
        let mut err = ptr::null_mut();
        let client = unsafe { stytch_client_new(config.as_ptr(), &mut err) };
        assert!(!client.is_null(), "fixture client");
        assert!(unsafe { stytch_client_set_time(h(client), T, ptr::null_mut()) });
        let mut f = Fixture {
            client,
            user_id: String::new(),
            external_id: "ext-fuzz".into(),
            totp_id: String::new(),
            secret: String::new(),
            recovery_codes: Vec::new(),
            bare_user_id: String::new(),
        };
        let user = f.raw_call(
            "POST",
            "/v1/users",
            r#"{"email":"ada@example.com","external_id":"ext-fuzz","name":{"first_name":"Ada"}}"#,
        );
        f.user_id = user["user_id"].as_str().unwrap().to_owned();
        let bare = f.raw_call("POST", "/v1/users", r#"{"phone_number":"+12025550100"}"#);
        f.bare_user_id = bare["user_id"].as_str().unwrap().to_owned();
        let totp = f.raw_call(
            "POST",
            "/v1/totps",
            &format!(r#"{{"user_id":"{}"}}"#, f.user_id),
        );
        f.totp_id = totp["totp_id"].as_str().unwrap().to_owned();
        f.secret = totp["secret"].as_str().unwrap().to_owned();
        f.recovery_codes = totp["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        f
    }

    pub fn memory() -> Fixture {
        Fixture::new(r#"{"database":":memory:","lockout":{"max_failures":5,"duration_minutes":5}}"#)
    }

    fn raw_call(&self, method: &str, path: &str, body: &str) -> Value {
        let (m, p, b) = (
            CString::new(method).unwrap(),
            CString::new(path).unwrap(),
            CString::new(body).unwrap(),
        );
        let out =
            take_string(unsafe { stytch_call(h(self.client), m.as_ptr(), p.as_ptr(), b.as_ptr()) });
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["status_code"], 200, "fixture {method} {path}: {v}");
        v
    }

    /// The code of step `T/30 + offset`.
    pub fn code(&self, offset: i64) -> String {
        let secret = CString::new(self.secret.as_str()).unwrap();
        take_string(unsafe { stytch_totp_code(secret.as_ptr(), T + 30 * offset) })
    }

    /// Replaces the placeholders an input may use to name this fixture's values:
    /// `$USER`, `$BARE`, `$EXT`, `$TOTP`, `$CODE`, `$PREV`, `$NEXT`, `$OLD`
    /// (two steps back), `$RC0`..`$RC9`.
    pub fn substitute(&self, bytes: &[u8]) -> Vec<u8> {
        if !bytes.contains(&b'$') {
            return bytes.to_vec();
        }
        let mut pairs: Vec<(String, String)> = vec![
            ("$USER".into(), self.user_id.clone()),
            ("$BARE".into(), self.bare_user_id.clone()),
            ("$EXT".into(), self.external_id.clone()),
            ("$TOTP".into(), self.totp_id.clone()),
            ("$CODE".into(), self.code(0)),
            ("$PREV".into(), self.code(-1)),
            ("$NEXT".into(), self.code(1)),
            ("$OLD".into(), self.code(-2)),
        ];
        for (i, c) in self.recovery_codes.iter().enumerate() {
            pairs.push((format!("$RC{i}"), c.clone()));
        }
        let mut out = Vec::with_capacity(bytes.len() + 64);
        let mut i = 0;
        'outer: while i < bytes.len() {
            if bytes[i] == b'$' {
                for (k, v) in &pairs {
                    if bytes[i..].starts_with(k.as_bytes()) {
                        out.extend_from_slice(v.as_bytes());
                        i += k.len();
                        continue 'outer;
                    }
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        out
    }

    /// The secrets this fixture holds: the TOTP secret and the recovery codes.
    pub fn secrets(&self) -> Vec<String> {
        let mut s = vec![self.secret.clone()];
        s.extend(self.recovery_codes.iter().cloned());
        s
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        unsafe { stytch_client_free(self.client) };
    }
}

/// A borrowed view of a handle the library returned (NULL is `None`).
pub fn h<'a, T>(p: *const T) -> Option<&'a T> {
    unsafe { p.as_ref() }
}

/// Checks an error body: exactly Stytch's five fields, well typed, a known
/// status, the documented URL; never a 500 (nothing a caller sends may make the
/// library fail), and never a secret, whatever the request held.
pub fn check_error_body(body: &Map<String, Value>, secrets: &[String]) {
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "error_message",
            "error_type",
            "error_url",
            "request_id",
            "status_code"
        ],
        "error body fields: {body:?}"
    );
    let status = body["status_code"]
        .as_u64()
        .expect("status_code is a number");
    assert!(
        STATUSES.contains(&status) && status != 200,
        "status {status}"
    );
    assert_ne!(status, 500, "a 500 for caller input: {body:?}");
    let error_type = body["error_type"].as_str().expect("error_type is a string");
    assert!(!error_type.is_empty());
    let message = body["error_message"]
        .as_str()
        .expect("error_message is a string");
    assert!(!message.is_empty());
    // Stytch documents its types; this project the ones it adds.
    let url = body["error_url"].as_str().unwrap();
    assert!(
        url == format!("https://stytch.com/docs/api-reference/consumer/api/errors/{status}#{error_type}")
            || url == format!("https://github.com/stytch-totp/stytch-totp/blob/main/docs/ERRORS.md#{error_type}"),
        "{url}"
    );
    let request_id = body["request_id"].as_str().expect("request_id is a string");
    assert!(is_request_id(request_id), "{request_id}");
    check_no_secret(&Value::Object(body.clone()).to_string(), secrets);
}

/// A secret never shows in an error body, not even one the caller's own
/// request held (errors repeat no path and no key but short plain words).
pub fn check_no_secret(text: &str, secrets: &[String]) {
    let text_lower = text.to_ascii_lowercase();
    for s in secrets {
        assert!(
            !text_lower.contains(&s.to_ascii_lowercase()),
            "a secret leaked into an error: {text}"
        );
    }
}

fn is_request_id(id: &str) -> bool {
    id.starts_with("request-id-test-") || id.starts_with("request-id-live-")
}

/// Runs `work` on a shared fixture, made afresh every `REUSE` inputs (or on
/// every input when `STYTCH_FUZZ_FRESH` is set, to replay an artifact
/// deterministically). Reuse makes the targets several times faster; the
/// acceptance counts live as long as the fixture, so a code accepted by one
/// input and again by a later one is still caught.
pub fn with_fixture(work: impl FnOnce(&Fixture, &mut Acceptances)) {
    const REUSE: usize = 64;
    thread_local! {
        static SHARED: std::cell::RefCell<Option<(Fixture, Acceptances, usize)>> =
            const { std::cell::RefCell::new(None) };
    }
    let fresh = std::env::var_os("STYTCH_FUZZ_FRESH").is_some();
    SHARED.with(|cell| {
        let mut slot = cell.borrow_mut();
        if fresh || slot.as_ref().is_none_or(|(_, _, uses)| *uses >= REUSE) {
            *slot = None;
            *slot = Some((Fixture::memory(), Acceptances::default(), 0));
        }
        let (fixture, accepted, uses) = slot.as_mut().unwrap();
        *uses += 1;
        work(fixture, accepted);
    });
}

/// Checks one `stytch_call` response and returns it parsed.
pub fn check_response(json: &str, secrets: &[String]) -> Map<String, Value> {
    let value: Value = serde_json::from_str(json).expect("the response is JSON");
    let Value::Object(body) = value else {
        panic!("the response is not an object: {json}")
    };
    let status = body
        .get("status_code")
        .and_then(Value::as_u64)
        .expect("status_code");
    assert!(STATUSES.contains(&status), "status {status}");
    if status == 200 {
        assert!(!body.contains_key("error_type"), "{json}");
        assert!(is_request_id(body["request_id"].as_str().unwrap()));
    } else {
        check_error_body(&body, secrets);
    }
    body
}

/// Reads every field of an error handle and checks its JSON.
pub fn check_error_handle(err: *mut stytch_error, secrets: &[String]) -> u64 {
    assert!(!err.is_null(), "NULL result without an error");
    let status = stytch_error_status_code(h(err));
    for p in [
        stytch_error_type(h(err)),
        stytch_error_message(h(err)),
        stytch_error_url(h(err)),
        stytch_error_request_id(h(err)),
    ] {
        assert!(borrowed(p).is_some_and(|s| !s.is_empty()));
    }
    let json = take_string(stytch_error_to_json(h(err)));
    let body = check_response(&json, secrets);
    assert_eq!(body["status_code"].as_i64(), Some(i64::from(status)));
    assert_eq!(
        body["error_type"].as_str(),
        borrowed(stytch_error_type(h(err))).as_deref()
    );
    assert_eq!(
        body["error_message"].as_str(),
        borrowed(stytch_error_message(h(err))).as_deref()
    );
    unsafe { stytch_error_free(err) };
    status as u64
}

/// Reads every accessor of a `user` (in and out of range) and checks that they
/// agree with its JSON.
pub fn check_user(user: *const stytch_user) {
    assert!(!user.is_null());
    let json: Value = serde_json::from_str(&take_string(stytch_user_to_json(h(user)))).unwrap();
    assert_eq!(
        json["user_id"].as_str(),
        borrowed(stytch_user_user_id(h(user))).as_deref()
    );
    assert_eq!(
        json["is_locked"].as_bool(),
        Some(stytch_user_is_locked(h(user)))
    );
    assert_eq!(
        json["external_id"].as_str(),
        borrowed(stytch_user_external_id(h(user))).as_deref()
    );
    assert_eq!(
        json["lock_expires_at"].as_str(),
        borrowed(stytch_user_lock_expires_at(h(user))).as_deref()
    );
    for p in [
        stytch_user_status(h(user)),
        stytch_user_first_name(h(user)),
        stytch_user_middle_name(h(user)),
        stytch_user_last_name(h(user)),
        stytch_user_created_at(h(user)),
        stytch_user_trusted_metadata(h(user)),
        stytch_user_untrusted_metadata(h(user)),
    ] {
        assert!(borrowed(p).is_some());
    }
    let _ = borrowed(stytch_user_lock_created_at(h(user)));
    let n = stytch_user_emails_len(h(user));
    assert_eq!(json["emails"].as_array().unwrap().len(), n);
    for i in 0..=n {
        assert_eq!(borrowed(stytch_user_email_id(h(user), i)).is_some(), i < n);
        assert_eq!(
            borrowed(stytch_user_email_address(h(user), i)).is_some(),
            i < n
        );
        let _ = stytch_user_email_verified(h(user), i);
    }
    let n = stytch_user_phone_numbers_len(h(user));
    for i in 0..=n {
        assert_eq!(borrowed(stytch_user_phone_id(h(user), i)).is_some(), i < n);
        assert_eq!(borrowed(stytch_user_phone_number(h(user), i)).is_some(), i < n);
        let _ = stytch_user_phone_verified(h(user), i);
    }
    let n = stytch_user_totps_len(h(user));
    assert_eq!(json["totps"].as_array().unwrap().len(), n);
    for i in [0, n, usize::MAX] {
        assert_eq!(borrowed(stytch_user_totp_id(h(user), i)).is_some(), i < n);
        let _ = stytch_user_totp_verified(h(user), i);
    }
    let n = stytch_user_roles_len(h(user));
    assert_eq!(borrowed(stytch_user_role(h(user), n)), None);
}

/// Counts acceptances per code, to prove none is accepted twice: a TOTP code
/// value once, even when it is the code of two steps of the window; a
/// recovery code once.
#[derive(Default)]
pub struct Acceptances {
    totp: HashMap<String, usize>,
    recovery: HashMap<String, usize>,
}

impl Acceptances {
    pub fn totp(&mut self, fixture: &Fixture, code: &str) {
        let n = self.totp.entry(code.to_owned()).or_default();
        *n += 1;
        let steps = (-1..=1).filter(|&o| fixture.code(o) == code).count();
        assert!(
            *n <= 1,
            "TOTP code {code} accepted {n} times ({steps} matching steps)"
        );
    }

    pub fn recovery(&mut self, code: &str) {
        let normal: String = code
            .to_ascii_lowercase()
            .chars()
            .filter(|&c| c != '-')
            .collect();
        let n = self.recovery.entry(normal).or_default();
        *n += 1;
        assert!(*n <= 1, "recovery code {code} accepted twice");
    }
}

/// The `user_id`/code pair of an authenticate or recover body, if it parses.
pub fn attempt_fields(body: &[u8], code_field: &str) -> Option<(String, String)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    Some((
        v["user_id"].as_str()?.to_owned(),
        v[code_field].as_str()?.to_owned(),
    ))
}
