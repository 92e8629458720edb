//! Waiting for a lock another process holds on the database file.
//!
//! SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 50 and then
//! 100 ms at a time: a writer that found the lock taken slept on long after a
//! 30 µs transaction of another process had released it, while every thread
//! of its own process queued behind it. This handler tries again after a few
//! yields, then after sleeps that double from `FIRST_SLEEP` up to
//! `LONGEST_SLEEP`, until the timeout has passed since the first try.
//!
//! (Threads of one process never meet here: they take turns on the store's
//! one connection, so only processes contend for the file's locks.)

use rusqlite::Connection;
use std::time::{Duration, Instant};

/// Tries made after a yield only, before the first sleep.
const YIELDS: i32 = 4;
const FIRST_SLEEP: Duration = Duration::from_micros(10);
/// Well under SQLite's shortest step (1 ms).
pub const LONGEST_SLEEP: Duration = Duration::from_micros(250);

/// How long to pause before try number `tries + 1` of a wait that began
/// `waited` ago (zero: yield the processor), or `None` to give up.
fn pause(tries: i32, waited: Duration, timeout: Duration) -> Option<Duration> {
    let left = timeout.checked_sub(waited).filter(|left| !left.is_zero())?;
    let sleep = match tries - YIELDS {
        ..0 => Duration::ZERO,
        sleeps => FIRST_SLEEP.saturating_mul(1 << sleeps.min(16)),
    };
    Some(sleep.min(LONGEST_SLEEP).min(left))
}

/// Makes `conn` wait up to `timeout` for a lock held elsewhere (not at all
/// for a zero timeout) before failing with `SQLITE_BUSY`.
pub fn wait_for_locks(conn: &mut Connection, timeout: Duration) -> rusqlite::Result<()> {
    if timeout.is_zero() {
        return conn.busy_handler(None::<fn(i32) -> bool>);
    }
    let mut first_try = Instant::now();
    conn.busy_handler(Some(move |tries: i32| {
        // SQLite counts the tries of each wait from 0.
        if tries == 0 {
            first_try = Instant::now();
        }
        match pause(tries, first_try.elapsed(), timeout) {
            None => false,
            Some(Duration::ZERO) => {
                std::thread::yield_now();
                true
            }
            Some(sleep) => {
                std::thread::sleep(sleep);
                true
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{ErrorCode, TransactionBehavior};

    const TIMEOUT: Duration = Duration::from_secs(10);

    #[test]
    fn pauses_start_with_yields_and_stay_under_a_millisecond() {
        let pauses: Vec<Duration> = (0..40)
            .map(|tries| pause(tries, Duration::ZERO, TIMEOUT).unwrap())
            .collect();
        assert!(pauses[..YIELDS as usize].iter().all(Duration::is_zero));
        assert_eq!(pauses[YIELDS as usize], FIRST_SLEEP);
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(pauses[39], LONGEST_SLEEP);
        assert!(LONGEST_SLEEP < Duration::from_millis(1));
    }

    #[test]
    fn pauses_end_at_the_timeout() {
        let almost = TIMEOUT - Duration::from_micros(3);
        assert_eq!(pause(30, almost, TIMEOUT), Some(Duration::from_micros(3)));
        assert_eq!(pause(30, TIMEOUT, TIMEOUT), None);
        assert_eq!(pause(0, TIMEOUT + TIMEOUT, TIMEOUT), None);
    }

    fn two_connections() -> (tempfile::TempDir, Connection, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let holder = Connection::open(&path).unwrap();
        holder
            .query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
            .unwrap();
        holder.execute_batch("CREATE TABLE t (x)").unwrap();
        let waiter = Connection::open(&path).unwrap();
        (dir, holder, waiter)
    }

    #[test]
    fn a_writer_waits_for_the_lock_and_takes_it_once_released() {
        let (_dir, mut holder, mut waiter) = two_connections();
        wait_for_locks(&mut waiter, TIMEOUT).unwrap();
        let held = holder
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        std::thread::scope(|s| {
            let writer = s.spawn(move || {
                waiter.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT;")
            });
            std::thread::sleep(Duration::from_millis(30));
            held.commit().unwrap();
            writer.join().unwrap().unwrap();
        });
        let rows: i64 = holder
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn a_writer_gives_up_once_the_timeout_has_passed() {
        let (_dir, mut holder, mut waiter) = two_connections();
        let _held = holder
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        for timeout in [Duration::from_millis(50), Duration::ZERO] {
            wait_for_locks(&mut waiter, timeout).unwrap();
            let started = Instant::now();
            let e = waiter.execute_batch("BEGIN IMMEDIATE").unwrap_err();
            assert_eq!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
            assert!(started.elapsed() >= timeout);
        }
    }
}
