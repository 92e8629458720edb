//! The keys a store's values are sealed under: checked when a client opens,
//! recorded as they are used, and changed by re-sealing (`rewrap`).
//!
//! Two kinds of meta records:
//! - `key_check:<kid>`: a constant sealed under that key the first time a
//!   client brings it. A key that does not open it is not the key the store
//!   knows by that id.
//! - `sealed_under`: the sealers the store's values may be under (key ids,
//!   `""` for plaintext), and those a re-sealing pass is draining. A client
//!   whose keys do not cover them does not open. Every transaction that seals
//!   names its sealer here, so a pass never forgets a key still in use.

use super::config::KeySpec;
use super::error::ApiError;
use super::secrets::{self, HASH_KEY_META, HashKey, RecoveryCodes};
use super::sessions::{SIGNING_KEYS_META, merge_signing_keys};
use super::vault::{KeyBytes, Sealer, Vault, sealer_of};
use super::{Client, ErrorResponse, Failure, Tx};
use crate::store::{Access, StoreError, StoreTx, TotpRecord};
use serde::{Deserialize, Serialize};
use std::sync::PoisonError;
use std::sync::atomic::Ordering;

const CHECK_TEXT: &[u8] = b"stytch_totp key check v1";
const SEALERS_META: &str = "sealed_under";
/// The most TOTPs one re-sealing transaction takes.
pub const MAX_REWRAP_BATCH: usize = 10_000;

fn check_meta(kid: &str) -> String {
    format!("key_check:{kid}")
}

/// The 32 bytes of every configured key, asking `provider` for those the
/// configuration lists without one.
pub fn resolve_keys(
    specs: &[KeySpec],
    provider: super::KeyProvider,
) -> Result<Vec<(String, KeyBytes)>, ApiError> {
    specs
        .iter()
        .map(|spec| {
            let key = match &spec.key {
                Some(key) => key.clone(),
                None => provider(&spec.id).ok_or_else(|| {
                    ApiError::invalid_config(format!(
                        "encryption key {:?} has no key, and no key provider supplied one",
                        spec.id
                    ))
                })?,
            };
            Ok((spec.id.clone(), key))
        })
        .collect()
}

/// The `sealed_under` record.
#[derive(Default, Serialize, Deserialize)]
struct Sealers {
    in_use: Vec<String>,
    draining: Vec<String>,
}

impl Sealers {
    /// The record, or what a store without one holds: nothing, or plaintext
    /// values (TOTPs written before values were sealed, such as those of a
    /// file of the first schema).
    fn load(tx: &mut dyn StoreTx) -> Result<Self, StoreError> {
        let Some(bytes) = tx.meta(SEALERS_META)? else {
            let plain = !tx.totps_page(None, 1)?.is_empty();
            return Ok(Self {
                in_use: plain.then(String::new).into_iter().collect(),
                draining: Vec::new(),
            });
        };
        serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::Failed(format!("the {SEALERS_META} record is corrupt: {e}")))
    }

    fn save(&self, tx: &mut dyn StoreTx) -> Result<(), StoreError> {
        let json = serde_json::to_vec(self).map_err(|e| StoreError::Failed(e.to_string()))?;
        tx.put_meta(SEALERS_META, &json)
    }

    /// Records that `sealer` seals values now; true if that changed the record.
    fn note(&mut self, sealer: Sealer<'_>) -> bool {
        let name = sealer.name();
        let added = !self.in_use.iter().any(|s| s == name);
        if added {
            self.in_use.push(name.to_owned());
        }
        let draining = self.draining.len();
        self.draining.retain(|s| s != name);
        added || draining != self.draining.len()
    }
}

/// When a client opens: every configured key must open its check record, and
/// every sealer in use must be configured. Only then are check records of new
/// keys written and the active sealer noted (a failure aborts, writing
/// nothing). Returns whether the store may still hold plaintext values.
pub fn settle(tx: &mut Tx<'_>, vault: &Vault) -> Result<bool, Failure> {
    let mut new_keys = Vec::new();
    for kid in vault.key_ids() {
        let place = secrets::meta_place(&check_meta(kid));
        match tx.meta(&check_meta(kid))? {
            Some(check) => match vault.open(&place, &check, false) {
                Ok(text) if text.as_slice() == CHECK_TEXT => {}
                _ => {
                    return Err(Failure::Abort(ApiError::encryption_key_mismatch(format!(
                        "key {kid:?} is not the key this store knows by that id"
                    ))));
                }
            },
            None => new_keys.push(kid),
        }
    }
    let mut sealers = Sealers::load(tx)?;
    let configured: Vec<&str> = vault.key_ids().collect();
    let missing = sealers
        .in_use
        .iter()
        .find(|s| !s.is_empty() && !configured.contains(&s.as_str()));
    if let Some(kid) = missing {
        return Err(Failure::Abort(ApiError::encryption_key_mismatch(format!(
            "the store holds values sealed under key {kid:?}, which is not in encryption_keys"
        ))));
    }
    for kid in new_keys {
        let place = secrets::meta_place(&check_meta(kid));
        if let Some(check) = vault.seal_with(kid, &place, CHECK_TEXT) {
            tx.put_meta(&check_meta(kid), check.as_bytes())?;
        }
    }
    if sealers.note(vault.active()) {
        sealers.save(tx)?;
    }
    Ok(sealers.in_use.iter().any(String::is_empty))
}

/// In a transaction that seals: the active sealer is recorded as in use.
pub fn note_sealing(tx: &mut dyn StoreTx, vault: &Vault) -> Result<(), StoreError> {
    let mut sealers = Sealers::load(tx)?;
    if sealers.note(vault.active()) {
        sealers.save(tx)?;
    }
    Ok(())
}

/// A re-sealing pass: started (the sealers to drain are recorded), and the
/// last TOTP it has been through.
#[derive(Default)]
pub struct Pass {
    started: bool,
    after: Option<String>,
}

impl Client {
    /// Re-seals under the active key, one transaction of at most `batch_size`
    /// TOTPs after another, until it has re-sealed some or has been through
    /// them all; returns how many it re-sealed. 0 means the pass is complete:
    /// every value is under the active key, and the store no longer counts
    /// the other keys (or plaintext) as in use, so they can be removed from
    /// the configuration. Idempotent; other clients keep working meanwhile.
    pub fn rewrap(&self, batch_size: usize) -> Result<u64, ErrorResponse> {
        if !self.vault.encrypts() {
            return Err(self.error(ApiError::invalid_config(
                "rewrap seals under the active key: encryption_keys is empty",
            )));
        }
        if !(1..=MAX_REWRAP_BATCH).contains(&batch_size) {
            return Err(self.error(ApiError::bad_request(format!(
                "batch_size must be between 1 and {MAX_REWRAP_BATCH}"
            ))));
        }
        let mut pass = self.rewrap.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let (resealed, last, finished) = self.atomically(Access::Write, |tx, _| {
                match pass.started {
                    false => self.start_pass(tx)?,
                    true => note_sealing(tx, &self.vault)?,
                }
                let page = tx.totps_page(pass.after.as_deref(), batch_size)?;
                let mut resealed = 0;
                for totp in &page {
                    if self.reseal(tx, totp)? {
                        resealed += 1;
                    }
                }
                let finished = page.len() < batch_size;
                let accept_plain = match finished {
                    true => finish_pass(tx)?,
                    false => self.accept_plain.load(Ordering::Relaxed),
                };
                let last = page.last().map(|t| t.totp_id.clone());
                Ok((resealed, last, finished.then_some(accept_plain)))
            })?;
            match finished {
                Some(accept_plain) => {
                    self.accept_plain.store(accept_plain, Ordering::Relaxed);
                    *pass = Pass::default();
                    // What was sealed under the old keys leaves the files too.
                    self.store
                        .erase_removed()
                        .map_err(|e| self.error(e.into()))?;
                    return Ok(resealed);
                }
                None => {
                    pass.started = true;
                    pass.after = last;
                }
            }
            if resealed > 0 {
                return Ok(resealed);
            }
        }
    }

    /// Records the sealers other than the active one as draining, and moves
    /// the recovery-code hash key to the active key.
    fn start_pass(&self, tx: &mut Tx<'_>) -> Result<(), Failure> {
        let mut sealers = Sealers::load(tx)?;
        let active = self.vault.active();
        sealers.note(active);
        sealers.draining = sealers
            .in_use
            .iter()
            .filter(|s| s.as_str() != active.name())
            .cloned()
            .collect();
        sealers.save(tx)?;
        if let Some(sealed) = tx.meta(HASH_KEY_META)?
            && sealer_of(&sealed).ok() != Some(active)
        {
            let key = HashKey::open(&self.vault, &sealed)?;
            tx.put_meta(HASH_KEY_META, key.seal(&self.vault).as_bytes())?;
        }
        if let Some(sealed) = tx.meta(SIGNING_KEYS_META)?
            && sealer_of(&sealed).ok() != Some(active)
        {
            let place = secrets::meta_place(SIGNING_KEYS_META);
            let plain = self.accept_plain.load(Ordering::Relaxed);
            let keys = self.vault.open(&place, &sealed, plain).map_err(|e| {
                StoreError::Failed(format!("the session keys cannot be opened: {e}"))
            })?;
            tx.put_meta(SIGNING_KEYS_META, self.vault.seal(&place, &keys).as_bytes())?;
        }
        Ok(())
    }

    /// Re-seals one TOTP's values if either is not under the active key.
    fn reseal(&self, tx: &mut Tx<'_>, totp: &TotpRecord) -> Result<bool, Failure> {
        let active = Some(self.vault.active());
        if sealer_of(totp.secret.as_bytes()).ok() == active
            && sealer_of(totp.recovery_codes.as_bytes()).ok() == active
        {
            return Ok(false);
        }
        let plain = self.accept_plain.load(Ordering::Relaxed);
        let key = secrets::open_key(&self.vault, totp, plain)?;
        let codes = RecoveryCodes::open(&self.vault, totp, plain)?;
        let resealed = TotpRecord {
            secret: secrets::seal_key(&self.vault, &totp.totp_id, &totp.user_id, &key),
            recovery_codes: codes.seal(&self.vault, &totp.totp_id, &totp.user_id),
            ..totp.clone()
        };
        tx.put_totp(&resealed)?;
        Ok(true)
    }
}

/// Ends a pass that has been through every TOTP: the sealers still draining
/// (no transaction sealed under them since the pass started) are no longer in
/// use. Returns whether plaintext values may remain.
fn finish_pass(tx: &mut Tx<'_>) -> Result<bool, Failure> {
    let mut sealers = Sealers::load(tx)?;
    let draining = std::mem::take(&mut sealers.draining);
    sealers.in_use.retain(|s| !draining.contains(s));
    sealers.save(tx)?;
    Ok(sealers.in_use.iter().any(String::is_empty))
}

/// What a copy of a store must bring to its destination for the copied values
/// to open there: the sealers in use, the key check of each, the key of the
/// recovery-code hashes, and the session signing keys. Sealed values
/// themselves are copied verbatim: their associated data names the table,
/// row, column and owner, which a copy keeps.
pub struct CarriedKeys {
    sealers: Sealers,
    checks: Vec<(String, Vec<u8>)>,
    hash_key: Option<Vec<u8>>,
    signing_keys: Option<Vec<u8>>,
}

impl CarriedKeys {
    pub fn read(tx: &mut dyn StoreTx) -> Result<Self, StoreError> {
        let sealers = Sealers::load(tx)?;
        let mut checks = Vec::new();
        for kid in sealers.in_use.iter().filter(|s| !s.is_empty()) {
            if let Some(check) = tx.meta(&check_meta(kid))? {
                checks.push((kid.clone(), check));
            }
        }
        let hash_key = tx.meta(HASH_KEY_META)?;
        let signing_keys = tx.meta(SIGNING_KEYS_META)?;
        Ok(Self {
            sealers,
            checks,
            hash_key,
            signing_keys,
        })
    }

    /// Merges them into the destination, refusing (and writing nothing) when
    /// the keys `vault` holds, those of the destination's configuration,
    /// cannot open what the source sealed, or when the destination hashes
    /// recovery codes under a key of its own. Session signing keys are
    /// copied as they are, or merged with the destination's own (both kept).
    /// Ends with the checks a client makes when it opens the destination.
    pub fn adopt(&self, tx: &mut Tx<'_>, vault: &Vault) -> Result<(), Failure> {
        let mismatch = |detail: String| Failure::Abort(ApiError::encryption_key_mismatch(detail));
        for (kid, check) in &self.checks {
            let place = secrets::meta_place(&check_meta(kid));
            let configured = vault.key_ids().any(|k| k == kid);
            let opens = vault
                .open(&place, check, false)
                .is_ok_and(|text| text.as_slice() == CHECK_TEXT);
            if configured && !opens {
                return Err(mismatch(format!(
                    "key {kid:?} is not the key the source store knows by that id"
                )));
            }
            if tx.meta(&check_meta(kid))?.is_none() {
                tx.put_meta(&check_meta(kid), check)?;
            }
        }
        if let Some(sealed) = &self.hash_key {
            let theirs = HashKey::open(vault, sealed).map_err(|e| mismatch(e.to_string()))?;
            match tx.meta(HASH_KEY_META)? {
                None => tx.put_meta(HASH_KEY_META, sealed)?,
                Some(ours) if HashKey::open(vault, &ours)? == theirs => {}
                Some(_) => {
                    return Err(mismatch(
                        "the destination store hashes recovery codes under a key of its own".into(),
                    ));
                }
            }
        }
        let mut sealers = Sealers::load(tx)?;
        if let Some(theirs) = &self.signing_keys {
            match tx.meta(SIGNING_KEYS_META)? {
                None => tx.put_meta(SIGNING_KEYS_META, theirs)?,
                Some(ours) if ours == *theirs => {}
                Some(ours) => {
                    let plain = |s: &Sealers| s.in_use.iter().any(String::is_empty);
                    let merged = merge_signing_keys(
                        vault,
                        (theirs, plain(&self.sealers)),
                        (&ours, plain(&sealers)),
                    )
                    .map_err(|e| mismatch(e.to_string()))?;
                    tx.put_meta(SIGNING_KEYS_META, &merged)?;
                }
            }
        }
        for sealer in &self.sealers.in_use {
            if !sealers.in_use.contains(sealer) {
                sealers.in_use.push(sealer.clone());
            }
        }
        // A re-sealing pass under way on the destination has not been
        // through the copied values.
        sealers
            .draining
            .retain(|s| !self.sealers.in_use.contains(s));
        sealers.save(tx)?;
        settle(tx, vault).map(drop)
    }
}

/// What a key does for a store, as `KeyReport` tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// The store knows this id, and this key opens its check.
    Matches,
    /// The store has no check for this id yet: the first client to bring it
    /// writes one.
    New,
    /// The store knows this id by another key: clients with it are refused.
    Mismatch,
}

/// One configured key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyStatus {
    pub id: String,
    /// The first key: it seals.
    pub active: bool,
    pub state: KeyState,
}

/// How many TOTPs have their key sealed under one sealer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SealerCount {
    /// The key id; `None` for values stored unencrypted.
    pub key_id: Option<String>,
    pub totps: u64,
}

/// The configured keys against a store: whether each is the key the store
/// knows by its id, which sealers the store records as in use, and what its
/// TOTPs are sealed under. Read-only; no key and no value is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyReport {
    /// The configured keys, the active one first.
    pub keys: Vec<KeyStatus>,
    /// What the store's values may be sealed under (`None`: unencrypted).
    /// Clients must be configured with every key listed.
    pub in_use: Vec<Option<String>>,
    /// The sealers a re-sealing pass under way is draining.
    pub draining: Vec<Option<String>>,
    /// TOTPs by the sealer of their key.
    pub totps_by_sealer: Vec<SealerCount>,
    /// TOTPs with a value that is not an envelope of this library.
    pub totps_unreadable: u64,
    /// TOTPs with a value not under the active key: what a rewrap re-seals.
    pub totps_to_reseal: u64,
    pub totps: u64,
}

impl KeyReport {
    /// Key ids the store's values may be sealed under that are not configured.
    pub fn missing_keys(&self) -> Vec<&str> {
        self.in_use
            .iter()
            .flatten()
            .filter(|kid| !self.keys.iter().any(|k| &k.id == *kid))
            .map(String::as_str)
            .collect()
    }

    /// Whether a client with the configured keys opens the store.
    pub fn fits(&self) -> bool {
        self.missing_keys().is_empty() && self.keys.iter().all(|k| k.state != KeyState::Mismatch)
    }
}

/// TOTPs read per page while a report counts them.
const REPORT_PAGE: usize = 1_000;

/// The report on `store` for the keys of `config` (inline keys only), in one
/// read transaction that writes nothing.
pub fn key_report(
    store: &dyn crate::store::Store,
    config: &super::Config,
) -> Result<KeyReport, ApiError> {
    let keys = resolve_keys(&config.encryption_keys, &mut |_| None)?;
    let vault = Vault::new(&keys);
    let mut report = None;
    store.transaction(Access::Read, &mut |tx| {
        report = Some(report_on(tx, &vault)?);
        Ok(())
    })?;
    report.ok_or_else(|| ApiError::internal("the store was not read"))
}

impl Client {
    /// The report on this client's keys and its store (see [`KeyReport`]).
    pub fn key_report(&self) -> Result<KeyReport, ErrorResponse> {
        self.atomically(Access::Read, |tx, _| Ok(report_on(tx, &self.vault)?))
    }
}

fn report_on(tx: &mut dyn StoreTx, vault: &Vault) -> Result<KeyReport, StoreError> {
    let active = vault.active();
    let mut keys = Vec::new();
    for (i, kid) in vault.key_ids().enumerate() {
        let place = secrets::meta_place(&check_meta(kid));
        let state = match tx.meta(&check_meta(kid))? {
            None => KeyState::New,
            Some(check) => match vault.open(&place, &check, false) {
                Ok(text) if text.as_slice() == CHECK_TEXT => KeyState::Matches,
                _ => KeyState::Mismatch,
            },
        };
        keys.push(KeyStatus {
            id: kid.to_owned(),
            active: i == 0,
            state,
        });
    }
    let sealers = Sealers::load(tx)?;
    let named = |names: &[String]| -> Vec<Option<String>> {
        let name = |s: &String| (!s.is_empty()).then(|| s.clone());
        names.iter().map(name).collect()
    };
    let mut report = KeyReport {
        keys,
        in_use: named(&sealers.in_use),
        draining: named(&sealers.draining),
        totps_by_sealer: Vec::new(),
        totps_unreadable: 0,
        totps_to_reseal: 0,
        totps: 0,
    };
    let mut after: Option<String> = None;
    loop {
        let page = tx.totps_page(after.as_deref(), REPORT_PAGE)?;
        for totp in &page {
            report.totps += 1;
            let secret = sealer_of(totp.secret.as_bytes());
            let codes = sealer_of(totp.recovery_codes.as_bytes());
            if secret.as_ref().ok() != Some(&active) || codes.as_ref().ok() != Some(&active) {
                report.totps_to_reseal += 1;
            }
            let Ok(sealer) = secret else {
                report.totps_unreadable += 1;
                continue;
            };
            let key_id = match sealer {
                Sealer::Plain => None,
                Sealer::Key(kid) => Some(kid.to_owned()),
            };
            match report
                .totps_by_sealer
                .iter_mut()
                .find(|c| c.key_id == key_id)
            {
                Some(count) => count.totps += 1,
                None => report
                    .totps_by_sealer
                    .push(SealerCount { key_id, totps: 1 }),
            }
        }
        if page.len() < REPORT_PAGE {
            return Ok(report);
        }
        after = page.last().map(|t| t.totp_id.clone());
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::engine::{Config, CreateUserRequest, KeySpec};

    fn spec(id: &str, byte: u8) -> KeySpec {
        KeySpec {
            id: id.to_owned(),
            key: Some(KeyBytes::new([byte; 32])),
        }
    }

    fn report(config: &Config) -> KeyReport {
        let store = crate::store::open(config).unwrap();
        key_report(store.as_ref(), config).unwrap()
    }

    fn state(report: &KeyReport, id: &str) -> KeyState {
        report.keys.iter().find(|k| k.id == id).unwrap().state
    }

    #[test]
    fn a_report_tells_each_key_and_what_the_totps_are_sealed_under() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("t.db").to_str().unwrap().to_owned();
        let old = Config {
            database,
            encryption_keys: vec![spec("old", 1)],
            ..Config::default()
        };
        let client = Client::new(old.clone()).unwrap();
        for _ in 0..3 {
            let user = client
                .create_user(&CreateUserRequest::with_fresh_email())
                .unwrap();
            client.create_totp(&user.user_id, None).unwrap();
        }
        drop(client);

        let before = report(&old);
        assert_eq!(before.keys.len(), 1);
        assert_eq!(state(&before, "old"), KeyState::Matches);
        assert_eq!(before.in_use, [Some("old".to_owned())]);
        let sealed = SealerCount {
            key_id: Some("old".into()),
            totps: 3,
        };
        assert_eq!(before.totps_by_sealer, [sealed]);
        assert_eq!((before.totps, before.totps_to_reseal), (3, 0));
        assert!(before.fits());

        // A new key first: every TOTP is to re-seal, and the report wrote nothing.
        let rotated = Config {
            encryption_keys: vec![spec("new", 2), spec("old", 1)],
            ..old.clone()
        };
        let pending = report(&rotated);
        assert_eq!(state(&pending, "new"), KeyState::New);
        assert!(pending.keys[0].active && !pending.keys[1].active);
        assert_eq!(pending.totps_to_reseal, 3);
        assert!(pending.fits());
        assert_eq!(report(&rotated).keys[0].state, KeyState::New);

        // The wrong key under the old id, or the old key left out: refused.
        let wrong = Config {
            encryption_keys: vec![spec("old", 9)],
            ..old.clone()
        };
        assert_eq!(state(&report(&wrong), "old"), KeyState::Mismatch);
        assert!(!report(&wrong).fits());
        let without = Config {
            encryption_keys: vec![spec("new", 2)],
            ..old.clone()
        };
        assert_eq!(report(&without).missing_keys(), ["old"]);
        assert!(!report(&without).fits());

        // After a rewrap everything is under the new key.
        let client = Client::new(rotated.clone()).unwrap();
        while client.rewrap(2).unwrap() > 0 {}
        let after = client.key_report().unwrap();
        assert_eq!(after.totps_to_reseal, 0);
        assert_eq!(after.in_use, [Some("new".to_owned())]);
        let resealed = SealerCount {
            key_id: Some("new".into()),
            totps: 3,
        };
        assert_eq!(after.totps_by_sealer, [resealed]);
    }
}
