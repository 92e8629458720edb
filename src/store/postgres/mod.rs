//! The PostgreSQL store, for fleets of app servers sharing one state.
//!
//! Every unit of work is one transaction; a write transaction locks the row
//! of the user it is about (`SELECT … FOR UPDATE`) with its first read, so the
//! check-and-updates of one user queue up across threads, processes and
//! hosts. Serialization failures, deadlocks and unique-key races (SQLSTATE
//! 40001, 40P01, 23505) roll back and run the unit of work again, a bounded
//! number of times, so the same code works on servers that run SERIALIZABLE.
//!
//! The client is blocking: each connection is driven by a private
//! current-thread tokio runtime. Calling the store from a thread that is
//! already running a tokio runtime is refused with an error (use
//! `spawn_blocking`).

mod conn;
mod conninfo;
mod fault;
mod pool;
mod rows;
mod schema;
mod tls;
mod tx;

pub use conn::round_trips;
pub use conninfo::is_postgres;

use super::{Access, OpenError, Store, StoreError, StoreResult, StoreTx, Survey};
use conn::{Conn, ConnectSettings};
use fault::{Fault, FaultKind};
use pool::Pool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tx::PgTx;

/// The `postgres` object of the client configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresSettings {
    /// The schema holding the tables; created on first use.
    pub schema: String,
    /// Connections one client may open.
    pub max_connections: u32,
    /// How long opening a connection (or waiting for a free one) may take.
    pub connect_timeout_ms: u32,
    /// The server cancels a statement that runs longer (`statement_timeout`).
    pub statement_timeout_ms: u32,
}

impl PostgresSettings {
    pub const MAX_CONNECTIONS: (i64, i64) = (1, 1024);
    pub const CONNECT_TIMEOUT_MS: (i64, i64) = (10, 600_000);
    pub const STATEMENT_TIMEOUT_MS: (i64, i64) = (10, 600_000);

    /// Whether `name` is a valid schema name (see the README).
    pub fn is_valid_schema(name: &str) -> bool {
        schema::is_valid_name(name)
    }
}

impl Default for PostgresSettings {
    fn default() -> Self {
        Self {
            schema: "stytch_totp".to_owned(),
            max_connections: 8,
            connect_timeout_ms: 5000,
            statement_timeout_ms: 5000,
        }
    }
}

/// Checks a connection string: the message says what is wrong without
/// repeating the string (it may hold a password).
pub fn check_connection_string(database: &str) -> Result<(), String> {
    conninfo::parse(database).map(drop)
}

/// Runs of a unit of work after a conflict, before giving up.
const MAX_CONFLICT_RETRIES: u32 = 8;

/// Units of work run again after a conflict, by any store of this process.
static CONFLICT_RETRIES: AtomicU64 = AtomicU64::new(0);

/// How many times units of work were run again after a serialization failure,
/// deadlock or unique-key race, in this process.
pub fn conflict_retries() -> u64 {
    CONFLICT_RETRIES.load(Ordering::Relaxed)
}

pub struct PostgresStore {
    pool: Pool,
    schema: String,
}

impl PostgresStore {
    /// Connects, creates, upgrades or checks the schema, and keeps that first
    /// connection in the pool. A server that cannot be reached is
    /// `Unavailable`; a schema that cannot be upgraded as it is, `Refused`.
    pub fn open(database: &str, settings: &PostgresSettings) -> Result<Self, OpenError> {
        let info = conninfo::parse(database).map_err(StoreError::Failed)?;
        let tls =
            tls::connector(info.ssl_mode, info.root_cert.as_deref()).map_err(StoreError::Failed)?;
        if !schema::is_valid_name(&settings.schema) {
            return Err(
                StoreError::Failed(format!("invalid schema name {:?}", settings.schema)).into(),
            );
        }
        let connect = ConnectSettings {
            config: info.config,
            tls,
            schema: settings.schema.clone(),
            connect_timeout: Duration::from_millis(settings.connect_timeout_ms.into()),
            statement_timeout: Duration::from_millis(settings.statement_timeout_ms.into()),
        };
        let open = || -> Result<Conn, OpenError> {
            let mut conn = Conn::connect(&connect).map_err(Fault::into_store_error)?;
            schema::migrate(&conn, &settings.schema)?;
            conn.prepare(&settings.schema)
                .map_err(Fault::into_store_error)?;
            Ok(conn)
        };
        let first = open()?;
        let max = settings.max_connections.max(1) as usize;
        Ok(Self {
            pool: Pool::new(connect, max, first),
            schema: settings.schema.clone(),
        })
    }

    /// One run of `work` on one connection, committed when it succeeds.
    fn run_once(
        conn: &Conn,
        access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> Result<(), Fault> {
        let mut tx = PgTx::new(conn, access);
        let result = work(&mut tx);
        let outcome = match (result, tx.fault.take()) {
            // A database failure decides, even if the work went on regardless.
            (_, Some(fault)) => Err(fault),
            (Err(e), None) => Err(Fault::new(FaultKind::Failed, e.to_string())),
            (Ok(()), None) => return tx.commit(),
        };
        tx.rollback();
        outcome
    }
}

/// A pause of 1 to 2^n ms (n ≤ 6) before the n-th run again, so that the
/// transactions that collided do not collide again in step.
fn backoff(retry: u32) {
    let ceiling = 1u64 << retry.min(6);
    let mut draw = [0u8; 1];
    crate::random::fill(&mut draw);
    let ms = 1 + u64::from(draw[0]) % ceiling;
    std::thread::sleep(Duration::from_millis(ms));
}

impl Store for PostgresStore {
    fn transaction(
        &self,
        access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut conflicts = 0;
        let mut reconnected = false;
        loop {
            let lent = self.pool.get().map_err(Fault::into_store_error)?;
            let result = Self::run_once(lent.conn(), access, work);
            let broken = !lent.conn().is_usable();
            let fresh = lent.fresh;
            lent.give_back();
            let Err(fault) = result else {
                return Ok(());
            };
            match fault.kind {
                FaultKind::Conflict if conflicts < MAX_CONFLICT_RETRIES => {
                    conflicts += 1;
                    CONFLICT_RETRIES.fetch_add(1, Ordering::Relaxed);
                    backoff(conflicts);
                }
                // A reused connection that broke before committing anything
                // (the server restarted since it was opened): once, on a new one.
                FaultKind::Unavailable if broken && !fresh && !reconnected && !fault.in_commit => {
                    reconnected = true;
                    self.pool.close_idle();
                }
                _ => return Err(fault.into_store_error()),
            }
        }
    }

    fn survey(&self) -> StoreResult<Survey> {
        let s = &self.schema;
        let lent = self.pool.get().map_err(Fault::into_store_error)?;
        let conn = lent.conn();
        let counted = conn
            .version(s)
            .and_then(|version| {
                let sql = format!(
                    "SELECT (SELECT count(*) FROM {s}.users), (SELECT count(*) FROM {s}.totps)"
                );
                let row = conn.round_trip(conn.client.query_one(&sql, &[]))?;
                Ok((version, row.get::<_, i64>(0), row.get::<_, i64>(1)))
            })
            .map_err(Fault::into_store_error);
        lent.give_back();
        let (version, users, totps) = counted?;
        Ok(Survey {
            schema_version: version.map(i64::from),
            supported_schema_version: Some(schema::SCHEMA_VERSION.into()),
            users: users as u64,
            totps: totps as u64,
            integrity_problems: None,
        })
    }
}
