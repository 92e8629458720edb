//! `sessions purge`: deleting the expired sessions a store holds.

use crate::failure::Outcome;
use crate::output::Output;
use crate::settings::Settings;
use serde::Serialize;
use stytch_totp::engine::Client;

#[derive(Serialize)]
struct PurgeBody {
    /// Expired sessions deleted by this run.
    purged: u64,
}

pub fn purge(out: &Output, settings: &Settings, batch: u64) -> Outcome<()> {
    let client = Client::new(settings.config()?)?;
    let purged = client.purge_expired_sessions(batch as usize)?;
    out.print(&PurgeBody { purged }, |b| {
        format!("deleted {} expired session(s)\n", b.purged)
    });
    Ok(())
}
