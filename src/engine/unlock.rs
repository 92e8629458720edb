//! Unlocking a user: an operator's action beyond Stytch's API, where a lock
//! only lifts when it runs out.

use super::models::User;
use super::users::{load_totps, load_user};
use super::view::{active_lock, user_view};
use super::{Client, ErrorResponse};
use crate::store::{Access, StoreTx};
use serde::Serialize;

/// What `unlock_user` did, and the user afterwards.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UsersUnlockResponse {
    pub status_code: u16,
    pub request_id: String,
    pub user_id: String,
    /// A lock was in force and has been lifted.
    pub was_locked: bool,
    /// The consecutive failures that were counted towards the next lock.
    pub failed_attempts_cleared: u32,
    pub user: User,
}

impl Client {
    /// Lifts the user's lock (if any) and clears their count of consecutive
    /// failures, in one unit of work: the next attempt is judged as if no
    /// attempt had failed. An `external_id` works too.
    pub fn unlock_user(&self, user_id: &str) -> Result<UsersUnlockResponse, ErrorResponse> {
        self.atomically(Access::Write, |tx, now| {
            let mut user = load_user(tx, user_id, now)?;
            let was_locked = active_lock(&user, now).is_some();
            let failed_attempts_cleared = user.failed_attempts;
            if user.lock.is_some() || user.failed_attempts != 0 {
                user.lock = None;
                user.failed_attempts = 0;
                tx.put_user(&user)?;
            }
            let totps = load_totps(tx, &user.user_id, now)?;
            Ok(UsersUnlockResponse {
                status_code: 200,
                request_id: self.request_id(),
                user_id: user.user_id.clone(),
                was_locked,
                failed_attempts_cleared,
                user: user_view(*user, &totps, now),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::config::IN_MEMORY;
    use crate::engine::{Client, Config, CreateUserRequest, Lockout};
    use crate::otp::CodeGenerator;

    const T: i64 = 1_700_000_010;

    fn client() -> Client {
        let client = Client::new(Config {
            database: IN_MEMORY.to_owned(),
            lockout: Some(Lockout {
                max_failures: 3,
                duration_minutes: 60,
            }),
            ..Config::default()
        })
        .unwrap();
        client.set_time(T).unwrap();
        client
    }

    /// A user with a verified TOTP; returns the user ID and the secret.
    fn enrolled(client: &Client) -> (String, String) {
        let user = client
            .create_user(&CreateUserRequest::with_fresh_email())
            .unwrap();
        let totp = client.create_totp(&user.user_id, None).unwrap();
        let secret = totp.secret.expose().to_owned();
        client
            .authenticate_totp(&user.user_id, &code(&secret, T - 30))
            .unwrap();
        (user.user_id, secret)
    }

    fn code(secret: &str, t: i64) -> String {
        let code = CodeGenerator::from_base32(secret).unwrap().code_at(t);
        String::from_utf8(code.to_vec()).unwrap()
    }

    fn fail(client: &Client, user_id: &str, times: usize) {
        for _ in 0..times {
            client.authenticate_totp(user_id, "000000").unwrap_err();
        }
    }

    #[test]
    fn a_locked_user_signs_in_again_once_unlocked() {
        let client = client();
        let (user_id, secret) = enrolled(&client);
        fail(&client, &user_id, 3);
        let locked = client
            .authenticate_totp(&user_id, &code(&secret, T))
            .unwrap_err();
        assert_eq!(locked.error_type, "user_lock_limit_reached");

        let unlocked = client.unlock_user(&user_id).unwrap();
        assert!(unlocked.was_locked);
        assert_eq!(unlocked.user_id, user_id);
        assert!(!unlocked.user.is_locked);
        assert_eq!(unlocked.user.lock_expires_at, None);
        assert!(!client.get_user(&user_id).unwrap().user.is_locked);
        client
            .authenticate_totp(&user_id, &code(&secret, T))
            .unwrap();
    }

    #[test]
    fn unlocking_clears_the_failures_counted_towards_a_lock() {
        let client = client();
        let (user_id, secret) = enrolled(&client);
        fail(&client, &user_id, 2);
        let unlocked = client.unlock_user(&user_id).unwrap();
        assert!(!unlocked.was_locked);
        assert_eq!(unlocked.failed_attempts_cleared, 2);
        // Two more failures: without the reset the second would lock.
        fail(&client, &user_id, 2);
        client
            .authenticate_totp(&user_id, &code(&secret, T))
            .unwrap();
        // Nothing left to clear: a second unlock changes nothing.
        let again = client.unlock_user(&user_id).unwrap();
        assert_eq!(
            (again.was_locked, again.failed_attempts_cleared),
            (false, 0)
        );
    }

    #[test]
    fn an_expired_lock_is_not_reported_as_lifted() {
        let client = client();
        let (user_id, _) = enrolled(&client);
        fail(&client, &user_id, 3);
        client.set_time(T + 61 * 60).unwrap();
        let unlocked = client.unlock_user(&user_id).unwrap();
        assert!(!unlocked.was_locked);
    }

    #[test]
    fn unknown_and_malformed_users_are_errors() {
        let client = client();
        let e = client.unlock_user("no-such-external-id").unwrap_err();
        assert_eq!(
            (e.status_code, e.error_type.as_str()),
            (404, "user_not_found")
        );
        let e = client.unlock_user("").unwrap_err();
        assert_eq!(e.error_type, "invalid_user_id");
        let e = client.unlock_user("user-test-not-a-uuid").unwrap_err();
        assert_eq!(e.error_type, "invalid_user_id");
    }

    #[test]
    fn an_external_id_names_the_user() {
        let client = client();
        let user = client
            .create_user(&CreateUserRequest {
                external_id: Some("crm-42".into()),
                ..CreateUserRequest::with_fresh_email()
            })
            .unwrap();
        client.create_totp(&user.user_id, None).unwrap();
        fail(&client, &user.user_id, 3);
        let unlocked = client.unlock_user("crm-42").unwrap();
        assert_eq!(unlocked.user_id, user.user_id);
        assert!(unlocked.was_locked);
    }
}
