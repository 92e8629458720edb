//! Stytch's error types, their HTTP statuses and their messages.

use std::fmt;

/// An API error before it gets its `request_id`: what went wrong and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status_code: u16,
    pub error_type: &'static str,
    pub error_message: String,
}

impl ApiError {
    fn new(status_code: u16, error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            status_code,
            error_type,
            error_message: message.into(),
        }
    }

    /// 400 `bad_request`, saying which field or part of the request is wrong.
    pub fn bad_request(detail: impl fmt::Display) -> Self {
        Self::new(
            400,
            "bad_request",
            format!("The submitted request is invalid: {detail}"),
        )
    }

    pub fn invalid_user_id() -> Self {
        Self::new(400, "invalid_user_id", "user_id format is invalid.")
    }

    pub fn user_not_found() -> Self {
        Self::new(404, "user_not_found", "User could not be found.")
    }

    pub fn invalid_email() -> Self {
        Self::new(400, "invalid_email", "Email format is invalid.")
    }

    pub fn invalid_phone_number() -> Self {
        Self::new(
            400,
            "invalid_phone_number",
            "Phone number format is invalid.",
        )
    }

    pub fn duplicate_external_id() -> Self {
        Self::new(
            400,
            "duplicate_external_id",
            "A user with this external_id already exists.",
        )
    }

    /// Another user has this email address (compared without regard to
    /// ASCII case).
    pub fn duplicate_email() -> Self {
        Self::new(
            400,
            "duplicate_email",
            "A user with this email already exists.",
        )
    }

    pub fn duplicate_phone_number() -> Self {
        Self::new(
            400,
            "duplicate_phone_number",
            "A user with this phone number already exists.",
        )
    }

    pub fn invalid_expiration(min: i64, max: i64) -> Self {
        Self::new(
            400,
            "invalid_expiration",
            format!("expiration_minutes must be between {min} and {max}."),
        )
    }

    pub fn active_totp_exists() -> Self {
        Self::new(
            400,
            "active_totp_exists",
            "Cannot create a new TOTP for the specified user since the user already has an \
             active TOTP. Users may only have one active TOTP at a time.",
        )
    }

    pub fn totp_not_found() -> Self {
        Self::new(404, "totp_not_found", "TOTP could not be found.")
    }

    pub fn invalid_totp_code() -> Self {
        Self::new(
            400,
            "invalid_totp_code",
            "totp_code format is invalid: it must be exactly 6 digits.",
        )
    }

    pub fn expired_totp() -> Self {
        Self::new(
            400,
            "expired_totp",
            "The TOTP has expired: it was not authenticated within its expiration_minutes. \
             Create a new one.",
        )
    }

    pub fn totp_code_already_authenticated() -> Self {
        Self::new(
            400,
            "totp_code_already_authenticated",
            "This TOTP code has already been authenticated. Please attempt with the next \
             generated code.",
        )
    }

    pub fn unable_to_authenticate_totp() -> Self {
        Self::new(
            401,
            "unable_to_authenticate_totp",
            "The TOTP code could not be authenticated.",
        )
    }

    pub fn invalid_recovery_code() -> Self {
        Self::new(
            400,
            "invalid_recovery_code",
            "recovery_code format is invalid: it must look like xxxx-xxxx-xxxx.",
        )
    }

    pub fn totp_code_used_as_recovery_code() -> Self {
        Self::new(
            400,
            "totp_code_used_as_recovery_code",
            "A TOTP code was submitted as a recovery code. Use the authenticate endpoint for \
             TOTP codes.",
        )
    }

    pub fn unable_to_authenticate_recovery_code() -> Self {
        Self::new(
            401,
            "unable_to_authenticate_recovery_code",
            "The recovery code could not be authenticated.",
        )
    }

    pub fn user_lock_limit_reached() -> Self {
        Self::new(
            429,
            "user_lock_limit_reached",
            "The user has been locked out due to too many failed authentication attempts. \
             Please try again later.",
        )
    }

    /// `method` as an error may show it (the path is never shown).
    pub fn route_not_found(method: &str) -> Self {
        Self::new(
            404,
            "route_not_found",
            format!("No such endpoint for method {method} at this path."),
        )
    }

    pub fn invalid_config(detail: impl fmt::Display) -> Self {
        Self::new(
            400,
            "invalid_config",
            format!("Invalid client configuration: {detail}"),
        )
    }

    /// 503 `database_unavailable`: the database server cannot be reached, or is
    /// starting or stopping. Nothing was changed (unless the connection broke
    /// while the change was being committed); trying again later can succeed.
    pub fn database_unavailable() -> Self {
        Self::new(
            503,
            "database_unavailable",
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
            400,
            "client_used_after_fork",
            "This client was created before fork() and cannot be used in the child process: \
             create a new client in the child.",
        )
    }

    /// A configured key is not the key the store knows by its id, or the
    /// store holds values sealed under a key id that is not configured.
    pub fn encryption_key_mismatch(detail: impl fmt::Display) -> Self {
        Self::new(
            400,
            "encryption_key_mismatch",
            format!("The encryption keys do not fit this store: {detail}"),
        )
    }

    /// The client asks for a lockout policy other than the store's.
    pub fn lockout_policy_mismatch(detail: impl fmt::Display) -> Self {
        Self::new(
            400,
            "lockout_policy_mismatch",
            format!("The lockout policy differs from the store's: {detail}"),
        )
    }

    /// The database file cannot safely be used as it is.
    pub fn database_refused(detail: impl fmt::Display) -> Self {
        Self::new(
            400,
            "database_refused",
            format!("The database cannot be used: {detail}"),
        )
    }

    /// 500 `internal_server_error` with Stytch's message; `detail` (never a
    /// secret) says what failed.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(
            500,
            "internal_server_error",
            format!(
                "Oops, something seems to have gone wrong, please reach out to \
                 support@stytch.com to let us know what went wrong. ({detail})"
            ),
        )
    }

    /// Where Stytch documents this error.
    pub fn error_url(&self) -> String {
        format!(
            "https://stytch.com/docs/api-reference/consumer/api/errors/{}#{}",
            self.status_code, self.error_type
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status_code, self.error_type, self.error_message
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
