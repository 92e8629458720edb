//! The signing keys of a project: the active key, which signs, and the keys
//! it replaced, which stay published (and keep verifying) for a grace period.
//! Stytch rotates about every six months and publishes both keys for about a
//! month; both periods are parameters here.

use super::error::KeyError;
use super::host_keys::HostKeys;
use super::keys::SigningKey;
use super::model::JwksResponse;
use crate::engine::ids::Environment;
use std::sync::Arc;

const DAY: i64 = 86_400;

/// How often the active key is replaced, and how long a replaced key stays
/// published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RotationPolicy {
    rotate_after_days: u32,
    grace_days: u32,
}

impl RotationPolicy {
    /// `None` when `rotate_after_days` is 0 (a key must sign for a while).
    pub fn new(rotate_after_days: u32, grace_days: u32) -> Option<Self> {
        (rotate_after_days > 0).then_some(Self {
            rotate_after_days,
            grace_days,
        })
    }

    pub fn rotate_after_days(&self) -> u32 {
        self.rotate_after_days
    }

    pub fn grace_days(&self) -> u32 {
        self.grace_days
    }
}

impl Default for RotationPolicy {
    /// 180 days active, 30 days of grace.
    fn default() -> Self {
        Self {
            rotate_after_days: 180,
            grace_days: 30,
        }
    }
}

/// The project's signing keys: the library's, newest first, and the host's.
#[derive(Debug)]
pub struct Keyring {
    policy: RotationPolicy,
    keys: Vec<SigningKey>,
    /// Always published; when one of them signs, the library's keys are
    /// neither generated nor rotated, and only verify.
    host: Arc<HostKeys>,
}

// The engine's client is shared across threads, and its keyring with it.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Keyring>();
};

impl Keyring {
    /// A keyring holding `keys` (as loaded from the store, in any order).
    pub fn new(policy: RotationPolicy, keys: Vec<SigningKey>) -> Self {
        let mut keyring = Self {
            policy,
            keys: Vec::with_capacity(keys.len() + 1),
            host: Arc::default(),
        };
        for key in keys {
            keyring.insert(key);
        }
        keyring
    }

    /// The keyring with the host's keys added.
    pub fn with_host_keys(mut self, host: Arc<HostKeys>) -> Self {
        self.host = host;
        self
    }

    pub fn policy(&self) -> RotationPolicy {
        self.policy
    }

    /// Adds a key; the newest key (by creation time) is the active one.
    pub fn insert(&mut self, key: SigningKey) {
        let at = self
            .keys
            .partition_point(|k| (k.created_at(), k.kid()) > (key.created_at(), key.kid()));
        self.keys.insert(at, key);
    }

    /// The key new JWTs are signed with: the host's, else the library's newest.
    pub fn signing_key(&self) -> Result<&SigningKey, KeyError> {
        self.host
            .signer()
            .or(self.keys.first())
            .ok_or(KeyError::NoActiveKey)
    }

    /// Every key of the library's held, newest first (published or not).
    pub fn keys(&self) -> &[SigningKey] {
        &self.keys
    }

    /// Whether a key must be generated or one is past its grace: the store's
    /// copy then needs `rotate_if_due` and `retire_expired`. Never while a
    /// host key signs: the store's keys are then left as they are.
    pub fn needs_upkeep(&self, now: i64) -> bool {
        let held = self.host.keys().len() + self.keys.len();
        self.host.signer().is_none()
            && (self.rotation_due(now) || self.published(now).count() < held)
    }

    /// Whether the library signs and has no key yet, or its active one has
    /// served its time.
    pub fn rotation_due(&self, now: i64) -> bool {
        self.host.signer().is_none()
            && self
                .keys
                .first()
                .is_none_or(|active| now >= self.rotation_time(active))
    }

    fn rotation_time(&self, key: &SigningKey) -> i64 {
        key.created_at()
            .saturating_add(i64::from(self.policy.rotate_after_days) * DAY)
    }

    /// When rotation is due, generates a key and makes it the active one.
    /// Returns it, for the store to keep; `None` when no rotation was due.
    /// (The engine makes the key before its transaction and `insert`s it.)
    pub fn rotate_if_due(
        &mut self,
        env: Environment,
        now: i64,
    ) -> Result<Option<&SigningKey>, KeyError> {
        if !self.rotation_due(now) {
            return Ok(None);
        }
        self.insert(SigningKey::generate(env, now)?);
        Ok(self.keys.first())
    }

    /// The keys published at `now`: the host's, the library's active key,
    /// and each older key until `grace_days` after the key that replaced it
    /// was created. While a host key signs, the library's newest key counts
    /// as replaced when it was due for rotation, so it leaves `grace_days`
    /// after that.
    pub fn published(&self, now: i64) -> impl Iterator<Item = &SigningKey> {
        let grace = i64::from(self.policy.grace_days) * DAY;
        let successors = std::iter::once(None).chain(self.keys.iter().map(Some));
        let host_signs = self.host.signer().is_some();
        let library = self
            .keys
            .iter()
            .zip(successors)
            .filter(move |(key, successor)| {
                let replaced_at = match successor {
                    Some(s) => s.created_at(),
                    None if host_signs => self.rotation_time(key),
                    None => return true,
                };
                now < replaced_at.saturating_add(grace)
            })
            .map(|(key, _)| key);
        self.host.keys().iter().chain(library)
    }

    /// The published key named `kid`.
    pub fn find(&self, kid: &str, now: i64) -> Option<&SigningKey> {
        self.published(now).find(|key| key.kid() == kid)
    }

    /// Forgets the library's keys whose grace has ended and returns their
    /// `kid`s, for the store to delete.
    pub fn retire_expired(&mut self, now: i64) -> Vec<String> {
        let keep: Vec<String> = self.published(now).map(|k| k.kid().to_owned()).collect();
        let mut retired = Vec::new();
        self.keys.retain(|key| {
            let kept = keep.iter().any(|kid| kid == key.kid());
            if !kept {
                retired.push(key.kid().to_owned());
            }
            kept
        });
        retired
    }

    /// `GET /v1/sessions/jwks/{project_id}`: the keys published at `now`.
    pub fn jwks(&self, request_id: String, now: i64) -> JwksResponse {
        JwksResponse {
            status_code: 200,
            request_id,
            keys: self.published(now).map(|key| key.jwk().clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::test_keys::{DAY, T0, key};

    fn kids<'a>(keys: impl Iterator<Item = &'a SigningKey>) -> Vec<String> {
        keys.map(|k| k.kid().to_owned()).collect()
    }

    #[test]
    fn the_policy_defaults_to_stytchs_periods_and_needs_a_rotation_period() {
        let policy = RotationPolicy::default();
        assert_eq!((policy.rotate_after_days(), policy.grace_days()), (180, 30));
        assert_eq!(RotationPolicy::new(0, 30), None);
        assert_eq!(RotationPolicy::new(1, 0).unwrap().grace_days(), 0);
    }

    #[test]
    fn the_first_key_is_generated_on_demand_and_replaced_when_its_time_is_up() {
        let policy = RotationPolicy::new(10, 2).unwrap();
        let mut keyring = Keyring::new(policy, vec![]);
        assert_eq!(keyring.signing_key().unwrap_err(), KeyError::NoActiveKey);
        assert!(keyring.rotation_due(T0));
        let first = keyring
            .rotate_if_due(Environment::Test, T0)
            .unwrap()
            .unwrap();
        let first_kid = first.kid().to_owned();
        assert_eq!(first.created_at(), T0);
        assert!(
            keyring
                .rotate_if_due(Environment::Test, T0 + 10 * DAY - 1)
                .unwrap()
                .is_none()
        );
        assert_eq!(keyring.signing_key().unwrap().kid(), first_kid);
        let second = keyring
            .rotate_if_due(Environment::Test, T0 + 10 * DAY)
            .unwrap()
            .unwrap();
        let second_kid = second.kid().to_owned();
        assert_ne!(second_kid, first_kid);
        assert_eq!(keyring.signing_key().unwrap().kid(), second_kid);
        assert_eq!(
            kids(keyring.published(T0 + 10 * DAY)),
            [second_kid.as_str(), first_kid.as_str()]
        );
    }

    #[test]
    fn a_replaced_key_stays_published_for_the_grace_period_then_is_retired() {
        let (a, b) = (key(0, T0), key(1, T0 + 180 * DAY));
        let (a_kid, b_kid) = (a.kid().to_owned(), b.kid().to_owned());
        // Loaded in any order, the newest key signs.
        let mut keyring = Keyring::new(RotationPolicy::default(), vec![b, a]);
        assert_eq!(keyring.signing_key().unwrap().kid(), b_kid);
        let last_grace_second = T0 + 210 * DAY - 1;
        assert_eq!(
            kids(keyring.published(last_grace_second)),
            [b_kid.as_str(), a_kid.as_str()]
        );
        assert!(keyring.find(&a_kid, last_grace_second).is_some());
        assert!(keyring.find(&a_kid, last_grace_second + 1).is_none());
        assert_eq!(
            kids(keyring.published(last_grace_second + 1)),
            [b_kid.as_str()]
        );
        // Until then nothing is retired; afterwards the old key goes.
        assert!(keyring.retire_expired(last_grace_second).is_empty());
        assert_eq!(
            keyring.retire_expired(last_grace_second + 1),
            [a_kid.as_str()]
        );
        assert!(keyring.find(&a_kid, T0).is_none());
        assert_eq!(kids(keyring.published(T0)), [b_kid.as_str()]);
    }

    #[test]
    fn each_old_key_is_in_grace_from_its_own_successor() {
        let keys = vec![key(0, T0), key(1, T0 + 100 * DAY), key(2, T0 + 200 * DAY)];
        let kids_all: Vec<String> = keys.iter().map(|k| k.kid().to_owned()).collect();
        let keyring = Keyring::new(RotationPolicy::new(100, 30).unwrap(), keys);
        // At day 205 the middle key is in grace (replaced at 200), the first
        // is not (replaced at 100).
        assert_eq!(
            kids(keyring.published(T0 + 205 * DAY)),
            [kids_all[2].as_str(), kids_all[1].as_str()]
        );
        assert_eq!(
            kids(keyring.published(T0 + 230 * DAY)),
            [kids_all[2].as_str()]
        );
    }

    #[test]
    fn the_jwks_body_lists_the_published_keys() {
        let keyring = Keyring::new(
            RotationPolicy::default(),
            vec![key(0, T0), key(1, T0 + 180 * DAY)],
        );
        let body = keyring.jwks("request-id-test-1".into(), T0 + 181 * DAY);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["status_code"], 200);
        assert_eq!(json["request_id"], "request-id-test-1");
        let keys = json["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0]["kid"], keyring.signing_key().unwrap().kid());
        assert_eq!(
            keys[0]["x5tS256"],
            keyring.signing_key().unwrap().jwk().x5t_s256
        );
        assert_eq!(keyring.jwks(String::new(), T0 + 211 * DAY).keys.len(), 1);
    }

    #[test]
    fn while_a_host_key_signs_the_library_keys_only_verify_until_their_time_is_up() {
        use crate::sessions::HostKeySpec;
        let pem = include_str!("../../tests/data/session_keys/rsa2048_a.pem");
        let spec =
            |verify_only| HostKeySpec::from_pem("host".into(), T0, verify_only, pem).unwrap();
        let policy = RotationPolicy::new(10, 2).unwrap();
        let (old, newest) = (key(0, T0), key(1, T0 + 5 * DAY));
        let (old_kid, newest_kid) = (old.kid().to_owned(), newest.kid().to_owned());
        let host = Arc::new(HostKeys::new(&[spec(false)]).unwrap());
        let mut keyring = Keyring::new(policy, vec![old, newest]).with_host_keys(host);
        assert_eq!(keyring.signing_key().unwrap().kid(), "host");
        // Nothing is generated or retired: the store's record is left alone.
        assert!(!keyring.rotation_due(T0 + 100 * DAY));
        assert!(!keyring.needs_upkeep(T0 + 100 * DAY));
        assert!(
            keyring
                .rotate_if_due(Environment::Test, T0 + 100 * DAY)
                .unwrap()
                .is_none()
        );
        // The old key leaves 2 days after its successor; the newest 2 days
        // after it would have been rotated (day 15).
        assert_eq!(
            kids(keyring.published(T0 + 7 * DAY - 1)),
            ["host", newest_kid.as_str(), old_kid.as_str()]
        );
        assert_eq!(
            kids(keyring.published(T0 + 17 * DAY - 1)),
            ["host", newest_kid.as_str()]
        );
        assert_eq!(kids(keyring.published(T0 + 17 * DAY)), ["host"]);
        assert!(keyring.find(&newest_kid, T0 + 17 * DAY).is_none());
        assert!(keyring.find("host", T0 + 1000 * DAY).is_some());

        // Host keys that only verify: the library signs and rotates as usual,
        // and the host key stays published.
        let host = Arc::new(HostKeys::new(&[spec(true)]).unwrap());
        let mut keyring = Keyring::new(policy, vec![key(2, T0)]).with_host_keys(host);
        assert_ne!(keyring.signing_key().unwrap().kid(), "host");
        assert!(!keyring.needs_upkeep(T0 + 9 * DAY));
        assert!(keyring.needs_upkeep(T0 + 10 * DAY));
        keyring
            .rotate_if_due(Environment::Test, T0 + 10 * DAY)
            .unwrap()
            .unwrap();
        assert_eq!(keyring.published(T0 + 10 * DAY).count(), 3);
        assert_eq!(keyring.published(T0 + 12 * DAY).count(), 2);
        assert_eq!(keyring.retire_expired(T0 + 12 * DAY).len(), 1);
        assert!(keyring.find("host", T0 + 12 * DAY).is_some());
    }
}
