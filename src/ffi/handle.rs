//! A response handle: an engine body as it is, plus the C copies of the
//! strings C has read from it. An accessor names a field of the body and
//! nothing else, so a field added to a model needs only its accessor.

use super::{stytch_session, stytch_user};
use crate::engine::clock::format_rfc3339;
use crate::engine::models::{
    Session, SessionsAuthenticateResponse, TotpAuthenticateResponse, TotpCreateResponse, User,
    UsersCreateResponse, UsersDeleteTotpResponse, UsersGetResponse, to_json,
};
use serde::Serialize;
use std::collections::HashMap;
use std::ffi::{CString, c_char};
use std::ops::Deref;
use std::ptr;
use std::sync::{Mutex, OnceLock, PoisonError};
use zeroize::Zeroizing;

/// A body and the NUL-terminated copies made of its strings, each made once,
/// on first use, and wiped when the handle is freed (any may be a secret).
pub struct Handle<T> {
    body: T,
    /// Keyed by where their source lives in `body` (see `c_text`).
    texts: Mutex<HashMap<(usize, usize), Zeroizing<CString>>>,
    user: OnceLock<Box<stytch_user>>,
    session: OnceLock<Option<Box<stytch_session>>>,
}

impl<T> Handle<T> {
    pub fn new(body: T) -> Self {
        Self {
            body,
            texts: Mutex::new(HashMap::new()),
            user: OnceLock::new(),
            session: OnceLock::new(),
        }
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    /// A borrowed C copy of `s`, a string inside this handle's body, valid
    /// until the handle is freed. Engine strings hold no NUL (control
    /// characters are refused); were one there, the copy would end at it.
    pub fn c_str(&self, s: &str) -> *const c_char {
        if s.is_empty() {
            // Nothing to copy or wipe (see `crate::wipe::take_secret`).
            return c"".as_ptr();
        }
        self.c_text((s.as_ptr() as usize, s.len()), || {
            Zeroizing::new(s.to_owned())
        })
    }

    /// A borrowed C copy of `value`, a part of this handle's body, as JSON.
    pub fn c_json<V: Serialize>(&self, value: &V) -> *const c_char {
        let key = (value as *const V as usize, usize::MAX);
        self.c_text(key, || to_json(value))
    }

    /// The copy stored under `key` (where its source lives in the body: the
    /// body never changes, so one key always means the same text), made by
    /// `make` on first use.
    fn c_text(
        &self,
        key: (usize, usize),
        make: impl FnOnce() -> Zeroizing<String>,
    ) -> *const c_char {
        let mut texts = self.texts.lock().unwrap_or_else(PoisonError::into_inner);
        let copy = texts.entry(key).or_insert_with(|| {
            let text = make();
            let text = text.split('\0').next().unwrap_or_default();
            Zeroizing::new(CString::new(text).unwrap_or_default())
        });
        // The CString's buffer does not move when the map grows.
        copy.as_ptr()
    }

    /// A borrowed C copy of `unix_time`, a part of this handle's body, as
    /// RFC 3339 UTC (as the body's JSON writes it).
    pub fn c_time(&self, unix_time: &i64) -> *const c_char {
        let key = (unix_time as *const i64 as usize, usize::MAX - 1);
        self.c_text(key, || Zeroizing::new(format_rfc3339(*unix_time)))
    }

    /// `c_str`, or NULL for an absent (JSON null) value.
    pub fn c_opt(&self, s: Option<&str>) -> *const c_char {
        s.map_or(ptr::null(), |s| self.c_str(s))
    }
}

impl<T> Deref for Handle<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// A response that carries a `user` object.
pub trait HasUser {
    fn user(&self) -> &User;
}

impl<T: HasUser> Handle<T> {
    /// The user view of the body, made on first use (most callers never ask),
    /// borrowed from this handle.
    pub fn user_view(&self) -> *const stytch_user {
        &**self
            .user
            .get_or_init(|| Box::new(stytch_user(Handle::new(self.body.user().clone()))))
    }
}

macro_rules! has_user {
    ($($body:ty),*) => {$(
        impl HasUser for $body {
            fn user(&self) -> &User {
                &self.user
            }
        }
    )*};
}
has_user!(
    UsersCreateResponse,
    UsersGetResponse,
    UsersDeleteTotpResponse,
    TotpCreateResponse,
    TotpAuthenticateResponse,
    SessionsAuthenticateResponse
);

/// A response that may carry a `session` object.
pub trait HasSession {
    fn session(&self) -> Option<&Session>;
}

impl<T: HasSession> Handle<T> {
    /// The session view of the body, made on first use, borrowed from this
    /// handle; NULL when the body has no session.
    pub fn session_view(&self) -> *const stytch_session {
        let view = self.session.get_or_init(|| {
            let session = self.body.session()?.clone();
            Some(Box::new(stytch_session(Handle::new(session))))
        });
        view.as_deref()
            .map_or(ptr::null(), |v| v as *const stytch_session)
    }
}

impl HasSession for Session {
    fn session(&self) -> Option<&Session> {
        Some(self)
    }
}

impl HasSession for SessionsAuthenticateResponse {
    fn session(&self) -> Option<&Session> {
        Some(&self.session)
    }
}

impl HasSession for TotpAuthenticateResponse {
    fn session(&self) -> Option<&Session> {
        self.session.as_deref()
    }
}
