//! Every error type, its HTTP status and its messages.

use std::fmt;
use strum::{EnumProperty, IntoEnumIterator};

/// Where this library documents the error types it adds to Stytch's.
pub const ERRORS_DOC_URL: &str =
    "https://github.com/stytch-totp/stytch-totp/blob/main/docs/ERRORS.md";

/// Where Stytch documents its error types, by status (`.../404#user_not_found`).
const STYTCH_ERRORS_URL: &str = "https://stytch.com/docs/api-reference/consumer/api/errors/";

/// An error type, as `stytch_error_get_code` returns it. Its name in words is
/// Stytch's `error_type` (`STYTCH_ERROR_CODE_USER_NOT_FOUND` is
/// `"user_not_found"`); its value is the HTTP status times 100 plus a serial
/// number, so the status is the value / 100. `docs/ERRORS.md` lists every
/// type with its status and meaning.
// Adding a type is one line here plus its section in docs/ERRORS.md: the
// header, the bindings' constants and the docs test follow. A type this
// library adds to Stytch's says so with `props(doc = "project")`, which points
// its `error_url` at docs/ERRORS.md.
#[repr(C)]
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::EnumProperty,
)]
#[strum(serialize_all = "snake_case")]
pub enum ErrorType {
    /// 400: a required field is missing, has the wrong type, is not UTF-8 or
    /// is too long; or the body is not a JSON object, or has an unknown field.
    BadRequest = 40001,
    /// 400: an empty or malformed `user_id`.
    InvalidUserId = 40002,
    /// 400: `email` is not an email address.
    InvalidEmail = 40003,
    /// 400: `phone_number` is not E.164.
    InvalidPhoneNumber = 40004,
    /// 400: another user has this `external_id`.
    DuplicateExternalId = 40005,
    /// 400: another user has this `email` (compared without regard to ASCII
    /// case).
    DuplicateEmail = 40026,
    /// 400: another user has this `phone_number`.
    DuplicatePhoneNumber = 40027,
    /// 400: `expiration_minutes` is out of range.
    InvalidExpiration = 40006,
    /// 400: the user already has a verified TOTP.
    ActiveTotpExists = 40007,
    /// 400: `totp_code` is not six ASCII digits.
    InvalidTotpCode = 40008,
    /// 400: the unverified TOTP ran past its `expiration_minutes`.
    ExpiredTotp = 40009,
    /// 400: a TOTP code of a step already used.
    TotpCodeAlreadyAuthenticated = 40010,
    /// 400: `recovery_code` is not `xxxx-xxxx-xxxx`.
    InvalidRecoveryCode = 40011,
    /// 400: a six-digit TOTP code sent as a recovery code.
    TotpCodeUsedAsRecoveryCode = 40012,
    /// 400: the client configuration is invalid.
    #[strum(props(doc = "project"))]
    InvalidConfig = 40013,
    /// 400: a client created before `fork()` was used in the child process.
    #[strum(props(doc = "project"))]
    ClientUsedAfterFork = 40014,
    /// 400: the encryption keys do not fit the store.
    #[strum(props(doc = "project"))]
    EncryptionKeyMismatch = 40015,
    /// 400: the client asks for a lockout policy other than the store's.
    #[strum(props(doc = "project"))]
    LockoutPolicyMismatch = 40016,
    /// 400: the database file cannot safely be used as it is.
    #[strum(props(doc = "project"))]
    DatabaseRefused = 40017,
    /// 400: `session_duration_minutes` is outside 5..=527040.
    InvalidSessionDurationMinutes = 40018,
    /// 400: `session_custom_claims` is not a JSON object.
    UnableToRepresentCustomClaimsJson = 40019,
    /// 400: a custom claim uses a registered JWT claim name.
    ReservedClaimsInCustomClaims = 40020,
    /// 400: a custom claim name starts with `https://stytch.com/`.
    StytchClaimsInCustomClaims = 40021,
    /// 400: the session's custom claims would exceed 4 KB.
    CustomClaimsTooLarge = 40022,
    /// 400: `session_token` cannot be a session token.
    InvalidSessionToken = 40023,
    /// 400: more than one of `session_token`, `session_jwt` (and, to revoke,
    /// `session_id`).
    TooManySessionArguments = 40024,
    /// 400: the session belongs to another user.
    UserIdMismatch = 40025,
    /// 401: a wrong TOTP code (counted towards the lockout).
    UnableToAuthenticateTotp = 40101,
    /// 401: a wrong or used recovery code (counted towards the lockout).
    UnableToAuthenticateRecoveryCode = 40102,
    /// 401: `session_jwt` is not a session JWT of this project's keys.
    UnableToParseSessionJwt = 40103,
    /// 404: no user has this `user_id` or `external_id`.
    UserNotFound = 40401,
    /// 404: no usable TOTP.
    TotpNotFound = 40402,
    /// 404: no such method and path in `stytch_call`.
    #[strum(props(doc = "project"))]
    RouteNotFound = 40403,
    /// 404: no live session matches the token, JWT or ID.
    SessionNotFound = 40404,
    /// 429: the user is locked out after too many failures.
    UserLockLimitReached = 42901,
    /// 500: the library failed (storage, clock, a caught panic).
    #[strum(props(doc = "project"))]
    InternalServerError = 50001,
    /// 503: the database server cannot be reached, or is starting or
    /// stopping; nothing was changed, and trying again later can succeed.
    #[strum(props(doc = "project"))]
    DatabaseUnavailable = 50301,
}

impl ErrorType {
    /// Stytch's `error_type`, e.g. `"user_not_found"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn status_code(self) -> u16 {
        (self as u32 / 100) as u16
    }

    /// A type this library adds to Stytch's: documented in `docs/ERRORS.md`.
    pub fn is_project_own(self) -> bool {
        self.get_str("doc") == Some("project")
    }

    /// Where this error type is documented. Written piece by piece: every
    /// failed sign-in carries one, and `format!` cost more than the rest of
    /// the error.
    pub fn doc_url(self) -> String {
        let name = self.as_str();
        let mut url = String::with_capacity(ERRORS_DOC_URL.len() + 1 + name.len());
        if self.is_project_own() {
            url.push_str(ERRORS_DOC_URL);
        } else {
            // An HTTP status: three digits.
            let status = self.status_code();
            let digits = [status / 100, status / 10 % 10, status % 10];
            url.push_str(STYTCH_ERRORS_URL);
            url.extend(digits.map(|d| char::from(b'0' + d as u8)));
        }
        url.push('#');
        url.push_str(name);
        url
    }

    /// Every error type, in declaration order.
    pub fn all() -> impl Iterator<Item = ErrorType> {
        Self::iter()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ErrorType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Self::all().map(Self::as_str).collect();
        schemars::json_schema!({ "type": "string", "enum": names })
    }
}

/// Compared with Stytch's `error_type` string: `code == "user_not_found"`.
impl PartialEq<&str> for ErrorType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Serialised as its string form, the body's `error_type`.
impl serde::Serialize for ErrorType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<crate::sessions::SessionError> for ApiError {
    fn from(e: crate::sessions::SessionError) -> Self {
        use crate::sessions::SessionError as E;
        let code = match &e {
            E::InvalidDuration => ErrorType::InvalidSessionDurationMinutes,
            E::ClaimsNotAnObject => ErrorType::UnableToRepresentCustomClaimsJson,
            E::ReservedClaim(_) => ErrorType::ReservedClaimsInCustomClaims,
            E::StytchClaim(_) => ErrorType::StytchClaimsInCustomClaims,
            E::ClaimsTooLarge => ErrorType::CustomClaimsTooLarge,
            E::InvalidToken => ErrorType::InvalidSessionToken,
            E::Jwt(_) => ErrorType::UnableToParseSessionJwt,
            E::Key(_) => ErrorType::InternalServerError,
        };
        debug_assert_eq!(code.as_str(), e.error_type());
        Self::new(code, e.to_string())
    }
}

/// An API error before it gets its `request_id`: what went wrong and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorType,
    pub error_message: String,
}

impl ApiError {
    fn new(code: ErrorType, message: impl Into<String>) -> Self {
        Self {
            code,
            error_message: message.into(),
        }
    }

    pub fn status_code(&self) -> u16 {
        self.code.status_code()
    }

    pub fn error_type(&self) -> &'static str {
        self.code.as_str()
    }

    /// 400 `bad_request`, saying which field or part of the request is wrong.
    pub fn bad_request(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::BadRequest,
            format!("The submitted request is invalid: {detail}"),
        )
    }

    pub fn invalid_user_id() -> Self {
        Self::new(ErrorType::InvalidUserId, "user_id format is invalid.")
    }

    pub fn user_not_found() -> Self {
        Self::new(ErrorType::UserNotFound, "User could not be found.")
    }

    pub fn invalid_email() -> Self {
        Self::new(ErrorType::InvalidEmail, "Email format is invalid.")
    }

    pub fn invalid_phone_number() -> Self {
        Self::new(
            ErrorType::InvalidPhoneNumber,
            "Phone number format is invalid.",
        )
    }

    pub fn duplicate_external_id() -> Self {
        Self::new(
            ErrorType::DuplicateExternalId,
            "A user with this external_id already exists.",
        )
    }

    /// Another user has this email address (compared without regard to
    /// ASCII case).
    pub fn duplicate_email() -> Self {
        Self::new(
            ErrorType::DuplicateEmail,
            "A user with this email already exists.",
        )
    }

    pub fn duplicate_phone_number() -> Self {
        Self::new(
            ErrorType::DuplicatePhoneNumber,
            "A user with this phone number already exists.",
        )
    }

    pub fn invalid_expiration(min: i64, max: i64) -> Self {
        Self::new(
            ErrorType::InvalidExpiration,
            format!("expiration_minutes must be between {min} and {max}."),
        )
    }

    pub fn active_totp_exists() -> Self {
        Self::new(
            ErrorType::ActiveTotpExists,
            "Cannot create a new TOTP for the specified user since the user already has an \
             active TOTP. Users may only have one active TOTP at a time.",
        )
    }

    pub fn totp_not_found() -> Self {
        Self::new(ErrorType::TotpNotFound, "TOTP could not be found.")
    }

    pub fn invalid_totp_code() -> Self {
        Self::new(
            ErrorType::InvalidTotpCode,
            "totp_code format is invalid: it must be exactly 6 digits.",
        )
    }

    pub fn expired_totp() -> Self {
        Self::new(
            ErrorType::ExpiredTotp,
            "The TOTP has expired: it was not authenticated within its expiration_minutes. \
             Create a new one.",
        )
    }

    pub fn totp_code_already_authenticated() -> Self {
        Self::new(
            ErrorType::TotpCodeAlreadyAuthenticated,
            "This TOTP code has already been authenticated. Please attempt with the next \
             generated code.",
        )
    }

    pub fn unable_to_authenticate_totp() -> Self {
        Self::new(
            ErrorType::UnableToAuthenticateTotp,
            "The TOTP code could not be authenticated.",
        )
    }

    pub fn invalid_recovery_code() -> Self {
        Self::new(
            ErrorType::InvalidRecoveryCode,
            "recovery_code format is invalid: it must look like xxxx-xxxx-xxxx.",
        )
    }

    pub fn totp_code_used_as_recovery_code() -> Self {
        Self::new(
            ErrorType::TotpCodeUsedAsRecoveryCode,
            "A TOTP code was submitted as a recovery code. Use the authenticate endpoint for \
             TOTP codes.",
        )
    }

    pub fn unable_to_authenticate_recovery_code() -> Self {
        Self::new(
            ErrorType::UnableToAuthenticateRecoveryCode,
            "The recovery code could not be authenticated.",
        )
    }

    pub fn user_lock_limit_reached() -> Self {
        Self::new(
            ErrorType::UserLockLimitReached,
            "The user has been locked out due to too many failed authentication attempts. \
             Please try again later.",
        )
    }

    /// `method` as an error may show it (the path is never shown).
    pub fn route_not_found(method: &str) -> Self {
        Self::new(
            ErrorType::RouteNotFound,
            format!("No such endpoint for method {method} at this path."),
        )
    }

    pub fn session_not_found() -> Self {
        Self::new(
            ErrorType::SessionNotFound,
            "Session could not be found: it does not exist, was revoked or has expired.",
        )
    }

    pub fn too_many_session_arguments(fields: &str) -> Self {
        Self::new(
            ErrorType::TooManySessionArguments,
            format!("Please include at most one of {fields}, not multiple."),
        )
    }

    pub fn user_id_mismatch() -> Self {
        Self::new(
            ErrorType::UserIdMismatch,
            "The session belongs to another user than user_id.",
        )
    }

    /// Sessions were asked for, but the configuration names no project.
    pub fn project_id_required() -> Self {
        Self::invalid_config(
            "sessions need project_id (project-test-<uuid> or project-live-<uuid>): it is the \
             audience and issuer of session JWTs",
        )
    }

    pub fn invalid_config(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::InvalidConfig,
            format!("Invalid client configuration: {detail}"),
        )
    }

    /// 503 `database_unavailable`: the database server cannot be reached, or is
    /// starting or stopping. Nothing was changed (unless the connection broke
    /// while the change was being committed); trying again later can succeed.
    pub fn database_unavailable() -> Self {
        Self::new(
            ErrorType::DatabaseUnavailable,
            "The database is unavailable right now; nothing was changed. Please try again \
             shortly.",
        )
    }

    // Errors of this library's own, beyond Stytch's API: a client and its
    // store disagree, or a client is used where it cannot work. All are 400
    // (the host must act) and their messages never contain a key or a secret.

    /// A client created before `fork()` was used in the child process.
    pub fn client_used_after_fork() -> Self {
        Self::new(
            ErrorType::ClientUsedAfterFork,
            "This client was created before fork() and cannot be used in the child process: \
             create a new client in the child.",
        )
    }

    /// A configured key is not the key the store knows by its id, or the
    /// store holds values sealed under a key id that is not configured.
    pub fn encryption_key_mismatch(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::EncryptionKeyMismatch,
            format!("The encryption keys do not fit this store: {detail}"),
        )
    }

    /// The client asks for a lockout policy other than the store's.
    pub fn lockout_policy_mismatch(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::LockoutPolicyMismatch,
            format!("The lockout policy differs from the store's: {detail}"),
        )
    }

    /// The database file cannot safely be used as it is.
    pub fn database_refused(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::DatabaseRefused,
            format!("The database cannot be used: {detail}"),
        )
    }

    /// 500 `internal_server_error`: the library itself failed; `detail`
    /// (never a secret) says what failed.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorType::InternalServerError,
            format!("stytch-totp could not complete the request: {detail}"),
        )
    }

    /// Where this error type is documented.
    pub fn error_url(&self) -> String {
        self.code.doc_url()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status_code(),
            self.error_type(),
            self.error_message
        )
    }
}

impl std::error::Error for ApiError {}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Unavailable(_) => ApiError::database_unavailable(),
            crate::store::StoreError::Failed(_) => ApiError::internal(e),
        }
    }
}

/// A file refused is the host's to fix (`database_refused`); a server that
/// cannot be reached is `database_unavailable`, as at any other time.
impl From<crate::store::OpenError> for ApiError {
    fn from(e: crate::store::OpenError) -> Self {
        match e {
            crate::store::OpenError::Refused(why) => ApiError::database_refused(why),
            crate::store::OpenError::Failed(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/ERRORS.md` has one `### <error_type>` section per type, starting
    /// with its status (and `*library*` for this library's own types), and
    /// no other.
    #[test]
    fn every_error_type_is_documented() {
        let doc = include_str!("../../docs/ERRORS.md");
        let sections: Vec<(&str, &str)> = doc
            .split("\n### ")
            .skip(1)
            .map(|s| s.split_once('\n').expect("a section has a body"))
            .collect();
        let documented: Vec<&str> = sections.iter().map(|(name, _)| *name).collect();
        let types: Vec<&str> = ErrorType::all().map(ErrorType::as_str).collect();
        assert_eq!(
            documented, types,
            "docs/ERRORS.md sections, in the enum's order"
        );
        for ((name, body), code) in sections.iter().zip(ErrorType::all()) {
            let head = body.trim_start();
            assert!(
                head.starts_with(&code.status_code().to_string()),
                "{name}: {head}"
            );
            assert_eq!(head.contains("*library*"), code.is_project_own(), "{name}");
        }
    }

    #[test]
    fn codes_carry_their_status_and_urls_their_owner() {
        assert_eq!(ErrorType::UserNotFound, "user_not_found");
        assert!(ErrorType::UserNotFound != "user_not_found ");
        assert_eq!(ErrorType::UserLockLimitReached.status_code(), 429);
        assert_eq!(ErrorType::UserNotFound as u32, 40401);
        assert_eq!(
            ApiError::user_not_found().error_url(),
            "https://stytch.com/docs/api-reference/consumer/api/errors/404#user_not_found"
        );
        assert_eq!(
            ApiError::internal("x").error_url(),
            format!("{ERRORS_DOC_URL}#internal_server_error")
        );
        assert!(!ApiError::internal("x").error_message.contains("stytch.com"));
        for t in ErrorType::all() {
            let (base, status) = match t.is_project_own() {
                true => (ERRORS_DOC_URL, String::new()),
                false => (STYTCH_ERRORS_URL, t.status_code().to_string()),
            };
            assert_eq!(t.doc_url(), format!("{base}{status}#{}", t.as_str()));
        }
    }
}
