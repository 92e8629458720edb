//! The embedded default store: one SQLite file in WAL mode, shareable by several
//! processes. Writers take the database lock up front (`BEGIN IMMEDIATE`), so a
//! check-and-update is atomic across threads and processes alike.

use super::{
    Access, Contact, Lock, RecoveryCodes, Store, StoreError, StoreResult, StoreTx, TotpRecord,
    UserRecord,
};
use crate::otp::SecretKey;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The schema this library writes; stored in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another process holding the lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE users (
    user_id            TEXT PRIMARY KEY,
    external_id        TEXT UNIQUE,
    first_name         TEXT NOT NULL,
    middle_name        TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    email_id           TEXT,
    email              TEXT,
    email_verified     INTEGER NOT NULL,
    phone_id           TEXT,
    phone_number       TEXT,
    phone_verified     INTEGER NOT NULL,
    trusted_metadata   TEXT NOT NULL,
    untrusted_metadata TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    failed_attempts    INTEGER NOT NULL,
    lock_created_at    INTEGER,
    lock_expires_at    INTEGER
) STRICT;
CREATE TABLE totps (
    totp_id        TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    secret         BLOB NOT NULL,
    verified       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    last_step      INTEGER,
    recovery_codes TEXT NOT NULL
) STRICT;
CREATE INDEX totps_by_user ON totps(user_id, created_at);
";

const USER_COLUMNS: &str = "user_id, external_id, first_name, middle_name, last_name, \
    email_id, email, email_verified, phone_id, phone_number, phone_verified, \
    trusted_metadata, untrusted_metadata, created_at, failed_attempts, \
    lock_created_at, lock_expires_at";

const TOTP_COLUMNS: &str =
    "totp_id, user_id, secret, verified, created_at, expires_at, last_step, recovery_codes";

fn store_error(context: &str) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Failed(format!("{context}: {e}"))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Failed(format!("database error: {e}"))
    }
}

/// Thread-safe: the connection is behind a mutex; other processes are kept in
/// step by SQLite's file locks.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up
    /// to date. Fails now, not later, for an unwritable path or a file that is not
    /// a database.
    pub fn open(path: &str) -> StoreResult<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .map_err(store_error("cannot open the database"))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers and one writer from several processes work at once.
        // synchronous=NORMAL: a committed write survives the death of the process
        // (it is in the WAL, handed to the OS); an OS crash may lose the last ones.
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(store_error("cannot use the database"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Failed(format!(
                "cannot use the database: journal mode is {mode}, WAL is required"
            )));
        }
        // secure_delete: deleted secrets and used recovery codes are overwritten
        // in the file, not left in free pages.
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
        )?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }
}

/// Creates the schema on a new database; refuses one written by a newer library.
fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(store_error("cannot use the database"))?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match version {
        0 => {
            tx.execute_batch(SCHEMA)
                .map_err(store_error("cannot create the schema"))?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        SCHEMA_VERSION => {}
        newer => {
            return Err(StoreError::Failed(format!(
                "the database has schema version {newer}; this library supports up to {SCHEMA_VERSION}"
            )));
        }
    }
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT",
    )?;
    tx.commit()?;
    Ok(())
}

impl Store for SqliteStore {
    fn transaction(
        &self,
        access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()> {
        // A panic while the lock was held left at most an open transaction,
        // which rusqlite rolled back when it was dropped.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let behavior = match access {
            Access::Read => TransactionBehavior::Deferred,
            Access::Write => TransactionBehavior::Immediate,
        };
        let tx = conn.transaction_with_behavior(behavior)?;
        let mut sql_tx = SqliteTx { tx: &tx };
        work(&mut sql_tx)?;
        tx.commit()?;
        Ok(())
    }
}

struct SqliteTx<'a> {
    tx: &'a Transaction<'a>,
}

fn contact(id: Option<String>, value: Option<String>, verified: bool) -> Option<Contact> {
    Some(Contact {
        id: id?,
        value: value?,
        verified,
    })
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let lock = match (row.get(15)?, row.get(16)?) {
        (Some(created_at), Some(expires_at)) => Some(Lock {
            created_at,
            expires_at,
        }),
        _ => None,
    };
    Ok(UserRecord {
        user_id: row.get(0)?,
        external_id: row.get(1)?,
        first_name: row.get(2)?,
        middle_name: row.get(3)?,
        last_name: row.get(4)?,
        email: contact(row.get(5)?, row.get(6)?, row.get(7)?),
        phone: contact(row.get(8)?, row.get(9)?, row.get(10)?),
        trusted_metadata: row.get(11)?,
        untrusted_metadata: row.get(12)?,
        created_at: row.get(13)?,
        failed_attempts: row.get(14)?,
        lock,
    })
}

fn totp_from_row(row: &Row<'_>) -> rusqlite::Result<TotpRecord> {
    Ok(TotpRecord {
        totp_id: row.get(0)?,
        user_id: row.get(1)?,
        secret: SecretKey::from(row.get::<_, Vec<u8>>(2)?),
        verified: row.get(3)?,
        created_at: row.get(4)?,
        expires_at: row.get(5)?,
        last_step: row.get(6)?,
        recovery_codes: RecoveryCodes::from_stored(row.get(7)?),
    })
}

impl StoreTx for SqliteTx<'_> {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        Ok(stmt.query_row([user_id], user_from_row).optional()?)
    }

    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE external_id = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        Ok(stmt.query_row([external_id], user_from_row).optional()?)
    }

    fn put_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO users VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT(user_id) DO UPDATE SET
               external_id = excluded.external_id, first_name = excluded.first_name,
               middle_name = excluded.middle_name, last_name = excluded.last_name,
               email_id = excluded.email_id, email = excluded.email,
               email_verified = excluded.email_verified, phone_id = excluded.phone_id,
               phone_number = excluded.phone_number, phone_verified = excluded.phone_verified,
               trusted_metadata = excluded.trusted_metadata,
               untrusted_metadata = excluded.untrusted_metadata,
               created_at = excluded.created_at, failed_attempts = excluded.failed_attempts,
               lock_created_at = excluded.lock_created_at,
               lock_expires_at = excluded.lock_expires_at",
        )?;
        stmt.execute(params![
            u.user_id,
            u.external_id,
            u.first_name,
            u.middle_name,
            u.last_name,
            u.email.as_ref().map(|c| &c.id),
            u.email.as_ref().map(|c| &c.value),
            u.email.as_ref().is_some_and(|c| c.verified),
            u.phone.as_ref().map(|c| &c.id),
            u.phone.as_ref().map(|c| &c.value),
            u.phone.as_ref().is_some_and(|c| c.verified),
            u.trusted_metadata,
            u.untrusted_metadata,
            u.created_at,
            u.failed_attempts,
            u.lock.map(|l| l.created_at),
            u.lock.map(|l| l.expires_at),
        ])?;
        Ok(())
    }

    fn delete_user(&mut self, user_id: &str) -> StoreResult<()> {
        // TOTPs go with it through ON DELETE CASCADE.
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM users WHERE user_id = ?1")?;
        stmt.execute([user_id])?;
        Ok(())
    }

    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
        let sql = format!(
            "SELECT {TOTP_COLUMNS} FROM totps WHERE user_id = ?1 ORDER BY created_at, rowid"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map([user_id], totp_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>> {
        let sql = format!("SELECT {TOTP_COLUMNS} FROM totps WHERE totp_id = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        Ok(stmt.query_row([totp_id], totp_from_row).optional()?)
    }

    fn put_totp(&mut self, t: &TotpRecord) -> StoreResult<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO totps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(totp_id) DO UPDATE SET
               secret = excluded.secret, verified = excluded.verified,
               created_at = excluded.created_at, expires_at = excluded.expires_at,
               last_step = excluded.last_step, recovery_codes = excluded.recovery_codes",
        )?;
        stmt.execute(params![
            t.totp_id,
            t.user_id,
            t.secret.as_bytes(),
            t.verified,
            t.created_at,
            t.expires_at,
            t.last_step,
            t.recovery_codes.as_stored(),
        ])?;
        Ok(())
    }

    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()> {
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM totps WHERE totp_id = ?1")?;
        stmt.execute([totp_id])?;
        Ok(())
    }

    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
        Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO meta VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?;
        stmt.execute(params![key, value])?;
        Ok(())
    }

    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64> {
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM totps WHERE verified = 0 AND expires_at <= ?1")?;
        Ok(stmt.execute([now])? as u64)
    }

    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>> {
        let sql = format!(
            "SELECT {TOTP_COLUMNS} FROM totps WHERE ?1 IS NULL OR totp_id > ?1 \
             ORDER BY totp_id LIMIT ?2"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![after, limit], totp_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE ?1 IS NULL OR user_id > ?1 \
             ORDER BY user_id LIMIT ?2"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![after, limit], user_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
