//! The connections of one store: opened on demand up to a maximum, reused
//! while they work, thrown away when they break.

use super::conn::{Conn, ConnectSettings};
use super::fault::{Fault, FaultKind};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

pub struct Pool {
    settings: ConnectSettings,
    max: usize,
    state: Mutex<State>,
    /// Signalled whenever a connection is returned or closed.
    freed: Condvar,
}

struct State {
    idle: Vec<Conn>,
    /// Idle plus lent out (plus being opened).
    open: usize,
}

/// A connection lent out. Dropped without `give_back` (an error, a panic),
/// it is closed: the server rolls back whatever it had open.
pub struct Lent<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    /// Opened for this loan rather than reused.
    pub fresh: bool,
}

impl Pool {
    /// A pool holding `first`, an open connection with its statements prepared.
    pub fn new(settings: ConnectSettings, max: usize, first: Conn) -> Self {
        Self {
            settings,
            max,
            state: Mutex::new(State {
                idle: vec![first],
                open: 1,
            }),
            freed: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is two fields updated together: a panic cannot split them.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An idle connection, else a new one (below the maximum), else the first
    /// one returned within `connect_timeout`.
    pub fn get(&self) -> Result<Lent<'_>, Fault> {
        let deadline = Instant::now() + self.settings.connect_timeout;
        let mut state = self.state();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(self.lend(conn, false));
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.connect() {
                    Ok(conn) => Ok(self.lend(conn, true)),
                    Err(fault) => {
                        self.closed(None);
                        Err(fault)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Fault::new(
                    FaultKind::Unavailable,
                    format!(
                        "all {} PostgreSQL connections stayed busy for connect_timeout_ms ({} ms)",
                        self.max,
                        self.settings.connect_timeout.as_millis()
                    ),
                ));
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn connect(&self) -> Result<Conn, Fault> {
        let mut conn = Conn::connect(&self.settings)?;
        conn.prepare(&self.settings.schema)?;
        Ok(conn)
    }

    fn lend(&self, conn: Conn, fresh: bool) -> Lent<'_> {
        Lent {
            pool: self,
            conn: Some(conn),
            fresh,
        }
    }

    /// Closes every idle connection: after one was found broken (a server
    /// restart), the others most likely are too.
    pub fn close_idle(&self) {
        let idle = {
            let mut state = self.state();
            let idle = std::mem::take(&mut state.idle);
            state.open -= idle.len();
            idle
        };
        drop(idle);
        self.freed.notify_all();
    }

    /// Accounts for a connection that is gone (closed, or never opened).
    fn closed(&self, conn: Option<Conn>) {
        self.state().open -= 1;
        drop(conn);
        self.freed.notify_one();
    }
}

impl Lent<'_> {
    pub fn conn(&self) -> &Conn {
        self.conn.as_ref().expect("lent until given back")
    }

    /// Returns the connection for reuse, or closes it if it is broken.
    pub fn give_back(mut self) {
        let conn = self.conn.take().expect("lent until given back");
        if conn.is_usable() {
            self.pool.state().idle.push(conn);
            self.pool.freed.notify_one();
        } else {
            self.pool.closed(Some(conn));
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.closed(Some(conn));
        }
    }
}
