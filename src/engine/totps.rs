//! TOTP enrolment, authentication and recovery, with replay protection,
//! lockout and expiry.

use super::clock;
use super::error::ApiError;
use super::ids::IdKind;
use super::models::{
    TotpAuthenticateResponse, TotpCreateResponse, TotpRecoverResponse, TotpRecoveryCodes,
    TotpRecoveryCodesResponse, User,
};
use super::users::resolve_user;
use super::view::{active_lock, is_usable, user_view};
use super::{Client, ErrorResponse, Failure};
use crate::otp::{self, CodeGenerator, RecoveryCodeInput};
use crate::qr;
use crate::store::{Access, Lock, RecoveryCodes, StoreError, StoreTx, TotpRecord, UserRecord};
use subtle::ConstantTimeEq;

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
            let user = resolve_user(tx, user_id)?;
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
            let totp = TotpRecord {
                totp_id: totp_id.clone(),
                user_id: user.user_id.clone(),
                secret: key.clone(),
                verified: false,
                created_at: now,
                expires_at: clock::later(now, minutes * 60),
                last_step: None,
                recovery_codes: RecoveryCodes::new(&recovery_codes),
            };
            tx.put_totp(&totp)?;
            let view = user_view(&user, std::slice::from_ref(&totp), now);
            let account = user
                .email
                .as_ref()
                .or(user.phone.as_ref())
                .map_or_else(|| user.user_id.clone(), |c| c.value.clone());
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

    /// `POST /v1/totps/authenticate`.
    pub fn authenticate_totp(
        &self,
        user_id: &str,
        totp_code: &str,
    ) -> Result<TotpAuthenticateResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, now| {
            let mut user = unlocked_user(tx, user_id, now)?;
            let code = otp::parse_totp_code(totp_code).ok_or_else(ApiError::invalid_totp_code)?;
            let mut totps = tx.totps_of_user(&user.user_id)?;
            let index = current_totp(&totps, now)?;
            let totp = &mut totps[index];

            let generator = CodeGenerator::new(totp.secret.as_bytes()).ok_or_else(|| {
                StoreError::Failed(format!("TOTP {} has a corrupt secret", totp.totp_id))
            })?;
            let matches = generator.matching_steps(&code, otp::step_at(now), WINDOW_STEPS);
            let step = match unused_step(&matches, totp.last_step) {
                StepCheck::Accept(step) => step,
                StepCheck::Replay => return Err(ApiError::totp_code_already_authenticated().into()),
                StepCheck::NoMatch => {
                    let e = ApiError::unable_to_authenticate_totp();
                    return Err(self.count_failure(tx, user, now, e));
                }
            };
            totp.verified = true;
            totp.last_step = Some(step);
            tx.put_totp(totp)?;
            let totp_id = totp.totp_id.clone();
            reset_failures(tx, &mut user)?;
            Ok(self.session_less_response(totp_id, user_view(&user, &totps, now)))
        })
    }

    /// `POST /v1/totps/recovery_codes`: the unused codes of every usable TOTP.
    pub fn recovery_codes(
        &self,
        user_id: &str,
    ) -> Result<TotpRecoveryCodesResponse, ErrorResponse> {
        self.atomically(Access::Read, |tx, now| {
            let user = resolve_user(tx, user_id)?;
            let totps = tx.totps_of_user(&user.user_id)?;
            Ok(TotpRecoveryCodesResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: user.user_id,
                totps: totps
                    .into_iter()
                    .filter(|t| is_usable(t, now))
                    .map(|t| TotpRecoveryCodes {
                        totp_id: t.totp_id,
                        verified: t.verified,
                        recovery_codes: t.recovery_codes.to_vec(),
                    })
                    .collect(),
            })
        })
    }

    /// `POST /v1/totps/recover`: consumes one recovery code.
    pub fn recover(
        &self,
        user_id: &str,
        recovery_code: &str,
    ) -> Result<TotpRecoverResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, now| {
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
            let mut totps = tx.totps_of_user(&user.user_id)?;
            // The same errors as authenticate when there is nothing to recover.
            current_totp(&totps, now)?;
            let Some(t) = find_recovery_code(&totps, now, code.expose()) else {
                return Err(self.count_failure(
                    tx,
                    user,
                    now,
                    ApiError::unable_to_authenticate_recovery_code(),
                ));
            };
            let totp = &mut totps[t];
            totp.recovery_codes.remove(code.expose());
            tx.put_totp(totp)?;
            let totp_id = totp.totp_id.clone();
            reset_failures(tx, &mut user)?;
            Ok(self.session_less_response(totp_id, user_view(&user, &totps, now)))
        })
    }

    /// Counts a failed attempt, locking the user at the configured limit, and
    /// returns `error` (the failure is committed with it).
    fn count_failure(
        &self,
        tx: &mut dyn StoreTx,
        mut user: UserRecord,
        now: i64,
        error: ApiError,
    ) -> Failure {
        user.failed_attempts += 1;
        let lockout = self.config.lockout;
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

    fn session_less_response(&self, totp_id: String, user: User) -> TotpAuthenticateResponse {
        TotpAuthenticateResponse {
            status_code: 200,
            request_id: self.request_id(),
            totp_id,
            user_id: user.user_id.clone(),
            session: None,
            session_token: String::new(),
            session_jwt: String::new(),
            user,
        }
    }
}

/// The user, provided no lock is in force; a lock that has run out is cleared.
fn unlocked_user(tx: &mut dyn StoreTx, user_id: &str, now: i64) -> Result<UserRecord, Failure> {
    let mut user = resolve_user(tx, user_id)?;
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

/// Picks the step a code is accepted for: the lowest matching step above the
/// last accepted one. (A code can match two steps of the window by chance; taking
/// the lowest keeps the next step's code usable.)
fn unused_step(matches: &[i64], last_step: Option<i64>) -> StepCheck {
    match matches
        .iter()
        .find(|&&s| last_step.is_none_or(|last| s > last))
    {
        Some(&step) => StepCheck::Accept(step),
        None if matches.is_empty() => StepCheck::NoMatch,
        None => StepCheck::Replay,
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

/// Finds `code` among the unused codes of the usable TOTPs, comparing with every
/// one of them in constant time. Returns the index of the TOTP that holds it.
fn find_recovery_code(totps: &[TotpRecord], now: i64, code: &str) -> Option<usize> {
    let mut found = None;
    for (t, totp) in totps.iter().enumerate().filter(|(_, t)| is_usable(t, now)) {
        for candidate in totp.recovery_codes.iter() {
            if bool::from(candidate.as_bytes().ct_eq(code.as_bytes())) {
                found = Some(t);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_for_the_lowest_unused_matching_step() {
        assert_eq!(unused_step(&[], None), StepCheck::NoMatch);
        assert_eq!(unused_step(&[], Some(5)), StepCheck::NoMatch);
        assert_eq!(unused_step(&[10], None), StepCheck::Accept(10));
        assert_eq!(unused_step(&[10], Some(10)), StepCheck::Replay);
        assert_eq!(unused_step(&[10], Some(11)), StepCheck::Replay);
        // A chance collision of two steps' codes: take the lower one first...
        assert_eq!(unused_step(&[10, 11], Some(9)), StepCheck::Accept(10));
        // ...so that the next step's code still works afterwards.
        assert_eq!(unused_step(&[11], Some(10)), StepCheck::Accept(11));
        assert_eq!(unused_step(&[9, 11], Some(10)), StepCheck::Accept(11));
    }
}
