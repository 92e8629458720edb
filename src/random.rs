//! Randomness. Secrets, recovery codes and stored IDs are drawn from the
//! operating system on every use: a user-space generator cached per thread
//! would be copied into every child of a `fork()` (prefork servers,
//! multiprocessing), and the children would then mint the same values.
//!
//! Request IDs, drawn on every call and never stored or trusted, come from a
//! per-thread ChaCha generator seeded from the OS instead (a system call per
//! call costs more than the rest of an authentication). A `fork()` child
//! handler bumps a generation counter, and a generator from an older
//! generation reseeds itself before its next draw, so forked children never
//! repeat each other's request IDs.

use rand::rngs::{StdRng, SysRng};
use rand::{Rng, SeedableRng, TryRng};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Fills `buf` from the OS CSPRNG. Panics (a 500 error at the C boundary) only
/// if the operating system cannot supply randomness.
pub fn fill(buf: &mut [u8]) {
    SysRng
        .try_fill_bytes(buf)
        .expect("the operating system's random number generator failed");
}

/// A CSPRNG freshly seeded from the OS, for drawing many values at once.
pub fn seeded() -> StdRng {
    StdRng::try_from_rng(&mut SysRng)
        .expect("the operating system's random number generator failed")
}

/// How many `fork()`s this process descends from (counted in the children).
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static REQUEST_RNG: RefCell<Option<(u64, StdRng)>> = const { RefCell::new(None) };
}

/// Fills `buf` from this thread's user-space CSPRNG (seeded from the OS, and
/// reseeded after a `fork()`). Only for values that are neither secret nor
/// stored: request IDs.
pub fn fill_unstored(buf: &mut [u8]) {
    watch_forks();
    let generation = FORK_GENERATION.load(Ordering::Acquire);
    REQUEST_RNG.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rng = match &mut *slot {
            Some((seen, rng)) if *seen == generation => rng,
            stale => &mut stale.insert((generation, seeded())).1,
        };
        rng.fill_bytes(buf);
    });
}

/// Registers the `fork()` child handler, once per process (children inherit it).
#[cfg(unix)]
fn watch_forks() {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    extern "C" fn in_child() {
        // Only an atomic add: async-signal-safe, as a fork handler must be.
        FORK_GENERATION.fetch_add(1, Ordering::AcqRel);
    }
    REGISTER.call_once(|| {
        // SAFETY: registers a handler with no preconditions; `in_child` lives
        // as long as the library (glibc drops the handler if it is unloaded).
        let status = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
        assert_eq!(status, 0, "cannot register a fork handler");
    });
}

/// No `fork()` outside Unix: a thread's generator never needs a reseed.
#[cfg(not(unix))]
fn watch_forks() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Installs a generator of known output as this thread's, at `generation`.
    fn install_known(generation: u64) {
        REQUEST_RNG.with(|c| *c.borrow_mut() = Some((generation, StdRng::seed_from_u64(7))));
    }

    #[test]
    fn the_thread_generator_is_kept_until_a_fork_then_reseeded() {
        let mut known = [0u8; 16];
        StdRng::seed_from_u64(7).fill_bytes(&mut known);
        let mut drawn = [0u8; 16];

        let generation = FORK_GENERATION.load(Ordering::Acquire);
        install_known(generation);
        fill_unstored(&mut drawn);
        assert_eq!(drawn, known, "the thread's generator was not the one used");

        install_known(generation);
        FORK_GENERATION.fetch_add(1, Ordering::AcqRel);
        fill_unstored(&mut drawn);
        assert_ne!(
            drawn, known,
            "the generator of an older generation was used"
        );
    }
}
