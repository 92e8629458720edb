//! What a successful sign-in does to a session: start one, or add its factor
//! to an existing one, extend it and merge its custom claims. Each change is
//! checked whole before anything is changed, so a refused request leaves the
//! session as it was.

use super::claims::merge_custom_claims;
use super::encoding::new_id;
use super::error::SessionError;
use super::model::{Attributes, AuthenticationFactor, DEFAULT_ROLES, Factor, Session};
use crate::engine::clock::later;
use crate::engine::ids::Environment;
use serde_json::{Map, Value};
use std::ops::RangeInclusive;

/// `session_duration_minutes`: five minutes to 366 days.
pub const SESSION_DURATION_MINUTES: RangeInclusive<i64> = 5..=527_040;

/// A request's session arguments, applied to a new or an existing session.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionUpdate {
    /// `session_duration_minutes`: the session then ends this long after now.
    pub duration_minutes: Option<i64>,
    /// `session_custom_claims`, merged into the session's.
    pub custom_claims: Option<Value>,
}

impl SessionUpdate {
    /// The session lifetime in seconds, once checked.
    fn duration_secs(&self) -> Result<Option<i64>, SessionError> {
        self.duration_minutes
            .map(|minutes| {
                if SESSION_DURATION_MINUTES.contains(&minutes) {
                    Ok(minutes * 60)
                } else {
                    Err(SessionError::InvalidDuration)
                }
            })
            .transpose()
    }

    fn merged_claims(
        &self,
        current: &Map<String, Value>,
    ) -> Result<Option<Map<String, Value>>, SessionError> {
        self.custom_claims
            .as_ref()
            .map(|update| merge_custom_claims(current, update))
            .transpose()
    }
}

impl Session {
    /// A new session for `user_id`, proved by `factor`. Starting one takes a
    /// duration: Stytch creates no session without `session_duration_minutes`.
    pub fn start(
        env: Environment,
        user_id: &str,
        factor: &Factor,
        update: &SessionUpdate,
        attributes: Attributes,
        now: i64,
    ) -> Result<Session, SessionError> {
        let duration = update
            .duration_secs()?
            .ok_or(SessionError::InvalidDuration)?;
        let custom_claims = update.merged_claims(&Map::new())?.unwrap_or_default();
        Ok(Session {
            session_id: new_id("session", env),
            user_id: user_id.to_owned(),
            started_at: now,
            last_accessed_at: now,
            expires_at: later(now, duration),
            attributes,
            authentication_factors: vec![AuthenticationFactor::new(factor, now)],
            custom_claims,
            roles: DEFAULT_ROLES.map(String::from).to_vec(),
        })
    }

    /// Applies a request to this session at `now`: records the factor the
    /// request proved (none for `/v1/sessions/authenticate`), sets
    /// `expires_at` to now + the duration when one is given, merges the
    /// claims and marks the session accessed. All or nothing.
    pub fn apply(
        &mut self,
        factor: Option<&Factor>,
        update: &SessionUpdate,
        now: i64,
    ) -> Result<(), SessionError> {
        let duration = update.duration_secs()?;
        let claims = update.merged_claims(&self.custom_claims)?;
        if let Some(factor) = factor {
            self.record_factor(factor, now);
        }
        if let Some(duration) = duration {
            self.expires_at = later(now, duration);
        }
        if let Some(claims) = claims {
            self.custom_claims = claims;
        }
        self.last_accessed_at = now;
        Ok(())
    }

    /// Adds `factor`, or refreshes `last_authenticated_at` / `updated_at` of
    /// the entry that already records it.
    pub fn record_factor(&mut self, factor: &Factor, now: i64) {
        match self
            .authentication_factors
            .iter_mut()
            .find(|entry| entry.records(factor))
        {
            Some(entry) => {
                entry.last_authenticated_at = now;
                entry.updated_at = Some(now);
            }
            None => self
                .authentication_factors
                .push(AuthenticationFactor::new(factor, now)),
        }
    }

    /// Whether the session is still live at `now`.
    pub fn is_active(&self, now: i64) -> bool {
        now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::MAX_UNIX_TIME;
    use crate::sessions::model::{DeliveryMethod, FactorType};
    use crate::sessions::test_keys::T0;
    use serde_json::json;

    const USER: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";

    fn totp(n: u8) -> Factor {
        Factor::Totp {
            totp_id: format!("totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f0{n:02}"),
        }
    }

    fn recovery_code() -> Factor {
        Factor::RecoveryCode {
            totp_recovery_code_id: "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
                .into(),
        }
    }

    fn minutes(duration: i64) -> SessionUpdate {
        SessionUpdate {
            duration_minutes: Some(duration),
            custom_claims: None,
        }
    }

    fn start(update: &SessionUpdate) -> Result<Session, SessionError> {
        Session::start(
            Environment::Test,
            USER,
            &totp(1),
            update,
            Attributes::default(),
            T0,
        )
    }

    #[test]
    fn a_new_session_has_its_factor_its_duration_and_the_default_role() {
        let update = SessionUpdate {
            duration_minutes: Some(60),
            custom_claims: Some(json!({"a": 1, "gone": null})),
        };
        let session = start(&update).unwrap();
        let uuid = session.session_id.strip_prefix("session-test-").unwrap();
        assert_eq!(uuid::Uuid::parse_str(uuid).unwrap().get_version_num(), 4);
        assert_eq!(session.user_id, USER);
        assert_eq!(
            (
                session.started_at,
                session.last_accessed_at,
                session.expires_at
            ),
            (T0, T0, T0 + 3600)
        );
        assert_eq!(session.roles, ["stytch_user"]);
        assert_eq!(
            Value::Object(session.custom_claims.clone()),
            json!({"a": 1})
        );
        assert_eq!(session.authentication_factors.len(), 1);
        let factor = &session.authentication_factors[0];
        assert_eq!(
            (factor.factor_type, factor.delivery_method),
            (FactorType::Totp, DeliveryMethod::AuthenticatorApp)
        );
        assert_eq!(
            (
                factor.last_authenticated_at,
                factor.created_at,
                factor.updated_at
            ),
            (T0, Some(T0), Some(T0))
        );
        assert!(session.is_active(T0 + 3599));
        assert!(!session.is_active(T0 + 3600));
        assert_ne!(start(&update).unwrap().session_id, session.session_id);
    }

    #[test]
    fn durations_run_from_five_minutes_to_366_days() {
        for ok in [5, 60, 527_040] {
            assert_eq!(start(&minutes(ok)).unwrap().expires_at, T0 + ok * 60);
        }
        for bad in [i64::MIN, -1, 0, 4, 527_041, i64::MAX] {
            assert_eq!(
                start(&minutes(bad)),
                Err(SessionError::InvalidDuration),
                "{bad}"
            );
        }
        assert_eq!(
            start(&SessionUpdate::default()),
            Err(SessionError::InvalidDuration)
        );
        // A session never outlives the last time the library handles.
        let late = Session::start(
            Environment::Test,
            USER,
            &totp(1),
            &minutes(527_040),
            Attributes::default(),
            MAX_UNIX_TIME - 60,
        )
        .unwrap();
        assert_eq!(late.expires_at, MAX_UNIX_TIME);
    }

    #[test]
    fn a_sign_in_adds_its_factor_or_refreshes_the_one_recorded() {
        let mut session = start(&minutes(60)).unwrap();
        session
            .apply(Some(&recovery_code()), &SessionUpdate::default(), T0 + 10)
            .unwrap();
        assert_eq!(session.authentication_factors.len(), 2);
        let added = &session.authentication_factors[1];
        assert_eq!(
            (added.factor_type, added.delivery_method),
            (FactorType::RecoveryCodes, DeliveryMethod::RecoveryCode)
        );
        assert_eq!(
            added
                .recovery_code_factor
                .as_ref()
                .unwrap()
                .totp_recovery_code_id,
            "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
        );

        session
            .apply(Some(&totp(1)), &SessionUpdate::default(), T0 + 20)
            .unwrap();
        assert_eq!(
            session.authentication_factors.len(),
            2,
            "the same TOTP is refreshed, not added"
        );
        let refreshed = &session.authentication_factors[0];
        assert_eq!(
            (
                refreshed.last_authenticated_at,
                refreshed.created_at,
                refreshed.updated_at
            ),
            (T0 + 20, Some(T0), Some(T0 + 20))
        );
        assert_eq!(
            session.authentication_factors[1].last_authenticated_at,
            T0 + 10
        );

        session
            .apply(Some(&totp(2)), &SessionUpdate::default(), T0 + 30)
            .unwrap();
        assert_eq!(
            session.authentication_factors.len(),
            3,
            "another TOTP is another factor"
        );
        assert_eq!(session.last_accessed_at, T0 + 30);
        // Neither the sign-ins nor a factor-less call moved the expiry.
        session
            .apply(None, &SessionUpdate::default(), T0 + 40)
            .unwrap();
        assert_eq!(
            (session.expires_at, session.last_accessed_at),
            (T0 + 3600, T0 + 40)
        );
    }

    #[test]
    fn a_duration_sets_the_expiry_from_now_even_when_shorter() {
        let mut session = start(&minutes(60)).unwrap();
        session.apply(None, &minutes(120), T0 + 600).unwrap();
        assert_eq!(session.expires_at, T0 + 600 + 7200);
        session
            .apply(Some(&totp(1)), &minutes(5), T0 + 900)
            .unwrap();
        assert_eq!(session.expires_at, T0 + 900 + 300);
        assert_eq!(session.started_at, T0);
    }

    #[test]
    fn claims_merge_into_the_sessions() {
        let update = SessionUpdate {
            duration_minutes: Some(60),
            custom_claims: Some(json!({"key_1": 1, "key_2": 2})),
        };
        let mut session = start(&update).unwrap();
        let change = SessionUpdate {
            duration_minutes: None,
            custom_claims: Some(json!({"key_1": null, "key_3": {"x": 1}})),
        };
        session.apply(None, &change, T0 + 1).unwrap();
        assert_eq!(
            Value::Object(session.custom_claims),
            json!({"key_2": 2, "key_3": {"x": 1}})
        );
    }

    #[test]
    fn a_refused_request_changes_nothing() {
        let mut session = start(&minutes(60)).unwrap();
        let before = session.clone();
        let refused = [
            SessionUpdate {
                duration_minutes: Some(4),
                custom_claims: None,
            },
            SessionUpdate {
                duration_minutes: Some(60),
                custom_claims: Some(json!({"sub": "x"})),
            },
            SessionUpdate {
                duration_minutes: Some(60),
                custom_claims: Some(json!({"big": "x".repeat(5000)})),
            },
            SessionUpdate {
                duration_minutes: None,
                custom_claims: Some(json!(["not", "an", "object"])),
            },
        ];
        for update in &refused {
            assert!(
                session
                    .apply(Some(&recovery_code()), update, T0 + 99)
                    .is_err()
            );
            assert_eq!(session, before);
        }
        assert!(start(&refused[1]).is_err());
    }

    #[test]
    fn the_session_body_has_stytchs_names_and_round_trips() {
        let mut session = start(&SessionUpdate {
            duration_minutes: Some(60),
            custom_claims: Some(json!({"k": "v"})),
        })
        .unwrap();
        session
            .apply(Some(&recovery_code()), &SessionUpdate::default(), T0 + 1800)
            .unwrap();
        let json = serde_json::to_value(&session).unwrap();
        assert_eq!(
            json,
            json!({
                "session_id": session.session_id,
                "user_id": USER,
                "started_at": "2026-01-01T00:00:00Z",
                "last_accessed_at": "2026-01-01T00:30:00Z",
                "expires_at": "2026-01-01T01:00:00Z",
                "attributes": {"ip_address": "", "user_agent": ""},
                "authentication_factors": [
                    {"type": "totp", "delivery_method": "authenticator_app",
                     "last_authenticated_at": "2026-01-01T00:00:00Z",
                     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
                     "authenticator_app_factor": {"totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f001"}},
                    {"type": "recovery_codes", "delivery_method": "recovery_code",
                     "last_authenticated_at": "2026-01-01T00:30:00Z",
                     "created_at": "2026-01-01T00:30:00Z", "updated_at": "2026-01-01T00:30:00Z",
                     "recovery_code_factor": {"totp_recovery_code_id": "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"}}
                ],
                "custom_claims": {"k": "v"},
                "roles": ["stytch_user"]
            })
        );
        let back: Session = serde_json::from_value(json).unwrap();
        assert_eq!(back, session);
    }
}
