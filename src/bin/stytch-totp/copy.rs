//! `store copy`: every user, TOTP and session of one store into another, through the
//! library's resumable copy, with a progress bar.

use crate::failure::{Failure, Outcome};
use crate::output::{Output, progress_bar};
use crate::settings::{Settings, describe, require_existing};
use serde::Serialize;
use stytch_totp::engine::config::IN_MEMORY;
use stytch_totp::store;

#[derive(Serialize)]
struct CopyBody {
    source: String,
    destination: String,
    /// Rows the source holds.
    source_users: u64,
    source_totps: u64,
    /// Rows written by this run (a resumed copy writes only the rest).
    users: u64,
    totps: u64,
    sessions: u64,
    finished: bool,
}

pub fn run(out: &Output, settings: &Settings, src: &str, dst: &str, batch: u64) -> Outcome<()> {
    if src == IN_MEMORY || dst == IN_MEMORY {
        return Err(Failure::usage(
            "an in-memory store lives only inside one process: it cannot be copied from or into",
        ));
    }
    if src == dst {
        return Err(Failure::usage("SRC and DST are the same store"));
    }
    require_existing(src)?;
    let source = settings.config_for(src)?;
    let destination = settings.config_for(dst)?;
    let held = store::open(&source)?.survey()?;
    let rows = held.users + held.totps;
    let bar = progress_bar(rows, "copying users, then TOTPs, then sessions");
    let done = store::copy(&source, &destination, batch as usize, &mut |so_far| {
        bar.set_position((so_far.users + so_far.totps).min(rows));
        true
    })?;
    bar.finish_and_clear();
    let body = CopyBody {
        source: describe(src),
        destination: describe(dst),
        source_users: held.users,
        source_totps: held.totps,
        users: done.users,
        totps: done.totps,
        sessions: done.sessions,
        finished: done.finished,
    };
    out.print(&body, |b| {
        format!(
            "copied {} user(s), {} TOTP(s) and {} session(s) from {} into {}; \
             the copy is complete\n",
            b.users, b.totps, b.sessions, b.source, b.destination
        )
    });
    Ok(())
}
