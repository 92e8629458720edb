//! TOTP enrolment, authentication and recovery, with replay protection,
//! lockout and expiry.

use super::clock;
use super::config::RecoveryCodeStorage;
use super::drift;
use super::error::ApiError;
use super::ids::IdKind;
use super::keyring::note_sealing;
use super::models::{
    TotpAuthenticateResponse, TotpCreateResponse, TotpRecoverResponse, TotpRecoveryCodes,
    TotpRecoveryCodesResponse, User,
};
use super::policy;
use super::secrets::{self, HASH_KEY_META, HashKey, RecoveryCodes};
use super::sessions::{Issued, SessionArgs};
use super::users::{load_totps, load_user};
use super::view::{active_lock, is_usable, user_view};
use super::{Client, ErrorResponse, Failure, Tx};
use crate::otp::{self, CodeGenerator, RecoveryCodeInput, SecretKey};
use crate::qr;
use crate::sessions::Factor;
use crate::store::{Access, Lock, StoreError, StoreTx, TotpRecord, UserRecord};
use std::sync::atomic::Ordering;

/// `expiration_minutes`: absent or 0 means the default; otherwise this range.
pub const DEFAULT_EXPIRATION_MINUTES: i64 = 1440;
pub const EXPIRATION_MINUTES: (i64, i64) = (5, 1440);
/// Codes of the steps this far either side of now are accepted.
const WINDOW_STEPS: i64 = 1;

impl Client {
    /// `POST /v1/totps`: a new, unverified TOTP for the user, replacing a pending one.
    pub fn create_totp(
        &self,
        user_id: &str,
        expiration_minutes: Option<i64>,
    ) -> Result<TotpCreateResponse, ErrorResponse> {
        let minutes = match expiration_minutes {
            None | Some(0) => DEFAULT_EXPIRATION_MINUTES,
            Some(m) if (EXPIRATION_MINUTES.0..=EXPIRATION_MINUTES.1).contains(&m) => m,
            Some(_) => {
                let (min, max) = EXPIRATION_MINUTES;
                return Err(self.error(ApiError::invalid_expiration(min, max)));
            }
        };
        let key = otp::generate_key();
        let secret = key.to_base32();
        let recovery_codes = otp::generate_recovery_codes();
        let totp_id = self.new_id(IdKind::Totp);

        let (user, totp, account) = self.atomically(Access::Write, |tx, now| {
            let user = load_user(tx, user_id, now)?;
            let existing = tx.totps_of_user(&user.user_id)?;
            if existing.iter().any(|t| t.verified) {
                return Err(ApiError::active_totp_exists().into());
            }
            for pending in &existing {
                tx.delete_totp(&pending.totp_id)?;
            }
            if tx.totp(&totp_id)?.is_some() {
                return Err(StoreError::Failed(format!("TOTP ID {totp_id} is taken")).into());
            }
            let codes = match self.config.recovery_codes {
                RecoveryCodeStorage::Encrypted => RecoveryCodes::listed(&recovery_codes),
                RecoveryCodeStorage::Hashed => {
                    RecoveryCodes::hashed(&recovery_codes, &self.hash_key(tx, true)?)
                }
            };
            let totp = TotpRecord {
                totp_id: totp_id.clone(),
                user_id: user.user_id.clone(),
                secret: secrets::seal_key(&self.vault, &totp_id, &user.user_id, &key),
                verified: false,
                created_at: now,
                expires_at: clock::later(now, minutes * 60),
                last_step: None,
                recovery_codes: codes.seal(&self.vault, &totp_id, &user.user_id),
            };
            note_sealing(tx, &self.vault)?;
            tx.put_totp(&totp)?;
            let account = user
                .email
                .as_ref()
                .or(user.phone.as_ref())
                .map_or_else(|| user.user_id.clone(), |c| c.value.clone());
            let view = user_view(*user, std::slice::from_ref(&totp), now);
            Ok((view, totp, account))
        })?;

        // Drawn outside the transaction: the store is not held while the PNG is made.
        let uri = otp::otpauth_uri(&self.config.issuer, &account, secret.expose());
        let qr_code =
            qr::qr_data_uri(uri.expose()).map_err(|e| self.error(ApiError::internal(e)))?;
        Ok(TotpCreateResponse {
            status_code: 200,
            request_id: self.request_id(),
            totp_id: totp.totp_id,
            secret,
            qr_code,
            recovery_codes,
            user_id: user.user_id.clone(),
            user,
        })
    }

    /// `POST /v1/totps/authenticate`, without session arguments.
    pub fn authenticate_totp(
        &self,
        user_id: &str,
        totp_code: &str,
    ) -> Result<TotpAuthenticateResponse, ErrorResponse> {
        self.authenticate_totp_with_session(user_id, totp_code, &SessionArgs::default())
    }

    /// `POST /v1/totps/authenticate`: the code is consumed and the session
    /// started or extended in one transaction; an invalid session argument
    /// is refused before the code is looked at.
    pub fn authenticate_totp_with_session(
        &self,
        user_id: &str,
        totp_code: &str,
        session: &SessionArgs,
    ) -> Result<TotpAuthenticateResponse, ErrorResponse> {
        let (response, issued) = self.atomically(Access::Write, |tx, now| {
            let mut user = unlocked_user(tx, user_id, now)?;
            let code = otp::parse_totp_code(totp_code).ok_or_else(ApiError::invalid_totp_code)?;
            let mut totps = load_totps(tx, &user.user_id, now)?;
            let index = current_totp(&totps, now)?;
            let plan = self.plan_session(tx, &user.user_id, session, now)?;
            let totp = &mut totps[index];

            let key = self.open_key(totp)?;
            let generator = CodeGenerator::new(key.as_bytes()).ok_or_else(|| {
                StoreError::Failed(format!("TOTP {} has a corrupt secret", totp.totp_id))
            })?;
            let matches = generator.matching_steps(&code, otp::step_at(now), WINDOW_STEPS);
            let step = match unused_step(&matches, totp.last_step) {
                StepCheck::Accept(step) => step,
                StepCheck::Replay => return Err(ApiError::totp_code_already_authenticated().into()),
                StepCheck::NoMatch => {
                    let e = ApiError::unable_to_authenticate_totp();
                    return Err(count_failure(tx, user, now, e));
                }
            };
            totp.verified = true;
            totp.last_step = Some(step);
            tx.put_totp(totp)?;
            reset_failures(tx, &mut user)?;
            let factor = || Factor::Totp {
                totp_id: totps[index].totp_id.clone(),
            };
            let issued = self.carry_out(tx, plan, &user.user_id, factor, now)?;
            let view = user_view(*user, &totps, now);
            let totp_id = std::mem::take(&mut totps[index].totp_id);
            let response = self.session_less_response(totp_id, view);
            Ok((response, issued))
        })?;
        self.with_session(response, issued)
    }

    /// `POST /v1/totps/recovery_codes`: the unused codes of every usable TOTP.
    pub fn recovery_codes(
        &self,
        user_id: &str,
    ) -> Result<TotpRecoveryCodesResponse, ErrorResponse> {
        self.atomically(Access::Read, |tx, now| {
            let user = load_user(tx, user_id, now)?;
            let totps = load_totps(tx, &user.user_id, now)?;
            let listed = totps
                .into_iter()
                .filter(|t| is_usable(t, now))
                .map(|t| {
                    Ok(TotpRecoveryCodes {
                        recovery_codes: self.open_codes(&t)?.to_list(),
                        totp_id: t.totp_id,
                        verified: t.verified,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            Ok(TotpRecoveryCodesResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: user.user_id,
                totps: listed,
            })
        })
    }

    /// `POST /v1/totps/recover` without session arguments.
    pub fn recover(
        &self,
        user_id: &str,
        recovery_code: &str,
    ) -> Result<TotpRecoverResponse, ErrorResponse> {
        self.recover_with_session(user_id, recovery_code, &SessionArgs::default())
    }

    /// `POST /v1/totps/recover`: consumes one recovery code and, in the same
    /// transaction, starts or extends the session.
    pub fn recover_with_session(
        &self,
        user_id: &str,
        recovery_code: &str,
        session: &SessionArgs,
    ) -> Result<TotpRecoverResponse, ErrorResponse> {
        let (response, issued) = self.atomically(Access::Write, |tx, now| {
            let mut user = unlocked_user(tx, user_id, now)?;
            let code = match otp::parse_recovery_code(recovery_code) {
                RecoveryCodeInput::Code(code) => code,
                RecoveryCodeInput::TotpCode => {
                    return Err(ApiError::totp_code_used_as_recovery_code().into());
                }
                RecoveryCodeInput::Malformed => {
                    return Err(ApiError::invalid_recovery_code().into());
                }
            };
            let mut totps = load_totps(tx, &user.user_id, now)?;
            // The same errors as authenticate when there is nothing to recover.
            current_totp(&totps, now)?;
            let plan = self.plan_session(tx, &user.user_id, session, now)?;
            let Some((t, mut codes, hash_key)) =
                self.find_recovery_code(tx, &totps, now, code.expose())?
            else {
                let e = ApiError::unable_to_authenticate_recovery_code();
                return Err(count_failure(tx, user, now, e));
            };
            let totp = &mut totps[t];
            // A second factor was shown: a step accepted under a clock far
            // ahead no longer blocks this TOTP's codes.
            drift::settle_step(totp, now, WINDOW_STEPS);
            codes.remove(code.expose(), hash_key.as_ref());
            totp.recovery_codes = codes.seal(&self.vault, &totp.totp_id, &totp.user_id);
            note_sealing(tx, &self.vault)?;
            tx.put_totp(totp)?;
            reset_failures(tx, &mut user)?;
            // Each code is used once: each use is a factor of its own.
            let factor = || Factor::RecoveryCode {
                totp_recovery_code_id: self.new_id(IdKind::TotpRecoveryCode),
            };
            let issued = self.carry_out(tx, plan, &user.user_id, factor, now)?;
            let view = user_view(*user, &totps, now);
            let totp_id = std::mem::take(&mut totps[t].totp_id);
            let response = self.session_less_response(totp_id, view);
            Ok((response, issued))
        })?;
        self.with_session(response, issued)
    }

    fn open_key(&self, totp: &TotpRecord) -> Result<SecretKey, StoreError> {
        secrets::open_key(&self.vault, totp, self.accept_plain.load(Ordering::Relaxed))
    }

    fn open_codes(&self, totp: &TotpRecord) -> Result<RecoveryCodes, StoreError> {
        RecoveryCodes::open(&self.vault, totp, self.accept_plain.load(Ordering::Relaxed))
    }

    /// The key of the recovery-code hashes, made and stored on first use when
    /// `create` (in hashed mode).
    fn hash_key(&self, tx: &mut dyn StoreTx, create: bool) -> Result<HashKey, StoreError> {
        match tx.meta(HASH_KEY_META)? {
            Some(sealed) => HashKey::open(&self.vault, &sealed),
            None if create => {
                let key = HashKey::generate();
                tx.put_meta(HASH_KEY_META, key.seal(&self.vault).as_bytes())?;
                Ok(key)
            }
            None => Err(StoreError::Failed(
                "hashed recovery codes, but no hash key".into(),
            )),
        }
    }

    /// Finds `code` among the unused codes of the usable TOTPs, comparing with
    /// every one of them in constant time: the index of the TOTP that holds
    /// it, its opened codes and, for hashed codes, the hash key.
    #[allow(clippy::type_complexity)]
    fn find_recovery_code(
        &self,
        tx: &mut dyn StoreTx,
        totps: &[TotpRecord],
        now: i64,
        code: &str,
    ) -> Result<Option<(usize, RecoveryCodes, Option<HashKey>)>, StoreError> {
        let mut found = None;
        for (t, totp) in totps.iter().enumerate().filter(|(_, t)| is_usable(t, now)) {
            let codes = self.open_codes(totp)?;
            let hash_key = match codes.is_hashed() {
                true => Some(self.hash_key(tx, false)?),
                false => None,
            };
            if codes.contains(code, hash_key.as_ref()) {
                found = Some((t, codes, hash_key));
            }
        }
        Ok(found)
    }

    /// Adds the session a sign-in started or extended to its response.
    fn with_session(
        &self,
        mut response: TotpAuthenticateResponse,
        issued: Option<Box<Issued>>,
    ) -> Result<TotpAuthenticateResponse, ErrorResponse> {
        if let Some(issued) = issued {
            let answered = self.answer(*issued)?;
            response.session = Some(Box::new(answered.session));
            response.session_token = answered.session_token;
            response.session_jwt = answered.session_jwt;
        }
        Ok(response)
    }

    fn session_less_response(&self, totp_id: String, user: User) -> TotpAuthenticateResponse {
        TotpAuthenticateResponse {
            status_code: 200,
            request_id: self.request_id(),
            totp_id,
            user_id: user.user_id.clone(),
            session: None,
            session_token: String::new(),
            session_jwt: String::new(),
            user: Box::new(user),
        }
    }
}

/// Counts a failed attempt, locking the user at the limit of the store's
/// policy, and returns `error` (the failure is committed with it).
fn count_failure(
    tx: &mut dyn StoreTx,
    mut user: Box<UserRecord>,
    now: i64,
    error: ApiError,
) -> Failure {
    let lockout = match policy::current(tx) {
        Ok(lockout) => lockout,
        Err(e) => return e.into(),
    };
    user.failed_attempts += 1;
    if user.failed_attempts >= lockout.max_failures {
        user.failed_attempts = 0;
        user.lock = Some(Lock {
            created_at: now,
            expires_at: clock::later(now, i64::from(lockout.duration_minutes) * 60),
        });
    }
    match tx.put_user(&user) {
        Ok(()) => error.into(),
        Err(e) => e.into(),
    }
}

/// The user, provided no lock is in force; a lock that has run out is cleared.
fn unlocked_user(tx: &mut Tx<'_>, user_id: &str, now: i64) -> Result<Box<UserRecord>, Failure> {
    let mut user = load_user(tx, user_id, now)?;
    if active_lock(&user, now).is_some() {
        return Err(ApiError::user_lock_limit_reached().into());
    }
    if user.lock.take().is_some() {
        user.failed_attempts = 0;
        tx.put_user(&user)?;
    }
    Ok(user)
}

fn reset_failures(tx: &mut dyn StoreTx, user: &mut UserRecord) -> Result<(), StoreError> {
    if user.failed_attempts != 0 {
        user.failed_attempts = 0;
        tx.put_user(user)?;
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum StepCheck {
    Accept(i64),
    Replay,
    NoMatch,
}

/// Decides on the steps of the window whose code the submitted one is. A code
/// value is accepted at most once per window: if any of its steps is at or
/// below the last accepted step, it is a replay (it may have been accepted
/// for that step); otherwise it is accepted for its lowest step. (A code can
/// be the code of two steps by chance.)
fn unused_step(matches: &[i64], last_step: Option<i64>) -> StepCheck {
    let used = |s: &i64| last_step.is_some_and(|last| *s <= last);
    match matches.first() {
        None => StepCheck::NoMatch,
        Some(_) if matches.iter().any(used) => StepCheck::Replay,
        Some(&lowest) => StepCheck::Accept(lowest),
    }
}

/// The TOTP that authenticates: the verified one, else the pending one.
fn current_totp(totps: &[TotpRecord], now: i64) -> Result<usize, ApiError> {
    if let Some(i) = totps.iter().position(|t| t.verified) {
        return Ok(i);
    }
    match totps.iter().rposition(|t| !t.verified) {
        Some(i) if is_usable(&totps[i], now) => Ok(i),
        Some(_) => Err(ApiError::expired_totp()),
        None => Err(ApiError::totp_not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_value_is_accepted_once_per_window() {
        assert_eq!(unused_step(&[], None), StepCheck::NoMatch);
        assert_eq!(unused_step(&[], Some(5)), StepCheck::NoMatch);
        assert_eq!(unused_step(&[10], None), StepCheck::Accept(10));
        assert_eq!(unused_step(&[10], Some(10)), StepCheck::Replay);
        assert_eq!(unused_step(&[10], Some(11)), StepCheck::Replay);
        assert_eq!(unused_step(&[11], Some(10)), StepCheck::Accept(11));
        // A chance collision of two steps' codes: accepted for the lower step...
        assert_eq!(unused_step(&[10, 11], Some(9)), StepCheck::Accept(10));
        // ...and then refused for the higher one: one value, one acceptance.
        assert_eq!(unused_step(&[10, 11], Some(10)), StepCheck::Replay);
        assert_eq!(unused_step(&[9, 11], Some(10)), StepCheck::Replay);
        assert_eq!(unused_step(&[9, 11], None), StepCheck::Accept(9));
    }
}
