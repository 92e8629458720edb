//! The tables of the PostgreSQL store, inside their own schema, and how a
//! database is brought to this library's schema version.

use super::conn::Conn;
use super::fault::{Fault, FaultKind};
use crate::store::OpenError;
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::error::SqlState;

/// The schema this library writes; kept in `<schema>.schema_version`.
pub const SCHEMA_VERSION: i32 = 3;
/// The schema before sessions, and the one before emails and phone numbers
/// were unique.
const SCHEMA_BEFORE_SESSIONS: i32 = 1;
const SCHEMA_BEFORE_UNIQUE_CONTACTS: i32 = 2;

/// An email's comparison form, as `engine::contacts::email_key` makes it:
/// ASCII letters lowered, nothing else (`lower()` would follow the
/// database's locale).
const EMAIL_KEY: &str =
    "translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

/// Version 1, created in one transaction. Secrets are BYTEA: what the engine
/// hands over is stored byte for byte.
const SCHEMA_V1: &str = "
CREATE TABLE {s}.users (
    user_id            text PRIMARY KEY,
    external_id        text UNIQUE,
    first_name         text NOT NULL,
    middle_name        text NOT NULL,
    last_name          text NOT NULL,
    email_id           text,
    email              text,
    email_verified     boolean NOT NULL,
    phone_id           text,
    phone_number       text,
    phone_verified     boolean NOT NULL,
    trusted_metadata   text NOT NULL,
    untrusted_metadata text NOT NULL,
    created_at         bigint NOT NULL,
    failed_attempts    bigint NOT NULL,
    lock_created_at    bigint,
    lock_expires_at    bigint
);
CREATE TABLE {s}.totps (
    totp_id        text PRIMARY KEY,
    user_id        text NOT NULL REFERENCES {s}.users(user_id) ON DELETE CASCADE,
    secret         bytea NOT NULL,
    verified       boolean NOT NULL,
    created_at     bigint NOT NULL,
    expires_at     bigint NOT NULL,
    last_step      bigint,
    recovery_codes bytea NOT NULL,
    -- insertion order, for TOTPs created in the same second
    seq            bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX totps_by_user ON {s}.totps(user_id, created_at, seq);
CREATE TABLE {s}.meta (
    key   text PRIMARY KEY,
    value bytea NOT NULL
);
";

/// Version 2 adds sessions: only the SHA-256 of a session's token is kept.
const SCHEMA_V2: &str = "
CREATE TABLE {s}.sessions (
    session_id             text PRIMARY KEY,
    user_id                text NOT NULL REFERENCES {s}.users(user_id) ON DELETE CASCADE,
    token_hash             bytea NOT NULL UNIQUE,
    started_at             bigint NOT NULL,
    last_accessed_at       bigint NOT NULL,
    expires_at             bigint NOT NULL,
    attributes             text NOT NULL,
    authentication_factors text NOT NULL,
    custom_claims          text NOT NULL
);
CREATE INDEX sessions_by_user ON {s}.sessions(user_id, started_at);
";

/// Version 3: an email address (compared by `EMAIL_KEY`) or a phone number
/// belongs to one user; the purge finds expired sessions without reading
/// them all.
const SCHEMA_V3: &str = "
CREATE UNIQUE INDEX users_by_email ON {s}.users ({email_key});
CREATE UNIQUE INDEX users_by_phone_number ON {s}.users (phone_number);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON {s}.sessions (expires_at);
";

/// Whether `name` can be a schema name written into SQL as it is: lower-case
/// ASCII letters, digits and `_`, not starting with a digit, at most 63 bytes.
pub fn is_valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && name.len() <= 63
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// Brings schema `s` to [`SCHEMA_VERSION`]: nothing to do when it is there
/// already; else, under an advisory lock (so that hosts starting together take
/// turns), creates or upgrades it. A newer version is refused, and so is an
/// upgrade while users share emails or phone numbers (changing nothing).
pub fn migrate(conn: &Conn, s: &str) -> Result<(), OpenError> {
    match conn.version(s) {
        Ok(None | Some(SCHEMA_BEFORE_SESSIONS | SCHEMA_BEFORE_UNIQUE_CONTACTS)) => {}
        Ok(Some(version)) => return check(s, version).map_err(|f| f.into_store_error().into()),
        Err(fault) if fault.is_undefined_table() => {}
        Err(fault) => return Err(fault.into_store_error().into()),
    }
    conn.batch(&format!(
        "BEGIN;
         SELECT pg_advisory_xact_lock(hashtextextended('stytch_totp schema {s}', 0));
         CREATE SCHEMA IF NOT EXISTS {s};
         CREATE TABLE IF NOT EXISTS {s}.schema_version (version integer NOT NULL);"
    ))
    .map_err(Fault::into_store_error)?;
    let result = match conn.version(s) {
        Ok(None) => conn
            .batch(&format!(
                "{}{}{}; INSERT INTO {s}.schema_version VALUES ({SCHEMA_VERSION}); COMMIT;",
                SCHEMA_V1.replace("{s}", s),
                SCHEMA_V2.replace("{s}", s),
                schema_v3(s)
            ))
            .map_err(|f| f.into_store_error().into()),
        Ok(Some(from @ (SCHEMA_BEFORE_SESSIONS | SCHEMA_BEFORE_UNIQUE_CONTACTS))) => {
            upgrade(conn, s, from)
        }
        Ok(Some(version)) => check(s, version)
            .and_then(|()| conn.batch("COMMIT"))
            .map_err(|f| f.into_store_error().into()),
        Err(fault) => Err(fault.into_store_error().into()),
    };
    if result.is_err() {
        // Best effort: a broken connection is thrown away anyway.
        let _ = conn.batch("ROLLBACK");
    }
    result
}

fn schema_v3(s: &str) -> String {
    SCHEMA_V3
        .replace("{s}", s)
        .replace("{email_key}", EMAIL_KEY)
}

/// An older version to [`SCHEMA_VERSION`], inside the migration's
/// transaction: the sessions table when `from` has none, and the unique
/// indexes on emails and phone numbers, unless users already share one. The
/// users table is locked against writers first, so no duplicate comes in
/// between the check and the index. A refusal changes nothing: the users are
/// left as they are, for the host to settle.
fn upgrade(conn: &Conn, s: &str, from: i32) -> Result<(), OpenError> {
    let sharing = |column: &str| -> Result<Vec<String>, Fault> {
        let sql = crate::store::users_sharing_sql(&format!("{s}.users"), column);
        let messages = conn.round_trip(conn.client.simple_query(&sql))?;
        Ok(messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
                _ => None,
            })
            .collect())
    };
    let checked = conn
        .batch(&format!("LOCK TABLE {s}.users IN SHARE MODE"))
        .and_then(|()| Ok((sharing(EMAIL_KEY)?, sharing("phone_number")?)));
    let (emails, phones) = checked.map_err(Fault::into_store_error)?;
    if let Some(why) = crate::store::shared_contacts(&emails, &phones) {
        return Err(OpenError::Refused(format!(
            "the PostgreSQL schema \"{s}\" (version {from}): {why}"
        )));
    }
    let sessions = if from == SCHEMA_BEFORE_SESSIONS {
        SCHEMA_V2.replace("{s}", s)
    } else {
        String::new()
    };
    conn.batch(&format!(
        "{sessions}{}; UPDATE {s}.schema_version SET version = {SCHEMA_VERSION}; COMMIT;",
        schema_v3(s)
    ))
    .map_err(|f| f.into_store_error().into())
}

fn check(s: &str, version: i32) -> Result<(), Fault> {
    match version {
        SCHEMA_VERSION => Ok(()),
        newer if newer > SCHEMA_VERSION => Err(Fault::new(
            FaultKind::Failed,
            format!(
                "the PostgreSQL schema \"{s}\" has version {newer}, written by a newer \
                 stytch_totp; this library supports up to version {SCHEMA_VERSION}"
            ),
        )),
        older => Err(Fault::new(
            FaultKind::Failed,
            format!("the PostgreSQL schema \"{s}\" has unknown version {older}"),
        )),
    }
}

impl Fault {
    /// The schema or its version table does not exist yet.
    fn is_undefined_table(&self) -> bool {
        matches!(
            self.code,
            Some(ref c) if *c == SqlState::UNDEFINED_TABLE || *c == SqlState::INVALID_SCHEMA_NAME
        )
    }
}

/// Column lists, in the order `rows.rs` reads them.
pub const USER_COLUMNS: &str = "user_id, external_id, first_name, middle_name, last_name, \
    email_id, email, email_verified, phone_id, phone_number, phone_verified, \
    trusted_metadata, untrusted_metadata, created_at, failed_attempts, \
    lock_created_at, lock_expires_at";
pub const TOTP_COLUMNS: &str =
    "totp_id, user_id, secret, verified, created_at, expires_at, last_step, recovery_codes";
pub const SESSION_COLUMNS: &str = "session_id, user_id, token_hash, started_at, \
    last_accessed_at, expires_at, attributes, authentication_factors, custom_claims";

/// Every statement the store runs, as SQL for schema `s`. Each connection
/// prepares them all once, in one round trip.
pub fn statement_sql(s: &str) -> Vec<String> {
    let u = USER_COLUMNS;
    let t = TOTP_COLUMNS;
    let t_prefixed = TOTP_COLUMNS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let user_updates = USER_COLUMNS
        .split(", ")
        .skip(1)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let totp_updates = "secret = excluded.secret, verified = excluded.verified, \
        created_at = excluded.created_at, expires_at = excluded.expires_at, \
        last_step = excluded.last_step, recovery_codes = excluded.recovery_codes";
    let c = SESSION_COLUMNS;
    let session_updates = SESSION_COLUMNS
        .split(", ")
        .skip(2)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The meta records are read and written under one advisory lock (see
    // tx.rs), not by row locks: a record a transaction finds missing has no
    // row to lock.
    let meta_lock = format!("hashtextextended('stytch_totp meta {s}', 0)");
    // The order matches `Statements` in conn.rs.
    vec![
        format!("SELECT {u} FROM {s}.users WHERE user_id = $1"),
        format!("SELECT {u} FROM {s}.users WHERE user_id = $1 FOR UPDATE"),
        format!("SELECT {u} FROM {s}.users WHERE external_id = $1"),
        format!("SELECT {u} FROM {s}.users WHERE external_id = $1 FOR UPDATE"),
        format!("SELECT {t} FROM {s}.totps WHERE user_id = $1 ORDER BY created_at, seq"),
        format!(
            "SELECT {t_prefixed} FROM {s}.totps t JOIN {s}.users u ON u.user_id = t.user_id \
             WHERE u.external_id = $1 ORDER BY t.created_at, t.seq"
        ),
        format!("SELECT {t} FROM {s}.totps WHERE totp_id = $1"),
        format!(
            "SELECT 1 FROM {s}.users WHERE user_id = \
             (SELECT user_id FROM {s}.totps WHERE totp_id = $1) FOR UPDATE"
        ),
        format!(
            "INSERT INTO {s}.users ({u}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             ON CONFLICT (user_id) DO UPDATE SET {user_updates}"
        ),
        format!("DELETE FROM {s}.users WHERE user_id = $1"),
        format!(
            "INSERT INTO {s}.totps ({t}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (totp_id) DO UPDATE SET {totp_updates}"
        ),
        format!("DELETE FROM {s}.totps WHERE totp_id = $1"),
        format!("SELECT value FROM {s}.meta WHERE key = $1"),
        format!(
            "INSERT INTO {s}.meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        format!("DELETE FROM {s}.totps WHERE NOT verified AND expires_at <= $1"),
        format!(
            "SELECT {t} FROM {s}.totps WHERE $1::text IS NULL OR totp_id > $1 \
             ORDER BY totp_id LIMIT $2"
        ),
        format!(
            "SELECT {u} FROM {s}.users WHERE $1::text IS NULL OR user_id > $1 \
             ORDER BY user_id LIMIT $2"
        ),
        format!("SELECT key, value FROM {s}.meta"),
        format!("SELECT pg_advisory_xact_lock_shared({meta_lock})"),
        format!("SELECT pg_advisory_xact_lock({meta_lock})"),
        format!("SELECT {c} FROM {s}.sessions WHERE session_id = $1"),
        format!("SELECT {c} FROM {s}.sessions WHERE token_hash = $1"),
        format!("SELECT {c} FROM {s}.sessions WHERE user_id = $1 ORDER BY started_at, session_id"),
        format!(
            "INSERT INTO {s}.sessions ({c}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (session_id) DO UPDATE SET {session_updates}"
        ),
        format!("DELETE FROM {s}.sessions WHERE session_id = $1"),
        format!(
            "SELECT {c} FROM {s}.sessions WHERE $1::text IS NULL OR session_id > $1 \
             ORDER BY session_id LIMIT $2"
        ),
        format!(
            "DELETE FROM {s}.sessions WHERE session_id IN \
             (SELECT session_id FROM {s}.sessions WHERE expires_at <= $1 \
              ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
        ),
        format!(
            "SELECT {u} FROM {s}.users WHERE user_id = ANY($1) OR external_id = ANY($2) \
             OR {EMAIL_KEY} = ANY($3) OR phone_number = ANY($4) ORDER BY user_id"
        ),
        format!("SELECT count(*) FROM {s}.users"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_plain_identifiers() {
        for good in ["stytch_totp", "_x", "a1", &"a".repeat(63)] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in [
            "",
            "1a",
            "A",
            "a-b",
            "a b",
            "a;drop",
            "\"a\"",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
