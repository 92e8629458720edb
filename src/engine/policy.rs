//! One lockout policy per store, kept in its meta records: every client on a
//! store counts failures and locks users by the same rule, read when it counts.

use super::config::Lockout;
use super::error::ApiError;
use super::{Client, ErrorResponse, Failure};
use crate::store::{Access, StoreError, StoreTx};
use serde::{Deserialize, Serialize};

const LOCKOUT_META: &str = "lockout_policy";

#[derive(Serialize, Deserialize)]
struct Stored {
    max_failures: u32,
    duration_minutes: u32,
}

pub fn stored(tx: &mut dyn StoreTx) -> Result<Option<Lockout>, StoreError> {
    let Some(bytes) = tx.meta(LOCKOUT_META)? else {
        return Ok(None);
    };
    let s: Stored = serde_json::from_slice(&bytes)
        .map_err(|e| StoreError::Failed(format!("the stored lockout policy is corrupt: {e}")))?;
    Ok(Some(Lockout {
        max_failures: s.max_failures,
        duration_minutes: s.duration_minutes,
    }))
}

fn save(tx: &mut dyn StoreTx, policy: Lockout) -> Result<(), StoreError> {
    let json = serde_json::to_vec(&Stored {
        max_failures: policy.max_failures,
        duration_minutes: policy.duration_minutes,
    })
    .map_err(|e| StoreError::Failed(e.to_string()))?;
    tx.put_meta(LOCKOUT_META, &json)
}

/// The store's policy (the default for a store that has none yet).
pub fn current(tx: &mut dyn StoreTx) -> Result<Lockout, StoreError> {
    Ok(stored(tx)?.unwrap_or_default())
}

/// When a client opens: a store without a policy takes the client's (or the
/// default); a client that asks for another one than the store's is refused.
pub fn settle(tx: &mut dyn StoreTx, wanted: Option<Lockout>) -> Result<(), Failure> {
    match (stored(tx)?, wanted) {
        (None, wanted) => Ok(save(tx, wanted.unwrap_or_default())?),
        (Some(have), Some(wanted)) if have != wanted => {
            Err(Failure::Abort(ApiError::lockout_policy_mismatch(format!(
                "this client asks for max_failures {} and duration_minutes {}, the store has \
                 {} and {}. Configure the store's policy, leave lockout out to adopt it, or \
                 change the store's with stytch_client_set_lockout_policy",
                wanted.max_failures,
                wanted.duration_minutes,
                have.max_failures,
                have.duration_minutes
            ))))
        }
        (Some(_), _) => Ok(()),
    }
}

/// A copy brings the source's policy (`source`) along: taken where the
/// destination has none, refused where it has another. Then the destination
/// client's own `wanted` is checked as when it opens.
pub fn adopt(
    tx: &mut dyn StoreTx,
    source: Option<Lockout>,
    wanted: Option<Lockout>,
) -> Result<(), Failure> {
    if let Some(policy) = source {
        match stored(tx)? {
            None => save(tx, policy)?,
            Some(have) if have == policy => {}
            Some(have) => {
                return Err(Failure::Abort(ApiError::lockout_policy_mismatch(format!(
                    "the source store has max_failures {} and duration_minutes {}, the \
                     destination {} and {}. Give them one policy first \
                     (stytch_client_set_lockout_policy)",
                    policy.max_failures,
                    policy.duration_minutes,
                    have.max_failures,
                    have.duration_minutes
                ))));
            }
        }
    }
    settle(tx, wanted)
}

impl Client {
    /// Replaces the store's lockout policy, for every client on it from their
    /// next counted failure on. Locks already in force keep their end.
    pub fn set_lockout_policy(&self, policy: Lockout) -> Result<(), ErrorResponse> {
        let in_range = |n: u32, (min, max): (i64, i64)| (min..=max).contains(&i64::from(n));
        if !in_range(policy.max_failures, Lockout::MAX_FAILURES)
            || !in_range(policy.duration_minutes, Lockout::DURATION_MINUTES)
        {
            let ((f0, f1), (d0, d1)) = (Lockout::MAX_FAILURES, Lockout::DURATION_MINUTES);
            return Err(self.error(ApiError::bad_request(format!(
                "max_failures must be between {f0} and {f1} and duration_minutes between {d0} and {d1}"
            ))));
        }
        self.atomically(Access::Write, |tx, _| Ok(save(tx, policy)?))
    }

    /// The lockout policy of the store.
    pub fn lockout_policy(&self) -> Result<Lockout, ErrorResponse> {
        self.atomically(Access::Read, |tx, _| Ok(current(tx)?))
    }
}
