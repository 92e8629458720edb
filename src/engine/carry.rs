//! What a copy of a store brings along besides its users and TOTPs: the meta
//! records its values and rules depend on (key checks, the sealers in use,
//! the recovery-code hash key, the lockout policy), merged into the
//! destination only where the destination's configuration can use them.

use super::config::Config;
use super::error::ApiError;
use super::keyring::{self, CarriedKeys};
use super::vault::Vault;
use super::{Failure, Tx, policy};
use crate::store::{Access, Store, StoreError};

/// Reads the source's meta records and merges them into the destination in
/// one transaction, before any user or TOTP is copied. Refused (nothing
/// written) with `encryption_key_mismatch` when the keys of `destination`
/// (inline keys only: a copy has no key provider) cannot open what the
/// source sealed, and with `lockout_policy_mismatch` when the two stores, or
/// the destination's configuration, have other lockout policies. Running it
/// again is harmless.
pub fn carry_meta(
    source: &dyn Store,
    destination: &dyn Store,
    config: &Config,
) -> Result<(), ApiError> {
    let keys = keyring::resolve_keys(&config.encryption_keys, &mut |_| None)?;
    let vault = Vault::new(&keys);
    let mut carried = None;
    source.transaction(Access::Read, &mut |tx| {
        carried = Some((CarriedKeys::read(tx)?, policy::stored(tx)?));
        Ok(())
    })?;
    let (keys, lockout) = carried.ok_or_else(|| ApiError::internal("the source was not read"))?;
    let mut refused = None;
    let stored = destination.transaction(Access::Write, &mut |store| {
        refused = None;
        let mut tx = Tx {
            store,
            access: Access::Write,
        };
        let adopted = keys
            .adopt(&mut tx, &vault)
            .and_then(|()| policy::adopt(&mut tx, lockout, config.lockout));
        match adopted {
            Ok(()) => Ok(()),
            Err(Failure::Store(e)) => Err(e),
            Err(Failure::Api(e) | Failure::Abort(e)) => {
                refused = Some(e);
                Err(StoreError::Failed("refused".into()))
            }
            Err(Failure::NeedsWrite) => Err(StoreError::Failed("a repair in a write".into())),
            Err(Failure::NeedsKey) => Err(StoreError::Failed("a signing key in a copy".into())),
        }
    });
    match (stored, refused) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
    }
}
