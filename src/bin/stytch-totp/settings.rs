//! The library configuration a command runs with: the store from `--store`
//! (or the configuration file), and the encryption keys from the environment
//! or a private file, never from the command line. Everything is checked by
//! the library's own `Config::from_json`.

use crate::args::Global;
use crate::failure::{Exit, Failure, Outcome};
use serde_json::{Map, Value};
use std::path::Path;
use stytch_totp::engine::Config;
use stytch_totp::engine::config::IN_MEMORY;
use stytch_totp::store::postgres::is_postgres;
use zeroize::Zeroizing;

/// Holds `encryption_keys` as JSON, like the configuration's.
const KEYS_VAR: &str = "STYTCH_TOTP_KEYS";

pub struct Settings {
    /// The configuration file's keys, with the encryption keys added.
    base: Map<String, Value>,
    store: Option<String>,
}

impl Settings {
    pub fn load(global: &Global) -> Outcome<Self> {
        let mut base = match &global.config {
            Some(path) => read_config(path)?,
            None => Map::new(),
        };
        if let Some(keys) = read_keys(global)? {
            if base.contains_key("encryption_keys") {
                return Err(Failure::usage(
                    "encryption keys are given twice: in the configuration file and in \
                     STYTCH_TOTP_KEYS or --keys-file",
                ));
            }
            base.insert("encryption_keys".into(), keys);
        }
        let store = match &global.store {
            Some(store) => Some(store.clone()),
            None => base
                .get("database")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        Ok(Self { base, store })
    }

    /// The store named by `--store`, `STYTCH_TOTP_STORE` or the configuration file.
    pub fn store(&self) -> Outcome<&str> {
        self.store.as_deref().ok_or_else(|| {
            Failure::usage("no store given: use --store PATH_OR_URL or set STYTCH_TOTP_STORE")
        })
    }

    /// The configuration of the store given, which must exist if it is a file.
    pub fn config(&self) -> Outcome<Config> {
        let database = self.store()?;
        require_existing(database)?;
        self.config_for(database)
    }

    /// The configuration for `database`, with the settings and keys given.
    pub fn config_for(&self, database: &str) -> Outcome<Config> {
        let mut config = self.base.clone();
        config.insert("database".into(), Value::String(database.to_owned()));
        if !is_postgres(database) {
            // PostgreSQL settings are refused for other stores.
            config.remove("postgres");
        }
        let json = Zeroizing::new(Value::Object(config).to_string());
        Config::from_json(Some(&json)).map_err(Failure::from)
    }
}

/// A store that must exist: a missing SQLite file would be created empty.
pub fn require_existing(database: &str) -> Outcome<()> {
    if database == IN_MEMORY || is_postgres(database) || Path::new(database).exists() {
        return Ok(());
    }
    Err(Failure::new(
        Exit::Unavailable,
        "store_not_found",
        format!("there is no SQLite database at {database} (check --store)"),
    ))
}

/// How messages name a store: never a connection string, which may hold a password.
pub fn describe(database: &str) -> String {
    match database {
        IN_MEMORY => "the in-memory store".to_owned(),
        url if is_postgres(url) => "the PostgreSQL server".to_owned(),
        path => format!("SQLite file {path}"),
    }
}

fn read_config(path: &Path) -> Outcome<Map<String, Value>> {
    let text = read_file(path, "configuration file")?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "the configuration file {} is not valid JSON ({e})",
            path.display()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(Failure::usage(format!(
            "the configuration file {} must hold a JSON object",
            path.display()
        )));
    };
    let inline_keys = map
        .get("encryption_keys")
        .and_then(Value::as_array)
        .is_some_and(|keys| keys.iter().any(|k| k.get("key").is_some()));
    if inline_keys {
        require_private(path)?;
    }
    Ok(map)
}

/// `encryption_keys` from `STYTCH_TOTP_KEYS` or `--keys-file`, if given.
fn read_keys(global: &Global) -> Outcome<Option<Value>> {
    let from_env = std::env::var(KEYS_VAR).ok().map(Zeroizing::new);
    let (text, origin) = match (from_env, &global.keys_file) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(format!(
                "encryption keys are given twice: {KEYS_VAR} and --keys-file (or STYTCH_TOTP_KEYS_FILE)"
            )));
        }
        (Some(text), None) => (text, KEYS_VAR.to_owned()),
        (None, Some(path)) => {
            require_private(path)?;
            (read_file(path, "keys file")?, path.display().to_string())
        }
        (None, None) => return Ok(None),
    };
    // serde_json's messages give a position, never the text.
    let keys: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{origin} is not valid JSON ({e})")))?;
    if !keys.is_array() {
        return Err(Failure::usage(format!(
            "{origin} must hold a JSON array: [{{\"id\": \"2026-11\", \"key\": \"<base64 of 32 bytes>\"}}, ...]"
        )));
    }
    Ok(Some(keys))
}

fn read_file(path: &Path, what: &str) -> Outcome<Zeroizing<String>> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| Failure::usage(format!("cannot read the {what} {}: {e}", path.display())))
}

/// A file holding keys must be the owner's alone, like the database.
#[cfg(unix)]
fn require_private(path: &Path) -> Outcome<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(Failure::usage(format!(
            "{} holds encryption keys but is open to other accounts (mode {mode:04o}): chmod 600 it",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn require_private(_path: &Path) -> Outcome<()> {
    Ok(())
}
