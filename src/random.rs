//! Randomness for secrets, recovery codes and IDs, drawn from the operating
//! system on every use. A user-space generator cached per thread would be
//! copied into every child of a `fork()` (prefork servers, multiprocessing), and
//! the children would then mint the same secrets and IDs.

use rand::SeedableRng;
use rand::TryRng;
use rand::rngs::{StdRng, SysRng};

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
