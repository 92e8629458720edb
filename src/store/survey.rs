//! What an operator checks of a store's storage (`stytch-totp doctor`): its
//! schema version, how much it holds, and what its own integrity check finds.

use super::{Access, StoreResult, StoreTx};
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Survey {
    /// The schema version the storage holds (`None`: it has no schema).
    pub schema_version: Option<i64>,
    /// The newest schema version this library reads and writes.
    pub supported_schema_version: Option<i64>,
    pub users: u64,
    pub totps: u64,
    /// What the storage's own integrity check found wrong (empty: nothing);
    /// `None` where the storage has no such check.
    pub integrity_problems: Option<Vec<String>>,
}

/// Rows read per page by [`count_by_pages`].
const PAGE: usize = 1_000;

/// Users and TOTPs counted page by page in one read transaction: for stores
/// that have no faster way.
pub fn count_by_pages(
    transaction: impl FnOnce(
        Access,
        &mut dyn FnMut(&mut dyn StoreTx) -> StoreResult<()>,
    ) -> StoreResult<()>,
) -> StoreResult<(u64, u64)> {
    let mut counts = (0, 0);
    transaction(Access::Read, &mut |tx| {
        counts = (0, 0);
        let mut after = None;
        loop {
            let page = tx.users_page(after.as_deref(), PAGE)?;
            counts.0 += page.len() as u64;
            if page.len() < PAGE {
                break;
            }
            after = page.last().map(|u| u.user_id.clone());
        }
        let mut after = None;
        loop {
            let page = tx.totps_page(after.as_deref(), PAGE)?;
            counts.1 += page.len() as u64;
            if page.len() < PAGE {
                break;
            }
            after = page.last().map(|t| t.totp_id.clone());
        }
        Ok(())
    })?;
    Ok(counts)
}
