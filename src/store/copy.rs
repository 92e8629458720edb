//! Copying one store into another (moving up from an SQLite file to
//! PostgreSQL): every user with its failure count and lock, every TOTP with its
//! secret, last used step and unused recovery codes, and every session (by the
//! hash of its token), byte for byte. Sealed
//! values are copied as they are (their associated data names the table,
//! row, column and owner, which a copy keeps), so the destination needs the
//! source's keys: the records that say which (key checks, sealers in use,
//! the recovery-code hash key), the session signing keys (so that session
//! JWTs issued before the copy verify after it) and the lockout policy come
//! first, and only if the destination's configuration can use them
//! (`engine::carry`).
//!
//! The copy goes page by page, users first (TOTPs and sessions refer to
//! them). Each page is
//! written in one destination transaction together with a checkpoint in the
//! destination's key/value table, so an interrupted copy resumes after the last
//! page written; rows are inserted or replaced by ID, so running a copy again
//! is harmless. Stop the applications writing to the source while it runs.

use super::{Access, Store, StoreResult, StoreTx};
use crate::engine::{ApiError, Config};

/// The destination's key/value entry that remembers how far a copy got.
pub const CHECKPOINT_KEY: &str = "copy.checkpoint";

/// How far a copy got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CopyProgress {
    /// Users written by this run.
    pub users: u64,
    /// TOTPs written by this run.
    pub totps: u64,
    /// Sessions written by this run.
    pub sessions: u64,
    /// Everything is in the destination.
    pub finished: bool,
}

/// Where a copy stands, as kept in the destination.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Checkpoint {
    /// Users are copied up to this ID (none: not started).
    Users(Option<String>),
    /// Users are all copied; TOTPs up to this ID.
    Totps(Option<String>),
    /// Users and TOTPs are all copied; sessions up to this ID.
    Sessions(Option<String>),
}

impl Checkpoint {
    fn read(tx: &mut dyn StoreTx) -> StoreResult<Self> {
        let stored = tx.meta(CHECKPOINT_KEY)?.unwrap_or_default();
        let text = String::from_utf8_lossy(&stored);
        Ok(match text.split_once(':') {
            Some(("users", id)) => Checkpoint::Users(Some(id.to_owned())),
            Some(("totps", "")) => Checkpoint::Totps(None),
            Some(("totps", id)) => Checkpoint::Totps(Some(id.to_owned())),
            Some(("sessions", "")) => Checkpoint::Sessions(None),
            Some(("sessions", id)) => Checkpoint::Sessions(Some(id.to_owned())),
            // Nothing yet, or a finished copy: start from the beginning.
            _ => Checkpoint::Users(None),
        })
    }

    fn stored(&self) -> String {
        match self {
            Checkpoint::Users(id) => format!("users:{}", id.as_deref().unwrap_or("")),
            Checkpoint::Totps(id) => format!("totps:{}", id.as_deref().unwrap_or("")),
            Checkpoint::Sessions(id) => format!("sessions:{}", id.as_deref().unwrap_or("")),
        }
    }
}

/// Opens the stores two configurations name and copies `source` into
/// `destination`, `batch` rows per transaction, resuming where an earlier
/// copy into `destination` stopped. After each page, `progress` is told the
/// totals so far and returns whether to go on; a copy stopped that way (or by
/// an error) resumes on the next call. Refused before any row is written when
/// the destination's configuration cannot open the source's sealed values or
/// has another lockout policy (see [`crate::engine::carry::carry_meta`]).
pub fn copy(
    source: &Config,
    destination: &Config,
    batch: usize,
    progress: &mut dyn FnMut(CopyProgress) -> bool,
) -> Result<CopyProgress, ApiError> {
    if batch == 0 {
        return Err(ApiError::bad_request(
            "the copy batch size must be at least 1",
        ));
    }
    let from = super::open(source)?;
    let to = super::open(destination)?;
    crate::engine::carry::carry_meta(from.as_ref(), to.as_ref(), destination)?;
    Ok(copy_rows(from.as_ref(), to.as_ref(), batch, progress)?)
}

/// The users, then the TOTPs, then the sessions, page by page (see [`copy`]).
fn copy_rows(
    source: &dyn Store,
    destination: &dyn Store,
    batch: usize,
    progress: &mut dyn FnMut(CopyProgress) -> bool,
) -> StoreResult<CopyProgress> {
    let mut done = CopyProgress::default();
    let mut at = Checkpoint::Users(None);
    destination.transaction(Access::Read, &mut |tx| {
        at = Checkpoint::read(tx)?;
        Ok(())
    })?;
    loop {
        let mut users = Vec::new();
        let mut totps = Vec::new();
        let mut sessions = Vec::new();
        source.transaction(Access::Read, &mut |tx| {
            match &at {
                Checkpoint::Users(after) => users = tx.users_page(after.as_deref(), batch)?,
                Checkpoint::Totps(after) => totps = tx.totps_page(after.as_deref(), batch)?,
                Checkpoint::Sessions(after) => {
                    sessions = tx.sessions_page(after.as_deref(), batch)?
                }
            }
            Ok(())
        })?;
        let next = match &at {
            Checkpoint::Users(_) if users.is_empty() => Checkpoint::Totps(None),
            Checkpoint::Users(_) => Checkpoint::Users(users.last().map(|u| u.user_id.clone())),
            Checkpoint::Totps(_) if totps.is_empty() => Checkpoint::Sessions(None),
            Checkpoint::Totps(_) => Checkpoint::Totps(totps.last().map(|t| t.totp_id.clone())),
            Checkpoint::Sessions(_) if sessions.is_empty() => break,
            Checkpoint::Sessions(_) => {
                Checkpoint::Sessions(sessions.last().map(|s| s.session_id.clone()))
            }
        };
        destination.transaction(Access::Write, &mut |tx| {
            for user in &users {
                tx.put_user(user)?;
            }
            for totp in &totps {
                tx.put_totp(totp)?;
            }
            for session in &sessions {
                tx.put_session(session)?;
            }
            tx.put_meta(CHECKPOINT_KEY, next.stored().as_bytes())
        })?;
        done.users += users.len() as u64;
        done.totps += totps.len() as u64;
        done.sessions += sessions.len() as u64;
        at = next;
        if !progress(done) {
            return Ok(done);
        }
    }
    destination.transaction(Access::Write, &mut |tx| {
        tx.put_meta(CHECKPOINT_KEY, b"done")
    })?;
    done.finished = true;
    progress(done);
    Ok(done)
}
