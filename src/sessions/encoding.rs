//! Small encodings the session types share: unpadded base64url, Stytch-style
//! IDs, and Unix times written as RFC 3339 strings.

use crate::engine::ids::Environment;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Unpadded base64url (RFC 7515 §2), as JWTs and JWKs use it.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict unpadded base64url: no padding, no other alphabet, no stray bits.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// `<prefix>-<environment>-<uuid v4>`, the UUID's random bits from the OS CSPRNG.
pub fn new_id(prefix: &str, env: Environment) -> String {
    let mut bytes = [0u8; 16];
    crate::random::fill(&mut bytes);
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    format!("{prefix}-{}-{}", env.as_str(), uuid.hyphenated())
}

/// Serde for a Unix time held as `i64` and written as RFC 3339 UTC
/// (`2021-12-29T12:33:09Z`), the form of every Stytch timestamp.
pub mod rfc3339 {
    use crate::engine::clock::format_rfc3339;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    pub fn serialize<S: Serializer>(unix_time: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_rfc3339(*unix_time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let text = String::deserialize(d)?;
        OffsetDateTime::parse(&text, &Rfc3339)
            .map(OffsetDateTime::unix_timestamp)
            .map_err(D::Error::custom)
    }

    /// The same for an optional time (absent members are skipped).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(unix_time: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match unix_time {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] i64);
            Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(t)| t))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_is_unpadded_and_strict() {
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64url_decode("-_8"), Some(vec![0xfb, 0xff]));
        for bad in ["-_8=", "+/8", "-_9", "a", "a b"] {
            assert_eq!(b64url_decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ids_name_their_kind_and_environment() {
        let id = new_id("session", Environment::Live);
        let uuid = id.strip_prefix("session-live-").unwrap();
        assert_eq!(uuid::Uuid::parse_str(uuid).unwrap().get_version_num(), 4);
        assert_ne!(id, new_id("session", Environment::Live));
    }
}
