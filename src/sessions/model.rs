//! Session bodies, named exactly as Stytch's schemas (`api_session_v1_*`).
//! Times are Unix seconds in memory and RFC 3339 UTC strings in JSON.

use super::encoding::rfc3339;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The roles every session carries, as Stytch's consumer sessions do.
pub const DEFAULT_ROLES: [&str; 1] = ["stytch_user"];

/// `api_attribute_v1_Attributes`. Stytch fills in empty strings when a
/// backend call gives none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Attributes {
    pub ip_address: String,
    pub user_agent: String,
}

/// `api_session_v1_AuthenticationFactorType`, the values this library issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FactorType {
    Totp,
    RecoveryCodes,
}

/// `api_session_v1_AuthenticationFactorDeliveryMethod`, likewise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    AuthenticatorApp,
    RecoveryCode,
}

/// `api_session_v1_AuthenticatorAppFactor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuthenticatorAppFactor {
    pub totp_id: String,
}

/// `api_session_v1_RecoveryCodeFactor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecoveryCodeFactor {
    pub totp_recovery_code_id: String,
}

/// What a successful sign-in proved: the input to a session's factor list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Factor {
    /// A TOTP code of `totp_id`.
    Totp { totp_id: String },
    /// A recovery code, identified by `totp_recovery_code_id`.
    RecoveryCode { totp_recovery_code_id: String },
}

/// `api_session_v1_AuthenticationFactor`: `type` and `delivery_method` with
/// the one `*_factor` object that matches them. Absent members are omitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuthenticationFactor {
    #[serde(rename = "type")]
    pub factor_type: FactorType,
    pub delivery_method: DeliveryMethod,
    #[serde(with = "rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("format" = "date-time")))]
    pub last_authenticated_at: i64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub created_at: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_app_factor: Option<AuthenticatorAppFactor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code_factor: Option<RecoveryCodeFactor>,
}

impl AuthenticationFactor {
    /// The factor as first recorded at `now`.
    pub fn new(factor: &Factor, now: i64) -> Self {
        let (factor_type, delivery_method, authenticator_app_factor, recovery_code_factor) =
            match factor {
                Factor::Totp { totp_id } => (
                    FactorType::Totp,
                    DeliveryMethod::AuthenticatorApp,
                    Some(AuthenticatorAppFactor {
                        totp_id: totp_id.clone(),
                    }),
                    None,
                ),
                Factor::RecoveryCode {
                    totp_recovery_code_id,
                } => (
                    FactorType::RecoveryCodes,
                    DeliveryMethod::RecoveryCode,
                    None,
                    Some(RecoveryCodeFactor {
                        totp_recovery_code_id: totp_recovery_code_id.clone(),
                    }),
                ),
            };
        Self {
            factor_type,
            delivery_method,
            last_authenticated_at: now,
            created_at: Some(now),
            updated_at: Some(now),
            authenticator_app_factor,
            recovery_code_factor,
        }
    }

    /// Whether this entry records `factor` (same kind, same TOTP or code id).
    pub fn records(&self, factor: &Factor) -> bool {
        match factor {
            Factor::Totp { totp_id } => self
                .authenticator_app_factor
                .as_ref()
                .is_some_and(|f| f.totp_id == *totp_id),
            Factor::RecoveryCode {
                totp_recovery_code_id,
            } => self
                .recovery_code_factor
                .as_ref()
                .is_some_and(|f| f.totp_recovery_code_id == *totp_recovery_code_id),
        }
    }

    /// The entry as the JWT carries it: without `created_at` / `updated_at`.
    fn for_jwt(&self) -> Self {
        Self {
            created_at: None,
            updated_at: None,
            ..self.clone()
        }
    }
}

/// `api_session_v1_Session`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Session {
    pub session_id: String,
    pub user_id: String,
    #[serde(with = "rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("format" = "date-time")))]
    pub started_at: i64,
    #[serde(with = "rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("format" = "date-time")))]
    pub last_accessed_at: i64,
    #[serde(with = "rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("format" = "date-time")))]
    pub expires_at: i64,
    pub attributes: Attributes,
    pub authentication_factors: Vec<AuthenticationFactor>,
    pub custom_claims: Map<String, Value>,
    pub roles: Vec<String>,
}

/// The `https://stytch.com/session` claim of a session JWT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionClaim {
    pub id: String,
    #[serde(with = "rfc3339")]
    pub started_at: i64,
    #[serde(with = "rfc3339")]
    pub last_accessed_at: i64,
    #[serde(with = "rfc3339")]
    pub expires_at: i64,
    pub attributes: Attributes,
    pub authentication_factors: Vec<AuthenticationFactor>,
    pub roles: Vec<String>,
}

impl From<&Session> for SessionClaim {
    fn from(session: &Session) -> Self {
        Self {
            id: session.session_id.clone(),
            started_at: session.started_at,
            last_accessed_at: session.last_accessed_at,
            expires_at: session.expires_at,
            attributes: session.attributes.clone(),
            authentication_factors: session
                .authentication_factors
                .iter()
                .map(AuthenticationFactor::for_jwt)
                .collect(),
            roles: session.roles.clone(),
        }
    }
}

/// `api_session_v1_JWK`: every member is required by the schema and by the
/// official SDKs' models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Jwk {
    pub kty: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub key_ops: Vec<String>,
    pub alg: String,
    pub kid: String,
    pub x5c: Vec<String>,
    #[serde(rename = "x5tS256")]
    pub x5t_s256: String,
    pub n: String,
    pub e: String,
}

/// `api_session_v1_GetJWKSResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JwksResponse {
    pub status_code: u16,
    pub request_id: String,
    pub keys: Vec<Jwk>,
}
