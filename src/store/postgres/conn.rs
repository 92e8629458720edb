//! One connection: rust-postgres's async client, driven by a current-thread
//! tokio runtime of its own (as the blocking `postgres` crate does), so that
//! several statements can be sent in one round trip.

use super::fault::{Fault, FaultKind};
use super::schema;
use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio_postgres::{Client, Statement};
use tokio_postgres_rustls::MakeRustlsConnect;

/// Round trips to any PostgreSQL server made by this process (see [`round_trips`]).
static ROUND_TRIPS: AtomicU64 = AtomicU64::new(0);

/// How many times this process has waited for a PostgreSQL server's answer:
/// the figure the benchmarks divide by the number of calls.
pub fn round_trips() -> u64 {
    ROUND_TRIPS.load(Ordering::Relaxed)
}

/// How to open a connection.
pub struct ConnectSettings {
    pub config: tokio_postgres::Config,
    pub tls: MakeRustlsConnect,
    pub schema: String,
    pub connect_timeout: Duration,
    pub statement_timeout: Duration,
}

impl ConnectSettings {
    /// How long to wait for any one answer: the server gives up on a
    /// statement at `statement_timeout`; this also bounds a server that
    /// vanished without closing the socket.
    fn answer_timeout(&self) -> Duration {
        self.statement_timeout + Duration::from_secs(2)
    }
}

/// The prepared statements of one connection (see `schema::statement_sql`).
pub struct Statements {
    pub user: Statement,
    pub user_for_update: Statement,
    pub user_by_external_id: Statement,
    pub user_by_external_id_for_update: Statement,
    pub totps_of_user: Statement,
    pub totps_of_external_id: Statement,
    pub totp: Statement,
    pub lock_totp_owner: Statement,
    pub put_user: Statement,
    pub delete_user: Statement,
    pub put_totp: Statement,
    pub delete_totp: Statement,
    pub meta: Statement,
    pub put_meta: Statement,
    pub purge_expired_totps: Statement,
    pub totps_page: Statement,
    pub users_page: Statement,
    pub all_meta: Statement,
    pub share_meta: Statement,
    pub own_meta: Statement,
    pub session: Statement,
    pub session_by_token_hash: Statement,
    pub sessions_of_user: Statement,
    pub put_session: Statement,
    pub delete_session: Statement,
    pub sessions_page: Statement,
    pub purge_expired_sessions: Statement,
    pub users_by_keys: Statement,
    pub count_users: Statement,
}

impl Statements {
    fn from_vec(statements: Vec<Statement>) -> Self {
        let mut it = statements.into_iter();
        let mut next = || it.next().expect("one SQL text per statement");
        Self {
            user: next(),
            user_for_update: next(),
            user_by_external_id: next(),
            user_by_external_id_for_update: next(),
            totps_of_user: next(),
            totps_of_external_id: next(),
            totp: next(),
            lock_totp_owner: next(),
            put_user: next(),
            delete_user: next(),
            put_totp: next(),
            delete_totp: next(),
            meta: next(),
            put_meta: next(),
            purge_expired_totps: next(),
            totps_page: next(),
            users_page: next(),
            all_meta: next(),
            share_meta: next(),
            own_meta: next(),
            session: next(),
            session_by_token_hash: next(),
            sessions_of_user: next(),
            put_session: next(),
            delete_session: next(),
            sessions_page: next(),
            purge_expired_sessions: next(),
            users_by_keys: next(),
            count_users: next(),
        }
    }
}

pub struct Conn {
    pub client: Client,
    statements: Option<Statements>,
    /// `Some` until dropped; see `Drop`.
    runtime: Option<Runtime>,
    answer_timeout: Duration,
    /// Set when an answer did not come: the connection's state is unknown.
    timed_out: Cell<bool>,
}

impl Conn {
    /// Opens a connection and sets its statement timeout.
    pub fn connect(settings: &ConnectSettings) -> Result<Conn, Fault> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Fault::new(FaultKind::Failed, format!("cannot start I/O: {e}")))?;
        let connect = settings.config.connect(settings.tls.clone());
        let connected = block_on(&runtime, async {
            tokio::time::timeout(settings.connect_timeout, connect).await
        })?;
        let (client, connection) = match connected {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return Err(Fault::from_pg(&e)),
            Err(_) => {
                return Err(Fault::new(
                    FaultKind::Unavailable,
                    format!(
                        "PostgreSQL: no connection within connect_timeout_ms ({} ms)",
                        settings.connect_timeout.as_millis()
                    ),
                ));
            }
        };
        // Runs whenever this connection's runtime is driven, that is, while
        // one of its calls waits for an answer.
        runtime.spawn(connection);
        let conn = Conn {
            client,
            statements: None,
            runtime: Some(runtime),
            answer_timeout: settings.answer_timeout(),
            timed_out: Cell::new(false),
        };
        conn.batch(&format!(
            "SET statement_timeout = {}",
            settings.statement_timeout.as_millis()
        ))?;
        Ok(conn)
    }

    /// Prepares every statement of the store, in one round trip.
    pub fn prepare(&mut self, schema: &str) -> Result<(), Fault> {
        let sql = schema::statement_sql(schema);
        let prepared = self.round_trip(futures_util::future::try_join_all(
            sql.iter().map(|text| self.client.prepare(text)),
        ))?;
        self.statements = Some(Statements::from_vec(prepared));
        Ok(())
    }

    pub fn statements(&self) -> &Statements {
        self.statements
            .as_ref()
            .expect("a pooled connection has its statements prepared")
    }

    /// Whether this connection can be used again.
    pub fn is_usable(&self) -> bool {
        !self.timed_out.get() && !self.client.is_closed()
    }

    /// Runs SQL text (no parameters, no rows wanted) in one round trip.
    pub fn batch(&self, sql: &str) -> Result<(), Fault> {
        self.round_trip(self.client.batch_execute(sql))
    }

    /// The version in `<schema>.schema_version`, read without a prepared statement.
    pub fn version(&self, schema: &str) -> Result<Option<i32>, Fault> {
        let sql = format!("SELECT version FROM {schema}.schema_version");
        let messages = self.round_trip(self.client.simple_query(&sql))?;
        let value = messages.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_owned)),
            _ => None,
        });
        match value {
            None => Ok(None),
            Some(text) => text
                .and_then(|t| t.parse().ok())
                .map(Some)
                .ok_or_else(|| Fault::new(FaultKind::Failed, "the schema version is not a number")),
        }
    }

    /// Waits for the answers to everything `requests` sends, counting one
    /// round trip. rust-postgres sends each request when its future is first
    /// polled, so requests joined in one future travel together.
    pub fn round_trip<T>(
        &self,
        requests: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, Fault> {
        ROUND_TRIPS.fetch_add(1, Ordering::Relaxed);
        let runtime = self.runtime.as_ref().expect("the runtime lives until drop");
        let timeout = self.answer_timeout;
        // The timer is made inside the runtime, which it needs.
        match block_on(runtime, async {
            tokio::time::timeout(timeout, requests).await
        })? {
            Ok(result) => result.map_err(|e| Fault::from_pg(&e)),
            Err(_) => {
                self.timed_out.set(true);
                Err(Fault::new(
                    FaultKind::Unavailable,
                    format!(
                        "PostgreSQL did not answer within {} ms",
                        timeout.as_millis()
                    ),
                ))
            }
        }
    }
}

/// `runtime.block_on`, refusing (instead of panicking) when the calling thread
/// is already inside a tokio runtime.
fn block_on<F: Future>(runtime: &Runtime, future: F) -> Result<F::Output, Fault> {
    catch_unwind(AssertUnwindSafe(|| runtime.block_on(future))).map_err(|_| {
        Fault::new(
            FaultKind::Failed,
            "the PostgreSQL store was called from inside an async (tokio) runtime; \
             call it from a plain thread, such as tokio::task::spawn_blocking",
        )
    })
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which tokio forbids (with a panic) inside
        // another runtime; shutting it down in the background never blocks.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
