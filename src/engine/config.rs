//! Client configuration: parsed from JSON, every key checked.

use super::error::ApiError;
use super::ids::Environment;
use super::request::Fields;
use crate::store::postgres::{self, PostgresSettings};
use serde_json::Value;

pub const DEFAULT_DATABASE: &str = "stytch_totp.db";
/// The `database` value that selects a private in-memory store.
pub const IN_MEMORY: &str = ":memory:";
pub const DEFAULT_ISSUER: &str = "Stytch TOTP";
/// Longest issuer, in bytes. With the longest email (254 bytes), every byte
/// percent-encoded, the otpauth URI still fits in a QR code (2331 bytes at level M).
pub const MAX_ISSUER_LEN: usize = 128;
/// Longest `database` path accepted.
pub const MAX_PATH_LEN: usize = 4096;

/// Lockout policy: `max_failures` consecutive failures lock a user for `duration_minutes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    pub max_failures: u32,
    pub duration_minutes: u32,
}

impl Lockout {
    pub const MAX_FAILURES: (i64, i64) = (1, 100);
    pub const DURATION_MINUTES: (i64, i64) = (5, 10_080);
}

impl Default for Lockout {
    fn default() -> Self {
        Self {
            max_failures: 10,
            duration_minutes: 60,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// A file path, `":memory:"`, or a PostgreSQL URL / key=value string.
    pub database: String,
    pub environment: Environment,
    pub issuer: String,
    pub lockout: Lockout,
    /// Used when `database` names a PostgreSQL server.
    pub postgres: PostgresSettings,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database: DEFAULT_DATABASE.to_owned(),
            environment: Environment::Test,
            issuer: DEFAULT_ISSUER.to_owned(),
            lockout: Lockout::default(),
            postgres: PostgresSettings::default(),
        }
    }
}

impl Config {
    /// Parses `{"database", "environment", "issuer", "lockout": {"max_failures",
    /// "duration_minutes"}}`; absent keys take their defaults, unknown keys and
    /// bad values are errors.
    pub fn from_json(json: Option<&str>) -> Result<Self, ApiError> {
        let mut config = Config::default();
        let Some(json) = json else {
            return Ok(config);
        };
        let value: Value = serde_json::from_str(json)
            .map_err(|e| ApiError::invalid_config(format!("not valid JSON ({e})")))?;
        let mut fields = Fields::new(value, "config", invalid_config)?;
        if let Some(database) = fields.opt_str("database")? {
            if database.is_empty() || database.len() > MAX_PATH_LEN || database.contains('\0') {
                return Err(ApiError::invalid_config(format!(
                    "database must be a file path of 1 to {MAX_PATH_LEN} bytes without NUL, \":memory:\", or a PostgreSQL URL"
                )));
            }
            if postgres::is_postgres(&database) {
                postgres::check_connection_string(&database)
                    .map_err(|e| ApiError::invalid_config(format!("database: {e}")))?;
            }
            config.database = database;
        }
        if let Some(env) = fields.opt_str("environment")? {
            config.environment = match env.as_str() {
                "test" => Environment::Test,
                "live" => Environment::Live,
                _ => {
                    return Err(ApiError::invalid_config(
                        "environment must be \"test\" or \"live\"",
                    ));
                }
            };
        }
        if let Some(issuer) = fields.opt_str("issuer")? {
            if issuer.trim().is_empty()
                || issuer.len() > MAX_ISSUER_LEN
                || issuer.chars().any(char::is_control)
            {
                return Err(ApiError::invalid_config(format!(
                    "issuer must be 1 to {MAX_ISSUER_LEN} bytes of printable text"
                )));
            }
            config.issuer = issuer;
        }
        if let Some(mut lockout) = fields.opt_fields("lockout")? {
            if let Some(n) = lockout.opt_int_in("max_failures", Lockout::MAX_FAILURES)? {
                config.lockout.max_failures = n as u32;
            }
            if let Some(n) = lockout.opt_int_in("duration_minutes", Lockout::DURATION_MINUTES)? {
                config.lockout.duration_minutes = n as u32;
            }
            lockout.finish()?;
        }
        if let Some(settings) = fields.opt_fields("postgres")? {
            if !postgres::is_postgres(&config.database) {
                return Err(ApiError::invalid_config(
                    "postgres settings need a PostgreSQL database (a postgres:// URL)",
                ));
            }
            config.postgres = parse_postgres(settings)?;
        }
        fields.finish()?;
        Ok(config)
    }
}

/// The `postgres` object: `schema`, `max_connections`, `connect_timeout_ms`,
/// `statement_timeout_ms`.
fn parse_postgres(mut fields: Fields) -> Result<PostgresSettings, ApiError> {
    let mut settings = PostgresSettings::default();
    if let Some(schema) = fields.opt_str("schema")? {
        if !PostgresSettings::is_valid_schema(&schema) {
            return Err(ApiError::invalid_config(
                "postgres.schema must be 1 to 63 of a-z, 0-9 and _, not starting with a digit",
            ));
        }
        settings.schema = schema;
    }
    let range = PostgresSettings::MAX_CONNECTIONS;
    if let Some(n) = fields.opt_int_in("max_connections", range)? {
        settings.max_connections = n as u32;
    }
    let range = PostgresSettings::CONNECT_TIMEOUT_MS;
    if let Some(ms) = fields.opt_int_in("connect_timeout_ms", range)? {
        settings.connect_timeout_ms = ms as u32;
    }
    let range = PostgresSettings::STATEMENT_TIMEOUT_MS;
    if let Some(ms) = fields.opt_int_in("statement_timeout_ms", range)? {
        settings.statement_timeout_ms = ms as u32;
    }
    fields.finish()?;
    Ok(settings)
}

fn invalid_config(detail: String) -> ApiError {
    ApiError::invalid_config(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_null_and_empty_objects() {
        assert_eq!(Config::from_json(None).unwrap(), Config::default());
        assert_eq!(Config::from_json(Some("{}")).unwrap(), Config::default());
    }

    #[test]
    fn every_key_is_read() {
        let c = Config::from_json(Some(
            r#"{"database":":memory:","environment":"live","issuer":"Acme",
                "lockout":{"max_failures":3,"duration_minutes":5}}"#,
        ))
        .unwrap();
        assert_eq!(c.database, IN_MEMORY);
        assert_eq!(c.environment, Environment::Live);
        assert_eq!(c.issuer, "Acme");
        assert_eq!(
            c.lockout,
            Lockout {
                max_failures: 3,
                duration_minutes: 5
            }
        );
    }

    #[test]
    fn bad_values_and_unknown_keys_are_errors_naming_the_key() {
        for (json, names) in [
            (r#"{"databse":"x"}"#, "databse"),
            (r#"{"database":""}"#, "database"),
            (r#"{"database":3}"#, "database"),
            (r#"{"environment":"prod"}"#, "environment"),
            (r#"{"issuer":""}"#, "issuer"),
            (r#"{"lockout":{"max_failures":0}}"#, "max_failures"),
            (r#"{"lockout":{"max_failures":101}}"#, "max_failures"),
            (r#"{"lockout":{"duration_minutes":4}}"#, "duration_minutes"),
            (
                r#"{"lockout":{"duration_minutes":10081}}"#,
                "duration_minutes",
            ),
            (r#"{"lockout":{"max_failures":1.5}}"#, "max_failures"),
            (r#"{"lockout":{"extra":1}}"#, "extra"),
            (r#"{"lockout":7}"#, "lockout"),
            ("[]", "config"),
            ("{", "JSON"),
        ] {
            let err = Config::from_json(Some(json)).unwrap_err();
            assert_eq!(err.error_type(), "invalid_config", "{json}");
            assert!(
                err.error_message.contains(names),
                "{json}: {}",
                err.error_message
            );
        }
    }
}
