//! Client configuration: parsed from JSON, every key checked.

use super::clock::MAX_UNIX_TIME;
use super::error::ApiError;
use super::ids::Environment;
use super::request::Fields;
use super::vault::{self, KEY_LEN, KeyBytes};
use crate::sessions::{HostKeySpec, MAX_HOST_KEYS, RotationPolicy};
use crate::store::postgres::{self, PostgresSettings};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use zeroize::Zeroizing;

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

/// One entry of `encryption_keys`: its id, and its 32 bytes unless a key
/// provider supplies them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub id: String,
    pub key: Option<KeyBytes>,
}

/// How recovery codes are kept: sealed and listable (Stytch's behaviour), or
/// as keyed hashes, shown once at enrolment and never listed again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RecoveryCodeStorage {
    #[default]
    Encrypted,
    Hashed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// A file path, `":memory:"`, or a PostgreSQL URL / key=value string.
    pub database: String,
    pub environment: Environment,
    pub issuer: String,
    /// The lockout policy this client asks for (defaults filled in), or
    /// `None` to adopt the store's.
    pub lockout: Option<Lockout>,
    /// Host keys, the active one first; empty: secrets are stored unencrypted.
    pub encryption_keys: Vec<KeySpec>,
    pub recovery_codes: RecoveryCodeStorage,
    /// The database file may belong to another application: keep this
    /// library's tables in it without claiming it.
    pub share_database: bool,
    /// Used when `database` names a PostgreSQL server.
    pub postgres: PostgresSettings,
    /// The Stytch project ID (`project-test-<uuid>` / `project-live-<uuid>`):
    /// the audience and issuer of session JWTs. Sessions need it.
    pub project_id: Option<String>,
    /// How often the session signing key is replaced, and how long a replaced
    /// key stays published.
    pub session_keys: RotationPolicy,
    /// Session signing keys the host supplies (`session_keys.signing_keys`).
    pub session_signing_keys: Vec<HostKeySpec>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database: DEFAULT_DATABASE.to_owned(),
            environment: Environment::Test,
            issuer: DEFAULT_ISSUER.to_owned(),
            lockout: None,
            encryption_keys: Vec::new(),
            recovery_codes: RecoveryCodeStorage::default(),
            share_database: false,
            postgres: PostgresSettings::default(),
            project_id: None,
            session_keys: RotationPolicy::default(),
            session_signing_keys: Vec::new(),
        }
    }
}

impl Config {
    /// Parses `{"database", "environment", "issuer", "lockout": {"max_failures",
    /// "duration_minutes"}, "encryption_keys": [{"id", "key"}], "recovery_codes",
    /// "share_database", "postgres": {"schema", "max_connections",
    /// "connect_timeout_ms", "statement_timeout_ms"}, "project_id", "session_keys":
    /// {"rotate_after_days", "grace_days", "signing_keys": [{"kid",
    /// "private_key_pem", "created_at", "verify_only"}]}}`; absent keys take
    /// their defaults, unknown keys and bad values are errors. Errors never
    /// repeat a key.
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
            let mut policy = Lockout::default();
            if let Some(n) = lockout.opt_int_in("max_failures", Lockout::MAX_FAILURES)? {
                policy.max_failures = n as u32;
            }
            if let Some(n) = lockout.opt_int_in("duration_minutes", Lockout::DURATION_MINUTES)? {
                policy.duration_minutes = n as u32;
            }
            lockout.finish()?;
            config.lockout = Some(policy);
        }
        if let Some(keys) = fields.opt_array("encryption_keys")? {
            config.encryption_keys = parse_keys(keys)?;
        }
        if let Some(storage) = fields.opt_str("recovery_codes")? {
            config.recovery_codes = match storage.as_str() {
                "encrypted" => RecoveryCodeStorage::Encrypted,
                "hashed" => RecoveryCodeStorage::Hashed,
                _ => {
                    return Err(ApiError::invalid_config(
                        "recovery_codes must be \"encrypted\" or \"hashed\"",
                    ));
                }
            };
        }
        if let Some(share) = fields.opt_bool("share_database")? {
            config.share_database = share;
        }
        if let Some(settings) = fields.opt_fields("postgres")? {
            if !postgres::is_postgres(&config.database) {
                return Err(ApiError::invalid_config(
                    "postgres settings need a PostgreSQL database (a postgres:// URL)",
                ));
            }
            config.postgres = parse_postgres(settings)?;
        }
        if let Some(project_id) = fields.opt_str("project_id")? {
            config.project_id = Some(project_id);
        }
        if let Some(settings) = fields.opt_fields("session_keys")? {
            (config.session_keys, config.session_signing_keys) = parse_session_keys(settings)?;
        }
        fields.finish()?;
        if let Some(project_id) = &config.project_id {
            check_project_id(project_id, config.environment)?;
        }
        if config.recovery_codes == RecoveryCodeStorage::Hashed && config.encryption_keys.is_empty()
        {
            return Err(ApiError::invalid_config(
                "recovery_codes \"hashed\" needs encryption_keys: the hash key is sealed under them",
            ));
        }
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

/// `session_keys`: `rotate_after_days` (1 to 3650, default 180),
/// `grace_days` (0 to 365, default 30) and `signing_keys`.
fn parse_session_keys(mut fields: Fields) -> Result<(RotationPolicy, Vec<HostKeySpec>), ApiError> {
    let default = RotationPolicy::default();
    let rotate = fields.opt_int_in("rotate_after_days", (1, 3650))?;
    let grace = fields.opt_int_in("grace_days", (0, 365))?;
    let host_keys = match fields.opt_array("signing_keys")? {
        Some(entries) => parse_host_keys(entries)?,
        None => Vec::new(),
    };
    fields.finish()?;
    let rotate = rotate.map_or(default.rotate_after_days(), |n| n as u32);
    let grace = grace.map_or(default.grace_days(), |n| n as u32);
    let policy = RotationPolicy::new(rotate, grace).ok_or_else(|| {
        invalid_config("session_keys.rotate_after_days must be at least 1".into())
    })?;
    Ok((policy, host_keys))
}

/// `session_keys.signing_keys`: 1 to `MAX_HOST_KEYS` entries `{"kid",
/// "private_key_pem", "created_at", "verify_only"}`, kids unique, each an RSA
/// key of 2048 to 8192 bits as PKCS#8 PEM. Errors never repeat a key.
fn parse_host_keys(entries: Vec<Value>) -> Result<Vec<HostKeySpec>, ApiError> {
    if entries.is_empty() || entries.len() > MAX_HOST_KEYS {
        return Err(invalid_config(format!(
            "session_keys.signing_keys must list 1 to {MAX_HOST_KEYS} keys, the signing one first"
        )));
    }
    let mut keys: Vec<HostKeySpec> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let what = format!("session_keys.signing_keys[{i}]");
        let mut entry = Fields::new(entry, &what, invalid_config)?;
        // Taken first, so that it is wiped whatever is refused.
        let pem = entry.opt_str("private_key_pem")?.map(Zeroizing::new);
        let kid = entry.str("kid")?;
        if !vault::is_valid_kid(&kid) {
            return Err(invalid_config(format!(
                "{what}.kid must be 1 to {} ASCII letters, digits, '.', '_' or '-'",
                vault::MAX_KID_LEN
            )));
        }
        if keys.iter().any(|k| k.kid == kid) {
            return Err(invalid_config(format!(
                "session_keys.signing_keys: the kid {kid:?} appears twice"
            )));
        }
        let created_at = entry
            .opt_int_in("created_at", (0, MAX_UNIX_TIME))?
            .ok_or_else(|| {
                invalid_config(format!(
                    "{what}.created_at is required: the Unix time the key was made"
                ))
            })?;
        let verify_only = entry.opt_bool("verify_only")?.unwrap_or(false);
        entry.finish()?;
        let pem =
            pem.ok_or_else(|| invalid_config(format!("{what}.private_key_pem is required")))?;
        let key = HostKeySpec::from_pem(kid, created_at, verify_only, &pem)
            .map_err(|e| invalid_config(format!("{what}.private_key_pem {e}")))?;
        keys.push(key);
    }
    Ok(keys)
}

/// `project-<environment>-<uuid>`, the environment being the client's.
fn check_project_id(project_id: &str, env: Environment) -> Result<(), ApiError> {
    let well_formed = project_id
        .strip_prefix("project-")
        .and_then(|rest| rest.strip_prefix(env.as_str()))
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|uuid| uuid::Uuid::try_parse(uuid).ok().map(|u| (u, uuid)))
        .is_some_and(|(u, text)| u.hyphenated().to_string() == text);
    match well_formed {
        true => Ok(()),
        false => Err(invalid_config(format!(
            "project_id must be project-{}-<uuid> (its environment is the client's)",
            env.as_str()
        ))),
    }
}

/// `encryption_keys`: 1 to 16 entries `{"id", "key"}`, ids unique, each key
/// the standard base64 of exactly 32 bytes (or absent, for a key provider).
fn parse_keys(entries: Vec<Value>) -> Result<Vec<KeySpec>, ApiError> {
    const MAX_KEYS: usize = 16;
    if entries.is_empty() || entries.len() > MAX_KEYS {
        return Err(ApiError::invalid_config(format!(
            "encryption_keys must list 1 to {MAX_KEYS} keys, the active one first"
        )));
    }
    let mut keys: Vec<KeySpec> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let what = format!("encryption_keys[{i}]");
        let mut entry = Fields::new(entry, &what, invalid_config)?;
        let id = entry.str("id")?;
        if !vault::is_valid_kid(&id) {
            return Err(ApiError::invalid_config(format!(
                "{what}.id must be 1 to {} ASCII letters, digits, '.', '_' or '-'",
                vault::MAX_KID_LEN
            )));
        }
        if keys.iter().any(|k| k.id == id) {
            return Err(ApiError::invalid_config(format!(
                "encryption_keys: the key id {id:?} appears twice"
            )));
        }
        let key = match entry.opt_str("key")? {
            Some(text) => Some(decode_key(Zeroizing::new(text)).ok_or_else(|| {
                ApiError::invalid_config(format!(
                    "{what}.key must be the standard base64 of exactly {KEY_LEN} bytes"
                ))
            })?),
            None => None,
        };
        entry.finish()?;
        keys.push(KeySpec { id, key });
    }
    Ok(keys)
}

/// Exactly `KEY_LEN` bytes of standard base64, decoded into wiped buffers.
fn decode_key(text: Zeroizing<String>) -> Option<KeyBytes> {
    let mut buffer = Zeroizing::new([0u8; KEY_LEN + 3]);
    let len = STANDARD.decode_slice(text.trim(), &mut buffer[..]).ok()?;
    let bytes: [u8; KEY_LEN] = buffer.get(..len)?.try_into().ok()?;
    Some(KeyBytes::new(bytes))
}

fn invalid_config(detail: String) -> ApiError {
    ApiError::invalid_config(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_id_and_session_keys_are_read_and_checked() {
        const UUID: &str = "9c4e1a02-6f0b-4c8e-9d3a-2b7f5e1c0a44";
        let c = Config::from_json(Some(&format!(
            r#"{{"project_id":"project-test-{UUID}","session_keys":{{"rotate_after_days":2,"grace_days":1}}}}"#
        )))
        .unwrap();
        assert_eq!(
            c.project_id.as_deref(),
            Some(&*format!("project-test-{UUID}"))
        );
        assert_eq!(c.session_keys, RotationPolicy::new(2, 1).unwrap());
        let live = format!(r#"{{"environment":"live","project_id":"project-live-{UUID}"}}"#);
        assert!(Config::from_json(Some(&live)).is_ok());
        for bad in [
            format!(r#"{{"project_id":"project-live-{UUID}"}}"#),
            format!(r#"{{"environment":"live","project_id":"project-test-{UUID}"}}"#),
            r#"{"project_id":"project-test-1234"}"#.to_owned(),
            format!(r#"{{"project_id":"project-test-{}"}}"#, UUID.to_uppercase()),
            r#"{"project_id":5}"#.to_owned(),
            r#"{"session_keys":{"rotate_after_days":0}}"#.to_owned(),
            r#"{"session_keys":{"grace_days":-1}}"#.to_owned(),
            r#"{"session_keys":{"other":1}}"#.to_owned(),
        ] {
            let e = Config::from_json(Some(&bad)).unwrap_err();
            assert_eq!(e.error_type(), "invalid_config", "{bad}");
        }
    }

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
            Some(Lockout {
                max_failures: 3,
                duration_minutes: 5
            })
        );
        let half = Config::from_json(Some(r#"{"lockout":{"max_failures":3}}"#)).unwrap();
        assert_eq!(half.lockout.map(|l| l.duration_minutes), Some(60));
        assert_eq!(Config::default().lockout, None);
    }

    #[test]
    fn encryption_keys_are_read_and_never_echoed() {
        let key = STANDARD.encode([7u8; KEY_LEN]);
        let json = format!(
            r#"{{"encryption_keys":[{{"id":"2026-11","key":"{key}"}},{{"id":"hsm-1"}}],
                "recovery_codes":"hashed","share_database":true}}"#
        );
        let c = Config::from_json(Some(&json)).unwrap();
        assert_eq!(c.encryption_keys.len(), 2);
        assert_eq!(c.encryption_keys[0].id, "2026-11");
        assert_eq!(c.encryption_keys[0].key, Some(KeyBytes::new([7; KEY_LEN])));
        assert_eq!(c.encryption_keys[1].key, None);
        assert_eq!(c.recovery_codes, RecoveryCodeStorage::Hashed);
        assert!(c.share_database);
        assert!(!format!("{c:?}").contains(&key));

        let short = STANDARD.encode([7u8; KEY_LEN - 1]);
        let long = STANDARD.encode([7u8; KEY_LEN + 1]);
        for (keys, names) in [
            (
                format!(r#"[{{"id":"a","key":"{short}"}}]"#),
                "encryption_keys[0].key",
            ),
            (
                format!(r#"[{{"id":"a","key":"{long}"}}]"#),
                "encryption_keys[0].key",
            ),
            (
                r#"[{"id":"a","key":"not base64!"}]"#.to_owned(),
                "encryption_keys[0].key",
            ),
            (
                format!(r#"[{{"id":"a b","key":"{key}"}}]"#),
                "encryption_keys[0].id",
            ),
            (
                format!(r#"[{{"id":"a"}},{{"id":"a","key":"{key}"}}]"#),
                "twice",
            ),
            (r#"[{"key":"x"}]"#.to_owned(), "id is required"),
            (
                format!(r#"[{{"id":"a","key":"{key}","x":1}}]"#),
                "unknown field",
            ),
            ("[]".to_owned(), "1 to 16"),
            ("{}".to_owned(), "encryption_keys"),
        ] {
            let json = format!(r#"{{"encryption_keys":{keys}}}"#);
            let err = Config::from_json(Some(&json)).unwrap_err();
            assert_eq!(err.error_type(), "invalid_config", "{json}");
            assert!(
                err.error_message.contains(names),
                "{json}: {}",
                err.error_message
            );
            for secret in [&key, &short, &long] {
                assert!(!err.error_message.contains(secret.as_str()), "{json}");
            }
        }
        let err = Config::from_json(Some(r#"{"recovery_codes":"hashed"}"#)).unwrap_err();
        assert!(err.error_message.contains("needs encryption_keys"));
        let err = Config::from_json(Some(r#"{"recovery_codes":"plain"}"#)).unwrap_err();
        assert!(err.error_message.contains("recovery_codes"));
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
