//! Telling a forked child from its parent. A child of `fork()` gets a copy of
//! the parent's memory, locks held by the parent's other threads included, and
//! the parent's database connection: using a client there can hang forever or
//! corrupt the parent's locking. Each client remembers the generation it was
//! made in; a `pthread_atfork` handler moves the generation on in every child.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);
static INSTALL: Once = Once::new();

/// Runs in the child right after `fork()`: async-signal-safe (one atomic add).
#[cfg(unix)]
extern "C" fn in_child() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// The current generation, installing the handler on first use (so that a
/// client made now can tell later children).
pub fn install() -> u64 {
    INSTALL.call_once(|| {
        #[cfg(unix)]
        // SAFETY: registers a handler that only increments an atomic.
        unsafe {
            libc::pthread_atfork(None, None, Some(in_child));
        }
    });
    generation()
}

/// The current generation: one relaxed atomic load.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}
