//! The in-memory store (`":memory:"`): private to one client, gone when it is freed.

use super::{
    Access, SessionRecord, Store, StoreError, StoreResult, StoreTx, TotpRecord, UserLookup,
    UserRecord,
};
use crate::engine::contacts::email_key;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

/// What each of `Tables::user_by_key` indexes (for messages), and where.
const UNIQUE_KEYS: [&str; 3] = ["external_id", "email", "phone number"];
const EXTERNAL_ID: usize = 0;
const EMAIL: usize = 1;
const PHONE_NUMBER: usize = 2;

/// A user's unique keys as stored, in the order of `UNIQUE_KEYS`.
fn raw_keys(user: &UserRecord) -> [Option<&str>; 3] {
    [
        user.external_id.as_deref(),
        user.email.as_ref().map(|c| c.value.as_str()),
        user.phone.as_ref().map(|c| c.value.as_str()),
    ]
}

/// The form key `i` is indexed in (an email by the form addresses are
/// compared in).
fn index_key(i: usize, raw: &str) -> String {
    if i == EMAIL {
        email_key(raw)
    } else {
        raw.to_owned()
    }
}

/// A table keyed by IDs this library generates from its CSPRNG. No caller
/// chooses where such a key falls, so it is hashed with foldhash (randomly
/// seeded), several times faster on short keys than SipHash. SipHash stays
/// on the other tables: `user_by_key` holds caller-chosen text.
type IdTable<V> = HashMap<String, V, foldhash::fast::RandomState>;

#[derive(Default)]
struct Tables {
    users: IdTable<UserRecord>,
    /// One index per unique key (`UNIQUE_KEYS`): key -> user_id.
    user_by_key: [HashMap<String, String>; 3],
    totps: IdTable<TotpRecord>,
    totps_by_user: IdTable<Vec<String>>,
    meta: HashMap<String, Vec<u8>>,
    sessions: IdTable<SessionRecord>,
    /// The undo log of the unit of work under way (kept to reuse its memory).
    undo: Vec<Undo>,
}

impl Tables {
    /// Writes or removes one user, keeping the key indexes in step. A user
    /// written again in place, its keys unchanged, allocates nothing.
    fn set_user(&mut self, user_id: &str, user: Option<UserRecord>) -> Option<UserRecord> {
        let old = match (user, self.users.get_mut(user_id)) {
            (Some(user), Some(slot)) => Some(std::mem::replace(slot, user)),
            (Some(user), None) => self.users.insert(user_id.to_owned(), user),
            (None, _) => self.users.remove(user_id),
        };
        let old_keys = old.as_ref().map(raw_keys).unwrap_or_default();
        let new_keys = self.users.get(user_id).map(raw_keys).unwrap_or_default();
        for (i, index) in self.user_by_key.iter_mut().enumerate() {
            if old_keys[i] == new_keys[i] {
                continue;
            }
            if let Some(key) = old_keys[i].map(|raw| index_key(i, raw))
                && index.get(&key).is_some_and(|owner| owner == user_id)
            {
                index.remove(&key);
            }
            if let Some(raw) = new_keys[i] {
                index.insert(index_key(i, raw), user_id.to_owned());
            }
        }
        old
    }

    /// Which unique key of `user` another user has, if any.
    fn taken_key(&self, user: &UserRecord) -> Option<&'static str> {
        let keys = raw_keys(user);
        (0..keys.len()).find_map(|i| {
            let owner = keys[i].and_then(|raw| self.user_by_key[i].get(&index_key(i, raw)));
            owner
                .is_some_and(|o| *o != user.user_id)
                .then_some(UNIQUE_KEYS[i])
        })
    }

    /// Writes or removes one TOTP, keeping the per-user index in step. A
    /// TOTP written again in place allocates nothing.
    fn set_totp(&mut self, totp_id: &str, totp: Option<TotpRecord>) -> Option<TotpRecord> {
        let old = match (totp, self.totps.get_mut(totp_id)) {
            // The same owner (every sign-in): the index stays as it is.
            (Some(totp), Some(slot)) if slot.user_id == totp.user_id => {
                return Some(std::mem::replace(slot, totp));
            }
            (Some(totp), Some(slot)) => Some(std::mem::replace(slot, totp)),
            (Some(totp), None) => self.totps.insert(totp_id.to_owned(), totp),
            (None, _) => self.totps.remove(totp_id),
        };
        let old_owner = old.as_ref().map(|t| t.user_id.as_str());
        let new_owner = self.totps.get(totp_id).map(|t| t.user_id.as_str());
        if old_owner != new_owner {
            if let Some(owner) = old_owner
                && let Some(ids) = self.totps_by_user.get_mut(owner)
            {
                ids.retain(|id| id != totp_id);
                if ids.is_empty() {
                    self.totps_by_user.remove(owner);
                }
            }
            if let Some(owner) = new_owner {
                let ids = self.totps_by_user.entry(owner.to_owned()).or_default();
                ids.push(totp_id.to_owned());
            }
        }
        old
    }
}

/// What a write replaced, so that a failed unit of work can be undone.
enum Undo {
    /// A record that was replaced or deleted: put it back.
    User(UserRecord),
    Totp(TotpRecord),
    Meta(String, Vec<u8>),
    /// A record written where there was none (its key): remove it.
    NewUser(String),
    NewTotp(String),
    NewMeta(String),
    /// A session written or deleted: what was there before.
    Session(String, Option<SessionRecord>),
}

struct MemoryTx<'a> {
    tables: &'a mut Tables,
}

impl MemoryTx<'_> {
    fn rollback(&mut self) {
        while let Some(undo) = self.tables.undo.pop() {
            match undo {
                Undo::User(old) => {
                    self.tables.set_user(&old.user_id.clone(), Some(old));
                }
                Undo::Totp(old) => {
                    self.tables.set_totp(&old.totp_id.clone(), Some(old));
                }
                Undo::Meta(key, old) => {
                    self.tables.meta.insert(key, old);
                }
                Undo::NewUser(id) => {
                    self.tables.set_user(&id, None);
                }
                Undo::NewTotp(id) => {
                    self.tables.set_totp(&id, None);
                }
                Undo::NewMeta(key) => {
                    self.tables.meta.remove(&key);
                }
                Undo::Session(id, Some(old)) => {
                    self.tables.sessions.insert(id, old);
                }
                Undo::Session(id, None) => {
                    self.tables.sessions.remove(&id);
                }
            }
        }
    }

    fn replaced_user(&mut self, user_id: &str, old: Option<UserRecord>) {
        let undo = old.map_or_else(|| Undo::NewUser(user_id.to_owned()), Undo::User);
        self.tables.undo.push(undo);
    }

    fn replaced_totp(&mut self, totp_id: &str, old: Option<TotpRecord>) {
        let undo = old.map_or_else(|| Undo::NewTotp(totp_id.to_owned()), Undo::Totp);
        self.tables.undo.push(undo);
    }
}

impl Drop for MemoryTx<'_> {
    // A panic inside the unit of work unwinds through here: undo what it wrote.
    fn drop(&mut self) {
        self.rollback();
    }
}

impl StoreTx for MemoryTx<'_> {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>> {
        Ok(self.tables.users.get(user_id).cloned())
    }

    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>> {
        let user_id = self.tables.user_by_key[EXTERNAL_ID]
            .get(external_id)
            .cloned();
        Ok(user_id.and_then(|id| self.tables.users.get(&id).cloned()))
    }

    fn put_user(&mut self, user: &UserRecord) -> StoreResult<()> {
        if let Some(key) = self.tables.taken_key(user) {
            return Err(StoreError::Failed(format!("another user has this {key}")));
        }
        let old = self.tables.set_user(&user.user_id, Some(user.clone()));
        self.replaced_user(&user.user_id, old);
        Ok(())
    }

    fn delete_user(&mut self, user_id: &str) -> StoreResult<()> {
        for totp in self.totps_of_user(user_id)? {
            self.delete_totp(&totp.totp_id)?;
        }
        for session in self.sessions_of_user(user_id)? {
            self.delete_session(&session.session_id)?;
        }
        if let Some(old) = self.tables.set_user(user_id, None) {
            self.tables.undo.push(Undo::User(old));
        }
        Ok(())
    }

    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
        let ids = self.tables.totps_by_user.get(user_id);
        Ok(ids
            .into_iter()
            .flatten()
            .filter_map(|id| self.tables.totps.get(id).cloned())
            .collect())
    }

    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>> {
        Ok(self.tables.totps.get(totp_id).cloned())
    }

    fn put_totp(&mut self, totp: &TotpRecord) -> StoreResult<()> {
        let old = self.tables.set_totp(&totp.totp_id, Some(totp.clone()));
        self.replaced_totp(&totp.totp_id, old);
        Ok(())
    }

    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()> {
        if let Some(old) = self.tables.set_totp(totp_id, None) {
            self.tables.undo.push(Undo::Totp(old));
        }
        Ok(())
    }

    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.tables.meta.get(key).cloned())
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()> {
        let undo = match self.tables.meta.insert(key.to_owned(), value.to_vec()) {
            Some(old) => Undo::Meta(key.to_owned(), old),
            None => Undo::NewMeta(key.to_owned()),
        };
        self.tables.undo.push(undo);
        Ok(())
    }

    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64> {
        let expired: Vec<String> = self
            .tables
            .totps
            .values()
            .filter(|t| !t.verified && t.expires_at <= now)
            .map(|t| t.totp_id.clone())
            .collect();
        for totp_id in &expired {
            self.delete_totp(totp_id)?;
        }
        Ok(expired.len() as u64)
    }

    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>> {
        Ok(page(&self.tables.totps, after, limit))
    }

    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>> {
        Ok(page(&self.tables.users, after, limit))
    }

    fn session(&mut self, session_id: &str) -> StoreResult<Option<SessionRecord>> {
        Ok(self.tables.sessions.get(session_id).cloned())
    }

    fn session_by_token_hash(
        &mut self,
        token_hash: &[u8; 32],
    ) -> StoreResult<Option<SessionRecord>> {
        // A scan: the in-memory store serves tests and small hosts.
        Ok(self
            .tables
            .sessions
            .values()
            .find(|s| s.token_hash == *token_hash)
            .cloned())
    }

    fn sessions_of_user(&mut self, user_id: &str) -> StoreResult<Vec<SessionRecord>> {
        let mut sessions: Vec<SessionRecord> = self
            .tables
            .sessions
            .values()
            .filter(|s| s.user_id == user_id)
            .cloned()
            .collect();
        sessions.sort_by(|a, b| (a.started_at, &a.session_id).cmp(&(b.started_at, &b.session_id)));
        Ok(sessions)
    }

    fn put_session(&mut self, session: &SessionRecord) -> StoreResult<()> {
        let old = self
            .tables
            .sessions
            .insert(session.session_id.clone(), session.clone());
        self.tables
            .undo
            .push(Undo::Session(session.session_id.clone(), old));
        Ok(())
    }

    fn delete_session(&mut self, session_id: &str) -> StoreResult<()> {
        let old = self.tables.sessions.remove(session_id);
        self.tables
            .undo
            .push(Undo::Session(session_id.to_owned(), old));
        Ok(())
    }

    fn sessions_page(
        &mut self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<SessionRecord>> {
        Ok(page(&self.tables.sessions, after, limit))
    }

    fn purge_expired_sessions(&mut self, now: i64, limit: usize) -> StoreResult<u64> {
        let mut expired: Vec<(i64, String)> = self
            .tables
            .sessions
            .values()
            .filter(|s| s.expires_at <= now)
            .map(|s| (s.expires_at, s.session_id.clone()))
            .collect();
        expired.sort_unstable();
        expired.truncate(limit);
        for (_, session_id) in &expired {
            self.delete_session(session_id)?;
        }
        Ok(expired.len() as u64)
    }

    fn users_by_keys(&mut self, lookup: &UserLookup<'_>) -> StoreResult<Vec<UserRecord>> {
        let tables = &self.tables;
        let by_key = |i: usize, key: String| tables.user_by_key[i].get(&key).cloned();
        let user_ids = lookup.user_ids.iter().map(|id| Some(id.to_string()));
        let external = lookup
            .external_ids
            .iter()
            .map(|k| by_key(EXTERNAL_ID, k.to_string()));
        let emails = lookup.emails.iter().map(|e| by_key(EMAIL, email_key(e)));
        let phones = lookup
            .phone_numbers
            .iter()
            .map(|p| by_key(PHONE_NUMBER, p.to_string()));
        let found: BTreeMap<String, UserRecord> = user_ids
            .chain(external)
            .chain(emails)
            .chain(phones)
            .flatten()
            .filter_map(|id| Some((id.clone(), tables.users.get(&id)?.clone())))
            .collect();
        Ok(found.into_values().collect())
    }

    fn count_users(&mut self) -> StoreResult<u64> {
        Ok(self.tables.users.len() as u64)
    }
}

/// Up to `limit` records in key order, after `after`.
fn page<T: Clone>(records: &IdTable<T>, after: Option<&str>, limit: usize) -> Vec<T> {
    let mut keys: Vec<&String> = records
        .keys()
        .filter(|k| after.is_none_or(|a| k.as_str() > a))
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .take(limit)
        .map(|k| records[k].clone())
        .collect()
}

/// Thread-safe: one mutex serialises units of work.
#[derive(Default)]
pub struct MemoryStore {
    tables: Mutex<Tables>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    fn transaction(
        &self,
        _access: Access,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()> {
        // A panic in an earlier unit of work was rolled back by `MemoryTx::drop`,
        // so the tables behind a poisoned lock are consistent.
        let mut tables = self.tables.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tx = MemoryTx {
            tables: &mut tables,
        };
        let result = work(&mut tx);
        if result.is_ok() {
            tx.tables.undo.clear();
        }
        result
    }
}
