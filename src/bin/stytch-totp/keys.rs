//! `keys check|rotate`: the encryption keys against the store, and
//! re-sealing it under the active key.

use crate::failure::{Exit, Failure, Outcome};
use crate::output::{Output, progress_bar};
use crate::settings::Settings;
use serde::Serialize;
use std::fmt::Write as _;
use stytch_totp::engine::{Client, KeyReport, KeyState, key_report};
use stytch_totp::store;

pub fn check(out: &Output, settings: &Settings) -> Outcome<Exit> {
    let config = settings.config()?;
    let store = store::open(&config)?;
    let report = key_report(store.as_ref(), &config)?;
    out.print(&report, describe_report);
    Ok(match report.fits() {
        true => Exit::Ok,
        false => Exit::KeyMismatch,
    })
}

#[derive(Serialize)]
struct RotateBody {
    /// TOTPs re-sealed by this run.
    resealed: u64,
    active_key: String,
    /// Keys given that the store no longer uses: they can be removed.
    unused_keys: Vec<String>,
    report: KeyReport,
}

pub fn rotate(out: &Output, settings: &Settings, batch: u64) -> Outcome<()> {
    let config = settings.config()?;
    let Some(active) = config.encryption_keys.first().map(|k| k.id.clone()) else {
        return Err(Failure::usage(
            "keys rotate needs the encryption keys, the new one first: set STYTCH_TOTP_KEYS \
             or --keys-file",
        ));
    };
    let client = Client::new(config)?;
    let before = client.key_report()?;
    let bar = progress_bar(before.totps_to_reseal, "re-sealing TOTPs");
    let mut resealed = 0;
    loop {
        let n = client.rewrap(batch as usize)?;
        if n == 0 {
            break;
        }
        resealed += n;
        bar.inc(n);
    }
    bar.finish_and_clear();
    let report = client.key_report()?;
    let unused_keys = report
        .keys
        .iter()
        .filter(|k| !report.in_use.iter().flatten().any(|s| s == &k.id))
        .map(|k| k.id.clone())
        .collect();
    let body = RotateBody {
        resealed,
        active_key: active,
        unused_keys,
        report,
    };
    out.print(&body, |b| {
        let mut text = format!(
            "re-sealed {} TOTP(s); every value is under key {} now\n",
            b.resealed, b.active_key
        );
        if !b.unused_keys.is_empty() {
            let _ = writeln!(
                text,
                "no longer in use: {} (remove from every configuration)",
                b.unused_keys.join(", ")
            );
        }
        text
    });
    Ok(())
}

/// The report as lines of text.
pub fn describe_report(report: &KeyReport) -> String {
    let mut text = String::new();
    for key in &report.keys {
        let role = if key.active { " (active)" } else { "" };
        let state = match key.state {
            KeyState::Matches => "matches the store",
            KeyState::New => "new to the store",
            KeyState::Mismatch => "is NOT the key the store knows by this id",
        };
        let _ = writeln!(text, "key {}{role}: {state}", key.id);
    }
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "unencrypted".to_owned());
    let in_use: Vec<String> = report.in_use.iter().map(name).collect();
    if !in_use.is_empty() {
        let _ = writeln!(text, "in use: {}", in_use.join(", "));
    }
    let missing = report.missing_keys();
    if !missing.is_empty() {
        let _ = writeln!(text, "missing keys: {}", missing.join(", "));
    }
    let mut by_sealer: Vec<String> = report
        .totps_by_sealer
        .iter()
        .map(|c| match &c.key_id {
            Some(kid) => format!("{} under {kid}", c.totps),
            None => format!("{} unencrypted", c.totps),
        })
        .collect();
    if report.totps_unreadable > 0 {
        by_sealer.push(format!("{} unreadable", report.totps_unreadable));
    }
    let _ = write!(text, "TOTPs: {}", report.totps);
    if !by_sealer.is_empty() {
        let _ = write!(text, " ({})", by_sealer.join(", "));
    }
    if !report.keys.is_empty() {
        let _ = write!(text, "; {} to re-seal", report.totps_to_reseal);
    }
    text.push('\n');
    text
}
