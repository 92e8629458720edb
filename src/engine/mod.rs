//! The engine: Stytch's TOTP and user rules in pure Rust. It knows nothing of C.

pub mod clock;
pub mod config;
pub mod error;
pub mod ids;
pub mod models;
pub mod request;
mod router;
mod totps;
mod users;
mod view;

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{Config, Lockout};
pub use error::{ApiError, ErrorType};
pub use ids::Environment;
pub use models::ErrorResponse;
pub use users::{CreateUserRequest, NameInput};

use crate::store::{Access, Store, StoreError, StoreTx};
use ids::IdKind;
use std::sync::{Arc, PoisonError, RwLock};

/// A Stytch TOTP project living in this process.
///
/// Thread-safe (`Send + Sync`): share one client across threads. Every
/// check-and-update runs as one store transaction, so concurrent attempts on one
/// code, from threads or from processes sharing a database file, have one winner.
pub struct Client {
    store: Box<dyn Store>,
    config: Config,
    clock: RwLock<Arc<dyn Clock>>,
}

/// Why a unit of work stopped: a decision (kept, with whatever it wrote, such
/// as a failure count) or a storage failure (rolled back).
enum Failure {
    Api(ApiError),
    Store(StoreError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl Client {
    /// Opens the configured store. Fails for an unwritable path or a file that is
    /// not a database.
    pub fn new(config: Config) -> Result<Self, ErrorResponse> {
        let store = crate::store::open(&config.database, &config.postgres)
            .map_err(|e| error_response(config.environment, e.into()))?;
        Ok(Self {
            store,
            config,
            clock: RwLock::new(Arc::new(SystemClock)),
        })
    }

    /// `new` with the configuration parsed from JSON (`None`: all defaults).
    pub fn from_config_json(json: Option<&str>) -> Result<Self, ErrorResponse> {
        let config = Config::from_json(json).map_err(|e| error_response(Environment::Test, e))?;
        Self::new(config)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the time source (the system clock by default).
    pub fn set_clock(&self, clock: Arc<dyn Clock>) {
        *self.clock.write().unwrap_or_else(PoisonError::into_inner) = clock;
    }

    /// Stops the clock at `unix_time` (1970 to 9999).
    pub fn set_time(&self, unix_time: i64) -> Result<(), ErrorResponse> {
        if !clock::in_range(unix_time) {
            return Err(self.error(ApiError::bad_request(format!(
                "unix_time must be between 0 and {}, got {unix_time}",
                clock::MAX_UNIX_TIME
            ))));
        }
        self.set_clock(Arc::new(FixedClock::new(unix_time)));
        Ok(())
    }

    /// Goes back to the system clock.
    pub fn use_system_clock(&self) {
        self.set_clock(Arc::new(SystemClock));
    }

    /// The current time, checked to lie in the range timestamps can show.
    pub fn now(&self) -> Result<i64, ApiError> {
        let now = self
            .clock
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .now();
        match clock::in_range(now) {
            true => Ok(now),
            false => Err(ApiError::internal(format!(
                "the clock reads {now}, outside 0..={}",
                clock::MAX_UNIX_TIME
            ))),
        }
    }

    fn new_id(&self, kind: IdKind) -> String {
        ids::new_id(kind, self.config.environment)
    }

    fn request_id(&self) -> String {
        self.new_id(IdKind::RequestId)
    }

    fn error(&self, e: ApiError) -> ErrorResponse {
        error_response(self.config.environment, e)
    }

    /// Runs `work` as one transaction at the current time (read once the store
    /// is locked). What it wrote stays
    /// when it returns `Ok` or an API error, and is rolled back on a store error.
    /// A store may run `work` again after a conflict with another transaction,
    /// so it must not consume what it captured.
    fn atomically<T>(
        &self,
        access: Access,
        mut work: impl FnMut(&mut dyn StoreTx, i64) -> Result<T, Failure>,
    ) -> Result<T, ErrorResponse> {
        let mut outcome = None;
        let stored = self.store.transaction(access, &mut |tx| {
            // Read once the store is ours: waiting for a lock must not make
            // decisions on a stale time.
            let result = match self.now() {
                Ok(now) => work(tx, now),
                Err(e) => Err(e.into()),
            };
            match result {
                Err(Failure::Store(e)) => Err(e),
                Ok(value) => {
                    outcome = Some(Ok(value));
                    Ok(())
                }
                Err(Failure::Api(e)) => {
                    outcome = Some(Err(e));
                    Ok(())
                }
            }
        });
        match (stored, outcome) {
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Ok(()), Some(Err(e))) => Err(self.error(e)),
            (Err(e), _) => Err(self.error(e.into())),
            (Ok(()), None) => Err(self.error(ApiError::internal("the transaction did not run"))),
        }
    }

    /// The whole HTTP-shaped API: returns the JSON body Stytch would, success or error.
    pub fn call(&self, method: &str, path: &str, body: Option<&str>) -> zeroize::Zeroizing<String> {
        router::call(self, method, path, body)
    }
}

/// Gives an API error its `request_id` and `error_url`.
pub fn error_response(env: Environment, e: ApiError) -> ErrorResponse {
    ErrorResponse {
        status_code: e.status_code(),
        request_id: ids::new_id(IdKind::RequestId, env),
        error_url: e.error_url(),
        error_type: e.code,
        error_message: e.error_message,
    }
}

#[cfg(test)]
mod thread_safety {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn client_is_send_and_sync() {
        assert_send_sync::<super::Client>();
    }
}
