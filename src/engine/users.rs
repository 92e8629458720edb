//! Users: the subset of Stytch's user API that TOTP needs.

use super::contacts::{email_key, is_valid_email, is_valid_phone_number};
use super::drift;
use super::error::ApiError;
use super::ids::{self, IdKind};
use super::models::{
    UsersCreateResponse, UsersDeleteResponse, UsersDeleteTotpResponse, UsersGetResponse,
};
use super::request::Fields;
use super::view::user_view;
use super::{Client, ErrorResponse, Failure, Tx};
use crate::store::{Access, Contact, StoreError, StoreTx, TotpRecord, UserLookup, UserRecord};
use serde_json::{Map, Value};

/// Longest `user_id` or `totp_id` accepted, in bytes.
pub const MAX_ID_LEN: usize = 256;
/// Longest `external_id`, in characters (Stytch's limit).
pub const MAX_EXTERNAL_ID_LEN: usize = 128;
/// Longest name part, in bytes.
pub const MAX_NAME_LEN: usize = 256;
/// Largest `trusted_metadata` / `untrusted_metadata`, as serialised JSON.
pub const MAX_METADATA_LEN: usize = 4096;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameInput {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
}

/// `POST /v1/users` body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateUserRequest {
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub name: Option<NameInput>,
    pub external_id: Option<String>,
    pub trusted_metadata: Option<Map<String, Value>>,
    pub untrusted_metadata: Option<Map<String, Value>>,
}

#[cfg(test)]
impl CreateUserRequest {
    /// A request with an email no other request of this process has: the
    /// least a user needs.
    pub(crate) fn with_fresh_email() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self {
            email: Some(format!("user-{n}@example.com")),
            ..Self::default()
        }
    }
}

impl CreateUserRequest {
    /// Parses the JSON body; unknown fields and wrong types are `bad_request`.
    pub fn from_json(body: Option<&str>) -> Result<Self, ApiError> {
        let mut fields = Fields::parse(body)?;
        let name = match fields.opt_fields("name")? {
            Some(mut name) => {
                let parsed = NameInput {
                    first_name: name.opt_str("first_name")?.unwrap_or_default(),
                    middle_name: name.opt_str("middle_name")?.unwrap_or_default(),
                    last_name: name.opt_str("last_name")?.unwrap_or_default(),
                };
                name.finish()?;
                Some(parsed)
            }
            None => None,
        };
        let request = Self {
            email: fields.opt_str("email")?,
            phone_number: fields.opt_str("phone_number")?,
            name,
            external_id: fields.opt_str("external_id")?,
            trusted_metadata: fields.opt_object("trusted_metadata")?,
            untrusted_metadata: fields.opt_object("untrusted_metadata")?,
        };
        fields.finish()?;
        Ok(request)
    }
}

fn check_text(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.len() > max || has_control(value) {
        return Err(ApiError::bad_request(format!(
            "{field} must be at most {max} bytes of printable text"
        )));
    }
    Ok(())
}

/// Stytch's rule: ASCII letters, digits, `.`, `_` and `-`, at most 128. So
/// an external_id never holds `/` or `%`, and is never a path of its own; nor
/// may it be `.` or `..` (dot segments, which URL handling removes) or start
/// like a `user_id`.
fn check_external_id(external_id: &str) -> Result<(), ApiError> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"._-".contains(&b);
    if !(1..=MAX_EXTERNAL_ID_LEN).contains(&external_id.len())
        || !external_id.bytes().all(allowed)
        || external_id.bytes().all(|b| b == b'.')
        || ids::has_prefix(external_id, IdKind::User)
    {
        return Err(ApiError::bad_request(format!(
            "external_id must be 1 to {MAX_EXTERNAL_ID_LEN} ASCII letters, digits, '.', '_' or \
             '-', not only dots, and must not start with \"user-\""
        )));
    }
    Ok(())
}

fn metadata_json(field: &str, value: &Option<Map<String, Value>>) -> Result<String, ApiError> {
    let json = serde_json::to_string(&value.clone().unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("{field}: {e}")))?;
    if json.len() > MAX_METADATA_LEN {
        return Err(ApiError::bad_request(format!(
            "{field} must be at most {MAX_METADATA_LEN} bytes of JSON"
        )));
    }
    Ok(json)
}

/// Whether `s` holds a control character (Unicode `Cc`). Text of printable
/// ASCII (IDs, most names) is cleared in one pass over its bytes without
/// decoding (a pass without early exit, which the compiler vectorizes).
fn has_control(s: &str) -> bool {
    let unusual = s
        .bytes()
        .fold(false, |seen, b| seen | !(0x20..0x7f).contains(&b));
    unusual && s.chars().any(char::is_control)
}

/// Finds the user named by `id`: a `user_id`, or else an `external_id`.
///
/// Boxed: the record passes through several hands on every sign-in, and a
/// box moves as one pointer.
pub(super) fn resolve_user(tx: &mut dyn StoreTx, id: &str) -> Result<Box<UserRecord>, Failure> {
    if id.is_empty() || id.len() > MAX_ID_LEN || has_control(id) {
        return Err(ApiError::invalid_user_id().into());
    }
    if ids::has_prefix(id, IdKind::User) {
        if !ids::is_well_formed(id, IdKind::User) {
            return Err(ApiError::invalid_user_id().into());
        }
        return tx
            .user(id)?
            .map(Box::new)
            .ok_or_else(|| ApiError::user_not_found().into());
    }
    tx.user_by_external_id(id)?
        .map(Box::new)
        .ok_or_else(|| ApiError::user_not_found().into())
}

/// `resolve_user`, with a lock dated by a clock that ran ahead settled (and kept).
pub(super) fn load_user(tx: &mut Tx<'_>, id: &str, now: i64) -> Result<Box<UserRecord>, Failure> {
    let user = resolve_user(tx, id)?;
    settle_user(tx, user, now)
}

/// The user with a lock dated by a clock that ran ahead settled (and kept).
pub(super) fn settle_user(
    tx: &mut Tx<'_>,
    mut user: Box<UserRecord>,
    now: i64,
) -> Result<Box<UserRecord>, Failure> {
    if drift::settle_lock(&mut user, now) {
        tx.keep(|tx| tx.put_user(&user))?;
    }
    Ok(user)
}

/// The user's TOTPs, oldest first, with expiries a clock that ran ahead wrote
/// settled (and kept).
pub(super) fn load_totps(
    tx: &mut Tx<'_>,
    user_id: &str,
    now: i64,
) -> Result<Vec<TotpRecord>, Failure> {
    let mut totps = tx.totps_of_user(user_id)?;
    for totp in &mut totps {
        if drift::settle_pending(totp, now) {
            tx.keep(|tx| tx.put_totp(totp))?;
        }
    }
    Ok(totps)
}

/// Refuses a new user whose `external_id`, email or phone number another
/// user has (one read finds them all). The store's unique indexes hold the
/// same line against a writer that raced past this check.
fn check_unique(tx: &mut Tx<'_>, user: &UserRecord) -> Result<(), Failure> {
    let email = user.email.as_ref().map(|c| c.value.as_str());
    let phone = user.phone.as_ref().map(|c| c.value.as_str());
    let others = tx.users_by_keys(&UserLookup {
        user_ids: &[user.user_id.as_str()],
        external_ids: user.external_id.as_deref().as_slice(),
        emails: email.as_slice(),
        phone_numbers: phone.as_slice(),
    })?;
    if others.iter().any(|other| other.user_id == user.user_id) {
        return Err(StoreError::Failed(format!("user ID {} is taken", user.user_id)).into());
    }
    // Whether another user has the same `key` as this one.
    let taken = |key: &dyn Fn(&UserRecord) -> Option<String>| {
        key(user).is_some_and(|mine| {
            others
                .iter()
                .any(|other| key(other).as_ref() == Some(&mine))
        })
    };
    if taken(&|u| u.external_id.clone()) {
        return Err(ApiError::duplicate_external_id().into());
    }
    if taken(&|u| u.email.as_ref().map(|c| email_key(&c.value))) {
        return Err(ApiError::duplicate_email().into());
    }
    if taken(&|u| u.phone.as_ref().map(|c| c.value.clone())) {
        return Err(ApiError::duplicate_phone_number().into());
    }
    Ok(())
}

impl Client {
    /// `POST /v1/users`.
    pub fn create_user(
        &self,
        req: &CreateUserRequest,
    ) -> Result<UsersCreateResponse, ErrorResponse> {
        let user = self.new_user_record(req).map_err(|e| self.error(e))?;
        self.atomically(Access::Write, |tx, now| {
            let user = UserRecord {
                created_at: now,
                ..user.clone()
            };
            check_unique(tx, &user)?;
            tx.put_user(&user)?;
            let view = user_view(user, &[], now);
            Ok(UsersCreateResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: view.user_id.clone(),
                email_id: view
                    .emails
                    .first()
                    .map(|e| e.email_id.clone())
                    .unwrap_or_default(),
                phone_id: (view.phone_numbers.first())
                    .map(|p| p.phone_id.clone())
                    .unwrap_or_default(),
                status: view.status,
                user: view,
            })
        })
    }

    /// Checks a create request and turns it into a record (time set later).
    /// Stytch's rule: "An `email` or a `phone_number` is required."
    /// What is wrong with a field sent comes before what is missing.
    fn new_user_record(&self, req: &CreateUserRequest) -> Result<UserRecord, ApiError> {
        let email = match &req.email {
            Some(e) if !is_valid_email(e) => return Err(ApiError::invalid_email()),
            Some(e) => Some(Contact {
                id: self.new_id(IdKind::Email),
                value: e.clone(),
                verified: false,
            }),
            None => None,
        };
        let phone = match &req.phone_number {
            Some(p) if !is_valid_phone_number(p) => return Err(ApiError::invalid_phone_number()),
            Some(p) => Some(Contact {
                id: self.new_id(IdKind::PhoneNumber),
                value: p.clone(),
                verified: false,
            }),
            None => None,
        };
        if let Some(external_id) = &req.external_id {
            check_external_id(external_id)?;
        }
        let name = req.name.clone().unwrap_or_default();
        check_text("name.first_name", &name.first_name, MAX_NAME_LEN)?;
        check_text("name.middle_name", &name.middle_name, MAX_NAME_LEN)?;
        check_text("name.last_name", &name.last_name, MAX_NAME_LEN)?;
        let trusted_metadata = metadata_json("trusted_metadata", &req.trusted_metadata)?;
        let untrusted_metadata = metadata_json("untrusted_metadata", &req.untrusted_metadata)?;
        if email.is_none() && phone.is_none() {
            return Err(ApiError::bad_request(
                "an email or a phone_number is required",
            ));
        }
        Ok(UserRecord {
            user_id: self.new_id(IdKind::User),
            external_id: req.external_id.clone(),
            first_name: name.first_name,
            middle_name: name.middle_name,
            last_name: name.last_name,
            email,
            phone,
            trusted_metadata,
            untrusted_metadata,
            created_at: 0,
            failed_attempts: 0,
            lock: None,
        })
    }

    /// `GET /v1/users/{user_id}` (an `external_id` works too).
    pub fn get_user(&self, user_id: &str) -> Result<UsersGetResponse, ErrorResponse> {
        self.atomically(Access::Read, |tx, now| {
            let user = load_user(tx, user_id, now)?;
            let totps = load_totps(tx, &user.user_id, now)?;
            Ok(UsersGetResponse {
                status_code: 200,
                request_id: self.request_id(),
                user: user_view(*user, &totps, now),
            })
        })
    }

    /// `DELETE /v1/users/{user_id}`: the user and all of its TOTPs.
    pub fn delete_user(&self, user_id: &str) -> Result<UsersDeleteResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, _| {
            let user = resolve_user(tx, user_id)?;
            tx.delete_user(&user.user_id)?;
            Ok(UsersDeleteResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: user.user_id,
            })
        })
    }

    /// `DELETE /v1/users/totps/{totp_id}`.
    pub fn delete_totp(&self, totp_id: &str) -> Result<UsersDeleteTotpResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, now| {
            if !ids::is_well_formed(totp_id, IdKind::Totp) {
                return Err(match totp_id.is_empty() {
                    true => ApiError::bad_request("totp_id is required"),
                    false => ApiError::totp_not_found(),
                }
                .into());
            }
            let totp = tx.totp(totp_id)?.ok_or_else(ApiError::totp_not_found)?;
            tx.delete_totp(totp_id)?;
            let mut user = tx
                .user(&totp.user_id)?
                .ok_or_else(|| StoreError::Failed(format!("TOTP {totp_id} has no user")))?;
            if drift::settle_lock(&mut user, now) {
                tx.put_user(&user)?;
            }
            let totps = load_totps(tx, &user.user_id, now)?;
            Ok(UsersDeleteTotpResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: user.user_id.clone(),
                user: user_view(user, &totps, now),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_in_ascii_and_beyond() {
        let long = "user-test-00000000-0000-4000-8000-000000000000";
        for clean in ["", "a", long, "Zoë", "名前", "\u{a0}x"] {
            assert!(!has_control(clean), "{clean:?}");
        }
        for control in ["\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{85}", "\u{9f}"] {
            for text in [
                control.to_owned(),
                format!("{long}{control}"),
                format!("é{control}x"),
            ] {
                assert!(has_control(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn external_ids_follow_stytchs_rule() {
        for good in [
            "crm-42",
            "a.b_c-D9",
            &"x".repeat(MAX_EXTERNAL_ID_LEN),
            "...a",
        ] {
            assert!(check_external_id(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "team%41b",
            "totps/totp-test-1",
            "a b",
            "é",
            ".",
            "..",
            "user-1",
            &"x".repeat(MAX_EXTERNAL_ID_LEN + 1),
        ] {
            let e = check_external_id(bad).unwrap_err();
            assert_eq!(e.error_type(), "bad_request", "{bad:?}");
            assert!(e.error_message.contains("external_id must be"));
        }
    }
}
