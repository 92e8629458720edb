//! The engine: Stytch's TOTP and user rules in pure Rust. It knows nothing of C.

mod body;
pub(crate) mod carry;
pub mod clock;
pub mod config;
pub(crate) mod contacts;
mod drift;
pub mod error;
mod fork;
pub mod ids;
pub mod json;
mod keyring;
pub mod models;
mod policy;
pub mod request;
mod router;
mod search;
mod secrets;
pub mod sessions;
mod totps;
mod unlock;
mod users;
pub mod vault;
mod view;

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{Config, KeySpec, Lockout, RecoveryCodeStorage};
pub use error::{ApiError, ErrorType};
pub use ids::Environment;
pub use keyring::{KeyReport, KeyState, KeyStatus, SealerCount, key_report};
pub use models::ErrorResponse;
pub use search::{FilterField, SearchFilter, SearchOperator, SearchUsersRequest};
pub use unlock::UsersUnlockResponse;
pub use users::{CreateUserRequest, MAX_EXTERNAL_ID_LEN, NameInput};
pub use vault::KeyBytes;

use crate::store::{
    Access, SessionRecord, Store, StoreError, StoreResult, StoreTx, TotpRecord, UserLookup,
    UserRecord,
};
use ids::IdKind;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use vault::Vault;

/// How often, in seconds of the client's clock, a write also purges expired
/// pending TOTPs (the first write of a client does).
const PURGE_EVERY: u64 = 60;
/// How long an expired pending TOTP is kept (answering `expired_totp`) before
/// it is purged with its key and codes.
pub const PURGE_AFTER_SECONDS: i64 = 86_400;

/// A Stytch TOTP project living in this process.
///
/// Thread-safe (`Send + Sync`): share one client across threads. Every
/// check-and-update runs as one store transaction, so concurrent attempts on one
/// code, from threads or from processes sharing a database file, have one winner.
pub struct Client {
    /// Released only in the process that opened it (see `Drop`).
    store: ManuallyDrop<Box<dyn Store>>,
    config: Config,
    vault: Vault,
    /// Whether the store may still hold values stored without a key.
    accept_plain: AtomicBool,
    clock: RwLock<Arc<dyn Clock>>,
    /// The `fork()` generation this client was made in.
    generation: u64,
    /// When expired pending TOTPs were last purged.
    last_purge: AtomicI64,
    /// Where this client's re-sealing pass stands (`keyring.rs`).
    rewrap: Mutex<keyring::Pass>,
    /// The session signing keys last read from the store.
    session_keys: sessions::KeyCache,
}

/// Why a unit of work stopped.
enum Failure {
    /// A decision, kept with whatever it wrote (such as a failure count).
    Api(ApiError),
    /// A decision that undoes everything the unit of work wrote.
    Abort(ApiError),
    /// A read found a record to repair: run the work again as a write.
    NeedsWrite,
    /// A new signing key is due and none is prepared: make one outside the
    /// transaction, then run the work again (see `sessions::KeyCache`).
    NeedsKey,
    /// A storage failure (rolled back).
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

/// One unit of work: the store's operations, and whether it may write.
struct Tx<'t> {
    store: &'t mut dyn StoreTx,
    access: Access,
}

/// Every operation goes to the store.
impl StoreTx for Tx<'_> {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>> {
        self.store.user(user_id)
    }
    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>> {
        self.store.user_by_external_id(external_id)
    }
    fn put_user(&mut self, user: &UserRecord) -> StoreResult<()> {
        self.store.put_user(user)
    }
    fn delete_user(&mut self, user_id: &str) -> StoreResult<()> {
        self.store.delete_user(user_id)
    }
    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
        self.store.totps_of_user(user_id)
    }
    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>> {
        self.store.totp(totp_id)
    }
    fn put_totp(&mut self, totp: &TotpRecord) -> StoreResult<()> {
        self.store.put_totp(totp)
    }
    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()> {
        self.store.delete_totp(totp_id)
    }
    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        self.store.meta(key)
    }
    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()> {
        self.store.put_meta(key, value)
    }
    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64> {
        self.store.purge_expired_totps(now)
    }
    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>> {
        self.store.totps_page(after, limit)
    }
    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>> {
        self.store.users_page(after, limit)
    }
    fn session(&mut self, session_id: &str) -> StoreResult<Option<SessionRecord>> {
        self.store.session(session_id)
    }
    fn session_by_token_hash(
        &mut self,
        token_hash: &[u8; 32],
    ) -> StoreResult<Option<SessionRecord>> {
        self.store.session_by_token_hash(token_hash)
    }
    fn sessions_of_user(&mut self, user_id: &str) -> StoreResult<Vec<SessionRecord>> {
        self.store.sessions_of_user(user_id)
    }
    fn put_session(&mut self, session: &SessionRecord) -> StoreResult<()> {
        self.store.put_session(session)
    }
    fn delete_session(&mut self, session_id: &str) -> StoreResult<()> {
        self.store.delete_session(session_id)
    }
    fn sessions_page(
        &mut self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<SessionRecord>> {
        self.store.sessions_page(after, limit)
    }
    fn purge_expired_sessions(&mut self, now: i64, limit: usize) -> StoreResult<u64> {
        self.store.purge_expired_sessions(now, limit)
    }
    fn users_by_keys(&mut self, lookup: &UserLookup<'_>) -> StoreResult<Vec<UserRecord>> {
        self.store.users_by_keys(lookup)
    }
    fn count_users(&mut self) -> StoreResult<u64> {
        self.store.count_users()
    }
}

impl Tx<'_> {
    /// Writes back a record repaired on reading; a read-only unit of work
    /// instead asks to run again as a write, so the repair is kept.
    fn keep(
        &mut self,
        write: impl FnOnce(&mut dyn StoreTx) -> Result<(), StoreError>,
    ) -> Result<(), Failure> {
        match self.access {
            Access::Write => Ok(write(self.store)?),
            Access::Read => Err(Failure::NeedsWrite),
        }
    }
}

/// Supplies the 32 bytes of a key listed in `encryption_keys` without a `key`.
pub type KeyProvider<'a> = &'a mut dyn FnMut(&str) -> Option<KeyBytes>;

impl Client {
    /// Opens the configured store. Fails for an unwritable path, a file that is
    /// not a database, an unsafe or foreign file, keys that do not fit the
    /// store, and a lockout policy other than the store's.
    pub fn new(config: Config) -> Result<Self, ErrorResponse> {
        Self::with_key_provider(config, &mut |_| None)
    }

    /// `new`, asking `provider` for the keys `encryption_keys` lists without
    /// one. It is called on this thread, before any store is opened.
    pub fn with_key_provider(config: Config, provider: KeyProvider) -> Result<Self, ErrorResponse> {
        let fail = |e| error_response(config.environment, e);
        let keys = keyring::resolve_keys(&config.encryption_keys, provider).map_err(fail)?;
        let generation = fork::install();
        let store = crate::store::open(&config).map_err(|e| fail(e.into()))?;
        Self::with_store(config, &keys, store, generation)
    }

    /// A client on `store`, which it agrees with first (`settle_with_store`).
    fn with_store(
        config: Config,
        keys: &[(String, KeyBytes)],
        store: Box<dyn Store>,
        generation: u64,
    ) -> Result<Self, ErrorResponse> {
        let session_keys =
            sessions::KeyCache::new(&config).map_err(|e| error_response(config.environment, e))?;
        let client = Self {
            store: ManuallyDrop::new(store),
            vault: Vault::new(keys),
            config,
            accept_plain: AtomicBool::new(true),
            clock: RwLock::new(Arc::new(SystemClock)),
            generation,
            last_purge: AtomicI64::new(i64::MIN),
            rewrap: Mutex::default(),
            session_keys,
        };
        client.settle_with_store()?;
        Ok(client)
    }

    /// `new` with the configuration parsed from JSON (`None`: all defaults).
    pub fn from_config_json(json: Option<&str>) -> Result<Self, ErrorResponse> {
        Self::from_config_json_with_key_provider(json, &mut |_| None)
    }

    /// `with_key_provider` with the configuration parsed from JSON.
    pub fn from_config_json_with_key_provider(
        json: Option<&str>,
        provider: KeyProvider,
    ) -> Result<Self, ErrorResponse> {
        let config = Config::from_json(json).map_err(|e| error_response(Environment::Test, e))?;
        Self::with_key_provider(config, provider)
    }

    /// Agrees with the store in one transaction, written only if everything
    /// fits: the keys and the lockout policy. It does not purge: the host has
    /// had no chance yet to install its clock.
    fn settle_with_store(&self) -> Result<(), ErrorResponse> {
        let accept_plain = self.unit_of_work(Access::Write, false, |tx, _| {
            let accept_plain = keyring::settle(tx, &self.vault)?;
            policy::settle(tx, self.config.lockout)?;
            Ok(accept_plain)
        })?;
        self.accept_plain.store(accept_plain, Ordering::Relaxed);
        Ok(())
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the time source (the system clock by default).
    pub fn set_clock(&self, clock: Arc<dyn Clock>) {
        if fork::generation() == self.generation {
            *self.clock.write().unwrap_or_else(PoisonError::into_inner) = clock;
        }
    }

    /// Stops the clock at `unix_time` (1970 to 9999).
    pub fn set_time(&self, unix_time: i64) -> Result<(), ErrorResponse> {
        self.same_process().map_err(|e| self.error(e))?;
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

    /// The current time, checked to lie in the range timestamps can show. The
    /// clock is called with no lock held: a host's clock may call back into
    /// the library.
    pub fn now(&self) -> Result<i64, ApiError> {
        let clock = self.current_clock();
        checked_time(clock.now())
    }

    fn current_clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Fails in a child of `fork()` for a client made in its parent.
    fn same_process(&self) -> Result<(), ApiError> {
        match fork::generation() == self.generation {
            true => Ok(()),
            false => Err(ApiError::client_used_after_fork()),
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

    /// Runs `work` as one transaction. What it wrote stays when it returns
    /// `Ok` or an API error, and is rolled back otherwise. The time is read
    /// before the store is locked (a host clock may call back into the
    /// library), and read again inside from a clock that allows it.
    fn atomically<T>(
        &self,
        access: Access,
        work: impl FnMut(&mut Tx<'_>, i64) -> Result<T, Failure>,
    ) -> Result<T, ErrorResponse> {
        self.unit_of_work(access, true, work)
    }

    /// `atomically`; a write purges expired pending TOTPs (and a bounded batch
    /// of expired sessions) when a purge is due and `may_purge`.
    fn unit_of_work<T>(
        &self,
        access: Access,
        may_purge: bool,
        mut work: impl FnMut(&mut Tx<'_>, i64) -> Result<T, Failure>,
    ) -> Result<T, ErrorResponse> {
        self.same_process().map_err(|e| self.error(e))?;
        let clock = self.current_clock();
        let before = checked_time(clock.now()).map_err(|e| self.error(e))?;
        let mut access = access;
        let mut result = self.run(access, may_purge, &*clock, before, &mut work);
        // A read that found a repair runs again as a write; a run that found
        // a signing key due, once one is made. A rerun sees what the run
        // before it did, so a few suffice.
        for _ in 0..3 {
            match &result {
                Err(Failure::NeedsWrite) if access == Access::Read => access = Access::Write,
                Err(Failure::NeedsKey) => {
                    let env = self.config.environment;
                    self.session_keys
                        .prepare(env, before)
                        .map_err(|e| self.error(e))?;
                }
                _ => break,
            }
            result = self.run(access, may_purge, &*clock, before, &mut work);
        }
        result.map_err(|failure| {
            self.error(match failure {
                Failure::Api(e) | Failure::Abort(e) => e,
                Failure::Store(e) => e.into(),
                Failure::NeedsWrite => ApiError::internal("a repair was asked for in a write"),
                Failure::NeedsKey => ApiError::internal("no signing key could be prepared"),
            })
        })
    }

    /// One transaction of `work`. A store may run the closure again after a
    /// conflict with another transaction (PostgreSQL): each run starts afresh,
    /// keeps nothing of a run that was rolled back, and reads the time anew
    /// inside the lock (from a clock that allows it, else `before` again),
    /// so a rerun decides as a request that came a moment later would.
    fn run<T>(
        &self,
        access: Access,
        may_purge: bool,
        clock: &dyn Clock,
        before: i64,
        work: &mut impl FnMut(&mut Tx<'_>, i64) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        // Decided once, and noted only once a purge is committed: a run
        // rolled back does not use up the next purge.
        let purge = access == Access::Write && may_purge && self.purge_due(before);
        let mut outcome = None;
        let stored = self.store.transaction(access, &mut |store| {
            outcome = None;
            let now = match clock.may_read_in_lock() {
                true => checked_time(clock.now()).unwrap_or(before),
                false => before,
            };
            let mut tx = Tx { store, access };
            if purge {
                tx.purge_expired_totps(now.saturating_sub(PURGE_AFTER_SECONDS))?;
                tx.purge_expired_sessions(now, sessions::AUTOMATIC_SESSION_PURGE)?;
            }
            match work(&mut tx, now) {
                Ok(value) => outcome = Some(Ok(value)),
                Err(Failure::Store(e)) => return Err(e),
                Err(kept @ Failure::Api(_)) => outcome = Some(Err(kept)),
                Err(undone) => {
                    outcome = Some(Err(undone));
                    return Err(StoreError::Failed("rolled back".into()));
                }
            }
            Ok(())
        });
        if purge && stored.is_ok() {
            self.last_purge.store(before, Ordering::Relaxed);
        }
        match (stored, outcome) {
            (Ok(()), Some(result)) => result,
            (
                Err(_),
                Some(Err(undone @ (Failure::Abort(_) | Failure::NeedsWrite | Failure::NeedsKey))),
            ) => Err(undone),
            (Err(e), _) => Err(Failure::Store(e)),
            (Ok(()), None) => Err(ApiError::internal("the transaction did not run").into()),
        }
    }

    /// Whether a write at `now` should purge: at most every `PURGE_EVERY`
    /// seconds of this client's clock (either way, if it was set back).
    fn purge_due(&self, now: i64) -> bool {
        now.abs_diff(self.last_purge.load(Ordering::Relaxed)) >= PURGE_EVERY
    }

    /// Deletes every pending TOTP that expired more than
    /// `PURGE_AFTER_SECONDS` ago, with its key and codes; returns how many.
    pub fn purge_expired_totps(&self) -> Result<u64, ErrorResponse> {
        self.unit_of_work(Access::Write, false, |tx, now| {
            Ok(tx.purge_expired_totps(now.saturating_sub(PURGE_AFTER_SECONDS))?)
        })
    }

    /// The whole HTTP-shaped API: returns the JSON body Stytch would, success or error.
    pub fn call(&self, method: &str, path: &str, body: Option<&str>) -> json::Json {
        router::call(self, method, path, body)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // In a child of fork() the store's connection and locks are the
        // parent's: closing them here could take locks another thread of the
        // parent held at the fork, or end the parent's. It is left alone.
        if fork::generation() == self.generation {
            // SAFETY: dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.store) };
        }
    }
}

/// `unix_time`, if it lies in the range timestamps can show.
fn checked_time(unix_time: i64) -> Result<i64, ApiError> {
    match clock::in_range(unix_time) {
        true => Ok(unix_time),
        false => Err(ApiError::internal(format!(
            "the clock reads {unix_time}, outside 0..={}",
            clock::MAX_UNIX_TIME
        ))),
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

#[cfg(test)]
mod reruns {
    use super::*;
    use crate::store::MemoryStore;

    const T: i64 = 1_700_000_010;

    /// Runs every write twice, as PostgreSQL does after a conflict: the first
    /// run is rolled back once it has done all its work.
    pub(super) struct RerunEveryWrite(pub(super) MemoryStore);

    impl Store for RerunEveryWrite {
        fn transaction(
            &self,
            access: Access,
            work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
        ) -> StoreResult<()> {
            if access == Access::Write {
                let conflict = self.0.transaction(access, &mut |tx| {
                    work(tx)?;
                    Err(StoreError::Failed("serialization failure".into()))
                });
                assert!(conflict.is_err());
            }
            self.0.transaction(access, work)
        }
    }

    fn client() -> Client {
        let store = Box::new(RerunEveryWrite(MemoryStore::new()));
        let client = Client::with_store(Config::default(), &[], store, fork::install()).unwrap();
        client.set_time(T).unwrap();
        client
    }

    /// A user with its own email.
    fn new_user(client: &Client) -> String {
        let request = CreateUserRequest::with_fresh_email();
        client.create_user(&request).unwrap().user_id
    }

    fn code(secret: &str, t: i64) -> String {
        let code = crate::otp::CodeGenerator::from_base32(secret)
            .unwrap()
            .code_at(t);
        String::from_utf8(code.to_vec()).unwrap()
    }

    #[test]
    fn a_rerun_decides_afresh_and_nothing_is_used_up_by_the_run_rolled_back() {
        let client = client();
        let user_id = new_user(&client);
        let totp = client.create_totp(&user_id, None).unwrap();
        let code = code(totp.secret.expose(), T);
        // The run rolled back accepted the code and used the recovery code;
        // the rerun accepts them again, and they count once.
        client.authenticate_totp(&user_id, &code).unwrap();
        let replay = client.authenticate_totp(&user_id, &code).unwrap_err();
        assert_eq!(replay.error_type, "totp_code_already_authenticated");
        let recovery = totp.recovery_codes[0].expose();
        client.recover(&user_id, recovery).unwrap();
        let used = client.recover(&user_id, recovery).unwrap_err();
        assert_eq!(used.error_type, "unable_to_authenticate_recovery_code");
        // Two counted failures (the used recovery code, a wrong code): each
        // counted once, not once per run.
        client.authenticate_totp(&user_id, "000000").unwrap_err();
        let failures = client
            .atomically(Access::Read, |tx, _| Ok(tx.user(&user_id)?))
            .unwrap()
            .unwrap()
            .failed_attempts;
        assert_eq!(failures, 2);
    }

    #[test]
    fn a_purge_rolled_back_is_done_by_the_rerun() {
        let client = client();
        let user_id = new_user(&client);
        client.create_totp(&user_id, Some(5)).unwrap();
        // Expired for more than a day: the next write purges it, in both runs.
        client
            .set_time(T + 5 * 60 + PURGE_AFTER_SECONDS + PURGE_EVERY as i64)
            .unwrap();
        new_user(&client);
        let left = client
            .atomically(Access::Read, |tx, _| Ok(tx.totps_of_user(&user_id)?))
            .unwrap();
        assert!(
            left.is_empty(),
            "the purge was used up by the run rolled back"
        );
    }
}
