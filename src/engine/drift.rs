//! Times written under a clock that ran ahead. A host clock that jumps forward
//! for a while dates locks and expiries in the future; once it is corrected,
//! they would hold for as long as the jump. Each is brought back to what it
//! could be at most, measured from now, and written back.
//!
//! The last accepted step is different: lowering it is what a replay after a
//! clock set back needs, so it is never lowered on reading. Only a recovery
//! code (a second factor) brings a step far ahead back (`settle_step`).

use crate::otp;
use crate::store::{TotpRecord, UserRecord};

/// A lock never has more than its own length left: one dated in the future
/// ends at most its length from now. Returns whether it changed.
pub fn settle_lock(user: &mut UserRecord, now: i64) -> bool {
    let Some(lock) = user.lock.as_mut() else {
        return false;
    };
    let length = lock.expires_at.saturating_sub(lock.created_at).max(0);
    let latest = now.saturating_add(length);
    if lock.created_at <= now && lock.expires_at <= latest {
        return false;
    }
    lock.created_at = lock.created_at.min(now);
    lock.expires_at = lock.expires_at.min(latest);
    true
}

/// A pending TOTP never has more than its expiration left. Returns whether
/// it changed.
pub fn settle_pending(totp: &mut TotpRecord, now: i64) -> bool {
    let length = totp.expires_at.saturating_sub(totp.created_at).max(0);
    let latest = now.saturating_add(length);
    if totp.verified || (totp.created_at <= now && totp.expires_at <= latest) {
        return false;
    }
    totp.created_at = totp.created_at.min(now);
    totp.expires_at = totp.expires_at.min(latest);
    true
}

/// After a recovery code was accepted: a last accepted step more than
/// `window` steps ahead of now (a code accepted under a clock far ahead,
/// which would make every code a replay until the real time gets there) comes
/// back to the end of the current window. Returns whether it changed.
pub fn settle_step(totp: &mut TotpRecord, now: i64, window: i64) -> bool {
    let highest = otp::step_at(now).saturating_add(window);
    match totp.last_step.as_mut() {
        Some(last) if *last > highest => {
            *last = highest;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Lock, Sealed};

    const NOW: i64 = 1_700_000_000;
    const YEAR_2100: i64 = 4_102_444_800;

    fn user(lock: Option<Lock>) -> UserRecord {
        UserRecord {
            lock,
            ..UserRecord::bare("u", NOW)
        }
    }

    fn totp(
        verified: bool,
        created_at: i64,
        expires_at: i64,
        last_step: Option<i64>,
    ) -> TotpRecord {
        TotpRecord {
            totp_id: "t".into(),
            user_id: "u".into(),
            secret: Sealed::from(vec![0]),
            verified,
            created_at,
            expires_at,
            last_step,
            recovery_codes: Sealed::from(vec![0]),
        }
    }

    #[test]
    fn a_lock_from_the_future_keeps_only_its_length() {
        let mut u = user(Some(Lock {
            created_at: YEAR_2100,
            expires_at: YEAR_2100 + 3600,
        }));
        assert!(settle_lock(&mut u, NOW));
        assert_eq!(
            u.lock,
            Some(Lock {
                created_at: NOW,
                expires_at: NOW + 3600
            })
        );
        assert!(!settle_lock(&mut u, NOW + 10), "settled once, it stays");
        let mut fresh = user(Some(Lock {
            created_at: NOW - 60,
            expires_at: NOW + 3540,
        }));
        assert!(!settle_lock(&mut fresh, NOW));
        assert!(!settle_lock(&mut user(None), NOW));
    }

    #[test]
    fn a_pending_totp_from_the_future_keeps_only_its_expiration() {
        let mut t = totp(false, YEAR_2100, YEAR_2100 + 300, None);
        assert!(settle_pending(&mut t, NOW));
        assert_eq!((t.created_at, t.expires_at), (NOW, NOW + 300));
        assert!(!settle_pending(&mut t, NOW + 10), "settled once, it stays");
        let mut verified = totp(true, YEAR_2100, YEAR_2100 + 300, None);
        assert!(!settle_pending(&mut verified, NOW));
    }

    #[test]
    fn a_step_far_ahead_comes_back_to_the_window() {
        let step = otp::step_at(NOW);
        let mut t = totp(true, NOW, NOW, Some(otp::step_at(YEAR_2100)));
        assert!(settle_step(&mut t, NOW, 1));
        assert_eq!(t.last_step, Some(step + 1));
        let mut normal = totp(true, NOW, NOW, Some(step + 1));
        assert!(!settle_step(&mut normal, NOW, 1));
    }
}
