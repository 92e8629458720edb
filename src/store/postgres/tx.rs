//! One unit of work on one connection, sending as few round trips as it can:
//!
//! - `BEGIN` travels with the first read;
//! - in a write transaction the first read locks the user it concerns
//!   (`FOR UPDATE`), so that writers of one user queue up across hosts;
//! - the first read of a user fetches that user's TOTPs along with it (the
//!   engine asks for them next);
//! - writes are held back and travel with the next read or with `COMMIT`;
//! - the first read of a write transaction also reads the meta records (key
//!   checks, the lockout policy: a handful of small rows) under an advisory
//!   lock held shared, which a transaction writing one of them takes
//!   exclusive. So the engine's read-then-write of a record is atomic across
//!   hosts as it is in SQLite, even for a record that does not exist yet (two
//!   hosts bringing the same new key id at once: one waits, or one is run
//!   again after the deadlock is detected).
//!
//! So an authentication is two round trips: `BEGIN` + lock and read the user +
//! read its TOTPs, then the writes + `COMMIT`.

use super::conn::Conn;
use super::fault::{Fault, FaultKind};
use super::rows::{self, Write};
use crate::engine::contacts::email_key;
use crate::store::{
    Access, SessionRecord, StoreError, StoreResult, StoreTx, TotpRecord, UserLookup, UserRecord,
};
use futures_util::future::{join, join_all, join4};
use std::collections::HashMap;
use std::future::Future;
use tokio_postgres::Row;

/// Writes held back beyond this are sent on their own (a bulk copy).
const MAX_PENDING_WRITES: usize = 24;

pub struct PgTx<'a> {
    conn: &'a Conn,
    access: Access,
    /// `BEGIN` was sent, and neither `COMMIT` nor `ROLLBACK` since.
    open: bool,
    /// A write transaction holds the lock on the user it is about.
    locked: bool,
    pending: Vec<Write>,
    /// The TOTPs of one user, read along with the user, until the next write.
    ahead: Option<(String, Vec<TotpRecord>)>,
    /// The meta records as this write transaction sees them (its own writes
    /// included), once read.
    meta: Option<HashMap<String, Vec<u8>>>,
    /// The first failure: every later call fails with it, and it decides
    /// whether the unit of work runs again.
    pub fault: Option<Fault>,
}

impl<'a> PgTx<'a> {
    pub fn new(conn: &'a Conn, access: Access) -> Self {
        Self {
            conn,
            access,
            open: false,
            locked: false,
            pending: Vec::new(),
            ahead: None,
            meta: None,
            fault: None,
        }
    }

    fn begin_sql(&self) -> &'static str {
        match self.access {
            // The server's default isolation: READ COMMITTED on PostgreSQL;
            // under SERIALIZABLE the conflicts it reports are run again.
            Access::Write => "BEGIN",
            Access::Read => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        }
    }

    /// Sends `BEGIN` (when not yet sent), the meta records' read (on the
    /// first read of a write transaction), the held-back writes and `last`
    /// together, and waits for all their answers: one round trip.
    fn exchange<T>(
        &mut self,
        read: bool,
        last: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> StoreResult<T> {
        if let Some(fault) = &self.fault {
            return Err(StoreError::Failed(format!(
                "the transaction failed earlier: {}",
                fault.message
            )));
        }
        let begin = (!self.open).then(|| self.begin_sql());
        self.open = true;
        let read_meta = read && self.access == Access::Write && self.meta.is_none();
        let pending = std::mem::take(&mut self.pending);
        let conn = self.conn;
        let st = conn.statements();
        let result = conn.round_trip(async {
            let begin = async {
                match begin {
                    Some(sql) => conn.client.batch_execute(sql).await,
                    None => Ok(()),
                }
            };
            let meta = async {
                if !read_meta {
                    return Ok(None);
                }
                let (shared, rows) = join(
                    conn.client.execute(&st.share_meta, &[]),
                    conn.client.query(&st.all_meta, &[]),
                )
                .await;
                shared?;
                rows.map(Some)
            };
            let writes = join_all(pending.iter().map(|w| w.send(conn)));
            let (begun, meta, written, last) = join4(begin, meta, writes, last).await;
            begun?;
            let meta = meta?;
            written.into_iter().try_for_each(|w| w.map(drop))?;
            Ok((meta, last?))
        });
        let (meta, last) = result.map_err(|fault| self.fail(fault))?;
        if let Some(rows) = meta {
            let records = rows
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(|e| self.fail(Fault::from_pg(&e)))?;
            self.meta = Some(records);
        }
        Ok(last)
    }

    /// The meta records of a write transaction, read now if not yet.
    fn meta_records(&mut self) -> StoreResult<&mut HashMap<String, Vec<u8>>> {
        if self.meta.is_none() {
            self.exchange(true, async { Ok(()) })?;
        }
        Ok(self.meta.get_or_insert_default())
    }

    fn fail(&mut self, fault: Fault) -> StoreError {
        let error = match fault.kind {
            FaultKind::Failed => StoreError::Failed(fault.message.clone()),
            _ => StoreError::Unavailable(fault.message.clone()),
        };
        self.fault.get_or_insert(fault);
        error
    }

    fn rows<T>(
        &mut self,
        parse: impl FnOnce(&[Row]) -> Result<T, String>,
        rows: &[Row],
    ) -> StoreResult<T> {
        parse(rows).map_err(|e| self.fail(Fault::new(FaultKind::Failed, e)))
    }

    fn hold(&mut self, write: Write) -> StoreResult<()> {
        self.ahead = None;
        self.pending.push(write);
        if self.pending.len() >= MAX_PENDING_WRITES {
            self.exchange(false, async { Ok(()) })?;
        }
        Ok(())
    }

    /// Whether this read must take the user's lock.
    fn take_lock(&mut self) -> bool {
        let lock = self.access == Access::Write && !self.locked;
        self.locked = true;
        lock
    }

    /// Reads one user (and, on the first read, its TOTPs) by `user_id` or by
    /// `external_id`.
    fn read_user(&mut self, id: &str, by_external_id: bool) -> StoreResult<Option<UserRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let statement = match (by_external_id, self.take_lock()) {
            (false, false) => &st.user,
            (false, true) => &st.user_for_update,
            (true, false) => &st.user_by_external_id,
            (true, true) => &st.user_by_external_id_for_update,
        };
        let read_ahead = !self.open;
        let totps_statement = match by_external_id {
            true => &st.totps_of_external_id,
            false => &st.totps_of_user,
        };
        let (user_rows, totp_rows) = self.exchange(true, async {
            // The TOTP query runs after the lock is granted, so it sees the
            // last holder's writes.
            let totps = async {
                match read_ahead {
                    true => client.query(totps_statement, &[&id]).await.map(Some),
                    false => Ok(None),
                }
            };
            let (user, totps) =
                futures_util::future::join(client.query(statement, &[&id]), totps).await;
            Ok((user?, totps?))
        })?;
        let user = self.rows(rows::users, &user_rows)?.into_iter().next();
        if let (Some(user), Some(totp_rows)) = (&user, totp_rows) {
            let totps = self.rows(rows::totps, &totp_rows)?;
            self.ahead = Some((user.user_id.clone(), totps));
        }
        Ok(user)
    }
}

impl StoreTx for PgTx<'_> {
    fn user(&mut self, user_id: &str) -> StoreResult<Option<UserRecord>> {
        self.read_user(user_id, false)
    }

    fn user_by_external_id(&mut self, external_id: &str) -> StoreResult<Option<UserRecord>> {
        self.read_user(external_id, true)
    }

    fn put_user(&mut self, user: &UserRecord) -> StoreResult<()> {
        self.hold(Write::PutUser(user.clone()))
    }

    fn delete_user(&mut self, user_id: &str) -> StoreResult<()> {
        // TOTPs go with it through ON DELETE CASCADE.
        self.hold(Write::DeleteUser(user_id.to_owned()))
    }

    fn totps_of_user(&mut self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
        if let Some((owner, totps)) = self.ahead.take() {
            if owner == user_id {
                return Ok(totps);
            }
        }
        let st = self.conn.statements();
        let client = &self.conn.client;
        let lock = self.take_lock();
        let rows = self.exchange(true, async {
            let locked = async {
                match lock {
                    true => client
                        .query(&st.user_for_update, &[&user_id])
                        .await
                        .map(drop),
                    false => Ok(()),
                }
            };
            let (locked, rows) =
                futures_util::future::join(locked, client.query(&st.totps_of_user, &[&user_id]))
                    .await;
            locked?;
            rows
        })?;
        self.rows(rows::totps, &rows)
    }

    fn totp(&mut self, totp_id: &str) -> StoreResult<Option<TotpRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let lock = self.take_lock();
        let rows = self.exchange(true, async {
            // Lock the owner first (both requests travel together).
            let owner = async {
                match lock {
                    true => client
                        .query(&st.lock_totp_owner, &[&totp_id])
                        .await
                        .map(drop),
                    false => Ok(()),
                }
            };
            let (locked, rows) =
                futures_util::future::join(owner, client.query(&st.totp, &[&totp_id])).await;
            locked?;
            rows
        })?;
        Ok(self.rows(rows::totps, &rows)?.into_iter().next())
    }

    fn put_totp(&mut self, totp: &TotpRecord) -> StoreResult<()> {
        self.hold(Write::PutTotp(totp.clone()))
    }

    fn delete_totp(&mut self, totp_id: &str) -> StoreResult<()> {
        self.hold(Write::DeleteTotp(totp_id.to_owned()))
    }

    fn meta(&mut self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        if self.access == Access::Write {
            return Ok(self.meta_records()?.get(key).cloned());
        }
        let st = self.conn.statements();
        let client = &self.conn.client;
        let row = self.exchange(true, client.query_opt(&st.meta, &[&key]))?;
        row.map(|r| r.try_get::<_, Vec<u8>>(0))
            .transpose()
            .map_err(|e| self.fail(Fault::from_pg(&e)))
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> StoreResult<()> {
        self.meta_records()?.insert(key.to_owned(), value.to_vec());
        self.hold(Write::PutMeta(key.to_owned(), value.to_vec()))
    }

    fn purge_expired_totps(&mut self, now: i64) -> StoreResult<u64> {
        self.ahead = None;
        let st = self.conn.statements();
        let client = &self.conn.client;
        self.exchange(true, client.execute(&st.purge_expired_totps, &[&now]))
    }

    fn totps_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<TotpRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.exchange(true, client.query(&st.totps_page, &[&after, &limit]))?;
        self.rows(rows::totps, &rows)
    }

    fn users_page(&mut self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.exchange(true, client.query(&st.users_page, &[&after, &limit]))?;
        self.rows(rows::users, &rows)
    }

    fn session(&mut self, session_id: &str) -> StoreResult<Option<SessionRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let rows = self.exchange(true, client.query(&st.session, &[&session_id]))?;
        self.rows(rows::optional_session, &rows)
    }

    fn session_by_token_hash(
        &mut self,
        token_hash: &[u8; 32],
    ) -> StoreResult<Option<SessionRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let hash = &token_hash[..];
        let rows = self.exchange(true, client.query(&st.session_by_token_hash, &[&hash]))?;
        self.rows(rows::optional_session, &rows)
    }

    fn sessions_of_user(&mut self, user_id: &str) -> StoreResult<Vec<SessionRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let rows = self.exchange(true, client.query(&st.sessions_of_user, &[&user_id]))?;
        self.rows(rows::sessions, &rows)
    }

    fn put_session(&mut self, session: &SessionRecord) -> StoreResult<()> {
        self.hold(Write::PutSession(session.clone()))
    }

    fn delete_session(&mut self, session_id: &str) -> StoreResult<()> {
        self.hold(Write::DeleteSession(session_id.to_owned()))
    }

    fn sessions_page(
        &mut self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<SessionRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.exchange(true, client.query(&st.sessions_page, &[&after, &limit]))?;
        self.rows(rows::sessions, &rows)
    }

    fn purge_expired_sessions(&mut self, now: i64, limit: usize) -> StoreResult<u64> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.exchange(
            true,
            client.execute(&st.purge_expired_sessions, &[&now, &limit]),
        )
    }

    fn users_by_keys(&mut self, lookup: &UserLookup<'_>) -> StoreResult<Vec<UserRecord>> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let email_keys: Vec<String> = lookup.emails.iter().map(|e| email_key(e)).collect();
        let keys: [&(dyn tokio_postgres::types::ToSql + Sync); 4] = [
            &lookup.user_ids,
            &lookup.external_ids,
            &email_keys,
            &lookup.phone_numbers,
        ];
        let rows = self.exchange(true, client.query(&st.users_by_keys, &keys))?;
        self.rows(rows::users, &rows)
    }

    fn count_users(&mut self) -> StoreResult<u64> {
        let st = self.conn.statements();
        let client = &self.conn.client;
        let row = self.exchange(true, client.query_one(&st.count_users, &[]))?;
        let count: i64 = row.try_get(0).map_err(|e| self.fail(Fault::from_pg(&e)))?;
        Ok(count.unsigned_abs())
    }
}

impl PgTx<'_> {
    /// Sends the held-back writes with `COMMIT`: one round trip. When a write
    /// failed, the server turns the `COMMIT` into a rollback.
    pub fn commit(&mut self) -> Result<(), Fault> {
        if let Some(fault) = self.fault.take() {
            return Err(fault);
        }
        if !self.open && self.pending.is_empty() {
            return Ok(());
        }
        let conn = self.conn;
        let result = self.exchange(false, conn.client.batch_execute("COMMIT"));
        self.open = false;
        result.map_err(|_| {
            let mut fault = self
                .fault
                .take()
                .expect("a failed exchange keeps its fault");
            fault.in_commit = true;
            fault
        })
    }

    /// Rolls back whatever is open (nothing to do when the connection broke).
    pub fn rollback(&mut self) {
        self.pending.clear();
        if self.open && self.conn.is_usable() {
            self.open = false;
            if let Err(fault) = self.conn.batch("ROLLBACK") {
                self.fault.get_or_insert(fault);
            }
        }
    }
}
