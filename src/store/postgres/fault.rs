//! What a PostgreSQL error means for a unit of work: run it again, give up
//! for now (the server is away), or fail.

use crate::store::StoreError;
use std::io::ErrorKind;
use tokio_postgres::error::SqlState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// A serialization failure, a deadlock, or a unique key taken by a
    /// concurrent insert: rolled back; running the work again decides anew.
    Conflict,
    /// The server cannot be reached, is starting or stopping, or did not answer
    /// in time; the connection may be broken.
    Unavailable,
    /// Anything else: a bug, a broken constraint, a refused login, bad TLS.
    Failed,
}

#[derive(Debug)]
pub struct Fault {
    pub kind: FaultKind,
    pub message: String,
    pub code: Option<SqlState>,
    /// It struck while `COMMIT` was on its way: if the connection broke, the
    /// transaction may have been committed.
    pub in_commit: bool,
}

impl Fault {
    pub fn new(kind: FaultKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            code: None,
            in_commit: false,
        }
    }

    /// Classifies an error of rust-postgres. The message has the server's
    /// SQLSTATE and text, never its DETAIL (which can quote row values).
    pub fn from_pg(e: &tokio_postgres::Error) -> Self {
        if let Some(db) = e.as_db_error() {
            let code = db.code().clone();
            let kind = match code {
                SqlState::T_R_SERIALIZATION_FAILURE
                | SqlState::T_R_DEADLOCK_DETECTED
                | SqlState::UNIQUE_VIOLATION => FaultKind::Conflict,
                SqlState::ADMIN_SHUTDOWN
                | SqlState::CRASH_SHUTDOWN
                | SqlState::CANNOT_CONNECT_NOW
                | SqlState::TOO_MANY_CONNECTIONS
                | SqlState::QUERY_CANCELED => FaultKind::Unavailable,
                ref c if c.code().starts_with("08") => FaultKind::Unavailable,
                _ => FaultKind::Failed,
            };
            return Self {
                kind,
                message: format!("PostgreSQL error {}: {}", code.code(), db.message()),
                code: Some(code),
                in_commit: false,
            };
        }
        let io = std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>());
        let unreachable = e.is_closed()
            || io.is_some_and(|io| {
                matches!(
                    io.kind(),
                    ErrorKind::ConnectionRefused
                        | ErrorKind::ConnectionReset
                        | ErrorKind::ConnectionAborted
                        | ErrorKind::NotConnected
                        | ErrorKind::BrokenPipe
                        | ErrorKind::UnexpectedEof
                        | ErrorKind::TimedOut
                        | ErrorKind::NotFound
                        | ErrorKind::AddrNotAvailable
                        | ErrorKind::HostUnreachable
                        | ErrorKind::NetworkUnreachable
                )
            });
        let message = match std::error::Error::source(e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        };
        Self::new(
            match unreachable {
                true => FaultKind::Unavailable,
                false => FaultKind::Failed,
            },
            format!("PostgreSQL: {message}"),
        )
    }

    pub fn into_store_error(self) -> StoreError {
        // A unique key still taken after every retry is not a race but a clash.
        let clash = self.code == Some(SqlState::UNIQUE_VIOLATION);
        match self.kind {
            FaultKind::Conflict if clash => StoreError::Failed(self.message),
            FaultKind::Unavailable | FaultKind::Conflict => StoreError::Unavailable(self.message),
            FaultKind::Failed => StoreError::Failed(self.message),
        }
    }
}
