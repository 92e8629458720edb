//! The request layer: one typed request per route, filled alike by the JSON
//! door (`stytch_call`) and the typed C entry points, then served by the
//! engine. How a raw argument's shape (absent, wrong type, not UTF-8, too
//! long) becomes an error is decided here, once, by [`Input::problem`].

use super::body::Body;
use super::error::ApiError;
use super::search::SearchUsersRequest;
use super::sessions::SessionArgs;
use super::users::CreateUserRequest;
use super::{Client, ErrorResponse};
use crate::otp::SecretString;
use serde::Serialize;
use serde_json::{Map, Value};

/// Largest request body or config accepted, in bytes.
pub const MAX_BODY_LEN: usize = 64 * 1024;
/// Longest string argument any door takes, in bytes (bodies are capped lower).
pub const MAX_INPUT_LEN: usize = 1 << 20;

/// One argument as a door received it, before any rule has looked at it. The
/// C door only reads a pointer into one of these; the JSON door maps a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// JSON: missing or `null`. C: NULL.
    Absent,
    Text(&'a str),
    /// C: bytes that are not UTF-8.
    NotUtf8,
    /// C: longer than [`MAX_INPUT_LEN`].
    TooLong,
    /// JSON: a value of another type; names the type expected ("a string").
    WrongType(&'static str),
}

impl<'a> Input<'a> {
    /// What is wrong with the argument's shape, as the end of a message that
    /// starts with the field's name; `None` for text. Absent is a problem
    /// only for required arguments.
    fn problem(self) -> Option<String> {
        match self {
            Input::Text(_) => None,
            Input::Absent => Some("is required".to_owned()),
            Input::NotUtf8 => Some("is not valid UTF-8".to_owned()),
            Input::TooLong => Some(format!("is longer than {MAX_INPUT_LEN} bytes")),
            Input::WrongType(expected) => Some(format!("must be {expected}")),
        }
    }

    /// A required string argument: anything but text is a 400 `bad_request`
    /// naming the field.
    pub fn required(self, field: &str) -> Result<&'a str, ApiError> {
        self.optional(field)?
            .ok_or_else(|| shape_error(field, Input::Absent))
    }

    /// An optional string argument: absent is `None`.
    pub fn optional(self, field: &str) -> Result<Option<&'a str>, ApiError> {
        match self {
            Input::Text(s) => Ok(Some(s)),
            Input::Absent => Ok(None),
            other => Err(shape_error(field, other)),
        }
    }
}

pub(super) fn shape_error(field: &str, input: Input<'_>) -> ApiError {
    shape_message(field, input, ApiError::bad_request)
}

fn shape_message(field: &str, input: Input<'_>, error: fn(String) -> ApiError) -> ApiError {
    error(format!("{field} {}", input.problem().unwrap_or_default()))
}

/// A typed request: what both doors fill and the engine serves.
pub trait Request {
    type Response: Serialize;
    fn serve(&self, client: &Client) -> Result<Self::Response, ErrorResponse>;
}

/// A request whose JSON door reads a body of named fields.
pub trait FromFields: Sized {
    /// Every field the body may hold; any other is an unknown field.
    const FIELDS: &'static [&'static str];
    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError>;

    /// Reads a body: the fields' shapes and the route's own checks first,
    /// then unknown fields.
    fn from_json(body: Option<&str>) -> Result<Self, ApiError> {
        let fields = Body::parse(body, Self::FIELDS)?;
        let request = Self::from_fields(&fields)?;
        fields.only_known()?;
        Ok(request)
    }
}

/// Requests of one required ID, taken from the path by the JSON door.
macro_rules! id_requests {
    ($($(#[$doc:meta])* $name:ident { $field:ident })*) => {$(
        $(#[$doc])*
        pub struct $name {
            pub $field: String,
        }

        impl $name {
            pub fn new($field: Input<'_>) -> Result<Self, ApiError> {
                let $field = $field.required(stringify!($field))?.to_owned();
                Ok(Self { $field })
            }
        }
    )*};
}

id_requests! {
    /// `GET /v1/users/{user_id}`.
    GetUserRequest { user_id }
    /// `DELETE /v1/users/{user_id}`.
    DeleteUserRequest { user_id }
    /// `DELETE /v1/users/totps/{totp_id}`.
    DeleteTotpRequest { totp_id }
    /// `POST /v1/totps/recovery_codes` (its body has the ID).
    RecoveryCodesRequest { user_id }
}

/// `POST /v1/totps`. `expiration_minutes`: `None` or 0 for the default.
pub struct CreateTotpRequest {
    pub user_id: String,
    pub expiration_minutes: Option<i64>,
}

/// `POST /v1/totps/authenticate`.
pub struct AuthenticateRequest {
    pub user_id: String,
    pub totp_code: SecretString,
    pub session: SessionArgs,
}

/// `POST /v1/totps/recover`.
pub struct RecoverRequest {
    pub user_id: String,
    pub recovery_code: SecretString,
    pub session: SessionArgs,
}

/// `POST /v1/sessions/authenticate`.
pub struct SessionsAuthenticateRequest {
    pub session: SessionArgs,
}

/// `POST /v1/sessions/revoke`: exactly one of the three.
pub struct SessionsRevokeRequest {
    pub session_id: Option<String>,
    pub session: SessionArgs,
}

/// Local verification of a session JWT (the official SDKs'
/// `authenticate_jwt_local`; no route). `max_token_age_seconds`: `None` for
/// no limit; `leeway_seconds` widens the lifetime checks.
pub struct SessionsAuthenticateJwtLocalRequest {
    pub session_jwt: SecretString,
    pub max_token_age_seconds: Option<i64>,
    pub leeway_seconds: i64,
}

id_requests! {
    /// `GET /v1/sessions?user_id=`.
    SessionsGetRequest { user_id }
    /// `GET /v1/sessions/jwks/{project_id}`.
    JwksRequest { project_id }
}

impl CreateTotpRequest {
    pub fn new(user_id: Input<'_>, expiration_minutes: Option<i64>) -> Result<Self, ApiError> {
        let user_id = user_id.required("user_id")?.to_owned();
        Ok(Self {
            user_id,
            expiration_minutes,
        })
    }
}

impl FromFields for CreateTotpRequest {
    const FIELDS: &'static [&'static str] = &["user_id", "expiration_minutes"];

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        // Range errors are `invalid_expiration`, decided by the engine.
        Self::new(fields.input("user_id"), fields.int("expiration_minutes")?)
    }
}

/// The session parameters of a sign-in, as Stytch names them.
const SESSION_FIELDS: [&str; 4] = [
    "session_token",
    "session_jwt",
    "session_duration_minutes",
    "session_custom_claims",
];

/// Refuses the parameters of authenticate and recover that this library
/// accepts in Stytch's API but does not implement.
fn refuse_unsupported(fields: &Body<'_>) -> Result<(), ApiError> {
    fields.refuse(
        "telemetry_id",
        "device fingerprinting is not available offline",
    )
}

impl SessionArgs {
    /// The session arguments of a typed call: `session_custom_claims` is
    /// JSON text, `session_duration_minutes` `None` when not given.
    pub fn new(
        session_token: Input<'_>,
        session_jwt: Input<'_>,
        session_duration_minutes: Option<i64>,
        session_custom_claims: Input<'_>,
    ) -> Result<Self, ApiError> {
        let secret = |input: Input<'_>, name: &str| -> Result<_, ApiError> {
            let text = input.optional(name)?;
            Ok(text.map(|t| SecretString::from(t.to_owned())))
        };
        let claims = session_custom_claims.optional("session_custom_claims")?;
        let claims = claims
            .map(|text| {
                serde_json::from_str(text)
                    .map_err(|_| ApiError::bad_request("session_custom_claims is not valid JSON"))
            })
            .transpose()?;
        Ok(Self {
            session_token: secret(session_token, "session_token")?,
            session_jwt: secret(session_jwt, "session_jwt")?,
            session_duration_minutes,
            session_custom_claims: claims,
        })
    }

    /// Reads the session fields of a body; `null` is absent.
    pub fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        let secret = |name: &str| -> Result<Option<SecretString>, ApiError> {
            let text = fields.input(name).optional(name)?;
            Ok(text.map(|t| SecretString::from(t.to_owned())))
        };
        Ok(Self {
            session_token: secret("session_token")?,
            session_jwt: secret("session_jwt")?,
            session_duration_minutes: fields.int("session_duration_minutes")?,
            session_custom_claims: fields.value("session_custom_claims"),
        })
    }
}

impl AuthenticateRequest {
    /// Without session arguments (set `session` for them).
    pub fn new(user_id: Input<'_>, totp_code: Input<'_>) -> Result<Self, ApiError> {
        let user_id = user_id.required("user_id")?.to_owned();
        let totp_code = SecretString::from(totp_code.required("totp_code")?.to_owned());
        Ok(Self {
            user_id,
            totp_code,
            session: SessionArgs::default(),
        })
    }
}

impl FromFields for AuthenticateRequest {
    const FIELDS: &'static [&'static str] = &[
        "user_id",
        "totp_code",
        SESSION_FIELDS[0],
        SESSION_FIELDS[1],
        SESSION_FIELDS[2],
        SESSION_FIELDS[3],
    ];

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        refuse_unsupported(fields)?;
        let mut request = Self::new(fields.input("user_id"), fields.input("totp_code"))?;
        request.session = SessionArgs::from_fields(fields)?;
        Ok(request)
    }
}

impl FromFields for SessionsAuthenticateRequest {
    const FIELDS: &'static [&'static str] = &SESSION_FIELDS;

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        fields.refuse(
            "authorization_check",
            "role-based authorization is not available in this library",
        )?;
        Ok(Self {
            session: SessionArgs::from_fields(fields)?,
        })
    }
}

impl FromFields for SessionsRevokeRequest {
    const FIELDS: &'static [&'static str] = &["session_id", "session_token", "session_jwt"];

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        let session_id = fields.input("session_id").optional("session_id")?;
        Ok(Self {
            session_id: session_id.map(str::to_owned),
            session: SessionArgs::from_fields(fields)?,
        })
    }
}

impl SessionsRevokeRequest {
    pub fn new(
        session_id: Input<'_>,
        session_token: Input<'_>,
        session_jwt: Input<'_>,
    ) -> Result<Self, ApiError> {
        let session_id = session_id.optional("session_id")?.map(str::to_owned);
        let session = SessionArgs::new(session_token, session_jwt, None, Input::Absent)?;
        Ok(Self {
            session_id,
            session,
        })
    }
}

impl SessionsAuthenticateJwtLocalRequest {
    pub fn new(
        session_jwt: Input<'_>,
        max_token_age_seconds: Option<i64>,
        leeway_seconds: i64,
    ) -> Result<Self, ApiError> {
        let session_jwt = SecretString::from(session_jwt.required("session_jwt")?.to_owned());
        if max_token_age_seconds.is_some_and(|max| max < 0) {
            return Err(ApiError::bad_request(
                "max_token_age_seconds must not be negative",
            ));
        }
        if leeway_seconds < 0 {
            return Err(ApiError::bad_request("leeway_seconds must not be negative"));
        }
        Ok(Self {
            session_jwt,
            max_token_age_seconds,
            leeway_seconds,
        })
    }
}

impl FromFields for RecoveryCodesRequest {
    const FIELDS: &'static [&'static str] = &["user_id"];

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        Self::new(fields.input("user_id"))
    }
}

impl RecoverRequest {
    pub fn new(user_id: Input<'_>, recovery_code: Input<'_>) -> Result<Self, ApiError> {
        let user_id = user_id.required("user_id")?.to_owned();
        let recovery_code = SecretString::from(recovery_code.required("recovery_code")?.to_owned());
        Ok(Self {
            user_id,
            recovery_code,
            session: SessionArgs::default(),
        })
    }
}

impl FromFields for RecoverRequest {
    const FIELDS: &'static [&'static str] = &[
        "user_id",
        "recovery_code",
        SESSION_FIELDS[0],
        SESSION_FIELDS[1],
        SESSION_FIELDS[2],
        SESSION_FIELDS[3],
    ];

    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        refuse_unsupported(fields)?;
        let mut request = Self::new(fields.input("user_id"), fields.input("recovery_code"))?;
        request.session = SessionArgs::from_fields(fields)?;
        Ok(request)
    }
}

/// What each request's route answers, and the engine call that serves it.
macro_rules! serves {
    ($($request:ty => $response:ident: |$r:ident, $c:ident| $serve:expr;)*) => {$(
        impl Request for $request {
            type Response = super::models::$response;
            fn serve(&self, client: &Client) -> Result<Self::Response, ErrorResponse> {
                let ($r, $c) = (self, client);
                $serve
            }
        }
    )*};
}

serves! {
    CreateUserRequest => UsersCreateResponse: |r, c| c.create_user(r);
    GetUserRequest => UsersGetResponse: |r, c| c.get_user(&r.user_id);
    DeleteUserRequest => UsersDeleteResponse: |r, c| c.delete_user(&r.user_id);
    DeleteTotpRequest => UsersDeleteTotpResponse: |r, c| c.delete_totp(&r.totp_id);
    CreateTotpRequest => TotpCreateResponse: |r, c| c.create_totp(&r.user_id, r.expiration_minutes);
    AuthenticateRequest => TotpAuthenticateResponse:
        |r, c| c.authenticate_totp_with_session(&r.user_id, r.totp_code.expose(), &r.session);
    RecoveryCodesRequest => TotpRecoveryCodesResponse: |r, c| c.recovery_codes(&r.user_id);
    RecoverRequest => TotpRecoverResponse:
        |r, c| c.recover_with_session(&r.user_id, r.recovery_code.expose(), &r.session);
    SessionsAuthenticateRequest => SessionsAuthenticateResponse:
        |r, c| c.authenticate_session(&r.session);
    SessionsRevokeRequest => SessionsRevokeResponse:
        |r, c| c.revoke_session(r.session_id.as_deref(), &r.session);
    SessionsGetRequest => SessionsGetResponse: |r, c| c.user_sessions(&r.user_id);
    JwksRequest => JwksResponse: |r, c| c.jwks(&r.project_id);
    SessionsAuthenticateJwtLocalRequest => Session: |r, c| c.authenticate_jwt_local(
        r.session_jwt.expose(),
        r.max_token_age_seconds,
        r.leeway_seconds,
    );
    SearchUsersRequest => UsersSearchResponse: |r, c| c.search_users(r);
}

/// A JSON object read field by field. Requests read string fields as
/// [`Input`]s and then name every field they know (`only`); the config reads
/// and removes fields one by one, then refuses the rest (`finish`).
pub struct Fields {
    map: Map<String, Value>,
    what: String,
    error: fn(String) -> ApiError,
}

impl Fields {
    /// `what` names the object in errors ("request body", "lockout", …), and
    /// `error` makes them (`ApiError::bad_request` for requests).
    pub fn new(value: Value, what: &str, error: fn(String) -> ApiError) -> Result<Self, ApiError> {
        match value {
            Value::Object(map) => Ok(Self {
                map,
                what: what.to_owned(),
                error,
            }),
            _ => Err(not_an_object(what, error)),
        }
    }

    /// Parses a request body; an empty body is an empty object.
    pub fn parse(body: Option<&str>) -> Result<Self, ApiError> {
        let body = body_text(body)?.unwrap_or("{}");
        let value = serde_json::from_str(body).map_err(not_valid_json)?;
        Self::new(value, "request body", |detail| {
            ApiError::bad_request(detail)
        })
    }

    /// An optional integer field, left in place (`null` is absent).
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        let given = self.map.get(key).filter(|v| !v.is_null());
        Self::integer(key, given.map(Value::as_i64), self.error)
    }

    /// A given field's integer (`Some(None)`: a value that is not one, a
    /// shape error); `None` when absent.
    pub(super) fn integer(
        key: &str,
        given: Option<Option<i64>>,
        error: fn(String) -> ApiError,
    ) -> Result<Option<i64>, ApiError> {
        let not_integer = || shape_message(key, Input::WrongType("an integer"), error);
        given.map(|n| n.ok_or_else(not_integer)).transpose()
    }

    fn shape_error(&self, key: &str, input: Input<'_>) -> ApiError {
        shape_message(key, input, self.error)
    }

    /// An optional field, removed; JSON `null` counts as absent.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    pub fn opt_str(&mut self, key: &str) -> Result<Option<String>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.shape_error(key, Input::WrongType("a string"))),
        }
    }

    /// A required string field, removed.
    pub fn str(&mut self, key: &str) -> Result<String, ApiError> {
        self.opt_str(key)?
            .ok_or_else(|| self.shape_error(key, Input::Absent))
    }

    pub fn opt_int(&mut self, key: &str) -> Result<Option<i64>, ApiError> {
        let n = self.int(key)?;
        self.map.remove(key);
        Ok(n)
    }

    /// An optional integer that must lie in `min..=max`, left in place.
    fn int_in(&self, key: &str, range: (i64, i64)) -> Result<Option<i64>, ApiError> {
        Self::in_range(key, self.int(key)?, range, self.error)
    }

    /// `n`, unless it lies outside `min..=max`.
    pub(super) fn in_range(
        key: &str,
        n: Option<i64>,
        (min, max): (i64, i64),
        error: fn(String) -> ApiError,
    ) -> Result<Option<i64>, ApiError> {
        match n {
            Some(n) if !(min..=max).contains(&n) => Err(error(format!(
                "{key} must be between {min} and {max}, got {n}"
            ))),
            n => Ok(n),
        }
    }

    /// An optional integer that must lie in `min..=max`, removed.
    pub fn opt_int_in(&mut self, key: &str, range: (i64, i64)) -> Result<Option<i64>, ApiError> {
        let n = self.int_in(key, range)?;
        self.map.remove(key);
        Ok(n)
    }

    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(self.shape_error(key, Input::WrongType("true or false"))),
        }
    }

    pub fn opt_array(&mut self, key: &str) -> Result<Option<Vec<Value>>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.shape_error(key, Input::WrongType("an array"))),
        }
    }

    pub fn opt_object(&mut self, key: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(self.shape_error(key, Input::WrongType("an object"))),
        }
    }

    /// An optional nested object, read field by field like this one.
    pub fn opt_fields(&mut self, key: &str) -> Result<Option<Fields>, ApiError> {
        let error = self.error;
        self.opt_object(key)?
            .map(|map| Fields::new(Value::Object(map), key, error))
            .transpose()
    }

    fn unknown_field(&self, key: &str) -> ApiError {
        unknown_field(key, &self.what, self.error)
    }

    /// Its fields, as parsed.
    #[cfg(test)]
    pub(super) fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// Fails if any field was not taken.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.map.keys().next() {
            Some(key) => Err(self.unknown_field(key)),
            None => Ok(()),
        }
    }
}

/// A request body's text without the white space around it: `None` when
/// empty, an error when too long. Only JSON's white space (RFC 8259: space,
/// tab, line feed, carriage return) is trimmed; other Unicode spaces, such as
/// a form feed, stay for the parser to refuse.
pub(super) fn body_text(body: Option<&str>) -> Result<Option<&str>, ApiError> {
    let json_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    match body
        .map(|b| b.trim_matches(json_space))
        .filter(|b| !b.is_empty())
    {
        Some(body) if body.len() > MAX_BODY_LEN => Err(ApiError::bad_request(format!(
            "the request body is larger than {MAX_BODY_LEN} bytes"
        ))),
        body => Ok(body),
    }
}

/// The error for a request body the JSON parser refused.
pub(super) fn not_valid_json(e: serde_json::Error) -> ApiError {
    ApiError::bad_request(format!("the request body is not valid JSON ({e})"))
}

/// The error for a field of an object (`what`) that is not one of its own.
pub(super) fn unknown_field(key: &str, what: &str, error: fn(String) -> ApiError) -> ApiError {
    error(format!("unknown field {} in the {what}", echo(key)))
}

/// The error for an object (`what`) that is another JSON value.
pub(super) fn not_an_object(what: &str, error: fn(String) -> ApiError) -> ApiError {
    error(format!("the {what} must be a JSON object"))
}

/// What an error message may repeat of a word the caller sent (a field name,
/// a method): the word itself, quoted, when it is 1 to 24 ASCII letters and
/// underscores, else a placeholder. No secret this library issues has that
/// form (codes have digits or dashes; a key is 32 characters), and a caller's
/// own secrets rarely do.
pub fn echo(word: &str) -> String {
    let plain = (1..=24).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_');
    match plain {
        true => format!("\"{word}\""),
        false => "(not shown)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_words_are_echoed() {
        assert_eq!(echo("user_id"), "\"user_id\"");
        assert_eq!(echo("POST"), "\"POST\"");
        for hidden in [
            "",
            "abcd-efgh-ijkl",
            "123456",
            "/v1/totps/recover/abcd",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZDGNBVGYTQOJQGEZDGNBVGYTQOJQA",
            "a\"b",
        ] {
            assert_eq!(echo(hidden), "(not shown)", "{hidden:?}");
        }
    }

    #[test]
    fn every_shape_of_a_missing_or_unreadable_argument_is_a_bad_request_naming_it() {
        for (input, says) in [
            (Input::Absent, "totp_code is required"),
            (Input::NotUtf8, "totp_code is not valid UTF-8"),
            (Input::TooLong, "totp_code is longer than 1048576 bytes"),
            (Input::WrongType("a string"), "totp_code must be a string"),
        ] {
            let e = input.required("totp_code").unwrap_err();
            assert_eq!(e.error_type(), "bad_request");
            assert!(e.error_message.ends_with(says), "{}", e.error_message);
        }
        assert_eq!(Input::Text("").required("x").unwrap(), "");
        assert_eq!(Input::Absent.optional("x").unwrap(), None);
    }
}
