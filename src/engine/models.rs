//! The JSON bodies, shaped and named exactly as Stytch's schemas
//! (`api_totp_v1_*`, `api_user_v1_*`). Absent values serialise as `null`.

use super::error::ErrorType;
pub use super::json::to_json;
use crate::otp::SecretString;
pub use crate::sessions::{JwksResponse, Session};
use serde::Serialize;
use serde_json::{Map, Value};

/// An always-empty list (factors this library does not implement).
pub type EmptyList = [(); 0];

/// `api_user_v1_Name`: always present, empty strings for missing parts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Name {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
}

/// `api_user_v1_Email`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Email {
    pub email_id: String,
    pub email: String,
    pub verified: bool,
}

/// `api_user_v1_PhoneNumber`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhoneNumber {
    pub phone_id: String,
    pub phone_number: String,
    pub verified: bool,
}

/// `api_user_v1_TOTP`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UserTotp {
    pub totp_id: String,
    pub verified: bool,
}

/// `api_user_v1_User`, complete: required lists present, optional values `null`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct User {
    pub user_id: String,
    pub emails: Vec<Email>,
    pub status: &'static str,
    pub phone_numbers: Vec<PhoneNumber>,
    pub webauthn_registrations: EmptyList,
    pub providers: EmptyList,
    pub totps: Vec<UserTotp>,
    pub crypto_wallets: EmptyList,
    pub biometric_registrations: EmptyList,
    pub is_locked: bool,
    pub roles: Vec<String>,
    pub name: Name,
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub created_at: Option<String>,
    /// Passwords are not part of this library: always `null`.
    pub password: Option<()>,
    pub trusted_metadata: Map<String, Value>,
    pub untrusted_metadata: Map<String, Value>,
    pub external_id: Option<String>,
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub lock_created_at: Option<String>,
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub lock_expires_at: Option<String>,
}

/// `api_user_v1_CreateResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsersCreateResponse {
    pub status_code: u16,
    pub request_id: String,
    pub user_id: String,
    pub email_id: String,
    pub phone_id: String,
    pub status: &'static str,
    pub user: User,
}

/// `api_user_v1_GetResponse`: the user's fields at the top level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsersGetResponse {
    pub status_code: u16,
    pub request_id: String,
    #[serde(flatten)]
    pub user: User,
}

/// `api_user_v1_DeleteResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsersDeleteResponse {
    pub status_code: u16,
    pub request_id: String,
    pub user_id: String,
}

/// `api_user_v1_DeleteTOTPResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsersDeleteTotpResponse {
    pub status_code: u16,
    pub request_id: String,
    pub user_id: String,
    pub user: User,
}

/// `api_user_v1_ResultsMetadata`: how many users the search found in all,
/// and the `cursor` of the next page (`null` on the last one).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResultsMetadata {
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// `api_user_v1_SearchResponse`: one page of users.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsersSearchResponse {
    pub status_code: u16,
    pub request_id: String,
    pub results: Vec<User>,
    pub results_metadata: ResultsMetadata,
}

/// `api_totp_v1_CreateResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TotpCreateResponse {
    pub status_code: u16,
    pub request_id: String,
    pub totp_id: String,
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("x-secret" = true)))]
    pub secret: SecretString,
    /// The QR code encodes the secret: it is a secret too.
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("x-secret" = true)))]
    pub qr_code: SecretString,
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>", extend("x-secret" = true)))]
    pub recovery_codes: Vec<SecretString>,
    pub user_id: String,
    pub user: User,
}

/// `api_totp_v1_AuthenticateResponse` and `api_totp_v1_RecoverResponse`
/// (the same fields). Without session arguments no session is created:
/// `session` is `null` and the tokens are `""`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TotpAuthenticateResponse {
    pub status_code: u16,
    pub request_id: String,
    pub totp_id: String,
    pub user_id: String,
    // Boxed, like `user`: the response is moved several times on its way
    // out, and a small one moves cheaply.
    pub session: Option<Box<Session>>,
    #[cfg_attr(feature = "schema", schemars(extend("x-secret" = true)))]
    pub session_token: String,
    #[cfg_attr(feature = "schema", schemars(extend("x-secret" = true)))]
    pub session_jwt: String,
    pub user: Box<User>,
}

/// `api_totp_v1_RecoverResponse`.
pub type TotpRecoverResponse = TotpAuthenticateResponse;

/// `api_session_v1_AuthenticateResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionsAuthenticateResponse {
    pub status_code: u16,
    pub request_id: String,
    pub session: Session,
    #[cfg_attr(feature = "schema", schemars(extend("x-secret" = true)))]
    pub session_token: String,
    #[cfg_attr(feature = "schema", schemars(extend("x-secret" = true)))]
    pub session_jwt: String,
    pub user: User,
}

/// `api_session_v1_RevokeResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionsRevokeResponse {
    pub status_code: u16,
    pub request_id: String,
}

/// `api_session_v1_GetResponse`: the user's live sessions.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionsGetResponse {
    pub status_code: u16,
    pub request_id: String,
    pub sessions: Vec<Session>,
}

/// `api_totp_v1_TOTP`: one TOTP with its unused recovery codes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TotpRecoveryCodes {
    pub totp_id: String,
    pub verified: bool,
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>", extend("x-secret" = true)))]
    pub recovery_codes: Vec<SecretString>,
}

/// `api_totp_v1_RecoveryCodesResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TotpRecoveryCodesResponse {
    pub status_code: u16,
    pub request_id: String,
    pub user_id: String,
    pub totps: Vec<TotpRecoveryCodes>,
}

/// Stytch's error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorResponse {
    pub status_code: u16,
    pub request_id: String,
    pub error_type: ErrorType,
    pub error_message: String,
    pub error_url: String,
}

impl std::fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status_code,
            self.error_type.as_str(),
            self.error_message
        )
    }
}

impl std::error::Error for ErrorResponse {}
