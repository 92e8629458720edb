//! Persistence. A store only keeps records and runs a unit of work atomically;
//! every decision about them is made in `engine`.

pub mod copy;
mod memory;
pub mod postgres;
mod sqlite;
mod survey;

pub use copy::{CopyProgress, copy};
pub use memory::MemoryStore;
pub use postgres::{PostgresSettings, PostgresStore};
pub use sqlite::SqliteStore;
pub use survey::Survey;

use crate::engine::Config;
use std::fmt;
use std::sync::Arc;
use zeroize::Zeroizing;

/// A stored user: the columns the `user` object and the lockout need.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub user_id: String,
    pub external_id: Option<String>,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub email: Option<Contact>,
    pub phone: Option<Contact>,
    /// JSON object text.
    pub trusted_metadata: String,
    /// JSON object text.
    pub untrusted_metadata: String,
    pub created_at: i64,
    /// Consecutive counted failures (TOTP and recovery codes together).
    pub failed_attempts: u32,
    pub lock: Option<Lock>,
}

#[cfg(test)]
impl UserRecord {
    /// A user with an ID and nothing else (for tests).
    pub fn bare(user_id: &str, created_at: i64) -> Self {
        Self {
            user_id: user_id.into(),
            external_id: None,
            first_name: String::new(),
            middle_name: String::new(),
            last_name: String::new(),
            email: None,
            phone: None,
            trusted_metadata: "{}".into(),
            untrusted_metadata: "{}".into(),
            created_at,
            failed_attempts: 0,
            lock: None,
        }
    }
}

/// An email address or a phone number with its ID.
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub id: String,
    pub value: String,
    pub verified: bool,
}

/// A lockout: the user is locked while `now < expires_at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lock {
    pub created_at: i64,
    pub expires_at: i64,
}

/// A stored TOTP registration.
#[derive(Clone, Debug, PartialEq)]
pub struct TotpRecord {
    pub totp_id: String,
    pub user_id: String,
    /// The key, sealed by the engine.
    pub secret: Sealed,
    pub verified: bool,
    pub created_at: i64,
    /// Unverified TOTPs stop working at this time; verified ones never expire.
    pub expires_at: i64,
    /// The highest time step ever accepted, for replay protection.
    pub last_step: Option<i64>,
    /// The unused recovery codes, sealed by the engine.
    pub recovery_codes: Sealed,
}

/// A stored session. Its token is kept only as its SHA-256; the JSON columns
/// are the engine's (`api_session_v1_*` shapes).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRecord {
    pub session_id: String,
    pub user_id: String,
    pub token_hash: [u8; 32],
    pub started_at: i64,
    pub last_accessed_at: i64,
    pub expires_at: i64,
    /// JSON object text.
    pub attributes: String,
    /// JSON array text.
    pub authentication_factors: String,
    /// JSON object text.
    pub custom_claims: String,
}

/// A value the engine sealed (encrypted, or tagged as plaintext when no key is
/// configured). Stores keep its bytes as they are (BLOB, BYTEA) and never
/// interpret them. Immutable, so copies of a record share its bytes (a
/// sign-in copies the TOTP record out of and back into the memory store);
/// wiped when the last copy is dropped. `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(Arc<Zeroizing<Vec<u8>>>);

impl Sealed {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Sealed {
    fn from(bytes: Vec<u8>) -> Self {
        Self(Arc::new(Zeroizing::new(bytes)))
    }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed(<{} bytes>)", self.0.len())
    }
}

/// A failure of the storage itself, never of the caller's input.
#[derive(Debug)]
pub enum StoreError {
    /// I/O, corruption, a broken constraint: the unit of work was rolled back.
    Failed(String),
    /// The database server cannot be reached, or is starting or stopping: the
    /// unit of work was rolled back (or, if the connection broke while it was
    /// committing, may have been kept). Trying again later can succeed.
    Unavailable(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Failed(message) | StoreError::Unavailable(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// Why a store did not open.
#[derive(Debug)]
pub enum OpenError {
    /// The file is not safe or not this library's to use as it is (a symbolic
    /// link, readable by other accounts, read-only, another application's
    /// database): the message says what the host must do.
    Refused(String),
    /// The storage itself failed.
    Failed(StoreError),
}

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> Self {
        OpenError::Failed(e)
    }
}

/// Users to find by their unique keys: a user is found when any of its keys
/// is among the values given. Emails are compared by
/// [`email_key`](crate::engine::contacts::email_key), which each store's
/// unique index on emails computes too; phone numbers exactly.
#[derive(Clone, Copy, Debug, Default)]
pub struct UserLookup<'a> {
    pub user_ids: &'a [&'a str],
    pub external_ids: &'a [&'a str],
    pub emails: &'a [&'a str],
    pub phone_numbers: &'a [&'a str],
}

/// SQL listing the users of `users` (a table name) whose `column` (an
/// expression) another user has too, grouped by it: what an upgrade to
/// unique emails and phone numbers would clash on.
pub(crate) fn users_sharing_sql(users: &str, column: &str) -> String {
    format!(
        "SELECT user_id FROM {users} WHERE {column} IN (SELECT {column} FROM {users} \
         WHERE {column} IS NOT NULL GROUP BY {column} HAVING count(*) > 1) \
         ORDER BY {column}, user_id"
    )
}

/// Why a database whose users share emails (`emails`: those users) or phone
/// numbers (`phones`) cannot take the unique indexes; `None` when none do.
/// Names the numbers and a few user IDs, never an address or number.
pub(crate) fn shared_contacts(emails: &[String], phones: &[String]) -> Option<String> {
    if emails.is_empty() && phones.is_empty() {
        return None;
    }
    let examples: Vec<&str> = emails
        .iter()
        .chain(phones)
        .take(4)
        .map(String::as_str)
        .collect();
    Some(format!(
        "{} users share an email address with another user (compared without regard to ASCII \
         case) and {} a phone number (among them {}), but each address and number must belong \
         to one user: delete those users or change their emails or phone numbers with the \
         version of this library that wrote the database (its `stytch-totp users delete \
         USER_ID`, or its users API) or with SQL, then open it again. Nothing was changed.",
        emails.len(),
        phones.len(),
        examples.join(", ")
    ))
}

/// Whether a unit of work may write. Writers are serialised against each other,
/// across threads and across processes sharing one database file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// The operations available inside one atomic unit of work.
pub trait StoreTx {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>>;
    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>>;
    /// Inserts or replaces the user with this `user_id`. Fails when another
    /// user has its `external_id`, email or phone number (the engine checks
    /// first, so this only stops a writer that did not).
    fn put_user(&mut self, user: &UserRecord) -> StoreResult<()>;
    /// Deletes the user and all of its TOTPs and sessions.
    fn delete_user(&mut self, user_id: &str) -> StoreResult<()>;
    /// The user's TOTPs, oldest first.
    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>>;
    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>>;
    /// Inserts or replaces the TOTP with this `totp_id`.
    fn put_totp(&mut self, totp: &TotpRecord) -> StoreResult<()>;
    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()>;
    /// A small named value kept with the store (key checks, the lockout
    /// policy), or `None`.
    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Inserts or replaces a named value.
    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()>;
    /// Deletes every unverified TOTP with `expires_at <= now`; returns how many.
    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64>;
    /// Up to `limit` TOTPs in `totp_id` order, after `after` (exclusive).
    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>>;
    /// Up to `limit` users in `user_id` order, after `after` (exclusive).
    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>>;
    fn session(&mut self, session_id: &str) -> StoreResult<Option<SessionRecord>>;
    /// The session whose token has this SHA-256.
    fn session_by_token_hash(
        &mut self,
        token_hash: &[u8; 32],
    ) -> StoreResult<Option<SessionRecord>>;
    /// The user's sessions, oldest first.
    fn sessions_of_user(&mut self, user_id: &str) -> StoreResult<Vec<SessionRecord>>;
    /// Inserts or replaces the session with this `session_id` (its user exists).
    fn put_session(&mut self, session: &SessionRecord) -> StoreResult<()>;
    fn delete_session(&mut self, session_id: &str) -> StoreResult<()>;
    /// Up to `limit` sessions in `session_id` order, after `after` (exclusive).
    fn sessions_page(
        &mut self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<SessionRecord>>;
    /// Deletes up to `limit` sessions with `expires_at <= now`, those that
    /// expired first first; returns how many.
    fn purge_expired_sessions(&mut self, now: i64, limit: usize) -> StoreResult<u64>;
    /// The users `lookup` finds, each once, in `user_id` order. Reads only:
    /// it locks nothing.
    fn users_by_keys(&mut self, lookup: &UserLookup<'_>) -> StoreResult<Vec<UserRecord>>;
    /// How many users the store holds.
    fn count_users(&mut self) -> StoreResult<u64>;
}

/// Opens the store `config.database` names: `":memory:"`, a PostgreSQL URL or
/// key=value connection string (see [`postgres::is_postgres`]), else an SQLite
/// file (shared with another application when `config.share_database`). A
/// refusal or failure of a file names its path; a server's connection string
/// is never repeated (it may hold a password).
pub fn open(config: &Config) -> Result<Box<dyn Store>, OpenError> {
    let database = config.database.as_str();
    Ok(match database {
        crate::engine::config::IN_MEMORY => Box::new(MemoryStore::new()),
        url if postgres::is_postgres(url) => Box::new(PostgresStore::open(url, &config.postgres)?),
        path => {
            let opened = match config.share_database {
                true => SqliteStore::open_shared(path),
                false => SqliteStore::open(path),
            };
            Box::new(opened.map_err(|e| match e {
                OpenError::Refused(why) => OpenError::Refused(format!("{path}: {why}")),
                OpenError::Failed(e) => {
                    OpenError::Failed(StoreError::Failed(format!("{path}: {e}")))
                }
            })?)
        }
    })
}

/// A place where users and TOTPs live. Implementations are `Send + Sync`: one
/// store serves every thread of a client.
pub trait Store: Send + Sync {
    /// Runs `work` atomically: everything it wrote is kept when it returns `Ok`,
    /// nothing when it returns `Err` or panics.
    fn transaction(
        &self,
        access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()>;

    /// Makes sure values the store no longer holds (deleted or re-sealed
    /// secrets) are gone from its files too, waiting for other connections if
    /// need be. Nothing to do for a store that leaves nothing behind.
    fn erase_removed(&self) -> StoreResult<()> {
        Ok(())
    }

    /// Its schema version, how many users and TOTPs it holds, and what its
    /// own integrity check finds (`stytch-totp doctor`). Writes nothing. By
    /// default: counted page by page, with no schema and no check.
    fn survey(&self) -> StoreResult<Survey> {
        let (users, totps) = survey::count_by_pages(|access, work| self.transaction(access, work))?;
        Ok(Survey {
            users,
            totps,
            ..Survey::default()
        })
    }
}
