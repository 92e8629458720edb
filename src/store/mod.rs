//! Persistence. A store only keeps records and runs a unit of work atomically;
//! every decision about them is made in `engine`.

pub mod copy;
mod memory;
pub mod postgres;
mod sqlite;

pub use copy::{CopyProgress, copy, copy_between};
pub use memory::MemoryStore;
pub use postgres::{PostgresSettings, PostgresStore};
pub use sqlite::SqliteStore;

use crate::otp::{SecretKey, SecretString};
use std::fmt;

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
    pub secret: SecretKey,
    pub verified: bool,
    pub created_at: i64,
    /// Unverified TOTPs stop working at this time; verified ones never expire.
    pub expires_at: i64,
    /// The highest time step ever accepted, for replay protection.
    pub last_step: Option<i64>,
    pub recovery_codes: RecoveryCodes,
}

/// The recovery codes not used yet, kept as one space-separated secret: a
/// record is copied on every attempt, and one string is cheaper to copy and
/// wipe than ten.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecoveryCodes(SecretString);

impl RecoveryCodes {
    pub fn new(codes: &[SecretString]) -> Self {
        let joined = codes
            .iter()
            .map(SecretString::expose)
            .collect::<Vec<_>>()
            .join(" ");
        Self(SecretString::from(joined))
    }

    /// The stored form: codes separated by single spaces.
    pub fn from_stored(text: String) -> Self {
        Self(SecretString::from(text))
    }

    pub fn as_stored(&self) -> &str {
        self.0.expose()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.expose().split_ascii_whitespace()
    }

    pub fn to_vec(&self) -> Vec<SecretString> {
        self.iter().map(SecretString::from).collect()
    }

    /// Uses up `code` (which must be one of them).
    pub fn remove(&mut self, code: &str) {
        let rest: Vec<&str> = self.iter().filter(|c| *c != code).collect();
        *self = Self(SecretString::from(rest.join(" ")));
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
    /// Inserts or replaces the user with this `user_id`.
    fn put_user(&mut self, user: &UserRecord) -> StoreResult<()>;
    /// Deletes the user and all of its TOTPs.
    fn delete_user(&mut self, user_id: &str) -> StoreResult<()>;
    /// The user's TOTPs, oldest first.
    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>>;
    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>>;
    /// Inserts or replaces the TOTP with this `totp_id`.
    fn put_totp(&mut self, totp: &TotpRecord) -> StoreResult<()>;
    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()>;
    /// A value of the store's own key/value table.
    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Inserts or replaces a value of the key/value table.
    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()>;
    /// Deletes the unverified TOTPs with `expires_at <= now`; returns how many.
    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64>;
    /// Up to `limit` TOTPs ordered by `totp_id`, starting after `after`.
    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>>;
    /// Up to `limit` users ordered by `user_id`, starting after `after`.
    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>>;
}

/// Opens the store `database` names: `":memory:"`, a PostgreSQL URL or
/// key=value connection string (see [`postgres::is_postgres`]), else an SQLite file.
pub fn open(database: &str, postgres: &PostgresSettings) -> StoreResult<Box<dyn Store>> {
    Ok(match database {
        crate::engine::config::IN_MEMORY => Box::new(MemoryStore::new()),
        url if postgres::is_postgres(url) => Box::new(PostgresStore::open(url, postgres)?),
        path => Box::new(
            SqliteStore::open(path).map_err(|e| StoreError::Failed(format!("{path}: {e}")))?,
        ),
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
}
