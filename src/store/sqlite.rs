//! The embedded default store: one SQLite file in WAL mode, shareable by several
//! processes. Writers take the database lock up front (`BEGIN IMMEDIATE`), so a
//! check-and-update is atomic across threads and processes alike.
//!
//! The file is private (created 0600 before SQLite opens it, never through a
//! symbolic link; SQLite gives `-wal` and `-shm` the same mode), claimed for
//! this library (`PRAGMA application_id`), and a transaction that removed a
//! secret is followed by a checkpoint that empties the WAL.

use super::{
    Access, Contact, Lock, OpenError, Sealed, SessionRecord, Store, StoreError, StoreResult,
    StoreTx, Survey, TotpRecord, UserLookup, UserRecord,
};
use crate::engine::contacts::email_key;
use parking_lot::{Mutex, MutexGuard};
use rusqlite::config::DbConfig;
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior,
    params,
};
use std::time::{Duration, Instant};
use upkeep::Upkeep;
use zeroize::Zeroizing;

mod busy;
mod upkeep;

/// The schema this library writes, kept in the meta table.
const SCHEMA_VERSION: i64 = 4;
/// The schema before sessions (3 adds their table).
const SCHEMA_VERSION_WITHOUT_SESSIONS: i64 = 2;
/// The schema before emails and phone numbers were unique (4 makes them so).
const SCHEMA_BEFORE_UNIQUE_CONTACTS: i64 = 3;
/// The schema of files written before there was a meta table (`user_version` 1:
/// secrets and codes stored bare).
const LEGACY_USER_VERSION: i64 = 1;
/// `PRAGMA application_id` of a file this library claims: "STTP".
const APPLICATION_ID: i64 = 0x5354_5450;
const SCHEMA_VERSION_KEY: &str = "sqlite_schema_version";

/// How long a writer waits for another process holding the lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Prepared statements kept (rusqlite keeps 16): every one the store runs.
const STATEMENTS_KEPT: usize = 40;

const TABLES: &str = "
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
";

/// The TOTP table of schema 2: secrets and codes are sealed bytes.
const TOTPS: &str = "
CREATE TABLE totps (
    totp_id        TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    secret         BLOB NOT NULL,
    verified       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    last_step      INTEGER,
    recovery_codes BLOB NOT NULL
) STRICT;
CREATE INDEX totps_by_user ON totps(user_id, created_at);
CREATE INDEX totps_pending_by_expiry ON totps(expires_at) WHERE verified = 0;
CREATE TABLE stytch_totp_meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
";

/// The sessions table of schema 3. Named for this library: a host sharing
/// its file may well have a `sessions` table of its own.
const SESSIONS: &str = "
CREATE TABLE stytch_sessions (
    session_id             TEXT PRIMARY KEY,
    user_id                TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    token_hash             BLOB NOT NULL UNIQUE,
    started_at             INTEGER NOT NULL,
    last_accessed_at       INTEGER NOT NULL,
    expires_at             INTEGER NOT NULL,
    attributes             TEXT NOT NULL,
    authentication_factors TEXT NOT NULL,
    custom_claims          TEXT NOT NULL
) STRICT;
CREATE INDEX stytch_sessions_by_user ON stytch_sessions(user_id, started_at);
";

/// Up to `?2` sessions expired at `?1`, those that expired first first.
const PURGE_EXPIRED_SESSIONS: &str = "DELETE FROM stytch_sessions WHERE session_id IN \
     (SELECT session_id FROM stytch_sessions WHERE expires_at <= ?1 \
      ORDER BY expires_at LIMIT ?2)";

macro_rules! session_columns {
    () => {
        "session_id, user_id, token_hash, started_at, last_accessed_at, \
         expires_at, attributes, authentication_factors, custom_claims"
    };
}

/// Schema 4: an email address (compared as `email_key` does: SQLite's
/// `lower()` folds ASCII letters only) or a phone number belongs to one user;
/// the purge finds expired sessions without reading them all.
const SCHEMA_4_INDEXES: &str = "
CREATE UNIQUE INDEX users_by_email ON users(lower(email));
CREATE UNIQUE INDEX users_by_phone_number ON users(phone_number);
CREATE INDEX IF NOT EXISTS stytch_sessions_by_expiry ON stytch_sessions(expires_at);
";

// Column lists and the meta table's name as macros, so that statements are
// constants (`concat!`), not formatted again on every call.
macro_rules! user_columns {
    () => {
        "user_id, external_id, first_name, middle_name, last_name, \
         email_id, email, email_verified, phone_id, phone_number, phone_verified, \
         trusted_metadata, untrusted_metadata, created_at, failed_attempts, \
         lock_created_at, lock_expires_at"
    };
}

macro_rules! totp_columns {
    () => {
        "totp_id, user_id, secret, verified, created_at, expires_at, last_step, recovery_codes"
    };
}

macro_rules! meta_table {
    () => {
        "stytch_totp_meta"
    };
}

const META_TABLE: &str = meta_table!();

const TOTPS_OF_USER: &str = concat!(
    "SELECT ",
    totp_columns!(),
    " FROM totps WHERE user_id = ?1 ORDER BY created_at, rowid"
);

fn store_error(context: &str) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Failed(format!("{context}: {e}"))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Failed(format!("database error: {e}"))
    }
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        OpenError::Failed(e.into())
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Thread-safe: the connection is behind a mutex, which the threads of the
/// process take in turn, first come first served; other processes are kept
/// in step by SQLite's file locks.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Checkpoints and emptying of the WAL, on a second connection.
    upkeep: Upkeep,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date. Fails now, not later, for an unwritable path, a file that
    /// is not a database, and (refused) a symbolic link, a file other accounts
    /// can read, a read-only file, or another application's database.
    pub fn open(path: &str) -> Result<Self, OpenError> {
        Self::open_with(path, false)
    }

    /// `open` for a database that may belong to another application: this
    /// library keeps its tables beside the host's and does not claim the file.
    pub fn open_shared(path: &str) -> Result<Self, OpenError> {
        Self::open_with(path, true)
    }

    fn open_with(path: &str, share: bool) -> Result<Self, OpenError> {
        file::prepare(path)?;
        let mut conn = connect(path, BUSY_TIMEOUT)?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(OpenError::Refused(
                "SQLite can only read it: the library writes to its database".into(),
            ));
        }
        // Refuse a foreign file before changing anything in it. (One read
        // transaction: another process may be creating the schema meanwhile.)
        let snapshot = conn.transaction()?;
        if let Found::Foreign(why) = inspect(&snapshot, share)? {
            return Err(OpenError::Refused(why));
        }
        snapshot.finish()?;
        use_wal(&conn)?;
        // secure_delete: deleted secrets and used recovery codes are overwritten
        // in the file, not left in free pages.
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
        )?;
        // A plan that does not depend on the values bound: otherwise SQLite
        // prepares a statement again each time its parameters change (such as
        // the TOTPs of a user, for its ORDER BY), which was half the work of
        // an authentication.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        migrate(&mut conn, share)?;
        let worker = connect(path, upkeep::WIPE_WAIT)?;
        worker.execute_batch("PRAGMA synchronous=NORMAL;")?;
        let upkeep = Upkeep::new(&mut conn, worker)?;
        Ok(Self {
            conn: Mutex::new(conn),
            upkeep,
        })
    }
}

/// A connection to the file `file::prepare` checked, which waits up to
/// `timeout` for locks other processes hold.
fn connect(path: &str, timeout: Duration) -> Result<Connection, OpenError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NOFOLLOW
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | file::SQLITE_CREATE;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(store_error("cannot open the database"))?;
    busy::wait_for_locks(&mut conn, timeout)?;
    Ok(conn)
}

/// `PRAGMA journal_mode=WAL`, which SQLite does not pass through its busy
/// handler: retried while another connection holds the lock, up to the busy
/// timeout (several processes opening a new file at once all succeed).
fn use_wal(conn: &Connection) -> Result<(), OpenError> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(1);
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(mode) => {
                return Err(OpenError::Failed(StoreError::Failed(format!(
                    "cannot use the database: journal mode is {mode}, WAL is required"
                ))));
            }
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => return Err(store_error("cannot use the database")(e).into()),
        }
    }
}

/// What a file holds, as far as this library is concerned.
enum Found {
    /// This library's tables at this schema version.
    Ours(i64),
    /// Nothing yet.
    Empty,
    /// This library's tables from before the meta table (schema 1).
    Legacy,
    /// Another application's database, not to be used (the reason).
    Foreign(String),
}

/// Looks at the file's header and tables. With `share`, tables of another
/// application are fine beside this library's, as long as none has one of
/// its names.
fn inspect(conn: &Connection, share: bool) -> StoreResult<Found> {
    let application_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let has = |name: &str| tables.iter().any(|t| t == name);
    let ours_by_id = application_id == APPLICATION_ID;
    if has(META_TABLE) && (ours_by_id || share) {
        return Ok(Found::Ours(schema_version(conn)?.unwrap_or(0)));
    }
    if application_id == 0 {
        if tables.is_empty() && user_version == 0 {
            return Ok(Found::Empty);
        }
        if user_version == LEGACY_USER_VERSION && has("users") && has("totps") && !has(META_TABLE) {
            return Ok(Found::Legacy);
        }
    }
    let clash: Vec<&str> = ["users", "totps", META_TABLE, "stytch_sessions"]
        .into_iter()
        .filter(|t| has(t))
        .collect();
    Ok(match (share, clash.is_empty()) {
        (true, true) => Found::Empty,
        (true, false) => Found::Foreign(format!(
            "it has tables named {} that are not this library's",
            clash.join(", ")
        )),
        (false, _) => Found::Foreign(format!(
            "it is not a stytch_totp database (application_id {application_id:#x}, {} tables); \
             set share_database to keep this library's tables in another application's file",
            tables.len()
        )),
    })
}

/// The schema version in the meta table (`None`: not recorded or not a number).
fn schema_version(conn: &Connection) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            &format!("SELECT CAST(value AS TEXT) FROM {META_TABLE} WHERE key = ?1"),
            [SCHEMA_VERSION_KEY],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok()))
}

/// Creates the schema in an empty file and upgrades a schema 1 or 2 file;
/// claims the file unless it is shared; refuses one written by a newer
/// library, and one whose users share emails or phone numbers (changing
/// nothing). Runs under the write lock, so concurrent first opens create or
/// upgrade it once.
fn migrate(conn: &mut Connection, share: bool) -> Result<(), OpenError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(store_error("cannot use the database"))?;
    match inspect(&tx, share)? {
        Found::Ours(SCHEMA_VERSION) => {}
        Found::Ours(from @ (SCHEMA_VERSION_WITHOUT_SESSIONS | SCHEMA_BEFORE_UNIQUE_CONTACTS)) => {
            if from == SCHEMA_VERSION_WITHOUT_SESSIONS {
                tx.execute_batch(SESSIONS)
                    .map_err(store_error("cannot upgrade the schema"))?;
            }
            make_contacts_unique(&tx)?;
            finish_schema(&tx, share)?;
        }
        Found::Ours(newer) if newer > SCHEMA_VERSION => {
            return Err(OpenError::Failed(StoreError::Failed(format!(
                "the database has schema version {newer}; this library supports up to {SCHEMA_VERSION}"
            ))));
        }
        Found::Ours(other) => {
            return Err(OpenError::Failed(StoreError::Failed(format!(
                "the database has an unknown schema version {other}"
            ))));
        }
        Found::Empty => {
            tx.execute_batch(TABLES)
                .and_then(|()| tx.execute_batch(TOTPS))
                .and_then(|()| tx.execute_batch(SESSIONS))
                .and_then(|()| tx.execute_batch(SCHEMA_4_INDEXES))
                .map_err(store_error("cannot create the schema"))?;
            finish_schema(&tx, share)?;
        }
        Found::Legacy => {
            upgrade_from_legacy(&tx)
                .and_then(|()| tx.execute_batch(SESSIONS))
                .map_err(store_error("cannot upgrade the schema"))?;
            make_contacts_unique(&tx)?;
            finish_schema(&tx, share)?;
        }
        Found::Foreign(why) => return Err(OpenError::Refused(why)),
    }
    tx.commit()?;
    Ok(())
}

fn finish_schema(tx: &Transaction<'_>, share: bool) -> StoreResult<()> {
    tx.execute(
        &format!("INSERT OR REPLACE INTO {META_TABLE} VALUES (?1, CAST(?2 AS BLOB))"),
        params![SCHEMA_VERSION_KEY, SCHEMA_VERSION.to_string()],
    )?;
    if !share {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

/// Schema 1 kept the key as a bare BLOB and the codes as TEXT. Schema 2 keeps
/// both as the engine's tagged bytes (`0x00 | plaintext` until they are
/// sealed by a rewrap), so the table is rebuilt with BLOB codes.
fn upgrade_from_legacy(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE totps RENAME TO totps_v1;")?;
    let (create_totps, rest) = TOTPS.split_at(TOTPS.find("CREATE INDEX").unwrap_or(TOTPS.len()));
    tx.execute_batch(create_totps)?;
    {
        let mut read = tx.prepare(concat!("SELECT ", totp_columns!(), " FROM totps_v1"))?;
        let mut write = tx.prepare("INSERT INTO totps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let secret = Zeroizing::new(row.get::<_, Vec<u8>>(2)?);
            let codes = Zeroizing::new(row.get::<_, String>(7)?);
            write.execute(params![
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                tagged_plain(&secret).as_slice(),
                row.get::<_, bool>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, Option<i64>>(6)?,
                tagged_plain(codes.as_bytes()).as_slice(),
            ])?;
        }
    }
    tx.execute_batch("DROP TABLE totps_v1;")?;
    tx.execute_batch(rest)
}

/// The last step to schema 4, inside the upgrade's transaction: the unique
/// indexes on emails and phone numbers, unless users already share one. Then
/// the transaction is dropped (nothing changes) and the file is refused with
/// the numbers and some of the users, for the host to settle: no user is
/// dropped or changed behind its back.
fn make_contacts_unique(tx: &Transaction<'_>) -> Result<(), OpenError> {
    let sharing = |column: &str| -> rusqlite::Result<Vec<String>> {
        let sql = super::users_sharing_sql("users", column);
        tx.prepare(&sql)?.query_map([], |r| r.get(0))?.collect()
    };
    let emails = sharing("lower(email)").map_err(store_error("cannot upgrade the schema"))?;
    let phones = sharing("phone_number").map_err(store_error("cannot upgrade the schema"))?;
    if let Some(why) = super::shared_contacts(&emails, &phones) {
        return Err(OpenError::Refused(why));
    }
    tx.execute_batch(SCHEMA_4_INDEXES)
        .map_err(store_error("cannot upgrade the schema"))?;
    Ok(())
}

/// The engine's form of a value stored without a key.
fn tagged_plain(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut tagged = Zeroizing::new(Vec::with_capacity(1 + bytes.len()));
    tagged.push(0);
    tagged.extend_from_slice(bytes);
    tagged
}

impl Store for SqliteStore {
    fn transaction(
        &self,
        access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()> {
        // A panic while the lock was held left at most an open transaction,
        // which `OpenTransaction` rolled back when it was dropped (the lock
        // has no poisoning).
        let conn = self.conn.lock();
        let begin = match access {
            Access::Read => "BEGIN DEFERRED",
            Access::Write => "BEGIN IMMEDIATE",
        };
        let done = OpenTransaction::run(&conn, begin, work);
        // Straight to the thread that has waited longest: a thread that let
        // go and came back at once took the connection again and again,
        // while others waited tens of milliseconds.
        MutexGuard::unlock_fair(conn);
        done?;
        self.upkeep.after_commit();
        Ok(())
    }

    fn erase_removed(&self) -> StoreResult<()> {
        let conn = self.conn.lock();
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Err(StoreError::Failed(
                "other connections kept the WAL in use: removed values may remain in the -wal \
                 file until it is emptied; try again"
                    .into(),
            ));
        }
        self.upkeep.wiped();
        Ok(())
    }

    fn survey(&self) -> StoreResult<Survey> {
        let conn = self.conn.lock();
        let tx = conn.unchecked_transaction()?;
        let schema_version = schema_version(&tx)?;
        let count = |table: &str| {
            tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })
        };
        let (users, totps) = (count("users")?, count("totps")?);
        let problems: Vec<String> = tx
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        tx.finish()?;
        Ok(Survey {
            schema_version,
            supported_schema_version: Some(SCHEMA_VERSION),
            users: users as u64,
            totps: totps as u64,
            integrity_problems: Some(problems.into_iter().filter(|p| p != "ok").collect()),
        })
    }
}

impl SqliteStore {
    /// The database file and its `-wal` and `-shm` as `open` checks them,
    /// without opening anything: each one's path and its mode (`None`:
    /// absent), or why `open` refuses it.
    pub fn check_files(path: &str) -> Vec<(String, Result<Option<u32>, String>)> {
        file::inspect(path)
    }
}

/// A transaction begun on the connection, rolled back when dropped unless it
/// was committed. (rusqlite's `Transaction` parses its `BEGIN` and `COMMIT`
/// anew each time; these are prepared once.)
struct OpenTransaction<'c>(&'c Connection);

impl<'c> OpenTransaction<'c> {
    fn begin(conn: &'c Connection, begin: &str) -> rusqlite::Result<Self> {
        conn.prepare_cached(begin)?.execute([])?;
        Ok(Self(conn))
    }

    fn commit(self) -> rusqlite::Result<()> {
        self.0.prepare_cached("COMMIT")?.execute([])?;
        Ok(())
    }

    /// Runs `work` in a transaction opened with `begin`, committed if `work`
    /// succeeds and rolled back otherwise.
    fn run(
        conn: &'c Connection,
        begin: &str,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let open = Self::begin(conn, begin)?;
        work(&mut SqliteTx { tx: open.0 })?;
        Ok(open.commit()?)
    }
}

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        // Not committed (an error, a panic), or a commit that failed.
        if !self.0.is_autocommit() {
            let _ = self
                .0
                .prepare_cached("ROLLBACK")
                .and_then(|mut rollback| rollback.execute([]));
        }
    }
}

struct SqliteTx<'a> {
    tx: &'a Connection,
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
        secret: Sealed::from(row.get::<_, Vec<u8>>(2)?),
        verified: row.get(3)?,
        created_at: row.get(4)?,
        expires_at: row.get(5)?,
        last_step: row.get(6)?,
        recovery_codes: Sealed::from(row.get::<_, Vec<u8>>(7)?),
    })
}

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    let hash: Vec<u8> = row.get(2)?;
    let token_hash = hash.as_slice().try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Blob,
            "a session token hash is not 32 bytes".into(),
        )
    })?;
    Ok(SessionRecord {
        session_id: row.get(0)?,
        user_id: row.get(1)?,
        token_hash,
        started_at: row.get(3)?,
        last_accessed_at: row.get(4)?,
        expires_at: row.get(5)?,
        attributes: row.get(6)?,
        authentication_factors: row.get(7)?,
        custom_claims: row.get(8)?,
    })
}

impl StoreTx for SqliteTx<'_> {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE user_id = ?1"
        ))?;
        Ok(stmt.query_row([user_id], user_from_row).optional()?)
    }

    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE external_id = ?1"
        ))?;
        Ok(stmt.query_row([external_id], user_from_row).optional()?)
    }

    fn put_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        // Most writes change no unique key (external_id, email, phone
        // number): an UPDATE of the other columns leaves the indexes alone
        // (one page written instead of several).
        let mut update = self.tx.prepare_cached(
            "UPDATE users SET first_name = ?3, middle_name = ?4, last_name = ?5,
               email_id = ?6, email_verified = ?8, phone_id = ?9,
               phone_verified = ?11, trusted_metadata = ?12,
               untrusted_metadata = ?13, created_at = ?14, failed_attempts = ?15,
               lock_created_at = ?16, lock_expires_at = ?17
             WHERE user_id = ?1 AND external_id IS ?2 AND email IS ?7 AND phone_number IS ?10",
        )?;
        let values = params![
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
        ];
        if update.execute(values)? == 1 {
            return Ok(());
        }
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
        stmt.execute(values)?;
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
        let mut stmt = self.tx.prepare_cached(TOTPS_OF_USER)?;
        let rows = stmt.query_map([user_id], totp_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            totp_columns!(),
            " FROM totps WHERE totp_id = ?1"
        ))?;
        Ok(stmt.query_row([totp_id], totp_from_row).optional()?)
    }

    fn put_totp(&mut self, t: &TotpRecord) -> StoreResult<()> {
        let values = params![
            t.totp_id,
            t.user_id,
            t.secret.as_bytes(),
            t.verified,
            t.created_at,
            t.expires_at,
            t.last_step,
            t.recovery_codes.as_bytes(),
        ];
        // As in `put_user`: an authentication changes no indexed column.
        let mut update = self.tx.prepare_cached(
            "UPDATE totps SET secret = ?3, verified = ?4, last_step = ?7, recovery_codes = ?8
             WHERE totp_id = ?1 AND user_id = ?2 AND created_at = ?5 AND expires_at = ?6",
        )?;
        if update.execute(values)? == 1 {
            return Ok(());
        }
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO totps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(totp_id) DO UPDATE SET
               secret = excluded.secret, verified = excluded.verified,
               created_at = excluded.created_at, expires_at = excluded.expires_at,
               last_step = excluded.last_step, recovery_codes = excluded.recovery_codes",
        )?;
        stmt.execute(values)?;
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
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT value FROM ",
            meta_table!(),
            " WHERE key = ?1"
        ))?;
        Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "INSERT INTO ",
            meta_table!(),
            " VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ))?;
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
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            totp_columns!(),
            " FROM totps WHERE ?1 IS NULL OR totp_id > ?1 ORDER BY totp_id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], totp_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE ?1 IS NULL OR user_id > ?1 ORDER BY user_id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], user_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn session(&mut self, session_id: &str) -> StoreResult<Option<SessionRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            session_columns!(),
            " FROM stytch_sessions WHERE session_id = ?1"
        ))?;
        Ok(stmt.query_row([session_id], session_from_row).optional()?)
    }

    fn session_by_token_hash(
        &mut self,
        token_hash: &[u8; 32],
    ) -> StoreResult<Option<SessionRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            session_columns!(),
            " FROM stytch_sessions WHERE token_hash = ?1"
        ))?;
        Ok(stmt
            .query_row([&token_hash[..]], session_from_row)
            .optional()?)
    }

    fn sessions_of_user(&mut self, user_id: &str) -> StoreResult<Vec<SessionRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            session_columns!(),
            " FROM stytch_sessions WHERE user_id = ?1 ORDER BY started_at, session_id"
        ))?;
        let rows = stmt.query_map([user_id], session_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn put_session(&mut self, r: &SessionRecord) -> StoreResult<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO stytch_sessions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(session_id) DO UPDATE SET
               token_hash = excluded.token_hash, started_at = excluded.started_at,
               last_accessed_at = excluded.last_accessed_at, expires_at = excluded.expires_at,
               attributes = excluded.attributes,
               authentication_factors = excluded.authentication_factors,
               custom_claims = excluded.custom_claims",
        )?;
        stmt.execute(params![
            r.session_id,
            r.user_id,
            &r.token_hash[..],
            r.started_at,
            r.last_accessed_at,
            r.expires_at,
            r.attributes,
            r.authentication_factors,
            r.custom_claims,
        ])?;
        Ok(())
    }

    fn delete_session(&mut self, session_id: &str) -> StoreResult<()> {
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM stytch_sessions WHERE session_id = ?1")?;
        stmt.execute([session_id])?;
        Ok(())
    }

    fn sessions_page(
        &mut self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<SessionRecord>> {
        let mut stmt = self.tx.prepare_cached(concat!(
            "SELECT ",
            session_columns!(),
            " FROM stytch_sessions WHERE ?1 IS NULL OR session_id > ?1 \
             ORDER BY session_id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], session_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn purge_expired_sessions(&mut self, now: i64, limit: usize) -> StoreResult<u64> {
        let mut stmt = self.tx.prepare_cached(PURGE_EXPIRED_SESSIONS)?;
        Ok(stmt.execute(params![now, limit as i64])? as u64)
    }

    fn users_by_keys(&mut self, lookup: &UserLookup<'_>) -> StoreResult<Vec<UserRecord>> {
        let email_keys: Vec<String> = lookup.emails.iter().map(|e| email_key(e)).collect();
        let email_keys: Vec<&str> = email_keys.iter().map(String::as_str).collect();
        // One indexed lookup per value (in process: no round trips to save);
        // the first two are the statements of `user` and `user_by_external_id`.
        macro_rules! by {
            ($column:literal) => {
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users WHERE ",
                    $column,
                    " = ?1"
                )
            };
        }
        let searches = [
            (by!("user_id"), lookup.user_ids),
            (by!("external_id"), lookup.external_ids),
            (by!("lower(email)"), email_keys.as_slice()),
            (by!("phone_number"), lookup.phone_numbers),
        ];
        let mut found = std::collections::BTreeMap::new();
        for (sql, values) in searches {
            let mut stmt = self.tx.prepare_cached(sql)?;
            for value in values {
                if let Some(user) = stmt.query_row([value], user_from_row).optional()? {
                    found.insert(user.user_id.clone(), user);
                }
            }
        }
        Ok(found.into_values().collect())
    }

    fn count_users(&mut self) -> StoreResult<u64> {
        let mut stmt = self.tx.prepare_cached("SELECT count(*) FROM users")?;
        Ok(stmt.query_row([], |r| r.get::<_, i64>(0))? as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    fn totp(user_id: &str) -> TotpRecord {
        TotpRecord {
            totp_id: format!("totp-of-{user_id}"),
            user_id: user_id.into(),
            secret: Sealed::from(vec![0; 21]),
            verified: true,
            created_at: 1,
            expires_at: 2,
            last_step: Some(1),
            recovery_codes: Sealed::from(vec![0; 120]),
        }
    }

    /// A store holding users `u0`.. `u{n-1}`, each with a verified TOTP.
    fn store_with_users(n: usize) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        store
            .transaction(Access::Write, &mut |tx| {
                (0..n).try_for_each(|i| {
                    tx.put_user(&UserRecord::bare(&format!("u{i}"), 1))?;
                    tx.put_totp(&totp(&format!("u{i}")))
                })
            })
            .unwrap();
        (dir, store)
    }

    /// What an authentication does: read the user and its TOTPs, write the
    /// TOTP's new step.
    fn authenticate(store: &SqliteStore, user_id: &str, step: i64) {
        store
            .transaction(Access::Write, &mut |tx| {
                tx.user(user_id)?.unwrap();
                let mut totps = tx.totps_of_user(user_id)?;
                totps[0].last_step = Some(step);
                tx.put_totp(&totps[0])
            })
            .unwrap();
    }

    #[test]
    fn threads_take_the_connection_in_the_order_they_asked_for_it() {
        let (_dir, store) = store_with_users(0);
        let store = &store;
        let order = std::sync::Mutex::new(Vec::new());
        let turn = &|name: &'static str| {
            store
                .transaction(Access::Write, &mut |_| {
                    order.lock().unwrap().push(name);
                    Ok(())
                })
                .unwrap()
        };
        // Long enough for a thread to reach the lock and wait there.
        let settle = || std::thread::sleep(Duration::from_millis(200));
        let (entered, has_entered) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|s| {
            s.spawn(move || {
                store
                    .transaction(Access::Write, &mut |_| {
                        entered.send(()).unwrap();
                        released.recv().unwrap();
                        Ok(())
                    })
                    .unwrap();
                // At once: the lock is free for a moment, before the woken
                // waiter runs.
                turn("first, again");
            });
            has_entered.recv().unwrap();
            s.spawn(|| turn("second"));
            settle();
            s.spawn(|| turn("third"));
            settle();
            release.send(()).unwrap();
        });
        assert_eq!(*order.lock().unwrap(), ["second", "third", "first, again"]);
    }

    #[test]
    fn statements_are_not_prepared_again_when_their_values_change() {
        let (_dir, store) = store_with_users(2);
        for step in 2..10 {
            authenticate(&store, &format!("u{}", step % 2), step);
        }
        let conn = store.conn.lock();
        let stmt = conn.prepare_cached(TOTPS_OF_USER).unwrap();
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
    }

    #[test]
    fn the_purge_finds_expired_sessions_by_their_index() {
        let (_dir, store) = store_with_users(1);
        let conn = store.conn.lock();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {PURGE_EXPIRED_SESSIONS}"))
            .unwrap()
            .query_map(params![0, 10], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX stytch_sessions_by_expiry")),
            "{plan:?}"
        );
    }

    #[test]
    fn an_authentication_writes_one_page() {
        let (_dir, store) = store_with_users(50);
        store.erase_removed().unwrap();
        authenticate(&store, "u7", 2);
        let conn = store.conn.lock();
        let (busy, frames, _): (i64, i64, i64) = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!((busy, frames), (0, 1));
    }
}

/// Making and checking the database file before SQLite opens it.
#[cfg(unix)]
mod file {
    use super::OpenError;
    use crate::store::StoreError;
    use std::fs::{self, OpenOptions};
    use std::io::ErrorKind;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

    /// SQLite does not create the file: it exists now, and it is the one checked.
    pub const SQLITE_CREATE: rusqlite::OpenFlags = rusqlite::OpenFlags::empty();

    /// Creates `path` 0600 (`O_CREAT|O_EXCL|O_NOFOLLOW`), or checks the file
    /// that is there: a regular file, not a symbolic link, writable, and like
    /// its `-wal` and `-shm`, private to its owner.
    pub fn prepare(path: &str) -> Result<(), OpenError> {
        let created = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path);
        match created {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(failed("cannot create the database", e)),
        }
        check(path, true)?;
        for companion in ["-wal", "-shm"] {
            check(&format!("{path}{companion}"), false)?;
        }
        // Writable by this process? (SQLite would quietly open it read-only.)
        match OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
        {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Err(OpenError::Refused(format!(
                    "it is read-only for this process ({e}): the library writes to its database"
                )))
            }
            Err(e) => Err(failed("cannot open the database", e)),
        }
    }

    fn check(path: &str, required: bool) -> Result<(), OpenError> {
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound && !required => return Ok(()),
            Err(e) => return Err(failed("cannot read the database's attributes", e)),
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        if meta.file_type().is_symlink() {
            return Err(OpenError::Refused(format!(
                "{name} is a symbolic link: give the path of the file itself"
            )));
        }
        if !meta.is_file() {
            return Err(OpenError::Refused(format!("{name} is not a regular file")));
        }
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(OpenError::Refused(format!(
                "{name} is open to other accounts (mode {mode:04o}): it holds every user's \
                 second factor; make it private with chmod 600 (and its -wal and -shm files)"
            )));
        }
        Ok(())
    }

    fn failed(what: &str, e: std::io::Error) -> OpenError {
        OpenError::Failed(StoreError::Failed(format!("{what}: {e}")))
    }

    /// `check` of the file and its companions, with the mode of each.
    pub fn inspect(path: &str) -> Vec<(String, Result<Option<u32>, String>)> {
        [("", true), ("-wal", false), ("-shm", false)]
            .into_iter()
            .map(|(suffix, required)| {
                let file = format!("{path}{suffix}");
                let outcome = match check(&file, required) {
                    Ok(()) => Ok(fs::symlink_metadata(&file)
                        .ok()
                        .map(|meta| meta.permissions().mode() & 0o777)),
                    Err(OpenError::Refused(why)) => Err(why),
                    Err(OpenError::Failed(e)) => Err(e.to_string()),
                };
                (file, outcome)
            })
            .collect()
    }
}

/// Elsewhere, SQLite creates the file with the platform's defaults.
#[cfg(not(unix))]
mod file {
    pub const SQLITE_CREATE: rusqlite::OpenFlags = rusqlite::OpenFlags::SQLITE_OPEN_CREATE;

    pub fn prepare(_path: &str) -> Result<(), super::OpenError> {
        Ok(())
    }

    /// File modes are Unix's: nothing to report.
    pub fn inspect(_path: &str) -> Vec<(String, Result<Option<u32>, String>)> {
        Vec::new()
    }
}
