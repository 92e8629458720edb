//! Sessions in the engine: the project's signing keys, kept sealed in the
//! store's meta records; sessions, kept by the SHA-256 of their token; what a
//! TOTP or recovery-code sign-in does to a session; and the session routes.
//! The rules themselves (`Session::start` / `apply`, minting, verifying) are
//! `crate::sessions`'.

use super::config::Config;
use super::error::ApiError;
use super::keyring::note_sealing;
use super::models::{SessionsAuthenticateResponse, SessionsGetResponse, SessionsRevokeResponse};
use super::secrets::meta_place;
use super::users::{load_totps, load_user};
use super::vault::Vault;
use super::view::user_view;
use super::{Client, Environment, ErrorResponse, Failure, Tx};
use crate::otp::SecretString;
use crate::sessions::{
    self, Attributes, Expiry, Factor, HostKeys, JwksResponse, Keyring, Session, SessionError,
    SessionToken, SessionUpdate, SigningKey, TokenHash,
};
use crate::store::{Access, SessionRecord, StoreError, StoreTx};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use zeroize::{Zeroize, Zeroizing};

mod local;

/// The meta record holding the signing keys, sealed like every secret.
pub const SIGNING_KEYS_META: &str = "session_signing_keys";
/// The most expired sessions a write deletes as it passes (see `PURGE_EVERY`):
/// bounded, so that a backlog never makes one request slow.
pub const AUTOMATIC_SESSION_PURGE: usize = 500;
/// The most expired sessions one transaction of `purge_expired_sessions` deletes.
pub const MAX_SESSION_PURGE_BATCH: usize = 10_000;

/// The keyring last read from the store, with the sealed bytes it was read
/// from: reused while the store holds the same bytes, so that parsing keys
/// (and rebuilding their certificates) happens once per rotation, and a
/// rotation by another process sharing the store is seen at once. With it,
/// the keys the host supplied, parsed once.
///
/// It also holds the key the next rotation inserts. An RSA key takes tens of
/// milliseconds to make: a transaction that finds rotation due and no key
/// prepared stops (`Failure::NeedsKey`), one is made with no lock held, and
/// the transaction runs again. The key is kept as the store keeps it, so
/// that a run rolled back after a conflict and its rerun insert the same key.
pub struct KeyCache {
    last: RwLock<Option<(Vec<u8>, Arc<Keyring>)>>,
    host: Arc<HostKeys>,
    prepared: Mutex<Option<StoredKey>>,
}

/// How long after it was made a prepared key may still be inserted: longer
/// than any rerun takes, so that a key left over (another process rotated
/// first) is never taken for a rotation months later.
const PREPARED_KEY_SECONDS: i64 = 60;

impl KeyCache {
    pub fn new(config: &Config) -> Result<Self, ApiError> {
        let host = HostKeys::new(&config.session_signing_keys)
            .map_err(|e| ApiError::invalid_config(format!("session_keys.signing_keys: {e:?}")))?;
        Ok(Self {
            last: RwLock::default(),
            host: Arc::new(host),
            prepared: Mutex::default(),
        })
    }

    /// Makes the key the next rotation at about `now` inserts. Called with
    /// no transaction open.
    pub fn prepare(&self, env: Environment, now: i64) -> Result<(), ApiError> {
        let key = SigningKey::generate(env, now).map_err(SessionError::from)?;
        let prepared = StoredKey::of(&key)?;
        *self.prepared.lock().unwrap_or_else(PoisonError::into_inner) = Some(prepared);
        Ok(())
    }

    /// The prepared key, if one was made shortly before `now`.
    fn prepared(&self, now: i64) -> Option<SigningKey> {
        let prepared = self.prepared.lock().unwrap_or_else(PoisonError::into_inner);
        let key = prepared.as_ref()?;
        let age = now.saturating_sub(key.created_at);
        if (0..=PREPARED_KEY_SECONDS).contains(&age) {
            key.key().ok()
        } else {
            None
        }
    }
}

/// One signing key as the sealed meta record lists it.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    kid: String,
    created_at: i64,
    /// PKCS#8 DER, standard base64.
    pkcs8: String,
}

impl StoredKey {
    /// The record of `key`, as the store keeps it.
    fn of(key: &SigningKey) -> Result<Self, ApiError> {
        let der = key.to_pkcs8_der().map_err(SessionError::Key)?;
        Ok(StoredKey {
            kid: key.kid().to_owned(),
            created_at: key.created_at(),
            pkcs8: STANDARD.encode(&*der),
        })
    }

    /// The key it holds, or why it cannot be read.
    fn key(&self) -> Result<SigningKey, String> {
        let der = STANDARD.decode(self.pkcs8.as_bytes());
        let der = Zeroizing::new(der.map_err(|_| format!("hold a bad key {}", self.kid))?);
        SigningKey::from_pkcs8_der(&self.kid, self.created_at, &der)
            .map_err(|e| format!("hold an unusable key {}: {e:?}", self.kid))
    }
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        self.pkcs8.zeroize();
    }
}

/// The session arguments of a request, as Stytch names them.
#[derive(Default)]
pub struct SessionArgs {
    pub session_token: Option<SecretString>,
    pub session_jwt: Option<SecretString>,
    pub session_duration_minutes: Option<i64>,
    pub session_custom_claims: Option<Value>,
}

impl SessionArgs {
    pub fn is_empty(&self) -> bool {
        self.session_token.is_none()
            && self.session_jwt.is_none()
            && self.session_duration_minutes.is_none()
            && self.session_custom_claims.is_none()
    }

    fn update(&self) -> SessionUpdate {
        SessionUpdate {
            duration_minutes: self.session_duration_minutes,
            custom_claims: self.session_custom_claims.clone(),
        }
    }
}

/// A live session a request presented.
pub(super) struct Found {
    session: Session,
    /// The token, when the request presented it (it is given back unchanged).
    token: Option<Zeroizing<String>>,
}

/// What a sign-in will do to sessions, decided (and every argument checked)
/// before its code is looked at, so that an invalid session consumes nothing.
pub(super) enum Plan {
    /// No session arguments, or claims without a session to hold them.
    Nothing,
    Start(SessionUpdate),
    Extend(Box<Found>, SessionUpdate),
}

/// A session written in a transaction, to be answered with a fresh JWT.
pub(super) struct Issued {
    session: Session,
    token: Zeroizing<String>,
    keyring: Arc<Keyring>,
}

/// A session as a response carries it: the object, its token and a JWT.
pub(super) struct Answered {
    pub session: Session,
    pub session_token: String,
    pub session_jwt: String,
}

impl Client {
    /// Whether values stored without a key may still be read (a value an
    /// attacker wrote in plaintext is refused once the store is sealed).
    fn accepts_plain(&self) -> bool {
        self.accept_plain.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn project_id(&self) -> Result<&str, ApiError> {
        self.config
            .project_id
            .as_deref()
            .ok_or_else(ApiError::project_id_required)
    }

    /// The signing keys the store holds at `now`. When a key is due (none
    /// yet, or the active one has served its time) or one is past its grace,
    /// the store's record is brought up to date first, in this transaction
    /// (a read asks to run as a write). Writers are serialised, so processes
    /// sharing a store that find rotation due together agree on one new key:
    /// the later one sees the earlier one's key and generates none.
    fn signing_keys(&self, tx: &mut Tx<'_>, now: i64) -> Result<Arc<Keyring>, Failure> {
        let sealed = tx.meta(SIGNING_KEYS_META)?;
        let cached = self
            .session_keys
            .last
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|(bytes, _)| Some(bytes) == sealed.as_ref())
            .map(|(_, keyring)| Arc::clone(keyring));
        let keyring = match cached {
            Some(keyring) => keyring,
            None => Arc::new(self.open_keyring(sealed.as_deref())?),
        };
        let (keyring, sealed) = match keyring.needs_upkeep(now) {
            false => (keyring, sealed.unwrap_or_default()),
            true => {
                tx.keep(|_| Ok(()))?;
                let mut keyring = self.open_keyring(sealed.as_deref())?;
                if keyring.rotation_due(now) {
                    let key = self.session_keys.prepared(now);
                    keyring.insert(key.ok_or(Failure::NeedsKey)?);
                }
                keyring.retire_expired(now);
                let sealed = self.seal_keyring(&keyring)?;
                tx.put_meta(SIGNING_KEYS_META, &sealed)?;
                note_sealing(tx, &self.vault)?;
                (Arc::new(keyring), sealed)
            }
        };
        *self
            .session_keys
            .last
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some((sealed, Arc::clone(&keyring)));
        Ok(keyring)
    }

    fn open_keyring(&self, sealed: Option<&[u8]>) -> Result<Keyring, StoreError> {
        let policy = self.config.session_keys;
        let host = Arc::clone(&self.session_keys.host);
        let Some(sealed) = sealed else {
            return Ok(Keyring::new(policy, Vec::new()).with_host_keys(host));
        };
        let unreadable = |why: String| StoreError::Failed(format!("the session keys {why}"));
        let json = self
            .vault
            .open(&meta_place(SIGNING_KEYS_META), sealed, self.accepts_plain())
            .map_err(|e| unreadable(format!("cannot be opened: {e}")))?;
        let stored: Vec<StoredKey> = serde_json::from_slice(&json)
            .map_err(|_| unreadable("are not a list of keys".into()))?;
        let keys = stored
            .iter()
            .map(|key| key.key().map_err(unreadable))
            .collect::<Result<_, _>>()?;
        Ok(Keyring::new(policy, keys).with_host_keys(host))
    }

    fn seal_keyring(&self, keyring: &Keyring) -> Result<Vec<u8>, Failure> {
        let stored = keyring
            .keys()
            .iter()
            .map(StoredKey::of)
            .collect::<Result<Vec<_>, ApiError>>()?;
        let json = Zeroizing::new(
            serde_json::to_vec(&stored).map_err(|e| ApiError::internal(e.to_string()))?,
        );
        let place = meta_place(SIGNING_KEYS_META);
        Ok(self.vault.seal(&place, &json).as_bytes().to_vec())
    }

    /// The live session a request presents by `session_token` or
    /// `session_jwt` (an expired JWT of a live session counts), or `None`
    /// when it presents neither.
    fn find_session(
        &self,
        tx: &mut Tx<'_>,
        args: &SessionArgs,
        now: i64,
    ) -> Result<Option<Found>, Failure> {
        let (record, token) = match (&args.session_token, &args.session_jwt) {
            (Some(_), Some(_)) => {
                return Err(
                    ApiError::too_many_session_arguments("session_token or session_jwt").into(),
                );
            }
            (None, None) => return Ok(None),
            (Some(token), None) => {
                let hash = TokenHash::of_presented(token.expose()).map_err(ApiError::from)?;
                let record = tx
                    .session_by_token_hash(hash.as_bytes())?
                    .filter(|r| TokenHash::from_bytes(r.token_hash) == hash);
                (record, Some(Zeroizing::new(token.expose().to_owned())))
            }
            (None, Some(jwt)) => (self.session_of_jwt(tx, jwt.expose(), now)?, None),
        };
        match record {
            Some(record) if now < record.expires_at => Ok(Some(Found {
                session: session_of(&record)?,
                token,
            })),
            _ => Err(ApiError::session_not_found().into()),
        }
    }

    /// The stored session a JWT signed with a published key names, whether
    /// or not the JWT itself has expired.
    fn session_of_jwt(
        &self,
        tx: &mut Tx<'_>,
        jwt: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, Failure> {
        let project_id = self.project_id()?;
        let keyring = self.signing_keys(tx, now)?;
        let verified = sessions::verify(&keyring, project_id, jwt, now, Expiry::Ignore)
            .map_err(|e| ApiError::from(SessionError::from(e)))?;
        Ok(tx
            .session(&verified.session_id)?
            .filter(|r| r.user_id == verified.user_id))
    }

    /// Before a sign-in's code is checked: the session it presents (live, of
    /// this user) and its update, checked in full. Nothing is written.
    pub(super) fn plan_session(
        &self,
        tx: &mut Tx<'_>,
        user_id: &str,
        args: &SessionArgs,
        now: i64,
    ) -> Result<Plan, Failure> {
        if args.is_empty() {
            return Ok(Plan::Nothing);
        }
        self.project_id()?;
        let update = args.update();
        match self.find_session(tx, args, now)? {
            Some(found) => {
                if found.session.user_id != user_id {
                    return Err(ApiError::user_id_mismatch().into());
                }
                found
                    .session
                    .clone()
                    .apply(None, &update, now)
                    .map_err(ApiError::from)?;
                Ok(Plan::Extend(Box::new(found), update))
            }
            // Stytch creates no session without a duration: claims alone are
            // kept nowhere.
            None if update.duration_minutes.is_none() => Ok(Plan::Nothing),
            None => {
                let probe = Factor::Totp {
                    totp_id: String::new(),
                };
                Session::start(
                    self.config.environment,
                    user_id,
                    &probe,
                    &update,
                    Attributes::default(),
                    now,
                )
                .map_err(ApiError::from)?;
                Ok(Plan::Start(update))
            }
        }
    }

    /// After the code was accepted, in the same transaction: starts or
    /// extends the session with the factor the code proved (made only when
    /// there is a session), and writes it.
    pub(super) fn carry_out(
        &self,
        tx: &mut Tx<'_>,
        plan: Plan,
        user_id: &str,
        factor: impl FnOnce() -> Factor,
        now: i64,
    ) -> Result<Option<Box<Issued>>, Failure> {
        let (session, token) = match plan {
            Plan::Nothing => return Ok(None),
            Plan::Start(update) => {
                let env = self.config.environment;
                let attributes = Attributes::default();
                let session = Session::start(env, user_id, &factor(), &update, attributes, now);
                (session.map_err(ApiError::from)?, None)
            }
            Plan::Extend(found, update) => {
                let Found { mut session, token } = *found;
                session
                    .apply(Some(&factor()), &update, now)
                    .map_err(ApiError::from)?;
                (session, token)
            }
        };
        // Boxed: a sign-in without a session moves only an empty pointer.
        let issued = self.keep_session(tx, session, token, now)?;
        Ok(Some(Box::new(issued)))
    }

    /// Writes `session` with the hash of its token: the one presented, else a
    /// new one (which replaces any other: a request that presented only the
    /// JWT cannot be given back a token the store does not hold).
    fn keep_session(
        &self,
        tx: &mut Tx<'_>,
        session: Session,
        token: Option<Zeroizing<String>>,
        now: i64,
    ) -> Result<Issued, Failure> {
        let (token, hash) = match token {
            Some(token) => {
                let hash = TokenHash::of_presented(&token).map_err(ApiError::from)?;
                (token, hash)
            }
            None => {
                let fresh = SessionToken::generate();
                (Zeroizing::new(fresh.as_str().to_owned()), fresh.hash())
            }
        };
        tx.put_session(&record_of(&session, *hash.as_bytes())?)?;
        let keyring = self.signing_keys(tx, now)?;
        Ok(Issued {
            session,
            token,
            keyring,
        })
    }

    /// The response's session members: the session, its token and a JWT
    /// minted now (outside the transaction: signing takes a while).
    pub(super) fn answer(&self, issued: Issued) -> Result<Answered, ErrorResponse> {
        let project_id = self.project_id().map_err(|e| self.error(e))?;
        let now = self.now().map_err(|e| self.error(e))?;
        let mint = |keyring: &Keyring| {
            let key = keyring.signing_key()?;
            sessions::mint(key, project_id, &issued.session, now)
        };
        let jwt =
            mint(&issued.keyring).map_err(|e| self.error(ApiError::from(SessionError::Key(e))))?;
        Ok(Answered {
            session_token: issued.token.to_string(),
            session_jwt: jwt,
            session: issued.session,
        })
    }

    /// `GET /v1/sessions/jwks/{project_id}`: the keys published now.
    pub fn jwks(&self, project_id: &str) -> Result<JwksResponse, ErrorResponse> {
        self.atomically(Access::Read, |tx, now| {
            if self.project_id()? != project_id {
                return Err(
                    ApiError::bad_request("project_id is not this client's project").into(),
                );
            }
            Ok(self.signing_keys(tx, now)?.jwks(self.request_id(), now))
        })
    }

    /// `POST /v1/sessions/authenticate`: the session of a token or a JWT
    /// (an expired JWT of a live session is refreshed), extended and its
    /// claims merged as asked.
    pub fn authenticate_session(
        &self,
        args: &SessionArgs,
    ) -> Result<SessionsAuthenticateResponse, ErrorResponse> {
        let (issued, user) = self.atomically(Access::Write, |tx, now| {
            self.project_id()?;
            if args.session_token.is_none() && args.session_jwt.is_none() {
                return Err(
                    ApiError::bad_request("session_token or session_jwt is required").into(),
                );
            }
            let found = self
                .find_session(tx, args, now)?
                .ok_or_else(ApiError::session_not_found)?;
            let (user, found) = self.lock_owner(tx, found, now)?;
            let Found { mut session, token } = found;
            session
                .apply(None, &args.update(), now)
                .map_err(ApiError::from)?;
            let totps = load_totps(tx, &user.user_id, now)?;
            let user = user_view(user, &totps, now);
            Ok((self.keep_session(tx, session, token, now)?, user))
        })?;
        let answered = self.answer(issued)?;
        Ok(SessionsAuthenticateResponse {
            status_code: 200,
            request_id: self.request_id(),
            session: answered.session,
            session_token: answered.session_token,
            session_jwt: answered.session_jwt,
            user,
        })
    }

    /// Locks the session's user (on PostgreSQL, the first user read of a
    /// write does) and reads the session again under that lock, so that two
    /// requests on one session do not overwrite each other's changes.
    fn lock_owner(
        &self,
        tx: &mut Tx<'_>,
        found: Found,
        now: i64,
    ) -> Result<(crate::store::UserRecord, Found), Failure> {
        let user = load_user(tx, &found.session.user_id, now)?;
        let record = tx
            .session(&found.session.session_id)?
            .filter(|r| now < r.expires_at)
            .ok_or_else(ApiError::session_not_found)?;
        let session = session_of(&record)?;
        Ok((
            *user,
            Found {
                session,
                token: found.token,
            },
        ))
    }

    /// `POST /v1/sessions/revoke`: ends the session named by exactly one of
    /// `session_id`, `session_token`, `session_jwt`.
    pub fn revoke_session(
        &self,
        session_id: Option<&str>,
        args: &SessionArgs,
    ) -> Result<SessionsRevokeResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, now| {
            self.project_id()?;
            let given = [
                session_id.is_some(),
                args.session_token.is_some(),
                args.session_jwt.is_some(),
            ];
            match given.iter().filter(|g| **g).count() {
                0 => {
                    return Err(ApiError::bad_request(
                        "one of session_id, session_token or session_jwt is required",
                    )
                    .into());
                }
                1 => {}
                _ => {
                    return Err(ApiError::too_many_session_arguments(
                        "session_id, session_token or session_jwt",
                    )
                    .into());
                }
            }
            let session_id = match session_id {
                Some(id) => {
                    tx.session(id)?
                        .filter(|r| now < r.expires_at)
                        .ok_or_else(ApiError::session_not_found)?
                        .session_id
                }
                None => {
                    let found = self.find_session(tx, args, now)?;
                    found
                        .ok_or_else(ApiError::session_not_found)?
                        .session
                        .session_id
                }
            };
            tx.delete_session(&session_id)?;
            Ok(SessionsRevokeResponse {
                status_code: 200,
                request_id: self.request_id(),
            })
        })
    }

    /// Deletes every expired session, one transaction of at most
    /// `batch_size` after another (other clients keep working meanwhile);
    /// returns how many. Live sessions, users, TOTPs and keys are untouched.
    pub fn purge_expired_sessions(&self, batch_size: usize) -> Result<u64, ErrorResponse> {
        if !(1..=MAX_SESSION_PURGE_BATCH).contains(&batch_size) {
            return Err(self.error(ApiError::bad_request(format!(
                "batch_size must be between 1 and {MAX_SESSION_PURGE_BATCH}"
            ))));
        }
        let mut purged = 0;
        loop {
            let deleted = self.unit_of_work(Access::Write, false, |tx, now| {
                Ok(tx.purge_expired_sessions(now, batch_size)?)
            })?;
            purged += deleted;
            if deleted < batch_size as u64 {
                return Ok(purged);
            }
        }
    }

    /// `GET /v1/sessions?user_id=`: the user's live sessions, oldest first.
    pub fn user_sessions(&self, user_id: &str) -> Result<SessionsGetResponse, ErrorResponse> {
        self.atomically(Access::Read, |tx, now| {
            self.project_id()?;
            let user = load_user(tx, user_id, now)?;
            let sessions = tx
                .sessions_of_user(&user.user_id)?
                .iter()
                .filter(|r| now < r.expires_at)
                .map(session_of)
                .collect::<Result<_, _>>()?;
            Ok(SessionsGetResponse {
                status_code: 200,
                request_id: self.request_id(),
                sessions,
            })
        })
    }
}

/// The signing keys of two stores' records as one record, sealed by
/// `vault`: a copy into a store that signed JWTs of its own keeps both
/// stores' JWTs verifying. A `kid` both hold keeps `ours` (the destination's).
pub(super) fn merge_signing_keys(
    vault: &Vault,
    theirs: (&[u8], bool),
    ours: (&[u8], bool),
) -> Result<Vec<u8>, StoreError> {
    let place = meta_place(SIGNING_KEYS_META);
    let open = |(sealed, accept_plain): (&[u8], bool)| {
        let json = vault
            .open(&place, sealed, accept_plain)
            .map_err(|e| StoreError::Failed(format!("the session keys cannot be opened: {e}")))?;
        serde_json::from_slice::<Vec<StoredKey>>(&json)
            .map_err(|_| StoreError::Failed("the session keys are not a list of keys".into()))
    };
    let mut merged = open(ours)?;
    for key in open(theirs)? {
        if !merged.iter().any(|k| k.kid == key.kid) {
            merged.push(key);
        }
    }
    let json =
        Zeroizing::new(serde_json::to_vec(&merged).map_err(|e| StoreError::Failed(e.to_string()))?);
    Ok(vault.seal(&place, &json).as_bytes().to_vec())
}

/// A session as the store keeps it.
fn record_of(session: &Session, token_hash: [u8; 32]) -> Result<SessionRecord, ApiError> {
    fn json<T: Serialize>(value: &T) -> Result<String, ApiError> {
        serde_json::to_string(value).map_err(|e| ApiError::internal(e.to_string()))
    }
    Ok(SessionRecord {
        session_id: session.session_id.clone(),
        user_id: session.user_id.clone(),
        token_hash,
        started_at: session.started_at,
        last_accessed_at: session.last_accessed_at,
        expires_at: session.expires_at,
        attributes: json(&session.attributes)?,
        authentication_factors: json(&session.authentication_factors)?,
        custom_claims: json(&session.custom_claims)?,
    })
}

/// A stored session as the engine's model.
fn session_of(record: &SessionRecord) -> Result<Session, StoreError> {
    let column = |name: &str| {
        let name = name.to_owned();
        move |e: serde_json::Error| {
            StoreError::Failed(format!(
                "the {name} of session {} cannot be read: {e}",
                record.session_id
            ))
        }
    };
    Ok(Session {
        session_id: record.session_id.clone(),
        user_id: record.user_id.clone(),
        started_at: record.started_at,
        last_accessed_at: record.last_accessed_at,
        expires_at: record.expires_at,
        attributes: serde_json::from_str(&record.attributes).map_err(column("attributes"))?,
        authentication_factors: serde_json::from_str(&record.authentication_factors)
            .map_err(column("authentication factors"))?,
        custom_claims: serde_json::from_str(&record.custom_claims)
            .map_err(column("custom claims"))?,
        roles: sessions::DEFAULT_ROLES.map(String::from).to_vec(),
    })
}

#[cfg(test)]
mod key_generation {
    use super::super::fork;
    use super::super::reruns::RerunEveryWrite;
    use super::*;
    use crate::sessions::GENERATED;
    use crate::store::{MemoryStore, Store, StoreResult};

    const T: i64 = 1_700_000_010;
    const DAY: i64 = 86_400;
    const PROJECT: &str = "project-test-00000000-0000-0000-0000-000000000000";

    fn generated() -> u32 {
        GENERATED.with(|n| n.get())
    }

    /// Fails a test when a signing key is generated while a transaction of
    /// its store is open, which every other writer would wait for.
    struct Watched(Box<dyn Store>);

    impl Store for Watched {
        fn transaction(
            &self,
            access: Access,
            work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
        ) -> StoreResult<()> {
            let before = generated();
            let result = self.0.transaction(access, work);
            assert_eq!(generated(), before, "a key was generated in a transaction");
            result
        }
    }

    /// A client whose store is watched; with `rerun`, every write also runs
    /// twice, the first run rolled back, as PostgreSQL does after a conflict.
    fn client(rerun: bool) -> Client {
        let config = Config::from_json(Some(&format!(
            r#"{{"project_id":"{PROJECT}","session_keys":{{"rotate_after_days":10,"grace_days":2}}}}"#
        )))
        .unwrap();
        let store: Box<dyn Store> = match rerun {
            true => Box::new(RerunEveryWrite(MemoryStore::new())),
            false => Box::new(MemoryStore::new()),
        };
        let client =
            Client::with_store(config, &[], Box::new(Watched(store)), fork::install()).unwrap();
        client.set_time(T).unwrap();
        client
    }

    fn published(client: &Client) -> Vec<String> {
        let jwks = client.jwks(PROJECT).unwrap();
        jwks.keys.iter().map(|key| key.kid.clone()).collect()
    }

    #[test]
    fn keys_are_generated_outside_transactions_one_per_rotation() {
        for rerun in [false, true] {
            let client = client(rerun);
            let start = generated();
            // The first key, made for the first JWKS; none for the second.
            let first = published(&client);
            assert_eq!(first.len(), 1);
            assert_eq!(published(&client), first);
            assert_eq!(generated() - start, 1, "rerun: {rerun}");
            // Its time is up: a new key signs, the old one is still published
            // during its grace, then not.
            client.set_time(T + 10 * DAY).unwrap();
            let rotated = published(&client);
            assert_eq!((rotated.len(), &rotated[1]), (2, &first[0]));
            assert_eq!(generated() - start, 2, "rerun: {rerun}");
            client.set_time(T + 12 * DAY).unwrap();
            assert_eq!(published(&client), rotated[..1]);
            assert_eq!(generated() - start, 2, "rerun: {rerun}");
        }
    }

    #[test]
    fn a_key_left_over_is_not_taken_for_a_later_rotation() {
        let client = client(false);
        published(&client);
        // Made for a rotation that another process did first.
        let keys = &client.session_keys;
        keys.prepare(Environment::Test, T + DAY).unwrap();
        let left_over = keys.prepared.lock().unwrap().as_ref().unwrap().kid.clone();
        client.set_time(T + 10 * DAY).unwrap();
        let rotated = published(&client);
        assert_eq!(rotated.len(), 2);
        assert!(!rotated.contains(&left_over), "{rotated:?}");
    }
}
