//! Where "now" comes from: the system clock, or one the host sets.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest time the library handles: 9999-12-31T23:59:59Z (RFC 3339 has
/// four-digit years).
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

/// A source of Unix time in seconds. Implementations are called from any thread.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;

    /// Whether `now` may be called while the store is locked: only for clocks
    /// that never call back into the library.
    fn may_read_in_lock(&self) -> bool {
        false
    }
}

/// The operating system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }

    fn may_read_in_lock(&self) -> bool {
        true
    }
}

/// A clock that stands still at a time the host sets (tests, simulations).
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn new(unix_time: i64) -> Self {
        Self(AtomicI64::new(unix_time))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    fn may_read_in_lock(&self) -> bool {
        true
    }
}

/// Whether `unix_time` is one the library can work with (1970 to 9999).
pub fn in_range(unix_time: i64) -> bool {
    (0..=MAX_UNIX_TIME).contains(&unix_time)
}

/// `seconds` after `unix_time`, but never past `MAX_UNIX_TIME` (a lock or an
/// expiry set near the end of year 9999 ends then).
pub fn later(unix_time: i64, seconds: i64) -> i64 {
    unix_time.saturating_add(seconds).min(MAX_UNIX_TIME)
}

/// RFC 3339 in UTC, whole seconds, `Z`: `2021-12-29T12:33:09Z`. Times outside
/// 1970..=9999 are clamped to that range (the engine only stores such times).
pub fn format_rfc3339(unix_time: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(unix_time.clamp(0, MAX_UNIX_TIME))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_whole_seconds_in_utc() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(1_640_781_189), "2021-12-29T12:33:09Z");
        assert_eq!(format_rfc3339(20_000_000_000), "2603-10-11T11:33:20Z");
        assert_eq!(format_rfc3339(MAX_UNIX_TIME), "9999-12-31T23:59:59Z");
        assert_eq!(format_rfc3339(MAX_UNIX_TIME + 60), "9999-12-31T23:59:59Z");
        assert_eq!(later(MAX_UNIX_TIME - 10, 3600), MAX_UNIX_TIME);
        assert_eq!(later(100, 60), 160);
    }
}
