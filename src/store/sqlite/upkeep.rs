//! Keeping the WAL short, and empty of removed secrets, without holding up
//! the process's other threads.
//!
//! SQLite checkpoints the WAL in the connection that commits, once it holds
//! 1000 frames: copying pages and syncing two files takes milliseconds, and
//! meanwhile the store's one connection, so every thread of the process,
//! waits. Here the WAL hook of the main connection (which replaces SQLite's
//! automatic checkpoint) only notes that a checkpoint is due; the thread that
//! committed then runs it on a second connection, once the main one is free.
//! So does the thread after a transaction that removed or replaced a secret:
//! it empties the WAL, at most once per `WIPE_EVERY`.

use rusqlite::functions::FunctionFlags;
use rusqlite::hooks::Wal;
use rusqlite::{Connection, MAIN_DB, wal::CheckpointMode};
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::time::{Duration, Instant};

/// A checkpoint is due when the WAL holds this many frames (SQLite's default).
const CHECKPOINT_FRAMES: c_int = 1000;
/// The WAL is emptied at most this often (a checkpoint syncs the file).
const WIPE_EVERY: Duration = Duration::from_secs(1);
/// How long emptying the WAL waits for other connections' transactions and
/// checkpoints.
pub const WIPE_WAIT: Duration = Duration::from_millis(20);
/// A due checkpoint is run at most this often: each syncs two files, and
/// another process's checkpoint keeps one from emptying the WAL meanwhile.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Triggers of the main connection only (TEMP: never written to the file)
/// that note a transaction which removed or replaced a secret.
const WIPE_TRIGGERS: &str = "
CREATE TEMP TRIGGER stytch_totp_deleted AFTER DELETE ON main.totps
BEGIN SELECT stytch_totp_secret_removed(); END;
CREATE TEMP TRIGGER stytch_totp_resealed AFTER UPDATE OF secret, recovery_codes ON main.totps
WHEN old.secret IS NOT new.secret OR old.recovery_codes IS NOT new.recovery_codes
BEGIN SELECT stytch_totp_secret_removed(); END;
CREATE TEMP TRIGGER stytch_totp_meta_replaced AFTER UPDATE ON main.stytch_totp_meta
BEGIN SELECT stytch_totp_secret_removed(); END;
";

pub struct Upkeep {
    worker: Mutex<Worker>,
    /// A committed transaction removed or replaced a secret, and the WAL has
    /// not been emptied since.
    wipe_pending: Arc<AtomicBool>,
    /// The WAL holds `CHECKPOINT_FRAMES` or more.
    checkpoint_due: Arc<AtomicBool>,
}

/// The second connection, and when it last did each of its jobs.
struct Worker {
    conn: Connection,
    last_checkpoint: Option<Instant>,
    last_wipe: Option<Instant>,
}

fn long_ago(last: Option<Instant>, every: Duration) -> bool {
    last.is_none_or(|t| t.elapsed() >= every)
}

impl Upkeep {
    /// Watches `main`'s commits; `worker` is a second connection to the same
    /// file, which waits up to `WIPE_WAIT` for locks.
    pub fn new(main: &mut Connection, worker: Connection) -> rusqlite::Result<Self> {
        let wipe_pending = Arc::new(AtomicBool::new(false));
        let noted = Arc::clone(&wipe_pending);
        main.create_scalar_function(
            "stytch_totp_secret_removed",
            0,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
            move |_| {
                noted.store(true, Ordering::Relaxed);
                Ok(0)
            },
        )?;
        main.execute_batch(WIPE_TRIGGERS)?;
        let checkpoint_due = Arc::new(AtomicBool::new(false));
        let due = Arc::clone(&checkpoint_due);
        main.wal_hook(Some(move |_: &mut Wal, frames: c_int| {
            if frames >= CHECKPOINT_FRAMES {
                due.store(true, Ordering::Relaxed);
            }
            Ok(())
        }))?;
        let worker = Worker {
            conn: worker,
            last_checkpoint: None,
            last_wipe: None,
        };
        Ok(Self {
            worker: Mutex::new(worker),
            wipe_pending,
            checkpoint_due,
        })
    }

    /// After a committed transaction, with the main connection released:
    /// empties the WAL if a secret was removed (at most once per
    /// `WIPE_EVERY`), else checkpoints it if it is due (at most once per
    /// `CHECKPOINT_EVERY`). Until emptying succeeds (other connections kept
    /// the WAL in use), it is tried again after this client's later
    /// transactions; SQLite also empties the WAL when the last connection
    /// closes.
    pub fn after_commit(&self) {
        if !self.wipe_pending.load(Ordering::Relaxed)
            && !self.checkpoint_due.load(Ordering::Relaxed)
        {
            return;
        }
        // Another thread at it does what is due.
        let mut worker = match self.worker.try_lock() {
            Ok(worker) => worker,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        if self.wipe_pending.load(Ordering::Relaxed) && long_ago(worker.last_wipe, WIPE_EVERY) {
            worker.last_wipe = Some(Instant::now());
            worker.last_checkpoint = worker.last_wipe;
            self.checkpoint_due.store(false, Ordering::Relaxed);
            if empty_wal(&worker.conn) {
                self.wipe_pending.store(false, Ordering::Relaxed);
            }
        } else if self.checkpoint_due.load(Ordering::Relaxed)
            && long_ago(worker.last_checkpoint, CHECKPOINT_EVERY)
        {
            worker.last_checkpoint = Some(Instant::now());
            self.checkpoint_due.store(false, Ordering::Relaxed);
            let _ = worker
                .conn
                .wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE);
        }
    }

    /// The WAL was emptied on the main connection.
    pub fn wiped(&self) {
        self.wipe_pending.store(false, Ordering::Relaxed);
    }
}

/// Copies the WAL into the database and truncates it to nothing. Most frames
/// are copied first without holding up writers; the truncating checkpoint then
/// takes the write lock for the rest. Another connection's checkpoint in
/// progress (which SQLite does not wait for) is waited for up to `WIPE_WAIT`.
fn empty_wal(conn: &Connection) -> bool {
    let _ = conn.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE);
    let started = Instant::now();
    loop {
        match conn.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::TRUNCATE) {
            Ok(_) => return true,
            Err(e) if super::is_busy(&e) && started.elapsed() < WIPE_WAIT => {
                std::thread::sleep(super::busy::LONGEST_SLEEP);
            }
            Err(_) => return false,
        }
    }
}
